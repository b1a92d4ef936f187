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
    /// The label of the version being rendered (its tag, or `current`), for the cover of
    /// `print.html`.
    fn version_label(&self) -> Option<String> {
        None
    }
}
