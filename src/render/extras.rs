//! What a versioned build adds to rendering: per-page extras (history, version switcher,
//! changes page) and a cache of rendered pages shared between versions.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tera::Context;

use super::{Page, Theme};
use crate::model::Manual;

/// What a versioned build adds to the pages of one version (see `crate::history`).
pub trait PageExtras: Sync {
    /// Adds values (document history, changes) to the context of `page` at `path`.
    fn decorate(&self, manual: &Manual, page: &Page, path: &str, ctx: &mut Context);
    /// The version switcher of the page at `path` (HTML put where `partials/versions.html`
    /// is included), or an empty string.
    fn version_bar(&self, theme: &Theme, path: &str) -> Result<String, tera::Error>;
    /// Whether this version has a `changes.html` page.
    fn has_changes(&self) -> bool;
    /// Whether this version has the `versions.html` page listing every version.
    fn has_versions_page(&self) -> bool {
        false
    }
    /// The label of the version being rendered (its tag, or `current`), for the cover of
    /// `print.html`.
    fn version_label(&self) -> Option<String> {
        None
    }
}

/// Stands in for the version switcher while a page is rendered, so that pages whose content is
/// the same in several versions are rendered once.
pub(crate) const VERSION_SLOT: &str = "<!--aimsdoc:version-bar-->";

/// Rendered pages keyed by template and context: a page whose context is identical to one
/// rendered before (in another version) is not rendered again.
#[derive(Default)]
pub struct PageCache {
    pages: Mutex<HashMap<[u8; 32], Arc<str>>>,
    hits: AtomicUsize,
    bytes: AtomicUsize,
}

/// The cache stops taking pages beyond this many bytes (memory stays bounded for large
/// manuals with many versions; pages are then rendered as usual).
const CACHE_BUDGET: usize = 256 << 20;

impl PageCache {
    /// How many pages were reused.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    pub(crate) fn get_or_render(
        &self,
        template: &str,
        ctx: &Context,
        render: impl FnOnce() -> Result<String, tera::Error>,
    ) -> Result<Arc<str>, tera::Error> {
        use sha2::{Digest, Sha256};
        struct HashWriter(Sha256);
        impl std::fmt::Write for HashWriter {
            fn write_str(&mut self, s: &str) -> std::fmt::Result {
                self.0.update(s.as_bytes());
                Ok(())
            }
        }
        let mut h = HashWriter(Sha256::new());
        let _ = std::fmt::Write::write_fmt(&mut h, format_args!("{template}\0{ctx:?}"));
        let key: [u8; 32] = h.0.finalize().into();
        if let Some(hit) = self
            .pages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
        {
            self.hits.fetch_add(1, Ordering::Relaxed);
            return Ok(hit.clone());
        }
        let html: Arc<str> = render()?.into();
        if self.bytes.fetch_add(html.len(), Ordering::Relaxed) > CACHE_BUDGET {
            return Ok(html);
        }
        self.pages
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, html.clone());
        Ok(html)
    }
}
