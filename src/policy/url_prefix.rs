//! Blocked URL prefixes: the one form an address and a `blockedUrls` entry are compared in
//! ([`url_key`]), and the plan of browser expressions that accept exactly the spellings it maps
//! to a prefix, within the browser's budgets. Both live here, below the policy's validator
//! (which warns when the budget runs out) and the browser rules (`dnr`, which write the plan
//! out), so that the rule and its browser form change together.

use url::Url;

/// Rules the blocked URL prefixes may take. Chromium before 120 kept at most 5,000 rules an
/// extension adds at run time, and refuses the whole update past its limit, block lists included;
/// prefixes past this budget are still stopped by the worker's check.
pub const MAX_URL_RULES: usize = 4_900;
/// Regular-expression rules for blocked URLs. Chromium allows 1,000 per extension (dynamic and
/// session together); the rest of that allowance is left for the copies of the static rules.
pub(crate) const MAX_REGEX_RULES: usize = 900;
/// How big a prefix's regular expression may be, as its host's and path's characters plus one
/// more for each `/` (which becomes `/+`). Chromium refuses an expression whose compiled form is
/// over 2 KB: measured with `isRegexSupported` in Chromium 156, 82 passes and 83 fails; the margin
/// is for the parts every expression has.
pub const MAX_REGEX_WEIGHT: usize = 70;
/// A prefix too long for a regular expression gets one URL filter per host spelling: as listed,
/// with a trailing dot, with `www.`, with both.
const HOST_SPELLINGS: usize = 4;

/// The form a visited address and a `blockedUrls` entry are compared in, so that one address
/// written several ways is one address (docs/warning-path-downloads.md): no scheme and no
/// user name; the host without one trailing dot and without a leading `www.`; the port only when
/// it is not the scheme's default; runs of `/` in the path made one; percent-escapes of
/// unreserved characters (letters, digits, `-._~`) decoded; everything in lower case. The
/// browser rules (src/dnr.rs) accept exactly the spellings of a prefix that this maps to it.
pub fn url_key(url: &Url) -> String {
    let host = url.host_str().unwrap_or_default();
    let host = host.strip_suffix('.').unwrap_or(host);
    let host = host.strip_prefix("www.").unwrap_or(host);
    let mut key = String::with_capacity(url.as_str().len());
    key.push_str(host);
    if let Some(port) = url.port() {
        key.push(':');
        key.push_str(&port.to_string());
    }
    let mut last_slash = false;
    for c in unreserved_decoded(url.path()).chars() {
        // `a//b` is `a/b` to the servers that matter (and to Chromium's file paths).
        if c == '/' && last_slash {
            continue;
        }
        last_slash = c == '/';
        key.push(c);
    }
    if let Some(q) = url.query() {
        key.push('?');
        key.push_str(&unreserved_decoded(q));
    }
    if let Some(f) = url.fragment() {
        key.push('#');
        key.push_str(&unreserved_decoded(f));
    }
    key.make_ascii_lowercase();
    key
}

/// A `blockedUrls` entry in the form of [`url_key`], without the `/` that ends a path other
/// than the root: `zalo.me/314/` lists the same account as `zalo.me/314`.
pub(crate) fn prefix_key(url: &Url) -> String {
    let mut key = url_key(url);
    let root = key.find('/').map_or(key.len(), |i| i + 1);
    if url.query().is_none() && url.fragment().is_none() {
        while key.len() > root && key.ends_with('/') {
            key.pop();
        }
    }
    key
}

/// Whether `b` is an unreserved character (RFC 3986): escaping one changes nothing for a server.
pub fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// `s` with every `%XX` that stands for an unreserved character replaced by that character;
/// other escapes (a `/`, a `?`, a non-ASCII byte) keep their meaning and stay as they are.
fn unreserved_decoded(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                let b = (h * 16 + l) as u8;
                if is_unreserved(b) {
                    out.push(b as char);
                    i += 3;
                    continue;
                }
            }
        }
        // Copy up to the next `%` in one piece (keeps multi-byte characters whole).
        let next = bytes[i + 1..]
            .iter()
            .position(|&b| b == b'%')
            .map_or(s.len(), |j| i + 1 + j);
        out.push_str(&s[i..next]);
        i = next;
    }
    out
}

