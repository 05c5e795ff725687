//! `dossier serve` over HTTP, without a browser: what the page and the API answer, and what
//! they refuse. What only a browser shows is in tests/browser.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use common::{copy_seeds, dossier, stderr, stdout};

/// A running `dossier serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(dir: &Path) -> Server {
        Server::start_with(dir, &[]).0
    }

    /// A server started with `args` after `serve --port 0`, and the address it printed.
    fn start_with(dir: &Path, args: &[&str]) -> (Server, String) {
        Server::start_with_path(dir, args, &std::env::var("PATH").unwrap())
    }

    /// Started with `PATH` as given, for the programs it may start.
    fn start_with_path(dir: &Path, args: &[&str], path: &str) -> (Server, String) {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("dossier"))
            .args(["serve", "--port", "0"])
            .args(args)
            .current_dir(dir)
            .env_remove("DOSSIER_INDEX")
            .env("PATH", path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .trim_end_matches('/')
            .rsplit(':')
            .next()
            .unwrap()
            .parse()
            .unwrap_or_else(|_| panic!("no address in {line:?}"));
        (Server { child, port }, line)
    }

    /// Status, headers (lower-cased names) and body of a request.
    fn request(&self, method: &str, target: &str, headers: &[(&str, &str)]) -> Response {
        self.request_to("127.0.0.1", method, target, headers)
    }

    fn request_to(
        &self,
        ip: &str,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
    ) -> Response {
        self.send(ip, method, target, headers, "")
    }

    /// A form posted from the page itself, or from where `headers` say.
    fn post(&self, target: &str, form: &str, headers: &[(&str, &str)]) -> Response {
        let mut headers = headers.to_vec();
        headers.push(("Content-Type", "application/x-www-form-urlencoded"));
        self.send("127.0.0.1", "POST", target, &headers, form)
    }

    fn send(
        &self,
        ip: &str,
        method: &str,
        target: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Response {
        let mut stream = TcpStream::connect((ip, self.port)).unwrap();
        let mut request = format!("{method} {target} HTTP/1.1\r\nConnection: close\r\n");
        if !headers
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case("host"))
        {
            request.push_str(&format!("Host: {ip}:{}\r\n", self.port));
        }
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
        stream.write_all(request.as_bytes()).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
        let status = head[9..12].parse().unwrap();
        Response {
            status,
            head,
            body: String::from_utf8_lossy(&raw[split + 4..]).into_owned(),
        }
    }

    fn get(&self, target: &str) -> Response {
        self.request("GET", target, &[])
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    head: String,
    body: String,
}

impl Response {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// The seeds, indexed, in a new folder.
fn seeded() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_seeds(dir.path());
    dossier(dir.path()).arg("index").assert().success();
    dir
}

