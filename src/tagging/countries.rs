//! Countries named in a text, as ISO 3166-1 alpha-2 codes, most mentioned first.
//!
//! Names, variants and demonyms come from `data/countries.tsv`; phrases that contain a
//! country's name without meaning the country ("New Mexico", "Indian Ocean", "Latin
//! America") come from `data/not-countries.tsv`. Matching is by whole words and longest
//! phrase first, so "Papua New Guinea" is never also "Guinea". It is case-sensitive, so
//! "turkey", "china" and the pronoun "us" are not countries, except that a word written
//! in capitals ("AUSTRALIA") matches the capitalised name.

use std::borrow::Cow;
use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

use unicode_segmentation::UnicodeSegmentation;

const COUNTRIES_TSV: &str = include_str!("../../data/countries.tsv");
const NOT_COUNTRIES_TSV: &str = include_str!("../../data/not-countries.tsv");

/// How often a text names one country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryCount {
    pub code: &'static str,
    pub mentions: usize,
    /// Byte offset of the first mention, to order ties by first appearance.
    pub first: usize,
}

#[derive(Debug)]
struct Country {
    alpha2: &'static str,
    alpha3: &'static str,
    name: &'static str,
}

/// A phrase that names a country (`code`) or, for the blockers, nothing.
#[derive(Debug)]
struct Phrase {
    words: Vec<String>,
    code: Option<&'static str>,
}

pub struct Gazetteer {
    countries: Vec<Country>,
    /// Phrases by their first word (in capitals too), longest first.
    phrases: FxHashMap<String, Vec<Phrase>>,
    /// Lower-cased codes, names and demonyms, for resolving what a user types.
    lookup: HashMap<String, &'static str>,
    /// The few first words of phrases that start in lower case ("state of Georgia").
    lowercase_starts: Vec<String>,
}

/// The gazetteer built from the data files compiled into dossier.
pub fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(|| Gazetteer::parse(COUNTRIES_TSV, NOT_COUNTRIES_TSV))
}

/// A text's words as the gazetteer compares them: UAX#29 words, possessives dropped,
/// curly apostrophes straightened, case kept. Most words have no apostrophe and are
/// borrowed as they are.
fn words(text: &str) -> impl Iterator<Item = (usize, Cow<'_, str>)> + '_ {
    text.unicode_word_indices().filter_map(|(offset, word)| {
        if !word.contains(['\'', '’', 'ʼ']) {
            return Some((offset, Cow::Borrowed(word)));
        }
        let word = word.replace(['’', 'ʼ'], "'");
        let word = word
            .strip_suffix("'s")
            .or_else(|| word.strip_suffix("'S"))
            .unwrap_or(&word)
            .trim_end_matches('\'')
            .to_string();
        (!word.is_empty()).then_some((offset, Cow::Owned(word)))
    })
}

fn is_all_caps(word: &str) -> bool {
    word.chars().any(char::is_alphabetic) && !word.chars().any(char::is_lowercase)
}

/// Does the text's word stand for the gazetteer's word? Exact, or in capitals.
fn same_word(text_word: &str, phrase_word: &str) -> bool {
    text_word == phrase_word
        || (is_all_caps(text_word)
            && !is_all_caps(phrase_word)
            && text_word.chars().count() > 2
            && text_word == phrase_word.to_uppercase())
}

impl Gazetteer {
    fn parse(countries_tsv: &'static str, not_countries_tsv: &'static str) -> Gazetteer {
        let mut gazetteer = Gazetteer {
            countries: Vec::new(),
            phrases: FxHashMap::default(),
            lookup: HashMap::new(),
            lowercase_starts: Vec::new(),
        };
        for line in data_lines(countries_tsv) {
            let columns: Vec<&'static str> = line.split('\t').collect();
            let [alpha2, alpha3, names, demonyms] = columns[..] else {
                panic!("data/countries.tsv: expected 4 columns in {line:?}");
            };
            let names: Vec<&'static str> = names.split('|').filter(|n| !n.is_empty()).collect();
            gazetteer.countries.push(Country {
                alpha2,
                alpha3,
                name: names.first().copied().unwrap_or(alpha2),
            });
            for code in [alpha2, alpha3] {
                gazetteer.lookup.insert(code.to_lowercase(), alpha2);
            }
            for name in names.iter().chain(
                demonyms
                    .split('|')
                    .filter(|d| !d.is_empty())
                    .collect::<Vec<_>>()
                    .iter(),
            ) {
                gazetteer
                    .lookup
                    .entry(name.to_lowercase())
                    .or_insert(alpha2);
                gazetteer.add_phrase(name, Some(alpha2));
            }
        }
        for line in data_lines(not_countries_tsv) {
            let phrase = line.split('\t').next().unwrap_or(line);
            gazetteer.add_phrase(phrase, None);
        }
        for phrases in gazetteer.phrases.values_mut() {
            phrases.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
        }
        gazetteer
    }

    fn add_phrase(&mut self, phrase: &str, code: Option<&'static str>) {
        let words: Vec<String> = words(phrase).map(|(_, w)| w.into_owned()).collect();
        let Some(first) = words.first() else { return };
        if first.starts_with(char::is_lowercase) && !self.lowercase_starts.contains(first) {
            self.lowercase_starts.push(first.clone());
        }
        let mut keys = vec![first.clone()];
        if !is_all_caps(first) {
            keys.push(first.to_uppercase());
        }
        for key in keys {
            self.phrases.entry(key).or_default().push(Phrase {
                words: words.clone(),
                code,
            });
        }
    }

    /// Countries named in `text`, most mentioned first, ties in order of first mention.
    pub fn countries_in(&self, text: &str) -> Vec<CountryCount> {
        let words: Vec<(usize, Cow<str>)> = words(text).collect();
        let mut counts: HashMap<&'static str, CountryCount> = HashMap::new();
        let mut i = 0;
        while i < words.len() {
            let Some(matched) = self.longest_match(&words[i..]) else {
                i += 1;
                continue;
            };
            if let Some(code) = matched.code {
                let count = counts.entry(code).or_insert(CountryCount {
                    code,
                    mentions: 0,
                    first: words[i].0,
                });
                count.mentions += 1;
            }
            i += matched.words.len();
        }
        let mut counts: Vec<CountryCount> = counts.into_values().collect();
        counts.sort_by_key(|c| (std::cmp::Reverse(c.mentions), c.first));
        counts
    }

    fn longest_match(&self, words: &[(usize, Cow<str>)]) -> Option<&Phrase> {
        let first = &words[0].1;
        // Nearly every phrase starts with a capital: most words need no lookup at all.
        if first.starts_with(char::is_lowercase)
            && !self.lowercase_starts.iter().any(|w| w == first)
        {
            return None;
        }
        let candidates = self.phrases.get(first.as_ref())?;
        candidates.iter().find(|phrase| {
            phrase.words.len() <= words.len()
                && phrase
                    .words
                    .iter()
                    .zip(words)
                    .all(|(phrase_word, (_, text_word))| same_word(text_word, phrase_word))
        })
    }

    /// The alpha-2 code for what a user typed: a code (alpha-2 or alpha-3), a name or a
    /// demonym, in any case.
    pub fn resolve(&self, input: &str) -> Option<&'static str> {
        let key = input.trim().replace(['’', 'ʼ'], "'").to_lowercase();
        self.lookup.get(&key).copied()
    }

    /// The common short name of the country with this alpha-2 code.
    pub fn name(&self, alpha2: &str) -> Option<&'static str> {
        self.countries
            .iter()
            .find(|c| c.alpha2 == alpha2)
            .map(|c| c.name)
    }

    /// The alpha-3 code of the country with this alpha-2 code.
    pub fn alpha3(&self, alpha2: &str) -> Option<&'static str> {
        self.countries
            .iter()
            .find(|c| c.alpha2 == alpha2)
            .map(|c| c.alpha3)
    }
}

