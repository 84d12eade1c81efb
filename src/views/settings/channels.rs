//! Per channel: the SLA target (answer threshold, target share, business hours only) and the
//! cost rate used when a contact has no cost of its own. Values are kept as typed; one out of
//! range is named when the settings are applied (`settings::check`), never changed silently.

use super::general::num_input;
use crate::settings::Settings;
use crate::store::Store;
use leptos::prelude::*;
use omnikpi_engine::config::SlaTarget;
use omnikpi_engine::query::{Dim, Query};
use omnikpi_engine::Channel;

/// SLA compliance per channel of the loaded data under the applied configuration.
fn sla_now(store: &Store) -> Option<Vec<(String, Option<f64>)>> {
    store.data.with(|d| {
        let l = d.as_ref()?;
        let groups = l
            .engine
            .report(&Query::default().group_by(Dim::parse("channel")))
            .ok()?;
        Some(
            groups
                .iter()
                .filter_map(|g| Some((g.key.first()?.1.clone(), g.get("sla"))))
                .collect(),
        )
    })
}

/// The SLA compliance of channel `id` in [`sla_now`]'s answer.
fn sla_of(m: &Option<Vec<(String, Option<f64>)>>, id: &str) -> Option<f64> {
    m.as_ref()?.iter().find(|(k, _)| k == id)?.1
}

fn sla_edit(draft: RwSignal<Settings>, ch: Channel, f: impl FnOnce(&mut SlaTarget)) {
    draft.update(|s| {
        let t = s.config.sla.get_or_insert_with(ch, || SlaTarget {
            threshold_s: 60.0,
            target: 0.8,
            business_hours: false,
        });
        f(t);
    });
}

/// SLA targets and cost rates per channel.
#[component]
pub fn ChannelTable(draft: RwSignal<Settings>) -> impl IntoView {
    let store = expect_context::<Store>();
    let now = Memo::new(move |_| sla_now(&store));
    let applied = expect_context::<crate::settings::SettingsStore>().saved;
    let rows: Vec<_> = Channel::ALL
        .into_iter()
        .map(|ch| {
            let id = ch.as_str();
            let sla = move || draft.with(|s| s.config.sla.get(&ch).copied());
            view! {
                <tr data-testid=format!("channel-row-{id}")>
                    <th scope="row">{id}</th>
                    <td>{num_input(format!("sla-threshold-{id}"), format!("{id} answer threshold in seconds"), "1",
                        move || sla().map(|t| t.threshold_s),
                        move |v| if let Some(v) = v { sla_edit(draft, ch, |t| t.threshold_s = v) })}</td>
                    <td>{num_input(format!("sla-target-{id}"), format!("{id} target in percent"), "0.1",
                        move || sla().map(|t| t.target * 100.0),
                        move |v| if let Some(v) = v { sla_edit(draft, ch, |t| t.target = v / 100.0) })}</td>
                    <td class="num" data-testid=format!("sla-now-{id}")
                        data-value=move || now.with(|m| sla_of(m, id).map(|v| v.to_string()).unwrap_or_default())>
                        {move || now.with(|m| sla_of(m, id).map(|v| format!("{:.1} %", v * 100.0)).unwrap_or_else(|| "—".into()))}
                        {move || {
                            let v = now.with(|m| sla_of(m, id))?;
                            let target = applied.with(|s| s.as_ref().map(|s| s.config.sla.get(&ch).map(|t| t.target)))
                                .unwrap_or_else(|| crate::import::current_config(&store).sla.get(&ch).map(|t| t.target))?;
                            let (class, word) = if v >= target { ("band band-good", " meets target") } else { ("band band-bad", " below target") };
                            Some(view! { <span class=class>{word}</span> })
                        }}
                    </td>
                    <td class="center">
                        <input type="checkbox" data-testid=format!("sla-business-{id}") aria-label=format!("{id}: count business hours only")
                            prop:checked=move || sla().is_some_and(|t| t.business_hours)
                            on:change=move |ev| { let on = event_target_checked(&ev); sla_edit(draft, ch, |t| t.business_hours = on); } />
                    </td>
                    <td>{num_input(format!("cost-{id}"), format!("{id} cost per contact"), "0.01",
                        move || draft.with(|s| s.config.cost_rates.get(&ch).copied()),
                        move |v| draft.update(|s| match v {
                            Some(v) => { s.config.cost_rates.insert(ch, v); }
                            None => { s.config.cost_rates.remove(&ch); }
                        }))}</td>
                </tr>
            }
        })
        .collect();
    view! {
        <section class="panel" aria-labelledby="channels-h">
            <h2 id="channels-h">"SLA targets and cost rates per channel"</h2>
            <p class="muted">"SLA: the share of contacts answered within the threshold, against answered + abandoned. The cost rate applies to contacts without a cost of their own."</p>
            <table class="table settings-table" data-testid="channel-settings">
                <thead><tr>
                    <th>"Channel"</th><th>"Answer within (s)"</th><th>"Target (%)"</th><th class="num">"SLA now (applied)"</th><th>"Business hours only"</th>
                    <th>{move || format!("Cost per contact ({})", draft.with(|s| s.config.currency.clone()))}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
