//! Where a query matches inside a passage, as byte spans to highlight.
//!
//! tantivy stores positions, not offsets, so the passage is analysed again with the same
//! analyzer and the query's terms are matched against it. A phrase is one span from its
//! first word to its last; stemmed variants match; excluded words never do.

use std::ops::Range;

use tantivy::tokenizer::TextAnalyzer;

use crate::analysis::{self, indexable, Term};
use crate::query::Node;

/// A passage analysed once, to match any number of query clauses against.
pub struct AnalysedPassage {
    terms: Vec<Term>,
}

impl AnalysedPassage {
    pub fn new(analyzer: &mut TextAnalyzer, text: &str) -> AnalysedPassage {
        AnalysedPassage {
            terms: analysis::terms(analyzer, &indexable(text)),
        }
    }

    /// Sorted, disjoint spans of every match of `query`'s positive clauses.
    pub fn highlights(&self, query: &Node) -> Vec<Range<usize>> {
        let mut spans = Vec::new();
        self.collect(query, &mut spans);
        merge(spans)
    }

    /// How many of `clauses` match somewhere in the passage.
    pub fn coverage(&self, clauses: &[&Node]) -> usize {
        clauses
            .iter()
            .filter(|clause| !self.highlights(clause).is_empty())
            .count()
    }

    fn collect(&self, node: &Node, spans: &mut Vec<Range<usize>>) {
        match node {
            Node::Terms { terms, slop, .. } => self.phrase(terms, *slop, spans),
            Node::Prefix(prefix) => spans.extend(
                self.terms
                    .iter()
                    .filter(|t| t.text.starts_with(prefix.as_str()))
                    .map(|t| t.span.clone()),
            ),
            Node::Not(_) => {}
            Node::Or(children) => children.iter().for_each(|c| self.collect(c, spans)),
            // Query words that stand side by side and do so in the passage are one span,
            // in a sentence as in a few words: "critical minerals", not two highlights.
            Node::And(children) | Node::Loose(children) => {
                children.iter().for_each(|c| self.collect(c, spans));
                // Pair by pair, so that neighbours in a long query join where they stand
                // together in the passage even if the whole run does not; overlapping
                // pairs merge into one span.
                for run in Node::adjacent_runs(children) {
                    for pair in run.windows(2) {
                        self.phrase(pair, 0, spans);
                    }
                }
            }
        }
    }

    /// Matches of `phrase` in order, with at most `slop` extra words in between in all.
    fn phrase(&self, phrase: &[String], slop: u32, spans: &mut Vec<Range<usize>>) {
        let Some((first, rest)) = phrase.split_first() else {
            return;
        };
        for (start, term) in self.terms.iter().enumerate() {
            if &term.text != first {
                continue;
            }
            let mut position = start;
            let mut budget = slop as usize;
            let mut complete = true;
            for wanted in rest {
                let window = position + 1..=(position + 1 + budget).min(self.terms.len() - 1);
                match window.clone().find(|&j| &self.terms[j].text == wanted) {
                    Some(j) => {
                        budget -= j - position - 1;
                        position = j;
                    }
                    None => {
                        complete = false;
                        break;
                    }
                }
            }
            if complete {
                spans.push(term.span.start..self.terms[position].span.end);
            }
        }
    }
}

