//! Fuzz target `report`: see `bodies::report`.
#![no_main]

#[allow(dead_code)]
#[path = "../../tests/fuzz/bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::report(data));
