//! The filter bar. Its whole state is the URL query ([`crate::filters`]): every control writes a
//! new URL (a history entry, so back and forward restore it) and reads its value back from it.

use super::view_ctx::{Ctx, Nav};
use crate::filters::{day_str, replace_filters, Compare, Filters, Period, DIMS};
use leptos::prelude::*;
use omnikpi_engine::time::parse_day;
use wasm_bindgen::JsCast;

fn value_of(ev: &web_sys::Event) -> String {
    ev.target()
        .and_then(|t| {
            t.dyn_into::<web_sys::HtmlInputElement>()
                .ok()
                .map(|i| i.value())
        })
        .or_else(|| {
            ev.target().and_then(|t| {
                t.dyn_into::<web_sys::HtmlSelectElement>()
                    .ok()
                    .map(|s| s.value())
            })
        })
        .unwrap_or_default()
}

/// The values a dimension offers (the engine's dimension values, without the empty one).
pub fn dim_values(ctx: &Ctx, dim: &str) -> Vec<String> {
    let mut v = ctx.engine.dimension_values(dim).unwrap_or_default();
    v.retain(|x| !x.is_empty());
    v
}

/// The filter bar.
#[component]
pub fn FilterBar(
    /// The view's context.
    ctx: Ctx,
) -> impl IntoView {
    let nav = expect_context::<Nav>();
    close_lists_on_outside_press();
    let f = ctx.filters.clone();
    let dp = ctx.default_period;
    let pairs = ctx.pairs.clone();
    let apply = {
        let nav = nav.clone();
        let pairs = pairs.clone();
        move |g: Filters| {
            let mut p = replace_filters(&pairs, &g, dp);
            p.retain(|(k, _)| k != "page");
            nav.go(&p);
        }
    };
    let (from, to) = ctx.resolved.range;
    let on_period = {
        let (f, apply) = (f.clone(), apply.clone());
        move |ev: web_sys::Event| {
            let mut g = f.clone();
            g.period = Period::parse(&value_of(&ev)).unwrap_or(dp);
            if g.period == Period::Custom {
                g.from = Some(from);
                g.to = Some(to);
            }
            apply(g);
        }
    };
    let on_date = |is_from: bool| {
        let (f, apply) = (f.clone(), apply.clone());
        move |ev: web_sys::Event| {
            if let Some(d) = parse_day(&value_of(&ev)) {
                let mut g = f.clone();
                g.period = Period::Custom;
                g.from = Some(if is_from { d } else { g.from.unwrap_or(from) });
                g.to = Some(if is_from { g.to.unwrap_or(to) } else { d });
                apply(g);
            }
        }
    };
    let on_compare = {
        let (f, apply) = (f.clone(), apply.clone());
        move |ev: web_sys::Event| {
            let mut g = f.clone();
            g.compare = match value_of(&ev).as_str() {
                "last_year" => Compare::LastYear,
                "none" => Compare::None,
                _ => Compare::Previous,
            };
            apply(g);
        }
    };
    let on_bh = {
        let (f, apply) = (f.clone(), apply.clone());
        move |ev: web_sys::Event| {
            let mut g = f.clone();
            g.business_hours = match value_of(&ev).as_str() {
                "1" => Some(true),
                "0" => Some(false),
                _ => None,
            };
            apply(g);
        }
    };
    let periods = Period::ALL
        .iter()
        .map(|p| view! { <option value=p.id() selected={*p == f.period}>{p.label()}</option> })
        .collect_view();
    let custom = (f.period == Period::Custom).then(|| {
        view! {
            <label>"From "<input type="date" data-testid="filter-from" value=day_str(from) on:change=on_date(true) /></label>
            <label>"To "<input type="date" data-testid="filter-to" value=day_str(to) on:change=on_date(false) /></label>
        }
    });
    let multis = DIMS
        .iter()
        .filter_map(|dim| {
            let values = dim_values(&ctx, dim);
            if values.is_empty() {
                return None;
            }
            let selected: Vec<String> = f.values(dim).to_vec();
            let summary = if selected.is_empty() {
                "all".to_string()
            } else {
                selected.join(", ")
            };
            let boxes = values
                .into_iter()
                .map(|v| {
                    let checked = selected.contains(&v);
                    let (f, apply, v2) = (f.clone(), apply.clone(), v.clone());
                    let toggle = move |_| {
                        let mut g = f.clone();
                        let mut sel: Vec<String> = g.values(dim).to_vec();
                        if let Some(i) = sel.iter().position(|x| *x == v2) {
                            sel.remove(i);
                        } else {
                            sel.push(v2.clone());
                        }
                        g.dims.retain(|(d, _)| d != dim);
                        if !sel.is_empty() {
                            g.dims.push((dim.to_string(), sel));
                            omnikpi_engine::sorting::sort_by_key(&mut g.dims, |(d, _)| DIMS.iter().position(|x| x == d));
                        }
                        apply(g);
                    };
                    view! {
                        <label class="check"><input type="checkbox" value=v.clone() checked=checked on:change=toggle />{v.clone()}</label>
                    }
                })
                .collect_view();
            Some(view! {
                <details class="multi" data-testid=format!("filter-{dim}") on:keydown=close_on_escape on:focusout=close_on_leave>
                    <summary>{format!("{}: {summary}", capitalize(dim))}</summary>
                    <div class="multi-list" role="group" aria-label=format!("{dim} values")>{boxes}</div>
                </details>
            })
        })
        .collect_view();
    let bh = f.business_hours;
    let bh_id = match bh {
        Some(true) => "1",
        Some(false) => "0",
        None => "",
    };
    // A comparison cut at today's time of day says so: "vs 2026-11-22 – 2026-11-22 until 10:30".
    // One clamped onto a shorter month (March 31 against February 28) is not cut, and says
    // nothing.
    let hms = |s: i64| format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
    let until = ctx.resolved.until.map(hms);
    let cmp_until = ctx
        .resolved
        .cmp_query
        .as_ref()
        .and_then(|q| q.last_day_until)
        .map(hms);
    let cmp_text = match (ctx.resolved.cmp_range, &cmp_until) {
        (Some((a, b)), Some(u)) => format!(" vs {} – {} until {}", day_str(a), day_str(b), &u[..5]),
        (Some((a, b)), None) => format!(" vs {} – {}", day_str(a), day_str(b)),
        (None, _) => String::new(),
    };
    // A comparison the data does not cover whole is shown, and said to be no data.
    let uncovered = match ctx.resolved.cmp_range.is_some() && ctx.cmp_range().is_none() {
        true => " (no data for the comparison: outside the data's days)",
        false => "",
    };
    let range_text = format!("{} – {}{cmp_text}{uncovered}", day_str(from), day_str(to));
    // The Agents view's own key, in a link to another view, is said not to apply rather than
    // ignored without a word.
    let agent_ignored = (ctx.param("agent_id").is_some()
        && !ctx.filters.dims.iter().any(|(d, _)| d == "agent_id"))
    .then(|| {
        view! {
            <p class="range" data-testid="ignored-keys">
                "The agent filter (agent_id) applies on the Agents view only; this view shows every agent."
            </p>
        }
    });
    let reset = {
        let nav = nav.clone();
        let pairs = pairs.clone();
        move |_| {
            let keep: Vec<(String, String)> = pairs
                .iter()
                .filter(|(k, _)| k == "theme" || k == "tv")
                .cloned()
                .collect();
            nav.go(&keep);
        }
    };
    view! {
        <form class="filter-bar no-print" data-testid="filter-bar" aria-label="Filters" on:submit=|e| e.prevent_default()>
            <label>"Period "<select data-testid="filter-period" prop:value=f.period.id() on:change=on_period>{periods}</select></label>
            {custom}
            <label>"Compare to "<select data-testid="filter-compare" prop:value=f.compare.id() on:change=on_compare>
                <option value="previous" selected={f.compare == Compare::Previous}>"previous period"</option>
                <option value="last_year" selected={f.compare == Compare::LastYear}>"last year"</option>
                <option value="none" selected={f.compare == Compare::None}>"nothing"</option>
            </select></label>
            {multis}
            <label>"Hours "<select data-testid="filter-bh" prop:value=bh_id on:change=on_bh>
                <option value="" selected={bh.is_none()}>"all hours"</option>
                <option value="1" selected={bh == Some(true)}>"business hours"</option>
                <option value="0" selected={bh == Some(false)}>"off hours"</option>
            </select></label>
            <button type="button" data-testid="filter-reset" on:click=reset>"Reset"</button>
        </form>
        <p class="range" data-testid="range" data-from=day_str(from) data-to=day_str(to)
            data-cmp-from=ctx.resolved.cmp_range.map(|r| day_str(r.0))
            data-cmp-to=ctx.resolved.cmp_range.map(|r| day_str(r.1))
            data-cmp-covered=ctx.resolved.cmp_range.map(|_| ctx.cmp_range().is_some().to_string()) data-until=until
            data-cmp-until=cmp_until>{range_text}</p>
        {agent_ignored}
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| crate::format::to_upper(f.encode_utf8(&mut [0; 4])) + c.as_str())
        .unwrap_or_default()
}

