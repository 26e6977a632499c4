//! The small data tables in `data/`, compiled in and read once on first use.
//!
//! Each table is a few dozen lines, so reading it costs microseconds; the big one (the Public
//! Suffix List) is compiled to a hash table by `build.rs` instead.

use std::collections::HashMap;
use std::sync::OnceLock;

/// What a file name ending means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// A phone app installer (APK and its variants, IPA).
    AppPackage,
    /// An iPhone configuration profile.
    IosProfile,
    /// A desktop program or script.
    Executable,
    /// A document or media file (what programs pose as).
    Document,
}

/// One file ending's entry.
#[derive(Clone, Copy, Debug)]
pub struct FileType {
    /// What it is.
    pub kind: FileKind,
    /// Whether the ending alone in a URL path is a finding.
    pub in_path: bool,
}

/// A link wrapper's row.
#[derive(Clone, Debug)]
pub struct Redirector {
    /// Exact host, `google.*`, or `*.domain`.
    pub host: String,
    /// Path the wrapper uses (prefix).
    pub path: String,
    /// Query parameters that may carry the destination; `*` means the whole query.
    pub params: Vec<String>,
}

/// All tables, parsed.
#[derive(Debug)]
pub struct Tables {
    /// Official store host → store name.
    pub official_stores: HashMap<String, String>,
    /// File ending (lowercase, no dot) → type.
    pub file_types: HashMap<String, FileType>,
    /// MIME type → kind.
    pub mime_types: HashMap<String, FileKind>,
    /// Link wrappers.
    pub redirectors: Vec<Redirector>,
}

/// The tables, read on first use.
pub fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(load)
}

fn rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

fn kind(name: &str) -> FileKind {
    match name {
        "app_package" => FileKind::AppPackage,
        "ios_profile" => FileKind::IosProfile,
        "executable" => FileKind::Executable,
        "document" => FileKind::Document,
        // The tables are compiled in and covered by tests; an unknown kind is a build-time typo.
        other => panic!("data table names unknown file kind {other:?}"),
    }
}

fn load() -> Tables {
    Tables {
        official_stores: rows(include_str!("../data/official_stores.tsv"))
            .map(|r| (r[0].to_string(), r[1].to_string()))
            .collect(),
        file_types: rows(include_str!("../data/file_types.tsv"))
            .map(|r| {
                (
                    r[0].to_string(),
                    FileType {
                        kind: kind(r[1]),
                        in_path: r[2] == "yes",
                    },
                )
            })
            .collect(),
        mime_types: rows(include_str!("../data/mime_types.tsv"))
            .map(|r| (r[0].to_string(), kind(r[1])))
            .collect(),
        redirectors: rows(include_str!("../data/redirectors.tsv"))
            .map(|r| Redirector {
                host: r[0].to_string(),
                path: r[1].to_string(),
                params: r[2].split(',').map(str::to_string).collect(),
            })
            .collect(),
    }
}

include!(concat!(env!("OUT_DIR"), "/host_table.rs"));

/// Host flag: an official app store (exact host only); must match `build.rs`.
pub const OFFICIAL_STORE: u8 = 1;
/// Host flag: a link shortener.
pub const SHORTENER: u8 = 2;
/// Host flag: a third-party APK site.
pub const APK_SITE: u8 = 4;
/// Host flag: a chat, social or file-sharing site.
pub const CHAT_SITE: u8 = 8;

/// The flags of `host` from the lists in `data/`: store flags for the exact host, the others for
/// the host or any parent domain. One walk over the host's suffixes.
pub fn host_flags(host: &str) -> u8 {
    let mut flags = 0;
    HOSTS.for_each_suffix(host.as_bytes(), |start, v| {
        flags |= if start == 0 { v } else { v & !OFFICIAL_STORE };
        true
    });
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load_and_are_well_formed() {
        let t = tables();
        assert!(t.official_stores.contains_key("play.google.com"));
        assert_eq!(t.file_types["apk"].kind, FileKind::AppPackage);
        assert!(!t.file_types["com"].in_path);
        assert_eq!(
            t.mime_types["application/vnd.android.package-archive"],
            FileKind::AppPackage
        );
        assert!(t
            .redirectors
            .iter()
            .all(|r| !r.params.is_empty() && r.path.starts_with('/')));
        assert_eq!(host_flags("m.apkpure.com"), APK_SITE);
        assert_eq!(host_flags("notapkpure.com"), 0);
        assert_eq!(host_flags("bit.ly"), SHORTENER);
        assert_eq!(host_flags("play.google.com"), OFFICIAL_STORE);
        assert_eq!(
            host_flags("x.play.google.com"),
            0,
            "stores match the exact host only"
        );
        assert!(HOSTS.len() > 50);
    }
}
