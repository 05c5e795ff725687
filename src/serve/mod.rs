//! `dossier serve`: the search page and its JSON API, on loopback, over the same index.
//!
//! Every route is a GET that changes nothing. Searches run on tokio's blocking pool (they
//! are CPU work of a few milliseconds); the runtime carries the connections. The index is
//! reopened when a commit lands (its `meta.json` changes), so results stay fresh while
//! `dossier index` runs beside the server.

mod page;
mod params;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::body::Body;
use axum::extract::{RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::error::{Error, Result};
use crate::index::DossierIndex;
use crate::ingest;
use crate::output::{self, CsvRows};
use crate::search::{self, DocumentHit, SearchRequest, SearchResults};
use crate::watchlist::{self, Watchlist};

use params::Params;

use page::{Problem, SearchPage};

/// How `dossier serve` was asked to run.
pub struct ServeOptions {
    pub index_dir: PathBuf,
    pub address: SocketAddr,
    /// An address other than loopback was asked for, knowingly.
    pub allow_remote: bool,
}

/// Whom the page may be served to: loopback unless the user asked for more.
pub fn check_address(address: &SocketAddr, allow_remote: bool) -> Result<()> {
    if address.ip().is_loopback() || allow_remote {
        return Ok(());
    }
    Err(Error::Invalid(format!(
        "refusing to serve the index on {}, which other machines can reach; \
         add --allow-remote if everyone on that network may read every indexed document",
        address.ip()
    )))
}

/// Binds, then serves until Ctrl-C. `ready` is told the address once it accepts requests.
pub fn run(options: ServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    check_address(&options.address, options.allow_remote)?;
    let listener = TcpListener::bind(options.address).map_err(|error| {
        Error::Invalid(format!("failed to listen on {}: {error}", options.address))
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|error| Error::Invalid(format!("failed to listen: {error}")))?;
    let address = listener
        .local_addr()
        .map_err(|error| Error::Invalid(format!("failed to listen: {error}")))?;
    let state = AppState::new(&options.index_dir, address, options.allow_remote)?;
    // Searches are CPU work: more threads than cores would only share the cores, and each
    // thread keeps its own allocator heap. Connections need little: one thread carries them.
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(cores)
        .enable_all()
        .build()
        .map_err(|error| Error::Invalid(format!("failed to start the server: {error}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|error| Error::Invalid(format!("failed to listen: {error}")))?;
        ready(address);
        axum::serve(listener, app(state))
            .with_graceful_shutdown(async {
                // Without a handler, Ctrl-C would still stop the process; with one,
                // requests in flight are answered first.
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|error| Error::Invalid(format!("the server stopped: {error}")))
    })
}

/// The index as of its last commit, reopened when another commit lands.
struct AppState {
    dir: PathBuf,
    cwd: PathBuf,
    /// The address listened on, as a Host header names it: `127.0.0.2:8080`, `[::1]:8080`.
    bound: String,
    allow_any_host: bool,
    current: Mutex<(Option<Stamp>, Arc<DossierIndex>)>,
}

/// When and how large `meta.json` was: tantivy rewrites it at every commit.
type Stamp = (SystemTime, u64);

fn stamp(dir: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(dir.join("meta.json")).ok()?;
    Some((meta.modified().ok()?, meta.len()))
}

impl AppState {
    fn new(dir: &Path, bound: SocketAddr, allow_any_host: bool) -> Result<Arc<AppState>> {
        let stamp = stamp(dir);
        let index = DossierIndex::open(dir)?;
        Ok(Arc::new(AppState {
            dir: dir.to_path_buf(),
            cwd: std::env::current_dir().unwrap_or_default(),
            bound: bound.to_string(),
            allow_any_host,
            current: Mutex::new((stamp, Arc::new(index))),
        }))
    }

    /// The index, reopened first if a commit has landed since it was opened. A commit
    /// that cannot be opened (a rebuild under way to another version) leaves the last one.
    fn index(&self) -> Arc<DossierIndex> {
        let now = stamp(&self.dir);
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if now != current.0 {
            if let Ok(index) = DossierIndex::open(&self.dir) {
                current.1 = Arc::new(index);
            }
            current.0 = now;
        }
        Arc::clone(&current.1)
    }
}

/// The routes, behind the checks every request passes.
fn app(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(search_page))
        .route("/document", get(document_page))
        .route("/file", get(download))
        .route("/export", get(export))
        .route("/api/search", get(api_search))
        .route("/api/counts", get(api_counts))
        .route("/api/document", get(api_document))
        .route("/new", get(new_page))
        .route("/new/seen", axum::routing::post(mark_seen))
        .route("/static/style.css", get(style))
        .route("/static/app.js", get(script))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), guard))
        .with_state(state)
}

