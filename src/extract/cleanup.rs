//! From an engine's page texts to the text a reader sees: ligatures as letters, words
//! hyphenated across lines joined, and the page numbers, running headers and footers that
//! repeat on every page taken out, so that they neither pollute passages nor break a
//! paragraph that runs on over a page break.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use super::{Extracted, Pages};

/// How many non-blank lines at the top and at the bottom of a page are looked at for page
/// numbers, headers and footers.
const MARGIN_LINES: usize = 3;

/// The pages of an engine's output, whose pages end with form feeds: control characters
/// other than line breaks and tabs removed first (a PDF's text may hold any of them, and
/// only then is a form feed a page break), ligatures written as letters.
pub fn split_pages(output: &str) -> Vec<String> {
    let mut text = String::with_capacity(output.len());
    for c in output.chars() {
        match c {
            '\n' | '\t' | '\x0c' => text.push(c),
            // Invisible: a soft hyphen is a place a word may break, not a character.
            '\u{ad}' => {}
            c if c.is_control() => {}
            c => match ligature(c) {
                Some(letters) => text.push_str(letters),
                None => text.push(c),
            },
        }
    }
    let mut pages: Vec<String> = text.split('\x0c').map(str::to_string).collect();
    // Every page ends with a form feed, the last one included.
    if text.ends_with('\x0c') {
        pages.pop();
    }
    pages
}

/// The letters a ligature character stands for (U+FB00 to U+FB06).
fn ligature(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{fb00}' => "ff",
        '\u{fb01}' => "fi",
        '\u{fb02}' => "fl",
        '\u{fb03}' => "ffi",
        '\u{fb04}' => "ffl",
        '\u{fb05}' | '\u{fb06}' => "st",
        _ => return None,
    })
}

/// The document text from its pages: margins cleaned, hyphenated words joined (across a
/// page break too), pages one after another.
pub fn assemble(pages: Vec<String>) -> Extracted {
    let mut pages: Vec<Vec<String>> = pages
        .iter()
        .map(|page| page.lines().map(|l| l.trim_end().to_string()).collect())
        .collect();
    let mut labels: Vec<Option<String>> = pages.iter_mut().map(remove_page_number).collect();
    let header_numbers = remove_repeated_margins(&mut pages);
    for (label, number) in labels.iter_mut().zip(printed_numbers(&header_numbers)) {
        if label.is_none() {
            *label = number.map(|n| n.to_string());
        }
    }
    fill_page_numbers(&mut labels);
    for page in &mut pages {
        trim_blank_lines(page);
    }
    join_hyphenated(&mut pages);

    let mut text = String::new();
    let mut starts = Vec::with_capacity(pages.len());
    let mut pages_without_text = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        // A blank line after a page that ends its paragraph keeps the next page's first
        // paragraph out of this page's last passage, so that passages start on the page
        // their text starts on. A paragraph that runs on runs on over the break, so that a
        // phrase across it is found.
        if i > 0 && ends_paragraph(&pages[i - 1]) {
            text.push('\n');
        }
        starts.push(text.len());
        if !page.iter().any(|line| has_text(line)) {
            pages_without_text.push(i + 1);
            continue;
        }
        for line in page {
            text.push_str(line);
            text.push('\n');
        }
    }
    let labels = labels
        .into_iter()
        .enumerate()
        .map(|(i, label)| label.filter(|l| *l != (i + 1).to_string()))
        .collect();
    Extracted {
        text,
        pages: Some(Pages { starts, labels }),
        pages_without_text,
        ..Extracted::default()
    }
}

/// True when a page (or a line) holds text a reader would read: a stray mark or a
/// scanner's speck read as "." or "l1" is not.
pub fn has_text(page: &str) -> bool {
    page.chars()
        .filter(|c| c.is_alphanumeric())
        .nth(2)
        .is_some()
}

