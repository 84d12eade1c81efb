//! Top topics of the period with the change against the previous period; a bar or a row
//! narrows the filter to the topic.

use crate::chart::{bar_svg, BarChart};
use crate::components::{Ctx, SvgChart, Table};
use crate::format::{fmt_count, format_value, group_thousands, Unit};
use leptos::prelude::*;

/// The top-topics chart and table.
pub fn topics(ctx: &Ctx) -> impl IntoView {
    let rows = ctx
        .engine
        .top_topics(&ctx.resolved.query, 10)
        .unwrap_or_default();
    let table = Table {
        head: ["topic", "contacts", "share", "previous period", "growth"]
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
                    group_thousands(r.contacts as i64),
                    format_value(Some(r.share), Unit::Rate),
                    group_thousands(r.previous as i64),
                    r.growth
                        .map_or("new".into(), |g| format!("{:+.1} %", g * 100.0)),
                ]
            })
            .collect(),
        drills: rows
            .iter()
            .map(|r| (!r.topic.is_empty()).then(|| format!("topic={}", r.topic)))
            .collect(),
        fmts: Vec::new(),
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
