//! What the engine answers: a level, a category, and the reasons behind them.

use serde::Serialize;

include!(concat!(env!("OUT_DIR"), "/reason_codes.rs"));

/// Language of the messages the engine renders.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Vietnamese, the product's default.
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Parses `vi` or `en` (any case; a region such as `en-US` is ignored).
    pub fn parse(s: &str) -> Option<Lang> {
        let base = s.split(['-', '_']).next().unwrap_or_default();
        match base.to_ascii_lowercase().as_str() {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language for a browser whose interface speaks `ui_language` (`en-US`, `vi`, `fr`):
    /// English for an English browser, else Vietnamese, the product's own.
    pub fn of_browser(ui_language: &str) -> Lang {
        match ui_language.get(..2) {
            Some(base) if base.eq_ignore_ascii_case("en") => Lang::En,
            _ => Lang::Vi,
        }
    }

    /// The language's tag: `vi` or `en`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
}

/// How strongly the engine reacts, from harmless to stop-before-harm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Nothing to say.
    Allow,
    /// An official app store (or one the admin allows): worth showing, never in the way.
    Official,
    /// Worth a gentle notice (invite pages, shorteners) but not a warning.
    Info,
    /// Show the warning page; the user may continue if policy allows.
    Warn,
    /// Show the warning page; a sideload from a hostile host or an admin-listed site.
    Block,
}

impl Level {
    /// The level's name in verdicts (`allow`, `official`, `info`, `warn`, `block`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Official => "official",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Block => "block",
        }
    }
}

/// What kind of finding decided the verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// No finding.
    None,
    /// Google Play, the App Store, their deep links, or an admin-allowed store.
    OfficialStore,
    /// An app or program installed from outside the official stores.
    Sideload,
    /// A domain or URL that imitates a trusted one.
    Lookalike,
    /// On the organisation's block list.
    Listed,
    /// A link shortener that hides its destination.
    Shortener,
    /// A friend-request, invitation or chat-start link.
    SocialInvite,
    /// `javascript:`, `file:` or a document in a `data:` URL.
    UnsafeScheme,
    /// Input that is not a usable URL.
    Invalid,
}

impl Category {
    /// The category's name in verdicts.
    pub const fn as_str(self) -> &'static str {
        match self {
            Category::None => "none",
            Category::OfficialStore => "official_store",
            Category::Sideload => "sideload",
            Category::Lookalike => "lookalike",
            Category::Listed => "listed",
            Category::Shortener => "shortener",
            Category::SocialInvite => "social_invite",
            Category::UnsafeScheme => "unsafe_scheme",
            Category::Invalid => "invalid",
        }
    }
}

/// Which warning page a warning gets: its lead, its reason wording and its steps follow this.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// An app installer (APK, iPhone profile or enterprise install) from outside the stores.
    AppFile,
    /// A computer program, or a file posing as a document.
    Program,
    /// An address that imitates a trusted one.
    Lookalike,
    /// On a block list or feed of the user's organisation.
    OrgList,
    /// On the community list built into Cảnh Giác.
    CommunityList,
    /// The address could not be read or checked.
    CheckFailed,
    /// A link that runs code or opens a local file instead of a page.
    UnsafeLink,
    /// Any other warning (a link hidden inside another, a bare IP address).
    Suspicious,
}

impl WarningKind {
    /// The name JavaScript and the JSON use (as serialised).
    pub const fn as_str(self) -> &'static str {
        match self {
            WarningKind::AppFile => "app_file",
            WarningKind::Program => "program",
            WarningKind::Lookalike => "lookalike",
            WarningKind::OrgList => "org_list",
            WarningKind::CommunityList => "community_list",
            WarningKind::CheckFailed => "check_failed",
            WarningKind::UnsafeLink => "unsafe_link",
            WarningKind::Suspicious => "suspicious",
        }
    }
}

/// The reason code of the built-in community list (rows added with that list).
const COMMUNITY_LISTED: &str = "community_listed";

/// Reason codes whose detail is the file name of an app installer: the app a warning names.
const APP_FILE_CODES: [ReasonCode; 3] = [
    ReasonCode::AppPackageInPath,
    ReasonCode::AppPackageFile,
    ReasonCode::IntentFallbackPackage,
];

/// How long a file extension taken off an installer's name may be, in ASCII letters and digits
/// (`.7z` to `.mobileconfig`): a lone letter after a dot, or a longer run, is part of the name.
const APP_EXTENSION_CHARS: std::ops::RangeInclusive<usize> = 2..=12;

