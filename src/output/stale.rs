//! Staging folders left behind by builds that were killed (`kill -9`, a power cut, an
//! out-of-memory kill): `.OUT.aimsdoc-tmp-PID` (the build in progress) and
//! `.OUT.aimsdoc-old-PID` (the previous output being deleted after the swap). The next build
//! of the same OUT removes them, under the output lock, when process PID is no longer alive.
//! Only folders named exactly so for this OUT are ever considered, never anything else.
//!
//! Whether a process is alive: `/proc/PID` on Linux, `ps -p PID` on other Unix systems (no
//! crate is a dependency that offers `kill(pid, 0)`); anywhere this cannot be told, the
//! process counts as alive and its folder is left alone.

use std::path::{Path, PathBuf};

/// The kinds of folder a build makes beside OUT, as in their names.
const KINDS: [&str; 2] = ["tmp", "old"];

/// A folder removed, and the process that had left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// The folder.
    pub path: PathBuf,
    /// The process id in its name.
    pub pid: u32,
}

/// The process id in `file_name` if it is exactly `.{out_name}.aimsdoc-{tmp|old}-{digits}`.
fn pid_in(file_name: &str, out_name: &str) -> Option<u32> {
    let rest = file_name
        .strip_prefix('.')?
        .strip_prefix(out_name)?
        .strip_prefix(".aimsdoc-")?;
    let digits = KINDS
        .iter()
        .find_map(|k| rest.strip_prefix(k)?.strip_prefix('-'))?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Removes the staging folders of the output folder `target` (absolute) left by processes
/// that no longer run, and returns them. Call it while holding the output lock.
pub fn remove_stale(target: &Path) -> Vec<Removed> {
    let (Some(parent), Some(name)) = (target.parent(), target.file_name()) else {
        return Vec::new();
    };
    let out_name = name.to_string_lossy();
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let own = std::process::id();
    let mut removed = Vec::new();
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(pid) = file_name.to_str().and_then(|n| pid_in(n, &out_name)) else {
            continue;
        };
        // A real folder (not a link to one), of a process that is gone.
        let is_dir = std::fs::symlink_metadata(e.path()).is_ok_and(|m| m.file_type().is_dir());
        if !is_dir || pid == own || alive(pid) {
            continue;
        }
        let path = e.path();
        if std::fs::remove_dir_all(&path).is_ok() {
            removed.push(Removed { path, pid });
        }
    }
    removed.sort_by(|a, b| a.path.cmp(&b.path));
    removed
}

/// Whether process `pid` exists (when this cannot be told: yes).
#[cfg(target_os = "linux")]
fn alive(pid: u32) -> bool {
    if !Path::new("/proc/self").exists() {
        return true;
    }
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(all(unix, not(target_os = "linux")))]
fn alive(pid: u32) -> bool {
    std::process::Command::new("ps")
        .args(["-p", &pid.to_string(), "-o", "pid="])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map_or(true, |s| s.success())
}

#[cfg(not(unix))]
fn alive(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_exact_staging_names_of_this_output_match() {
        assert_eq!(pid_in(".site.aimsdoc-tmp-1234", "site"), Some(1234));
        assert_eq!(pid_in(".site.aimsdoc-old-7", "site"), Some(7));
        for other in [
            ".site.aimsdoc-tmp-",
            ".site.aimsdoc-tmp-12a",
            ".site.aimsdoc-tmp-+12",
            ".site.aimsdoc-tmp-12 ",
            ".site.aimsdoc-lock",
            ".site.aimsdoc-new-12",
            ".site2.aimsdoc-tmp-12",
            ".sit.aimsdoc-tmp-12",
            "site.aimsdoc-tmp-12",
            ".site.aimsdoc-tmp-99999999999999999999",
            "site",
        ] {
            assert_eq!(pid_in(other, "site"), None, "{other}");
        }
    }

    #[test]
    fn this_process_is_alive() {
        assert!(alive(std::process::id()));
    }
}
