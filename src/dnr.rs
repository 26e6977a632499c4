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

/// Dynamic rules for a policy (kept across browser restarts): admin-allowed hosts pass the package rule; blocked domains and
/// URL prefixes go to the warning page. Ids start at 1000.
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
    }
    for prefix in &policy.blocked_urls {
        // Stored without the scheme; `||` anchors at the host, so http and https both match.
        rules.push(json!({
            "id": next_id(), "priority": BLOCK_PRIORITY, "action": redirect(warning_page),
            "condition": { "regexFilter": format!("^https?://{}.*$", regex_escape(prefix)), "resourceTypes": ["main_frame", "sub_frame"] }
        }));
    }
    rules
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
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
        assert_eq!(
            rules[2]["condition"]["regexFilter"],
            "^https?://zalo\\.me/314.*$"
        );
        assert!(policy_rules(&Policy::default(), "x").is_empty());
    }
}
