//! Splitting a document into paragraph-sized passages, the unit that is searched and shown.
//!
//! Paragraphs are runs of non-blank lines. A paragraph longer than [`MAX_WORDS`] is cut
//! between its lines, or between sentences where a line is itself too long, into pieces
//! of similar size; that is also what gives documents which put every sentence on its own
//! line (many UN speeches) paragraph-sized passages. Paragraphs shorter than [`MIN_WORDS`]
//! (headings, one-line statements) are merged with the following one, because on their
//! own they would win BM25's length normalisation with a single matching word.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::words;

/// Bumped whenever a change here would cut the same text differently.
pub const SPLITTER_VERSION: u32 = 2;

pub const MIN_WORDS: usize = 40;
pub const MAX_WORDS: usize = 250;
/// The size long paragraphs are cut towards.
const TARGET_WORDS: usize = 160;

/// A passage: a byte range of the document text and the line (1-based) it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    pub span: Range<usize>,
    pub line: usize,
}

/// A stretch of text with its word count, the unit the splitter moves around.
#[derive(Debug, Clone)]
struct Piece {
    span: Range<usize>,
    words: usize,
}

/// Splits `text[body.clone()]` into passages; spans are offsets into `text`.
pub fn split(text: &str, body: Range<usize>) -> Vec<Passage> {
    let mut units = Vec::new();
    for paragraph in paragraphs(text, body) {
        cut_paragraph(text, paragraph, &mut units);
    }
    let merged = merge_short(units);
    let line_starts = LineIndex::new(text);
    merged
        .into_iter()
        .map(|piece| Passage {
            line: line_starts.line_of(piece.span.start),
            span: piece.span,
        })
        .collect()
}

fn count_words(text: &str) -> usize {
    words::count(text)
}

/// Lines of `text` within `body`, without their line breaks and surrounding white space.
fn lines(text: &str, body: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = body.start;
    for line in text[body.clone()].split_inclusive('\n') {
        let end = start + line.len();
        let trimmed = trim_span(text, start..end);
        start = end;
        if !trimmed.is_empty() {
            out.push(trimmed);
        } else {
            out.push(end..end); // a blank line: an empty marker that ends a paragraph
        }
    }
    out
}

fn trim_span(text: &str, span: Range<usize>) -> Range<usize> {
    let slice = &text[span.clone()];
    let mut leading = slice.len() - slice.trim_start().len();
    let trailing = slice.len() - slice.trim_end().len();
    if leading == slice.len() {
        return span.end..span.end;
    }
    // A combining mark belongs to the space before it (UAX#29 rule WB4): cut from that
    // space, the mark would start a word of its own, and the passage would hold a word
    // the text does not. So the cut is moved back to where UAX#29 itself breaks.
    if leading > 0 && !slice.as_bytes()[leading].is_ascii() {
        leading = slice
            .split_word_bound_indices()
            .map(|(at, _)| at)
            .take_while(|&at| at <= leading)
            .last()
            .unwrap_or(0);
    }
    span.start + leading..span.end - trailing
}

/// Runs of non-blank lines, each a list of line spans.
fn paragraphs(text: &str, body: Range<usize>) -> Vec<Vec<Range<usize>>> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    for line in lines(text, body) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Appends the paragraph to `units`, whole if it is short enough, else cut in pieces.
fn cut_paragraph(text: &str, lines: Vec<Range<usize>>, units: &mut Vec<Piece>) {
    let span = lines[0].start..lines[lines.len() - 1].end;
    // Each line is counted once: a paragraph holds the words of its lines, since UAX#29
    // breaks at every line feed and the white space around it holds no word.
    let line_words: Vec<usize> = lines
        .iter()
        .map(|line| count_words(&text[line.clone()]))
        .collect();
    let words = line_words.iter().sum();
    if words == 0 {
        return;
    }
    if words <= MAX_WORDS {
        units.push(Piece { span, words });
        return;
    }
    let mut pieces = Vec::new();
    for (line, line_words) in lines.into_iter().zip(line_words) {
        if line_words <= MAX_WORDS {
            if line_words > 0 {
                pieces.push(Piece {
                    span: line,
                    words: line_words,
                });
            }
        } else {
            sentences(text, line, &mut pieces);
        }
    }
    pack(pieces, words, units);
}

