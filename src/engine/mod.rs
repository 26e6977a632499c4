//! The engine: one entry point per kind of input, dispatching to the checks.
//!
//! `mod.rs` holds the dispatch by scheme and what turns findings into a verdict; web pages
//! (`pages.rs`), links on a page (`links.rs`) and downloads (`downloads.rs`) each have their own.

mod downloads;
mod links;
pub mod page_keys;
mod pages;

use url::Url;

use crate::checks::facts::{self, Facts};
use crate::checks::lookalike;
use crate::checks::sideload;
use crate::checks::social;
use crate::checks::stores;
use crate::policy::feeds;
use crate::policy::snapshot::{self, SnapshotError};
use crate::policy::{Check, Language, Policy};
use crate::tables::psl::{self, DomainResolver, EmbeddedList};
use crate::tables::FileKind;
use crate::verdict::{Category, Lang, Level, Reason, ReasonCode, Verdict};
#[cfg(feature = "fault-injection")]
use crate::FAULT_MARKER;
use crate::{DATA_HEADER_SCAN, MAX_UNWRAP_DEPTH, MAX_URL_BYTES};

pub use self::links::{Link, LinkMarks};
pub use crate::checks::download::Download;

/// What one call into the engine carries down through its checks. A batch of links
/// ([`Engine::mark_links`]) keeps lookalike findings by host here: a page links the same few
/// hosts again and again, and for a domain the check reads the host alone. The memo lives and
/// dies with the call that owns it: a trap (wasm does not unwind) leaves nothing behind for the
/// next call. Single checks share the engine's own bounded memo instead ([`LookalikeMemo`]).
#[derive(Debug)]
struct Batch {
    lookalikes: Option<LookalikeMemo>,
}

impl Batch {
    /// One check on its own: nothing is remembered.
    fn single() -> Batch {
        Batch { lookalikes: None }
    }

    /// A batch of links: lookalike findings are remembered by host until it ends.
    fn links() -> Batch {
        Batch {
            lookalikes: Some(LookalikeMemo::default()),
        }
    }
}

/// How many hosts' lookalike findings an engine keeps between single checks: the hosts of the
/// pages being visited and their links; past it the memo starts again, so memory stays bounded.
pub const LOOKALIKE_MEMO_HOSTS: usize = 256;

/// Lookalike findings by host, kept across single checks. For a domain the check reads the host
/// and the policy's protected domains alone, so the memo is emptied whenever the policy changes.
/// The batch memo's map type, so the module carries one copy of the map's code (1.8 KB). Its
/// hosts come from pages, so it is a [`PageMap`](page_keys::PageMap).
type LookalikeMemo = page_keys::PageMap<String, Option<lookalike::LookalikeMatch>>;

