//! The compile thread. The main loop sends it a [`Job`] (the open buffers) after every change;
//! it waits until no change has come for [`DEBOUNCE`], compiles the AIMS once through
//! [`pipeline::compile`] over the buffers laid on the disk ([`Overlay`]), reusing unchanged
//! documents ([`ContentCache`]), and sends back the [`Snapshot`] with the diagnostics per
//! file. Jobs that arrive while it waits replace the one it holds, so a burst of typing is
//! one compile; the main loop drops a result that a newer job has overtaken.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};

use super::cache::ContentCache;
use super::diagnostics::to_lsp;
use super::overlay::{Buffers, Overlay};
use super::uri::Root;
use crate::date::Date;
use crate::model::soa::SOA_FILE;
use crate::model::system::SYSTEMS_FILE;
use crate::pipeline::{self, Compilation, CompileError, CompileOptions};

/// How long the AIMS must stay unchanged before it is compiled.
pub(super) const DEBOUNCE: Duration = Duration::from_millis(150);

/// One request to compile: the open buffers, with their editor versions.
pub(super) struct Job {
    /// Increases with every change.
    pub(super) generation: u64,
    /// Open buffers by relative path.
    pub(super) buffers: Buffers,
    /// The editor's version of each buffer.
    pub(super) versions: HashMap<PathBuf, i32>,
    /// Read every file on disk again, whatever its stamp (after a save, a close, or a change
    /// the editor's file watcher reported).
    pub(super) recheck_disk: bool,
}

/// The AIMS as one compile saw it: what requests are answered from.
pub(super) struct Snapshot {
    /// The root.
    pub(super) root: Root,
    /// The compilation (`None` when aims.toml has errors or is missing).
    pub(super) compilation: Option<Compilation>,
    /// The text of every document, and of `soa.yaml` and `systems.yaml`, by relative path.
    pub(super) texts: HashMap<PathBuf, Arc<str>>,
}

impl Snapshot {
    /// The text a path had in this compile.
    pub(super) fn text(&self, rel: &Path) -> Option<&str> {
        self.texts.get(rel).map(|t| &**t)
    }
}

/// What one compile found.
pub(super) struct Done {
    /// The generation of the job compiled.
    pub(super) generation: u64,
    /// The AIMS as compiled.
    pub(super) snapshot: Arc<Snapshot>,
    /// Diagnostics per file with any (relative paths).
    pub(super) diagnostics: BTreeMap<PathBuf, Vec<lsp_types::Diagnostic>>,
    /// The editor versions of the buffers compiled.
    pub(super) versions: HashMap<PathBuf, i32>,
    /// Documents parsed (not from the cache), and the compile's wall time: for the log.
    pub(super) parsed: usize,
    /// Wall time of the compile.
    pub(super) elapsed: Duration,
    /// Why there is no compilation, when the AIMS could not be opened.
    pub(super) failure: Option<String>,
}

/// Starts the compile thread for the AIMS at `root`; results go to `done`.
pub(super) fn spawn(root: Root, today: Date, done: Sender<Done>) -> Sender<Job> {
    let (tx, rx) = crossbeam_channel::unbounded::<Job>();
    let spawned = std::thread::Builder::new()
        .name("aimsdoc-lsp-compile".into())
        .spawn(move || run(root, today, rx, done));
    if let Err(e) = spawned {
        eprintln!("aimsdoc lsp: cannot start the compile thread: {e}");
    }
    tx
}

fn run(root: Root, today: Date, jobs: Receiver<Job>, done: Sender<Done>) {
    let cache = ContentCache::default();
    while let Ok(mut job) = jobs.recv() {
        loop {
            match jobs.recv_timeout(DEBOUNCE) {
                Ok(newer) => {
                    let recheck = job.recheck_disk || newer.recheck_disk;
                    job = newer;
                    job.recheck_disk = recheck;
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let generation = job.generation;
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            compile(&root, today, job, &cache)
        }));
        let result = match result {
            Ok(r) => r,
            Err(_) => {
                eprintln!("aimsdoc lsp: the compile of change {generation} failed (a bug); the last results stay");
                // What the failed compile left in the cache is not trusted.
                cache.begin(None, false, Default::default());
                cache.finish();
                continue;
            }
        };
        if done.send(result).is_err() {
            return;
        }
    }
}

/// Compiles the AIMS with `job`'s buffers over the disk.
pub(super) fn compile(root: &Root, today: Date, job: Job, cache: &ContentCache) -> Done {
    let start = Instant::now();
    let buffers = job.buffers.keys().cloned().collect();
    let overlay = Overlay::new(&root.path, job.buffers);
    let opts = CompileOptions {
        audience_from_config: true,
        ..CompileOptions::new(&root.path, vec![PathBuf::from("_site")], today)
    };
    cache.begin(Some(&root.path), !job.recheck_disk, buffers);
    let compiled = pipeline::compile(&overlay, &opts, cache);
    let parsed = cache.finish();
    let mut texts = cache.texts();
    for file in [SOA_FILE, SYSTEMS_FILE] {
        if let Some(t) = overlay.text(Path::new(file)) {
            texts.insert(PathBuf::from(file), t);
        }
    }
    let (compilation, found, failure) = match compiled {
        Ok(c) => {
            let found = c.diagnostics.clone().sorted();
            (Some(c), found, None)
        }
        Err(CompileError::Config(d)) => (None, d.sorted(), None),
        Err(CompileError::Load(e)) => (None, Vec::new(), Some(e.to_string())),
    };
    let mut diagnostics: BTreeMap<PathBuf, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
    let mut other_texts: HashMap<PathBuf, Option<Arc<str>>> = HashMap::new();
    for d in &found {
        let file = &d.span.file;
        let text = match texts.get(file) {
            Some(t) => Some(t.clone()),
            None => other_texts
                .entry(file.clone())
                .or_insert_with(|| overlay.text(file))
                .clone(),
        };
        diagnostics
            .entry(file.clone())
            .or_default()
            .push(to_lsp(d, text.as_deref()));
    }
    Done {
        generation: job.generation,
        snapshot: Arc::new(Snapshot {
            root: root.clone(),
            compilation,
            texts,
        }),
        diagnostics,
        versions: job.versions,
        parsed,
        elapsed: start.elapsed(),
        failure,
    }
}
