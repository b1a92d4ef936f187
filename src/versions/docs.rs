//! Documents parsed once for every version of a build: by path and git blob id.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::Session;
use crate::config::CONFIG_FILE;
use crate::diagnostics::Diagnostic;
use crate::git::{GitTreeSource, ObjectId};
use crate::load::{DocumentLoader, Source};
use crate::model::{Catalog, Document};

/// Documents read from git and parsed, shared by every version of a build: a file with the
/// same path and blob id (under the same aims.toml, which names the catalog) is parsed once,
/// however many versions hold it. Parsing includes the one Markdown pass, so an unchanged
/// document's text is rendered to HTML once for all versions.
#[derive(Default)]
pub struct DocCache {
    docs: Mutex<HashMap<DocKey, Arc<OnceLock<Parsed>>>>,
    parsed: AtomicUsize,
}

/// Path, blob id, aims.toml's blob id (`None`: the tree has no aims.toml).
type DocKey = (PathBuf, ObjectId, Option<ObjectId>);
/// A parsed document (`None`: unusable) and its diagnostics.
type Parsed = (Option<Document>, Vec<Diagnostic>);

impl DocCache {
    fn cell(&self, key: DocKey) -> Arc<OnceLock<Parsed>> {
        self.docs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry(key)
            .or_default()
            .clone()
    }

    /// How many documents were actually parsed (the others came from the cache).
    pub fn parsed(&self) -> usize {
        self.parsed.load(Ordering::Relaxed)
    }

    /// A loader for the current manual read from the work tree that also offers each
    /// document to the versions: a file whose bytes are exactly its blob at `HEAD` (under an
    /// aims.toml that is exactly `HEAD`'s) is the same document in every tag holding that
    /// blob, so the newest tags need not parse it again.
    pub fn current_loader<'a>(
        &'a self,
        source: &dyn Source,
        session: &'a Session,
    ) -> OfferToVersions<'a> {
        let config = source
            .read(Path::new(CONFIG_FILE))
            .ok()
            .and_then(|bytes| blob_at_head(session, Path::new(CONFIG_FILE), &bytes).cloned());
        OfferToVersions {
            cache: self,
            session,
            config,
        }
    }

    /// A loader for a manual read from the git tree `tree`: each document is parsed once
    /// for every version holding the same blob under the same aims.toml.
    pub fn tree_loader<'a>(&'a self, tree: &'a GitTreeSource) -> TreeLoader<'a> {
        let config = tree.blob(Path::new(CONFIG_FILE)).cloned();
        TreeLoader {
            cache: self,
            tree,
            config,
        }
    }

    /// [`load_document`](crate::load::load_document) through the cache.
    fn load(
        &self,
        src: &dyn Source,
        path: &Path,
        blob: &ObjectId,
        config: Option<&ObjectId>,
        catalog: &Catalog,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Document> {
        let cell = self.cell((path.to_path_buf(), blob.clone(), config.cloned()));
        // One thread parses; one reading the same blob for another version waits for it.
        let (doc, found) = cell.get_or_init(|| {
            self.parsed.fetch_add(1, Ordering::Relaxed);
            let mut found = Vec::new();
            let doc = crate::load::load_document(src, path, catalog, &mut found);
            (doc, found)
        });
        diags.extend(found.iter().cloned());
        doc.clone()
    }
}

/// `HEAD`'s blob id of `p` when `bytes` are exactly that blob.
fn blob_at_head<'a>(session: &'a Session, p: &Path, bytes: &[u8]) -> Option<&'a ObjectId> {
    let head = session.head_blobs.get(p)?;
    is_blob(head, bytes).then_some(head)
}

/// The loader of the current manual from the work tree, offering what it parses to the
/// versions (see [`DocCache::current_loader`]).
pub struct OfferToVersions<'a> {
    cache: &'a DocCache,
    session: &'a Session,
    config: Option<ObjectId>,
}

impl DocumentLoader for OfferToVersions<'_> {
    fn load(
        &self,
        source: &dyn Source,
        p: &Path,
        catalog: &Catalog,
        d: &mut Vec<Diagnostic>,
    ) -> Option<Document> {
        // Read once: hashed to compare with HEAD, then parsed.
        let bytes = match source.read(p) {
            Ok(b) => b,
            Err(_) => return crate::load::load_document(source, p, catalog, d),
        };
        let blob = blob_at_head(self.session, p, &bytes);
        let mut found = Vec::new();
        let doc = crate::load::parse_document(bytes, p, catalog, &mut found);
        if let (Some(config), Some(blob)) = (&self.config, blob) {
            let cell = self
                .cache
                .cell((p.to_path_buf(), blob.clone(), Some(config.clone())));
            let _ = cell.set((doc.clone(), found.clone()));
        }
        d.extend(found);
        doc
    }
}

/// The loader of a manual at a tag (see [`DocCache::tree_loader`]).
pub struct TreeLoader<'a> {
    cache: &'a DocCache,
    tree: &'a GitTreeSource,
    config: Option<ObjectId>,
}

impl DocumentLoader for TreeLoader<'_> {
    fn load(
        &self,
        source: &dyn Source,
        p: &Path,
        catalog: &Catalog,
        d: &mut Vec<Diagnostic>,
    ) -> Option<Document> {
        match self.tree.blobs().get(p) {
            Some(blob) => self
                .cache
                .load(source, p, blob, self.config.as_ref(), catalog, d),
            None => crate::load::load_document(source, p, catalog, d),
        }
    }
}

/// Whether `id` is git's id of a blob with these bytes, to tell whether a work-tree file is
/// exactly a committed one: the digest of `blob <len>\0` and the bytes, SHA-1 or SHA-256
/// as the id's length says.
fn is_blob(id: &ObjectId, bytes: &[u8]) -> bool {
    fn digest<D: sha2::Digest>(bytes: &[u8]) -> Vec<u8> {
        let mut h = D::new();
        h.update(format!("blob {}\0", bytes.len()).as_bytes());
        h.update(bytes);
        h.finalize().to_vec()
    }
    let raw = match id.raw_len() {
        32 => digest::<sha2::Sha256>(bytes),
        _ => digest::<sha1::Sha1>(bytes),
    };
    ObjectId::from_bytes(&raw).as_ref() == Some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blob_ids_of_work_tree_bytes() {
        // `printf 'hello\n' | git hash-object --stdin`, and with `--object-format=sha256`.
        let sha1 = ObjectId::parse("ce013625030ba8dba906f756967f9e9ca394464a").unwrap();
        assert!(is_blob(&sha1, b"hello\n"));
        assert!(!is_blob(&sha1, b"hello"));
        let sha256 =
            ObjectId::parse("2cf8d83d9ee29543b34a87727421fdecb7e3f3a183d337639025de576db9ebb4")
                .unwrap();
        assert!(is_blob(&sha256, b"hello\n"));
        assert!(!is_blob(&sha256, b"hello\n\n"));
    }
}
