//! Shapes shared by `build/` (which lays out the lookalike tables) and the engine (which reads
//! them): both include this one file, so the layout cannot drift.

/// Embedded legit domains shorter than this (flattened: `fbcom`, `tme`; `vnpayvn` is 7) are too
/// short to be recognised inside another host without matching ordinary words.
pub const DOMAIN_NEEDLE_MIN: usize = 7;

/// Longest word kept for typo matching.
pub const TYPO_MAX_LEN: usize = 32;

/// Letters and digits give 36 symbols; an index key is a pair of them.
pub const SYMBOLS: usize = 36;

/// The symbol number of a byte, if it is a lowercase letter or a digit.
pub fn symbol(b: u8) -> Option<usize> {
    match b {
        b'a'..=b'z' => Some((b - b'a') as usize),
        b'0'..=b'9' => Some(26 + (b - b'0') as usize),
        _ => None,
    }
}

/// The index key of a word: its first two symbols.
pub fn bigram(s: &[u8]) -> Option<usize> {
    Some(symbol(*s.first()?)? * SYMBOLS + symbol(*s.get(1)?)?)
}
