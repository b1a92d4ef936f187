//! `manifest.json`: every file of an output with its SHA-256 and size, recorded as the files
//! are written, and read back from a previous output.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use serde::Serialize;
use sha2::{Digest, Sha256};

#[derive(Serialize)]
struct ManifestEntry<'a> {
    path: &'a str,
    sha256: &'a str,
    bytes: u64,
}

#[derive(Serialize)]
struct Manifest<'a> {
    generator: &'static str,
    files: Vec<ManifestEntry<'a>>,
}

pub use crate::sink::FileRecord;

/// The files a sink has written, by site-relative path: the content of a `manifest.json`.
#[derive(Debug, Default)]
pub struct Written(Mutex<BTreeMap<String, FileRecord>>);

impl Written {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, FileRecord>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a file written whole.
    pub fn record(&self, path: &str, bytes: &[u8]) {
        // Hashed before the lock is taken: other threads record at the same time.
        let record = FileRecord {
            sha256: sha256_hex(bytes),
            size: bytes.len() as u64,
        };
        self.lock().insert(path.to_string(), record);
    }

    /// Records a file written in parts, from the hash of all its parts and its size.
    pub fn record_hashed(&self, path: &str, hash: Sha256, len: u64) {
        let record = FileRecord {
            sha256: hex::encode(hash.finalize()),
            size: len,
        };
        self.lock().insert(path.to_string(), record);
    }

    /// Records a file whose record is known.
    pub fn insert(&self, path: &str, record: FileRecord) {
        self.lock().insert(path.to_string(), record);
    }

    /// The record of one file.
    pub fn get(&self, path: &str) -> Option<FileRecord> {
        self.lock().get(path).cloned()
    }

    /// Records files carried over with their known records.
    pub fn extend(&self, entries: impl IntoIterator<Item = (String, FileRecord)>) {
        self.lock().extend(entries);
    }

    /// Everything recorded, leaving it empty.
    pub fn take(&self) -> BTreeMap<String, FileRecord> {
        std::mem::take(&mut *self.lock())
    }

    /// `manifest.json` of everything recorded so far.
    pub fn manifest_json(&self) -> Vec<u8> {
        manifest_json(&self.lock())
    }
}

/// `manifest.json` listing `files` with their SHA-256 and size.
pub fn manifest_json(files: &BTreeMap<String, FileRecord>) -> Vec<u8> {
    let manifest = Manifest {
        generator: concat!("aimsdoc ", env!("CARGO_PKG_VERSION")),
        files: files
            .iter()
            .map(|(p, r)| ManifestEntry {
                path: p,
                sha256: &r.sha256,
                bytes: r.size,
            })
            .collect(),
    };
    let mut json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    json.push(b'\n');
    json
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The entries of the `manifest.json` at `path` (empty when it cannot be read).
pub fn read(path: &Path) -> BTreeMap<String, FileRecord> {
    let Ok(text) = std::fs::read(path) else {
        return BTreeMap::new();
    };
    #[derive(serde::Deserialize)]
    struct Entry {
        path: String,
        sha256: String,
        bytes: u64,
    }
    #[derive(serde::Deserialize)]
    struct Files {
        files: Vec<Entry>,
    }
    let Ok(m) = serde_json::from_slice::<Files>(&text) else {
        return BTreeMap::new();
    };
    m.files
        .into_iter()
        .map(|f| {
            let record = FileRecord {
                sha256: f.sha256,
                size: f.bytes,
            };
            (f.path, record)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
