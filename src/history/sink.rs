//! Writing one version of the manual into its folder of the output.

use std::collections::BTreeMap;
use std::io;
use std::sync::Mutex;

use crate::render::Sink;

/// A sink that stores every file under a folder of another sink (`v/<tag>/`) and remembers
/// what it wrote, for that version's own `manifest.json`.
pub struct Prefixed<'a> {
    inner: &'a dyn Sink,
    prefix: String,
    written: Mutex<BTreeMap<String, (String, u64)>>,
}

impl<'a> Prefixed<'a> {
    /// Writes into `inner` below `prefix` (empty, or ending in `/`).
    pub fn new(inner: &'a dyn Sink, prefix: String) -> Prefixed<'a> {
        Prefixed {
            inner,
            prefix,
            written: Mutex::new(BTreeMap::new()),
        }
    }

    /// Writes `manifest.json` of the files written through this sink (old versions only: the
    /// root manifest is the output folder's).
    pub fn write_manifest(&self) -> io::Result<()> {
        let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        let files: Vec<serde_json::Value> = written
            .iter()
            .map(|(p, (h, n))| serde_json::json!({"path": p, "sha256": h, "bytes": n}))
            .collect();
        let manifest = serde_json::json!({
            "generator": concat!("aimsdoc ", env!("CARGO_PKG_VERSION")),
            "files": files,
        });
        let mut json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
        json.push(b'\n');
        drop(written);
        self.inner.put(
            &format!("{}{}", self.prefix, crate::output::MANIFEST),
            &json,
        )
    }
}

impl Sink for Prefixed<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.inner.put(&format!("{}{path}", self.prefix), bytes)?;
        let entry = (crate::output::sha256_hex(bytes), bytes.len() as u64);
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), entry);
        Ok(())
    }
}
