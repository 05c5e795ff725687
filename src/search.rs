//! Running a query: ranked passages, grouped by document, with highlights.
//!
//! Ranking is BM25 over passages, words scored by [`Bm25TermQuery`] with dossier's own k1
//! and b, phrases by tantivy (k1 = 1.2, b = 0.75). Passages whose bare query words stand side by side and
//! in order get a phrase bonus, and a document whose title holds the query words gets a
//! small one. A short query needs every word in a passage; a long one (a sentence, see
//! [`Node::Loose`]) ranks passages holding any of its words. Every matching passage is
//! collected and grouped by document, and a document ranks by its best passage, so that
//! each result can say how many more passages of its document matched. Collecting is
//! shared between two threads when the query's words are common.

use rustc_hash::FxHashMap;
use std::cmp::Reverse;
use std::ops::{Bound, Range};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::index::SegmentReader;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, Occur, PhraseQuery, Query,
    RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, TantivyDocument, Term};

use crate::analysis::{analyzer, analyzer_for, unstemmed_analyzer};
use crate::bm25::{Bm25Params, Bm25TermQuery};
use crate::error::{Error, Result};
use crate::highlight::AnalysedPassage;
use crate::index::{DossierIndex, Fields};
use crate::query::{self, Node, QueryError};
use crate::tagging::dates::PartialDate;

/// Postings of the query's words (summed document frequencies) from which a search runs
/// on two threads. Starting the second costs about 0.3 ms: on this project's 2-core
/// machine, `"human rights"` (65,000 postings in the corpus, 7 ms) lost that much, and
/// `"united nations"` (170,000, 12 ms) gained 1 ms, 9 ms at four times the corpus.
const TWO_THREADS_FROM: u64 = 100_000;

/// Weight of the phrase formed by bare query words that stand side by side.
const ADJACENCY_BOOST: Score = 1.5;
/// Weight of query words in the document title, a tie-breaker more than a signal: titles
/// of news copy are often just the first sentence, and the title is also the start of the
/// first passage, so its words already count there. At 0.3 it cost SciFact 0.003 nDCG@10
/// and Vaswani (whose "titles" are first lines) 0.007 MAP; 0.1 still breaks ties.
const TITLE_BOOST: Score = 0.1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    #[default]
    Relevance,
    Newest,
    Oldest,
}

/// A search as the user asked for it.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    /// Alpha-2 codes; a document must name every one.
    pub countries: Vec<String>,
    /// Organisation codes; a document must name every one.
    pub orgs: Vec<String>,
    /// Alpha-2 codes; a document must be issued by every one.
    pub issuers: Vec<String>,
    pub since: Option<PartialDate>,
    pub until: Option<PartialDate>,
    /// Documents to show.
    pub limit: usize,
    /// Passages to show per document.
    pub per_doc: usize,
    pub sort: SortOrder,
}

impl SearchRequest {
    /// `query` as `dossier search` runs it with no flags: ten documents, one passage each,
    /// by relevance, unfiltered.
    pub fn new(query: impl Into<String>) -> SearchRequest {
        SearchRequest {
            query: query.into(),
            countries: Vec::new(),
            orgs: Vec::new(),
            issuers: Vec::new(),
            since: None,
            until: None,
            limit: 10,
            per_doc: 1,
            sort: SortOrder::Relevance,
        }
    }
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub documents: Vec<DocumentHit>,
    pub matching_passages: usize,
    pub matching_documents: usize,
    pub total_documents: u64,
    /// Set when no passage holds every word and passages holding some are shown.
    pub partial: Option<PartialMatch>,
    /// How many clauses (words, phrases, groups) the query asks for; a passage of a loose
    /// query or a partial match may hold fewer.
    pub clauses: usize,
    pub elapsed: Duration,
}

/// The query's words could not all be found in one passage.
#[derive(Debug, Clone)]
pub struct PartialMatch {
    /// How many clauses the query asks for.
    pub clauses: usize,
}

#[derive(Debug, Clone)]
pub struct DocumentHit {
    /// Absolute path of the file.
    pub path: PathBuf,
    pub title: String,
    pub date: Option<String>,
    pub date_source: Option<String>,
    pub countries: Vec<String>,
    pub orgs: Vec<String>,
    pub issuers: Vec<String>,
    pub passages: Vec<PassageHit>,
    /// Every passage of this document that matched, shown or not.
    pub matching_passages: usize,
}

