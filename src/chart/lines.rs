//! The line chart (and the stacked-share variant for the channel mix), with its legend.

use super::svg::DASHED_WIDTH;
use super::{svg, x_label_of, y_top, DrawResult, Hit, GREY, PALETTE};
use plotters::coord::Shift;
use plotters::prelude::*;

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
    /// Per x position, a note when its bucket is partial (`1 of 7 days in the range and the data`): the
    /// position is shaded and the note added to its tooltip. Empty: every bucket whole.
    pub partial: Vec<Option<String>>,
}

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
        y_top(
            stacks.last().map(|v| v.iter()).into_iter().flatten(),
            c.y_fmt,
        )
    } else {
        let hi = c.band.map(|b| b.1);
        y_top(
            c.series
                .iter()
                .flat_map(|s| s.values.iter().flatten())
                .chain(&hi),
            c.y_fmt,
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
