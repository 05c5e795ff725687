//! The command line: every subcommand and flag, from which `--help`, the shell completions
//! and the man page are all generated.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use dossier::metadata::{Columns, MetadataSource, NamePattern};
use dossier::tagging::dates::PartialDate;

/// Full-text search for policy documents: ranked passages, phrases highlighted as
/// phrases, filtered by the documents' own dates and the countries they name.
#[derive(Parser)]
#[command(name = "dossier", version, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The index folder, for the commands that read or write one (`tag` reads the metadata
/// it remembers).
#[derive(Args)]
pub struct IndexDir {
    /// The index folder [default: index]
    #[arg(long = "index", env = "DOSSIER_INDEX", value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
pub enum Command {
    /// Index text, Markdown, HTML, XML, PDF, Word and OpenDocument files, or bring the index up to date with them
    Index(IndexArgs),
    /// Search the index and print the best passages
    Search(SearchArgs),
    /// Show what the index holds: documents, passages, size, dates, countries, last sync
    Stats(StatsArgs),
    /// Serve a search page and a JSON API over the index, on this computer only unless asked
    Serve(ServeArgs),
    /// Show what dossier records for files (title, date, countries) without indexing them
    Tag(TagArgs),
    /// Keep the index in sync with folders as files appear, change or go, saying what is new for each saved search
    Watch(WatchArgs),
    /// Saved searches: say after each `dossier index` what is new for each, and list it
    #[command(subcommand)]
    Watchlist(WatchlistCommand),
    /// Print a completion script for a shell, e.g. `dossier completions bash > /etc/bash_completion.d/dossier`
    Completions(CompletionsArgs),
    /// Print the man page as roff, e.g. `dossier man > ~/.local/share/man/man1/dossier.1`
    Man(ManArgs),
}

#[derive(Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    pub shell: clap_complete::Shell,
}

#[derive(Args)]
pub struct ManArgs {
    /// Print the page of this command (dossier-search(1), ...) instead of dossier(1)
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

#[derive(Args)]
pub struct TagArgs {
    /// Files to tag
    #[arg(required = true)]
    pub files: Vec<PathBuf>,

    /// The index whose remembered metadata files and name patterns apply to the files' folders
    #[command(flatten)]
    pub index: IndexDir,

    /// One JSON object per line per file
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub metadata: MetadataArgs,
}

/// A newsroom's metadata file, for `index` and for `tag` alike, so that `tag` shows what
/// `index` would record.
#[derive(Args)]
pub struct MetadataArgs {
    /// A CSV or JSON Lines file giving documents (by relative path or file stem) a date, title, issuer or countries; it wins over the text (and `index` applies it again at every later sync, to the paths given with it)
    #[arg(long, value_name = "FILE")]
    pub metadata: Option<PathBuf>,

    /// Which metadata columns to use, as ROLE=COLUMN pairs: key=fileid,date=date,title=...,issuer=...,countries=...
    #[arg(long, value_name = "ROLES", requires = "metadata", value_parser = Columns::parse)]
    pub metadata_columns: Option<Columns>,

