//! Country tagging against the geoparsing corpora: TR-News and LGL (gold countries are the
//! toponyms whose GeoNames feature code is a country, PCL*) and GeoWebNews (by the
//! toponyms' pragmatic types).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use dossier::tagging;
use dossier::tagging::gazetteer::{former_state, resolve_country, Entity};

use crate::{parse_xml, read, scores};

/// A country mention, gold or dossier's, in characters of the article's text.
struct GoldMention {
    start: usize,
    end: usize,
    code: &'static str,
}

fn child_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    node.children()
        .find(|c| c.has_tag_name(name))
        .and_then(|c| c.text())
        .map(str::trim)
}

/// One article of a geoparsing corpus: its gold countries, what the annotators made of every
/// span they marked, and dossier's country mentions.
struct Article {
    id: String,
    text: String,
    /// Gold mentions, each with the annotators' type of the toponym: the feature code in
    /// TR-News and LGL ("PCLI"), the pragmatic type in GeoWebNews ("Literal", "Demonym").
    gold: Vec<(GoldMention, String)>,
    /// Every annotated span with a label ("ADM1 England", "Language English").
    annotated: Vec<(usize, usize, String)>,
    ours: Vec<GoldMention>,
    /// Countries dossier finds only once, and only by a demonym ("Italian politics").
    lone_demonyms: BTreeSet<&'static str>,
    /// Mentions of states that no longer exist ("the Soviet Union"), left out of the scores:
    /// the gold data codes countries by GeoNames' current ones, so it has no code for them.
    former_states: usize,
}

impl Article {
    fn new(
        id: &str,
        text: &str,
        gold: Vec<(GoldMention, String)>,
        annotated: Vec<(usize, usize, String)>,
    ) -> Article {
        // Gold offsets count characters; dossier's spans count bytes.
        let char_offset = |byte: usize| text[..byte].chars().count();
        let all_mentions = tagging::country_mentions(text);
        let lone_demonyms: BTreeSet<&'static str> = {
            let countries = all_mentions.iter().filter_map(|m| match m.entity {
                Entity::Country(code) => Some((code, m.demonym)),
                Entity::Organisation(_) => None,
            });
            let countries: Vec<(&'static str, bool)> = countries.collect();
            countries
                .iter()
                .filter(|(code, demonym)| {
                    *demonym && countries.iter().filter(|(c, _)| c == code).count() == 1
                })
                .map(|(code, _)| *code)
                .collect()
        };
        let former_states = all_mentions
            .iter()
            .filter(|m| matches!(m.entity, Entity::Country(code) if former_state(code).is_some()))
            .count();
        let ours = all_mentions
            .into_iter()
            .filter_map(|m| match m.entity {
                Entity::Country(code) if former_state(code).is_some() => None,
                Entity::Country(code) => Some(GoldMention {
                    start: char_offset(m.span.start),
                    end: char_offset(m.span.end),
                    code,
                }),
                Entity::Organisation(_) => None,
            })
            .collect();
        Article {
            id: id.to_string(),
            text: text.to_string(),
            gold,
            annotated,
            ours,
            lone_demonyms,
            former_states,
        }
    }

    /// The mention with a little of the text around it, so an error can be read.
    /// "  fp ID CODE: …" with the distinct places where `mentions` name `code`.
    fn error_line<'m>(
        &self,
        kind: &str,
        code: &str,
        mentions: impl IntoIterator<Item = &'m GoldMention>,
    ) -> String {
        let places: BTreeSet<String> = mentions
            .into_iter()
            .filter(|m| m.code == code)
            .map(|m| self.snippet(m))
            .collect();
        let places: Vec<String> = places.into_iter().collect();
        format!("  {kind} {} {code}: {}", self.id, places.join(" | "))
    }

    fn snippet(&self, m: &GoldMention) -> String {
        let text = &self.text;
        let before: String = text
            .chars()
            .take(m.start)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .take(30)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let words: String = text.chars().skip(m.start).take(m.end - m.start).collect();
        let after: String = text.chars().skip(m.end).take(30).collect();
        let note = self
            .annotated
            .iter()
            .find(|(start, end, _)| *start < m.end && m.start < *end)
            .map_or_else(String::new, |(_, _, label)| format!(" (gold: {label})"));
        format!(
            "…{}[{words}]{}…{note}",
            before.replace('\n', " "),
            after.replace('\n', " ")
        )
    }
}

/// Counts of true positives, false positives and false negatives.
#[derive(Default)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn scores(&self) -> String {
        scores(self.tp, self.fp, self.fn_)
    }
}

struct Outcome {
    document: Counts,
    mention: Counts,
    /// Document level without the countries dossier finds only once, by a demonym.
    strict: Counts,
    errors: Vec<String>,
    mention_errors: Vec<String>,
}

