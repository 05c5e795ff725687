//! UAX#29 words exactly as `unicode_segmentation` gives them, but fast on text that is
//! mostly ASCII.
//!
//! unicode-segmentation looks every character up in its Unicode tables unless the whole
//! string is ASCII, so one curly apostrophe puts a whole file on the slow path; that lookup
//! cost more than any other stage of indexing. Here the text is cut where UAX#29 always
//! breaks and no rule looks across the cut, and each stretch is segmented on its own: ASCII
//! stretches by a few byte comparisons (the rules unicode-segmentation's own ASCII path
//! applies), and only the stretches around other characters by unicode-segmentation. The
//! words are those of the whole text (the property tests below compare them).
//!
//! A cut is made before a space that follows an ASCII character other than a space (no rule
//! joins anything but a space to a space, and none looks past one), or after a line feed
//! (UAX#29 breaks after a newline whatever follows, rule WB3a).

use std::ops::Range;

use unicode_segmentation::{UnicodeSegmentation, UnicodeWordIndices};

/// The words of `text` with their byte offsets: `text.unicode_word_indices()`.
pub fn word_indices(text: &str) -> WordIndices<'_> {
    WordIndices {
        text,
        stretches: Stretches { text, next: 0 },
        start: 0,
        words: Words::Ascii(AsciiWords { bytes: b"", at: 0 }),
    }
}

/// How many words `text` holds: `text.unicode_words().count()`.
pub fn count(text: &str) -> usize {
    Stretches { text, next: 0 }
        .map(|stretch| match stretch.ascii {
            true => AsciiWords::new(&text[stretch.span]).count(),
            false => text[stretch.span].unicode_words().count(),
        })
        .sum()
}

pub struct WordIndices<'a> {
    text: &'a str,
    stretches: Stretches<'a>,
    /// Where the stretch under way starts in the text.
    start: usize,
    words: Words<'a>,
}

/// The words of one stretch.
enum Words<'a> {
    Ascii(AsciiWords<'a>),
    Other(UnicodeWordIndices<'a>),
}

impl<'a> Iterator for WordIndices<'a> {
    type Item = (usize, &'a str);

    #[inline]
    fn next(&mut self) -> Option<(usize, &'a str)> {
        loop {
            let found = match &mut self.words {
                Words::Ascii(words) => words
                    .next()
                    .map(|word| (word.start, &self.text[self.start..][word])),
                Words::Other(words) => words.next(),
            };
            if let Some((offset, word)) = found {
                return Some((self.start + offset, word));
            }
            let stretch = self.stretches.next()?;
            self.start = stretch.span.start;
            let text = &self.text[stretch.span];
            self.words = match stretch.ascii {
                true => Words::Ascii(AsciiWords::new(text)),
                false => Words::Other(text.unicode_word_indices()),
            };
        }
    }
}

/// The words of an all-ASCII text, found as unicode-segmentation's own quick path for
/// ASCII finds them, without making a segment of every space and punctuation mark: a
/// word is a run of letters, digits and underscores that holds a letter or a digit,
/// joined across `.`, `'` and `:` between two letters (UAX#29 rules WB6-WB7) and across
/// `.`, `,`, `;` and `'` between two digits (WB11-WB12). Spans are offsets in the text.
struct AsciiWords<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> AsciiWords<'a> {
    fn new(text: &'a str) -> AsciiWords<'a> {
        AsciiWords {
            bytes: text.as_bytes(),
            at: 0,
        }
    }
}

impl Iterator for AsciiWords<'_> {
    type Item = Range<usize>;

    #[inline]
    fn next(&mut self) -> Option<Range<usize>> {
        let bytes = self.bytes;
        let mut at = self.at;
        loop {
            while at < bytes.len() && !is_core(bytes[at]) {
                at += 1;
            }
            if at == bytes.len() {
                self.at = at;
                return None;
            }
            let start = at;
            at += 1;
            while at < bytes.len()
                && (is_core(bytes[at])
                    || (at + 1 < bytes.len() && is_infix(bytes[at - 1], bytes[at], bytes[at + 1])))
            {
                at += 1;
            }
            // A run of underscores alone is not a word.
            if bytes[start..at].iter().any(u8::is_ascii_alphanumeric) {
                self.at = at;
                return Some(start..at);
            }
        }
    }
}

#[inline]
fn is_core(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// Does `byte`, between `before` and `after`, join them into one word?
#[inline]
fn is_infix(before: u8, byte: u8, after: u8) -> bool {
    match byte {
        b'.' | b',' | b';' | b'\'' if before.is_ascii_digit() && after.is_ascii_digit() => true,
        b'\'' | b'.' | b':' => before.is_ascii_alphabetic() && after.is_ascii_alphabetic(),
        _ => false,
    }
}

/// A stretch of the text between two cuts.
struct Stretch {
    span: Range<usize>,
    ascii: bool,
}

/// Consecutive stretches of a text, each ending at a cut: all-ASCII stretches as long as
/// they can be, and stretches holding other characters as short as they can be.
struct Stretches<'a> {
    text: &'a str,
    next: usize,
}

impl Iterator for Stretches<'_> {
    type Item = Stretch;

    fn next(&mut self) -> Option<Stretch> {
        let bytes = self.text.as_bytes();
        let start = self.next;
        if start >= bytes.len() {
            return None;
        }
        let (end, ascii) = match first_other(&bytes[start..]) {
            None => (bytes.len(), true),
            Some(ascii) => {
                let other = start + ascii;
                match (start + 1..=other).rev().find(|&at| is_cut(bytes, at)) {
                    Some(cut) => (cut, true),
                    None => {
                        let cut = (other + 1..bytes.len()).find(|&at| is_cut(bytes, at));
                        (cut.unwrap_or(bytes.len()), false)
                    }
                }
            }
        };
        self.next = end;
        Some(Stretch {
            span: start..end,
            ascii,
        })
    }
}

