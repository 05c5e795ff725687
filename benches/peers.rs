//! dossier side by side with what people would otherwise use, on the same files: raw tantivy
//! (the engine alone), SQLite FTS5, Recoll and ripgrep. Every tool runs as its own process,
//! so a search is timed as a user meets it: from process start to the last line printed.
//! The corpus is measured at several scales to show how cost grows with size; the figures go
//! to BENCHMARKS.md with a chart, benchmarks.svg.
//!
//! benches/compare.sh        installs the missing peers, then runs this
//! cargo bench --bench peers
//!
//! DOSSIER_BENCH_CORPUS   the folder of texts (default: ../shared/corpus beside the repository)
//! DOSSIER_BENCH_SCALES   corpus sizes, as multiples of it (default 0.25,1,4)
//! DOSSIER_BENCH_ROUNDS   timed rounds over the queries (default 20)
//! DOSSIER_BENCH_QUICK=1  a small trial (scale 0.05, 3 rounds)
//! DOSSIER_BENCH_REPORT=1 write BENCHMARKS.md and benchmarks.svg at the repository root (set
//!                        by compare.sh); otherwise they go to the target folder, so a plain
//!                        `cargo bench` or a trial never overwrites the published figures

mod common;

use std::fmt::Write as _;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tool {
    Dossier,
    Tantivy,
    Fts5,
    Recoll,
    Ripgrep,
}

const TOOLS: [Tool; 5] = [
    Tool::Dossier,
    Tool::Tantivy,
    Tool::Fts5,
    Tool::Recoll,
    Tool::Ripgrep,
];

impl Tool {
    fn name(self) -> &'static str {
        match self {
            Tool::Dossier => "dossier",
            Tool::Tantivy => "raw tantivy",
            Tool::Fts5 => "SQLite FTS5",
            Tool::Recoll => "Recoll",
            Tool::Ripgrep => "ripgrep",
        }
    }

    fn colour(self) -> &'static str {
        match self {
            Tool::Dossier => "#d62728",
            Tool::Tantivy => "#1f77b4",
            Tool::Fts5 => "#2ca02c",
            Tool::Recoll => "#9467bd",
            Tool::Ripgrep => "#7f7f7f",
        }
    }

    /// Why the tool cannot run here, if it cannot.
    fn missing(self) -> Option<String> {
        let (program, args, package): (&str, &[&str], &str) = match self {
            Tool::Dossier | Tool::Tantivy => return None,
            Tool::Fts5 => (
                "sqlite3",
                &[":memory:", "CREATE VIRTUAL TABLE t USING fts5(x)"],
                "sqlite3",
            ),
            Tool::Recoll => ("recollq", &["-h"], "recollcmd"),
            Tool::Ripgrep => ("rg", &["--version"], "ripgrep"),
        };
        let out = Command::new(program).args(args).output();
        match out {
            Err(_) => Some(format!(
                "`{program}` is not installed (Debian package `{package}`; benches/compare.sh installs it when run as root or with sudo)"
            )),
            // recollq -h prints its usage and exits 1: only the FTS5 check has a verdict.
            Ok(out) if self == Tool::Fts5 && !out.status.success() => Some(format!(
                "this `sqlite3` has no FTS5: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            )),
            Ok(_) => None,
        }
    }
}

/// One query of the fixed set, written for each tool. The peers know no countries and no
/// dates: for the filtered query they get the country as one more word, and no date.
struct Query {
    label: &'static str,
    /// Arguments of `dossier search`.
    dossier: &'static [&'static str],
    /// The query for raw tantivy, FTS5 and Recoll (their syntaxes agree on these).
    engines: &'static str,
    /// Case-insensitive regular expressions that must all occur in a file; the first line
    /// matching the last one is printed for each such file.
    ripgrep: &'static [&'static str],
}

const QUERIES: [Query; 6] = [
    Query {
        label: "rare phrase",
        dossier: &["\"strategic reserve\""],
        engines: "\"strategic reserve\"",
        ripgrep: &["strategic reserve"],
    },
    Query {
        label: "common phrase",
        dossier: &["\"united nations\""],
        engines: "\"united nations\"",
        ripgrep: &["united nations"],
    },
    Query {
        label: "words",
        dossier: &["critical minerals supply"],
        engines: "critical minerals supply",
        ripgrep: &["critical", "minerals", "supply"],
    },
    Query {
        label: "filtered",
        dossier: &["climate finance", "--country", "JP", "--since", "2000"],
        engines: "climate finance japan",
        ripgrep: &["climate", "finance", "japan"],
    },
    Query {
        label: "prefix",
        dossier: &["stockpil*"],
        engines: "stockpil*",
        ripgrep: &["\\bstockpil"],
    },
    Query {
        label: "no hits",
        dossier: &["unobtainium"],
        engines: "unobtainium",
        ripgrep: &["unobtainium"],
    },
];

