//! The words around a country's name that say it is not the country: a person ("Vernon
//! Jordan", "Chad Walker", "Monica French"), a US town or road ("Lebanon, Pa.", "Guernsey
//! County", "U.S. Highway 82", "508 Cumberland St., Lebanon"), a language ("spoke only
//! French"), a cuisine or style ("Mexican food", "Irish songs"), or the proper name of a
//! firm or club ("American Legion", "British Airways"). One sense per text: once a name is
//! seen to be a person or a town, its other bare mentions in the same text are taken the
//! same way. The word lists live in `data/context.tsv`.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::gazetteer::Word;

const CONTEXT_TSV: &str = include_str!("../../data/context.tsv");

/// The word lists of `data/context.tsv`, by name.
struct Lists(HashMap<&'static str, Vec<&'static str>>);

impl Lists {
    fn get(&self, name: &str) -> &[&'static str] {
        self.0.get(name).map_or(&[], Vec::as_slice)
    }

    fn has(&self, name: &str, word: &str) -> bool {
        self.get(name).contains(&word)
    }
}

fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let mut lists = HashMap::new();
        for line in CONTEXT_TSV.lines().map(|l| l.trim_end_matches('\r')) {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((name, words)) = line.split_once('\t') else {
                panic!("data/context.tsv: expected 2 columns in {line:?}");
            };
            if name == "list" {
                continue;
            }
            let words = words.split('|').map(str::trim).filter(|w| !w.is_empty());
            lists.insert(name, words.collect());
        }
        Lists(lists)
    })
}

/// True for a US state or its abbreviation as the gazetteer splits words ("Pa", "N.Y").
pub fn is_us_state(word: &str) -> bool {
    lists().has("us-states", word)
}

/// Why a mention is not its country, if it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotTheCountry {
    Person,
    UsPlace,
    ProperName,
    /// A language: "spoke only French", "French immersion".
    Language,
    /// A cuisine, style or heritage: "Mexican food", "Irish songs".
    Style,
    /// A road named by a country's abbreviation: "U.S. Highway 82", "US-24".
    Road,
}

/// The words of a text, as the gazetteer splits them.
pub type Words<'a> = [Word<'a>];

fn capitalised(word: &str) -> bool {
    word.starts_with(char::is_uppercase) && word.chars().any(char::is_lowercase)
}

/// "CHAD" as "Chad"; other words as they are.
fn as_written(word: &str) -> String {
    if !all_caps(word) || word.chars().count() < 4 {
        return word.to_string();
    }
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |initial| {
        initial.to_string() + &chars.as_str().to_lowercase()
    })
}

fn all_caps(word: &str) -> bool {
    word.chars().any(char::is_alphabetic) && !word.chars().any(char::is_lowercase)
}

/// The text between word `i - 1` and word `i`, if both exist.
fn gap<'t>(text: &'t str, words: &Words, i: usize) -> Option<&'t str> {
    match (i.checked_sub(1).and_then(|p| words.get(p)), words.get(i)) {
        (Some(previous), Some(word)) => Some(&text[previous.end..word.start]),
        _ => None,
    }
}

/// True when word `i` follows word `i - 1` with a single space between them.
fn joined(text: &str, words: &Words, i: usize) -> bool {
    gap(text, words, i) == Some(" ")
}

/// True when word `at` stands in a headline written in title case ("Russian-American Crew
/// Blasts Off"), where a capital after a demonym does not make a proper name. A headline
/// is a line of its own, between blank lines: a wrapped line of a paragraph that happens
/// to hold only names is not one.
fn in_title_case_line(text: &str, words: &Words, at: usize) -> bool {
    let offset = words[at].start;
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let blank = |line: Option<&str>| line.is_none_or(|l| l.trim().is_empty());
    if !blank(text[..line_start].lines().next_back()) || !blank(text[line_end..].lines().nth(1)) {
        return false;
    }
    let on_line = |w: &&Word| w.start >= line_start && w.end <= line_end;
    let before = words[..at].iter().rev().take_while(on_line);
    let after = words[at..].iter().take_while(on_line);
    // Short words stay in lower case in title case: "Talks on Trade", "Crew of Three".
    let content: Vec<&str> = before
        .chain(after)
        .map(|w| w.text.as_ref())
        .filter(|w| w.starts_with(char::is_alphabetic) && w.chars().count() > 3)
        .collect();
    content.len() >= 3 && content.iter().all(|w| w.starts_with(char::is_uppercase))
}

