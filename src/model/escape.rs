//! Symbolic links that lead out of the AIMS: plain data about each, and the error it makes.

use std::path::{Path, PathBuf};

use crate::diagnostics::{code, Diagnostic, Span};

/// A symbolic link that leads outside the folder it was found in (the AIMS root or a theme),
/// or into a `.git` folder: found by the load stage, never followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escape {
    /// The link, relative to the boundary's folder.
    pub link: PathBuf,
    /// Where it points: the link's text when absolute, else the resolved path.
    pub target: PathBuf,
    /// Whether it leads into a `.git` folder (rather than outside).
    pub into_git: bool,
    /// Whether it leads to a folder.
    pub is_dir: bool,
    /// How the boundary's folder is named in messages.
    pub folder: &'static str,
}

impl Escape {
    /// What the link is, naming it `shown` (a path the reader recognises).
    pub fn message(&self, shown: &Path) -> String {
        if self.into_git {
            format!(
                "{} is a symbolic link to {}, inside a .git folder; aimsdoc does not read git's files",
                shown.display(),
                self.target.display()
            )
        } else {
            format!(
                "{} is a symbolic link to {}, outside {}; aimsdoc reads nothing outside it",
                shown.display(),
                self.target.display(),
                self.folder
            )
        }
    }

    /// The error for this link at `span`, naming it `shown`.
    pub fn diagnostic(&self, span: Span, shown: &Path) -> Diagnostic {
        let what = if self.is_dir { "folder" } else { "file" };
        Diagnostic::error(code::SYMLINK_OUTSIDE, span, self.message(shown)).with_suggestion(
            format!(
                "copy the {what} into {} instead of linking to it",
                self.folder
            ),
        )
    }
}
