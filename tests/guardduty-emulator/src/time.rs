//! ISO-8601 times as GuardDuty writes them, to and from epoch milliseconds.
//!
//! The service compares `createdAt`/`updatedAt` criteria in epoch milliseconds while findings
//! carry ISO-8601 strings, and the generator has to write such strings. A few dozen lines here
//! spare the emulator a date-time dependency.

/// Parses an ISO-8601 date-time (`2024-05-01T12:30:00Z`, `...00.123Z`, `...00+02:00`) or a bare
/// date (`2024-05-01`, taken as 00:00 UTC) into milliseconds since the Unix epoch.
///
/// Returns `None` for anything else.
pub fn parse_iso_millis(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, rest) = match text.find(['T', 't', ' ']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let days = parse_date(date)?;
    let Some(rest) = rest else {
        return Some(days * 86_400_000);
    };
    let (clock, offset_minutes) = split_offset(rest)?;
    let millis_of_day = parse_clock(clock)?;
    Some(days * 86_400_000 + millis_of_day - offset_minutes * 60_000)
}

/// Formats epoch milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ`, the form findings carry.
pub fn format_iso_millis(millis: i64) -> String {
    let days = millis.div_euclid(86_400_000);
    let of_day = millis.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        of_day / 3_600_000,
        of_day / 60_000 % 60,
        of_day / 1000 % 60,
        of_day % 1000
    )
}

fn parse_date(date: &str) -> Option<i64> {
    let mut parts = date.split('-');
    let year: i64 = parse_digits(parts.next()?, 4)?;
    let month: i64 = parse_digits(parts.next()?, 2)?;
    let day: i64 = parse_digits(parts.next()?, 2)?;
    if parts.next().is_some() || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some(days_from_civil(year, month, day))
}

/// Splits `12:00:00.000Z` / `12:00:00+02:00` into the clock and the offset east of UTC; a time
/// without a zone is taken as UTC.
fn split_offset(rest: &str) -> Option<(&str, i64)> {
    if let Some(clock) = rest.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    let Some(at) = rest.rfind(['+', '-']) else {
        return Some((rest, 0));
    };
    let (clock, offset) = rest.split_at(at);
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let offset = offset[1..].replace(':', "");
    if offset.len() != 4 {
        return None;
    }
    let hours: i64 = parse_digits(&offset[..2], 2)?;
    let minutes: i64 = parse_digits(&offset[2..], 2)?;
    Some((clock, sign * (hours * 60 + minutes)))
}

fn parse_clock(clock: &str) -> Option<i64> {
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, fraction)) => (hms, Some(fraction)),
        None => (clock, None),
    };
    let mut parts = hms.split(':');
    let hours: i64 = parse_digits(parts.next()?, 2)?;
    let minutes: i64 = parse_digits(parts.next()?, 2)?;
    let seconds: i64 = match parts.next() {
        Some(seconds) => parse_digits(seconds, 2)?,
        None => 0,
    };
    if parts.next().is_some() || hours > 23 || minutes > 59 || seconds > 60 {
        return None;
    }
    let millis = match fraction {
        Some(fraction) if !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit()) => {
            let padded = format!("{fraction:0<3}");
            padded[..3].parse::<i64>().ok()?
        }
        Some(_) => return None,
        None => 0,
    };
    Some(((hours * 60 + minutes) * 60 + seconds) * 1000 + millis)
}

fn parse_digits(text: &str, width: usize) -> Option<i64> {
    if text.len() != width || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_utc_time_with_millis() {
        assert_eq!(
            parse_iso_millis("2023-11-14T22:13:20.123Z"),
            Some(1_700_000_000_123)
        );
    }

    #[test]
    fn parses_time_without_fraction_and_with_offset() {
        assert_eq!(
            parse_iso_millis("2023-11-14T22:13:20Z"),
            Some(1_700_000_000_000)
        );
        assert_eq!(
            parse_iso_millis("2023-11-15T00:13:20+02:00"),
            Some(1_700_000_000_000)
        );
        assert_eq!(
            parse_iso_millis("2023-11-14T21:13:20-0100"),
            Some(1_700_000_000_000)
        );
        assert_eq!(
            parse_iso_millis("2023-11-14T22:13:20"),
            Some(1_700_000_000_000)
        );
    }

    #[test]
    fn parses_bare_date_as_midnight_utc() {
        assert_eq!(parse_iso_millis("1970-01-02"), Some(86_400_000));
    }

    #[test]
    fn rejects_text_that_is_not_a_time() {
        for text in [
            "",
            "yesterday",
            "2023-13-01",
            "2023-11-14T25:00:00Z",
            "1700000000000",
        ] {
            assert_eq!(parse_iso_millis(text), None, "{text}");
        }
    }

    #[test]
    fn formats_millis_as_iso_with_millis_and_z() {
        assert_eq!(
            format_iso_millis(1_700_000_000_123),
            "2023-11-14T22:13:20.123Z"
        );
        assert_eq!(format_iso_millis(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            format_iso_millis(951_782_400_000),
            "2000-02-29T00:00:00.000Z"
        );
    }

    #[test]
    fn formatting_and_parsing_round_trip() {
        for millis in [0, 1, 86_399_999, 1_709_251_199_999, 4_102_444_800_000] {
            assert_eq!(parse_iso_millis(&format_iso_millis(millis)), Some(millis));
        }
    }
}
