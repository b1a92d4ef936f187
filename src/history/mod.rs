//! Versions from git: the current manual plus every release tag built side by side under
//! `v/<tag>/`, per-document history, and what changed between versions. It sits beside the
//! pipeline and reuses it: a tag is just another [`Source`](crate::load::Source)
//! ([`tree::GitTreeSource`]) compiled and rendered into a prefixed sink.
//!
//! git is run as a program ([`git`]); nothing here writes to the repository, its work tree or
//! its index.

pub mod diff;
pub mod docs;
pub mod git;
pub mod log;
pub mod pages;
pub mod reuse;
pub mod sink;
pub mod store;
pub mod tree;
pub mod versions;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{Config, Current, VersionsConfig, CONFIG_FILE};
use crate::date::Date;
use crate::diagnostics::{code, Diagnostic, Severity, Span};
use crate::load::{FsSource, Source};
use crate::model::Catalog;
use crate::{compile, Compiled, RunError};
pub use docs::DocCache;
use git::Repo;
use log::Log;
use store::Store;
use tree::GitTreeSource;
use versions::Tag;

/// Reads `[versions]` from the AIMS root's aims.toml on disk (problems are reported when the
/// manual itself is loaded).
pub fn peek_config(root: &Path) -> Option<VersionsConfig> {
    let bytes = FsSource::new(root).read(Path::new(CONFIG_FILE)).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let mut ignored = Vec::new();
    Config::parse(&text, &mut ignored)?.versions
}

/// The git side of a build: the repository (if any), the tags to build and the history.
pub struct Session {
    /// The repository holding the AIMS (`None` outside git or without `git`).
    pub repo: Option<Repo>,
    /// `[versions]` (`None`: build the current manual only, with history when in git).
    pub config: Option<VersionsConfig>,
    /// Selected tags, oldest first.
    pub tags: Vec<Tag>,
    /// The AIMS folder's tree id at each tag (`None`: the folder is not there).
    pub trees: Vec<Option<String>>,
    /// `HEAD`'s commit.
    pub head: Option<String>,
    /// `HEAD`'s committer date (Unix seconds).
    pub head_time: Option<i64>,
    /// History of the AIMS folder.
    pub log: Log,
    /// Blob ids of the AIMS folder at `HEAD` (for the work tree's history).
    pub head_blobs: BTreeMap<PathBuf, String>,
    /// The object reader shared by every version (`None` outside git).
    pub store: Option<Arc<Store>>,
    /// Files (relative to the AIMS root) whose work-tree contents differ from `HEAD`.
    pub modified: std::collections::HashSet<PathBuf>,
}

fn no_history(message: String) -> Diagnostic {
    Diagnostic::warning(code::NO_GIT_HISTORY, Span::file(CONFIG_FILE), message)
}

impl Session {
    /// A session that never asks git: the current manual from the work tree, no versions,
    /// no history (audience builds: commit messages are not classified).
    pub fn without_git() -> Session {
        Session {
            repo: None,
            config: None,
            tags: Vec::new(),
            trees: Vec::new(),
            head: None,
            head_time: None,
            log: Log::empty(),
            head_blobs: BTreeMap::new(),
            modified: Default::default(),
            store: None,
        }
    }

