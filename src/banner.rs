//! What the page shows when the wasm instance dies: a banner over the dashboard offering a
//! reload, instead of a page that silently stops answering. A panic shows it from the panic
//! hook. A trap (the instance aborting: an allocation the tab's memory could not give, which
//! Rust does not turn into a panic, or a panic's own abort) reaches the page as a
//! `WebAssembly.RuntimeError` and shows it from a window error listener; an allocation that
//! failed first makes the banner say the memory ran out.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The banner's text after a panic or a trap of unknown cause.
pub const BROKEN: &str = "Something went wrong inside omnikpi. Reload the page to continue.";
/// The banner's text after a trap that followed a failed allocation.
pub const OUT_OF_MEMORY: &str = "omnikpi ran out of memory: this browser tab could not hold \
    the data. Reload the page to continue. For data this large, use an Arrow IPC file or a \
    cube (see the README, \"When your data outgrows a browser\").";

/// Set once an allocation has failed in this page.
static ALLOCATION_FAILED: AtomicBool = AtomicBool::new(false);

/// The system allocator, noting a failed allocation before the abort that follows it.
pub struct Watched;

// SAFETY: every call is passed to `System` unchanged; only a null result is noted.
unsafe impl GlobalAlloc for Watched {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        noted(System.alloc(layout))
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        noted(System.alloc_zeroed(layout))
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        noted(System.realloc(ptr, layout, new_size))
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[inline(always)]
fn noted(p: *mut u8) -> *mut u8 {
    if p.is_null() {
        ALLOCATION_FAILED.store(true, Ordering::Relaxed);
    }
    p
}

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: Watched = Watched;

/// Installs the panic hook and the trap listener (once, before mounting).
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show(BROKEN);
    }));
    let Some(w) = web_sys::window() else { return };
    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(|ev: web_sys::Event| {
        // An uncaught error carries it as `error`, a rejected promise as `reason`.
        let trapped = ["error", "reason"].iter().any(|k| {
            js_sys::Reflect::get(&ev, &JsValue::from_str(k))
                .is_ok_and(|v| v.is_instance_of::<js_sys::WebAssembly::RuntimeError>())
        });
        if trapped {
            show(match ALLOCATION_FAILED.load(Ordering::Relaxed) {
                true => OUT_OF_MEMORY,
                false => BROKEN,
            });
        }
    });
    for kind in ["error", "unhandledrejection"] {
        let _ = w.add_event_listener_with_callback(kind, on_error.as_ref().unchecked_ref());
    }
    // The listener lives as long as the page.
    on_error.forget();
}

/// Puts the banner with `text` above the page, unless one is there already (a panic's abort
/// is a trap too).
fn show(text: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if doc
        .query_selector("[data-testid=\"panic-banner\"]")
        .ok()
        .flatten()
        .is_some()
    {
        return;
    }
    let (Ok(div), Some(body)) = (doc.create_element("div"), doc.body()) else {
        return;
    };
    div.set_class_name("panic-banner");
    let _ = div.set_attribute("role", "alert");
    let _ = div.set_attribute("data-testid", "panic-banner");
    div.set_text_content(Some(text));
    // A link, not an inline handler: the CSP allows no inline script, and the wasm instance
    // may be unusable by now.
    if let Ok(link) = doc.create_element("a") {
        link.set_text_content(Some("Reload"));
        let href = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_else(|| ".".into());
        let _ = link.set_attribute("href", &href);
        let _ = link.set_attribute("class", "button");
        let _ = link.set_attribute("data-testid", "panic-reload");
        let _ = div.append_child(&link);
    }
    let _ = body.prepend_with_node_1(&div);
}
