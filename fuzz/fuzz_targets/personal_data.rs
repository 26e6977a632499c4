//! Fuzz target `personal_data`: see `bodies::personal_data`.
#![no_main]

#[allow(dead_code)]
#[path = "../../tests/fuzz/bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::personal_data(data));
