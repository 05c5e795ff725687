//! Who issues a document, as opposed to every country it mentions.
//!
//! Only what the document says of itself counts: a title that names a statement and its
//! parties ("Japan-Australia Joint Declaration", "Joint Statement by Canada and Mexico"),
//! an opening "We, the Prime Ministers of Japan and Australia", the first sentence of a
//! speech that has no title ("On behalf of the Government and the people of Tuvalu"),
//! signature blocks ("For the Government of Japan"), and the dateline of an official
//! statement ("CANBERRA, 4 May 2026 –" on a media release). Otherwise the issuer is
//! unknown, never guessed from the countries a text mentions most.

use std::ops::Range;
use std::sync::OnceLock;

use regex::Regex;

use super::datelines::dateline;
use super::ends_with_abbreviation;
use super::gazetteer::{Entity, Gazetteer};

/// What in a document says who issues it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// A title that names a statement and its parties: "Japan-Australia Joint Declaration".
    Title,
    /// An opening "We, the Prime Ministers of Japan and Australia", or a first sentence
    /// that delivers "the statement of Saudi Arabia".
    Opening,
    /// A signature block: "For the Government of Japan".
    Signature,
    /// The dateline of an official statement: "CANBERRA, 4 May 2026 –".
    Dateline,
}

impl Cue {
    pub fn as_str(self) -> &'static str {
        match self {
            Cue::Title => "title",
            Cue::Opening => "opening",
            Cue::Signature => "signature",
            Cue::Dateline => "dateline",
        }
    }
}

/// Words of a document that say who issues it, and the countries they name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerEvidence {
    pub cue: Cue,
    /// Byte range of the words: in the title for [`Cue::Title`], in the body otherwise.
    pub words: Range<usize>,
    /// Alpha-2 codes, in the order the words name them.
    pub codes: Vec<&'static str>,
}

/// Words for who speaks as a country in an opening "We, the Prime Ministers of ...":
/// leaders, governments, the people, or the state itself ("We, the Federal Republic of
/// Germany").
const SPEAKERS: &[&str] = &[
    "people",
    "peoples",
    "citizens",
    "nation",
    "nations",
    "government",
    "governments",
    "leader",
    "leaders",
    "head",
    "heads",
    "president",
    "presidents",
    "minister",
    "ministers",
    "premier",
    "premiers",
    "chancellor",
    "chancellors",
    "king",
    "queen",
    "emir",
    "sultan",
    "representative",
    "representatives",
    "delegation",
    "delegations",
    "parliament",
    "parliaments",
    "state",
    "states",
    "republic",
    "kingdom",
    "federation",
    "union",
];

/// Countries that issue the document, in the order the document names them.
pub fn issuers(evidence: &[IssuerEvidence]) -> Vec<&'static str> {
    let mut codes = Vec::new();
    for code in evidence.iter().flat_map(|e| &e.codes) {
        if !codes.contains(code) {
            codes.push(*code);
        }
    }
    codes
}

