//! Personal data in text the user is about to publish: citizen ID numbers (CCCD and the old
//! CMND), Vietnamese mobile numbers and home-address shapes.
//!
//! The police advice behind it: do not post your phone number, address or ID number publicly.
//! The text never leaves the device; the extension calls this through WebAssembly while the user
//! writes. Scanning is hand-written (no regex crate, to keep the wasm small), linear in the text
//! and panic-free; offsets are UTF-16 code units so JavaScript can highlight them directly.
//!
//! Rules decided (see `tests/data/personal_cases.tsv` for examples):
//! - A number is never taken from inside a longer number: digits, a letter, or a decimal/grouping
//!   mark followed by more digits on either side rule it out, and a grouped number may not
//!   continue with another group of the same run.
//! - A number followed by a currency word (`đồng`, `VND`, `triệu`, `k`, …) is an amount.
//! - A number preceded by an account, order, invoice or tax-code label is not an ID (a phone
//!   number stays a phone number: people use it as their account number).
//! - Only mobile numbers count as phones: landlines (024…, 028…) and the police's own 069
//!   numbering (hotline 0694.387.389) are offices' public numbers, not personal data.
//! - A CCCD needs a listed province code and a century digit 0–3; a card of someone born in the
//!   2000s (digit 2 or 3) cannot show a birth year past 40. Nine grouped digits (`123 456 789`)
//!   count as a CMND only after an ID-card word; nine contiguous digits always do.
//! - Numbers may be grouped by single spaces, dots or dashes, in groups of 2–6 digits. A spaced
//!   run that goes on (`0912 345 678 2 lần`) is left alone: a longer number is likelier.
//! - An address needs a house number next to a street word, then an administrative unit with a
//!   name (or an `địa chỉ` label followed by a number or street word and such a unit); `45
//!   Nguyễn Huệ, quận 1` without either is left alone, to keep ordinary sentences quiet. Keywords
//!   match with their diacritics when the text has any, by bare letters when it has none.
//! - Masks keep the first and last three digits (a phone keeps its network prefix); an address
//!   keeps its words and hides its digits.

use serde::Serialize;

/// What kind of personal data a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonalKind {
    /// A 12-digit citizen identity number (CCCD) with a valid province code.
    CitizenId,
    /// A 9-digit identity card number (the old CMND).
    OldId,
    /// A Vietnamese mobile phone number.
    Phone,
    /// A home address: house number, street and administrative unit.
    Address,
}

impl PersonalKind {
    /// The stable code, as serialized: `citizen_id`, `old_id`, `phone`, `address`.
    pub fn code(self) -> &'static str {
        match self {
            PersonalKind::CitizenId => "citizen_id",
            PersonalKind::OldId => "old_id",
            PersonalKind::Phone => "phone",
            PersonalKind::Address => "address",
        }
    }
}

/// One piece of personal data found in the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonalFinding {
    /// What was found.
    pub kind: PersonalKind,
    /// Start, in UTF-16 code units (JavaScript string indices).
    pub start: usize,
    /// End (exclusive), in UTF-16 code units.
    pub end: usize,
    /// The finding with its middle hidden, safe to show back: `0912***678`, `001******345`.
    pub masked: String,
}

/// Personal data in `text`, in text order, non-overlapping.
pub fn find_personal_data(text: &str) -> Vec<PersonalFinding> {
    let mut chars = Vec::with_capacity(text.len());
    let mut u = 0;
    for c in text.chars() {
        chars.push(Ch { c, u });
        u += c.len_utf16();
    }
    let scan = Scan::new(&chars, u);
    let numbers = scan.numbers();
    let addresses = scan.addresses();
    if addresses.is_empty() {
        return numbers;
    }
    // Merge the two sorted lists; numbers win over an address that would swallow them.
    let mut found = Vec::with_capacity(numbers.len() + addresses.len());
    let mut nums = numbers.into_iter().peekable();
    for a in addresses {
        while let Some(n) = nums.next_if(|n| n.end <= a.start) {
            found.push(n);
        }
        if nums.peek().is_none_or(|n| n.start >= a.end) {
            found.push(a);
        }
    }
    found.extend(nums);
    found
}

/// The province named by a CCCD's first three digits (`"066"` → `Some("Đắk Lắk")`).
pub fn province_name(code: &str) -> Option<&'static str> {
    let b = code.as_bytes();
    if b.len() != 3 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = u16::from(b[0] - b'0') * 100 + u16::from(b[1] - b'0') * 10 + u16::from(b[2] - b'0');
    province_by_number(n)
}

/// All province codes and names, in code order.
pub fn provinces_list() -> Vec<(&'static str, &'static str)> {
    PROVINCES.to_vec()
}

// `PROVINCES` and `province_by_number`, compiled by `build/` from `data/province_codes.tsv`.
include!(concat!(env!("OUT_DIR"), "/provinces.rs"));

