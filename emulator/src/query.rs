//! Raw query strings and path segments: percent-decoding, percent-encoding and key/value pairs.

/// Decodes `%XX` escapes (invalid ones are kept as is) and, when `plus_is_space`, `+` as a
/// space; invalid UTF-8 is replaced.
pub(crate) fn percent_decode(input: &str, plus_is_space: bool) -> String {
    let bytes = input.as_bytes();
    if !bytes
        .iter()
        .any(|&b| b == b'%' || (plus_is_space && b == b'+'))
    {
        return input.to_owned();
    }
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hi = bytes.get(i + 1).and_then(|&b| hex(b));
                let lo = bytes.get(i + 2).and_then(|&b| hex(b));
                if let (Some(hi), Some(lo)) = (hi, lo) {
                    out.push(hi << 4 | lo);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b'+' if plus_is_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub(crate) fn percent_encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for &b in input.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The decoded `key=value` pairs of a raw query string, in order (`+` decodes to a space, as
/// HTML forms and most servers treat it).
pub(crate) fn pairs(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

/// The decoded `index`-th segment of a raw path (`/a/b` has segments `a` and `b` at 1 and 2).
pub(crate) fn path_segment(path: &str, index: usize) -> String {
    percent_decode(path.split('/').nth(index).unwrap_or(""), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("a%2Fb%3Fc", false), "a/b?c");
        assert_eq!(percent_decode("a+b", true), "a b");
        assert_eq!(percent_decode("a+b", false), "a+b");
        assert_eq!(percent_decode("100%", false), "100%");
        assert_eq!(percent_decode("%zz%4", false), "%zz%4");
        assert_eq!(percent_decode("%41", false), "A");
        assert_eq!(percent_decode("%C3%A9", false), "é");
    }

    #[test]
    fn encoding() {
        assert_eq!(percent_encode("a b/c?d=é"), "a%20b%2Fc%3Fd%3D%C3%A9");
        assert_eq!(percent_encode("Az09-._~"), "Az09-._~");
    }

    #[test]
    fn query_pairs() {
        let p = pairs("filter%5BuserId%5D=abc&page[size]=3&flag&&x=a%26b");
        assert_eq!(p[0], ("filter[userId]".into(), "abc".into()));
        assert_eq!(p[1], ("page[size]".into(), "3".into()));
        assert_eq!(p[2], ("flag".into(), "".into()));
        assert_eq!(p[3], ("x".into(), "a&b".into()));
    }

    #[test]
    fn segments() {
        assert_eq!(
            path_segment("/v2/apps/demo%2Dapp/conversations/a%2Fb", 3),
            "demo-app"
        );
        assert_eq!(path_segment("/v2/apps/demo/conversations/a%2Fb", 5), "a/b");
    }
}
