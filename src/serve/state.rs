//! The in-memory site of `aimsdoc serve` and the incremental rebuild that keeps it current.
//!
//! A [`Builder`] owns everything a rebuild can reuse: each document parsed from an unchanged
//! file (keyed by path and validated by size and modification time), the theme, and the
//! compiled manual behind the pages being served. A rebuild re-reads only the changed files,
//! runs resolve and analyse again (cheap), re-renders only the pages an edit can change and
//! compares every page's bytes with the previous ones, so only pages that really changed are
//! reported. When the AIMS has errors the previous pages stay as they are.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::date::Date;
use crate::diagnostics::Diagnostic;
use crate::diagnostics::Diagnostics;
use crate::load::{FsSource, LoadError, StampCache};
use crate::model::frontmatter::Classification;
use crate::model::{DocIndex, SectionIndex};
use crate::pipeline::{self, Compilation, CompileError, CompileOptions};
use crate::render::{self, Page, Theme};
use crate::sink::MemorySink;

/// Pages and files of the site by site-relative path (`documents/POL-AI-001.html`).
pub type Pages = HashMap<String, Arc<Vec<u8>>>;

impl Outcome {
    /// Records the rebuild's diagnostics (sorted; identical ones once) and its time.
    fn finish(mut self, diagnostics: Diagnostics, start: Instant) -> Outcome {
        let tally = diagnostics.tally();
        (self.diagnostics, self.errors, self.warnings) =
            (tally.items, tally.errors, tally.warnings);
        self.elapsed = start.elapsed();
        self
    }
}

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

/// Rebuilds the site of one AIMS root, reusing what did not change.
pub struct Builder {
    root: PathBuf,
    skip: Vec<PathBuf>,
    today: Date,
    docs: StampCache,
    theme: Option<Theme>,
    /// What loading the theme reported (repeated on every rebuild until it is reloaded).
    theme_diags: Vec<Diagnostic>,
    /// A theme file changed since the theme was loaded.
    theme_stale: bool,
    /// The theme was reloaded since the last complete render.
    full_render_pending: bool,
    /// The compiled manual the current pages were rendered from.
    published: Option<Compilation>,
    pages: Pages,
    /// The audience of the edition served (`None`: the one aims.toml names, else the
    /// complete manual).
    audience: Option<Classification>,
}

impl Builder {
    /// A builder for the AIMS at `root`; `skip` lists folders (relative to the root) never read
    /// as input, such as the output folder of `aimsdoc build`.
    pub fn new(root: &Path, skip: Vec<PathBuf>, today: Date) -> Builder {
        Builder {
            root: root.to_path_buf(),
            skip,
            today,
            docs: StampCache::new(root),
            theme: None,
            theme_diags: Vec::new(),
            theme_stale: false,
            full_render_pending: true,
            published: None,
            pages: Pages::new(),
            audience: None,
        }
    }

