//! Who issues a document, as opposed to every country it mentions.
//!
//! Only what the document says of itself counts: a title that names a statement and its
//! parties ("Japan-Australia Joint Declaration", "Joint Statement by Canada and Mexico"),
//! an opening "We, the Prime Ministers of Japan and Australia", and signature blocks ("For
//! the Government of Japan"), and the dateline of an official statement ("CANBERRA, 4 May
//! 2026 –" on a media release). Otherwise the issuer is unknown, never guessed from the
//! countries a text mentions most.

use std::sync::OnceLock;

use regex::Regex;

use super::datelines::dateline;
use super::gazetteer::{Entity, Gazetteer};

/// Countries that issue the document, in the order the document names them.
pub fn issuers(gazetteer: &Gazetteer, title: &str, body: &str) -> Vec<&'static str> {
    static STATEMENT: OnceLock<Regex> = OnceLock::new();
    static WE_THE: OnceLock<Regex> = OnceLock::new();
    static SIGNED_FOR: OnceLock<Regex> = OnceLock::new();
    let statement = STATEMENT.get_or_init(|| {
        Regex::new(concat!(
            r"(?i)\b(?:joint\s+)?(?:declaration|statement|communiqu[eé]|(?:press|media)\s+release|readout|",
            r"memorandum|agreement|treaty|action\s+plan|leaders'?\s+statement)\b",
            r"(?:\s+(?:by|between|of|from)\s+(?P<parties>[^:;(]+?))?",
            r"(?:\s+(?:on|regarding|concerning|about|for|at|in)\b|[:;(]|$)"
        ))
        .expect("valid")
    });
    let we_the = WE_THE.get_or_init(|| {
        Regex::new(
            r"(?m)^[\W\d]*We,\s+the\s+(?:[\w\s-]+?)\s+of\s+(?P<parties>[^,.;:]+(?:,\s*[^,.;:]+)*?)\s*,\s*(?:[a-z])",
        )
        .expect("valid")
    });
    let signed_for = SIGNED_FOR.get_or_init(|| {
        Regex::new(r"(?m)^[\W_]*For\s+(?:the\s+)?(?P<party>[^\n]{2,60}?)[\W_]*$").expect("valid")
    });

    let mut found = Vec::new();
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
        push_countries(gazetteer, &title[..whole.start()], &mut found);
        if let Some(parties) = caps.name("parties") {
            push_countries(gazetteer, parties.as_str(), &mut found);
        }
    }
    if let Some(caps) = we_the.captures(body) {
        push_countries(gazetteer, &caps["parties"], &mut found);
    }
    for caps in signed_for.captures_iter(body) {
        let party = &caps["party"];
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
                if !mention.demonym && mention.span == (0..party.len()) && !found.contains(&code) {
                    found.push(code);
                }
            }
        }
    }
    // "CANBERRA, 4 May 2026 – The Prime Minister..." on a statement: issued in Canberra.
    // Not a news agency's dateline ("(AP)"), and not a city that seats international
    // organisations, where the statement may be the organisation's.
    if found.is_empty() && is_statement {
        if let Some(dateline) = dateline(body).filter(|d| !d.agency && d.issuer) {
            found.push(dateline.code);
        }
    }
    found
}

fn push_countries(gazetteer: &Gazetteer, text: &str, found: &mut Vec<&'static str>) {
    for mention in gazetteer.mentions(text) {
        if let Entity::Country(code) = mention.entity {
            if !found.contains(&code) {
                found.push(code);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tagging::gazetteer::gazetteer;

    fn of(title: &str, body: &str) -> Vec<&'static str> {
        issuers(gazetteer(), title, body)
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
