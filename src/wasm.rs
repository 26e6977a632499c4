//! The JavaScript face of the engine. Conversions only: every decision is made in the crate.

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::verdict::WarningKind;
use crate::{Download, Lang, Policy};

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    // As JSON text parsed by `JSON.parse`: the same plain object (`None` is `null`, maps are
    // objects) as a serde_wasm_bindgen serialiser gave, without a second serialiser's code for
    // every type in the module. Only cold paths and warning verdicts come through here.
    let text = serde_json::to_string(value)
        .map_err(|e| JsError::new(&format!("cannot convert the result: {e}")))?;
    js_sys::JSON::parse(&text).map_err(|_| JsError::new("cannot convert the result"))
}

/// A JavaScript argument as `T`, through its JSON text (`JSON.stringify`): every key is seen, so
/// unknown ones are refused by name. A value JSON cannot hold (a cycle, a `BigInt`, a function)
/// is an error, `notPlain` saying where.
fn from_js<T: serde::de::DeserializeOwned>(value: &JsValue, not_plain: &str) -> Result<T, JsError> {
    serde_json::from_str(&json_text(value, not_plain)?)
        .map_err(|e| JsError::new(&format!("{not_plain}: {e}")))
}

/// `JSON.stringify(value)`, or an error (`what: the argument is not plain data`) for a value JSON
/// cannot hold.
fn json_text(value: &JsValue, what: &str) -> Result<String, JsError> {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| JsError::new(&format!("{what}: the argument is not plain data")))
}

/// Benchmark builds only: the `url` crate's parse of `url` and nothing else, with the same string
/// crossing as `checkUrl`, for the floor row of `scripts/bench-wasm.mjs`.
#[cfg(feature = "bench-floor")]
#[wasm_bindgen(js_name = floorParseUrl)]
pub fn floor_parse_url(url: &str) -> bool {
    url::Url::parse(url).is_ok()
}

/// Seeds the page-keyed maps from Web Crypto before the first engine builds one; later engines
/// find the seed in force. std's own hash keys are memory addresses on this target.
fn seed_page_keys() -> Result<(), JsError> {
    if crate::page_keys::seed_source() != crate::page_keys::SeedSource::None {
        return Ok(());
    }
    let mut bytes = [0u8; 8];
    fill_random(&mut bytes).map_err(|_| {
        JsError::new("no random source (crypto.getRandomValues) to seed the engine")
    })?;
    crate::page_keys::seed(bytes);
    Ok(())
}

thread_local! {
    /// `checkNavigation`'s answers for verdicts that do not warn, one per (level, category).
    static NAV_VERDICTS: std::cell::RefCell<std::collections::HashMap<(crate::Level, crate::Category), JsValue>> =
        std::cell::RefCell::default();
}

/// Between fields of a packed verdict (see [`verdict_to_js`]).
const FIELD: char = '\u{1}';
/// A packed field that is `null` (or absent, for the fields the view skips when empty).
const NONE: &str = "\u{2}";

// The glue's own JavaScript, in one snippet (each snippet is one more file the worker loads before
// it runs). `unpackVerdict` builds a verdict object from the packed text of `verdict_to_js`: one
// string crossing instead of one per property and string. The object is `VerdictView`'s, key for
// key and in order; `tests/wasm.rs` compares the two on every level.
#[wasm_bindgen(inline_js = "
export function unpackVerdict(p) {
  const f = p.split('\\x01');
  const v = (s) => (s === '\\x02' ? null : s);
  const reasons = [];
  for (let i = 12; i + 2 < f.length; i += 3) {
    const r = { code: f[i], message: f[i + 1] };
    if (f[i + 2] !== '\\x02') r.detail = f[i + 2];
    reasons.push(r);
  }
  const out = { verdict: f[0], category: f[1], warns: f[10] === '1' };
  if (f[2] !== '\\x02') out.warningKind = f[2];
  Object.assign(out, { reasons, host: v(f[3]), hostAscii: v(f[4]), registrableDomain: v(f[5]) });
  if (f[6] !== '\\x02') out.imitates = f[6];
  if (f[7] !== '\\x02') out.judgedUrl = f[7];
  out.bypassMinutes = Number(f[8]);
  out.bypassScope = v(f[9]);
  if (f[11] !== '\\x02') out.app = f[11];
  return out;
}
export function fillRandom(bytes) {
  globalThis.crypto.getRandomValues(bytes);
}
")]
extern "C" {
    #[wasm_bindgen(js_name = unpackVerdict)]
    fn unpack_verdict(packed: &str) -> JsValue;
    // Web Crypto's random bytes, for the page maps' seed (see `seed_page_keys`).
    #[wasm_bindgen(js_name = fillRandom, catch)]
    fn fill_random(bytes: &mut [u8]) -> Result<(), JsValue>;
}

