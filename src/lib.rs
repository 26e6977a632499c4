//! Cảnh Giác's engine: is this link or download safe, an official store, or a trap — and why.
//!
//! Everything runs on the device; the crate has no I/O. The browser extension uses it through
//! WebAssembly (`src/wasm.rs`), admins through the `canhgiac` command-line tool.
//!
//! # Usage
//! ```
//! use canhgiac::{Engine, Download, Level, Category, Policy};
//!
//! // Built-in rules and the embedded Public Suffix List; constructing costs nothing.
//! let engine = Engine::new();
//! let v = engine.check_url("https://play.google.com/store/apps/details?id=vn.gov.bocongan.vneid");
//! assert_eq!(v.level, Level::Official);
//!
//! let v = engine.check_url("https://tai-app.example/VNeID.apk");
//! assert_eq!((v.level, v.category), (Level::Warn, Category::Sideload));
//!
//! // A download is judged by its final URL, file name and MIME type together.
//! let v = engine.check_download(&Download {
//!     url: "https://files.example/get?id=7".into(),
//!     mime: Some("application/vnd.android.package-archive".into()),
//!     ..Download::default()
//! });
//! assert_eq!(v.category, Category::Sideload);
//!
//! // An admin policy: every valid key applies, every problem names its key.
//! let (policy, problems) = Policy::from_json(r#"{"blockedDomains": ["lua-dao.top"]}"#);
//! assert!(problems.is_empty());
//! let engine = Engine::with_policy(policy);
//! assert_eq!(engine.check_url("https://x.lua-dao.top/").level, Level::Block);
//! ```
//!
//! Verdicts carry stable reason codes (`data/reasons.tsv`); render them with
//! [`Verdict::view`] in Vietnamese or English.

pub mod adminkit;
mod dafsa;
pub mod dnr;
pub mod download;
pub mod facts;
pub mod feeds;
pub mod hosttable;
pub mod lists;
pub mod lookalike;
pub mod personal;
pub mod policy;
pub mod psl;
pub mod redirect;
pub mod report;
pub mod scamwords;
pub mod sideload;
pub mod snapshot;
pub mod social;
pub mod stores;
pub mod tables;
pub mod verdict;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

use std::cell::RefCell;
use std::collections::HashMap;

use serde::Deserialize;
use url::Url;

pub use crate::facts::{Facts, HostKind};
pub use crate::policy::{Policy, PolicyProblem, Severity};
pub use crate::psl::{DomainResolver, EmbeddedList};
pub use crate::snapshot::SnapshotError;
pub use crate::verdict::{
    Category, Lang, Level, Reason, ReasonCode, Verdict, VerdictView, WarningKind,
};

use crate::tables::FileKind;

/// With the `fault-injection` feature (test builds), judging any URL containing this panics.
#[cfg(feature = "fault-injection")]
pub const FAULT_MARKER: &str = "canhgiac-fault-injection";
/// Longest input judged as a URL. Real links stay far below; hostile ones pad the address to push
/// the real host out of sight, and parsing megabytes at every navigation would cost time.
pub const MAX_URL_BYTES: usize = 64 * 1024;
/// Longest host name DNS can carry, written out (RFC 1035). Parsers accept longer ones, which no
/// resolver can look up; every list lookup on them would also cost time quadratic in their length.
const MAX_HOST_BYTES: usize = 253;
/// Longest label DNS can carry (RFC 1035).
const MAX_LABEL_BYTES: usize = 63;
/// How many wrappers (redirectors, `view-source:`, intent fallbacks) are unwrapped before giving up.
pub const MAX_UNWRAP_DEPTH: u8 = 5;
/// How much of a `data:` URL is read to find its MIME type: the header ends at the first comma.
const DATA_HEADER_SCAN: usize = 512;

/// A download to judge. Only `url` is required.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Download {
    /// The URL the download was started from.
    pub url: String,
    /// The URL after redirects, when known.
    #[serde(default)]
    pub final_url: Option<String>,
    /// The file name (a full path is fine).
    #[serde(default)]
    pub filename: Option<String>,
    /// The MIME type the server sent.
    #[serde(default)]
    pub mime: Option<String>,
    /// The page that led to the download.
    #[serde(default)]
    pub referrer: Option<String>,
    /// The raw `Content-Disposition` header, when the caller has it.
    #[serde(default)]
    pub content_disposition: Option<String>,
    /// Pages that led here when the referrer may be missing, newest first: the tab's earlier
    /// pages, then the page that opened the tab (read up to [`download::MAX_TRAIL`]).
    #[serde(default)]
    pub trail: Vec<String>,
}

/// A link found on a page: where it goes and what it shows.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Link {
    /// The `href`, absolute.
    pub href: String,
    /// The text the user sees, when it may name an address.
    #[serde(default)]
    pub text: Option<String>,
}

thread_local! {
    /// Lookalike findings by host while one batch of links is judged ([`Engine::mark_links`]):
    /// a page links the same few hosts again and again, and for a domain the check reads the
    /// host alone. `None` outside a batch, so single checks never see another policy's answers.
    static LOOKALIKE_MEMO: RefCell<Option<HashMap<String, Option<lookalike::LookalikeMatch>>>> =
        const { RefCell::new(None) };
}

/// Keeps [`LOOKALIKE_MEMO`] for the life of one batch, and clears it after (even on a panic).
struct LookalikeMemo;