/// True when the page's last line ends a sentence, or stops short of the width of the
/// page's lines as a paragraph's last line does ("END OF TERMS AND CONDITIONS").
fn ends_paragraph(page: &[String]) -> bool {
    let Some(last) = page.last() else {
        return false;
    };
    let closed = last.trim_end_matches(['"', '”', '’', '\'', ')', ']']);
    let width = |line: &String| line.chars().count();
    let widest = page.iter().map(width).max().unwrap_or(0);
    closed.ends_with(['.', '!', '?', ':', ';']) || 10 * width(last) < 7 * widest
}

/// Indexes of the first and last [`MARGIN_LINES`] non-blank lines of a page.
fn margin_lines(page: &[String]) -> Vec<usize> {
    let filled: Vec<usize> = (0..page.len())
        .filter(|&i| !page[i].trim().is_empty())
        .collect();
    if filled.len() <= 2 * MARGIN_LINES {
        return filled;
    }
    let mut margins = filled[..MARGIN_LINES].to_vec();
    margins.extend_from_slice(&filled[filled.len() - MARGIN_LINES..]);
    margins
}

/// Removes a line that is only the page's number ("12", "- 12 -", "Page 12 of 40", "iv")
/// from the first or last two lines of the page, and returns the number printed.
fn remove_page_number(page: &mut Vec<String>) -> Option<String> {
    static PAGE_NUMBER: OnceLock<Regex> = OnceLock::new();
    let pattern = PAGE_NUMBER.get_or_init(|| {
        Regex::new(
            r"(?i)^\s*(?:page|p\.|seite|página|pagina)?\s*[-–—(\[]?\s*(\d{1,6}|[ivxlc]{1,6})\s*[-–—)\]]?\s*(?:(?:of|/|de|von)\s*\d{1,4})?\s*$",
        )
        .expect("valid")
    });
    let filled: Vec<usize> = (0..page.len())
        .filter(|&i| !page[i].trim().is_empty())
        .collect();
    // Bottom first: most documents number their pages in the footer.
    let candidates = filled.iter().rev().take(2).chain(filled.iter().take(2));
    for &i in candidates {
        if let Some(captures) = pattern.captures(&page[i]) {
            let number = captures[1].to_string();
            page.remove(i);
            return Some(number);
        }
    }
    None
}

/// A line as it repeats from page to page. A number at either end may change (the page
/// number or date in "Federal Register / Vol. 85 / Proposed Rules 47731"); one inside the
/// line may not, or the headings "Section 7 of ..." opening page after page would go too.
fn margin_key(line: &str) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    let last = words.len().saturating_sub(1);
    let mut key = String::with_capacity(line.len());
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            key.push(' ');
        }
        let at_edge = i == 0 || i == last;
        key.extend(word.chars().map(|c| match c {
            '0'..='9' if at_edge => '#',
            c => c.to_ascii_lowercase(),
        }));
    }
    key
}

/// Removes the lines in the margins of at least half of the pages (three at least): running
/// headers and footers. Returns, for each page, the numbers at either end of the lines
/// removed from it ("47732 Federal Register / ..."), where its printed number may be.
fn remove_repeated_margins(pages: &mut [Vec<String>]) -> Vec<Vec<u64>> {
    const MIN_PAGES: usize = 3;
    let mut numbers = vec![Vec::new(); pages.len()];
    if pages.len() < MIN_PAGES {
        return numbers;
    }
    let mut pages_with: HashMap<String, usize> = HashMap::new();
    for page in pages.iter() {
        let mut keys: Vec<String> = margin_lines(page)
            .into_iter()
            .map(|i| margin_key(&page[i]))
            .collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            *pages_with.entry(key).or_default() += 1;
        }
    }
    let page_count = pages.len();
    let repeated = |key: &str| {
        pages_with
            .get(key)
            .is_some_and(|&n| n >= MIN_PAGES && 2 * n >= page_count)
    };
    for (page, numbers) in pages.iter_mut().zip(&mut numbers) {
        let mut margins = margin_lines(page);
        margins.retain(|&i| repeated(&margin_key(&page[i])));
        for i in margins.into_iter().rev() {
            let line = page.remove(i);
            let words: Vec<&str> = line.split_whitespace().collect();
            let edges = [words.first(), words.last()].into_iter().flatten();
            numbers.extend(
                edges
                    .filter(|w| w.len() <= 6)
                    .filter_map(|w| w.parse::<u64>().ok()),
            );
        }
    }
    numbers
}