/// Every place where the document says who issues it: the title first, then the body.
/// `own_title` is false when the title is only the file's name: the document has none.
pub fn issuer_evidence(
    gazetteer: &Gazetteer,
    title: &str,
    own_title: bool,
    body: &str,
) -> Vec<IssuerEvidence> {
    static STATEMENT: OnceLock<Regex> = OnceLock::new();
    static WE_THE: OnceLock<Regex> = OnceLock::new();
    static SIGNED_FOR: OnceLock<Regex> = OnceLock::new();
    static ON_BEHALF: OnceLock<Regex> = OnceLock::new();
    let statement = STATEMENT.get_or_init(|| {
        Regex::new(concat!(
            r"(?i)\b(?:joint\s+)?(?:declaration|statement|communiqu[eé]|(?:press|media)\s+release|readout|",
            r"memorandum|agreement|treaty|action\s+plan|leaders'?\s+statement)\b",
            // Parties are names: "by Canada", "of the Republic of Korea", not "by conveying".
            r"(?:\s+(?:by|between|of|from)\s+(?P<parties>(?-i:(?:[Tt]he\s+)?\p{Lu})[^:;(]*?))?",
            r"(?:\s+(?:on|regarding|concerning|about|for|at|in)\b|[:;(]|$)"
        ))
        .expect("valid")
    });
    let we_the = WE_THE.get_or_init(|| {
        Regex::new(
            r"(?m)^[\W\d]*We,\s+the\s+(?P<role>[\w\s-]+?)\s+of\s+(?P<parties>[^,.;:]+(?:,\s*[^,.;:]+)*?)\s*,\s*(?:[a-z])",
        )
        .expect("valid")
    });
    let on_behalf = ON_BEHALF.get_or_init(|| {
        Regex::new(concat!(
            r"(?i:\bon\s+behalf\s+of|\b(?:deliver|read|make|present)\w*\s+(?:out\s+)?the\s+statement\s+of)",
            // "the Government and the people of" and the like lead to the name; "the
            // Republic of Korea" is the name.
            r"\s+(?i:the\s+)?(?i:(?:government|people|delegation|president|prime\s+minister)\b[\w\s]*?\bof\s+(?:the\s+)?)?",
            r"(?P<party>\p{Lu}[^,.;:]{0,80})",
        ))
        .expect("valid")
    });
    let signed_for = SIGNED_FOR.get_or_init(|| {
        Regex::new(r"(?m)^[\W_]*For\s+(?:the\s+)?(?P<party>[^\n]{2,60}?)[\W_]*$").expect("valid")
    });

    let mut found = Vec::new();
    let mut cite = |cue, words: Range<usize>, codes: Vec<&'static str>| {
        if !codes.is_empty() {
            found.push(IssuerEvidence { cue, words, codes });
        }
    };
    let is_statement = statement.is_match(title)
        || body
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .take(3)
            .any(|line| line.len() < 80 && statement.is_match(line));
    if let Some(caps) = statement.captures(title) {
        let whole = caps.get(0).expect("group 0");
        // Parties before the statement word ("Japan-Australia Joint Declaration") or in
        // its "by"/"between" clause.
        let parties = caps.name("parties").map_or("", |p| p.as_str());
        let codes = countries(gazetteer, &[&title[..whole.start()], parties]);
        cite(Cue::Title, 0..title.len(), codes);
    } else if !own_title {
        // A speech has no title, but its first sentence may say for whom it speaks: "On
        // behalf of the Government and the people of Tuvalu", "It honours me to deliver
        // the statement of Saudi Arabia". The words must start with a country's name, and
        // only that country speaks: "on behalf of the Group of 77 and China" is not
        // China's, and in "of Malta express our solidarity with India" India listens.
        let first = first_sentence(body);
        if let Some(caps) = on_behalf.captures(&body[first.clone()]) {
            let party = caps.name("party").expect("party");
            let speaker = gazetteer.mentions(party.as_str()).into_iter().next();
            if let Some(speaker) = speaker.filter(|m| !m.demonym && m.span.start == 0) {
                if let Entity::Country(code) = speaker.entity {
                    let start = first.start + caps.get(0).expect("group 0").start();
                    let end = first.start + party.start() + speaker.span.end;
                    cite(Cue::Opening, start..end, vec![code]);
                }
            }
        }
    }
    // "We, the people of Israel", not "We, the friends of Taiwan".
    let speaks_for = |role: &str| {
        role.split_whitespace()
            .any(|word| SPEAKERS.contains(&word.to_lowercase().as_str()))
    };
    if let Some(caps) = we_the.captures(body).filter(|c| speaks_for(&c["role"])) {
        let (whole, parties) = (
            caps.get(0).expect("group 0"),
            caps.name("parties").expect("parties"),
        );
        let start = whole.start() + whole.as_str().find("We,").unwrap_or(0);
        let codes = countries(gazetteer, &[parties.as_str()]);
        cite(Cue::Opening, start..parties.end(), codes);
    }
    for caps in signed_for.captures_iter(body) {
        let (whole, signed) = (
            caps.get(0).expect("group 0"),
            caps.name("party").expect("party"),
        );
        let words = whole.start() + whole.as_str().find("For").unwrap_or(0)..signed.end();
        let party = signed.as_str();
        // "For the Government of Japan", "For Japan", "For the Republic of Korea".
        let party = party
            .trim_start_matches("Government of ")
            .trim_start_matches("the Government of ")
            .trim_start_matches("the ")
            .trim();
        // The line must be the country's name and nothing else: "For Indians" in a budget
        // table and "For lasting peace, Canada has long advocated..." sign nothing.
        let mentions = gazetteer.mentions(party);
        if let [mention] = &mentions[..] {
            if let Entity::Country(code) = mention.entity {
                if !mention.demonym && mention.span == (0..party.len()) {
                    cite(Cue::Signature, words, vec![code]);
                }
            }
        }
    }
    // "CANBERRA, 4 May 2026 – The Prime Minister..." on a statement: issued in Canberra.
    // Not a news agency's dateline ("(AP)"), and not a city that seats international
    // organisations, where the statement may be the organisation's.
    if found.is_empty() && is_statement {
        if let Some(dateline) = dateline(body).filter(|d| !d.agency && d.issuer) {
            found.push(IssuerEvidence {
                cue: Cue::Dateline,
                words: dateline.span,
                codes: vec![dateline.code],
            });
        }
    }
    found
}

