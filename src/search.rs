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
use std::collections::hash_map::Entry;
use std::ops::{Bound, Range};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tantivy::collector::{Collector, DocSetCollector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::index::SegmentReader;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, Occur, PhraseQuery, Query,
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
    /// By the earliest day each date can stand for, latest first: a date known only to
    /// its year never comes before a day of that year it may precede.
    Newest,
    /// By the latest day each date can stand for, earliest first: "2002" never comes
    /// before 2002-01-29, which it may follow.
    Oldest,
}

/// What matches can be counted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountBy {
    /// The year of the document's date (a date is known at least to its year).
    Year,
    Country,
    Issuer,
    Org,
}

impl CountBy {
    pub fn as_str(self) -> &'static str {
        match self {
            CountBy::Year => "year",
            CountBy::Country => "country",
            CountBy::Issuer => "issuer",
            CountBy::Org => "org",
        }
    }

    /// The fast field that holds the values, for tags.
    fn field_name(self) -> Option<&'static str> {
        match self {
            CountBy::Year => None,
            CountBy::Country => Some("countries"),
            CountBy::Issuer => Some("issuers"),
            CountBy::Org => Some("orgs"),
        }
    }
}

/// Matching documents and passages that share one value: a year, a country code, an
/// organisation code. `value` is `None` for documents without one (undated, no country).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub value: Option<String>,
    pub documents: usize,
    pub passages: usize,
}

/// Every match counted by one dimension: years in order, tags most frequent first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts {
    pub by: CountBy,
    pub rows: Vec<Count>,
}

/// A search as the user asked for it.
#[derive(Debug, Clone)]
pub struct SearchRequest {
    /// The query; empty to list the documents the filters select.
    pub query: String,
    /// Alpha-2 codes; a document must name every one.
    pub countries: Vec<String>,
    /// Organisation codes; a document must name every one.
    pub orgs: Vec<String>,
    /// Alpha-2 codes; a document must be issued by every one.
    pub issuers: Vec<String>,
    /// Codes a document must not carry: countries, organisations, issuers.
    pub exclude_countries: Vec<String>,
    pub exclude_orgs: Vec<String>,
    pub exclude_issuers: Vec<String>,
    /// A document is kept when its date may fall on or after this: a date whose span
    /// straddles the bound ("2002" against 2002-06-01) is kept, and marked.
    pub since: Option<PartialDate>,
    /// Likewise, on or before.
    pub until: Option<PartialDate>,
    /// Keep undated documents when a date filter is given (they are left out, and
    /// counted, otherwise).
    pub include_undated: bool,
    /// Documents to show, after skipping `offset` of them (the search page's "more").
    pub limit: usize,
    pub offset: usize,
    /// Passages to show per document.
    pub per_doc: usize,
    pub sort: SortOrder,
    /// Count every match by these, not only the documents shown.
    pub count_by: Vec<CountBy>,
    /// Also this many of the earliest dated documents ("who said it first"), from the same
    /// matches.
    pub earliest: usize,
    /// Only passages whose text entered the index after this sync stamp (see
    /// [`crate::index::Fields::first_seen`]): a saved search's new matches.
    pub new_since: Option<u64>,
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
            exclude_countries: Vec::new(),
            exclude_orgs: Vec::new(),
            exclude_issuers: Vec::new(),
            since: None,
            until: None,
            include_undated: false,
            limit: 10,
            offset: 0,
            per_doc: 1,
            sort: SortOrder::Relevance,
            count_by: Vec::new(),
            earliest: 0,
            new_since: None,
        }
    }

    fn has_filters(&self) -> bool {
        !self.countries.is_empty()
            || !self.orgs.is_empty()
            || !self.issuers.is_empty()
            || !self.exclude_countries.is_empty()
            || !self.exclude_orgs.is_empty()
            || !self.exclude_issuers.is_empty()
            || self.since.is_some()
            || self.until.is_some()
    }
}

