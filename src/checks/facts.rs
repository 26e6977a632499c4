//! Facts about a URL's host, computed once and handed to every check.

use std::borrow::Cow;

use url::{Host, Url};

use crate::tables::psl::{self, DomainResolver};
use crate::tables::{self, confusables};

/// What kind of host a URL has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostKind {
    /// No host (`data:`, `javascript:` …).
    None,
    /// A domain name.
    Domain,
    /// An IPv4 literal in any spelling the URL parser accepts (decimal, hex, octal).
    Ipv4,
    /// An IPv6 literal.
    Ipv6,
}

/// Facts about one URL, shared by all checks so none of them re-derives them.
#[derive(Debug)]
pub struct Facts<'u> {
    /// The parsed URL.
    pub url: &'u Url,
    /// ASCII, lowercase host without the trailing dot; empty when there is none.
    pub host: &'u str,
    /// What kind of host it is.
    pub kind: HostKind,
    /// Registrable domain (eTLD+1), ASCII; `None` for IPs, bare suffixes and odd names.
    pub registrable: Option<&'u str>,
    /// Public suffix, ASCII.
    pub suffix: Option<&'u str>,
    /// Whether the suffix is in the list's private section (`web.app`, `github.io`).
    pub private_suffix: bool,
    /// Flags of the host from the lists in `data/` (`tables::SHORTENER`, …), looked up once.
    pub list_flags: u8,
    /// The path, percent-decoded and lowercased, for file-name checks.
    pub path_lower: Cow<'u, str>,
}

impl<'u> Facts<'u> {
    /// Derives the facts of `url` with `resolver`.
    pub fn new(url: &'u Url, resolver: &dyn DomainResolver) -> Facts<'u> {
        let (host, kind) = match url.host() {
            Some(Host::Domain(_)) => {
                let h = url.host_str().unwrap_or_default();
                (h.strip_suffix('.').unwrap_or(h), HostKind::Domain)
            }
            Some(Host::Ipv4(_)) => (url.host_str().unwrap_or_default(), HostKind::Ipv4),
            Some(Host::Ipv6(_)) => (url.host_str().unwrap_or_default(), HostKind::Ipv6),
            None => ("", HostKind::None),
        };
        let parts = match kind {
            HostKind::Domain => psl::parts(resolver, host),
            _ => None,
        };
        Facts {
            url,
            host,
            kind,
            registrable: parts.and_then(|p| p.registrable),
            suffix: parts.map(|p| p.suffix),
            private_suffix: parts.is_some_and(|p| p.info.private),
            list_flags: if kind == HostKind::Domain {
                tables::host_flags(host)
            } else {
                0
            },
            path_lower: decode_lower(url.path()),
        }
    }

    /// Whether the host is an IP literal.
    pub fn is_ip(&self) -> bool {
        matches!(self.kind, HostKind::Ipv4 | HostKind::Ipv6)
    }

    /// Whether the host is `domain` or one of its subdomains (`domain` in ASCII, lowercase).
    pub fn host_within(&self, domain: &str) -> bool {
        host_within(self.host, domain)
    }

    /// The label left of the public suffix (`vietcombank` for `www.vietcombank.com.vn`).
    pub fn registrable_label(&self) -> Option<&'u str> {
        let reg = self.registrable?;
        let suffix = self.suffix?;
        reg.get(..reg.len().checked_sub(suffix.len() + 1)?)
    }

    /// The host in display form: Unicode for IDNs, unchanged otherwise.
    pub fn host_display(&self) -> Cow<'u, str> {
        to_display(self.host)
    }

    /// The registrable domain in display form.
    pub fn registrable_display(&self) -> Option<Cow<'u, str>> {
        self.registrable.map(to_display)
    }
}

pub use crate::tables::layout::{has_ace_label, host_within};

/// A name in display form, as a browser's address bar shows it: punycode labels decoded to
/// Unicode, except labels that mix Latin with another alphabet or are written wholly in
/// letters that imitate Latin ones (`ѕһорее`), which stay punycode.
pub fn to_display(name: &str) -> Cow<'_, str> {
    let unicode = to_unicode(name);
    if !matches!(unicode, Cow::Owned(_)) {
        return unicode;
    }
    let tld = unicode.rsplit('.').next().unwrap_or_default();
    let shown = |u: &str| !label_shows_as_punycode(u, tld);
    if unicode.split('.').all(shown) {
        return unicode;
    }
    // Only the deceptive labels stay punycode; the others read as written.
    let labels: Vec<String> = name
        .split('.')
        .zip(unicode.split('.'))
        .map(|(a, u)| if shown(u) { u } else { a }.to_string())
        .collect();
    Cow::Owned(labels.join("."))
}

