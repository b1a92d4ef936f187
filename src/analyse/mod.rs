//! The analyse stage: pure functions from the resolved manual and "today" to coverage states,
//! the Statement of Applicability, the document register and the required-documents list.
//!
//! A control's state weighs its documents and its SoA implementation together: documented
//! by an approved document in force but only `partial` or `planned` in `soa.yaml`, it is
//! [`State::Partial`], not [`State::Covered`]. What needs attention, and why, is in
//! [`attention`]; required documented information, judged by kind, in [`required`].

pub mod attention;
pub mod control;
pub mod crosswalk;
pub mod required;
pub mod systems;

use std::collections::HashMap;

use serde::Serialize;

use crate::date::Date;
use crate::model::catalog::{Entry, EntryKind};
use crate::model::frontmatter::{DocType, Status};
use crate::model::soa::Implementation;
use crate::model::{CatalogId, Controlled, DocIndex, Manual, PerDoc};
use crate::resolve::Resolved;

pub use attention::{Attention, Concern};
pub use required::{RequiredState, RequiredStatus};

/// Days ahead within which a review counts as "due soon".
pub const DUE_SOON_DAYS: i64 = 30;

/// The one coverage state of a control or clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Not applicable per the SoA (controls only).
    Excluded,
    /// Applicable and addressed by nothing in force or in preparation.
    Gap,
    /// Addressed only by documents not yet in force (draft, in review, approved but not yet
    /// effective).
    Draft,
    /// Addressed only by approved documents whose review date has passed.
    Overdue,
    /// Addressed by an approved, in-force document, but only partly implemented or planned
    /// per the SoA (controls only).
    Partial,
    /// Addressed by at least one approved, in-force document (and, for a control, not stated
    /// as partly implemented or planned).
    Covered,
}

impl State {
    /// Every state, in the order shown in legends.
    pub const ALL: [State; 6] = [
        State::Covered,
        State::Partial,
        State::Overdue,
        State::Draft,
        State::Gap,
        State::Excluded,
    ];

    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Covered => "covered",
            State::Partial => "partial",
            State::Overdue => "overdue",
            State::Draft => "draft",
            State::Gap => "gap",
            State::Excluded => "excluded",
        }
    }
}

/// How one document counts toward coverage today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DocStanding {
    /// What it contributes: `Covered`, `Overdue`, `Draft`, or `None` when retired.
    pub contributes: Option<State>,
    /// Approved and past its review date.
    pub overdue: bool,
    /// Review date within [`DUE_SOON_DAYS`].
    pub due_soon: bool,
    /// Approved but without `approver` or `approved`.
    pub incomplete_approval: bool,
}

/// Coverage of one control or clause.
#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    /// Canonical id.
    pub id: CatalogId,
    /// The state.
    pub state: State,
    /// Whether it applies (always true for clauses).
    pub applicable: bool,
    /// SoA justification.
    pub justification: Option<String>,
    /// SoA implementation state.
    pub implementation: Option<Implementation>,
    /// Whether the SoA decides on it (always true for clauses).
    pub decided: bool,
    /// Every document that declares it in front matter, whatever its status.
    pub documents: Vec<DocIndex>,
    /// The records: non-retired documents of type `record` or `register` among
    /// [`Coverage::documents`], the evidence an auditor asks to see.
    pub records: Vec<DocIndex>,
    /// When its evidence is per AI system: which systems need it and which lack it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub systems: Option<systems::SystemShare>,
}

/// Counts per state.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counts {
    /// covered
    pub covered: usize,
    /// partial
    pub partial: usize,
    /// overdue
    pub overdue: usize,
    /// draft
    pub draft: usize,
    /// gap
    pub gap: usize,
    /// excluded
    pub excluded: usize,
    /// total
    pub total: usize,
}

impl Counts {
    fn of<'a>(items: impl Iterator<Item = &'a Coverage>) -> Counts {
        let mut c = Counts::default();
        for i in items {
            c.total += 1;
            match i.state {
                State::Covered => c.covered += 1,
                State::Partial => c.partial += 1,
                State::Overdue => c.overdue += 1,
                State::Draft => c.draft += 1,
                State::Gap => c.gap += 1,
                State::Excluded => c.excluded += 1,
            }
        }
        c
    }
}

