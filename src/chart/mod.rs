//! Chart drawing, once: each chart is a function generic over plotters' `DrawingBackend` that
//! draws and returns its hover/click regions ([`Hit`]); [`render`] is the thin SVG renderer that
//! appends those regions as rectangles with a `data-tip` (the exact value, shown on hover or
//! focus by the chart view) and a `data-drill` attribute (what a click narrows the filter to).

mod svg;

pub use svg::{
    bar_svg, for_export, heatmap_svg, line_svg, render, scatter_svg, sparkline_svg, Svg,
};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use svg::DASHED_WIDTH;

/// A hover/click region of a chart, in pixels.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// Left, top, width, height.
    pub rect: (i32, i32, i32, i32),
    /// Tooltip text (exact values).
    pub tip: String,
    /// URL changes a click applies, `key=value&key2=value2`; `None`: not clickable.
    pub drill: Option<String>,
    /// The region's own colour (a heatmap cell is its own hover region); `None`: transparent
    /// over what the chart drew.
    pub fill: Option<RGBColor>,
}

/// Chart colours, colour-blind-safe (Okabe–Ito) for categorical series.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
    RGBColor(90, 90, 90),
];

/// Comparison overlay colour.
pub const GREY: RGBColor = RGBColor(140, 140, 150);

/// Viridis at `t` in 0..1 (Matt Zucker's polynomial fit of matplotlib's viridis).
pub fn viridis(t: f64) -> RGBColor {
    const C: [[f64; 3]; 7] = [
        [0.277_727_327, 0.005_407_345, 0.334_099_805],
        [0.105_093_043, 1.404_613_53, 1.384_590_163],
        [-0.330_861_829, 0.214_847_559, 0.095_095_163],
        [-4.634_230_499, -5.799_100_973, -19.332_440_956],
        [6.228_269_936, 14.179_933_367, 56.690_552_601],
        [4.776_384_998, -13.745_145_378, -65.353_032_633],
        [-5.435_455_856, 4.645_852_612, 26.312_435_25],
    ];
    let t = t.clamp(0.0, 1.0);
    let ch = |k: usize| {
        let v = C.iter().rev().fold(0.0, |acc, c| acc * t + c[k]);
        (v.clamp(0.0, 1.0) * 255.0).round() as u8
    };
    RGBColor(ch(0), ch(1), ch(2))
}

/// One line of a line chart; `None` leaves a gap.
#[derive(Clone, Debug, PartialEq)]
pub struct LineSeries {
    /// Legend label.
    pub label: String,
    /// One value per x position.
    pub values: Vec<Option<f64>>,
    /// Stroke colour.
    pub color: RGBColor,
    /// Dashed (comparison overlays).
    pub dashed: bool,
}

/// A line chart over categorical x positions.
#[derive(Clone, Debug)]
pub struct LineChart {
    /// Accessible name.
    pub title: String,
    /// X labels, one per position.
    pub x_labels: Vec<String>,
    /// Formats a y value.
    pub y_fmt: fn(f64) -> String,
    /// The series; the first is the main one.
    pub series: Vec<LineSeries>,
    /// Stack the series as shares of 1 (channel mix) instead of drawing lines.
    pub stacked: bool,
    /// A target range `(low, high)` shaded behind the lines (occupancy's 70–85 %).
    pub band: Option<(f64, f64)>,
    /// Per x position, a note when its bucket is partial (`1 of 7 days in the data`): the
    /// position is shaded and the note added to its tooltip. Empty: every bucket whole.
    pub partial: Vec<Option<String>>,
}

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

/// A matrix of values drawn with the viridis palette.
#[derive(Clone, Debug)]
pub struct HeatmapChart {
    /// Accessible name.
    pub title: String,
    /// Row labels.
    pub rows: Vec<String>,
    /// Column labels.
    pub cols: Vec<String>,
    /// `cells[row][col]`.
    pub cells: Vec<Vec<Option<f64>>>,
    /// Formats a value.
    pub fmt: fn(f64) -> String,
    /// A cell's name in its tooltip, from its row and column labels (`mon 09:00`).
    pub label: fn(&str, &str) -> String,
    /// What a click on a cell narrows to, from its row and column labels (`cell=mon-09`).
    pub drill: Option<fn(&str, &str) -> String>,
}

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

