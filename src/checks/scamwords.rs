//! Vietnamese scam vocabulary in a host that names no brand (`nhanqua-2024.top`,
//! `ruttien24h.com`): the words of refund, prize, loan, gambling and game top-up scams, weighed
//! with the host's risk signals (cheap TLDs, free hosting). It warns, never blocks: words are a
//! hint, not proof. The words live in `data/scam_words.tsv` (validated by `build/`).

use std::sync::OnceLock;

use crate::checks::facts::Facts;

/// Weight at which a host's words warn: one strong scam word (weight 2), or a context word
/// (weight 1) on a cheap TLD or a free host.
const WARN_WEIGHT: u8 = 2;
/// Longest host part scanned (DNS allows 253 bytes in the whole name).
const MAX_SCAN: usize = 253;

/// One vocabulary word and its weight.
struct Word {
    text: &'static [u8],
    weight: u8,
}

/// The words grouped by first letter, so a scan tries only those that can start at a position.
struct Vocabulary {
    by_first: [Vec<Word>; 26],
}

fn vocabulary() -> &'static Vocabulary {
    static V: OnceLock<Vocabulary> = OnceLock::new();
    V.get_or_init(|| {
        let mut by_first: [Vec<Word>; 26] = Default::default();
        for line in include_str!("../../data/scam_words.tsv").lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            // the build script has checked the shape: word, weight, meaning.
            let mut cols = line.split('\t');
            let text = cols.next().unwrap_or_default().as_bytes();
            let weight = cols.next().and_then(|w| w.parse().ok()).unwrap_or(0);
            if let Some(&first) = text.first().filter(|b| b.is_ascii_lowercase()) {
                by_first[usize::from(first - b'a')].push(Word { text, weight });
            }
        }
        Vocabulary { by_first }
    })
}

/// The scam words of `facts`' host, if they weigh enough to warn (the words, for the reason).
pub fn check(facts: &Facts<'_>) -> Option<Vec<&'static str>> {
    // Only the state registers under gov.vn: its words are its own business.
    if facts.host_within("gov.vn") {
        return None;
    }
    let suffix = facts.suffix?;
    let prefix = facts
        .host
        .get(..facts.host.len().checked_sub(suffix.len() + 1)?)?;
    // Letters only: `nhan-qua`, `nhan.qua` and `nhanqua247` all read as `nhanqua`.
    let mut buf = [0u8; MAX_SCAN];
    let mut n = 0;
    for b in prefix.bytes().filter(u8::is_ascii_lowercase).take(MAX_SCAN) {
        buf[n] = b;
        n += 1;
    }
    let flat = &buf[..n];
    let v = vocabulary();
    // (start, end, word) of every occurrence; a word inside a longer one found is dropped.
    let mut found: Vec<(usize, usize, &Word)> = Vec::new();
    for i in 0..flat.len() {
        for w in &v.by_first[usize::from(flat[i] - b'a')] {
            // The second letter first: most words fail there, and a slice compare is a call.
            let second = w.text.get(1).is_none_or(|b| flat.get(i + 1) == Some(b));
            if second && flat[i..].starts_with(w.text) {
                found.push((i, i + w.text.len(), w));
            }
        }
    }
    if found.is_empty() {
        return None;
    }
    let mut words: Vec<&'static str> = Vec::new();
    let mut weight = 0u8;
    for &(s, e, w) in &found {
        let shadowed = found
            .iter()
            .any(|&(s2, e2, _)| s2 <= s && e <= e2 && (e2 - s2) > (e - s));
        let text = std::str::from_utf8(w.text).unwrap_or_default();
        if !shadowed && !words.contains(&text) {
            words.push(text);
            weight = weight.saturating_add(w.weight);
        }
    }
    weight = weight.saturating_add(crate::checks::lookalike::risk_weight(facts));
    (weight >= WARN_WEIGHT).then_some(words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::psl::EmbeddedList;

    fn words(host: &str) -> Option<Vec<&'static str>> {
        let u = url::Url::parse(&format!("https://{host}/")).unwrap();
        check(&Facts::new(&u, &EmbeddedList))
    }

    #[test]
    fn every_row_has_a_weight() {
        let v = vocabulary();
        assert!(v.by_first.iter().flatten().count() >= 40);
        assert!(v
            .by_first
            .iter()
            .flatten()
            .all(|w| (1..=2).contains(&w.weight)));
    }

    #[test]
    fn strong_words_warn_and_context_needs_risk() {
        assert_eq!(words("nhan-qua-2024.com"), Some(vec!["nhanqua"]));
        assert_eq!(words("vaytieudung24h.net"), Some(vec!["vaytieudung"]));
        // A context word alone does not warn on an ordinary TLD, but does on a cheap one.
        assert_eq!(words("hotro-khachhang.com"), None);
        assert_eq!(words("hotro-khachhang.top"), Some(vec!["hotro"]));
        assert_eq!(words("example.com"), None);
    }
}
