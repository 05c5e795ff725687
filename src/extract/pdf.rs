//! PDF text through Poppler's `pdftotext`, run as a separate program.
//!
//! Why a program and not a crate: of nine engines measured on the shared document set,
//! `pdftotext` read the most text correctly (0.996 recall, 0.992 precision on generated
//! PDFs, two-column ones included), crashed on none of 300 corrupted files, and adds nothing
//! to the build (the pure-Rust engines added 120 to 500 s of build and panicked or ate
//! gigabytes on corrupted input). Debian and most systems package it (`poppler-utils`). Run
//! apart, with limits on time, memory and output, a file that makes it crash, loop or eat
//! memory costs that file only: `catch_unwind` stops neither an abort nor an allocation
//! that takes the machine's memory.

use std::io::{Read, Write};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{cleanup, ExtractError, Extracted};

/// The engine, and the Debian package that installs it.
pub const PROGRAM: &str = "pdftotext";
pub const PACKAGE: &str = "poppler-utils";

/// Wall-clock time one file may take; the largest real PDF in the test set (400 pages)
/// takes under 2 s.
const TIME_LIMIT: Duration = Duration::from_secs(60);
/// CPU seconds, enforced by the kernel (the wall-clock limit is enforced here).
const CPU_LIMIT_SECONDS: u64 = 60;
/// Address space of the engine: far above what the 400-page file needs (under 100 MB), far
/// below what would crowd out the rest of the machine on a decompression bomb.
const MEMORY_LIMIT_BYTES: u64 = 1 << 30;
/// More text than this from one file is not a document but a bomb.
pub const MAX_TEXT_BYTES: usize = 256 * 1024 * 1024;

/// What `pdftotext` read of a PDF, before cleanup: what the cache keeps, so that a change of
/// the cleanup never needs the engine again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PdfText {
    pub pages: Vec<String>,
    pub title: Option<String>,
    pub created: Option<String>,
    pub modified: Option<String>,
    /// Text read by OCR, by 1-based page, for pages that had none.
    #[serde(default)]
    pub ocr: BTreeMap<usize, String>,
}

impl PdfText {
    /// 1-based pages that hold no text and have not been read by OCR.
    pub fn pages_to_read(&self) -> Vec<usize> {
        (1..=self.pages.len())
            .filter(|page| {
                !cleanup::has_text(&self.pages[page - 1]) && !self.ocr.contains_key(page)
            })
            .collect()
    }

    /// The cleaned text, OCR pages in place.
    pub fn assemble(&self) -> Result<Extracted, ExtractError> {
        let pages = self
            .pages
            .iter()
            .enumerate()
            .map(|(i, page)| self.ocr.get(&(i + 1)).unwrap_or(page).clone())
            .collect();
        let mut extracted = cleanup::assemble(pages);
        let page_count = self.pages.len();
        if extracted.pages_without_text.len() == page_count {
            return Err(ExtractError::NoText { pages: page_count });
        }
        extracted.title = self.title.clone().filter(|t| !cleanup::is_junk_title(t));
        extracted.created = self.created.clone();
        extracted.modified = self.modified.clone();
        Ok(extracted)
    }
}

/// Reads the PDF whose contents are `bytes`.
pub fn read(bytes: &[u8]) -> Result<PdfText, ExtractError> {
    // -htmlmeta gives the document's title and dates with the text in one process (pdfinfo
    // would be a second per file). Reading order, not -layout: -layout keeps columns side by
    // side on each line, which breaks every sentence of a two-column page.
    let output = run_limited(PROGRAM, &["-enc", "UTF-8", "-htmlmeta", "-", "-"], bytes)?;
    check_status(output.status, &output.errors)?;
    parse(&String::from_utf8_lossy(&output.text))
}

/// The OCR program, and the Debian package that installs it.
pub const OCR_PROGRAM: &str = "tesseract";
pub const OCR_PACKAGE: &str = "tesseract-ocr";
/// Tesseract read a real scan with word recall 0.970 at 150 dpi in 1.9 s a page, and 0.964 at
/// 300 dpi in 2.4 to 3 s (the shared document set's README).
const OCR_DPI: &str = "150";

