//! `pdf`: the text dossier extracts from PDFs, word by word, against the known text of
//! the generated PDFs (`generated/gold`) and against `pdftotext`'s own output on the real
//! ones (`reference/`); and the page dossier gives each known paragraph of the generated
//! PDFs whose pages are known (`*.pages.json`).

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use dossier::extract::{self, Extracted, Kind};

/// Lower-cased words: letters and digits, as a reader would compare them. Ligature
/// characters are their letters: `pdftotext`'s reference keeps them, dossier does not.
fn words(text: &str) -> Vec<String> {
    let text = text
        .replace('\u{fb00}', "ff")
        .replace('\u{fb01}', "fi")
        .replace('\u{fb02}', "fl")
        .replace('\u{fb03}', "ffi")
        .replace('\u{fb04}', "ffl");
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Words in common (as multisets), words extracted, words expected.
fn overlap(extracted: &str, expected: &str) -> (usize, usize, usize) {
    let mut counts: HashMap<String, isize> = HashMap::new();
    for word in words(expected) {
        *counts.entry(word).or_default() += 1;
    }
    let expected_total = counts.values().sum::<isize>() as usize;
    let (mut common, mut extracted_total) = (0, 0);
    for word in words(extracted) {
        extracted_total += 1;
        if let Some(n) = counts.get_mut(&word).filter(|n| **n > 0) {
            *n -= 1;
            common += 1;
        }
    }
    (common, extracted_total, expected_total)
}

fn ratio(a: usize, b: usize) -> f64 {
    a as f64 / b.max(1) as f64
}

fn extract(path: &Path) -> Result<Extracted, extract::ExtractError> {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("failed to read {}: {e}", path.display()));
    extract::extract(&bytes, Kind::Pdf, "", None, false)
}

pub fn run(documents: &Path, quiet: bool) {
    generated(&documents.join("generated"), quiet);
    real(documents, quiet);
}

fn generated(dir: &Path, quiet: bool) {
    let (mut common, mut extracted_total, mut expected_total) = (0, 0, 0);
    let (mut phrases, mut right_page) = (0, 0);
    let mut names: Vec<String> = fs::read_dir(dir.join("pdf"))
        .expect("generated/pdf")
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .strip_suffix(".pdf")
                .map(str::to_string)
        })
        .collect();
    names.sort();
    for name in names {
        let gold =
            fs::read_to_string(dir.join("gold").join(format!("{name}.txt"))).expect("gold text");
        let extracted = extract(&dir.join("pdf").join(format!("{name}.pdf")))
            .expect("generated PDFs are readable");
        let (c, x, e) = overlap(&extracted.text, &gold);
        (common, extracted_total, expected_total) =
            (common + c, extracted_total + x, expected_total + e);
        if !quiet {
            println!(
                "  {name:<36} recall {:.3}  precision {:.3}",
                ratio(c, e),
                ratio(c, x)
            );
        }
        let pages_json = dir.join("gold").join(format!("{name}.pages.json"));
        if let Ok(json) = fs::read_to_string(&pages_json) {
            let pages: Vec<String> = serde_json::from_str(&json).expect("a list of page texts");
            let (n, right) = pages_right(&extracted, &pages);
            (phrases, right_page) = (phrases + n, right_page + right);
            if !quiet {
                println!("  {name:<36} phrases on the right page {right}/{n}");
            }
        }
    }
    println!(
        "pdf generated: word recall {:.4}  precision {:.4}  (words {expected_total} expected, {extracted_total} extracted)",
        ratio(common, expected_total),
        ratio(common, extracted_total)
    );
    println!("pdf pages: {right_page}/{phrases} known phrases on the right page");
}

/// Phrases of eight words, every 25 words of each known page, found in the extracted
/// text: how many, and how many on their page.
fn pages_right(extracted: &Extracted, pages: &[String]) -> (usize, usize) {
    let Some(layout) = &extracted.pages else {
        return (0, 0);
    };
    // The extracted words with the byte where each starts.
    let mut found: Vec<(usize, String)> = Vec::new();
    let text = &extracted.text;
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                found.push((s, text[s..i].to_lowercase()));
                start = None;
            }
            _ => {}
        }
    }
    let (mut phrases, mut right) = (0, 0);
    for (page, known) in pages.iter().enumerate() {
        let known = words(known);
        for at in (0..known.len().saturating_sub(8)).step_by(25) {
            let phrase = &known[at..at + 8];
            phrases += 1;
            let hit = found
                .windows(8)
                .find(|w| w.iter().zip(phrase).all(|((_, a), b)| a == b));
            if hit.is_some_and(|w| layout.page_of(w[0].0) == page + 1) {
                right += 1;
            }
        }
    }
    (phrases, right)
}

fn real(documents: &Path, quiet: bool) {
    let (mut common, mut extracted_total, mut expected_total) = (0, 0, 0);
    let mut low = Vec::new();
    let mut names: Vec<String> = fs::read_dir(documents.join("reference"))
        .expect("reference/")
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .strip_suffix(".txt")
                .map(str::to_string)
        })
        .collect();
    names.sort();
    for name in names {
        let reference = fs::read_to_string(documents.join("reference").join(format!("{name}.txt")))
            .expect("reference text");
        if words(&reference).is_empty() {
            continue; // a scan or a font without a Unicode map: nothing to compare
        }
        let text = match extract(&documents.join("pdf").join(format!("{name}.pdf"))) {
            Ok(extracted) => extracted.text,
            Err(e) => {
                println!("  {name:<44} not read: {e}");
                String::new()
            }
        };
        let (c, x, e) = overlap(&text, &reference);
        (common, extracted_total, expected_total) =
            (common + c, extracted_total + x, expected_total + e);
        let (recall, precision) = (ratio(c, e), ratio(c, x));
        let f1 = 2.0 * recall * precision / (recall + precision).max(f64::EPSILON);
        if f1 < 0.9 {
            low.push(format!("{name} ({f1:.3})"));
        }
        if !quiet {
            println!("  {name:<44} recall {recall:.3}  precision {precision:.3}  F1 {f1:.3}");
        }
    }
    let (recall, precision) = (
        ratio(common, expected_total),
        ratio(common, extracted_total),
    );
    let f1 = 2.0 * recall * precision / (recall + precision).max(f64::EPSILON);
    println!("pdf real vs pdftotext: recall {recall:.4}  precision {precision:.4}  F1 {f1:.4}");
    if !low.is_empty() {
        println!("pdf real files below F1 0.9: {}", low.join(", "));
    }
}
