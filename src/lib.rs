//! dossier: full-text search for policy documents.
//!
//! A document is read and tagged ([`ingest`], [`tagging`]), split into paragraph-sized
//! passages ([`passages`]) and written to a tantivy index, one tantivy document per
//! passage ([`index`]). A query ([`query`]) is analysed with the same analyzer
//! ([`analysis`]), run over the passages ([`search`]), highlighted ([`highlight`]) and
//! printed for people or pipelines ([`output`]).

pub mod analysis;
pub mod bm25;
pub mod error;
pub mod highlight;
pub mod index;
pub mod ingest;
pub mod markup;
pub mod metadata;
pub mod output;
pub mod passages;
pub mod query;
pub mod search;
pub mod tagging;
pub mod words;

pub use error::{Error, Result};

// glibc's allocator keeps what many indexing threads freed in per-thread arenas, so peak
// memory grew with the size of the batch (182 MB of heap for the 164 MB corpus, 280 MB for
// four times as much); with mimalloc it stays flat (243 MB and 257 MB).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
