//! The client-side search index: `search-index.js`, built from the pages this build renders.
//!
//! # Why this design
//!
//! The index is our own compact format rather than elasticlunr-rs or pagefind:
//!
//! - It must open from `file://`, where browsers refuse `fetch()` of JSON, so it is a `.js`
//!   file that assigns one global (`window.AIMSDOC_SEARCH`), loaded lazily (on the first
//!   focus of the search box) by a `<script>` element.
//! - Ids matter more than prose: an auditor types `A.6.2.4`, `POL-AI-001` or `6.1.2` and the
//!   exact id must rank first. A general-purpose stemmer splits `A.6.2.4` into numbers; our
//!   scorer (in [`query`] and, identically, in `static/search.js`) checks ids first.
//! - Snippets need the text anyway, so an inverted index would store every word twice. We
//!   store each entry once — `[url, kind, id, title, type, status, headings, text]`, with the
//!   body text capped at [`crate::markdown::TEXT_CAP`] — and the browser scans it linearly.
//!   At 10,000 documents that is about 11 MB of text and a scan of a few tens of
//!   milliseconds (see BENCHMARKS.md), with no extra dependency and no build-time cost
//!   beyond serialising strings the Markdown pass already collected.
//!
//! The index is built from the same list of pages ([`super::pages`]) and the same views the
//! pages are rendered from, so a build that leaves a document out (an audience or version
//! build, a duplicate id) leaves it out of the index too.

use std::borrow::Cow;

use rayon::prelude::*;
use serde::Serialize;

use super::page::Kind;
use super::{views::EntryView, Page};
use crate::model::catalog::EntryKind;
use crate::model::Manual;

/// The site path of the index.
pub const INDEX_PATH: &str = "search-index.js";

/// One searchable page. Long fields borrow from the manual: the index costs no copy of
/// the body text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry<'a> {
    /// Site-relative page URL.
    pub url: String,
    /// `document`, `control`, `clause` or `page`.
    pub kind: &'static str,
    /// Document, control or clause id (empty for other pages).
    pub id: Cow<'a, str>,
    /// Title.
    pub title: Cow<'a, str>,
    /// Document type (`policy`, …), or the kind for controls and clauses.
    pub doc_type: &'a str,
    /// Document status (`approved`, …) or coverage state (`covered`, …).
    pub status: &'a str,
    /// Headings, one per line.
    pub headings: String,
    /// Plain text: the document body, or a control's summary and SoA justification and
    /// evidence.
    pub text: Cow<'a, str>,
}

/// The index: every entry, in page order.
#[derive(Debug, Clone, Default)]
pub struct Index<'a> {
    /// Entries.
    pub entries: Vec<Entry<'a>>,
}

/// Entries serialised per part of `search-index.js` (in parallel within a part).
const PART: usize = 512;

/// The fixed pages worth finding by name, with a line of text each (from the page table).
fn fixed_page(manual: &Manual, page: &Page) -> Option<(&'static str, &'static str)> {
    let row = page.kind(manual).row();
    Some((row.title?, row.search?))
}

/// Builds the index of `pages` (the pages this build renders), using the entry views the
/// pages show.
pub fn build<'a>(manual: &'a Manual, entries: &'a [EntryView], pages: &[Page]) -> Index<'a> {
    let entries = pages
        .par_iter()
        .filter_map(|page| entry(manual, entries, page))
        .collect();
    Index { entries }
}

