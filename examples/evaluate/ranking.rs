//! Ranking quality on test collections with relevance judgments made by others.
//!
//! Each collection document is written as a text file the way a user's file would look
//! (title on the first line, a blank line, then the text), the folder is indexed with the
//! same sync as `dossier index`, and each query is run through the same search as
//! `dossier search`, with default settings, as the user would type it. The ranked
//! documents are scored with trec_eval's definitions: nDCG@10 (graded gains, linear) and
//! MAP over at most 1000 retrieved documents, averaged over the judged queries.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use anyhow::{bail, Context, Result};

use dossier::index::{self, DossierIndex, Observer, SyncOptions};
use dossier::search::{self, SearchRequest};

/// How many documents MAP looks at, as trec_eval does by default.
const MAP_DEPTH: usize = 1000;
/// What `dossier search` shows by default, and what nDCG@10 scores.
const SHOWN: usize = 10;

struct Collection {
    name: &'static str,
    /// (id, file text)
    documents: Vec<(String, String)>,
    /// (id, text), judged queries only.
    queries: Vec<(String, String)>,
    /// Query id to document id to grade.
    qrels: HashMap<String, HashMap<String, u32>>,
}

pub fn run(eval_dir: &Path, quiet: bool) -> Result<()> {
    for collection in [
        scifact(&eval_dir.join("scifact"))?,
        vaswani(&eval_dir.join("vaswani"))?,
    ] {
        evaluate(&collection, quiet)?;
    }
    Ok(())
}

fn scifact(dir: &Path) -> Result<Collection> {
    let mut qrels: HashMap<String, HashMap<String, u32>> = HashMap::new();
    let tsv = read(&dir.join("qrels/test.tsv"))?;
    for line in tsv.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [query, doc, grade] = fields[..] else {
            continue;
        };
        qrels
            .entry(query.to_string())
            .or_default()
            .insert(doc.to_string(), grade.trim().parse()?);
    }
    let mut documents = Vec::new();
    for line in read(&dir.join("corpus.jsonl"))?.lines() {
        let doc: serde_json::Value = serde_json::from_str(line)?;
        let field = |name: &str| doc[name].as_str().unwrap_or_default().trim().to_string();
        documents.push((
            field("_id"),
            format!("{}\n\n{}\n", field("title"), field("text")),
        ));
    }
    let mut queries = Vec::new();
    for line in read(&dir.join("queries.jsonl"))?.lines() {
        let query: serde_json::Value = serde_json::from_str(line)?;
        let id = query["_id"].as_str().unwrap_or_default().to_string();
        if qrels.contains_key(&id) {
            let text = query["text"].as_str().unwrap_or_default().to_string();
            queries.push((id, text));
        }
    }
    Ok(Collection {
        name: "SciFact",
        documents,
        queries,
        qrels,
    })
}

/// The text between `<tag>` and `</tag>`, for each occurrence.
fn elements<'a>(text: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    text.split(&open)
        .skip(1)
        .filter_map(|rest| rest.split_once(&close).map(|(inside, _)| inside))
        .collect()
}

fn vaswani(dir: &Path) -> Result<Collection> {
    let mut qrels: HashMap<String, HashMap<String, u32>> = HashMap::new();
    for line in read(&dir.join("qrels"))?.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [query, _, doc, grade] = fields[..] else {
            continue;
        };
        qrels
            .entry(query.to_string())
            .or_default()
            .insert(doc.to_string(), grade.parse()?);
    }
    // The abstracts have no title: the file is the text as it stands.
    let corpus = read(&dir.join("corpus/doc-text.trec"))?;
    let documents = elements(&corpus, "DOC")
        .into_iter()
        .filter_map(|doc| {
            let (_, rest) = doc.split_once("<DOCNO>")?;
            let (id, text) = rest.split_once("</DOCNO>")?;
            Some((id.trim().to_string(), format!("{}\n", text.trim())))
        })
        .collect();
    let topics = read(&dir.join("query-text.trec"))?;
    let queries = elements(&topics, "top")
        .into_iter()
        .filter_map(|top| {
            let id = elements(top, "num").first()?.trim().to_string();
            let text = elements(top, "title").first()?.trim().to_string();
            qrels.contains_key(&id).then_some((id, text))
        })
        .collect();
    Ok(Collection {
        name: "Vaswani",
        documents,
        queries,
        qrels,
    })
}

fn read(path: &Path) -> Result<String> {
    fs::read_to_string(path).with_context(|| format!("failed to read {}", path.display()))
}

