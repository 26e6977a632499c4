//! The small data tables in `data/`, compiled by `build/` into static sorted arrays (and the
//! host lists into one static hash table), so no table is read or built at run time: the first
//! check after a service-worker start pays nothing for them.

pub(crate) mod confusables;
mod dafsa;
pub mod hosttable;
pub mod layout;
pub mod psl;

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
    pub host: &'static str,
    /// Path the wrapper uses (prefix).
    pub path: &'static str,
    /// Query parameters that may carry the destination; `*` means the whole query.
    pub params: &'static [&'static str],
}

/// A static map from strings, its entries sorted by key (by `build/`) for binary search.
#[derive(Debug)]
pub struct StrMap<V: 'static> {
    entries: &'static [(&'static str, V)],
}

impl<V> StrMap<V> {
    /// The value stored for `key`.
    pub fn get(&self, key: &str) -> Option<&V> {
        self.entries
            .binary_search_by(|(k, _)| (*k).cmp(key))
            .ok()
            .map(|i| &self.entries[i].1)
    }

    /// Whether `key` is in the map.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Every entry, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &V)> {
        self.entries.iter().map(|(k, v)| (*k, v))
    }

    /// Every key, in order.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.entries.iter().map(|e| e.0)
    }

    /// How many entries the map holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// All tables.
#[derive(Debug)]
pub struct Tables {
    /// Official store host → store name.
    pub official_stores: StrMap<&'static str>,
    /// File ending (lowercase, no dot) → type.
    pub file_types: StrMap<FileType>,
    /// MIME type → kind.
    pub mime_types: StrMap<FileKind>,
    /// Link wrappers, in file order.
    pub redirectors: [Redirector; REDIRECTOR_COUNT],
}

include!(concat!(env!("OUT_DIR"), "/small_tables.rs"));

/// The tables (static data: nothing is built on first use).
pub fn tables() -> &'static Tables {
    &TABLES
}

include!(concat!(env!("OUT_DIR"), "/host_table.rs"));

pub use self::layout::{APK_SITE, CHAT_SITE, OFFICIAL_STORE, SHORTENER};

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

    /// The build script writes `FileKind::<name>` from `layout::FILE_KINDS`: every name there must
    /// be a variant, and every variant must have a name a data file can use.
    #[test]
    fn the_file_kinds_the_build_writes_are_the_enum() {
        let all = [
            FileKind::AppPackage,
            FileKind::IosProfile,
            FileKind::Executable,
            FileKind::Document,
        ];
        let written: Vec<&str> = layout::FILE_KINDS.iter().map(|k| k.1).collect();
        let variants: Vec<String> = all.iter().map(|k| format!("{k:?}")).collect();
        assert_eq!(written, variants);
    }

    #[test]
    fn tables_load_and_are_well_formed() {
        let t = tables();
        assert!(t.official_stores.contains_key("play.google.com"));
        assert!(!t.official_stores.contains_key("x.play.google.com"));
        assert_eq!(
            t.file_types.get("apk").map(|f| f.kind),
            Some(FileKind::AppPackage)
        );
        assert_eq!(t.file_types.get("com").map(|f| f.in_path), Some(false));
        assert!(t.file_types.get("APK").is_none(), "keys are lowercase");
        assert_eq!(
            t.mime_types.get("application/vnd.android.package-archive"),
            Some(&FileKind::AppPackage)
        );
        for m in [
            &t.file_types.keys().collect::<Vec<_>>(),
            &t.mime_types.keys().collect(),
        ] {
            assert!(
                m.windows(2).all(|w| w[0] < w[1]),
                "sorted for binary search"
            );
        }
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
