//! Lookalike and impersonation detection (the `lookalike` category).
//!
//! The engine hands each check the host's [`Facts`]; the detector answers with at most one
//! [`LookalikeMatch`] naming the target it imitates. Techniques, each in its own file:
//! [`confusables`] (skeletons, diacritic folding, mixed scripts), [`edit`] (typos),
//! [`embed`] (a real domain inside a foreign host, fake `gov.vn`), [`combo`] (brand words with
//! keywords, as subdomains) and [`risk`] (weights only). Targets live in `data/lookalike/`.

mod combo;
mod edit;
mod embed;
mod risk;
mod shape;
mod targets;

/// The weight of a host's risk signals (cheap TLD, free hosting), for checks outside this module.
pub(crate) use risk::weight as risk_weight;

use crate::checks::facts::{self, Facts, HostKind};
use crate::tables::confusables;
use crate::verdict::{Level, Reason, ReasonCode};

/// A match scores at least this to be reported; risk weights only top up weaker signals.
const WARN_SCORE: u8 = 2;
/// A real domain embedded in a foreign host, or `gov.vn` faked: near-certain.
const SCORE_EMBEDDED: u8 = 3;
/// A brand word, combo-squat or typo in the registrable label.
const SCORE_BRAND: u8 = 2;
/// A global brand's bare word on another TLD (`facebook.de`) is usually the brand's own:
/// it needs a risk signal (`facebook.site`).
const SCORE_BARE_GLOBAL: u8 = 1;
/// A Vietnamese brand's bare word on a foreign country TLD (`seabank.co.id`), or a short one
/// (`acb.com`, `msb.gov.tr`): other companies share the name, so it needs a risk signal.
const SCORE_BARE_WEAK: u8 = 1;
/// A one-edit typo: real names sit one edit from brands (`agibank`, `playstove`), so a typo
/// needs the audience's TLDs (vn, com, net, org) for a Vietnamese brand, or a risk signal.
const SCORE_TYPO: u8 = 1;
/// Country TLDs sold to anyone as generic names (`.me`, `.io`, `.cc`): not a foreign owner's home.
const GENERIC_CC: &[&str] = &["ai", "cc", "co", "gg", "io", "ly", "me", "to", "tv", "ws"];
/// TLDs a Vietnamese audience meets daily; a Vietnamese brand's typo there is aimed at them.
const HOME_TLDS: &[&str] = &["com", "net", "org", "vn"];
/// A Vietnamese brand's word at the start of a longer token on a foreign country TLD
/// (`garenax.co.id`): needs a risk signal.
const SCORE_PREFIX_WEAK: u8 = 1;
/// A brand word only in a subdomain of an unrelated site: needs a risk signal too.
const SCORE_SUBDOMAIN: u8 = 1;
/// A brand word in the path of a bare-IP URL: the IP is itself a risk signal (+1).
const SCORE_IP_PATH: u8 = 1;
/// Protected domains shorter than this (as a label) are matched only whole, not inside words.
const PROTECTED_SUBSTRING_MIN: usize = 6;

/// A host that imitates a protected target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookalikeMatch {
    /// How strongly to react: `Warn` for a likely imitation, `Block` for a near-certain one.
    pub level: Level,
    /// Why, with the imitated target as detail.
    pub reason: Reason,
    /// The imitated domain (ASCII), for "did you mean".
    pub imitates: String,
}

/// One of the organisation's own domains.
#[derive(Clone, Debug)]
struct Protected {
    domain: String,
    /// The label left of the suffix, letters and digits only (`sotttt` for `sotttt.gov.vn`).
    label: String,
    /// The whole domain, letters and digits only.
    flat: String,
}

/// Detects lookalikes of the built-in targets and the organisation's `protectedDomains`.
#[derive(Clone, Debug, Default)]
pub struct Detector {
    protected: Vec<Protected>,
}

