#![no_main]
//! Fuzzes the csv reader: no panic, every row accounted for.

#[allow(dead_code)]
#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check_csv(data));