    /// Reads metadata from file names: '{issuer}_{}_{year}' reads AUS_79_2024.txt as issued by Australia in 2024 (fields: {issuer}, {country}, {date}, {year}, {title}, {} to skip); `index` applies it again at every later sync to the paths given with it, to new files too
    #[arg(long, value_name = "PATTERN", value_parser = NamePattern::parse)]
    pub name_pattern: Option<NamePattern>,
}

impl MetadataArgs {
    pub fn sources(self) -> (Vec<MetadataSource>, Vec<NamePattern>) {
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
pub struct IndexArgs {
    /// Files and folders to index; folders are walked for .txt, .md, .html, .htm, .xhtml, .xml, .tei, .pdf, .docx and .odt files, and a file named here is read whatever its extension [default: every folder the index holds, each with its own metadata; seeds for a new index]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub index: IndexDir,

    /// Threads that read, tag and index files [default: all cores]
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,

    /// Throw the existing index away and index the paths from scratch (with no paths, every folder the index holds); each folder keeps its metadata files and name patterns
    #[arg(long)]
    pub rebuild: bool,

    /// Read the pages of PDFs that hold no text (scans) by OCR, with Tesseract (`sudo apt-get install tesseract-ocr`); about 2 s a page, once: the text is kept
    #[arg(long)]
    pub ocr: bool,

    #[command(flatten)]
    pub metadata: MetadataArgs,

    /// Commit after about this many megabytes of input: an interrupted run keeps what was committed
    #[arg(long, value_name = "MB", default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..))]
    pub commit_every: u64,

    /// List what would be added, changed, moved and removed, and change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// If another `dossier index` is writing the index, wait for it instead of failing
    #[arg(long)]
    pub wait: bool,

    /// Print nothing but errors (no progress bar, warnings or summary) and the new matches of saved searches
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub index: IndexDir,

    /// The address to listen on; any but loopback (127.0.0.1, ::1) needs --allow-remote
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,

    /// The port to listen on; 0 picks a free one
    #[arg(long, value_name = "N", default_value_t = 8080)]
    pub port: u16,

    /// Open the page in the default browser once the server is listening
    #[arg(long)]
    pub open: bool,

    /// Allow --bind on an address other machines can reach: every indexed document becomes readable by anyone on that network
    #[arg(long)]
    pub allow_remote: bool,
}

#[derive(Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub index: IndexDir,

    /// One JSON object, for scripts
    #[arg(long)]
    pub json: bool,
}

/// Which documents a search keeps: `search` and `watchlist add` take the same.
#[derive(Args)]
pub struct Filters {
    /// Only documents that name this country: a code (JP, JPN) or a name (Japan; a former state too: USSR, Soviet Union); repeat to require several
    #[arg(long, value_name = "COUNTRY")]
    pub country: Vec<String>,

    /// Only documents that name this organisation: a code (G7, EU, ASEAN) or a full name; repeat to require several
    #[arg(long, value_name = "ORG")]
    pub org: Vec<String>,

    /// Only documents issued by this country (the parties of a joint statement, not every country it mentions); repeat to require several
    #[arg(long, value_name = "COUNTRY")]
    pub issuer: Vec<String>,

    /// Only documents dated on or after this: YYYY, YYYY-MM or YYYY-MM-DD. A document dated only to a year or month that straddles the date ("2002" for --since 2002-06-01) is kept and marked "may be before --since"
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<PartialDate>,

    /// Only documents dated on or before this: YYYY, YYYY-MM or YYYY-MM-DD. A date that straddles it is kept and marked "may be after --until"
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub until: Option<PartialDate>,

    /// With --since or --until, keep undated documents too (they are left out, and counted on stderr, otherwise)
    #[arg(long)]
    pub include_undated: bool,
}

#[derive(Args)]
pub struct SearchArgs {
    /// Words (all must appear), "quoted phrases", "phrase"~N, OR, -exclusion, (groups), prefix*; leave it out to list the documents the filters select, newest first
    #[arg(allow_hyphen_values = true, conflicts_with = "queries")]
    pub query: Option<String>,

    /// Run every query in FILE (one a line; blank lines and lines starting with # are skipped), with the same filters, into one CSV (or NDJSON with --json) with a column for the query
    #[arg(long, value_name = "FILE")]
    pub queries: Option<PathBuf>,

    #[command(flatten)]
    pub filters: Filters,

    /// Count every matching document and passage by year, country, issuer or org (repeat or separate with commas), instead of listing passages
    #[arg(long, value_enum, value_name = "BY", value_delimiter = ',')]
    pub count_by: Vec<CountByArg>,

    /// How many documents to show
    #[arg(long, short = 'n', default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,

    /// How many passages to show for each document
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub per_doc: u32,

    /// Order of the documents [default: relevance; newest when there is no query]. By date, a date known only to its year or month never comes before a day it may follow (oldest) or precede (newest), and results whose order the dates cannot tell are marked
    #[arg(long, value_enum)]
    pub sort: Option<Sort>,

    /// One JSON object per line per passage, for scripts
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,

    /// CSV for a spreadsheet: one row per passage with its title, date, countries, locator, text and matched words
    #[arg(long)]
    pub csv: bool,