/// Pages whose printed number was not found get the number the others run by, when at
/// least half of the pages are numbered at the same distance from their place (a journal
/// that prints the number on the outer corner, which the reading order puts mid-page on
/// every other page).
fn fill_page_numbers(labels: &mut [Option<String>]) {
    let mut offsets: HashMap<i64, usize> = HashMap::new();
    for (i, label) in labels.iter().enumerate() {
        if let Some(number) = label.as_deref().and_then(|l| l.parse::<i64>().ok()) {
            *offsets.entry(number - (i as i64 + 1)).or_default() += 1;
        }
    }
    let Some((offset, pages)) = offsets.into_iter().max_by_key(|&(_, pages)| pages) else {
        return;
    };
    if offset == 0 || pages < 2 || 2 * pages < labels.len() {
        return;
    }
    for (i, label) in labels.iter_mut().enumerate() {
        label.get_or_insert_with(|| (i as i64 + 1 + offset).to_string());
    }
}

/// The printed number of each page among the numbers of its running header or footer: the
/// one that runs with the page, at the same distance from the page's place on at least half
/// of the pages (a journal's page 47731 is the file's page 1, 47732 its page 2).
fn printed_numbers(numbers: &[Vec<u64>]) -> Vec<Option<u64>> {
    let mut offsets: HashMap<i64, usize> = HashMap::new();
    for (i, page) in numbers.iter().enumerate() {
        let mut seen: Vec<i64> = page.iter().map(|&n| n as i64 - (i as i64 + 1)).collect();
        seen.sort_unstable();
        seen.dedup();
        for offset in seen {
            *offsets.entry(offset).or_default() += 1;
        }
    }
    let best = offsets
        .into_iter()
        .filter(|&(_, pages)| pages >= 2 && 2 * pages >= numbers.len())
        .max_by_key(|&(offset, pages)| (pages, -offset.abs()));
    numbers
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let (offset, _) = best?;
            let printed = i as i64 + 1 + offset;
            page.contains(&(printed as u64)).then_some(printed as u64)
        })
        .collect()
}

fn trim_blank_lines(page: &mut Vec<String>) {
    while page.last().is_some_and(|l| l.trim().is_empty()) {
        page.pop();
    }
    let leading = page.iter().take_while(|l| l.trim().is_empty()).count();
    page.drain(..leading);
}

/// "stra-" / "tegic plans" becomes "strategic" / "plans": a line that ends in a lower-case
/// letter and a hyphen, followed by a line that starts with a lower-case letter, was a word
/// broken to justify the line. (A compound broken at its own hyphen, "self-" / "evident",
/// loses it: telling the two apart needs a dictionary, and a search for either half of the
/// compound still finds the joined word's passage by the other terms.)
fn join_hyphenated(pages: &mut [Vec<String>]) {
    let positions: Vec<(usize, usize)> = pages
        .iter()
        .enumerate()
        .flat_map(|(p, page)| (0..page.len()).map(move |l| (p, l)))
        .collect();
    let mut emptied = Vec::new();
    for pair in positions.windows(2) {
        let [(p, l), (next_p, next_l)] = [pair[0], pair[1]];
        let Some(stem) = hyphenated_stem(&pages[p][l]) else {
            continue;
        };
        let rest = pages[next_p][next_l].trim_start();
        if !rest.chars().next().is_some_and(char::is_lowercase) {
            continue;
        }
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (word, after) = rest.split_at(word_end);
        let joined = format!("{stem}{word}");
        let after = after.trim_start().to_string();
        if after.is_empty() {
            emptied.push((next_p, next_l));
        }
        pages[p][l] = joined;
        pages[next_p][next_l] = after;
    }
    // A line that held only the end of a word is gone, not left blank (a blank line would
    // end the paragraph).
    for (p, l) in emptied.into_iter().rev() {
        pages[p].remove(l);
    }
}

