//! A chart drawn by [`crate::chart`] as inline SVG, with an accessible name, one tooltip for the
//! region under the pointer or the keyboard focus (its `data-tip`), click-to-drill on regions that
//! carry `data-drill`, a table alternative in a `<details>`, and CSV/SVG/PNG export.

use super::data_table::DataTable;
use super::export::{ExportButtons, Table};
use super::view_ctx::Nav;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Arrow keys on a grid's cell (a chart whose cells are one keyboard stop): focus moves to the
/// nearest cell that way, in the same row or column, and that cell becomes the chart's stop.
fn grid_neighbour(ev: &web_sys::KeyboardEvent) -> Option<()> {
    let (dx, dy) = match ev.key().as_str() {
        "ArrowLeft" => (-1.0, 0.0),
        "ArrowRight" => (1.0, 0.0),
        "ArrowUp" => (0.0, -1.0),
        "ArrowDown" => (0.0, 1.0),
        _ => return None,
    };
    let el = |t: Option<web_sys::EventTarget>| t?.dyn_into::<web_sys::Element>().ok();
    let cell = el(ev.target()).filter(|e| e.has_attribute("data-drill"))?;
    let chart = el(ev.current_target())?;
    let at = |e: &web_sys::Element| {
        let n = |a: &str| e.get_attribute(a)?.parse::<f64>().ok();
        Some((n("x")?, n("y")?))
    };
    let (x0, y0) = at(&cell)?;
    let cells = chart.query_selector_all("rect[data-drill]").ok()?;
    let mut best: Option<(f64, web_sys::Element)> = None;
    for i in 0..cells.length() {
        let Some(c) = cells
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        let Some((x, y)) = at(&c) else { continue };
        // Ahead in the key's direction, on the same row or column (cells are drawn aligned).
        let ahead = (x - x0) * dx + (y - y0) * dy;
        let aside = (x - x0) * dy + (y - y0) * dx;
        if ahead > 0.5 && aside.abs() < 0.5 && best.as_ref().is_none_or(|(d, _)| ahead < *d) {
            best = Some((ahead, c));
        }
    }
    let (_, next) = best?;
    let _ = cell.set_attribute("tabindex", "-1");
    let _ = next.set_attribute("tabindex", "0");
    next.dyn_into::<web_sys::SvgElement>().ok()?.focus().ok()
}

/// An SVG chart with its table alternative.
#[component]
pub fn SvgChart(
    /// Accessible name.
    title: String,
    /// The SVG document.
    svg: String,
    /// The same values as a table.
    #[prop(optional)]
    table: Option<Table>,
    /// Test id.
    #[prop(optional)]
    testid: &'static str,
    /// Extra class (`heatmap`).
    #[prop(optional)]
    class: &'static str,
) -> impl IntoView {
    let nav = use_context::<Nav>();
    let name = testid.to_string();
    let on_click = move |ev: web_sys::MouseEvent| {
        let target = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let drill = target
            .and_then(|e| e.closest("[data-drill]").ok().flatten())
            .and_then(|e| e.get_attribute("data-drill"));
        if let (Some(d), Some(nav)) = (drill, &nav) {
            nav.drill(&d);
        }
    };
    let nav2 = use_context::<Nav>();
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if grid_neighbour(&ev).is_some() {
            ev.prevent_default();
            return;
        }
        if ev.key() != "Enter" && ev.key() != " " {
            return;
        }
        let drill = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.get_attribute("data-drill"));
        if let (Some(d), Some(nav)) = (drill, &nav2) {
            ev.prevent_default();
            nav.drill(&d);
        }
    };
    // The text of the region under the pointer (or focused), and where to show it: centred
    // above the region, in pixels from the chart's top left.
    let tip = RwSignal::new(None::<(String, f64, f64)>);
    let show = move |target: Option<web_sys::EventTarget>, chart: Option<web_sys::EventTarget>| {
        let region = target
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("[data-tip]").ok().flatten());
        let chart = chart.and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let at = region.zip(chart).and_then(|(r, c)| {
            let text = r.get_attribute("data-tip")?;
            let (a, b) = (r.get_bounding_client_rect(), c.get_bounding_client_rect());
            Some((
                text,
                a.left() - b.left() + a.width() / 2.0,
                a.top() - b.top(),
            ))
        });
        if tip.get_untracked() != at {
            tip.set(at);
        }
    };
    let empty = table.as_ref().is_some_and(|t| t.rows.is_empty());
    let body = if empty {
        view! { <p class="empty" data-testid="empty">"No data for this filter."</p> }.into_any()
    } else {
        view! {
            <div class="chart-svg" inner_html=svg.clone() on:click=on_click on:keydown=on_key
                on:mouseover=move |ev| show(ev.target(), ev.current_target())
                on:focusin=move |ev| show(ev.target(), ev.current_target())
                on:mouseleave=move |_| tip.set(None)
                on:focusout=move |_| tip.set(None)></div>
            {move || tip.get().map(|(text, x, y)| view! {
                <div class="chart-tip" role="tooltip" data-testid="chart-tip"
                    style=format!("left:{x:.0}px;top:{y:.0}px")>{text}</div>
            })}
        }
        .into_any()
    };
    // The table is built when the <details> first opens: closed, it is only hidden, and a
    // heatmap's 170 cells per chart were a third of the elements the browser styled and laid out
    // again on every filter change. Assistive technology sees a closed <details>' content no
    // more than the eye does.
    let alt = table.clone().filter(|t| !t.rows.is_empty()).map(|t| {
        let cap = format!("{title} (table)");
        let n = name.clone();
        let opened = RwSignal::new(false);
        view! {
            <details class="table-alt" on:toggle=move |_| opened.set(true)>
                <summary>"Table"</summary>
                {move || opened.get().then(|| {
                    view! { <DataTable caption=cap.clone() table=t.clone() name=n.clone() no_export=true /> }
                })}
            </details>
        }
    });
    let svg_export = (!empty).then(|| crate::chart::for_export(&svg, &title));
    view! {
        <figure class=format!("chart {class}") data-testid=testid aria-label=title.clone()>
            <figcaption>
                <span>{title.clone()}</span>
                <ExportButtons name=name.clone() table=table.clone().filter(|t| !t.rows.is_empty()) svg=svg_export />
            </figcaption>
            <div class="chart-body" role="img" aria-label=title.clone()>{body}</div>
            {alt}
        </figure>
    }
}
