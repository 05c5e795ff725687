//! The files and folders an index was synced over, each with the metadata files and name
//! patterns given for it: what was given for one folder applies to the files under it and
//! to nothing else.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::IndexState;
use crate::error::Result;
use crate::metadata::{MetadataSource, MetadataTable, NamePattern};
use crate::tagging::Metadata;

/// A file or folder the index was synced over (canonical), with what was given for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Root {
    pub path: PathBuf,
    /// Metadata files applied to the files under this root at every sync.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub metadata: Vec<MetadataSource>,
    /// Patterns that read metadata from the names of the files under this root, newest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub name_patterns: Vec<NamePattern>,
}

impl Root {
    pub fn new(path: PathBuf) -> Root {
        Root {
            path,
            metadata: Vec::new(),
            name_patterns: Vec::new(),
        }
    }

    /// Adds what is given now to what this root already has: a metadata file given again
    /// replaces its old columns, and a pattern given again moves to the front, where it is
    /// tried first.
    pub fn give(&mut self, metadata: &[MetadataSource], name_patterns: &[NamePattern]) {
        for source in metadata {
            self.metadata.retain(|known| known.path != source.path);
            self.metadata.push(source.clone());
        }
        let mut patterns = name_patterns.to_vec();
        patterns.extend(
            self.name_patterns
                .iter()
                .filter(|known| !name_patterns.contains(known))
                .cloned(),
        );
        self.name_patterns = patterns;
    }
}

/// The metadata of every root, each applied to the files under it. A file under nested
/// roots gets what was given for each of them, the innermost winning.
pub struct RootTables {
    /// Innermost roots first.
    tables: Vec<(PathBuf, MetadataTable)>,
}

impl RootTables {
    /// Reads the metadata of the roots that files under `wanted` can fall in: the roots
    /// under `wanted` and, through them, the roots they lie in. The metadata files of
    /// other roots are not read, so one that has gone does not stop a sync elsewhere.
    pub fn load(
        roots: &[Root],
        wanted: &[PathBuf],
        warn: &dyn Fn(&Path, &str),
    ) -> Result<RootTables> {
        let mut tables = Vec::new();
        for root in roots {
            if !wanted.iter().any(|w| root.path.starts_with(w)) {
                continue;
            }
            // Outermost first, so that an inner root's records are read last and win; its
            // patterns are tried first.
            let mut holding: Vec<&Root> = roots
                .iter()
                .filter(|r| root.path.starts_with(&r.path))
                .collect();
            holding.sort_by_key(|r| r.path.components().count());
            let sources: Vec<MetadataSource> =
                holding.iter().flat_map(|r| r.metadata.clone()).collect();
            let patterns: Vec<NamePattern> = holding
                .iter()
                .rev()
                .flat_map(|r| r.name_patterns.clone())
                .collect();
            let table = MetadataTable::load(&sources, &patterns, warn)?;
            tables.push((root.path.clone(), table));
        }
        tables.sort_by_key(|(path, _)| std::cmp::Reverse(path.components().count()));
        Ok(RootTables { tables })
    }

    /// The record for the file at `path` (absolute), from the innermost root holding it.
    pub fn get(&self, path: &Path, warn: &dyn Fn(&Path, &str)) -> Option<Metadata> {
        let (_, table) = self
            .tables
            .iter()
            .find(|(root, _)| path.starts_with(root))?;
        table.get(path, warn)
    }
}

/// The index state as stored, from any dossier that wrote one.
#[derive(Deserialize)]
pub(super) struct StoredState {
    schema: u32,
    analyzer: u32,
    splitter: u32,
    /// Indexes written before the tagger had a version hold its first version's tags.
    #[serde(default = "first_tagger_version")]
    tagger: u32,
    documents: u64,
    roots: Vec<StoredRoot>,
    /// Before metadata was kept per root: metadata files applied to every root.
    #[serde(default)]
    metadata: Vec<MetadataSource>,
    /// Likewise, name patterns applied to every root.
    #[serde(default)]
    name_patterns: Vec<NamePattern>,
    last_sync: u64,
    #[serde(default)]
    stamp: u64,
    #[serde(default)]
    settled: u64,
    #[serde(default)]
    reported: std::collections::BTreeMap<String, u64>,
}

fn first_tagger_version() -> u32 {
    1
}

/// A root as stored: a bare path before metadata was kept per root.
#[derive(Deserialize)]
#[serde(untagged)]
enum StoredRoot {
    Root(Root),
    Path(PathBuf),
}

