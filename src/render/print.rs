//! `print.html`: the whole manual on one page in reading order, for printing or a PDF — a
//! cover naming the version, a table of contents, the coverage of controls and clauses, the
//! required documented information, the document register, the Statement of Applicability
//! (each as far as the edition discloses it) and every document of the build, each starting
//! on a new page with its notices (retired, superseded, not in force, review overdue).
//! Every printed page has a running header and footer (`running.rs`).
//!
//! Links between documents become links inside the page (`#doc-POL-AI-001`), links to
//! controls go to their row of the SoA and links to clauses to their row of the clause
//! coverage, and heading ids are prefixed with the document id (`POL-AI-001--scope`) so the
//! ids of different documents never collide.

mod banners;
mod running;

use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use super::page::Kind;
use super::views::DocView;
use super::{urls, Input, Page, Shared, Sink};
use crate::diagnostics::Diagnostic;
use crate::markdown::escape_attr;
use crate::model::catalog::EntryKind;
use crate::model::{DocIndex, Manual, PerDoc, SectionIndex};
use crate::resolve::Link;

/// Where the template's `{{ documents }}` goes; replaced by the documents as a stream.
const DOCUMENTS_MARK: &str = "\u{E000}aimsdoc-print-documents\u{E001}";

/// Documents rendered per part of the stream (in parallel within a part).
const PART: usize = 256;

/// The site path of the printable manual.
pub const PATH: &str = Kind::Print.path();

#[derive(Serialize)]
struct TocSection {
    title: String,
    depth: usize,
    documents: Vec<TocDoc>,
}

#[derive(Serialize)]
struct TocDoc {
    id: String,
    title: String,
}

/// The in-page anchor of a document.
fn doc_anchor(id: &str) -> String {
    format!("doc-{id}")
}

/// Which parts of the printed manual links can go to.
#[derive(Clone, Copy)]
struct Parts {
    /// The SoA, with a row per control.
    soa: bool,
    /// The clause coverage, with a row per clause.
    clauses: bool,
}

/// The href of a link inside the printed manual; `printed` says whether a document is in it.
fn print_href(m: &Manual, printed: &PerDoc<bool>, parts: Parts, this: &str, link: &Link) -> String {
    let in_doc = |id: &str, anchor: &Option<String>| match anchor {
        Some(a) => format!("#{id}--{}", urls::encode_fragment(a)),
        None => format!("#{}", doc_anchor(id)),
    };
    match link {
        Link::Doc { doc, anchor } => {
            let id = m.doc(*doc).meta.id.as_str();
            if printed.get(*doc).copied().unwrap_or(false) {
                in_doc(id, anchor)
            } else {
                urls::relative(PATH, &urls::document(id))
            }
        }
        Link::Catalog { id, .. } => match m.catalog.get(id.as_str()).map(|e| e.kind) {
            Some(EntryKind::Control) if parts.soa => {
                format!("#soa-{}", urls::encode_fragment(id.as_str()))
            }
            Some(EntryKind::Clause) if parts.clauses => {
                format!("#clause-{}", urls::encode_fragment(id.as_str()))
            }
            _ => urls::relative(PATH, &urls::catalog(&m.catalog, id.as_str())),
        },
        Link::Asset { path, anchor } => {
            let base = urls::relative(PATH, &urls::asset_href(path));
            match anchor {
                Some(a) => format!("{base}#{}", urls::encode_fragment(a)),
                None => base,
            }
        }
        Link::SelfAnchor(a) => in_doc(this, &Some(a.clone())),
        Link::Framework(e) => urls::relative(PATH, &urls::framework_entry(m, *e)),
        Link::System(k) => urls::relative(PATH, &urls::system_at(m, *k)),
        Link::Broken | Link::Withheld => "#".into(),
    }
}

/// Prefixes every `id="…"` and in-page `href="#…"` of a document's pre-rendered body with
/// the document id, so headings of different documents stay unique on one page.
fn prefix_ids(html: &str, id: &str) -> String {
    // One pass over the attribute values (`="` only occurs in tags: text has `&quot;`).
    let mut out = String::with_capacity(html.len() + 512);
    let mut rest = html;
    let finder = memchr::memmem::Finder::new("=\"");
    while let Some(i) = finder.find(rest.as_bytes()) {
        let (before, after) = rest.split_at(i + 2);
        out.push_str(before);
        rest = after;
        if before.ends_with(" id=\"") {
            out.push_str(id);
            out.push_str("--");
        } else if before.ends_with("href=\"") && after.starts_with('#') {
            out.push('#');
            out.push_str(id);
            out.push_str("--");
            rest = &after[1..];
        } else if before.ends_with("aria-label=\"") && after.starts_with("Table ") {
            out.push_str(id);
            out.push_str(" table ");
            rest = &after["Table ".len()..];
        }
    }
    out.push_str(rest);
    out
}

