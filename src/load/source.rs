//! Where documents come from: a small abstraction over "list files, read bytes" so that the
//! work tree, a git tree at a tag, or a test's in-memory map go through the same pipeline.

use std::io;
use std::path::{Path, PathBuf};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::diagnostics::{code, Diagnostic, Span};

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

/// A tree of files to build from.
pub trait Source: Sync {
    /// Every file below the root that the filter keeps, relative and sorted. Problems met
    /// while listing (symlink loops, unreadable folders) are reported in `diags`.
    fn files(&self, filter: &PathFilter, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf>;
    /// The bytes of one file, by relative path.
    fn read(&self, rel: &Path) -> io::Result<Vec<u8>>;
    /// Whether a relative path is a file in this tree (not filtered).
    fn exists(&self, rel: &Path) -> bool;
}

/// The work tree on disk.
#[derive(Debug, Clone)]
pub struct FsSource {
    root: PathBuf,
}

impl FsSource {
    /// A source rooted at `root`.
    pub fn new(root: impl Into<PathBuf>) -> FsSource {
        FsSource { root: root.into() }
    }

    /// The root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }
}

impl Source for FsSource {
    fn files(&self, filter: &PathFilter, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let walker = walkdir::WalkDir::new(&self.root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.path()
                    .strip_prefix(&self.root)
                    .map(|rel| !filter.skips(rel))
                    .unwrap_or(false)
            });
        for entry in walker {
            match entry {
                Ok(e) => {
                    if e.file_type().is_file() {
                        if let Ok(rel) = e.path().strip_prefix(&self.root) {
                            out.push(rel.to_path_buf());
                        }
                    }
                }
                Err(err) => {
                    let rel = err
                        .path()
                        .and_then(|p| p.strip_prefix(&self.root).ok())
                        .map(Path::to_path_buf)
                        .unwrap_or_default();
                    if err.loop_ancestor().is_some() {
                        diags.push(
                            Diagnostic::warning(
                                code::SYMLINK_LOOP,
                                Span::file(&rel),
                                format!("symbolic link loop at {}; skipped", rel.display()),
                            )
                            .with_suggestion("remove the link or add its path to `exclude`"),
                        );
                    } else {
                        let why = err
                            .io_error()
                            .map(|e| e.to_string())
                            .unwrap_or_else(|| err.to_string());
                        diags.push(Diagnostic::error(
                            code::IO_ERROR,
                            Span::file(&rel),
                            format!("cannot read {}: {why}", rel.display()),
                        ));
                    }
                }
            }
        }
        out.sort();
        out
    }

    fn read(&self, rel: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(self.root.join(rel))
    }

    fn exists(&self, rel: &Path) -> bool {
        self.root.join(rel).is_file()
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
