//! The channel transition matrix: consecutive contacts of the cases the filter selects, from
//! channel (rows) to channel (columns). A cell narrows the channel filter to its two channels.

use crate::chart::{heatmap_svg, HeatmapChart};
use crate::components::{Ctx, SvgChart, Table};
use crate::format::fmt_count;
use leptos::prelude::*;

/// The channel filter of a `from → to` cell (one channel on the diagonal).
fn drill(from: &str, to: &str) -> String {
    if from == to {
        format!("channel={from}")
    } else {
        format!("channel={from},{to}")
    }
}

/// The matrix as a heatmap with its table.
pub fn matrix(ctx: &Ctx) -> impl IntoView {
    let t = ctx.engine.transitions(&ctx.resolved.query).ok();
    let (channels, counts) = t.map(|t| (t.channels, t.counts)).unwrap_or_default();
    // Channels on either end of some transition, in the engine's channel order.
    let used: Vec<usize> = (0..channels.len())
        .filter(|&i| counts[i].iter().sum::<u64>() > 0 || counts.iter().any(|r| r[i] > 0))
        .collect();
    let names: Vec<String> = used.iter().map(|&i| channels[i].to_string()).collect();
    let cells: Vec<Vec<Option<f64>>> = used
        .iter()
        .map(|&a| used.iter().map(|&b| Some(counts[a][b] as f64)).collect())
        .collect();
    let mut table = Table::matrix("from \\ to", &names, &names, &cells).values_as(fmt_count);
    table.drills = names.iter().map(|n| Some(format!("channel={n}"))).collect();
    let c = HeatmapChart {
        title: "Channel transitions within a case (from row to column)".into(),
        rows: names.clone(),
        cols: names,
        cells,
        fmt: fmt_count,
        label: |a, b| format!("{a} → {b}"),
        drill: Some(std::rc::Rc::new(drill)),
    };
    let svg = heatmap_svg(&c, 620, 360);
    view! { <SvgChart title=c.title.clone() svg=svg table=table testid="transitions" class="heatmap" /> }
}
