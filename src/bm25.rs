//! A term query scored by BM25 with parameters of our choosing.
//!
//! tantivy's `TermQuery` fixes k1 = 1.2 and b = 0.75, the values tuned for whole documents
//! of very different lengths. dossier's documents are passages of fairly even length, which
//! a gentler length normalisation ranks better, as in the usual choice of Lucene and Anserini
//! (k1 = 0.9, b = 0.4; see docs/searching.md for what was measured).
//! [`Bm25TermQuery`] scores a term the way `TermQuery` does, with the same idf, the same
//! (quantised) field lengths and the same average, only with our k1 and b.
//!
//! Its scorer is not tantivy's `TermScorer`, so a boolean query built from it never takes
//! the block-max WAND path, which relies on maximum scores worked out at indexing time with
//! tantivy's own k1 and b: every matching passage is scored, and no result can be dropped
//! by a bound computed for other parameters.

use std::sync::Arc;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, TantivyError, Term};
use tantivy::{DocSet, TERMINATED};

/// Term-frequency saturation: how much a second, third... occurrence adds. Lucene's value.
pub const K1: Score = 0.9;
/// Length normalisation: 0 ignores a passage's length, 1 divides fully by it. Anything from
/// 0.4 (Lucene's) to 0.6 ranks the test collections about equally well; Vaswani's MAP is
/// 0.276 to 0.280 there and 0.272 at tantivy's 0.75, and SciFact's nDCG@10 is 0.679 at 0.4,
/// 0.681 at 0.5 and 0.683 at 0.6.
pub const B: Score = 0.5;

/// BM25 parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bm25Params {
    pub k1: Score,
    pub b: Score,
}

impl Default for Bm25Params {
    fn default() -> Self {
        Bm25Params { k1: K1, b: B }
    }
}

/// Passages holding `term`, scored by BM25 with `params`.
#[derive(Debug, Clone)]
pub struct Bm25TermQuery {
    term: Term,
    params: Bm25Params,
}

impl Bm25TermQuery {
    pub fn new(term: Term, params: Bm25Params) -> Self {
        Bm25TermQuery { term, params }
    }
}

/// Inverse document frequency, as Lucene and tantivy compute it.
fn idf(doc_freq: u64, doc_count: u64) -> Score {
    let doc_freq = doc_freq.min(doc_count);
    let x = ((doc_count - doc_freq) as Score + 0.5) / (doc_freq as Score + 0.5);
    (1.0 + x).ln()
}

impl Query for Bm25TermQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let field = self.term.field();
        let entry = enable_scoring.schema().get_field_entry(field);
        if !entry.is_indexed() {
            return Err(TantivyError::SchemaError(format!(
                "Field {:?} is not indexed.",
                entry.name()
            )));
        }
        let scoring = match enable_scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => {
                let docs = statistics_provider.total_num_docs()?;
                let tokens = statistics_provider.total_num_tokens(field)?;
                let doc_freq = statistics_provider.doc_freq(&self.term)?;
                let average = if docs == 0 {
                    1.0
                } else {
                    tokens as Score / docs as Score
                };
                Some(Scoring::new(
                    idf(doc_freq, docs),
                    average.max(Score::MIN_POSITIVE),
                    self.params,
                ))
            }
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(Bm25TermWeight {
            term: self.term.clone(),
            scoring,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        visitor(&self.term, false);
    }
}

/// The query-wide part of the score: idf × (k1 + 1), and k1 × (1 − b + b × dl / avgdl) for
/// each of the 256 quantised field lengths.
#[derive(Clone)]
struct Scoring {
    weight: Score,
    norms: Arc<[Score; 256]>,
}

impl Scoring {
    fn new(idf: Score, average_length: Score, params: Bm25Params) -> Self {
        let Bm25Params { k1, b } = params;
        let mut norms = [0.0; 256];
        for (id, norm) in norms.iter_mut().enumerate() {
            let length = FieldNormReader::id_to_fieldnorm(id as u8) as Score;
            *norm = k1 * (1.0 - b + b * length / average_length);
        }
        Scoring {
            weight: idf * (1.0 + k1),
            norms: Arc::new(norms),
        }
    }

    fn boosted(&self, boost: Score) -> Self {
        Scoring {
            weight: self.weight * boost,
            norms: self.norms.clone(),
        }
    }

