//! `declarativeNetRequest` rules for what is certain before a byte loads: app-package paths
//! (a static ruleset made at build time) and the admin's block lists (dynamic rules made when
//! the policy changes, which the browser keeps across restarts). The browser applies them before the request leaves, so the page never
//! loads; the service worker still judges every navigation with the full engine.

use serde_json::{json, Value};

use crate::policy::Policy;
use crate::tables::{tables, FileKind};

/// Priority of rules that let an admin-allowed host through.
const ALLOW_PRIORITY: u32 = 2;
/// Priority of admin block rules: above everything, as in the engine.
const BLOCK_PRIORITY: u32 = 3;
/// Chrome refuses regular expressions longer than this many bytes.
const MAX_REGEX_BYTES: usize = 2048;
/// First id of policy rules; the static ruleset uses ids below it.
const POLICY_RULE_BASE_ID: u32 = 1000;
/// Rules the blocked URL prefixes may take. Chromium before 120 kept at most 5,000 rules an
/// extension adds at run time, and refuses the whole update past its limit, block lists included;
/// prefixes past this budget are still stopped by the worker's check.
pub const MAX_URL_RULES: usize = 4_900;
/// Prefixes given one regular-expression rule, which matches every spelling of the prefix.
/// Chromium allows 1,000 regular-expression rules per extension (dynamic and session together);
/// the rest of that allowance is left for the copies of the static rules and other modules.
const MAX_REGEX_RULES: usize = 900;
/// Longest prefix path (after the host) given a regular expression: each character becomes an
/// alternative (`(?:3|%33)`), and Chromium refuses an expression whose compiled form is over
/// 2 KB. Measured in Chromium 156 with `isRegexSupported`: see docs/warning-path-downloads.md.
pub const MAX_REGEX_PATH_CHARS: usize = 40;
/// A prefix too long for a regular expression gets one URL filter per host spelling: as listed,
/// with a trailing dot, with `www.`, with both.
const HOST_SPELLINGS: usize = 4;
/// What a blocked domain's or URL's rules stop besides frames: every request type both Chromium
/// and Firefox name. An `<embed>` or `<object>` (`object`), a `<video>` (`media`), a beacon
/// (`ping`), a socket, a font or a CSP report would otherwise tell the listed site that the page
/// was opened, and an `<object>` can show its content, before the worker's warning takes over.
const SUBRESOURCE_TYPES: [&str; 11] = [
    "object",
    "media",
    "image",
    "script",
    "stylesheet",
    "font",
    "xmlhttprequest",
    "ping",
    "websocket",
    "csp_report",
    "other",
];

/// Endings of app packages and iPhone profiles, from `data/file_types.tsv`.
fn package_endings() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = tables()
        .file_types
        .iter()
        .filter(|(_, t)| t.in_path && matches!(t.kind, FileKind::AppPackage | FileKind::IosProfile))
        .map(|(ext, _)| ext)
        .collect();
    v.sort_unstable();
    v
}

fn redirect(warning_page: &str) -> Value {
    // `\0` is the whole matched URL: the warning page reads it from its fragment.
    json!({ "type": "redirect", "redirect": { "regexSubstitution": format!("{warning_page}#\\0") } })
}

/// The static ruleset: frames whose URL path names an app package or profile go to the warning
/// page (`warning_page` is its full `chrome-extension://…/warning.html` URL). The official
/// stores are excluded, as in the engine.
pub fn sideload_ruleset(warning_page: &str) -> Result<Value, String> {
    let regex = format!(
        "^https?://[^/?#]+/(?:[^?#]*/)?[^/?#;]*\\.(?:{})(?:[/;?#].*)?$",
        package_endings().join("|")
    );
    if regex.len() > MAX_REGEX_BYTES {
        return Err(format!(
            "the package regex is {} bytes; Chrome accepts {MAX_REGEX_BYTES}",
            regex.len()
        ));
    }
    let stores: Vec<&str> = tables().official_stores.keys().collect();
    let mut stores = stores;
    stores.sort_unstable();
    Ok(json!([{
        "id": 1,
        "priority": 1,
        "action": redirect(warning_page),
        "condition": {
            "regexFilter": regex,
            "isUrlFilterCaseSensitive": false,
            "resourceTypes": ["main_frame", "sub_frame"],
            "excludedRequestDomains": stores
        }
    }]))
}