fn data_lines(tsv: &'static str) -> impl Iterator<Item = &'static str> {
    tsv.lines()
        .map(|line| line.trim_end_matches('\r'))
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .filter(|line| !line.starts_with("code\t"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<&'static str> {
        gazetteer()
            .countries_in(text)
            .into_iter()
            .map(|c| c.code)
            .collect()
    }

    #[test]
    fn names_variants_demonyms_and_possessives() {
        assert_eq!(codes("Australia’s and Canada's funds"), ["AU", "CA"]);
        assert_eq!(codes("the U.S. and the USA and US policy"), ["US"]);
        assert_eq!(codes("Japanese firms"), ["JP"]);
        assert_eq!(codes("the United Kingdom, the UK and Britain"), ["GB"]);
        assert_eq!(codes("CRITICAL MINERALS: AUSTRALIA"), ["AU"]);
    }

    #[test]
    fn lower_case_words_and_groupings_are_not_countries() {
        assert!(codes("let us cook turkey on china plates in the G7 and the EU").is_empty());
    }

    #[test]
    fn longest_phrase_wins() {
        assert_eq!(codes("Papua New Guinea"), ["PG"]);
        assert_eq!(codes("Equatorial Guinea and Guinea"), ["GQ", "GN"]);
        assert_eq!(codes("Niger and Nigeria"), ["NE", "NG"]);
        assert_eq!(codes("the Dominican Republic and Dominica"), ["DO", "DM"]);
        assert!(codes("New Mexico and New South Wales and the Indian Ocean").is_empty());
    }

    #[test]
    fn most_mentioned_first() {
        assert_eq!(codes("China. Japan. Japan."), ["JP", "CN"]);
    }

    #[test]
    fn users_may_type_codes_or_names() {
        let g = gazetteer();
        for input in ["JP", "jp", "JPN", "Japan", "japan"] {
            assert_eq!(g.resolve(input), Some("JP"), "{input}");
        }
        assert_eq!(g.resolve("Narnia"), None);
        assert_eq!(g.name("JP"), Some("Japan"));
    }
}
