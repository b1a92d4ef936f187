//! The Tera context of each kind of page: what its template is given.

use serde::Serialize;
use tera::Value;

use super::links::{body_html, link_href};
use super::page::Page;
use super::shared::{base_context, Shared};
use super::views::{DocView, EntryView};
use super::{assurance, matrix, nav, soa, urls, Input};
use crate::analyse::{Coverage, State};
use crate::config::Disclosure;
use crate::model::catalog::EntryKind;
use crate::model::{DocIndex, Manual, SectionIndex};
use crate::resolve::Link;

#[derive(Serialize)]
struct RefView {
    id: String,
    title: String,
    url: String,
    state: &'static str,
    note: Option<String>,
}

#[derive(Serialize)]
struct Implementer<'a> {
    doc: Value,
    note: Option<&'a str>,
}

/// One item of required documented information, as the templates see it.
#[derive(Serialize)]
pub(super) struct RequiredView<'a> {
    id: &'a str,
    clause: &'a str,
    clause_title: String,
    clause_url: String,
    title: &'a str,
    kind: &'a str,
    note: &'a str,
    state: &'static str,
    state_label: &'static str,
    documents: Value,
    other_documents: Value,
    soa: Option<crate::analyse::required::SoaStanding>,
    unpublished: usize,
}

/// Every item of required documented information with its state and documents.
pub(super) fn required_views<'a>(input: &Input<'a>, sh: &'a Shared) -> Vec<RequiredView<'a>> {
    let m = input.manual;
    input
        .analysis
        .required
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let item = &m.catalog.required[r.item];
            RequiredView {
                id: &item.id,
                clause: &item.clause,
                clause_title: m
                    .catalog
                    .get(&item.clause)
                    .map(|e| e.title.clone())
                    .unwrap_or_default(),
                clause_url: urls::catalog(&m.catalog, &item.clause),
                title: &item.title,
                kind: &item.kind,
                note: &item.note,
                state: r.state.as_str(),
                state_label: r.state.label(),
                documents: doc_values(sh, &r.documents),
                other_documents: doc_values(sh, &r.other_documents),
                soa: r.soa,
                unpublished: input.unpublished.of_required(i),
            }
        })
        .collect()
}

/// The views of some documents, as one template value.
fn doc_values(sh: &Shared, docs: &[DocIndex]) -> Value {
    let v: Vec<Value> = docs.iter().map(|&d| sh.doc_values[d].clone()).collect();
    Value::from(v.as_slice())
}

/// A coverage matrix whose rows carry the entry views the pages show (with the number of
/// documents the edition does not publish).
fn matrix_of(input: &Input<'_>, sh: &Shared, kind: EntryKind) -> matrix::Matrix {
    let mut x = matrix::build(input.manual, input.analysis, kind);
    for row in x.groups.iter_mut().flat_map(|g| g.rows.iter_mut()) {
        if let Some(v) = sh.entries.iter().find(|e| e.id == row.entry.id) {
            row.entry.unpublished = v.unpublished;
        }
    }
    x
}

