//! The built-in targets (`data/lookalike/targets.tsv`) and keywords (`keywords.txt`), parsed once
//! on first use into lookup tables, so `Detector::new` itself costs nothing.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

const TARGETS_TSV: &str = include_str!("../../data/lookalike/targets.tsv");
const KEYWORDS_TXT: &str = include_str!("../../data/lookalike/keywords.txt");

/// Embedded legit domains shorter than this (flattened: `fbcom`, `tme`; `vnpayvn` is 7) are too short to be
/// recognised inside another host without matching ordinary words.
pub(super) const DOMAIN_NEEDLE_MIN: usize = 7;

/// Keyword runs longer than this are not tried as one keyword (the longest one is shorter).
const KEYWORD_MAX: usize = 20;

/// FNV-1a: the keys are short ASCII words from our own files, so SipHash's flood resistance
/// buys nothing and costs most of a keyword lookup.
#[derive(Default)]
pub(super) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;
type FastSet<K> = HashSet<K, BuildHasherDefault<Fnv>>;

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
#[derive(Debug)]
pub(super) struct Index {
    needles: Vec<Needle>,
    /// `(start, end)` into `needles` per bigram key.
    slots: Vec<(u16, u16)>,
}

/// Letters and digits give 36 symbols; keys are pairs of them.
const SYMBOLS: usize = 36;

fn symbol(b: u8) -> Option<usize> {
    match b {
        b'a'..=b'z' => Some((b - b'a') as usize),
        b'0'..=b'9' => Some(26 + (b - b'0') as usize),
        _ => None,
    }
}

fn key(s: &[u8]) -> Option<usize> {
    Some(symbol(*s.first()?)? * SYMBOLS + symbol(*s.get(1)?)?)
}

impl Index {
    fn new(mut needles: Vec<Needle>) -> Index {
        needles.retain(|n| key(n.text.as_bytes()).is_some());
        needles.sort_by_key(|n| (key(n.text.as_bytes()), std::cmp::Reverse(n.text.len())));
        let mut slots = vec![(0u16, 0u16); SYMBOLS * SYMBOLS];
        for (i, n) in needles.iter().enumerate() {
            let k = key(n.text.as_bytes()).unwrap_or_default();
            if slots[k].1 == 0 {
                slots[k].0 = i as u16;
            }
            slots[k].1 = i as u16 + 1;
        }
        Index { needles, slots }
    }

    /// The needles that start at `s[0]`, longest first.
    pub fn starting<'a>(&'a self, s: &'a [u8]) -> impl Iterator<Item = &'a Needle> + 'a {
        let (a, b) = key(s).map(|k| self.slots[k]).unwrap_or((0, 0));
        self.needles[a as usize..b as usize]
            .iter()
            .filter(move |n| s.starts_with(n.text.as_bytes()))
    }
}

/// Everything parsed from the data files.
#[derive(Debug)]
pub(super) struct Tables {
    /// Targets, in file order.
    pub targets: Vec<Target>,
    /// Brand words.
    pub words: Index,
    /// Flattened legit domains (`dichvuconggovvn`), for embedding.
    pub domains: Index,
    /// Registrable domains that belong to a target, with the target they best stand for.
    pub legit: FastMap<&'static str, u16>,
    /// Combo-squatting keywords.
    pub keywords: FastSet<&'static str>,
    /// Every brand word, to tell a brand from a typo of another.
    pub word_set: FastSet<&'static str>,
    /// Words open to typo matching, by length, so a label meets only those within one letter.
    pub typo_by_len: Vec<Vec<Needle>>,
}

/// Longest word kept in `typo_by_len`.
pub(super) const TYPO_MAX_LEN: usize = 32;

static TABLES: OnceLock<Tables> = OnceLock::new();

/// The tables, parsed on first use (about 60 rows; see the bench for the cost).
pub(super) fn tables() -> &'static Tables {
    TABLES.get_or_init(parse)
}

/// Parses the data files afresh (the benchmark times this; checks use [`tables`]).
pub(super) fn parse() -> Tables {
    let mut targets = Vec::new();
    let mut words = Vec::new();
    let mut domains = Vec::new();
    let mut legit: FastMap<&'static str, u16> = FastMap::default();
    for line in TARGETS_TSV.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&'static str> = line.split('\t').collect();
        let [w, imitates, legit_list, mode, scope, _source] = cols[..] else {
            panic!("targets.tsv: want 6 columns: {line}");
        };
        let mode = match mode {
            "strong" => Mode::Strong,
            "combo" => Mode::Combo,
            "exact" => Mode::Exact,
            other => panic!("targets.tsv: unknown mode {other}"),
        };
        let target = targets.len() as u16;
        targets.push(Target {
            imitates,
            global: scope == "global",
        });
        for text in w.split(',') {
            words.push(Needle { text, target, mode });
        }
        for d in legit_list.split(',') {
            // A domain listed by several targets stands for the one it is the address of
            // (`zalopay.vn` for ZaloPay, not Zalo), else for the first that lists it.
            let owns = crate::facts::host_within(imitates, d);
            let e = legit.entry(d).or_insert(target);
            if owns {
                *e = target;
            }
        }
    }
    for (d, &target) in &legit {
        let flat: String = d
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(char::from)
            .collect();
        if flat.len() >= DOMAIN_NEEDLE_MIN {
            domains.push(Needle {
                text: Box::leak(flat.into_boxed_str()),
                target,
                mode: Mode::Strong,
            });
        }
    }
    let keywords = KEYWORDS_TXT
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::trim)
        .collect();
    let word_set = words.iter().map(|n| n.text).collect();
    let mut typo_by_len = vec![Vec::new(); TYPO_MAX_LEN + 1];
    for n in &words {
        if n.mode != Mode::Exact && n.text.len() <= TYPO_MAX_LEN {
            typo_by_len[n.text.len()].push(*n);
        }
    }
    Tables {
        targets,
        word_set,
        typo_by_len,
        words: Index::new(words),
        domains: Index::new(domains),
        legit,
        keywords,
    }
}

impl Tables {
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
                if !reach[j] && self.keywords.contains(&s[i..j]) {
                    reach[j] = true;
                }
            }
        }
        reach[n]
    }
}
