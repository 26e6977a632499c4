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
