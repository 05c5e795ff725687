//! Countries and organisations named in a text, each mention with where it stands.
//!
//! The data lives in `data/`: `countries.tsv` (every ISO 3166-1 country and territory with
//! its names, variants and demonyms), `former-countries.tsv` (states that no longer exist,
//! under their ISO 3166-3 codes, with their successors), `former-codes.tsv` (the old codes of
//! renamed states), `organisations.tsv` (groupings such as the EU, G7
//! and ASEAN), `not-countries.tsv` (phrases that contain a country's name without meaning
//! it: "New Mexico", "Indian Ocean", "Michael Jordan") and `ambiguous.tsv` (names that
//! stand for more than one thing: "Korea", "Congo", "Georgia").
//!
//! Matching is by whole words and longest phrase first, so "Papua New Guinea" is never
//! also "Guinea". It is case-sensitive, so "turkey", "china" and the pronoun "us" are not
//! countries, except that a word written in capitals ("AUSTRALIA") matches the
//! capitalised name. A mention of an ambiguous name counts only when the same text
//! settles it, and the words around a name can say it is a person or a US town
//! (`context.rs`).

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::context::{not_the_country, NotTheCountry};
use crate::analysis::strip_possessive;

const COUNTRIES_TSV: &str = include_str!("../../data/countries.tsv");
const FORMER_COUNTRIES_TSV: &str = include_str!("../../data/former-countries.tsv");
const FORMER_CODES_TSV: &str = include_str!("../../data/former-codes.tsv");
const ORGANISATIONS_TSV: &str = include_str!("../../data/organisations.tsv");
const NOT_COUNTRIES_TSV: &str = include_str!("../../data/not-countries.tsv");
const AMBIGUOUS_TSV: &str = include_str!("../../data/ambiguous.tsv");
const OTHER_SENSES_TSV: &str = include_str!("../../data/other-senses.tsv");

/// What a mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    /// An ISO 3166-1 alpha-2 code, or the ISO 3166-3 four-letter code of a state that no
    /// longer exists ("SUHH").
    Country(&'static str),
    /// A code from `data/organisations.tsv`.
    Organisation(&'static str),
}

/// One place in a text that names a country or an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub entity: Entity,
    /// Byte range of the words that name it.
    pub span: Range<usize>,
    /// Named by a demonym ("French"), not by a name ("France").
    pub demonym: bool,
}

/// A country or organisation with every place a text names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub code: &'static str,
    /// Byte ranges, in order.
    pub mentions: Vec<Range<usize>>,
}

#[derive(Debug, Clone, Copy)]
enum Target {
    Entity(Entity),
    /// A phrase that blocks the shorter names inside it.
    Nothing,
    /// An index into `Gazetteer::ambiguities`.
    Ambiguous(usize),
}

#[derive(Debug)]
struct Phrase {
    words: Vec<String>,
    target: Target,
    /// Matched as a demonym ("French"), not a name ("France").
    demonym: bool,
}

#[derive(Debug)]
struct Ambiguity {
    candidates: Vec<&'static str>,
    cues: Vec<&'static str>,
}

pub struct Gazetteer {
    /// Phrases by their first word (in capitals too), longest first.
    phrases: FxHashMap<String, Vec<Phrase>>,
    ambiguities: Vec<Ambiguity>,
    /// The few first words of phrases that start in lower case ("state of Georgia").
    lowercase_starts: Vec<String>,
    /// Demonyms with the cues of their other sense (`data/other-senses.tsv`).
    demonym_senses: Vec<(&'static str, Vec<&'static str>)>,
}

/// The gazetteer built from the data files compiled into dossier.
pub fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(Gazetteer::load)
}

/// What a user may type for a country or an organisation (`--country Japan`, `--org g7`),
/// lower-cased, with its code. Kept apart from the gazetteer, whose phrases take far longer
/// to build than a one-shot search takes to run.
struct Codes {
    countries: FxHashMap<String, &'static str>,
    organisations: FxHashMap<String, &'static str>,
}

