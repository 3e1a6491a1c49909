//! A `multipart/form-data` body (RFC 7578) split into its parts, each with its field name, file
//! name, content type and bytes.

/// One part of a form.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Part<'a> {
    /// The `name` of its `Content-Disposition: form-data`.
    pub(crate) name: String,
    /// Its `filename`, if any.
    pub(crate) file_name: Option<String>,
    /// Its `Content-Type`, if any.
    pub(crate) content_type: Option<String>,
    pub(crate) data: &'a [u8],
}

/// The `boundary` parameter of a `multipart/form-data` content type (quoted or not); `None`
/// for another type or without a boundary.
pub(crate) fn boundary(content_type: &str) -> Option<String> {
    let mut pieces = content_type.split(';');
    let essence = pieces.next()?.trim();
    if !essence.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    pieces.find_map(|param| {
        let (key, value) = param.split_once('=')?;
        if !key.trim().eq_ignore_ascii_case("boundary") {
            return None;
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        (!value.is_empty() && value.len() <= 70).then(|| value.to_owned())
    })
}

/// The first position of `needle` in `haystack` at or after `from`.
fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let first = *needle.first()?;
    let mut at = from;
    while at + needle.len() <= haystack.len() {
        let offset = haystack[at..=haystack.len() - needle.len()]
            .iter()
            .position(|&b| b == first)?;
        at += offset;
        if &haystack[at..at + needle.len()] == needle {
            return Some(at);
        }
        at += 1;
    }
    None
}

/// A parameter of a `Content-Disposition` value (`name="source"`), unquoted.
fn parameter(disposition: &str, wanted: &str) -> Option<String> {
    disposition.split(';').skip(1).find_map(|param| {
        let (key, value) = param.split_once('=')?;
        if !key.trim().eq_ignore_ascii_case(wanted) {
            return None;
        }
        let value = value.trim();
        Some(
            value
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(value)
                .to_owned(),
        )
    })
}

/// The parts of `body`, delimited by `boundary`; an error says what is malformed.
pub(crate) fn parse<'a>(body: &'a [u8], boundary: &str) -> Result<Vec<Part<'a>>, String> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let inner = format!("\r\n--{boundary}");
    let inner = inner.as_bytes();
    let mut at = if body.starts_with(delimiter) {
        delimiter.len()
    } else {
        find(body, inner, 0).ok_or("the body has no boundary line")? + inner.len()
    };
    let mut parts = Vec::new();
    loop {
        if body[at..].starts_with(b"--") {
            return Ok(parts);
        }
        // Transport padding, then the line break that ends the boundary line.
        while body.get(at).is_some_and(|b| *b == b' ' || *b == b'\t') {
            at += 1;
        }
        if !body[at..].starts_with(b"\r\n") {
            return Err("a boundary line does not end with CRLF".into());
        }
        at += 2;
        let headers_end =
            find(body, b"\r\n\r\n", at).ok_or("a part's headers do not end with a blank line")?;
        let headers = std::str::from_utf8(&body[at..headers_end])
            .map_err(|_| "a part's headers are not UTF-8")?;
        let (mut disposition, mut content_type) = (None, None);
        for line in headers.split("\r\n").filter(|l| !l.is_empty()) {
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| format!("malformed part header {line:?}"))?;
            if name.trim().eq_ignore_ascii_case("content-disposition") {
                disposition = Some(value.trim().to_owned());
            } else if name.trim().eq_ignore_ascii_case("content-type") {
                content_type = Some(value.trim().to_owned()).filter(|v| !v.is_empty());
            }
        }
        let disposition = disposition.ok_or("a part has no Content-Disposition")?;
        if !disposition
            .split(';')
            .next()
            .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("form-data"))
        {
            return Err("a part's Content-Disposition is not form-data".into());
        }
        let name = parameter(&disposition, "name").ok_or("a part has no name")?;
        let data_start = headers_end + 4;
        let data_end = find(body, inner, data_start).ok_or("the body has no closing boundary")?;
        parts.push(Part {
            name,
            file_name: parameter(&disposition, "filename"),
            content_type,
            data: &body[data_start..data_end],
        });
        at = data_end + inner.len();
        if at + 2 > body.len() {
            return Err("the body ends inside a boundary line".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries() {
        assert_eq!(
            boundary("multipart/form-data; boundary=abc").as_deref(),
            Some("abc")
        );
        assert_eq!(
            boundary("Multipart/Form-Data; charset=x; boundary=\"a b\"").as_deref(),
            Some("a b")
        );
        assert_eq!(boundary("multipart/mixed; boundary=abc"), None);
        assert_eq!(boundary("multipart/form-data"), None);
    }

    #[test]
    fn parts() {
        let body = b"preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"source\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n--X\r\n--XyZ\r\ncontent-disposition: form-data; name=note\r\n\r\nhi\r\n--XyZ--\r\n";
        let parts = parse(body, "XyZ").unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "source");
        assert_eq!(parts[0].file_name.as_deref(), Some("a.png"));
        assert_eq!(parts[0].content_type.as_deref(), Some("image/png"));
        assert_eq!(parts[0].data, b"\x89PNG\r\n--X");
        assert_eq!(parts[1].name, "note");
        assert_eq!(parts[1].data, b"hi");
    }

    #[test]
    fn malformed() {
        assert!(parse(b"nothing here", "b").is_err());
        assert!(
            parse(
                b"--b\r\nContent-Disposition: form-data; name=x\r\n\r\nno end",
                "b"
            )
            .is_err()
        );
        assert!(parse(b"--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--", "b").is_err());
        assert!(
            parse(
                b"--b\r\nContent-Disposition: attachment; name=x\r\n\r\nx\r\n--b--",
                "b"
            )
            .is_err()
        );
        assert_eq!(parse(b"--b--\r\n", "b").unwrap(), vec![]);
    }
}
