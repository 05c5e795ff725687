//! `dossier serve` under load, on the index of the whole corpus, over loopback: the latency
//! of the search page and of `/api/search` (both with facets) for the six benchmark
//! queries, searches a second with 8 clients at once, and the server's memory after 10,000
//! searches against after the first 100. Then the cost to the command line: the one-shot
//! `dossier search` of this build against a baseline binary, interleaved.
//!
//! cargo bench --bench serve
//!
//! DOSSIER_BENCH_CORPUS   the folder of texts (default: ../shared/corpus beside the repository)
//! DOSSIER_BENCH_INDEX    an index of it to use instead of building one
//! DOSSIER_BENCH_BASELINE a `dossier` binary built without the server (reading the same index
//!                        format), for the CLI comparison
//! DOSSIER_BENCH_REPORT=1 write the figures into BENCHMARKS.md (between its serve markers)

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use dossier::index::{self, SyncOptions};

/// The queries of BENCHMARKS.md, as addresses of the page.
const QUERIES: [(&str, &str); 6] = [
    ("\"strategic reserve\"", "q=%22strategic+reserve%22"),
    ("\"united nations\"", "q=%22united+nations%22"),
    ("critical minerals supply", "q=critical+minerals+supply"),
    (
        "climate finance --country JP --since 2000",
        "q=climate+finance&country=JP&since=2000",
    ),
    ("stockpil*", "q=stockpil*"),
    ("unobtainium", "q=unobtainium"),
];
const CLIENTS: usize = 8;

