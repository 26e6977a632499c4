//! The layout of the tables `build/` writes and `src/tables/` reads: flag bits, the hash, the
//! file kinds' names, the domain rule. One file, compiled into both the build script (`#[path]`
//! in `build/main.rs`) and the engine, so the two sides cannot drift apart.

/// PSL flag: an ICANN rule names this suffix.
pub const RULE_ICANN: u8 = 1;
/// PSL flag: a private-section rule names this suffix.
pub const RULE_PRIVATE: u8 = 2;
/// PSL flag: an ICANN wildcard (`*.name`) covers the labels under this name.
pub const WILDCARD_ICANN: u8 = 4;
/// PSL flag: a private-section wildcard covers the labels under this name.
pub const WILDCARD_PRIVATE: u8 = 8;
/// PSL flag: an exception (`!name`) takes this name out of a wildcard.
pub const EXCEPTION: u8 = 16;

/// Host flag: an official app store (exact host only).
pub const OFFICIAL_STORE: u8 = 1;
/// Host flag: a link shortener.
pub const SHORTENER: u8 = 2;
/// Host flag: a third-party APK site.
pub const APK_SITE: u8 = 4;
/// Host flag: a chat, social or file-sharing site.
pub const CHAT_SITE: u8 = 8;

/// The file kinds a data file may name, with the `FileKind` variant each becomes.
pub const FILE_KINDS: [(&str, &str); 4] = [
    ("app_package", "AppPackage"),
    ("ios_profile", "IosProfile"),
    ("executable", "Executable"),
    ("document", "Document"),
];

/// FNV-1a offset basis.
pub const FNV_START: u32 = 0x811c_9dc5;
/// FNV-1a prime.
pub const FNV_PRIME: u32 = 0x0100_0193;

/// One FNV-1a step: `h` extended by the byte `b`.
#[inline]
pub fn fnv_step(h: u32, b: u8) -> u32 {
    (h ^ u32::from(b)).wrapping_mul(FNV_PRIME)
}

/// FNV-1a over `key` from its last byte to its first. Hashing backwards lets a lookup extend a
/// suffix leftwards label by label and keep hashing where it stopped.
pub fn reverse_hash(key: &[u8]) -> u32 {
    key.iter().rev().fold(FNV_START, |h, &b| fnv_step(h, b))
}

/// Whether `host` is `domain` or one of its subdomains (both lowercase ASCII).
pub fn host_within(host: &str, domain: &str) -> bool {
    host.len() >= domain.len()
        && host.ends_with(domain)
        && (host.len() == domain.len() || host.as_bytes()[host.len() - domain.len() - 1] == b'.')
}

/// Whether a label of `name` starts with the ACE prefix `xn--` (is punycode). A plain byte walk:
/// `str::contains("xn--")` builds a substring searcher on every call, and `split('.')` a char
/// searcher, each costing more than the walk.
pub fn has_ace_label(name: &str) -> bool {
    let b = name.as_bytes();
    let mut start = 0;
    while b.len() - start >= 4 {
        if &b[start..start + 4] == b"xn--" {
            return true;
        }
        match b[start..].iter().position(|&c| c == b'.') {
            Some(dot) => start += dot + 1,
            None => return false,
        }
    }
    false
}

/// FNV-1a, 64-bit, over `bytes` (a feed's domains, a policy snapshot): stable across builds, so
/// stored copies stay valid.
pub fn hash64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ace_labels_are_found_only_at_a_label_start() {
        for (name, ace) in [
            ("xn--vitcombank-n7a.com", true),
            ("www.xn--e1aazi7hs1a.com", true),
            ("a.b.xn--p1ai", true),
            ("vietcombank.com.vn", false),
            ("abcxn--def.com", false),
            ("xn-.com", false),
            ("xn--", true),
            ("xn-", false),
            ("", false),
        ] {
            assert_eq!(has_ace_label(name), ace, "{name}");
        }
    }
}
