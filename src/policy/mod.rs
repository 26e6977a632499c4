//! The admin policy: parsed from JSON, validated key by key.
//!
//! One bad key never discards the others: [`Policy::from_json`] keeps every valid key and lists
//! each problem with the key it concerns, so the extension can still apply what is right and the
//! CLI can refuse the file.

// Inside the policy, lowest first: `keys` (the table of keys), `problem`, `names` and
// `url_prefix` (what a check reports, how names and URL prefixes are spelled), `feeds` and
// `lists` use nothing of the policy model; this file (the model and its validator) uses them; `snapshot` stores the model.
pub mod feeds;
pub mod keys;
mod keyset;
pub mod lists;
pub(crate) mod names;
mod problem;
pub mod snapshot;
pub(crate) mod url_prefix;

use std::collections::HashSet;

use serde::Serialize;
use serde_json::{Map, Value};
use url::Url;

use crate::tables::layout::host_within;

pub use feeds::FeedFormat;
pub use keys::{
    key_spec, Check, KeyKind, KeySpec, Language, ADMIN_ONLY_KEYS, CHECK_NAMES,
    DEFAULT_BYPASS_MINUTES, DEFAULT_FEED_REFRESH_MINUTES, KEY_SPECS, KNOWN_KEYS, LANGUAGES,
    MAX_BYPASS_MINUTES, MAX_FEED_REFRESH_MINUTES, MIN_BYPASS_MINUTES, MIN_FEED_REFRESH_MINUTES,
};
pub use keyset::KeySet;
pub use names::{ip_host, normalize_domain, normalize_host};
use names::{normalize_domain_both, normalize_host_both};
use problem::{problem, type_name, Msg};
pub use problem::{PolicyProblem, ProblemCode, Severity};
pub use url_prefix::{is_unreserved, url_key};
use url_prefix::{prefix_at_boundary, prefix_key};

/// Entries a single list key may hold in the policy itself (feeds carry the big lists).
pub const MAX_LIST_ENTRIES: usize = 10_000;

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

/// The police contact an organisation shows in place of the nationwide default (113, the
/// nearest commune or ward police, the national reporting site): a name and a phone or a site.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PoliceContact {
    /// Name of the police unit, e.g. the province's cyber-security division.
    pub name: Option<String>,
    /// Its hotline.
    pub phone: Option<String>,
    /// Its https:// site for reporting online.
    pub url: Option<String>,
}

impl PoliceContact {
    /// Whether the organisation set a contact (otherwise the nationwide default applies).
    pub fn is_set(&self) -> bool {
        self.name.is_some() || self.phone.is_some() || self.url.is_some()
    }
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
    /// The police contact replacing the nationwide default, when the organisation sets one.
    pub police_contact: PoliceContact,
    /// Blocklist feeds.
    pub blocklist_feeds: Vec<Feed>,
    /// Minutes between feed refreshes.
    pub feed_refresh_minutes: u32,
    /// Checks switched off by the admin.
    pub disabled_checks: Vec<Check>,
    /// The language of warnings (`vi`, `en` or `auto`).
    pub language: Language,
    /// Whether to show notices on friend-request and invite pages.
    pub social_notices: bool,
    /// Whether the built-in community lists (hostsVN) are used.
    pub builtin_lists: bool,
    /// An `https://` folder the built-in lists are fetched from instead of their upstream.
    pub builtin_lists_mirror: Option<String>,
    /// Domains exempt from the built-in lists and the heuristics (never from the admin's lists).
    pub exempt_domains: DomainSet,
    /// The keys this policy set (valid or not): an admin-set key is managed, and locks the user out.
    pub set_keys: KeySet,
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
            police_contact: PoliceContact::default(),
            blocklist_feeds: Vec::new(),
            feed_refresh_minutes: DEFAULT_FEED_REFRESH_MINUTES,
            disabled_checks: Vec::new(),
            language: Language::Auto,
            social_notices: true,
            builtin_lists: true,
            builtin_lists_mirror: None,
            exempt_domains: DomainSet::default(),
            set_keys: Default::default(),
        }
    }
}

