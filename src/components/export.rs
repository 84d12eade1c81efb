//! Downloads: CSV of tables, SVG of charts, and PNG of charts (the SVG drawn as an image on an
//! offscreen canvas; both come from blob: URLs, which the page's CSP allows for images).

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A table: header and rows of cells; `drills[i]` is what a click on row `i` narrows to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    /// Column names.
    pub head: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<String>>,
    /// Per row, the URL changes a click applies.
    pub drills: Vec<Option<String>>,
    /// Per column, how a number is shown on the page (`12.3 %`, `4:05`); the CSV keeps the
    /// cell as it is (fractions, seconds). A missing or `None` entry shows the cell as it is.
    pub fmts: Vec<Option<Format>>,
}

/// How a number is written for people (`crate::format::fmt_rate` and its kin).
pub type Format = fn(f64) -> String;

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

impl Table {
    /// A matrix as a table: the corner's name and the column names as the header, then one row
    /// per row label with its cells (the raw number, empty for no data). No drill-through.
    pub fn matrix(
        corner: &str,
        cols: &[String],
        rows: &[String],
        cells: &[Vec<Option<f64>>],
    ) -> Table {
        Table {
            head: std::iter::once(corner.to_string())
                .chain(cols.iter().cloned())
                .collect(),
            rows: rows
                .iter()
                .zip(cells)
                .map(|(r, c)| {
                    std::iter::once(r.clone())
                        .chain(
                            c.iter()
                                .map(|v| v.map(|x| x.to_string()).unwrap_or_default()),
                        )
                        .collect()
                })
                .collect(),
            drills: vec![None; rows.len()],
            fmts: Vec::new(),
        }
    }

    /// The table with every column after the first shown with `fmt` on the page.
    pub fn values_as(mut self, fmt: Format) -> Table {
        self.fmts = std::iter::once(None)
            .chain(self.head.iter().skip(1).map(|_| Some(fmt)))
            .collect();
        self
    }

    /// Cell `k` of `row` as the page shows it, and the cell itself when that differs (a
    /// number with a format; kept as the cell's `data-value`).
    pub fn shown(&self, k: usize, cell: &str) -> (String, Option<String>) {
        match (self.fmts.get(k).copied().flatten(), cell.parse::<f64>()) {
            (Some(fmt), Ok(v)) => (fmt(v), Some(cell.to_string())),
            _ => (cell.to_string(), None),
        }
    }

    /// Line series as a table: one row per x label, one column per series.
    pub fn series(corner: &str, labels: &[String], series: &[crate::chart::LineSeries]) -> Table {
        let cols: Vec<String> = series.iter().map(|s| s.label.clone()).collect();
        let cells: Vec<Vec<Option<f64>>> = (0..labels.len())
            .map(|i| {
                series
                    .iter()
                    .map(|s| s.values.get(i).copied().flatten())
                    .collect()
            })
            .collect();
        Table::matrix(corner, &cols, labels, &cells)
    }

    /// The table as CSV (RFC 4180 quoting).
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        for row in std::iter::once(&self.head).chain(self.rows.iter()) {
            let line: Vec<String> = row.iter().map(|c| csv_field(c)).collect();
            out.push_str(&line.join(","));
            out.push('\n');
        }
        out
    }

    /// Sorts the rows (with their drills) by `sort`, a column name, descending when it starts
    /// with `-`. A column whose every non-empty cell is a number sorts numerically, empty first.
    pub fn sort(&mut self, sort: &str) {
        let (desc, key) = match sort.strip_prefix('-') {
            Some(k) => (true, k),
            None => (false, sort),
        };
        let Some(k) = self.head.iter().position(|c| c == key) else {
            return;
        };
        let num = |s: &str| s.parse::<f64>().ok();
        let numeric = self
            .rows
            .iter()
            .all(|r| r[k].is_empty() || num(&r[k]).is_some());
        let mut rows: Vec<(Vec<String>, Option<String>)> = std::mem::take(&mut self.rows)
            .into_iter()
            .zip(self.drills.iter().cloned().chain(std::iter::repeat(None)))
            .collect();
        omnikpi_engine::sorting::sort_by(&mut rows, |(a, _), (b, _)| {
            let o = if numeric {
                let p = |s: &str| num(s).unwrap_or(f64::NEG_INFINITY);
                p(&a[k]).total_cmp(&p(&b[k]))
            } else {
                a[k].cmp(&b[k])
            };
            if desc {
                o.reverse()
            } else {
                o
            }
        });
        (self.rows, self.drills) = rows.into_iter().unzip();
    }
}

