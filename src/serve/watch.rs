//! Watching the AIMS root: notify with a short debounce, and the filter that turns file
//! system events into "dirty paths" (relative to the root), ignoring the output folder,
//! `.git`, hidden files and the temporary and swap files editors write while saving.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{
    new_debouncer_opt, DebounceEventResult, DebouncedEvent, RecommendedCache,
};

/// How long a path must be quiet before its events are delivered.
pub const DEBOUNCE: Duration = Duration::from_millis(30);

/// A batch this large is a bulk change (`git checkout`, a folder copied in): wait until the
/// tree is quiet for [`BULK_QUIET`] so that it becomes one rebuild.
pub const BULK_PATHS: usize = 16;
/// See [`BULK_PATHS`].
pub const BULK_QUIET: Duration = Duration::from_millis(150);
/// A batch of at least this many paths (more than one save touches) waits [`BURST_PEEK`] for
/// more; if more come, the change is treated as a bulk one.
pub const BURST_PATHS: usize = 4;
/// See [`BURST_PATHS`].
pub const BURST_PEEK: Duration = Duration::from_millis(12);

/// The running watcher; dropping it stops watching.
pub type Watcher = notify_debouncer_full::Debouncer<
    notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

/// Whether a file or folder name is an editor's temporary, backup or swap file, or other
/// junk that never affects the manual (`.swp`, `~` backups, JetBrains' `___jb_tmp___`, emacs
/// `#x#` and `.#x`, GNOME's `.goutputstream-*`, …). Vim's `4913` probe is a digits-only
/// *file* name: see [`is_vim_probe`].
pub fn is_junk_name(name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "~",
        ".swp",
        ".swx",
        ".swo",
        ".tmp",
        ".temp",
        ".bak",
        ".bck",
        ".orig",
        ".kate-swp",
        ".crswap",
        "___jb_tmp___",
        "___jb_old___",
        "___jb_bak___",
        ".part",
    ];
    let lower = name.to_ascii_lowercase();
    name.starts_with('.')
        || (name.starts_with('#') && name.ends_with('#'))
        || SUFFIXES.iter().any(|s| lower.ends_with(s))
        || lower.starts_with("~$")
}

/// Whether the last component is a digits-only file name such as vim's `4913` write probe
/// (folders may well be called `2026` or `000`, so a folder that exists is not a probe).
pub fn is_vim_probe(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        && !path.is_dir()
}

/// Decides which changed paths matter.
#[derive(Debug, Clone)]
pub struct Filter {
    /// The watched root, as notify reports paths under it.
    pub root: PathBuf,
    /// Folders relative to the root whose changes are ignored (the output folder).
    pub ignore_dirs: Vec<PathBuf>,
}

impl Filter {
    /// The path relative to the root when a change to it matters.
    pub fn relevant(&self, path: &Path) -> Option<PathBuf> {
        let rel = path.strip_prefix(&self.root).ok()?;
        if rel.as_os_str().is_empty() {
            return None;
        }
        if self.ignore_dirs.iter().any(|d| rel.starts_with(d)) {
            return None;
        }
        if is_vim_probe(path) {
            return None;
        }
        let mut out = PathBuf::new();
        for c in rel.components() {
            match c {
                Component::Normal(n) => {
                    let n = n.to_string_lossy();
                    if is_junk_name(&n) {
                        return None;
                    }
                    out.push(&*n);
                }
                _ => return None,
            }
        }
        Some(out)
    }

    /// The dirty paths of one debounced batch.
    pub fn dirty(&self, events: &[DebouncedEvent]) -> HashSet<PathBuf> {
        events
            .iter()
            .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
            .flat_map(|e| e.event.paths.iter())
            .filter_map(|p| self.relevant(p))
            .collect()
    }
}

