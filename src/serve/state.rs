//! The in-memory site of `aimsdoc serve` and the incremental rebuild that keeps it current.
//!
//! A [`Builder`] owns everything a rebuild can reuse: each document parsed from an unchanged
//! file (keyed by path and validated by size and modification time), the theme, and the
//! compiled manual behind the pages being served. A rebuild re-reads only the changed files,
//! runs resolve and analyse again (cheap), re-renders only the pages an edit can change and
//! compares every page's bytes with the previous ones, so only pages that really changed are
//! reported. When the AIMS has errors the previous pages stay as they are.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use crate::date::Date;
use crate::diagnostics::{Diagnostic, Severity};
use crate::load::{load_document, FsSource, LoadError};
use crate::model::{Catalog, Document};
use crate::render::{self, Page, Theme};
use crate::sink::MemorySink;
use crate::Compiled;

/// Pages and files of the site by site-relative path (`documents/POL-AI-001.html`).
pub type Pages = HashMap<String, Arc<Vec<u8>>>;

/// What one rebuild did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Site paths whose bytes changed, appeared or disappeared (sorted).
    pub changed: Vec<String>,
    /// Every diagnostic of the rebuild, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Errors among them (the pages were then left as they were, unless there were none).
    pub errors: usize,
    /// Warnings among them.
    pub warnings: usize,
    /// Pages rendered (fewer than the site has when the rebuild was incremental).
    pub rendered: usize,
    /// Documents read and parsed again.
    pub reread: usize,
    /// Documents in the manual.
    pub documents: usize,
    /// Wall time of the rebuild.
    pub elapsed: Duration,
}

/// Size and modification time: a file whose stamp is unchanged need not be read again.
type Stamp = Option<(u64, SystemTime)>;

#[derive(Clone)]
struct Cached {
    stamp: Stamp,
    doc: Option<Document>,
    diags: Vec<Diagnostic>,
}

/// Rebuilds the site of one AIMS root, reusing what did not change.
pub struct Builder {
    root: PathBuf,
    skip: Vec<PathBuf>,
    today: Date,
    docs: HashMap<PathBuf, Cached>,
    theme: Option<Theme>,
    /// What loading the theme reported (repeated on every rebuild until it is reloaded).
    theme_diags: Vec<Diagnostic>,
    /// A theme file changed since the theme was loaded.
    theme_stale: bool,
    /// The theme was reloaded since the last complete render.
    full_render_pending: bool,
    /// The compiled manual the current pages were rendered from.
    published: Option<Compiled>,
    pages: Pages,
}

fn stamp(path: &Path) -> Stamp {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()?))
}

impl Builder {
    /// A builder for the AIMS at `root`; `skip` lists folders (relative to the root) never read
    /// as input, such as the output folder of `aimsdoc build`.
    pub fn new(root: &Path, skip: Vec<PathBuf>, today: Date) -> Builder {
        Builder {
            root: root.to_path_buf(),
            skip,
            today,
            docs: HashMap::new(),
            theme: None,
            theme_diags: Vec::new(),
            theme_stale: false,
            full_render_pending: true,
            published: None,
            pages: Pages::new(),
        }
    }

    /// The pages currently published.
    pub fn pages(&self) -> &Pages {
        &self.pages
    }