impl LookalikeMemo {
    fn start() -> LookalikeMemo {
        LOOKALIKE_MEMO.with(|m| {
            if let Ok(mut memo) = m.try_borrow_mut() {
                *memo = Some(HashMap::new());
            }
        });
        LookalikeMemo
    }
}

impl Drop for LookalikeMemo {
    fn drop(&mut self) {
        LOOKALIKE_MEMO.with(|m| {
            if let Ok(mut memo) = m.try_borrow_mut() {
                *memo = None;
            }
        });
    }
}

/// The links worth marking on a page, from [`Engine::mark_links`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkMarks {
    /// `(link index, index into verdicts)` for each link to mark, in input order.
    pub marks: Vec<(u32, u32)>,
    /// The distinct verdicts the marks point at, each `warn` or `block`.
    pub verdicts: Vec<Verdict>,
}

/// What one `href` came to, kept for the rest of a batch.
struct JudgedHref {
    verdict: Verdict,
    /// The registrable domain of the link's own host, once a link's text needs it.
    own: Option<Option<String>>,
    /// Where this verdict sits in [`LinkMarks::verdicts`], once a link has used it unchanged.
    marked: Option<u32>,
}

/// The caches of one batch of links: a page repeats the same addresses and the same texts.
#[derive(Default)]
struct LinkJudge<'a> {
    hrefs: Vec<JudgedHref>,
    by_href: HashMap<&'a str, usize>,
    /// Text -> the registrable domain it shows, if it reads as an address.
    shown: HashMap<&'a str, Option<String>>,
}

impl<'a> LinkJudge<'a> {
    /// The slot of `href`'s verdict, and the trimmed text when it names another domain.
    fn judge(
        &mut self,
        engine: &Engine,
        href: &'a str,
        text: Option<&'a str>,
    ) -> (usize, Option<&'a str>) {
        let hrefs = &mut self.hrefs;
        let slot = *self.by_href.entry(href).or_insert_with(|| {
            hrefs.push(JudgedHref {
                verdict: engine.check_url(href),
                own: None,
                marked: None,
            });
            hrefs.len() - 1
        });
        let Some(text) = text.map(str::trim).filter(|t| t.contains('.')) else {
            return (slot, None);
        };
        let shown = self
            .shown
            .entry(text)
            .or_insert_with(|| engine.shown_domain(text));
        let Some(shown) = shown.as_deref() else {
            return (slot, None);
        };
        let judged = &mut self.hrefs[slot];
        let own = judged
            .own
            .get_or_insert_with(|| engine.url_registrable(href));
        let differs =
            own.as_deref() != Some(shown) && judged.verdict.bypass_scope.as_deref() != Some(shown);
        (slot, differs.then_some(text))
    }
}

/// The engine: built-in rules, an admin policy, a Public Suffix List resolver.
pub struct Engine {
    policy: Policy,
    feeds: Vec<feeds::FeedSet>,
    /// Built-in community lists: (the name a warning gives, the list).
    builtin: Vec<(String, feeds::FeedSet)>,
    resolver: Box<dyn DomainResolver>,
    lookalike: lookalike::Detector,
}