/// What a technique found, before scoring.
struct Hit {
    imitates: String,
    code: ReasonCode,
    score: u8,
    /// A near-certain imitation: the folded name is a target's real domain
    /// (`vietcombạnk.com.vn`), or a brand match written with mixed alphabets.
    exact: bool,
}

impl Detector {
    /// A detector for the built-in targets plus `protected` (ASCII registrable domains).
    pub fn new(protected: &[String]) -> Detector {
        let protected = protected
            .iter()
            .map(|d| {
                let d = d.trim().trim_end_matches('.').to_ascii_lowercase();
                let resolver = crate::tables::psl::EmbeddedList;
                let label = crate::tables::psl::public_suffix(&resolver, &d)
                    .and_then(|s| d.get(..d.len().checked_sub(s.len() + 1)?))
                    .map(|l| l.rsplit('.').next().unwrap_or(l))
                    .unwrap_or(&d);
                Protected {
                    label: alphanumerics(label),
                    flat: alphanumerics(&d),
                    domain: d,
                }
            })
            .filter(|p| !p.label.is_empty())
            .collect();
        Detector { protected }
    }

    /// Whether `facts`' host is one of the organisation's protected domains or under one.
    pub fn is_protected(&self, facts: &Facts<'_>) -> bool {
        self.protected.iter().any(|p| facts.host_within(&p.domain))
    }

    /// The match for `facts`, if its host imitates a target.
    pub fn check(&self, facts: &Facts<'_>) -> Option<LookalikeMatch> {
        let hit = match facts.kind {
            HostKind::Domain => self.check_domain(facts)?,
            HostKind::Ipv4 | HostKind::Ipv6 => ip_path(facts)?,
            HostKind::None => return None,
        };
        let level = if hit.exact
            && matches!(
                hit.code,
                ReasonCode::LookalikeConfusable | ReasonCode::LookalikeMixedScript
            ) {
            Level::Block
        } else {
            Level::Warn
        };
        Some(LookalikeMatch {
            level,
            reason: Reason::new(hit.code, hit.imitates.clone()),
            imitates: hit.imitates,
        })
    }

    fn check_domain(&self, f: &Facts<'_>) -> Option<Hit> {
        let t = targets::tables();
        let reg = f.registrable?;
        let suffix = f.suffix?;
        if t.legit(reg).is_some()
            || f.host_within("gov.vn")
            || self.protected.iter().any(|p| f.host_within(&p.domain))
        {
            return None;
        }
        // Fold the labels left of the suffix; the suffix itself is the real one.
        let raw_prefix = f.host.get(..f.host.len().checked_sub(suffix.len() + 1)?)?;
        // Plain ASCII hosts (nearly all) are used as they are, without a copy.
        let folded = if facts::has_ace_label(raw_prefix) {
            confusables::fold(&facts::to_unicode(raw_prefix))
        } else {
            confusables::Folded::default()
        };
        let prefix = if folded.changed || folded.mixed_script {
            folded.text.as_str()
        } else {
            raw_prefix
        };
        let mut hit = match self.techniques(f, prefix, suffix, folded.changed) {
            Some(h) => h,
            // Latin mixed with Cyrillic or Greek in one label has no innocent use in a host.
            None if folded.mixed_script => Hit {
                imitates: format!("{}.{suffix}", prefix.rsplit('.').next().unwrap_or(prefix)),
                code: ReasonCode::LookalikeMixedScript,
                score: WARN_SCORE,
                exact: false,
            },
            None => return None,
        };
        // Mixed alphabets that also spell a brand are deliberate; a correctly accented
        // Vietnamese name (`bộcôngan.vn`) only warns.
        hit.exact |= folded.mixed_script && hit.code != ReasonCode::LookalikeMixedScript;
        if folded.changed && hit.code != ReasonCode::LookalikeMixedScript {
            // The same finding, reached through look-alike letters: the letters are the story.
            hit.code = if folded.mixed_script {
                ReasonCode::LookalikeMixedScript
            } else {
                ReasonCode::LookalikeConfusable
            };
            hit.score = hit.score.max(WARN_SCORE);
        }
        (hit.score >= WARN_SCORE).then_some(hit)
    }

