//! The notices at the top of a printed document, as its web page shows them: retired,
//! superseded, not in force (a draft, in review, or approved with a later effective date)
//! and review overdue.

use std::fmt::Write as _;

use crate::analyse::State;
use crate::markdown::escape_attr;
use crate::model::DocIndex;
use crate::render::views::DocView;
use crate::render::Input;

/// The notices of document `d` (its view `v`); `href` is the link to another document.
pub(super) fn banners(
    input: &Input<'_>,
    v: &DocView,
    d: DocIndex,
    href: &dyn Fn(DocIndex) -> String,
) -> String {
    let m = input.manual;
    let e = escape_attr;
    let successors = input
        .resolved
        .superseded_by
        .get(d)
        .map_or(&[][..], Vec::as_slice);
    let names = successors
        .iter()
        .map(|&j| {
            let meta = &m.doc(j).meta;
            format!(
                "<a href=\"{}\"><span class=\"nowrap\">{}</span> {}</a>",
                e(&href(j)),
                e(meta.id.as_str()),
                e(&meta.title)
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = String::new();
    if v.status == "retired" {
        let by = if names.is_empty() {
            String::new()
        } else {
            format!(" and superseded by {names}")
        };
        let _ = writeln!(
            out,
            "<p class=\"notice notice-retired\">This document is retired{by}. It counts for no coverage.</p>"
        );
    } else if !names.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"notice notice-superseded\">This document is superseded by {names}.</p>"
        );
    }
    if input.analysis.standing.get(d).and_then(|s| s.contributes) == Some(State::Draft) {
        let why = match v.status {
            "draft" => "is a draft".to_string(),
            "in-review" => "is in review".to_string(),
            _ => match &v.effective {
                Some(date) => format!("takes effect on <span class=\"nowrap\">{}</span>", e(date)),
                None => "is not approved".to_string(),
            },
        };
        let _ = writeln!(
            out,
            "<p class=\"notice notice-draft\">This document {why}: it is not in force yet.</p>"
        );
    }
    if v.overdue {
        let _ = writeln!(
            out,
            "<p class=\"notice notice-overdue\">The review of this document was due on <span class=\"nowrap\">{}</span> and is overdue.</p>",
            e(v.review.as_deref().unwrap_or("—"))
        );
    }
    out
}
