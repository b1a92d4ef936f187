//! One build per output folder at a time: an exclusive lock on `.OUT.aimsdoc-lock` in OUT's
//! parent (never inside the published folder), held from before the previous output is read
//! until the new one is in place. A second build of the same OUT waits for it, or fails at
//! once with `--no-wait`. The lock is released when the process ends, however it ends.
//!
//! This uses the standard library's `File::lock`/`File::try_lock` (stable since Rust 1.89,
//! which is why `rust-version` is 1.89): an advisory lock of the whole file (`flock` on Unix,
//! `LockFileEx` on Windows), so no crate is needed for it.
//!
//! On Unix the lock file is removed when the lock is released, so no file stays beside OUT.
//! A build that waited on a file its holder removed finds that out (the path no longer names
//! the file it locked) and locks the file now at that path instead, so two builds never both
//! hold "the" lock. Elsewhere the file stays (it is empty and harmless).

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::{absolute, OutputError};

/// The lock files held by this process (one per output folder being built), removed by the
/// interrupt handler before it exits.
static HELD: Held = Held::new();

/// Lock files held, each listed from its acquisition until its lock is dropped.
struct Held(Mutex<Vec<PathBuf>>);

impl Held {
    const fn new() -> Held {
        Held(Mutex::new(Vec::new()))
    }

    fn list(&self) -> std::sync::MutexGuard<'_, Vec<PathBuf>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn add(&self, path: &Path) {
        self.list().push(path.to_path_buf());
    }

    fn forget(&self, path: &Path) {
        let mut list = self.list();
        if let Some(i) = list.iter().position(|p| p == path) {
            list.remove(i);
        }
    }

    /// Removes every lock file listed (Unix; elsewhere they stay, empty and harmless).
    fn remove_all(&self) {
        for p in std::mem::take(&mut *self.list()) {
            if cfg!(unix) {
                let _ = std::fs::remove_file(p);
            }
        }
    }
}

/// The lock file of the output folder `out` (absolute): `.NAME.aimsdoc-lock` beside it.
pub fn lock_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    out.with_file_name(format!(".{name}.aimsdoc-lock"))
}

/// The exclusive right to write one output folder, until dropped.
#[derive(Debug)]
pub struct OutputLock {
    file: File,
    path: PathBuf,
}

impl OutputLock {
    /// Takes the lock of the output folder `out` (creating its parent folder if needed). When
    /// another build holds it: with `wait`, calls `on_wait` once and blocks until it is free;
    /// without, fails at once with [`OutputError::Busy`].
    pub fn acquire(
        out: &Path,
        wait: bool,
        on_wait: impl FnOnce(),
    ) -> Result<OutputLock, OutputError> {
        let io_err = |p: &Path, e| OutputError::Io(p.to_path_buf(), e);
        let target = absolute(out).map_err(|e| io_err(out, e))?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io_err(parent, e))?;
        }
        let path = lock_path(&target);
        let mut on_wait = Some(on_wait);
        loop {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| io_err(&path, e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => {
                    if !wait {
                        return Err(OutputError::Busy {
                            out: out.to_path_buf(),
                            holder: holder_of(&mut file),
                        });
                    }
                    if let Some(f) = on_wait.take() {
                        f();
                    }
                    file.lock().map_err(|e| io_err(&path, e))?;
                }
                Err(TryLockError::Error(e)) => return Err(io_err(&path, e)),
            }
            if still_at(&file, &path) {
                // The holder's process id, for the message of a build that finds it busy.
                let _ = file
                    .set_len(0)
                    .and_then(|()| file.write_all(std::process::id().to_string().as_bytes()));
                HELD.add(&path);
                return Ok(OutputLock { file, path });
            }
            // The previous holder removed the file on release: lock the one there now.
        }
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        HELD.forget(&self.path);
        // Removed while still held (see the module doc); the lock goes with the handle.
        if cfg!(unix) {
            let _ = std::fs::remove_file(&self.path);
        }
        let _ = self.file.unlock();
    }
}

/// Removes the lock files of this process (the interrupt handler, just before it exits; the
/// locks themselves end with the process).
pub fn remove_held() {
    HELD.remove_all();
}

/// The process id the holder wrote into the lock file, if it can be read.
fn holder_of(file: &mut File) -> Option<u32> {
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    text.trim().parse().ok()
}

/// Whether `path` still names the open `file` (Unix; elsewhere the file is never removed).
#[cfg(unix)]
fn still_at(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt as _;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_at(_file: &File, _path: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lock_file_held_is_removed_on_interrupt() {
        let held = Held::new();
        let tmp = tempfile::tempdir().expect("tempdir");
        let (a, b) = (
            tmp.path().join(".a.aimsdoc-lock"),
            tmp.path().join(".b.aimsdoc-lock"),
        );
        for p in [&a, &b] {
            std::fs::write(p, b"1").expect("write");
            held.add(p);
        }
        held.forget(&a);
        held.add(&a);
        held.remove_all();
        if cfg!(unix) {
            assert!(!a.exists() && !b.exists(), "both lock files are removed");
        }
        assert!(held.list().is_empty());
    }

    #[test]
    fn the_lock_file_sits_beside_the_output() {
        assert_eq!(
            lock_path(Path::new("/srv/www/site")),
            PathBuf::from("/srv/www/.site.aimsdoc-lock")
        );
    }

    #[test]
    fn a_second_holder_is_refused_or_waits_and_the_file_goes_with_the_lock() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("site");
        let first = OutputLock::acquire(&out, false, || {}).expect("first lock");
        assert!(first.path().is_file());
        match OutputLock::acquire(&out, false, || {}) {
            Err(OutputError::Busy { holder, .. }) => {
                assert_eq!(holder, Some(std::process::id()));
            }
            other => panic!("expected Busy, got {other:?}"),
        }
        let path = first.path().to_path_buf();
        let waiter = std::thread::spawn({
            let out = out.clone();
            move || {
                let mut told = 0;
                let lock = OutputLock::acquire(&out, true, || told += 1);
                (lock.is_ok(), told)
            }
        });
        // The waiter is blocked (or about to be) until the first lock goes.
        std::thread::sleep(std::time::Duration::from_millis(50));
        drop(first);
        let (got, told) = waiter.join().expect("waiter");
        assert!(got);
        assert!(told <= 1);
        if cfg!(unix) {
            assert!(!path.exists(), "the lock file is removed on release");
        }
    }
}