fn starts_sentence(text: &str, offset: usize) -> bool {
    let before = text[..offset].trim_end();
    before.is_empty() || before.ends_with(['.', '!', '?', ':', '"', '“', '\n'])
}

/// Judges the mention made of `words[first..end]` (`demonym` when matched as one).
pub fn not_the_country(
    text: &str,
    words: &Words,
    first: usize,
    end: usize,
    demonym: bool,
) -> Option<NotTheCountry> {
    let lists = lists();
    // The lists hold names as usually written: "CHAD" in a byline is looked up as "Chad".
    let written = as_written(&words[first].text);
    let name = written.as_str();
    let single = end == first + 1;
    // "U.S. Highway": after an abbreviation the full stop stands between the words.
    let abbreviated = words[end - 1].text.contains('.') && gap(text, words, end) == Some(". ");
    let next = (joined(text, words, end) || abbreviated).then(|| words[end].text.as_ref());
    // A capitalised word just before, inside the sentence: a first name or a people's name.
    let named_before = joined(text, words, first) && {
        let previous = words[first - 1].text.as_ref();
        capitalised(previous)
            && !lists.has("function-words", previous)
            && !starts_sentence(text, words[first - 1].start)
    };
    if single && !demonym && lists.has("person-prone", name) {
        if named_before {
            return Some(NotTheCountry::Person);
        }
        // "Chad Foster"; in a capitals byline, "CHAD KLIMACK".
        let is_name = |n: &str| {
            (capitalised(n)
                || (all_caps(&words[first].text) && all_caps(n) && n.chars().count() > 1))
                && !lists.has("function-words", n)
                && !lists.has("us-place-words", n)
                && !n.chars().any(|c| c.is_ascii_digit())
        };
        if lists.has("first-names", name) && next.is_some_and(is_name) {
            return Some(NotTheCountry::Person);
        }
    }
    if single && demonym && named_before {
        if lists.has("surname-demonyms", name) {
            return Some(NotTheCountry::Person);
        }
        if lists.has("people-demonyms", name) {
            return Some(NotTheCountry::ProperName);
        }
    }
    if single && demonym {
        if let Some(sense) = language_or_style(text, words, first) {
            return Some(sense);
        }
    }
    // "the Greek and Italian Grill", "Greek and Italian food": the pair shares its noun.
    let shared = demonym
        && single
        && matches!(next, Some("and" | "or"))
        && words.get(end + 1).is_some_and(|w| capitalised(&w.text))
        && joined(text, words, end + 1)
        && joined(text, words, end + 2);
    if shared && language_or_style(text, words, end + 1) == Some(NotTheCountry::Style) {
        return Some(NotTheCountry::Style);
    }
    let next = if shared {
        words.get(end + 2).map(|w| w.text.as_ref())
    } else {
        next
    };
    if let Some(next) = next {
        if demonym
            && capitalised(next)
            && !lists.has("state-words", next)
            && !in_title_case_line(text, words, first)
        {
            return Some(NotTheCountry::ProperName);
        }
        if !demonym && lists.has("us-place-words", next) {
            // "U.S. Highway 82" is a road, but other mentions of "U.S." still mean the
            // country; "Malta Road" makes Malta a town for the whole text.
            return Some(if all_caps(name) {
                NotTheCountry::Road
            } else {
                NotTheCountry::UsPlace
            });
        }
        if !demonym && !abbreviated && lists.has("town-nouns", next) {
            return Some(NotTheCountry::UsPlace);
        }
    }
    if !demonym {
        if let Some(place) = us_place_around(text, words, first, end) {
            return Some(place);
        }
    }
    None
}

