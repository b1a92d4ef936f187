//! Documents kept between rebuilds by file stamp, for `aimsdoc serve`: a file whose size and
//! modification time are unchanged, and which the watcher did not report, is not read or
//! parsed again.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use super::{load_document, DocumentLoader, Source};
use crate::diagnostics::Diagnostic;
use crate::model::{Catalog, Document, Manual};

/// Size and modification time: a file whose stamp is unchanged need not be read again.
type Stamp = Option<(u64, SystemTime)>;

#[derive(Clone)]
struct Cached {
    stamp: Stamp,
    doc: Option<Document>,
    diags: Vec<Diagnostic>,
}

fn stamp(path: &Path) -> Stamp {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()?))
}

/// The documents of the last rebuild of one AIMS folder on disk, by relative path.
pub struct StampCache {
    root: PathBuf,
    docs: HashMap<PathBuf, Cached>,
}

impl StampCache {
    /// An empty cache for the AIMS folder `root`.
    pub fn new(root: &Path) -> StampCache {
        StampCache {
            root: root.to_path_buf(),
            docs: HashMap::new(),
        }
    }

    /// A loader for one rebuild: files in `dirty` (relative paths the watcher reported) are
    /// read again whatever their stamp.
    pub fn loader<'a>(&'a self, dirty: &'a HashSet<PathBuf>) -> StampLoader<'a> {
        StampLoader {
            cache: self,
            dirty,
            fresh: Mutex::new(Vec::new()),
        }
    }

    /// Keeps what a loader read again, and forgets documents no longer in `manual` (the
    /// manual the rebuild loaded, `None` when aims.toml had errors). Returns how many
    /// documents were read and parsed again.
    pub fn absorb(&mut self, fresh: ReadAgain, manual: Option<&Manual>) -> usize {
        let fresh = fresh.0;
        let reread = fresh.len();
        // Keep only documents still in the tree, then add what was read again.
        if let Some(m) = manual {
            let present: HashSet<&Path> = m.documents.iter().map(|d| d.path.as_path()).collect();
            self.docs
                .retain(|p, c| present.contains(p.as_path()) || c.doc.is_none());
        }
        self.docs.extend(fresh);
        let documents = manual.map_or(0, |m| m.documents.len());
        if self.docs.len() > 4 * documents + 1024 {
            // Files that stopped being documents (deleted non-documents) would pile up.
            self.docs.retain(|_, c| c.doc.is_some());
        }
        reread
    }
}

/// The documents one rebuild read again, for [`StampCache::absorb`].
pub struct ReadAgain(Vec<(PathBuf, Cached)>);

/// The [`DocumentLoader`] of one rebuild over a [`StampCache`]; what it reads is kept by
/// [`StampCache::absorb`].
pub struct StampLoader<'a> {
    cache: &'a StampCache,
    dirty: &'a HashSet<PathBuf>,
    fresh: Mutex<Vec<(PathBuf, Cached)>>,
}

impl StampLoader<'_> {
    /// What this loader read again.
    pub fn read_again(self) -> ReadAgain {
        ReadAgain(self.fresh.into_inner().unwrap_or_else(|e| e.into_inner()))
    }
}

impl DocumentLoader for StampLoader<'_> {
    fn load(
        &self,
        source: &dyn Source,
        path: &Path,
        catalog: &Catalog,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Document> {
        let st = stamp(&self.cache.root.join(path));
        if let Some(c) = self.cache.docs.get(path) {
            if st.is_some() && c.stamp == st && !self.dirty.contains(path) {
                diags.extend(c.diags.iter().cloned());
                return c.doc.clone();
            }
        }
        let mut mine = Vec::new();
        let doc = load_document(source, path, catalog, &mut mine);
        diags.extend(mine.iter().cloned());
        let entry = Cached {
            stamp: st,
            doc: doc.clone(),
            diags: mine,
        };
        self.fresh
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path.to_path_buf(), entry));
        doc
    }
}