/// A name with its punycode labels decoded to Unicode (for checks that read the letters).
pub fn to_unicode(name: &str) -> Cow<'_, str> {
    // Only a label that starts with `xn--` is punycode; any other name decodes to itself.
    if has_ace_label(name) {
        let (unicode, result) = idna::domain_to_unicode(name);
        if result.is_ok() {
            return Cow::Owned(unicode);
        }
    }
    Cow::Borrowed(name)
}

/// Percent-decodes `s` (invalid UTF-8 replaced) and lowercases it; borrows when nothing changes.
pub fn decode_lower(s: &str) -> Cow<'_, str> {
    if !s
        .bytes()
        .any(|b| b == b'%' || b.is_ascii_uppercase() || b >= 0x80)
    {
        return Cow::Borrowed(s);
    }
    if !s.bytes().any(|b| b == b'%' || b >= 0x80) {
        return Cow::Owned(s.to_ascii_lowercase());
    }
    Cow::Owned(
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .to_lowercase(),
    )
}

/// Whether a browser would show `label` (Unicode, one label of a name whose TLD is `tld`) in
/// punycode: it mixes Latin with Cyrillic or Greek, or is written wholly in Cyrillic or Greek
/// letters that all imitate Latin ones, under a TLD that is not that alphabet's home.
pub(crate) fn label_shows_as_punycode(label: &str, tld: &str) -> bool {
    // Cyrillic and Greek are at home under these, as in Chromium's IDN display policy.
    let home = !tld.is_ascii() || CYRILLIC_GREEK_TLDS.contains(&tld);
    confusables::fold(label).mixed_script
        || (!home && confusables::whole_script_latin_lookalike(label))
}

/// Country TLDs where Cyrillic or Greek names are ordinary.
const CYRILLIC_GREEK_TLDS: &[&str] = &[
    "by", "bg", "cy", "gr", "kg", "kz", "mk", "mn", "rs", "ru", "su", "tj", "ua", "uz",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::psl::EmbeddedList;

    #[test]
    fn facts_of_ordinary_and_odd_hosts() {
        let u = Url::parse("HTTPS://WWW.Vietcombank.COM.VN./a%2Ebc/App.APK").unwrap();
        let f = Facts::new(&u, &EmbeddedList);
        assert_eq!(f.host, "www.vietcombank.com.vn");
        assert_eq!(f.registrable, Some("vietcombank.com.vn"));
        assert_eq!(f.registrable_label(), Some("vietcombank"));
        assert_eq!(f.path_lower, "/a.bc/app.apk");
        let u = Url::parse("http://0x7f.1/").unwrap();
        let f = Facts::new(&u, &EmbeddedList);
        assert_eq!((f.host, f.kind), ("127.0.0.1", HostKind::Ipv4));
        assert!(f.is_ip());
        let u = Url::parse("http://3232235777/").unwrap();
        assert_eq!(Facts::new(&u, &EmbeddedList).host, "192.168.1.1");
        let u = Url::parse("http://xn--vitcombank-n7a.com/").unwrap();
        assert_eq!(
            Facts::new(&u, &EmbeddedList).host_display(),
            "viêtcombank.com"
        );
        // Cyrillic posing as Latin stays punycode, as a browser shows it; at home under .рф it
        // reads as written.
        let u = Url::parse("http://www.xn--e1aazi7hs1a.com/").unwrap();
        assert_eq!(
            Facts::new(&u, &EmbeddedList).host_display(),
            "www.xn--e1aazi7hs1a.com"
        );
        assert_eq!(to_display("xn--e1aazi7hs1a.xn--p1ai"), "ѕһорее.рф");
    }

    #[test]
    fn within_respects_label_boundaries() {
        assert!(host_within("a.evil.top", "evil.top"));
        assert!(host_within("evil.top", "evil.top"));
        assert!(!host_within("notevil.top", "evil.top"));
    }
}
