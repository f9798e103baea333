//! Times as findings write them and as the analyst types them.
//!
//! GuardDuty writes ISO-8601 UTC, but findings pass through other tools on the way to a file:
//! some write `2025-02-25 20:40:06.721` or epoch numbers. A time that can be read is read; one
//! that cannot stays empty rather than failing the finding.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};

/// A time from a finding, as text: ISO-8601 (any offset), `YYYY-MM-DD HH:MM:SS[.fff]` (taken
/// as UTC), or a bare date.
pub fn parse_text(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return Some(at.and_utc());
        }
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(date.and_hms_opt(0, 0, 0)?.and_utc())
}

/// A time from a finding as a number: epoch seconds, or epoch milliseconds when it is too large
/// to be seconds (later than the year 5000).
pub fn parse_epoch(number: f64) -> Option<DateTime<Utc>> {
    if !number.is_finite() || number < 0.0 {
        return None;
    }
    let millis = if number > 95_617_584_000.0 {
        number
    } else {
        number * 1000.0
    };
    if millis > 8.0e15 {
        return None;
    }
    Utc.timestamp_millis_opt(millis as i64).single()
}

/// ISO-8601 UTC with `Z`, with milliseconds only when the time has a fraction of a second.
pub fn format(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// The start of a `--since` window: `90m`, `12h`, `7d`, or an ISO-8601 date or date-time
/// (a bare date is 00:00 UTC).
///
/// # Errors
///
/// A message naming the accepted forms when `span` is none of them.
pub fn parse_since(span: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    let span = span.trim();
    let relative = span
        .char_indices()
        .last()
        .and_then(|(at, unit)| Some((span[..at].parse::<i64>().ok()?, unit)));
    if let Some((amount, unit)) = relative.filter(|(amount, _)| *amount >= 0) {
        let window = match unit {
            'm' => Duration::try_minutes(amount),
            'h' => Duration::try_hours(amount),
            'd' => Duration::try_days(amount),
            _ => None,
        };
        if let Some(start) = window.and_then(|w| now.checked_sub_signed(w)) {
            return Ok(start);
        }
    }
    if span.contains(['-', 'T'])
        && let Some(at) = parse_text(span)
    {
        return Ok(at);
    }
    Err(format!(
        "cannot read --since {span:?}: use a span such as 90m, 12h or 7d, or a date such as \
         2026-11-01 or 2026-11-01T08:00:00Z"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("valid test time")
            .with_timezone(&Utc)
    }

    #[test]
    fn reads_iso_times_with_and_without_milliseconds() {
        assert_eq!(
            format(&parse_text("2023-04-16T06:11:53.438Z").unwrap()),
            "2023-04-16T06:11:53.438Z"
        );
        assert_eq!(
            format(&parse_text("2016-11-12T23:25:58Z").unwrap()),
            "2016-11-12T23:25:58Z"
        );
        assert_eq!(
            format(&parse_text("2024-01-01T02:00:00+02:00").unwrap()),
            "2024-01-01T00:00:00Z"
        );
    }

    #[test]
    fn reads_the_space_separated_form_other_tools_write() {
        let read = parse_text("2025-02-25 20:40:06.721").unwrap();
        assert_eq!(format(&read), "2025-02-25T20:40:06.721Z");
        let nanos = parse_text("2025-02-25 20:40:06.000000000").unwrap();
        assert_eq!(format(&nanos), "2025-02-25T20:40:06Z");
    }

    #[test]
    fn leaves_unreadable_times_empty() {
        assert_eq!(parse_text("yesterday"), None);
        assert_eq!(parse_text(""), None);
        assert_eq!(parse_epoch(f64::NAN), None);
        assert_eq!(parse_epoch(-1.0), None);
        assert_eq!(parse_epoch(1e300), None);
    }

    #[test]
    fn reads_epoch_seconds_and_milliseconds() {
        assert_eq!(
            format(&parse_epoch(1_700_000_000.0).unwrap()),
            "2023-11-14T22:13:20Z"
        );
        assert_eq!(
            format(&parse_epoch(1_700_000_000_123.0).unwrap()),
            "2023-11-14T22:13:20.123Z"
        );
    }

    #[test]
    fn reads_since_spans_and_dates() {
        let now = at("2026-12-04T12:00:00Z");
        assert_eq!(parse_since("90m", now).unwrap(), at("2026-12-04T10:30:00Z"));
        assert_eq!(parse_since("12h", now).unwrap(), at("2026-12-04T00:00:00Z"));
        assert_eq!(parse_since("7d", now).unwrap(), at("2026-11-27T12:00:00Z"));
        assert_eq!(
            parse_since("2026-11-01", now).unwrap(),
            at("2026-11-01T00:00:00Z")
        );
        assert_eq!(
            parse_since("2026-11-01T08:00:00Z", now).unwrap(),
            at("2026-11-01T08:00:00Z")
        );
    }

    #[test]
    fn rejects_since_forms_it_cannot_read() {
        let now = at("2026-12-04T12:00:00Z");
        for bad in [
            "",
            "7",
            "7w",
            "-3d",
            "d",
            "99999999999999999d",
            "2026-13-01",
            "soon",
        ] {
            let error = parse_since(bad, now).expect_err(bad);
            assert!(error.contains("90m, 12h or 7d"), "{error}");
        }
    }
}