impl Default for Engine {
    fn default() -> Engine {
        Engine::new()
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// An engine with no admin policy and the embedded Public Suffix List.
    pub fn new() -> Engine {
        Engine::with_policy(Policy::default())
    }

    /// An engine applying `policy`.
    pub fn with_policy(policy: Policy) -> Engine {
        // In wasm a panic traps and skips the batch guard's drop: a batch memo left behind by a
        // fault would outlive it. A new engine is what replaces a faulted one, so it clears it.
        LOOKALIKE_MEMO.with(|m| {
            if let Ok(mut memo) = m.try_borrow_mut() {
                *memo = None;
            }
        });
        let lookalike = lookalike::Detector::new(&policy.protected_domains);
        Engine {
            policy,
            feeds: Vec::new(),
            builtin: Vec::new(),
            resolver: Box::new(EmbeddedList),
            lookalike,
        }
    }

    /// Replaces the Public Suffix List resolver (tests, or a list fresher than the embedded one).
    pub fn with_resolver(mut self, resolver: Box<dyn DomainResolver>) -> Engine {
        self.resolver = resolver;
        self
    }

    /// Replaces the policy.
    pub fn set_policy(&mut self, policy: Policy) {
        self.lookalike = lookalike::Detector::new(&policy.protected_domains);
        self.policy = policy;
    }

    /// The policy in force as compact bytes, for [`Engine::restore_policy`] after a restart.
    pub fn policy_snapshot(&self) -> Vec<u8> {
        snapshot::save(&self.policy)
    }

    /// Puts back a policy saved with [`Engine::policy_snapshot`] by this engine version, without
    /// parsing or validating JSON again. On error the policy in force is unchanged.
    pub fn restore_policy(&mut self, bytes: &[u8]) -> Result<(), SnapshotError> {
        self.set_policy(snapshot::restore(bytes)?);
        Ok(())
    }

    /// The policy in force.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Replaces the blocklist feeds (parsed with [`feeds::FeedSet::parse`] or restored from bytes).
    pub fn set_feeds(&mut self, feeds: Vec<feeds::FeedSet>) {
        self.feeds = feeds;
    }

    /// Replaces the built-in community lists, each with the name its warnings give (`hostsVN`).
    /// They are used while the policy's `builtInLists` is on.
    pub fn set_builtin_lists(&mut self, lists: Vec<(String, feeds::FeedSet)>) {
        self.builtin = lists;
    }

    /// The built-in community lists loaded: (name, entries).
    pub fn builtin_lists(&self) -> Vec<(&str, usize)> {
        self.builtin
            .iter()
            .map(|(n, s)| (n.as_str(), s.len()))
            .collect()
    }

    /// Judges one URL as typed, clicked or navigated to. Never panics; bad input is `invalid`.
    pub fn check_url(&self, input: &str) -> Verdict {
        self.finish(self.judge(input, 0))
    }

    /// The verdict for a URL whose check failed (the engine faulted on it): a warning, so that an
    /// input crafted to crash a check never passes unchecked. The host is read with plain string
    /// splits, not the URL parser that may have been the part that failed.
    pub fn unchecked(&self, input: &str) -> Verdict {
        let mut v = Verdict::simple(
            Level::Warn,
            Category::Invalid,
            Reason::bare(ReasonCode::CheckFailed),
        );
        let host = plain_host(input);
        if self.policy.allow_bypass && host.is_some() {
            v.bypass_minutes = self.policy.bypass_minutes;
            v.bypass_scope.clone_from(&host);
        }
        v.host.clone_from(&host);
        v.host_ascii = host;
        v
    }

    /// Judges many URLs; one bad entry never affects the others.
    pub fn check_batch<S: AsRef<str>>(&self, inputs: &[S]) -> Vec<Verdict> {
        inputs.iter().map(|s| self.check_url(s.as_ref())).collect()
    }

    /// Judges the links of a page in one call. Repeated `href`s are judged once; a link whose
    /// text shows one domain while it leads to another is a lookalike in itself.
    pub fn check_links(&self, links: &[Link]) -> Vec<Verdict> {
        let _memo = LookalikeMemo::start();
        let mut judge = LinkJudge::default();
        links
            .iter()
            .map(|link| {
                let (base, mismatch) = judge.judge(self, &link.href, link.text.as_deref());
                let mut v = judge.hrefs[base].verdict.clone();
                if let Some(text) = mismatch {
                    self.mismatch(&mut v, text);
                }
                v
            })
            .collect()
    }

    /// Only the links of a page worth marking (`warn` or `block`), from `(href, text)` pairs:
    /// the same findings as [`Engine::check_links`], with each distinct verdict made once and
    /// shared by every link that has it. A page of thousands of links has a few dozen.
    pub fn mark_links<'a, I>(&self, links: I) -> LinkMarks
    where
        I: IntoIterator<Item = (&'a str, Option<&'a str>)>,
    {
        let _memo = LookalikeMemo::start();
        let mut judge = LinkJudge::default();
        let mut out = LinkMarks::default();
        // (href slot, shown text) -> index in `out.verdicts`, for links whose text mismatches.
        let mut mismatched: HashMap<(usize, &'a str), u32> = HashMap::new();
        for (index, (href, text)) in links.into_iter().enumerate() {
            // No address is not a link (a packed batch's trailing line break): never a mark.
            if href.trim().is_empty() {
                continue;
            }
            let (base, mismatch) = judge.judge(self, href, text);
            let slot = match mismatch {
                None if judge.hrefs[base].verdict.level < Level::Warn => continue,
                None => {
                    let judged = &mut judge.hrefs[base];
                    *judged.marked.get_or_insert_with(|| {
                        out.verdicts.push(judged.verdict.clone());
                        out.verdicts.len() as u32 - 1
                    })
                }
                Some(text) => *mismatched.entry((base, text)).or_insert_with(|| {
                    let mut v = judge.hrefs[base].verdict.clone();
                    self.mismatch(&mut v, text);
                    out.verdicts.push(v);
                    out.verdicts.len() as u32 - 1
                }),
            };
            out.marks.push((index as u32, slot));
        }
        out
    }

    /// The lookalike check, answered from the batch's memo for a domain already seen.
    fn lookalike_check(&self, f: &Facts<'_>) -> Option<lookalike::LookalikeMatch> {
        if f.kind != HostKind::Domain {
            return self.lookalike.check(f);
        }
        // No borrow is held while the check runs: wasm does not unwind, so a trap inside it would
        // leave the memo borrowed for good and every later check would trap on it. A memo left
        // borrowed that way is passed by, not used.
        LOOKALIKE_MEMO.with(|memo| {
            let seen = match memo.try_borrow().as_deref() {
                Ok(Some(batch)) => batch.get(f.host).cloned(),
                _ => return self.lookalike.check(f),
            };
            if let Some(hit) = seen {
                return hit;
            }
            let hit = self.lookalike.check(f);
            if let Ok(Some(batch)) = memo.try_borrow_mut().as_deref_mut() {
                batch.insert(f.host.to_string(), hit.clone());
            }
            hit
        })
    }

    /// Adds `link_text_mismatch` for a link whose text (`shown`, trimmed) names another domain.
    fn mismatch(&self, v: &mut Verdict, shown: &str) {
        self.raise(
            v,
            Level::Warn,
            Category::Lookalike,
            Reason::new(ReasonCode::LinkTextMismatch, shown),
        );
    }

    /// The registrable domain a link's text shows, if the text reads as an address
    /// (`vneid.gov.vn`, `https://bit.ly/x`) rather than words.
    fn shown_domain(&self, text: &str) -> Option<String> {
        let t = text.trim();
        let t = ["https://", "http://"]
            .iter()
            .find_map(|p| {
                t.get(..p.len())
                    .filter(|h| h.eq_ignore_ascii_case(p))
                    .map(|_| &t[p.len()..])
            })
            .unwrap_or(t);
        let host = t.split(['/', '?', '#']).next().unwrap_or_default();
        if host.is_empty()
            || !host.contains('.')
            || host.contains(char::is_whitespace)
            || host.contains('@')
        {
            return None;
        }
        let url::Host::Domain(d) = url::Host::parse(host).ok()? else {
            return None;
        };
        let parts = psl::parts(self.resolver.as_ref(), &d)?;
        // Only a listed suffix makes text an address: "VNeID.apk" or "v1.2" are not.
        parts
            .info
            .listed
            .then(|| parts.registrable.map(str::to_string))
            .flatten()
    }

    /// The registrable domain of an absolute URL's own host.
    fn url_registrable(&self, url: &str) -> Option<String> {
        let u = Url::parse(url).ok()?;
        let host = u.host_str()?;
        psl::registrable_domain(self.resolver.as_ref(), host).map(str::to_string)
    }

    /// Adds a finding to a finished verdict, raising its level and category when it is worse.
    fn raise(&self, v: &mut Verdict, level: Level, category: Category, reason: Reason) {
        if level > v.level {
            v.level = level;
            v.category = category;
            v.reasons.insert(0, reason);
            if level >= Level::Warn && self.policy.allow_bypass && v.category != Category::Listed {
                v.bypass_minutes = self.policy.bypass_minutes;
            }
        } else {
            v.reasons.push(reason);
        }
    }

    /// Judges a download by its final URL, file name, MIME type and `Content-Disposition`.
    pub fn check_download(&self, d: &Download) -> Verdict {
        let judged = d
            .final_url
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or(&d.url);
        let mut j = self.judge(judged, 0);
        if judged != d.url {
            // The first URL matters too: a lookalike that redirects to a clean file host.
            let first = self.judge(&d.url, 0);
            j.findings
                .extend(first.findings.into_iter().filter(|f| f.0 >= Level::Warn));
            if first.source.hostile && !j.source.hostile {
                // A hostile first hop (an IP, a lookalike) makes the whole chain hostile: the
                // sideloads found on the final URL are graded again.
                j.source.hostile = true;
                for f in j.findings.iter_mut().filter(|f| f.1 == Category::Sideload) {
                    f.0 = Level::Block;
                }
            }
        }
        j.source.chat |= download::came_from_chat(d);

        let name = d
            .filename
            .as_deref()
            .map(sideload::base_name)
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .or_else(|| {
                d.content_disposition
                    .as_deref()
                    .and_then(sideload::content_disposition_name)
            });
        if let Some(name) = name {
            let lower = name.to_lowercase();
            if let Some(f) = sideload::classify_name(&lower, false) {
                let code = if f.kind == FileKind::Executable {
                    ReasonCode::ExecutableFile
                } else {
                    ReasonCode::AppPackageFile
                };
                self.sideload(&mut j, f.kind, f.disguised, Reason::new(code, name.clone()));
            }
        }
        if let Some(mime) = d.mime.as_deref() {
            if let Some(kind) = sideload::mime_kind(mime) {
                self.sideload(
                    &mut j,
                    kind,
                    false,
                    Reason::new(ReasonCode::AppPackageMime, mime.trim()),
                );
            }
        }
        self.finish(j)
    }

    /// Whether `now` is the file a warning about `warned` named (see [`download::same_file`]).
    pub fn same_download(&self, warned: &Download, now: &Download) -> bool {
        download::same_file(warned, now)
    }

    /// The registrable domain of a host written in any form a URL accepts (IDN, upper case,
    /// trailing dot), in the form given (Unicode for a Unicode host, else ASCII); `Ok(None)` for
    /// IPs and bare suffixes, `Err` for a malformed host.
    pub fn registrable_domain(&self, host: &str) -> Result<Option<String>, url::ParseError> {
        let given = host.trim();
        match url::Host::parse(given)? {
            url::Host::Domain(d) => {
                let d = d.strip_suffix('.').unwrap_or(&d);
                let Some(ascii) = psl::registrable_domain(self.resolver.as_ref(), d) else {
                    return Ok(None);
                };
                // The answer comes in the form given, as the PSL's own tests expect: Unicode in,
                // Unicode out (save labels a browser would show as punycode); ASCII in, ASCII out.
                Ok(Some(if given.is_ascii() {
                    ascii.to_string()
                } else {
                    facts::to_display(ascii).into_owned()
                }))
            }
            _ => Ok(None),
        }
    }

    fn judge(&self, input: &str, depth: u8) -> Judgement {
        // Test builds only: any check of a marker URL (a navigation, a download, a report's)
        // panics, which traps in wasm, for the end-to-end test of the worker's recovery. The
        // shipped engine is built without this feature.
        #[cfg(feature = "fault-injection")]
        if input.contains(FAULT_MARKER) {
            panic!("fault injected for the test: {input}");
        }
        // Browsers strip leading and trailing C0 controls and spaces before parsing.
        let input = input.trim_matches(|c: char| c <= ' ');
        if input.is_empty() {
            return Judgement::invalid(Reason::bare(ReasonCode::EmptyUrl));
        }
        if input
            .get(..5)
            .is_some_and(|s| s.eq_ignore_ascii_case("data:"))
        {
            return self.judge_data(input);
        }
        if input.len() > MAX_URL_BYTES {
            let kib = input.len() / 1024;
            return Judgement::invalid(Reason::new(ReasonCode::UrlTooLong, format!("{kib} KiB")));
        }
        let url = match Url::parse(input) {
            Ok(u) => u,
            Err(e) => {
                return Judgement::invalid(Reason::new(ReasonCode::InvalidUrl, e.to_string()))
            }
        };
        match url.scheme() {
            "http" | "https" | "ws" | "wss" | "ftp" => self.judge_web(&url, depth),
            "blob" => match Url::parse(url.path()) {
                Ok(inner) if inner.host().is_some() => self.judge_inner(&inner, depth),
                _ => Judgement::default(),
            },
            "view-source" => match depth < MAX_UNWRAP_DEPTH {
                true => self.judge_wrapped(&input[input.find(':').map_or(0, |i| i + 1)..], depth),
                false => Judgement::too_deep(),
            },
            "javascript" if !self.policy.is_disabled("unsafe_scheme") => Judgement::one(
                Level::Warn,
                Category::UnsafeScheme,
                Reason::bare(ReasonCode::JavascriptUrl),
            ),
            "file" => self.judge_file(&url),
            "market" | "itms-apps" | "itms-appss" => {
                let store = stores::deep_link(&url).unwrap_or_default();
                Judgement::one(
                    Level::Official,
                    Category::OfficialStore,
                    Reason::new(ReasonCode::OfficialStoreLink, store),
                )
            }
            "itms-services" => self.judge_ios_install(&url, depth),
            // Opens a TestFlight invitation straight in the TestFlight app.
            "itms-beta" => {
                let mut j = Judgement::default();
                let reason = Reason::bare(ReasonCode::TestflightInvite);
                self.sideload(&mut j, FileKind::AppPackage, false, reason);
                j
            }
            "intent" => self.judge_intent(&url, depth),
            _ => match social::app_scheme(&url) {
                Some(r) if !self.policy.is_disabled("social_invite") => {
                    Judgement::one(Level::Info, Category::SocialInvite, r)
                }
                _ => Judgement::default(),
            },
        }
    }

    /// Judges a URL found inside another (fallback, wrapper target) as its own input.
    fn judge_wrapped(&self, inner: &str, depth: u8) -> Judgement {
        let mut j = self.judge(inner, depth + 1);
        if j.judged_url.is_none() {
            j.judged_url = Some(inner.to_string());
        }
        j
    }

    fn judge_inner(&self, inner: &Url, depth: u8) -> Judgement {
        let mut j = self.judge_web(inner, depth + 1);
        j.judged_url.get_or_insert_with(|| inner.to_string());
        j
    }

    fn judge_data(&self, input: &str) -> Judgement {
        // The scan stops at a character boundary: a multi-byte character may straddle the limit.
        let mut end = input.len().min(DATA_HEADER_SCAN);
        while !input.is_char_boundary(end) {
            end -= 1;
        }
        let head = &input[5..end];
        let header = head.split(',').next().unwrap_or_default();
        let mime =
            percent_encoding::percent_decode_str(header.split(';').next().unwrap_or_default())
                .decode_utf8_lossy()
                .trim()
                .to_ascii_lowercase();
        if let Some(kind) = sideload::mime_kind(&mime) {
            if !self.policy.is_disabled("sideload") {
                let level = if kind == FileKind::Executable {
                    Level::Warn
                } else {
                    Level::Block
                };
                return Judgement::one(
                    level,
                    Category::Sideload,
                    Reason::bare(ReasonCode::DataUrlPackage),
                );
            }
        }
        match mime.as_str() {
            "text/html"
            | "application/xhtml+xml"
            | "image/svg+xml"
            | "text/xml"
            | "application/xml"
                if !self.policy.is_disabled("unsafe_scheme") =>
            {
                Judgement::one(
                    Level::Warn,
                    Category::UnsafeScheme,
                    Reason::bare(ReasonCode::DataUrlDocument),
                )
            }
            _ => Judgement::default(),
        }
    }

    fn judge_file(&self, url: &Url) -> Judgement {
        let path = facts::decode_lower(url.path());
        let name = path.rsplit('/').next().unwrap_or_default();
        let mut j = Judgement::default();
        if let Some(f) = sideload::classify_name(name, false) {
            let code = if f.kind == FileKind::Executable {
                ReasonCode::ExecutableFile
            } else {
                ReasonCode::AppPackageFile
            };
            self.sideload(&mut j, f.kind, f.disguised, Reason::new(code, name));
        }
        if j.findings.is_empty() && !self.policy.is_disabled("unsafe_scheme") {
            j.push(
                Level::Info,
                Category::UnsafeScheme,
                Reason::bare(ReasonCode::FileUrl),
            );
        }
        j
    }

    fn judge_ios_install(&self, url: &Url, depth: u8) -> Judgement {
        // itms-services://?action=download-manifest&url=https://host/manifest.plist
        let manifest = url
            .query_pairs()
            .find(|(k, _)| k == "url")
            .map(|(_, v)| v.into_owned());
        let mut j = match manifest.as_deref().map(Url::parse) {
            Some(Ok(m)) if depth < MAX_UNWRAP_DEPTH => {
                let mut inner = self.judge_web(&m, depth + 1);
                inner.judged_url = Some(m.to_string());
                inner
            }
            _ => Judgement::default(),
        };
        self.sideload(
            &mut j,
            FileKind::AppPackage,
            false,
            Reason::bare(ReasonCode::IosEnterpriseInstall),
        );
        j
    }

    fn judge_intent(&self, url: &Url, depth: u8) -> Judgement {
        let intent = stores::Intent::parse(url);
        if let Some(fallback) = intent.fallback.as_deref() {
            if depth >= MAX_UNWRAP_DEPTH {
                return Judgement::too_deep();
            }
            let mut j = self.judge_wrapped(fallback, depth);
            if j.findings.iter().any(|f| f.1 == Category::Sideload) {
                let name = fallback.rsplit('/').next().unwrap_or(fallback).to_string();
                j.push(
                    Level::Warn,
                    Category::Sideload,
                    Reason::new(ReasonCode::IntentFallbackPackage, name),
                );
                return j;
            }
            if !intent.opens_play() {
                return j;
            }
        }
        if intent.opens_play() {
            return Judgement::one(
                Level::Official,
                Category::OfficialStore,
                Reason::new(ReasonCode::OfficialStoreLink, "Google Play (CH Play)"),
            );
        }
        Judgement::default()
    }

    fn judge_web(&self, url: &Url, depth: u8) -> Judgement {
        if let Some(reason) = oversized_host(url) {
            return Judgement::invalid(reason);
        }
        let f = Facts::new(url, self.resolver.as_ref());
        let mut j = Judgement::for_host(&f);
        if f.host.is_empty() {
            return Judgement::invalid(Reason::new(ReasonCode::InvalidUrl, "no host"));
        }

        // Admin lists come first and override everything, official stores included.
        if let Some(reason) = self.listed(url, &f) {
            j.push(Level::Block, Category::Listed, reason);
            j.source.listed = true;
            return j;
        }
        if let Some(reason) = self.store(&f) {
            j.push(Level::Official, Category::OfficialStore, reason);
            j.source.allowed_download = true;
            return j;
        }
        j.source.allowed_download = self.policy.allowed_download_hosts.find(f.host).is_some();
        j.source.chat = f.list_flags & tables::CHAT_SITE != 0;

        // The admin's exemption covers the community lists and every heuristic below, never the
        // admin's own lists (judged above).
        if let Some(hit) = self.policy.exempt_domains.find(f.host) {
            j.push(
                Level::Allow,
                Category::None,
                Reason::new(ReasonCode::AdminExempt, facts::to_display(hit)),
            );
            return j;
        }
        if let Some(reason) = self.community_listed(url, &f) {
            // Community lists can be wrong: a warning the user may pass when policy allows.
            j.push(Level::Warn, Category::Listed, reason);
            j.source.hostile = true;
        }

        if !url.username().is_empty() || url.password().is_some() {
            let user = facts::decode_lower(url.username());
            // Only a user part that reads like a site name is a deception; plain logins are not.
            if user.contains('.') && !self.policy.is_disabled("lookalike") {
                j.push(
                    Level::Warn,
                    Category::Lookalike,
                    Reason::new(ReasonCode::UserinfoDeception, user),
                );
                j.source.hostile = true;
            }
        }

        if !self.policy.is_disabled("lookalike") {
            if let Some(m) = self.lookalike_check(&f) {
                j.push(m.level, Category::Lookalike, m.reason);
                j.imitates = Some(m.imitates);
                j.source.hostile = true;
            } else if let Some(store) = stores::imitated_store_path(&f) {
                j.push(
                    Level::Warn,
                    Category::Lookalike,
                    Reason::new(ReasonCode::StorePathImitation, store),
                );
                j.source.hostile = true;
            }
        }
        // Real services publish apps under a name; an app served from a bare IP is a trap.
        if f.is_ip() {
            j.source.hostile = true;
        }

        if !self.policy.is_disabled("sideload") {
            if let Some(file) = sideload::in_path(&f) {
                let code = match file.kind {
                    FileKind::IosProfile => ReasonCode::IosProfile,
                    FileKind::Executable => ReasonCode::ExecutableFile,
                    _ => ReasonCode::AppPackageInPath,
                };
                let shown = f
                    .url
                    .path()
                    .rsplit('/')
                    .find(|s| !s.is_empty())
                    .unwrap_or_default();
                let shown = percent_encoding::percent_decode_str(shown)
                    .decode_utf8_lossy()
                    .into_owned();
                self.sideload(&mut j, file.kind, file.disguised, Reason::new(code, shown));
            }
            if sideload::is_apk_site(&f) {
                let site = f.registrable_display().unwrap_or_default().into_owned();
                self.sideload(
                    &mut j,
                    FileKind::AppPackage,
                    false,
                    Reason::new(ReasonCode::ApkSite, site),
                );
            }
            if sideload::is_testflight_invite(&f) {
                self.sideload(
                    &mut j,
                    FileKind::AppPackage,
                    false,
                    Reason::bare(ReasonCode::TestflightInvite),
                );
            }
        }

        // Scam words are the weakest finding: judged last, so a download found on the same host
        // stays the verdict's category; they only warn, and do not make the host hostile.
        if !self.policy.is_disabled("lookalike")
            && !j.findings.iter().any(|x| x.1 == Category::Lookalike)
            && !self.lookalike.is_protected(&f)
        {
            if let Some(words) = scamwords::check(&f) {
                j.push(
                    Level::Warn,
                    Category::Lookalike,
                    Reason::new(ReasonCode::ScamVocabulary, words.join(", ")),
                );
            }
        }

        if !self.policy.is_disabled("social_invite") {
            if let Some(r) = social::invite(&f) {
                j.push(Level::Info, Category::SocialInvite, r);
            }
        }
        if !self.policy.is_disabled("shortener") && redirect::is_shortener(&f) {
            j.push(
                Level::Info,
                Category::Shortener,
                Reason::new(ReasonCode::Shortener, f.host_display()),
            );
        }

        if !self.policy.is_disabled("redirect") {
            self.judge_redirects(&f, &mut j, depth);
        }
        j
    }

    /// Why the URL is on an admin list (a URL prefix, a domain, a feed), if it is.
    fn listed(&self, url: &Url, f: &Facts<'_>) -> Option<Reason> {
        if self.policy.blocked_url_match(url).is_some() {
            return Some(Reason::bare(ReasonCode::ListedUrl));
        }
        if let Some(hit) = self.policy.blocked_domains.find(f.host) {
            return Some(Reason::new(
                ReasonCode::ListedDomain,
                facts::to_display(hit),
            ));
        }
        if let Some(hit) = self.feeds.iter().find_map(|feed| feed.find(f.host)) {
            return Some(Reason::new(ReasonCode::ListedFeed, facts::to_display(hit)));
        }
        let hit = self.feeds.iter().find_map(|feed| feed.find_url(url))?;
        Some(Reason::new(ReasonCode::ListedFeed, hit))
    }

    /// The built-in community list naming this URL's host or page, if one does and they are on.
    fn community_listed(&self, url: &Url, f: &Facts<'_>) -> Option<Reason> {
        if !self.policy.builtin_lists {
            return None;
        }
        let (name, _) = self
            .builtin
            .iter()
            .find(|(_, set)| set.find(f.host).is_some() || set.find_url(url).is_some())?;
        Some(Reason::new(ReasonCode::CommunityListed, name.clone()))
    }

    /// Why the host is an official or admin-allowed store, if it is.
    fn store(&self, f: &Facts<'_>) -> Option<Reason> {
        if let Some(name) = stores::official_host(f) {
            return Some(Reason::new(ReasonCode::OfficialStore, name));
        }
        let hit = self.policy.allowed_stores.find(f.host)?;
        Some(Reason::new(
            ReasonCode::AdminAllowedStore,
            facts::to_display(hit),
        ))
    }

    /// Unwraps link wrappers and looks at links carried in query values.
    fn judge_redirects(&self, f: &Facts<'_>, j: &mut Judgement, depth: u8) {
        if let Some(target) = redirect::unwrap(f) {
            if depth >= MAX_UNWRAP_DEPTH {
                j.push(
                    Level::Warn,
                    Category::Invalid,
                    Reason::bare(ReasonCode::RedirectTooDeep),
                );
                return;
            }
            // The destination is what the user will see: it becomes the judged URL.
            let inner = self.judge_wrapped(&target, depth);
            let wrapper = f.host_display().into_owned();
            j.adopt(inner);
            j.push(
                Level::Allow,
                Category::None,
                Reason::new(ReasonCode::RedirectTarget, wrapper),
            );
            return;
        }
        for link in redirect::embedded_links(f.url) {
            if depth >= MAX_UNWRAP_DEPTH {
                break;
            }
            let inner = self.judge(&link, depth + 1);
            let worst = inner
                .findings
                .iter()
                .map(|x| x.0)
                .max()
                .unwrap_or(Level::Allow);
            if worst >= Level::Warn {
                let category = inner
                    .findings
                    .iter()
                    .find(|x| x.0 == worst)
                    .map_or(Category::None, |x| x.1);
                let shown = Url::parse(&link)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_string))
                    .unwrap_or_default();
                j.push(
                    Level::Warn,
                    category,
                    Reason::new(ReasonCode::EmbeddedUrl, shown),
                );
                j.findings.extend(
                    inner
                        .findings
                        .into_iter()
                        .filter(|x| x.0 >= Level::Warn)
                        .map(|mut x| {
                            x.0 = x.0.min(Level::Warn);
                            x
                        }),
                );
                break;
            }
        }
    }

