//! `dossier index`: bring the index in line with the files on disk.
//!
//! New files are added, changed files replaced, moved files re-pointed without being
//! analysed again, files gone from an indexed folder removed, and unchanged files (same
//! size and modification time, or else the same content hash) not read again. Work is
//! committed in chunks: a run that is interrupted (Ctrl-C, a crash, SIGKILL) keeps every
//! finished chunk and the previous state of everything else, and the next run carries on
//! from there. Whatever the path, the index ends up holding each file on disk exactly once.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use tantivy::collector::DocSetCollector;
use tantivy::directory::error::LockError;
use tantivy::indexer::{LogMergePolicy, UserOperation};
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{
    DocSet, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, TantivyError, Term, TERMINATED,
};

use super::{yyyymmdd, DossierIndex, Fields, IndexState, Root, RootTables};
use crate::error::{Error, Result};
use crate::extract::{pdf, Cache, ExtractError};
use crate::ingest::{self, Document, FileEntry, SkipReason};
use crate::metadata::{MetadataSource, NamePattern};
use crate::tagging::dates::DateSource;
use crate::tagging::Metadata;

/// Memory for each indexing thread: tantivy needs at least 15 MB; more means fewer,
/// larger segments.
pub const WRITER_BYTES_PER_THREAD: usize = 64 * 1024 * 1024;
/// At most this many files between two commits.
const CHUNK_FILES: usize = 4096;
/// Segments with more deleted passages than this share are merged away.
const DELETED_SHARE_BEFORE_MERGE: f32 = 0.2;
/// Written in the index folder while a sync holds the writer, to name it to others.
const HOLDER_FILE: &str = "dossier-writer.pid";
const WAIT_STEP: Duration = Duration::from_millis(250);

pub struct SyncOptions {
    /// Files and folders to index; each must exist. None: every root the index remembers,
    /// each with its own metadata.
    pub roots: Vec<PathBuf>,
    /// What to index when `roots` is empty and the index remembers no root.
    pub default_roots: Vec<PathBuf>,
    /// Metadata files to apply from now on to the files under `roots`, besides those the
    /// index already records for them.
    pub metadata: Vec<MetadataSource>,
    /// Patterns that read metadata from file names, likewise.
    pub name_patterns: Vec<NamePattern>,
    pub threads: usize,
    /// Throw the index away and index the roots from scratch.
    pub rebuild: bool,
    /// Work out what would change, and write nothing.
    pub dry_run: bool,
    /// Wait for another `dossier index` on the same index instead of failing.
    pub wait: bool,
    /// Set from outside (on Ctrl-C) to stop after the files under way, keeping them.
    pub cancel: Arc<AtomicBool>,
    /// Commit after about this many bytes of input, so an interrupted run keeps its work.
    pub commit_every: u64,
    /// Read the pages of PDFs that hold no text by OCR (Tesseract), those indexed before
    /// included.
    pub ocr: bool,
}

/// The default for [`SyncOptions::commit_every`].
pub const COMMIT_EVERY_BYTES: u64 = 64 * 1024 * 1024;

impl SyncOptions {
    /// A plain sync of `roots` on all cores.
    pub fn new(roots: Vec<PathBuf>) -> SyncOptions {
        SyncOptions {
            roots,
            default_roots: Vec::new(),
            metadata: Vec::new(),
            name_patterns: Vec::new(),
            threads: std::thread::available_parallelism().map_or(1, usize::from),
            rebuild: false,
            dry_run: false,
            wait: false,
            cancel: Arc::default(),
            commit_every: COMMIT_EVERY_BYTES,
            ocr: false,
        }
    }
}

/// Hears what a sync does, as it does it.
pub trait Observer: Sync {
    /// A file is skipped or read leniently, and why.
    fn warn(&self, path: &Path, message: &str);
    /// Something the user should know of the whole run.
    fn note(&self, _message: &str) {}
    /// The walk found `files` files of `bytes` bytes in all.
    fn planned(&self, _files: usize, _bytes: u64) {}
    /// One more file, of `bytes` bytes, is done.
    fn progressed(&self, _bytes: u64) {}
    /// Another process (`holder`, when known) writes the index; the sync waits for it.
    fn waiting(&self, _holder: Option<u32>) {}
    /// A saved search has new matches, now recorded as reported: said once, here.
    fn new_matches(&self, _found: &crate::watchlist::NewMatches) {}
}