impl From<StoredState> for IndexState {
    fn from(stored: StoredState) -> IndexState {
        // An index from before metadata was kept per root applied its metadata files and
        // patterns to every root at every sync: the roots it had keep them, so what it
        // recorded stays true, and only roots indexed from now on are without them.
        let roots = stored
            .roots
            .into_iter()
            .map(|root| match root {
                StoredRoot::Root(root) => root,
                StoredRoot::Path(path) => {
                    let mut root = Root::new(path);
                    root.give(&stored.metadata, &stored.name_patterns);
                    root
                }
            })
            .collect();
        IndexState {
            schema: stored.schema,
            analyzer: stored.analyzer,
            splitter: stored.splitter,
            tagger: stored.tagger,
            documents: stored.documents,
            roots,
            last_sync: stored.last_sync,
            stamp: stored.stamp,
            settled: stored.settled,
            reported: stored.reported,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::Columns;

    #[test]
    fn an_index_state_from_before_roots_had_metadata_gives_each_root_the_old_lists() {
        let stored = r#"{"schema":2,"analyzer":1,"splitter":2,"tagger":2,"documents":3,
            "roots":["/corpus/ungdc","/corpus/sotu/speeches"],
            "metadata":[{"path":"/corpus/sotu/metadata.csv","columns":{"key":"fileid","date":null,"title":null,"issuer":null,"countries":null}}],
            "name_patterns":["{issuer}_{}_{year}","{date}-{title}"],"last_sync":1}"#;
        let state: IndexState = serde_json::from_str(stored).unwrap();
        let metadata = vec![MetadataSource {
            path: "/corpus/sotu/metadata.csv".into(),
            columns: Columns::parse("key=fileid").unwrap(),
        }];
        let patterns = vec![
            NamePattern::parse("{issuer}_{}_{year}").unwrap(),
            NamePattern::parse("{date}-{title}").unwrap(),
        ];
        let expected = |path: &str| Root {
            path: path.into(),
            metadata: metadata.clone(),
            name_patterns: patterns.clone(),
        };
        assert_eq!(
            state.roots,
            [expected("/corpus/ungdc"), expected("/corpus/sotu/speeches")]
        );
        // Written back, each root carries its own lists and there are no global ones.
        let written = serde_json::to_string(&state).unwrap();
        assert!(!written.contains("\"roots\":[\"/"), "{written}");
        let again: IndexState = serde_json::from_str(&written).unwrap();
        assert_eq!(again.roots, state.roots);
    }

    #[test]
    fn a_pattern_given_again_moves_to_the_front_and_a_metadata_file_is_replaced() {
        let pattern = |spec: &str| NamePattern::parse(spec).unwrap();
        let source = |key: &str| MetadataSource {
            path: "/corpus/meta.csv".into(),
            columns: Columns::parse(key).unwrap(),
        };
        let mut root = Root::new("/corpus/speeches".into());
        root.give(&[source("key=fileid")], &[pattern("{date}-{title}")]);
        root.give(&[source("key=path")], &[pattern("{year}_{title}")]);
        root.give(&[], &[pattern("{date}-{title}")]);
        assert_eq!(root.metadata, [source("key=path")]);
        assert_eq!(
            root.name_patterns,
            [pattern("{date}-{title}"), pattern("{year}_{title}")]
        );
    }

    #[test]
    fn a_file_gets_the_metadata_of_the_roots_holding_it_the_innermost_first() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        let csv = corpus.join("meta.csv");
        std::fs::write(
            &csv,
            "fileid,title\n1990-08-08-address,Address to the Nation\n",
        )
        .unwrap();
        let mut outer = Root::new(corpus.clone());
        outer.give(
            &[MetadataSource {
                path: csv,
                columns: Columns::default(),
            }],
            &[NamePattern::parse("{issuer}_{}_{year}").unwrap()],
        );
        let mut speeches = Root::new(corpus.join("speeches"));
        speeches.give(&[], &[NamePattern::parse("{date}-{title}").unwrap()]);
        let elsewhere = dir.path().join("elsewhere");
        let mut other = Root::new(elsewhere.clone());
        other.give(&[], &[NamePattern::parse("{issuer}_{}_{year}").unwrap()]);
        let roots = [outer, speeches, other];
        let tables = RootTables::load(&roots, std::slice::from_ref(&corpus), &|_, _| {}).unwrap();
        let get = |relative: &str| tables.get(&corpus.join(relative), &|_, _| {});

        let speech = get("speeches/1990-08-08-address.txt").unwrap();
        assert_eq!(speech.title.as_deref(), Some("Address to the Nation"));
        assert_eq!(speech.date.unwrap().to_string(), "1990-08-08");
        // The outer root's pattern reads files in the inner root that its own does not.
        assert_eq!(get("speeches/KEN_79_2024.txt").unwrap().issuers, ["KE"]);
        // The inner root's pattern stays inside it.
        assert_eq!(get("1990-08-08-address-iraq.txt"), None);
        // Roots outside the wanted folders are not loaded.
        assert_eq!(
            tables.get(&elsewhere.join("KEN_79_2024.txt"), &|_, _| {}),
            None
        );
    }
}
