//! Typed front matter, read from the YAML mapping field by field so that every problem in
//! every field is reported with its position, not just the first.

use std::path::Path;

use serde::Serialize;
use serde_yaml::Value;

use super::catalog::{Catalog, EntryKind, Lookup};
use super::ids::{CatalogId, DocId};
use crate::date::Date;
use crate::diagnostics::{code, did_you_mean, Code, Diagnostic, Span};
use crate::load::frontmatter::Split;
use crate::load::locator::Locator;
use crate::load::yaml::YamlError;

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

/// Parses the front matter of `path`. Returns `None` (with diagnostics) when the document
/// cannot be used at all: YAML that does not parse, not a mapping, no valid `id` or `title`.
pub fn parse(
    path: &Path,
    text: &str,
    split: &Split<'_>,
    catalog: &Catalog,
    diags: &mut Vec<Diagnostic>,
) -> Option<FrontMatter> {
    let loc = Locator::new(path, text, split.yaml_offset, split.yaml);
    let value: Value = match crate::load::yaml::parse(split.yaml) {
        Ok(v) => v,
        Err(YamlError::Syntax { message, offset }) => {
            let at = split.yaml_offset + offset;
            diags.push(
                Diagnostic::error(
                    code::YAML_SYNTAX,
                    Span::at(path, text, at..at),
                    format!("front matter is not valid YAML: {message}"),
                )
                .with_suggestion(
                    "check indentation, quotes and brackets; quote values containing `: `",
                ),
            );
            return None;
        }
        Err(YamlError::Limit { limit, offset }) => {
            let at = split.yaml_offset + offset;
            diags.push(
                Diagnostic::error(
                    code::LIMIT_EXCEEDED,
                    Span::at(path, text, at..at),
                    limit.message("front matter"),
                )
                .with_suggestion(limit.suggestion()),
            );
            return None;
        }
    };
    let map = match value {
        Value::Mapping(m) => m,
        Value::Null => serde_yaml::Mapping::new(),
        other => {
            diags.push(
                Diagnostic::error(
                    code::FRONT_MATTER_NOT_MAPPING,
                    loc.whole(),
                    format!(
                        "front matter must be a mapping of fields, found {}",
                        kind_name(&other)
                    ),
                )
                .with_suggestion("write one `field: value` per line, e.g. `id: POL-AI-001`"),
            );
            return None;
        }
    };

    let mut f = Fields {
        loc: &loc,
        diags,
        ok: true,
    };
    let get = |key: &str| -> Option<Value> {
        map.get(key).cloned().filter(|v| !matches!(v, Value::Null))
    };

    for k in map.keys() {
        match k.as_str() {
            Some(name) if KNOWN_FIELDS.contains(&name) => {}
            Some(name) => {
                let d = Diagnostic::warning(
                    code::UNKNOWN_FIELD,
                    loc.key(name),
                    format!("unknown front-matter field `{name}`"),
                )
                .with_suggestion(
                    did_you_mean(name, KNOWN_FIELDS.iter().copied()).unwrap_or_else(|| {
                        "it is ignored; see the front-matter reference in the README".into()
                    }),
                );
                f.diags.push(d);
            }
            None => {
                let d = Diagnostic::error(
                    code::INVALID_TYPE,
                    loc.whole(),
                    format!("front-matter keys must be text, found {}", kind_name(k)),
                );
                f.diags.push(d);
            }
        }
    }

    let id_text = match get("id") {
        None => {
            f.missing(
                "id",
                "add `id: POL-AI-001` (letters, digits, `.`, `_`, `-`)",
            );
            None
        }
        Some(v) => f.string("id", v),
    };
    let id = id_text.and_then(|s| match DocId::parse(&s) {
        Some(id) => Some(id),
        None => {
            f.err(
                code::INVALID_ID,
                loc.value("id"),
                format!("document id `{s}` may contain only letters, digits, `.`, `_` and `-`"),
                Some("for example `POL-AI-001`".into()),
            );
            None
        }
    });
    let title = match get("title") {
        None => {
            f.missing("title", "add `title: ...`");
            None
        }
        Some(v) => f.string("title", v).filter(|t| {
            let blank = t.trim().is_empty();
            if blank {
                f.missing("title", "give the document a title");
            }
            !blank
        }),
    };
    let doc_type = get("type")
        .and_then(|v| f.choice("type", v, DocType::parse, DocType::allowed))
        .unwrap_or(DocType::Other);
    let status = get("status")
        .and_then(|v| f.choice("status", v, Status::parse, Status::allowed))
        .unwrap_or(Status::Draft);
    let classification = get("classification")
        .and_then(|v| {
            f.choice(
                "classification",
                v,
                Classification::parse,
                Classification::allowed,
            )
        })
        .unwrap_or(Classification::Internal);
    let version = get("version").and_then(|v| match v {
        // Keep the version exactly as written: `1.10` must not become `1.1`.
        Value::Number(_) => {
            Some(loc.value("version").range).map(|r| text[r].trim_matches(['"', '\'']).to_string())
        }
        other => f.string("version", other),
    });
    let owner = get("owner").and_then(|v| f.string("owner", v));
    let approver = get("approver").and_then(|v| f.string("approver", v));
    let approved = get("approved").and_then(|v| f.date("approved", v));
    let effective = get("effective").and_then(|v| f.date("effective", v));
    let review = get("review").and_then(|v| f.date("review", v));
    let clauses = get("clauses")
        .map(|v| f.catalog_refs("clauses", v, catalog, EntryKind::Clause))
        .unwrap_or_default();
    let controls = get("controls")
        .map(|v| f.catalog_refs("controls", v, catalog, EntryKind::Control))
        .unwrap_or_default();
    let related = get("related")
        .map(|v| {
            f.string_list("related", v)
                .into_iter()
                .map(|id| DocRef {
                    span: loc.item("related", &id),
                    id,
                })
                .collect()
        })
        .unwrap_or_default();
    let supersedes = get("supersedes").and_then(|v| {
        f.string("supersedes", v).map(|id| DocRef {
            span: loc.value("supersedes"),
            id,
        })
    });
    let tags = get("tags")
        .map(|v| f.string_list("tags", v))
        .unwrap_or_default();
    let allow = get("allow")
        .map(|v| f.string_list("allow", v))
        .unwrap_or_default();
    let spans = KNOWN_FIELDS
        .iter()
        .filter(|k| map.contains_key(**k))
        .map(|k| (*k, loc.value(k)))
        .collect();
    let order = get("order").and_then(|v| match v {
        Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
        other => {
            f.err(
                code::INVALID_TYPE,
                loc.value("order"),
                format!(
                    "`order` must be a whole number, found {}",
                    kind_name(&other)
                ),
                Some("for example `order: 10`".into()),
            );
            None
        }
    });

    Some(FrontMatter {
        id: id?,
        id_span: loc.value("id"),
        title: title?,
        doc_type,
        status,
        version,
        owner,
        approver,
        approved,
        effective,
        review,
        classification,
        clauses,
        controls,
        related,
        supersedes,
        tags,
        order,
        allow,
        spans,
        start: loc.whole(),
    })
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

struct Fields<'a, 'b> {
    loc: &'a Locator<'a>,
    diags: &'b mut Vec<Diagnostic>,
    ok: bool,
}

impl Fields<'_, '_> {
    fn err(&mut self, code: Code, span: Span, msg: String, suggestion: Option<String>) {
        self.ok = false;
        self.diags
            .push(Diagnostic::error(code, span, msg).with_suggestion_opt(suggestion));
    }

    fn missing(&mut self, key: &str, help: &str) {
        let span = self.loc.whole();
        self.err(
            code::MISSING_FIELD,
            span,
            format!("front matter has no `{key}`; it is required"),
            Some(help.to_string()),
        );
    }

    fn string(&mut self, key: &str, v: Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            other => {
                let span = self.loc.value(key);
                self.err(
                    code::INVALID_TYPE,
                    span,
                    format!("`{key}` must be text, found {}", kind_name(&other)),
                    None,
                );
                None
            }
        }
    }

    fn choice<T>(
        &mut self,
        key: &str,
        v: Value,
        parse: fn(&str) -> Option<T>,
        allowed: fn() -> String,
    ) -> Option<T> {
        let s = self.string(key, v)?;
        match parse(&s) {
            Some(t) => Some(t),
            None => {
                let list = allowed();
                let near = did_you_mean(&s, list.split(" | "));
                let span = self.loc.value(key);
                self.err(
                    code::INVALID_VALUE,
                    span,
                    format!("`{key}: {s}` is not allowed; use one of {list}"),
                    near,
                );
                None
            }
        }
    }

    fn date(&mut self, key: &str, v: Value) -> Option<Date> {
        let s = self.string(key, v)?;
        match Date::parse(&s) {
            Some(d) => Some(d),
            None => {
                let span = self.loc.value(key);
                self.err(
                    code::INVALID_DATE,
                    span,
                    format!("`{key}: {s}` is not a valid date"),
                    Some("write dates as YYYY-MM-DD, e.g. 2026-03-01".into()),
                );
                None
            }
        }
    }

    fn string_list(&mut self, key: &str, v: Value) -> Vec<String> {
        match v {
            Value::Sequence(items) => items
                .into_iter()
                .filter_map(|i| self.string(key, i))
                .collect(),
            scalar @ (Value::String(_) | Value::Number(_)) => {
                self.string(key, scalar).into_iter().collect()
            }
            other => {
                let span = self.loc.value(key);
                self.err(
                    code::INVALID_TYPE,
                    span,
                    format!("`{key}` must be a list, found {}", kind_name(&other)),
                    Some(format!("write `{key}: [A, B]`")),
                );
                Vec::new()
            }
        }
    }

    fn catalog_refs(
        &mut self,
        key: &str,
        v: Value,
        catalog: &Catalog,
        kind: EntryKind,
    ) -> Vec<CatalogRef> {
        let items = match v {
            Value::Sequence(items) => items,
            scalar @ (Value::String(_) | Value::Number(_) | Value::Mapping(_)) => vec![scalar],
            other => {
                let span = self.loc.value(key);
                self.err(
                    code::INVALID_TYPE,
                    span,
                    format!("`{key}` must be a list of ids, found {}", kind_name(&other)),
                    None,
                );
                return Vec::new();
            }
        };
        let mut out: Vec<CatalogRef> = Vec::new();
        for item in items {
            let (written, note) = match item {
                Value::Mapping(m) => {
                    for k in m.keys() {
                        if !matches!(k.as_str(), Some("id" | "note")) {
                            let span = self.loc.value(key);
                            self.diags.push(Diagnostic::warning(
                                code::UNKNOWN_FIELD,
                                span,
                                format!(
                                    "unknown key `{}` in a `{key}` item; only `id` and `note` are read",
                                    k.as_str().unwrap_or("?")
                                ),
                            ));
                        }
                    }
                    let id = m.get("id").cloned().and_then(|v| self.string(key, v));
                    let note = m.get("note").cloned().and_then(|v| self.string(key, v));
                    match id {
                        Some(id) => (id, note),
                        None => {
                            let span = self.loc.value(key);
                            self.err(
                                code::MISSING_FIELD,
                                span,
                                format!("an item of `{key}` has no `id`"),
                                Some("write `- id: A.2.3` with an optional `note:`".into()),
                            );
                            continue;
                        }
                    }
                }
                other => match self.string(key, other) {
                    Some(s) => (s, None),
                    None => continue,
                },
            };
            let span = self.loc.item(key, &written);
            let (unknown_code, noun) = match kind {
                EntryKind::Control => (code::UNKNOWN_CONTROL, "control"),
                _ => (code::UNKNOWN_CLAUSE, "clause"),
            };
            let entry = match catalog.lookup(&written) {
                Lookup::Found(e) => Some(e),
                Lookup::NonCanonical(e, canonical) => {
                    self.diags.push(
                        Diagnostic::warning(
                            code::NON_CANONICAL_ID,
                            span.clone(),
                            format!("`{written}` is written in a non-canonical form"),
                        )
                        .with_suggestion(format!("write {canonical}")),
                    );
                    Some(e)
                }
                Lookup::Unknown => None,
            };
            let candidates = || catalog.of_kind(kind).map(|e| e.id.as_str());
            match entry {
                Some(e) if e.kind == kind => {
                    if out.iter().all(|r| r.id != e.id) {
                        out.push(CatalogRef {
                            id: e.id.clone(),
                            note,
                            span,
                        });
                    }
                }
                Some(e) => {
                    let what = match e.kind {
                        EntryKind::Objective => "a control objective",
                        EntryKind::Group => "a group of controls",
                        EntryKind::Control => "an Annex A control",
                        EntryKind::Clause => "a clause",
                    };
                    let children: Vec<&str> = catalog
                        .entries
                        .iter()
                        .filter(|c| {
                            c.kind == kind && c.id.as_str().starts_with(&format!("{}.", e.id))
                        })
                        .map(|c| c.id.as_str())
                        .collect();
                    let hint = if children.is_empty() {
                        match kind {
                            EntryKind::Control => format!("move {} to `clauses`", e.id),
                            _ => format!("move {} to `controls`", e.id),
                        }
                    } else {
                        format!("list the {noun}s it contains: {}", children.join(", "))
                    };
                    self.err(
                        unknown_code,
                        span,
                        format!("{} is {what}, not a {noun}", e.id),
                        Some(hint),
                    );
                }
                None => {
                    let near = did_you_mean(&written, candidates());
                    self.err(
                        unknown_code,
                        span,
                        format!("unknown {noun} {written}"),
                        near.or_else(|| {
                            Some(format!(
                                "{noun} ids look like {}",
                                if kind == EntryKind::Control {
                                    "A.6.2.4"
                                } else {
                                    "6.1.2"
                                }
                            ))
                        }),
                    );
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::frontmatter::{split, SplitResult};

    fn run(text: &str) -> (Option<FrontMatter>, Vec<Diagnostic>) {
        let catalog = Catalog::iso42001();
        let mut d = Vec::new();
        let s = match split(text) {
            SplitResult::Found(s) => s,
            other => panic!("{other:?}"),
        };
        let fm = parse(Path::new("a.md"), text, &s, &catalog, &mut d);
        (fm, d)
    }

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

    #[test]
    fn full_front_matter() {
        let (fm, d) = run("---\nid: POL-1\ntitle: T\ntype: policy\nstatus: approved\nversion: 1.10\napproved: 2026-03-01\ncontrols:\n  - A.2.2\n  - id: A.2.3\n    note: n\nclauses: [\"5.2\"]\nrelated: [X-1]\n---\nbody\n");
        assert!(d.is_empty(), "{d:?}");
        let fm = fm.unwrap();
        assert_eq!(fm.version.as_deref(), Some("1.10"));
        assert_eq!(fm.controls.len(), 2);
        assert_eq!(fm.controls[1].note.as_deref(), Some("n"));
        assert_eq!(fm.controls[1].span.line, 10);
        assert_eq!(fm.related[0].span.line, 13);
    }

    #[test]
    fn unknown_control_has_position_and_suggestion() {
        let (_, d) = run("---\nid: P\ntitle: T\ncontrols: [A.2.2, A.6.2.9]\n---\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, code::UNKNOWN_CONTROL);
        assert_eq!((d[0].span.line, d[0].span.column), (4, 19));
        assert!(d[0].suggestion.as_deref().unwrap().contains("A.6.2.8"));
    }

    #[test]
    fn every_field_error_is_collected() {
        let (fm, d) = run("---\nid: P\ntitle: T\nstatus: aproved\napproved: 2026-13-01\ntitel: x\nclauses: [\"6.1.9\"]\n---\n");
        assert!(fm.is_some());
        let codes: Vec<_> = d.iter().map(|d| d.code.name).collect();
        assert!(codes.contains(&"invalid-value"));
        assert!(codes.contains(&"invalid-date"));
        assert!(codes.contains(&"unknown-field"));
        assert!(codes.contains(&"unknown-clause"));
    }

    #[test]
    fn objective_in_controls_is_explained() {
        let (_, d) = run("---\nid: P\ntitle: T\ncontrols: [A.6.1]\n---\n");
        assert!(d[0].message.contains("group of controls"));
        assert!(d[0].suggestion.as_deref().unwrap().contains("A.6.1.2"));
    }
}
