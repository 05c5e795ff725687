//! Saved searches and `dossier watch`: what 20 saved searches add to a sync that brings 1%
//! new files (each sync against the same sync with no saved search, in the same run), and
//! the CPU time `dossier watch` uses while nothing changes.
//!
//! cargo bench --bench watch
//!
//! DOSSIER_BENCH_CORPUS names the folder of texts (default: ../shared/corpus beside the
//! repository); DOSSIER_BENCH_IDLE_SECONDS how long to watch an idle folder (default 60).
//! Targets: under 20% more time for the sync; under 0.1 s of CPU for a minute idle.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dossier::index::{self, DossierIndex, SyncOptions};
use dossier::watchlist::{SavedSearch, Watchlist};

/// What a newsroom follows: phrases, words, groups, exclusions and filters.
const SAVED: [(&str, &str, &[&str]); 20] = [
    ("reserve", "\"strategic reserve\"", &[]),
    ("minerals", "\"critical minerals\"", &[]),
    ("rights", "\"human rights\"", &[]),
    ("nuclear", "nuclear weapons", &[]),
    ("climate", "\"climate change\"", &[]),
    ("sanctions", "sanctions -Iran", &[]),
    ("refugees", "refugees OR asylum", &[]),
    ("terror", "terroris*", &[]),
    ("trade", "\"free trade\" agreement", &[]),
    ("japan", "security", &["JP"]),
    ("china", "\"South China Sea\"", &[]),
    ("ukraine", "Ukraine", &[]),
    ("oil", "oil prices", &[]),
    ("vaccines", "vaccine*", &[]),
    ("debt", "\"debt relief\"", &[]),
    ("water", "water scarcity", &[]),
    ("cyber", "cyber*", &[]),
    ("peace", "\"peace process\"", &["IL"]),
    ("famine", "famine OR hunger", &[]),
    ("elections", "\"free and fair elections\"", &[]),
];

/// Syncs of a tenth of a second vary by a quarter from one to the next: the median of
/// several rounds is the figure.
const ROUNDS: usize = 7;

fn main() {
    dossier::disable_huge_pages();
    let corpus = common::corpus();
    if !corpus.is_dir() {
        println!(
            "no corpus at {}; set DOSSIER_BENCH_CORPUS",
            corpus.display()
        );
        return;
    }
    let idle_seconds: u64 = common::env_number("DOSSIER_BENCH_IDLE_SECONDS", 60);
    let work = tempfile::tempdir().expect("temporary folder");
    let texts = work.path().join("texts");
    let held = work.path().join("held back");
    fs::create_dir_all(&texts).expect("texts folder");
    fs::create_dir_all(&held).expect("held-back folder");
    // Every 100th file is held back: the batch that arrives.
    let sources = common::corpus_texts(&corpus);
    let mut batch = Vec::new();
    for (i, source) in sources.iter().enumerate() {
        let extension = source.extension().unwrap_or_default().to_string_lossy();
        let name = format!("document {i:05}.{extension}");
        let folder = if i % 100 == 50 { &held } else { &texts };
        fs::copy(source, folder.join(&name)).expect("copy a file");
        if i % 100 == 50 {
            batch.push(name);
        }
    }
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let options = SyncOptions {
        threads,
        ..SyncOptions::new(vec![texts.clone()])
    };
    let base = work.path().join("base index");
    let started = Instant::now();
    index::sync(&base, &options, &common::Silent).expect("sync runs");
    println!(
        "{} files indexed in {:.1} s; a batch of {} files ({:.1}%) arrives",
        sources.len() - batch.len(),
        started.elapsed().as_secs_f64(),
        batch.len(),
        batch.len() as f64 * 100.0 / sources.len() as f64
    );

    println!("\nsync of the batch        plain    20 saved   extra   new passages reported");
    let mut ratios = Vec::new();
    for round in 1..=ROUNDS {
        let plain = sync_batch(work.path(), &base, &texts, &held, &batch, &options, false);
        let watched = sync_batch(work.path(), &base, &texts, &held, &batch, &options, true);
        let ratio = watched.0.as_secs_f64() / plain.0.as_secs_f64();
        ratios.push(ratio);
        println!(
            "round {round}              {:>6.2} s   {:>6.2} s   {:>+5.1}%   {}",
            plain.0.as_secs_f64(),
            watched.0.as_secs_f64(),
            (ratio - 1.0) * 100.0,
            watched.1
        );
    }
    ratios.sort_by(f64::total_cmp);
    println!(
        "median extra time of 20 saved searches: {:+.1}% (target: under +20%)",
        (ratios[ROUNDS / 2] - 1.0) * 100.0
    );

    idle_cpu(work.path(), &base, &texts, idle_seconds);
}

