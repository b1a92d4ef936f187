//! The edge of a folder aimsdoc reads from (the AIMS root, or a theme folder): every path is
//! resolved with its symbolic links and must stay inside the folder and out of any `.git`
//! folder in it. A link that leads elsewhere is not followed; it becomes an [`Escape`], which
//! the caller reports where the link is used.
//!
//! The walk is written here rather than with `walkdir`: walkdir follows a link to a folder and
//! opens (and, sorted, lists) that folder before a filter can refuse it, so a link to `/etc`
//! would list `/etc`. This walk looks at each link first and never opens what leads outside.

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{code, Diagnostic, Span};

/// A folder whose files may be read, and nothing outside it.
#[derive(Debug, Clone)]
pub struct Boundary {
    /// The folder with its symbolic links resolved.
    canonical: PathBuf,
    /// How messages name the folder: "the AIMS folder", "the theme folder".
    name: &'static str,
}

pub use crate::model::Escape;

/// What a walk found below a folder.
#[derive(Debug, Default)]
pub struct Walk {
    /// Files, relative to the boundary's folder, sorted.
    pub files: Vec<PathBuf>,
    /// Links leading outside, not followed, sorted by link.
    pub escapes: Vec<Escape>,
    /// Link loops (warnings) and entries that could not be read (errors), at paths relative
    /// to the boundary's folder.
    pub problems: Vec<Diagnostic>,
}

/// A folder being walked: where it is read from, its path relative to the boundary, and the
/// resolved paths of it and of the folders walked to reach it (to notice loops).
struct Pending {
    abs: PathBuf,
    rel: PathBuf,
    chain: Vec<PathBuf>,
}

