//! PDFs indexed and searched by the `dossier` binary, on the fixtures in
//! `tests/fixtures/documents` (sources and licences in its README). Needs Poppler's
//! `pdftotext` (`scripts/install-deps`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use proptest::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::stderr;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/documents");
/// Twelve pages, each one paragraph that opens "Section N of the test document".
const PAGES_12: &str = "en-12-explicit-pages.pdf";
/// Two columns, justified and hyphenated, page numbers in the footer ("– 2 –").
const TWO_COLUMNS: &str = "en-2col-footer-pagenum.pdf";
const ENCRYPTED: &str = "enc-aes128-user-password-asdfzxcv.pdf";
const BROKEN: &str = "invalid-header-eof-only.pdf";
const SCAN: &str = "scan-linn-two-column.pdf";
const RECURSIVE: &str = "evil-xobjects-recursion.pdf";

/// A folder `docs/` holding copies of some fixtures, where `dossier` runs.
struct Workspace {
    dir: TempDir,
}

impl Workspace {
    fn with(files: &[&str]) -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("docs")).unwrap();
        for file in files {
            fs::copy(
                Path::new(FIXTURES).join(file),
                dir.path().join("docs").join(file),
            )
            .unwrap();
        }
        Workspace { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn command(&self) -> Command {
        common::dossier(self.dir.path())
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().unwrap()
    }

    /// Runs with a PATH where no program is found: as on a machine without Poppler.
    fn run_without_programs(&self, args: &[&str]) -> Output {
        let empty = self.path("no-programs");
        fs::create_dir_all(&empty).unwrap();
        self.command()
            .env("PATH", empty)
            .args(args)
            .output()
            .unwrap()
    }

    fn index(&self) -> String {
        let out = self.run(&["index", "docs"]);
        assert!(out.status.success(), "{}", stderr(&out));
        stderr(&out)
    }

    fn search_json(&self, query: &str) -> Vec<Value> {
        let out = self.run(&["search", "--json", query]);
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }
}

/// The summary line without its time.
fn summary(err: &str) -> &str {
    let last = err.lines().last().unwrap_or_default();
    last.split(" in ").next().unwrap()
}

#[test]
fn every_passage_of_a_pdf_says_the_page_it_starts_on() {
    let workspace = Workspace::with(&[PAGES_12]);
    workspace.index();
    // The generator's own record of which page each paragraph is on.
    let pages: Vec<String> = serde_json::from_str(
        &fs::read_to_string(Path::new(FIXTURES).join("en-12-explicit-pages.pages.json")).unwrap(),
    )
    .unwrap();
    for (i, paragraph) in pages.iter().enumerate() {
        let opening = paragraph
            .split_whitespace()
            .take(6)
            .collect::<Vec<_>>()
            .join(" ");
        let hits = workspace.search_json(&format!("\"{opening}\""));
        assert_eq!(hits.len(), 1, "{opening}");
        assert_eq!(hits[0]["passage"]["page"], i + 1, "{opening}");
        assert_eq!(hits[0]["passage"]["page_label"], Value::Null);
    }
}

#[test]
fn a_pdf_passage_is_located_by_page_and_line_on_a_terminal() {
    let workspace = Workspace::with(&[PAGES_12]);
    workspace.index();
    let out = workspace.run(&["search", "\"Section 7 of the test document\""]);
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(
        shown.contains("docs/en-12-explicit-pages.pdf p. 7, line 1\n"),
        "{shown}"
    );
    let hits = workspace.search_json("\"Section 7 of the test document\"");
    assert_eq!(
        hits[0]["locator"],
        "docs/en-12-explicit-pages.pdf p. 7, line 1"
    );
}