#[derive(Debug, Clone)]
pub struct SearchResults {
    pub documents: Vec<DocumentHit>,
    pub matching_passages: usize,
    /// Matching documents, a text held by several files counted once.
    pub matching_documents: usize,
    pub total_documents: u64,
    /// Set when no passage holds every word and passages holding some are shown.
    pub partial: Option<PartialMatch>,
    /// How many clauses (words, phrases, groups) the query asks for; a passage of a loose
    /// query or a partial match may hold fewer.
    pub clauses: usize,
    /// True when there was no query and the filters listed documents.
    pub listing: bool,
    /// Matching documents a date filter left out because they have no date.
    pub undated_left_out: usize,
    /// One entry per [`SearchRequest::count_by`], in its order.
    pub counts: Vec<Counts>,
    /// The earliest dated documents, oldest first ([`SearchRequest::earliest`]).
    pub earliest: Vec<DocumentHit>,
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
    /// Other files holding the same text, by path: the same words, or another
    /// transcription of the same document (see [`is_near_copy`]).
    pub copies: Vec<PathBuf>,
    pub title: String,
    /// Where the title came from: "file-name" when the document gave none.
    pub title_source: String,
    pub date: Option<PartialDate>,
    pub date_source: Option<String>,
    /// The date's span reaches before `--since`: the document may predate it.
    pub may_precede_since: bool,
    /// The date's span reaches past `--until`: the document may postdate it.
    pub may_follow_until: bool,
    /// In a sort by date: this document's date and the previous result's overlap and one
    /// of them is imprecise, so the dates cannot say which came first.
    pub order_undecided: bool,
    pub countries: Vec<String>,
    pub orgs: Vec<String>,
    pub issuers: Vec<String>,
    pub passages: Vec<PassageHit>,
    /// Every passage of this document that matched, shown or not.
    pub matching_passages: usize,
    /// The file's size in bytes.
    pub size: u64,
}

#[derive(Debug, Clone)]
pub struct PassageHit {
    pub score: Score,
    /// Line and column (1-based, in characters) where the passage starts.
    pub line: u64,
    pub column: u64,
    /// Line and column of the first highlighted word: where a reader finds the match.
    /// The passage's own start when nothing is highlighted.
    pub match_line: u64,
    pub match_column: u64,
    /// For documents with pages (PDF): the 1-based page, and `line` is within it.
    pub page: Option<u64>,
    /// The number printed on that page, when it differs from `page`.
    pub page_label: Option<String>,
    /// The page of the first match, its printed number, and `match_line` is within it: a
    /// passage may run on over a page break.
    pub match_page: Option<u64>,
    pub match_page_label: Option<String>,
    /// Pages starting inside the passage: byte offset in `text`, page, printed number.
    pub page_breaks: Vec<(usize, u64, Option<String>)>,
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

impl PassageHit {
    /// Sets the match's line and column from the first highlight.
    fn locate_match(&mut self) {
        self.match_page = self.page;
        self.match_page_label = self.page_label.clone();
        let Some(first) = self.highlights.first() else {
            self.match_line = self.line;
            self.match_column = self.column;
            return;
        };
        // On a page that starts inside the passage, lines count from that page's start.
        let (from, first_line) = match self.page_breaks.iter().rfind(|b| b.0 <= first.start) {
            Some((offset, page, label)) => {
                self.match_page = Some(*page);
                self.match_page_label = label.clone();
                (*offset, 1)
            }
            None => (0, self.line),
        };
        let before = &self.text[from.min(first.start)..first.start];
        let newlines = before.matches('\n').count() as u64;
        self.match_line = first_line + newlines;
        self.match_column = match before.rfind('\n') {
            Some(i) => before[i + 1..].chars().count() as u64 + 1,
            None if from > 0 => before.chars().count() as u64 + 1,
            None => self.column + before.chars().count() as u64,
        };
    }