impl Boundary {
    /// The boundary of `root`, named `name` in messages. A root that cannot be resolved (it
    /// does not exist) is taken as given: nothing below it exists either.
    pub fn new(root: &Path, name: &'static str) -> Boundary {
        Boundary {
            canonical: fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()),
            name,
        }
    }

    /// The folder with its symbolic links resolved.
    pub fn canonical(&self) -> &Path {
        &self.canonical
    }

    /// Whether a resolved path is inside: at or below the folder, and not in a `.git`
    /// folder below it.
    pub fn holds(&self, resolved: &Path) -> bool {
        resolved
            .strip_prefix(&self.canonical)
            .is_ok_and(|rel| !rel.components().any(|c| c.as_os_str() == ".git"))
    }

    /// The escape of the link at `abs` (shown as `rel`), which resolves to `resolved`.
    fn escape_at(&self, rel: &Path, abs: &Path, resolved: &Path) -> Escape {
        let written = fs::read_link(abs).ok().filter(|t| t.is_absolute());
        Escape {
            link: rel.to_path_buf(),
            target: written.unwrap_or_else(|| resolved.to_path_buf()),
            into_git: resolved.starts_with(&self.canonical),
            is_dir: resolved.is_dir(),
            folder: self.name,
        }
    }

    /// Follows `rel` (relative to the folder) component by component. `Ok` is the resolved
    /// path (which may not exist); `Err(Some(_))` the first link on the way that leads
    /// outside; `Err(None)` a path that is not below the folder at all (`..`, absolute) or
    /// names a `.git` folder.
    fn trace(&self, rel: &Path) -> Result<PathBuf, Option<Escape>> {
        let mut cur = self.canonical.clone();
        let mut shown = PathBuf::new();
        for c in rel.components() {
            match c {
                Component::Normal(n) if n != ".git" => {
                    cur.push(n);
                    shown.push(n);
                }
                Component::CurDir => continue,
                _ => return Err(None),
            }
            match fs::symlink_metadata(&cur) {
                Ok(m) if m.file_type().is_symlink() => match fs::canonicalize(&cur) {
                    Ok(t) if self.holds(&t) => cur = t,
                    Ok(t) => return Err(Some(self.escape_at(&shown, &cur, &t))),
                    // A dangling link or a loop: reading it fails with the system's reason.
                    Err(_) => return Ok(cur),
                },
                Ok(_) => {}
                Err(_) => return Ok(cur),
            }
        }
        Ok(cur)
    }

    /// The link leading outside on the way to `rel`, if there is one.
    pub fn escape(&self, rel: &Path) -> Option<Escape> {
        self.trace(rel).err().flatten()
    }

    /// The resolved path of `rel`, or an error when it leads outside.
    pub fn resolve(&self, rel: &Path) -> io::Result<PathBuf> {
        match self.trace(rel) {
            Ok(p) => Ok(p),
            Err(Some(e)) => Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                e.message(&e.link),
            )),
            Err(None) => Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                format!("{} is not a path inside {}", rel.display(), self.name),
            )),
        }
    }

    /// The bytes of the file at `rel`, refused when it leads outside.
    pub fn read(&self, rel: &Path) -> io::Result<Vec<u8>> {
        fs::read(self.resolve(rel)?)
    }

    /// Every file below `start` (relative to the folder; empty for the folder itself) that
    /// `skips` keeps, following links that stay inside. `skips` gets paths relative to the
    /// folder; a skipped folder is not entered. A `start` that does not exist or is not a
    /// folder gives nothing.
    pub fn walk(&self, start: &Path, skips: &dyn Fn(&Path) -> bool) -> Walk {
        let mut walk = Walk::default();
        let first = match self.trace(start) {
            Ok(p) => p,
            Err(Some(e)) => {
                walk.escapes.push(e);
                return walk;
            }
            Err(None) => return walk,
        };
        if !first.is_dir() {
            return walk;
        }
        let mut stack = vec![Pending {
            abs: first.clone(),
            rel: start.to_path_buf(),
            chain: vec![first],
        }];
        while let Some(dir) = stack.pop() {
            self.walk_one(dir, skips, &mut stack, &mut walk);
        }
        walk.files.sort();
        walk.escapes.sort_by(|a, b| a.link.cmp(&b.link));
        walk
    }

    /// Lists one folder of a walk: its files are kept, its folders pushed on `stack`.
    fn walk_one(
        &self,
        dir: Pending,
        skips: &dyn Fn(&Path) -> bool,
        stack: &mut Vec<Pending>,
        walk: &mut Walk,
    ) {
        let cannot_read = |rel: &Path, e: &io::Error| {
            Diagnostic::error(
                code::IO_ERROR,
                Span::file(rel),
                format!("cannot read {}: {e}", rel.display()),
            )
        };
        let entries = match fs::read_dir(&dir.abs) {
            Ok(rd) => rd,
            Err(e) => {
                walk.problems.push(cannot_read(&dir.rel, &e));
                return;
            }
        };
        let mut names: Vec<(OsString, fs::FileType)> = Vec::new();
        for entry in entries {
            match entry.and_then(|e| Ok((e.file_name(), e.file_type()?))) {
                Ok(x) => names.push(x),
                Err(e) => walk.problems.push(cannot_read(&dir.rel, &e)),
            }
        }
        names.sort_by(|a, b| a.0.cmp(&b.0));
        for (name, kind) in names {
            let rel = dir.rel.join(&name);
            if skips(&rel) {
                continue;
            }
            let abs = dir.abs.join(&name);
            if kind.is_dir() {
                let mut chain = dir.chain.clone();
                chain.push(abs.clone());
                stack.push(Pending { abs, rel, chain });
            } else if kind.is_file() {
                walk.files.push(rel);
            } else if kind.is_symlink() {
                let target = match fs::canonicalize(&abs) {
                    Ok(t) => t,
                    Err(e) => {
                        walk.problems.push(cannot_read(&rel, &e));
                        continue;
                    }
                };
                if !self.holds(&target) {
                    walk.escapes.push(self.escape_at(&rel, &abs, &target));
                } else if target.is_dir() {
                    if dir.chain.iter().any(|a| a.starts_with(&target)) {
                        walk.problems.push(
                            Diagnostic::warning(
                                code::SYMLINK_LOOP,
                                Span::file(&rel),
                                format!("symbolic link loop at {}; skipped", rel.display()),
                            )
                            .with_suggestion("remove the link or add its path to `exclude`"),
                        );
                    } else {
                        let mut chain = dir.chain.clone();
                        chain.push(target.clone());
                        stack.push(Pending {
                            abs: target,
                            rel,
                            chain,
                        });
                    }
                } else if target.is_file() {
                    walk.files.push(rel);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("root");
        let outside = tmp.path().join("outside");
        fs::create_dir_all(root.join("a/.git")).unwrap();
        fs::create_dir_all(outside.join("sub")).unwrap();
        fs::write(root.join("a/x.md"), "x").unwrap();
        fs::write(root.join("a/.git/config"), "g").unwrap();
        fs::write(outside.join("secret.txt"), "s").unwrap();
        fs::write(outside.join("sub/deep.md"), "d").unwrap();
        (tmp, root, outside)
    }

    #[test]
    fn links_inside_are_followed_and_links_out_are_escapes() {
        let (_tmp, root, outside) = setup();
        symlink("a/x.md", root.join("in.md")).unwrap();
        symlink("a", root.join("indir")).unwrap();
        symlink(outside.join("secret.txt"), root.join("out.txt")).unwrap();
        symlink("../../outside/sub", root.join("a/outdir")).unwrap();
        symlink("a/.git/config", root.join("git.txt")).unwrap();
        let b = Boundary::new(&root, "the AIMS folder");
        let w = b.walk(Path::new(""), &|p: &Path| {
            p.file_name().is_some_and(|n| n == ".git")
        });
        let files: Vec<_> = w.files.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(files, ["a/x.md", "in.md", "indir/x.md"]);
        let links: Vec<_> = w.escapes.iter().map(|e| e.link.to_str().unwrap()).collect();
        assert_eq!(links, ["a/outdir", "git.txt", "indir/outdir", "out.txt"]);
        assert!(w.escapes[0].is_dir && !w.escapes[0].into_git);
        assert_eq!(
            w.escapes[0].target,
            fs::canonicalize(outside.join("sub")).unwrap()
        );
        assert!(w.escapes[1].into_git);
        assert_eq!(w.escapes[3].target, outside.join("secret.txt"));
        assert!(w.problems.is_empty());
    }

    #[test]
    fn reads_refuse_what_leads_outside() {
        let (_tmp, root, outside) = setup();
        symlink(&outside, root.join("o")).unwrap();
        symlink("a", root.join("in")).unwrap();
        let b = Boundary::new(&root, "the AIMS folder");
        assert_eq!(b.read(Path::new("in/x.md")).unwrap(), b"x");
        let e = b.escape(Path::new("o/secret.txt")).unwrap();
        assert_eq!(e.link, PathBuf::from("o"));
        assert!(b.read(Path::new("o/secret.txt")).is_err());
        assert!(b.read(Path::new("../outside/secret.txt")).is_err());
        assert!(b.read(&outside.join("secret.txt")).is_err());
        assert!(b.read(Path::new("a/.git/config")).is_err());
        assert!(b.escape(Path::new("a/x.md")).is_none());
    }
}
