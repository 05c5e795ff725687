//! The `dossier` binary, run as a user runs it, on temporary copies of the seeds.

use std::fs;
use std::path::PathBuf;
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

mod common;
use common::{stderr, stdout};

const S000: &str = "seeds/000_bf12a9a2493fb5c7.txt";
const S001: &str = "seeds/001_f9da1645063f16ec.txt";
const S002: &str = "seeds/002_8561ccffd2a1f250.txt";
const S003: &str = "seeds/003_c0b26d69ac4a28f7.txt";
const S004: &str = "seeds/004_115e3896a9ec782d.txt";

/// A folder holding `seeds/` (a copy of the seeds) where `dossier` runs.
struct Workspace {
    dir: TempDir,
}

impl Workspace {
    fn new() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        common::copy_seeds(dir.path());
        Workspace { dir }
    }

    /// A workspace whose default index already holds the seeds.
    fn indexed() -> Workspace {
        let workspace = Workspace::new();
        let out = workspace.run(&["index"]);
        assert!(out.status.success(), "{}", stderr(&out));
        workspace
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn command(&self) -> Command {
        common::dossier(self.dir.path())
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).output().unwrap()
    }

    /// `dossier search --json ARGS`, parsed, with the exit code.
    fn search_json(&self, args: &[&str]) -> (Vec<Value>, i32) {
        let out = self
            .command()
            .arg("search")
            .arg("--json")
            .args(args)
            .output()
            .unwrap();
        let hits = stdout(&out)
            .lines()
            .map(|line| serde_json::from_str(line).expect("each line is JSON"))
            .collect();
        (hits, out.status.code().unwrap())
    }
}

