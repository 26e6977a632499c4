//! A compact binary copy of the policy in force, so that a restarted service worker can put it
//! back before its first verdict without reading and validating policy JSON: on a 2-core machine
//! that costs ~8 ms the first time (mostly the browser compiling the code that does it), which
//! the first event would wait for. The JSON stays the source of truth; the copy is rewritten
//! whenever it changes, and a copy from another engine version is refused.
//!
//! Layout: `MAGIC`, format version, engine version, then every field of [`Policy`] in
//! declaration order, then a checksum of all that (FNV-1a, 64 bits, little-endian). Strings and
//! lists are a LEB128 length followed by their items. A restored copy must also hold values the
//! policy's own checks would accept: storage can be damaged in ways a checksum happens to pass.

use std::fmt;

use crate::policy::{
    Check, Contact, DomainSet, Feed, FeedFormat, Language, PoliceContact, Policy, KNOWN_KEYS,
    MAX_BYPASS_MINUTES, MAX_FEED_REFRESH_MINUTES, MIN_BYPASS_MINUTES, MIN_FEED_REFRESH_MINUTES,
};
use crate::tables::layout::hash64;

/// The first bytes of a snapshot.
const MAGIC: &[u8; 4] = b"CGPS";
/// Bumped whenever the layout or the meaning of a field changes (2: the checksum; 3: blocked URLs
/// kept in their normalised form (policy::url_key), the police contact and the built-in lists' keys).
const FORMAT: u8 = 3;
/// Bytes of the checksum at the end.
const CHECKSUM_BYTES: usize = 8;
/// Snapshots hold short lists; a length beyond this is damage, not data.
const MAX_LEN: usize = 1 << 24;

/// Why a snapshot could not be restored. The caller then applies the policy JSON instead.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SnapshotError {
    /// The bytes do not start with the snapshot magic.
    NotASnapshot,
    /// Written by another layout or engine version.
    OtherVersion {
        /// The version the snapshot names.
        found: String,
    },
    /// The bytes end, or hold a value that cannot be, at this offset.
    Damaged {
        /// Offset of the bad byte.
        at: usize,
    },
    /// The checksum does not match the bytes: changed since they were written.
    ChecksumMismatch,
}

impl fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SnapshotError::NotASnapshot => write!(f, "not a policy snapshot"),
            SnapshotError::OtherVersion { found } => write!(
                f,
                "policy snapshot from engine {found:?}, this is {:?}",
                env!("CARGO_PKG_VERSION")
            ),
            SnapshotError::Damaged { at } => write!(f, "policy snapshot damaged at byte {at}"),
            SnapshotError::ChecksumMismatch => {
                write!(f, "policy snapshot damaged: its checksum does not match")
            }
        }
    }
}

impl std::error::Error for SnapshotError {}

/// Writes `policy` as a snapshot.
pub fn save(policy: &Policy) -> Vec<u8> {
    // Destructured without `..`: a new field fails to compile here until it is saved too.
    let Policy {
        allowed_stores,
        allowed_download_hosts,
        blocked_domains,
        blocked_urls,
        protected_domains,
        allow_bypass,
        bypass_minutes,
        report_endpoint,
        report_contact,
        police_contact,
        blocklist_feeds,
        feed_refresh_minutes,
        disabled_checks,
        language,
        social_notices,
        builtin_lists,
        builtin_lists_mirror,
        exempt_domains,
        set_keys,
    } = policy;
    let mut w = Writer(Vec::with_capacity(256));
    w.0.extend_from_slice(MAGIC);
    w.0.push(FORMAT);
    w.str(env!("CARGO_PKG_VERSION"));
    for set in [allowed_stores, allowed_download_hosts, blocked_domains] {
        // Sorted, so equal policies give equal bytes.
        let mut items: Vec<&str> = set.iter().collect();
        items.sort_unstable();
        w.strs(items);
    }
    w.strs(blocked_urls.iter().map(String::as_str));
    w.strs(protected_domains.iter().map(String::as_str));
    w.bool(*allow_bypass);
    w.len(*bypass_minutes as usize);
    w.opt(report_endpoint);
    w.opt(&report_contact.name);
    w.opt(&report_contact.phone);
    w.opt(&report_contact.email);
    w.opt(&police_contact.name);
    w.opt(&police_contact.phone);
    w.opt(&police_contact.url);
    w.len(blocklist_feeds.len());
    for feed in blocklist_feeds {
        w.str(&feed.url);
        w.0.push(match feed.format {
            FeedFormat::Domains => 0,
            FeedFormat::Hosts => 1,
            FeedFormat::Json => 2,
        });
        w.opt(&feed.sha256);
    }
    w.len(*feed_refresh_minutes as usize);
    w.strs(disabled_checks.iter().map(|c| c.as_str()));
    w.str(language.as_str());
    w.bool(*social_notices);
    w.bool(*builtin_lists);
    w.opt(builtin_lists_mirror);
    let mut exempt: Vec<&str> = exempt_domains.iter().collect();
    exempt.sort_unstable();
    w.strs(exempt);
    w.strs(set_keys.iter().copied());
    // FNV-1a, the feeds' hash: enough to catch damage (no defence against a deliberate change).
    let sum = hash64(&w.0);
    w.0.extend_from_slice(&sum.to_le_bytes());
    w.0
}