/// Sentences of one long line; a sentence that is still too long is cut by words.
fn sentences(text: &str, line: Range<usize>, pieces: &mut Vec<Piece>) {
    for (offset, sentence) in text[line.clone()].split_sentence_bound_indices() {
        let span = trim_span(
            text,
            line.start + offset..line.start + offset + sentence.len(),
        );
        let words = count_words(&text[span.clone()]);
        if words == 0 {
            continue;
        }
        if words <= MAX_WORDS {
            pieces.push(Piece { span, words });
            continue;
        }
        // No sentence boundary for 250 words: OCR noise or a list without punctuation.
        let mut chunk_start = span.start;
        let mut chunk_words = 0;
        let mut chunk_end = span.start;
        for (offset, word) in words::word_indices(&text[span.clone()]) {
            if chunk_words == TARGET_WORDS {
                pieces.push(Piece {
                    span: chunk_start..chunk_end,
                    words: chunk_words,
                });
                chunk_start = span.start + offset;
                chunk_words = 0;
            }
            chunk_words += 1;
            chunk_end = span.start + offset + word.len();
        }
        pieces.push(Piece {
            span: chunk_start..span.end,
            words: chunk_words,
        });
    }
}

/// Packs consecutive pieces into units of similar size, none above [`MAX_WORDS`].
fn pack(pieces: Vec<Piece>, total_words: usize, units: &mut Vec<Piece>) {
    let count = total_words.div_ceil(TARGET_WORDS);
    let target = total_words.div_ceil(count);
    let mut current: Option<Piece> = None;
    for piece in pieces {
        current = Some(match current.take() {
            None => piece,
            Some(unit) if unit.words >= target || unit.words + piece.words > MAX_WORDS => {
                units.push(unit);
                piece
            }
            Some(unit) => join(unit, piece),
        });
    }
    units.extend(current);
}

fn join(first: Piece, second: Piece) -> Piece {
    Piece {
        span: first.span.start..second.span.end,
        words: first.words + second.words,
    }
}

/// Merges units under [`MIN_WORDS`] into the next one (the last into the previous one).
fn merge_short(units: Vec<Piece>) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let mut pending: Option<Piece> = None;
    for unit in units {
        pending = Some(match pending.take() {
            None => unit,
            Some(short) if short.words < MIN_WORDS && short.words + unit.words <= MAX_WORDS => {
                join(short, unit)
            }
            Some(done) => {
                out.push(done);
                unit
            }
        });
    }
    if let Some(last) = pending {
        match out.last_mut() {
            Some(previous)
                if last.words < MIN_WORDS && previous.words + last.words <= MAX_WORDS =>
            {
                *previous = join(previous.clone(), last);
            }
            _ => out.push(last),
        }
    }
    out
}

