//! The AI systems in `coverage.json`: the inventory with each system's expected evidence
//! (`"systems"`), and per clause or control whose evidence is per system, how many systems
//! have it and which lack it. Present only when the AIMS has `systems.yaml`.

use serde::Serialize;

use crate::analyse::systems::SystemShare;
use crate::analyse::Analysis;
use crate::model::Manual;

/// One system in `coverage.json`.
#[derive(Serialize)]
pub(super) struct SystemJson<'a> {
    id: &'a str,
    name: &'a str,
    in_scope: bool,
    risk_class: Option<&'static str>,
    role: Vec<&'static str>,
    general_purpose: bool,
    retired: bool,
    evidence: Vec<EvidenceJson<'a>>,
}

/// One expectation of one system.
#[derive(Serialize)]
struct EvidenceJson<'a> {
    expect: &'a str,
    state: &'static str,
    documents: Vec<&'a str>,
    /// Records this edition does not publish (left out when none).
    #[serde(skip_serializing_if = "is_zero")]
    unpublished: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// How a clause or control whose evidence is per system stands over the systems.
#[derive(Serialize)]
pub(super) struct ShareJson<'a> {
    needed: usize,
    met: usize,
    lacking: Vec<&'a str>,
}

/// The `"systems"` section; `None` without `systems.yaml`.
pub(super) fn systems<'a>(manual: &'a Manual, analysis: &Analysis) -> Option<Vec<SystemJson<'a>>> {
    let inventory = manual.systems.as_ref()?;
    Some(
        inventory
            .list
            .iter()
            .zip(&analysis.systems.systems)
            .map(|(s, ev)| SystemJson {
                id: s.id.as_str(),
                name: &s.name,
                in_scope: s.in_scope,
                risk_class: s.risk_class.map(|c| c.as_str()),
                role: s.roles.iter().map(|r| r.as_str()).collect(),
                general_purpose: s.general_purpose,
                retired: s.is_retired(analysis.today),
                evidence: ev
                    .evidence
                    .iter()
                    .map(|e| EvidenceJson {
                        expect: inventory
                            .expectations
                            .get(e.expect)
                            .map_or("", |x| x.id.as_str()),
                        state: e.state.as_str(),
                        documents: e
                            .documents
                            .iter()
                            .map(|&d| manual.doc(d).meta.id.as_str())
                            .collect(),
                        unpublished: e.withheld,
                    })
                    .collect(),
            })
            .collect(),
    )
}

/// A clause's or control's share of systems, for its item in `coverage.json`.
pub(super) fn share<'a>(manual: &'a Manual, share: Option<&SystemShare>) -> Option<ShareJson<'a>> {
    let share = share?;
    let list = &manual.systems.as_ref()?.list;
    Some(ShareJson {
        needed: share.needed.len(),
        met: share.having(),
        lacking: share
            .lacking
            .iter()
            .filter_map(|&k| list.get(k).map(|s| s.id.as_str()))
            .collect(),
    })
}
