//! The render stage: fill each document's reference placeholders, build the views, render
//! every page with Tera in parallel, and produce the machine-readable files.

pub mod data;
pub mod extras;
pub mod matrix;
pub mod nav;
pub mod print;
pub mod search;
pub mod svg;
pub mod theme;
pub mod urls;
pub mod views;

use std::io;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::analyse::Analysis;
use crate::config::Disclosure;
use crate::diagnostics::{code, Diagnostic, Span};
use crate::markdown::{escape_attr, fill_placeholders, Fill, RefTarget};
use crate::model::catalog::EntryKind;
use crate::model::Manual;
use crate::resolve::{Link, Resolved};
pub use crate::sink::Sink;
pub use extras::PageExtras;
pub use theme::Theme;
use views::{doc_views, entry_view, state_counts, DocView, EntryView};

/// What the pages are built from.
pub struct Input<'a> {
    /// The loaded manual.
    pub manual: &'a Manual,
    /// Resolved references.
    pub resolved: &'a Resolved,
    /// The analysis.
    pub analysis: &'a Analysis,
    /// Templates and assets.
    pub theme: &'a Theme,
    /// Where linked files are read from.
    pub source: &'a dyn crate::load::Source,
    /// Who the build is for (shown on every page).
    pub audience: crate::model::frontmatter::Classification,
    /// How much of the coverage analysis is shown.
    pub disclosure: crate::config::Disclosure,
    /// Additions of a versioned build (history, version switcher, changes page).
    pub extras: Option<&'a dyn PageExtras>,
}

/// Every page of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// `index.html`.
    Home,
    /// `coverage.html`.
    Coverage,
    /// `soa.html`.
    Soa,
    /// `register.html`.
    Register,
    /// `required.html`.
    Required,
    /// `controls/index.html`.
    Controls,
    /// `clauses/index.html`.
    Clauses,
    /// A section page.
    Section(usize),
    /// A document page.
    Document(usize),
    /// A control or clause page (index into `Catalog::entries`).
    Entry(usize),
    /// `404.html`.
    NotFound,
    /// `changes.html`: what changed since the previous version.
    Changes,
    /// `versions.html`: every version of the manual (the current manual of a versioned
    /// build only).
    Versions,
}

impl Page {
    /// Output path.
    pub fn path(&self, manual: &Manual) -> String {
        match self {
            Page::Home => "index.html".into(),
            Page::Coverage => "coverage.html".into(),
            Page::Soa => "soa.html".into(),
            Page::Register => "register.html".into(),
            Page::Required => "required.html".into(),
            Page::Controls => "controls/index.html".into(),
            Page::Clauses => "clauses/index.html".into(),
            Page::Section(s) => urls::section(&manual.sections[*s].path),
            Page::Document(d) => urls::document(manual.documents[*d].meta.id.as_str()),
            Page::Entry(e) => {
                urls::catalog(&manual.catalog, manual.catalog.entries[*e].id.as_str())
            }
            Page::NotFound => "404.html".into(),
            Page::Changes => "changes.html".into(),
            Page::Versions => "versions.html".into(),
        }
    }

    fn template(&self, manual: &Manual) -> &'static str {
        match self {
            Page::Home => "index.html",
            Page::Coverage => "coverage.html",
            Page::Soa => "soa.html",
            Page::Register => "register.html",
            Page::Required => "required.html",
            Page::Controls => "controls.html",
            Page::Clauses => "clauses.html",
            Page::Section(_) => "section.html",
            Page::Document(_) => "document.html",
            Page::Entry(e) => match manual.catalog.entries[*e].kind {
                EntryKind::Control => "control.html",
                _ => "clause.html",
            },
            Page::NotFound => "404.html",
            Page::Changes => "changes.html",
            Page::Versions => "versions.html",
        }
    }
}

