//! Reading git objects for every version through one `git cat-file --batch` process, with
//! caches: a blob or tree shared by several versions (most of them) is read once, and the
//! objects one step needs are asked for all at once.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::id::ObjectId;
use super::process::{CatFile, GitError, Repo};

/// The object reader and its caches.
pub struct Store {
    cat: Mutex<CatFile>,
    blobs: Mutex<HashMap<ObjectId, Arc<[u8]>>>,
    trees: Mutex<HashMap<ObjectId, Arc<Vec<TreeEntry>>>>,
}

/// One entry of a tree object.
#[derive(Debug, Clone)]
struct TreeEntry {
    mode: String,
    name: String,
    id: ObjectId,
}

/// Parses a raw tree object: entries of `<mode> <name>\0<binary id>`, each id `id_len`
/// bytes (20, or 32 in a SHA-256 repository).
fn parse_tree(bytes: &[u8], id_len: usize) -> Option<Vec<TreeEntry>> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let sp = rest.iter().position(|&b| b == b' ')?;
        let nul = rest.iter().position(|&b| b == 0)?;
        if nul < sp || rest.len() < nul + 1 + id_len {
            return None;
        }
        let mode = String::from_utf8_lossy(&rest[..sp]).into_owned();
        let name = String::from_utf8_lossy(&rest[sp + 1..nul]).into_owned();
        let id = ObjectId::from_bytes(&rest[nul + 1..nul + 1 + id_len])?;
        out.push(TreeEntry { mode, name, id });
        rest = &rest[nul + 1 + id_len..];
    }
    Some(out)
}

impl Store {
    /// Starts the reader in `repo`.
    pub fn open(repo: &Repo) -> Result<Store, GitError> {
        Ok(Store::with(CatFile::start(&repo.top)?))
    }

    /// A store around a running reader.
    pub fn with(cat: CatFile) -> Store {
        Store {
            cat: Mutex::new(cat),
            blobs: Mutex::new(HashMap::new()),
            trees: Mutex::new(HashMap::new()),
        }
    }

    /// Runs `f` with the reader.
    pub fn with_reader<T>(&self, f: impl FnOnce(&mut CatFile) -> T) -> T {
        f(&mut self.cat.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Reads every object of `ids` not in `cache` in one round trip.
    fn fetch<T>(
        &self,
        ids: &[ObjectId],
        cache: &Mutex<HashMap<ObjectId, T>>,
        make: impl Fn(Vec<u8>) -> Option<T>,
    ) -> Result<(), GitError> {
        let missing: Vec<ObjectId> = {
            let c = cache.lock().unwrap_or_else(|e| e.into_inner());
            let mut m: Vec<ObjectId> = ids
                .iter()
                .filter(|i| !c.contains_key(*i))
                .cloned()
                .collect();
            m.sort();
            m.dedup();
            m
        };
        if missing.is_empty() {
            return Ok(());
        }
        let got = self.with_reader(|r| r.read_many(&missing))?;
        let mut c = cache.lock().unwrap_or_else(|e| e.into_inner());
        for (id, bytes) in missing.into_iter().zip(got) {
            if let Some(v) = bytes.and_then(&make) {
                c.insert(id, v);
            }
        }
        Ok(())
    }

    /// Reads (and keeps) the blobs `ids` in one round trip.
    pub fn prefetch(&self, ids: &[ObjectId]) -> Result<(), GitError> {
        self.fetch(ids, &self.blobs, |b| Some(Arc::from(b)))
    }

    /// One blob's bytes (`None` when missing).
    pub fn blob(&self, id: &ObjectId) -> Result<Option<Arc<[u8]>>, GitError> {
        if let Some(b) = self.blobs.lock().unwrap_or_else(|e| e.into_inner()).get(id) {
            return Ok(Some(b.clone()));
        }
        self.prefetch(std::slice::from_ref(id))?;
        Ok(self
            .blobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(id)
            .cloned())
    }

    /// Every regular file below the tree `root`, by relative path, with its blob id (symbolic
    /// links and submodules are not documents). Subtrees are read a level at a time, and only
    /// those not read before.
    pub fn files(&self, root: &ObjectId) -> Result<BTreeMap<PathBuf, ObjectId>, GitError> {
        let id_len = root.raw_len();
        let mut out = BTreeMap::new();
        let mut level: Vec<(PathBuf, ObjectId)> = vec![(PathBuf::new(), root.clone())];
        while !level.is_empty() {
            let ids: Vec<ObjectId> = level.iter().map(|(_, id)| id.clone()).collect();
            self.fetch(&ids, &self.trees, |b| parse_tree(&b, id_len).map(Arc::new))?;
            let trees = self.trees.lock().unwrap_or_else(|e| e.into_inner());
            let mut next = Vec::new();
            for (dir, id) in &level {
                let entries = trees
                    .get(id)
                    .ok_or_else(|| GitError::Parse(format!("tree {id} cannot be read")))?;
                for e in entries.iter() {
                    let path = dir.join(&e.name);
                    match e.mode.as_str() {
                        "40000" | "040000" => next.push((path, e.id.clone())),
                        "100644" | "100755" | "100664" => {
                            out.insert(path, e.id.clone());
                        }
                        _ => {}
                    }
                }
            }
            level = next;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trees_parse() {
        let mut raw = b"100644 a.md\0".to_vec();
        raw.extend([0xab; 20]);
        raw.extend(b"40000 sub\0");
        raw.extend([0x01; 20]);
        let t = parse_tree(&raw, 20).unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].name, "a.md");
        assert_eq!(t[0].id.as_str(), "ab".repeat(20));
        assert_eq!(t[1].mode, "40000");
        assert_eq!(t[1].id.as_str(), "01".repeat(20));
        assert!(parse_tree(b"100644 x", 20).is_none());
        // SHA-256 repositories: 32-byte ids.
        let mut raw = b"100644 a.md\0".to_vec();
        raw.extend([0xcd; 32]);
        let t = parse_tree(&raw, 32).unwrap();
        assert_eq!(t[0].id.as_str(), "cd".repeat(32));
    }
}