fn x_label_of(labels: &[String], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() > 0.01 || i < 0.0 {
        return String::new();
    }
    labels.get(i as usize).cloned().unwrap_or_default()
}

fn y_max<'a>(vals: impl Iterator<Item = &'a f64>) -> f64 {
    let m = vals.fold(0.0f64, |a, &b| a.max(b));
    if m <= 0.0 {
        1.0
    } else {
        m * 1.1
    }
}

type DrawResult<DB> = Result<Vec<Hit>, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Draws a line (or stacked-share) chart.
pub fn draw_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &LineChart,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let n = c.x_labels.len();
    if n == 0 {
        return Ok(Vec::new());
    }
    // Stacked: cumulative shares per position.
    let stacks: Vec<Vec<f64>> = if c.stacked {
        let mut acc = vec![0.0; n];
        c.series
            .iter()
            .map(|s| {
                for (i, a) in acc.iter_mut().enumerate() {
                    *a += s.values.get(i).copied().flatten().unwrap_or(0.0);
                }
                acc.clone()
            })
            .collect()
    } else {
        Vec::new()
    };
    let top = if c.stacked {
        y_max(stacks.last().map(|v| v.iter()).into_iter().flatten())
    } else {
        let hi = c.band.map(|b| b.1);
        y_max(
            c.series
                .iter()
                .flat_map(|s| s.values.iter().flatten())
                .chain(&hi),
        )
    };
    let x1 = (n.max(2) - 1) as f64;
    let labels = &c.x_labels;
    // As many x labels as fit (a week label is about 60 px): plotters picks that many round
    // positions or fewer, and each is labelled. (Filtering its picks by a step of our own left
    // a 30-day chart with two labels when the two disagreed.)
    let fit = (root.dim_in_pixel().0 as usize / 90).max(2);
    let mut ctx = ChartBuilder::on(root)
        .margin(10)
        // Room for the last x label, centred on the right edge ("2026-11" was cut to "2026-1").
        .margin_right(26)
        .x_label_area_size(28)
        .y_label_area_size(56)
        .build_cartesian_2d(0.0..x1, 0.0..top)?;
    ctx.configure_mesh()
        .x_labels(n.min(fit))
        .y_labels(5)
        .x_label_formatter(&|x| x_label_of(labels, *x))
        .y_label_formatter(&|y| (c.y_fmt)(*y))
        .light_line_style(RGBColor(235, 235, 235))
        .max_light_lines(1)
        .draw()?;
    if let Some((lo, hi)) = c.band {
        ctx.draw_series(std::iter::once(Rectangle::new(
            [(0.0, lo), (x1, hi)],
            PALETTE[2].mix(0.18).filled(),
        )))?;
    }
    for (k, s) in c.series.iter().enumerate() {
        let style = s
            .color
            .stroke_width(if s.dashed { DASHED_WIDTH } else { 3 });
        if c.stacked {
            let lower: Vec<f64> = if k == 0 {
                vec![0.0; n]
            } else {
                stacks[k - 1].clone()
            };
            let upper = &stacks[k];
            let poly: Vec<(f64, f64)> = (0..n)
                .map(|i| (i as f64, upper[i]))
                .chain((0..n).rev().map(|i| (i as f64, lower[i])))
                .collect();
            ctx.draw_series(std::iter::once(Polygon::new(
                poly,
                s.color.mix(0.85).filled(),
            )))?;
            continue;
        }
        // Split at gaps, so a missing value is a gap and not a line to zero.
        let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
        for (i, v) in s.values.iter().enumerate() {
            match v {
                Some(y) => runs.last_mut().unwrap().push((i as f64, *y)),
                None if !runs.last().unwrap().is_empty() => runs.push(Vec::new()),
                None => {}
            }
        }
        for run in runs.into_iter().filter(|r| !r.is_empty()) {
            // A dashed run is one polyline; the renderer dashes it (see `DASHED_WIDTH`).
            if run.len() == 1 && !s.dashed {
                ctx.draw_series(run.iter().map(|p| Circle::new(*p, 3, s.color.filled())))?;
            } else {
                ctx.draw_series(plotters::series::LineSeries::new(run, style))?;
            }
        }
    }
    // Partial buckets veiled over the lines, so a short last week reads as unfinished rather
    // than as a fall: each run of them as wide as its positions; the last run (the period's end,
    // where it matters) is named, inside it when that fits, else just left of it.
    let mut runs = Vec::new();
    let mut i = 0;
    while i < n {
        if !matches!(c.partial.get(i), Some(Some(_))) {
            i += 1;
            continue;
        }
        let mut j = i;
        while matches!(c.partial.get(j + 1), Some(Some(_))) {
            j += 1;
        }
        runs.push(((i as f64 - 0.5).max(0.0), (j as f64 + 0.5).min(x1)));
        i = j + 1;
    }
    for &(a, z) in &runs {
        ctx.draw_series(std::iter::once(Rectangle::new(
            [(a, 0.0), (z, top)],
            WHITE.mix(0.6).filled(),
        )))?;
        ctx.draw_series(std::iter::once(Rectangle::new(
            [(a, 0.0), (z, top)],
            GREY.mix(0.16).filled(),
        )))?;
    }
    if let Some(&(a, z)) = runs.last() {
        use plotters::style::text_anchor::{HPos, Pos, VPos};
        let ((pa, py), pz) = (ctx.backend_coord(&(a, top)), ctx.backend_coord(&(z, top)).0);
        let (x, h) = if pz - pa >= 48 {
            ((pa + pz) / 2, HPos::Center)
        } else {
            (pa - 4, HPos::Right)
        };
        let font = (FontFamily::SansSerif, 13.0)
            .into_font()
            .color(&RGBColor(90, 90, 100))
            .pos(Pos::new(h, VPos::Top));
        root.draw(&Text::new("partial", (x, py + 4), font))?;
    }
    if c.series.len() > 1 {
        draw_legend(
            &ctx.plotting_area().strip_coord_spec(),
            &c.series,
            c.stacked,
        )?;
    }
    // One hover band per x position, with every series' value there.
    let mut hits = Vec::new();
    let (_, (py1, py0)) = (
        0,
        (
            ctx.backend_coord(&(0.0, top)).1,
            ctx.backend_coord(&(0.0, 0.0)).1,
        ),
    );
    let w = if n > 1 {
        (ctx.backend_coord(&(1.0, 0.0)).0 - ctx.backend_coord(&(0.0, 0.0)).0).max(2)
    } else {
        20
    };
    for (i, label) in labels.iter().enumerate().take(n) {
        let (px, _) = ctx.backend_coord(&(i as f64, 0.0));
        let mut tip = label.clone();
        for s in &c.series {
            let v = s.values.get(i).copied().flatten();
            let shown = v.map_or("no data".to_string(), |v| (c.y_fmt)(v));
            tip.push_str(&format!("\n{}: {shown}", s.label));
        }
        if let Some(Some(note)) = c.partial.get(i) {
            tip.push_str(&format!("\npartial: {note}"));
        }
        hits.push(Hit {
            rect: (px - w / 2, py1, w, py0 - py1),
            tip,
            drill: None,
            fill: None,
        });
    }
    root.present()?;
    Ok(hits)
}

