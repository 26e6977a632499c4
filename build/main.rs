//! Compiles the vendored Public Suffix List into a compact automaton, and the small tables of
//! `data/` into static arrays and hash tables, so the engine starts with all of them already in
//! its data segment instead of parsing text at its first check (which the wasm build runs in
//! V8's baseline code, right after every service-worker start). A malformed data file fails the
//! build with its path and line.

use std::fs;

mod dafsa;
mod hosts;
#[path = "../src/tables/layout.rs"]
#[allow(dead_code)]
mod layout;
mod lookalike;
mod provinces;
mod psl;
mod reasons;
mod small_tables;

fn main() {
    println!("cargo:rerun-if-changed=build");
    println!("cargo:rerun-if-changed=src/tables/layout.rs");
    println!("cargo:rerun-if-changed=src/checks/lookalike/shape.rs");
    reasons::write_reason_catalogue();
    hosts::write_host_table();
    small_tables::write_small_tables();
    lookalike::write_lookalike_tables();
    provinces::write_provinces();
    psl::write_psl_table();
}

/// The content lines of a data file (not blank, not `#` comments) with their 1-based line
/// numbers, ends trimmed; registers the file for rebuilds.
fn data_lines(path: &str) -> Vec<(usize, String)> {
    println!("cargo:rerun-if-changed={path}");
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    text.lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.trim_end().to_string()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Splits a data line into exactly `want` tab-separated columns, or fails the build.
fn columns<'a>(path: &str, n: usize, line: &'a str, want: usize, what: &str) -> Vec<&'a str> {
    let cols: Vec<&str> = line.split('\t').collect();
    assert!(
        cols.len() == want && cols.iter().all(|c| !c.trim().is_empty()),
        "{path} line {n}: want {want} non-empty tab-separated columns ({what}), found {}: {line:?}",
        cols.len()
    );
    cols
}

/// Inserts `key` into a map that must not hold it yet, or fails the build naming both lines.
fn insert_once<V>(
    map: &mut std::collections::BTreeMap<String, (usize, V)>,
    path: &str,
    n: usize,
    key: &str,
    v: V,
) {
    if let Some((first, _)) = map.get(key) {
        panic!("{path} line {n}: {key:?} is already on line {first}");
    }
    map.insert(key.to_string(), (n, v));
}