fn main() {
    dossier::disable_huge_pages();
    // The raw tantivy baseline runs as a child process of this same binary, so that its
    // searches are timed from process start like every other tool's.
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("tantivy-index") => return baseline::index(&args[2..]),
        Some("tantivy-search") => return baseline::search(&args[2..]),
        _ => {}
    }

    let load = fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "unknown".into());
    let corpus = common::corpus();
    let quick = std::env::var_os("DOSSIER_BENCH_QUICK").is_some_and(|v| v != "0");
    let scales_text = std::env::var("DOSSIER_BENCH_SCALES")
        .unwrap_or_else(|_| if quick { "0.05" } else { "0.25,1,4" }.into());
    let mut scales = Vec::new();
    for text in scales_text.split(',') {
        match text.trim().parse::<f64>() {
            Ok(scale) if scale > 0.0 && scale.is_finite() => scales.push(scale),
            _ => {
                eprintln!(
                    "DOSSIER_BENCH_SCALES: {text:?} is not a positive number \
                     (write scales as 0.25,1,4)"
                );
                std::process::exit(2);
            }
        }
    }
    let rounds: usize =
        common::env_number("DOSSIER_BENCH_ROUNDS", if quick { 3 } else { 20 }).max(1);
    let sources = corpus_files(&corpus);
    if sources.is_empty() {
        println!(
            "no .txt or .xml files under {}; set DOSSIER_BENCH_CORPUS",
            corpus.display()
        );
        return;
    }
    let skipped: Vec<(Tool, String)> = TOOLS
        .iter()
        .filter_map(|&t| t.missing().map(|why| (t, why)))
        .collect();
    for (tool, why) in &skipped {
        println!("skipped {}: {why}", tool.name());
    }
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let work = tempfile::tempdir().expect("temporary folder");
    let installed = Installed::copy(work.path());
    let mut results = Vec::new();
    for &scale in &scales {
        let run = Runner {
            dir: work.path().join(format!("scale-{scale}")),
            threads,
            installed: &installed,
        };
        results.push(run.scale(&corpus, &sources, scale, rounds, &skipped));
        // Four times the corpus and its five indexes would otherwise all stay on disk.
        let _ = fs::remove_dir_all(&run.dir);
    }

    let report = Report {
        results: &results,
        skipped: &skipped,
        rounds,
        threads,
        corpus: &corpus,
        load,
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let publish = std::env::var_os("DOSSIER_BENCH_REPORT").is_some_and(|v| v != "0");
    let out = if publish && !quick {
        root.to_path_buf()
    } else {
        PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
    };
    let mut markdown = report.markdown();
    // The search page's figures (benches/serve.rs) live between their markers: kept.
    let previous = fs::read_to_string(out.join("BENCHMARKS.md")).unwrap_or_default();
    if let (Some(from), Some(to)) = (
        previous.find("<!-- serve:start -->"),
        previous.find("<!-- serve:end -->"),
    ) {
        markdown.push('\n');
        markdown.push_str(&previous[from..to + "<!-- serve:end -->".len()]);
        markdown.push('\n');
    }
    println!("\n{markdown}");
    fs::write(out.join("BENCHMARKS.md"), &markdown).expect("write BENCHMARKS.md");
    fs::write(out.join("benchmarks.svg"), report.chart()).expect("write benchmarks.svg");
    println!("written: {}", out.join("BENCHMARKS.md").display());
}

/// The corpus's texts (see [`common::corpus_texts`]), relative to it.
fn corpus_files(corpus: &Path) -> Vec<PathBuf> {
    common::corpus_texts(corpus)
        .iter()
        .filter_map(|path| path.strip_prefix(corpus).ok().map(Path::to_path_buf))
        .collect()
}

/// Copies `scale` times the corpus into `target`: whole copies under `copy N/`, then an
/// evenly spread share of the files for the fraction. File names are kept (dossier reads
/// dates from some), the folder makes every path new.
fn copy_scaled(corpus: &Path, sources: &[PathBuf], target: &Path, scale: f64) -> (usize, u64) {
    let whole = scale.floor() as usize;
    let fraction = scale - scale.floor();
    let mut files = 0;
    let mut bytes = 0;
    for copy in 0..=whole {
        let share = if copy < whole { 1.0 } else { fraction };
        for (i, source) in sources.iter().enumerate() {
            // The file is taken when the running count of the share steps up at it.
            if (i as f64 * share).floor() == ((i + 1) as f64 * share).floor() {
                continue;
            }
            let name = target.join(format!("copy {copy}")).join(source);
            fs::create_dir_all(name.parent().expect("a parent")).expect("copy folder");
            bytes += fs::copy(corpus.join(source), &name).expect("copy a file");
            files += 1;
        }
    }
    (files, bytes)
}

/// What one process cost: wall time, CPU time (user and system, its children included),
/// peak resident memory, and what it printed.
struct Usage {
    wall: Duration,
    cpu: Duration,
    peak_rss: u64,
    stdout: Vec<u8>,
}

/// Runs `command` to its end, its output read to the last byte. Exit code 1 is taken as
/// "nothing found" when `one_is_no_hits` (dossier, ripgrep); otherwise only 0 is success.
fn measure(
    command: &mut Command,
    stderr_file: &Path,
    one_is_no_hits: bool,
) -> Result<Usage, String> {
    let stderr = fs::File::create(stderr_file).map_err(|e| e.to_string())?;
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr);
    let started = Instant::now();
    let mut child = command
        .spawn()
        .map_err(|e| format!("{:?}: {e}", command.get_program()))?;
    let mut stdout = Vec::new();
    child
        .stdout
        .take()
        .expect("piped")
        .read_to_end(&mut stdout)
        .map_err(|e| e.to_string())?;
    let (status, usage) = wait_with_usage(child.id()).map_err(|e| e.to_string())?;
    let wall = started.elapsed();
    if !(status == 0 || status == 1 && one_is_no_hits) {
        let said = fs::read_to_string(stderr_file).unwrap_or_default();
        let tail: Vec<&str> = said.lines().rev().take(3).collect();
        return Err(format!(
            "{:?} exited with {status}: {}",
            command.get_program(),
            tail.into_iter().rev().collect::<Vec<_>>().join(" / ")
        ));
    }
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Ok(Usage {
        wall,
        cpu: time(usage.ru_utime) + time(usage.ru_stime),
        // Linux gives kilobytes.
        peak_rss: usage.ru_maxrss as u64 * 1024,
        stdout,
    })
}

/// Reaps the child with wait4, which, unlike std's wait, also gives its resource usage
/// (including that of the children it waited for: recollindex's filters, a shell pipeline).
fn wait_with_usage(pid: u32) -> std::io::Result<(i32, libc::rusage)> {
    let mut status = 0;
    // SAFETY: rusage is plain data, for which all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: both pointers are to live locals; the pid is our own unreaped child.
        let reaped = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
        if reaped == pid as libc::pid_t {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        128 + libc::WTERMSIG(status)
    };
    Ok((code, usage))
}

struct IndexRun {
    usage: Usage,
    index_bytes: u64,
}

