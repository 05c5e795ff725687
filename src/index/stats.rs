//! `dossier stats`: what an index holds.

use serde::Serialize;
use std::collections::{HashMap, HashSet};

use super::{DossierIndex, Root};
use crate::error::{Error, Result};

/// How many countries `dossier stats` lists.
const TOP_COUNTRIES: usize = 10;

#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub documents: u64,
    pub passages: u64,
    pub segments: usize,
    /// Bytes of the index on disk.
    pub bytes: u64,
    pub dated_documents: u64,
    /// First day of the earliest document date, `YYYY-MM-DD`.
    pub earliest: Option<String>,
    /// First day of the latest document date, `YYYY-MM-DD`.
    pub latest: Option<String>,
    /// Alpha-2 codes with how many documents name them, most first.
    pub countries: Vec<(String, u64)>,
    /// Seconds since the Unix epoch.
    pub last_sync: u64,
    /// Each with the metadata files and name patterns given for it.
    pub roots: Vec<Root>,
}

/// Counts what `index` holds, reading each document's first live passage once.
pub fn stats(index: &DossierIndex) -> Result<Stats> {
    let searcher = index.searcher()?;
    let tantivy_error = |error| Error::Tantivy {
        dir: index.dir.clone(),
        error,
    };
    let mut seen = HashSet::new();
    let (mut earliest, mut latest, mut dated) = (u64::MAX, 0, 0);
    let mut countries: HashMap<String, u64> = HashMap::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let doc_ids = fast.u64("doc_id").map_err(tantivy_error)?;
        let dates = fast.u64("date_first").map_err(tantivy_error)?;
        let codes = fast.str("countries").map_err(tantivy_error)?;
        let mut code = String::new();
        for doc in segment.doc_ids_alive() {
            let Some(doc_id) = doc_ids.first(doc) else {
                continue;
            };
            if !seen.insert(doc_id) {
                continue;
            }
            if let Some(date) = dates.first(doc) {
                dated += 1;
                earliest = earliest.min(date);
                latest = latest.max(date);
            }
            let Some(codes) = &codes else { continue };
            for ord in codes.term_ords(doc) {
                code.clear();
                if codes.ord_to_str(ord, &mut code).unwrap_or(false) {
                    *countries.entry(code.clone()).or_default() += 1;
                }
            }
        }
    }
    let mut countries: Vec<(String, u64)> = countries.into_iter().collect();
    countries.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    countries.truncate(TOP_COUNTRIES);
    let bytes = std::fs::read_dir(&index.dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0);
    let state = index.state();
    let day = |yyyymmdd: u64| {
        format!(
            "{:04}-{:02}-{:02}",
            yyyymmdd / 10_000,
            yyyymmdd / 100 % 100,
            yyyymmdd % 100
        )
    };
    Ok(Stats {
        documents: seen.len() as u64,
        passages: searcher.num_docs(),
        segments: searcher.segment_readers().len(),
        bytes,
        dated_documents: dated,
        earliest: (dated > 0).then(|| day(earliest)),
        latest: (dated > 0).then(|| day(latest)),
        countries,
        last_sync: state.last_sync,
        roots: state.roots.clone(),
    })
}
