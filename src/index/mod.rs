//! The tantivy index: one tantivy document per passage, carrying its document's tags.

mod directory;
mod roots;
mod stats;
mod sync;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use tantivy::directory::error::LockError;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, TantivyError};

use crate::analysis::{self, ANALYZER_NAME, ANALYZER_VERSION};
use crate::error::{Error, Result};
use crate::passages::SPLITTER_VERSION;
use crate::tagging::TAGGER_VERSION;

pub use roots::{Root, RootTables};
pub use stats::{stats, Stats};
pub(crate) use sync::doc_id;
pub use sync::{
    sync, Change, Observer, SyncOptions, SyncReport, COMMIT_EVERY_BYTES, WRITER_BYTES_PER_THREAD,
};

/// Bumped whenever the schema or the meaning of a stored field changes.
pub const SCHEMA_VERSION: u32 = 5;

/// What dossier records in every commit, beside tantivy's own metadata.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(from = "roots::StoredState")]
pub struct IndexState {
    pub schema: u32,
    pub analyzer: u32,
    pub splitter: u32,
    pub tagger: u32,
    pub documents: u64,
    /// Every file or folder a sync was run over, with the metadata given for it.
    pub roots: Vec<Root>,
    /// Seconds since the Unix epoch.
    pub last_sync: u64,
    /// The highest stamp a passage was given (see [`Fields::first_seen`]); a sync under
    /// way commits its stamp here with its first chunk.
    pub stamp: u64,
    /// The stamp through which every passage is in: `stamp` as the last sync that finished
    /// left it. A reader who has seen the new matches through it has seen them all.
    pub settled: u64,
    /// By saved search, the stamp through which its new matches have been reported (see
    /// [`crate::watchlist`]): kept in the commit, so that the record of what was reported
    /// and the passages it speaks of can never disagree.
    pub reported: BTreeMap<String, u64>,
}

impl IndexState {
    fn new() -> IndexState {
        IndexState {
            schema: SCHEMA_VERSION,
            analyzer: ANALYZER_VERSION,
            splitter: SPLITTER_VERSION,
            tagger: TAGGER_VERSION,
            documents: 0,
            roots: Vec::new(),
            last_sync: 0,
            stamp: 0,
            settled: 0,
            reported: BTreeMap::new(),
        }
    }

    fn is_current(&self) -> bool {
        self.schema == SCHEMA_VERSION
            && self.analyzer == ANALYZER_VERSION
            && self.splitter == SPLITTER_VERSION
            && self.tagger == TAGGER_VERSION
    }

    /// The schema, analyzer, splitter and tagger versions, for error messages.
    fn format(&self) -> String {
        let IndexState {
            schema,
            analyzer,
            splitter,
            tagger,
            ..
        } = self;
        format!("{schema}.{analyzer}.{splitter}.{tagger}")
    }
}

/// A date as the number YYYYMMDD, which orders like the date.
pub fn yyyymmdd(date: chrono::NaiveDate) -> u64 {
    use chrono::Datelike;
    (date.year() as u64) * 10_000 + u64::from(date.month()) * 100 + u64::from(date.day())
}

/// The fields of a passage.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Hash of the document's path: what a sync deletes by.
    pub doc_id: Field,
    /// Absolute path of the document.
    pub path: Field,
    pub title: Field,
    /// Where the title came from ([`crate::tagging::Source`]), so that a title that is
    /// only the file name can be shown as what the tags say instead.
    pub title_source: Field,
    /// The document date as written: "2026-03-06", "2026-03" or "2026".
    pub date: Field,
    pub date_source: Field,
    /// First and last day the document date can stand for, as YYYYMMDD.
    pub date_first: Field,
    pub date_last: Field,
    /// Alpha-2 codes, most mentioned first. Countries, organisations and issuers are
    /// fast fields too, so that matches can be counted by them without loading documents.
    pub countries: Field,
    /// Organisation codes, most mentioned first.
    pub orgs: Field,
    /// Alpha-2 codes of the countries that issue the document.
    pub issuers: Field,
    /// The passage as indexed (markup blanked); not stored.
    pub body: Field,
    /// The passage exactly as in the file; stored, not indexed.
    pub text: Field,
    /// The line the passage starts on: in the file, or within its page for a document
    /// with pages.
    pub line: Field,
    /// The column (in characters, from 1) where the passage starts on its line.
    pub column: Field,
    /// The 1-based page the passage starts on; absent for documents without pages.
    pub page: Field,
    /// The number printed on that page, when it is not the page's place in the file.
    pub page_label: Field,
    /// The pages that start inside the passage, as `OFFSET:PAGE[:PRINTED]` separated by
    /// spaces (OFFSET in bytes into the passage): so a match is located on its own page.
    pub page_breaks: Field,
    /// Byte range of the passage in the document's text (the extracted text for a PDF).
    pub start: Field,
    pub end: Field,
    pub hash: Field,
    /// A fingerprint of the document's words ([`crate::ingest::Document::text_fingerprint`]):
    /// documents with the same text share it, and a search shows them as one result.
    pub content_id: Field,
    /// Fingerprint of the document's metadata record, empty when it has none.
    pub meta: Field,
    pub size: Field,
    pub mtime: Field,
    /// The stamp of the sync in which the passage's text first entered the index: unix
    /// seconds of that sync's start, each sync's stamp above the one before. A passage
    /// whose exact text the index already held keeps that text's stamp, so that a moved
    /// file, a file given again or a changed file's untouched paragraphs are not new.
    pub first_seen: Field,
    /// A hash of the passage's text, indexed: what a sync looks a passage's text up by.
    pub text_hash: Field,
}

