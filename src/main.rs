//! The `dossier` command: a thin layer over the library.

use std::cell::RefCell;
use std::collections::HashSet;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use anyhow::{bail, Context};
use clap::{Args, Parser, Subcommand, ValueEnum};

use dossier::index::{self, DossierIndex, Root, RootTables, SyncOptions};
use dossier::metadata::{Columns, MetadataSource, NamePattern};
use dossier::search::{self, CountBy, SearchRequest, SortOrder};
use dossier::suggest::{self, FEW_DOCUMENTS};
use dossier::tagging::dates::PartialDate;
use dossier::tagging::gazetteer::{resolve_country, resolve_organisation};
use dossier::{ingest, output};

/// Where the index lives when neither --index nor DOSSIER_INDEX says otherwise.
const DEFAULT_INDEX: &str = "index";
/// What `dossier index` indexes when given no path, and what a first search indexes.
const DEFAULT_SOURCES: &str = "seeds";

/// Full-text search for policy documents: ranked passages, phrases highlighted as
/// phrases, filtered by the documents' own dates and the countries they name.
#[derive(Parser)]
#[command(name = "dossier", version, max_term_width = 100)]
struct Cli {
    /// The index folder [default: index]
    #[arg(long, global = true, env = "DOSSIER_INDEX", value_name = "DIR")]
    index: Option<PathBuf>,

    /// When to colour output; NO_COLOR in the environment also turns colour off
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    color: ColorWhen,

    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Index text, Markdown, HTML, XML, PDF, Word and OpenDocument files, or bring the index up to date with them
    Index(IndexArgs),
    /// Search the index and print the best passages
    Search(SearchArgs),
    /// Show what the index holds: documents, passages, size, dates, countries, last sync
    Stats(StatsArgs),
    /// Show what dossier records for files (title, date, countries) without indexing them
    Tag(TagArgs),
}

#[derive(Args)]
struct TagArgs {
    /// Files to tag
    #[arg(required = true)]
    files: Vec<PathBuf>,

    /// One JSON object per line per file
    #[arg(long)]
    json: bool,

    #[command(flatten)]
    metadata: MetadataArgs,
}

/// A newsroom's metadata file, for `index` and for `tag` alike, so that `tag` shows what
/// `index` would record.
#[derive(Args)]
struct MetadataArgs {
    /// A CSV or JSON Lines file giving documents (by relative path or file stem) a date, title, issuer or countries; it wins over the text (and `index` applies it again at every later sync, to the paths given with it)
    #[arg(long, value_name = "FILE")]
    metadata: Option<PathBuf>,

    /// Which metadata columns to use, as ROLE=COLUMN pairs: key=fileid,date=date,title=...,issuer=...,countries=...
    #[arg(long, value_name = "ROLES", requires = "metadata", value_parser = Columns::parse)]
    metadata_columns: Option<Columns>,

    /// Reads metadata from file names: '{issuer}_{}_{year}' reads AUS_79_2024.txt as issued by Australia in 2024 (fields: {issuer}, {country}, {date}, {year}, {title}, {} to skip); `index` applies it again at every later sync to the paths given with it, to new files too
    #[arg(long, value_name = "PATTERN", value_parser = NamePattern::parse)]
    name_pattern: Option<NamePattern>,
}

impl MetadataArgs {
    fn sources(self) -> (Vec<MetadataSource>, Vec<NamePattern>) {
        let file = self.metadata.map(|path| MetadataSource {
            path,
            columns: self.metadata_columns.unwrap_or_default(),
        });
        (
            file.into_iter().collect(),
            self.name_pattern.into_iter().collect(),
        )
    }
}

#[derive(Args)]
struct IndexArgs {
    /// Files and folders to index; folders are walked for .txt, .md, .html, .htm, .xhtml, .xml, .tei, .pdf, .docx and .odt files [default: every one the index holds, each with its own metadata; seeds for a new index]
    paths: Vec<PathBuf>,

