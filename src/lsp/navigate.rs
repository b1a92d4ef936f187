//! Go to definition and find references. A document id (in `[[…]]`, `related`,
//! `supersedes`) leads to its file, at the heading an anchor names; a relative Markdown link
//! to the file it names; a control id to its line in `soa.yaml`; an AI system id to its
//! `- id:` line in `systems.yaml`. The references of a document, control or system are every
//! place that cites it: front matter (`related`, `supersedes`, `controls`, `clauses`,
//! `systems`), bodies (as the resolve stage resolved them) and the justifications and
//! evidence of `soa.yaml`.

use std::ops::Range;
use std::path::Path;

use lsp_types::Location;

use super::context::At;
use super::lookup::{at_cursor, Target};
use super::position::Lines;
use super::symbols::headings;
use super::worker::Snapshot;
use crate::load::{FsSource, Source as _};
use crate::model::soa::SOA_FILE;
use crate::model::system::SYSTEMS_FILE;
use crate::model::{CatalogId, DocIndex};
use crate::pipeline::Compilation;
use crate::resolve::{join_relative, Link};

fn location(
    snap: &Snapshot,
    rel: &Path,
    text: Option<&str>,
    bytes: Range<usize>,
) -> Option<Location> {
    let uri = snap.root.uri(rel)?;
    let range = match text {
        Some(t) => Lines::new(t).range(bytes),
        None => lsp_types::Range::default(),
    };
    Some(Location::new(uri, range))
}

/// The place of document `d`, at the heading `anchor` when there is one.
fn doc_location(
    snap: &Snapshot,
    c: &Compilation,
    d: DocIndex,
    anchor: Option<&str>,
) -> Option<Location> {
    let path = &c.manual.doc(d).path;
    let text = snap.text(path);
    let at = anchor
        .zip(text)
        .and_then(|(a, t)| headings(t).into_iter().find(|(h, _)| h.anchor == a))
        .map_or(0..0, |(_, r)| r.start..r.start);
    location(snap, path, text, at)
}

/// The line of a control's decision in `soa.yaml`.
fn soa_location(snap: &Snapshot, id: &CatalogId) -> Option<Location> {
    let text = snap.text(Path::new(SOA_FILE))?;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let lead = line.len() - line.trim_start().len();
        let quote = usize::from(line[lead..].starts_with(['"', '\'']));
        let key = &line[lead + quote..];
        if key.starts_with(id.as_str()) && key[id.as_str().len()..].starts_with([':', '"', '\'']) {
            let start = offset + lead + quote;
            let end = start + id.as_str().len();
            return location(snap, Path::new(SOA_FILE), Some(text), start..end);
        }
        offset += line.len();
    }
    None
}

/// The `id` of system `k` in `systems.yaml`.
fn system_location(snap: &Snapshot, c: &Compilation, k: usize) -> Option<Location> {
    let sys = c.manual.systems.as_ref()?.list.get(k)?;
    let path = Path::new(SYSTEMS_FILE);
    location(snap, path, snap.text(path), sys.span.range.clone())
}

