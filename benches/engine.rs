//! Engine benchmarks, each beside a peer measured in the same run:
//! - start-up: `Engine::new()` + first verdict, against parsing the PSL text with `publicsuffix`;
//! - registrable domain: the embedded table against `publicsuffix::List`;
//! - a check: `Engine::check_url` against `Url::parse` alone (the floor any check pays);
//! - a batch of 1,000 mixed URLs.

use std::hint::black_box;

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

criterion_group!(benches, startup, registrable, check);
criterion_main!(benches);
