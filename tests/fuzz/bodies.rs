//! What each fuzz target does with one input. Shared by the cargo-fuzz targets in `fuzz/` (run
//! with nightly) and by `tests/fuzz_regressions.rs`, which replays every saved input on stable, so
//! an input that once broke the engine is checked by every `./build.sh test`.
//!
//! A body panics only when the engine does, or when a property it checks fails: a policy or a
//! feed that went through its binary form must come back equal.

use std::sync::OnceLock;

use canhgiac::feeds::FeedSet;
use canhgiac::policy::FeedFormat;
use canhgiac::report::{Report, ReportInput};
use canhgiac::{dnr, personal, snapshot, Download, Engine, Lang, Link, Policy};

/// The engine every body shares, as the extension's worker does.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(Engine::new)
}

/// The input as text; the engine's text entry points take `&str`, so other bytes are skipped.
fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

/// Up to `N` fields of `data`, split at newlines (missing ones are `None`).
fn fields<const N: usize>(data: &str) -> [Option<String>; N] {
    let mut parts = data.splitn(N, '\n');
    std::array::from_fn(|_| parts.next().map(str::to_owned))
}

/// A URL as the worker gets it: a navigation, a link with its text, and its registrable domain.
pub fn url(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let e = engine();
    let verdict = e.check_url(s);
    // Every verdict can be shown: its reasons render in both languages.
    for lang in [Lang::Vi, Lang::En] {
        let _ = verdict.view(lang);
    }
    let _ = e.registrable_domain(s);
    // The fallback for a check that faulted must hold for any input and always warn.
    assert_eq!(e.unchecked(s).level, canhgiac::Level::Warn, "{s:?}");
    let [href, shown] = fields::<2>(s);
    let links = [Link {
        href: href.unwrap_or_default(),
        text: shown,
    }];
    let _ = e.check_links(&links);
}

/// A page's links, a line each, alternately `href` and the text shown: marking them in one batch
/// finds what judging them one by one finds.
pub fn links(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let lines: Vec<&str> = s.lines().collect();
    let pairs: Vec<(&str, Option<&str>)> =
        lines.chunks(2).map(|c| (c[0], c.get(1).copied())).collect();
    let e = engine();
    let marks = e.mark_links(pairs.iter().copied());
    let one_by_one: Vec<Link> = pairs
        .iter()
        .map(|&(href, text)| Link {
            href: href.to_owned(),
            text: text.map(str::to_owned),
        })
        .collect();
    let verdicts = e.check_links(&one_by_one);
    let marked: Vec<(usize, &canhgiac::Verdict)> = marks
        .marks
        .iter()
        .map(|&(link, slot)| (link as usize, &marks.verdicts[slot as usize]))
        .collect();
    let expected: Vec<(usize, &canhgiac::Verdict)> = verdicts
        .iter()
        .enumerate()
        .filter(|(_, v)| v.level >= canhgiac::Level::Warn)
        .collect();
    assert_eq!(
        marked, expected,
        "marking a batch differs from judging each link"
    );
}

/// A download: URL, final URL, file name, MIME type, referrer and Content-Disposition, a line each.
pub fn download(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let [url, final_url, filename, mime, referrer, content_disposition] = fields::<6>(s);
    let d = Download {
        url: url.unwrap_or_default(),
        final_url,
        filename,
        mime,
        referrer,
        content_disposition,
        trail: Vec::new(),
    };
    let _ = engine().check_download(&d);
}

/// An admin policy and user options read from the same JSON text, then everything made from them.
pub fn policy(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let (admin, _) = Policy::from_json(s);
    let (user, _) = Policy::from_user_json(s);
    let effective = Policy::effective(&admin, &user);
    let back = snapshot::restore(&snapshot::save(&effective))
        .expect("a snapshot the engine wrote is read back");
    assert_eq!(back, effective, "the snapshot changed the policy");
    let _ = effective.to_json();
    let _ = dnr::policy_rules(
        &effective,
        "chrome-extension://abcdefghijklmnopabcdefghijklmnop/warning.html",
    );
    let _ = Engine::with_policy(effective).check_url("https://www.lua-dao.top/tai-ve/app.apk");
}

/// Bytes offered as a stored policy snapshot: refused with an error, or read into a policy that
/// saves to the same bytes' meaning.
pub fn policy_snapshot(data: &[u8]) {
    if let Ok(policy) = snapshot::restore(data) {
        let again = snapshot::restore(&snapshot::save(&policy))
            .expect("a snapshot the engine wrote is read back");
        assert_eq!(again, policy, "the snapshot changed the policy");
    }
}

/// A block-list feed in each format, its stored copy, and bytes offered as a stored copy.
pub fn feed(data: &[u8]) {
    let _ = FeedSet::from_bytes(data);
    let Some(s) = text(data) else { return };
    for format in [FeedFormat::Domains, FeedFormat::Hosts, FeedFormat::Json] {
        if let Ok((set, _)) = FeedSet::parse(s, format, None) {
            let copy =
                FeedSet::from_bytes(&set.to_bytes()).expect("a copy the engine wrote is read back");
            assert_eq!(copy, set, "the stored copy changed the feed");
        }
    }
}

/// What the extension hands over to build a report (JSON), and the report's text in both languages.
pub fn report(data: &[u8]) {
    let Ok(input) = serde_json::from_slice::<ReportInput>(data) else {
        return;
    };
    if let Ok(report) = Report::build(engine(), input) {
        let _ = report.summary(Lang::Vi);
        let _ = report.summary(Lang::En);
        serde_json::to_string(&report).expect("a built report serialises");
    }
}

/// Text about to be posted, searched for personal data.
pub fn personal_data(data: &[u8]) {
    let Some(s) = text(data) else { return };
    let _ = personal::find_personal_data(s);
}

/// What a fuzz target runs on one input.
pub type Body = fn(&[u8]);

/// Every body by the name of its fuzz target and of its folder of saved inputs.
pub const BODIES: &[(&str, Body)] = &[
    ("url", url),
    ("links", links),
    ("download", download),
    ("policy", policy),
    ("policy_snapshot", policy_snapshot),
    ("feed", feed),
    ("report", report),
    ("personal_data", personal_data),
];
