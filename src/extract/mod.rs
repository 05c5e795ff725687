//! Text out of documents that are not text: PDF (`pdf.rs`), Word and OpenDocument
//! (`office.rs`).
//!
//! The searchable text of such a document is the text a reader sees, not the file's bytes:
//! [`Extracted`] carries it with where each page starts, so that a passage can say its page.
//! What the engine read (and OCR, for pages without text) is cached by content hash in the
//! index folder ([`Cache`]), so a resync, a move or a rebuild never runs the engine again for
//! the same content, and a document view can show the text later ([`extract`] with the
//! index's cache gives it at once).

pub mod cleanup;
pub mod office;
pub mod pdf;

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Extensions of the formats read here, walked in folders besides the text formats.
pub const EXTENSIONS: [&str; 3] = ["pdf", "docx", "odt"];

/// A format read by extraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    /// Word, `.docx` (Strict OOXML too).
    Docx,
    /// OpenDocument text, `.odt`.
    Odt,
}

impl Kind {
    /// The format of a file, by its first bytes or else its extension: a PDF keeps its
    /// `%PDF-` header whatever it is named, and a broken one named `.pdf` is still
    /// reported as a broken PDF rather than as a binary file.
    pub fn of(path: &Path, bytes: &[u8]) -> Option<Kind> {
        // Producers may write junk (a Ghostscript banner) before the header; readers
        // accept it within the first kilobyte.
        let head = &bytes[..bytes.len().min(1024)];
        if memchr::memmem::find(head, b"%PDF-").is_some() {
            return Some(Kind::Pdf);
        }
        let extension = path
            .extension()
            .and_then(|e| e.to_str())?
            .to_ascii_lowercase();
        match extension.as_str() {
            "pdf" => Some(Kind::Pdf),
            // A Word or OpenDocument file is a ZIP package, or (encrypted, legacy) an OLE
            // file: read as such by its extension, and reported if it is neither.
            "docx" => Some(Kind::Docx),
            "odt" => Some(Kind::Odt),
            _ => None,
        }
    }
}

/// Where each page of an extracted text starts, and the number the page prints on
/// itself when that is not its place in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pages {
    /// Byte offset in the text where page `i + 1` starts; ascending.
    pub starts: Vec<usize>,
    /// The page's printed number ("10", "iv"), for pages whose printed number differs
    /// from their place in the file.
    pub labels: Vec<Option<String>>,
}

impl Pages {
    /// The 1-based page that holds byte `offset`.
    pub fn page_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset).max(1)
    }

    /// The printed number of page `page` (1-based), when it differs from `page`.
    pub fn label(&self, page: usize) -> Option<&str> {
        self.labels.get(page - 1)?.as_deref()
    }
}

/// What was read out of a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The text, pages one after another.
    pub text: String,
    /// None for formats without pages.
    pub pages: Option<Pages>,
    /// The document's own title (its properties, not its text), junk titles left out.
    pub title: Option<String>,
    /// Dates from the document's properties, ISO 8601 as the file gives them.
    pub created: Option<String>,
    pub modified: Option<String>,
    /// 1-based pages that hold no text: scans, or fonts without a Unicode map.
    pub pages_without_text: Vec<usize>,
}

/// Why a document's text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("{program} is not installed (install it with `sudo apt-get install {package}`)")]
    EngineMissing {
        program: &'static str,
        package: &'static str,
    },
    #[error("encrypted: it needs a password to open")]
    Encrypted,
    #[error("not a readable PDF ({0})")]
    Malformed(String),
    #[error(
        "no text on {} (a scan, or fonts without a Unicode map)",
        if *pages == 1 { "its one page".to_string() } else { format!("any of its {pages} pages") }
    )]
    NoText { pages: usize },
    #[error("reading it took more than {0} s")]
    TimedOut(u64),
    #[error("the PDF reader failed on it ({0})")]
    Crashed(String),
    #[error("its text is larger than {} MB", pdf::MAX_TEXT_BYTES / 1_000_000)]
    TooMuchText,
    #[error("{0}")]
    Office(#[from] office::OfficeError),
}