/// Documents in reading order: sections depth-first as in the navigation, each section's
/// documents in its order. Returns (section index, depth, documents).
fn reading_order(sh: &Shared, s: SectionIndex, depth: usize, out: &mut Vec<(SectionIndex, usize)>) {
    out.push((s, depth));
    for &c in &sh.tree.children[s] {
        reading_order(sh, c, depth + 1, out);
    }
}

/// One printed document.
struct Printed<'a> {
    /// Its index in the manual.
    doc: DocIndex,
    /// Its place in reading order (its named page).
    n: usize,
    /// The title of its section.
    section: &'a str,
}

/// One document's `<article>` on its own named page: its notices, its control data, then
/// its body.
fn article(
    input: &Input<'_>,
    v: &DocView,
    p: &Printed<'_>,
    printed: &PerDoc<bool>,
    parts: Parts,
) -> String {
    let m = input.manual;
    let d = p.doc;
    let id = m.doc(d).meta.id.as_str();
    let html = prefix_ids(&m.doc(d).body.html, id);
    let href = |link: &Link| print_href(m, printed, parts, id, link);
    let body = super::body_html_with(m, input.resolved, d, &html, href);
    let doc_href = |j: DocIndex| {
        href(&Link::Doc {
            doc: j,
            anchor: None,
        })
    };
    let e = escape_attr;
    let opt = |s: &Option<String>| s.as_deref().map_or("—".to_string(), escape_attr);
    let mut out = String::with_capacity(body.len() + 1500);
    let _ = write!(
        out,
        "<article class=\"print-doc\" id=\"doc-{id}\" style=\"page: {page}\" aria-labelledby=\"doc-{id}-title\">\n\
<header class=\"print-doc-header\">\n  <p class=\"doc-id\">{section} · {id} · {ty}</p>\n  \
<h2 id=\"doc-{id}-title\">{title}</h2>\n{banners}  <dl class=\"print-meta\">\n",
        id = e(id),
        page = running::page_name(p.n),
        section = e(p.section),
        ty = e(v.doc_type),
        title = e(&v.title),
        banners = banners::banners(input, v, d, &doc_href),
    );
    let review = format!(
        "{}{}",
        opt(&v.review),
        if v.overdue { " (overdue)" } else { "" }
    );
    // Dates never break inside.
    for (k, val, date) in [
        ("Status", e(v.status_label), false),
        ("Version", opt(&v.version), false),
        ("Owner", opt(&v.owner), false),
        ("Approver", opt(&v.approver), false),
        ("Approved", opt(&v.approved), true),
        ("Effective", opt(&v.effective), true),
        ("Review due", review, true),
        ("Classification", e(v.classification), false),
    ] {
        let class = if date { " class=\"date-cell\"" } else { "" };
        let _ = writeln!(out, "    <div><dt>{k}</dt><dd{class}>{val}</dd></div>");
    }
    out.push_str("  </dl>\n</header>\n<div class=\"doc-body\">\n");
    out.push_str(&body);
    out.push_str("</div>\n</article>\n");
    out
}

