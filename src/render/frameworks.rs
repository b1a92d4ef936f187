//! The pages of the frameworks enabled beside ISO/IEC 42001 — an index per framework (its
//! entries in catalog order with the documents declaring each) and a page per entry — and
//! what a document page lists of them. Documents an edition withholds are not in its manual,
//! so they are not listed here either.

use serde::Serialize;
use tera::{Context, Value};

use super::framework_views::{via_views, FrameworkLink, ViaView};
use super::page::Page;
use super::shared::Shared;
use super::{urls, Input};
use crate::analyse::{Counts, State};
use crate::config::Disclosure;
use crate::model::framework::EntryRef;
use crate::model::{DocIndex, Manual};

/// The pages of every enabled framework: its index, its Statement of Applicability (ISO/IEC
/// 27001, when `disclosure` shows one), then its entries in catalog order.
pub fn pages(manual: &Manual, disclosure: Disclosure) -> Vec<Page> {
    let mut out = Vec::new();
    for (f, fw) in manual.frameworks.enabled.iter().enumerate() {
        out.push(Page::Framework(f));
        if super::soa27001::has_soa(fw, disclosure) {
            out.push(Page::FrameworkSoa(f));
        }
        out.extend((0..fw.entries.len()).map(|entry| {
            Page::FrameworkEntry(EntryRef {
                framework: f,
                entry,
            })
        }));
    }
    out
}

/// A framework's coverage summary: per state, how many entries have it directly and how
/// many of those no document addresses have it by inference.
#[derive(Serialize)]
struct Summary {
    states: Vec<SummaryRow>,
    /// Entries a document addresses (any state but gap and excluded).
    direct: usize,
    /// Entries the Statement of Applicability excludes.
    excluded: usize,
    /// Entries only a mapping addresses.
    inferred: usize,
    /// Entries nothing addresses.
    neither: usize,
}

/// One state's row of a [`Summary`].
#[derive(Serialize)]
struct SummaryRow {
    state: &'static str,
    direct: usize,
    inferred: usize,
}

/// How many of `c` have state `s`.
pub(super) fn count_of(c: &Counts, s: State) -> usize {
    match s {
        State::Covered => c.covered,
        State::Partial => c.partial,
        State::Overdue => c.overdue,
        State::Draft => c.draft,
        State::Gap => c.gap,
        State::Excluded => c.excluded,
    }
}

/// Every enabled framework as a link (for the home page).
pub(super) fn links(m: &Manual) -> Vec<FrameworkLink<'_>> {
    m.frameworks.enabled.iter().map(FrameworkLink::of).collect()
}

/// One entry as the templates see it.
#[derive(Serialize)]
struct EntryView<'a> {
    id: &'a str,
    title: &'a str,
    summary: Option<&'a str>,
    kind: Option<&'a str>,
    url: String,
    /// How deep below a top-level entry it is (0 for top level).
    depth: usize,
    note: Option<&'a str>,
    documents: Vec<Declarer<'a>>,
    /// Its direct state (empty when the edition discloses no coverage).
    state: &'static str,
    /// What a mapping infers when no document addresses it (empty when nothing, or not
    /// disclosed).
    inferred: &'static str,
    /// The ISO/IEC 42001 entries mapped to it when no document addresses it.
    via: Vec<ViaView>,
}

/// A document declaring an entry, with its note.
#[derive(Serialize)]
struct Declarer<'a> {
    doc: Value,
    note: Option<&'a str>,
}

