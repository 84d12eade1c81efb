//! Workbooks (XLSX) are read by a web worker built from `crates/xlsx-worker`: calamine and its
//! text-encoding tables stay out of the main module, and a large workbook does not freeze the
//! page. The worker's loader script name is written into `<meta name="omnikpi-xlsx-worker">` by
//! the post-build hook (its file name carries a content hash).

use js_sys::{Promise, Uint8Array};
use omnikpi_engine::io::Sheet;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, MessageEvent, Worker};

fn worker_url() -> Option<String> {
    let doc = web_sys::window()?.document()?;
    doc.query_selector("meta[name=omnikpi-xlsx-worker]")
        .ok()??
        .get_attribute("content")
}

/// Reads sheet `sheet` (or the first) of the workbook `bytes` in the worker.
pub async fn read_workbook(bytes: &[u8], sheet: Option<&str>) -> Result<Sheet, String> {
    let url = worker_url().ok_or("this build has no workbook reader")?;
    let worker =
        Worker::new(&url).map_err(|e| format!("could not start the workbook reader: {e:?}"))?;
    let request = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&request, &"bytes".into(), &Uint8Array::from(bytes));
    let _ = js_sys::Reflect::set(
        &request,
        &"sheet".into(),
        &sheet.map_or(JsValue::NULL, JsValue::from_str),
    );
    let mut handlers = None;
    let promise = Promise::new(&mut |resolve, reject| {
        let w = worker.clone();
        let req = request.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            if e.data().as_string().as_deref() == Some("ready") {
                let _ = w.post_message(&req);
            } else {
                let _ = resolve.call1(&JsValue::NULL, &e.data());
            }
        });
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |e: ErrorEvent| {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str(&e.message()));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        handlers = Some((on_message, on_error));
    });
    let result = JsFuture::from(promise).await;
    worker.terminate();
    drop(handlers);
    let text = result
        .map_err(|e| {
            format!(
                "the workbook reader failed: {}",
                e.as_string().unwrap_or_default()
            )
        })?
        .as_string()
        .unwrap_or_default();
    let reply: serde_json::Value =
        serde_json::from_slice(text.as_bytes()).map_err(|e| e.to_string())?;
    if let Some(err) = reply.get("error").and_then(|e| e.as_str()) {
        return Err(err.to_string());
    }
    serde_json::from_value(reply.get("sheet").cloned().unwrap_or_default())
        .map_err(|e| e.to_string())
}