#[test]
fn a_pdf_named_on_the_command_line_is_read_as_a_pdf() {
    let workspace = Workspace::with(&[PAGES_12]);
    let out = workspace.run(&["index", "docs/en-12-explicit-pages.pdf"]);
    assert_eq!(
        summary(&stderr(&out)),
        "1 added, 0 changed, 0 removed, 0 unchanged"
    );
    // Its text, not its code: no "endobj".
    let out = workspace.run(&["search", "--json", "endobj"]);
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let hits = workspace.search_json("\"Section 3 of the test document\"");
    assert_eq!(hits[0]["passage"]["page"], 3);
}

#[test]
fn a_phrase_across_a_page_break_is_found_in_a_passage_that_starts_on_the_first_page() {
    let workspace = Workspace::with(&[TWO_COLUMNS]);
    workspace.index();
    let hits = workspace.search_json("\"a notice placed by the copyright holder\"");
    assert_eq!(hits.len(), 1);
    let passage = &hits[0]["passage"];
    assert_eq!(passage["page"], 1);
    let text = passage["text"].as_str().unwrap();
    let [start, end] = [0, 1].map(|i| hits[0]["highlights"][0][i].as_u64().unwrap() as usize);
    assert_eq!(
        &text[start..end],
        "a notice placed by the\ncopyright holder"
    );
    // The page number printed between the two halves is not in the passage.
    assert!(!text.contains("–1–"), "{text}");
    assert_eq!(passage["match_page"], 1);

    // A match past the break is located on its own page, from that page's first line.
    let hits = workspace.search_json("\"copyright holder\"");
    let hit = hits
        .iter()
        .find(|h| {
            h["passage"]["text"]
                .as_str()
                .unwrap()
                .contains("placed by the\ncopyright holder")
        })
        .expect("the passage across the break");
    let passage = &hit["passage"];
    assert_eq!(
        (&passage["page"], &passage["match_page"]),
        (&1.into(), &2.into())
    );
    assert_eq!(passage["match_line"], 1);
    assert_eq!(hit["locator"], format!("docs/{TWO_COLUMNS} p. 2, line 1"));
}

