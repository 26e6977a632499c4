//! The host lists of `data/` as one hash table, and the hash-table writer the other tables use.

use std::env;
use std::fs;
use std::io::Write;
use std::path::PathBuf;

use crate::layout;

/// Slots per key in the generated tables: at most half full keeps linear probes short.
const SLOTS_PER_KEY: usize = 2;

/// Writes an open-addressing table `NAME_KEYS` (concatenated bytes), `NAME_OFFSETS`, `NAME_VALUES`
/// and `NAME_SLOTS` (entry index + 1, 0 for empty; a power of two long) for `src/tables/hosttable.rs`.
pub(crate) fn write_hash_table<'a>(
    f: &mut fs::File,
    name: &str,
    entries: impl Iterator<Item = (&'a str, u8)>,
) {
    let entries: Vec<(&str, u8)> = entries.collect();
    let slots_len = (entries.len() * SLOTS_PER_KEY).next_power_of_two().max(16);
    assert!(
        entries.len() < usize::from(u16::MAX),
        "{name}: too many keys for u16 slots"
    );
    let mut slots = vec![0u16; slots_len];
    let mut keys = Vec::new();
    let mut offsets = vec![0u32];
    for (i, (k, _)) in entries.iter().enumerate() {
        keys.extend_from_slice(k.as_bytes());
        offsets.push(keys.len() as u32);
        let mut s = layout::reverse_hash(k.as_bytes()) as usize & (slots_len - 1);
        while slots[s] != 0 {
            s = (s + 1) & (slots_len - 1);
        }
        slots[s] = i as u16 + 1;
    }
    let keys_text = String::from_utf8(keys).expect("ASCII keys");
    writeln!(f, "static {name}_KEYS: &[u8] = b{keys_text:?};").unwrap();
    writeln!(
        f,
        "static {name}_OFFSETS: [u32; {}] = {offsets:?};",
        offsets.len()
    )
    .unwrap();
    let values: Vec<u8> = entries.iter().map(|e| e.1).collect();
    writeln!(
        f,
        "static {name}_VALUES: [u8; {}] = {values:?};",
        values.len()
    )
    .unwrap();
    writeln!(f, "static {name}_SLOTS: [u16; {slots_len}] = {slots:?};").unwrap();
    writeln!(
        f,
        "static {name}: crate::tables::hosttable::HostTable = crate::tables::hosttable::HostTable {{ keys: {name}_KEYS, offsets: &{name}_OFFSETS, values: &{name}_VALUES, slots: &{name}_SLOTS }};"
    )
    .unwrap();
}

/// The host lists of `data/`, each with the flag (`src/tables/layout.rs`) its hosts get.
const HOST_FLAG_FILES: [(&str, u8); 4] = [
    ("data/official_stores.tsv", layout::OFFICIAL_STORE),
    ("data/shorteners.txt", layout::SHORTENER),
    ("data/apk_sites.txt", layout::APK_SITE),
    ("data/chat_sites.txt", layout::CHAT_SITE),
];

/// Merges the host lists of `data/` into one table, so a check walks a host's suffixes once.
pub(crate) fn write_host_table() {
    let mut hosts: std::collections::BTreeMap<String, u8> = Default::default();
    for (path, flag) in HOST_FLAG_FILES {
        println!("cargo:rerun-if-changed={path}");
        let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let host = line.split('\t').next().unwrap_or_default().trim();
            assert!(
                !host.is_empty()
                    && host.bytes().all(|b| b.is_ascii_lowercase()
                        || b.is_ascii_digit()
                        || b == b'.'
                        || b == b'-'),
                "{path}: {host:?} must be a lowercase ASCII host"
            );
            *hosts.entry(host.to_string()).or_default() |= flag;
        }
    }
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("host_table.rs");
    let mut f = fs::File::create(out).unwrap();
    write_hash_table(&mut f, "HOSTS", hosts.iter().map(|(k, v)| (k.as_str(), *v)));
}
