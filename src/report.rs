//! Reports a user sends from a warning or the popup: validated input in, a versioned report out.
//!
//! The extension supplies what only the browser knows (page title, referrer, a screenshot, the
//! time, a random id); the engine validates every field, judges the URL itself so a report never
//! carries a verdict the page could have forged, hashes the evidence, and renders the readable
//! summary a user can hand to the police. The shape is `docs/report.schema.json`.

use std::fmt::Write as _;

use base64::Engine as _;
use serde::{Deserialize, Serialize};

// Kept here too: a report names its evidence by this hash, as it always has.
pub use crate::policy::feeds::sha256_hex;
use crate::verdict::{Category, Lang, Level, VerdictView};
use crate::Engine;

/// Version of the report format; bump it with `docs/report.schema.json`.
pub const SCHEMA_VERSION: u32 = 1;
/// Longest free-text note: a long message fits, a pasted book does not.
pub const MAX_NOTE_CHARS: usize = 4000;
/// Longest contact field.
pub const MAX_CONTACT_CHARS: usize = 200;
/// Longest page title kept.
pub const MAX_TITLE_CHARS: usize = 500;
/// Most redirect hops kept; real chains are a handful.
pub const MAX_CHAIN: usize = 20;
/// Largest screenshot accepted: a full-HD PNG is 1–3 MB.
pub const MAX_SCREENSHOT_BYTES: usize = 8 * 1024 * 1024;

/// What the user says happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// A link to install an app.
    InstallLink,
    /// A friend request or message from a stranger.
    StrangerContact,
    /// A threat or extortion message.
    Extortion,
    /// A fake login page.
    FakeLogin,
    /// Something else.
    Other,
    /// A warning the user believes is wrong (community lists can be): the site is genuine.
    FalseWarning,
}

/// A screenshot as the extension captured it.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScreenshotInput {
    /// `image/png` or `image/jpeg`.
    pub mime: String,
    /// The image, base64 (a `data:` URL prefix is accepted).
    pub base64: String,
}

/// What the extension hands over to build a report (camelCase; unknown fields are refused).
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReportInput {
    /// Random UUID (v4) made by the caller; the idempotency key of every delivery attempt.
    pub id: String,
    /// When the report was made, RFC 3339 in UTC (`2026-11-28T16:50:00Z`, milliseconds allowed).
    pub created_at: String,
    /// What happened.
    pub kind: ReportKind,
    /// The reported URL.
    pub url: String,
    /// URLs the browser went through before `url`.
    #[serde(default)]
    pub redirect_chain: Vec<String>,
    /// The page title.
    #[serde(default)]
    pub page_title: Option<String>,
    /// The referring page.
    #[serde(default)]
    pub referrer: Option<String>,
    /// The page that opened this tab.
    #[serde(default)]
    pub opener: Option<String>,
    /// The user's own words.
    #[serde(default)]
    pub note: Option<String>,
    /// How to reach the user, if they want to be reached.
    #[serde(default)]
    pub contact: Option<String>,
    /// A screenshot of the tab.
    #[serde(default)]
    pub screenshot: Option<ScreenshotInput>,
    /// Browser name and version.
    #[serde(default)]
    pub browser: Option<String>,
    /// The extension's version.
    #[serde(default)]
    pub extension_version: Option<String>,
    /// Language the user reads (`vi` or `en`), for messages and the summary.
    #[serde(default)]
    pub language: Option<String>,
    /// The engine faulted on `url` before: the report carries the warning for a check that
    /// failed instead of judging the URL again (which would fault again and lose the report).
    #[serde(default)]
    pub check_failed: bool,
}

/// A problem with one field of a [`ReportInput`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReportError {
    /// The field named is missing, malformed or too large.
    InvalidField {
        /// camelCase field name.
        field: &'static str,
        /// What is wrong and what was expected.
        problem: String,
    },
}

impl std::fmt::Display for ReportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReportError::InvalidField { field, problem } => {
                write!(f, "report field {field}: {problem}")
            }
        }
    }
}

impl std::error::Error for ReportError {}