/// Scores dossier's mentions against the gold mentions whose type `counts` accepts.
fn score(articles: &[Article], counts: impl Fn(&str) -> bool) -> Outcome {
    let mut outcome = Outcome {
        document: Counts::default(),
        mention: Counts::default(),
        strict: Counts::default(),
        errors: Vec::new(),
        mention_errors: Vec::new(),
    };
    for article in articles {
        let id = &article.id;
        let gold: Vec<&GoldMention> = article
            .gold
            .iter()
            .filter(|(_, kind)| counts(kind))
            .map(|(mention, _)| mention)
            .collect();
        let ours = &article.ours;
        let overlaps = |a: &GoldMention, b: &GoldMention| {
            a.code == b.code && a.start < b.end && b.start < a.end
        };
        for mention in ours {
            if gold.iter().any(|g| overlaps(g, mention)) {
                outcome.mention.tp += 1;
            } else {
                outcome.mention.fp += 1;
                outcome.mention_errors.push(format!(
                    "  mention fp {id} {}: {}",
                    mention.code,
                    article.snippet(mention)
                ));
            }
        }
        for mention in &gold {
            if !ours.iter().any(|o| overlaps(o, mention)) {
                outcome.mention.fn_ += 1;
                outcome.mention_errors.push(format!(
                    "  mention fn {id} {}: {}",
                    mention.code,
                    article.snippet(mention)
                ));
            }
        }

        let gold_codes: BTreeSet<&str> = gold.iter().map(|g| g.code).collect();
        let our_codes: BTreeSet<&str> = ours.iter().map(|o| o.code).collect();
        outcome.document.tp += gold_codes.intersection(&our_codes).count();
        let strict_codes: BTreeSet<&str> = our_codes
            .iter()
            .filter(|code| !article.lone_demonyms.contains(*code))
            .copied()
            .collect();
        outcome.strict.tp += gold_codes.intersection(&strict_codes).count();
        outcome.strict.fp += strict_codes.difference(&gold_codes).count();
        outcome.strict.fn_ += gold_codes.difference(&strict_codes).count();
        for code in our_codes.difference(&gold_codes) {
            outcome.document.fp += 1;
            outcome.errors.push(article.error_line("fp", code, ours));
        }
        for code in gold_codes.difference(&our_codes) {
            outcome.document.fn_ += 1;
            outcome
                .errors
                .push(article.error_line("fn", code, gold.iter().copied()));
        }
    }
    outcome
}

/// TR-News or LGL: the gold countries are the toponyms whose feature code is PCL*.
pub fn countries(path: &Path, quiet: bool, mentions: bool) {
    let xml = read(path);
    let document = parse_xml(path, &xml);
    let name = path.file_stem().unwrap().to_string_lossy();
    let mut unresolved = BTreeSet::new();
    let mut articles = Vec::new();
    for article in document.descendants().filter(|n| n.has_tag_name("article")) {
        let id = article.attribute("docid").unwrap_or("?");
        let text = article
            .children()
            .find(|c| c.has_tag_name("text"))
            .and_then(|t| t.text())
            .unwrap_or_default();
        let mut gold = Vec::new();
        // Every annotated toponym, whatever its feature code, to show what the annotators
        // made of a span dossier tags ("ADM1 England", "PPLC London").
        let mut annotated: Vec<(usize, usize, String)> = Vec::new();
        for toponym in article.descendants().filter(|n| n.has_tag_name("toponym")) {
            let number = |tag| child_text(toponym, tag).and_then(|v| v.parse::<usize>().ok());
            let gaztag = toponym.children().find(|c| c.has_tag_name("gaztag"));
            if let (Some(start), Some(end)) = (number("start"), number("end")) {
                let label = gaztag.map_or_else(
                    || "unresolved".to_string(),
                    |g| {
                        format!(
                            "{} {}",
                            child_text(g, "fcode").unwrap_or("?"),
                            child_text(g, "name").unwrap_or("?")
                        )
                    },
                );
                annotated.push((start, end, label));
            }
            let Some(gaztag) = gaztag else {
                continue;
            };
            let fcode = child_text(gaztag, "fcode").unwrap_or_default();
            if !fcode.starts_with("PCL") {
                continue;
            }
            let country = child_text(gaztag, "country")
                .or_else(|| child_text(gaztag, "name"))
                .unwrap_or_default();
            let Some(code) = resolve_country(country) else {
                unresolved.insert(country.to_string());
                continue;
            };
            if let (Some(start), Some(end)) = (number("start"), number("end")) {
                gold.push((GoldMention { start, end, code }, fcode.to_string()));
            }
        }
        articles.push(Article::new(id, text, gold, annotated));
    }
    let outcome = score(&articles, |_| true);
    println!("countries on {name} ({} articles)", articles.len());
    println!("  document level: {}", outcome.document.scores());
    println!("  mention level:  {}", outcome.mention.scores());
    println!(
        "  document level without countries named once, by a demonym: {}",
        outcome.strict.scores()
    );
    if !unresolved.is_empty() {
        println!("  gold country names dossier cannot resolve: {unresolved:?}");
    }
    print_former_states(&articles);
    print_errors(&outcome, quiet, mentions);
}