fn entry<'a>(manual: &'a Manual, views: &'a [EntryView], page: &Page) -> Option<Entry<'a>> {
    match page {
        Page::Document(d) => {
            let doc = manual.doc(*d);
            let headings: Vec<&str> = doc.body.headings.iter().map(|h| h.text.as_str()).collect();
            Some(Entry {
                url: page.path(manual),
                kind: "document",
                id: Cow::Borrowed(doc.meta.id.as_str()),
                title: Cow::Borrowed(&doc.meta.title),
                doc_type: doc.meta.doc_type.as_str(),
                status: super::views::status_label(doc.meta.status),
                headings: headings.join("\n"),
                text: Cow::Borrowed(&doc.body.text),
            })
        }
        Page::Entry(e) => {
            let cat = &manual.catalog.entries[*e];
            let view = views.get(*e)?;
            let mut text = view.summary.clone();
            for t in [&view.justification, &view.evidence].into_iter().flatten() {
                text.push(' ');
                text.push_str(t);
            }
            let parent = manual
                .catalog
                .objective_of(cat)
                .map(|o| format!("{} {}", o.id, o.title))
                .unwrap_or_default();
            Some(Entry {
                url: page.path(manual),
                kind: if cat.kind == EntryKind::Control {
                    "control"
                } else {
                    "clause"
                },
                id: Cow::Borrowed(cat.id.as_str()),
                title: Cow::Borrowed(&cat.title),
                doc_type: kind_name(view.kind),
                status: view.state_name(),
                headings: parent,
                text: Cow::Owned(text),
            })
        }
        Page::Framework(f) => {
            let fw = &manual.frameworks.enabled[*f];
            Some(Entry {
                url: page.path(manual),
                kind: "framework",
                id: Cow::Borrowed(fw.id.as_str()),
                title: Cow::Borrowed(&fw.name),
                doc_type: "framework",
                status: "",
                headings: String::new(),
                text: Cow::Borrowed(""),
            })
        }
        Page::FrameworkEntry(e) => {
            let (fw, entry) = manual.frameworks.entry(*e);
            Some(Entry {
                url: page.path(manual),
                kind: "framework",
                id: Cow::Borrowed(entry.id.as_str()),
                title: Cow::Borrowed(&entry.title),
                doc_type: "framework",
                status: "",
                headings: fw.name.clone(),
                text: Cow::Borrowed(entry.summary.as_deref().unwrap_or("")),
            })
        }
        Page::FrameworkSoa(f) => {
            let fw = &manual.frameworks.enabled[*f];
            Some(Entry {
                url: page.path(manual),
                kind: "page",
                id: Cow::Borrowed(""),
                title: Cow::Owned(format!("{} Statement of Applicability", fw.name)),
                doc_type: "page",
                status: "",
                headings: fw.name.clone(),
                text: Cow::Borrowed(
                    "SoA Annex A applicable excluded justification implementation of every control",
                ),
            })
        }
        Page::System(k) => {
            let s = manual.systems.as_ref()?.list.get(*k)?;
            Some(Entry {
                url: page.path(manual),
                kind: "system",
                id: Cow::Borrowed(s.id.as_str()),
                title: Cow::Borrowed(&s.name),
                doc_type: "AI system",
                status: s.risk_class.map_or("", |c| c.as_str()),
                headings: s.owner.clone().unwrap_or_default(),
                text: Cow::Borrowed(s.description.as_deref().unwrap_or("")),
            })
        }
        other => fixed_page(manual, other).map(|(title, text)| Entry {
            url: other.path(manual),
            kind: "page",
            id: Cow::Borrowed(""),
            title: Cow::Borrowed(title),
            doc_type: "page",
            status: "",
            headings: String::new(),
            text: Cow::Borrowed(text),
        }),
    }
}

impl Index<'_> {
    /// The `search-index.js` file, in parts (see [`Index::js_parts`]) joined.
    pub fn to_js(&self) -> Vec<u8> {
        self.js_parts().flatten().collect()
    }

    /// `search-index.js` as consecutive parts:
    /// `window.AIMSDOC_SEARCH = {"v":1,"entries":[[…],…]};`. Each part serialises up to
    /// [`PART`] entries in parallel, so the whole file is never in memory at once.
    pub fn js_parts(&self) -> impl Iterator<Item = Vec<u8>> + '_ {
        let head = b"/* aimsdoc search index: [url, kind, id, title, type, status, headings, text] */\nwindow.AIMSDOC_SEARCH = {\"v\":1,\"entries\":[\n".to_vec();
        let body = self.entries.chunks(PART).enumerate().map(|(k, chunk)| {
            let rows: Vec<Vec<u8>> = chunk
                .par_iter()
                .map(|e| {
                    serde_json::to_vec(&(
                        &e.url,
                        e.kind,
                        &e.id,
                        &e.title,
                        e.doc_type,
                        e.status,
                        &e.headings,
                        &e.text,
                    ))
                    .unwrap_or_else(|_| b"[]".to_vec())
                })
                .collect();
            let mut out = Vec::with_capacity(rows.iter().map(|r| r.len() + 2).sum());
            for (i, r) in rows.iter().enumerate() {
                if k > 0 || i > 0 {
                    out.extend_from_slice(b",\n");
                }
                out.extend_from_slice(r);
            }
            out
        });
        std::iter::once(head)
            .chain(body)
            .chain(std::iter::once(b"\n]};\n".to_vec()))
    }
}