    /// Records a sideload finding at the level its source deserves.
    fn sideload(&self, j: &mut Judgement, kind: FileKind, disguised: bool, reason: Reason) {
        if self.policy.is_disabled("sideload") {
            return;
        }
        if j.source.allowed_download {
            let host = j.host.clone().unwrap_or_default();
            j.push(
                Level::Allow,
                Category::None,
                Reason::new(ReasonCode::AdminAllowedDownload, host),
            );
            return;
        }
        let level = match kind {
            _ if j.source.hostile || j.source.listed => Level::Block,
            FileKind::Executable if disguised || j.source.chat => Level::Warn,
            // A program from an ordinary site is what people download every day: note it only.
            FileKind::Executable => Level::Info,
            _ => Level::Warn,
        };
        if disguised {
            let name = reason.detail.clone().unwrap_or_default();
            j.push(
                level,
                Category::Sideload,
                Reason::new(ReasonCode::DoubleExtension, name),
            );
        }
        j.push(level, Category::Sideload, reason);
    }

    fn finish(&self, j: Judgement) -> Verdict {
        let level = j.findings.iter().map(|f| f.0).max().unwrap_or(Level::Allow);
        let category = j
            .findings
            .iter()
            .find(|f| f.0 == level)
            .map_or(Category::None, |f| f.1);
        // The organisation's own lists leave no way past; a community list alone does.
        let admin_listed = j
            .findings
            .iter()
            .any(|x| x.1 == Category::Listed && x.2.code != ReasonCode::CommunityListed);
        let mut findings = j.findings;
        // Most decisive first; the sort is stable, so equal levels keep the order found.
        findings.sort_by_key(|f| std::cmp::Reverse(f.0));
        let mut reasons: Vec<Reason> = Vec::with_capacity(findings.len());
        for (_, _, r) in findings {
            if !reasons.contains(&r) {
                reasons.push(r);
            }
        }
        let bypass_scope = j.registrable.clone().or_else(|| j.host_ascii.clone());
        let bypass_minutes = match (level, category) {
            (Level::Warn | Level::Block, Category::Listed) if admin_listed => 0,
            (Level::Warn | Level::Block, _) if self.policy.allow_bypass => {
                self.policy.bypass_minutes
            }
            _ => 0,
        };
        Verdict {
            level,
            category: if level == Level::Allow {
                Category::None
            } else {
                category
            },
            reasons,
            host: j.host,
            host_ascii: j.host_ascii,
            registrable_domain: j.registrable_display,
            imitates: j.imitates,
            judged_url: j.judged_url,
            bypass_minutes,
            bypass_scope,
        }
    }
}

