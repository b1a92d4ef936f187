//! Documents kept between the language server's compiles, keyed by content: a document whose
//! text is byte for byte the one parsed last time is not parsed again (its diagnostics are
//! repeated, as [`DocumentLoader`] requires). Unlike `serve`'s `StampCache`, the key is the
//! text itself, because an open buffer has no file stamp. A file on disk (not open in the
//! editor) whose size and modification time are those of the last read is not even read
//! again, except in a compile that rechecks the disk (after a save, a close, a change the
//! editor's file watcher reported). What a compile no longer reads is forgotten after it, so
//! memory follows the size of the AIMS, not the length of the session.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::SystemTime;

use crate::diagnostics::Diagnostic;
use crate::load::{self, DocumentLoader, Source};
use crate::model::{Catalog, Document};

/// Size and modification time of a file on disk.
type Stamp = (u64, SystemTime);

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()?))
}

struct Entry {
    text: Arc<str>,
    /// The file's stamp when the text was read from disk (`None`: from a buffer).
    stamp: Option<Stamp>,
    doc: Option<Document>,
    diags: Vec<Diagnostic>,
}

#[derive(Default)]
struct Inner {
    docs: HashMap<PathBuf, Entry>,
    seen: HashSet<PathBuf>,
    parsed: usize,
    /// This compile: the AIMS folder on disk (for stamps), whether an unchanged stamp means
    /// an unchanged file, and the paths read from buffers.
    disk: Option<PathBuf>,
    trust_stamps: bool,
    buffers: HashSet<PathBuf>,
}

/// Parsed documents by path and text.
#[derive(Default)]
pub(super) struct ContentCache {
    inner: Mutex<Inner>,
}

impl ContentCache {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts a compile: nothing is marked as read yet. `disk` is the AIMS folder on disk
    /// (`None`: no stamps); with `trust_stamps`, a file whose stamp is unchanged is taken as
    /// unchanged without reading it; `buffers` are the paths that come from the editor.
    pub(super) fn begin(&self, disk: Option<&Path>, trust_stamps: bool, buffers: HashSet<PathBuf>) {
        let mut inner = self.lock();
        inner.seen.clear();
        inner.parsed = 0;
        inner.disk = disk.map(Path::to_path_buf);
        inner.trust_stamps = trust_stamps;
        inner.buffers = buffers;
    }

    /// Ends a compile: forgets the documents it did not read. Returns how many documents it
    /// parsed (the others came from the cache).
    pub(super) fn finish(&self) -> usize {
        let mut inner = self.lock();
        let seen = std::mem::take(&mut inner.seen);
        inner.docs.retain(|p, _| seen.contains(p));
        inner.parsed
    }

    /// The text of every document the last compile read, by relative path.
    pub(super) fn texts(&self) -> HashMap<PathBuf, Arc<str>> {
        self.lock()
            .docs
            .iter()
            .map(|(p, e)| (p.clone(), e.text.clone()))
            .collect()
    }

    /// How many documents are kept.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.lock().docs.len()
    }
}

impl DocumentLoader for ContentCache {
    fn load(
        &self,
        source: &dyn Source,
        path: &Path,
        catalog: &Catalog,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Document> {
        let on_disk = {
            let mut inner = self.lock();
            inner.seen.insert(path.to_path_buf());
            let root = inner.disk.clone().filter(|_| !inner.buffers.contains(path));
            let st = root.as_deref().and_then(|r| stamp(&r.join(path)));
            if let (Some(st), Some(e), true) = (st, inner.docs.get(path), inner.trust_stamps) {
                if e.stamp == Some(st) {
                    diags.extend(e.diags.iter().cloned());
                    return e.doc.clone();
                }
            }
            st
        };
        let bytes = load::read_reported(source, path, diags)?;
        {
            let mut inner = self.lock();
            if let Some(e) = inner.docs.get_mut(path) {
                if e.text.as_bytes() == bytes.as_slice() {
                    e.stamp = on_disk;
                    diags.extend(e.diags.iter().cloned());
                    return e.doc.clone();
                }
            }
        }
        let text: Arc<str> = String::from_utf8_lossy(&bytes).into();
        let mut mine = Vec::new();
        let doc = load::parse_document(bytes, path, catalog, &mut mine);
        diags.extend(mine.iter().cloned());
        let mut inner = self.lock();
        inner.parsed += 1;
        inner.docs.insert(
            path.to_path_buf(),
            Entry {
                text,
                stamp: on_disk,
                doc: doc.clone(),
                diags: mine,
            },
        );
        doc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::MemorySource;

    #[test]
    fn unchanged_text_is_not_parsed_again_and_unread_documents_are_forgotten() {
        let catalog = Catalog::iso42001();
        let cache = ContentCache::default();
        let doc = "---\nid: A\ntitle: A\ncontrols: [A.6.2.9]\n---\nBody\n";
        let mut src = MemorySource::new([
            ("a.md", doc),
            ("b.md", doc.replace("id: A", "id: B").as_str()),
        ]);
        let load_all = |src: &MemorySource| {
            cache.begin(None, false, HashSet::new());
            let mut diags = Vec::new();
            for p in ["a.md", "b.md"] {
                if src.exists(Path::new(p)) {
                    cache.load(src, Path::new(p), &catalog, &mut diags);
                }
            }
            (cache.finish(), diags.len())
        };
        assert_eq!(load_all(&src), (2, 2));
        // Same text: from the cache, with the same diagnostics.
        assert_eq!(load_all(&src), (0, 2));
        src.insert("a.md", doc.replace("A.6.2.9", "A.6.2.8"));
        assert_eq!(load_all(&src), (1, 1));
        let mut only_a = MemorySource::default();
        only_a.insert("a.md", doc);
        assert_eq!(load_all(&only_a), (1, 1));
        assert_eq!(cache.len(), 1);
        assert_eq!(&*cache.texts()[Path::new("a.md")], doc);
    }

    #[test]
    fn files_on_disk_with_their_stamp_unchanged_are_not_read_until_a_recheck() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        let doc = "---\nid: A\ntitle: A\ncontrols: [A.6.2.9]\n---\nBody\n";
        std::fs::write(&file, doc).unwrap();
        let source = crate::load::FsSource::new(dir.path());
        let catalog = Catalog::iso42001();
        let cache = ContentCache::default();
        let load = |trust: bool, buffers: HashSet<PathBuf>| {
            cache.begin(Some(dir.path()), trust, buffers);
            let mut diags = Vec::new();
            cache.load(&source, Path::new("a.md"), &catalog, &mut diags);
            (cache.finish(), diags.len())
        };
        assert_eq!(load(true, HashSet::new()), (1, 1));
        // Same size, same modification time: taken as unchanged without reading.
        let mtime = std::fs::metadata(&file).unwrap().modified().unwrap();
        std::fs::write(&file, doc.replace("A.6.2.9", "A.6.2.8")).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
        assert_eq!(load(true, HashSet::new()), (0, 1));
        // A path that is a buffer is always read; so is every file in a recheck.
        assert_eq!(load(true, [PathBuf::from("a.md")].into()), (1, 0));
        assert_eq!(load(false, HashSet::new()), (0, 0));
        assert_eq!(load(true, HashSet::new()), (0, 0));
    }
}
