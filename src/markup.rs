//! Reading HTML and XML (including TEI) documents as text.
//!
//! Every passage dossier returns carries an exact locator (line number and byte range) into
//! the original file, so extracting the text must not move a single byte. Instead of removing
//! markup, [`blank`] overwrites it with spaces: tags, comments, declarations and invisible
//! elements (`<script>`, `<head>`, `<teiHeader>`, …) become runs of spaces, newlines stay
//! where they were, and entities are decoded in place and padded with spaces. The rest of
//! the pipeline then reads the result exactly like a plain text file.
//!
//! This is a forgiving scanner, not a validating parser: whatever the input (unclosed tags,
//! `a < b` in prose, stray `&`, truncated files), it produces text of the same length.

use std::path::Path;

/// A markup file read as text: `text` has exactly the byte length of the input, with every
/// newline of the input at the same offset, so that line numbers and byte offsets into it are
/// line numbers and byte offsets into the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blanked {
    pub text: String,
    /// The document's title: HTML `<title>`, or for TEI the `<title>` elements of `<titleStmt>`
    /// (`{short}: {complete}` when both are given), whitespace folded, entities decoded. None
    /// when there is none.
    pub title: Option<String>,
}

/// Extensions read as markup, compared case-insensitively.
const MARKUP_EXTENSIONS: [&str; 5] = ["html", "htm", "xhtml", "xml", "tei"];

/// True for files dossier should read as markup: by extension (html, htm, xhtml, xml, tei,
/// case-insensitive), or, whatever the extension, when the text starts (after a BOM and
/// whitespace) with `<?xml`, `<!DOCTYPE html` (any case), `<html` or `<TEI`.
pub fn is_markup(path: &Path, text: &str) -> bool {
    let by_extension = path
        .extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| {
            MARKUP_EXTENSIONS
                .iter()
                .any(|m| ext.eq_ignore_ascii_case(m))
        });
    if by_extension {
        return true;
    }
    let start = text.trim_start_matches('\u{feff}').trim_start().as_bytes();
    // `<html` and `<TEI` must be whole names, so that e.g. `<htmlish>` in a note is not enough.
    let starts_element = |name: &[u8]| {
        starts_with_ignore_case(start, name)
            && start
                .get(name.len())
                .is_none_or(|b| !b.is_ascii_alphanumeric())
    };
    start.starts_with(b"<?xml")
        || starts_with_ignore_case(start, b"<!doctype html")
        || starts_element(b"<html")
        || starts_element(b"<TEI")
}

/// Blanks the markup of an HTML or XML document.
pub fn blank(text: &str) -> Blanked {
    // TEI uses `<head>` for section headings, which must stay visible; only HTML's `<head>`
    // is metadata.
    let is_tei = text.contains("<TEI") || text.contains("<teiHeader");
    let mut scanner = Scanner::new(text, Fill::Blank, is_tei);
    scanner.run();
    let title = choose_title(text, &scanner.titles);
    Blanked {
        text: scanner.into_string(),
        title,
    }
}

/// What markup is overwritten with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fill {
    /// Spaces, keeping `\n` and `\r`: the document text, where offsets must hold.
    Blank,
    /// NUL bytes, dropped afterwards: a title, where `Foo<hi>bar</hi>` must read `Foobar`.
    Strip,
}

/// A `<title>` element found while scanning.
#[derive(Debug)]
struct TitleElement {
    /// Byte range of its content (between the tags) in the scanned text.
    content: std::ops::Range<usize>,
    /// Its `type` attribute (TEI: `short`, `complete`, `main`, …).
    kind: Option<String>,
    in_title_stmt: bool,
}

/// An element whose whole content is invisible, with how deeply it is nested in itself.
#[derive(Debug)]
struct Hidden {
    name: String,
    depth: usize,
}

/// Elements whose content is code rather than markup: nothing inside is a tag.
const RAW_TEXT: [&str; 2] = ["script", "style"];

/// Elements whose content (markup and text) is invisible: metadata, not reading text.
const HIDDEN: [&str; 2] = ["noscript", "teiheader"];

/// What may appear in an HTML `<head>`. Anything else means the page left out `</head>`
/// and the body has begun, as browsers assume.
const HEAD_CONTENT: [&str; 9] = [
    "title", "meta", "link", "style", "script", "base", "noscript", "template", "object",
];

