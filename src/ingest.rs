//! Finding the files to index and turning each into a [`Document`] ready for the index.

use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use walkdir::WalkDir;

use crate::extract::{self, Cache, ExtractError, Extracted, Kind, Pages};
use crate::passages::{self, Passage};
use crate::tagging::{self, Metadata, Properties, Tags};

/// Extensions indexed when walking folders, besides those of the formats extracted
/// ([`extract::EXTENSIONS`]). A file named on the command line is read whatever its
/// extension. HTML and XML are read by their text (`markup.rs`).
pub const TEXT_EXTENSIONS: [&str; 7] = ["txt", "md", "html", "htm", "xhtml", "xml", "tei"];

/// Files above this size are skipped with a warning rather than exhausting memory.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// How much of a file is looked at to decide whether it is binary.
const SNIFF_BYTES: usize = 8192;

/// A file found on disk, before it is read.
#[derive(Debug, Clone)]
pub struct FileEntry {
    /// Absolute, with symbolic links resolved: the document's identity in the index.
    pub path: PathBuf,
    pub size: u64,
    pub mtime: u64,
}

/// Why a file was not indexed.
#[derive(Debug)]
pub enum SkipReason {
    Binary,
    Empty,
    TooLarge(u64),
    Unreadable(io::Error),
    /// A PDF whose text could not be read.
    Extraction(ExtractError),
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Binary => f.write_str("binary file"),
            SkipReason::Empty => f.write_str("empty file"),
            SkipReason::TooLarge(size) => write!(
                f,
                "file too large ({} MB; the limit is {} MB)",
                size / 1_000_000,
                MAX_FILE_BYTES / 1_000_000
            ),
            SkipReason::Unreadable(e) => write!(f, "cannot read: {e}"),
            SkipReason::Extraction(e) => write!(f, "{e}"),
        }
    }
}

impl SkipReason {
    /// A short label for counting skips in the summary.
    pub fn label(&self) -> &'static str {
        match self {
            SkipReason::Binary => "binary",
            SkipReason::Empty => "empty",
            SkipReason::TooLarge(_) => "too large",
            SkipReason::Unreadable(_) => "unreadable",
            SkipReason::Extraction(e) => e.label(),
        }
    }
}

/// The files under the given roots, and what could not be walked.
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<FileEntry>,
    /// Paths that could not be listed or examined, with the reason.
    pub problems: Vec<(PathBuf, SkipReason)>,
}

impl Walk {
    /// True when `path` lies under something that could not be listed: what was indexed
    /// there must not be taken as deleted.
    pub fn is_unlisted(&self, path: &Path) -> bool {
        self.problems.iter().any(|(p, _)| path.starts_with(p))
    }
}

/// Walks `roots` (files or folders), following symbolic links, skipping hidden entries
/// and `exclude` (the index itself, when it lies inside a root).
pub fn walk(roots: &[PathBuf], exclude: &Path) -> Walk {
    let mut walk = Walk::default();
    for root in roots {
        let explicit_file = root.is_file();
        let entries = WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()) && e.path() != exclude);
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let path = e.path().map_or_else(|| root.clone(), Path::to_path_buf);
                    let error = e
                        .into_io_error()
                        .unwrap_or_else(|| io::Error::other("symbolic link loop"));
                    walk.problems.push((path, SkipReason::Unreadable(error)));
                    continue;
                }
            };
            if !entry.file_type().is_file() || !(explicit_file || has_text_extension(entry.path()))
            {
                continue;
            }
            match FileEntry::new(entry.path()) {
                Ok(file) => walk.files.push(file),
                Err(e) => walk
                    .problems
                    .push((entry.path().to_path_buf(), SkipReason::Unreadable(e))),
            }
        }
    }
    // A file reached twice (named twice, or through a link) is indexed once.
    walk.files.sort_by(|a, b| a.path.cmp(&b.path));
    walk.files.dedup_by(|a, b| a.path == b.path);
    walk
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn has_text_extension(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        TEXT_EXTENSIONS
            .iter()
            .chain(&extract::EXTENSIONS)
            .any(|t| t.eq_ignore_ascii_case(e))
    })
}

impl FileEntry {
    /// Examines the file at `path` (following links) without reading it.
    pub fn new(path: &Path) -> io::Result<FileEntry> {
        let path = fs::canonicalize(path)?;
        let meta = fs::metadata(&path)?;
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as u64);
        Ok(FileEntry {
            path,
            size: meta.len(),
            mtime,
        })
    }
}

/// The bytes of a file, checked to be text or a format dossier extracts text from, with
/// their fingerprint.
pub struct Contents {
    pub bytes: Vec<u8>,
    pub hash: String,
    /// None for text.
    pub kind: Option<Kind>,
}

