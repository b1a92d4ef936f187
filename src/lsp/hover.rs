//! Hover: what an id names, in Markdown. A control or clause: its title and summary, its
//! coverage state, the SoA's decision and the documents that implement it. A document: its
//! title, type, status, owner and review date. An entry of another framework: its title and
//! summary. An AI system: its inventory fields and the state of each record it is expected
//! to have (`system`).

use std::fmt::Write as _;

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::lookup::Target;
use super::position::Lines;
use super::system::describe_system;
use crate::model::catalog::EntryKind;
use crate::pipeline::Compilation;

/// The Markdown that describes `target`.
pub(super) fn describe(c: &Compilation, target: Target<'_>) -> String {
    let mut s = String::new();
    match target {
        Target::Catalog(e) => {
            let _ = writeln!(s, "**{} {}**\n", e.id, e.title);
            if !e.summary.is_empty() {
                let _ = writeln!(s, "{}\n", e.summary.trim());
            }
            if let Some(cov) = c.analysis.coverage(&e.id) {
                let _ = writeln!(s, "Coverage: **{}**\n", cov.state.as_str());
                if e.kind == EntryKind::Control {
                    let decision = if !cov.decided {
                        "no decision in soa.yaml".to_string()
                    } else if cov.applicable {
                        match cov.implementation {
                            Some(i) => format!("applicable, {}", i.as_str()),
                            None => "applicable".to_string(),
                        }
                    } else {
                        "excluded".to_string()
                    };
                    let _ = writeln!(s, "SoA: {decision}\n");
                    if let Some(j) = cov.justification.as_deref().filter(|j| !j.is_empty()) {
                        let _ = writeln!(s, "> {}\n", j.trim());
                    }
                }
                if cov.documents.is_empty() {
                    let _ = writeln!(s, "Implemented by: no document");
                } else {
                    let _ = writeln!(s, "Implemented by:");
                    for &d in &cov.documents {
                        let m = &c.manual.doc(d).meta;
                        let _ = writeln!(s, "- `{}` {} ({})", m.id, m.title, m.status);
                    }
                }
            }
        }
        Target::Doc(d) => {
            let m = &c.manual.doc(d).meta;
            let _ = writeln!(s, "**{}** `{}`\n", m.title, m.id);
            let _ = writeln!(s, "- type: {}", m.doc_type);
            let _ = writeln!(s, "- status: {}", m.status);
            let _ = writeln!(s, "- owner: {}", m.owner.as_deref().unwrap_or("none"));
            let _ = writeln!(
                s,
                "- review due: {}",
                m.review.map_or("none".to_string(), |r| r.to_string())
            );
            let _ = writeln!(s, "- classification: {}", m.classification);
        }
        Target::Framework(r) => {
            let (f, e) = c.manual.frameworks.entry(r);
            let _ = writeln!(s, "**{} {}** ({})\n", e.id, e.title, f.name);
            if let Some(sum) = e.summary.as_deref().filter(|x| !x.is_empty()) {
                let _ = writeln!(s, "{}", sum.trim());
            }
        }
        Target::System(k) => describe_system(c, k, &mut s),
    }
    s
}

/// The hover of `target`, over the bytes `range` of `text`.
pub(super) fn hover(
    c: &Compilation,
    target: Target<'_>,
    text: &str,
    range: std::ops::Range<usize>,
) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: describe(c, target),
        }),
        range: Some(Lines::new(text).range(range)),
    }
}
