//! `aimsdoc diff`: the AIMS compiled at two revisions (or the work tree) and compared, each
//! judged as of its own date as on the changes pages: a revision as of its commit's date (a
//! tag: its release), the work tree as of "today".

use std::path::{Path, PathBuf};

use super::diff;
use crate::date::Date;
use crate::git::{GitTreeSource, Repo};
use crate::load::{FsSource, Source, Uncached};
use crate::pipeline::{compile, Compilation, CompileError, CompileOptions};

/// The label `aimsdoc diff` accepts for the files on disk.
pub const WORKTREE: &str = "worktree";

/// The date of `commit` (its committer date), `None` when git cannot tell.
fn commit_date(repo: &Repo, commit: &str) -> Option<Date> {
    let out = repo
        .run(&["show", "-s", "--format=%ct", commit, "--"])
        .ok()?;
    let secs = String::from_utf8_lossy(&out).trim().parse().ok()?;
    Date::from_unix(secs)
}

/// Compiles the AIMS at `root` as it is at `rev` (a tag, commit, `HEAD`, or [`WORKTREE`]),
/// judged as of the commit's date (the work tree: as of `today`).
fn compile_at(
    repo: Option<&Repo>,
    root: &Path,
    rev: &str,
    today: Date,
) -> Result<(Compilation, Box<dyn Source>), String> {
    let mut as_of = today;
    let source: Box<dyn Source> = if rev == WORKTREE {
        Box::new(FsSource::new(root))
    } else {
        let repo = repo.ok_or_else(|| {
            format!(
                "cannot read `{rev}`: {} is not in a git repository",
                root.display()
            )
        })?;
        let commit = repo
            .commit_of(rev)
            .ok_or_else(|| format!("`{rev}` is not a tag, branch or commit of this repository"))?;
        if repo.tree_of(&commit).is_none() {
            return Err(format!("the AIMS folder does not exist at `{rev}`"));
        }
        as_of = commit_date(repo, commit.as_str()).unwrap_or(today);
        Box::new(GitTreeSource::new(repo, &commit).map_err(|e| e.to_string())?)
    };
    let opts = CompileOptions::new(root, vec![PathBuf::from("_site")], as_of);
    let c = match compile(&*source, &opts, &Uncached) {
        Ok(c) => c,
        Err(CompileError::Load(e)) => return Err(format!("{rev}: {e}")),
        Err(CompileError::Config(_)) => return Err(format!("aims.toml at `{rev}` has errors")),
    };
    Ok((c, source))
}

/// What changed in the AIMS at `root` from revision `from` to revision `to` (tags, commits,
/// `HEAD`, or `worktree` for the files on disk, judged as of `today`).
pub fn diff_revisions(
    root: &Path,
    from: &str,
    to: &str,
    today: Date,
) -> Result<diff::Changes, String> {
    let repo = Repo::discover(root).ok();
    let (old, old_src) = compile_at(repo.as_ref(), root, from, today)?;
    let (new, new_src) = compile_at(repo.as_ref(), root, to, today)?;
    Ok(diff::compare(
        &diff::Side {
            label: from,
            manual: &old.manual,
            analysis: &old.analysis,
            resolved: &old.resolved,
            source: &*old_src,
        },
        &diff::Side {
            label: to,
            manual: &new.manual,
            analysis: &new.analysis,
            resolved: &new.resolved,
            source: &*new_src,
        },
    ))
}
