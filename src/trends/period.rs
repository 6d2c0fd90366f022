//! Calendar periods of a trends series: months or quarters, in UTC (a
//! commit's period does not depend on where its author was).

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use serde::Serialize;
use std::fmt;

/// How a series groups commits: `--by month|quarter`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum By {
    #[default]
    Month,
    Quarter,
}

impl By {
    pub fn as_str(self) -> &'static str {
        match self {
            By::Month => "month",
            By::Quarter => "quarter",
        }
    }

    /// The period a moment falls in.
    pub fn period_of<Tz: TimeZone>(self, time: &DateTime<Tz>) -> Period {
        let utc = time.with_timezone(&Utc);
        let n = match self {
            By::Month => utc.month(),
            By::Quarter => (utc.month() - 1) / 3 + 1,
        };
        Period {
            by: self,
            year: utc.year(),
            n,
        }
    }
}

impl std::str::FromStr for By {
    type Err = String;
    fn from_str(s: &str) -> Result<By, String> {
        match s {
            "month" => Ok(By::Month),
            "quarter" => Ok(By::Quarter),
            other => Err(format!("`{other}` is not a period: use month or quarter")),
        }
    }
}

/// One month (n = 1..12) or quarter (n = 1..4) of one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub by: By,
    pub year: i32,
    pub n: u32,
}

impl Period {
    fn per_year(self) -> u32 {
        match self.by {
            By::Month => 12,
            By::Quarter => 4,
        }
    }

    /// The period after this one.
    pub fn next(self) -> Period {
        if self.n >= self.per_year() {
            Period {
                year: self.year + 1,
                n: 1,
                ..self
            }
        } else {
            Period {
                n: self.n + 1,
                ..self
            }
        }
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        let month = match self.by {
            By::Month => self.n,
            By::Quarter => (self.n - 1) * 3 + 1,
        };
        NaiveDate::from_ymd_opt(self.year, month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Its last day.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    /// Does a moment fall in this period?
    pub fn contains<Tz: TimeZone>(self, time: &DateTime<Tz>) -> bool {
        self.by.period_of(time) == self
    }

    /// Every period from `first` to `last`, both included (empty when
    /// `last` is before `first`).
    pub fn range(first: Period, last: Period) -> Vec<Period> {
        let mut out = Vec::new();
        let mut p = first;
        while p <= last {
            out.push(p);
            p = p.next();
        }
        out
    }
}

/// `2026-02` for a month, `2026-Q1` for a quarter.
impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.by {
            By::Month => write!(f, "{:04}-{:02}", self.year, self.n),
            By::Quarter => write!(f, "{:04}-Q{}", self.year, self.n),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<chrono::FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn months_and_quarters_are_named_and_bounded() {
        let p = By::Month.period_of(&at("2026-02-14T10:00:00Z"));
        assert_eq!(p.to_string(), "2026-02");
        assert_eq!(p.first_day().to_string(), "2026-02-01");
        assert_eq!(p.last_day().to_string(), "2026-02-28");
        let q = By::Quarter.period_of(&at("2026-11-30T10:00:00Z"));
        assert_eq!(q.to_string(), "2026-Q4");
        assert_eq!(q.first_day().to_string(), "2026-10-01");
        assert_eq!(q.last_day().to_string(), "2026-12-31");
        assert_eq!(q.next().to_string(), "2027-Q1");
        assert_eq!(
            By::Month
                .period_of(&at("2026-12-01T00:00:00Z"))
                .next()
                .to_string(),
            "2027-01"
        );
    }

    #[test]
    fn periods_are_utc() {
        // 00:30 on 1 February in UTC+2 is still January in UTC.
        let p = By::Month.period_of(&at("2026-02-01T00:30:00+02:00"));
        assert_eq!(p.to_string(), "2026-01");
        assert!(p.contains(&at("2026-01-31T22:30:00Z")));
    }

    #[test]
    fn a_range_covers_every_period_between() {
        let a = By::Month.period_of(&at("2025-11-03T00:00:00Z"));
        let b = By::Month.period_of(&at("2026-02-01T00:00:00Z"));
        let names: Vec<String> = Period::range(a, b).iter().map(|p| p.to_string()).collect();
        assert_eq!(names, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert!(Period::range(b, a).is_empty());
        assert_eq!("quarter".parse::<By>(), Ok(By::Quarter));
        assert!("week".parse::<By>().is_err());
    }
}
