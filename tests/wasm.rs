//! The JavaScript face of the engine, run as WebAssembly in Node by `wasm-bindgen-test-runner`:
//! values cross the boundary as plain objects, bad input becomes errors that name the culprit.
#![cfg(target_arch = "wasm32")]

use canhgiac::wasm::{engine_info, WasmEngine};
use js_sys::{Array, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).expect("property readable")
}

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).expect("test JSON parses")
}

fn new_engine() -> WasmEngine {
    WasmEngine::new().unwrap_or_else(|_| panic!("the engine builds"))
}

/// std keys its hash maps with memory addresses on this target; the maps a page fills must be
/// keyed by the platform's random source instead.
#[wasm_bindgen_test]
fn the_page_maps_are_seeded_from_web_crypto() {
    let e = new_engine();
    assert_eq!(
        canhgiac::page_keys::seed_source(),
        canhgiac::page_keys::SeedSource::Given
    );
    // A batch of links still works under that seed.
    let packed = "https://tai-app.top/VNeID.apk\nhttps://vnexpress.net/\tvnexpress.net";
    assert!(e.mark_links(packed).is_ok());
}

#[wasm_bindgen_test]
fn check_url_returns_a_plain_object() {
    let e = new_engine();
    let v = e.check_url("https://tai-ung-dung.top/VNeID.apk").unwrap();
    assert_eq!(get(&v, "verdict").as_string().as_deref(), Some("warn"));
    assert_eq!(get(&v, "category").as_string().as_deref(), Some("sideload"));
    assert_eq!(
        get(&v, "registrableDomain").as_string().as_deref(),
        Some("tai-ung-dung.top")
    );
    let reasons = Array::from(&get(&v, "reasons"));
    let first = reasons.get(0);
    assert_eq!(
        get(&first, "code").as_string().as_deref(),
        Some("app_package_in_path")
    );
    assert!(
        get(&first, "message")
            .as_string()
            .unwrap()
            .contains("ứng dụng"),
        "Vietnamese by default"
    );
    assert!(get(&v, "host").is_string());
    assert_eq!(get(&v, "app").as_string().as_deref(), Some("VNeID"));
    assert!(
        get(&v, "imitates").is_undefined(),
        "absent fields stay absent"
    );
}

#[wasm_bindgen_test]
fn the_unchecked_verdict_is_a_plain_warning_object_with_a_bypass_scope() {
    let e = new_engine();
    let v = e
        .unchecked_verdict("https://play.google.com@tai-ung-dung.top/x")
        .unwrap();
    assert_eq!(get(&v, "verdict").as_string().as_deref(), Some("warn"));
    let first = Array::from(&get(&v, "reasons")).get(0);
    assert_eq!(
        get(&first, "code").as_string().as_deref(),
        Some("check_failed")
    );
    assert_eq!(
        get(&v, "bypassScope").as_string().as_deref(),
        Some("tai-ung-dung.top")
    );
    assert!(get(&v, "bypassMinutes").as_f64().unwrap() > 0.0);
}

