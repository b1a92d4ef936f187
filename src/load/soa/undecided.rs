//! The one warning about the controls `soa.yaml` does not decide.

use std::collections::HashMap;

use crate::diagnostics::{code, Diagnostic, Span};
use crate::model::catalog::Entry;
use crate::model::soa::SOA_FILE;
use crate::model::CatalogId;

/// Undecided controls named in the one warning about them.
const UNDECIDED_NAMED: usize = 5;

/// The one warning about the controls `soa.yaml` does not decide (in catalog order), at the
/// first of them written there: one control by name and title, more by count with the first
/// few at their lines. A new AIMS gets one warning, not one per control.
pub(super) fn undecided_warning(
    undecided: &[&Entry],
    at: &HashMap<CatalogId, Span>,
) -> Option<Diagnostic> {
    let first = undecided.first()?;
    let span = undecided
        .iter()
        .find_map(|c| at.get(&c.id))
        .cloned()
        .unwrap_or_else(|| Span::file(SOA_FILE));
    let example = format!(
        "`{}: {{applicable: true, justification: \"...\", implementation: planned}}`",
        first.id
    );
    if let [one] = undecided {
        return Some(
            Diagnostic::warning(
                code::SOA_UNDECIDED,
                span,
                format!(
                    "soa.yaml has no decision for {} ({}); it is treated as applicable",
                    one.id, one.title
                ),
            )
            .with_suggestion(format!("add {example}")),
        );
    }
    let named: Vec<String> = undecided
        .iter()
        .take(UNDECIDED_NAMED)
        .map(|c| match at.get(&c.id) {
            Some(s) => format!("{} (line {})", c.id, s.line),
            None => format!("{} (not listed)", c.id),
        })
        .collect();
    let more = undecided.len().saturating_sub(UNDECIDED_NAMED);
    let list = if more > 0 {
        format!("{} and {more} more", named.join(", "))
    } else {
        named.join(", ")
    };
    Some(
        Diagnostic::warning(
            code::SOA_UNDECIDED,
            span,
            format!(
                "{} Annex A controls have no decision in soa.yaml and are treated as applicable: {list}",
                undecided.len()
            ),
        )
        .with_suggestion(format!(
            "decide each one, e.g. {example} or `{}: {{applicable: false, justification: \"why it does not apply\"}}`; soa.html marks every undecided control",
            first.id
        )),
    )
}