    /// Runs the techniques on the folded prefix, strongest first.
    fn techniques(&self, f: &Facts<'_>, prefix: &str, suffix: &str, idn: bool) -> Option<Hit> {
        let t = targets::tables();
        let imitates = |i: u16| t.targets[i as usize].imitates.to_string();
        let reg_label = prefix.rsplit('.').next().unwrap_or(prefix);
        if idn {
            if let Some(i) = t.legit(&format!("{reg_label}.{suffix}")) {
                return Some(Hit {
                    imitates: imitates(i),
                    code: ReasonCode::LookalikeConfusable,
                    score: SCORE_EMBEDDED,
                    exact: true,
                });
            }
        }
        let flat = embed::Flat::new(prefix, suffix);
        let prefix_len = flat.prefix_len;
        if let Some(i) = embed::embedded_domain(t, &flat, prefix_len) {
            return Some(Hit {
                imitates: imitates(i),
                code: ReasonCode::LookalikeEmbedded,
                score: SCORE_EMBEDDED,
                exact: false,
            });
        }
        if !self.protected.is_empty() {
            // The host's side of the comparison, made once for all the protected domains (an
            // admin may list thousands).
            let mut undisguised = String::new();
            edit::undisguise(&alphanumerics(reg_label), &mut undisguised);
            for p in &self.protected {
                if let Some(h) = protected_hit(p, &flat, reg_label, &undisguised) {
                    return Some(h);
                }
            }
        }
        if let Some(i) = combo::strong_word(t, &flat.bytes()[..prefix_len]) {
            return Some(Hit {
                imitates: imitates(i),
                code: ReasonCode::LookalikeBrand,
                score: SCORE_BRAND,
                exact: false,
            });
        }
        let tld = suffix.rsplit('.').next().unwrap_or(suffix);
        // A foreign country's TLD (`seabank.co.id`) is where other owners of a name live.
        let foreign_cc = tld.len() == 2 && tld != "vn" && !GENERIC_CC.contains(&tld);
        // Look-alike letters are themselves a risk signal.
        let risk = || risk::weight(f) + u8::from(idn);
        let brand = combo::brand(t, prefix).filter(|&(_, place, _)| {
            // `viettelm0ney` starts with `viettel` but spells another brand in disguise.
            place != combo::Place::Prefix || typo(t, reg_label).is_none()
        });
        if let Some((i, place, mode)) = brand {
            let target = &t.targets[i as usize];
            let (score, code) = match place {
                combo::Place::Bare if target.global => {
                    (SCORE_BARE_GLOBAL, ReasonCode::LookalikeBrand)
                }
                combo::Place::Bare if mode == targets::Mode::Exact || foreign_cc => {
                    (SCORE_BARE_WEAK, ReasonCode::LookalikeBrand)
                }
                combo::Place::Label if foreign_cc && !target.global => {
                    (SCORE_BARE_WEAK, ReasonCode::LookalikeBrand)
                }
                combo::Place::Bare | combo::Place::Label => {
                    (SCORE_BRAND, ReasonCode::LookalikeBrand)
                }
                // A foreign country's TLD is where other owners of a name live.
                combo::Place::Prefix if foreign_cc => {
                    (SCORE_PREFIX_WEAK, ReasonCode::LookalikeBrand)
                }
                combo::Place::Prefix => (SCORE_BRAND, ReasonCode::LookalikeBrand),
                // `zalo.xacminh43.org`: the owner's own name is only scam keywords.
                combo::Place::Subdomain => (
                    SCORE_SUBDOMAIN + u8::from(t.is_keywords(&reg_label.replace('-', ""))),
                    ReasonCode::LookalikeBrandSubdomain,
                ),
            };
            let score = score + if score < WARN_SCORE { risk() } else { 0 };
            if score >= WARN_SCORE {
                return Some(Hit {
                    imitates: imitates(i),
                    code,
                    score,
                    exact: false,
                });
            }
        }
        if embed::fake_gov(prefix, suffix) {
            return Some(Hit {
                imitates: "dichvucong.gov.vn".to_string(),
                code: ReasonCode::LookalikeGov,
                score: SCORE_EMBEDDED,
                exact: false,
            });
        }
        // `tuoitre.vn.tin-moi.click`: any Vietnamese domain dressed into a foreign host, not
        // only the targets'. The real suffix must not be Vietnamese (`abc.vn.example.vn`).
        if !suffix.ends_with("vn") {
            if let Some(dressed) = embed::dressed_vn(prefix) {
                return Some(Hit {
                    imitates: dressed,
                    code: ReasonCode::LookalikeEmbedded,
                    score: SCORE_EMBEDDED,
                    exact: false,
                });
            }
        }
        let (i, disguised) = typo(t, reg_label)?;
        let aimed = HOME_TLDS.contains(&tld) || risk::risky_tld(tld);
        Some(Hit {
            imitates: imitates(i),
            code: ReasonCode::LookalikeTypo,
            // A digit disguise that spells the brand exactly (`m0mo`, `tikt0k`) is deliberate.
            score: if disguised {
                SCORE_BRAND
            } else {
                SCORE_TYPO + u8::from(aimed) + risk()
            },
            exact: false,
        })
    }
}

