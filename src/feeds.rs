//! Blocklist feeds: parsed by the engine, kept as a compact sorted array of 64-bit hashes.
//!
//! Feeds can hold hundreds of thousands of domains. Keeping each as a string would cost tens of
//! bytes per entry in the service worker; a sorted `u64` per domain costs 8, looks up with a
//! binary search per label of the host, and round-trips through storage as plain bytes, so the
//! worker restores the last good copy without parsing text at start-up. Two different domains
//! share a hash with odds of about n / 2^64: for a million entries, one in ten trillion per host.

use crate::policy::{normalize_domain, FeedFormat};
use crate::report::sha256_hex;

/// Largest feed body accepted: 64 MiB holds about three million domains.
pub const MAX_FEED_BYTES: usize = 64 * 1024 * 1024;
/// Most entries kept from one feed.
pub const MAX_FEED_ENTRIES: usize = 2_000_000;
/// How many bad lines are quoted back in the stats; the rest are only counted.
const QUOTED_BAD_LINES: usize = 5;

/// Why a feed body was rejected as a whole (the last good copy stays in force).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FeedError {
    /// The body is larger than [`MAX_FEED_BYTES`].
    TooLarge {
        /// Body size in bytes.
        bytes: usize,
    },
    /// The body's SHA-256 is not the pinned one.
    PinMismatch {
        /// The pin from the policy.
        expected: String,
        /// The body's hash.
        actual: String,
    },
    /// A JSON feed that is not a list of domains.
    BadJson(String),
    /// Not one usable domain in the body: more likely an error page than an empty list.
    NoEntries {
        /// Lines that were not domains.
        bad_lines: usize,
    },
    /// Stored bytes that are not a feed set (wrong length or order).
    BadStoredCopy,
}

impl std::fmt::Display for FeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FeedError::TooLarge { bytes } => write!(
                f,
                "the feed is {bytes} bytes; at most {MAX_FEED_BYTES} are accepted"
            ),
            FeedError::PinMismatch { expected, actual } => {
                write!(
                    f,
                    "the feed's SHA-256 is {actual}, but the policy pins {expected}"
                )
            }
            FeedError::BadJson(e) => write!(f, "the feed is not a JSON list of domains: {e}"),
            FeedError::NoEntries { bad_lines } => {
                write!(
                    f,
                    "the feed holds no domain ({bad_lines} lines were not domains)"
                )
            }
            FeedError::BadStoredCopy => write!(f, "the stored copy of the feed is damaged"),
        }
    }
}

impl std::error::Error for FeedError {}

/// What parsing a feed found.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedStats {
    /// Distinct domains kept.
    pub entries: usize,
    /// Lines or items that were not domains.
    pub bad_lines: usize,
    /// The first few bad lines, for the admin.
    pub bad_examples: Vec<String>,
    /// Entries dropped past [`MAX_FEED_ENTRIES`].
    pub truncated: usize,
}

/// A parsed feed: sorted, distinct 64-bit hashes of ASCII domains.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeedSet {
    hashes: Vec<u64>,
}