/// One file's change, for `--dry-run` listings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Added(PathBuf),
    Changed(PathBuf),
    Moved { from: PathBuf, to: PathBuf },
    Removed(PathBuf),
}

/// What a sync did (or, for a dry run, would do).
#[derive(Debug, Default, Clone)]
pub struct SyncReport {
    pub created: bool,
    pub dry_run: bool,
    pub added: usize,
    pub changed: usize,
    pub moved: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Skipped files by reason ("binary", "empty", ...).
    pub skipped: BTreeMap<&'static str, usize>,
    /// Files that were not UTF-8 and were read as Windows-1252.
    pub decoded: usize,
    /// Remembered roots that are gone from disk, and the documents kept from them.
    pub gone_roots: usize,
    pub kept_documents: usize,
    /// Pages without text (scans) in the documents indexed, not read.
    pub pages_without_text: usize,
    /// Stopped early on request; what was done is committed.
    pub interrupted: bool,
    pub changes: Vec<Change>,
    /// Saved searches with passages new since the last report, to be said once.
    pub new_matches: Vec<crate::watchlist::NewMatches>,
    pub elapsed: Duration,
}

impl SyncReport {
    /// "2 added, 1 changed, 1 removed, 120 unchanged in 0.4 s", plus moves and skips.
    pub fn summary(&self) -> String {
        let mut line = format!("{} added, {} changed", self.added, self.changed);
        if self.moved > 0 {
            line.push_str(&format!(", {} moved", self.moved));
        }
        line.push_str(&format!(
            ", {} removed, {} unchanged",
            self.removed, self.unchanged
        ));
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
        if self.gone_roots > 0 {
            line.push_str(&format!(
                ", {} gone ({} kept)",
                plural(self.gone_roots, "indexed folder"),
                plural(self.kept_documents, "document")
            ));
        }
        if self.pages_without_text > 0 {
            line.push_str(&format!(
                ", {} without text not read",
                plural(self.pages_without_text, "page")
            ));
        }
        line.push_str(&format!(" in {:.1} s", self.elapsed.as_secs_f64()));
        if self.dry_run {
            line.push_str(" (dry run: nothing written)");
        }
        if self.interrupted {
            line.push_str(" (interrupted: run it again to finish)");
        }
        line
    }

