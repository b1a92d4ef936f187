//! Typed front matter as data: the fields ([`Field`]), their value enums and the
//! [`FrontMatter`] of one document. Reading it from YAML, with a diagnostic for every problem
//! in every field, is the load stage's job (`load::meta`).

use serde::Serialize;

use super::ids::{CatalogId, DocId};
use crate::date::Date;
use crate::diagnostics::Span;

macro_rules! value_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum $name { $(#[doc = $text] #[serde(rename = $text)] $variant),* }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// Every spelling, in the order of [`Self::ALL`].
            pub const NAMES: &'static [&'static str] = &[$($text),*];

            /// The front-matter spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            /// Parses the front-matter spelling.
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)* _ => None }
            }

            /// The allowed spellings, joined for messages.
            pub fn allowed() -> String {
                Self::NAMES.join(" | ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use value_enum;

value_enum!(
    /// A top-level front-matter field. This is the one list of fields: the unknown-field
    /// check, the spans recorded per field and the JSON Schema all follow it, in this order.
    Field {
        Id = "id",
        Title = "title",
        Type = "type",
        Status = "status",
        Version = "version",
        Owner = "owner",
        Approver = "approver",
        Approved = "approved",
        Effective = "effective",
        Review = "review",
        Classification = "classification",
        Clauses = "clauses",
        Controls = "controls",
        Frameworks = "frameworks",
        Systems = "systems",
        Related = "related",
        Supersedes = "supersedes",
        Tags = "tags",
        Order = "order",
        Allow = "allow",
    }
);

value_enum!(
    /// What kind of documented information a document is.
    DocType {
        Policy = "policy",
        Procedure = "procedure",
        Standard = "standard",
        Guideline = "guideline",
        Plan = "plan",
        Register = "register",
        Record = "record",
        Other = "other",
    }
);

value_enum!(
    /// Where a document is in its approval life cycle.
    Status {
        Draft = "draft",
        InReview = "in-review",
        Approved = "approved",
        Retired = "retired",
    }
);

value_enum!(
    /// Who may read a document.
    Classification {
        Public = "public",
        Internal = "internal",
        Confidential = "confidential",
    }
);

/// A clause or control cited in front matter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogRef {
    /// Canonical id.
    pub id: CatalogId,
    /// Optional note on how the document addresses it.
    pub note: Option<String>,
    /// Where it was written.
    #[serde(skip)]
    pub span: Span,
}

/// An entry of another framework that a document declares (`frameworks: {iso27001: [A.5.1]}`),
/// as written: checked against the framework's catalog by the resolve stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrameworkRef {
    /// The framework's id (`iso27001`).
    pub framework: String,
    /// The entry's id, as written.
    pub id: String,
    /// Optional note on how the document addresses it.
    pub note: Option<String>,
    /// Where the id was written.
    #[serde(skip)]
    pub span: Span,
}

/// Another document named in front matter (`related`, `supersedes`), unresolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocRef {
    /// The id as written.
    pub id: String,
    /// Where it was written.
    #[serde(skip)]
    pub span: Span,
}

/// A document's control metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrontMatter {
    /// Unique id.
    pub id: DocId,
    /// Where `id` was written (for duplicate-id errors).
    #[serde(skip)]
    pub id_span: Span,
    /// Title.
    pub title: String,
    /// Document type (`other` when not given).
    #[serde(rename = "type")]
    pub doc_type: DocType,
    /// Approval status (`draft` when not given).
    pub status: Status,
    /// Version label, as written.
    pub version: Option<String>,
    /// Owner role or person.
    pub owner: Option<String>,
    /// Approver role or person.
    pub approver: Option<String>,
    /// Date of approval.
    pub approved: Option<Date>,
    /// Date the document takes effect.
    pub effective: Option<Date>,
    /// Next review due.
    pub review: Option<Date>,
    /// Classification (`internal` when not given).
    pub classification: Classification,
    /// Clauses addressed.
    pub clauses: Vec<CatalogRef>,
    /// Annex A controls addressed.
    pub controls: Vec<CatalogRef>,
    /// Entries of other frameworks addressed, in the order written.
    pub frameworks: Vec<FrameworkRef>,
    /// AI systems of `systems.yaml` the document is about, as written (checked by the
    /// resolve stage).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub systems: Vec<DocRef>,
    /// Related documents.
    pub related: Vec<DocRef>,
    /// The document this one replaces.
    pub supersedes: Option<DocRef>,
    /// Free tags.
    pub tags: Vec<String>,
    /// Position within its section.
    pub order: Option<i64>,
    /// Diagnostic codes silenced for this document (ids or names).
    pub allow: Vec<String>,
    /// Where each top-level field's value was written, by field name ([`Field::as_str`]).
    #[serde(skip)]
    pub spans: std::collections::BTreeMap<&'static str, Span>,
    /// The start of the front matter (for findings about missing fields).
    #[serde(skip)]
    pub start: Span,
    /// Fields written with a value that was rejected (and reported at that value), by name:
    /// rules about absent fields leave them alone, so one mistake is one error.
    #[serde(skip)]
    pub rejected: std::collections::BTreeSet<&'static str>,
}

impl FrontMatter {
    /// The span of a field's value, or the start of the front matter when it is absent.
    pub fn span_of(&self, field: &str) -> Span {
        self.spans
            .get(field)
            .cloned()
            .unwrap_or_else(|| self.start.clone())
    }

    /// [`Self::span_of`] for a typed field.
    pub fn span(&self, field: Field) -> Span {
        self.span_of(field.as_str())
    }
}

/// Every field the front matter may have ([`Field::NAMES`]).
pub const KNOWN_FIELDS: &[&str] = Field::NAMES;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_listed_once_and_parses_back() {
        assert_eq!(Field::ALL.len(), Field::NAMES.len());
        for (field, name) in Field::ALL.iter().zip(Field::NAMES) {
            assert_eq!(field.as_str(), *name);
            assert_eq!(Field::parse(name), Some(*field));
        }
        assert_eq!(KNOWN_FIELDS, Field::NAMES);
        assert_eq!(Field::parse("titel"), None);
        assert_eq!(Status::allowed(), "draft | in-review | approved | retired");
    }
}