#[derive(Debug, Clone)]
pub struct PassageHit {
    pub score: Score,
    /// The line the passage starts on: in the file, or within its page when it has one.
    pub line: u64,
    /// The 1-based page, for documents with pages (PDF).
    pub page: Option<u64>,
    /// The number printed on that page, when it differs from `page`.
    pub page_label: Option<String>,
    /// Byte range of the passage in the file's text.
    pub start: u64,
    pub end: u64,
    pub text: String,
    /// Byte ranges into `text`, sorted and disjoint.
    pub highlights: Vec<Range<usize>>,
    /// How many of the query's clauses the passage holds (all of them unless partial or
    /// loose).
    pub clauses_matched: usize,
}

/// Runs `request` against `index`.
pub fn search(index: &DossierIndex, request: &SearchRequest) -> Result<SearchResults> {
    let started = Instant::now();
    let expr = query::parse(&request.query)?;
    let node =
        query::analyze(&expr, &mut analyzer(), &mut unstemmed_analyzer()).ok_or(QueryError {
            message: "the query has no words to search for".into(),
            column: 1,
        })?;
    if let (Some(since), Some(until)) = (request.since, request.until) {
        if since.first_day() > until.last_day() {
            return Err(Error::Invalid(format!(
                "--since {since} is after --until {until}"
            )));
        }
    }

    let fields = index.fields();
    let searcher = index.searcher()?;
    let tantivy_error = |error| Error::Tantivy {
        dir: index.dir().to_path_buf(),
        error,
    };
    let collector = GroupCollector {
        per_doc: request.per_doc,
    };

    let strict = full_query(&node, fields, request, false);
    let postings: u64 = node
        .positive_terms()
        .iter()
        .map(|t| searcher.doc_freq(&Term::from_field_text(fields.body, t)))
        .sum::<tantivy::Result<u64>>()
        .map_err(tantivy_error)?;
    let two_threads = postings >= TWO_THREADS_FROM
        && std::thread::available_parallelism().is_ok_and(|cores| cores.get() > 1);
    let mut groups =
        search_segments(&searcher, &strict, &collector, two_threads).map_err(tantivy_error)?;
    let clauses = node.required_clauses();
    let mut partial = None;
    // A short query whose words no passage holds all of falls back to passages holding
    // any of them, by BM25: those holding more of the words, and the rarer ones, first.
    // (A loose query already matches any of its words.)
    if groups.is_empty() && matches!(node, Node::And(_)) && clauses.len() > 1 {
        let relaxed = full_query(&node, fields, request, true);
        groups =
            search_segments(&searcher, &relaxed, &collector, two_threads).map_err(tantivy_error)?;
        partial = Some(PartialMatch {
            clauses: clauses.len(),
        });
    }

    let matching_passages = groups.values().map(|g| g.matches).sum();
    let matching_documents = groups.len();
    let mut ranked: Vec<Group> = groups.into_values().collect();
    sort_groups(&mut ranked, request.sort);
    ranked.truncate(request.limit);

    let mut documents = Vec::with_capacity(ranked.len());
    let mut highlighter = analyzer_for(node.highlighted());
    for group in ranked {
        let mut hit = document_hit(&searcher, fields, &group).map_err(tantivy_error)?;
        for passage in &mut hit.passages {
            let analysed = AnalysedPassage::new(&mut highlighter, &passage.text);
            passage.highlights = analysed.highlights(&node);
            passage.clauses_matched = analysed.coverage(&clauses);
        }
        documents.push(hit);
    }
    Ok(SearchResults {
        documents,
        matching_passages,
        matching_documents,
        total_documents: index.state().documents,
        partial,
        clauses: clauses.len(),
        elapsed: started.elapsed(),
    })
}