/// All pages of a manual, in a stable order. Documents with duplicate ids get no page.
pub fn pages(manual: &Manual, resolved: &Resolved, disclosure: Disclosure) -> Vec<Page> {
    let mut p = vec![Page::Home];
    match disclosure {
        Disclosure::Full => p.extend([Page::Coverage, Page::Soa, Page::Required]),
        Disclosure::Counts => p.extend([Page::Coverage, Page::Required]),
        Disclosure::None => {}
    }
    p.extend([
        Page::Register,
        Page::Controls,
        Page::Clauses,
        Page::NotFound,
    ]);
    p.extend((0..manual.sections.len()).map(Page::Section));
    p.extend(
        (0..manual.documents.len())
            .filter(|&d| resolved.by_id.get(manual.documents[d].meta.id.as_str()) == Some(&d))
            .map(Page::Document),
    );
    p.extend(
        manual
            .catalog
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| matches!(e.kind, EntryKind::Control | EntryKind::Clause))
            .map(|(i, _)| Page::Entry(i)),
    );
    p
}

#[derive(Serialize)]
struct SiteView<'a> {
    audience: &'static str,
    disclosure: Disclosure,
    title: &'a str,
    organization: &'a str,
    description: Option<&'a str>,
    generated: String,
    generator: &'static str,
}

#[derive(Serialize)]
struct NavLink {
    title: &'static str,
    url: &'static str,
}

const NAV_LINKS: &[NavLink] = &[
    NavLink {
        title: "Home",
        url: "index.html",
    },
    NavLink {
        title: "Coverage",
        url: "coverage.html",
    },
    NavLink {
        title: "Statement of Applicability",
        url: "soa.html",
    },
    NavLink {
        title: "Document register",
        url: "register.html",
    },
    NavLink {
        title: "Required documents",
        url: "required.html",
    },
    NavLink {
        title: "Annex A controls",
        url: "controls/index.html",
    },
    NavLink {
        title: "Clauses",
        url: "clauses/index.html",
    },
];

/// Values shared by many pages, built once.
struct Shared {
    control_counts: Value,
    clause_counts: Value,
    site: Value,
    nav_links: Value,
    nav: Vec<Value>,
    docs: Vec<DocView>,
    doc_values: Vec<Value>,
    entries: Vec<EntryView>,
    tree: nav::Tree,
    /// The coverage picture (inline SVG) for pages at the site root.
    coverage_picture: Value,
}

fn shared(input: &Input<'_>) -> Shared {
    let m = input.manual;
    let a = input.analysis;
    let tree = nav::Tree::new(m);
    let site = Value::from_serializable(&SiteView {
        audience: input.audience.as_str(),
        disclosure: input.disclosure,
        title: &m.config.title,
        organization: &m.config.organization,
        description: m.config.description.as_deref(),
        generated: a.today.to_string(),
        generator: concat!("aimsdoc ", env!("CARGO_PKG_VERSION")),
    });
    let nav = (0..m.sections.len())
        .into_par_iter()
        .map(|s| Value::from_serializable(&nav::items(m, &tree, s)))
        .collect();
    let docs = doc_views(m, a);
    let doc_values = docs.par_iter().map(Value::from_serializable).collect();
    // The SoA's own text (justification, implementation) often names internal documents:
    // unless the build discloses the full analysis, no view carries it, so no page, search
    // index or print can show it.
    let full = input.disclosure == Disclosure::Full;
    let entries = m
        .catalog
        .entries
        .iter()
        .map(|e| {
            let mut v = entry_view(m, a, e);
            if !full {
                v.justification = None;
                v.implementation = None;
            }
            v
        })
        .collect();
    let leaf = |c: &crate::analyse::Coverage| m.catalog.children(&c.id).next().is_none();
    Shared {
        control_counts: Value::from_serializable(&state_counts(&a.controls, |_| true)),
        clause_counts: Value::from_serializable(&state_counts(&a.clauses, leaf)),
        site,
        nav_links: Value::from_serializable(
            &NAV_LINKS
                .iter()
                .filter(|l| match input.disclosure {
                    Disclosure::Full => true,
                    Disclosure::Counts => l.url != "soa.html",
                    Disclosure::None => {
                        !matches!(l.url, "coverage.html" | "soa.html" | "required.html")
                    }
                })
                .collect::<Vec<_>>(),
        ),
        nav,
        docs,
        doc_values,
        entries,
        tree,
        coverage_picture: Value::safe_string(&svg::controls_picture(m, a, "")),
    }
}

