//! The `dossier` command: a thin layer over the library.

use std::cell::RefCell;
use std::collections::HashSet;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context};
use clap::{CommandFactory, Parser};

use dossier::index::{self, DossierIndex, Root, SyncOptions};
use dossier::search::{self, CountBy, SearchRequest, SortOrder};
use dossier::suggest::{self, FEW_DOCUMENTS};
use dossier::tagging::gazetteer::{resolve_country, resolve_organisation};
use dossier::watch::Watch;
use dossier::watchlist::{self, SavedSearch, Watchlist};
use dossier::{ingest, output, serve};

use cli::{
    Cli, ColorWhen, Command, CompletionsArgs, CountByArg, Filters, IndexArgs, IndexDir, ManArgs,
    SearchArgs, ServeArgs, Sort, StatsArgs, TagArgs, WatchArgs, WatchlistAddArgs, WatchlistCommand,
    WatchlistNewArgs,
};

mod cli;

/// Where the index lives when neither --index nor DOSSIER_INDEX says otherwise.
const DEFAULT_INDEX: &str = "index";
/// What `dossier index` indexes when given no path, and what a first search indexes.
const DEFAULT_SOURCES: &str = "seeds";

fn main() -> ExitCode {
    dossier::disable_huge_pages();
    let cli = Cli::parse();
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
    match cli.command {
        Command::Index(args) => run_index(args),
        Command::Search(args) => run_search(args),
        Command::Tag(args) => run_tag(args),
        Command::Stats(args) => run_stats(args),
        Command::Serve(args) => run_serve(args),
        Command::Watchlist(command) => run_watchlist(command),
        Command::Watch(args) => run_watch(args),
        Command::Completions(args) => run_completions(args),
        Command::Man(args) => run_man(args),
    }
}

impl IndexDir {
    fn or_default(&self) -> PathBuf {
        self.dir
            .clone()
            .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX))
    }
}

