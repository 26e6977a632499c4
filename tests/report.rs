//! Reports: built from the extension's input, validated field by field, and shaped exactly as
//! `docs/report.schema.json` says (checked here by a small validator for the keywords it uses).
#![cfg(not(target_arch = "wasm32"))]

use canhgiac::report::{Report, ReportError, ReportInput, ReportKind};
use canhgiac::{Engine, Lang};
use serde_json::{json, Value};

/// A 1×1 PNG.
const PNG_B64: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

fn input(extra: Value) -> ReportInput {
    let mut base = json!({
        "id": "3f0c2a9e-1b2c-4d3e-8f40-0123456789ab",
        "createdAt": "2026-11-28T16:50:00.120Z",
        "kind": "install_link",
        "url": "https://tai-ung-dung.top/VNeID.apk",
        "redirectChain": ["https://bit.ly/3vneid"],
        "pageTitle": "Cài đặt VNeID mới",
        "referrer": "https://chat.zalo.me/",
        "note": "Người lạ nhắn qua Zalo, bảo cài ứng dụng để cập nhật định danh.",
        "screenshot": {"mime": "image/png", "base64": PNG_B64},
        "browser": "Chromium 156",
        "extensionVersion": "0.1.0",
        "language": "vi"
    });
    for (k, v) in extra.as_object().unwrap() {
        if v.is_null() {
            base.as_object_mut().unwrap().remove(k);
        } else {
            base[k] = v.clone();
        }
    }
    serde_json::from_value(base).expect("input deserialises")
}

/// Checks `value` against the subset of JSON Schema the report schema uses.
fn validate(schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    if let Some(c) = schema.get("const") {
        if c != value {
            errors.push(format!("{path}: want {c}, got {value}"));
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
        if !options.contains(value) {
            errors.push(format!("{path}: {value} not in {options:?}"));
        }
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let number_ok = actual == "integer" && types.contains(&"number");
        if !types.contains(&actual) && !number_ok {
            errors.push(format!("{path}: type {actual}, want {types:?}"));
        }
    }
    if let (Some(max), Some(s)) = (
        schema.get("maxLength").and_then(Value::as_u64),
        value.as_str(),
    ) {
        if s.chars().count() as u64 > max {
            errors.push(format!("{path}: longer than {max}"));
        }
    }
    if let Some(obj) = value.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        for req in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !obj.contains_key(req.as_str().unwrap()) {
                errors.push(format!("{path}: missing {req}"));
            }
        }
        for (k, v) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(sub) => validate(sub, v, &format!("{path}.{k}"), errors),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{path}: unexpected key {k}"))
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            validate(items, v, &format!("{path}[{i}]"), errors);
        }
    }
}

fn schema() -> Value {
    serde_json::from_str(include_str!("../docs/report.schema.json")).expect("the schema is JSON")
}

#[test]
fn a_full_report_matches_the_schema_and_carries_the_engines_verdict() {
    let report = Report::build(&Engine::new(), input(json!({}))).unwrap();
    let value = serde_json::to_value(&report).unwrap();
    let mut errors = Vec::new();
    validate(&schema(), &value, "$", &mut errors);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(value["verdict"]["verdict"], "warn");
    assert_eq!(
        value["verdict"]["reasons"][0]["code"],
        "app_package_in_path"
    );
    assert_eq!(
        value["evidence"][0]["sha256"],
        canhgiac::report::sha256_hex(&base64_decode(PNG_B64))
    );
    assert_eq!(value["evidence"][0]["bytes"], 70);
    assert_eq!(value["page"]["referrer"], "https://chat.zalo.me/");
}

#[test]
fn a_report_on_a_url_the_engine_faulted_on_carries_the_check_failed_warning() {
    let report = Report::build(&Engine::new(), input(json!({"checkFailed": true}))).unwrap();
    let value = serde_json::to_value(&report).unwrap();
    let mut errors = Vec::new();
    validate(&schema(), &value, "$", &mut errors);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(value["verdict"]["verdict"], "warn");
    let codes: Vec<&str> = value["verdict"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["check_failed"], "not judged again");
}

#[test]
fn a_minimal_report_matches_the_schema_too() {
    let minimal = json!({"redirectChain": null, "pageTitle": null, "referrer": null, "note": null,
        "screenshot": null, "browser": null, "extensionVersion": null, "language": null});
    let report = Report::build(&Engine::new(), input(minimal)).unwrap();
    let value = serde_json::to_value(&report).unwrap();
    let mut errors = Vec::new();
    validate(&schema(), &value, "$", &mut errors);
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(value["evidence"], json!([]));
    assert_eq!(value["client"]["language"], "vi");
}

