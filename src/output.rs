//! Printing results: for people (a few lines around each match, highlighted on a
//! terminal) and for pipelines (`--json`, one object per line).

use std::io::{self, IsTerminal, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use anstyle::{AnsiColor, Style};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;

use crate::index::{Change, Observer, Stats};
use crate::ingest::Document;
use crate::passages::LineIndex;
use crate::search::{CountBy, Counts, DocumentHit, PassageHit, SearchResults};
use crate::suggest::Tried;
use crate::tagging::dates::{PartialDate, Precision};
use crate::tagging::gazetteer::{
    country_name, former_state, organisation_name, FormerState, Named,
};
use crate::tagging::issuers::Cue;
use crate::tagging::Source;
use crate::words::floor_char_boundary;

const TITLE: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const PATH: Style = AnsiColor::Magenta.on_default();
const LINE: Style = AnsiColor::Green.on_default();
const MATCH: Style = AnsiColor::Red.on_default().bold();

/// Lines of passage shown per hit.
const SNIPPET_LINES: usize = 3;
const INDENT: &str = "   ";

/// Shows `path` relative to the current folder when it lies inside it.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

/// A path as a shell reads it back: quoted when it holds spaces or characters a shell
/// treats specially, so that a locator can be pasted into a command line.
pub fn shell_path(path: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || "/._-+,:@%=~".contains(c);
    if !path.is_empty() && path.chars().all(plain) && !path.starts_with('~') {
        return path.to_string();
    }
    format!("'{}'", path.replace('\'', r"'\''"))
}

/// `path:line:column` of the passage's first match, as editors and ripgrep write it; for a
/// document with pages, `path p. 12 (printed 10), line 4`, the page and line of the match.
pub fn locator(document: &DocumentHit, passage: &PassageHit, cwd: &Path) -> String {
    let path = shell_path(&display_path(&document.path, cwd));
    match passage.match_page {
        Some(page) => format!(
            "{path} p. {page}{}, line {}",
            printed_page(passage),
            passage.match_line
        ),
        None => format!("{path}:{}:{}", passage.match_line, passage.match_column),
    }
}

/// " (printed 10)" when the match's page prints a number other than its place in the file.
fn printed_page(passage: &PassageHit) -> String {
    passage
        .match_page_label
        .as_deref()
        .map_or_else(String::new, |label| format!(" (printed {label})"))
}

/// "2002 (year)", "2002-03 (month)" or "2002-01-29": a date with the precision it has.
pub fn date_label(date: &PartialDate) -> String {
    match date.precision() {
        Precision::Day => date.to_string(),
        precision => format!("{date} ({})", precision_name(precision)),
    }
}

/// Names for codes, the first `most` of them, then "and N more".
fn names(codes: &[String], name_of: fn(&str) -> Option<&'static str>, most: usize) -> String {
    let shown: Vec<&str> = codes
        .iter()
        .take(most)
        .map(|code| name_of(code).unwrap_or(code))
        .collect();
    let mut text = shown.join(", ");
    if codes.len() > most {
        text.push_str(&format!(" and {} more", codes.len() - most));
    }
    text
}

/// Countries and organisations named on one result line.
const NAMES_SHOWN: usize = 4;

/// The title a reader sees: a document the text gave no title is shown as what its tags
/// say it is (who issued it, and when), with its file name.
pub fn display_title(document: &DocumentHit) -> String {
    if document.title_source != Source::FileName.as_str() || document.issuers.is_empty() {
        return document.title.clone();
    }
    let by = names(&document.issuers, country_name, NAMES_SHOWN);
    match document.date {
        Some(date) => format!("{by}, {date} ({})", document.title),
        None => format!("{by} ({})", document.title),
    }
}

/// The results for a person. `width` is the terminal's width in columns.
pub fn write_human(
    out: &mut dyn Write,
    results: &SearchResults,
    cwd: &Path,
    width: usize,
) -> io::Result<()> {
    let text_width = width.saturating_sub(INDENT.len()).max(30);
    if let Some(partial) = &results.partial {
        if !results.documents.is_empty() {
            writeln!(
                out,
                "{DIM}no passage holds all {} parts of the query; showing passages that hold some of them, best first{DIM:#}\n",
                partial.clauses
            )?;
        }
    }
    for (rank, document) in results.documents.iter().enumerate() {
        write_document(out, rank + 1, document, results.listing, cwd, text_width)?;
        writeln!(out)?;
    }
    if results.documents.is_empty() {
        let nothing = if results.listing {
            "no documents match"
        } else {
            "no passages match"
        };
        writeln!(out, "{nothing}")?;
    }
    writeln!(out, "{}", summary(results, true))
}

/// "5 passages from 3 of 5 documents in 1.3 ms", and with `listed`, how many are shown.
pub fn summary(results: &SearchResults, listed: bool) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut line = if results.listing {
        format!(
            "{} of {}",
            results.matching_documents,
            plural(results.total_documents as usize, "document"),
        )
    } else {
        format!(
            "{} from {} of {}",
            plural(results.matching_passages, "passage"),
            results.matching_documents,
            plural(results.total_documents as usize, "document"),
        )
    };
    line.push_str(&format!(
        " in {:.1} ms",
        results.elapsed.as_secs_f64() * 1000.0
    ));
    if listed && results.documents.len() < results.matching_documents {
        line.push_str(&format!(
            " (showing {}; see --limit)",
            results.documents.len()
        ));
    }
    line
}

