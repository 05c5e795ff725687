//! Metadata from the newsroom: a CSV or JSON Lines file that says, for documents named by
//! relative path or file stem, their date, title, issuers or countries. It wins over what
//! dossier reads in the text.
//!
//! Columns are found by name (`fileid`, `path`, `file`, `id`... for the document; `date`,
//! `title`, `issuer`, `countries`), or named with `--metadata-columns key=fileid,date=date`.
//!
//! Metadata that only file names carry is read by a pattern the newsroom gives
//! (`--name-pattern '{issuer}_{}_{year}'`), which, unlike a metadata file, also covers the
//! files that arrive later.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::tagging::dates::parse_metadata_date;
use crate::tagging::gazetteer::resolve_country;
use crate::tagging::Metadata;

const KEY_NAMES: &[&str] = &[
    "path", "file", "filename", "fileid", "file_id", "id", "stem", "document", "doc",
];
const DATE_NAMES: &[&str] = &["date", "published", "issued", "dated", "date_published"];
const TITLE_NAMES: &[&str] = &["title", "headline"];
const ISSUER_NAMES: &[&str] = &["issuer", "issuers", "issued_by", "speaker_country"];
const COUNTRY_NAMES: &[&str] = &["countries", "country"];

/// Which column holds what; `None` means "find it by name".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Columns {
    pub key: Option<String>,
    pub date: Option<String>,
    pub title: Option<String>,
    pub issuer: Option<String>,
    pub countries: Option<String>,
}

impl Columns {
    /// Parses `key=fileid,date=date`.
    pub fn parse(spec: &str) -> std::result::Result<Columns, String> {
        let mut columns = Columns::default();
        for pair in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((role, name)) = pair.split_once('=') else {
                return Err(format!(
                    "'{pair}' is not ROLE=COLUMN (roles: key, date, title, issuer, countries)"
                ));
            };
            let slot = match role.trim() {
                "key" => &mut columns.key,
                "date" => &mut columns.date,
                "title" => &mut columns.title,
                "issuer" | "issuers" => &mut columns.issuer,
                "countries" | "country" => &mut columns.countries,
                other => {
                    return Err(format!(
                        "unknown role '{other}' (roles: key, date, title, issuer, countries)"
                    ))
                }
            };
            *slot = Some(name.trim().to_string());
        }
        Ok(columns)
    }
}

/// A metadata file as recorded in the index, so that later syncs apply it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetadataSource {
    pub path: PathBuf,
    #[serde(default)]
    pub columns: Columns,
}

/// A pattern that reads metadata from file names: `{issuer}_{}_{year}` reads `AUS_79_2024`
/// as a document issued by Australia in 2024, the part between skipped. It must match the
/// whole file name without its extension; a file it does not match gets nothing from it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NamePattern {
    spec: String,
    regex: Regex,
}

/// The fields of a name pattern and what each matches.
const NAME_FIELDS: &[(&str, &str)] = &[
    ("issuer", r"[A-Za-z]{2,3}"),
    ("country", r"[A-Za-z]{2,3}"),
    ("year", r"[0-9]{4}"),
    ("date", r"[0-9]{4}-[0-9]{2}(?:-[0-9]{2})?"),
    ("title", r".+"),
    ("", r".+?"),
];

