//! Documents kept between the language server's compiles, keyed by content: a document whose
//! text is byte for byte the one parsed last time is not parsed again (its diagnostics are
//! repeated, as [`DocumentLoader`] requires). Unlike `serve`'s `StampCache`, the key is the
//! text itself, because an open buffer has no file stamp. What a compile no longer reads is
//! forgotten after it, so memory follows the size of the AIMS, not the length of the session.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::diagnostics::Diagnostic;
use crate::load::{self, DocumentLoader, Source};
use crate::model::{Catalog, Document};

struct Entry {
    text: Arc<str>,
    doc: Option<Document>,
    diags: Vec<Diagnostic>,
}

#[derive(Default)]
struct Inner {
    docs: HashMap<PathBuf, Entry>,
    seen: HashSet<PathBuf>,
    parsed: usize,
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

    /// Starts a compile: nothing is marked as read yet.
    pub(super) fn begin(&self) {
        let mut inner = self.lock();
        inner.seen.clear();
        inner.parsed = 0;
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
        let bytes = load::read_reported(source, path, diags)?;
        {
            let mut inner = self.lock();
            inner.seen.insert(path.to_path_buf());
            if let Some(e) = inner.docs.get(path) {
                if e.text.as_bytes() == bytes.as_slice() {
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
            cache.begin();
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
}
