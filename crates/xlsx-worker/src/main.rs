//! The workbook worker: receives `{bytes: Uint8Array, sheet: string|null}`, answers with the
//! sheet's cells as JSON (`{"sheet": [headers, rows]}` or `{"error": message}`). It posts
//! `"ready"` once its message handler is installed, so no request is lost during start-up.

use omnikpi_engine::io::read_sheet;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn answer(data: &JsValue) -> String {
    let bytes = js_sys::Reflect::get(data, &"bytes".into())
        .ok()
        .filter(|b| b.is_instance_of::<js_sys::Uint8Array>())
        .map(|b| js_sys::Uint8Array::new(&b).to_vec());
    let sheet = js_sys::Reflect::get(data, &"sheet".into())
        .ok()
        .and_then(|s| s.as_string());
    let reply = match bytes {
        None => serde_json::json!({ "error": "the worker received no workbook bytes" }),
        Some(bytes) => match read_sheet(&bytes, sheet.as_deref()) {
            Ok(sheet) => serde_json::json!({ "sheet": sheet }),
            Err(e) => serde_json::json!({ "error": e.to_string() }),
        },
    };
    reply.to_string()
}

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
        let _ = reply_to.post_message(&JsValue::from_str(&answer(&e.data())));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}