/// The engine: built-in rules, an admin policy, a Public Suffix List resolver.
pub struct Engine {
    policy: Policy,
    feeds: Vec<feeds::FeedSet>,
    /// Built-in community lists: (the name a warning gives, the list).
    builtin: Vec<(String, feeds::FeedSet)>,
    resolver: Box<dyn DomainResolver>,
    lookalike: lookalike::Detector,
    /// The browser's language, for a policy that leaves the language to it.
    browser_language: Lang,
    /// See [`LookalikeMemo`]. A `Mutex` only for `try_lock`: a call that finds it taken or
    /// poisoned (a trap, in wasm) checks without it.
    lookalike_memo: std::sync::Mutex<LookalikeMemo>,
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
        let lookalike = lookalike::Detector::new(&policy.protected_domains);
        Engine {
            policy,
            feeds: Vec::new(),
            builtin: Vec::new(),
            resolver: Box::new(EmbeddedList),
            lookalike,
            browser_language: Lang::default(),
            lookalike_memo: Default::default(),
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
        // Findings under the old protected domains no longer hold.
        self.lookalike_memo = Default::default();
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

    /// Tells the engine the browser's interface language (`en-US`, `vi`…), which decides the
    /// language while the policy's `language` is `auto` (see [`Lang::of_browser`]).
    pub fn set_browser_language(&mut self, ui_language: &str) {
        self.browser_language = Lang::of_browser(ui_language);
    }

    /// The language of messages and pages: the policy's when it names one, else the browser's.
    pub fn language(&self) -> Lang {
        match self.policy.language {
            Language::Vi => Lang::Vi,
            Language::En => Lang::En,
            Language::Auto => self.browser_language,
        }
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
        self.finish(self.judge(input, 0, &mut Batch::single()))
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

    /// The verdict on a chat site's page when it deserves the invitation notice: a friend request,
    /// an invitation or a chat-start page, while the policy's `socialNotices` is on. `None` for
    /// any other page, or with the notices switched off.
    pub fn social_notice(&self, url: &str) -> Option<Verdict> {
        if !self.policy.social_notices {
            return None;
        }
        Some(self.check_url(url)).filter(|v| v.category == Category::SocialInvite)
    }

    /// Judges many URLs; one bad entry never affects the others.
    pub fn check_batch<S: AsRef<str>>(&self, inputs: &[S]) -> Vec<Verdict> {
        inputs.iter().map(|s| self.check_url(s.as_ref())).collect()
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

    fn judge(&self, input: &str, depth: u8, b: &mut Batch) -> Judgement {
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
            "http" | "https" | "ws" | "wss" | "ftp" => self.judge_web(&url, depth, b),
            "blob" => match Url::parse(url.path()) {
                Ok(inner) if inner.host().is_some() => self.judge_inner(&inner, depth, b),
                _ => Judgement::default(),
            },
            "view-source" => match depth < MAX_UNWRAP_DEPTH {
                true => {
                    self.judge_wrapped(&input[input.find(':').map_or(0, |i| i + 1)..], depth, b)
                }
                false => Judgement::too_deep(),
            },
            "javascript" if !self.policy.is_disabled(Check::UnsafeScheme) => Judgement::one(
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
            "itms-services" => self.judge_ios_install(&url, depth, b),
            // Opens a TestFlight invitation straight in the TestFlight app.
            "itms-beta" => {
                let mut j = Judgement::default();
                let reason = Reason::bare(ReasonCode::TestflightInvite);
                self.sideload(&mut j, FileKind::AppPackage, false, reason);
                j
            }
            "intent" => self.judge_intent(&url, depth, b),
            _ => match social::app_scheme(&url) {
                Some(r) if !self.policy.is_disabled(Check::SocialInvite) => {
                    Judgement::one(Level::Info, Category::SocialInvite, r)
                }
                _ => Judgement::default(),
            },
        }
    }

    /// Judges a URL found inside another (fallback, wrapper target) as its own input.
    fn judge_wrapped(&self, inner: &str, depth: u8, b: &mut Batch) -> Judgement {
        let mut j = self.judge(inner, depth + 1, b);
        if j.judged_url.is_none() {
            j.judged_url = Some(inner.to_string());
        }
        j
    }

    fn judge_inner(&self, inner: &Url, depth: u8, b: &mut Batch) -> Judgement {
        let mut j = self.judge_web(inner, depth + 1, b);
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
            if !self.policy.is_disabled(Check::Sideload) {
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
                if !self.policy.is_disabled(Check::UnsafeScheme) =>
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
        if j.findings.is_empty() && !self.policy.is_disabled(Check::UnsafeScheme) {
            j.push(
                Level::Info,
                Category::UnsafeScheme,
                Reason::bare(ReasonCode::FileUrl),
            );
        }
        j
    }

    fn judge_ios_install(&self, url: &Url, depth: u8, b: &mut Batch) -> Judgement {
        // itms-services://?action=download-manifest&url=https://host/manifest.plist
        let manifest = url
            .query_pairs()
            .find(|(k, _)| k == "url")
            .map(|(_, v)| v.into_owned());
        let mut j = match manifest.as_deref().map(Url::parse) {
            Some(Ok(m)) if depth < MAX_UNWRAP_DEPTH => {
                let mut inner = self.judge_web(&m, depth + 1, b);
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

    fn judge_intent(&self, url: &Url, depth: u8, b: &mut Batch) -> Judgement {
        let intent = stores::Intent::parse(url);
        if let Some(fallback) = intent.fallback.as_deref() {
            if depth >= MAX_UNWRAP_DEPTH {
                return Judgement::too_deep();
            }
            let mut j = self.judge_wrapped(fallback, depth, b);
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

    /// Records a sideload finding at the level its source deserves.
    fn sideload(&self, j: &mut Judgement, kind: FileKind, disguised: bool, reason: Reason) {
        if self.policy.is_disabled(Check::Sideload) {
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
        // Most decisive first, equal levels in the order found. A verdict has a handful of
        // findings, so each goes in after those at least as decisive: a library sort would add
        // a routine of its own (several KB) to the wasm module for no speed that counts here.
        let mut ordered: Vec<_> = Vec::with_capacity(j.findings.len());
        for f in j.findings {
            let at = ordered.partition_point(|g: &(Level, Category, Reason)| g.0 >= f.0);
            ordered.insert(at, f);
        }
        let mut reasons: Vec<Reason> = Vec::with_capacity(ordered.len());
        for (_, _, r) in ordered {
            if !reasons.contains(&r) {
                reasons.push(r);
            }
        }
        let bypass_scope = j.registrable.or_else(|| j.host_ascii.clone());
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What a trap inside a batch leaves behind in wasm: the batch's memo never dropped, with no
    /// unwinding to clear it, here holding a wrong answer. The memo belongs to the call that
    /// trapped, so later checks and batches go on with the same answers, without it.
    #[test]
    fn a_memo_left_behind_by_a_trap_does_not_break_later_checks() {
        let engine = Engine::new();
        let host = "https://vneid-gov.top/dang-nhap";
        let before = engine.check_url(host);
        assert_eq!(before.category, Category::Lookalike, "{before:?}");
        let links = [
            (host, Some("VNeID")),
            ("https://vnexpress.net/", Some("báo")),
        ];
        let mut cut_short = Batch::links();
        let judged = engine.judge(host, 0, &mut cut_short);
        assert!(judged.findings.iter().any(|f| f.1 == Category::Lookalike));
        // The trapped batch had the host down as clean; nothing after it may read that.
        if let Some(memo) = cut_short.lookalikes.as_mut() {
            memo.insert("vneid-gov.top".to_string(), None);
        }
        std::mem::forget(cut_short);
        let after = engine.check_url(host);
        assert_eq!(after.level, before.level);
        assert_eq!(after.category, before.category);
        let marks = engine.mark_links(links);
        assert_eq!(marks.marks, vec![(0, 0)], "{marks:?}");
        let fresh = Engine::new();
        assert_eq!(fresh.check_url(host).category, Category::Lookalike);
    }
}
