//! The search page and the document view, rendered on the server. Every piece of document
//! text goes through maud, which escapes it: a document holding `<script>` shows it as text.
//! Scripts (assets/serve.js) only add to these pages: search, filters, paging and reading
//! all work as plain links and GET forms.

use std::ops::Range;
use std::path::Path;

use maud::{html, Markup, DOCTYPE};

use crate::output::{date_label, display_path, display_title, locator};
use crate::query::QueryError;
use crate::search::{CountBy, Counts, DocumentHit, PassageHit, SearchResults};
use crate::tagging::gazetteer::{country_name, organisation_name};
use crate::watchlist::SavedSearch;

use super::params::{Dimension, Params, PAGE_SIZE};

/// Facet values shown before "show all".
const FACET_VALUES_SHOWN: usize = 8;

/// What went wrong with a search, for the page.
pub enum Problem {
    /// The query does not parse: shown at its column in the box.
    Query(QueryError),
    /// A filter, a date, the index.
    Other(String),
}

/// Everything the search page shows.
pub struct SearchPage<'a> {
    pub params: &'a Params,
    pub results: Option<&'a SearchResults>,
    pub problem: Option<&'a Problem>,
    pub total_documents: u64,
    pub cwd: &'a Path,
}

fn layout(title: &str, params: &Params, problem: Option<&Problem>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="stylesheet" href="/static/style.css";
                script src="/static/app.js" defer {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.top {
                    a.brand href="/" { "dossier" }
                    " " a.saved-link href="/new" { "New for saved searches" }
                    (search_form(params, problem))
                }
                main #main tabindex="-1" { (body) }
                footer.bottom {
                    p {
                        "Press " kbd { "/" } " to search"
                        span.js-only hidden { ", " kbd { "n" } " and " kbd { "p" } " to step through matches. "
                            label { input #shortcuts type="checkbox" checked; " Single-key shortcuts" }
                        }
                    }
                }
            }
        }
    }
}

/// The search box, with the filters of the address carried along as hidden fields so that
/// a new query keeps them.
fn search_form(params: &Params, problem: Option<&Problem>) -> Markup {
    let query_error = match problem {
        Some(Problem::Query(error)) => Some(error),
        _ => None,
    };
    html! {
        form.search role="search" method="get" action="/" {
            label for="q" { "Search the documents" }
            div.box {
                input #q type="search" name="q" value=(params.q) autocomplete="off"
                    aria-describedby=(if query_error.is_some() { "query-error query-help" } else { "query-help" })
                    aria-invalid=[query_error.map(|_| "true")]
                    data-error-column=[query_error.map(|e| e.column)];
                button type="submit" { "Search" }
            }
            @for (i, dimension) in Dimension::ALL.iter().enumerate() {
                @for value in &params.required[i] {
                    input type="hidden" name=(dimension.key()) value=(value);
                }
                @for value in &params.excluded[i] {
                    input type="hidden" name=(format!("not_{}", dimension.key())) value=(value);
                }
            }
            @for (key, value) in [("since", &params.since), ("until", &params.until), ("sort", &params.sort)] {
                @if !value.is_empty() { input type="hidden" name=(key) value=(value); }
            }
            @if params.undated { input type="hidden" name="undated" value="1"; }
            p #query-help .help {
                "Words match all their forms; " code { "\"a phrase\"" } " matches in order; "
                code { "OR" } ", " code { "-word" } ", " code { "(groups)" } ", " code { "prefix*" } "."
            }
            @if let Some(error) = query_error {
                (query_error_view(&params.q, error))
            }
        }
    }
}