    /// Said once per run when PDFs were not read for want of the program that reads them.
    pub fn missing_engine(&self) -> Option<String> {
        let missing = ExtractError::EngineMissing {
            program: pdf::PROGRAM,
            package: pdf::PACKAGE,
        };
        let files = *self.skipped.get(missing.label())?;
        let s = if files == 1 { "" } else { "s" };
        Some(format!("{files} PDF{s} not read: {missing}"))
    }
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// What happened to one file.
enum Outcome {
    Unchanged,
    Added(Written),
    Changed(Written),
    Moved {
        from: PathBuf,
    },
    Skipped(&'static str),
    /// Not reached before the run was interrupted.
    Deferred,
}

/// What was written for a file added or changed.
#[derive(Default)]
struct Written {
    decoded: bool,
    pages_without_text: usize,
}

/// A document as the index last recorded it.
struct Indexed {
    doc_id: u64,
    hash: String,
    meta: String,
    size: u64,
    mtime: u64,
    dated_by_file_name: bool,
}

/// Everything a file's worker needs to know.
struct Context<'a> {
    indexed: &'a HashMap<PathBuf, Indexed>,
    metadata: &'a RootTables,
    /// Vanished documents by content hash, for spotting moves; claimed once each.
    vanished_by_hash: &'a HashMap<&'a str, Vec<&'a Path>>,
    claimed: &'a Mutex<HashSet<PathBuf>>,
    /// None on a dry run.
    writer: Option<&'a IndexWriter>,
    searcher: Option<&'a Searcher>,
    fields: &'a Fields,
    observer: &'a dyn Observer,
    cancel: &'a AtomicBool,
    /// Extracted texts; None on a dry run.
    cache: Option<&'a Cache>,
    ocr: bool,
    /// This sync's stamp, for the passages whose text is new (see [`Fields::first_seen`]).
    stamp: u64,
}

/// Syncs the index in `dir` with `options.roots`, creating the index if there is none.
pub fn sync(dir: &Path, options: &SyncOptions, observer: &dyn Observer) -> Result<SyncReport> {
    let started = Instant::now();
    let given = canonical_paths(&options.roots)?;
    let mut given_metadata = Vec::new();
    for source in &options.metadata {
        given_metadata.push(MetadataSource {
            path: canonical(&source.path)?,
            columns: source.columns.clone(),
        });
    }
    let threads = options.threads.max(1);

    let rebuild = options.rebuild && !options.dry_run;
    // Read before a rebuild forgets them: rebuilt with no paths, the index holds what it
    // held, with the same metadata.
    let remembered_before_rebuild = if rebuild {
        DossierIndex::remembered_roots(dir)
    } else {
        Vec::new()
    };
    let index = if rebuild && DossierIndex::exists(dir) {
        // Rebuilt in place under the writer's lock, and committed once at the end: until
        // then searches see the old index, and an interrupted rebuild changes nothing.
        match DossierIndex::open_any_version(dir) {
            Some(index) => Some(index),
            None => {
                DossierIndex::remove(dir)?;
                None
            }
        }
    } else {
        None
    };
    let created = index.is_none() && !DossierIndex::exists(dir);
    let index = match (index, created, options.dry_run) {
        (Some(index), _, _) => Some(index),
        (None, true, true) => None,
        (None, true, false) => Some(DossierIndex::create(dir)?),
        (None, false, _) => Some(DossierIndex::open(dir)?),
    };
    let mut writer = match (&index, options.dry_run) {
        (Some(index), false) => Some(acquire_writer(index, threads, options.wait, observer)?),
        _ => None,
    };
    if let Some(writer) = writer.as_mut().filter(|_| rebuild) {
        writer
            .delete_all_documents()
            .map_err(|error| Error::Tantivy {
                dir: dir.to_path_buf(),
                error,
            })?;
    }
    let fields = index
        .as_ref()
        .map_or_else(Fields::of_new_schema, |i| i.fields);
    let mut state = index
        .as_ref()
        .map_or_else(IndexState::new, |i| i.state.clone());
    if rebuild {
        // A rebuild keeps the record of what was reported, and stamps above the old ones.
        if let Some(old) = DossierIndex::remembered_state(dir) {
            state.stamp = old.stamp;
            state.reported = old.reported;
        }
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Above the previous sync's, whatever the clock says, so that "after the stamp a
    // reader has seen" never misses a passage of a later sync.
    let stamp = now.max(state.stamp + 1);
    let tantivy_error = |error: TantivyError| Error::Tantivy {
        dir: dir.to_path_buf(),
        error,
    };
    let searcher = match &index {
        Some(index) => Some(index.searcher()?),
        None => None,
    };
    let indexed = match &searcher {
        Some(searcher) if !rebuild => {
            indexed_documents(searcher, &fields).map_err(tantivy_error)?
        }
        _ => HashMap::new(),
    };

    let remembered = if rebuild {
        remembered_before_rebuild
    } else {
        state.roots.clone()
    };
    let plan = plan_roots(given, &remembered, options)?;
    let mut all_roots = if rebuild {
        Vec::new()
    } else {
        remembered.clone()
    };
    for root in &plan.syncing {
        let mut root = remembered
            .iter()
            .find(|known| known.path == *root)
            .cloned()
            .unwrap_or_else(|| Root::new(root.clone()));
        root.give(&given_metadata, &options.name_patterns);
        match all_roots.iter_mut().find(|known| known.path == root.path) {
            Some(known) => *known = root,
            None => all_roots.push(root),
        }
    }
    let roots = plan.syncing;
    let metadata = RootTables::load(&all_roots, &roots, &|path, message| {
        observer.warn(path, message)
    })?;

    let index_dir = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let walk = ingest::walk(&roots, &index_dir);
    for (path, reason) in &walk.problems {
        observer.warn(path, &format!("skipped: {reason}"));
    }
    observer.planned(walk.files.len(), walk.files.iter().map(|f| f.size).sum());

    let on_disk: HashSet<&Path> = walk.files.iter().map(|f| f.path.as_path()).collect();
    let vanished: Vec<(&PathBuf, &Indexed)> = indexed
        .iter()
        .filter(|(path, _)| {
            roots.iter().any(|root| path.starts_with(root))
                && !on_disk.contains(path.as_path())
                && !walk.is_unlisted(path)
        })
        .collect();
    let mut vanished_by_hash: HashMap<&str, Vec<&Path>> = HashMap::new();
    for (path, previous) in &vanished {
        vanished_by_hash
            .entry(previous.hash.as_str())
            .or_default()
            .push(path.as_path());
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Invalid(format!("failed to start {threads} threads: {e}")))?;
    let claimed = Mutex::new(HashSet::new());
    let cache = index.as_ref().map(|index| Cache::in_index(&index.dir));
    let ocr = options.ocr && pdf::ocr_available();
    if options.ocr && !ocr {
        observer.note(&format!(
            "--ocr: {} is not installed (install it with `sudo apt-get install {}`); pages without text are reported, not read",
            pdf::OCR_PROGRAM,
            pdf::OCR_PACKAGE
        ));
    }

    let mut report = SyncReport {
        created,
        dry_run: options.dry_run,
        ..SyncReport::default()
    };
    for gone in &plan.gone {
        // Under a root synced now, its files are gone from an indexed folder and removed.
        if roots.iter().any(|root| gone.starts_with(root)) {
            continue;
        }
        let kept = indexed.keys().filter(|path| path.starts_with(gone)).count();
        let message = if rebuild {
            "gone; the rebuilt index leaves it out".to_string()
        } else {
            format!(
                "gone; its documents ({kept}) stay in the index until it is back, or until \
                 the index is rebuilt without it"
            )
        };
        observer.warn(gone, &message);
        report.gone_roots += 1;
        report.kept_documents += kept;
    }
    // Recorded from the first commit on, so that an interrupted run is carried on by a
    // `dossier index` with no paths.
    state.roots = all_roots;
    let mut documents = indexed.len();
    let commit_every = if rebuild {
        u64::MAX
    } else {
        options.commit_every
    };
    for chunk in chunks(&walk.files, commit_every) {
        let context = Context {
            indexed: &indexed,
            metadata: &metadata,
            vanished_by_hash: &vanished_by_hash,
            claimed: &claimed,
            writer: writer.as_ref(),
            searcher: searcher.as_ref(),
            fields: &fields,
            observer,
            cancel: &options.cancel,
            cache: cache.as_ref().filter(|_| !options.dry_run),
            ocr,
            stamp,
        };
        let outcomes: Vec<tantivy::Result<Outcome>> = pool.install(|| {
            chunk
                .par_iter()
                .map(|file| sync_file(file, &context))
                .collect()
        });
        let mut wrote = false;
        for (file, outcome) in chunk.iter().zip(outcomes) {
            // An error leaves this chunk uncommitted: the index keeps its last commit.
            let outcome = outcome.map_err(tantivy_error)?;
            wrote |= tally(&mut report, &mut documents, file, outcome);
        }
        if let Some(writer) = writer.as_mut().filter(|_| wrote) {
            state.documents = documents as u64;
            state.stamp = stamp;
            commit(writer, &state).map_err(tantivy_error)?;
        }
        if options.cancel.load(Ordering::SeqCst) {
            report.interrupted = true;
            break;
        }
    }
    *report.skipped.entry("unreadable").or_default() += walk.problems.len();
    report.skipped.retain(|_, n| *n > 0);

    if !report.interrupted {
        let claimed = claimed.into_inner().expect("not poisoned");
        for (path, previous) in &vanished {
            if claimed.contains(path.as_path()) {
                continue;
            }
            if let Some(writer) = &writer {
                writer.delete_term(Term::from_field_u64(fields.doc_id, previous.doc_id));
            }
            report.removed += 1;
            documents -= 1;
            report.changes.push(Change::Removed(path.to_path_buf()));
        }
    }

    if let (Some(mut writer), Some(index)) = (writer.take(), &index) {
        state.documents = documents as u64;
        state.last_sync = now;
        state.settled = state.stamp;
        commit(&mut writer, &state).map_err(tantivy_error)?;
        let changed = report.changed + report.removed + report.moved > 0 || rebuild;
        if let Some(cache) = cache.as_ref().filter(|c| changed && c.exists()) {
            // Read back from what was just committed: the texts of contents no longer
            // indexed go.
            let reader = index
                .index
                .reader_builder()
                .reload_policy(ReloadPolicy::Manual)
                .try_into()
                .map_err(tantivy_error)?;
            let live: HashSet<String> = indexed_documents(&reader.searcher(), &fields)
                .map_err(tantivy_error)?
                .into_values()
                .map(|document| document.hash)
                .collect();
            cache.retain(|hash| live.contains(hash));
        }
        // Counted from what was just committed, and recorded as reported in a commit of
        // its own, said at once: killed before that commit, the next sync reports these
        // matches again (none is lost); killed in the instant between the commit and the
        // line, only the line is lost, and `dossier watchlist new` still lists the passages,
        // since what the reader has seen is kept apart. An index built anew (`created`) has
        // no stamps from before, so nothing in it is new.
        let warn = |message: &str| observer.note(message);
        if let Some(found) = crate::watchlist::report(dir, &mut state, created, &warn)? {
            commit(&mut writer, &state).map_err(tantivy_error)?;
            for matches in &found {
                observer.new_matches(matches);
            }
            report.new_matches = found;
        }
        // Dropping the writer would abandon merges in progress.
        writer.wait_merging_threads().map_err(tantivy_error)?;
        let _ = std::fs::remove_file(index.dir.join(HOLDER_FILE));
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The path made absolute and canonical; an error names it as given.
fn canonical(path: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(path).map_err(|error| Error::Input {
        path: path.to_path_buf(),
        error,
    })
}

fn canonical_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut canonical_paths = Vec::new();
    for path in paths {
        canonical_paths.push(canonical(path)?);
    }
    Ok(canonical_paths)
}

/// The roots a sync walks, and the remembered ones it cannot.
struct RootPlan {
    syncing: Vec<PathBuf>,
    gone: Vec<PathBuf>,
}

fn plan_roots(given: Vec<PathBuf>, remembered: &[Root], options: &SyncOptions) -> Result<RootPlan> {
    if !given.is_empty() {
        return Ok(RootPlan {
            syncing: given,
            gone: Vec::new(),
        });
    }
    if remembered.is_empty() {
        return Ok(RootPlan {
            syncing: canonical_paths(&options.default_roots)?,
            gone: Vec::new(),
        });
    }
    let gives_metadata = !options.metadata.is_empty() || !options.name_patterns.is_empty();
    if gives_metadata && remembered.len() > 1 {
        let roots: Vec<String> = remembered
            .iter()
            .map(|root| root.path.display().to_string())
            .collect();
        let flag = if options.metadata.is_empty() {
            "--name-pattern PATTERN"
        } else {
            "--metadata FILE"
        };
        return Err(Error::Invalid(format!(
            "a metadata file or name pattern applies to the folders given with it, and this \
             index holds {} ({}); name the ones it is for: `dossier index FOLDER... {flag}`",
            roots.len(),
            roots.join(", ")
        )));
    }
    let (syncing, gone) = remembered
        .iter()
        .map(|root| root.path.clone())
        .partition(|path| path.exists());
    Ok(RootPlan { syncing, gone })
}

/// Counts an outcome; true when it wrote to the index.
fn tally(
    report: &mut SyncReport,
    documents: &mut usize,
    file: &FileEntry,
    outcome: Outcome,
) -> bool {
    let path = file.path.clone();
    match outcome {
        Outcome::Unchanged => report.unchanged += 1,
        Outcome::Deferred => {}
        Outcome::Skipped(reason) => *report.skipped.entry(reason).or_default() += 1,
        Outcome::Added(written) => {
            report.added += 1;
            report.decoded += usize::from(written.decoded);
            report.pages_without_text += written.pages_without_text;
            *documents += 1;
            report.changes.push(Change::Added(path));
            return true;
        }
        Outcome::Changed(written) => {
            report.changed += 1;
            report.decoded += usize::from(written.decoded);
            report.pages_without_text += written.pages_without_text;
            report.changes.push(Change::Changed(path));
            return true;
        }
        Outcome::Moved { from } => {
            report.moved += 1;
            report.changes.push(Change::Moved { from, to: path });
            return true;
        }
    }
    false
}

/// Files in groups of about `chunk_bytes`, each committed on its own.
fn chunks(files: &[FileEntry], chunk_bytes: u64) -> Vec<&[FileEntry]> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut bytes = 0;
    for (i, file) in files.iter().enumerate() {
        bytes += file.size;
        if bytes >= chunk_bytes || i + 1 - start == CHUNK_FILES {
            chunks.push(&files[start..=i]);
            start = i + 1;
            bytes = 0;
        }
    }
    if start < files.len() {
        chunks.push(&files[start..]);
    }
    chunks
}

/// The index writer, waiting for another process to finish when asked to.
fn acquire_writer(
    index: &DossierIndex,
    threads: usize,
    wait: bool,
    observer: &dyn Observer,
) -> Result<IndexWriter> {
    let holder_file = index.dir.join(HOLDER_FILE);
    let mut told = false;
    loop {
        match index
            .index
            .writer_with_num_threads(threads, threads * WRITER_BYTES_PER_THREAD)
        {
            Ok(writer) => {
                let mut policy = LogMergePolicy::default();
                policy.set_del_docs_ratio_before_merge(DELETED_SHARE_BEFORE_MERGE);
                writer.set_merge_policy(Box::new(policy));
                // Best effort: only ever read to name the holder in a message.
                let _ = std::fs::write(&holder_file, std::process::id().to_string());
                return Ok(writer);
            }
            Err(TantivyError::LockFailure(LockError::LockBusy, _)) => {
                let holder = std::fs::read_to_string(&holder_file)
                    .ok()
                    .and_then(|pid| pid.trim().parse().ok());
                if !wait {
                    return Err(Error::IndexLocked {
                        dir: index.dir.clone(),
                        holder: holder.map_or_else(String::new, |pid| format!(" (process {pid})")),
                    });
                }
                if !told {
                    observer.waiting(holder);
                    told = true;
                }
                std::thread::sleep(WAIT_STEP);
            }
            Err(error) => return Err(index.tantivy_error(error)),
        }
    }
}

fn commit(writer: &mut IndexWriter, state: &IndexState) -> tantivy::Result<()> {
    let payload = serde_json::to_string(state).expect("index state serialises");
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    prepared.commit()?;
    Ok(())
}

fn sync_file(file: &FileEntry, context: &Context) -> tantivy::Result<Outcome> {
    if context.cancel.load(Ordering::SeqCst) {
        return Ok(Outcome::Deferred);
    }
    let outcome = sync_file_now(file, context);
    context.observer.progressed(file.size);
    outcome
}

fn sync_file_now(file: &FileEntry, context: &Context) -> tantivy::Result<Outcome> {
    let previous = context.indexed.get(&file.path);
    let record = context.metadata.get(&file.path, &|path, message| {
        context.observer.warn(path, message)
    });
    let meta = Metadata::fingerprint(record.as_ref());
    let same_metadata = previous.is_some_and(|p| p.meta == meta);
    // An unchanged PDF with pages that OCR has not read yet is read again when OCR is asked.
    let awaits_ocr = context.ocr
        && previous.is_some_and(|p| context.cache.is_some_and(|c| c.needs_ocr(&p.hash)));
    if let Some(previous) = previous.filter(|_| !awaits_ocr) {
        if previous.size == file.size && previous.mtime == file.mtime && same_metadata {
            return Ok(Outcome::Unchanged);
        }
    }
    let contents = match ingest::read(file) {
        Ok(contents) => contents,
        Err(reason) => {
            context
                .observer
                .warn(&file.path, &format!("skipped: {reason}"));
            return Ok(Outcome::Skipped(reason.label()));
        }
    };
    if same_metadata && !awaits_ocr && previous.is_some_and(|p| p.hash == contents.hash) {
        return Ok(Outcome::Unchanged);
    }
    let doc_id = doc_id(&file.path);
    if previous.is_none() {
        if let Some(from) = claim_move(&contents.hash, &meta, context) {
            let old_id = context.indexed[from.as_path()].doc_id;
            if let (Some(writer), Some(searcher)) = (context.writer, context.searcher) {
                let mut operations = vec![UserOperation::Delete(Term::from_field_u64(
                    context.fields.doc_id,
                    old_id,
                ))];
                for passage in moved_passages(searcher, context.fields, old_id, file, doc_id)? {
                    operations.push(UserOperation::Add(passage));
                }
                writer.run(operations)?;
            }
            return Ok(Outcome::Moved { from });
        }
    }
    let Some(writer) = context.writer else {
        // A dry run reads and hashes to tell changes apart, and stops there.
        return Ok(if previous.is_some() {
            Outcome::Changed(Written::default())
        } else {
            Outcome::Added(Written::default())
        });
    };
    // A bug in dossier must cost one file, not the newsroom's whole batch.
    let prepared = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        ingest::prepare(
            file.clone(),
            contents,
            record.as_ref(),
            context.cache,
            context.ocr,
        )
    }));
    let document = match prepared {
        Ok(Ok(document)) => document,
        Ok(Err(reason)) => {
            // A missing program is said once for the whole run (SyncReport::missing_engine).
            if !matches!(
                reason,
                SkipReason::Extraction(ExtractError::EngineMissing { .. })
            ) {
                context
                    .observer
                    .warn(&file.path, &format!("skipped: {reason}"));
            }
            return Ok(Outcome::Skipped(reason.label()));
        }
        Err(_) => {
            context.observer.warn(
                &file.path,
                "skipped: dossier failed on this file (a bug: please report it)",
            );
            return Ok(Outcome::Skipped("failed"));
        }
    };
    if document.passages.is_empty() {
        let reason = SkipReason::Empty;
        context
            .observer
            .warn(&file.path, &format!("skipped: {reason}"));
        return Ok(Outcome::Skipped(reason.label()));
    }
    let written = Written {
        decoded: document.decoded_from.is_some(),
        pages_without_text: document.pages_without_text.len(),
    };
    if !document.pages_without_text.is_empty() {
        let pages = document.pages.as_ref().map_or(0, |p| p.starts.len());
        context.observer.warn(
            &file.path,
            &format!(
                "{} of its {pages} pages hold no text (scans?) and were not read: pages {}{}",
                document.pages_without_text.len(),
                page_list(&document.pages_without_text),
                if context.ocr {
                    ""
                } else {
                    " (--ocr reads them)"
                }
            ),
        );
    }
    if let Some(encoding) = document.decoded_from {
        context
            .observer
            .warn(&file.path, &format!("not valid UTF-8; read as {encoding}"));
    }
    let mut operations = Vec::with_capacity(document.passages.len() + 1);
    if previous.is_some() {
        operations.push(UserOperation::Delete(Term::from_field_u64(
            context.fields.doc_id,
            doc_id,
        )));
    }
    let stamp_of = |text_hash| match context.searcher {
        Some(searcher) => first_seen(searcher, context.fields, text_hash, context.stamp),
        None => Ok(context.stamp),
    };
    for passage in passages_of(&document, doc_id, &meta, context.fields, &stamp_of)? {
        operations.push(UserOperation::Add(passage));
    }
    // One batch keeps a document's passages together and after its deletion.
    writer.run(operations)?;
    Ok(if previous.is_some() {
        Outcome::Changed(written)
    } else {
        Outcome::Added(written)
    })
}