#[derive(Default)]
struct SearchRun {
    /// Every timed run, over all queries and rounds.
    all: Vec<Duration>,
    /// The timed runs of each query.
    per_query: Vec<Vec<Duration>>,
    /// Lines each query printed (a check that the tools found comparable things).
    lines: Vec<usize>,
}

struct ToolResult {
    tool: Tool,
    index: Option<IndexRun>,
    search: Option<SearchRun>,
    /// Why this tool has no figures at this scale.
    failed: Option<String>,
}

struct ScaleResult {
    scale: f64,
    files: usize,
    bytes: u64,
    tools: Vec<ToolResult>,
}

impl ScaleResult {
    fn tool(&self, tool: Tool) -> Option<&ToolResult> {
        self.tools
            .iter()
            .find(|t| t.tool == tool && t.failed.is_none())
    }

    fn mb(&self) -> f64 {
        self.bytes as f64 / 1e6
    }

    fn throughput(&self, tool: Tool) -> Option<f64> {
        let run = self.tool(tool)?.index.as_ref()?;
        Some(self.mb() / run.usage.wall.as_secs_f64())
    }

    fn index_ratio(&self, tool: Tool) -> Option<f64> {
        let run = self.tool(tool)?.index.as_ref()?;
        Some(run.index_bytes as f64 / self.bytes as f64)
    }

    fn search(&self, tool: Tool) -> Option<(Duration, Duration)> {
        let run = self.tool(tool)?.search.as_ref()?;
        Some((percentile(&run.all, 50), percentile(&run.all, 95)))
    }
}

fn percentile(times: &[Duration], p: usize) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    sorted
        .get((sorted.len() * p / 100).min(sorted.len().saturating_sub(1)))
        .copied()
        .unwrap_or_default()
}

/// dossier's binary and this benchmark's (the raw tantivy baseline), copied as `cargo
/// install` copies a binary. Run where the linker wrote them, they started 0.4 to 0.5 ms
/// slower (Linux keeps a file just written in its page cache in pieces as large as the
/// writes, and the linker's are small); the other tools run from their installed files.
struct Installed {
    dossier: PathBuf,
    baseline: PathBuf,
}

impl Installed {
    fn copy(work: &Path) -> Installed {
        let install = |from: PathBuf, name: &str| {
            let to = work.join(name);
            fs::copy(&from, &to)
                .unwrap_or_else(|e| panic!("copy {} to {}: {e}", from.display(), to.display()));
            to
        };
        Installed {
            dossier: install(PathBuf::from(env!("CARGO_BIN_EXE_dossier")), "dossier"),
            baseline: install(
                std::env::current_exe().expect("this benchmark"),
                "raw-tantivy",
            ),
        }
    }
}

struct Runner<'a> {
    dir: PathBuf,
    threads: usize,
    installed: &'a Installed,
}

