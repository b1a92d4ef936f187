//! The output stage: build into a staging folder beside the target, write the manifest,
//! then swap it in. A failed or interrupted build leaves the previous output untouched, and
//! nothing outside the output folder (and its staging sibling and lock file) is ever written
//! or deleted. One build per output folder at a time ([`lock`]); files of the previous
//! output are reused only as verified in this build (`output/reuse.rs`); staging folders of killed
//! builds are removed by the next one ([`stale`]); an interrupt removes the staging folder of
//! every build in progress ([`abort_cleanup`], `output/interrupt.rs`).

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

pub use crate::sink::NullSink;
use crate::sink::Sink;

mod interrupt;
pub mod lock;
mod manifest;
mod prefixed;
mod reuse;
pub mod stale;
mod stream;

pub use interrupt::abort_cleanup;
pub use manifest::{sha256_hex, FileRecord, Manifest, ManifestEntry, Written};
pub use prefixed::Prefixed;

/// The file that marks a folder as aimsdoc output (safe to replace).
pub const MARKER: &str = ".aimsdoc-output";
/// The manifest listing every file written with its SHA-256.
pub const MANIFEST: &str = "manifest.json";

/// Why an output folder is refused.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output folder is the AIMS root or contains it.
    #[error("refusing to write into {out}: it {why} the AIMS folder {root}; choose another folder with -o")]
    ContainsSource {
        /// Output.
        out: PathBuf,
        /// Root.
        root: PathBuf,
        /// "is" / "contains".
        why: &'static str,
    },
    /// Not empty and not made by aimsdoc.
    #[error("refusing to replace {0}: it is not empty and was not made by aimsdoc (no {MARKER} file); choose an empty or new folder with -o")]
    Foreign(PathBuf),
    /// Exists and is not a folder.
    #[error("refusing to replace {0}: it is not a folder")]
    NotADir(PathBuf),
    /// Another build of the same output folder holds its lock (and `--no-wait` was given).
    #[error("another aimsdoc build of {} is running{}; try again when it has finished, or leave out --no-wait to wait for it", .out.display(), .holder.map(|p| format!(" (process {p})")).unwrap_or_default())]
    Busy {
        /// The output folder.
        out: PathBuf,
        /// The process holding the lock, when known.
        holder: Option<u32>,
    },
    /// File system failure.
    #[error("{0}: {1}")]
    Io(PathBuf, io::Error),
}

/// An absolute, normalised path (symlinks of existing ancestors resolved).
pub fn absolute(p: &Path) -> io::Result<PathBuf> {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()?.join(p)
    };
    // Canonicalise the longest existing ancestor, then append the rest.
    let mut existing = abs.clone();
    let mut rest: Vec<std::ffi::OsString> = Vec::new();
    loop {
        if let Ok(c) = existing.canonicalize() {
            let mut out = c;
            for r in rest.iter().rev() {
                out.push(r);
            }
            return Ok(normalise(&out));
        }
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => return Ok(normalise(&abs)),
        }
    }
}

fn normalise(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Checks that `out` may be (re)written for the AIMS at `root`.
pub fn check_target(root: &Path, out: &Path) -> Result<(), OutputError> {
    let io_err = |p: &Path, e| OutputError::Io(p.to_path_buf(), e);
    let root_abs = absolute(root).map_err(|e| io_err(root, e))?;
    let out_abs = absolute(out).map_err(|e| io_err(out, e))?;
    if out_abs == root_abs || root_abs.starts_with(&out_abs) {
        return Err(OutputError::ContainsSource {
            out: out.to_path_buf(),
            root: root.to_path_buf(),
            why: if out_abs == root_abs {
                "is"
            } else {
                "contains"
            },
        });
    }
    match std::fs::symlink_metadata(out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err(out, e)),
        Ok(m) if !m.is_dir() => Err(OutputError::NotADir(out.to_path_buf())),
        Ok(_) => {
            let mut entries = std::fs::read_dir(out).map_err(|e| io_err(out, e))?;
            if entries.next().is_none() || out.join(MARKER).is_file() {
                Ok(())
            } else {
                Err(OutputError::Foreign(out.to_path_buf()))
            }
        }
    }
}

/// A staging folder that becomes the output on [`Staging::commit`].
pub struct Staging {
    target: PathBuf,
    tmp: PathBuf,
    /// The previous output (when it is aimsdoc's): unchanged files are linked, not rewritten.
    previous: Option<PathBuf>,
    /// Files whose bytes equal the previous output's, with the identity of the file compared;
    /// linked in at commit, if needed at all.
    unchanged: Mutex<Vec<(String, reuse::FileId)>>,
    /// How many files differ from the previous output.
    changed: std::sync::atomic::AtomicUsize,
    /// Folders already created in the staging folder.
    dirs: Mutex<std::collections::HashSet<PathBuf>>,
    written: Written,
    /// Folders carried over unchanged from the previous output at commit (see
    /// [`Sink::adopt`]).
    adopted: Mutex<Vec<String>>,
    /// The previous output's manifest entries, read once on the first adoption.
    previous_manifest: std::sync::OnceLock<BTreeMap<String, FileRecord>>,
    /// This build as the interrupt handler sees it, and the registry it is listed in.
    build: std::sync::Arc<interrupt::Build>,
    registry: &'static interrupt::Registry,
    committed: bool,
}