/// What the page may load: its own script and style, nothing inline, nothing elsewhere.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The Host check (DNS rebinding), the cross-site check for anything but a read, and the
/// headers every answer carries.
async fn guard(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    if !state.allow_any_host && !is_local_host(request.headers(), &state.bound) {
        let message = format!(
            "this dossier server answers only to localhost, 127.0.0.1, [::1] and {}\n",
            state.bound
        );
        return (StatusCode::MISDIRECTED_REQUEST, message).into_response();
    }
    let reads = matches!(*request.method(), Method::GET | Method::HEAD);
    if !reads && is_cross_site(request.headers()) {
        return (StatusCode::FORBIDDEN, "cross-site request refused\n").into_response();
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// The Host a browser sends for a loopback address, or for the address listened on; any
/// other name may be a site that rebound its own name to 127.0.0.1.
fn is_local_host(headers: &HeaderMap, bound: &str) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    if host == bound {
        return true;
    }
    let name = match host.rsplit_once(':') {
        Some((name, port)) if !name.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    matches!(name, "localhost" | "127.0.0.1" | "[::1]")
}

/// A request sent by another site's page: the browser says so in `Sec-Fetch-Site`, or in
/// an `Origin` that is not this server's.
fn is_cross_site(headers: &HeaderMap) -> bool {
    let header = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if let Some(site) = header("sec-fetch-site") {
        return !matches!(site, "same-origin" | "none");
    }
    match (header("origin"), header("host")) {
        (Some(origin), Some(host)) => {
            let origin = origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"));
            origin != Some(host)
        }
        (Some(_), None) => true,
        _ => false,
    }
}

/// Runs `work` on the blocking pool: searches and page rendering are CPU work.
async fn blocking(work: impl FnOnce() -> Response + Send + 'static) -> Response {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|_| (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response())
}

fn html(status: StatusCode, markup: maud::Markup) -> Response {
    (status, Html(markup.into_string())).into_response()
}

fn json(status: StatusCode, body: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

fn json_error(status: StatusCode, message: &str, column: Option<usize>) -> Response {
    let body = serde_json::json!({ "error": message, "column": column });
    json(status, body.to_string())
}

/// A search and its problem, if it could not run.
fn run_search(
    state: &AppState,
    params: &Params,
) -> (
    Arc<DossierIndex>,
    std::result::Result<SearchResults, Problem>,
) {
    let index = state.index();
    let results = params
        .request()
        .map_err(Problem::Other)
        .and_then(|request| {
            search::search(&index, &request).map_err(|error| match error {
                Error::Query(error) => Problem::Query(error),
                error => Problem::Other(error.to_string()),
            })
        });
    (index, results)
}

async fn search_page(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Response {
    blocking(move || {
        let params = Params::parse(query.as_deref().unwrap_or_default());
        if params.is_empty() {
            let index = state.index();
            let page = SearchPage {
                params: &params,
                results: None,
                problem: None,
                total_documents: index.state().documents,
                cwd: &state.cwd,
            };
            return html(StatusCode::OK, page::search_page(&page));
        }
        let (index, results) = run_search(&state, &params);
        let (results, problem) = match results {
            Ok(results) => (Some(results), None),
            Err(problem) => (None, Some(problem)),
        };
        let status = if problem.is_some() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        };
        let page = SearchPage {
            params: &params,
            results: results.as_ref(),
            problem: problem.as_ref(),
            total_documents: index.state().documents,
            cwd: &state.cwd,
        };
        html(status, page::search_page(&page))
    })
    .await
}

/// The `path`, `q` and `back` of a document address.
struct DocumentAddress {
    path: PathBuf,
    params: Params,
    back: String,
}

impl DocumentAddress {
    fn parse(query: Option<&str>) -> DocumentAddress {
        let mut address = DocumentAddress {
            path: PathBuf::new(),
            params: Params::default(),
            back: String::new(),
        };
        for (key, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
            match key.as_ref() {
                "path" => address.path = PathBuf::from(value.as_ref()),
                "back" => address.back = value.into_owned(),
                "q" => address.params.q = value.into_owned(),
                _ => {}
            }
        }
        // The search box of the document view keeps the filters of the search it came from.
        let q = std::mem::take(&mut address.params.q);
        address.params = Params::parse(&address.back);
        address.params.q = q;
        address
    }
}

/// The indexed document at `path`, or the answer to give when there is none. Only a path
/// the index holds is ever looked up or read: `../` and other paths find nothing.
fn indexed_document(
    index: &DossierIndex,
    path: &Path,
    query: &str,
) -> std::result::Result<DocumentHit, (StatusCode, String, Option<usize>)> {
    if path.as_os_str().is_empty() {
        return Err((StatusCode::BAD_REQUEST, "no path given".into(), None));
    }
    match search::document(index, path, query) {
        Ok(Some(document)) => Ok(document),
        Ok(None) => Err((
            StatusCode::NOT_FOUND,
            format!("{} is not in the index", path.display()),
            None,
        )),
        Err(Error::Query(error)) => Err((
            StatusCode::BAD_REQUEST,
            error.message.clone(),
            Some(error.column),
        )),
        Err(error) => Err((StatusCode::INTERNAL_SERVER_ERROR, error.to_string(), None)),
    }
}

/// What `dossier tag --json` says of the file, evidence included, as the index's sync
/// would tag it now.
fn tags_of(index: &DossierIndex, path: &Path) -> std::result::Result<page::TagEvidence, String> {
    let roots = index.state().roots.clone();
    let cache = crate::extract::Cache::in_index(index.dir());
    let document = ingest::tag_file(path, &roots, Some(&cache), &|_, _| {})
        .map_err(|reason| format!("The tags cannot be explained: {reason}."))?;
    let mut out = Vec::new();
    output::write_tags_json(&mut out, &path.to_string_lossy(), &document)
        .map_err(|error| error.to_string())?;
    serde_json::from_slice(&out).map_err(|error| error.to_string())
}

async fn document_page(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Response {
    blocking(move || {
        let address = DocumentAddress::parse(query.as_deref());
        let index = state.index();
        match indexed_document(&index, &address.path, &address.params.q) {
            Ok(document) => {
                let tags = tags_of(&index, &document.path);
                let markup = page::document_page(
                    &address.params,
                    &address.back,
                    &document,
                    tags.as_ref().map_err(String::as_str),
                    &state.cwd,
                );
                html(StatusCode::OK, markup)
            }
            Err((status, message, _)) => html(
                status,
                page::message_page(&address.params, "Document not found", &message),
            ),
        }
    })
    .await
}

/// The original file, for a file the index holds. A PDF opens in the browser's viewer
/// (so that `#page=N` works); anything else downloads, never shown as a page of this site.
async fn download(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Response {
    blocking(move || {
        let address = DocumentAddress::parse(query.as_deref());
        let index = state.index();
        let document = match indexed_document(&index, &address.path, "") {
            Ok(document) => document,
            Err((status, message, _)) => return (status, format!("{message}\n")).into_response(),
        };
        let bytes = match std::fs::read(&document.path) {
            Ok(bytes) => bytes,
            Err(error) => {
                let message = format!("cannot read {}: {error}\n", document.path.display());
                return (StatusCode::GONE, message).into_response();
            }
        };
        let name = document
            .path
            .file_name()
            .map(|n| n.to_string_lossy().replace(['"', '\\', '\r', '\n'], "_"))
            .unwrap_or_default();
        let is_pdf = document
            .path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
        let (content_type, disposition) = if is_pdf {
            ("application/pdf", "inline")
        } else {
            ("application/octet-stream", "attachment")
        };
        let disposition = format!("{disposition}; filename=\"{name}\"");
        Response::builder()
            .header(header::CONTENT_TYPE, content_type)
            .header(header::CONTENT_DISPOSITION, disposition)
            .header(header::CONTENT_SECURITY_POLICY, "sandbox")
            .body(Body::from(bytes))
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
    })
    .await
}

/// `/api/search`: the page's results as one JSON object, each result the object
/// `dossier search --json` prints, with the counts of `--count-by` all four.
async fn api_search(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Response {
    blocking(move || {
        let params = Params::parse(query.as_deref().unwrap_or_default());
        let (_, results) = run_search(&state, &params);
        match results {
            Ok(results) => json(StatusCode::OK, search_json(&results, &params, &state.cwd)),
            Err(problem) => problem_json(problem),
        }
    })
    .await
}

fn problem_json(problem: Problem) -> Response {
    match problem {
        Problem::Query(error) => {
            json_error(StatusCode::BAD_REQUEST, &error.message, Some(error.column))
        }
        Problem::Other(message) => json_error(StatusCode::BAD_REQUEST, &message, None),
    }
}

fn search_json(results: &SearchResults, params: &Params, cwd: &Path) -> String {
    let mut hits = Vec::new();
    output::write_json(&mut hits, results, None, cwd).expect("writing to memory");
    let hits = String::from_utf8(hits).expect("JSON is UTF-8");
    let mut counts = Vec::new();
    output::write_counts_json(&mut counts, results, None).expect("writing to memory");
    let counts = String::from_utf8(counts).expect("JSON is UTF-8");
    let earliest: Vec<serde_json::Value> = results
        .earliest
        .iter()
        .map(|document| {
            serde_json::json!({
                "path": output::display_path(&document.path, cwd),
                "title": output::display_title(document),
                "date": document.date.map(|d| d.to_string()),
                "date_precision": document.date.map(|d| d.precision()),
                "order_undecided": document.order_undecided,
            })
        })
        .collect();
    let head = serde_json::json!({
        "query": params.q,
        "earliest": earliest,
        "page": params.page,
        "matching_documents": results.matching_documents,
        "matching_passages": results.matching_passages,
        "total_documents": results.total_documents,
        "undated_left_out": results.undated_left_out,
        "partial": results.partial.is_some(),
    })
    .to_string();
    // The result objects are spliced in as `--json` wrote them, one per line.
    format!(
        "{},\"results\":[{}],\"counts\":{}}}",
        &head[..head.len() - 1],
        hits.trim_end().replace('\n', ","),
        counts.trim_end()
    )
}

/// `/api/counts`: what `dossier search --count-by year,country,issuer,org --json` prints.
async fn api_counts(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Response {
    blocking(move || {
        let params = Params::parse(query.as_deref().unwrap_or_default());
        match run_search(&state, &params).1 {
            Ok(results) => {
                let mut out = Vec::new();
                output::write_counts_json(&mut out, &results, Some(&params.q))
                    .expect("writing to memory");
                json(
                    StatusCode::OK,
                    String::from_utf8(out).expect("JSON is UTF-8"),
                )
            }
            Err(problem) => problem_json(problem),
        }
    })
    .await
}

/// `/api/document`: the whole indexed text, passage by passage, with the matches of `q`.
async fn api_document(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Response {
    blocking(move || {
        let address = DocumentAddress::parse(query.as_deref());
        let index = state.index();
        match indexed_document(&index, &address.path, &address.params.q) {
            Ok(document) => {
                let results = SearchResults {
                    matching_passages: document.matching_passages,
                    matching_documents: 1,
                    total_documents: index.state().documents,
                    documents: vec![document],
                    partial: None,
                    clauses: 0,
                    listing: address.params.q.is_empty(),
                    undated_left_out: 0,
                    counts: Vec::new(),
                    earliest: Vec::new(),
                    elapsed: Default::default(),
                };
                let mut out = Vec::new();
                output::write_json(&mut out, &results, None, &state.cwd)
                    .expect("writing to memory");
                let passages = String::from_utf8(out).expect("JSON is UTF-8");
                let body = format!(
                    "{{\"passages\":[{}]}}",
                    passages.trim_end().replace('\n', ",")
                );
                json(StatusCode::OK, body)
            }
            Err((status, message, column)) => json_error(status, &message, column),
        }
    })
    .await
}

/// `/export?format=csv|json`: every result up to the page shown, as `dossier search --csv`
/// (or `--json`) prints them.
async fn export(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Response {
    blocking(move || {
        let raw = query.unwrap_or_default();
        let params = Params::parse(&raw);
        let csv =
            !form_urlencoded::parse(raw.as_bytes()).any(|(k, v)| k == "format" && v == "json");
        let request = params.request().map(|request| SearchRequest {
            limit: request.offset + request.limit,
            offset: 0,
            count_by: Vec::new(),
            ..request
        });
        let index = state.index();
        let results = request
            .map_err(Problem::Other)
            .and_then(|r| search::search(&index, &r).map_err(|e| Problem::Other(e.to_string())));
        let results = match results {
            Ok(results) => results,
            Err(problem) => return problem_json(problem),
        };
        let mut out = Vec::new();
        let (content_type, extension) = if csv {
            let written = CsvRows::new(false).write(&mut out, &results, &params.q, &state.cwd);
            written.expect("writing to memory");
            ("text/csv; charset=utf-8", "csv")
        } else {
            output::write_json(&mut out, &results, None, &state.cwd).expect("writing to memory");
            ("application/x-ndjson", "ndjson")
        };
        let disposition = format!("attachment; filename=\"dossier-results.{extension}\"");
        Response::builder()
            .header(header::CONTENT_TYPE, content_type)
            .header(header::CONTENT_DISPOSITION, disposition)
            .body(Body::from(out))
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
    })
    .await
}

/// `/new`: each saved search with what is new to it since it was last marked seen;
/// `/new?name=NAME`: those new passages.
async fn new_page(State(state): State<Arc<AppState>>, RawQuery(query): RawQuery) -> Response {
    blocking(move || {
        let name = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .find(|(key, _)| key == "name")
            .map(|(_, value)| value.into_owned());
        let index = state.index();
        let watchlist = match Watchlist::load(index.dir()) {
            Ok(watchlist) => watchlist,
            Err(error) => {
                let message = error.to_string();
                let markup = page::message_page(&Params::default(), "Saved searches", &message);
                return html(StatusCode::INTERNAL_SERVER_ERROR, markup);
            }
        };
        // Read before searching, as `watchlist new --mark-seen` does: what a commit adds
        // meanwhile stays unseen.
        let settled = index.state().settled;
        let mut listed = Vec::new();
        for search in &watchlist.searches {
            if name.as_ref().is_some_and(|n| *n != search.name) {
                continue;
            }
            let found = watchlist::new_matches(&index, search, search.seen)
                .map_err(|error| error.to_string());
            listed.push((search, found));
        }
        if let (Some(name), true) = (&name, listed.is_empty()) {
            let message = format!("there is no saved search named '{name}'");
            let markup = page::message_page(&Params::default(), "Saved searches", &message);
            return html(StatusCode::NOT_FOUND, markup);
        }
        let markup = page::new_page(&listed, name.is_some(), settled, &state.cwd);
        html(StatusCode::OK, markup)
    })
    .await
}

/// `POST /new/seen`, `name` and `through` (the stamp the page was read at): marks what
/// the page showed as seen. The one route that changes anything; the guard refuses it
/// from other sites.
async fn mark_seen(State(state): State<Arc<AppState>>, body: axum::body::Bytes) -> Response {
    blocking(move || {
        let (mut name, mut through) = (String::new(), 0u64);
        for (key, value) in form_urlencoded::parse(&body) {
            match key.as_ref() {
                "name" => name = value.into_owned(),
                "through" => through = value.parse().unwrap_or(0),
                _ => {}
            }
        }
        let index = state.index();
        let marked = Watchlist::load(index.dir()).and_then(|mut watchlist| {
            watchlist.mark_seen(&name, through.min(index.state().settled))?;
            watchlist.save(index.dir())
        });
        match marked {
            Ok(()) => {
                let query = form_urlencoded::Serializer::new(String::new())
                    .append_pair("name", &name)
                    .finish();
                Response::builder()
                    .status(StatusCode::SEE_OTHER)
                    .header(header::LOCATION, format!("/new?{query}"))
                    .body(Body::empty())
                    .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
            }
            Err(error) => (StatusCode::BAD_REQUEST, format!("{error}\n")).into_response(),
        }
    })
    .await
}

async fn style() -> Response {
    asset(
        "text/css; charset=utf-8",
        include_str!("../../assets/serve.css"),
    )
}

async fn script() -> Response {
    asset(
        "text/javascript; charset=utf-8",
        include_str!("../../assets/serve.js"),
    )
}

/// The page's style and script, built into the binary: nothing to install beside it.
fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        body,
    )
        .into_response()
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found\n").into_response()
}

/// The address `dossier serve` prints.
pub fn url(address: SocketAddr) -> String {
    match address.ip() {
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", address.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", address.port()),
    }
}
