//! Coverage of the frameworks enabled beside ISO/IEC 42001, with what a mapping infers kept
//! apart from what documents declare.
//!
//! An entry's own state follows from the documents that declare it in `frameworks:` (the
//! same rules as an ISO/IEC 42001 clause: approved and in force → covered, not yet in force →
//! draft, past review → overdue, nothing → gap). An entry no document addresses gets, from
//! the crosswalk, the ISO/IEC 42001 clauses and controls mapped to it with their states and
//! the mapping's confidence — shown as inferred, never counted as direct coverage.
//!
//! ISO/IEC 27001 has a Statement of Applicability too (`iso27001:` in `soa.yaml`): an Annex A
//! control it excludes is [`State::Excluded`], not a gap, and one addressed by documents but
//! only partly implemented or planned is [`State::Partial`], as for ISO/IEC 42001 controls.

use serde::Serialize;

use super::{direct_state, with_implementation, Counts, Coverage, DocStanding, State};
use crate::model::framework::EntryRef;
use crate::model::soa::{Annex, Implementation, ISO27001};
use crate::model::{CatalogId, DocIndex, Manual, PerDoc};
use crate::resolve::Resolved;

/// An ISO/IEC 42001 clause or control an entry is mapped from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Via {
    /// Its id.
    pub iso: CatalogId,
    /// Its state.
    pub state: State,
    /// How sure the mapping is, as the crosswalk says.
    pub confidence: String,
}

/// Coverage of one entry of another framework.
#[derive(Debug, Clone, Serialize)]
pub struct EntryCoverage {
    /// The state from the documents that declare it (gap when none addresses it).
    pub state: State,
    /// Every document that declares it in front matter, whatever its status.
    pub documents: Vec<DocIndex>,
    /// When no document addresses it (its state is a gap): the ISO/IEC 42001 entries the
    /// crosswalk maps to it, in crosswalk order.
    pub via: Vec<Via>,
    /// The best state among [`EntryCoverage::via`] that addresses anything (not a gap, not
    /// excluded): what the mapping infers, never direct coverage.
    pub inferred: Option<State>,
    /// The Statement of Applicability's decision on it, when its framework has one and
    /// decides on it (ISO/IEC 27001 Annex A under `iso27001:` in `soa.yaml`).
    pub soa: Option<SoaDecision>,
}

/// What the Statement of Applicability decides on an entry of another framework.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SoaDecision {
    /// Whether it applies.
    pub applicable: bool,
    /// How far it is implemented, as stated.
    pub implementation: Option<Implementation>,
}

/// Coverage of one enabled framework.
#[derive(Debug, Clone, Serialize)]
pub struct FrameworkCoverage {
    /// Per entry, in catalog order.
    pub entries: Vec<EntryCoverage>,
    /// Direct states of all entries.
    pub direct: Counts,
    /// Of the entries no document addresses: their inferred states (gap when the mapping
    /// infers nothing either).
    pub inferred: Counts,
}

fn count(c: &mut Counts, s: State) {
    c.total += 1;
    match s {
        State::Covered => c.covered += 1,
        State::Partial => c.partial += 1,
        State::Overdue => c.overdue += 1,
        State::Draft => c.draft += 1,
        State::Gap => c.gap += 1,
        State::Excluded => c.excluded += 1,
    }
}

/// Coverage of every enabled framework, in `aims.toml` order; `iso` gives the state of an
/// ISO/IEC 42001 clause or control.
pub(super) fn frameworks<'a>(
    manual: &Manual,
    resolved: &Resolved,
    standing: &PerDoc<DocStanding>,
    iso: impl Fn(&str) -> Option<&'a Coverage>,
) -> Vec<FrameworkCoverage> {
    manual
        .frameworks
        .enabled
        .iter()
        .enumerate()
        .map(|(f, fw)| {
            let crosswalk = manual.frameworks.crosswalk(&fw.id);
            let mut direct = Counts::default();
            let mut inferred = Counts::default();
            let entries = fw
                .entries
                .iter()
                .enumerate()
                .map(|(entry, e)| {
                    let documents: Vec<DocIndex> = resolved
                        .framework_declared
                        .get(&EntryRef {
                            framework: f,
                            entry,
                        })
                        .into_iter()
                        .flatten()
                        .map(|(d, _)| *d)
                        .collect();
                    let soa = (fw.id == ISO27001)
                        .then(|| manual.soa.decision(Annex::Iso27001, &e.id))
                        .flatten()
                        .map(|d| SoaDecision {
                            applicable: d.applicable,
                            implementation: d.implementation,
                        });
                    let state = match soa {
                        Some(d) if !d.applicable => State::Excluded,
                        Some(d) => with_implementation(
                            direct_state(&documents, standing),
                            d.implementation,
                        ),
                        None => direct_state(&documents, standing),
                    };
                    count(&mut direct, state);
                    let via: Vec<Via> = match (state, crosswalk) {
                        (State::Gap, Some(c)) => c
                            .sources_of(&e.id)
                            .filter_map(|m| {
                                let cov = iso(&m.iso)?;
                                Some(Via {
                                    iso: cov.id.clone(),
                                    state: cov.state,
                                    confidence: m.confidence.clone(),
                                })
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    let best = via
                        .iter()
                        .map(|v| v.state)
                        .max()
                        .filter(|s| *s > State::Gap);
                    if state == State::Gap {
                        count(&mut inferred, best.unwrap_or(State::Gap));
                    }
                    EntryCoverage {
                        state,
                        documents,
                        via,
                        inferred: best,
                        soa,
                    }
                })
                .collect();
            FrameworkCoverage {
                entries,
                direct,
                inferred,
            }
        })
        .collect()
}

/// Gives an edition's framework coverage the states of the whole AIMS, keeping the
/// edition's own documents.
pub fn with_whole_states(edition: &mut [FrameworkCoverage], whole: &[FrameworkCoverage]) {
    for (e, w) in edition.iter_mut().zip(whole) {
        for (ee, we) in e.entries.iter_mut().zip(&w.entries) {
            ee.state = we.state;
            ee.via = we.via.clone();
            ee.inferred = we.inferred;
            ee.soa = we.soa;
        }
        e.direct = w.direct.clone();
        e.inferred = w.inferred.clone();
    }
}