/// One pass over a document, overwriting markup in a copy of its bytes as it goes.
struct Scanner<'a> {
    src: &'a str,
    out: Vec<u8>,
    fill: Fill,
    is_tei: bool,
    hidden: Option<Hidden>,
    seen_body: bool,
    in_title_stmt: bool,
    /// Nesting depth of `<title>`, with where the outermost one's content starts and its type.
    title_depth: usize,
    title_open: Option<(usize, Option<String>)>,
    /// The first title of the document, then every title of a `<titleStmt>`.
    titles: Vec<TitleElement>,
    // What lies ahead, so that a `<` that can never close is known as text at once instead
    // of by a scan to the end of the file each time: prose full of `<` must stay linear.
    last_gt: Option<usize>,
    last_pi_close: Option<usize>,
    /// False once a `[` in a declaration found no `]`: later ones will not either.
    subsets_close: bool,
}

impl<'a> Scanner<'a> {
    fn new(src: &'a str, fill: Fill, is_tei: bool) -> Self {
        Scanner {
            src,
            out: src.as_bytes().to_vec(),
            fill,
            is_tei,
            hidden: None,
            seen_body: false,
            in_title_stmt: false,
            title_depth: 0,
            title_open: None,
            titles: Vec::new(),
            last_gt: src.bytes().rposition(|b| b == b'>'),
            last_pi_close: src.rfind("?>"),
            subsets_close: true,
        }
    }

    fn run(&mut self) {
        let src = self.src.as_bytes();
        let mut i = 0;
        while i < src.len() {
            let next = match src[i] {
                b'<' => self.markup(i),
                b'&' if self.hidden.is_none() => self.entity(i),
                _ => None,
            };
            match next {
                Some(end) => i = end,
                None => {
                    if self.hidden.is_some() {
                        self.blank(i, i + 1);
                    }
                    i += 1;
                }
            }
        }
    }

