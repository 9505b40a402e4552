//! Request timestamps: BCE's `x-bce-date` (ISO 8601, `2015-04-27T08:23:49Z`), HTTP `Date`
//! (RFC 1123, `Wed, 06 Apr 2016 06:34:40 GMT`) and Tencent's `X-TC-Timestamp` (Unix seconds).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Parses `x-bce-date`: `YYYY-MM-DDThh:mm:ssZ`, UTC, no fraction.
pub(crate) fn parse_bce_date(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' {
        return None;
    }
    if b[16] != b':' || b[19] != b'Z' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u64> {
        let digits = &text[range];
        digits
            .bytes()
            .all(|d| d.is_ascii_digit())
            .then(|| digits.parse().ok())
            .flatten()
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day)?;
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second;
    UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
}

/// Formats a time as `x-bce-date`.
pub(crate) fn format_bce_date(time: SystemTime) -> String {
    let seconds = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3_600,
        rest / 60 % 60,
        rest % 60
    )
}

/// The time of a request's `x-bce-date`, else of its HTTP `Date` (any HTTP date format), as
/// the `x-bce-date` text BCE messages quote, and the parsed time if it parses.
///
/// The headers come as raw bytes: a header that is present but not readable (not UTF-8, not
/// ASCII) is a date that does not parse, never an absent one. Its quote is the text with
/// invalid bytes as U+FFFD and hidden characters replaced (the echo filter), so the message
/// shows what was sent without reflecting anything invisible.
pub(crate) fn bce_request_date(
    bce_date: Option<&[u8]>,
    http_date: Option<&[u8]>,
) -> Option<(String, Option<SystemTime>)> {
    if let Some(bytes) = bce_date {
        let time = std::str::from_utf8(bytes).ok().and_then(parse_bce_date);
        return Some((quote(bytes), time));
    }
    let bytes = http_date?;
    match std::str::from_utf8(bytes).map(httpdate::parse_http_date) {
        Ok(Ok(time)) => Some((format_bce_date(time), Some(time))),
        _ => Some((quote(bytes), None)),
    }
}

/// A date header's bytes as text fit to quote in a message.
fn quote(bytes: &[u8]) -> String {
    crate::extract::echo::header_value(&String::from_utf8_lossy(bytes))
}

/// Whether `time` is more than `max` away from `now`, either way.
pub(crate) fn is_skewed(time: SystemTime, now: SystemTime, max: Duration) -> bool {
    let skew = match time.duration_since(now) {
        Ok(ahead) => ahead,
        Err(behind) => behind.duration(),
    };
    skew > max
}

/// Parses `X-TC-Timestamp`: Unix seconds, digits only.
pub(crate) fn parse_unix_seconds(text: &str) -> Option<SystemTime> {
    if text.is_empty() || text.len() > 12 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    UNIX_EPOCH.checked_add(Duration::from_secs(text.parse().ok()?))
}

fn is_leap(year: u64) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm, for years from 1970).
fn days_from_civil(year: u64, month: u64, day: u64) -> Option<u64> {
    let year = if month <= 2 {
        year.checked_sub(1)?
    } else {
        year
    };
    let era = year / 400;
    let year_of_era = year % 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    (era * 146_097 + day_of_era).checked_sub(719_468)
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bce_dates_round_trip() {
        for text in [
            "1970-01-01T00:00:00Z",
            "2015-04-27T08:23:49Z",
            "2016-02-29T23:59:59Z",
            "2000-03-01T00:00:00Z",
            "2099-12-31T12:00:00Z",
        ] {
            let time = parse_bce_date(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(format_bce_date(time), text);
        }
        assert_eq!(
            parse_bce_date("2015-04-27T08:23:49Z"),
            Some(UNIX_EPOCH + Duration::from_secs(1_430_123_029))
        );
    }

    #[test]
    fn malformed_bce_dates_are_rejected() {
        for text in [
            "",
            "2015-04-27 08:23:49Z",
            "2015-04-27T08:23:49",
            "2015-04-27T08:23:49.123Z",
            "2015-13-27T08:23:49Z",
            "2015-02-29T08:23:49Z",
            "2015-04-27T24:00:00Z",
            "+015-04-27T08:23:49Z",
            "1969-12-31T23:59:59Z",
            "２０１５-04-27T08:23:49Z",
        ] {
            assert_eq!(parse_bce_date(text), None, "{text}");
        }
    }

    #[test]
    fn an_http_date_is_quoted_in_the_bce_format() {
        assert_eq!(
            bce_request_date(None, Some(b"Wed, 06 Apr 2016 06:34:40 GMT"))
                .unwrap()
                .0,
            "2016-04-06T06:34:40Z"
        );
        // x-bce-date wins over Date.
        assert_eq!(
            bce_request_date(
                Some(b"2015-04-27T08:23:49Z"),
                Some(b"Wed, 06 Apr 2016 06:34:40 GMT")
            )
            .unwrap()
            .0,
            "2015-04-27T08:23:49Z"
        );
        assert_eq!(bce_request_date(None, None), None);
        let (text, time) = bce_request_date(None, Some(b"yesterday")).unwrap();
        assert_eq!((text.as_str(), time), ("yesterday", None));
    }

    #[test]
    fn unreadable_dates_are_present_and_unparsed_never_absent() {
        // Not UTF-8, UTF-8 but not ASCII, and hidden characters: present, no time, a quote
        // without anything invisible.
        let cases: [(&[u8], &str); 4] = [
            (b"\xff\xfe", "\u{FFFD}\u{FFFD}"),
            ("中".as_bytes(), "中"),
            (
                "2015-04-27T08:23:49Z\u{202E}".as_bytes(),
                "2015-04-27T08:23:49Z\u{FFFD}",
            ),
            (b"\x1b[31m", "\u{FFFD}[31m"),
        ];
        for (bytes, quoted) in cases {
            assert_eq!(
                bce_request_date(Some(bytes), None),
                Some((quoted.to_owned(), None)),
                "x-bce-date {bytes:?}"
            );
            assert_eq!(
                bce_request_date(None, Some(bytes)),
                Some((quoted.to_owned(), None)),
                "Date {bytes:?}"
            );
        }
        // An unreadable x-bce-date still wins over a valid Date.
        let (_, time) =
            bce_request_date(Some(b"\xff"), Some(b"Wed, 06 Apr 2016 06:34:40 GMT")).unwrap();
        assert_eq!(time, None);
    }

    #[test]
    fn skew_is_measured_both_ways() {
        let now = UNIX_EPOCH + Duration::from_secs(1_000_000);
        let max = Duration::from_secs(300);
        assert!(!is_skewed(now + max, now, max));
        assert!(is_skewed(now + max + Duration::from_secs(1), now, max));
        assert!(is_skewed(now - max - Duration::from_secs(1), now, max));
    }

    #[test]
    fn unix_seconds_are_digits_only() {
        assert_eq!(parse_unix_seconds("0"), Some(UNIX_EPOCH));
        for bad in ["", "-1", "1.5", " 1", "１", "9999999999999"] {
            assert_eq!(parse_unix_seconds(bad), None, "{bad}");
        }
    }
}
