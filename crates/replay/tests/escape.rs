//! Proof that chart text cannot inject markup: plotters' SVG backend (the version the app uses)
//! escapes labels itself, and the app's `src/escape.rs` helpers (included here, they are plain
//! Rust) escape and check URLs as documented.

#[path = "../../../src/escape.rs"]
#[allow(dead_code)]
mod escape;

use plotters::prelude::*;

const PAYLOADS: [&str; 4] = [
    "<img src=x onerror=alert(1)>",
    "\"><script>alert(1)</script>",
    "javascript:alert(1)",
    "' onmouseover='alert(1)",
];

#[test]
fn plotters_svg_backend_escapes_labels_captions_and_legends() {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (400, 300)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .caption(PAYLOADS[1], ("sans-serif", 14))
            .x_label_area_size(30)
            .y_label_area_size(30)
            .build_cartesian_2d(0.0..4.0, 0.0..10.0)
            .unwrap();
        chart
            .configure_mesh()
            .x_labels(4)
            .x_label_formatter(&|x| PAYLOADS[(*x as usize) % 4].to_string())
            .x_desc(PAYLOADS[0])
            .draw()
            .unwrap();
        chart
            .draw_series(LineSeries::new(vec![(0.0, 1.0), (3.0, 9.0)], &BLUE))
            .unwrap()
            .label(PAYLOADS[3]);
        chart.configure_series_labels().draw().unwrap();
        root.draw(&Text::new(PAYLOADS[0], (5, 5), ("sans-serif", 12)))
            .unwrap();
        root.present().unwrap();
    }
    for bad in [
        "<img",
        "<script",
        "\"><",
        "onerror=alert(1)>",
        "' onmouseover='",
    ] {
        assert!(!svg.contains(bad), "raw {bad:?} in the SVG:\n{svg}");
    }
    assert!(svg.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(svg.contains("&quot;&gt;&lt;script&gt;"));
    // The only elements are plotters' own.
    let tags: std::collections::BTreeSet<&str> = svg
        .split('<')
        .skip(1)
        .filter_map(|t| t.split([' ', '>', '/', '\n']).next())
        .filter(|t| !t.is_empty())
        .collect();
    for t in &tags {
        assert!(
            ["svg", "rect", "text", "line", "polyline", "path", "circle", "polygon", "g"]
                .contains(t),
            "unexpected element <{t}>"
        );
    }
}

#[test]
fn the_escape_helper_and_url_checks() {
    for p in PAYLOADS {
        let e = escape::html(p);
        assert!(!e.contains(['<', '>', '"', '\'']), "{e}");
    }
    assert!(!escape::safe_href(PAYLOADS[2]));
    assert!(escape::origin_allowed(
        "data/x.csv",
        "http://127.0.0.1:8080",
        &[]
    ));
    assert!(!escape::origin_allowed(
        "https://evil.test/x.csv",
        "http://127.0.0.1:8080",
        &[]
    ));
}