/// The analysis of a manual.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// The date everything was judged against.
    pub today: Date,
    /// Per document.
    pub standing: PerDoc<DocStanding>,
    /// The 38 controls, in catalog order.
    pub controls: Vec<Coverage>,
    /// All clauses, in catalog order.
    pub clauses: Vec<Coverage>,
    /// Required documented information, judged by kind.
    pub required: Vec<RequiredStatus>,
    /// Controls and leaf clauses that need attention, in catalog order.
    pub attention: Vec<Attention>,
    /// Control state counts.
    pub control_counts: Counts,
    /// Clause state counts (leaf clauses only, so parents are not counted twice).
    pub clause_counts: Counts,
    /// Non-retired documents due for review within [`DUE_SOON_DAYS`] or overdue, soonest first.
    pub due_for_review: Vec<DocIndex>,
    /// Per enabled framework (in `aims.toml` order): its entries' direct and inferred states.
    pub frameworks: Vec<crosswalk::FrameworkCoverage>,
    /// Per AI system of `systems.yaml`: its expected evidence (empty without the file).
    #[serde(skip_serializing_if = "systems::SystemsAnalysis::is_empty")]
    pub systems: systems::SystemsAnalysis,
    #[serde(skip)]
    index: HashMap<CatalogId, (bool, usize)>,
}

impl Analysis {
    /// Coverage of a control or clause by id.
    pub fn coverage(&self, id: &CatalogId) -> Option<&Coverage> {
        self.index.get(id).map(|&(is_control, i)| {
            if is_control {
                &self.controls[i]
            } else {
                &self.clauses[i]
            }
        })
    }
}

fn standing(manual: &Manual, today: Date) -> PerDoc<DocStanding> {
    manual
        .documents
        .iter()
        .map(|d| standing_of(&d.meta.controlled(), today))
        .collect()
}

/// How one controlled item (a document, or the SoA) stands today.
pub fn standing_of(m: &Controlled<'_>, today: Date) -> DocStanding {
    let overdue = m.status == Status::Approved && m.review.is_some_and(|r| r < today);
    let due_soon = m.status != Status::Retired
        && m.review
            .is_some_and(|r| r >= today && today.days_until(r) <= DUE_SOON_DAYS);
    let contributes = match m.status {
        Status::Retired => None,
        Status::Draft | Status::InReview => Some(State::Draft),
        Status::Approved => {
            if m.effective.is_some_and(|e| e > today) {
                Some(State::Draft)
            } else if overdue {
                Some(State::Overdue)
            } else {
                Some(State::Covered)
            }
        }
    };
    DocStanding {
        contributes,
        overdue,
        due_soon,
        incomplete_approval: m.status == Status::Approved
            && (m.approver.is_none() || m.approved.is_none()),
    }
}

fn direct_state(docs: &[DocIndex], standing: &PerDoc<DocStanding>) -> State {
    docs.iter()
        .filter_map(|&i| standing[i].contributes)
        .max()
        .unwrap_or(State::Gap)
}

/// A control's state from its documents' state and its SoA implementation: documented in
/// force but only partly implemented or planned is [`State::Partial`].
fn with_implementation(documented: State, implementation: Option<Implementation>) -> State {
    match (documented, implementation) {
        (State::Covered, Some(Implementation::Partial | Implementation::Planned)) => State::Partial,
        (state, _) => state,
    }
}

/// The non-retired records and registers among `docs`.
fn records(manual: &Manual, docs: &[DocIndex], standing: &PerDoc<DocStanding>) -> Vec<DocIndex> {
    docs.iter()
        .copied()
        .filter(|&d| standing[d].contributes.is_some())
        .filter(|&d| {
            matches!(
                manual.doc(d).meta.doc_type,
                DocType::Record | DocType::Register
            )
        })
        .collect()
}

