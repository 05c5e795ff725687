//! Document dates: read from metadata or from the statement's own words, never guessed.
//!
//! A date is taken only from a place that states the document's date: a metadata prefix,
//! front matter, a newsroom's metadata file, a dateline ("CANBERRA, 4 May 2026 –"), a
//! "Published ..." line, a "Signed ... on ..." block, or a file name that starts with an
//! ISO date (`2020-08-08-speech.txt`). Years in tables, targets ("by 2030") and references to
//! earlier events are never read, and numeric dates are read only when they cannot be a
//! day/month swap.

use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use regex::{Captures, Regex};
use serde::Serialize;

/// A calendar date known to a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

/// How far the text says the date: "2025", "November 2025" or "5 November 2025".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// Where a document's date was read, most trusted first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DateSource {
    /// A leading ` date 2026-03-06` before the first line of text.
    MetadataPrefix,
    /// `date:` in YAML front matter.
    FrontMatter,
    /// A metadata file given to `dossier index --metadata`.
    MetadataFile,
    /// A file name read by `dossier index --name-pattern`, such as `{issuer}_{}_{year}`.
    NamePattern,
    /// A dateline opening the text, such as "CANBERRA, 4 May 2026 –".
    Dateline,
    /// A line such as "Published 5 November 2025".
    PublishedLine,
    /// A signature block such as "Signed ... at Canberra ... on 4 May 2026".
    SignatureBlock,
    /// A file name that holds an ISO date, such as `2020-08-08-speech.txt`.
    FileName,
    /// The document's own properties, such as a PDF's creation date.
    Properties,
}

impl DateSource {
    pub fn as_str(self) -> &'static str {
        match self {
            DateSource::MetadataPrefix => "metadata-prefix",
            DateSource::FrontMatter => "front-matter",
            DateSource::MetadataFile => "metadata-file",
            DateSource::NamePattern => "name-pattern",
            DateSource::Dateline => "dateline",
            DateSource::PublishedLine => "published-line",
            DateSource::SignatureBlock => "signature-block",
            DateSource::FileName => "file-name",
            DateSource::Properties => "document-properties",
        }
    }
}

/// A document's date and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocDate {
    pub date: PartialDate,
    pub source: DateSource,
    /// Byte range of the date as written, when it was read in the text (a dateline, a
    /// "Published" line, a signature block); in the text given to [`date_in_text`], and in
    /// the file's text once tagged.
    pub words: Option<Range<usize>>,
}

impl PartialDate {
    /// A date that exists in the calendar, or `None` ("2025-02-30", month 13).
    pub fn new(year: i32, month: Option<u32>, day: Option<u32>) -> Option<PartialDate> {
        if !(1000..=9999).contains(&year) || (day.is_some() && month.is_none()) {
            return None;
        }
        if let Some(month) = month {
            NaiveDate::from_ymd_opt(year, month, day.unwrap_or(1))?;
        }
        Some(PartialDate { year, month, day })
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (_, Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    pub fn first_day(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
            .expect("validated on construction")
    }

    pub fn last_day(&self) -> NaiveDate {
        match (self.month, self.day) {
            (Some(month), Some(day)) => NaiveDate::from_ymd_opt(self.year, month, day),
            (Some(month), None) => NaiveDate::from_ymd_opt(self.year, month, 1)
                .and_then(|first| first.checked_add_months(chrono::Months::new(1)))
                .and_then(|next| next.pred_opt()),
            _ => NaiveDate::from_ymd_opt(self.year, 12, 31),
        }
        .expect("validated on construction")
    }

    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as a user types it in a filter.
    pub fn parse_iso(text: &str) -> Result<PartialDate, String> {
        let parts: Vec<&str> = text.split('-').collect();
        let well_formed = matches!(parts.len(), 1..=3)
            && parts[0].len() == 4
            && parts[1..].iter().all(|p| p.len() == 2)
            && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if !well_formed {
            return Err(format!(
                "'{text}' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD"
            ));
        }
        let numbers: Vec<u32> = parts.iter().map(|p| p.parse().expect("digits")).collect();
        let (year, month, day) = (
            numbers[0] as i32,
            numbers.get(1).copied(),
            numbers.get(2).copied(),
        );
        PartialDate::new(year, month, day).ok_or_else(|| match (month, day) {
            (Some(m), _) if !(1..=12).contains(&m) => {
                format!("'{text}' is not a date: there is no month {m}")
            }
            (Some(m), Some(d)) => {
                let last = PartialDate {
                    year,
                    month: Some(m),
                    day: None,
                }
                .last_day()
                .day();
                format!(
                    "'{text}' is not a date: {} {year} has {last} days, not {d}",
                    month_name(m)
                )
            }
            _ => format!("'{text}' is not a date: year {year} is out of range"),
        })
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
        }
        if let Some(day) = self.day {
            write!(f, "-{day:02}")?;
        }
        Ok(())
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn month_name(month: u32) -> &'static str {
    MONTHS[(month - 1) as usize]
}

fn month_number(name: &str) -> Option<u32> {
    let name = name.trim_end_matches('.').to_lowercase();
    MONTHS
        .iter()
        .position(|month| name.len() >= 3 && month.to_lowercase().starts_with(&name))
        .map(|i| i as u32 + 1)
}

/// The pattern for one written date. Month names must be capitalised or in capitals:
/// "may 2026" is a verb and a year.
fn date_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        let mut names = Vec::new();
        for month in MONTHS {
            names.push(month.to_string());
            names.push(month.to_uppercase());
        }
        for short in ["Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec"] {
            names.push(format!(r"{short}\."));
            names.push(format!(r"{}\.", short.to_uppercase()));
            names.push(short.to_string());
            names.push(short.to_uppercase());
        }
        let month = format!("(?:{})", names.join("|"));
        let pattern = format!(
            r"\b(?:(?P<iy>\d{{4}})-(?P<im>\d{{2}})-(?P<id>\d{{2}})\b|(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+day)?(?:\s+of)?\s+(?P<dm>{month}),?\s+(?P<dy>\d{{4}})\b|(?P<mm>{month})\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<my>\d{{4}})\b|(?P<om>{month}),?\s+(?P<oy>\d{{4}})\b|(?P<na>\d{{1,2}})[/.](?P<nb>\d{{1,2}})[/.](?P<ny>\d{{4}})\b)"
        );
        Regex::new(&pattern).expect("date pattern is valid")
    })
}

