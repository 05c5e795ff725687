//! Document dates on TempEval-3, from title and text only, with the document creation
//! time kept aside as the answer: a wrong date is worse than none.

use std::fs;
use std::path::Path;

use dossier::tagging::{self, dates::PartialDate};

use crate::{parse_xml, read};

pub fn run(dir: &Path, quiet: bool) {
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
        let xml = read(path);
        let document = parse_xml(path, &xml);
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
