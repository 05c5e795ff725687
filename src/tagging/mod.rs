//! What a document is: its title, its date, the countries and organisations it names,
//! and who issues it.

mod context;
pub mod datelines;
pub mod dates;
pub mod gazetteer;
pub mod issuers;

use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use regex::Regex;

use crate::analysis::indexable;
use dates::{date_in_text, parse_metadata_date, DateSource, DocDate, PartialDate};
use gazetteer::{gazetteer, group, Mention, Named};
use issuers::{Cue, IssuerEvidence};

/// Bumped whenever a change here would tag the same text differently (its title, date,
/// countries, organisations or issuers): an index of unchanged files would otherwise keep
/// the old tags.
pub const TAGGER_VERSION: u32 = 3;

/// Titles longer than this are cut at a word boundary.
const MAX_TITLE_CHARS: usize = 120;
/// A line of more words than this is a paragraph, not a title: the longest title of
/// SciFact's 5,183 papers has 40 words, news summaries run to 90.
const MAX_TITLE_WORDS: usize = 50;

/// Metadata found before the text proper. The body is what is split, indexed and shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub body: Range<usize>,
    pub prefix_date: Option<PartialDate>,
    pub front_matter: Vec<(String, String)>,
    /// The `<title>` of an HTML or XML document.
    pub markup_title: Option<String>,
    /// What the file's own properties say (a PDF's or a Word file's title and dates).
    pub properties: Properties,
}

/// A document's own properties, as its producer wrote them: they lose to the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Properties {
    pub title: Option<String>,
    pub date: Option<PartialDate>,
}

/// What the newsroom's metadata (a metadata file or a name pattern) says of one document.
/// It wins over what dossier reads in the text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Metadata {
    pub title: Option<String>,
    pub date: Option<PartialDate>,
    /// Country codes, as `gazetteer::Entity` stores them.
    pub issuers: Vec<&'static str>,
    /// Country codes, as `gazetteer::Entity` stores them.
    pub countries: Vec<&'static str>,
    /// The date was read from the file name by a name pattern, not listed in a file.
    pub date_from_name: bool,
}

/// Where a tag other than the date came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Read in the document's text.
    Text,
    /// YAML front matter.
    FrontMatter,
    /// A metadata file given to `dossier index --metadata`.
    Metadata,
    /// The `<title>` of an HTML or XML document.
    Markup,
    /// The document's own properties (a PDF's title).
    Properties,
    /// The file's name.
    FileName,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Text => "text",
            Source::FrontMatter => "front-matter",
            Source::Metadata => "metadata",
            Source::Markup => "markup",
            Source::Properties => "document-properties",
            Source::FileName => "file-name",
        }
    }
}

/// A document's tags. Mention spans are byte ranges of the file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tags {
    pub title: String,
    pub title_source: Source,
    pub date: Option<DocDate>,
    /// Countries named, most mentioned first; from metadata they have no mentions.
    pub countries: Vec<Named>,
    pub countries_source: Source,
    /// Organisations named, most mentioned first.
    pub orgs: Vec<Named>,
    /// Codes of the countries that issue the document; empty when unknown.
    pub issuers: Vec<&'static str>,
    pub issuers_source: Source,
    /// Where the text says who issues the document; empty when the issuers come from
    /// metadata. Words outside the title are byte ranges of the file's text.
    pub issuer_evidence: Vec<IssuerEvidence>,
}