/// The `<details>` an event was heard on.
fn details_of(ev: &web_sys::Event) -> Option<web_sys::Element> {
    use wasm_bindgen::JsCast;
    ev.current_target()?.dyn_into::<web_sys::Element>().ok()
}

/// Esc closes a filter's list and gives the focus back to its button.
fn close_on_escape(ev: web_sys::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    if ev.key() != "Escape" {
        return;
    }
    if let Some(d) = details_of(&ev) {
        let _ = d.remove_attribute("open");
        let summary = d.query_selector("summary").ok().flatten();
        if let Some(s) = summary.and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = s.focus();
        }
    }
}

/// A filter's list closes when the focus moves to a control outside it (a tab onward, or a
/// click on another control). Focus going nowhere keeps it open: pressing on a checkbox's label
/// text inside it takes the focus from its button to no element first.
fn close_on_leave(ev: web_sys::FocusEvent) {
    use wasm_bindgen::JsCast;
    let Some(d) = details_of(&ev) else { return };
    let to = ev
        .related_target()
        .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
    if to.is_some_and(|n| !d.contains(Some(&n))) {
        let _ = d.remove_attribute("open");
    }
}

/// A press anywhere outside an open filter list closes it, as a menu does (a press on empty
/// page moves the focus nowhere, so [`close_on_leave`] does not hear it). One listener for the
/// page, installed by the first filter bar.
fn close_lists_on_outside_press() {
    use wasm_bindgen::{closure::Closure, JsCast};
    thread_local!(static INSTALLED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if INSTALLED.with(|i| i.replace(true)) {
        return;
    }
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let d = doc.clone();
    let on_press = Closure::<dyn Fn(web_sys::Event)>::new(move |ev: web_sys::Event| {
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let Ok(open) = d.query_selector_all("details.multi[open]") else {
            return;
        };
        for i in 0..open.length() {
            let list = open
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok());
            if let Some(list) = list.filter(|l| !l.contains(target.as_ref())) {
                let _ = list.remove_attribute("open");
            }
        }
    });
    let _ = doc.add_event_listener_with_callback("pointerdown", on_press.as_ref().unchecked_ref());
    // The listener lives as long as the page.
    on_press.forget();
}
