//! Plain data: documents, sections, the catalog, the SoA and the control data they share.

pub mod catalog;
pub mod controlled;
pub mod crosswalk;
pub mod escape;
pub mod framework;
pub mod frontmatter;
pub mod ids;
pub mod index;
pub mod soa;
pub mod system;

use std::path::PathBuf;

use crate::config::Config;
use crate::markdown::Rendered;
pub use catalog::Catalog;
pub use controlled::Controlled;
pub use escape::Escape;
pub use frontmatter::FrontMatter;
pub use ids::{CatalogId, DocId, DocKey};
pub use index::{DocIndex, Per, PerDoc, PerSection, SectionIndex};
pub use soa::Soa;

/// One document of the AIMS.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to the AIMS root.
    pub path: PathBuf,
    /// Control metadata.
    pub meta: FrontMatter,
    /// The body after the one Markdown pass.
    pub body: Rendered,
    /// Byte offset of the body in the file (to place body diagnostics).
    pub body_offset: usize,
    /// Its section.
    pub section: SectionIndex,
}

/// A folder of documents, shown as a navigation section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Folder relative to the root (empty for the root itself).
    pub path: PathBuf,
    /// Display title (`_section.toml` or the title-cased folder name).
    pub title: String,
    /// Position among its siblings.
    pub order: Option<i64>,
    /// Its parent section (`None` for the root).
    pub parent: Option<SectionIndex>,
}

/// Everything loaded from one AIMS root.
#[derive(Debug)]
pub struct Manual {
    /// `aims.toml`.
    pub config: Config,
    /// The framework catalog.
    pub catalog: Catalog,
    /// The other frameworks: those enabled, and which have catalogs.
    pub frameworks: framework::Frameworks,
    /// Documents sorted by path.
    pub documents: Vec<Document>,
    /// Sections sorted by path; index 0 is the root.
    pub sections: Vec<Section>,
    /// The SoA decisions.
    pub soa: Soa,
    /// The AI systems of `systems.yaml`; `None` when the AIMS has no such file.
    pub systems: Option<system::Systems>,
    /// Every non-document file below the root that may be linked (relative paths).
    pub assets: std::collections::BTreeSet<PathBuf>,
    /// Files and folders below the root that are symbolic links leading out of it (or into
    /// `.git`), by path: never read, and a link to them (or into them) is an error.
    pub outside: std::collections::BTreeMap<PathBuf, Escape>,
}

impl Manual {
    /// The document at `ix` (an index from this manual).
    pub fn doc(&self, ix: DocIndex) -> &Document {
        &self.documents[ix.index()]
    }

    /// Every document with its index, in order (by path).
    pub fn docs(
        &self,
    ) -> impl DoubleEndedIterator<Item = (DocIndex, &Document)> + ExactSizeIterator {
        self.documents
            .iter()
            .enumerate()
            .map(|(i, d)| (DocIndex::new(i), d))
    }

    /// The index of every document, in order.
    pub fn doc_indices(&self) -> impl DoubleEndedIterator<Item = DocIndex> + ExactSizeIterator {
        (0..self.documents.len()).map(DocIndex::new)
    }

    /// The section at `ix` (an index from this manual).
    pub fn section(&self, ix: SectionIndex) -> &Section {
        &self.sections[ix.index()]
    }

    /// The index of every section, in order (the root first).
    pub fn section_indices(
        &self,
    ) -> impl DoubleEndedIterator<Item = SectionIndex> + ExactSizeIterator {
        (0..self.sections.len()).map(SectionIndex::new)
    }

    /// The link leading outside that a path below the root is, or is inside of.
    pub fn outside_at(&self, path: &std::path::Path) -> Option<&Escape> {
        path.ancestors().find_map(|a| self.outside.get(a))
    }
}
