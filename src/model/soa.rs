//! The Statement of Applicability: its own document-control data ([`SoaMeta`]), the decision
//! on each Annex A control (of ISO/IEC 42001, and of ISO/IEC 27001:2022 under the `iso27001:`
//! key when that framework is enabled), and the references written in its text ([`SoaRef`]),
//! as data.
//! Reading and checking `soa.yaml` is the load stage's job (`load::soa`).

use std::collections::BTreeMap;

use serde::Serialize;

use super::controlled::Controlled;
use super::frontmatter::Status;
use super::ids::CatalogId;
use crate::date::Date;
use crate::diagnostics::Span;

/// The file name at the AIMS root.
pub const SOA_FILE: &str = "soa.yaml";

/// How findings and pages name the SoA as a controlled document.
pub const SOA_TITLE: &str = "Statement of Applicability";

/// The key of `soa.yaml` that holds the decisions on ISO/IEC 27001:2022 Annex A, and the id of
/// that framework in `aims.toml`.
pub const ISO27001: &str = "iso27001";

/// Whose Annex A a decision (and a reference in its texts) belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Annex {
    /// ISO/IEC 42001 Annex A (`controls:`).
    #[default]
    Iso42001,
    /// ISO/IEC 27001:2022 Annex A (`iso27001:`).
    Iso27001,
}

/// How far an applicable control is implemented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Implementation {
    /// In place and operating.
    Implemented,
    /// Partly in place.
    Partial,
    /// Decided but not yet in place.
    Planned,
}

impl Implementation {
    /// The YAML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Implementation::Implemented => "implemented",
            Implementation::Partial => "partial",
            Implementation::Planned => "planned",
        }
    }
}

/// The decision for one control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// Whether the control applies.
    pub applicable: bool,
    /// Why (required when excluded), as written; it may hold references ([`SoaRef`]).
    pub justification: Option<String>,
    /// Implementation state, for applicable controls.
    pub implementation: Option<Implementation>,
    /// Who is responsible for the control.
    pub owner: Option<String>,
    /// What shows the control operating, as written; it may hold references ([`SoaRef`]).
    pub evidence: Option<String>,
}

/// A text field of a decision that may hold `[[…]]` references.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TextField {
    /// `justification`.
    Justification,
    /// `evidence`.
    Evidence,
}

impl TextField {
    /// Both, in the order they are read.
    pub const ALL: [TextField; 2] = [TextField::Justification, TextField::Evidence];

    /// The YAML key.
    pub fn as_str(self) -> &'static str {
        match self {
            TextField::Justification => "justification",
            TextField::Evidence => "evidence",
        }
    }

    /// The text of this field in `d`.
    pub fn of(self, d: &Decision) -> Option<&str> {
        match self {
            TextField::Justification => d.justification.as_deref(),
            TextField::Evidence => d.evidence.as_deref(),
        }
    }
}

/// One `[[ID]]`, `[[ID#anchor]]` or `[[ID|text]]` in a justification or evidence, unresolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoaRef {
    /// Whose Annex A the control is.
    pub annex: Annex,
    /// The control whose decision holds it (its id in that Annex A).
    pub control: String,
    /// The field that holds it.
    pub field: TextField,
    /// Its byte range in the field's text (the brackets included).
    pub range: std::ops::Range<usize>,
    /// The id part, trimmed.
    pub id: String,
    /// The part after `#`.
    pub anchor: Option<String>,
    /// The part after `|`: the text to show instead of the target's title.
    pub label: Option<String>,
    /// Where it is written in `soa.yaml` (the control's key when it cannot be found).
    pub span: Span,
}

/// The SoA's own document-control fields, written at the top of `soa.yaml` like a
/// document's front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoaMeta {
    /// Approval status (`draft` when not given).
    pub status: Status,
    /// Version label, as written.
    pub version: Option<String>,
    /// Owner role or person.
    pub owner: Option<String>,
    /// Approver role or person.
    pub approver: Option<String>,
    /// Date of approval.
    pub approved: Option<Date>,
    /// Date it takes effect.
    pub effective: Option<Date>,
    /// Next review due.
    pub review: Option<Date>,
    /// Where each field's value was written, by field name.
    pub spans: BTreeMap<&'static str, Span>,
    /// The start of `soa.yaml` (for findings about absent fields).
    pub start: Span,
    /// Fields written with a value that was rejected (and reported at that value).
    pub rejected: std::collections::BTreeSet<&'static str>,
}

impl Default for SoaMeta {
    fn default() -> SoaMeta {
        SoaMeta {
            status: Status::Draft,
            version: None,
            owner: None,
            approver: None,
            approved: None,
            effective: None,
            review: None,
            spans: BTreeMap::new(),
            start: Span::file(SOA_FILE),
            rejected: Default::default(),
        }
    }
}

/// All decisions, by control id, with the SoA's own control data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Soa {
    /// Decisions by canonical control id.
    pub decisions: BTreeMap<CatalogId, Decision>,
    /// Whether `soa.yaml` exists.
    pub present: bool,
    /// Its document-control fields.
    pub meta: SoaMeta,
    /// Every reference in its justifications and evidence, by control in catalog order as
    /// read, each field's in text order (the ISO/IEC 27001 decisions' after the rest).
    pub refs: Vec<SoaRef>,
    /// The decisions on ISO/IEC 27001:2022 Annex A controls by id, when `soa.yaml` has an
    /// `iso27001:` key and `aims.toml` enables that framework (`None` otherwise).
    pub iso27001: Option<BTreeMap<String, Decision>>,
}

impl Soa {
    /// The SoA's control data as the document-control rules read it.
    pub fn controlled(&self) -> Controlled<'_> {
        let m = &self.meta;
        Controlled {
            name: SOA_FILE,
            kind: SOA_TITLE,
            needs_review: true,
            status: m.status,
            version: m.version.as_deref(),
            owner: m.owner.as_deref(),
            approver: m.approver.as_deref(),
            approved: m.approved,
            effective: m.effective,
            review: m.review,
            spans: &m.spans,
            start: &m.start,
            rejected: &m.rejected,
        }
    }

    /// Whether the SoA is approved: `status: approved` with an approver and an approval date
    /// in `soa.yaml`.
    pub fn is_approved(&self) -> bool {
        self.present && self.controlled().is_approved()
    }

    /// The references written in one field of one control's decision, in text order.
    pub fn refs_of<'a>(
        &'a self,
        annex: Annex,
        control: &'a str,
        field: TextField,
    ) -> impl Iterator<Item = (usize, &'a SoaRef)> + 'a {
        self.refs
            .iter()
            .enumerate()
            .filter(move |(_, r)| r.annex == annex && r.control == control && r.field == field)
    }

    /// The decision on a control of `annex`.
    pub fn decision(&self, annex: Annex, control: &str) -> Option<&Decision> {
        match annex {
            Annex::Iso42001 => self.decisions.get(&CatalogId::new(control)),
            Annex::Iso27001 => self.iso27001.as_ref()?.get(control),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approved_needs_status_approver_and_date() {
        let mut soa = Soa {
            present: true,
            ..Soa::default()
        };
        assert!(!soa.is_approved());
        soa.meta.status = Status::Approved;
        soa.meta.approver = Some("Board".into());
        assert!(!soa.is_approved());
        soa.meta.approved = Date::parse("2026-01-02");
        assert!(soa.is_approved());
        soa.present = false;
        assert!(!soa.is_approved());
    }
}
