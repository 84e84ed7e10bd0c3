//! Number phrases: digits ("586,000", "1.2 million"), words ("twenty-three", "a dozen"),
//! vague quantities ("dozens", "hundreds of thousands") and the qualifiers in front of them
//! ("at least", "some", "nearly", "up to", "between 10 and 15"), read as a [`Count`].

use crate::domain::model::{Count, Qualifier};
use crate::ingest::extract::text::Word;

/// A number phrase found at some word: the words it covers and what it says.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberPhrase {
    /// First word (the qualifier's, when there is one).
    pub first: usize,
    /// One past the last word.
    pub end: usize,
    pub count: Count,
    /// True for words like "dozens" or "several" that name no number.
    pub vague: bool,
}

const UNITS: &[(&str, u64)] = &[
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
];

const TENS: &[(&str, u64)] = &[
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

const SCALES: &[(&str, u64)] =
    &[("hundred", 100), ("thousand", 1_000), ("million", 1_000_000), ("billion", 1_000_000_000)];

/// Vague words: (words, best, qualifier). ACLED's reading for "tens", "dozens", "hundreds";
/// the others keep their words with a modest best and an `unknown` qualifier.
const VAGUE: &[(&[&str], u64, Qualifier)] = &[
    (&["hundreds", "of", "thousands"], 100_000, Qualifier::AtLeast),
    (&["tens", "of", "thousands"], 10_000, Qualifier::AtLeast),
    (&["thousands"], 1_000, Qualifier::AtLeast),
    (&["millions"], 1_000_000, Qualifier::AtLeast),
    (&["hundreds"], 100, Qualifier::AtLeast),
    (&["dozens"], 12, Qualifier::AtLeast),
    (&["tens"], 10, Qualifier::AtLeast),
    (&["scores"], 20, Qualifier::Unknown),
    (&["several"], 3, Qualifier::Unknown),
    (&["a", "handful"], 3, Qualifier::Unknown),
    (&["a", "few"], 2, Qualifier::Unknown),
];

/// Qualifiers before a number: (words, qualifier, whether the number is also a ceiling).
const QUALIFIERS: &[(&[&str], Qualifier, bool)] = &[
    (&["at", "least"], Qualifier::AtLeast, false),
    (&["more", "than"], Qualifier::AtLeast, false),
    (&["over"], Qualifier::AtLeast, false),
    (&["upwards", "of"], Qualifier::AtLeast, false),
    (&["no", "fewer", "than"], Qualifier::AtLeast, false),
    (&["no", "less", "than"], Qualifier::AtLeast, false),
    (&["in", "excess", "of"], Qualifier::AtLeast, false),
    (&["a", "minimum", "of"], Qualifier::AtLeast, false),
    (&["about"], Qualifier::Approximately, false),
    (&["around"], Qualifier::Approximately, false),
    (&["some"], Qualifier::Approximately, false),
    (&["roughly"], Qualifier::Approximately, false),
    (&["approximately"], Qualifier::Approximately, false),
    (&["an", "estimated"], Qualifier::Approximately, false),
    (&["estimated"], Qualifier::Approximately, false),
    (&["an", "approximate"], Qualifier::Approximately, false),
    (&["nearly"], Qualifier::Approximately, true),
    (&["almost"], Qualifier::Approximately, true),
    (&["close", "to"], Qualifier::Approximately, true),
    (&["just", "under"], Qualifier::Approximately, true),
    (&["up", "to"], Qualifier::AtMost, false),
    (&["at", "most"], Qualifier::AtMost, false),
    (&["as", "many", "as"], Qualifier::AtMost, false),
];

fn starts_with(words: &[Word], at: usize, phrase: &[&str]) -> bool {
    phrase.iter().enumerate().all(|(k, w)| words.get(at + k).is_some_and(|word| word.lower == *w))
}

fn word_value(w: &str) -> Option<u64> {
    UNITS.iter().chain(TENS).find(|(name, _)| *name == w).map(|&(_, v)| v).or_else(|| {
        // "twenty-three"
        let (tens, unit) = w.split_once('-')?;
        let t = TENS.iter().find(|(n, _)| *n == tens)?.1;
        let u = UNITS.iter().find(|(n, v)| *n == unit && (1..10).contains(v))?.1;
        Some(t + u)
    })
}

fn digits_value(w: &str) -> Option<(u64, bool)> {
    // Digits with thousands separators, or a decimal ("1.5" before "million").
    let bytes = w.as_bytes();
    if bytes.is_empty() || !bytes[0].is_ascii_digit() {
        return None;
    }
    if w.contains(',') {
        let groups: Vec<&str> = w.split(',').collect();
        if groups[1..].iter().any(|g| g.len() != 3) || groups[0].len() > 3 {
            return None;
        }
        let joined: String = groups.concat();
        return joined.parse().ok().map(|v| (v, false));
    }
    if let Some((whole, frac)) = w.split_once('.') {
        let whole: u64 = whole.parse().ok()?;
        let frac_digits = frac.len().min(3);
        let frac: u64 = frac[..frac_digits].parse().ok()?;
        // Kept as thousandths; only meaningful before a scale word.
        return Some((whole * 1000 + frac * 10u64.pow(3 - frac_digits as u32), true));
    }
    if w.bytes().all(|b| b.is_ascii_digit()) && w.len() <= 12 {
        return w.parse().ok().map(|v| (v, false));
    }
    None
}

/// Every word that can begin or end a number phrase's figure (digits aside): unit and tens
/// words, scales, "dozen" and the vague words. A text holding none of them and no digit
/// holds no number phrase: the notes reader's prefilter looks for these.
pub fn number_words() -> impl Iterator<Item = &'static str> {
    UNITS
        .iter()
        .chain(TENS)
        .chain(SCALES)
        .map(|&(w, _)| w)
        .chain(std::iter::once("dozen"))
        .chain(VAGUE.iter().flat_map(|(phrase, _, _)| phrase.iter().copied()).filter(|w| !matches!(*w, "a" | "of")))
}

