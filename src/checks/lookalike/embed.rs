//! Target embedding: a target's real domain inside a foreign host, in subdomains
//! (`dichvucong.gov.vn.xacminh-cutru.top`), glued with a dash (`vietcombank.com.vn-hc.info`)
//! or with dashes for dots (`dich-vu-cong.gov-vn.top`); and `gov.vn` used outside `gov.vn`.

use super::targets::Tables;

/// Longest host the flat buffer takes (DNS allows 253).
const MAX_HOST: usize = 253;

/// A host with its separators removed, remembering where tokens began and ended.
pub(super) struct Flat {
    buf: [u8; MAX_HOST],
    len: usize,
    /// `bound[i]`: a token boundary lies before `buf[i]` (or at the end).
    bound: [bool; MAX_HOST + 1],
    /// How many flat bytes come from the labels left of the public suffix.
    pub prefix_len: usize,
}

impl Flat {
    /// Flattens a folded host given as the part left of the suffix and the suffix
    /// (`a-b` + `c` → `abc`, boundaries at 0, 1, 2, 3).
    pub fn new(prefix: &str, suffix: &str) -> Flat {
        let mut f = Flat {
            buf: [0; MAX_HOST],
            len: 0,
            bound: [false; MAX_HOST + 1],
            prefix_len: 0,
        };
        f.bound[0] = true;
        for (k, part) in [prefix, suffix].into_iter().enumerate() {
            if k == 1 {
                f.prefix_len = f.len;
                f.bound[f.len] = true;
            }
            for &b in part.as_bytes() {
                if f.len == MAX_HOST {
                    break;
                }
                if b.is_ascii_alphanumeric() {
                    f.buf[f.len] = b;
                    f.len += 1;
                } else {
                    f.bound[f.len] = true;
                }
            }
        }
        f.bound[f.len] = true;
        f
    }

    /// The flattened bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// The target whose legit domain sits inside `host` between token boundaries. A global
/// brand's domain must end left of the public suffix (`prefix_len` flat bytes): `google.com.hk`
/// and `apple.com.cn` are the brands' own country sites.
pub(super) fn embedded_domain(t: &Tables, flat: &Flat, prefix_len: usize) -> Option<u16> {
    let b = flat.bytes();
    (0..b.len()).filter(|&i| flat.bound[i]).find_map(|i| {
        t.domains
            .starting(&b[i..])
            .find(|n| {
                let end = i + n.text.len();
                flat.bound[end] && (end <= prefix_len || !t.targets[n.target as usize].global)
            })
            .map(|n| n.target)
    })
}

/// Whether `flat` contains `needle` between token boundaries (for protected domains).
pub(super) fn contains_at_bounds(flat: &Flat, needle: &[u8]) -> bool {
    let b = flat.bytes();
    !needle.is_empty()
        && b.len() >= needle.len()
        && (0..=b.len() - needle.len()).any(|i| {
            flat.bound[i] && flat.bound[i + needle.len()] && &b[i..i + needle.len()] == needle
        })
}

/// Whether a host outside `gov.vn` dresses as one: tokens `gov` then `vn` anywhere
/// (`dichvucong-gov.vn`, `gov-vn.top`), or a token ending in `govn`/`govvn` (`lgovn.cc`).
pub(super) fn fake_gov(prefix: &str, suffix: &str) -> bool {
    let last = prefix.rsplit(['.', '-']).next().unwrap_or(prefix);
    fake_gov_in(prefix) || (last == "gov" && suffix.starts_with("vn"))
}

/// Labels that stand for "the site itself" before a dressed suffix (`www.vn-abc.com`), not a name.
const SITE_PREFIXES: &[&str] = &["www", "m", "web", "mobile"];

/// A Vietnamese domain dressed into a foreign host: a label `vn` or `vn-…` after a named label
/// in the part left of the real suffix (`tuoitre.vn.tin-moi`, `sacombank.vn-ne`,
/// `scb.com.vn-cr`). Returns the domain it reads as (`tuoitre.vn`, `scb.com.vn`).
pub(super) fn dressed_vn(prefix: &str) -> Option<String> {
    // Most hosts have no `vn` label after a dot: no allocation for them.
    if !prefix.contains(".vn") {
        return None;
    }
    let labels: Vec<&str> = prefix.split('.').collect();
    let k = (1..labels.len()).find(|&k| {
        let l = labels[k];
        (l == "vn" && k + 1 < labels.len()) || l.starts_with("vn-")
    })?;
    // `scb.com.vn-…`: the second-level `com` belongs to the dressed suffix.
    let second_level = k >= 2 && matches!(labels[k - 1], "com" | "gov" | "net" | "org" | "edu");
    let name_at = if second_level { k - 2 } else { k - 1 };
    let name = labels[name_at];
    if SITE_PREFIXES.contains(&name) || name.is_empty() {
        return None;
    }
    let mut out = labels[name_at..k].join(".");
    out.push_str(".vn");
    Some(out)
}

fn fake_gov_in(host: &str) -> bool {
    let mut prev = "";
    for tok in host.split(['.', '-']) {
        if (prev == "gov" && tok.starts_with("vn"))
            || tok.ends_with("govn")
            || tok.ends_with("govvn")
        {
            return true;
        }
        prev = tok;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gov_shapes() {
        assert!(fake_gov("dichvucong-gov", "vn"));
        assert!(fake_gov("dich-vu-cong.gov-vn", "top"));
        assert!(fake_gov("viet.lgovn", "cc"));
        assert!(!fake_gov("gov", "uk"));
        assert!(!fake_gov("governor", "com"));
    }

    #[test]
    fn dressed_vn_suffixes() {
        assert_eq!(
            dressed_vn("tuoitre.vn.tin-moi").as_deref(),
            Some("tuoitre.vn")
        );
        assert_eq!(
            dressed_vn("sacombank.vn-ne").as_deref(),
            Some("sacombank.vn")
        );
        assert_eq!(dressed_vn("scb.com.vn-cr").as_deref(), Some("scb.com.vn"));
        assert_eq!(dressed_vn("com.vn-sp").as_deref(), Some("com.vn"));
        assert_eq!(dressed_vn("www.vn-findmy"), None);
        assert_eq!(dressed_vn("vn.investing"), None);
        assert_eq!(dressed_vn("shop.vnexpress"), None);
    }

    #[test]
    fn bounds() {
        let f = Flat::new("vietcombank.com.vn-hc", "info");
        assert!(contains_at_bounds(&f, b"vietcombankcomvn"));
        assert!(!contains_at_bounds(&f, b"vietcombankco"));
    }
}
