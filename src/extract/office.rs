//! Word (`.docx`, Strict OOXML included) and OpenDocument (`.odt`) text, read from the
//! package's ZIP and XML directly: the body first, then what a reader sees around it
//! (headers, footers, footnotes, endnotes, comments), each paragraph a line with a blank
//! line between paragraphs, each table row a line with its cells separated.
//!
//! The main part is found through the package's relationships, so Office 365's
//! `word/document2.xml` is read like `word/document.xml`. Every part is read through a
//! size limit: a ZIP whose parts inflate to gigabytes (a decompression bomb) is refused.

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::Reader;

use super::cleanup::is_junk_title;
use super::Extracted;

/// Uncompressed bytes read from one document, all parts together: twenty times the XML of
/// an 872-page handbook.
pub const MAX_UNCOMPRESSED_BYTES: u64 = 100 * 1024 * 1024;

/// The two families of office documents read here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficeKind {
    Docx,
    Odt,
}

/// Why an office document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OfficeError {
    #[error("encrypted, or a legacy binary document (not a ZIP package)")]
    Encrypted,
    #[error("not a ZIP package ({0})")]
    NotZip(String),
    #[error("no document part in the package")]
    NoDocumentPart,
    #[error("malformed XML in {part}: {message}")]
    Malformed { part: String, message: String },
    #[error("larger than {} MB when uncompressed", MAX_UNCOMPRESSED_BYTES / 1024 / 1024)]
    TooLarge,
}

/// Reads the text and properties of an office document: a text without pages, located
/// by line.
pub fn extract(bytes: &[u8], kind: OfficeKind) -> Result<Extracted, OfficeError> {
    // Encrypted OOXML and legacy .doc files are OLE compound files, not ZIP packages.
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(OfficeError::Encrypted);
    }
    let mut package = Package::open(bytes)?;
    match kind {
        OfficeKind::Docx => docx(&mut package),
        OfficeKind::Odt => odt(&mut package),
    }
}

/// A ZIP package whose parts are read within one budget of uncompressed bytes.
struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    budget: u64,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8]) -> Result<Package<'a>, OfficeError> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| OfficeError::NotZip(e.to_string()))?;
        Ok(Package {
            zip,
            budget: MAX_UNCOMPRESSED_BYTES,
        })
    }

    /// A part as text; `None` when the package has no such part.
    fn part(&mut self, name: &str) -> Result<Option<String>, OfficeError> {
        let name = name.trim_start_matches('/');
        let mut file = match self.zip.by_name(name) {
            Ok(file) => file,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => {
                return Err(OfficeError::Malformed {
                    part: name.to_string(),
                    message: e.to_string(),
                })
            }
        };
        let mut bytes = Vec::new();
        // One byte past the budget tells a part that fills it from one that overflows it.
        let read = file
            .by_ref()
            .take(self.budget + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| OfficeError::Malformed {
                part: name.to_string(),
                message: e.to_string(),
            })?;
        if read as u64 > self.budget {
            return Err(OfficeError::TooLarge);
        }
        self.budget -= read as u64;
        let text = String::from_utf8(bytes).map_err(|_| OfficeError::Malformed {
            part: name.to_string(),
            message: "not UTF-8".into(),
        })?;
        Ok(Some(text))
    }
}

/// Calls `on_event` for every event of `xml`, with the part's name in errors.
fn each_event(
    part: &str,
    xml: &str,
    mut on_event: impl FnMut(Event<'_>),
) -> Result<(), OfficeError> {
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => return Ok(()),
            Ok(event) => on_event(event),
            Err(e) => {
                return Err(OfficeError::Malformed {
                    part: part.to_string(),
                    message: e.to_string(),
                })
            }
        }
    }
}

/// The character an entity reference stands for: `&amp;`, `&#x2019;`.
fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code).filter(|c| *c != '\0')
        }
    }
}

/// Text written into lines: paragraphs end with a blank line, table cells with ` | `
/// and rows with a line break, and runs of spaces are kept as they are.
#[derive(Default)]
struct Lines {
    text: String,
    /// Depth of tables around the current position.
    tables: usize,
}