fn schema() -> Schema {
    let analyzed = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let mut builder = Schema::builder();
    builder.add_u64_field("doc_id", INDEXED | FAST);
    builder.add_text_field("path", STRING | STORED);
    // The title is only ever searched word by word (the title bonus), never as a phrase:
    // it needs frequencies, not positions, and it is indexed on every passage.
    let title = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    builder.add_text_field("title", title | STORED);
    builder.add_text_field("title_source", STORED);
    builder.add_text_field("date", STORED);
    builder.add_text_field("date_source", STORED);
    builder.add_u64_field("date_first", INDEXED | FAST);
    builder.add_u64_field("date_last", INDEXED | FAST);
    builder.add_text_field("countries", STRING | STORED | FAST);
    builder.add_text_field("orgs", STRING | STORED | FAST);
    builder.add_text_field("issuers", STRING | STORED | FAST);
    builder.add_text_field("body", analyzed);
    builder.add_text_field("text", STORED);
    builder.add_u64_field("line", STORED);
    builder.add_u64_field("column", STORED);
    builder.add_u64_field("page", STORED);
    builder.add_text_field("page_label", STORED);
    builder.add_text_field("page_breaks", STORED);
    builder.add_u64_field("start", STORED);
    builder.add_u64_field("end", STORED);
    builder.add_text_field("hash", STORED);
    // Stored too, so that a moved file's passages, copied from the store, keep it.
    builder.add_u64_field("content_id", FAST | STORED);
    builder.add_text_field("meta", STORED);
    builder.add_u64_field("size", STORED);
    builder.add_u64_field("mtime", STORED);
    // Fast for the range that selects a saved search's new matches; stored so that a
    // moved file's passages, copied from the store, keep both.
    builder.add_u64_field("first_seen", FAST | STORED);
    builder.add_u64_field("text_hash", INDEXED | STORED);
    builder.build()
}

impl Fields {
    /// The fields of the schema this dossier writes.
    fn of_new_schema() -> Fields {
        Fields::from_schema(&schema()).expect("fields of our own schema")
    }

    fn from_schema(schema: &Schema) -> tantivy::Result<Fields> {
        let field = |name: &str| schema.get_field(name);
        Ok(Fields {
            doc_id: field("doc_id")?,
            path: field("path")?,
            title: field("title")?,
            title_source: field("title_source")?,
            date: field("date")?,
            date_source: field("date_source")?,
            date_first: field("date_first")?,
            date_last: field("date_last")?,
            countries: field("countries")?,
            orgs: field("orgs")?,
            issuers: field("issuers")?,
            body: field("body")?,
            text: field("text")?,
            line: field("line")?,
            column: field("column")?,
            page: field("page")?,
            page_label: field("page_label")?,
            page_breaks: field("page_breaks")?,
            start: field("start")?,
            end: field("end")?,
            hash: field("hash")?,
            content_id: field("content_id")?,
            meta: field("meta")?,
            size: field("size")?,
            mtime: field("mtime")?,
            first_seen: field("first_seen")?,
            text_hash: field("text_hash")?,
        })
    }
}

/// An open dossier index.
pub struct DossierIndex {
    dir: PathBuf,
    index: Index,
    fields: Fields,
    state: IndexState,
    /// Opened on the first search and kept: the files of every segment stay mapped for as
    /// long as the handle lives.
    reader: OnceLock<IndexReader>,
}

impl DossierIndex {
    /// True when `dir` holds an index (of any version).
    pub fn exists(dir: &Path) -> bool {
        dir.join("meta.json").is_file()
    }

    /// The roots the index in `dir` remembers, whatever version wrote it; none when there
    /// is no index or it records none. For rebuilding an index, and for `dossier tag`.
    pub fn remembered_roots(dir: &Path) -> Vec<Root> {
        DossierIndex::remembered_state(dir).map_or_else(Vec::new, |state| state.roots)
    }

    /// The state the last commit of the index in `dir` records, whatever version wrote it.
    fn remembered_state(dir: &Path) -> Option<IndexState> {
        let meta = std::fs::read_to_string(dir.join("meta.json")).ok()?;
        let meta = serde_json::from_str::<serde_json::Value>(&meta).ok()?;
        serde_json::from_str(meta.get("payload")?.as_str()?).ok()
    }

