//! Machine-readable outputs for dashboards and CI: `coverage.json` and `soa.csv`.
//!
//! The CSV is written by hand ([`csv_field`]) rather than with the csv crate: a cell that a
//! spreadsheet would run as a formula is always quoted (as OWASP advises), any other cell only
//! when it must be, and the crate's quoting style holds for a whole writer, not one cell. The
//! tests read the output back with the csv crate.

use serde::Serialize;

use super::views::DocView;
use crate::analyse::{Analysis, Coverage};
use crate::config::Disclosure;
use crate::model::soa::TextField;
use crate::model::{Manual, PerDoc};
use crate::resolve::Resolved;

#[derive(Serialize)]
struct CoverageFile<'a> {
    framework: &'a str,
    generated: String,
    controls: Vec<ItemJson<'a>>,
    clauses: Vec<ItemJson<'a>>,
    documents: Vec<DocJson<'a>>,
}

#[derive(Serialize)]
struct ItemJson<'a> {
    id: &'a str,
    title: &'a str,
    state: &'static str,
    applicable: bool,
    justification: Option<&'a str>,
    documents: Vec<&'a str>,
}

#[derive(Serialize)]
struct DocJson<'a> {
    id: &'a str,
    title: &'a str,
    #[serde(rename = "type")]
    doc_type: &'a str,
    status: &'a str,
    path: &'a str,
    controls: Vec<&'a str>,
    clauses: Vec<&'a str>,
}

fn items<'a>(manual: &'a Manual, list: &'a [Coverage]) -> Vec<ItemJson<'a>> {
    list.iter()
        .map(|c| ItemJson {
            id: c.id.as_str(),
            title: manual
                .catalog
                .get(c.id.as_str())
                .map_or("", |e| e.title.as_str()),
            state: c.state.as_str(),
            applicable: c.applicable,
            justification: c.justification.as_deref(),
            documents: c
                .documents
                .iter()
                .map(|&d| manual.doc(d).meta.id.as_str())
                .collect(),
        })
        .collect()
}

/// Coverage output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CoverageFormat {
    /// Aligned text for terminals and CI logs.
    Table,
    /// The shape of coverage.json.
    Json,
    /// Comma-separated values.
    Csv,
}

/// `coverage.json`.
pub fn coverage_json(manual: &Manual, analysis: &Analysis, docs: &PerDoc<DocView>) -> Vec<u8> {
    let mut documents: Vec<DocJson<'_>> = manual
        .documents
        .iter()
        .zip(docs)
        .map(|(d, v)| DocJson {
            id: d.meta.id.as_str(),
            title: &d.meta.title,
            doc_type: d.meta.doc_type.as_str(),
            status: d.meta.status.as_str(),
            path: &v.path,
            controls: d.meta.controls.iter().map(|c| c.id.as_str()).collect(),
            clauses: d.meta.clauses.iter().map(|c| c.id.as_str()).collect(),
        })
        .collect();
    documents.sort_by(|a, b| a.id.cmp(b.id));
    let file = CoverageFile {
        framework: &manual.catalog.framework,
        generated: analysis.today.to_string(),
        controls: items(manual, &analysis.controls),
        clauses: items(manual, &analysis.clauses),
        documents,
    };
    let mut out = serde_json::to_vec_pretty(&file).unwrap_or_default();
    out.push(b'\n');
    out
}

/// Quotes one CSV field (RFC 4180) when it holds `,`, `"`, CR or LF.
///
/// A field that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return, as OWASP lists them) gets a leading `'` and is quoted, so that
/// `=HYPERLINK(…)` in a justification is shown as text, never run.
fn csv_field(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("\"'{}\"", s.replace('"', "\"\""))
    } else if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `soa.csv`: control id, title, applicable, justification, implementation, documents,