impl Lines {
    fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }

    fn space(&mut self) {
        if !self.text.ends_with([' ', '\n']) && !self.text.is_empty() {
            self.text.push(' ');
        }
    }

    fn line_break(&mut self) {
        let trimmed = self.text.trim_end_matches(' ').len();
        self.text.truncate(trimmed);
        self.text.push('\n');
    }

    fn end_paragraph(&mut self) {
        if self.tables > 0 {
            self.space();
            return;
        }
        let trimmed = self.text.trim_end_matches([' ', '\n']).len();
        self.text.truncate(trimmed);
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
    }

    fn end_cell(&mut self) {
        let trimmed = self.text.trim_end_matches(' ').len();
        self.text.truncate(trimmed);
        self.text.push_str(" | ");
    }

    fn end_row(&mut self) {
        let trimmed = self.text.trim_end_matches([' ', '|']).len();
        self.text.truncate(trimmed);
        self.text.push('\n');
    }

    fn end_table(&mut self) {
        self.tables = self.tables.saturating_sub(1);
        if self.tables == 0 {
            self.end_paragraph();
        }
    }

    /// The text, each line without the spaces around it (a footnote's text starts after
    /// its mark and a space).
    fn finish(self) -> String {
        let lines: Vec<&str> = self.text.lines().map(str::trim).collect();
        lines.join("\n").trim().to_string()
    }
}

/// The text of one WordprocessingML part (body, header, footnotes...). Deleted text,
/// field codes and the fallback copy of alternate content (which repeats a text box) are
/// left out.
fn wordprocessing_text(part: &str, xml: &str) -> Result<String, OfficeError> {
    let mut lines = Lines::default();
    let mut in_text = false;
    let mut skipped = 0usize;
    each_event(part, xml, |event| match event {
        Event::Start(e) => match e.local_name().as_ref() {
            "Fallback" | "delText" | "instrText" => skipped += 1,
            _ if skipped > 0 => {}
            "t" => in_text = true,
            "tbl" => lines.tables += 1,
            _ => {}
        },
        Event::End(e) => match e.local_name().as_ref() {
            "Fallback" | "delText" | "instrText" => skipped = skipped.saturating_sub(1),
            _ if skipped > 0 => {}
            "t" => in_text = false,
            "p" => lines.end_paragraph(),
            "tc" => lines.end_cell(),
            "tr" => lines.end_row(),
            "tbl" => lines.end_table(),
            _ => {}
        },
        Event::Empty(e) if skipped == 0 => match e.local_name().as_ref() {
            "tab" | "ptab" => lines.space(),
            "br" | "cr" => lines.line_break(),
            "p" => lines.end_paragraph(),
            _ => {}
        },
        Event::Text(t) if in_text && skipped == 0 => lines.push(&t.xml10_content()),
        Event::GeneralRef(r) if in_text && skipped == 0 => {
            if let Some(c) = entity(&r.xml10_content()) {
                lines.push(c.encode_utf8(&mut [0; 4]));
            }
        }
        _ => {}
    })?;
    Ok(lines.finish())
}

/// The targets of a relationships part, by the last word of their type
/// (`officeDocument`, `header`, `footnotes`...), in order.
fn relationships(part: &str, xml: &str) -> Result<Vec<(String, String)>, OfficeError> {
    let mut found = Vec::new();
    each_event(part, xml, |event| {
        if let Event::Empty(e) | Event::Start(e) = event {
            if e.local_name().as_ref() != "Relationship" {
                return;
            }
            let (mut kind, mut target) = (None, None);
            for attribute in e.attributes().flatten() {
                match attribute.key.local_name().as_ref() {
                    "Type" => kind = Some(attribute.value.to_string()),
                    "Target" => target = Some(attribute.value.to_string()),
                    "TargetMode" if attribute.value == "External" => return,
                    _ => {}
                }
            }
            if let (Some(kind), Some(target)) = (kind, target) {
                let kind = kind.rsplit('/').next().unwrap_or_default().to_string();
                found.push((kind, target));
            }
        }
    })?;
    Ok(found)
}

