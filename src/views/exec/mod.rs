//! `/exec` — Executive view.

use crate::components::{Ctx, DataGate, DrillList, FilterBar};
use crate::filters::Period;
use leptos::prelude::*;

/// The executive page.
#[component]
pub fn Exec() -> impl IntoView {
    view! {
        <section class="view view-exec" aria-labelledby="exec-title">
            <h1 id="exec-title">"Executive"</h1>
            <DataGate route="/exec" default_period=Period::Days30 render=body />
        </section>
    }
}

fn body(ctx: Ctx) -> AnyView {
    view! {
        <FilterBar ctx=ctx.clone() />
        <DrillList ctx=ctx.clone() />
    }
    .into_any()
}
