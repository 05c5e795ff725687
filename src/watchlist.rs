//! Saved searches, and what is new for each after a sync.
//!
//! A saved search is a query and search filters under a name, kept in the index folder
//! (`watchlist.json`). A passage is new when its text entered the index after a stamp
//! ([`crate::index::Fields::first_seen`]), so what is new is derived from the index itself:
//! a moved file, a file given again or a changed file's untouched paragraphs are never new
//! again.
//!
//! Two stamps are kept per search. What each sync has *reported* on stderr is in the
//! index's own commit ([`IndexState::reported`]), written in the same commit as the end of
//! the sync, so a sync killed before it reports its matches at the next sync and one killed
//! after it does not report them twice. What the reader has marked *seen* is in this file,
//! written by `dossier watchlist new --mark-seen`, which only the reader moves.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::index::{DossierIndex, IndexState};
use crate::search::{self, SearchRequest, SearchResults, SortOrder};
use crate::tagging::dates::PartialDate;

/// The file in the index folder that holds the saved searches.
pub const WATCHLIST_FILE: &str = "watchlist.json";
/// Bumped whenever the meaning of the file changes.
pub const WATCHLIST_VERSION: u32 = 1;
/// Names are at most this long: they head lines of output and go into a bot's messages.
const MAX_NAME_CHARS: usize = 64;
/// How many documents, and passages of each, a list of new matches shows at most: a batch
/// is read, not skimmed, and a list this long means the search is too broad.
const SHOWN_DOCUMENTS: usize = 1000;
const SHOWN_PER_DOCUMENT: usize = 100;

/// A query and search filters under a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSearch {
    pub name: String,
    /// Empty to follow every new passage of the documents the filters select.
    pub query: String,
    /// Alpha-2 codes, as `SearchRequest` takes them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub orgs: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issuers: Vec<String>,
    /// Document dates, as YYYY, YYYY-MM or YYYY-MM-DD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    #[serde(default)]
    pub include_undated: bool,
    /// The stamp of the last finished sync when the search was saved: what the index held
    /// then is not new to it.
    pub saved_at: u64,
    /// The stamp through which the reader has marked its new matches seen.
    pub seen: u64,
}

impl SavedSearch {
    /// The search request for the passages that entered the index after `after`, all of
    /// them (up to [`SHOWN_DOCUMENTS`]).
    pub fn request(&self, after: u64) -> Result<SearchRequest> {
        let date = |text: &Option<String>| -> Result<Option<PartialDate>> {
            text.as_deref()
                .map(PartialDate::parse_iso)
                .transpose()
                .map_err(|message| {
                    Error::Invalid(format!("saved search '{}': {message}", self.name))
                })
        };
        Ok(SearchRequest {
            countries: self.countries.clone(),
            orgs: self.orgs.clone(),
            issuers: self.issuers.clone(),
            since: date(&self.since)?,
            until: date(&self.until)?,
            include_undated: self.include_undated,
            limit: SHOWN_DOCUMENTS,
            per_doc: SHOWN_PER_DOCUMENT,
            sort: if self.query.trim().is_empty() {
                SortOrder::Newest
            } else {
                SortOrder::Relevance
            },
            new_since: Some(after),
            ..SearchRequest::new(self.query.clone())
        })
    }

    /// The query and filters as they would be typed after `dossier search`.
    pub fn describe(&self) -> String {
        let mut words = Vec::new();
        if !self.query.is_empty() {
            words.push(format!("'{}'", self.query.replace('\'', r"'\''")));
        }
        for (flag, codes) in [
            ("--country", &self.countries),
            ("--org", &self.orgs),
            ("--issuer", &self.issuers),
        ] {
            for code in codes {
                words.push(format!("{flag} {code}"));
            }
        }
        for (flag, date) in [("--since", &self.since), ("--until", &self.until)] {
            if let Some(date) = date {
                words.push(format!("{flag} {date}"));
            }
        }
        if self.include_undated {
            words.push("--include-undated".into());
        }
        words.join(" ")
    }
}

/// The saved searches of an index.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Watchlist {
    version: u32,
    pub searches: Vec<SavedSearch>,
}

impl Watchlist {
    fn path(dir: &Path) -> PathBuf {
        dir.join(WATCHLIST_FILE)
    }

