//! Links of a chat or feed page judged in one batch: each keeps its own verdict, and text that
//! shows one address while the link leads to another is a finding in itself.
#![cfg(not(target_arch = "wasm32"))]

use canhgiac::{Category, Engine, Level, Link};

fn link(href: &str, text: &str) -> Link {
    Link {
        href: href.into(),
        text: Some(text.into()),
    }
}

fn codes(v: &canhgiac::Verdict) -> Vec<&'static str> {
    v.reasons.iter().map(|r| r.code.as_str()).collect()
}

#[test]
fn text_that_names_another_domain_is_flagged() {
    let e = Engine::new();
    let out = e.check_links(&[
        link(
            "https://tai-ung-dung.top/dang-nhap",
            "https://dichvucong.gov.vn",
        ),
        link("https://tai-ung-dung.top/", "vneid.gov.vn/cap-nhat"),
        link("https://vnexpress.net/thoi-su", "vnexpress.net"),
        link("https://www.vnexpress.net/", "https://VNEXPRESS.NET/"),
        link("https://tai-ung-dung.top/", "Bấm vào đây để cập nhật"),
        link("https://tai-ung-dung.top/", "VNeID.apk"),
        link(
            "https://l.facebook.com/l.php?u=https%3A%2F%2Ftai-ung-dung.top%2F",
            "tai-ung-dung.top",
        ),
    ]);
    assert_eq!(
        (out[0].level, out[0].category),
        (Level::Warn, Category::Lookalike)
    );
    assert_eq!(codes(&out[0]), vec!["link_text_mismatch"]);
    assert_eq!(
        out[0].reasons[0].detail.as_deref(),
        Some("https://dichvucong.gov.vn")
    );
    assert_eq!(codes(&out[1]), vec!["link_text_mismatch"]);
    assert_eq!(out[2].level, Level::Allow, "text matches the link");
    assert_eq!(out[3].level, Level::Allow, "case and www do not matter");
    assert_eq!(out[4].level, Level::Allow, "words are not an address");
    assert_eq!(out[5].level, Level::Allow, "a file name is not an address");
    assert_eq!(
        out[6].level,
        Level::Allow,
        "a wrapper to the domain the text shows"
    );
}

#[test]
fn a_batch_keeps_order_and_each_links_own_verdict() {
    let e = Engine::new();
    let hrefs = [
        "https://play.google.com/store/apps/details?id=vn.gov.bocongan.vneid",
        "https://tai-ung-dung.top/VNeID.apk",
        "https://zalo.me/0912345678",
        "not a link",
        "https://tai-ung-dung.top/VNeID.apk",
    ];
    let links: Vec<Link> = hrefs
        .iter()
        .map(|h| Link {
            href: h.to_string(),
            text: None,
        })
        .collect();
    let levels: Vec<Level> = e.check_links(&links).iter().map(|v| v.level).collect();
    assert_eq!(
        levels,
        vec![
            Level::Official,
            Level::Warn,
            Level::Info,
            Level::Warn,
            Level::Warn
        ]
    );
    let one: Vec<Level> = hrefs.iter().map(|h| e.check_url(h).level).collect();
    assert_eq!(levels, one, "batching changes nothing");
}

#[test]
fn a_mismatch_on_a_sideload_keeps_the_stronger_finding_first() {
    let e = Engine::new();
    let out = e.check_links(&[link("http://103.21.4.9/VNeID.apk", "play.google.com")]);
    assert_eq!(
        (out[0].level, out[0].category),
        (Level::Block, Category::Sideload)
    );
    assert_eq!(
        codes(&out[0]),
        vec!["app_package_in_path", "link_text_mismatch"]
    );
}

#[test]
fn marks_are_the_warnings_of_check_links_with_verdicts_shared() {
    let e = Engine::new();
    let mut links = Vec::new();
    for i in 0..300 {
        links.push(match i % 4 {
            0 => link("https://tai-ung-dung.top/VNeID.apk", "Cập nhật VNeID"),
            1 => link(
                &format!("https://tin-tuc-{}.top/", i % 3),
                "dichvucong.gov.vn",
            ),
            2 => link(
                &format!("https://vnexpress.net/bai-{i}.html"),
                "vnexpress.net",
            ),
            _ => Link {
                href: format!("https://vnexpress.net/bai-{i}.html"),
                text: None,
            },
        });
    }
    let full = e.check_links(&links);
    let marks = e.mark_links(links.iter().map(|l| (l.href.as_str(), l.text.as_deref())));
    let expected: Vec<u32> = (0..links.len() as u32)
        .filter(|&i| full[i as usize].level >= Level::Warn)
        .collect();
    let got: Vec<u32> = marks.marks.iter().map(|m| m.0).collect();
    assert_eq!(got, expected, "the same links, in input order");
    assert_eq!(expected.len(), 150);
    for &(i, v) in &marks.marks {
        assert_eq!(marks.verdicts[v as usize], full[i as usize]);
    }
    // One apk verdict and one mismatch verdict per distinct href: 1 + 3.
    assert_eq!(marks.verdicts.len(), 4, "each distinct verdict made once");
    assert!(marks.verdicts.iter().all(|v| v.level >= Level::Warn));
}

#[test]
fn the_same_text_on_different_links_is_judged_for_each_link() {
    let e = Engine::new();
    let marks = e.mark_links([
        ("https://vneid.gov.vn/", Some(" vneid.gov.vn ")),
        ("https://tin-tuc-moi.top/", Some(" vneid.gov.vn ")),
        ("https://vneid.gov.vn/", Some(" vneid.gov.vn ")),
        ("https://tin-tuc-moi.top/", None),
    ]);
    assert_eq!(marks.marks.len(), 1);
    assert_eq!(marks.marks[0].0, 1);
    let v = &marks.verdicts[0];
    assert_eq!(codes(v), vec!["link_text_mismatch"]);
    assert_eq!(
        v.reasons[0].detail.as_deref(),
        Some("vneid.gov.vn"),
        "trimmed"
    );
}

#[test]
fn hosts_seen_again_in_a_batch_get_the_same_findings_as_alone() {
    // Distinct addresses on repeated hosts: the batch answers host facts from its memo.
    let hosts = [
        "dichvucong.gov.vn.xacminh-cutru.top",
        "vietcombank-khachhang.top",
        "vnexpress.net",
        "www.facebook.com",
        "103.21.4.9",
    ];
    let links: Vec<Link> = (0..60)
        .map(|i| Link {
            href: format!("https://{}/trang-{i}?id={i}", hosts[i % hosts.len()]),
            text: None,
        })
        .collect();
    let (policy, problems) =
        canhgiac::Policy::from_json(r#"{"protectedDomains": ["sotaichinh.daklak.gov.vn"]}"#);
    assert!(problems.is_empty());
    for e in [Engine::new(), Engine::with_policy(policy)] {
        let batch = e.check_links(&links);
        let alone: Vec<_> = links.iter().map(|l| e.check_url(&l.href)).collect();
        assert_eq!(batch, alone);
        assert!(batch.iter().any(|v| v.category == Category::Lookalike));
    }
}

#[test]
fn an_empty_line_in_a_batch_is_no_link_and_keeps_the_numbering() {
    let e = Engine::new();
    // A packed batch with a blank line inside and a trailing line break.
    let marks = e.mark_links([
        ("https://vnexpress.net/", None),
        ("", None),
        ("https://tai-ung-dung.top/VNeID.apk", None),
        ("  ", Some("text with no address")),
        ("", None),
    ]);
    assert_eq!(
        marks.marks,
        vec![(2, 0)],
        "only the app file, at its own index"
    );
}