/// A verdict as a JavaScript object, the same as `to_js(view)` gives, built from one packed
/// string: `serde_wasm_bindgen` crosses the boundary once per property and string, which was
/// most of a `checkUrl`. Text holding a packing mark (never seen in practice) takes that slower
/// path.
fn verdict_to_js(view: &crate::VerdictView) -> Result<JsValue, JsError> {
    let texts = [
        &view.host,
        &view.host_ascii,
        &view.registrable_domain,
        &view.imitates,
    ]
    .into_iter()
    .chain([&view.judged_url, &view.bypass_scope, &view.app])
    .flatten()
    .map(String::as_str)
    .chain(
        view.reasons
            .iter()
            .flat_map(|r| std::iter::once(r.message.as_str()).chain(r.detail.as_deref())),
    );
    let mut len = 0;
    for t in texts {
        // Bytes, not chars: 1 and 2 occur in UTF-8 only as these marks, and a byte scan of
        // the long Vietnamese messages costs a fraction of decoding them.
        if t.bytes()
            .any(|b| b == FIELD as u8 || b == NONE.as_bytes()[0])
        {
            return to_js(view);
        }
        len += t.len() + 1;
    }
    let mut packed = String::with_capacity(len + 64);
    let mut push = |field: Option<&str>| {
        if !packed.is_empty() {
            packed.push(FIELD);
        }
        packed.push_str(field.unwrap_or(NONE));
    };
    push(Some(view.verdict.as_str()));
    push(Some(view.category.as_str()));
    push(view.warning_kind.map(WarningKind::as_str));
    push(view.host.as_deref());
    push(view.host_ascii.as_deref());
    push(view.registrable_domain.as_deref());
    push(view.imitates.as_deref());
    push(view.judged_url.as_deref());
    push(Some(&view.bypass_minutes.to_string()));
    push(view.bypass_scope.as_deref());
    push(Some(if view.warns { "1" } else { "0" }));
    push(view.app.as_deref());
    for r in &view.reasons {
        push(Some(r.code));
        push(Some(&r.message));
        push(r.detail.as_deref());
    }
    Ok(unpack_verdict(&packed))
}

/// The longest address the engine judges, in bytes: what the worker keeps of an address in a
/// record or a report draft follows it.
#[wasm_bindgen(js_name = maxUrlBytes)]
pub fn max_url_bytes() -> usize {
    crate::MAX_URL_BYTES
}

/// The largest feed the engine takes, in bytes: the worker stops a download past it.
#[wasm_bindgen(js_name = maxFeedBytes)]
pub fn max_feed_bytes() -> usize {
    crate::feeds::MAX_FEED_BYTES
}

/// The sites the content script runs on, from `data/social_sites.tsv`.
const SOCIAL_SITES: &str = include_str!("../data/social_sites.tsv");

/// The chat apps' origins (`chat`) and the invitation landing pages' (`invite`), from
/// `data/social_sites.tsv`; the manifest's content-script matches follow the same file.
#[wasm_bindgen(js_name = socialSites)]
pub fn social_sites() -> Result<JsValue, JsError> {
    #[derive(Default, Serialize)]
    struct Sites {
        chat: Vec<&'static str>,
        invite: Vec<&'static str>,
    }
    let mut sites = Sites::default();
    let rows = SOCIAL_SITES
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
    for line in rows {
        match line.split_once('\t') {
            Some(("chat", origin)) => sites.chat.push(origin),
            Some(("invite", origin)) => sites.invite.push(origin),
            _ => {
                return Err(JsError::new(&format!(
                    "data/social_sites.tsv: not `chat|invite<TAB>origin`: {line:?}"
                )))
            }
        }
    }
    to_js(&sites)
}

/// The engine as seen from JavaScript (`new Engine()`).
#[wasm_bindgen(js_name = Engine)]
pub struct WasmEngine {
    inner: crate::Engine,
    applied: Applied,
}

/// What the last policy change found, kept for `policyStatus()`.
#[derive(Default)]
struct Applied {
    admin_problems: Vec<crate::PolicyProblem>,
    user_problems: Vec<crate::PolicyProblem>,
    managed_keys: Vec<&'static str>,
}