/// The first sentence of `body`: from its first words to the first full stop in their
/// paragraph, and at most a few lines long. The full stops of "Mr.", "St." and initials
/// ("H.E.", "John F. Kennedy") end none.
fn first_sentence(body: &str) -> Range<usize> {
    const MAX_BYTES: usize = 400;
    let start = body.len() - body.trim_start().len();
    let rest = &body[start..];
    // The paragraph ends at the first line that is blank or white space only.
    let mut end = 0;
    for line in rest.split_inclusive('\n') {
        if end > 0 && line.trim().is_empty() {
            break;
        }
        end += line.len();
    }
    let mut end = end.min(MAX_BYTES);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    let stop = rest[..end]
        .match_indices(['.', '!', '?'])
        .find(|&(at, stop)| stop != "." || !ends_with_abbreviation(&rest[..at]));
    start..start + stop.map_or(end, |(at, _)| at + 1)
}

/// The countries `texts` name, each once, in order.
fn countries(gazetteer: &Gazetteer, texts: &[&str]) -> Vec<&'static str> {
    let mut codes = Vec::new();
    for mention in texts.iter().flat_map(|text| gazetteer.mentions(text)) {
        if let Entity::Country(code) = mention.entity {
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
    }
    codes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tagging::gazetteer::gazetteer;

    fn of(title: &str, body: &str) -> Vec<&'static str> {
        issuers(&issuer_evidence(gazetteer(), title, true, body))
    }

    /// What a speech without a title of its own says of its speaker.
    fn speaker(body: &str) -> Vec<(String, Vec<&'static str>)> {
        issuer_evidence(gazetteer(), "", false, body)
            .into_iter()
            .map(|e| (body[e.words].to_string(), e.codes))
            .collect()
    }

    /// Each cue with the words it points at.
    fn cited(title: &str, body: &str) -> Vec<(Cue, String, Vec<&'static str>)> {
        issuer_evidence(gazetteer(), title, true, body)
            .into_iter()
            .map(|e| {
                let text = if e.cue == Cue::Title { title } else { body };
                (e.cue, text[e.words].to_string(), e.codes)
            })
            .collect()
    }

    #[test]
    fn every_issuer_comes_with_the_words_that_say_so() {
        let body = "1. We, the Prime Ministers of Japan and Australia, reaffirm our ties.\n\n\
                    Signed at Canberra.\n\nFor the Government of Japan:\n\nFor Australia\n";
        assert_eq!(
            cited("Japan-Australia Joint Declaration on Energy", body),
            [
                (
                    Cue::Title,
                    "Japan-Australia Joint Declaration on Energy".to_string(),
                    vec!["JP", "AU"]
                ),
                (
                    Cue::Opening,
                    "We, the Prime Ministers of Japan and Australia".to_string(),
                    vec!["JP", "AU"]
                ),
                (
                    Cue::Signature,
                    "For the Government of Japan".to_string(),
                    vec!["JP"]
                ),
                (Cue::Signature, "For Australia".to_string(), vec!["AU"]),
            ]
        );
        assert_eq!(
            cited(
                "Media Release",
                "Media Release\n\nCANBERRA, 4 May 2026 – The Prime Minister said"
            ),
            [(Cue::Dateline, "CANBERRA".to_string(), vec!["AU"])]
        );
    }

    #[test]
    fn titles_that_name_a_statement_and_its_parties() {
        assert_eq!(
            of(
                "Japan-Australia Joint Declaration on Economic Security Cooperation",
                ""
            ),
            ["JP", "AU"]
        );
        assert_eq!(
            of("Joint Statement by Canada and Mexico on Trade", ""),
            ["CA", "MX"]
        );
        assert_eq!(
            of("Joint Communiqué between India and Brazil", ""),
            ["IN", "BR"]
        );
        assert!(of("Statement on the situation in Ukraine", "").is_empty());
        assert!(of(
            "U.S. and Australia Deepen Critical-Minerals Engagement to Counter China",
            ""
        )
        .is_empty());
    }

    #[test]
    fn we_the_leaders_and_signature_blocks() {
        assert_eq!(
            of(
                "",
                "1. We, the Prime Ministers of Japan and Australia, reaffirm our commitment"
            ),
            ["JP", "AU"]
        );
        assert_eq!(
            of("", "Signed at Canberra.\n\nFor the Government of Japan\n\nFor the Government of Australia\n"),
            ["JP", "AU"]
        );
    }

    #[test]
    fn datelines_of_official_statements() {
        assert_eq!(
            of(
                "Media Release",
                "Media Release\n\nCANBERRA, 4 May 2026 – The Prime Minister said"
            ),
            ["AU"]
        );
        // A news report is not a statement; Brussels seats the EU.
        assert!(of("Exports rise", "TOKYO, May 4 (Reuters) - Exports rose").is_empty());
        assert!(of(
            "Statement",
            "Statement\n\nBRUSSELS, 4 May 2026 – The Council"
        )
        .is_empty());
    }

    #[test]
    fn first_sentences_and_friends_do_not_issue() {
        // First lines of UN General Debate speeches, taken as titles.
        assert!(of(
            "I would like to begin my statement by conveying my condolences to the people of Mexico",
            ""
        )
        .is_empty());
        assert!(of(
            "I would like to begin this statement by congratulating the Ambassador of Trinidad and Tobago",
            ""
        )
        .is_empty());
        assert_eq!(
            of("It honours me to deliver the statement of Saudi Arabia", ""),
            ["SA"]
        );
        assert!(of("", "We, the friends of Taiwan, call for its inclusion").is_empty());
        assert_eq!(
            of("", "We, the people of Israel, have always sought peace"),
            ["IL"]
        );
        assert_eq!(
            of("", "We, the Federal Republic of Germany, support this"),
            ["DE"]
        );
    }

    #[test]
    fn a_speech_without_a_title_says_for_whom_it_speaks() {
        let speaks = |words: &str, code: &'static str| vec![(words.to_string(), vec![code])];
        assert_eq!(
            speaker("\nIt honours me to deliver the statement of Saudi Arabia on behalf of \nthe Custodian of the Two Holy Mosques. Its text follows."),
            speaks("deliver the statement of Saudi Arabia", "SA")
        );
        assert_eq!(
            speaker("On behalf of the government and the People of Tuvalu, I congratulate you."),
            speaks("On behalf of the government and the People of Tuvalu", "TV")
        );
        // The official name, not the bare "Korea" that names no country alone.
        assert_eq!(
            speaker("I speak on behalf of the Republic of Korea."),
            speaks("on behalf of the Republic of Korea", "KR")
        );
        // "Mr." and initials do not end the first sentence.
        assert_eq!(
            speaker("Mr. President, on behalf of the delegation of Malta, I congratulate you."),
            speaks("on behalf of the delegation of Malta", "MT")
        );
        assert_eq!(
            speaker("H.E. Mr. A. Smith, on behalf of the Government of Fiji, greets you."),
            speaks("on behalf of the Government of Fiji", "FJ")
        );
        // Only the country named first speaks; a group is not its members.
        assert_eq!(
            speaker("On behalf of the people of Malta I express our solidarity with India."),
            speaks("On behalf of the people of Malta", "MT")
        );
        assert!(speaker("I speak on behalf of the Group of 77 and China.").is_empty());
        assert!(speaker("On behalf of my delegation, I congratulate you.").is_empty());
        // Beyond the first sentence, or in a document with a title of its own, nothing.
        assert!(speaker("We meet in hard times.\nOn behalf of Japan, I thank you.").is_empty());
        assert!(of(
            "Annual report",
            "On behalf of the Government of Japan, we report."
        )
        .is_empty());
    }

    #[test]
    fn lines_that_start_with_for_are_not_all_signatures() {
        assert!(of("", "Expenses:\nFor Indians\nFor pensions\n").is_empty());
        assert!(of(
            "",
            "For lasting peace, Canada has long advocated for a two-state\nsolution."
        )
        .is_empty());
        assert_eq!(of("", "For the Republic of Korea\n"), ["KR"]);
    }

    #[test]
    fn mentions_alone_make_no_issuer() {
        assert!(of(
            "Critical minerals news",
            "Australia and the United States agreed to work with Japan."
        )
        .is_empty());
    }
}