/// A relationship's target as a part name: relative to the folder of the part that
/// names it, or absolute from the package's root.
fn resolve(base_dir: &str, target: &str) -> String {
    if let Some(absolute) = target.strip_prefix('/') {
        return absolute.to_string();
    }
    let mut parts: Vec<&str> = base_dir.split('/').filter(|p| !p.is_empty()).collect();
    for piece in target.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            piece => parts.push(piece),
        }
    }
    parts.join("/")
}

fn docx(package: &mut Package) -> Result<Extracted, OfficeError> {
    let root_xml = package.part("_rels/.rels")?.unwrap_or_default();
    let root_rels = relationships("_rels/.rels", &root_xml)?;
    let target = |wanted: &[&str], default: &str| {
        root_rels
            .iter()
            .find(|(kind, _)| wanted.contains(&kind.as_str()))
            .map_or_else(|| default.to_string(), |(_, target)| resolve("", target))
    };
    let main = target(&["officeDocument"], "word/document.xml");
    let xml = package.part(&main)?.ok_or(OfficeError::NoDocumentPart)?;
    let mut text = wordprocessing_text(&main, &xml)?;

    let (dir, file) = main.rsplit_once('/').unwrap_or(("", &main));
    let rels_name = format!("{dir}/_rels/{file}.rels");
    let rels = match package.part(&rels_name)? {
        Some(xml) => relationships(&rels_name, &xml)?,
        None => Vec::new(),
    };
    // What surrounds the body, in the order a reader meets it.
    for wanted in ["header", "footer", "footnotes", "endnotes", "comments"] {
        for (kind, target) in &rels {
            if kind != wanted {
                continue;
            }
            let name = resolve(dir, target);
            let Some(xml) = package.part(&name)? else {
                continue;
            };
            let part_text = wordprocessing_text(&name, &xml)?;
            if !part_text.is_empty() {
                text.push_str("\n\n");
                text.push_str(&part_text);
            }
        }
    }
    let mut office = Extracted {
        text: text.trim().to_string(),
        ..Extracted::default()
    };
    let core_name = target(&["core-properties"], "docProps/core.xml");
    if let Some(core) = package.part(&core_name)? {
        read_properties(&core_name, &core, &mut office)?;
    }
    Ok(office)
}

/// Title and dates from Dublin Core properties (`docProps/core.xml`, ODF's `meta.xml`).
fn read_properties(part: &str, xml: &str, office: &mut Extracted) -> Result<(), OfficeError> {
    let mut current: Option<String> = None;
    let mut values: Vec<(String, String)> = Vec::new();
    each_event(part, xml, |event| match event {
        Event::Start(e) => current = Some(e.local_name().as_ref().to_string()),
        Event::End(_) => current = None,
        Event::Text(t) => {
            if let Some(name) = &current {
                values.push((name.clone(), t.xml10_content().trim().to_string()));
            }
        }
        _ => {}
    })?;
    for (name, value) in values {
        if value.is_empty() {
            continue;
        }
        match name.as_str() {
            "title" if !is_junk_title(&value) => office.title = Some(value),
            "created" | "creation-date" => office.created = Some(value),
            "modified" | "date" => office.modified = Some(value),
            _ => {}
        }
    }
    Ok(())
}

