//! The Statement of Applicability of ISO/IEC 27001:2022 Annex A (`iso27001:` in `soa.yaml`)
//! as the site shows it: its own page (`frameworks/iso27001/soa.html`, a row per Annex A
//! control with its decision, state and declaring documents), the decision on each control's
//! entry page, the links to it, and `soa-iso27001.csv` — a file of its own with the columns
//! of `soa.csv`, so that `soa.csv` stays as it was and a spreadsheet opens each SoA as one
//! table. Like the ISO/IEC 42001 SoA, all of it needs the full disclosure.

use serde::Serialize;
use tera::{Context, Value};

use super::formats::csv_field;
use super::links::link_href;
use super::page::Kind;
use super::soa::{decision_view, text_plain, DecisionView};
use super::{urls, Input, Shared};
use crate::analyse::{Analysis, State};
use crate::config::Disclosure;
use crate::model::framework::{EntryRef, Framework};
use crate::model::soa::{Annex, TextField, ISO27001};
use crate::model::Manual;
use crate::resolve::{Link, Resolved};

/// The CSV of the ISO/IEC 27001 SoA, beside `soa.csv`.
pub const CSV_FILE: &str = "soa-iso27001.csv";

/// The kind of the catalog entries the SoA decides on.
const CONTROL: &str = "control";

/// Whether a site disclosing `disclosure` has an SoA page for the enabled framework `fw`.
pub(crate) fn has_soa(fw: &Framework, disclosure: Disclosure) -> bool {
    fw.id == ISO27001 && Kind::FrameworkSoa.row().shown(disclosure)
}

/// The Annex A controls of `fw`, in catalog order: their indexes.
fn controls(fw: &Framework) -> impl Iterator<Item = usize> + '_ {
    fw.entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.kind.as_deref() == Some(CONTROL))
        .map(|(i, _)| i)
}

/// A framework's SoA page as a link (for the ISO/IEC 42001 SoA page and the framework's
/// index).
#[derive(Serialize)]
pub(super) struct SoaLink<'a> {
    name: &'a str,
    url: String,
}

/// The SoA pages of the enabled frameworks that a site disclosing `disclosure` has.
pub(super) fn links(m: &Manual, disclosure: Disclosure) -> Vec<SoaLink<'_>> {
    m.frameworks
        .enabled
        .iter()
        .filter(|fw| has_soa(fw, disclosure))
        .map(|fw| SoaLink {
            name: &fw.name,
            url: fw.soa_path(),
        })
        .collect()
}

/// The `id` of a control's row on the SoA page.
fn anchor(id: &str) -> String {
    format!("soa-{}", crate::model::framework::slug(id))
}

/// One control's row of the SoA page.
#[derive(Serialize)]
struct SoaRow<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    anchor: String,
    /// `soa-applicable`, `soa-excluded` or `soa-undecided`, as on the ISO/IEC 42001 SoA.
    class: &'static str,
    /// `yes`, `no` or `undecided`.
    applicable: &'static str,
    implementation: Option<&'static str>,
    state: &'static str,
    decision: DecisionView<'a>,
    documents: Vec<Value>,
}

/// The class and the applicable text of a decision (`None`: undecided).
fn shown(applicable: Option<bool>) -> (&'static str, &'static str) {
    match applicable {
        None => ("soa-undecided", "undecided"),
        Some(true) => ("soa-applicable", "yes"),
        Some(false) => ("soa-excluded", "no"),
    }
}