impl NamePattern {
    pub fn parse(spec: &str) -> std::result::Result<NamePattern, String> {
        let fields = || {
            NAME_FIELDS
                .iter()
                .map(|(name, _)| format!("{{{name}}}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut pattern = String::from("^");
        let mut seen = Vec::new();
        let mut rest = spec;
        while let Some(open) = rest.find('{') {
            pattern.push_str(&regex::escape(&rest[..open]));
            let Some(close) = rest[open..].find('}') else {
                return Err(format!("'{{' without '}}' in the name pattern '{spec}'"));
            };
            let name = &rest[open + 1..open + close];
            let Some((_, matches)) = NAME_FIELDS.iter().find(|(field, _)| *field == name) else {
                return Err(format!(
                    "unknown field '{{{name}}}' in the name pattern '{spec}'; the fields are {}",
                    fields()
                ));
            };
            if name.is_empty() {
                pattern.push_str(&format!("(?:{matches})"));
            } else if seen.contains(&name) {
                return Err(format!("'{{{name}}}' twice in the name pattern '{spec}'"));
            } else {
                seen.push(name);
                pattern.push_str(&format!("(?P<{name}>{matches})"));
            }
            rest = &rest[open + close + 1..];
        }
        if rest.contains('}') {
            return Err(format!("'}}' without '{{' in the name pattern '{spec}'"));
        }
        pattern.push_str(&regex::escape(rest));
        pattern.push('$');
        if seen.is_empty() {
            return Err(format!(
                "the name pattern '{spec}' reads nothing; give it one of {}",
                fields()
            ));
        }
        let regex = Regex::new(&pattern).map_err(|e| e.to_string())?;
        Ok(NamePattern {
            spec: spec.to_string(),
            regex,
        })
    }

    /// What the name of the file at `path` says, if the pattern matches it; `warn` hears
    /// of values that name no country, with the value.
    fn read(&self, path: &Path, warn: &dyn Fn(&Path, &str, &str)) -> Option<Metadata> {
        let stem = path.file_stem()?.to_str()?;
        let found = self.regex.captures(stem)?;
        let code = |field: &str| -> Vec<&'static str> {
            let Some(value) = found.name(field) else {
                return Vec::new();
            };
            match resolve_country(value.as_str()) {
                Some(code) => vec![code],
                None => {
                    let message = format!(
                        "'{}' in the file name is not a country code; no {field} from it \
                         (nor from other files so named)",
                        value.as_str()
                    );
                    warn(path, value.as_str(), &message);
                    Vec::new()
                }
            }
        };
        let date = ["date", "year"]
            .iter()
            .find_map(|field| found.name(field))
            .and_then(|value| parse_metadata_date(value.as_str()));
        Some(Metadata {
            title: found
                .name("title")
                .map(|t| t.as_str().replace(['-', '_'], " ")),
            date_from_name: date.is_some(),
            date,
            issuers: code("issuer"),
            countries: code("country"),
        })
    }
}

impl std::fmt::Display for NamePattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.spec)
    }
}

impl PartialEq for NamePattern {
    fn eq(&self, other: &NamePattern) -> bool {
        self.spec == other.spec
    }
}

impl Eq for NamePattern {}

impl TryFrom<String> for NamePattern {
    type Error = String;

    fn try_from(spec: String) -> std::result::Result<NamePattern, String> {
        NamePattern::parse(&spec)
    }
}

impl From<NamePattern> for String {
    fn from(pattern: NamePattern) -> String {
        pattern.spec
    }
}

/// Records of every metadata file, by document path and by file stem, and the name
/// patterns, newest first.
#[derive(Debug, Default)]
pub struct MetadataTable {
    by_path: HashMap<PathBuf, Metadata>,
    by_stem: HashMap<String, Metadata>,
    patterns: Vec<NamePattern>,
    /// Values of file names already warned of: a folder of UN speeches holds 17 named `YUG`.
    warned: Mutex<HashSet<String>>,
}

impl Metadata {
    /// A fingerprint of the record, stored with each document so that a sync notices
    /// when the newsroom changes it.
    pub fn fingerprint(record: Option<&Metadata>) -> String {
        match record {
            Some(record) => {
                blake3::hash(format!("{record:?}").as_bytes()).to_hex()[..16].to_string()
            }
            None => String::new(),
        }
    }
}

impl MetadataTable {
    /// Reads every source; `warn` hears of values that cannot be used.
    pub fn load(
        sources: &[MetadataSource],
        patterns: &[NamePattern],
        warn: &dyn Fn(&Path, &str),
    ) -> Result<MetadataTable> {
        let mut table = MetadataTable {
            patterns: patterns.to_vec(),
            ..MetadataTable::default()
        };
        for source in sources {
            table.read(source, warn)?;
        }
        Ok(table)
    }

    /// The record for the document at `path` (absolute), if any: from a metadata file, by
    /// path, else by stem; what it leaves out, from the first name pattern that matches.
    pub fn get(&self, path: &Path, warn: &dyn Fn(&Path, &str)) -> Option<Metadata> {
        let listed = self.by_path.get(path).or_else(|| {
            let stem = path.file_stem()?.to_string_lossy();
            self.by_stem.get(stem.as_ref())
        });
        let warn_once = |path: &Path, value: &str, message: &str| {
            let mut warned = self.warned.lock().unwrap_or_else(|e| e.into_inner());
            if warned.insert(value.to_string()) {
                warn(path, message);
            }
        };
        let named = self.patterns.iter().find_map(|p| p.read(path, &warn_once));
        match (listed, named) {
            (Some(listed), Some(named)) => Some(Metadata {
                title: listed.title.clone().or(named.title),
                date: listed.date.or(named.date),
                date_from_name: listed.date.is_none() && named.date.is_some(),
                issuers: pick(&listed.issuers, named.issuers),
                countries: pick(&listed.countries, named.countries),
            }),
            (listed, named) => listed.cloned().or(named),
        }
    }

