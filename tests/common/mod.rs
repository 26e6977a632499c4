//! Helpers shared by the data-driven tests.

/// Undoes the escapes a TSV cell may use for characters it cannot hold: `\t`, `\n`, `\r`, `\\`,
/// `\u{…}`, and `\rep{N}{text}` for `text` repeated N times (huge inputs).
pub fn unescape(cell: &str) -> String {
    let mut out = String::new();
    let mut rest = cell;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        let (piece, used) = if let Some(t) = tail.strip_prefix("u{") {
            let end = t.find('}').expect("closing } of \\u{");
            let c = char::from_u32(u32::from_str_radix(&t[..end], 16).expect("hex")).expect("char");
            (c.to_string(), 2 + end + 1)
        } else if let Some(t) = tail.strip_prefix("rep{") {
            let end = t.find("}{").expect("\\rep{N}{text}");
            let n: usize = t[..end].parse().expect("count");
            let t2 = &t[end + 2..];
            let end2 = t2.find('}').expect("closing }");
            (t2[..end2].repeat(n), 4 + end + 2 + end2 + 1)
        } else {
            let c = tail.chars().next().expect("escape at end of cell");
            let s = match c {
                't' => "\t",
                'n' => "\n",
                'r' => "\r",
                '\\' => "\\",
                '0' => "\0",
                other => panic!("unknown escape \\{other} in {cell:?}"),
            };
            (s.to_string(), 1)
        };
        out.push_str(&piece);
        rest = &tail[used..];
    }
    out.push_str(rest);
    out
}
