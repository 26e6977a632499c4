//! Compiles the vendored Public Suffix List into a perfect-hash table, so the engine
//! starts with the list already in its data segment instead of parsing text at start-up.

use std::env;
use std::fs;
use std::io::Write;
use std::path::PathBuf;

/// Slots per key in the generated tables: at most half full keeps linear probes short.
const SLOTS_PER_KEY: usize = 2;

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
    write_host_table();
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
    write_hash_table(&mut f, "PSL", rules.iter().map(|(k, v)| (k.as_str(), *v)));
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

/// FNV-1a over the bytes of `key` from last to first. Hashing backwards lets the engine extend a
/// suffix leftwards label by label and keep hashing where it stopped. Must match `src/hosttable.rs`.
fn reverse_fnv(key: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in key.iter().rev() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Writes an open-addressing table `NAME_KEYS` (concatenated bytes), `NAME_OFFSETS`, `NAME_VALUES`
/// and `NAME_SLOTS` (entry index + 1, 0 for empty; a power of two long) for `src/hosttable.rs`.
fn write_hash_table<'a>(
    f: &mut fs::File,
    name: &str,
    entries: impl Iterator<Item = (&'a str, u8)>,
) {
    let entries: Vec<(&str, u8)> = entries.collect();
    let slots_len = (entries.len() * SLOTS_PER_KEY).next_power_of_two().max(16);
    assert!(
        entries.len() < usize::from(u16::MAX),
        "{name}: too many keys for u16 slots"
    );
    let mut slots = vec![0u16; slots_len];
    let mut keys = Vec::new();
    let mut offsets = vec![0u32];
    for (i, (k, _)) in entries.iter().enumerate() {
        keys.extend_from_slice(k.as_bytes());
        offsets.push(keys.len() as u32);
        let mut s = reverse_fnv(k.as_bytes()) as usize & (slots_len - 1);
        while slots[s] != 0 {
            s = (s + 1) & (slots_len - 1);
        }
        slots[s] = i as u16 + 1;
    }
    let keys_text = String::from_utf8(keys).expect("ASCII keys");
    writeln!(f, "static {name}_KEYS: &[u8] = b{keys_text:?};").unwrap();
    writeln!(
        f,
        "static {name}_OFFSETS: [u32; {}] = {offsets:?};",
        offsets.len()
    )
    .unwrap();
    let values: Vec<u8> = entries.iter().map(|e| e.1).collect();
    writeln!(
        f,
        "static {name}_VALUES: [u8; {}] = {values:?};",
        values.len()
    )
    .unwrap();
    writeln!(f, "static {name}_SLOTS: [u16; {slots_len}] = {slots:?};").unwrap();
    writeln!(
        f,
        "static {name}: crate::hosttable::HostTable = crate::hosttable::HostTable {{ keys: {name}_KEYS, offsets: &{name}_OFFSETS, values: &{name}_VALUES, slots: &{name}_SLOTS }};"
    )
    .unwrap();
}

/// Flag bits of the host table; must match `src/tables.rs`.
const HOST_FLAG_FILES: [(&str, u8); 4] = [
    ("data/official_stores.tsv", 1),
    ("data/shorteners.txt", 2),
    ("data/apk_sites.txt", 4),
    ("data/chat_sites.txt", 8),
];

/// Merges the host lists of `data/` into one table, so a check walks a host's suffixes once.
fn write_host_table() {
    let mut hosts: std::collections::BTreeMap<String, u8> = Default::default();
    for (path, flag) in HOST_FLAG_FILES {
        println!("cargo:rerun-if-changed={path}");
        let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let host = line.split('\t').next().unwrap_or_default().trim();
            assert!(
                !host.is_empty()
                    && host.bytes().all(|b| b.is_ascii_lowercase()
                        || b.is_ascii_digit()
                        || b == b'.'
                        || b == b'-'),
                "{path}: {host:?} must be a lowercase ASCII host"
            );
            *hosts.entry(host.to_string()).or_default() |= flag;
        }
    }
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("host_table.rs");
    let mut f = fs::File::create(out).unwrap();
    write_hash_table(&mut f, "HOSTS", hosts.iter().map(|(k, v)| (k.as_str(), *v)));
}
