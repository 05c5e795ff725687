//! What the benchmarks share.

use std::path::{Path, PathBuf};

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