/// Sorts spans and joins those that overlap.
fn merge(mut spans: Vec<Range<usize>>) -> Vec<Range<usize>> {
    spans.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for span in spans {
        match merged.last_mut() {
            Some(last) if span.start < last.end => last.end = last.end.max(span.end),
            _ => merged.push(span),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyzer, analyzer_for, unstemmed_analyzer};
    use crate::query::{analyze, parse};
    use proptest::prelude::*;

    fn marked(query: &str, text: &str) -> String {
        let node = analyze(
            &parse(query).unwrap(),
            &mut analyzer(),
            &mut unstemmed_analyzer(),
        )
        .unwrap();
        let passage = AnalysedPassage::new(&mut analyzer_for(node.highlighted()), text);
        let mut out = String::new();
        let mut last = 0;
        for span in passage.highlights(&node) {
            out.push_str(&text[last..span.start]);
            out.push('[');
            out.push_str(&text[span.clone()]);
            out.push(']');
            last = span.end;
        }
        out.push_str(&text[last..]);
        out
    }

    #[test]
    fn a_phrase_is_one_span_and_stray_words_are_not_marked() {
        assert_eq!(
            marked(
                r#""strategic reserve""#,
                "a strategic move; Australia’s Critical Minerals Strategic Reserve and reserves"
            ),
            "a strategic move; Australia’s Critical Minerals [Strategic Reserve] and reserves"
        );
    }

    #[test]
    fn bare_words_mark_every_variant_and_join_when_adjacent() {
        assert_eq!(
            marked(
                "strategic reserve",
                "Strategic Reserve; strategic stockpiles; rare earth reserves"
            ),
            "[Strategic Reserve]; [strategic] stockpiles; rare earth [reserves]"
        );
    }

    #[test]
    fn neighbours_join_where_the_whole_query_does_not() {
        assert_eq!(
            marked("strategic reserve Japan", "Japan's Strategic Reserve"),
            "[Japan]'s [Strategic Reserve]"
        );
        assert_eq!(
            marked(
                "the strategic reserve of critical minerals in Australia",
                "Australia's Critical Minerals Strategic Reserve is in the works; minerals"
            ),
            "[Australia]'s [Critical Minerals] [Strategic Reserve] is in the works; [minerals]"
        );
    }

    #[test]
    fn exclusions_are_never_marked() {
        assert_eq!(
            marked("reserve -bank", "the bank reserve"),
            "the bank [reserve]"
        );
    }

    #[test]
    fn proximity_prefix_and_or() {
        assert_eq!(
            marked(
                r#""critical reserve"~2"#,
                "critical minerals reserve, critical a b c reserve"
            ),
            "[critical minerals reserve], critical a b c reserve"
        );
        assert_eq!(
            marked("miner*", "Minerals and mining and miners"),
            "[Minerals] and mining and [miners]"
        );
        assert_eq!(
            marked("Japan OR Canada", "Japan, Canada and Chile"),
            "[Japan], [Canada] and Chile"
        );
    }

    #[test]
    fn country_abbreviations() {
        assert_eq!(
            marked("US", "the U.S. and US and us"),
            "the [U.S]. and [US] and us"
        );
    }

    proptest! {
        #[test]
        fn analysing_only_the_words_a_query_can_match_loses_no_highlight(
            text in "(Reserve’s|reserves|strategic|Strategy|Stratégie|U.S.|US|us|ÉLAN|élan|\
                      dying|die|skies|sky|happy|happiness|\\PC{0,8}|[a-z]{70}|\\s){0,30}",
            query in "(reserve|\"strategic reserve\"|strat\\*|US|die|sky|happi|élan|hap\\*|-sky)\
                      ( (reserve|dying|skies|happy|élan|OR|Stratégie)){0,3}",
        ) {
            let Ok(expr) = parse(&query) else { return Ok(()) };
            let Some(node) = analyze(&expr, &mut analyzer(), &mut unstemmed_analyzer()) else {
                return Ok(());
            };
            let every_word = AnalysedPassage::new(&mut analyzer(), &text);
            let wanted_words = AnalysedPassage::new(&mut analyzer_for(node.highlighted()), &text);
            prop_assert_eq!(wanted_words.highlights(&node), every_word.highlights(&node));
            let clauses = node.required_clauses();
            prop_assert_eq!(wanted_words.coverage(&clauses), every_word.coverage(&clauses));
        }

        #[test]
        fn spans_are_sorted_disjoint_and_on_char_boundaries(
            text in "(\\PC{0,12}|Reserve’s|strategic|reserves|\\s){0,40}",
        ) {
            let node = analyze(&parse(r#"reserve OR "strategic reserve" OR strat*"#).unwrap(),
                &mut analyzer(), &mut unstemmed_analyzer()).unwrap();
            let spans = AnalysedPassage::new(&mut analyzer(), &text).highlights(&node);
            let mut last_end = 0;
            for span in spans {
                prop_assert!(span.start >= last_end && span.start < span.end);
                prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
                last_end = span.end;
            }
        }
    }
}
