//! Machine-readable outputs for dashboards and CI: `coverage.json` and `soa.csv`.

use serde::Serialize;

use super::views::DocView;
use crate::analyse::{Analysis, Coverage};
use crate::model::Manual;

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
                .map(|&d| manual.documents[d].meta.id.as_str())
                .collect(),
        })
        .collect()
}

/// `coverage.json`.
pub fn coverage_json(manual: &Manual, analysis: &Analysis, docs: &[DocView]) -> Vec<u8> {
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

/// Quotes one CSV field (RFC 4180). Written by hand: one function does not justify a crate.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `soa.csv`: control id, title, applicable, justification, implementation, documents.
pub fn soa_csv(manual: &Manual, analysis: &Analysis) -> Vec<u8> {
    let mut out =
        String::from("control,title,applicable,justification,implementation,documents\r\n");
    for c in &analysis.controls {
        let title = manual
            .catalog
            .get(c.id.as_str())
            .map_or("", |e| e.title.as_str());
        let docs: Vec<&str> = c
            .documents
            .iter()
            .map(|&d| manual.documents[d].meta.id.as_str())
            .collect();
        let fields = [
            c.id.as_str().to_string(),
            title.to_string(),
            if c.applicable { "yes" } else { "no" }.to_string(),
            c.justification.clone().unwrap_or_default(),
            c.implementation
                .map(|i| i.as_str())
                .unwrap_or("")
                .to_string(),
            docs.join(" "),
        ];
        let row: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// Every data file with its site path.
pub fn files(manual: &Manual, analysis: &Analysis, docs: &[DocView]) -> Vec<(String, Vec<u8>)> {
    vec![
        (
            "coverage.json".into(),
            coverage_json(manual, analysis, docs),
        ),
        ("soa.csv".into(), soa_csv(manual, analysis)),
    ]
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
}
