//! The Public Suffix List's own conformance file, run against the embedded table and, as a peer,
//! against the `publicsuffix` crate reading the same vendored list.
#![cfg(not(target_arch = "wasm32"))]

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
        // The answer comes in the form given: Unicode for the file's Unicode inputs.
        let ok = got == *expected;
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

/// The list's algorithm exactly as publicsuffix.org writes it (every rule that matches; an
/// exception prevails, else the rule with the most labels), slow and plain: the reference the
/// compact automaton is held to. (The `publicsuffix` crate is no referee here: it misses a
/// wildcard whose label is also spelt out by a longer rule, as in `*.cloud.int.apple` beside
/// `*.r.cloud.int.apple`.)
struct ByTheBook(HashMap<String, Vec<(char, bool)>>);

impl ByTheBook {
    fn new(text: &str) -> Self {
        let mut rules: HashMap<String, Vec<(char, bool)>> = HashMap::new();
        let mut private = false;
        for line in text.lines().map(str::trim) {
            private |= line.contains("===BEGIN PRIVATE DOMAINS===");
            if line.is_empty() || line.starts_with("//") {
                continue;
            }
            let (kind, body) = match line {
                l if l.starts_with('!') => ('!', &l[1..]),
                l if l.starts_with("*.") => ('*', &l[2..]),
                l => ('=', l),
            };
            let body = idna::domain_to_ascii(body).expect("rules are valid names");
            rules.entry(body).or_default().push((kind, private));
        }
        ByTheBook(rules)
    }
}

impl psl::DomainResolver for ByTheBook {
    fn public_suffix(&self, host: &str) -> Option<psl::SuffixInfo> {
        let labels: Vec<&str> = host.split('.').collect();
        let tail = |k: usize| labels[labels.len() - k..].join(".");
        // (labels in the public suffix, private, exception) of every rule that matches.
        let mut matches = Vec::new();
        for k in 1..=labels.len() {
            for &(kind, private) in self.0.get(&tail(k)).into_iter().flatten() {
                match kind {
                    '=' => matches.push((k, private, false)),
                    '!' => matches.push((k - 1, private, true)),
                    _ => {}
                }
            }
            if k >= 2 {
                for &(kind, private) in self.0.get(&tail(k - 1)).into_iter().flatten() {
                    if kind == '*' {
                        matches.push((k, private, false));
                    }
                }
            }
        }
        let prevailing = matches
            .iter()
            .filter(|m| m.2)
            .max_by_key(|m| m.0)
            .or_else(|| matches.iter().max_by_key(|m| m.0));
        let (k, listed, private) = prevailing.map_or((1, false, false), |m| (m.0, true, m.1));
        Some(psl::SuffixInfo {
            len: tail(k).len(),
            listed,
            private,
        })
    }
}

/// Every rule of the list, bare, under one and two more labels, and cut short by one character at
/// either end: the compact automaton must keep each rule whole and invent none.
#[test]
fn every_rule_of_the_list_agrees_with_the_algorithm_as_written() {
    let text = include_str!("../data/public_suffix_list.dat");
    let book = ByTheBook::new(text);
    let mut checked = 0;
    let mut disagreements = Vec::new();
    for rule in book.0.keys() {
        let hosts = [
            rule.clone(),
            format!("x.{rule}"),
            format!("y.x.{rule}"),
            format!("x.{}", &rule[1..]),
            format!("x.{}", &rule[..rule.len() - 1]),
        ];
        for h in hosts
            .iter()
            .filter(|h| !h.contains("..") && !h.ends_with('.'))
        {
            checked += 1;
            let ours = psl::parts(&canhgiac::EmbeddedList, h);
            let theirs = psl::parts(&book, h);
            if ours != theirs {
                disagreements.push(format!("{h}: ours {ours:?}, by the book {theirs:?}"));
            }
        }
    }
    assert!(checked > 40_000, "only {checked} hosts checked");
    assert!(
        disagreements.is_empty(),
        "{} disagreements:\n{}",
        disagreements.len(),
        disagreements[..disagreements.len().min(20)].join("\n")
    );
}

fn book() -> &'static ByTheBook {
    static BOOK: std::sync::OnceLock<ByTheBook> = std::sync::OnceLock::new();
    BOOK.get_or_init(|| ByTheBook::new(include_str!("../data/public_suffix_list.dat")))
}

/// The rules' bodies, in a fixed order, for the property below to pick from.
fn rule_bodies() -> &'static [String] {
    static BODIES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    BODIES.get_or_init(|| {
        let mut b: Vec<String> = book().0.keys().cloned().collect();
        b.sort();
        b
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 5000, ..Default::default() })]

    /// Any labels in front of any rule, or of the rule's parent names, with labels that are
    /// themselves rules' labels mixed in: the automaton answers as the algorithm does.
    #[test]
    fn any_name_under_any_rule_agrees_with_the_algorithm(
        pick in 0usize..100_000,
        drop in 0usize..3,
        front in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just("www".to_string()),
                proptest::strategy::Just("city".to_string()),
                proptest::strategy::Just("r".to_string()),
                proptest::strategy::Just("cloud".to_string()),
                "[a-z0-9][a-z0-9-]{0,8}[a-z0-9]",
            ],
            0..4,
        ),
    ) {
        let rules = rule_bodies();
        let rule = &rules[pick % rules.len()];
        let labels: Vec<&str> = rule.split('.').collect();
        let tail = labels[drop.min(labels.len() - 1)..].iter().copied();
        let host = front.iter().map(String::as_str).chain(tail).collect::<Vec<_>>().join(".");
        proptest::prop_assert_eq!(
            psl::parts(&canhgiac::EmbeddedList, &host),
            psl::parts(book(), &host),
            "{}", host
        );
    }
}