impl Runner<'_> {
    fn scale(
        &self,
        corpus: &Path,
        sources: &[PathBuf],
        scale: f64,
        rounds: usize,
        skipped: &[(Tool, String)],
    ) -> ScaleResult {
        let texts = self.dir.join("texts");
        let (files, bytes) = copy_scaled(corpus, sources, &texts, scale);
        println!(
            "\nscale {scale}: {files} files, {:.1} MB, {} threads",
            bytes as f64 / 1e6,
            self.threads
        );
        let mut tools: Vec<ToolResult> = TOOLS
            .iter()
            .filter(|t| !skipped.iter().any(|(s, _)| s == *t))
            .map(|&tool| ToolResult {
                tool,
                index: None,
                search: None,
                failed: None,
            })
            .collect();

        for result in &mut tools {
            if result.tool == Tool::Ripgrep {
                continue; // no index: it reads the files at every search
            }
            // Writes still in flight (the copies, the last tool's index) must not be paid
            // for by the next tool.
            // SAFETY: sync has no preconditions.
            unsafe { libc::sync() };
            match self.index(result.tool, &texts) {
                Ok(run) => {
                    println!(
                        "  indexed by {:<12} {:>7.1} MB/s {:>8.2} s wall {:>8.2} s CPU {:>6.0} MB peak, index {:.2}x the text",
                        result.tool.name(),
                        bytes as f64 / 1e6 / run.usage.wall.as_secs_f64(),
                        run.usage.wall.as_secs_f64(),
                        run.usage.cpu.as_secs_f64(),
                        run.usage.peak_rss as f64 / 1e6,
                        run.index_bytes as f64 / bytes as f64
                    );
                    result.index = Some(run);
                }
                Err(why) => {
                    println!("  {} failed to index: {why}", result.tool.name());
                    result.failed = Some(format!("indexing failed: {why}"));
                }
            }
        }

        // Warm-up: one run of every query by every tool, so the timed rounds find the
        // indexes (and for ripgrep the texts) in the page cache.
        for result in tools.iter_mut().filter(|r| r.failed.is_none()) {
            let mut run = SearchRun {
                per_query: vec![Vec::new(); QUERIES.len()],
                ..SearchRun::default()
            };
            for query in &QUERIES {
                match self.search(result.tool, query, &texts) {
                    Ok(usage) => run.lines.push(bytecount_lines(&usage.stdout)),
                    Err(why) => {
                        result.failed = Some(format!("search failed: {why}"));
                        break;
                    }
                }
            }
            result.search = Some(run);
        }
        // Rounds interleave the tools, so a disturbance on the machine is shared out.
        for _ in 0..rounds {
            for (q, query) in QUERIES.iter().enumerate() {
                for result in tools.iter_mut().filter(|r| r.failed.is_none()) {
                    match self.search(result.tool, query, &texts) {
                        Ok(usage) => {
                            let run = result.search.as_mut().expect("warmed up");
                            run.all.push(usage.wall);
                            run.per_query[q].push(usage.wall);
                        }
                        Err(why) => result.failed = Some(format!("search failed: {why}")),
                    }
                }
            }
        }
        let result = ScaleResult {
            scale,
            files,
            bytes,
            tools,
        };
        for tool in &result.tools {
            match (&tool.failed, result.search(tool.tool)) {
                (Some(why), _) => println!("  {}: {why}", tool.tool.name()),
                (None, Some((p50, p95))) => println!(
                    "  search by {:<12} p50 {:>8.1} ms  p95 {:>8.1} ms",
                    tool.tool.name(),
                    ms(p50),
                    ms(p95)
                ),
                (None, None) => {}
            }
        }
        result
    }

    fn index(&self, tool: Tool, texts: &Path) -> Result<IndexRun, String> {
        let name = tool.name().replace(' ', "-");
        let stderr = self.dir.join(format!("{name}-index.stderr"));
        let (mut command, index) = match tool {
            Tool::Dossier => {
                let index = self.dir.join("dossier-index");
                let mut c = Command::new(&self.installed.dossier);
                c.arg("index")
                    .arg(texts)
                    .arg("--index")
                    .arg(&index)
                    .arg("--threads")
                    .arg(self.threads.to_string())
                    .arg("--quiet");
                (c, index)
            }
            Tool::Tantivy => {
                let index = self.dir.join("tantivy-index");
                let mut c = Command::new(&self.installed.baseline);
                c.arg("tantivy-index")
                    .arg(texts)
                    .arg(&index)
                    .arg(self.threads.to_string());
                (c, index)
            }
            Tool::Fts5 => {
                let db = self.dir.join("fts5.db");
                let mut c = Command::new("sqlite3");
                // The shell's fsdir() walks the folder and hands over each file's bytes: the
                // whole load is one statement, so one transaction.
                c.arg(&db).arg(format!(
                    "CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, body, tokenize='porter unicode61');
                     INSERT INTO docs(path, body) SELECT name, CAST(data AS TEXT) FROM fsdir('{}')
                     WHERE data IS NOT NULL AND (name LIKE '%.txt' OR name LIKE '%.xml');",
                    sql_quote(&texts.to_string_lossy())
                ));
                (c, db)
            }
            Tool::Recoll => {
                let config = self.recoll_config(texts)?;
                let mut c = Command::new("recollindex");
                c.arg("-c").arg(&config);
                (c, config.join("xapiandb"))
            }
            Tool::Ripgrep => unreachable!("ripgrep keeps no index"),
        };
        let usage = measure(&mut command, &stderr, false)?;
        let index_bytes = if index.is_dir() {
            common::folder_bytes(&index)
        } else {
            fs::metadata(&index).map(|m| m.len()).unwrap_or(0)
        };
        if index_bytes == 0 {
            return Err(format!("no index at {}", index.display()));
        }
        Ok(IndexRun { usage, index_bytes })
    }

    /// A private configuration folder, so the user's own Recoll index is never touched.
    fn recoll_config(&self, texts: &Path) -> Result<PathBuf, String> {
        let config = self.dir.join("recoll");
        fs::create_dir_all(&config).map_err(|e| e.to_string())?;
        // noaspell: the spelling dictionary is an optional extra (and aspell is not
        // installed with recoll); loglevel 1: errors only.
        // Quoted: a value with spaces would be read as a list of folders.
        let conf = format!(
            "topdirs = \"{}\"\nnoaspell = 1\nloglevel = 1\n",
            texts.display()
        );
        fs::write(config.join("recoll.conf"), conf).map_err(|e| e.to_string())?;
        Ok(config)
    }

    fn search(&self, tool: Tool, query: &Query, texts: &Path) -> Result<Usage, String> {
        let mut command = match tool {
            Tool::Dossier => {
                let mut c = Command::new(&self.installed.dossier);
                c.arg("search")
                    .args(query.dossier)
                    .arg("--index")
                    .arg(self.dir.join("dossier-index"));
                c
            }
            Tool::Tantivy => {
                let mut c = Command::new(&self.installed.baseline);
                c.arg("tantivy-search")
                    .arg(self.dir.join("tantivy-index"))
                    .arg(query.engines);
                c
            }
            Tool::Fts5 => {
                let mut c = Command::new("sqlite3");
                c.arg("-readonly")
                    .arg(self.dir.join("fts5.db"))
                    .arg(format!(
                        "SELECT path, snippet(docs, 1, '[', ']', '…', 40) FROM docs
                     WHERE docs MATCH '{}' ORDER BY bm25(docs) LIMIT 10;",
                        sql_quote(query.engines)
                    ));
                c
            }
            Tool::Recoll => {
                // `-A` alone prints no abstract with Recoll 1.34; `-p 3` has it print three
                // snippets per document, about what dossier and FTS5 show.
                let mut c = Command::new("recollq");
                c.arg("-c")
                    .arg(self.dir.join("recoll"))
                    .args(["-A", "-p", "3", "-n", "10"])
                    .arg(query.engines);
                c
            }
            Tool::Ripgrep => ripgrep(query.ripgrep, texts),
        };
        let name = tool.name().replace(' ', "-");
        let one_is_no_hits = matches!(tool, Tool::Dossier | Tool::Ripgrep);
        measure(
            &mut command,
            &self.dir.join(format!("{name}-search.stderr")),
            one_is_no_hits,
        )
    }
}

/// ripgrep for files that hold every pattern: one `rg` for one pattern, else a pipeline in
/// which each `rg` keeps the files of the previous one that hold the next pattern (what a
/// user of grep tools types for "all these words").
fn ripgrep(patterns: &[&str], texts: &Path) -> Command {
    let last = "rg --ignore-case --max-count 1 --line-number --with-filename --no-heading";
    if let [pattern] = patterns {
        let mut c = Command::new("rg");
        c.args(last.split(' ').skip(1))
            .arg("-e")
            .arg(pattern)
            .arg(texts);
        return c;
    }
    // Positional parameters: the patterns are ${1}..${n}, the folder is ${n + 1}.
    let n = patterns.len();
    let mut script = format!(
        "rg --ignore-case --files-with-matches --null -e \"${{1}}\" \"${{{}}}\"",
        n + 1
    );
    for i in 2..n {
        script.push_str(&format!(
            " | xargs -0 -r rg --ignore-case --files-with-matches --null -e \"${{{i}}}\""
        ));
    }
    script.push_str(&format!(" | xargs -0 -r {last} -e \"${{{n}}}\""));
    // xargs says 123 when a command it ran said 1, which is rg's "nothing found".
    script.push_str("; status=$?; [ $status -eq 123 ] && exit 1; exit $status");
    let mut c = Command::new("sh");
    c.arg("-c").arg(script).arg("sh").args(patterns).arg(texts);
    c
}

