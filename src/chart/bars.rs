//! The vertical bar chart.

use super::{x_label_of, y_top, DrawResult, Hit, PALETTE};
use plotters::coord::Shift;
use plotters::prelude::*;

/// A bar chart (one bar per label).
#[derive(Clone, Debug)]
pub struct BarChart {
    /// Accessible name.
    pub title: String,
    /// Bar labels.
    pub labels: Vec<String>,
    /// Bar values.
    pub values: Vec<f64>,
    /// Formats a value.
    pub y_fmt: fn(f64) -> String,
    /// URL key a click on a bar sets to the bar's label (`topic`), if any.
    pub drill_key: Option<&'static str>,
}

/// Draws a vertical bar chart.
pub fn draw_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &BarChart,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let n = c.labels.len();
    if n == 0 {
        return Ok(Vec::new());
    }
    let top = y_top(c.values.iter(), c.y_fmt);
    let labels = &c.labels;
    let mut ctx = ChartBuilder::on(root)
        .margin(10)
        .x_label_area_size(28)
        .y_label_area_size(56)
        .build_cartesian_2d(-0.5..(n as f64 - 0.5), 0.0..top)?;
    ctx.configure_mesh()
        .disable_x_mesh()
        .x_labels(n)
        .y_labels(5)
        .x_label_formatter(&|x| x_label_of(labels, *x))
        .y_label_formatter(&|y| (c.y_fmt)(*y))
        .light_line_style(RGBColor(235, 235, 235))
        .max_light_lines(1)
        .draw()?;
    let mut hits = Vec::new();
    for (i, v) in c.values.iter().enumerate() {
        let (a, b) = ((i as f64) - 0.38, (i as f64) + 0.38);
        ctx.draw_series(std::iter::once(Rectangle::new(
            [(a, 0.0), (b, *v)],
            PALETTE[0].filled(),
        )))?;
        let (x0, y0) = ctx.backend_coord(&(a, *v));
        let (x1, y1) = ctx.backend_coord(&(b, 0.0));
        hits.push(Hit {
            rect: (x0, y0, (x1 - x0).max(1), (y1 - y0).max(4)),
            tip: format!("{}: {}", labels[i], (c.y_fmt)(*v)),
            drill: c.drill_key.map(|k| format!("{k}={}", labels[i])),
            fill: None,
        });
    }
    root.present()?;
    Ok(hits)
}