/// `(path, line)` of each hit.
fn locators(hits: &[Value]) -> Vec<(String, u64)> {
    hits.iter()
        .map(|h| {
            (
                h["doc"]["path"].as_str().unwrap().to_string(),
                h["passage"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn paths(hits: &[Value]) -> Vec<String> {
    let mut paths: Vec<String> = locators(hits).into_iter().map(|(p, _)| p).collect();
    paths.dedup();
    paths
}

/// The highlighted substrings of a hit's passage.
fn highlighted(hit: &Value) -> Vec<String> {
    let text = hit["passage"]["text"].as_str().unwrap();
    hit["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|span| {
            let (start, end) = (
                span[0].as_u64().unwrap() as usize,
                span[1].as_u64().unwrap() as usize,
            );
            text[start..end].to_string()
        })
        .collect()
}

#[test]
fn the_first_search_indexes_the_seeds() {
    let workspace = Workspace::new();
    let out = workspace.run(&["search", "strategic reserve"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "no index yet in index/: indexing seeds/ first\n"
    );
    let text = stdout(&out);
    assert!(text.starts_with("1. "), "{text}");
    assert!(
        text.contains(&format!(
            "   2026-03-06 · Australia, Canada · G7\n   {S000}:21:119\n"
        )),
        "{text}"
    );
    let last = text.lines().last().unwrap();
    assert!(
        last.starts_with("5 passages from 4 of 5 documents in "),
        "{last}"
    );
    assert!(last.ends_with(" ms"), "{last}");

    // The second search finds the index and says nothing on stderr.
    let again = workspace.run(&["search", "strategic reserve"]);
    assert_eq!(stderr(&again), "");
}

#[test]
fn a_phrase_finds_exactly_the_passages_holding_it() {
    let workspace = Workspace::indexed();
    let (hits, code) = workspace.search_json(&[r#""strategic reserve""#, "--per-doc", "5"]);
    assert_eq!(code, 0);
    let mut found = locators(&hits);
    found.sort();
    assert_eq!(
        found,
        [
            (S000.to_string(), 9),
            (S000.to_string(), 21),
            (S003.to_string(), 39)
        ]
    );
    for hit in &hits {
        assert_eq!(highlighted(hit), ["Strategic Reserve"], "{hit}");
    }
}

#[test]
fn highlights_are_byte_offsets_into_the_passage_and_the_file() {
    let workspace = Workspace::indexed();
    let (hits, _) = workspace.search_json(&[r#""strategic reserve""#, "--per-doc", "5"]);
    for hit in &hits {
        let file =
            fs::read_to_string(workspace.path(hit["doc"]["path"].as_str().unwrap())).unwrap();
        let (start, end) = (
            hit["passage"]["start"].as_u64().unwrap() as usize,
            hit["passage"]["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&file[start..end], hit["passage"]["text"].as_str().unwrap());
        let line = file[..start].matches('\n').count() as u64 + 1;
        assert_eq!(line, hit["passage"]["line"].as_u64().unwrap());
    }
}

#[test]
fn words_side_by_side_outrank_words_apart() {
    let workspace = Workspace::indexed();
    let (hits, _) = workspace.search_json(&["strategic reserve", "--per-doc", "10"]);
    let score_of = |path: &str, line: u64| {
        hits.iter()
            .find(|h| h["doc"]["path"] == path && h["passage"]["line"] == line)
            .unwrap_or_else(|| panic!("no hit at {path}:{line}"))["score"]
            .as_f64()
            .unwrap()
    };
    // 004's passage has "strategic" and "reserves" in different sentences.
    let apart = hits
        .iter()
        .find(|h| h["doc"]["path"] == S004)
        .expect("004 matches the words")["score"]
        .as_f64()
        .unwrap();
    for (path, line) in [(S000, 9), (S000, 21), (S003, 39)] {
        assert!(score_of(path, line) > apart, "{path}:{line}");
    }
    assert_eq!(&paths(&hits)[..2], [S000, S003]);
}

#[test]
fn country_filter_by_code_or_name() {
    let workspace = Workspace::indexed();
    for country in ["JP", "jpn", "Japan"] {
        let (hits, code) = workspace.search_json(&["critical minerals", "--country", country]);
        assert_eq!(code, 0);
        assert_eq!(paths(&hits), [S003], "{country}");
    }
    let out = workspace.run(&["search", "minerals", "--country", "Narnia"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "dossier: unknown country 'Narnia' for --country; use a code such as JP or a name such as Japan\n"
    );
}

#[test]
fn date_filters_keep_dated_documents_in_range() {
    let workspace = Workspace::indexed();
    let (hits, _) =
        workspace.search_json(&["critical minerals", "--since", "2026", "--limit", "10"]);
    let mut found = paths(&hits);
    found.sort();
    assert_eq!(found, [S000, S003]);

    let (hits, _) = workspace.search_json(&["critical minerals", "--until", "2025-12"]);
    assert_eq!(paths(&hits), [S001]);

    let (hits, _) = workspace.search_json(&[
        "critical minerals",
        "--since",
        "2026-03-06",
        "--until",
        "2026-03-06",
    ]);
    assert_eq!(paths(&hits), [S000]);
}

#[test]
fn impossible_dates_are_refused() {
    let workspace = Workspace::indexed();
    let out = workspace.run(&["search", "minerals", "--since", "2025-02-30"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("'2025-02-30' is not a date: February 2025 has 28 days, not 30"),
        "{}",
        stderr(&out)
    );
    let out = workspace.run(&["search", "minerals", "--since", "2026", "--until", "2025"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "dossier: --since 2026 is after --until 2025\n"
    );
}

#[test]
fn sort_by_date_puts_undated_documents_last() {
    let workspace = Workspace::indexed();
    let (hits, _) = workspace.search_json(&["Australia", "--sort", "newest"]);
    assert_eq!(&paths(&hits)[..3], [S003, S000, S001]);
    let (hits, _) = workspace.search_json(&["Australia", "--sort", "oldest"]);
    assert_eq!(&paths(&hits)[..3], [S001, S000, S003]);
}

#[test]
fn json_hits_carry_documents_passages_and_highlights() {
    let workspace = Workspace::indexed();
    let (hits, _) = workspace.search_json(&["duplicate Canberra", "--limit", "1"]);
    assert_eq!(hits.len(), 1);
    let hit = &hits[0];
    assert_eq!(hit["rank"], 1);
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    assert_eq!(hit["doc"]["path"], S003);
    assert_eq!(
        hit["doc"]["title"],
        "Japan-Australia Joint Declaration on Economic Security Cooperation"
    );
    assert_eq!(hit["doc"]["date"], "2026-05-04");
    assert_eq!(hit["doc"]["date_source"], "signature-block");
    // Australia is named 12 times, Japan 11: "the English and Japanese languages" is not Japan.
    assert_eq!(
        hit["doc"]["countries"],
        serde_json::json!(["AU", "JP", "US"])
    );
    assert_eq!(
        hit["passage"]["line"], 67,
        "the signature block is merged into paragraph 23"
    );
    assert_eq!(highlighted(hit), ["duplicate", "Canberra"]);

    let (hits, _) = workspace.search_json(&["Aukus"]);
    assert_eq!(hits[0]["doc"]["path"], S002);
    // Its first line is a summary of 96 words; the headline is the line after it.
    assert_eq!(
        hits[0]["doc"]["title"],
        "Australia’s PM Albanese and Trump Forge Strategic Rare Earths Partnership to Strengthen Supply Chains"
    );
    assert_eq!(hits[0]["doc"]["date"], Value::Null);
    assert_eq!(
        hits[0]["doc"]["countries"],
        serde_json::json!(["AU", "US", "GB", "CN"])
    );
}

#[test]
fn the_metadata_prefix_is_not_searchable_but_its_line_is() {
    let workspace = Workspace::indexed();
    let (hits, code) = workspace.search_json(&["2025-11-05"]);
    assert_eq!((hits.len(), code), (0, 1));
    let (hits, _) = workspace.search_json(&[r#""Deepen Critical-Minerals Engagement""#]);
    assert_eq!(locators(&hits), [(S001.to_string(), 1)]);
    assert_eq!(
        hits[0]["doc"]["title"],
        "CRITICAL MINERALS U.S. and Australia Deepen Critical-Minerals Engagement to Counter China"
    );
}

#[test]
fn the_country_us_is_not_the_pronoun_us() {
    let workspace = Workspace::indexed();
    fs::write(
        workspace.path("seeds/pronoun.txt"),
        "Let us work together with all of us and for all of us, in every region and every season, \
         said the minister, adding that the partnership would serve the people of both nations well \
         for many years to come and would be reviewed each year by the ministers responsible.\n",
    )
    .unwrap();
    workspace.run(&["index"]);
    let (hits, _) = workspace.search_json(&["US", "--limit", "20"]);
    assert!(!paths(&hits).contains(&"seeds/pronoun.txt".to_string()));
    assert!(paths(&hits).contains(&S004.to_string()));
    let (hits, _) = workspace.search_json(&[r#""U.S.""#, "--limit", "20", "--per-doc", "3"]);
    let spans: Vec<String> = hits.iter().flat_map(highlighted).collect();
    assert!(spans.iter().all(|s| s == "US" || s == "U.S"), "{spans:?}");
}

#[test]
fn accents_fold_and_stems_match() {
    let workspace = Workspace::indexed();
    fs::write(
        workspace.path("seeds/zurich.md"),
        "# Zürich communiqué\n\nMinisters met in Zürich to review the reserves of rare earths and agreed \
         to publish an annual review of stockpiles, supply risks and processing capacity across the \
         partners, with a first report due before the end of the year.\n",
    )
    .unwrap();
    workspace.run(&["index"]);
    let (hits, _) = workspace.search_json(&["Zurich reserve"]);
    assert_eq!(paths(&hits), ["seeds/zurich.md"]);
    // The heading is merged into the paragraph after it, so both Zürichs are in the passage.
    assert_eq!(highlighted(&hits[0]), ["Zürich", "Zürich", "reserves"]);
    assert_eq!(hits[0]["doc"]["title"], "Zürich communiqué");
}

#[test]
fn exclusions_remove_passages_and_are_never_highlighted() {
    let workspace = Workspace::indexed();
    let (hits, _) = workspace.search_json(&[r#""strategic reserve" -Canada"#, "--per-doc", "5"]);
    assert_eq!(locators(&hits), [(S003.to_string(), 39)]);
    let (hits, _) = workspace.search_json(&["reserve -bank"]);
    for hit in &hits {
        assert!(!highlighted(hit)
            .iter()
            .any(|s| s.eq_ignore_ascii_case("bank")));
    }
}

#[test]
fn or_prefix_and_proximity() {
    let workspace = Workspace::indexed();
    let (hits, _) = workspace.search_json(&["Hiroshima OR Carney", "--limit", "10"]);
    let mut found = paths(&hits);
    found.sort();
    assert_eq!(found, [S000, S003]);

    let (hits, _) = workspace.search_json(&["stockpil*", "--per-doc", "5"]);
    let spans: Vec<String> = hits.iter().flat_map(highlighted).collect();
    assert!(
        spans.contains(&"Stockpiling".to_string()) && spans.contains(&"stockpiles".to_string()),
        "{spans:?}"
    );

    let (hits, _) = workspace.search_json(&[r#""Critical Reserve"~2"#, "--per-doc", "5"]);
    let spans: Vec<String> = hits.iter().flat_map(highlighted).collect();
    assert_eq!(
        spans,
        [
            "Critical Minerals Strategic Reserve",
            "Critical Minerals Strategic Reserve",
            "Critical Mineral Strategic Reserve"
        ]
    );
    let (hits, code) = workspace.search_json(&[r#""Critical Reserve"~1"#]);
    assert_eq!((hits.len(), code), (0, 1));
}

#[test]
fn when_no_passage_holds_every_word_the_fullest_are_shown() {
    let workspace = Workspace::indexed();
    let out = workspace.run(&["search", "Hiroshima unobtainium"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.starts_with("no passage holds all 2 parts of the query; showing passages that hold some of them, best first\n"),
        "{text}"
    );
    assert!(text.contains(S003));
    let (hits, _) = workspace.search_json(&["Hiroshima unobtainium"]);
    assert_eq!(
        (
            hits[0]["clauses_matched"].as_u64(),
            hits[0]["clauses"].as_u64()
        ),
        (Some(1), Some(2))
    );
}

#[test]
fn a_sentence_finds_the_passage_it_describes() {
    let workspace = Workspace::indexed();
    let sentence = "How will Australia's strategic reserve align with Canada's defence stockpiling of critical minerals?";
    // No passage holds "how" and "will": a sentence is read loosely, not as a failed AND.
    let out = workspace.run(&["search", sentence]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("1. "), "{}", stdout(&out));
    let (hits, _) = workspace.search_json(&[sentence]);
    assert_eq!(locators(&hits)[0], (S000.to_string(), 21));
    // Ten words besides the stop words "will", "with" and "of"; the best passage holds all
    // but "how", the others fewer, and each says so.
    let held: Vec<(u64, u64)> = hits
        .iter()
        .map(|h| {
            let count = |key: &str| h[key].as_u64().unwrap_or_default();
            (count("clauses_matched"), count("clauses"))
        })
        .collect();
    assert_eq!(held[0], (9, 10));
    assert!(
        held[1..].iter().all(|&(n, of)| n < 9 && of == 10),
        "{held:?}"
    );
    // Words side by side in the sentence and in the passage are one span; stop words are
    // left out of a sentence, so "of" and "with" are not highlighted.
    assert_eq!(
        highlighted(&hits[0]),
        [
            "critical minerals",
            "alignment",
            "Australia",
            "Critical Minerals",
            "Strategic Reserve",
            "Canada’s Defence Stockpiling",
            "Australia",
            "Canada",
            "Critical Minerals",
        ]
    );
}

#[test]
fn a_dash_between_words_is_not_an_exclusion() {
    let workspace = Workspace::indexed();
    let (hits, code) = workspace.search_json(&["Japan - Australia", "--limit", "10"]);
    assert_eq!(code, 0);
    assert_eq!(paths(&hits), [S003]);
}

#[test]
fn no_hits_exit_with_one() {
    let workspace = Workspace::indexed();
    let out = workspace.run(&["search", "unobtainium"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with("no passages match\n0 passages from 0 of 5 documents in "),
        "{text}"
    );
}

#[test]
fn malformed_queries_name_the_column() {
    let workspace = Workspace::indexed();
    for (query, message) in [
        (
            r#"critical minerals "strategic"#,
            "unclosed quote at column 19",
        ),
        ("(japan OR china", "unclosed parenthesis at column 1"),
        ("japan OR", "OR needs a term after it at column 7"),
        (
            "-bank",
            "the query only excludes words; add a word to search for at column 1",
        ),
        ("&", "the query has no words to search for at column 1"),
    ] {
        let out = workspace.run(&["search", query]);
        assert_eq!(out.status.code(), Some(2), "{query}");
        assert_eq!(stderr(&out), format!("dossier: {message}\n"), "{query}");
        assert_eq!(stdout(&out), "");
    }
}

#[test]
fn a_missing_index_names_the_command_that_builds_it() {
    let workspace = Workspace::new();
    let out = workspace.run(&["search", "minerals", "--index", "elsewhere"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "dossier: no dossier index at elsewhere; build one with `dossier index --index elsewhere PATH...`\n"
    );
}

#[test]
fn the_index_location_comes_from_the_environment_too() {
    let workspace = Workspace::new();
    let out = workspace
        .command()
        .env("DOSSIER_INDEX", "newsroom")
        .args(["index", "seeds"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(workspace.path("newsroom/meta.json").is_file());
    let out = workspace
        .command()
        .env("DOSSIER_INDEX", "newsroom")
        .args(["search", "Canberra"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        !workspace.path("index").exists(),
        "the default index must not be created"
    );
}

#[test]
fn a_sync_adds_changes_and_removes() {
    let workspace = Workspace::new();
    let first = workspace.run(&["index"]);
    assert!(
        stderr(&first).starts_with("5 added, 0 changed, 0 removed, 0 unchanged in "),
        "{}",
        stderr(&first)
    );

    let unchanged = workspace.run(&["index"]);
    assert!(stderr(&unchanged).starts_with("0 added, 0 changed, 0 removed, 5 unchanged in "));

    fs::create_dir(workspace.path("seeds/new")).unwrap();
    fs::write(
        workspace.path("seeds/new/statement.txt"),
        "Published 2 June 2026\n\nThe ministers of Chile and Peru agreed on a lithium framework that \
         covers exploration, processing and export, with a joint council to meet twice a year and a \
         first report on supply security due before the end of the year.\n",
    )
    .unwrap();
    fs::write(
        workspace.path(S002),
        "Canberra briefing\n\nA brief note on a lithium tender opened by Australia for new processing plants, \
         published for comment by industry groups and regional councils before the end of the month.\n",
    )
    .unwrap();
    fs::remove_file(workspace.path(S004)).unwrap();

    let sync = workspace.run(&["index"]);
    assert!(
        stderr(&sync).starts_with("1 added, 1 changed, 1 removed, 3 unchanged in "),
        "{}",
        stderr(&sync)
    );

    let (hits, _) = workspace.search_json(&["lithium", "--limit", "10"]);
    let mut found = paths(&hits);
    found.sort();
    assert_eq!(found, [S002, "seeds/new/statement.txt"]);
    let statement = hits
        .iter()
        .find(|h| h["doc"]["path"] == "seeds/new/statement.txt")
        .unwrap();
    assert_eq!(statement["doc"]["date"], "2026-06-02");
    assert_eq!(
        statement["doc"]["countries"],
        serde_json::json!(["CL", "PE"])
    );
    let (hits, _) = workspace.search_json(&["Aukus"]);
    assert!(hits.is_empty(), "the old text of 002 is gone");
    let (hits, code) = workspace.search_json(&["rare earth", "--limit", "10"]);
    assert_eq!(code, 0);
    assert!(!paths(&hits).contains(&S004.to_string()), "004 was deleted");
    let out = workspace.run(&["search", "minerals"]);
    assert!(stdout(&out)
        .lines()
        .last()
        .unwrap()
        .contains(" of 5 documents "));
}

#[test]
fn files_that_are_not_text_are_skipped_with_a_warning() {
    let workspace = Workspace::new();
    fs::write(workspace.path("seeds/empty.txt"), "").unwrap();
    fs::write(
        workspace.path("seeds/image.txt"),
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0",
    )
    .unwrap();
    let mut latin1 = b"Ministers met in Z\xfcrich and agreed a plan for the r\xe9serve of rare earths, with reviews \
        by officials from each partner, a common register of stockpiles, and an annual report to the \
        leaders on supply risks and on progress towards the goals they set."
        .to_vec();
    latin1.push(b'\n');
    fs::write(workspace.path("seeds/legacy.txt"), latin1).unwrap();
    fs::write(
        workspace.path("seeds/notes.pdf"),
        "not indexed: text named as a PDF",
    )
    .unwrap();

    let out = workspace.run(&["index"]);
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("warning: seeds/empty.txt: skipped: empty file\n"),
        "{err}"
    );
    assert!(
        err.contains("warning: seeds/image.txt: skipped: binary file\n"),
        "{err}"
    );
    assert!(
        err.contains("warning: seeds/legacy.txt: not valid UTF-8; read as windows-1252\n"),
        "{err}"
    );
    assert!(
        err.contains(
            "warning: seeds/notes.pdf: skipped: not a readable PDF (couldn't find trailer dictionary)\n"
        ),
        "{err}"
    );
    assert!(
        err.lines().last().unwrap().starts_with(
            "6 added, 0 changed, 0 removed, 0 unchanged, 3 skipped (1 binary, 1 empty, 1 malformed), 1 read as Windows-1252 in "
        ),
        "{err}"
    );
    let (hits, _) = workspace.search_json(&["Zurich"]);
    assert_eq!(paths(&hits), ["seeds/legacy.txt"]);
    assert_eq!(highlighted(&hits[0]), ["Zürich"]);
}

#[test]
fn a_missing_path_is_an_error_that_changes_nothing() {
    let workspace = Workspace::indexed();
    let out = workspace.run(&["index", "seeds", "no-such-folder"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("dossier: cannot read no-such-folder: No such file or directory"),
        "{}",
        stderr(&out)
    );
    let (hits, _) = workspace.search_json(&["Canberra"]);
    assert!(!hits.is_empty());
}

#[test]
fn an_index_being_written_is_reported_plainly() {
    let workspace = Workspace::indexed();
    let index = tantivy::Index::open_in_dir(workspace.path("index")).unwrap();
    let writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
    // What a running `dossier index` leaves to name itself.
    fs::write(workspace.path("index/dossier-writer.pid"), "4242").unwrap();
    let out = workspace.run(&["index"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "dossier: the index at index is being written by another `dossier index` (process 4242); \
         try again when it has finished, or wait for it with --wait\n"
    );
    // Searching still works while the index is locked for writing.
    let (hits, _) = workspace.search_json(&["Canberra"]);
    assert!(!hits.is_empty());

    let waiting = std::process::Command::new(assert_cmd::cargo::cargo_bin("dossier"))
        .current_dir(workspace.dir.path())
        .args(["index", "--wait"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    drop(writer);
    let out = waiting.wait_with_output().unwrap();
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(
        err.starts_with("waiting for another `dossier index` (process 4242) to finish\n0 added, 0 changed, 0 removed, 5 unchanged in "),
        "{err}"
    );
}

/// Rewrites the dossier state that the last commit of the workspace's index records.
fn edit_index_state(workspace: &Workspace, edit: impl Fn(&str) -> String) {
    let meta_path = workspace.path("index/meta.json");
    let meta = fs::read_to_string(&meta_path).unwrap();
    let mut meta: Value = serde_json::from_str(&meta).unwrap();
    let state = meta["payload"].as_str().unwrap();
    let edited = edit(state);
    assert_ne!(edited, state, "the edit changed nothing");
    meta["payload"] = Value::String(edited);
    fs::write(&meta_path, meta.to_string()).unwrap();
}

#[test]
fn an_index_from_another_version_asks_for_a_rebuild() {
    let workspace = Workspace::indexed();
    edit_index_state(&workspace, |state| {
        state.replace("\"analyzer\":2", "\"analyzer\":0")
    });

    let out = workspace.run(&["search", "Canberra"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "was written by another version of dossier (index format 5.0.2.3, this dossier reads 5.2.2.3)"
        ),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("dossier index --rebuild --index index PATH..."),
        "{}",
        stderr(&out)
    );

    let out = workspace.run(&["index", "--rebuild"]);
    assert!(stderr(&out).starts_with("5 added, "), "{}", stderr(&out));
    let (hits, _) = workspace.search_json(&["Canberra"]);
    assert!(!hits.is_empty());
}

#[test]
fn an_index_tagged_by_another_version_asks_for_a_rebuild() {
    // Unchanged files are never read again, so they would keep the old titles and tags.
    // An index from before the tagger had a version was tagged by the first: its titles
    // are from before headlines under a summary.
    let edits: [(&str, &str, &[&str]); 2] = [
        ("\"tagger\":3", "\"tagger\":1", &["index"]),
        ("\"tagger\":3,", "", &["search", "Canberra"]),
    ];
    for (from, to, command) in edits {
        let workspace = Workspace::indexed();
        edit_index_state(&workspace, |state| state.replace(from, to));
        let out = workspace.run(command);
        assert_eq!(out.status.code(), Some(2), "{command:?}");
        assert!(
            stderr(&out).contains("(index format 5.2.2.1, this dossier reads 5.2.2.3)"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let workspace = Workspace::indexed();
    let plain = workspace.run(&["search", "Canberra"]);
    assert!(!stdout(&plain).contains('\x1b'));
    let coloured = workspace.run(&["search", "Canberra", "--color", "always"]);
    assert!(
        stdout(&coloured).contains("\x1b[1m\x1b[31mCanberra\x1b[0m"),
        "{}",
        stdout(&coloured)
    );
}

#[test]
fn per_doc_says_how_many_more_passages_matched() {
    let workspace = Workspace::indexed();
    let out = workspace.run(&["search", "critical minerals", "--limit", "1"]);
    let text = stdout(&out);
    assert!(
        text.contains("more matching passages in this document (--per-doc)"),
        "{text}"
    );
    let (hits, _) = workspace.search_json(&["critical minerals", "--limit", "1", "--per-doc", "3"]);
    assert_eq!(hits.len(), 3);
    assert!(hits
        .iter()
        .all(|h| h["rank"] == 1 && h["doc"]["matching_passages"].as_u64().unwrap() > 3));
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

/// A speech shaped like the corpus's UN General Debate files: one paragraph a line, the
/// words to find well inside a passage that starts lines before them.
const SPEECH: &str = "Mr. President,\n\
At the outset, allow me to congratulate you on your election to preside over this session.\n\
Our region has long depended on a small number of suppliers for the materials of the energy transition.\n\
That dependence is a risk to every economy represented in this Assembly, large or small.\n\
We therefore welcome the work of partners who are building a secure supply of critical minerals for all.\n";

#[test]
fn the_locator_is_the_line_and_column_of_the_first_match() {
    let workspace = Workspace::new();
    let folder = workspace.path("un debate");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("AUS_75_2020.txt"), SPEECH).unwrap();
    let out = workspace.run(&["index", "un debate"]);
    assert!(out.status.success(), "{}", stderr(&out));

    let (hits, _) = workspace.search_json(&["\"critical minerals\""]);
    assert_eq!(hits.len(), 1);
    let passage = &hits[0]["passage"];
    assert_eq!(passage["line"], 1, "the passage starts at the top");
    assert_eq!(passage["column"], 1);
    assert_eq!(passage["match_line"], 5);
    assert_eq!(passage["match_column"], 79);
    let line = SPEECH.lines().nth(4).unwrap();
    let from_column: String = line.chars().skip(78).collect();
    assert!(
        from_column.starts_with("critical minerals"),
        "{from_column}"
    );

    // A path with a space is quoted, so the locator pastes into a shell.
    assert_eq!(hits[0]["locator"], "'un debate/AUS_75_2020.txt':5:79");
    let out = workspace.run(&["search", "\"critical minerals\""]);
    assert!(
        stdout(&out).contains("\n   'un debate/AUS_75_2020.txt':5:79\n"),
        "{}",
        stdout(&out)
    );
}

/// Writes `date: DATE` front matter and a body.
fn dated(date: &str, body: &str) -> String {
    format!("---\ndate: {date}\n---\n{body}\n")
}

#[test]
fn an_imprecise_date_never_claims_precedence() {
    let workspace = Workspace::new();
    fs::create_dir(workspace.path("texts")).unwrap();
    let write = |name: &str, text: String| fs::write(workspace.path(name), text).unwrap();
    write(
        "texts/sotu-2002-01-29.txt",
        dated(
            "2002-01-29",
            "States like these constitute an axis of evil.",
        ),
    );
    write(
        "texts/PRK_57_2002.txt",
        dated("2002", "We reject the talk of an axis of evil."),
    );
    write(
        "texts/summer-2002-06-01.txt",
        dated(
            "2002-06-01",
            "The so-called axis of evil was discussed again.",
        ),
    );
    assert!(workspace.run(&["index", "texts"]).status.success());

    let (hits, _) = workspace.search_json(&["\"axis of evil\"", "--sort", "oldest"]);
    assert_eq!(
        paths(&hits),
        [
            "texts/sotu-2002-01-29.txt",
            "texts/summer-2002-06-01.txt",
            "texts/PRK_57_2002.txt"
        ],
        "a year comes after every day it may follow"
    );
    let undecided: Vec<&Value> = hits.iter().map(|h| &h["doc"]["order_undecided"]).collect();
    assert_eq!(undecided, [false, false, true]);
    assert_eq!(hits[2]["doc"]["date_precision"], "year");

    let (hits, _) = workspace.search_json(&["\"axis of evil\"", "--sort", "newest"]);
    assert_eq!(
        paths(&hits),
        [
            "texts/summer-2002-06-01.txt",
            "texts/sotu-2002-01-29.txt",
            "texts/PRK_57_2002.txt"
        ],
        "a year comes after every day it may precede"
    );

    let out = workspace.run(&["search", "\"axis of evil\"", "--sort", "oldest"]);
    assert!(
        stdout(&out).contains(
            "\n3. PRK_57_2002\n   2002 (year), dates cannot tell whether 2 or 3 came first · no countries\n"
        ),
        "{}",
        stdout(&out)
    );

    // A year that straddles --since is kept, and says so.
    let (hits, _) = workspace.search_json(&["\"axis of evil\"", "--since", "2002-06-01"]);
    let mut kept: Vec<(String, bool)> = hits
        .iter()
        .map(|h| {
            (
                h["doc"]["path"].as_str().unwrap().to_string(),
                h["doc"]["may_precede_since"].as_bool().unwrap(),
            )
        })
        .collect();
    kept.sort();
    assert_eq!(
        kept,
        [
            ("texts/PRK_57_2002.txt".to_string(), true),
            ("texts/summer-2002-06-01.txt".to_string(), false)
        ]
    );
    let out = workspace.run(&["search", "reject", "--since", "2002-06-01"]);
    assert!(
        stdout(&out).contains("\n   2002 (year), may be before --since · "),
        "{}",
        stdout(&out)
    );
}

#[test]
fn date_filters_say_how_many_undated_documents_they_left_out() {
    let workspace = Workspace::indexed();
    // Two seeds that hold "reserve" are undated.
    let out = workspace.run(&["search", "reserve", "--since", "2026", "--json"]);
    assert_eq!(
        stderr(&out),
        "note: 2 matching documents have no date and --since left them out; --include-undated keeps them\n"
    );
    let (hits, _) = workspace.search_json(&["reserve", "--since", "2026", "--include-undated"]);
    let mut found = paths(&hits);
    found.sort();
    assert_eq!(found, [S000, S002, S003, S004]);
    let out = workspace.run(&["search", "reserve", "--include-undated", "--since", "2026"]);
    assert_eq!(stderr(&out), "");
    assert!(stdout(&out).contains("\n   undated · "), "{}", stdout(&out));
}

#[test]
fn counts_cover_every_match_not_only_those_shown() {
    let workspace = Workspace::indexed();
    let out = workspace.run(&[
        "search",
        "\"critical minerals\"",
        "--count-by",
        "year,country",
        "-n",
        "1",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "year     documents  passages\n\
             2025             1         5\n\
             2026             2        11\n\
             undated          2         3\n\
             \n\
             country             documents  passages\n\
             AU  Australia               5        19\n\
             US  United States           4        12\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\n19 passages from 5 of 5 documents in "),
        "{text}"
    );

    let out = workspace.run(&[
        "search",
        "\"critical minerals\"",
        "--count-by",
        "org",
        "--json",
    ]);
    let counts: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(counts["matching_documents"], 5);
    assert_eq!(counts["matching_passages"], 19);
    assert_eq!(
        counts["counts"]["org"][0],
        serde_json::json!({"value": "G7", "name": "Group of Seven", "documents": 2, "passages": 12})
    );
}

#[test]
fn filters_alone_list_documents_newest_first() {
    let workspace = Workspace::indexed();
    let (hits, code) = workspace.search_json(&["--org", "G7"]);
    assert_eq!(code, 0);
    assert_eq!(paths(&hits), [S000, S001]);
    let out = workspace.run(&["search", "--org", "G7"]);
    let last = stdout(&out).lines().last().unwrap().to_string();
    assert!(last.starts_with("2 of 5 documents in "), "{last}");

    let out = workspace.run(&["search"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "dossier: the query is empty: give words to search for, or a filter (--country, --org, --issuer, --since, --until) to list documents at column 1\n"
    );
}

#[test]
fn csv_rows_are_quoted_and_safe_in_a_spreadsheet() {
    let workspace = Workspace::new();
    fs::create_dir(workspace.path("texts")).unwrap();
    fs::write(
        workspace.path("texts/formula.txt"),
        "---\ntitle: =HYPERLINK(\"http://example.com\")\ndate: 2024-05-01\n---\n\
         Japan and Australia agree on a \"strategic reserve\", with conditions.\n",
    )
    .unwrap();
    assert!(workspace.run(&["index", "texts"]).status.success());
    let out = workspace.run(&["search", "strategic reserve", "--csv"]);
    assert_eq!(
        stdout(&out),
        "rank,title,date,date_precision,countries,country_names,issuers,orgs,path,line,column,copies,matching_passages,passage,matched,score\r\n\
         1,\"'=HYPERLINK(\"\"http://example.com\"\")\",2024-05-01,day,JP AU,\"Japan, Australia\",,,texts/formula.txt,5,33,,1,\
         \"Japan and Australia agree on a \"\"strategic reserve\"\", with conditions.\",strategic reserve,"
            .to_string()
            + &stdout(&out)[stdout(&out).rfind(',').unwrap() + 1..]
    );
}

#[test]
fn a_list_of_queries_gives_one_csv_with_a_query_column() {
    let workspace = Workspace::indexed();
    fs::write(
        workspace.path("names.txt"),
        "# people and things to check\n\"strategic reserve\"\n\nAlbanese\nnobody-at-all-here\n",
    )
    .unwrap();
    let out = workspace.run(&["search", "--queries", "names.txt", "--country", "JP"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let rows: Vec<&str> = text.split("\r\n").filter(|r| !r.is_empty()).collect();
    assert!(rows[0].starts_with("query,rank,title,"), "{}", rows[0]);
    let firsts: Vec<String> = rows[1..]
        .iter()
        .map(|r| r.split(',').take(2).collect::<Vec<_>>().join(","))
        .collect();
    assert_eq!(
        firsts,
        [
            "\"\"\"strategic reserve\"\"\",1",
            "Albanese,1",
            "nobody-at-all-here,"
        ]
    );

    let (lines, _) = {
        let out = workspace.run(&["search", "--queries", "names.txt", "--json"]);
        let lines: Vec<Value> = stdout(&out)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        (lines, ())
    };
    assert_eq!(lines[0]["query"], "\"strategic reserve\"");

    fs::write(workspace.path("bad.txt"), "fine\n\"open phrase\n").unwrap();
    let out = workspace.run(&["search", "--queries", "bad.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "dossier: bad.txt:2: unclosed quote at column 1\n"
    );
}

#[test]
fn the_same_text_in_two_folders_is_one_result() {
    let workspace = Workspace::new();
    for folder in ["sotu", "presidential-speeches"] {
        fs::create_dir(workspace.path(folder)).unwrap();
        fs::write(
            workspace.path(&format!("{folder}/2002-01-29.txt")),
            dated("2002-01-29", "We will win the war on terror."),
        )
        .unwrap();
    }
    fs::write(
        workspace.path("sotu/2003-01-28.txt"),
        dated("2003-01-28", "The war on terror goes on."),
    )
    .unwrap();
    assert!(workspace
        .run(&["index", "sotu", "presidential-speeches"])
        .status
        .success());
    let (hits, _) = workspace.search_json(&["\"war on terror\"", "--sort", "oldest"]);
    assert_eq!(hits.len(), 2);
    let both = [
        hits[0]["doc"]["path"].as_str().unwrap(),
        hits[0]["doc"]["copies"][0].as_str().unwrap(),
    ];
    let mut sorted_both = both;
    sorted_both.sort();
    assert_eq!(
        sorted_both,
        [
            "presidential-speeches/2002-01-29.txt",
            "sotu/2002-01-29.txt"
        ]
    );
    let out = workspace.run(&["search", "\"war on terror\"", "--count-by", "year"]);
    assert!(
        stdout(&out).starts_with(
            "year  documents  passages\n2002          1         1\n2003          1         1\n"
        ),
        "{}",
        stdout(&out)
    );
    let out = workspace.run(&["search", "\"war on terror\"", "--sort", "oldest"]);
    assert!(
        stdout(&out).contains(&format!("\n   same text: {}\n", both[1])),
        "{}",
        stdout(&out)
    );
}

#[test]
fn two_transcriptions_of_one_speech_are_one_result() {
    let workspace = Workspace::new();
    let paragraph = "Our enemies in al Qaida have not given up. Five years after the attacks, \
                     the war on terror goes on in Afghanistan and beyond, and we will see it through.";
    let speech = |paragraph: &str| {
        format!(
            "{}\n\n{paragraph}\n\n{}\n",
            "Madam Speaker, members of Congress, distinguished guests and fellow citizens. "
                .repeat(4),
            "We will keep this Nation safe, and we will keep our word. ".repeat(4)
        )
    };
    fs::create_dir(workspace.path("sotu")).unwrap();
    fs::create_dir(workspace.path("presidential-speeches")).unwrap();
    fs::write(workspace.path("sotu/2007-Bush-1.txt"), speech(paragraph)).unwrap();
    fs::write(
        workspace.path("presidential-speeches/2007-01-23-state-union-address.txt"),
        format!(
            "President: George W. Bush\n\n{}",
            speech(&paragraph.replace("Qaida", "Qaeda").replace("Five", "5"))
        ),
    )
    .unwrap();
    fs::write(
        workspace.path("sotu/2008-Bush-1.txt"),
        "A shorter address that also speaks of the war on terror.\n",
    )
    .unwrap();
    assert!(workspace
        .run(&["index", "sotu", "presidential-speeches"])
        .status
        .success());
    let (hits, _) = workspace.search_json(&["\"war on terror\""]);
    assert_eq!(hits.len(), 2, "{hits:?}");
    let long = hits
        .iter()
        .find(|h| h["doc"]["path"] != "sotu/2008-Bush-1.txt")
        .unwrap();
    assert_eq!(long["doc"]["copies"].as_array().unwrap().len(), 1);
}

#[test]
fn a_misspelt_query_gets_the_spelling_the_index_holds() {
    let workspace = Workspace::indexed();
    let out = workspace.run(&["search", "\"stratgic reserve\""]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with("no passages match\n0 passages from 0 of 5 documents in "),
        "{text}"
    );
    assert!(
        text.ends_with(
            " ms\ndid you mean: \"strategic reserve\" (2 documents)\n\
             words searched: 'stratgic' in no passage, 'reserve' in 5 passages\n"
        ),
        "{text}"
    );
    // Unquoted, the passages holding some of the words are shown, and the respelling too.
    let out = workspace.run(&["search", "stratgic reserve", "-n", "1"]);
    assert!(
        stdout(&out).ends_with(
            " ms (showing 1; see --limit)\ndid you mean: strategic reserve (4 documents)\n\
             words searched: 'stratgic' in no passage, 'reserve' in 5 passages\n"
        ),
        "{}",
        stdout(&out)
    );
    // For scripts the note goes to stderr, in the case the word was typed.
    let out = workspace.run(&["search", "--json", "STRATGIC"]);
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        "note: did you mean: STRATEGIC (5 documents)\nnote: words searched: 'STRATGIC' in no passage\n"
    );
    // A word the index holds often is not respelt, nor a word found nowhere near another.
    let out = workspace.run(&["search", "unobtainium"]);
    assert!(
        stdout(&out).ends_with(" ms\nwords searched: 'unobtainium' in no passage\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn g7_and_g_7_per_cent_and_percent_find_each_other() {
    let workspace = Workspace::new();
    fs::create_dir(workspace.path("texts")).unwrap();
    fs::write(
        workspace.path("texts/summit.txt"),
        "The G-7 leaders met in Hiroshima. Growth was 2 per cent.\n",
    )
    .unwrap();
    fs::write(
        workspace.path("texts/communique.txt"),
        "The G7 statement set a goal of 3 percent growth.\n",
    )
    .unwrap();
    assert!(workspace.run(&["index", "texts"]).status.success());
    for query in ["G7", "G-7", "g7"] {
        let (hits, _) = workspace.search_json(&[query, "--sort", "oldest"]);
        let mut words: Vec<String> = hits.iter().flat_map(highlighted).collect();
        words.sort();
        assert_eq!(words, ["G-7", "G7"], "{query}");
    }
    for query in ["percent", "\"per cent\""] {
        let (hits, _) = workspace.search_json(&[query]);
        let mut words: Vec<String> = hits.iter().flat_map(highlighted).collect();
        words.sort();
        assert_eq!(words, ["per cent", "percent"], "{query}");
    }
}

#[test]
fn a_document_titled_by_its_file_name_is_shown_by_its_tags() {
    let workspace = Workspace::new();
    fs::create_dir(workspace.path("ungdc")).unwrap();
    fs::write(workspace.path("ungdc/KEN_76_2021.txt"), SPEECH).unwrap();
    let out = workspace.run(&["index", "ungdc", "--name-pattern", "{issuer}_{}_{year}"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = workspace.run(&["search", "critical minerals"]);
    assert!(
        stdout(&out).starts_with(
            "1. Kenya, 2021 (KEN_76_2021)\n   2021 (year) · issued by Kenya · no countries\n"
        ),
        "{}",
        stdout(&out)
    );
}

#[test]
fn tag_shows_what_would_be_recorded() {
    let workspace = Workspace::new();
    let out = workspace.run(&["tag", "--json", S000, S001, S002, S003, S004]);
    assert!(out.status.success(), "{}", stderr(&out));
    let tags: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let summary: Vec<(Value, Vec<&str>)> = tags
        .iter()
        .map(|t| {
            let codes = t["countries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["code"].as_str().unwrap())
                .collect();
            (t["date"].clone(), codes)
        })
        .collect();
    assert_eq!(summary[0], (Value::from("2026-03-06"), vec!["AU", "CA"]));
    assert_eq!(
        summary[1],
        (Value::from("2025-11-05"), vec!["US", "AU", "CN", "BR"])
    );
    assert_eq!(summary[2], (Value::Null, vec!["AU", "US", "GB", "CN"]));
    assert_eq!(summary[3].0, Value::from("2026-05-04"));
    assert_eq!(sorted(&summary[3].1[..2]), ["AU", "JP"], "tied counts");
    assert_eq!(summary[3].1[2], "US");
    assert_eq!(summary[4].0, Value::Null);
    assert_eq!(summary[4].1[0], "AU");
    assert_eq!(sorted(&summary[4].1[1..]), ["CN", "US"], "tied counts");
}

fn sorted<'a>(codes: &[&'a str]) -> Vec<&'a str> {
    let mut codes = codes.to_vec();
    codes.sort();
    codes
}

#[test]
fn organisation_and_issuer_filters() {
    let workspace = Workspace::indexed();
    let (hits, _) = workspace.search_json(&["critical minerals", "--org", "G7", "--limit", "10"]);
    let mut found = paths(&hits);
    found.sort();
    assert_eq!(found, [S000, S001], "000 and 001 name the G7");
    let (hits, _) = workspace.search_json(&[
        "minerals",
        "--org",
        "Association of Southeast Asian Nations",
    ]);
    assert_eq!(paths(&hits), [S003]);

    let (hits, _) = workspace.search_json(&["minerals", "--issuer", "JP", "--limit", "10"]);
    assert_eq!(paths(&hits), [S003]);
    assert_eq!(hits[0]["doc"]["issuers"], serde_json::json!(["JP", "AU"]));
    assert!(hits[0]["doc"]["orgs"]
        .as_array()
        .unwrap()
        .contains(&Value::from("ASEAN")));
    let (hits, code) = workspace.search_json(&["minerals", "--issuer", "US"]);
    assert_eq!(
        (hits.len(), code),
        (0, 1),
        "the US is mentioned, never an issuer"
    );

    let out = workspace.run(&["search", "minerals", "--org", "Hogwarts"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "dossier: unknown organisation 'Hogwarts' for --org; use a code such as G7 or EU, or a full name\n"
    );
}

#[test]
fn tag_json_gives_evidence_issuers_and_orgs() {
    let workspace = Workspace::new();
    let out = workspace.run(&["tag", "--json", S003]);
    let tags: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(tags["path"], S003);
    assert_eq!(tags["date"], "2026-05-04");
    assert_eq!(tags["date_precision"], "day");
    assert_eq!(tags["date_source"], "signature-block");
    assert_eq!(
        tags["date_evidence"],
        serde_json::json!({"line": 69, "text": "4 May 2026"})
    );
    assert_eq!(tags["issuers"], serde_json::json!(["JP", "AU"]));
    assert_eq!(
        tags["issuer_evidence"],
        serde_json::json!([
            {"codes": ["JP", "AU"], "cue": "title", "line": null,
             "text": "Japan-Australia Joint Declaration on Economic Security Cooperation"},
            {"codes": ["JP", "AU"], "cue": "opening", "line": 7,
             "text": "We, the Prime Ministers of Japan and Australia"},
            {"codes": ["JP"], "cue": "signature", "line": 71, "text": "For the Government of Japan"},
            {"codes": ["AU"], "cue": "signature", "line": 73, "text": "For the Government of Australia"},
        ])
    );
    let us = tags["countries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "US")
        .unwrap();
    assert_eq!(us["mentions"], 2);
    assert_eq!(
        us["evidence"],
        serde_json::json!([{"line": 41, "text": "United States"}, {"line": 55, "text": "United States"}])
    );
    let orgs: Vec<&str> = tags["orgs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["code"].as_str().unwrap())
        .collect();
    assert!(
        orgs.contains(&"WTO") && orgs.contains(&"QUAD") && orgs.contains(&"OECD"),
        "{orgs:?}"
    );
}

#[test]
fn tag_shows_the_words_behind_a_date_and_its_issuers() {
    let workspace = Workspace::new();
    fs::write(
        workspace.path("release.md"),
        "---\ntitle: Media Release\n---\nMedia Release\n\nCANBERRA, 4 May 2026 – The Prime Minister met Japan's.\n",
    )
    .unwrap();
    let out = workspace.run(&["tag", "release.md"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = stdout(&out);
    assert!(
        shown.contains("   date:      2026-05-04 (day, from the dateline, line 6: 4 May 2026)\n"),
        "{shown}"
    );
    assert!(
        shown.contains("   issuers:   AU 6: CANBERRA (dateline)\n"),
        "{shown}"
    );
    assert!(shown.contains("   countries: JP (1) 6: Japan\n"), "{shown}");

    let out = workspace.run(&["tag", S003]);
    let shown = stdout(&out);
    let issuers: Vec<&str> = shown
        .lines()
        .skip_while(|l| !l.contains("issuers:"))
        .take_while(|l| !l.contains("countries:"))
        .collect();
    assert_eq!(
        issuers,
        [
            "   issuers:   JP AU title: Japan-Australia Joint Declaration on Economic Security Cooperation",
            "              JP AU 7: We, the Prime Ministers of Japan and Australia",
            "              JP 71: For the Government of Japan",
            "              AU 73: For the Government of Australia",
        ]
    );
}

#[test]
fn a_speech_is_titled_by_its_file_name_and_issued_by_whom_it_speaks_for() {
    let workspace = Workspace::new();
    fs::create_dir(workspace.path("speeches")).unwrap();
    fs::write(
        workspace.path("speeches/TUV_70_2015.txt"),
        "On behalf of the Government and the people of Tuvalu, I congratulate you, Sir,\non your election as President of the General Assembly.\n\nThe sea is rising around our islands.\n",
    )
    .unwrap();
    let out = workspace.run(&["tag", "speeches/TUV_70_2015.txt"]);
    let shown = stdout(&out);
    assert!(shown.contains("   title:     TUV_70_2015\n"), "{shown}");
    assert!(
        shown
            .contains("   issuers:   TV 1: On behalf of the Government and the people of Tuvalu\n"),
        "{shown}"
    );

    // Search results carry the same label and speaker.
    let out = workspace.run(&["index", "speeches"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (hits, _) = workspace.search_json(&["sea"]);
    let docs: Vec<(&Value, &Value)> = hits
        .iter()
        .map(|hit| (&hit["doc"]["title"], &hit["doc"]["issuers"]))
        .collect();
    assert_eq!(
        docs,
        [(
            &serde_json::json!("TUV_70_2015"),
            &serde_json::json!(["TV"])
        )]
    );
}

#[test]
fn metadata_files_win_and_are_applied_at_every_sync() {
    let workspace = Workspace::new();
    fs::write(
        workspace.path("meta.csv"),
        "fileid,year,date,president\n002_8561ccffd2a1f250,2025,2025-10-21,Trump\n",
    )
    .unwrap();
    let out = workspace.run(&["index", "--metadata", "meta.csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (hits, _) = workspace.search_json(&["Aukus"]);
    assert_eq!(hits[0]["doc"]["date"], "2025-10-21");
    assert_eq!(hits[0]["doc"]["date_source"], "metadata-file");

    // The index remembers the file: a later sync without the flag keeps applying it, and
    // a changed record re-tags its document.
    fs::write(
        workspace.path("meta.csv"),
        "fileid,year,date,president\n002_8561ccffd2a1f250,2025,2025-10-20,Trump\n",
    )
    .unwrap();
    let out = workspace.run(&["index"]);
    assert!(
        stderr(&out).starts_with("0 added, 1 changed, 0 removed, 4 unchanged in "),
        "{}",
        stderr(&out)
    );
    let (hits, _) = workspace.search_json(&["Aukus"]);
    assert_eq!(hits[0]["doc"]["date"], "2025-10-20");

    let out = workspace.run(&["index", "--metadata", "missing.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("dossier: cannot read missing.csv: "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_name_pattern_reads_issuer_and_year_from_file_names_at_every_sync() {
    let workspace = Workspace::new();
    fs::create_dir(workspace.path("ungdc")).unwrap();
    let speech = |name: &str, text: &str| fs::write(workspace.path(name), text).unwrap();
    speech(
        "ungdc/KEN_79_2024.txt",
        "Climate change threatens the Horn of Africa.\n",
    );
    speech(
        "ungdc/EU_79_2024.txt",
        "Climate change is the challenge of our time.\n",
    );
    speech("ungdc/notes.txt", "Climate change notes, dated nowhere.\n");
    let out = workspace.run(&["index", "ungdc", "--name-pattern", "{issuer}_{}_{year}"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "warning: ungdc/EU_79_2024.txt: 'EU' in the file name is not a country code; no issuer from it (nor from other files so named)\n"
        ),
        "{}",
        stderr(&out)
    );
    let (hits, _) = workspace.search_json(&["climate", "--issuer", "KE"]);
    assert_eq!(paths(&hits), ["ungdc/KEN_79_2024.txt"]);
    assert_eq!(hits[0]["doc"]["date"], "2024");
    assert_eq!(hits[0]["doc"]["date_source"], "name-pattern");
    assert_eq!(hits[0]["doc"]["issuers"], serde_json::json!(["KE"]));
    let (hits, _) = workspace.search_json(&["climate", "--since", "2024"]);
    assert_eq!(
        paths(&hits).len(),
        2,
        "the EU speech is dated, notes.txt is not"
    );

    // The index remembers the pattern: a speech that arrives later is read by it too.
    speech(
        "ungdc/FJI_78_2023.txt",
        "Climate change and the rising sea.\n",
    );
    let out = workspace.run(&["index", "ungdc"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (hits, _) = workspace.search_json(&["sea", "--issuer", "Fiji", "--until", "2023"]);
    assert_eq!(paths(&hits), ["ungdc/FJI_78_2023.txt"]);
    let out = workspace.run(&["stats"]);
    assert!(
        stdout(&out).contains("metadata:   ungdc: pattern {issuer}_{}_{year}\n"),
        "{}",
        stdout(&out)
    );

    let out = workspace.run(&[
        "tag",
        "ungdc/KEN_79_2024.txt",
        "--name-pattern",
        "{issuer}_{}_{year}",
    ]);
    assert!(
        stdout(&out).contains("   date:      2024 (year, from the name pattern)\n"),
        "{}",
        stdout(&out)
    );

    let out = workspace.run(&["index", "ungdc", "--name-pattern", "{speaker}_{year}"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "unknown field '{speaker}' in the name pattern '{speaker}_{year}'; the fields are {issuer}, {country}, {year}, {date}, {title}, {}"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn metadata_columns_can_be_named() {
    let workspace = Workspace::new();
    fs::write(
        workspace.path("meta.jsonl"),
        "{\"doc\":\"seeds/004_115e3896a9ec782d.txt\",\"when\":\"2025-09\",\"by\":[\"US\",\"AUS\"]}\n",
    )
    .unwrap();
    let out = workspace.run(&[
        "index",
        "--metadata",
        "meta.jsonl",
        "--metadata-columns",
        "key=doc,date=when,issuer=by",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (hits, _) = workspace.search_json(&["smartphones", "--issuer", "AU", "--since", "2025-09"]);
    assert_eq!(paths(&hits), [S004]);
    assert_eq!(hits[0]["doc"]["date"], "2025-09");
    assert_eq!(hits[0]["doc"]["issuers"], serde_json::json!(["US", "AU"]));

    // `tag` reads the same metadata, so it shows what `index` records.
    let out = workspace.run(&[
        "tag",
        "--json",
        S004,
        "--metadata",
        "meta.jsonl",
        "--metadata-columns",
        "key=doc,date=when,issuer=by",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let tags: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(tags["date"], "2025-09");
    assert_eq!(tags["date_precision"], "month");
    assert_eq!(tags["date_source"], "metadata-file");
    assert_eq!(tags["date_evidence"], Value::Null);
    assert_eq!(tags["issuers"], serde_json::json!(["US", "AU"]));
    assert_eq!(tags["issuers_source"], "metadata");
    assert_eq!(tags["issuer_evidence"], serde_json::json!([]));
    // Without the flags, `tag` applies what the index remembers for the file's folder;
    // with no index, nothing.
    let out = workspace.run(&["tag", "--json", S004]);
    let tags: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(tags["date"], "2025-09");
    assert_eq!(tags["issuers"], serde_json::json!(["US", "AU"]));
    let out = workspace.run(&["tag", "--json", "--index", "elsewhere", S004]);
    let tags: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    assert_eq!(tags["date"], Value::Null);
    assert_eq!(tags["issuers"], serde_json::json!([]));

    let out = workspace.run(&[
        "index",
        "--metadata",
        "meta.jsonl",
        "--metadata-columns",
        "key=nope",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).ends_with("meta.jsonl: no column 'nope' for the document\n"),
        "{}",
        stderr(&out)
    );
}

/// The opening of George H. W. Bush's address of 8 August 1990 (public domain), as the
/// presidential speeches are shaped: `1990-08-08-<title slug>.txt`, no title in the text.
const BUSH_1990: &str = "President: George H. W. Bush\n\nIn the life of a nation, we're called upon \
    to define who we are and what we believe. At my direction, elements of the 82d Airborne Division \
    are arriving today to take up defensive positions in Saudi Arabia.\n";

/// The opening of Kenya's speech to the General Debate of 2024 (CC0), as the UN General
/// Debate files are shaped: `KEN_79_2024.txt`, the speaker's country only in the name.
const KENYA_2024: &str = "President of the 79th Session of the UN General Assembly, Ambassador \
    Philemon Yang, Excellencies Heads of State and Government, Distinguished Delegates.\n\n\
    1. I congratulate you, Ambassador Philemon Yang, on your election as President of this Session \
    of the General Assembly. Climate change threatens the Horn of Africa.\n";

/// A workspace holding `presidential-speeches/` and `ungdc/`, each indexed with its own
/// name pattern.
fn two_folders_with_their_own_patterns() -> Workspace {
    let workspace = Workspace::new();
    fs::create_dir(workspace.path("presidential-speeches")).unwrap();
    fs::create_dir_all(workspace.path("ungdc/Session 79 - 2024")).unwrap();
    fs::write(
        workspace.path("presidential-speeches/1990-08-08-address-iraqs-invasion-kuwait.txt"),
        BUSH_1990,
    )
    .unwrap();
    fs::write(
        workspace.path("ungdc/Session 79 - 2024/KEN_79_2024.txt"),
        KENYA_2024,
    )
    .unwrap();
    for (folder, pattern) in [
        ("presidential-speeches", "{date}-{title}"),
        ("ungdc", "{issuer}_{}_{year}"),
    ] {
        let out = workspace.run(&["index", folder, "--name-pattern", pattern]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    workspace
}

#[test]
fn a_name_pattern_reads_only_the_folder_it_was_given_for() {
    let workspace = two_folders_with_their_own_patterns();
    // A third folder whose file names either pattern would read, and wrongly: the joint
    // statement is issued by two countries, and the communiqué has a title of its own.
    fs::create_dir(workspace.path("statements")).unwrap();
    fs::write(
        workspace.path("statements/AUS_JPN_2022.txt"),
        "Joint Statement by the Prime Ministers of Australia and Japan\n\nTokyo, 22 October 2022\n\n\
         The Prime Ministers of Australia and Japan reaffirmed the Special Strategic Partnership and \
         agreed to deepen cooperation on critical minerals and energy security.\n",
    )
    .unwrap();
    fs::write(
        workspace.path("statements/2023-05-20-g7-hiroshima-leaders-communique.txt"),
        "G7 Hiroshima Leaders' Communique\n\nHiroshima, 20 May 2023\n\nWe, the Leaders of the \
         Group of Seven, met in Hiroshima and agreed to work with partners on critical minerals.\n",
    )
    .unwrap();
    let out = workspace.run(&["index", "statements"]);
    assert!(
        stderr(&out).starts_with("2 added, 0 changed, 0 removed, 0 unchanged in "),
        "{}",
        stderr(&out)
    );
    let (hits, _) = workspace.search_json(&["critical minerals", "--sort", "oldest"]);
    let docs: Vec<(&Value, &Value, &Value, &Value)> = hits
        .iter()
        .map(|hit| {
            let doc = &hit["doc"];
            (
                &doc["title"],
                &doc["date"],
                &doc["date_source"],
                &doc["issuers"],
            )
        })
        .collect();
    assert_eq!(
        docs,
        [
            (
                &serde_json::json!("Joint Statement by the Prime Ministers of Australia and Japan"),
                &serde_json::json!("2022-10-22"),
                &serde_json::json!("dateline"),
                &serde_json::json!(["AU", "JP"]),
            ),
            (
                &serde_json::json!("G7 Hiroshima Leaders' Communique"),
                &serde_json::json!("2023-05-20"),
                &serde_json::json!("file-name"),
                &serde_json::json!([]),
            ),
        ]
    );
    // Each pattern still reads its own folder.
    let (hits, _) = workspace.search_json(&["Saudi Arabia"]);
    assert_eq!(hits[0]["doc"]["title"], "address iraqs invasion kuwait");
    let (hits, _) = workspace.search_json(&["Horn of Africa", "--issuer", "KE"]);
    assert_eq!(hits[0]["doc"]["date_source"], "name-pattern");

    // `tag` shows what the index records: a folder's pattern without being given it again.
    let out = workspace.run(&["tag", "ungdc/Session 79 - 2024/KEN_79_2024.txt"]);
    assert!(
        stdout(&out).contains("   date:      2024 (year, from the name pattern)\n"),
        "{}",
        stdout(&out)
    );
    let out = workspace.run(&["tag", "statements/AUS_JPN_2022.txt"]);
    assert!(
        stdout(&out).contains("   date:      2022-10-22 (day, from the dateline"),
        "{}",
        stdout(&out)
    );

    let out = workspace.run(&["stats"]);
    assert!(
        stdout(&out).contains(
            "metadata:   presidential-speeches: pattern {date}-{title}\n            ungdc: pattern {issuer}_{}_{year}\n"
        ),
        "{}",
        stdout(&out)
    );
}

#[test]
fn index_with_no_paths_resyncs_every_remembered_folder_with_its_own_metadata() {
    let workspace = two_folders_with_their_own_patterns();
    // A change in each folder, and a new file in each.
    let mut kenya = KENYA_2024.to_string();
    kenya.push_str("\nWe call for a fund for loss and damage.\n");
    fs::write(
        workspace.path("ungdc/Session 79 - 2024/KEN_79_2024.txt"),
        kenya,
    )
    .unwrap();
    fs::write(
        workspace.path("ungdc/Session 79 - 2024/FJI_79_2024.txt"),
        "Mr President, the rising sea is the gravest threat to the Pacific. We call for a fund for \
         loss and damage.\n",
    )
    .unwrap();
    let mut bush = BUSH_1990.to_string();
    bush.push_str("\nA fund for loss and damage was not on his mind.\n");
    fs::write(
        workspace.path("presidential-speeches/1990-08-08-address-iraqs-invasion-kuwait.txt"),
        bush,
    )
    .unwrap();
    fs::write(
        workspace.path("presidential-speeches/1991-01-16-address-on-the-gulf-war.txt"),
        "President: George H. W. Bush\n\nJust two hours ago, allied air forces began an attack on \
         military targets in Iraq and Kuwait. A fund for loss and damage is another matter.\n",
    )
    .unwrap();

    // The seeds beside them are not indexed: the index remembers other folders.
    let out = workspace.run(&["index"]);
    assert!(
        stderr(&out).starts_with("2 added, 2 changed, 0 removed, 0 unchanged in "),
        "{}",
        stderr(&out)
    );
    let (hits, _) = workspace.search_json(&["loss and damage", "--sort", "oldest", "-n", "10"]);
    let docs: Vec<Value> = hits
        .iter()
        .map(|hit| {
            let doc = &hit["doc"];
            serde_json::json!([doc["title"], doc["date"], doc["issuers"]])
        })
        .collect();
    assert_eq!(
        Value::Array(docs),
        serde_json::json!([
            ["address iraqs invasion kuwait", "1990-08-08", []],
            ["address on the gulf war", "1991-01-16", []],
            ["FJI_79_2024", "2024", ["FJ"]],
            [
                "President of the 79th Session of the UN General Assembly, Ambassador Philemon \
                 Yang, Excellencies Heads of State and…",
                "2024",
                ["KE"]
            ],
        ])
    );

    // Metadata given with no paths would apply to both folders: it must name them.
    let out = workspace.run(&["index", "--name-pattern", "{year}"]);
    assert_eq!(out.status.code(), Some(2));
    let folder = |name: &str| {
        fs::canonicalize(workspace.path(name))
            .unwrap()
            .display()
            .to_string()
    };
    assert_eq!(
        stderr(&out),
        format!(
            "dossier: a metadata file or name pattern applies to the folders given with it, and \
             this index holds 2 ({}, {}); name the ones it is for: `dossier index FOLDER... --name-pattern PATTERN`\n",
            folder("presidential-speeches"),
            folder("ungdc")
        )
    );

    // A folder that is gone (a drive unplugged) keeps its documents, and the run says so.
    fs::rename(workspace.path("ungdc"), workspace.path("ungdc-away")).unwrap();
    let out = workspace.run(&["index"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.starts_with("warning: ungdc: gone; its documents (2) stay in the index until it is back, or until the index is rebuilt without it\n0 added, 0 changed, 0 removed, 2 unchanged, 1 indexed folder gone (2 documents kept) in "),
        "{err}"
    );
    let (hits, _) = workspace.search_json(&["rising sea"]);
    assert_eq!(hits.len(), 1);
    fs::rename(workspace.path("ungdc-away"), workspace.path("ungdc")).unwrap();

    // A rebuild with no paths rebuilds both folders, each with its own pattern.
    let out = workspace.run(&["index", "--rebuild"]);
    assert!(
        stderr(&out).starts_with("4 added, 0 changed, 0 removed, 0 unchanged in "),
        "{}",
        stderr(&out)
    );
    let (hits, _) = workspace.search_json(&["rising sea", "--issuer", "FJ", "--since", "2024"]);
    assert_eq!(hits.len(), 1);
}

#[test]
fn a_new_index_with_no_paths_indexes_the_seeds() {
    let workspace = Workspace::new();
    fs::create_dir(workspace.path("ungdc")).unwrap();
    fs::write(workspace.path("ungdc/KEN_79_2024.txt"), KENYA_2024).unwrap();
    let out = workspace.run(&["index"]);
    assert!(
        stderr(&out).starts_with("5 added, 0 changed, 0 removed, 0 unchanged in "),
        "{}",
        stderr(&out)
    );
    let (hits, _) = workspace.search_json(&["Philemon"]);
    assert!(hits.is_empty(), "only seeds/ is indexed");
}

#[test]
fn an_index_from_before_folders_had_their_own_metadata_keeps_applying_it() {
    let workspace = Workspace::new();
    fs::create_dir(workspace.path("ungdc")).unwrap();
    fs::write(workspace.path("ungdc/KEN_79_2024.txt"), KENYA_2024).unwrap();
    let out = workspace.run(&["index", "ungdc", "--name-pattern", "{issuer}_{}_{year}"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // What an earlier dossier recorded: bare roots, and patterns for all of them.
    edit_index_state(&workspace, |state| {
        let mut state: Value = serde_json::from_str(state).unwrap();
        let root = state["roots"][0].take();
        state["roots"] = serde_json::json!([root["path"]]);
        state["name_patterns"] = root["name_patterns"].clone();
        state.to_string()
    });
    // No rebuild is asked for, and the folder it had keeps its pattern, for new files too.
    fs::write(
        workspace.path("ungdc/FJI_79_2024.txt"),
        "Mr President, the rising sea is the gravest threat to the Pacific.\n",
    )
    .unwrap();
    let out = workspace.run(&["index"]);
    assert!(
        stderr(&out).starts_with("1 added, 0 changed, 0 removed, 1 unchanged in "),
        "{}",
        stderr(&out)
    );
    let (hits, _) = workspace.search_json(&["rising sea", "--issuer", "FJ", "--since", "2024"]);
    assert_eq!(paths(&hits), ["ungdc/FJI_79_2024.txt"]);
    let out = workspace.run(&["stats"]);
    assert!(
        stdout(&out).contains("metadata:   ungdc: pattern {issuer}_{}_{year}\n"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn former_states_are_found_by_their_names_and_codes_and_tag_shows_their_successors() {
    let workspace = Workspace::new();
    fs::create_dir(workspace.path("ungdc")).unwrap();
    // Two lines of Czechoslovakia's 1985 General Debate speech (UN General Debate Corpus,
    // CC0), OCR errors kept, and a speech of today that names the post-Soviet space.
    fs::write(
        workspace.path("ungdc/CSK_40_1985.txt"),
        "He are proud that Czechoslovakia, a true ally of the great alliance and of the Soviet Union which played a decisive part in the defeat of Nazism, contributed its pis re to the great victory.\n\
         Czechoslovakia is the third country, after the Soviet Union and the United States, from which a citizen has entered outer space.\n",
    )
    .unwrap();
    fs::write(
        workspace.path("ungdc/KAZ_79_2024.txt"),
        "Kazakhstan sent a citizen into outer space; conflicts in the post-Soviet space must end.\n",
    )
    .unwrap();
    let out = workspace.run(&["index", "ungdc", "--name-pattern", "{issuer}_{}_{year}"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));

    for country in ["Soviet Union", "USSR", "SU", "suhh"] {
        let (hits, _) = workspace.search_json(&["outer space", "--country", country]);
        assert_eq!(paths(&hits), ["ungdc/CSK_40_1985.txt"], "{country}");
    }
    let (hits, _) = workspace.search_json(&["outer space", "--issuer", "Czechoslovakia"]);
    assert_eq!(paths(&hits), ["ungdc/CSK_40_1985.txt"]);
    assert_eq!(hits[0]["doc"]["issuers"], serde_json::json!(["CSHH"]));
    let (hits, _) = workspace.search_json(&["outer space", "--country", "Russia"]);
    assert!(hits.is_empty(), "the Soviet Union is not Russia");

    let out = workspace.run(&["tag", "ungdc/CSK_40_1985.txt"]);
    assert!(
        stdout(&out).contains(
            "SUHH (2) 1: Soviet Union, 2: Soviet Union [Soviet Union until 1991, succeeded by AM AZ BY EE GE KG KZ LT LV MD RU TJ TM UA UZ]\n"
        ),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains(
            "CSHH (2) 1: Czechoslovakia, 2: Czechoslovakia [Czechoslovakia until 1992, succeeded by CZ SK]\n"
        ),
        "{}",
        stdout(&out)
    );
    let out = workspace.run(&["tag", "--json", "ungdc/CSK_40_1985.txt"]);
    let tags: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    let codes: Vec<&str> = tags["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["CSHH", "SUHH", "US"]);
    assert_eq!(
        tags["countries"][0]["former"],
        serde_json::json!({"name": "Czechoslovakia", "until": 1992, "successors": ["CZ", "SK"]})
    );
    assert!(tags["countries"][2].get("former").is_none());
}

#[test]
fn index_and_stats_use_the_index_folder_given() {
    let workspace = Workspace::new();
    let out = workspace.run(&["index", "seeds", "--index", "newsroom"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !workspace.path("index").exists(),
        "the default index must not be created"
    );
    let out = workspace.run(&["stats", "--index", "newsroom"]);
    assert!(
        stdout(&out).starts_with("documents:  5\npassages:   "),
        "{}",
        stdout(&out)
    );
}

#[test]
fn quiet_indexing_prints_nothing_but_errors() {
    let workspace = Workspace::new();
    fs::write(workspace.path("seeds/empty.txt"), "").unwrap();
    let out = workspace.run(&["index", "--quiet"]);
    assert!(out.status.success());
    assert_eq!(stderr(&out), "");
    assert_eq!(stdout(&out), "");
    let out = workspace.run(&["index", "-q", "missing"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with("dossier: "), "{}", stderr(&out));
    let out = workspace.run(&["index"]);
    assert!(
        stderr(&out).contains("skipped (1 empty)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn tag_applies_a_metadata_file_as_index_would() {
    let workspace = Workspace::new();
    fs::write(
        workspace.path("meta.csv"),
        "doc,when,by\nseeds/004_115e3896a9ec782d.txt,2025-09,US|AUS\n",
    )
    .unwrap();
    let out = workspace.run(&[
        "tag",
        S004,
        "--metadata",
        "meta.csv",
        "--metadata-columns",
        "key=doc,date=when,issuer=by",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("   date:      2025-09 (month, from the metadata file)\n   issuers:   US AU (from the metadata)\n"),
        "{text}"
    );
    assert!(!workspace.path("index").exists(), "tag writes no index");
}

#[test]
fn completions_offer_every_flag_of_search() {
    let workspace = Workspace::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = workspace.run(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        for flag in ["count-by", "include-undated", "queries", "csv", "per-doc"] {
            assert!(script.contains(flag), "{shell} completion lacks --{flag}");
        }
    }
    let out = workspace.run(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("invalid value 'tcsh'"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_man_pages_name_every_command_and_flag() {
    let workspace = Workspace::new();
    let out = workspace.run(&["man"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = stdout(&out);
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq \\(aq\n"),
        "roff: {page}"
    );
    assert!(page.contains(".TH dossier 1"), "{page}");
    for command in [
        "index",
        "search",
        "stats",
        "tag",
        "serve",
        "watch",
        "watchlist",
        "completions",
        "man",
    ] {
        assert!(
            page.contains(&format!("dossier\\-{command}(1)")),
            "{command}: {page}"
        );
    }
    let out = workspace.run(&["man", "search"]);
    let page = stdout(&out);
    assert!(page.contains(".TH dossier-search 1"), "{page}");
    assert!(page.contains("\\fB\\-\\-count\\-by\\fR"), "{page}");
    let out = workspace.run(&["man", "serch"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "dossier: no command 'serch' for `dossier man`; the commands are index, search, stats, serve, tag, watch, watchlist, completions, man\n"
    );
}

#[test]
fn a_rebuild_starts_afresh_and_keeps_each_folders_metadata() {
    let workspace = Workspace::new();
    fs::write(
        workspace.path("meta.csv"),
        "fileid,date\nseeds/004_115e3896a9ec782d.txt,2025-09\n",
    )
    .unwrap();
    let out = workspace.run(&["index", "seeds", "--metadata", "meta.csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (hits, _) = workspace.search_json(&["smartphones"]);
    assert_eq!(hits[0]["doc"]["date"], "2025-09");

    let out = workspace.run(&["index", "seeds", "--rebuild"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("5 added, "), "{}", stderr(&out));
    let (hits, _) = workspace.search_json(&["smartphones"]);
    assert_eq!(hits[0]["doc"]["date"], "2025-09");
    let out = workspace.run(&["stats", "--json"]);
    let stats: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(stats["roots"].as_array().unwrap().len(), 1);
    assert_eq!(stats["roots"][0]["metadata"].as_array().unwrap().len(), 1);
}