/// "3, 5-7, 9": page numbers in runs.
fn page_list(pages: &[usize]) -> String {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &page in pages {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == page => *last = page,
            _ => runs.push((page, page)),
        }
    }
    let runs: Vec<String> = runs
        .into_iter()
        .map(|(first, last)| match first == last {
            true => first.to_string(),
            false => format!("{first}-{last}"),
        })
        .collect();
    runs.join(", ")
}

/// A vanished document with the same content and metadata, not claimed yet, whose tags do
/// not depend on its file name: the file was moved or renamed.
fn claim_move(hash: &str, meta: &str, context: &Context) -> Option<PathBuf> {
    let candidates = context.vanished_by_hash.get(hash)?;
    let mut claimed = context.claimed.lock().expect("not poisoned");
    let from = candidates.iter().find(|path| {
        let previous = &context.indexed[**path];
        !claimed.contains(**path) && previous.meta == meta && !previous.dated_by_file_name
    })?;
    claimed.insert(from.to_path_buf());
    Some(from.to_path_buf())
}

/// The stored passages of document `old_id`, re-pointed at `file`.
fn moved_passages(
    searcher: &Searcher,
    fields: &Fields,
    old_id: u64,
    file: &FileEntry,
    doc_id: u64,
) -> tantivy::Result<Vec<TantivyDocument>> {
    let query = TermQuery::new(
        Term::from_field_u64(fields.doc_id, old_id),
        IndexRecordOption::Basic,
    );
    let mut passages = Vec::new();
    for address in searcher.search(&query, &DocSetCollector)? {
        let stored: TantivyDocument = searcher.doc(address)?;
        let mut passage = TantivyDocument::new();
        for (field, value) in stored.field_values() {
            let replaced = [fields.doc_id, fields.path, fields.size, fields.mtime];
            if !replaced.contains(&field) {
                passage.add_field_value(field, value);
            }
        }
        // What is indexed but not stored is derived again from what is stored.
        if let Some(text) = stored.get_first(fields.text).and_then(|v| v.as_str()) {
            passage.add_text(fields.body, crate::analysis::indexable(text));
        }
        passage.add_u64(fields.doc_id, doc_id);
        passage.add_text(fields.path, file.path.to_string_lossy());
        passage.add_u64(fields.size, file.size);
        passage.add_u64(fields.mtime, file.mtime);
        passages.push(passage);
    }
    Ok(passages)
}