/// Reads a file and refuses what is neither text nor a format dossier extracts.
pub fn read(file: &FileEntry) -> Result<Contents, SkipReason> {
    if file.size > MAX_FILE_BYTES {
        return Err(SkipReason::TooLarge(file.size));
    }
    let mut bytes = Vec::with_capacity(file.size as usize);
    fs::File::open(&file.path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .map_err(SkipReason::Unreadable)?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(SkipReason::Empty);
    }
    let kind = Kind::of(&file.path, &bytes);
    if kind.is_none() && looks_binary(&bytes) {
        return Err(SkipReason::Binary);
    }
    let hash = blake3::hash(&bytes).to_hex()[..32].to_string();
    Ok(Contents { bytes, hash, kind })
}

/// NUL bytes or many control characters near the start: images, archives, executables.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if head.contains(&0) {
        return true;
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    controls * 10 > head.len()
}

/// A file read, tagged and split, ready to be written to the index.
#[derive(Debug)]
pub struct Document {
    pub file: FileEntry,
    pub hash: String,
    pub text: String,
    pub tags: Tags,
    pub passages: Vec<Passage>,
    /// Set when the file was not UTF-8 and was decoded as Windows-1252.
    pub decoded_from: Option<&'static str>,
    /// Where each page starts in `text`, for a document with pages (a PDF); None when
    /// `text` is the file's own text.
    pub pages: Option<Pages>,
    /// 1-based pages that hold no text (scans), not read.
    pub pages_without_text: Vec<usize>,
}

/// Reads the text of a file's contents, by extraction for the formats that need it, then
/// tags and splits it. `cache` keeps extracted texts (the index's; None to keep nothing);
/// `ocr` reads pages without text by OCR.
pub fn prepare(
    file: FileEntry,
    contents: Contents,
    metadata: Option<&Metadata>,
    cache: Option<&Cache>,
    ocr: bool,
) -> Result<Document, SkipReason> {
    let Some(kind) = contents.kind else {
        return Ok(Document::prepare(file, contents, metadata));
    };
    let extracted = extract::extract(&contents.bytes, kind, &contents.hash, cache, ocr)
        .map_err(SkipReason::Extraction)?;
    // A Word file with no words (a PDF without text is reported by page, as a scan).
    if extracted.text.trim().is_empty() && extracted.pages_without_text.is_empty() {
        return Err(SkipReason::Empty);
    }
    Ok(Document::from_extracted(
        file,
        contents.hash,
        extracted,
        metadata,
    ))
}

/// Reads and tags the file at `path` as a sync over `roots` records it, with the metadata
/// given for the folders holding it: `dossier tag`, and the search page's document view.
/// Warnings about the metadata go to `warn`.
pub fn tag_file(
    path: &Path,
    roots: &[crate::index::Root],
    cache: Option<&Cache>,
    warn: &dyn Fn(&Path, &str),
) -> Result<Document, String> {
    let file = FileEntry::new(path)
        .map_err(|error| format!("failed to read {}: {error}", path.display()))?;
    let contents =
        read(&file).map_err(|reason| format!("cannot tag {}: {reason}", path.display()))?;
    let metadata = crate::index::RootTables::load(roots, std::slice::from_ref(&file.path), warn)
        .map_err(|error| error.to_string())?;
    let record = metadata.get(&file.path, warn);
    prepare(file, contents, record.as_ref(), cache, false)
        .map_err(|reason| format!("cannot tag {}: {reason}", path.display()))
}

/// A 1-based page, the number printed on it when that differs, and the 1-based line within
/// the page: where a passage of a document with pages starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageLocation<'a> {
    pub page: usize,
    pub label: Option<&'a str>,
    pub line: usize,
}

impl Document {
    /// Decodes, tags and splits a file's contents; `metadata` wins over what the text says.
    pub fn prepare(file: FileEntry, contents: Contents, metadata: Option<&Metadata>) -> Document {
        let (text, decoded_from) = match String::from_utf8(contents.bytes) {
            Ok(text) => (text, None),
            Err(e) => {
                // Legacy files are mostly Windows-1252, which maps every byte to a
                // character: nothing is lost, and line numbers stay right.
                let (text, _, _) = encoding_rs::WINDOWS_1252.decode(e.as_bytes());
                (text.into_owned(), Some("windows-1252"))
            }
        };
        // Markup is blanked, not removed: offsets and lines stay those of the file.
        let (text, markup_title) = if crate::markup::is_markup(&file.path, &text) {
            let blanked = crate::markup::blank(&text);
            (blanked.text, blanked.title)
        } else {
            (text, None)
        };
        let mut header = tagging::header(&text);
        header.markup_title = markup_title;
        let tags = tagging::tag(&text, &header, &file.path, metadata);
        let passages = passages::split(&text, header.body);
        Document {
            file,
            hash: contents.hash,
            text,
            tags,
            passages,
            decoded_from,
            pages: None,
            pages_without_text: Vec::new(),
        }
    }