/// Reads a snapshot written by [`save`] of this same engine version.
pub fn restore(bytes: &[u8]) -> Result<Policy, SnapshotError> {
    if bytes.get(..MAGIC.len()) != Some(MAGIC.as_slice()) {
        return Err(SnapshotError::NotASnapshot);
    }
    let mut r = Reader {
        bytes,
        at: MAGIC.len(),
    };
    let format = r.byte()?;
    let version = r.str()?;
    if format != FORMAT || version != env!("CARGO_PKG_VERSION") {
        return Err(SnapshotError::OtherVersion {
            found: format!("{version} (format {format})"),
        });
    }
    // The version is read first so that an older layout is named as such, not as damage.
    let body = bytes.len().checked_sub(CHECKSUM_BYTES).ok_or(r.damaged())?;
    let (content, sum) = bytes.split_at(body);
    if sum != hash64(content).to_le_bytes() {
        return Err(SnapshotError::ChecksumMismatch);
    }
    let mut r = Reader {
        bytes: content,
        at: r.at,
    };
    let mut p = Policy {
        allowed_stores: r.domain_set()?,
        allowed_download_hosts: r.domain_set()?,
        blocked_domains: r.domain_set()?,
        blocked_urls: r.strs()?,
        protected_domains: r.strs()?,
        allow_bypass: r.bool()?,
        bypass_minutes: r.u32_in(MIN_BYPASS_MINUTES..=MAX_BYPASS_MINUTES)?,
        report_endpoint: r.opt()?,
        report_contact: Contact {
            name: r.opt()?,
            phone: r.opt()?,
            email: r.opt()?,
        },
        police_contact: PoliceContact {
            name: r.opt()?,
            phone: r.opt()?,
            url: r.opt()?,
        },
        ..Policy::default()
    };
    for _ in 0..r.len()? {
        let url = r.str()?;
        let at = r.at;
        let format = match r.byte()? {
            0 => FeedFormat::Domains,
            1 => FeedFormat::Hosts,
            2 => FeedFormat::Json,
            _ => return Err(SnapshotError::Damaged { at }),
        };
        let sha256 = r.opt()?;
        p.blocklist_feeds.push(Feed {
            url,
            format,
            sha256,
        });
    }
    p.feed_refresh_minutes = r.u32_in(MIN_FEED_REFRESH_MINUTES..=MAX_FEED_REFRESH_MINUTES)?;
    // Checks and the language are stored by name; a name the policy would refuse is damage.
    for _ in 0..r.len()? {
        let at = r.at;
        let check = Check::parse(&r.str()?).ok_or(SnapshotError::Damaged { at })?;
        p.disabled_checks.push(check);
    }
    let at = r.at;
    p.language = Language::parse(&r.str()?).ok_or(SnapshotError::Damaged { at })?;
    p.social_notices = r.bool()?;
    p.builtin_lists = r.bool()?;
    p.builtin_lists_mirror = r.opt()?;
    p.exempt_domains = r.domain_set()?;
    for _ in 0..r.len()? {
        let at = r.at;
        let key = r.str()?;
        // Only the engine's own key names can be set keys.
        let known = KNOWN_KEYS
            .iter()
            .find(|k| **k == key)
            .ok_or(SnapshotError::Damaged { at })?;
        p.set_keys.insert(known);
    }
    if r.at != content.len() {
        return Err(SnapshotError::Damaged { at: r.at });
    }
    Ok(p)
}

struct Writer(Vec<u8>);

