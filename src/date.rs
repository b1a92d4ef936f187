//! Calendar dates (`YYYY-MM-DD`) and "today", which is `--today`, else `SOURCE_DATE_EPOCH`,
//! else the system clock, so that builds are reproducible.

use std::fmt;

use serde::{Serialize, Serializer};

/// An interval such as `12 months`, `1 year`, `6 weeks` or `90 days`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    /// Whole days.
    Days(i64),
    /// Whole months.
    Months(i64),
}

impl Interval {
    /// Parses `N day(s)|week(s)|month(s)|year(s)`.
    pub fn parse(s: &str) -> Option<Interval> {
        let mut parts = s.split_whitespace();
        let n: i64 = parts.next()?.parse().ok()?;
        let unit = parts.next()?.to_ascii_lowercase();
        if parts.next().is_some() || n <= 0 {
            return None;
        }
        match unit.trim_end_matches('s') {
            "day" => Some(Interval::Days(n)),
            "week" => Some(Interval::Days(n * 7)),
            "month" => Some(Interval::Months(n)),
            "year" => Some(Interval::Months(n * 12)),
            _ => None,
        }
    }

    /// `date` plus this interval.
    pub fn after(self, date: Date) -> Date {
        match self {
            Interval::Days(d) => date.plus_days(d),
            Interval::Months(m) => date.plus_months(m),
        }
    }
}

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(time::Date);

const FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

impl Date {
    /// Parses exactly `YYYY-MM-DD` (a real calendar date).
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        if s.len() != 10 {
            return None;
        }
        time::Date::parse(s, FORMAT).ok().map(Date)
    }

    /// From a Unix timestamp (seconds), in UTC.
    pub fn from_unix(secs: i64) -> Option<Date> {
        time::OffsetDateTime::from_unix_timestamp(secs)
            .ok()
            .map(|t| Date(t.date()))
    }

    /// Today's date: `SOURCE_DATE_EPOCH` if set, else the system clock (UTC). An unusable
    /// `SOURCE_DATE_EPOCH` is an error rather than a silent fallback.
    pub fn today_from_env() -> Result<Date, String> {
        match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(v) if !v.trim().is_empty() => v
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(Date::from_unix)
                .ok_or_else(|| {
                    format!("SOURCE_DATE_EPOCH=`{v}` is not a Unix timestamp in seconds; unset it or pass --today YYYY-MM-DD")
                }),
            _ => Ok(Date(time::OffsetDateTime::now_utc().date())),
        }
    }

    /// This date plus `days` (saturating at the calendar's ends).
    pub fn plus_days(self, days: i64) -> Date {
        Date(
            self.0
                .checked_add(time::Duration::days(days))
                .unwrap_or(self.0),
        )
    }

    /// This date plus whole months, clamping the day to the target month's length
    /// (2026-01-31 + 1 month = 2026-02-28).
    pub fn plus_months(self, months: i64) -> Date {
        let total =
            i64::from(self.0.year()) * 12 + i64::from(u8::from(self.0.month())) - 1 + months;
        let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
        let Ok(year) = i32::try_from(year) else {
            return self;
        };
        let Ok(month) = time::Month::try_from(month0 as u8 + 1) else {
            return self;
        };
        let last = time::util::days_in_month(month, year);
        time::Date::from_calendar_date(year, month, self.0.day().min(last))
            .map(Date)
            .unwrap_or(self)
    }

    /// Days from `self` until `other` (negative when `other` is earlier).
    pub fn days_until(self, other: Date) -> i64 {
        (other.0 - self.0).whole_days()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}",
            self.0.year(),
            u8::from(self.0.month()),
            self.0.day()
        )
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_format() {
        let d = Date::parse("2026-03-01").unwrap();
        assert_eq!(d.to_string(), "2026-03-01");
        assert!(Date::parse("2026-02-30").is_none());
        assert!(Date::parse("2026-3-1").is_none());
        assert!(Date::parse("01/03/2026").is_none());
        assert_eq!(Date::from_unix(0).unwrap().to_string(), "1970-01-01");
        assert_eq!(d.plus_days(31).to_string(), "2026-04-01");
        assert_eq!(d.days_until(Date::parse("2026-03-11").unwrap()), 10);
        let jan31 = Date::parse("2026-01-31").unwrap();
        assert_eq!(jan31.plus_months(1).to_string(), "2026-02-28");
        assert_eq!(jan31.plus_months(12).to_string(), "2027-01-31");
        assert_eq!(jan31.plus_months(-2).to_string(), "2025-11-30");
    }
}