/// FNV-1a, 64-bit (over a domain, or a policy snapshot): stable across builds, so stored copies
/// stay valid.
pub(crate) fn hash64(domain: &[u8]) -> u64 {
    domain.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Counts a line that is not a domain and quotes the first few.
fn note_bad(stats: &mut FeedStats, raw: &str) {
    stats.bad_lines += 1;
    if stats.bad_examples.len() < QUOTED_BAD_LINES {
        stats.bad_examples.push(raw.chars().take(80).collect());
    }
}

impl FeedSet {
    /// Parses `body` in `format`, checking the optional SHA-256 `pin` first.
    pub fn parse(
        body: &str,
        format: FeedFormat,
        pin: Option<&str>,
    ) -> Result<(FeedSet, FeedStats), FeedError> {
        if body.len() > MAX_FEED_BYTES {
            return Err(FeedError::TooLarge { bytes: body.len() });
        }
        if let Some(pin) = pin {
            let actual = sha256_hex(body.as_bytes());
            if !actual.eq_ignore_ascii_case(pin) {
                return Err(FeedError::PinMismatch {
                    expected: pin.to_ascii_lowercase(),
                    actual,
                });
            }
        }
        let mut stats = FeedStats::default();
        let mut hashes = Vec::new();
        let mut add = |raw: &str, stats: &mut FeedStats| match normalize_domain(raw) {
            Ok(d) if hashes.len() < MAX_FEED_ENTRIES => hashes.push(hash64(d.as_bytes())),
            Ok(_) => stats.truncated += 1,
            Err(_) => note_bad(stats, raw),
        };
        match format {
            FeedFormat::Domains | FeedFormat::Hosts => {
                for line in body.lines() {
                    // Comments: `#` (hosts, plain lists) and `!` (adblock-style headers).
                    let line = line.split('#').next().unwrap_or_default().trim();
                    if line.is_empty() || line.starts_with('!') {
                        continue;
                    }
                    let mut words = line.split_whitespace();
                    let domain = match format {
                        // `0.0.0.0 evil.top`: the first word is the address to send it to.
                        FeedFormat::Hosts => {
                            let first = words.next().unwrap_or_default();
                            if first.parse::<std::net::IpAddr>().is_ok() {
                                words.next()
                            } else {
                                Some(first)
                            }
                        }
                        // A plain list holds one domain a line and nothing else.
                        _ => Some(line).filter(|l| !l.contains(char::is_whitespace)),
                    };
                    match domain {
                        Some("localhost" | "localhost.localdomain" | "broadcasthost" | "local") => {
                        }
                        Some(d) if d.parse::<std::net::IpAddr>().is_err() => add(d, &mut stats),
                        _ => note_bad(&mut stats, line),
                    }
                }
            }
            FeedFormat::Json => {
                // Read as a stream, one item at a time: a 64 MiB body of numbers held as a
                // `serde_json::Value` would take gigabytes, more than a worker has.
                let mut each = |item: json::Item<'_>| match item {
                    json::Item::Domain(d) => add(&d, &mut stats),
                    json::Item::Other(what) => note_bad(&mut stats, what),
                };
                let mut de = serde_json::Deserializer::from_str(body);
                let found =
                    serde::Deserializer::deserialize_any(&mut de, json::FeedVisitor(&mut each))
                        .and_then(|found| de.end().map(|()| found))
                        .map_err(|e| FeedError::BadJson(e.to_string()))?;
                if !found {
                    return Err(FeedError::BadJson(
                        "expected an array or {\"domains\": [...]}".into(),
                    ));
                }
            }
        }
        hashes.sort_unstable();
        hashes.dedup();
        if hashes.is_empty() {
            return Err(FeedError::NoEntries {
                bad_lines: stats.bad_lines,
            });
        }
        stats.entries = hashes.len();
        Ok((FeedSet { hashes }, stats))
    }

    /// Whether `host` (ASCII lowercase) or one of its parent domains is in the feed; returns the
    /// matching domain.
    pub fn find<'h>(&self, host: &'h str) -> Option<&'h str> {
        if self.hashes.is_empty() {
            return None;
        }
        let mut rest = host;
        loop {
            if self.contains_hash(hash64(rest.as_bytes())) {
                return Some(rest);
            }
            rest = &rest[rest.find('.')? + 1..];
        }
    }

    /// Whether the sorted hashes hold `h`. Hashes spread evenly over `u64`, so `h`'s place is
    /// predictable: start there and widen the window until it brackets `h`, then search it.
    fn contains_hash(&self, h: u64) -> bool {
        let n = self.hashes.len();
        let guess = ((u128::from(h) * n as u128) >> 64) as usize;
        let (mut lo, mut hi) = (guess.saturating_sub(8), (guess + 8).min(n));
        let mut step = 8;
        while lo > 0 && self.hashes[lo] > h {
            step *= 2;
            lo = lo.saturating_sub(step);
        }
        while hi < n && self.hashes[hi - 1] < h {
            step *= 2;
            hi = (hi + step).min(n);
        }
        self.hashes[lo..hi].binary_search(&h).is_ok()
    }

    /// Number of domains.
    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Whether the feed is empty.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// Heap bytes the set uses.
    pub fn heap_bytes(&self) -> usize {
        self.hashes.capacity() * 8
    }

    /// The set as bytes for storage (little-endian `u64`s).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.hashes.iter().flat_map(|h| h.to_le_bytes()).collect()
    }

    /// Restores a set saved with [`FeedSet::to_bytes`], checking it is whole and sorted.
    pub fn from_bytes(bytes: &[u8]) -> Result<FeedSet, FeedError> {
        if bytes.len() % 8 != 0 {
            return Err(FeedError::BadStoredCopy);
        }
        let hashes: Vec<u64> = bytes
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap_or_default()))
            .collect();
        FeedSet::from_hashes(hashes)
    }

    /// A set from the decoded entries of a stored copy (as [`FeedSet::from_bytes`] reads them),
    /// for a caller that decodes the copy piece by piece instead of holding it twice.
    pub fn from_hashes(hashes: Vec<u64>) -> Result<FeedSet, FeedError> {
        if hashes.windows(2).any(|w| w[0] >= w[1]) {
            return Err(FeedError::BadStoredCopy);
        }
        Ok(FeedSet { hashes })
    }
}

