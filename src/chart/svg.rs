//! The thin SVG renderer of the charts: plotters' SVG backend behind [`Svg`], which measures
//! text without the DOM, plus the hover/click regions, dashed comparison lines as one polyline
//! each, and the tiles' sparklines.

use super::{
    draw_bars, draw_heatmap, draw_lines, draw_scatter, BarChart, HeatmapChart, Hit, LineChart,
    ScatterChart,
};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// Stroke width of dashed lines (comparison overlays). No other line is drawn this wide, so
/// [`render`] can mark exactly those polylines dashed.
pub const DASHED_WIDTH: u32 = 2;

/// plotters' SVG backend with text measured by estimate. On wasm32 plotters measures every label
/// by inserting a `<span>` into the page and reading its `offsetHeight`: a forced style and layout
/// of the whole document per label, in the middle of a re-render. SVG text is placed with
/// `text-anchor` by the browser anyway; the estimate only sizes legend boxes.
pub struct Svg<'a>(SVGBackend<'a>);

impl<'a> Svg<'a> {
    /// A `w`×`h` drawing written into `out`.
    pub fn with_string(out: &'a mut String, size: (u32, u32)) -> Self {
        Svg(SVGBackend::with_string(out, size))
    }
}

type Res<B> = Result<(), DrawingErrorKind<<B as DrawingBackend>::ErrorType>>;

impl DrawingBackend for Svg<'_> {
    type ErrorType = <SVGBackend<'static> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }
    fn ensure_prepared(&mut self) -> Res<Self> {
        self.0.ensure_prepared()
    }
    fn present(&mut self) -> Res<Self> {
        self.0.present()
    }
    fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> Res<Self> {
        self.0.draw_pixel(p, c)
    }
    fn draw_line<S: BackendStyle>(&mut self, a: BackendCoord, b: BackendCoord, s: &S) -> Res<Self> {
        self.0.draw_line(a, b, s)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        s: &S,
        fill: bool,
    ) -> Res<Self> {
        self.0.draw_rect(a, b, s, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        s: &S,
    ) -> Res<Self> {
        self.0.draw_path(path, s)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        c: BackendCoord,
        r: u32,
        s: &S,
        fill: bool,
    ) -> Res<Self> {
        self.0.draw_circle(c, r, s, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        s: &S,
    ) -> Res<Self> {
        self.0.fill_polygon(vert, s)
    }
    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        s: &T,
        pos: BackendCoord,
    ) -> Res<Self> {
        self.0.draw_text(text, s, pos)
    }
    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        s: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        Ok(text_size(text, s.size()))
    }
}

/// Width and height in pixels of `text` at plotters' font `size` (the SVG's font-size is
/// `size / 1.24`), for a sans-serif face: 0.6 em per character is the usual width of digits and
/// lower-case letters, a little wide for narrow glyphs, so boxes rather fit than clip.
pub(super) fn text_size(text: &str, size: f64) -> (u32, u32) {
    let em = size / 1.24;
    let w = em * 0.6 * text.chars().count() as f64;
    (w.ceil() as u32, em.ceil() as u32)
}

/// Marks the polylines drawn [`DASHED_WIDTH`] wide as dashed (6 px on, 4 off): one element per
/// line instead of plotters' one element per dash.
fn dash(svg: &str) -> String {
    let from = format!("stroke-width=\"{DASHED_WIDTH}\" points=");
    let to = format!("stroke-width=\"{DASHED_WIDTH}\" stroke-dasharray=\"6 4\" points=");
    svg.replace(&from, &to)
}

