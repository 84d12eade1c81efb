//! Coverage: for each optional contact field, the share of rows that have a value, over all
//! rows and per channel. Read straight from the engine's columns (data description, no KPI).

use crate::data::Loaded;
use crate::format::group_thousands;
use leptos::prelude::*;
use omnikpi_engine::model::{Channel, Contacts, CUSTOMER_DIM};

type Has = fn(&Contacts, usize) -> bool;

fn dim(c: &Contacts, name: &str, i: usize) -> bool {
    c.dim(name).is_some_and(|d| d.codes.get(i) != 0)
}

/// Optional fields and how to tell that row `i` has a value.
const FIELDS: &[(&str, Has)] = &[
    ("customer_id", |c, i| {
        c.dims
            .get(CUSTOMER_DIM)
            .is_some_and(|d| d.codes.get(i) != 0)
    }),
    ("first_response_s", |c, i| c.first_response.get(i).is_some()),
    ("handle_s", |c, i| c.handle.get(i).is_some()),
    ("closed_at", |c, i| c.close_after.get(i).is_some()),
    ("agent_id", |c, i| dim(c, "agent_id", i)),
    ("team", |c, i| dim(c, "team", i)),
    ("topic", |c, i| dim(c, "topic", i)),
    ("segment", |c, i| dim(c, "segment", i)),
    ("region", |c, i| dim(c, "region", i)),
    ("priority", |c, i| dim(c, "priority", i)),
    ("handoff_s", |c, i| c.handoff.get(i).is_some()),
    ("cost", |c, i| c.cost.get(i).is_some()),
    ("revenue", |c, i| c.revenue.get(i).is_some()),
    ("csat", |c, i| c.csat.get(i).is_some()),
    ("nps", |c, i| c.nps.get(i).is_some()),
    ("ces", |c, i| c.ces.get(i).is_some()),
    ("sentiment", |c, i| c.sentiment.get(i).is_some()),
    ("qa_accuracy", |c, i| c.qa[0].get(i).is_some()),
    ("qa_professionalism", |c, i| c.qa[1].get(i).is_some()),
    ("qa_problem_solving", |c, i| c.qa[2].get(i).is_some()),
    ("qa_compliance", |c, i| c.qa[3].get(i).is_some()),
];

struct Table {
    channels: Vec<(Channel, u64)>,
    total: u64,
    /// Per field: (name, rows with a value overall, per channel in `channels` order).
    rows: Vec<(String, u64, Vec<u64>)>,
}

fn compute(c: &Contacts) -> Table {
    let n = c.len();
    let mut per_channel = [0u64; Channel::COUNT];
    for ch in &c.channel {
        per_channel[*ch as usize] += 1;
    }
    let channels: Vec<(Channel, u64)> = Channel::ALL
        .into_iter()
        .filter(|ch| per_channel[*ch as usize] > 0)
        .map(|ch| (ch, per_channel[ch as usize]))
        .collect();
    let mut rows = Vec::new();
    let count = |has: &dyn Fn(usize) -> bool| {
        let mut by = [0u64; Channel::COUNT];
        for i in 0..n {
            if has(i) {
                by[c.channel[i] as usize] += 1;
            }
        }
        by
    };
    let mut push = |name: String, by: [u64; Channel::COUNT]| {
        let total = by.iter().sum();
        let cells = channels.iter().map(|(ch, _)| by[*ch as usize]).collect();
        rows.push((name, total, cells));
    };
    for (name, has) in FIELDS {
        push(name.to_string(), count(&|i| has(c, i)));
    }
    // Extra dimension columns of the file.
    for d in c
        .dims
        .iter()
        .skip(omnikpi_engine::model::STANDARD_DIMS.len())
    {
        push(d.name.clone(), count(&|i| d.codes.get(i) != 0));
    }
    Table {
        channels,
        total: n as u64,
        rows,
    }
}

fn share(k: u64, n: u64) -> (String, String) {
    if n == 0 {
        return ("—".into(), String::new());
    }
    let f = k as f64 / n as f64;
    (format!("{:.1} %", f * 100.0), f.to_string())
}

fn cell(testid: String, k: u64, n: u64) -> impl IntoView {
    let (shown, raw) = share(k, n);
    let level = match k as f64 / n.max(1) as f64 {
        x if x >= 0.95 => "cov-full",
        x if x > 0.0 => "cov-part",
        _ => "cov-none",
    };
    view! { <td class=format!("num {level}") data-testid=testid data-value=raw>{shown}</td> }
}

/// Coverage table of the loaded contacts.
#[component]
pub fn Coverage(loaded: Loaded) -> AnyView {
    if loaded.engine.is_cube() {
        return crate::components::needs_rows("Coverage of the contact fields");
    }
    let t = compute(&loaded.engine.dataset().contacts);
    let head: Vec<_> = t
        .channels
        .iter()
        .map(|(ch, n)| view! { <th class="num">{ch.as_str()}<br /><span class="muted">{group_thousands(*n as i64)}</span></th> })
        .collect();
    let total = t.total;
    let channels = t.channels.clone();
    let body: Vec<_> = t
        .rows
        .into_iter()
        .map(|(name, all, cells)| {
            let per: Vec<_> = cells
                .into_iter()
                .zip(&channels)
                .map(|(k, (ch, n))| cell(format!("coverage-{name}-{}", ch.as_str()), k, *n))
                .collect();
            view! {
                <tr>
                    <th scope="row"><code>{name.clone()}</code></th>
                    {cell(format!("coverage-{name}-all"), all, total)}
                    {per}
                </tr>
            }
        })
        .collect();
    view! {
        <section class="panel" aria-labelledby="coverage-h">
            <h2 id="coverage-h">"Coverage"</h2>
            <p class="muted">"Share of contacts with a value, per field, over all rows and per channel."</p>
            <div class="table-scroll">
                <table class="table coverage" data-testid="coverage">
                    <thead><tr><th>"Field"</th><th class="num">"All"<br /><span class="muted">{group_thousands(total as i64)}</span></th>{head}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}