    /// Finds the repository and the versions to build. Never fails: outside git, without
    /// `git`, or in a shallow clone there is one warning (when `[versions]` asks for
    /// versions) and the build goes on with what is available.
    pub fn open(root: &Path, diags: &mut Vec<Diagnostic>) -> Session {
        let config = peek_config(root);
        let mut s = Session {
            config: config.clone(),
            ..Session::without_git()
        };
        let wants = config.is_some();
        if !wants {
            // Without [versions] the manual is the work tree alone: no git at all.
            return s;
        }
        let worktree = config
            .as_ref()
            .is_none_or(|c| c.current == Current::Worktree);
        // Every question to git that does not need another's answer is asked at once, from
        // the AIMS root (pathspec "." is the AIMS folder).
        let (repo, tags, log_out, modified, cat) = std::thread::scope(|scope| {
            let tags = scope.spawn(|| wants.then(|| versions::list_tags_in(root)));
            let log = scope.spawn(|| {
                // With versions, from every tag (a superset of the releases) and HEAD.
                let tips: &[&str] = if wants {
                    &["HEAD", "--tags"]
                } else {
                    &["HEAD"]
                };
                Log::run(root, tips, ".")
            });
            let modified = scope.spawn(move || -> std::collections::HashSet<PathBuf> {
                if !worktree {
                    return Default::default();
                }
                let out = git::run(
                    root,
                    &[
                        "diff",
                        "--no-ext-diff",
                        "--no-renames",
                        "--relative",
                        "--name-only",
                        "-z",
                        "HEAD",
                        "--",
                        ".",
                    ],
                )
                .unwrap_or_default();
                git::nul_fields(&out)
                    .map(|p| PathBuf::from(String::from_utf8_lossy(p).into_owned()))
                    .collect()
            });
            let cat = scope.spawn(|| git::CatFile::start(root).ok());
            let repo = Repo::discover(root);
            (
                repo,
                tags.join().ok().flatten(),
                log.join().ok(),
                modified.join().unwrap_or_default(),
                cat.join().ok().flatten(),
            )
        });
        let repo = match repo {
            Ok(r) => r,
            Err(e) => {
                if wants {
                    diags.push(
                        no_history(format!("no git history: {e}; building the current manual only, without versions or document history"))
                            .with_suggestion("build inside a clone of the AIMS repository to get versions and history"),
                    );
                }
                return s;
            }
        };
        if repo.shallow && wants {
            diags.push(
                no_history("no full git history: this is a shallow clone, so document history and tags older than the clone's depth are missing".into())
                    .with_suggestion("fetch the whole history with `git fetch --unshallow --tags`"),
            );
        }
        s.head = repo.head.clone();
        s.modified = modified;
        let store: Option<Arc<Store>> = cat.map(|c| Arc::new(Store::with(c)));
        if let Some(st) = &store {
            if let Some(head) = &repo.head {
                s.head_time = st
                    .with_reader(|r| r.read(head))
                    .ok()
                    .flatten()
                    .and_then(|c| commit_time(&c));
            }
        }
        if let (Some(cfg), Some(tags)) = (&config, tags) {
            match tags {
                Ok(all) => s.tags = versions::select(all, cfg),
                Err(e) => diags.push(no_history(format!("cannot list tags: {e}"))),
            }
        }
        let prefix = repo.prefix.trim_end_matches('/').to_string();
        let tree_at = |rev: &str| -> Option<String> {
            let name = format!("{rev}:{prefix}");
            match &store {
                Some(st) => st
                    .with_reader(|r| r.info(&name))
                    .ok()
                    .flatten()
                    .filter(|(_, kind)| kind == "tree")
                    .map(|(id, _)| id),
                None => repo.tree_of(rev),
            }
        };
        let names: Vec<String> = s
            .tags
            .iter()
            .map(|t| format!("{}:{prefix}", t.commit))
            .collect();
        s.trees = match store
            .as_ref()
            .map(|st| st.with_reader(|r| r.info_many(&names)))
        {
            Some(Ok(found)) => found
                .into_iter()
                .map(|f| f.filter(|(_, kind)| kind == "tree").map(|(id, _)| id))
                .collect(),
            _ => s.tags.iter().map(|t| tree_at(&t.commit)).collect(),
        };
        if let (Some(head), Some(st)) = (&repo.head, &store) {
            if let Some(tree) = tree_at(head) {
                s.head_blobs = st.files(&tree).unwrap_or_default();
            }
        }
        match log_out {
            Some(Ok(out)) => s.log = Log::from_output(&out, &repo.prefix, store.clone()),
            Some(Err(e)) if wants && repo.head.is_some() => {
                diags.push(no_history(format!("cannot read the git history: {e}")));
            }
            _ => {}
        }
        s.repo = Some(repo);
        s.store = store;
        s
    }

