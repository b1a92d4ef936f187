//! Why git could not answer.

use std::path::PathBuf;

/// Why git could not answer.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The `git` program could not be started.
    #[error("git is not installed or not on PATH ({0})")]
    Missing(std::io::Error),
    /// The folder is not inside a git work tree.
    #[error("{0} is not inside a git repository")]
    NotARepo(PathBuf),
    /// git ran and failed.
    #[error("`git {args}` failed: {stderr}")]
    Failed {
        /// The arguments.
        args: String,
        /// What git printed on stderr (trimmed).
        stderr: String,
    },
    /// Reading or writing a git pipe failed.
    #[error("talking to git failed: {0}")]
    Io(#[from] std::io::Error),
    /// git printed something we could not understand.
    #[error("unexpected output from git: {0}")]
    Parse(String),
}
