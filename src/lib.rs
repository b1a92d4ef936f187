//! aimsdoc builds a browsable ISO/IEC 42001 AI management system (AIMS) manual from a folder
//! of Markdown documents with YAML front matter.
//!
//! Data flows one way; each module imports only from the ones listed before it:
//!
//! - foundations: [`util`], [`date`], [`diagnostics`], [`sink`], [`markdown`], [`config`]
//! - [`model`] — plain data: documents, sections, the catalog, the SoA
//! - [`load`] — read `aims.toml`, walk the tree, read, split and parse every document
//! - [`resolve`] and [`hygiene`] — ids, references, backlinks; raw HTML policy
//! - [`analyse`] — coverage, SoA, register, required documents
//! - [`pipeline`] — the one [`compile`](pipeline::compile): load → resolve → analyse, with
//!   `allow`, `--strict` and the audience's edition
//! - [`render`] — the page table, the render plan, Tera templates, the theme
//! - [`output`] — staging folder, manifest, atomic swap, lock
//! - [`git`] — the git client: process, objects, trees, log
//! - [`versions`] — the versions extension (tags, history, changes) on top of the pipeline
//! - [`build`] — the drivers of `build`, `check` and `coverage`; [`pdf`], [`report`],
//!   [`schema`], [`init`]
//! - [`import`] — converting another tool's policy repository (comply) into an AIMS folder
//! - [`serve`] — live preview over the same pipeline and render plan
//! - [`lsp`] — the language server for editors, over the same pipeline
//! - [`cli`] — the command line (the `aimsdoc` binary is a thin layer over it)

pub mod analyse;
pub mod build;
pub mod cli;
pub mod completions;
pub mod config;
pub mod date;
pub mod diagnostics;
#[doc(hidden)]
pub mod fuzzing;
pub mod git;
pub mod hygiene;
pub mod import;
pub mod init;
pub mod load;
pub mod lsp;
pub mod manpage;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pdf;
pub mod pipeline;
pub mod render;
pub mod report;
pub mod resolve;
pub mod schema;
pub mod serve;
pub mod sink;
pub mod util;
pub mod versions;

pub use build::{build, coverage, BuildOptions, CoverageView, Report, RunError};