/// Mobile prefixes after the leading 0 (two digits). Source: Ministry of Information and
/// Communications numbering plan (Circular 22/2014/TT-BTTTT and its amendments) and the 2018
/// conversion of 11-digit mobile numbers to 10 digits (Viettel 032–039, 086, 096–098; MobiFone
/// 070, 076–079, 089, 090, 093; VinaPhone 081–085, 088, 091, 094; Vietnamobile 052, 056, 058,
/// 092; Gmobile 059, 099; Reddi 055; Itel 087). 095 (the former S-Fone) is kept: a missed
/// phone costs more than a rare extra warning.
fn mobile_prefix(a: u8, b: u8) -> bool {
    match a {
        b'3' => (b'2'..=b'9').contains(&b),
        b'5' => matches!(b, b'2' | b'5' | b'6' | b'8' | b'9'),
        b'7' => matches!(b, b'0' | b'6'..=b'9'),
        b'8' => (b'1'..=b'9').contains(&b),
        b'9' => b.is_ascii_digit(),
        _ => false,
    }
}

/// One character with its UTF-16 offset.
#[derive(Clone, Copy)]
struct Ch {
    c: char,
    u: usize,
}

/// Characters that may join digit groups of one number (`0912 345 678`, `001.099.012.345`).
fn is_sep(c: char) -> bool {
    matches!(c, ' ' | '.' | '-' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Currency and unit words that make a number an amount.
const MONEY_WORDS: &[&str] = &[
    "đ", "đồng", "d", "dong", "vnd", "vnđ", "k", "tr", "triệu", "trieu", "tỷ", "tỉ", "ty", "ti",
    "nghìn", "ngàn", "nghin", "ngan", "usd", "xu", "%", "$", "₫",
];

/// Labels (ASCII-folded) that say a number is an ID card number.
const ID_WORDS: &[&str] = &[
    " cmnd ",
    " cmtnd ",
    " cmt ",
    " chung minh ",
    " so cm ",
    " cccd ",
    " can cuoc ",
    " dinh danh ",
];

/// Labels (ASCII-folded) that say a number is something else: account, order, invoice, tax code.
const OTHER_NUMBER_WORDS: &[&str] = &[
    " stk ",
    " tk ",
    " so tk ",
    " tai khoan ",
    " account ",
    " ma don ",
    " don hang ",
    " hoa don ",
    " order ",
    " ma so thue ",
    " mst ",
    " van don ",
    " giao dich ",
    " ma gd ",
    " ma kh ",
    " khach hang ",
    " ho so ",
    " so hieu ",
    " serial ",
    " seri ",
    " imei ",
];

/// Labels (ASCII-folded) that say a 10-digit number is not a phone.
const NOT_PHONE_WORDS: &[&str] = &[" ma so thue ", " mst ", " imei "];

/// How many characters before a number are read for its label.
const LABEL_WINDOW: usize = 40;

/// The text, split for scanning.
struct Scan<'a> {
    ch: &'a [Ch],
    /// UTF-16 length of the whole text.
    u_end: usize,
    /// Maximal runs of ASCII digits, as char index ranges.
    groups: Vec<(usize, usize)>,
}

/// A number match: char range, digits, kind.
struct NumMatch {
    s: usize,
    e: usize,
    last: usize,
    digits: String,
    kind: PersonalKind,
}

impl<'a> Scan<'a> {
    fn new(ch: &'a [Ch], u_end: usize) -> Self {
        let mut groups = Vec::new();
        let mut i = 0;
        while i < ch.len() {
            if ch[i].c.is_ascii_digit() {
                let s = i;
                while i < ch.len() && ch[i].c.is_ascii_digit() {
                    i += 1;
                }
                groups.push((s, i));
            } else {
                i += 1;
            }
        }
        Scan { ch, u_end, groups }
    }

    fn u(&self, i: usize) -> usize {
        self.ch.get(i).map_or(self.u_end, |c| c.u)
    }

    fn c(&self, i: usize) -> Option<char> {
        self.ch.get(i).map(|c| c.c)
    }

    fn glen(&self, g: usize) -> usize {
        self.groups[g].1 - self.groups[g].0
    }

    /// Whether group `g` continues into group `g + 1` through one separator.
    fn link(&self, g: usize) -> bool {
        g + 1 < self.groups.len()
            && self.groups[g].1 + 1 == self.groups[g + 1].0
            && self.c(self.groups[g].1).is_some_and(is_sep)
    }

    /// The last group when groups from `i` on hold exactly `total` digits (groups of 2–6 digits
    /// when there is more than one).
    fn take(&self, i: usize, total: usize) -> Option<usize> {
        let mut sum = 0;
        let mut g = i;
        loop {
            sum += self.glen(g);
            if sum == total {
                if g > i && !(i..=g).all(|k| (2..=6).contains(&self.glen(k))) {
                    return None;
                }
                return Some(g);
            }
            if sum > total || !self.link(g) {
                return None;
            }
            g += 1;
        }
    }

    fn digits(&self, i: usize, j: usize) -> String {
        let mut d = String::with_capacity(12);
        for g in i..=j {
            let (s, e) = self.groups[g];
            d.extend(self.ch[s..e].iter().map(|c| c.c));
        }
        d
    }

    /// Nothing before char `s` (the match's first char, group `i`) makes it part of a longer
    /// number or code.
    fn clear_before(&self, s: usize, i: usize, grouped: bool) -> bool {
        if s == 0 {
            return true;
        }
        let p = self.ch[s - 1].c;
        if p.is_alphanumeric() || p == '#' || p == '_' {
            return false;
        }
        if grouped && i > 0 && self.groups[i].0 == s && self.link(i - 1) {
            return false;
        }
        if matches!(p, '.' | ',') && s >= 2 && self.ch[s - 2].c.is_ascii_digit() {
            return false;
        }
        // A currency sign in front makes it an amount.
        let mut k = s;
        while k > 0 && matches!(self.ch[k - 1].c, ' ' | '\u{a0}') {
            k -= 1;
        }
        !(k > 0 && matches!(self.ch[k - 1].c, '$' | '₫'))
    }

    /// Nothing after char `e` (one past the last digit, group `j`) makes it part of a longer
    /// number, a code or an amount.
    fn clear_after(&self, e: usize, j: usize, grouped: bool) -> bool {
        let Some(c) = self.c(e) else { return true };
        if c.is_alphanumeric() || c == '_' {
            return false;
        }
        if grouped && self.link(j) {
            return false;
        }
        if matches!(c, '.' | ',') && self.c(e + 1).is_some_and(|d| d.is_ascii_digit()) {
            return false;
        }
        !self.money_after(e)
    }

    /// Whether a currency or unit word follows char `e`.
    fn money_after(&self, e: usize) -> bool {
        let mut k = e;
        while self.c(k).is_some_and(|c| c == ' ' || c == '\u{a0}') {
            k += 1;
        }
        let mut w = String::new();
        while let Some(c) = self.c(k) {
            if !(c.is_alphabetic() || matches!(c, '%' | '$' | '₫')) || w.len() > 12 {
                break;
            }
            w.extend(c.to_lowercase());
            k += 1;
        }
        MONEY_WORDS.contains(&w.as_str())
    }

    /// The `LABEL_WINDOW` characters before char `s`, ASCII-folded, words between spaces.
    fn label_before(&self, s: usize) -> String {
        let from = s.saturating_sub(LABEL_WINDOW);
        let mut w = String::from(" ");
        for c in &self.ch[from..s] {
            let f = plain_char(c.c.to_lowercase().next().unwrap_or(c.c));
            if f.is_ascii_alphanumeric() {
                w.push(f);
            } else if !w.ends_with(' ') {
                w.push(' ');
            }
        }
        if !w.ends_with(' ') {
            w.push(' ');
        }
        w
    }

    fn labelled(&self, s: usize, words: &[&str]) -> bool {
        let l = self.label_before(s);
        words.iter().any(|w| l.contains(w))
    }

    /// An ID number may not carry another number's label (unless an ID label is also there).
    fn other_label(&self, s: usize) -> bool {
        let l = self.label_before(s);
        OTHER_NUMBER_WORDS.iter().any(|w| l.contains(w)) && !ID_WORDS.iter().any(|w| l.contains(w))
    }

    /// All numeric findings, in text order.
    fn numbers(&self) -> Vec<PersonalFinding> {
        let mut out = Vec::new();
        let mut after = 0; // first char not yet covered by a finding
        let mut i = 0;
        while i < self.groups.len() {
            if self.groups[i].0 < after {
                i += 1;
                continue;
            }
            let m = self
                .phone_intl(i)
                .or_else(|| self.phone_national(i))
                .or_else(|| self.citizen_id(i))
                .or_else(|| self.old_id(i));
            match m {
                Some(m) => {
                    out.push(PersonalFinding {
                        kind: m.kind,
                        start: self.u(m.s),
                        end: self.u(m.e),
                        masked: mask_number(m.kind, &m.digits),
                    });
                    after = m.e;
                    i = m.last + 1;
                }
                None => i += 1,
            }
        }
        out
    }

    /// `+84 912 345 678`, `(+84) 912-345-678`, `+84912345678`, `84 912 345 678`.
    fn phone_intl(&self, i: usize) -> Option<NumMatch> {
        let (gs, ge) = self.groups[i];
        let d0 = self.c(gs)?;
        let d1 = self.c(gs + 1)?;
        if (d0, d1) != ('8', '4') {
            return None;
        }
        // What stands before the 84: `+`, `(+`, `(` or nothing.
        let plus = gs > 0 && self.ch[gs - 1].c == '+';
        let mut s = if plus { gs - 1 } else { gs };
        let mut paren = false;
        if s > 0 && self.ch[s - 1].c == '(' {
            s -= 1;
            paren = true;
        }
        let (first, rest_from) = if ge - gs == 2 {
            // `84` alone: the national number starts after `)` and/or one separator.
            let mut k = ge;
            if paren {
                if self.c(k)? != ')' {
                    return None;
                }
                k += 1;
            }
            if self.c(k).is_some_and(is_sep) {
                k += 1;
            }
            if i + 1 >= self.groups.len() || self.groups[i + 1].0 != k {
                return None;
            }
            (i + 1, 0)
        } else if paren {
            return None;
        } else {
            (i, 2)
        };
        // National part: 9 digits, or 10 with a stray 0 after an explicit `+84`.
        let lead0 = self.c(self.groups[first].0 + rest_from) == Some('0');
        let want = if lead0 && (plus || paren) { 10 } else { 9 } + rest_from;
        let last = self.take(first, want)?;
        let digits = self.digits(first, last);
        let national = &digits.as_bytes()[rest_from..];
        let national = if want - rest_from == 10 {
            &national[1..]
        } else {
            national
        };
        if national.len() != 9 || !mobile_prefix(national[0], national[1]) {
            return None;
        }
        let e = self.groups[last].1;
        let grouped = last > first || first > i;
        if !self.clear_before(s, i, grouped) || !self.clear_after(e, last, grouped) {
            return None;
        }
        if !plus && !paren && first == i && !self.clear_before(s, i, true) {
            return None;
        }
        let mut all = String::from("84");
        all.push_str(std::str::from_utf8(national).ok()?);
        Some(NumMatch {
            s,
            e,
            last,
            digits: all,
            kind: PersonalKind::Phone,
        })
    }

    /// `0912345678`, `0912 345 678`, `0912.345.678`, `091-234-5678`.
    fn phone_national(&self, i: usize) -> Option<NumMatch> {
        let (gs, _) = self.groups[i];
        if self.c(gs)? != '0' {
            return None;
        }
        let last = self.take(i, 10)?;
        let digits = self.digits(i, last);
        let b = digits.as_bytes();
        if !mobile_prefix(b[1], b[2]) {
            return None;
        }
        let e = self.groups[last].1;
        let grouped = last > i;
        if !self.clear_before(gs, i, grouped) || !self.clear_after(e, last, grouped) {
            return None;
        }
        if self.labelled(gs, NOT_PHONE_WORDS) {
            return None;
        }
        Some(NumMatch {
            s: gs,
            e,
            last,
            digits,
            kind: PersonalKind::Phone,
        })
    }

    /// 12 digits: province code, century/sex digit 0–3, birth year, 6 digits.
    fn citizen_id(&self, i: usize) -> Option<NumMatch> {
        let (gs, _) = self.groups[i];
        let last = self.take(i, 12)?;
        let digits = self.digits(i, last);
        let b = digits.as_bytes();
        province_name(&digits[..3])?;
        let century = b[3];
        if !(b'0'..=b'3').contains(&century) {
            return None;
        }
        // Born in the 2000s: a birth year past 2040 cannot be on a card yet.
        let year = (b[4] - b'0') * 10 + (b[5] - b'0');
        if century >= b'2' && year > 40 {
            return None;
        }
        let e = self.groups[last].1;
        let grouped = last > i;
        if !self.clear_before(gs, i, grouped)
            || !self.clear_after(e, last, grouped)
            || self.other_label(gs)
        {
            return None;
        }
        Some(NumMatch {
            s: gs,
            e,
            last,
            digits,
            kind: PersonalKind::CitizenId,
        })
    }

    /// 9 digits: contiguous, or grouped when an ID-card word stands just before.
    fn old_id(&self, i: usize) -> Option<NumMatch> {
        let (gs, _) = self.groups[i];
        let last = self.take(i, 9)?;
        let e = self.groups[last].1;
        let grouped = last > i;
        if !self.clear_before(gs, i, grouped)
            || !self.clear_after(e, last, grouped)
            || self.other_label(gs)
        {
            return None;
        }
        if grouped && !self.labelled(gs, &ID_WORDS[..5]) {
            return None;
        }
        Some(NumMatch {
            s: gs,
            e,
            last,
            digits: self.digits(i, last),
            kind: PersonalKind::OldId,
        })
    }
}

/// Hides the middle of a number: the first three and last three digits stay (a phone keeps its
/// network prefix).
fn mask_number(kind: PersonalKind, digits: &str) -> String {
    let n = digits.len();
    let keep_front = match kind {
        PersonalKind::Phone => n.saturating_sub(6),
        _ => 3.min(n),
    };
    let keep_back = 3.min(n - keep_front);
    let mut out = String::new();
    if kind == PersonalKind::Phone && digits.starts_with("84") && n == 11 {
        out.push('+');
    }
    out.push_str(&digits[..keep_front]);
    out.extend(std::iter::repeat_n('*', n - keep_front - keep_back));
    out.push_str(&digits[n - keep_back..]);
    out
}

// ---------------------------------------------------------------------------------------------
// Vietnamese letters: case and diacritics folding, for NFC and decomposed (NFD) input alike.

/// Each vowel row: the six tones (none, huyền, sắc, hỏi, ngã, nặng), its base letter and its
/// modifier (0 none, 1 breve, 2 circumflex, 3 horn).
const ROWS: [(&str, char, u8); 12] = [
    ("aàáảãạ", 'a', 0),
    ("ăằắẳẵặ", 'a', 1),
    ("âầấẩẫậ", 'a', 2),
    ("eèéẻẽẹ", 'e', 0),
    ("êềếểễệ", 'e', 2),
    ("iìíỉĩị", 'i', 0),
    ("oòóỏõọ", 'o', 0),
    ("ôồốổỗộ", 'o', 2),
    ("ơờớởỡợ", 'o', 3),
    ("uùúủũụ", 'u', 0),
    ("ưừứửữự", 'u', 3),
    ("yỳýỷỹỵ", 'y', 0),
];

/// Row and tone of a Vietnamese vowel, either case.
fn decompose(c: char) -> Option<(usize, usize)> {
    if c.is_ascii() && !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y') {
        return None;
    }
    VOWELS
        .binary_search_by_key(&c, |e| e.0)
        .ok()
        .map(|i| (VOWELS[i].1 as usize, VOWELS[i].2 as usize))
}