    fn read(&mut self, source: &MetadataSource, warn: &dyn Fn(&Path, &str)) -> Result<()> {
        let path = &source.path;
        let input_error = |error: std::io::Error| Error::Input {
            path: path.clone(),
            error,
        };
        let text = fs::read_to_string(path).map_err(input_error)?;
        let rows = if is_json_lines(path) {
            json_rows(&text).map_err(|message| metadata_error(path, message))?
        } else {
            csv_rows(&text).map_err(|message| metadata_error(path, message))?
        };
        // JSON Lines rows may differ in their keys: the header is all of them.
        let header: BTreeSet<String> = rows.iter().flat_map(|row| row.keys().cloned()).collect();
        let find =
            |chosen: &Option<String>, names: &[&str], role: &str| -> Result<Option<String>> {
                match chosen {
                    Some(name) if header.iter().any(|h| h == name) => Ok(Some(name.clone())),
                    Some(name) => Err(metadata_error(
                        path,
                        format!("no column '{name}' for the {role}"),
                    )),
                    None => Ok(names
                        .iter()
                        .find_map(|n| header.iter().find(|h| h.eq_ignore_ascii_case(n)).cloned())),
                }
            };
        let columns = &source.columns;
        let Some(key) = find(&columns.key, KEY_NAMES, "document")? else {
            return Err(metadata_error(
                path,
                format!(
                    "no column names the documents (looked for {}); name it with --metadata-columns key=COLUMN",
                    KEY_NAMES.join(", ")
                ),
            ));
        };
        let date = find(&columns.date, DATE_NAMES, "date")?;
        let title = find(&columns.title, TITLE_NAMES, "title")?;
        let issuer = find(&columns.issuer, ISSUER_NAMES, "issuer")?;
        let countries = find(&columns.countries, COUNTRY_NAMES, "countries")?;
        let base = path.parent().unwrap_or(Path::new("."));
        for (number, row) in rows.iter().enumerate() {
            let value = |column: &Option<String>| {
                column
                    .as_ref()
                    .and_then(|c| row.get(c))
                    .map(|v| v.trim())
                    .filter(|v| !v.is_empty())
            };
            let Some(document) = value(&Some(key.clone())) else {
                continue;
            };
            let mut record = Metadata {
                title: value(&title).map(str::to_string),
                ..Metadata::default()
            };
            if let Some(text) = value(&date) {
                record.date = parse_metadata_date(text);
                if record.date.is_none() {
                    warn(
                        path,
                        &format!("row {}: '{text}' is not a date; ignored", number + 2),
                    );
                }
            }
            record.issuers = codes(value(&issuer), path, number, warn);
            record.countries = codes(value(&countries), path, number, warn);
            self.insert(base, document, record);
        }
        Ok(())
    }

    fn insert(&mut self, base: &Path, document: &str, record: Metadata) {
        let relative = Path::new(document);
        if let Ok(found) = fs::canonicalize(base.join(relative)) {
            self.by_path.insert(found, record.clone());
        }
        if let Some(stem) = relative.file_stem() {
            self.by_stem
                .insert(stem.to_string_lossy().into_owned(), record);
        }
    }
}

fn pick(listed: &[&'static str], named: Vec<&'static str>) -> Vec<&'static str> {
    if listed.is_empty() {
        named
    } else {
        listed.to_vec()
    }
}

fn metadata_error(path: &Path, message: impl Into<String>) -> Error {
    Error::Invalid(format!(
        "metadata file {}: {}",
        path.display(),
        message.into()
    ))
}

fn is_json_lines(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "jsonl" | "ndjson" | "json"))
}

/// One row: column name to value.
type Row = HashMap<String, String>;

fn csv_rows(text: &str) -> std::result::Result<Vec<Row>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        rows.push(
            headers
                .iter()
                .zip(record.iter())
                .map(|(h, v)| (h.trim().to_string(), v.to_string()))
                .collect(),
        );
    }
    Ok(rows)
}