    fn into_string(self) -> String {
        let mut out = self.out;
        if self.fill == Fill::Strip {
            out.retain(|&b| b != 0);
        }
        // Only whole ASCII-delimited ranges (`<`…`>`, `&`…`;`, to the end) were overwritten,
        // with ASCII, and decoded characters are complete UTF-8, so this cannot fail; the
        // fallback only keeps a future mistake from panicking.
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    /// Overwrites `start..end`; in the document text, line breaks survive so lines stay put.
    fn blank(&mut self, start: usize, end: usize) {
        let end = end.min(self.out.len());
        for b in &mut self.out[start..end] {
            match self.fill {
                Fill::Strip => *b = 0,
                Fill::Blank if *b != b'\n' && *b != b'\r' => *b = b' ',
                Fill::Blank => {}
            }
        }
    }

    /// Handles the markup starting at `i` (a `<`) and returns where the text resumes, or None
    /// when this `<` is just text.
    fn markup(&mut self, i: usize) -> Option<usize> {
        let src = self.src.as_bytes();
        let len = src.len();
        let closable = self.last_gt.is_some_and(|gt| gt > i);
        match *src.get(i + 1)? {
            b'!' if src[i..].starts_with(b"<!--") => {
                // An unclosed comment runs to the end, as in browsers.
                let end = find(src, i + 4, b"-->").map_or(len, |at| at + 3);
                self.blank(i, end);
                Some(end)
            }
            b'!' if src[i..].starts_with(b"<![CDATA[") => {
                let content = i + 9;
                self.blank(i, content);
                let close = find(src, content, b"]]>");
                let content_end = close.unwrap_or(len);
                if self.hidden.is_some() {
                    self.blank(content, content_end);
                }
                match close {
                    Some(at) => {
                        self.blank(at, at + 3);
                        Some(at + 3)
                    }
                    None => Some(len),
                }
            }
            _ if !closable => None,
            b'!' => {
                let end = self.declaration_end(i + 2)?;
                self.blank(i, end);
                Some(end)
            }
            b'?' => {
                // SGML-style `<?...>` without the closing `?` occurs in old HTML.
                let end = match self.last_pi_close {
                    Some(close) if close >= i + 2 => find(src, i + 2, b"?>")? + 2,
                    _ => find(src, i + 2, b">")? + 1,
                };
                self.blank(i, end);
                Some(end)
            }
            b'/' => {
                let end = find(src, i + 2, b">")? + 1;
                let name = tag_name(src, i + 2).to_ascii_lowercase();
                self.blank(i, end);
                self.close_tag(&name, i);
                Some(end)
            }
            c if c.is_ascii_alphabetic() => {
                let end = tag_end(src, i)?;
                self.blank(i, end);
                Some(self.open_tag(i, end))
            }
            _ => None,
        }
    }

    /// The end (past `>`) of a `<!...>` declaration whose body starts at `from`, skipping a
    /// DOCTYPE's internal subset in brackets and quoted literals.
    fn declaration_end(&mut self, from: usize) -> Option<usize> {
        let src = self.src.as_bytes();
        let mut i = from;
        let mut depth = 0usize;
        while i < src.len() {
            match src[i] {
                b'>' if depth == 0 => return Some(i + 1),
                b'[' if self.subsets_close => depth += 1,
                b']' => depth = depth.saturating_sub(1),
                quote @ (b'"' | b'\'') => match find(src, i + 1, &[quote]) {
                    Some(close) => i = close,
                    None => break,
                },
                _ => {}
            }
            i += 1;
        }
        if depth > 0 {
            self.subsets_close = false;
        }
        find(src, from, b">").map(|at| at + 1)
    }

    /// Tracks an opening tag spanning `start..end` (already blanked); returns where the text
    /// resumes, past the element's content when that is code.
    fn open_tag(&mut self, start: usize, end: usize) -> usize {
        let src = self.src.as_bytes();
        let name = tag_name(src, start + 1).to_ascii_lowercase();
        let self_closing = end >= 2 && src[end - 2] == b'/';
        if self_closing {
            return end;
        }
        if RAW_TEXT.contains(&name.as_str()) {
            // An unclosed script runs to the end, as in browsers.
            let stop =
                find_close_tag(src, end, &name).map_or(src.len(), |(_, close_end)| close_end);
            self.blank(end, stop);
            return stop;
        }
        match &mut self.hidden {
            Some(hidden) if hidden.name == name => hidden.depth += 1,
            Some(hidden) if hidden.name == "head" && !HEAD_CONTENT.contains(&name.as_str()) => {
                self.hidden = None;
            }
            Some(_) => {}
            None => {
                let hides_head = name == "head" && !self.is_tei && !self.seen_body;
                if hides_head || HIDDEN.contains(&name.as_str()) {
                    self.hidden = Some(Hidden {
                        name: name.clone(),
                        depth: 1,
                    });
                }
            }
        }
        match name.as_str() {
            "body" => self.seen_body = true,
            "titlestmt" => self.in_title_stmt = true,
            "title" => {
                if self.title_depth == 0 {
                    let kind = self
                        .src
                        .get(start..end)
                        .and_then(|tag| attribute(tag, "type"));
                    self.title_open = Some((end, kind));
                }
                self.title_depth += 1;
            }
            _ => {}
        }
        end
    }

    /// Tracks a closing tag starting at `start` (already blanked).
    fn close_tag(&mut self, name: &str, start: usize) {
        if let Some(hidden) = &mut self.hidden {
            if hidden.name == name {
                hidden.depth -= 1;
                if hidden.depth == 0 {
                    self.hidden = None;
                }
            }
        }
        match name {
            "titlestmt" => self.in_title_stmt = false,
            "title" if self.title_depth > 0 => {
                self.title_depth -= 1;
                if self.title_depth == 0 {
                    if let Some((content_start, kind)) = self.title_open.take() {
                        // Keep the document's first title (HTML) and all of `<titleStmt>` (TEI);
                        // a TEI body cites many book titles that are of no use here.
                        if self.titles.is_empty() || self.in_title_stmt {
                            self.titles.push(TitleElement {
                                content: content_start..start,
                                kind,
                                in_title_stmt: self.in_title_stmt,
                            });
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// Decodes the entity at `i` (a `&`) in place; None when it is not one we know.
    fn entity(&mut self, i: usize) -> Option<usize> {
        let src = self.src.as_bytes();
        let window = &src[i + 1..src.len().min(i + 1 + MAX_ENTITY_BODY + 1)];
        let semi = window.iter().position(|&b| b == b';')?;
        let body = std::str::from_utf8(&window[..semi]).ok()?;
        let decoded = decode_entity(body)?;
        let end = i + semi + 2;
        let mut buf = [0u8; 4];
        let bytes = decoded.encode_utf8(&mut buf).as_bytes();
        if bytes.len() <= end - i {
            self.out[i..i + bytes.len()].copy_from_slice(bytes);
            self.blank(i + bytes.len(), end);
        } else {
            self.blank(i, end);
        }
        Some(end)
    }
}

/// Picks the title: for TEI, `{short}: {complete}` when `<titleStmt>` has both and the complete
/// title does not already begin with the short one, else the first title.
fn choose_title(src: &str, titles: &[TitleElement]) -> Option<String> {
    let text = |t: &TitleElement| src.get(t.content.clone()).and_then(title_text);
    let stmt: Vec<(Option<&str>, String)> = titles
        .iter()
        .filter(|t| t.in_title_stmt)
        .filter_map(|t| Some((t.kind.as_deref(), text(t)?)))
        .collect();
    if stmt.is_empty() {
        return titles.first().and_then(text);
    }
    let is_short = |kind: Option<&str>| kind.is_some_and(|k| k.eq_ignore_ascii_case("short"));
    let short = stmt.iter().find(|(kind, _)| is_short(*kind));
    let complete = stmt.iter().find(|(kind, _)| !is_short(*kind));
    match (short, complete) {
        (Some((_, short)), Some((_, complete))) if !complete.starts_with(short.as_str()) => {
            Some(format!("{short}: {complete}"))
        }
        _ => Some(stmt[0].1.clone()),
    }
}

/// The text of a title element's content: tags stripped, entities decoded, whitespace folded.
fn title_text(raw: &str) -> Option<String> {
    let mut scanner = Scanner::new(raw, Fill::Strip, false);
    scanner.run();
    let folded = scanner
        .into_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!folded.is_empty()).then_some(folded)
}

fn starts_with_ignore_case(haystack: &[u8], prefix: &[u8]) -> bool {
    haystack.len() >= prefix.len() && haystack[..prefix.len()].eq_ignore_ascii_case(prefix)
}

fn find(haystack: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|at| from + at)
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-' | b'.') || b >= 0x80
}

/// The element name starting at `at`, as ASCII (non-ASCII names never match anything we track).
fn tag_name(src: &[u8], at: usize) -> String {
    let name = src.get(at..).unwrap_or_default();
    let len = name.iter().take_while(|&&b| is_name_byte(b)).count();
    String::from_utf8_lossy(&name[..len]).into_owned()
}

/// The end (past `>`) of the tag starting at `start`. A quote opens a value only after `=`,
/// and a `>` inside a quoted value does not end the tag. None when no `>` follows at all:
/// then the `<` was prose, as in `a <b and c` at the end of a file.
fn tag_end(src: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    let mut after_equals = false;
    while i < src.len() {
        match src[i] {
            b'>' => return Some(i + 1),
            quote @ (b'"' | b'\'') if after_equals => match find(src, i + 1, &[quote]) {
                Some(close) => {
                    i = close + 1;
                    after_equals = false;
                    continue;
                }
                // An unbalanced quote would swallow the rest of the file; the first `>` is a
                // better guess.
                None => return find(src, start + 1, b">").map(|at| at + 1),
            },
            b'=' => after_equals = true,
            // A new tag begins: this one was malformed. Stopping here also keeps a run of
            // such tags from each being scanned to the end of the file.
            b'<' => break,
            b if b.is_ascii_whitespace() => {}
            _ => after_equals = false,
        }
        i += 1;
    }
    // The quotes were not what they seemed.
    find(src, start + 1, b">").map(|at| at + 1)
}

/// The closing tag `</name ...>` (any case) at or after `from`, as (start, end past `>`).
fn find_close_tag(src: &[u8], from: usize, name: &str) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(open) = find(src, at, b"</") {
        let name_end = open + 2 + name.len();
        let matches = src
            .get(open + 2..name_end)
            .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
            && src.get(name_end).is_none_or(|&b| !is_name_byte(b));
        if matches {
            let end = find(src, name_end, b">").map_or(src.len(), |gt| gt + 1);
            return Some((open, end));
        }
        at = open + 2;
    }
    None
}

/// The value of attribute `name` (any case) in the opening tag `tag` (`<` to `>`).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let bytes = tag.as_bytes();
    let mut i = 1 + tag_name(bytes, 1).len();
    while i < bytes.len() {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        let name_start = i;
        while i < bytes.len()
            && !matches!(bytes[i], b'=' | b'>' | b'/')
            && !bytes[i].is_ascii_whitespace()
        {
            i += 1;
        }
        let attr = &tag[name_start..i];
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes.get(i) != Some(&b'=') {
            if i == name_start {
                i += 1; // `>` or a stray byte: move on.
            }
            continue;
        }
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let (value_start, value_end, next) = match bytes.get(i) {
            Some(&quote @ (b'"' | b'\'')) => {
                let close = find(bytes, i + 1, &[quote]).unwrap_or(bytes.len());
                (i + 1, close, close + 1)
            }
            _ => {
                let end = i + bytes[i..]
                    .iter()
                    .take_while(|&&b| !b.is_ascii_whitespace() && b != b'>')
                    .count();
                (i, end, end)
            }
        };
        if attr.eq_ignore_ascii_case(name) {
            return tag.get(value_start..value_end).map(str::to_owned);
        }
        i = next;
    }
    None
}

/// Longest entity body (between `&` and `;`) looked for: `#x10FFFF` and the longest names
/// fit, with room for a few leading zeros.
const MAX_ENTITY_BODY: usize = 12;

/// The character an entity body (`amp`, `#8217`, `#x2019`) stands for.
fn decode_entity(body: &str) -> Option<char> {
    let c = if let Some(number) = body.strip_prefix('#') {
        let (digits, radix) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (number, 10),
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        char::from_u32(u32::from_str_radix(digits, radix).ok()?)?
    } else {
        NAMED_ENTITIES.iter().find(|(name, _)| *name == body)?.1
    };
    // A decoded `&#10;` must not start a new line: line numbers would no longer match the file.
    if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
        Some(' ')
    } else {
        Some(c)
    }
}

/// The named entities met in practice: XML's five, typography and Latin-1 letters. Spaces of
/// every width decode to a plain space so that words on either side stay apart for search.
const NAMED_ENTITIES: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", ' '),
    ("ensp", ' '),
    ("emsp", ' '),
    ("thinsp", ' '),
    ("mdash", '—'),
    ("ndash", '–'),
    ("hellip", '…'),
    ("rsquo", '’'),
    ("lsquo", '‘'),
    ("rdquo", '”'),
    ("ldquo", '“'),
    ("sbquo", '‚'),
    ("bdquo", '„'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("bull", '•'),
    ("middot", '·'),
    ("dagger", '†'),
    ("Dagger", '‡'),
    ("prime", '′'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("deg", '°'),
    ("plusmn", '±'),
    ("times", '×'),
    ("divide", '÷'),
    ("sect", '§'),
    ("para", '¶'),
    ("cent", '¢'),
    ("pound", '£'),
    ("euro", '€'),
    ("yen", '¥'),
    ("iexcl", '¡'),
    ("iquest", '¿'),
    ("ordf", 'ª'),
    ("ordm", 'º'),
    ("frac12", '½'),
    ("frac14", '¼'),
    ("frac34", '¾'),
    ("Agrave", 'À'),
    ("Aacute", 'Á'),
    ("Acirc", 'Â'),
    ("Atilde", 'Ã'),
    ("Auml", 'Ä'),
    ("Aring", 'Å'),
    ("AElig", 'Æ'),
    ("Ccedil", 'Ç'),
    ("Egrave", 'È'),
    ("Eacute", 'É'),
    ("Ecirc", 'Ê'),
    ("Euml", 'Ë'),
    ("Igrave", 'Ì'),
    ("Iacute", 'Í'),
    ("Icirc", 'Î'),
    ("Iuml", 'Ï'),
    ("ETH", 'Ð'),
    ("Ntilde", 'Ñ'),
    ("Ograve", 'Ò'),
    ("Oacute", 'Ó'),
    ("Ocirc", 'Ô'),
    ("Otilde", 'Õ'),
    ("Ouml", 'Ö'),
    ("Oslash", 'Ø'),
    ("Ugrave", 'Ù'),
    ("Uacute", 'Ú'),
    ("Ucirc", 'Û'),
    ("Uuml", 'Ü'),
    ("Yacute", 'Ý'),
    ("THORN", 'Þ'),
    ("szlig", 'ß'),
    ("agrave", 'à'),
    ("aacute", 'á'),
    ("acirc", 'â'),
    ("atilde", 'ã'),
    ("auml", 'ä'),
    ("aring", 'å'),
    ("aelig", 'æ'),
    ("ccedil", 'ç'),
    ("egrave", 'è'),
    ("eacute", 'é'),
    ("ecirc", 'ê'),
    ("euml", 'ë'),
    ("igrave", 'ì'),
    ("iacute", 'í'),
    ("icirc", 'î'),
    ("iuml", 'ï'),
    ("eth", 'ð'),
    ("ntilde", 'ñ'),
    ("ograve", 'ò'),
    ("oacute", 'ó'),
    ("ocirc", 'ô'),
    ("otilde", 'õ'),
    ("ouml", 'ö'),
    ("oslash", 'ø'),
    ("ugrave", 'ù'),
    ("uacute", 'ú'),
    ("ucirc", 'û'),
    ("uuml", 'ü'),
    ("yacute", 'ý'),
    ("thorn", 'þ'),
    ("yuml", 'ÿ'),
    ("OElig", 'Œ'),
    ("oelig", 'œ'),
    ("Scaron", 'Š'),
    ("scaron", 'š'),
    ("Yuml", 'Ÿ'),
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn blanked(text: &str) -> String {
        blank(text).text
    }

    #[test]
    fn blanks_a_small_page_exactly() {
        let page = concat!(
            "<html><head><title>T</title>\n",
            "<style>p > a { color: red }</style></head>\n",
            "<body><script>if (a < b && c > d) {}\n}</script>\n",
            "<!-- a <p> comment\n-->\n",
            "<p class=\"x>y\"\n   id='z'>Fish &amp; chips &#8217;n&rsquo; &bogus; a < b</p>\n",
            "</body></html>\n",
        );
        let expected = concat!(
            "                            \n",
            "                                          \n",
            "                                    \n",
            "          \n",
            "                  \n",
            "   \n",
            "              \n",
            "          Fish &     chips ’    n’     &bogus; a < b    \n",
            "              \n",
        );
        assert_eq!(blanked(page), expected);
        assert_eq!(blanked(page).len(), page.len());
    }

    #[test]
    fn cdata_markers_blanked_content_kept() {
        assert_eq!(blanked("<a><![CDATA[x<y]]></a>"), "            x<y       ");
    }

    #[test]
    fn processing_instructions_doctype_and_empty_elements() {
        let text = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"a>b\">]><br/>ok";
        let out = blanked(text);
        assert_eq!(out.trim(), "ok");
        assert_eq!(out.len(), text.len());
    }

    #[test]
    fn tei_header_is_hidden_but_tei_heads_are_text() {
        let tei = "<TEI><teiHeader><p>Written by X</p></teiHeader>\n<text><body><div><head>Summary</head>\n<p>Body.</p></div></body></text></TEI>";
        let out = blanked(tei);
        assert!(!out.contains("Written"));
        assert_eq!(
            out.split_whitespace().collect::<Vec<_>>(),
            ["Summary", "Body."]
        );
    }

    #[test]
    fn html_head_without_closing_tag_ends_at_body_content() {
        let out = blanked("<html><head><title>T</title><meta charset=utf-8><p>Visible</p>");
        assert_eq!(out.trim(), "Visible");
        assert_eq!(
            blank("<html><head><title>T</title><p>Visible")
                .title
                .as_deref(),
            Some("T")
        );
    }

    #[test]
    fn unclosed_script_runs_to_the_end_and_unclosed_tag_is_text() {
        assert_eq!(blanked("a<script>x = 1;\ny"), "a              \n ");
        assert_eq!(blanked("a <b and c"), "a <b and c");
        assert_eq!(blanked("x</"), "x</");
    }

    #[test]
    fn entities_decode_at_the_start_of_their_range() {
        assert_eq!(blanked("&eacute;t&eacute;"), "é      té      ");
        assert_eq!(blanked("&#x2019;&#X41;&#65;"), "’     A     A    ");
        // Newlines from entities would shift every line after them.
        assert_eq!(blanked("a&#10;b"), "a     b");
        // Malformed, unknown, out of range: left alone.
        for text in [
            "&amp",
            "& amp;",
            "&#;",
            "&#x;",
            "&#xD800;",
            "&#99999999999;",
            "&Bogus;",
        ] {
            assert_eq!(blanked(text), text);
        }
    }

    #[test]
    fn html_title() {
        let page = "<html><head><title>\n  Fish &amp;\n  <b>Chips</b>\n</title></head><body><svg><title>no</title></svg></body></html>";
        assert_eq!(blank(page).title.as_deref(), Some("Fish & Chips"));
        assert_eq!(blank("<p>No title</p>").title, None);
        assert_eq!(blank("<title> </title>").title, None);
    }

    #[test]
    fn tei_title_joins_short_and_complete() {
        let tei = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0">
    <teiHeader>
        <fileDesc>
            <titleStmt>
                <title type="complete">A Guide to the United States&#8217; History,
                    by Country: Albania</title>
                <title type="short">Albania</title>
            </titleStmt>
        </fileDesc>
    </teiHeader>
    <text><body><p>See <title>Another Book</title>.</p></body></text>
</TEI>"#;
        assert_eq!(
            blank(tei).title.as_deref(),
            Some("Albania: A Guide to the United States’ History, by Country: Albania")
        );
        let redundant = r#"<TEI><teiHeader><titleStmt><title type="complete">Albania: A Guide</title>
            <title type='short'>Albania</title></titleStmt></teiHeader></TEI>"#;
        assert_eq!(blank(redundant).title.as_deref(), Some("Albania: A Guide"));
        let single = "<TEI><teiHeader><titleStmt><title>Only</title></titleStmt></teiHeader></TEI>";
        assert_eq!(blank(single).title.as_deref(), Some("Only"));
    }

    #[test]
    fn markup_by_extension_and_by_sniffing() {
        let p = Path::new;
        assert!(is_markup(p("a/report.HTML"), "plain"));
        assert!(is_markup(p("b.htm"), ""));
        assert!(is_markup(p("b.xhtml"), ""));
        assert!(is_markup(p("albania.xml"), ""));
        assert!(is_markup(p("c.Tei"), ""));
        assert!(!is_markup(p("notes.txt"), "Dear <b>reader</b>"));
        assert!(!is_markup(p("notes.md"), "# Title"));
        assert!(!is_markup(p("no-extension"), "<htmlish>"));
        assert!(is_markup(
            p("notes.txt"),
            "\u{feff}  \n<?xml version=\"1.0\"?>"
        ));
        assert!(is_markup(p("page"), "<!doctype HTML>"));
        assert!(is_markup(p("page.txt"), "<html lang=en>"));
        assert!(is_markup(p("page.txt"), "<HTML>"));
        assert!(is_markup(
            p("doc.md"),
            "\n<TEI xmlns=\"http://www.tei-c.org/ns/1.0\">"
        ));
    }

    #[test]
    fn pathological_inputs_take_linear_time() {
        // Each of these would rescan to the end of the file at every `<` in a naive scanner.
        for unit in [
            "a <b ",
            "<?a>",
            "<![a>",
            "<!DOCTYPE [>",
            "<a b=\"c>",
            "<a b='>",
            "<a b=\">\"",
            "<a b=\"x<a b=\"x",
            "<a b=\"x><c d='y>",
        ] {
            let text = unit.repeat(200_000);
            let started = std::time::Instant::now();
            assert_eq!(blank(&text).text.len(), text.len());
            assert!(started.elapsed().as_secs() < 10, "{unit:?} is slow");
        }
    }

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zé’ <>&;#x0-9\"'=/!?\\-\\[\\]\n\r]{0,8}",
            Just("<script>".to_owned()),
            Just("</script>".to_owned()),
            Just("<head>".to_owned()),
            Just("</head>".to_owned()),
            Just("<teiHeader>".to_owned()),
            Just("<title type=\"short\">".to_owned()),
            Just("</title>".to_owned()),
            Just("<titleStmt>".to_owned()),
            Just("<!--".to_owned()),
            Just("-->".to_owned()),
            Just("<![CDATA[".to_owned()),
            Just("]]>".to_owned()),
            Just("<!DOCTYPE".to_owned()),
            Just("&amp;".to_owned()),
            Just("&#x1F600;".to_owned()),
            Just("&#10;".to_owned()),
            "\\PC{0,4}",
        ]
    }

    fn check(text: &str) -> Result<(), TestCaseError> {
        let out = blank(text).text;
        prop_assert_eq!(out.len(), text.len());
        for (a, b) in text.bytes().zip(out.bytes()) {
            prop_assert_eq!(a == b'\n', b == b'\n');
            prop_assert_eq!(a == b'\r', b == b'\r');
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn length_and_newlines_are_kept(pieces in prop::collection::vec(piece(), 0..40)) {
            check(&pieces.concat())?;
        }

        #[test]
        fn any_string_is_safe(text in any::<String>()) {
            check(&text)?;
        }
    }
}
