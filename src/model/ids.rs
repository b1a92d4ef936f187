//! Identifier types: document ids and catalog (clause / control) ids.

use std::borrow::Borrow;
use std::fmt;

use serde::Serialize;

/// A document's id from its front matter, e.g. `POL-AI-001`. Only `[A-Za-z0-9._-]`.
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
/// (`A.6.2`) or control (`A.6.2.4`), always in canonical dotted form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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
    fn numeric_order() {
        let mut v = vec!["A.10.2", "A.2.2", "A.6.1.2", "10.1", "4", "9.2.1"];
        v.sort_by_key(|s| numeric_key(s));
        assert_eq!(v, vec!["4", "9.2.1", "10.1", "A.2.2", "A.6.1.2", "A.10.2"]);
    }
}