/// A demonym that names a language or a style rather than the country.
fn language_or_style(text: &str, words: &Words, at: usize) -> Option<NotTheCountry> {
    let lists = lists();
    let word = |i: usize| words.get(i).map(|w| w.text.as_ref());
    // "French immersion", "French-speaking", "Mexican food", "Irish heritage".
    if let Some(after) = gap(text, words, at + 1).filter(|g| *g == " " || *g == "-") {
        let next = word(at + 1).unwrap_or_default();
        if lists.has("language-after", next) {
            return Some(NotTheCountry::Language);
        }
        if after == " " && lists.has("style-nouns", next) {
            return Some(NotTheCountry::Style);
        }
    }
    // "in English and Spanish", "French and Farsi": beside another language's name.
    let coordinated = |gap_text: Option<&str>, conjunction: Option<&str>| {
        gap_text == Some(", ") || matches!(conjunction, Some("and" | "or"))
    };
    if at >= 2
        && lists.has("language-names", word(at - 2).unwrap_or_default())
        && coordinated(gap(text, words, at - 1), word(at - 1))
    {
        return Some(NotTheCountry::Language);
    }
    if lists.has("language-names", word(at + 2).unwrap_or_default())
        && coordinated(gap(text, words, at + 1), word(at + 1))
    {
        return Some(NotTheCountry::Language);
    }
    // "yelled in Turkish,", "in Turkish and Arabic.": after "in", a demonym with no noun of
    // its own names a language ("in Turkish waters" is Turkey).
    let bare = |i: usize| !matches!(gap(text, words, i + 1), Some(" " | "-"));
    if at >= 1 && word(at - 1) == Some("in") && joined(text, words, at) {
        let alone = bare(at)
            || (matches!(word(at + 1), Some("and" | "or"))
                && word(at + 2).is_some_and(capitalised)
                && bare(at + 2));
        if alone {
            return Some(NotTheCountry::Language);
        }
    }
    // "spoke only French", "fluent in Spanish": a language verb just before, or with only
    // such words as "in" and "only" between ("speaking to French officials" is France).
    for back in 1..=3 {
        let Some(i) = at.checked_sub(back) else { break };
        let between = gap(text, words, i + 1).unwrap_or_default();
        if between.contains(['.', '!', '?', ';', '\n']) {
            break;
        }
        let candidate = word(i).unwrap_or_default();
        if lists.has("language-before", candidate) {
            return Some(NotTheCountry::Language);
        }
        if !lists.has("language-fillers", candidate) {
            break;
        }
    }
    None
}