/// True when Tesseract can be run.
pub fn ocr_available() -> bool {
    Command::new(OCR_PROGRAM)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// The text of page `page` (1-based) of the PDF `bytes`, by OCR: rendered by `pdftoppm`,
/// read by `tesseract`, each under the same limits as `pdftotext`.
pub fn ocr_page(bytes: &[u8], page: usize) -> Result<String, ExtractError> {
    let page = page.to_string();
    let image = run_limited(
        "pdftoppm",
        &["-r", OCR_DPI, "-gray", "-png", "-f", &page, "-l", &page],
        bytes,
    )?;
    check_status(image.status, &image.errors)?;
    let text =
        run_limited(OCR_PROGRAM, &["stdin", "stdout", "-l", "eng"], &image.text).map_err(|e| {
            match e {
                ExtractError::EngineMissing { .. } => ExtractError::EngineMissing {
                    program: OCR_PROGRAM,
                    package: OCR_PACKAGE,
                },
                e => e,
            }
        })?;
    check_status(text.status, &text.errors)?;
    Ok(String::from_utf8_lossy(&text.text).into_owned())
}

/// What a program said, and how it ended.
struct Ran {
    status: ExitStatus,
    text: Vec<u8>,
    errors: String,
}

/// Runs `program` on `input` (its standard input) under the limits above.
fn run_limited(program: &str, args: &[&str], input: &[u8]) -> Result<Ran, ExtractError> {
    let mut command = Command::new(program);
    command
        .args(args)
        // Tesseract's OpenMP threads made one page take 32 s instead of 3.5 s on two cores:
        // files are read in parallel instead.
        .env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    limit_resources(&mut command);
    let mut child = command.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ExtractError::EngineMissing {
            program: PROGRAM,
            package: PACKAGE,
        },
        _ => ExtractError::Crashed(format!("cannot start {program}: {e}")),
    })?;
    let mut stdin = child.stdin.take().expect("piped");
    let stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");

    let (sender, receiver) = mpsc::channel();
    let (read, timed_out, errors) = std::thread::scope(|scope| {
        // A write error means the program stopped reading: its exit status says why.
        scope.spawn(move || {
            let _ = stdin.write_all(input);
        });
        scope.spawn(move || {
            let mut text = Vec::new();
            let read = stdout
                .take(MAX_TEXT_BYTES as u64 + 1)
                .read_to_end(&mut text)
                .map(|_| text);
            let _ = sender.send(read);
        });
        // Warnings on a broken file can fill the pipe and stall the program: read them
        // all, keep the first lines.
        let errors = scope.spawn(move || {
            let mut errors = Vec::new();
            let _ = (&mut stderr).take(4096).read_to_end(&mut errors);
            let _ = std::io::copy(&mut stderr, &mut std::io::sink());
            errors
        });
        let read = receiver.recv_timeout(TIME_LIMIT);
        let timed_out = read.is_err();
        if timed_out {
            // Closes the pipes, so the threads above end.
            let _ = child.kill();
        }
        let errors = errors.join().unwrap_or_default();
        (read, timed_out, errors)
    });
    let status = child
        .wait()
        .map_err(|e| ExtractError::Crashed(e.to_string()))?;
    if timed_out {
        return Err(ExtractError::TimedOut(TIME_LIMIT.as_secs()));
    }
    let text = match read {
        Ok(Ok(text)) => text,
        _ => return Err(ExtractError::Crashed("its output could not be read".into())),
    };
    if text.len() > MAX_TEXT_BYTES {
        return Err(ExtractError::TooMuchText);
    }
    Ok(Ran {
        status,
        text,
        errors: String::from_utf8_lossy(&errors).into_owned(),
    })
}

