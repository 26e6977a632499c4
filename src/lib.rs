//! Cảnh Giác's engine: is this link or download safe, an official store, or a trap — and why.
//!
//! Everything runs on the device; the crate has no I/O. The browser extension uses it through
//! WebAssembly (`src/wasm.rs`), admins through the `canhgiac` command-line tool.
//!
//! # Usage
//! ```
//! use canhgiac::{Engine, Download, Level, Category, Policy};
//!
//! // Built-in rules and the embedded Public Suffix List; constructing costs nothing.
//! let engine = Engine::new();
//! let v = engine.check_url("https://play.google.com/store/apps/details?id=vn.gov.bocongan.vneid");
//! assert_eq!(v.level, Level::Official);
//!
//! let v = engine.check_url("https://tai-app.example/VNeID.apk");
//! assert_eq!((v.level, v.category), (Level::Warn, Category::Sideload));
//!
//! // A download is judged by its final URL, file name and MIME type together.
//! let v = engine.check_download(&Download {
//!     url: "https://files.example/get?id=7".into(),
//!     mime: Some("application/vnd.android.package-archive".into()),
//!     ..Download::default()
//! });
//! assert_eq!(v.category, Category::Sideload);
//!
//! // An admin policy: every valid key applies, every problem names its key.
//! let (policy, problems) = Policy::from_json(r#"{"blockedDomains": ["lua-dao.top"]}"#);
//! assert!(problems.is_empty());
//! let engine = Engine::with_policy(policy);
//! assert_eq!(engine.check_url("https://x.lua-dao.top/").level, Level::Block);
//! ```
//!
//! Verdicts carry stable reason codes (`data/reasons.tsv`); render them with
//! [`Verdict::view`] in Vietnamese or English.

// The layers, lowest first, each using only those below it: `verdict` (the vocabulary),
// `tables`, `checks`, `policy`, the engine, then what is written from it (`admin`, `dnr`,
// `report`) and the JavaScript boundary (`wasm`). No module imports one above it: tables and
// checks know nothing of the policy, and the policy nothing of the engine or its outputs.
pub mod admin;
pub mod checks;
pub mod dnr;
mod engine;
pub mod policy;
pub mod report;
pub mod tables;
pub mod verdict;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

// The paths the CLI, the tests and the benches have always used.
pub use crate::admin::adminkit;
pub use crate::checks::{
    download, facts, lookalike, personal, redirect, scamwords, sideload, social, stores,
};
pub use crate::policy::{feeds, lists, snapshot};
pub use crate::tables::{hosttable, psl};

pub use crate::engine::page_keys;
pub use crate::engine::LOOKALIKE_MEMO_HOSTS;
pub use crate::engine::{Download, Engine, Link, LinkMarks};

pub use crate::facts::{Facts, HostKind};
pub use crate::policy::{Policy, PolicyProblem, Severity};
pub use crate::psl::{DomainResolver, EmbeddedList};
pub use crate::snapshot::SnapshotError;
pub use crate::verdict::{
    Category, Lang, Level, Reason, ReasonCode, Verdict, VerdictView, WarningKind,
};

/// With the `fault-injection` feature (test builds), judging any URL containing this panics.
#[cfg(feature = "fault-injection")]
pub const FAULT_MARKER: &str = "canhgiac-fault-injection";
/// Longest input judged as a URL. Real links stay far below; hostile ones pad the address to push
/// the real host out of sight, and parsing megabytes at every navigation would cost time.
pub const MAX_URL_BYTES: usize = 64 * 1024;
/// Longest host name DNS can carry, written out (RFC 1035). Parsers accept longer ones, which no
/// resolver can look up; every list lookup on them would also cost time quadratic in their length.
pub(crate) const MAX_HOST_BYTES: usize = 253;
/// Longest label DNS can carry (RFC 1035).
pub(crate) const MAX_LABEL_BYTES: usize = 63;
/// How many wrappers (redirectors, `view-source:`, intent fallbacks) are unwrapped before giving up.
pub const MAX_UNWRAP_DEPTH: u8 = 5;
/// How much of a `data:` URL is read to find its MIME type: the header ends at the first comma.
pub(crate) const DATA_HEADER_SCAN: usize = 512;
