//! Link wrappers (`l.facebook.com/l.php?u=`, `google.*/url?q=`), shorteners, and URLs carried in
//! query parameters.

use url::Url;

use crate::checks::facts::{host_within, Facts};
use crate::tables::{tables, SHORTENER};

/// Query values examined per URL for embedded links: enough for real tracking URLs, bounded for
/// hostile ones with thousands of parameters.
const MAX_EMBEDDED: usize = 8;

/// The destination a link wrapper carries, if `facts` is one.
pub fn unwrap(facts: &Facts<'_>) -> Option<String> {
    let path = facts.url.path();
    for r in &tables().redirectors {
        if !host_matches(facts, r.host) || !path.starts_with(r.path) {
            continue;
        }
        if r.params.contains(&"*") {
            let q = facts.url.query()?;
            let decoded = percent_encoding::percent_decode_str(q).decode_utf8_lossy();
            if looks_like_link(&decoded) {
                return Some(decoded.into_owned());
            }
            continue;
        }
        for (k, v) in facts.url.query_pairs() {
            if r.params.iter().any(|p| *p == k) && looks_like_link(&v) {
                return Some(v.into_owned());
            }
        }
    }
    None
}

fn host_matches(facts: &Facts<'_>, pattern: &str) -> bool {
    if pattern == "google.*" {
        // Google on any country suffix: google.com, www.google.com.vn, google.co.uk.
        return facts.registrable_label() == Some("google")
            && !facts.private_suffix
            && facts
                .registrable
                .is_some_and(|r| facts.host == r || facts.host.strip_prefix("www.") == Some(r));
    }
    match pattern.strip_prefix("*.") {
        Some(parent) => host_within(facts.host, parent),
        None => facts.host == pattern,
    }
}

/// Whether `s` starts like an absolute link a browser would follow. Browsers read any run of
/// `/` and `\` after `http:` or `https:` as `//`, so `https:\\host` and `http:/host` count too.
pub fn looks_like_link(s: &str) -> bool {
    let head = s.trim_start().as_bytes();
    let starts =
        |p: &str| head.len() >= p.len() && head[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    for web in ["http:", "https:"] {
        if starts(web) {
            return matches!(head.get(web.len()), Some(b'/' | b'\\'));
        }
    }
    OTHER_LINK_PREFIXES.iter().any(|p| starts(p))
}

/// Schemes besides the web's that make a query value a link worth judging.
const OTHER_LINK_PREFIXES: [&str; 6] = [
    "intent:",
    "itms-services:",
    "itms-beta:",
    "market:",
    "itms-apps:",
    "data:",
];

/// Whether the host is a known link shortener.
pub fn is_shortener(facts: &Facts<'_>) -> bool {
    facts.list_flags & SHORTENER != 0
}

/// Links carried in the URL's query values (bounded).
pub fn embedded_links(url: &Url) -> Vec<String> {
    url.query_pairs()
        .take(64)
        .filter(|(_, v)| looks_like_link(v))
        .map(|(_, v)| v.into_owned())
        .take(MAX_EMBEDDED)
        .collect()
}
