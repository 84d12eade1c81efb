//! Weekly (last 13 weeks) and monthly (last 12 months) trends of a KPI (`?tk=`), ending with the
//! period, with the previous period and the same period last year overlaid. Both are whole
//! calendar buckets (ISO weeks from Monday, months from the 1st) up to the one holding the
//! period's last day, which may be partial.

use crate::chart::{line_svg, LineChart, LineSeries, GREY, PALETTE};
use crate::components::{Ctx, KpiPicker, SvgChart, Table};
use crate::filters::query_for;
use crate::format::{axis_fmt, partial_notes, unit_of, Unit};
use leptos::prelude::*;
use omnikpi_engine::analysis::last_buckets;
use omnikpi_engine::kpi::kpi;
use omnikpi_engine::time::Bucket;

/// KPIs the trend picker offers.
pub const TREND_KPIS: [&str; 8] = [
    "csat",
    "nps",
    "ces",
    "fcr",
    "art_s",
    "cost_per_resolution",
    "sla",
    "contacts",
];

fn cell(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

fn one(
    ctx: &Ctx,
    id: &str,
    bucket: Bucket,
    range: (i64, i64),
    testid: &'static str,
    what: &str,
) -> impl IntoView {
    let def = kpi(id);
    let name = def.map_or(id, |d| d.name);
    let fmt = axis_fmt(def.map_or(Unit::Count, |d| unit_of(d.unit)));
    let q = query_for(&ctx.filters, range);
    let t = ctx.engine.trend(&q, id, bucket, 4).ok();
    let cov = ctx.engine.coverage(&q, bucket);
    let points = t.map(|t| t.points).unwrap_or_default();
    let has = points.iter().any(|p| p.value.is_some());
    let col = |f: fn(&omnikpi_engine::analysis::TrendPoint) -> Option<f64>| {
        points.iter().map(f).collect::<Vec<_>>()
    };
    let series = vec![
        LineSeries {
            label: name.to_string(),
            values: col(|p| p.value),
            color: PALETTE[0],
            dashed: false,
        },
        LineSeries {
            label: "previous period".into(),
            values: col(|p| p.previous),
            color: GREY,
            dashed: true,
        },
        LineSeries {
            label: "last year".into(),
            values: col(|p| p.last_year),
            color: PALETTE[5],
            dashed: true,
        },
    ];
    let table = Table {
        head: [
            bucket.as_str(),
            id,
            "previous_period",
            "last_year",
            "moving_average",
        ]
        .map(String::from)
        .to_vec(),
        rows: if has {
            points
                .iter()
                .map(|p| {
                    vec![
                        p.label.clone(),
                        cell(p.value),
                        cell(p.previous),
                        cell(p.last_year),
                        cell(p.moving_average),
                    ]
                })
                .collect()
        } else {
            Vec::new()
        },
        drills: vec![None; points.len()],
        fmts: Vec::new(),
    }
    .values_as(fmt);
    let chart = LineChart {
        title: format!("{name}, {what}"),
        x_labels: points.iter().map(|p| p.label.clone()).collect(),
        y_fmt: fmt,
        series,
        stacked: false,
        band: None,
        partial: partial_notes(cov.iter().map(|c| &c.1)),
    };
    let svg = line_svg(&chart, 640, 280);
    view! { <SvgChart title=chart.title.clone() svg=svg table=table testid=testid /> }
}

/// The trends section.
pub fn trends(ctx: &Ctx) -> impl IntoView {
    let id = TREND_KPIS
        .iter()
        .copied()
        .find(|k| ctx.param("tk") == Some(*k))
        .unwrap_or("csat");
    let end = ctx.resolved.range.1;
    let weekly = one(
        ctx,
        id,
        Bucket::Week,
        last_buckets(Bucket::Week, end, 13),
        "trend-weekly",
        "weekly, last 13 weeks",
    );
    let monthly = one(
        ctx,
        id,
        Bucket::Month,
        last_buckets(Bucket::Month, end, 12),
        "trend-monthly",
        "monthly, last 12 months",
    );
    view! {
        <section aria-label="Trends">
            <h2>"Trends"</h2>
            <KpiPicker label="Trend of " testid="trend-kpi" key="tk" ids=&TREND_KPIS selected=id />
            <div class="grid-2">{weekly}{monthly}</div>
        </section>
    }
}
