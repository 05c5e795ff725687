//! The words around a country's name that say it is not the country: a person ("Vernon
//! Jordan", "Chad Walker"), a US town ("Lebanon, Pa.", "Guernsey County", "Malta Road"),
//! or the proper name of a firm, club or dish ("American Legion", "British Airways",
//! "Italian Grill"). One sense per text: once a name is seen to be a person or a town, its
//! other bare mentions in the same text are taken the same way.

use super::gazetteer::Word;

/// Country names that are also first or last names.
const PERSON_PRONE: &[&str] = &["Jordan", "Chad", "Georgia", "India", "Israel"];

/// Country names that are common first names: followed by a capitalised word, a person.
const FIRST_NAMES: &[&str] = &["Jordan", "Chad"];

/// Capitalised words that may stand before a country without making it a person.
const FUNCTION_WORDS: &[&str] = &[
    "The",
    "In",
    "Of",
    "And",
    "For",
    "To",
    "From",
    "With",
    "At",
    "By",
    "On",
    "As",
    "About",
    "Between",
    "Both",
    "Neither",
    "Nor",
    "Or",
    "But",
    "Like",
    "Unlike",
    "Including",
    "Visit",
    "Against",
];

/// After a demonym these keep it the country's: "French Foreign Minister", "Chinese
/// President", "British Army". Any other capitalised word makes a proper name of something
/// else: "American Legion", "British Airways", "Egyptian Cup".
const STATE_WORDS: &[&str] = &[
    "President",
    "Prime",
    "Premier",
    "Foreign",
    "Minister",
    "Ministry",
    "Defence",
    "Defense",
    "Government",
    "Ambassador",
    "Embassy",
    "Consulate",
    "Army",
    "Navy",
    "Air",
    "Armed",
    "Military",
    "Coast",
    "Parliament",
    "Senate",
    "Congress",
    "King",
    "Queen",
    "Crown",
    "Chancellor",
    "Secretary",
    "Deputy",
    "Vice",
    "Interior",
    "Finance",
    "Trade",
    "Economy",
    "Central",
    "Supreme",
    "State",
    "Federal",
    "National",
    "Republic",
];

/// After a country's name these make it a place or body in the United States: "Guernsey
/// County", "Malta Road", "Lebanon Police", "Jordan Elementary".
const US_PLACE_WORDS: &[&str] = &[
    "County",
    "Township",
    "Road",
    "Rd",
    "Street",
    "St",
    "Avenue",
    "Ave",
    "Boulevard",
    "Blvd",
    "Lane",
    "Drive",
    "Elementary",
    "High",
    "Middle",
    "Police",
    "Fire",
    "Creek",
    "Junior",
    "Juniors",
    "Borough",
    "Village",
    "Schools",
    "Hubmen",
    "Civic",
    "Independent",
    "Memorial",
    "Municipal",
    "Community",
    "Public",
    "Service",
];

/// After a country's name these make it a US town: "a Lebanon woman", "the Jordan
/// resident", "the Palestine city limits". The country would take its demonym.
const TOWN_NOUNS: &[&str] = &[
    "resident",
    "residents",
    "woman",
    "man",
    "native",
    "couple",
    "teen",
    "teenager",
    "girl",
    "boy",
    "motorcyclist",
    "city",
    "township",
    "mayor",
    "police",
];