    /// Reads the page-breaks field (see [`crate::index::Fields::page_breaks`]).
    fn parse_page_breaks(field: &str) -> Vec<(usize, u64, Option<String>)> {
        field
            .split(' ')
            .filter_map(|entry| {
                let mut parts = entry.splitn(3, ':');
                let offset = parts.next()?.parse().ok()?;
                let page = parts.next()?.parse().ok()?;
                Some((offset, page, parts.next().map(str::to_string)))
            })
            .collect()
    }
}

/// Runs `request` against `index`.
pub fn search(index: &DossierIndex, request: &SearchRequest) -> Result<SearchResults> {
    let started = Instant::now();
    let node = if request.query.trim().is_empty() {
        if !request.has_filters() {
            return Err(Error::Query(QueryError {
                message: "the query is empty: give words to search for, or a filter \
                          (--country, --org, --issuer, --since, --until) to list documents"
                    .into(),
                column: 1,
            }));
        }
        None
    } else {
        let expr = query::parse(&request.query)?;
        let node = query::analyze(&expr, &mut analyzer(), &mut unstemmed_analyzer()).ok_or(
            QueryError {
                message: "the query has no words to search for".into(),
                column: 1,
            },
        )?;
        Some(node)
    };
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
        dates: DateFilter::of(request),
    };

    let strict = full_query(node.as_ref(), fields, request, false);
    let postings: u64 = node
        .iter()
        .flat_map(|node| node.positive_terms())
        .map(|t| searcher.doc_freq(&Term::from_field_text(fields.body, t)))
        .sum::<tantivy::Result<u64>>()
        .map_err(tantivy_error)?;
    let two_threads = postings >= TWO_THREADS_FROM
        && std::thread::available_parallelism().is_ok_and(|cores| cores.get() > 1);
    let mut groups =
        search_segments(&searcher, &strict, &collector, two_threads).map_err(tantivy_error)?;
    let clauses = node
        .as_ref()
        .map(Node::required_clauses)
        .unwrap_or_default();
    let mut partial = None;
    // A short query whose words no passage holds all of falls back to passages holding
    // any of them, by BM25: those holding more of the words, and the rarer ones, first.
    // (A loose query already matches any of its words.) New matches are exact: a passage
    // holding some of the words is not a match of a saved search.
    if groups.is_empty()
        && matches!(node, Some(Node::And(_)))
        && clauses.len() > 1
        && request.new_since.is_none()
    {
        let relaxed = full_query(node.as_ref(), fields, request, true);
        groups =
            search_segments(&searcher, &relaxed, &collector, two_threads).map_err(tantivy_error)?;
        partial = Some(PartialMatch {
            clauses: clauses.len(),
        });
    }

    let mut undated_left_out = 0;
    groups.retain(|_, group| match group.fate {
        Fate::Kept => true,
        Fate::Undated if request.include_undated => true,
        Fate::Undated => {
            undated_left_out += 1;
            false
        }
        Fate::OutOfRange => false,
    });
    let mut ranked = fold_copies(groups);
    let matching_passages = ranked.iter().map(|g| g.matches).sum();
    let matching_documents = ranked.len();
    let counts = count(&searcher, &ranked, &request.count_by).map_err(tantivy_error)?;
    let shown = Shown {
        searcher: &searcher,
        fields,
        node: node.as_ref(),
        clauses: &clauses,
        dates: collector.dates,
    };
    let earliest = if request.earliest > 0 {
        let mut by_date: Vec<&Group> = ranked.iter().filter(|g| g.date.is_some()).collect();
        sort_groups(&mut by_date, SortOrder::Oldest);
        shown
            .documents(by_date, request.earliest, true)
            .map_err(tantivy_error)?
    } else {
        Vec::new()
    };
    sort_groups(&mut ranked, request.sort);
    let wanted = request.offset + request.limit;
    let mut documents = shown
        .documents(&ranked, wanted, request.sort != SortOrder::Relevance)
        .map_err(tantivy_error)?;
    // Near copies fold only among the documents looked at, so the skipped ones are
    // built too: page two never repeats a copy of a document on page one.
    documents.drain(..request.offset.min(documents.len()));
    Ok(SearchResults {
        documents,
        matching_passages,
        matching_documents,
        total_documents: index.state().documents,
        partial,
        clauses: clauses.len(),
        listing: node.is_none(),
        undated_left_out,
        counts,
        earliest,
        elapsed: started.elapsed(),
    })
}

