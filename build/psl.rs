//! The Public Suffix List as an automaton over reversed names (`src/tables/psl.rs` reads it).

use std::env;
use std::fs;
use std::io::Write;
use std::path::PathBuf;

use crate::dafsa;
use crate::layout::{EXCEPTION, RULE_ICANN, RULE_PRIVATE, WILDCARD_ICANN, WILDCARD_PRIVATE};

/// Where the vendored list is.
const LIST_PATH: &str = "data/public_suffix_list.dat";

/// Compiles the vendored list into `psl_table.rs`: the automaton, its version and rule count.
pub(crate) fn write_psl_table() {
    let list_path = LIST_PATH;
    println!("cargo:rerun-if-changed={list_path}");
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

    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("psl_table.rs");
    let mut f = fs::File::create(out).unwrap();
    let graph = dafsa::build(rules.iter().map(|(k, v)| (k.as_str(), *v)));
    writeln!(
        f,
        "/// The list as an automaton over reversed names (`src/tables/dafsa.rs`)."
    )
    .unwrap();
    writeln!(f, "static PSL: [u8; {}] = {graph:?};", graph.len()).unwrap();
    writeln!(f, "/// The `VERSION` line of the vendored list.").unwrap();
    writeln!(f, "pub const LIST_VERSION: &str = {version:?};").unwrap();
    writeln!(f, "/// The `COMMIT` line of the vendored list.").unwrap();
    writeln!(f, "pub const LIST_COMMIT: &str = {commit:?};").unwrap();
    writeln!(f, "/// How many distinct suffixes the table holds.").unwrap();
    writeln!(f, "pub const RULE_COUNT: usize = {};", rules.len()).unwrap();
}