/// `searcher.search`, optionally with the segments shared between two threads: every
/// passage holding a common phrase is collected, and checking each one's positions is most
/// of such a search.
fn search_segments(
    searcher: &Searcher,
    query: &dyn Query,
    collector: &GroupCollector,
    two_threads: bool,
) -> tantivy::Result<FxHashMap<u64, Group>> {
    let segments = searcher.segment_readers();
    if !two_threads || segments.len() < 2 {
        return searcher.search(query, collector);
    }
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    // The largest segments first, each to the half with fewer documents so far.
    let mut order: Vec<usize> = (0..segments.len()).collect();
    order.sort_by_key(|&i| Reverse(segments[i].max_doc()));
    let (mut halves, mut sizes) = ([Vec::new(), Vec::new()], [0u64; 2]);
    for i in order {
        let lighter = usize::from(sizes[1] < sizes[0]);
        sizes[lighter] += u64::from(segments[i].max_doc());
        halves[lighter].push(i);
    }
    let collect = |half: &[usize]| -> tantivy::Result<Vec<(usize, FxHashMap<u64, Group>)>> {
        half.iter()
            .map(|&i| {
                let fruit =
                    collector.collect_segment(&*weight, i as SegmentOrdinal, &segments[i])?;
                Ok((i, fruit))
            })
            .collect()
    };
    let (first, second) = std::thread::scope(|scope| {
        let other = scope.spawn(|| collect(&halves[1]));
        let first = collect(&halves[0]);
        (first, other.join())
    });
    let second = second.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    let mut fruits = first?;
    fruits.extend(second?);
    // In segment order, as tantivy merges them, so that ties break the same way.
    fruits.sort_by_key(|(i, _)| *i);
    collector.merge_fruits(fruits.into_iter().map(|(_, fruit)| fruit).collect())
}

/// The text query with ranking bonuses and filters. `relaxed` turns the top-level AND
/// into an OR, for the fallback when no passage holds every word.
fn full_query(
    node: &Node,
    fields: &Fields,
    request: &SearchRequest,
    relaxed: bool,
) -> BooleanQuery {
    let text = match (node, relaxed) {
        (Node::And(children), true) => boolean(children, fields.body, Occur::Should),
        _ => to_query(node, fields.body),
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
    let title_terms: Vec<(Occur, Box<dyn Query>)> = node
        .positive_terms()
        .into_iter()
        .map(|t| (Occur::Should, term_query(fields.title, t)))
        .collect();
    if !title_terms.is_empty() {
        let title = BooleanQuery::new(title_terms);
        clauses.push((
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(title), TITLE_BOOST)),
        ));
    }
    let tags = [
        (fields.countries, &request.countries),
        (fields.orgs, &request.orgs),
        (fields.issuers, &request.issuers),
    ];
    for (field, codes) in tags {
        for code in codes {
            let tagged =
                TermQuery::new(Term::from_field_text(field, code), IndexRecordOption::Basic);
            clauses.push((Occur::Must, filter(tagged)));
        }
    }
    if let Some(since) = request.since {
        let first = crate::index::yyyymmdd(since.first_day());
        let range = RangeQuery::new(
            Bound::Included(Term::from_field_u64(fields.date_last, first)),
            Bound::Unbounded,
        );
        clauses.push((Occur::Must, filter(range)));
    }
    if let Some(until) = request.until {
        let last = crate::index::yyyymmdd(until.last_day());
        let range = RangeQuery::new(
            Bound::Unbounded,
            Bound::Included(Term::from_field_u64(fields.date_first, last)),
        );
        clauses.push((Occur::Must, filter(range)));
    }
    BooleanQuery::new(clauses)
}

/// A filter must not change the ranking.
fn filter(query: impl Query) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(Box::new(query), 0.0))
}

fn term_query(field: Field, term: &str) -> Box<dyn Query> {
    Box::new(Bm25TermQuery::new(
        Term::from_field_text(field, term),
        Bm25Params::default(),
    ))
}

fn phrase_query(field: Field, terms: &[String], slop: u32) -> Box<dyn Query> {
    let terms = terms
        .iter()
        .enumerate()
        .map(|(i, t)| (i, Term::from_field_text(field, t)))
        .collect();
    Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop))
}

fn to_query(node: &Node, field: Field) -> Box<dyn Query> {
    match node {
        Node::Terms { terms, .. } if terms.len() == 1 => term_query(field, &terms[0]),
        Node::Terms { terms, slop, .. } => phrase_query(field, terms, *slop),
        Node::Prefix(prefix) => Box::new(
            RegexQuery::from_pattern(&format!("{}.*", regex::escape(prefix)), field)
                .expect("an escaped prefix is a valid pattern"),
        ),
        // Only reached inside AND/OR, which place it as MustNot.
        Node::Not(inner) => to_query(inner, field),
        Node::And(children) => boolean(children, field, Occur::Must),
        Node::Or(children) => boolean(children, field, Occur::Should),
        Node::Loose(children) => loose(children, field),
    }
}

