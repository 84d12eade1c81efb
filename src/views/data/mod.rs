//! `/data`: what is loaded and from where, rows read = loaded + rejected, problems grouped by
//! reason with the rejected rows as CSV, coverage per channel and field, and the import of a
//! local file with the mapping screen for foreign exports.

mod coverage;
mod field_row;
mod import_panel;
mod mapping;
mod preset_fit;
mod problems;
mod summary;

use crate::store::{Status, Store};
use leptos::either::Either;
use leptos::prelude::*;

pub use coverage::Coverage;
pub use import_panel::ImportPanel;
pub use problems::Problems;
pub use summary::Summary;

/// The Data page.
#[component]
pub fn DataView() -> impl IntoView {
    let store = expect_context::<Store>();
    view! {
        <section class="view data-view" data-testid="data-view">
            <h1>"Data"</h1>
            <ImportPanel />
            {move || match store.data.get() {
                Some(l) => Either::Left(view! {
                    <Summary loaded=l.clone() />
                    <Problems loaded=l.clone() />
                    <Coverage loaded=l />
                }),
                None => Either::Right(view! {
                    <p class="muted" data-testid="no-data">
                        {move || if matches!(store.status.get(), Status::Failed(_)) {
                            "No data is loaded (see the message above). Import a file to start."
                        } else {
                            "Loading data…"
                        }}
                    </p>
                }),
            }}
        </section>
    }
}
