//! Resolving one `[[ID]]` / `[[ID#anchor]]` reference, wherever it is written: in a document
//! body or in a justification or evidence of `soa.yaml`. Both get the same links and the same
//! diagnostics (unknown ids with a did-you-mean, non-canonical catalog ids, missing anchors).

use std::collections::HashMap;

use super::{Link, Withheld, CATALOG_PAGE_ANCHORS};
use crate::diagnostics::{code, did_you_mean, Diagnostic, Span};
use crate::model::catalog::{EntryKind, Lookup};
use crate::model::{DocId, DocIndex, Manual};

/// What a reference can point at, and how an unknown id is reported.
pub(super) struct Targets<'a> {
    pub(super) manual: &'a Manual,
    /// Documents by id, exactly as written.
    pub(super) by_id: &'a HashMap<DocId, DocIndex>,
    /// Per AI system: whether `[[ID]]` reaches it (see `resolve::systems`).
    pub(super) linkable_systems: &'a [bool],
    /// Documents left out of this edition.
    pub(super) withheld: &'a Withheld,
    /// The diagnostic for an id that names nothing, at a span.
    pub(super) unknown_doc: &'a dyn Fn(&str, Span) -> Diagnostic,
    /// The frameworks used but not enabled.
    pub(super) not_enabled: &'a super::frameworks::NotEnabled,
}

impl Targets<'_> {
    /// Whether document `doc` has the heading `anchor` (or no anchor is asked for); a
    /// diagnostic at `span()` when not.
    pub(super) fn anchor_ok(
        &self,
        doc: DocIndex,
        anchor: &Option<String>,
        diags: &mut Vec<Diagnostic>,
        span: &mut dyn FnMut() -> Span,
    ) -> bool {
        let anchors_of = || {
            self.manual
                .doc(doc)
                .body
                .headings
                .iter()
                .map(|h| h.anchor.as_str())
        };
        match anchor {
            Some(a) if !anchors_of().any(|h| h == a) => {
                let target = self.manual.doc(doc);
                diags.push(
                    Diagnostic::error(
                        code::MISSING_ANCHOR,
                        span(),
                        format!("{} has no heading with the anchor `#{a}`", target.meta.id),
                    )
                    .with_suggestion_opt(
                        did_you_mean(a, anchors_of()).or_else(|| {
                            let list: Vec<&str> = anchors_of().take(8).collect();
                            (!list.is_empty())
                                .then(|| format!("its anchors are: {}", list.join(", ")))
                        }),
                    ),
                );
                false
            }
            _ => true,
        }
    }

    /// Resolves `[[id#anchor]]`, reporting at `span()`. Records no backlinks: that is the
    /// caller's, which knows where the reference is written.
    pub(super) fn wiki(
        &self,
        id: &str,
        anchor: &Option<String>,
        diags: &mut Vec<Diagnostic>,
        span: &mut dyn FnMut() -> Span,
    ) -> Link {
        if let Some((framework, entry)) = id.split_once(':') {
            return super::frameworks::reference(
                self.manual,
                framework.trim(),
                entry,
                anchor,
                self.not_enabled,
                diags,
                span,
            );
        }
        let e = match self.manual.catalog.lookup(id) {
            Lookup::Found(e) => e,
            Lookup::NonCanonical(e, c) => {
                diags.push(
                    Diagnostic::warning(
                        code::NON_CANONICAL_ID,
                        span(),
                        format!("`{id}` is written in a non-canonical form"),
                    )
                    .with_suggestion(format!("write [[{c}]]")),
                );
                e
            }
            Lookup::Unknown => {
                return match self.by_id.get(id) {
                    Some(&j) if self.anchor_ok(j, anchor, diags, span) => Link::Doc {
                        doc: j,
                        anchor: anchor.clone(),
                    },
                    Some(_) => Link::Broken,
                    None if self.withheld.ids.contains(id) => Link::Withheld,
                    None if self.system(id).is_some() => match (self.system(id), anchor) {
                        (Some(k), None) => Link::System(k),
                        _ => {
                            diags.push(
                                Diagnostic::error(
                                    code::MISSING_ANCHOR,
                                    span(),
                                    format!("the page of the AI system {id} has no anchors"),
                                )
                                .with_suggestion(format!("write [[{id}]] without an anchor")),
                            );
                            Link::Broken
                        }
                    },
                    None => {
                        diags.push((self.unknown_doc)(id, span()));
                        Link::Broken
                    }
                };
            }
        };
        let has_page = matches!(e.kind, EntryKind::Control | EntryKind::Clause);
        match anchor {
            Some(a) if !has_page => {
                diags.push(
                    Diagnostic::error(
                        code::MISSING_ANCHOR,
                        span(),
                        format!(
                            "{} is shown on the controls index, which has no anchor `#{a}`",
                            e.id
                        ),
                    )
                    .with_suggestion(format!("write [[{}]] without an anchor", e.id)),
                );
                Link::Broken
            }
            Some(a) if !CATALOG_PAGE_ANCHORS.contains(&a.as_str()) => {
                diags.push(
                    Diagnostic::error(
                        code::MISSING_ANCHOR,
                        span(),
                        format!("the page of {} has no anchor `#{a}`", e.id),
                    )
                    .with_suggestion(format!(
                        "its anchors are: {}",
                        CATALOG_PAGE_ANCHORS.join(", ")
                    )),
                );
                Link::Broken
            }
            _ => Link::Catalog {
                id: e.id.clone(),
                anchor: anchor.clone(),
            },
        }
    }

    /// The AI system `id` names, when `[[id]]` reaches it.
    fn system(&self, id: &str) -> Option<usize> {
        let k = self.manual.systems.as_ref()?.index_of(id)?;
        self.linkable_systems
            .get(k)
            .copied()
            .unwrap_or(false)
            .then_some(k)
    }

    /// Every reference in the SoA's justifications and evidence, in the order of
    /// `Soa::refs`, reported at its place in `soa.yaml`.
    pub(super) fn soa(&self, diags: &mut Vec<Diagnostic>) -> Vec<Link> {
        self.manual
            .soa
            .refs
            .iter()
            .map(|r| self.wiki(&r.id, &r.anchor, diags, &mut || r.span.clone()))
            .collect()
    }
}
