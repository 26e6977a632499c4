//! What a policy check reports: a problem names its key, a stable code, how serious it is, and
//! what is wrong in English and Vietnamese. The codes are part of the JSON the options page
//! and admins' scripts read, so each keeps its spelling for good.

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::verdict::Lang;

/// The stable code of a policy problem; its string (`as_str`) is what JSON carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ProblemCode {
    /// The text is not JSON.
    InvalidJson,
    /// A value of the wrong JSON type.
    WrongType,
    /// A key or field the policy does not have.
    UnknownKey,
    /// A key only an administrator may set, found in the user's options.
    AdminOnly,
    /// A list longer than a policy may hold.
    TooManyEntries,
    /// An entry that is not a domain (or host).
    InvalidDomain,
    /// An entry listed twice.
    Duplicate,
    /// An entry that is not a usable URL.
    InvalidUrl,
    /// A number outside its key's range.
    OutOfRange,
    /// An address that must be `https://` and is not.
    NotHttps,
    /// A value the key does not accept (a check or language name, a feed format, a phone).
    InvalidValue,
    /// A required field is missing.
    Missing,
    /// More blocked URLs than the browser's rules can stop before they load.
    OverBrowserRules,
    /// A key written twice in one object.
    DuplicateKey,
}

impl ProblemCode {
    /// Every code, in the order above.
    pub const ALL: [ProblemCode; 14] = [
        ProblemCode::InvalidJson,
        ProblemCode::WrongType,
        ProblemCode::UnknownKey,
        ProblemCode::AdminOnly,
        ProblemCode::TooManyEntries,
        ProblemCode::InvalidDomain,
        ProblemCode::Duplicate,
        ProblemCode::InvalidUrl,
        ProblemCode::OutOfRange,
        ProblemCode::NotHttps,
        ProblemCode::InvalidValue,
        ProblemCode::Missing,
        ProblemCode::OverBrowserRules,
        ProblemCode::DuplicateKey,
    ];

    /// The code as JSON and the options page spell it (`wrong_type`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ProblemCode::InvalidJson => "invalid_json",
            ProblemCode::WrongType => "wrong_type",
            ProblemCode::UnknownKey => "unknown_key",
            ProblemCode::AdminOnly => "admin_only",
            ProblemCode::TooManyEntries => "too_many_entries",
            ProblemCode::InvalidDomain => "invalid_domain",
            ProblemCode::Duplicate => "duplicate",
            ProblemCode::InvalidUrl => "invalid_url",
            ProblemCode::OutOfRange => "out_of_range",
            ProblemCode::NotHttps => "not_https",
            ProblemCode::InvalidValue => "invalid_value",
            ProblemCode::Missing => "missing",
            ProblemCode::OverBrowserRules => "over_browser_rules",
            ProblemCode::DuplicateKey => "duplicate_key",
        }
    }
}

impl std::fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ProblemCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Compares with the code's string, as tests and callers holding JSON do.
impl PartialEq<&str> for ProblemCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Compares with the code's string.
impl PartialEq<str> for ProblemCode {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

/// How serious a policy problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The value was rejected; the key keeps its default.
    Error,
    /// Accepted or ignored, but the admin should look (unknown keys, dropped duplicates).
    Warning,
}

/// One problem found in a policy, naming the key and what was expected.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyProblem {
    /// The key, with an index for list items (`blockedDomains[2]`).
    pub key: String,
    /// A stable problem code (`wrong_type`, `unknown_key`, `invalid_domain`, …).
    pub code: ProblemCode,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong and what was expected, in plain English.
    pub message: String,
    /// The same in Vietnamese (`messageVi` in JSON, beside `message`, so a page picks by its
    /// own language).
    #[serde(rename = "messageVi")]
    pub message_vi: String,
}

impl PolicyProblem {
    /// The explanation in `lang`.
    pub fn message_in(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.message_vi,
            Lang::En => &self.message,
        }
    }
}

/// One problem's explanation in English and in Vietnamese, always written together so that no
/// problem can reach the options page in one language only.
pub(crate) struct Msg {
    pub(crate) en: String,
    pub(crate) vi: String,
}

impl Msg {
    pub(crate) fn new(en: impl Into<String>, vi: impl Into<String>) -> Msg {
        Msg {
            en: en.into(),
            vi: vi.into(),
        }
    }
}

/// An error on `key`.
pub(crate) fn problem(key: &str, code: ProblemCode, m: Msg) -> PolicyProblem {
    PolicyProblem {
        key: key.to_string(),
        code,
        severity: Severity::Error,
        message: m.en,
        message_vi: m.vi,
    }
}

/// What a JSON value is, in English and Vietnamese, for "expected …, got …".
pub(crate) fn type_name(v: &Value) -> (&'static str, &'static str) {
    match v {
        Value::Null => ("null", "null"),
        Value::Bool(_) => ("a true/false value", "một giá trị true/false"),
        Value::Number(_) => ("a number", "một số"),
        Value::String(_) => ("a string", "một chuỗi"),
        Value::Array(_) => ("a list", "một danh sách"),
        Value::Object(_) => ("an object", "một đối tượng"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_own_snake_case_string_and_serialises_as_it() {
        let mut seen = std::collections::HashSet::new();
        for code in ProblemCode::ALL {
            let s = code.as_str();
            assert!(
                s.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{s}"
            );
            assert!(seen.insert(s), "{s} twice");
            assert_eq!(serde_json::to_value(code).unwrap(), s);
        }
    }
}