#[test]
fn a_pdf_without_a_title_in_its_text_is_dated_by_its_properties() {
    let workspace = Workspace::with(&[PAGES_12]);
    let out = workspace.run(&["tag", "--json", "docs/en-12-explicit-pages.pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let tags: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(tags["date"], "2026-12-05");
    assert_eq!(tags["date_source"], "document-properties");
}

#[test]
fn unreadable_pdfs_are_skipped_with_their_reason_and_the_rest_is_indexed() {
    let workspace = Workspace::with(&[PAGES_12, ENCRYPTED, BROKEN, SCAN, RECURSIVE]);
    fs::write(workspace.path("docs/empty.pdf"), "").unwrap();
    fs::write(
        workspace.path("docs/notes.txt"),
        "The ministers met in Canberra.\n",
    )
    .unwrap();
    let err = workspace.index();
    // Files are read in parallel: their warnings come in any order.
    let mut warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning:")).collect();
    warnings.sort();
    assert_eq!(
        warnings,
        [
            "warning: docs/empty.pdf: skipped: empty file",
            "warning: docs/enc-aes128-user-password-asdfzxcv.pdf: skipped: encrypted: it needs a password to open",
            "warning: docs/invalid-header-eof-only.pdf: skipped: not a readable PDF (couldn't find trailer dictionary)",
            "warning: docs/scan-linn-two-column.pdf: skipped: no text on its one page (a scan, or fonts without a Unicode map)",
        ]
    );
    assert_eq!(
        summary(&err),
        "3 added, 0 changed, 0 removed, 0 unchanged, 4 skipped (1 empty, 1 encrypted, 1 malformed, 1 no text)"
    );
    assert_eq!(workspace.search_json("Canberra").len(), 1);
    assert_eq!(
        workspace
            .search_json("\"Section 12 of the test document\"")
            .len(),
        1
    );
}

#[test]
fn without_pdftotext_one_warning_says_how_many_pdfs_were_not_read_and_how_to_install_it() {
    let workspace = Workspace::with(&[PAGES_12, TWO_COLUMNS]);
    fs::write(
        workspace.path("docs/notes.txt"),
        "The ministers met in Canberra.\n",
    )
    .unwrap();
    let out = workspace.run_without_programs(&["index", "docs"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(
        lines[0]
            .starts_with("1 added, 0 changed, 0 removed, 0 unchanged, 2 skipped (2 no pdftotext)"),
        "{err}"
    );
    assert_eq!(
        lines[1],
        "warning: 2 PDFs not read: pdftotext is not installed (install it with `sudo apt-get install poppler-utils`)"
    );
}

#[test]
fn a_resync_a_move_and_a_rebuild_never_extract_a_pdf_again() {
    let workspace = Workspace::with(&[PAGES_12]);
    workspace.index();
    // Without pdftotext, nothing that needs it can succeed: what follows runs on what was
    // extracted the first time.
    let out = workspace.run_without_programs(&["index", "docs"]);
    assert_eq!(
        summary(&stderr(&out)),
        "0 added, 0 changed, 0 removed, 1 unchanged"
    );

    fs::rename(
        workspace.path("docs/en-12-explicit-pages.pdf"),
        workspace.path("docs/moved.pdf"),
    )
    .unwrap();
    let out = workspace.run_without_programs(&["index", "docs"]);
    assert_eq!(
        summary(&stderr(&out)),
        "0 added, 0 changed, 1 moved, 0 removed, 0 unchanged"
    );

    let out = workspace.run_without_programs(&["index", "--rebuild", "docs"]);
    assert_eq!(
        summary(&stderr(&out)),
        "1 added, 0 changed, 0 removed, 0 unchanged"
    );
    let hits = workspace.search_json("\"Section 9 of the test document\"");
    assert_eq!(hits[0]["doc"]["path"], "docs/moved.pdf");
    assert_eq!(hits[0]["passage"]["page"], 9);
}

#[test]
fn the_extracted_text_of_a_removed_pdf_is_dropped_from_the_index_folder() {
    let workspace = Workspace::with(&[PAGES_12, TWO_COLUMNS]);
    workspace.index();
    let cached = || {
        fs::read_dir(workspace.path("index/extracted"))
            .unwrap()
            .count()
    };
    assert_eq!(cached(), 2);
    fs::remove_file(workspace.path("docs/en-2col-footer-pagenum.pdf")).unwrap();
    let err = workspace.index();
    assert_eq!(summary(&err), "0 added, 0 changed, 1 removed, 1 unchanged");
    assert_eq!(cached(), 1);
}

#[test]
fn with_ocr_a_scanned_page_is_read_once_and_found() {
    let workspace = Workspace::with(&[SCAN]);
    let out = workspace.run(&["index", "--ocr", "docs"]);
    assert_eq!(
        summary(&stderr(&out)),
        "1 added, 0 changed, 0 removed, 0 unchanged"
    );
    let hits = workspace.search_json("\"polyphonic tracks\"");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["passage"]["page"], 1);
    // Read once: without the OCR program, the next run has nothing left to read.
    let out = workspace.run_without_programs(&["index", "--ocr", "docs"]);
    assert_eq!(
        summary(&stderr(&out)),
        "0 added, 0 changed, 0 removed, 1 unchanged"
    );
}

#[test]
fn without_tesseract_ocr_says_how_to_get_it_and_scans_are_reported() {
    let workspace = Workspace::with(&[SCAN]);
    let out = workspace.run_without_programs(&["index", "--ocr", "docs"]);
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[0],
        "warning: --ocr: tesseract is not installed (install it with `sudo apt-get install tesseract-ocr`); pages without text are reported, not read"
    );
}

#[test]
fn a_text_file_has_no_page() {
    let workspace = Workspace::with(&[]);
    fs::write(
        workspace.path("docs/notes.txt"),
        "The ministers met in Canberra.\n",
    )
    .unwrap();
    workspace.index();
    let hits = workspace.search_json("Canberra");
    assert_eq!(hits[0]["passage"]["page"], Value::Null);
    assert_eq!(hits[0]["passage"]["line"], 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Corrupted copies of a real PDF (bytes changed, cut short, spliced) and random bytes:
    /// extraction gives a text or a reason, never a panic, within its time limit.
    #[test]
    fn extraction_of_corrupted_pdfs_ends_with_a_text_or_a_reason(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..40),
        cut in any::<prop::sample::Index>(),
        random in proptest::collection::vec(any::<u8>(), 0..2048),
        use_random in any::<bool>(),
    ) {
        let bytes = if use_random {
            let mut bytes = b"%PDF-1.7\n".to_vec();
            bytes.extend(random);
            bytes
        } else {
            let mut bytes = fs::read(Path::new(FIXTURES).join(TWO_COLUMNS)).unwrap();
            for (at, byte) in edits {
                let at = at.index(bytes.len());
                bytes[at] = byte;
            }
            bytes.truncate(cut.index(bytes.len()) + 1);
            bytes
        };
        let started = Instant::now();
        let result = dossier::extract::extract(
            &bytes,
            dossier::extract::Kind::Pdf,
            "none",
            None,
            false,
        );
        prop_assert!(started.elapsed() < Duration::from_secs(61));
        if let Ok(extracted) = result {
            let pages = extracted.pages.unwrap();
            prop_assert!(pages.starts.windows(2).all(|w| w[0] <= w[1]));
            prop_assert!(pages.starts.iter().all(|&s| s <= extracted.text.len() && extracted.text.is_char_boundary(s)));
        }
    }
}

/// Word and OpenDocument fixtures, in `tests/fixtures/office` (sources and licences in its
/// README).
const OFFICE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/office");

#[test]
fn word_and_opendocument_files_are_indexed_and_located_by_line() {
    let workspace = Workspace::with(&[]);
    for file in [
        "tables.docx",
        "udhr-eng-spa.odt",
        "footnotes.docx",
        "empty.docx",
    ] {
        fs::copy(
            Path::new(OFFICE).join(file),
            workspace.path("docs").join(file),
        )
        .unwrap();
    }
    // Half a package: the rest of the batch is indexed all the same.
    let whole = fs::read(Path::new(OFFICE).join("office365.docx")).unwrap();
    fs::write(workspace.path("docs/cut.docx"), &whole[..whole.len() / 2]).unwrap();
    let err = workspace.index();
    let mut warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning:")).collect();
    warnings.sort();
    assert_eq!(warnings.len(), 2, "{err}");
    assert!(
        warnings[0].starts_with("warning: docs/cut.docx: skipped: not a ZIP package ("),
        "{}",
        warnings[0]
    );
    assert_eq!(warnings[1], "warning: docs/empty.docx: skipped: empty file");
    assert_eq!(
        summary(&err),
        "3 added, 0 changed, 0 removed, 0 unchanged, 2 skipped (1 empty, 1 malformed)"
    );

    let hits = workspace.search_json("\"Lorem ipsum\"");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["doc"]["path"], "docs/tables.docx");
    assert_eq!(hits[0]["passage"]["page"], Value::Null);
    // The line of the extracted text: the table's second row.
    assert_eq!(hits[0]["passage"]["match_line"], 4);
    assert_eq!(hits[0]["locator"], "docs/tables.docx:4:1");
    let hits = workspace.search_json("\"tachyon walks into a bar\"");
    assert_eq!(
        hits[0]["doc"]["path"], "docs/footnotes.docx",
        "footnotes are read"
    );
    let hits = workspace.search_json("\"seres humanos nacen libres\"");
    assert_eq!(hits[0]["doc"]["path"], "docs/udhr-eng-spa.odt");
}
