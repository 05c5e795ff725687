//! Saved searches: `dossier watchlist`, the new matches each `dossier index` reports, and
//! a sync killed at random moments reporting each new match exactly once.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use serde_json::Value;
use tempfile::TempDir;

use common::{dossier, stderr, stdout};

/// A paragraph long enough to be a passage of its own (40 words or more), about `subject`.
fn paragraph(subject: &str) -> String {
    format!(
        "{subject}. The ministers met in the capital for two days of talks, reviewed the \
         progress made since their last meeting, heard reports from officials on trade, \
         energy and security, and agreed to meet again next year to take stock of the work \
         programme and of its results so far."
    )
}

fn document(subjects: &[&str]) -> String {
    let paragraphs: Vec<String> = subjects.iter().map(|s| paragraph(s)).collect();
    paragraphs.join("\n\n") + "\n"
}

/// A folder of texts with an index of them.
struct Newsroom {
    dir: TempDir,
}

impl Newsroom {
    fn indexed() -> Newsroom {
        let newsroom = Newsroom {
            dir: tempfile::tempdir().unwrap(),
        };
        fs::create_dir(newsroom.path("texts")).unwrap();
        newsroom.write(
            "texts/energy.txt",
            &document(&[
                "Oil stocks were discussed",
                "The strategic reserve of Australia was reviewed",
                "Gas pipelines were discussed",
            ]),
        );
        newsroom.index();
        newsroom
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn write(&self, relative: &str, text: &str) {
        fs::write(self.path(relative), text).unwrap();
    }

    fn run(&self, args: &[&str]) -> Output {
        dossier(self.dir.path()).args(args).output().unwrap()
    }

    /// Runs a command that must succeed; its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out)
    }

    /// `dossier index texts`; its stderr.
    fn index(&self) -> String {
        let out = self.run(&["index", "texts"]);
        assert!(out.status.success(), "{}", stderr(&out));
        stderr(&out)
    }