fn run_completions(args: CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut out = io::stdout().lock();
    clap_complete::generate(args.shell, &mut Cli::command(), "dossier", &mut out);
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// dossier(1), or with a command's name its own page, dossier-search(1), as clap_mangen
/// names them.
fn run_man(args: ManArgs) -> anyhow::Result<ExitCode> {
    let mut dossier = Cli::command();
    dossier.build();
    let page = match &args.command {
        None => dossier,
        Some(name) => match dossier.find_subcommand(name) {
            Some(command) => command.clone().display_name(format!("dossier-{name}")),
            None => bail!(
                "no command '{name}' for `dossier man`; the commands are {}",
                dossier
                    .get_subcommands()
                    .map(|c| c.get_name())
                    .filter(|c| *c != "help")
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        },
    };
    let mut out = io::stdout().lock();
    clap_mangen::Man::new(page).render(&mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn current_dir() -> PathBuf {
    std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .unwrap_or_default()
}

fn run_index(args: IndexArgs) -> anyhow::Result<ExitCode> {
    let index_dir = &args.index.or_default();
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

fn run_stats(args: StatsArgs) -> anyhow::Result<ExitCode> {
    let index = DossierIndex::open(&args.index.or_default())?;
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

fn run_search(args: SearchArgs) -> anyhow::Result<ExitCode> {
    match args.color {
        ColorWhen::Auto => {}
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
    }
    let explicit_index = args.index.dir.is_some();
    let index_dir = &args.index.or_default();
    let Codes {
        countries,
        orgs,
        issuers,
    } = Codes::of(&args.filters)?;
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
        since: args.filters.since,
        until: args.filters.until,
        include_undated: args.filters.include_undated,
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
        ..SearchRequest::new("")
    };

    index_seeds_first(index_dir, explicit_index)?;
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
        // A query whose words no passage holds together (shown by its partial matches)
        // found nothing as asked: a misspelt word is as likely there.
        let found = if results.partial.is_some() {
            0
        } else {
            results.matching_documents
        };
        if !batch && !counting && !listing && found < FEW_DOCUMENTS {
            let tried = suggest::suggest(&index, &request, found)?;
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

fn run_tag(args: TagArgs) -> anyhow::Result<ExitCode> {
    let index_dir = &args.index.or_default();
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
        let mut roots = remembered.clone();
        let mut given = Root::new(std::fs::canonicalize(path).unwrap_or_else(|_| path.clone()));
        given.give(&sources, &patterns);
        roots.push(given);
        let document = ingest::tag_file(path, &roots, None, &warn).map_err(anyhow::Error::msg)?;
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

/// On a fresh clone, the first search (or `serve`) indexes the seeds into the default
/// index, so that the README's first command works with nothing built by hand.
fn index_seeds_first(index_dir: &Path, explicit_index: bool) -> anyhow::Result<()> {
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
    Ok(())
}

fn run_serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let address = std::net::SocketAddr::new(args.bind, args.port);
    serve::check_address(&address, args.allow_remote)?;
    let index_dir = args.index.or_default();
    index_seeds_first(&index_dir, args.index.dir.is_some())?;
    if !address.ip().is_loopback() {
        eprintln!(
            "warning: serving on {}: anyone who can reach this machine can read every indexed document",
            address.ip()
        );
    }
    let options = serve::ServeOptions {
        index_dir,
        address,
        allow_remote: args.allow_remote,
    };
    serve::run(options, |address| {
        let url = serve::url(address);
        // The address on stdout (a script may read it), how to stop on stderr.
        println!("{url}");
        let _ = io::stdout().flush();
        eprintln!("dossier is serving the index at {url} (Ctrl-C to stop)");
        if args.open {
            open_in_browser(&url);
        }
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Best effort: the address is printed either way.
fn open_in_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(error) = std::process::Command::new(opener)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("warning: could not open a browser ({opener}: {error}); open {url} yourself");
    }
}

fn run_watch(args: WatchArgs) -> anyhow::Result<ExitCode> {
    let index_dir = &args.index.or_default();
    // What a sync with these paths walks: the paths, else the folders the index holds,
    // else the seeds.
    let remembered: Vec<PathBuf> = DossierIndex::remembered_roots(index_dir)
        .into_iter()
        .map(|root| root.path)
        .filter(|path| path.exists())
        .collect();
    let watched = if !args.paths.is_empty() {
        args.paths.clone()
    } else if !remembered.is_empty() {
        remembered
    } else {
        vec![PathBuf::from(DEFAULT_SOURCES)]
    };
    for path in &watched {
        if !path.exists() {
            bail!("cannot watch {}: no such file or folder", path.display());
        }
    }
    let watch = Watch::new(index_dir, &watched)?;
    let cancel = Arc::new(AtomicBool::new(false));
    let on_interrupt = Arc::clone(&cancel);
    let stopper = watch.stopper();
    // Ctrl-C stops the watch, or a sync under way after its files under way, which are
    // committed; a second one stops at once (the index keeps its last commit either way).
    ctrlc::set_handler(move || {
        if on_interrupt.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        stopper.stop();
    })
    .context("failed to set up Ctrl-C handling")?;
    let options = SyncOptions {
        cancel,
        // Another `dossier index` may hold the index for a while: the changes wait.
        wait: true,
        default_roots: vec![PathBuf::from(DEFAULT_SOURCES)],
        ..SyncOptions::new(args.paths)
    };
    let cwd = current_dir();
    let progress = output::SyncProgress::new(args.quiet, cwd);
    let mut interrupted = false;
    watch.run(
        &options,
        Duration::from_secs_f64(args.settle),
        &progress,
        &mut |report| {
            progress.finish();
            if !args.quiet {
                eprintln!("{}", report.summary());
            }
            if let Some(missing) = report.missing_engine() {
                eprintln!("warning: {missing}");
            }
            interrupted |= report.interrupted;
        },
    )?;
    if !args.quiet {
        eprintln!("stopped watching");
    }
    Ok(if interrupted {
        ExitCode::from(130)
    } else {
        ExitCode::SUCCESS
    })
}

fn run_watchlist(command: WatchlistCommand) -> anyhow::Result<ExitCode> {
    match command {
        WatchlistCommand::Add(args) => run_watchlist_add(args),
        WatchlistCommand::List(args) => {
            let index = DossierIndex::open(&args.index.or_default())?;
            let watchlist = Watchlist::load(index.dir())?;
            let mut out = results_out();
            for search in &watchlist.searches {
                let unseen = watchlist::new_matches(&index, search, search.seen)?;
                if args.json {
                    let line = serde_json::json!({
                        "name": search.name,
                        "search": search.describe(),
                        "new_passages": unseen.matching_passages,
                        "new_documents": unseen.matching_documents,
                    });
                    writeln!(out, "{line}")?;
                } else {
                    writeln!(
                        out,
                        "{}: {} ({} new)",
                        search.name,
                        search.describe(),
                        unseen.matching_passages
                    )?;
                }
            }
            if watchlist.searches.is_empty() && !args.json {
                eprintln!("no saved searches; add one with `dossier watchlist add NAME QUERY`");
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        WatchlistCommand::Remove(args) => {
            let index = DossierIndex::open(&args.index.or_default())?;
            let mut watchlist = Watchlist::load(index.dir())?;
            let removed = watchlist.remove(&args.name)?;
            watchlist.save(index.dir())?;
            eprintln!("removed {}: {}", removed.name, removed.describe());
            Ok(ExitCode::SUCCESS)
        }
        WatchlistCommand::New(args) => run_watchlist_new(args),
    }
}

fn run_watchlist_add(args: WatchlistAddArgs) -> anyhow::Result<ExitCode> {
    let index = DossierIndex::open(&args.index.or_default())?;
    let mut watchlist = Watchlist::load(index.dir())?;
    let Codes {
        countries,
        orgs,
        issuers,
    } = Codes::of(&args.filters)?;
    let search = SavedSearch {
        name: args.name,
        query: args.query.unwrap_or_default(),
        countries,
        orgs,
        issuers,
        since: args.filters.since.map(|d| d.to_string()),
        until: args.filters.until.map(|d| d.to_string()),
        include_undated: args.filters.include_undated,
        saved_at: 0,
        seen: 0,
    };
    watchlist.add(&index, search)?;
    watchlist.save(index.dir())?;
    let added = watchlist.searches.last().expect("just added");
    eprintln!(
        "saved {}: {}; `dossier index` will say when it has new matches",
        added.name,
        added.describe()
    );
    Ok(ExitCode::SUCCESS)
}

fn run_watchlist_new(args: WatchlistNewArgs) -> anyhow::Result<ExitCode> {
    match args.color {
        ColorWhen::Auto => {}
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
    }
    let index = DossierIndex::open(&args.index.or_default())?;
    let mut watchlist = Watchlist::load(index.dir())?;
    let names: Vec<String> = match &args.name {
        Some(name) => vec![watchlist.get(name)?.name.clone()],
        None => watchlist.searches.iter().map(|s| s.name.clone()).collect(),
    };
    // Stamps are the seconds of each sync's start: a passage that entered the index on
    // the day or later has a stamp at or after its first second.
    let history = args.since.map(|date| {
        let midnight = date
            .first_day()
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists");
        (midnight.and_utc().timestamp().max(0) as u64).saturating_sub(1)
    });
    // Read before searching: a sync that commits meanwhile is listed next time, not lost.
    let settled = index.state().settled;
    let cwd = current_dir();
    let mut out = results_out();
    let mut csv_rows = args.csv.then(|| output::CsvRows::new(true));
    for (n, name) in names.iter().enumerate() {
        let search = watchlist.get(name)?;
        let results = watchlist::new_matches(&index, search, history.unwrap_or(search.seen))?;
        if let Some(rows) = &mut csv_rows {
            rows.write(&mut out, &results, name, &cwd)?;
        } else if args.json {
            output::write_json(&mut out, &results, Some(name), &cwd)?;
        } else {
            if n > 0 {
                writeln!(out)?;
            }
            let found = watchlist::NewMatches {
                name: name.clone(),
                passages: results.matching_passages,
                documents: results.matching_documents,
            };
            if found.passages == 0 {
                writeln!(out, "{name}: nothing new ({})", search.describe())?;
            } else {
                writeln!(out, "{} ({})\n", found.line(), search.describe())?;
                output::write_human(&mut out, &results, &cwd, terminal_width())?;
            }
        }
    }
    if watchlist.searches.is_empty() {
        eprintln!("no saved searches; add one with `dossier watchlist add NAME QUERY`");
    }
    out.flush()?;
    if args.mark_seen {
        for search in &mut watchlist.searches {
            if names.contains(&search.name) {
                search.seen = search.seen.max(settled);
            }
        }
        watchlist.save(index.dir())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The codes the filters name, each country or organisation given by code or name.
struct Codes {
    countries: Vec<String>,
    orgs: Vec<String>,
    issuers: Vec<String>,
}

impl Codes {
    fn of(filters: &Filters) -> anyhow::Result<Codes> {
        let mut orgs = Vec::new();
        for org in &filters.org {
            match resolve_organisation(org) {
                Some(code) => orgs.push(code.to_string()),
                None => bail!("unknown organisation '{org}' for --org; use a code such as G7 or EU, or a full name"),
            }
        }
        Ok(Codes {
            countries: resolve_countries(&filters.country, "--country")?,
            orgs,
            issuers: resolve_countries(&filters.issuer, "--issuer")?,
        })
    }
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
