//! The query language, parsed by hand so that every error names its column.
//!
//! ```text
//! query   = or
//! or      = and ("OR" and)*
//! and     = unary+                      words side by side must all match ("AND" optional)
//! unary   = ("-" | "NOT") primary | primary
//! primary = "(" or ")" | '"' words '"' ("~" N)? | word | word "*"
//! ```

use std::fmt;

use tantivy::tokenizer::TextAnalyzer;

use crate::analysis;

/// A parsed query. Words and phrases keep the user's text; analysis happens later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expr {
    Word(String),
    Prefix(String),
    Phrase { text: String, slop: u32 },
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

/// A malformed query, with the 1-based column (in characters) where the problem is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at column {column}")]
pub struct QueryError {
    pub message: String,
    pub column: usize,
}

/// Prefixes shorter than this would expand to much of the dictionary.
const MIN_PREFIX_CHARS: usize = 2;
/// Larger slops stop meaning "near" on paragraph-sized passages.
const MAX_SLOP: u32 = 100;

pub fn parse(input: &str) -> Result<Expr, QueryError> {
    let tokens = lex(input)?;
    let mut parser = Parser { tokens, next: 0 };
    if parser.tokens.is_empty() {
        return Err(QueryError {
            message: "empty query".into(),
            column: 1,
        });
    }
    let expr = parser.or()?;
    if let Some(token) = parser.peek() {
        // The only token `or` leaves behind is a closing parenthesis without its opening one.
        return Err(error("unmatched ')'", token.column));
    }
    if !has_positive(&expr) {
        return Err(error(
            "the query only excludes words; add a word to search for",
            1,
        ));
    }
    Ok(expr)
}

/// True when the expression can match something on its own (it is not only exclusions).
fn has_positive(expr: &Expr) -> bool {
    match expr {
        Expr::Word(_) | Expr::Prefix(_) | Expr::Phrase { .. } => true,
        Expr::Not(_) => false,
        Expr::And(children) | Expr::Or(children) => children.iter().any(has_positive),
    }
}

fn error(message: impl Into<String>, column: usize) -> QueryError {
    QueryError {
        message: message.into(),
        column,
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Word(String),
    Prefix(String),
    Phrase(String, u32),
    Open,
    Close,
    Or,
    And,
    Not,
}

#[derive(Debug, Clone)]
struct Token {
    kind: Kind,
    column: usize,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kind::Word(w) | Kind::Prefix(w) => write!(f, "'{w}'"),
            Kind::Phrase(p, _) => write!(f, "\"{p}\""),
            Kind::Open => f.write_str("'('"),
            Kind::Close => f.write_str("')'"),
            Kind::Or => f.write_str("OR"),
            Kind::And => f.write_str("AND"),
            Kind::Not => f.write_str("NOT"),
        }
    }
}

fn lex(input: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let column = i + 1;
        if c.is_whitespace() {
            i += 1;
        } else if c == '(' || c == ')' {
            let kind = if c == '(' { Kind::Open } else { Kind::Close };
            tokens.push(Token { kind, column });
            i += 1;
        } else if is_quote(c) {
            let close = (i + 1..chars.len()).find(|&j| is_quote(chars[j]));
            let Some(close) = close else {
                return Err(error("unclosed quote", column));
            };
            let text: String = chars[i + 1..close].iter().collect();
            if text.trim().is_empty() {
                return Err(error("empty phrase", column));
            }
            i = close + 1;
            let mut slop = 0;
            if chars.get(i) == Some(&'~') {
                let digits: String = chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                slop = match digits.parse::<u32>() {
                    Ok(n) if n <= MAX_SLOP => n,
                    Ok(_) => {
                        return Err(error(
                            format!("proximity after '~' must be at most {MAX_SLOP}"),
                            i + 2,
                        ))
                    }
                    Err(_) => return Err(error("expected a number after '~'", i + 2)),
                };
                i += 1 + digits.chars().count();
            }
            tokens.push(Token {
                kind: Kind::Phrase(text, slop),
                column,
            });
        } else if c == '-' && tokens_allow_operator(&chars, i) && !is_dash(&chars, i) {
            tokens.push(Token {
                kind: Kind::Not,
                column,
            });
            i += 1;
        } else {
            let end = (i..chars.len())
                .find(|&j| {
                    chars[j].is_whitespace()
                        || chars[j] == '('
                        || chars[j] == ')'
                        || is_quote(chars[j])
                })
                .unwrap_or(chars.len());
            let word: String = chars[i..end].iter().collect();
            i = end;
            let kind = match word.as_str() {
                "OR" | "|" | "||" => Kind::Or,
                "AND" | "&&" => Kind::And,
                "NOT" => Kind::Not,
                _ => word_kind(word, column)?,
            };
            tokens.push(Token { kind, column });
        }
    }
    Ok(tokens)
}

