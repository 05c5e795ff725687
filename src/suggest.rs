//! "Did you mean": when a query finds little, the spellings the index holds that are
//! closest to its rare words, and how often each word of the query was found.

use std::collections::HashMap;

use tantivy::collector::TopDocs;
use tantivy::query::{FuzzyTermQuery, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use crate::analysis::{analyzer, terms};
use crate::error::{Error, Result};
use crate::index::DossierIndex;
use crate::search::{self, SearchRequest};

/// A query finding fewer documents than this gets suggestions.
pub const FEW_DOCUMENTS: usize = 3;
/// A word in fewer passages than this may be misspelt.
const RARE_PASSAGES: u64 = 3;
/// A spelling is suggested only if it is in this many times more passages than the word.
const MORE_COMMON: u64 = 10;
/// Passages read to find how a suggested term is written.
const SAMPLES: usize = 5;

/// A word of the query and the passages that hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriedWord {
    pub word: String,
    pub passages: u64,
}

/// The query with its rare words respelt, and what it finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub query: String,
    pub documents: usize,
}

/// What was tried, and what to try instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tried {
    pub words: Vec<TriedWord>,
    pub suggestion: Option<Suggestion>,
}

/// For a query that found `found` documents: each of its words with the passages that
/// hold it, and a respelt query when the index holds a much more common spelling of a
/// rare word (within one edit for words of up to six letters, two for longer ones)
/// that finds more documents with the same filters.
pub fn suggest(index: &DossierIndex, request: &SearchRequest, found: usize) -> Result<Tried> {
    let searcher = index.searcher()?;
    let body = index.fields().body;
    let tantivy_error = |error| Error::Tantivy {
        dir: index.dir().to_path_buf(),
        error,
    };
    let query = &request.query;
    let mut words = Vec::new();
    let mut replacements = Vec::new();
    for term in terms(&mut analyzer(), query) {
        let word = &query[term.span.clone()];
        let is_prefix = query[term.span.end..].starts_with('*');
        if term.text.is_empty() || is_prefix || matches!(word, "OR" | "AND" | "NOT") {
            continue;
        }
        let passages = searcher
            .doc_freq(&Term::from_field_text(body, &term.text))
            .map_err(tantivy_error)?;
        words.push(TriedWord {
            word: word.to_string(),
            passages,
        });
        let letters = word.chars().count();
        if passages >= RARE_PASSAGES || letters < 4 || word.chars().any(|c| !c.is_alphabetic()) {
            continue;
        }
        let threshold = (passages * MORE_COMMON).max(RARE_PASSAGES);
        let respelt = match one_edit_away(&searcher, body, word)? {
            Some((spelling, found)) if found >= threshold => Some(spelling),
            _ => further_away(index, &term.text, word, threshold)?,
        };
        if let Some(spelling) = respelt {
            replacements.push((term.span.clone(), match_case(&spelling, word)));
        }
    }
    if replacements.is_empty() {
        return Ok(Tried {
            words,
            suggestion: None,
        });
    }
    let mut respelt = query.clone();
    for (span, spelling) in replacements.iter().rev() {
        respelt.replace_range(span.clone(), spelling);
    }
    let corrected = SearchRequest {
        query: respelt.clone(),
        limit: 1,
        count_by: Vec::new(),
        ..request.clone()
    };
    let documents = search::search(index, &corrected)?.matching_documents;
    let suggestion = (documents > found).then_some(Suggestion {
        query: respelt,
        documents,
    });
    Ok(Tried { words, suggestion })
}

/// The word one edit (a letter left out, added, changed or two swapped) from `word` that
/// the most passages hold, with their number. Edits are made to the word as typed, not
/// to its stem: "stratgic" is one letter from "strategic", but its stem is three from
/// "strateg".
fn one_edit_away(
    searcher: &tantivy::Searcher,
    body: tantivy::schema::Field,
    word: &str,
) -> Result<Option<(String, u64)>> {
    let typed: Vec<char> = word.to_lowercase().chars().collect();
    let mut edits = std::collections::HashSet::new();
    for i in 0..=typed.len() {
        let (before, after) = typed.split_at(i);
        let joined = |middle: &[char], rest: &[char]| -> String {
            before.iter().chain(middle).chain(rest).collect()
        };
        if !after.is_empty() {
            edits.insert(joined(&[], &after[1..]));
        }
        if after.len() > 1 {
            edits.insert(joined(&[after[1], after[0]], &after[2..]));
        }
        for letter in 'a'..='z' {
            edits.insert(joined(&[letter], after));
            if !after.is_empty() {
                edits.insert(joined(&[letter], &after[1..]));
            }
        }
    }
    let mut analyzer = analyzer();
    let mut best: Option<(String, u64)> = None;
    let mut by_term: HashMap<String, u64> = HashMap::new();
    for edit in edits {
        let Some(term) = terms(&mut analyzer, &edit).into_iter().next() else {
            continue;
        };
        let passages = match by_term.get(&term.text) {
            Some(&known) => known,
            None => {
                let found = searcher
                    .doc_freq(&Term::from_field_text(body, &term.text))
                    .map_err(|error| {
                        Error::Invalid(format!("failed to look up a word: {error}"))
                    })?;
                by_term.insert(term.text, found);
                found
            }
        };
        let better = best.as_ref().is_none_or(|(spelling, most)| {
            (passages, std::cmp::Reverse(&edit)) > (*most, std::cmp::Reverse(spelling))
        });
        if passages > 0 && better {
            best = Some((edit, passages));
        }
    }
    Ok(best)
}

