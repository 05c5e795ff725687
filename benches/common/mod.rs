//! What both benchmarks need.

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