/// How many letters [`VOWELS`] holds: each of `ROWS`' 72 in both cases.
const VOWEL_COUNT: usize = 144;

/// `ROWS`' letters in both cases as (letter, row, tone), sorted: a binary search instead of
/// decoding 72 letters per call. Computed by the compiler, so no start-up pays for it.
const VOWELS: [(char, u8, u8); VOWEL_COUNT] = vowel_table();

/// Builds [`VOWELS`] at compile time (a mistake in `ROWS` is a compile error, never a panic).
const fn vowel_table() -> [(char, u8, u8); VOWEL_COUNT] {
    let mut t = [('\0', 0u8, 0u8); VOWEL_COUNT];
    let mut n = 0;
    let mut r = 0;
    while r < ROWS.len() {
        let b = ROWS[r].0.as_bytes();
        let (mut i, mut tone) = (0, 0u8);
        while i < b.len() {
            // One UTF-8 scalar: the rows hold 1- to 3-byte letters.
            let (cp, len) = if b[i] < 0x80 {
                (b[i] as u32, 1)
            } else if b[i] < 0xE0 {
                (((b[i] & 0x1F) as u32) << 6 | (b[i + 1] & 0x3F) as u32, 2)
            } else {
                let hi = ((b[i] & 0x0F) as u32) << 12 | ((b[i + 1] & 0x3F) as u32) << 6;
                (hi | (b[i + 2] & 0x3F) as u32, 3)
            };
            // `to_uppercase` is not const; these letters' capitals sit 0x20 below in ASCII and
            // Latin-1 and just below elsewhere (Latin Extended pairs). A unit test checks it.
            let up = if cp < 0x100 { cp - 0x20 } else { cp - 1 };
            t[n] = (scalar(cp), r as u8, tone);
            t[n + 1] = (scalar(up), r as u8, tone);
            n += 2;
            i += len;
            tone += 1;
        }
        r += 1;
    }
    assert!(n == VOWEL_COUNT, "ROWS must hold 12 rows of 6 letters");
    // Insertion sort: 144 entries, once, in the compiler.
    let mut i = 1;
    while i < VOWEL_COUNT {
        let mut j = i;
        while j > 0 && t[j - 1].0 as u32 > t[j].0 as u32 {
            let x = t[j - 1];
            t[j - 1] = t[j];
            t[j] = x;
            j -= 1;
        }
        i += 1;
    }
    t
}

