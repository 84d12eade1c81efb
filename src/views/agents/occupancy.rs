//! Occupancy over the period per bucket, with its target range shaded (70–85 % by default,
//! the configured bands when set).

use crate::chart::{line_svg, LineChart, LineSeries, PALETTE};
use crate::components::{bands_of, Ctx, SvgChart, Table};
use crate::format::{fmt_rate, partial_notes};
use leptos::prelude::*;
use omnikpi_engine::analysis::Coverage;
use omnikpi_engine::Dim;

/// What a label missing from the coverage counts as (the coverage lists every bucket of the
/// range, so only a label outside it could be).
const WHOLE: Coverage = Coverage { days: 1, of: 1 };

/// The occupancy chart.
pub fn occupancy(ctx: &Ctx) -> impl IntoView {
    let bucket = ctx.spark_bucket();
    let groups = ctx
        .engine
        .report(&ctx.resolved.query.clone().group_by(Dim::Time(bucket)))
        .unwrap_or_default();
    let points: Vec<(String, Option<f64>)> = groups
        .iter()
        .map(|g| {
            let label = g.key.first().map(|k| k.1.clone()).unwrap_or_default();
            (label, g.get("occupancy"))
        })
        .collect();
    let has = points.iter().any(|p| p.1.is_some());
    // Weeks the period or the data cut (the agents' days are the contacts' here).
    let cov = ctx.engine.coverage(&ctx.resolved.query, bucket);
    let b = bands_of(ctx.engine.config(), "occupancy");
    let band = (b.low.unwrap_or(0.70), b.high.unwrap_or(0.85));
    let table = Table {
        head: vec![bucket.as_str().into(), "occupancy".into()],
        rows: if has {
            points
                .iter()
                .map(|(l, v)| vec![l.clone(), v.map(|v| v.to_string()).unwrap_or_default()])
                .collect()
        } else {
            Vec::new()
        },
        drills: vec![None; points.len()],
        fmts: Vec::new(),
    }
    .values_as(fmt_rate);
    let chart = LineChart {
        title: format!(
            "Occupancy per {}, target {:.0}–{:.0} % shaded",
            bucket.as_str(),
            band.0 * 100.0,
            band.1 * 100.0
        ),
        x_labels: points.iter().map(|p| p.0.clone()).collect(),
        y_fmt: fmt_rate,
        series: vec![LineSeries {
            label: "occupancy".into(),
            values: points.iter().map(|p| p.1).collect(),
            color: PALETTE[0],
            dashed: false,
        }],
        stacked: false,
        band: Some(band),
        partial: partial_notes(
            points
                .iter()
                .map(|p| cov.iter().find(|c| c.0 == p.0).map_or(&WHOLE, |c| &c.1)),
        ),
    };
    let svg = line_svg(&chart, 1100, 280);
    view! { <SvgChart title=chart.title.clone() svg=svg table=table testid="occupancy" /> }
}