/// Dynamic rules for a policy (kept across browser restarts): admin-allowed hosts pass the package
/// rule; blocked domains go to the warning page, and blocked URL prefixes are blocked (the worker
/// then shows the warning). Ids start at 1000.
pub fn policy_rules(policy: &Policy, warning_page: &str) -> Vec<Value> {
    let mut rules = Vec::new();
    let mut id = POLICY_RULE_BASE_ID;
    let mut next_id = || {
        id += 1;
        id
    };
    let sorted = |set: &crate::policy::DomainSet| {
        let mut v: Vec<String> = set.iter().map(str::to_string).collect();
        v.sort_unstable();
        v
    };
    let mut allowed = sorted(&policy.allowed_download_hosts);
    allowed.extend(sorted(&policy.allowed_stores));
    if !allowed.is_empty() {
        rules.push(json!({
            "id": next_id(), "priority": ALLOW_PRIORITY, "action": { "type": "allow" },
            "condition": { "requestDomains": allowed, "resourceTypes": ["main_frame", "sub_frame"] }
        }));
    }
    let blocked = sorted(&policy.blocked_domains);
    if !blocked.is_empty() {
        rules.push(json!({
            "id": next_id(), "priority": BLOCK_PRIORITY, "action": redirect(warning_page),
            "condition": { "regexFilter": "^.*$", "requestDomains": blocked, "resourceTypes": ["main_frame", "sub_frame"] }
        }));
        rules.push(json!({
            "id": next_id(), "priority": BLOCK_PRIORITY, "action": { "type": "block" },
            "condition": { "requestDomains": blocked, "resourceTypes": SUBRESOURCE_TYPES }
        }));
    }
    // Blocked outright; the worker's check then shows the warning. Not a redirect carrying the
    // address: that needs a regular expression per rule, which Chromium caps (see the limits
    // above), and past a limit it refuses every rule, block lists included. The rules accept what
    // policy::url_key maps to the prefix: a short prefix gets one regular expression for all its
    // spellings; a longer one, URL filters for its host spellings only (the worker's check stops
    // its other spellings as they load). A prefix with a character the filter syntax reserves
    // gets no filter.
    let mut types: Vec<&str> = vec!["main_frame", "sub_frame"];
    types.extend(SUBRESOURCE_TYPES);
    for rule in url_conditions(&policy.blocked_urls) {
        let mut condition = rule;
        condition["isUrlFilterCaseSensitive"] = json!(false);
        condition["resourceTypes"] = json!(types);
        rules.push(json!({
            "id": next_id(), "priority": BLOCK_PRIORITY, "action": { "type": "block" },
            "condition": condition
        }));
    }
    rules
}

/// The match part of each blocked URL prefix's rules, within [`MAX_URL_RULES`].
fn url_conditions(prefixes: &[String]) -> Vec<Value> {
    let mut out = Vec::new();
    let mut regexes = 0;
    for prefix in prefixes {
        if regexes < MAX_REGEX_RULES {
            if let Some(re) = url_regex(prefix) {
                if out.len() + 1 > MAX_URL_RULES {
                    break;
                }
                regexes += 1;
                out.push(json!({ "regexFilter": re }));
                continue;
            }
        }
        if prefix.contains(['*', '^', '|']) {
            continue;
        }
        if out.len() + HOST_SPELLINGS > MAX_URL_RULES {
            break;
        }
        out.extend(host_spellings(prefix).into_iter().map(|p| json!({ "urlFilter": url_filter(&p) })));
    }
    out
}

/// How many of `prefixes` (in policy::url_key form) the browser rules stop before they load.
pub fn prefixes_with_rules(prefixes: &[String]) -> usize {
    let mut rules = 0;
    let mut regexes = 0;
    let mut covered = 0;
    for prefix in prefixes {
        let cost = if regexes < MAX_REGEX_RULES && url_regex(prefix).is_some() {
            regexes += 1;
            1
        } else if prefix.contains(['*', '^', '|']) {
            continue;
        } else {
            HOST_SPELLINGS
        };
        if rules + cost > MAX_URL_RULES {
            break;
        }
        rules += cost;
        covered += 1;
    }
    covered
}

