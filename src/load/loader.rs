//! How the load stage reads one document: straight from its source, or through a cache
//! that knows the document has not changed. A plain build reads every file
//! ([`Uncached`]); `aimsdoc serve` keeps documents by file stamp ([`super::stamps`]); a
//! versioned build shares documents between versions by git blob id
//! (`crate::versions::docs`).

use std::path::Path;

use super::{load_document, Source};
use crate::diagnostics::Diagnostic;
use crate::model::{Catalog, Document};

/// Reads and parses one document of a manual.
pub trait DocumentLoader: Sync {
    /// The document at `path` (relative to the root of `source`), parsed against `catalog`;
    /// `None` when it cannot be used. Its problems go to `diags` — every time it is asked
    /// for, even when it comes from a cache, so that a build reports the same diagnostics
    /// however it was read.
    fn load(
        &self,
        source: &dyn Source,
        path: &Path,
        catalog: &Catalog,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Document>;
}

/// Reads and parses every document each time it is asked for.
#[derive(Debug, Default, Clone, Copy)]
pub struct Uncached;

impl DocumentLoader for Uncached {
    fn load(
        &self,
        source: &dyn Source,
        path: &Path,
        catalog: &Catalog,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Document> {
        load_document(source, path, catalog, diags)
    }
}