fn view<'a>(input: &Input<'a>, sh: &Shared, e: EntryRef, note: Option<&'a str>) -> EntryView<'a> {
    let m = input.manual;
    let f = &m.frameworks.enabled[e.framework];
    let entry = &f.entries[e.entry];
    let documents = input
        .resolved
        .framework_declared
        .get(&e)
        .into_iter()
        .flatten()
        .map(|(d, note)| Declarer {
            doc: sh.doc_values[*d].clone(),
            note: note.as_deref(),
        })
        .collect();
    let shown = input.disclosure != Disclosure::None;
    let coverage = input
        .analysis
        .frameworks
        .get(e.framework)
        .and_then(|f| f.entries.get(e.entry))
        .filter(|_| shown);
    let via = coverage.map(|c| via_views(m, c)).unwrap_or_default();
    EntryView {
        state: coverage.map_or("", |c| c.state.as_str()),
        inferred: coverage.and_then(|c| c.inferred).map_or("", |s| s.as_str()),
        via,
        id: &entry.id,
        title: &entry.title,
        summary: entry.summary.as_deref(),
        kind: entry.kind.as_deref(),
        url: f.entry_path(e.entry),
        depth: f.depth(e.entry),
        note,
        documents,
    }
}

/// Fills the context of a framework's index or one of its entries' pages.
pub(super) fn context(input: &Input<'_>, sh: &Shared, page: &Page, ctx: &mut Context) {
    let m = input.manual;
    match page {
        Page::Framework(f) => {
            let fw = &m.frameworks.enabled[*f];
            ctx.insert("title", &fw.name);
            ctx.insert("framework", &FrameworkLink::of(fw));
            let entries: Vec<EntryView<'_>> = (0..fw.entries.len())
                .map(|entry| {
                    let e = EntryRef {
                        framework: *f,
                        entry,
                    };
                    view(input, sh, e, None)
                })
                .collect();
            let declared = entries.iter().filter(|e| !e.documents.is_empty()).count();
            ctx.insert("entries", &entries);
            ctx.insert("declared_count", &declared);
            let summary = input
                .analysis
                .frameworks
                .get(*f)
                .filter(|_| input.disclosure != Disclosure::None)
                .map(|c| Summary {
                    // Excluded and partial come from a Statement of Applicability: shown
                    // when it gives them.
                    states: State::ALL
                        .iter()
                        .filter(|&&s| {
                            !matches!(s, State::Excluded | State::Partial)
                                || count_of(&c.direct, s) > 0
                        })
                        .map(|&s| SummaryRow {
                            state: s.as_str(),
                            direct: count_of(&c.direct, s),
                            inferred: count_of(&c.inferred, s),
                        })
                        .collect(),
                    direct: c.direct.total - c.direct.gap - c.direct.excluded,
                    excluded: c.direct.excluded,
                    inferred: c.inferred.total - c.inferred.gap,
                    neither: c.inferred.gap,
                });
            ctx.insert("summary", &summary);
            ctx.insert(
                "soa_url",
                &super::soa27001::has_soa(fw, input.disclosure).then(|| fw.soa_path()),
            );
            super::framework_pages::index_context(input, *f, &page.path(m), ctx);
        }
        Page::FrameworkEntry(e) => {
            let fw = &m.frameworks.enabled[e.framework];
            let entry = &fw.entries[e.entry];
            ctx.insert(
                "title",
                &format!("{} {} {}", fw.name, entry.id, entry.title),
            );
            ctx.insert("framework", &FrameworkLink::of(fw));
            ctx.insert("entry", &view(input, sh, *e, None));
            ctx.insert("soa", &super::soa27001::entry_decision(input, *e));
            let parent = entry
                .parent
                .as_deref()
                .and_then(|p| fw.index_of(p))
                .map(|i| {
                    let p = EntryRef {
                        framework: e.framework,
                        entry: i,
                    };
                    view(input, sh, p, None)
                });
            ctx.insert("parent", &parent);
            let children: Vec<EntryView<'_>> = fw
                .entries
                .iter()
                .enumerate()
                .filter(|(_, c)| c.parent.as_deref() == Some(entry.id.as_str()))
                .map(|(i, _)| {
                    let c = EntryRef {
                        framework: e.framework,
                        entry: i,
                    };
                    view(input, sh, c, None)
                })
                .collect();
            ctx.insert("children", &children);
            let referenced: Vec<Value> = input
                .resolved
                .framework_backlinks
                .get(e)
                .into_iter()
                .flatten()
                .map(|&d: &DocIndex| sh.doc_values[d].clone())
                .collect();
            ctx.insert_value("referenced_by", Value::from(referenced.as_slice()));
        }
        _ => {}
    }
}