    /// When to colour matches; NO_COLOR in the environment also turns colour off
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    #[command(flatten)]
    pub index: IndexDir,
}

#[derive(Args)]
pub struct WatchArgs {
    /// Files and folders to watch and index [default: every folder the index holds; seeds for a new index]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub index: IndexDir,

    /// Seconds without changes, and with the changed files' sizes and times standing still, before a batch is indexed: raise it for slow copies
    #[arg(long, value_name = "SECONDS", default_value_t = 2.0, value_parser = parse_seconds)]
    pub settle: f64,

    /// Print nothing but errors and the new matches of saved searches
    #[arg(long, short)]
    pub quiet: bool,
}

fn parse_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(seconds) if (0.0..=3600.0).contains(&seconds) => Ok(seconds),
        _ => Err(format!(
            "'{text}' is not a number of seconds from 0 to 3600"
        )),
    }
}

#[derive(Subcommand)]
pub enum WatchlistCommand {
    /// Save a search under a name; from now on, every `dossier index` that brings it new matches says so
    Add(WatchlistAddArgs),
    /// List the saved searches, with how many new passages each has that are not marked seen
    List(WatchlistListArgs),
    /// Forget a saved search
    Remove(WatchlistRemoveArgs),
    /// List the new passages of each saved search (or of one), grouped by search, since they were last marked seen
    New(WatchlistNewArgs),
}

#[derive(Args)]
pub struct WatchlistAddArgs {
    /// The name: letters, digits, '-' and '_', e.g. strategic-reserve
    pub name: String,

    /// What to search for, as `dossier search` takes it; leave it out to follow every new passage of the documents the filters select
    #[arg(allow_hyphen_values = true)]
    pub query: Option<String>,

    #[command(flatten)]
    pub filters: Filters,

    #[command(flatten)]
    pub index: IndexDir,
}

#[derive(Args)]
pub struct WatchlistListArgs {
    /// One JSON object per line per saved search, for scripts
    #[arg(long)]
    pub json: bool,

    #[command(flatten)]
    pub index: IndexDir,
}

#[derive(Args)]
pub struct WatchlistRemoveArgs {
    /// The saved search to forget
    pub name: String,

    #[command(flatten)]
    pub index: IndexDir,
}

#[derive(Args)]
pub struct WatchlistNewArgs {
    /// Only this saved search [default: every one]
    pub name: Option<String>,

    /// Passages that entered the index on or after this day (YYYY, YYYY-MM or YYYY-MM-DD, UTC), seen or not: the history
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub since: Option<PartialDate>,

    /// Then mark everything the index holds as seen, so that the next listing starts after it
    #[arg(long)]
    pub mark_seen: bool,

    /// One JSON object per line per passage, with the saved search's name as "query", for a bot to post
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,

    /// CSV for a spreadsheet, with the saved search's name in the first column
    #[arg(long)]
    pub csv: bool,