fn sql_quote(s: &str) -> String {
    s.replace('\'', "''")
}

fn bytecount_lines(out: &[u8]) -> usize {
    out.iter().filter(|&&b| b == b'\n').count()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The engine alone, as a user of the library would set it up: whole documents, tantivy's
/// default analyzer, no tagging, no passages, tantivy's own snippets. The writer has the same
/// threads and memory as dossier's.
mod baseline {
    use std::io::Write;

    use std::path::Path;
    use tantivy::collector::TopDocs;
    use tantivy::query::{QueryParser, RegexQuery};

    use tantivy::snippet::SnippetGenerator;
    use tantivy::{Index, TantivyDocument};

    /// `tantivy-index TEXTS INDEX THREADS`
    pub fn index(args: &[String]) {
        let [texts, dir, threads] = args else {
            panic!("tantivy-index TEXTS INDEX THREADS");
        };
        let threads: usize = threads.parse().expect("thread count");
        super::common::raw_tantivy_index(Path::new(texts), Path::new(dir), threads);
    }

    /// `tantivy-search INDEX QUERY`: the ten best documents, each with a snippet.
    pub fn search(args: &[String]) {
        let [dir, query] = args else {
            panic!("tantivy-search INDEX QUERY");
        };
        let index = Index::open_in_dir(dir).expect("baseline index");
        let schema = index.schema();
        let path = schema.get_field("path").expect("path field");
        let body = schema.get_field("body").expect("body field");
        let searcher = index.reader().expect("reader").searcher();
        let mut parser = QueryParser::for_index(&index, vec![body]);
        // Every word required, as in dossier, FTS5 and Recoll.
        parser.set_conjunction_by_default();
        // The parser takes `word*` only at the end of a phrase of two words or more; for a
        // lone prefix the library's own answer is a regular expression over the terms.
        let query: Box<dyn tantivy::query::Query> = match query.strip_suffix('*') {
            Some(prefix) if !prefix.contains([' ', '"']) => Box::new(
                RegexQuery::from_pattern(
                    &format!("{}.*", regex::escape(&prefix.to_lowercase())),
                    body,
                )
                .expect("prefix"),
            ),
            _ => parser.parse_query(query).expect("baseline parses"),
        };
        let top = searcher
            .search(&query, &TopDocs::with_limit(10).order_by_score())
            .expect("baseline searches");
        let mut snippets = SnippetGenerator::create(&searcher, &*query, body).expect("snippets");
        snippets.set_max_num_chars(300);
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        for (rank, (_, address)) in top.into_iter().enumerate() {
            let doc: TantivyDocument = searcher.doc(address).expect("stored");
            let name = doc
                .get_first(path)
                .and_then(|v| tantivy::schema::Value::as_str(&v))
                .unwrap_or_default()
                .to_string();
            let snippet = snippets.snippet_from_doc(&doc);
            let _ = writeln!(out, "{}. {name}\n   {}\n", rank + 1, snippet.fragment());
        }
    }
}

struct Report<'a> {
    results: &'a [ScaleResult],
    skipped: &'a [(Tool, String)],
    rounds: usize,
    threads: usize,
    corpus: &'a Path,
    /// The load average before the run: a busy machine slows every tool.
    load: String,
}