fn sibling(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    target.with_file_name(format!(".{name}.aimsdoc-{tag}-{}", std::process::id()))
}

impl Staging {
    /// Creates the staging folder beside `target` (after [`check_target`]).
    pub fn new(target: &Path) -> Result<Staging, OutputError> {
        Staging::with_registry(target, &interrupt::LIVE)
    }

    /// [`Staging::new`], listed for interrupts in `registry`.
    fn with_registry(
        target: &Path,
        registry: &'static interrupt::Registry,
    ) -> Result<Staging, OutputError> {
        let target = absolute(target).map_err(|e| OutputError::Io(target.to_path_buf(), e))?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| OutputError::Io(parent.to_path_buf(), e))?;
        }
        let tmp = sibling(&target, "tmp");
        if tmp.exists() {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        // Registered before it exists, so an interrupt at any point removes it.
        let build = registry.register(tmp.clone());
        if let Err(e) = std::fs::create_dir(&tmp) {
            registry.deregister(&build);
            return Err(OutputError::Io(tmp, e));
        }
        let previous = target.join(MARKER).is_file().then(|| target.clone());
        Ok(Staging {
            target,
            tmp,
            previous,
            unchanged: Mutex::new(Vec::new()),
            changed: std::sync::atomic::AtomicUsize::new(0),
            dirs: Mutex::new(std::collections::HashSet::new()),
            written: Written::default(),
            adopted: Mutex::new(Vec::new()),
            previous_manifest: std::sync::OnceLock::new(),
            build,
            registry,
            committed: false,
        })
    }

    /// The staging folder itself (where the files of this build are being written).
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Writes the marker and manifest, then replaces the target with the staging folder.
    /// Returns the number of files written.
    pub fn commit(mut self) -> Result<usize, OutputError> {
        let io_err = |p: &Path, e| OutputError::Io(p.to_path_buf(), e);
        self.put(
            MARKER,
            b"This folder is written by aimsdoc and replaced on every build.\n",
        )
        .map_err(|e| io_err(&self.tmp, e))?;
        let written = self.written.take();
        let json = Manifest::of(&written).to_json();
        let count = written.len() + 1;

        // Nothing differs from the previous output: keep it as it is.
        if self.changed.load(std::sync::atomic::Ordering::SeqCst) == 0 {
            if let Some(prev) = &self.previous {
                let same_manifest = std::fs::read(prev.join(MANIFEST)).is_ok_and(|b| b == json);
                let adopted = self
                    .adopted
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .clone();
                if same_manifest && reuse::same_file_set(prev, written.keys(), &adopted) {
                    // The previous output is this build's output, in place already.
                    self.committed = true;
                    self.registry.publish(&self.build);
                    let _ = std::fs::remove_dir_all(&self.tmp);
                    return Ok(count);
                }
            }
        }
        self.link_unchanged_files(&written)
            .map_err(|e| io_err(&self.tmp, e))?;
        std::fs::write(self.tmp.join(MANIFEST), json).map_err(|e| io_err(&self.tmp, e))?;

        let _swap = self.registry.swap();
        if self.build.aborted() {
            return Err(io_err(
                &self.target,
                io::Error::new(io::ErrorKind::Interrupted, "build interrupted"),
            ));
        }
        // Adopted folders move from the previous output into the new one (one rename each);
        // on any failure they move back, so the previous output stays whole.
        let adopted = std::mem::take(&mut *self.adopted.lock().unwrap_or_else(|e| e.into_inner()));
        let mut moved: Vec<&String> = Vec::new();
        let undo = |moved: &[&String]| {
            for d in moved {
                let _ = std::fs::rename(self.tmp.join(d.as_str()), self.target.join(d.as_str()));
            }
        };
        for d in &adopted {
            let to = self.tmp.join(d);
            let res = to
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::rename(self.target.join(d), &to));
            if let Err(e) = res {
                undo(&moved);
                return Err(io_err(&self.target.join(d), e));
            }
            moved.push(d);
        }
        let old = sibling(&self.target, "old");
        let had_old = self.target.exists();
        if had_old {
            if let Err(e) = std::fs::rename(&self.target, &old) {
                undo(&moved);
                return Err(io_err(&self.target, e));
            }
        }
        if let Err(e) = std::fs::rename(&self.tmp, &self.target) {
            if had_old {
                let _ = std::fs::rename(&old, &self.target);
            }
            undo(&moved);
            return Err(io_err(&self.target, e));
        }
        self.committed = true;
        self.registry.publish(&self.build);
        drop(_swap);
        if had_old {
            remove_tree(&old);
        }
        Ok(count)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
            self.registry.deregister(&self.build);
        }
    }
}

