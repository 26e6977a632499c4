//! Registrable domains from the Public Suffix List.
//!
//! The list in `data/public_suffix_list.dat` is compiled by `build/` into a compact automaton
//! over reversed names (`src/dafsa.rs`: 76 KB, where a hash table took 256 KB), so a
//! host is looked up in one right-to-left pass and start-up costs nothing. [`EmbeddedList`]
//! implements the `psl_types::List` trait shared with the `publicsuffix` crate, which the tests and
//! benchmarks use as a peer; the engine itself only sees the object-safe [`DomainResolver`].

use psl_types::{Info, List, Type};

use crate::tables::dafsa::Cursor;
use crate::tables::layout::{
    EXCEPTION, RULE_ICANN, RULE_PRIVATE, WILDCARD_ICANN, WILDCARD_PRIVATE,
};

include!(concat!(env!("OUT_DIR"), "/psl_table.rs"));

/// Longest domain name DNS allows; longer names cannot be looked up.
const MAX_NAME: usize = 253;

/// The compiled-in Public Suffix List.
#[derive(Clone, Copy, Debug, Default)]
pub struct EmbeddedList;

impl EmbeddedList {
    /// The public suffix of `host` (ASCII lowercase, no trailing dot), walking it right to left
    /// once, label by label.
    pub fn lookup(&self, host: &[u8]) -> Info {
        let mut best = Info { len: 0, typ: None };
        // Wildcard type of the previous (shorter) suffix, and that suffix's length.
        let mut parent_wild: Option<Type> = None;
        let mut parent_len = 0;
        let mut cursor = Cursor::new(&PSL);
        // Whether the list still holds names ending in the suffix walked so far.
        let mut listed = true;
        let mut end = host.len();
        for n in 0.. {
            let start = host[..end]
                .iter()
                .rposition(|&b| b == b'.')
                .map_or(0, |i| i + 1);
            if start == end {
                break; // an empty label ends the name
            }
            if listed && n > 0 {
                listed = cursor.step(b'.');
            }
            for &b in host[start..end].iter().rev() {
                if !listed {
                    break;
                }
                listed = cursor.step(b);
            }
            let flags = if listed { cursor.value() } else { 0 };
            let len = host.len() - start;
            if flags & EXCEPTION != 0 {
                // "!www.ck": the public suffix is the parent of the exception.
                return Info {
                    len: parent_len,
                    typ: parent_wild.or(Some(Type::Icann)),
                };
            }
            if n == 0 {
                best = Info { len, typ: None }; // the implicit "*" rule
            }
            if let Some(t) = parent_wild {
                best = Info { len, typ: Some(t) };
            }
            if flags & RULE_ICANN != 0 {
                best = Info {
                    len,
                    typ: Some(Type::Icann),
                };
            } else if flags & RULE_PRIVATE != 0 {
                best = Info {
                    len,
                    typ: Some(Type::Private),
                };
            }
            parent_wild = if flags & WILDCARD_ICANN != 0 {
                Some(Type::Icann)
            } else if flags & WILDCARD_PRIVATE != 0 {
                Some(Type::Private)
            } else {
                None
            };
            parent_len = len;
            // Past the list, with no wildcard to apply: nothing longer can change the answer.
            if (!listed && parent_wild.is_none()) || start == 0 {
                break;
            }
            end = start - 1;
        }
        best
    }
}

impl List for EmbeddedList {
    fn find<'a, T>(&self, labels: T) -> Info
    where
        T: Iterator<Item = &'a [u8]>,
    {
        // Join the reversed labels into one name, right to left, in a stack buffer.
        let mut buf = [0u8; MAX_NAME + 1];
        let mut start = buf.len();
        for (i, label) in labels.enumerate() {
            let need = label.len() + usize::from(i > 0);
            if label.is_empty() || need > start {
                break;
            }
            if i > 0 {
                start -= 1;
                buf[start] = b'.';
            }
            start -= label.len();
            buf[start..start + label.len()].copy_from_slice(label);
        }
        self.lookup(&buf[start..])
    }
}

/// Where a host's public suffix ends, as found by a [`DomainResolver`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SuffixInfo {
    /// Byte length of the public suffix at the end of the host.
    pub len: usize,
    /// Whether the suffix is listed (ICANN or private section) rather than the implicit `*` rule.
    pub listed: bool,
    /// Whether the matching rule is in the list's private section (`web.app`, `blogspot.com`).
    pub private: bool,
}

