//! The resolve stage: index documents by id and path, resolve every reference in front matter,
//! bodies and the SoA's justifications and evidence (`wiki`: one `[[ID]]` wherever it is
//! written), and compute backlinks. Every broken reference becomes a diagnostic at the
//! exact position of the link; nothing stops at the first one.

mod frameworks;
pub mod systems;
mod wiki;

use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{code, did_you_mean, Diagnostic, LineIndex, Span};
use crate::markdown::RefTarget;
use crate::model::framework::EntryRef;
use crate::model::{CatalogId, DocId, DocIndex, DocKey, Manual, PerDoc};

/// How many distinct unknown ids of one build get a "did you mean" (each suggestion compares
/// the id with every document id, so 10,000 broken references in a manual of 10,000 documents
/// took a minute).
pub const MAX_SUGGESTED: usize = 100;

/// Anchors that every clause and control page has.
pub const CATALOG_PAGE_ANCHORS: &[&str] = &["summary", "soa", "implemented-by", "referenced-by"];

/// What one body reference resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// A document, optionally at a heading.
    Doc {
        /// Target document.
        doc: DocIndex,
        /// Heading anchor.
        anchor: Option<String>,
    },
    /// A clause, objective, group or control page.
    Catalog {
        /// Canonical id.
        id: CatalogId,
        /// Anchor on the page.
        anchor: Option<String>,
    },
    /// A non-document file of the AIMS, copied to the output.
    Asset {
        /// Path relative to the root.
        path: PathBuf,
        /// Anchor, passed through.
        anchor: Option<String>,
    },
    /// A heading of the same document.
    SelfAnchor(String),
    /// A document left out of this audience's build: shown as plain text, without its title
    /// or id.
    Withheld,
    /// An entry of another enabled framework (`[[iso27001:A.5.1]]`).
    Framework(EntryRef),
    /// An AI system of `systems.yaml` (its index in the inventory).
    System(usize),
    /// Could not be resolved (a diagnostic was reported).
    Broken,
}

/// The manual with every reference resolved.
#[derive(Debug, Default)]
pub struct Resolved {
    /// Document by id, exactly as written (references name ids exactly; look up with the
    /// `&str` of a reference). Ids are unique ignoring case ([`DocKey`]): of documents whose
    /// ids differ only in case, only the first (by path) is here.
    pub by_id: HashMap<DocId, DocIndex>,
    /// Per document, per body reference: what it points at.
    pub links: PerDoc<Vec<Link>>,
    /// Per document: the related documents that exist.
    pub related: PerDoc<Vec<DocIndex>>,
    /// Per document: the document it supersedes, if it exists.
    pub supersedes: PerDoc<Option<DocIndex>>,
    /// Per document: documents that supersede it.
    pub superseded_by: PerDoc<Vec<DocIndex>>,
    /// Per document: documents that reference it (body links and `related`).
    pub doc_backlinks: PerDoc<BTreeSet<DocIndex>>,
    /// Per catalog id: documents whose body references it.
    pub catalog_backlinks: BTreeMap<CatalogId, BTreeSet<DocIndex>>,
    /// Per catalog id: documents that declare it in front matter (any status).
    pub implemented_by: BTreeMap<CatalogId, Vec<DocIndex>>,
    /// Non-document files that some document links to (to copy into the output).
    pub linked_assets: BTreeSet<PathBuf>,
    /// What each reference in the SoA's justifications and evidence points at, in the order
    /// of `Soa::refs`.
    pub soa_links: Vec<Link>,
    /// Per document: the entries of other frameworks it declares, with their notes.
    pub framework_addressed: PerDoc<Vec<(EntryRef, Option<String>)>>,
    /// Per entry of another framework: the documents that declare it, with their notes.
    pub framework_declared: BTreeMap<EntryRef, Vec<(DocIndex, Option<String>)>>,
    /// Per entry of another framework: documents whose body references it.
    pub framework_backlinks: BTreeMap<EntryRef, BTreeSet<DocIndex>>,
    /// The AI systems documents name and reference.
    pub systems: systems::SystemLinks,
}

/// Normalises `base_dir/rel` lexically; `None` if it escapes the root. (A path that stays
/// below the root but passes a symbolic link leading outside is caught against
/// [`Manual::outside`](crate::model::Manual::outside).)
pub fn join_relative(base_dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut out: Vec<String> = base_dir
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    for part in rel.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            p => out.push(p.to_string()),
        }
    }
    Some(out.iter().collect())
}

/// Documents that exist but are left out of an audience build, by id and by path.
#[derive(Debug, Default, Clone)]
pub struct Withheld {
    /// Their ids.
    pub ids: std::collections::HashSet<String>,
    /// Their paths relative to the root.
    pub paths: std::collections::HashSet<PathBuf>,
}

