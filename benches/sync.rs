//! `dossier index` at newsroom scale: the whole corpus from scratch, an unchanged re-run,
//! and a re-run after touching 1% of the files, each with throughput, wall time, peak
//! memory and index size. With DOSSIER_BENCH_COPIES=4 the corpus is indexed four times
//! under new names, to show that peak memory does not grow with the corpus.
//!
//! cargo bench --bench sync
//!
//! DOSSIER_BENCH_CORPUS names the folder of texts (default: ../shared/corpus beside the
//! repository); DOSSIER_BENCH_COPIES how many copies of it to index (default 1).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dossier::index::{self, DossierIndex, SyncOptions, SyncReport};

fn main() {
    dossier::disable_huge_pages();
    let corpus = common::corpus();
    let copies: usize = common::env_number("DOSSIER_BENCH_COPIES", 1);
    if !corpus.is_dir() {
        println!(
            "no corpus at {}; set DOSSIER_BENCH_CORPUS",
            corpus.display()
        );
        return;
    }
    let work = tempfile::tempdir().expect("temporary folder");
    let texts = work.path().join("texts");
    let files = copy_corpus(&corpus, &texts, copies);
    let bytes: u64 = files
        .iter()
        .filter_map(|f| f.metadata().ok())
        .map(|m| m.len())
        .sum();
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    println!(
        "{} files, {:.1} MB ({copies} cop{} of {}), {threads} threads",
        files.len(),
        bytes as f64 / 1e6,
        if copies == 1 { "y" } else { "ies" },
        corpus.display()
    );
    let index_dir = work.path().join("index");
    let options = SyncOptions {
        threads,
        ..SyncOptions::new(vec![texts.clone()])
    };
    println!("\nrun                 MB/s     wall  peak heap   peak RSS   index/text   report");
    let run = |name: &str| {
        reset_peak_memory();
        let sampler = HeapSampler::start();
        let started = Instant::now();
        let report = index::sync(&index_dir, &options, &common::Silent).expect("sync runs");
        let wall = started.elapsed();
        let heap = sampler.stop();
        print_row(
            name,
            &report,
            wall,
            heap,
            bytes,
            common::folder_bytes(&index_dir),
        );
    };
    run("from scratch");
    run("unchanged");
    for file in files.iter().step_by(100) {
        let mut text = fs::read_to_string(file).unwrap_or_default();
        text.push_str("\n\nA paragraph added by the benchmark, so that this file has changed.\n");
        fs::write(file, text).expect("touch a file");
    }
    run("1% changed");
    let index = DossierIndex::open(&index_dir).expect("index opens");
    let stats = index::stats(&index).expect("stats");
    println!(
        "\n{} documents, {} passages, {} segments",
        stats.documents, stats.passages, stats.segments
    );
}

fn print_row(
    name: &str,
    report: &SyncReport,
    wall: Duration,
    heap: u64,
    bytes: u64,
    index_bytes: u64,
) {
    println!(
        "{name:<16} {:>8.1} {:>7.2}s {:>7.0} MB {:>7.0} MB {:>12.2}   {}",
        bytes as f64 / 1e6 / wall.as_secs_f64(),
        wall.as_secs_f64(),
        heap as f64 / 1e6,
        peak_memory_bytes() as f64 / 1e6,
        index_bytes as f64 / bytes as f64,
        report.summary()
    );
}

/// The resident size of anonymous memory (the heap, not the index files tantivy maps, which
/// the kernel can drop at will), sampled every 20 ms: Linux keeps no peak of it.
struct HeapSampler {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<u64>,
}

impl HeapSampler {
    fn start() -> HeapSampler {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stopped = std::sync::Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let mut peak = 0;
            while !stopped.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(status_kb("RssAnon:") * 1024);
                std::thread::sleep(Duration::from_millis(20));
            }
            peak
        });
        HeapSampler { stop, thread }
    }

    fn stop(self) -> u64 {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread.join().unwrap_or(0)
    }
}

fn status_kb(field: &str) -> u64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .unwrap_or(0)
}

/// Linux resets the peak resident size of a process when asked through `clear_refs`.
fn reset_peak_memory() {
    let _ = fs::write("/proc/self/clear_refs", "5");
}

/// Peak resident memory since the last reset (VmHWM), or 0 where it cannot be read.
fn peak_memory_bytes() -> u64 {
    status_kb("VmHWM:") * 1024
}

/// Copies every `.txt` and `.xml` file of `corpus` into `target`, `copies` times under new
/// names (names with spaces, as real corpora have).
fn copy_corpus(corpus: &Path, target: &Path, copies: usize) -> Vec<PathBuf> {
    let sources = common::corpus_texts(corpus);
    let mut copied = Vec::new();
    for copy in 0..copies {
        let folder = target.join(format!("copy {copy}"));
        fs::create_dir_all(&folder).expect("copy folder");
        for (i, source) in sources.iter().enumerate() {
            let extension = source.extension().unwrap_or_default().to_string_lossy();
            let name = folder.join(format!("document {i:05}.{extension}"));
            fs::copy(source, &name).expect("copy a file");
            copied.push(name);
        }
    }
    copied
}
