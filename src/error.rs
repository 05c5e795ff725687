use std::path::PathBuf;

use crate::query::QueryError;

/// Everything the library can fail with. Messages are lower case and name what failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no dossier index at {dir}; build one with `dossier index --index {dir} PATH...`")]
    NoIndex { dir: PathBuf },

    #[error(
        "the index at {dir} was written by another version of dossier (index format {found}, \
         this dossier reads {expected}); rebuild it with `dossier index --rebuild --index {dir} PATH...`"
    )]
    IndexVersion {
        dir: PathBuf,
        found: u32,
        expected: u32,
    },

    #[error(
        "the index at {dir} is being written by another `dossier index`; \
         try again when it has finished"
    )]
    IndexLocked { dir: PathBuf },

    #[error("cannot index {path}: {source}")]
    Input {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("{0}")]
    Query(#[from] QueryError),

    #[error("{0}")]
    Filter(String),

    #[error("index error in {dir}: {source}")]
    Tantivy {
        dir: PathBuf,
        source: tantivy::TantivyError,
    },

    #[error("failed to {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