fn print_errors(outcome: &Outcome, quiet: bool, mentions: bool) {
    if !quiet {
        for error in &outcome.errors {
            println!("{error}");
        }
    }
    if mentions {
        for error in &outcome.mention_errors {
            println!("{error}");
        }
    }
}

/// GeoNames ids of countries and territories, from GeoNames' own country table: id, code,
/// name.
const GEONAMES_COUNTRIES: &str = include_str!("geonames-countries.tsv");

/// GeoWebNews types that name the country in the sense dossier tags it (see
/// `geowebnews`): the five literal types of Gritta et al., metonymy, and the two associative
/// types a reader filtering by country still counts, non-literal modifiers ("French
/// engineer", "Turkish forces") and demonyms ("Mexicans").
const NAMES_THE_COUNTRY: [&str; 8] = [
    "Literal",
    "Literal_Modifier",
    "Mixed",
    "Coercion",
    "Embedded_Literal",
    "Metonymic",
    "Non_Literal_Modifier",
    "Demonym",
];

/// GeoWebNews (Gritta et al. 2019), whose toponyms carry a pragmatic type instead of a
/// feature code. A toponym names a country when its GeoNames id is a country's (GeoNames'
/// country table, checked against the country ids TR-News and LGL use); one without an id
/// counts when its normalised name is exactly the GeoNames name of the country the gazetteer
/// resolves it to, and a `Demonym`, which the annotators never resolved, when the gazetteer
/// reads its whole span as a demonym ("Mexicans"). Which types count is the policy: by
/// default [`NAMES_THE_COUNTRY`]; never `Language` ("spoke French"), `Homonym` ("Iceland"
/// the shop), `Non_Toponym` or the non-toponymic expressions. Two more lines show the
/// choice: without non-literal modifiers and demonyms (place and metonymy only), and with
/// country names inside other names (`Embedded_Non_Lit`: "BBC Russian Service", "Oman Film
/// Society") counted too.
pub fn geowebnews(eval_dir: &Path, quiet: bool, mentions: bool) {
    let mut by_id: HashMap<&str, (&str, &str)> = HashMap::new();
    for line in GEONAMES_COUNTRIES.lines().filter(|l| !l.starts_with('#')) {
        let columns: Vec<&str> = line.split('\t').collect();
        let [id, code, name] = columns[..] else {
            panic!("geonames-countries.tsv: expected 3 columns in {line:?}");
        };
        by_id.insert(id, (code, name));
    }
    // The country ids TR-News and LGL use, each resolved through the gazetteer by the name
    // the annotators gave it, must agree with GeoNames' table.
    let mut checked = BTreeSet::new();
    let mut disagreements = BTreeSet::new();
    for corpus in ["TR-News/TR-News.xml", "LGL/LGL.xml"] {
        let path = eval_dir.join("geoparsing").join(corpus);
        let xml = read(&path);
        let document = parse_xml(&path, &xml);
        for gaztag in document.descendants().filter(|n| n.has_tag_name("gaztag")) {
            let mut pairs = Vec::new();
            if child_text(gaztag, "fcode").is_some_and(|f| f.starts_with("PCL")) {
                pairs.push((gaztag.attribute("geonameid"), child_text(gaztag, "name")));
            }
            for country in gaztag.children().filter(|c| c.has_tag_name("country")) {
                pairs.push((
                    country.attribute("geonameid"),
                    country.text().map(str::trim),
                ));
            }
            for (id, name) in pairs {
                let (Some(id), Some(name)) = (id, name) else {
                    continue;
                };
                let ours = resolve_country(name);
                let theirs = by_id.get(id).map(|(code, _)| *code);
                checked.insert(id.to_string());
                if ours.is_some() && ours != theirs {
                    disagreements.insert(format!("{id} {name}: {ours:?} / {theirs:?}"));
                }
            }
        }
    }

    let path = eval_dir.join("geoparsing/GeoWebNews/GeoWebNews.xml");
    let xml = read(&path);
    let document = parse_xml(&path, &xml);
    let (mut realigned, mut unplaced) = (0, 0);
    let mut by_name = 0;
    let mut demonyms = 0;
    let mut unresolved_demonyms = BTreeSet::new();
    let mut articles = Vec::new();
    for article in document.descendants().filter(|n| n.has_tag_name("article")) {
        let id = article.attribute("file").unwrap_or("?");
        let text = child_text(article, "text").unwrap_or_default();
        let chars: Vec<char> = text.chars().collect();
        let mut gold = Vec::new();
        let mut annotated = Vec::new();
        for toponym in article.descendants().filter(|n| n.has_tag_name("toponym")) {
            let field = |tag| child_text(toponym, tag).filter(|v| !v.is_empty());
            let number = |tag| field(tag).and_then(|v| v.parse::<usize>().ok());
            let (Some(start), Some(extracted), Some(kind)) =
                (number("start"), field("extractedName"), field("type"))
            else {
                continue;
            };
            // This copy of GeoWebNews has straight quotes and dots where the annotated text
            // had typographic ones ("…" became "..."), so some offsets are off by a few
            // characters: the span is taken where the extracted name is, nearest to them.
            let wanted: Vec<char> = extracted.chars().collect();
            let found_at = |at: usize| chars.get(at..at + wanted.len()) == Some(&wanted[..]);
            let start = if found_at(start) {
                start
            } else if let Some(at) = (1..=40)
                .flat_map(|d| [start.checked_sub(d), Some(start + d)])
                .flatten()
                .find(|&at| found_at(at))
            {
                realigned += 1;
                at
            } else {
                unplaced += 1;
                continue;
            };
            let end = start + wanted.len();
            let normalised = field("normalisedName");
            annotated.push((
                start,
                end,
                format!("{kind} {}", normalised.unwrap_or(extracted)),
            ));
            let code = match (field("geonamesID"), normalised) {
                (Some(id), _) => by_id.get(id).map(|(code, _)| *code),
                (None, _) if kind == "Demonym" => {
                    demonyms += 1;
                    let code = resolve_country(extracted);
                    if code.is_none() {
                        unresolved_demonyms.insert(extracted.to_string());
                    }
                    code
                }
                (None, Some(name)) => {
                    let code = resolve_country(name).filter(|code| {
                        by_id
                            .values()
                            .any(|(c, geonames)| c == code && *geonames == name)
                    });
                    by_name += usize::from(code.is_some());
                    code
                }
                (None, None) => None,
            };
            let Some(code) = code else {
                continue;
            };
            // The gazetteer's own code, so gold and dossier's codes compare.
            let Some(code) = resolve_country(code) else {
                continue;
            };
            gold.push((GoldMention { start, end, code }, kind.to_string()));
        }
        articles.push(Article::new(id, text, gold, annotated));
    }

    let default = score(&articles, |kind| NAMES_THE_COUNTRY.contains(&kind));
    let literal = score(&articles, |kind| {
        NAMES_THE_COUNTRY.contains(&kind) && !matches!(kind, "Non_Literal_Modifier" | "Demonym")
    });
    let embedded = score(&articles, |kind| {
        NAMES_THE_COUNTRY.contains(&kind) || kind == "Embedded_Non_Lit"
    });
    println!("countries on GeoWebNews ({} articles)", articles.len());
    println!(
        "  gold: toponyms of types {} whose GeoNames id is a country's",
        NAMES_THE_COUNTRY.join(", ")
    );
    println!("  document level: {}", default.document.scores());
    println!("  mention level:  {}", default.mention.scores());
    println!(
        "  document level without countries named once, by a demonym: {}",
        default.strict.scores()
    );
    println!(
        "  without Non_Literal_Modifier and Demonym (place and metonymy only): document {}",
        literal.document.scores()
    );
    println!("    mention {}", literal.mention.scores());
    println!(
        "  with Embedded_Non_Lit (names inside other names) too: document {}",
        embedded.document.scores()
    );
    println!("    mention {}", embedded.mention.scores());
    println!(
        "  {} country ids in GeoNames' table, {} used by TR-News and LGL; disagreements: {:?}",
        by_id.len(),
        checked.len(),
        disagreements
    );
    println!(
        "  {realigned} offsets realigned, {unplaced} spans not found; {by_name} countries by \
         normalised name; {demonyms} demonyms, unresolved: {unresolved_demonyms:?}"
    );
    print_former_states(&articles);
    print_errors(&default, quiet, mentions);
}

fn print_former_states(articles: &[Article]) {
    let mentions: usize = articles.iter().map(|a| a.former_states).sum();
    let documents = articles.iter().filter(|a| a.former_states > 0).count();
    println!(
        "  not scored: {mentions} mentions of former states in {documents} articles (no gold code)"
    );
}