/// owner, evidence. Justification and evidence are plain text, a reference to a document as
/// "Title (ID)", to a control or clause as its id (a withheld document as "internal
/// document").
pub fn soa_csv(manual: &Manual, analysis: &Analysis, resolved: &Resolved) -> Vec<u8> {
    let mut out = String::from(
        "control,title,applicable,justification,implementation,documents,owner,evidence\r\n",
    );
    for c in &analysis.controls {
        let title = manual
            .catalog
            .get(c.id.as_str())
            .map_or("", |e| e.title.as_str());
        let docs: Vec<&str> = c
            .documents
            .iter()
            .map(|&d| manual.doc(d).meta.id.as_str())
            .collect();
        let plain = |field| super::soa::text_plain(manual, resolved, &c.id, field);
        let owner = manual
            .soa
            .decisions
            .get(&c.id)
            .and_then(|d| d.owner.clone());
        let fields = [
            c.id.as_str().to_string(),
            title.to_string(),
            if c.applicable { "yes" } else { "no" }.to_string(),
            plain(TextField::Justification).unwrap_or_default(),
            c.implementation
                .map(|i| i.as_str())
                .unwrap_or("")
                .to_string(),
            docs.join(" "),
            owner.unwrap_or_default(),
            plain(TextField::Evidence).unwrap_or_default(),
        ];
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// `coverage.json` with counts only (for public builds that disclose only counts).
pub fn counts_json(analysis: &Analysis) -> Vec<u8> {
    let value = serde_json::json!({
        "framework": "iso42001",
        "generated": analysis.today.to_string(),
        "counts": {"controls": analysis.control_counts, "clauses": analysis.clause_counts},
    });
    let mut out = serde_json::to_vec_pretty(&value).unwrap_or_default();
    out.push(b'\n');
    out
}

/// Every data file with its site path, as far as `disclosure` allows.
pub fn files(
    manual: &Manual,
    analysis: &Analysis,
    resolved: &Resolved,
    docs: &PerDoc<DocView>,
    disclosure: Disclosure,
) -> Vec<(String, Vec<u8>)> {
    match disclosure {
        Disclosure::Full => vec![
            (
                "coverage.json".into(),
                coverage_json(manual, analysis, docs),
            ),
            ("soa.csv".into(), soa_csv(manual, analysis, resolved)),
        ],
        Disclosure::Counts => vec![("coverage.json".into(), counts_json(analysis))],
        Disclosure::None => Vec::new(),
    }
}

/// The coverage states for the terminal: an aligned table, CSV, or coverage.json.
pub fn coverage_text(manual: &Manual, analysis: &Analysis, format: CoverageFormat) -> String {
    let rows = analysis
        .controls
        .iter()
        .map(|c| ("control", c))
        .chain(analysis.clauses.iter().map(|c| ("clause", c)));
    let ids = |c: &Coverage| -> Vec<&str> {
        c.documents
            .iter()
            .map(|&d| manual.doc(d).meta.id.as_str())
            .collect()
    };
    let title = |c: &Coverage| {
        manual
            .catalog
            .get(c.id.as_str())
            .map_or("", |e| e.title.as_str())
    };
    match format {
        CoverageFormat::Json => {
            let docs = super::views::doc_views(manual, analysis);
            String::from_utf8_lossy(&coverage_json(manual, analysis, &docs)).into_owned()
        }
        CoverageFormat::Csv => {
            let mut out = String::from("kind,id,title,state,applicable,documents\r\n");
            for (kind, c) in rows {
                let fields = [
                    kind.to_string(),
                    c.id.to_string(),
                    title(c).to_string(),
                    c.state.as_str().to_string(),
                    if c.applicable { "yes" } else { "no" }.to_string(),
                    ids(c).join(" "),
                ];
                let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
                out.push_str(&row.join(","));
                out.push_str("\r\n");
            }
            out
        }
        CoverageFormat::Table => {
            let mut out = format!("{:<9} {:<9} {:>4}  {}\n", "ID", "STATE", "DOCS", "TITLE");
            for (_, c) in rows {
                out.push_str(&format!(
                    "{:<9} {:<9} {:>4}  {}\n",
                    c.id,
                    c.state.as_str(),
                    c.documents.len(),
                    title(c)
                ));
            }
            let line = |name: &str, k: &crate::analyse::Counts| {
                format!(
                    "{name}: {} covered, {} overdue, {} draft, {} gap, {} excluded (of {})\n",
                    k.covered, k.overdue, k.draft, k.gap, k.excluded, k.total
                )
            };
            out.push('\n');
            out.push_str(&line("Annex A controls", &analysis.control_counts));
            out.push_str(&line("Clauses (leaf)", &analysis.clause_counts));
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn csv_formulas_are_neutralised() {
        assert_eq!(
            csv_field("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        for s in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_field(s), format!("\"'{s}\""));
        }
        assert_eq!(csv_field("a = b"), "a = b");
    }

    #[test]
    fn rows_read_back_with_the_csv_crate() {
        let cells = [
            "plain",
            "a, b",
            "say \"hi\"",
            "two\r\nlines",
            "=1+1",
            "-",
            "",
            "é",
            "'quoted'",
        ];
        let row: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
        let text = format!("{}\r\n", row.join(","));
        assert_eq!(
            text,
            "plain,\"a, b\",\"say \"\"hi\"\"\",\"two\r\nlines\",\"'=1+1\",\"'-\",,é,'quoted'\r\n"
        );
        let read: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.expect("record").iter().map(str::to_string).collect())
            .collect();
        let neutralised = |c: &str| {
            if c.starts_with(['=', '-']) {
                format!("'{c}")
            } else {
                c.to_string()
            }
        };
        assert_eq!(
            read,
            vec![cells.iter().map(|c| neutralised(c)).collect::<Vec<_>>()]
        );
    }
}
