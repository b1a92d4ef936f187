//! `allow`: diagnostics silenced for the whole AIMS (aims.toml) or for one document (its
//! front matter), and `allow` entries that name no code.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::diagnostics::{code, did_you_mean, Code, Diagnostic, Span};
use crate::model::Manual;

/// Drops the diagnostics silenced by `allow` (in aims.toml for the whole AIMS, in front
/// matter for one document) and reports `allow` entries that name no code.
pub fn apply_allow(manual: &Manual, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut unknown = Vec::new();
    let mut parse = |names: &[String], span: Span| -> HashSet<&'static str> {
        names
            .iter()
            .filter_map(|n| match Code::find(n) {
                Some(c) => Some(c.id),
                None => {
                    unknown.push(
                        Diagnostic::warning(
                            code::UNKNOWN_ALLOW,
                            span.clone(),
                            format!("`allow` names `{n}`, which is not a diagnostic code"),
                        )
                        .with_suggestion_opt(did_you_mean(
                            n,
                            code::ALL.iter().flat_map(|c| [c.id, c.name]),
                        )),
                    );
                    None
                }
            })
            .collect()
    };
    let global = parse(&manual.config.allow, manual.config.allow_span.clone());
    let per_doc: HashMap<&Path, HashSet<&'static str>> = manual
        .documents
        .iter()
        .filter(|d| !d.meta.allow.is_empty())
        .map(|d| {
            (
                d.path.as_path(),
                parse(&d.meta.allow, d.meta.span_of("allow")),
            )
        })
        .collect();
    diags
        .into_iter()
        .filter(|d| {
            !global.contains(d.code.id)
                && !per_doc
                    .get(d.span.file.as_path())
                    .is_some_and(|allowed| allowed.contains(d.code.id))
        })
        .chain(unknown)
        .collect()
}
