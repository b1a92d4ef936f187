//! The frameworks beside ISO/IEC 42001 in the machine-readable outputs: the `frameworks`
//! section of `coverage.json` (each entry's direct state, the documents of this edition that
//! declare it, and the ISO/IEC 42001 entries a mapping infers it from) and
//! `aimsdoc coverage --framework ID` in every format.

use serde::Serialize;

use super::formats::{aligned, counts_line, csv_field, markdown_cell, CoverageFormat};
use crate::analyse::crosswalk::{EntryCoverage, FrameworkCoverage};
use crate::analyse::{Analysis, Counts};
use crate::model::framework::{EntryRef, Framework};
use crate::model::soa::{Annex, ISO27001};
use crate::model::Manual;
use crate::pipeline::Unpublished;

/// One enabled framework in `coverage.json`.
#[derive(Serialize)]
pub struct FrameworkJson<'a> {
    id: &'a str,
    name: &'a str,
    entries: Vec<EntryJson<'a>>,
}

/// One entry of a framework in `coverage.json`.
#[derive(Serialize)]
struct EntryJson<'a> {
    id: &'a str,
    title: &'a str,
    /// The direct state: from the documents that declare it.
    state: &'static str,
    /// The documents of this edition that declare it.
    documents: Vec<&'a str>,
    /// When no document addresses it: the ISO/IEC 42001 entries mapped to it.
    via: Vec<String>,
    /// What the mapping infers (`null` when addressed directly or nothing is inferred).
    inferred: Option<&'static str>,
    /// The mapping's confidence, when `via` is not empty.
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<&'a str>,
    /// Documents that declare it and that this edition does not publish (left out when none).
    #[serde(skip_serializing_if = "is_zero")]
    unpublished: usize,
    /// The Statement of Applicability's decision, for an entry it decides on (left out
    /// otherwise): whether it applies, why, and how far it is implemented.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    soa: Option<SoaJson<'a>>,
}

/// The SoA decision on an entry in `coverage.json`, as for ISO/IEC 42001 controls.
#[derive(Serialize)]
struct SoaJson<'a> {
    applicable: bool,
    justification: Option<&'a str>,
    implementation: Option<&'static str>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn entry_json<'a>(
    manual: &'a Manual,
    fw: &'a Framework,
    f: usize,
    entry: usize,
    c: &'a EntryCoverage,
    unpublished: &Unpublished,
) -> EntryJson<'a> {
    let e = &fw.entries[entry];
    EntryJson {
        id: &e.id,
        title: &e.title,
        state: c.state.as_str(),
        documents: c
            .documents
            .iter()
            .map(|&d| manual.doc(d).meta.id.as_str())
            .collect(),
        via: c.via.iter().map(|v| v.iso.to_string()).collect(),
        inferred: c.inferred.map(|s| s.as_str()),
        confidence: c.via.first().map(|v| v.confidence.as_str()),
        unpublished: unpublished.of_framework_entry(EntryRef {
            framework: f,
            entry,
        }),
        soa: c.soa.map(|d| SoaJson {
            applicable: d.applicable,
            justification: manual
                .soa
                .decision(Annex::Iso27001, &e.id)
                .filter(|_| fw.id == ISO27001)
                .and_then(|d| d.justification.as_deref()),
            implementation: d.implementation.map(|i| i.as_str()),
        }),
    }
}

/// Every enabled framework with its entries, in `aims.toml` order.
pub fn frameworks<'a>(
    manual: &'a Manual,
    analysis: &'a Analysis,
    unpublished: &Unpublished,
) -> Vec<FrameworkJson<'a>> {
    manual
        .frameworks
        .enabled
        .iter()
        .zip(&analysis.frameworks)
        .enumerate()
        .map(|(f, (fw, cov))| framework(manual, fw, f, cov, unpublished))
        .collect()
}

fn framework<'a>(
    manual: &'a Manual,
    fw: &'a Framework,
    f: usize,
    cov: &'a FrameworkCoverage,
    unpublished: &Unpublished,
) -> FrameworkJson<'a> {
    FrameworkJson {
        id: &fw.id,
        name: &fw.name,
        entries: cov
            .entries
            .iter()
            .enumerate()
            .map(|(entry, c)| entry_json(manual, fw, f, entry, c, unpublished))
            .collect(),
    }
}