/// Starts watching `filter.root` recursively. Each debounced batch with at least one
/// relevant path is sent on `tx`; errors from the watcher go to `errors`.
pub fn start(
    filter: Filter,
    tx: Sender<HashSet<PathBuf>>,
    errors: Sender<String>,
) -> Result<Watcher, notify::Error> {
    let root = filter.root.clone();
    let handler = move |res: DebounceEventResult| match res {
        Ok(events) => {
            let dirty = filter.dirty(&events);
            if !dirty.is_empty() {
                let _ = tx.send(dirty);
            }
        }
        Err(errs) => {
            for e in errs {
                let _ = errors.send(e.to_string());
            }
        }
    };
    // Symbolic links are not followed: a link to a folder outside the AIMS (`/etc`) must not
    // be walked and watched. A folder linked from inside the AIMS is watched at its real
    // path, and the rebuild notices its files' new modification times.
    let config = notify::Config::default().with_follow_symlinks(false);
    let mut debouncer = new_debouncer_opt::<_, notify::RecommendedWatcher, _>(
        DEBOUNCE,
        None,
        handler,
        RecommendedCache::new(),
        config,
    )?;
    debouncer.watch(&root, RecursiveMode::Recursive)?;
    Ok(debouncer)
}

/// Waits for the next change and gathers everything that arrives with it: batches already
/// queued and, when the change is a bulk one, batches until the tree is quiet. `None` when
/// the watcher is gone.
pub fn next_change(rx: &Receiver<HashSet<PathBuf>>) -> Option<HashSet<PathBuf>> {
    let mut dirty = rx.recv().ok()?;
    while let Ok(more) = rx.try_recv() {
        dirty.extend(more);
    }
    // A save touches one or two paths. A batch of several may be the start of a bulk change
    // whose other files are still being written: if more arrive at once, it is one.
    let mut bulk = dirty.len() >= BULK_PATHS;
    if !bulk && dirty.len() >= BURST_PATHS {
        if let Ok(more) = rx.recv_timeout(BURST_PEEK) {
            dirty.extend(more);
            bulk = true;
        }
    }
    if bulk {
        loop {
            match rx.recv_timeout(BULK_QUIET) {
                Ok(more) => dirty.extend(more),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
    }
    Some(dirty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junk_names() {
        for n in [
            ".ai-risk.md.swp",
            "ai-risk.md~",
            "ai-risk.md___jb_tmp___",
            "#ai-risk.md#",
            ".#ai-risk.md",
            ".goutputstream-XYZ",
            "ai-risk.md.tmp",
            "~$report.docx",
        ] {
            assert!(is_junk_name(n), "{n}");
        }
        for n in [
            "ai-risk.md",
            "aims.toml",
            "soa.yaml",
            "style.css",
            "a4913.md",
        ] {
            assert!(!is_junk_name(n), "{n}");
        }
    }

    fn batch(r: std::ops::Range<usize>) -> HashSet<PathBuf> {
        r.map(|i| PathBuf::from(format!("d/{i}.md"))).collect()
    }

    #[test]
    fn a_burst_of_batches_is_one_change() {
        let (tx, rx) = std::sync::mpsc::channel();
        tx.send(batch(0..5)).unwrap();
        let t = std::thread::spawn(move || {
            for k in 1..4 {
                std::thread::sleep(Duration::from_millis(4));
                tx.send(batch(k * 5..k * 5 + 5)).unwrap();
            }
        });
        let got = next_change(&rx).unwrap();
        t.join().unwrap();
        assert_eq!(got.len(), 20);
    }

    #[test]
    fn a_single_save_is_not_delayed() {
        let (tx, rx) = std::sync::mpsc::channel();
        tx.send(batch(0..1)).unwrap();
        let start = std::time::Instant::now();
        assert_eq!(next_change(&rx).unwrap().len(), 1);
        assert!(start.elapsed() < Duration::from_millis(5));
        drop(tx);
        assert!(next_change(&rx).is_none());
    }

    #[test]
    fn filter_ignores_output_git_and_junk() {
        let f = Filter {
            root: PathBuf::from("/aims"),
            ignore_dirs: vec![PathBuf::from("_site")],
        };
        assert_eq!(
            f.relevant(Path::new("/aims/procedures/ai-risk.md")),
            Some(PathBuf::from("procedures/ai-risk.md"))
        );
        assert_eq!(f.relevant(Path::new("/aims/_site/index.html")), None);
        assert_eq!(f.relevant(Path::new("/aims/.git/index")), None);
        assert_eq!(f.relevant(Path::new("/aims/procedures/4913")), None);
        assert_eq!(
            f.relevant(Path::new("/aims/2026/000/a.md")),
            Some(PathBuf::from("2026/000/a.md"))
        );
        assert_eq!(f.relevant(Path::new("/elsewhere/a.md")), None);
        assert_eq!(f.relevant(Path::new("/aims")), None);
    }
}
