//! Blocklist feeds: parsed by the engine, kept as a compact sorted array of 64-bit hashes.
//!
//! Feeds can hold hundreds of thousands of domains. Keeping each as a string would cost tens of
//! bytes per entry in the service worker; a sorted `u64` per domain costs 8, looks up with a
//! binary search per label of the host, and round-trips through storage as plain bytes, so the
//! worker restores the last good copy without parsing text at start-up. Two different domains
//! share a hash with odds of about n / 2^64: for a million entries, one in ten trillion per host.

use sha2::{Digest, Sha256};
use url::Url;

use serde::Serialize;

use crate::policy::names::{ip_host, normalize_domain};
use crate::policy::url_prefix::{prefix_at_boundary, strip_scheme};
use crate::tables::layout::hash64;

/// Largest feed body accepted: 64 MiB holds about three million domains.
pub const MAX_FEED_BYTES: usize = 64 * 1024 * 1024;
/// Most entries kept from one feed.
pub const MAX_FEED_ENTRIES: usize = 2_000_000;
/// How many bad lines are quoted back in the stats; the rest are only counted.
const QUOTED_BAD_LINES: usize = 5;
/// Longest line read as an entry: a URL prefix longer than this is not a list entry but damage.
const MAX_LINE_BYTES: usize = 2048;
/// A refreshed list keeping fewer than this share (in percent) of the last good copy's entries
/// has "shrunk to almost nothing": more likely a broken upstream than a cleaned-up list.
pub const MIN_KEPT_PERCENT: usize = 10;
/// Lists smaller than this are not checked for shrinking: removing a few entries from a tiny
/// list is ordinary upkeep.
const SHRINK_CHECK_FROM: usize = 20;
/// How much of the start of a body is looked at to tell an HTML page from a list.
const HTML_SNIFF_BYTES: usize = 512;
/// The first bytes of a stored copy in the current layout (hashes, then URL prefixes).
const STORED_MAGIC: &[u8; 8] = b"CGFEED\x02\x00";
/// Bytes before the hashes of a stored copy: the magic, the count, four zero bytes.
pub const STORED_HEADER: usize = 16;

/// The format of a blocklist feed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedFormat {
    /// One domain a line; `#` comments.
    Domains,
    /// A hosts file (`0.0.0.0 evil.top`).
    Hosts,
    /// A JSON array of domains, or `{"domains": [...]}`.
    Json,
}

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
    /// The body is an HTML page (an error or login page), not a list.
    Html,
    /// The list kept fewer than [`MIN_KEPT_PERCENT`] % of the last good copy's entries.
    Shrank {
        /// Entries in the new body.
        entries: usize,
        /// Entries in the last good copy.
        previous: usize,
    },
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
            FeedError::Html => write!(f, "the body is an HTML page, not a list"),
            FeedError::Shrank { entries, previous } => write!(
                f,
                "the list shrank from {previous} to {entries} entries (under {MIN_KEPT_PERCENT} %); the last good copy is kept"
            ),
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
    /// Bad lines by kind (see [`BadLine`]), sorted by name, for the admin to see what went
    /// wrong; written as a JSON object. A sorted list of at most six pairs rather than a
    /// `BTreeMap`, whose code would cost the wasm module several KB for this one field.
    #[serde(serialize_with = "kinds_as_object")]
    pub bad_kinds: Vec<(&'static str, usize)>,
    /// URL prefixes kept (pages on shared platforms), included in `entries`.
    pub url_prefixes: usize,
    /// IP addresses kept, included in `entries`.
    pub ips: usize,
}

/// Why one line of a list could not be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadLine {
    /// Not a domain name (spaces, bad characters, an empty label, a numeric top-level label).
    NotADomain,
    /// A URL that does not parse, or with a scheme other than http and https.
    BadUrl,
    /// Adblock syntax beyond `||host^`: options, wildcards, exceptions, element hiding.
    AdblockRule,
    /// A line of markup: an HTML page inside the list.
    Markup,
    /// Longer than [`MAX_LINE_BYTES`].
    TooLong,
    /// A hosts-file line whose address is followed by more than names (or by nothing usable).
    HostsLine,
}

