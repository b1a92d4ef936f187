//! The evidence of each AI system: per in-scope system, per expectation that applies to it,
//! whether a current record is there ([`EvidenceState`]); and per clause or control whose
//! evidence is per system, which systems lack it ([`SystemShare`]), so that one assessment
//! does not make the whole control look done.
//!
//! Documents are indexed by the systems they name (`resolve::systems`), so each system looks
//! only at its own documents: the work grows with documents × the systems each names, not
//! with documents × systems.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{DocStanding, State};
use crate::date::Date;
use crate::diagnostics::{code, Diagnostic};
use crate::model::frontmatter::{DocType, Status};
use crate::model::system::{Expectation, System};
use crate::model::{CatalogId, DocIndex, Manual, PerDoc};
use crate::resolve::Resolved;

/// Whether a system has the record it is expected to have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceState {
    /// No record names the system and addresses it.
    Missing,
    /// Records exist, none approved and in force.
    Unapproved,
    /// Only approved records past their review date.
    Stale,
    /// An approved record in force and within its review date.
    Met,
}

impl EvidenceState {
    /// Lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceState::Missing => "missing",
            EvidenceState::Unapproved => "unapproved",
            EvidenceState::Stale => "stale",
            EvidenceState::Met => "met",
        }
    }

    fn of(contributes: State) -> EvidenceState {
        match contributes {
            State::Covered => EvidenceState::Met,
            State::Overdue => EvidenceState::Stale,
            _ => EvidenceState::Unapproved,
        }
    }
}

/// One expectation of one system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// Index into the inventory's expectations.
    pub expect: usize,
    /// The state.
    pub state: EvidenceState,
    /// The non-retired records that name the system and address the expectation.
    pub documents: Vec<DocIndex>,
    /// Of those, how many an audience's edition does not publish (counted, never named).
    pub withheld: usize,
}

/// The evidence of one system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SystemEvidence {
    /// Whether evidence is expected of it today (in scope, not retired).
    pub governed: bool,
    /// Per expectation that applies to it (none when not governed).
    pub evidence: Vec<Evidence>,
}

impl SystemEvidence {
    /// The worst state of its evidence (`None` when nothing is expected).
    pub fn worst(&self) -> Option<EvidenceState> {
        self.evidence.iter().map(|e| e.state).min()
    }
}

/// For a clause or control whose evidence is per system: the systems that need a record
/// addressing it and those that have none in force.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SystemShare {
    /// The governed systems that an expectation addressing it applies to.
    pub needed: Vec<usize>,
    /// Those of them without a current, approved record that names them and addresses it.
    pub lacking: Vec<usize>,
}

impl SystemShare {
    /// How many have it.
    pub fn having(&self) -> usize {
        self.needed.len() - self.lacking.len()
    }
}

/// The systems' evidence and the clauses and controls it shares out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SystemsAnalysis {
    /// Per system of the inventory, in its order.
    pub systems: Vec<SystemEvidence>,
    /// Per clause or control addressed by an expectation.
    pub shares: BTreeMap<CatalogId, SystemShare>,
}

impl SystemsAnalysis {
    /// Whether there is nothing (no `systems.yaml`).
    pub fn is_empty(&self) -> bool {
        self.systems.is_empty() && self.shares.is_empty()
    }

    /// A clause's or control's state once systems are counted: covered only when every
    /// system that needs a record for it has one; otherwise partial.
    pub fn adjust(&self, id: &CatalogId, state: State) -> State {
        match self.shares.get(id) {
            Some(s) if state == State::Covered && !s.lacking.is_empty() => State::Partial,
            _ => state,
        }
    }
}

/// Whether document `d` counts as evidence for a system at all: a non-retired record or
/// register.
fn is_record(manual: &Manual, standing: &PerDoc<DocStanding>, d: DocIndex) -> bool {
    standing[d].contributes.is_some()
        && matches!(
            manual.doc(d).meta.doc_type,
            DocType::Record | DocType::Register
        )
}

/// Whether document `d` addresses one of `ids` in front matter.
fn addresses(manual: &Manual, d: DocIndex, ids: &[CatalogId]) -> bool {
    let m = &manual.doc(d).meta;
    m.controls
        .iter()
        .chain(&m.clauses)
        .any(|c| ids.contains(&c.id))
}

