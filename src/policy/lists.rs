//! The built-in community threat lists: where each comes from, its licence, and how a warning
//! names it. The lists themselves are data files (`data/lists/`), shipped beside the engine and
//! never inside it: the extension loads them as files, the CLI embeds them in its own binary.

use serde::Serialize;

/// How often a built-in list is refreshed from its upstream address.
pub const REFRESH_MINUTES: u32 = 24 * 60;
/// Largest refreshed body accepted: the upstream lists are ~100 KB; 16 MiB leaves room to grow a
/// hundredfold while refusing a runaway or hostile download.
pub const MAX_BUILTIN_BYTES: usize = 16 * 1024 * 1024;
/// Longest a refresh may take before it is abandoned (the last good copy stays).
pub const REFRESH_TIMEOUT_MS: u32 = 30_000;

/// One built-in list.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BuiltinList {
    /// Stable id (storage keys, the options page).
    pub id: &'static str,
    /// The name a warning gives (`community_listed`'s detail).
    pub name: &'static str,
    /// The file under `data/lists/` (and the extension's `lists/`).
    pub file: &'static str,
    /// The file name looked for under an admin's mirror folder.
    pub mirror_file: &'static str,
    /// Where refreshes come from.
    pub upstream: &'static str,
    /// Where the list is published, for people.
    pub source: &'static str,
    /// Its licence.
    pub licence: &'static str,
    /// The date of the snapshot shipped.
    pub snapshot_date: &'static str,
}

/// Every built-in list, in the order they are checked.
pub const BUILTIN_LISTS: &[BuiltinList] = &[
    BuiltinList {
        id: "hostsVN-threat",
        name: "hostsVN",
        file: "hostsVN-threat-VN.txt",
        mirror_file: "threat-VN.txt",
        upstream: "https://raw.githubusercontent.com/bigdargon/hostsVN/master/extensions/source/threat-VN.txt",
        source: "https://github.com/bigdargon/hostsVN",
        licence: "MIT",
        snapshot_date: "2026-06-24",
    },
    BuiltinList {
        id: "hostsVN-ip",
        name: "hostsVN",
        file: "hostsVN-ip-threat.txt",
        mirror_file: "ip-threat.txt",
        upstream: "https://raw.githubusercontent.com/bigdargon/hostsVN/master/extensions/source/ip-threat.txt",
        source: "https://github.com/bigdargon/hostsVN",
        licence: "MIT",
        snapshot_date: "2026-06-24",
    },
];

/// Where `list` is fetched from: the admin's mirror folder when one is set, else its upstream.
pub fn refresh_url(list: &BuiltinList, mirror: Option<&str>) -> String {
    match mirror {
        Some(base) => format!("{}/{}", base.trim_end_matches('/'), list.mirror_file),
        None => list.upstream.to_string(),
    }
}
