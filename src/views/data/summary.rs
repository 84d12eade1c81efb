//! Sources and row counts: what is loaded, from where, and rows read = loaded + rejected.

use crate::data::Loaded;
use crate::format::group_thousands;
use leptos::prelude::*;
use omnikpi_engine::query::Query;

fn count(testid: &'static str, label: &'static str, n: u64) -> impl IntoView {
    view! {
        <div class="count" data-testid=testid data-value=n.to_string()>
            <div class="count-label">{label}</div>
            <div class="count-value">{group_thousands(n as i64)}</div>
        </div>
    }
}

/// The sources and counts of the loaded data.
#[component]
pub fn Summary(loaded: Loaded) -> impl IntoView {
    let engine = &loaded.engine;
    let ds = engine.dataset();
    let r = &ds.report;
    let contacts = engine
        .report(&Query::default())
        .ok()
        .and_then(|g| g.into_iter().next())
        .and_then(|g| g.get("contacts"));
    let configured: Vec<_> = engine
        .config()
        .sources
        .iter()
        .map(|s| {
            let mode = s.mode.clone().unwrap_or_else(|| "static".into());
            view! { <li>{format!("{} — {} ({mode})", s.name, s.url)}</li> }
        })
        .collect();
    let has_configured = !configured.is_empty();
    let period = engine.data_days().map(|(a, b)| {
        let d = |x: i64| omnikpi_engine::io::write::format_day(x as i32);
        format!("{} to {}", d(a), d(b))
    });
    view! {
        <section class="panel" aria-labelledby="sources-h">
            <h2 id="sources-h">"Source"</h2>
            <table class="table sources" data-testid="sources">
                <thead><tr><th>"Source"</th><th>"Contacts"</th><th>"Agent-days"</th><th>"Days"</th><th>"Period"</th></tr></thead>
                <tbody>
                    <tr>
                        <td data-testid="source-name" data-sources=loaded.source.clone()>
                            {loaded.source.split(", ").map(|s| view! { <div>{s.to_string()}</div> }).collect::<Vec<_>>()}
                        </td>
                        <td class="num">{group_thousands(ds.contacts.len() as i64)}</td>
                        <td class="num">{group_thousands(ds.agents.len() as i64)}</td>
                        <td class="num">{group_thousands(ds.daily.len() as i64)}</td>
                        <td>{period.unwrap_or_else(|| "—".into())}</td>
                    </tr>
                </tbody>
            </table>
            {has_configured.then(|| view! {
                <p class="muted">"Configured sources (config.json):"</p>
                <ul class="muted">{configured}</ul>
            })}
            <div class="counts" data-testid="row-counts">
                {count("rows-read", "Rows read", r.rows_read)}
                <div class="count-op" aria-hidden="true">"="</div>
                {count("rows-loaded", "Loaded", r.rows_loaded)}
                <div class="count-op" aria-hidden="true">"+"</div>
                {count("rows-rejected", "Rejected", r.rows_rejected)}
                {count("rows-warnings", "Loaded with a warning", r.warnings.len() as u64)}
                <div class="tile" data-testid="kpi-tile" data-kpi="contacts" data-value=contacts.map(|v| v.to_string()).unwrap_or_default()
                    title="Contacts offered: count of contacts (from the engine)">
                    <div class="tile-label">"Contacts"</div>
                    <div class="tile-value">{contacts.map(|v| group_thousands(v.round() as i64)).unwrap_or_else(|| "—".into())}</div>
                </div>
            </div>
        </section>
    }
}