/// The whole of the indexed document at `path` (absolute, as indexed), every passage in
/// the order of the text, with the matches of `query` highlighted (none for an empty
/// query): the search page's document view. `None` when the index holds no such file.
pub fn document(index: &DossierIndex, path: &Path, query: &str) -> Result<Option<DocumentHit>> {
    let node = if query.trim().is_empty() {
        None
    } else {
        let expr = query::parse(query)?;
        query::analyze(&expr, &mut analyzer(), &mut unstemmed_analyzer())
    };
    let fields = index.fields();
    let searcher = index.searcher()?;
    let tantivy_error = |error| Error::Tantivy {
        dir: index.dir().to_path_buf(),
        error,
    };
    let id = TermQuery::new(
        Term::from_field_u64(fields.doc_id, crate::index::doc_id(path)),
        IndexRecordOption::Basic,
    );
    let addresses = searcher
        .search(&id, &DocSetCollector)
        .map_err(tantivy_error)?;
    if addresses.is_empty() {
        return Ok(None);
    }
    let group = Group {
        matches: 0,
        best: addresses.into_iter().map(|a| (0.0, a)).collect(),
        date: None,
        content_id: 0,
        fate: Fate::Kept,
        copies: Vec::new(),
    };
    let mut hit = document_hit(&searcher, fields, &group).map_err(tantivy_error)?;
    hit.passages.sort_by_key(|p| p.start);
    let highlighted = node.as_ref().map(Node::highlighted).unwrap_or_default();
    let mut highlighter = analyzer_for(highlighted);
    for passage in &mut hit.passages {
        if let Some(node) = &node {
            let analysed = AnalysedPassage::new(&mut highlighter, &passage.text);
            passage.highlights = analysed.highlights(node);
        }
        passage.locate_match();
    }
    hit.matching_passages = hit
        .passages
        .iter()
        .filter(|p| !p.highlights.is_empty())
        .count();
    Ok(Some(hit))
}

/// What turns ranked groups into the results shown.
struct Shown<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    node: Option<&'a Node>,
    clauses: &'a [&'a Node],
    dates: DateFilter,
}

impl Shown<'_> {
    /// The first `wanted` documents of `groups`, in their order, with their passages
    /// highlighted and located; a near copy of one already shown joins it as a copy.
    fn documents<'g>(
        &self,
        groups: impl IntoIterator<Item = &'g Group>,
        wanted: usize,
        by_date: bool,
    ) -> tantivy::Result<Vec<DocumentHit>> {
        let mut documents: Vec<DocumentHit> = Vec::with_capacity(wanted);
        let highlighted = self.node.map(Node::highlighted).unwrap_or_default();
        let mut highlighter = analyzer_for(highlighted);
        let mut previous_date = None;
        for group in groups.into_iter().take(wanted + NEAR_COPY_LOOKAHEAD) {
            if documents.len() == wanted {
                break;
            }
            let mut hit = document_hit(self.searcher, self.fields, group)?;
            if let Some(original) = documents.iter_mut().find(|shown| is_near_copy(shown, &hit)) {
                original.copies.push(hit.path);
                original.copies.append(&mut hit.copies);
                continue;
            }
            for passage in &mut hit.passages {
                if let Some(node) = self.node {
                    let analysed = AnalysedPassage::new(&mut highlighter, &passage.text);
                    passage.highlights = analysed.highlights(node);
                    passage.clauses_matched = analysed.coverage(self.clauses);
                }
                passage.locate_match();
            }
            if let Some(date) = hit.date {
                let first = crate::index::yyyymmdd(date.first_day());
                let last = crate::index::yyyymmdd(date.last_day());
                hit.may_precede_since = self.dates.since.is_some_and(|s| first < s);
                hit.may_follow_until = self.dates.until.is_some_and(|u| last > u);
            }
            hit.order_undecided =
                by_date && !documents.is_empty() && dates_overlap(previous_date, group.date);
            previous_date = group.date;
            documents.push(hit);
        }
        Ok(documents)
    }
}