impl BadLine {
    /// The kind's stable name, as counted in [`FeedStats::bad_kinds`].
    pub fn as_str(self) -> &'static str {
        match self {
            BadLine::NotADomain => "not_a_domain",
            BadLine::BadUrl => "bad_url",
            BadLine::AdblockRule => "adblock_rule",
            BadLine::Markup => "markup",
            BadLine::TooLong => "too_long",
            BadLine::HostsLine => "hosts_line",
        }
    }
}

/// What one line of a text list holds.
#[derive(Debug, PartialEq, Eq)]
pub enum Entry {
    /// A domain (with its subdomains) or an IP address, as the URL parser writes hosts.
    Host(String),
    /// A URL prefix without its scheme (`sites.google.com/view/abc`): pages, not the platform.
    Prefix(String),
}

/// Reads one word of a list: a domain, an IP address in any spelling, `||host^`, or a URL with or
/// without its scheme.
pub fn parse_word(word: &str) -> Result<Entry, BadLine> {
    if word.len() > MAX_LINE_BYTES {
        return Err(BadLine::TooLong);
    }
    if word.starts_with('<') {
        return Err(BadLine::Markup);
    }
    if let Some(rest) = word.strip_prefix("||") {
        // `||host^` alone names a host; options (`$third-party`), wildcards and paths do more
        // than that, and are not guessed at.
        return match rest.strip_suffix('^') {
            Some(host) if !host.contains(['*', '/', '^', '$', '|']) => {
                host_entry(host).map_err(|_| BadLine::AdblockRule)
            }
            _ => Err(BadLine::AdblockRule),
        };
    }
    if word.starts_with("@@")
        || word.contains("##")
        || word.contains("#@#")
        || word.starts_with('|')
    {
        return Err(BadLine::AdblockRule);
    }
    if word.contains("://") || word.contains('/') {
        return url_entry(word);
    }
    host_entry(word)
}

/// A domain or an IP address.
fn host_entry(word: &str) -> Result<Entry, BadLine> {
    if let Some(ip) = ip_host(word) {
        return Ok(Entry::Host(ip));
    }
    if let Some(d) = plain_domain(word) {
        return Ok(Entry::Host(d.to_owned()));
    }
    normalize_domain(word)
        .map(Entry::Host)
        .map_err(|_| BadLine::NotADomain)
}

/// `word` itself when it is already a plain lowercase ASCII domain: the common case of a big list,
/// kept clear of the IDNA machinery (which costs most of a million-line parse).
fn plain_domain(word: &str) -> Option<&str> {
    let b = word.as_bytes();
    if !(3..=253).contains(&b.len()) {
        return None;
    }
    // One pass: allowed bytes, no empty or over-long label, no `xn--` label (IDNA must check it),
    // at least one dot, a top-level label with a letter (else it reads as an IP address).
    let (mut label_start, mut dots, mut tld_letter) = (0, 0, false);
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'.' => {
                if i == label_start || i - label_start > 63 {
                    return None;
                }
                dots += 1;
                label_start = i + 1;
                tld_letter = false;
            }
            b'a'..=b'z' => tld_letter = true,
            b'0'..=b'9' | b'-' => {}
            _ => return None,
        }
        if c == b'-' && i == label_start + 3 && &b[label_start..i] == b"xn-" {
            return None;
        }
    }
    let last = b.len() - label_start;
    (dots > 0 && last > 0 && last <= 63 && tld_letter).then_some(word)
}

/// A URL, with or without its scheme: a page prefix, or its host when it names no page.
fn url_entry(word: &str) -> Result<Entry, BadLine> {
    let full = if word.contains("://") {
        word.to_owned()
    } else {
        format!("http://{word}")
    };
    let url = Url::parse(&full).map_err(|_| BadLine::BadUrl)?;
    // A user part (`mailto:x@y.vn` read without a scheme) hides which host is meant.
    if !matches!(url.scheme(), "http" | "https")
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(BadLine::BadUrl);
    }
    let host = url.host_str().ok_or(BadLine::BadUrl)?;
    if url.path() == "/" && url.query().is_none() {
        // `evil.top/` names the whole host.
        return host_entry(host);
    }
    if ip_host(host).is_none() {
        normalize_domain(host).map_err(|_| BadLine::NotADomain)?;
    }
    let mut prefix = strip_scheme(url.as_str()).to_owned();
    if let Some(at) = prefix.find('#') {
        prefix.truncate(at);
    }
    Ok(Entry::Prefix(prefix))
}

