//! Measures dossier's tags against gold data made by others.
//!
//! cargo run --release --example evaluate -- countries [EVAL_DIR]
//! cargo run --release --example evaluate -- dates [EVAL_DIR]
//! cargo run --release --example evaluate -- ranking [EVAL_DIR] [--quiet]
//! cargo run --release --example evaluate -- all [EVAL_DIR] [--quiet] [--mentions]
//!
//! EVAL_DIR defaults to ../shared/eval beside the repository. `countries` scores country
//! tagging on the TR-News and LGL geoparsing corpora: the gold countries of an article are
//! its toponyms whose GeoNames feature code is a country (PCL*), demonyms included.
//! `dates` dates the TempEval-3 documents from their title and text, with the document
//! creation time kept aside as the answer. Every document-level error is listed unless
//! --quiet, with what the annotators made of the span where they annotated it ("gold: ADM1
//! England"); --mentions lists the mention-level errors too. `ranking` indexes the SciFact
//! and Vaswani test collections with dossier's own sync and searches them with its default
//! ranking (see ranking.rs).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use dossier::tagging::gazetteer::{gazetteer, Entity};
use dossier::tagging::{self, dates::PartialDate};

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
            countries(&eval_dir.join("geoparsing").join(corpus), quiet, mentions);
        }
    }
    if matches!(what, "dates" | "all") {
        dates(&eval_dir.join("tempeval3"), quiet);
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

struct GoldMention {
    start: usize,
    end: usize,
    code: &'static str,
}

fn child_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    node.children()
        .find(|c| c.has_tag_name(name))
        .and_then(|c| c.text())
        .map(str::trim)
}

fn countries(path: &Path, quiet: bool, mentions: bool) {
    let xml = fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("failed to read {}: {e}", path.display()));
    let document = roxmltree::Document::parse(&xml)
        .unwrap_or_else(|e| panic!("failed to parse {}: {e}", path.display()));
    let gazetteer = gazetteer();
    let name = path.file_stem().unwrap().to_string_lossy();
    let (mut doc_tp, mut doc_fp, mut doc_fn) = (0, 0, 0);
    let (mut strict_tp, mut strict_fp, mut strict_fn) = (0, 0, 0);
    let (mut men_tp, mut men_fp, mut men_fn) = (0, 0, 0);
    let mut articles = 0;
    let mut unresolved = BTreeSet::new();
    let mut errors = Vec::new();
    let mut mention_errors = Vec::new();
    for article in document.descendants().filter(|n| n.has_tag_name("article")) {
        articles += 1;
        let id = article.attribute("docid").unwrap_or("?");
        let text = article
            .children()
            .find(|c| c.has_tag_name("text"))
            .and_then(|t| t.text())
            .unwrap_or_default();
        let mut gold = Vec::new();
        // Every annotated toponym, whatever its feature code, to show what the annotators
        // made of a span dossier tags ("ADM1 England", "PPLC London").
        let mut annotated: Vec<(usize, usize, String)> = Vec::new();
        for toponym in article.descendants().filter(|n| n.has_tag_name("toponym")) {
            let number = |tag| child_text(toponym, tag).and_then(|v| v.parse::<usize>().ok());
            let gaztag = toponym.children().find(|c| c.has_tag_name("gaztag"));
            if let (Some(start), Some(end)) = (number("start"), number("end")) {
                let label = gaztag.map_or_else(
                    || "unresolved".to_string(),
                    |g| {
                        format!(
                            "{} {}",
                            child_text(g, "fcode").unwrap_or("?"),
                            child_text(g, "name").unwrap_or("?")
                        )
                    },
                );
                annotated.push((start, end, label));
            }
            let Some(gaztag) = gaztag else {
                continue;
            };
            let fcode = child_text(gaztag, "fcode").unwrap_or_default();
            if !fcode.starts_with("PCL") {
                continue;
            }
            let country = child_text(gaztag, "country")
                .or_else(|| child_text(gaztag, "name"))
                .unwrap_or_default();
            let Some(code) = gazetteer.resolve_country(country) else {
                unresolved.insert(country.to_string());
                continue;
            };
            if let (Some(start), Some(end)) = (number("start"), number("end")) {
                gold.push(GoldMention { start, end, code });
            }
        }

        // Gold offsets count characters; dossier's spans count bytes.
        let char_offset = |byte: usize| text[..byte].chars().count();
        let all_mentions = tagging::country_mentions(text);
        // The stricter policy weighed against dossier's: a country named only once, and
        // only by a demonym ("Italian politics"), would not count.
        let lone_demonyms: BTreeSet<&str> = {
            let countries = all_mentions.iter().filter_map(|m| match m.entity {
                Entity::Country(code) => Some((code, m.demonym)),
                Entity::Organisation(_) => None,
            });
            let countries: Vec<(&str, bool)> = countries.collect();
            countries
                .iter()
                .filter(|(code, demonym)| {
                    *demonym && countries.iter().filter(|(c, _)| c == code).count() == 1
                })
                .map(|(code, _)| *code)
                .collect()
        };
        let ours: Vec<GoldMention> = all_mentions
            .into_iter()
            .filter_map(|m| match m.entity {
                Entity::Country(code) => Some(GoldMention {
                    start: char_offset(m.span.start),
                    end: char_offset(m.span.end),
                    code,
                }),
                Entity::Organisation(_) => None,
            })
            .collect();
        let overlaps = |a: &GoldMention, b: &GoldMention| {
            a.code == b.code && a.start < b.end && b.start < a.end
        };
        // The mention with a little of the text around it, so an error can be read.
        let snippet = |m: &GoldMention| {
            let before: String = text
                .chars()
                .take(m.start)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .take(30)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let words: String = text.chars().skip(m.start).take(m.end - m.start).collect();
            let after: String = text.chars().skip(m.end).take(30).collect();
            let note = annotated
                .iter()
                .find(|(start, end, _)| *start < m.end && m.start < *end)
                .map_or_else(String::new, |(_, _, label)| format!(" (gold: {label})"));
            format!(
                "…{}[{words}]{}…{note}",
                before.replace('\n', " "),
                after.replace('\n', " ")
            )
        };
        for mention in &ours {
            if gold.iter().any(|g| overlaps(g, mention)) {
                men_tp += 1;
            } else {
                men_fp += 1;
                mention_errors.push(format!(
                    "  mention fp {id} {}: {}",
                    mention.code,
                    snippet(mention)
                ));
            }
        }
        for mention in &gold {
            if !ours.iter().any(|o| overlaps(o, mention)) {
                men_fn += 1;
                mention_errors.push(format!(
                    "  mention fn {id} {}: {}",
                    mention.code,
                    snippet(mention)
                ));
            }
        }

        let gold_codes: BTreeSet<&str> = gold.iter().map(|g| g.code).collect();
        let our_codes: BTreeSet<&str> = ours.iter().map(|o| o.code).collect();
        doc_tp += gold_codes.intersection(&our_codes).count();
        let strict_codes: BTreeSet<&str> = our_codes.difference(&lone_demonyms).copied().collect();
        strict_tp += gold_codes.intersection(&strict_codes).count();
        strict_fp += strict_codes.difference(&gold_codes).count();
        strict_fn += gold_codes.difference(&strict_codes).count();
        for code in our_codes.difference(&gold_codes) {
            doc_fp += 1;
            let words: BTreeSet<String> = ours
                .iter()
                .filter(|o| o.code == *code)
                .map(snippet)
                .collect();
            errors.push(format!(
                "  fp {id} {code}: {}",
                words.into_iter().collect::<Vec<_>>().join(" | ")
            ));
        }
        for code in gold_codes.difference(&our_codes) {
            doc_fn += 1;
            let words: BTreeSet<String> = gold
                .iter()
                .filter(|g| g.code == *code)
                .map(snippet)
                .collect();
            errors.push(format!(
                "  fn {id} {code}: {}",
                words.into_iter().collect::<Vec<_>>().join(" | ")
            ));
        }
    }
    println!("countries on {name} ({articles} articles)");
    println!("  document level: {}", scores(doc_tp, doc_fp, doc_fn));
    println!("  mention level:  {}", scores(men_tp, men_fp, men_fn));
    println!(
        "  document level without countries named once, by a demonym: {}",
        scores(strict_tp, strict_fp, strict_fn)
    );
    if !unresolved.is_empty() {
        println!("  gold country names dossier cannot resolve: {unresolved:?}");
    }
    if !quiet {
        for error in errors {
            println!("{error}");
        }
    }
    if mentions {
        for error in mention_errors {
            println!("{error}");
        }
    }
}

