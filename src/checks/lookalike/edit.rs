//! Typosquats: edit distance ≤ 1 (with adjacent swaps) and digit/letter swaps on the label.

/// Words shorter than this get no edit-distance match: one edit on a short word reaches too
/// many real names (`icloud`/`pcloud`, `mbbank`/`mbank`, `tpbank`/`otpbank`, `congan`/`dongan`).
pub(super) const TYPO_MIN_LEN: usize = 7;

/// A digit disguise that spells a word exactly (`m0mo`) counts from this length.
pub(super) const DISGUISE_MIN_LEN: usize = 4;

/// Adjacent swaps keep the letters, so they are safer than other edits: allowed from this length.
pub(super) const SWAP_MIN_LEN: usize = 5;

/// Undoes the usual digit/letter disguises: `0`→`o`, `1`→`l`, `rn`→`m`, `vv`→`w`. Writes into
/// `out` and says whether anything changed.
pub(super) fn undisguise(s: &str, out: &mut String) -> bool {
    out.clear();
    let plain =
        !s.bytes().any(|b| b == b'0' || b == b'1') && !s.contains("rn") && !s.contains("vv");
    if plain {
        out.push_str(s);
        return false;
    }
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match (b[i], b.get(i + 1)) {
            (b'r', Some(b'n')) => {
                out.push('m');
                i += 2;
                continue;
            }
            (b'v', Some(b'v')) => {
                out.push('w');
                i += 2;
                continue;
            }
            (b'0', _) => out.push('o'),
            (b'1', _) => out.push('l'),
            (c, _) => out.push(c as char),
        }
        i += 1;
    }
    out.len() != s.len() || out.as_str() != s
}

/// Words this long are also found misspelt at the start of a longer token (`agribamkvn`):
/// shorter ones would meet chance near-misses in real names.
pub(super) const INSIDE_MIN_LEN: usize = 8;

/// Words this long also match at two edits (`vietcombnk`→`vietcmbnk`): a ten-letter brand two
/// letters off is still unmistakable, a shorter one reaches real names.
pub(super) const TWO_EDITS_MIN_LEN: usize = 10;

/// Whether `s` starts with a misspelling of `word` by exactly one edit (not `word` itself), with
/// more letters after it (`agribamkvn` for `agribank`).
pub(super) fn misspelt_at_start(s: &[u8], word: &[u8]) -> bool {
    let l = word.len();
    // One edit in a word of `INSIDE_MIN_LEN`+ letters leaves its first or its last three whole:
    // most tokens fail both at once, before any edit is counted.
    let head = s.starts_with(&word[..3]);
    (l - 1..=l + 1).any(|len| {
        len < s.len()
            && (head || s[len - 3..len] == word[l - 3..])
            && matches!(one_edit(&s[..len], word), Edit::One | Edit::Swap)
    })
}

/// The letter pairs of a label, as a bit set, for a cheap test before counting edits.
pub(super) struct Bigrams([u64; BIGRAM_WORDS]);

/// 36 × 36 letter-and-digit pairs, in 64-bit words.
const BIGRAM_WORDS: usize = (super::shape::SYMBOLS * super::shape::SYMBOLS).div_ceil(64);

impl Bigrams {
    /// The pairs of `s`.
    pub fn of(s: &[u8]) -> Bigrams {
        let mut bits = [0u64; BIGRAM_WORDS];
        for i in 0..s.len().saturating_sub(1) {
            if let Some(k) = super::shape::bigram(&s[i..]) {
                bits[k / 64] |= 1 << (k % 64);
            }
        }
        Bigrams(bits)
    }

    /// Whether a label with these pairs can be within two edits of `word`: each edit breaks at
    /// most two of the word's pairs, so at least `len − 1 − 4` of them must be present.
    pub fn may_be_within_two(&self, word: &[u8]) -> bool {
        let need = word.len().saturating_sub(5);
        let have = (0..word.len().saturating_sub(1))
            .filter_map(|i| super::shape::bigram(&word[i..]))
            .filter(|&k| self.0[k / 64] & (1 << (k % 64)) != 0)
            .count();
        have >= need
    }
}

/// Whether `a` and `b` are exactly two edits apart (Levenshtein, each swap counted as two).
pub(super) fn two_edits(a: &[u8], b: &[u8]) -> bool {
    if a.len().abs_diff(b.len()) > 2 || a.len() > 64 || b.len() > 64 {
        return false;
    }
    let mut prev: [u8; 65] = [0; 65];
    let mut cur: [u8; 65] = [0; 65];
    for (j, p) in prev.iter_mut().enumerate().take(b.len() + 1) {
        *p = j as u8;
    }
    for i in 1..=a.len() {
        cur[0] = i as u8;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let sub = prev[j - 1] + u8::from(a[i - 1] != b[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
            row_min = row_min.min(cur[j]);
        }
        if row_min > 2 {
            return false;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()] == 2
}

/// How `a` differs from `b` when the difference is one edit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Edit {
    /// Equal.
    None,
    /// Two neighbouring letters swapped.
    Swap,
    /// One letter inserted, removed or replaced (a doubled letter is an insertion).
    One,
    /// Further apart.
    Far,
}

/// The single edit between `a` and `b`, if they differ by at most one (Damerau).
pub(super) fn one_edit(a: &[u8], b: &[u8]) -> Edit {
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return Edit::Far;
    }
    // One edit leaves the first or the last letter in place: a cheap early out for most pairs.
    if la > 1 && lb > 1 && a[0] != b[0] && a[la - 1] != b[lb - 1] {
        return Edit::Far;
    }
    if a == b {
        return Edit::None;
    }
    let p = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if la == lb {
        if a[p + 1..] == b[p + 1..] {
            return Edit::One;
        }
        if p + 1 < la && a[p] == b[p + 1] && a[p + 1] == b[p] && a[p + 2..] == b[p + 2..] {
            return Edit::Swap;
        }
        return Edit::Far;
    }
    let (long, short) = if la > lb { (a, b) } else { (b, a) };
    if long[p + 1..] == short[p..] {
        Edit::One
    } else {
        Edit::Far
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits() {
        assert_eq!(one_edit(b"vietcombank", b"vietcombank"), Edit::None);
        assert_eq!(one_edit(b"vietcombnak", b"vietcombank"), Edit::Swap);
        assert_eq!(one_edit(b"vietcombankk", b"vietcombank"), Edit::One);
        assert_eq!(one_edit(b"vietconbank", b"vietcombank"), Edit::One);
        assert_eq!(one_edit(b"vietcmbank", b"vietcombank"), Edit::One);
        assert_eq!(one_edit(b"vietcbomank", b"vietcombank"), Edit::Far);
        let mut s = String::new();
        assert!(undisguise("faceb00k", &mut s));
        assert_eq!(s, "facebook");
        assert!(undisguise("vietcornbank", &mut s));
        assert_eq!(s, "vietcombank");
        assert!(!undisguise("zalo", &mut s));
    }
}
