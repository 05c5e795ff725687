//! Measures dossier's tags against gold data made by others.
//!
//! cargo run --release --example evaluate -- countries [EVAL_DIR]
//! cargo run --release --example evaluate -- dates [EVAL_DIR]
//! cargo run --release --example evaluate -- ranking [EVAL_DIR] [--quiet]
//! cargo run --release --example evaluate -- pdf [EVAL_DIR] [--quiet]
//! cargo run --release --example evaluate -- all [EVAL_DIR] [--quiet] [--mentions]
//!
//! EVAL_DIR defaults to ../shared/eval beside the repository. `countries` scores country
//! tagging on the TR-News and LGL geoparsing corpora: the gold countries of an article are
//! its toponyms whose GeoNames feature code is a country (PCL*), demonyms included; and on
//! GeoWebNews, whose toponyms have a pragmatic type instead, by the types that name a
//! country (see countries.rs), with two more lines that count other types.
//! `dates` dates the TempEval-3 documents from their title and text, with the document
//! creation time kept aside as the answer. Every document-level error is listed unless
//! --quiet, with what the annotators made of the span where they annotated it ("gold: ADM1
//! England"); --mentions lists the mention-level errors too. `ranking` indexes the SciFact
//! and Vaswani test collections with dossier's own sync and searches them with its default
//! ranking (see ranking.rs). `pdf` scores the text extracted from the PDFs of the shared
//! document set, beside EVAL_DIR in `../documents` (see pdf.rs).

use std::fs;
use std::path::{Path, PathBuf};

mod countries;
mod dates;
mod pdf;
mod ranking;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quiet = args.iter().any(|a| a == "--quiet");
    let mentions = args.iter().any(|a| a == "--mentions");
    let positional: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let what = positional.first().map_or("all", |s| s.as_str());
    let eval_dir = positional
        .get(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval"));
    if !eval_dir.is_dir() {
        eprintln!("no evaluation data at {}", eval_dir.display());
        std::process::exit(2);
    }
    if matches!(what, "countries" | "all") {
        for corpus in ["TR-News/TR-News.xml", "LGL/LGL.xml"] {
            countries::countries(&eval_dir.join("geoparsing").join(corpus), quiet, mentions);
        }
        countries::geowebnews(&eval_dir, quiet, mentions);
    }
    if matches!(what, "dates" | "all") {
        dates::run(&eval_dir.join("tempeval3"), quiet);
    }
    if matches!(what, "pdf" | "all") {
        pdf::run(&eval_dir.join("../documents"), quiet);
    }
    if matches!(what, "ranking" | "all") {
        if let Err(error) = ranking::run(&eval_dir, quiet) {
            eprintln!("ranking evaluation failed: {error:#}");
            std::process::exit(2);
        }
    }
}

/// Precision, recall and F1 from counts of true positives, false positives and false
/// negatives.
fn scores(tp: usize, fp: usize, fn_: usize) -> String {
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    let f1 = 2.0 * precision * recall / (precision + recall).max(f64::EPSILON);
    format!(
        "precision {precision:.3}  recall {recall:.3}  F1 {f1:.3}  (tp {tp}, fp {fp}, fn {fn_})"
    )
}

fn parse_xml<'a>(path: &Path, xml: &'a str) -> roxmltree::Document<'a> {
    roxmltree::Document::parse(xml)
        .unwrap_or_else(|e| panic!("failed to parse {}: {e}", path.display()))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("failed to read {}: {e}", path.display()))
}
