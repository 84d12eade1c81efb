//! The staffing gap per weekday × hour: agents required by Erlang C (summed over the channels,
//! each channel's SLA target under the occupancy cap) minus agents staffed. Staffed agents per
//! hour come from interval-based agent rows (averaged over the weeks they cover); without them
//! the requirement alone is shown. Each cell's two parts are also in a hidden list
//! (`data-testid="staffing-cells"`: `data-cell="mon-09"`, `data-required`, `data-staffed`).

use crate::chart::{heatmap_svg, HeatmapChart};
use crate::components::{Ctx, SvgChart, Table};
use crate::format::fmt_points;
use leptos::prelude::*;
use omnikpi_engine::query::WEEKDAYS;

/// The heatmap section.
pub fn staffing(ctx: &Ctx) -> impl IntoView {
    let cells = ctx.engine.staffing(&ctx.resolved.query).unwrap_or_default();
    // (required, staffed) per hour of week.
    let mut grid: Vec<(Option<f64>, Option<f64>)> = vec![(None, None); 168];
    for c in &cells {
        let d = WEEKDAYS.iter().position(|w| *w == c.weekday).unwrap_or(0);
        let g = &mut grid[d * 24 + c.hour as usize];
        if let Some(n) = c.agents_needed {
            g.0 = Some(g.0.unwrap_or(0.0) + n as f64);
        }
        g.1 = c.agents_staffed.or(g.1);
    }
    let has_staffed = grid.iter().any(|g| g.1.is_some());
    let value = |g: &(Option<f64>, Option<f64>)| match (g.0, has_staffed) {
        (Some(r), true) => Some(r - g.1.unwrap_or(0.0)),
        (r, false) => r,
        (None, true) => g.1.map(|s| -s),
    };
    let rows: Vec<String> = WEEKDAYS.iter().map(|w| w.to_string()).collect();
    let cols: Vec<String> = (0..24).map(|h| format!("{h:02}")).collect();
    let matrix: Vec<Vec<Option<f64>>> = (0..7)
        .map(|d| (0..24).map(|h| value(&grid[d * 24 + h])).collect())
        .collect();
    let has = matrix.iter().flatten().any(Option::is_some);
    let table = Table {
        head: std::iter::once("weekday".to_string())
            .chain(cols.iter().cloned())
            .collect(),
        rows: if has {
            rows.iter()
                .zip(&matrix)
                .map(|(r, m)| {
                    std::iter::once(r.clone())
                        .chain(
                            m.iter()
                                .map(|v| v.map(|x| x.to_string()).unwrap_or_default()),
                        )
                        .collect()
                })
                .collect()
        } else {
            Vec::new()
        },
        drills: vec![None; 7],
        fmts: Vec::new(),
    }
    .values_as(fmt_points);
    let title = if has_staffed {
        "Staffing gap: agents required (Erlang C) minus agents staffed, by weekday and hour"
    } else {
        "Agents required (Erlang C) by weekday and hour; no interval-based agent rows, so no staffed count to subtract"
    };
    let c = HeatmapChart {
        title: title.into(),
        rows,
        cols,
        cells: matrix,
        fmt: fmt_points,
        label: |r, c| format!("{r} {c}:00"),
        drill: None,
    };
    let svg = heatmap_svg(&c, 1100, 300);
    let num = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    let parts: Vec<_> = (0..168)
        .filter(|&k| grid[k].0.is_some() || grid[k].1.is_some())
        .map(|k| {
            let cell = format!("{}-{:02}", WEEKDAYS[k / 24], k % 24);
            view! { <span data-cell=cell data-required=num(grid[k].0) data-staffed=num(grid[k].1)></span> }
        })
        .collect();
    view! {
        <section class="panel" aria-label="Staffing" data-testid="staffing-panel" data-gap=has_staffed.to_string()>
            <h2>"Staffing"</h2>
            <SvgChart title=c.title.clone() svg=svg table=table testid="staffing" class="heatmap" />
            <div hidden data-testid="staffing-cells">{parts}</div>
        </section>
    }
}