/// Reads a leading metadata prefix (` date 2026-03-06 `) or YAML front matter.
pub fn header(text: &str) -> Header {
    static PREFIX: OnceLock<Regex> = OnceLock::new();
    static FRONT_MATTER: OnceLock<Regex> = OnceLock::new();
    let prefix = PREFIX.get_or_init(|| {
        Regex::new(r"\A\u{feff}?[ \t]*date:?[ \t]+(\d{4}-\d{2}-\d{2})(?:[ \t]+|$)").expect("valid")
    });
    let front_matter = FRONT_MATTER.get_or_init(|| {
        Regex::new(r"\A\u{feff}?---[ \t]*\r?\n((?s:.*?))\r?\n---[ \t]*(?:\r?\n|\z)").expect("valid")
    });
    if let Some(caps) = prefix.captures(text) {
        return Header {
            body: caps[0].len()..text.len(),
            prefix_date: PartialDate::parse_iso(&caps[1]).ok(),
            front_matter: Vec::new(),
            markup_title: None,
            properties: Properties::default(),
        };
    }
    if let Some(caps) = front_matter.captures(text) {
        let fields = caps[1]
            .lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(key, value)| (key.trim().to_lowercase(), value.trim().to_string()))
            .filter(|(key, value)| !key.is_empty() && !value.is_empty())
            .collect();
        return Header {
            body: caps[0].len()..text.len(),
            prefix_date: None,
            front_matter: fields,
            markup_title: None,
            properties: Properties::default(),
        };
    }
    // A byte-order mark is not white space to `trim`: left in the body, it would stand
    // before the title and the first passage.
    let bom = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    Header {
        body: bom..text.len(),
        prefix_date: None,
        front_matter: Vec::new(),
        markup_title: None,
        properties: Properties::default(),
    }
}

