//! The admin policy: parsed from JSON, validated key by key.
//!
//! One bad key never discards the others: [`Policy::from_json`] keeps every valid key and lists
//! each problem with the key it concerns, so the extension can still apply what is right and the
//! CLI can refuse the file.

use std::collections::HashSet;

use serde::Serialize;
use serde_json::{Map, Value};
use url::Url;

use crate::facts::host_within;

/// Default for how long a "continue anyway" lasts, in minutes.
pub const DEFAULT_BYPASS_MINUTES: u32 = 30;
/// Longest bypass an admin may set: a working day, so a bypass never outlives the day.
pub const MAX_BYPASS_MINUTES: u32 = 24 * 60;
/// Default feed refresh interval: every six hours is fresh enough for blocklists.
pub const DEFAULT_FEED_REFRESH_MINUTES: u32 = 6 * 60;
/// Shortest feed refresh, so a typo cannot hammer the feed server.
pub const MIN_FEED_REFRESH_MINUTES: u32 = 15;
/// Longest feed refresh: a week.
pub const MAX_FEED_REFRESH_MINUTES: u32 = 7 * 24 * 60;
/// Entries a single list key may hold in the policy itself (feeds carry the big lists).
pub const MAX_LIST_ENTRIES: usize = 10_000;

/// Checks an admin may switch off with `disabledChecks`.
pub const CHECK_NAMES: &[&str] = &[
    "sideload",
    "lookalike",
    "shortener",
    "social_invite",
    "redirect",
    "unsafe_scheme",
];

/// How serious a policy problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The value was rejected; the key keeps its default.
    Error,
    /// Accepted or ignored, but the admin should look (unknown keys, dropped duplicates).
    Warning,
}

/// One problem found in a policy, naming the key and what was expected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyProblem {
    /// The key, with an index for list items (`blockedDomains[2]`).
    pub key: String,
    /// A stable problem code (`wrong_type`, `unknown_key`, `invalid_domain`, …).
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong and what was expected, in plain English.
    pub message: String,
}

/// Where a feed's body comes from and how to read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Feed {
    /// HTTPS URL of the list.
    pub url: String,
    /// `domains`, `hosts` or `json`.
    pub format: FeedFormat,
    /// Optional SHA-256 pin of the body, lowercase hex.
    pub sha256: Option<String>,
}

/// The format of a blocklist feed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedFormat {
    /// One domain a line; `#` comments.
    Domains,
    /// A hosts file (`0.0.0.0 evil.top`).
    Hosts,
    /// A JSON array of domains, or `{"domains": [...]}`.
    Json,
}

/// Contact shown to users who report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Contact {
    /// Name of the unit or person.
    pub name: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Email address.
    pub email: Option<String>,
}

/// A set of domains that matches a host and its subdomains.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DomainSet {
    set: HashSet<Box<str>>,
}

impl DomainSet {
    /// Adds an ASCII lowercase domain.
    pub fn insert(&mut self, domain: &str) -> bool {
        self.set.insert(domain.into())
    }

    /// Whether `host` or one of its parent domains is in the set; returns the matching entry.
    pub fn find<'s>(&'s self, host: &str) -> Option<&'s str> {
        if self.set.is_empty() {
            return None; // the usual case: no admin list, no hashing
        }
        let mut rest = host;
        loop {
            if let Some(hit) = self.set.get(rest) {
                return Some(hit);
            }
            rest = &rest[rest.find('.')? + 1..];
        }
    }

    /// Number of domains.
    pub fn len(&self) -> usize {
        self.set.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    /// The domains, in no order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.set.iter().map(|s| &**s)
    }
}

