//! Engine benchmarks, each beside a peer measured in the same run:
//! - start-up: `Engine::new()` + first verdict, against parsing the PSL text with `publicsuffix`;
//! - registrable domain: the embedded table against `publicsuffix::List`;
//! - a check: `Engine::check_url` against `Url::parse` alone (the floor any check pays);
//! - a batch of 1,000 mixed URLs;
//! - a 500,000-domain feed: parse, restore, look up and memory, against a `HashSet<String>`.

use std::collections::HashSet;
use std::hint::black_box;

use canhgiac::feeds::FeedSet;
use canhgiac::policy::FeedFormat;
use canhgiac::{psl, EmbeddedList, Engine};
use criterion::{criterion_group, criterion_main, Criterion};

const PSL_TEXT: &str = include_str!("../data/public_suffix_list.dat");

const URLS: &[&str] = &[
    "https://www.vietcombank.com.vn/vi-VN/Ca-nhan",
    "https://play.google.com/store/apps/details?id=vn.gov.bocongan.vneid",
    "https://dichvucong.gov.vn.xacminh-cutru.top/dang-nhap",
    "http://103.21.4.9/download/VNeID.apk",
    "https://l.facebook.com/l.php?u=https%3A%2F%2Fbit.ly%2F3abc&h=AT0",
    "https://zalo.me/0912345678",
    "https://vnexpress.net/thoi-su",
    "https://drive.google.com/uc?export=download&id=1AbC",
];

fn startup(c: &mut Criterion) {
    let mut g = c.benchmark_group("startup");
    g.bench_function("canhgiac: Engine::new + first check", |b| {
        b.iter(|| black_box(Engine::new()).check_url(black_box(URLS[0])))
    });
    g.bench_function("peer: publicsuffix::List parse of the same PSL text", |b| {
        b.iter(|| black_box(PSL_TEXT).parse::<publicsuffix::List>().unwrap())
    });
    g.finish();
}

fn registrable(c: &mut Criterion) {
    let peer_resolver = psl::ListResolver(PSL_TEXT.parse::<publicsuffix::List>().unwrap());
    let hosts = [
        "www.dichvucong.gov.vn",
        "a.b.evil.web.app",
        "play.google.com.app-vn.top",
        "x.y.z.kobe.jp",
    ];
    let mut g = c.benchmark_group("registrable_domain");
    g.bench_function("canhgiac: embedded table", |b| {
        b.iter(|| {
            for h in hosts {
                black_box(psl::registrable_domain(&EmbeddedList, black_box(h)));
            }
        })
    });
    g.bench_function("peer: publicsuffix::List", |b| {
        b.iter(|| {
            for h in hosts {
                black_box(psl::registrable_domain(&peer_resolver, black_box(h)));
            }
        })
    });
    g.finish();
}

fn check(c: &mut Criterion) {
    let engine = Engine::new();
    let mut g = c.benchmark_group("check_url");
    for (i, u) in URLS.iter().enumerate() {
        g.bench_function(format!("canhgiac: check_url #{i}"), |b| {
            b.iter(|| engine.check_url(black_box(u)))
        });
    }
    g.bench_function("peer: url::Url::parse #0", |b| {
        b.iter(|| url::Url::parse(black_box(URLS[0])).unwrap())
    });
    g.finish();

    let batch: Vec<&str> = URLS.iter().cycle().take(1000).copied().collect();
    c.bench_function("check_batch 1000", |b| {
        b.iter(|| engine.check_batch(black_box(&batch)))
    });
}

/// A feed of `n` synthetic domains, one a line (shapes like real blocklist rows).
fn feed_text(n: usize) -> String {
    (0..n).map(|i| format!("scam-{i:07}.top\n")).collect()
}

fn feeds(c: &mut Criterion) {
    let text = feed_text(500_000);
    let mut g = c.benchmark_group("feed_500k");
    g.sample_size(10);
    g.bench_function("canhgiac: FeedSet::parse", |b| {
        b.iter(|| FeedSet::parse(black_box(&text), FeedFormat::Domains, None).unwrap())
    });
    g.bench_function("peer: HashSet<String> of the lines", |b| {
        b.iter(|| {
            black_box(&text)
                .lines()
                .map(str::to_string)
                .collect::<HashSet<_>>()
        })
    });
    let (set, _) = FeedSet::parse(&text, FeedFormat::Domains, None).unwrap();
    let bytes = set.to_bytes();
    g.bench_function("canhgiac: FeedSet::from_bytes (worker start)", |b| {
        b.iter(|| FeedSet::from_bytes(black_box(&bytes)).unwrap())
    });
    g.finish();
    let peer: HashSet<String> = text.lines().map(str::to_string).collect();
    let hosts = [
        "www.scam-0123456.top",
        "a.b.vnexpress.net",
        "scam-0499999.top",
    ];
    let mut g = c.benchmark_group("feed_lookup");
    g.bench_function("canhgiac: FeedSet::find x3", |b| {
        b.iter(|| {
            hosts
                .iter()
                .filter(|h| set.find(black_box(h)).is_some())
                .count()
        })
    });
    g.bench_function("peer: HashSet<String> suffix walk x3", |b| {
        b.iter(|| {
            hosts
                .iter()
                .filter(|h| {
                    let mut rest: &str = black_box(h);
                    loop {
                        if peer.contains(rest) {
                            return true;
                        }
                        match rest.find('.') {
                            Some(i) => rest = &rest[i + 1..],
                            None => return false,
                        }
                    }
                })
                .count()
        })
    });
    g.finish();
    // Memory, printed beside the timings: heap bytes of each representation.
    let peer_bytes: usize =
        peer.iter().map(|s| s.capacity() + 24 + 8).sum::<usize>() + peer.capacity();
    eprintln!(
        "feed_500k memory: canhgiac FeedSet {} KiB; peer HashSet<String> ~{} KiB (strings + headers + table)",
        set.heap_bytes() / 1024,
        peer_bytes / 1024
    );
}

criterion_group!(benches, startup, registrable, check, feeds);
criterion_main!(benches);
