//! The checks: each reads the [`facts::Facts`] of one URL (or a download's name and type) and
//! answers with a finding or nothing. They know the built-in tables, never the admin's policy:
//! the engine decides which to run and what their findings weigh.

pub mod download;
pub mod facts;
pub mod lookalike;
pub mod personal;
pub mod redirect;
pub mod scamwords;
pub mod sideload;
pub mod social;
pub mod stores;