/// The text of an OpenDocument part: paragraphs and headings, with notes and comments
/// gathered apart (they stand inside paragraphs in the XML) and given after the body.
fn opendocument_text(part: &str, xml: &str) -> Result<(String, String), OfficeError> {
    let mut body = Lines::default();
    let mut aside = Lines::default();
    // Inside a note's body or an annotation, text goes aside; a note's citation ("1")
    // is left out.
    let (mut aside_depth, mut citation) = (0usize, 0usize);
    each_event(part, xml, |event| {
        let lines = if aside_depth > 0 {
            &mut aside
        } else {
            &mut body
        };
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "note-body" | "annotation" => aside_depth += 1,
                "note-citation" => citation += 1,
                "table" => lines.tables += 1,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "note-body" | "annotation" => {
                    aside_depth = aside_depth.saturating_sub(1);
                    aside.end_paragraph();
                }
                "note-citation" => citation = citation.saturating_sub(1),
                "p" | "h" => lines.end_paragraph(),
                "table-cell" => lines.end_cell(),
                "table-row" => lines.end_row(),
                "table" => lines.end_table(),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "s" => {
                    let count = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.local_name().as_ref() == "c")
                        .and_then(|a| a.value.parse::<usize>().ok())
                        .unwrap_or(1)
                        .min(100);
                    lines.push(&" ".repeat(count));
                }
                "tab" => lines.space(),
                "line-break" => lines.line_break(),
                "p" | "h" => lines.end_paragraph(),
                _ => {}
            },
            Event::Text(t) if citation == 0 => lines.push(&t.xml10_content()),
            Event::GeneralRef(r) if citation == 0 => {
                if let Some(c) = entity(&r.xml10_content()) {
                    lines.push(c.encode_utf8(&mut [0; 4]));
                }
            }
            _ => {}
        }
    })?;
    Ok((body.finish(), aside.finish()))
}