impl Report<'_> {
    /// The scale the absolute targets are read at: the whole corpus if it was run, else the
    /// largest.
    fn reference(&self) -> Option<&ScaleResult> {
        self.results
            .iter()
            .find(|r| r.scale == 1.0)
            .or_else(|| self.results.iter().max_by(|a, b| a.bytes.cmp(&b.bytes)))
    }

    fn markdown(&self) -> String {
        let mut md = String::new();
        let scales: Vec<String> = self
            .results
            .iter()
            .map(|r| format!("{}", r.scale))
            .collect();
        let _ = writeln!(md, "# Benchmarks\n");
        let mut command = String::new();
        if scales.join(",") != "0.25,1,4" {
            command.push_str(&format!("DOSSIER_BENCH_SCALES={} ", scales.join(",")));
        }
        if self.rounds != 20 {
            command.push_str(&format!("DOSSIER_BENCH_ROUNDS={} ", self.rounds));
        }
        let _ = writeln!(
            md,
            "dossier beside raw tantivy, SQLite FTS5, Recoll and ripgrep, on the same files. This file and \
             its chart are written by the benchmark run (do not edit by hand); to reproduce them:\n\n\
             ```sh\n{command}benches/compare.sh\n```\n"
        );
        let _ = writeln!(
            md,
            "The script installs the missing peers (Debian packages `ripgrep`, `recollcmd`, `sqlite3`) \
             when it runs as root or with sudo, then runs `cargo bench --bench peers`, which builds dossier's \
             binary ({}) and runs a copy of it, as `cargo install` copies it (the raw tantivy \
             baseline likewise). Without `DOSSIER_BENCH_SCALES` it runs scales 0.25, 1 and 4; \
             `DOSSIER_BENCH_QUICK=1` is a small trial; run without the script, the bench leaves its \
             report in the target folder.\n",
            // The script says how it built the benchmark; cargo cannot tell a bench.
            std::env::var("DOSSIER_BENCH_BUILD").unwrap_or_else(|_| {
                if cfg!(target_feature = "crt-static") {
                    "a static executable".into()
                } else {
                    "dynamically linked".into()
                }
            })
        );
        let _ = writeln!(
            md,
            "![indexing throughput and search latency against corpus size](benchmarks.svg)\n"
        );
        let _ = writeln!(md, "## Machine\n\n{}", machine(self.threads, &self.load));
        // Named as the project knows it, never by a path of this machine.
        let corpus_name = match std::env::var_os("DOSSIER_BENCH_CORPUS") {
            None => "../shared/corpus".to_string(),
            Some(_) => self
                .corpus
                .file_name()
                .map_or_else(|| "the corpus".into(), |n| n.to_string_lossy().into_owned()),
        };
        let _ = writeln!(
            md,
            "Corpus: every `.txt` and `.xml` file of `{corpus_name}` (the scale 1), a spread share of its \
             files (below 1) or whole copies of it under new folder names (above 1). Searches: {} rounds \
             over the six queries after one warm-up run of each, tools interleaved; a figure is the time \
             from process start to the last line printed.\n",
            self.rounds
        );
        if !self.skipped.is_empty() {
            let _ = writeln!(md, "**Skipped:**\n");
            for (tool, why) in self.skipped {
                let _ = writeln!(md, "- {}: {why}", tool.name());
            }
            let _ = writeln!(md);
        }
        for result in self.results {
            for tool in &result.tools {
                if let Some(why) = &tool.failed {
                    let _ = writeln!(
                        md,
                        "**{} failed at scale {}:** {why}\n",
                        tool.tool.name(),
                        result.scale
                    );
                }
            }
        }
        self.targets(&mut md);
        self.indexing(&mut md);
        self.searching(&mut md);
        let _ = writeln!(md, "{}", METHOD);
        md
    }

    fn targets(&self, md: &mut String) {
        let Some(reference) = self.reference() else {
            return;
        };
        let _ = writeln!(
            md,
            "## Targets\n\nRead at scale {} ({:.0} MB); not enforced by tests.\n\n| target | measured | met |\n|---|---|---|",
            reference.scale,
            reference.mb()
        );
        let mut row = |target: &str,
                       value: Option<f64>,
                       shown: &dyn Fn(f64) -> String,
                       met: &dyn Fn(f64) -> bool| {
            let (shown, met) = match value {
                Some(v) if v.is_finite() => (shown(v), if met(v) { "yes" } else { "**no**" }),
                _ => ("not measured".to_string(), "–"),
            };
            let _ = writeln!(md, "| {target} | {shown} | {met} |");
        };
        let times = |v: f64| format!("{v:.2}x");
        let ours = reference.throughput(Tool::Dossier);
        for (peer, want) in [
            (Tool::Tantivy, 0.8),
            (Tool::Fts5, 2.0),
            (Tool::Recoll, 10.0),
        ] {
            let ratio = ours.zip(reference.throughput(peer)).map(|(a, b)| a / b);
            row(
                &format!("indexing ≥ {want}x the throughput of {}", peer.name()),
                ratio,
                &times,
                &|v| v >= want,
            );
        }
        let p50 = reference.search(Tool::Dossier).map(|s| ms(s.0));
        row(
            "one-shot search median ≤ 10 ms",
            p50,
            &|v| format!("{v:.1} ms"),
            &|v| v <= 10.0,
        );
        for (peer, want) in [
            (Tool::Recoll, 2.0),
            (Tool::Fts5, 2.0),
            (Tool::Ripgrep, 20.0),
        ] {
            let ratio = p50.zip(reference.search(peer)).map(|(a, b)| ms(b.0) / a);
            row(
                &format!("search median ≥ {want}x faster than {}", peer.name()),
                ratio,
                &times,
                &|v| v >= want,
            );
        }
        row(
            "index size ≤ 1.2x the text",
            reference.index_ratio(Tool::Dossier),
            &times,
            &|v| v <= 1.2,
        );
        // Growth as an exponent k in cost ∝ size^k between the smallest and largest scale:
        // 1 is linear, 0 is flat.
        let smallest = self.results.iter().min_by_key(|r| r.bytes);
        let largest = self.results.iter().max_by_key(|r| r.bytes);
        let growth = |cost: &dyn Fn(&ScaleResult) -> Option<f64>| {
            let (a, b) = (smallest?, largest?);
            if b.bytes <= a.bytes {
                return None;
            }
            Some((cost(b)? / cost(a)?).ln() / (b.mb() / a.mb()).ln())
        };
        let exponent = |v: f64| format!("time ∝ size^{v:.2}");
        row(
            "indexing time grows linearly (exponent ≤ 1.1)",
            growth(&|r| {
                r.tool(Tool::Dossier)?
                    .index
                    .as_ref()
                    .map(|i| i.usage.wall.as_secs_f64())
            }),
            &exponent,
            &|v| v <= 1.1,
        );
        row(
            "search time far below linear (exponent ≤ 0.5)",
            growth(&|r| r.search(Tool::Dossier).map(|s| s.0.as_secs_f64())),
            &exponent,
            &|v| v <= 0.5,
        );
        let _ = writeln!(md);
    }

    fn indexing(&self, md: &mut String) {
        let _ = writeln!(
            md,
            "## Indexing from scratch\n\n\
             CPU is user plus system time, children included; peak memory is the largest resident set \
             of the process (or of one of its children); \"dossier is\" compares throughput.\n\n\
             | scale | text | tool | MB/s | wall | CPU | peak memory | index / text | dossier is |\n\
             |---|---|---|---|---|---|---|---|---|"
        );
        for result in self.results {
            let ours = result.throughput(Tool::Dossier);
            for tool in TOOLS {
                let (Some(t), Some(run)) = (
                    result.tool(tool),
                    result.tool(tool).and_then(|t| t.index.as_ref()),
                ) else {
                    continue;
                };
                let rate = result.throughput(t.tool).unwrap_or(0.0);
                let ratio = match (tool, ours) {
                    (Tool::Dossier, _) | (_, None) => String::new(),
                    (_, Some(ours)) => format!("{:.2}x", ours / rate),
                };
                let _ = writeln!(
                    md,
                    "| {} | {:.0} MB, {} files | {} | {:.1} | {:.1} s | {:.1} s | {:.0} MB | {:.2} | {ratio} |",
                    result.scale,
                    result.mb(),
                    result.files,
                    tool.name(),
                    rate,
                    run.usage.wall.as_secs_f64(),
                    run.usage.cpu.as_secs_f64(),
                    run.usage.peak_rss as f64 / 1e6,
                    run.index_bytes as f64 / result.bytes as f64,
                );
            }
        }
        let _ = writeln!(md);
    }

    fn searching(&self, md: &mut String) {
        let _ = writeln!(
            md,
            "## One-shot search\n\n\
             Median and 95th percentile over every run of every query; \"dossier is\" compares medians.\n\n\
             | scale | tool | median | p95 | dossier is |\n|---|---|---|---|---|"
        );
        for result in self.results {
            let ours = result.search(Tool::Dossier);
            for tool in TOOLS {
                let Some((p50, p95)) = result.search(tool) else {
                    continue;
                };
                let ratio = match (tool, ours) {
                    (Tool::Dossier, _) | (_, None) => String::new(),
                    (_, Some(ours)) => format!("{:.1}x faster", ms(p50) / ms(ours.0)),
                };
                let _ = writeln!(
                    md,
                    "| {} | {} | {:.1} ms | {:.1} ms | {ratio} |",
                    result.scale,
                    tool.name(),
                    ms(p50),
                    ms(p95)
                );
            }
        }
        let _ = writeln!(
            md,
            "\nMedian per query, in ms, with the lines each printed in brackets (a check that the tools \
             found comparable things):\n"
        );
        let mut header = "| scale | tool |".to_string();
        let mut rule = "|---|---|".to_string();
        for query in &QUERIES {
            header.push_str(&format!(" {} |", query.label));
            rule.push_str("---|");
        }
        let _ = writeln!(md, "{header}\n{rule}");
        for result in self.results {
            for tool in TOOLS {
                let Some(run) = result.tool(tool).and_then(|t| t.search.as_ref()) else {
                    continue;
                };
                let mut line = format!("| {} | {} |", result.scale, tool.name());
                for (times, lines) in run.per_query.iter().zip(&run.lines) {
                    line.push_str(&format!(" {:.1} ({lines}) |", ms(percentile(times, 50))));
                }
                let _ = writeln!(md, "{line}");
            }
        }
        let _ = writeln!(md);
    }

    /// Two panels, indexing throughput and median search latency against corpus size, one
    /// line per tool, both axes logarithmic.
    fn chart(&self) -> String {
        let mut svg = String::new();
        let (width, height) = (960.0, 430.0);
        let _ = writeln!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
             viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n\
             <rect width=\"100%\" height=\"100%\" fill=\"white\"/>"
        );
        let sizes: Vec<f64> = self.results.iter().map(ScaleResult::mb).collect();
        // Each tool's points (corpus size, value) where it has a value.
        let series = |value: &dyn Fn(&ScaleResult, Tool) -> Option<f64>| {
            TOOLS
                .iter()
                .map(|&t| {
                    let points = self
                        .results
                        .iter()
                        .filter_map(|r| Some((r.mb(), value(r, t)?)))
                        .collect();
                    (t, points)
                })
                .collect::<Vec<(Tool, Vec<(f64, f64)>)>>()
        };
        let indexing = series(&|r, t| r.throughput(t));
        let search = series(&|r, t| Some(ms(r.search(t)?.0)));
        panel(
            &mut svg,
            60.0,
            "Indexing throughput (MB/s, higher is better)",
            &sizes,
            &indexing,
        );
        panel(
            &mut svg,
            540.0,
            "One-shot search, median (ms, lower is better)",
            &sizes,
            &search,
        );
        // The legend, under both panels.
        for (i, tool) in TOOLS.iter().enumerate() {
            let x = 60.0 + i as f64 * 170.0;
            let y = height - 18.0;
            let _ = writeln!(
                svg,
                "<line x1=\"{x}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{}\" stroke-width=\"3\"/>\
                 <text x=\"{}\" y=\"{}\">{}</text>",
                x + 24.0,
                tool.colour(),
                x + 30.0,
                y + 4.0,
                if self.skipped.iter().any(|(s, _)| s == tool) {
                    format!("{} (skipped)", tool.name())
                } else {
                    tool.name().to_string()
                }
            );
        }
        svg.push_str("</svg>\n");
        svg
    }
}

