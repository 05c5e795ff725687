//! `dossier index` on batches: moves, dry runs, statistics, many small syncs, and a run
//! killed at random moments.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use serde_json::Value;
use tempfile::TempDir;

fn dossier(dir: &Path) -> Command {
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("dossier"));
    command
        .current_dir(dir)
        .env_remove("DOSSIER_INDEX")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null());
    command
}

fn run(dir: &Path, args: &[&str]) -> Output {
    dossier(dir).args(args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stats(dir: &Path) -> Value {
    let out = run(dir, &["stats", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// A paragraph-rich statement that differs with `n`, so that every file is its own.
fn statement(n: usize) -> String {
    let mut text = format!("# Joint statement number {n}\n\n");
    for paragraph in 0..12 {
        text.push_str(&format!(
            "Paragraph {paragraph} of statement {n}: the ministers of Japan and Australia agreed to \
             deepen cooperation on critical minerals, energy security and supply chains, and to \
             report on progress to leaders each year, with reference number {}.\n\n",
            n * 100 + paragraph
        ));
    }
    text
}

fn corpus(files: usize) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("texts")).unwrap();
    for n in 0..files {
        fs::write(
            dir.path().join(format!("texts/statement {n:04}.txt")),
            statement(n),
        )
        .unwrap();
    }
    dir
}

fn search_paths(dir: &Path, query: &str) -> Vec<String> {
    let out = run(dir, &["search", "--json", "--limit", "1000", query]);
    let mut paths: Vec<String> = stdout(&out)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["doc"]["path"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    paths.sort();
    paths
}

#[test]
fn a_renamed_file_is_moved_not_analysed_again() {
    let dir = corpus(3);
    run(dir.path(), &["index", "texts"]);
    fs::rename(
        dir.path().join("texts/statement 0001.txt"),
        dir.path().join("texts/renamed ü.txt"),
    )
    .unwrap();
    let out = run(dir.path(), &["index", "texts"]);
    assert!(
        stderr(&out).starts_with("0 added, 0 changed, 1 moved, 0 removed, 2 unchanged in "),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        search_paths(dir.path(), "\"statement 1\""),
        ["texts/renamed ü.txt"]
    );
    assert_eq!(stats(dir.path())["documents"], 3);
}

#[test]
fn a_dry_run_lists_changes_and_writes_nothing() {
    let dir = corpus(3);
    run(dir.path(), &["index", "texts"]);
    fs::write(dir.path().join("texts/new.txt"), statement(7)).unwrap();
    fs::write(dir.path().join("texts/statement 0000.txt"), statement(8)).unwrap();
    fs::rename(
        dir.path().join("texts/statement 0001.txt"),
        dir.path().join("texts/moved.txt"),
    )
    .unwrap();
    fs::remove_file(dir.path().join("texts/statement 0002.txt")).unwrap();
    let before = stats(dir.path());

    let out = run(dir.path(), &["index", "texts", "--dry-run"]);
    assert!(out.status.success());
    let listing = stdout(&out);
    let mut lines: Vec<&str> = listing.lines().collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "add     texts/new.txt",
            "change  texts/statement 0000.txt",
            "move    texts/statement 0001.txt -> texts/moved.txt",
            "remove  texts/statement 0002.txt",
        ]
    );
    assert!(
        stderr(&out).contains("(dry run: nothing written)"),
        "{}",
        stderr(&out)
    );
    let after = stats(dir.path());
    assert_eq!(
        (before["passages"].clone(), before["last_sync"].clone()),
        (after["passages"].clone(), after["last_sync"].clone())
    );
    assert_eq!(
        search_paths(dir.path(), "\"statement 2\""),
        ["texts/statement 0002.txt"]
    );
}

#[test]
fn a_file_replaced_by_a_folder_and_names_with_spaces() {
    let dir = corpus(2);
    run(dir.path(), &["index", "texts"]);
    let file = dir.path().join("texts/statement 0001.txt");
    fs::remove_file(&file).unwrap();
    fs::create_dir(&file).unwrap();
    fs::write(file.join("inside.md"), statement(5)).unwrap();
    let out = run(dir.path(), &["index", "texts"]);
    assert!(
        stderr(&out).starts_with("1 added, 0 changed, 1 removed, 1 unchanged in "),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        search_paths(dir.path(), "\"statement 5\""),
        ["texts/statement 0001.txt/inside.md"]
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_are_followed_once_without_loops() {
    let dir = corpus(2);
    std::os::unix::fs::symlink(dir.path().join("texts"), dir.path().join("texts/loop")).unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("texts/statement 0000.txt"),
        dir.path().join("texts/link.txt"),
    )
    .unwrap();
    let out = run(dir.path(), &["index", "texts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The link to a file and the loop lead to files already indexed: each is indexed once.
    assert_eq!(stats(dir.path())["documents"], 2);
    assert!(
        stderr(&out).contains("texts/loop: skipped: cannot read: symbolic link loop"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn stats_describe_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let out = run(dir.path(), &["index", seeds.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stats = stats(dir.path());
    assert_eq!(stats["documents"], 5);
    assert_eq!(stats["passages"], 45);
    assert!(stats["segments"].as_u64().unwrap() >= 1);
    assert!(stats["bytes"].as_u64().unwrap() > 10_000);
    assert_eq!(stats["earliest"], "2025-11-05");
    assert_eq!(stats["latest"], "2026-05-04");
    assert_eq!(stats["dated_documents"], 3);
    assert_eq!(stats["countries"][0], serde_json::json!(["AU", 5]));
    assert_eq!(stats["countries"][1], serde_json::json!(["US", 4]));

    let text = stdout(&run(dir.path(), &["stats"]));
    assert!(
        text.starts_with("documents:  5\npassages:   45\nindex size: "),
        "{text}"
    );
    assert!(
        text.contains("dates:      2025-11-05 to 2026-05-04 (3 of 5 documents dated)\n"),
        "{text}"
    );
    assert!(
        text.contains("\ncountries:  AU (5) US (4) CN (3) "),
        "{text}"
    );
}

#[test]
fn many_small_syncs_keep_few_segments() {
    let dir = corpus(1);
    run(dir.path(), &["index", "texts"]);
    let per_file = stats(dir.path())["passages"].as_u64().unwrap();
    for n in 1..=40 {
        fs::write(
            dir.path().join(format!("texts/batch {n}.txt")),
            statement(1000 + n),
        )
        .unwrap();
        // The same file changed every time leaves deleted passages behind.
        fs::write(
            dir.path().join("texts/statement 0000.txt"),
            statement(2000 + n),
        )
        .unwrap();
        let out = run(dir.path(), &["index", "texts", "--threads", "1"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let stats = stats(dir.path());
    assert_eq!(stats["documents"], 41);
    assert_eq!(stats["passages"].as_u64().unwrap(), 41 * per_file);
    let segments = stats["segments"].as_u64().unwrap();
    assert!(segments <= 12, "{segments} segments after 40 syncs");
}

/// Files indexed, and passages, in an index built in one clean run.
fn clean_counts(files: usize) -> (u64, u64) {
    let dir = corpus(files);
    run(dir.path(), &["index", "texts"]);
    let stats = stats(dir.path());
    (
        stats["documents"].as_u64().unwrap(),
        stats["passages"].as_u64().unwrap(),
    )
}

#[test]
fn killed_at_random_moments_the_index_stays_whole_and_converges() {
    const FILES: usize = 3000;
    let dir = corpus(FILES);
    let expected = clean_counts(FILES);
    // A fixed sequence of delays, so that a failure can be replayed.
    let delays_ms = [30, 170, 320, 90, 600, 250, 450, 130, 900, 60];
    let mut seen_partial = false;
    for (trial, delay) in delays_ms.iter().enumerate() {
        if trial % 3 == 0 {
            // Start some trials from changed files, so kills also land in replacements.
            for n in (trial..FILES).step_by(7) {
                fs::write(
                    dir.path().join(format!("texts/statement {n:04}.txt")),
                    statement(n + 10_000 * trial),
                )
                .unwrap();
            }
        }
        let mut child = dossier(dir.path())
            .args(["index", "texts", "--commit-every", "1", "--threads", "2"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(*delay));
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();

        let out = run(dir.path(), &["stats", "--json"]);
        if out.status.success() {
            let stats: Value = serde_json::from_str(&stdout(&out)).unwrap();
            let documents = stats["documents"].as_u64().unwrap();
            assert!(
                documents <= FILES as u64,
                "trial {trial}: {documents} documents"
            );
            seen_partial |= documents > 0 && documents < FILES as u64;
            // Searching a killed index works.
            let search = run(dir.path(), &["search", "critical minerals", "--limit", "1"]);
            assert!(
                matches!(search.status.code(), Some(0 | 1)),
                "trial {trial}: {}",
                stderr(&search)
            );
        } else {
            assert!(
                stderr(&out).contains("no dossier index"),
                "trial {trial}: {}",
                stderr(&out)
            );
        }
    }
    let out = run(dir.path(), &["index", "texts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stats = stats(dir.path());
    let counts = (
        stats["documents"].as_u64().unwrap(),
        stats["passages"].as_u64().unwrap(),
    );
    assert_eq!(counts, expected, "after the kills, every file once");
    let again = run(dir.path(), &["index", "texts"]);
    assert!(
        stderr(&again).starts_with(&format!(
            "0 added, 0 changed, 0 removed, {FILES} unchanged in "
        )),
        "{}",
        stderr(&again)
    );
    assert!(
        seen_partial,
        "no kill landed mid-run: make the corpus bigger"
    );
}

#[test]
fn html_and_xml_are_indexed_by_their_text() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("web")).unwrap();
    fs::write(
        dir.path().join("web/statement.html"),
        "<!DOCTYPE html>\n<html><head><title>Joint Statement by Canada and Mexico</title>\n\
         <script>var tracking = \"lithium\";</script></head>\n<body>\n\
         <p>Canada and Mexico agreed on a critical minerals framework &amp; a joint council\n\
         that will meet twice a year to review supply chains, processing and export rules.</p>\n\
         </body></html>\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("web/history.xml"),
        "<TEI><teiHeader><fileDesc><titleStmt><title type=\"complete\">A Guide to Relations</title>\n\
         <title type=\"short\">Chile</title></titleStmt></fileDesc></teiHeader>\n<text><body>\n\
         <p>Relations with <placeName key=\"cl\">Chile</placeName> began in 1823, when the\n\
         United States recognised the new republic and sent its first envoy to Santiago.</p>\n\
         </body></text></TEI>\n",
    )
    .unwrap();
    let out = run(dir.path(), &["index", "web"]);
    assert!(stderr(&out).starts_with("2 added, "), "{}", stderr(&out));

    let out = run(dir.path(), &["search", "--json", "minerals framework"]);
    let hit: Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(hit["doc"]["title"], "Joint Statement by Canada and Mexico");
    assert_eq!(hit["doc"]["issuers"], serde_json::json!(["CA", "MX"]));
    assert_eq!(hit["passage"]["line"], 5);
    let text = hit["passage"]["text"].as_str().unwrap();
    assert!(
        !text.contains('<') && text.contains("framework &"),
        "{text}"
    );

    let out = run(dir.path(), &["search", "lithium OR tracking OR placeName"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "script, tags and attributes are not text"
    );

    let out = run(dir.path(), &["search", "--json", "envoy"]);
    let hit: Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(hit["doc"]["title"], "Chile: A Guide to Relations");
    assert_eq!(hit["doc"]["countries"], serde_json::json!(["CL", "US"]));
}

#[test]
fn a_fifty_megabyte_single_line_file() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("big")).unwrap();
    let words = [
        "critical", "minerals", "supply", "chain", "the", "of", "and", "Japan", "reserve",
        "security",
    ];
    let mut line = String::with_capacity(50_100_000);
    let mut n = 0usize;
    while line.len() < 50_000_000 {
        for _ in 0..(8 + n % 23) {
            line.push_str(words[(n * 7 + line.len()) % words.len()]);
            line.push(' ');
            n += 1;
        }
        line.push_str(". ");
    }
    line.push_str("The unobtainium clause closes the file.");
    fs::write(dir.path().join("big/one line.txt"), &line).unwrap();

    let out = run(dir.path(), &["index", "big"]);
    assert!(stderr(&out).starts_with("1 added, "), "{}", stderr(&out));
    let out = run(dir.path(), &["search", "--json", "\"unobtainium clause\""]);
    let hit: Value = serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    assert_eq!(hit["passage"]["line"], 1);
    let text = hit["passage"]["text"].as_str().unwrap();
    assert!(text.ends_with("The unobtainium clause closes the file."));
    assert!(text.len() < 4_000, "a passage of {} bytes", text.len());
    assert_eq!(hit["passage"]["end"].as_u64().unwrap() as usize, line.len());
}

#[test]
fn searches_during_a_sync_answer_from_the_last_commit() {
    let dir = corpus(1500);
    run(dir.path(), &["index", "texts"]);
    for n in 0..1500 {
        fs::write(
            dir.path().join(format!("texts/statement {n:04}.txt")),
            statement(n + 50_000),
        )
        .unwrap();
    }
    let mut sync = dossier(dir.path())
        .args(["index", "texts", "--commit-every", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut searches = 0;
    while sync.try_wait().unwrap().is_none() {
        let out = run(
            dir.path(),
            &["search", "--json", "critical minerals", "--limit", "3"],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        searches += 1;
    }
    assert!(sync.wait().unwrap().success());
    assert!(searches > 0);
    assert_eq!(stats(dir.path())["documents"], 1500);
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders_are_skipped_and_keep_their_entries() {
    use std::os::unix::fs::PermissionsExt;
    let dir = corpus(3);
    run(dir.path(), &["index", "texts"]);
    let locked_file = dir.path().join("texts/statement 0000.txt");
    let locked_folder = dir.path().join("texts/private");
    fs::create_dir(&locked_folder).unwrap();
    fs::write(locked_folder.join("inside.txt"), statement(9)).unwrap();
    fs::set_permissions(&locked_file, fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(&locked_folder, fs::Permissions::from_mode(0o000)).unwrap();
    if fs::read(&locked_file).is_ok() {
        // Running as root: permissions do not stop reading, so there is nothing to test.
        fs::set_permissions(&locked_folder, fs::Permissions::from_mode(0o755)).unwrap();
        return;
    }
    // Touch the locked file so the sync must try to read it again.
    fs::set_permissions(&locked_file, fs::Permissions::from_mode(0o000)).unwrap();
    let out = run(dir.path(), &["index", "texts"]);
    fs::set_permissions(&locked_folder, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&locked_file, fs::Permissions::from_mode(0o644)).unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("texts/private: skipped: cannot read"), "{err}");
    // The file that became unreadable keeps its entry: nothing indexed is lost.
    assert_eq!(stats(dir.path())["documents"], 3);
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly_and_keeps_what_was_done() {
    const FILES: usize = 3000;
    let dir = corpus(FILES);
    let sync = dossier(dir.path())
        .args(["index", "texts", "--commit-every", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(250));
    let signalled = Command::new("kill")
        .args(["-INT", &sync.id().to_string()])
        .status()
        .unwrap();
    assert!(signalled.success());
    let out = sync.wait_with_output().unwrap();
    let err = stderr(&out);
    if out.status.code() == Some(130) {
        assert!(
            err.contains("interrupted: finishing the files under way"),
            "{err}"
        );
        assert!(
            err.trim_end()
                .ends_with("(interrupted: run it again to finish)"),
            "{err}"
        );
        let documents = stats(dir.path())["documents"].as_u64().unwrap();
        assert!(documents < FILES as u64, "{documents}");
    } else {
        // The machine was fast enough to finish first.
        assert_eq!(out.status.code(), Some(0), "{err}");
    }
    let out = run(dir.path(), &["index", "texts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stats(dir.path())["documents"], FILES as u64);
}
