//! Hash maps whose keys a web page chooses: its links' addresses and texts, the hosts they name.
//!
//! A page that knew how such keys hash could send thousands of addresses that land in one bucket
//! and hold the worker's thread for seconds. std's `RandomState` is no defence in the wasm build:
//! on `wasm32-unknown-unknown` its keys are two memory addresses, which anyone running the same
//! version can predict. These maps hash with foldhash, keyed by a seed from the platform's random source: the
//! wasm layer hands [`seed`] bytes from Web Crypto before it builds an engine; natively the seed
//! comes from std's `RandomState`, which the operating system keys. foldhash also costs less than
//! std's SipHash on keys this short (docs/performance.md has the figures).

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use foldhash::fast::{FoldHasher, SeedableRandomState};
use foldhash::SharedSeed;

/// A map keyed by what a page chose.
pub type PageMap<K, V> = HashMap<K, V, PageKeys>;

/// Where the seed in force came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SeedSource {
    /// No map has been built yet.
    None,
    /// Bytes given through [`seed`] (Web Crypto, in the extension).
    Given,
    /// std's `RandomState` (the OS's random source), because no seed was given first.
    Std,
}

/// The seed in force and where it came from, set once: by [`seed`], or by the first map built.
static SHARED: OnceLock<(SharedSeed, SeedSource)> = OnceLock::new();
/// Tells maps apart under one shared seed (odd steps: every value comes round once).
static NEXT_MAP: AtomicU64 = AtomicU64::new(0);
const MAP_STEP: u64 = 0x9e37_79b9_7f4a_7c15;

/// Seeds the page maps with random `bytes`. Only the first seed counts, and only before the first
/// map is built: `true` when these bytes are the seed in force.
pub fn seed(bytes: [u8; 8]) -> bool {
    let mut used = false;
    SHARED.get_or_init(|| {
        used = true;
        (
            SharedSeed::from_u64(u64::from_le_bytes(bytes)),
            SeedSource::Given,
        )
    });
    used
}

/// Where the seed in force came from.
pub fn seed_source() -> SeedSource {
    SHARED.get().map_or(SeedSource::None, |s| s.1)
}

fn shared() -> &'static SharedSeed {
    &SHARED
        .get_or_init(|| {
            let os = std::hash::RandomState::new().build_hasher().finish();
            (SharedSeed::from_u64(os), SeedSource::Std)
        })
        .0
}

/// The hashing of a [`PageMap`]: foldhash under the process's seed, each map with its own offset.
#[derive(Clone, Debug)]
pub struct PageKeys(SeedableRandomState);

impl Default for PageKeys {
    fn default() -> PageKeys {
        let map = NEXT_MAP.fetch_add(MAP_STEP, Ordering::Relaxed);
        PageKeys(SeedableRandomState::with_seed(map, shared()))
    }
}

impl BuildHasher for PageKeys {
    type Hasher = FoldHasher<'static>;

    fn build_hasher(&self) -> FoldHasher<'static> {
        self.0.build_hasher()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_given_after_the_first_map_is_not_used() {
        let mut map: PageMap<&str, u32> = PageMap::default();
        map.insert("https://vnexpress.net/", 1);
        assert_ne!(seed_source(), SeedSource::None);
        assert!(!seed(*b"too late"), "the seed in force must not change");
        assert_eq!(map.get("https://vnexpress.net/"), Some(&1));
    }

    #[test]
    fn maps_hash_the_same_key_differently() {
        let (a, b) = (PageKeys::default(), PageKeys::default());
        let key = "https://tai-ung-dung.top/VNeID.apk";
        assert_ne!(a.hash_one(key), b.hash_one(key));
        assert_eq!(a.hash_one(key), a.hash_one(key));
    }
}
