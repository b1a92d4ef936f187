//! Crosswalks: how ISO/IEC 42001 clauses and controls map to the entries of another
//! framework (built in for ISO/IEC 27001, the EU AI Act and the NIST AI RMF; a team's own as
//! `crosswalks/<framework>.yaml`). A mapping only ever *infers* coverage: the analysis keeps
//! it apart from what documents declare directly. Reading a crosswalk, with a diagnostic for
//! every problem, is the load stage's job (`load::crosswalks`).

use std::path::PathBuf;

/// The crosswalks built into aimsdoc: framework id and YAML text, embedded from
/// `catalogs/iso42001/crosswalks/`.
pub const BUILT_IN: &[(&str, &str)] = &[
    (
        "iso27001",
        include_str!("../../catalogs/iso42001/crosswalks/iso27001.yaml"),
    ),
    (
        "eu-ai-act",
        include_str!("../../catalogs/iso42001/crosswalks/eu-ai-act.yaml"),
    ),
    (
        "nist-ai-rmf",
        include_str!("../../catalogs/iso42001/crosswalks/nist-ai-rmf.yaml"),
    ),
];

/// The folder of a team's own crosswalks in the AIMS root.
pub const CROSSWALKS_DIR: &str = "crosswalks";

/// One row of a crosswalk: an ISO/IEC 42001 clause or control and the entries of the other
/// framework it maps to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    /// The ISO/IEC 42001 id (`6.1.2`, `A.6.2.4`), as the catalog writes it.
    pub iso: String,
    /// The ids of the other framework's entries.
    pub targets: Vec<String>,
    /// How sure the mapping is (the row's own `confidence`, else the crosswalk's).
    pub confidence: String,
}

/// The crosswalk from ISO/IEC 42001 to one other framework.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crosswalk {
    /// The id of the framework it maps to (`iso27001`).
    pub framework: String,
    /// Where it comes from: `None` when built in, else the file in the AIMS.
    pub file: Option<PathBuf>,
    /// Where its mapping comes from, as the file says (`source:`).
    pub source: Option<String>,
    /// Its rows, in file order.
    pub mappings: Vec<Mapping>,
}

impl Crosswalk {
    /// The ISO/IEC 42001 ids mapped to entry `target`, with the mapping's confidence, in
    /// file order.
    pub fn sources_of<'a>(&'a self, target: &'a str) -> impl Iterator<Item = &'a Mapping> + 'a {
        self.mappings
            .iter()
            .filter(move |m| m.targets.iter().any(|t| t == target))
    }
}
