//! Typed positions: [`DocIndex`], the place of a document in
//! [`Manual::documents`](super::Manual::documents), [`SectionIndex`], the place of a section in
//! [`Manual::sections`](super::Manual::sections), and [`Per`], one value per document
//! ([`PerDoc`]) or section ([`PerSection`]) indexed by its position.
//!
//! These are a few lines each, so they are written here rather than taken from a crate such as
//! `typed-index-collections`: the stages only need indexing, iteration and a length.

use std::marker::PhantomData;
use std::ops::{Index, IndexMut};

use serde::Serialize;

/// The position of a document in [`Manual::documents`](super::Manual::documents) (sorted by
/// path). Serialises as the bare number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct DocIndex(usize);

impl DocIndex {
    /// The document at position `i`.
    pub const fn new(i: usize) -> DocIndex {
        DocIndex(i)
    }

    /// The position as a number.
    pub const fn index(self) -> usize {
        self.0
    }
}

impl From<usize> for DocIndex {
    fn from(i: usize) -> DocIndex {
        DocIndex(i)
    }
}

impl From<DocIndex> for usize {
    fn from(d: DocIndex) -> usize {
        d.0
    }
}

/// The position of a section in [`Manual::sections`](super::Manual::sections) (sorted by
/// path; 0 is the root). Serialises as the bare number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct SectionIndex(usize);

impl SectionIndex {
    /// The root section (the AIMS folder itself).
    pub const ROOT: SectionIndex = SectionIndex(0);

    /// The section at position `i`.
    pub const fn new(i: usize) -> SectionIndex {
        SectionIndex(i)
    }

    /// The position as a number.
    pub const fn index(self) -> usize {
        self.0
    }
}

impl From<usize> for SectionIndex {
    fn from(i: usize) -> SectionIndex {
        SectionIndex(i)
    }
}

impl From<SectionIndex> for usize {
    fn from(s: SectionIndex) -> usize {
        s.0
    }
}

/// A typed position: [`DocIndex`] or [`SectionIndex`].
pub trait Position: Copy {
    /// The position `i`.
    fn from_position(i: usize) -> Self;
    /// The position as a number.
    fn position(self) -> usize;
}

impl Position for DocIndex {
    fn from_position(i: usize) -> DocIndex {
        DocIndex(i)
    }
    fn position(self) -> usize {
        self.0
    }
}

impl Position for SectionIndex {
    fn from_position(i: usize) -> SectionIndex {
        SectionIndex(i)
    }
    fn position(self) -> usize {
        self.0
    }
}

/// One value per document (or per section) of a manual, indexed by the typed position `I`.
/// Serialises as a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Per<I, T> {
    items: Vec<T>,
    #[serde(skip)]
    index: PhantomData<fn(I) -> I>,
}

/// One value per document, indexed by [`DocIndex`].
pub type PerDoc<T> = Per<DocIndex, T>;

/// One value per section, indexed by [`SectionIndex`].
pub type PerSection<T> = Per<SectionIndex, T>;

impl<I, T> Default for Per<I, T> {
    fn default() -> Per<I, T> {
        Vec::new().into()
    }
}

impl<I: Position, T> Per<I, T> {
    /// `value` for each of `n` items.
    pub fn filled(n: usize, value: T) -> Per<I, T>
    where
        T: Clone,
    {
        vec![value; n].into()
    }

    /// How many items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The value at `ix`, if there is one.
    pub fn get(&self, ix: I) -> Option<&T> {
        self.items.get(ix.position())
    }

    /// The values in order, as a plain slice (for parallel iteration).
    pub fn as_slice(&self) -> &[T] {
        &self.items
    }

    /// The values in order.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    /// The values in order, to change them.
    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.items.iter_mut()
    }

    /// Each position with its value, in order.
    pub fn enumerate(&self) -> impl DoubleEndedIterator<Item = (I, &T)> + ExactSizeIterator {
        self.items
            .iter()
            .enumerate()
            .map(|(i, v)| (I::from_position(i), v))
    }
}

impl<I, T> From<Vec<T>> for Per<I, T> {
    fn from(items: Vec<T>) -> Per<I, T> {
        Per {
            items,
            index: PhantomData,
        }
    }
}

impl<I, T> FromIterator<T> for Per<I, T> {
    fn from_iter<It: IntoIterator<Item = T>>(iter: It) -> Per<I, T> {
        iter.into_iter().collect::<Vec<T>>().into()
    }
}

impl<I: Position, T> Index<I> for Per<I, T> {
    type Output = T;

    fn index(&self, ix: I) -> &T {
        &self.items[ix.position()]
    }
}

impl<I: Position, T> IndexMut<I> for Per<I, T> {
    fn index_mut(&mut self, ix: I) -> &mut T {
        &mut self.items[ix.position()]
    }
}

impl<'a, I, T> IntoIterator for &'a Per<I, T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_serialise_as_bare_numbers_and_per_doc_as_a_list() {
        let per: PerDoc<DocIndex> = vec![DocIndex::new(2), DocIndex::from(0)].into();
        assert_eq!(serde_json::to_string(&per).ok().as_deref(), Some("[2,0]"));
        assert_eq!(
            serde_json::to_string(&SectionIndex::ROOT).ok().as_deref(),
            Some("0")
        );
    }

    #[test]
    fn per_doc_is_indexed_and_enumerated_by_document() {
        let mut per: PerDoc<u8> = PerDoc::filled(3, 0);
        per[DocIndex::new(1)] = 7;
        assert_eq!(per.len(), 3);
        assert_eq!(per.get(DocIndex::new(1)), Some(&7));
        assert_eq!(per.get(DocIndex::new(3)), None);
        let found: Vec<usize> = per
            .enumerate()
            .filter(|(_, v)| **v == 7)
            .map(|(ix, _)| usize::from(ix))
            .collect();
        assert_eq!(found, [1]);
    }
}