fn odt(package: &mut Package) -> Result<Extracted, OfficeError> {
    let content = package
        .part("content.xml")?
        .ok_or(OfficeError::NoDocumentPart)?;
    let (body, notes) = opendocument_text("content.xml", &content)?;
    let mut text = body;
    // Headers and footers live with the page styles.
    if let Some(styles) = package.part("styles.xml")? {
        let (around, _) = opendocument_text("styles.xml", &styles)?;
        for extra in [around, notes] {
            if !extra.is_empty() {
                text.push_str("\n\n");
                text.push_str(&extra);
            }
        }
    } else if !notes.is_empty() {
        text.push_str("\n\n");
        text.push_str(&notes);
    }
    let mut office = Extracted {
        text: text.trim().to_string(),
        ..Extracted::default()
    };
    if let Some(meta) = package.part("meta.xml")? {
        read_properties("meta.xml", &meta, &mut office)?;
    }
    Ok(office)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Result<Extracted, OfficeError> {
        let path = format!(
            "{}/tests/fixtures/office/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let kind = if name.ends_with(".odt") {
            OfficeKind::Odt
        } else {
            OfficeKind::Docx
        };
        extract(&std::fs::read(path).unwrap(), kind)
    }

    #[test]
    fn office_365_names_its_main_part_document2() {
        let office = fixture("office365.docx").unwrap();
        assert_eq!(
            office.text,
            "This is a sample file to test document parsing when the ZIP has file name"
        );
        assert_eq!(
            office.created.as_deref(),
            Some("2025-03-03T11:55:47.0000000Z")
        );
    }

    #[test]
    fn strict_ooxml_is_read_like_transitional() {
        assert_eq!(fixture("strict-ooxml.docx").unwrap().text, "Test");
    }

    #[test]
    fn footnotes_endnotes_and_comments_follow_the_body() {
        for name in ["footnotes.docx", "endnotes.docx", "comments.docx"] {
            assert_eq!(
                fixture(name).unwrap().text,
                "Ouch.\n\nA tachyon walks into a bar.\n\nFin.",
                "{name}"
            );
        }
    }

    #[test]
    fn headers_and_footers_follow_the_body() {
        let text = fixture("header-footer.docx").unwrap().text;
        assert!(
            text.starts_with("Main document\n\nFirst header para\n\nTable cell1 | Table cell2\n\n"),
            "{text}"
        );
        assert!(text.ends_with("\n\npara2"), "{text}");
    }

    #[test]
    fn a_text_box_is_read_once() {
        // Its fallback copy for old readers (mc:Fallback) is left out.
        assert_eq!(fixture("text-box.docx").unwrap().text, "Datum plane");
    }

    #[test]
    fn tables_are_read_row_by_row() {
        let text = fixture("tables.docx").unwrap().text;
        assert!(
            text.starts_with(
                "Simple uniform table\n\nHeader Col 1 | Header Col 2\nLorem ipsum | A link example\n\n"
            ),
            "{text}"
        );
        assert!(text.contains("\ng&t | h\n"), "entities are decoded: {text}");
        let odt = fixture("fake-table.odt").unwrap().text;
        assert!(
            odt.starts_with(
                "Lorem ipsum dolor sit amet.\n\nHeader row | Mon | Wed | Fri\nColor | Blue | Red | Green\n"
            ),
            "{odt}"
        );
    }

    #[test]
    fn opendocument_paragraphs_are_paragraphs() {
        let text = fixture("udhr-eng-spa.odt").unwrap().text;
        assert_eq!(text.split("\n\n").count(), 5);
        assert!(text.contains(
            "\"Todos los seres humanos nacen libres e iguales en dignidad y derechos y, dotados como están de razón y conciencia"
        ));
    }

    #[test]
    fn an_empty_document_has_no_text() {
        assert_eq!(fixture("empty.docx").unwrap().text, "");
    }

    #[test]
    fn what_is_not_a_package_is_refused_plainly() {
        assert_eq!(
            extract(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1], OfficeKind::Docx),
            Err(OfficeError::Encrypted)
        );
        let bytes = std::fs::read(format!(
            "{}/tests/fixtures/office/office365.docx",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let truncated = extract(&bytes[..bytes.len() / 2], OfficeKind::Docx);
        assert!(
            matches!(truncated, Err(OfficeError::NotZip(_))),
            "{truncated:?}"
        );
    }

    /// A package whose document part inflates to more than the budget.
    fn bomb(uncompressed: usize) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("word/document.xml", options).unwrap();
        let block = vec![b' '; 1024 * 1024];
        for _ in 0..uncompressed / block.len() {
            zip.write_all(&block).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    /// A minimal Word package with `title` in its core properties.
    fn titled(title: &str) -> Vec<u8> {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        let parts = [
            ("word/document.xml", "<w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>Ministers met.</w:t></w:r></w:p></w:body></w:document>".to_string()),
            ("docProps/core.xml", format!("<cp:coreProperties xmlns:cp=\"cp\" xmlns:dc=\"dc\" xmlns:dcterms=\"dcterms\"><dc:title>{title}</dc:title><dcterms:created>2026-03-06T09:00:00Z</dcterms:created></cp:coreProperties>")),
        ];
        for (name, xml) in parts {
            zip.start_file(name, options).unwrap();
            zip.write_all(xml.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn a_document_title_is_used_unless_a_program_wrote_it() {
        let office = extract(
            &titled("Joint Statement on Critical Minerals"),
            OfficeKind::Docx,
        )
        .unwrap();
        assert_eq!(office.text, "Ministers met.");
        assert_eq!(
            office.title.as_deref(),
            Some("Joint Statement on Critical Minerals")
        );
        assert_eq!(office.created.as_deref(), Some("2026-03-06T09:00:00Z"));
        let office = extract(&titled("Microsoft Word - draft3.docx"), OfficeKind::Docx).unwrap();
        assert_eq!(office.title, None);
    }

    #[test]
    fn a_decompression_bomb_is_refused_without_inflating_it_all() {
        let bytes = bomb(120 * 1024 * 1024);
        assert!(bytes.len() < 2_000_000, "{} bytes", bytes.len());
        assert_eq!(
            extract(&bytes, OfficeKind::Docx),
            Err(OfficeError::TooLarge)
        );
    }

    proptest::proptest! {
        #[test]
        fn damaged_packages_never_panic(
            name in proptest::sample::select(vec![
                "office365.docx", "tables.docx", "fake-table.odt", "header-footer.docx",
            ]),
            cuts in proptest::collection::vec((0usize..20_000, proptest::prelude::any::<u8>()), 1..8),
        ) {
            let path = format!("{}/tests/fixtures/office/{name}", env!("CARGO_MANIFEST_DIR"));
            let mut bytes = std::fs::read(path).unwrap();
            for (at, value) in cuts {
                let at = at % bytes.len();
                bytes[at] = value;
            }
            let kind = if name.ends_with(".odt") { OfficeKind::Odt } else { OfficeKind::Docx };
            let _ = extract(&bytes, kind);
        }
    }
}
