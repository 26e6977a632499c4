#!/usr/bin/env bash
# Measures the lookalike detector: recall on tests/data/lookalike_attacks.tsv, false positives on
# tests/data/lookalike_benign.tsv and on the shared benign lists (read in place from
# ../shared/data/benign/, never copied), printing every miss and every flagged benign host.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --release --test lookalike -- --nocapture --test-threads=1 2>&1 \
  | grep -E "lookalike (recall|false)|missed:|other target:|flagged:|skipped|test result"