/// Per framework, counts only (for a `coverage.json` that discloses counts).
pub fn counts(manual: &Manual, analysis: &Analysis) -> serde_json::Value {
    let list: Vec<serde_json::Value> = manual
        .frameworks
        .enabled
        .iter()
        .zip(&analysis.frameworks)
        .map(|(fw, c)| {
            serde_json::json!({
                "id": fw.id, "name": fw.name, "direct": c.direct, "inferred": c.inferred,
            })
        })
        .collect();
    serde_json::Value::from(list)
}

/// `aimsdoc coverage --framework ID`: the entries of the enabled framework `id` in `format`;
/// `None` when no enabled framework has that id.
pub fn framework_text(
    manual: &Manual,
    analysis: &Analysis,
    unpublished: &Unpublished,
    id: &str,
    format: CoverageFormat,
) -> Option<String> {
    let (f, fw) = manual.frameworks.find(id)?;
    let cov = analysis.frameworks.get(f)?;
    let json = framework(manual, fw, f, cov, unpublished);
    let via = |e: &EntryJson<'_>| -> String {
        match (e.inferred, e.via.is_empty()) {
            (_, true) => String::new(),
            (Some(s), false) => format!("{} ({s}, inferred)", e.via.join(" ")),
            (None, false) => format!("{} (inferred)", e.via.join(" ")),
        }
    };
    Some(match format {
        CoverageFormat::Json => {
            let mut out = serde_json::to_string_pretty(&json).unwrap_or_default();
            out.push('\n');
            out
        }
        CoverageFormat::Csv => {
            let mut out = String::from("id,title,state,documents,via,inferred,confidence\r\n");
            for e in &json.entries {
                let fields = [
                    e.id,
                    e.title,
                    e.state,
                    &e.documents.join(" "),
                    &e.via.join(" "),
                    e.inferred.unwrap_or(""),
                    e.confidence.unwrap_or(""),
                ];
                let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
                out.push_str(&row.join(","));
                out.push_str("\r\n");
            }
            out
        }
        CoverageFormat::Table => {
            let mut table = vec![["ID", "STATE", "DOCS", "VIA", "TITLE"].map(String::from)];
            table.extend(json.entries.iter().map(|e| {
                [
                    e.id.to_string(),
                    e.state.to_string(),
                    e.documents.len().to_string(),
                    match via(e) {
                        v if v.is_empty() => "-".to_string(),
                        v => v,
                    },
                    e.title.to_string(),
                ]
            }));
            let mut out = aligned(&table, &[false, false, true, false, false]);
            out.push('\n');
            out.push_str(&summary(fw, &cov.direct, &cov.inferred, false));
            out
        }
        CoverageFormat::Markdown => {
            let mut out = format!(
                "## {} coverage: {}\n\n{}\n| Id | Title | State | Documents | Via (inferred mapping) |\n|---|---|---|---|---|\n",
                markdown_cell(&fw.name),
                markdown_cell(&manual.config.title),
                summary(fw, &cov.direct, &cov.inferred, true)
            );
            for e in &json.entries {
                let dash = |s: String| {
                    if s.is_empty() {
                        "—".to_string()
                    } else {
                        markdown_cell(&s)
                    }
                };
                out.push_str(&format!(
                    "| {} | {} | {} | {} | {} |\n",
                    markdown_cell(e.id),
                    markdown_cell(e.title),
                    e.state,
                    dash(e.documents.join(", ")),
                    dash(via(e))
                ));
            }
            out
        }
    })
}

/// The counts lines: direct states, and what mappings infer for the rest.
fn summary(fw: &Framework, direct: &Counts, inferred: &Counts, bullets: bool) -> String {
    let lead = if bullets { "- " } else { "" };
    format!(
        "{lead}{}\n{lead}{}\n",
        counts_line(&format!("{} (direct)", fw.name), direct),
        counts_line(
            "Not addressed directly, inferred through a mapping (never direct coverage)",
            inferred
        )
    )
}
