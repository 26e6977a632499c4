//! The verdict the worker shows when a check failed (the engine faulted on the URL): always a
//! warning with `check_failed`, naming the host only when plain string splits can read it.
#![cfg(not(target_arch = "wasm32"))]

use canhgiac::{Engine, Policy};

/// (input, host the warning names and a bypass covers, or "" for none)
const CASES: &[(&str, &str)] = &[
    ("https://Tai-Ung-Dung.top/VNeID.apk", "tai-ung-dung.top"),
    (
        "https://play.google.com@tai-ung-dung.top/x",
        "tai-ung-dung.top",
    ),
    ("http://user:pw@a.example.vn:8080/p?q#f", "a.example.vn"),
    ("https://a.example.vn./", "a.example.vn"),
    ("https://a.example.vn\\@b.example.vn/", "a.example.vn"),
    ("https://xn--vitcombank-m7a.com/", "xn--vitcombank-m7a.com"),
    // Not plain ASCII, an IP v6 literal, no authority, or nothing at all: no host, no bypass.
    ("https://vietcombänk.com/", ""),
    ("https://[::1]/", ""),
    ("mailto:a@b.vn", ""),
    ("https:///path", ""),
    ("", ""),
];

#[test]
fn an_unchecked_url_is_a_warning_naming_its_plain_host() {
    let engine = Engine::new();
    for &(input, host) in CASES {
        let v = engine.unchecked(input);
        assert_eq!(v.level.as_str(), "warn", "{input}");
        assert_eq!(v.category.as_str(), "invalid", "{input}");
        let codes: Vec<_> = v.reasons.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["check_failed"], "{input}");
        let want = (!host.is_empty()).then(|| host.to_string());
        assert_eq!(v.host, want, "{input}");
        assert_eq!(
            v.bypass_scope, want,
            "{input}: a bypass covers the host read, or nothing"
        );
        assert_eq!(v.bypass_minutes > 0, want.is_some(), "{input}");
    }
}

#[test]
fn an_unchecked_url_follows_the_policy_on_bypass() {
    let (policy, problems) = Policy::from_json(r#"{"allowBypass": false}"#);
    assert!(problems.is_empty(), "{problems:?}");
    let v = Engine::with_policy(policy).unchecked("https://tai-ung-dung.top/x");
    assert_eq!((v.bypass_minutes, v.bypass_scope), (0, None));
    let (policy, _) = Policy::from_json(r#"{"bypassMinutes": 7}"#);
    let v = Engine::with_policy(policy).unchecked("https://tai-ung-dung.top/x");
    assert_eq!(v.bypass_minutes, 7);
}

#[test]
fn the_unchecked_warning_reads_in_both_languages() {
    let v = Engine::new().unchecked("https://a.example.vn/");
    let vi = v.view(canhgiac::Lang::Vi);
    let en = v.view(canhgiac::Lang::En);
    assert!(
        vi.reasons[0].message.contains("lỗi khi kiểm tra"),
        "{}",
        vi.reasons[0].message
    );
    assert!(
        en.reasons[0].message.contains("failed while checking"),
        "{}",
        en.reasons[0].message
    );
}