/// The document's date, tags and copies, on the line under its title.
fn document_line(document: &DocumentHit, rank: usize) -> String {
    let mut parts = Vec::new();
    let mut date = match &document.date {
        Some(date) => date_label(date),
        None => "undated".to_string(),
    };
    if document.may_precede_since {
        date.push_str(", may be before --since");
    }
    if document.may_follow_until {
        date.push_str(", may be after --until");
    }
    if document.order_undecided {
        date.push_str(&format!(
            ", dates cannot tell whether {} or {rank} came first",
            rank - 1
        ));
    }
    parts.push(date);
    if !document.issuers.is_empty() {
        parts.push(format!(
            "issued by {}",
            names(&document.issuers, country_name, NAMES_SHOWN)
        ));
    }
    parts.push(if document.countries.is_empty() {
        "no countries".to_string()
    } else {
        names(&document.countries, country_name, NAMES_SHOWN)
    });
    // Organisations by their codes (G7, ASEAN, AUKUS): that is how readers know them.
    if !document.orgs.is_empty() {
        parts.push(names(&document.orgs, |_| None, NAMES_SHOWN));
    }
    parts.join(" · ")
}

fn write_document(
    out: &mut dyn Write,
    rank: usize,
    document: &DocumentHit,
    listing: bool,
    cwd: &Path,
    width: usize,
) -> io::Result<()> {
    writeln!(
        out,
        "{TITLE}{rank}. {}{TITLE:#}",
        clean(&display_title(document))
    )?;
    writeln!(
        out,
        "{INDENT}{DIM}{}{DIM:#}",
        clean(&document_line(document, rank))
    )?;
    for copy in &document.copies {
        writeln!(
            out,
            "{INDENT}{DIM}same text: {}{DIM:#}",
            clean(&shell_path(&display_path(copy, cwd)))
        )?;
    }
    let path = shell_path(&display_path(&document.path, cwd));
    for passage in &document.passages {
        match passage.match_page {
            // "report.pdf p. 12 (printed 10), line 4": a reader finds a PDF's match by its
            // page, and the line on that page.
            Some(page) => writeln!(
                out,
                "{INDENT}{PATH}{}{PATH:#} {LINE}p. {page}{}{LINE:#}{DIM}, line {}{DIM:#}",
                clean(&path),
                clean(&printed_page(passage)),
                passage.match_line
            )?,
            None => writeln!(
                out,
                "{INDENT}{PATH}{}{PATH:#}:{LINE}{}{LINE:#}:{}",
                clean(&path),
                passage.match_line,
                passage.match_column
            )?,
        }
        write_snippet(out, passage, width)?;
    }
    let more = document
        .matching_passages
        .saturating_sub(document.passages.len());
    if more > 0 && !listing {
        let s = if more == 1 { "" } else { "s" };
        writeln!(
            out,
            "{INDENT}{DIM}+ {more} more matching passage{s} in this document (--per-doc){DIM:#}"
        )?;
    }
    Ok(())
}

/// Document text is untrusted: control characters must not reach the terminal.
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A passage folded to single spaces, with its highlights moved to match.
struct Folded {
    text: String,
    highlights: Vec<Range<usize>>,
}

fn fold(passage: &PassageHit) -> Folded {
    let mut text = String::with_capacity(passage.text.len());
    // Original byte offset -> folded byte offset, for every char start and the end.
    let mut offsets = Vec::with_capacity(passage.text.len() + 1);
    let mut last_was_space = true;
    for (i, c) in passage.text.char_indices() {
        offsets.push((i, text.len()));
        if c.is_whitespace() || c.is_control() {
            if !last_was_space {
                text.push(' ');
            }
            last_was_space = true;
        } else {
            text.push(c);
            last_was_space = false;
        }
    }
    offsets.push((passage.text.len(), text.len()));
    let map = |offset: usize| {
        let at = offsets.partition_point(|(orig, _)| *orig < offset);
        offsets.get(at).map_or(text.len(), |(_, folded)| *folded)
    };
    let highlights = passage
        .highlights
        .iter()
        .map(|h| map(h.start)..map(h.end))
        .filter(|h| h.start < h.end)
        .collect();
    let trimmed = text.trim_end().len();
    text.truncate(trimmed);
    Folded { text, highlights }
}

