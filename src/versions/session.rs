//! The git side of a versioned build: the repository, the tags to build, `HEAD`, the work
//! tree's changes and the history of the AIMS folder, asked of git side by side.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::tags::{self, Tag};
use crate::config::{Config, Current, VersionsConfig, CONFIG_FILE};
use crate::diagnostics::{code, Diagnostic, Span};
use crate::git::log::{self, Log};
use crate::git::{self, commit_time, GitTreeSource, Object, ObjectId, Repo, Store};
use crate::load::{FsSource, Source};

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
    pub trees: Vec<Option<ObjectId>>,
    /// `HEAD`'s commit.
    pub head: Option<ObjectId>,
    /// `HEAD`'s committer date (Unix seconds).
    pub head_time: Option<i64>,
    /// History of the AIMS folder.
    pub log: Log,
    /// Blob ids of the AIMS folder at `HEAD` (for the work tree's history).
    pub head_blobs: BTreeMap<PathBuf, ObjectId>,
    /// The object reader shared by every version (`None` outside git).
    pub store: Option<Arc<Store>>,
    /// Files (relative to the AIMS root) whose work-tree contents differ from `HEAD`.
    pub modified: std::collections::HashSet<PathBuf>,
}

pub(super) fn no_history(message: String) -> Diagnostic {
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

    /// Finds the repository and the versions to build when aims.toml has `[versions]`
    /// (`None` without it: a plain build never asks git). Never fails: outside git, without
    /// `git`, or in a shallow clone there is one warning and the build goes on with what is
    /// available.
    pub fn open(root: &Path, diags: &mut Vec<Diagnostic>) -> Option<Session> {
        // Without [versions] the manual is the work tree alone: no git at all.
        let config = peek_config(root)?;
        let mut s = Session {
            config: Some(config.clone()),
            ..Session::without_git()
        };
        let worktree = config.current == Current::Worktree;
        // Every question to git that does not need another's answer is asked at once, from
        // the AIMS root (pathspec "." is the AIMS folder).
        let (repo, tags, log_out, modified, cat) = std::thread::scope(|scope| {
            let tags = scope.spawn(|| tags::list_tags_in(root));
            let log = scope.spawn(|| {
                // From every tag (a superset of the releases) and HEAD.
                Log::run(root, &["HEAD", "--tags"], ".")
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
                tags.join().ok(),
                log.join().ok(),
                modified.join().unwrap_or_default(),
                cat.join().ok().flatten(),
            )
        });
        let repo = match repo {
            Ok(r) => r,
            Err(e) => {
                diags.push(
                    no_history(format!("no git history: {e}; building the current manual only, without versions or document history"))
                        .with_suggestion("build inside a clone of the AIMS repository to get versions and history"),
                );
                return Some(s);
            }
        };
        if repo.shallow {
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
        if let Some(tags) = tags {
            match tags {
                Ok(all) => s.tags = tags::select(all, &config),
                Err(e) => diags.push(no_history(format!("cannot list tags: {e}"))),
            }
        }
        let prefix = repo.prefix.trim_end_matches('/').to_string();
        let tree_at = |commit: &ObjectId| -> Option<ObjectId> {
            let name = format!("{commit}:{prefix}");
            match &store {
                Some(st) => st
                    .with_reader(|r| r.info(&name))
                    .ok()
                    .flatten()
                    .and_then(Object::tree),
                None => repo.tree_of(commit),
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
                .map(|f| f.and_then(Object::tree))
                .collect(),
            _ => s.tags.iter().map(|t| tree_at(&t.commit)).collect(),
        };
        if let (Some(head), Some(st)) = (&repo.head, &store) {
            if let Some(tree) = tree_at(head) {
                s.head_blobs = st.files(&tree).unwrap_or_default();
            }
        }
        let log = log_out
            .map(|out| out.and_then(|out| Log::from_output(&out, &repo.prefix, store.clone())));
        match log {
            Some(Ok(log)) => s.log = log,
            Some(Err(e)) if repo.head.is_some() => {
                diags.push(no_history(format!("cannot read the git history: {e}")));
            }
            _ => {}
        }
        s.repo = Some(repo);
        s.store = store;
        Some(s)
    }

    /// Where the current manual comes from: the work tree, or `HEAD` with `current = "HEAD"`.
    pub fn current_source(&self, root: &Path) -> Box<dyn Source> {
        let head = self
            .config
            .as_ref()
            .filter(|c| c.current == Current::Head)
            .and(self.repo.as_ref())
            .zip(self.head.as_ref());
        if let (Some((repo, head)), Some(store)) = (head, &self.store) {
            let name = format!("{head}:{}", repo.prefix.trim_end_matches('/'));
            let tree = store.with_reader(|r| r.info(&name)).ok().flatten();
            if let Some(tree) = tree.and_then(Object::tree) {
                if let Ok(src) = GitTreeSource::from_tree(store.clone(), &tree) {
                    return Box::new(src);
                }
            }
        }
        Box::new(FsSource::new(root))
    }

    /// The history of every document of a manual whose files have the blob ids `blobs`, as
    /// of the commit date `until` (`None`: the current manual), by path; `soa.yaml`'s too
    /// when the manual has one.
    pub fn histories(
        &self,
        manual: &crate::model::Manual,
        blobs: &BTreeMap<PathBuf, ObjectId>,
        until: Option<i64>,
    ) -> HashMap<PathBuf, Vec<log::Entry>> {
        let soa = manual
            .soa
            .present
            .then(|| PathBuf::from(crate::model::soa::SOA_FILE));
        let paths: Vec<&PathBuf> = manual
            .documents
            .iter()
            .map(|d| &d.path)
            .chain(soa.as_ref())
            .collect();
        let files: Vec<(&PathBuf, String, &ObjectId)> = paths
            .into_iter()
            .filter_map(|p| {
                let blob = blobs.get(p)?;
                Some((p, p.to_string_lossy().replace('\\', "/"), blob))
            })
            .collect();
        let ids = self
            .log
            .blobs_for(files.iter().map(|(_, p, b)| (p.as_str(), *b)), until);
        self.log.prefetch(&ids);
        files
            .into_iter()
            .map(|(p, path, blob)| (p.clone(), self.log.file_history(&path, blob, until)))
            .collect()
    }
}