/// The line without its final hyphen, when it ends in a letter broken by a hyphen.
fn hyphenated_stem(line: &str) -> Option<&str> {
    let stem = line
        .strip_suffix('-')
        .or_else(|| line.strip_suffix('\u{2010}'))?;
    let before = stem.chars().next_back()?;
    before.is_lowercase().then_some(stem)
}

/// Titles that producers write by themselves: the name of the file they printed, a
/// template's placeholder.
pub fn is_junk_title(title: &str) -> bool {
    static JUNK: OnceLock<Regex> = OnceLock::new();
    let junk = JUNK.get_or_init(|| {
        Regex::new(
            r"(?ix)^(?:
                untitled.* | no\ title | title | document\d* | slide\ \d+ | presentation\d*
                | powerpoint\ presentation | microsoft\ (?:word|powerpoint|excel)\b.*
                | .*\.(?:docx?|odt|rtf|pdf|txt|html?|indd|pptx?|xlsx?|tex|dvi|ps)
            )$",
        )
        .expect("valid")
    });
    let title = title.trim();
    title.chars().filter(|c| c.is_alphabetic()).count() < 3 || junk.is_match(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(pages: &[&str]) -> Vec<String> {
        pages.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn ligatures_are_letters_and_control_characters_go() {
        let pages = split_pages("e\u{fb03}cient \u{fb01}nal\x02 o\u{fb00}er\x0c");
        assert_eq!(pages, vec!["efficient final offer"]);
    }

    #[test]
    fn a_form_feed_separates_pages_only_once_other_controls_are_gone() {
        assert_eq!(split_pages("one\x0ctwo\x0c"), vec!["one", "two"]);
        assert_eq!(
            split_pages("one\x0c\x0cthree\x0c"),
            vec!["one", "", "three"]
        );
    }

    #[test]
    fn a_word_hyphenated_across_lines_is_joined() {
        let extracted = assemble(pages(&["the national stra-\ntegic plan of\nthe state"]));
        assert_eq!(
            extracted.text,
            "the national strategic\nplan of\nthe state\n"
        );
    }

    #[test]
    fn a_hyphen_before_a_capital_or_a_number_stays() {
        let extracted = assemble(pages(&[
            "the Franco-\nGerman treaty of 1963-\n1964 and after",
        ]));
        assert_eq!(
            extracted.text,
            "the Franco-\nGerman treaty of 1963-\n1964 and after\n"
        );
    }

    #[test]
    fn a_word_hyphenated_across_a_page_break_is_joined_on_the_first_page() {
        let extracted = assemble(pages(&["we agree to coop-\n", "erate closely\n"]));
        assert_eq!(extracted.text, "we agree to cooperate\nclosely\n");
        assert_eq!(extracted.pages.unwrap().starts, vec![0, 22]);
    }

    #[test]
    fn a_line_left_empty_by_a_join_does_not_end_the_paragraph() {
        let extracted = assemble(pages(&["the stra-\ntegic\nplan"]));
        assert_eq!(extracted.text, "the strategic\nplan\n");
    }

    #[test]
    fn page_number_lines_are_removed_and_their_numbers_kept_as_labels() {
        let extracted = assemble(pages(&[
            "Cover text\n\n–1–\n",
            "Page 2 of 3\nSecond page text\n",
            "Third page text\n- 7 -\n",
        ]));
        assert_eq!(
            extracted.text,
            "Cover text\nSecond page text\nThird page text\n"
        );
        let pages = extracted.pages.unwrap();
        assert_eq!(pages.labels, vec![None, None, Some("7".to_string())]);
        assert_eq!(pages.label(3), Some("7"));
    }

    #[test]
    fn running_headers_and_footers_repeated_on_pages_are_removed() {
        let page = |n: usize, body: &str| {
            format!(
                "GAO-23-106826 Cybersecurity\n{body}\nPage {n} of 4\nPublished 2023-06-{n:02}\n"
            )
        };
        let extracted = assemble(vec![
            page(1, "The strategy sets objectives"),
            page(2, "for federal agencies"),
            page(3, "and their partners."),
            page(4, "Appendix"),
        ]);
        assert_eq!(
            extracted.text,
            "The strategy sets objectives\nfor federal agencies\nand their partners.\n\nAppendix\n"
        );
    }

    #[test]
    fn headings_that_differ_by_a_number_inside_them_are_not_running_headers() {
        let extracted = assemble(pages(&[
            "Section 1 of the report
one
",
            "Section 2 of the report
two
",
            "Section 3 of the report
three
",
        ]));
        assert_eq!(
            extracted.text,
            "Section 1 of the report\none\n\nSection 2 of the report\ntwo\n\nSection 3 of the report\nthree\n"
        );
    }

    #[test]
    fn the_number_that_runs_with_the_pages_in_a_running_header_is_the_printed_page_number() {
        let page = |n: usize, body: &str| {
            format!("{n} Federal Register / Vol. 85, No. 152 / Proposed Rules\n{body}\n")
        };
        let extracted = assemble(vec![
            page(47731, "The FAA proposes"),
            page(47732, "to adopt a new"),
            page(47733, "airworthiness directive."),
        ]);
        assert_eq!(
            extracted.text,
            "The FAA proposes\nto adopt a new\nairworthiness directive.\n"
        );
        let labels = extracted.pages.unwrap().labels;
        assert_eq!(
            labels,
            [Some("47731"), Some("47732"), Some("47733")].map(|l| l.map(String::from))
        );
    }

    #[test]
    fn a_page_whose_number_was_not_found_is_numbered_like_the_others() {
        let extracted = assemble(pages(&[
            "47698\nfirst\n",
            "second\n",
            "47700\nthird\n",
            "fourth\n",
        ]));
        let labels = extracted.pages.unwrap().labels;
        assert_eq!(
            labels,
            ["47698", "47699", "47700", "47701"].map(|l| Some(l.to_string()))
        );
    }

    #[test]
    fn a_line_in_the_margins_of_two_pages_only_stays() {
        let extracted = assemble(pages(&[
            "Annex\nfirst\n",
            "Annex\nsecond\n",
            "third\n",
            "fourth\n",
            "fifth\n",
        ]));
        assert_eq!(
            extracted.text,
            "Annex\nfirst\nAnnex\nsecond\nthird\nfourth\nfifth\n"
        );
    }

    #[test]
    fn a_page_that_ends_a_sentence_ends_its_paragraph_and_one_that_does_not_runs_on() {
        let extracted = assemble(pages(&["We agree to\n", "cooperate closely.\n", "Annex\n"]));
        assert_eq!(extracted.text, "We agree to\ncooperate closely.\n\nAnnex\n");
        assert_eq!(extracted.pages.unwrap().starts, vec![0, 12, 32]);
    }

    #[test]
    fn pages_without_text_are_listed() {
        let extracted = assemble(pages(&["text\n", " \n", "12\n", "more text\n"]));
        assert_eq!(extracted.pages_without_text, vec![2, 3]);
        assert_eq!(extracted.text, "text\nmore text\n");
        let pages = extracted.pages.unwrap();
        assert_eq!(pages.page_of(5), 4);
        assert_eq!(pages.page_of(0), 1);
    }

    #[test]
    fn titles_producers_write_by_themselves_are_junk() {
        for junk in [
            "Microsoft Word - draft3.docx",
            "untitled",
            "Untitled document",
            "report_final.pdf",
            "Document1",
            "PowerPoint Presentation",
            "  ",
        ] {
            assert!(is_junk_title(junk), "{junk}");
        }
        assert!(!is_junk_title(
            "Cybersecurity: Launching and Implementing the National Cybersecurity Strategy"
        ));
    }
}
