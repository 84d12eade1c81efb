//! The browser's time zones as the engine's zone source: `Intl.DateTimeFormat` knows every IANA
//! zone the browser does, so the wasm module carries no tz database of its own.

use js_sys::{Array, Date, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// Registers [`intl_zone`] with the engine. Call once, before any configuration is read.
pub fn install() {
    omnikpi_engine::zone::set_provider(intl_zone);
}

/// A probe giving the UTC offset of `name` at a Unix time, or `None` when the browser does not
/// know the zone (`Intl` throws a `RangeError`).
pub fn intl_zone(name: &str) -> Option<Box<dyn FnMut(i64) -> i32>> {
    let format = formatter(name).ok()?;
    let probe = move |t: i64| {
        let date = Date::new(&JsValue::from_f64(t as f64 * 1000.0));
        format
            .call1(&JsValue::NULL, &date)
            .ok()
            .and_then(|s| s.as_string())
            .and_then(|s| parse_gmt_offset(&s))
            .unwrap_or(0)
    };
    Some(Box::new(probe))
}

/// `new Intl.DateTimeFormat("en-US", {timeZone: name, timeZoneName: "longOffset"}).format`,
/// which prints e.g. `11/23/2026, GMT+01:00`.
fn formatter(name: &str) -> Result<Function, JsValue> {
    let intl = Reflect::get(&js_sys::global(), &"Intl".into())?;
    let ctor: Function = Reflect::get(&intl, &"DateTimeFormat".into())?.dyn_into()?;
    let opts = Object::new();
    Reflect::set(&opts, &"timeZone".into(), &name.into())?;
    Reflect::set(&opts, &"timeZoneName".into(), &"longOffset".into())?;
    let args = Array::of2(&"en-US".into(), &opts);
    let dtf = Reflect::construct(&ctor, &args)?;
    Reflect::get(&dtf, &"format".into())?.dyn_into()
}

/// The offset in seconds at the end of `…, GMT+05:30` (`GMT` alone is UTC; seconds allowed).
pub fn parse_gmt_offset(s: &str) -> Option<i32> {
    let tail = &s[s.rfind("GMT")? + 3..];
    if tail.is_empty() {
        return Some(0);
    }
    let sign = match tail.as_bytes()[0] {
        b'+' => 1,
        b'-' | 0xE2 => -1, // 0xE2: the first byte of U+2212 MINUS SIGN, which some locales print
        _ => return None,
    };
    let digits = tail.trim_start_matches(['+', '-', '\u{2212}']);
    let mut parts = digits.split(':').map(|p| p.parse::<i32>().ok());
    let h = parts.next()??;
    let m = parts.next().unwrap_or(Some(0))?;
    let sec = parts.next().unwrap_or(Some(0))?;
    Some(sign * (h * 3600 + m * 60 + sec))
}
