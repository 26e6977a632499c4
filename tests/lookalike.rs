//! Lookalike detector: recall and false positives on the labelled sets in `tests/data/`, the
//! shared benign lists when present, and a table per technique.
//!
//! Ceilings live in `tests/data/lookalike_baseline.txt`; the test prints the figures either way.

use std::collections::HashMap;
use std::path::Path;

use canhgiac::lookalike::{Detector, LookalikeMatch};
use canhgiac::verdict::{Level, ReasonCode};
use canhgiac::{EmbeddedList, Facts};

/// The detector's answer for `input` (a URL, or a bare host).
fn check(d: &Detector, input: &str) -> Option<LookalikeMatch> {
    let text = if input.contains("://") {
        input.to_string()
    } else {
        format!("https://{input}/")
    };
    let url = url::Url::parse(&text).unwrap_or_else(|e| panic!("{input}: {e}"));
    d.check(&Facts::new(&url, &EmbeddedList))
}

/// The rows of a TSV file in `tests/data/`, comments skipped.
fn rows(name: &str) -> Vec<Vec<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

/// The recorded ceilings.
fn baseline() -> HashMap<String, usize> {
    rows("lookalike_baseline.txt")
        .into_iter()
        .map(|r| (r[0].clone(), r[1].parse().expect("a count")))
        .collect()
}

fn ceiling(key: &str) -> usize {
    *baseline()
        .get(key)
        .unwrap_or_else(|| panic!("{key} missing from the baseline"))
}

#[test]
fn recall_on_attacks() {
    let d = Detector::new(&[]);
    let rows = rows("lookalike_attacks.tsv");
    assert!(rows.len() >= 500, "want at least 500 attack rows");
    let (mut missed, mut wrong) = (Vec::new(), Vec::new());
    for r in &rows {
        match check(&d, &r[0]) {
            None => missed.push(r[0].as_str()),
            Some(m) if m.imitates != r[1] => {
                wrong.push(format!("{} → {} (want {})", r[0], m.imitates, r[1]))
            }
            Some(_) => {}
        }
    }
    let recall = 100.0 * (rows.len() - missed.len()) as f64 / rows.len() as f64;
    println!(
        "lookalike recall: {recall:.2}% ({} of {} rows; {} name another target)",
        rows.len() - missed.len(),
        rows.len(),
        wrong.len()
    );
    for m in &missed {
        println!("  missed: {m}");
    }
    for w in &wrong {
        println!("  other target: {w}");
    }
    assert!(
        missed.len() <= ceiling("attack_misses"),
        "recall fell: {missed:?}"
    );
    assert!(
        wrong.len() <= ceiling("attack_wrong_target"),
        "targets: {wrong:?}"
    );
}

#[test]
fn false_positives_on_benign() {
    let d = Detector::new(&[]);
    let rows = rows("lookalike_benign.tsv");
    assert!(rows.len() >= 2000, "want at least 2,000 benign rows");
    let flagged: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            check(&d, &r[0]).map(|m| format!("{} ({:?} {})", r[0], m.reason.code, m.imitates))
        })
        .collect();
    println!(
        "lookalike false positives: {:.3}% ({} of {})",
        100.0 * flagged.len() as f64 / rows.len() as f64,
        flagged.len(),
        rows.len()
    );
    for f in &flagged {
        println!("  flagged: {f}");
    }
    assert!(
        flagged.len() <= ceiling("benign_false_positives"),
        "{flagged:?}"
    );
}

/// The large benign lists shared beside the repository (`../shared/data/benign/`): read in
/// place, never copied. Skipped when the folder is absent.
#[test]
fn false_positives_on_shared_benign_lists() {
    // `../shared` from the repository root, or one level further up for a git worktree.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = ["../shared/data/benign", "../../shared/data/benign"]
        .iter()
        .map(|p| root.join(p))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| root.join("../shared/data/benign"));
    let files = ["top_domains.txt", "vn_domains.txt"];
    if !files.iter().all(|f| dir.join(f).exists()) {
        println!(
            "shared benign lists not found at {}: skipped",
            dir.display()
        );
        return;
    }
    let d = Detector::new(&[]);
    let (mut total, mut flagged) = (0usize, Vec::new());
    for f in files {
        let text = std::fs::read_to_string(dir.join(f)).unwrap();
        for host in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            total += 1;
            if let Some(m) = check(&d, host) {
                flagged.push(format!("{host} ({:?} {})", m.reason.code, m.imitates));
            }
        }
    }
    println!(
        "lookalike false positives on shared lists: {:.4}% ({} of {total})",
        100.0 * flagged.len() as f64 / total as f64,
        flagged.len()
    );
    for f in &flagged {
        println!("  flagged: {f}");
    }
    assert!(
        flagged.len() <= ceiling("shared_benign_false_positives"),
        "{flagged:?}"
    );
}

