//! Chart drawing, once: each chart is a function generic over plotters' `DrawingBackend` that
//! draws and returns its hover/click regions ([`Hit`]); [`render`] is the thin SVG renderer that
//! appends those regions as rectangles with a `data-tip` (the exact value, shown on hover or
//! focus by the chart view) and a `data-drill` attribute (what a click narrows the filter to).

mod bars;
mod heatmap;
mod lines;
mod scatter;
mod svg;

pub use bars::{draw_bars, BarChart};
pub use heatmap::{draw_heatmap, viridis, CellDrill, HeatmapChart, NO_DATA};
pub use lines::{draw_lines, LineChart, LineSeries};
pub use scatter::{draw_scatter, ScatterChart};

pub use svg::{
    bar_svg, for_export, heatmap_svg, line_svg, render, scatter_svg, sparkline_svg, Svg,
};

use plotters::prelude::*;

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

fn x_label_of(labels: &[String], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() > 0.01 || i < 0.0 {
        return String::new();
    }
    labels.get(i as usize).cloned().unwrap_or_default()
}

/// The top of a y axis from 0 whose labels are `fmt`'s: [`y_max`], and at least 5 when `fmt`
/// shows whole numbers only (a count), so that the five ticks fall on distinct whole numbers
/// (an empty chart's 0..1 read "0, 0, 1, 1, 1").
fn y_top<'a>(vals: impl Iterator<Item = &'a f64>, fmt: fn(f64) -> String) -> f64 {
    let top = y_max(vals);
    // A formatter that shows 0.5 as it shows 1 or 0 rounds to whole numbers.
    let whole = fmt(0.5) == fmt(1.0) || fmt(0.5) == fmt(0.0);
    match whole {
        true => top.max(5.0),
        false => top,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A count axis has room for five whole ticks; other axes keep their data's top.
    #[test]
    fn count_axes_have_distinct_whole_ticks() {
        use crate::format::{fmt_count, fmt_rate};
        assert_eq!(y_top([0.0].iter(), fmt_count), 5.0);
        assert_eq!(y_top([2.0].iter(), fmt_count), 5.0);
        assert!((y_top([100.0].iter(), fmt_count) - 110.0).abs() < 1e-9);
        assert_eq!(y_top([0.0].iter(), fmt_rate), 1.0);
        assert!((y_top([0.5].iter(), fmt_rate) - 0.55).abs() < 1e-9);
        // Drawn: an empty count chart labels its axis 0..5 once each.
        let c = LineChart {
            title: "t".into(),
            x_labels: vec!["a".into(), "b".into()],
            y_fmt: fmt_count,
            series: vec![LineSeries {
                label: "s".into(),
                values: vec![Some(0.0), Some(0.0)],
                color: PALETTE[0],
                dashed: false,
            }],
            stacked: false,
            band: None,
            partial: Vec::new(),
        };
        let svg = line_svg(&c, 400, 200);
        let texts: Vec<&str> = svg
            .split("<text")
            .skip(1)
            .filter_map(|t| t.split('>').nth(1)?.split('<').next())
            .map(str::trim)
            .filter(|t| t.chars().all(|c| c.is_ascii_digit()) && !t.is_empty())
            .collect();
        let mut distinct = texts.clone();
        distinct.dedup();
        assert_eq!(texts, distinct, "{texts:?}");
        assert!(texts.len() >= 3, "{texts:?}");
    }

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
            drill: Some(std::rc::Rc::new(|r: &str, c: &str| format!("cell={r}-{c}"))),
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