impl WasmEngine {
    /// The language messages are written in.
    fn lang(&self) -> Lang {
        self.inner.language()
    }
}

#[wasm_bindgen(js_class = Engine)]
impl WasmEngine {
    /// An engine with the built-in rules and no admin policy.
    /// A new engine. Throws only when the platform has no random source (Web Crypto) to seed the
    /// hashing of what pages send (see `page_keys`).
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<WasmEngine, JsError> {
        seed_page_keys()?;
        Ok(WasmEngine {
            inner: crate::Engine::new(),
            applied: Applied::default(),
        })
    }

    /// Applies an admin policy object (camelCase keys); `null`/`undefined` clears it. Returns the
    /// problems found: `[{key, code, severity, message}]`. Valid keys apply even when others fail.
    #[wasm_bindgen(js_name = setPolicy)]
    pub fn set_policy(&mut self, policy: JsValue) -> Result<JsValue, JsError> {
        let (policy, problems) = if policy.is_null() || policy.is_undefined() {
            (Policy::default(), Vec::new())
        } else {
            let value: serde_json::Value =
                from_js(&policy, "setPolicy: the policy cannot be read as JSON data")?;
            Policy::from_value(&value)
        };
        let out = to_js(&problems)?;
        self.applied = Applied {
            managed_keys: policy.set_keys.iter().copied().collect(),
            admin_problems: problems,
            user_problems: Vec::new(),
        };
        self.inner.set_policy(policy);
        Ok(out)
    }

    /// Applies the admin's managed policy and the user's own options together, admin first (see
    /// `Policy::effective`). Either may be `null`. Returns `{adminProblems, userProblems,
    /// managedKeys, effective}`; the options page shows all four. Each problem is `{key, code,
    /// severity, message, messageVi}`: both languages, since the page's language is its own.
    #[wasm_bindgen(js_name = setPolicies)]
    pub fn set_policies(&mut self, admin: JsValue, user: JsValue) -> Result<JsValue, JsError> {
        self.apply_policies(admin, user)?;
        self.policy_status()
    }

    /// Applies the two policies like `setPolicies` and returns nothing: the worker's start, where
    /// the first verdict must not wait for the status object; `policyStatus()` gives it later.
    #[wasm_bindgen(js_name = applyPolicies)]
    pub fn apply_policies(&mut self, admin: JsValue, user: JsValue) -> Result<(), JsError> {
        let what = |who: &str| format!("setPolicies: the {who} policy cannot be read as JSON data");
        let absent = |v: &JsValue| v.is_null() || v.is_undefined();
        let (admin, admin_problems) = if absent(&admin) {
            (Policy::default(), Vec::new())
        } else {
            Policy::from_value(&from_js(&admin, &what("admin"))?)
        };
        // The user's options as text: `from_user_json` reads text, so no `Value` goes back to it.
        let (user, user_problems) = if absent(&user) {
            (Policy::default(), Vec::new())
        } else {
            Policy::from_user_json(&json_text(&user, &what("user"))?)
        };
        self.inner.set_policy(Policy::effective(&admin, &user));
        self.applied = Applied {
            admin_problems,
            user_problems,
            managed_keys: admin.set_keys.iter().copied().collect(),
        };
        Ok(())
    }