/// `cp` as a `char`, in a const context.
const fn scalar(cp: u32) -> char {
    match char::from_u32(cp) {
        Some(c) => c,
        None => panic!("not a Unicode scalar value"),
    }
}

fn compose(row: usize, tone: usize) -> char {
    ROWS[row].0.chars().nth(tone).unwrap_or(ROWS[row].1)
}

/// A word character's lowercase form and bare letter; `None` for anything else. Vietnamese
/// letters are looked up in the small table, not in the Unicode tables (it is the hot path).
fn letter(c: char) -> Option<(char, char)> {
    if c.is_ascii() {
        let l = c.to_ascii_lowercase();
        return c.is_ascii_alphanumeric().then_some((l, l));
    }
    if c == 'đ' || c == 'Đ' {
        return Some(('đ', 'd'));
    }
    if let Some((row, tone)) = decompose(c) {
        return Some((compose(row, tone), ROWS[row].1));
    }
    if c.is_alphanumeric() {
        let l = c.to_lowercase().next().unwrap_or(c);
        return Some((l, plain_char(l)));
    }
    None
}

/// A lowercase letter without its diacritics (`ệ` → `e`, `đ` → `d`).
fn plain_char(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    if c == 'đ' {
        return 'd';
    }
    decompose(c).map_or(c, |(r, _)| ROWS[r].1)
}

