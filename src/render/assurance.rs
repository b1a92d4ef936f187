//! What an auditor asks about, as template values: the rows of "needs attention" on the
//! coverage page (each control or clause with its state, implementation and reasons), and a
//! control's evidence (what implementing it produces, and the records of this AIMS that
//! provide it).

use serde::Serialize;
use tera::Value;

use super::shared::Shared;
use super::views::EntryView;
use crate::analyse::Analysis;
use crate::model::catalog::{Entry, EntryKind};
use crate::model::Manual;

/// One row of "needs attention".
#[derive(Serialize)]
pub(crate) struct AttentionView<'a> {
    /// The control or clause.
    entry: &'a EntryView,
    /// The reasons, as stable names and in words.
    concerns: Vec<ConcernView>,
}

#[derive(Serialize)]
struct ConcernView {
    name: &'static str,
    text: &'static str,
}

/// The rows of "needs attention", in catalog order.
pub(crate) fn attention<'a>(m: &Manual, a: &Analysis, sh: &'a Shared) -> Vec<AttentionView<'a>> {
    a.attention
        .iter()
        .filter_map(|at| {
            let i = m.catalog.entries.iter().position(|e| e.id == at.id)?;
            Some(AttentionView {
                entry: &sh.entries[i],
                concerns: at
                    .concerns
                    .iter()
                    .map(|c| ConcernView {
                        name: c.as_str(),
                        text: c.describe(),
                    })
                    .collect(),
            })
        })
        .collect()
}

/// The evidence of a control: what implementing it produces, and the records that provide it.
#[derive(Serialize)]
pub(crate) struct EvidenceView<'a> {
    /// What the reference data says implementing the control produces.
    produces: Option<&'a str>,
    /// Non-retired records and registers of this AIMS that declare the control.
    documents: Value,
}

/// The evidence of `entry` (`None` unless it is a control).
pub(crate) fn evidence<'a>(
    m: &'a Manual,
    a: &Analysis,
    sh: &Shared,
    entry: &Entry,
) -> Option<EvidenceView<'a>> {
    if entry.kind != EntryKind::Control {
        return None;
    }
    let records: Vec<Value> = a
        .coverage(&entry.id)
        .map(|c| {
            c.records
                .iter()
                .map(|&d| sh.doc_values[d].clone())
                .collect()
        })
        .unwrap_or_default();
    Some(EvidenceView {
        produces: m.catalog.evidence_of(entry.id.as_str()),
        documents: Value::from(records.as_slice()),
    })
}
