//! Ctrl-C (and SIGTERM, SIGHUP) during a build. Every [`Staging`](super::Staging) registers
//! itself in a process-wide [`Registry`] before its folder exists; the interrupt handler walks
//! the registry, stops every build still in progress and removes its staging folder. The state
//! is kept per build, so a second build in the same process is cleaned up like the first.
//!
//! A build whose output is already in place (published) has nothing left to undo: while the
//! last builds registered are all published, an interrupt lets the process finish. A published
//! build stays registered until the next build of the process registers, so an interrupt in
//! the moments after the swap never reports a complete build as interrupted.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// What the interrupt handler knows of one build.
#[derive(Debug)]
pub(super) struct Build {
    /// The staging folder.
    tmp: PathBuf,
    /// Set on interrupt: from then on no file is written into the staging folder, so render
    /// threads still running cannot re-create it while it is removed.
    aborted: AtomicBool,
    /// Set once the build's output is in place: an interrupt has nothing left to undo.
    published: AtomicBool,
}

impl Build {
    /// Whether the build was interrupted.
    pub(super) fn aborted(&self) -> bool {
        self.aborted.load(Ordering::SeqCst)
    }
}

/// The builds of a process, walked by the interrupt handler.
#[derive(Debug)]
pub(super) struct Registry {
    builds: Mutex<Vec<Arc<Build>>>,
    /// Held while a staging folder is swapped in, so an interrupt waits for the swap.
    swap: Mutex<()>,
}

/// The registry of this process's builds.
pub(super) static LIVE: Registry = Registry::new();

impl Registry {
    /// An empty registry.
    pub(super) const fn new() -> Registry {
        Registry {
            builds: Mutex::new(Vec::new()),
            swap: Mutex::new(()),
        }
    }

    fn builds(&self) -> MutexGuard<'_, Vec<Arc<Build>>> {
        self.builds.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Registers a build staging into `tmp` (before the folder is created, so an interrupt at
    /// any point removes it). Builds published earlier are forgotten: they are over.
    pub(super) fn register(&self, tmp: PathBuf) -> Arc<Build> {
        let build = Arc::new(Build {
            tmp,
            aborted: AtomicBool::new(false),
            published: AtomicBool::new(false),
        });
        let mut builds = self.builds();
        builds.retain(|b| !b.published.load(Ordering::SeqCst));
        builds.push(Arc::clone(&build));
        build
    }

    /// Forgets a build that ended without publishing (its staging folder is removed).
    pub(super) fn deregister(&self, build: &Arc<Build>) {
        self.builds().retain(|b| !Arc::ptr_eq(b, build));
    }

    /// Marks a build's output as in place.
    pub(super) fn publish(&self, build: &Build) {
        build.published.store(true, Ordering::SeqCst);
    }

    /// Holds off interrupts while a staging folder is swapped in.
    pub(super) fn swap(&self) -> MutexGuard<'_, ()> {
        self.swap.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stops every build in progress and removes its staging folder, and returns a guard
    /// that keeps any swap from starting. Returns `None` when every build registered has its
    /// output in place already (the caller then lets them finish).
    pub(super) fn abort_all(&self) -> Option<MutexGuard<'_, ()>> {
        let swap = self.swap();
        let builds = self.builds().clone();
        let running: Vec<&Arc<Build>> = builds
            .iter()
            .filter(|b| !b.published.load(Ordering::SeqCst))
            .collect();
        if running.is_empty() && !builds.is_empty() {
            return None;
        }
        for b in running {
            b.aborted.store(true, Ordering::SeqCst);
            remove_staging(&b.tmp);
        }
        Some(swap)
    }
}

/// Removes a staging folder. A write that had already passed the check may still land; retry
/// until it is gone.
fn remove_staging(p: &Path) {
    for _ in 0..50 {
        if std::fs::remove_dir_all(p).is_ok() || !p.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Called on Ctrl-C (and SIGTERM, SIGHUP): stops further writes of every build in progress,
/// waits for a swap in progress, removes their staging folders and the lock files, and
/// returns a guard that keeps any swap from starting: exit while holding it.
/// Returns `None` when the new output is already in place (the build is done but for
/// removing the previous output, or for reporting): the caller then lets it finish.
pub fn abort_cleanup() -> Option<MutexGuard<'static, ()>> {
    let swap = LIVE.abort_all()?;
    super::lock::remove_held();
    Some(swap)
}

#[cfg(test)]
mod tests {
    use super::super::Staging;
    use super::*;
    use crate::sink::Sink as _;

    #[test]
    fn every_build_of_a_process_is_cleaned_up_on_interrupt() {
        static REGISTRY: Registry = Registry::new();
        let tmp = tempfile::tempdir().expect("tempdir");
        let out = tmp.path().join("site");

        let first = Staging::with_registry(&out, &REGISTRY).expect("first staging");
        first.put("index.html", b"first").expect("put");
        first.commit().expect("first build");
        // The first output is in place: an interrupt now has nothing to undo.
        assert!(REGISTRY.abort_all().is_none());

        // A second build in the same process, interrupted while it renders.
        let second = Staging::with_registry(&out, &REGISTRY).expect("second staging");
        second.put("index.html", b"second").expect("put");
        let staged = second.path().to_path_buf();
        assert!(staged.is_dir());
        let guard = REGISTRY.abort_all();
        assert!(guard.is_some(), "the second build is interrupted");
        drop(guard);
        assert!(!staged.exists(), "its staging folder is removed");
        assert!(
            second.put("other.html", b"x").is_err(),
            "and nothing more is written"
        );
        assert!(second.commit().is_err());
        assert_eq!(
            std::fs::read(out.join("index.html")).expect("read"),
            b"first"
        );
        assert!(REGISTRY.builds().is_empty());
    }

    #[test]
    fn an_interrupt_removes_every_staging_folder_in_progress() {
        static REGISTRY: Registry = Registry::new();
        let tmp = tempfile::tempdir().expect("tempdir");
        let a = Staging::with_registry(&tmp.path().join("a"), &REGISTRY).expect("staging a");
        let b = Staging::with_registry(&tmp.path().join("b"), &REGISTRY).expect("staging b");
        let paths = [a.path().to_path_buf(), b.path().to_path_buf()];
        assert!(paths.iter().all(|p| p.is_dir()));
        assert!(REGISTRY.abort_all().is_some());
        assert!(paths.iter().all(|p| !p.exists()));
        drop((a, b));
        assert!(REGISTRY.builds().is_empty());
    }

    #[test]
    fn a_build_dropped_unpublished_is_forgotten() {
        static REGISTRY: Registry = Registry::new();
        let tmp = tempfile::tempdir().expect("tempdir");
        let staging = Staging::with_registry(&tmp.path().join("site"), &REGISTRY).expect("staging");
        let staged = staging.path().to_path_buf();
        assert_eq!(REGISTRY.builds().len(), 1);
        drop(staging);
        assert!(REGISTRY.builds().is_empty());
        assert!(!staged.exists());
        // Nothing registered: an interrupt stops the process (before any build began).
        assert!(REGISTRY.abort_all().is_some());
    }
}
