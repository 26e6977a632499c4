//! Personal data in text about to be published: the case table in
//! `tests/data/personal_cases.tsv` (kinds and matched digits, exactly), UTF-16 offsets on text
//! with diacritics and emoji, masking, the JSON shape the extension reads, the province table,
//! and a no-panic fuzz over odd strings.

use std::time::Instant;

mod common;
use common::unescape;

use canhgiac::personal::{
    find_personal_data, province_name, provinces_list, PersonalFinding, PersonalKind,
};

fn span(text: &str, f: &PersonalFinding) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[f.start..f.end]).expect("span on char boundaries")
}

/// `kind:value`: the digits of a number's span, the text of an address's span.
fn render(text: &str, f: &PersonalFinding) -> String {
    let s = span(text, f);
    let value: String = match f.kind {
        PersonalKind::Address => s,
        _ => s.chars().filter(char::is_ascii_digit).collect(),
    };
    format!("{}:{}", f.kind.code(), value)
}

fn render_all(text: &str) -> String {
    let found = find_personal_data(text);
    if found.is_empty() {
        return "-".into();
    }
    found
        .iter()
        .map(|f| render(text, f))
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn case_table() {
    let table = include_str!("data/personal_cases.tsv");
    let mut rows = 0;
    let mut failures = Vec::new();
    for (n, line) in table.lines().enumerate() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        assert!(
            cells.len() >= 2,
            "line {}: text<TAB>expected<TAB>note",
            n + 1
        );
        let text = unescape(cells[0]);
        let want = unescape(cells[1]);
        let got = render_all(&text);
        rows += 1;
        if got != want {
            failures.push(format!(
                "line {}: {:?}\n   want {want}\n    got {got}",
                n + 1,
                cells[0]
            ));
        }
    }
    assert!(rows >= 120, "only {rows} rows");
    eprintln!("personal cases: {rows} rows, {} failing", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn offsets_are_utf16_code_units() {
    // Emoji are two UTF-16 units; Vietnamese letters one; `\u{301}` a unit of its own.
    let text = "Chào 🎉👍 cả nhà! Đắk Lắk ơi, SĐT mình 0912 345 678, CCCD 066185000123 😊";
    let found = find_personal_data(text);
    assert_eq!(found.len(), 2, "{found:?}");
    let units: Vec<u16> = text.encode_utf16().collect();
    let at = |needle: &str| {
        let b = text.find(needle).unwrap();
        text[..b].encode_utf16().count()
    };
    assert_eq!(found[0].kind, PersonalKind::Phone);
    assert_eq!(found[0].start, at("0912"));
    assert_eq!(found[0].end, at("0912") + "0912 345 678".len());
    assert_eq!(
        String::from_utf16(&units[found[0].start..found[0].end]).unwrap(),
        "0912 345 678"
    );
    assert_eq!(found[1].kind, PersonalKind::CitizenId);
    assert_eq!(found[1].start, at("066185000123"));
    assert_eq!(found[1].end, found[1].start + 12);
    // Byte offsets would be larger: the test is meaningful only if they differ.
    assert_ne!(found[1].start, text.find("066185000123").unwrap());

    // Decomposed diacritics count one unit per combining mark.
    let nfd = "Đi\u{323}a chi\u{309}: 12 đu\u{31b}o\u{31b}\u{300}ng Lê Lợi, phu\u{31b}o\u{31b}\u{300}ng Bến Nghé 🏠";
    let f = find_personal_data(nfd);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].kind, PersonalKind::Address);
    assert_eq!(
        span(nfd, &f[0]),
        "12 đu\u{31b}o\u{31b}\u{300}ng Lê Lợi, phu\u{31b}o\u{31b}\u{300}ng Bến Nghé"
    );

    // A phone right after an emoji: the surrogate pair is not split.
    let f = find_personal_data("📞0987654321");
    assert_eq!((f[0].start, f[0].end), (2, 12));
}

