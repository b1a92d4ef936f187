//! Writing a file that comes in parts (`print.html`, `search-index.js`: the largest files of
//! an output, never whole in memory) while comparing it with the previous output's file at
//! the same path.
//!
//! Nothing is written while the parts match the previous file. A file whose every byte
//! matches is not written at all: like any unchanged file it is hard-linked from the previous
//! output at commit, verified there (`reuse::link_verified`). At the first part that differs,
//! the new file is started: the bytes already compared are copied from the previous file
//! (inside the kernel where it can), the previous file is checked to be the very file
//! compared (device, inode, size, modification time), and the rest is written from the parts.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::reuse::{at_end, open_regular, reads_as, FileId};

/// What writing a streamed file found.
pub(super) struct Streamed {
    /// The SHA-256 of all its parts.
    pub(super) hash: Sha256,
    /// Its size in bytes.
    pub(super) len: u64,
    /// The previous output's file holding exactly these bytes (nothing was written), or `None`
    /// (the file was written at `new`).
    pub(super) same: Option<FileId>,
}

/// Streams `parts` to `new`, unless the previous output's file `old` holds exactly these
/// bytes (see the module doc).
pub(super) fn write_parts(
    old: Option<&Path>,
    new: &Path,
    parts: &mut dyn Iterator<Item = Vec<u8>>,
) -> io::Result<Streamed> {
    let mut previous = old.and_then(|p| open_regular(p, None));
    let mut out: Option<BufWriter<File>> = None;
    let mut hash = Sha256::new();
    let mut len = 0u64;
    let mut buf = Vec::new();
    for p in parts {
        hash.update(&p);
        let w = match &mut out {
            Some(w) => w,
            None => {
                if let Some((f, _)) = &mut previous {
                    if reads_as(f, &p, &mut buf) {
                        len += p.len() as u64;
                        continue;
                    }
                }
                out.insert(start(previous.take(), old, new, len)?)
            }
        };
        w.write_all(&p)?;
        len += p.len() as u64;
    }
    let same = match out {
        Some(w) => {
            finish(w)?;
            None
        }
        None => match previous {
            Some((f, id)) if at_end(&mut &f) => Some(id),
            other => {
                finish(start(other, old, new, len)?)?;
                None
            }
        },
    };
    Ok(Streamed { hash, len, same })
}

/// Creates `new` holding the first `prefix` bytes of the previous file (already compared with
/// this build's bytes), checked to be the file that was compared.
fn start(
    previous: Option<(File, FileId)>,
    old: Option<&Path>,
    new: &Path,
    prefix: u64,
) -> io::Result<BufWriter<File>> {
    let mut file = File::create(new)?;
    if prefix > 0 {
        let changed = || {
            io::Error::other(format!(
                "{} changed while this build ran (another program writes to the output folder); nothing was published",
                old.map_or_else(|| new.display(), Path::display)
            ))
        };
        let (mut f, id) = previous.ok_or_else(changed)?;
        f.rewind()?;
        let copied = io::copy(&mut (&mut f).take(prefix), &mut file)?;
        if copied != prefix || !f.metadata().is_ok_and(|m| id.proves_same(&m)) {
            drop(file);
            let _ = std::fs::remove_file(new);
            return Err(changed());
        }
    }
    Ok(BufWriter::new(file))
}

fn finish(mut w: BufWriter<File>) -> io::Result<()> {
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(old: Option<&Path>, new: &Path, parts: &[&[u8]]) -> Streamed {
        let mut it = parts.iter().map(|p| p.to_vec());
        write_parts(old, new, &mut it).expect("write")
    }

    #[test]
    fn the_same_bytes_are_not_written_and_name_the_previous_file() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
        std::fs::write(&old, b"abcdef").expect("write");
        let s = run(Some(&old), &new, &[b"ab", b"", b"cdef"]);
        assert!(s.same.is_some());
        assert!(!new.exists());
        assert_eq!(s.len, 6);
        assert_eq!(
            hex::encode(s.hash.finalize()),
            super::super::sha256_hex(b"abcdef")
        );
    }

    #[test]
    fn any_difference_writes_every_byte() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let old = tmp.path().join("old");
        std::fs::write(&old, b"abcdef").expect("write");
        let cases: [(&[&[u8]], &[u8]); 5] = [
            (&[b"ab", b"cde"], b"abcde"),
            (&[b"ab", b"cdefg"], b"abcdefg"),
            (&[b"ab", b"cdeF"], b"abcdeF"),
            (&[b"ab", b"cd", b"ef", b"gh"], b"abcdefgh"),
            (&[b"x", b"abcdef"], b"xabcdef"),
        ];
        for (i, (parts, want)) in cases.iter().enumerate() {
            let new = tmp.path().join(format!("new{i}"));
            let s = run(Some(&old), &new, parts);
            assert!(s.same.is_none(), "case {i}");
            assert_eq!(std::fs::read(&new).expect("read"), *want, "case {i}");
            assert_eq!(s.len, want.len() as u64);
            assert_eq!(
                hex::encode(s.hash.finalize()),
                super::super::sha256_hex(want)
            );
        }
        let new = tmp.path().join("fresh");
        let s = run(None, &new, &[b"ab", b"cd"]);
        assert!(s.same.is_none());
        assert_eq!(std::fs::read(&new).expect("read"), b"abcd");
        let s = run(Some(&tmp.path().join("none")), &new, &[]);
        assert!(s.same.is_none());
        assert_eq!(std::fs::read(&new).expect("read"), b"");
    }

    #[test]
    fn a_previous_file_that_changed_before_its_bytes_were_copied_is_not_used() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (old, new) = (tmp.path().join("old"), tmp.path().join("new"));
        std::fs::write(&old, b"public text").expect("write");
        let mut parts = vec![b"public ".to_vec(), b"TEXT".to_vec()]
            .into_iter()
            .map(|p| {
                if p == b"TEXT" {
                    // Another program appends to the previous file after its first
                    // bytes were compared.
                    std::fs::OpenOptions::new()
                        .append(true)
                        .open(&old)
                        .and_then(|mut f| f.write_all(b"!"))
                        .expect("append");
                }
                p
            });
        assert!(write_parts(Some(&old), &new, &mut parts).is_err());
        assert!(!new.exists());
    }
}