    /// The watchlist kept in the index folder `dir`; empty when there is none.
    pub fn load(dir: &Path) -> Result<Watchlist> {
        let path = Watchlist::path(dir);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Watchlist {
                    version: WATCHLIST_VERSION,
                    searches: Vec::new(),
                })
            }
            Err(error) => return Err(Error::Input { path, error }),
        };
        let watchlist: Watchlist = serde_json::from_str(&text).map_err(|error| {
            Error::Invalid(format!(
                "{} is not a watchlist dossier can read: {error}",
                path.display()
            ))
        })?;
        if watchlist.version != WATCHLIST_VERSION {
            return Err(Error::Invalid(format!(
                "{} was written by another version of dossier (watchlist version {}, this \
                 dossier reads {WATCHLIST_VERSION})",
                path.display(),
                watchlist.version
            )));
        }
        Ok(watchlist)
    }

    /// Writes the watchlist into the index folder `dir` whole or not at all: into a
    /// temporary file, synced, then renamed over the old one.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = Watchlist::path(dir);
        let temporary = dir.join(format!("{WATCHLIST_FILE}.tmp"));
        let io_error = |error| Error::Io {
            action: "write the watchlist",
            path: path.clone(),
            error,
        };
        let mut text = serde_json::to_string_pretty(self).expect("a watchlist serialises");
        text.push('\n');
        let mut file = std::fs::File::create(&temporary).map_err(io_error)?;
        file.write_all(text.as_bytes()).map_err(io_error)?;
        file.sync_all().map_err(io_error)?;
        std::fs::rename(&temporary, &path).map_err(io_error)
    }

    pub fn get(&self, name: &str) -> Result<&SavedSearch> {
        self.searches
            .iter()
            .find(|search| search.name == name)
            .ok_or_else(|| self.unknown(name))
    }

    fn unknown(&self, name: &str) -> Error {
        let names: Vec<&str> = self.searches.iter().map(|s| s.name.as_str()).collect();
        Error::Invalid(if names.is_empty() {
            format!("no saved search named '{name}': the watchlist is empty")
        } else {
            format!(
                "no saved search named '{name}'; the saved searches are {}",
                names.join(", ")
            )
        })
    }

    /// Saves `search` under its name, after checking the name and that the search runs
    /// on `index`: a query that does not parse is refused now, with its column, not at the
    /// next sync.
    pub fn add(&mut self, index: &DossierIndex, mut search: SavedSearch) -> Result<()> {
        check_name(&search.name)?;
        if self.searches.iter().any(|s| s.name == search.name) {
            return Err(Error::Invalid(format!(
                "a saved search is already named '{}'; remove it first with `dossier watchlist remove {}`",
                search.name, search.name
            )));
        }
        search::search(index, &search.request(0)?).map_err(|error| match error {
            Error::Query(error) => Error::Invalid(format!(
                "saved search '{}' not added: {error} of '{}'",
                search.name, search.query
            )),
            error => error,
        })?;
        search.saved_at = index.state().settled;
        search.seen = search.saved_at;
        self.searches.push(search);
        Ok(())
    }

    /// Marks the new matches of the search `name` seen through stamp `through` (never
    /// back: a reader who saw more keeps it).
    pub fn mark_seen(&mut self, name: &str, through: u64) -> Result<()> {
        self.get(name)?;
        for search in &mut self.searches {
            if search.name == name {
                search.seen = search.seen.max(through);
            }
        }
        Ok(())
    }

    pub fn remove(&mut self, name: &str) -> Result<SavedSearch> {
        let at = self
            .searches
            .iter()
            .position(|search| search.name == name)
            .ok_or_else(|| self.unknown(name))?;
        Ok(self.searches.remove(at))
    }
}

/// Letters, digits, `-` and `_`, starting with a letter or digit: a name that a shell, a
/// file name and a chat message all take as it is.
fn check_name(name: &str) -> Result<()> {
    let mut chars = name.chars();
    let well_formed = chars.next().is_some_and(|c| c.is_alphanumeric())
        && chars.all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        && name.chars().count() <= MAX_NAME_CHARS;
    if well_formed {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "'{name}' cannot name a saved search: use letters, digits, '-' and '_' \
             (starting with a letter or digit, at most {MAX_NAME_CHARS})"
        )))
    }
}

/// The passages of `index` that match `search` and whose text entered the index after
/// stamp `after`: what is new to a reader who saw everything through `after`.
pub fn new_matches(
    index: &DossierIndex,
    search: &SavedSearch,
    after: u64,
) -> Result<SearchResults> {
    search::search(index, &search.request(after)?)
}

/// A saved search's new matches since the previous report, as a sync says them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMatches {
    pub name: String,
    pub passages: usize,
    pub documents: usize,
}