/// A validated admin policy. `Default` is the policy with no admin settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Extra app stores, treated like the official ones (domain and subdomains).
    pub allowed_stores: DomainSet,
    /// Hosts from which app packages and programs may be downloaded without a warning.
    pub allowed_download_hosts: DomainSet,
    /// Domains (and subdomains) always blocked.
    pub blocked_domains: DomainSet,
    /// URL prefixes always blocked, stored without their scheme (`host/path…`).
    pub blocked_urls: Vec<String>,
    /// The organisation's own domains, protected from lookalikes.
    pub protected_domains: Vec<String>,
    /// Whether users may continue past a warning.
    pub allow_bypass: bool,
    /// How long a "continue anyway" lasts.
    pub bypass_minutes: u32,
    /// HTTPS endpoint that receives reports.
    pub report_endpoint: Option<String>,
    /// Contact shown to users who report.
    pub report_contact: Contact,
    /// Blocklist feeds.
    pub blocklist_feeds: Vec<Feed>,
    /// Minutes between feed refreshes.
    pub feed_refresh_minutes: u32,
    /// Checks switched off by the admin.
    pub disabled_checks: Vec<String>,
    /// `vi`, `en` or `auto`.
    pub language: String,
    /// Whether to show notices on friend-request and invite pages.
    pub social_notices: bool,
    /// The keys this policy set (valid or not): an admin-set key is managed, and locks the user out.
    pub set_keys: std::collections::BTreeSet<&'static str>,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            allowed_stores: DomainSet::default(),
            allowed_download_hosts: DomainSet::default(),
            blocked_domains: DomainSet::default(),
            blocked_urls: Vec::new(),
            protected_domains: Vec::new(),
            allow_bypass: true,
            bypass_minutes: DEFAULT_BYPASS_MINUTES,
            report_endpoint: None,
            report_contact: Contact::default(),
            blocklist_feeds: Vec::new(),
            feed_refresh_minutes: DEFAULT_FEED_REFRESH_MINUTES,
            disabled_checks: Vec::new(),
            language: "auto".into(),
            social_notices: true,
            set_keys: Default::default(),
        }
    }
}

impl Policy {
    /// Parses policy JSON text. A syntax error is one problem on key `$`; otherwise every valid
    /// key applies and every problem is listed.
    pub fn from_json(text: &str) -> (Policy, Vec<PolicyProblem>) {
        match serde_json::from_str::<Value>(text) {
            Ok(v) => Policy::from_value(&v),
            Err(e) => (
                Policy::default(),
                vec![problem(
                    "$",
                    "invalid_json",
                    format!(
                        "the policy is not valid JSON: {e} (line {}, column {})",
                        e.line(),
                        e.column()
                    ),
                )],
            ),
        }
    }

    /// Builds a policy from an already-parsed JSON value.
    pub fn from_value(value: &Value) -> (Policy, Vec<PolicyProblem>) {
        let mut p = Policy::default();
        let mut problems = Vec::new();
        let Some(obj) = value.as_object() else {
            problems.push(problem(
                "$",
                "wrong_type",
                format!(
                    "the policy must be a JSON object of keys, got {}",
                    type_name(value)
                ),
            ));
            return (p, problems);
        };
        let mut v = Validator {
            problems: &mut problems,
        };
        for (key, val) in obj {
            if let Some(known) = KNOWN_KEYS.iter().find(|k| **k == key) {
                p.set_keys.insert(known);
            }
            match key.as_str() {
                "allowedStores" => p.allowed_stores = v.domain_set(key, val),
                "allowedDownloadHosts" => p.allowed_download_hosts = v.domain_set(key, val),
                "blockedDomains" => p.blocked_domains = v.domain_set(key, val),
                "blockedUrls" => p.blocked_urls = v.url_prefixes(key, val),
                "protectedDomains" => {
                    p.protected_domains = v.domain_list(key, val);
                }
                "allowBypass" => v.boolean(key, val, &mut p.allow_bypass),
                "bypassMinutes" => {
                    v.minutes(key, val, 1, MAX_BYPASS_MINUTES, &mut p.bypass_minutes)
                }
                "reportEndpoint" => p.report_endpoint = v.https_url(key, val),
                "reportContact" => p.report_contact = v.contact(key, val),
                "blocklistFeeds" => p.blocklist_feeds = v.feeds(key, val),
                "feedRefreshMinutes" => v.minutes(
                    key,
                    val,
                    MIN_FEED_REFRESH_MINUTES,
                    MAX_FEED_REFRESH_MINUTES,
                    &mut p.feed_refresh_minutes,
                ),
                "disabledChecks" => p.disabled_checks = v.checks(key, val),
                "language" => v.language(key, val, &mut p.language),
                "socialNotices" => v.boolean(key, val, &mut p.social_notices),
                _ => v.unknown(key),
            }
        }
        (p, problems)
    }