    /// Where the current manual comes from: the work tree, or `HEAD` with `current = "HEAD"`.
    pub fn current_source(&self, root: &Path) -> Box<dyn Source> {
        let head = self
            .config
            .as_ref()
            .filter(|c| c.current == Current::Head)
            .and(self.repo.as_ref())
            .zip(self.head.as_deref());
        if let (Some((repo, head)), Some(store)) = (head, &self.store) {
            let name = format!("{head}:{}", repo.prefix.trim_end_matches('/'));
            let tree = store.with_reader(|r| r.info(&name)).ok().flatten();
            if let Some((tree, _)) = tree.filter(|(_, kind)| kind == "tree") {
                if let Ok(src) = GitTreeSource::from_tree(store.clone(), &tree) {
                    return Box::new(src);
                }
            }
        }
        Box::new(FsSource::new(root))
    }

    /// The history of every document of a manual whose files have the blob ids `blobs`, as
    /// of the commit date `until` (`None`: the current manual).
    pub fn histories(
        &self,
        manual: &crate::model::Manual,
        blobs: &BTreeMap<PathBuf, String>,
        until: Option<i64>,
    ) -> HashMap<PathBuf, Vec<log::Entry>> {
        let files: Vec<(String, &str)> = manual
            .documents
            .iter()
            .filter_map(|d| {
                let blob = blobs.get(&d.path)?;
                Some((d.path.to_string_lossy().replace('\\', "/"), blob.as_str()))
            })
            .collect();
        let ids = self
            .log
            .blobs_for(files.iter().map(|(p, b)| (p.as_str(), *b)), until);
        self.log.prefetch(&ids);
        manual
            .documents
            .iter()
            .filter_map(|d| {
                let blob = blobs.get(&d.path)?;
                let path = d.path.to_string_lossy().replace('\\', "/");
                Some((d.path.clone(), self.log.file_history(&path, blob, until)))
            })
            .collect()
    }
}

/// A manual compiled from a git tree, shared by the versions with that tree.
pub struct CompiledVersion {
    /// The compiled manual.
    pub compiled: Compiled,
    /// Its files.
    pub source: GitTreeSource,
    /// Its diagnostics as lines for its pages (`path:line: message [code]`).
    pub warnings: Vec<String>,
    /// Its diagnostics as warnings of that version.
    pub diagnostics: Vec<Diagnostic>,
}

/// Compiles the AIMS at one tag. Its content problems become warnings of that version
/// (returned in [`CompiledVersion::diagnostics`]); `Err` says why the tag cannot be built
/// (no aims.toml, or one with errors).
pub fn compile_version(
    store: &Arc<Store>,
    root: &Path,
    tag: &Tag,
    tree: &str,
    today: Date,
    docs: &DocCache,
) -> Result<CompiledVersion, String> {
    let where_ = format!("[{}]", tag.dir().trim_end_matches('/'));
    let src = GitTreeSource::from_tree(store.clone(), tree).map_err(|e| e.to_string())?;
    let config = src
        .blobs()
        .get(Path::new(CONFIG_FILE))
        .cloned()
        .unwrap_or_default();
    let loader = |p: &Path, catalog: &Catalog, d: &mut Vec<Diagnostic>| match src.blobs().get(p) {
        Some(blob) => docs.load(&src, p, blob, &config, catalog, d),
        None => crate::load::load_document(&src, p, catalog, d),
    };
    let c = crate::compile_with(&src, root, Vec::new(), today, &loader).map_err(|e| match e {
        RunError::Load(e) => e.to_string(),
        e => e.to_string(),
    })?;
    if c.manual.is_none() {
        return Err("its aims.toml has errors".into());
    }
    let mut shown = Vec::new();
    let diagnostics: Vec<Diagnostic> = c
        .diagnostics
        .clone()
        .sorted()
        .into_iter()
        // "Overdue as of today" says nothing about the version as it was released.
        .filter(|d| d.code != code::REVIEW_OVERDUE)
        .map(|d| {
            let at = if d.span.line > 0 {
                format!("{}:{}", d.span.file.display(), d.span.line)
            } else {
                d.span.file.display().to_string()
            };
            shown.push(format!("{}: {} [{}]", at, d.message, d.code.id));
            Diagnostic {
                severity: Severity::Warning,
                message: format!("{where_} {}", d.message),
                span: Span {
                    file: PathBuf::from(format!("{}:{}", tag.name, d.span.file.display())),
                    range: 0..0,
                    ..d.span
                },
                ..d
            }
        })
        .collect();
    Ok(CompiledVersion {
        compiled: c,
        source: src,
        warnings: shown,
        diagnostics,
    })
}

