//! The one warning about the controls `soa.yaml` does not decide, for ISO/IEC 42001 Annex A
//! (under `controls:`) and for ISO/IEC 27001 Annex A (under `iso27001:`) alike.

use std::collections::HashMap;

use crate::diagnostics::{code, Code, Diagnostic, Span};
use crate::model::soa::SOA_FILE;

/// Undecided controls named in the one warning about them.
const UNDECIDED_NAMED: usize = 5;

/// Whose controls a warning is about, and how it names them.
pub(super) struct Undecided {
    /// Its code.
    pub(super) code: Code,
    /// The controls, in plural (`Annex A controls`).
    pub(super) what: &'static str,
    /// Where in soa.yaml their decisions go (` under `iso27001:``, or nothing).
    pub(super) place: &'static str,
    /// The page that marks them.
    pub(super) page: &'static str,
}

impl Undecided {
    /// ISO/IEC 42001 Annex A, under `controls:`.
    pub(super) const ISO42001: Undecided = Undecided {
        code: code::SOA_UNDECIDED,
        what: "Annex A controls",
        place: "",
        page: "soa.html",
    };

    /// ISO/IEC 27001:2022 Annex A, under `iso27001:`.
    pub(super) const ISO27001: Undecided = Undecided {
        code: code::SOA27001_UNDECIDED,
        what: "ISO/IEC 27001 Annex A controls",
        place: " under `iso27001:`",
        page: "frameworks/iso27001/soa.html",
    };
}

/// The one warning about the controls `soa.yaml` does not decide (id and title, in catalog
/// order), at the first of them written there: one control by name and title, more by count
/// with the first few at their lines. A new AIMS gets one warning, not one per control.
pub(super) fn undecided_warning(
    of: &Undecided,
    undecided: &[(&str, &str)],
    at: &HashMap<String, Span>,
) -> Option<Diagnostic> {
    let (first, _) = undecided.first()?;
    let span = undecided
        .iter()
        .find_map(|(id, _)| at.get(*id))
        .cloned()
        .unwrap_or_else(|| Span::file(SOA_FILE));
    let example =
        format!("`{first}: {{applicable: true, justification: \"...\", implementation: planned}}`");
    if let [(id, title)] = undecided {
        return Some(
            Diagnostic::warning(
                of.code,
                span,
                format!(
                    "soa.yaml has no decision{} for {id} ({title}); it is treated as applicable",
                    of.place
                ),
            )
            .with_suggestion(format!("add {example}")),
        );
    }
    let named: Vec<String> = undecided
        .iter()
        .take(UNDECIDED_NAMED)
        .map(|(id, _)| match at.get(*id) {
            Some(s) => format!("{id} (line {})", s.line),
            None => format!("{id} (not listed)"),
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
            of.code,
            span,
            format!(
                "{} {} have no decision in soa.yaml{} and are treated as applicable: {list}",
                undecided.len(),
                of.what,
                of.place
            ),
        )
        .with_suggestion(format!(
            "decide each one, e.g. {example} or `{first}: {{applicable: false, justification: \"why it does not apply\"}}`; {} marks every undecided control",
            of.page
        )),
    )
}