/// Every word of the qualifiers that may come before a number ("at least", "up to").
pub fn qualifier_words() -> impl Iterator<Item = &'static str> {
    QUALIFIERS.iter().flat_map(|(phrase, _, _)| phrase.iter().copied())
}

/// A bare number at `at` (no qualifier): its value and one past its last word.
fn bare(words: &[Word], at: usize) -> Option<(u64, usize)> {
    let w = &words.get(at)?.lower;
    let scale_at = |k: usize| SCALES.iter().find(|(n, _)| words.get(k).is_some_and(|x| x.lower == *n)).map(|&(_, v)| v);
    if let Some((value, decimal)) = digits_value(w) {
        if let Some(scale) = scale_at(at + 1).filter(|&s| s >= 1000) {
            let v = if decimal { value * scale / 1000 } else { value.saturating_mul(scale) };
            return Some((v, at + 2));
        }
        if decimal {
            return None;
        }
        return Some((value, at + 1));
    }
    // "a dozen", "two dozen", "a hundred", "one hundred and fifty"
    let (mut value, mut next, mut scaled) = if w == "a" || w == "an" {
        if words.get(at + 1).is_some_and(|x| x.is("dozen")) {
            return Some((12, at + 2));
        }
        (scale_at(at + 1)?, at + 2, true)
    } else {
        (word_value(w)?, at + 1, false)
    };
    if words.get(next).is_some_and(|x| x.is("dozen")) {
        return Some((value * 12, next + 1));
    }
    while let Some(scale) = scale_at(next) {
        value = value.saturating_mul(scale);
        next += 1;
        scaled = true;
    }
    if scaled {
        let and = usize::from(words.get(next).is_some_and(|x| x.is("and")));
        if let Some(rest) = words.get(next + and).and_then(|x| word_value(&x.lower)) {
            value += rest;
            next += and + 1;
        }
    }
    Some((value, next))
}