/// Whether `s` starts with `prefix` and the match ends where a path segment, query or fragment
/// does: listing `zalo.me/314` must not block `zalo.me/3149`.
pub(crate) fn prefix_at_boundary(s: &str, prefix: &str) -> bool {
    s.starts_with(prefix)
        && (prefix.ends_with(['/', '?', '&', '=', '#'])
            || matches!(
                s.as_bytes().get(prefix.len()),
                None | Some(b'/' | b'?' | b'#')
            ))
}

/// `s` without its `scheme://`, if it has one.
pub(crate) fn strip_scheme(s: &str) -> &str {
    s.split_once("://").map_or(s, |(_, rest)| rest)
}

/// One rule a blocked URL prefix needs.
pub(crate) enum UrlRule {
    /// Every spelling of the prefix but escapes (see [`prefix_regex`]).
    Prefix(String),
    /// Any address on the prefix's host with an escaped unreserved character (see [`escapes_regex`]).
    Escapes(String),
    /// One host spelling of a prefix too long for a regular expression.
    Filter(String),
}

/// The rules for `prefixes`, within [`MAX_URL_RULES`] and [`MAX_REGEX_RULES`], and how many of
/// the prefixes they cover.
pub(crate) fn plan(prefixes: &[String]) -> (Vec<UrlRule>, usize) {
    let mut out = Vec::new();
    let mut regexes = 0;
    let mut covered = 0;
    let mut hosts = std::collections::HashSet::new();
    for prefix in prefixes {
        let host = authority(prefix);
        let mut rules = Vec::new();
        if !hosts.contains(host) && regexes < MAX_REGEX_RULES {
            rules.push(UrlRule::Escapes(escapes_regex(host)));
        }
        match prefix_regex(prefix) {
            Some(re) if regexes + rules.len() < MAX_REGEX_RULES => rules.push(UrlRule::Prefix(re)),
            _ if prefix.contains(['*', '^', '|']) => continue,
            _ => rules.extend(host_spellings(prefix).into_iter().map(UrlRule::Filter)),
        }
        if out.len() + rules.len() > MAX_URL_RULES {
            break;
        }
        if matches!(rules.first(), Some(UrlRule::Escapes(_))) {
            hosts.insert(host);
        }
        regexes += rules
            .iter()
            .filter(|r| !matches!(r, UrlRule::Filter(_)))
            .count();
        out.extend(rules);
        covered += 1;
    }
    (out, covered)
}

/// How many of `prefixes` (in policy::url_key form) the browser rules stop before they load.
pub fn prefixes_with_rules(prefixes: &[String]) -> usize {
    plan(prefixes).1
}

/// The host (and port) a prefix starts with.
fn authority(prefix: &str) -> &str {
    &prefix[..prefix.find(['/', '?', '#']).unwrap_or(prefix.len())]
}

/// `prefix` under each host spelling the engine treats as the same host.
fn host_spellings(prefix: &str) -> [String; HOST_SPELLINGS] {
    let cut = prefix.find(['/', '?', '#', ':']).unwrap_or(prefix.len());
    let (host, rest) = prefix.split_at(cut);
    [
        host.to_string(),
        format!("{host}."),
        format!("www.{host}"),
        format!("www.{host}."),
    ]
    .map(|h| format!("{h}{rest}"))
}