/// Draws the legend in the plot's upper-left corner: each series' stroke (its fill when
/// `stacked`) beside its label. Drawn here, not by plotters' series labels, because those
/// measure every label in the page's DOM on wasm32 (a forced layout each); this sizes the box
/// from the renderer's own text estimate.
fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    series: &[LineSeries],
    stacked: bool,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    const SIZE: f64 = 13.0;
    let (row, pad, sample) = (18i32, 6i32, 16i32);
    let text_w = series
        .iter()
        .map(|s| svg::text_size(&s.label, SIZE).0 as i32)
        .max()
        .unwrap_or(0);
    let (x0, y0) = (8i32, 8i32);
    let (x1, y1) = (
        x0 + 3 * pad + sample + text_w,
        y0 + 2 * pad + row * series.len() as i32,
    );
    area.draw(&Rectangle::new(
        [(x0, y0), (x1, y1)],
        WHITE.mix(0.85).filled(),
    ))?;
    area.draw(&Rectangle::new(
        [(x0, y0), (x1, y1)],
        RGBColor(200, 200, 200),
    ))?;
    let font = (FontFamily::SansSerif, SIZE)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (k, s) in series.iter().enumerate() {
        let y = y0 + pad + row * k as i32 + row / 2;
        let x = x0 + pad;
        if stacked {
            area.draw(&Rectangle::new(
                [(x, y - 5), (x + 12, y + 5)],
                s.color.filled(),
            ))?;
        } else {
            let width = if s.dashed { DASHED_WIDTH } else { 3 };
            area.draw(&PathElement::new(
                vec![(x, y), (x + sample, y)],
                s.color.stroke_width(width),
            ))?;
        }
        area.draw(&Text::new(
            s.label.clone(),
            (x + sample + pad, y),
            font.clone(),
        ))?;
    }
    Ok(())
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
    let top = y_max(c.values.iter());
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