/// A spelling up to two edits from the stem of `word` (one for words of up to six
/// letters), held by at least `threshold` passages, written as the texts write it.
fn further_away(
    index: &DossierIndex,
    stem: &str,
    word: &str,
    threshold: u64,
) -> Result<Option<String>> {
    let searcher = index.searcher()?;
    let body = index.fields().body;
    let tantivy_error = |error| Error::Tantivy {
        dir: index.dir().to_path_buf(),
        error,
    };
    let distance = if word.chars().count() <= 6 { 1 } else { 2 };
    let fuzzy = FuzzyTermQuery::new(Term::from_field_text(body, stem), distance, true);
    let mut candidates: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(body).map_err(tantivy_error)?;
        let automaton = fuzzy.automaton().map_err(tantivy_error)?;
        let mut stream = inverted
            .terms()
            .search(automaton)
            .into_stream()
            .map_err(|e| tantivy_error(e.into()))?;
        while stream.advance() {
            if let Ok(text) = std::str::from_utf8(stream.key()) {
                *candidates.entry(text.to_string()).or_default() +=
                    u64::from(stream.value().doc_freq);
            }
        }
    }
    candidates.remove(stem);
    let best = candidates
        .into_iter()
        .filter(|(_, passages)| *passages >= threshold)
        .max_by(|(a, a_n), (b, b_n)| a_n.cmp(b_n).then_with(|| b.cmp(a)));
    match best {
        Some((term, _)) => written_form(index, &term, word),
        None => Ok(None),
    }
}

/// How the index's texts write `term` (a stem): of the words in a few passages that hold
/// it, the one closest to what the user typed.
fn written_form(index: &DossierIndex, term: &str, typed: &str) -> Result<Option<String>> {
    let searcher = index.searcher()?;
    let fields = index.fields();
    let tantivy_error = |error| Error::Tantivy {
        dir: index.dir().to_path_buf(),
        error,
    };
    let query = TermQuery::new(
        Term::from_field_text(fields.body, term),
        IndexRecordOption::Basic,
    );
    let top = searcher
        .search(&query, &TopDocs::with_limit(SAMPLES).order_by_score())
        .map_err(tantivy_error)?;
    let typed = typed.to_lowercase();
    let mut best: Option<(usize, String)> = None;
    let mut analyzer = analyzer();
    for (_, address) in top {
        let stored: TantivyDocument = searcher.doc(address).map_err(tantivy_error)?;
        let Some(text) = stored.get_first(fields.text).and_then(|v| v.as_str()) else {
            continue;
        };
        for found in terms(&mut analyzer, text) {
            if found.text != term {
                continue;
            }
            let written = text[found.span].to_lowercase();
            let distance = edit_distance(&written, &typed);
            if best.as_ref().is_none_or(|(d, _)| distance < *d) {
                best = Some((distance, written));
            }
        }
    }
    Ok(best.map(|(_, written)| written))
}

/// `spelling` in the case the user typed `typed`: "STRATEGIC", "Strategic", "strategic".
fn match_case(spelling: &str, typed: &str) -> String {
    let letters: Vec<char> = typed.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return spelling.to_uppercase();
    }
    if letters.first().is_some_and(|c| c.is_uppercase()) {
        let mut chars = spelling.chars();
        return chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
    }
    spelling.to_string()
}

/// Levenshtein distance in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_follows_what_was_typed() {
        assert_eq!(match_case("strategic", "Stratgic"), "Strategic");
        assert_eq!(match_case("strategic", "STRATGIC"), "STRATEGIC");
        assert_eq!(match_case("strategic", "stratgic"), "strategic");
    }

    #[test]
    fn edit_distance_counts_characters() {
        assert_eq!(edit_distance("stratgic", "strategic"), 1);
        assert_eq!(edit_distance("zürich", "zurich"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