/// Where the thing at the cursor of `text` (the document at `rel`) is defined.
pub(super) fn definition(snap: &Snapshot, rel: &Path, text: &str, at: &At) -> Option<Location> {
    let c = snap.compilation.as_ref()?;
    if let At::Link { dest } = at {
        let dest = text.get(dest.clone())?;
        let (path, anchor) = match dest.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (dest, None),
        };
        let path = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .ok()?;
        if path.is_empty() || path.contains(':') || path.starts_with('/') {
            return None;
        }
        let target = join_relative(rel.parent().unwrap_or(Path::new("")), &path)?;
        return match c.manual.documents.iter().position(|d| d.path == target) {
            Some(i) => doc_location(snap, c, DocIndex::new(i), anchor),
            None if c.manual.assets.contains(&target) => location(snap, &target, None, 0..0),
            None => None,
        };
    }
    let (_, t) = at_cursor(c, text, at)?;
    match t {
        Target::Doc(d) => {
            let anchor = match at {
                At::Wiki {
                    anchor: Some(a), ..
                } => text.get(a.clone()),
                _ => None,
            };
            doc_location(snap, c, d, anchor)
        }
        Target::Catalog(e) => soa_location(snap, &e.id),
        Target::Framework(r) => {
            let (f, e) = c.manual.frameworks.entry(r);
            let file = f.file.as_ref()?;
            let bytes = FsSource::new(&snap.root.path).read(file).ok()?;
            let text = String::from_utf8_lossy(&bytes);
            let needle = format!("id: {}", e.id);
            let at = text.find(&needle).map_or(0, |i| i + 4);
            let range = Lines::new(&text).range(at..at + e.id.len());
            Some(Location::new(snap.root.uri(file)?, range))
        }
        Target::System(k) => system_location(snap, c, k),
    }
}

/// Every place that cites the document or control at the cursor (with `declaration`, also
/// where it is declared: the document's `id`, the control's line in `soa.yaml`).
pub(super) fn references(snap: &Snapshot, text: &str, at: &At, declaration: bool) -> Vec<Location> {
    let Some(c) = snap.compilation.as_ref() else {
        return Vec::new();
    };
    let Some((_, target)) = at_cursor(c, text, at) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut push = |rel: &Path, bytes: Range<usize>| {
        if let Some(l) = location(snap, rel, snap.text(rel), bytes) {
            out.push(l);
        }
    };
    let is_target = |link: &Link| match (link, target) {
        (Link::Doc { doc, .. }, Target::Doc(d)) => *doc == d,
        (Link::Catalog { id, .. }, Target::Catalog(e)) => *id == e.id,
        (Link::Framework(r), Target::Framework(t)) => *r == t,
        (Link::System(k), Target::System(t)) => *k == t,
        _ => false,
    };
    for (i, d) in c.manual.docs() {
        let m = &d.meta;
        match target {
            Target::Doc(t) => {
                let id = c.manual.doc(t).meta.id.as_str();
                if declaration && i == t {
                    push(&d.path, m.id_span.range.clone());
                }
                for r in m.related.iter().chain(m.supersedes.as_ref()) {
                    if r.id == id {
                        push(&d.path, r.span.range.clone());
                    }
                }
            }
            Target::Catalog(e) => {
                for r in m.controls.iter().chain(&m.clauses) {
                    if r.id == e.id {
                        push(&d.path, r.span.range.clone());
                    }
                }
            }
            Target::Framework(t) => {
                let (f, e) = c.manual.frameworks.entry(t);
                for r in &m.frameworks {
                    if r.framework == f.id && r.id == e.id {
                        push(&d.path, r.span.range.clone());
                    }
                }
            }
            Target::System(k) => {
                let named = c.resolved.systems.named.get(i);
                if named.is_some_and(|n| n.contains(&k)) {
                    let inventory = c.manual.systems.as_ref();
                    for r in &m.systems {
                        if inventory.and_then(|s| s.index_of(&r.id)) == Some(k) {
                            push(&d.path, r.span.range.clone());
                        }
                    }
                }
            }
        }
        if let Some(links) = c.resolved.links.get(i) {
            for (r, link) in d.body.refs.iter().zip(links) {
                if is_target(link) {
                    push(
                        &d.path,
                        d.body_offset + r.range.start..d.body_offset + r.range.end,
                    );
                }
            }
        }
    }
    for (r, link) in c.manual.soa.refs.iter().zip(&c.resolved.soa_links) {
        if is_target(link) {
            push(Path::new(SOA_FILE), r.span.range.clone());
        }
    }
    if declaration {
        match target {
            Target::Catalog(e) => out.extend(soa_location(snap, &e.id)),
            Target::System(k) => out.extend(system_location(snap, c, k)),
            _ => {}
        }
    }
    out
}