/// The query with the character at the error's column marked, and the message.
fn query_error_view(query: &str, error: &QueryError) -> Markup {
    let chars: Vec<char> = query.chars().collect();
    let at = error.column.saturating_sub(1).min(chars.len());
    let before: String = chars[..at].iter().collect();
    let marked: String = chars.get(at).map(|c| c.to_string()).unwrap_or_default();
    let after: String = chars
        .get(at + 1..)
        .map(|c| c.iter().collect())
        .unwrap_or_default();
    html! {
        div #query-error .error role="alert" {
            p { "The query cannot be read: " strong { (error.message) } " at column " (error.column) "." }
            pre.at {
                (before)
                mark.error-at { @if marked.is_empty() { " " } @else { (marked) } }
                (after)
            }
        }
    }
}

/// Text with the byte ranges `highlights` wrapped in `<mark>`, every piece escaped. With
/// `ids`, each mark gets the next id (`m0`, `m1`, ...), for stepping through matches.
fn marked(text: &str, highlights: &[Range<usize>], mut ids: Option<&mut usize>) -> Markup {
    let mut pieces: Vec<(&str, Option<Option<usize>>)> =
        Vec::with_capacity(highlights.len() * 2 + 1);
    let mut at = 0;
    for range in highlights {
        if range.start < at || range.end > text.len() {
            continue;
        }
        pieces.push((&text[at..range.start], None));
        let id = ids.as_deref_mut().map(|next| {
            *next += 1;
            *next - 1
        });
        pieces.push((&text[range.clone()], Some(id)));
        at = range.end;
    }
    pieces.push((&text[at..], None));
    html! {
        @for (piece, mark) in pieces {
            @match mark {
                None => (piece),
                Some(None) => mark { (piece) },
                Some(Some(id)) => mark.hit id=(format!("m{id}")) { (piece) },
            }
        }
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn names(codes: &[String], name_of: fn(&str) -> Option<&'static str>) -> String {
    codes
        .iter()
        .map(|code| name_of(code).unwrap_or(code))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The address of a document's view, opened at a passage.
fn document_link(params: &Params, path: &Path, passage: Option<&PassageHit>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("path", &path.to_string_lossy());
    if !params.q.is_empty() {
        query.append_pair("q", &params.q);
    }
    let back = params.to_query();
    if !back.is_empty() {
        query.append_pair("back", &back);
    }
    let anchor = passage.map_or_else(String::new, |p| format!("#at{}", p.start));
    format!("/document?{}{anchor}", query.finish())
}

fn date_text(document: &DocumentHit) -> String {
    let mut text = document
        .date
        .map_or_else(|| "undated".to_string(), |date| date_label(&date));
    if document.may_precede_since {
        text.push_str(", may be before the start date");
    }
    if document.may_follow_until {
        text.push_str(", may be after the end date");
    }
    text
}

fn document_meta(document: &DocumentHit) -> Markup {
    html! {
        dl.meta {
            div { dt { "Date" } dd { (date_text(document)) } }
            @if !document.issuers.is_empty() {
                div { dt { "Issued by" } dd { (names(&document.issuers, country_name)) } }
            }
            @if !document.countries.is_empty() {
                div { dt { "Countries" } dd { (names(&document.countries, country_name)) } }
            }
            @if !document.orgs.is_empty() {
                div { dt { "Organisations" } dd { (document.orgs.join(", ")) } }
            }
        }
    }
}

fn passage_view(
    document: &DocumentHit,
    passage: &PassageHit,
    params: &Params,
    cwd: &Path,
) -> Markup {
    html! {
        blockquote.passage { (marked(&passage.text, &passage.highlights, None)) }
        p.locator {
            a href=(document_link(params, &document.path, Some(passage))) {
                code { (locator(document, passage, cwd)) }
            }
        }
    }
}

fn result_view(document: &DocumentHit, params: &Params, cwd: &Path) -> Markup {
    let first = document.passages.first();
    let more_shown = document.passages.len().saturating_sub(1);
    let more_matching = document.matching_passages.saturating_sub(1);
    html! {
        li.result {
            article {
                h2 { a href=(document_link(params, &document.path, first)) { (display_title(document)) } }
                (document_meta(document))
                @if document.order_undecided {
                    p.note { "The dates cannot tell whether this or the result above came first." }
                }
                @if let Some(passage) = first { (passage_view(document, passage, params, cwd)) }
                @if more_matching > 0 {
                    details.more {
                        summary { (plural(more_matching, "more passage")) " in this document" }
                        @for passage in document.passages.iter().skip(1) {
                            (passage_view(document, passage, params, cwd))
                        }
                        @if more_matching > more_shown {
                            p { a href=(document_link(params, &document.path, None)) {
                                "All " (document.matching_passages) " matching passages in the document"
                            } }
                        }
                    }
                }
                @if !document.copies.is_empty() {
                    p.note { "Same text: "
                        @for (i, copy) in document.copies.iter().enumerate() {
                            @if i > 0 { ", " }
                            code { (display_path(copy, cwd)) }
                        }
                    }
                }
            }
        }
    }
}

fn value_name(by: CountBy, value: &str) -> String {
    match by {
        CountBy::Country | CountBy::Issuer => country_name(value).unwrap_or(value).to_string(),
        CountBy::Org => organisation_name(value)
            .map_or_else(|| value.to_string(), |name| format!("{value} ({name})")),
        CountBy::Year => value.to_string(),
    }
}

fn facet(params: &Params, dimension: Dimension, counts: &Counts, heading: &str) -> Markup {
    let i = dimension as usize;
    let rows: Vec<_> = counts.rows.iter().filter(|r| r.value.is_some()).collect();
    let item = |value: &str, documents: usize| {
        let name = value_name(counts.by, value);
        let required = params.required[i].iter().any(|v| v == value);
        html! {
            li data-name=(name.to_lowercase()) {
                @if required {
                    a.value aria-current="true" href=(format!("/?{}", params.without(dimension, value).to_query())) {
                        (name) span.visually-hidden { " (selected, remove)" }
                    }
                } @else {
                    a.value href=(format!("/?{}", params.with(dimension, value, false).to_query())) { (name) }
                }
                " " span.count { (documents) }
                " " a.exclude href=(format!("/?{}", params.with(dimension, value, true).to_query()))
                    aria-label=(format!("Exclude {name}")) title=(format!("Exclude {name}")) { "−" }
            }
        }
    };
    html! {
        section.facet aria-labelledby=(format!("facet-{}", dimension.key())) {
            h2 #(format!("facet-{}", dimension.key())) { (heading) " " span.count { (rows.len()) } }
            @if rows.is_empty() {
                p.none { "None" }
            } @else {
                @if rows.len() > FACET_VALUES_SHOWN {
                    input.facet-find type="search" hidden aria-label=(format!("Find in {}", heading.to_lowercase()))
                        placeholder=(format!("Find in {}", heading.to_lowercase()));
                }
                ul.values {
                    @for row in rows.iter().take(FACET_VALUES_SHOWN) {
                        (item(row.value.as_deref().unwrap_or_default(), row.documents))
                    }
                }
                @if rows.len() > FACET_VALUES_SHOWN {
                    details.all-values {
                        summary { "All " (rows.len()) }
                        ul.values {
                            @for row in rows.iter().skip(FACET_VALUES_SHOWN) {
                                (item(row.value.as_deref().unwrap_or_default(), row.documents))
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Matching documents by year, one bar a row (each a target large enough to hit, with its
/// year written): a click keeps one year, a drag (with a script) a range; the form under it
/// sets any range, to the day.
fn years(params: &Params, counts: &Counts) -> Markup {
    let dated: Vec<(i32, usize)> = counts
        .rows
        .iter()
        .filter_map(|r| Some((r.value.as_deref()?.parse().ok()?, r.documents)))
        .collect();
    let undated = counts
        .rows
        .iter()
        .find(|r| r.value.is_none())
        .map_or(0, |r| r.documents);
    let most = dated.iter().map(|d| d.1).max().unwrap_or(1).max(1);
    let range = dated.first().zip(dated.last());
    html! {
        section.facet aria-labelledby="facet-year" {
            h2 #facet-year { "Years" }
            @if let Some(((first, _), (last, _))) = range {
                p.span { (first) "–" (last) @if undated > 0 { ", " (undated) " undated" } }
                ol.years aria-label="Matching documents by year" {
                    @for (year, documents) in &dated {
                        @let only = Params { since: year.to_string(), until: year.to_string(), ..params.first_page() };
                        li {
                            a href=(format!("/?{}", only.to_query())) data-year=(year)
                                aria-label=(format!("{year}: {}", plural(*documents, "document"))) {
                                span.year aria-hidden="true" { (year) }
                                // An SVG's width, not a style attribute: the page's policy
                                // allows no inline style.
                                svg.bar aria-hidden="true" viewBox="0 0 100 10" preserveAspectRatio="none" {
                                    rect width=((documents * 100 / most).max(2)) height="10" {}
                                }
                                span.n aria-hidden="true" { (documents) }
                            }
                        }
                    }
                }
            } @else {
                p.none { "No dated documents" }
            }
            form.dates method="get" action="/" {
                @let keep = Params { since: String::new(), until: String::new(), ..params.first_page() };
                @for (key, value) in form_urlencoded::parse(keep.to_query().as_bytes()) {
                    input type="hidden" name=(key) value=(value);
                }
                label { "From " input name="since" value=(params.since) size="10" placeholder="YYYY" inputmode="numeric"; }
                label { "to " input name="until" value=(params.until) size="10" placeholder="YYYY-MM-DD" inputmode="numeric"; }
                button type="submit" { "Set dates" }
            }
        }
    }
}

fn chips(params: &Params) -> Markup {
    let mut chips: Vec<(String, String)> = Vec::new();
    for (i, dimension) in Dimension::ALL.iter().enumerate() {
        let by = dimension.count_by();
        let label = match dimension {
            Dimension::Country => "Country",
            Dimension::Issuer => "Issued by",
            Dimension::Org => "Organisation",
        };
        for value in &params.required[i] {
            let text = format!("{label}: {}", value_name(by, value));
            chips.push((text, params.without(*dimension, value).to_query()));
        }
        for value in &params.excluded[i] {
            let text = format!("{label}: not {}", value_name(by, value));
            chips.push((text, params.without(*dimension, value).to_query()));
        }
    }
    if !params.since.is_empty() {
        let next = Params {
            since: String::new(),
            ..params.first_page()
        };
        chips.push((format!("From {}", params.since), next.to_query()));
    }
    if !params.until.is_empty() {
        let next = Params {
            until: String::new(),
            ..params.first_page()
        };
        chips.push((format!("Until {}", params.until), next.to_query()));
    }
    if params.undated {
        let next = Params {
            undated: false,
            ..params.first_page()
        };
        chips.push(("With undated documents".into(), next.to_query()));
    }
    html! {
        @if !chips.is_empty() {
            ul.chips aria-label="Active filters" {
                @for (text, query) in chips {
                    li { a href=(format!("/?{query}")) aria-label=(format!("Remove filter {text}")) {
                        (text) span aria-hidden="true" { " ×" }
                    } }
                }
            }
        }
    }
}

fn sort_links(params: &Params) -> Markup {
    let current = match params.sort.as_str() {
        "" if params.q.is_empty() => "newest",
        "" => "relevance",
        other => other,
    };
    html! {
        nav.sort aria-label="Sort" {
            "Sort: "
            @for (key, label) in [("relevance", "relevance"), ("newest", "newest first"), ("oldest", "oldest first")] {
                @if !(params.q.is_empty() && key == "relevance") {
                    @let next = Params { sort: key.to_string(), ..params.first_page() };
                    @if key == current {
                        a aria-current="true" href=(format!("/?{}", next.to_query())) { (label) }
                    } @else {
                        a href=(format!("/?{}", next.to_query())) { (label) }
                    }
                    " "
                }
            }
        }
    }
}

/// "Who said it first": the earliest dated documents among all the matches, and how far
/// in time and across issuers the words spread.
fn earliest_view(results: &SearchResults, params: &Params) -> Markup {
    let spread = |by: CountBy| {
        results
            .counts
            .iter()
            .find(|c| c.by == by)
            .map(|c| c.rows.iter().filter(|r| r.value.is_some()).count())
            .unwrap_or(0)
    };
    let years = results.counts.iter().find(|c| c.by == CountBy::Year);
    let first_year = years.and_then(|c| c.rows.iter().find_map(|r| r.value.clone()));
    let last_year = years.and_then(|c| c.rows.iter().rev().find_map(|r| r.value.clone()));
    html! {
        section.earliest aria-labelledby="earliest" {
            h2 #earliest { "Who said it first" }
            @if let (Some(first), Some(last)) = (first_year, last_year) {
                p { "In documents from " (first) " to " (last) ", across " (plural(spread(CountBy::Year), "year"))
                    ", issued by " (spread(CountBy::Issuer)) @if spread(CountBy::Issuer) == 1 { " country" } @else { " countries" } ". Dates known only to a month or year count as their last day." }
            }
            ol {
                @for document in &results.earliest {
                    li {
                        a href=(document_link(params, &document.path, document.passages.first())) { (display_title(document)) }
                        " — " (date_text(document))
                        @if document.order_undecided { " (the dates cannot tell whether this or the one above came first)" }
                    }
                }
            }
        }
    }
}

/// The search page: the box, and for a search its results, facets and counts.
pub fn search_page(page: &SearchPage) -> Markup {
    let params = page.params;
    let title = if params.q.is_empty() {
        "dossier".to_string()
    } else {
        format!("{} – dossier", params.q)
    };
    let body = html! {
        h1.visually-hidden { @if params.q.is_empty() { "Search" } @else { "Results for " (params.q) } }
        @match page.problem {
            Some(Problem::Other(message)) => div.error role="alert" { p { (message) } },
            _ => {},
        }
        (chips(params))
        @if let Some(results) = page.results {
            (results_view(results, page))
        } @else if page.problem.is_none() {
            p.intro { "Search " (plural(page.total_documents as usize, "document")) ". Type words or a \"quoted phrase\"; filter by country, issuer, organisation and year once results are shown." }
        }
    };
    layout(&title, params, page.problem, body)
}

fn results_view(results: &SearchResults, page: &SearchPage) -> Markup {
    let params = page.params;
    let shown_from = (params.page - 1) * PAGE_SIZE + 1;
    let shown_to = shown_from + results.documents.len().saturating_sub(1);
    let count_of = |by: CountBy| results.counts.iter().find(|c| c.by == by);
    let summary = if results.listing {
        format!(
            "{} of {}",
            plural(results.matching_documents, "document"),
            page.total_documents
        )
    } else {
        format!(
            "{} in {}",
            plural(results.matching_passages, "matching passage"),
            plural(results.matching_documents, "document")
        )
    };
    let export = |format: &str| {
        let mut query = params.to_query();
        if !query.is_empty() {
            query.push('&');
        }
        format!("/export?{query}format={format}")
    };
    html! {
        div.layout {
            aside.facets aria-label="Filter the results" {
                @if let Some(counts) = count_of(CountBy::Year) { (years(params, counts)) }
                @for (dimension, heading) in [(Dimension::Country, "Countries"), (Dimension::Issuer, "Issued by"), (Dimension::Org, "Organisations")] {
                    @if let Some(counts) = count_of(dimension.count_by()) { (facet(params, dimension, counts, heading)) }
                }
            }
            section.results aria-labelledby="summary" {
                div.bar {
                    p #summary role="status" { (summary) }
                    (sort_links(params))
                    p.export { "Export: " a href=(export("csv")) download { "CSV" } " " a href=(export("json")) download { "JSON" } }
                }
                @if results.partial.is_some() {
                    p.note { "No passage holds every word; passages holding some of them are shown." }
                }
                @if results.undated_left_out > 0 {
                    @let with = Params { undated: true, ..params.first_page() };
                    p.note { (plural(results.undated_left_out, "matching document")) " without a date left out by the dates. "
                        a href=(format!("/?{}", with.to_query())) { "Include them" } }
                }
                @if !results.earliest.is_empty() && params.page == 1 { (earliest_view(results, params)) }
                @if results.documents.is_empty() {
                    p.none { "Nothing found." }
                } @else {
                    ol.results start=(shown_from) {
                        @for document in &results.documents { (result_view(document, params, page.cwd)) }
                    }
                    p.pages {
                        "Results " (shown_from) "–" (shown_to) " of " (results.matching_documents) ". "
                        @if params.page > 1 {
                            @let previous = Params { page: params.page - 1, ..params.clone() };
                            a rel="prev" href=(format!("/?{}", previous.to_query())) { "Previous" } " "
                        }
                        @if shown_to < results.matching_documents {
                            @let next = Params { page: params.page + 1, ..params.clone() };
                            a.more rel="next" href=(format!("/?{}", next.to_query())) { "More results" }
                        }
                    }
                }
            }
        }
    }
}

/// A tag's evidence as `dossier tag --json` gives it, read for the page.
pub type TagEvidence = serde_json::Value;

/// The document view: the whole text, every match marked, opened at the passage the
/// address names.
pub fn document_page(
    params: &Params,
    back: &str,
    document: &DocumentHit,
    tags: Result<&TagEvidence, &str>,
    cwd: &Path,
) -> Markup {
    let mut counter = 0usize;
    let matches: usize = document.passages.iter().map(|p| p.highlights.len()).sum();
    let file_link = |page: Option<u64>| {
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair("path", &document.path.to_string_lossy())
            .finish();
        match page {
            Some(page) => format!("/file?{query}#page={page}"),
            None => format!("/file?{query}"),
        }
    };
    let body = html! {
        nav.doc-nav aria-label="Document" {
            a href=(format!("/?{back}")) { "← Results" }
            @if matches > 0 {
                span #match-status role="status" { (plural(matches, "match")) }
                a #prev-match href="#m0" { "Previous match" } " "
                a #next-match href="#m0" { "Next match" }
            }
            a href=(file_link(None)) download { "Download the original" }
        }
        article.document data-matches=(matches) {
            h1 { (display_title(document)) }
            (document_meta(document))
            p.path { code { (display_path(&document.path, cwd)) } }
            (tags_view(tags))
            div.text {
                @for (i, passage) in document.passages.iter().enumerate() {
                    @if passage.page.is_some() && (i == 0 || document.passages[i - 1].page != passage.page) {
                        @let page = passage.page.unwrap_or_default();
                        h2.page #(format!("page{page}")) {
                            "Page " (page)
                            @if let Some(label) = &passage.page_label { " (printed " (label) ")" }
                            " " a href=(file_link(Some(page))) { "open the PDF at this page" }
                        }
                    }
                    section.chunk #(format!("at{}", passage.start)) {
                        span.line aria-hidden="true" { (passage.line) }
                        div.body { (marked(&passage.text, &passage.highlights, Some(&mut counter))) }
                    }
                }
            }
        }
    };
    layout(
        &format!("{} – dossier", display_title(document)),
        params,
        None,
        body,
    )
}

fn tags_view(tags: Result<&TagEvidence, &str>) -> Markup {
    let evidence = |items: &serde_json::Value| -> String {
        items
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .take(3)
                    .map(|e| {
                        format!(
                            "line {}: {}",
                            e["line"],
                            e["text"].as_str().unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default()
    };
    html! {
        details.tags {
            summary { "Why these tags" }
            @match tags {
                Err(reason) => p { (reason) },
                Ok(tags) => dl {
                    div { dt { "Date" } dd {
                        @if let Some(date) = tags["date"].as_str() {
                            (date) " (" (tags["date_precision"].as_str().unwrap_or_default()) ", from the "
                            (tags["date_source"].as_str().unwrap_or_default().replace('-', " ")) ")"
                            @if let Some(line) = tags["date_evidence"]["line"].as_u64() {
                                ", line " (line) ": " q { (tags["date_evidence"]["text"].as_str().unwrap_or_default()) }
                            }
                        } @else { "none found" }
                    } }
                    div { dt { "Issued by" } dd {
                        @for cited in tags["issuer_evidence"].as_array().into_iter().flatten() {
                            p {
                                (cited["codes"].as_array().map(|c| c.iter().filter_map(|c| c.as_str()).collect::<Vec<_>>().join(" ")).unwrap_or_default())
                                ": "
                                @if let Some(line) = cited["line"].as_u64() { "line " (line) ": " } @else { "title: " }
                                q { (cited["text"].as_str().unwrap_or_default()) }
                            }
                        }
                    } }
                    @for (key, label) in [("countries", "Countries"), ("orgs", "Organisations")] {
                        div { dt { (label) } dd {
                            @for named in tags[key].as_array().into_iter().flatten() {
                                p { strong { (named["code"].as_str().unwrap_or_default()) } " (" (named["mentions"]) "): " (evidence(&named["evidence"])) }
                            }
                        } }
                    }
                },
            }
        }
    }
}

/// The saved searches and what is new to each; with `one`, the new passages themselves and
/// a button that marks them seen through `settled`.
pub fn new_page(
    listed: &[(&SavedSearch, Result<SearchResults, String>)],
    one: bool,
    settled: u64,
    cwd: &Path,
) -> Markup {
    let params = Params::default();
    let body = html! {
        h1 { "New for saved searches" }
        @if listed.is_empty() {
            p { "No saved searches yet. Save one with " code { "dossier watchlist add NAME QUERY" } "; after each "
                code { "dossier index" } ", what is new to it shows here." }
        }
        @for (search, found) in listed {
            section.saved aria-labelledby=(format!("saved-{}", search.name)) {
                h2 #(format!("saved-{}", search.name)) {
                    a href=(format!("/new?{}", form_urlencoded::Serializer::new(String::new()).append_pair("name", &search.name).finish())) { (search.name) }
                }
                p.note { code { (search.describe()) } }
                @match found {
                    Err(message) => p.error role="alert" { (message) },
                    Ok(results) if results.matching_passages == 0 => p { "Nothing new since last marked seen." },
                    Ok(results) => {
                        p.new-count { strong { (plural(results.matching_passages, "new passage")) } " in " (plural(results.matching_documents, "document")) }
                        @if one {
                            @let search_params = saved_params(search);
                            ol.results {
                                @for document in &results.documents { (result_view(document, &search_params, cwd)) }
                            }
                            form method="post" action="/new/seen" {
                                input type="hidden" name="name" value=(search.name);
                                input type="hidden" name="through" value=(settled);
                                button type="submit" { "Mark these as seen" }
                            }
                        }
                    },
                }
            }
        }
    };
    layout("New for saved searches – dossier", &params, None, body)
}

/// The page address of a saved search, so that its new passages open their documents with
/// its words marked.
fn saved_params(search: &SavedSearch) -> Params {
    Params {
        q: search.query.clone(),
        required: [
            search.countries.clone(),
            search.issuers.clone(),
            search.orgs.clone(),
        ],
        since: search.since.clone().unwrap_or_default(),
        until: search.until.clone().unwrap_or_default(),
        undated: search.include_undated,
        page: 1,
        ..Params::default()
    }
}

/// A page for a request that cannot be answered: a file not in the index, a bad address.
pub fn message_page(params: &Params, heading: &str, message: &str) -> Markup {
    let body = html! {
        h1 { (heading) }
        p { (message) }
        p { a href="/" { "Start a new search" } }
    };
    layout(&format!("{heading} – dossier"), params, None, body)
}