/// A JSON feed read as a stream: the list's strings are handed over one by one, and anything else
/// is counted as a bad entry without being kept.
mod json {
    use std::borrow::Cow;
    use std::fmt;

    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

    /// One item of the list: a string, or what kind of other value stood there.
    pub enum Item<'de> {
        Domain(Cow<'de, str>),
        Other(&'static str),
    }

    struct ItemVisitor;

    impl<'de> Visitor<'de> for ItemVisitor {
        type Value = Item<'de>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a domain")
        }
        fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Item<'de>, E> {
            Ok(Item::Domain(Cow::Borrowed(v)))
        }
        fn visit_str<E>(self, v: &str) -> Result<Item<'de>, E> {
            Ok(Item::Domain(Cow::Owned(v.to_owned())))
        }
        fn visit_bool<E>(self, _: bool) -> Result<Item<'de>, E> {
            Ok(Item::Other("(true or false)"))
        }
        fn visit_i64<E>(self, _: i64) -> Result<Item<'de>, E> {
            Ok(Item::Other("(a number)"))
        }
        fn visit_u64<E>(self, _: u64) -> Result<Item<'de>, E> {
            Ok(Item::Other("(a number)"))
        }
        fn visit_f64<E>(self, _: f64) -> Result<Item<'de>, E> {
            Ok(Item::Other("(a number)"))
        }
        fn visit_unit<E>(self) -> Result<Item<'de>, E> {
            Ok(Item::Other("(null)"))
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item<'de>, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(Item::Other("(a list)"))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Item<'de>, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Item::Other("(an object)"))
        }
    }

    impl<'de> serde::Deserialize<'de> for Item<'de> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(ItemVisitor)
        }
    }

    /// The list itself: each item goes to the callback as it is read.
    struct List<'f, F>(&'f mut F);

    impl<'de, F: FnMut(Item<'de>)> Visitor<'de> for List<'_, F> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of domains")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while let Some(item) = seq.next_element::<Item<'de>>()? {
                (self.0)(item);
            }
            Ok(())
        }
    }

    impl<'de, F: FnMut(Item<'de>)> DeserializeSeed<'de> for List<'_, F> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_seq(self)
        }
    }

    /// The whole body: a list, or an object whose `domains` is the list. Says whether it found one.
    pub struct FeedVisitor<'f, F>(pub &'f mut F);

    impl<'de, F: FnMut(Item<'de>)> Visitor<'de> for FeedVisitor<'_, F> {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array or {\"domains\": [...]}")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<bool, A::Error> {
            List(self.0).visit_seq(seq).map(|()| true)
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
            let mut found = false;
            while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                if key == "domains" && !found {
                    map.next_value_seed(List(&mut *self.0))?;
                    found = true;
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(found)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_formats_parse() {
        let (set, stats) = FeedSet::parse(
            "# list\nlua-dao.top\nGIẢ-MẠO.vn\n\nnot a domain\n",
            FeedFormat::Domains,
            None,
        )
        .unwrap();
        assert_eq!(stats.entries, 2);
        assert_eq!(stats.bad_lines, 1);
        assert_eq!(stats.bad_examples, vec!["not a domain"]);
        assert_eq!(set.find("a.lua-dao.top"), Some("lua-dao.top"));
        assert_eq!(set.find("xn--gi-mo-m11bl.vn"), Some("xn--gi-mo-m11bl.vn"));
        assert_eq!(set.find("notlua-dao.top"), None);

        let (set, stats) = FeedSet::parse(
            "127.0.0.1 localhost\n0.0.0.0 evil.top # x\n::1 ip6-x.vn\n",
            FeedFormat::Hosts,
            None,
        )
        .unwrap();
        assert_eq!((stats.entries, stats.bad_lines), (2, 0));
        assert!(set.find("evil.top").is_some() && set.find("localhost").is_none());

        let (set, _) = FeedSet::parse(
            r#"{"domains": ["a.vn", 5, "b.vn"]}"#,
            FeedFormat::Json,
            None,
        )
        .unwrap();
        assert_eq!(set.len(), 2);
        assert!(matches!(
            FeedSet::parse("{}", FeedFormat::Json, None),
            Err(FeedError::BadJson(_))
        ));
    }

    #[test]
    fn pins_and_empty_bodies_reject_the_feed() {
        let body = "evil.top\n";
        let pin = sha256_hex(body.as_bytes());
        assert!(FeedSet::parse(body, FeedFormat::Domains, Some(&pin)).is_ok());
        let wrong = "0".repeat(64);
        assert!(matches!(
            FeedSet::parse(body, FeedFormat::Domains, Some(&wrong)),
            Err(FeedError::PinMismatch { .. })
        ));
        assert!(matches!(
            FeedSet::parse("<html>502 Bad Gateway</html>", FeedFormat::Domains, None),
            Err(FeedError::NoEntries { bad_lines: 1 })
        ));
    }

    #[test]
    fn the_guided_search_agrees_with_binary_search() {
        // Skewed and uniform sets, present and absent values: the window must always widen enough.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for n in [1usize, 2, 7, 100, 5000] {
            for skew in [0u32, 8, 40] {
                let mut hashes: Vec<u64> = (0..n).map(|_| next() >> skew).collect();
                hashes.sort_unstable();
                hashes.dedup();
                let set = FeedSet {
                    hashes: hashes.clone(),
                };
                for &h in &hashes {
                    assert!(set.contains_hash(h));
                }
                for _ in 0..2000 {
                    let probe = next() >> skew;
                    assert_eq!(
                        set.contains_hash(probe),
                        hashes.binary_search(&probe).is_ok()
                    );
                }
            }
        }
    }

    #[test]
    fn bytes_round_trip_and_damage_is_caught() {
        let (set, _) = FeedSet::parse("a.vn\nb.vn\nc.vn\n", FeedFormat::Domains, None).unwrap();
        let bytes = set.to_bytes();
        assert_eq!(FeedSet::from_bytes(&bytes).unwrap(), set);
        assert_eq!(
            FeedSet::from_bytes(&bytes[..7]),
            Err(FeedError::BadStoredCopy)
        );
        let mut swapped = bytes[8..16].to_vec();
        swapped.extend_from_slice(&bytes[..8]);
        assert_eq!(FeedSet::from_bytes(&swapped), Err(FeedError::BadStoredCopy));
    }
}