/// Gives an edition's analysis the framework states of the whole AIMS (see
/// [`crosswalk::with_whole_states`]).
pub fn framework_states_of(edition: &mut Analysis, whole: &Analysis) {
    crosswalk::with_whole_states(&mut edition.frameworks, &whole.frameworks);
}

/// Analyses the manual as of `today`.
pub fn analyse(manual: &Manual, resolved: &Resolved, today: Date) -> Analysis {
    let standing = standing(manual, today);
    let per_system = systems::analyse(manual, resolved, &standing, today);
    let declared = |id: &CatalogId| resolved.implemented_by.get(id).cloned().unwrap_or_default();

    let controls: Vec<Coverage> = manual
        .catalog
        .controls()
        .map(|e| {
            let documents = declared(&e.id);
            let decision = manual.soa.decisions.get(&e.id);
            let applicable = decision.is_none_or(|d| d.applicable);
            let implementation = decision.and_then(|d| d.implementation);
            let state = if applicable {
                per_system.adjust(
                    &e.id,
                    with_implementation(direct_state(&documents, &standing), implementation),
                )
            } else {
                State::Excluded
            };
            Coverage {
                id: e.id.clone(),
                state,
                applicable,
                justification: decision.and_then(|d| d.justification.clone()),
                implementation,
                decided: decision.is_some(),
                records: records(manual, &documents, &standing),
                systems: per_system.shares.get(&e.id).cloned(),
                documents,
            }
        })
        .collect();

    // Clauses: a leaf's state comes from the documents that declare it; a clause with
    // sub-clauses is only as covered as its weakest sub-clause.
    let clause_entries: Vec<&Entry> = manual.catalog.clauses().collect();
    let mut clause_state: HashMap<&CatalogId, State> = HashMap::new();
    for e in clause_entries.iter().rev() {
        let children: Vec<State> = manual
            .catalog
            .children(&e.id)
            .filter(|c| c.kind == EntryKind::Clause)
            .filter_map(|c| clause_state.get(&c.id).copied())
            .collect();
        let state = match children.iter().min() {
            Some(&worst) => worst,
            None => per_system.adjust(&e.id, direct_state(&declared(&e.id), &standing)),
        };
        clause_state.insert(&e.id, state);
    }
    let clauses: Vec<Coverage> = clause_entries
        .iter()
        .map(|e| {
            let documents = declared(&e.id);
            Coverage {
                id: e.id.clone(),
                state: clause_state.get(&e.id).copied().unwrap_or(State::Gap),
                applicable: true,
                justification: None,
                implementation: None,
                decided: true,
                records: records(manual, &documents, &standing),
                systems: per_system.shares.get(&e.id).cloned(),
                documents,
            }
        })
        .collect();
    let leaf_clauses = clauses.iter().filter(|c| {
        manual
            .catalog
            .children(&c.id)
            .all(|ch| ch.kind != EntryKind::Clause)
    });
    let clause_counts = Counts::of(leaf_clauses);
    let control_counts = Counts::of(controls.iter());

    let mut index = HashMap::new();
    for (i, c) in controls.iter().enumerate() {
        index.insert(c.id.clone(), (true, i));
    }
    for (i, c) in clauses.iter().enumerate() {
        index.insert(c.id.clone(), (false, i));
    }

    let required = required::required(manual, &clauses, &standing);
    let attention = attention::attention(manual, &controls, &clauses);

    let mut due_for_review: Vec<DocIndex> = standing
        .enumerate()
        .filter(|(_, s)| s.overdue || s.due_soon)
        .map(|(i, _)| i)
        .collect();
    due_for_review.sort_by_key(|&i| (manual.doc(i).meta.review, i));
    let frameworks = crosswalk::frameworks(manual, resolved, &standing, |id| {
        let id = &manual.catalog.get(id)?.id;
        index.get(id).map(|&(is_control, i)| {
            if is_control {
                &controls[i]
            } else {
                &clauses[i]
            }
        })
    });

    Analysis {
        today,
        standing,
        controls,
        clauses,
        required,
        attention,
        control_counts,
        clause_counts,
        due_for_review,
        frameworks,
        systems: per_system,
        index,
    }
}

#[cfg(test)]
mod tests;
