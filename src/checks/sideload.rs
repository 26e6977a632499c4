//! Sideloads: app packages, iPhone profiles and programs, by URL path, file name, MIME type and
//! `Content-Disposition`.

use std::borrow::Cow;

use crate::checks::facts::Facts;
use crate::tables::{host_flags, tables, FileKind, APK_SITE, CHAT_SITE};

/// Archive endings: a document ending before one (`HoaDon.pdf.zip`) is a disguise.
const ARCHIVES: &[&str] = &["7z", "rar", "zip"];

/// What a file name turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileFinding {
    /// App package, iPhone profile or program.
    pub kind: FileKind,
    /// The file name (or path segment) that matched, for messages.
    pub name: String,
    /// Whether the name poses as a document (`HoaDon.pdf.exe`, right-to-left tricks).
    pub disguised: bool,
}

/// Classifies a lowercase, decoded file name. `in_path` restricts program endings to those that
/// are unambiguous in URLs.
pub fn classify_name(name: &str, in_path: bool) -> Option<FileFinding> {
    // Invisible characters (zero-width spaces, direction marks) change what a name shows, not
    // what it is: judge the name without them, and count them as disguise.
    let hidden = name.chars().any(is_invisible);
    // A copy only for the rare name that has them: this runs for every path segment checked.
    let visible: Cow<'_, str> = match hidden {
        true => Cow::Owned(name.chars().filter(|c| !is_invisible(*c)).collect()),
        false => Cow::Borrowed(name),
    };
    // Windows drops trailing dots and spaces, so `app.exe. ` still runs as `app.exe`.
    let trimmed = visible.trim_end_matches(['.', ' ']);
    let (stem, ext) = trimmed.rsplit_once('.')?;
    let ft = tables().file_types.get(ext)?;
    if ft.kind == FileKind::Document {
        // `HoaDon.pdf.zip`: an archive named as a document hides what is inside it (often a
        // shortcut or a script), so it is treated as a disguised program.
        let inner = stem
            .trim_end_matches(['.', ' '])
            .rsplit_once('.')
            .map(|(_, e)| e);
        let posing = ARCHIVES.contains(&ext)
            && inner.is_some_and(|e| {
                !ARCHIVES.contains(&e)
                    && tables()
                        .file_types
                        .get(e)
                        .is_some_and(|t| t.kind == FileKind::Document)
            });
        return posing.then(|| FileFinding {
            kind: FileKind::Executable,
            name: name.to_string(),
            disguised: true,
        });
    }
    // `HoaDon.pdf..exe` and `HoaDon.pdf .exe` pose as a PDF just as well.
    let inner_doc = stem
        .trim_end_matches(['.', ' '])
        .rsplit_once('.')
        .and_then(|(_, e)| tables().file_types.get(e))
        .is_some_and(|t| t.kind == FileKind::Document);
    let disguised = ft.kind == FileKind::Executable && (inner_doc || hidden);
    if in_path && !ft.in_path && !disguised {
        return None;
    }
    Some(FileFinding {
        kind: ft.kind,
        name: name.to_string(),
        disguised,
    })
}

/// Characters that render as nothing or reorder text: zero-width spaces and joiners, direction
/// marks and overrides (`HoaDon\u{202e}fdp.exe` shows as `HoaDonexe.pdf`), the word joiner, BOM.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// The first path segment that names an app package, profile or program (`/App.apk/file` too).
pub fn in_path(facts: &Facts<'_>) -> Option<FileFinding> {
    if !facts.path_lower.contains('.') {
        return None; // most paths name no file at all
    }
    facts
        .path_lower
        .split('/')
        .filter(|seg| seg.contains('.'))
        .find_map(|seg| classify_name(seg.split(';').next().unwrap_or(seg), true))
}

/// The kind a MIME type announces (parameters ignored).
pub fn mime_kind(mime: &str) -> Option<FileKind> {
    let base = mime
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    tables().mime_types.get(&base).copied()
}

/// The file name a `Content-Disposition` header gives; `filename*` (RFC 6266) wins over `filename`.
pub fn content_disposition_name(header: &str) -> Option<String> {
    let mut plain = None;
    let mut extended = None;
    for part in header.split(';').skip(1) {
        let Some((k, v)) = part.split_once('=') else {
            continue;
        };
        let k = k.trim().to_ascii_lowercase();
        let v = v.trim();
        if k == "filename*" {
            // charset'language'percent-encoded
            let encoded = v.splitn(3, '\'').nth(2).unwrap_or(v);
            extended = Some(
                percent_encoding::percent_decode_str(encoded)
                    .decode_utf8_lossy()
                    .into_owned(),
            );
        } else if k == "filename" {
            let unquoted = v
                .strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .unwrap_or(v);
            plain = Some(
                percent_encoding::percent_decode_str(unquoted)
                    .decode_utf8_lossy()
                    .into_owned(),
            );
        }
    }
    extended.or(plain).filter(|n| !n.trim().is_empty())
}

/// The last component of a path that may use `/` or `\` (Chrome gives downloads' full paths).
pub fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Whether the host is a third-party APK site.
pub fn is_apk_site(facts: &Facts<'_>) -> bool {
    facts.list_flags & APK_SITE != 0
}

/// Whether the host is a chat, social or file-sharing site.
pub fn is_chat_site(host: &str) -> bool {
    host_flags(host) & CHAT_SITE != 0
}

/// Whether the URL is a TestFlight invitation (`testflight.apple.com/join/…`).
pub fn is_testflight_invite(facts: &Facts<'_>) -> bool {
    facts.host == "testflight.apple.com" && facts.path_lower.starts_with("/join/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_classified() {
        assert_eq!(
            classify_name("vneid.apk", true).unwrap().kind,
            FileKind::AppPackage
        );
        assert!(classify_name("hoadon.pdf.exe", true).unwrap().disguised);
        assert!(classify_name("setup.exe. ", false).is_some());
        assert!(classify_name("report.pdf", false).is_none());
        assert!(
            classify_name("google.com", true).is_none(),
            ".com in a path is not a program"
        );
        assert!(classify_name("tool.com", false).is_some());
        assert!(classify_name("hoadon.pdf.com", true).unwrap().disguised);
        assert!(classify_name("noextension", false).is_none());
        assert!(
            classify_name("hoadon.pdf\u{200b}.exe", true)
                .unwrap()
                .disguised
        );
        assert!(classify_name("hoadon.pdf..exe", true).unwrap().disguised);
        assert!(
            classify_name("hoadon\u{202e}fdp.exe", false)
                .unwrap()
                .disguised
        );
    }

    #[test]
    fn content_disposition_forms() {
        assert_eq!(
            content_disposition_name("attachment; filename=\"a b.apk\"").as_deref(),
            Some("a b.apk")
        );
        assert_eq!(
            content_disposition_name(
                "attachment; filename=\"x.pdf\"; filename*=UTF-8''H%C3%B3a%20%C4%91%C6%A1n.apk"
            )
            .as_deref(),
            Some("Hóa đơn.apk")
        );
        assert_eq!(content_disposition_name("inline").as_deref(), None);
        assert_eq!(base_name("C:\\Users\\a\\Downloads\\x.apk"), "x.apk");
    }

    #[test]
    fn mime_with_parameters() {
        assert_eq!(
            mime_kind("Application/Vnd.Android.Package-Archive; charset=binary"),
            Some(FileKind::AppPackage)
        );
        assert_eq!(mime_kind("application/pdf"), None);
    }
}