fn invalid(field: &'static str, problem: impl Into<String>) -> ReportError {
    ReportError::InvalidField {
        field,
        problem: problem.into(),
    }
}

/// Page details in a report.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    /// Title.
    pub title: Option<String>,
    /// Referring page.
    pub referrer: Option<String>,
    /// Opener page.
    pub opener: Option<String>,
}

/// One piece of evidence.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    /// `screenshot`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// MIME type.
    pub mime: String,
    /// SHA-256 of the bytes, lowercase hex: shown to the user and sent.
    pub sha256: String,
    /// Size in bytes.
    pub bytes: usize,
    /// The bytes, base64.
    pub data: String,
}

/// Who made the report with what.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientInfo {
    /// Browser name and version.
    pub browser: Option<String>,
    /// Extension version.
    pub extension_version: Option<String>,
    /// Engine version.
    pub engine_version: &'static str,
    /// `vi` or `en`.
    pub language: &'static str,
}

/// A report as sent to the endpoint and saved for the police (`docs/report.schema.json`).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// Format version.
    pub schema_version: u32,
    /// Idempotency key.
    pub id: String,
    /// When it was made.
    pub created_at: String,
    /// What happened.
    pub kind: ReportKind,
    /// The reported URL.
    pub url: String,
    /// Redirects before it.
    pub redirect_chain: Vec<String>,
    /// The engine's own verdict on `url`.
    pub verdict: VerdictView,
    /// Page details.
    pub page: PageInfo,
    /// The user's note.
    pub note: Option<String>,
    /// The user's contact.
    pub contact: Option<String>,
    /// Evidence.
    pub evidence: Vec<Evidence>,
    /// Client details.
    pub client: ClientInfo,
}

/// Whether `s` is a version-4 UUID in its usual lowercase or uppercase text form.
fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
        && b[14] == b'4'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b' | b'A' | b'B')
}

/// Whether `s` is an RFC 3339 UTC time such as `2026-11-28T16:50:00Z` or `…:00.123Z`.
fn is_utc_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|x| x.iter().all(u8::is_ascii_digit));
    let base = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && b.last() == Some(&b'Z');
    if !base {
        return false;
    }
    // Between the seconds and the Z: nothing, or a dot and at least one digit.
    let frac = &b[19..b.len() - 1];
    frac.is_empty()
        || (frac[0] == b'.' && frac.len() > 1 && frac[1..].iter().all(u8::is_ascii_digit))
}

fn bounded(
    field: &'static str,
    value: Option<String>,
    max: usize,
) -> Result<Option<String>, ReportError> {
    match value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
    {
        Some(v) if v.chars().count() > max => {
            Err(invalid(field, format!("longer than {max} characters")))
        }
        other => Ok(other),
    }
}