    /// Reads the user's own options (same keys as the policy). Keys only an admin may set are
    /// reported and dropped.
    pub fn from_user_json(text: &str) -> (Policy, Vec<PolicyProblem>) {
        let (mut p, mut problems) = Policy::from_json(text);
        for key in ADMIN_ONLY_KEYS {
            if p.set_keys.remove(key) {
                problems.push(PolicyProblem {
                    key: (*key).to_string(),
                    code: "admin_only",
                    severity: Severity::Error,
                    message: format!("only an administrator can set {key:?} (through the browser's enterprise policy)"),
                });
            }
        }
        let defaults = Policy::default();
        p.report_endpoint = defaults.report_endpoint;
        p.report_contact = defaults.report_contact;
        p.blocklist_feeds = defaults.blocklist_feeds;
        p.feed_refresh_minutes = defaults.feed_refresh_minutes;
        (p, problems)
    }

    /// The policy in force: the admin's over the user's over the defaults. The user may add to
    /// what protects (block lists, protected domains) and tighten (no bypass, a shorter one), but
    /// never loosen a key the admin set.
    pub fn effective(admin: &Policy, user: &Policy) -> Policy {
        let managed = |k: &str| admin.set_keys.contains(k);
        let pick = |k: &str| {
            if managed(k) || !user.set_keys.contains(k) {
                admin
            } else {
                user
            }
        };
        let union = |a: &DomainSet, b: &DomainSet| {
            let mut out = a.clone();
            for d in b.iter() {
                out.insert(d);
            }
            out
        };
        let mut blocked_urls = admin.blocked_urls.clone();
        blocked_urls.extend(
            user.blocked_urls
                .iter()
                .filter(|u| !admin.blocked_urls.contains(u))
                .cloned(),
        );
        let mut protected = admin.protected_domains.clone();
        protected.extend(
            user.protected_domains
                .iter()
                .filter(|d| !admin.protected_domains.contains(d))
                .cloned(),
        );
        Policy {
            allowed_stores: pick("allowedStores").allowed_stores.clone(),
            allowed_download_hosts: pick("allowedDownloadHosts").allowed_download_hosts.clone(),
            blocked_domains: union(&admin.blocked_domains, &user.blocked_domains),
            blocked_urls,
            protected_domains: protected,
            // The user may turn bypass off, never on against the admin.
            allow_bypass: pick("allowBypass").allow_bypass
                && (!user.set_keys.contains("allowBypass") || user.allow_bypass),
            bypass_minutes: match (
                managed("bypassMinutes"),
                user.set_keys.contains("bypassMinutes"),
            ) {
                (true, true) => admin.bypass_minutes.min(user.bypass_minutes),
                (false, true) => user.bypass_minutes,
                _ => admin.bypass_minutes,
            },
            report_endpoint: admin.report_endpoint.clone(),
            report_contact: admin.report_contact.clone(),
            blocklist_feeds: admin.blocklist_feeds.clone(),
            feed_refresh_minutes: admin.feed_refresh_minutes,
            disabled_checks: pick("disabledChecks").disabled_checks.clone(),
            language: pick("language").language.clone(),
            social_notices: pick("socialNotices").social_notices,
            set_keys: admin.set_keys.union(&user.set_keys).copied().collect(),
        }
    }

    /// The policy as JSON with the same camelCase keys it is written in (lists sorted).
    pub fn to_json(&self) -> Value {
        fn sorted(set: &DomainSet) -> Vec<&str> {
            let mut v: Vec<&str> = set.iter().collect();
            v.sort_unstable();
            v
        }
        serde_json::json!({
            "allowedStores": sorted(&self.allowed_stores),
            "allowedDownloadHosts": sorted(&self.allowed_download_hosts),
            "blockedDomains": sorted(&self.blocked_domains),
            "blockedUrls": self.blocked_urls,
            "protectedDomains": self.protected_domains,
            "allowBypass": self.allow_bypass,
            "bypassMinutes": self.bypass_minutes,
            "reportEndpoint": self.report_endpoint,
            "reportContact": self.report_contact,
            "blocklistFeeds": self.blocklist_feeds,
            "feedRefreshMinutes": self.feed_refresh_minutes,
            "disabledChecks": self.disabled_checks,
            "language": self.language,
            "socialNotices": self.social_notices,
        })
    }

