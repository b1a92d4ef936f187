//! Required documented information, judged by kind.
//!
//! - An item of kind `document` (how things are done) is met by the documents that declare
//!   its clause: its state is the best any non-retired one of them contributes.
//! - An item of kind `record` (evidence of what was done) is met only by documents of type
//!   `record` or `register` that declare its clause. When only other documents (a
//!   procedure, a plan) declare it, the item is [`RequiredState::ProcessOnly`]: the process
//!   is written down, the evidence is not.
//! - The Statement of Applicability is met by `soa.yaml` itself, when it decides on every
//!   Annex A control and is approved ([`Soa::is_approved`]); never by a document that happens
//!   to declare clause 6.1.3.

use serde::Serialize;

use super::{Coverage, DocStanding, State};
use crate::model::soa::Soa;
use crate::model::{DocIndex, Manual, PerDoc};

/// The key of the Statement of Applicability in the reference data.
pub const SOA_ITEM: &str = "statement-of-applicability";

/// How far one item of required documented information is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RequiredState {
    /// Met by an approved document (or record) in force.
    Covered,
    /// Met only by approved documents past their review date.
    Overdue,
    /// Met only by documents not yet in force (or, for the SoA, a `soa.yaml` that is not
    /// complete or not approved).
    Draft,
    /// A record item whose clause only procedures, plans or other non-records address.
    ProcessOnly,
    /// Nothing addresses it.
    Gap,
}

impl RequiredState {
    /// Every state, best first.
    pub const ALL: [RequiredState; 5] = [
        RequiredState::Covered,
        RequiredState::Overdue,
        RequiredState::Draft,
        RequiredState::ProcessOnly,
        RequiredState::Gap,
    ];

    /// The name in data files and CSS classes (`process-only`).
    pub fn as_str(self) -> &'static str {
        match self {
            RequiredState::Covered => "covered",
            RequiredState::Overdue => "overdue",
            RequiredState::Draft => "draft",
            RequiredState::ProcessOnly => "process-only",
            RequiredState::Gap => "gap",
        }
    }

    /// The name for readers (`process only — no record`).
    pub fn label(self) -> &'static str {
        match self {
            RequiredState::ProcessOnly => "process only — no record",
            other => other.as_str(),
        }
    }

    /// The state the best of some documents' contributions gives.
    fn of(best: Option<State>) -> RequiredState {
        match best {
            Some(State::Covered | State::Partial) => RequiredState::Covered,
            Some(State::Overdue) => RequiredState::Overdue,
            Some(State::Draft) => RequiredState::Draft,
            Some(State::Gap | State::Excluded) | None => RequiredState::Gap,
        }
    }
}

/// How `soa.yaml` stands as the Statement of Applicability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SoaStanding {
    /// Whether `soa.yaml` exists.
    pub present: bool,
    /// Annex A controls it does not decide on.
    pub undecided: usize,
    /// Whether it is approved.
    pub approved: bool,
}

/// One item of required documented information and how it is met.
#[derive(Debug, Clone, Serialize)]
pub struct RequiredStatus {
    /// Index into `Catalog::required`.
    pub item: usize,
    /// How far it is met.
    pub state: RequiredState,
    /// The documents that meet it (for a record item, the records and registers; for a
    /// document item, every non-retired document declaring its clause).
    pub documents: Vec<DocIndex>,
    /// Non-retired documents that address its clause without meeting it (a procedure for a
    /// record item).
    pub other_documents: Vec<DocIndex>,
    /// Set for the item `soa.yaml` itself meets: how it stands.
    pub soa: Option<SoaStanding>,
}

/// How `soa.yaml` stands, against the catalog's controls.
fn soa_standing(manual: &Manual, soa: &Soa) -> SoaStanding {
    SoaStanding {
        present: soa.present,
        undecided: manual
            .catalog
            .controls()
            .filter(|c| !soa.decisions.contains_key(&c.id))
            .count(),
        approved: soa.is_approved(),
    }
}

/// Judges every item of `manual.catalog.required`, in its order.
pub(super) fn required(
    manual: &Manual,
    clauses: &[Coverage],
    standing: &PerDoc<DocStanding>,
) -> Vec<RequiredStatus> {
    let soa = soa_standing(manual, &manual.soa);
    let best = |docs: &[DocIndex]| docs.iter().filter_map(|&d| standing[d].contributes).max();
    manual
        .catalog
        .required
        .iter()
        .enumerate()
        .map(|(item, r)| {
            if r.id == SOA_ITEM {
                let state = if !soa.present {
                    RequiredState::Gap
                } else if soa.undecided == 0 && soa.approved {
                    RequiredState::Covered
                } else {
                    RequiredState::Draft
                };
                return RequiredStatus {
                    item,
                    state,
                    documents: Vec::new(),
                    other_documents: Vec::new(),
                    soa: Some(soa),
                };
            }
            let clause = clauses.iter().find(|c| c.id.as_str() == r.clause);
            let live: Vec<DocIndex> = clause
                .map(|c| {
                    c.documents
                        .iter()
                        .copied()
                        .filter(|&d| standing[d].contributes.is_some())
                        .collect()
                })
                .unwrap_or_default();
            let (documents, other_documents) = if r.is_record() {
                let records = clause.map(|c| c.records.clone()).unwrap_or_default();
                let others = live.into_iter().filter(|d| !records.contains(d)).collect();
                (records, others)
            } else {
                (live, Vec::new())
            };
            let state = match RequiredState::of(best(&documents)) {
                RequiredState::Gap if !other_documents.is_empty() => RequiredState::ProcessOnly,
                state => state,
            };
            RequiredStatus {
                item,
                state,
                documents,
                other_documents,
                soa: None,
            }
        })
        .collect()
}
