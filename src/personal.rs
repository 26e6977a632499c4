//! Personal data in text about to be published (placeholder until the module lands).
