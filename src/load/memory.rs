//! An AIMS held in memory (relative path → bytes): the [`Source`] of unit tests and fuzz
//! targets, which load small manuals through the real stages without touching the disk.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use super::{Listing, PathFilter, Source};
use crate::diagnostics::Diagnostic;

/// Files held in memory.
#[derive(Debug, Default, Clone)]
pub struct MemorySource(BTreeMap<PathBuf, Vec<u8>>);

impl MemorySource {
    /// The files `(path, text)`.
    pub fn new<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> MemorySource {
        MemorySource(
            files
                .into_iter()
                .map(|(p, t)| (PathBuf::from(p), t.as_bytes().to_vec()))
                .collect(),
        )
    }

    /// Adds or replaces one file.
    pub fn insert(&mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) {
        self.0.insert(path.into(), bytes.into());
    }
}

impl From<BTreeMap<PathBuf, Vec<u8>>> for MemorySource {
    fn from(files: BTreeMap<PathBuf, Vec<u8>>) -> MemorySource {
        MemorySource(files)
    }
}

impl Source for MemorySource {
    fn files(&self, filter: &PathFilter, _: &mut Vec<Diagnostic>) -> Listing {
        Listing {
            files: self
                .0
                .keys()
                .filter(|p| !filter.skips(p))
                .cloned()
                .collect(),
            outside: Vec::new(),
        }
    }

    fn read(&self, rel: &Path) -> io::Result<Vec<u8>> {
        self.0
            .get(rel)
            .cloned()
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    }

    fn exists(&self, rel: &Path) -> bool {
        self.0.contains_key(rel)
    }
}