#[wasm_bindgen_test]
fn the_language_is_the_policys_else_the_browsers() {
    let message = |e: &WasmEngine| {
        let v = e.check_url("https://tai-ung-dung.top/VNeID.apk").unwrap();
        get(&Array::from(&get(&v, "reasons")).get(0), "message")
            .as_string()
            .unwrap()
    };
    let mut e = new_engine();
    assert_eq!(e.language(), "vi", "Vietnamese before the browser is known");
    e.set_browser_language("en-US");
    assert_eq!(e.language(), "en");
    assert!(message(&e).contains("app installer"), "{}", message(&e));
    e.set_policy(json(r#"{"language": "vi"}"#)).unwrap();
    assert_eq!(
        e.language(),
        "vi",
        "the policy's language over the browser's"
    );
    assert!(message(&e).contains("ứng dụng"), "{}", message(&e));
    e.set_policy(json(r#"{"language": "auto"}"#)).unwrap();
    assert_eq!(e.language(), "en", "auto follows the browser");
    e.set_browser_language("fr");
    assert_eq!(
        e.language(),
        "vi",
        "a browser in neither language gets Vietnamese"
    );
    e.apply_policies(JsValue::NULL, json(r#"{"language": "en"}"#))
        .unwrap();
    assert_eq!(e.language(), "en", "the user's own choice counts too");
    // A restored snapshot carries the policy's language; the browser's stays with the engine.
    let snapshot = e.policy_snapshot();
    let mut fresh = new_engine();
    fresh.set_browser_language("en");
    fresh.set_policy(json(r#"{"language": "vi"}"#)).unwrap();
    fresh.restore_policy(&snapshot).unwrap();
    assert_eq!(fresh.language(), "en");
}

#[wasm_bindgen_test]
fn the_invitation_notice_follows_the_policy() {
    let mut e = new_engine();
    let invite = "https://m.facebook.com/friends/requests";
    let v = e.social_notice(invite).unwrap();
    assert_eq!(
        get(&v, "category").as_string().as_deref(),
        Some("social_invite")
    );
    let first = Array::from(&get(&v, "reasons")).get(0);
    assert_eq!(
        get(&first, "code").as_string().as_deref(),
        Some("social_friend_request")
    );
    assert!(e
        .social_notice("https://m.facebook.com/home.php")
        .unwrap()
        .is_null());
    e.apply_policies(JsValue::NULL, json(r#"{"socialNotices": false}"#))
        .unwrap();
    assert!(e.social_notice(invite).unwrap().is_null());
}

#[wasm_bindgen_test]
fn policy_object_applies_and_reports_problems() {
    let mut e = new_engine();
    let problems = e
        .set_policy(json(
            r#"{"blockedDomains": ["lua-dao.top", 7], "allowBypass": false, "colour": "red"}"#,
        ))
        .unwrap();
    let problems = Array::from(&problems);
    let keys: Vec<String> = problems
        .iter()
        .map(|p| get(&p, "key").as_string().unwrap())
        .collect();
    assert_eq!(keys, vec!["blockedDomains[1]", "colour"]);
    let v = e.check_url("https://a.lua-dao.top/").unwrap();
    assert_eq!(get(&v, "verdict").as_string().as_deref(), Some("block"));
    assert_eq!(get(&v, "bypassMinutes").as_f64(), Some(0.0));
    e.set_policy(JsValue::NULL).unwrap();
    let v = e.check_url("https://a.lua-dao.top/").unwrap();
    assert_eq!(
        get(&v, "verdict").as_string().as_deref(),
        Some("allow"),
        "null clears the policy"
    );
}

#[wasm_bindgen_test]
fn download_fields_are_checked() {
    let e = new_engine();
    let v = e
        .check_download(json(r#"{"url": "https://files.example.net/get", "mime": "application/vnd.android.package-archive"}"#))
        .unwrap();
    assert_eq!(get(&v, "category").as_string().as_deref(), Some("sideload"));
    let err = e
        .check_download(json(r#"{"url": "https://x.vn/", "fileName": "a.apk"}"#))
        .expect_err("unknown field is an error");
    let err: JsValue = err.into();
    let text = js_sys::Error::from(err).message().as_string().unwrap();
    assert!(text.contains("fileName"), "{text}");
    assert!(
        e.check_download(json(r#"{"url": 5}"#)).is_err(),
        "wrong type"
    );
}

#[wasm_bindgen_test]
fn batch_keeps_order_and_bad_entries_stay_local() {
    let e = new_engine();
    let out = Array::from(
        &e.check_batch(vec![
            "https://vnexpress.net/".into(),
            "http://[::1".into(),
            "https://bit.ly/x".into(),
        ])
        .unwrap(),
    );
    let verdicts: Vec<String> = out
        .iter()
        .map(|v| get(&v, "verdict").as_string().unwrap())
        .collect();
    assert_eq!(verdicts, vec!["allow", "warn", "info"]);
    assert_eq!(
        e.registrable_domain("WWW.DichVuCong.GOV.VN."),
        Some("dichvucong.gov.vn".into())
    );
    assert_eq!(e.registrable_domain("gov.vn"), None);
    // The answer comes in the form given: Unicode in, Unicode out; punycode only for a label a
    // browser shows that way (Cyrillic letters posing as Latin).
    assert_eq!(
        e.registrable_domain("www.bộcôngan.vn"),
        Some("bộcôngan.vn".into())
    );
    assert_eq!(
        e.registrable_domain("www.ѕһорее.com"),
        Some("xn--e1aazi7hs1a.com".into())
    );
    let info = engine_info().unwrap();
    assert!(get(&info, "pslVersion")
        .as_string()
        .unwrap()
        .starts_with("20"));
    assert!(Array::from(&get(&info, "reasonCodes")).length() > 20);
}

#[wasm_bindgen_test]
fn reports_are_built_and_bad_fields_named() {
    let e = new_engine();
    let built = e
        .build_report(json(
            r#"{"id": "3f0c2a9e-1b2c-4d3e-8f40-0123456789ab", "createdAt": "2026-11-28T16:50:00Z",
                "kind": "install_link", "url": "https://tai-ung-dung.top/VNeID.apk", "language": "en"}"#,
        ))
        .unwrap();
    let report = get(&built, "report");
    assert_eq!(get(&report, "schemaVersion").as_f64(), Some(1.0));
    assert_eq!(
        get(&get(&report, "verdict"), "verdict")
            .as_string()
            .as_deref(),
        Some("warn")
    );
    assert!(get(&built, "summary")
        .as_string()
        .unwrap()
        .starts_with("CẢNH GIÁC REPORT"));
    let err = e
        .build_report(json(r#"{"id": "x", "createdAt": "2026-11-28T16:50:00Z", "kind": "other", "url": "https://a.vn/"}"#))
        .expect_err("a bad id is an error");
    let text = js_sys::Error::from(JsValue::from(err))
        .message()
        .as_string()
        .unwrap();
    assert!(text.contains("report field id"), "{text}");
}

#[wasm_bindgen_test]
fn feeds_parse_store_and_apply() {
    use canhgiac::wasm::parse_feed;
    let parsed = parse_feed("# feed\nlua-dao.top\n0.0.0.0 x\n", "domains", None, None).unwrap();
    let stats = get(&parsed, "stats");
    assert_eq!(get(&stats, "entries").as_f64(), Some(1.0));
    assert_eq!(get(&stats, "badLines").as_f64(), Some(1.0));
    let copy = js_sys::Uint8Array::from(get(&parsed, "copy"));
    // The header (16 bytes), then one hash.
    assert_eq!(copy.length(), 24);
    let mut e = new_engine();
    e.set_feeds(vec![copy]).unwrap();
    let v = e.check_url("https://www.lua-dao.top/").unwrap();
    assert_eq!(
        get(&Array::from(&get(&v, "reasons")).get(0), "code")
            .as_string()
            .as_deref(),
        Some("listed_feed")
    );
    let damaged = js_sys::Uint8Array::from(&[1u8, 2, 3][..]);
    assert!(e.set_feeds(vec![damaged]).is_err());
    assert_eq!(
        get(&e.check_url("https://www.lua-dao.top/").unwrap(), "verdict")
            .as_string()
            .as_deref(),
        Some("block"),
        "a damaged copy leaves the feeds in force"
    );
    assert!(parse_feed("lua-dao.top", "csv", None, None).is_err());
    assert!(parse_feed("<html>error</html>", "domains", None, None).is_err());
}

#[wasm_bindgen_test]
fn built_in_lists_read_in_pieces_restore_from_any_offset_and_warn() {
    use canhgiac::wasm::{builtin_lists, ListParser};
    let mut p = ListParser::new(Some(2));
    // Cut in the middle of lines: the parser joins them.
    for piece in [
        "# list\nlua-d",
        "ao.top\n185.236.",
        "20.189\nsites.google.com/view/q",
        "ua\n",
    ] {
        p.push(piece).unwrap();
    }
    let parsed = p.finish(None).unwrap();
    assert!(p.push("x.vn\n").is_err(), "a finished parser refuses more");
    assert_eq!(get(&get(&parsed, "stats"), "entries").as_f64(), Some(3.0));
    let copy = js_sys::Uint8Array::from(get(&parsed, "copy"));
    // The same bytes at an offset that is not 8-aligned take the plain path, with the same result.
    let shifted = js_sys::Uint8Array::new_with_length(copy.length() + 3);
    shifted.set(&copy, 3);
    for c in [copy, shifted.subarray(3, shifted.length())] {
        let mut e = new_engine();
        e.set_builtin_lists(vec!["hostsVN".into()], vec![c])
            .unwrap();
        for url in [
            "https://lua-dao.top/",
            "http://185.236.20.189/",
            "https://sites.google.com/view/qua/x",
        ] {
            let v = e.check_url(url).unwrap();
            assert_eq!(
                get(&v, "verdict").as_string().as_deref(),
                Some("warn"),
                "{url}"
            );
            let reason = Array::from(&get(&v, "reasons")).get(0);
            assert_eq!(
                get(&reason, "code").as_string().as_deref(),
                Some("community_listed")
            );
        }
    }
    let mut e = new_engine();
    assert!(e
        .set_builtin_lists(vec![], vec![js_sys::Uint8Array::new_with_length(0)])
        .is_err());
    let lists = Array::from(&builtin_lists(Some("https://mirror.so.vn/l/".into())).unwrap());
    assert_eq!(
        get(&lists.get(0), "url").as_string().as_deref(),
        Some("https://mirror.so.vn/l/threat-VN.txt")
    );
}

#[wasm_bindgen_test]
fn admin_and_user_policies_combine_admin_first() {
    let mut e = new_engine();
    let out = e
        .set_policies(
            json(r#"{"allowBypass": false, "blockedDomains": ["lua-dao.top"]}"#),
            json(r#"{"allowBypass": true, "blockedDomains": ["gia-mao.vn"], "reportEndpoint": "https://x.vn/"}"#),
        )
        .unwrap();
    let managed: Vec<String> = Array::from(&get(&out, "managedKeys"))
        .iter()
        .map(|k| k.as_string().unwrap())
        .collect();
    assert_eq!(managed, vec!["allowBypass", "blockedDomains"]);
    let user_problems = Array::from(&get(&out, "userProblems"));
    assert_eq!(
        get(&user_problems.get(0), "code").as_string().as_deref(),
        Some("admin_only")
    );
    assert_eq!(
        get(&get(&out, "effective"), "allowBypass").as_bool(),
        Some(false)
    );
    let v = e.check_url("https://gia-mao.vn/").unwrap();
    assert_eq!(
        get(&v, "verdict").as_string().as_deref(),
        Some("block"),
        "the user's own block list applies"
    );
    let v = e.check_url("https://tai-ung-dung.top/a.apk").unwrap();
    assert_eq!(
        get(&v, "bypassMinutes").as_f64(),
        Some(0.0),
        "the admin's no-bypass holds"
    );
    e.set_policies(JsValue::NULL, JsValue::UNDEFINED).unwrap();
    assert_eq!(
        get(&e.check_url("https://gia-mao.vn/").unwrap(), "verdict")
            .as_string()
            .as_deref(),
        Some("allow")
    );
}

#[wasm_bindgen_test]
fn links_are_checked_in_one_batch_and_only_the_dangerous_come_back() {
    let e = new_engine();
    let out = Array::from(
        &e.check_links(json(
            r#"[{"href": "https://vnexpress.net/"}, {"href": "https://tai-ung-dung.top/", "text": "dichvucong.gov.vn"},
                {"href": "https://zalo.me/0912345678"}, {"href": "https://tai-ung-dung.top/VNeID.apk"}]"#,
        ))
        .unwrap(),
    );
    let indexes: Vec<f64> = out
        .iter()
        .map(|v| get(&v, "index").as_f64().unwrap())
        .collect();
    assert_eq!(indexes, vec![1.0, 3.0]);
    assert_eq!(
        get(&Array::from(&get(&out.get(0), "reasons")).get(0), "code")
            .as_string()
            .as_deref(),
        Some("link_text_mismatch")
    );
    assert_eq!(
        get(&out.get(1), "category").as_string().as_deref(),
        Some("sideload")
    );
    assert!(
        e.check_links(json(r#"[{"url": "https://a.vn/"}]"#))
            .is_err(),
        "unknown field"
    );
}

#[wasm_bindgen_test]
fn packed_links_come_back_as_index_pairs_and_shared_verdicts() {
    let e = new_engine();
    let packed = [
        "https://vnexpress.net/",
        "https://tai-ung-dung.top/\tdichvucong.gov.vn",
        "https://tai-ung-dung.top/VNeID.apk\tCập nhật",
        "https://zalo.me/0912345678",
        "https://tai-ung-dung.top/VNeID.apk",
    ]
    .join("\n");
    let out = e.mark_links(&packed).unwrap();
    let marks: Vec<u32> = js_sys::Uint32Array::new(&get(&out, "marks")).to_vec();
    assert_eq!(marks, vec![1, 0, 2, 1, 4, 1], "the apk verdict is shared");
    let verdicts = Array::from(&get(&out, "verdicts"));
    assert_eq!(verdicts.length(), 2);
    assert_eq!(
        get(
            &Array::from(&get(&verdicts.get(0), "reasons")).get(0),
            "code"
        )
        .as_string()
        .as_deref(),
        Some("link_text_mismatch")
    );
    assert_eq!(
        get(&verdicts.get(1), "category").as_string().as_deref(),
        Some("sideload")
    );
    let empty = e.mark_links("").unwrap();
    assert_eq!(js_sys::Uint32Array::new(&get(&empty, "marks")).length(), 0);
}

#[wasm_bindgen_test]
fn policy_rules_follow_the_policy_in_force() {
    let mut e = new_engine();
    assert_eq!(
        Array::from(&e.policy_rules("chrome-extension://x/warning.html").unwrap()).length(),
        0
    );
    e.set_policy(json(r#"{"blockedDomains": ["lua-dao.top"]}"#))
        .unwrap();
    let rules = Array::from(&e.policy_rules("chrome-extension://x/warning.html").unwrap());
    // Pages and frames go to the warning; everything else the domain serves (an <embed>, a
    // script, a beacon) is blocked outright.
    assert_eq!(rules.length(), 2);
    for (i, action) in [(0, "redirect"), (1, "block")] {
        let rule = rules.get(i);
        let domains = Array::from(&get(&get(&rule, "condition"), "requestDomains"));
        assert_eq!(domains.get(0).as_string().as_deref(), Some("lua-dao.top"));
        assert_eq!(
            get(&get(&rule, "action"), "type").as_string().as_deref(),
            Some(action)
        );
    }
}

#[wasm_bindgen_test]
fn personal_data_is_found_with_offsets_and_messages() {
    let mut e = new_engine();
    e.set_browser_language("en");
    let found = Array::from(&e.find_personal_data("Liên hệ: 0912 345 678 nhé").unwrap());
    assert_eq!(found.length(), 1);
    let f = found.get(0);
    assert_eq!(get(&f, "kind").as_string().as_deref(), Some("phone"));
    assert_eq!(
        get(&f, "start").as_f64(),
        Some(9.0),
        "UTF-16 offset past 'Liên hệ: '"
    );
    assert!(get(&f, "message")
        .as_string()
        .unwrap()
        .starts_with("A phone number"));
    assert_eq!(
        Array::from(&e.find_personal_data("Họp lúc 8 giờ, phòng 12.").unwrap()).length(),
        0
    );
}

#[wasm_bindgen_test]
fn one_clicked_link_is_judged_with_its_text() {
    let e = new_engine();
    let code = |v: &JsValue| {
        get(&Array::from(&get(v, "reasons")).get(0), "code")
            .as_string()
            .unwrap_or_default()
    };
    let v = e
        .check_link(
            "https://tai-ung-dung.top/".into(),
            Some("dichvucong.gov.vn".into()),
        )
        .unwrap();
    assert_eq!(get(&v, "verdict").as_string().as_deref(), Some("warn"));
    assert_eq!(code(&v), "link_text_mismatch");
    // The same address without the text, or with text naming itself, is not a mismatch.
    let alone = e
        .check_link("https://tai-ung-dung.top/".into(), None)
        .unwrap();
    assert_ne!(get(&alone, "verdict").as_string().as_deref(), Some("warn"));
    let own = e
        .check_link(
            "https://vnexpress.net/a".into(),
            Some("vnexpress.net".into()),
        )
        .unwrap();
    assert_eq!(get(&own, "verdict").as_string().as_deref(), Some("allow"));
}

#[wasm_bindgen_test]
fn a_worker_start_applies_now_and_builds_the_status_later() {
    let admin = json(r#"{"blockedDomains": ["lua-dao.top"], "language": "en", "bogus": 1}"#);
    let mut eager = new_engine();
    let told = eager.set_policies(admin.clone(), JsValue::NULL).unwrap();
    let mut lazy = new_engine();
    lazy.apply_policies(admin, JsValue::NULL).unwrap();
    assert_eq!(lazy.language(), "en");
    // The status asked for later is the one setPolicies returns at once.
    let later = lazy.policy_status().unwrap();
    let text = |v: &JsValue| js_sys::JSON::stringify(v).unwrap().as_string().unwrap();
    assert_eq!(text(&later), text(&told));
    assert!(text(&later).contains("unknown_key"), "{}", text(&later));
    let v = lazy.check_url("https://www.lua-dao.top/").unwrap();
    assert_eq!(get(&v, "verdict").as_string().as_deref(), Some("block"));
}

#[wasm_bindgen_test]
fn a_policy_snapshot_comes_back_and_damage_is_an_error() {
    let mut e = new_engine();
    e.apply_policies(
        json(r#"{"blockedDomains": ["lua-dao.top"]}"#),
        JsValue::NULL,
    )
    .unwrap();
    let snap = e.policy_snapshot();
    let mut fresh = new_engine();
    fresh.restore_policy(&snap).unwrap();
    let v = fresh.check_url("https://www.lua-dao.top/").unwrap();
    assert_eq!(get(&v, "verdict").as_string().as_deref(), Some("block"));
    let err = fresh.restore_policy(&snap[..snap.len() - 1]).unwrap_err();
    let message = JsValue::from(err);
    let message = get(&message, "message").as_string().unwrap();
    assert!(message.contains("policy snapshot damaged"), "{message}");
    // The policy in force is untouched by the failed restore.
    let v = fresh.check_url("https://www.lua-dao.top/").unwrap();
    assert_eq!(get(&v, "verdict").as_string().as_deref(), Some("block"));
}

#[wasm_bindgen_test]
fn the_navigation_fast_path_agrees_with_the_full_verdict() {
    let mut e = new_engine();
    e.set_policy(json(r#"{"blockedDomains": ["lua-dao.top"]}"#))
        .unwrap();
    // Every level and several categories: plain, official, invite, shortener, lookalike,
    // sideload, listed, wrapped, unsafe scheme and bad input.
    let urls = [
        "https://vnexpress.net/thoi-su",
        "https://www.vietcombank.com.vn/vi-VN/Ca-nhan",
        "https://play.google.com/store/apps/details?id=vn.gov.bocongan.vneid",
        "https://zalo.me/0912345678",
        "https://bit.ly/3abc",
        "https://dichvucong.gov.vn.xacminh-cutru.top/dang-nhap",
        "http://103.21.4.9/download/VNeID.apk",
        "https://tai-ung-dung.top/VNeID.apk",
        "https://x.lua-dao.top/",
        "https://l.facebook.com/l.php?u=https%3A%2F%2Ftai-ung-dung.top%2Fa.apk&h=AT0",
        "view-source:https://tai-ung-dung.top/a.apk",
        "javascript:alert(1)",
        "not a url",
        "",
    ];
    let mut levels = std::collections::BTreeSet::new();
    for url in urls {
        let full = e.check_url(url).unwrap();
        let fast = e.check_navigation(url).unwrap();
        let level = get(&full, "verdict").as_string().unwrap();
        levels.insert(level.clone());
        assert_eq!(get(&fast, "verdict"), get(&full, "verdict"), "{url}");
        assert_eq!(get(&fast, "category"), get(&full, "category"), "{url}");
        assert_eq!(get(&fast, "warns"), get(&full, "warns"), "{url}");
        assert_eq!(
            get(&full, "warns").as_bool(),
            Some(level == "warn" || level == "block"),
            "{url}"
        );
        if level == "warn" || level == "block" {
            // A warning crosses whole: the same properties, in the same order, as checkUrl's.
            assert_eq!(
                js_sys::JSON::stringify(&fast).unwrap(),
                js_sys::JSON::stringify(&full).unwrap(),
                "{url}"
            );
        } else {
            assert!(js_sys::Object::is_frozen(&fast.clone().into()), "{url}");
            assert_eq!(get(&fast, "warns"), JsValue::FALSE, "{url}");
            assert_eq!(
                js_sys::Object::keys(&fast.into()).length(),
                3,
                "{url}: only verdict, category and warns"
            );
        }
    }
    for want in ["allow", "official", "info", "warn", "block"] {
        assert!(
            levels.contains(want),
            "the mix lacks a {want} verdict: {levels:?}"
        );
    }
}

#[wasm_bindgen_test]
fn verdict_objects_are_exactly_the_serialised_view() {
    use serde::Serialize;
    let e = new_engine();
    let native = canhgiac::Engine::new();
    // Every level, optional fields present and absent (`imitates`, `judgedUrl`, `detail`, `app`), and
    // details holding the packing marks (%01, %02), which take the slower path.
    let urls = [
        "https://vnexpress.net/thoi-su",
        "https://play.google.com/store/apps/details?id=vn.gov.bocongan.vneid",
        "https://zalo.me/0912345678",
        "https://bit.ly/3abc",
        "https://dichvucong.gov.vn.xacminh-cutru.top/dang-nhap",
        "http://103.21.4.9/download/VNeID.apk",
        "https://l.facebook.com/l.php?u=https%3A%2F%2Ftai-ung-dung.top%2Fa.apk&h=AT0",
        "https://xn--vietcmbank-hcb.com/",
        "https://tai-ung-dung.top/Dich_vu-cong.apk",
        "https://tai-ung-dung.top/%01.apk",
        "https://tai-ung-dung.top/%02.apk",
        "https://tai-ung-dung.top/%02",
        "javascript:alert(1)",
        "not a url",
        "",
    ];
    for url in urls {
        let got = e.check_url(url).unwrap();
        let want = native
            .check_url(url)
            .view(canhgiac::Lang::Vi)
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .unwrap();
        assert_eq!(
            js_sys::JSON::stringify(&got).unwrap(),
            js_sys::JSON::stringify(&want).unwrap(),
            "{url}"
        );
    }
}

#[wasm_bindgen_test]
fn a_stored_copy_larger_than_one_read_is_restored_whole() {
    use canhgiac::wasm::parse_feed;
    // 20,000 entries: 160,000 bytes of hashes after the stored copy's header.
    let body: String = (0..20_000)
        .map(|i| format!("lua-dao-{i:05}.top\n"))
        .collect();
    let copy = js_sys::Uint8Array::from(get(
        &parse_feed(&body, "domains", None, None).unwrap(),
        "copy",
    ));
    assert_eq!(
        copy.length() as usize,
        canhgiac::feeds::STORED_HEADER + 160_000
    );
    let mut e = new_engine();
    e.set_feeds(vec![copy.clone()]).unwrap();
    for host in [
        "lua-dao-00000.top",
        "lua-dao-12345.top",
        "lua-dao-19999.top",
    ] {
        let v = e.check_url(&format!("https://{host}/")).unwrap();
        assert_eq!(
            get(&v, "verdict").as_string().as_deref(),
            Some("block"),
            "{host}"
        );
    }
    let v = e.check_url("https://lua-dao-20000.top/").unwrap();
    assert_ne!(get(&v, "verdict").as_string().as_deref(), Some("block"));
    // Damage in the last piece (two entries swapped) is still found.
    let mut bytes = copy.to_vec();
    let n = bytes.len();
    let (a, b) = bytes[n - 16..].split_at_mut(8);
    a.swap_with_slice(b);
    let damaged = js_sys::Uint8Array::from(&bytes[..]);
    assert!(e.set_feeds(vec![damaged]).is_err());
}

#[wasm_bindgen_test]
fn browser_rules_the_worker_installs_come_whole_from_the_engine() {
    use canhgiac::wasm::{bypass_rule, rule_layout, stop_rule};
    let page = "chrome-extension://x/warning.html";
    let layout = rule_layout().unwrap();
    let num = |v: &JsValue, k: &str| get(v, k).as_f64().unwrap();
    assert!(num(&layout, "staticCopyBase") < num(&layout, "stopBase"));
    assert!(num(&layout, "stopEnd") <= num(&layout, "bypassBase"));
    let stop = stop_rule(
        num(&layout, "stopBase") as u32,
        12.0,
        "https://a.vn/x#y",
        page,
    )
    .unwrap();
    assert_eq!(
        get(&get(&stop, "condition"), "urlFilter")
            .as_string()
            .as_deref(),
        Some("|https://a.vn/x|")
    );
    let bypass = bypass_rule(num(&layout, "bypassBase") as u32, 12.0, "a.vn").unwrap();
    assert_eq!(
        Array::from(&get(&get(&bypass, "condition"), "tabIds"))
            .get(0)
            .as_f64(),
        Some(12.0)
    );
    // The promise across both kinds: a bypass outranks a stop rule, never an admin's block.
    let mut e = new_engine();
    e.set_policy(json(r#"{"blockedDomains": ["a.vn"]}"#))
        .unwrap();
    let blocks = Array::from(&e.policy_rules(page).unwrap());
    assert!(num(&bypass, "priority") > num(&stop, "priority"));
    for rule in blocks.iter() {
        assert!(num(&rule, "priority") > num(&bypass, "priority"));
    }
    // A tab id that is none is an error, not a rule for some other tab.
    for bad in [-1.0, 1.5, f64::NAN] {
        assert!(bypass_rule(500_000, bad, "a.vn").is_err());
        assert!(stop_rule(300_000, bad, "https://a.vn/", page).is_err());
    }
}