/// A loose query: its bare words are optional and rank by BM25, so passages holding more
/// of the words, and rarer ones, come first; everything else is as in an AND.
fn loose(children: &[Node], field: Field) -> Box<dyn Query> {
    let clauses = children
        .iter()
        .map(|child| match child {
            Node::Not(inner) => (Occur::MustNot, to_query(inner, field)),
            Node::Terms { quoted: false, .. } => (Occur::Should, to_query(child, field)),
            child => (Occur::Must, to_query(child, field)),
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}

/// Children joined with `occur`; exclusions as MustNot; for an AND, the phrase bonus of
/// bare words side by side.
fn boolean(children: &[Node], field: Field, occur: Occur) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = children
        .iter()
        .map(|child| match child {
            Node::Not(inner) => (Occur::MustNot, to_query(inner, field)),
            child => (occur, to_query(child, field)),
        })
        .collect();
    for run in Node::adjacent_runs(children) {
        let phrase = phrase_query(field, &run, 0);
        clauses.push((
            Occur::Should,
            Box::new(BoostQuery::new(phrase, ADJACENCY_BOOST)),
        ));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// All matching passages of one document.
#[derive(Debug, Clone, PartialEq)]
struct Group {
    matches: usize,
    /// The best passages, best first, at most `per_doc`.
    best: Vec<(Score, DocAddress)>,
    /// The document date's first day as YYYYMMDD, for sorting by date.
    date: Option<u64>,
}

impl Group {
    fn top_score(&self) -> Score {
        self.best.first().map_or(0.0, |(score, _)| *score)
    }

    fn add(&mut self, score: Score, address: DocAddress, per_doc: usize) {
        self.matches += 1;
        let at = self.best.partition_point(|(s, _)| *s >= score);
        if at < per_doc {
            self.best.insert(at, (score, address));
            self.best.truncate(per_doc);
        }
    }

    fn absorb(&mut self, other: Group, per_doc: usize) {
        let matches = self.matches + other.matches;
        for (score, address) in other.best {
            self.add(score, address, per_doc);
        }
        self.matches = matches;
    }
}

fn sort_groups(groups: &mut [Group], order: SortOrder) {
    let by_score = |a: &Group, b: &Group| b.top_score().total_cmp(&a.top_score());
    match order {
        SortOrder::Relevance => groups.sort_by(by_score),
        // Undated documents last in both directions.
        SortOrder::Newest => groups.sort_by(|a, b| {
            (a.date.is_none(), Reverse(a.date))
                .cmp(&(b.date.is_none(), Reverse(b.date)))
                .then_with(|| by_score(a, b))
        }),
        SortOrder::Oldest => groups.sort_by(|a, b| {
            (a.date.is_none(), a.date)
                .cmp(&(b.date.is_none(), b.date))
                .then_with(|| by_score(a, b))
        }),
    }
}

/// Collects every match, grouped by document id. A common phrase matches most of the
/// passages, so the map is keyed with a cheap hash (doc ids are ours, not an attacker's).
struct GroupCollector {
    per_doc: usize,
}

struct GroupSegmentCollector {
    segment: SegmentOrdinal,
    per_doc: usize,
    doc_ids: Column<u64>,
    dates: Column<u64>,
    groups: FxHashMap<u64, Group>,
}

impl Collector for GroupCollector {
    type Fruit = FxHashMap<u64, Group>;
    type Child = GroupSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(GroupSegmentCollector {
            segment,
            per_doc: self.per_doc,
            doc_ids: reader.fast_fields().u64("doc_id")?,
            dates: reader.fast_fields().u64("date_first")?,
            groups: FxHashMap::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<FxHashMap<u64, Group>>) -> tantivy::Result<Self::Fruit> {
        let mut merged: FxHashMap<u64, Group> = FxHashMap::default();
        for fruit in fruits {
            for (doc_id, group) in fruit {
                match merged.get_mut(&doc_id) {
                    Some(existing) => existing.absorb(group, self.per_doc),
                    None => {
                        merged.insert(doc_id, group);
                    }
                }
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for GroupSegmentCollector {
    type Fruit = FxHashMap<u64, Group>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let doc_id = self.doc_ids.first(doc).unwrap_or_default();
        let dates = &self.dates;
        let group = self.groups.entry(doc_id).or_insert_with(|| Group {
            matches: 0,
            best: Vec::new(),
            date: dates.first(doc),
        });
        group.add(score, DocAddress::new(self.segment, doc), self.per_doc);
    }

    fn harvest(self) -> Self::Fruit {
        self.groups
    }
}

fn document_hit(
    searcher: &tantivy::Searcher,
    fields: &Fields,
    group: &Group,
) -> tantivy::Result<DocumentHit> {
    let mut passages = Vec::with_capacity(group.best.len());
    let mut first: Option<TantivyDocument> = None;
    for (score, address) in &group.best {
        let stored: TantivyDocument = searcher.doc(*address)?;
        let number = |field| {
            stored
                .get_first(field)
                .and_then(|v| v.as_u64())
                .unwrap_or_default()
        };
        passages.push(PassageHit {
            score: *score,
            line: number(fields.line),
            page: stored.get_first(fields.page).and_then(|v| v.as_u64()),
            page_label: text_of(&stored, fields.page_label),
            start: number(fields.start),
            end: number(fields.end),
            text: text_of(&stored, fields.text).unwrap_or_default(),
            highlights: Vec::new(),
            clauses_matched: 0,
        });
        first.get_or_insert(stored);
    }
    let stored = first.unwrap_or_default();
    Ok(DocumentHit {
        path: PathBuf::from(text_of(&stored, fields.path).unwrap_or_default()),
        title: text_of(&stored, fields.title).unwrap_or_default(),
        date: text_of(&stored, fields.date),
        date_source: text_of(&stored, fields.date_source),
        countries: all_text(&stored, fields.countries),
        orgs: all_text(&stored, fields.orgs),
        issuers: all_text(&stored, fields.issuers),
        passages,
        matching_passages: group.matches,
    })
}

fn all_text(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn text_of(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{self, Observer, SyncOptions};
    use std::fs;
    use std::path::Path;

    struct Silent;

    impl Observer for Silent {
        fn warn(&self, path: &Path, message: &str) {
            panic!("{}: {message}", path.display());
        }
    }

    #[test]
    fn two_threads_collect_what_one_does() {
        let dir = tempfile::tempdir().unwrap();
        let texts = dir.path().join("texts");
        fs::create_dir(&texts).unwrap();
        let index_dir = dir.path().join("index");
        // Three syncs, three segments of different sizes.
        for (batch, files) in [(0, 7), (1, 3), (2, 5)] {
            for n in 0..files {
                let paragraphs: Vec<String> = (0..=n)
                    .map(|p| {
                        format!(
                            "Paragraph {p} of file {n}: the United Nations and its members. {}",
                            "Words enough to stand as a passage of its own. ".repeat(5)
                        )
                    })
                    .collect();
                fs::write(
                    texts.join(format!("{batch}-{n}.txt")),
                    paragraphs.join("\n\n"),
                )
                .unwrap();
            }
            let options = SyncOptions {
                threads: 1,
                ..SyncOptions::new(vec![texts.clone()])
            };
            index::sync(&index_dir, &options, &Silent).unwrap();
        }
        let index = DossierIndex::open(&index_dir).unwrap();
        let searcher = index.searcher().unwrap();
        assert_eq!(searcher.segment_readers().len(), 3);
        let request = SearchRequest::new("\"united nations\"");
        let expr = query::parse(&request.query).unwrap();
        let node = query::analyze(&expr, &mut analyzer(), &mut unstemmed_analyzer()).unwrap();
        let query = full_query(&node, index.fields(), &request, false);
        let collector = GroupCollector { per_doc: 2 };
        let one = search_segments(&searcher, &query, &collector, false).unwrap();
        let two = search_segments(&searcher, &query, &collector, true).unwrap();
        assert_eq!(one.len(), 15);
        assert_eq!(
            one.values().map(|g| g.matches).sum::<usize>(),
            7 * 8 / 2 + 3 * 4 / 2 + 5 * 6 / 2
        );
        assert_eq!(one, two);
    }
}