    /// Tags and splits an extracted text; the document's own title and dates are used
    /// where the text and `metadata` give none.
    pub fn from_extracted(
        file: FileEntry,
        hash: String,
        extracted: Extracted,
        metadata: Option<&Metadata>,
    ) -> Document {
        let Extracted {
            text,
            pages,
            title,
            created,
            modified,
            pages_without_text,
        } = extracted;
        let mut header = tagging::header(&text);
        header.properties = Properties {
            title,
            date: created
                .or(modified)
                .as_deref()
                .and_then(tagging::dates::parse_metadata_date),
        };
        let tags = tagging::tag(&text, &header, &file.path, metadata);
        let passages = passages::split(&text, header.body);
        Document {
            file,
            hash,
            text,
            tags,
            passages,
            decoded_from: None,
            pages,
            pages_without_text,
        }
    }

    /// Where `passage` starts, for a document with pages.
    pub fn page_location(&self, passage: &Passage) -> Option<PageLocation<'_>> {
        let pages = self.pages.as_ref()?;
        let page = pages.page_of(passage.span.start);
        let page_start = pages.starts[page - 1];
        let line =
            1 + memchr::memchr_iter(b'\n', &self.text.as_bytes()[page_start..passage.span.start])
                .count();
        Some(PageLocation {
            page,
            label: pages.label(page),
            line,
        })
    }
}

impl Document {
    /// The pages that start inside `passage`, for its page-breaks field: `OFFSET:PAGE`, or
    /// `OFFSET:PAGE:PRINTED` when the page prints another number, OFFSET counted in bytes
    /// from the passage's start.
    pub fn page_breaks(&self, passage: &Passage) -> String {
        let Some(pages) = &self.pages else {
            return String::new();
        };
        let mut breaks = Vec::new();
        for (index, &start) in pages.starts.iter().enumerate() {
            if start <= passage.span.start || start >= passage.span.end {
                continue;
            }
            let page = index + 1;
            let offset = start - passage.span.start;
            // A printed number with a space or a colon is left out rather than misread.
            match pages.label(page).filter(|l| !l.contains([' ', ':'])) {
                Some(label) => breaks.push(format!("{offset}:{page}:{label}")),
                None => breaks.push(format!("{offset}:{page}")),
            }
        }
        breaks.join(" ")
    }

    /// A fingerprint of what the document says, not of its bytes: the letters and digits
    /// of its passages, lower-cased, after any leading `Label: value` lines (a speech's
    /// `President: George W. Bush`). The same speech saved in two folders, one with such a
    /// line and other line breaks, gets one fingerprint, and a search shows it once.
    pub fn text_fingerprint(&self) -> u64 {
        let mut hasher = blake3::Hasher::new();
        let mut buffer = String::with_capacity(4096);
        let mut at_start = true;
        for passage in &self.passages {
            for line in self.text[passage.span.clone()].split('\n') {
                if at_start && (line.trim().is_empty() || is_label_line(line)) {
                    continue;
                }
                at_start = false;
                buffer.extend(
                    line.chars()
                        .filter(|c| c.is_alphanumeric())
                        .flat_map(char::to_lowercase),
                );
                if buffer.len() >= 4000 {
                    hasher.update(buffer.as_bytes());
                    buffer.clear();
                }
            }
        }
        hasher.update(buffer.as_bytes());
        let hash = hasher.finalize();
        u64::from_le_bytes(hash.as_bytes()[..8].try_into().expect("8 bytes"))
    }
}

/// `President: George W. Bush`, `Date: 5 May 2020`: a short line that labels the text
/// below it (one to three words, the first capitalised, then a colon and a value).
fn is_label_line(line: &str) -> bool {
    let line = line.trim();
    let Some((label, value)) = line.split_once(": ") else {
        return false;
    };
    line.chars().count() <= 100
        && !value.trim().is_empty()
        && label.split(' ').count() <= 3
        && label.chars().next().is_some_and(char::is_uppercase)
        && label
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fingerprint(text: &str) -> u64 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("speech.txt");
        fs::write(&path, text).unwrap();
        let file = FileEntry::new(&path).unwrap();
        let contents = read(&file).unwrap();
        Document::prepare(file, contents, None).text_fingerprint()
    }

    #[test]
    fn a_text_fingerprint_ignores_labels_layout_and_case() {
        let speech =
            "Thank you very much.\n\nAnd tonight I have the high privilege of speaking to you.\n";
        let labelled = "President: George W. Bush\n\nThank you very much. And tonight\nI have the HIGH privilege of speaking to you.";
        assert_eq!(fingerprint(speech), fingerprint(labelled));
        let other =
            "Thank you very much.\n\nAnd tonight I have the high honour of speaking to you.\n";
        assert_ne!(fingerprint(speech), fingerprint(other));
        // A label further down is part of the text.
        let late = format!("{speech}\nPresident: George W. Bush\n");
        assert_ne!(fingerprint(speech), fingerprint(&late));
    }
}