fn codes() -> &'static Codes {
    static CODES: OnceLock<Codes> = OnceLock::new();
    CODES.get_or_init(|| {
        let mut countries = FxHashMap::with_capacity_and_hasher(2048, Default::default());
        for [alpha2, alpha3, names, demonyms] in country_rows() {
            for code in [alpha2, alpha3] {
                countries.insert(lookup_key(code), alpha2);
            }
            for name in list(names).chain(list(demonyms)) {
                countries.entry(lookup_key(name)).or_insert(alpha2);
            }
        }
        for [alpha2, former_codes] in former_code_rows() {
            for code in list(former_codes) {
                countries.insert(lookup_key(code), alpha2);
            }
        }
        for former in former_states() {
            for code in list(former.former_codes).chain([former.code]) {
                countries.insert(lookup_key(code), former.code);
            }
            for name in list(former.names).chain(list(former.demonyms)) {
                countries.entry(lookup_key(name)).or_insert(former.code);
            }
        }
        let mut organisations = FxHashMap::with_capacity_and_hasher(256, Default::default());
        for [code, name, _] in organisation_rows() {
            organisations.insert(lookup_key(code), code);
            organisations.insert(lookup_key(name), code);
        }
        Codes {
            countries,
            organisations,
        }
    })
}

/// The rows of `data/countries.tsv`: alpha-2 code, alpha-3 code, names, demonyms.
fn country_rows() -> impl Iterator<Item = [&'static str; 4]> {
    data_lines(COUNTRIES_TSV).map(|columns| match columns[..] {
        [alpha2, alpha3, names, demonyms] => [alpha2, alpha3, names, demonyms],
        _ => panic!("data/countries.tsv: expected 4 columns in {columns:?}"),
    })
}

/// The rows of `data/former-codes.tsv`: alpha-2 code, former codes.
fn former_code_rows() -> impl Iterator<Item = [&'static str; 2]> {
    data_lines(FORMER_CODES_TSV).map(|columns| match columns[..] {
        [alpha2, former_codes] => [alpha2, former_codes],
        _ => panic!("data/former-codes.tsv: expected 2 columns in {columns:?}"),
    })
}

/// A state that no longer exists (`data/former-countries.tsv`).
#[derive(Debug)]
pub struct FormerState {
    /// The ISO 3166-3 four-letter code ("SUHH").
    pub code: &'static str,
    /// The year it ceased to exist.
    pub until: u16,
    /// The states that took its territory, by the codes dossier stores.
    pub successors: Vec<&'static str>,
    former_codes: &'static str,
    names: &'static str,
    demonyms: &'static str,
}

fn former_states() -> &'static [FormerState] {
    static FORMER: OnceLock<Vec<FormerState>> = OnceLock::new();
    FORMER.get_or_init(|| {
        data_lines(FORMER_COUNTRIES_TSV)
            .map(|columns| match columns[..] {
                [code, former_codes, until, names, demonyms, successors] => FormerState {
                    code,
                    until: until.parse().unwrap_or_else(|_| {
                        panic!("data/former-countries.tsv: bad year {until:?} for {code}")
                    }),
                    successors: list(successors).collect(),
                    former_codes,
                    names,
                    demonyms,
                },
                _ => panic!("data/former-countries.tsv: expected 6 columns in {columns:?}"),
            })
            .collect()
    })
}

/// The state that no longer exists with this stored code, if it is one.
pub fn former_state(code: &str) -> Option<&'static FormerState> {
    former_states().iter().find(|f| f.code == code)
}

/// The common short name of the country with this stored code ("Japan", "Soviet Union").
pub fn country_name(code: &str) -> Option<&'static str> {
    names().countries.get(code).copied()
}

/// Names by code, read from the tables once: counts name every value they show, a few
/// hundred at a time, and a scan of the tables for each was a fifth of a page of counts.
struct Names {
    countries: FxHashMap<&'static str, &'static str>,
    organisations: FxHashMap<&'static str, &'static str>,
}

fn names() -> &'static Names {
    static NAMES: OnceLock<Names> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut countries = FxHashMap::default();
        for [alpha2, _, names, _] in country_rows() {
            if let Some(name) = list(names).next() {
                countries.entry(alpha2).or_insert(name);
            }
        }
        for former in former_states() {
            if let Some(name) = list(former.names).next() {
                countries.insert(former.code, name);
            }
        }
        let mut organisations = FxHashMap::default();
        for [code, name, _] in organisation_rows() {
            organisations.entry(code).or_insert(name);
        }
        Names {
            countries,
            organisations,
        }
    })
}

/// The rows of `data/organisations.tsv`: code, name, variants.
fn organisation_rows() -> impl Iterator<Item = [&'static str; 3]> {
    data_lines(ORGANISATIONS_TSV).map(|columns| match columns[..] {
        [code, name, variants] => [code, name, variants],
        _ => panic!("data/organisations.tsv: expected 3 columns in {columns:?}"),
    })
}

