//! What the templates see: plain serialisable views built once from the analysis. URLs in
//! views are relative to the site root; templates prefix them with `root`.

use serde::Serialize;

use super::urls;
use crate::analyse::{Analysis, Coverage, State};
use crate::model::catalog::{Entry, EntryKind};
use crate::model::frontmatter::Status;
use crate::model::{DocIndex, Document, Manual, PerDoc};
use crate::resolve::Resolved;

/// One document as listed anywhere (register rows, backlinks, matrices).
#[derive(Debug, Clone, Serialize)]
pub struct DocView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Page path.
    pub url: String,
    /// Source path relative to the AIMS root.
    pub path: String,
    /// Type.
    #[serde(rename = "type")]
    pub doc_type: &'static str,
    /// Status.
    pub status: &'static str,
    /// Status for display ("in review").
    pub status_label: &'static str,
    /// Version.
    pub version: Option<String>,
    /// Owner.
    pub owner: Option<String>,
    /// Approver.
    pub approver: Option<String>,
    /// Approval date.
    pub approved: Option<String>,
    /// Effective date.
    pub effective: Option<String>,
    /// Next review.
    pub review: Option<String>,
    /// Classification.
    pub classification: &'static str,
    /// Tags.
    pub tags: Vec<String>,
    /// Review date has passed (approved documents).
    pub overdue: bool,
    /// Review due within 30 days.
    pub due_soon: bool,
    /// Approved without approver or approval date.
    pub incomplete_approval: bool,
    /// Section title.
    pub section: String,
    /// Section page.
    pub section_url: String,
}

/// A clause or control as listed anywhere.
#[derive(Debug, Clone, Serialize)]
pub struct EntryView {
    /// Canonical id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Our summary.
    pub summary: String,
    /// Clause, control, objective or group (`clause`, … in templates).
    pub kind: EntryKind,
    /// Page (or anchor) path.
    pub url: String,
    /// Coverage state (`covered`, … in templates; empty for objectives and groups).
    #[serde(serialize_with = "state_or_empty")]
    pub state: Option<State>,
    /// Applies per SoA.
    pub applicable: bool,
    /// SoA has a decision.
    pub decided: bool,
    /// SoA justification, as plain text (references as text, see `render::soa`).
    pub justification: Option<String>,
    /// SoA implementation.
    pub implementation: Option<&'static str>,
    /// SoA owner of the control.
    pub owner: Option<String>,
    /// SoA evidence, as plain text (references as text, see `render::soa`).
    pub evidence: Option<String>,
    /// Depth below the top (clauses: `4` is 0, `6.1.2` is 2).
    pub depth: usize,
    /// How many documents that address it this edition does not publish (0 in the
    /// complete manual, and wherever the edition shows no coverage).
    pub unpublished: usize,
    /// When its evidence is per AI system: how many systems have it and which lack it.
    pub systems: Option<SystemsNote>,
}

/// A clause's or control's share of the AI systems that need a record for it.
#[derive(Debug, Clone, Serialize)]
pub struct SystemsNote {
    /// Systems with a current record.
    pub having: usize,
    /// Systems that need one.
    pub needed: usize,
    /// Those without, as links.
    pub lacking: Vec<SystemLink>,
}

/// An AI system as a link.
#[derive(Debug, Clone, Serialize)]
pub struct SystemLink {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Page path.
    pub url: String,
}

impl SystemLink {
    /// The link of the system at `k` in the inventory.
    pub fn of(manual: &Manual, k: usize) -> Option<SystemLink> {
        let s = manual.systems.as_ref()?.list.get(k)?;
        Some(SystemLink {
            id: s.id.to_string(),
            name: s.name.clone(),
            url: urls::system(s.id.as_str()),
        })
    }
}

fn systems_note(manual: &Manual, c: &Coverage) -> Option<SystemsNote> {
    let share = c.systems.as_ref()?;
    Some(SystemsNote {
        having: share.having(),
        needed: share.needed.len(),
        lacking: share
            .lacking
            .iter()
            .filter_map(|&k| SystemLink::of(manual, k))
            .collect(),
    })
}

pub(crate) fn status_label(s: Status) -> &'static str {
    match s {
        Status::Draft => "draft",
        Status::InReview => "in review",
        Status::Approved => "approved",
        Status::Retired => "retired",
    }
}

