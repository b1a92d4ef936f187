//! The render plan: which pages a compiled manual's edition has, and rendering them — with
//! the search index, the print page, the theme's assets, linked files and data files — into a
//! sink.

use rayon::prelude::*;

use super::context::render_page;
use super::failure::{extra_failure, io_failure, template_failure};
use super::page::{self, Page};
use super::shared::shared;
use super::{data, print, search, urls, Input, Sink};
use crate::config::Disclosure;
use crate::diagnostics::{code, Diagnostic, Span};
use crate::model::catalog::EntryKind;
use crate::model::Manual;
use crate::resolve::Resolved;

/// All pages of a manual, in a stable order. Documents with duplicate ids get no page.
pub fn pages(manual: &Manual, resolved: &Resolved, disclosure: Disclosure) -> Vec<Page> {
    let mut p: Vec<Page> = page::fixed(disclosure).collect();
    p.extend(manual.section_indices().map(Page::Section));
    p.extend(
        manual
            .docs()
            .filter(|&(d, doc)| resolved.by_id.get(&doc.meta.id) == Some(&d))
            .map(|(d, _)| Page::Document(d)),
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
    p.extend(super::frameworks::pages(manual, disclosure));
    p.extend(super::framework_pages::pages(manual, disclosure));
    p.extend(super::systems::pages(manual));
    p
}

/// The pages of a render: the manual's, then those its extension adds.
pub fn plan(input: &Input<'_>) -> Vec<Page> {
    let mut all = pages(input.manual, input.resolved, input.disclosure);
    if let Some(x) = input.extras {
        all.extend(x.pages());
    }
    all
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
    let all_pages = plan(input);
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
                if let Err(e) = sink.put(search::PATH, html.as_bytes()) {
                    errors.push(io_failure(search::PATH, &e));
                }
            }
            Err(e) => errors.push(extra_failure(search::PATH, &e)),
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
    for (path, bytes) in data::files(
        input.manual,
        input.analysis,
        input.unpublished,
        input.resolved,
        &sh.docs,
        input.disclosure,
    ) {
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