    /// What the last `setPolicies`/`applyPolicies` found and put in force: `{adminProblems,
    /// userProblems, managedKeys, effective}`.
    #[wasm_bindgen(js_name = policyStatus)]
    pub fn policy_status(&self) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Status<'a> {
            admin_problems: &'a [crate::PolicyProblem],
            user_problems: &'a [crate::PolicyProblem],
            managed_keys: &'a [&'static str],
            effective: serde_json::Value,
        }
        to_js(&Status {
            admin_problems: &self.applied.admin_problems,
            user_problems: &self.applied.user_problems,
            managed_keys: &self.applied.managed_keys,
            effective: self.inner.policy().to_json(),
        })
    }

    /// The policy in force as bytes to keep (`Uint8Array`): `restorePolicy` puts it back after
    /// a restart faster than applying its JSON again.
    #[wasm_bindgen(js_name = policySnapshot)]
    pub fn policy_snapshot(&self) -> Vec<u8> {
        self.inner.policy_snapshot()
    }

    /// Puts back a policy saved by `policySnapshot` of this engine version. Throws, and leaves
    /// the policy unchanged, for bytes that are damaged or from another version. The problems
    /// and managed keys of `policyStatus()` are not in the snapshot: apply the JSON for those.
    #[wasm_bindgen(js_name = restorePolicy)]
    pub fn restore_policy(&mut self, bytes: &[u8]) -> Result<(), JsError> {
        self.inner
            .restore_policy(bytes)
            .map_err(|e| JsError::new(&e.to_string()))?;
        self.applied = Applied::default();
        Ok(())
    }

    /// The session `declarativeNetRequest` rules for the policy in force (admin block lists and
    /// allowed hosts), redirecting to `warningPage`.
    #[wasm_bindgen(js_name = policyRules)]
    pub fn policy_rules(&self, warning_page: &str) -> Result<JsValue, JsError> {
        to_js(&crate::dnr::policy_rules(self.inner.policy(), warning_page))
    }

    /// Tells the engine the browser's interface language (`getUILanguage()`), which it follows
    /// while the policy leaves the language to the browser.
    #[wasm_bindgen(js_name = setBrowserLanguage)]
    pub fn set_browser_language(&mut self, ui_language: &str) {
        self.inner.set_browser_language(ui_language);
    }

    /// The language of messages and pages, `vi` or `en`: the policy's, else the browser's.
    pub fn language(&self) -> String {
        self.inner.language().as_str().into()
    }

    /// Judges one URL. Never throws for bad input: it is judged `invalid`.
    #[wasm_bindgen(js_name = checkUrl)]
    pub fn check_url(&self, url: &str) -> Result<JsValue, JsError> {
        verdict_to_js(&self.inner.check_url(url).view(self.lang()))
    }

    /// Judges a URL for the navigation hot path: the full `checkUrl` object when the verdict
    /// warns (`warn`/`block`), else a frozen `{verdict, category, warns: false}` shared by every call with the
    /// same pair. Most navigations are harmless, and building their full object (messages,
    /// hosts: one string crossing each) cost more than judging them.
    #[wasm_bindgen(js_name = checkNavigation)]
    pub fn check_navigation(&self, url: &str) -> Result<JsValue, JsError> {
        let verdict = self.inner.check_url(url);
        if verdict.warns() {
            return verdict_to_js(&verdict.view(self.lang()));
        }
        NAV_VERDICTS.with(|cache| {
            let key = (verdict.level, verdict.category);
            if let Some(v) = cache.borrow().get(&key) {
                return Ok(v.clone());
            }
            let out = js_sys::Object::new();
            for (name, value) in [
                ("verdict", JsValue::from(key.0.as_str())),
                ("category", JsValue::from(key.1.as_str())),
                ("warns", JsValue::from(false)),
            ] {
                js_sys::Reflect::set(&out, &name.into(), &value)
                    .map_err(|_| JsError::new("checkNavigation: cannot build result"))?;
            }
            let out: JsValue = js_sys::Object::freeze(&out).into();
            cache.borrow_mut().insert(key, out.clone());
            Ok(out)
        })
    }

    /// The verdict for a URL whose check failed: a warning (see `Engine::unchecked`). The worker
    /// asks a fresh engine for it after a check threw, so a crash never lets a page through.
    #[wasm_bindgen(js_name = uncheckedVerdict)]
    pub fn unchecked_verdict(&self, url: &str) -> Result<JsValue, JsError> {
        to_js(&self.inner.unchecked(url).view(self.lang()))
    }

    /// The verdict on a chat site's page when the invitation notice is due for it (see
    /// `Engine::social_notice`), else `null`.
    #[wasm_bindgen(js_name = socialNotice)]
    pub fn social_notice(&self, url: &str) -> Result<JsValue, JsError> {
        match self.inner.social_notice(url) {
            Some(v) => verdict_to_js(&v.view(self.lang())),
            None => Ok(JsValue::NULL),
        }
    }

    /// Judges many URLs in one call; the answers keep the input order.
    #[wasm_bindgen(js_name = checkBatch)]
    pub fn check_batch(&self, urls: Vec<String>) -> Result<JsValue, JsError> {
        let views: Vec<_> = urls
            .iter()
            .map(|u| self.inner.check_url(u).view(self.lang()))
            .collect();
        to_js(&views)
    }

    /// Judges one link with the text it shows (`text` may be null): the full verdict, with
    /// `link_text_mismatch` when the text names another domain. For a link that was clicked.
    #[wasm_bindgen(js_name = checkLink)]
    pub fn check_link(&self, href: String, text: Option<String>) -> Result<JsValue, JsError> {
        let link = crate::Link { href, text };
        let verdict = self
            .inner
            .check_links(std::slice::from_ref(&link))
            .remove(0);
        to_js(&verdict.view(self.lang()))
    }

    /// Judges a page's links in one call: `[{href, text?}]` → the links worth marking, as
    /// `[{index, ...verdict}]` for every link whose verdict is `warn` or `block` (index into the
    /// input). Most links on a page are harmless, and building a JS object for each would cost
    /// more than judging it. A link whose text shows another domain gets `link_text_mismatch`.
    /// [`WasmEngine::mark_links`] does the same with less crossing between JS and wasm.
    #[wasm_bindgen(js_name = checkLinks)]
    pub fn check_links(&self, links: JsValue) -> Result<JsValue, JsError> {
        let links: Vec<crate::Link> = from_js(&links, "checkLinks")?;
        let found = self
            .inner
            .mark_links(links.iter().map(|l| (l.href.as_str(), l.text.as_deref())));
        let views: Vec<crate::VerdictView> =
            found.verdicts.iter().map(|v| v.view(self.lang())).collect();
        #[derive(Serialize)]
        struct Flagged<'v> {
            index: u32,
            #[serde(flatten)]
            verdict: &'v crate::VerdictView,
        }
        let flagged: Vec<Flagged> = found
            .marks
            .iter()
            .map(|&(index, v)| Flagged {
                index,
                verdict: &views[v as usize],
            })
            .collect();
        to_js(&flagged)
    }

    /// Judges a page's links packed in one string: one link a line, `href` or `href<TAB>text`
    /// (the caller turns tabs and line breaks in the text into spaces). Returns `{marks,
    /// verdicts}`: `marks` a `Uint32Array` of pairs `[linkIndex, verdictIndex, …]` for the links
    /// to mark (`warn`/`block`), `verdicts` the few distinct verdicts they point at. One string
    /// in and a small answer out: for thousands of links, crossing the boundary costs more than
    /// judging.
    #[wasm_bindgen(js_name = markLinks)]
    pub fn mark_links(&self, packed: &str) -> Result<JsValue, JsError> {
        let lines = packed
            .split('\n')
            .filter(|_| !packed.is_empty())
            .map(|line| match line.split_once('\t') {
                Some((href, text)) => (href, Some(text)),
                None => (line, None),
            });
        let found = self.inner.mark_links(lines);
        let pairs: Vec<u32> = found.marks.iter().flat_map(|&(i, v)| [i, v]).collect();
        let views: Vec<crate::VerdictView> =
            found.verdicts.iter().map(|v| v.view(self.lang())).collect();
        let out = js_sys::Object::new();
        let set = |key: &str, value: &JsValue| {
            js_sys::Reflect::set(&out, &key.into(), value)
                .map(|_| ())
                .map_err(|_| JsError::new("markLinks: cannot build result"))
        };
        set("marks", &js_sys::Uint32Array::from(pairs.as_slice()).into())?;
        set("verdicts", &to_js(&views)?)?;
        Ok(out.into())
    }

    /// Judges a download `{url, finalUrl?, filename?, mime?, referrer?, contentDisposition?, trail?}`.
    /// Unknown or mistyped fields are an error naming the field.
    #[wasm_bindgen(js_name = checkDownload)]
    pub fn check_download(&self, download: JsValue) -> Result<JsValue, JsError> {
        let d: Download = from_js(&download, "checkDownload")?;
        to_js(&self.inner.check_download(&d).view(self.lang()))
    }

    /// Whether the download `now` is the file a warning about `warned` named: "continue anyway"
    /// lets through only that file. Both are `checkDownload` arguments.
    #[wasm_bindgen(js_name = sameDownload)]
    pub fn same_download(&self, warned: JsValue, now: JsValue) -> Result<bool, JsError> {
        let read = |v: JsValue| from_js::<Download>(&v, "sameDownload");
        Ok(self.inner.same_download(&read(warned)?, &read(now)?))
    }

    /// Replaces the blocklist feeds with stored copies made by [`parse_feed`]; a damaged copy is
    /// an error naming its position, and leaves the feeds in force unchanged.
    #[wasm_bindgen(js_name = setFeeds)]
    pub fn set_feeds(&mut self, copies: Vec<js_sys::Uint8Array>) -> Result<(), JsError> {
        let mut sets = Vec::with_capacity(copies.len());
        for (i, bytes) in copies.iter().enumerate() {
            let set = feed_from_js(bytes)
                .map_err(|e| JsError::new(&format!("setFeeds: copy {i}: {e}")))?;
            sets.push(set);
        }
        self.inner.set_feeds(sets);
        Ok(())
    }

    /// Replaces the built-in community lists with stored copies made by [`parse_feed`]: `names[i]`
    /// is the name warnings give to `copies[i]`. A damaged copy is an error naming its position,
    /// and leaves the lists in force unchanged.
    #[wasm_bindgen(js_name = setBuiltinLists)]
    pub fn set_builtin_lists(
        &mut self,
        names: Vec<String>,
        copies: Vec<js_sys::Uint8Array>,
    ) -> Result<(), JsError> {
        if names.len() != copies.len() {
            return Err(JsError::new(&format!(
                "setBuiltinLists: {} names for {} copies",
                names.len(),
                copies.len()
            )));
        }
        let mut lists = Vec::with_capacity(copies.len());
        for (i, (name, bytes)) in names.into_iter().zip(copies.iter()).enumerate() {
            let set = feed_from_js(bytes)
                .map_err(|e| JsError::new(&format!("setBuiltinLists: copy {i}: {e}")))?;
            lists.push((name, set));
        }
        self.inner.set_builtin_lists(lists);
        Ok(())
    }

    /// Builds a report from the extension's input (see `docs/report.schema.json`): returns
    /// `{report, summary, suggestedKind}`, the report to send or save, its readable text, and the
    /// kind to offer first for what the engine found (or null). A bad field is an
    /// error naming it.
    #[wasm_bindgen(js_name = buildReport)]
    pub fn build_report(&self, input: JsValue) -> Result<JsValue, JsError> {
        let input: crate::report::ReportInput = from_js(&input, "buildReport")?;
        let report = crate::report::Report::build(&self.inner, input)
            .map_err(|e| JsError::new(&e.to_string()))?;
        let lang = if report.client.language == "en" {
            Lang::En
        } else {
            Lang::Vi
        };
        #[derive(Serialize)]
        #[serde(rename_all = "camelCase")]
        struct Built<'r> {
            report: &'r crate::report::Report,
            summary: String,
            suggested_kind: Option<crate::report::ReportKind>,
        }
        to_js(&Built {
            summary: report.summary(lang),
            suggested_kind: report.suggested_kind(),
            report: &report,
        })
    }

    /// Personal data in text the user is writing: `[{kind, start, end, masked, message}]`, with
    /// UTF-16 offsets for highlighting and a message in the engine's language. Runs locally; the
    /// text goes nowhere.
    #[wasm_bindgen(js_name = findPersonalData)]
    pub fn find_personal_data(&self, text: &str) -> Result<JsValue, JsError> {
        #[derive(Serialize)]
        struct Found {
            #[serde(flatten)]
            finding: crate::personal::PersonalFinding,
            message: String,
        }
        let found: Vec<Found> = crate::personal::find_personal_data(text)
            .into_iter()
            .map(|f| {
                let code = match f.kind {
                    crate::personal::PersonalKind::CitizenId => {
                        crate::ReasonCode::PersonalCitizenId
                    }
                    crate::personal::PersonalKind::OldId => crate::ReasonCode::PersonalOldId,
                    crate::personal::PersonalKind::Phone => crate::ReasonCode::PersonalPhone,
                    crate::personal::PersonalKind::Address => crate::ReasonCode::PersonalAddress,
                };
                let message = crate::Reason::new(code, f.masked.clone()).message(self.lang());
                Found {
                    finding: f,
                    message,
                }
            })
            .collect();
        to_js(&found)
    }

    /// The registrable domain of `host`, or `null`.
    #[wasm_bindgen(js_name = registrableDomain)]
    pub fn registrable_domain(&self, host: &str) -> Option<String> {
        self.inner.registrable_domain(host).ok().flatten()
    }
}

