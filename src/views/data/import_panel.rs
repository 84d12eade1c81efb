//! Import of a local file, by file picker or drag and drop (CSV, JSON, NDJSON, XLSX, Arrow
//! IPC). Canonical files load at once; foreign exports go through the mapping screen; a file
//! that is no table gets one clear message in place.

use super::mapping::MappingScreen;
use crate::import::{self, Peek, Picked};
use crate::store::Store;
use leptos::either::EitherOf6;
use leptos::prelude::*;
use omnikpi_engine::io::Format;
use std::sync::Arc;

/// A foreign export waiting for its mapping.
#[derive(Debug)]
pub struct Pending {
    /// The file.
    pub picked: Picked,
    /// Its columns and first rows.
    pub peek: Peek,
}

/// Where the import is.
#[derive(Clone, Debug)]
pub enum Stage {
    /// Nothing picked.
    Idle,
    /// Reading the picked file.
    Reading(String),
    /// The file cannot be used; the message says why.
    Failed(String),
    /// The mapping screen, with the last load's error if it failed.
    Mapping(Arc<Pending>, Option<String>),
    /// Loading through the engine (the status bar shows the progress).
    Loading(String),
    /// Loaded.
    Done(String),
}

/// Accepted file types.
pub const ACCEPT: &str =
    ".csv,.tsv,.txt,.json,.ndjson,.jsonl,.xlsx,.xls,.ods,.arrow,.feather,.arrows";

/// Reads `file` and loads it, or opens the mapping screen.
pub fn handle_file(store: Store, stage: RwSignal<Stage>, file: web_sys::File) {
    let name = file.name();
    stage.set(Stage::Reading(name.clone()));
    leptos::task::spawn_local(async move {
        let mut body = match import::open_file(&file) {
            Ok(b) => b,
            Err(e) => return stage.set(Stage::Failed(e)),
        };
        let streamed = match body.peek().await {
            // An empty file is told apart by `import::peek`, with the other formats.
            Ok([]) => None,
            Ok(head) => crate::data::streamed_format(None, &name, head),
            Err(e) => return stage.set(Stage::Failed(e)),
        };
        let bytes = if let Some(format) = streamed {
            // An Arrow IPC or CSV file is read as it streams from the disk, like a configured
            // source; one whose columns need mapping is read again, whole, for the mapping
            // screen.
            stage.set(Stage::Loading(name.clone()));
            let cfg = import::current_config(&store);
            match import::load_arriving(store, body, format, cfg).await {
                Ok(()) => return stage.set(Stage::Done(name)),
                Err(e) if import::needs_mapping(&e).is_none() => {
                    return stage.set(Stage::Failed(e))
                }
                Err(_) => {
                    stage.set(Stage::Reading(name.clone()));
                    import::read_file(&file).await
                }
            }
        } else {
            body.bytes(|_| {}).await
        };
        let bytes = match bytes {
            Ok(b) => b,
            Err(e) => {
                stage.set(Stage::Failed(e));
                return;
            }
        };
        let peek = match import::peek(&name, &bytes) {
            Ok(p) => p,
            Err(e) => {
                stage.set(Stage::Failed(format!("{name}: {e}")));
                return;
            }
        };
        let picked = Picked {
            name: name.clone(),
            bytes: Arc::new(bytes),
        };
        if peek.format != Format::Csv {
            stage.set(Stage::Loading(name.clone()));
            let cfg = import::current_config(&store);
            match import::load_or_header(store, picked.clone(), cfg).await {
                Ok(None) => stage.set(Stage::Done(name)),
                Ok(Some((headers, sample))) => {
                    let peek = Peek {
                        headers,
                        sample,
                        ..peek
                    };
                    stage.set(Stage::Mapping(Arc::new(Pending { picked, peek }), None));
                }
                Err(e) => stage.set(Stage::Failed(e)),
            }
        } else if peek.canonical {
            stage.set(Stage::Loading(name.clone()));
            let cfg = import::current_config(&store);
            let ok = import::load(store, picked, None, cfg).await;
            stage.set(if ok { Stage::Done(name) } else { Stage::Idle });
        } else {
            stage.set(Stage::Mapping(Arc::new(Pending { picked, peek }), None));
        }
    });
}

/// The import panel.
#[component]
pub fn ImportPanel() -> impl IntoView {
    let store = expect_context::<Store>();
    let stage = RwSignal::new(Stage::Idle);
    let over = RwSignal::new(false);
    let busy = move || matches!(stage.get(), Stage::Reading(_) | Stage::Loading(_));
    let on_pick = move |ev: web_sys::Event| {
        if let Some(f) = import::input_file(&ev) {
            handle_file(store, stage, f);
        }
    };
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        over.set(false);
        let file = ev
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|f| f.get(0));
        match file {
            Some(f) if !busy() => handle_file(store, stage, f),
            Some(_) => {}
            None => stage.set(Stage::Failed("Nothing to read: drop a file.".into())),
        }
    };
    view! {
        <section class="panel import" aria-labelledby="import-h">
            <h2 id="import-h">"Import a file"</h2>
            <div
                class="dropzone"
                class:over=move || over.get()
                data-testid="dropzone"
                on:dragover=move |ev: web_sys::DragEvent| { ev.prevent_default(); over.set(true); }
                on:dragenter=move |ev: web_sys::DragEvent| { ev.prevent_default(); over.set(true); }
                on:dragleave=move |_| over.set(false)
                on:drop=on_drop
            >
                <p>"Drop a CSV, JSON, NDJSON, XLSX or Arrow file here, or "
                    <label class="button">
                        "choose a file"
                        <input type="file" class="visually-hidden" accept=ACCEPT data-testid="file-input"
                            disabled=busy on:change=on_pick />
                    </label>
                </p>
                <p class="muted">"The file is read in your browser; nothing is uploaded."</p>
            </div>
            {move || match stage.get() {
                Stage::Idle => EitherOf6::A(()),
                Stage::Reading(n) => EitherOf6::B(view! { <p class="muted" role="status" data-testid="import-reading">{format!("Reading {n}…")}</p> }),
                Stage::Failed(msg) => EitherOf6::C(view! { <div class="error" role="alert" data-testid="import-error">{msg}</div> }),
                Stage::Loading(n) => EitherOf6::D(view! { <p class="muted" role="status" data-testid="import-loading">{format!("Loading {n}…")}</p> }),
                Stage::Done(n) => EitherOf6::E(view! { <p class="ok" role="status" data-testid="import-done">{format!("Loaded {n}. Every view now shows this file.")}</p> }),
                Stage::Mapping(p, err) => EitherOf6::F(view! { <MappingScreen pending=p error=err stage=stage /> }),
            }}
        </section>
    }
}
