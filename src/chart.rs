//! Chart drawing, once: each chart is a function generic over plotters' `DrawingBackend`, and
//! thin renderers turn it into an SVG string (for the page, and for the SVG download).

use plotters::coord::Shift;
use plotters::prelude::*;

/// One line of a line chart.
#[derive(Clone, Debug, PartialEq)]
pub struct LineSeries {
    /// Legend label.
    pub label: String,
    /// (x, y) points; x is usually days since the Unix epoch.
    pub points: Vec<(f64, f64)>,
    /// Stroke colour.
    pub color: RGBColor,
    /// Dashed (for comparison overlays).
    pub dashed: bool,
}

/// A line chart: title, axis formatting and series.
#[derive(Clone, Debug)]
pub struct LineChart {
    /// Accessible name and caption.
    pub title: String,
    /// Formats an x value for axis labels.
    pub x_fmt: fn(f64) -> String,
    /// Formats a y value for axis labels.
    pub y_fmt: fn(f64) -> String,
    /// The series.
    pub series: Vec<LineSeries>,
}

/// Draws `chart` on any plotters backend.
pub fn draw_line_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &LineChart,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    let pts = chart.series.iter().flat_map(|s| s.points.iter());
    let (mut x0, mut x1, mut y1) = (f64::MAX, f64::MIN, 0.0f64);
    for &(x, y) in pts {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y1 = y1.max(y);
    }
    if x0 > x1 {
        return Ok(());
    }
    if x0 == x1 {
        x1 = x0 + 1.0;
    }
    let y1 = if y1 <= 0.0 { 1.0 } else { y1 * 1.08 };
    let mut ctx = ChartBuilder::on(root)
        .margin(8)
        .x_label_area_size(24)
        .y_label_area_size(48)
        .build_cartesian_2d(x0..x1, 0.0..y1)?;
    ctx.configure_mesh()
        .x_labels(6)
        .y_labels(5)
        .x_label_formatter(&|x| (chart.x_fmt)(*x))
        .y_label_formatter(&|y| (chart.y_fmt)(*y))
        .light_line_style(RGBColor(230, 230, 230))
        .draw()?;
    for s in &chart.series {
        let style = s.color.stroke_width(2);
        if s.dashed {
            ctx.draw_series(DashedLineSeries::new(s.points.iter().copied(), 6, 4, style))?;
        } else {
            ctx.draw_series(plotters::series::LineSeries::new(
                s.points.iter().copied(),
                style,
            ))?;
        }
    }
    root.present()
}

/// Renders `chart` as an SVG document of `w`×`h` pixels.
pub fn line_chart_svg(chart: &LineChart, w: u32, h: u32) -> String {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
        // A drawing error leaves a partial chart; the table alternative still shows the values.
        let _ = draw_line_chart(&root, chart);
    }
    out
}
