//! The weekday × hour heatmap with a KPI picker (`?hm=`); a cell opens the contacts behind it.

use crate::chart::{heatmap_svg, HeatmapChart};
use crate::components::{Ctx, KpiPicker, SvgChart, Table};
use crate::format::{axis_fmt, unit_of};
use leptos::prelude::*;
use omnikpi_engine::kpi::kpi;

/// KPIs the picker offers.
pub const HEATMAP_KPIS: [&str; 6] = [
    "contacts",
    "sla",
    "first_response_mean_s",
    "abandonment_rate",
    "aht_s",
    "csat",
];

/// The heatmap section.
pub fn heatmap(ctx: &Ctx) -> impl IntoView {
    let id = HEATMAP_KPIS
        .iter()
        .copied()
        .find(|k| ctx.param("hm") == Some(*k))
        .unwrap_or("contacts");
    let def = kpi(id);
    let name = def.map_or(id, |d| d.name);
    let fmt = axis_fmt(def.map_or(crate::format::Unit::Count, |d| unit_of(d.unit)));
    let h = ctx.engine.heatmap(&ctx.resolved.query, id).ok();
    let chart = h.map(|h| {
        let has_data = h.cells.iter().flatten().any(|c| c.is_some_and(|v| v != 0.0));
        let mut table = Table::matrix("weekday", &h.cols, &h.rows, &h.cells).values_as(fmt);
        if !has_data {
            table.rows.clear();
        }
        let c = HeatmapChart {
            title: format!("{name} by weekday and hour"),
            rows: h.rows,
            cols: h.cols,
            cells: h.cells,
            fmt,
            label: |r, c| format!("{r} {c}:00"),
            // The contacts of the cell's weekday-hour that its KPI is taken over, opened at
            // once (`rows=`).
            drill: Some(std::rc::Rc::new(move |r, c| format!("rows={id}&cell={r}-{c}"))),
        };
        let svg = heatmap_svg(&c, 900, 300);
        view! { <SvgChart title=c.title.clone() svg=svg table=table testid="heatmap" class="heatmap" /> }
    });
    view! {
        <section class="panel" aria-label="Weekday by hour">
            <KpiPicker label="Heatmap of " testid="heatmap-kpi" key="hm" ids=&HEATMAP_KPIS selected=id />
            {chart}
        </section>
    }
}
