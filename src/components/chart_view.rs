//! Shows a chart drawn by [`crate::chart`] as inline SVG, with an accessible name.

use leptos::prelude::*;

/// An SVG chart. `svg` comes from a `crate::chart` renderer, whose text is escaped by plotters.
#[component]
pub fn SvgChart(
    /// Accessible name.
    title: String,
    /// The SVG document.
    svg: String,
    /// Test id.
    #[prop(optional)]
    testid: &'static str,
) -> impl IntoView {
    let label = title.clone();
    view! {
        <figure class="chart" role="img" aria-label=label data-testid=testid>
            <figcaption>{title}</figcaption>
            <div class="chart-svg" inner_html=svg></div>
        </figure>
    }
}
