//! Times the engine's first checks in a fresh process: `Engine::new()`, the first `check_url`
//! (which pays for anything built on first use) and a second, lookalike URL.
//!
//! `cargo run --release --example first_check` (run it several times: each run is one cold start).

use std::time::Instant;

fn main() {
    let t0 = Instant::now();
    let engine = canhgiac::Engine::new();
    let t1 = Instant::now();
    let first = engine.check_url("https://tai-ung-dung.top/tai-ve/VNeID.a%70k");
    let t2 = Instant::now();
    let second = engine.check_url("https://dichvucong.gov.vn.xacminh-cutru.top/");
    let t3 = Instant::now();
    let warm = engine.check_url("https://tai-ung-dung.top/tai-ve/VNeID.a%70k");
    let t4 = Instant::now();
    let us = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1e6;
    println!(
        "new {:.1} µs, first {:.1} µs ({:?}), second {:.1} µs ({:?}), first again {:.1} µs",
        us(t0, t1),
        us(t1, t2),
        first.level,
        us(t2, t3),
        second.level,
        us(t3, t4),
    );
    assert_eq!(first.level, warm.level);
}
