//! The versions extension, run only when aims.toml has `[versions]`: the current manual plus
//! every release tag built side by side under `v/<tag>/`, per-document history, and what
//! changed between versions. It sits on top of the pipeline: a tag is just another
//! [`Source`](crate::load::Source) ([`GitTreeSource`](crate::git::GitTreeSource)) given to
//! the one [`compile`](crate::pipeline::compile), and each version's pages come from the one
//! render plan with this extension's pages and decorations ([`pages`]).
//!
//! git is read through [`crate::git`]; nothing here writes to the repository, its work tree
//! or its index.

mod compile;
pub mod diff;
pub mod docs;
mod job;
pub mod pages;
pub mod reuse;
mod revisions;
mod session;
pub mod tags;

pub use compile::{compile_version, in_version, not_built, CompiledVersion};
pub use docs::DocCache;
pub use job::Job;
pub use revisions::{diff_revisions, WORKTREE};
pub use session::{peek_config, Session};