fn blob_url(data: &str, mime: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&JsValue::from_str(data));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

fn click_download(url: &str, filename: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(a) = doc.create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(url);
        a.set_download(filename);
        if let Some(body) = doc.body() {
            let _ = body.append_child(&a);
            a.click();
            let _ = body.remove_child(&a);
        }
    }
}

/// Downloads `data` as a file.
pub fn download_text(filename: &str, data: &str, mime: &str) {
    if let Some(url) = blob_url(data, mime) {
        click_download(&url, filename);
        let u = url.clone();
        // Revoke after the download has started.
        let cb = Closure::once_into_js(move || {
            let _ = web_sys::Url::revoke_object_url(&u);
        });
        if let Some(w) = web_sys::window() {
            let _ =
                w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), 5_000);
        }
    }
}

/// Downloads an SVG document as PNG at its own size (2× for sharpness).
pub fn download_png(filename: &str, svg: &str) {
    let Some(url) = blob_url(svg, "image/svg+xml") else {
        return;
    };
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(img) = web_sys::HtmlImageElement::new() else {
        return;
    };
    let name = filename.to_string();
    let img2 = img.clone();
    let u = url.clone();
    let onload = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&u);
        let (w, h) = (img2.natural_width().max(1), img2.natural_height().max(1));
        let Ok(canvas) = doc.create_element("canvas") else {
            return;
        };
        let canvas: web_sys::HtmlCanvasElement = canvas.unchecked_into();
        canvas.set_width(w * 2);
        canvas.set_height(h * 2);
        let Ok(Some(ctx)) = canvas.get_context("2d") else {
            return;
        };
        let ctx: web_sys::CanvasRenderingContext2d = ctx.unchecked_into();
        let _ = ctx.scale(2.0, 2.0);
        ctx.set_fill_style_str("#ffffff");
        ctx.fill_rect(0.0, 0.0, w as f64, h as f64);
        let _ = ctx.draw_image_with_html_image_element(&img2, 0.0, 0.0);
        let cb = Closure::once_into_js(move |blob: Option<web_sys::Blob>| {
            if let Some(b) = blob {
                if let Ok(u) = web_sys::Url::create_object_url_with_blob(&b) {
                    click_download(&u, &name);
                }
            }
        });
        let _ = canvas.to_blob(cb.unchecked_ref());
    });
    img.set_onload(Some(onload.unchecked_ref()));
    img.set_src(&url);
}

/// Export buttons: CSV when `csv` is given, SVG and PNG when `svg` is given.
#[component]
pub fn ExportButtons(
    /// File name without extension.
    name: String,
    /// The table to export as CSV.
    table: Option<Table>,
    /// The SVG document to export.
    svg: Option<String>,
) -> impl IntoView {
    let csv_btn = table.map(|t| {
        let n = format!("{name}.csv");
        view! {
            <button type="button" data-testid="export-csv"
                on:click=move |_| download_text(&n, &t.to_csv(), "text/csv;charset=utf-8")>"CSV"</button>
        }
    });
    let svg_btns = svg.map(|s| {
        let (n1, n2) = (format!("{name}.svg"), format!("{name}.png"));
        let s2 = s.clone();
        view! {
            <button type="button" data-testid="export-svg"
                on:click=move |_| download_text(&n1, &s, "image/svg+xml")>"SVG"</button>
            <button type="button" data-testid="export-png"
                on:click=move |_| download_png(&n2, &s2)>"PNG"</button>
        }
    });
    view! { <span class="exports no-print" role="group" aria-label="Export">"Export: "{csv_btn}{svg_btns}</span> }
}
