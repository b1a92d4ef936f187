//! The Statement of Applicability as pages show it: the SoA itself as a controlled document
//! (its row in the register, the control header of its page), each control's row (owner,
//! justification, evidence, and a class by decision), and those texts with their references
//! filled in: as links on a page, as plain text in `soa.csv` and the search index.

use serde::Serialize;
use tera::Value;

use super::links::element_html;
use super::page::Kind;
use super::views::{status_label, DocView, EntryView};
use super::{Input, Shared};
use crate::analyse::{standing_of, Analysis, Coverage};
use crate::config::Disclosure;
use crate::markdown::escape_attr;
use crate::model::soa::{Annex, SoaRef, TextField, SOA_FILE, SOA_TITLE};
use crate::model::Manual;
use crate::resolve::{Link, Resolved};

/// The id of the SoA's row in the register.
pub(crate) const SOA_ID: &str = "SoA";

/// The type shown in the SoA's row of the register.
pub(crate) const SOA_TYPE: &str = "soa";

/// What a reference to a withheld document reads as in plain text.
const WITHHELD_TEXT: &str = "internal document";

/// The SoA as a controlled document, in the shape of a register row (`None` without a
/// `soa.yaml`).
pub(crate) fn soa_view(m: &Manual, a: &Analysis) -> Option<DocView> {
    if !m.soa.present {
        return None;
    }
    let meta = &m.soa.meta;
    let s = standing_of(&m.soa.controlled(), a.today);
    Some(DocView {
        id: SOA_ID.into(),
        title: SOA_TITLE.into(),
        url: Kind::Soa.path().into(),
        path: SOA_FILE.into(),
        doc_type: SOA_TYPE,
        status: meta.status.as_str(),
        status_label: status_label(meta.status),
        version: meta.version.clone(),
        owner: meta.owner.clone(),
        approver: meta.approver.clone(),
        approved: meta.approved.map(|d| d.to_string()),
        effective: meta.effective.map(|d| d.to_string()),
        review: meta.review.map(|d| d.to_string()),
        classification: "—",
        tags: Vec::new(),
        overdue: s.overdue,
        due_soon: s.due_soon,
        incomplete_approval: s.incomplete_approval,
        section: String::new(),
        section_url: String::new(),
    })
}

/// The text of one field of a control's decision with each reference replaced by `each`
/// and the text between by `between`.
fn fill(
    m: &Manual,
    r: &Resolved,
    (annex, control): (Annex, &str),
    field: TextField,
    each: impl Fn(&SoaRef, &Link) -> String,
    between: impl Fn(&str) -> String,
) -> Option<String> {
    let text = field.of(m.soa.decision(annex, control)?)?;
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for (k, sref) in m.soa.refs_of(annex, control, field) {
        let (Some(link), range) = (r.soa_links.get(k), sref.range.clone()) else {
            continue;
        };
        let inside = range.start >= at
            && range.end <= text.len()
            && text.is_char_boundary(range.start)
            && text.is_char_boundary(range.end);
        if !inside {
            continue;
        }
        out.push_str(&between(&text[at..range.start]));
        out.push_str(&each(sref, link));
        at = range.end;
    }
    out.push_str(&between(&text[at..]));
    Some(out)
}

/// A justification or evidence of a control of an Annex A as HTML, each reference a link
/// whose href `href_of` gives (a withheld document as the withheld text, an unknown id
/// struck out).
pub(crate) fn text_html(
    m: &Manual,
    r: &Resolved,
    control: (Annex, &str),
    field: TextField,
    href_of: &dyn Fn(&Link) -> String,
) -> Option<String> {
    fill(
        m,
        r,
        control,
        field,
        |s, link| element_html(m, link, &href_of(link), s.label.as_deref(), &s.id),
        escape_attr,
    )
}

