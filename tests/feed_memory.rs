//! A JSON feed is read as a stream: its size in memory stays near the body's, whatever the list
//! holds. Measured with a counting allocator, so this file is its own test binary.
#![cfg(not(target_arch = "wasm32"))]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use canhgiac::feeds::{FeedError, FeedSet};
use canhgiac::policy::FeedFormat;

struct Counting;
static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = NOW.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
        PEAK.fetch_max(now, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        NOW.fetch_sub(layout.size(), Ordering::SeqCst);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[test]
fn a_json_feed_of_millions_of_numbers_is_refused_without_holding_them() {
    // 8 million numbers in 16 MB: as `serde_json::Value`s they would take over 250 MB.
    let body = format!("[{}0]", "0,".repeat(8_000_000));
    let before = NOW.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let result = FeedSet::parse(&body, FeedFormat::Json, None);
    let peak = PEAK.load(Ordering::SeqCst) - before;
    assert!(
        matches!(
            result,
            Err(FeedError::NoEntries {
                bad_lines: 8_000_001
            })
        ),
        "{result:?}"
    );
    assert!(
        peak < 4 * 1024 * 1024,
        "peak {peak} bytes while reading a {} byte body",
        body.len()
    );
}

#[test]
fn a_json_feed_names_what_stood_in_place_of_a_domain() {
    let (set, stats) = FeedSet::parse(
        r#"{"source": "so-tt", "domains": ["a.vn", ["b.vn"], {"d": 1}, null, true, 1.5, "c.vn"]}"#,
        FeedFormat::Json,
        None,
    )
    .unwrap();
    assert_eq!(set.len(), 2);
    assert_eq!(stats.bad_lines, 5);
    assert_eq!(
        stats.bad_examples,
        [
            "(a list)",
            "(an object)",
            "(null)",
            "(true or false)",
            "(a number)"
        ]
    );
    for bad in [
        r#"["a.vn"] trailing"#,
        r#"{"domains": 5}"#,
        r#""a.vn""#,
        "[1, 2",
    ] {
        assert!(
            matches!(
                FeedSet::parse(bad, FeedFormat::Json, None),
                Err(FeedError::BadJson(_))
            ),
            "{bad}"
        );
    }
}
