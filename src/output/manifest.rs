//! `manifest.json`: every file of an output with its SHA-256 and size, recorded as the files
//! are written, and read back from a previous output.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// `manifest.json`: the one shape it is written in and read back as. Written from borrowed
/// records ([`Manifest::of`]), read into owned ones ([`Manifest::read`]).
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest<'a> {
    /// The aimsdoc that wrote it (`aimsdoc 0.1.0`); empty when absent.
    #[serde(default)]
    pub generator: Cow<'a, str>,
    /// Every file of the output but the manifest itself, by path.
    pub files: Vec<ManifestEntry<'a>>,
}

/// One file of a [`Manifest`].
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry<'a> {
    /// Site-relative path (`/`-separated).
    pub path: Cow<'a, str>,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: Cow<'a, str>,
    /// Size in bytes.
    pub bytes: u64,
}

impl<'a> Manifest<'a> {
    /// The manifest of `files`, written by this aimsdoc.
    pub fn of(files: &'a BTreeMap<String, FileRecord>) -> Manifest<'a> {
        Manifest {
            generator: Cow::Borrowed(concat!("aimsdoc ", env!("CARGO_PKG_VERSION"))),
            files: files
                .iter()
                .map(|(path, r)| ManifestEntry {
                    path: Cow::Borrowed(path),
                    sha256: Cow::Borrowed(&r.sha256),
                    bytes: r.size,
                })
                .collect(),
        }
    }

    /// The bytes of `manifest.json` (pretty-printed, ending in a newline).
    pub fn to_json(&self) -> Vec<u8> {
        let mut json = serde_json::to_vec_pretty(self).unwrap_or_default();
        json.push(b'\n');
        json
    }

    /// The records of every file listed, by path.
    pub fn into_records(self) -> BTreeMap<String, FileRecord> {
        self.files
            .into_iter()
            .map(|f| {
                let record = FileRecord {
                    sha256: f.sha256.into_owned(),
                    size: f.bytes,
                };
                (f.path.into_owned(), record)
            })
            .collect()
    }
}

impl Manifest<'static> {
    /// The `manifest.json` at `path`, or `None` when it cannot be read or is not one.
    pub fn read(path: &Path) -> Option<Manifest<'static>> {
        let text = std::fs::read(path).ok()?;
        serde_json::from_slice(&text).ok()
    }
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
        Manifest::of(&self.lock()).to_json()
    }
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_manifest_reads_back_as_written() {
        let mut files = BTreeMap::new();
        for (path, bytes) in [("index.html", &b"<p>x</p>"[..]), ("a b/\"q\".css", b"")] {
            let record = FileRecord {
                sha256: sha256_hex(bytes),
                size: bytes.len() as u64,
            };
            files.insert(path.to_string(), record);
        }
        let json = Manifest::of(&files).to_json();
        let text = String::from_utf8(json.clone()).expect("UTF-8");
        let expected = format!(
            "{{\n  \"generator\": \"aimsdoc {}\",\n  \"files\": [\n    {{\n      \"path\": \"a b/\\\"q\\\".css\",\n      \"sha256\": \"{}\",\n      \"bytes\": 0\n    }},\n    {{\n      \"path\": \"index.html\",\n      \"sha256\": \"{}\",\n      \"bytes\": 8\n    }}\n  ]\n}}\n",
            env!("CARGO_PKG_VERSION"),
            files["a b/\"q\".css"].sha256,
            files["index.html"].sha256,
        );
        assert_eq!(text, expected);
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("manifest.json");
        std::fs::write(&path, &json).expect("write");
        let read = Manifest::read(&path).expect("a manifest");
        assert_eq!(read, Manifest::of(&files));
        assert_eq!(read.into_records(), files);
        // Not a manifest, or none at all.
        std::fs::write(&path, b"{\"files\": 3}").expect("write");
        assert_eq!(Manifest::read(&path), None);
        assert_eq!(Manifest::read(&tmp.path().join("none.json")), None);
    }

    #[test]
    fn hashes_are_lowercase_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
