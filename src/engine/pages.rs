//! Web pages: an `http(s)` address judged by its host, its path and what it carries.

use url::Url;

use super::{Batch, Engine, Judgement};
use crate::checks::facts::{self, Facts, HostKind};
use crate::checks::lookalike;
use crate::checks::redirect;
use crate::checks::scamwords;
use crate::checks::sideload;
use crate::checks::social;
use crate::checks::stores;
use crate::policy::Check;
use crate::tables::{self, FileKind};
use crate::verdict::{Category, Level, Reason, ReasonCode};
use crate::{MAX_HOST_BYTES, MAX_LABEL_BYTES, MAX_UNWRAP_DEPTH};

impl Engine {
    pub(super) fn judge_web(&self, url: &Url, depth: u8, b: &mut Batch) -> Judgement {
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
            if user.contains('.') && !self.policy.is_disabled(Check::Lookalike) {
                j.push(
                    Level::Warn,
                    Category::Lookalike,
                    Reason::new(ReasonCode::UserinfoDeception, user),
                );
                j.source.hostile = true;
            }
        }

        if !self.policy.is_disabled(Check::Lookalike) {
            if let Some(m) = self.lookalike_check(&f, b) {
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

        if !self.policy.is_disabled(Check::Sideload) {
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
        if !self.policy.is_disabled(Check::Lookalike)
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

        if !self.policy.is_disabled(Check::SocialInvite) {
            if let Some(r) = social::invite(&f) {
                j.push(Level::Info, Category::SocialInvite, r);
            }
        }
        if !self.policy.is_disabled(Check::Shortener) && redirect::is_shortener(&f) {
            j.push(
                Level::Info,
                Category::Shortener,
                Reason::new(ReasonCode::Shortener, f.host_display()),
            );
        }

        if !self.policy.is_disabled(Check::Redirect) {
            self.judge_redirects(&f, &mut j, depth, b);
        }
        j
    }

    /// The lookalike check, answered from the batch's memo for a domain already seen, else from
    /// the engine's.
    fn lookalike_check(&self, f: &Facts<'_>, b: &mut Batch) -> Option<lookalike::LookalikeMatch> {
        if f.kind != HostKind::Domain {
            return self.lookalike.check(f);
        }
        let Some(memo) = b.lookalikes.as_mut() else {
            return self.memo_lookalike(f);
        };
        if let Some(hit) = memo.get(f.host) {
            return hit.clone();
        }
        // A page is scanned again as it grows: its hosts are often in the engine's memo already.
        let hit = self.memo_lookalike(f);
        memo.insert(f.host.to_string(), hit.clone());
        hit
    }

    /// A domain's lookalike finding through the engine's memo (single checks, see
    /// `LookalikeMemo`): the same answer as `self.lookalike.check(f)`.
    fn memo_lookalike(&self, f: &Facts<'_>) -> Option<lookalike::LookalikeMatch> {
        let Ok(mut memo) = self.lookalike_memo.try_lock() else {
            return self.lookalike.check(f);
        };
        if let Some(hit) = memo.get(f.host) {
            return hit.clone();
        }
        let hit = self.lookalike.check(f);
        if memo.len() >= super::LOOKALIKE_MEMO_HOSTS {
            memo.clear();
        }
        memo.insert(f.host.to_string(), hit.clone());
        hit
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
    fn judge_redirects(&self, f: &Facts<'_>, j: &mut Judgement, depth: u8, b: &mut Batch) {
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
            let inner = self.judge_wrapped(&target, depth, b);
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
            let inner = self.judge(&link, depth + 1, b);
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
