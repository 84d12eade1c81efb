//! The scatter plot of labelled points.

use super::{DrawResult, Hit, PALETTE};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Points with a label each, on two value axes.
#[derive(Clone, Debug)]
pub struct ScatterChart {
    /// Accessible name.
    pub title: String,
    /// `(label, x, y)`.
    pub points: Vec<(String, f64, f64)>,
    /// Axis names.
    pub axes: (&'static str, &'static str),
    /// Formats an x value.
    pub x_fmt: fn(f64) -> String,
    /// Formats a y value.
    pub y_fmt: fn(f64) -> String,
    /// URL key a click on a point sets to its label (`agent_id`), if any.
    pub drill_key: Option<&'static str>,
}

/// The values' range widened by a margin (never below 0), so that points sit inside the plot.
fn padded(v: &[f64]) -> std::ops::Range<f64> {
    let (lo, hi) = v
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
    let pad = ((hi - lo) * 0.15).max(hi.abs() * 0.05).max(1e-6);
    (lo - pad).max(0.0)..hi + pad
}

/// Draws a scatter plot, one labelled point each.
pub fn draw_scatter<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &ScatterChart,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    if c.points.is_empty() {
        return Ok(Vec::new());
    }
    let (xs, ys): (Vec<f64>, Vec<f64>) = c.points.iter().map(|p| (p.1, p.2)).unzip();
    let mut ctx = ChartBuilder::on(root)
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(60)
        .build_cartesian_2d(padded(&xs), padded(&ys))?;
    ctx.configure_mesh()
        .x_labels(6)
        .y_labels(5)
        .x_desc(c.axes.0)
        .y_desc(c.axes.1)
        .x_label_formatter(&|x| (c.x_fmt)(*x))
        .y_label_formatter(&|y| (c.y_fmt)(*y))
        .light_line_style(RGBColor(235, 235, 235))
        .max_light_lines(1)
        .draw()?;
    let mut hits = Vec::new();
    let style = (FontFamily::SansSerif, 12).into_font().color(&BLACK);
    for (label, x, y) in &c.points {
        ctx.draw_series(std::iter::once(Circle::new(
            (*x, *y),
            5,
            PALETTE[0].filled(),
        )))?;
        let (px, py) = ctx.backend_coord(&(*x, *y));
        root.draw(&Text::new(label.clone(), (px + 7, py - 14), style.clone()))?;
        hits.push(Hit {
            rect: (px - 7, py - 7, 14, 14),
            tip: format!(
                "{label}: {} {}, {} {}",
                c.axes.0,
                (c.x_fmt)(*x),
                c.axes.1,
                (c.y_fmt)(*y)
            ),
            drill: c.drill_key.map(|k| format!("{k}={label}")),
            fill: None,
        });
    }
    root.present()?;
    Ok(hits)
}
