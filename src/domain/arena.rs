//! Domain layer: text stored once per situation. Every event's notes live in one `String`,
//! each followed by a separator, and an event holds only where its text stands (8 bytes)
//! instead of a `String` of its own (24 bytes plus an allocation, a million times).

/// Ends every text in an arena: a control character, which cleaned text never holds, so
/// that no search hit runs from one text into the next.
pub const SEPARATOR: u8 = 0x1e;

/// Where one text stands in an [`Arena`]: byte offset and length. The empty text (the
/// default) stands for "none".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Text {
    start: u32,
    len: u32,
}

impl Text {
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.len == 0
    }

    /// Byte offset of the text in its arena.
    #[must_use]
    pub fn start(self) -> usize {
        self.start as usize
    }

    #[must_use]
    pub fn len(self) -> usize {
        self.len as usize
    }
}

/// Texts one after another, each ended by [`SEPARATOR`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Arena {
    text: String,
}

impl Arena {
    /// Stores `text` and says where it stands; the empty text is not stored. Past 4 GiB of
    /// text (offsets are 32 bits: about 20 million ACLED rows' notes) a text is not kept and
    /// the empty text is returned.
    pub fn push(&mut self, text: &str) -> Text {
        if text.is_empty() {
            return Text::default();
        }
        let (Ok(start), Ok(len)) = (u32::try_from(self.text.len()), u32::try_from(text.len())) else {
            return Text::default();
        };
        if start.checked_add(len).and_then(|end| end.checked_add(1)).is_none() {
            return Text::default();
        }
        self.text.push_str(text);
        self.text.push(char::from(SEPARATOR));
        Text { start, len }
    }

    /// The text at `at`; `""` for the empty text or one from another arena.
    #[must_use]
    pub fn get(&self, at: Text) -> &str {
        self.text.get(at.start()..at.start() + at.len()).unwrap_or("")
    }

    /// Makes room for `bytes` more bytes of text (separators included).
    pub fn reserve(&mut self, bytes: usize) {
        self.text.reserve(bytes);
    }

    /// Every text and separator, in the order they were stored.
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    /// Bytes held, separators included.
    #[must_use]
    pub fn len(&self) -> usize {
        self.text.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_come_back_as_stored_and_the_empty_one_is_not_stored() {
        let mut arena = Arena::default();
        let a = arena.push("Shelling near the ridge");
        let none = arena.push("");
        let b = arena.push("Sarāqib");
        assert_eq!(arena.get(a), "Shelling near the ridge");
        assert_eq!(arena.get(b), "Sarāqib");
        assert!(none.is_empty());
        assert_eq!(arena.get(none), "");
        assert_eq!(arena.len(), "Shelling near the ridge".len() + "Sarāqib".len() + 2);
        assert_eq!(arena.bytes()[a.len()], SEPARATOR);
    }
}
