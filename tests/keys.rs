//! Every row of the policy's key table (`KEY_SPECS`) goes through every place that still names
//! keys in code: parsing, `to_json`, the snapshot, the admin-over-user merge and the user's own
//! options. A key added to the table but forgotten in one of them fails here, by name.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use canhgiac::policy::{KeySpec, Policy, ProblemCode, KEY_SPECS, KNOWN_KEYS};
use canhgiac::snapshot;
use serde_json::{json, Value};

/// Keys whose `to_json` value is the stored form rather than input: blocked URL prefixes are
/// written without their scheme (`policy::url_key`), which the validator rightly refuses.
const WRITTEN_IN_STORED_FORM: &[&str] = &["blockedUrls"];

/// The policy that sets only `spec`'s key, to its example value.
fn example(spec: &KeySpec) -> (Value, Policy) {
    let value: Value = serde_json::from_str(spec.example)
        .unwrap_or_else(|e| panic!("{}: the example is not JSON: {e}", spec.name));
    let (p, problems) = Policy::from_value(&json!({ spec.name: value.clone() }));
    assert!(
        problems.is_empty(),
        "{}: its example is refused: {problems:#?}",
        spec.name
    );
    (value, p)
}

#[test]
fn every_key_is_parsed_into_a_field_of_its_own() {
    for spec in KEY_SPECS {
        let name = spec.name;
        let (_, p) = example(spec);
        assert_eq!(
            p.set_keys,
            canhgiac::policy::KeySet::from([name]),
            "{name}: not recorded as set"
        );
        let mut unset = p.clone();
        unset.set_keys.clear();
        assert_ne!(
            unset,
            Policy::default(),
            "{name}: its example changes nothing (the parser drops it, or the example is the default)"
        );
    }
}

#[test]
fn to_json_writes_every_key_from_its_own_field() {
    let default = Policy::default().to_json();
    let written: BTreeSet<&str> = default
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        written,
        KNOWN_KEYS.iter().copied().collect(),
        "to_json writes the table's keys"
    );
    for spec in KEY_SPECS {
        let name = spec.name;
        let (_, p) = example(spec);
        let json = p.to_json();
        assert_ne!(
            json[name], default[name],
            "{name}: to_json does not write the value that was set"
        );
        for other in KNOWN_KEYS.iter().filter(|k| **k != name) {
            assert_eq!(
                json[*other], default[*other],
                "{name}: setting it changes what to_json writes for {other}"
            );
        }
        if WRITTEN_IN_STORED_FORM.contains(&name) {
            continue;
        }
        let (back, problems) = Policy::from_value(&json!({ name: json[name].clone() }));
        assert!(
            problems.is_empty(),
            "{name}: to_json's value is refused: {problems:#?}"
        );
        assert_eq!(
            back, p,
            "{name}: JSON → Policy → to_json → Policy changed it"
        );
    }
}

#[test]
fn every_key_survives_the_snapshot() {
    let mut all = serde_json::Map::new();
    for spec in KEY_SPECS {
        let (value, p) = example(spec);
        let back = snapshot::restore(&snapshot::save(&p));
        assert_eq!(back.as_ref(), Ok(&p), "{}: lost in the snapshot", spec.name);
        all.insert(spec.name.to_string(), value);
    }
    let (p, problems) = Policy::from_value(&Value::Object(all));
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(p.set_keys.len(), KEY_SPECS.len());
    assert_eq!(
        snapshot::restore(&snapshot::save(&p)),
        Ok(p),
        "every key at once"
    );
}

#[test]
fn every_key_follows_the_admin_and_the_user_as_its_row_says() {
    for spec in KEY_SPECS {
        let name = spec.name;
        let (value, admin) = example(spec);
        assert_eq!(
            Policy::effective(&admin, &Policy::default()),
            admin,
            "{name}: the admin's value is lost in the policy in force"
        );
        let (user, problems) = Policy::from_user_json(&json!({ name: value }).to_string());
        if spec.admin_only {
            let codes: Vec<(&str, ProblemCode)> =
                problems.iter().map(|p| (p.key.as_str(), p.code)).collect();
            assert_eq!(codes, [(name, ProblemCode::AdminOnly)], "{name}");
            assert_eq!(
                user,
                Policy::default(),
                "{name}: an admin-only key set by the user still has an effect"
            );
        } else {
            assert!(problems.is_empty(), "{name}: {problems:#?}");
            assert_ne!(
                user,
                Policy::default(),
                "{name}: the user's value is dropped"
            );
            assert_eq!(
                Policy::effective(&Policy::default(), &user),
                user,
                "{name}: the user's value is lost in the policy in force"
            );
        }
    }
}
