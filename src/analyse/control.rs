//! Document control (clause 7.5): rules about approval, effective and review dates,
//! superseded and retired documents, titles, and claims on excluded controls. Each rule is a
//! diagnostic with its own code. The rules on approval and dates read a [`Controlled`] view,
//! so the SoA (`soa.yaml`, a controlled document too) is checked by the same rules as every
//! document.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::Path;

use crate::date::Date;
use crate::diagnostics::{code, Diagnostic, LineIndex, Span};
use crate::markdown::RefTarget;
use crate::model::frontmatter::Status;
use crate::model::soa::SOA_FILE;
use crate::model::{Controlled, DocIndex, Manual};
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
        approval_rules(&m.controlled(), today, &mut out);
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
            claims_excluded_iso27001(manual, m, &mut out);
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
    if manual.soa.present {
        approval_rules(&manual.soa.controlled(), today, &mut out);
        soa_references_to_retired(manual, resolved, &mut out);
    }
    out
}

/// The rules on approval, effective and review dates, for any controlled item: a document
/// or the SoA.
fn approval_rules(c: &Controlled<'_>, today: Date, out: &mut Vec<Diagnostic>) {
    if c.status == Status::Approved {
        let missing: Vec<&str> = [
            ("approver", c.approver.is_none()),
            ("approved", c.approved.is_none()),
            ("version", c.version.is_none()),
            ("owner", c.owner.is_none()),
        ]
        .iter()
        .filter(|(f, gone)| *gone && !c.rejected.contains(f))
        .map(|(f, _)| *f)
        .collect();
        if !missing.is_empty() {
            out.push(
                Diagnostic::error(
                    code::APPROVAL_INCOMPLETE,
                    c.span_of("status"),
                    format!(
                        "{} is approved but has no {}",
                        c.name,
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
        if c.needs_review && c.review.is_none() && !c.rejected.contains("review") {
            out.push(
                Diagnostic::error(
                    code::REVIEW_MISSING,
                    c.span_of("status"),
                    format!("{} is an approved {} without a `review` date", c.name, c.kind),
                )
                .with_suggestion("add `review: YYYY-MM-DD`, or set `review_interval = \"12 months\"` in aims.toml"),
            );
        }
        if let Some(review) = c.review.filter(|r| *r < today) {
            let days = review.days_until(today);
            let msg = format!(
                "the review of {} was due on {review} ({days} day{} ago)",
                c.name,
                if days == 1 { "" } else { "s" }
            );
            // A review date computed from `review_interval` points at `approved`.
            let span = if c.written("review") {
                c.span_of("review")
            } else {
                c.span_of("approved")
            };
            let d = Diagnostic::warning(code::REVIEW_OVERDUE, span, msg);
            out.push(d.with_suggestion(format!(
                "review {}, then set the next `review` date",
                if c.name == SOA_FILE {
                    "the SoA"
                } else {
                    "the document"
                }
            )));
        }
    }
    if let (Some(a), Some(e)) = (c.approved, c.effective) {
        if e < a {
            out.push(
                Diagnostic::error(
                    code::EFFECTIVE_BEFORE_APPROVED,
                    c.span_of("effective"),
                    format!(
                        "{} takes effect on {e}, before it was approved on {a}",
                        c.name
                    ),
                )
                .with_suggestion("set `effective` on or after `approved`"),
            );
        }
    }
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

/// `from` references the retired document `j` at `span`.
fn retired_finding(
    manual: &Manual,
    resolved: &Resolved,
    from: &str,
    j: DocIndex,
    span: Span,
) -> Diagnostic {
    let target = manual.doc(j);
    let successor = resolved.superseded_by[j]
        .first()
        .map(|&k| format!("refer to {} instead", manual.doc(k).meta.id))
        .unwrap_or_else(|| "refer to the document that replaced it".into());
    Diagnostic::warning(
        code::REFERENCES_RETIRED,
        span,
        format!("{from} references {}, which is retired", target.meta.id),
    )
    .with_suggestion(successor)
}

/// ISO/IEC 27001 Annex A controls a document declares in `frameworks:` that `iso27001:` in
/// soa.yaml excludes: the rule of `controls` and the ISO/IEC 42001 SoA, with the same code.
fn claims_excluded_iso27001(
    manual: &Manual,
    m: &crate::model::FrontMatter,
    out: &mut Vec<Diagnostic>,
) {
    use crate::model::soa::{Annex, ISO27001};
    for f in m.frameworks.iter().filter(|f| f.framework == ISO27001) {
        if manual
            .soa
            .decision(Annex::Iso27001, &f.id)
            .is_some_and(|d| !d.applicable)
        {
            out.push(
                Diagnostic::warning(
                    code::CLAIMS_EXCLUDED_CONTROL,
                    f.span.clone(),
                    format!(
                        "{} declares ISO/IEC 27001 {}, which soa.yaml excludes as not applicable",
                        m.id, f.id
                    ),
                )
                .with_suggestion(format!(
                    "remove {} from `frameworks: {{iso27001: [...]}}`, or make it applicable under `iso27001:` in soa.yaml",
                    f.id
                )),
            );
        }
    }
}

/// References in the SoA's justifications and evidence to retired documents.
fn soa_references_to_retired(manual: &Manual, resolved: &Resolved, out: &mut Vec<Diagnostic>) {
    for (r, link) in manual.soa.refs.iter().zip(&resolved.soa_links) {
        if let Link::Doc { doc: j, .. } = link {
            if manual.doc(*j).meta.status == Status::Retired {
                out.push(retired_finding(
                    manual,
                    resolved,
                    SOA_FILE,
                    *j,
                    r.span.clone(),
                ));
            }
        }
    }
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
    let finding =
        |j: DocIndex, span: Span| retired_finding(manual, resolved, d.meta.id.as_str(), j, span);
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
