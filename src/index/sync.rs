//! `dossier index`: bring the index in line with the files on disk, in one commit.
//!
//! New files are added, changed files replaced, files gone from an indexed folder removed,
//! and unchanged files (same size and modification time, or else the same content hash)
//! are not read again. Everything lands in a single commit, so a crash or Ctrl-C leaves
//! the previous commit complete and searchable.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use tantivy::indexer::UserOperation;
use tantivy::schema::Value;
use tantivy::{IndexWriter, Searcher, TantivyDocument, Term};

use super::{yyyymmdd, DossierIndex, Fields, IndexState};
use crate::error::{Error, Result};
use crate::ingest::{self, Document, FileEntry, SkipReason};
use crate::metadata::{MetadataSource, MetadataTable};
use crate::tagging::Metadata;

/// Memory for each indexing thread: tantivy needs at least 15 MB; more means fewer,
/// larger segments.
const WRITER_BYTES_PER_THREAD: usize = 64 * 1024 * 1024;

/// Receives a file's path and what happened to it.
pub type Warn = dyn Fn(&Path, &str) + Sync;

pub struct SyncOptions {
    /// Files and folders to index; each must exist.
    pub roots: Vec<PathBuf>,
    /// Metadata files to apply from now on, besides those the index already records.
    pub metadata: Vec<MetadataSource>,
    pub threads: usize,
    /// Throw the index away and index the roots from scratch.
    pub rebuild: bool,
}

/// What a sync did.
#[derive(Debug, Default, Clone)]
pub struct SyncReport {
    pub created: bool,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Skipped files by reason ("binary", "empty", ...).
    pub skipped: BTreeMap<&'static str, usize>,
    /// Files that were not UTF-8 and were read as Windows-1252.
    pub decoded: usize,
    pub elapsed: Duration,
}

impl SyncReport {
    /// "2 added, 1 changed, 1 removed, 120 unchanged in 0.4 s", plus skips if any.
    pub fn summary(&self) -> String {
        let mut line = format!(
            "{} added, {} changed, {} removed, {} unchanged",
            self.added, self.changed, self.removed, self.unchanged
        );
        let skipped: usize = self.skipped.values().sum();
        if skipped > 0 {
            let reasons: Vec<String> = self
                .skipped
                .iter()
                .map(|(r, n)| format!("{n} {r}"))
                .collect();
            line.push_str(&format!(", {skipped} skipped ({})", reasons.join(", ")));
        }
        if self.decoded > 0 {
            line.push_str(&format!(", {} read as Windows-1252", self.decoded));
        }
        line.push_str(&format!(" in {:.1} s", self.elapsed.as_secs_f64()));
        line
    }
}

