//! Problems of the load grouped by reason: rejected rows and warnings, counts and the first
//! examples (file, line, field, value), and the rejected rows as a CSV download.

use crate::data::Loaded;
use crate::format::group_thousands;
use crate::import::download;
use leptos::either::Either;
use leptos::prelude::*;
use omnikpi_engine::report::{Problem, Reason};

/// Examples shown per reason.
const EXAMPLES: usize = 3;

/// The snake_case id of a reason (as in the CSV).
pub fn reason_id(r: Reason) -> String {
    serde_json::to_value(r)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

#[derive(Default)]
struct Group<'a> {
    rejected: usize,
    warnings: usize,
    examples: Vec<&'a Problem>,
}

fn example_row(p: &Problem) -> impl IntoView {
    view! {
        <tr>
            <td>{p.file.clone()}</td>
            <td class="num">{p.line}</td>
            <td><code>{p.field.clone()}</code></td>
            <td class="value"><code>{p.value.clone()}</code></td>
        </tr>
    }
}

/// The problems of the loaded data.
#[component]
pub fn Problems(loaded: Loaded) -> impl IntoView {
    let report = &loaded.engine.dataset().report;
    // By reason, in the order of `Reason` (a vector: a handful of reasons).
    let mut groups: Vec<(Reason, Group)> = Vec::new();
    for (p, rejected) in report
        .rejected
        .iter()
        .map(|p| (p, true))
        .chain(report.warnings.iter().map(|p| (p, false)))
    {
        let i = match groups.iter().position(|(r, _)| *r == p.reason) {
            Some(i) => i,
            None => {
                groups.push((p.reason, Group::default()));
                groups.len() - 1
            }
        };
        let g = &mut groups[i].1;
        if rejected {
            g.rejected += 1;
        } else {
            g.warnings += 1;
        }
        if g.examples.len() < EXAMPLES {
            g.examples.push(p);
        }
    }
    omnikpi_engine::sorting::sort_by(&mut groups, |a, b| a.0.cmp(&b.0));
    let n_rejected = report.rows_rejected;
    let empty = groups.is_empty();
    let rows: Vec<_> = groups
        .into_iter()
        .map(|(reason, g)| {
            let id = reason_id(reason);
            let shown_id = id.clone();
            let what = match (g.rejected, g.warnings) {
                (r, 0) => format!("{} rejected", group_thousands(r as i64)),
                (0, w) => format!("{} loaded with a warning", group_thousands(w as i64)),
                (r, w) => format!(
                    "{} rejected, {} loaded with a warning",
                    group_thousands(r as i64),
                    group_thousands(w as i64)
                ),
            };
            let examples: Vec<_> = g.examples.iter().map(|p| example_row(p)).collect();
            view! {
                <details class="problem" open=true data-testid="problem-group" data-reason=id
                    data-rejected=g.rejected.to_string() data-warnings=g.warnings.to_string()>
                    <summary>
                        <span class="problem-reason">{reason.describe()}</span>
                        " "<code class="muted">{shown_id}</code>" — "
                        <span class="problem-count">{what}</span>
                    </summary>
                    <table class="table examples">
                        <caption class="muted">"First examples"</caption>
                        <thead><tr><th>"File"</th><th>"Line"</th><th>"Field"</th><th>"Value"</th></tr></thead>
                        <tbody>{examples}</tbody>
                    </table>
                </details>
            }
        })
        .collect();
    let csv_loaded = loaded.clone();
    let on_download = move |_| {
        let csv = csv_loaded.engine.dataset().report.rejected_csv();
        download("rejected-rows.csv", "text/csv;charset=utf-8", &csv);
    };
    view! {
        <section class="panel" aria-labelledby="problems-h" data-testid="problems">
            <h2 id="problems-h">"Problems by reason"</h2>
            {if empty {
                Either::Left(view! { <p class="muted" data-testid="no-problems">"Every row loaded without a problem."</p> })
            } else {
                Either::Right(rows)
            }}
            <p>
                <button type="button" data-testid="download-rejected" on:click=on_download disabled=n_rejected == 0>
                    {format!("Download the {} rejected rows (CSV)", group_thousands(n_rejected as i64))}
                </button>
            </p>
        </section>
    }
}
