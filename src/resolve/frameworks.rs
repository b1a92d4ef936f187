//! Declarations of and references to other frameworks' entries: `frameworks:` in front matter
//! and `[[iso27001:A.5.1]]` in bodies and the SoA's texts. In an enabled framework each id is
//! checked against its catalog (an unknown one is an error with the nearest ids); a framework
//! that is not enabled gets one warning, naming every file that uses it.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::Link;
use crate::diagnostics::{code, did_you_mean, nearest, Diagnostic, Span};
use crate::model::framework::{EntryRef, Frameworks};
use crate::model::{Manual, PerDoc};

/// How many files a framework-not-enabled warning names before "and N more".
const NAMED_FILES: usize = 5;

/// The frameworks used but not enabled: per framework id, where it was first used and every
/// file that uses it.
#[derive(Default)]
pub(super) struct NotEnabled(RefCell<BTreeMap<String, (Span, BTreeSet<PathBuf>)>>);

impl NotEnabled {
    fn note(&self, framework: &str, span: Span) {
        let mut m = self.0.borrow_mut();
        let (_, files) = m
            .entry(framework.to_string())
            .or_insert_with(|| (span.clone(), BTreeSet::new()));
        files.insert(span.file);
    }

    /// One warning per framework used but not enabled.
    pub(super) fn report(self, frameworks: &Frameworks, diags: &mut Vec<Diagnostic>) {
        for (name, (span, files)) in self.0.into_inner() {
            let mut named: Vec<String> = files
                .iter()
                .take(NAMED_FILES)
                .map(|f| f.display().to_string())
                .collect();
            if files.len() > NAMED_FILES {
                named.push(format!("and {} more", files.len() - NAMED_FILES));
            }
            let hint = if frameworks.has_catalog(&name) {
                format!("add \"{name}\" to `frameworks` in aims.toml")
            } else {
                let near = did_you_mean(&name, frameworks.available.keys().map(String::as_str));
                near.unwrap_or_else(|| {
                    format!("add its catalog as frameworks/{name}.yaml and \"{name}\" to `frameworks` in aims.toml")
                })
            };
            let what = if frameworks.has_catalog(&name) {
                "is not enabled in aims.toml"
            } else {
                "has no catalog and is not enabled"
            };
            diags.push(
                Diagnostic::warning(
                    code::FRAMEWORK_NOT_ENABLED,
                    span,
                    format!(
                        "the framework `{name}` {what}, so its ids are neither checked nor linked; used by {}",
                        named.join(", ")
                    ),
                )
                .with_suggestion(hint),
            );
        }
    }
}

/// The entry `id` of the framework `framework`, or the diagnostic of an unknown one.
fn lookup(
    frameworks: &Frameworks,
    framework: &str,
    id: &str,
    not_enabled: &NotEnabled,
    span: &mut dyn FnMut() -> Span,
    written: &dyn Fn(&str) -> String,
    diags: &mut Vec<Diagnostic>,
) -> Option<EntryRef> {
    let Some((f, fw)) = frameworks.find(framework) else {
        not_enabled.note(framework, span());
        return None;
    };
    match fw.index_of(id) {
        Some(entry) => Some(EntryRef {
            framework: f,
            entry,
        }),
        None => {
            diags.push(
                Diagnostic::error(
                    code::UNKNOWN_FRAMEWORK_ENTRY,
                    span(),
                    format!("{} has no entry `{id}`", fw.name),
                )
                .with_suggestion_opt({
                    let near: Vec<String> = nearest(id, fw.ids(), 2)
                        .iter()
                        .map(|s| written(s))
                        .collect();
                    (!near.is_empty()).then(|| format!("did you mean {}?", near.join(" or ")))
                }),
            );
            None
        }
    }
}

/// Checks every document's `frameworks` declarations, filling what each declares and who
/// declares each entry.
pub(super) fn declarations(
    manual: &Manual,
    addressed: &mut PerDoc<Vec<(EntryRef, Option<String>)>>,
    declared: &mut BTreeMap<EntryRef, Vec<(crate::model::DocIndex, Option<String>)>>,
    not_enabled: &NotEnabled,
    diags: &mut Vec<Diagnostic>,
) {
    *addressed = PerDoc::filled(manual.documents.len(), Vec::new());
    for (i, d) in manual.docs() {
        for f in &d.meta.frameworks {
            let found = lookup(
                &manual.frameworks,
                &f.framework,
                &f.id,
                not_enabled,
                &mut || f.span.clone(),
                &|s| s.to_string(),
                diags,
            );
            if let Some(e) = found {
                addressed[i].push((e, f.note.clone()));
                declared.entry(e).or_default().push((i, f.note.clone()));
            }
        }
    }
}

/// Resolves `[[framework:id]]` (with an optional `#anchor`, which entry pages do not have).
pub(super) fn reference(
    manual: &Manual,
    framework: &str,
    id: &str,
    anchor: &Option<String>,
    not_enabled: &NotEnabled,
    diags: &mut Vec<Diagnostic>,
    span: &mut dyn FnMut() -> Span,
) -> Link {
    let written = |s: &str| format!("[[{framework}:{s}]]");
    let Some(entry) = lookup(
        &manual.frameworks,
        framework,
        id.trim(),
        not_enabled,
        span,
        &written,
        diags,
    ) else {
        return Link::Broken;
    };
    if let Some(a) = anchor {
        diags.push(
            Diagnostic::error(
                code::MISSING_ANCHOR,
                span(),
                format!("the page of {framework}:{id} has no anchor `#{a}`"),
            )
            .with_suggestion(format!("write [[{framework}:{id}]] without an anchor")),
        );
        return Link::Broken;
    }
    Link::Framework(entry)
}
