//! Writing one version of the manual into its folder of the output (`v/<tag>/`), with that
//! version's own `manifest.json` (so it lives with the output stage, which owns the
//! manifest).

use std::io;

use super::Written;
use crate::sink::Sink;

/// A sink that stores every file under a folder of another sink (`v/<tag>/`) and remembers
/// what it wrote, for that version's own `manifest.json`.
pub struct Prefixed<'a> {
    inner: &'a dyn Sink,
    prefix: String,
    written: Written,
}

impl<'a> Prefixed<'a> {
    /// Writes into `inner` below `prefix` (empty, or ending in `/`).
    pub fn new(inner: &'a dyn Sink, prefix: String) -> Prefixed<'a> {
        Prefixed {
            inner,
            prefix,
            written: Written::default(),
        }
    }

    /// Writes `manifest.json` of the files written through this sink (old versions only: the
    /// root manifest is the output folder's).
    pub fn write_manifest(&self) -> io::Result<()> {
        let json = self.written.manifest_json();
        self.inner
            .put(&format!("{}{}", self.prefix, super::MANIFEST), &json)
    }
}

impl Sink for Prefixed<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        let full = format!("{}{path}", self.prefix);
        self.inner.put(&full, bytes)?;
        match self.inner.record_of(&full) {
            Some(record) => self.written.insert(path, record),
            None => self.written.record(path, bytes),
        }
        Ok(())
    }

    /// Streams the parts through to the inner sink, hashing on the way (unless the inner sink
    /// does), so large files (`print.html`, `search-index.js`) are never joined in memory.
    fn put_parts(&self, path: &str, parts: &mut dyn Iterator<Item = Vec<u8>>) -> io::Result<()> {
        use sha2::{Digest, Sha256};
        let full = format!("{}{path}", self.prefix);
        if self.inner.keeps_records() {
            self.inner.put_parts(&full, parts)?;
            if let Some(record) = self.inner.record_of(&full) {
                self.written.insert(path, record);
            }
            return Ok(());
        }
        let mut hash = Sha256::new();
        let mut len = 0u64;
        let mut tee = parts.inspect(|p| {
            hash.update(p);
            len += p.len() as u64;
        });
        self.inner.put_parts(&full, &mut tee)?;
        drop(tee);
        self.written.record_hashed(path, hash, len);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Records every file it is given, and whether it came in parts.
    #[derive(Default)]
    struct Recorder(Mutex<Vec<(String, Vec<u8>, bool)>>);

    impl Sink for Recorder {
        fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
            let mut files = self.0.lock().unwrap_or_else(|e| e.into_inner());
            files.push((path.to_string(), bytes.to_vec(), false));
            Ok(())
        }

        fn put_parts(
            &self,
            path: &str,
            parts: &mut dyn Iterator<Item = Vec<u8>>,
        ) -> io::Result<()> {
            let bytes: Vec<u8> = parts.flatten().collect();
            let mut files = self.0.lock().unwrap_or_else(|e| e.into_inner());
            files.push((path.to_string(), bytes, true));
            Ok(())
        }
    }

    #[test]
    fn parts_stream_through_with_their_hash() {
        let rec = Recorder::default();
        let sink = Prefixed::new(&rec, "v/1/".into());
        sink.put_parts(
            "print.html",
            &mut vec![b"ab".to_vec(), b"c".to_vec()].into_iter(),
        )
        .expect("put_parts");
        let files = rec.0.lock().expect("lock").clone();
        assert_eq!(
            files,
            vec![("v/1/print.html".to_string(), b"abc".to_vec(), true)]
        );
        let written = sink.written.take();
        assert_eq!(
            written.get("print.html"),
            Some(&crate::output::FileRecord {
                sha256: crate::output::sha256_hex(b"abc"),
                size: 3
            })
        );
    }
}
