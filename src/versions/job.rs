//! Rendering a versioned manual: the current manual at the root and every tagged version
//! under `v/<tag>/` (carrying unchanged versions over from the previous output), each
//! through the one render plan with the versions extension's pages.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::diff::{self, Changes, Side};
use super::pages::{io_error, summary, switcher_data, VersionEntry, VersionPages};
use super::reuse::{self, StoredDiagnostic, VersionState};
use super::tags::Tag;
use super::{CompiledVersion, DocCache, Session};
use crate::date::Date;
use crate::diagnostics::Diagnostic;
use crate::git::ObjectId;
use crate::load::Source;
use crate::output::Prefixed;
use crate::pipeline::Compilation;
use crate::render::page::Kind;
use crate::render::{self, Sink, Theme};

/// Everything a versioned render needs.
pub struct Job<'a> {
    /// The git side.
    pub session: &'a Session,
    /// The AIMS root.
    pub root: &'a Path,
    /// "Today" for the current manual (older versions are judged as of their release).
    pub today: Date,
    /// The theme (from the work tree) used for every version.
    pub theme: &'a Theme,
    /// The current manual.
    pub current: &'a Compilation,
    /// Where the current manual's files come from.
    pub current_source: &'a dyn Source,
    /// Documents parsed for any version (the current manual's offered), by blob.
    pub docs: &'a DocCache,
    /// The previous output, whose unchanged version folders are carried over.
    pub previous: Option<&'a Path>,
}

/// One version to put in the output: compiled now, or carried over from the previous output.
struct Slot {
    entry: VersionEntry,
    tag: Option<Tag>,
    tree: ObjectId,
    stored: Option<VersionState>,
    /// Index into the compiled pool.
    compiled: Option<usize>,
    reuse: bool,
}

/// Compiled tags, shared by tags with the same tree.
#[derive(Default)]
struct Pool {
    versions: Vec<CompiledVersion>,
    /// By tree and the date it is judged as of.
    by_tree: HashMap<(ObjectId, Date), usize>,
    /// Why a tree could not be compiled.
    failed: HashMap<(ObjectId, Date), String>,
}