/// One log-log panel at horizontal offset `left`.
fn panel(
    svg: &mut String,
    left: f64,
    title: &str,
    sizes: &[f64],
    lines: &[(Tool, Vec<(f64, f64)>)],
) {
    let (top, w, h) = (40.0, 380.0, 300.0);
    let values: Vec<f64> = lines
        .iter()
        .flat_map(|(_, p)| p.iter().map(|&(_, v)| v))
        .filter(|v| *v > 0.0)
        .collect();
    let decades = |vs: &[f64]| {
        let lo = vs
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min)
            .log10()
            .floor();
        let hi = vs
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max)
            .log10()
            .ceil();
        if lo.is_finite() && hi.is_finite() {
            (lo, hi.max(lo + 1.0))
        } else {
            (0.0, 1.0)
        }
    };
    let (y_lo, y_hi) = decades(&values);
    // Half a step of margin either side of the sizes (a single size gets one of 2x).
    let x_min = sizes.iter().copied().fold(f64::INFINITY, f64::min).log10();
    let x_max = sizes
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max)
        .log10();
    let pad = ((x_max - x_min) * 0.1).max(0.3);
    let (x_lo, x_hi) = (x_min - pad, x_max + pad);
    let x = |mb: f64| left + (mb.log10() - x_lo) / (x_hi - x_lo) * w;
    let y = |v: f64| top + h - (v.log10() - y_lo) / (y_hi - y_lo) * h;
    let _ = writeln!(
        svg,
        "<text x=\"{}\" y=\"24\" font-size=\"14\" font-weight=\"bold\">{title}</text>\n\
         <rect x=\"{left}\" y=\"{top}\" width=\"{w}\" height=\"{h}\" fill=\"none\" stroke=\"#999\"/>",
        left
    );
    let mut decade = y_lo;
    while decade <= y_hi {
        let v = 10f64.powf(decade);
        let _ = writeln!(
            svg,
            "<line x1=\"{left}\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\" stroke=\"#ddd\"/>\
             <text x=\"{2}\" y=\"{3}\" text-anchor=\"end\">{4}</text>",
            y(v),
            left + w,
            left - 6.0,
            y(v) + 4.0,
            if v < 1.0 {
                format!("{v}")
            } else {
                format!("{v:.0}")
            }
        );
        decade += 1.0;
    }
    for &mb in sizes {
        let _ = writeln!(
            svg,
            "<line x1=\"{0}\" y1=\"{top}\" x2=\"{0}\" y2=\"{1}\" stroke=\"#ddd\"/>\
             <text x=\"{0}\" y=\"{2}\" text-anchor=\"middle\">{3:.0} MB</text>",
            x(mb),
            top + h,
            top + h + 16.0,
            mb
        );
    }
    let _ = writeln!(
        svg,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">corpus size (log scale)</text>",
        left + w / 2.0,
        top + h + 34.0
    );
    for (tool, points) in lines {
        let points: Vec<&(f64, f64)> = points.iter().filter(|(_, v)| *v > 0.0).collect();
        if points.is_empty() {
            continue;
        }
        let path: Vec<String> = points
            .iter()
            .map(|&&(mb, v)| format!("{:.1},{:.1}", x(mb), y(v)))
            .collect();
        let width = if *tool == Tool::Dossier { 3 } else { 2 };
        let _ = writeln!(
            svg,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{width}\"/>",
            path.join(" "),
            tool.colour()
        );
        for &&(mb, v) in &points {
            let _ = writeln!(
                svg,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"{}\"><title>{}: {v:.1} at {mb:.0} MB</title></circle>",
                x(mb),
                y(v),
                tool.colour(),
                tool.name()
            );
        }
    }
}

