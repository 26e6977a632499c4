//! Fuzz target `policy_snapshot`: see `bodies::policy_snapshot`.
#![no_main]

#[allow(dead_code)]
#[path = "../../tests/fuzz/bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::policy_snapshot(data));
