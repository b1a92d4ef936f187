//! Identifier types: document ids and catalog (clause / control) ids, and the one natural
//! order they are listed in ([`natural_cmp`]: `A.2.2` before `A.10.2`, `DOC-2` before `DOC-10`).
//!
//! The comparison is written here rather than taken from a crate (`natord`, `alphanumeric-sort`):
//! it is twenty lines, ids are ASCII, and the tie-break that keeps it consistent with `Eq`
//! (ids that differ only in zeros or case still have a fixed order) is ours to choose.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;

use serde::Serialize;

/// A document's id from its front matter, e.g. `POL-AI-001`. Only `[A-Za-z0-9._-]`. Ordered
/// as its text, like the `str` it is borrowed as; lists shown to readers sort ids with
/// [`natural_cmp`] (`DOC-2` before `DOC-10`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct DocId(String);

impl DocId {
    /// Validates and wraps an id.
    pub fn parse(s: &str) -> Option<DocId> {
        let ok = !s.is_empty()
            && s.len() <= 128
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
            && !s.starts_with('.');
        ok.then(|| DocId(s.to_string()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A map keyed by `DocId` is looked up with the id as written in a reference (`&str`): ids
/// compare, order and hash exactly as their text does.
impl Borrow<str> for DocId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// The identity by which document ids are unique: the id with ASCII letters folded to
/// lowercase, so `POL-1` and `pol-1` are one key (their pages would be one file on a file
/// system that ignores case). Made only from an id, so a comparison cannot forget the folding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocKey(String);

impl DocKey {
    /// The key of an id as written (a front-matter id or a reference).
    pub fn of(id: &str) -> DocKey {
        DocKey(id.to_ascii_lowercase())
    }
}

impl From<&DocId> for DocKey {
    fn from(id: &DocId) -> DocKey {
        DocKey::of(id.as_str())
    }
}

/// The id of an entry of a catalog: a clause (`6.1.2`), an Annex A objective (`A.6`), group
/// (`A.6.2`) or control (`A.6.2.4`), always in canonical dotted form. Ordered naturally
/// ([`natural_cmp`]): `4 < 4.1 < 10 < A.2.2 < A.10.2`, the catalog's own order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct CatalogId(String);

impl CatalogId {
    /// Wraps an id known to be canonical (from the embedded catalog).
    pub(crate) fn new(s: impl Into<String>) -> CatalogId {
        CatalogId(s.into())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CatalogId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Ord for CatalogId {
    fn cmp(&self, other: &Self) -> Ordering {
        natural_cmp(&self.0, &other.0)
    }
}

impl PartialOrd for CatalogId {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Compares two ids in natural order: runs of digits by their number (`2 < 10`), other runs
/// by their characters ignoring ASCII case (`pol-2 < POL-3`). Ids equal in that order
/// (`A-01`, `A-1`; `pol-1`, `POL-1`) are ordered by their bytes, so the result is `Equal`
/// only for equal ids and sorting is deterministic.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) if p.is_ascii_digit() && q.is_ascii_digit() => {
                let (m, rest_x) = split_digits(x);
                let (n, rest_y) = split_digits(y);
                // Without leading zeros, a longer run is a larger number; equal lengths
                // compare digit by digit. No parsing, so no overflow on long runs.
                let (m, n) = (trim_zeros(m), trim_zeros(n));
                let by_number = m.len().cmp(&n.len()).then_with(|| m.cmp(n));
                if by_number != Ordering::Equal {
                    return by_number;
                }
                (x, y) = (rest_x, rest_y);
            }
            (Some(p), Some(q)) => {
                let by_char = p.to_ascii_lowercase().cmp(&q.to_ascii_lowercase());
                if by_char != Ordering::Equal {
                    return by_char;
                }
                (x, y) = (&x[1..], &y[1..]);
            }
        }
    }
}

fn split_digits(s: &[u8]) -> (&[u8], &[u8]) {
    let end = s
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(s.len());
    s.split_at(end)
}

fn trim_zeros(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|&b| b != b'0').unwrap_or(s.len());
    &s[start..]
}

/// Rewrites an id written with hyphens or a lowercase `a` (`a-6-2-4`, `6-1-2`) to canonical
/// dotted form. Returns `None` when the input is already canonical or is not id-shaped.
pub fn canonical_form(input: &str) -> Option<String> {
    let s = input.trim();
    let (prefix, rest) = match s.strip_prefix(['A', 'a']) {
        Some(r) => ("A", r.trim_start_matches(['.', '-'])),
        None => ("", s),
    };
    let parts: Vec<&str> = rest.split(['.', '-']).collect();
    if parts.is_empty()
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let joined = parts.join(".");
    let canonical = if prefix.is_empty() {
        joined
    } else {
        format!("A.{joined}")
    };
    (canonical != s).then_some(canonical)
}

/// Orders dotted ids numerically: `A.2.2 < A.6.1.2 < A.10.2`, `4 < 4.1 < 10`.
pub fn numeric_key(id: &str) -> (bool, Vec<u32>) {
    let annex = id.starts_with('A');
    let nums = id
        .trim_start_matches(['A', '.'])
        .split('.')
        .map(|p| p.parse().unwrap_or(u32::MAX))
        .collect();
    (annex, nums)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_ids() {
        assert!(DocId::parse("POL-AI-001").is_some());
        assert!(DocId::parse("a.b_c-1").is_some());
        assert!(DocId::parse("has space").is_none());
        assert!(DocId::parse("").is_none());
        assert!(DocId::parse("../x").is_none());
    }

    #[test]
    fn doc_keys_ignore_case_and_doc_ids_do_not() {
        let (upper, lower) = (DocId::parse("POL-ai-1"), DocId::parse("pol-AI-1"));
        let (Some(upper), Some(lower)) = (upper, lower) else {
            panic!("both ids are valid");
        };
        assert_ne!(upper, lower);
        assert_eq!(DocKey::from(&upper), DocKey::from(&lower));
        assert_eq!(DocKey::from(&upper), DocKey::of("pol-ai-1"));
        assert_ne!(DocKey::of("POL-1"), DocKey::of("POL-2"));
        let map = std::collections::HashMap::from([(upper, 1)]);
        assert_eq!(map.get("POL-ai-1"), Some(&1));
        assert_eq!(map.get("pol-AI-1"), None);
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(canonical_form("A-6-2-4").as_deref(), Some("A.6.2.4"));
        assert_eq!(canonical_form("a.6.2.4").as_deref(), Some("A.6.2.4"));
        assert_eq!(canonical_form("6-1-2").as_deref(), Some("6.1.2"));
        assert_eq!(canonical_form("A.6.2.4"), None);
        assert_eq!(canonical_form("POL-1"), None);
    }

    #[test]
    fn natural_order_of_catalog_and_document_ids() {
        let mut v = vec![
            "A.10.2", "A.2.2", "A.6.1.2", "10.1", "4", "9.2.1", "A.6.2", "4.1", "A.6.2.10",
            "A.6.2.4",
        ];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            [
                "4", "4.1", "9.2.1", "10.1", "A.2.2", "A.6.1.2", "A.6.2", "A.6.2.4", "A.6.2.10",
                "A.10.2"
            ]
        );
        let mut d = [
            "DOC-10", "doc-3", "DOC-2", "DOC-2a", "DOC-02", "DOC-1.10", "DOC-1.9",
        ];
        d.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            d,
            ["DOC-1.9", "DOC-1.10", "DOC-02", "DOC-2", "DOC-2a", "doc-3", "DOC-10"]
        );
    }

    #[test]
    fn natural_order_is_total_and_agrees_with_equality() {
        let ids = [
            "a", "A", "a1", "a01", "a001", "a1b", "a10", "", "9", "09", "1.2", "1.10",
        ];
        for x in ids {
            for y in ids {
                let o = natural_cmp(x, y);
                assert_eq!(o == Ordering::Equal, x == y, "{x} {y}");
                assert_eq!(o, natural_cmp(y, x).reverse(), "{x} {y}");
                for z in ids {
                    if o != Ordering::Greater && natural_cmp(y, z) != Ordering::Greater {
                        assert_ne!(natural_cmp(x, z), Ordering::Greater, "{x} {y} {z}");
                    }
                }
            }
        }
        // A run of digits longer than any integer type.
        let long = "9".repeat(60);
        assert_eq!(natural_cmp(&long, &format!("1{long}")), Ordering::Less);
    }

    #[test]
    fn numeric_order() {
        let mut v = vec!["A.10.2", "A.2.2", "A.6.1.2", "10.1", "4", "9.2.1"];
        v.sort_by_key(|s| numeric_key(s));
        assert_eq!(v, vec!["4", "9.2.1", "10.1", "A.2.2", "A.6.1.2", "A.10.2"]);
    }
}