    /// Whether the admin switched `check` off.
    pub fn is_disabled(&self, check: &str) -> bool {
        self.disabled_checks.iter().any(|c| c == check)
    }

    /// The `blockedUrls` prefix that `url` starts with, comparing without the scheme.
    pub fn blocked_url_match(&self, url: &Url) -> Option<&str> {
        if self.blocked_urls.is_empty() {
            return None;
        }
        let s = strip_scheme(url.as_str());
        self.blocked_urls
            .iter()
            .find(|p| prefix_at_boundary(s, p))
            .map(String::as_str)
    }
}

/// Whether `s` starts with `prefix` and the match ends where a path segment, query or fragment
/// does: listing `zalo.me/314` must not block `zalo.me/3149`.
fn prefix_at_boundary(s: &str, prefix: &str) -> bool {
    s.starts_with(prefix)
        && (prefix.ends_with(['/', '?', '&', '=', '#'])
            || matches!(
                s.as_bytes().get(prefix.len()),
                None | Some(b'/' | b'?' | b'#')
            ))
}

fn strip_scheme(s: &str) -> &str {
    s.split_once("://").map_or(s, |(_, rest)| rest)
}

fn problem(key: &str, code: &'static str, message: String) -> PolicyProblem {
    PolicyProblem {
        key: key.to_string(),
        code,
        severity: Severity::Error,
        message,
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Normalises an admin-written domain: lowercase, IDN to ASCII, no leading `*.`/`.`, no
/// trailing dot. Explains what is wrong otherwise.
pub fn normalize_domain(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("an empty string is not a domain".into());
    }
    if s.contains("://") {
        let host = Url::parse(s)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string));
        return Err(match host {
            Some(h) => format!("{raw:?} is a URL; write only the domain, e.g. {h:?}"),
            None => format!("{raw:?} is a URL; write only the domain"),
        });
    }
    if s.contains(['/', '?', '#', '@', ':', ' ']) {
        return Err(format!(
            "{raw:?} is not a domain: write it like \"example.com\", with no path, port or spaces"
        ));
    }
    let s = s
        .strip_prefix("*.")
        .or_else(|| s.strip_prefix('.'))
        .unwrap_or(s);
    let s = s.strip_suffix('.').unwrap_or(s);
    let ascii =
        idna::domain_to_ascii(s).map_err(|_| format!("{raw:?} is not a valid domain name"))?;
    let name_chars = ascii
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_');
    if ascii.is_empty() || ascii.split('.').any(str::is_empty) || !name_chars {
        return Err(format!("{raw:?} is not a valid domain name"));
    }
    if !ascii.contains('.') {
        return Err(format!(
            "{raw:?} has no dot; write a full domain such as \"{ascii}.vn\""
        ));
    }
    if ascii
        .rsplit('.')
        .next()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!(
            "{raw:?} is an IP address or ends in a number; write a domain name"
        ));
    }
    if ascii.len() > 253 {
        return Err(format!(
            "{raw:?} is longer than a domain name can be (253 characters)"
        ));
    }
    Ok(ascii)
}

struct Validator<'p> {
    problems: &'p mut Vec<PolicyProblem>,
}

