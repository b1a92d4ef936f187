//! The document-control fields that a document's front matter and the top of `soa.yaml`
//! share (status, version, owner, approver, approved, effective, review), as one view
//! ([`Controlled`]). The document-control rules (`analyse::control`) and the standing shown in
//! the register read documents and the SoA through it, so both are checked and shown alike.

use std::collections::{BTreeMap, BTreeSet};

use super::frontmatter::{DocType, Field, FrontMatter, Status};
use crate::date::Date;
use crate::diagnostics::Span;

/// The fields of [`Controlled`], in the order of [`Field`]: what a controlled item other than
/// a document (the SoA) may write of them.
pub const CONTROL_FIELDS: &[Field] = &[
    Field::Status,
    Field::Version,
    Field::Owner,
    Field::Approver,
    Field::Approved,
    Field::Effective,
    Field::Review,
];

/// One controlled item's document-control data, borrowed from where it was read.
#[derive(Debug, Clone, Copy)]
pub struct Controlled<'a> {
    /// How findings name it: a document's id, or `soa.yaml`.
    pub name: &'a str,
    /// What it is, for messages: the document type, or `Statement of Applicability`.
    pub kind: &'a str,
    /// Whether it needs a `review` date once approved.
    pub needs_review: bool,
    /// Approval status.
    pub status: Status,
    /// Version label.
    pub version: Option<&'a str>,
    /// Owner.
    pub owner: Option<&'a str>,
    /// Approver.
    pub approver: Option<&'a str>,
    /// Date of approval.
    pub approved: Option<Date>,
    /// Date it takes effect.
    pub effective: Option<Date>,
    /// Next review due.
    pub review: Option<Date>,
    /// Where each field's value was written, by field name.
    pub spans: &'a BTreeMap<&'static str, Span>,
    /// Where findings about absent fields point.
    pub start: &'a Span,
    /// Fields written with a value that was rejected (and reported there): not also reported
    /// as missing.
    pub rejected: &'a BTreeSet<&'static str>,
}

impl Controlled<'_> {
    /// The span of a field's value, or [`Self::start`] when it is absent.
    pub fn span_of(&self, field: &str) -> Span {
        self.spans
            .get(field)
            .cloned()
            .unwrap_or_else(|| self.start.clone())
    }

    /// Whether a field was written (even with a value that could not be read).
    pub fn written(&self, field: &str) -> bool {
        self.spans.contains_key(field)
    }

    /// Approved, with an approver and an approval date.
    pub fn is_approved(&self) -> bool {
        self.status == Status::Approved && self.approver.is_some() && self.approved.is_some()
    }
}

impl FrontMatter {
    /// This document's control data as the rules read it.
    pub fn controlled(&self) -> Controlled<'_> {
        Controlled {
            name: self.id.as_str(),
            kind: self.doc_type.as_str(),
            needs_review: matches!(
                self.doc_type,
                DocType::Policy | DocType::Procedure | DocType::Standard
            ),
            status: self.status,
            version: self.version.as_deref(),
            owner: self.owner.as_deref(),
            approver: self.approver.as_deref(),
            approved: self.approved,
            effective: self.effective,
            review: self.review,
            spans: &self.spans,
            start: &self.start,
            rejected: &self.rejected,
        }
    }
}