    /// Rebuilds after `dirty` (paths relative to the root) changed; the first call builds
    /// everything. `Err` only when the AIMS cannot be opened at all (no `aims.toml`).
    pub fn rebuild(&mut self, dirty: &HashSet<PathBuf>) -> Result<Outcome, LoadError> {
        let start = Instant::now();
        let source = FsSource::new(&self.root);
        let fresh: Mutex<Vec<(PathBuf, Cached)>> = Mutex::new(Vec::new());
        let cache = &self.docs;
        let root = &self.root;
        let loader = |p: &Path, catalog: &Catalog, d: &mut Vec<Diagnostic>| {
            let st = stamp(&root.join(p));
            if let Some(c) = cache.get(p) {
                if st.is_some() && c.stamp == st && !dirty.contains(p) {
                    d.extend(c.diags.iter().cloned());
                    return c.doc.clone();
                }
            }
            let mut mine = Vec::new();
            let doc = load_document(&source, p, catalog, &mut mine);
            d.extend(mine.iter().cloned());
            let entry = Cached {
                stamp: st,
                doc: doc.clone(),
                diags: mine,
            };
            fresh
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((p.to_path_buf(), entry));
            doc
        };
        let compiled = match crate::compile_with(
            &source,
            &self.root,
            self.skip.clone(),
            self.today,
            &loader,
        ) {
            Ok(c) => c,
            Err(crate::RunError::Load(e)) => return Err(e),
            Err(crate::RunError::Output(e)) => {
                return Err(LoadError::Io(self.root.clone(), io::Error::other(e)))
            }
            Err(crate::RunError::Pdf(e)) => {
                return Err(LoadError::Io(self.root.clone(), io::Error::other(e)))
            }
            Err(crate::RunError::NoRoot(p)) => {
                return Err(LoadError::Io(
                    p,
                    io::Error::new(io::ErrorKind::NotFound, "no such folder"),
                ))
            }
        };
        let fresh = fresh.into_inner().unwrap_or_else(|e| e.into_inner());
        let reread = fresh.len();
        let mut outcome = Outcome {
            reread,
            documents: compiled.manual.as_ref().map_or(0, |m| m.documents.len()),
            ..Outcome::default()
        };
        // Keep only documents still in the tree, then add what was read again.
        if let Some(m) = &compiled.manual {
            let present: HashSet<&Path> = m.documents.iter().map(|d| d.path.as_path()).collect();
            self.docs
                .retain(|p, c| present.contains(p.as_path()) || c.doc.is_none());
        }
        self.docs.extend(fresh);
        if self.docs.len() > 4 * outcome.documents + 1024 {
            // Files that stopped being documents (deleted non-documents) would pile up.
            self.docs.retain(|_, c| c.doc.is_some());
        }

        let mut diagnostics = compiled.diagnostics.clone();
        self.theme_stale |= dirty.iter().any(|p| self.affects_theme(p));
        if self.theme.is_none() || self.theme_stale {
            if let Some(m) = &compiled.manual {
                self.theme_diags.clear();
                self.theme = render::theme::load(
                    Some(&self.root),
                    m.config.theme.as_deref().map(|t| (t, &m.config.theme_span)),
                    &mut self.theme_diags,
                );
                self.theme_stale = false;
                self.full_render_pending = true;
            }
        }
        if compiled.manual.is_some() {
            diagnostics.extend(self.theme_diags.iter().cloned());
        }
        let mut new_files = None;
        if let (Some(manual), Some(analysis), Some(theme)) =
            (&compiled.manual, &compiled.analysis, &self.theme)
        {
            let can_publish = diagnostics.error_count() == 0 || self.pages.is_empty();
            if can_publish {
                let selection = match &self.published {
                    Some(prev) if !self.full_render_pending && !self.pages.is_empty() => {
                        select(prev, &compiled)
                    }
                    _ => None,
                };
                let input = render::Input {
                    manual,
                    resolved: &compiled.resolved,
                    analysis,
                    theme,
                    source: &source,
                    // Live preview shows the whole AIMS, like a build without --audience.
                    audience: crate::model::frontmatter::Classification::Internal,
                    disclosure: crate::config::Disclosure::Full,
                    // Live preview shows the current work tree only: no versions.
                    extras: None,
                };
                let sink = MemorySink::default();
                let result = match &selection {
                    Some(keep) => render::render_selected(&input, &sink, &|p| keep.contains(p)),
                    None => render::render(&input, &sink),
                };
                match result {
                    Ok(n) => {
                        outcome.rendered = n;
                        new_files = Some((sink.into_files(), selection.is_none()));
                    }
                    Err(e) => diagnostics.extend(e),
                }
            }
        }
        let diagnostics = diagnostics.sorted();
        outcome.errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        outcome.warnings = diagnostics.len() - outcome.errors;
        if let Some((files, complete)) = new_files {
            if outcome.errors == 0 || self.pages.is_empty() {
                outcome.changed = self.apply(files, complete);
                if complete {
                    self.full_render_pending = false;
                }
                self.published = Some(compiled);
            }
        }
        outcome.diagnostics = diagnostics;
        outcome.elapsed = start.elapsed();
        Ok(outcome)
    }

    /// Whether a changed path can change the theme (templates, static files, aims.toml).
    fn affects_theme(&self, p: &Path) -> bool {
        if p.starts_with("templates") || p.starts_with("static") || p == Path::new("aims.toml") {
            return true;
        }
        let theme_dir = self
            .published
            .as_ref()
            .and_then(|c| c.manual.as_ref())
            .and_then(|m| m.config.theme.clone());
        theme_dir.is_some_and(|t| {
            let t: PathBuf = t
                .components()
                .filter(|c| matches!(c, std::path::Component::Normal(_)))
                .collect();
            !t.as_os_str().is_empty() && p.starts_with(t)
        })
    }

    /// Swaps in the new files; returns the paths whose bytes changed. With `complete`, files
    /// not produced any more are removed.
    fn apply(&mut self, files: HashMap<String, Vec<u8>>, complete: bool) -> Vec<String> {
        let mut changed = BTreeSet::new();
        if complete {
            let gone: Vec<String> = self
                .pages
                .keys()
                .filter(|k| !files.contains_key(*k))
                .cloned()
                .collect();
            for k in gone {
                self.pages.remove(&k);
                changed.insert(k);
            }
        }
        for (path, bytes) in files {
            let same = self.pages.get(&path).is_some_and(|old| **old == bytes);
            if !same {
                changed.insert(path.clone());
                self.pages.insert(path, Arc::new(bytes));
            }
        }
        changed.into_iter().collect()
    }
}