/// How many results past the limit are looked at for near copies of those shown.
const NEAR_COPY_LOOKAHEAD: usize = 20;

/// Another transcription of a shown document: the same speech in two collections, one
/// with "Qaida" and "3", the other with "Qaeda" and "three". Their files are within 5% of
/// each other's size, their dates agree (or one has none), and their best passages share
/// at least 80% of their words.
fn is_near_copy(shown: &DocumentHit, other: &DocumentHit) -> bool {
    let (small, large) = (shown.size.min(other.size), shown.size.max(other.size));
    if large == 0 || small * 20 < large * 19 {
        return false;
    }
    if let (Some(a), Some(b)) = (shown.date, other.date) {
        if a != b {
            return false;
        }
    }
    let (Some(a), Some(b)) = (shown.passages.first(), other.passages.first()) else {
        return false;
    };
    let words = |text: &str| -> rustc_hash::FxHashSet<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (a, b) = (words(&a.text), words(&b.text));
    let shared = a.intersection(&b).count();
    let all = a.len() + b.len() - shared;
    all > 0 && shared * 5 >= all * 4
}

/// True when two date spans share a day and at least one spans more than a day: which
/// document came first is then not something the dates know.
fn dates_overlap(a: Option<(u64, u64)>, b: Option<(u64, u64)>) -> bool {
    let (Some((a_first, a_last)), Some((b_first, b_last))) = (a, b) else {
        return false;
    };
    let imprecise = a_first != a_last || b_first != b_last;
    imprecise && a_first <= b_last && b_first <= a_last
}

/// One group per text: files holding the same text (the same speech in two folders) are
/// one result, the best-scoring copy first and the others listed with it.
fn fold_copies(groups: FxHashMap<u64, Group>) -> Vec<Group> {
    let mut by_text: FxHashMap<u64, (u64, Group)> =
        FxHashMap::with_capacity_and_hasher(groups.len(), Default::default());
    for (doc_id, group) in groups {
        // A document without a fingerprint is only itself.
        let key = if group.content_id == 0 {
            doc_id
        } else {
            group.content_id
        };
        match by_text.entry(key) {
            Entry::Vacant(slot) => {
                slot.insert((doc_id, group));
            }
            Entry::Occupied(mut slot) => {
                let (kept_id, kept) = slot.get_mut();
                let better =
                    (group.top_score(), Reverse(doc_id)) > (kept.top_score(), Reverse(*kept_id));
                let mut copy = if better {
                    *kept_id = doc_id;
                    std::mem::replace(kept, group)
                } else {
                    group
                };
                kept.copies.push(copy.best[0].1);
                kept.copies.append(&mut copy.copies);
            }
        }
    }
    by_text.into_values().map(|(_, group)| group).collect()
}