/// The first date written in `text`, with the byte range it occupies.
pub fn find_date(text: &str) -> Option<(PartialDate, std::ops::Range<usize>)> {
    for caps in date_pattern().captures_iter(text) {
        let whole = caps.get(0).expect("group 0");
        if let Some(date) = date_from_captures(&caps) {
            return Some((date, whole.range()));
        }
    }
    None
}

fn number(caps: &Captures, name: &str) -> Option<u32> {
    caps.name(name)?.as_str().parse().ok()
}

fn date_from_captures(caps: &Captures) -> Option<PartialDate> {
    let month_of = |name: &str| caps.name(name).and_then(|m| month_number(m.as_str()));
    if let Some(year) = number(caps, "iy") {
        return PartialDate::new(year as i32, number(caps, "im"), number(caps, "id"));
    }
    if let Some(year) = number(caps, "dy") {
        return PartialDate::new(year as i32, month_of("dm"), number(caps, "dd"));
    }
    if let Some(year) = number(caps, "my") {
        return PartialDate::new(year as i32, month_of("mm"), number(caps, "md"));
    }
    if let Some(year) = number(caps, "oy") {
        return PartialDate::new(year as i32, month_of("om"), None);
    }
    let (a, b, year) = (
        number(caps, "na")?,
        number(caps, "nb")?,
        number(caps, "ny")?,
    );
    // 05/11/2025 is 5 November or May 11 depending on who wrote it: only a day above 12
    // settles the order.
    match (a > 12, b > 12) {
        (true, false) => PartialDate::new(year as i32, Some(b), Some(a)),
        (false, true) => PartialDate::new(year as i32, Some(a), Some(b)),
        _ => None,
    }
}

/// The place of a dateline ("CANBERRA, " or "Canberra, " before the date): written in
/// capitals, or a capital city. "Yesterday, December 7, 1941 —" opens a speech, not a
/// dateline.
fn names_a_place(before_date: &str) -> bool {
    let place = before_date
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .trim_end()
        .trim_end_matches(',');
    !place.chars().any(char::is_lowercase) || super::datelines::is_capital(place)
}

/// An ISO date at the start of a file name (`2020-08-08-speech`), or standing alone
/// between separators (`speech_2020-08-08`). A bare year is not enough.
pub fn date_in_file_name(stem: &str) -> Option<PartialDate> {
    static ISO: OnceLock<Regex> = OnceLock::new();
    let iso = ISO.get_or_init(|| {
        Regex::new(r"(?:^|[^0-9])(\d{4})-(\d{2})-(\d{2})(?:[^0-9]|$)").expect("valid")
    });
    let caps = iso.captures(stem)?;
    let number = |i: usize| caps[i].parse::<u32>().ok();
    PartialDate::new(number(1)? as i32, number(2), number(3))
}