#[test]
fn the_search_page_shows_passages_with_the_phrase_marked_and_the_match_locator() {
    let dir = seeded();
    let server = Server::start(dir.path());
    let page = server.get("/?q=%22strategic+reserve%22");
    assert_eq!(page.status, 200);
    assert!(page.head.contains("content-type: text/html; charset=utf-8"));
    assert!(page.body.contains("<mark>Strategic Reserve</mark>"));
    assert!(page
        .body
        .contains("<code>seeds/000_bf12a9a2493fb5c7.txt:21:119</code>"));
    assert!(page.body.contains(r#"<p id="summary" role="status">"#));
    // The document view opens at the passage of the match.
    assert!(page
        .body
        .contains("&amp;back=q%3D%2522strategic%2Breserve%2522#at2156"));
    // Facets count every match; the year bar keeps one year.
    assert!(page.body.contains(r#"<h2 id="facet-country">Countries"#));
    assert!(page
        .body
        .contains("href=\"/?q=%22strategic+reserve%22&amp;since=2026&amp;until=2026\""));
}

#[test]
fn a_query_that_does_not_parse_is_shown_at_its_column_with_status_400() {
    let dir = seeded();
    let server = Server::start(dir.path());
    let page = server.get("/?q=reserve+%22unclosed");
    assert_eq!(page.status, 400);
    assert!(page.body.contains(
        "<strong>unclosed quote</strong> at column 9.</p><pre class=\"at\">reserve <mark class=\"error-at\">&quot;</mark>unclosed</pre>"
    ));
    assert!(page.body.contains(r#"aria-invalid="true""#));
    let api = server.get("/api/search?q=reserve+%22unclosed");
    assert_eq!(api.status, 400);
    assert_eq!(
        api.json(),
        serde_json::json!({"error": "unclosed quote", "column": 9})
    );
}

#[test]
fn the_api_gives_the_objects_of_the_cli_json_and_its_counts() {
    let dir = seeded();
    let server = Server::start(dir.path());
    let api = server.get("/api/search?q=japan&country=AU").json();
    let cli = dossier(dir.path())
        .args([
            "search",
            "japan",
            "--country",
            "AU",
            "--per-doc",
            "4",
            "--json",
        ])
        .output()
        .unwrap();
    let cli: Vec<serde_json::Value> = stdout(&cli)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(api["results"].as_array().unwrap(), &cli);
    assert_eq!(api["matching_documents"], 1);

    let counts = server.get("/api/counts?q=japan").json();
    let cli = dossier(dir.path())
        .args([
            "search",
            "japan",
            "--count-by",
            "year,country,issuer,org",
            "--json",
        ])
        .output()
        .unwrap();
    let cli: serde_json::Value = serde_json::from_str(&stdout(&cli)).unwrap();
    assert_eq!(counts["counts"], cli["counts"]);
    assert_eq!(api["counts"]["counts"], cli["counts"]);
    assert_eq!(counts["counts"]["issuer"][0]["value"], "AU");
}

#[test]
fn excluding_a_country_leaves_out_the_documents_that_name_it() {
    let dir = seeded();
    let server = Server::start(dir.path());
    let all = server.get("/api/search?q=minerals").json();
    let without = server.get("/api/search?q=minerals&not_country=JP").json();
    let named_japan = |result: &serde_json::Value| {
        result["doc"]["countries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "JP")
    };
    let all_results = all["results"].as_array().unwrap();
    assert!(all_results.iter().any(named_japan));
    let kept = without["results"].as_array().unwrap();
    assert!(!kept.is_empty() && !kept.iter().any(named_japan));
    let page = server.get("/?q=minerals&not_country=JP");
    assert!(page
        .body
        .contains(r#"aria-label="Remove filter Country: not Japan">Country: not Japan"#));
}

#[test]
fn the_document_view_marks_every_match_and_says_why_it_is_tagged() {
    let dir = seeded();
    let server = Server::start(dir.path());
    let path = dir.path().join("seeds/003_c0b26d69ac4a28f7.txt");
    let target = format!(
        "/document?path={}&q=japan",
        path.canonicalize().unwrap().display()
    );
    let page = server.get(&target);
    assert_eq!(page.status, 200);
    let marks = page.body.matches("<mark class=\"hit\" id=\"m").count();
    let api = server
        .get(&target.replace("/document", "/api/document"))
        .json();
    let highlights: usize = api["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["highlights"].as_array().unwrap().len())
        .sum();
    assert_eq!(marks, highlights);
    assert!(marks >= 7, "{marks} matches");
    assert!(page.body.contains(&format!("id=\"m{}\"", marks - 1)));
    assert!(page.body.contains("<summary>Why these tags</summary>"));
    assert!(page.body.contains("Japan-Australia Joint Declaration"));
}

#[test]
fn a_hostile_document_shows_its_markup_as_text() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    std::fs::write(
        dir.path().join("docs/hostile.txt"),
        "<script>alert('title')</script> Statement on reserves\n\n\
         The reserve <img src=x onerror=alert(1)> is <a href=\"javascript:alert(2)\">here</a>.\n",
    )
    .unwrap();
    dossier(dir.path())
        .args(["index", "docs"])
        .assert()
        .success();
    let server = Server::start(dir.path());
    let page = server.get("/?q=reserve").body;
    assert!(!page.contains("<script>alert"), "{page}");
    assert!(!page.contains("<img src=x"), "{page}");
    assert!(!page.contains("<a href=\"javascript:"), "{page}");
    assert!(page.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(page.contains("&lt;a href=&quot;javascript:alert(2)&quot;&gt;"));
}

#[test]
fn a_request_for_another_host_name_is_refused_with_421() {
    let dir = seeded();
    let server = Server::start(dir.path());
    let rebound = server.request("GET", "/?q=japan", &[("Host", "attacker.example:8080")]);
    assert_eq!(rebound.status, 421);
    for host in ["localhost:8080", "127.0.0.1", "[::1]:8080"] {
        assert_eq!(
            server.request("GET", "/", &[("Host", host)]).status,
            200,
            "{host}"
        );
    }
}

#[test]
fn every_answer_carries_the_content_security_policy_and_nosniff() {
    let dir = seeded();
    let server = Server::start(dir.path());
    for target in [
        "/",
        "/?q=japan",
        "/api/search?q=japan",
        "/static/app.js",
        "/nothing",
    ] {
        let response = server.get(target);
        assert!(
            response
                .head
                .contains("content-security-policy: default-src 'none'; script-src 'self'"),
            "{target}"
        );
        assert!(
            response.head.contains("x-content-type-options: nosniff"),
            "{target}"
        );
    }
}

#[test]
fn nothing_changes_state_and_a_cross_site_request_is_refused() {
    let dir = seeded();
    let server = Server::start(dir.path());
    let cross = server.request("POST", "/?q=japan", &[("Sec-Fetch-Site", "cross-site")]);
    assert_eq!(cross.status, 403);
    assert_eq!(cross.body, "cross-site request refused\n");
    let foreign = server.request("POST", "/", &[("Origin", "http://attacker.example")]);
    assert_eq!(foreign.status, 403);
    // From the page itself, a POST still finds no route that changes anything.
    let same = server.request("POST", "/", &[("Sec-Fetch-Site", "same-origin")]);
    assert_eq!(same.status, 405);
}

#[test]
fn only_files_in_the_index_can_be_downloaded() {
    let dir = seeded();
    std::fs::write(dir.path().join("secret.txt"), "not indexed").unwrap();
    let server = Server::start(dir.path());
    let seed = dir
        .path()
        .join("seeds/001_f9da1645063f16ec.txt")
        .canonicalize()
        .unwrap();
    let file = server.get(&format!("/file?path={}", seed.display()));
    assert_eq!(file.status, 200);
    assert!(file
        .head
        .contains("content-disposition: attachment; filename=\"001_f9da1645063f16ec.txt\""));
    assert!(file.head.contains("content-type: application/octet-stream"));
    assert_eq!(file.body, std::fs::read_to_string(&seed).unwrap());
    let seeds = seed.parent().unwrap();
    for path in [
        dir.path().canonicalize().unwrap().join("secret.txt"),
        seeds.join("../secret.txt"),
        "/etc/passwd".into(),
    ] {
        let refused = server.get(&format!("/file?path={}", path.display()));
        assert_eq!(refused.status, 404, "{}", path.display());
        assert!(
            refused.body.ends_with("is not in the index\n"),
            "{}",
            refused.body
        );
    }
}

#[test]
fn the_csv_export_is_what_the_cli_writes() {
    let dir = seeded();
    let server = Server::start(dir.path());
    let export = server.get("/export?q=japan&format=csv");
    assert!(export
        .head
        .contains("content-type: text/csv; charset=utf-8"));
    assert!(export
        .head
        .contains("attachment; filename=\"dossier-results.csv\""));
    let cli = dossier(dir.path())
        .args(["search", "japan", "--per-doc", "4", "--csv"])
        .output()
        .unwrap();
    assert_eq!(export.body, stdout(&cli));
    let json = server.get("/export?q=japan&format=json");
    let cli = dossier(dir.path())
        .args(["search", "japan", "--per-doc", "4", "--json"])
        .output()
        .unwrap();
    assert_eq!(json.body, stdout(&cli));
}

#[test]
fn a_document_indexed_while_the_server_runs_is_found_without_a_restart() {
    let dir = seeded();
    let server = Server::start(dir.path());
    let before = server.get("/api/search?q=zanzibar").json();
    assert_eq!(before["matching_documents"], 0);
    std::fs::write(
        dir.path().join("seeds/new.txt"),
        "Zanzibar statement\n\nThe ministers met in Zanzibar.\n",
    )
    .unwrap();
    dossier(dir.path()).arg("index").assert().success();
    let after = server.get("/api/search?q=zanzibar").json();
    assert_eq!(after["matching_documents"], 1);
    assert_eq!(after["total_documents"], 6);
}

#[test]
fn the_second_page_continues_where_the_first_ended() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    for i in 0..13 {
        let text = format!(
            "Statement {i}\n\nOn tariffs, {}.\n",
            "tariffs ".repeat(i + 1)
        );
        std::fs::write(dir.path().join(format!("docs/{i:02}.txt")), text).unwrap();
    }
    dossier(dir.path())
        .args(["index", "docs"])
        .assert()
        .success();
    let server = Server::start(dir.path());
    let ranks = |target: &str| -> Vec<String> {
        server.get(target).json()["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["doc"]["title"].as_str().unwrap().to_string())
            .collect()
    };
    let first = ranks("/api/search?q=tariffs");
    let second = ranks("/api/search?q=tariffs&page=2");
    assert_eq!((first.len(), second.len()), (10, 3));
    assert!(first.iter().all(|title| !second.contains(title)));
    let page = server.get("/?q=tariffs");
    assert!(page
        .body
        .contains(r#"<a class="more" rel="next" href="/?q=tariffs&amp;page=2">"#));
    assert!(server
        .get("/?q=tariffs&page=2")
        .body
        .contains(r#"<ol class="results" start="11">"#));
}

#[test]
fn serving_beyond_this_machine_must_be_asked_for() {
    let dir = seeded();
    let refused = dossier(dir.path())
        .args(["serve", "--bind", "0.0.0.0", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(
        stderr(&refused),
        "dossier: refusing to serve the index on 0.0.0.0, which other machines can reach; \
         add --allow-remote if everyone on that network may read every indexed document\n"
    );
    let (server, printed) =
        Server::start_with(dir.path(), &["--bind", "0.0.0.0", "--allow-remote"]);
    assert_eq!(printed, format!("http://0.0.0.0:{}/\n", server.port));
    // Asked to be reachable by name from other machines, it no longer checks the name.
    let by_name = server.request("GET", "/", &[("Host", "newsroom-server:8080")]);
    assert_eq!(by_name.status, 200);
}

#[test]
fn serve_prints_the_address_it_listens_on() {
    let dir = seeded();
    std::fs::rename(dir.path().join("index"), dir.path().join("elsewhere")).unwrap();
    let (server, printed) = Server::start_with(dir.path(), &["--index", "elsewhere"]);
    assert_eq!(printed, format!("http://127.0.0.1:{}/\n", server.port));
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Search 5 documents."));
}

#[test]
fn another_loopback_address_answers_to_its_own_name() {
    let dir = seeded();
    let (server, printed) = Server::start_with(dir.path(), &["--bind", "127.0.0.2"]);
    assert_eq!(printed, format!("http://127.0.0.2:{}/\n", server.port));
    assert_eq!(server.request_to("127.0.0.2", "GET", "/", &[]).status, 200);
    let elsewhere = server.request_to("127.0.0.2", "GET", "/", &[("Host", "attacker.example")]);
    assert_eq!(elsewhere.status, 421);
}

#[test]
fn open_starts_the_browser_at_the_address() {
    let dir = seeded();
    // A stand-in for the desktop's opener, which writes down what it was asked to open.
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let opened = dir.path().join("opened");
    let opener = format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display());
    for name in ["xdg-open", "open"] {
        let path = bin.join(name);
        std::fs::write(&path, &opener).unwrap();
        let mut permissions = std::fs::metadata(&path).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
        std::fs::set_permissions(&path, permissions).unwrap();
    }
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let (_server, line) = Server::start_with_path(dir.path(), &["--open"], &path);
    let mut waited = 0;
    while !opened.exists() && waited < 100 {
        std::thread::sleep(std::time::Duration::from_millis(50));
        waited += 1;
    }
    assert_eq!(std::fs::read_to_string(&opened).unwrap(), line);
}

#[test]
fn saved_searches_show_their_new_passages_until_marked_seen() {
    let dir = seeded();
    dossier(dir.path())
        .args(["watchlist", "add", "earths", "\"rare earths\""])
        .assert()
        .success();
    std::fs::write(
        dir.path().join("seeds/new.txt"),
        "Stockpiles\n\nThe ministers agreed to share rare earths.\n",
    )
    .unwrap();
    dossier(dir.path()).arg("index").assert().success();
    let server = Server::start(dir.path());
    let all = server.get("/new");
    assert_eq!(all.status, 200);
    assert!(all
        .body
        .contains(r#"<a href="/new?name=earths">earths</a>"#));
    assert!(all
        .body
        .contains("<strong>1 new passage</strong> in 1 document"));
    let one = server.get("/new?name=earths");
    assert!(one.body.contains("<mark>rare earths</mark>"));
    assert!(one.body.contains("<code>seeds/new.txt:3:31</code>"));
    let through = one
        .body
        .split(r#"name="through" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let form = format!("name=earths&through={through}");

    let cross = server.post("/new/seen", &form, &[("Sec-Fetch-Site", "cross-site")]);
    assert_eq!(cross.status, 403);
    assert!(server
        .get("/new")
        .body
        .contains("<strong>1 new passage</strong>"));

    let marked = server.post("/new/seen", &form, &[("Sec-Fetch-Site", "same-origin")]);
    assert_eq!(marked.status, 303);
    assert!(marked.head.contains("location: /new?name=earths"));
    assert!(server
        .get("/new")
        .body
        .contains("Nothing new since last marked seen."));
    let cli = dossier(dir.path())
        .args(["watchlist", "new", "earths"])
        .output()
        .unwrap();
    assert_eq!(stdout(&cli), "earths: nothing new ('\"rare earths\"')\n");
    assert_eq!(server.get("/new?name=nobody").status, 404);
}

#[test]
fn a_pdf_opens_at_the_page_of_its_match() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("docs")).unwrap();
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/documents/en-12-explicit-pages.pdf"
    );
    std::fs::copy(fixture, dir.path().join("docs/licence.pdf")).unwrap();
    dossier(dir.path())
        .args(["index", "docs"])
        .assert()
        .success();
    let server = Server::start(dir.path());
    let api = server.get("/api/search?q=%22Section+3+of%22").json();
    let first = &api["results"][0];
    assert_eq!(first["passage"]["match_page"], 3);
    let page = server.get("/?q=%22Section+3+of%22").body;
    let link = page
        .split(r#"<p class="locator"><a href=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    let anchor = link.split('#').nth(1).unwrap().to_string();
    let view = server.get(&link).body;
    // The passage the result names sits under the heading of its page, whose link opens
    // the PDF itself at that page.
    let heading = view.find(r#"<h2 class="page" id="page3">"#).unwrap();
    let passage = view.find(&format!(r#"id="{anchor}""#)).unwrap();
    let next_heading = view.find(r#"id="page4""#).unwrap_or(view.len());
    assert!(heading < passage && passage < next_heading);
    assert!(view.contains("licence.pdf#page=3\">open the PDF at this page</a>"));
    let pdf = server.get(&format!(
        "/file?path={}",
        dir.path()
            .join("docs/licence.pdf")
            .canonicalize()
            .unwrap()
            .display()
    ));
    assert!(pdf.head.contains("content-type: application/pdf"));
    assert!(pdf
        .head
        .contains("content-disposition: inline; filename=\"licence.pdf\""));
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let dir = seeded();
    let (mut server, _) = Server::start_with(dir.path(), &[]);
    assert_eq!(server.get("/").status, 200);
    // SAFETY: kill(2) with a pid of our own child and a signal number.
    unsafe {
        libc::kill(server.child.id() as i32, libc::SIGINT);
    }
    let status = server.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}
