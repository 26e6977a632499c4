//! Replays every saved fuzz input (`tests/data/fuzz/<target>/`) through the same body the fuzz
//! target runs (`tests/fuzz/bodies.rs`). The folders hold seeds, which steer the fuzzer to real
//! shapes, and every input that once made a body panic, kept after the fix.

#[path = "fuzz/bodies.rs"]
mod bodies;

use std::fs;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

#[test]
fn every_saved_fuzz_input_runs_without_a_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz");
    let mut failures = Vec::new();
    for (name, body) in bodies::BODIES {
        let dir = root.join(name);
        let entries = fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let mut count = 0;
        for entry in entries {
            let path = entry.expect("a readable folder entry").path();
            let data = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            count += 1;
            if let Err(cause) = panic::catch_unwind(AssertUnwindSafe(|| body(&data))) {
                let why = cause
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| cause.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{}: {why}", path.display()));
            }
        }
        // A target with nothing saved would pass without running its body at all.
        assert!(count > 0, "no saved inputs in {}", dir.display());
    }
    assert!(
        failures.is_empty(),
        "{} saved inputs panic:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
