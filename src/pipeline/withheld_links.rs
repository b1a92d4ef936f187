//! The warnings of an edition about its own text: every link from a document it publishes
//! to a document it withholds, at the link's position, so that authors can fix the
//! published text (readers see "internal document (not published)" in its place).

use std::path::Path;

use super::Edition;
use crate::diagnostics::{code, Diagnostic, LineIndex, Span};
use crate::markdown::RefTarget;
use crate::model::Manual;
use crate::resolve::{Link, Resolved};

/// One warning per body reference of `manual` (an edition's documents) that resolved to a
/// withheld document. `text_of` reads a file again to place the warnings.
pub(super) fn warnings(
    manual: &Manual,
    resolved: &Resolved,
    edition: &Edition,
    text_of: &dyn Fn(&Path) -> Option<String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, d) in manual.docs() {
        let links = &resolved.links[i];
        if !links.iter().any(|l| matches!(l, Link::Withheld)) {
            continue;
        }
        let text = text_of(&d.path);
        let index = text.as_deref().map(LineIndex::new);
        for (reference, _) in d
            .body
            .refs
            .iter()
            .zip(links)
            .filter(|(_, l)| matches!(l, Link::Withheld))
        {
            let range = d.body_offset + reference.range.start..d.body_offset + reference.range.end;
            let span = match &index {
                Some(index) => index.span(&d.path, range),
                None => Span::file(&d.path),
            };
            let target = match &reference.target {
                RefTarget::Wiki { id, .. } => id.as_str(),
                RefTarget::Path { path, .. } => path.as_str(),
                RefTarget::SelfAnchor(a) => a.as_str(),
            };
            out.push(
                Diagnostic::warning(
                    code::WITHHELD_LINK,
                    span,
                    format!(
                        "`{target}` is not published in the {}: this link reads \"internal document (not published)\" there",
                        edition.label()
                    ),
                )
                .with_suggestion(
                    "link to a document this edition publishes, or reword the sentence so that it reads well without the link",
                ),
            );
        }
    }
    out
}
