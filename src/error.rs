use std::path::PathBuf;

// Messages carry their cause in the text (`{error}`), not as a `source`, so that the
// binary's cause chain does not print it twice.

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
        found: String,
        expected: String,
    },

    #[error(
        "the index at {dir} is being written by another `dossier index`{holder}; \
         try again when it has finished, or wait for it with --wait"
    )]
    IndexLocked { dir: PathBuf, holder: String },

    #[error("cannot read {path}: {error}")]
    Input {
        path: PathBuf,
        error: std::io::Error,
    },

    #[error(transparent)]
    Query(#[from] QueryError),

    /// A request or an input dossier cannot use, said in full.
    #[error("{0}")]
    Invalid(String),

    #[error("index error in {dir}: {error}")]
    Tantivy {
        dir: PathBuf,
        error: tantivy::TantivyError,
    },

    #[error("failed to {action} {path}: {error}")]
    Io {
        action: &'static str,
        path: PathBuf,
        error: std::io::Error,
    },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