/// The document id: a hash of the absolute path, so a changed file keeps its id.
pub(crate) fn doc_id(path: &Path) -> u64 {
    let hash = blake3::hash(path.as_os_str().as_encoded_bytes());
    u64::from_le_bytes(hash.as_bytes()[..8].try_into().expect("8 bytes"))
}

/// The 1-based column, in characters, of byte `offset` on its line.
fn column_of(text: &str, offset: usize) -> u64 {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..offset].chars().count() as u64 + 1
}

/// The hash of a passage's text that [`Fields::text_hash`] holds.
fn text_hash(text: &str) -> u64 {
    let hash = blake3::hash(text.as_bytes());
    u64::from_le_bytes(hash.as_bytes()[..8].try_into().expect("8 bytes"))
}

/// The stamp of a passage whose text hashes to `text_hash`: the oldest stamp of that text
/// in the index as it was before this sync, else this sync's `stamp`. (`searcher` is the
/// pre-sync one: texts added by this sync are all new.)
fn first_seen(
    searcher: &Searcher,
    fields: &Fields,
    text_hash: u64,
    stamp: u64,
) -> tantivy::Result<u64> {
    let term = Term::from_field_u64(fields.text_hash, text_hash);
    let mut oldest = stamp;
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(fields.text_hash)?;
        let Some(mut postings) = inverted.read_postings(&term, IndexRecordOption::Basic)? else {
            continue;
        };
        let stamps = segment.fast_fields().u64("first_seen")?;
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if !segment.is_deleted(doc) {
                oldest = oldest.min(stamps.first(doc).unwrap_or(oldest));
            }
            doc = postings.advance();
        }
    }
    Ok(oldest)
}