fn main() {
    dossier::disable_huge_pages();
    let corpus = common::corpus();
    let work = tempfile::tempdir().expect("temporary folder");
    let index_dir = match std::env::var_os("DOSSIER_BENCH_INDEX") {
        Some(dir) => PathBuf::from(dir),
        None => {
            if !corpus.is_dir() {
                println!(
                    "no corpus at {}; set DOSSIER_BENCH_CORPUS",
                    corpus.display()
                );
                return;
            }
            let dir = work.path().join("index");
            let started = Instant::now();
            let options = SyncOptions {
                threads: std::thread::available_parallelism().map_or(1, usize::from),
                ..SyncOptions::new(vec![corpus.clone()])
            };
            index::sync(&dir, &options, &common::Silent).expect("dossier indexes the corpus");
            println!(
                "indexed {} in {:.1} s",
                corpus.display(),
                started.elapsed().as_secs_f64()
            );
            dir
        }
    };
    let rounds: usize = common::env_number("DOSSIER_BENCH_ROUNDS", 50);
    let binary = work.path().join("dossier");
    std::fs::copy(env!("CARGO_BIN_EXE_dossier"), &binary).expect("copy of dossier");

    let started = Instant::now();
    let mut server = Server::start(&binary, &index_dir);
    let start_up = started.elapsed();
    println!("server listening after {:.0} ms", ms(start_up));
    let mut report = Vec::new();
    report.push(format!(
        "Server start on the corpus index: {:.0} ms to the printed address.\n",
        ms(start_up)
    ));

    // The first 100 searches, as the load below makes them: the memory that 10,000 are
    // compared with. (Every thread that searches has its allocator's heap by then.)
    let done = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    load(server.port, &done, 100, &errors);
    let memory_after_100 = server.memory();
    let mut client = Client::connect(server.port);

    // Latency: one client, keep-alive, each query warmed up once.
    let mut rows = Vec::new();
    let (mut page_all, mut api_all) = (Vec::new(), Vec::new());
    for (name, query) in QUERIES {
        client.get(&format!("/?{query}"));
        client.get(&format!("/api/search?{query}"));
        let (mut page, mut api) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            page.push(client.timed(&format!("/?{query}")));
            api.push(client.timed(&format!("/api/search?{query}")));
        }
        page_all.extend(&page);
        api_all.extend(&api);
        rows.push(format!(
            "| `{name}` | {:.2} | {:.2} | {:.2} | {:.2} |",
            ms(percentile(&mut page, 50)),
            ms(percentile(&mut page, 99)),
            ms(percentile(&mut api, 50)),
            ms(percentile(&mut api, 99)),
        ));
    }
    report.push(format!(
        "Latency, one client over loopback, {rounds} requests a query and route after a warm-up \
         (ms; the page and `/api/search` both count matches by year, country, issuer and organisation):\n"
    ));
    report.push("| query | page p50 | page p99 | API p50 | API p99 |".into());
    report.push("|---|---|---|---|---|".into());
    report.extend(rows);
    report.push(format!(
        "| all six | {:.2} | {:.2} | {:.2} | {:.2} |\n",
        ms(percentile(&mut page_all, 50)),
        ms(percentile(&mut page_all, 99)),
        ms(percentile(&mut api_all, 50)),
        ms(percentile(&mut api_all, 99)),
    ));

    // Throughput: 8 clients at once, each on its own connection, until 10,000 searches
    // (the first 100 and the latency runs above count towards them).
    done.fetch_add(
        2 * rounds * QUERIES.len() + 2 * QUERIES.len(),
        Ordering::Relaxed,
    );
    let started = Instant::now();
    let base = done.load(Ordering::Relaxed);
    load(server.port, &done, 10_000, &errors);
    let elapsed = started.elapsed();
    let served = 10_000usize.saturating_sub(base);
    let per_second = served as f64 / elapsed.as_secs_f64();
    let memory_after_10k = server.memory();
    report.push(format!(
        "{CLIENTS} clients at once, the six queries in turn on the page and the API: \
         {per_second:.0} searches a second ({served} in {:.1} s), {} errors.\n",
        elapsed.as_secs_f64(),
        errors.load(Ordering::Relaxed)
    ));
    report.push(format!(
        "Server memory, its own (resident, anonymous: the heap and stacks): {:.1} MB after the first \
         100 searches, {:.1} MB after 10,000 ({:.2}x). With the index files it has read (resident, \
         file-backed: pages of the index in the page cache, shared and reclaimable): {:.0} MB and {:.0} MB.\n",
        memory_after_100.anonymous as f64 / 1024.0,
        memory_after_10k.anonymous as f64 / 1024.0,
        memory_after_10k.anonymous as f64 / memory_after_100.anonymous.max(1) as f64,
        memory_after_100.file as f64 / 1024.0,
        memory_after_10k.file as f64 / 1024.0,
    ));
    server.stop();

    // The command line: this build against a baseline, one-shot, interleaved.
    if let Some(baseline) = std::env::var_os("DOSSIER_BENCH_BASELINE") {
        let baseline_copy = work.path().join("dossier-baseline");
        std::fs::copy(&baseline, &baseline_copy).expect("copy of the baseline");
        let (mut now, mut before) = (Vec::new(), Vec::new());
        for _ in 0..40 {
            now.push(one_shot(&binary, &index_dir));
            before.push(one_shot(&baseline_copy, &index_dir));
        }
        let size = |path: &Path| std::fs::metadata(path).map_or(0, |m| m.len()) as f64 / 1e6;
        let (now, before) = (percentile(&mut now, 50), percentile(&mut before, 50));
        report.push(format!(
            "One-shot `dossier search '\"strategic reserve\"'` (40 runs each, interleaved): \
             {:.2} ms with the server built in, {:.2} ms without ({:.2}x); binary {:.1} MB against {:.1} MB \
             (release profile).\n",
            ms(now),
            ms(before),
            now.as_secs_f64() / before.as_secs_f64(),
            size(&binary),
            size(&baseline_copy),
        ));
    }

    let markdown = report.join("\n");
    println!("\n{markdown}");
    if std::env::var_os("DOSSIER_BENCH_REPORT").is_some_and(|v| v != "0") {
        write_report(&markdown);
    }
}

