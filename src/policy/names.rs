//! Domains and hosts as an admin writes them, made into the one spelling the engine compares:
//! the policy's lists and the feeds both read names through these.

use url::Url;

use crate::policy::problem::Msg;

/// Normalises an admin-written domain: lowercase, IDN to ASCII, no leading `*.`/`.`, no
/// trailing dot. Explains what is wrong otherwise, in English (policy problems carry both
/// languages).
pub fn normalize_domain(raw: &str) -> Result<String, String> {
    normalize_domain_both(raw).map_err(|m| m.en)
}

/// Normalises a domain or an IP address as the URL parser writes a host: an IPv4 address in any
/// spelling the parser accepts (`0x7f.1`, `2130706433`) becomes its dotted form, an IPv6 address
/// its bracketed, shortest form. So a listed address matches every way of writing it in a link.
pub fn normalize_host(raw: &str) -> Result<String, String> {
    normalize_host_both(raw).map_err(|m| m.en)
}

/// The canonical host of `raw` when it is an IP address written on its own.
pub fn ip_host(raw: &str) -> Option<String> {
    let s = raw.trim();
    let inner = s
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .unwrap_or(s);
    if inner.contains(':') {
        let ip: std::net::Ipv6Addr = inner.parse().ok()?;
        return Some(url::Host::<String>::Ipv6(ip).to_string());
    }
    // Only text made of what IPv4 spellings use can be one; a name never parses as an address.
    if inner.is_empty()
        || !inner
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b'.' || b == b'x' || b == b'X')
    {
        return None;
    }
    match url::Host::parse(inner).ok()? {
        url::Host::Ipv4(ip) => Some(ip.to_string()),
        _ => None,
    }
}

/// [`normalize_host`] with its explanation in both languages.
pub(crate) fn normalize_host_both(raw: &str) -> Result<String, Msg> {
    match ip_host(raw) {
        Some(ip) => Ok(ip),
        None => normalize_domain_both(raw),
    }
}

/// [`normalize_domain`] with its explanation in both languages.
pub(crate) fn normalize_domain_both(raw: &str) -> Result<String, Msg> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Msg::new(
            "an empty string is not a domain",
            "chuỗi rỗng không phải tên miền",
        ));
    }
    if s.contains("://") {
        let host = Url::parse(s)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string));
        return Err(match host {
            Some(h) => Msg::new(
                format!("{raw:?} is a URL; write only the domain, e.g. {h:?}"),
                format!("{raw:?} là một URL; chỉ ghi tên miền, ví dụ {h:?}"),
            ),
            None => Msg::new(
                format!("{raw:?} is a URL; write only the domain"),
                format!("{raw:?} là một URL; chỉ ghi tên miền"),
            ),
        });
    }
    if s.contains(['/', '?', '#', '@', ':', ' ']) {
        return Err(Msg::new(
            format!("{raw:?} is not a domain: write it like \"example.com\", with no path, port or spaces"),
            format!("{raw:?} không phải tên miền: hãy ghi như \"example.com\", không có đường dẫn, cổng hay dấu cách"),
        ));
    }
    let s = s
        .strip_prefix("*.")
        .or_else(|| s.strip_prefix('.'))
        .unwrap_or(s);
    let s = s.strip_suffix('.').unwrap_or(s);
    let invalid = || {
        Msg::new(
            format!("{raw:?} is not a valid domain name"),
            format!("{raw:?} không phải tên miền hợp lệ"),
        )
    };
    let ascii = idna::domain_to_ascii(s).map_err(|_| invalid())?;
    let name_chars = ascii
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_');
    if ascii.is_empty() || ascii.split('.').any(str::is_empty) || !name_chars {
        return Err(invalid());
    }
    if !ascii.contains('.') {
        return Err(Msg::new(
            format!("{raw:?} has no dot; write a full domain such as \"{ascii}.vn\""),
            format!("{raw:?} không có dấu chấm; hãy ghi tên miền đầy đủ, ví dụ \"{ascii}.vn\""),
        ));
    }
    if ascii
        .rsplit('.')
        .next()
        .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(Msg::new(
            format!("{raw:?} is an IP address or ends in a number; write a domain name"),
            format!("{raw:?} là địa chỉ IP hoặc kết thúc bằng số; hãy ghi tên miền"),
        ));
    }
    if ascii.len() > 253 {
        return Err(Msg::new(
            format!("{raw:?} is longer than a domain name can be (253 characters)"),
            format!("{raw:?} dài hơn mức tối đa của một tên miền (253 ký tự)"),
        ));
    }
    Ok(ascii)
}