/// Parses a feed body fetched by the extension: `format` is `domains`, `hosts` or `json`, `pin`
/// an optional SHA-256. Returns `{copy: Uint8Array, stats: {entries, badLines, badExamples,
/// truncated, badKinds, urlPrefixes, ips}}`; a body that cannot be used is an error saying why
/// (keep the last good copy). `previous`, the last good copy's entries, refuses a list that shrank
/// to almost nothing.
#[wasm_bindgen(js_name = parseFeed)]
pub fn parse_feed(
    body: &str,
    format: &str,
    pin: Option<String>,
    previous: Option<u32>,
) -> Result<JsValue, JsError> {
    use crate::policy::FeedFormat;
    let format = match format {
        "domains" => FeedFormat::Domains,
        "hosts" => FeedFormat::Hosts,
        "json" => FeedFormat::Json,
        other => {
            return Err(JsError::new(&format!(
                "parseFeed: format must be domains, hosts or json, not {other:?}"
            )))
        }
    };
    let (set, stats) = crate::feeds::FeedSet::parse_refresh(
        body,
        format,
        pin.as_deref(),
        previous.map(|p| p as usize),
    )
    .map_err(|e| JsError::new(&e.to_string()))?;
    parsed_to_js(&set, &stats)
}

/// A stored list copy read from JavaScript memory: its hashes go straight into their final
/// `Vec<u64>` (one copy), so restoring a million entries takes 8 MB in the engine, not twice that.
fn feed_from_js(
    copy: &js_sys::Uint8Array,
) -> Result<crate::feeds::FeedSet, crate::feeds::FeedError> {
    use crate::feeds::{FeedError, FeedSet, STORED_HEADER};
    let len = copy.length() as usize;
    let header = copy.subarray(0, STORED_HEADER.min(len) as u32).to_vec();
    let aligned = (copy.byte_offset() as usize + STORED_HEADER) % 8 == 0;
    let Some(count) = FeedSet::stored_count(&header).filter(|_| aligned) else {
        return FeedSet::from_bytes(&copy.to_vec());
    };
    let end = count
        .checked_mul(8)
        .and_then(|n| n.checked_add(STORED_HEADER))
        .filter(|&e| e <= len)
        .ok_or(FeedError::BadStoredCopy)?;
    let view = js_sys::BigUint64Array::new_with_byte_offset_and_length(
        &copy.buffer(),
        copy.byte_offset() + STORED_HEADER as u32,
        count as u32,
    );
    let mut hashes = vec![0u64; count];
    // Typed arrays use the platform's byte order, little-endian in wasm, as the copy was written.
    view.copy_to(&mut hashes);
    let tail = copy.subarray(end as u32, len as u32).to_vec();
    FeedSet::from_parts(hashes, &tail)
}

