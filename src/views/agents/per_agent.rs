//! Per agent: AHT beside FCR, contacts, QA, occupancy and adherence, as a table sortable by
//! `?asort=` whose rows narrow the agent filter, and as an AHT × FCR scatter.

use crate::chart::{scatter_svg, ScatterChart};
use crate::components::{Ctx, DataTable, SvgChart, Table};
use crate::format::{fmt_count, fmt_points, fmt_rate, fmt_seconds};
use leptos::prelude::*;
use omnikpi_engine::{Dim, Group};

/// Columns of the table after the agent.
pub const AGENT_COLS: [&str; 6] = [
    "contacts",
    "aht_s",
    "fcr",
    "qa_score",
    "occupancy",
    "adherence",
];

/// A table cell as the CSV has it: the machine value, unrounded (the page shows it with
/// [`shown`]; README: "exports keep the machine values").
fn cell(id: &str, v: Option<f64>) -> String {
    match (id, v) {
        (_, None) => String::new(),
        ("contacts", Some(v)) => format!("{v:.0}"),
        (_, Some(v)) => v.to_string(),
    }
}

/// How column `id` is shown on the page: counts grouped, seconds as `m:ss`, QA to 0.1, rates
/// as percentages.
fn shown(id: &str) -> fn(f64) -> String {
    match id {
        "contacts" => fmt_count,
        "aht_s" => fmt_seconds,
        "qa_score" => fmt_points,
        _ => fmt_rate,
    }
}

fn agent(g: &Group) -> &str {
    g.key.first().map_or("", |k| k.1.as_str())
}

/// The table and the scatter.
pub fn per_agent(ctx: &Ctx) -> AnyView {
    if ctx.engine.is_cube() {
        return crate::components::needs_rows("Per agent");
    }
    let groups = ctx
        .engine
        .report(
            &ctx.resolved
                .query
                .clone()
                .group_by(Dim::Column("agent_id".into())),
        )
        .unwrap_or_default();
    let table = Table {
        head: std::iter::once("agent_id")
            .chain(AGENT_COLS)
            .map(String::from)
            .collect(),
        rows: groups
            .iter()
            .map(|g| {
                let a = agent(g);
                std::iter::once(if a.is_empty() {
                    "(none)".into()
                } else {
                    a.to_string()
                })
                .chain(AGENT_COLS.iter().map(|id| cell(id, g.get(id))))
                .collect()
            })
            .collect(),
        drills: groups
            .iter()
            .map(|g| (!agent(g).is_empty()).then(|| format!("agent_id={}", agent(g))))
            .collect(),
        fmts: std::iter::once(None)
            .chain(AGENT_COLS.iter().map(|id| Some(shown(id))))
            .collect(),
    };
    let chart = ScatterChart {
        title: "AHT against FCR per agent".into(),
        points: groups
            .iter()
            .filter(|g| !agent(g).is_empty())
            .filter_map(|g| Some((agent(g).to_string(), g.get("aht_s")?, g.get("fcr")?)))
            .collect(),
        axes: ("AHT", "FCR"),
        x_fmt: fmt_seconds,
        y_fmt: fmt_rate,
        drill_key: Some("agent_id"),
    };
    let svg = scatter_svg(&chart, 560, 320);
    let scatter_table = Table {
        head: ["agent_id", "aht_s", "fcr"].map(String::from).to_vec(),
        rows: chart
            .points
            .iter()
            .map(|(a, x, y)| vec![a.clone(), cell("aht_s", Some(*x)), cell("fcr", Some(*y))])
            .collect(),
        drills: chart
            .points
            .iter()
            .map(|p| Some(format!("agent_id={}", p.0)))
            .collect(),
        fmts: vec![None, Some(shown("aht_s")), Some(shown("fcr"))],
    };
    view! {
        <section aria-labelledby="per-agent-title">
            <h2 id="per-agent-title">"Per agent"</h2>
            <div class="grid-2">
                <div class="panel">
                    <DataTable caption="AHT, FCR, contacts and QA per agent".into() table=table
                        name="agents".into() testid="agent-table" sort="asort" />
                </div>
                <SvgChart title=chart.title.clone() svg=svg table=scatter_table testid="aht-fcr" />
            </div>
        </section>
    }
    .into_any()
}
