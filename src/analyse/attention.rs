//! What needs attention: every applicable control and every leaf clause that is not plainly
//! covered, with the reasons. A control whose documents are in force still needs attention
//! when `soa.yaml` states no implementation for it (or only a partial or planned one).

use serde::Serialize;

use super::{Coverage, State};
use crate::model::catalog::EntryKind;
use crate::model::soa::Implementation;
use crate::model::{CatalogId, Manual};

/// One reason a control or clause needs attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Concern {
    /// Applicable and addressed by no document in force or in preparation.
    NoDocument,
    /// Addressed only by documents not yet in force.
    NotInForce,
    /// Addressed only by approved documents past their review date.
    ReviewOverdue,
    /// The SoA states the implementation is partial.
    ImplementationPartial,
    /// The SoA states the implementation is planned.
    ImplementationPlanned,
    /// Applicable, but the SoA states no implementation (or no decision at all).
    ImplementationNotStated,
    /// Not every in-scope AI system has its current record for it.
    SystemsLacking,
}

impl Concern {
    /// A short stable name (`implementation-not-stated`).
    pub fn as_str(self) -> &'static str {
        match self {
            Concern::NoDocument => "no-document",
            Concern::NotInForce => "not-in-force",
            Concern::ReviewOverdue => "review-overdue",
            Concern::ImplementationPartial => "implementation-partial",
            Concern::ImplementationPlanned => "implementation-planned",
            Concern::ImplementationNotStated => "implementation-not-stated",
            Concern::SystemsLacking => "systems-lacking",
        }
    }

    /// The reason in words.
    pub fn describe(self) -> &'static str {
        match self {
            Concern::NoDocument => "no document addresses it",
            Concern::NotInForce => "only documents not yet in force address it",
            Concern::ReviewOverdue => "its documents are past their review date",
            Concern::ImplementationPartial => "the SoA states it is only partly implemented",
            Concern::ImplementationPlanned => "the SoA states its implementation is planned",
            Concern::ImplementationNotStated => "the SoA states no implementation for it",
            Concern::SystemsLacking => "not every in-scope AI system has its current record",
        }
    }
}

/// A control or leaf clause that needs attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attention {
    /// Canonical id.
    pub id: CatalogId,
    /// Its state.
    pub state: State,
    /// Why, most pressing first.
    pub concerns: Vec<Concern>,
}

/// The concerns about one control or clause (none when it is covered, or excluded).
fn concerns(c: &Coverage, is_control: bool) -> Vec<Concern> {
    let mut out = Vec::new();
    match c.state {
        State::Excluded => return out,
        State::Gap => out.push(Concern::NoDocument),
        State::Draft => out.push(Concern::NotInForce),
        State::Overdue => out.push(Concern::ReviewOverdue),
        State::Partial | State::Covered => {}
    }
    if c.state == State::Partial && c.systems.as_ref().is_some_and(|s| !s.lacking.is_empty()) {
        out.push(Concern::SystemsLacking);
    }
    if is_control && c.applicable {
        out.push(match c.implementation {
            Some(Implementation::Implemented) => return out,
            Some(Implementation::Partial) => Concern::ImplementationPartial,
            Some(Implementation::Planned) => Concern::ImplementationPlanned,
            None => Concern::ImplementationNotStated,
        });
    }
    out
}

/// Everything that needs attention, in catalog order: the controls and the clauses without
/// sub-clauses (a parent clause only summarises its sub-clauses).
pub(super) fn attention(
    manual: &Manual,
    controls: &[Coverage],
    clauses: &[Coverage],
) -> Vec<Attention> {
    let leaf = |c: &Coverage| {
        manual
            .catalog
            .children(&c.id)
            .all(|ch| ch.kind != EntryKind::Clause)
    };
    let mut out = Vec::new();
    for e in &manual.catalog.entries {
        let found = match e.kind {
            EntryKind::Control => controls.iter().find(|c| c.id == e.id).map(|c| (c, true)),
            EntryKind::Clause => clauses
                .iter()
                .find(|c| c.id == e.id)
                .filter(|c| leaf(c))
                .map(|c| (c, false)),
            EntryKind::Objective | EntryKind::Group => None,
        };
        let Some((c, is_control)) = found else {
            continue;
        };
        let concerns = concerns(c, is_control);
        if !concerns.is_empty() {
            out.push(Attention {
                id: c.id.clone(),
                state: c.state,
                concerns,
            });
        }
    }
    out
}