/// `text` with every control, line-separator, invisible and text-direction character written out
/// as `[U+XXXX]`: the page chose its own title, and in a summary read by a person such characters
/// could start a fake line or reorder what is shown. The report's JSON keeps the title as it was.
fn visible(text: &str) -> String {
    let hidden = |c: char| {
        c.is_control()
            || crate::checks::sideload::is_invisible(c)
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{061c}')
    };
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if hidden(c) {
            let _ = write!(out, "[U+{:04X}]", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

impl Report {
    /// Validates `input` and builds the report, judging its URL with `engine`.
    pub fn build(engine: &Engine, input: ReportInput) -> Result<Report, ReportError> {
        if !is_uuid_v4(&input.id) {
            return Err(invalid("id", "expected a random UUID such as 3f0c…-…-4…-…"));
        }
        if !is_utc_time(&input.created_at) {
            return Err(invalid(
                "createdAt",
                "expected a UTC time such as 2026-11-28T16:50:00Z",
            ));
        }
        if input.url.trim().is_empty() {
            return Err(invalid("url", "the reported address is empty"));
        }
        if input.url.len() > crate::MAX_URL_BYTES {
            return Err(invalid(
                "url",
                format!("longer than {} bytes", crate::MAX_URL_BYTES),
            ));
        }
        if input.redirect_chain.len() > MAX_CHAIN {
            return Err(invalid(
                "redirectChain",
                format!("more than {MAX_CHAIN} hops"),
            ));
        }
        if let Some(u) = input
            .redirect_chain
            .iter()
            .find(|u| u.len() > crate::MAX_URL_BYTES)
        {
            return Err(invalid(
                "redirectChain",
                format!(
                    "an entry is longer than {} bytes ({}…)",
                    crate::MAX_URL_BYTES,
                    u.chars().take(40).collect::<String>()
                ),
            ));
        }
        let lang = match input.language.as_deref() {
            None => Lang::Vi,
            Some(l) => Lang::parse(l)
                .ok_or_else(|| invalid("language", format!("expected vi or en, got {l:?}")))?,
        };
        let evidence = match input.screenshot {
            None => Vec::new(),
            Some(shot) => vec![screenshot_evidence(shot)?],
        };
        Ok(Report {
            schema_version: SCHEMA_VERSION,
            id: input.id.to_ascii_lowercase(),
            created_at: input.created_at,
            kind: input.kind,
            verdict: VerdictView {
                // Schema v1 (whose receivers may refuse unknown fields) predates `app`, a page's
                // aid that the reasons' details already hold.
                app: None,
                ..if input.check_failed {
                    engine.unchecked(&input.url)
                } else {
                    engine.check_url(&input.url)
                }
                .view(lang)
            },
            url: input.url,
            redirect_chain: input.redirect_chain,
            page: PageInfo {
                title: bounded("pageTitle", input.page_title, MAX_TITLE_CHARS)?,
                referrer: bounded("referrer", input.referrer, crate::MAX_URL_BYTES)?,
                opener: bounded("opener", input.opener, crate::MAX_URL_BYTES)?,
            },
            note: bounded("note", input.note, MAX_NOTE_CHARS)?,
            contact: bounded("contact", input.contact, MAX_CONTACT_CHARS)?,
            evidence,
            client: ClientInfo {
                browser: bounded("browser", input.browser, MAX_TITLE_CHARS)?,
                extension_version: bounded("extensionVersion", input.extension_version, 50)?,
                engine_version: env!("CARGO_PKG_VERSION"),
                language: match lang {
                    Lang::Vi => "vi",
                    Lang::En => "en",
                },
            },
        })
    }

    /// The kind to offer first for what the engine found; the user may pick another.
    pub fn suggested_kind(&self) -> Option<ReportKind> {
        match self.verdict.category {
            Category::Sideload => Some(ReportKind::InstallLink),
            Category::Lookalike => Some(ReportKind::FakeLogin),
            Category::SocialInvite => Some(ReportKind::StrangerContact),
            _ => None,
        }
    }

    /// A plain-text summary to print or hand to the police with the JSON.
    pub fn summary(&self, lang: Lang) -> String {
        let t = |vi: &'static str, en: &'static str| if lang == Lang::Vi { vi } else { en };
        let kind = match self.kind {
            ReportKind::InstallLink => t("Liên kết cài ứng dụng", "A link to install an app"),
            ReportKind::StrangerContact => t(
                "Lời mời kết bạn hoặc tin nhắn từ người lạ",
                "A friend request or message from a stranger",
            ),
            ReportKind::Extortion => t(
                "Tin nhắn đe doạ, tống tiền",
                "A threat or extortion message",
            ),
            ReportKind::FakeLogin => t("Trang đăng nhập giả", "A fake login page"),
            ReportKind::Other => t("Khác", "Other"),
            ReportKind::FalseWarning => t(
                "Cảnh báo nhầm: trang này là trang thật",
                "A false warning: the site is genuine",
            ),
        };
        let mut s = String::new();
        let _ = writeln!(s, "{}", t("BÁO CÁO CẢNH GIÁC", "CẢNH GIÁC REPORT"));
        let _ = writeln!(s, "{}: {}", t("Mã báo cáo", "Report id"), self.id);
        let _ = writeln!(
            s,
            "{}: {}",
            t("Thời điểm (UTC)", "Time (UTC)"),
            self.created_at
        );
        let _ = writeln!(s, "{}: {kind}", t("Sự việc", "What happened"));
        let _ = writeln!(s, "{}: {}", t("Địa chỉ", "Address"), self.url);
        for (i, hop) in self.redirect_chain.iter().enumerate() {
            let _ = writeln!(s, "  {} {}: {hop}", t("chuyển hướng", "redirect"), i + 1);
        }
        if let Some(d) = &self.verdict.registrable_domain {
            let _ = writeln!(s, "{}: {d}", t("Tên miền", "Domain"));
        }
        // In words for the person reading; the JSON keeps the level's code.
        let level = match self.verdict.verdict {
            Level::Allow => t("không thấy dấu hiệu nguy hiểm", "no sign of danger"),
            Level::Official => t("cửa hàng ứng dụng chính thức", "an official app store"),
            Level::Info => t("lưu ý", "worth a note"),
            Level::Warn => t("cảnh báo", "warning"),
            Level::Block => t("chặn", "blocked"),
        };
        let _ = writeln!(s, "{}: {level}", t("Đánh giá", "Verdict"));
        for r in &self.verdict.reasons {
            let _ = writeln!(s, "  - {}", r.message);
        }
        if let Some(title) = &self.page.title {
            let title = visible(title);
            let _ = writeln!(s, "{}: {title}", t("Tiêu đề trang", "Page title"));
        }
        if let Some(r) = &self.page.referrer {
            let _ = writeln!(s, "{}: {r}", t("Trang dẫn tới", "Came from"));
        }
        if let Some(n) = &self.note {
            let _ = writeln!(s, "{}: {n}", t("Ghi chú", "Note"));
        }
        if let Some(c) = &self.contact {
            let _ = writeln!(s, "{}: {c}", t("Liên hệ", "Contact"));
        }
        for e in &self.evidence {
            let _ = writeln!(
                s,
                "{}: {} ({} bytes), SHA-256 {}",
                t("Bằng chứng", "Evidence"),
                e.mime,
                e.bytes,
                e.sha256
            );
        }
        s
    }
}

fn screenshot_evidence(shot: ScreenshotInput) -> Result<Evidence, ReportError> {
    let mime = shot.mime.trim().to_ascii_lowercase();
    if mime != "image/png" && mime != "image/jpeg" {
        return Err(invalid(
            "screenshot",
            format!("mime must be image/png or image/jpeg, got {:?}", shot.mime),
        ));
    }
    let b64 = shot
        .base64
        .split_once(";base64,")
        .map_or(shot.base64.as_str(), |(_, d)| d)
        .trim();
    if b64.len() > MAX_SCREENSHOT_BYTES / 3 * 4 + 4 {
        return Err(invalid(
            "screenshot",
            format!("larger than {} MiB", MAX_SCREENSHOT_BYTES >> 20),
        ));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|e| invalid("screenshot", format!("not valid base64: {e}")))?;
    let magic_ok = match mime.as_str() {
        "image/png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        _ => bytes.starts_with(&[0xff, 0xd8, 0xff]),
    };
    if !magic_ok {
        return Err(invalid(
            "screenshot",
            format!("the bytes are not a {mime} image"),
        ));
    }
    Ok(Evidence {
        kind: "screenshot",
        sha256: sha256_hex(&bytes),
        bytes: bytes.len(),
        mime,
        data: b64.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_times_are_checked() {
        assert!(is_uuid_v4("3f0c2a9e-1b2c-4d3e-8f40-0123456789ab"));
        assert!(
            !is_uuid_v4("3f0c2a9e-1b2c-1d3e-8f40-0123456789ab"),
            "version 1"
        );
        assert!(!is_uuid_v4("not-a-uuid"));
        assert!(is_utc_time("2026-11-28T16:50:00Z"));
        assert!(is_utc_time("2026-11-28T16:50:00.123Z"));
        assert!(!is_utc_time("2026-11-28 16:50:00"));
        assert!(!is_utc_time("2026-11-28T16:50:00.Z"));
        assert!(!is_utc_time("2026-11-28T16:50:00+07:00"));
        assert!(!is_utc_time("yesterday"));
        assert!(!is_utc_time(""));
    }

    #[test]
    fn sha256_matches_a_known_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}

/// What the extension does with a report after one delivery attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryOutcome {
    /// A 2xx: the report left the outbox.
    Delivered,
    /// Worth trying again later: network errors, timeouts, 408, 429, 5xx, and answers an admin
    /// can fix on the server side (401, 403, 404 …).
    Retry,
    /// The endpoint will never accept this report (400, 413, 422): kept on the machine, not retried.
    Rejected,
}

/// The decision after a delivery attempt, with the wait before the next one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryStep {
    /// What to do.
    pub outcome: DeliveryOutcome,
    /// Milliseconds to wait before trying again (only with `Retry`).
    pub retry_in_ms: Option<u64>,
}

/// Waits before retry 1, 2, 3 …: a short first wait for a blip, then doubling, then hourly.
/// The first is 15 s because a report usually fails for a moment (a flaky connection); browsers
/// may stretch it (Chrome fires alarms of packed extensions at most every 30 s).
pub const RETRY_DELAYS_SECS: [u64; 8] = [15, 60, 120, 240, 480, 960, 1920, 3600];
/// Up to this share is added to each wait at random, so that many machines whose reports failed
/// during the same outage do not all come back in the same second.
pub const RETRY_JITTER: f64 = 0.2;

/// Decides what follows attempt number `attempt` (1 for the first) that ended with HTTP `status`
/// (`None`: no answer at all). `jitter` is a random number in [0, 1) from the caller.
pub fn delivery_step(status: Option<u16>, attempt: u32, jitter: f64) -> DeliveryStep {
    let outcome = match status {
        Some(200..=299) => DeliveryOutcome::Delivered,
        Some(400 | 413 | 422) => DeliveryOutcome::Rejected,
        _ => DeliveryOutcome::Retry,
    };
    let retry_in_ms = (outcome == DeliveryOutcome::Retry).then(|| {
        let index = (attempt.max(1) as usize - 1).min(RETRY_DELAYS_SECS.len() - 1);
        let base = RETRY_DELAYS_SECS[index] * 1000;
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        base + (base as f64 * RETRY_JITTER * jitter) as u64
    });
    DeliveryStep {
        outcome,
        retry_in_ms,
    }
}

#[cfg(test)]
mod delivery_tests {
    use super::*;

    #[test]
    fn success_statuses_deliver_and_never_wait() {
        for s in [200, 201, 202, 204, 299] {
            let step = delivery_step(Some(s), 1, 0.5);
            assert_eq!(step.outcome, DeliveryOutcome::Delivered, "{s}");
            assert_eq!(step.retry_in_ms, None);
        }
    }

    #[test]
    fn reports_the_endpoint_can_never_accept_are_not_retried() {
        for s in [400, 413, 422] {
            assert_eq!(
                delivery_step(Some(s), 3, 0.0).outcome,
                DeliveryOutcome::Rejected
            );
        }
    }

    #[test]
    fn outages_and_fixable_answers_are_retried_with_growing_waits() {
        for s in [
            None,
            Some(408),
            Some(429),
            Some(500),
            Some(503),
            Some(401),
            Some(404),
        ] {
            assert_eq!(
                delivery_step(s, 1, 0.0).outcome,
                DeliveryOutcome::Retry,
                "{s:?}"
            );
        }
        let waits: Vec<u64> = (1..=10)
            .map(|n| delivery_step(Some(503), n, 0.0).retry_in_ms.unwrap())
            .collect();
        assert_eq!(waits[0], 15_000);
        assert!(waits.windows(2).all(|w| w[0] <= w[1]), "{waits:?}");
        assert_eq!(*waits.last().unwrap(), 3_600_000, "capped at an hour");
    }

    #[test]
    fn jitter_adds_at_most_a_fifth_and_bad_jitter_adds_nothing() {
        assert_eq!(
            delivery_step(None, 2, 0.999).retry_in_ms,
            Some(60_000 + 11_988)
        );
        assert_eq!(delivery_step(None, 2, f64::NAN).retry_in_ms, Some(60_000));
        assert_eq!(delivery_step(None, 2, 7.0).retry_in_ms, Some(72_000));
        assert_eq!(
            delivery_step(None, 0, 0.0).retry_in_ms,
            Some(15_000),
            "attempt 0 counts as the first"
        );
    }
}