/// A short lowercase word kept inline (no allocation per word); longer words overflow and then
/// match nothing, which is right: no keyword or house number is that long.
#[derive(Clone, Copy)]
struct Small {
    len: u8,
    buf: [u8; Small::CAP],
}

impl Small {
    const CAP: usize = 24;
    const OVERFLOW: u8 = u8::MAX;

    fn new() -> Self {
        Small {
            len: 0,
            buf: [0; Small::CAP],
        }
    }

    fn push(&mut self, c: char) {
        if self.len == Self::OVERFLOW {
            return;
        }
        let mut b = [0; 4];
        let e = c.encode_utf8(&mut b).as_bytes();
        let at = self.len as usize;
        if at + e.len() > Self::CAP {
            self.len = Self::OVERFLOW;
            return;
        }
        self.buf[at..at + e.len()].copy_from_slice(e);
        self.len += e.len() as u8;
    }

    fn pop(&mut self) -> Option<char> {
        if self.len == Self::OVERFLOW {
            return None;
        }
        let c = self.as_str().chars().next_back()?;
        self.len -= c.len_utf8() as u8;
        Some(c)
    }

    fn bytes(&self) -> &[u8] {
        if self.len == Self::OVERFLOW {
            return &[0xff];
        }
        &self.buf[..self.len as usize]
    }

    fn as_str(&self) -> &str {
        if self.len == Self::OVERFLOW {
            return "\u{fffd}";
        }
        std::str::from_utf8(&self.buf[..self.len as usize]).unwrap_or("\u{fffd}")
    }
}

