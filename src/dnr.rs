//! `declarativeNetRequest` rules for what is certain before a byte loads: app-package paths
//! (a static ruleset made at build time) and the admin's block lists (dynamic rules made when
//! the policy changes, which the browser keeps across restarts). The browser applies them before the request leaves, so the page never
//! loads; the service worker still judges every navigation with the full engine.

use serde_json::{json, Value};

use crate::policy::url_prefix::{escape, plan, UrlRule};
use crate::policy::Policy;
use crate::tables::{tables, FileKind};

// The budgets and the count of covered prefixes, where callers have always found them.
pub use crate::policy::url_prefix::{prefixes_with_rules, MAX_REGEX_WEIGHT, MAX_URL_RULES};

/// Priority of rules that let an admin-allowed host through.
const ALLOW_PRIORITY: u32 = 2;
/// Priority of admin block rules: above everything, as in the engine.
const BLOCK_PRIORITY: u32 = 3;
/// Chrome refuses regular expressions longer than this many bytes.
const MAX_REGEX_BYTES: usize = 2048;
/// First id of policy rules; the static ruleset uses ids below it.
const POLICY_RULE_BASE_ID: u32 = 1000;
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
    // An IPv6 address is no `requestDomains` entry (the browser would refuse the whole rule set):
    // the worker stops those as they load.
    let blocked: Vec<String> = sorted(&policy.blocked_domains)
        .into_iter()
        .filter(|d| !d.starts_with('['))
        .collect();
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
    // address: a redirect needs a capturing regular expression per rule, which Chromium caps
    // (see the limits above), and past a limit it refuses every rule, block lists included. The
    // rules accept what policy::url_key maps to the prefix: a prefix gets one expression for its
    // host spellings, case and runs of `/`, and its host one for escaped characters; a prefix
    // too long for an expression gets URL filters for its host spellings (the worker's check
    // stops its other spellings as they load). A prefix with a character the filter syntax
    // reserves and no expression gets no rule.
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

/// The match part of each blocked URL prefix's rules.
fn url_conditions(prefixes: &[String]) -> Vec<Value> {
    plan(prefixes)
        .0
        .into_iter()
        .map(|r| match r {
            UrlRule::Prefix(re) | UrlRule::Escapes(re) => json!({ "regexFilter": re }),
            UrlRule::Filter(p) => json!({ "urlFilter": url_filter(&p) }),
        })
        .collect()
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

// ---- The extension's rule ids and priorities, in one place.
//
// The browser compares every rule that matches a request by priority, whichever list it is in
// (the static ruleset, the policy's dynamic rules, the worker's session rules). The promises
// that rest on it: a tab's bypass ("continue anyway") lets it past the app-package rule and its
// own stop rules, never past an admin's block list; an admin-allowed host passes the package
// rule. Session rule ids are split into ranges so that each kind can be replaced on its own.

/// Priority of the static app-package rule (see [`sideload_ruleset`]) and of its session copies.
pub const SIDELOAD_PRIORITY: u32 = 1;
/// Priority of a stop rule (a stopped address stays stopped in its tab): below the bypass, so
/// "continue anyway" still lets the user through.
pub const STOP_PRIORITY: u32 = 1;
/// Priority of a bypass rule: above the app-package and stop rules it lifts, below the admin's
/// block rules (`BLOCK_PRIORITY`), which no bypass covers.
pub const BYPASS_PRIORITY: u32 = 2;
/// Session ids from here to [`STOP_RULE_BASE`]: copies of the static rules, made when this
/// install's warning page is not the one the static ruleset names. Below it, no session rule
/// (the policy's rules, ids from `POLICY_RULE_BASE_ID`, are dynamic ones; an older version kept
/// them as session rules, and those are dropped on update).
pub const STATIC_COPY_BASE: u32 = 100_000;
/// Session ids of stop rules: from here up to [`STOP_RULE_END`].
pub const STOP_RULE_BASE: u32 = 300_000;
/// End (exclusive) of the stop rules' ids: room for far more than the browser's 5,000 session
/// rules, so ids never run out while old ones are reused.
pub const STOP_RULE_END: u32 = 500_000;
/// Session ids of bypass rules: from here up.
pub const BYPASS_RULE_BASE: u32 = STOP_RULE_END;
/// The frames a stop or bypass rule applies to: pages and their subframes.
const FRAME_TYPES: [&str; 2] = ["main_frame", "sub_frame"];

/// The rule ids and priorities the worker needs to place and find its session rules.
#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleLayout {
    /// First id of the static rules' session copies (copy id = static id + this).
    pub static_copy_base: u32,
    /// First id of the stop rules.
    pub stop_base: u32,
    /// End (exclusive) of the stop rules' ids.
    pub stop_end: u32,
    /// First id of the bypass rules.
    pub bypass_base: u32,
}