    #[inline]
    fn score(&self, fieldnorm_id: u8, term_freq: u32) -> Score {
        let term_freq = term_freq as Score;
        self.weight * term_freq / (term_freq + self.norms[fieldnorm_id as usize])
    }
}

struct Bm25TermWeight {
    term: Term,
    /// None when scoring is disabled.
    scoring: Option<Scoring>,
}

impl Bm25TermWeight {
    fn term_scorer(
        &self,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<Bm25TermScorer>> {
        let field = self.term.field();
        let option = if self.scoring.is_some() {
            IndexRecordOption::WithFreqs
        } else {
            IndexRecordOption::Basic
        };
        let Some(postings) = reader
            .inverted_index(field)?
            .read_postings(&self.term, option)?
        else {
            return Ok(None);
        };
        let scoring = match &self.scoring {
            Some(scoring) => {
                let fieldnorms = match reader.fieldnorms_readers().get_field(field)? {
                    Some(fieldnorms) => fieldnorms,
                    None => FieldNormReader::constant(reader.max_doc(), 1),
                };
                Some((scoring.boosted(boost), fieldnorms))
            }
            None => None,
        };
        Ok(Some(Bm25TermScorer { postings, scoring }))
    }
}

impl Weight for Bm25TermWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(match self.term_scorer(reader, boost)? {
            Some(scorer) => Box::new(scorer),
            None => Box::new(EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.doc() > doc || scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "Document #({doc}) does not match"
            )));
        }
        Ok(Explanation::new("bm25", scorer.score()))
    }
}

struct Bm25TermScorer {
    postings: SegmentPostings,
    /// None when scoring is disabled.
    scoring: Option<(Scoring, FieldNormReader)>,
}

impl DocSet for Bm25TermScorer {
    fn advance(&mut self) -> DocId {
        self.postings.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.postings.seek(target)
    }

    fn doc(&self) -> DocId {
        self.postings.doc()
    }

    fn size_hint(&self) -> u32 {
        self.postings.size_hint()
    }

    fn cost(&self) -> u64 {
        self.postings.cost()
    }
}