/// The warning for a tag that is not built.
pub fn not_built(tag: &Tag, why: &str) -> Diagnostic {
    no_history(format!(
        "[{}] tag {} is not built: {why}",
        tag.dir().trim_end_matches('/'),
        tag.name
    ))
}

/// Problems writing a tagged version, each naming the tag and its folder (`None`: the
/// current manual's, left as they are).
pub fn in_version(tag: Option<&Tag>, diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let Some(tag) = tag else {
        return diags;
    };
    let dir = tag.dir();
    diags
        .into_iter()
        .map(|d| Diagnostic {
            message: format!(
                "[{}] tag {}: {}",
                dir.trim_end_matches('/'),
                tag.name,
                d.message
            ),
            span: Span {
                file: PathBuf::from(format!("{dir}{}", d.span.file.display())),
                ..d.span
            },
            ..d
        })
        .collect()
}

/// The committer time in a raw commit object.
fn commit_time(commit: &[u8]) -> Option<i64> {
    let text = String::from_utf8_lossy(commit);
    let line = text
        .lines()
        .take_while(|l| !l.is_empty())
        .find(|l| l.starts_with("committer "))?;
    let mut f = line.rsplit(' ');
    let _tz = f.next()?;
    f.next()?.parse().ok()
}

/// The label `aimsdoc diff` accepts for the files on disk.
pub const WORKTREE: &str = "worktree";

/// Compiles the AIMS at `root` as it is at `rev` (a tag, commit, `HEAD`, or [`WORKTREE`]).
fn compile_at(
    repo: Option<&Repo>,
    root: &Path,
    rev: &str,
    today: Date,
) -> Result<(Compiled, Box<dyn Source>), String> {
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
        Box::new(GitTreeSource::new(repo, &commit).map_err(|e| e.to_string())?)
    };
    let c = compile(&*source, root, vec![PathBuf::from("_site")], today)
        .map_err(|e| format!("{rev}: {e}"))?;
    if c.manual.is_none() {
        return Err(format!("aims.toml at `{rev}` has errors"));
    }
    Ok((c, source))
}

/// What changed in the AIMS at `root` from revision `from` to revision `to` (tags, commits,
/// `HEAD`, or `worktree` for the files on disk).
pub fn diff_revisions(
    root: &Path,
    from: &str,
    to: &str,
    today: Date,
) -> Result<diff::Changes, String> {
    let repo = Repo::discover(root).ok();
    let (old, old_src) = compile_at(repo.as_ref(), root, from, today)?;
    let (new, new_src) = compile_at(repo.as_ref(), root, to, today)?;
    match (&old.manual, &old.analysis, &new.manual, &new.analysis) {
        (Some(om), Some(oa), Some(nm), Some(na)) => Ok(diff::compare(
            &diff::Side {
                label: from,
                manual: om,
                analysis: oa,
                source: &*old_src,
            },
            &diff::Side {
                label: to,
                manual: nm,
                analysis: na,
                source: &*new_src,
            },
        )),
        _ => Err("the AIMS could not be loaded".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_of_an_old_version_name_its_tag_and_folder() {
        let tag = Tag {
            name: "release/2".into(),
            commit: "c".into(),
            time: 0,
        };
        let io = || {
            vec![Diagnostic::error(
                code::IO_ERROR,
                Span::file("static/style.css"),
                "cannot write static/style.css: File name too long",
            )]
        };
        let named = in_version(Some(&tag), io());
        assert_eq!(
            named[0].message,
            "[v/release~2F2] tag release/2: cannot write static/style.css: File name too long"
        );
        assert_eq!(
            named[0].span.file,
            PathBuf::from("v/release~2F2/static/style.css")
        );
        // The current manual's are left as they are.
        assert_eq!(in_version(None, io())[0].message, io()[0].message);
    }
}
