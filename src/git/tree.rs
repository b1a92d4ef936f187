//! A git tree as a [`Source`]: the AIMS as committed at a tag or commit, read straight from
//! the object database (no checkout; the work tree and index are never touched).

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::error::GitError;
use super::id::ObjectId;
use super::process::Repo;
use super::store::Store;
use crate::diagnostics::Diagnostic;
use crate::load::{Listing, PathFilter, Source};

/// The files of the AIMS folder at one commit, with their blob ids.
pub struct GitTreeSource {
    /// Relative path (below the AIMS root) → blob id.
    files: BTreeMap<PathBuf, ObjectId>,
    store: Arc<Store>,
}

impl GitTreeSource {
    /// The AIMS folder (`repo.prefix`) at `commit`, with a reader of its own.
    pub fn new(repo: &Repo, commit: &ObjectId) -> Result<GitTreeSource, GitError> {
        let tree = repo.tree_of(commit).ok_or_else(|| {
            GitError::Parse(format!("the AIMS folder does not exist at {commit}"))
        })?;
        GitTreeSource::from_tree(Arc::new(Store::open(repo)?), &tree)
    }

    /// The tree `tree` (the AIMS folder at some commit) read through `store`; every blob is
    /// fetched at once (those already read for another version are not read again).
    pub fn from_tree(store: Arc<Store>, tree: &ObjectId) -> Result<GitTreeSource, GitError> {
        let files = store.files(tree)?;
        let ids: Vec<ObjectId> = files.values().cloned().collect();
        store.prefetch(&ids)?;
        Ok(GitTreeSource { files, store })
    }

    /// The blob id of a file, by path relative to the AIMS root.
    pub fn blob(&self, rel: &Path) -> Option<&ObjectId> {
        self.files.get(rel)
    }

    /// Every file with its blob id.
    pub fn blobs(&self) -> &BTreeMap<PathBuf, ObjectId> {
        &self.files
    }
}

impl Source for GitTreeSource {
    /// Git stores a symbolic link as a blob holding its target: such entries are not files
    /// here (see `Store::files`), so nothing a link points at is ever read.
    fn files(&self, filter: &PathFilter, _diags: &mut Vec<Diagnostic>) -> Listing {
        let files = self
            .files
            .keys()
            .filter(|p| {
                // A path is kept when neither it nor any of its folders is skipped.
                let mut a = Some(p.as_path());
                while let Some(x) = a {
                    if x.as_os_str().is_empty() {
                        break;
                    }
                    if filter.skips(x) {
                        return false;
                    }
                    a = x.parent();
                }
                true
            })
            .cloned()
            .collect();
        Listing {
            files,
            outside: Vec::new(),
        }
    }

    fn read(&self, rel: &Path) -> io::Result<Vec<u8>> {
        let Some(id) = self.files.get(rel) else {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("{} is not in this version", rel.display()),
            ));
        };
        match self.store.blob(id) {
            Ok(Some(bytes)) => Ok(bytes.to_vec()),
            Ok(None) => Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("object {id} is missing from the repository"),
            )),
            Err(e) => Err(io::Error::other(e.to_string())),
        }
    }

    fn exists(&self, rel: &Path) -> bool {
        self.files.contains_key(rel)
    }
}
