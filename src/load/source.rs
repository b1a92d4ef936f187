//! Where documents come from: a small abstraction over "list files, read bytes" so that the
//! work tree, a git tree at a tag, or a test's in-memory map go through the same pipeline.

use std::io;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::boundary::{Boundary, Escape};
use crate::diagnostics::Diagnostic;

/// Decides which paths below the root are considered at all.
#[derive(Debug, Clone)]
pub struct PathFilter {
    exclude: GlobSet,
    skip_dirs: Vec<PathBuf>,
}

impl PathFilter {
    /// Builds a filter from `exclude` globs (invalid ones were reported by the config) and
    /// folders (relative to the root) that are never read: the output folder, theme overrides.
    pub fn new(exclude: &[String], skip_dirs: Vec<PathBuf>) -> PathFilter {
        let mut b = GlobSetBuilder::new();
        for p in exclude {
            if let Ok(g) = GlobBuilder::new(p).literal_separator(true).build() {
                b.add(g);
            }
        }
        PathFilter {
            exclude: b.build().unwrap_or_else(|_| GlobSet::empty()),
            skip_dirs,
        }
    }

    /// Whether a path relative to the root is skipped: hidden (any component starting with
    /// `.`), excluded by a glob (matched against the whole path and each component name), or
    /// inside a skipped folder.
    pub fn skips(&self, rel: &Path) -> bool {
        if rel.as_os_str().is_empty() {
            return false;
        }
        if self.skip_dirs.iter().any(|d| rel.starts_with(d)) {
            return true;
        }
        if self.exclude.is_match(rel) {
            return true;
        }
        rel.components().any(|c| {
            let name = c.as_os_str().to_string_lossy();
            name.starts_with('.') || self.exclude.is_match(Path::new(&*name))
        })
    }
}

/// The files of a tree, and the symbolic links in it that lead outside.
#[derive(Debug, Default)]
pub struct Listing {
    /// Every file the filter keeps, relative and sorted.
    pub files: Vec<PathBuf>,
    /// Links (to files or folders) that lead out of the tree or into `.git`: not followed.
    pub outside: Vec<Escape>,
}

/// A tree of files to build from.
pub trait Source: Sync {
    /// Every file below the root that the filter keeps, and the links that lead outside.
    /// Problems met while listing (symlink loops, unreadable folders) are reported in
    /// `diags`.
    fn files(&self, filter: &PathFilter, diags: &mut Vec<Diagnostic>) -> Listing;
    /// The bytes of one file, by relative path.
    fn read(&self, rel: &Path) -> io::Result<Vec<u8>>;
    /// Whether a relative path is a file in this tree (not filtered).
    fn exists(&self, rel: &Path) -> bool;
    /// The symbolic link on the way to `rel` that leads out of the tree, if there is one
    /// (only a tree on disk has links).
    fn escape(&self, _rel: &Path) -> Option<Escape> {
        None
    }
}

/// The work tree on disk. Nothing outside the root (or in its `.git`) is read: see
/// [`Boundary`].
#[derive(Debug, Clone)]
pub struct FsSource {
    root: PathBuf,
    boundary: Boundary,
}

impl FsSource {
    /// A source rooted at `root`.
    pub fn new(root: impl Into<PathBuf>) -> FsSource {
        let root = root.into();
        let boundary = Boundary::new(&root, "the AIMS folder");
        FsSource { root, boundary }
    }

    /// The root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

impl Source for FsSource {
    fn files(&self, filter: &PathFilter, diags: &mut Vec<Diagnostic>) -> Listing {
        let walk = self
            .boundary
            .walk(Path::new(""), &|rel: &Path| filter.skips(rel));
        diags.extend(walk.problems);
        Listing {
            files: walk.files,
            outside: walk.escapes,
        }
    }

    fn read(&self, rel: &Path) -> io::Result<Vec<u8>> {
        self.boundary.read(rel)
    }

    fn exists(&self, rel: &Path) -> bool {
        self.boundary.resolve(rel).is_ok_and(|p| p.is_file())
    }

    fn escape(&self, rel: &Path) -> Option<Escape> {
        self.boundary.escape(rel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_skips_hidden_excluded_and_output() {
        let f = PathFilter::new(&["_*".into(), "drafts/**".into()], vec!["_site".into()]);
        assert!(f.skips(Path::new(".git/config")));
        assert!(f.skips(Path::new("docs/.hidden.md")));
        assert!(f.skips(Path::new("_layouts/x.md")));
        assert!(f.skips(Path::new("docs/_partial.md")));
        assert!(f.skips(Path::new("drafts/a.md")));
        assert!(!f.skips(Path::new("policies/ai.md")));
        let none = PathFilter::new(&[], vec!["out".into()]);
        assert!(!none.skips(Path::new("_posts/a.md")));
        assert!(none.skips(Path::new("out/index.md")));
    }
}