/// The app an installer's file name promises, for a search in the official stores: "VNeID" from
/// `VNeID.apk`, "Dich vu cong" from `Dich_vu-cong.apk`. `None` when nothing is left.
pub fn app_name(file: &str) -> Option<String> {
    // One extension of 2 to 12 ASCII letters or digits, any case.
    let stem = match file.rsplit_once('.') {
        Some((stem, ext))
            if APP_EXTENSION_CHARS.contains(&ext.len())
                && ext.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            stem
        }
        _ => file,
    };
    // Each run of dashes and underscores becomes one space.
    let mut name = String::with_capacity(stem.len());
    let mut in_run = false;
    for c in stem.chars() {
        let separator = c == '-' || c == '_';
        if !separator {
            name.push(c);
        } else if !in_run {
            name.push(' ');
        }
        in_run = separator;
    }
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// One reason behind a verdict: a stable code and an optional detail (host, file, target).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reason {
    /// The stable code.
    pub code: ReasonCode,
    /// What the message names, if anything.
    pub detail: Option<String>,
}

impl Reason {
    /// A reason with a detail.
    pub fn new(code: ReasonCode, detail: impl Into<String>) -> Reason {
        Reason {
            code,
            detail: Some(detail.into()),
        }
    }

    /// A reason without a detail.
    pub fn bare(code: ReasonCode) -> Reason {
        Reason { code, detail: None }
    }

    /// The message in `lang`, with the detail filled in.
    pub fn message(&self, lang: Lang) -> String {
        let template = self.code.template(lang);
        match &self.detail {
            Some(d) => template.replace("{detail}", d),
            // Templates with a detail slot read well with the parentheses removed.
            None => template.replace(" ({detail})", "").replace("{detail}", "?"),
        }
    }
}

/// The engine's answer for one URL or download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// How strongly to react.
    pub level: Level,
    /// The finding that decided the level.
    pub category: Category,
    /// Every reason, most decisive first.
    pub reasons: Vec<Reason>,
    /// The judged host in display form (Unicode for IDNs), if the URL has one.
    pub host: Option<String>,
    /// The judged host in ASCII (punycode) form.
    pub host_ascii: Option<String>,
    /// The registrable domain (eTLD+1) in display form.
    pub registrable_domain: Option<String>,
    /// The domain a lookalike imitates, for "did you mean" (ASCII).
    pub imitates: Option<String>,
    /// The URL actually judged when the input was a wrapper (redirector, `blob:`, `view-source:`).
    pub judged_url: Option<String>,
    /// How long a "continue anyway" may last; 0 when policy or category forbids it.
    pub bypass_minutes: u32,
    /// What a "continue anyway" covers: the registrable domain, else the host.
    pub bypass_scope: Option<String>,
}

impl Verdict {
    /// A verdict with no host and a single reason.
    pub fn simple(level: Level, category: Category, reason: Reason) -> Verdict {
        Verdict {
            level,
            category,
            reasons: vec![reason],
            host: None,
            host_ascii: None,
            registrable_domain: None,
            imitates: None,
            judged_url: None,
            bypass_minutes: 0,
            bypass_scope: None,
        }
    }

    /// The kind of warning page this verdict gets; `None` below `warn`.
    pub fn warning_kind(&self) -> Option<WarningKind> {
        if self.level < Level::Warn {
            return None;
        }
        let first = self.reasons.first().map(|r| r.code);
        let failed = self
            .reasons
            .iter()
            .any(|r| r.code == ReasonCode::CheckFailed);
        Some(match self.category {
            _ if failed => WarningKind::CheckFailed,
            Category::Invalid => WarningKind::CheckFailed,
            Category::Sideload
                if matches!(
                    first,
                    Some(ReasonCode::ExecutableFile | ReasonCode::DoubleExtension)
                ) =>
            {
                WarningKind::Program
            }
            Category::Sideload => WarningKind::AppFile,
            Category::Lookalike => WarningKind::Lookalike,
            // Compared by name: the community list's code is appended with that list.
            Category::Listed if first.map(ReasonCode::as_str) == Some(COMMUNITY_LISTED) => {
                WarningKind::CommunityList
            }
            Category::Listed => WarningKind::OrgList,
            Category::UnsafeScheme => WarningKind::UnsafeLink,
            _ => WarningKind::Suspicious,
        })
    }

    /// Whether the verdict warns the user (`warn` or `block`): the verdicts a page must show.
    pub fn warns(&self) -> bool {
        self.level >= Level::Warn
    }

    /// The app the link promised, named after the first installer file among the reasons (see
    /// [`app_name`]): what a warning offers to search for in the official stores.
    pub fn app(&self) -> Option<String> {
        self.reasons
            .iter()
            .filter(|r| APP_FILE_CODES.contains(&r.code))
            .find_map(|r| r.detail.as_deref().filter(|d| !d.is_empty()))
            .and_then(app_name)
    }