/// A parsed feed: sorted, distinct 64-bit hashes of ASCII domains.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FeedSet {
    hashes: Vec<u64>,
    /// URL prefixes without their scheme, sorted; few in any real list.
    prefixes: Vec<String>,
}

/// Names a hosts file maps to itself, never list entries.
const LOCAL_NAMES: &[&str] = &[
    "localhost",
    "localhost.localdomain",
    "broadcasthost",
    "local",
    "ip6-localhost",
    "ip6-loopback",
    "ip6-localnet",
    "ip6-mcastprefix",
    "ip6-allnodes",
    "ip6-allrouters",
    "ip6-allhosts",
];

/// Whether `body` starts like an HTML document: a server's error or login page in place of a list.
fn looks_like_html(body: &str) -> bool {
    let head: String = body
        .trim_start_matches('\u{feff}')
        .trim_start()
        .chars()
        .take(HTML_SNIFF_BYTES)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype")
        || head.starts_with("<html")
        || head.starts_with("<head")
        || head.starts_with("<body")
        || (head.starts_with('<') && head.contains("<title"))
}

/// `FeedStats::bad_kinds` as `{kind: count}`, in the list's (sorted) order.
fn kinds_as_object<S: serde::Serializer>(
    kinds: &[(&'static str, usize)],
    s: S,
) -> Result<S::Ok, S::Error> {
    s.collect_map(kinds.iter().map(|(k, n)| (k, n)))
}

/// Counts a line that is not a domain by kind and quotes the first few.
fn note_bad(stats: &mut FeedStats, raw: &str, kind: BadLine) {
    let name = kind.as_str();
    match stats.bad_kinds.binary_search_by(|(k, _)| k.cmp(&name)) {
        Ok(i) => stats.bad_kinds[i].1 += 1,
        Err(i) => stats.bad_kinds.insert(i, (name, 1)),
    }
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
        FeedSet::parse_refresh(body, format, pin, None)
    }

    /// [`FeedSet::parse`] for a refresh: a body keeping under [`MIN_KEPT_PERCENT`] % of the
    /// `previous` copy's entries is refused, like an HTML page or an empty body.
    pub fn parse_refresh(
        body: &str,
        format: FeedFormat,
        pin: Option<&str>,
        previous: Option<usize>,
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
        let mut b = ListBuilder::new();
        match format {
            // One reader for every text form: a line is read for what it is, whatever the feed
            // was declared as, so a hosts file listed as `domains` still works.
            FeedFormat::Domains | FeedFormat::Hosts => b.push(body),
            FeedFormat::Json => {
                if looks_like_html(body) {
                    return Err(FeedError::Html);
                }
                // Read as a stream, one item at a time: a 64 MiB body of numbers held as a
                // `serde_json::Value` would take gigabytes, more than a worker has.
                let mut each = |item: json::Item<'_>| match item {
                    json::Item::Domain(d) => b.add(&d),
                    json::Item::Other(what) => note_bad(&mut b.stats, what, BadLine::NotADomain),
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
        b.finish(previous)
    }

    /// The URL prefix of this list that `url` starts with, comparing without the scheme.
    pub fn find_url(&self, url: &Url) -> Option<&str> {
        if self.prefixes.is_empty() {
            return None;
        }
        let s = strip_scheme(url.as_str());
        // Prefixes are sorted: the candidates share the URL's host, found by a binary search.
        let host_end = s.find(['/', '?', '#']).unwrap_or(s.len());
        let start = self
            .prefixes
            .partition_point(|p| p.as_str() < &s[..host_end]);
        self.prefixes[start..]
            .iter()
            .take_while(|p| p.starts_with(&s[..host_end]))
            .find(|p| prefix_at_boundary(s, p))
            .map(String::as_str)
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

    /// Number of entries (domains, IP addresses, URL prefixes).
    pub fn len(&self) -> usize {
        self.hashes.len() + self.prefixes.len()
    }

    /// Whether the feed is empty.
    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty() && self.prefixes.is_empty()
    }

    /// Heap bytes the set uses.
    pub fn heap_bytes(&self) -> usize {
        self.hashes.capacity() * 8
            + self.prefixes.capacity() * std::mem::size_of::<String>()
            + self.prefixes.iter().map(String::capacity).sum::<usize>()
    }

    /// The set as bytes for storage: [`STORED_MAGIC`], the count of hashes (`u32`), four zero
    /// bytes (so the hashes start 8-aligned and a reader can copy them straight into `u64`s), the
    /// hashes (little-endian `u64`s), then each URL prefix as a `u32` length and its bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let text: usize = self.prefixes.iter().map(|p| p.len() + 4).sum();
        let mut out = Vec::with_capacity(STORED_HEADER + self.hashes.len() * 8 + text);
        out.extend_from_slice(STORED_MAGIC);
        out.extend_from_slice(&(self.hashes.len() as u32).to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        for h in &self.hashes {
            out.extend_from_slice(&h.to_le_bytes());
        }
        for p in &self.prefixes {
            out.extend_from_slice(&(p.len() as u32).to_le_bytes());
            out.extend_from_slice(p.as_bytes());
        }
        out
    }

    /// [`FeedSet::to_bytes`] in its three parts (header, hashes, prefixes), for a caller that
    /// writes them straight into memory of its own instead of building one more copy here.
    pub fn stored_parts(&self) -> ([u8; STORED_HEADER], &[u64], Vec<u8>) {
        let mut header = [0; STORED_HEADER];
        header[..8].copy_from_slice(STORED_MAGIC);
        header[8..12].copy_from_slice(&(self.hashes.len() as u32).to_le_bytes());
        let mut tail = Vec::new();
        for p in &self.prefixes {
            tail.extend_from_slice(&(p.len() as u32).to_le_bytes());
            tail.extend_from_slice(p.as_bytes());
        }
        (header, &self.hashes, tail)
    }

    /// How many hashes a stored copy in the current layout holds, from its first
    /// [`STORED_HEADER`] bytes; `None` for the older bare layout.
    pub fn stored_count(header: &[u8]) -> Option<usize> {
        let rest = header.strip_prefix(STORED_MAGIC.as_slice())?;
        let count = rest.get(..4)?;
        Some(u32::from_le_bytes(count.try_into().ok()?) as usize)
    }

    /// Restores a set saved with [`FeedSet::to_bytes`] (or the older bare array of hashes),
    /// checking it is whole and sorted. No text is parsed: a million entries are one copy.
    pub fn from_bytes(bytes: &[u8]) -> Result<FeedSet, FeedError> {
        let Some(count) = FeedSet::stored_count(bytes) else {
            if bytes.starts_with(STORED_MAGIC) {
                return Err(FeedError::BadStoredCopy);
            }
            return FeedSet::from_parts(read_hashes(bytes)?, &[]);
        };
        let end = count
            .checked_mul(8)
            .and_then(|n| n.checked_add(STORED_HEADER))
            .filter(|&e| e <= bytes.len())
            .ok_or(FeedError::BadStoredCopy)?;
        FeedSet::from_parts(read_hashes(&bytes[STORED_HEADER..end])?, &bytes[end..])
    }

    /// A set from its hashes (checked: sorted, distinct) and the stored URL prefixes after them.
    pub fn from_parts(hashes: Vec<u64>, tail: &[u8]) -> Result<FeedSet, FeedError> {
        if hashes.windows(2).any(|w| w[0] >= w[1]) {
            return Err(FeedError::BadStoredCopy);
        }
        let mut prefixes = Vec::new();
        let mut at = 0;
        while at < tail.len() {
            let n = tail
                .get(at..at + 4)
                .map(|c| u32::from_le_bytes(c.try_into().unwrap_or_default()) as usize)
                .ok_or(FeedError::BadStoredCopy)?;
            let text = tail
                .get(at + 4..at + 4 + n)
                .and_then(|t| std::str::from_utf8(t).ok())
                .ok_or(FeedError::BadStoredCopy)?;
            if prefixes.last().is_some_and(|p: &String| p.as_str() >= text) {
                return Err(FeedError::BadStoredCopy);
            }
            prefixes.push(text.to_owned());
            at += 4 + n;
        }
        Ok(FeedSet { hashes, prefixes })
    }
}

/// Reads a text list piece by piece: the caller hands over the body in chunks (cut anywhere) and
/// may do other work between them, so a million-line refresh never holds up a navigation check
/// for long, and only the compact entries are kept, never the whole text.
#[derive(Debug, Default)]
pub struct ListBuilder {
    hashes: Vec<u64>,
    prefixes: Vec<String>,
    stats: FeedStats,
    /// The end of the last chunk, up to where its last line would go on.
    carry: String,
    /// Bytes handed over so far.
    bytes: usize,
    /// Whether the first chunk was looked at for an HTML page.
    sniffed: bool,
    /// The body turned out to be an HTML page.
    html: bool,
}

impl ListBuilder {
    /// An empty builder.
    pub fn new() -> ListBuilder {
        ListBuilder::default()
    }

    /// An empty builder with room for `entries` and a tenth more: a refresh of a list whose last
    /// copy had that many then grows its array once at most, instead of doubling its way up
    /// (each doubling briefly holds the old and the new array: half again the list's size).
    pub fn with_capacity(entries: usize) -> ListBuilder {
        let mut b = ListBuilder::default();
        b.hashes
            .reserve_exact(entries.saturating_add(entries / 10).min(MAX_FEED_ENTRIES));
        b
    }

    /// Reads the complete lines of `chunk` (with what the last chunk left over).
    pub fn push(&mut self, chunk: &str) {
        if !self.sniffed && !chunk.trim().is_empty() {
            self.sniffed = true;
            self.html = looks_like_html(chunk);
        }
        self.bytes = self.bytes.saturating_add(chunk.len());
        if self.html || self.bytes > MAX_FEED_BYTES {
            return;
        }
        let mut rest = chunk;
        if !self.carry.is_empty() {
            let Some(end) = rest.find('\n') else {
                self.carry.push_str(rest);
                return;
            };
            let mut first = std::mem::take(&mut self.carry);
            first.push_str(&rest[..end]);
            self.line(&first);
            rest = &rest[end + 1..];
        }
        match rest.rfind('\n') {
            Some(end) => {
                for line in rest[..end].split('\n') {
                    self.line(line);
                }
                self.carry.push_str(&rest[end + 1..]);
            }
            None => self.carry.push_str(rest),
        }
    }

    /// Reads one line.
    fn line(&mut self, line: &str) {
        let line = line.trim();
        if let Some(d) = plain_domain(line) {
            self.add(d);
            return;
        }
        // Comments: `#` (hosts, plain lists), `!` and `[Adblock…]` (adblock headers).
        if line.is_empty()
            || line.starts_with('#')
            || line.starts_with('!')
            || (line.starts_with('[') && line.ends_with(']') && !line.contains(':'))
        {
            return;
        }
        // A ` #` starts a trailing comment; `#` inside a word is part of a URL.
        let line = line.split(" #").next().unwrap_or_default();
        let line = line.split("\t#").next().unwrap_or_default().trim();
        let mut words = line.split_whitespace();
        let first = words.next().unwrap_or_default();
        let Some(second) = words.next() else {
            self.add(first);
            return;
        };
        // `0.0.0.0 evil.top [alias…]`: the first word is where the names are sent.
        if first.parse::<std::net::IpAddr>().is_err() {
            note_bad(&mut self.stats, line, BadLine::HostsLine);
            return;
        }
        for name in std::iter::once(second).chain(words) {
            if !LOCAL_NAMES.contains(&name) {
                self.add(name);
            }
        }
    }

    /// Adds one entry, or counts why it cannot be one.
    fn add(&mut self, raw: &str) {
        if self.hashes.len() + self.prefixes.len() >= MAX_FEED_ENTRIES {
            self.stats.truncated += 1;
            return;
        }
        // Most lines of a big list are plain domains already: hashed as they stand, no copy.
        if let Some(d) = plain_domain(raw) {
            self.hashes.push(hash64(d.as_bytes()));
            return;
        }
        match parse_word(raw) {
            Ok(Entry::Host(h)) => {
                if h.starts_with('[') || h.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
                    self.stats.ips += 1;
                }
                self.hashes.push(hash64(h.as_bytes()));
            }
            Ok(Entry::Prefix(p)) => self.prefixes.push(p),
            Err(kind) => note_bad(&mut self.stats, raw, kind),
        }
    }

    /// The list read, or why the whole body is refused (the last good copy then stays): an
    /// HTML page, too large, no entry, or under [`MIN_KEPT_PERCENT`] % of `previous` entries.
    pub fn finish(mut self, previous: Option<usize>) -> Result<(FeedSet, FeedStats), FeedError> {
        if self.html {
            return Err(FeedError::Html);
        }
        if self.bytes > MAX_FEED_BYTES {
            return Err(FeedError::TooLarge { bytes: self.bytes });
        }
        let last = std::mem::take(&mut self.carry);
        self.line(&last);
        let ListBuilder {
            mut hashes,
            mut prefixes,
            mut stats,
            ..
        } = self;
        hashes.sort_unstable();
        hashes.dedup();
        prefixes.sort_unstable();
        prefixes.dedup();
        let entries = hashes.len() + prefixes.len();
        if entries == 0 {
            return Err(FeedError::NoEntries {
                bad_lines: stats.bad_lines,
            });
        }
        if let Some(previous) = previous.filter(|&p| p >= SHRINK_CHECK_FROM) {
            if entries * 100 < previous * MIN_KEPT_PERCENT {
                return Err(FeedError::Shrank { entries, previous });
            }
        }
        stats.entries = entries;
        stats.url_prefixes = prefixes.len();
        Ok((FeedSet { hashes, prefixes }, stats))
    }
}

/// Little-endian `u64`s, or [`FeedError::BadStoredCopy`] when the length is not a multiple of 8.
fn read_hashes(bytes: &[u8]) -> Result<Vec<u64>, FeedError> {
    if bytes.len() % 8 != 0 {
        return Err(FeedError::BadStoredCopy);
    }
    Ok(bytes
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap_or_default()))
        .collect())
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

fn lowercase_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// SHA-256 of `bytes` as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    lowercase_hex(&Sha256::digest(bytes))
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
            Err(FeedError::Html)
        ));
    }

    #[test]
    fn the_plain_fast_path_agrees_with_the_full_check() {
        for w in [
            "a.vn",
            "lua-dao.top",
            "a..vn",
            ".a.vn",
            "a.vn.",
            "1.2.3.4",
            "a.123",
            "xn--abc.vn",
            "a.xn--p1ai",
            "axn--b.vn",
            "ab",
            "a_b.vn",
            "A.vn",
            "a-.vn",
            "x.y.z.w.example.com.vn",
        ] {
            if let Some(d) = plain_domain(w) {
                assert_eq!(normalize_domain(w).as_deref(), Ok(d), "{w}");
            }
        }
        assert!(plain_domain("xn--abc.vn").is_none() && plain_domain("a.xn--p1ai").is_none());
        assert!(plain_domain(&format!("{}.vn", "a".repeat(64))).is_none());
        assert!(plain_domain(&format!("a.{}", "b".repeat(64))).is_none());
        assert_eq!(plain_domain("lua-dao.top"), Some("lua-dao.top"));
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
                    prefixes: Vec::new(),
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
            FeedSet::from_bytes(&bytes[..STORED_HEADER + 7]),
            Err(FeedError::BadStoredCopy)
        );
        let raw = &bytes[STORED_HEADER..];
        let mut swapped = raw[8..16].to_vec();
        swapped.extend_from_slice(&raw[..8]);
        assert_eq!(FeedSet::from_bytes(&swapped), Err(FeedError::BadStoredCopy));
    }
}
