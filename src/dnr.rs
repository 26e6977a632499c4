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
/// Blocked URL prefixes given a rule of their own. Chromium before 120 kept at most 5,000 rules an
/// extension adds at run time, and refuses the whole update past its limit, block lists included;
/// the rest are still stopped by the worker's check.
pub const MAX_URL_RULES: usize = 4_900;

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
    }
    // Blocked outright with a URL filter; the worker's check then shows the warning. Not a
    // redirect carrying the address: that needs a regular expression, which Chromium caps at
    // 1,000 rules and 2 KB compiled each (a path of about 100 characters, measured in Chromium
    // 156), and past either limit it refuses every rule, block lists included. A prefix with a
    // character the filter syntax reserves gets no rule; the worker's check still stops it.
    for prefix in policy
        .blocked_urls
        .iter()
        .filter(|p| !p.contains(['*', '^', '|']))
        .take(MAX_URL_RULES)
    {
        rules.push(json!({
            "id": next_id(), "priority": BLOCK_PRIORITY, "action": { "type": "block" },
            "condition": {
                "urlFilter": url_filter(prefix),
                // As in the engine: the path keeps its case.
                "isUrlFilterCaseSensitive": true,
                "resourceTypes": ["main_frame", "sub_frame"]
            }
        }));
    }
    rules
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
        assert_eq!(rules.len(), 3);
        assert_eq!(rules[0]["action"]["type"], "allow");
        assert_eq!(rules[1]["condition"]["requestDomains"][0], "lua-dao.top");
        assert_eq!(rules[2]["action"]["type"], "block");
        assert_eq!(rules[2]["condition"]["urlFilter"], "|http*://zalo.me/314^");
        assert_eq!(rules[2]["condition"]["isUrlFilterCaseSensitive"], true);
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
        let many: Vec<String> = (0..MAX_URL_RULES + 50)
            .map(|i| format!("\"https://zalo.me/{i}\""))
            .collect();
        let json = format!(
            r#"{{"blockedUrls": [{}, "https://zalo.me/a*b", "https://zalo.me/a^b"]}}"#,
            many.join(",")
        );
        let (p, _) = Policy::from_json(&json);
        let rules = policy_rules(&p, "chrome-extension://x/warning.html");
        assert_eq!(
            rules.len(),
            MAX_URL_RULES,
            "capped below the browser's limit"
        );
        assert!(rules.iter().all(|r| r["condition"]["urlFilter"]
            .as_str()
            .is_some_and(|f| !f.contains("a*b") && !f.contains("a^b"))));
    }
}
