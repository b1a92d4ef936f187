//! What a versioned build adds to rendering: per-page extras (history, version switcher,
//! changes page).

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
    /// The pages the extension adds to this version's site (changes, versions), in order.
    fn pages(&self) -> Vec<Page> {
        Vec::new()
    }
    /// Which version is being rendered, for the cover and running footer of `print.html`
    /// (`None`: a build without versions, so the working copy).
    fn version_name(&self) -> Option<VersionName> {
        None
    }
}

/// Which version of the manual a set of pages shows, as the printed manual names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionName {
    /// The release tag (`None` for the current manual).
    pub tag: Option<String>,
    /// The commit, abbreviated (`None` outside git).
    pub commit: Option<String>,
    /// Whether files of the AIMS differ from that commit.
    pub uncommitted: bool,
}