/// The host of `scheme://[userinfo@]host[:port]/…`, lower-cased, read with splits only (nothing
/// here can panic); `None` unless it is plain ASCII letters, digits, dots and hyphens.
fn plain_host(input: &str) -> Option<String> {
    let rest = input.trim().split_once("://")?.1;
    let authority = rest.split(['/', '?', '#', '\\']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let plain = (1..=253).contains(&host.len())
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    plain.then_some(host)
}

/// What is known about a URL's source while its findings are collected.
#[derive(Clone, Copy, Debug, Default)]
struct Source {
    /// A lookalike, deceptive or IP-literal host: sideloads from it are blocked.
    hostile: bool,
    /// On an admin list.
    listed: bool,
    /// An official store, an admin-allowed store or download host.
    allowed_download: bool,
    /// A chat, social or file-sharing site.
    chat: bool,
}

/// Findings collected for one URL before they become a [`Verdict`].
#[derive(Debug, Default)]
struct Judgement {
    findings: Vec<(Level, Category, Reason)>,
    host: Option<String>,
    host_ascii: Option<String>,
    registrable: Option<String>,
    registrable_display: Option<String>,
    imitates: Option<String>,
    judged_url: Option<String>,
    source: Source,
}

impl Judgement {
    fn for_host(f: &Facts<'_>) -> Judgement {
        Judgement {
            host: (!f.host.is_empty()).then(|| f.host_display().into_owned()),
            host_ascii: (!f.host.is_empty()).then(|| f.host.to_string()),
            registrable: f.registrable.map(str::to_string),
            registrable_display: f.registrable_display().map(|c| c.into_owned()),
            ..Judgement::default()
        }
    }

    fn one(level: Level, category: Category, reason: Reason) -> Judgement {
        let mut j = Judgement::default();
        j.push(level, category, reason);
        j
    }

    fn invalid(reason: Reason) -> Judgement {
        // Never a silent allow: input the engine cannot read gets a warning.
        Judgement::one(Level::Warn, Category::Invalid, reason)
    }

    fn too_deep() -> Judgement {
        Judgement::one(
            Level::Warn,
            Category::Invalid,
            Reason::bare(ReasonCode::RedirectTooDeep),
        )
    }

    fn push(&mut self, level: Level, category: Category, reason: Reason) {
        self.findings.push((level, category, reason));
    }

    /// Takes over an unwrapped destination's findings and host.
    fn adopt(&mut self, inner: Judgement) {
        self.findings.extend(inner.findings);
        if inner.host.is_some() {
            self.host = inner.host;
            self.host_ascii = inner.host_ascii;
            self.registrable = inner.registrable;
            self.registrable_display = inner.registrable_display;
        }
        self.imitates = self.imitates.take().or(inner.imitates);
        self.judged_url = inner.judged_url;
        self.source.hostile |= inner.source.hostile;
    }
}

/// The reason a URL's host cannot exist in DNS (too long, or a label too long), if it cannot.
fn oversized_host(url: &Url) -> Option<Reason> {
    let host = url.host_str()?;
    // One trailing dot names the root and is not part of the length DNS counts.
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.len() > MAX_HOST_BYTES {
        return Some(Reason::new(
            ReasonCode::HostTooLong,
            format!("{} bytes, over {MAX_HOST_BYTES}", host.len()),
        ));
    }
    let longest = host.split('.').map(str::len).max().unwrap_or(0);
    (longest > MAX_LABEL_BYTES).then(|| {
        Reason::new(
            ReasonCode::HostTooLong,
            format!("a label of {longest} bytes, over {MAX_LABEL_BYTES}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a trap inside a batch leaves behind in wasm: the memo borrowed, with no unwinding to
    /// release it. Checks and batches must go on, with the same answers, without the memo.
    #[test]
    fn a_memo_left_borrowed_by_a_trap_does_not_break_later_checks() {
        let engine = Engine::new();
        let host = "https://vneid-gov.top/dang-nhap";
        let before = engine.check_url(host);
        assert_eq!(before.category, Category::Lookalike, "{before:?}");
        let links = [
            (host, Some("VNeID")),
            ("https://vnexpress.net/", Some("báo")),
        ];
        LOOKALIKE_MEMO.with(|m| {
            *m.borrow_mut() = Some(HashMap::new());
            std::mem::forget(m.borrow_mut());
        });
        let after = engine.check_url(host);
        assert_eq!(after.level, before.level);
        assert_eq!(after.category, before.category);
        let marks = engine.mark_links(links);
        assert_eq!(marks.marks, vec![(0, 0)], "{marks:?}");
        let fresh = Engine::new();
        assert_eq!(fresh.check_url(host).category, Category::Lookalike);
    }
}