impl Job<'_> {
    /// The date an old version is judged as of: its release (the tagged commit's date), so
    /// that its coverage states are those it had then.
    fn as_of(&self, tag: &Tag) -> Date {
        Date::from_unix(tag.time).unwrap_or(self.today)
    }

    fn key(&self, slot: &Slot) -> Option<(ObjectId, Date)> {
        Some((slot.tree.clone(), self.as_of(slot.tag.as_ref()?)))
    }

    /// Compiles the slots `which` that are not compiled yet, different trees side by side, and
    /// returns for each one (in the order given) its place in the pool or why it failed.
    fn compile(
        &self,
        pool: &mut Pool,
        slots: &mut [Slot],
        which: &[usize],
    ) -> Vec<(usize, Result<usize, String>)> {
        use rayon::prelude::*;
        let mut todo: Vec<((ObjectId, Date), &Tag)> = Vec::new();
        for &i in which {
            let sl = &slots[i];
            if let (None, Some(key), Some(tag)) = (sl.compiled, self.key(sl), &sl.tag) {
                let known = pool.by_tree.contains_key(&key) || pool.failed.contains_key(&key);
                if !known && !todo.iter().any(|(k, _)| *k == key) {
                    todo.push((key, tag));
                }
            }
        }
        if let Some(store) = &self.session.store {
            let docs = self.docs;
            let done: Vec<Result<CompiledVersion, String>> = todo
                .par_iter()
                .map(|((tree, date), tag)| {
                    super::compile_version(store, self.root, tag, tree, *date, docs)
                })
                .collect();
            let keys: Vec<(ObjectId, Date)> = todo.into_iter().map(|(k, _)| k).collect();
            for (key, result) in keys.into_iter().zip(done) {
                match result {
                    Ok(v) => {
                        pool.versions.push(v);
                        pool.by_tree.insert(key, pool.versions.len() - 1);
                    }
                    Err(why) => {
                        pool.failed.insert(key, why);
                    }
                }
            }
        }
        which
            .iter()
            .map(|&i| {
                let sl = &mut slots[i];
                if let Some(c) = sl.compiled {
                    return (i, Ok(c));
                }
                let Some(key) = self.key(sl).filter(|_| self.session.store.is_some()) else {
                    return (i, Err("not in git".into()));
                };
                match pool.by_tree.get(&key) {
                    Some(&c) => {
                        sl.compiled = Some(c);
                        (i, Ok(c))
                    }
                    None => (i, Err(pool.failed.get(&key).cloned().unwrap_or_default())),
                }
            })
            .collect()
    }

    /// The tags to build, newest first, each with its previous state; tags that cannot be
    /// built are reported in `diags` and left out.
    fn slots(&self, pool: &mut Pool, diags: &mut Vec<Diagnostic>) -> Vec<Slot> {
        let s = self.session;
        let mut slots = Vec::new();
        for (tag, tree) in s.tags.iter().zip(&s.trees).rev() {
            let Some(tree) = tree else {
                diags.push(super::not_built(
                    tag,
                    "the AIMS folder does not exist at that tag",
                ));
                continue;
            };
            let dir = tag.dir();
            let stored = self
                .previous
                .and_then(|p| reuse::read_state(p, &dir))
                .filter(|st| &st.tree == tree);
            slots.push(Slot {
                entry: VersionEntry {
                    label: tag.name.clone(),
                    tag: Some(tag.name.clone()),
                    commit: Some(tag.commit.clone()),
                    date: Some(tag.date()),
                    path: dir,
                    current: false,
                },
                tag: Some(tag.clone()),
                tree: tree.clone(),
                stored,
                compiled: None,
                reuse: false,
            });
        }
        // A tag built before with the same tree compiles; others must be tried now.
        let fresh: Vec<usize> = (0..slots.len())
            .filter(|&i| slots[i].stored.is_none())
            .collect();
        let mut failed = HashSet::new();
        for (i, result) in self.compile(pool, &mut slots, &fresh) {
            if let (Err(why), Some(tag)) = (result, &slots[i].tag) {
                diags.push(super::not_built(tag, &why));
                failed.insert(i);
            }
        }
        slots
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !failed.contains(i))
            .map(|(_, sl)| sl)
            .collect()
    }

    /// Renders the current manual into `sink` and every tagged version into `v/<tag>/`
    /// (carrying unchanged versions over from the previous output), writes `versions.json`,
    /// and returns the number of pages (or the current manual's errors). Old versions'
    /// problems are added to `diags` as warnings.
    pub fn render(
        &self,
        sink: &dyn Sink,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<usize, Vec<Diagnostic>> {
        let s = self.session;
        let cur_manual = &self.current.manual;
        let disclosure = self.current.edition.disclosure;
        let mut pool = Pool::default();
        let mut t = std::time::Instant::now();
        let mut slots = self.slots(&mut pool, diags);
        crate::util::stage_timer("v-slots", &mut t);
        let mut versions = vec![VersionEntry {
            label: "current".to_string(),
            tag: None,
            commit: s.head.clone(),
            date: s.head_time.map(crate::git::log::date_of),
            path: String::new(),
            current: true,
        }];
        versions.extend(slots.iter().map(|sl| sl.entry.clone()));
        let n = versions.len();
        let has_changes = |i: usize| i + 1 < n;

        // Page sets: the current manual's now; the others' from their state or compilation.
        let mut current_pages: Vec<String> =
            render::pages(cur_manual, &self.current.resolved, disclosure)
                .iter()
                .map(|p| p.path(cur_manual))
                .collect();
        if has_changes(0) {
            current_pages.push(Kind::Changes.path().into());
        }
        if n > 1 {
            current_pages.push(Kind::Versions.path().into());
        }
        current_pages.sort();

        // What every tagged version's pages depend on besides its own tree and entry: not
        // "today" (an old version is judged as of its release) and not the other versions
        // (the switcher reads them from `versions.js`), so a new release or a new day leaves
        // the older versions as they are.
        let common = reuse::fingerprint([
            reuse::build_identity().as_bytes(),
            reuse::theme_fingerprint(self.root, cur_manual.config.theme.as_deref()).as_bytes(),
            format!("{:?}", s.repo.as_ref().map(|r| r.shallow)).as_bytes(),
        ]);
        // …and which of its pages the current manual has (the "not current" notice links
        // there, or to the current home).
        let current_set: HashSet<&String> = current_pages.iter().collect();
        crate::util::stage_timer("v-common", &mut t);
        let fingerprints: Vec<String> = slots
            .iter()
            .enumerate()
            .map(|(k, sl)| {
                let mut shared: Vec<String> = slot_pages(&pool, sl, has_changes(k + 1))
                    .into_iter()
                    .filter(|p| current_set.contains(p))
                    .collect();
                shared.sort();
                // The version before it: its changes page compares with that one.
                let previous = slots
                    .get(k + 1)
                    .map(|p| (p.entry.label.as_str(), p.tree.as_str()));
                reuse::fingerprint([
                    common.as_bytes(),
                    serde_json::to_string(&(&sl.entry, &sl.tree, previous))
                        .unwrap_or_default()
                        .as_bytes(),
                    shared.join("\n").as_bytes(),
                ])
            })
            .collect();
        for (sl, fp) in slots.iter_mut().zip(&fingerprints) {
            sl.reuse = sl.stored.as_ref().is_some_and(|st| &st.fingerprint == fp)
                && sink.adopt(sl.entry.path.trim_end_matches('/'));
        }
        crate::util::stage_timer("v-fp", &mut t);
        // Compile what is rendered, and the version before each (for its changes page).
        let needed: Vec<usize> = (0..slots.len())
            .filter(|&i| !slots[i].reuse || i == 0 || !slots[i - 1].reuse)
            .collect();
        for (i, result) in self.compile(&mut pool, &mut slots, &needed) {
            // Built before, not now: leave it out of the rendering but keep the list.
            if let (Err(why), Some(tag)) = (result, &slots[i].tag) {
                diags.push(super::not_built(tag, &why));
            }
        }
        let pool = pool;
        let ready: Vec<Option<Ready<'_>>> = std::iter::once(Some(Ready {
            compiled: self.current,
            source: self.current_source,
            blobs: &s.head_blobs,
            warnings: &[],
        }))
        .chain(slots.iter().map(|sl| {
            sl.compiled.map(|c| {
                let c = &pool.versions[c];
                Ready {
                    compiled: &c.compiled,
                    source: &c.source,
                    blobs: c.source.blobs(),
                    warnings: &c.warnings,
                }
            })
        }))
        .collect();
        crate::util::stage_timer("v-compile", &mut t);
        let page_sets: Vec<HashSet<String>> =
            std::iter::once(current_pages.iter().cloned().collect())
                .chain(
                    slots
                        .iter()
                        .enumerate()
                        .map(|(k, sl)| slot_pages(&pool, sl, has_changes(k + 1))),
                )
                .collect();
        crate::util::stage_timer("v-pages", &mut t);
        let changes: Vec<Option<Changes>> = (0..n)
            .map(|i| {
                if i > 0 && slots[i - 1].reuse {
                    return None;
                }
                let (new, old) = (ready.get(i)?.as_ref()?, ready.get(i + 1)?.as_ref()?);
                let (nm, na) = (&new.compiled.manual, &new.compiled.analysis);
                let (om, oa) = (&old.compiled.manual, &old.compiled.analysis);
                Some(diff::compare(
                    &Side {
                        label: &versions[i + 1].label,
                        manual: om,
                        analysis: oa,
                        resolved: &old.compiled.resolved,
                        source: old.source,
                    },
                    &Side {
                        label: &versions[i].label,
                        manual: nm,
                        analysis: na,
                        resolved: &new.compiled.resolved,
                        source: new.source,
                    },
                ))
            })
            .collect();
        let note = match (&s.repo, &s.config) {
            (None, Some(_)) => {
                Some("No history: this manual is not in a git repository.".to_string())
            }
            (Some(r), _) if r.shallow => {
                Some("History may be incomplete: the repository is a shallow clone.".to_string())
            }
            _ => None,
        };
        crate::util::stage_timer("v-diff", &mut t);
        let mut pages = 0;
        let mut errors = Vec::new();
        let mut reused = 0;
        // Carried-over versions and old versions' warnings, in order; then the versions to
        // render, side by side.
        let mut todo = Vec::new();
        for i in 0..n {
            if i > 0 {
                let sl = &slots[i - 1];
                if sl.reuse {
                    if let Some(st) = &sl.stored {
                        diags.extend(st.diagnostics.iter().filter_map(|d| d.to_diagnostic()));
                        pages += st.pages.len();
                    }
                    reused += 1;
                    continue;
                }
                if let Some(c) = sl.compiled {
                    diags.extend(pool.versions[c].diagnostics.iter().cloned());
                }
            }
            if ready[i].is_some() {
                todo.push(i);
            }
        }
        let render_one = |i: usize| -> Result<usize, Vec<Diagnostic>> {
            let Some(r) = &ready[i] else { return Ok(0) };
            let manual = &r.compiled.manual;
            let until = (i > 0)
                .then(|| slots[i - 1].tag.as_ref().map(|t| t.time))
                .flatten();
            let history = s.repo.as_ref().map(|_| s.histories(manual, r.blobs, until));
            let changes_link = changes[i].as_ref().map(|ch| {
                serde_json::json!({
                    "url": "changes.html",
                    "label": versions.get(i + 1).map_or("", |v| v.label.as_str()),
                    "summary": summary(ch),
                })
            });
            let extras = VersionPages {
                versions: &versions,
                page_sets: &page_sets,
                this: i,
                history,
                history_note: note.clone(),
                modified: (i == 0).then_some(&s.modified),
                changes: changes[i].as_ref(),
                changes_link,
                warnings: r.warnings,
            };
            let input = render::Input::new(r.compiled, self.theme, r.source, Some(&extras));
            let prefixed = Prefixed::new(sink, versions[i].path.clone());
            let tag = i.checked_sub(1).and_then(|k| slots[k].tag.as_ref());
            let named = |e| super::in_version(tag, e);
            let count = render::render(&input, &prefixed).map_err(named)?;
            if i > 0 {
                let sl = &slots[i - 1];
                let mut pages: Vec<String> = page_sets[i].iter().cloned().collect();
                pages.sort();
                let state = VersionState {
                    fingerprint: fingerprints[i - 1].clone(),
                    tree: sl.tree.clone(),
                    pages,
                    diagnostics: sl
                        .compiled
                        .map(|c| {
                            pool.versions[c]
                                .diagnostics
                                .iter()
                                .map(StoredDiagnostic::from)
                                .collect()
                        })
                        .unwrap_or_default(),
                    warnings: r.warnings.to_vec(),
                };
                let json = serde_json::to_vec_pretty(&state).unwrap_or_default();
                prefixed
                    .put(reuse::STATE_FILE, &json)
                    .map_err(|e| (reuse::STATE_FILE, e))
                    .and_then(|()| prefixed.write_manifest().map_err(|e| ("manifest.json", e)))
                    .map_err(|(f, e)| named(vec![io_error(f, &e)]))?;
            }
            Ok(count)
        };
        let results: Vec<(usize, Result<usize, Vec<Diagnostic>>)> = {
            use rayon::prelude::*;
            todo.par_iter().map(|&i| (i, render_one(i))).collect()
        };
        for (i, result) in results {
            match result {
                Ok(count) => pages += count,
                // An old version's template errors leave it out; the current manual's fail.
                Err(e)
                    if i == 0
                        || e.iter()
                            .any(|d| d.code == crate::diagnostics::code::IO_ERROR) =>
                {
                    errors.extend(e)
                }
                Err(_) => {}
            }
        }
        crate::util::stage_timer("v-render", &mut t);
        if n > 1 || s.config.is_some() {
            let mut json = serde_json::to_vec_pretty(&versions).unwrap_or_default();
            json.push(b'\n');
            if let Err(e) = sink.put("versions.json", &json) {
                errors.push(io_error("versions.json", &e));
            }
        }
        if n > 1 {
            let script = switcher_data(&versions, &page_sets);
            if let Err(e) = sink.put("versions.js", script.as_bytes()) {
                errors.push(io_error("versions.js", &e));
            }
        }
        if std::env::var_os("AIMSDOC_TIMINGS").is_some() {
            eprintln!(
                "timing: {n} versions, {reused} carried over, {} documents parsed",
                self.docs.parsed()
            );
        }
        if errors.is_empty() {
            Ok(pages)
        } else {
            Err(errors)
        }
    }
}

/// The page paths of a tagged version: from its compilation, else from its stored state.
/// Older versions are only built without `--audience`, so they disclose the full analysis.
fn slot_pages(pool: &Pool, sl: &Slot, has_changes: bool) -> HashSet<String> {
    match (&sl.stored, sl.compiled) {
        (Some(st), _) if sl.reuse || sl.compiled.is_none() => st.pages.iter().cloned().collect(),
        (_, Some(c)) => {
            let cv = &pool.versions[c].compiled;
            let m = &cv.manual;
            let mut set: HashSet<String> =
                render::pages(m, &cv.resolved, crate::config::Disclosure::Full)
                    .iter()
                    .map(|p| p.path(m))
                    .collect();
            if has_changes {
                set.insert(Kind::Changes.path().into());
            }
            set
        }
        _ => HashSet::new(),
    }
}

/// A manual ready to render: compiled, its files, its blob ids.
struct Ready<'a> {
    compiled: &'a Compilation,
    source: &'a dyn Source,
    blobs: &'a BTreeMap<PathBuf, ObjectId>,
    warnings: &'a [String],
}