/// What the figures came from: processor, cores, memory, system, tool versions, commit, date.
fn machine(threads: usize, load: &str) -> String {
    let read = |path: &str| fs::read_to_string(path).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        .unwrap_or_else(|| "unknown processor".into());
    let memory_kb: u64 = read("/proc/meminfo")
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.split_whitespace().next()?.parse().ok())
        .unwrap_or(0);
    let first_line = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .output()
            .ok()
            .map(|o| {
                let text = if o.stdout.is_empty() {
                    o.stderr
                } else {
                    o.stdout
                };
                String::from_utf8_lossy(&text)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_string()
            })
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "not installed".into())
    };
    let root = env!("CARGO_MANIFEST_DIR");
    format!(
        "- {cpu}, {threads} cores, {:.0} GB of memory, Linux {}, load average {load} before the run\n\
         - {}, dossier at commit {}\n\
         - tantivy 0.27 (the baseline), SQLite {}, {}, {}\n",
        memory_kb as f64 / 1024.0 / 1024.0,
        read("/proc/sys/kernel/osrelease").trim(),
        first_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        first_line("git", &["-C", root, "rev-parse", "--short", "HEAD"]),
        first_line("sqlite3", &["--version"])
            .split_whitespace()
            .next()
            .unwrap_or("not installed"),
        first_line("recollq", &["-v"]),
        first_line("rg", &["--version"]),
    )
}

const METHOD: &str = "## What each tool runs

| | index | search |
|---|---|---|
| dossier | `dossier index TEXTS --index DIR --threads N --quiet` | `dossier search QUERY --index DIR` (ten documents, one passage each) |
| raw tantivy | this benchmark's own binary: whole documents, default analyzer (no stemming), path and body stored, the same writer threads and memory and the same allocator (mimalloc) as dossier, one commit | ten best documents by BM25, every word required, each with a tantivy snippet of up to 300 characters; the prefix query is a `RegexQuery` (tantivy's parser takes `*` only after a phrase of two words or more), which gets no snippet |
| SQLite FTS5 | `sqlite3 DB` with `fts5(path UNINDEXED, body, tokenize='porter unicode61')`, every file loaded through the shell's `fsdir()` in one statement | `SELECT path, snippet(docs, 1, '[', ']', '…', 40) … WHERE docs MATCH QUERY ORDER BY bm25(docs) LIMIT 10` |
| Recoll | `recollindex -c CONFDIR`, a private configuration with `topdirs` the texts, no spelling dictionary | `recollq -c CONFDIR -A -p 3 -n 10 QUERY` (`-A` alone prints no abstract in Recoll 1.34; `-p 3` gives three snippets per document) |
| ripgrep | none | `rg --ignore-case --max-count 1 --line-number PATTERN TEXTS`: the first matching line of every matching file |

The queries, as each tool gets them:

| query | dossier | raw tantivy, FTS5, Recoll | ripgrep |
|---|---|---|---|
| rare phrase | `\"strategic reserve\"` | `\"strategic reserve\"` | `strategic reserve` |
| common phrase | `\"united nations\"` | `\"united nations\"` | `united nations` |
| words | `critical minerals supply` | the same (all words required) | files holding all three words: a pipeline of `rg --files-with-matches` through `xargs`, the last printing a line |
| filtered | `climate finance --country JP --since 2000` | `climate finance japan` (they know no countries or dates) | files holding `climate`, `finance` and `japan` |
| prefix | `stockpil*` | `stockpil*` | `\\bstockpil` |
| no hits | `unobtainium` | `unobtainium` | `unobtainium` |

Equivalence is close, not exact: dossier and FTS5 stem English words and Recoll expands stems, while raw
tantivy and ripgrep match words as written; ripgrep matches within a line, so a phrase broken across
two lines is missed, and its word matches are substrings (`minerals` is not found in `mineral`, while
`finance` is found in `refinanced`); a tool ranks documents (dossier ranks passages) while ripgrep
prints every matching file in folder order.
";
