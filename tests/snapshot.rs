//! The policy snapshot a restarted worker puts back instead of applying policy JSON: it must give
//! back exactly the policy saved, refuse anything else with a named error, and never panic.

use canhgiac::{snapshot, Engine, Policy, SnapshotError};

fn example() -> Policy {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/admin/example-policy.json"
    ))
    .unwrap();
    let (policy, problems) = Policy::from_json(&text);
    assert!(problems.is_empty(), "{problems:?}");
    policy
}

/// A policy with every key set to something other than its default.
fn everything() -> Policy {
    let (policy, problems) = Policy::from_json(
        r#"{
          "blockedDomains": ["vneid-capnhat.top", "xn--vneid-6ra.top"],
          "blockedUrls": ["https://zalo.me/3142857142857", "http://bit.ly/abc"],
          "allowedStores": ["appstore.example.gov.vn"],
          "allowedDownloadHosts": ["tai-ve.example.gov.vn", "files.example.vn"],
          "protectedDomains": ["daklak.gov.vn", "dichvucong.gov.vn"],
          "allowBypass": false,
          "bypassMinutes": 5,
          "reportEndpoint": "https://bao-cao.example.gov.vn/r",
          "reportContact": {"name": "Phòng CNTT", "phone": "0262 3 000 000", "email": "cntt@example.gov.vn"},
          "policeContact": {"name": "Công an tỉnh", "phone": "0694.387.389", "url": "https://congan.example.gov.vn/"},
          "blocklistFeeds": [
            {"url": "https://a.example.gov.vn/list.txt", "format": "domains"},
            {"url": "https://b.example.gov.vn/hosts", "format": "hosts", "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
            {"url": "https://c.example.gov.vn/list.json", "format": "json"}
          ],
          "feedRefreshMinutes": 60,
          "disabledChecks": ["lookalike"],
          "language": "en",
          "socialNotices": false,
          "builtInLists": false,
          "builtInListsMirror": "https://mirror.example.gov.vn/lists/",
          "exemptDomains": ["noi-bo.example.gov.vn"]
        }"#,
    );
    assert!(problems.is_empty(), "{problems:?}");
    policy
}

#[test]
fn gives_back_the_policy_saved() {
    let user = Policy::from_user_json(r#"{"language": "vi"}"#).0;
    for (name, policy) in [
        ("default", Policy::default()),
        ("example", example()),
        ("every key", everything()),
        ("admin + user", Policy::effective(&example(), &user)),
    ] {
        let bytes = snapshot::save(&policy);
        assert_eq!(snapshot::restore(&bytes).as_ref(), Ok(&policy), "{name}");
    }
}

#[test]
fn every_key_differs_from_the_default() {
    // Guards the test above: a key left at its default would not show a field the snapshot drops.
    let all = everything().to_json();
    let default = Policy::default().to_json();
    for (key, value) in all.as_object().unwrap() {
        assert_ne!(
            Some(value),
            default.get(key),
            "{key} is at its default in everything()"
        );
    }
}

#[test]
fn equal_policies_give_equal_bytes() {
    assert_eq!(snapshot::save(&everything()), snapshot::save(&everything()));
}

#[test]
fn a_restored_engine_judges_like_one_given_the_json() {
    let mut from_json = Engine::new();
    from_json.set_policy(everything());
    let mut restored = Engine::new();
    restored
        .restore_policy(&from_json.policy_snapshot())
        .unwrap();
    for url in [
        "https://vneid-capnhat.top/",
        "https://sub.vneid-capnhat.top/tai-ve",
        "https://zalo.me/3142857142857",
        "https://tai-ve.example.gov.vn/VNeID.apk",
        "https://daklak-gov.vn/",
        "https://dichvucong.gov.vn.xacminh.top/",
        "https://www.google.com/",
    ] {
        assert_eq!(restored.check_url(url), from_json.check_url(url), "{url}");
    }
}

#[test]
fn foreign_bytes_are_refused_by_name() {
    assert_eq!(snapshot::restore(b""), Err(SnapshotError::NotASnapshot));
    assert_eq!(
        snapshot::restore(b"{\"blockedDomains\":[]}"),
        Err(SnapshotError::NotASnapshot)
    );
    let mut other_version = snapshot::save(&example());
    other_version[4] = 99;
    assert!(matches!(
        snapshot::restore(&other_version),
        Err(SnapshotError::OtherVersion { .. })
    ));
    let mut trailing = snapshot::save(&example());
    trailing.push(0);
    assert_eq!(
        snapshot::restore(&trailing),
        Err(SnapshotError::ChecksumMismatch)
    );
}

#[test]
fn values_the_policy_would_refuse_are_refused_from_a_snapshot_too() {
    // Written by this engine with a good checksum, yet not a policy its checks would accept.
    type Spoil = fn(&mut Policy);
    // (An unknown language or check name cannot be put in a `Policy` any more, the two being
    // enums: src/policy/snapshot.rs writes such bytes itself and sees them refused.)
    let bad: [(&str, Spoil); 3] = [
        ("bypass 0 minutes", |p| p.bypass_minutes = 0),
        ("bypass for a week", |p| p.bypass_minutes = 7 * 24 * 60),
        ("feeds refreshed every 0 minutes", |p| {
            p.feed_refresh_minutes = 0
        }),
    ];
    for (what, spoil) in bad {
        let mut p = example();
        spoil(&mut p);
        assert!(
            matches!(
                snapshot::restore(&snapshot::save(&p)),
                Err(SnapshotError::Damaged { .. })
            ),
            "{what}"
        );
    }
}

#[test]
fn damaged_bytes_never_panic_and_never_pass_as_whole() {
    let good = snapshot::save(&everything());
    // Every cut is refused.
    for n in 0..good.len() {
        assert!(snapshot::restore(&good[..n]).is_err(), "cut at {n}");
    }
    // Every changed byte is refused (the checksum), without a panic.
    for i in 0..good.len() {
        for b in [0x00, 0x01, 0x7f, 0x80, 0xff] {
            let mut bad = good.clone();
            bad[i] = b;
            if bad != good {
                assert!(snapshot::restore(&bad).is_err(), "byte {i} set to {b:#x}");
            }
        }
    }
    // A length no snapshot can hold is refused before anything is allocated for it.
    let mut huge = good[..5].to_vec();
    huge.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
    assert!(matches!(
        snapshot::restore(&huge),
        Err(SnapshotError::Damaged { .. })
    ));
}

#[test]
fn a_failed_restore_leaves_the_policy_in_force() {
    let mut engine = Engine::new();
    engine.set_policy(example());
    assert!(engine.restore_policy(b"CGPS").is_err());
    assert_eq!(engine.policy(), &example());
}
