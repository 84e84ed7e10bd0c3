//! Dates in an article's words, resolved against the article's own date, never more
//! precisely than the words say: "on Thursday" is that day, "earlier this week" the week,
//! "last month" the month, "since December" a baseline.

use chrono::{Datelike, NaiveDate, Weekday};

use crate::domain::model::{DatePrecision, Day};
use crate::ingest::extract::text::Word;

/// What a date phrase says: a span of days, or the start of a count ("since December").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRef {
    pub date: Day,
    pub precision: DatePrecision,
    /// The last day of an explicit window.
    pub end: Option<Day>,
    /// True for "since …": the start of a cumulative count, not when something happened.
    pub since: bool,
    /// The words the phrase covers.
    pub first: usize,
    pub end_word: usize,
}

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

pub const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

#[must_use]
pub fn month_of(word: &str) -> Option<u32> {
    MONTHS.iter().find(|(n, _)| *n == word).map(|&(_, m)| m)
}

#[must_use]
pub fn weekday_of(word: &str) -> Option<Weekday> {
    WEEKDAYS.iter().find(|(n, _)| *n == word).map(|&(_, d)| d)
}

/// "5", "5th", "21st" as a day of the month.
fn day_of_month(word: &str) -> Option<u32> {
    let digits: &str = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    if !(suffix.is_empty() || matches!(suffix, "st" | "nd" | "rd" | "th")) || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year_of(word: &str) -> Option<i32> {
    (word.len() == 4).then(|| word.parse().ok()).flatten().filter(|y| (1900..=2100).contains(y))
}

fn monday_of(day: NaiveDate) -> NaiveDate {
    day - chrono::Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

fn first_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, 1)
}

/// The year of a month named without one: the latest such month up to the article's (or
/// the next one, for what is yet to come).
fn year_for_month(article: NaiveDate, month: u32, future: bool) -> i32 {
    if future {
        if month >= article.month() { article.year() } else { article.year() + 1 }
    } else if month <= article.month() {
        article.year()
    } else {
        article.year() - 1
    }
}

fn at(words: &[Word], i: usize, w: &str) -> bool {
    words.get(i).is_some_and(|x| x.lower == w)
}

/// The first date phrase in `words[from..to]`. `future` says the clause speaks of what is yet
/// to come ("will arrive on Saturday"), which picks the next such weekday.
#[must_use]
pub fn find_date(words: &[Word], from: usize, to: usize, article: Day, future: bool) -> Option<DateRef> {
    let a = article.0;
    let day = |d: NaiveDate, first: usize, end: usize| DateRef {
        date: Day(d),
        precision: DatePrecision::Day,
        end: None,
        since: false,
        first,
        end_word: end,
    };
    let to = to.min(words.len());
    for i in from..to {
        let w = words[i].lower.as_str();
        let since = i > 0 && at(words, i - 1, "since");
        let first = if since { i - 1 } else { i };
        if let Some(wd) = weekday_of(w) {
            let last = i > 0 && at(words, i - 1, "last");
            let next = i > 0 && at(words, i - 1, "next");
            let back = (a.weekday().num_days_from_monday() + 7 - wd.num_days_from_monday()) % 7;
            let d = if next || (future && !last) {
                let ahead = (wd.num_days_from_monday() + 7 - a.weekday().num_days_from_monday()) % 7;
                a + chrono::Duration::days(i64::from(if next && ahead == 0 { 7 } else { ahead }))
            } else {
                let back = if last && back == 0 { 7 } else { back };
                a - chrono::Duration::days(i64::from(back))
            };
            let mut r = day(d, first.min(i.saturating_sub(usize::from(last || next))), i + 1);
            r.since = since;
            return Some(r);
        }
        match w {
            "today" | "tonight" => return Some(day(a, i, i + 1)),
            "yesterday" => return Some(day(a - chrono::Duration::days(1), i, i + 1)),
            "tomorrow" => return Some(day(a + chrono::Duration::days(1), i, i + 1)),
            "week" if i > 0 => {
                let prev = words[i - 1].lower.as_str();
                let monday = monday_of(a);
                let start = match prev {
                    "this" => Some(monday),
                    "last" | "previous" => Some(monday - chrono::Duration::days(7)),
                    "next" | "coming" => Some(monday + chrono::Duration::days(7)),
                    "past" => {
                        return Some(DateRef {
                            date: Day(a - chrono::Duration::days(6)),
                            precision: DatePrecision::Day,
                            end: Some(article),
                            since: false,
                            first: i - 1,
                            end_word: i + 1,
                        });
                    }
                    _ => None,
                };
                if let Some(start) = start {
                    let first = if i >= 2 && at(words, i - 2, "earlier") { i - 2 } else { i - 1 };
                    return Some(DateRef {
                        date: Day(start),
                        precision: DatePrecision::Week,
                        end: None,
                        since: false,
                        first,
                        end_word: i + 1,
                    });
                }
            }
            "month" if i > 0 => {
                let prev = words[i - 1].lower.as_str();
                let (y, m) = (a.year(), a.month());
                let start = match prev {
                    "this" => first_of_month(y, m),
                    "last" | "previous" => {
                        if m == 1 {
                            first_of_month(y - 1, 12)
                        } else {
                            first_of_month(y, m - 1)
                        }
                    }
                    "next" => {
                        if m == 12 {
                            first_of_month(y + 1, 1)
                        } else {
                            first_of_month(y, m + 1)
                        }
                    }
                    _ => None,
                };
                if let Some(start) = start {
                    let first = if i >= 2 && at(words, i - 2, "earlier") { i - 2 } else { i - 1 };
                    return Some(DateRef {
                        date: Day(start),
                        precision: DatePrecision::Month,
                        end: None,
                        since: since || (i >= 2 && at(words, i - 2, "since")),
                        first,
                        end_word: i + 1,
                    });
                }
            }
            _ => {}
        }
        // "5 February 2020", "5th of February"
        if let Some(dom) = day_of_month(w) {
            let of = usize::from(at(words, i + 1, "of"));
            if let Some(month) = words.get(i + 1 + of).and_then(|x| month_of(&x.lower)) {
                let (year, end) = match words.get(i + 2 + of).and_then(|x| year_of(&x.lower)) {
                    Some(y) => (y, i + 3 + of),
                    None => (year_for_month(a, month, future), i + 2 + of),
                };
                if let Some(d) = NaiveDate::from_ymd_opt(year, month, dom) {
                    let mut r = day(d, first, end);
                    r.since = since;
                    return Some(r);
                }
            }
        }
        // "February 5, 2020", "February 2020", "February"
        if let Some(month) = month_of(w) {
            // "may" is a verb more often than a month: only with a day or a year beside it.
            let bare_may = w == "may";
            if let Some(dom) = words.get(i + 1).and_then(|x| day_of_month(&x.lower)) {
                let (year, end) = match words.get(i + 2).and_then(|x| year_of(&x.lower)) {
                    Some(y) => (y, i + 3),
                    None => (year_for_month(a, month, future), i + 2),
                };
                if let Some(d) = NaiveDate::from_ymd_opt(year, month, dom) {
                    let mut r = day(d, first, end);
                    r.since = since;
                    return Some(r);
                }
            }
            if i > 0 && day_of_month(&words[i - 1].lower).is_some() {
                continue;
            }
            let (year, end) = match words.get(i + 1).and_then(|x| year_of(&x.lower)) {
                Some(y) => (Some(y), i + 2),
                None => (None, i + 1),
            };
            let capital = words[i].capital;
            if (bare_may && year.is_none()) || !capital {
                continue;
            }
            let year = year.unwrap_or_else(|| year_for_month(a, month, future));
            if let Some(d) = first_of_month(year, month) {
                return Some(DateRef {
                    date: Day(d),
                    precision: DatePrecision::Month,
                    end: None,
                    since,
                    first,
                    end_word: end,
                });
            }
        }
    }
    None
}