/// Where the search results page is.
pub const PATH: &str = Kind::Search.path();

/// Renders `search.html`, the results page the search form submits to (it explains itself
/// when JavaScript is off).
pub(super) fn render_page(
    input: &super::Input<'_>,
    sh: &super::Shared,
) -> Result<String, tera::Error> {
    let row = Kind::Search.row();
    let mut ctx = super::shared::base_context(sh, PATH, crate::model::SectionIndex::ROOT);
    ctx.insert("title", row.title.unwrap_or_default());
    input.theme.tera.render(row.template, &ctx)
}

/// Lowercases and maps the hyphenated catalog form (`a-6-2-4`) to the dotted one, so both
/// spellings of a control id match.
fn norm_id(s: &str) -> String {
    let lower = s.trim().to_lowercase();
    let dotted = lower.replace('-', ".");
    let catalog_like = dotted
        .split('.')
        .all(|p| !p.is_empty() && (p == "a" || p.chars().all(|c| c.is_ascii_digit())));
    if catalog_like {
        dotted
    } else {
        lower
    }
}

/// Scores one entry against a query; `None` when some term is missing. This is the reference
/// for the scorer in `static/search.js`, which must rank the same way.
pub fn score(e: &Entry, q: &str) -> Option<u32> {
    let q = q.trim().to_lowercase();
    if q.is_empty() {
        return None;
    }
    let id = e.id.to_lowercase();
    let qid = norm_id(&q);
    if !id.is_empty() && (id == q || id == qid) {
        return Some(10_000);
    }
    let title = e.title.to_lowercase();
    let headings = e.headings.to_lowercase();
    let text = e.text.to_lowercase();
    let mut s = 0u32;
    if !id.is_empty() && id.starts_with(&qid) {
        // A prefix of an id: `A.6.2` finds its controls, shortest (closest) first.
        s += 5_000 - (id.len().min(100) as u32) * 10;
    }
    if title.contains(&q) {
        s += 300;
    }
    if headings.contains(&q) {
        s += 120;
    }
    if text.contains(&q) {
        s += 60;
    }
    for term in q.split_whitespace() {
        let mut hit = false;
        if id.contains(term) {
            s += 50;
            hit = true;
        }
        if title.contains(term) {
            s += 40;
            hit = true;
        }
        if headings.contains(term) {
            s += 15;
            hit = true;
        }
        let n = text.matches(term).take(5).count() as u32;
        if n > 0 {
            s += 4 + n;
            hit = true;
        }
        if !hit {
            return None;
        }
    }
    Some(s)
}

/// The entries matching `q`, best first (ties keep page order): what the browser shows.
pub fn query(index: &Index, q: &str) -> Vec<usize> {
    let mut hits: Vec<(u32, usize)> = index
        .entries
        .iter()
        .enumerate()
        .filter_map(|(i, e)| score(e, q).map(|s| (s, i)))
        .collect();
    hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    hits.into_iter().map(|(_, i)| i).collect()
}

#[cfg(test)]
mod tests;

/// The name of a catalog entry's kind, as the index stores it.
fn kind_name(kind: EntryKind) -> &'static str {
    match kind {
        EntryKind::Clause => "clause",
        EntryKind::Objective => "objective",
        EntryKind::Group => "group",
        EntryKind::Control => "control",
    }
}
