//! Sources and row counts: what is loaded, from where, and rows read = loaded + rejected, per
//! source and in total.

use crate::data::Loaded;
use crate::format::group_thousands;
use leptos::prelude::*;
use omnikpi_engine::query::Query;
use omnikpi_engine::{LoadReport, SourceCounts};

fn count(testid: &'static str, label: &'static str, n: u64) -> impl IntoView {
    view! {
        <div class="count" data-testid=testid data-value=n.to_string()>
            <div class="count-label">{label}</div>
            <div class="count-value">{group_thousands(n as i64)}</div>
        </div>
    }
}

/// One row of the per-source counts: `data-*` attributes hold the raw numbers.
fn source_row(c: &SourceCounts, testid: &'static str) -> impl IntoView {
    let cell = |n: u64| view! { <td class="num">{group_thousands(n as i64)}</td> };
    view! {
        <tr
            data-testid=testid
            data-source=c.name.clone()
            data-rows-read=c.rows_read.to_string()
            data-rows-loaded=c.rows_loaded.to_string()
            data-rows-rejected=c.rows_rejected.to_string()
            data-warnings=c.warnings.to_string()
        >
            <th scope="row" class="source-label">{c.name.clone()}</th>
            {cell(c.rows_read)}
            {cell(c.rows_loaded)}
            {cell(c.rows_rejected)}
            {cell(c.warnings)}
        </tr>
    }
}

/// The rows read, loaded and rejected of each source, with a total row when there are several
/// (the totals are the report's, which the loader keeps equal to the sums).
fn per_source(r: &LoadReport) -> Option<impl IntoView> {
    if r.sources.is_empty() {
        return None;
    }
    let rows: Vec<_> = r
        .sources
        .iter()
        .map(|c| source_row(c, "source-row"))
        .collect();
    let total = (r.sources.len() > 1).then(|| {
        let t = SourceCounts {
            name: "Total".into(),
            rows_read: r.rows_read,
            rows_loaded: r.rows_loaded,
            rows_rejected: r.rows_rejected,
            warnings: r.warnings.len() as u64,
        };
        view! { <tfoot>{source_row(&t, "source-total")}</tfoot> }
    });
    Some(view! {
        <table class="table source-counts" data-testid="source-counts">
            <caption class="muted">"Rows per source"</caption>
            <thead><tr><th scope="col">"Source"</th><th scope="col">"Rows read"</th><th scope="col">"Loaded"</th><th scope="col">"Rejected"</th><th scope="col">"Warnings"</th></tr></thead>
            <tbody>{rows}</tbody>
            {total}
        </table>
    })
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
    let kind = if engine.is_cube() { "cube" } else { "rows" };
    let n_contacts = engine
        .cube()
        .map_or(ds.contacts.len() as u64, |c| c.contacts());
    let cube_note = engine.cube().map(|c| {
        let rows = c.cells.len() as u64;
        let dims: Vec<&str> = c.dims.iter().map(|d| d.name.as_str()).collect();
        view! {
            <p class="source-kind" data-testid="source-kind" data-cube-rows=rows data-cube-contacts=c.contacts()>
                {format!(
                    "The contacts source is a cube (pre-aggregated): {} rows summarising {} contacts per hour, channel and {}. ",
                    group_thousands(rows as i64),
                    group_thousands(c.contacts() as i64),
                    if dims.is_empty() { "no other dimension".to_string() } else { dims.join(", ") },
                )}
                "KPIs, heatmaps and trends come from it; contact lists, channel transitions, the live queue and per-agent contact KPIs need contact rows."
            </p>
        }
    });
    let period = engine.data_days().map(|(a, b)| {
        let d = |x: i64| omnikpi_engine::io::write::format_day(x as i32);
        format!("{} to {}", d(a), d(b))
    });
    view! {
        <section class="panel" aria-labelledby="sources-h" data-testid="source-summary" data-source-kind=kind>
            <h2 id="sources-h">"Source"</h2>
            {cube_note}
            <table class="table sources" data-testid="sources">
                <thead><tr><th>"Source"</th><th>"Contacts"</th><th title="Rows of the agents table: one per agent per day, or per interval">"Agent rows"</th><th title="Rows of the daily business and technical series">"Daily-series rows"</th><th>"Period"</th></tr></thead>
                <tbody>
                    <tr>
                        <td data-testid="source-name" data-sources=loaded.source.clone()>
                            {loaded.source.split(", ").map(|s| view! { <div>{s.to_string()}</div> }).collect::<Vec<_>>()}
                        </td>
                        <td class="num">{group_thousands(n_contacts as i64)}</td>
                        <td class="num">{group_thousands(ds.agents.len() as i64)}</td>
                        <td class="num">{group_thousands(ds.daily.len() as i64)}</td>
                        <td>{period.unwrap_or_else(|| "—".into())}</td>
                    </tr>
                </tbody>
            </table>
            {per_source(r)}
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