fn passages_of(
    document: &Document,
    doc_id: u64,
    meta: &str,
    fields: &Fields,
    stamp_of: &dyn Fn(u64) -> tantivy::Result<u64>,
) -> tantivy::Result<Vec<TantivyDocument>> {
    let tags = &document.tags;
    let path = document.file.path.to_string_lossy();
    let content_id = document.text_fingerprint();
    // The same for every passage: formatted once.
    let date = tags.date.as_ref().map(|date| {
        (
            date.date.to_string(),
            date.source.as_str(),
            yyyymmdd(date.date.first_day()),
            yyyymmdd(date.date.last_day()),
        )
    });
    document
        .passages
        .iter()
        .map(|passage| {
            let text = &document.text[passage.span.clone()];
            let mut doc = TantivyDocument::new();
            doc.add_u64(fields.doc_id, doc_id);
            doc.add_text(fields.path, &path);
            doc.add_text(fields.title, &tags.title);
            doc.add_text(fields.title_source, tags.title_source.as_str());
            if let Some((date, source, first, last)) = &date {
                doc.add_text(fields.date, date);
                doc.add_text(fields.date_source, source);
                doc.add_u64(fields.date_first, *first);
                doc.add_u64(fields.date_last, *last);
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
            match document.page_location(passage) {
                Some(location) => {
                    doc.add_u64(fields.line, location.line as u64);
                    doc.add_u64(fields.page, location.page as u64);
                    if let Some(label) = location.label {
                        doc.add_text(fields.page_label, label);
                    }
                    let breaks = document.page_breaks(passage);
                    if !breaks.is_empty() {
                        doc.add_text(fields.page_breaks, breaks);
                    }
                }
                None => doc.add_u64(fields.line, passage.line as u64),
            }
            doc.add_u64(fields.column, column_of(&document.text, passage.span.start));
            doc.add_u64(fields.start, passage.span.start as u64);
            doc.add_u64(fields.end, passage.span.end as u64);
            doc.add_text(fields.hash, &document.hash);
            doc.add_u64(fields.content_id, content_id);
            doc.add_text(fields.meta, meta);
            doc.add_u64(fields.size, document.file.size);
            doc.add_u64(fields.mtime, document.file.mtime);
            let hash = text_hash(text);
            doc.add_u64(fields.text_hash, hash);
            doc.add_u64(fields.first_seen, stamp_of(hash)?);
            Ok(doc)
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
    let file_name = DateSource::FileName.as_str();
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
                    dated_by_file_name: text(fields.date_source) == file_name,
                },
            );
        }
    }
    Ok(documents)
}
