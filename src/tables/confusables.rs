//! Confusable skeletons: a Unicode host folded to the ASCII it imitates.
//!
//! Uses a reduced UTS #39 table (see `data/lookalike/CONFUSABLES.md`) plus Vietnamese diacritic
//! folding, because real attacks use `ạ ị ọ ẹ ỉ ả` (dot-below and hook letters), not only
//! Cyrillic. Each label is also checked for mixed scripts (Latin with Cyrillic, Greek, …).

#[path = "fold_table.rs"]
mod fold_table;

use fold_table::FOLD;

/// A name folded to ASCII.
#[derive(Debug, Default)]
pub(crate) struct Folded {
    /// ASCII letters, digits, `.` and `-`; `?` for characters with no ASCII prototype.
    pub text: String,
    /// Whether any character was folded or dropped (the name was an IDN that looks ASCII).
    pub changed: bool,
    /// Whether some label mixes Latin letters with letters of another alphabet.
    pub mixed_script: bool,
}

/// The ASCII prototype of `c`, if the table has one.
pub(crate) fn prototype(c: char) -> Option<&'static str> {
    let i = FOLD.binary_search_by_key(&(c as u32), |e| e.0).ok()?;
    let b = &FOLD[i].1;
    let n = b.iter().position(|&x| x == 0).unwrap_or(b.len());
    std::str::from_utf8(&b[..n]).ok()
}

/// Scripts that matter for mixing: Latin is the one imitated, the others imitate it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Other,
    Neutral,
}

fn script(c: char) -> Script {
    match c as u32 {
        0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF => Script::Latin,
        // Greek, Cyrillic, Armenian, Cherokee, Latin-lookalike IPA is neutral.
        0x370..=0x3FF | 0x400..=0x52F | 0x530..=0x58F | 0x13A0..=0x13FF | 0x1F00..=0x1FFF => {
            Script::Other
        }
        _ => Script::Neutral,
    }
}

/// Folds a display-form name (labels separated by `.`).
pub(crate) fn fold(display: &str) -> Folded {
    let mut out = Folded {
        text: String::with_capacity(display.len()),
        ..Folded::default()
    };
    let (mut latin, mut other) = (false, false);
    for c in display.chars() {
        if c == '.' {
            out.mixed_script |= latin && other;
            (latin, other) = (false, false);
            out.text.push('.');
            continue;
        }
        match script(c) {
            Script::Latin => latin = true,
            Script::Other => other = true,
            Script::Neutral => {}
        }
        if c.is_ascii() {
            out.text.push(c.to_ascii_lowercase());
        } else if ('\u{300}'..='\u{36F}').contains(&c) {
            // A bare combining mark: the letter it sits on already counts.
            out.changed = true;
        } else if let Some(p) = prototype(c) {
            out.text.push_str(p);
            out.changed = true;
        } else {
            out.text.push('?');
            out.changed = true;
        }
    }
    out.mixed_script |= latin && other;
    out
}

/// Whether `label` is written only in Cyrillic or Greek letters (digits and dashes aside), each
/// of which has a Latin prototype (`ѕһорее` reads as `shopee`).
pub(crate) fn whole_script_latin_lookalike(label: &str) -> bool {
    let mut letters = 0;
    for c in label.chars() {
        match script(c) {
            Script::Other
                if prototype(c).is_some_and(|p| p.bytes().all(|b| b.is_ascii_alphabetic())) =>
            {
                letters += 1
            }
            Script::Neutral if c.is_ascii_digit() || c == '-' => {}
            _ => return false,
        }
    }
    letters > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_and_cyrillic_fold_to_ascii() {
        assert_eq!(fold("vietcombạnk").text, "vietcombank");
        assert_eq!(fold("dịchvụcông").text, "dichvucong");
        assert_eq!(fold("đà").text, "da");
        let f = fold("аpple.com");
        assert_eq!(f.text, "apple.com");
        assert!(f.changed && f.mixed_script);
        assert!(!fold("пример.рф").mixed_script);
    }

    /// Every mapping of the vendored UTS #39 file that can matter in a host (one code point
    /// that IDNA keeps as it is, an ASCII letters-and-digits prototype) is in the table.
    #[test]
    fn table_holds_every_host_relevant_row_of_the_full_data() {
        let text = include_str!("../../data/lookalike/confusables.txt");
        let mut checked = 0;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or_default().trim();
            let cols: Vec<&str> = line.split(';').map(str::trim).collect();
            if cols.len() < 2 || cols[0].contains(' ') || cols[0].is_empty() {
                continue;
            }
            let Some(c) = u32::from_str_radix(cols[0], 16)
                .ok()
                .and_then(char::from_u32)
            else {
                continue;
            };
            let proto: String = cols[1]
                .split_whitespace()
                .filter_map(|h| u32::from_str_radix(h, 16).ok().and_then(char::from_u32))
                .collect::<String>()
                .to_lowercase();
            if c.is_ascii() || proto.is_empty() || !proto.bytes().all(|b| b.is_ascii_alphanumeric())
            {
                continue;
            }
            // IDNA keeps `c` as it is: it can stand in a host name.
            let label = c.to_string();
            let stable = idna::domain_to_ascii(&label)
                .ok()
                .map(|a| idna::domain_to_unicode(&a).0)
                .is_some_and(|u| u == label);
            if stable {
                assert_eq!(prototype(c), Some(proto.as_str()), "U+{:04X}", c as u32);
                checked += 1;
            }
        }
        assert!(checked > 300, "{checked} rows checked");
    }

    #[test]
    fn whole_script_lookalikes() {
        assert!(whole_script_latin_lookalike("ѕһорее"));
        assert!(!whole_script_latin_lookalike("пример"));
        assert!(!whole_script_latin_lookalike("shopee"));
        assert!(!whole_script_latin_lookalike("viêtcombank"));
    }
}