/// Analyses every system's evidence as of `today` (empty without `systems.yaml`).
pub fn analyse(
    manual: &Manual,
    resolved: &Resolved,
    standing: &PerDoc<DocStanding>,
    today: Date,
) -> SystemsAnalysis {
    let Some(inventory) = &manual.systems else {
        return SystemsAnalysis::default();
    };
    let mut out = SystemsAnalysis::default();
    for (k, system) in inventory.list.iter().enumerate() {
        let governed = system.is_governed(today);
        let records: Vec<DocIndex> = resolved
            .systems
            .named_by
            .get(k)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&d| is_record(manual, standing, d))
            .collect();
        let mut evidence = Vec::new();
        if governed {
            let mut ids: BTreeSet<&CatalogId> = BTreeSet::new();
            for (x, e) in inventory.expectations.iter().enumerate() {
                if !e.when.applies_to(system) {
                    continue;
                }
                ids.extend(&e.addresses);
                evidence.push(evidence_of(manual, standing, &records, x, e));
            }
            for id in ids {
                let met = records.iter().any(|&d| {
                    standing[d].contributes == Some(State::Covered)
                        && addresses(manual, d, std::slice::from_ref(id))
                });
                let share = out.shares.entry(id.clone()).or_default();
                share.needed.push(k);
                if !met {
                    share.lacking.push(k);
                }
            }
        }
        out.systems.push(SystemEvidence { governed, evidence });
    }
    out
}

fn evidence_of(
    manual: &Manual,
    standing: &PerDoc<DocStanding>,
    records: &[DocIndex],
    x: usize,
    e: &Expectation,
) -> Evidence {
    let documents: Vec<DocIndex> = records
        .iter()
        .copied()
        .filter(|&d| addresses(manual, d, &e.addresses))
        .collect();
    let state = documents
        .iter()
        .filter_map(|&d| standing[d].contributes)
        .map(EvidenceState::of)
        .max()
        .unwrap_or(EvidenceState::Missing);
    Evidence {
        expect: x,
        state,
        documents,
        withheld: 0,
    }
}

/// The whole AIMS's evidence for an edition: the same states, with the documents that the
/// edition publishes (`remap`: per document of the whole AIMS, its index in the edition) and
/// the number it withholds.
pub fn for_edition(whole: &SystemsAnalysis, remap: &[Option<DocIndex>]) -> SystemsAnalysis {
    let mut out = whole.clone();
    for e in out.systems.iter_mut().flat_map(|s| s.evidence.iter_mut()) {
        let all = std::mem::take(&mut e.documents);
        e.documents = all
            .iter()
            .filter_map(|d| remap.get(d.index()).copied().flatten())
            .collect();
        e.withheld = all.len() - e.documents.len();
    }
    out
}

/// The warnings about systems: one per governed system lacking expected evidence (naming
/// what, and why), one per current record or register naming a retired system.
pub fn diagnostics(
    manual: &Manual,
    resolved: &Resolved,
    analysis: &SystemsAnalysis,
    today: Date,
    diags: &mut Vec<Diagnostic>,
) {
    let Some(inventory) = &manual.systems else {
        return;
    };
    for (k, (system, ev)) in inventory.list.iter().zip(&analysis.systems).enumerate() {
        let lacking: Vec<String> = ev
            .evidence
            .iter()
            .filter(|e| e.state != EvidenceState::Met)
            .map(|e| {
                let name = inventory
                    .expectations
                    .get(e.expect)
                    .map_or("", |x| x.name.as_str());
                match e.state {
                    EvidenceState::Missing => format!("{name} (missing)"),
                    EvidenceState::Unapproved => format!("{name} (not approved or not in force)"),
                    EvidenceState::Stale => format!("{name} (past its review date)"),
                    EvidenceState::Met => String::new(),
                }
            })
            .collect();
        if !lacking.is_empty() {
            diags.push(
                Diagnostic::warning(
                    code::MISSING_SYSTEM_EVIDENCE,
                    system.span.clone(),
                    format!(
                        "the AI system {} ({}) has no current record for: {}",
                        system.id,
                        system.name,
                        lacking.join("; ")
                    ),
                )
                .with_suggestion(format!(
                    "add an approved record (`type: record`) with `systems: [{}]` that addresses the clause or control, or mark the system `in_scope: false`",
                    system.id
                )),
            );
        }
        if system.is_retired(today) {
            retired_named(manual, resolved, system, k, diags);
        }
    }
}

/// A warning at each current record's `systems` entry naming retired `system`.
fn retired_named(
    manual: &Manual,
    resolved: &Resolved,
    system: &System,
    k: usize,
    diags: &mut Vec<Diagnostic>,
) {
    for &d in resolved.systems.named_by.get(k).into_iter().flatten() {
        let doc = manual.doc(d);
        let record = matches!(doc.meta.doc_type, DocType::Record | DocType::Register);
        if !record || doc.meta.status == Status::Retired {
            continue;
        }
        let Some(r) = doc.meta.systems.iter().find(|r| r.id == system.id.as_str()) else {
            continue;
        };
        let when = system.retired.map_or_else(
            || "is retired".to_string(),
            |r| format!("was retired on {r}"),
        );
        diags.push(
            Diagnostic::warning(
                code::RETIRED_SYSTEM_RECORD,
                r.span.clone(),
                format!(
                    "{} names the AI system {} ({}), which {when}",
                    doc.meta.id, system.id, system.name
                ),
            )
            .with_suggestion("retire the document, or remove the system from its `systems`"),
        );
    }
}
