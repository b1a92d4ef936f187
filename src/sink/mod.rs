//! Where rendered files go: the [`Sink`] contract that render writes through, and the sinks
//! that are not the output folder: the [`NullSink`] of `aimsdoc check` and the
//! [`MemorySink`] of `serve`. The output stage has the others: its staging folder on disk
//! (`crate::output::Staging`) and the prefixed sink that writes one version of the manual
//! into `v/<tag>/` with its own manifest (`crate::output::Prefixed`). The contract sits below both render and output so that neither imports
//! the other.

use std::io;

mod memory;

pub use memory::MemorySink;

/// What is known of one written file: its SHA-256 and size (one entry of `manifest.json`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRecord {
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

/// Receives output files; implementations write to disk or keep them in memory.
pub trait Sink: Sync {
    /// Stores one file at a site-relative path (`/`-separated).
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()>;

    /// Stores one file given as consecutive parts, so a very large file (the search index,
    /// `print.html` of 10,000 documents) never has to be held in memory whole. The default
    /// joins the parts and calls [`Sink::put`].
    fn put_parts(&self, path: &str, parts: &mut dyn Iterator<Item = Vec<u8>>) -> io::Result<()> {
        let mut all = Vec::new();
        for p in parts {
            all.extend_from_slice(&p);
        }
        self.put(path, &all)
    }

    /// Carries the folder `dir` (site-relative) over unchanged from the previous output
    /// instead of writing it again. Returns `false` when that is not possible (no previous
    /// output, no such folder); the caller then writes the folder's files.
    fn adopt(&self, dir: &str) -> bool {
        let _ = dir;
        false
    }

    /// Whether this sink records the SHA-256 and size of every file it is given (see
    /// [`Sink::record_of`]), so that a sink writing through it need not hash them again.
    fn keeps_records(&self) -> bool {
        false
    }

    /// The SHA-256 and size recorded for the file at `path`, when this sink keeps records.
    fn record_of(&self, path: &str) -> Option<FileRecord> {
        let _ = path;
        None
    }
}

/// A sink that only counts (for `aimsdoc check`).
#[derive(Default)]
pub struct NullSink;

impl Sink for NullSink {
    fn put(&self, _path: &str, _bytes: &[u8]) -> io::Result<()> {
        Ok(())
    }

    /// Nothing is written, so the parts are not even produced.
    fn put_parts(&self, _path: &str, _parts: &mut dyn Iterator<Item = Vec<u8>>) -> io::Result<()> {
        Ok(())
    }
}