/// Renders `print.html` for the pages of this build and streams it into `sink`: the
/// template gives the cover, contents, coverage, register and SoA; the documents are
/// rendered in parts, in parallel within each part, so memory stays flat at any size.
pub(super) fn write(
    input: &Input<'_>,
    sh: &Shared,
    pages: &[Page],
    sink: &dyn Sink,
) -> Result<(), Box<Diagnostic>> {
    let m = input.manual;
    let a = input.analysis;
    let mut printed: PerDoc<bool> = PerDoc::filled(m.documents.len(), false);
    for p in pages {
        if let Page::Document(d) = p {
            printed[*d] = true;
        }
    }
    let mut order = Vec::new();
    reading_order(sh, SectionIndex::ROOT, 0, &mut order);
    let mut toc = Vec::new();
    let mut docs_in_order: Vec<(SectionIndex, DocIndex)> = Vec::new();
    for &(s, depth) in &order {
        let docs: Vec<DocIndex> = sh.tree.docs[s]
            .iter()
            .copied()
            .filter(|&d| printed[d])
            .collect();
        if docs.is_empty() && s == SectionIndex::ROOT {
            continue;
        }
        toc.push(TocSection {
            title: m.section(s).title.clone(),
            depth,
            documents: docs
                .iter()
                .map(|&d| TocDoc {
                    id: m.doc(d).meta.id.to_string(),
                    title: m.doc(d).meta.title.clone(),
                })
                .collect(),
        });
        docs_in_order.extend(docs.into_iter().map(|d| (s, d)));
    }
    let full = Kind::Soa.row().shown(input.disclosure);
    let soa_doc = super::soa::soa_view(m, a).filter(|_| full);
    let mut register: Vec<DocIndex> = m.doc_indices().filter(|&d| printed[d]).collect();
    register.sort_by(|&x, &y| crate::model::ids::natural_cmp(&sh.docs[x].id, &sh.docs[y].id));
    // The SoA is a controlled document too: first in the register where it is printed.
    let register: Vec<Value> = soa_doc
        .iter()
        .map(Value::from_serializable)
        .chain(register.iter().map(|&d| sh.doc_values[d].clone()))
        .collect();
    let shown = |k: Kind| k.row().shown(input.disclosure);
    let parts = Parts {
        soa: full,
        clauses: shown(Kind::Coverage),
    };
    let ids = |docs: &[DocIndex]| -> Vec<&str> {
        docs.iter()
            .filter(|&&d| printed[d])
            .map(|&d| m.doc(d).meta.id.as_str())
            .collect()
    };
    // Every clause with its state and documents, in catalog order.
    let clauses: Vec<Value> = m
        .catalog
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| parts.clauses && e.kind == EntryKind::Clause)
        .map(|(i, e)| {
            let docs = a.coverage(&e.id).map(|c| ids(&c.documents));
            Value::from_serializable(
                &serde_json::json!({"entry": &sh.entries[i], "documents": docs.unwrap_or_default()}),
            )
        })
        .collect();
    let required = if shown(Kind::Required) {
        super::context::required_views(input, sh)
    } else {
        Vec::new()
    };
    let href = |l: &Link| print_href(m, &printed, parts, "", l);
    // Ids only: a control of a large manual lists thousands of documents.
    let documents = |c: &crate::analyse::Coverage| {
        let ids: Vec<&str> = c
            .documents
            .iter()
            .filter(|&&d| printed[d])
            .map(|&d| m.doc(d).meta.id.as_str())
            .collect();
        Value::from_serializable(&ids)
    };
    let soa = if full {
        super::soa::rows(input, sh, &href, &documents)
    } else {
        Vec::new()
    };

    let today = a.today.to_string();
    let version =
        running::version_label(input.extras.and_then(|x| x.version_name()).as_ref(), &today);
    let edition = format!("{} ({})", input.edition.label(), input.edition.holds_note());
    let mut ctx = Context::new();
    ctx.insert_value("site", sh.site.clone());
    ctx.insert("root", "");
    ctx.insert("page_url", PATH);
    ctx.insert("title", &m.config.title);
    ctx.insert(
        "running",
        &running::Running::new(
            &m.config.title,
            &version,
            &edition,
            docs_in_order.iter().map(|&(_, d)| &sh.docs[d]),
        ),
    );
    ctx.insert(
        "cover",
        &serde_json::json!({
            "version": version,
            "audience": edition,
            "date": today,
            "documents": docs_in_order.len(),
        }),
    );
    ctx.insert("toc", &toc);
    ctx.insert_value("control_counts", sh.control_counts.clone());
    ctx.insert_value("clause_counts", sh.clause_counts.clone());
    ctx.insert_value("clauses", Value::from(clauses.as_slice()));
    ctx.insert("required", &required);
    ctx.insert_value("coverage_picture", sh.coverage_picture.clone());
    ctx.insert_value("register", Value::from(register.as_slice()));
    ctx.insert("soa", &soa);
    ctx.insert("soa_doc", &soa_doc);
    ctx.insert("soa_present", &(m.soa.present && full));
    ctx.insert_value("documents", Value::safe_string(DOCUMENTS_MARK));
    let page = input
        .theme
        .tera
        .render(Kind::Print.row().template, &ctx)
        .map_err(|e| Box::new(super::failure::extra_failure(PATH, &e)))?;
    // A theme's print.html without `{{ documents }}` gets the documents at the end.
    let (head, tail) = page.split_once(DOCUMENTS_MARK).unwrap_or((&page, ""));
    let numbered: Vec<Printed<'_>> = docs_in_order
        .iter()
        .enumerate()
        .map(|(n, &(s, doc))| Printed {
            doc,
            n,
            section: &m.section(s).title,
        })
        .collect();
    let docs = numbered.chunks(PART).map(|chunk| {
        let html: Vec<String> = chunk
            .par_iter()
            .map(|p| article(input, &sh.docs[p.doc], p, &printed, parts))
            .collect();
        html.concat().into_bytes()
    });
    let mut all = std::iter::once(head.as_bytes().to_vec())
        .chain(docs)
        .chain(std::iter::once(tail.as_bytes().to_vec()));
    sink.put_parts(PATH, &mut all)
        .map_err(|e| Box::new(super::failure::io_failure(PATH, &e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_prefixed_per_document() {
        let html = "<h2 id=\"scope\">Scope<a class=\"anchor\" href=\"#scope\">#</a></h2><a href=\"https://x\">x</a><div role=\"region\" aria-label=\"Table 2\"><p>say id=&quot;x&quot;</p>";
        let out = prefix_ids(html, "POL-1");
        assert_eq!(
            out,
            "<h2 id=\"POL-1--scope\">Scope<a class=\"anchor\" href=\"#POL-1--scope\">#</a></h2><a href=\"https://x\">x</a><div role=\"region\" aria-label=\"POL-1 table 2\"><p>say id=&quot;x&quot;</p>"
        );
    }
}