impl Validator<'_> {
    fn err(&mut self, key: &str, code: &'static str, message: String) {
        self.problems.push(problem(key, code, message));
    }

    fn warn(&mut self, key: &str, code: &'static str, message: String) {
        self.problems.push(PolicyProblem {
            key: key.into(),
            code,
            severity: Severity::Warning,
            message,
        });
    }

    fn unknown(&mut self, key: &str) {
        let hint = KNOWN_KEYS
            .iter()
            .find(|k| k.eq_ignore_ascii_case(key))
            .map(|k| format!("; did you mean {k:?}?"))
            .unwrap_or_default();
        self.warn(
            key,
            "unknown_key",
            format!("{key:?} is not a Cảnh Giác policy key and was ignored{hint}"),
        );
    }

    fn list<'v>(&mut self, key: &str, val: &'v Value) -> Option<&'v Vec<Value>> {
        match val {
            Value::Array(items) if items.len() > MAX_LIST_ENTRIES => {
                self.err(
                    key,
                    "too_many_entries",
                    format!(
                        "{} entries; at most {MAX_LIST_ENTRIES} fit in a policy (use blocklistFeeds for long lists)",
                        items.len()
                    ),
                );
                None
            }
            Value::Array(items) => Some(items),
            other => {
                self.err(
                    key,
                    "wrong_type",
                    format!("expected a list of strings, got {}", type_name(other)),
                );
                None
            }
        }
    }

    fn domain_list(&mut self, key: &str, val: &Value) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (i, item) in self.list(key, val).into_iter().flatten().enumerate() {
            let k = format!("{key}[{i}]");
            match item {
                Value::String(s) => match normalize_domain(s) {
                    Ok(d) if out.contains(&d) => {
                        self.warn(&k, "duplicate", format!("{d:?} is listed twice"));
                    }
                    Ok(d) => out.push(d),
                    Err(m) => self.err(&k, "invalid_domain", m),
                },
                other => self.err(
                    &k,
                    "wrong_type",
                    format!("expected a domain string, got {}", type_name(other)),
                ),
            }
        }
        out
    }

    fn domain_set(&mut self, key: &str, val: &Value) -> DomainSet {
        let mut set = DomainSet::default();
        for d in self.domain_list(key, val) {
            set.insert(&d);
        }
        set
    }

    fn url_prefixes(&mut self, key: &str, val: &Value) -> Vec<String> {
        let mut out = Vec::new();
        for (i, item) in self.list(key, val).into_iter().flatten().enumerate() {
            let k = format!("{key}[{i}]");
            let Value::String(s) = item else {
                self.err(
                    &k,
                    "wrong_type",
                    format!("expected a URL string, got {}", type_name(item)),
                );
                continue;
            };
            match Url::parse(s.trim()) {
                Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
                    out.push(strip_scheme(u.as_str()).to_string());
                }
                Ok(_) => self.err(
                    &k,
                    "invalid_url",
                    format!("{s:?} must be an http or https address"),
                ),
                Err(e) => self.err(&k, "invalid_url", format!("{s:?} is not a valid URL ({e})")),
            }
        }
        out
    }

    fn boolean(&mut self, key: &str, val: &Value, slot: &mut bool) {
        match val {
            Value::Bool(b) => *slot = *b,
            other => self.err(
                key,
                "wrong_type",
                format!("expected true or false, got {}", type_name(other)),
            ),
        }
    }

    fn minutes(&mut self, key: &str, val: &Value, min: u32, max: u32, slot: &mut u32) {
        match val.as_u64() {
            Some(n) if n >= u64::from(min) && n <= u64::from(max) => *slot = n as u32,
            Some(n) => self.err(
                key,
                "out_of_range",
                format!("{n} is out of range; expected {min} to {max} minutes"),
            ),
            None => self.err(
                key,
                "wrong_type",
                format!(
                    "expected a whole number of minutes ({min} to {max}), got {}",
                    type_name(val)
                ),
            ),
        }
    }

    fn https_url(&mut self, key: &str, val: &Value) -> Option<String> {
        let Value::String(s) = val else {
            self.err(
                key,
                "wrong_type",
                format!("expected an https:// URL string, got {}", type_name(val)),
            );
            return None;
        };
        match Url::parse(s.trim()) {
            Ok(u) if u.scheme() == "https" && u.host().is_some() => Some(u.to_string()),
            Ok(_) => {
                self.err(
                    key,
                    "not_https",
                    format!("{s:?} must start with https:// so reports travel encrypted"),
                );
                None
            }
            Err(e) => {
                self.err(
                    key,
                    "invalid_url",
                    format!("{s:?} is not a valid URL ({e})"),
                );
                None
            }
        }
    }

    fn contact(&mut self, key: &str, val: &Value) -> Contact {
        let mut c = Contact::default();
        let Value::Object(obj) = val else {
            self.err(
                key,
                "wrong_type",
                format!(
                    "expected an object with name, phone, email; got {}",
                    type_name(val)
                ),
            );
            return c;
        };
        for (field, v) in obj {
            let k = format!("{key}.{field}");
            let slot = match field.as_str() {
                "name" => &mut c.name,
                "phone" => &mut c.phone,
                "email" => &mut c.email,
                _ => {
                    self.warn(
                        &k,
                        "unknown_key",
                        format!("{field:?} is not a field of reportContact (name, phone, email)"),
                    );
                    continue;
                }
            };
            match v {
                Value::String(s) if !s.trim().is_empty() => {
                    let s = s.trim();
                    let ok = match field.as_str() {
                        "phone" => s
                            .chars()
                            .all(|ch| ch.is_ascii_digit() || " +.-()".contains(ch)),
                        "email" => s
                            .split_once('@')
                            .is_some_and(|(a, b)| !a.is_empty() && b.contains('.')),
                        _ => true,
                    };
                    if ok {
                        *slot = Some(s.to_string());
                    } else {
                        self.err(
                            &k,
                            "invalid_value",
                            format!("{s:?} does not look like a {field}"),
                        );
                    }
                }
                other => self.err(
                    &k,
                    "wrong_type",
                    format!("expected a non-empty string, got {}", type_name(other)),
                ),
            }
        }
        c
    }

    fn feeds(&mut self, key: &str, val: &Value) -> Vec<Feed> {
        let mut out = Vec::new();
        let Value::Array(items) = val else {
            self.err(
                key,
                "wrong_type",
                format!("expected a list of feed objects, got {}", type_name(val)),
            );
            return out;
        };
        for (i, item) in items.iter().enumerate() {
            let k = format!("{key}[{i}]");
            let Value::Object(obj) = item else {
                self.err(
                    &k,
                    "wrong_type",
                    format!(
                        "expected {{\"url\": …, \"format\": …}}, got {}",
                        type_name(item)
                    ),
                );
                continue;
            };
            if let Some(feed) = self.feed(&k, obj) {
                out.push(feed);
            }
        }
        out
    }

    fn feed(&mut self, k: &str, obj: &Map<String, Value>) -> Option<Feed> {
        let mut ok = true;
        for field in obj.keys() {
            if !matches!(field.as_str(), "url" | "format" | "sha256") {
                self.warn(
                    &format!("{k}.{field}"),
                    "unknown_key",
                    format!("{field:?} is not a feed field (url, format, sha256)"),
                );
            }
        }
        let url = match obj.get("url") {
            Some(v) => self.https_url(&format!("{k}.url"), v),
            None => {
                self.err(
                    &format!("{k}.url"),
                    "missing",
                    "a feed needs a \"url\"".into(),
                );
                None
            }
        };
        ok &= url.is_some();
        let format = match obj.get("format").map(|v| v.as_str()) {
            None => Some(FeedFormat::Domains),
            Some(Some("domains")) => Some(FeedFormat::Domains),
            Some(Some("hosts")) => Some(FeedFormat::Hosts),
            Some(Some("json")) => Some(FeedFormat::Json),
            Some(_) => {
                self.err(
                    &format!("{k}.format"),
                    "invalid_value",
                    "expected \"domains\", \"hosts\" or \"json\"".into(),
                );
                None
            }
        };
        ok &= format.is_some();
        let sha256 = match obj.get("sha256") {
            None => None,
            Some(Value::String(s)) if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) => {
                Some(s.to_ascii_lowercase())
            }
            Some(_) => {
                self.err(
                    &format!("{k}.sha256"),
                    "invalid_value",
                    "expected 64 hexadecimal digits".into(),
                );
                ok = false;
                None
            }
        };
        if !ok {
            return None;
        }
        Some(Feed {
            url: url?,
            format: format?,
            sha256,
        })
    }

    fn checks(&mut self, key: &str, val: &Value) -> Vec<String> {
        let mut out = Vec::new();
        for (i, item) in self.list(key, val).into_iter().flatten().enumerate() {
            let k = format!("{key}[{i}]");
            match item.as_str() {
                Some(s) if CHECK_NAMES.contains(&s) => out.push(s.to_string()),
                Some(s) => self.err(
                    &k,
                    "invalid_value",
                    format!(
                        "{s:?} is not a check; expected one of {}",
                        CHECK_NAMES.join(", ")
                    ),
                ),
                None => self.err(
                    &k,
                    "wrong_type",
                    format!("expected a check name, got {}", type_name(item)),
                ),
            }
        }
        out
    }

    fn language(&mut self, key: &str, val: &Value, slot: &mut String) {
        match val.as_str() {
            Some(s @ ("vi" | "en" | "auto")) => *slot = s.to_string(),
            _ => self.err(
                key,
                "invalid_value",
                format!("expected \"vi\", \"en\" or \"auto\", got {val}"),
            ),
        }
    }
}

