//! What the framework pages share of a framework and its entries: a framework as a link, and
//! the ISO/IEC 42001 entries an entry is inferred from.

use serde::Serialize;

use super::urls;
use crate::analyse::crosswalk::EntryCoverage;
use crate::model::framework::Framework;
use crate::model::Manual;

/// A framework as a link.
#[derive(Serialize)]
pub(super) struct FrameworkLink<'a> {
    id: &'a str,
    name: &'a str,
    version: Option<&'a str>,
    url: String,
}

impl<'a> FrameworkLink<'a> {
    /// The link to framework `f`'s index.
    pub(super) fn of(f: &'a Framework) -> Self {
        FrameworkLink {
            id: &f.id,
            name: &f.name,
            version: f.version.as_deref(),
            url: f.index_path(),
        }
    }
}

/// An ISO/IEC 42001 clause or control an entry is mapped from, with its state.
#[derive(Serialize)]
pub(super) struct ViaView {
    id: String,
    url: String,
    state: &'static str,
    confidence: String,
}

/// The ISO/IEC 42001 clauses and controls `c` is mapped from, with their states and the
/// mappings' confidence.
pub(super) fn via_views(m: &Manual, c: &EntryCoverage) -> Vec<ViaView> {
    c.via
        .iter()
        .map(|v| ViaView {
            id: v.iso.to_string(),
            url: urls::catalog(&m.catalog, v.iso.as_str()),
            state: v.state.as_str(),
            confidence: v.confidence.clone(),
        })
        .collect()
}
