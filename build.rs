//! Compiles the vendored Public Suffix List into a perfect-hash table, so the engine
//! starts with the list already in its data segment instead of parsing text at start-up.

use std::env;
use std::fs;
use std::io::Write;
use std::path::PathBuf;

/// Flag bits; must match `src/psl.rs`.
const RULE_ICANN: u8 = 1;
const RULE_PRIVATE: u8 = 2;
const WILDCARD_ICANN: u8 = 4;
const WILDCARD_PRIVATE: u8 = 8;
const EXCEPTION: u8 = 16;

fn main() {
    let list_path = "data/public_suffix_list.dat";
    println!("cargo:rerun-if-changed={list_path}");
    println!("cargo:rerun-if-changed=build.rs");
    write_reason_catalogue();
    let text = fs::read_to_string(list_path).expect("data/public_suffix_list.dat is missing");

    let mut rules: std::collections::BTreeMap<String, u8> = Default::default();
    let mut private = false;
    let mut version = String::from("unknown");
    let mut commit = String::from("unknown");
    for line in text.lines() {
        let line = line.trim();
        if let Some(v) = line.strip_prefix("// VERSION: ") {
            version = v.trim().to_string();
        }
        if let Some(c) = line.strip_prefix("// COMMIT: ") {
            commit = c.trim().to_string();
        }
        if line.contains("===BEGIN PRIVATE DOMAINS===") {
            private = true;
        }
        if line.is_empty() || line.starts_with("//") {
            continue;
        }
        // A rule is the first whitespace-delimited word of its line.
        let rule = line.split_whitespace().next().unwrap_or_default();
        let (body, flag) = if let Some(rest) = rule.strip_prefix('!') {
            (rest, EXCEPTION)
        } else if let Some(rest) = rule.strip_prefix("*.") {
            (
                rest,
                if private {
                    WILDCARD_PRIVATE
                } else {
                    WILDCARD_ICANN
                },
            )
        } else {
            (rule, if private { RULE_PRIVATE } else { RULE_ICANN })
        };
        let ascii = idna::domain_to_ascii(body)
            .unwrap_or_else(|e| panic!("PSL rule {rule:?} is not a valid domain: {e:?}"));
        assert!(
            !ascii.contains('*'),
            "PSL rule {rule:?}: wildcards only as the first label"
        );
        *rules.entry(ascii).or_default() |= flag;
    }
    assert!(
        rules.len() > 5000,
        "the vendored PSL looks truncated ({} rules)",
        rules.len()
    );

    let mut map = phf_codegen::Map::<&[u8]>::new();
    let keys: Vec<(Vec<u8>, u8)> = rules
        .iter()
        .map(|(k, v)| (k.as_bytes().to_vec(), *v))
        .collect();
    for (k, v) in &keys {
        map.entry(k.as_slice(), v.to_string());
    }
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("psl_table.rs");
    let mut f = fs::File::create(out).unwrap();
    writeln!(
        f,
        "/// Rules of the vendored Public Suffix List, keyed by ASCII suffix."
    )
    .unwrap();
    writeln!(
        f,
        "static RULES: phf::Map<&'static [u8], u8> = {};",
        map.build()
    )
    .unwrap();
    writeln!(f, "/// The `VERSION` line of the vendored list.").unwrap();
    writeln!(f, "pub const LIST_VERSION: &str = {version:?};").unwrap();
    writeln!(f, "/// The `COMMIT` line of the vendored list.").unwrap();
    writeln!(f, "pub const LIST_COMMIT: &str = {commit:?};").unwrap();
    writeln!(f, "/// How many distinct suffixes the table holds.").unwrap();
    writeln!(f, "pub const RULE_COUNT: usize = {};", rules.len()).unwrap();
}

/// Turns `data/reasons.tsv` into the `ReasonCode` enum and its message templates, so codes and
/// both languages live in one table that the extension can also read.
fn write_reason_catalogue() {
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