/// Resolves `manual`. `text_of` reads a file's text again, used only to place diagnostics of
/// broken body references.
pub fn resolve(
    manual: &Manual,
    text_of: &dyn Fn(&Path) -> Option<String>,
    diags: &mut Vec<Diagnostic>,
) -> Resolved {
    resolve_with(manual, &Withheld::default(), text_of, diags)
}

/// Like [`resolve`], for an audience build: references to `withheld` documents resolve to
/// [`Link::Withheld`] and are left out of related lists and backlinks.
pub fn resolve_with(
    manual: &Manual,
    withheld: &Withheld,
    text_of: &dyn Fn(&Path) -> Option<String>,
    diags: &mut Vec<Diagnostic>,
) -> Resolved {
    let n = manual.documents.len();
    let mut r = Resolved {
        links: PerDoc::filled(n, Vec::new()),
        related: PerDoc::filled(n, Vec::new()),
        supersedes: PerDoc::filled(n, None),
        superseded_by: PerDoc::filled(n, Vec::new()),
        doc_backlinks: PerDoc::filled(n, BTreeSet::new()),
        ..Resolved::default()
    };

    // Ids: unique, also ignoring case (page file names must not collide on any file system).
    let mut first_of: HashMap<DocKey, DocIndex> = HashMap::with_capacity(n);
    for (i, d) in manual.docs() {
        let id = &d.meta.id;
        let key = DocKey::from(id);
        match first_of.get(&key) {
            Some(&first) => {
                let other = manual.doc(first);
                diags.push(
                    Diagnostic::error(
                        code::DUPLICATE_ID,
                        d.meta.id_span.clone(),
                        format!(
                            "document id `{id}` is already used by {} (`{}`)",
                            other.path.display(),
                            other.meta.id
                        ),
                    )
                    .with_suggestion(
                        "give every document its own id; ids are compared ignoring case",
                    ),
                );
            }
            None => {
                first_of.insert(key, i);
                r.by_id.insert(id.clone(), i);
            }
        }
    }
    let by_path: HashMap<&Path, DocIndex> =
        manual.docs().map(|(i, d)| (d.path.as_path(), i)).collect();
    let all_ids: Vec<&str> = r.by_id.keys().map(DocId::as_str).collect();
    // Each suggestion compares the id with every document id: computed once per distinct id,
    // and for the first MAX_SUGGESTED distinct ids only.
    let suggested: RefCell<HashMap<String, Option<String>>> = RefCell::default();
    let unknown_doc = |id: &str, span: Span| -> Diagnostic {
        let mut cache = suggested.borrow_mut();
        let near = match cache.get(id) {
            Some(near) => near.clone(),
            None if cache.len() < MAX_SUGGESTED => {
                let near = did_you_mean(id, all_ids.iter().copied())
                    .or_else(|| {
                        did_you_mean(id, manual.catalog.entries.iter().map(|e| e.id.as_str()))
                    })
                    .or_else(|| {
                        let systems = manual.systems.as_ref()?;
                        did_you_mean(id, systems.list.iter().map(|s| s.id.as_str()))
                    });
                cache.insert(id.to_string(), near.clone());
                near
            }
            None => None,
        };
        let what = if manual.systems.is_some() {
            "no document, catalog entry or AI system"
        } else {
            "no document or catalog entry"
        };
        Diagnostic::error(
            code::UNKNOWN_DOCUMENT,
            span,
            format!("{what} has the id `{id}`"),
        )
        .with_suggestion_opt(near)
    };
    r.systems = systems::resolve(manual, &first_of, diags);

    // Front matter: controls, clauses, related, supersedes.
    for (i, d) in manual.docs() {
        for c in d.meta.controls.iter().chain(&d.meta.clauses) {
            r.implemented_by.entry(c.id.clone()).or_default().push(i);
        }
        let mut seen: HashSet<DocIndex> = HashSet::new();
        for rel in &d.meta.related {
            match r.by_id.get(rel.id.as_str()) {
                Some(&j) if j != i => {
                    if seen.insert(j) {
                        r.related[i].push(j);
                    }
                    r.doc_backlinks[j].insert(i);
                }
                Some(_) => {}
                None if withheld.ids.contains(&rel.id) => {}
                None => diags.push(unknown_doc(&rel.id, rel.span.clone())),
            }
        }
        if let Some(s) = &d.meta.supersedes {
            match r.by_id.get(s.id.as_str()) {
                Some(&j) if j != i => {
                    r.supersedes[i] = Some(j);
                    r.superseded_by[j].push(i);
                }
                // Superseding itself: kept so document control reports the cycle.
                Some(_) => r.supersedes[i] = Some(i),
                None if withheld.ids.contains(&s.id) => {}
                None => diags.push(unknown_doc(&s.id, s.span.clone())),
            }
        }
    }

    let not_enabled = frameworks::NotEnabled::default();
    frameworks::declarations(
        manual,
        &mut r.framework_addressed,
        &mut r.framework_declared,
        &not_enabled,
        diags,
    );
    let targets = wiki::Targets {
        manual,
        by_id: &r.by_id,
        linkable_systems: &r.systems.linkable,
        withheld,
        unknown_doc: &unknown_doc,
        not_enabled: &not_enabled,
    };

    // Bodies.
    for (i, d) in manual.docs() {
        let dir = d.path.parent().unwrap_or(Path::new(""));
        // Read again only when a finding needs a position; indexed once for all of them.
        let text: OnceCell<Option<String>> = OnceCell::new();
        let lines: OnceCell<Option<LineIndex<'_>>> = OnceCell::new();
        let span_of = |range: &std::ops::Range<usize>| -> Span {
            let index = lines.get_or_init(|| {
                text.get_or_init(|| text_of(&d.path))
                    .as_deref()
                    .map(LineIndex::new)
            });
            match index {
                Some(index) => index.span(
                    &d.path,
                    d.body_offset + range.start..d.body_offset + range.end,
                ),
                None => Span::file(&d.path),
            }
        };
        let mut links = Vec::with_capacity(d.body.refs.len());
        for reference in &d.body.refs {
            let link = match &reference.target {
                RefTarget::Wiki { id, anchor } => {
                    let link = targets.wiki(id, anchor, diags, &mut || span_of(&reference.range));
                    match &link {
                        Link::Catalog { id, .. } => {
                            r.catalog_backlinks.entry(id.clone()).or_default().insert(i);
                        }
                        Link::Framework(e) => {
                            r.framework_backlinks.entry(*e).or_default().insert(i);
                        }
                        Link::System(k) => {
                            r.systems.backlinks[*k].insert(i);
                        }
                        Link::Doc { doc: j, .. } if *j != i => {
                            r.doc_backlinks[*j].insert(i);
                        }
                        _ => {}
                    }
                    link
                }
                RefTarget::SelfAnchor(a) => {
                    if targets.anchor_ok(i, &Some(a.clone()), diags, &mut || {
                        span_of(&reference.range)
                    }) {
                        Link::SelfAnchor(a.clone())
                    } else {
                        Link::Broken
                    }
                }
                RefTarget::Path { path, anchor } => match join_relative(dir, path) {
                    None => {
                        diags.push(Diagnostic::error(
                            code::MISSING_FILE,
                            span_of(&reference.range),
                            format!("link `{path}` points outside the AIMS folder"),
                        ));
                        Link::Broken
                    }
                    Some(target) if manual.outside_at(&target).is_some() => {
                        if let Some(e) = manual.outside_at(&target) {
                            diags.push(e.diagnostic(span_of(&reference.range), &e.link));
                        }
                        Link::Broken
                    }
                    Some(target) if withheld.paths.contains(&target) => Link::Withheld,
                    Some(target) => {
                        if let Some(&j) = by_path.get(target.as_path()) {
                            let ok = targets
                                .anchor_ok(j, anchor, diags, &mut || span_of(&reference.range));
                            doc_link(&mut r.doc_backlinks, i, j, anchor, ok)
                        } else if manual.assets.contains(&target) {
                            r.linked_assets.insert(target.clone());
                            Link::Asset {
                                path: target,
                                anchor: anchor.clone(),
                            }
                        } else {
                            let is_md = target
                                .extension()
                                .is_some_and(|e| e.eq_ignore_ascii_case("md"));
                            let near = did_you_mean(
                                &target.to_string_lossy(),
                                manual.documents.iter().filter_map(|d| d.path.to_str()),
                            );
                            diags.push(
                                Diagnostic::error(
                                    code::MISSING_FILE,
                                    span_of(&reference.range),
                                    if is_md {
                                        format!(
                                            "link `{path}` points to {}, which is not a document of this AIMS",
                                            target.display()
                                        )
                                    } else {
                                        format!(
                                            "link `{path}` points to {}, which does not exist",
                                            target.display()
                                        )
                                    },
                                )
                                .with_suggestion_opt(near.map(|s| {
                                    s.replace("did you mean ", "did you mean the document ")
                                })),
                            );
                            Link::Broken
                        }
                    }
                },
            };
            links.push(link);
        }
        r.links[i] = links;
    }

    // The SoA's justifications and evidence.
    r.soa_links = targets.soa(diags);
    not_enabled.report(&manual.frameworks, diags);
    r
}

/// A link from document `from` to document `to` (when its anchor checked out), recording the
/// backlink.
fn doc_link(
    backlinks: &mut PerDoc<BTreeSet<DocIndex>>,
    from: DocIndex,
    to: DocIndex,
    anchor: &Option<String>,
    anchor_ok: bool,
) -> Link {
    if !anchor_ok {
        return Link::Broken;
    }
    if to != from {
        backlinks[to].insert(from);
    }
    Link::Doc {
        doc: to,
        anchor: anchor.clone(),
    }
}

#[cfg(test)]
mod tests;