impl ExtractError {
    /// A short label for counting skips in the summary.
    pub fn label(&self) -> &'static str {
        match self {
            ExtractError::EngineMissing { .. } => "no pdftotext",
            ExtractError::Encrypted => "encrypted",
            ExtractError::Malformed(_) => "malformed",
            ExtractError::NoText { .. } => "no text",
            ExtractError::TimedOut(_) => "timed out",
            ExtractError::Crashed(_) => "reader failed",
            ExtractError::TooMuchText => "too much text",
            ExtractError::Office(office::OfficeError::Encrypted) => "encrypted",
            ExtractError::Office(office::OfficeError::TooLarge) => "too large",
            ExtractError::Office(_) => "malformed",
        }
    }
}

/// Extracted texts by content hash, in `extracted/` of the index folder.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// Bumped whenever the cached format, or what `pdftotext` is asked for, changes: older
/// entries are then extracted again. (The cleanup runs on every use of an entry: a change to
/// it needs no bump.)
const CACHE_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct CacheEntry {
    version: u32,
    pdf: pdf::PdfText,
}

impl Cache {
    pub fn in_index(index_dir: &Path) -> Cache {
        Cache {
            dir: index_dir.join("extracted"),
        }
    }

    /// True once anything was extracted into it.
    pub fn exists(&self) -> bool {
        self.dir.is_dir()
    }

    fn path(&self, hash: &str) -> PathBuf {
        self.dir.join(format!("{hash}.json"))
    }

    /// What was read of the content with fingerprint `hash`.
    pub fn get(&self, hash: &str) -> Option<pdf::PdfText> {
        let bytes = fs::read(self.path(hash)).ok()?;
        let entry: CacheEntry = serde_json::from_slice(&bytes).ok()?;
        (entry.version == CACHE_VERSION).then_some(entry.pdf)
    }

    /// True when the content with fingerprint `hash` has pages without text that OCR has
    /// not read yet.
    pub fn needs_ocr(&self, hash: &str) -> bool {
        self.get(hash)
            .is_some_and(|pdf| !pdf.pages_to_read().is_empty())
    }

    /// Best effort: a cache that cannot be written only costs a later extraction.
    pub fn put(&self, hash: &str, pdf: &pdf::PdfText) {
        let entry = CacheEntry {
            version: CACHE_VERSION,
            pdf: pdf.clone(),
        };
        let Ok(json) = serde_json::to_vec(&entry) else {
            return;
        };
        // Written aside and renamed: a reader never sees half an entry.
        let temporary = self.dir.join(format!("{hash}.json.{}", std::process::id()));
        let written = fs::create_dir_all(&self.dir)
            .and_then(|()| fs::write(&temporary, json))
            .and_then(|()| fs::rename(&temporary, self.path(hash)));
        if written.is_err() {
            let _ = fs::remove_file(&temporary);
        }
    }

    /// Removes the entries of contents no longer indexed (`keep` says which are).
    pub fn retain(&self, keep: impl Fn(&str) -> bool) {
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(hash) = name.to_str().and_then(|n| n.strip_suffix(".json")) else {
                continue;
            };
            if !keep(hash) {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// The text of a document whose contents are `bytes` (fingerprinted `hash`), from the cache
/// when it holds it. With `ocr`, pages without text are read by OCR (once: the cache keeps
/// what it read); a page OCR fails on stays unread, and is counted as such.
pub fn extract(
    bytes: &[u8],
    kind: Kind,
    hash: &str,
    cache: Option<&Cache>,
    ocr: bool,
) -> Result<Extracted, ExtractError> {
    // Word and OpenDocument files store no pages: their passages are located by the line
    // of the extracted text. Reading them takes milliseconds, so they are not cached.
    let office_kind = match kind {
        Kind::Pdf => None,
        Kind::Docx => Some(office::OfficeKind::Docx),
        Kind::Odt => Some(office::OfficeKind::Odt),
    };
    if let Some(office_kind) = office_kind {
        return Ok(office::extract(bytes, office_kind)?);
    }
    let cached = cache.and_then(|c| c.get(hash));
    let mut pdf = match cached.clone() {
        Some(pdf) => pdf,
        None => pdf::read(bytes)?,
    };
    if ocr {
        for page in pdf.pages_to_read() {
            match pdf::ocr_page(bytes, page) {
                Ok(text) => {
                    pdf.ocr.insert(page, text);
                }
                // The page stays unread: the same for every other page.
                Err(_) => break,
            }
        }
    }
    if let Some(cache) = cache.filter(|_| cached.as_ref() != Some(&pdf)) {
        cache.put(hash, &pdf);
    }
    pdf.assemble()
}