/// The year of a clause that speaks of an earlier year ("in 2018", "a 2018 deal"): such a
/// clause is background, not news.
#[must_use]
pub fn past_year(words: &[Word], from: usize, to: usize, article: Day) -> Option<i32> {
    words[from..to.min(words.len())].iter().filter_map(|w| year_of(&w.lower)).find(|&y| y < article.0.year())
}

/// A date written at the top of an article: "07 February, 2020", "February 7, 2020",
/// "2020-02-07", "7 Feb 2020".
#[must_use]
pub fn dateline(line: &str) -> Option<Day> {
    let trimmed = line.trim();
    if let Some(head) = trimmed.get(..10)
        && let Ok(d) = Day::parse(head)
    {
        return Some(d);
    }
    let ws = crate::ingest::extract::text::words(trimmed, 0, trimmed.len());
    if ws.len() > 8 {
        return None;
    }
    for i in 0..ws.len() {
        let get = |k: usize| ws.get(k).map(|w| w.lower.as_str());
        if let (Some(d), Some(m)) = (get(i).and_then(day_of_month), get(i + 1).and_then(month_of)) {
            let y = get(i + 2).and_then(year_of)?;
            return NaiveDate::from_ymd_opt(y, m, d).map(Day);
        }
        if let (Some(m), Some(d)) = (get(i).and_then(month_of), get(i + 1).and_then(day_of_month)) {
            let y = get(i + 2).and_then(year_of)?;
            return NaiveDate::from_ymd_opt(y, m, d).map(Day);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::extract::text::words;

    fn date(text: &str, future: bool) -> Option<(String, DatePrecision, bool)> {
        let ws = words(text, 0, text.len());
        let article = Day::parse("2020-02-07").unwrap();
        find_date(&ws, 0, ws.len(), article, future).map(|d| (d.date.to_string(), d.precision, d.since))
    }

    #[test]
    fn relative_dates_resolve_against_the_article() {
        assert_eq!(date("on Thursday evening", false), Some(("2020-02-06".into(), DatePrecision::Day, false)));
        assert_eq!(date("said Wednesday", false), Some(("2020-02-05".into(), DatePrecision::Day, false)));
        assert_eq!(date("will arrive on Saturday", true), Some(("2020-02-08".into(), DatePrecision::Day, false)));
        assert_eq!(date("on Friday", false), Some(("2020-02-07".into(), DatePrecision::Day, false)));
        assert_eq!(date("earlier this week", false), Some(("2020-02-03".into(), DatePrecision::Week, false)));
        assert_eq!(date("last month", false), Some(("2020-01-01".into(), DatePrecision::Month, false)));
        assert_eq!(date("since December", false), Some(("2019-12-01".into(), DatePrecision::Month, true)));
        assert_eq!(date("since 1 March", false), Some(("2019-03-01".into(), DatePrecision::Day, true)));
        assert_eq!(date("on 5 February", false), Some(("2020-02-05".into(), DatePrecision::Day, false)));
        assert_eq!(date("on February 3, 2020", false), Some(("2020-02-03".into(), DatePrecision::Day, false)));
        assert_eq!(date("may arrive", false), None);
    }

    #[test]
    fn datelines() {
        assert_eq!(dateline("07 February, 2020").map(|d| d.to_string()), Some("2020-02-07".into()));
        assert_eq!(dateline("February 7, 2020").map(|d| d.to_string()), Some("2020-02-07".into()));
        assert_eq!(dateline("2020-02-07").map(|d| d.to_string()), Some("2020-02-07".into()));
        assert_eq!(dateline("3 min read"), None);
    }
}
