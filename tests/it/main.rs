//! The integration tests, in one binary: each module is one area of aimsdoc, run as a user
//! would run it (the real binary over real folders). Large areas are folders of themed
//! modules (`site::links`, `check::sarif`, …). Shared helpers live in [`common`] and
//! [`serve_support`].

mod common;
mod serve_support;

mod audience;
mod check;
mod cli;
mod completions;
mod coverage_formats;
mod crosswalks;
mod diagnostics;
mod framework_pages;
mod frameworks;
mod fs_boundary;
mod fuzz_regressions;
mod html_hygiene;
mod import_comply;
mod interrupt;
mod limits;
mod lsp;
mod manpage;
mod natural_order;
mod output;
mod output_lock;
mod pdf;
mod robustness;
mod schema;
mod search_js;
mod serve;
mod serve_editions;
mod serve_http;
mod serve_incremental;
mod serve_limits;
mod site;
mod soa27001;
mod systems;
mod version_names;
mod versions;
