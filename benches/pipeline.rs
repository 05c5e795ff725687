//! Indexing throughput and search latency of dossier, against raw tantivy on the same
//! files in the same run: whole documents, tantivy's default analyzer, no tagging, no
//! passages, and tantivy's own snippets. Only the ratios travel between machines.
//!
//! cargo bench --bench pipeline
//!
//! DOSSIER_BENCH_CORPUS names the folder of texts (default: ../shared/corpus beside the
//! repository), DOSSIER_BENCH_MB how many megabytes of it to use (default 32).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dossier::index::{self, DossierIndex, SyncOptions};
use dossier::search::{self, SearchRequest};
use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, TantivyDocument};

const QUERIES: [&str; 5] = [
    "\"strategic reserve\"",
    "\"united nations\"",
    "critical minerals supply",
    "climate financ*",
    "unobtainium",
];
const ROUNDS: usize = 20;

fn main() {
    dossier::disable_huge_pages();
    let corpus = common::corpus();
    let megabytes: u64 = common::env_number("DOSSIER_BENCH_MB", 32);
    let work = tempfile::tempdir().expect("temporary folder");
    let sample = work.path().join("sample");
    let bytes = copy_sample(&corpus, &sample, megabytes * 1_000_000);
    if bytes == 0 {
        println!(
            "no .txt files under {}; set DOSSIER_BENCH_CORPUS",
            corpus.display()
        );
        return;
    }
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let mb = bytes as f64 / 1e6;
    println!(
        "sample: {mb:.1} MB of text from {}, {threads} threads",
        corpus.display()
    );

    let dossier_dir = work.path().join("dossier-index");
    let started = Instant::now();
    let options = SyncOptions {
        threads,
        ..SyncOptions::new(vec![sample.clone()])
    };
    index::sync(&dossier_dir, &options, &common::Silent).expect("dossier indexes the sample");
    let dossier_time = started.elapsed();

    let baseline_dir = work.path().join("tantivy-index");
    let started = Instant::now();
    let baseline = index_baseline(&sample, &baseline_dir, threads);
    let baseline_time = started.elapsed();

    let started = Instant::now();
    index::sync(&dossier_dir, &options, &common::Silent).expect("dossier re-syncs the sample");
    let resync_time = started.elapsed();

    println!("\nindexing              MB/s   seconds   index/text");
    let row = |name: &str, time: Duration, dir: &Path| {
        println!(
            "{name:<18} {:>7.1} {:>9.2} {:>12.2}",
            mb / time.as_secs_f64(),
            time.as_secs_f64(),
            common::folder_bytes(dir) as f64 / bytes as f64
        );
    };
    row("dossier", dossier_time, &dossier_dir);
    row("raw tantivy", baseline_time, &baseline_dir);
    println!(
        "dossier / raw tantivy throughput: {:.2}x; unchanged re-sync: {:.3} s ({:.1}% of a full index)",
        baseline_time.as_secs_f64() / dossier_time.as_secs_f64(),
        resync_time.as_secs_f64(),
        100.0 * resync_time.as_secs_f64() / dossier_time.as_secs_f64()
    );

    let dossier_index = DossierIndex::open(&dossier_dir).expect("dossier index opens");
    println!(
        "\nsearch (warm, {ROUNDS} rounds)      dossier p50    p95   raw p50    p95   ratio p50"
    );
    for query in QUERIES {
        let request = SearchRequest::new(query);
        let ours = time_rounds(|| {
            search::search(&dossier_index, &request).expect("query runs");
        });
        let theirs = time_rounds(|| baseline.search(query));
        println!(
            "{query:<32} {:>9.2} {:>6.2} {:>9.2} {:>6.2} {:>10.2}",
            ms(ours.0),
            ms(ours.1),
            ms(theirs.0),
            ms(theirs.1),
            ours.0.as_secs_f64() / theirs.0.as_secs_f64()
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Median and 95th percentile of `ROUNDS` runs, after one warm-up.
fn time_rounds(mut run: impl FnMut()) -> (Duration, Duration) {
    run();
    let mut times: Vec<Duration> = (0..ROUNDS)
        .map(|_| {
            let started = Instant::now();
            run();
            started.elapsed()
        })
        .collect();
    times.sort();
    (
        times[ROUNDS / 2],
        times[(ROUNDS * 95 / 100).min(ROUNDS - 1)],
    )
}

/// Copies `.txt` files from `corpus` into `sample` until `limit` bytes, spreading the
/// choice over the whole corpus so every kind of document is in it.
fn copy_sample(corpus: &Path, sample: &Path, limit: u64) -> u64 {
    let mut files: Vec<PathBuf> = common::corpus_texts(corpus)
        .into_iter()
        .filter(|path| path.extension().is_some_and(|x| x == "txt"))
        .collect();
    let total: u64 = files
        .iter()
        .filter_map(|f| f.metadata().ok())
        .map(|m| m.len())
        .sum();
    let step = (total / limit.max(1)).max(1) as usize;
    files = files.into_iter().step_by(step).collect();
    fs::create_dir_all(sample).expect("sample folder");
    let mut copied = 0;
    for (i, file) in files.iter().enumerate() {
        if copied >= limit {
            break;
        }
        let target = sample.join(format!("{i:05}.txt"));
        copied += fs::copy(file, target).unwrap_or(0);
    }
    copied
}

struct Baseline {
    index: Index,
    reader: tantivy::IndexReader,
    body: tantivy::schema::Field,
}

impl Baseline {
    fn search(&self, query: &str) {
        let searcher = self.reader.searcher();
        let parser = QueryParser::for_index(&self.index, vec![self.body]);
        let query = parser.parse_query(query).expect("baseline parses");
        let top = searcher
            .search(&query, &TopDocs::with_limit(10).order_by_score())
            .expect("baseline searches");
        let snippets = SnippetGenerator::create(&searcher, &*query, self.body).expect("snippets");
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address).expect("stored");
            std::hint::black_box(snippets.snippet_from_doc(&doc).to_html());
        }
    }
}

fn index_baseline(sample: &Path, dir: &Path, threads: usize) -> Baseline {
    let index = common::raw_tantivy_index(sample, dir, threads);
    let body = index.schema().get_field("body").expect("body field");
    let reader = index.reader().expect("reader");
    Baseline {
        index,
        reader,
        body,
    }
}
