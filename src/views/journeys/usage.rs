//! Usage and resolutions per channel: a table (a channel narrows the filter to it) and bars.

use crate::chart::{bar_svg, BarChart};
use crate::components::{DataTable, SvgChart, Table};
use crate::format::{fmt_count, fmt_rate};
use leptos::prelude::*;
use omnikpi_engine::analysis::ChannelUsage;

fn drills(usage: &[ChannelUsage]) -> Vec<Option<String>> {
    usage
        .iter()
        .map(|u| Some(format!("channel={}", u.channel.as_str())))
        .collect()
}

/// Bars of one count per channel (`what`: `contacts`, `resolutions`).
pub fn bars(
    usage: &[ChannelUsage],
    title: &str,
    what: &'static str,
    value: fn(&ChannelUsage) -> u64,
) -> impl IntoView {
    let labels: Vec<String> = usage
        .iter()
        .map(|u| u.channel.as_str().to_string())
        .collect();
    let values: Vec<f64> = usage.iter().map(|u| value(u) as f64).collect();
    let table = Table {
        head: vec!["channel".into(), what.into()],
        rows: usage
            .iter()
            .map(|u| vec![u.channel.as_str().to_string(), value(u).to_string()])
            .collect(),
        drills: drills(usage),
        fmts: Vec::new(),
    }
    .values_as(fmt_count);
    let chart = BarChart {
        title: title.into(),
        labels,
        values,
        y_fmt: fmt_count,
        drill_key: Some("channel"),
    };
    let svg = bar_svg(&chart, 620, 260);
    let testid = if what == "contacts" {
        "usage-contacts"
    } else {
        "usage-resolutions"
    };
    view! { <SvgChart title=chart.title.clone() svg=svg table=table testid=testid /> }
}

/// The usage table: contacts and resolutions per channel with their shares (fractions in the
/// CSV, percentages on the page).
pub fn table(usage: &[ChannelUsage]) -> impl IntoView {
    let share = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    let table = Table {
        head: [
            "channel",
            "contacts",
            "share",
            "resolutions",
            "resolution_share",
        ]
        .map(String::from)
        .to_vec(),
        rows: usage
            .iter()
            .map(|u| {
                vec![
                    u.channel.as_str().to_string(),
                    u.contacts.to_string(),
                    share(Some(u.share)),
                    u.resolutions.to_string(),
                    share(u.resolution_share),
                ]
            })
            .collect(),
        drills: drills(usage),
        fmts: vec![
            None,
            Some(fmt_count),
            Some(fmt_rate),
            Some(fmt_count),
            Some(fmt_rate),
        ],
    };
    view! {
        <div class="panel">
            <DataTable caption="Usage and resolutions per channel".into() table=table
                name="channel-usage".into() testid="usage-table" />
        </div>
    }
}