impl Scorer for Bm25TermScorer {
    fn score(&mut self) -> Score {
        let doc = self.doc();
        match &self.scoring {
            Some((scoring, fieldnorms)) if doc != TERMINATED => {
                scoring.score(fieldnorms.fieldnorm_id(doc), self.postings.term_freq())
            }
            _ => 1.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, BoostQuery, Occur, TermQuery};
    use tantivy::schema::{Schema, STORED, TEXT};
    use tantivy::{doc, Index, IndexWriter, Searcher};

    /// A small index of passages of varied length and word counts, in three segments.
    fn index() -> (Searcher, tantivy::schema::Field) {
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT | STORED);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let words = ["tariff", "steel", "quota", "levy", "trade", "other"];
        let mut n = 0u32;
        for segment in 0..3 {
            for _ in 0..400 {
                n += 1;
                let mut text = Vec::new();
                // Lengths from 1 to 90 words, words repeated by varied counts.
                let length = 1 + (n * 37 + segment * 11) % 90;
                for i in 0..length {
                    let pick = ((n * 7 + i * 13) ^ (i * n)) % 23;
                    text.push(words.get(pick as usize).copied().unwrap_or("filler"));
                }
                writer.add_document(doc!(body => text.join(" "))).unwrap();
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        (searcher, body)
    }

    /// BM25 of `words` in each passage, computed from the stored text alone.
    fn brute_force(
        searcher: &Searcher,
        body: tantivy::schema::Field,
        words: &[(&str, Score)],
        params: Bm25Params,
    ) -> Vec<(Score, tantivy::DocAddress)> {
        let mut passages = Vec::new();
        for (ordinal, reader) in searcher.segment_readers().iter().enumerate() {
            let store = reader.get_store_reader(0).unwrap();
            for doc in 0..reader.max_doc() {
                let stored: tantivy::TantivyDocument = store.get(doc).unwrap();
                let text = tantivy::schema::Value::as_str(&stored.get_first(body).unwrap())
                    .unwrap()
                    .to_string();
                let address = tantivy::DocAddress::new(ordinal as u32, doc);
                passages.push((address, text));
            }
        }
        let docs = passages.len() as u64;
        let lengths: Vec<u32> = passages
            .iter()
            .map(|(_, text)| text.split(' ').count() as u32)
            .collect();
        let average = lengths.iter().map(|&l| l as Score).sum::<Score>() / docs as Score;
        let mut scored = Vec::new();
        for ((address, text), &length) in passages.iter().zip(&lengths) {
            // Field lengths are stored quantised; score with the same value.
            let quantised = FieldNormReader::id_to_fieldnorm(
                tantivy::fieldnorm::FieldNormReader::fieldnorm_to_id(length),
            ) as Score;
            let mut total = 0.0;
            let mut matched = false;
            for &(word, boost) in words {
                let tf = text.split(' ').filter(|w| *w == word).count() as Score;
                if tf == 0.0 {
                    continue;
                }
                matched = true;
                let df = passages
                    .iter()
                    .filter(|(_, t)| t.split(' ').any(|w| w == word))
                    .count() as u64;
                let norm = params.k1 * (1.0 - params.b + params.b * quantised / average);
                total += boost * idf(df, docs) * (1.0 + params.k1) * tf / (tf + norm);
            }
            if matched {
                scored.push((total, *address));
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored
    }

    fn union(
        body: tantivy::schema::Field,
        words: &[(&str, Score)],
        params: Bm25Params,
    ) -> BooleanQuery {
        BooleanQuery::new(
            words
                .iter()
                .map(|&(word, boost)| {
                    let term = Bm25TermQuery::new(Term::from_field_text(body, word), params);
                    let query: Box<dyn Query> = Box::new(BoostQuery::new(Box::new(term), boost));
                    (Occur::Should, query)
                })
                .collect(),
        )
    }

    #[test]
    fn top_hits_equal_brute_force_scoring() {
        let (searcher, body) = index();
        let words = [
            ("tariff", 1.0),
            ("steel", 1.0),
            ("quota", 2.0),
            ("levy", 0.5),
        ];
        for params in [
            Bm25Params::default(),
            Bm25Params { k1: 1.2, b: 0.75 },
            Bm25Params { k1: 0.5, b: 0.0 },
        ] {
            let expected = brute_force(&searcher, body, &words, params);
            assert!(expected.len() > 100);
            // TopDocs takes the pruning path; a wrong bound would drop passages here.
            let top = searcher
                .search(
                    &union(body, &words, params),
                    &TopDocs::with_limit(50).order_by_score(),
                )
                .unwrap();
            assert_eq!(top.len(), 50);
            for ((score, address), (want, want_address)) in top.iter().zip(&expected) {
                assert!((score - want).abs() < 1e-4, "{score} vs {want}");
                // Ties may come in either order; a different passage must score the same.
                if address != want_address {
                    let same = expected.iter().find(|(_, a)| a == address).unwrap();
                    assert!((same.0 - want).abs() < 1e-4);
                }
            }
        }
    }

    #[test]
    fn default_parameters_of_tantivy_give_tantivys_scores() {
        let (searcher, body) = index();
        let term = Term::from_field_text(body, "steel");
        let ours = Bm25TermQuery::new(term.clone(), Bm25Params { k1: 1.2, b: 0.75 });
        let theirs = TermQuery::new(term, IndexRecordOption::WithFreqs);
        let top = |query: &dyn Query| {
            searcher
                .search(query, &TopDocs::with_limit(2000).order_by_score())
                .unwrap()
        };
        let (a, b) = (top(&ours), top(&theirs));
        assert_eq!(a.len(), b.len());
        for ((x, _), (y, _)) in a.iter().zip(&b) {
            assert!((x - y).abs() < 1e-4, "{x} vs {y}");
        }
    }

    #[test]
    fn counts_and_filters_without_scoring() {
        let (searcher, body) = index();
        let term = Term::from_field_text(body, "levy");
        let ours = Bm25TermQuery::new(term.clone(), Bm25Params::default());
        let theirs = TermQuery::new(term, IndexRecordOption::Basic);
        assert_eq!(
            ours.count(&searcher).unwrap(),
            theirs.count(&searcher).unwrap()
        );
        let absent =
            Bm25TermQuery::new(Term::from_field_text(body, "absent"), Bm25Params::default());
        assert_eq!(absent.count(&searcher).unwrap(), 0);
    }
}
