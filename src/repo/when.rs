//! `--at WHEN`, `--since`, `--until`: a date or an RFC 3339 time.

use super::{Error, Result};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use std::fmt;

/// `--at WHEN`, parsed once where it enters (the command line, the
/// dashboard's "as of" input): the moment it stands for, and the text as
/// the user typed it, for messages ("No commit at or before 2026-05-01").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct When {
    time: DateTime<FixedOffset>,
    text: String,
}

impl When {
    /// A date (the end of that day, UTC) or an RFC 3339 time; the error is
    /// one sentence naming the text.
    pub fn parse(text: &str) -> Result<When> {
        Ok(When {
            time: parse_when(text)?,
            text: text.trim().to_string(),
        })
    }

    /// The moment: `--at` picks the last commit at or before it.
    pub fn time(&self) -> DateTime<FixedOffset> {
        self.time
    }

    /// As typed (trimmed).
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Parses `YYYY-MM-DD` (the end of that day, UTC, so a date includes the
/// commits made on it) or an RFC 3339 time.
pub fn parse_when(text: &str) -> Result<DateTime<FixedOffset>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t);
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let end = date.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default());
        return Ok(Utc.from_utc_datetime(&end).fixed_offset());
    }
    Err(Error(format!(
        "`{text}` is not a time: use YYYY-MM-DD or RFC 3339 (2026-05-01T14:30:00Z)."
    )))
}

/// Like `parse_when`, but a bare date means the start of that day (for `--since`).
pub fn parse_since(text: &str) -> Result<DateTime<FixedOffset>> {
    if let Ok(date) = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
        return Ok(Utc
            .from_utc_datetime(&date.and_time(NaiveTime::MIN))
            .fixed_offset());
    }
    parse_when(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_when_keeps_its_text_and_its_moment() {
        let w = When::parse(" 2026-05-01 ").unwrap();
        assert_eq!(w.text(), "2026-05-01");
        assert_eq!(w.to_string(), "2026-05-01");
        assert_eq!(w.time().to_rfc3339(), "2026-05-01T23:59:59+00:00");
        let e = When::parse("yesterday").unwrap_err().0;
        assert_eq!(
            e,
            "`yesterday` is not a time: use YYYY-MM-DD or RFC 3339 (2026-05-01T14:30:00Z)."
        );
    }

    #[test]
    fn dates_mean_the_end_of_the_day() {
        let t = parse_when("2026-05-01").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-05-01T23:59:59+00:00");
        assert_eq!(
            parse_since("2026-05-01").unwrap().to_rfc3339(),
            "2026-05-01T00:00:00+00:00"
        );
        assert!(parse_when("2026-05-01T10:00:00+02:00").is_ok());
        assert!(
            parse_when("last tuesday")
                .unwrap_err()
                .0
                .contains("YYYY-MM-DD")
        );
    }
}