/// The start of an expression for addresses on `authority` (a host and maybe a port) under any
/// spelling the engine treats as the same: a user name before it, `www.`, a trailing dot.
fn host_regex(authority: &str) -> String {
    // A port follows the last `:` after an IPv6 address's `]`, if there is one.
    let after = authority.rfind(']').map_or(0, |i| i + 1);
    let (host, port) = match authority[after..].find(':') {
        Some(i) => (&authority[..after + i], Some(&authority[after + i + 1..])),
        None => (authority, None),
    };
    let mut re = format!("^https?://(?:[^/?#@]*@)?(?:www\\.)?{}\\.?", escape(host));
    if let Some(p) = port {
        re.push(':');
        re.push_str(&escape(p));
    }
    re
}

/// An expression (matched without regard to case) for the spellings of `prefix` that differ in
/// host spelling, case and runs of `/`; None when Chromium would refuse it as too big. Spellings
/// with escapes are left to [`escapes_regex`]: an alternative for each character (`(?:3|%33)`)
/// makes an expression Chromium refuses past about ten characters (measured in Chromium 156).
pub(crate) fn prefix_regex(prefix: &str) -> Option<String> {
    let authority = authority(prefix);
    // The request never carries a fragment: a prefix that names one is matched from its `#` on
    // only by the engine; the rule covers the address before it.
    let rest = prefix[authority.len()..]
        .split('#')
        .next()
        .unwrap_or_default();
    if authority.len() + rest.len() + rest.matches('/').count() > MAX_REGEX_WEIGHT {
        return None;
    }
    let mut re = host_regex(authority);
    let mut in_path = true;
    for c in rest.chars() {
        match c {
            '/' if in_path => re.push_str("/+"),
            '?' => {
                in_path = false;
                re.push_str("\\?");
            }
            c => re.push_str(&escape(&c.to_string())),
        }
    }
    if !rest.ends_with(['/', '?', '&', '=']) && !prefix.contains('#') {
        re.push_str("(?:[/?#]|$)");
    }
    Some(re)
}

/// An expression for any address on `authority` whose path or query escapes an unreserved
/// character (`%33` for `3`, `%41` for `A`): browsers never write one so, a scammer does to get
/// past a list. Such an address on a host with a listed URL is stopped before it loads, listed
/// or not; the worker's check then warns about it when the engine finds it listed.
fn escapes_regex(authority: &str) -> String {
    let host = host_regex(authority);
    let port = if authority.ends_with(']') || !authority.contains(':') {
        "(?::[0-9]+)?"
    } else {
        ""
    };
    format!("{host}{port}/[^#]*%(?:3[0-9]|[46][1-9a-f]|[57][0-9a]|2[de]|5f|7e)")
}

/// `s` with the characters regular expressions reserve escaped.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_expressions_keep_the_engine_boundaries_and_fit_the_browser() {
        let re = prefix_regex("example.vn/a.b//c?x=1").unwrap();
        assert!(re.ends_with(r"/+a\.b/+/+c\?x=1(?:[/?#]|$)"), "{re}");
        assert!(prefix_regex("example.vn/tin/").unwrap().ends_with("/+"));
        assert!(prefix_regex("[::1]:8443/a")
            .unwrap()
            .contains(r"\[::1\]\.?:8443/+a"));
        let at_limit = format!("example.vn/{}", "a".repeat(MAX_REGEX_WEIGHT - 12));
        assert!(prefix_regex(&at_limit).is_some());
        let over = format!("example.vn/{}", "a".repeat(MAX_REGEX_WEIGHT - 11));
        assert_eq!(prefix_regex(&over), None);
    }

    #[test]
    fn a_plan_fills_the_regex_budget_then_takes_url_filters() {
        let short: Vec<String> = (0..MAX_URL_RULES).map(|i| format!("zalo.me/{i}")).collect();
        let (rules, covered) = plan(&short);
        let regexes = rules
            .iter()
            .filter(|r| !matches!(r, UrlRule::Filter(_)))
            .count();
        assert_eq!(regexes, MAX_REGEX_RULES);
        assert!(rules.len() <= MAX_URL_RULES);
        assert_eq!(
            covered,
            (MAX_REGEX_RULES - 1) + (MAX_URL_RULES - MAX_REGEX_RULES) / 4
        );
    }
}
