//! Brand words in a foreign host: distinctive words anywhere (`dichvucongs.top`),
//! combo-squats of a word with keywords (`chplay-vn.top`, `zaloweb.pro`, `taiapp-vneid.online`),
//! and brand words as subdomains of unrelated domains (`dichvucong.example.com`).

use super::targets::{Mode, Tables};

/// Where in the host a brand word was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Place {
    /// The registrable label is the bare word (`vietcombank.top`).
    Bare,
    /// In the registrable label, with keywords or as a distinctive word.
    Label,
    /// At the start of a token of the registrable label, followed by letters that are not
    /// keywords (`mbbankvn24`, `garenalqm`).
    Prefix,
    /// In a subdomain label only.
    Subdomain,
}

/// A combo word this long is distinctive enough to be read at the start of a longer token
/// (`mbbank…`, `garena…`); shorter ones (`zalo`, `momo`) begin ordinary names (`zalora`, `momondo`).
const PREFIX_MIN: usize = 6;

/// A distinctive (`Strong`) word anywhere in the flattened part left of the suffix.
pub(super) fn strong_word(t: &Tables, flat_prefix: &[u8]) -> Option<u16> {
    (0..flat_prefix.len()).find_map(|i| {
        t.words
            .starting(&flat_prefix[i..])
            .find(|n| n.mode == Mode::Strong)
            .map(|n| n.target)
    })
}

/// The target whose word `label` (one DNS label) carries with only keywords around it.
pub(super) fn in_label(t: &Tables, label: &str) -> Option<(u16, bool, Mode)> {
    let toks: Vec<&str> = label.split('-').filter(|s| !s.is_empty()).collect();
    for (k, tok) in toks.iter().enumerate() {
        let b = tok.as_bytes();
        for p in 0..b.len() {
            for n in t.words.starting(&b[p..]) {
                let end = p + n.text.len();
                let ok = match n.mode {
                    // A short word must stand alone between dashes.
                    Mode::Exact => p == 0 && end == b.len(),
                    _ => t.is_keywords(&tok[..p]) && t.is_keywords(&tok[end..]),
                };
                if ok
                    && toks
                        .iter()
                        .enumerate()
                        .all(|(j, o)| j == k || t.is_keywords(o))
                {
                    return Some((
                        n.target,
                        toks.len() == 1 && p == 0 && end == b.len(),
                        n.mode,
                    ));
                }
            }
        }
    }
    None
}

/// The brand word in the host's labels left of the suffix: the registrable label first.
pub(super) fn brand(t: &Tables, prefix: &str) -> Option<(u16, Place, Mode)> {
    let mut labels = prefix.rsplit('.');
    let reg = labels.next()?;
    if let Some((target, bare, mode)) = in_label(t, reg) {
        let place = if bare { Place::Bare } else { Place::Label };
        return Some((target, place, mode));
    }
    if let Some((target, mode)) = at_token_start(t, reg) {
        return Some((target, Place::Prefix, mode));
    }
    // `v-neid`, `techcom-bank`: a brand broken by dashes reads whole once they are dropped.
    if reg.contains('-') {
        let joined = reg.replace('-', "");
        if let Some((target, _, mode)) = in_label(t, &joined) {
            return Some((target, Place::Label, mode));
        }
    }
    labels.find_map(|l| in_label(t, l).map(|(target, _, mode)| (target, Place::Subdomain, mode)))
}

/// A Vietnamese brand's combo word of at least [`PREFIX_MIN`] letters that starts one of
/// `label`'s tokens. Global brands' words begin too many other companies' names
/// (`messenger-club`) to count this way.
fn at_token_start(t: &Tables, label: &str) -> Option<(u16, Mode)> {
    label.split('-').find_map(|tok| {
        t.words
            .starting(tok.as_bytes())
            .find(|n| {
                n.mode == Mode::Combo
                    && n.text.len() >= PREFIX_MIN
                    && !t.targets[n.target as usize].global
            })
            .map(|n| (n.target, n.mode))
    })
}