#[test]
fn masking_hides_the_middle() {
    let masked = |t: &str| {
        find_personal_data(t)
            .into_iter()
            .map(|f| f.masked)
            .collect::<Vec<_>>()
    };
    assert_eq!(masked("0912345678"), ["0912***678"]);
    assert_eq!(masked("0912 345 678"), ["0912***678"]);
    assert_eq!(masked("+84 912 345 678"), ["+84912***678"]);
    assert_eq!(masked("(+84) 0912-345-678"), ["+84912***678"]);
    assert_eq!(masked("001.099.012.345"), ["001******345"]);
    assert_eq!(masked("CMND 123 456 789"), ["123***789"]);
    assert_eq!(
        masked("12/3 hẻm Nguyễn Trãi, phường 2, quận 5"),
        ["**/* hẻm Nguyễn Trãi, phường *, quận *"]
    );
    // The full number never appears in the masked text.
    for f in find_personal_data("0912345678 001099012345 123456789") {
        assert!(f.masked.contains('*'), "{f:?}");
        assert!(!f.masked.contains("345678") || f.kind == PersonalKind::Phone);
    }
}

#[test]
fn json_shape_for_the_extension() {
    let f = find_personal_data("SĐT 0912345678");
    let json = serde_json::to_value(&f).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{"kind": "phone", "start": 4, "end": 14, "masked": "0912***678"}])
    );
    for (kind, code) in [
        (PersonalKind::CitizenId, "citizen_id"),
        (PersonalKind::OldId, "old_id"),
        (PersonalKind::Phone, "phone"),
        (PersonalKind::Address, "address"),
    ] {
        assert_eq!(serde_json::to_value(kind).unwrap(), code);
        assert_eq!(kind.code(), code);
    }
}

