//! What the benchmarks share.

// Each benchmark uses only some of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use tantivy::schema::{Schema, STORED, STRING, TEXT};
use tantivy::{doc, Index, IndexWriter};

/// Hears nothing: the benchmarks measure, they do not report.
pub struct Silent;

impl dossier::index::Observer for Silent {
    fn warn(&self, _: &Path, _: &str) {}
}

/// The corpus to measure on: DOSSIER_BENCH_CORPUS, or `../shared/corpus` beside the repository.
pub fn corpus() -> PathBuf {
    std::env::var_os("DOSSIER_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
}

/// Every `.txt` and `.xml` file of the corpus, sorted: what dossier, the baseline and the
/// peers all index (the corpus's own README and CSV are left out).
pub fn corpus_texts(corpus: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(corpus)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file()
                && e.path()
                    .extension()
                    .is_some_and(|x| x == "txt" || x == "xml")
        })
        .map(|e| e.into_path())
        .collect()
}

/// Bytes of every file under `dir`.
pub fn folder_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// A number from the environment variable `name`, or `default` when it is unset or not a
/// number.
pub fn env_number<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The raw tantivy baseline's index of every file under `texts`: whole documents, the
/// default analyzer, path and body stored, one commit, with the writer threads and memory
/// dossier gives the engine, so that the difference is dossier's own pipeline.
pub fn raw_tantivy_index(texts: &Path, dir: &Path, threads: usize) -> Index {
    let mut builder = Schema::builder();
    let path = builder.add_text_field("path", STRING | STORED);
    let body = builder.add_text_field("body", TEXT | STORED);
    std::fs::create_dir_all(dir).expect("baseline folder");
    let index = Index::create_in_dir(dir, builder.build()).expect("baseline index");
    let mut writer: IndexWriter = index
        .writer_with_num_threads(threads, threads * dossier::index::WRITER_BYTES_PER_THREAD)
        .expect("baseline writer");
    for entry in walkdir::WalkDir::new(texts) {
        let entry = entry.expect("walk");
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).expect("a text");
        let text = String::from_utf8_lossy(&bytes);
        let name = entry.path().to_string_lossy();
        writer
            .add_document(doc!(path => name.as_ref(), body => text.as_ref()))
            .expect("added");
    }
    writer.commit().expect("baseline commit");
    writer.wait_merging_threads().expect("merges");
    index
}