fn json_rows(text: &str) -> std::result::Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let object: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(line).map_err(|e| format!("line {}: {e}", number + 1))?;
        rows.push(
            object
                .into_iter()
                .map(|(k, v)| {
                    let value = match v {
                        serde_json::Value::String(s) => s,
                        serde_json::Value::Array(items) => items
                            .iter()
                            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                            .collect::<Vec<_>>()
                            .join("|"),
                        serde_json::Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    (k, value)
                })
                .collect(),
        );
    }
    Ok(rows)
}

/// Country codes from "JP|AU", "Japan; Australia" or "JPN AUS".
fn codes(
    value: Option<&str>,
    path: &Path,
    row: usize,
    warn: &dyn Fn(&Path, &str),
) -> Vec<&'static str> {
    let Some(value) = value else {
        return Vec::new();
    };
    let separators: &[char] = if value.contains(['|', ';', ',']) {
        &['|', ';', ',']
    } else {
        &[' ']
    };
    let mut codes = Vec::new();
    for item in value
        .split(separators)
        .map(str::trim)
        .filter(|i| !i.is_empty())
    {
        match resolve_country(item) {
            Some(code) if !codes.contains(&code) => codes.push(code),
            Some(_) => {}
            None => warn(
                path,
                &format!("row {}: unknown country '{item}'; ignored", row + 2),
            ),
        }
    }
    codes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tagging::dates::PartialDate;

    #[test]
    fn columns_are_named_role_by_role() {
        let columns = Columns::parse("key=fileid, date=when").unwrap();
        assert_eq!(columns.key.as_deref(), Some("fileid"));
        assert_eq!(columns.date.as_deref(), Some("when"));
        assert_eq!(
            Columns::parse("speaker=x").unwrap_err(),
            "unknown role 'speaker' (roles: key, date, title, issuer, countries)"
        );
    }

    #[test]
    fn name_patterns_read_whole_file_names() {
        let pattern = NamePattern::parse("{issuer}_{}_{year}").unwrap();
        let warnings = std::cell::RefCell::new(Vec::new());
        let warn =
            |_: &Path, _: &str, message: &str| warnings.borrow_mut().push(message.to_string());
        let read = |name: &str| pattern.read(Path::new(name), &warn);
        let record = read("ungdc/Session 79 - 2024/AUS_79_2024.txt").unwrap();
        assert_eq!(record.issuers, ["AU"]);
        assert_eq!(record.date, PartialDate::parse_iso("2024").ok());
        assert!(record.date_from_name);
        assert_eq!(read("USA_notes.txt"), None);
        assert_eq!(read("AUS_79_2024_draft.txt"), None);
        assert_eq!(read("AUS_79_24.txt"), None);
        // States that no longer exist keep their own codes, apart from their successors.
        for (name, code) in [
            ("YUG_40_1985.txt", "YUCS"),
            ("CSK_40_1985.txt", "CSHH"),
            ("DDR_40_1985.txt", "DDDE"),
            ("YMD_40_1985.txt", "YDYE"),
        ] {
            assert_eq!(read(name).unwrap().issuers, [code], "{name}");
        }
        assert!(warnings.borrow().is_empty(), "{:?}", warnings.borrow());
        let record = read("EU_79_2024.txt").unwrap();
        assert_eq!(record.issuers, Vec::<&str>::new());
        assert_eq!(
            warnings.borrow().as_slice(),
            ["'EU' in the file name is not a country code; no issuer from it (nor from other files so named)"]
        );

        let pattern = NamePattern::parse("{date}-{title}").unwrap();
        let record = pattern
            .read(
                Path::new("1990-08-08-address-iraqs-invasion-kuwait.txt"),
                &warn,
            )
            .unwrap();
        assert_eq!(record.date, PartialDate::parse_iso("1990-08-08").ok());
        assert_eq!(
            record.title.as_deref(),
            Some("address iraqs invasion kuwait")
        );
    }

    #[test]
    fn name_patterns_are_checked_when_given() {
        let error = |spec: &str| NamePattern::parse(spec).unwrap_err();
        assert_eq!(
            error("{issuer"),
            "'{' without '}' in the name pattern '{issuer'"
        );
        assert_eq!(
            error("issuer}"),
            "'}' without '{' in the name pattern 'issuer}'"
        );
        assert_eq!(
            error("{year}-{year}"),
            "'{year}' twice in the name pattern '{year}-{year}'"
        );
        assert_eq!(
            error("{}_{}"),
            "the name pattern '{}_{}' reads nothing; give it one of {issuer}, {country}, {year}, {date}, {title}, {}"
        );
        // Literal text is literal, not a regular expression.
        let pattern = NamePattern::parse("speech.{year}").unwrap();
        let read = |name: &str| pattern.read(Path::new(name), &|_, _, _| {});
        assert!(read("speech.2020.txt").is_some());
        assert_eq!(read("speechX2020.txt"), None);
    }

    #[test]
    fn a_metadata_file_wins_over_a_name_pattern_field_by_field() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("meta.csv");
        fs::write(&csv, "fileid,title,date\nKEN_79_2024,Statement by Kenya,\n").unwrap();
        let sources = [MetadataSource {
            path: csv,
            columns: Columns::default(),
        }];
        let patterns = [NamePattern::parse("{issuer}_{}_{year}").unwrap()];
        let table = MetadataTable::load(&sources, &patterns, &|_, _| {}).unwrap();
        let record = table
            .get(&dir.path().join("KEN_79_2024.txt"), &|_, _| {})
            .unwrap();
        assert_eq!(record.title.as_deref(), Some("Statement by Kenya"));
        assert_eq!(record.issuers, ["KE"]);
        assert_eq!(record.date, PartialDate::parse_iso("2024").ok());
        assert!(record.date_from_name);
        // Serialised in the index as the pattern itself.
        assert_eq!(
            serde_json::to_string(&patterns[0]).unwrap(),
            "\"{issuer}_{}_{year}\""
        );
    }

    #[test]
    fn csv_and_json_lines_give_the_same_records() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("meta.csv");
        fs::write(&csv, "fileid,year,date,issuer\n1790-Washington-1,1790,1790-01-08,US\nspeech-2,2001,not a date,Japan;Narnia\n").unwrap();
        let jsonl = dir.path().join("meta.jsonl");
        fs::write(&jsonl, "{\"file\":\"a/speech-3.txt\",\"date\":\"5 November 2025\",\"countries\":[\"AU\",\"JPN\"]}\n").unwrap();
        let warnings = std::cell::RefCell::new(Vec::new());
        let warn = |_: &Path, message: &str| warnings.borrow_mut().push(message.to_string());
        let sources = [
            MetadataSource {
                path: csv,
                columns: Columns::default(),
            },
            MetadataSource {
                path: jsonl,
                columns: Columns::default(),
            },
        ];
        let table = MetadataTable::load(&sources, &[], &warn).unwrap();
        let first = table
            .get(
                Path::new("/corpus/speeches/1790-Washington-1.txt"),
                &|_, _| {},
            )
            .unwrap();
        assert_eq!(first.date.unwrap().to_string(), "1790-01-08");
        assert_eq!(first.issuers, ["US"]);
        let second = table.get(Path::new("/x/speech-2.md"), &|_, _| {}).unwrap();
        assert_eq!((second.date, second.issuers.clone()), (None, vec!["JP"]));
        let third = table.get(Path::new("/y/speech-3.txt"), &|_, _| {}).unwrap();
        assert_eq!(third.countries, ["AU", "JP"]);
        assert_eq!(third.date.unwrap().to_string(), "2025-11-05");
        assert_eq!(
            *warnings.borrow(),
            [
                "row 3: 'not a date' is not a date; ignored",
                "row 3: unknown country 'Narnia'; ignored"
            ]
        );
    }

    #[test]
    fn speakers_and_years_from_file_names_as_a_metadata_file() {
        // A newsroom's list of UN General Debate files named `AUS_79_2024.txt`: an
        // alpha-3 issuer and a bare year.
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("ungdc.csv");
        fs::write(&csv, "fileid,issuer,date\nAUS_79_2024,AUS,2024\n").unwrap();
        let sources = [MetadataSource {
            path: csv,
            columns: Columns::default(),
        }];
        let table = MetadataTable::load(&sources, &[], &|_, _| {}).unwrap();
        let record = table
            .get(
                Path::new("/ungdc/Session 79 - 2024/AUS_79_2024.txt"),
                &|_, _| {},
            )
            .unwrap();
        assert_eq!(record.issuers, ["AU"]);
        assert_eq!(record.date.unwrap().to_string(), "2024");
    }

    #[test]
    fn a_file_without_a_document_column_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("meta.csv");
        fs::write(&csv, "when,who\n2020,x\n").unwrap();
        let sources = [MetadataSource {
            path: csv.clone(),
            columns: Columns::default(),
        }];
        let error = MetadataTable::load(&sources, &[], &|_, _| {})
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with(&format!(
                "metadata file {}: no column names the documents",
                csv.display()
            )),
            "{error}"
        );
    }
}