impl Writer {
    fn len(&mut self, mut n: usize) {
        loop {
            let low = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.0.push(low);
                return;
            }
            self.0.push(low | 0x80);
        }
    }
    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    fn strs<'a>(&mut self, items: impl IntoIterator<Item = &'a str, IntoIter: ExactSizeIterator>) {
        let items = items.into_iter();
        self.len(items.len());
        for s in items {
            self.str(s);
        }
    }
    fn opt(&mut self, s: &Option<String>) {
        match s {
            None => self.0.push(0),
            Some(s) => {
                self.0.push(1);
                self.str(s);
            }
        }
    }
    fn bool(&mut self, b: bool) {
        self.0.push(u8::from(b));
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn damaged(&self) -> SnapshotError {
        SnapshotError::Damaged { at: self.at }
    }
    fn byte(&mut self) -> Result<u8, SnapshotError> {
        let b = *self.bytes.get(self.at).ok_or_else(|| self.damaged())?;
        self.at += 1;
        Ok(b)
    }
    fn len(&mut self) -> Result<usize, SnapshotError> {
        let start = self.at;
        // Summed in 64 bits: on wasm32 a fifth byte's high bits would fall off a usize.
        let mut n = 0u64;
        for shift in (0..35).step_by(7) {
            let b = self.byte()?;
            n |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return if n <= MAX_LEN as u64 {
                    Ok(n as usize)
                } else {
                    Err(SnapshotError::Damaged { at: start })
                };
            }
        }
        Err(SnapshotError::Damaged { at: start })
    }
    /// A whole number the policy's own check would accept (`range`).
    fn u32_in(&mut self, range: std::ops::RangeInclusive<u32>) -> Result<u32, SnapshotError> {
        let at = self.at;
        u32::try_from(self.len()?)
            .ok()
            .filter(|n| range.contains(n))
            .ok_or(SnapshotError::Damaged { at })
    }
    fn bool(&mut self) -> Result<bool, SnapshotError> {
        let at = self.at;
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(SnapshotError::Damaged { at }),
        }
    }
    fn str(&mut self) -> Result<String, SnapshotError> {
        let n = self.len()?;
        let at = self.at;
        let end = at.checked_add(n).ok_or_else(|| self.damaged())?;
        let raw = self.bytes.get(at..end).ok_or_else(|| self.damaged())?;
        let s = std::str::from_utf8(raw).map_err(|_| SnapshotError::Damaged { at })?;
        self.at = end;
        Ok(s.to_owned())
    }
    fn strs(&mut self) -> Result<Vec<String>, SnapshotError> {
        let n = self.len()?;
        // Each item takes at least its length byte: a count the rest cannot hold is damage.
        if n > self.bytes.len() - self.at {
            return Err(self.damaged());
        }
        (0..n).map(|_| self.str()).collect()
    }
    fn opt(&mut self) -> Result<Option<String>, SnapshotError> {
        let at = self.at;
        match self.byte()? {
            0 => Ok(None),
            1 => self.str().map(Some),
            _ => Err(SnapshotError::Damaged { at }),
        }
    }
    fn domain_set(&mut self) -> Result<DomainSet, SnapshotError> {
        let mut set = DomainSet::default();
        for d in self.strs()? {
            set.insert(&d);
        }
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `policy`'s snapshot with the stored name `from` replaced by `to` (same length) and the
    /// checksum made good again: well-formed bytes holding a value the policy would refuse.
    fn renamed(policy: &str, from: &str, to: &str) -> Vec<u8> {
        let (p, problems) = Policy::from_json(policy);
        assert!(problems.is_empty(), "{problems:?}");
        let mut bytes = save(&p);
        let mut stored = vec![from.len() as u8];
        stored.extend_from_slice(from.as_bytes());
        let at = bytes
            .windows(stored.len())
            .position(|w| w == stored)
            .expect("the name is stored");
        bytes[at + 1..at + 1 + to.len()].copy_from_slice(to.as_bytes());
        let body = bytes.len() - CHECKSUM_BYTES;
        let sum = hash64(&bytes[..body]).to_le_bytes();
        bytes[body..].copy_from_slice(&sum);
        bytes
    }

    #[test]
    fn a_language_or_check_the_policy_would_refuse_is_damage() {
        let good = renamed(r#"{"language": "en"}"#, "en", "vi");
        assert_eq!(
            restore(&good).unwrap().language,
            Language::Vi,
            "the edit itself is sound"
        );
        let bad = renamed(r#"{"language": "en"}"#, "en", "fr");
        assert!(
            matches!(restore(&bad), Err(SnapshotError::Damaged { .. })),
            "an unknown language"
        );
        let bad = renamed(
            r#"{"disabledChecks": ["redirect"]}"#,
            "redirect",
            "rediract",
        );
        assert!(
            matches!(restore(&bad), Err(SnapshotError::Damaged { .. })),
            "an unknown check"
        );
    }
}
