//! The git client: what aimsdoc reads from the repository holding the AIMS — the repository
//! itself and its tags ([`process`]), objects by checked id and kind ([`id`]) through one
//! `git cat-file --batch` process ([`store`]), a tree as a [`Source`](crate::load::Source)
//! ([`tree`]) and the history of the AIMS folder ([`log`]).
//!
//! git is run as a program rather than linked as a library: it is what every team already
//! has, it reads every repository format and configuration the team's own git reads, and
//! running it with `-C`, NUL-separated output and no optional locks keeps it read-only.
//! Nothing here writes to the repository, its work tree or its index.

mod error;
pub mod id;
pub mod log;
pub mod process;
pub mod store;
pub mod tree;

pub use id::{Object, ObjectId, ObjectKind};
pub use process::{nul_fields, run, CatFile, GitError, Repo};
pub use store::Store;
pub use tree::GitTreeSource;

/// The committer time (Unix seconds) in a raw commit object.
pub fn commit_time(commit: &[u8]) -> Option<i64> {
    let text = String::from_utf8_lossy(commit);
    let line = text
        .lines()
        .take_while(|l| !l.is_empty())
        .find(|l| l.starts_with("committer "))?;
    let mut f = line.rsplit(' ');
    let _tz = f.next()?;
    f.next()?.parse().ok()
}
