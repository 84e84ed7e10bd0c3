//! Sentences and words of an article, with byte offsets into its cleaned text, in one pass
//! over the bytes (time linear in the text's length, whatever the text).

/// Replaces control and invisible characters one for one with spaces (line feeds stay, as
/// they end paragraphs), so that character positions in the cleaned text are those of the
/// original and a claim's span points at the same words in both.
#[must_use]
pub fn clean_article(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' => '\n',
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => ' ',
            '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}' => ' ',
            // Typographic quotes and dashes read as their plain forms; one char for one.
            '\u{2019}' | '\u{2018}' | '\u{2032}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            '\u{a0}' => ' ',
            c => c,
        })
        .collect()
}

/// One sentence: a byte range of the article's cleaned text.
#[derive(Debug, Clone, Copy)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
}

/// A sentence longer than this is cut at the next space, so that nothing downstream ever
/// works on an unbounded run of text.
const MAX_SENTENCE: usize = 1200;

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "col", "lt", "sgt", "capt", "maj", "brig", "cpl", "pte", "st", "no", "vs", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "prof", "rev", "gov", "sen", "rep",
    "approx", "est", "etc", "al", "u.s", "u.n", "u.k", "e.g", "i.e",
];

fn is_abbreviation(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    // Past the whole character that ends the word's left side: it may be wider than a byte.
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '.'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    // A single capital letter is an initial ("J. Smith").
    if word.len() == 1 && word.as_bytes()[0].is_ascii_uppercase() {
        return true;
    }
    let lower = word.to_ascii_lowercase();
    ABBREVIATIONS.contains(&lower.as_str()) || (lower.contains('.') && lower.len() <= 5)
}

/// Splits the text into sentences: at line breaks, and after `.`, `!` or `?` (and any closing
/// quote) followed by a space and what can start a sentence.
#[must_use]
pub fn sentences(text: &str) -> Vec<Sentence> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let push = |out: &mut Vec<Sentence>, s: usize, e: usize| {
        let slice = &text[s..e];
        let lead = slice.len() - slice.trim_start().len();
        let trail = slice.len() - slice.trim_end().len();
        if s + lead < e - trail {
            out.push(Sentence { start: s + lead, end: e - trail });
        }
    };
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            push(&mut out, start, i);
            start = i + 1;
        } else if matches!(b, b'.' | b'!' | b'?') && !(b == b'.' && is_abbreviation(text, i)) {
            let mut j = i + 1;
            while j < bytes.len() && matches!(bytes[j], b'"' | b'\'' | b')') {
                j += 1;
            }
            if j >= bytes.len() {
                push(&mut out, start, j);
                start = j;
                i = j;
                continue;
            }
            if bytes[j] == b' ' {
                let mut k = j;
                while k < bytes.len() && bytes[k] == b' ' {
                    k += 1;
                }
                let next = text[k..].chars().next();
                if next.is_none_or(|c| c.is_uppercase() || c.is_numeric() || c == '"' || c == '\'' || !c.is_ascii()) {
                    push(&mut out, start, j);
                    start = j;
                    i = j;
                    continue;
                }
            }
        } else if i - start > MAX_SENTENCE && b == b' ' {
            push(&mut out, start, i);
            start = i + 1;
        }
        i += 1;
    }
    push(&mut out, start, bytes.len());
    out
}

/// One word of a sentence: its byte range in the article and its lower-case text.
#[derive(Debug, Clone)]
pub struct Word {
    pub start: usize,
    pub end: usize,
    pub lower: String,
    /// True when it starts with a capital letter (or a letter of a script without case).
    pub capital: bool,
}

impl Word {
    pub fn is(&self, w: &str) -> bool {
        self.lower == w
    }
}

/// The words of `text[start..end]`: runs of letters and digits, joined across a hyphen or an
/// apostrophe between letters, and across `,` or `.` between digits ("586,000", "1.5").
/// A possessive `'s` is a word of its own.
#[must_use]
pub fn words(text: &str, start: usize, end: usize) -> Vec<Word> {
    let slice = &text[start..end];
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = slice.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (from, c) = chars[i];
        if !c.is_alphanumeric() {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() {
            let (_, d) = chars[j];
            if d.is_alphanumeric() {
                j += 1;
                continue;
            }
            let next = chars.get(j + 1).map(|&(_, n)| n);
            let prev = chars[j - 1].1;
            let joins = match d {
                '-' => next.is_some_and(char::is_alphanumeric),
                '\'' => {
                    // "Qal'at" joins; "Turkey's" splits off the possessive.
                    let possessive = next == Some('s') && chars.get(j + 2).is_none_or(|&(_, n)| !n.is_alphanumeric());
                    !possessive && prev.is_alphabetic() && next.is_some_and(char::is_alphabetic)
                }
                ',' | '.' => prev.is_ascii_digit() && next.is_some_and(|n| n.is_ascii_digit()),
                _ => false,
            };
            if joins {
                j += 2;
            } else {
                break;
            }
        }
        let to = chars.get(j).map_or(slice.len(), |&(b, _)| b);
        let word = &slice[from..to];
        out.push(Word {
            start: start + from,
            end: start + to,
            lower: word.to_lowercase(),
            capital: c.is_uppercase() || (c.is_alphabetic() && !c.is_lowercase() && !c.is_ascii()),
        });
        // The possessive.
        if chars.get(j).is_some_and(|&(_, d)| d == '\'') && chars.get(j + 1).is_some_and(|&(_, n)| n == 's') {
            let (b, _) = chars[j];
            out.push(Word { start: start + b, end: start + b + 2, lower: "'s".to_string(), capital: false });
            j += 2;
        }
        i = j;
    }
    out
}

/// Character offsets of byte offsets, for spans: walks the text once, for offsets given in
/// increasing order or not (it restarts from the nearest known point).
pub struct CharCounter<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharCounter<'a> {
    #[must_use]
    pub fn new(text: &'a str) -> CharCounter<'a> {
        CharCounter { text, byte: 0, chars: 0 }
    }

    /// The character offset of byte offset `at` (a char boundary).
    pub fn chars_at(&mut self, at: usize) -> usize {
        let at = at.min(self.text.len());
        // Walk from where the last offset was, forwards or back: offsets come close together.
        if at < self.byte {
            self.chars -= self.text[at..self.byte].chars().count();
        } else {
            self.chars += self.text[self.byte..at].chars().count();
        }
        self.byte = at;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_on_stops_not_on_abbreviations() {
        let text = "Gen. Ali said it. Then 5 were hurt! Mr. X left.\nHeadline line";
        let got: Vec<&str> = sentences(text).iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(got, ["Gen. Ali said it.", "Then 5 were hurt!", "Mr. X left.", "Headline line"]);
    }

    #[test]
    fn words_keep_numbers_and_split_possessives() {
        let text = "Turkey's 586,000 al-Numan Qal'at 1.5 end.";
        let got: Vec<String> = words(text, 0, text.len()).into_iter().map(|w| w.lower).collect();
        assert_eq!(got, ["turkey", "'s", "586,000", "al-numan", "qal'at", "1.5", "end"]);
    }

    #[test]
    fn cleaning_keeps_character_positions() {
        let text = "a\u{1b}[31mb\tc\r\nd\u{2019}s";
        let clean = clean_article(text);
        assert_eq!(clean.chars().count(), text.chars().count());
        assert!(!clean.contains('\u{1b}'));
    }
}
