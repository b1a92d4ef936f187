//! The render stage: from a compiled manual and a theme to the files of a site. The page
//! table ([`page`]) names every kind of page; the plan ([`plan`]) lists an edition's pages
//! and renders them in parallel with the search index, the print page and the data files.
//! Render never reads the AIMS folder itself: linked files come through the [`Input`]'s
//! source.

mod assurance;
mod context;
pub mod data;
pub mod extras;
mod failure;
pub mod formats;
pub mod framework_data;
pub mod framework_pages;
mod framework_svg;
mod framework_views;
pub mod frameworks;
mod links;
pub mod matrix;
pub mod nav;
pub mod page;
pub mod plan;
pub mod print;
pub mod search;
mod shared;
pub mod soa;
pub mod soa27001;
pub mod svg;
mod system_data;
pub mod systems;
pub mod theme;
pub mod urls;
pub mod views;

pub use crate::sink::Sink;
pub use extras::{PageExtras, VersionName};
pub(crate) use links::body_html_with;
pub use links::{body_html, WITHHELD_HTML};
pub use page::Page;
pub use plan::{pages, render, render_selected};
pub(crate) use shared::Shared;
pub use theme::Theme;

use crate::analyse::Analysis;
use crate::model::Manual;
use crate::pipeline::{Compilation, Edition, Unpublished};
use crate::resolve::Resolved;

/// What the pages are built from.
pub struct Input<'a> {
    /// The loaded manual.
    pub manual: &'a Manual,
    /// Resolved references.
    pub resolved: &'a Resolved,
    /// The analysis.
    pub analysis: &'a Analysis,
    /// Templates and assets.
    pub theme: &'a Theme,
    /// Where linked files are read from.
    pub source: &'a dyn crate::load::Source,
    /// Who the build is for and what it holds (shown on every page).
    pub edition: Edition,
    /// What the edition leaves out, by number (shown where it addresses an entry).
    pub unpublished: &'a Unpublished,
    /// How much of the coverage analysis is shown.
    pub disclosure: crate::config::Disclosure,
    /// Additions of a versioned build (history, version switcher, changes page).
    pub extras: Option<&'a dyn PageExtras>,
}

impl<'a> Input<'a> {
    /// A compiled manual (in its edition) whose files come from `source`.
    pub fn new(
        compiled: &'a Compilation,
        theme: &'a Theme,
        source: &'a dyn crate::load::Source,
        extras: Option<&'a dyn PageExtras>,
    ) -> Input<'a> {
        Input {
            manual: &compiled.manual,
            resolved: &compiled.resolved,
            analysis: &compiled.analysis,
            theme,
            source,
            edition: compiled.edition,
            unpublished: &compiled.unpublished,
            disclosure: compiled.edition.disclosure,
            extras,
        }
    }
}