/// Builds the view of every document.
pub fn doc_views(manual: &Manual, analysis: &Analysis) -> PerDoc<DocView> {
    manual
        .docs()
        .map(|(i, d)| doc_view(manual, analysis, i, d))
        .collect()
}

fn doc_view(manual: &Manual, analysis: &Analysis, i: DocIndex, d: &Document) -> DocView {
    let m = &d.meta;
    let s = &analysis.standing[i];
    let section = manual.section(d.section);
    DocView {
        id: m.id.to_string(),
        title: m.title.clone(),
        url: urls::document(m.id.as_str()),
        path: d.path.to_string_lossy().replace('\\', "/"),
        doc_type: m.doc_type.as_str(),
        status: m.status.as_str(),
        status_label: status_label(m.status),
        version: m.version.clone(),
        owner: m.owner.clone(),
        approver: m.approver.clone(),
        approved: m.approved.map(|d| d.to_string()),
        effective: m.effective.map(|d| d.to_string()),
        review: m.review.map(|d| d.to_string()),
        classification: m.classification.as_str(),
        tags: m.tags.clone(),
        overdue: s.overdue,
        due_soon: s.due_soon,
        incomplete_approval: s.incomplete_approval,
        section: section.title.clone(),
        section_url: urls::section_href(&section.path),
    }
}

/// A coverage state as templates see it: its name, or `""` for entries without one.
fn state_or_empty<S: serde::Serializer>(state: &Option<State>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(state.map_or("", State::as_str))
}

impl EntryView {
    /// The coverage state's name, `""` for objectives and groups.
    pub fn state_name(&self) -> &'static str {
        self.state.map_or("", State::as_str)
    }
}

/// Builds the view of a catalog entry.
pub fn entry_view(manual: &Manual, analysis: &Analysis, e: &Entry) -> EntryView {
    let cov: Option<&Coverage> = analysis.coverage(&e.id);
    let depth = match e.kind {
        EntryKind::Clause => e.id.as_str().matches('.').count(),
        EntryKind::Objective => 0,
        EntryKind::Group => 1,
        EntryKind::Control => e.id.as_str().matches('.').count().saturating_sub(1),
    };
    EntryView {
        id: e.id.to_string(),
        title: e.title.clone(),
        summary: e.summary.clone(),
        kind: e.kind,
        url: urls::catalog(&manual.catalog, e.id.as_str()),
        state: cov.map(|c| c.state),
        applicable: cov.is_none_or(|c| c.applicable),
        decided: cov.is_none_or(|c| c.decided),
        justification: cov.and_then(|c| c.justification.clone()),
        implementation: cov.and_then(|c| c.implementation.map(|i| i.as_str())),
        owner: None,
        evidence: None,
        depth,
        unpublished: 0,
        systems: cov.and_then(|c| systems_note(manual, c)),
    }
}

/// A legend entry / count for one state.
#[derive(Debug, Clone, Serialize)]
pub struct StateCount {
    /// State name.
    pub state: &'static str,
    /// How many.
    pub count: usize,
}

/// Counts per state in legend order. Clauses are never excluded or partial (those states
/// come from the SoA), so a list of clauses leaves them out.
pub fn state_counts(items: &[Coverage], only: impl Fn(&Coverage) -> bool) -> Vec<StateCount> {
    let any_control = items.iter().any(|c| c.id.as_str().starts_with('A'));
    // A clause is partial only when AI systems are counted (see `analyse::systems`).
    let per_system = items.iter().any(|c| c.systems.is_some());
    State::ALL
        .iter()
        .filter(|s| match s {
            State::Excluded => any_control,
            State::Partial => any_control || per_system,
            _ => true,
        })
        .map(|s| StateCount {
            state: s.as_str(),
            count: items.iter().filter(|c| only(c) && c.state == *s).count(),
        })
        .collect()
}

/// Documents that reference document `i`, as views.
pub fn backlinks(views: &PerDoc<DocView>, resolved: &Resolved, i: DocIndex) -> Vec<DocView> {
    resolved.doc_backlinks[i]
        .iter()
        .map(|&j| views[j].clone())
        .collect()
}
