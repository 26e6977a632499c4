//! Risk weights: signals that add to a brand match but never flag a plain site alone.

use crate::checks::facts::Facts;

/// Top-level domains that Vietnamese scam reports keep naming (cheap, loosely policed).
/// Sorted for binary search.
const RISKY_TLDS: &[&str] = &[
    "asia", "bar", "best", "bond", "buzz", "cc", "cf", "cfd", "click", "club", "cyou", "fun", "ga",
    "gq", "icu", "info", "life", "link", "live", "lol", "ml", "monster", "one", "online", "rest",
    "sbs", "shop", "site", "space", "store", "support", "tk", "today", "top", "vip", "website",
    "work", "world", "xyz",
];

/// Free hosting and tunnelling suffixes where anyone gets a subdomain in a minute.
const FREE_HOSTS: &[&str] = &[
    "000webhostapp.com",
    "blogspot.com",
    "firebaseapp.com",
    "github.io",
    "glitch.me",
    "herokuapp.com",
    "netlify.app",
    "ngrok-free.app",
    "ngrok.io",
    "onrender.com",
    "pages.dev",
    "r2.dev",
    "repl.co",
    "surge.sh",
    "vercel.app",
    "web.app",
    "webflow.io",
    "weebly.com",
    "wixsite.com",
    "workers.dev",
];

/// Whether `tld` is one of the often-abused top-level domains.
pub(super) fn risky_tld(tld: &str) -> bool {
    RISKY_TLDS.binary_search(&tld).is_ok()
}

/// The weight a host's risk signals add to a match: one per signal.
pub(crate) fn weight(f: &Facts<'_>) -> u8 {
    let mut w = 0;
    if risky_tld(f.host.rsplit('.').next().unwrap_or_default()) {
        w += 1;
    }
    if FREE_HOSTS.iter().any(|d| f.host_within(d)) {
        w += 1;
    }
    w
}

#[cfg(test)]
mod tests {
    #[test]
    fn tlds_sorted() {
        assert!(super::RISKY_TLDS.windows(2).all(|w| w[0] < w[1]));
    }
}
