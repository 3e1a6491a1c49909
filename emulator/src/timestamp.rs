//! Timestamps in the API's format, `YYYY-MM-DDThh:mm:ss.SSSZ`, without a date library.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch, now.
pub(crate) fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Year, month (1..=12) and day (1..=31) of the proleptic Gregorian calendar for a count of
/// days since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = year - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Formats milliseconds since the epoch as `YYYY-MM-DDThh:mm:ss.SSSZ` (UTC).
pub(crate) fn format_millis(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        sod / 3600,
        sod % 3600 / 60,
        sod % 60,
        ms.rem_euclid(1000)
    )
}

/// Milliseconds since 1970-01-01 of the first instant of year 0 and of year 10000: the range
/// [`format_millis`] can write with a four-digit year.
const FIRST_MS: i64 = -62_167_219_200_000;
const END_MS: i64 = 253_402_300_800_000;

/// Parses an ISO 8601 / RFC 3339 date-time, `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`, into
/// milliseconds since the epoch (a longer fraction is cut to milliseconds). `None` when the text
/// is not such a date-time, names a day or time that does not exist, or falls outside years
/// 0000 to 9999 once converted to UTC.
pub(crate) fn parse_date_time(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(range)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        part.iter()
            .try_fold(0u32, |n, &d| Some(n * 10 + u32::from(d - b'0')))
    };
    let sep = |i: usize, allowed: &[u8]| b.get(i).is_some_and(|c| allowed.contains(c));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let year = i64::from(digits(0..4)?);
    let month = digits(5..7)?;
    let day = digits(8..10)?;
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let mut i = 19;
    let mut millis = 0i64;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        let end = start + b[start..].iter().take_while(|c| c.is_ascii_digit()).count();
        if end == start {
            return None;
        }
        for (k, &d) in b[start..end.min(start + 3)].iter().enumerate() {
            millis += i64::from(d - b'0') * [100, 10, 1][k];
        }
        i = end;
    }
    let offset_minutes = match b.get(i) {
        Some(b'Z' | b'z') if b.len() == i + 1 => 0,
        Some(&sign @ (b'+' | b'-')) if b.len() == i + 6 && b[i + 3] == b':' => {
            let (h, m) = (digits(i + 1..i + 3)?, digits(i + 4..i + 6)?);
            if h > 23 || m > 59 {
                return None;
            }
            let minutes = i64::from(h * 60 + m);
            if sign == b'-' { -minutes } else { minutes }
        }
        _ => return None,
    };
    let seconds = days_from_civil(year, month, day) * 86_400
        + i64::from(hour * 3600 + minute * 60 + second)
        - offset_minutes * 60;
    let ms = seconds * 1000 + millis;
    (FIRST_MS..END_MS).contains(&ms).then_some(ms)
}

#[cfg(test)]
mod tests {
    use super::{format_millis, parse_date_time};

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(format_millis(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(format_millis(1_593_268_427_120), "2020-06-27T14:33:47.120Z");
        assert_eq!(format_millis(4_107_542_399_999), "2100-02-28T23:59:59.999Z");
        assert_eq!(format_millis(-1), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn parses_date_times() {
        let ok = |s: &str| parse_date_time(s).map(format_millis);
        assert_eq!(
            ok("2020-05-21T15:53:30.197Z").as_deref(),
            Some("2020-05-21T15:53:30.197Z")
        );
        assert_eq!(
            ok("2020-05-21T15:53:30Z").as_deref(),
            Some("2020-05-21T15:53:30.000Z")
        );
        assert_eq!(
            ok("2020-05-21t15:53:30.1234567z").as_deref(),
            Some("2020-05-21T15:53:30.123Z")
        );
        assert_eq!(
            ok("2020-05-21T01:00:00+02:30").as_deref(),
            Some("2020-05-20T22:30:00.000Z")
        );
        assert_eq!(
            ok("1960-02-29T00:00:00-01:00").as_deref(),
            Some("1960-02-29T01:00:00.000Z")
        );
        assert_eq!(
            ok("0000-01-01T00:00:00Z").as_deref(),
            Some("0000-01-01T00:00:00.000Z")
        );
        for bad in [
            "yesterday",
            "",
            "2020-05-21",
            "2020-05-21T15:53:30",
            "2020-05-21 15:53:30Z",
            "2020-13-01T00:00:00Z",
            "2021-02-29T00:00:00Z",
            "2020-04-31T00:00:00Z",
            "2020-05-21T24:00:00Z",
            "2020-05-21T15:60:00Z",
            "2020-05-21T15:53:30.Z",
            "2020-05-21T15:53:30+0200",
            "2020-05-21T15:53:30+24:00",
            "2020-05-21T15:53:30Zjunk",
            "+2020-05-21T15:53:30Z",
            "2020-5-21T15:53:30Z",
            "9999-12-31T23:59:59-01:00",
            "0000-01-01T00:00:00+00:01",
        ] {
            assert_eq!(parse_date_time(bad), None, "{bad:?}");
        }
    }
}