/// Reads a text list handed over in chunks (see [`crate::feeds::ListBuilder`]): the worker awaits
/// between chunks, so navigation checks go on while a big refresh is read.
#[wasm_bindgen]
pub struct ListParser {
    inner: Option<crate::feeds::ListBuilder>,
}

#[wasm_bindgen]
impl ListParser {
    /// An empty parser; `expected`, the last copy's entries, saves the engine regrowing its array.
    #[wasm_bindgen(constructor)]
    pub fn new(expected: Option<u32>) -> ListParser {
        let builder = match expected {
            Some(n) => crate::feeds::ListBuilder::with_capacity(n as usize),
            None => crate::feeds::ListBuilder::new(),
        };
        ListParser {
            inner: Some(builder),
        }
    }

    /// Reads the complete lines of `chunk` (cut anywhere).
    pub fn push(&mut self, chunk: &str) -> Result<(), JsError> {
        self.inner
            .as_mut()
            .ok_or_else(|| JsError::new("ListParser: already finished"))?
            .push(chunk);
        Ok(())
    }

    /// `{copy, stats}` like `parseFeed`, or an error saying why the body is refused; `previous`
    /// is the last good copy's entries.
    pub fn finish(&mut self, previous: Option<u32>) -> Result<JsValue, JsError> {
        let builder = self
            .inner
            .take()
            .ok_or_else(|| JsError::new("ListParser: already finished"))?;
        let (set, stats) = builder
            .finish(previous.map(|p| p as usize))
            .map_err(|e| JsError::new(&e.to_string()))?;
        parsed_to_js(&set, &stats)
    }
}