/// Removes a folder tree, deleting files in parallel (large outputs have many files).
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.into_path())
        .collect();
    files.par_iter().for_each(|f| {
        let _ = std::fs::remove_file(f);
    });
    let _ = std::fs::remove_dir_all(dir);
}

impl Staging {
    /// Creates `dir` (and its parents) in the staging folder once.
    fn ensure_dir(&self, dir: &Path) -> io::Result<()> {
        let mut dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
        if !dirs.contains(dir) {
            std::fs::create_dir_all(dir)?;
            dirs.insert(dir.to_path_buf());
        }
        Ok(())
    }

    /// Hard-links every unchanged file of the previous output into the staging folder (a
    /// copy where linking is not possible), each checked to be what this build produced (see
    /// `output/reuse.rs`). The previous output itself is not modified.
    fn link_unchanged_files(&self, written: &BTreeMap<String, FileRecord>) -> io::Result<()> {
        use rayon::prelude::*;
        let Some(prev) = &self.previous else {
            return Ok(());
        };
        let paths = std::mem::take(&mut *self.unchanged.lock().unwrap_or_else(|e| e.into_inner()));
        paths.par_iter().try_for_each(|(p, id)| {
            let (old, new) = (prev.join(p), self.tmp.join(p));
            if let Some(parent) = new.parent() {
                self.ensure_dir(parent)?;
            }
            let record = written
                .get(p)
                .ok_or_else(|| io::Error::other(format!("{p} was not recorded by this build")))?;
            reuse::link_verified(&old, &new, id, record)
        })
    }
}

impl Sink for Staging {
    fn keeps_records(&self) -> bool {
        true
    }

    fn record_of(&self, path: &str) -> Option<FileRecord> {
        self.written.get(path)
    }

    fn adopt(&self, dir: &str) -> bool {
        let rel = Path::new(dir);
        if dir.is_empty()
            || rel.is_absolute()
            || rel.components().any(|c| !matches!(c, Component::Normal(_)))
        {
            return false;
        }
        let Some(prev) = &self.previous else {
            return false;
        };
        if !prev.join(rel).is_dir() || self.tmp.join(rel).exists() {
            return false;
        }
        let manifest = self
            .previous_manifest
            .get_or_init(|| self.read_previous_manifest());
        let prefix = format!("{}/", dir.trim_end_matches('/'));
        let entries: Vec<(String, FileRecord)> = manifest
            .range(prefix.clone()..)
            .take_while(|(p, _)| p.starts_with(&prefix))
            .map(|(p, v)| (p.clone(), v.clone()))
            .collect();
        if entries.is_empty() {
            return false;
        }
        self.written.extend(entries);
        self.adopted
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(dir.trim_end_matches('/').to_string());
        true
    }

    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let rel = Path::new(path);
        if rel.is_absolute() || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("output path {path} leaves the output folder"),
            ));
        }
        if self.build.aborted() {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "build interrupted",
            ));
        }
        let same = self
            .previous
            .as_ref()
            .and_then(|prev| reuse::same_bytes(&prev.join(rel), bytes));
        if let Some(id) = same {
            self.unchanged
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((path.to_string(), id));
        } else {
            let full = self.tmp.join(rel);
            if let Some(parent) = full.parent() {
                self.ensure_dir(parent)?;
            }
            std::fs::write(&full, bytes)?;
            self.changed
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        self.written.record(path, bytes);
        Ok(())
    }

    /// Streams the parts to the file, hashing them and comparing them with the previous
    /// output's file as they come (`output/stream.rs`): a file with every byte the same is
    /// not written but linked at commit, like any unchanged file; one that differs counts as
    /// a change.
    fn put_parts(&self, path: &str, parts: &mut dyn Iterator<Item = Vec<u8>>) -> io::Result<()> {
        let full = self.prepare(path)?;
        let old = self.previous.as_ref().map(|p| p.join(path));
        let s = stream::write_parts(old.as_deref(), &full, parts)?;
        match s.same {
            Some(id) => self
                .unchanged
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((path.to_string(), id)),
            None => {
                self.changed
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        }
        self.written.record_hashed(path, s.hash, s.len);
        Ok(())
    }
}

impl Staging {
    /// The checked staging path of a site-relative output path, with its folder created.
    fn prepare(&self, path: &str) -> io::Result<PathBuf> {
        if self.build.aborted() {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "build interrupted",
            ));
        }
        let rel = Path::new(path);
        if rel.is_absolute() || rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("output path {path} leaves the output folder"),
            ));
        }
        let full = self.tmp.join(rel);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        Ok(full)
    }
}

impl Staging {
    fn read_previous_manifest(&self) -> BTreeMap<String, FileRecord> {
        self.previous
            .as_ref()
            .and_then(|prev| Manifest::read(&prev.join(MANIFEST)))
            .map(Manifest::into_records)
            .unwrap_or_default()
    }
}