/// Byte offset to line number, by binary search over line starts.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// The 1-based line that holds byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(n: usize, word: &str) -> String {
        vec![word; n].join(" ")
    }

    fn split_all(text: &str) -> Vec<Passage> {
        split(text, 0..text.len())
    }

    #[test]
    fn paragraphs_of_normal_size_are_passages() {
        let text = format!("{}\n\n{}\n", words(50, "alpha"), words(60, "beta"));
        let passages = split_all(&text);
        assert_eq!(passages.len(), 2);
        assert_eq!(passages[0].line, 1);
        assert_eq!(passages[1].line, 3);
        assert_eq!(&text[passages[1].span.clone()], words(60, "beta"));
    }

    #[test]
    fn a_heading_joins_the_paragraph_after_it() {
        let text = format!(
            "## Heading here\n\n{}\n\n{}",
            words(50, "alpha"),
            words(50, "beta")
        );
        let passages = split_all(&text);
        assert_eq!(passages.len(), 2);
        assert!(text[passages[0].span.clone()].starts_with("## Heading here\n\nalpha"));
    }

    #[test]
    fn a_short_last_paragraph_joins_the_one_before() {
        let text = format!("{}\n\nThe end.", words(50, "alpha"));
        let passages = split_all(&text);
        assert_eq!(passages.len(), 1);
        assert!(text[passages[0].span.clone()].ends_with("The end."));
    }

    #[test]
    fn one_sentence_per_line_gives_paragraph_sized_passages() {
        let sentence = "The Assembly must act on climate finance now and without delay.";
        let text = vec![sentence; 200].join("\n");
        let passages = split_all(&text);
        let sizes: Vec<usize> = passages
            .iter()
            .map(|p| count_words(&text[p.span.clone()]))
            .collect();
        assert!(passages.len() > 5, "{sizes:?}");
        assert!(
            sizes.iter().all(|&n| (MIN_WORDS..=MAX_WORDS).contains(&n)),
            "{sizes:?}"
        );
        let first_lines = text[passages[0].span.clone()].lines().count();
        assert_eq!(passages[1].line, first_lines + 1);
    }

    #[test]
    fn a_huge_line_without_sentences_is_cut_by_words() {
        let text = words(1000, "noise");
        let passages = split_all(&text);
        assert!(passages.len() >= 4);
        for passage in &passages {
            assert!(count_words(&text[passage.span.clone()]) <= MAX_WORDS);
        }
    }

    #[test]
    fn the_body_range_is_respected() {
        let text = format!(" date 2026-03-06 Photo credit\n\n{}", words(45, "alpha"));
        let passages = split(&text, 17..text.len());
        assert_eq!(passages[0].span.start, 17);
        assert_eq!(passages[0].line, 1);
    }

    #[test]
    fn a_mark_after_a_space_stays_with_it() {
        // A narrow no-break space, a soft hyphen and a combining mark: one word with the
        // letter after them in the text, two words if the space were cut off.
        let text = "\u{202f}\u{ad}\u{345}a";
        let passages = split_all(text);
        assert_eq!(passages.len(), 1);
        assert_eq!(passages[0].span, 0..text.len());
    }

    proptest! {
        #[test]
        fn passages_are_ordered_disjoint_and_on_char_boundaries(text in "(\\PC{0,30}[ \n]{0,3}){0,80}") {
            let passages = split_all(&text);
            let mut last_end = 0;
            for passage in &passages {
                prop_assert!(passage.span.start >= last_end);
                prop_assert!(passage.span.start < passage.span.end);
                prop_assert!(text.is_char_boundary(passage.span.start));
                prop_assert!(text.is_char_boundary(passage.span.end));
                prop_assert_eq!(passage.line, text[..passage.span.start].matches('\n').count() + 1);
                last_end = passage.span.end;
            }
            let indexed_words: usize = passages.iter().map(|p| count_words(&text[p.span.clone()])).sum();
            prop_assert_eq!(indexed_words, count_words(&text));
        }

        #[test]
        fn passages_hold_the_words_of_the_text(
            text in proptest::collection::vec(proptest::sample::select(vec![
                "a", "Z", "7", ". ", " ", "\n", "\n\n", "\t", "\u{a0}", "\u{202f}", "\u{3000}",
                "\u{2028}", "\u{85}", "\u{200b}", "\u{200d}", "\u{ad}", "\u{301}", "\u{345}",
                "\u{93f}", "\u{113c5}", "_", "’", "日",
            ]), 0..80).prop_map(|parts| parts.concat())
        ) {
            let passages = split_all(&text);
            let indexed_words: usize = passages.iter().map(|p| count_words(&text[p.span.clone()])).sum();
            prop_assert_eq!(indexed_words, count_words(&text));
        }

        #[test]
        fn a_paragraph_holds_the_words_of_its_lines(
            text in proptest::collection::vec(proptest::sample::select(vec![
                "a", "Z", "7", " ", "\n", "\r", "\t", ".", ",", "'", "_", "é", "’", "“",
                "\u{a0}", "\u{202f}", "\u{3000}", "\u{2028}", "\u{85}", "\u{b}", "\u{c}",
                "\u{200b}", "\u{200d}", "\u{301}", "\u{ad}", "\u{5d0}", "\u{5f3}", "ア",
                "日", "\u{1f1ef}", "\u{1f600}",
            ]), 0..60).prop_map(|parts| parts.concat())
        ) {
            for lines in paragraphs(&text, 0..text.len()) {
                let span = lines[0].start..lines[lines.len() - 1].end;
                let by_line: usize = lines.iter().map(|l| count_words(&text[l.clone()])).sum();
                prop_assert_eq!(count_words(&text[span]), by_line);
            }
        }
    }
}