/// Keys only an admin may set: they send data off the machine or fetch from the network.
pub const ADMIN_ONLY_KEYS: &[&str] = &[
    "reportEndpoint",
    "reportContact",
    "blocklistFeeds",
    "feedRefreshMinutes",
];

/// Every key the policy understands.
pub const KNOWN_KEYS: &[&str] = &[
    "allowedStores",
    "allowedDownloadHosts",
    "blockedDomains",
    "blockedUrls",
    "protectedDomains",
    "allowBypass",
    "bypassMinutes",
    "reportEndpoint",
    "reportContact",
    "blocklistFeeds",
    "feedRefreshMinutes",
    "disabledChecks",
    "language",
    "socialNotices",
];

/// Whether `host` is within any of `domains` (helper for small lists).
pub fn within_any(host: &str, domains: &[String]) -> bool {
    domains.iter().any(|d| host_within(host, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_keys_apply_when_others_are_wrong() {
        let (p, problems) = Policy::from_json(
            r#"{"blockedDomains": ["Evil.TOP", "https://x.vn/a", 5], "allowBypass": "no",
                "bypassMinutes": 10, "colour": 1, "AllowBypass": true}"#,
        );
        assert_eq!(p.blocked_domains.find("a.evil.top"), Some("evil.top"));
        assert!(p.allow_bypass, "wrong type keeps the default");
        assert_eq!(p.bypass_minutes, 10);
        let keys: Vec<_> = problems.iter().map(|p| (p.key.as_str(), p.code)).collect();
        assert_eq!(
            keys,
            vec![
                ("AllowBypass", "unknown_key"),
                ("allowBypass", "wrong_type"),
                ("blockedDomains[1]", "invalid_domain"),
                ("blockedDomains[2]", "wrong_type"),
                ("colour", "unknown_key"),
            ]
        );
        assert!(problems[0].message.contains("did you mean \"allowBypass\""));
        assert!(
            problems[2].message.contains("\"x.vn\""),
            "{}",
            problems[2].message
        );
    }

    #[test]
    fn broken_json_is_one_clear_problem() {
        let (p, problems) = Policy::from_json("{\"blockedDomains\": [\"a.vn\",]}");
        assert_eq!(p, Policy::default());
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].code, "invalid_json");
        assert!(problems[0].message.contains("line 1"));
    }

    #[test]
    fn domains_are_normalised() {
        assert_eq!(
            normalize_domain("*.Bộcôngan.vn.").unwrap(),
            "xn--bcngan-jxa6332d.vn"
        );
        assert!(normalize_domain("a b.vn").is_err());
        assert!(normalize_domain("").is_err());
        assert!(normalize_domain("a..vn").is_err());
    }

    #[test]
    fn report_endpoint_must_be_https() {
        let (p, problems) = Policy::from_json(r#"{"reportEndpoint": "http://r.example.vn/"}"#);
        assert_eq!(p.report_endpoint, None);
        assert_eq!(problems[0].code, "not_https");
    }
}