/// `prefix` under each host spelling the engine treats as the same host.
fn host_spellings(prefix: &str) -> Vec<String> {
    let cut = prefix.find(['/', '?', '#', ':']).unwrap_or(prefix.len());
    let (host, rest) = prefix.split_at(cut);
    [host.to_string(), format!("{host}."), format!("www.{host}"), format!("www.{host}.")]
        .into_iter()
        .map(|h| format!("{h}{rest}"))
        .collect()
}

/// A regular expression (matched without regard to case) for every spelling of `prefix` that
/// policy::url_key maps to it; None when its path is too long for Chromium to accept.
fn url_regex(prefix: &str) -> Option<String> {
    let cut = prefix.find(['/', '?', '#']).unwrap_or(prefix.len());
    let (authority, rest) = prefix.split_at(cut);
    if rest.chars().count() > MAX_REGEX_PATH_CHARS {
        return None;
    }
    // A port follows the last `:` after an IPv6 address's `]`, if there is one.
    let after = authority.rfind(']').map_or(0, |i| i + 1);
    let (host, port) = match authority[after..].find(':') {
        Some(i) => (&authority[..after + i], Some(&authority[after + i + 1..])),
        None => (authority, None),
    };
    // A user name before the host is no part of the address the engine compares.
    let mut re = format!("^https?://(?:[^/?#@]*@)?(?:www\\.)?{}\\.?", escape(host));
    if let Some(p) = port {
        re.push(':');
        re.push_str(&escape(p));
    }
    // The request never carries a fragment: a prefix that names one matches from its `#` on
    // only in the engine; the rule covers the address before it.
    let rest = rest.split('#').next().unwrap_or_default();
    let mut in_path = true;
    for c in rest.chars() {
        match c {
            '/' if in_path => re.push_str("/+"),
            '?' => {
                in_path = false;
                re.push_str("\\?");
            }
            c if c.is_ascii() && crate::policy::is_unreserved(c as u8) => {
                let b = c as u8;
                let (hi, lo) = (b >> 4, b & 0xf);
                if c.is_ascii_lowercase() {
                    // `a` is also `A` and `%41` once lower-cased.
                    re.push_str(&format!("(?:{c}|%[{:x}{:x}]{:x})", hi - 2, hi, lo));
                } else {
                    re.push_str(&format!("(?:{}|%{:x}{:x})", escape(&c.to_string()), hi, lo));
                }
            }
            c => re.push_str(&escape(&c.to_string())),
        }
    }
    if !rest.ends_with(['/', '?', '&', '=']) && !prefix.contains('#') {
        re.push_str("(?:[/?#]|$)");
    }
    Some(re)
}

