//! The History tab's date range: `FROM..TO`, either side may be left
//! out, each a date (`YYYY-MM-DD`) or an RFC 3339 time, read as `demarc
//! history --since FROM --until TO` reads them (a date FROM is the start of
//! that day, a date TO the end of it). A single date is that day.

use chrono::{DateTime, FixedOffset};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateRange {
    pub from: Option<DateTime<FixedOffset>>,
    pub to: Option<DateTime<FixedOffset>>,
}

impl DateRange {
    /// Parses what was typed; Err is one sentence saying what is wrong.
    pub fn parse(text: &str) -> Result<DateRange, String> {
        let text = text.trim();
        let (from, to) = match text.split_once("..") {
            Some((from, to)) => (from.trim(), to.trim()),
            // One day: from its start to its end.
            None => (text, text),
        };
        let side = |t: &str, parse: fn(&str) -> crate::repo::Result<DateTime<FixedOffset>>| {
            if t.is_empty() {
                Ok(None)
            } else {
                parse(t).map(Some).map_err(|e| e.0)
            }
        };
        let range = DateRange {
            from: side(from, crate::repo::parse_since)?,
            to: side(to, crate::repo::parse_when)?,
        };
        if let (Some(from), Some(to)) = (range.from, range.to)
            && from > to
        {
            return Err(format!("`{text}` ends before it starts."));
        }
        Ok(range)
    }

    pub fn is_empty(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }

    pub fn contains(&self, time: &DateTime<FixedOffset>) -> bool {
        self.from.is_none_or(|f| *time >= f) && self.to.is_none_or(|t| *time <= t)
    }

    /// As titles show it: `2026-05-01..2026-06-30`, `2026-05-01..`, `..2026-06-30`.
    pub fn label(&self) -> String {
        let day = |t: Option<DateTime<FixedOffset>>| {
            t.map_or(String::new(), |t| t.format("%Y-%m-%d").to_string())
        };
        format!("{}..{}", day(self.from), day(self.to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    #[test]
    fn either_side_may_be_left_out_and_dates_cover_whole_days() {
        let r = DateRange::parse("2026-05-01..2026-05-31").unwrap();
        assert!(r.contains(&at("2026-05-01T00:00:00Z")));
        assert!(r.contains(&at("2026-05-31T23:00:00Z")));
        assert!(!r.contains(&at("2026-06-01T00:00:00Z")));
        assert_eq!(r.label(), "2026-05-01..2026-05-31");
        let open = DateRange::parse(" 2026-05-01 .. ").unwrap();
        assert!(open.contains(&at("2030-01-01T00:00:00Z")));
        assert!(!open.contains(&at("2026-04-30T23:59:59Z")));
        assert_eq!(open.label(), "2026-05-01..");
        let day = DateRange::parse("2026-05-18").unwrap();
        assert!(day.contains(&at("2026-05-18T12:00:00Z")));
        assert!(!day.contains(&at("2026-05-19T00:00:01Z")));
        assert!(DateRange::parse("..").unwrap().is_empty());
    }

    #[test]
    fn bad_input_is_one_sentence() {
        let e = DateRange::parse("2026-13-01..").unwrap_err();
        assert!(e.contains("is not a time"), "{e}");
        let e = DateRange::parse("2026-06-01..2026-05-01").unwrap_err();
        assert_eq!(e, "`2026-06-01..2026-05-01` ends before it starts.");
    }
}