    /// Threads that read, tag and index files [default: all cores]
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,

    /// Throw the existing index away and index the paths from scratch
    #[arg(long)]
    rebuild: bool,

    #[command(flatten)]
    metadata: MetadataArgs,

    /// Commit after about this many megabytes of input: an interrupted run keeps what was committed
    #[arg(long, value_name = "MB", default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..))]
    commit_every: u64,

    /// List what would be added, changed, moved and removed, and change nothing
    #[arg(long)]
    dry_run: bool,

    /// Read the pages of PDFs that hold no text (scans) by OCR, with Tesseract (`sudo apt-get install tesseract-ocr`); about 2 s a page, once: the text is kept
    #[arg(long)]
    ocr: bool,

    /// If another `dossier index` is writing the index, wait for it instead of failing
    #[arg(long)]
    wait: bool,

    /// Print nothing but errors (no progress bar, warnings or summary)
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Args)]
struct StatsArgs {
    /// One JSON object, for scripts
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct SearchArgs {
    /// Words (all must appear), "quoted phrases", "phrase"~N, OR, -exclusion, (groups), prefix*; leave it out to list the documents the filters select, newest first
    #[arg(allow_hyphen_values = true, conflicts_with = "queries")]
    query: Option<String>,

    /// Run every query in FILE (one a line; blank lines and lines starting with # are skipped), with the same filters, into one CSV (or NDJSON with --json) with a column for the query
    #[arg(long, value_name = "FILE")]
    queries: Option<PathBuf>,

    /// Only documents that name this country: a code (JP, JPN) or a name (Japan; a former state too: USSR, Soviet Union); repeat to require several
    #[arg(long, value_name = "COUNTRY")]
    country: Vec<String>,

    /// Only documents that name this organisation: a code (G7, EU, ASEAN) or a full name; repeat to require several
    #[arg(long, value_name = "ORG")]
    org: Vec<String>,

    /// Only documents issued by this country (the parties of a joint statement, not every country it mentions); repeat to require several
    #[arg(long, value_name = "COUNTRY")]
    issuer: Vec<String>,

    /// Only documents dated on or after this: YYYY, YYYY-MM or YYYY-MM-DD. A document dated only to a year or month that straddles the date ("2002" for --since 2002-06-01) is kept and marked "may be before --since"
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    since: Option<PartialDate>,

    /// Only documents dated on or before this: YYYY, YYYY-MM or YYYY-MM-DD. A date that straddles it is kept and marked "may be after --until"
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    until: Option<PartialDate>,

    /// With --since or --until, keep undated documents too (they are left out, and counted on stderr, otherwise)
    #[arg(long)]
    include_undated: bool,

    /// Count every matching document and passage by year, country, issuer or org (repeat or separate with commas), instead of listing passages
    #[arg(long, value_enum, value_name = "BY", value_delimiter = ',')]
    count_by: Vec<CountByArg>,

    /// How many documents to show
    #[arg(long, short = 'n', default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    limit: u32,

    /// How many passages to show for each document
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    per_doc: u32,

    /// Order of the documents [default: relevance; newest when there is no query]. By date, a date known only to its year or month never comes before a day it may follow (oldest) or precede (newest), and results whose order the dates cannot tell are marked
    #[arg(long, value_enum)]
    sort: Option<Sort>,

    /// One JSON object per line per passage, for scripts
    #[arg(long, conflicts_with = "csv")]
    json: bool,

    /// CSV for a spreadsheet: one row per passage with its title, date, countries, locator, text and matched words
    #[arg(long)]
    csv: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Sort {
    Relevance,
    Newest,
    Oldest,
}

#[derive(Clone, Copy, ValueEnum)]
enum CountByArg {
    Year,
    Country,
    Issuer,
    Org,
}

fn parse_date(text: &str) -> Result<PartialDate, String> {
    PartialDate::parse_iso(text)
}

fn main() -> ExitCode {
    dossier::disable_huge_pages();
    let cli = Cli::parse();
    match cli.color {
        ColorWhen::Auto => {}
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
    }
    match run(cli) {
        Ok(code) => code,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("dossier: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// `dossier search ... | head` closes the pipe early; that is not an error.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|cause| cause.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let explicit_index = cli.index.is_some();
    let index_dir = cli.index.unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX));
    match cli.command {
        Command::Index(args) => run_index(&index_dir, args),
        Command::Search(args) => run_search(&index_dir, explicit_index, args),
        Command::Tag(args) => run_tag(&index_dir, args),
        Command::Stats(args) => run_stats(&index_dir, args),
    }
}

fn current_dir() -> PathBuf {
    std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .unwrap_or_default()
}

fn run_index(index_dir: &Path, args: IndexArgs) -> anyhow::Result<ExitCode> {
    let (metadata, name_patterns) = args.metadata.sources();
    let cancel = Arc::new(AtomicBool::new(false));
    let on_interrupt = Arc::clone(&cancel);
    // The first Ctrl-C stops after the files under way, which are committed; a second
    // one stops at once (the index keeps its last commit either way).
    ctrlc::set_handler(move || {
        if on_interrupt.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("\ninterrupted: finishing the files under way (Ctrl-C again to stop at once)");
    })
    .context("failed to set up Ctrl-C handling")?;
    let mut options = SyncOptions {
        metadata,
        name_patterns,
        rebuild: args.rebuild,
        dry_run: args.dry_run,
        wait: args.wait,
        cancel,
        commit_every: args.commit_every * 1_000_000,
        ocr: args.ocr,
        default_roots: vec![PathBuf::from(DEFAULT_SOURCES)],
        ..SyncOptions::new(args.paths)
    };
    if let Some(threads) = args.threads {
        options.threads = threads.into();
    }
    let cwd = current_dir();
    let progress = output::SyncProgress::new(args.quiet, cwd.clone());
    let report = index::sync(index_dir, &options, &progress)?;
    progress.finish();
    if args.dry_run {
        let mut out = results_out();
        output::write_changes(&mut out, &report.changes, &cwd)?;
        out.flush()?;
    }
    if !args.quiet {
        eprintln!("{}", report.summary());
    }
    // Even when quiet: files were left out, and the user can fix that.
    if let Some(missing) = report.missing_engine() {
        eprintln!("warning: {missing}");
    }
    Ok(if report.interrupted {
        ExitCode::from(130)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_stats(index_dir: &Path, args: StatsArgs) -> anyhow::Result<ExitCode> {
    let index = DossierIndex::open(index_dir)?;
    let stats = index::stats(&index)?;
    let mut out = anstream::stdout().lock();
    if args.json {
        output::write_stats_json(&mut out, &stats)?;
    } else {
        output::write_stats(&mut out, &stats, &current_dir())?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn run_search(
    index_dir: &Path,
    explicit_index: bool,
    args: SearchArgs,
) -> anyhow::Result<ExitCode> {
    let countries = resolve_countries(&args.country, "--country")?;
    let issuers = resolve_countries(&args.issuer, "--issuer")?;
    let mut orgs = Vec::new();
    for org in &args.org {
        match resolve_organisation(org) {
            Some(code) => orgs.push(code.to_string()),
            None => bail!("unknown organisation '{org}' for --org; use a code such as G7 or EU, or a full name"),
        }
    }
    let queries = match &args.queries {
        Some(file) => read_queries(file)?,
        None => vec![args.query.clone().unwrap_or_default()],
    };
    let listing = queries.len() == 1 && queries[0].trim().is_empty();
    let mut request = SearchRequest {
        query: String::new(),
        countries,
        orgs,
        issuers,
        since: args.since,
        until: args.until,
        include_undated: args.include_undated,
        limit: args.limit as usize,
        per_doc: args.per_doc as usize,
        sort: match args.sort {
            Some(Sort::Relevance) => SortOrder::Relevance,
            Some(Sort::Newest) => SortOrder::Newest,
            Some(Sort::Oldest) => SortOrder::Oldest,
            None if listing => SortOrder::Newest,
            None => SortOrder::Relevance,
        },
        count_by: args
            .count_by
            .iter()
            .map(|by| match by {
                CountByArg::Year => CountBy::Year,
                CountByArg::Country => CountBy::Country,
                CountByArg::Issuer => CountBy::Issuer,
                CountByArg::Org => CountBy::Org,
            })
            .collect(),
    };

    let sources = Path::new(DEFAULT_SOURCES);
    if !explicit_index && !DossierIndex::exists(index_dir) && sources.is_dir() {
        eprintln!(
            "no index yet in {}/: indexing {}/ first",
            index_dir.display(),
            sources.display()
        );
        let options = SyncOptions {
            // Another first search may be indexing the seeds at this very moment.
            wait: true,
            ..SyncOptions::new(vec![sources.to_path_buf()])
        };
        index::sync(
            index_dir,
            &options,
            &output::SyncProgress::new(false, current_dir()),
        )?;
    }
    let index = DossierIndex::open(index_dir)?;

    let cwd = current_dir();
    let batch = args.queries.is_some();
    // A batch of queries is for a spreadsheet unless JSON is asked for.
    let csv = args.csv || (batch && !args.json);
    let counting = !request.count_by.is_empty();
    let mut out = results_out();
    let mut csv_rows = (csv && !counting).then(|| output::CsvRows::new(batch));
    let mut found_any = false;
    let mut counts_csv_header = true;
    for query in &queries {
        request.query = query.clone();
        let results = search::search(&index, &request)?;
        found_any |= !results.documents.is_empty();
        let named = batch.then_some(query.as_str());
        if let Some(rows) = &mut csv_rows {
            rows.write(&mut out, &results, query, &cwd)?;
        } else if counting && args.json {
            output::write_counts_json(&mut out, &results, named)?;
        } else if counting && csv {
            output::write_counts_csv(&mut out, &results, named, counts_csv_header)?;
            counts_csv_header = false;
        } else if counting {
            if batch {
                writeln!(out, "{query}")?;
            }
            output::write_counts(&mut out, &results)?;
        } else if args.json {
            output::write_json(&mut out, &results, named, &cwd)?;
        } else {
            output::write_human(&mut out, &results, &cwd, terminal_width())?;
        }
        report_left_out(&results, &request, named);
        if !batch && !counting && !listing && results.matching_documents < FEW_DOCUMENTS {
            let tried = suggest::suggest(&index, &request, results.matching_documents)?;
            let lines = if results.documents.is_empty() || tried.suggestion.is_some() {
                output::tried_lines(&tried)
            } else {
                Vec::new()
            };
            if args.json || csv {
                for line in lines {
                    eprintln!("note: {line}");
                }
            } else {
                for line in lines {
                    writeln!(out, "{line}")?;
                }
            }
        }
        if args.json && !counting && !results.documents.is_empty() {
            if let Some(partial) = &results.partial {
                eprintln!("note: no passage holds all {} parts of the query; showing passages that hold some of them, best first", partial.clauses);
            }
        }
    }
    out.flush()?;
    // The process ends here. Unmapping the index's files one by one, as dropping the
    // handle does, costs more than the kernel's teardown of the whole process at exit.
    std::mem::forget(index);
    Ok(if found_any {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Says on stderr how many matching documents the date filters left out for having no
/// date: a reporter must know that a filter hid something.
fn report_left_out(results: &search::SearchResults, request: &SearchRequest, query: Option<&str>) {
    let left_out = results.undated_left_out;
    if left_out == 0 {
        return;
    }
    let flags = match (request.since.is_some(), request.until.is_some()) {
        (true, true) => "--since and --until",
        (true, false) => "--since",
        _ => "--until",
    };
    let (documents, have) = if left_out == 1 {
        ("document has", "it")
    } else {
        ("documents have", "them")
    };
    let prefix = query.map(|q| format!("{q}: ")).unwrap_or_default();
    eprintln!(
        "note: {prefix}{left_out} matching {documents} no date and {flags} left {have} out; --include-undated keeps {have}"
    );
}

/// The queries of a `--queries` file, every one checked before any is run: a malformed
/// one is refused with its line and column.
fn read_queries(file: &Path) -> anyhow::Result<Vec<String>> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("failed to read {}", file.display()))?;
    let mut queries = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let query = line.trim();
        if query.is_empty() || query.starts_with('#') {
            continue;
        }
        if let Err(error) = dossier::query::parse(query) {
            bail!("{}:{}: {error}", file.display(), number + 1);
        }
        queries.push(query.to_string());
    }
    if queries.is_empty() {
        bail!("{} holds no queries", file.display());
    }
    Ok(queries)
}

fn run_tag(index_dir: &Path, args: TagArgs) -> anyhow::Result<ExitCode> {
    let (sources, patterns) = args.metadata.sources();
    // Each file is tagged as `dossier index FILE` with the same flags would record it:
    // with the metadata the index remembers for the folders holding it, and the flags'.
    let remembered = DossierIndex::remembered_roots(index_dir);
    let warned = RefCell::new(HashSet::new());
    let warn = |path: &Path, message: &str| {
        if warned
            .borrow_mut()
            .insert((path.to_path_buf(), message.to_string()))
        {
            eprintln!("warning: {}: {message}", path.display());
        }
    };
    let mut out = anstream::stdout().lock();
    for path in &args.files {
        let file = ingest::FileEntry::new(path)
            .with_context(|| format!("failed to read {}", path.display()))?;
        let contents = ingest::read(&file)
            .map_err(|reason| anyhow::anyhow!("cannot tag {}: {reason}", path.display()))?;
        let mut roots = remembered.clone();
        let mut given = Root::new(file.path.clone());
        given.give(&sources, &patterns);
        roots.push(given);
        let metadata = RootTables::load(&roots, std::slice::from_ref(&file.path), &warn)?;
        let record = metadata.get(&file.path, &warn);
        let document = ingest::prepare(file, contents, record.as_ref(), None, false)
            .map_err(|reason| anyhow::anyhow!("cannot tag {}: {reason}", path.display()))?;
        let shown = path.to_string_lossy();
        if args.json {
            output::write_tags_json(&mut out, &shown, &document)?;
        } else {
            output::write_tags(&mut out, &shown, &document)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn resolve_countries(inputs: &[String], flag: &str) -> anyhow::Result<Vec<String>> {
    let mut codes = Vec::new();
    for input in inputs {
        match resolve_country(input) {
            Some(code) => codes.push(code.to_string()),
            None => bail!("unknown country '{input}' for {flag}; use a code such as JP or a name such as Japan"),
        }
    }
    Ok(codes)
}

/// Standard output for results computed in full before they are printed: colour stripped
/// unless it is kept, and written in a few large writes, not one per line (a pipe's reader
/// would wake for each).
fn results_out() -> anstream::AutoStream<Box<dyn Write>> {
    let choice = anstream::AutoStream::choice(&io::stdout());
    let buffered = io::BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    anstream::AutoStream::new(Box::new(buffered), choice)
}

/// The terminal's width when stdout is one; a fixed width for pipes and files.
fn terminal_width() -> usize {
    const PIPE_WIDTH: usize = 100;
    if !io::stdout().is_terminal() {
        return PIPE_WIDTH;
    }
    terminal_size::terminal_size().map_or(PIPE_WIDTH, |(w, _)| (w.0 as usize).min(120))
}
