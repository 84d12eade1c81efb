//! The heatmap, coloured with viridis.

use super::{DrawResult, Hit};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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

/// What a click on a heatmap cell narrows to, from its row and column labels.
pub type CellDrill = std::rc::Rc<dyn Fn(&str, &str) -> String>;

/// A matrix of values drawn with the viridis palette.
#[derive(Clone)]
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
    pub drill: Option<CellDrill>,
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
                drill: c.drill.as_ref().map(|d| d(&c.rows[r], &c.cols[k])),
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