/// Sets the engine's limits in the child, before it runs.
fn limit_resources(command: &mut Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        let limit = |resource, value: u64| {
            let limit = libc::rlimit {
                rlim_cur: value as libc::rlim_t,
                rlim_max: value as libc::rlim_t,
            };
            // SAFETY: setrlimit only reads the struct passed; async-signal-safe.
            if unsafe { libc::setrlimit(resource, &limit) } == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        };
        // SAFETY: the closure calls only setrlimit, which is safe between fork and exec.
        unsafe {
            command.pre_exec(move || {
                limit(libc::RLIMIT_AS, MEMORY_LIMIT_BYTES)?;
                limit(libc::RLIMIT_CPU, CPU_LIMIT_SECONDS)?;
                limit(libc::RLIMIT_CORE, 0)
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = command;
}

/// What the engine's exit says of the file.
fn check_status(status: ExitStatus, errors: &str) -> Result<(), ExtractError> {
    if status.success() {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            return Err(match signal {
                libc_signals::XCPU => ExtractError::TimedOut(CPU_LIMIT_SECONDS),
                libc_signals::ABRT | libc_signals::SEGV => {
                    ExtractError::Crashed("it crashed, or ran out of memory".into())
                }
                signal => ExtractError::Crashed(format!("it stopped on signal {signal}")),
            });
        }
    }
    if errors.contains("Incorrect password") {
        return Err(ExtractError::Encrypted);
    }
    // Poppler's first error says best what is wrong ("Couldn't read xref table"); its
    // warnings come before it ("May not be a PDF file (continuing anyway)").
    let first_error = errors.lines().find(|line| line.contains("Error: "));
    let first = first_error
        .or_else(|| errors.lines().find(|line| !line.trim().is_empty()))
        .map_or("no reason given", |line| {
            line.split_once(": ")
                .map_or(line, |(_, reason)| reason)
                .trim()
        });
    let mut reason = first.to_string();
    if let Some(c) = reason.get(..1) {
        reason.replace_range(..1, &c.to_lowercase());
    }
    Err(ExtractError::Malformed(reason))
}

/// Signal numbers, the same on every Linux architecture dossier builds for.
mod libc_signals {
    pub const ABRT: i32 = 6;
    pub const SEGV: i32 = 11;
    pub const XCPU: i32 = 24;
}

/// Reads `pdftotext -htmlmeta` output: metadata in the head, the text (not escaped) in one
/// `<pre>`, pages ended by form feeds.
pub fn parse(output: &str) -> Result<PdfText, ExtractError> {
    let (head, body) = output.split_once("<pre>").unwrap_or(("", output));
    let body = body.strip_prefix('\n').unwrap_or(body);
    let body = body.rfind("</pre>").map_or(body, |end| &body[..end]);
    let meta = |name: &str| {
        between(head, &format!("<meta name=\"{name}\" content=\""), "\"/>")
            .map(unescape)
            .filter(|v| !v.is_empty())
    };
    let pages = cleanup::split_pages(body);
    if pages.is_empty() {
        return Err(ExtractError::Malformed("no pages found".into()));
    }
    Ok(PdfText {
        pages,
        title: between(head, "<title>", "</title>").map(unescape),
        created: meta("CreationDate"),
        modified: meta("ModDate"),
        ocr: BTreeMap::new(),
    })
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let end = text[start..].find(close)? + start;
    Some(text[start..end].trim())
}

/// Poppler escapes the metadata it writes into HTML.
fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_and_pages_are_read_from_htmlmeta_output() {
        let output = "<html><head>\n<title>Joint Statement &amp; Annex</title>\n\
            <meta name=\"CreationDate\" content=\"2023-06-26T20:20:52-04\"/>\n</head>\n\
            <body>\n<pre>\nFirst page text.\n\x0cSecond page text.\n\x0c</pre>\n</body>\n</html>\n";
        let extracted = parse(output).unwrap().assemble().unwrap();
        assert_eq!(extracted.text, "First page text.\n\nSecond page text.\n");
        assert_eq!(extracted.title.as_deref(), Some("Joint Statement & Annex"));
        assert_eq!(extracted.created.as_deref(), Some("2023-06-26T20:20:52-04"));
        assert_eq!(extracted.modified, None);
        assert_eq!(extracted.pages.unwrap().starts, vec![0, 18]);
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_program_that_eats_memory_is_stopped_at_its_limit() {
        // `sort` on an endless line holds all of it: without a limit, all of the machine's
        // memory.
        let ran = run_limited("sort", &["/dev/zero"], b"").unwrap();
        assert_eq!(
            check_status(ran.status, &ran.errors),
            Err(ExtractError::Malformed("memory exhausted".into()))
        );
    }

    #[test]
    fn a_program_that_writes_without_end_is_cut_off() {
        let ran = run_limited("cat", &["/dev/zero"], b"");
        assert_eq!(ran.err(), Some(ExtractError::TooMuchText));
    }

    #[test]
    fn a_pdf_whose_pages_hold_no_text_is_no_text() {
        let output = "<pre>\n \n\x0c\n\x0c</pre>";
        assert_eq!(
            parse(output).unwrap().assemble(),
            Err(ExtractError::NoText { pages: 2 })
        );
    }
}
