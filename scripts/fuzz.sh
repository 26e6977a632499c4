#!/usr/bin/env bash
# Fuzzes the engine's input surfaces with cargo-fuzz (libFuzzer): each target for SECONDS
# (default 60), seeded from tests/data/fuzz/<target>/. New interesting inputs go to
# fuzz/corpus/<target>/ (not committed); a crash is saved under fuzz/artifacts/<target>/.
# Once the engine is fixed, copy the crashing input into tests/data/fuzz/<target>/, where
# tests/fuzz_regressions.rs replays it on stable at every ./build.sh test.
# Needs a nightly toolchain and cargo-fuzz (cargo install cargo-fuzz).
#   scripts/fuzz.sh [SECONDS] [TARGET ...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || mapfile -t targets < <(sed -n 's/^name = "\(.*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^canhgiac-fuzz$')
cargo +nightly fuzz build
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  echo "== $t (${seconds}s)"
  # -max_len: the engine refuses URLs over 64 KiB and policies are small; longer inputs only slow the search.
  cargo +nightly fuzz run "$t" "fuzz/corpus/$t" "tests/data/fuzz/$t" -- \
    -max_total_time="$seconds" -max_len=8192 -print_final_stats=1 2>&1 | grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written)' || true
  if compgen -G "fuzz/artifacts/$t/*" > /dev/null; then echo "!! $t: crash inputs in fuzz/artifacts/$t/"; fi
done
