//! The admin policy: every key's problems (from `tests/data/policy_problems.tsv`), valid keys
//! applying beside wrong ones, and the precedence of admin over user over defaults.
#![cfg(not(target_arch = "wasm32"))]

use canhgiac::policy::{Policy, KNOWN_KEYS};
use canhgiac::{Engine, Level};

#[test]
fn every_problem_names_its_key_code_and_expectation() {
    let mut keys_seen = std::collections::BTreeSet::new();
    let mut rows = 0;
    for (n, line) in include_str!("data/policy_problems.tsv").lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let c: Vec<&str> = line.split('\t').collect();
        assert_eq!(c.len(), 5, "line {}", n + 1);
        let (_, problems) = Policy::from_json(c[0]);
        let found = problems.iter().find(|p| p.key == c[1]);
        let p = found
            .unwrap_or_else(|| panic!("line {}: no problem on {:?} in {problems:#?}", n + 1, c[1]));
        assert_eq!(p.code, c[2], "line {}", n + 1);
        assert_eq!(
            serde_json::to_value(p.severity).unwrap(),
            c[3],
            "line {}",
            n + 1
        );
        assert!(
            p.message.contains(c[4]),
            "line {}: {:?} lacks {:?}",
            n + 1,
            p.message,
            c[4]
        );
        keys_seen.insert(c[1].split(['[', '.']).next().unwrap().to_string());
        rows += 1;
    }
    for k in KNOWN_KEYS {
        assert!(keys_seen.contains(*k), "no problem row for {k}");
    }
    eprintln!("policy problem rows: {rows}");
}

#[test]
fn valid_keys_apply_while_others_are_wrong() {
    let (p, problems) = Policy::from_json(
        r#"{"blockedDomains": ["lua-dao.top", "bad domain"], "allowBypass": "nope", "bypassMinutes": 5,
            "reportEndpoint": "https://bao-cao.so.gov.vn/api", "language": "en", "unknownKey": 1}"#,
    );
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(p.blocked_domains.find("lua-dao.top").is_some());
    assert!(p.allow_bypass, "a wrong value keeps the default");
    assert_eq!(p.bypass_minutes, 5);
    assert_eq!(
        p.report_endpoint.as_deref(),
        Some("https://bao-cao.so.gov.vn/api")
    );
    assert_eq!(p.language, "en");
}

fn admin(json: &str) -> Policy {
    let (p, problems) = Policy::from_json(json);
    assert!(problems.is_empty(), "{problems:?}");
    p
}

fn user(json: &str) -> Policy {
    let (p, problems) = Policy::from_user_json(json);
    assert!(problems.is_empty(), "{problems:?}");
    p
}

#[test]
fn a_user_cannot_loosen_what_an_admin_set() {
    let a = admin(
        r#"{"allowBypass": false, "bypassMinutes": 10, "disabledChecks": [], "allowedDownloadHosts": ["hrm.so.gov.vn"]}"#,
    );
    let u = user(
        r#"{"allowBypass": true, "bypassMinutes": 60, "disabledChecks": ["sideload"], "allowedDownloadHosts": ["apkpure.com"]}"#,
    );
    let e = Policy::effective(&a, &u);
    assert!(!e.allow_bypass);
    assert_eq!(e.bypass_minutes, 10);
    assert!(e.disabled_checks.is_empty());
    assert!(e.allowed_download_hosts.find("apkpure.com").is_none());
    assert!(e.allowed_download_hosts.find("hrm.so.gov.vn").is_some());
}

#[test]
fn a_user_may_tighten_and_add_protection() {
    let a = admin(r#"{"blockedDomains": ["lua-dao.top"], "bypassMinutes": 30}"#);
    let u = user(
        r#"{"blockedDomains": ["gia-mao.vn"], "allowBypass": false, "bypassMinutes": 5, "protectedDomains": ["so.daklak.gov.vn"]}"#,
    );
    let e = Policy::effective(&a, &u);
    assert!(
        e.blocked_domains.find("lua-dao.top").is_some()
            && e.blocked_domains.find("gia-mao.vn").is_some()
    );
    assert!(!e.allow_bypass, "the user turned bypass off");
    assert_eq!(e.bypass_minutes, 5, "the shorter bypass wins");
    assert_eq!(e.protected_domains, vec!["so.daklak.gov.vn"]);
}

#[test]
fn without_an_admin_key_the_user_decides_and_defaults_fill_the_rest() {
    let e = Policy::effective(
        &Policy::default(),
        &user(r#"{"language": "en", "socialNotices": false, "disabledChecks": ["shortener"]}"#),
    );
    assert_eq!(e.language, "en");
    assert!(!e.social_notices);
    assert_eq!(e.disabled_checks, vec!["shortener"]);
    assert!(e.allow_bypass && e.bypass_minutes == 30, "defaults");
    let e = Policy::effective(
        &admin(r#"{"language": "vi", "socialNotices": true}"#),
        &user(r#"{"language": "en", "socialNotices": false}"#),
    );
    assert_eq!(
        (e.language.as_str(), e.social_notices),
        ("vi", true),
        "admin over user"
    );
}

#[test]
fn admin_only_keys_are_refused_from_user_options() {
    let (p, problems) = Policy::from_user_json(
        r#"{"reportEndpoint": "https://my.example/collect", "blocklistFeeds": [{"url": "https://x.vn/l"}]}"#,
    );
    let codes: Vec<(&str, &str)> = problems.iter().map(|p| (p.key.as_str(), p.code)).collect();
    assert_eq!(
        codes,
        vec![
            ("reportEndpoint", "admin_only"),
            ("blocklistFeeds", "admin_only")
        ]
    );
    assert_eq!(p.report_endpoint, None);
    assert!(p.blocklist_feeds.is_empty());
}

#[test]
fn the_effective_policy_drives_verdicts() {
    let e = Policy::effective(
        &admin(r#"{"allowBypass": false}"#),
        &user(r#"{"blockedDomains": ["gia-mao.vn"]}"#),
    );
    let engine = Engine::with_policy(e);
    let v = engine.check_url("https://gia-mao.vn/");
    assert_eq!(v.level, Level::Block);
    let v = engine.check_url("https://tai-ung-dung.top/a.apk");
    assert_eq!(
        (v.level, v.bypass_minutes),
        (Level::Warn, 0),
        "no bypass when the admin forbids it"
    );
}