/// Escapes text for an SVG attribute or element.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Renders a chart as an SVG document of `w`×`h` pixels: plotters' drawing plus the hit regions.
/// A region carries its text in `data-tip` (the chart view shows one tooltip for all of them)
/// rather than a `<title>` child: a heatmap's 168 titles were elements of their own, parsed and
/// styled again on every filter change. [`for_export`] turns them back into `<title>`s.
/// A drawing error leaves a partial chart; the table alternative still shows the values.
/// `draw` is a trait object so that this body is compiled once, not once per chart kind.
pub fn render(w: u32, h: u32, draw: &dyn Fn(&DrawingArea<Svg<'_>, Shift>) -> Vec<Hit>) -> String {
    let mut out = String::new();
    let hits = {
        let root = Svg::with_string(&mut out, (w, h)).into_drawing_area();
        draw(&root)
    };
    let mut out = dash(&out);
    let mut extra = String::new();
    // Few clickable regions (bars) are a keyboard stop each. A grid's many cells (heatmap,
    // transition matrix) are one stop, its first cell, and the arrow keys move between them
    // (`chart_view`'s roving focus), so tabbing past a chart is not 168 presses.
    let roving = hits.iter().filter(|h| h.drill.is_some()).count() > 24;
    let mut first = true;
    for hit in hits {
        let (x, y, w, h) = hit.rect;
        let tip = esc(&hit.tip);
        let drill = hit
            .drill
            .map(|d| {
                let stop = if roving && !std::mem::take(&mut first) { "-1" } else { "0" };
                format!(
                    " data-drill=\"{}\" class=\"drill\" tabindex=\"{stop}\" role=\"button\" aria-label=\"{tip}\"",
                    esc(&d)
                )
            })
            .unwrap_or_default();
        let fill = match hit.fill {
            Some(RGBColor(r, g, b)) => format!("fill=\"#{r:02X}{g:02X}{b:02X}\""),
            None => "fill=\"#000\" fill-opacity=\"0\"".into(),
        };
        extra.push_str(&format!(
            "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" {fill}{drill} {TIP}\"{tip}\"/>"
        ));
    }
    match out.rfind("</svg>") {
        Some(i) => out.insert_str(i, &extra),
        None => out.push_str(&extra),
    }
    out
}

/// The attribute that holds a region's text, as [`render`] writes it (always last).
const TIP: &str = "data-tip=";

/// A chart of [`render`] as a file of its own: titled `title`, each region's text as its
/// `<title>` (the tooltip of an SVG file opened alone). The text is escaped already: what is
/// safe in a double-quoted attribute is safe as element text.
pub fn for_export(svg: &str, title: &str) -> String {
    let mut out = String::with_capacity(svg.len() + title.len() + 64);
    let mut rest = svg;
    // The document's title right after the opening tag.
    if let Some(i) = rest
        .find("<svg")
        .and_then(|i| rest[i..].find('>').map(|j| i + j + 1))
    {
        out.push_str(&rest[..i]);
        out.push_str(&format!("<title>{}</title>", esc(title)));
        rest = &rest[i..];
    }
    let open = format!(" {TIP}\"");
    while let Some(i) = rest.find(&open) {
        let tail = &rest[i + open.len()..];
        let Some(end) = tail.find("\"/>") else { break };
        out.push_str(&rest[..i]);
        out.push_str(&format!("><title>{}</title></rect>", &tail[..end]));
        rest = &tail[end + 3..];
    }
    out.push_str(rest);
    out
}

/// A line chart as SVG.
pub fn line_svg(c: &LineChart, w: u32, h: u32) -> String {
    render(w, h, &|r| draw_lines(r, c).unwrap_or_default())
}

/// A bar chart as SVG.
pub fn bar_svg(c: &BarChart, w: u32, h: u32) -> String {
    render(w, h, &|r| draw_bars(r, c).unwrap_or_default())
}

/// A heatmap as SVG.
pub fn heatmap_svg(c: &HeatmapChart, w: u32, h: u32) -> String {
    render(w, h, &|r| draw_heatmap(r, c).unwrap_or_default())
}

/// A scatter plot as SVG.
pub fn scatter_svg(c: &ScatterChart, w: u32, h: u32) -> String {
    render(w, h, &|r| draw_scatter(r, c).unwrap_or_default())
}

/// A sparkline: a small polyline of the values (gaps skipped), as an inline SVG.
pub fn sparkline_svg(values: &[Option<f64>], w: u32, h: u32) -> String {
    let pts: Vec<(usize, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .collect();
    if pts.len() < 2 {
        return String::new();
    }
    let (lo, hi) = pts.iter().fold((f64::MAX, f64::MIN), |(a, b), (_, v)| {
        (a.min(*v), b.max(*v))
    });
    let span = if hi > lo { hi - lo } else { 1.0 };
    let n = (values.len().max(2) - 1) as f64;
    let coords: Vec<String> = pts
        .iter()
        .map(|(i, v)| {
            let x = *i as f64 / n * (w as f64 - 2.0) + 1.0;
            let y = (h as f64 - 2.0) - (v - lo) / span * (h as f64 - 4.0) + 1.0;
            format!("{x:.1},{y:.1}")
        })
        .collect();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" aria-hidden=\"true\"><polyline fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\" points=\"{}\"/></svg>",
        coords.join(" ")
    )
}