impl Policy {
    /// Parses policy JSON text. A syntax error is one problem on key `$`; otherwise every valid
    /// key applies and every problem is listed.
    pub fn from_json(text: &str) -> (Policy, Vec<PolicyProblem>) {
        match serde_json::from_str::<Value>(text) {
            Ok(v) => {
                let (policy, mut problems) = Policy::from_value(&v);
                // A repeated key is lost in `Value` (the last one wins): said before it is.
                for key in duplicate_keys(text) {
                    problems.push(PolicyProblem {
                        severity: Severity::Warning,
                        ..problem(
                            &key,
                            ProblemCode::DuplicateKey,
                            Msg::new(
                                "appears more than once in its object; only the last value counts",
                                "xuất hiện nhiều lần trong cùng một đối tượng; chỉ giá trị cuối cùng được dùng",
                            ),
                        )
                    });
                }
                (policy, problems)
            }
            Err(e) => (
                Policy::default(),
                vec![problem(
                    "$",
                    ProblemCode::InvalidJson,
                    Msg::new(
                        format!(
                            "the policy is not valid JSON: {e} (line {}, column {})",
                            e.line(),
                            e.column()
                        ),
                        // serde's own wording stays as it is; the position is what helps.
                        format!(
                            "chính sách không phải JSON hợp lệ: {e} (dòng {}, cột {})",
                            e.line(),
                            e.column()
                        ),
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
            let (en, vi) = type_name(value);
            problems.push(problem(
                "$",
                ProblemCode::WrongType,
                Msg::new(
                    format!("the policy must be a JSON object of keys, got {en}"),
                    format!(
                        "chính sách phải là một đối tượng JSON gồm các khóa, nhưng nhận được {vi}"
                    ),
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
                "blockedDomains" => p.blocked_domains = v.host_set(key, val),
                "blockedUrls" => p.blocked_urls = v.url_prefixes(key, val),
                "protectedDomains" => {
                    p.protected_domains = v.domain_list(key, val);
                }
                "allowBypass" => v.boolean(key, val, &mut p.allow_bypass),
                "bypassMinutes" => v.minutes(
                    key,
                    val,
                    MIN_BYPASS_MINUTES,
                    MAX_BYPASS_MINUTES,
                    &mut p.bypass_minutes,
                ),
                "reportEndpoint" => p.report_endpoint = v.https_url(key, val),
                "reportContact" => p.report_contact = v.contact(key, val),
                "policeContact" => p.police_contact = v.police_contact(key, val),
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
                "builtInLists" => v.boolean(key, val, &mut p.builtin_lists),
                "builtInListsMirror" => p.builtin_lists_mirror = v.https_url(key, val),
                "exemptDomains" => p.exempt_domains = v.domain_set(key, val),
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
                problems.push(problem(
                    key,
                    ProblemCode::AdminOnly,
                    Msg::new(
                        format!("only an administrator can set {key:?} (through the browser's enterprise policy)"),
                        format!("chỉ quản trị viên mới đặt được {key:?} (qua chính sách doanh nghiệp của trình duyệt)"),
                    ),
                ));
            }
        }
        let defaults = Policy::default();
        p.report_endpoint = defaults.report_endpoint;
        p.report_contact = defaults.report_contact;
        p.police_contact = defaults.police_contact;
        p.blocklist_feeds = defaults.blocklist_feeds;
        p.feed_refresh_minutes = defaults.feed_refresh_minutes;
        p.builtin_lists_mirror = defaults.builtin_lists_mirror;
        p.exempt_domains = defaults.exempt_domains;
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
        // Both lists may hold 10,000 entries: a set, not a scan per entry.
        let joined = |a: &[String], b: &[String]| {
            let seen: HashSet<&str> = a.iter().map(String::as_str).collect();
            let mut out = a.to_vec();
            out.extend(b.iter().filter(|x| !seen.contains(x.as_str())).cloned());
            out
        };
        let blocked_urls = joined(&admin.blocked_urls, &user.blocked_urls);
        let protected = joined(&admin.protected_domains, &user.protected_domains);
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
            police_contact: admin.police_contact.clone(),
            blocklist_feeds: admin.blocklist_feeds.clone(),
            feed_refresh_minutes: admin.feed_refresh_minutes,
            disabled_checks: pick("disabledChecks").disabled_checks.clone(),
            language: pick("language").language,
            social_notices: pick("socialNotices").social_notices,
            builtin_lists: pick("builtInLists").builtin_lists,
            builtin_lists_mirror: admin.builtin_lists_mirror.clone(),
            exempt_domains: admin.exempt_domains.clone(),
            // One insert at a time: collecting into a set sorts first, which costs the wasm
            // module a sort routine of its own for a few keys.
            set_keys: {
                let mut keys = admin.set_keys.clone();
                keys.extend(user.set_keys.iter().copied());
                keys
            },
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
            "policeContact": self.police_contact.is_set().then_some(&self.police_contact),
            "blocklistFeeds": self.blocklist_feeds,
            "feedRefreshMinutes": self.feed_refresh_minutes,
            "disabledChecks": self.disabled_checks,
            "language": self.language,
            "socialNotices": self.social_notices,
            "builtInLists": self.builtin_lists,
            "builtInListsMirror": self.builtin_lists_mirror,
            "exemptDomains": sorted(&self.exempt_domains),
        })
    }

    /// Whether the admin switched `check` off.
    pub fn is_disabled(&self, check: Check) -> bool {
        self.disabled_checks.contains(&check)
    }

    /// The `blockedUrls` prefix that `url` starts with, comparing without the scheme.
    pub fn blocked_url_match(&self, url: &Url) -> Option<&str> {
        if self.blocked_urls.is_empty() {
            return None;
        }
        let key = url_key(url);
        self.blocked_urls
            .iter()
            .find(|p| prefix_at_boundary(&key, p))
            .map(String::as_str)
    }
}

/// Paths of keys that appear twice in one object of `text` (valid JSON), as problems name keys
/// (`reportContact.name`, `blocklistFeeds[0].url`).
fn duplicate_keys(text: &str) -> Vec<String> {
    use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
    use std::fmt;

    struct Walk<'a> {
        path: String,
        found: &'a mut Vec<String>,
    }
    impl<'de> Visitor<'de> for Walk<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("JSON")
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            for i in 0.. {
                let path = format!("{}[{i}]", self.path);
                let item = Walk {
                    path,
                    found: &mut *self.found,
                };
                if seq.next_element_seed(item)?.is_none() {
                    break;
                }
            }
            Ok(())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                let path = match self.path.as_str() {
                    "" => key.clone(),
                    parent => format!("{parent}.{key}"),
                };
                if !seen.insert(key) && !self.found.contains(&path) {
                    self.found.push(path.clone());
                }
                map.next_value_seed(Walk {
                    path,
                    found: &mut *self.found,
                })?;
            }
            Ok(())
        }
    }
    impl<'de> DeserializeSeed<'de> for Walk<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }

    let mut found = Vec::new();
    let walk = Walk {
        path: String::new(),
        found: &mut found,
    };
    // The text already parsed as JSON, so this walk cannot fail half-way.
    let _ = walk.deserialize(&mut serde_json::Deserializer::from_str(text));
    found
}