/// What one framework's entries a document declares.
#[derive(Serialize)]
pub(super) struct Addressed<'a> {
    framework: FrameworkLink<'a>,
    entries: Vec<AddressedEntry<'a>>,
}

/// One declared entry on a document page.
#[derive(Serialize)]
struct AddressedEntry<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    note: Option<&'a str>,
}

/// The entries of other frameworks document `d` declares, grouped by framework in the order
/// `aims.toml` enables them.
pub(super) fn addressed<'a>(input: &Input<'a>, d: DocIndex) -> Vec<Addressed<'a>> {
    let m = input.manual;
    let declared = &input.resolved.framework_addressed;
    let Some(list) = declared.get(d) else {
        return Vec::new();
    };
    m.frameworks
        .enabled
        .iter()
        .enumerate()
        .filter_map(|(f, fw)| {
            let entries: Vec<AddressedEntry<'_>> = list
                .iter()
                .filter(|(e, _)| e.framework == f)
                .map(|(e, note)| AddressedEntry {
                    id: &fw.entries[e.entry].id,
                    title: &fw.entries[e.entry].title,
                    url: urls::framework_entry(m, *e),
                    note: note.as_deref(),
                })
                .collect();
            (!entries.is_empty()).then(|| Addressed {
                framework: FrameworkLink::of(fw),
                entries,
            })
        })
        .collect()
}

/// The framework pages whose content can differ between two resolutions of the same manual
/// shape (for `aimsdoc serve`): entries whose declaring or referencing documents changed or
/// include a document whose front matter (`meta`) changed, and the indexes of their
/// frameworks.
pub fn affected(
    manual: &Manual,
    prev: &crate::resolve::Resolved,
    new: &crate::resolve::Resolved,
    meta: &std::collections::BTreeSet<DocIndex>,
) -> Vec<Page> {
    let touches = |r: &crate::resolve::Resolved, e: &EntryRef| {
        r.framework_declared
            .get(e)
            .is_some_and(|v| v.iter().any(|(d, _)| meta.contains(d)))
            || r.framework_backlinks
                .get(e)
                .is_some_and(|v| v.iter().any(|d| meta.contains(d)))
    };
    let mut out = Vec::new();
    for (f, fw) in manual.frameworks.enabled.iter().enumerate() {
        let entries: Vec<Page> = (0..fw.entries.len())
            .map(|entry| EntryRef {
                framework: f,
                entry,
            })
            .filter(|e| {
                prev.framework_declared.get(e) != new.framework_declared.get(e)
                    || prev.framework_backlinks.get(e) != new.framework_backlinks.get(e)
                    || touches(prev, e)
                    || touches(new, e)
            })
            .map(Page::FrameworkEntry)
            .collect();
        if !entries.is_empty() {
            out.push(Page::Framework(f));
            out.extend(super::framework_pages::companions(f));
            out.extend(entries);
        }
    }
    out
}

/// The framework pages whose shown states changed between two analyses of the same manual
/// shape (for `aimsdoc serve`): entries whose direct or inferred coverage changed, and the
/// indexes of their frameworks (which show the summary).
pub fn states_changed(
    prev: &[crate::analyse::crosswalk::FrameworkCoverage],
    new: &[crate::analyse::crosswalk::FrameworkCoverage],
) -> Vec<Page> {
    let mut out = Vec::new();
    for (f, (p, n)) in prev.iter().zip(new).enumerate() {
        let entries: Vec<Page> = p
            .entries
            .iter()
            .zip(&n.entries)
            .enumerate()
            .filter(|(_, (a, b))| a.state != b.state || a.via != b.via || a.inferred != b.inferred)
            .map(|(entry, _)| {
                Page::FrameworkEntry(EntryRef {
                    framework: f,
                    entry,
                })
            })
            .collect();
        if !entries.is_empty() {
            out.push(Page::Framework(f));
            out.extend(super::framework_pages::companions(f));
            out.extend(entries);
        }
    }
    out
}