    /// When to colour matches; NO_COLOR in the environment also turns colour off
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    #[command(flatten)]
    pub index: IndexDir,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Sort {
    Relevance,
    Newest,
    Oldest,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum CountByArg {
    Year,
    Country,
    Issuer,
    Org,
}

fn parse_date(text: &str) -> Result<PartialDate, String> {
    PartialDate::parse_iso(text)
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// Every argument of every command, and the test that checks it does what its help
    /// says. A flag added without a line here fails `every_flag_is_checked_by_a_test`.
    const CHECKED_BY: &[(&str, &str, &str)] = &[
        ("index", "PATHS", "a_sync_adds_changes_and_removes"),
        (
            "index",
            "--index",
            "index_and_stats_use_the_index_folder_given",
        ),
        (
            "index",
            "--threads",
            "killed_at_random_moments_the_index_stays_whole_and_converges",
        ),
        (
            "index",
            "--rebuild",
            "a_rebuild_starts_afresh_and_keeps_each_folders_metadata",
        ),
        (
            "index",
            "--metadata",
            "metadata_files_win_and_are_applied_at_every_sync",
        ),
        (
            "index",
            "--metadata-columns",
            "metadata_columns_can_be_named",
        ),
        (
            "index",
            "--name-pattern",
            "a_name_pattern_reads_issuer_and_year_from_file_names_at_every_sync",
        ),
        (
            "index",
            "--commit-every",
            "searches_during_a_sync_answer_from_the_last_commit",
        ),
        (
            "index",
            "--dry-run",
            "a_dry_run_lists_changes_and_writes_nothing",
        ),
        (
            "index",
            "--ocr",
            "with_ocr_a_scanned_page_is_read_once_and_found",
        ),
        (
            "index",
            "--wait",
            "an_index_being_written_is_reported_plainly",
        ),
        (
            "index",
            "--quiet",
            "quiet_indexing_prints_nothing_but_errors",
        ),
        (
            "search",
            "QUERY",
            "a_phrase_finds_exactly_the_passages_holding_it",
        ),
        (
            "search",
            "--queries",
            "a_list_of_queries_gives_one_csv_with_a_query_column",
        ),
        ("search", "--country", "country_filter_by_code_or_name"),
        ("search", "--org", "organisation_and_issuer_filters"),
        ("search", "--issuer", "organisation_and_issuer_filters"),
        (
            "search",
            "--since",
            "date_filters_keep_dated_documents_in_range",
        ),
        (
            "search",
            "--until",
            "date_filters_keep_dated_documents_in_range",
        ),
        (
            "search",
            "--include-undated",
            "date_filters_say_how_many_undated_documents_they_left_out",
        ),
        (
            "search",
            "--count-by",
            "counts_cover_every_match_not_only_those_shown",
        ),
        (
            "search",
            "--limit",
            "json_hits_carry_documents_passages_and_highlights",
        ),
        (
            "search",
            "--per-doc",
            "a_phrase_finds_exactly_the_passages_holding_it",
        ),
        (
            "search",
            "--sort",
            "sort_by_date_puts_undated_documents_last",
        ),
        (
            "search",
            "--json",
            "json_hits_carry_documents_passages_and_highlights",
        ),
        (
            "search",
            "--csv",
            "csv_rows_are_quoted_and_safe_in_a_spreadsheet",
        ),
        (
            "search",
            "--color",
            "colour_only_when_asked_or_on_a_terminal",
        ),
        (
            "search",
            "--index",
            "a_missing_index_names_the_command_that_builds_it",
        ),
        (
            "stats",
            "--index",
            "index_and_stats_use_the_index_folder_given",
        ),
        ("stats", "--json", "stats_describe_the_index"),
        ("serve", "--index", "serve_prints_the_address_it_listens_on"),
        ("serve", "--port", "serve_prints_the_address_it_listens_on"),
        (
            "serve",
            "--bind",
            "another_loopback_address_answers_to_its_own_name",
        ),
        (
            "serve",
            "--allow-remote",
            "serving_beyond_this_machine_must_be_asked_for",
        ),
        ("serve", "--open", "open_starts_the_browser_at_the_address"),
        ("tag", "FILES", "tag_shows_what_would_be_recorded"),
        ("tag", "--index", "metadata_columns_can_be_named"),
        ("tag", "--json", "tag_json_gives_evidence_issuers_and_orgs"),
        (
            "tag",
            "--metadata",
            "tag_applies_a_metadata_file_as_index_would",
        ),
        (
            "tag",
            "--metadata-columns",
            "tag_applies_a_metadata_file_as_index_would",
        ),
        (
            "tag",
            "--name-pattern",
            "a_name_pattern_reads_issuer_and_year_from_file_names_at_every_sync",
        ),
        (
            "watch",
            "PATHS",
            "watching_a_folder_indexes_a_burst_in_one_sync_and_stops_on_ctrl_c",
        ),
        (
            "watch",
            "--index",
            "watching_a_folder_indexes_a_burst_in_one_sync_and_stops_on_ctrl_c",
        ),
        (
            "watch",
            "--settle",
            "a_file_still_being_written_is_indexed_once_whole",
        ),
        (
            "watch",
            "--quiet",
            "a_file_still_being_written_is_indexed_once_whole",
        ),
        (
            "watchlist add",
            "NAME",
            "saved_searches_are_added_listed_and_removed",
        ),
        (
            "watchlist add",
            "QUERY",
            "a_query_that_does_not_parse_is_refused_with_its_column",
        ),
        (
            "watchlist add",
            "--country",
            "a_saved_search_keeps_its_filters",
        ),
        ("watchlist add", "--org", "a_saved_search_keeps_its_filters"),
        (
            "watchlist add",
            "--issuer",
            "a_saved_search_keeps_its_filters",
        ),
        (
            "watchlist add",
            "--since",
            "a_saved_search_keeps_its_filters",
        ),
        (
            "watchlist add",
            "--until",
            "a_saved_search_keeps_its_filters",
        ),
        (
            "watchlist add",
            "--include-undated",
            "a_saved_search_keeps_its_filters",
        ),
        (
            "watchlist add",
            "--index",
            "saved_searches_are_added_listed_and_removed",
        ),
        (
            "watchlist list",
            "--json",
            "saved_searches_are_added_listed_and_removed",
        ),
        (
            "watchlist list",
            "--index",
            "saved_searches_are_added_listed_and_removed",
        ),
        (
            "watchlist remove",
            "NAME",
            "saved_searches_are_added_listed_and_removed",
        ),
        (
            "watchlist remove",
            "--index",
            "saved_searches_are_added_listed_and_removed",
        ),
        (
            "watchlist new",
            "NAME",
            "new_matches_are_listed_until_marked_seen",
        ),
        (
            "watchlist new",
            "--since",
            "the_history_lists_new_matches_seen_or_not",
        ),
        (
            "watchlist new",
            "--mark-seen",
            "new_matches_are_listed_until_marked_seen",
        ),
        (
            "watchlist new",
            "--json",
            "new_matches_are_listed_until_marked_seen",
        ),
        (
            "watchlist new",
            "--csv",
            "new_matches_as_csv_carry_the_search_name",
        ),
        (
            "watchlist new",
            "--color",
            "new_matches_are_listed_as_search_lists_them",
        ),
        (
            "watchlist new",
            "--index",
            "new_matches_are_listed_until_marked_seen",
        ),
        (
            "completions",
            "SHELL",
            "completions_offer_every_flag_of_search",
        ),
        (
            "man",
            "COMMAND",
            "the_man_pages_name_every_command_and_flag",
        ),
    ];

    /// The test files the names above are looked for in.
    const TESTS: [&str; 5] = [
        include_str!("../tests/cli.rs"),
        include_str!("../tests/batch.rs"),
        include_str!("../tests/documents.rs"),
        include_str!("../tests/serve.rs"),
        include_str!("../tests/watchlist.rs"),
    ];

    /// How an argument is written on the command line: `--flag`, or a positional's name.
    fn written(arg: &clap::Arg) -> String {
        match arg.get_long() {
            Some(long) => format!("--{long}"),
            None => arg.get_id().as_str().to_uppercase(),
        }
    }

    #[test]
    fn every_flag_is_checked_by_a_test() {
        let mut command = Cli::command();
        command.build();
        let mut offered = Vec::new();
        for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
            // A command with commands of its own (`watchlist add`) is named with each.
            let mut commands: Vec<(String, &clap::Command)> = sub
                .get_subcommands()
                .filter(|s| s.get_name() != "help")
                .map(|nested| (format!("{} {}", sub.get_name(), nested.get_name()), nested))
                .collect();
            if commands.is_empty() {
                commands.push((sub.get_name().to_string(), sub));
            }
            for (name, command) in commands {
                for arg in command.get_arguments().filter(|a| a.get_id() != "help") {
                    offered.push((name.clone(), written(arg)));
                }
            }
        }
        for (sub, flag) in &offered {
            assert!(
                CHECKED_BY.iter().any(|(s, f, _)| s == sub && f == flag),
                "`dossier {sub} {flag}` has no test in CHECKED_BY"
            );
        }
        for (sub, flag, test) in CHECKED_BY {
            assert!(
                offered.iter().any(|(s, f)| s == sub && f == flag),
                "`dossier {sub} {flag}` is in CHECKED_BY but not offered"
            );
            assert!(
                TESTS.iter().any(|t| t.contains(&format!("fn {test}()"))),
                "no test named {test} for `dossier {sub} {flag}`"
            );
        }
    }

    #[test]
    fn the_definitions_are_consistent() {
        Cli::command().debug_assert();
    }
}
