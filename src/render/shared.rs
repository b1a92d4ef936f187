//! Values shared by many pages of one render, built once: the site, the navigation, every
//! document's and catalog entry's view, the coverage counts and picture.

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use super::soa::entry_views;
use super::views::{doc_views, state_counts, DocView, EntryView};
use super::{nav, page, svg, urls, Input};
use crate::config::Disclosure;
use crate::model::{PerDoc, PerSection, SectionIndex};

#[derive(Serialize)]
struct SiteView<'a> {
    /// `complete`, `public` or `internal`.
    audience: &'static str,
    /// "complete edition", …
    edition: String,
    /// What the edition holds ("includes confidential documents", …).
    holds: &'static str,
    disclosure: Disclosure,
    title: &'a str,
    organization: &'a str,
    description: Option<&'a str>,
    generated: String,
    generator: &'static str,
}

/// Values shared by many pages, built once.
pub(crate) struct Shared {
    pub(crate) control_counts: Value,
    pub(crate) clause_counts: Value,
    pub(crate) site: Value,
    pub(crate) nav_links: Value,
    pub(crate) nav: PerSection<Value>,
    pub(crate) docs: PerDoc<DocView>,
    pub(crate) doc_values: PerDoc<Value>,
    pub(crate) entries: Vec<EntryView>,
    pub(crate) tree: nav::Tree,
    /// The coverage picture (inline SVG) for pages at the site root.
    pub(crate) coverage_picture: Value,
}

pub(crate) fn shared(input: &Input<'_>) -> Shared {
    let m = input.manual;
    let a = input.analysis;
    let tree = nav::Tree::new(m);
    let site = Value::from_serializable(&SiteView {
        audience: input.edition.name(),
        edition: input.edition.label(),
        holds: input.edition.holds_note(),
        disclosure: input.disclosure,
        title: &m.config.title,
        organization: &m.config.organization,
        description: m.config.description.as_deref(),
        generated: a.today.to_string(),
        generator: concat!("aimsdoc ", env!("CARGO_PKG_VERSION")),
    });
    let nav = (0..m.sections.len())
        .into_par_iter()
        .map(|s| Value::from_serializable(&nav::items(m, &tree, SectionIndex::new(s))))
        .collect::<Vec<_>>()
        .into();
    let docs = doc_views(m, a);
    let doc_values = docs
        .as_slice()
        .par_iter()
        .map(Value::from_serializable)
        .collect::<Vec<_>>()
        .into();
    // The SoA's own text (justification, implementation) often names internal documents:
    // unless the build discloses the full analysis, no view carries it (`entry_views`), so no
    // page, search index or print can show it. Without any disclosure no view carries a
    // coverage state either.
    let full = input.disclosure == Disclosure::Full;
    let none = input.disclosure == Disclosure::None;
    let mut entries = entry_views(m, a, input.resolved, input.disclosure);
    for (v, e) in entries.iter_mut().zip(&m.catalog.entries) {
        if none {
            v.state = None;
        } else {
            v.unpublished = input.unpublished.of(&e.id);
        }
    }
    let leaf = |c: &crate::analyse::Coverage| m.catalog.children(&c.id).next().is_none();
    let counts = |items: &[crate::analyse::Coverage],
                  only: &dyn Fn(&crate::analyse::Coverage) -> bool| {
        if none {
            Value::from(Vec::<Value>::new().as_slice())
        } else {
            Value::from_serializable(&state_counts(items, only))
        }
    };
    Shared {
        control_counts: counts(&a.controls, &|_| true),
        clause_counts: counts(&a.clauses, &leaf),
        site,
        nav_links: Value::from_serializable(&page::nav_links_with(
            input.disclosure,
            m.systems.is_some(),
        )),
        nav,
        docs,
        doc_values,
        entries,
        tree,
        coverage_picture: Value::safe_string(&if none {
            String::new()
        } else {
            svg::controls_picture(m, a, "", full)
        }),
    }
}

/// What every page extending `base.html` needs: site, root, page URL, navigation.
pub(crate) fn base_context(sh: &Shared, path: &str, section: SectionIndex) -> Context {
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
