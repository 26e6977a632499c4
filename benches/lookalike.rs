//! Lookalike detector benchmarks, each beside a naive peer measured in the same run:
//! - one check on a benign host, an attack and an IDN, against a plain Levenshtein of the
//!   registrable label to every target word (the simplest detector one would write);
//! - 60 mixed hosts (divide by 60 for the per-check figure);
//! - `Detector::new` (runs at every worker start; the target tables are static, built by `build/`).

use std::hint::black_box;

use canhgiac::lookalike::Detector;
use canhgiac::{EmbeddedList, Facts};
use criterion::{criterion_group, criterion_main, Criterion};

const TARGETS_TSV: &str = include_str!("../data/lookalike/targets.tsv");

const HOSTS: &[&str] = &[
    "vnexpress.net",
    "www.vietcombank.com.vn",
    "dantri.com.vn",
    "tuoitre.vn",
    "shopee.vn",
    "www.google.com",
    "m.facebook.com",
    "chat.zalo.me",
    "sotttt.daklak.gov.vn",
    "tiki.vn",
    "github.com",
    "stackoverflow.com",
    "thegioididong.com",
    "cafef.vn",
    "baomoi.com",
    "hust.edu.vn",
    "cdn.jsdelivr.net",
    "fonts.gstatic.com",
    "i.ytimg.com",
    "vtv.vn",
    "www.bidv.com.vn",
    "momo.vn",
    "zingnews.vn",
    "kenh14.vn",
    "24h.com.vn",
    "accounts.google.com",
    "login.microsoftonline.com",
    "www.youtube.com",
    "vnpay.vn",
    "tpb.vn",
    "api.example-shop.com",
    "static.xx.fbcdn.net",
    "news.zing.vn",
    "plo.vn",
    "laodong.vn",
    "www.agoda.com",
    "traveloka.com",
    "batdongsan.com.vn",
    "chotot.com",
    "topcv.vn",
    "www.apple.com",
    "play.google.com",
    "mail.google.com",
    "outlook.live.com",
    "zoom.us",
    "vietcombank-vn.top",
    "dichvucong.gov.vn.xacminh-cutru.top",
    "chplay-vn.top",
    "zaloweb.pro",
    "facebook-dangnhap.com",
    "taiapp-vneid.online",
    "xn--vietcombnk-lj3e.com",
    "vietcornbank.com",
    "dich-vu-cong.gov-vn.top",
    "viet.lgovn.cc",
    "sbvhn.com",
    "bidv-smartbanking.top",
    "m0mo.com",
    "zalo.xacminh43.org",
    "agrlbank.com.vn",
];

/// The naive peer: Levenshtein distance ≤ 1 from the registrable label to every word.
fn naive(words: &[&str], label: &str) -> bool {
    fn lev(a: &[u8], b: &[u8]) -> usize {
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, &x) in a.iter().enumerate() {
            let mut cur = vec![i + 1; b.len() + 1];
            for (j, &y) in b.iter().enumerate() {
                cur[j + 1] = (prev[j] + usize::from(x != y))
                    .min(prev[j + 1] + 1)
                    .min(cur[j] + 1);
            }
            prev = cur;
        }
        prev[b.len()]
    }
    words
        .iter()
        .any(|w| lev(label.as_bytes(), w.as_bytes()) <= 1)
}

fn words() -> Vec<&'static str> {
    TARGETS_TSV
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .flat_map(|l| l.split('\t').next().unwrap_or_default().split(','))
        .collect()
}

fn one_check(c: &mut Criterion) {
    let d = Detector::new(&["sotttt-daklak.com.vn".to_string()]);
    let words = words();
    let mut g = c.benchmark_group("lookalike check");
    for host in [
        "vnexpress.net",
        "dichvucong.gov.vn.xacminh-cutru.top",
        "xn--vietcombnk-lj3e.com",
    ] {
        let url = url::Url::parse(&format!("https://{host}/")).unwrap();
        let f = Facts::new(&url, &EmbeddedList);
        g.bench_function(format!("canhgiac: {host}"), |b| {
            b.iter(|| d.check(black_box(&f)))
        });
        let label = f.registrable_label().unwrap_or_default();
        g.bench_function(format!("peer: Levenshtein to every word, {host}"), |b| {
            b.iter(|| naive(&words, black_box(label)))
        });
    }
    let urls: Vec<url::Url> = HOSTS
        .iter()
        .map(|h| url::Url::parse(&format!("https://{h}/")).unwrap())
        .collect();
    let facts: Vec<Facts> = urls.iter().map(|u| Facts::new(u, &EmbeddedList)).collect();
    g.bench_function("canhgiac: 60 mixed hosts", |b| {
        b.iter(|| {
            facts
                .iter()
                .filter(|f| d.check(black_box(f)).is_some())
                .count()
        })
    });
    g.bench_function("peer: Levenshtein, 60 mixed hosts", |b| {
        b.iter(|| {
            facts
                .iter()
                .filter(|f| naive(&words, black_box(f.registrable_label().unwrap_or_default())))
                .count()
        })
    });
    g.finish();
}

fn construction(c: &mut Criterion) {
    let protected = vec![
        "sotttt-daklak.com.vn".to_string(),
        "ubnd.example.vn".to_string(),
    ];
    let mut g = c.benchmark_group("lookalike start");
    g.bench_function("Detector::new (2 protected domains)", |b| {
        b.iter(|| Detector::new(black_box(&protected)))
    });
    g.finish();
}

criterion_group!(benches, one_check, construction);
criterion_main!(benches);