    /// Opens the index in `dir` for searching.
    pub fn open(dir: &Path) -> Result<DossierIndex> {
        if !DossierIndex::exists(dir) {
            return Err(Error::NoIndex {
                dir: dir.to_path_buf(),
            });
        }
        let tantivy_error = |error| Error::Tantivy {
            dir: dir.to_path_buf(),
            error,
        };
        let index = directory::open_index(dir).map_err(tantivy_error)?;
        let meta = index.load_metas().map_err(tantivy_error)?;
        let state: Option<IndexState> = meta
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok());
        let version_error = |found| Error::IndexVersion {
            dir: dir.to_path_buf(),
            found,
            expected: IndexState::new().format(),
        };
        let state = match state {
            Some(state) if state.is_current() => state,
            Some(state) => return Err(version_error(state.format())),
            // Created, and stopped before its first commit: an empty index of this version.
            None if meta.segments.is_empty() => IndexState::new(),
            None => return Err(version_error("unknown".into())),
        };
        let fields =
            Fields::from_schema(&index.schema()).map_err(|_| version_error("unknown".into()))?;
        Ok(DossierIndex::with_analyzer(dir, index, fields, state))
    }

    /// Opens the index in `dir` to be rebuilt: whatever versions it records, as long as
    /// its schema is this dossier's. `None` when it cannot be rebuilt in place.
    fn open_any_version(dir: &Path) -> Option<DossierIndex> {
        let index = directory::open_index(dir).ok()?;
        if index.schema() != schema() {
            return None;
        }
        let fields = Fields::from_schema(&index.schema()).ok()?;
        Some(DossierIndex::with_analyzer(
            dir,
            index,
            fields,
            IndexState::new(),
        ))
    }

    /// Creates an empty index in `dir`, which may exist but must hold no index.
    fn create(dir: &Path) -> Result<DossierIndex> {
        std::fs::create_dir_all(dir).map_err(|error| Error::Io {
            action: "create the index folder",
            path: dir.to_path_buf(),
            error,
        })?;
        let index = directory::create_index(dir, schema()).map_err(|error| Error::Tantivy {
            dir: dir.to_path_buf(),
            error,
        })?;
        let fields = Fields::from_schema(&index.schema()).expect("fields of our own schema");
        Ok(DossierIndex::with_analyzer(
            dir,
            index,
            fields,
            IndexState::new(),
        ))
    }

    /// Deletes the index files in `dir` (not the folder, its `.gitignore` or its saved
    /// searches), so that a
    /// new index can be created there: for an index too old to be rebuilt in place.
    fn remove(dir: &Path) -> Result<()> {
        let io_error = |error| Error::Io {
            action: "remove the old index in",
            path: dir.to_path_buf(),
            error,
        };
        for entry in std::fs::read_dir(dir).map_err(io_error)? {
            let entry = entry.map_err(io_error)?;
            // The saved searches are the newsroom's, not the index's: they outlive it.
            let kept = [".gitignore", crate::watchlist::WATCHLIST_FILE];
            if !kept.iter().any(|name| entry.file_name() == *name)
                && entry.file_type().map_err(io_error)?.is_file()
            {
                std::fs::remove_file(entry.path()).map_err(io_error)?;
            }
        }
        Ok(())
    }

    fn with_analyzer(dir: &Path, index: Index, fields: Fields, state: IndexState) -> DossierIndex {
        // Every handle needs the analyzer: without it, adding documents succeeds and only
        // the commit fails.
        index
            .tokenizers()
            .register(ANALYZER_NAME, analysis::analyzer());
        DossierIndex {
            dir: dir.to_path_buf(),
            index,
            fields,
            state,
            reader: OnceLock::new(),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn fields(&self) -> &Fields {
        &self.fields
    }

    pub fn state(&self) -> &IndexState {
        &self.state
    }

    /// A searcher over the commit that was the last when this handle first searched: a
    /// handle never sees later commits.
    pub fn searcher(&self) -> Result<Searcher> {
        if let Some(reader) = self.reader.get() {
            return Ok(reader.searcher());
        }
        let reader = self
            .index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            // A search reads a handful of passages, in as many blocks of the store: keeping
            // each block decompressed only costs fresh memory (0.15 ms of page faults).
            .doc_store_cache_num_blocks(0)
            .try_into()
            .map_err(|error| self.tantivy_error(error))?;
        Ok(self.reader.get_or_init(|| reader).searcher())
    }

    fn tantivy_error(&self, error: TantivyError) -> Error {
        match error {
            TantivyError::LockFailure(LockError::LockBusy, _) => Error::IndexLocked {
                dir: self.dir.clone(),
                holder: String::new(),
            },
            error => Error::Tantivy {
                dir: self.dir.clone(),
                error,
            },
        }
    }
}
