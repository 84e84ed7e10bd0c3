//! Finds where a value sits in JSON text, so that problems found after parsing can still be
//! reported as file:line:column. A small scanner, not a parser: it assumes text that
//! `serde_json` already accepted, and gives up (returns `None`) on anything else.

/// One step of a path into a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// Index just past the string that starts at `i` (which must be a `"`).
fn skip_string(b: &[u8], mut i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Index just past the value that starts at `i`. Iterative, so depth cannot overflow the stack.
fn skip_value(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => skip_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = skip_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                j += 1;
            }
            Some(j)
        }
    }
}

/// Byte offset of the value at `path` inside the value that starts at `start`.
/// For a key, the offset is that of the key itself, which is where a reader looks.
#[must_use]
pub fn locate(text: &str, start: usize, path: &[Seg<'_>]) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = skip_ws(b, start);
    let mut key_at = i;
    for seg in path {
        match *seg {
            Seg::Key(wanted) => {
                if b.get(i) != Some(&b'{') {
                    return None;
                }
                i += 1;
                loop {
                    i = skip_ws(b, i);
                    if b.get(i)? == &b'}' {
                        return None;
                    }
                    let key_start = i;
                    let key_end = skip_string(b, i)?;
                    let key = text.get(key_start + 1..key_end - 1)?;
                    i = skip_ws(b, key_end);
                    if b.get(i)? != &b':' {
                        return None;
                    }
                    i = skip_ws(b, i + 1);
                    if key == wanted {
                        key_at = key_start;
                        break;
                    }
                    i = skip_ws(b, skip_value(b, i)?);
                    if b.get(i) == Some(&b',') {
                        i += 1;
                    }
                }
            }
            Seg::Index(n) => {
                if b.get(i) != Some(&b'[') {
                    return None;
                }
                i += 1;
                for _ in 0..n {
                    i = skip_ws(b, i);
                    if b.get(i)? == &b']' {
                        return None;
                    }
                    i = skip_ws(b, skip_value(b, i)?);
                    if b.get(i) == Some(&b',') {
                        i += 1;
                    }
                }
                i = skip_ws(b, i);
                if b.get(i)? == &b']' {
                    return None;
                }
                key_at = i;
            }
        }
    }
    Some(key_at)
}

/// The first key of the object starting at `start`, if any.
#[must_use]
pub fn first_key(text: &str, start: usize) -> Option<&str> {
    let b = text.as_bytes();
    let i = skip_ws(b, start);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    let key_start = skip_ws(b, i + 1);
    let key_end = skip_string(b, key_start)?;
    text.get(key_start + 1..key_end - 1)
}

/// Line starts of a text, to turn byte offsets into line:column.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    #[must_use]
    pub fn new(text: &str) -> LineIndex {
        let mut index = LineIndex { starts: vec![0] };
        index.add(0, text.as_bytes());
        index
    }

    /// Adds the line breaks of `bytes`, the text's bytes from `base` on (read in chunks).
    pub fn add(&mut self, base: usize, bytes: &[u8]) {
        self.starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| base + i + 1));
    }

    /// The 1-based line a byte offset is on, and where that line starts.
    #[must_use]
    pub fn line_of(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        (line, self.starts[line - 1])
    }

    /// 1-based line and column (in characters) of a byte offset.
    #[must_use]
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let (line, start) = self.line_of(offset);
        let mut end = offset;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let column = text.get(start..end).map_or(1, |s| s.chars().count() + 1);
        (line, column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_keys_and_elements() {
        let text = "{\"a\": 1, \"b\": {\"c\": [10, {\"d\": \"x]\"}, 30]}}";
        let at = locate(text, 0, &[Seg::Key("b"), Seg::Key("c"), Seg::Index(2)]).unwrap();
        assert_eq!(&text[at..at + 2], "30");
        let at = locate(text, 0, &[Seg::Key("b"), Seg::Key("c"), Seg::Index(1), Seg::Key("d")]).unwrap();
        assert_eq!(&text[at..at + 3], "\"d\"");
        assert_eq!(locate(text, 0, &[Seg::Key("zz")]), None);
        assert_eq!(locate(text, 0, &[Seg::Key("b"), Seg::Key("c"), Seg::Index(3)]), None);
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "ab\n\"سراقب\": x";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.position(text, x), (2, 10));
        assert_eq!(index.position(text, 0), (1, 1));
    }
}