impl Default for ListParser {
    fn default() -> ListParser {
        ListParser::new(None)
    }
}

/// `{copy, stats}` for a parsed list. The copy is written straight into JavaScript memory (the
/// hashes through a typed-array view), so a million entries never take a second 8 MB in the engine.
fn parsed_to_js(
    set: &crate::feeds::FeedSet,
    stats: &crate::feeds::FeedStats,
) -> Result<JsValue, JsError> {
    let (header, hashes, tail) = set.stored_parts();
    let total = header.len() + hashes.len() * 8 + tail.len();
    let copy = js_sys::Uint8Array::new_with_length(total as u32);
    copy.subarray(0, header.len() as u32).copy_from(&header);
    let view = js_sys::BigUint64Array::new_with_byte_offset_and_length(
        &copy.buffer(),
        header.len() as u32,
        hashes.len() as u32,
    );
    view.copy_from(hashes);
    copy.subarray((total - tail.len()) as u32, total as u32)
        .copy_from(&tail);
    let out = js_sys::Object::new();
    js_sys::Reflect::set(&out, &"copy".into(), &copy)
        .map_err(|_| JsError::new("cannot build the parsed list"))?;
    js_sys::Reflect::set(&out, &"stats".into(), &to_js(stats)?)
        .map_err(|_| JsError::new("cannot build the parsed list"))?;
    Ok(out.into())
}

