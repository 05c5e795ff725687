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
pub mod extract;
pub mod highlight;
pub mod index;
pub mod ingest;
pub mod markup;
pub mod metadata;
pub mod output;
pub mod passages;
pub mod query;
pub mod search;
pub mod serve;
pub mod suggest;
pub mod tagging;
pub mod watch;
pub mod watchlist;
pub mod words;

pub use error::{Error, Result};

// glibc's allocator keeps what many indexing threads freed in per-thread arenas, so peak
// memory grew with the size of the batch (182 MB of heap for the 164 MB corpus, 280 MB for
// four times as much); with mimalloc it stays near flat (247 MB and 272 MB).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Asks the kernel not to back this process with transparent huge pages where it would do
/// so unasked (THP "always"): a 2 MB page counts in full in resident memory however little of
/// it is in use, and indexing the corpus peaked at 250-290 MB resident instead of 200-210 MB,
/// with more time in the kernel clearing pages, for no gain in speed. (mimalloc itself is
/// built not to ask for them.) Best effort, Linux only; call it first thing in `main`.
pub fn disable_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
