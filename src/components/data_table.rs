//! A plain table of a [`Table`], with rows that narrow the filter when they have a drill
//! (a button in the first cell, so it works from the keyboard), optionally sortable by a URL key,
//! and its CSV export. Numbers are shown as the table's formats say, each with the CSV's value
//! as its `data-value`.

use super::export::{ExportButtons, Table};
use super::view_ctx::Nav;
use leptos::prelude::*;

/// A column's heading on the page: a KPI's name for a KPI id (`aht_s`: "Average handle
/// time"), else the CSV's name with blanks for underscores; the CSV keeps the ids.
fn heading(id: &str) -> String {
    match omnikpi_engine::kpi::kpi(id) {
        Some(d) if id != "contacts" => d.name.to_string(),
        _ => id.replace('_', " "),
    }
}

/// A table with its CSV export; empty tables say so.
#[component]
pub fn DataTable(
    /// Caption (accessible name).
    caption: String,
    /// The table.
    table: Table,
    /// Export file name.
    name: String,
    /// Test id.
    #[prop(optional)]
    testid: &'static str,
    /// Leave out the export buttons (when the caller shows them).
    #[prop(optional)]
    no_export: bool,
    /// URL key holding the sort (`col` or `-col`); the headers become sort buttons.
    #[prop(optional)]
    sort: Option<&'static str>,
) -> impl IntoView {
    let nav = use_context::<Nav>();
    if table.rows.is_empty() {
        return view! { <p class="empty" data-testid="empty">{format!("{caption}: no data for this filter.")}</p> }.into_any();
    }
    let mut table = table;
    let by = match (sort, &nav) {
        (Some(key), Some(nav)) => nav.pairs().with_untracked(|p| {
            p.iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        }),
        _ => None,
    };
    if let Some(by) = &by {
        table.sort(by);
    }
    let by = by.unwrap_or_default();
    let head = table
        .head
        .iter()
        .map(|h| match (sort, &nav) {
            (Some(key), Some(nav)) => {
                let state = if by == *h { "ascending" } else if by == format!("-{h}") { "descending" } else { "none" };
                let next = if by == *h { format!("-{h}") } else { h.clone() };
                let nav = nav.clone();
                view! { <th scope="col" aria-sort=state><button type="button" class="linkish" data-sort=h.clone()
                    on:click=move |_| nav.change(&[(key, Some(next.clone()))])>{heading(h)}</button></th> }.into_any()
            }
            _ => view! { <th scope="col" data-col=h.clone()>{heading(h)}</th> }.into_any(),
        })
        .collect_view();
    let rows = table
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let drill = table.drills.get(i).cloned().flatten();
            let cells = r.iter().enumerate().map(|(k, c)| {
                match (k, &drill, &nav) {
                    (0, Some(d), Some(nav)) => {
                        let (d, nav) = (d.clone(), nav.clone());
                        view! { <th scope="row"><button type="button" class="linkish" data-drill=d.clone()
                            on:click=move |_| nav.drill(&d)>{c.clone()}</button></th> }.into_any()
                    }
                    (0, _, _) => view! { <th scope="row">{c.clone()}</th> }.into_any(),
                    _ => {
                        let (text, value) = table.shown(k, c);
                        view! { <td data-value=value>{text}</td> }.into_any()
                    }
                }
            }).collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    let export = (!no_export)
        .then(|| view! { <ExportButtons name=name table=Some(table.clone()) svg=None /> });
    view! {
        <div class="table-wrap" data-testid=testid>
            <table>
                <caption>{caption}</caption>
                <thead><tr>{head}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {export}
        </div>
    }
    .into_any()
}
