//! Machine-readable outputs for dashboards and CI: `coverage.json` and `soa.csv`.
//!
//! The CSV is written by hand ([`csv_field`]) rather than with the csv crate: a cell that a
//! spreadsheet would run as a formula is always quoted (as OWASP advises), any other cell only
//! when it must be, and the crate's quoting style holds for a whole writer, not one cell. The
//! tests read the output back with the csv crate.

use serde::Serialize;

pub use super::formats::CoverageFormat;
use super::formats::{aligned, counts_line, csv_field, markdown_cell};
use super::views::DocView;
use crate::analyse::{Analysis, Coverage};
use crate::config::Disclosure;
use crate::model::catalog::EntryKind;
use crate::model::ids::natural_cmp;
use crate::model::soa::{Annex, TextField, SOA_FILE};
use crate::model::{Manual, PerDoc};
use crate::pipeline::Unpublished;
use crate::resolve::Resolved;

#[derive(Serialize)]
struct CoverageFile<'a> {
    framework: &'a str,
    generated: String,
    controls: Vec<ItemJson<'a>>,
    clauses: Vec<ItemJson<'a>>,
    required: Vec<RequiredJson<'a>>,
    documents: Vec<DocJson<'a>>,
    frameworks: Vec<super::framework_data::FrameworkJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    systems: Option<Vec<super::system_data::SystemJson<'a>>>,
}

#[derive(Serialize)]
struct ItemJson<'a> {
    id: &'a str,
    title: &'a str,
    state: &'static str,
    applicable: bool,
    justification: Option<&'a str>,
    /// Controls only: the SoA implementation (`null` when not stated).
    #[serde(flatten)]
    control: Option<ControlJson>,
    documents: Vec<&'a str>,
    /// Documents that address it and that this edition does not publish (left out when
    /// none, so the complete manual's file does not have it).
    #[serde(skip_serializing_if = "is_zero")]
    unpublished: usize,
    /// When its evidence is per AI system: how many systems have it, which lack it.
    #[serde(skip_serializing_if = "Option::is_none")]
    systems: Option<super::system_data::ShareJson<'a>>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct ControlJson {
    implementation: Option<&'static str>,
}

/// One item of required documented information.
#[derive(Serialize)]
struct RequiredJson<'a> {
    id: &'a str,
    clause: &'a str,
    title: &'a str,
    kind: &'a str,
    state: &'static str,
    /// The documents that meet it.
    documents: Vec<&'a str>,
    /// `soa.yaml` for the item that file meets.
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'static str>,
    /// Documents that meet it and that this edition does not publish (left out when none).
    #[serde(skip_serializing_if = "is_zero")]
    unpublished: usize,
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

fn required<'a>(
    manual: &'a Manual,
    analysis: &Analysis,
    unpublished: &Unpublished,
) -> Vec<RequiredJson<'a>> {
    analysis
        .required
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let item = manual.catalog.required.get(r.item)?;
            Some(RequiredJson {
                id: &item.id,
                clause: &item.clause,
                title: &item.title,
                kind: &item.kind,
                state: r.state.as_str(),
                documents: r
                    .documents
                    .iter()
                    .map(|&d| manual.doc(d).meta.id.as_str())
                    .collect(),
                source: r.soa.map(|_| SOA_FILE),
                unpublished: unpublished.of_required(i),
            })
        })
        .collect()
}

fn items<'a>(
    manual: &'a Manual,
    list: &'a [Coverage],
    unpublished: &Unpublished,
) -> Vec<ItemJson<'a>> {
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
            control: manual
                .catalog
                .get(c.id.as_str())
                .is_some_and(|e| e.kind == EntryKind::Control)
                .then(|| ControlJson {
                    implementation: c.implementation.map(|i| i.as_str()),
                }),
            documents: c
                .documents
                .iter()
                .map(|&d| manual.doc(d).meta.id.as_str())
                .collect(),
            unpublished: unpublished.of(&c.id),
            systems: super::system_data::share(manual, c.systems.as_ref()),
        })
        .collect()
}

