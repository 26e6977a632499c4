//! Table-driven tests: every row of `tests/data/*.tsv` is a URL or download with the verdict,
//! category and reason codes it must get. Rows known to fail are listed, with why, in
//! `tests/data/expected_failures.tsv`; the test fails when an unlisted row fails or a listed one
//! starts to pass, and prints the regression count either way.

use std::collections::BTreeMap;
use std::path::Path;

use canhgiac::{Download, Engine, Policy, Verdict};

mod common;
use common::unescape;

/// One row's expectation.
struct Expect {
    file: &'static str,
    line: usize,
    input: String,
    verdict: String,
    category: String,
    codes: Vec<String>,
}

fn cells(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(n, l)| (n + 1, l.split('\t').collect()))
}

fn opt(cell: &str) -> Option<String> {
    (cell != "-").then(|| unescape(cell))
}

fn codes(cell: &str) -> Vec<String> {
    if cell == "-" {
        Vec::new()
    } else {
        cell.split(',').map(|c| c.trim().to_string()).collect()
    }
}

/// Compares a verdict with a row; `None` when it matches.
fn mismatch(v: &Verdict, e: &Expect) -> Option<String> {
    let got_codes: Vec<&str> = v.reasons.iter().map(|r| r.code.as_str()).collect();
    let missing: Vec<&String> = e
        .codes
        .iter()
        .filter(|c| !got_codes.contains(&c.as_str()))
        .collect();
    let ok =
        v.level.as_str() == e.verdict && v.category.as_str() == e.category && missing.is_empty();
    (!ok).then(|| {
        format!(
            "{}:{} {:?}: want {} {} {:?}, got {} {} {:?}",
            e.file,
            e.line,
            e.input.chars().take(120).collect::<String>(),
            e.verdict,
            e.category,
            e.codes,
            v.level.as_str(),
            v.category.as_str(),
            got_codes
        )
    })
}

fn policy_engine() -> Engine {
    let (policy, problems) = Policy::from_json(include_str!("data/policy.json"));
    assert!(problems.is_empty(), "tests/data/policy.json: {problems:?}");
    Engine::with_policy(policy)
}

/// Runs every table; returns (rows, failures as `file:line` → message).
fn run_tables() -> (usize, BTreeMap<String, String>) {
    let plain = Engine::new();
    let with_policy = policy_engine();
    let mut failures = BTreeMap::new();
    let mut rows = 0;
    let url_tables: [(&'static str, &str, &Engine); 2] = [
        ("urls.tsv", include_str!("data/urls.tsv"), &plain),
        (
            "policy_urls.tsv",
            include_str!("data/policy_urls.tsv"),
            &with_policy,
        ),
    ];
    for (file, text, engine) in url_tables {
        for (line, c) in cells(text) {
            assert!(
                c.len() >= 4,
                "{file}:{line}: want url, verdict, category, codes[, note]"
            );
            let e = Expect {
                file,
                line,
                input: unescape(c[0]),
                verdict: c[1].into(),
                category: c[2].into(),
                codes: codes(c[3]),
            };
            rows += 1;
            if let Some(m) = mismatch(&engine.check_url(&e.input), &e) {
                failures.insert(
                    format!("{file}:{}", e.input.chars().take(200).collect::<String>()),
                    m,
                );
            }
        }
    }
    let file = "downloads.tsv";
    for (line, c) in cells(include_str!("data/downloads.tsv")) {
        assert!(c.len() >= 9, "{file}:{line}: want url, final_url, filename, mime, referrer, content_disposition, verdict, category, codes");
        let d = Download {
            url: unescape(c[0]),
            final_url: opt(c[1]),
            filename: opt(c[2]),
            mime: opt(c[3]),
            referrer: opt(c[4]),
            content_disposition: opt(c[5]),
            trail: Vec::new(),
        };
        let e = Expect {
            file,
            line,
            input: format!("{} {}", d.url, d.filename.clone().unwrap_or_default()),
            verdict: c[6].into(),
            category: c[7].into(),
            codes: codes(c[8]),
        };
        rows += 1;
        if let Some(m) = mismatch(&plain.check_download(&d), &e) {
            failures.insert(format!("{file}:{}", e.input), m);
        }
    }
    (rows, failures)
}

#[test]
fn tables_match_with_a_counted_list_of_known_failures() {
    let (rows, failures) = run_tables();
    let known: BTreeMap<String, String> = cells(include_str!("data/expected_failures.tsv"))
        .map(|(_, c)| {
            (
                format!("{}:{}", c[0], unescape(c[1])),
                c.get(2).unwrap_or(&"").to_string(),
            )
        })
        .collect();
    let new: Vec<&String> = failures
        .iter()
        .filter(|(k, _)| !known.contains_key(*k))
        .map(|(_, m)| m)
        .collect();
    let fixed: Vec<&String> = known
        .keys()
        .filter(|k| !failures.contains_key(*k))
        .collect();
    eprintln!(
        "table rows: {rows}; failing: {} ({} expected)",
        failures.len(),
        known.len()
    );
    assert!(
        new.is_empty(),
        "{} row(s) fail that are not expected to:\n{}",
        new.len(),
        new.iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        fixed.is_empty(),
        "listed in expected_failures.tsv but now pass (remove them): {fixed:?}"
    );
    assert!(rows >= 300, "the tables hold {rows} rows");
}

#[test]
fn data_files_exist_where_the_harness_reads_them() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    for f in [
        "urls.tsv",
        "policy_urls.tsv",
        "downloads.tsv",
        "policy.json",
        "expected_failures.tsv",
    ] {
        assert!(dir.join(f).is_file(), "{f}");
    }
    assert_eq!(unescape(r"a\tb\u{202e}c\rep{3}{xy}"), "a\tb\u{202e}cxyxyxy");
}