/// A '-' is an exclusion at the start of a term, not inside a word ("Japan-Australia").
fn tokens_allow_operator(chars: &[char], i: usize) -> bool {
    i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '('
}

/// A '-' standing alone ("G - quadruplex", "Japan - China talks") is a dash in a sentence,
/// and one before a digit ("-5 degrees") is a minus sign: neither excludes anything, and
/// reading them as punctuation keeps a pasted sentence from failing or losing a word.
fn is_dash(chars: &[char], i: usize) -> bool {
    chars
        .get(i + 1)
        .is_none_or(|c| c.is_whitespace() || c.is_ascii_digit() || *c == ')')
}

fn word_kind(word: String, column: usize) -> Result<Kind, QueryError> {
    let Some(stem) = word.strip_suffix('*') else {
        if word.contains('*') {
            return Err(error("'*' is only allowed at the end of a word", column));
        }
        return Ok(Kind::Word(word));
    };
    if stem.contains('*') {
        return Err(error("'*' is only allowed at the end of a word", column));
    }
    if stem.chars().filter(|c| c.is_alphanumeric()).count() < MIN_PREFIX_CHARS {
        return Err(error(
            format!(
                "prefix '{word}' is too short; give at least {MIN_PREFIX_CHARS} letters before '*'"
            ),
            column,
        ));
    }
    Ok(Kind::Prefix(stem.to_string()))
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '„')
}

