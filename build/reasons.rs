//! `data/reasons.tsv` as the `ReasonCode` enum and its messages (`src/verdict.rs` reads it).

use std::env;
use std::fs;
use std::io::Write;
use std::path::PathBuf;

/// Turns `data/reasons.tsv` into the `ReasonCode` enum and its message templates, so codes and
/// both languages live in one table that the extension can also read.
pub(crate) fn write_reason_catalogue() {
    let path = "data/reasons.tsv";
    println!("cargo:rerun-if-changed={path}");
    let text = fs::read_to_string(path).expect("data/reasons.tsv is missing");
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(
            cols.len() == 3,
            "data/reasons.tsv line {}: want code, vi, en",
            n + 1
        );
        let code = cols[0];
        assert!(
            code.bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit()),
            "data/reasons.tsv line {}: code {code:?} must be snake_case",
            n + 1
        );
        let variant: String = code
            .split('_')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            })
            .collect();
        rows.push((
            code.to_string(),
            variant,
            cols[1].to_string(),
            cols[2].to_string(),
        ));
    }
    let mut codes = std::collections::HashSet::new();
    for r in &rows {
        assert!(
            codes.insert(r.0.clone()),
            "data/reasons.tsv: duplicate code {}",
            r.0
        );
    }
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("reason_codes.rs");
    let mut f = fs::File::create(out).unwrap();
    writeln!(
        f,
        "/// A stable reason code; the list is append-only (see `data/reasons.tsv`)."
    )
    .unwrap();
    writeln!(
        f,
        "#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]"
    )
    .unwrap();
    writeln!(f, "#[non_exhaustive]").unwrap();
    writeln!(f, "pub enum ReasonCode {{").unwrap();
    for r in &rows {
        writeln!(
            f,
            "    /// `{}`: {}",
            r.0,
            r.3.replace('{', "(").replace('}', ")")
        )
        .unwrap();
        writeln!(f, "    {},", r.1).unwrap();
    }
    writeln!(f, "}}").unwrap();
    writeln!(f, "impl ReasonCode {{").unwrap();
    writeln!(f, "    /// Every code, in catalogue order.").unwrap();
    write!(f, "    pub const ALL: &'static [ReasonCode] = &[").unwrap();
    for r in &rows {
        write!(f, "ReasonCode::{}, ", r.1).unwrap();
    }
    writeln!(f, "];").unwrap();
    writeln!(f, "    /// The code as it appears in verdicts and reports.").unwrap();
    writeln!(
        f,
        "    pub const fn as_str(self) -> &'static str {{ match self {{"
    )
    .unwrap();
    for r in &rows {
        writeln!(f, "        ReasonCode::{} => {:?},", r.1, r.0).unwrap();
    }
    writeln!(f, "    }} }}").unwrap();
    writeln!(
        f,
        "    /// The message template in `lang`; `{{detail}}` marks where the detail goes."
    )
    .unwrap();
    writeln!(
        f,
        "    pub const fn template(self, lang: Lang) -> &'static str {{ match (self, lang) {{"
    )
    .unwrap();
    for r in &rows {
        writeln!(f, "        (ReasonCode::{}, Lang::Vi) => {:?},", r.1, r.2).unwrap();
        writeln!(f, "        (ReasonCode::{}, Lang::En) => {:?},", r.1, r.3).unwrap();
    }
    writeln!(f, "    }} }}").unwrap();
    writeln!(f, "}}").unwrap();
}
