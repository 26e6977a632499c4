//! Property tests: no input panics, and spelling changes a browser ignores do not change a verdict.
#![cfg(not(target_arch = "wasm32"))]

use canhgiac::{Download, Engine, Verdict};
use proptest::prelude::*;

fn engine() -> &'static Engine {
    static E: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    E.get_or_init(Engine::new)
}

/// The parts of a verdict that must not change.
fn key(v: &Verdict) -> (String, String, Vec<&'static str>) {
    (
        v.level.as_str().into(),
        v.category.as_str().into(),
        v.reasons.iter().map(|r| r.code.as_str()).collect(),
    )
}

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("play".to_string()),
        Just("google".to_string()),
        Just("apps".to_string()),
        Just("zalo".to_string()),
        Just("tai-app".to_string()),
        Just("xn--bcngan-jxa6332d".to_string()),
        "[a-z][a-z0-9-]{0,10}[a-z0-9]",
    ]
}

fn host() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(label(), 0..3),
        prop::sample::select(vec![
            "com", "vn", "com.vn", "gov.vn", "top", "web.app", "me", "ly",
        ]),
    )
        .prop_map(|(labels, tld)| {
            let mut parts = labels;
            parts.push(tld.to_string());
            parts.join(".")
        })
}

fn path() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[a-zA-Z0-9_-]{1,8}",
            Just("VNeID.apk".to_string()),
            Just("setup.exe".to_string()),
            Just("a.pdf.exe".to_string()),
            Just("store".to_string()),
            Just("friends".to_string()),
            Just("g".to_string()),
            Just("0912345678".to_string()),
            Just("p.mobileconfig".to_string()),
        ],
        0..4,
    )
    .prop_map(|segs| format!("/{}", segs.join("/")))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn no_string_panics(s in ".{0,300}") {
        let _ = engine().check_url(&s);
        let _ = engine().registrable_domain(&s);
        // The fallback for a failed check must hold for any input, and always warn.
        prop_assert_eq!(engine().unchecked(&s).level.as_str(), "warn");
    }

    #[test]
    fn no_url_like_string_panics(scheme in "(https?|data|blob|intent|itms-services|view-source|javascript|file|market|tg|zalo):", rest in "[ -~]{0,120}") {
        let u = format!("{scheme}{rest}");
        let _ = engine().check_url(&u);
        let _ = engine().check_url(&format!("view-source:{u}"));
    }

    #[test]
    fn no_download_panics(url in ".{0,80}", name in ".{0,40}", mime in ".{0,40}", cd in ".{0,60}") {
        let d = Download { url, filename: Some(name), mime: Some(mime), content_disposition: Some(cd), ..Download::default() };
        let _ = engine().check_download(&d);
    }

    #[test]
    fn host_case_and_default_port_do_not_change_a_verdict(https in any::<bool>(), h in host(), p in path(), q in prop::option::of("[a-z]=[a-z0-9]{1,5}")) {
        let scheme = if https { "https" } else { "http" };
        let port = if https { 443 } else { 80 };
        let query = q.map(|q| format!("?{q}")).unwrap_or_default();
        let plain = format!("{scheme}://{h}{p}{query}");
        let shouted = format!("{}://{}:{port}{p}{query}", scheme.to_uppercase(), h.to_uppercase());
        let dotted = format!("{scheme}://{h}.{p}{query}");
        let base = key(&engine().check_url(&plain));
        prop_assert_eq!(&base, &key(&engine().check_url(&shouted)), "{} vs {}", plain, shouted);
        prop_assert_eq!(&base, &key(&engine().check_url(&dotted)), "{} vs {}", plain, dotted);
    }
}

#[test]
fn huge_and_odd_inputs_are_invalid_not_fatal() {
    let huge = format!("https://example.com/{}", "a".repeat(10 * 1024 * 1024));
    let v = engine().check_url(&huge);
    assert_eq!((v.level.as_str(), v.category.as_str()), ("warn", "invalid"));
    let v = engine().check_url(&format!("data:text/plain,{}", "x".repeat(1024 * 1024)));
    assert_eq!(v.level.as_str(), "allow", "a big harmless data URL");
    let deep = (0..50).fold("https://vnexpress.net/".to_string(), |acc, _| {
        format!("https://l.facebook.com/l.php?u={}", percent_encode(&acc))
    });
    let v = engine().check_url(&deep);
    assert_has_reason(&v, "redirect_too_deep");
}

#[test]
fn a_data_url_header_cut_inside_a_character_is_judged() {
    // Found by the `url` fuzz target: the header scan ended inside a two-byte character.
    let prefix = "data:application/vnd.android.package-archive;x=";
    let input = format!("{prefix}{},UEsDBBQ=", "ä".repeat(300));
    assert!(
        !input.is_char_boundary(512),
        "the scan limit must fall inside a character"
    );
    let v = engine().check_url(&input);
    assert_eq!(v.level.as_str(), "block");
    assert_has_reason(&v, "data_url_package");
}

#[test]
fn a_telegram_path_starting_with_a_wide_character_is_a_chat_link() {
    // Found by the `url` fuzz target: the check for `t.me/+<phone>` cut the path after its first byte.
    let v = engine().check_url("https://t.me/%E1%BA%A1bc");
    assert_has_reason(&v, "social_chat_link");
}

/// Fails with the reasons given unless `v` gives `code` among them.
fn assert_has_reason(v: &Verdict, code: &str) {
    let codes: Vec<&str> = v.reasons.iter().map(|r| r.code.as_str()).collect();
    assert!(codes.contains(&code), "no {code} among {codes:?}");
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