/// The href for one resolved link, from page `from`.
fn link_href(manual: &Manual, from: &str, link: &Link) -> String {
    let with_anchor = |base: String, anchor: &Option<String>| match anchor {
        Some(a) => format!("{base}#{}", urls::encode_fragment(a)),
        None => base,
    };
    match link {
        Link::Doc { doc, anchor } => with_anchor(
            urls::relative(
                from,
                &urls::document(manual.documents[*doc].meta.id.as_str()),
            ),
            anchor,
        ),
        Link::Catalog { id, anchor } => with_anchor(
            urls::relative(from, &urls::catalog(&manual.catalog, id.as_str())),
            anchor,
        ),
        Link::Asset { path, anchor } => {
            with_anchor(urls::relative(from, &urls::asset_href(path)), anchor)
        }
        Link::SelfAnchor(a) => format!("#{}", urls::encode_fragment(a)),
        Link::Broken | Link::Withheld => "#".into(),
    }
}

/// What a reference to a withheld document becomes: neither its title nor its id.
pub const WITHHELD_HTML: &str = "<span class=\"withheld\">internal document</span>";

/// The body of document `d` with every reference filled in, for a page at `from`.
pub fn body_html(manual: &Manual, resolved: &Resolved, d: usize, from: &str) -> String {
    let html = &manual.documents[d].body.html;
    body_html_with(manual, resolved, d, html, |link| {
        link_href(manual, from, link)
    })
}

/// The body of document `d` from its pre-rendered `html` (the Markdown pass's, or a variant
/// of it), with every reference filled in and each link's href given by `href_of`.
pub(crate) fn body_html_with(
    manual: &Manual,
    resolved: &Resolved,
    d: usize,
    html: &str,
    href_of: impl Fn(&Link) -> String,
) -> String {
    let doc = &manual.documents[d];
    let withheld = |k: usize| {
        matches!(resolved.links[d].get(k), Some(Link::Withheld)).then(|| WITHHELD_HTML.to_string())
    };
    fill_placeholders(
        html,
        |k| {
            let (Some(reference), Some(link)) = (doc.body.refs.get(k), resolved.links[d].get(k))
            else {
                return String::new();
            };
            let href = href_of(link);
            match reference.fill {
                Fill::Href => href,
                Fill::Element => match link {
                    Link::Doc { doc: t, .. } => format!(
                        "<a class=\"xref xref-doc\" href=\"{href}\">{}</a>",
                        escape_attr(&manual.documents[*t].meta.title)
                    ),
                    Link::Catalog { id, .. } => {
                        let title = manual
                            .catalog
                            .get(id.as_str())
                            .map_or("", |e| e.title.as_str());
                        format!(
                            "<a class=\"xref xref-catalog\" href=\"{href}\">{} {}</a>",
                            escape_attr(id.as_str()),
                            escape_attr(title)
                        )
                    }
                    Link::Withheld => WITHHELD_HTML.to_string(),
                    _ => {
                        let text = match &reference.target {
                            RefTarget::Wiki { id, .. } => id.clone(),
                            _ => String::new(),
                        };
                        format!("<span class=\"xref-broken\">{}</span>", escape_attr(&text))
                    }
                },
            }
        },
        withheld,
    )
}

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

#[derive(Serialize)]
struct SoaRow<'a> {
    entry: &'a EntryView,
    documents: Value,
}

#[derive(Serialize)]
struct RequiredView<'a> {
    id: &'a str,
    clause: &'a str,
    clause_title: String,
    clause_url: String,
    title: &'a str,
    kind: &'a str,
    note: &'a str,
    state: &'static str,
    documents: Value,
}

