//! The admin policy: every key's problems (from `tests/data/policy_problems.tsv`), valid keys
//! applying beside wrong ones, and the precedence of admin over user over defaults.
#![cfg(not(target_arch = "wasm32"))]

use canhgiac::policy::{Policy, KNOWN_KEYS};
use canhgiac::{Category, Engine, Lang, Level};

mod common;

/// Every code the validator can report; each must have a row, in both languages.
const CODES: &[&str] = &[
    "invalid_json",
    "wrong_type",
    "unknown_key",
    "admin_only",
    "too_many_entries",
    "invalid_domain",
    "duplicate",
    "invalid_url",
    "out_of_range",
    "not_https",
    "invalid_value",
    "missing",
    "over_browser_rules",
    "duplicate_key",
];

#[test]
fn every_problem_names_its_key_code_and_expectation_in_both_languages() {
    let mut keys_seen = std::collections::BTreeSet::new();
    let mut codes_seen = std::collections::BTreeSet::new();
    let mut rows = 0;
    for (n, line) in include_str!("data/policy_problems.tsv").lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let line_no = n + 1;
        let c: Vec<&str> = line.split('\t').collect();
        assert_eq!(c.len(), 6, "line {line_no}");
        let input = common::unescape(c[0]);
        let (_, problems) = match input.strip_prefix("user:") {
            Some(user) => Policy::from_user_json(user),
            None => Policy::from_json(&input),
        };
        for p in &problems {
            assert!(
                !p.message.trim().is_empty() && !p.message_vi.trim().is_empty(),
                "line {line_no}: an empty message in {p:?}"
            );
            assert_ne!(p.message, p.message_vi, "line {line_no}: not translated");
        }
        let found = problems.iter().find(|p| p.key == c[1]);
        let p = found
            .unwrap_or_else(|| panic!("line {line_no}: no problem on {:?} in {problems:#?}", c[1]));
        assert_eq!(p.code, c[2], "line {line_no}");
        assert_eq!(
            serde_json::to_value(p.severity).unwrap(),
            c[3],
            "line {line_no}"
        );
        assert!(
            p.message.contains(c[4]) && p.message_in(Lang::En) == p.message,
            "line {line_no}: {:?} lacks {:?}",
            p.message,
            c[4]
        );
        assert!(
            p.message_vi.contains(c[5]) && p.message_in(Lang::Vi) == p.message_vi,
            "line {line_no}: {:?} lacks {:?}",
            p.message_vi,
            c[5]
        );
        let json = serde_json::to_value(p).unwrap();
        assert_eq!(
            json["messageVi"],
            p.message_vi.as_str(),
            "line {line_no}: JSON field"
        );
        keys_seen.insert(c[1].split(['[', '.']).next().unwrap().to_string());
        codes_seen.insert(p.code.as_str());
        rows += 1;
    }
    for k in KNOWN_KEYS {
        assert!(keys_seen.contains(*k), "no problem row for {k}");
    }
    for code in CODES {
        assert!(codes_seen.contains(*code), "no problem row for code {code}");
    }
    assert_eq!(
        codes_seen.len(),
        CODES.len(),
        "a code without an entry in CODES: {codes_seen:?}"
    );
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
    let codes: Vec<(&str, &str)> = problems
        .iter()
        .map(|p| (p.key.as_str(), p.code.as_str()))
        .collect();
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

#[test]
fn policy_check_speaks_vietnamese_when_asked() {
    let path =
        std::env::temp_dir().join(format!("canhgiac-policy-lang-{}.json", std::process::id()));
    std::fs::write(&path, r#"{"allowBypass": "no"}"#).unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_canhgiac"))
            .args(["policy", "check"])
            .args(args)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let p = path.to_str().unwrap();
    let (code, vi) = run(&["--lang", "vi", p]);
    assert_eq!(code, Some(1));
    assert!(
        vi.contains("allowBypass: cần true hoặc false, nhưng nhận được một chuỗi"),
        "{vi}"
    );
    let (_, en) = run(&[p]);
    assert!(
        en.contains("allowBypass: expected true or false, got a string"),
        "English by default: {en}"
    );
    let (code, _) = run(&["--lang", "fr", p]);
    assert_eq!(code, Some(2), "an unknown language is bad usage");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn more_blocked_urls_than_the_browser_can_block_before_loading_are_kept_with_a_warning() {
    let n = canhgiac::dnr::MAX_URL_RULES + 1;
    let urls: Vec<String> = (0..n).map(|i| format!("\"https://zalo.me/{i}\"")).collect();
    let (p, problems) = Policy::from_json(&format!(r#"{{"blockedUrls": [{}]}}"#, urls.join(",")));
    assert_eq!(
        p.blocked_urls.len(),
        n,
        "every prefix is kept for the engine"
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].code, "over_browser_rules");
    assert_eq!(problems[0].severity, canhgiac::Severity::Warning);
    let last = format!("https://zalo.me/{}/trang", n - 1);
    assert_eq!(Engine::with_policy(p).check_url(&last).level, Level::Block);
}

#[test]
fn the_invitation_notice_is_due_only_while_the_policy_wants_it() {
    let invite = "https://www.facebook.com/friends/requests";
    let on = Engine::new();
    let v = on.social_notice(invite).expect("a notice by default");
    assert_eq!(v.category, Category::SocialInvite);
    assert_eq!(v, on.check_url(invite), "the page's own verdict");
    for not_invite in [
        "https://www.facebook.com/",
        "https://tai-ung-dung.top/VNeID.apk",
        "not a url",
    ] {
        assert_eq!(on.social_notice(not_invite), None, "{not_invite}");
    }
    for off in [
        Policy::effective(&Policy::default(), &user(r#"{"socialNotices": false}"#)),
        admin(r#"{"socialNotices": false}"#),
    ] {
        let engine = Engine::with_policy(off);
        assert_eq!(engine.social_notice(invite), None);
        assert_eq!(engine.check_url(invite).category, Category::SocialInvite);
    }
    let on_again = Engine::with_policy(admin(r#"{"socialNotices": true}"#));
    assert!(on_again.social_notice(invite).is_some());
}

#[test]
fn the_language_is_the_policys_else_the_browsers() {
    let mut engine = Engine::new();
    assert_eq!(engine.language(), Lang::Vi, "before the browser is known");
    for (ui, policy, want) in [
        ("en-US", "{}", Lang::En),
        ("en-US", r#"{"language": "auto"}"#, Lang::En),
        ("en-US", r#"{"language": "vi"}"#, Lang::Vi),
        ("vi", r#"{"language": "en"}"#, Lang::En),
        ("vi", "{}", Lang::Vi),
        ("fr", "{}", Lang::Vi),
        ("fr", r#"{"language": "en"}"#, Lang::En),
    ] {
        engine.set_browser_language(ui);
        engine.set_policy(admin(policy));
        assert_eq!(engine.language(), want, "{ui} {policy}");
    }
    // The browser's language outlives a policy change; the policy's goes with it.
    engine.set_browser_language("en");
    engine.set_policy(admin(r#"{"language": "vi"}"#));
    engine.set_policy(Policy::default());
    assert_eq!(engine.language(), Lang::En);
}