/// The code dossier stores for what a user typed: an alpha-2 or alpha-3 code, a former
/// code, a name or a demonym, in any case. A state that no longer exists has its ISO 3166-3
/// four-letter code ("USSR" and "SUN" are "SUHH"); a renamed one has its current code
/// ("Zaire" and "ZAR" are "CD").
pub fn resolve_country(input: &str) -> Option<&'static str> {
    codes().countries.get(&lookup_key(input)).copied()
}

/// The organisation code for what a user typed: its code or full name, in any case.
pub fn resolve_organisation(input: &str) -> Option<&'static str> {
    codes().organisations.get(&lookup_key(input)).copied()
}

/// The full name of an organisation, for its code.
pub fn organisation_name(code: &str) -> Option<&'static str> {
    names().organisations.get(code).copied()
}

/// A word of a text as the gazetteer compares it: `text` is the word with possessives
/// dropped and curly apostrophes straightened, case kept; `start..end` is where the kept
/// part stands in the text.
#[derive(Debug, Clone)]
pub(crate) struct Word<'a> {
    pub start: usize,
    pub end: usize,
    pub text: Cow<'a, str>,
}

/// The words of `text`. Most have no apostrophe and are borrowed as they are.
fn words(text: &str) -> impl Iterator<Item = Word<'_>> + '_ {
    crate::words::word_indices(text).filter_map(|(start, word)| {
        // A byte test first: ’ and ʼ start with bytes E2 and CA, and most words are ASCII.
        let maybe_apostrophe = word.bytes().any(|b| matches!(b, b'\'' | 0xE2 | 0xCA));
        if !maybe_apostrophe || !word.contains(['\'', '’', 'ʼ']) {
            let end = start + word.len();
            return Some(Word {
                start,
                end,
                text: Cow::Borrowed(word),
            });
        }
        let kept = strip_possessive(word);
        let end = start + kept.len();
        (!kept.is_empty()).then(|| Word {
            start,
            end,
            text: Cow::Owned(kept.replace(['’', 'ʼ'], "'")),
        })
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

fn data_lines(tsv: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    tsv.lines()
        .map(|line| line.trim_end_matches('\r'))
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| line.split('\t').collect::<Vec<_>>())
        // The header row names its columns in lower case.
        .filter(|columns| columns[0] != "code" && columns[0] != "phrase")
}

fn list(column: &'static str) -> impl Iterator<Item = &'static str> {
    column
        .split('|')
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

impl Gazetteer {
    fn load() -> Gazetteer {
        let mut gazetteer = Gazetteer {
            phrases: FxHashMap::default(),
            ambiguities: Vec::new(),
            lowercase_starts: Vec::new(),
            demonym_senses: Vec::new(),
        };
        for [alpha2, _, names, demonyms] in country_rows() {
            let target = Target::Entity(Entity::Country(alpha2));
            for (column, demonym) in [(names, false), (demonyms, true)] {
                for name in list(column) {
                    gazetteer.add_phrase(name, target, demonym);
                }
            }
        }
        for former in former_states() {
            let target = Target::Entity(Entity::Country(former.code));
            for (column, demonym) in [(former.names, false), (former.demonyms, true)] {
                for name in list(column) {
                    gazetteer.add_phrase(name, target, demonym);
                }
            }
        }
        for [code, name, variants] in organisation_rows() {
            for variant in list(variants).chain([name]) {
                gazetteer.add_phrase(variant, Target::Entity(Entity::Organisation(code)), false);
            }
        }
        for columns in data_lines(NOT_COUNTRIES_TSV) {
            gazetteer.add_phrase(columns[0], Target::Nothing, false);
        }
        for columns in data_lines(AMBIGUOUS_TSV) {
            let index = gazetteer.ambiguities.len();
            gazetteer.ambiguities.push(Ambiguity {
                candidates: list(columns[1]).collect(),
                cues: columns.get(2).map_or_else(Vec::new, |c| list(c).collect()),
            });
            gazetteer.add_phrase(columns[0], Target::Ambiguous(index), false);
        }
        for columns in data_lines(OTHER_SENSES_TSV) {
            if columns[0] == "demonym" {
                continue;
            }
            let cues = columns.get(1).map_or_else(Vec::new, |c| list(c).collect());
            gazetteer.demonym_senses.push((columns[0], cues));
        }
        for phrases in gazetteer.phrases.values_mut() {
            // Longest first; among equals the last added wins (blockers and ambiguities
            // come after the names they override).
            phrases.reverse();
            phrases.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
        }
        gazetteer
    }

    fn add_phrase(&mut self, phrase: &str, target: Target, demonym: bool) {
        let words: Vec<String> = words(phrase).map(|w| w.text.into_owned()).collect();
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
                target,
                demonym,
            });
        }
    }

    /// Every mention of a country or organisation in `text`, in order.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        let words: Vec<Word> = words(text).collect();
        let mut mentions = Vec::new();
        let mut unsettled = Vec::new();
        // Names seen standing for a person or a US town here: their bare mentions follow.
        let mut other_senses: Vec<&str> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let Some(phrase) = self.longest_match(&words[i..]) else {
                i += 1;
                continue;
            };
            let end = i + phrase.words.len();
            let span = words[i].start..words[end - 1].end;
            let judged = match phrase.target {
                Target::Entity(Entity::Country(_)) => {
                    not_the_country(text, &words, i, end, phrase.demonym)
                }
                _ => None,
            };
            match phrase.target {
                Target::Entity(Entity::Country(_)) if judged.is_some() => {
                    // A person or a town is one for the whole text; a language, a style or
                    // a firm's name is judged mention by mention.
                    if matches!(judged, Some(NotTheCountry::Person | NotTheCountry::UsPlace)) {
                        other_senses.push(&text[span]);
                    }
                }
                Target::Entity(entity) => mentions.push(Mention {
                    entity,
                    span,
                    demonym: phrase.demonym,
                }),
                Target::Nothing => {}
                Target::Ambiguous(index) => unsettled.push((index, span)),
            }
            i = end;
        }
        if !other_senses.is_empty() {
            mentions.retain(|m| !other_senses.contains(&&text[m.span.clone()]));
        }
        self.drop_other_senses(text, &mut mentions);
        if !unsettled.is_empty() {
            let named: Vec<Entity> = mentions.iter().map(|m| m.entity).collect();
            for (index, span) in unsettled {
                if let Some(code) = self.settle(&self.ambiguities[index], &named, text) {
                    mentions.push(Mention {
                        entity: Entity::Country(code),
                        span,
                        demonym: false,
                    });
                }
            }
            mentions.sort_by_key(|m| m.span.start);
        }
        mentions
    }

    /// Demonyms whose other sense the text cues ("Indian" beside "tribe" or "casino"), when
    /// the text does not also name their country.
    fn drop_other_senses(&self, text: &str, mentions: &mut Vec<Mention>) {
        for (demonym, cues) in &self.demonym_senses {
            let used = |m: &Mention| m.demonym && &text[m.span.clone()] == *demonym;
            let Some(country) = mentions.iter().find(|m| used(m)).map(|m| m.entity) else {
                continue;
            };
            let named = mentions.iter().any(|m| m.entity == country && !m.demonym);
            if !named && cues.iter().any(|cue| contains_words(text, cue)) {
                mentions.retain(|m| !used(m));
            }
        }
    }

    /// The one candidate the text confirms, if exactly one is.
    fn settle(&self, ambiguity: &Ambiguity, named: &[Entity], text: &str) -> Option<&'static str> {
        let cued = ambiguity.cues.iter().any(|cue| text.contains(cue));
        let mut confirmed = ambiguity.candidates.iter().filter(|&&code| {
            named.contains(&Entity::Country(code)) || (cued && ambiguity.candidates.len() == 1)
        });
        match (confirmed.next(), confirmed.next()) {
            (Some(code), None) => Some(code),
            _ => None,
        }
    }

    fn longest_match(&self, words: &[Word]) -> Option<&Phrase> {
        let first = &words[0].text;
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
                    .all(|(phrase_word, text_word)| same_word(&text_word.text, phrase_word))
        })
    }
}