/// `(input, expected code or None, imitated target)` per technique.
const TABLE: &[(&str, Option<ReasonCode>, &str)] = &[
    // Confusables: Vietnamese dot-below letters, Cyrillic, mixed scripts.
    (
        "xn--vietcombnk-lj3e.com",
        Some(ReasonCode::LookalikeConfusable),
        "vietcombank.com.vn",
    ),
    (
        "xn--zal-vlz.vn",
        Some(ReasonCode::LookalikeConfusable),
        "zalo.me",
    ),
    (
        "xn--dchvcng-x0a0689dsha.vn",
        Some(ReasonCode::LookalikeConfusable),
        "dichvucong.gov.vn",
    ),
    (
        "xn--pple-43d.com",
        Some(ReasonCode::LookalikeMixedScript),
        "apps.apple.com",
    ),
    // Typos: swaps, doubled and dropped letters, digit disguises.
    (
        "vietcombnak.com",
        Some(ReasonCode::LookalikeTypo),
        "vietcombank.com.vn",
    ),
    (
        "viettcombank-vn.com",
        Some(ReasonCode::LookalikeTypo),
        "vietcombank.com.vn",
    ),
    (
        "vietcornbank.com",
        Some(ReasonCode::LookalikeTypo),
        "vietcombank.com.vn",
    ),
    ("m0mo.com", Some(ReasonCode::LookalikeTypo), "momo.vn"),
    (
        "agrlbank.com.vn",
        Some(ReasonCode::LookalikeTypo),
        "agribank.com.vn",
    ),
    // Embedding and fake gov.vn.
    (
        "dichvucong.gov.vn.xacminh-cutru.top",
        Some(ReasonCode::LookalikeEmbedded),
        "dichvucong.gov.vn",
    ),
    (
        "vietcombank.com.vn-hc.info",
        Some(ReasonCode::LookalikeEmbedded),
        "vietcombank.com.vn",
    ),
    (
        "dich-vu-cong.gov-vn.top",
        Some(ReasonCode::LookalikeEmbedded),
        "dichvucong.gov.vn",
    ),
    (
        "hanoi-govvn.top",
        Some(ReasonCode::LookalikeGov),
        "dichvucong.gov.vn",
    ),
    (
        "viet.lgovn.cc",
        Some(ReasonCode::LookalikeGov),
        "dichvucong.gov.vn",
    ),
    // Combo-squatting, with Vietnamese keywords.
    (
        "chplay-vn.top",
        Some(ReasonCode::LookalikeBrand),
        "play.google.com",
    ),
    ("zaloweb.pro", Some(ReasonCode::LookalikeBrand), "zalo.me"),
    (
        "facebook-dangnhap.com",
        Some(ReasonCode::LookalikeBrand),
        "facebook.com",
    ),
    (
        "taiapp-vneid.online",
        Some(ReasonCode::LookalikeBrand),
        "vneid.gov.vn",
    ),
    (
        "acb-xac-thuc.top",
        Some(ReasonCode::LookalikeBrand),
        "acb.com.vn",
    ),
    // Brand words as subdomains; IP hosts with a brand in the path.
    (
        "zalo.xacminh43.org",
        Some(ReasonCode::LookalikeBrandSubdomain),
        "zalo.me",
    ),
    (
        "http://45.76.12.9/vietcombank/login",
        Some(ReasonCode::LookalikeBrandIp),
        "vietcombank.com.vn",
    ),
    // Legitimate hosts of targets and hard cases stay clean.
    ("m.facebook.com", None, ""),
    ("chat.zalo.me", None, ""),
    ("id.zalo.me", None, ""),
    ("sotttt.daklak.gov.vn", None, ""),
    ("ebank.vietcombank.com.vn", None, ""),
    ("vietel.com.vn", None, ""),
    ("zalora.com", None, ""),
    ("google.com.hk", None, ""),
    ("apple.stackexchange.com", None, ""),
    ("telegraph.co.uk", None, ""),
    ("momoshop.com.tw", None, ""),
    ("seabank.co.id", None, ""),
    ("http://192.168.1.1/admin", None, ""),
];

#[test]
fn technique_table() {
    let d = Detector::new(&[]);
    let mut bad = Vec::new();
    for &(input, code, target) in TABLE {
        let got = check(&d, input);
        let ok = match (&got, code) {
            (None, None) => true,
            (Some(m), Some(c)) => m.reason.code == c && m.imitates == target,
            _ => false,
        };
        if !ok {
            bad.push(format!("{input}: got {got:?}, want {code:?} {target}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn homograph_of_a_real_domain_blocks_and_plain_combo_warns() {
    let d = Detector::new(&[]);
    assert_eq!(
        check(&d, "xn--vietcombnk-lj3e.com").unwrap().level,
        Level::Block
    );
    assert_eq!(check(&d, "chplay-vn.top").unwrap().level, Level::Warn);
    // A risky TLD alone is never enough.
    assert!(check(&d, "banhmi-ngon.top").is_none());
}

#[test]
fn protected_domains() {
    let d = Detector::new(&[
        "sotttt-daklak.com.vn".to_string(),
        "ubnd.example.vn".to_string(),
    ]);
    assert!(check(&d, "sotttt-daklak.com.vn").is_none());
    assert!(check(&d, "portal.sotttt-daklak.com.vn").is_none());
    let m = check(&d, "sotttt-daklak.com.vn.xacminh.top").unwrap();
    assert_eq!(m.imitates, "sotttt-daklak.com.vn");
    assert_eq!(
        check(&d, "sottt-daklak.com").unwrap().reason.code,
        ReasonCode::LookalikeTypo
    );
    assert!(check(&Detector::new(&[]), "sottt-daklak.com").is_none());
}
