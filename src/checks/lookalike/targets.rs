//! The built-in targets (`data/lookalike/targets.tsv`) and keywords (`keywords.txt`), compiled
//! by `build/` into static lookup tables, so neither `Detector::new` nor the first check after
//! a start pays for reading them.

use crate::tables::hosttable::HostTable;

use super::shape::bigram;
pub(super) use super::shape::{DOMAIN_NEEDLE_MIN, TYPO_MAX_LEN};

/// Keyword runs longer than this are not tried as one keyword (the longest one is shorter).
const KEYWORD_MAX: usize = 20;

/// How a target's word may be matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mode {
    /// Long, distinctive: anywhere inside a foreign host.
    Strong,
    /// A whole token, or joined only to keywords.
    Combo,
    /// A whole dash-separated token next to keywords only (short words).
    Exact,
}

/// One protected target.
#[derive(Debug)]
pub(super) struct Target {
    /// The real address, for "did you mean".
    pub imitates: &'static str,
    /// Whether the brand owns many TLDs (`facebook.de`), so its bare word elsewhere is weak.
    pub global: bool,
}

/// A needle: a brand word or a flattened legit domain, pointing at its target.
#[derive(Clone, Copy, Debug)]
pub(super) struct Needle {
    /// ASCII letters and digits only.
    pub text: &'static str,
    /// Index into `Tables::targets`.
    pub target: u16,
    /// How the word may be matched (domains use `Strong`).
    pub mode: Mode,
}

/// Needles grouped by their first two bytes, so a scan tries only the few that can start at a
/// position instead of every needle (an Aho-Corasick in miniature, without its tables' weight).
/// `build/` sorts the needles by bigram, longest first within one.
#[derive(Debug)]
pub(super) struct Index {
    needles: &'static [Needle],
    /// `(start, end)` into `needles` per bigram key.
    slots: &'static [(u16, u16)],
}

impl Index {
    /// The needles that start at `s[0]`, longest first.
    pub fn starting<'a>(&'a self, s: &'a [u8]) -> impl Iterator<Item = &'a Needle> + 'a {
        let (a, b) = bigram(s)
            .and_then(|k| self.slots.get(k).copied())
            .unwrap_or((0, 0));
        self.needles
            .get(a as usize..b as usize)
            .unwrap_or_default()
            .iter()
            .filter(move |n| s.starts_with(n.text.as_bytes()))
    }
}

/// Everything `build/` compiled from the data files.
#[derive(Debug)]
pub(super) struct Tables {
    /// Targets, in file order.
    pub targets: &'static [Target],
    /// Brand words.
    pub words: &'static Index,
    /// Flattened legit domains (`dichvuconggovvn`), for embedding.
    pub domains: &'static Index,
    /// Registrable domains that belong to a target, with the target they best stand for.
    legit: &'static HostTable,
    /// Combo-squatting keywords.
    keywords: &'static HostTable,
    /// Every brand word, to tell a brand from a typo of another.
    word_set: &'static HostTable,
    /// Words open to typo matching, by length, so a label meets only those within one letter.
    pub typo_by_len: &'static [&'static [Needle]; TYPO_MAX_LEN + 1],
}

include!(concat!(env!("OUT_DIR"), "/lookalike_tables.rs"));

static TABLES: Tables = Tables {
    targets: &TARGET_LIST,
    words: &WORDS,
    domains: &DOMAINS,
    legit: &LEGIT,
    keywords: &KEYWORDS,
    word_set: &WORD_SET,
    typo_by_len: &TYPO_BY_LEN,
};

/// The tables (static data: nothing is built on first use).
pub(super) fn tables() -> &'static Tables {
    &TABLES
}

impl Tables {
    /// The target a registrable domain belongs to, if it is one of a target's own.
    pub fn legit(&self, domain: &str) -> Option<u16> {
        self.legit.get(domain.as_bytes()).map(u16::from)
    }

    /// Whether `word` is some target's brand word.
    pub fn is_word(&self, word: &str) -> bool {
        self.word_set.get(word.as_bytes()).is_some()
    }

    /// Whether `s` is empty or splits wholly into keywords and digit runs.
    pub fn is_keywords(&self, s: &str) -> bool {
        let b = s.as_bytes();
        let n = b.len();
        if n == 0 {
            return true;
        }
        if n > 64 {
            return false;
        }
        let mut reach = [false; 65];
        reach[0] = true;
        for i in 0..n {
            if !reach[i] {
                continue;
            }
            let mut j = i;
            while j < n && b[j].is_ascii_digit() {
                j += 1;
                reach[j] = true;
            }
            for j in i + 1..=n.min(i + KEYWORD_MAX) {
                if !reach[j] && self.keywords.get(&b[i..j]).is_some() {
                    reach[j] = true;
                }
            }
        }
        reach[n]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiled_tables_hold_the_data() {
        let t = tables();
        let dvc = t.legit("dichvucong.gov.vn").expect("a legit domain");
        assert_eq!(t.targets[usize::from(dvc)].imitates, "dichvucong.gov.vn");
        assert!(t.legit("example.com").is_none());
        assert!(t.is_word("chplay") && !t.is_word("chplayy"));
        assert!(t.is_keywords("taiapp") && t.is_keywords("xacminh43") && !t.is_keywords("abc"));
        let hits: Vec<&str> = t.words.starting(b"dichvucongx").map(|n| n.text).collect();
        assert_eq!(hits, ["dichvucong"]);
        assert!(t
            .domains
            .starting(b"dichvuconggovvn")
            .any(|n| n.text == "dichvuconggovvn"));
        assert!(t.typo_by_len.iter().enumerate().all(|(len, g)| g
            .iter()
            .all(|n| n.text.len() == len && n.mode != Mode::Exact)));
        assert!(t.words.starting(b"").next().is_none() && t.words.starting(b"-a").next().is_none());
    }
}