fn dates(dir: &Path, quiet: bool) {
    let mut files = Vec::new();
    for sub in [
        "te3-platinum",
        "TBAQ-cleaned/TimeBank",
        "TBAQ-cleaned/AQUAINT",
    ] {
        let Ok(entries) = fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for entry in entries.flatten() {
            if entry.path().extension().is_some_and(|e| e == "tml") {
                files.push(entry.path());
            }
        }
    }
    files.sort();
    let (mut dated, mut right, mut consistent, mut wrong) = (0, 0, 0, 0);
    let mut errors = Vec::new();
    for path in &files {
        let xml = fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("failed to read {}: {e}", path.display()));
        let document = roxmltree::Document::parse(&xml)
            .unwrap_or_else(|e| panic!("failed to parse {}: {e}", path.display()));
        let root = document.root_element();
        let dct = root
            .descendants()
            .find(|n| n.has_tag_name("DCT"))
            .and_then(|d| d.descendants().find(|n| n.has_tag_name("TIMEX3")))
            .and_then(|t| t.attribute("value"))
            .and_then(|v| PartialDate::parse_iso(&v[..v.len().min(10)]).ok());
        let Some(dct) = dct else { continue };
        let text_of = |name: &str| {
            root.children()
                .find(|n| n.has_tag_name(name))
                .map(|n| n.descendants().filter_map(|d| d.text()).collect::<String>())
                .unwrap_or_default()
        };
        // The title and the text only: the DCT, the DOCID and the file name are the answer.
        let text = format!("{}\n\n{}", text_of("TITLE").trim(), text_of("TEXT").trim());
        let header = tagging::header(&text);
        let tags = tagging::tag(&text, &header, Path::new("document.txt"), None);
        let Some(date) = tags.date else { continue };
        dated += 1;
        let name = path.file_name().unwrap().to_string_lossy();
        if date.date == dct {
            right += 1;
        } else if date.date.first_day() <= dct.first_day() && dct.last_day() <= date.date.last_day()
        {
            consistent += 1;
            errors.push(format!(
                "  coarse {name}: {} ({}) for {dct}",
                date.date,
                date.source.as_str()
            ));
        } else {
            wrong += 1;
            errors.push(format!(
                "  wrong {name}: {} ({}) for {dct}",
                date.date,
                date.source.as_str()
            ));
        }
    }
    println!("dates on TempEval-3 ({} documents)", files.len());
    println!(
        "  dated {dated}: right {right}, right but coarser {consistent}, wrong {wrong}; undated {}",
        files.len() - dated
    );
    if !quiet {
        for error in errors {
            println!("{error}");
        }
    }
}
