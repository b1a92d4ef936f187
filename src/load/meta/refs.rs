//! Reading the clauses and controls a document cites (`clauses`, `controls`) against the
//! catalog: unknown, non-canonical and wrong-kind ids are reported with a suggestion.

use serde_yaml::Value;

use super::fields::{kind_name, Fields};
use crate::diagnostics::{code, did_you_mean, Diagnostic};
use crate::model::catalog::{Catalog, EntryKind, Lookup};
use crate::model::frontmatter::{CatalogRef, Field};

impl Fields<'_, '_> {
    /// The clauses or controls (`kind`) cited in a field: a list of ids or `{id, note}`
    /// mappings, or one of them. Each is looked up in the catalog; a duplicate is kept once.
    pub(super) fn catalog_refs(
        &mut self,
        key: Field,
        v: Value,
        catalog: &Catalog,
        kind: EntryKind,
    ) -> Vec<CatalogRef> {
        let items = match v {
            Value::Sequence(items) => items,
            scalar @ (Value::String(_) | Value::Number(_) | Value::Mapping(_)) => vec![scalar],
            other => {
                let span = self.value(key);
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
                            let span = self.value(key);
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
                    match self.id_and_note(key, &m, &key.to_string(), "A.2.3") {
                        Some(item) => item,
                        None => continue,
                    }
                }
                other => match self.string(key, other) {
                    Some(s) => (s, None),
                    None => continue,
                },
            };
            let span = self.loc.item(key.as_str(), &written);
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

impl Fields<'_, '_> {
    /// The `id` and optional `note` of an `{id, note}` item of field `key` (`what` names the
    /// list in the message, `example` is an id for the suggestion); `None`, with an error,
    /// when it has no `id`.
    pub(super) fn id_and_note(
        &mut self,
        key: Field,
        m: &serde_yaml::Mapping,
        what: &str,
        example: &str,
    ) -> Option<(String, Option<String>)> {
        let id = m.get("id").cloned().and_then(|v| self.string(key, v));
        let note = m.get("note").cloned().and_then(|v| self.string(key, v));
        if id.is_none() {
            let span = self.value(key);
            self.err(
                code::MISSING_FIELD,
                span,
                format!("an item of `{what}` has no `id`"),
                Some(format!("write `- id: {example}` with an optional `note:`")),
            );
        }
        Some((id?, note))
    }
}
