//! What counting every match costs a one-shot search: `dossier search QUERY --count-by
//! year` against the same search without counts, both as a user runs them (a new process
//! each time, on an installed copy of the binary), interleaved in one run.
//!
//! cargo bench --bench counts
//!
//! DOSSIER_BENCH_CORPUS names the folder of texts (default: ../shared/corpus beside the
//! repository), DOSSIER_BENCH_ROUNDS the runs of each command (default 40).

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use dossier::index::{self, SyncOptions};

const QUERIES: [&str; 2] = ["\"united nations\"", "\"strategic reserve\""];

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
    let rounds: usize = common::env_number("DOSSIER_BENCH_ROUNDS", 40);
    let work = tempfile::tempdir().expect("temporary folder");
    let index_dir = work.path().join("index");
    let started = Instant::now();
    let options = SyncOptions {
        threads: std::thread::available_parallelism().map_or(1, usize::from),
        ..SyncOptions::new(vec![corpus.clone()])
    };
    index::sync(&index_dir, &options, &common::Silent).expect("dossier indexes the corpus");
    println!(
        "indexed {} in {:.1} s",
        corpus.display(),
        started.elapsed().as_secs_f64()
    );
    // A copy, as `cargo install` makes: a binary the linker has just written starts slower.
    let binary = work.path().join("dossier");
    std::fs::copy(env!("CARGO_BIN_EXE_dossier"), &binary).expect("copy of dossier");

    println!("\none-shot search, {rounds} runs each    plain p50   counted p50   ratio");
    for query in QUERIES {
        let plain = [query];
        let counted = [query, "--count-by", "year"];
        let (mut plain_times, mut counted_times) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            plain_times.push(run(&binary, &index_dir, &plain));
            counted_times.push(run(&binary, &index_dir, &counted));
        }
        let (plain, counted) = (median(plain_times), median(counted_times));
        println!(
            "{query:<34} {:>9.2}   {:>11.2}   {:>5.2}x",
            ms(plain),
            ms(counted),
            counted.as_secs_f64() / plain.as_secs_f64()
        );
    }
}

/// The wall time of one `dossier search ARGS`, its output discarded.
fn run(binary: &Path, index_dir: &Path, args: &[&str]) -> Duration {
    let started = Instant::now();
    let status = Command::new(binary)
        .arg("search")
        .arg("--index")
        .arg(index_dir)
        .args(args)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("dossier runs");
    let elapsed = started.elapsed();
    assert!(status.success(), "dossier search {args:?} failed");
    elapsed
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