fn required_views<'a>(input: &Input<'a>, sh: &'a Shared) -> Vec<RequiredView<'a>> {
    let m = input.manual;
    input
        .analysis
        .required
        .iter()
        .map(|r| {
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
                documents: Value::from(
                    r.documents
                        .iter()
                        .map(|&d| sh.doc_values[d].clone())
                        .collect::<Vec<_>>()
                        .as_slice(),
                ),
            }
        })
        .collect()
}

/// What every page extending `base.html` needs: site, root, page URL, navigation.
fn base_context(sh: &Shared, path: &str, section: usize) -> Context {
    let mut ctx = Context::new();
    ctx.insert_value("site", sh.site.clone());
    ctx.insert_value("nav_links", sh.nav_links.clone());
    ctx.insert("root", &urls::root_prefix(path));
    ctx.insert("page_url", &urls::encode_path(path));
    ctx.insert_value("nav", sh.nav[section].clone());
    // Pages of a versioned build replace it with their version switcher.
    ctx.insert_value("version_bar", Value::safe_string(""));
    ctx
}

fn render_page(input: &Input<'_>, sh: &Shared, page: &Page) -> Result<String, tera::Error> {
    let m = input.manual;
    let a = input.analysis;
    let r = input.resolved;
    let path = page.path(m);
    let section = match page {
        Page::Section(s) => *s,
        Page::Document(d) => m.documents[*d].section,
        _ => 0,
    };
    let mut ctx = base_context(sh, &path, section);
    let docs = &sh.docs;
    let doc_list = |ix: &mut dyn Iterator<Item = usize>| -> Value {
        let v: Vec<Value> = ix.map(|j| sh.doc_values[j].clone()).collect();
        Value::from(v.as_slice())
    };
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
                .filter(|e| e.state == "gap" && (e.kind == "control" || is_leaf_clause(m, &e.id)))
                .collect();
            ctx.insert("gaps", &gaps);
            let sections: Vec<serde_json::Value> = sh.tree.children[0]
                .iter()
                .map(|&s| {
                    serde_json::json!({
                        "title": m.sections[s].title,
                        "url": urls::section_href(&m.sections[s].path),
                        "count": count_docs(&sh.tree, s),
                    })
                })
                .collect();
            ctx.insert("sections", &sections);
        }
        Page::Coverage => {
            ctx.insert("title", "Coverage");
            ctx.insert_value("coverage_picture", sh.coverage_picture.clone());
            ctx.insert_value("control_counts", sh.control_counts.clone());
            ctx.insert_value("clause_counts", sh.clause_counts.clone());
            // The matrices and the list of what needs attention are shown only when the
            // build discloses the full analysis.
            if input.disclosure == Disclosure::Full {
                ctx.insert("control_matrix", &matrix::build(m, a, EntryKind::Control));
                ctx.insert("clause_matrix", &matrix::build(m, a, EntryKind::Clause));
                let attention: Vec<&EntryView> = sh
                    .entries
                    .iter()
                    .filter(|e| {
                        matches!(e.state, "gap" | "draft" | "overdue")
                            && (e.kind == "control" || is_leaf_clause(m, &e.id))
                    })
                    .collect();
                ctx.insert("attention", &attention);
            }
        }
        Page::Soa => {
            ctx.insert("title", "Statement of Applicability");
            let rows: Vec<SoaRow<'_>> = a
                .controls
                .iter()
                .filter_map(|c| {
                    let entry = sh.entries.iter().find(|e| e.id == c.id.as_str())?;
                    Some(SoaRow {
                        entry,
                        documents: doc_list(&mut c.documents.iter().copied()),
                    })
                })
                .collect();
            ctx.insert("rows", &rows);
            ctx.insert("soa_present", &m.soa.present);
            ctx.insert_value("control_counts", sh.control_counts.clone());
        }
        Page::Register => {
            ctx.insert("title", "Document register");
            let mut rows: Vec<usize> = (0..docs.len()).collect();
            rows.sort_by(|&x, &y| docs[x].id.cmp(&docs[y].id));
            ctx.insert_value("documents", doc_list(&mut rows.into_iter()));
        }
        Page::Required => {
            ctx.insert("title", "Required documented information");
            ctx.insert("items", &required_views(input, sh));
        }
        Page::Controls => {
            ctx.insert("title", "Annex A controls");
            ctx.insert(
                "entries",
                &sh.entries
                    .iter()
                    .filter(|e| e.kind != "clause")
                    .collect::<Vec<_>>(),
            );
        }
        Page::Clauses => {
            ctx.insert("title", "Clauses");
            ctx.insert(
                "entries",
                &sh.entries
                    .iter()
                    .filter(|e| e.kind == "clause")
                    .collect::<Vec<_>>(),
            );
        }
        Page::NotFound => {
            ctx.insert("title", "Page not found");
        }
        Page::Changes => {
            ctx.insert("title", "Changes");
        }
        Page::Versions => {
            ctx.insert("title", "Versions");
        }
        Page::Section(s) => {
            let sec = &m.sections[*s];
            ctx.insert("title", &sec.title);
            let subsections: Vec<serde_json::Value> = sh.tree.children[*s]
                .iter()
                .map(|&c| {
                    serde_json::json!({
                        "title": m.sections[c].title,
                        "url": urls::section_href(&m.sections[c].path),
                        "count": count_docs(&sh.tree, c),
                    })
                })
                .collect();
            ctx.insert("subsections", &subsections);
            ctx.insert_value("documents", doc_list(&mut sh.tree.docs[*s].iter().copied()));
            ctx.insert("breadcrumbs", &breadcrumbs(m, *s));
        }
        Page::Document(d) => {
            let doc = &m.documents[*d];
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
                            state: a.coverage(&c.id).map_or("", |c| c.state.as_str()),
                            note: c.note.clone(),
                        }
                    })
                    .collect()
            };
            ctx.insert("controls", &refs(&doc.meta.controls));
            ctx.insert("clauses", &refs(&doc.meta.clauses));
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
                    note: m.documents[d]
                        .meta
                        .controls
                        .iter()
                        .chain(&m.documents[d].meta.clauses)
                        .find(|c| c.id == entry.id)
                        .and_then(|c| c.note.as_deref()),
                })
                .collect();
            ctx.insert("implemented_by", &implementers);
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
        }
    }
    match page {
        Page::Home => ctx.insert("changes_link", &None::<()>),
        Page::Document(_) => {
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

fn is_leaf_clause(m: &Manual, id: &str) -> bool {
    m.catalog
        .get(id)
        .is_some_and(|e| e.kind == EntryKind::Clause && m.catalog.children(&e.id).next().is_none())
}

fn count_docs(tree: &nav::Tree, s: usize) -> usize {
    tree.docs[s].len()
        + tree.children[s]
            .iter()
            .map(|&c| count_docs(tree, c))
            .sum::<usize>()
}

fn breadcrumbs(m: &Manual, mut s: usize) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    while let Some(p) = m.sections[s].parent {
        out.push(serde_json::json!({"title": m.sections[s].title, "url": urls::section_href(&m.sections[s].path)}));
        s = p;
    }
    out.reverse();
    out
}

/// Renders the whole site into `sink`. Returns the number of pages, or the template errors.
pub fn render(input: &Input<'_>, sink: &dyn Sink) -> Result<usize, Vec<Diagnostic>> {
    render_selected(input, sink, &|_| true)
}

/// [`render`], but only the pages for which `keep` is true (every data file and asset is
/// still written). `aimsdoc serve` uses it to re-render just the pages an edit can change.
pub fn render_selected(
    input: &Input<'_>,
    sink: &dyn Sink,
    keep: &(dyn Fn(&Page) -> bool + Sync),
) -> Result<usize, Vec<Diagnostic>> {
    let mut t = std::time::Instant::now();
    let sh = shared(input);
    crate::util::stage_timer("shared", &mut t);
    // The search index and the print page cover every page of the build, even when only some
    // pages are re-rendered.
    let mut all_pages = pages(input.manual, input.resolved, input.disclosure);
    if input.extras.is_some_and(|x| x.has_changes()) {
        all_pages.push(Page::Changes);
    }
    if input.extras.is_some_and(|x| x.has_versions_page()) {
        all_pages.push(Page::Versions);
    }
    let selected: Vec<&Page> = all_pages.iter().filter(|p| keep(p)).collect();
    // The pages, and the search index with the print page, are independent: build them side
    // by side, so one's file writes overlap the other's work.
    let render_pages = || -> Vec<Diagnostic> {
        selected
            .par_iter()
            .filter_map(|p| {
                let path = p.path(input.manual);
                let result =
                    render_page(input, &sh, p).map_err(|e| template_failure(p, input.manual, &e));
                match result {
                    Ok(html) => sink
                        .put(&path, html.as_bytes())
                        .err()
                        .map(|e| io_failure(&path, &e)),
                    Err(d) => Some(d),
                }
            })
            .collect()
    };
    let whole_site = || -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        // Search index, search page and printable manual: built from every page of the build.
        let index = search::build(input.manual, &sh.entries, &all_pages);
        if let Err(e) = sink.put_parts(search::INDEX_PATH, &mut index.js_parts()) {
            errors.push(io_failure(search::INDEX_PATH, &e));
        }
        drop(index);
        match search::render_page(input, &sh) {
            Ok(html) => {
                if let Err(e) = sink.put("search.html", html.as_bytes()) {
                    errors.push(io_failure("search.html", &e));
                }
            }
            Err(e) => errors.push(extra_failure("search.html", &e)),
        }
        if let Err(e) = print::write(input, &sh, &all_pages, sink) {
            errors.push(*e);
        }
        errors
    };
    let (mut errors, more) = rayon::join(render_pages, whole_site);
    errors.extend(more);
    crate::util::stage_timer("pages, search and print", &mut t);
    for (path, bytes) in &input.theme.assets {
        if let Err(e) = sink.put(path, bytes) {
            errors.push(io_failure(path, &e));
        }
    }
    for asset in &input.resolved.linked_assets {
        let out = urls::asset(asset);
        match input.source.read(asset) {
            Ok(bytes) => {
                if let Err(e) = sink.put(&out, &bytes) {
                    errors.push(io_failure(&out, &e));
                }
            }
            Err(e) => errors.push(Diagnostic::error(
                code::IO_ERROR,
                Span::file(asset),
                format!("cannot read {}: {e}", asset.display()),
            )),
        }
    }
    for (path, bytes) in data::files(input.manual, input.analysis, &sh.docs, input.disclosure) {
        if let Err(e) = sink.put(&path, &bytes) {
            errors.push(io_failure(&path, &e));
        }
    }
    if errors.is_empty() {
        Ok(selected.len() + 2)
    } else {
        errors.sort_by(|a, b| a.message.cmp(&b.message));
        errors.dedup_by(|a, b| a.message == b.message);
        Err(errors)
    }
}

fn template_failure(page: &Page, m: &Manual, e: &tera::Error) -> Diagnostic {
    Diagnostic::error(
        code::TEMPLATE,
        Span::file(format!("templates/{}", page.template(m))),
        format!(
            "rendering {} failed: {}",
            page.path(m),
            theme::error_chain(e)
        ),
    )
}

fn extra_failure(path: &str, e: &tera::Error) -> Diagnostic {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    Diagnostic::error(
        code::TEMPLATE,
        Span::file(format!("templates/{path}")),
        format!("rendering {path} failed: {}", msg.trim()),
    )
}

fn io_failure(path: &str, e: &io::Error) -> Diagnostic {
    Diagnostic::error(
        code::IO_ERROR,
        Span::file(path),
        format!("cannot write {path}: {e}"),
    )
}