/// A country's name that stands for a town, road or place in the United States.
fn us_place_around(text: &str, words: &Words, first: usize, end: usize) -> Option<NotTheCountry> {
    let lists = lists();
    // "US-24": a road number.
    let after = &text[words[end - 1].end..];
    if after.starts_with('-') && after[1..].starts_with(|c: char| c.is_ascii_digit()) {
        return Some(NotTheCountry::Road);
    }
    // "the city of Turkey", "Town of Malta".
    if first >= 2 && joined(text, words, first) && joined(text, words, first - 1) {
        let place = words[first - 2].text.to_lowercase();
        if words[first - 1].text == "of"
            && matches!(place.as_str(), "city" | "town" | "township" | "village")
        {
            return Some(NotTheCountry::UsPlace);
        }
    }
    if first >= 1 {
        let previous = words[first - 1].text.as_ref();
        let before = gap(text, words, first).unwrap_or_default();
        // "508 Cumberland St., Lebanon": the town of a street address.
        if (before == "., " || before == ", ") && lists.has("address-words", previous) {
            return Some(NotTheCountry::UsPlace);
        }
        // "Michael Smith, 49, Palestine": a person, an age, a home town.
        if before == ", "
            && previous.len() <= 3
            && previous.chars().all(|c| c.is_ascii_digit())
            && gap(text, words, first - 1) == Some(", ")
        {
            return Some(NotTheCountry::UsPlace);
        }
    }
    // A local paper's dateline: "LEBANON (AP) -", "MALTA - About 5,000 books". Abroad the
    // dateline names a city ("BEIRUT (AP)"), so a country there is a US town. It opens a
    // line, or follows the headline's full stop when headline and text share a line.
    // Only the gap since the previous word is looked at: a text may be one huge line.
    let gap_start = first.checked_sub(1).map_or(0, |p| words[p].end);
    let before = &text[gap_start..words[first].start];
    let opens_line = match before.rfind('\n') {
        Some(newline) => before[newline..].trim().is_empty(),
        None => (first == 0 && before.trim().is_empty()) || before.trim() == ".",
    };
    if opens_line
        && words[first..end].iter().all(|w| all_caps(&w.text))
        && (after.starts_with(" (")
            || after.starts_with(" -")
            || after.starts_with(" –")
            || after.starts_with(" —"))
    {
        return Some(NotTheCountry::UsPlace);
    }
    // "Lebanon, Pa." and "Jordan, Minnesota": a comma, then a US state.
    if let Some(state) = words.get(end) {
        let between = &text[words[end - 1].end..state.start];
        if between == ", " && lists.has("us-states", state.text.as_ref()) {
            return Some(NotTheCountry::UsPlace);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;
    use unicode_segmentation::UnicodeSegmentation;

    fn judge(text: &str, name: &str, demonym: bool) -> Option<NotTheCountry> {
        let words: Vec<Word> = text
            .unicode_word_indices()
            .map(|(start, w)| Word {
                start,
                end: start + w.len(),
                text: Cow::Borrowed(w),
            })
            .collect();
        let first = words.iter().position(|w| w.text == name).unwrap();
        not_the_country(text, &words, first, first + 1, demonym)
    }

    #[test]
    fn people() {
        assert_eq!(
            judge("said Vernon Jordan yesterday", "Jordan", false),
            Some(NotTheCountry::Person)
        );
        assert_eq!(
            judge("coach Chad Foster and", "Chad", false),
            Some(NotTheCountry::Person)
        );
        assert_eq!(judge("Refugees in Jordan said", "Jordan", false), None);
        assert_eq!(judge("Egypt. Jordan agreed", "Jordan", false), None);
    }

    #[test]
    fn us_places() {
        assert_eq!(
            judge("at the Guernsey County Courthouse", "Guernsey", false),
            Some(NotTheCountry::UsPlace)
        );
        assert_eq!(
            judge("died in Lebanon, Pa. on Monday", "Lebanon", false),
            Some(NotTheCountry::UsPlace)
        );
        assert_eq!(
            judge("fighting in Lebanon, Syria and Iraq", "Lebanon", false),
            None
        );
        assert_eq!(
            judge("according to the city of Turkey.", "Turkey", false),
            Some(NotTheCountry::UsPlace)
        );
        assert_eq!(
            judge("trial.\nLEBANON (AP) - A pathologist", "LEBANON", false),
            Some(NotTheCountry::UsPlace)
        );
        assert_eq!(
            judge("a Lebanon woman accused", "Lebanon", false),
            Some(NotTheCountry::UsPlace)
        );
        assert_eq!(judge("the Lebanon government", "Lebanon", false), None);
    }

    #[test]
    fn people_roads_and_addresses() {
        assert_eq!(
            judge("Officer Monica French said questions", "French", true),
            Some(NotTheCountry::Person)
        );
        assert_eq!(
            judge(
                "redeveloped. BY CHAD KLIMACK Advocate Reporter",
                "CHAD",
                false
            ),
            Some(NotTheCountry::Person)
        );
        assert_eq!(
            judge("the Caddo and Atakapa Indians, then", "Indians", true),
            Some(NotTheCountry::ProperName)
        );
        assert_eq!(
            judge(
                "ministered to the Quiche Indians on the coast",
                "Indians",
                true
            ),
            Some(NotTheCountry::ProperName)
        );
        assert_eq!(
            judge("through which US-24 runs", "US", false),
            Some(NotTheCountry::Road)
        );
        assert_eq!(
            judge(
                "the Rohland Funeral Home, 508 Cumberland St., Lebanon. Entombment",
                "Lebanon",
                false
            ),
            Some(NotTheCountry::UsPlace)
        );
        assert_eq!(
            judge(
                "2008. Michael Smith, 49, Palestine, date of alleged offense",
                "Palestine",
                false
            ),
            Some(NotTheCountry::UsPlace)
        );
        assert_eq!(
            judge(
                "drowning trial . LEBANON (AP) - A forensic pathologist",
                "LEBANON",
                false
            ),
            Some(NotTheCountry::UsPlace)
        );
        assert_eq!(
            judge(
                "annual book sale. MALTA - About 5,000 books",
                "MALTA",
                false
            ),
            Some(NotTheCountry::UsPlace)
        );
        assert_eq!(judge("In 2008, Israel said", "Israel", false), None);
        assert_eq!(judge("The French government said", "French", true), None);
    }

    #[test]
    fn languages_and_styles() {
        for (text, word) in [
            ("Ms. Moayyad spoke only French and Farsi when", "French"),
            ("South Florida in English and Spanish, where", "Spanish"),
            ("to a French immersion Catholic school", "French"),
            ("BGA eighth-grade French students celebrate", "French"),
            ("a French-speaking region", "French"),
            ("she has been studying Portuguese since", "Portuguese"),
        ] {
            assert_eq!(
                judge(text, word, true),
                Some(NotTheCountry::Language),
                "{text}"
            );
        }
        for (text, word) in [
            ("I really like the Italian food", "Italian"),
            ("where you can get Mexican food like taco", "Mexican"),
            ("corn on a stick, and Polish sausage on a stick", "Polish"),
            ("a Westmoreland County Italian grocery store", "Italian"),
            ("with traditional Irish songs by", "Irish"),
            ("celebrate Irish heritage and", "Irish"),
        ] {
            assert_eq!(
                judge(text, word, true),
                Some(NotTheCountry::Style),
                "{text}"
            );
        }
        assert_eq!(
            judge(
                "walk on over to the Greek and Italian Grill's booth",
                "Greek",
                true
            ),
            Some(NotTheCountry::ProperName)
        );
        assert_eq!(judge("French and German troops", "French", true), None);
        assert_eq!(judge("a French national charged", "French", true), None);
        assert_eq!(judge("speaking to French officials", "French", true), None);
        assert_eq!(
            judge(
                "shouted about Aleppo in Turkish, and also yelled",
                "Turkish",
                true
            ),
            Some(NotTheCountry::Language)
        );
        assert_eq!(
            judge("signs in Turkish and Arabic.", "Turkish", true),
            Some(NotTheCountry::Language)
        );
        assert_eq!(judge("ships in Turkish waters", "Turkish", true), None);
        assert_eq!(
            judge("investors in Turkish and Greek banks", "Turkish", true),
            None
        );
    }

    #[test]
    fn proper_names_after_demonyms() {
        assert_eq!(
            judge("the American Legion post", "American", true),
            Some(NotTheCountry::ProperName)
        );
        assert_eq!(
            judge("French Foreign Minister Bernard", "French", true),
            None
        );
        assert_eq!(judge("the American people", "American", true), None);
        assert_eq!(
            judge(
                "On September 2, 1991, Armenian MPs proclaimed",
                "Armenian",
                true
            ),
            None
        );
        assert_eq!(
            judge("A Turkish Protestant official said", "Turkish", true),
            None
        );
        // A national society is an organisation, like the American Legion.
        assert_eq!(
            judge(
                "The American Red Cross Disaster Team arrived",
                "American",
                true
            ),
            Some(NotTheCountry::ProperName)
        );
        // A headline in title case, on a line of its own: every word has a capital.
        assert_eq!(
            judge(
                "Russian-American Crew Blasts Off\n\nThe crew",
                "American",
                true
            ),
            None
        );
        // The same words wrapped inside a paragraph are a name.
        assert_eq!(
            judge(
                "said that\nthe American Red Cross Disaster Team\nhad arrived",
                "American",
                true
            ),
            Some(NotTheCountry::ProperName)
        );
    }
}
