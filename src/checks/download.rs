//! Facts about a download beyond its own URL: whether it came from a chat (where a stranger
//! sends programs) and whether a file fetched again after "continue anyway" is the file the
//! warning named. The worker hands the facts over; the decisions are made here.

use serde::Deserialize;
use url::Url;

use crate::checks::sideload;

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

/// Pages read from a download's trail: the tab's last pages and its opener's are enough to see a
/// chat a link was clicked in, and no caller may make the check walk a long list.
pub const MAX_TRAIL: usize = 8;

/// Whether `page` (an address) is a chat, social or file-sharing site, or a link wrapper one of
/// them puts around the links people send (`l.facebook.com`, `l.messenger.com`).
fn is_chat_page(page: &str) -> bool {
    Url::parse(page.trim())
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| sideload::is_chat_site(h.trim_end_matches('.')))
        })
        .unwrap_or(false)
}

/// Whether the download was reached from a chat: its referrer, a page the tab showed before it
/// (a link with `rel="noreferrer"`, a chat page that sends no referrer), the page that opened its
/// tab, or the first hop of its redirect chain (a chat's link wrapper) is a chat site. The
/// Referer header alone is not enough: a page can withhold it.
pub fn came_from_chat(d: &Download) -> bool {
    d.referrer.as_deref().is_some_and(is_chat_page)
        || d.trail.iter().take(MAX_TRAIL).any(|p| is_chat_page(p))
        || (d
            .final_url
            .as_deref()
            .is_some_and(|f| !f.trim().is_empty() && f != d.url)
            && is_chat_page(&d.url))
}

/// The file name a download would be saved under: its file name, else its
/// `Content-Disposition` name, else the last segment of its final URL's path.
pub fn file_name(d: &Download) -> Option<String> {
    let from_name = d
        .filename
        .as_deref()
        .map(sideload::base_name)
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    from_name
        .or_else(|| {
            d.content_disposition
                .as_deref()
                .and_then(sideload::content_disposition_name)
        })
        .or_else(|| {
            let url = Url::parse(d.final_url.as_deref().unwrap_or(&d.url)).ok()?;
            let last = url.path_segments()?.next_back()?.to_string();
            let decoded = percent_encoding::percent_decode_str(&last)
                .decode_utf8()
                .ok()?
                .into_owned();
            (!decoded.is_empty()).then_some(decoded)
        })
}

/// The host a download finally came from.
fn final_host(d: &Download) -> Option<String> {
    let url = d
        .final_url
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or(&d.url);
    let host = Url::parse(url.trim()).ok()?.host_str()?.to_string();
    Some(host.trim_end_matches('.').to_string())
}

/// Whether `now` is the file a warning about `warned` named, so that "continue anyway" may let it
/// through: the same file name (exactly) from the same host. A server that sends another file
/// the second time (`HoaDon.pdf.exe` where `Hoa-don.apk` was warned about) gets it judged again.
pub fn same_file(warned: &Download, now: &Download) -> bool {
    match (file_name(warned), file_name(now)) {
        (Some(a), Some(b)) => a == b && final_host(warned) == final_host(now),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dl(url: &str) -> Download {
        Download {
            url: url.into(),
            ..Download::default()
        }
    }

    #[test]
    fn a_chat_anywhere_on_the_way_is_a_chat() {
        let file = "https://tep.example.vn/get?id=1";
        assert!(!came_from_chat(&dl(file)), "no facts, no chat");
        let mut d = dl(file);
        d.trail = vec![
            "https://tin-tuc.example.vn/".into(),
            "https://chat.zalo.me/".into(),
        ];
        assert!(came_from_chat(&d), "a chat earlier in the tab");
        let mut d = dl("https://l.facebook.com/l.php?u=https%3A%2F%2Ftep.example.vn%2Fa.exe");
        d.final_url = Some("https://tep.example.vn/a.exe".into());
        assert!(came_from_chat(&d), "a chat's link wrapper as the first hop");
        let mut d = dl(file);
        d.referrer = Some("https://www.messenger.com/t/1".into());
        assert!(came_from_chat(&d));
        let mut d = dl(file);
        d.trail = vec!["not a url".into(), "https://vnexpress.net/".into()];
        assert!(!came_from_chat(&d));
        let mut d = dl(file);
        d.trail = (0..MAX_TRAIL)
            .map(|i| format!("https://p{i}.example.vn/"))
            .collect();
        d.trail.push("https://chat.zalo.me/".into());
        assert!(
            !came_from_chat(&d),
            "only the first {MAX_TRAIL} pages are read"
        );
    }

    #[test]
    fn the_file_after_a_continue_must_be_the_one_named() {
        let mut warned = dl("https://hoa-don.example.vn/tai");
        warned.filename = Some("Hoa-don.apk".into());
        let mut same = dl("https://hoa-don.example.vn/tai");
        same.filename = Some("/home/u/Downloads/Hoa-don.apk".into());
        assert!(same_file(&warned, &same));
        let mut other = same.clone();
        other.filename = Some("HoaDon.pdf.exe".into());
        assert!(!same_file(&warned, &other));
        let mut moved = same.clone();
        moved.final_url = Some("https://khac.example.vn/Hoa-don.apk".into());
        assert!(!same_file(&warned, &moved), "another host");
        let by_path = dl("https://tai.example.vn/files/VNeID%202026.apk");
        let mut named = dl("https://tai.example.vn/files/VNeID%202026.apk");
        named.filename = Some("VNeID 2026.apk".into());
        assert!(same_file(&by_path, &named));
        assert!(
            !same_file(&dl("https://a.vn/"), &dl("https://a.vn/")),
            "no name, no match"
        );
    }
}
