//! The dates comply users write in `majorRevisions` (`Jun 1 2018`, `June 1, 2018`,
//! `1 Jun 2018`, `2018-06-01`, `2018/6/1`, `13/06/2018`), read into a calendar date.
//!
//! Written here rather than with `time`'s format descriptions: those need one description per
//! spelling, and comply files mix free-form spellings (with or without a comma, an ordinal
//! suffix, a full or short month name) that a token reader covers in a few lines.

use crate::date::Date;

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month a word names: a full English month name or its first three letters or more
/// (`Jun`, `June`, `Sept`), ignoring case and a trailing `.`.
fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&w))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// A day of the month: one or two digits, with an optional `st`/`nd`/`rd`/`th`.
fn day(word: &str) -> Option<u32> {
    let w = word.to_ascii_lowercase();
    let digits = ["st", "nd", "rd", "th"]
        .iter()
        .find_map(|s| w.strip_suffix(s))
        .unwrap_or(&w);
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn year(word: &str) -> Option<i32> {
    (word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()))
        .then(|| word.parse().ok())
        .flatten()
}

fn calendar(y: i32, m: u32, d: u32) -> Result<Date, String> {
    Date::parse(&format!("{y:04}-{m:02}-{d:02}"))
        .ok_or_else(|| format!("{y:04}-{m:02}-{d:02} is not a day of the calendar"))
}

/// Reads one revision date. The error says why it could not be read.
pub(crate) fn parse_revision_date(text: &str) -> Result<Date, String> {
    let t = text.trim();
    let numeric: Vec<&str> = t.split(['-', '/', '.']).collect();
    if numeric.len() == 3
        && numeric
            .iter()
            .all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    {
        let n = |s: &str| s.parse::<u32>().ok();
        if let (Some(y), Some(m), Some(d)) = (year(numeric[0]), n(numeric[1]), n(numeric[2])) {
            return calendar(y, m, d);
        }
        if let (Some(a), Some(b), Some(y)) = (n(numeric[0]), n(numeric[1]), year(numeric[2])) {
            return match (a > 12, b > 12) {
                (true, false) => calendar(y, b, a),
                (false, true) => calendar(y, a, b),
                (false, false) if a == b => calendar(y, a, b),
                _ => Err(format!(
                    "`{t}` could be day/month or month/day; write it YYYY-MM-DD"
                )),
            };
        }
    }
    let words: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == ',' || c == '-')
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() == 3 {
        let m = words.iter().position(|w| month(w).is_some());
        let y = words.iter().position(|w| year(w).is_some());
        if let (Some(mi), Some(yi)) = (m, y) {
            if let Some(di) = (0..3).find(|i| *i != mi && *i != yi) {
                if let (Some(m), Some(y), Some(d)) =
                    (month(words[mi]), year(words[yi]), day(words[di]))
                {
                    return calendar(y, m, d);
                }
            }
        }
    }
    Err(format!(
        "`{t}` is not a date aimsdoc can read (such as `Jun 1 2018` or `2018-06-01`)"
    ))
}

#[cfg(test)]
mod tests {
    use super::parse_revision_date as p;

    fn iso(s: &str) -> String {
        p(s).map(|d| d.to_string()).unwrap_or_else(|e| e)
    }

    #[test]
    fn spellings_comply_users_write() {
        for s in [
            "Jun 1 2018",
            "June 1 2018",
            "Jun 1, 2018",
            "june 1st, 2018",
            "1 Jun 2018",
            "01-Jun-2018",
            "2018-06-01",
            "2018/6/1",
            "2018.06.01",
            "Jun. 01 2018",
        ] {
            assert_eq!(iso(s), "2018-06-01", "{s}");
        }
        assert_eq!(iso("13/06/2018"), "2018-06-13");
        assert_eq!(iso("06/13/2018"), "2018-06-13");
        assert_eq!(iso("Sept 30 2019"), "2019-09-30");
    }

    #[test]
    fn unreadable_dates_say_why() {
        assert!(p("06/07/2018").unwrap_err().contains("day/month"));
        assert!(p("Feb 30 2018").unwrap_err().contains("calendar"));
        for s in ["Q2 2018", "Jun 2018", "yesterday", "", "Ju 1 2018", "2018"] {
            assert!(p(s).is_err(), "{s}");
        }
    }
}