/// Counts the documents and passages of `groups` by each of `by`. Tags are read from
/// fast fields, each value's name once per segment.
fn count(searcher: &Searcher, groups: &[Group], by: &[CountBy]) -> tantivy::Result<Vec<Counts>> {
    let mut all = Vec::with_capacity(by.len());
    for &dimension in by {
        // Tallied by number (a year, or a value's ordinal in a segment) and named once per
        // value: a common query matches thousands of documents with several tags each.
        let mut tally: FxHashMap<String, (usize, usize)> = FxHashMap::default();
        let add = |tally: &mut FxHashMap<String, (usize, usize)>,
                   value: &str,
                   (documents, passages): (usize, usize)| {
            let entry = match tally.get_mut(value) {
                Some(entry) => entry,
                None => tally.entry(value.to_string()).or_default(),
            };
            entry.0 += documents;
            entry.1 += passages;
        };
        let mut untagged = (0, 0);
        match dimension.field_name() {
            None => {
                let mut years: FxHashMap<u64, (usize, usize)> = FxHashMap::default();
                for group in groups {
                    let counts = match group.date {
                        Some((first, _)) => years.entry(first / 10_000).or_default(),
                        None => &mut untagged,
                    };
                    counts.0 += 1;
                    counts.1 += group.matches;
                }
                for (year, counts) in years {
                    add(&mut tally, &year.to_string(), counts);
                }
            }
            Some(field) => {
                let mut by_segment: Vec<Vec<&Group>> =
                    vec![Vec::new(); searcher.segment_readers().len()];
                for group in groups {
                    by_segment[group.best[0].1.segment_ord as usize].push(group);
                }
                for (segment, groups) in by_segment.iter().enumerate() {
                    if groups.is_empty() {
                        continue;
                    }
                    let column = searcher
                        .segment_reader(segment as SegmentOrdinal)
                        .fast_fields()
                        .str(field)?;
                    let Some(column) = column else {
                        for group in groups {
                            untagged.0 += 1;
                            untagged.1 += group.matches;
                        }
                        continue;
                    };
                    // Ordinals are dense in a segment: a slot each, and the names of those
                    // counted read in one pass over the dictionary.
                    let mut by_ord = vec![(0usize, 0usize); column.num_terms()];
                    for group in groups {
                        let mut tagged = false;
                        for ord in column.term_ords(group.best[0].1.doc_id) {
                            if let Some(counts) = by_ord.get_mut(ord as usize) {
                                counts.0 += 1;
                                counts.1 += group.matches;
                                tagged = true;
                            }
                        }
                        if !tagged {
                            untagged.0 += 1;
                            untagged.1 += group.matches;
                        }
                    }
                    let counted: Vec<u64> = (0..by_ord.len() as u64)
                        .filter(|&ord| by_ord[ord as usize].0 > 0)
                        .collect();
                    let mut counts = counted.iter().map(|&ord| by_ord[ord as usize]);
                    column
                        .dictionary()
                        .sorted_ords_to_term_cb(&counted, |bytes| {
                            let name = String::from_utf8_lossy(bytes);
                            add(&mut tally, &name, counts.next().unwrap_or_default());
                        })
                        .map_err(tantivy::TantivyError::from)?;
                }
            }
        }
        let mut rows: Vec<Count> = tally
            .into_iter()
            .map(|(value, (documents, passages))| Count {
                value: Some(value),
                documents,
                passages,
            })
            .collect();
        if untagged.0 > 0 {
            rows.push(Count {
                value: None,
                documents: untagged.0,
                passages: untagged.1,
            });
        }
        match dimension {
            // Years in order, undated last.
            CountBy::Year => rows
                .sort_by(|a, b| (a.value.is_none(), &a.value).cmp(&(b.value.is_none(), &b.value))),
            // Most documents first, untagged last.
            _ => rows.sort_by(|a, b| {
                (
                    a.value.is_none(),
                    Reverse(a.documents),
                    Reverse(a.passages),
                    &a.value,
                )
                    .cmp(&(
                        b.value.is_none(),
                        Reverse(b.documents),
                        Reverse(b.passages),
                        &b.value,
                    ))
            }),
        }
        all.push(Counts {
            by: dimension,
            rows,
        });
    }
    Ok(all)
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

/// The text query with ranking bonuses and filters; with no query, every passage of the
/// documents the filters select. `relaxed` turns the top-level AND into an OR, for the
/// fallback when no passage holds every word. Dates are filtered by the collector, which
/// counts the undated documents it leaves out.
fn full_query(
    node: Option<&Node>,
    fields: &Fields,
    request: &SearchRequest,
    relaxed: bool,
) -> BooleanQuery {
    let text = match (node, relaxed) {
        (None, _) => Box::new(AllQuery),
        (Some(Node::And(children)), true) => boolean(children, fields.body, Occur::Should),
        (Some(node), _) => to_query(node, fields.body),
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
    let title_terms: Vec<(Occur, Box<dyn Query>)> = node
        .map(Node::positive_terms)
        .unwrap_or_default()
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
    let excluded = [
        (fields.countries, &request.exclude_countries),
        (fields.orgs, &request.exclude_orgs),
        (fields.issuers, &request.exclude_issuers),
    ];
    for (field, codes) in excluded {
        for code in codes {
            let tagged =
                TermQuery::new(Term::from_field_text(field, code), IndexRecordOption::Basic);
            clauses.push((Occur::MustNot, filter(tagged)));
        }
    }
    if let Some(stamp) = request.new_since {
        let newer = RangeQuery::new(
            Bound::Excluded(Term::from_field_u64(fields.first_seen, stamp)),
            Bound::Unbounded,
        );
        clauses.push((Occur::Must, filter(newer)));
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
    /// The first and last day the document's date can stand for, as YYYYMMDD.
    date: Option<(u64, u64)>,
    content_id: u64,
    /// What the date filter makes of the document.
    fate: Fate,
    /// The best passage of each other file with the same text.
    copies: Vec<DocAddress>,
}

/// What the date filters make of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Kept,
    Undated,
    OutOfRange,
}

/// `--since` and `--until` as YYYYMMDD: the first day of one, the last day of the other.
#[derive(Debug, Clone, Copy)]
struct DateFilter {
    since: Option<u64>,
    until: Option<u64>,
}

impl DateFilter {
    fn of(request: &SearchRequest) -> DateFilter {
        DateFilter {
            since: request.since.map(|d| crate::index::yyyymmdd(d.first_day())),
            until: request.until.map(|d| crate::index::yyyymmdd(d.last_day())),
        }
    }

    /// A date is out of range only when all of its span is: a span that straddles a
    /// bound may fall inside, and is kept (and marked when shown).
    fn fate(&self, date: Option<(u64, u64)>) -> Fate {
        if self.since.is_none() && self.until.is_none() {
            return Fate::Kept;
        }
        let Some((first, last)) = date else {
            return Fate::Undated;
        };
        let before = self.since.is_some_and(|since| last < since);
        let after = self.until.is_some_and(|until| first > until);
        if before || after {
            Fate::OutOfRange
        } else {
            Fate::Kept
        }
    }
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

fn sort_groups<G: std::borrow::Borrow<Group>>(groups: &mut [G], order: SortOrder) {
    let by_score = |a: &Group, b: &Group| b.top_score().total_cmp(&a.top_score());
    match order {
        SortOrder::Relevance => groups.sort_by(|a, b| by_score(a.borrow(), b.borrow())),
        // Each date by the end of its span that makes the safe claim (see SortOrder), and
        // on a tie the precise date first; undated documents last in both directions.
        SortOrder::Newest => groups.sort_by(|a, b| {
            let (a, b) = (a.borrow(), b.borrow());
            let key = |g: &Group| g.date.map(|(first, last)| (Reverse(first), last));
            (a.date.is_none(), key(a))
                .cmp(&(b.date.is_none(), key(b)))
                .then_with(|| by_score(a, b))
        }),
        SortOrder::Oldest => groups.sort_by(|a, b| {
            let (a, b) = (a.borrow(), b.borrow());
            let key = |g: &Group| g.date.map(|(first, last)| (last, Reverse(first)));
            (a.date.is_none(), key(a))
                .cmp(&(b.date.is_none(), key(b)))
                .then_with(|| by_score(a, b))
        }),
    }
}

/// Collects every match, grouped by document id. A common phrase matches most of the
/// passages, so the map is keyed with a cheap hash (doc ids are ours, not an attacker's).
struct GroupCollector {
    per_doc: usize,
    dates: DateFilter,
}

struct GroupSegmentCollector {
    segment: SegmentOrdinal,
    per_doc: usize,
    filter: DateFilter,
    doc_ids: Column<u64>,
    firsts: Column<u64>,
    lasts: Column<u64>,
    content_ids: Column<u64>,
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
            filter: self.dates,
            doc_ids: reader.fast_fields().u64("doc_id")?,
            firsts: reader.fast_fields().u64("date_first")?,
            lasts: reader.fast_fields().u64("date_last")?,
            content_ids: reader.fast_fields().u64("content_id")?,
            groups: FxHashMap::default(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<FxHashMap<u64, Group>>) -> tantivy::Result<Self::Fruit> {
        // Sized once: a common phrase matches thousands of documents.
        let size = fruits.iter().map(FxHashMap::len).sum();
        let mut merged: FxHashMap<u64, Group> =
            FxHashMap::with_capacity_and_hasher(size, Default::default());
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
        let (firsts, lasts, content_ids) = (&self.firsts, &self.lasts, &self.content_ids);
        let filter = self.filter;
        let group = self.groups.entry(doc_id).or_insert_with(|| {
            let date = firsts.first(doc).zip(lasts.first(doc));
            Group {
                matches: 0,
                best: Vec::new(),
                date,
                content_id: content_ids.first(doc).unwrap_or_default(),
                fate: filter.fate(date),
                copies: Vec::new(),
            }
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
            column: number(fields.column),
            match_line: 0,
            match_column: 0,
            page: stored.get_first(fields.page).and_then(|v| v.as_u64()),
            page_label: text_of(&stored, fields.page_label),
            match_page: None,
            match_page_label: None,
            page_breaks: text_of(&stored, fields.page_breaks)
                .map(|field| PassageHit::parse_page_breaks(&field))
                .unwrap_or_default(),
            start: number(fields.start),
            end: number(fields.end),
            text: text_of(&stored, fields.text).unwrap_or_default(),
            highlights: Vec::new(),
            clauses_matched: 0,
        });
        first.get_or_insert(stored);
    }
    let mut copies = Vec::with_capacity(group.copies.len());
    for address in &group.copies {
        let stored: TantivyDocument = searcher.doc(*address)?;
        copies.push(PathBuf::from(
            text_of(&stored, fields.path).unwrap_or_default(),
        ));
    }
    copies.sort();
    let stored = first.unwrap_or_default();
    Ok(DocumentHit {
        path: PathBuf::from(text_of(&stored, fields.path).unwrap_or_default()),
        copies,
        title: text_of(&stored, fields.title).unwrap_or_default(),
        title_source: text_of(&stored, fields.title_source).unwrap_or_default(),
        date: text_of(&stored, fields.date).and_then(|d| PartialDate::parse_iso(&d).ok()),
        date_source: text_of(&stored, fields.date_source),
        may_precede_since: false,
        may_follow_until: false,
        order_undecided: false,
        countries: all_text(&stored, fields.countries),
        orgs: all_text(&stored, fields.orgs),
        issuers: all_text(&stored, fields.issuers),
        passages,
        matching_passages: group.matches,
        size: stored
            .get_first(fields.size)
            .and_then(|v| v.as_u64())
            .unwrap_or_default(),
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
        let query = full_query(Some(&node), index.fields(), &request, false);
        let collector = GroupCollector {
            per_doc: 2,
            dates: DateFilter::of(&request),
        };
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