/// Searches from 8 clients at once, each on its own connection, the six queries in turn on
/// the page and the API, until `done` reaches `until`; a status other than 200 is an error.
fn load(port: u16, done: &Arc<AtomicUsize>, until: usize, errors: &Arc<AtomicUsize>) {
    let workers: Vec<_> = (0..CLIENTS)
        .map(|worker| {
            let (done, errors) = (Arc::clone(done), Arc::clone(errors));
            std::thread::spawn(move || {
                let mut client = Client::connect(port);
                let mut i = worker;
                while done.fetch_add(1, Ordering::Relaxed) < until {
                    let query = QUERIES[i % QUERIES.len()].1;
                    let target = if i % 2 == 0 {
                        format!("/api/search?{query}")
                    } else {
                        format!("/?{query}")
                    };
                    if client.get(&target) != 200 {
                        errors.fetch_add(1, Ordering::Relaxed);
                    }
                    i += 1;
                }
                // The increment that ended the loop was not a search.
                done.fetch_sub(1, Ordering::Relaxed);
            })
        })
        .collect();
    for worker in workers {
        worker.join().expect("client thread");
    }
}

/// Replaces the section between the serve markers of BENCHMARKS.md (the peers benchmark
/// keeps it when it rewrites the file).
fn write_report(markdown: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("BENCHMARKS.md");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let (start, end) = ("<!-- serve:start -->", "<!-- serve:end -->");
    let section = format!(
        "{start}\n## The search page (`dossier serve`)\n\nMeasured by `cargo bench --bench serve` on {}.\n\n{markdown}\n{end}",
        machine()
    );
    let text = match (text.find(start), text.find(end)) {
        (Some(from), Some(to)) => format!("{}{section}{}", &text[..from], &text[to + end.len()..]),
        _ => format!("{}\n{section}\n", text.trim_end()),
    };
    std::fs::write(&path, text).expect("write BENCHMARKS.md");
    println!("written: {}", path.display());
}

/// When, where and at what load the figures were taken.
fn machine() -> String {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load = load.split_whitespace().next().unwrap_or("unknown");
    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!("{date}, {cores} cores, load average {load} at the end, dossier at commit {commit}")
}

fn one_shot(binary: &Path, index_dir: &Path) -> Duration {
    let started = Instant::now();
    let status = Command::new(binary)
        .args(["search", "\"strategic reserve\"", "--index"])
        .arg(index_dir)
        .stdout(Stdio::null())
        .status()
        .expect("dossier runs");
    assert!(status.success());
    started.elapsed()
}

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(binary: &Path, index_dir: &Path) -> Server {
        let mut child = Command::new(binary)
            .args(["serve", "--port", "0", "--index"])
            .arg(index_dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dossier serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("the address");
        let port = line
            .trim()
            .trim_end_matches('/')
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Server { child, port }
    }

    /// Resident memory in kB: the process's own, and the mapped index files'.
    fn memory(&self) -> Memory {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or(0)
        };
        Memory {
            anonymous: field("RssAnon:"),
            file: field("RssFile:"),
        }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Memory {
    anonymous: u64,
    file: u64,
}

/// One keep-alive HTTP/1.1 connection.
struct Client {
    reader: BufReader<TcpStream>,
    port: u16,
}

impl Client {
    fn connect(port: u16) -> Client {
        let stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Client {
            reader: BufReader::new(stream),
            port,
        }
    }

    /// The status of a GET, its body read in full.
    fn get(&mut self, target: &str) -> u16 {
        let request = format!(
            "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.port
        );
        self.reader
            .get_mut()
            .write_all(request.as_bytes())
            .expect("send");
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("status line");
        let status = line.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
        let mut length = 0;
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("header");
            if line == "\r\n" || line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).expect("body");
        status
    }

    fn timed(&mut self, target: &str) -> Duration {
        let started = Instant::now();
        assert_eq!(self.get(target), 200, "{target}");
        started.elapsed()
    }
}

fn percentile(times: &mut [Duration], p: usize) -> Duration {
    times.sort();
    times[((times.len() - 1) * p) / 100]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}