/// Finds public suffixes; the engine takes one as a trait object so tests can inject another list.
pub trait DomainResolver: Send + Sync {
    /// The public suffix of `host`, an ASCII lowercase name without a trailing dot.
    fn public_suffix(&self, host: &str) -> Option<SuffixInfo>;
}

impl DomainResolver for EmbeddedList {
    fn public_suffix(&self, host: &str) -> Option<SuffixInfo> {
        let info = self.lookup(host.as_bytes());
        (info.len > 0).then_some(SuffixInfo {
            len: info.len,
            listed: info.typ.is_some(),
            private: info.typ == Some(Type::Private),
        })
    }
}

/// Lets any `psl_types::List` (such as `publicsuffix::List`) serve as the engine's resolver.
#[derive(Debug)]
pub struct ListResolver<L>(pub L);

impl<L: List + Send + Sync> DomainResolver for ListResolver<L> {
    fn public_suffix(&self, host: &str) -> Option<SuffixInfo> {
        let s = self.0.suffix(host.as_bytes())?;
        Some(SuffixInfo {
            len: s.as_bytes().len(),
            listed: s.is_known(),
            private: s.typ() == Some(Type::Private),
        })
    }
}

/// A host split at its public suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parts<'h> {
    /// The public suffix (`com.vn`).
    pub suffix: &'h str,
    /// The registrable domain (`vietcombank.com.vn`), `None` when the host is a bare suffix.
    pub registrable: Option<&'h str>,
    /// How the suffix was found.
    pub info: SuffixInfo,
}

/// Splits `host` (ASCII lowercase; one trailing dot ignored) with one lookup. `None` for empty
/// labels, names longer than DNS allows, or no suffix at all.
pub fn parts<'h>(resolver: &dyn DomainResolver, host: &'h str) -> Option<Parts<'h>> {
    let host = host.strip_suffix('.').unwrap_or(host);
    // Bytes, not `contains("..")`: that builds a substring searcher on every call.
    let b = host.as_bytes();
    let empty_label =
        b.first() == Some(&b'.') || b.last() == Some(&b'.') || b.windows(2).any(|w| w == b"..");
    if host.is_empty() || host.len() > MAX_NAME || empty_label {
        return None;
    }
    let info = resolver.public_suffix(host)?;
    let suffix = host.get(host.len().checked_sub(info.len)?..)?;
    let registrable = (info.len + 2 <= host.len()).then(|| {
        let before = &host[..host.len() - info.len - 1];
        &host[before.rfind('.').map_or(0, |i| i + 1)..]
    });
    Some(Parts {
        suffix,
        registrable,
        info,
    })
}

/// The registrable domain (eTLD+1) of `host`, or `None` for a bare suffix or a malformed name.
///
/// `host` must be ASCII lowercase; one trailing dot is ignored and empty labels give `None`.
pub fn registrable_domain<'h>(resolver: &dyn DomainResolver, host: &'h str) -> Option<&'h str> {
    parts(resolver, host)?.registrable
}

/// The public suffix of `host` as a string slice, or `None` for a malformed name.
pub fn public_suffix<'h>(resolver: &dyn DomainResolver, host: &'h str) -> Option<&'h str> {
    Some(parts(resolver, host)?.suffix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rd(host: &str) -> Option<&str> {
        registrable_domain(&EmbeddedList, host)
    }

    #[test]
    fn icann_and_private_sections() {
        assert_eq!(rd("www.dichvucong.gov.vn"), Some("dichvucong.gov.vn"));
        assert_eq!(rd("evil.web.app"), Some("evil.web.app"));
        assert_eq!(rd("web.app"), None);
        assert_eq!(rd("play.google.com.app-vn.top"), Some("app-vn.top"));
        assert_eq!(rd("a.b.c.kobe.jp"), Some("b.c.kobe.jp"));
        assert_eq!(rd("www.ck"), Some("www.ck"));
        assert_eq!(rd("example.com."), Some("example.com"));
        assert_eq!(rd(".example.com"), None);
        assert_eq!(rd("a..example.com"), None);
    }

    #[test]
    fn private_flag_is_reported() {
        let info = EmbeddedList.public_suffix("x.github.io").unwrap();
        assert!(info.private && info.listed);
        let info = EmbeddedList.public_suffix("x.com.vn").unwrap();
        assert!(!info.private && info.listed && info.len == "com.vn".len());
        let info = EmbeddedList.public_suffix("x.notatld").unwrap();
        assert!(!info.listed);
    }

    #[test]
    fn table_is_not_empty() {
        const { assert!(RULE_COUNT > 5000) };
        assert!(LIST_VERSION.starts_with("20"), "{LIST_VERSION}");
    }
}