struct Validator<'p> {
    problems: &'p mut Vec<PolicyProblem>,
}

impl Validator<'_> {
    fn err(&mut self, key: &str, code: ProblemCode, m: Msg) {
        self.problems.push(problem(key, code, m));
    }

    fn warn(&mut self, key: &str, code: ProblemCode, m: Msg) {
        self.problems.push(PolicyProblem {
            severity: Severity::Warning,
            ..problem(key, code, m)
        });
    }

    /// A `wrong_type` error: "expected …, got <type>" in both languages.
    fn wrong_type(&mut self, key: &str, expected_en: &str, expected_vi: &str, got: &Value) {
        let (en, vi) = type_name(got);
        self.err(
            key,
            ProblemCode::WrongType,
            Msg::new(
                format!("expected {expected_en}, got {en}"),
                format!("cần {expected_vi}, nhưng nhận được {vi}"),
            ),
        );
    }

    fn unknown(&mut self, key: &str) {
        let known = KNOWN_KEYS.iter().find(|k| k.eq_ignore_ascii_case(key));
        let hint_en = known
            .map(|k| format!("; did you mean {k:?}?"))
            .unwrap_or_default();
        let hint_vi = known
            .map(|k| format!("; có phải ý bạn là {k:?}?"))
            .unwrap_or_default();
        self.warn(
            key,
            ProblemCode::UnknownKey,
            Msg::new(
                format!("{key:?} is not a Cảnh Giác policy key and was ignored{hint_en}"),
                format!(
                    "{key:?} không phải khóa chính sách của Cảnh Giác nên đã bị bỏ qua{hint_vi}"
                ),
            ),
        );
    }

    fn list<'v>(&mut self, key: &str, val: &'v Value) -> Option<&'v Vec<Value>> {
        match val {
            Value::Array(items) if items.len() > MAX_LIST_ENTRIES => {
                let n = items.len();
                self.err(
                    key,
                    ProblemCode::TooManyEntries,
                    Msg::new(
                        format!("{n} entries; at most {MAX_LIST_ENTRIES} fit in a policy (use blocklistFeeds for long lists)"),
                        format!("{n} mục; một chính sách chứa được tối đa {MAX_LIST_ENTRIES} mục (danh sách dài hãy dùng blocklistFeeds)"),
                    ),
                );
                None
            }
            Value::Array(items) => Some(items),
            other => {
                self.wrong_type(key, "a list of strings", "một danh sách chuỗi", other);
                None
            }
        }
    }

    fn domain_list(&mut self, key: &str, val: &Value) -> Vec<String> {
        self.names(key, val, normalize_domain_both)
    }

    /// A list of names, each checked by `normalize`; duplicates are warned about and dropped.
    fn names(
        &mut self,
        key: &str,
        val: &Value,
        normalize: fn(&str) -> Result<String, Msg>,
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        for (i, item) in self.list(key, val).into_iter().flatten().enumerate() {
            let k = format!("{key}[{i}]");
            match item {
                Value::String(s) => match normalize(s) {
                    Ok(d) if seen.contains(&d) => {
                        self.warn(
                            &k,
                            ProblemCode::Duplicate,
                            Msg::new(
                                format!("{d:?} is listed twice"),
                                format!("{d:?} được liệt kê hai lần"),
                            ),
                        );
                    }
                    Ok(d) => {
                        seen.insert(d.clone());
                        out.push(d);
                    }
                    Err(m) => self.err(&k, ProblemCode::InvalidDomain, m),
                },
                other => self.wrong_type(&k, "a domain string", "một tên miền dạng chuỗi", other),
            }
        }
        out
    }

    /// Domains or IP addresses (block lists carry both), each IP in its canonical spelling.
    fn host_set(&mut self, key: &str, val: &Value) -> DomainSet {
        let mut set = DomainSet::default();
        for d in self.names(key, val, normalize_host_both) {
            set.insert(&d);
        }
        set
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
                self.wrong_type(&k, "a URL string", "một địa chỉ URL dạng chuỗi", item);
                continue;
            };
            match Url::parse(s.trim()) {
                Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
                    out.push(prefix_key(&u));
                }
                Ok(_) => self.err(
                    &k,
                    ProblemCode::InvalidUrl,
                    Msg::new(
                        format!("{s:?} must be an http or https address"),
                        format!("{s:?} phải là một địa chỉ http hoặc https"),
                    ),
                ),
                Err(e) => self.err(&k, ProblemCode::InvalidUrl, invalid_url(s, e)),
            }
        }
        let max = url_prefix::prefixes_with_rules(&out);
        if out.len() > max {
            // Accepted: the engine stops every one of them; only the first ones stop before loading.
            self.warn(
                key,
                ProblemCode::OverBrowserRules,
                Msg::new(
                    format!("{} prefixes; the browser blocks the first {max} before they load, the rest are stopped as they load (use blockedDomains or blocklistFeeds for long lists)", out.len()),
                    format!("{} địa chỉ; trình duyệt chặn {max} địa chỉ đầu trước khi tải, số còn lại bị dừng khi đang tải (danh sách dài hãy dùng blockedDomains hoặc blocklistFeeds)", out.len()),
                ),
            );
        }
        out
    }

    fn boolean(&mut self, key: &str, val: &Value, slot: &mut bool) {
        match val {
            Value::Bool(b) => *slot = *b,
            other => self.wrong_type(key, "true or false", "true hoặc false", other),
        }
    }

    fn minutes(&mut self, key: &str, val: &Value, min: u32, max: u32, slot: &mut u32) {
        match val.as_u64() {
            Some(n) if n >= u64::from(min) && n <= u64::from(max) => *slot = n as u32,
            Some(n) => self.err(
                key,
                ProblemCode::OutOfRange,
                Msg::new(
                    format!("{n} is out of range; expected {min} to {max} minutes"),
                    format!("{n} nằm ngoài giới hạn; cần từ {min} đến {max} phút"),
                ),
            ),
            None => self.wrong_type(
                key,
                &format!("a whole number of minutes ({min} to {max})"),
                &format!("một số phút nguyên (từ {min} đến {max})"),
                val,
            ),
        }
    }

    fn https_url(&mut self, key: &str, val: &Value) -> Option<String> {
        let Value::String(s) = val else {
            self.wrong_type(
                key,
                "an https:// URL string",
                "một địa chỉ https:// dạng chuỗi",
                val,
            );
            return None;
        };
        match Url::parse(s.trim()) {
            Ok(u) if u.scheme() == "https" && u.host().is_some() => Some(u.to_string()),
            Ok(_) => {
                self.err(
                    key,
                    ProblemCode::NotHttps,
                    Msg::new(
                        format!("{s:?} must start with https:// so reports travel encrypted"),
                        format!(
                            "{s:?} phải bắt đầu bằng https:// để dữ liệu được gửi đi có mã hóa"
                        ),
                    ),
                );
                None
            }
            Err(e) => {
                self.err(key, ProblemCode::InvalidUrl, invalid_url(s, e));
                None
            }
        }
    }

    /// `val` as a JSON object, or a `wrong_type` problem naming the `fields` it should have.
    fn object<'v>(
        &mut self,
        key: &str,
        val: &'v Value,
        fields: &str,
    ) -> Option<&'v serde_json::Map<String, Value>> {
        if let Value::Object(obj) = val {
            return Some(obj);
        }
        let (en, vi) = type_name(val);
        self.err(
            key,
            ProblemCode::WrongType,
            Msg::new(
                format!("expected an object with {fields}; got {en}"),
                format!("cần một đối tượng có {fields}; nhưng nhận được {vi}"),
            ),
        );
        None
    }

    fn contact(&mut self, key: &str, val: &Value) -> Contact {
        let mut c = Contact::default();
        let Some(obj) = self.object(key, val, "name, phone, email") else {
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
                        ProblemCode::UnknownKey,
                        Msg::new(
                            format!(
                                "{field:?} is not a field of reportContact (name, phone, email)"
                            ),
                            format!(
                                "{field:?} không phải trường của reportContact (name, phone, email)"
                            ),
                        ),
                    );
                    continue;
                }
            };
            match v {
                Value::String(s) if !s.trim().is_empty() => {
                    let s = s.trim();
                    let (ok, what_vi) = match field.as_str() {
                        "phone" => (looks_like_phone(s), "số điện thoại"),
                        "email" => (
                            s.split_once('@')
                                .is_some_and(|(a, b)| !a.is_empty() && b.contains('.')),
                            "địa chỉ email",
                        ),
                        _ => (true, "tên"),
                    };
                    if ok {
                        *slot = Some(s.to_string());
                    } else {
                        self.err(
                            &k,
                            ProblemCode::InvalidValue,
                            Msg::new(
                                format!("{s:?} does not look like a {field}"),
                                format!("{s:?} không giống một {what_vi}"),
                            ),
                        );
                    }
                }
                other => self.wrong_type(&k, "a non-empty string", "một chuỗi không rỗng", other),
            }
        }
        c
    }

    /// `policeContact`: `{name, phone, url}`, a name and at least a phone or a site, or it would
    /// replace the nationwide default with something nobody can reach.
    fn police_contact(&mut self, key: &str, val: &Value) -> PoliceContact {
        let mut c = PoliceContact::default();
        let Some(obj) = self.object(key, val, "name, phone, url") else {
            return c;
        };
        for (field, v) in obj {
            let k = format!("{key}.{field}");
            match (field.as_str(), v) {
                ("url", _) => c.url = self.https_url(&k, v),
                ("name" | "phone", Value::String(s)) if !s.trim().is_empty() => {
                    let s = s.trim();
                    if field == "phone" && !looks_like_phone(s) {
                        self.err(
                            &k,
                            ProblemCode::InvalidValue,
                            Msg::new(
                                format!("{s:?} does not look like a phone"),
                                format!("{s:?} không giống một số điện thoại"),
                            ),
                        );
                    } else if field == "phone" {
                        c.phone = Some(s.to_string());
                    } else {
                        c.name = Some(s.to_string());
                    }
                }
                ("name" | "phone", other) => {
                    self.wrong_type(&k, "a non-empty string", "một chuỗi không rỗng", other)
                }
                _ => self.warn(
                    &k,
                    ProblemCode::UnknownKey,
                    Msg::new(
                        format!("{field:?} is not a field of policeContact (name, phone, url)"),
                        format!("{field:?} không phải trường của policeContact (name, phone, url)"),
                    ),
                ),
            }
        }
        let incomplete = if c.name.is_none() {
            Some(("name", "a name for the police unit", "tên đơn vị công an"))
        } else if c.phone.is_none() && c.url.is_none() {
            Some((
                "phone",
                "a phone or an https:// url",
                "số điện thoại hoặc địa chỉ https://",
            ))
        } else {
            None
        };
        if let Some((field, en, vi)) = incomplete {
            // Named by the field that is missing; nothing half-set replaces the default.
            self.err(
                &format!("{key}.{field}"),
                ProblemCode::Missing,
                Msg::new(
                    format!("{key} needs {en}; the nationwide police contact stays in use"),
                    format!("{key} cần {vi}; liên hệ công an toàn quốc mặc định vẫn được dùng"),
                ),
            );
            return PoliceContact::default();
        }
        c
    }

    fn feeds(&mut self, key: &str, val: &Value) -> Vec<Feed> {
        let mut out = Vec::new();
        let Value::Array(items) = val else {
            self.wrong_type(
                key,
                "a list of feed objects",
                "một danh sách các nguồn (đối tượng feed)",
                val,
            );
            return out;
        };
        for (i, item) in items.iter().enumerate() {
            let k = format!("{key}[{i}]");
            let Value::Object(obj) = item else {
                self.wrong_type(
                    &k,
                    "{\"url\": …, \"format\": …}",
                    "{\"url\": …, \"format\": …}",
                    item,
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
                    ProblemCode::UnknownKey,
                    Msg::new(
                        format!("{field:?} is not a feed field (url, format, sha256)"),
                        format!("{field:?} không phải trường của nguồn (url, format, sha256)"),
                    ),
                );
            }
        }
        let url = match obj.get("url") {
            Some(v) => self.https_url(&format!("{k}.url"), v),
            None => {
                self.err(
                    &format!("{k}.url"),
                    ProblemCode::Missing,
                    Msg::new("a feed needs a \"url\"", "nguồn cần có \"url\""),
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
                    ProblemCode::InvalidValue,
                    Msg::new(
                        "expected \"domains\", \"hosts\" or \"json\"",
                        "cần \"domains\", \"hosts\" hoặc \"json\"",
                    ),
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
                    ProblemCode::InvalidValue,
                    Msg::new(
                        "expected 64 hexadecimal digits",
                        "cần đúng 64 chữ số thập lục phân",
                    ),
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

    fn checks(&mut self, key: &str, val: &Value) -> Vec<Check> {
        let mut out = Vec::new();
        for (i, item) in self.list(key, val).into_iter().flatten().enumerate() {
            let k = format!("{key}[{i}]");
            match item.as_str().map(|s| (s, Check::parse(s))) {
                Some((_, Some(c))) => out.push(c),
                Some((s, None)) => {
                    let names = CHECK_NAMES.join(", ");
                    self.err(
                        &k,
                        ProblemCode::InvalidValue,
                        Msg::new(
                            format!("{s:?} is not a check; expected one of {names}"),
                            format!(
                                "{s:?} không phải tên một phép kiểm tra; cần một trong: {names}"
                            ),
                        ),
                    );
                }
                None => self.wrong_type(&k, "a check name", "tên một phép kiểm tra", item),
            }
        }
        out
    }

    fn language(&mut self, key: &str, val: &Value, slot: &mut Language) {
        match val.as_str().and_then(Language::parse) {
            Some(l) => *slot = l,
            _ => self.err(
                key,
                ProblemCode::InvalidValue,
                Msg::new(
                    format!("expected \"vi\", \"en\" or \"auto\", got {val}"),
                    format!("cần \"vi\", \"en\" hoặc \"auto\", nhưng nhận được {val}"),
                ),
            ),
        }
    }
}

/// Digits with the usual separators, and at least one digit (so "--" is no phone).
fn looks_like_phone(s: &str) -> bool {
    s.chars().any(|ch| ch.is_ascii_digit())
        && s.chars()
            .all(|ch| ch.is_ascii_digit() || " +.-()".contains(ch))
}

/// An unparsable URL; the parser's own reason stays in English in both (it names the defect).
fn invalid_url(s: &str, e: url::ParseError) -> Msg {
    Msg::new(
        format!("{s:?} is not a valid URL ({e})"),
        format!("{s:?} không phải URL hợp lệ ({e})"),
    )
}

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
        let keys: Vec<_> = problems
            .iter()
            .map(|p| (p.key.as_str(), p.code.as_str()))
            .collect();
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
