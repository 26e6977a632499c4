//! Compiles the vendored Public Suffix List into a compact automaton, and the small tables of
//! `data/` into static arrays and hash tables, so the engine starts with all of them already in
//! its data segment instead of parsing text at its first check (which the wasm build runs in
//! V8's baseline code, right after every service-worker start). A malformed data file fails the
//! build with its path and line.

use std::env;
use std::fs;
use std::io::Write;
use std::path::PathBuf;

#[path = "build/dafsa.rs"]
mod dafsa;

/// Slots per key in the generated tables: at most half full keeps linear probes short.
const SLOTS_PER_KEY: usize = 2;

/// Flag bits; must match `src/tables/psl.rs`.
const RULE_ICANN: u8 = 1;
const RULE_PRIVATE: u8 = 2;
const WILDCARD_ICANN: u8 = 4;
const WILDCARD_PRIVATE: u8 = 8;
const EXCEPTION: u8 = 16;

fn main() {
    let list_path = "data/public_suffix_list.dat";
    println!("cargo:rerun-if-changed={list_path}");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=build/dafsa.rs");
    write_reason_catalogue();
    write_host_table();
    write_small_tables();
    write_lookalike_tables();
    write_provinces();
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
/// suffix leftwards label by label and keep hashing where it stopped. Must match `src/tables/hosttable.rs`.
fn reverse_fnv(key: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in key.iter().rev() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Writes an open-addressing table `NAME_KEYS` (concatenated bytes), `NAME_OFFSETS`, `NAME_VALUES`
/// and `NAME_SLOTS` (entry index + 1, 0 for empty; a power of two long) for `src/tables/hosttable.rs`.
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

/// Flag bits of the host table; must match `src/tables/mod.rs`.
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

/// The `FileKind` variant a data file names; must match `src/tables/mod.rs`.
fn file_kind(path: &str, n: usize, name: &str) -> &'static str {
    match name {
        "app_package" => "AppPackage",
        "ios_profile" => "IosProfile",
        "executable" => "Executable",
        "document" => "Document",
        other => panic!(
            "{path} line {n}: unknown file kind {other:?} (app_package, ios_profile, executable, document)"
        ),
    }
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

/// `data/official_stores.tsv`, `file_types.tsv`, `mime_types.tsv` and `redirectors.tsv` as the
/// static `TABLES` of `src/tables/mod.rs`: maps sorted by key for binary search.
fn write_small_tables() {
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

#[path = "src/checks/lookalike/shape.rs"]
#[allow(dead_code)]
mod shape;
use shape::{bigram, DOMAIN_NEEDLE_MIN, SYMBOLS, TYPO_MAX_LEN};

/// A needle while building: text, target index, `Mode` variant.
type BuildNeedle = (String, usize, &'static str);

/// Writes `static NAME: Index`: needles sorted by bigram, longest first within one (stable, so
/// file order breaks ties), and per bigram the `(start, end)` of its run.
fn write_index(out: &mut String, name: &str, needles: &[BuildNeedle]) {
    let mut sorted: Vec<&BuildNeedle> = needles
        .iter()
        .filter(|n| bigram(n.0.as_bytes()).is_some())
        .collect();
    sorted.sort_by_key(|n| (bigram(n.0.as_bytes()), std::cmp::Reverse(n.0.len())));
    let mut slots = vec![(0u16, 0u16); SYMBOLS * SYMBOLS];
    for (i, n) in sorted.iter().enumerate() {
        let k = bigram(n.0.as_bytes()).unwrap_or_default();
        if slots[k].1 == 0 {
            slots[k].0 = i as u16;
        }
        slots[k].1 = i as u16 + 1;
    }
    out.push_str(&format!(
        "static {name}_NEEDLES: [Needle; {}] = [\n",
        sorted.len()
    ));
    for (text, target, mode) in &sorted {
        out.push_str(&format!(
            "    Needle {{ text: {text:?}, target: {target}, mode: Mode::{mode} }},\n"
        ));
    }
    out.push_str("];\n");
    out.push_str(&format!(
        "static {name}_SLOTS: [(u16, u16); {}] = {slots:?};\n",
        slots.len()
    ));
    out.push_str(&format!(
        "static {name}: Index = Index {{ needles: &{name}_NEEDLES, slots: &{name}_SLOTS }};\n"
    ));
}

/// Whether `host` is `domain` or one of its subdomains (as `facts::host_within`).
fn host_within(host: &str, domain: &str) -> bool {
    host.len() >= domain.len()
        && host.ends_with(domain)
        && (host.len() == domain.len() || host.as_bytes()[host.len() - domain.len() - 1] == b'.')
}

/// `data/lookalike/targets.tsv` and `keywords.txt` as the static `TABLES` of
/// `src/checks/lookalike/targets.rs`: targets, two needle indexes, and hash tables of legit domains,
/// keywords and brand words.
fn write_lookalike_tables() {
    use std::collections::BTreeMap;
    let path = "data/lookalike/targets.tsv";
    let ascii_word = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    let ascii_host = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
    };
    let mut targets: Vec<(String, bool)> = Vec::new();
    let mut words: Vec<BuildNeedle> = Vec::new();
    // Legit domain → target it stands for, in first-listed order of domains.
    let mut legit: BTreeMap<String, usize> = BTreeMap::new();
    // `data_lines` trims line ends; targets.tsv's last column is free text, so that is harmless.
    for (n, line) in data_lines(path) {
        let c = columns(
            path,
            n,
            &line,
            6,
            "words, imitates, legit, mode, scope, source",
        );
        let (w, imitates, legit_list, mode, scope) = (c[0], c[1], c[2], c[3], c[4]);
        let mode = match mode {
            "strong" => "Strong",
            "combo" => "Combo",
            "exact" => "Exact",
            other => panic!("{path} line {n}: unknown mode {other:?} (strong, combo, exact)"),
        };
        assert!(
            matches!(scope, "vn" | "global"),
            "{path} line {n}: unknown scope {scope:?} (vn, global)"
        );
        assert!(
            ascii_host(imitates),
            "{path} line {n}: imitates {imitates:?} must be a lowercase ASCII host"
        );
        let target = targets.len();
        assert!(target < 255, "{path} line {n}: more than 255 targets");
        targets.push((imitates.to_string(), scope == "global"));
        for text in w.split(',') {
            assert!(
                ascii_word(text),
                "{path} line {n}: word {text:?} must be lowercase ASCII letters and digits"
            );
            words.push((text.to_string(), target, mode));
        }
        for d in legit_list.split(',') {
            assert!(
                ascii_host(d),
                "{path} line {n}: legit domain {d:?} must be a lowercase ASCII host"
            );
            // A domain listed by several targets stands for the one it is the address of
            // (`zalopay.vn` for ZaloPay, not Zalo), else for the first that lists it.
            let owns = host_within(imitates, d);
            let e = legit.entry(d.to_string()).or_insert(target);
            if owns {
                *e = target;
            }
        }
    }
    assert!(!targets.is_empty(), "{path}: no targets");
    let mut domains: Vec<BuildNeedle> = Vec::new();
    let mut flats: BTreeMap<String, &str> = BTreeMap::new();
    for (d, &target) in &legit {
        let flat: String = d.chars().filter(char::is_ascii_alphanumeric).collect();
        if flat.len() >= DOMAIN_NEEDLE_MIN {
            // Two domains that flatten alike would make the embedding match depend on order.
            if let Some(other) = flats.insert(flat.clone(), d) {
                panic!("{path}: legit domains {other:?} and {d:?} flatten alike ({flat:?})");
            }
            domains.push((flat, target, "Strong"));
        }
    }

    let kw_path = "data/lookalike/keywords.txt";
    let mut keywords: BTreeMap<String, u8> = BTreeMap::new();
    for (n, line) in data_lines(kw_path) {
        let k = line.trim();
        assert!(
            ascii_word(k),
            "{kw_path} line {n}: keyword {k:?} must be lowercase ASCII letters and digits"
        );
        keywords.insert(k.to_string(), 1);
    }
    // Scam vocabulary (`sukien`, `nhanqua`) next to a brand is a combo-squat's filler too.
    let sw_path = "data/scam_words.tsv";
    for (n, line) in data_lines(sw_path) {
        let word = columns(sw_path, n, &line, 3, "word, weight, meaning")[0];
        assert!(
            ascii_word(word),
            "{sw_path} line {n}: word {word:?} must be lowercase ASCII letters"
        );
        keywords.insert(word.to_string(), 1);
    }
    let word_set: BTreeMap<&str, u8> = words.iter().map(|w| (w.0.as_str(), 1)).collect();

    let mut out = String::new();
    out.push_str(&format!(
        "static TARGET_LIST: [Target; {}] = [\n",
        targets.len()
    ));
    for (imitates, global) in &targets {
        out.push_str(&format!(
            "    Target {{ imitates: {imitates:?}, global: {global} }},\n"
        ));
    }
    out.push_str("];\n");
    write_index(&mut out, "WORDS", &words);
    write_index(&mut out, "DOMAINS", &domains);
    // Words open to typo matching, by length, in file order.
    let mut by_len: Vec<Vec<&BuildNeedle>> = vec![Vec::new(); TYPO_MAX_LEN + 1];
    for w in &words {
        if w.2 != "Exact" && w.0.len() <= TYPO_MAX_LEN {
            by_len[w.0.len()].push(w);
        }
    }
    out.push_str(&format!(
        "static TYPO_BY_LEN: [&[Needle]; {}] = [\n",
        TYPO_MAX_LEN + 1
    ));
    for group in &by_len {
        out.push_str("    &[");
        for (text, target, mode) in group {
            out.push_str(&format!(
                "Needle {{ text: {text:?}, target: {target}, mode: Mode::{mode} }}, "
            ));
        }
        out.push_str("],\n");
    }
    out.push_str("];\n");
    let file = PathBuf::from(env::var("OUT_DIR").unwrap()).join("lookalike_tables.rs");
    let mut f = fs::File::create(file).unwrap();
    f.write_all(out.as_bytes()).unwrap();
    let legit_u8: Vec<(&str, u8)> = legit.iter().map(|(k, &v)| (k.as_str(), v as u8)).collect();
    write_hash_table(&mut f, "LEGIT", legit_u8.into_iter());
    write_hash_table(
        &mut f,
        "KEYWORDS",
        keywords.iter().map(|(k, v)| (k.as_str(), *v)),
    );
    write_hash_table(&mut f, "WORD_SET", word_set.into_iter());
}

/// `data/province_codes.tsv` as `PROVINCES` (file order, codes ascending) and a `match` from
/// code number to name, for `src/checks/personal.rs`.
fn write_provinces() {
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
