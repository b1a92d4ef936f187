//! The sidebar navigation. It is built once per section (not per page) and stays small for
//! very large manuals: only the path to the current section is expanded, and long lists are
//! cut with a link to the section page.

use serde::Serialize;

use super::urls;
use crate::model::{DocIndex, Manual, PerSection, SectionIndex};

/// Sections with more children than this show only the one on the current path.
const MAX_CHILD_SECTIONS: usize = 40;
/// Sections with more documents than this list them only on their section page.
const MAX_SECTION_DOCS: usize = 60;

/// One line of the sidebar.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    /// Text.
    pub title: String,
    /// Site path.
    pub url: String,
    /// Nesting depth (0 = top).
    pub depth: usize,
    /// `section`, `doc` or `more`.
    pub kind: &'static str,
    /// On the path to the current page.
    pub open: bool,
}

/// Documents and child sections of every section, in display order.
pub struct Tree {
    /// Per section: its child sections, sorted.
    pub children: PerSection<Vec<SectionIndex>>,
    /// Per section: its documents, sorted.
    pub docs: PerSection<Vec<DocIndex>>,
}

impl Tree {
    /// Builds the tree of a manual.
    pub fn new(manual: &Manual) -> Tree {
        let n = manual.sections.len();
        let mut children: PerSection<Vec<SectionIndex>> = PerSection::filled(n, Vec::new());
        let mut docs: PerSection<Vec<DocIndex>> = PerSection::filled(n, Vec::new());
        for s in manual.section_indices() {
            if let Some(p) = manual.section(s).parent {
                children[p].push(s);
            }
        }
        for (i, d) in manual.docs() {
            docs[d.section].push(i);
        }
        for c in children.iter_mut() {
            c.sort_by(|&a, &b| {
                let (x, y) = (manual.section(a), manual.section(b));
                (x.order.is_none(), x.order, &x.title, &x.path).cmp(&(
                    y.order.is_none(),
                    y.order,
                    &y.title,
                    &y.path,
                ))
            });
        }
        for d in docs.iter_mut() {
            d.sort_by(|&a, &b| {
                let (x, y) = (&manual.doc(a).meta, &manual.doc(b).meta);
                (x.order.is_none(), x.order, &x.title, &x.id).cmp(&(
                    y.order.is_none(),
                    y.order,
                    &y.title,
                    &y.id,
                ))
            });
        }
        Tree { children, docs }
    }
}

fn chain(manual: &Manual, mut s: SectionIndex) -> Vec<SectionIndex> {
    let mut out = vec![s];
    while let Some(p) = manual.section(s).parent {
        out.push(p);
        s = p;
    }
    out
}

/// The sidebar for pages in section `current`.
pub fn items(manual: &Manual, tree: &Tree, current: SectionIndex) -> Vec<NavItem> {
    let chain = chain(manual, current);
    let mut out = Vec::new();
    expand(
        manual,
        tree,
        SectionIndex::ROOT,
        0,
        &chain,
        current,
        &mut out,
    );
    out
}

fn push_docs(manual: &Manual, tree: &Tree, s: SectionIndex, depth: usize, out: &mut Vec<NavItem>) {
    let docs = &tree.docs[s];
    if docs.len() > MAX_SECTION_DOCS {
        out.push(NavItem {
            title: format!("{} documents", docs.len()),
            url: urls::section_href(&manual.section(s).path),
            depth,
            kind: "more",
            open: false,
        });
        return;
    }
    for &d in docs {
        let m = &manual.doc(d).meta;
        out.push(NavItem {
            title: m.title.clone(),
            url: urls::document(m.id.as_str()),
            depth,
            kind: "doc",
            open: false,
        });
    }
}

fn expand(
    manual: &Manual,
    tree: &Tree,
    s: SectionIndex,
    depth: usize,
    chain: &[SectionIndex],
    current: SectionIndex,
    out: &mut Vec<NavItem>,
) {
    let kids = &tree.children[s];
    let many = kids.len() > MAX_CHILD_SECTIONS;
    for &k in kids {
        let open = chain.contains(&k);
        if many && !open {
            continue;
        }
        out.push(NavItem {
            title: manual.section(k).title.clone(),
            url: urls::section_href(&manual.section(k).path),
            depth,
            kind: "section",
            open,
        });
        if open {
            expand(manual, tree, k, depth + 1, chain, current, out);
        }
    }
    if many {
        out.push(NavItem {
            title: format!("all {} sections", kids.len()),
            url: urls::section_href(&manual.section(s).path),
            depth,
            kind: "more",
            open: false,
        });
    }
    if s == current || s == SectionIndex::ROOT {
        push_docs(manual, tree, s, depth, out);
    }
}
