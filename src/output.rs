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
use crate::search::{DocumentHit, PassageHit, SearchResults};
use crate::tagging::dates::Precision;
use crate::tagging::gazetteer::Named;
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
        write_document(out, rank + 1, document, cwd, text_width)?;
        writeln!(out)?;
    }
    if results.documents.is_empty() {
        writeln!(out, "no passages match")?;
    }
    writeln!(out, "{}", summary(results))
}

/// "5 passages from 3 of 5 documents in 1.3 ms".
pub fn summary(results: &SearchResults) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut line = format!(
        "{} from {} of {} in {:.1} ms",
        plural(results.matching_passages, "passage"),
        results.matching_documents,
        plural(results.total_documents as usize, "document"),
        results.elapsed.as_secs_f64() * 1000.0
    );
    if results.documents.len() < results.matching_documents {
        line.push_str(&format!(
            " (showing {}; see --limit)",
            results.documents.len()
        ));
    }
    line
}

fn write_document(
    out: &mut dyn Write,
    rank: usize,
    document: &DocumentHit,
    cwd: &Path,
    width: usize,
) -> io::Result<()> {
    writeln!(out, "{TITLE}{rank}. {}{TITLE:#}", clean(&document.title))?;
    let date = document.date.as_deref().unwrap_or("undated");
    let mut countries = if document.countries.is_empty() {
        "no countries".to_string()
    } else {
        document.countries.join(" ")
    };
    if !document.issuers.is_empty() {
        countries.push_str(&format!(" · issued by {}", document.issuers.join(" ")));
    }
    let path = display_path(&document.path, cwd);
    for (i, passage) in document.passages.iter().enumerate() {
        if i == 0 {
            write!(out, "{INDENT}{DIM}{date} · {countries} ·{DIM:#} ")?;
        } else {
            write!(out, "{INDENT}")?;
        }
        match passage.page {
            // "report.pdf p. 12 (printed 10), line 4": a page is how a reader finds it.
            Some(page) => {
                let printed = passage
                    .page_label
                    .as_deref()
                    .map_or_else(String::new, |label| format!(" (printed {})", clean(label)));
                writeln!(
                    out,
                    "{PATH}{}{PATH:#} {LINE}p. {page}{printed}{LINE:#}{DIM}, line {}{DIM:#}",
                    clean(&path),
                    passage.line
                )?;
            }
            None => writeln!(
                out,
                "{PATH}{}{PATH:#}:{LINE}{}{LINE:#}",
                clean(&path),
                passage.line
            )?,
        }
        write_snippet(out, passage, width)?;
    }
    let more = document
        .matching_passages
        .saturating_sub(document.passages.len());
    if more > 0 {
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
    rank: usize,
    score: f32,
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
    title: &'a str,
    date: Option<&'a str>,
    date_source: Option<&'a str>,
    countries: &'a [String],
    issuers: &'a [String],
    orgs: &'a [String],
    matching_passages: usize,
}

#[derive(Serialize)]
struct JsonPassage<'a> {
    /// Within the page, for a document with pages.
    line: u64,
    /// Null for documents without pages.
    page: Option<u64>,
    page_label: Option<&'a str>,
    start: u64,
    end: u64,
    text: &'a str,
}

/// The results for a pipeline: one JSON object per line per passage.
pub fn write_json(out: &mut dyn Write, results: &SearchResults, cwd: &Path) -> io::Result<()> {
    for (rank, document) in results.documents.iter().enumerate() {
        for passage in &document.passages {
            let hit = JsonHit {
                rank: rank + 1,
                score: passage.score,
                doc: JsonDoc {
                    path: display_path(&document.path, cwd),
                    title: &document.title,
                    date: document.date.as_deref(),
                    date_source: document.date_source.as_deref(),
                    countries: &document.countries,
                    issuers: &document.issuers,
                    orgs: &document.orgs,
                    matching_passages: document.matching_passages,
                },
                passage: JsonPassage {
                    line: passage.line,
                    page: passage.page,
                    page_label: passage.page_label.as_deref(),
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
        writeln!(
            out,
            "{} ({}) {DIM}{}{more}{DIM:#}",
            tag.code,
            tag.mentions.len(),
            shown.join(", ")
        )?;
    }
    Ok(())
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
    let roots: Vec<String> = stats.roots.iter().map(|r| display_path(r, cwd)).collect();
    writeln!(
        out,
        "last sync:  {} over {}",
        format_time(stats.last_sync),
        roots.join(", ")
    )?;
    if !stats.metadata.is_empty() {
        let files: Vec<String> = stats
            .metadata
            .iter()
            .map(|m| display_path(m, cwd))
            .collect();
        writeln!(out, "metadata:   {}", files.join(", "))?;
    }
    if !stats.name_patterns.is_empty() {
        writeln!(out, "patterns:   {}", stats.name_patterns.join(", "))?;
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