/// A date for front matter or metadata: ISO (with or without a time), or written out.
pub fn parse_metadata_date(value: &str) -> Option<PartialDate> {
    let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
    let date_part = value.split(['T', ' ']).next().unwrap_or(value);
    if let Ok(date) = PartialDate::parse_iso(date_part) {
        return Some(date);
    }
    find_date(value).map(|(date, _)| date)
}

/// The statement date written in the body, from the most trusted place that has one.
pub fn date_in_text(body: &str) -> Option<DocDate> {
    static PUBLISHED: OnceLock<Regex> = OnceLock::new();
    static SIGNED: OnceLock<Regex> = OnceLock::new();
    static DATELINE: OnceLock<Regex> = OnceLock::new();
    static WEEKDAY: OnceLock<Regex> = OnceLock::new();
    let published = PUBLISHED.get_or_init(|| {
        Regex::new(
            r"(?i)^[\W_]*(?:published|released|issued|dated|date|posted)(?:\s+on)?[\s:,–—-]*",
        )
        .expect("valid")
    });
    let signed =
        SIGNED.get_or_init(|| Regex::new(r"^[\W_]*(?:Signed|SIGNED|Done|DONE)\b").expect("valid"));
    let dateline = DATELINE.get_or_init(|| {
        Regex::new(r"^[\W_]*[A-Z][A-Za-z.'-]*(?:\s[A-Z][A-Za-z.'-]*){0,3},\s+$").expect("valid")
    });
    let weekday = WEEKDAY.get_or_init(|| {
        Regex::new(r"^(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s*)?$").expect("valid")
    });

    let lines: Vec<&str> = body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();

    // Every line is a slice of `body`: where it starts locates the date's words.
    let read = |source, date, part: &str, span: Range<usize>| {
        let offset = part.as_ptr() as usize - body.as_ptr() as usize;
        Some(DocDate {
            date,
            source,
            words: Some(offset + span.start..offset + span.end),
        })
    };
    for line in lines.iter().take(5) {
        if let Some((date, span)) = find_date(line) {
            let after = line[span.end..].trim_start();
            let ends_dateline = after.is_empty() || after.starts_with(['-', '–', '—', ':', '(']);
            let before = &line[..span.start];
            if dateline.is_match(before)
                && ends_dateline
                && date.day.is_some()
                && names_a_place(before)
            {
                return read(DateSource::Dateline, date, line, span);
            }
        }
    }
    // A "Published" line heads or ends a page; "dated 9 July 2004, took note" further on
    // is a wrapped sentence citing an earlier text.
    let last_five = lines.len().saturating_sub(5).max(10);
    for line in lines
        .iter()
        .take(10)
        .chain(&lines[last_five.min(lines.len())..])
    {
        let Some(cue) = published.find(line) else {
            continue;
        };
        let cue_word = cue.as_str().chars().find(|c| c.is_alphabetic());
        if !cue_word.is_some_and(char::is_uppercase) {
            continue;
        }
        let rest = &line[cue.end()..];
        if let Some((date, span)) = find_date(rest) {
            if weekday.is_match(&rest[..span.start]) {
                return read(DateSource::PublishedLine, date, rest, span);
            }
        }
    }
    for line in &lines {
        if let Some(cue) = signed.find(line) {
            let rest = &line[cue.end()..];
            if let Some((date, span)) = find_date(rest) {
                return read(DateSource::SignatureBlock, date, rest, span);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Option<String> {
        find_date(text).map(|(d, _)| d.to_string())
    }

    fn dated(body: &str) -> Option<(String, &'static str)> {
        date_in_text(body).map(|d| (d.date.to_string(), d.source.as_str()))
    }

    #[test]
    fn written_forms() {
        assert_eq!(found("on 5 November 2025."), Some("2025-11-05".into()));
        assert_eq!(found("November 5, 2025"), Some("2025-11-05".into()));
        assert_eq!(found("the 5th of November 2025"), Some("2025-11-05".into()));
        assert_eq!(found("Nov. 5, 2025"), Some("2025-11-05".into()));
        assert_eq!(found("Sept 30, 2024"), Some("2024-09-30".into()));
        assert_eq!(found("4 May 2026"), Some("2026-05-04".into()));
        assert_eq!(found("in May 2026"), Some("2026-05".into()));
        assert_eq!(found("2026-03-06"), Some("2026-03-06".into()));
        assert_eq!(found("25/11/2025"), Some("2025-11-25".into()));
    }

    #[test]
    fn ambiguous_impossible_and_lowercase_forms_are_not_dates() {
        assert_eq!(found("05/11/2025"), None);
        assert_eq!(found("30 February 2025"), None);
        assert_eq!(found("2025-13-01"), None);
        assert_eq!(found("we may 2026 be there"), None);
        assert_eq!(found("By 2026"), None);
    }

    #[test]
    fn a_date_read_in_the_text_keeps_its_words() {
        let words = |body: &'static str| {
            let date = date_in_text(body).unwrap();
            &body[date.words.unwrap()]
        };
        assert_eq!(
            words("By Alice Wai\n\n  Published: Wednesday, 5 November 2025\n"),
            "5 November 2025"
        );
        assert_eq!(
            words("text\nSigned in duplicate at Canberra, Australia, on 4 May 2026 in English."),
            "4 May 2026"
        );
        assert_eq!(
            words("Media release\n\nCANBERRA, May 4, 2026 – The Prime Minister"),
            "May 4, 2026"
        );
    }

    #[test]
    fn statement_dates_come_from_cues_only() {
        assert_eq!(
            dated("By Alice Wai\n\nPublished 5 November 2025\n\nText"),
            Some(("2025-11-05".into(), "published-line"))
        );
        assert_eq!(
            dated("text\nSigned in duplicate at Canberra, Australia, on 4 May 2026 in English."),
            Some(("2026-05-04".into(), "signature-block"))
        );
        assert_eq!(
            dated("CANBERRA, 4 May 2026 – The Prime Minister said"),
            Some(("2026-05-04".into(), "dateline"))
        );
        assert_eq!(
            dated("| Mining | By 2026 |\nIn May 2023 a compact was signed."),
            None
        );
        assert_eq!(dated("the Published Works of 5 November 2025"), None);
        assert_eq!(
            dated("Washington, November 5, 2025 — The President said"),
            Some(("2025-11-05".into(), "dateline"))
        );
    }

    #[test]
    fn dates_that_speeches_and_histories_cite_are_not_theirs() {
        // Lines of the corpus that were once taken for the document's date.
        assert_eq!(
            dated("Members of the Senate and House of Representatives:\nYesterday, December 7, 1941—a date which will live in infamy—the United States"),
            None
        );
        assert_eq!(
            dated("the advisory opinion of the International Court of Justice\ndated 9 July 2010, took note of responses"),
            None
        );
        assert_eq!(
            dated("Earliest\ndate: October 27, 1883; Latest date:"),
            None
        );
        let deep = format!(
            "{}Date: August 12, 1898 (date of annexation).\n{}",
            "Some history.\n".repeat(20),
            "More history.\n".repeat(20)
        );
        assert_eq!(date_in_text(&deep), None);
    }

    #[test]
    fn file_names_with_iso_dates() {
        let of = |stem| date_in_file_name(stem).map(|d| d.to_string());
        assert_eq!(of("2020-08-08-remarks-on-trade"), Some("2020-08-08".into()));
        assert_eq!(of("speech_2019-02-05"), Some("2019-02-05".into()));
        assert_eq!(of("AUS_79_2024"), None);
        assert_eq!(of("report-2030"), None);
        assert_eq!(of("2020-02-31-x"), None);
    }

    #[test]
    fn filter_dates_explain_what_is_wrong() {
        assert_eq!(
            PartialDate::parse_iso("2025-02").unwrap().to_string(),
            "2025-02"
        );
        assert_eq!(
            PartialDate::parse_iso("2025-02-30").unwrap_err(),
            "'2025-02-30' is not a date: February 2025 has 28 days, not 30"
        );
        assert_eq!(
            PartialDate::parse_iso("2025-13").unwrap_err(),
            "'2025-13' is not a date: there is no month 13"
        );
        assert_eq!(
            PartialDate::parse_iso("last year").unwrap_err(),
            "'last year' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD"
        );
    }

    #[test]
    fn month_ranges() {
        let feb = PartialDate::new(2024, Some(2), None).unwrap();
        assert_eq!(feb.first_day().to_string(), "2024-02-01");
        assert_eq!(feb.last_day().to_string(), "2024-02-29");
    }
}
