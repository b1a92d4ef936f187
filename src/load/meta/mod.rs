//! Reading a document's front matter into a [`FrontMatter`]: the YAML is parsed (bounded, see
//! `load::yaml`) and read from the mapping field by field, so that every problem in every
//! field is reported with its position, not just the first. The fields themselves are listed
//! once, in [`Field`].

pub(super) mod fields;
mod frameworks;
mod refs;

use std::path::Path;

use serde_yaml::Value;

use super::frontmatter::Split;
use super::locator::Locator;
use super::yaml::YamlError;
use crate::diagnostics::{code, did_you_mean, Diagnostic, Span};
use crate::model::catalog::{Catalog, EntryKind};
use crate::model::frontmatter::{Classification, DocRef, DocType, Field, FrontMatter, Status};
use crate::model::ids::DocId;
use fields::{kind_name, Fields};

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
    let value: Value = match super::yaml::parse(split.yaml) {
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

    let mut f = Fields::new(&loc, diags);
    let get = |field: Field| -> Option<Value> {
        map.get(field.as_str())
            .cloned()
            .filter(|v| !matches!(v, Value::Null))
    };

    for k in map.keys() {
        match k.as_str() {
            Some(name) if Field::parse(name).is_some() => {}
            Some(name) => {
                let d = Diagnostic::warning(
                    code::UNKNOWN_FIELD,
                    loc.key(name),
                    format!("unknown front-matter field `{name}`"),
                )
                .with_suggestion(
                    did_you_mean(name, Field::NAMES.iter().copied()).unwrap_or_else(|| {
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

    let id_text = match get(Field::Id) {
        None => {
            f.missing(
                Field::Id,
                "add `id: POL-AI-001` (letters, digits, `.`, `_`, `-`)",
            );
            None
        }
        Some(v) => f.string(Field::Id, v),
    };
    let id = id_text.and_then(|s| match DocId::parse(&s) {
        Some(id) => Some(id),
        None => {
            f.err(
                code::INVALID_ID,
                loc.value(Field::Id.as_str()),
                format!("document id `{s}` may contain only letters, digits, `.`, `_` and `-`"),
                Some("for example `POL-AI-001`".into()),
            );
            None
        }
    });
    let title = match get(Field::Title) {
        None => {
            f.missing(Field::Title, "add `title: ...`");
            None
        }
        Some(v) => f.string(Field::Title, v).filter(|t| {
            let blank = t.trim().is_empty();
            if blank {
                f.missing(Field::Title, "give the document a title");
            }
            !blank
        }),
    };
    let doc_type = get(Field::Type)
        .and_then(|v| f.choice(Field::Type, v, DocType::parse, DocType::NAMES))
        .unwrap_or(DocType::Other);
    let status = get(Field::Status)
        .and_then(|v| f.choice(Field::Status, v, Status::parse, Status::NAMES))
        .unwrap_or(Status::Draft);
    let classification = get(Field::Classification)
        .and_then(|v| {
            f.choice(
                Field::Classification,
                v,
                Classification::parse,
                Classification::NAMES,
            )
        })
        .unwrap_or(Classification::Internal);
    let version = get(Field::Version).and_then(|v| match v {
        // Keep the version exactly as written: `1.10` must not become `1.1`.
        Value::Number(_) => Some(loc.value(Field::Version.as_str()).range)
            .map(|r| text[r].trim_matches(['"', '\'']).to_string()),
        other => f.string(Field::Version, other),
    });
    let owner = get(Field::Owner).and_then(|v| f.string(Field::Owner, v));
    let approver = get(Field::Approver).and_then(|v| f.string(Field::Approver, v));
    let approved = get(Field::Approved).and_then(|v| f.date(Field::Approved, v));
    let effective = get(Field::Effective).and_then(|v| f.date(Field::Effective, v));
    let review = get(Field::Review).and_then(|v| f.date(Field::Review, v));
    let clauses = get(Field::Clauses)
        .map(|v| f.catalog_refs(Field::Clauses, v, catalog, EntryKind::Clause))
        .unwrap_or_default();
    let controls = get(Field::Controls)
        .map(|v| f.catalog_refs(Field::Controls, v, catalog, EntryKind::Control))
        .unwrap_or_default();
    let frameworks = get(Field::Frameworks)
        .map(|v| f.framework_refs(v))
        .unwrap_or_default();
    let related = get(Field::Related)
        .map(|v| {
            f.string_list(Field::Related, v)
                .into_iter()
                .map(|id| DocRef {
                    span: loc.item(Field::Related.as_str(), &id),
                    id,
                })
                .collect()
        })
        .unwrap_or_default();
    let systems = get(Field::Systems)
        .map(|v| {
            f.string_list(Field::Systems, v)
                .into_iter()
                .map(|id| DocRef {
                    span: loc.item(Field::Systems.as_str(), &id),
                    id,
                })
                .collect()
        })
        .unwrap_or_default();
    let supersedes = get(Field::Supersedes).and_then(|v| {
        f.string(Field::Supersedes, v).map(|id| DocRef {
            span: loc.value(Field::Supersedes.as_str()),
            id,
        })
    });
    let tags = get(Field::Tags)
        .map(|v| f.string_list(Field::Tags, v))
        .unwrap_or_default();
    let allow = get(Field::Allow)
        .map(|v| f.string_list(Field::Allow, v))
        .unwrap_or_default();
    let spans = Field::NAMES
        .iter()
        .filter(|k| map.contains_key(**k))
        .map(|k| (*k, loc.value(k)))
        .collect();
    let order = get(Field::Order).and_then(|v| match v {
        Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
        other => {
            f.err(
                code::INVALID_TYPE,
                loc.value(Field::Order.as_str()),
                format!(
                    "`order` must be a whole number, found {}",
                    kind_name(&other)
                ),
                Some("for example `order: 10`".into()),
            );
            None
        }
    });

    // Written (not blank) but not read: already reported at the value.
    let rejected = fields::rejected(
        [
            (Field::Version, version.is_none()),
            (Field::Owner, owner.is_none()),
            (Field::Approver, approver.is_none()),
            (Field::Approved, approved.is_none()),
            (Field::Effective, effective.is_none()),
            (Field::Review, review.is_none()),
        ],
        |field| get(field).is_some(),
    );

    Some(FrontMatter {
        id: id?,
        id_span: loc.value(Field::Id.as_str()),
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
        frameworks,
        systems,
        related,
        supersedes,
        tags,
        order,
        allow,
        spans,
        start: loc.whole(),
        rejected,
    })
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
    fn fields_whose_value_was_rejected_are_recorded() {
        let (fm, d) = run("---\nid: P\ntitle: T\napproved: 01/03/2026\nreview: 2026-03-01\nowner: [a]\neffective:\n---\n");
        assert_eq!(d.len(), 2, "{d:?}");
        let fm = fm.unwrap();
        assert_eq!(
            fm.rejected.iter().copied().collect::<Vec<_>>(),
            ["approved", "owner"]
        );
    }

    #[test]
    fn objective_in_controls_is_explained() {
        let (_, d) = run("---\nid: P\ntitle: T\ncontrols: [A.6.1]\n---\n");
        assert!(d[0].message.contains("group of controls"));
        assert!(d[0].suggestion.as_deref().unwrap().contains("A.6.1.2"));
    }

    #[test]
    fn a_span_is_recorded_for_every_field_written_and_only_those() {
        let (fm, _) = run("---\nid: P\ntitle: T\ntags: [a]\nextra: 1\nowner:\n---\n");
        let fm = fm.unwrap();
        let names: Vec<&str> = fm.spans.keys().copied().collect();
        assert_eq!(names, ["id", "owner", "tags", "title"]);
        assert_eq!(fm.span(Field::Tags).line, 4);
        assert_eq!(fm.span(Field::Tags), fm.span_of("tags"));
        assert_eq!(fm.span(Field::Review), fm.start);
    }
}
