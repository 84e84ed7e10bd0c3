//! Text from data made safe for the terminal, and folded for searching.

/// Replaces everything that could act on a terminal with visible, harmless characters:
/// C0/C1 controls (ESC included) become control pictures (`␛`), bidi overrides and
/// zero-width characters become `�`, tabs and line breaks become spaces.
#[must_use]
pub fn clean(text: &str) -> String {
    if !text.chars().any(needs_cleaning) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' | '\n' => out.push(' '),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push(' ');
                }
            }
            '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')),
            '\u{7f}' => out.push('\u{2421}'),
            c if needs_cleaning(c) => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn needs_cleaning(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        // zero-width, bidi marks and overrides, line/paragraph separators, BOM
        | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}'
    )
}

/// True when every byte is printable ASCII. Written without an early exit so that the
/// compiler can check many bytes at once: most of any export passes this test.
fn is_printable_ascii(text: &str) -> bool {
    text.bytes().fold(true, |ok, b| ok & (b.wrapping_sub(0x20) < 0x5f))
}

/// True when `clean` would leave the text as it is.
#[must_use]
pub fn is_clean(text: &str) -> bool {
    is_printable_ascii(text) || !text.chars().any(needs_cleaning)
}

/// Cleans a string in place.
pub fn clean_in_place(text: &mut String) {
    // Printable ASCII, by far the common case, needs no look at characters.
    if is_printable_ascii(text) {
        return;
    }
    if text.chars().any(needs_cleaning) {
        *text = clean(text);
    }
}

/// Lower-case and strip diacritics and Arabic vowel marks, so that `saraqib` finds `Saraqib`
/// and `Sarāqib`, and `qalat` finds `Qal'at`.
#[must_use]
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(&mut out, text);
    out
}

/// [`fold`], appending to `out`; plain ASCII (most of any export) takes a fast path.
pub fn fold_into(out: &mut String, text: &str) {
    if text.is_ascii() {
        if memchr::memchr2(b'\'', b'`', text.as_bytes()).is_none() {
            // The common case, in bulk: copy, then lower-case the copy in place.
            let from = out.len();
            out.push_str(text);
            out[from..].make_ascii_lowercase();
        } else {
            out.extend(text.bytes().filter(|&b| b != b'\'' && b != b'`').map(|b| char::from(b.to_ascii_lowercase())));
        }
        return;
    }
    for c in text.chars() {
        match c {
            // Arabic harakat, tatweel
            '\u{064b}'..='\u{065f}' | '\u{0670}' | '\u{0640}' => {}
            '\'' | '\u{2019}' | '\u{2018}' | '`' | '\u{02bf}' | '\u{02be}' => {}
            _ => {
                for lower in c.to_lowercase() {
                    out.push(strip_accent(lower));
                }
            }
        }
    }
}

fn strip_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' | 'ḍ' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' | 'ġ' => 'g',
        'ḥ' | 'ħ' => 'h',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'į' => 'i',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' => 'o',
        'ŕ' | 'ř' => 'r',
        'ś' | 'š' | 'ş' | 'ṣ' => 's',
        'ť' | 'ţ' | 'ṭ' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' | 'ẓ' => 'z',
        'أ' | 'إ' | 'آ' => 'ا',
        'ة' => 'ه',
        'ى' => 'ي',
        other => other,
    }
}

/// Edit distance, for "did you mean" suggestions.
#[must_use]
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb { previous } else { 1 + previous.min(row[j]).min(row[j + 1]) };
            previous = current;
        }
    }
    row[b.len()]
}

/// The candidate nearest to `word`, if it is near enough to be a typo.
#[must_use]
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_visible() {
        assert_eq!(clean("a\u{1b}[31mred"), "a\u{241b}[31mred");
        assert_eq!(clean("osc\u{1b}]52;c;aGk=\u{7}"), "osc\u{241b}]52;c;aGk=\u{2407}");
        assert_eq!(clean("tab\there\r\nnext"), "tab here next");
        assert_eq!(clean("bidi\u{202e}gnp.exe"), "bidi\u{fffd}gnp.exe");
        assert_eq!(clean("nul\u{0}"), "nul\u{2400}");
        assert_eq!(clean("c1\u{9b}2J"), "c1\u{fffd}2J");
        assert_eq!(clean("سراقب"), "سراقب");
    }

    #[test]
    fn folding_ignores_case_and_diacritics() {
        assert_eq!(fold("Sarāqib"), "saraqib");
        assert_eq!(fold("Shelling in SARAQEB"), "shelling in saraqeb");
        // Appending folds only what is appended.
        let mut out = "ABC ".to_string();
        fold_into(&mut out, "DEF");
        fold_into(&mut out, " G'h");
        assert_eq!(out, "ABC def gh");
        assert_eq!(fold("Qal'at Sim'an"), "qalat siman");
        assert_eq!(fold("سَراقِب"), "سراقب");
    }

    #[test]
    fn suggestions_pick_near_misses_only() {
        assert_eq!(nearest("atributed_to", ["attributed_to", "source"]), Some("attributed_to"));
        assert_eq!(nearest("zzz", ["attributed_to", "source"]), None);
    }
}

