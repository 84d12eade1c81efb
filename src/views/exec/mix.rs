//! The channel mix over time: contacts per channel per ISO week over the last 52 weeks to the
//! period's end, stacked.

use crate::chart::{line_svg, LineChart, LineSeries, PALETTE};
use crate::components::{Ctx, SvgChart, Table};
use crate::filters::query_for;
use crate::format::{fmt_count, partial_notes};
use leptos::prelude::*;
use omnikpi_engine::analysis::last_buckets;
use omnikpi_engine::time::Bucket;
use omnikpi_engine::{Channel, Dim};

/// The channel-mix chart.
pub fn channel_mix(ctx: &Ctx) -> impl IntoView {
    let end = ctx.resolved.range.1;
    let q = query_for(&ctx.filters, last_buckets(Bucket::Week, end, 52));
    let series = ctx
        .engine
        .series(&q, "contacts", Bucket::Week, Some(Dim::Channel))
        .unwrap_or_default();
    let labels: Vec<String> = series
        .first()
        .map(|s| s.points.iter().map(|p| p.0.clone()).collect())
        .unwrap_or_default();
    let lines: Vec<LineSeries> = series
        .iter()
        .filter(|s| !s.name.is_empty())
        .map(|s| LineSeries {
            label: s.name.clone(),
            values: s.points.iter().map(|p| p.1).collect(),
            color: PALETTE[Channel::parse(&s.name).map_or(7, |c| c as usize) % PALETTE.len()],
            dashed: false,
        })
        .collect();
    let table = Table::series("week", &labels, &lines).values_as(fmt_count);
    let chart = LineChart {
        title: "Channel mix: contacts per channel per week, last 52 weeks".into(),
        x_labels: labels,
        y_fmt: fmt_count,
        series: lines,
        stacked: true,
        band: None,
        partial: partial_notes(ctx.engine.coverage(&q, Bucket::Week).iter().map(|c| &c.1)),
    };
    let svg = line_svg(&chart, 1100, 300);
    view! { <SvgChart title=chart.title.clone() svg=svg table=table testid="channel-mix" /> }
}
