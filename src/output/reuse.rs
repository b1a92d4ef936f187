//! Reusing files of the previous output, only as verified in this build. A file this build
//! produced with exactly the bytes the previous output has is not written again: it is
//! hard-linked into the staging folder when the build commits. Its bytes are compared when
//! the build produces them, and the identity of the file compared (device, inode, size,
//! modification time) is kept; the link made at commit must be that very file, else the
//! linked file is hashed and checked against what this build produced. Nothing unverified
//! reaches the new output, even if another program replaced files of the previous output
//! in the meantime.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use super::{FileRecord, MANIFEST};

/// Which file was compared: enough to tell later that a path still names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FileId {
    len: u64,
    modified: Option<SystemTime>,
    #[cfg(unix)]
    dev: u64,
    #[cfg(unix)]
    ino: u64,
}

impl FileId {
    fn of(m: &Metadata) -> FileId {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt as _;
        FileId {
            len: m.len(),
            modified: m.modified().ok(),
            #[cfg(unix)]
            dev: m.dev(),
            #[cfg(unix)]
            ino: m.ino(),
        }
    }

    /// Whether `m` is certainly the file this identity was taken of (Unix: same device and
    /// inode, unmodified; elsewhere there is no inode to compare, so never certain).
    pub(super) fn proves_same(&self, m: &Metadata) -> bool {
        cfg!(unix) && m.file_type().is_file() && FileId::of(m) == *self
    }
}

/// Reads from `r` and compares with `expected`; `false` on any difference or read error.
pub(super) fn reads_as(r: &mut impl Read, expected: &[u8], buf: &mut Vec<u8>) -> bool {
    buf.resize(expected.len().min(1 << 16), 0);
    let mut at = 0;
    while at < expected.len() {
        let want = (expected.len() - at).min(buf.len());
        if r.read_exact(&mut buf[..want]).is_err() || buf[..want] != expected[at..at + want] {
            return false;
        }
        at += want;
    }
    true
}

/// Whether `r` has nothing more to read.
pub(super) fn at_end(r: &mut impl Read) -> bool {
    let mut one = [0u8; 1];
    matches!(r.read(&mut one), Ok(0))
}

/// Opens `old` if it is a regular file (not a link) of `len` bytes, when `len` is given.
pub(super) fn open_regular(old: &Path, len: Option<u64>) -> Option<(File, FileId)> {
    let fits = |m: &Metadata| m.file_type().is_file() && len.is_none_or(|n| m.len() == n);
    if !std::fs::symlink_metadata(old).is_ok_and(|m| fits(&m)) {
        return None;
    }
    let file = File::open(old).ok()?;
    let m = file.metadata().ok().filter(fits)?;
    Some((file, FileId::of(&m)))
}

/// If `old` is a regular file holding exactly `bytes`: the identity of the file compared.
pub(super) fn same_bytes(old: &Path, bytes: &[u8]) -> Option<FileId> {
    let (mut file, id) = open_regular(old, Some(bytes.len() as u64))?;
    let mut buf = Vec::new();
    (reads_as(&mut file, bytes, &mut buf) && at_end(&mut file)).then_some(id)
}

/// Hard-links `old` (compared as `id`) to `new` in the staging folder, or copies it where
/// linking is not possible, and checks that `new` is what this build produced (`record`):
/// the very file compared, or else bytes with the recorded SHA-256 and size. On a mismatch
/// `new` is removed and the build fails rather than publish bytes it did not produce.
pub(super) fn link_verified(
    old: &Path,
    new: &Path,
    id: &FileId,
    record: &FileRecord,
) -> io::Result<()> {
    let linked = std::fs::hard_link(old, new).is_ok();
    if !linked {
        std::fs::copy(old, new)?;
    }
    let m = std::fs::symlink_metadata(new)?;
    if linked && id.proves_same(&m) {
        return Ok(());
    }
    if m.file_type().is_file() && m.len() == record.size && hash_of(new)? == record.sha256 {
        return Ok(());
    }
    let _ = std::fs::remove_file(new);
    Err(io::Error::other(format!(
        "{} changed while this build ran (another program writes to the output folder); nothing was published",
        old.display()
    )))
}

/// Lowercase hex SHA-256 of a file's bytes.
fn hash_of(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let mut hash = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
    }
    Ok(hex::encode(hash.finalize()))
}

/// Whether `dir` holds exactly the files `written` plus the manifest. Folders in `adopted`
/// (carried over whole from `dir` itself, their files listed from its manifest) are not walked.
pub(super) fn same_file_set<'a>(
    dir: &Path,
    written: impl Iterator<Item = &'a String>,
    adopted: &[String],
) -> bool {
    let prefixes: Vec<String> = adopted.iter().map(|d| format!("{d}/")).collect();
    let mut expected: std::collections::BTreeSet<String> = written
        .filter(|p| !prefixes.iter().any(|pre| p.starts_with(pre.as_str())))
        .cloned()
        .collect();
    expected.insert(MANIFEST.to_string());
    let skip: std::collections::HashSet<PathBuf> = adopted.iter().map(|d| dir.join(d)).collect();
    let mut found = 0usize;
    let walk = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| !skip.contains(e.path()));
    for e in walk {
        let Ok(e) = e else {
            return false;
        };
        if e.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = e.path().strip_prefix(dir) else {
            return false;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if !e.file_type().is_file() || !expected.contains(&rel) {
            return false;
        }
        found += 1;
    }
    found == expected.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(bytes: &[u8]) -> FileRecord {
        FileRecord {
            sha256: super::super::sha256_hex(bytes),
            size: bytes.len() as u64,
        }
    }

    #[test]
    fn equal_bytes_are_found_and_others_not() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let f = tmp.path().join("a.html");
        std::fs::write(&f, b"hello world").expect("write");
        assert!(same_bytes(&f, b"hello world").is_some());
        assert!(same_bytes(&f, b"hello worle").is_none());
        assert!(same_bytes(&f, b"hello").is_none());
        assert!(same_bytes(&tmp.path().join("none"), b"").is_none());
    }

    #[test]
    fn a_file_replaced_after_the_comparison_is_not_published() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (old, new) = (tmp.path().join("old.html"), tmp.path().join("new.html"));
        std::fs::write(&old, b"public text").expect("write");
        let id = same_bytes(&old, b"public text").expect("same");
        // Another writer swaps in other bytes of the same size (a file written at another
        // time; its inode number may well be the one just freed).
        std::fs::remove_file(&old).expect("remove");
        std::fs::write(&old, b"secret text").expect("write");
        let earlier = SystemTime::now() - std::time::Duration::from_secs(3600);
        File::options()
            .write(true)
            .open(&old)
            .and_then(|f| f.set_modified(earlier))
            .expect("set mtime");
        let err = link_verified(&old, &new, &id, &record(b"public text"));
        assert!(err.is_err());
        assert!(!new.exists());
        // The same bytes in another file still verify (by their hash).
        std::fs::remove_file(&old).expect("remove");
        std::fs::write(&old, b"public text").expect("write");
        link_verified(&old, &new, &id, &record(b"public text")).expect("verified by hash");
        assert_eq!(std::fs::read(&new).expect("read"), b"public text");
    }
}