/// US states and their AP abbreviations, as words: "Lebanon, Pa." is a town.
const US_STATES: &[&str] = &[
    "Alabama",
    "Alaska",
    "Arizona",
    "Arkansas",
    "California",
    "Colorado",
    "Connecticut",
    "Delaware",
    "Florida",
    "Hawaii",
    "Idaho",
    "Illinois",
    "Indiana",
    "Iowa",
    "Kansas",
    "Kentucky",
    "Louisiana",
    "Maine",
    "Maryland",
    "Massachusetts",
    "Michigan",
    "Minnesota",
    "Mississippi",
    "Missouri",
    "Montana",
    "Nebraska",
    "Nevada",
    "New",
    "North",
    "Ohio",
    "Oklahoma",
    "Oregon",
    "Pennsylvania",
    "Rhode",
    "South",
    "Tennessee",
    "Texas",
    "Utah",
    "Vermont",
    "Virginia",
    "Washington",
    "West",
    "Wisconsin",
    "Wyoming",
    "Ala",
    "Ariz",
    "Ark",
    "Calif",
    "Colo",
    "Conn",
    "Del",
    "Fla",
    "Ga",
    "Ill",
    "Ind",
    "Kan",
    "Ky",
    "La",
    "Md",
    "Mass",
    "Mich",
    "Minn",
    "Miss",
    "Mo",
    "Mont",
    "Neb",
    "Nev",
    "N.H",
    "N.J",
    "N.M",
    "N.Y",
    "N.C",
    "N.D",
    "Okla",
    "Ore",
    "Pa",
    "R.I",
    "S.C",
    "S.D",
    "Tenn",
    "Vt",
    "Va",
    "Wash",
    "W.Va",
    "Wis",
    "Wyo",
    "AL",
    "AZ",
    "CA",
    "FL",
    "GA",
    "IL",
    "NY",
    "OH",
    "PA",
    "TX",
    "VA",
];

/// Why a mention is not its country, if it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotTheCountry {
    Person,
    UsPlace,
    ProperName,
}

/// The words of a text, as the gazetteer splits them.
pub type Words<'a> = [Word<'a>];

fn capitalised(word: &str) -> bool {
    word.starts_with(char::is_uppercase) && word.chars().any(char::is_lowercase)
}

/// True when word `i` follows word `i - 1` with a single space between them.
fn joined(text: &str, words: &Words, i: usize) -> bool {
    match (i.checked_sub(1).and_then(|p| words.get(p)), words.get(i)) {
        (Some(previous), Some(word)) => &text[previous.end..word.start] == " ",
        _ => false,
    }
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
    let name = words[first].text.as_ref();
    let single = end == first + 1;
    let next = joined(text, words, end).then(|| words[end].text.as_ref());
    if single && PERSON_PRONE.contains(&name) {
        if joined(text, words, first) {
            let previous = words[first - 1].text.as_ref();
            if capitalised(previous)
                && !FUNCTION_WORDS.contains(&previous)
                && !starts_sentence(text, words[first - 1].start)
            {
                return Some(NotTheCountry::Person);
            }
        }
        if FIRST_NAMES.contains(&name)
            && next.is_some_and(|n| {
                capitalised(n) && !FUNCTION_WORDS.contains(&n) && !US_PLACE_WORDS.contains(&n)
            })
        {
            return Some(NotTheCountry::Person);
        }
    }
    if let Some(next) = next {
        if demonym && capitalised(next) && !STATE_WORDS.contains(&next) {
            return Some(NotTheCountry::ProperName);
        }
        if !demonym && (US_PLACE_WORDS.contains(&next) || TOWN_NOUNS.contains(&next)) {
            return Some(NotTheCountry::UsPlace);
        }
    }
    // "the city of Turkey", "Town of Malta".
    if !demonym && first >= 2 && joined(text, words, first) && joined(text, words, first - 1) {
        let place = words[first - 2].text.to_lowercase();
        if words[first - 1].text == "of"
            && matches!(place.as_str(), "city" | "town" | "township" | "village")
        {
            return Some(NotTheCountry::UsPlace);
        }
    }
    // A local paper's dateline: "LEBANON (AP) -", "MALTA - About 5,000 books". Abroad the
    // dateline names a city ("BEIRUT (AP)"), so a country there is a US town.
    // Only the gap since the previous word is looked at: a text may be one huge line.
    let gap_start = first.checked_sub(1).map_or(0, |p| words[p].end);
    let gap = &text[gap_start..words[first].start];
    let opens_line = match gap.rfind('\n') {
        Some(newline) => gap[newline..].trim().is_empty(),
        None => first == 0 && gap.trim().is_empty(),
    };
    let after = &text[words[end - 1].end..];
    if !demonym
        && opens_line
        && words[first..end]
            .iter()
            .all(|w| !w.text.chars().any(char::is_lowercase))
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
        if between == ", " && US_STATES.contains(&state.text.as_ref()) {
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
    }
}