/// The ASCII letters and digits of `s`, in order (dots and dashes dropped).
fn alphanumerics(s: &str) -> String {
    s.bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(char::from)
        .collect()
}

/// A protected domain embedded, contained as a word, or one edit away (`undisguised`: the
/// registrable label's letters and digits with digit disguises undone).
fn protected_hit(
    p: &Protected,
    flat: &embed::Flat,
    reg_label: &str,
    undisguised: &str,
) -> Option<Hit> {
    let hit = |code| {
        Some(Hit {
            imitates: p.domain.clone(),
            code,
            score: SCORE_BRAND,
            exact: false,
        })
    };
    if p.flat.len() >= targets::DOMAIN_NEEDLE_MIN
        && embed::contains_at_bounds(flat, p.flat.as_bytes())
    {
        return hit(ReasonCode::LookalikeEmbedded);
    }
    if p.label.len() >= PROTECTED_SUBSTRING_MIN {
        if flat.bytes()[..flat.prefix_len]
            .windows(p.label.len())
            .any(|w| w == p.label.as_bytes())
        {
            return hit(ReasonCode::LookalikeBrand);
        }
        if matches!(
            edit::one_edit(undisguised.as_bytes(), p.label.as_bytes()),
            edit::Edit::None | edit::Edit::One | edit::Edit::Swap
        ) {
            return hit(ReasonCode::LookalikeTypo);
        }
    } else if reg_label.split('-').any(|tok| tok == p.label) {
        return hit(ReasonCode::LookalikeBrand);
    }
    None
}

/// The target whose word the registrable label misspells by one edit or a digit disguise: the
/// whole label with dashes dropped, or one dash-separated token when the others are keywords
/// (`viettcombank-vn`). Says whether it was a pure digit disguise.
fn typo(t: &targets::Tables, reg_label: &str) -> Option<(u16, bool)> {
    let flat = alphanumerics(reg_label);
    if let Some(hit) = typo_word(t, &flat) {
        return Some(hit);
    }
    let toks: Vec<&str> = reg_label.split('-').collect();
    let token_typo = toks.iter().enumerate().find_map(|(k, tok)| {
        let others_keywords = toks
            .iter()
            .enumerate()
            .all(|(j, o)| j == k || t.is_keywords(o));
        if others_keywords && toks.len() > 1 {
            typo_word(t, tok)
        } else {
            None
        }
    });
    token_typo.or_else(|| long_typo(t, reg_label, &flat))
}