    /// Renders the verdict for JSON output in `lang`.
    pub fn view(&self, lang: Lang) -> VerdictView {
        VerdictView {
            verdict: self.level,
            category: self.category,
            warns: self.warns(),
            warning_kind: self.warning_kind(),
            reasons: self
                .reasons
                .iter()
                .map(|r| ReasonView {
                    code: r.code.as_str(),
                    message: r.message(lang),
                    detail: r.detail.clone(),
                })
                .collect(),
            host: self.host.clone(),
            host_ascii: self.host_ascii.clone(),
            registrable_domain: self.registrable_domain.clone(),
            imitates: self.imitates.clone(),
            judged_url: self.judged_url.clone(),
            bypass_minutes: self.bypass_minutes,
            bypass_scope: self.bypass_scope.clone(),
            app: self.app(),
        }
    }
}

/// A reason as serialised: `{code, message, detail}`.
#[derive(Clone, Debug, Serialize)]
pub struct ReasonView {
    /// Stable code.
    pub code: &'static str,
    /// Message in the requested language.
    pub message: String,
    /// What the message names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A verdict as serialised for the CLI and the extension (camelCase keys).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VerdictView {
    /// `allow`, `official`, `info`, `warn` or `block`.
    pub verdict: Level,
    /// The deciding category.
    pub category: Category,
    /// Whether a page must show the warning (`warn` or `block`); JavaScript reads this rather
    /// than comparing levels itself.
    pub warns: bool,
    /// Which warning page a `warn` or `block` gets (absent below `warn`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning_kind: Option<WarningKind>,
    /// Reasons, most decisive first.
    pub reasons: Vec<ReasonView>,
    /// Display host.
    pub host: Option<String>,
    /// ASCII host.
    pub host_ascii: Option<String>,
    /// Display registrable domain.
    pub registrable_domain: Option<String>,
    /// The imitated domain, for lookalikes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imitates: Option<String>,
    /// The URL judged in place of a wrapper.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub judged_url: Option<String>,
    /// Minutes a "continue anyway" lasts; 0 means none is offered.
    pub bypass_minutes: u32,
    /// What a "continue anyway" covers.
    pub bypass_scope: Option<String>,
    /// The app the link promised ("VNeID" for `VNeID.apk`), for a search in the official stores.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_both_messages_and_a_unique_name() {
        let mut seen = std::collections::HashSet::new();
        for code in ReasonCode::ALL {
            assert!(seen.insert(code.as_str()), "{code:?}");
            assert!(!code.template(Lang::Vi).is_empty());
            assert!(!code.template(Lang::En).is_empty());
            assert_ne!(code.template(Lang::Vi), code.template(Lang::En), "{code:?}");
        }
    }

    #[test]
    fn detail_is_filled_or_dropped() {
        let r = Reason::new(ReasonCode::ListedDomain, "evil.top");
        assert!(r.message(Lang::En).contains("(evil.top)"));
        let r = Reason::bare(ReasonCode::ListedDomain);
        assert!(!r.message(Lang::En).contains('{'));
        assert!(!r.message(Lang::En).contains("()"));
    }

    #[test]
    fn warning_kind_names_are_the_serialised_ones() {
        use WarningKind::*;
        for k in [
            AppFile,
            Program,
            Lookalike,
            OrgList,
            CommunityList,
            CheckFailed,
            UnsafeLink,
            Suspicious,
        ] {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
    }

    #[test]
    fn warning_kind_follows_the_category_and_the_first_reason() {
        use ReasonCode as R;
        let kind = |level, category, codes: &[ReasonCode]| {
            Verdict {
                reasons: codes.iter().map(|c| Reason::bare(*c)).collect(),
                ..Verdict::simple(level, category, Reason::bare(R::EmptyUrl))
            }
            .warning_kind()
        };
        let warn = Level::Warn;
        assert_eq!(
            kind(warn, Category::Sideload, &[R::AppPackageInPath]),
            Some(WarningKind::AppFile)
        );
        assert_eq!(
            kind(Level::Block, Category::Sideload, &[R::ExecutableFile]),
            Some(WarningKind::Program)
        );
        assert_eq!(
            kind(
                warn,
                Category::Sideload,
                &[R::DoubleExtension, R::ExecutableFile]
            ),
            Some(WarningKind::Program)
        );
        assert_eq!(
            kind(warn, Category::Lookalike, &[R::LookalikeTypo]),
            Some(WarningKind::Lookalike)
        );
        assert_eq!(
            kind(Level::Block, Category::Listed, &[R::ListedFeed]),
            Some(WarningKind::OrgList)
        );
        assert_eq!(
            kind(warn, Category::Invalid, &[R::HostTooLong]),
            Some(WarningKind::CheckFailed)
        );
        assert_eq!(
            kind(warn, Category::Invalid, &[R::CheckFailed]),
            Some(WarningKind::CheckFailed)
        );
        assert_eq!(
            kind(warn, Category::UnsafeScheme, &[R::JavascriptUrl]),
            Some(WarningKind::UnsafeLink)
        );
        assert_eq!(
            kind(warn, Category::Shortener, &[R::Shortener]),
            Some(WarningKind::Suspicious)
        );
        assert_eq!(
            kind(Level::Info, Category::SocialInvite, &[R::SocialChatLink]),
            None
        );
        let json = serde_json::to_value(
            Verdict::simple(warn, Category::Sideload, Reason::bare(R::AppPackageFile))
                .view(Lang::En),
        )
        .unwrap();
        assert_eq!(json["warningKind"], "app_file");
    }

    #[test]
    fn an_installer_file_name_becomes_the_app_to_search_for() {
        for (file, want) in [
            ("VNeID.apk", Some("VNeID")),
            ("VNeID.APK", Some("VNeID")),
            ("Dich_vu-cong.apk", Some("Dich vu cong")),
            ("a--__-b.xapk", Some("a b")),
            ("a -b.apk", Some("a  b")),
            ("-VNeID_.apk", Some("VNeID")),
            ("ho-so.mobileconfig", Some("ho so")),
            ("x.tar.gz", Some("x.tar")),
            ("VNeID", Some("VNeID")),
            // Not an extension: one character, more than twelve, or not ASCII letters and digits.
            ("VNeID.a", Some("VNeID.a")),
            ("VNeID.abcdefghijklm", Some("VNeID.abcdefghijklm")),
            ("VNeID.ap-k", Some("VNeID.ap k")),
            ("Căn.cước", Some("Căn.cước")),
            ("  Căn cước.ipa ", Some("Căn cước.ipa")),
            (".apk", None),
            ("_-.apk", None),
            ("", None),
            ("   ", None),
        ] {
            assert_eq!(app_name(file).as_deref(), want, "{file:?}");
        }
    }

    #[test]
    fn the_app_comes_from_the_first_installer_reason_with_a_detail() {
        use ReasonCode as R;
        let app = |reasons: Vec<Reason>| {
            let v = Verdict {
                reasons,
                ..Verdict::simple(Level::Warn, Category::Sideload, Reason::bare(R::EmptyUrl))
            };
            assert_eq!(v.view(Lang::En).app, v.app());
            v.app()
        };
        for code in [
            R::AppPackageInPath,
            R::AppPackageFile,
            R::IntentFallbackPackage,
        ] {
            assert_eq!(
                app(vec![Reason::new(code, "VNeID.apk")]).as_deref(),
                Some("VNeID")
            );
        }
        // Other reasons' details are hosts or programs, not apps.
        assert_eq!(app(vec![Reason::new(R::ExecutableFile, "VNeID.exe")]), None);
        assert_eq!(app(vec![Reason::new(R::ListedDomain, "vneid.top")]), None);
        assert_eq!(
            app(vec![
                Reason::new(R::ListedDomain, "x.top"),
                Reason::bare(R::AppPackageInPath),
                Reason::new(R::AppPackageInPath, ""),
                Reason::new(R::AppPackageFile, "Zalo-PC.apk"),
            ])
            .as_deref(),
            Some("Zalo PC")
        );
        // The first with a detail decides, even when nothing of its name is left.
        assert_eq!(
            app(vec![
                Reason::new(R::AppPackageInPath, ".apk"),
                Reason::new(R::AppPackageFile, "VNeID.apk"),
            ]),
            None
        );
        let json = serde_json::to_value(
            Verdict::simple(
                Level::Warn,
                Category::Lookalike,
                Reason::bare(R::LookalikeTypo),
            )
            .view(Lang::Vi),
        )
        .unwrap();
        assert!(json.get("app").is_none(), "absent when there is no app");
    }

    #[test]
    fn levels_are_ordered_by_severity() {
        assert!(Level::Allow < Level::Official && Level::Info < Level::Warn);
        assert!(Level::Warn < Level::Block);
        assert_eq!(Lang::parse("en-US"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }

    #[test]
    fn an_english_browser_gets_english_and_any_other_vietnamese() {
        for (ui, want) in [
            ("en", Lang::En),
            ("en-US", Lang::En),
            ("EN-gb", Lang::En),
            ("en_AU", Lang::En),
            ("vi", Lang::Vi),
            ("vi-VN", Lang::Vi),
            ("fr", Lang::Vi),
            ("e", Lang::Vi),
            ("", Lang::Vi),
            ("ế", Lang::Vi),
        ] {
            assert_eq!(Lang::of_browser(ui), want, "{ui:?}");
        }
        assert_eq!((Lang::Vi.as_str(), Lang::En.as_str()), ("vi", "en"));
    }
}
