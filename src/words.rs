//! UAX#29 words exactly as `unicode_segmentation` gives them, but fast on text that is
//! mostly ASCII.
//!
//! unicode-segmentation has a quick path for a string that is all ASCII and looks every
//! character up in its Unicode tables otherwise, so one curly apostrophe puts a whole file
//! on the slow path; that lookup cost more than any other stage of indexing. Here the text
//! is cut where UAX#29 always breaks and no rule looks across the cut, and each stretch is
//! segmented on its own: ASCII stretches take the quick path, and only the stretches around
//! other characters take the slow one. The words are those of the whole text (the property
//! tests below compare them).
//!
//! A cut is made before a space that follows an ASCII character other than a space (no rule
//! joins anything but a space to a space, and none looks past one), or after a line feed
//! (UAX#29 breaks after a newline whatever follows, rule WB3a).

use unicode_segmentation::{UnicodeSegmentation, UnicodeWordIndices};

/// The words of `text` with their byte offsets: `text.unicode_word_indices()`.
pub fn word_indices(text: &str) -> WordIndices<'_> {
    WordIndices {
        stretches: Stretches { text, next: 0 },
        start: 0,
        words: "".unicode_word_indices(),
    }
}

/// How many words `text` holds: `text.unicode_words().count()`.
pub fn count(text: &str) -> usize {
    Stretches { text, next: 0 }
        .map(|(_, stretch)| stretch.unicode_words().count())
        .sum()
}

pub struct WordIndices<'a> {
    stretches: Stretches<'a>,
    /// Where the stretch under way starts in the text.
    start: usize,
    words: UnicodeWordIndices<'a>,
}

impl<'a> Iterator for WordIndices<'a> {
    type Item = (usize, &'a str);

    #[inline]
    fn next(&mut self) -> Option<(usize, &'a str)> {
        loop {
            if let Some((offset, word)) = self.words.next() {
                return Some((self.start + offset, word));
            }
            let (start, stretch) = self.stretches.next()?;
            self.start = start;
            self.words = stretch.unicode_word_indices();
        }
    }
}

/// Consecutive stretches of a text, each ending at a cut: all-ASCII stretches as long as
/// they can be, and stretches holding other characters as short as they can be.
struct Stretches<'a> {
    text: &'a str,
    next: usize,
}

impl<'a> Iterator for Stretches<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<(usize, &'a str)> {
        let bytes = self.text.as_bytes();
        let start = self.next;
        if start >= bytes.len() {
            return None;
        }
        let end = match bytes[start..].iter().position(|b| !b.is_ascii()) {
            None => bytes.len(),
            Some(ascii) => {
                let other = start + ascii;
                match (start + 1..=other).rev().find(|&at| is_cut(bytes, at)) {
                    Some(cut) => cut,
                    None => (other + 1..bytes.len())
                        .find(|&at| is_cut(bytes, at))
                        .unwrap_or(bytes.len()),
                }
            }
        };
        self.next = end;
        Some((start, &self.text[start..end]))
    }
}

/// Can the text be cut before byte `at` (0 < `at` < length) without changing its words?
#[inline]
fn is_cut(bytes: &[u8], at: usize) -> bool {
    let before = bytes[at - 1];
    before == b'\n' || (bytes[at] == b' ' && before != b' ' && before.is_ascii())
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
        fn words_of_any_text_are_those_of_the_whole_text(text in "\\PC{0,60}") {
            let expected: Vec<(usize, &str)> = text.unicode_word_indices().collect();
            let found: Vec<(usize, &str)> = word_indices(&text).collect();
            prop_assert_eq!(found, expected);
            prop_assert_eq!(count(&text), text.unicode_words().count());
        }
    }
}
