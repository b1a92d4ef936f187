//! Headings as symbols: a document's outline (its headings, nested by level) and the
//! documents of the AIMS by id and title for the editor's workspace symbol search. A
//! heading's anchor is the one the manual gives it (the one Markdown pass); its place in the
//! file comes from a parse of the same body with the same options.

use std::ops::Range;

use lsp_types::{DocumentSymbol, Location, SymbolInformation, SymbolKind};
use pulldown_cmark::{Event, Parser, Tag};

use super::position::Lines;
use super::worker::Snapshot;
use crate::load::frontmatter::{split, SplitResult};
use crate::markdown::{self, Heading};

/// The headings of a document's text with their byte ranges in it.
pub(super) fn headings(text: &str) -> Vec<(Heading, Range<usize>)> {
    let (body, offset) = match split(text) {
        SplitResult::Found(s) => (s.body, s.body_offset),
        _ => return Vec::new(),
    };
    let rendered = markdown::render(body);
    let ranges = Parser::new_ext(body, markdown::options())
        .into_offset_iter()
        .filter_map(|(e, r)| matches!(e, Event::Start(Tag::Heading { .. })).then_some(r));
    rendered
        .headings
        .into_iter()
        .zip(ranges)
        .map(|(h, r)| (h, offset + r.start..offset + r.end))
        .collect()
}

/// The outline of a document: headings nested by level.
pub(super) fn document_symbols(text: &str) -> Vec<DocumentSymbol> {
    let lines = Lines::new(text);
    let mut roots: Vec<DocumentSymbol> = Vec::new();
    // The open headings: level, and the path of child indices to reach it.
    let mut stack: Vec<(u8, Vec<usize>)> = Vec::new();
    for (h, r) in headings(text) {
        let range = lines.range(r.start..r.end.saturating_sub(1).max(r.start));
        #[allow(deprecated)]
        let symbol = DocumentSymbol {
            name: if h.text.is_empty() {
                h.anchor.clone()
            } else {
                h.text.clone()
            },
            detail: Some(format!("#{}", h.anchor)),
            kind: SymbolKind::STRING,
            tags: None,
            deprecated: None,
            range,
            selection_range: range,
            children: None,
        };
        while stack.last().is_some_and(|(l, _)| *l >= h.level) {
            stack.pop();
        }
        let path = match stack.last() {
            None => {
                roots.push(symbol);
                vec![roots.len() - 1]
            }
            Some((_, parent)) => {
                let mut node = &mut roots[parent[0]];
                for &i in &parent[1..] {
                    node = &mut node.children.get_or_insert_with(Vec::new)[i];
                }
                let children = node.children.get_or_insert_with(Vec::new);
                children.push(symbol);
                let mut p = parent.clone();
                p.push(children.len() - 1);
                p
            }
        };
        stack.push((h.level, path));
    }
    roots
}

/// Documents whose id or title contains `query` (ignoring case), at most `limit`.
pub(super) fn workspace_symbols(
    snap: &Snapshot,
    query: &str,
    limit: usize,
) -> Vec<SymbolInformation> {
    let Some(c) = &snap.compilation else {
        return Vec::new();
    };
    let q = query.to_lowercase();
    c.manual
        .documents
        .iter()
        .filter(|d| {
            q.is_empty()
                || d.meta.id.as_str().to_lowercase().contains(&q)
                || d.meta.title.to_lowercase().contains(&q)
        })
        .filter_map(|d| {
            let uri = snap.root.uri(&d.path)?;
            #[allow(deprecated)]
            Some(SymbolInformation {
                name: format!("{} {}", d.meta.id, d.meta.title),
                kind: SymbolKind::FILE,
                tags: None,
                deprecated: None,
                location: Location::new(uri, lsp_types::Range::default()),
                container_name: Some(d.meta.doc_type.as_str().to_string()),
            })
        })
        .take(limit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_nest_by_level_with_their_lines() {
        let text = "---\nid: X\ntitle: T\n---\n# Über\n\n## A {#a}\n\ntext\n\n### A1\n\n## B\n\n```\n# not a heading\n```\n";
        let hs = headings(text);
        let anchors: Vec<&str> = hs.iter().map(|(h, _)| h.anchor.as_str()).collect();
        assert_eq!(anchors, ["über", "a", "a1", "b"]);
        let syms = document_symbols(text);
        assert_eq!(syms.len(), 1);
        assert_eq!(syms[0].name, "Über");
        assert_eq!(syms[0].range.start.line, 4);
        let kids = syms[0].children.as_ref().unwrap();
        assert_eq!(kids.len(), 2);
        assert_eq!(kids[0].children.as_ref().unwrap()[0].name, "A1");
        assert_eq!(kids[1].range.start.line, 12);
    }
}
