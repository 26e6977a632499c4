//! The lookalike targets, keywords and brand words as indexes and hash tables.

use std::env;
use std::fs;
use std::io::Write;
use std::path::PathBuf;

use crate::hosts::write_hash_table;
use crate::layout;
use crate::{columns, data_lines};

#[path = "../src/checks/lookalike/shape.rs"]
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

/// `data/lookalike/targets.tsv` and `keywords.txt` as the static `TABLES` of
/// `src/checks/lookalike/targets.rs`: targets, two needle indexes, and hash tables of legit domains,
/// keywords and brand words.
pub(crate) fn write_lookalike_tables() {
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
            let owns = layout::host_within(imitates, d);
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