struct Quiet;

impl Observer for Quiet {
    fn warn(&self, path: &Path, message: &str) {
        eprintln!("{}: {message}", path.display());
    }
}

fn evaluate(collection: &Collection, quiet: bool) -> Result<()> {
    let work = tempfile::tempdir()?;
    let files = work.path().join(collection.name.to_lowercase());
    fs::create_dir(&files)?;
    for (id, text) in &collection.documents {
        fs::write(files.join(format!("{id}.txt")), text)?;
    }
    let index_dir = work.path().join("index");
    let report = index::sync(&index_dir, &SyncOptions::new(vec![files]), &Quiet)?;
    if report.added != collection.documents.len() {
        bail!(
            "{}: indexed {} of {} documents",
            collection.name,
            report.added,
            collection.documents.len()
        );
    }
    let index = DossierIndex::open(&index_dir)?;

    let (mut ndcg, mut ap, mut recall) = (0.0, 0.0, 0.0);
    let (mut failed, mut partial) = (Vec::new(), 0);
    for (id, text) in &collection.queries {
        let judged = &collection.qrels[id];
        // What the user sees by default, and the deeper list a recall measure needs.
        let (shown, deep) = match (ranked(&index, text, SHOWN), ranked(&index, text, MAP_DEPTH)) {
            (Ok((shown, was_partial)), Ok((deep, _))) => {
                partial += usize::from(was_partial);
                (shown, deep)
            }
            (Err(error), _) | (_, Err(error)) => {
                failed.push(format!("  query {id} {text:?}: {error}"));
                (Vec::new(), Vec::new())
            }
        };
        ndcg += ndcg_at(&shown, judged, SHOWN);
        ap += average_precision(&deep, judged);
        let relevant = judged.values().filter(|&&g| g > 0).count().max(1);
        let found = deep
            .iter()
            .filter(|d| judged.get(*d).is_some_and(|&g| g > 0))
            .count();
        recall += found as f64 / relevant as f64;
    }
    let n = collection.queries.len().max(1) as f64;
    println!(
        "ranking on {} ({} documents, {} queries)",
        collection.name,
        collection.documents.len(),
        collection.queries.len()
    );
    println!(
        "  nDCG@10 {:.4}  MAP {:.4}  recall@{MAP_DEPTH} {:.4}  ({partial} queries fell back to partial matches, {} failed)",
        ndcg / n,
        ap / n,
        recall / n,
        failed.len()
    );
    if !quiet {
        for line in failed {
            println!("{line}");
        }
    }
    Ok(())
}

/// Document ids (file stems) in the order dossier ranks them, and whether the search fell
/// back to partial matches.
fn ranked(index: &DossierIndex, query: &str, limit: usize) -> dossier::Result<(Vec<String>, bool)> {
    let request = SearchRequest {
        limit,
        ..SearchRequest::new(query)
    };
    let results = search::search(index, &request)?;
    let ids = results
        .documents
        .iter()
        .map(|d| {
            d.path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    Ok((ids, results.partial.is_some()))
}

/// trec_eval's ndcg_cut: gain is the grade, discount log2(rank + 1), normalised by the
/// ideal ordering of the judged documents.
fn ndcg_at(ranked: &[String], judged: &HashMap<String, u32>, k: usize) -> f64 {
    let discount = |rank: usize| (rank as f64 + 2.0).log2();
    let dcg: f64 = ranked
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, d)| f64::from(judged.get(d).copied().unwrap_or(0)) / discount(i))
        .sum();
    let mut ideal: Vec<u32> = judged.values().copied().filter(|&g| g > 0).collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, &g)| f64::from(g) / discount(i))
        .sum();
    if idcg > 0.0 {
        dcg / idcg
    } else {
        0.0
    }
}

/// trec_eval's map: precision at each relevant document retrieved, over all relevant ones.
fn average_precision(ranked: &[String], judged: &HashMap<String, u32>) -> f64 {
    let relevant = judged.values().filter(|&&g| g > 0).count();
    if relevant == 0 {
        return 0.0;
    }
    let mut found = 0;
    let mut sum = 0.0;
    for (i, doc) in ranked.iter().take(MAP_DEPTH).enumerate() {
        if judged.get(doc).is_some_and(|&g| g > 0) {
            found += 1;
            sum += found as f64 / (i + 1) as f64;
        }
    }
    sum / relevant as f64
}
