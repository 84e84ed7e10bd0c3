//! Domain layer: a place's id as events hold it, a `u32` handle into one table of the ids
//! seen in this process. A million events at a few thousand places then hold four bytes
//! each for their place instead of a pointer and a length (and no count to keep), two ids
//! are the same place when their handles are, and a map by place hashes a number.
//!
//! The table only grows: each distinct id is kept once, for the life of the process (a few
//! thousand places are a few hundred kilobytes). Reading an id back takes no lock: the
//! table is a row of slabs, each twice the one before, filled once and never moved.

use std::fmt;
use std::sync::{LazyLock, Mutex, OnceLock};

use rustc_hash::FxHashMap;

/// A place's id, interned. It reads as the `&str` it was made from (`Deref`, `Display`);
/// ordering is by that text, equality and hashing by the handle.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PlaceId(u32);

/// The first slab's length; slab `k` holds `FIRST << k` ids.
const FIRST: usize = 64;
/// Enough slabs for every `u32` handle.
const SLABS: usize = 27;

type Slab = Box<[OnceLock<&'static str>]>;

/// The ids by handle, slab by slab.
static SLABS_BY_HANDLE: [OnceLock<Slab>; SLABS] = [const { OnceLock::new() }; SLABS];
/// The handles by id; also the one lock that new ids are added under.
static BY_TEXT: LazyLock<Mutex<FxHashMap<&'static str, u32>>> = LazyLock::new(Mutex::default);

/// The slab and the position in it of a handle.
fn slot(handle: u32) -> (usize, usize) {
    let j = handle as usize + FIRST;
    let slab = (usize::BITS - 1 - j.leading_zeros()) as usize - FIRST.trailing_zeros() as usize;
    (slab, j - (FIRST << slab))
}

impl PlaceId {
    /// The handle of `id`, added to the table when it is new.
    #[must_use]
    pub fn of(id: &str) -> PlaceId {
        let mut by_text = BY_TEXT.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(&handle) = by_text.get(id) {
            return PlaceId(handle);
        }
        let handle = u32::try_from(by_text.len()).expect("fewer than 2^32 distinct place ids");
        let text: &'static str = Box::leak(id.into());
        let (slab, at) = slot(handle);
        let slab = SLABS_BY_HANDLE[slab].get_or_init(|| (0..FIRST << slab).map(|_| OnceLock::new()).collect());
        // The lock is held: no one else fills this slot.
        let _ = slab[at].set(text);
        by_text.insert(text, handle);
        PlaceId(handle)
    }

    /// The id as text.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        let (slab, at) = slot(self.0);
        // A handle is only made once its slot is filled.
        SLABS_BY_HANDLE[slab].get().and_then(|s| s[at].get()).copied().unwrap_or_default()
    }

    /// The handle as a number (stable within this process only).
    #[must_use]
    pub fn handle(self) -> u32 {
        self.0
    }
}

impl Default for PlaceId {
    fn default() -> PlaceId {
        PlaceId::of("")
    }
}

impl std::ops::Deref for PlaceId {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for PlaceId {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for PlaceId {
    fn from(id: &str) -> PlaceId {
        PlaceId::of(id)
    }
}

impl From<String> for PlaceId {
    fn from(id: String) -> PlaceId {
        PlaceId::of(&id)
    }
}

impl From<&String> for PlaceId {
    fn from(id: &String) -> PlaceId {
        PlaceId::of(id)
    }
}

impl PartialOrd for PlaceId {
    fn partial_cmp(&self, other: &PlaceId) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PlaceId {
    fn cmp(&self, other: &PlaceId) -> std::cmp::Ordering {
        if self.0 == other.0 { std::cmp::Ordering::Equal } else { self.as_str().cmp(other.as_str()) }
    }
}

impl PartialEq<str> for PlaceId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for PlaceId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for PlaceId {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl fmt::Debug for PlaceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for PlaceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for PlaceId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for PlaceId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<PlaceId, D::Error> {
        let id = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Ok(PlaceId::of(&id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_cover_the_handles_without_overlap() {
        assert_eq!(slot(0), (0, 0));
        assert_eq!(slot(63), (0, 63));
        assert_eq!(slot(64), (1, 0));
        assert_eq!(slot(191), (1, 127));
        assert_eq!(slot(192), (2, 0));
        let (slab, at) = slot(u32::MAX);
        assert!(slab < SLABS);
        assert!(at < FIRST << slab);
    }

    #[test]
    fn one_id_one_handle_and_back() {
        let a = PlaceId::of("place-id-test-saraqib");
        let b = PlaceId::from("place-id-test-saraqib".to_string());
        let c = PlaceId::of("place-id-test-taftanaz");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.handle(), b.handle());
        assert_eq!(&*a, "place-id-test-saraqib");
        assert_eq!(c.to_string(), "place-id-test-taftanaz");
        assert!(a < c, "ordered by text");
        assert_eq!(format!("{a:?}"), "\"place-id-test-saraqib\"");
    }

    #[test]
    fn ids_made_on_many_threads_agree() {
        let handles: Vec<Vec<PlaceId>> = std::thread::scope(|s| {
            let workers: Vec<_> = (0..4)
                .map(|_| s.spawn(|| (0..500).map(|i| PlaceId::of(&format!("place-id-test-{i}"))).collect()))
                .collect();
            workers.into_iter().map(|w| w.join().expect("worker")).collect()
        });
        for list in &handles[1..] {
            assert_eq!(list, &handles[0]);
        }
        for (i, id) in handles[0].iter().enumerate() {
            assert_eq!(id.as_str(), format!("place-id-test-{i}"));
        }
    }
}