/// Where the first byte that is not ASCII stands, looked for a block at a time.
fn first_other(bytes: &[u8]) -> Option<usize> {
    let mut offset = 0;
    for block in bytes.chunks(32) {
        if !block.is_ascii() {
            return block
                .iter()
                .position(|b| !b.is_ascii())
                .map(|at| offset + at);
        }
        offset += block.len();
    }
    None
}

/// Can the text be cut before byte `at` (0 < `at` < length) without changing its words?
#[inline]
fn is_cut(bytes: &[u8], at: usize) -> bool {
    let before = bytes[at - 1];
    before == b'\n' || (bytes[at] == b' ' && before != b' ' && before.is_ascii())
}

/// The largest char boundary of `text` at or before byte `at` (`str::floor_char_boundary`
/// is newer than the Rust this crate supports).
pub fn floor_char_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn same_as_unicode_segmentation(text: &str) {
        let expected: Vec<(usize, &str)> = text.unicode_word_indices().collect();
        let found: Vec<(usize, &str)> = word_indices(text).collect();
        assert_eq!(found, expected, "{text:?}");
        assert_eq!(count(text), text.unicode_words().count(), "{text:?}");
    }

    #[test]
    fn mixed_text() {
        for text in [
            "",
            " ",
            "Australia’s reserve",
            "Australia’s  U.S.  e.g. 3.5 1,000 don't can’t",
            "“Quoted,” he said — and left.\r\nNext line\n\u{301}x",
            "naïve café Zürich Ελλάδα Россия 日本語のテキスト",
            "a\u{200d} b \u{1f1ef}\u{1f1f5} \u{1f1ef}\u{1f1f5}\u{1f1ef} c",
            "snake_case _emphasis_ title:word stock.adobe.com",
            "ends with a curly’",
            "’",
            "x\u{3000} y\u{a0}z",
        ] {
            same_as_unicode_segmentation(text);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// Characters chosen from every class the UAX#29 rules name, ASCII and not, so that
        /// cuts fall next to each of them.
        #[test]
        fn words_are_those_of_the_whole_text(
            text in proptest::collection::vec(proptest::sample::select(vec![
                "a", "Z", "7", "0", " ", "  ", "\n", "\r", "\r\n", "\t", ".", ",", ";", ":",
                "'", "\"", "_", "-", "(", "é", "ß", "’", "‘", "ʼ", "“", "—", "\u{a0}",
                "\u{3000}", "\u{2009}", "\u{200b}", "\u{200d}", "\u{301}", "\u{ad}",
                "\u{5d0}", "\u{5f3}", "ア", "ー", "日", "本", "\u{1f1ef}", "\u{1f1f5}",
                "\u{1f600}", "\u{2764}", "٣", "\u{85}", "\u{b}", "\u{c}", "\u{2028}",
                "·", "\u{fe52}", "\u{ff0e}",
            ]), 0..40).prop_map(|parts| parts.concat())
        ) {
            let expected: Vec<(usize, &str)> = text.unicode_word_indices().collect();
            let found: Vec<(usize, &str)> = word_indices(&text).collect();
            prop_assert_eq!(found, expected);
            prop_assert_eq!(count(&text), text.unicode_words().count());
        }

        #[test]
        fn words_of_ascii_text_are_those_of_unicode_segmentation(
            text in "[a-c0-2_.,;:' \r\n\t\"-]{0,40}"
        ) {
            let expected: Vec<(usize, &str)> = text.unicode_word_indices().collect();
            let found: Vec<(usize, &str)> = word_indices(&text).collect();
            prop_assert_eq!(found, expected);
            prop_assert_eq!(count(&text), text.unicode_words().count());
        }

        #[test]
        fn words_of_any_text_are_those_of_the_whole_text(text in "\\PC{0,60}") {
            let expected: Vec<(usize, &str)> = text.unicode_word_indices().collect();
            let found: Vec<(usize, &str)> = word_indices(&text).collect();
            prop_assert_eq!(found, expected);
            prop_assert_eq!(count(&text), text.unicode_words().count());
        }
    }
}