#[test]
fn each_bad_field_is_named() {
    let cases = [
        (json!({"id": "1234"}), "id"),
        (json!({"createdAt": "yesterday"}), "createdAt"),
        (json!({"url": "  "}), "url"),
        (json!({"note": "x".repeat(4001)}), "note"),
        (json!({"language": "fr"}), "language"),
        (
            json!({"screenshot": {"mime": "image/gif", "base64": PNG_B64}}),
            "screenshot",
        ),
        (
            json!({"screenshot": {"mime": "image/png", "base64": "%%%"}}),
            "screenshot",
        ),
        (
            json!({"screenshot": {"mime": "image/jpeg", "base64": PNG_B64}}),
            "screenshot",
        ),
        (
            json!({"redirectChain": vec!["https://a.vn/"; 21]}),
            "redirectChain",
        ),
    ];
    for (extra, field) in cases {
        match Report::build(&Engine::new(), input(extra.clone())) {
            Err(ReportError::InvalidField { field: f, .. }) => assert_eq!(f, field, "{extra}"),
            other => panic!("{extra}: expected an error on {field}, got {other:?}"),
        }
    }
}

#[test]
fn unknown_and_mistyped_input_fields_are_refused() {
    let mut v = serde_json::to_value(json!({"id": "3f0c2a9e-1b2c-4d3e-8f40-0123456789ab",
        "createdAt": "2026-11-28T16:50:00Z", "kind": "other", "url": "https://x.vn/", "pageTitel": "typo"}))
    .unwrap();
    let err = serde_json::from_value::<ReportInput>(v.clone())
        .unwrap_err()
        .to_string();
    assert!(err.contains("pageTitel"), "{err}");
    v.as_object_mut().unwrap().remove("pageTitel");
    v["kind"] = json!("scam");
    let err = serde_json::from_value::<ReportInput>(v)
        .unwrap_err()
        .to_string();
    assert!(err.contains("scam"), "{err}");
}

#[test]
fn the_summary_reads_in_both_languages() {
    let report = Report::build(&Engine::new(), input(json!({}))).unwrap();
    let vi = report.summary(Lang::Vi);
    assert!(vi.starts_with("BÁO CÁO CẢNH GIÁC\n"), "{vi}");
    assert!(vi.contains("Mã báo cáo: 3f0c2a9e-1b2c-4d3e-8f40-0123456789ab"));
    assert!(vi.contains("chuyển hướng 1: https://bit.ly/3vneid"));
    assert!(vi.contains(&report.evidence[0].sha256));
    let en = report.summary(Lang::En);
    assert!(
        en.contains("What happened: A link to install an app"),
        "{en}"
    );
}

fn base64_decode(s: &str) -> Vec<u8> {
    // Independent of the crate's decoder: a plain table walk.
    let table = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes().filter(|&c| c != b'=') {
        bits = (bits << 6) | table.iter().position(|&t| t == c).unwrap() as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

#[test]
fn the_kind_offered_first_follows_what_the_engine_found() {
    let suggested = |url: &str| {
        Report::build(&Engine::new(), input(json!({ "url": url })))
            .unwrap()
            .suggested_kind()
    };
    assert_eq!(
        suggested("https://tai-ung-dung.top/VNeID.apk"),
        Some(ReportKind::InstallLink)
    );
    assert_eq!(
        suggested("https://dichvucong.gov.vn.xacminh-cutru.top/"),
        Some(ReportKind::FakeLogin)
    );
    assert_eq!(
        suggested("https://www.facebook.com/friends/requests"),
        Some(ReportKind::StrangerContact)
    );
    assert_eq!(suggested("https://vnexpress.net/"), None);
}

#[test]
fn a_title_with_hidden_characters_shows_them_in_the_summary_and_keeps_them_in_the_report() {
    let title = "Dịch vụ công\u{202e}kpa.DIeNV\u{2028}URL: https://dichvucong.gov.vn\u{7}";
    let report = Report::build(&Engine::new(), input(json!({ "pageTitle": title }))).unwrap();
    let summary = report.summary(Lang::En);
    assert!(
        summary.contains("Page title: Dịch vụ công[U+202E]kpa.DIeNV[U+2028]URL: https://dichvucong.gov.vn[U+0007]"),
        "{summary}"
    );
    assert!(!summary.contains(['\u{202e}', '\u{2028}', '\u{7}']));
    assert_eq!(
        report.page.title.as_deref(),
        Some(title),
        "the evidence is kept as it was"
    );
}