/// Applies a combining mark to the last letter of `key` (decomposed input).
fn apply_mark(key: &mut Small, m: char) {
    let Some(last) = key.pop() else { return };
    let Some((row, tone)) = decompose(last) else {
        key.push(last);
        return;
    };
    let (base, modifier) = (ROWS[row].1, ROWS[row].2);
    let (new_mod, new_tone) = match m {
        '\u{300}' => (modifier, 1),
        '\u{301}' => (modifier, 2),
        '\u{309}' => (modifier, 3),
        '\u{303}' => (modifier, 4),
        '\u{323}' => (modifier, 5),
        '\u{306}' => (1, tone),
        '\u{302}' => (2, tone),
        '\u{31b}' => (3, tone),
        _ => (modifier, tone),
    };
    let new_row = ROWS
        .iter()
        .position(|r| r.1 == base && r.2 == new_mod)
        .unwrap_or(row);
    key.push(compose(new_row, new_tone));
}

fn is_mark(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

// ---------------------------------------------------------------------------------------------
// Addresses.

/// A word or number of the text.
struct Tok {
    s: usize,
    e: usize,
    num: bool,
    cap: bool,
    /// Lowercase, composed (NFC).
    key: Small,
    /// Lowercase, without diacritics.
    plain: Small,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    None,
    Street,
    Admin,
    /// `số` before a house number.
    HouseMark,
    /// A later word of a multi-word keyword.
    Part,
}

/// Street words: the house number stands next to one of them.
const STREET: &[&[&str]] = &[
    &["số", "nhà"],
    &["đại", "lộ"],
    &["đường"],
    &["phố"],
    &["ngõ"],
    &["ngách"],
    &["hẻm"],
    &["kiệt"],
];

/// Administrative units, larger than a street; checked before streets (`thành phố` ≠ `phố`).
const ADMIN: &[&[&str]] = &[
    &["tổ", "dân", "phố"],
    &["khu", "phố"],
    &["thành", "phố"],
    &["thị", "trấn"],
    &["thị", "xã"],
    &["phường"],
    &["xã"],
    &["quận"],
    &["huyện"],
    &["thôn"],
    &["ấp"],
    &["xóm"],
    &["khóm"],
    &["tỉnh"],
    &["tp"],
    &["tx"],
];

/// Abbreviations whose dot does not end a sentence (`P. Bến Nghé`, `Q.1`, `TP. Huế`).
const ABBREVIATIONS: &[&str] = &["p", "q", "tp", "tx", "tt", "h", "đ", "f", "kp", "sn", "tdp"];

/// How many tokens after the street the administrative unit may come.
const ADDRESS_WINDOW: usize = 12;

/// Longest name kept after an administrative word.
const NAME_WORDS_CAPITALISED: usize = 5;
const NAME_WORDS_LOWERCASE: usize = 3;

/// The gap between two tokens.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Gap {
    /// Whitespace only.
    Space,
    /// Joined by a dot without space (`TP.HCM`, `Q.1`).
    Joined,
    /// A comma, dash, colon or abbreviation dot: still the same address.
    Comma,
    /// A sentence end, line break or other punctuation.
    Break,
}

impl<'a> Scan<'a> {
    fn tokens(&self) -> (Vec<Tok>, bool) {
        let ch = self.ch;
        let mut toks = Vec::new();
        let mut marked = false;
        let mut i = 0;
        while i < ch.len() {
            if letter(ch[i].c).is_none() {
                i += 1;
                continue;
            }
            let s = i;
            let mut key = Small::new();
            let mut plain = Small::new();
            while i < ch.len() {
                let c = ch[i].c;
                if is_mark(c) {
                    apply_mark(&mut key, c);
                    marked = true;
                } else if let Some((l, p)) = letter(c) {
                    marked |= p != l;
                    key.push(l);
                    plain.push(p);
                } else if c == '/'
                    && ch[s].c.is_ascii_digit()
                    && ch.get(i + 1).is_some_and(|n| n.c.is_ascii_digit())
                {
                    key.push('/');
                    plain.push('/');
                } else {
                    break;
                }
                i += 1;
            }
            toks.push(Tok {
                s,
                e: i,
                num: ch[s].c.is_ascii_digit(),
                cap: ch[s].c.is_uppercase(),
                key,
                plain,
            });
        }
        (toks, marked)
    }

    fn gap(&self, toks: &[Tok], t: usize) -> Gap {
        let Some(next) = toks.get(t + 1) else {
            return Gap::Break;
        };
        let (mut comma, mut dot, mut space) = (false, false, false);
        for c in &self.ch[toks[t].e..next.s] {
            match c.c {
                '\n' | '\r' => return Gap::Break,
                ',' | '-' | '–' | ':' => comma = true,
                '.' => dot = true,
                c if c.is_whitespace() => space = true,
                _ => return Gap::Break,
            }
        }
        if dot {
            if !space {
                Gap::Joined
            } else if ABBREVIATIONS.contains(&toks[t].key.as_str()) {
                Gap::Comma
            } else {
                Gap::Break
            }
        } else if comma {
            Gap::Comma
        } else {
            Gap::Space
        }
    }