/// Draws a heatmap with a viridis legend; cells without data are light grey. Each cell is its
/// own hover region ([`Hit::fill`]): one element per cell, where a painted rectangle under a
/// transparent one was two. Labels are drawn at the cells' centres without plotters' mesh, whose
/// tick marks every half cell were another 2·(rows + cols) elements. Every element counts: the
/// browser parses, styles and lays out each again when a filter changes.
pub fn draw_heatmap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &HeatmapChart,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let (nr, nc) = (c.rows.len(), c.cols.len());
    if nr == 0 || nc == 0 {
        return Ok(Vec::new());
    }
    let vals = c.cells.iter().flatten().flatten();
    let (lo, hi) = vals.fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
    let span = if hi > lo { hi - lo } else { 1.0 };
    let (w, h) = root.dim_in_pixel();
    // The plot: 8 px margins, the row labels' width on the left (7 px a character), 90 px for
    // the legend on the right and 24 px for the column labels below.
    let left = c
        .rows
        .iter()
        .map(|r| 7 * r.len() as i32 + 12)
        .fold(44, i32::max)
        + 8;
    let (top, right, bottom) = (8, w as i32 - 90 - 8, h as i32 - 24 - 8);
    let (cw, ch) = (
        (right - left) as f64 / nc as f64,
        (bottom - top) as f64 / nr as f64,
    );
    let x_at = |k: usize| left + (k as f64 * cw).round() as i32;
    let y_at = |r: usize| top + (r as f64 * ch).round() as i32;
    let style = (FontFamily::SansSerif, 12).into_font().color(&BLACK);
    let below = style.pos(Pos::new(HPos::Center, VPos::Top));
    let beside = style.pos(Pos::new(HPos::Right, VPos::Center));
    for (k, col) in c.cols.iter().enumerate() {
        let x = (x_at(k) + x_at(k + 1)) / 2;
        root.draw(&Text::new(col.clone(), (x, bottom + 5), below.clone()))?;
    }
    for (r, row) in c.rows.iter().enumerate() {
        let y = (y_at(r) + y_at(r + 1)) / 2;
        root.draw(&Text::new(row.clone(), (left - 6, y), beside.clone()))?;
    }
    let mut hits = Vec::with_capacity(nr * nc);
    for (r, row) in c.cells.iter().enumerate() {
        for (k, v) in row.iter().enumerate() {
            let (x0, y0) = (x_at(k), y_at(r));
            let shown = v.map_or("no data".into(), c.fmt);
            hits.push(Hit {
                rect: (x0, y0, x_at(k + 1) - x0, y_at(r + 1) - y0),
                tip: format!("{} — {shown}", (c.label)(&c.rows[r], &c.cols[k])),
                drill: c.drill.map(|d| d(&c.rows[r], &c.cols[k])),
                fill: Some(match v {
                    Some(v) => viridis((v - lo) / span),
                    None => NO_DATA,
                }),
            });
        }
    }
    // Legend: the palette from low (bottom) to high (top) in steps of 8 px (a rectangle per pixel
    // row was 250 elements), with the extremes.
    let lx = w as i32 - 90;
    let (ltop, lbottom) = (16i32, h as i32 - 36);
    for p in (ltop..lbottom).step_by(8) {
        let t = 1.0 - (p - ltop) as f64 / (lbottom - ltop).max(1) as f64;
        // One pixel of overlap, so no seam shows between steps.
        let end = (p + 9).min(lbottom);
        root.draw(&Rectangle::new(
            [(lx + 10, p), (lx + 26, end)],
            viridis(t).filled(),
        ))?;
    }
    if lo <= hi {
        root.draw(&Text::new((c.fmt)(hi), (lx + 30, ltop - 4), style.clone()))?;
        root.draw(&Text::new((c.fmt)(lo), (lx + 30, lbottom - 8), style))?;
    }
    root.present()?;
    Ok(hits)
}