/// Cuts `text` to at most `width` terminal columns, ending with `…` when cut; wide
/// characters are never split.
#[must_use]
pub fn fit(text: &str, width: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    use unicode_width::UnicodeWidthStr;
    // One pass that stops as soon as the width is exceeded, so a 50 MB field costs no more
    // than a short one. `cut` is where the text must end to leave room for the ellipsis.
    // Measured by grapheme, as the terminal draws them (an emoji and its selector are one).
    let mut used = 0;
    let mut cut = None;
    for (i, g) in text.grapheme_indices(true) {
        let w = g.width();
        if cut.is_none() && used + w > width.saturating_sub(1) {
            cut = Some(i);
        }
        if used + w > width {
            let end = cut.unwrap_or(i);
            return if width == 0 { String::new() } else { format!("{}…", &text[..end]) };
        }
        used += w;
    }
    text.to_string()
}

/// At most `max` characters of `text`, saying how much was left out.
#[must_use]
pub fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}… ({} more bytes not shown)", &text[..end], text.len() - end),
        None => text.to_string(),
    }
}

/// `fit`, then padded with spaces to exactly `width` columns.
#[must_use]
pub fn pad(text: &str, width: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    use unicode_width::UnicodeWidthStr;
    let mut out = fit(text, width);
    let w: usize = out.graphemes(true).map(UnicodeWidthStr::width).sum();
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(w)));
    out
}

#[cfg(test)]
mod fit_tests {
    use super::*;
    use unicode_width::UnicodeWidthStr;

    #[test]
    fn fit_respects_wide_characters() {
        assert_eq!(fit("Saraqeb", 10), "Saraqeb");
        assert_eq!(fit("Saraqeb", 5), "Sara…");
        assert_eq!(fit("漢字漢字", 5), "漢字…");
        assert_eq!(pad("漢字漢字", 5).width(), 5);
        assert_eq!(fit("abc", 0), "");
    }
}

/// An actor's name shortened for a row: the dates of a government's term dropped, and
/// "X Forces of Y" or "Government of Y" written "X (Y)", so "Police Forces of Kenya
/// (2013-2022)" is "Police (Kenya)". Details always show the whole name.
#[must_use]
pub fn short_actor(name: &str) -> String {
    let mut s = name.trim();
    // A trailing "(2013-2022)" or "(2019-)": digits and dashes in brackets.
    if s.ends_with(')')
        && let Some(open) = s.rfind(" (")
    {
        let inner = &s[open + 2..s.len() - 1];
        if inner.chars().any(|c| c.is_ascii_digit())
            && inner.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | '–' | ' '))
        {
            s = &s[..open];
        }
    }
    for joint in [" Forces of ", "Government of "] {
        if let Some(at) = s.find(joint) {
            let head = if joint.starts_with(' ') { &s[..at] } else { "Government" };
            let tail = &s[at + joint.len()..];
            if !tail.is_empty() && !tail.contains('(') && (at == 0 || joint.starts_with(' ')) && !head.is_empty() {
                return format!("{head} ({tail})");
            }
        }
    }
    s.to_string()
}

#[cfg(test)]
mod short_actor_tests {
    use super::short_actor;

    #[test]
    fn actor_names_are_shortened_for_rows() {
        assert_eq!(short_actor("Police Forces of Kenya (2013-2022)"), "Police (Kenya)");
        assert_eq!(short_actor("Military Forces of Veldoria (2019-)"), "Military (Veldoria)");
        assert_eq!(short_actor("Government of Kenya (2013-2022)"), "Government (Kenya)");
        assert_eq!(short_actor("Protesters (Kenya)"), "Protesters (Kenya)");
        assert_eq!(short_actor("Al Shabaab"), "Al Shabaab");
        assert_eq!(short_actor("Friends of the Earth"), "Friends of the Earth");
        assert_eq!(short_actor("Unidentified Armed Group (Kenya)"), "Unidentified Armed Group (Kenya)");
    }
}