pub(crate) fn render_page(
    input: &Input<'_>,
    sh: &Shared,
    page: &Page,
) -> Result<String, tera::Error> {
    let m = input.manual;
    let a = input.analysis;
    let r = input.resolved;
    let path = page.path(m);
    let section = match page {
        Page::Section(s) => *s,
        Page::Document(d) => m.doc(*d).section,
        _ => SectionIndex::ROOT,
    };
    let mut ctx = base_context(sh, &path, section);
    let docs = &sh.docs;
    let doc_list = |ix: &mut dyn Iterator<Item = DocIndex>| -> Value {
        let v: Vec<Value> = ix.map(|j| sh.doc_values[j].clone()).collect();
        Value::from(v.as_slice())
    };
    if let Some(title) = page.kind(m).row().title {
        ctx.insert("title", title);
    }
    match page {
        Page::Home => {
            ctx.insert("title", &m.config.title);
            ctx.insert_value("coverage_picture", sh.coverage_picture.clone());
            ctx.insert_value("control_counts", sh.control_counts.clone());
            ctx.insert_value("clause_counts", sh.clause_counts.clone());
            let due: Vec<&DocView> = a.due_for_review.iter().map(|&d| &docs[d]).collect();
            ctx.insert("due", &due);
            ctx.insert("document_count", &m.documents.len());
            let gaps: Vec<&EntryView> = sh
                .entries
                .iter()
                .filter(|e| e.state == Some(State::Gap) && counts_alone(m, e))
                .collect();
            ctx.insert("gaps", &gaps);
            let partial: Vec<&EntryView> = sh
                .entries
                .iter()
                .filter(|e| e.state == Some(State::Partial))
                .collect();
            ctx.insert("partial", &partial);
            let sections: Vec<serde_json::Value> = sh.tree.children[SectionIndex::ROOT]
                .iter()
                .map(|&s| {
                    serde_json::json!({
                        "title": m.section(s).title,
                        "url": urls::section_href(&m.section(s).path),
                        "count": count_docs(&sh.tree, s),
                    })
                })
                .collect();
            ctx.insert("sections", &sections);
            ctx.insert("frameworks", &super::frameworks::links(m));
            ctx.insert(
                "crosswalk_url",
                &super::framework_pages::crosswalk_path(m, input.disclosure),
            );
        }
        Page::Coverage => {
            ctx.insert_value("coverage_picture", sh.coverage_picture.clone());
            ctx.insert_value("control_counts", sh.control_counts.clone());
            ctx.insert_value("clause_counts", sh.clause_counts.clone());
            // The matrices and the list of what needs attention are shown only when the
            // build discloses the full analysis.
            if input.disclosure == Disclosure::Full {
                ctx.insert("control_matrix", &matrix_of(input, sh, EntryKind::Control));
                ctx.insert("clause_matrix", &matrix_of(input, sh, EntryKind::Clause));
                ctx.insert("attention", &assurance::attention(m, a, sh));
            }
        }
        Page::Soa => {
            let href = |l: &Link| link_href(m, &path, l);
            let documents = |c: &Coverage| doc_list(&mut c.documents.iter().copied());
            ctx.insert("rows", &soa::rows(input, sh, &href, &documents));
            ctx.insert("soa_present", &m.soa.present);
            ctx.insert("soa_doc", &soa::soa_view(m, a));
            ctx.insert(
                "framework_soas",
                &super::soa27001::links(m, input.disclosure),
            );
            ctx.insert_value("control_counts", sh.control_counts.clone());
        }
        Page::Register => {
            let mut rows: Vec<DocIndex> = m.doc_indices().collect();
            rows.sort_by(|&x, &y| crate::model::ids::natural_cmp(&docs[x].id, &docs[y].id));
            // The SoA is a controlled document too: its row comes first, where the edition
            // shows the SoA.
            let soa_row = soa::soa_view(m, a)
                .filter(|_| input.disclosure == Disclosure::Full)
                .map(|v| Value::from_serializable(&v));
            let list: Vec<Value> = soa_row
                .into_iter()
                .chain(rows.into_iter().map(|j| sh.doc_values[j].clone()))
                .collect();
            ctx.insert_value("documents", Value::from(list.as_slice()));
        }
        Page::Required => {
            ctx.insert("items", &required_views(input, sh));
        }
        Page::Controls => {
            ctx.insert(
                "entries",
                &sh.entries
                    .iter()
                    .filter(|e| e.kind != EntryKind::Clause)
                    .collect::<Vec<_>>(),
            );
        }
        Page::Clauses => {
            ctx.insert(
                "entries",
                &sh.entries
                    .iter()
                    .filter(|e| e.kind == EntryKind::Clause)
                    .collect::<Vec<_>>(),
            );
        }
        Page::NotFound | Page::Changes | Page::Versions => {}
        Page::Framework(_) | Page::FrameworkEntry(_) => {
            super::frameworks::context(input, sh, page, &mut ctx)
        }
        Page::Systems | Page::System(_) => super::systems::context(input, sh, page, &mut ctx),
        Page::FrameworkSoa(f) => super::soa27001::context(input, sh, *f, &path, &mut ctx),
        Page::FrameworkMatrix(_) | Page::FrameworkGaps(_) | Page::Crosswalk => {
            super::framework_pages::context(input, page, &mut ctx)
        }
        Page::Section(s) => {
            let sec = m.section(*s);
            ctx.insert("title", &sec.title);
            let subsections: Vec<serde_json::Value> = sh.tree.children[*s]
                .iter()
                .map(|&c| {
                    serde_json::json!({
                        "title": m.section(c).title,
                        "url": urls::section_href(&m.section(c).path),
                        "count": count_docs(&sh.tree, c),
                    })
                })
                .collect();
            ctx.insert("subsections", &subsections);
            ctx.insert_value("documents", doc_list(&mut sh.tree.docs[*s].iter().copied()));
            ctx.insert("breadcrumbs", &breadcrumbs(m, *s));
        }
        Page::Document(d) => {
            let doc = m.doc(*d);
            ctx.insert("title", &doc.meta.title);
            ctx.insert_value("doc", sh.doc_values[*d].clone());
            let refs = |list: &Vec<crate::model::frontmatter::CatalogRef>| -> Vec<RefView> {
                list.iter()
                    .map(|c| {
                        let e = m.catalog.get(c.id.as_str());
                        RefView {
                            id: c.id.to_string(),
                            title: e.map(|e| e.title.clone()).unwrap_or_default(),
                            url: urls::catalog(&m.catalog, c.id.as_str()),
                            state: match input.disclosure {
                                Disclosure::None => "",
                                _ => a.coverage(&c.id).map_or("", |c| c.state.as_str()),
                            },
                            note: c.note.clone(),
                        }
                    })
                    .collect()
            };
            ctx.insert("controls", &refs(&doc.meta.controls));
            ctx.insert("clauses", &refs(&doc.meta.clauses));
            ctx.insert("frameworks", &super::frameworks::addressed(input, *d));
            ctx.insert("systems", &super::systems::named_by_doc(input, *d));
            ctx.insert_value("body", Value::safe_string(&body_html(m, r, *d, &path)));
            let toc: Vec<serde_json::Value> = doc
                .body
                .headings
                .iter()
                .filter(|h| h.level <= 3)
                .map(|h| serde_json::json!({"level": h.level, "text": h.text, "anchor": h.anchor}))
                .collect();
            ctx.insert("toc", &toc);
            ctx.insert_value("related", doc_list(&mut r.related[*d].iter().copied()));
            ctx.insert_value(
                "referenced_by",
                doc_list(&mut r.doc_backlinks[*d].iter().copied()),
            );
            match r.supersedes[*d] {
                Some(j) => ctx.insert_value("supersedes", sh.doc_values[j].clone()),
                None => ctx.insert("supersedes", &None::<()>),
            }
            ctx.insert_value(
                "superseded_by",
                doc_list(&mut r.superseded_by[*d].iter().copied()),
            );
            ctx.insert("breadcrumbs", &breadcrumbs(m, doc.section));
        }
        Page::Entry(e) => {
            let entry = &m.catalog.entries[*e];
            let view = &sh.entries[*e];
            ctx.insert("title", &format!("{} {}", entry.id, entry.title));
            ctx.insert("entry", view);
            let parent = entry
                .parent
                .as_ref()
                .and_then(|p| m.catalog.entries.iter().position(|x| &x.id == p))
                .map(|i| &sh.entries[i]);
            ctx.insert("parent", &parent);
            let objective = m
                .catalog
                .objective_of(entry)
                .and_then(|o| m.catalog.entries.iter().position(|x| x.id == o.id))
                .map(|i| &sh.entries[i]);
            ctx.insert("objective", &objective);
            let children: Vec<&EntryView> = m
                .catalog
                .entries
                .iter()
                .enumerate()
                .filter(|(_, c)| c.parent.as_ref() == Some(&entry.id))
                .map(|(i, _)| &sh.entries[i])
                .collect();
            ctx.insert("children", &children);
            let implementers: Vec<Implementer<'_>> = r
                .implemented_by
                .get(&entry.id)
                .into_iter()
                .flatten()
                .map(|&d| Implementer {
                    doc: sh.doc_values[d].clone(),
                    note: m
                        .doc(d)
                        .meta
                        .controls
                        .iter()
                        .chain(&m.doc(d).meta.clauses)
                        .find(|c| c.id == entry.id)
                        .and_then(|c| c.note.as_deref()),
                })
                .collect();
            ctx.insert("implemented_by", &implementers);
            if entry.kind == EntryKind::Control && input.disclosure == Disclosure::Full {
                let href = |l: &Link| link_href(m, &path, l);
                ctx.insert(
                    "decision",
                    &soa::decision_view(
                        input,
                        (crate::model::soa::Annex::Iso42001, entry.id.as_str()),
                        &href,
                    ),
                );
            }
            ctx.insert_value(
                "referenced_by",
                doc_list(
                    &mut r
                        .catalog_backlinks
                        .get(&entry.id)
                        .into_iter()
                        .flatten()
                        .copied(),
                ),
            );
            let required: Vec<&crate::model::catalog::RequiredItem> = m
                .catalog
                .required
                .iter()
                .filter(|q| q.clause == entry.id.as_str())
                .collect();
            ctx.insert("required", &required);
            ctx.insert("evidence", &assurance::evidence(m, a, sh, entry));
        }
    }
    match page {
        Page::Home => ctx.insert("changes_link", &None::<()>),
        Page::Document(_) | Page::Soa => {
            ctx.insert("history", &Vec::<()>::new());
            ctx.insert("history_note", &None::<()>);
        }
        _ => {}
    }
    let mut bar = String::new();
    if let Some(x) = input.extras {
        x.decorate(m, page, &path, &mut ctx);
        bar = x.version_bar(input.theme, &path)?;
    }
    ctx.insert_value("version_bar", Value::safe_string(&bar));
    input.theme.tera.render(page.template(m), &ctx)
}

/// Whether an entry's state is its own (a control, or a clause without sub-clauses) rather
/// than a summary of its children's.
fn counts_alone(m: &Manual, e: &EntryView) -> bool {
    e.kind == EntryKind::Control || is_leaf_clause(m, &e.id)
}

fn is_leaf_clause(m: &Manual, id: &str) -> bool {
    m.catalog
        .get(id)
        .is_some_and(|e| e.kind == EntryKind::Clause && m.catalog.children(&e.id).next().is_none())
}

fn count_docs(tree: &nav::Tree, s: SectionIndex) -> usize {
    tree.docs[s].len()
        + tree.children[s]
            .iter()
            .map(|&c| count_docs(tree, c))
            .sum::<usize>()
}

fn breadcrumbs(m: &Manual, mut s: SectionIndex) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    while let Some(p) = m.section(s).parent {
        let sec = m.section(s);
        out.push(serde_json::json!({"title": sec.title, "url": urls::section_href(&sec.path)}));
        s = p;
    }
    out.reverse();
    out
}
