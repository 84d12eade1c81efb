//! Today's contacts per hour against the same weekday of each of the last four weeks.

use crate::chart::{line_svg, LineChart, LineSeries, GREY, PALETTE};
use crate::components::{Ctx, SvgChart, Table};
use crate::filters::{day_str, query_for};
use crate::format::fmt_count;
use leptos::prelude::*;
use omnikpi_engine::time::Bucket;

/// The intraday chart.
pub fn intraday(ctx: &Ctx) -> impl IntoView {
    let e = &ctx.engine;
    let day = ctx.resolved.range.1;
    let hours = |d: i64| -> Vec<Option<f64>> {
        e.series(
            &query_for(&ctx.filters, (d, d)),
            "contacts",
            Bucket::Hour,
            None,
        )
        .ok()
        .and_then(|s| s.into_iter().next())
        .map(|s| s.points.into_iter().map(|p| p.1).collect())
        .unwrap_or_default()
    };
    // "today" only when it is: a period that ended before names its last day by its date.
    let which = match day == ctx.today {
        true => " (today)",
        false => "",
    };
    let mut series = vec![LineSeries {
        label: format!("{}{which}", day_str(day)),
        values: hours(day),
        color: PALETTE[0],
        dashed: false,
    }];
    for k in 1..=4 {
        let d = day - 7 * k;
        // A week before the data began has no line: its hours are no data, not zero.
        if d < ctx.data_days.0 {
            continue;
        }
        series.push(LineSeries {
            label: format!("{} (−{k} wk)", day_str(d)),
            values: hours(d),
            color: GREY,
            dashed: true,
        });
    }
    let x_labels: Vec<String> = (0..24).map(|h| format!("{h:02}")).collect();
    let hour_labels: Vec<String> = (0..24).map(|h| format!("{h:02}:00")).collect();
    let table = Table::series("hour", &hour_labels, &series).values_as(fmt_count);
    let chart = LineChart {
        title: format!(
            "Contacts per hour on {} vs the same weekday of the last 4 weeks",
            day_str(day)
        ),
        x_labels,
        y_fmt: fmt_count,
        series,
        stacked: false,
        band: None,
        partial: Vec::new(),
    };
    let svg = line_svg(&chart, 640, 280);
    view! { <SvgChart title=chart.title.clone() svg=svg table=table testid="intraday" /> }
}
