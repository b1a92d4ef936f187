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

/// Why a text is not a usable [`Interval`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntervalError {
    /// Not `N unit` with a positive whole number and a known unit.
    Malformed,
    /// Longer than [`Interval::MAX_YEARS`] (including numbers too large to compute with).
    TooLong,
}

impl Interval {
    /// The longest interval accepted, in years: a review cycle longer than this is a typo.
    pub const MAX_YEARS: i64 = 100;
    const MAX_MONTHS: i64 = Interval::MAX_YEARS * 12;
    /// 100 years of 365.25 days.
    const MAX_DAYS: i64 = Interval::MAX_YEARS * 365 + Interval::MAX_YEARS / 4;

    /// Parses `N day(s)|week(s)|month(s)|year(s)`, at most [`Interval::MAX_YEARS`] long.
    pub fn parse(s: &str) -> Result<Interval, IntervalError> {
        let mut parts = s.split_whitespace();
        let number = parts.next().ok_or(IntervalError::Malformed)?;
        let unit = parts.next().ok_or(IntervalError::Malformed)?;
        if parts.next().is_some()
            || number.is_empty()
            || !number.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(IntervalError::Malformed);
        }
        let unit = unit.to_ascii_lowercase();
        let (per_unit, months) = match unit.strip_suffix('s').unwrap_or(&unit) {
            "day" => (1, false),
            "week" => (7, false),
            "month" => (1, true),
            "year" => (12, true),
            _ => return Err(IntervalError::Malformed),
        };
        // All digits: a number that does not fit is too long, not malformed.
        let n: i64 = number.parse().map_err(|_| IntervalError::TooLong)?;
        if n == 0 {
            return Err(IntervalError::Malformed);
        }
        let max = if months {
            Interval::MAX_MONTHS
        } else {
            Interval::MAX_DAYS
        };
        match n.checked_mul(per_unit) {
            Some(v) if v <= max && months => Ok(Interval::Months(v)),
            Some(v) if v <= max => Ok(Interval::Days(v)),
            _ => Err(IntervalError::TooLong),
        }
    }

    /// `date` plus this interval, or `None` past the last date aimsdoc handles (9999-12-31).
    pub fn after(self, date: Date) -> Option<Date> {
        match self {
            Interval::Days(d) => date.plus_days(d),
            Interval::Months(m) => date.plus_months(m),
        }
    }
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Interval::Days(1) => f.write_str("1 day"),
            Interval::Days(d) => write!(f, "{d} days"),
            Interval::Months(1) => f.write_str("1 month"),
            Interval::Months(m) => write!(f, "{m} months"),
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

    /// This date plus `days`, or `None` outside the years -9999 to 9999.
    pub fn plus_days(self, days: i64) -> Option<Date> {
        let julian = i64::from(self.0.to_julian_day()).checked_add(days)?;
        let julian = i32::try_from(julian).ok()?;
        time::Date::from_julian_day(julian).ok().map(Date)
    }

    /// This date plus whole months, clamping the day to the target month's length
    /// (2026-01-31 + 1 month = 2026-02-28); `None` outside the years -9999 to 9999.
    pub fn plus_months(self, months: i64) -> Option<Date> {
        let total = (i64::from(self.0.year()) * 12 + i64::from(u8::from(self.0.month())) - 1)
            .checked_add(months)?;
        let (year, month0) = (total.div_euclid(12), total.rem_euclid(12));
        let year = i32::try_from(year).ok()?;
        let month = time::Month::try_from(u8::try_from(month0 + 1).ok()?).ok()?;
        let last = time::util::days_in_month(month, year);
        time::Date::from_calendar_date(year, month, self.0.day().min(last))
            .ok()
            .map(Date)
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
        assert_eq!(d.plus_days(31).unwrap().to_string(), "2026-04-01");
        assert_eq!(d.days_until(Date::parse("2026-03-11").unwrap()), 10);
        let jan31 = Date::parse("2026-01-31").unwrap();
        assert_eq!(jan31.plus_months(1).unwrap().to_string(), "2026-02-28");
        assert_eq!(jan31.plus_months(12).unwrap().to_string(), "2027-01-31");
        assert_eq!(jan31.plus_months(-2).unwrap().to_string(), "2025-11-30");
    }

    #[test]
    fn date_arithmetic_never_overflows() {
        let d = Date::parse("2026-03-01").unwrap();
        for n in [
            i64::MAX,
            i64::MIN,
            106_751_991_167_301,
            -106_751_991_167_301,
        ] {
            assert_eq!(d.plus_days(n), None, "{n}");
            assert_eq!(d.plus_months(n), None, "{n}");
        }
        assert_eq!(d.plus_months(100_000 * 12), None);
        let end = Date::parse("9999-12-31").unwrap();
        assert_eq!(end.plus_days(1), None);
        assert_eq!(end.plus_months(1), None);
        assert_eq!(Interval::Months(1200).after(end), None);
        assert_eq!(
            Interval::Months(1200).after(d).map(|x| x.to_string()),
            Some("2126-03-01".into())
        );
    }

    #[test]
    fn intervals_are_bounded() {
        assert_eq!(Interval::parse("12 months"), Ok(Interval::Months(12)));
        assert_eq!(Interval::parse("1 Year"), Ok(Interval::Months(12)));
        assert_eq!(Interval::parse("6 weeks"), Ok(Interval::Days(42)));
        assert_eq!(Interval::parse("100 years"), Ok(Interval::Months(1200)));
        assert_eq!(Interval::parse("36525 days"), Ok(Interval::Days(36525)));
        for too_long in [
            "101 years",
            "1201 months",
            "36526 days",
            "5218 weeks",
            "100000 years",
            "106751991167301 days",
            "9223372036854775807 weeks",
            "99999999999999999999999 days",
        ] {
            assert_eq!(
                Interval::parse(too_long),
                Err(IntervalError::TooLong),
                "{too_long}"
            );
        }
        for bad in [
            "",
            "12",
            "months",
            "0 days",
            "-3 days",
            "+3 days",
            "1.5 years",
            "3 fortnights",
            "1 year 2",
        ] {
            assert_eq!(Interval::parse(bad), Err(IntervalError::Malformed), "{bad}");
        }
        assert_eq!(Interval::Months(12).to_string(), "12 months");
        assert_eq!(Interval::Days(1).to_string(), "1 day");
    }
}