    /// Serves the edition for `audience` (as `build --audience` makes it).
    pub fn with_audience(mut self, audience: Option<Classification>) -> Builder {
        self.audience = audience;
        self
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
        let loader = self.docs.loader(dirty);
        let opts = CompileOptions {
            audience: self.audience,
            audience_from_config: true,
            ..CompileOptions::new(&self.root, self.skip.clone(), self.today)
        };
        let compiled = pipeline::compile(&source, &opts, &loader);
        let fresh = loader.read_again();
        // An edition's manual lacks the documents it withholds, which stay cached all the
        // same (they are read for every edition's analysis).
        let whole = compiled
            .as_ref()
            .ok()
            .filter(|c| c.edition.audience.is_none())
            .map(|c| &c.manual);
        let reread = self.docs.absorb(fresh, whole);
        let mut outcome = Outcome {
            reread,
            ..Outcome::default()
        };
        let compiled = match compiled {
            Ok(c) => c,
            Err(CompileError::Load(e)) => return Err(e),
            Err(CompileError::Config(d)) => {
                return Ok(outcome.finish(d, start));
            }
        };
        outcome.documents = compiled.manual.documents.len();
        let mut diagnostics = compiled.diagnostics.clone();
        self.theme_stale |= dirty.iter().any(|p| self.affects_theme(p));
        if self.theme.is_none() || self.theme_stale {
            let m = &compiled.manual;
            self.theme_diags.clear();
            self.theme = render::theme::load(
                Some(&self.root),
                m.config.theme.as_deref().map(|t| (t, &m.config.theme_span)),
                &mut self.theme_diags,
            );
            self.theme_stale = false;
            self.full_render_pending = true;
        }
        diagnostics.extend(self.theme_diags.iter().cloned());
        let mut new_files = None;
        if let Some(theme) = &self.theme {
            let can_publish = diagnostics.error_count() == 0 || self.pages.is_empty();
            if can_publish {
                let selection = match &self.published {
                    Some(prev) if !self.full_render_pending && !self.pages.is_empty() => {
                        select(prev, &compiled)
                    }
                    _ => None,
                };
                // Live preview shows the edition as it is in the work tree, like a build
                // without versions.
                let input = render::Input::new(&compiled, theme, &source, None);
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
        let errors = diagnostics.error_count();
        if let Some((files, complete)) = new_files {
            if errors == 0 || self.pages.is_empty() {
                outcome.changed = self.apply(files, complete);
                if complete {
                    self.full_render_pending = false;
                }
                self.published = Some(compiled);
            }
        }
        Ok(outcome.finish(diagnostics, start))
    }

    /// Whether a changed path can change the theme (templates, static files, aims.toml).
    fn affects_theme(&self, p: &Path) -> bool {
        if p.starts_with("templates") || p.starts_with("static") || p == Path::new("aims.toml") {
            return true;
        }
        let theme_dir = self
            .published
            .as_ref()
            .and_then(|c| c.manual.config.theme.clone());
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
/// Every page is rendered when the configuration, the SoA (or what its references resolve
/// to), the framework catalogs, the AI systems of `systems.yaml`, the sections, linked files, the set of documents (paths, ids) or anything the
/// navigation shows (titles, order) changed.
/// Otherwise the pages are: each document whose body, metadata, resolved links, related,
/// supersedes or backlinks changed; when metadata changed, the pages listing those documents
/// (their section, documents relating to them, the controls and clauses they implement or
/// reference) and the pages over all documents (home, coverage, SoA, register, required,
/// the control and clause indexes, the crosswalk); when a coverage state changed, every control and clause
/// page and the documents that declare them; the pages of other frameworks' entries whose
/// declaring or referencing documents changed (`render::frameworks::affected`) or whose
/// direct or inferred state changed (`render::frameworks::states_changed`); and every AI
/// system's page when metadata, a coverage state, a reference to a system or a system's
/// evidence changed.
fn select(prev: &Compilation, new: &Compilation) -> Option<Vec<Page>> {
    let (pm, nm) = (&prev.manual, &new.manual);
    let (pa, na) = (&prev.analysis, &new.analysis);
    let (pr, nr) = (&prev.resolved, &new.resolved);
    let same_shape = prev.edition == new.edition
        && prev.unpublished == new.unpublished
        && pm.config == nm.config
        && pm.soa == nm.soa
        && pm.frameworks == nm.frameworks
        && pm.systems == nm.systems
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
        && pr.soa_links == nr.soa_links
        && pr.linked_assets == nr.linked_assets;
    if !same_shape {
        return None;
    }
    let meta: BTreeSet<DocIndex> = nm
        .docs()
        .filter(|&(i, d)| pm.doc(i).meta != d.meta)
        .map(|(i, _)| i)
        .collect();
    let mut docs = BTreeSet::new();
    let mut sections: BTreeSet<SectionIndex> = BTreeSet::new();
    for ((i, a), b) in pm.docs().zip(&nm.documents) {
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
    let lists_changed = |r: &crate::resolve::Resolved, j: DocIndex| {
        r.related[j].iter().any(|d| meta.contains(d))
            || r.doc_backlinks[j].iter().any(|d| meta.contains(d))
            || r.superseded_by[j].iter().any(|d| meta.contains(d))
            || r.supersedes[j].is_some_and(|d| meta.contains(&d))
    };
    if !meta.is_empty() {
        for &i in &meta {
            sections.insert(nm.doc(i).section);
        }
        for j in nm.doc_indices() {
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
    keep.extend(crate::render::frameworks::affected(nm, pr, nr, &meta));
    for p in crate::render::frameworks::states_changed(&pa.frameworks, &na.frameworks) {
        if !keep.contains(&p) {
            keep.push(p);
        }
    }
    // The AI systems' pages show documents, states and evidence of the whole AIMS.
    if !meta.is_empty()
        || !coverage_changed.is_empty()
        || pr.systems != nr.systems
        || pa.systems != na.systems
    {
        keep.extend(crate::render::systems::pages(nm));
    }
    if !meta.is_empty() || !coverage_changed.is_empty() {
        keep.extend([
            Page::Home,
            Page::Coverage,
            Page::Soa,
            Page::Register,
            Page::Required,
            Page::Controls,
            Page::Clauses,
            Page::Crosswalk,
        ]);
    }
    // A framework's SoA page lists the states and documents its index does.
    let soas: Vec<Page> = keep
        .iter()
        .filter_map(|p| match p {
            Page::Framework(f) => Some(Page::FrameworkSoa(*f)),
            _ => None,
        })
        .collect();
    keep.extend(soas);
    Some(keep)
}