#[test]
fn province_table_has_the_63_codes() {
    let list = provinces_list();
    assert_eq!(list.len(), 63);
    let mut codes: Vec<&str> = list.iter().map(|(c, _)| *c).collect();
    codes.dedup();
    assert_eq!(codes.len(), 63, "codes are unique and sorted");
    assert!(codes.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(province_name("001"), Some("Hà Nội"));
    assert_eq!(province_name("066"), Some("Đắk Lắk"));
    assert_eq!(province_name("079"), Some("Hồ Chí Minh"));
    assert_eq!(province_name("096"), Some("Cà Mau"));
    assert_eq!(province_name("003"), None);
    assert_eq!(province_name("097"), None);
    assert_eq!(province_name("66"), None);
    assert_eq!(province_name("a01"), None);
    // Every code yields a valid CCCD; every other 3-digit prefix none.
    for n in 0..1000 {
        let code = format!("{n:03}");
        let id = format!("{code}099012345");
        let found = !find_personal_data(&id).is_empty();
        assert_eq!(found, province_name(&code).is_some(), "{id}");
    }
}

/// A small linear congruential generator: reproducible "random" input without a dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

/// Checks the invariants every result must keep.
fn check(text: &str) {
    let units: Vec<u16> = text.encode_utf16().collect();
    let found = find_personal_data(text);
    let mut last_end = 0;
    for f in &found {
        assert!(f.start < f.end && f.end <= units.len(), "{f:?} in {text:?}");
        assert!(
            f.start >= last_end,
            "overlap or disorder: {found:?} in {text:?}"
        );
        last_end = f.end;
        assert!(
            String::from_utf16(&units[f.start..f.end]).is_ok(),
            "split surrogate: {f:?} in {text:?}"
        );
        assert!(f.masked.contains('*') || f.kind == PersonalKind::Address);
    }
}

#[test]
fn fuzz_no_panic_and_invariants_hold() {
    let pieces: &[&str] = &[
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "0912",
        "345",
        "678",
        "001",
        "099",
        "84",
        "+",
        "(",
        ")",
        "+84",
        "(+84)",
        " ",
        " ",
        ".",
        "-",
        ",",
        "/",
        ":",
        "\n",
        "\t",
        "\u{a0}",
        "đ",
        "Đ",
        "đồng",
        "a",
        "Z",
        "ư",
        "\u{31b}",
        "\u{300}",
        "\u{301}",
        "\u{323}",
        "\u{306}",
        "🎉",
        "👍🏽",
        "\u{200d}",
        "#",
        "$",
        "₫",
        "%",
        "k",
        "CMND",
        "CCCD",
        "STK",
        "số",
        "số nhà",
        "đường",
        "phố",
        "ngõ",
        "hẻm",
        "phường",
        "xã",
        "quận",
        "huyện",
        "thành phố",
        "TP",
        "P.",
        "Q.",
        "Q1",
        "tổ dân phố",
        "địa chỉ",
        "dia chi",
        "phuong",
        "duong",
        "Lê Lợi",
        "Bến Nghé",
        "12A",
        "12/3",
        "/",
        "//",
        "12/",
        "/3",
        "A",
        "É",
        "ǅ",
        "\u{10ffff}",
        "\u{fffd}",
        "\0",
        "İ",
    ];
    let mut rng = Lcg(0x5eed_c0de);
    for _ in 0..20_000 {
        let len = 1 + rng.next() % 40;
        let mut s = String::new();
        for _ in 0..len {
            s.push_str(rng.pick(pieces));
        }
        check(&s);
    }
    // Plain random code points too, including lone combining marks at the start.
    for _ in 0..5_000 {
        let len = rng.next() % 60;
        let s: String = (0..len)
            .filter_map(|_| char::from_u32((rng.next() % 0x2_0000) as u32))
            .collect();
        check(&s);
    }
    for odd in [
        "",
        " ",
        "\u{301}",
        "\u{31b}\u{300}",
        "+",
        "+8",
        "+84",
        "(+84)",
        "(+84",
        "84",
        "0",
        "0912 345",
        "địa chỉ",
        "địa chỉ:",
        "phường",
        "12 đường",
        "12 đường phường",
        "12 đường A phường",
        "Q",
        "Q.",
        "P5",
        "12 đường A, Q1",
    ] {
        check(odd);
    }
}

#[test]
fn long_and_repetitive_input_stays_fast() {
    // Shapes that would make a careless scanner quadratic.
    let shapes = [
        "1 ".repeat(100_000),
        "0912.".repeat(50_000),
        "12 đường A phường B ".repeat(20_000),
        "địa chỉ ".repeat(30_000),
        "phường Bến Nghé, ".repeat(20_000),
        "9".repeat(300_000),
    ];
    for s in &shapes {
        let t = Instant::now();
        check(s);
        let took = t.elapsed();
        eprintln!("{} chars: {took:?}", s.chars().count());
        assert!(took.as_secs() < 5, "too slow: {took:?}");
    }
}

#[test]
fn time_for_a_2000_character_post() {
    // A realistic post: ordinary text, numbers, an amount, a date, a phone, an address.
    let paragraph = "Hôm nay (12/03/2025) phường tổ chức họp dân lúc 8 giờ, kinh phí 15.000.000 \
        đồng. Mọi thắc mắc xin gọi 0912 345 678 hoặc đến 12 đường Lê Lợi, phường Tân Lợi, TP \
        Buôn Ma Thuột. Cảm ơn bà con đã tham gia đông đủ 🎉. ";
    let mut post = String::new();
    while post.chars().count() < 2000 {
        post.push_str(paragraph);
    }
    let post: String = post.chars().take(2000).collect();
    let found = find_personal_data(&post);
    assert!(found.iter().any(|f| f.kind == PersonalKind::Phone));
    assert!(found.iter().any(|f| f.kind == PersonalKind::Address));
    let rounds = 200;
    let t = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(find_personal_data(std::hint::black_box(&post)));
    }
    eprintln!(
        "2,000-character post: {:?} per call ({} findings)",
        t.elapsed() / rounds,
        found.len()
    );
}
