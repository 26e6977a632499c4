//! Official app stores and their deep links.

use url::Url;

use crate::checks::facts::Facts;
use crate::tables::{tables, OFFICIAL_STORE};

/// Package name of the Google Play app, the target of Play `intent:` links.
const PLAY_PACKAGE: &str = "com.android.vending";

/// The official store a web host belongs to (exact host match), e.g. `Google Play (CH Play)`.
pub fn official_host(facts: &Facts<'_>) -> Option<&'static str> {
    if facts.list_flags & OFFICIAL_STORE == 0 {
        return None;
    }
    tables().official_stores.get(facts.host).copied()
}

/// Shortest numeric App Store id seen in real links (`/app/zalo/id579523206`); shorter digit
/// runs are ordinary page numbers.
const APP_STORE_ID_MIN_DIGITS: usize = 6;

/// The store whose page address a foreign host copies: Google Play's
/// `/store/apps/details?id=…` or the App Store's `/…/app/<name>/id<digits>`. Fake store pages
/// copy the real path so the address bar looks right at a glance. Call only for hosts that are
/// not a store.
pub fn imitated_store_path(facts: &Facts<'_>) -> Option<&'static str> {
    let path = facts.path_lower.as_ref();
    if path.starts_with("/store/apps/details")
        && facts
            .url
            .query_pairs()
            .any(|(k, v)| k == "id" && !v.is_empty())
    {
        return Some("Google Play (CH Play)");
    }
    // `…/app/<name>/id<digits>`: the two segments before each one, kept as the walk goes (no
    // list of segments is built for every URL).
    let (mut before, mut last) = ("", "");
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        let app_id = before == "app"
            && seg.strip_prefix("id").is_some_and(|d| {
                d.len() >= APP_STORE_ID_MIN_DIGITS && d.bytes().all(|b| b.is_ascii_digit())
            });
        if app_id {
            return Some("App Store");
        }
        (before, last) = (last, seg);
    }
    None
}

/// The store a deep link opens: `market://`, `itms-apps://`, `itms-appss://`.
pub fn deep_link(url: &Url) -> Option<&'static str> {
    match url.scheme() {
        "market" => Some("Google Play (CH Play)"),
        "itms-apps" | "itms-appss" => Some("App Store"),
        _ => None,
    }
}

/// The parts of an Android `intent:` URL that matter here.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Intent {
    /// `scheme=` of the intent.
    pub scheme: Option<String>,
    /// `package=` of the intent.
    pub package: Option<String>,
    /// `S.browser_fallback_url=`, decoded.
    pub fallback: Option<String>,
}

impl Intent {
    /// Parses the `#Intent;…;end` fragment of an `intent:` URL.
    pub fn parse(url: &Url) -> Intent {
        let mut out = Intent::default();
        let Some(frag) = url.fragment() else {
            return out;
        };
        let body = frag.strip_prefix("Intent;").unwrap_or(frag);
        for part in body.split(';') {
            let Some((k, v)) = part.split_once('=') else {
                continue;
            };
            let v = percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned();
            match k {
                "scheme" => out.scheme = Some(v.to_ascii_lowercase()),
                "package" => out.package = Some(v),
                "S.browser_fallback_url" => out.fallback = Some(v),
                _ => {}
            }
        }
        out
    }

    /// Whether the intent opens Google Play.
    pub fn opens_play(&self) -> bool {
        self.package.as_deref() == Some(PLAY_PACKAGE) || self.scheme.as_deref() == Some("market")
    }
}