/// A heatmap cell without data.
pub const NO_DATA: RGBColor = RGBColor(245, 245, 245);

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

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(c: RGBColor) -> String {
        format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
    }

    /// The `fill` of each hover region (`rect` with a `data-tip`), with its text, in order.
    fn regions(svg: &str) -> Vec<(String, String)> {
        svg.split("<rect ")
            .skip(1)
            .filter_map(|r| {
                let attrs = r.split("/>").next()?;
                let tip = attrs.split("data-tip=\"").nth(1)?.split('"').next()?;
                let fill = attrs.split("fill=\"").nth(1)?.split('"').next()?;
                Some((fill.to_string(), tip.to_string()))
            })
            .collect()
    }

    #[test]
    fn heatmap_cells_are_their_own_regions_coloured_by_value() {
        let c = HeatmapChart {
            title: "t".into(),
            rows: vec!["mon".into(), "tue".into()],
            cols: vec!["00".into(), "01".into(), "02".into()],
            cells: vec![
                vec![Some(0.0), Some(5.0), None],
                vec![Some(10.0), None, Some(2.5)],
            ],
            fmt: |v| format!("{v}"),
            label: |r, c| format!("{r} {c}"),
            drill: Some(|r, c| format!("cell={r}-{c}")),
        };
        let svg = heatmap_svg(&c, 600, 200);
        let got = regions(&svg);
        // Row by row, lowest value the palette's start, highest its end, no data grey.
        let want = [
            (hex(viridis(0.0)), "mon 00 — 0"),
            (hex(viridis(0.5)), "mon 01 — 5"),
            (hex(NO_DATA), "mon 02 — no data"),
            (hex(viridis(1.0)), "tue 00 — 10"),
            (hex(NO_DATA), "tue 01 — no data"),
            (hex(viridis(0.25)), "tue 02 — 2.5"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(f, t)| (f.clone(), t.to_string()))
            .collect();
        assert_eq!(got, want);
        assert_eq!(
            svg.matches("class=\"drill\"").count(),
            6,
            "every cell clickable"
        );
        // Each label once, at the cells; no tick marks or axes (the only lines would be a mesh).
        let texts: Vec<&str> = svg
            .split("<text")
            .skip(1)
            .filter_map(|t| Some(t.split_once('>')?.1.split("</text>").next()?.trim()))
            .collect();
        assert_eq!(
            texts,
            ["00", "01", "02", "mon", "tue", "10", "0"],
            "labels, then the legend's extremes"
        );
        assert!(
            !svg.contains("<line") && !svg.contains("<polyline"),
            "no mesh"
        );
    }

    #[test]
    fn comparison_lines_are_one_dashed_polyline_each() {
        let series = |label: &str, dashed| LineSeries {
            label: label.into(),
            values: vec![Some(1.0), Some(3.0), None, Some(2.0)],
            color: PALETTE[0],
            dashed,
        };
        let c = LineChart {
            title: "t".into(),
            x_labels: ["a", "b", "c", "d"].map(String::from).to_vec(),
            y_fmt: |v| format!("{v}"),
            series: vec![series("now", false), series("before", true)],
            stacked: false,
            band: None,
            partial: Vec::new(),
        };
        let svg = line_svg(&c, 600, 200);
        // The dashed series is two polylines (the gap at "c" breaks it) and its legend sample one,
        // each marked dashed; plotters alone draws one element per dash.
        assert_eq!(svg.matches("stroke-width=\"2\"").count(), 3, "{svg}");
        assert_eq!(
            svg.matches("stroke-width=\"2\" stroke-dasharray=\"6 4\"")
                .count(),
            3
        );
        assert_eq!(regions(&svg).len(), 4, "one hover band per x position");
    }

    #[test]
    fn x_labels_are_spread_and_do_not_crowd() {
        for (n, w) in [
            (30, 1100),
            (31, 1100),
            (14, 640),
            (13, 640),
            (53, 1100),
            (24, 640),
        ] {
            let labels: Vec<String> = (0..n).map(|i| format!("2026-W{i:02}")).collect();
            let c = LineChart {
                title: "t".into(),
                x_labels: labels.clone(),
                y_fmt: |v| format!("{v}"),
                series: vec![LineSeries {
                    label: "now".into(),
                    values: (0..n).map(|i| Some(i as f64)).collect(),
                    color: PALETTE[0],
                    dashed: false,
                }],
                stacked: false,
                band: None,
                partial: Vec::new(),
            };
            let svg = line_svg(&c, w, 280);
            let xs: Vec<i32> = svg
                .split("<text")
                .skip(1)
                .filter_map(|t| {
                    let (attrs, rest) = t.split_once('>')?;
                    let text = rest.split("</text>").next()?.trim();
                    labels.iter().any(|l| l == text).then_some(())?;
                    attrs.split("x=\"").nth(1)?.split('"').next()?.parse().ok()
                })
                .collect();
            assert!(xs.len() >= 5, "{n} points at {w} px: {} labels", xs.len());
            assert!(
                xs.windows(2).all(|p| p[1] - p[0] >= 70),
                "{n} points at {w} px: labels at {xs:?}"
            );
        }
    }

    #[test]
    fn partial_buckets_are_shaded_and_named_in_their_tooltips() {
        let chart = |partial: Vec<Option<String>>| LineChart {
            title: "t".into(),
            x_labels: ["a", "b", "c", "d", "e"].map(String::from).to_vec(),
            y_fmt: |v| format!("{v}"),
            series: vec![LineSeries {
                label: "now".into(),
                values: vec![Some(1.0), Some(3.0), Some(2.0), Some(2.0), Some(0.5)],
                color: PALETTE[0],
                dashed: false,
            }],
            stacked: false,
            band: None,
            partial,
        };
        let note = |s: &str| Some(s.to_string());
        let svg = line_svg(
            &chart(vec![
                note("6 of 7 days"),
                None,
                None,
                note("2 of 7"),
                note("1 of 7"),
            ]),
            600,
            200,
        );
        let plain = line_svg(&chart(Vec::new()), 600, 200);
        let shade = format!("opacity=\"0.16\" fill=\"{}\"", hex(GREY));
        assert_eq!(
            svg.matches(&shade).count(),
            2,
            "one shade per run: a, d–e\n{svg}"
        );
        assert_eq!(plain.matches(&shade).count(), 0);
        // The veil is drawn after the line, so the partial part of it reads faded.
        let veil = "opacity=\"0.6\" fill=\"#FFFFFF\"";
        assert_eq!(svg.matches(veil).count(), 2);
        assert!(
            svg.find("<polyline").unwrap() < svg.find(veil).unwrap(),
            "{svg}"
        );
        let words = |svg: &str| {
            svg.split("<text")
                .skip(1)
                .filter_map(|t| Some(t.split_once('>')?.1.split("</text>").next()?.trim()))
                .filter(|t| *t == "partial")
                .count()
        };
        assert_eq!(words(&svg), 1, "the last run is named");
        assert_eq!(words(&plain), 0);
        let tips: Vec<String> = regions(&svg).into_iter().map(|r| r.1).collect();
        assert_eq!(tips.len(), 5);
        assert!(tips[0].ends_with("partial: 6 of 7 days"), "{tips:?}");
        assert!(tips[3].ends_with("partial: 2 of 7") && tips[4].ends_with("partial: 1 of 7"));
        assert!(
            tips[1..3].iter().all(|t| !t.contains("partial")),
            "{tips:?}"
        );
    }

    #[test]
    fn export_gives_each_region_its_title_and_the_file_one() {
        let c = BarChart {
            title: "t".into(),
            labels: vec!["a & b".into(), "c".into()],
            values: vec![1.0, 2.0],
            y_fmt: |v| format!("{v}"),
            drill_key: Some("topic"),
        };
        let svg = bar_svg(&c, 400, 200);
        assert!(!svg.contains("<title>"), "the page's chart has no titles");
        let tips = regions(&svg);
        assert_eq!(tips.len(), 2);
        let out = for_export(&svg, "Volume <by> topic");
        // The document title right after the opening tag, every region's text as its title.
        let open = out.find("<svg").unwrap();
        let after = &out[open..];
        let first = after.find('>').unwrap() + 1;
        assert!(
            after[first..].starts_with("<title>Volume &lt;by&gt; topic</title>"),
            "{out}"
        );
        for (_, tip) in &tips {
            assert!(
                out.contains(&format!("><title>{tip}</title></rect>")),
                "{tip} in {out}"
            );
        }
        assert!(!out.contains("data-tip"));
        assert_eq!(out.matches("<rect").count(), svg.matches("<rect").count());
        assert_eq!(
            out.matches("</rect>").count(),
            2,
            "only the regions gain a closing tag"
        );
    }
}
