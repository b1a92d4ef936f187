//! Document control (clause 7.5): rules about approval, effective and review dates,
//! superseded and retired documents, titles, and claims on excluded controls. Each rule is a
//! diagnostic with its own code.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::Path;

use crate::date::Date;
use crate::diagnostics::{code, Diagnostic, LineIndex, Span};
use crate::markdown::RefTarget;
use crate::model::frontmatter::{DocType, Status};
use crate::model::{DocIndex, Manual};
use crate::resolve::{Link, Resolved};

/// Checks every document-control rule (an overdue review is a warning here; `--strict` makes
/// it an error where the build maps severities); `text_of` re-reads a file to place findings
/// on body links.
pub fn check(
    manual: &Manual,
    resolved: &Resolved,
    today: Date,
    text_of: &dyn Fn(&Path) -> Option<String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut titles: HashMap<String, DocIndex> = HashMap::new();
    for (i, d) in manual.docs() {
        let m = &d.meta;
        if m.status == Status::Approved {
            let missing: Vec<&str> = [
                ("approver", m.approver.is_none()),
                ("approved", m.approved.is_none()),
                ("version", m.version.is_none()),
                ("owner", m.owner.is_none()),
            ]
            .iter()
            .filter(|(f, gone)| *gone && !m.rejected.contains(f))
            .map(|(f, _)| *f)
            .collect();
            if !missing.is_empty() {
                out.push(
                    Diagnostic::error(
                        code::APPROVAL_INCOMPLETE,
                        m.span_of("status"),
                        format!(
                            "{} is approved but has no {}",
                            m.id,
                            missing
                                .iter()
                                .map(|f| format!("`{f}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                    .with_suggestion("record who approved it and when, its version and owner, or set `status: in-review`"),
                );
            }
            let needs_review = matches!(
                m.doc_type,
                DocType::Policy | DocType::Procedure | DocType::Standard
            );
            if needs_review && m.review.is_none() && !m.rejected.contains("review") {
                out.push(
                    Diagnostic::error(
                        code::REVIEW_MISSING,
                        m.span_of("status"),
                        format!("{} is an approved {} without a `review` date", m.id, m.doc_type),
                    )
                    .with_suggestion("add `review: YYYY-MM-DD`, or set `review_interval = \"12 months\"` in aims.toml"),
                );
            }
            if let Some(review) = m.review.filter(|r| *r < today) {
                let days = review.days_until(today);
                let msg = format!(
                    "the review of {} was due on {review} ({days} day{} ago)",
                    m.id,
                    if days == 1 { "" } else { "s" }
                );
                // A review date computed from `review_interval` points at `approved`.
                let span = if m.spans.contains_key("review") {
                    m.span_of("review")
                } else {
                    m.span_of("approved")
                };
                let d = Diagnostic::warning(code::REVIEW_OVERDUE, span, msg);
                out.push(d.with_suggestion("review the document, then set the next `review` date"));
            }
        }
        if let (Some(a), Some(e)) = (m.approved, m.effective) {
            if e < a {
                out.push(
                    Diagnostic::error(
                        code::EFFECTIVE_BEFORE_APPROVED,
                        m.span_of("effective"),
                        format!(
                            "{} takes effect on {e}, before it was approved on {a}",
                            m.id
                        ),
                    )
                    .with_suggestion("set `effective` on or after `approved`"),
                );
            }
        }
        let title_key = m.title.trim().to_lowercase();
        match titles.get(&title_key) {
            Some(&first) => out.push(
                Diagnostic::warning(
                    code::DUPLICATE_TITLE,
                    m.span_of("title"),
                    format!(
                        "{} has the same title as {} (\"{}\")",
                        m.id,
                        manual.doc(first).meta.id,
                        m.title
                    ),
                )
                .with_suggestion("give each document a title readers can tell apart"),
            ),
            None => {
                titles.insert(title_key, i);
            }
        }
        if m.status != Status::Retired {
            for c in &m.controls {
                if manual
                    .soa
                    .decisions
                    .get(&c.id)
                    .is_some_and(|d| !d.applicable)
                {
                    out.push(
                        Diagnostic::warning(
                            code::CLAIMS_EXCLUDED_CONTROL,
                            c.span.clone(),
                            format!(
                                "{} claims {}, which soa.yaml excludes as not applicable",
                                m.id, c.id
                            ),
                        )
                        .with_suggestion(format!(
                            "remove {} from `controls`, or make it applicable in soa.yaml",
                            c.id
                        )),
                    );
                }
            }
            references_to_retired(manual, resolved, i, text_of, &mut out);
        }
        if let (Some(s), Some(j)) = (&m.supersedes, resolved.supersedes[i]) {
            let target = manual.doc(j);
            if j != i && target.meta.status != Status::Retired {
                out.push(
                    Diagnostic::error(
                        code::SUPERSEDES_NOT_RETIRED,
                        s.span.clone(),
                        format!(
                            "{} supersedes {}, which is still `{}`",
                            m.id, target.meta.id, target.meta.status
                        ),
                    )
                    .with_suggestion(format!(
                        "set `status: retired` in {}",
                        target.path.display()
                    )),
                );
            }
            if in_cycle(resolved, i) {
                out.push(
                    Diagnostic::error(
                        code::SUPERSEDES_CYCLE,
                        s.span.clone(),
                        format!("`supersedes` of {} leads back to {} in a cycle", m.id, m.id),
                    )
                    .with_suggestion("a document can only supersede older documents"),
                );
            }
        }
    }
    out
}

fn in_cycle(resolved: &Resolved, start: DocIndex) -> bool {
    let mut cur = resolved.supersedes[start];
    let mut steps = 0;
    while let Some(j) = cur {
        if j == start {
            return true;
        }
        steps += 1;
        if steps > resolved.supersedes.len() {
            return false;
        }
        cur = resolved.supersedes[j];
    }
    false
}

fn references_to_retired(
    manual: &Manual,
    resolved: &Resolved,
    i: DocIndex,
    text_of: &dyn Fn(&Path) -> Option<String>,
    out: &mut Vec<Diagnostic>,
) {
    let d = manual.doc(i);
    let retired = |j: DocIndex| manual.doc(j).meta.status == Status::Retired;
    let finding = |j: DocIndex, span: Span| {
        let target = manual.doc(j);
        let successor = resolved.superseded_by[j]
            .first()
            .map(|&k| format!("refer to {} instead", manual.doc(k).meta.id))
            .unwrap_or_else(|| "refer to the document that replaced it".into());
        Diagnostic::warning(
            code::REFERENCES_RETIRED,
            span,
            format!(
                "{} references {}, which is retired",
                d.meta.id, target.meta.id
            ),
        )
        .with_suggestion(successor)
    };
    for (k, &j) in resolved.related[i].iter().enumerate() {
        if retired(j) {
            let span = d
                .meta
                .related
                .get(k)
                .map_or_else(|| d.meta.start.clone(), |r| r.span.clone());
            out.push(finding(j, span));
        }
    }
    let text: OnceCell<Option<String>> = OnceCell::new();
    let lines: OnceCell<Option<LineIndex<'_>>> = OnceCell::new();
    for (k, link) in resolved.links[i].iter().enumerate() {
        let Link::Doc { doc: j, .. } = link else {
            continue;
        };
        if !retired(*j) || resolved.supersedes[i] == Some(*j) {
            continue;
        }
        let Some(reference) = d.body.refs.get(k) else {
            continue;
        };
        if matches!(reference.target, RefTarget::SelfAnchor(_)) {
            continue;
        }
        let index = lines.get_or_init(|| {
            text.get_or_init(|| text_of(&d.path))
                .as_deref()
                .map(LineIndex::new)
        });
        let span = match index {
            Some(index) => index.span(
                &d.path,
                d.body_offset + reference.range.start..d.body_offset + reference.range.end,
            ),
            None => Span::file(&d.path),
        };
        out.push(finding(*j, span));
    }
}