struct Parser {
    tokens: Vec<Token>,
    next: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next)
    }

    fn end_column(&self) -> usize {
        self.tokens.last().map_or(1, |t| t.column + 1)
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        let mut alternatives = vec![self.and()?];
        while let Some(token) = self.peek() {
            if token.kind != Kind::Or {
                break;
            }
            let column = token.column;
            self.next += 1;
            match self.peek() {
                None => return Err(error("OR needs a term after it", column)),
                Some(t) if matches!(t.kind, Kind::Or | Kind::And | Kind::Close) => {
                    return Err(error("OR needs a term after it", column))
                }
                _ => {}
            }
            alternatives.push(self.and()?);
        }
        for alternative in &alternatives {
            if alternatives.len() > 1 && !has_positive(alternative) {
                return Err(error(
                    "an exclusion cannot be one side of OR; put it outside the OR",
                    self.first_column_of_not(),
                ));
            }
        }
        Ok(if alternatives.len() == 1 {
            alternatives.pop().expect("one alternative")
        } else {
            Expr::Or(alternatives)
        })
    }

    fn first_column_of_not(&self) -> usize {
        self.tokens
            .iter()
            .find(|t| t.kind == Kind::Not)
            .map_or(1, |t| t.column)
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        let mut terms = Vec::new();
        while let Some(token) = self.peek().cloned() {
            match token.kind {
                Kind::Or | Kind::Close => break,
                Kind::And => {
                    self.next += 1;
                    let follows_term = !terms.is_empty();
                    let precedes_term = matches!(
                        self.peek().map(|t| &t.kind),
                        Some(
                            Kind::Word(_)
                                | Kind::Prefix(_)
                                | Kind::Phrase(..)
                                | Kind::Open
                                | Kind::Not
                        )
                    );
                    if !follows_term || !precedes_term {
                        return Err(error("AND needs a term on each side", token.column));
                    }
                }
                _ => terms.push(self.unary()?),
            }
        }
        match terms.len() {
            0 => {
                let column = self.peek().map_or(self.end_column(), |t| t.column);
                let found = self.peek().map(|t| t.kind.to_string());
                Err(match found {
                    Some(found) => error(format!("expected a term before {found}"), column),
                    None => error("expected a term", column),
                })
            }
            1 => Ok(terms.pop().expect("one term")),
            _ => Ok(Expr::And(terms)),
        }
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        let token = self
            .peek()
            .cloned()
            .expect("caller checked a token is there");
        if token.kind == Kind::Not {
            self.next += 1;
            match self.peek().map(|t| &t.kind) {
                Some(Kind::Word(_) | Kind::Prefix(_) | Kind::Phrase(..) | Kind::Open) => {}
                _ => {
                    return Err(error(
                        "an exclusion must be followed by a term",
                        token.column,
                    ))
                }
            }
            return Ok(Expr::Not(Box::new(self.primary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, QueryError> {
        let token = self
            .peek()
            .cloned()
            .expect("caller checked a token is there");
        self.next += 1;
        match token.kind {
            Kind::Word(w) => Ok(Expr::Word(w)),
            Kind::Prefix(p) => Ok(Expr::Prefix(p)),
            Kind::Phrase(text, slop) => Ok(Expr::Phrase { text, slop }),
            Kind::Open => {
                if matches!(self.peek().map(|t| &t.kind), Some(Kind::Close)) {
                    return Err(error("empty parentheses", token.column));
                }
                if self.peek().is_none() {
                    return Err(error("unclosed parenthesis", token.column));
                }
                let inner = self.or()?;
                match self.peek() {
                    Some(t) if t.kind == Kind::Close => {
                        self.next += 1;
                        Ok(inner)
                    }
                    _ => Err(error("unclosed parenthesis", token.column)),
                }
            }
            other => Err(error(format!("unexpected {other}"), token.column)),
        }
    }
}

/// A query after analysis: words are index terms, ready for tantivy and the highlighter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// One term, or a phrase of terms within `slop` extra positions. `quoted` is false for
    /// a bare word (which may still analyse to several terms: "Japan-Australia").
    Terms {
        terms: Vec<String>,
        slop: u32,
        quoted: bool,
    },
    /// Terms that start with this (lower-cased, folded, unstemmed-or-stemmed) prefix.
    Prefix(String),
    Not(Box<Node>),
    And(Vec<Node>),
    Or(Vec<Node>),
    /// A long run of bare words, read as a description of what is wanted rather than a
    /// list of words that must all appear: passages holding any of its bare words match,
    /// ranked by BM25. Its other children (quoted phrases, prefixes, groups) are still
    /// required and its exclusions still exclude. Stop words are left out of it.
    Loose(Vec<Node>),
}

/// An AND with at least this many bare words that are not stop words is [`Node::Loose`]:
/// few passages hold a whole sentence's words, so requiring them all finds next to
/// nothing, while a journalist's few words ("strategic reserve Japan") should all appear.
pub const LOOSE_WORDS: usize = 5;

/// Words left out of a loose query: the English stop words of Lucene's analyzer, the
/// list the published BM25 baselines use. They stay in phrases and in short queries,
/// where "state of emergency" must keep its "of".
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// Analyses every word of `expr`. Words that hold no indexable characters ("&") vanish;
/// `None` when nothing searchable is left.
pub fn analyze(
    expr: &Expr,
    analyzer: &mut TextAnalyzer,
    unstemmed: &mut TextAnalyzer,
) -> Option<Node> {
    let mut terms_of = |text: &str| -> Vec<String> {
        analysis::terms(analyzer, text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    };
    match expr {
        Expr::Word(word) => {
            let terms = terms_of(word);
            (!terms.is_empty()).then_some(Node::Terms {
                terms,
                slop: 0,
                quoted: false,
            })
        }
        Expr::Phrase { text, slop } => {
            let terms = terms_of(text);
            (!terms.is_empty()).then_some(Node::Terms {
                terms,
                slop: *slop,
                quoted: true,
            })
        }
        Expr::Prefix(prefix) => {
            let plain: String = analysis::terms(unstemmed, prefix)
                .into_iter()
                .map(|t| t.text)
                .collect();
            let stemmed: String = terms_of(prefix).concat();
            // "reserve*" must find "reserves", indexed as "reserv": keep the part of the
            // prefix that stemming leaves alone.
            let common = plain
                .char_indices()
                .zip(stemmed.chars())
                .take_while(|((_, a), b)| a == b)
                .last()
                .map_or(0, |((i, c), _)| i + c.len_utf8());
            let prefix = if stemmed.is_empty() {
                plain.clone()
            } else {
                plain[..common].to_string()
            };
            (!prefix.is_empty()).then_some(Node::Prefix(prefix))
        }
        Expr::Not(inner) => analyze(inner, analyzer, unstemmed).map(|n| Node::Not(Box::new(n))),
        Expr::And(children) if is_loose(children, unstemmed) => {
            let mut nodes = Vec::new();
            for child in children {
                if !is_stop_word(child, unstemmed) {
                    nodes.extend(analyze(child, analyzer, unstemmed));
                }
            }
            nodes
                .iter()
                .any(Node::is_positive)
                .then_some(Node::Loose(nodes))
        }
        Expr::And(children) | Expr::Or(children) => {
            let nodes: Vec<Node> = children
                .iter()
                .filter_map(|c| analyze(c, analyzer, unstemmed))
                .collect();
            if !nodes.iter().any(Node::is_positive) {
                return None;
            }
            Some(match (expr, nodes.len()) {
                (_, 1) => nodes.into_iter().next().expect("one node"),
                (Expr::And(_), _) => Node::And(nodes),
                _ => Node::Or(nodes),
            })
        }
    }
}

/// True when `children` (of an AND) hold enough bare words to be read loosely.
fn is_loose(children: &[Expr], unstemmed: &mut TextAnalyzer) -> bool {
    let words = children
        .iter()
        .filter(|c| matches!(c, Expr::Word(_)) && !is_stop_word(c, unstemmed))
        .count();
    words >= LOOSE_WORDS
}

/// A bare word that is a stop word, or punctuation with no word at all.
fn is_stop_word(expr: &Expr, unstemmed: &mut TextAnalyzer) -> bool {
    let Expr::Word(word) = expr else {
        return false;
    };
    analysis::terms(unstemmed, word)
        .iter()
        .all(|t| STOP_WORDS.contains(&t.text.as_str()))
}

impl Node {
    fn is_positive(&self) -> bool {
        !matches!(self, Node::Not(_))
    }

    /// The positive clauses a passage should hold: the children of a top-level AND, or
    /// the whole query.
    pub fn required_clauses(&self) -> Vec<&Node> {
        match self {
            Node::And(children) | Node::Loose(children) => {
                children.iter().filter(|c| c.is_positive()).collect()
            }
            node => vec![node],
        }
    }

    /// Runs of two or more bare words side by side in an AND, joined into one phrase:
    /// passages where they stand adjacent and in order rank higher and are highlighted
    /// as a phrase.
    pub fn adjacent_runs(children: &[Node]) -> Vec<Vec<String>> {
        let mut runs = Vec::new();
        let mut run: Vec<&[String]> = Vec::new();
        for child in children
            .iter()
            .chain(std::iter::once(&Node::And(Vec::new())))
        {
            match child {
                Node::Terms {
                    terms,
                    quoted: false,
                    ..
                } => run.push(terms),
                _ => {
                    if run.len() >= 2 {
                        runs.push(run.concat());
                    }
                    run.clear();
                }
            }
        }
        runs
    }

    /// Every term and prefix that a passage is highlighted for.
    pub fn highlighted(&self) -> Vec<&str> {
        self.looked_for(true)
    }

    /// Every term the query looks for (not those it excludes), for title weighting.
    pub fn positive_terms(&self) -> Vec<&str> {
        self.looked_for(false)
    }

    fn looked_for(&self, prefixes: bool) -> Vec<&str> {
        match self {
            Node::Terms { terms, .. } => terms.iter().map(String::as_str).collect(),
            Node::Prefix(prefix) if prefixes => vec![prefix.as_str()],
            Node::Prefix(_) | Node::Not(_) => Vec::new(),
            Node::And(children) | Node::Or(children) | Node::Loose(children) => children
                .iter()
                .flat_map(|child| child.looked_for(prefixes))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(w: &str) -> Expr {
        Expr::Word(w.into())
    }

    fn err(q: &str) -> String {
        parse(q).unwrap_err().to_string()
    }

    #[test]
    fn words_phrases_and_operators() {
        assert_eq!(
            parse(r#"critical "strategic reserve"~2 -bank (Japan OR Australia) reserv*"#).unwrap(),
            Expr::And(vec![
                word("critical"),
                Expr::Phrase {
                    text: "strategic reserve".into(),
                    slop: 2
                },
                Expr::Not(Box::new(word("bank"))),
                Expr::Or(vec![word("Japan"), word("Australia")]),
                Expr::Prefix("reserv".into()),
            ])
        );
    }

    #[test]
    fn hyphenated_words_are_not_exclusions() {
        assert_eq!(parse("Japan-Australia").unwrap(), word("Japan-Australia"));
        assert_eq!(
            parse("lower or upper").unwrap(),
            Expr::And(vec![word("lower"), word("or"), word("upper")])
        );
    }

    #[test]
    fn explicit_and_and_not() {
        assert_eq!(
            parse("a AND b NOT c").unwrap(),
            Expr::And(vec![word("a"), word("b"), Expr::Not(Box::new(word("c")))])
        );
    }

    #[test]
    fn errors_name_their_column() {
        assert_eq!(
            err(r#"critical minerals "strategic"#),
            "unclosed quote at column 19"
        );
        assert_eq!(err("(japan OR china"), "unclosed parenthesis at column 1");
        assert_eq!(err("japan)"), "unmatched ')' at column 6");
        assert_eq!(err("japan OR"), "OR needs a term after it at column 7");
        assert_eq!(err("OR japan"), "expected a term before OR at column 1");
        assert_eq!(
            err("japan AND"),
            "AND needs a term on each side at column 7"
        );
        assert_eq!(
            err("-bank"),
            "the query only excludes words; add a word to search for at column 1"
        );
        assert_eq!(
            err(r#""reserve"~x"#),
            "expected a number after '~' at column 11"
        );
        assert_eq!(
            err("a*"),
            "prefix 'a*' is too short; give at least 2 letters before '*' at column 1"
        );
        assert_eq!(
            err("re*rve"),
            "'*' is only allowed at the end of a word at column 1"
        );
        assert_eq!(err("japan ()"), "empty parentheses at column 7");
        assert_eq!(err(r#"japan """#), "empty phrase at column 7");
        assert_eq!(err("   "), "empty query at column 1");
    }

    #[test]
    fn a_dash_or_a_minus_sign_in_a_sentence_excludes_nothing() {
        // Once an error ("an exclusion must be followed by a term"), but a user pasting
        // "the G - quadruplex" means a dash.
        assert_eq!(
            parse("G - quadruplex").unwrap(),
            Expr::And(vec![word("G"), word("-"), word("quadruplex")])
        );
        assert_eq!(
            parse("below -5 degrees").unwrap(),
            Expr::And(vec![word("below"), word("-5"), word("degrees")])
        );
        assert_eq!(
            analyzed("G - quadruplex"),
            Some(Node::And(vec![
                terms(&["g"], 0, false),
                terms(&["quadruplex"], 0, false)
            ]))
        );
    }

    #[test]
    fn a_sentence_is_read_loosely_without_its_stop_words() {
        let Some(Node::Loose(children)) =
            analyzed(r#"The reserve of rare earths in Australia is "strategic" for Japan -China"#)
        else {
            panic!("expected a loose query");
        };
        assert_eq!(
            children,
            [
                terms(&["reserv"], 0, false),
                terms(&["rare"], 0, false),
                terms(&["earth"], 0, false),
                terms(&["australia"], 0, false),
                terms(&["strateg"], 0, true),
                terms(&["japan"], 0, false),
                Node::Not(Box::new(terms(&["china"], 0, false))),
            ]
        );
        // Four words are a journalist's query: every one must appear, stop words included.
        assert!(matches!(
            analyzed("state of emergency in Manila"),
            Some(Node::And(_))
        ));
    }

    fn analyzed(q: &str) -> Option<Node> {
        let expr = parse(q).unwrap();
        analyze(
            &expr,
            &mut analysis::analyzer(),
            &mut analysis::unstemmed_analyzer(),
        )
    }

    fn terms(t: &[&str], slop: u32, quoted: bool) -> Node {
        Node::Terms {
            terms: t.iter().map(|s| s.to_string()).collect(),
            slop,
            quoted,
        }
    }

    #[test]
    fn analysis_stems_phrases_and_splits_compounds() {
        assert_eq!(
            analyzed(r#""Strategic Reserves"~1"#),
            Some(terms(&["strateg", "reserv"], 1, true))
        );
        assert_eq!(
            analyzed("Japan-Australia"),
            Some(terms(&["japan", "australia"], 0, false))
        );
        assert_eq!(analyzed("U.S."), Some(terms(&["usa"], 0, false)));
        assert_eq!(analyzed("& reserve"), Some(terms(&["reserv"], 0, false)));
        assert_eq!(analyzed("&"), None);
    }

    #[test]
    fn prefixes_survive_stemming() {
        assert_eq!(analyzed("reserve*"), Some(Node::Prefix("reserv".into())));
        assert_eq!(analyzed("Zür*"), Some(Node::Prefix("zur".into())));
    }

    #[test]
    fn bare_words_side_by_side_form_runs() {
        let Some(Node::And(children)) =
            analyzed(r#"critical minerals "rare earth" strategic reserve"#)
        else {
            panic!("expected AND");
        };
        assert_eq!(
            Node::adjacent_runs(&children),
            [
                vec!["critic".to_string(), "miner".into()],
                vec!["strateg".into(), "reserv".into()]
            ]
        );
    }
}