/// The pages an edit can change, or `None` when every page must be rendered.
///
/// Every page is rendered when the configuration, the SoA, the sections, linked files, the
/// set of documents (paths, ids) or anything the navigation shows (titles, order) changed.
/// Otherwise the pages are: each document whose body, metadata, resolved links, related,
/// supersedes or backlinks changed; when metadata changed, the pages listing those documents
/// (their section, documents relating to them, the controls and clauses they implement or
/// reference) and the pages over all documents (home, coverage, SoA, register, required,
/// the control and clause indexes); when a coverage state changed, every control and clause
/// page and the documents that declare them.
fn select(prev: &Compiled, new: &Compiled) -> Option<Vec<Page>> {
    let (pm, nm) = (prev.manual.as_ref()?, new.manual.as_ref()?);
    let (pa, na) = (prev.analysis.as_ref()?, new.analysis.as_ref()?);
    let (pr, nr) = (&prev.resolved, &new.resolved);
    let same_shape = pm.config == nm.config
        && pm.soa == nm.soa
        && pm.sections == nm.sections
        && pm.documents.len() == nm.documents.len()
        && pm.documents.iter().zip(&nm.documents).all(|(a, b)| {
            a.path == b.path
                && a.section == b.section
                && a.meta.id == b.meta.id
                && a.meta.title == b.meta.title
                && a.meta.order == b.meta.order
        })
        && pr.by_id == nr.by_id
        && pr.linked_assets == nr.linked_assets;
    if !same_shape {
        return None;
    }
    let n = nm.documents.len();
    let meta: BTreeSet<usize> = (0..n)
        .filter(|&i| pm.documents[i].meta != nm.documents[i].meta)
        .collect();
    let mut docs = BTreeSet::new();
    let mut sections = BTreeSet::new();
    for (i, (a, b)) in pm.documents.iter().zip(&nm.documents).enumerate() {
        let changed = meta.contains(&i)
            || a.body.html != b.body.html
            || a.body.headings != b.body.headings
            || a.body.refs != b.body.refs
            || a.body_offset != b.body_offset
            || pr.links[i] != nr.links[i]
            || pr.doc_backlinks[i] != nr.doc_backlinks[i]
            || pr.related[i] != nr.related[i]
            || pr.supersedes[i] != nr.supersedes[i]
            || pr.superseded_by[i] != nr.superseded_by[i];
        if changed {
            docs.insert(i);
        }
    }
    let lists_changed = |r: &crate::resolve::Resolved, j: usize| {
        r.related[j].iter().any(|d| meta.contains(d))
            || r.doc_backlinks[j].iter().any(|d| meta.contains(d))
            || r.superseded_by[j].iter().any(|d| meta.contains(d))
            || r.supersedes[j].is_some_and(|d| meta.contains(&d))
    };
    if !meta.is_empty() {
        for &i in &meta {
            sections.insert(nm.documents[i].section);
        }
        for j in 0..n {
            if lists_changed(pr, j) || lists_changed(nr, j) {
                docs.insert(j);
            }
        }
    }
    let coverage_changed: Vec<_> = pa
        .controls
        .iter()
        .zip(&na.controls)
        .chain(pa.clauses.iter().zip(&na.clauses))
        .filter(|(a, b)| format!("{a:?}") != format!("{b:?}"))
        .map(|(a, _)| a.id.clone())
        .collect();
    for id in &coverage_changed {
        for r in [pr, nr] {
            docs.extend(r.implemented_by.get(id).into_iter().flatten().copied());
        }
    }
    let mut entries = Vec::new();
    for (e, entry) in nm.catalog.entries.iter().enumerate() {
        let id = &entry.id;
        let touches = |r: &crate::resolve::Resolved| {
            r.implemented_by
                .get(id)
                .is_some_and(|v| v.iter().any(|d| meta.contains(d)))
                || r.catalog_backlinks
                    .get(id)
                    .is_some_and(|v| v.iter().any(|d| meta.contains(d)))
        };
        if !coverage_changed.is_empty()
            || pr.implemented_by.get(id) != nr.implemented_by.get(id)
            || pr.catalog_backlinks.get(id) != nr.catalog_backlinks.get(id)
            || touches(pr)
            || touches(nr)
        {
            entries.push(Page::Entry(e));
        }
    }
    let mut keep: Vec<Page> = docs.into_iter().map(Page::Document).collect();
    keep.extend(sections.into_iter().map(Page::Section));
    keep.extend(entries);
    if !meta.is_empty() || !coverage_changed.is_empty() {
        keep.extend([
            Page::Home,
            Page::Coverage,
            Page::Soa,
            Page::Register,
            Page::Required,
            Page::Controls,
            Page::Clauses,
        ]);
    }
    Some(keep)
}