/// The number phrase that starts at word `at`, if any.
#[must_use]
pub fn number_at(words: &[Word], at: usize) -> Option<NumberPhrase> {
    // A qualifier, then the number.
    let (qualifier, ceiling, number_at) = QUALIFIERS
        .iter()
        .find(|(phrase, _, _)| starts_with(words, at, phrase))
        .map_or((Qualifier::Exact, false, at), |&(phrase, q, ceiling)| (q, ceiling, at + phrase.len()));
    // "between 10 and 15"
    if words.get(at).is_some_and(|w| w.is("between"))
        && let Some((low, after)) = bare(words, at + 1)
        && words.get(after).is_some_and(|w| w.is("and"))
        && let Some((high, end)) = bare(words, after + 1)
        && high >= low
    {
        let count =
            Count { best: low, low: Some(low), high: Some(high), qualifier: Qualifier::Approximately, raw: None };
        return Some(NumberPhrase { first: at, end, count, vague: false });
    }
    if let Some(&(phrase, best, q)) = VAGUE.iter().find(|(phrase, _, _)| starts_with(words, number_at, phrase)) {
        // "hundreds of thousands of people" — but not "thousands of them" ruled out elsewhere.
        let q = if qualifier == Qualifier::Exact { q } else { qualifier.max_vague(q) };
        let count = Count { best, low: None, high: None, qualifier: q, raw: None };
        return Some(NumberPhrase { first: at, end: number_at + phrase.len(), count, vague: true });
    }
    let (value, mut end) = bare(words, number_at)?;
    // "10 to 15", "10-15" (the tokenizer keeps "10-15" as one word only for letters).
    if qualifier == Qualifier::Exact
        && words.get(end).is_some_and(|w| w.is("to") || w.is("or"))
        && let Some((high, after)) = bare(words, end + 1)
        && high > value
        && high <= value.saturating_mul(10)
    {
        end = after;
        let count =
            Count { best: value, low: Some(value), high: Some(high), qualifier: Qualifier::Approximately, raw: None };
        return Some(NumberPhrase { first: at, end, count, vague: false });
    }
    let count = Count { best: value, low: None, high: ceiling.then_some(value), qualifier, raw: None };
    Some(NumberPhrase { first: at, end, count, vague: false })
}

trait VagueQualifier {
    fn max_vague(self, other: Qualifier) -> Qualifier;
}

impl VagueQualifier for Qualifier {
    /// "at least dozens" stays a floor; "some hundreds" is approximate.
    fn max_vague(self, other: Qualifier) -> Qualifier {
        match self {
            Qualifier::AtLeast => Qualifier::AtLeast,
            _ => other,
        }
    }
}

/// True for a number that is a year ("in 2018"), not a count.
#[must_use]
pub fn is_year(word: &Word) -> bool {
    word.lower.len() == 4
        && word.lower.bytes().all(|b| b.is_ascii_digit())
        && (1900..=2100).contains(&word.lower.parse::<u32>().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::extract::text::words;

    type Read = (u64, Option<u64>, Option<u64>, Qualifier, usize);

    fn read(text: &str) -> Option<Read> {
        let ws = words(text, 0, text.len());
        number_at(&ws, 0).map(|n| (n.count.best, n.count.low, n.count.high, n.count.qualifier, n.end))
    }

    #[test]
    fn numbers_in_digits_and_words() {
        assert_eq!(read("586,000 people"), Some((586_000, None, None, Qualifier::Exact, 1)));
        assert_eq!(read("1.2 million people"), Some((1_200_000, None, None, Qualifier::Exact, 2)));
        assert_eq!(read("twenty-three soldiers"), Some((23, None, None, Qualifier::Exact, 1)));
        assert_eq!(read("a dozen"), Some((12, None, None, Qualifier::Exact, 2)));
        assert_eq!(read("one hundred and fifty"), Some((150, None, None, Qualifier::Exact, 4)));
        assert_eq!(read("two thousand"), Some((2000, None, None, Qualifier::Exact, 2)));
    }

    #[test]
    fn qualifiers_ranges_and_vague_words() {
        assert_eq!(read("at least 10"), Some((10, None, None, Qualifier::AtLeast, 3)));
        assert_eq!(read("nearly 150"), Some((150, None, Some(150), Qualifier::Approximately, 2)));
        assert_eq!(read("some 586,000"), Some((586_000, None, None, Qualifier::Approximately, 2)));
        assert_eq!(read("up to 40"), Some((40, None, None, Qualifier::AtMost, 3)));
        assert_eq!(read("between 10 and 15"), Some((10, Some(10), Some(15), Qualifier::Approximately, 4)));
        assert_eq!(read("dozens"), Some((12, None, None, Qualifier::AtLeast, 1)));
        assert_eq!(read("hundreds of thousands"), Some((100_000, None, None, Qualifier::AtLeast, 3)));
        assert_eq!(read("scores"), Some((20, None, None, Qualifier::Unknown, 1)));
        assert_eq!(read("the people"), None);
    }
}
