//! The overview: headline tiles and the daily volume trend of the loaded data.

use crate::chart::{line_chart_svg, LineChart, LineSeries};
use crate::components::{KpiTile, SvgChart};
use crate::data::Loaded;
use crate::format::Unit;
use crate::store::Store;
use leptos::prelude::*;
use omnikpi_engine::query::{Dim, Query};
use plotters::style::RGBColor;

fn day_label(x: f64) -> String {
    chrono::DateTime::from_timestamp((x as i64) * 86_400, 0)
        .map(|d| d.format("%b %d").to_string())
        .unwrap_or_default()
}

fn count_label(y: f64) -> String {
    crate::format::group_thousands(y.round() as i64)
}

/// Overview page.
#[component]
pub fn Overview() -> impl IntoView {
    let store = expect_context::<Store>();
    view! {
        <section class="view">
            <h1>"Overview"</h1>
            {move || match store.data.get() {
                Some(l) => overview_body(&l).into_any(),
                None => view! { <p class="loading" data-testid="loading">"Loading data…"</p> }.into_any(),
            }}
        </section>
    }
}

fn overview_body(l: &Loaded) -> impl IntoView {
    let engine = &l.engine;
    let report = &engine.dataset().report;
    let total = engine
        .report(&Query::default())
        .ok()
        .and_then(|g| g.into_iter().next());
    let v = |id: &str| total.as_ref().and_then(|g| g.get(id));
    let daily = engine
        .report(&Query::default().group_by(Dim::parse("day")))
        .unwrap_or_default();
    let points = daily
        .iter()
        .filter_map(|g| {
            let day = chrono::NaiveDate::parse_from_str(&g.key.first()?.1, "%Y-%m-%d").ok()?;
            let x = day
                .signed_duration_since(chrono::NaiveDate::default())
                .num_days() as f64;
            Some((x, g.get("contacts")?))
        })
        .collect();
    let chart = LineChart {
        title: "Contacts per day".into(),
        x_fmt: day_label,
        y_fmt: count_label,
        series: vec![LineSeries {
            label: "contacts".into(),
            points,
            color: RGBColor(44, 62, 122),
            dashed: false,
        }],
    };
    let svg = line_chart_svg(&chart, 720, 260);
    view! {
        <p class="source" data-testid="rows-loaded">
            {format!("{} rows loaded, {} rejected, from {}", report.rows_loaded, report.rows_rejected, l.source)}
        </p>
        <div class="tiles">
            <KpiTile id="contacts" label="Contacts" value=v("contacts") unit=Unit::Count formula="count of contacts offered" />
            <KpiTile id="aht_s" label="AHT" value=v("aht_s") unit=Unit::Seconds formula="Σ handle_s / contacts with handle_s" />
            <KpiTile id="csat" label="CSAT" value=v("csat") unit=Unit::Score formula="mean of csat (1–5)" />
        </div>
        <SvgChart title=chart.title.clone() svg=svg testid="trend-contacts" />
    }
}
