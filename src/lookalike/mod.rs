//! Lookalike and impersonation detection (the `lookalike` category).
//!
//! The engine hands each check the host's [`Facts`]; the detector answers with at most one
//! [`LookalikeMatch`] naming the target it imitates. The full detector is its own piece of work
//! (confusables, edit distance, embedding, combo-squatting); this seam keeps it apart.

use crate::facts::Facts;
use crate::verdict::{Level, Reason};

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

/// Detects lookalikes of the built-in targets and the organisation's `protectedDomains`.
#[derive(Clone, Debug, Default)]
pub struct Detector {
    protected: Vec<String>,
}

impl Detector {
    /// A detector for the built-in targets plus `protected` (ASCII registrable domains).
    pub fn new(protected: &[String]) -> Detector {
        Detector {
            protected: protected.to_vec(),
        }
    }

    /// The match for `facts`, if its host imitates a target.
    pub fn check(&self, facts: &Facts<'_>) -> Option<LookalikeMatch> {
        let _ = (facts, &self.protected);
        None
    }
}