/// `coverage.json`: the coverage of the whole AIMS, with the documents of this edition (and,
/// per entry, how many documents it does not publish).
pub fn coverage_json(
    manual: &Manual,
    analysis: &Analysis,
    unpublished: &Unpublished,
    docs: &PerDoc<DocView>,
) -> Vec<u8> {
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
    documents.sort_by(|a, b| natural_cmp(a.id, b.id));
    let file = CoverageFile {
        framework: &manual.catalog.framework,
        generated: analysis.today.to_string(),
        controls: items(manual, &analysis.controls, unpublished),
        clauses: items(manual, &analysis.clauses, unpublished),
        required: required(manual, analysis, unpublished),
        documents,
        frameworks: super::framework_data::frameworks(manual, analysis, unpublished),
        systems: super::system_data::systems(manual, analysis),
    };
    let mut out = serde_json::to_vec_pretty(&file).unwrap_or_default();
    out.push(b'\n');
    out
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
        let plain = |field| {
            super::soa::text_plain(manual, resolved, (Annex::Iso42001, c.id.as_str()), field)
        };
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
pub fn counts_json(manual: &Manual, analysis: &Analysis) -> Vec<u8> {
    let value = serde_json::json!({
        "framework": "iso42001",
        "generated": analysis.today.to_string(),
        "counts": {"controls": analysis.control_counts, "clauses": analysis.clause_counts},
        "frameworks": super::framework_data::counts(manual, analysis),
    });
    let mut out = serde_json::to_vec_pretty(&value).unwrap_or_default();
    out.push(b'\n');
    out
}

/// Every data file with its site path, as far as `disclosure` allows.
pub fn files(
    manual: &Manual,
    analysis: &Analysis,
    unpublished: &Unpublished,
    resolved: &Resolved,
    docs: &PerDoc<DocView>,
    disclosure: Disclosure,
) -> Vec<(String, Vec<u8>)> {
    match disclosure {
        Disclosure::Full => vec![
            (
                "coverage.json".into(),
                coverage_json(manual, analysis, unpublished, docs),
            ),
            ("soa.csv".into(), soa_csv(manual, analysis, resolved)),
        ]
        .into_iter()
        .chain(super::soa27001::csv(manual, analysis, resolved))
        .collect(),
        Disclosure::Counts => vec![("coverage.json".into(), counts_json(manual, analysis))],
        Disclosure::None => Vec::new(),
    }
}

/// The coverage states for the terminal: an aligned table, CSV, coverage.json, or Markdown
/// tables (a heading, the counts, then one table of controls and one of clauses).
pub fn coverage_text(
    manual: &Manual,
    analysis: &Analysis,
    unpublished: &Unpublished,
    format: CoverageFormat,
) -> String {
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
    // The SoA implementation of an applicable control; empty for clauses and when unstated.
    let implementation = |c: &Coverage| -> &'static str {
        c.implementation
            .filter(|_| c.applicable)
            .map_or("", |i| i.as_str())
    };
    match format {
        CoverageFormat::Json => {
            let docs = super::views::doc_views(manual, analysis);
            String::from_utf8_lossy(&coverage_json(manual, analysis, unpublished, &docs))
                .into_owned()
        }
        CoverageFormat::Csv => {
            let mut out =
                String::from("kind,id,title,state,applicable,implementation,documents\r\n");
            for (kind, c) in rows {
                let fields = [
                    kind.to_string(),
                    c.id.to_string(),
                    title(c).to_string(),
                    c.state.as_str().to_string(),
                    if c.applicable { "yes" } else { "no" }.to_string(),
                    implementation(c).to_string(),
                    ids(c).join(" "),
                ];
                let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
                out.push_str(&row.join(","));
                out.push_str("\r\n");
            }
            out
        }
        CoverageFormat::Table => {
            // With an inventory of AI systems, a SYSTEMS column says for an item whose
            // evidence is per system how many of the systems that need a record have one.
            let header = ["ID", "STATE", "IMPLEMENTED", "DOCS", "SYSTEMS", "TITLE"];
            let mut table = vec![header.map(String::from)];
            table.extend(rows.map(|(_, c)| {
                [
                    c.id.to_string(),
                    c.state.as_str().to_string(),
                    match implementation(c) {
                        "" => "-",
                        i => i,
                    }
                    .to_string(),
                    c.documents.len().to_string(),
                    c.systems.as_ref().map_or("-".to_string(), |s| {
                        format!("{}/{}", s.having(), s.needed.len())
                    }),
                    title(c).to_string(),
                ]
            }));
            let mut out = if analysis.systems.systems.is_empty() {
                let table: Vec<[String; 5]> = table
                    .into_iter()
                    .map(|[id, state, implemented, docs, _, title]| {
                        [id, state, implemented, docs, title]
                    })
                    .collect();
                aligned(&table, &[false, false, false, true, false])
            } else {
                aligned(&table, &[false, false, false, true, true, false])
            };
            out.push('\n');
            out.push_str(&counts_line("Annex A controls", &analysis.control_counts));
            out.push('\n');
            out.push_str(&counts_line("Clauses (leaf)", &analysis.clause_counts));
            out.push('\n');
            out
        }
        CoverageFormat::Markdown => {
            let mut out = format!(
                "## ISO/IEC 42001 coverage: {}\n\n- {}\n- {}\n",
                markdown_cell(&manual.config.title),
                counts_line("Annex A controls", &analysis.control_counts),
                counts_line("Clauses (leaf)", &analysis.clause_counts)
            );
            // Controls also say how far the SoA has them implemented.
            let groups = [
                ("Annex A controls", &analysis.controls, true),
                ("Clauses", &analysis.clauses, false),
            ];
            for (heading, list, controls) in groups {
                out.push_str(&format!(
                    "\n### {heading}\n\n{}",
                    if controls {
                        "| Id | Title | State | Implementation | Documents |\n|---|---|---|---|---|\n"
                    } else {
                        "| Id | Title | State | Documents |\n|---|---|---|---|\n"
                    }
                ));
                for c in list.iter() {
                    let docs = ids(c);
                    let docs = if docs.is_empty() {
                        "—".to_string()
                    } else {
                        markdown_cell(&docs.join(", "))
                    };
                    let implemented = if controls {
                        format!(
                            " {} |",
                            match implementation(c) {
                                "" => "—",
                                i => i,
                            }
                        )
                    } else {
                        String::new()
                    };
                    out.push_str(&format!(
                        "| {} | {} | {} |{implemented} {docs} |\n",
                        markdown_cell(c.id.as_str()),
                        markdown_cell(title(c)),
                        c.state.as_str(),
                    ));
                }
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_by_characters() {
        let rows = [
            ["ID", "NAME", "N"].map(String::from),
            ["é", "ünï", "10"].map(String::from),
            ["A.10.2", "x", "7"].map(String::from),
        ];
        assert_eq!(
            aligned(&rows, &[false, false, true]),
            "ID      NAME   N\né       ünï   10\nA.10.2  x      7\n"
        );
    }

    #[test]
    fn markdown_cells_stay_in_their_cell_and_carry_no_markup() {
        assert_eq!(markdown_cell("A | B"), "A \\| B");
        assert_eq!(markdown_cell("two\nlines"), "two lines");
        assert_eq!(
            markdown_cell("<b>*x*</b> [l](u) `c`"),
            "\\<b\\>\\*x\\*\\</b\\> \\[l\\](u) \\`c\\`"
        );
        assert_eq!(markdown_cell("a\\|b"), "a\\\\\\|b");
    }

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
