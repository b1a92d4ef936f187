//! Coverage matrices: catalog entries (rows, grouped) × documents (columns). With many
//! documents the columns become sections, and cells count documents.

use std::collections::BTreeMap;

use serde::Serialize;

use super::urls;
use super::views::{entry_view, EntryView};
use crate::analyse::{Analysis, State};
use crate::model::catalog::{Entry, EntryKind};
use crate::model::{DocIndex, Manual, SectionIndex};

/// More document columns than this are aggregated by section.
pub const MAX_COLUMNS: usize = 40;

/// A column header.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    /// Short label (document id or section title).
    pub label: String,
    /// Full title.
    pub title: String,
    /// Site path.
    pub url: String,
}

/// One cell.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// Visible mark (`✓`, `!`, `○`, a count, or empty).
    pub mark: String,
    /// Text for assistive technology and tooltips.
    pub label: String,
    /// CSS state class.
    pub state: &'static str,
}

/// One row.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The entry.
    pub entry: EntryView,
    /// Cells, one per column.
    pub cells: Vec<Cell>,
}

/// Rows under one heading (an objective, or a top-level clause).
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// Heading id.
    pub id: String,
    /// Heading title.
    pub title: String,
    /// Rows.
    pub rows: Vec<Row>,
}

/// A whole matrix.
#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    /// Columns.
    pub columns: Vec<Column>,
    /// Whether columns are sections (cells count documents).
    pub aggregated: bool,
    /// Row groups.
    pub groups: Vec<Group>,
}

fn mark_for(state: State, status_label: &str) -> (String, String, &'static str) {
    match state {
        State::Covered => ("✓".into(), format!("addressed ({status_label})"), "covered"),
        State::Overdue => ("!".into(), "addressed, review overdue".into(), "overdue"),
        _ => (
            "○".into(),
            format!("addressed, not in force ({status_label})"),
            "draft",
        ),
    }
}

/// Builds a matrix for entries of `kind` (controls or clauses).
pub fn build(manual: &Manual, analysis: &Analysis, kind: EntryKind) -> Matrix {
    let declares = |d: DocIndex, e: &Entry| {
        let m = &manual.doc(d).meta;
        let list = if kind == EntryKind::Control {
            &m.controls
        } else {
            &m.clauses
        };
        list.iter().any(|r| r.id == e.id)
    };
    let mut docs: Vec<DocIndex> = manual
        .doc_indices()
        .filter(|&d| analysis.standing[d].contributes.is_some())
        .filter(|&d| {
            let m = &manual.doc(d).meta;
            !(if kind == EntryKind::Control {
                &m.controls
            } else {
                &m.clauses
            })
            .is_empty()
        })
        .collect();
    docs.sort_by(|&a, &b| {
        crate::model::ids::natural_cmp(
            manual.doc(a).meta.id.as_str(),
            manual.doc(b).meta.id.as_str(),
        )
    });

    let (columns, col_docs, aggregated) = columns(manual, &docs);

    let row = |e: &Entry| -> Row {
        let cells = col_docs
            .iter()
            .map(|ds| {
                let hits: Vec<DocIndex> = ds.iter().copied().filter(|&d| declares(d, e)).collect();
                cell(manual, analysis, &hits, aggregated)
            })
            .collect();
        Row {
            entry: entry_view(manual, analysis, e),
            cells,
        }
    };

    let mut groups = Vec::new();
    match kind {
        EntryKind::Control => {
            for obj in manual.catalog.of_kind(EntryKind::Objective) {
                let rows = manual
                    .catalog
                    .controls()
                    .filter(|c| {
                        manual
                            .catalog
                            .objective_of(c)
                            .is_some_and(|o| o.id == obj.id)
                    })
                    .map(row)
                    .collect();
                groups.push(Group {
                    id: obj.id.to_string(),
                    title: obj.title.clone(),
                    rows,
                });
            }
        }
        _ => {
            for top in manual.catalog.clauses().filter(|c| c.parent.is_none()) {
                let prefix = format!("{}.", top.id);
                let rows = manual
                    .catalog
                    .clauses()
                    .filter(|c| c.id.as_str().starts_with(&prefix))
                    .map(row)
                    .collect();
                groups.push(Group {
                    id: top.id.to_string(),
                    title: top.title.clone(),
                    rows,
                });
            }
        }
    }
    Matrix {
        columns,
        aggregated,
        groups,
    }
}

/// The columns of a matrix over `docs` (sorted): one per document, or per section when there
/// are more than [`MAX_COLUMNS`] documents. Returns the columns, each column's documents, and
/// whether columns are sections.
pub fn columns(manual: &Manual, docs: &[DocIndex]) -> (Vec<Column>, Vec<Vec<DocIndex>>, bool) {
    let aggregated = docs.len() > MAX_COLUMNS;
    let mut col_docs: Vec<Vec<DocIndex>> = Vec::new();
    let mut columns = Vec::new();
    if aggregated {
        let mut by_section: BTreeMap<SectionIndex, Vec<DocIndex>> = BTreeMap::new();
        let top = |mut s: SectionIndex| {
            while let Some(p) = manual.section(s).parent {
                if p == SectionIndex::ROOT {
                    break;
                }
                s = p;
            }
            s
        };
        let many_sections = docs
            .iter()
            .map(|&d| manual.doc(d).section)
            .collect::<std::collections::BTreeSet<_>>()
            .len()
            > MAX_COLUMNS;
        for &d in docs {
            let s = manual.doc(d).section;
            by_section
                .entry(if many_sections { top(s) } else { s })
                .or_default()
                .push(d);
        }
        for (s, ds) in by_section {
            let sec = manual.section(s);
            columns.push(Column {
                label: sec.title.clone(),
                title: format!("{} ({} documents)", sec.title, ds.len()),
                url: urls::section_href(&sec.path),
            });
            col_docs.push(ds);
        }
    } else {
        for &d in docs {
            let m = &manual.doc(d).meta;
            columns.push(Column {
                label: m.id.to_string(),
                title: m.title.clone(),
                url: urls::document(m.id.as_str()),
            });
            col_docs.push(vec![d]);
        }
    }

    (columns, col_docs, aggregated)
}

/// The cell of a column in which documents `hits` address the row (a count of them when
/// columns are sections).
pub fn cell(manual: &Manual, analysis: &Analysis, hits: &[DocIndex], aggregated: bool) -> Cell {
    if hits.is_empty() {
        return Cell {
            mark: String::new(),
            label: "not addressed".into(),
            state: "none",
        };
    }
    if aggregated {
        let best = hits
            .iter()
            .filter_map(|&d| analysis.standing[d].contributes)
            .max()
            .unwrap_or(State::Draft);
        let (_, _, st) = mark_for(best, "");
        return Cell {
            mark: hits.len().to_string(),
            label: format!("{} documents", hits.len()),
            state: st,
        };
    }
    let d = hits[0];
    let state = analysis.standing[d].contributes.unwrap_or(State::Draft);
    let (mark, label, st) = mark_for(state, super::views::status_label(manual.doc(d).meta.status));
    Cell {
        mark,
        label,
        state: st,
    }
}
