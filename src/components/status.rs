//! The load status line: a progress bar (bytes and rows) while reading, the error in place when
//! a load failed, and the config warning.

use crate::store::{Status, Store};
use leptos::prelude::*;

/// Shows what the newest load is doing.
#[component]
pub fn StatusBar() -> impl IntoView {
    let store = expect_context::<Store>();
    view! {
        {move || match store.status.get() {
            Status::Loading { source, progress } => {
                let pct = if progress.bytes_total > 0 { 100.0 * progress.bytes_done as f64 / progress.bytes_total as f64 } else { 0.0 };
                view! {
                    <div class="status loading" role="status" data-testid="load-progress"
                        data-bytes-done=progress.bytes_done.to_string() data-bytes-total=progress.bytes_total.to_string() data-rows=progress.rows_done.to_string()>
                        <progress max="100" value=format!("{pct:.0}")></progress>
                        <span>{format!("Reading {source}: {} of {} bytes, {} rows", progress.bytes_done, progress.bytes_total, progress.rows_done)}</span>
                    </div>
                }
                .into_any()
            }
            Status::Failed(msg) => view! { <div class="error" role="alert" data-testid="load-error">{msg}</div> }.into_any(),
            _ => ().into_any(),
        }}
        {move || store.config_error.get().map(|m| view! { <div class="warning" role="status" data-testid="config-error">{m}</div> })}
    }
}
