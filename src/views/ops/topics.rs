//! Top topics of the period with the change against the previous period; a bar or a row
//! narrows the filter to the topic.

use crate::chart::{bar_svg, BarChart};
use crate::components::{Ctx, SvgChart, Table};
use crate::format::{fmt_count, fmt_rate};
use leptos::prelude::*;

/// A growth fraction as a signed percentage.
fn fmt_growth(g: f64) -> String {
    format!("{:+.1} %", g * 100.0)
}

/// The top-topics chart and table.
pub fn topics(ctx: &Ctx) -> impl IntoView {
    let rows = ctx
        .engine
        .top_topics(&ctx.resolved.query, 10)
        .unwrap_or_default();
    // Machine values in the CSV (counts, fractions; "new" for a topic without contacts in the
    // previous period, empty when the data does not cover that period), shown on the page as
    // people read them.
    let table = Table {
        head: ["topic", "contacts", "share", "previous_period", "growth"]
            .map(String::from)
            .to_vec(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    if r.topic.is_empty() {
                        "(none)".into()
                    } else {
                        r.topic.clone()
                    },
                    r.contacts.to_string(),
                    r.share.to_string(),
                    r.previous.map(|p| p.to_string()).unwrap_or_default(),
                    match (r.previous, r.growth) {
                        (_, Some(g)) => g.to_string(),
                        (Some(_), None) => "new".into(),
                        (None, None) => String::new(),
                    },
                ]
            })
            .collect(),
        drills: rows
            .iter()
            .map(|r| (!r.topic.is_empty()).then(|| format!("topic={}", r.topic)))
            .collect(),
        fmts: vec![
            None,
            Some(fmt_count),
            Some(fmt_rate),
            Some(fmt_count),
            Some(fmt_growth),
        ],
    };
    let chart = BarChart {
        title: "Top topics (contacts)".into(),
        labels: rows.iter().map(|r| r.topic.clone()).collect(),
        values: rows.iter().map(|r| r.contacts as f64).collect(),
        y_fmt: fmt_count,
        drill_key: Some("topic"),
    };
    let svg = bar_svg(&chart, 560, 260);
    view! { <SvgChart title=chart.title.clone() svg=svg table=table testid="topics" /> }
}