    /// The passages `watchlist new` lists, as (saved search, passage text).
    fn new_passages(&self, args: &[&str]) -> Vec<(String, String)> {
        let mut all = vec!["watchlist", "new", "--json"];
        all.extend(args);
        self.ok(&all)
            .lines()
            .map(|line| {
                let hit: Value = serde_json::from_str(line).unwrap();
                (
                    hit["query"].as_str().unwrap().to_string(),
                    hit["passage"]["text"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }
}

fn reports(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.contains(" new passage"))
        .collect()
}

#[test]
fn saved_searches_are_added_listed_and_removed() {
    let newsroom = Newsroom::indexed();
    fs::rename(newsroom.path("index"), newsroom.path("desk")).unwrap();
    let out = newsroom.run(&[
        "watchlist",
        "add",
        "strategic-reserve",
        "\"strategic reserve\"",
        "--index",
        "desk",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "saved strategic-reserve: '\"strategic reserve\"'; `dossier index` will say when it has new matches\n"
    );
    // What the index held when the search was saved is not new to it.
    assert_eq!(
        newsroom.ok(&["watchlist", "list", "--index", "desk"]),
        "strategic-reserve: '\"strategic reserve\"' (0 new)\n"
    );
    let listed: Value = serde_json::from_str(
        newsroom
            .ok(&["watchlist", "list", "--json", "--index", "desk"])
            .trim(),
    )
    .unwrap();
    assert_eq!(
        listed,
        serde_json::json!({"name": "strategic-reserve", "search": "'\"strategic reserve\"'",
                           "new_passages": 0, "new_documents": 0})
    );

    let again = newsroom.run(&[
        "watchlist",
        "add",
        "strategic-reserve",
        "oil",
        "--index",
        "desk",
    ]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(
        stderr(&again),
        "dossier: a saved search is already named 'strategic-reserve'; remove it first with \
         `dossier watchlist remove strategic-reserve`\n"
    );
    let badly_named = newsroom.run(&["watchlist", "add", "oil stocks", "oil", "--index", "desk"]);
    assert_eq!(badly_named.status.code(), Some(2));
    assert_eq!(
        stderr(&badly_named),
        "dossier: 'oil stocks' cannot name a saved search: use letters, digits, '-' and '_' \
         (starting with a letter or digit, at most 64)\n"
    );

    let out = newsroom.run(&[
        "watchlist",
        "remove",
        "strategic-reserve",
        "--index",
        "desk",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        "removed strategic-reserve: '\"strategic reserve\"'\n"
    );
    assert_eq!(newsroom.ok(&["watchlist", "list", "--index", "desk"]), "");
    let gone = newsroom.run(&[
        "watchlist",
        "remove",
        "strategic-reserve",
        "--index",
        "desk",
    ]);
    assert_eq!(gone.status.code(), Some(2));
    assert_eq!(
        stderr(&gone),
        "dossier: no saved search named 'strategic-reserve': the watchlist is empty\n"
    );
}

#[test]
fn a_query_that_does_not_parse_is_refused_with_its_column() {
    let newsroom = Newsroom::indexed();
    let out = newsroom.run(&["watchlist", "add", "reserve", "reserve (oil OR gas"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "dossier: saved search 'reserve' not added: unclosed parenthesis at column 9 of \
         'reserve (oil OR gas'\n"
    );
    assert!(!newsroom.path("index/watchlist.json").exists());
}

#[test]
fn a_sync_reports_new_matches_once() {
    let newsroom = Newsroom::indexed();
    newsroom.ok(&["watchlist", "add", "reserve", "\"strategic reserve\""]);
    newsroom.ok(&["watchlist", "add", "pipelines", "pipelines"]);
    newsroom.write(
        "texts/japan.txt",
        &document(&[
            "Japan will double its strategic reserve of oil",
            "The strategic reserve of rare earths will be shared",
            "Shipping lanes were discussed",
        ]),
    );
    newsroom.write(
        "texts/korea.txt",
        &document(&["Korea opened its strategic reserve to partners"]),
    );

    let err = newsroom.index();
    assert!(
        err.starts_with(
            "reserve: 3 new passages in 2 documents\n2 added, 0 changed, 0 removed, 1 unchanged in "
        ),
        "{err}"
    );
    // Said once: the next sync, with nothing new, says nothing of it.
    let err = newsroom.index();
    assert!(
        err.starts_with("0 added, 0 changed, 0 removed, 3 unchanged in "),
        "{err}"
    );
    assert_eq!(reports(&err), Vec::<&str>::new());
}

#[test]
fn a_renamed_or_copied_file_reports_nothing() {
    let newsroom = Newsroom::indexed();
    newsroom.ok(&["watchlist", "add", "reserve", "\"strategic reserve\""]);
    fs::rename(
        newsroom.path("texts/energy.txt"),
        newsroom.path("texts/energy-2025.txt"),
    )
    .unwrap();
    let err = newsroom.index();
    assert!(
        err.starts_with("0 added, 0 changed, 1 moved, 0 removed, 0 unchanged in "),
        "{err}"
    );
    assert_eq!(reports(&err), Vec::<&str>::new());

    fs::copy(
        newsroom.path("texts/energy-2025.txt"),
        newsroom.path("texts/energy-copy.txt"),
    )
    .unwrap();
    let err = newsroom.index();
    assert!(err.starts_with("1 added, "), "{err}");
    assert_eq!(reports(&err), Vec::<&str>::new());
    assert_eq!(newsroom.new_passages(&[]), vec![]);
}

#[test]
fn a_changed_file_reports_only_its_new_paragraph() {
    let newsroom = Newsroom::indexed();
    newsroom.ok(&["watchlist", "add", "reserve", "\"strategic reserve\""]);
    newsroom.ok(&["watchlist", "add", "ministers", "ministers"]);
    let added = "Canada joined the strategic reserve scheme";
    newsroom.write(
        "texts/energy.txt",
        &document(&[
            "Oil stocks were discussed",
            "The strategic reserve of Australia was reviewed",
            added,
            "Gas pipelines were discussed",
        ]),
    );
    let err = newsroom.index();
    // Every paragraph names the ministers, and only the new one is new.
    assert!(
        err.starts_with(
            "reserve: 1 new passage in 1 document\nministers: 1 new passage in 1 document\n\
             0 added, 1 changed, 0 removed, 0 unchanged in "
        ),
        "{err}"
    );
    assert_eq!(
        newsroom.new_passages(&[]),
        vec![
            ("reserve".to_string(), paragraph(added)),
            ("ministers".to_string(), paragraph(added)),
        ]
    );
}

#[test]
fn new_matches_are_listed_until_marked_seen() {
    let newsroom = Newsroom::indexed();
    newsroom.ok(&["watchlist", "add", "reserve", "\"strategic reserve\""]);
    newsroom.ok(&["watchlist", "add", "pipelines", "pipelines"]);
    let reserve = "Japan will double its strategic reserve of oil";
    let pipelines = "Two pipelines will link the ports";
    newsroom.write("texts/japan.txt", &document(&[reserve, pipelines]));
    newsroom.index();

    let both = vec![
        ("reserve".to_string(), paragraph(reserve)),
        ("pipelines".to_string(), paragraph(pipelines)),
    ];
    assert_eq!(newsroom.new_passages(&[]), both);
    // Listing marks nothing seen unless asked.
    assert_eq!(newsroom.new_passages(&["reserve"]), both[..1]);
    assert_eq!(
        newsroom.new_passages(&["reserve", "--mark-seen"]),
        both[..1]
    );
    assert_eq!(newsroom.new_passages(&["reserve"]), vec![]);
    assert_eq!(newsroom.new_passages(&[]), both[1..]);
    // A later batch is new again.
    let later = "Korea opened its strategic reserve to partners";
    newsroom.write("texts/korea.txt", &document(&[later]));
    newsroom.index();
    assert_eq!(
        newsroom.new_passages(&["reserve"]),
        vec![("reserve".to_string(), paragraph(later))]
    );

    let unknown = newsroom.run(&["watchlist", "new", "oil", "--index", "index"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert_eq!(
        stderr(&unknown),
        "dossier: no saved search named 'oil'; the saved searches are reserve, pipelines\n"
    );
}

#[test]
fn new_matches_are_listed_as_search_lists_them() {
    let newsroom = Newsroom::indexed();
    newsroom.ok(&["watchlist", "add", "reserve", "\"strategic reserve\""]);
    newsroom.ok(&["watchlist", "add", "pipelines", "pipelines"]);
    newsroom.write(
        "texts/japan.txt",
        &document(&["Japan will double its strategic reserve of oil"]),
    );
    newsroom.index();

    let plain = newsroom.ok(&["watchlist", "new", "--color", "never"]);
    let expected_start = "reserve: 1 new passage in 1 document ('\"strategic reserve\"')\n\n1. ";
    assert!(plain.starts_with(expected_start), "{plain}");
    assert!(plain.contains("\n   texts/japan.txt:1:23\n"), "{plain}");
    assert!(
        plain.ends_with("\npipelines: nothing new ('pipelines')\n"),
        "{plain}"
    );
    assert!(!plain.contains('\x1b'));
    let coloured = newsroom.ok(&["watchlist", "new", "--color", "always"]);
    assert!(coloured.contains("\x1b["), "{coloured}");
}

#[test]
fn new_matches_as_csv_carry_the_search_name() {
    let newsroom = Newsroom::indexed();
    newsroom.ok(&["watchlist", "add", "reserve", "\"strategic reserve\""]);
    newsroom.write(
        "texts/japan.txt",
        &document(&["Japan will double its strategic reserve of oil"]),
    );
    newsroom.index();
    let csv = newsroom.ok(&["watchlist", "new", "--csv"]);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert!(lines[0].starts_with("query,rank,title,"), "{csv}");
    assert!(lines[1].starts_with("reserve,1,"), "{csv}");
    assert!(lines[1].contains(",texts/japan.txt,1,23,"), "{csv}");
    assert_eq!(lines.len(), 3, "{csv}");
}

#[test]
fn the_history_lists_new_matches_seen_or_not() {
    let newsroom = Newsroom::indexed();
    newsroom.ok(&["watchlist", "add", "reserve", "\"strategic reserve\""]);
    let later = "Japan will double its strategic reserve of oil";
    newsroom.write("texts/japan.txt", &document(&[later]));
    newsroom.index();
    newsroom.ok(&["watchlist", "new", "--mark-seen"]);
    assert_eq!(newsroom.new_passages(&[]), vec![]);

    // Since a day long past: every passage that entered the index since, the first batch
    // included, seen or not.
    let history = newsroom.new_passages(&["--since", "2000-01-01"]);
    let mut texts: Vec<&str> = history.iter().map(|(_, text)| text.as_str()).collect();
    texts.sort();
    assert_eq!(
        texts,
        vec![
            paragraph(later).as_str(),
            paragraph("The strategic reserve of Australia was reviewed").as_str()
        ]
    );
    assert_eq!(newsroom.new_passages(&["--since", "9000"]), vec![]);
}

#[test]
fn a_saved_search_keeps_its_filters() {
    let newsroom = Newsroom::indexed();
    let out = newsroom.run(&[
        "watchlist",
        "add",
        "japan",
        "\"strategic reserve\"",
        "--country",
        "Japan",
        "--org",
        "G7",
        "--issuer",
        "JPN",
        "--since",
        "2020",
        "--until",
        "2030-06",
        "--include-undated",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        newsroom.ok(&["watchlist", "list"]),
        "japan: '\"strategic reserve\"' --country JP --org G7 --issuer JP --since 2020 \
         --until 2030-06 --include-undated (0 new)\n"
    );
    newsroom.ok(&["watchlist", "remove", "japan"]);

    newsroom.ok(&[
        "watchlist",
        "add",
        "japan",
        "\"strategic reserve\"",
        "--country",
        "Japan",
        "--since",
        "2020",
        "--include-undated",
    ]);
    newsroom.write(
        "texts/japan.txt",
        &document(&["Japan will double its strategic reserve of oil"]),
    );
    newsroom.write(
        "texts/korea.txt",
        &document(&["Korea opened its strategic reserve to partners"]),
    );
    let err = newsroom.index();
    assert_eq!(reports(&err), vec!["japan: 1 new passage in 1 document"]);
}

#[test]
fn a_rebuild_keeps_the_watchlist_and_reports_nothing_new() {
    let newsroom = Newsroom::indexed();
    newsroom.ok(&["watchlist", "add", "reserve", "\"strategic reserve\""]);
    let later = "Japan will double its strategic reserve of oil";
    newsroom.write("texts/japan.txt", &document(&[later]));
    newsroom.index();

    let out = newsroom.run(&["index", "--rebuild"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).starts_with("2 added, "), "{}", stderr(&out));
    assert_eq!(reports(&stderr(&out)), Vec::<&str>::new());
    // What was new before the rebuild still is, and nothing else.
    assert_eq!(
        newsroom.new_passages(&[]),
        vec![("reserve".to_string(), paragraph(later))]
    );
}

/// One statement with one paragraph on lithium, and `n` in every paragraph, so that no two
/// files share a passage.
fn statement(n: usize) -> String {
    let mut subjects: Vec<String> = (0..6)
        .map(|p| format!("Item {p} of statement {n} on supply chains"))
        .collect();
    subjects.insert(
        3,
        format!("Statement {n} sets up a lithium processing fund"),
    );
    let subjects: Vec<&str> = subjects.iter().map(String::as_str).collect();
    document(&subjects)
}

fn new_lithium_passages(dir: &Path, index: &str) -> u64 {
    let out = dossier(dir)
        .args(["watchlist", "list", "--json", "--index", index])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let listed: Value = serde_json::from_str(stdout(&out).trim()).unwrap();
    listed["new_passages"].as_u64().unwrap()
}

/// What a run said on stderr of the lithium search: the passages it reported.
fn reported(stderr: &str) -> u64 {
    stderr
        .lines()
        .filter_map(|line| line.strip_prefix("lithium: "))
        .map(|rest| rest.split(' ').next().unwrap().parse::<u64>().unwrap())
        .sum()
}

#[test]
fn killed_at_random_moments_new_matches_are_reported_exactly_once() {
    const FILES_PER_BATCH: usize = 400;
    let newsroom = Newsroom::indexed();
    let dir = newsroom.dir.path();
    newsroom.ok(&["watchlist", "add", "lithium", "lithium"]);
    // A fixed sequence of delays, so that a failure can be replayed.
    let delays_ms = [40, 700, 250, 1200, 90, 500, 1600, 350];
    let mut said = 0;
    let mut killed_mid_run = false;
    for (trial, delay) in delays_ms.iter().enumerate() {
        for n in 0..FILES_PER_BATCH {
            let n = trial * FILES_PER_BATCH + n;
            newsroom.write(&format!("texts/statement {n:05}.txt"), &statement(n));
        }
        let log = dir.join(format!("trial-{trial}.log"));
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dossier"))
            .current_dir(dir)
            .env_remove("DOSSIER_INDEX")
            .args(["index", "texts", "--commit-every", "1", "--threads", "2"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(*delay));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill(); // SIGKILL
        child.wait().unwrap();
        killed_mid_run |= !finished;
        said += reported(&fs::read_to_string(&log).unwrap());
    }
    let out = newsroom.run(&["index", "texts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    said += reported(&stderr(&out));
    let added = (delays_ms.len() * FILES_PER_BATCH) as u64;
    assert_eq!(said, added, "every new passage said exactly once");
    // Nothing is marked seen: the reader still finds each one.
    assert_eq!(new_lithium_passages(dir, "index"), added);
    assert!(
        killed_mid_run,
        "no kill landed mid-run: make the batches bigger"
    );
}

/// `dossier watch ARGS` running in `dir`, its stderr going to `dir/watch.log`.
struct Watching {
    child: std::process::Child,
    log: PathBuf,
}

impl Watching {
    fn start(dir: &Path, args: &[&str]) -> Watching {
        let log = dir.join("watch.log");
        let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dossier"))
            .current_dir(dir)
            .env_remove("DOSSIER_INDEX")
            .arg("watch")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        Watching { child, log }
    }

    fn said(&self) -> String {
        fs::read_to_string(&self.log).unwrap()
    }

    /// Waits until stderr holds `count` sync summaries; all of stderr.
    fn wait_for_syncs(&self, count: usize) -> String {
        for _ in 0..600 {
            let said = self.said();
            if said.matches(" unchanged in ").count() >= count {
                return said;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("no sync {count} after 30 s: {}", self.said());
    }

    /// Ctrl-C; the exit code.
    fn interrupt(mut self) -> Option<i32> {
        // SAFETY: kill(2) with a process id and a signal number touches no memory.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGINT);
        }
        for _ in 0..200 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("still watching 10 s after Ctrl-C: {}", self.said());
    }
}

#[test]
fn watching_a_folder_indexes_a_burst_in_one_sync_and_stops_on_ctrl_c() {
    let newsroom = Newsroom::indexed();
    fs::rename(newsroom.path("index"), newsroom.path("desk")).unwrap();
    newsroom.ok(&["watchlist", "add", "lithium", "lithium", "--index", "desk"]);
    let watching = Watching::start(
        newsroom.dir.path(),
        &["texts", "--settle", "1", "--index", "desk"],
    );
    let said = watching.wait_for_syncs(1);
    assert!(
        said.starts_with("0 added, 0 changed, 0 removed, 1 unchanged in "),
        "{said}"
    );
    assert_eq!(said.lines().count(), 1, "{said}");

    for n in 0..200 {
        newsroom.write(&format!("texts/statement {n:05}.txt"), &statement(n));
    }
    let said = watching.wait_for_syncs(2);
    let lines: Vec<&str> = said.lines().collect();
    assert_eq!(
        lines[1], "lithium: 200 new passages in 200 documents",
        "{said}"
    );
    assert!(
        lines[2].starts_with("200 added, 0 changed, 0 removed, 1 unchanged in "),
        "{said}"
    );

    fs::rename(
        newsroom.path("texts/statement 00000.txt"),
        newsroom.path("texts/renamed.txt"),
    )
    .unwrap();
    let said = watching.wait_for_syncs(3);
    assert!(
        said.lines()
            .nth(3)
            .unwrap()
            .starts_with("0 added, 0 changed, 1 moved, 0 removed, 200 unchanged in "),
        "{said}"
    );
    fs::remove_file(newsroom.path("texts/renamed.txt")).unwrap();
    let said = watching.wait_for_syncs(4);
    assert!(
        said.lines()
            .nth(4)
            .unwrap()
            .starts_with("0 added, 0 changed, 1 removed, 200 unchanged in "),
        "{said}"
    );

    let log = watching.log.clone();
    assert_eq!(watching.interrupt(), Some(0));
    assert!(fs::read_to_string(log)
        .unwrap()
        .ends_with("\nstopped watching\n"));
    assert_eq!(new_lithium_passages(newsroom.dir.path(), "desk"), 199);
    assert!(!newsroom.path("index").exists());
}

#[test]
fn a_file_still_being_written_is_indexed_once_whole() {
    let newsroom = Newsroom::indexed();
    newsroom.ok(&["watchlist", "add", "lithium", "lithium"]);
    let watching = Watching::start(newsroom.dir.path(), &["--settle", "1", "--quiet"]);
    // Give the watch time to start: with --quiet it says nothing when it has.
    std::thread::sleep(Duration::from_millis(1500));
    let text = statement(7);
    let (first, rest) = text.split_at(text.len() / 2);
    let path = newsroom.path("texts/growing.txt");
    fs::write(&path, first).unwrap();
    for chunk in rest.as_bytes().chunks(rest.len() / 4 + 1) {
        std::thread::sleep(Duration::from_millis(200));
        let mut file = fs::OpenOptions::new().append(true).open(&path).unwrap();
        std::io::Write::write_all(&mut file, chunk).unwrap();
    }
    for _ in 0..200 {
        if !watching.said().is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    // Twice the settle time more: a second sync would have said more by now.
    std::thread::sleep(Duration::from_millis(2500));
    assert_eq!(watching.said(), "lithium: 1 new passage in 1 document\n");
    assert_eq!(watching.interrupt(), Some(0));
    let out = newsroom.ok(&["search", "--json", "--per-doc", "20", "statement 7"]);
    assert_eq!(out.lines().count(), 7, "every paragraph, whole: {out}");
}

#[test]
fn a_watchlist_that_cannot_be_read_does_not_fail_the_sync() {
    let newsroom = Newsroom::indexed();
    newsroom.ok(&["watchlist", "add", "reserve", "\"strategic reserve\""]);
    let saved = fs::read_to_string(newsroom.path("index/watchlist.json")).unwrap();
    newsroom.write("index/watchlist.json", "{ half a file");
    newsroom.write(
        "texts/japan.txt",
        &document(&["Japan will double its strategic reserve of oil"]),
    );
    let err = newsroom.index();
    assert!(
        err.starts_with(
            "warning: no new matches reported: index/watchlist.json is not a watchlist dossier \
             can read: "
        ),
        "{err}"
    );
    assert!(
        err.contains("\n1 added, 0 changed, 0 removed, 1 unchanged in "),
        "{err}"
    );
    // Mended, the next sync reports what the broken one could not.
    newsroom.write("index/watchlist.json", &saved);
    let err = newsroom.index();
    assert_eq!(reports(&err), vec!["reserve: 1 new passage in 1 document"]);
}
