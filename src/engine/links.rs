//! Links on a page: judged in one batch, each distinct address once, with the text each shows.

use serde::Deserialize;
use url::Url;

use super::page_keys::PageMap;
use super::{Batch, Engine};
use crate::tables::psl;
use crate::verdict::{Category, Level, Reason, ReasonCode, Verdict};

/// A link found on a page: where it goes and what it shows.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Link {
    /// The `href`, absolute.
    pub href: String,
    /// The text the user sees, when it may name an address.
    #[serde(default)]
    pub text: Option<String>,
}

/// The links worth marking on a page, from [`Engine::mark_links`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkMarks {
    /// `(link index, index into verdicts)` for each link to mark, in input order.
    pub marks: Vec<(u32, u32)>,
    /// The distinct verdicts the marks point at, each `warn` or `block`.
    pub verdicts: Vec<Verdict>,
}

/// What one `href` came to, kept for the rest of a batch.
struct JudgedHref {
    verdict: Verdict,
    /// The registrable domain of the link's own host, once a link's text needs it.
    own: Option<Option<String>>,
    /// Where this verdict sits in [`LinkMarks::verdicts`], once a link has used it unchanged.
    marked: Option<u32>,
}

/// The caches of one batch of links: a page repeats the same addresses and the same texts.
struct LinkJudge<'a> {
    /// What every check in this batch shares (the lookalike memo); dropped with the batch.
    batch: Batch,
    hrefs: Vec<JudgedHref>,
    by_href: PageMap<&'a str, usize>,
    /// Text -> the registrable domain it shows, if it reads as an address.
    shown: PageMap<&'a str, Option<String>>,
}

impl<'a> LinkJudge<'a> {
    /// The caches of a new batch, empty.
    fn new() -> LinkJudge<'a> {
        LinkJudge {
            batch: Batch::links(),
            hrefs: Vec::new(),
            by_href: PageMap::default(),
            shown: PageMap::default(),
        }
    }

    /// The slot of `href`'s verdict, and the trimmed text when it names another domain.
    fn judge(
        &mut self,
        engine: &Engine,
        href: &'a str,
        text: Option<&'a str>,
    ) -> (usize, Option<&'a str>) {
        let hrefs = &mut self.hrefs;
        let batch = &mut self.batch;
        let slot = *self.by_href.entry(href).or_insert_with(|| {
            hrefs.push(JudgedHref {
                verdict: engine.finish(engine.judge(href, 0, batch)),
                own: None,
                marked: None,
            });
            hrefs.len() - 1
        });
        let Some(text) = text.map(str::trim).filter(|t| t.contains('.')) else {
            return (slot, None);
        };
        let shown = self
            .shown
            .entry(text)
            .or_insert_with(|| engine.shown_domain(text));
        let Some(shown) = shown.as_deref() else {
            return (slot, None);
        };
        let judged = &mut self.hrefs[slot];
        let own = judged
            .own
            .get_or_insert_with(|| engine.url_registrable(href));
        let differs =
            own.as_deref() != Some(shown) && judged.verdict.bypass_scope.as_deref() != Some(shown);
        (slot, differs.then_some(text))
    }
}

impl Engine {
    /// Judges the links of a page in one call. Repeated `href`s are judged once; a link whose
    /// text shows one domain while it leads to another is a lookalike in itself.
    pub fn check_links(&self, links: &[Link]) -> Vec<Verdict> {
        let mut judge = LinkJudge::new();
        links
            .iter()
            .map(|link| {
                let (base, mismatch) = judge.judge(self, &link.href, link.text.as_deref());
                let mut v = judge.hrefs[base].verdict.clone();
                if let Some(text) = mismatch {
                    self.mismatch(&mut v, text);
                }
                v
            })
            .collect()
    }

    /// Only the links of a page worth marking (`warn` or `block`), from `(href, text)` pairs:
    /// the same findings as [`Engine::check_links`], with each distinct verdict made once and
    /// shared by every link that has it. A page of thousands of links has a few dozen.
    pub fn mark_links<'a, I>(&self, links: I) -> LinkMarks
    where
        I: IntoIterator<Item = (&'a str, Option<&'a str>)>,
    {
        let mut judge = LinkJudge::new();
        let mut out = LinkMarks::default();
        // (href slot, shown text) -> index in `out.verdicts`, for links whose text mismatches.
        let mut mismatched: PageMap<(usize, &'a str), u32> = PageMap::default();
        for (index, (href, text)) in links.into_iter().enumerate() {
            // No address is not a link (a packed batch's trailing line break): never a mark.
            if href.trim().is_empty() {
                continue;
            }
            let (base, mismatch) = judge.judge(self, href, text);
            let slot = match mismatch {
                None if judge.hrefs[base].verdict.level < Level::Warn => continue,
                None => {
                    let judged = &mut judge.hrefs[base];
                    *judged.marked.get_or_insert_with(|| {
                        out.verdicts.push(judged.verdict.clone());
                        out.verdicts.len() as u32 - 1
                    })
                }
                Some(text) => *mismatched.entry((base, text)).or_insert_with(|| {
                    let mut v = judge.hrefs[base].verdict.clone();
                    self.mismatch(&mut v, text);
                    out.verdicts.push(v);
                    out.verdicts.len() as u32 - 1
                }),
            };
            out.marks.push((index as u32, slot));
        }
        out
    }

    /// Adds `link_text_mismatch` for a link whose text (`shown`, trimmed) names another domain.
    fn mismatch(&self, v: &mut Verdict, shown: &str) {
        self.raise(
            v,
            Level::Warn,
            Category::Lookalike,
            Reason::new(ReasonCode::LinkTextMismatch, shown),
        );
    }

    /// The registrable domain a link's text shows, if the text reads as an address
    /// (`vneid.gov.vn`, `https://bit.ly/x`) rather than words.
    fn shown_domain(&self, text: &str) -> Option<String> {
        let t = text.trim();
        let t = ["https://", "http://"]
            .iter()
            .find_map(|p| {
                t.get(..p.len())
                    .filter(|h| h.eq_ignore_ascii_case(p))
                    .map(|_| &t[p.len()..])
            })
            .unwrap_or(t);
        let host = t.split(['/', '?', '#']).next().unwrap_or_default();
        if host.is_empty()
            || !host.contains('.')
            || host.contains(char::is_whitespace)
            || host.contains('@')
        {
            return None;
        }
        let url::Host::Domain(d) = url::Host::parse(host).ok()? else {
            return None;
        };
        let parts = psl::parts(self.resolver.as_ref(), &d)?;
        // Only a listed suffix makes text an address: "VNeID.apk" or "v1.2" are not.
        parts
            .info
            .listed
            .then(|| parts.registrable.map(str::to_string))
            .flatten()
    }

    /// The registrable domain of an absolute URL's own host.
    fn url_registrable(&self, url: &str) -> Option<String> {
        let u = Url::parse(url).ok()?;
        let host = u.host_str()?;
        psl::registrable_domain(self.resolver.as_ref(), host).map(str::to_string)
    }
}