    /// Addresses, in text order.
    fn addresses(&self) -> Vec<PersonalFinding> {
        let (toks, marked) = self.tokens();
        // Cheap exit: no address word at all.
        if toks.len() < 3 {
            return Vec::new();
        }
        let gaps: Vec<Gap> = (0..toks.len()).map(|t| self.gap(&toks, t)).collect();
        let is = |t: usize, kw: &str| word_is(&toks[t], kw, marked);
        let mut roles = vec![Role::None; toks.len()];
        let mut kw_len = vec![1usize; toks.len()];
        let mut t = 0;
        while t < toks.len() {
            let mut hit = None;
            for (list, role) in [(ADMIN, Role::Admin), (STREET, Role::Street)] {
                for kw in list {
                    let fits = t + kw.len() <= toks.len()
                        && kw.iter().enumerate().all(|(k, w)| {
                            is(t + k, w) && (k == 0 || gaps[t + k - 1] == Gap::Space)
                        });
                    if fits {
                        hit = Some((role, kw.len()));
                        break;
                    }
                }
                if hit.is_some() {
                    break;
                }
            }
            // `P.`/`Q.` and `Q1`, `P5`.
            if hit.is_none() {
                let k = toks[t].key.as_str();
                let b = k.as_bytes();
                let abbreviated =
                    (k == "p" || k == "q") && !matches!(gaps[t], Gap::Space | Gap::Break);
                let numbered = (2..=3).contains(&b.len())
                    && (b[0] == b'p' || b[0] == b'q')
                    && b[1..].iter().all(u8::is_ascii_digit);
                if abbreviated || numbered {
                    hit = Some((Role::Admin, 1));
                } else if is(t, "số") {
                    hit = Some((Role::HouseMark, 1));
                }
            }
            if let Some((role, len)) = hit {
                roles[t] = role;
                kw_len[t] = len;
                for r in roles.iter_mut().skip(t + 1).take(len - 1) {
                    *r = Role::Part;
                }
                t += len;
            } else {
                t += 1;
            }
        }
        if !roles.contains(&Role::Admin) {
            return Vec::new();
        }
        let a = Addr {
            toks: &toks,
            gaps: &gaps,
            roles: &roles,
            kw_len: &kw_len,
            marked,
        };
        let mut out = Vec::new();
        let mut t = 0;
        while t < toks.len() {
            let hit = a.labelled(t).or_else(|| a.house(t));
            if let Some((first, last)) = hit {
                let (s, e) = (toks[first].s, toks[last].e);
                let mut masked = String::new();
                for c in &self.ch[s..e] {
                    masked.push(if c.c.is_ascii_digit() { '*' } else { c.c });
                }
                out.push(PersonalFinding {
                    kind: PersonalKind::Address,
                    start: self.u(s),
                    end: self.u(e),
                    masked,
                });
                t = last + 1;
            } else {
                t += 1;
            }
        }
        out
    }
}

/// Whether a token is the keyword: exactly (with its diacritics) when the text is written with
/// diacritics, by the bare letters when it is not (`phuong` = `phường` only in unaccented text,
/// so `Bình Dương` never reads as `đường` and `cơ quan` never as `quận`).
fn word_is(tok: &Tok, kw: &str, marked: bool) -> bool {
    if tok.num {
        return false;
    }
    if marked {
        tok.key.bytes() == kw.as_bytes()
    } else {
        let p = tok.plain.bytes();
        p.len() <= kw.len()
            && p.iter()
                .copied()
                .eq(kw.chars().map(|c| plain_char(c) as u8))
    }
}

/// A house number: `12`, `12A`, `12/3`, `12/3B`.
fn house_number(tok: &Tok) -> bool {
    if !tok.num {
        return false;
    }
    tok.key.as_str().split('/').all(|part| {
        let digits = part.bytes().take_while(u8::is_ascii_digit).count();
        let letters = part.len() - digits;
        (1..=4).contains(&digits)
            && letters <= 1
            && part.bytes().skip(digits).all(|b| b.is_ascii_lowercase())
    })
}

/// The address rules over the tokens.
struct Addr<'t> {
    toks: &'t [Tok],
    gaps: &'t [Gap],
    roles: &'t [Role],
    kw_len: &'t [usize],
    marked: bool,
}

