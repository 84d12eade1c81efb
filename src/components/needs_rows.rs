//! The in-place note a view shows where it needs contact rows and the loaded source is a cube
//! (pre-aggregated): drill-down lists, channel transitions, the live "now" strip, per-agent
//! contact KPIs. It never shows a zero where a cube has no answer.

use leptos::prelude::*;

/// The sentence every such note ends with.
pub const NEEDS_ROWS: &str =
    "This needs contact rows; the loaded source is a cube (pre-aggregated).";

/// A note saying that `what` needs contact rows, with `data-testid="needs-rows"`.
pub fn needs_rows(what: &str) -> AnyView {
    view! {
        <section class="needs-rows panel" data-testid="needs-rows" role="note" data-what=what.to_string()>
            <h2>{what.to_string()}</h2>
            <p>{NEEDS_ROWS}" Load the contact rows to see it; the KPIs on this page come from the cube."</p>
        </section>
    }
    .into_any()
}
