//! Datelines: "BEIRUT (AP) —", "TOKYO, May 4 (Reuters) -", "CANBERRA, 4 May 2026 –", for
//! the capitals in `data/capitals.tsv`. A dateline with a news agency's mark is a report;
//! one without it, on an official statement, says which country issued the statement. Either
//! way the city is a place of its own: it is not a mention of its country.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::context::is_us_state;
use super::dates::find_date;

const CAPITALS_TSV: &str = include_str!("../../data/capitals.tsv");

/// How far into the text a dateline may start: the first lines, or just after a headline
/// run into the text on the same line.
const DATELINE_REACH: usize = 400;

/// A dateline that names a capital.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dateline {
    /// The country's alpha-2 code.
    pub code: &'static str,
    /// Byte range of the city's name in the text.
    pub span: Range<usize>,
    /// Marked by a news agency ("(AP)", "(Reuters)"): a report, not a statement.
    pub agency: bool,
    /// The capital is not a seat of international organisations, so a statement dated
    /// there is the country's.
    pub issuer: bool,
}

struct Capital {
    code: &'static str,
    city: String,
    issuer: bool,
}

fn capitals() -> &'static [Capital] {
    static CAPITALS: OnceLock<Vec<Capital>> = OnceLock::new();
    CAPITALS.get_or_init(|| {
        let mut capitals = Vec::new();
        for line in CAPITALS_TSV.lines().map(|l| l.trim_end_matches('\r')) {
            if line.trim().is_empty() || line.starts_with('#') || line.starts_with("code\t") {
                continue;
            }
            let columns: Vec<&'static str> = line.split('\t').collect();
            let [code, cities, issuer] = columns[..] else {
                panic!("data/capitals.tsv: expected 3 columns in {line:?}");
            };
            for city in cities.split('|').map(str::trim).filter(|c| !c.is_empty()) {
                capitals.push(Capital {
                    code,
                    city: city.to_string(),
                    issuer: issuer == "yes",
                });
            }
        }
        capitals
    })
}

/// The capital city `name` is, as `data/capitals.tsv` writes it or in capitals.
fn capital(name: &str) -> Option<&'static Capital> {
    capitals()
        .iter()
        .find(|c| c.city.eq_ignore_ascii_case(name) || c.city.to_uppercase() == name)
}

pub fn is_capital(name: &str) -> bool {
    capital(name).is_some()
}

/// The dateline that opens `text`, if it names a capital.
pub fn dateline(text: &str) -> Option<Dateline> {
    static DATELINE: OnceLock<Regex> = OnceLock::new();
    let pattern = DATELINE.get_or_init(|| {
        Regex::new(concat!(
            r"(?m)(?:^|\.\s+)[^\w\n.]*",
            r"(?P<city>\p{Lu}[\p{L}'’.-]*(?:[ -]\p{Lu}[\p{L}'’.-]*){0,3})",
            r"(?P<rest>,[^\n()–—]{0,40}?)?",
            r"\s*(?P<agency>\((?:AP|Reuters|AFP|UPI|dpa|DPA|Xinhua|Bloomberg|CNN|IANS|PTI|Kyodo|Yonhap|ANI|ANSA|EFE|TASS|Anadolu|AA|BNA|WAM|SPA|KUNA)\))?",
            r"\s*[-–—]"
        ))
        .expect("valid")
    });
    let reach = crate::words::floor_char_boundary(text, DATELINE_REACH);
    for caps in pattern.captures_iter(&text[..reach]) {
        let city = caps.name("city").expect("city");
        let words = city.as_str();
        let in_capitals = !words.chars().any(char::is_lowercase);
        let rest = caps.name("rest").map_or("", |r| r.as_str());
        // "Canberra, 4 May 2026 –" is a dateline; "Canberra said -" is not.
        if !in_capitals && find_date(rest).is_none() {
            continue;
        }
        // "PARIS, Mo. -" and "BELGRADE, Minn. --" are US towns.
        let region = rest.trim_start_matches(',').trim().trim_end_matches('.');
        if is_us_state(region) {
            continue;
        }
        let agency = caps.name("agency").is_some();
        if !in_capitals && !agency && rest.is_empty() {
            continue;
        }
        if let Some(capital) = capital(words) {
            return Some(Dateline {
                code: capital.code,
                span: city.range(),
                agency,
                issuer: capital.issuer,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(text: &str) -> Option<(&'static str, &str, bool)> {
        dateline(text).map(|d| (d.code, &text[d.span.clone()], d.agency))
    }

    #[test]
    fn datelines_name_their_capital_country() {
        assert_eq!(
            of("BEIRUT (AP) — Hezbollah said"),
            Some(("LB", "BEIRUT", true))
        );
        assert_eq!(
            of("TOKYO, May 4 (Reuters) - Japan's exports"),
            Some(("JP", "TOKYO", true))
        );
        assert_eq!(
            of("Media release\n\nCANBERRA, 4 May 2026 – The Prime Minister"),
            Some(("AU", "CANBERRA", false))
        );
        assert_eq!(
            of("Canberra, 4 May 2026 – The Prime Minister"),
            Some(("AU", "Canberra", false))
        );
        assert_eq!(
            of("Quake hits coast. NEW DELHI (AP) - A quake"),
            Some(("IN", "NEW DELHI", true))
        );
    }

    #[test]
    fn other_openings_are_not_datelines() {
        assert_eq!(of("Paris - the city of light - is"), None);
        assert_eq!(of("LEBANON (AP) - A pathologist"), None);
        assert_eq!(of("PARIS, Mo. - In 1999, Lynn and Bob"), None);
        assert_eq!(of("house fire. BELGRADE, Minn. -- A woman"), None);
        assert_eq!(of("KINGSTON (AP) - A Kingston man"), None);
        assert_eq!(of("The talks in Beirut - long awaited - began"), None);
    }
}