/// True when `phrase` stands in `text` as whole words.
fn contains_words(text: &str, phrase: &str) -> bool {
    let is_word_char = |c: char| c.is_alphanumeric();
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
    })
}

/// A name or code as the look-up tables key it: trimmed, apostrophes straight, lower case.
fn lookup_key(input: &str) -> String {
    let input = input.trim();
    // Most names are ASCII, and building the tables keys some 1,500 of them per search.
    if input.is_ascii() {
        return input.to_ascii_lowercase();
    }
    input.replace(['’', 'ʼ'], "'").to_lowercase()
}

/// Mentions of one kind grouped by code, most mentioned first, ties in order of first
/// mention.
pub fn group(mentions: &[Mention], organisations: bool) -> Vec<Named> {
    let mut named: Vec<Named> = Vec::new();
    for mention in mentions {
        let code = match (mention.entity, organisations) {
            (Entity::Country(code), false) | (Entity::Organisation(code), true) => code,
            _ => continue,
        };
        match named.iter_mut().find(|n| n.code == code) {
            Some(existing) => existing.mentions.push(mention.span.clone()),
            None => named.push(Named {
                code,
                mentions: vec![mention.span.clone()],
            }),
        }
    }
    // A stable sort keeps first-mention order among equal counts.
    named.sort_by_key(|n| std::cmp::Reverse(n.mentions.len()));
    named
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(text: &str) -> Vec<&'static str> {
        let mentions = gazetteer().mentions(text);
        group(&mentions, false)
            .into_iter()
            .map(|c| c.code)
            .collect()
    }

    fn orgs(text: &str) -> Vec<&'static str> {
        let mentions = gazetteer().mentions(text);
        group(&mentions, true).into_iter().map(|c| c.code).collect()
    }

    #[test]
    fn names_variants_demonyms_and_possessives() {
        assert_eq!(codes("Australia’s and Canada's funds"), ["AU", "CA"]);
        assert_eq!(codes("the U.S. and the USA and US policy"), ["US"]);
        assert_eq!(codes("Japanese firms"), ["JP"]);
        assert_eq!(codes("the United Kingdom, the UK and Britain"), ["GB"]);
        assert_eq!(codes("CRITICAL MINERALS: AUSTRALIA"), ["AU"]);
        assert_eq!(codes("Türkiye, Turkey and Czechia"), ["TR", "CZ"]);
        assert_eq!(codes("Côte d’Ivoire and Cote d'Ivoire"), ["CI"]);
        assert_eq!(codes("the Democratic People’s Republic of Korea"), ["KP"]);
        assert_eq!(codes("Emirati and Filipino workers"), ["AE", "PH"]);
    }

    #[test]
    fn lower_case_words_and_groupings_are_not_countries() {
        assert!(codes("let us cook turkey on china plates in the G7 and the EU").is_empty());
        assert!(codes("the chad of a ballot").is_empty());
    }

    #[test]
    fn longest_phrase_wins() {
        assert_eq!(codes("Papua New Guinea"), ["PG"]);
        assert_eq!(codes("Equatorial Guinea and Guinea"), ["GQ", "GN"]);
        assert_eq!(codes("Guinea-Bissau"), ["GW"]);
        assert_eq!(codes("Niger and Nigeria"), ["NE", "NG"]);
        assert_eq!(codes("the Dominican Republic and Dominica"), ["DO", "DM"]);
        assert_eq!(codes("Sudan and South Sudan"), ["SD", "SS"]);
        assert!(codes("New Mexico, New South Wales, New England, the Indian Ocean").is_empty());
        assert!(codes("a Guinea pig in the Indo-Pacific").is_empty());
        assert!(codes("Latin American and South American states").is_empty());
    }

    #[test]
    fn a_place_inside_a_country_does_not_name_it() {
        assert!(codes("deaths in Western Australia and South Australia").is_empty());
        assert!(codes("England, Scotland, Wales and Northern Ireland").is_empty());
        assert!(codes("Gaza, the West Bank, Inner Mongolia and Mount Lebanon").is_empty());
        assert_eq!(
            codes("the United Kingdom of Great Britain and Northern Ireland"),
            ["GB"]
        );
        assert_eq!(codes("the Northern Irish and the Irish"), ["IE"]);
        assert_eq!(codes("aid to the West Bank and Gaza"), ["PS"]);
    }

    #[test]
    fn the_two_congos_and_korea_need_the_text_to_settle_them() {
        assert_eq!(
            codes("the Republic of the Congo and the Democratic Republic of the Congo"),
            ["CG", "CD"]
        );
        assert!(codes("Congo and Korea").is_empty());
        assert_eq!(codes("South Korea said Korea would act"), ["KR"]);
        assert_eq!(codes("North Korea and South Korea: Korea"), ["KP", "KR"]);
    }

    #[test]
    fn georgia_is_the_country_only_with_a_cue() {
        assert!(codes("He grew up in Atlanta, Georgia, and in rural Georgia").is_empty());
        assert!(codes("Georgia passed a new voting law").is_empty());
        assert_eq!(
            codes("Georgia said Russian troops remain in Abkhazia"),
            ["GE", "RU"]
        );
    }

    #[test]
    fn the_americas_and_washington_are_not_the_united_states() {
        assert!(codes("the Americas, Latin America and Central American states").is_empty());
        assert!(codes("George Washington crossed to Washington").is_empty());
        assert_eq!(codes("American troops"), ["US"]);
    }

    #[test]
    fn people_named_like_countries() {
        assert!(codes("Vernon Jordan and Hamilton Jordan met Chad Wolf").is_empty());
        assert_eq!(codes("King Abdullah of Jordan"), ["JO"]);
        assert_eq!(codes("Lebanon, Jordan and Syria"), ["LB", "JO", "SY"]);
        assert_eq!(codes("In Jordan, refugees"), ["JO"]);
        assert_eq!(codes("Aid reached Chad."), ["TD"]);
        // A reporter's byline, then his surname alone.
        assert!(
            codes("by NewsChannel 7 reporter Bill Holland. Holland covered the case").is_empty()
        );
        assert_eq!(codes("Holland beat Spain in the final"), ["NL", "ES"]);
    }

    #[test]
    fn fixed_expressions_and_organisation_names() {
        for text in [
            "French fries and French toast",
            "It's Russian roulette. I cringe",
            "a Turkish bath and Swiss cheese",
            "American Airlines representative Dale",
            "the American Legion's national convention",
            "accomplished African-Americans praised",
            "the Scotch-Irish of North Carolina",
            "the efforts of the Indo-Chinese countries",
            "the SIDS Accelerated Modalities of Action (SAMOA) Pathway",
            "a Delaware Bay beach in S. Jersey.",
            "coordinated attacks at the Stade de France, outside",
        ] {
            assert!(codes(text).is_empty(), "{text}");
        }
        // In a headline in title case every word has a capital: no firm's name there.
        assert_eq!(
            codes("Russian-American Crew Blasts Off\n\nThe crew of three lifted off."),
            ["RU", "US"]
        );
        assert_eq!(
            codes("Strike Grounds American Airlines Flights\n\nPilots walked out."),
            ["US"]
        );
    }

    #[test]
    fn us_towns_named_after_countries() {
        for text in [
            "New Mexico",
            "Mexico, Missouri",
            "Paris, Texas, and Lebanon, Pennsylvania",
            "a farm near Cuba, NY",
            "Jacksonville, Tallahassee, Pensacola, Panama City and Gainesville",
            "Bruce James Hogue, 44, Palestine, date of alleged offense",
            "truck driver, Galen Miller of Palestine, was treated",
        ] {
            assert!(codes(text).is_empty(), "{text}");
        }
        assert_eq!(codes("Israel and Palestine"), ["IL", "PS"]);
        assert_eq!(codes("Panama City, the capital of Panama"), ["PA"]);
    }

    #[test]
    fn roads_named_by_the_country_leave_its_other_mentions() {
        assert!(codes("Farm to Market 678 on U.S. Highway 82, said").is_empty());
        assert!(codes("the counties through which US-24 runs").is_empty());
        assert_eq!(codes("on U.S. Highway 82. The U.S. Army relocates"), ["US"]);
        assert_eq!(codes("one of about 10 U.S. city initiatives"), ["US"]);
    }

    #[test]
    fn state_bodies_stay_countries_and_parties_do_not() {
        assert_eq!(
            codes("Some Palestinian Authority officials in Ramallah"),
            ["PS"]
        );
        assert_eq!(codes("artists from the Russian Empire"), ["RU"]);
        assert!(codes("the United Russia candidate").is_empty());
        assert!(codes("local act Heavy Sandwich playing Irish rock favorites").is_empty());
    }

    #[test]
    fn one_sense_per_text_for_people() {
        assert!(codes("Officer Monica French said. French said the audit").is_empty());
    }

    #[test]
    fn demonyms_whose_other_sense_the_text_cues() {
        assert!(codes("casino job figures. Also, Indian profits can't be taxed").is_empty());
        assert_eq!(codes("India's casino rules: Indian profits"), ["IN"]);
        assert!(codes("Hoosiers are Irish for St. Patrick's Day.").is_empty());
        assert_eq!(codes("Irish voters went to the polls"), ["IE"]);
        // Peoples of Afghanistan and Iraq, unless their namesake country is named too.
        assert_eq!(
            codes("Afghanistan of Tajiks, Uzbeks, Hazaras and Turkmen"),
            ["AF"]
        );
        assert_eq!(codes("Arabs, Kurds and Turkmen in Iraq"), ["IQ"]);
        assert_eq!(codes("Uzbeks and Hazaras; and Uzbekistan"), ["UZ"]);
    }

    #[test]
    fn georgian_state_words_settle_the_country() {
        assert_eq!(
            codes("\"The Georgian authorities are still investigating"),
            ["GE"]
        );
        assert_eq!(
            codes("suspended after the Georgian war. The war in Georgia last August"),
            ["GE"]
        );
        assert_eq!(
            codes(
                "Azerbaijan puts pressure on Georgia and prevents demining. A decision on the \
                 issue will be made, the Georgian Ministry of Defence reports."
            ),
            ["GE", "AZ"]
        );
    }

    #[test]
    fn organisations_are_not_countries() {
        assert_eq!(
            orgs("the G7 and the EU, ASEAN and the African Union (AU)"),
            ["AU", "G7", "EU", "ASEAN"]
        );
        assert!(codes("the African Union (AU)").is_empty());
        // A state legislature is not the UN's General Assembly, nor Georgia the country.
        assert!(orgs("the Indiana General Assembly and the Georgia General Assembly").is_empty());
        assert!(codes("the Georgia General Assembly").is_empty());
        assert_eq!(
            orgs("the UN General Assembly, then the General Assembly"),
            ["UNGA"]
        );
        assert_eq!(orgs("the Peace and Security Council"), ["AU"]);
    }

    #[test]
    fn mentions_carry_their_spans() {
        let text = "Trade with Japan’s ports";
        let mentions = gazetteer().mentions(text);
        assert_eq!(&text[mentions[0].span.clone()], "Japan");
    }

    #[test]
    fn spans_cover_the_original_words() {
        let text = "Côte d’Ivoire’s and Obama’s America’s";
        let spans: Vec<&str> = gazetteer()
            .mentions(text)
            .iter()
            .map(|m| &text[m.span.clone()])
            .collect();
        assert_eq!(spans, ["Côte d’Ivoire", "America"]);
    }

    proptest::proptest! {
        #[test]
        fn mentions_never_panic_and_stay_on_char_boundaries(
            text in "((Jordan|Lebanon|Georgia|America|Côte d’Ivoire|Obama’s|’s|’|, |Pa\\.|County|\\n|[a-zA-Zé’' .,-]{0,6}) ?){0,30}",
        ) {
            for mention in gazetteer().mentions(&text) {
                proptest::prop_assert!(text.is_char_boundary(mention.span.start));
                proptest::prop_assert!(text.is_char_boundary(mention.span.end));
                proptest::prop_assert!(mention.span.start < mention.span.end);
            }
        }
    }

    #[test]
    fn states_that_no_longer_exist_have_codes_of_their_own() {
        for (inputs, code) in [
            (
                &["Soviet Union", "USSR", "SU", "SUN", "suhh", "Soviet"][..],
                "SUHH",
            ),
            (&["Yugoslavia", "YUG", "YU", "Yugoslav"], "YUCS"),
            (&["Czechoslovakia", "CSK", "Czechoslovak"], "CSHH"),
            (
                &[
                    "East Germany",
                    "GDR",
                    "German Democratic Republic",
                    "DDR",
                    "DD",
                ],
                "DDDE",
            ),
            (&["South Yemen", "Democratic Yemen", "YMD"], "YDYE"),
            (&["State Union of Serbia and Montenegro", "SCG"], "CSXX"),
        ] {
            for input in inputs {
                assert_eq!(resolve_country(input), Some(code), "{input}");
            }
        }
        // CS was Czechoslovakia and then Serbia and Montenegro; GE is Georgia again.
        assert_eq!(resolve_country("CS"), None);
        assert_eq!(resolve_country("GE"), Some("GE"));
    }

    #[test]
    fn former_names_of_states_that_still_exist_are_variants() {
        for (input, code) in [
            ("Zaire", "CD"),
            ("ZAR", "CD"),
            ("ZRCD", "CD"),
            ("Kampuchea", "KH"),
            ("Democratic Kampuchea", "KH"),
            ("Upper Volta", "BF"),
            ("HVO", "BF"),
            ("Ceylon", "LK"),
            ("Rhodesia", "ZW"),
            ("Northern Rhodesia", "ZM"),
            ("Burma", "MM"),
            ("BUR", "MM"),
            ("Kazakstan", "KZ"),
            ("Dahomey", "BJ"),
            ("Swaziland", "SZ"),
            ("Byelorussian SSR", "BY"),
            ("West Germany", "DE"),
        ] {
            assert_eq!(resolve_country(input), Some(code), "{input}");
        }
    }

    #[test]
    fn former_codes_never_stand_for_a_current_country() {
        for former in former_states() {
            assert_eq!(former.code.len(), 4, "{}", former.code);
            for code in list(former.former_codes) {
                let current = country_rows().find(|row| row[0] == code || row[1] == code);
                assert!(current.is_none(), "{code} of {} is current", former.code);
            }
            for successor in &former.successors {
                assert!(
                    country_name(successor).is_some(),
                    "{successor} of {}",
                    former.code
                );
            }
        }
        for [alpha2, former_codes] in former_code_rows() {
            for code in list(former_codes) {
                let current = country_rows().find(|row| row[0] == code || row[1] == code);
                assert!(current.is_none(), "{code} of {alpha2} is current");
            }
        }
    }

    #[test]
    fn former_states_are_named_and_linked_to_their_successors() {
        assert_eq!(country_name("SUHH"), Some("Soviet Union"));
        assert_eq!(country_name("CSHH"), Some("Czechoslovakia"));
        assert_eq!(country_name("JP"), Some("Japan"));
        assert_eq!(country_name("XX"), None);
        let ussr = former_state("SUHH").unwrap();
        assert_eq!(ussr.until, 1991);
        assert_eq!(ussr.successors.len(), 15);
        assert!(ussr.successors.contains(&"RU") && ussr.successors.contains(&"UA"));
        assert_eq!(former_state("CSHH").unwrap().successors, ["CZ", "SK"]);
        assert_eq!(former_state("CSXX").unwrap().successors, ["ME", "RS"]);
        assert!(former_state("RU").is_none());
    }

    #[test]
    fn a_1985_speech_names_the_soviet_union_apart_from_russia() {
        let speech = "On behalf of the Soviet leadership and on behalf of all the Soviet \
                      people, we convey our condolences to Mexico. The Union of Soviet \
                      Socialist Republics and the USSR delegation welcome the German \
                      Democratic Republic, Czechoslovakia and the Socialist Federal Republic \
                      of Yugoslavia. Democratic Kampuchea, Zaire and Upper Volta spoke.";
        assert_eq!(
            codes(speech),
            ["SUHH", "MX", "DDDE", "CSHH", "YUCS", "KH", "CD", "BF"]
        );
        assert_eq!(codes("Soviet troops left Afghanistan"), ["SUHH", "AF"]);
        assert_eq!(codes("East Germany and West Germany"), ["DDDE", "DE"]);
        assert_eq!(codes("South Yemen and Yemen"), ["YDYE", "YE"]);
    }

    #[test]
    fn former_names_do_not_tag_what_they_are_not() {
        // "Union" alone is no state, and the post-Soviet space is not the Soviet Union.
        assert!(codes("the Union and the European Union of the post-Soviet space").is_empty());
        assert_eq!(codes("the African Union"), Vec::<&str>::new());
        // After 2006 "Serbia and Montenegro" are two states.
        assert_eq!(codes("Serbia and Montenegro signed"), ["RS", "ME"]);
        assert_eq!(codes("the State Union of Serbia and Montenegro"), ["CSXX"]);
        assert!(codes("the Zaire River and the Federation of Rhodesia and Nyasaland").is_empty());
        assert_eq!(codes("the former Yugoslav Republic of Macedonia"), ["MK"]);
    }

    #[test]
    fn users_may_type_codes_or_names() {
        for input in ["JP", "jp", "JPN", "Japan", "japan", "Japanese"] {
            assert_eq!(resolve_country(input), Some("JP"), "{input}");
        }
        assert_eq!(resolve_country("Narnia"), None);
        assert_eq!(resolve_organisation("g7"), Some("G7"));
        assert_eq!(resolve_organisation("European Union"), Some("EU"));
    }
}
