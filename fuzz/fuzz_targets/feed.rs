//! Fuzz target `feed`: see `bodies::feed`.
#![no_main]

#[allow(dead_code)]
#[path = "../../tests/fuzz/bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::feed(data));
