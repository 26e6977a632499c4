//! The extension's `managed_schema.json` and the engine's policy validator must agree: Chrome
//! drops managed values that do not match the schema before the engine sees them. The file is
//! written from the policy's key table (`canhgiac schema`); these tests hold the committed copy
//! to that output and check the two agree key by key.
#![cfg(not(target_arch = "wasm32"))]

use canhgiac::policy::{Policy, KNOWN_KEYS};
use serde_json::Value;

fn schema() -> Value {
    serde_json::from_str(include_str!("../extension/managed_schema.json"))
        .expect("the schema is JSON")
}

#[test]
fn every_policy_key_is_in_the_schema_with_a_title_and_description() {
    let s = schema();
    let props = s["properties"].as_object().unwrap();
    let mut schema_keys: Vec<&str> = props.keys().map(String::as_str).collect();
    let mut engine_keys: Vec<&str> = KNOWN_KEYS.to_vec();
    schema_keys.sort_unstable();
    engine_keys.sort_unstable();
    assert_eq!(schema_keys, engine_keys);
    for (k, v) in props {
        assert!(
            v["title"].as_str().is_some_and(|t| !t.is_empty()),
            "{k} has no title"
        );
        assert!(
            v["description"].as_str().is_some_and(|d| d.len() > 20),
            "{k} has no useful description"
        );
    }
}

/// A value of the schema's type for `prop`, valid for the engine too.
fn sample(key: &str, prop: &Value) -> Value {
    match (key, prop["type"].as_str().unwrap()) {
        ("reportEndpoint", _) => "https://r.example.vn/".into(),
        ("builtInListsMirror", _) => "https://mirror.example.vn/lists/".into(),
        ("language", _) => "en".into(),
        ("blocklistFeeds", _) => {
            serde_json::json!([{"url": "https://f.example.vn/l.txt", "format": "hosts"}])
        }
        ("reportContact", _) => {
            serde_json::json!({"name": "Sở Nội vụ", "phone": "0262 3852 333", "email": "a@b.vn"})
        }
        ("policeContact", _) => {
            serde_json::json!({"name": "Công an tỉnh", "phone": "0694.387.389", "url": "https://congan.daklak.gov.vn/"})
        }
        ("disabledChecks", _) => serde_json::json!(["shortener"]),
        ("blockedUrls", _) => serde_json::json!(["https://zalo.me/314"]),
        (_, "array") => serde_json::json!(["a.example.vn"]),
        (_, "boolean") => false.into(),
        ("bypassMinutes", "integer") => 5.into(),
        (_, "integer") => 60.into(),
        (k, t) => panic!("no sample for {k}: {t}"),
    }
}

#[test]
fn a_value_of_each_schema_type_is_accepted_by_the_engine() {
    let s = schema();
    for (k, prop) in s["properties"].as_object().unwrap() {
        let value = serde_json::json!({ k.as_str(): sample(k, prop) });
        let (_, problems) = Policy::from_value(&value);
        assert!(problems.is_empty(), "{k}: {problems:?}");
        // And the engine refuses the wrong type the schema would also refuse.
        let wrong = match prop["type"].as_str().unwrap() {
            "boolean" | "integer" | "array" | "object" => serde_json::json!({ k.as_str(): "text" }),
            _ => serde_json::json!({ k.as_str(): 12 }),
        };
        let (_, problems) = Policy::from_value(&wrong);
        assert!(
            problems.iter().any(|p| p.key == *k),
            "{k}: a wrong type passes the engine"
        );
    }
}

/// How to bring the committed schema back in line with the key table.
const REGENERATE: &str =
    "regenerate it with: cargo run --bin canhgiac -- schema > extension/managed_schema.json";

#[test]
fn the_committed_schema_is_what_the_key_table_writes() {
    let committed = include_str!("../extension/managed_schema.json");
    let written = canhgiac::admin::schema::managed_schema();
    if committed != written {
        let line = committed
            .lines()
            .zip(written.lines())
            .position(|(a, b)| a != b)
            .map_or("at its end".to_string(), |n| format!("from line {}", n + 1));
        panic!("extension/managed_schema.json differs from the key table's schema {line}; {REGENERATE}");
    }
}

#[test]
fn the_cli_prints_the_schema() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_canhgiac"))
        .arg("schema")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        canhgiac::admin::schema::managed_schema()
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_canhgiac"))
        .args(["schema", "--extra"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "an argument is bad usage");
}

/// The keywords Chromium's schema parser knows that the file may use; it refuses the whole schema
/// for one it does not know.
const KEYWORDS: &[&str] = &["type", "title", "description", "properties", "items"];

#[test]
fn the_schema_uses_only_keywords_chromium_accepts() {
    fn walk(node: &Value, path: &str) {
        let Some(obj) = node.as_object() else {
            return;
        };
        for (k, v) in obj {
            assert!(KEYWORDS.contains(&k.as_str()), "{path}: keyword {k:?}");
            if k == "properties" {
                for (name, prop) in v.as_object().unwrap() {
                    walk(prop, &format!("{path}.{name}"));
                }
            } else if k == "items" {
                walk(v, &format!("{path}[]"));
            }
        }
    }
    walk(&schema(), "$");
}

/// The admin guides, English and Vietnamese, each describe every key in their key table.
#[test]
fn both_admin_guides_have_a_row_for_every_key() {
    for (guide, text) in [
        ("docs/admin.md", include_str!("../docs/admin.md")),
        ("docs/admin.vi.md", include_str!("../docs/admin.vi.md")),
    ] {
        for key in KNOWN_KEYS {
            let row = format!("| `{key}` |");
            assert!(
                text.lines().any(|l| l.starts_with(&row)),
                "{guide} has no row for {key}"
            );
        }
    }
}