/// The passage around its matches, in at most [`SNIPPET_LINES`] lines of `width` columns,
/// with "…" where it is cut.
fn write_snippet(out: &mut dyn Write, passage: &PassageHit, width: usize) -> io::Result<()> {
    let folded = fold(passage);
    let start = snippet_start(&folded, width * SNIPPET_LINES);
    let mut words = Vec::new();
    let mut offset = start;
    for word in folded.text[start..].split(' ') {
        if !word.is_empty() {
            words.push(offset..offset + word.len());
        }
        offset += word.len() + 1;
    }
    let width_of = |span: &Range<usize>| folded.text[span.clone()].chars().count();

    let mut lines: Vec<Vec<Range<usize>>> = Vec::new();
    let mut line = Vec::new();
    let mut column = if start > 0 { 2 } else { 0 }; // "… "
    let mut remaining = words.into_iter();
    let mut cut_end = false;
    for word in remaining.by_ref() {
        let needed = width_of(&word) + usize::from(!line.is_empty());
        if !line.is_empty() && column + needed > width {
            lines.push(std::mem::take(&mut line));
            column = 0;
            if lines.len() == SNIPPET_LINES {
                cut_end = true;
                break;
            }
        }
        column += width_of(&word) + usize::from(!line.is_empty());
        line.push(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if cut_end {
        // Make room for " …" on the last line.
        let last = lines.last_mut().expect("a full snippet has lines");
        let mut used: usize = last.iter().map(|w| width_of(w) + 1).sum::<usize>() - 1;
        while last.len() > 1 && used + 2 > width {
            used -= width_of(&last.pop().expect("more than one word")) + 1;
        }
    }

    for (number, words) in lines.iter().enumerate() {
        write!(out, "{INDENT}")?;
        if number == 0 && start > 0 {
            write!(out, "… ")?;
        }
        for (i, word) in words.iter().enumerate() {
            if i > 0 {
                // The space inside a highlighted phrase is highlighted with it.
                let previous = &words[i - 1];
                if folded
                    .highlights
                    .iter()
                    .any(|h| h.start < previous.end && h.end > word.start)
                {
                    write!(out, "{MATCH} {MATCH:#}")?;
                } else {
                    write!(out, " ")?;
                }
            }
            write_word(out, word, &folded.text[word.clone()], &folded.highlights)?;
        }
        if cut_end && number + 1 == lines.len() {
            write!(out, " …")?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn write_word(
    out: &mut dyn Write,
    span: &Range<usize>,
    word: &str,
    highlights: &[Range<usize>],
) -> io::Result<()> {
    let mut position = span.start;
    for h in highlights
        .iter()
        .filter(|h| h.start < span.end && h.end > span.start)
    {
        let from = h.start.max(span.start);
        let to = h.end.min(span.end);
        write!(out, "{}", &word[position - span.start..from - span.start])?;
        write!(
            out,
            "{MATCH}{}{MATCH:#}",
            &word[from - span.start..to - span.start]
        )?;
        position = to;
    }
    write!(out, "{}", &word[position - span.start..])
}

/// Where the snippet starts in the folded text: at the beginning when the densest
/// cluster of matches fits in the first `budget` characters, else a little before it.
fn snippet_start(folded: &Folded, budget: usize) -> usize {
    let text = &folded.text;
    if text.len() <= budget {
        return 0;
    }
    let lead = budget / 4;
    let Some(best) = folded.highlights.iter().max_by_key(|h| {
        let end = h.start + budget;
        let inside = folded
            .highlights
            .iter()
            .filter(|o| o.start >= h.start && o.end <= end);
        (inside.count(), std::cmp::Reverse(h.start))
    }) else {
        return 0;
    };
    if best.end + lead <= budget {
        return 0;
    }
    let from = floor_char_boundary(text, best.start - lead.min(best.start));
    // Start on a word: after the first space at or following `from`.
    text[from..]
        .find(' ')
        .map_or(from, |i| from + i + 1)
        .min(best.start)
}

/// One `--json` line: a passage with its document.
#[derive(Serialize)]
struct JsonHit<'a> {
    /// The query, in the output of `--queries`.
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<&'a str>,
    rank: usize,
    score: f32,
    /// `path:line:column` of the first match, as a shell and an editor read it.
    locator: String,
    doc: JsonDoc<'a>,
    passage: JsonPassage<'a>,
    highlights: Vec<[usize; 2]>,
    /// How many of the query's parts the passage holds, of `clauses`.
    clauses_matched: usize,
    clauses: usize,
}

#[derive(Serialize)]
struct JsonDoc<'a> {
    path: String,
    /// Other files with exactly the same text.
    copies: Vec<String>,
    title: &'a str,
    title_source: &'a str,
    date: Option<String>,
    date_precision: Option<Precision>,
    date_source: Option<&'a str>,
    may_precede_since: bool,
    may_follow_until: bool,
    order_undecided: bool,
    countries: &'a [String],
    issuers: &'a [String],
    orgs: &'a [String],
    matching_passages: usize,
}

#[derive(Serialize)]
struct JsonPassage<'a> {
    /// Where the passage starts.
    line: u64,
    column: u64,
    /// Where its first match is.
    match_line: u64,
    match_column: u64,
    /// Null for documents without pages; for a PDF, `line` is within this page.
    page: Option<u64>,
    page_label: Option<&'a str>,
    /// The first match's page; for a PDF, `match_line` is within it.
    match_page: Option<u64>,
    match_page_label: Option<&'a str>,
    start: u64,
    end: u64,
    text: &'a str,
}

/// The results for a pipeline: one JSON object per line per passage. `query` is written
/// into each object, for a batch of queries.
pub fn write_json(
    out: &mut dyn Write,
    results: &SearchResults,
    query: Option<&str>,
    cwd: &Path,
) -> io::Result<()> {
    for (rank, document) in results.documents.iter().enumerate() {
        for passage in &document.passages {
            let hit = JsonHit {
                query,
                rank: rank + 1,
                score: passage.score,
                locator: locator(document, passage, cwd),
                doc: JsonDoc {
                    path: display_path(&document.path, cwd),
                    copies: document
                        .copies
                        .iter()
                        .map(|copy| display_path(copy, cwd))
                        .collect(),
                    title: &document.title,
                    title_source: &document.title_source,
                    date: document.date.map(|d| d.to_string()),
                    date_precision: document.date.map(|d| d.precision()),
                    date_source: document.date_source.as_deref(),
                    may_precede_since: document.may_precede_since,
                    may_follow_until: document.may_follow_until,
                    order_undecided: document.order_undecided,
                    countries: &document.countries,
                    issuers: &document.issuers,
                    orgs: &document.orgs,
                    matching_passages: document.matching_passages,
                },
                passage: JsonPassage {
                    line: passage.line,
                    column: passage.column,
                    match_line: passage.match_line,
                    match_column: passage.match_column,
                    page: passage.page,
                    page_label: passage.page_label.as_deref(),
                    match_page: passage.match_page,
                    match_page_label: passage.match_page_label.as_deref(),
                    start: passage.start,
                    end: passage.end,
                    text: &passage.text,
                },
                highlights: passage
                    .highlights
                    .iter()
                    .map(|h| [h.start, h.end])
                    .collect(),
                clauses_matched: passage.clauses_matched,
                clauses: results.clauses,
            };
            serde_json::to_writer(&mut *out, &hit)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

/// Mentions shown as evidence per tag on a terminal; `--json` gives them all.
const EVIDENCE_SHOWN: usize = 3;

/// Every mention of a tag as `(line, words)`.
fn evidence(document: &Document, lines: &LineIndex, named: &Named) -> Vec<(usize, String)> {
    named
        .mentions
        .iter()
        .map(|span| {
            (
                lines.line_of(span.start),
                clean(&document.text[span.clone()]),
            )
        })
        .collect()
}

fn write_named(
    out: &mut dyn Write,
    label: &str,
    document: &Document,
    lines: &LineIndex,
    named: &[Named],
    source: Source,
) -> io::Result<()> {
    write!(out, "{INDENT}{label:<10} ")?;
    if named.is_empty() {
        return writeln!(out, "none");
    }
    if source != Source::Text {
        let codes: Vec<&str> = named.iter().map(|n| n.code).collect();
        return writeln!(
            out,
            "{} (from the {})",
            codes.join(" "),
            source.as_str().replace('-', " ")
        );
    }
    for (i, tag) in named.iter().enumerate() {
        if i > 0 {
            write!(out, "{INDENT}{:<10} ", "")?;
        }
        let shown: Vec<String> = evidence(document, lines, tag)
            .into_iter()
            .take(EVIDENCE_SHOWN)
            .map(|(line, words)| format!("{line}: {words}"))
            .collect();
        let more = tag.mentions.len().saturating_sub(EVIDENCE_SHOWN);
        let more = if more > 0 {
            format!(", +{more}")
        } else {
            String::new()
        };
        let lineage = former_state(tag.code)
            .map_or_else(String::new, |former| format!(" [{}]", lineage(former)));
        writeln!(
            out,
            "{} ({}) {DIM}{}{more}{DIM:#}{lineage}",
            tag.code,
            tag.mentions.len(),
            shown.join(", ")
        )?;
    }
    Ok(())
}

/// "Soviet Union until 1991, succeeded by AM AZ ...": a code such as SUHH means little to
/// a reader, and a search for a successor does not find the state before it.
fn lineage(former: &FormerState) -> String {
    let name = country_name(former.code).unwrap_or(former.code);
    format!(
        "{name} until {}, succeeded by {}",
        former.until,
        former.successors.join(" ")
    )
}

/// What `dossier tag` shows of a file, for a person.
pub fn write_tags(out: &mut dyn Write, path: &str, document: &Document) -> io::Result<()> {
    let tags = &document.tags;
    let lines = LineIndex::new(&document.text);
    writeln!(out, "{PATH}{}{PATH:#}", clean(path))?;
    writeln!(out, "{INDENT}title:     {}", clean(&tags.title))?;
    match &tags.date {
        Some(date) => {
            let shown = date_evidence(document, &lines)
                .map(|e| format!(", line {}: {}", e.line, e.text))
                .unwrap_or_default();
            writeln!(
                out,
                "{INDENT}date:      {} ({}, from the {}{shown})",
                date.date,
                precision_name(date.date.precision()),
                date.source.as_str().replace('-', " ")
            )?
        }
        None => writeln!(out, "{INDENT}date:      undated")?,
    }
    if tags.issuers.is_empty() {
        writeln!(out, "{INDENT}issuers:   unknown")?;
    } else if tags.issuer_evidence.is_empty() {
        writeln!(
            out,
            "{INDENT}issuers:   {} (from the {})",
            tags.issuers.join(" "),
            tags.issuers_source.as_str().replace('-', " ")
        )?;
    } else {
        // "JP AU title: Japan-Australia Joint Declaration", "JP 41: For the Government of Japan"
        for (i, cited) in issuer_evidence(document, &lines).iter().enumerate() {
            let label = if i == 0 { "issuers:" } else { "" };
            let place = cited
                .line
                .map_or_else(|| cited.cue.as_str().to_string(), |l| l.to_string());
            let dateline = if cited.cue == Cue::Dateline {
                " (dateline)"
            } else {
                ""
            };
            writeln!(
                out,
                "{INDENT}{label:<10} {} {DIM}{place}: {}{dateline}{DIM:#}",
                cited.codes.join(" "),
                cited.text
            )?;
        }
    }
    write_named(
        out,
        "countries:",
        document,
        &lines,
        &tags.countries,
        tags.countries_source,
    )?;
    write_named(out, "orgs:", document, &lines, &tags.orgs, Source::Text)?;
    writeln!(out, "{INDENT}passages:  {}", document.passages.len())
}

fn precision_name(precision: Precision) -> &'static str {
    match precision {
        Precision::Year => "year",
        Precision::Month => "month",
        Precision::Day => "day",
    }
}

#[derive(Serialize)]
struct JsonTags<'a> {
    path: &'a str,
    title: &'a str,
    title_source: &'static str,
    date: Option<String>,
    date_precision: Option<Precision>,
    date_source: Option<&'static str>,
    date_evidence: Option<JsonEvidence>,
    issuers: &'a [&'static str],
    issuers_source: Option<&'static str>,
    issuer_evidence: Vec<JsonIssuerEvidence>,
    countries: Vec<JsonNamed>,
    countries_source: &'static str,
    orgs: Vec<JsonNamed>,
    passages: usize,
}

#[derive(Serialize)]
struct JsonNamed {
    code: &'static str,
    mentions: usize,
    evidence: Vec<JsonEvidence>,
    /// Only for a state that no longer exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    former: Option<JsonFormer>,
}

#[derive(Serialize)]
struct JsonFormer {
    name: &'static str,
    until: u16,
    successors: &'static [&'static str],
}

#[derive(Serialize)]
struct JsonEvidence {
    line: usize,
    text: String,
}

/// Where the text gives the document's date, when it does.
fn date_evidence(document: &Document, lines: &LineIndex) -> Option<JsonEvidence> {
    let words = document.tags.date.as_ref()?.words.clone()?;
    Some(JsonEvidence {
        line: lines.line_of(words.start),
        text: clean(&document.text[words]),
    })
}

/// Words that say who issues a document: `line` is null for the title.
#[derive(Serialize)]
struct JsonIssuerEvidence {
    codes: Vec<&'static str>,
    #[serde(serialize_with = "cue_name")]
    cue: Cue,
    line: Option<usize>,
    text: String,
}

fn cue_name<S: serde::Serializer>(cue: &Cue, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(cue.as_str())
}

/// Where the text says who issues the document, as `dossier tag` shows it.
fn issuer_evidence(document: &Document, lines: &LineIndex) -> Vec<JsonIssuerEvidence> {
    let tags = &document.tags;
    tags.issuer_evidence
        .iter()
        .map(|cited| {
            let (line, words) = match cited.cue {
                Cue::Title => (None, &tags.title[cited.words.clone()]),
                _ => (
                    Some(lines.line_of(cited.words.start)),
                    &document.text[cited.words.clone()],
                ),
            };
            JsonIssuerEvidence {
                codes: cited.codes.clone(),
                cue: cited.cue,
                line,
                text: clean(words),
            }
        })
        .collect()
}

/// What `dossier tag --json` shows of a file: one object per line.
pub fn write_tags_json(out: &mut dyn Write, path: &str, document: &Document) -> io::Result<()> {
    let tags = &document.tags;
    let lines = LineIndex::new(&document.text);
    let named = |list: &[Named]| -> Vec<JsonNamed> {
        list.iter()
            .map(|n| JsonNamed {
                code: n.code,
                mentions: n.mentions.len(),
                evidence: evidence(document, &lines, n)
                    .into_iter()
                    .map(|(line, text)| JsonEvidence { line, text })
                    .collect(),
                former: former_state(n.code).map(|former| JsonFormer {
                    name: country_name(former.code).unwrap_or(former.code),
                    until: former.until,
                    successors: &former.successors,
                }),
            })
            .collect()
    };
    let json = JsonTags {
        path,
        title: &tags.title,
        title_source: tags.title_source.as_str(),
        date: tags.date.as_ref().map(|d| d.date.to_string()),
        date_precision: tags.date.as_ref().map(|d| d.date.precision()),
        date_source: tags.date.as_ref().map(|d| d.source.as_str()),
        date_evidence: date_evidence(document, &lines),
        issuers: &tags.issuers,
        issuers_source: (!tags.issuers.is_empty()).then(|| tags.issuers_source.as_str()),
        issuer_evidence: issuer_evidence(document, &lines),
        countries: named(&tags.countries),
        countries_source: tags.countries_source.as_str(),
        orgs: named(&tags.orgs),
        passages: document.passages.len(),
    };
    serde_json::to_writer(&mut *out, &json)?;
    writeln!(out)
}

/// Progress of `dossier index` on stderr: a bar on a terminal, nothing otherwise; warnings
/// name files as the user knows them, relative to the current folder.
pub struct SyncProgress {
    quiet: bool,
    cwd: PathBuf,
    bar: Option<ProgressBar>,
}

impl SyncProgress {
    pub fn new(quiet: bool, cwd: PathBuf) -> SyncProgress {
        let bar = (!quiet && io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::hidden();
            bar.set_style(
                ProgressStyle::with_template(
                    "{bar:30} {percent:>3}% {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta} {msg}",
                )
                .expect("valid template"),
            );
            bar
        });
        SyncProgress { quiet, cwd, bar }
    }

    /// A line on stderr, above the bar when there is one.
    fn print(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Removes the bar, so that the summary takes its place.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Observer for SyncProgress {
    fn warn(&self, path: &Path, message: &str) {
        if self.quiet {
            return;
        }
        self.print(&format!(
            "warning: {}: {message}",
            display_path(path, &self.cwd)
        ));
    }

    fn note(&self, message: &str) {
        if !self.quiet {
            self.print(&format!("warning: {message}"));
        }
    }

    fn planned(&self, files: usize, bytes: u64) {
        if let Some(bar) = &self.bar {
            // From zero again for each sync of `dossier watch`.
            bar.reset();
            bar.set_length(bytes);
            bar.set_message(format!("{files} files"));
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    fn progressed(&self, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
        }
    }

    fn waiting(&self, holder: Option<u32>) {
        if !self.quiet {
            let holder = holder.map_or_else(String::new, |pid| format!(" (process {pid})"));
            eprintln!("waiting for another `dossier index`{holder} to finish");
        }
    }

    /// Even when quiet: it is said this once, and what a newsroom indexes a batch for.
    fn new_matches(&self, found: &crate::watchlist::NewMatches) {
        self.print(&found.line());
    }
}

/// `--dry-run`: what a sync would do, one file a line.
pub fn write_changes(out: &mut dyn Write, changes: &[Change], cwd: &Path) -> io::Result<()> {
    for change in changes {
        match change {
            Change::Added(path) => writeln!(out, "add     {}", display_path(path, cwd))?,
            Change::Changed(path) => writeln!(out, "change  {}", display_path(path, cwd))?,
            Change::Moved { from, to } => writeln!(
                out,
                "move    {} -> {}",
                display_path(from, cwd),
                display_path(to, cwd)
            )?,
            Change::Removed(path) => writeln!(out, "remove  {}", display_path(path, cwd))?,
        }
    }
    Ok(())
}

/// `dossier stats`, for a person.
pub fn write_stats(out: &mut dyn Write, stats: &Stats, cwd: &Path) -> io::Result<()> {
    let megabytes = stats.bytes as f64 / 1e6;
    writeln!(out, "documents:  {}", stats.documents)?;
    writeln!(out, "passages:   {}", stats.passages)?;
    writeln!(
        out,
        "index size: {megabytes:.1} MB in {} segments",
        stats.segments
    )?;
    match (&stats.earliest, &stats.latest) {
        (Some(earliest), Some(latest)) => writeln!(
            out,
            "dates:      {earliest} to {latest} ({} of {} documents dated)",
            stats.dated_documents, stats.documents
        )?,
        _ => writeln!(out, "dates:      no dated documents")?,
    }
    let countries: Vec<String> = stats
        .countries
        .iter()
        .map(|(code, n)| format!("{code} ({n})"))
        .collect();
    writeln!(out, "countries:  {}", countries.join(" "))?;
    let roots: Vec<String> = stats
        .roots
        .iter()
        .map(|r| display_path(&r.path, cwd))
        .collect();
    writeln!(
        out,
        "last sync:  {} over {}",
        format_time(stats.last_sync),
        roots.join(", ")
    )?;
    // One line for each root given metadata: "ungdc: pattern {issuer}_{}_{year}".
    let mut label = "metadata:";
    for root in &stats.roots {
        let mut given: Vec<String> = root
            .metadata
            .iter()
            .map(|m| display_path(&m.path, cwd))
            .collect();
        given.extend(root.name_patterns.iter().map(|p| format!("pattern {p}")));
        if !given.is_empty() {
            let path = display_path(&root.path, cwd);
            writeln!(out, "{label:<12}{path}: {}", given.join(", "))?;
            label = "";
        }
    }
    Ok(())
}

/// Seconds since the epoch as `YYYY-MM-DD HH:MM UTC`.
fn format_time(seconds: u64) -> String {
    chrono::DateTime::from_timestamp(seconds as i64, 0).map_or_else(
        || "never".to_string(),
        |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

/// `dossier stats --json`: one object.
pub fn write_stats_json(out: &mut dyn Write, stats: &Stats) -> io::Result<()> {
    serde_json::to_writer(&mut *out, stats)?;
    writeln!(out)
}

/// A cell a spreadsheet shows as text: one starting with `=`, `+`, `-` or `@` (or a tab or
/// carriage return) would be read as a formula, so it is prefixed with an apostrophe.
fn spreadsheet_cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// The words a passage's highlights cover, each once, in order.
fn matched_words(passage: &PassageHit) -> String {
    let mut words: Vec<&str> = Vec::new();
    for h in &passage.highlights {
        let word = &passage.text[h.clone()];
        if !words.contains(&word) {
            words.push(word);
        }
    }
    words.join("; ")
}

/// Results as CSV (RFC 4180: quoted where needed, CRLF line ends, a header row), one row
/// per passage, safe to open in a spreadsheet.
pub struct CsvRows {
    /// With a first column for the query (`--queries`).
    with_query: bool,
    header_written: bool,
}

fn csv_writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

impl CsvRows {
    const COLUMNS: [&'static str; 16] = [
        "rank",
        "title",
        "date",
        "date_precision",
        "countries",
        "country_names",
        "issuers",
        "orgs",
        "path",
        "line",
        "column",
        "copies",
        "matching_passages",
        "passage",
        "matched",
        "score",
    ];

    pub fn new(with_query: bool) -> CsvRows {
        CsvRows {
            with_query,
            header_written: false,
        }
    }

    /// The rows of `results`, after the header row if none was written yet; with a query
    /// column, a query that found nothing still has a row, so that a list of names checked
    /// shows which were not found.
    pub fn write(
        &mut self,
        out: &mut dyn Write,
        results: &SearchResults,
        query: &str,
        cwd: &Path,
    ) -> io::Result<()> {
        let mut csv = csv_writer(out);
        if !self.header_written {
            let query = self.with_query.then_some("query");
            csv.write_record(query.into_iter().chain(Self::COLUMNS))?;
            self.header_written = true;
        }
        let query = self
            .with_query
            .then(|| spreadsheet_cell(query).into_owned());
        if results.documents.is_empty() && query.is_some() {
            let empty = std::iter::repeat_n(String::new(), Self::COLUMNS.len());
            csv.write_record(query.iter().cloned().chain(empty))?;
        }
        for (rank, document) in results.documents.iter().enumerate() {
            for passage in &document.passages {
                let copies: Vec<String> = document
                    .copies
                    .iter()
                    .map(|copy| display_path(copy, cwd))
                    .collect();
                let row = [
                    (rank + 1).to_string(),
                    display_title(document),
                    document.date.map(|d| d.to_string()).unwrap_or_default(),
                    document
                        .date
                        .map(|d| precision_name(d.precision()).to_string())
                        .unwrap_or_default(),
                    document.countries.join(" "),
                    names(&document.countries, country_name, usize::MAX),
                    document.issuers.join(" "),
                    document.orgs.join(" "),
                    display_path(&document.path, cwd),
                    passage.match_line.to_string(),
                    passage.match_column.to_string(),
                    copies.join("; "),
                    document.matching_passages.to_string(),
                    passage.text.clone(),
                    matched_words(passage),
                    format!("{:.3}", passage.score),
                ];
                let cells = row.iter().map(|cell| spreadsheet_cell(cell).into_owned());
                csv.write_record(query.iter().cloned().chain(cells))?;
            }
        }
        csv.flush()
    }
}

/// A count's value as a reader knows it: a year, or a code with its name.
fn count_value(by: CountBy, value: Option<&str>) -> (String, Option<&'static str>) {
    let Some(value) = value else {
        let none = if by == CountBy::Year {
            "undated"
        } else {
            "none"
        };
        return (none.to_string(), None);
    };
    let name = match by {
        CountBy::Year => None,
        CountBy::Country | CountBy::Issuer => country_name(value),
        CountBy::Org => organisation_name(value),
    };
    (value.to_string(), name)
}

/// Counts for a person: one table per dimension.
pub fn write_counts(out: &mut dyn Write, results: &SearchResults) -> io::Result<()> {
    for (i, counts) in results.counts.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        let label = match counts.by {
            CountBy::Year => "year",
            CountBy::Country => "country",
            CountBy::Issuer => "issuer",
            CountBy::Org => "organisation",
        };
        let rows: Vec<(String, usize, usize)> = counts
            .rows
            .iter()
            .map(|row| {
                let (value, name) = count_value(counts.by, row.value.as_deref());
                let shown = match name {
                    Some(name) => format!("{value}  {name}"),
                    None => value,
                };
                (clean(&shown), row.documents, row.passages)
            })
            .collect();
        let width = rows
            .iter()
            .map(|(value, _, _)| value.chars().count())
            .chain([label.len()])
            .max()
            .unwrap_or_default();
        writeln!(out, "{TITLE}{label:<width$}  documents  passages{TITLE:#}")?;
        for (value, documents, passages) in rows {
            let pad = width - value.chars().count();
            writeln!(out, "{value}{:pad$}  {documents:>9}  {passages:>8}", "")?;
        }
    }
    if results.counts.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "{}", summary(results, false))
}

#[derive(Serialize)]
struct JsonCount<'a> {
    value: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'static str>,
    documents: usize,
    passages: usize,
}

/// Counts for a pipeline: one JSON object, dimension by dimension.
pub fn write_counts_json(
    out: &mut dyn Write,
    results: &SearchResults,
    query: Option<&str>,
) -> io::Result<()> {
    #[derive(Serialize)]
    struct JsonCounts<'a> {
        query: Option<&'a str>,
        matching_documents: usize,
        matching_passages: usize,
        undated_left_out: usize,
        /// Dimension by dimension, in the order asked for.
        #[serde(serialize_with = "in_order")]
        counts: Vec<(&'static str, Vec<JsonCount<'a>>)>,
    }
    fn in_order<S: serde::Serializer>(
        pairs: &[(&'static str, Vec<JsonCount>)],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_map(pairs.iter().map(|(key, rows)| (key, rows)))
    }
    let mut counts = Vec::new();
    for Counts { by, rows } in &results.counts {
        let rows: Vec<JsonCount> = rows
            .iter()
            .map(|row| JsonCount {
                value: row.value.as_deref(),
                name: row
                    .value
                    .as_deref()
                    .and_then(|value| count_value(*by, Some(value)).1),
                documents: row.documents,
                passages: row.passages,
            })
            .collect();
        counts.push((by.as_str(), rows));
    }
    let object = JsonCounts {
        query,
        matching_documents: results.matching_documents,
        matching_passages: results.matching_passages,
        undated_left_out: results.undated_left_out,
        counts,
    };
    serde_json::to_writer(&mut *out, &object)?;
    writeln!(out)
}

/// Counts as CSV: one row per dimension and value; `header` for the first of a batch.
pub fn write_counts_csv(
    out: &mut dyn Write,
    results: &SearchResults,
    query: Option<&str>,
    header: bool,
) -> io::Result<()> {
    let mut csv = csv_writer(out);
    if header {
        let query_column = query.map(|_| "query");
        csv.write_record(query_column.into_iter().chain([
            "by",
            "value",
            "name",
            "documents",
            "passages",
        ]))?;
    }
    for counts in &results.counts {
        for row in &counts.rows {
            let (value, name) = count_value(counts.by, row.value.as_deref());
            let cells = [
                counts.by.as_str().to_string(),
                value,
                name.unwrap_or_default().to_string(),
                row.documents.to_string(),
                row.passages.to_string(),
            ];
            let query = query.map(|q| spreadsheet_cell(q).into_owned());
            csv.write_record(
                query
                    .into_iter()
                    .chain(cells.iter().map(|c| spreadsheet_cell(c).into_owned())),
            )?;
        }
    }
    csv.flush()
}

/// What a search that found little tried, for a person: the respelt query, when there is
/// one, and how many passages hold each word.
pub fn tried_lines(tried: &Tried) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(suggestion) = &tried.suggestion {
        let s = if suggestion.documents == 1 { "" } else { "s" };
        lines.push(format!(
            "did you mean: {} ({} document{s})",
            clean(&suggestion.query),
            suggestion.documents
        ));
    }
    let words: Vec<String> = tried
        .words
        .iter()
        .map(|w| match w.passages {
            0 => format!("'{}' in no passage", clean(&w.word)),
            1 => format!("'{}' in 1 passage", clean(&w.word)),
            n => format!("'{}' in {n} passages", clean(&w.word)),
        })
        .collect();
    if !words.is_empty() {
        lines.push(format!("words searched: {}", words.join(", ")));
    }
    lines
}