impl NewMatches {
    /// "strategic-reserve: 3 new passages in 2 documents".
    pub fn line(&self) -> String {
        let plural = |n: usize, noun: &str| match n {
            1 => format!("1 {noun}"),
            n => format!("{n} {noun}s"),
        };
        format!(
            "{}: {} in {}",
            self.name,
            plural(self.passages, "new passage"),
            plural(self.documents, "document")
        )
    }
}

/// Counts what is new to each saved search of the index in `dir` since its last report,
/// as the index's last commit holds it, and records in `state` that everything through
/// `state.stamp` is reported. `fresh`: the index was built anew, with no stamps from
/// before to tell new from old, so nothing is new. None when no search can have anything
/// new (the sync wrote no new stamp), and `state` needs no change. A watchlist or a saved
/// search that cannot be read or run is said through `warn` and reports nothing, and its
/// matches wait: it must not fail a sync whose files are indexed.
pub(crate) fn report(
    dir: &Path,
    state: &mut IndexState,
    fresh: bool,
    warn: &dyn Fn(&str),
) -> Result<Option<Vec<NewMatches>>> {
    let stamp = state.stamp;
    let mut watchlist = match Watchlist::load(dir) {
        Ok(watchlist) => watchlist,
        Err(error) => {
            warn(&format!("no new matches reported: {error}"));
            return Ok(None);
        }
    };
    if fresh && !watchlist.searches.is_empty() {
        // Everything was stamped anew: what the reader had seen would all be new again.
        for search in &mut watchlist.searches {
            search.saved_at = search.saved_at.max(stamp);
            search.seen = search.seen.max(stamp);
        }
        watchlist.save(dir)?;
    }
    let reported_through = |search: &SavedSearch| {
        state
            .reported
            .get(&search.name)
            .copied()
            .unwrap_or_default()
            .max(search.saved_at)
    };
    let stale = watchlist
        .searches
        .iter()
        .any(|search| reported_through(search) < stamp);
    let forgotten = state
        .reported
        .keys()
        .any(|name| watchlist.get(name).is_err());
    if !stale && !forgotten {
        return Ok(None);
    }
    let mut found = Vec::new();
    let mut reported = BTreeMap::new();
    // A fresh handle: it sees what this sync has committed so far.
    let index = (!fresh).then(|| DossierIndex::open(dir)).transpose()?;
    for search in &watchlist.searches {
        let after = reported_through(search);
        if let Some(index) = index.as_ref().filter(|_| after < stamp) {
            let results = search.request(after).and_then(|request| {
                search::search(
                    index,
                    &SearchRequest {
                        limit: 1,
                        per_doc: 1,
                        ..request
                    },
                )
            });
            let results = match results {
                Ok(results) => results,
                Err(error) => {
                    warn(&format!("saved search '{}' not run: {error}", search.name));
                    reported.insert(search.name.clone(), after);
                    continue;
                }
            };
            if results.matching_passages > 0 {
                found.push(NewMatches {
                    name: search.name.clone(),
                    passages: results.matching_passages,
                    documents: results.matching_documents,
                });
            }
        }
        reported.insert(search.name.clone(), after.max(stamp));
    }
    state.reported = reported;
    Ok(Some(found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_words_a_shell_and_a_chat_message_take_as_they_are() {
        for good in ["strategic-reserve", "japan_2025", "G7", "réserve"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in ["", "-x", "two words", "a/b", &"x".repeat(65)] {
            let error = check_name(bad).unwrap_err().to_string();
            assert_eq!(
                error,
                format!(
                    "'{bad}' cannot name a saved search: use letters, digits, '-' and '_' \
                     (starting with a letter or digit, at most 64)"
                )
            );
        }
    }

    #[test]
    fn a_saved_search_is_described_as_it_would_be_typed() {
        let search = SavedSearch {
            name: "japan".into(),
            query: "Japan's reserve".into(),
            countries: vec!["JP".into()],
            orgs: Vec::new(),
            issuers: vec!["AU".into()],
            since: Some("2025-03".into()),
            until: None,
            include_undated: true,
            saved_at: 0,
            seen: 0,
        };
        assert_eq!(
            search.describe(),
            r"'Japan'\''s reserve' --country JP --issuer AU --since 2025-03 --include-undated"
        );
    }

    #[test]
    fn the_report_line_counts_passages_and_documents() {
        let line = |passages, documents| {
            NewMatches {
                name: "strategic-reserve".into(),
                passages,
                documents,
            }
            .line()
        };
        assert_eq!(
            line(3, 2),
            "strategic-reserve: 3 new passages in 2 documents"
        );
        assert_eq!(line(1, 1), "strategic-reserve: 1 new passage in 1 document");
    }
}
