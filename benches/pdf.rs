//! PDF indexing against its engine alone: `dossier index` over the real and generated PDFs
//! of the shared document set, beside `pdftotext` extracting the same files one after
//! another (what dossier adds to the engine), and Recoll's `recollindex` when installed
//! (Debian `recollcmd`; it reads PDFs with the same `pdftotext`). Then a resync of the
//! unchanged files, which must extract nothing. Prints pages per second, wall and CPU time
//! (CPU of every process, the engine's included) and the ratios.
//!
//! cargo bench --bench pdf
//!
//! DOSSIER_BENCH_DOCUMENTS  the document set (default: ../shared/documents beside the repository)
//! DOSSIER_BENCH_ROUNDS     rounds, the best of which is shown (default 3)

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Wall and CPU time of a piece of work done by child processes.
#[derive(Clone, Copy)]
struct Cost {
    wall: Duration,
    cpu: Duration,
}

/// CPU time of every child process waited for so far (and of theirs).
fn children_cpu() -> Duration {
    // SAFETY: rusage is plain data; getrusage only writes it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

fn measure(work: impl FnOnce()) -> Cost {
    let cpu = children_cpu();
    let started = Instant::now();
    work();
    Cost {
        wall: started.elapsed(),
        cpu: children_cpu() - cpu,
    }
}

fn best(rounds: usize, mut work: impl FnMut() -> Cost) -> Cost {
    (0..rounds)
        .map(|_| work())
        .min_by_key(|cost| cost.wall)
        .expect("at least one round")
}

fn pdfs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
        .collect();
    files.sort();
    files
}

/// Runs `pdftotext` on each file in turn; the pages it gave (form feeds).
fn pdftotext_alone(files: &[PathBuf]) -> usize {
    let mut pages = 0;
    for file in files {
        let mut child = Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(file)
            .arg("-")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("pdftotext is installed (scripts/install-deps)");
        let mut text = Vec::new();
        child
            .stdout
            .take()
            .expect("piped")
            .read_to_end(&mut text)
            .expect("read");
        child.wait().expect("wait");
        pages += text.iter().filter(|&&b| b == b'\x0c').count();
    }
    pages
}

fn dossier_index(index: &Path, roots: &[PathBuf], rebuild: bool) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dossier"));
    command
        .arg("index")
        .arg("--quiet")
        .arg("--index")
        .arg(index);
    if rebuild {
        command.arg("--rebuild");
    }
    let status = command
        .args(roots)
        .stderr(Stdio::null())
        .status()
        .expect("dossier runs");
    assert!(status.success(), "dossier index failed");
}

fn recoll(dir: &Path, roots: &[PathBuf]) -> Option<Cost> {
    let found = Command::new("recollindex").arg("-h").output().is_ok();
    if !found {
        return None;
    }
    let config = dir.join("recoll");
    let _ = std::fs::remove_dir_all(&config);
    std::fs::create_dir_all(&config).expect("recoll folder");
    let topdirs: Vec<String> = roots
        .iter()
        .map(|r| format!("\"{}\"", r.display()))
        .collect();
    std::fs::write(
        config.join("recoll.conf"),
        format!(
            "topdirs = {}\nnoaspell = 1\nloglevel = 1\n",
            topdirs.join(" ")
        ),
    )
    .expect("recoll.conf");
    Some(measure(|| {
        let _ = Command::new("recollindex")
            .arg("-c")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }))
}

fn main() {
    let documents = std::env::var_os("DOSSIER_BENCH_DOCUMENTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/documents"));
    let rounds: usize = std::env::var("DOSSIER_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let roots = [documents.join("pdf"), documents.join("generated/pdf")];
    let files: Vec<PathBuf> = roots.iter().flat_map(|r| pdfs(r)).collect();
    let work = tempfile::tempdir().expect("temporary folder");
    let index = work.path().join("index");

    let mut pages = 0;
    let alone = best(rounds, || measure(|| pages = pdftotext_alone(&files)));
    // A rebuild reads the extraction cache: it is emptied before each round, so every
    // round extracts every file.
    let indexing = best(rounds, || {
        let _ = std::fs::remove_dir_all(&index);
        measure(|| dossier_index(&index, &roots, false))
    });
    let resync = best(rounds, || measure(|| dossier_index(&index, &roots, false)));
    let rebuild = best(rounds, || measure(|| dossier_index(&index, &roots, true)));
    let recoll = recoll(work.path(), &roots);

    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let secs = |d: Duration| d.as_secs_f64();
    let row = |name: &str, cost: Cost| {
        println!(
            "{name:<44} wall {:>7.3} s  cpu {:>7.3} s  {:>6.0} pages/s  cpu/wall {:.2}",
            secs(cost.wall),
            secs(cost.cpu),
            pages as f64 / secs(cost.wall),
            secs(cost.cpu) / secs(cost.wall)
        )
    };
    println!(
        "{} PDFs, {pages} pages, {cores} cores, best of {rounds}",
        files.len()
    );
    row("pdftotext alone, one file after another", alone);
    row("dossier index (extract, tag, split, index)", indexing);
    row("dossier index again, nothing changed", resync);
    row("dossier index --rebuild (extracted texts cached)", rebuild);
    match recoll {
        Some(cost) => row("recollindex", cost),
        None => println!("recollindex: not installed (Debian recollcmd), skipped"),
    }
    println!(
        "indexing CPU / pdftotext CPU: {:.2}; pdftotext wall / indexing wall: {:.2}",
        secs(indexing.cpu) / secs(alone.cpu),
        secs(alone.wall) / secs(indexing.wall)
    );
    if let Some(cost) = recoll {
        println!(
            "recollindex wall / dossier wall: {:.2}",
            secs(cost.wall) / secs(indexing.wall)
        );
    }
}