/// The built-in community lists: `[{id, name, file, mirrorFile, upstream, source, licence,
/// snapshotDate, url}]`, where `url` is where a refresh fetches it (the admin's `mirror` folder
/// when given), with `refreshMinutes`, `maxBytes` and `timeoutMs` for every list.
#[wasm_bindgen(js_name = builtinLists)]
pub fn builtin_lists(mirror: Option<String>) -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Item {
        #[serde(flatten)]
        list: crate::lists::BuiltinList,
        url: String,
        refresh_minutes: u32,
        max_bytes: usize,
        timeout_ms: u32,
    }
    let items: Vec<Item> = crate::lists::BUILTIN_LISTS
        .iter()
        .map(|l| Item {
            list: *l,
            url: crate::lists::refresh_url(l, mirror.as_deref()),
            refresh_minutes: crate::lists::REFRESH_MINUTES,
            max_bytes: crate::lists::MAX_BUILTIN_BYTES,
            timeout_ms: crate::lists::REFRESH_TIMEOUT_MS,
        })
        .collect();
    to_js(&items)
}

/// What follows a report delivery attempt number `attempt` that ended with HTTP `status` (null:
/// no answer): `{outcome: "delivered" | "retry" | "rejected", retryInMs}`. `jitter` is a random
/// number in [0, 1).
#[wasm_bindgen(js_name = deliveryStep)]
pub fn delivery_step(status: Option<u16>, attempt: u32, jitter: f64) -> Result<JsValue, JsError> {
    to_js(&crate::report::delivery_step(status, attempt, jitter))
}

/// Versions and the reason codes this build knows: `{version, pslVersion, reasonCodes}`.
#[wasm_bindgen(js_name = engineInfo)]
pub fn engine_info() -> Result<JsValue, JsError> {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Info {
        version: &'static str,
        psl_version: &'static str,
        reason_codes: Vec<&'static str>,
    }
    to_js(&Info {
        version: env!("CARGO_PKG_VERSION"),
        psl_version: crate::psl::LIST_VERSION,
        reason_codes: crate::ReasonCode::ALL.iter().map(|c| c.as_str()).collect(),
    })
}

// ---- Browser rules the worker installs itself (ids, priorities and shapes from `crate::dnr`).

/// A tab id as the browser gives it: a whole number from 0 up.
fn tab_id(value: f64) -> Result<u32, JsError> {
    if value.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&value) {
        Ok(value as u32)
    } else {
        Err(JsError::new(&format!("not a tab id: {value}")))
    }
}

/// The session rule id ranges: `{staticCopyBase, stopBase, stopEnd, bypassBase}`.
#[wasm_bindgen(js_name = ruleLayout)]
pub fn rule_layout() -> Result<JsValue, JsError> {
    to_js(&crate::dnr::rule_layout())
}

/// The session rule (id `id`) that lets tab `tabId` load `scope` past the warning redirects.
#[wasm_bindgen(js_name = bypassRule)]
pub fn bypass_rule(id: u32, tab: f64, scope: &str) -> Result<JsValue, JsError> {
    to_js(&crate::dnr::bypass_rule(id, tab_id(tab)?, scope))
}

/// The session rule (id `id`) that sends `url` in tab `tabId` to `warningPage` again.
#[wasm_bindgen(js_name = stopRule)]
pub fn stop_rule(id: u32, tab: f64, url: &str, warning_page: &str) -> Result<JsValue, JsError> {
    to_js(&crate::dnr::stop_rule(id, tab_id(tab)?, url, warning_page))
}
