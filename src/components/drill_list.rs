//! The contacts behind a number: the rows the current filter selects that the KPI is taken
//! over (CSAT's answered surveys, AHT's handled contacts: the engine's `kpi::Basis`), narrowed further
//! by a heatmap cell (`cell=mon-09`), paged and sortable, with CSV export of every row. The rows come
//! from the engine's compiled [`omnikpi_engine::query::RowFilter`].

use super::export::{ExportButtons, Table};
use super::view_ctx::{Ctx, Nav};
use leptos::prelude::*;
use omnikpi_engine::kpi::Basis;
use omnikpi_engine::model::flag;
use omnikpi_engine::query::WEEKDAYS;
use omnikpi_engine::time::{Bucket, TzCache, DAY};

thread_local! {
    /// What the list showed last (`rows|cell`), empty when it is closed.
    static LAST_SHOWN: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Rows per page.
pub const PAGE: usize = 25;

const COLS: [&str; 10] = [
    "id",
    "arrived_at",
    "channel",
    "team",
    "topic",
    "first_response_s",
    "handle_s",
    "abandoned",
    "resolved",
    "csat",
];

/// The hour of week (`weekday·24 + hour`) of a `cell=mon-09` value.
pub fn cell_how(cell: &str) -> Option<u8> {
    let (d, h) = cell.split_once('-')?;
    let d = WEEKDAYS.iter().position(|w| *w == d)?;
    let h: usize = h.parse().ok().filter(|h| *h < 24)?;
    Some((d * 24 + h) as u8)
}

/// Row indices of the drill-down, in arrival order.
pub fn drill_rows(ctx: &Ctx) -> Vec<usize> {
    let e = &ctx.engine;
    let kpi = ctx.param("rows").unwrap_or("contacts");
    let basis = Basis::of(kpi);
    // The queue is of every contact in progress at now, whatever day it arrived (as the now
    // strip counts it), not of the period's arrivals.
    let q = match basis {
        Basis::Queue => ctx.queue_query(),
        _ => ctx.resolved.query.clone(),
    };
    let Ok(f) = e.filter(&q) else {
        return Vec::new();
    };
    let how = ctx.param("cell").and_then(cell_how);
    let rows = e.rows(Some(ctx.now));
    let prep = e.prepared();
    let c = &e.dataset().contacts;
    let mut out = Vec::new();
    f.for_each(c, prep, |i| {
        if how.is_none_or(|h| prep.how[i] % 168 == h) && rows.takes_over(basis, i) {
            out.push(i);
        }
    });
    out
}

fn cell(ctx: &Ctx, tz: &mut TzCache, i: usize, col: &str) -> String {
    let c = &ctx.engine.dataset().contacts;
    let opt = |x: Option<f32>| x.map(|v| v.to_string()).unwrap_or_default();
    let dim = |n: &str| c.dim(n).map(|d| d.value(i).to_string()).unwrap_or_default();
    match col {
        "id" => c.ids.get(i),
        "arrived_at" => {
            let l = tz.local(c.arrived[i]);
            let d = l.div_euclid(DAY);
            let s = l - d * DAY;
            format!(
                "{} {:02}:{:02}:{:02}",
                Bucket::Day.label(d),
                s / 3600,
                (s / 60) % 60,
                s % 60
            )
        }
        "channel" => c.channel[i].as_str().to_string(),
        "team" | "topic" => dim(col),
        "first_response_s" => opt(c.first_response.get(i)),
        "handle_s" => opt(c.handle.get(i)),
        // "unknown" where the source did not say, as the data export writes it.
        "abandoned" if c.has(i, flag::ABANDON_UNKNOWN) => {
            omnikpi_engine::io::ABANDON_UNKNOWN_CELL.to_string()
        }
        "abandoned" => c.has(i, flag::ABANDONED).to_string(),
        "resolved" => c.has(i, flag::RESOLVED).to_string(),
        "csat" => c.csat.get(i).map(|v| v.to_string()).unwrap_or_default(),
        _ => String::new(),
    }
}

/// The drill-down rows as a table, sorted by `sort` (`col` or `-col`).
pub fn drill_table(ctx: &Ctx, rows: &[usize], sort: &str) -> Table {
    let mut tz = TzCache::new(ctx.engine.prepared().tz);
    let data: Vec<Vec<String>> = rows
        .iter()
        .map(|&i| COLS.iter().map(|c| cell(ctx, &mut tz, i, c)).collect())
        .collect();
    let mut t = Table {
        head: COLS.iter().map(|c| c.to_string()).collect(),
        drills: vec![None; data.len()],
        rows: data,
        fmts: Vec::new(),
    };
    t.sort(sort);
    t
}

/// The drill-down list, shown when the URL has `rows=<kpi>`.
#[component]
pub fn DrillList(
    /// The view's context.
    ctx: Ctx,
) -> impl IntoView {
    let nav = expect_context::<Nav>();
    let Some(kpi) = ctx.param("rows").map(str::to_string) else {
        LAST_SHOWN.with(|k| k.borrow_mut().clear());
        return ().into_any();
    };
    if ctx.engine.is_cube() {
        return super::needs_rows(&format!("Contacts behind {kpi}"));
    }
    let sort = ctx.param("sort").unwrap_or("arrived_at").to_string();
    let page: usize = ctx
        .param("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    let rows = drill_rows(&ctx);
    let table = drill_table(&ctx, &rows, &sort);
    let pages = table.rows.len().div_ceil(PAGE).max(1);
    let page = page.min(pages);
    let shown = table.rows.iter().skip((page - 1) * PAGE).take(PAGE);
    let head = COLS
        .iter()
        .map(|c| {
            let (nav, c) = (nav.clone(), c.to_string());
            let state = if sort == c { "ascending" } else if sort == format!("-{c}") { "descending" } else { "none" };
            let next = if sort == c { format!("-{c}") } else { c.clone() };
            view! {
                <th scope="col" aria-sort=state>
                    <button type="button" class="linkish" data-sort=c.clone()
                        on:click=move |_| nav.change(&[("sort", Some(next.clone())), ("page", None)])>{c.clone()}</button>
                </th>
            }
        })
        .collect_view();
    let body = shown
        .map(|r| view! { <tr>{r.iter().map(|c| view! { <td>{c.clone()}</td> }).collect_view()}</tr> })
        .collect_view();
    let go = |p: usize| {
        let nav = nav.clone();
        move |_| nav.change(&[("page", Some(p.to_string()))])
    };
    let close = {
        let nav = nav.clone();
        move |_| {
            nav.change(&[
                ("rows", None),
                ("sort", None),
                ("page", None),
                ("cell", None),
            ])
        }
    };
    let scope = match ctx.param("cell") {
        Some(c) => format!(", {}:00", c.replace('-', " ")),
        None => String::new(),
    };
    let n = table.rows.len();
    let (first_page, last_page) = (page <= 1, page >= pages);
    let title = match kpi.as_str() {
        "contacts" => format!(
            "Contacts{scope}: {}",
            crate::format::group_thousands(n as i64)
        ),
        _ => format!(
            "Contacts behind {kpi}{scope}: {}",
            crate::format::group_thousands(n as i64)
        ),
    };
    // The list opens at the top of the view, often far above what was clicked (a heatmap
    // cell, a table row): bring it into sight.
    // Only when the list opens or changes what it lists: the view is drawn again on every URL
    // change, and a filter changed with the list open should not jump the page to it.
    let node = NodeRef::<leptos::html::Section>::new();
    let key = format!("{kpi}|{}", ctx.param("cell").unwrap_or(""));
    Effect::new(move |_| {
        if let Some(el) = node.get() {
            if LAST_SHOWN.with(|k| k.replace(key.clone())) != key {
                el.scroll_into_view();
            }
        }
    });
    view! {
        <section node_ref=node class="drill panel" data-testid="drill-list" data-count=n aria-label="Contacts behind the number">
            <header class="drill-head">
                <h2>{title}</h2>
                <ExportButtons name=format!("contacts-{kpi}") table=Some(table.clone()) svg=None />
                <button type="button" data-testid="drill-close" on:click=close>"Close"</button>
            </header>
            <div class="table-wrap">
                <table>
                    <thead><tr>{head}</tr></thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            <nav class="pager" aria-label="Pages">
                <button type="button" data-testid="page-prev" disabled=first_page on:click=go(page.saturating_sub(1).max(1))>"‹ Previous"</button>
                <span data-testid="page-info">{format!("Page {page} of {pages}")}</span>
                <button type="button" data-testid="page-next" disabled=last_page on:click=go((page + 1).min(pages))>"Next ›"</button>
            </nav>
        </section>
    }
    .into_any()
}
