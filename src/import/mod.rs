//! `aimsdoc import`: converting a policy repository kept in another tool's format into an
//! AIMS folder. Each format is a module ([`comply`]); this module holds what they share: the
//! files an import plans, the refusal of a destination that is not empty, and writing the
//! plan out without ever replacing a file.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;

pub mod comply;

/// Why an import did not start or could not write its result.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The source folder does not exist or is not a folder.
    #[error("{0} is not a folder")]
    NoSource(PathBuf),
    /// The destination has files in it (or is a file).
    #[error("{0} is not empty; `aimsdoc import` only writes into an empty or new folder")]
    NotEmpty(PathBuf),
    /// File system failure.
    #[error("{0}: {1}")]
    Io(PathBuf, io::Error),
}

/// One source file the import converted, and what it became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    /// The source file, relative to the source folder.
    pub source: PathBuf,
    /// The file written, relative to the destination.
    pub dest: PathBuf,
    /// What it became, e.g. `policy AOTP` or `framework tsc (48 entries)`.
    pub what: String,
}

/// The outcome of an import: what was converted, every problem found (at its place in the
/// source folder), and the files to write, by path relative to the destination.
#[derive(Debug, Default)]
pub struct Plan {
    /// Converted source files, in the order they were read.
    pub converted: Vec<Converted>,
    /// Problems, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Files to write (relative path → bytes).
    pub files: BTreeMap<PathBuf, Vec<u8>>,
}

/// Refuses a destination that exists and is not an empty folder.
pub fn check_destination(dest: &Path) -> Result<(), ImportError> {
    match std::fs::symlink_metadata(dest) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(ImportError::Io(dest.to_path_buf(), e)),
        Ok(m) if !m.is_dir() => Err(ImportError::NotEmpty(dest.to_path_buf())),
        Ok(_) => {
            let mut entries =
                std::fs::read_dir(dest).map_err(|e| ImportError::Io(dest.to_path_buf(), e))?;
            if entries.next().is_some() {
                Err(ImportError::NotEmpty(dest.to_path_buf()))
            } else {
                Ok(())
            }
        }
    }
}

/// Writes `files` below `dest` (created if absent). Every file is created new: a file that
/// appeared in the meantime is an error, never replaced.
pub fn write_files(dest: &Path, files: &BTreeMap<PathBuf, Vec<u8>>) -> Result<(), ImportError> {
    let io_err = |p: &Path, e| ImportError::Io(p.to_path_buf(), e);
    std::fs::create_dir_all(dest).map_err(|e| io_err(dest, e))?;
    for (rel, bytes) in files {
        let path = dest.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_err(parent, e))?;
        }
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| io_err(&path, e))?;
        f.write_all(bytes).map_err(|e| io_err(&path, e))?;
    }
    Ok(())
}