/// A justification or evidence as plain text: each reference as its label, a document as
/// "Title (ID)", a clause or control as its id; a withheld document as "internal document".
pub(crate) fn text_plain(
    m: &Manual,
    r: &Resolved,
    control: (Annex, &str),
    field: TextField,
) -> Option<String> {
    fill(
        m,
        r,
        control,
        field,
        |s, link| match link {
            Link::Withheld => WITHHELD_TEXT.into(),
            _ if s.label.is_some() => s.label.clone().unwrap_or_default(),
            Link::Doc { doc, .. } => {
                let meta = &m.doc(*doc).meta;
                format!("{} ({})", meta.title, meta.id)
            }
            Link::Catalog { id, .. } => id.to_string(),
            Link::Framework(e) => {
                let (f, entry) = m.frameworks.entry(*e);
                format!("{} {}", f.id, entry.id)
            }
            Link::System(k) => match m.systems.as_ref().and_then(|l| l.list.get(*k)) {
                Some(sys) => format!("{} ({})", sys.name, sys.id),
                None => s.id.clone(),
            },
            _ => s.id.clone(),
        },
        str::to_string,
    )
}

/// One control's decision as a page shows it: owner, and justification and evidence as
/// HTML with their references linked.
#[derive(Serialize)]
pub(crate) struct DecisionView<'a> {
    /// Who is responsible for the control.
    pub(crate) owner: Option<&'a str>,
    /// Why it applies or not (HTML, escaped here: templates print it with `| safe`).
    pub(crate) justification: Option<String>,
    /// What shows it operating (HTML, escaped here: templates print it with `| safe`).
    pub(crate) evidence: Option<String>,
}

/// The decision on `control` of an Annex A, its references linked by `href_of`.
pub(crate) fn decision_view<'a>(
    input: &Input<'a>,
    control: (Annex, &str),
    href_of: &dyn Fn(&Link) -> String,
) -> DecisionView<'a> {
    let (m, r) = (input.manual, input.resolved);
    let html = |field| text_html(m, r, control, field, href_of);
    DecisionView {
        owner: m
            .soa
            .decision(control.0, control.1)
            .and_then(|d| d.owner.as_deref()),
        justification: html(TextField::Justification),
        evidence: html(TextField::Evidence),
    }
}

/// One row of the SoA table.
#[derive(Serialize)]
pub(crate) struct SoaRow<'a> {
    /// The control.
    pub(crate) entry: &'a EntryView,
    /// `soa-applicable`, `soa-excluded` or `soa-undecided`: excluded rows look different.
    pub(crate) class: &'static str,
    /// Owner, justification and evidence.
    pub(crate) decision: DecisionView<'a>,
    /// The documents that declare the control, as `documents` gives them.
    pub(crate) documents: Value,
}

/// Every control's row, in catalog order.
pub(crate) fn rows<'a>(
    input: &Input<'a>,
    sh: &'a Shared,
    href_of: &dyn Fn(&Link) -> String,
    documents: &dyn Fn(&Coverage) -> Value,
) -> Vec<SoaRow<'a>> {
    input
        .analysis
        .controls
        .iter()
        .filter_map(|c| {
            let entry = sh.entries.iter().find(|e| e.id == c.id.as_str())?;
            let class = if !entry.decided {
                "soa-undecided"
            } else if entry.applicable {
                "soa-applicable"
            } else {
                "soa-excluded"
            };
            Some(SoaRow {
                entry,
                class,
                decision: decision_view(input, (Annex::Iso42001, c.id.as_str()), href_of),
                documents: documents(c),
            })
        })
        .collect()
}

/// The view of every catalog entry as a site shows it. The SoA's own text (justification,
/// implementation, owner, evidence) often names internal documents: unless `disclosure` is
/// full, no view carries it, so no page, search index or print can show it. When it is,
/// justification and evidence are plain text with their references read (a withheld document
/// as "internal document", never its id).
pub fn entry_views(
    manual: &Manual,
    analysis: &Analysis,
    resolved: &Resolved,
    disclosure: Disclosure,
) -> Vec<EntryView> {
    let full = disclosure == Disclosure::Full;
    manual
        .catalog
        .entries
        .iter()
        .map(|e| {
            let mut v = super::views::entry_view(manual, analysis, e);
            if full {
                let plain =
                    |field| text_plain(manual, resolved, (Annex::Iso42001, e.id.as_str()), field);
                v.justification = plain(TextField::Justification);
                v.evidence = plain(TextField::Evidence);
                v.owner = manual
                    .soa
                    .decisions
                    .get(&e.id)
                    .and_then(|d| d.owner.clone());
            } else {
                v.justification = None;
                v.implementation = None;
            }
            v
        })
        .collect()
}