/// Fills the context of the SoA page of the enabled framework `f`.
pub(super) fn context(input: &Input<'_>, sh: &Shared, f: usize, path: &str, ctx: &mut Context) {
    let m = input.manual;
    let fw = &m.frameworks.enabled[f];
    let href = |l: &Link| link_href(m, path, l);
    let coverage = input.analysis.frameworks.get(f);
    let rows: Vec<SoaRow<'_>> = controls(fw)
        .map(|i| {
            let e = &fw.entries[i];
            let decision = m.soa.decision(Annex::Iso27001, &e.id);
            let (class, applicable) = shown(decision.map(|d| d.applicable));
            let cov = coverage.and_then(|c| c.entries.get(i));
            SoaRow {
                id: &e.id,
                title: &e.title,
                url: fw.entry_path(i),
                anchor: anchor(&e.id),
                class,
                applicable,
                implementation: decision.and_then(|d| d.implementation).map(|i| i.as_str()),
                state: cov.map_or("", |c| c.state.as_str()),
                decision: decision_view(input, (Annex::Iso27001, &e.id), &href),
                documents: cov
                    .map(|c| {
                        c.documents
                            .iter()
                            .map(|&d| sh.doc_values[d].clone())
                            .collect()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    let counts: Vec<serde_json::Value> = State::ALL
        .iter()
        .map(|s| {
            let n = coverage.map_or(0, |c| {
                controls(fw)
                    .filter(|&i| c.entries.get(i).is_some_and(|e| e.state == *s))
                    .count()
            });
            serde_json::json!({"state": s.as_str(), "count": n})
        })
        .collect();
    let decided = m.soa.iso27001.as_ref().map_or(0, |d| d.len());
    ctx.insert("title", &format!("{} Statement of Applicability", fw.name));
    ctx.insert("framework_name", &fw.name);
    ctx.insert("framework_url", &fw.index_path());
    ctx.insert("rows", &rows);
    ctx.insert("counts", &counts);
    ctx.insert("decided", &decided);
    ctx.insert("written", &m.soa.iso27001.is_some());
    ctx.insert("csv", CSV_FILE);
    ctx.insert("soa_url", Kind::Soa.path());
}

/// The SoA decision shown on an entry's page.
#[derive(Serialize)]
pub(super) struct EntryDecision<'a> {
    /// The entry's row on the SoA page.
    url: String,
    /// `yes`, `no` or `undecided`.
    applicable: &'static str,
    implementation: Option<&'static str>,
    decision: DecisionView<'a>,
}

/// The SoA decision on entry `e`, for its page: `None` unless it is an Annex A control of a
/// framework with an SoA page in this site.
pub(super) fn entry_decision<'a>(input: &Input<'a>, e: EntryRef) -> Option<EntryDecision<'a>> {
    let m = input.manual;
    let fw = &m.frameworks.enabled[e.framework];
    let entry = &fw.entries[e.entry];
    if !has_soa(fw, input.disclosure) || entry.kind.as_deref() != Some(CONTROL) {
        return None;
    }
    let path = fw.entry_path(e.entry);
    let href = |l: &Link| link_href(m, &path, l);
    let decision = m.soa.decision(Annex::Iso27001, &entry.id);
    Some(EntryDecision {
        url: format!(
            "{}#{}",
            fw.soa_path(),
            urls::encode_fragment(&anchor(&entry.id))
        ),
        applicable: shown(decision.map(|d| d.applicable)).1,
        implementation: decision.and_then(|d| d.implementation).map(|i| i.as_str()),
        decision: decision_view(input, (Annex::Iso27001, &entry.id), &href),
    })
}

/// `soa-iso27001.csv` (with its site path) when ISO/IEC 27001 is enabled: one row per Annex A
/// control, with the columns of `soa.csv` — control, title, applicable, justification,
/// implementation, documents, owner, evidence — and its texts as plain text as there.
pub fn csv(manual: &Manual, analysis: &Analysis, resolved: &Resolved) -> Option<(String, Vec<u8>)> {
    let (f, fw) = manual.frameworks.find(ISO27001)?;
    let coverage = analysis.frameworks.get(f);
    let mut out = String::from(
        "control,title,applicable,justification,implementation,documents,owner,evidence\r\n",
    );
    for i in controls(fw) {
        let e = &fw.entries[i];
        let decision = manual.soa.decision(Annex::Iso27001, &e.id);
        let plain = |field| {
            text_plain(manual, resolved, (Annex::Iso27001, &e.id), field).unwrap_or_default()
        };
        let docs: Vec<&str> = coverage
            .and_then(|c| c.entries.get(i))
            .map(|c| {
                c.documents
                    .iter()
                    .map(|&d| manual.doc(d).meta.id.as_str())
                    .collect()
            })
            .unwrap_or_default();
        let fields = [
            e.id.clone(),
            e.title.clone(),
            if decision.is_none_or(|d| d.applicable) {
                "yes"
            } else {
                "no"
            }
            .to_string(),
            plain(TextField::Justification),
            decision
                .and_then(|d| d.implementation)
                .map_or("", |i| i.as_str())
                .to_string(),
            docs.join(" "),
            decision.and_then(|d| d.owner.clone()).unwrap_or_default(),
            plain(TextField::Evidence),
        ];
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    Some((CSV_FILE.to_string(), out.into_bytes()))
}
