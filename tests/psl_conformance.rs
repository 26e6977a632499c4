//! The Public Suffix List's own conformance file, run against the embedded table and, as a peer,
#![cfg(not(target_arch = "wasm32"))]
//! against the `publicsuffix` crate reading the same vendored list.

use std::collections::HashMap;
use std::path::Path;

use canhgiac::{psl, Engine};

const VENDORED: &str = include_str!("data/psl/test_psl.txt");
const EXPECTED_FAILURES: &str = include_str!("data/psl/expected_failures.txt");

/// `(input, expected)` pairs from `checkPublicSuffix('in', 'out');` lines; `None` is `null`.
fn cases(text: &str) -> Vec<(Option<String>, Option<String>)> {
    let arg = |s: &str| -> Option<String> {
        let s = s.trim();
        (s != "null").then(|| s.trim_matches('\'').to_string())
    };
    text.lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("checkPublicSuffix(")?
                .strip_suffix(");")
                .map(str::to_string)
        })
        .map(|body| {
            let (a, b) = body.split_once(',').expect("two arguments");
            (arg(a), arg(b))
        })
        .collect()
}

/// The expected answer in ASCII (the file writes some in Unicode).
fn ascii(expected: &Option<String>) -> Option<String> {
    expected
        .as_ref()
        .map(|e| idna::domain_to_ascii(e).expect("expected values are valid names"))
}

#[test]
fn every_conformance_case_passes() {
    let engine = Engine::new();
    let known: HashMap<&str, &str> = EXPECTED_FAILURES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split_once('\t').unwrap_or((l, "")))
        .collect();
    let all = cases(VENDORED);
    assert!(all.len() > 60, "the file was read: {} cases", all.len());
    let mut failures = Vec::new();
    let mut fixed = Vec::new();
    for (input, expected) in &all {
        let got = match input {
            None => None,
            Some(i) => engine.registrable_domain(i).ok().flatten(),
        };
        let ok = got == ascii(expected);
        let key = input.as_deref().unwrap_or("null");
        match (ok, known.contains_key(key)) {
            (false, false) => failures.push(format!("{key}: expected {expected:?}, got {got:?}")),
            (true, true) => fixed.push(key.to_string()),
            _ => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
    assert!(
        fixed.is_empty(),
        "listed as expected failures but now pass: {fixed:?}"
    );
}

#[test]
fn vendored_copy_matches_the_shared_one() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/test_psl.txt");
    match std::fs::read_to_string(&shared) {
        Ok(text) => assert_eq!(
            text,
            VENDORED,
            "tests/data/psl/test_psl.txt differs from {}",
            shared.display()
        ),
        Err(_) => eprintln!(
            "note: {} not present; the vendored copy was used alone",
            shared.display()
        ),
    }
}

#[test]
fn embedded_table_agrees_with_the_publicsuffix_crate() {
    let peer: publicsuffix::List = include_str!("../data/public_suffix_list.dat")
        .parse()
        .expect("the peer reads the vendored list");
    let peer_resolver = psl::ListResolver(peer);
    let mut hosts: Vec<String> = cases(VENDORED).into_iter().filter_map(|(i, _)| i).collect();
    hosts.extend(
        [
            "evil.web.app",
            "a.b.blogspot.com.vn",
            "dichvucong.gov.vn",
            "x.y.city.kawasaki.jp",
            "www.city.kawasaki.jp",
            "foo.s3.amazonaws.com",
            "a.b.c.d.e.f.g.h.example.co.uk",
            "app-vn.top",
            "z.xn--fiqs8s",
        ]
        .map(String::from),
    );
    // When the shared benign lists are beside the repository, compare on them too.
    let benign =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/benign/top_domains.txt");
    if let Ok(text) = std::fs::read_to_string(benign) {
        hosts.extend(
            text.lines()
                .filter(|l| !l.starts_with('#'))
                .map(|l| format!("www.{l}")),
        );
    }
    let mut disagreements = Vec::new();
    for h in &hosts {
        let Ok(Some(url::Host::Domain(d))) = url::Host::parse(h).map(Some) else {
            continue;
        };
        let ours = psl::registrable_domain(&canhgiac::EmbeddedList, &d);
        let theirs = psl::registrable_domain(&peer_resolver, &d);
        if ours != theirs {
            disagreements.push(format!("{d}: ours {ours:?}, publicsuffix {theirs:?}"));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}
