//! The small tables of `data/` (stores, file types, MIME types, redirectors) as sorted arrays.

use std::env;
use std::fs;
use std::path::PathBuf;

use crate::layout;
use crate::{columns, data_lines, insert_once};

/// The `FileKind` variant a data file names (`layout::FILE_KINDS`).
fn file_kind(path: &str, n: usize, name: &str) -> &'static str {
    match layout::FILE_KINDS.iter().find(|(data, _)| *data == name) {
        Some((_, variant)) => variant,
        None => {
            let known: Vec<&str> = layout::FILE_KINDS.iter().map(|k| k.0).collect();
            panic!(
                "{path} line {n}: unknown file kind {name:?} ({})",
                known.join(", ")
            )
        }
    }
}

/// `data/official_stores.tsv`, `file_types.tsv`, `mime_types.tsv` and `redirectors.tsv` as the
/// static `TABLES` of `src/tables/mod.rs`: maps sorted by key for binary search.
pub(crate) fn write_small_tables() {
    use std::collections::BTreeMap;
    let mut out = String::new();

    let path = "data/official_stores.tsv";
    let mut stores = BTreeMap::new();
    for (n, line) in data_lines(path) {
        let c = columns(path, n, &line, 2, "host, store name");
        insert_once(&mut stores, path, n, c[0], c[1].to_string());
    }
    out.push_str("static TABLES: Tables = Tables {\n    official_stores: StrMap { entries: &[\n");
    for (k, (_, v)) in &stores {
        out.push_str(&format!("        ({k:?}, {v:?}),\n"));
    }

    let path = "data/file_types.tsv";
    let mut types = BTreeMap::new();
    for (n, line) in data_lines(path) {
        let c = columns(path, n, &line, 3, "ending, kind, in path");
        let kind = file_kind(path, n, c[1]);
        assert!(
            matches!(c[2], "yes" | "no" | "-"),
            "{path} line {n}: third column must be yes, no or -, not {:?}",
            c[2]
        );
        insert_once(&mut types, path, n, c[0], (kind, c[2] == "yes"));
    }
    out.push_str("    ] },\n    file_types: StrMap { entries: &[\n");
    for (k, (_, (kind, in_path))) in &types {
        out.push_str(&format!(
            "        ({k:?}, FileType {{ kind: FileKind::{kind}, in_path: {in_path} }}),\n"
        ));
    }

    let path = "data/mime_types.tsv";
    let mut mimes = BTreeMap::new();
    for (n, line) in data_lines(path) {
        let c = columns(path, n, &line, 2, "MIME type, kind");
        insert_once(&mut mimes, path, n, c[0], file_kind(path, n, c[1]));
    }
    out.push_str("    ] },\n    mime_types: StrMap { entries: &[\n");
    for (k, (_, kind)) in &mimes {
        out.push_str(&format!("        ({k:?}, FileKind::{kind}),\n"));
    }

    let path = "data/redirectors.tsv";
    let rows = data_lines(path);
    out.push_str("    ] },\n    redirectors: [\n");
    for (n, line) in &rows {
        let c = columns(path, *n, line, 3, "host, path, parameters");
        assert!(
            c[1].starts_with('/'),
            "{path} line {n}: the path {:?} must start with /",
            c[1]
        );
        let params: Vec<&str> = c[2].split(',').collect();
        assert!(
            params.iter().all(|p| !p.is_empty()),
            "{path} line {n}: empty parameter name in {:?}",
            c[2]
        );
        out.push_str(&format!(
            "        Redirector {{ host: {:?}, path: {:?}, params: &{params:?} }},\n",
            c[0], c[1]
        ));
    }
    out.push_str("    ],\n};\n");
    out.push_str(&format!(
        "/// How many link wrappers `data/redirectors.tsv` lists.\npub const REDIRECTOR_COUNT: usize = {};\n",
        rows.len()
    ));
    let file = PathBuf::from(env::var("OUT_DIR").unwrap()).join("small_tables.rs");
    fs::write(file, out).unwrap();
}