/// A long brand word misspelt inside a longer name (`vietcornbank-so`, `agribamkvn`), or the
/// whole label two edits from a very long one. A brand spelt exactly is no edit away, so it is
/// never read as a typo of itself; labels a brand rule already judged never get here.
fn long_typo(t: &targets::Tables, reg_label: &str, flat: &str) -> Option<(u16, bool)> {
    if flat.len() + 1 < edit::INSIDE_MIN_LEN {
        return None;
    }
    let mut undone = String::new();
    edit::undisguise(flat, &mut undone);
    let b = undone.as_bytes();
    // Tokens with their disguises undone: a misspelt brand must start one (`agribamk-vn`), as a
    // brand's letters inside a word are often another word (`carecredit`, not `fecredit`).
    let toks: Vec<String> = if reg_label.contains('-') {
        reg_label
            .split('-')
            .map(|tok| {
                let mut u = String::new();
                edit::undisguise(tok, &mut u);
                u
            })
            .collect()
    } else {
        // One token: the label itself, already undisguised.
        vec![undone.clone()]
    };
    // Only words that fit: within two letters of the label, or shorter than a token.
    let longest_tok = toks.iter().map(String::len).max().unwrap_or(0);
    let max_len = (b.len() + 2)
        .max(longest_tok.saturating_sub(1))
        .min(targets::TYPO_MAX_LEN);
    let grams = edit::Bigrams::of(b);
    (edit::INSIDE_MIN_LEN..=max_len)
        .flat_map(|len| t.typo_by_len[len].iter())
        // A global brand's word misspelt inside a name is too often a real word (`telegraph`).
        .filter(|w| !t.targets[w.target as usize].global)
        .find_map(|w| {
            let word = w.text.as_bytes();
            let two = word.len() >= edit::TWO_EDITS_MIN_LEN
                && word.len().abs_diff(b.len()) <= 2
                && grams.may_be_within_two(word)
                && edit::two_edits(b, word);
            let inside = toks
                .iter()
                .any(|tok| tok.len() > word.len() && edit::misspelt_at_start(tok.as_bytes(), word));
            (two || inside).then_some((w.target, false))
        })
}

/// [`typo`] for one word.
fn typo_word(t: &targets::Tables, word: &str) -> Option<(u16, bool)> {
    // A word that is itself some target's word is that brand, not a typo of another.
    if word.len() < edit::DISGUISE_MIN_LEN || t.is_word(word) {
        return None;
    }
    let mut undone = String::new();
    let disguised = edit::undisguise(word, &mut undone);
    let n = undone.len();
    let lens = n.saturating_sub(1).max(edit::DISGUISE_MIN_LEN)..=(n + 1).min(targets::TYPO_MAX_LEN);
    // Longest first: when two brands are one edit away (`vietibank`: `vietabank`,
    // `vietinbank`), the longer one's neighbourhood is the sparser, so the likelier aim.
    lens.rev()
        .flat_map(|len| t.typo_by_len[len].iter())
        .find_map(
            |w| match edit::one_edit(undone.as_bytes(), w.text.as_bytes()) {
                edit::Edit::None if disguised => Some((w.target, true)),
                edit::Edit::Swap if w.text.len() >= edit::SWAP_MIN_LEN => Some((w.target, false)),
                edit::Edit::One if w.text.len() >= edit::TYPO_MIN_LEN => Some((w.target, false)),
                _ => None,
            },
        )
}

/// A bare-IP URL whose path names a distinctive brand (`http://1.2.3.4/vietcombank/login`).
fn ip_path(f: &Facts<'_>) -> Option<Hit> {
    let t = targets::tables();
    let flat: Vec<u8> = f
        .path_lower
        .bytes()
        .filter(u8::is_ascii_alphanumeric)
        .collect();
    let i = combo::strong_word(t, &flat)?;
    Some(Hit {
        imitates: t.targets[i as usize].imitates.to_string(),
        code: ReasonCode::LookalikeBrandIp,
        score: SCORE_IP_PATH + 1,
        exact: false,
    })
}
