//! Calendar dates (`YYYY-MM-DD`) and "today", which is `--today`, else `SOURCE_DATE_EPOCH`,
//! else the system clock, so that builds are reproducible.

use std::fmt;

use serde::{Serialize, Serializer};

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
    }
}
