//! `data/province_codes.tsv` as the province table (`src/checks/personal.rs` reads it).

use std::env;
use std::fs;
use std::path::PathBuf;

use crate::{columns, data_lines};

/// `data/province_codes.tsv` as `PROVINCES` (file order, codes ascending) and a `match` from
/// code number to name, for `src/checks/personal.rs`.
pub(crate) fn write_provinces() {
    let path = "data/province_codes.tsv";
    let mut rows: Vec<(String, String)> = Vec::new();
    for (n, line) in data_lines(path) {
        let c = columns(path, n, &line, 2, "code, province");
        let (code, name) = (c[0].trim(), c[1].trim());
        assert!(
            code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit()),
            "{path} line {n}: code {code:?} must be three digits"
        );
        if let Some((prev, _)) = rows.last() {
            assert!(
                prev.as_str() < code,
                "{path} line {n}: code {code} must come after {prev} (ascending, no repeats)"
            );
        }
        rows.push((code.to_string(), name.to_string()));
    }
    let mut out = format!(
        "/// Province codes and names, in code order.\nstatic PROVINCES: [(&str, &str); {}] = [\n",
        rows.len()
    );
    for (code, name) in &rows {
        out.push_str(&format!("    ({code:?}, {name:?}),\n"));
    }
    out.push_str("];\n/// The province whose code is `n` (0–999).\nfn province_by_number(n: u16) -> Option<&'static str> {\n    match n {\n");
    for (code, name) in &rows {
        out.push_str(&format!(
            "        {} => Some({name:?}),\n",
            code.parse::<u16>().unwrap_or_default()
        ));
    }
    out.push_str("        _ => None,\n    }\n}\n");
    let file = PathBuf::from(env::var("OUT_DIR").unwrap()).join("provinces.rs");
    fs::write(file, out).unwrap();
}