impl Header {
    fn field(&self, key: &str) -> Option<&str> {
        self.front_matter
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Tags a document. `path` gives a last-resort title and date; `metadata` overrides.
pub fn tag(text: &str, header: &Header, path: &Path, metadata: Option<&Metadata>) -> Tags {
    let body = &text[header.body.clone()];
    let metadata = metadata.cloned().unwrap_or_default();
    let front_title = header
        .field("title")
        .map(|t| clean_title(t.trim_matches(|c| c == '"' || c == '\'')))
        .filter(|t| !t.is_empty());
    let file_stem = path
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
    let (title, title_source) = if let Some(title) = metadata.title.clone() {
        (title, Source::Metadata)
    } else if let Some(title) = front_title {
        (title, Source::FrontMatter)
    } else if let Some(title) = header
        .markup_title
        .as_deref()
        .map(clean_title)
        .filter(|t| !t.is_empty())
    {
        (truncate(&title), Source::Markup)
    } else if let Some(title) = title_from_body(body) {
        (title, Source::Text)
    } else if let Some(title) = header.properties.title.as_deref().map(clean_title) {
        (truncate(&title), Source::Properties)
    } else {
        (file_stem.clone(), Source::FileName)
    };

    // Tags are read in the body; what they point at is kept as byte ranges of the file.
    let in_file = |r: Range<usize>| r.start + header.body.start..r.end + header.body.start;
    let gazetteer = gazetteer();
    let mut mentions = country_mentions(&indexable(body));
    for mention in &mut mentions {
        mention.span = in_file(mention.span.clone());
    }
    let (countries, countries_source) = if metadata.countries.is_empty() {
        (group(&mentions, false), Source::Text)
    } else {
        let listed = metadata.countries.iter().map(|&code| Named {
            code,
            mentions: Vec::new(),
        });
        (listed.collect(), Source::Metadata)
    };
    let (issuers, issuers_source, issuer_evidence) = if metadata.issuers.is_empty() {
        let own_title = title_source != Source::FileName;
        let mut evidence = issuers::issuer_evidence(gazetteer, &title, own_title, body);
        for cited in evidence.iter_mut().filter(|e| e.cue != Cue::Title) {
            cited.words = in_file(cited.words.clone());
        }
        (issuers::issuers(&evidence), Source::Text, evidence)
    } else {
        (metadata.issuers.clone(), Source::Metadata, Vec::new())
    };
    Tags {
        title,
        title_source,
        date: document_date(header, body, &metadata, &file_stem).map(|mut date| {
            date.words = date.words.map(in_file);
            date
        }),
        countries,
        countries_source,
        orgs: group(&mentions, true),
        issuers,
        issuers_source,
        issuer_evidence,
    }
}

/// Every mention of a country or organisation in a document's text. The city of a dateline
/// ("BEIRUT (AP) —") is a place of its own, not a mention of its country: it only says who
/// issues an official statement (see `issuers`).
pub fn country_mentions(text: &str) -> Vec<Mention> {
    gazetteer().mentions(text)
}

fn document_date(
    header: &Header,
    body: &str,
    metadata: &Metadata,
    file_stem: &str,
) -> Option<DocDate> {
    let listed = match metadata.date_from_name {
        true => DateSource::NamePattern,
        false => DateSource::MetadataFile,
    };
    let dated = |source| {
        move |date| DocDate {
            date,
            source,
            words: None,
        }
    };
    header
        .prefix_date
        .map(dated(DateSource::MetadataPrefix))
        .or_else(|| {
            header
                .field("date")
                .and_then(parse_metadata_date)
                .map(dated(DateSource::FrontMatter))
        })
        .or_else(|| metadata.date.map(dated(listed)))
        .or_else(|| date_in_text(body))
        .or_else(|| dates::date_in_file_name(file_stem).map(dated(DateSource::FileName)))
        // Last: a file's creation date is often the day it was converted or saved again,
        // where a date in its name was put there by a person.
        .or_else(|| header.properties.date.map(dated(DateSource::Properties)))
}

/// The first heading, or else the first line that is not a photo credit, a byline or an
/// editorial note. A short top heading followed at once by a subheading ("Japan-Australia"
/// / "Joint Declaration on ...") is joined with it, because neither alone says what the
/// document is; a title wrapped over the lines of its own paragraph is joined up too.
///
/// A speech or a letter has no title in its text: its first sentence greets someone or
/// runs on into the paragraph ("Allow" / "me first, Sir, to congratulate you on your
/// election"), and as a title it would label every result with the same felicitations and
/// lend its words the title's weight in ranking. Such a document gets no title here.
///
/// A first line that is a whole paragraph (a news summary, a proclamation's "Whereas ...")
/// is no title either; a headline on the line after it is.
fn title_from_body(body: &str) -> Option<String> {
    let mut lines = body.lines().map(str::trim);
    let first = lines.find(|line| !is_preamble(line))?;
    if !is_heading(first) && first.split_whitespace().count() > MAX_TITLE_WORDS {
        let next = lines.find(|line| !is_preamble(line))?;
        let headline = clean_title(next);
        let is_headline =
            is_headline(&headline) && !ends_mid_phrase(&headline) && !opens_a_speech(&headline);
        return is_headline.then(|| truncate(&headline));
    }
    let mut title = clean_title(first);
    if is_heading(first) {
        let next = lines.find(|line| !is_preamble(line));
        if let Some(next) = next.filter(|line| is_heading(line)) {
            if title.split_whitespace().count() <= 3 {
                title = format!("{title} {}", clean_title(next));
            }
        }
        return (!title.is_empty()).then(|| truncate(&title));
    }
    let mut paragraph = lines.take_while(|line| !line.is_empty()).peekable();
    let wrapped = paragraph.peek().is_some_and(|next| wraps_on(first, next));
    if wrapped {
        // The whole paragraph, as long as it could be a title wrapped over its lines.
        while let Some(line) = paragraph.next_if(|_| title.chars().count() <= 2 * MAX_TITLE_CHARS) {
            title = format!("{title} {}", clean_title(line));
        }
    }
    // A line of its own may be a title of any kind, a paper's sentence or a news lede
    // ("Persistent LCMV infection is controlled by blockade of type I interferon
    // signaling."). Wrapped over lines, a title is in title case, has no full stop, and
    // ends its paragraph; otherwise it is prose that runs on ("Allow" / "me first"). A line
    // that is no sentence and that more of its paragraph follows is a title only in title
    // case and of more than one word: "Media Release" / "CANBERRA, 4 May 2026 –", not "On
    // behalf of President Tommy" / "Remengesau" or "Exactly" / "40 years ago". Nor does a
    // title stop at "the" or in the middle of a word, wherever its paragraph ends.
    let goes_on = paragraph.peek().is_some();
    let full_stop = ends_with_full_stop(&title);
    let prose = if wrapped {
        goes_on || full_stop || !is_title_case(&title)
    } else {
        let one_word = !title.contains(char::is_whitespace);
        goes_on && !full_stop && (one_word || !is_title_case(&title))
    };
    let title_like = !title.is_empty() && !prose && !ends_mid_phrase(&title);
    (title_like && !opens_a_speech(&title)).then(|| truncate(&title))
}

/// A headline of its own line: four words or more, three of them capitalised words of
/// four letters or more, and no sentence. Not a section heading in capitals ("FOREIGN
/// AFFAIRS") or a page header ("29/09/2015 A/70/PV.16").
fn is_headline(line: &str) -> bool {
    let long_words = line
        .split_whitespace()
        .filter(|word| word.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .count();
    line.split_whitespace().count() >= 4
        && long_words >= 3
        && is_title_case(line)
        && line.contains(char::is_lowercase)
        && !ends_sentence(line)
}

/// True when `title` stops where no title can: after an article, "of", "and" or a
/// possessive ("to address the", "on behalf of"), or in the middle of a word ("As a Vice-").
fn ends_mid_phrase(title: &str) -> bool {
    const OPEN_ENDED: &str = "the|a|an|of|and|or|my|our|your|his|her|its|their";
    let last = title.rsplit(char::is_whitespace).next().unwrap_or_default();
    let last = last.to_lowercase();
    last.ends_with('-') || OPEN_ENDED.split('|').any(|word| word == last)
}

/// True when a first sentence greets its audience ("Mr. President,", "Members of the
/// Congress:", "Thank you very much.") or, at sentence length, speaks in the first or
/// second person ("It gives me great pleasure to", "On behalf of my delegation, I"): the
/// opening of a speech or a letter. A short title may say "we" ("Why we must act"), a
/// title in title case "Our" ("Our Common Agenda"), and "I" is a numeral after a name
/// ("World War I was won") or before a noun ("type I interferon").
fn opens_a_speech(sentence: &str) -> bool {
    // Lists of words separated by "|"; greetings are whole words.
    const GREETINGS: &str = concat!(
        "mr|mrs|madam|mister|sir,|excellency|excellencies|your excellency|your majesty|",
        "your highness|your royal highness|your holiness|dear|ladies and gentlemen|",
        "fellow citizens|fellow-citizens|fellow americans|fellow countrymen|my fellow|",
        "gentleman|gentlemen|thank you|thanks|good morning|good afternoon|good evening|",
        "hello|a very good|brothers and sisters|the president.|the president:|",
        "his excellency|her excellency|h.e.|may i|",
        // Invocations that open a speech.
        "in the name of god|in the name of allah|bismillah|praise be to god",
    );
    /// Whom an opening line ending in ",", ":" or ";" addresses.
    const AUDIENCES: &str = concat!(
        "president|speaker|congress|senate|representatives|members|citizens|excellenc|",
        "gentlemen|colleagues|delegates|friends|assembly|americans|countrymen",
    );
    /// A line of an address list ends with one of these: "President of the 75th Session;".
    const ADDRESS_ENDS: [char; 3] = [',', ':', ';'];
    /// Honorifics before an audience: "Honorable President of the 75th Session".
    const HONORIFICS: &str = "honorable|honourable|hon'ble|hon’ble|distinguished|mdm|madame";
    /// What a speaker finds it to speak: "It is a great honour to", "It is indeed a
    /// privilege".
    const OCCASIONS: &str = "honour|honor|privilege|pleasure";
    /// Pronouns of one who speaks, and those a short title may use too.
    const SPEAKER: &str = "me|my|myself";
    const PRONOUNS: &str = "we|us|our|ourselves|you|your|yours";
    /// What "I" is followed by as a pronoun.
    const FIRST_PERSON_VERBS: &str = concat!(
        "am|was|have|had|would|should|will|shall|wish|want|can|could|must|do|did|",
        "believe|think|know|join|extend|congratulate|welcome|take|bring|come|address|",
        "speak|stand|say|hope|feel|thank|express|convey|associate|recall|begin|also|",
        "first|hereby|sincerely|warmly",
    );
    /// Fewer words than this may be a title that says "we" or "you".
    const SENTENCE_WORDS: usize = 8;
    let listed = |list: &'static str| list.split('|');
    let lower = sentence
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    let greets = listed(GREETINGS).any(|greeting| {
        lower
            .strip_prefix(greeting)
            .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
    });
    let addressed = listed(AUDIENCES).any(|a| lower.contains(a));
    let honours = listed(HONORIFICS).any(|h| {
        lower
            .strip_prefix(h)
            .is_some_and(|rest| rest.starts_with(' '))
    });
    let occasion = lower.strip_prefix("it is ").is_some_and(|rest| {
        rest.split_whitespace()
            .take(5)
            .map(|word| word.trim_matches(|c: char| !c.is_alphabetic()))
            .any(|word| listed(OCCASIONS).any(|o| o == word))
    });
    if greets
        || occasion
        || (honours && addressed)
        || (sentence.ends_with(ADDRESS_ENDS) && addressed)
        || (lower.starts_with("to ") && sentence.ends_with([',', ':', '.']))
    {
        return true;
    }
    let tokens: Vec<&str> = sentence.split_whitespace().collect();
    let long = tokens.len() >= SENTENCE_WORDS;
    tokens.iter().enumerate().any(|(at, token)| {
        let word = token.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’');
        // "I'm", "we're", "you've": the pronoun before the apostrophe.
        let (pronoun, contracted) = match word.split_once(['\'', '’']) {
            Some((pronoun, _)) => (pronoun, true),
            None => (word, false),
        };
        let next = tokens.get(at + 1).copied().unwrap_or_default();
        let next_is_lower = next.starts_with(char::is_lowercase);
        let pronoun_of = |list, word: &str| listed(list).any(|p| p == word);
        if pronoun_of(SPEAKER, pronoun) || (long && pronoun_of(PRONOUNS, pronoun)) {
            return true;
        }
        let folded = pronoun.to_lowercase();
        if at == 0 && (pronoun_of(SPEAKER, &folded) || (long && pronoun_of(PRONOUNS, &folded))) {
            return contracted || next_is_lower;
        }
        // After a name, "I was" is a numeral ("World War I was won"); "Belize I would" is
        // not.
        let next_word = next.trim_matches(|c: char| !c.is_alphanumeric());
        let after_name = at > 1 && {
            let previous = tokens[at - 1];
            previous.starts_with(char::is_uppercase) && previous.ends_with(char::is_alphanumeric)
        };
        let numeral = after_name && matches!(next_word, "was" | "had" | "did" | "is");
        pronoun == "I"
            && !numeral
            && (contracted
                || listed(FIRST_PERSON_VERBS).any(|v| v == next_word)
                || (at == 0 && next_is_lower))
    })
}

/// Every word of four letters or more starts with a capital: "Media Release", "Joint
/// Statement on the Quad", not "On behalf of President Tommy".
fn is_title_case(line: &str) -> bool {
    line.split_whitespace()
        .filter(|word| word.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .all(|word| !word.starts_with(char::is_lowercase))
}

/// True when `line` stops mid-sentence and `next` carries the sentence on: "On behalf of
/// the" / "Government and the people", "Allow" / "me first". A title line followed by a
/// dateline ("Media Release" / "CANBERRA, 4 May 2026 –") is not carried on.
fn wraps_on(line: &str, next: &str) -> bool {
    const FUNCTION_WORDS: &[&str] = &[
        "the", "of", "and", "or", "to", "a", "an", "in", "on", "for", "my", "our", "your", "his",
        "her", "its", "their", "by", "with", "at", "from", "this", "that", "is", "am", "are",
        "was", "be", "as", "upon", "into",
    ];
    if next.is_empty() || ends_sentence(line) || is_heading(next) {
        return false;
    }
    let last_word = line.rsplit(' ').next().unwrap_or_default().to_lowercase();
    line.ends_with(',')
        || FUNCTION_WORDS.contains(&last_word.as_str())
        || next.starts_with(char::is_lowercase)
}

fn ends_sentence(text: &str) -> bool {
    ends_with_full_stop(text) || text.trim_end_matches(CLOSERS).ends_with([':', ';'])
}

/// Quotes and brackets that may close a sentence after its full stop.
const CLOSERS: [char; 6] = ['"', '\'', '”', '’', ')', ']'];

fn ends_with_full_stop(text: &str) -> bool {
    let text = text.trim_end_matches(CLOSERS);
    text.ends_with(['.', '!', '?']) && !text.strip_suffix('.').is_some_and(ends_with_abbreviation)
}

/// The text before a full stop ends with "Mr", "St" or an initial ("F" of "John F.
/// Kennedy", "H.E"): the full stop ends no sentence.
pub(crate) fn ends_with_abbreviation(text: &str) -> bool {
    const ABBREVIATIONS: &str = "Mr|Mrs|Ms|Dr|St|Mt|Messrs|No";
    let word = text.rsplit(char::is_whitespace).next().unwrap_or_default();
    let last = word.rsplit('.').next().unwrap_or_default();
    ABBREVIATIONS.split('|').any(|a| a == last)
        || (last.len() == 1 && last.starts_with(|c: char| c.is_ascii_uppercase()))
}

fn is_heading(line: &str) -> bool {
    line.starts_with('#')
}

/// A photo credit, a byline ("President: Barack Obama"), an editorial note on a line of
/// its own ("[As delivered in person before a joint session]") or a line without a letter
/// (blank, or a page or paragraph number such as "45."): not the title.
fn is_preamble(line: &str) -> bool {
    const LABELS: &str =
        "image:|photo:|picture:|credit:|photo credit:|president:|speaker:|author:|by:|from:";
    let lower = line.to_lowercase();
    LABELS.split('|').any(|label| lower.starts_with(label))
        || (line.starts_with('[') && line.ends_with(']'))
        || !line.contains(char::is_alphabetic)
}

/// Markup out, white space folded: "## **Joint Declaration**" is "Joint Declaration".
fn clean_title(line: &str) -> String {
    let text = indexable(line);
    let text = text.trim_start_matches('#');
    text.replace(['*', '`'], "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_matches(|c: char| c == '_' || c == '|' || c.is_whitespace())
        .to_string()
}

fn truncate(title: &str) -> String {
    if title.chars().count() <= MAX_TITLE_CHARS {
        return title.to_string();
    }
    let cut: String = title.chars().take(MAX_TITLE_CHARS).collect();
    let at_word = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{}…", at_word.trim_end_matches([',', ';', ':', '-', '–']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_prefix_is_not_body() {
        let text = " date 2026-03-06 Image: Aleks Taurus\n\nText.";
        let h = header(text);
        assert_eq!(&text[h.body.clone()], "Image: Aleks Taurus\n\nText.");
        assert_eq!(h.prefix_date.unwrap().to_string(), "2026-03-06");
    }

    #[test]
    fn a_dateline_says_who_issues_a_statement_not_what_it_names() {
        let codes = |text: &str| {
            let tags = tag(text, &header(text), Path::new("release.txt"), None);
            let countries: Vec<&str> = tags.countries.iter().map(|c| c.code).collect();
            (countries, tags.issuers)
        };
        assert_eq!(
            codes("Media Release\n\nCANBERRA, 4 May 2026 – The Prime Minister said"),
            (vec![], vec!["AU"])
        );
        assert_eq!(
            codes("Blast in port\n\nBEIRUT (AP) — Lebanese officials said"),
            (vec!["LB"], vec![])
        );
        assert_eq!(
            codes("Blast in port\n\nBEIRUT (AP) — Officials said"),
            (vec![], vec![])
        );
    }

    #[test]
    fn a_byte_order_mark_is_not_body() {
        let text = "\u{feff}\nHalf a world away.";
        let h = header(text);
        assert_eq!(&text[h.body.clone()], "\nHalf a world away.");
        let tags = tag(text, &h, Path::new("file.txt"), None);
        assert_eq!(tags.title, "Half a world away.");
    }

    #[test]
    fn front_matter_gives_title_and_date() {
        let text = "---\ntitle: \"Joint Statement\"\ndate: 2024-07-01\n---\nBody text here.\n";
        let h = header(text);
        assert_eq!(&text[h.body.clone()], "Body text here.\n");
        let tags = tag(text, &h, Path::new("file.md"), None);
        assert_eq!(tags.title, "Joint Statement");
        assert_eq!(tags.date.as_ref().unwrap().date.to_string(), "2024-07-01");
        assert_eq!(tags.date.as_ref().unwrap().source, DateSource::FrontMatter);
    }

    #[test]
    fn titles_from_headings_and_lines() {
        let body = "\n\n# **Japan-Australia**\n\n## **Joint Declaration on Economic Security**\n\n1. We...";
        assert_eq!(
            title_from_body(body).unwrap(),
            "Japan-Australia Joint Declaration on Economic Security"
        );
        assert_eq!(
            title_from_body("Image: credit\n\nThe real first line.").unwrap(),
            "The real first line."
        );
        assert_eq!(title_from_body("  \n\n"), None);
        // A title line stays a title, whatever follows it.
        assert_eq!(
            title_from_body("Media Release\nCANBERRA, 4 May 2026 – The Prime Minister said")
                .unwrap(),
            "Media Release"
        );
        // A title wrapped over its own paragraph is joined up, and cut if long.
        assert_eq!(
            title_from_body("Joint Statement of the Leaders of Japan, Australia, India and the\nUnited States on Maritime Security, Critical Minerals and\nResilient Supply Chains\n\nThe leaders met.")
                .unwrap(),
            "Joint Statement of the Leaders of Japan, Australia, India and the United States on Maritime Security, Critical Minerals…"
        );
        assert_eq!(
            title_from_body("Joint Statement of the Leaders of the\nQuad on Maritime Security\n\nThe leaders met.")
                .unwrap(),
            "Joint Statement of the Leaders of the Quad on Maritime Security"
        );
    }

    #[test]
    fn a_headline_after_a_summary_paragraph_is_the_title() {
        let summary =
            "Australia’s Prime Minister and the US President have signed an agreement. ".repeat(5);
        let body = format!(
            "{summary}\nAustralia’s PM and Trump Forge Rare Earths Partnership\nIn a landmark move"
        );
        assert_eq!(
            title_from_body(&body).unwrap(),
            "Australia’s PM and Trump Forge Rare Earths Partnership"
        );
        // A second paragraph, a section heading or a page header is no headline.
        for next in [
            "The deal comes amid tensions and follows the pact.",
            "FOREIGN AFFAIRS",
            "16/51 15-29431\n29/09/2015 A/70/PV.16",
        ] {
            let body = format!("{summary}\n\n{next}\nThe deal comes amid tensions.");
            assert_eq!(title_from_body(&body), None, "{next:?}");
        }
        // Up to fifty words, a line of its own is still a title: a paper's or a lede.
        let lede = "The leaders of Japan and Australia signed a declaration. ".repeat(5);
        assert_eq!(
            title_from_body(&format!("{lede}\nIt covers minerals.")),
            Some(truncate(lede.trim()))
        );
    }

    #[test]
    fn speeches_and_letters_have_no_title_in_their_text() {
        let no_title = [
            // UN speeches wrap their first sentence anywhere, and it runs on.
            "Allow \nme first, Sir, to congratulate you on your election to the \npresidency of the General Assembly at its sixtieth \nsession. \n I should like",
            "On behalf of President Tommy\nRemengesau, I bring greetings.",
            "The \nGeneral Assembly meets at a time of crisis.",
            // Greetings and salutations.
            "Mr. President,\n\nIt is an honour.",
            "**MR PRESIDENT,**\n\nIt is an honour.",
            "Thank you very much.\n\nTonight marks",
            "To the Senate and House of Representatives:\nIn addressing my third annual message",
            "To the House of Representatives.\n\nI transmit",
            "Members of the Congress:\n\nThe state of the Union",
            "THE PRESIDENT: Giving all praise.\n\nThank you.",
            // A byline or an editorial note, then a greeting.
            "President: Barack Obama\n\nHello, Connecticut.",
            "[As delivered in person before a joint session]\n\nMr. Speaker, Mr. President:",
            // The first or the second person.
            "It gives me great pleasure to congratulate Ambassador Shihabi.\n\nThe world",
            "I extend to Mr. Illueca the felicitations of Sri Lanka.\n\nThe world",
            "At the outset, I would like to thank the Secretary-General.\n\nThe world",
            "My delegation joins those who congratulated the President.\n\nThe world",
            "I'm delighted to be here in this great Assembly today.\n\nThe world",
            "When I first came to the General Assembly in 2019, I knew little.\n\nThe world",
            "On behalf of the people of Belize I would like to thank the President.\n\nThe",
            // "Mr." ends no sentence: the line wraps on.
            "I congratulate Mr.\nJan Eliasson on his election.\nThe world",
            // Address lists, honorifics and invocations.
            "President of the 75th Session;\nSecretary-General;",
            "His Excellency Mr. Antonio Guterres\n\nThe world",
            "H.E. Philemon Yang, President of the General Assembly\n\nThe world",
            "May I, as Prime\nMinister of Malaysia, offer my congratulations.",
            "In the Name of God, the Compassionate, the Merciful\n\nThe world",
            "Bismillah Rahman-ur-Rahim\n\nThe world",
            "Honorable President of the 75th Session of the United Nations General Assembly\n\nThe",
            "DISTINGUISHED PRESIDENT VOLKAN BOZKIR!\n\nThe world",
            // What it is to speak here.
            "It is a great honour and privilege to be here today.\n\nThe world",
            "It is indeed a particular honour and pleasure to speak.\n\nThe world",
            // A first word that runs on into its paragraph, whatever its case.
            "Exactly\n40 years ago, the two German States joined the United\nNations.",
            "Sri\nLanka congratulates the President on his election.",
            // Lines that stop where no title does, even in a paragraph of their own.
            "It is an honour and a great responsibility to address the\n\nGeneral Assembly.",
            "As a Vice-\n\nPresident of the Assembly, Senegal welcomes the report.",
            // Page and paragraph numbers are skipped, then the speech opens.
            "45.\nIt is a particular pleasure for me to extend to you, Sir, my congratulations.",
            // A whole paragraph on one line, and no headline after it.
            &format!("Whereas {}.\n\nWhereas the Congress has asked", "the Congress resolved ".repeat(17)),
        ];
        for body in no_title {
            assert_eq!(title_from_body(body), None, "{body:?}");
        }
        let titled = [
            // Titles of papers: sentences of their own paragraph, with "I" as a numeral.
            "Persistent LCMV infection is controlled by blockade of type I interferon signaling.\n\nAbstract",
            "Increased CDK1 activity determines the timing of attachments in meiosis I\n\nAbstract",
            "Our Common Agenda\n\nReport of the Secretary-General",
            "I Have a Dream\n\nFive score years ago",
            "We Stand with Ukraine\n\nThe leaders",
            "Remarks at the 79th Session of the United Nations General Assembly\n\nThe world",
            // A news lede, followed at once by more of the story.
            "The leaders of Japan and Australia signed a declaration.\nIt covers minerals.",
            // Words that only begin like greetings, short titles that say "we", and "I"
            // after a name.
            "Excellence in Public Service Awards\n\nThe awards",
            "Thanksgiving Day Proclamation\n\nThe harvest",
            "Distinguished Service Medal citations\n\nFor valour",
            "Why we must act on climate\n\nThe sea is rising",
            "How World War I was won by the Allies in the end\n\nThe war",
        ];
        for body in titled {
            assert_eq!(
                title_from_body(body).as_deref(),
                body.lines().next(),
                "{body:?}"
            );
        }
        let long = "words ".repeat(30);
        let title = title_from_body(&long).unwrap();
        assert!(title.ends_with('…') && title.chars().count() <= MAX_TITLE_CHARS + 1);
    }
}