impl Addr<'_> {
    fn open(&self, from: usize, to: usize) -> bool {
        (from..to).all(|k| self.gaps[k] != Gap::Break)
    }

    /// `địa chỉ (nhà|thường trú|…): <number or street> … <unit> <name>`: first and last token.
    fn labelled(&self, t: usize) -> Option<(usize, usize)> {
        let n = self.toks.len();
        if t + 1 >= n
            || !word_is(&self.toks[t], "địa", self.marked)
            || !word_is(&self.toks[t + 1], "chỉ", self.marked)
        {
            return None;
        }
        // The value: the first number, street, `số` or unit within a few words.
        let v = (t + 2..n.min(t + 8)).find(|&k| {
            house_number(&self.toks[k])
                || matches!(self.roles[k], Role::Street | Role::Admin | Role::HouseMark)
        })?;
        if !self.open(t + 1, v) {
            return None;
        }
        let mut seen = false;
        for k in v..n.min(v + ADDRESS_WINDOW) {
            if k > v && self.gaps[k - 1] == Gap::Break {
                return None;
            }
            if self.roles[k] == Role::Admin && seen {
                return self.tail(k).map(|e| (v, e));
            }
            seen |= house_number(&self.toks[k]) || self.roles[k] == Role::Street;
        }
        None
    }

    /// A house number next to a street word, then a unit: first and last token.
    fn house(&self, t: usize) -> Option<(usize, usize)> {
        if !house_number(&self.toks[t]) {
            return None;
        }
        let mark =
            (t > 0 && self.roles[t - 1] == Role::HouseMark && self.gaps[t - 1] != Gap::Break)
                .then(|| t - 1);
        let street = |k: usize| self.roles.get(k) == Some(&Role::Street);
        let (first, street_at) = if t >= 1 && street(t - 1) && self.open(t - 1, t) {
            (t - 1, t - 1)
        } else if t >= 2
            && street(t - 2)
            && matches!(self.roles[t - 1], Role::HouseMark | Role::Part)
            && self.open(t - 2, t)
        {
            (t - 2, t - 2)
        } else if street(t + 1) && self.open(t, t + 1) {
            (mark.unwrap_or(t), t + 1)
        } else if street(t + 2) && self.open(t, t + 2) && self.gaps[t] == Gap::Comma {
            (mark.unwrap_or(t), t + 2)
        } else {
            return None;
        };
        let from = street_at.max(t) + 1;
        for k in from..self.toks.len().min(from + ADDRESS_WINDOW) {
            if self.gaps[k - 1] == Gap::Break {
                return None;
            }
            if self.roles[k] == Role::Admin {
                if let Some(e) = self.tail(k) {
                    return Some((first, e));
                }
            }
        }
        None
    }

    /// Whether token `k` may be part of a unit's name: a plain word, or a capitalised street
    /// word (`phường Phố Huế`).
    fn name_word(&self, k: usize) -> bool {
        match self.roles[k] {
            Role::None => true,
            Role::Street => self.toks[k].cap && self.kw_len[k] == 1,
            _ => false,
        }
    }

    /// The end of the administrative part that starts at unit word `a`: its name, then further
    /// units and a final province name. `None` when the unit word has no name.
    fn tail(&self, mut a: usize) -> Option<usize> {
        let n = self.toks.len();
        let mut end = None;
        loop {
            let kw_end = a + self.kw_len[a] - 1;
            let key = self.toks[a].key.as_str();
            let named_in_word = key.len() > 1 && key.as_bytes()[1..].iter().all(u8::is_ascii_digit);
            let mut e = kw_end;
            let nx = kw_end + 1;
            if named_in_word {
                // `Q1`, `P5`: the name is in the word.
            } else if nx < n && self.gaps[kw_end] != Gap::Break && self.name_word(nx) {
                if self.toks[nx].num {
                    e = nx;
                } else {
                    let cap = self.toks[nx].cap;
                    let max = if cap {
                        NAME_WORDS_CAPITALISED
                    } else {
                        NAME_WORDS_LOWERCASE
                    };
                    let mut m = nx;
                    while m < n
                        && m - nx < max
                        && !self.toks[m].num
                        && self.name_word(m)
                        && (!cap || self.toks[m].cap)
                        && (m == nx || matches!(self.gaps[m - 1], Gap::Space | Gap::Joined))
                    {
                        e = m;
                        m += 1;
                    }
                }
            }
            if e == kw_end && !named_in_word {
                return end;
            }
            end = Some(e);
            // Go on with the next unit (`, quận 1`) or end with a province name (`, Hà Nội`).
            let b = e + 1;
            if b >= n || self.gaps[e] == Gap::Break {
                return end;
            }
            if self.roles[b] == Role::Admin {
                a = b;
                continue;
            }
            if self.gaps[e] == Gap::Comma {
                let mut m = b;
                while m < n
                    && m - b < 4
                    && !self.toks[m].num
                    && self.toks[m].cap
                    && self.roles[m] == Role::None
                    && (m == b || matches!(self.gaps[m - 1], Gap::Space | Gap::Joined))
                {
                    m += 1;
                }
                if m > b && (m == n || !matches!(self.gaps[m - 1], Gap::Space | Gap::Joined)) {
                    end = Some(m - 1);
                }
            }
            return end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_handles_decomposed_text() {
        let mut k = Small::new();
        for c in "phu\u{31b}o\u{31b}\u{300}ng".chars() {
            if is_mark(c) {
                apply_mark(&mut k, c);
            } else {
                k.push(c);
            }
        }
        assert_eq!(k.as_str(), "phường");
        assert_eq!(plain_char('ệ'), 'e');
        assert_eq!(plain_char('đ'), 'd');
    }

    #[test]
    fn vowel_table_matches_unicode_case_mapping() {
        let mut want: Vec<(char, u8, u8)> = ROWS
            .iter()
            .enumerate()
            .flat_map(|(r, row)| {
                row.0.chars().enumerate().flat_map(move |(tone, ch)| {
                    let up = ch.to_uppercase().next().unwrap_or(ch);
                    [(ch, r as u8, tone as u8), (up, r as u8, tone as u8)]
                })
            })
            .collect();
        want.sort_unstable();
        assert_eq!(VOWELS.to_vec(), want);
        assert_eq!(decompose('Ự'), Some((10, 5)));
        assert_eq!(decompose('b'), None);
    }

    #[test]
    fn masks() {
        assert_eq!(mask_number(PersonalKind::Phone, "0912345678"), "0912***678");
        assert_eq!(
            mask_number(PersonalKind::Phone, "84912345678"),
            "+84912***678"
        );
        assert_eq!(
            mask_number(PersonalKind::CitizenId, "001099012345"),
            "001******345"
        );
        assert_eq!(mask_number(PersonalKind::OldId, "123456789"), "123***789");
    }
}