/// Syncs the held-back batch into a copy of the base index, with the 20 saved searches or
/// none; the sync's wall time and the new passages it reported.
fn sync_batch(
    work: &Path,
    base: &Path,
    texts: &Path,
    held: &Path,
    batch: &[String],
    options: &SyncOptions,
    saved: bool,
) -> (Duration, usize) {
    let dir = work.join("index");
    let _ = fs::remove_dir_all(&dir);
    copy_folder(base, &dir);
    if saved {
        let index = DossierIndex::open(&dir).expect("index opens");
        let mut watchlist = Watchlist::load(&dir).expect("watchlist");
        for (name, query, countries) in SAVED {
            let search = SavedSearch {
                name: name.into(),
                query: query.into(),
                countries: countries.iter().map(|c| c.to_string()).collect(),
                orgs: Vec::new(),
                issuers: Vec::new(),
                since: None,
                until: None,
                include_undated: false,
                saved_at: 0,
                seen: 0,
            };
            watchlist.add(&index, search).expect("a valid saved search");
        }
        watchlist.save(&dir).expect("watchlist saved");
    }
    for name in batch {
        fs::copy(held.join(name), texts.join(name)).expect("copy a file");
    }
    let started = Instant::now();
    let report = index::sync(&dir, options, &common::Silent).expect("sync runs");
    let wall = started.elapsed();
    assert_eq!(report.added, batch.len(), "the batch is added");
    for name in batch {
        fs::remove_file(texts.join(name)).expect("take the batch back");
    }
    (wall, report.new_matches.iter().map(|m| m.passages).sum())
}

fn copy_folder(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("index copy");
    for entry in fs::read_dir(from).expect("index folder") {
        let entry = entry.expect("index file");
        if entry.file_type().expect("file type").is_dir() {
            copy_folder(&entry.path(), &to.join(entry.file_name()));
        } else {
            fs::copy(entry.path(), to.join(entry.file_name())).expect("copy an index file");
        }
    }
}

/// Runs `dossier watch` on the corpus folder with nothing changing, and prints the CPU
/// time it used over `seconds`, after its first sync.
fn idle_cpu(work: &Path, base: &Path, texts: &Path, seconds: u64) {
    let dir = work.join("index");
    let _ = fs::remove_dir_all(&dir);
    copy_folder(base, &dir);
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .arg("watch")
        .arg(texts)
        .arg("--index")
        .arg(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dossier watch starts");
    // The first sync (nothing to do) is over once it has said its summary, after any
    // warnings about files it skipped.
    let stderr = std::io::BufReader::new(child.stderr.take().expect("stderr"));
    let mut lines = std::io::BufRead::lines(stderr);
    while !lines
        .next()
        .expect("a summary")
        .expect("stderr")
        .contains(" unchanged in ")
    {}
    let before = cpu_seconds(child.id());
    std::thread::sleep(Duration::from_secs(seconds));
    let after = cpu_seconds(child.id());
    let _ = child.kill();
    let _ = child.wait();
    println!(
        "\n`dossier watch` on {} files, idle for {seconds} s: {:.3} s of CPU (target: under 0.1 s a minute)",
        common::corpus_texts(texts).len(),
        after - before
    );
}

/// User and system CPU time of process `pid` so far, from /proc (Linux).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = fs::read_to_string(PathBuf::from(format!("/proc/{pid}/stat"))).expect("proc stat");
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat[stat.rfind(')').expect("command") + 2..]
        .split(' ')
        .collect();
    let ticks: u64 =
        fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime");
    // SAFETY: sysconf reads a constant of the system.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    ticks as f64 / per_second
}