/// `s` with the characters regular expressions reserve escaped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The URL filter for a blocked prefix (stored without its scheme): http and https (`|http*://`),
/// and, like the engine, only where a path segment, query or fragment ends (`^`), so listing
/// `zalo.me/314` does not block `zalo.me/3149`.
fn url_filter(prefix: &str) -> String {
    let boundary = if prefix.ends_with(['/', '?', '&', '=', '#']) {
        ""
    } else {
        "^"
    };
    format!("|http*://{prefix}{boundary}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_package_rule_names_every_package_ending() {
        let rules = sideload_ruleset("chrome-extension://x/warning.html").unwrap();
        let regex = rules[0]["condition"]["regexFilter"].as_str().unwrap();
        for ext in ["apk", "xapk", "apks", "apkm", "aab", "ipa", "mobileconfig"] {
            assert!(regex.contains(ext), "{ext} in {regex}");
        }
        assert!(
            !regex.contains("|exe"),
            "programs are judged by the engine, not blocked blind"
        );
        assert_eq!(
            rules[0]["action"]["redirect"]["regexSubstitution"],
            "chrome-extension://x/warning.html#\\0"
        );
    }

    #[test]
    fn policy_rules_follow_the_policy() {
        let (p, _) = Policy::from_json(
            r#"{"blockedDomains": ["lua-dao.top"], "blockedUrls": ["https://zalo.me/314"], "allowedDownloadHosts": ["hrm.so.gov.vn"]}"#,
        );
        let rules = policy_rules(&p, "chrome-extension://x/warning.html");
        assert_eq!(rules.len(), 4);
        assert_eq!(rules[0]["action"]["type"], "allow");
        assert_eq!(rules[1]["condition"]["requestDomains"][0], "lua-dao.top");
        assert_eq!(rules[2]["action"]["type"], "block");
        let types = rules[2]["condition"]["resourceTypes"].as_array().unwrap();
        assert!(types.contains(&json!("object")) && types.contains(&json!("media")));
        assert!(!types.contains(&json!("main_frame")), "the page itself gets the warning");
        assert_eq!(rules[3]["action"]["type"], "block");
        assert_eq!(
            rules[3]["condition"]["regexFilter"],
            "^https?://(?:[^/?#@]*@)?(?:www\\.)?zalo\\.me\\.?/+(?:3|%33)(?:1|%31)(?:4|%34)(?:[/?#]|$)"
        );
        assert_eq!(rules[3]["condition"]["isUrlFilterCaseSensitive"], false);
        let types = rules[3]["condition"]["resourceTypes"].as_array().unwrap();
        assert!(types.contains(&json!("main_frame")) && types.contains(&json!("object")));
        assert!(policy_rules(&Policy::default(), "x").is_empty());
    }

    #[test]
    fn letters_match_either_case_and_either_escape() {
        let re = url_regex("example.vn/ab-c?x=1").unwrap();
        assert!(re.contains("(?:a|%[46]1)(?:b|%[46]2)(?:-|%2d)(?:c|%[46]3)\\?"), "{re}");
        assert!(re.ends_with("(?:[/?#]|$)"), "{re}");
        assert!(url_regex("example.vn/tin/").unwrap().ends_with("/+"));
        assert!(url_regex("[::1]:8443/a").unwrap().contains("\\[::1\\]\\.?:8443/+"));
        let long = format!("example.vn/{}", "a".repeat(MAX_REGEX_PATH_CHARS));
        assert_eq!(url_regex(&long), None);
    }

    #[test]
    fn url_rules_end_where_the_engine_does_and_fit_the_browser() {
        assert_eq!(url_filter("zalo.me/314"), "|http*://zalo.me/314^");
        assert_eq!(
            url_filter("sites.google.com/view/x/"),
            "|http*://sites.google.com/view/x/"
        );
        assert_eq!(url_filter("example.vn/?id="), "|http*://example.vn/?id=");
        // Long paths get a URL filter per host spelling.
        let long = format!("zalo.me/{}", "7".repeat(MAX_REGEX_PATH_CHARS + 1));
        let (p, _) = Policy::from_json(&format!(r#"{{"blockedUrls": ["https://{long}"]}}"#));
        let filters: Vec<String> = policy_rules(&p, "x")
            .iter()
            .map(|r| r["condition"]["urlFilter"].as_str().unwrap().to_string())
            .collect();
        let tail = "7".repeat(MAX_REGEX_PATH_CHARS + 1);
        assert_eq!(
            filters,
            ["zalo.me", "zalo.me.", "www.zalo.me", "www.zalo.me."]
                .map(|h| format!("|http*://{h}/{tail}^"))
        );
        let many: Vec<String> = (0..MAX_URL_RULES + 50)
            .map(|i| format!("\"https://zalo.me/{i}/{long}\""))
            .collect();
        let json = format!(
            r#"{{"blockedUrls": [{}, "https://zalo.me/a*b", "https://zalo.me/a^b"]}}"#,
            many.join(",")
        );
        let (p, _) = Policy::from_json(&json);
        let rules = policy_rules(&p, "chrome-extension://x/warning.html");
        assert!(rules.len() <= MAX_URL_RULES, "capped below the browser's limit");
        assert_eq!(
            rules.len(),
            prefixes_with_rules(&p.blocked_urls) * HOST_SPELLINGS
        );
        let short: Vec<String> = (0..MAX_URL_RULES).map(|i| format!("zalo.me/{i}")).collect();
        assert_eq!(
            prefixes_with_rules(&short),
            MAX_REGEX_RULES + (MAX_URL_RULES - MAX_REGEX_RULES) / HOST_SPELLINGS
        );
    }
}