/// The session rule id ranges (see the constants above).
pub fn rule_layout() -> RuleLayout {
    RuleLayout {
        static_copy_base: STATIC_COPY_BASE,
        stop_base: STOP_RULE_BASE,
        stop_end: STOP_RULE_END,
        bypass_base: BYPASS_RULE_BASE,
    }
}

/// The session rule that lets tab `tab_id` load `scope` (a host) past the app-package and stop
/// rules while its bypass lasts; the worker removes it when the bypass ends.
pub fn bypass_rule(id: u32, tab_id: u32, scope: &str) -> Value {
    json!({
        "id": id,
        "priority": BYPASS_PRIORITY,
        "action": { "type": "allow" },
        "condition": { "tabIds": [tab_id], "requestDomains": [scope], "resourceTypes": FRAME_TYPES }
    })
}

/// The session rule that sends `url` in tab `tab_id` (its page or a frame) to the warning page
/// again, whoever navigates there (Back, Forward, a reload, a script).
pub fn stop_rule(id: u32, tab_id: u32, url: &str, warning_page: &str) -> Value {
    // A request carries no fragment: the rule matches what the browser requests.
    let target = url.split('#').next().unwrap_or_default();
    // urlFilter has its own wildcards (* ^ |): an address holding one is matched by a regex.
    let mut condition = if target.contains(['*', '^', '|']) {
        json!({ "regexFilter": format!("^{}$", escape(target)) })
    } else {
        json!({ "urlFilter": format!("|{target}|") })
    };
    condition["tabIds"] = json!([tab_id]);
    condition["resourceTypes"] = json!(FRAME_TYPES);
    json!({
        "id": id,
        "priority": STOP_PRIORITY,
        "action": { "type": "redirect", "redirect": { "url": format!("{warning_page}#{url}") } },
        "condition": condition
    })
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
            r#"{"blockedDomains": ["lua-dao.top"], "blockedUrls": ["https://zalo.me/314", "https://zalo.me/9"], "allowedDownloadHosts": ["hrm.so.gov.vn"]}"#,
        );
        let rules = policy_rules(&p, "chrome-extension://x/warning.html");
        assert_eq!(
            rules.len(),
            6,
            "one escapes rule for the host, one per prefix"
        );
        assert_eq!(rules[0]["action"]["type"], "allow");
        assert_eq!(rules[1]["condition"]["requestDomains"][0], "lua-dao.top");
        assert_eq!(rules[2]["action"]["type"], "block");
        let types = rules[2]["condition"]["resourceTypes"].as_array().unwrap();
        assert!(types.contains(&json!("object")) && types.contains(&json!("media")));
        assert!(
            !types.contains(&json!("main_frame")),
            "the page itself gets the warning"
        );
        let host = r"^https?://(?:[^/?#@]*@)?(?:www\.)?zalo\.me\.?";
        assert_eq!(
            rules[3]["condition"]["regexFilter"],
            format!(r"{host}(?::[0-9]+)?/[^#]*%(?:3[0-9]|[46][1-9a-f]|[57][0-9a]|2[de]|5f|7e)")
        );
        assert_eq!(
            rules[4]["condition"]["regexFilter"],
            format!("{host}/+314(?:[/?#]|$)")
        );
        assert_eq!(
            rules[5]["condition"]["regexFilter"],
            format!("{host}/+9(?:[/?#]|$)")
        );
        for r in &rules[3..] {
            assert_eq!(r["action"]["type"], "block");
            assert_eq!(r["condition"]["isUrlFilterCaseSensitive"], false);
            let types = r["condition"]["resourceTypes"].as_array().unwrap();
            assert!(types.contains(&json!("main_frame")) && types.contains(&json!("object")));
        }
        assert!(policy_rules(&Policy::default(), "x").is_empty());
    }

    #[test]
    fn url_rules_end_where_the_engine_does_and_fit_the_browser() {
        assert_eq!(url_filter("zalo.me/314"), "|http*://zalo.me/314^");
        assert_eq!(
            url_filter("sites.google.com/view/x/"),
            "|http*://sites.google.com/view/x/"
        );
        assert_eq!(url_filter("example.vn/?id="), "|http*://example.vn/?id=");
        // A long path gets a URL filter per host spelling (after its host's escapes rule).
        let tail = "7".repeat(MAX_REGEX_WEIGHT);
        let (p, _) =
            Policy::from_json(&format!(r#"{{"blockedUrls": ["https://zalo.me/{tail}"]}}"#));
        let filters: Vec<String> = policy_rules(&p, "x")[1..]
            .iter()
            .map(|r| r["condition"]["urlFilter"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            filters,
            ["zalo.me", "zalo.me.", "www.zalo.me", "www.zalo.me."]
                .map(|h| format!("|http*://{h}/{tail}^"))
        );
        // Past the budgets: no more than the browser takes, and the count the policy reports.
        let many: Vec<String> = (0..MAX_URL_RULES + 50)
            .map(|i| format!("\"https://h{}.vn/{i}/{tail}\"", i % 3))
            .collect();
        let json = format!(
            r#"{{"blockedUrls": [{}, "https://zalo.me/a*b", "https://zalo.me/a^b"]}}"#,
            many.join(",")
        );
        let (p, _) = Policy::from_json(&json);
        let rules = policy_rules(&p, "chrome-extension://x/warning.html");
        assert_eq!(rules.len(), 3 + 4 * ((MAX_URL_RULES - 3) / 4));
        assert_eq!(
            prefixes_with_rules(&p.blocked_urls),
            (MAX_URL_RULES - 3) / 4
        );
    }
}

#[cfg(test)]
mod layout_tests {
    use super::*;

    /// Every priority a policy rule of `action` type has.
    fn priorities(rules: &[Value], action: &str) -> Vec<u64> {
        rules
            .iter()
            .filter(|r| r["action"]["type"] == action)
            .map(|r| r["priority"].as_u64().unwrap())
            .collect()
    }

    #[test]
    fn a_bypass_lifts_package_and_stop_rules_but_never_an_admin_block() {
        let (p, _) = Policy::from_json(
            r#"{"blockedDomains": ["lua-dao.top"], "blockedUrls": ["https://zalo.me/314"], "allowedDownloadHosts": ["hrm.so.gov.vn"]}"#,
        );
        let page = "chrome-extension://x/warning.html";
        let rules = policy_rules(&p, page);
        let bypass = bypass_rule(BYPASS_RULE_BASE, 7, "example.vn");
        let bypass = bypass["priority"].as_u64().unwrap();
        // The admin's redirects and blocks win over a bypass (the browser prefers the higher
        // priority, and at equal priority an allow over a redirect).
        let blocking = [priorities(&rules, "redirect"), priorities(&rules, "block")].concat();
        assert_eq!(blocking.len(), rules.len() - 1, "all but the allow rule");
        assert!(
            blocking.iter().all(|&b| b > bypass),
            "{blocking:?} vs {bypass}"
        );
        // A bypass and an admin-allowed host outrank the package rule and the stop rules.
        let static_rule = &sideload_ruleset(page).unwrap()[0];
        let package = static_rule["priority"].as_u64().unwrap();
        let stop = stop_rule(STOP_RULE_BASE, 7, "https://a.vn/x.apk", page)["priority"]
            .as_u64()
            .unwrap();
        assert_eq!(package, u64::from(SIDELOAD_PRIORITY));
        assert!(bypass > package && bypass > stop);
        for allow in priorities(&rules, "allow") {
            assert!(allow > package, "an allowed host passes the package rule");
        }
    }

    #[test]
    fn rule_id_ranges_never_overlap() {
        // The policy's rules at their most (every budget used) stay below the copies' range...
        let urls: Vec<String> = (0..MAX_URL_RULES + 50)
            .map(|i| format!("\"https://h{i}.vn/{i}\""))
            .collect();
        let (p, _) = Policy::from_json(&format!(
            r#"{{"blockedDomains": ["a.vn"], "allowedDownloadHosts": ["b.vn"], "blockedUrls": [{}]}}"#,
            urls.join(",")
        ));
        let ids: Vec<u64> = policy_rules(&p, "x")
            .iter()
            .map(|r| r["id"].as_u64().unwrap())
            .collect();
        assert!(ids.len() > MAX_URL_RULES, "every budget is used");
        assert!(ids.iter().all(|&id| id > u64::from(POLICY_RULE_BASE_ID)));
        assert!(ids.iter().all(|&id| id < u64::from(STATIC_COPY_BASE)));
        // ...the copies of the static rules below the stop rules...
        let static_ids: Vec<u64> = sideload_ruleset("x")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_u64().unwrap())
            .collect();
        let highest = static_ids.iter().max().copied().unwrap_or(0);
        assert!(static_ids.iter().all(|&id| id >= 1));
        assert!(u64::from(STATIC_COPY_BASE) + highest < u64::from(STOP_RULE_BASE));
        // ...and the stop rules below the bypass rules.
        const { assert!(STOP_RULE_BASE < STOP_RULE_END && STOP_RULE_END <= BYPASS_RULE_BASE) };
        let layout = serde_json::to_value(rule_layout()).unwrap();
        assert_eq!(
            layout,
            json!({ "staticCopyBase": 100_000, "stopBase": 300_000, "stopEnd": 500_000, "bypassBase": 500_000 })
        );
    }

    #[test]
    fn stop_and_bypass_rules_hold_their_tab_and_address() {
        let page = "chrome-extension://x/warning.html";
        let rule = stop_rule(300_001, 4, "https://a.vn/p?q=1#frag", page);
        assert_eq!(rule["id"], 300_001);
        assert_eq!(rule["condition"]["urlFilter"], "|https://a.vn/p?q=1|");
        assert_eq!(rule["condition"]["tabIds"], json!([4]));
        assert_eq!(
            rule["condition"]["resourceTypes"],
            json!(["main_frame", "sub_frame"])
        );
        assert_eq!(
            rule["action"]["redirect"]["url"],
            format!("{page}#https://a.vn/p?q=1#frag"),
            "the warning page gets the whole address"
        );
        // A filter wildcard in the address: an exact regular expression instead.
        let rule = stop_rule(300_002, 4, "https://a.vn/*x^|(1).apk", page);
        assert_eq!(rule["condition"].get("urlFilter"), None);
        assert_eq!(
            rule["condition"]["regexFilter"],
            r"^https://a\.vn/\*x\^\|\(1\)\.apk$"
        );
        let rule = bypass_rule(500_003, 9, "example.vn");
        assert_eq!(rule["action"]["type"], "allow");
        assert_eq!(rule["condition"]["tabIds"], json!([9]));
        assert_eq!(rule["condition"]["requestDomains"], json!(["example.vn"]));
    }
}