/// What happened to one file.
enum Outcome {
    Unchanged,
    Added { decoded: bool },
    Changed { decoded: bool },
    Skipped(&'static str),
}

/// A document as the index last recorded it.
struct Indexed {
    doc_id: u64,
    hash: String,
    meta: String,
    size: u64,
    mtime: u64,
}

/// Syncs the index in `dir` with `options.roots`, creating the index if there is none.
/// `warn` is told of each file that is skipped or read leniently, and why.
pub fn sync(dir: &Path, options: &SyncOptions, warn: &Warn) -> Result<SyncReport> {
    let started = Instant::now();
    let mut roots = Vec::new();
    for root in &options.roots {
        let canonical = std::fs::canonicalize(root).map_err(|error| Error::Input {
            path: root.clone(),
            error,
        })?;
        roots.push(canonical);
    }

    if options.rebuild && dir.exists() {
        DossierIndex::remove(dir)?;
    }
    let created = !DossierIndex::exists(dir);
    let index = if created {
        DossierIndex::create(dir)?
    } else {
        DossierIndex::open(dir)?
    };
    let threads = options.threads.max(1);
    let writer: IndexWriter = index
        .index
        .writer_with_num_threads(threads, threads * WRITER_BYTES_PER_THREAD)
        .map_err(|e| index.tantivy_error(e))?;

    let searcher = index.reader()?.searcher();
    let indexed =
        indexed_documents(&searcher, &index.fields).map_err(|e| index.tantivy_error(e))?;

    let mut sources = index.state.metadata.clone();
    for source in &options.metadata {
        let path = std::fs::canonicalize(&source.path).map_err(|error| Error::Input {
            path: source.path.clone(),
            error,
        })?;
        sources.retain(|known| known.path != path);
        sources.push(MetadataSource {
            path,
            columns: source.columns.clone(),
        });
    }
    let metadata = MetadataTable::load(&sources, warn)?;

    let index_dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let walk = ingest::walk(&roots, &index_dir);
    for (path, reason) in &walk.problems {
        warn(path, &format!("skipped: {reason}"));
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Filter(format!("failed to start {threads} threads: {e}")))?;
    let first_error = Mutex::new(None);
    let outcomes: Vec<Outcome> = pool.install(|| {
        walk.files
            .par_iter()
            .map(|file| {
                let previous = indexed.get(&file.path);
                let record = metadata.get(&file.path);
                sync_file(file, previous, record, &writer, &index.fields, warn).unwrap_or_else(
                    |e| {
                        first_error.lock().expect("not poisoned").get_or_insert(e);
                        Outcome::Skipped("failed")
                    },
                )
            })
            .collect()
    });
    if let Some(error) = first_error.into_inner().expect("not poisoned") {
        // Nothing is committed: the index stays as it was.
        return Err(index.tantivy_error(error));
    }

    let mut report = SyncReport {
        created,
        ..SyncReport::default()
    };
    for outcome in outcomes {
        match outcome {
            Outcome::Unchanged => report.unchanged += 1,
            Outcome::Added { decoded } => {
                report.added += 1;
                report.decoded += decoded as usize;
            }
            Outcome::Changed { decoded } => {
                report.changed += 1;
                report.decoded += decoded as usize;
            }
            Outcome::Skipped(reason) => *report.skipped.entry(reason).or_default() += 1,
        }
    }
    *report.skipped.entry("unreadable").or_default() += walk.problems.len();
    report.skipped.retain(|_, n| *n > 0);

    let on_disk: HashSet<&Path> = walk.files.iter().map(|f| f.path.as_path()).collect();
    for (path, previous) in &indexed {
        let in_scope = roots.iter().any(|root| path.starts_with(root));
        if in_scope && !on_disk.contains(path.as_path()) && !walk.is_unlisted(path) {
            writer.delete_term(Term::from_field_u64(index.fields.doc_id, previous.doc_id));
            report.removed += 1;
        }
    }

    let metadata_changed = sources != index.state.metadata;
    if created
        || options.rebuild
        || metadata_changed
        || report.added + report.changed + report.removed > 0
    {
        let mut state = index.state.clone();
        state.metadata = sources;
        state.documents = (indexed.len() + report.added - report.removed) as u64;
        for root in roots {
            if !state.roots.contains(&root) {
                state.roots.push(root);
            }
        }
        state.last_sync = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        commit(writer, &state).map_err(|e| index.tantivy_error(e))?;
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

fn commit(mut writer: IndexWriter, state: &IndexState) -> tantivy::Result<()> {
    let payload = serde_json::to_string(state).expect("index state serialises");
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    prepared.commit()?;
    // Dropping the writer would abandon merges in progress.
    writer.wait_merging_threads()
}

fn sync_file(
    file: &FileEntry,
    previous: Option<&Indexed>,
    record: Option<&Metadata>,
    writer: &IndexWriter,
    fields: &Fields,
    warn: &Warn,
) -> tantivy::Result<Outcome> {
    let meta = Metadata::fingerprint(record);
    let same_metadata = previous.is_some_and(|p| p.meta == meta);
    if let Some(previous) = previous {
        if previous.size == file.size && previous.mtime == file.mtime && same_metadata {
            return Ok(Outcome::Unchanged);
        }
    }
    let contents = match ingest::read(file) {
        Ok(contents) => contents,
        Err(reason) => {
            warn(&file.path, &format!("skipped: {reason}"));
            return Ok(Outcome::Skipped(reason.label()));
        }
    };
    if same_metadata && previous.is_some_and(|p| p.hash == contents.hash) {
        return Ok(Outcome::Unchanged);
    }
    let document = Document::prepare(file.clone(), contents, record);
    if document.passages.is_empty() {
        let reason = SkipReason::Empty;
        warn(&file.path, &format!("skipped: {reason}"));
        return Ok(Outcome::Skipped(reason.label()));
    }
    let decoded = document.decoded_from.is_some();
    if let Some(encoding) = document.decoded_from {
        warn(&file.path, &format!("not valid UTF-8; read as {encoding}"));
    }
    let doc_id = doc_id(&file.path);
    let mut operations = Vec::with_capacity(document.passages.len() + 1);
    if previous.is_some() {
        operations.push(UserOperation::Delete(Term::from_field_u64(
            fields.doc_id,
            doc_id,
        )));
    }
    for passage in passages_of(&document, doc_id, &meta, fields) {
        operations.push(UserOperation::Add(passage));
    }
    // One batch keeps a document's passages together and after its deletion.
    writer.run(operations)?;
    Ok(if previous.is_some() {
        Outcome::Changed { decoded }
    } else {
        Outcome::Added { decoded }
    })
}

/// The document id: a hash of the absolute path, so a changed file keeps its id.
fn doc_id(path: &Path) -> u64 {
    let hash = blake3::hash(path.as_os_str().as_encoded_bytes());
    u64::from_le_bytes(hash.as_bytes()[..8].try_into().expect("8 bytes"))
}

fn passages_of(
    document: &Document,
    doc_id: u64,
    meta: &str,
    fields: &Fields,
) -> Vec<TantivyDocument> {
    let tags = &document.tags;
    let path = document.file.path.to_string_lossy();
    document
        .passages
        .iter()
        .map(|passage| {
            let text = &document.text[passage.span.clone()];
            let mut doc = TantivyDocument::new();
            doc.add_u64(fields.doc_id, doc_id);
            doc.add_text(fields.path, &path);
            doc.add_text(fields.title, &tags.title);
            if let Some(date) = tags.date {
                doc.add_text(fields.date, date.date.to_string());
                doc.add_text(fields.date_source, date.source.as_str());
                doc.add_u64(fields.date_first, yyyymmdd(date.date.first_day()));
                doc.add_u64(fields.date_last, yyyymmdd(date.date.last_day()));
            }
            for country in &tags.countries {
                doc.add_text(fields.countries, country.code);
            }
            for org in &tags.orgs {
                doc.add_text(fields.orgs, org.code);
            }
            for issuer in &tags.issuers {
                doc.add_text(fields.issuers, *issuer);
            }
            doc.add_text(fields.body, crate::analysis::indexable(text));
            doc.add_text(fields.text, text);
            doc.add_u64(fields.line, passage.line as u64);
            doc.add_u64(fields.start, passage.span.start as u64);
            doc.add_u64(fields.end, passage.span.end as u64);
            doc.add_text(fields.hash, &document.hash);
            doc.add_text(fields.meta, meta);
            doc.add_u64(fields.size, document.file.size);
            doc.add_u64(fields.mtime, document.file.mtime);
            doc
        })
        .collect()
}

/// Every document in the last commit, by path, read once from its first live passage.
fn indexed_documents(
    searcher: &Searcher,
    fields: &Fields,
) -> tantivy::Result<HashMap<PathBuf, Indexed>> {
    let mut documents = HashMap::new();
    let mut seen = HashSet::new();
    for segment in searcher.segment_readers() {
        let doc_ids = segment.fast_fields().u64("doc_id")?;
        let store = segment.get_store_reader(64)?;
        for doc in segment.doc_ids_alive() {
            let Some(doc_id) = doc_ids.first(doc) else {
                continue;
            };
            if !seen.insert(doc_id) {
                continue;
            }
            let stored: TantivyDocument = store.get(doc)?;
            let text = |field| {
                stored
                    .get_first(field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string()
            };
            let number = |field| {
                stored
                    .get_first(field)
                    .and_then(|v| v.as_u64())
                    .unwrap_or_default()
            };
            documents.insert(
                PathBuf::from(text(fields.path)),
                Indexed {
                    doc_id,
                    hash: text(fields.hash),
                    meta: text(fields.meta),
                    size: number(fields.size),
                    mtime: number(fields.mtime),
                },
            );
        }
    }
    Ok(documents)
}
