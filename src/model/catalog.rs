//! The built-in ISO/IEC 42001:2023 catalog: clauses 4–10 and Annex A, plus the documented
//! information the standard requires and the evidence each Annex A control's implementation
//! produces. Embedded from `catalogs/iso42001/`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::ids::{canonical_form, CatalogId};

const CATALOG_YAML: &str = include_str!("../../catalogs/iso42001/catalog.yaml");
const MANDATORY_YAML: &str = include_str!("../../catalogs/iso42001/mandatory-documents.yaml");

/// What kind of catalog entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// A clause of the management-system requirements (4–10).
    Clause,
    /// An Annex A control objective (`A.2` … `A.10`).
    Objective,
    /// A group of controls within an objective (`A.6.1`, `A.6.2`).
    Group,
    /// An Annex A control.
    Control,
}

/// One clause, objective, group or control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Canonical id.
    pub id: CatalogId,
    /// Kind.
    pub kind: EntryKind,
    /// Parent id (clause parent, or objective/group of a control).
    pub parent: Option<CatalogId>,
    /// The standard's heading.
    pub title: String,
    /// Our own-words summary.
    pub summary: String,
}

/// One item of documented information the clauses require.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequiredItem {
    /// Stable key, e.g. `ai-policy`.
    pub id: String,
    /// The clause that requires it.
    pub clause: String,
    /// Short title.
    pub title: String,
    /// `document` or `record`.
    pub kind: String,
    /// Our note.
    pub note: String,
}

impl RequiredItem {
    /// Whether the item is a record (evidence of what was done), which only a document of
    /// type `record` or `register` can provide, rather than a document describing how.
    pub fn is_record(&self) -> bool {
        self.kind == "record"
    }
}

/// What implementing one Annex A control produces: the evidence an auditor asks to see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlEvidence {
    /// The control's canonical id.
    pub control: String,
    /// The documents or records it produces, in words.
    pub produces: String,
}

/// A framework catalog with lookups by id.
#[derive(Debug)]
pub struct Catalog {
    /// Framework id, e.g. `iso42001`.
    pub framework: String,
    /// Framework display name.
    pub name: String,
    /// Entries in document order.
    pub entries: Vec<Entry>,
    /// Required documented information.
    pub required: Vec<RequiredItem>,
    /// The evidence implementing each control produces (not every control has an entry).
    pub evidence: Vec<ControlEvidence>,
    by_id: HashMap<String, usize>,
}

#[derive(Deserialize)]
struct RawCatalog {
    framework: RawFramework,
    entries: Vec<RawEntry>,
}

#[derive(Deserialize)]
struct RawFramework {
    id: String,
    name: String,
}

#[derive(Deserialize)]
struct RawEntry {
    id: String,
    kind: EntryKind,
    parent: Option<String>,
    title: String,
    summary: String,
}

#[derive(Deserialize)]
struct RawMandatory {
    documents: Vec<RequiredItem>,
    #[serde(default)]
    annex_a_documentation: Vec<ControlEvidence>,
}

/// What an id written in a document refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// Found as written.
    Found(&'a Entry),
    /// Found after rewriting to canonical form (warn about the spelling).
    NonCanonical(&'a Entry, String),
    /// Not in the catalog.
    Unknown,
}

impl Catalog {
    /// The embedded ISO/IEC 42001:2023 catalog.
    pub fn iso42001() -> Catalog {
        // The embedded data is part of the binary and covered by tests; failing to parse it
        // is a build defect, not a user error.
        let raw: RawCatalog =
            serde_yaml::from_str(CATALOG_YAML).expect("embedded catalog.yaml is valid");
        let mandatory: RawMandatory = serde_yaml::from_str(MANDATORY_YAML)
            .expect("embedded mandatory-documents.yaml is valid");
        let entries: Vec<Entry> = raw
            .entries
            .into_iter()
            .map(|e| Entry {
                id: CatalogId::new(e.id),
                kind: e.kind,
                parent: e.parent.map(CatalogId::new),
                title: e.title,
                summary: e.summary,
            })
            .collect();
        let by_id = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str().to_string(), i))
            .collect();
        Catalog {
            framework: raw.framework.id,
            name: raw.framework.name,
            entries,
            required: mandatory.documents,
            evidence: mandatory.annex_a_documentation,
            by_id,
        }
    }

    /// The entry with exactly this canonical id.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// What implementing the control `id` produces, when the reference data names it.
    pub fn evidence_of(&self, id: &str) -> Option<&str> {
        self.evidence
            .iter()
            .find(|e| e.control == id)
            .map(|e| e.produces.as_str())
    }

    /// Looks up an id as a user wrote it, accepting the hyphenated form.
    pub fn lookup(&self, written: &str) -> Lookup<'_> {
        if let Some(e) = self.get(written) {
            return Lookup::Found(e);
        }
        match canonical_form(written) {
            Some(c) => match self.get(&c) {
                Some(e) => Lookup::NonCanonical(e, c),
                None => Lookup::Unknown,
            },
            None => Lookup::Unknown,
        }
    }

    /// Entries of one kind, in document order.
    pub fn of_kind(&self, kind: EntryKind) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(move |e| e.kind == kind)
    }

    /// The 38 Annex A controls.
    pub fn controls(&self) -> impl Iterator<Item = &Entry> {
        self.of_kind(EntryKind::Control)
    }

    /// All clauses 4–10, every level.
    pub fn clauses(&self) -> impl Iterator<Item = &Entry> {
        self.of_kind(EntryKind::Clause)
    }

    /// Direct children of an entry.
    pub fn children<'a>(&'a self, id: &'a CatalogId) -> impl Iterator<Item = &'a Entry> + 'a {
        self.entries
            .iter()
            .filter(move |e| e.parent.as_ref() == Some(id))
    }

    /// The objective a control (or group) belongs to.
    pub fn objective_of(&self, e: &Entry) -> Option<&Entry> {
        let mut cur = e;
        while let Some(p) = cur.parent.as_ref().and_then(|p| self.get(p.as_str())) {
            if p.kind == EntryKind::Objective {
                return Some(p);
            }
            cur = p;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalog_has_the_standard_shape() {
        let c = Catalog::iso42001();
        assert_eq!(c.controls().count(), 38);
        assert_eq!(c.of_kind(EntryKind::Objective).count(), 9);
        assert_eq!(c.of_kind(EntryKind::Group).count(), 2);
        assert_eq!(c.clauses().count(), 43);
        assert_eq!(c.required.len(), 21);
        assert_eq!(c.evidence.len(), 35);
        for e in &c.evidence {
            assert_eq!(
                c.get(&e.control).map(|x| x.kind),
                Some(EntryKind::Control),
                "{} names a control",
                e.control
            );
        }
        assert!(c
            .evidence_of("A.6.2.8")
            .is_some_and(|p| p.contains("event logs")));
        assert_eq!(c.evidence_of("A.10.4"), None);
        assert_eq!(c.required.iter().filter(|r| r.is_record()).count(), 12);
        let a624 = c.get("A.6.2.4").unwrap();
        assert_eq!(c.objective_of(a624).unwrap().id.as_str(), "A.6");
    }

    #[test]
    fn lookup_accepts_hyphenated_ids() {
        let c = Catalog::iso42001();
        assert!(matches!(c.lookup("A.6.2.4"), Lookup::Found(_)));
        assert!(matches!(c.lookup("A-6-2-4"), Lookup::NonCanonical(_, ref s) if s == "A.6.2.4"));
        assert_eq!(c.lookup("A.6.2.9"), Lookup::Unknown);
    }
}
