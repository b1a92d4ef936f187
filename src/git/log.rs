//! Per-document history from one `git log --raw -M` pass over the AIMS folder: every commit
//! that touched it, with the files it added, modified, renamed or deleted and their blob ids.
//! A document's history at a version is found by starting from the commit that gave its path
//! its blob in that version and walking ancestors, following renames.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::process::{GitError, Repo};
use super::store::Store;
use crate::load::frontmatter;

/// A commit time (Unix seconds) as `YYYY-MM-DD` (`?` when out of range).
pub fn date_of(time: i64) -> String {
    crate::date::Date::from_unix(time).map_or_else(|| "?".to_string(), |d| d.to_string())
}

/// One file change in a commit, paths relative to the AIMS root.
#[derive(Debug, Clone)]
pub struct Change {
    /// `A`, `M`, `D`, `R`, `C`, `T`.
    pub status: u8,
    /// The path before (renames and copies).
    pub from: Option<String>,
    /// The path after (or the deleted path).
    pub path: String,
    /// Blob before (all zeros when added).
    pub old_blob: String,
    /// Blob after (all zeros when deleted).
    pub new_blob: String,
}

/// One commit that touched the AIMS folder.
#[derive(Debug, Clone)]
pub struct Commit {
    /// Full id.
    pub id: String,
    /// Parents in the simplified history (indices into [`Log::commits`]).
    pub parents: Vec<usize>,
    /// Author date (Unix seconds).
    pub time: i64,
    /// Committer date (Unix seconds).
    pub committed: i64,
    /// Author name.
    pub author: String,
    /// First line of the message.
    pub subject: String,
    /// The changes below the AIMS root.
    pub changes: Vec<Change>,
}

type Meta = (Option<String>, Option<String>);

/// The history of the AIMS folder, newest first.
pub struct Log {
    /// Commits, newest first (git's order).
    pub commits: Vec<Commit>,
    store: Option<Arc<Store>>,
    meta_cache: Mutex<HashMap<String, Meta>>,
    /// (path, blob) → index of the newest commit that wrote that blob at that path.
    /// (path, blob) → the commits that wrote that blob at that path, newest first.
    writes: HashMap<(String, String), Vec<usize>>,
}

/// One row of a document's history table.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Entry {
    /// Full commit id.
    pub commit: String,
    /// Abbreviated commit id (10 hex digits).
    pub short: String,
    /// Author date, `YYYY-MM-DD`.
    pub date: String,
    /// Author name.
    pub author: String,
    /// Commit subject.
    pub subject: String,
    /// `added`, `modified` or `renamed`.
    pub change: &'static str,
    /// The previous path when renamed.
    pub renamed_from: Option<String>,
    /// `1.0 → 1.1` when the front-matter `version` changed.
    pub version: Option<String>,
    /// `draft → approved` when the front-matter `status` changed.
    pub status: Option<String>,
}

const NULL_BLOB: &str = "0000000000000000000000000000000000000000";

impl Log {
    /// An empty history (outside git).
    pub fn empty() -> Log {
        Log {
            commits: Vec::new(),
            store: None,
            meta_cache: Mutex::new(HashMap::new()),
            writes: HashMap::new(),
        }
    }

    /// Reads the history of `repo.prefix` reachable from `tips`; `store` reads blobs for the
    /// front-matter changes.
    pub fn read(repo: &Repo, tips: &[String], store: Option<Arc<Store>>) -> Result<Log, GitError> {
        let tips: Vec<&str> = tips.iter().map(String::as_str).collect();
        let spec = if repo.prefix.is_empty() {
            "."
        } else {
            repo.prefix.as_str()
        };
        let out = Log::run(&repo.top, &tips, spec)?;
        Ok(Log::from_output(&out, &repo.prefix, store))
    }

    /// Runs the one `git log` pass in `dir` from `tips` (revisions, or `--tags`) over the
    /// pathspec `spec` (relative to `dir`).
    pub fn run(dir: &std::path::Path, tips: &[&str], spec: &str) -> Result<Vec<u8>, GitError> {
        let mut args: Vec<&str> = vec![
            "log",
            "-z",
            "--raw",
            "--no-abbrev",
            "-M",
            "--parents",
            "--no-color",
            "--root",
            "--format=%x1e%H%x00%P%x00%at%x00%an%x00%s%x00%ct",
        ];
        args.extend(tips);
        args.push("--");
        args.push(spec);
        super::process::run(dir, &args)
    }

    /// The history from [`Log::run`]'s output; paths are made relative to `prefix` (the AIMS
    /// folder below the top of the work tree).
    pub fn from_output(out: &[u8], prefix: &str, store: Option<Arc<Store>>) -> Log {
        let (mut commits, parent_ids) = parse(out, prefix);
        let index: HashMap<&str, usize> = commits
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let parents: Vec<Vec<usize>> = parent_ids
            .iter()
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| index.get(p.as_str()).copied())
                    .collect()
            })
            .collect();
        for (c, p) in commits.iter_mut().zip(parents) {
            c.parents = p;
        }
        let mut writes: HashMap<(String, String), Vec<usize>> = HashMap::new();
        for (i, c) in commits.iter().enumerate() {
            for ch in &c.changes {
                if ch.status != b'D' {
                    writes
                        .entry((ch.path.clone(), ch.new_blob.clone()))
                        .or_default()
                        .push(i);
                }
            }
        }
        // Newest wins: iterate oldest → newest so later (newer) inserts overwrite.
        Log {
            commits,
            store,
            meta_cache: Mutex::new(HashMap::new()),
            writes,
        }
    }

    /// The history of the file at `path` whose blob is `blob` in some version: the commit that
    /// wrote it and every earlier commit that changed it (following renames), newest first.
    /// Only commits made at or before `until` (the version's commit date) start the history,
    /// so a blob written again later (a revert) does not bring later commits into an old
    /// version's history.
    pub fn file_history(&self, path: &str, blob: &str, until: Option<i64>) -> Vec<Entry> {
        self.walk(path, blob, until)
            .into_iter()
            .map(|(c, ch)| self.entry(&self.commits[c], &self.commits[c].changes[ch]))
            .collect()
    }

    /// The blobs [`Log::file_history`] will read for these files, to fetch them at once.
    pub fn blobs_for<'a>(
        &self,
        files: impl Iterator<Item = (&'a str, &'a str)>,
        until: Option<i64>,
    ) -> Vec<String> {
        let mut out = Vec::new();
        for (path, blob) in files {
            for (c, ch) in self.walk(path, blob, until) {
                let ch = &self.commits[c].changes[ch];
                out.push(ch.new_blob.clone());
                if ch.old_blob != NULL_BLOB {
                    out.push(ch.old_blob.clone());
                }
            }
        }
        out
    }

    /// Reads the blobs `ids` at once (see [`Log::blobs_for`]).
    pub fn prefetch(&self, ids: &[String]) {
        if let Some(store) = &self.store {
            let _ = store.prefetch(ids);
        }
    }

    /// (commit, change) of every change in the history of `path` at `blob`, newest first.
    fn walk(&self, path: &str, blob: &str, until: Option<i64>) -> Vec<(usize, usize)> {
        let Some(&start) = self
            .writes
            .get(&(path.to_string(), blob.to_string()))
            .into_iter()
            .flatten()
            .find(|&&i| until.is_none_or(|u| self.commits[i].committed <= u))
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut current = path.to_string();
        let mut queue: BTreeSet<usize> = BTreeSet::from([start]);
        let mut seen: BTreeSet<usize> = BTreeSet::new();
        while let Some(i) = queue.pop_first() {
            if !seen.insert(i) {
                continue;
            }
            let c = &self.commits[i];
            let change = c
                .changes
                .iter()
                .position(|ch| ch.path == current && ch.status != b'D');
            let mut stop = false;
            if let Some(k) = change {
                let ch = &c.changes[k];
                out.push((i, k));
                match ch.status {
                    b'A' => stop = true,
                    b'R' => {
                        if let Some(f) = &ch.from {
                            current = f.clone();
                        }
                    }
                    _ => {}
                }
            }
            if !stop {
                queue.extend(c.parents.iter().copied());
            } else {
                queue.clear();
            }
        }
        out
    }

    fn entry(&self, c: &Commit, ch: &Change) -> Entry {
        let (new_v, new_s) = self.meta(&ch.new_blob);
        let (old_v, old_s) = if ch.old_blob == NULL_BLOB {
            (None, None)
        } else {
            self.meta(&ch.old_blob)
        };
        let added = ch.status == b'A' || ch.old_blob == NULL_BLOB;
        let describe = |old: Option<String>, new: Option<String>| -> Option<String> {
            match (old, new) {
                (o, n) if o == n && !added => None,
                (_, Some(n)) if added => Some(n),
                (None, None) => None,
                (o, n) => Some(format!(
                    "{} → {}",
                    o.as_deref().unwrap_or("—"),
                    n.as_deref().unwrap_or("—")
                )),
            }
        };
        Entry {
            commit: c.id.clone(),
            short: c.id.chars().take(10).collect(),
            date: date_of(c.time),
            author: c.author.clone(),
            subject: c.subject.clone(),
            change: match ch.status {
                b'A' => "added",
                b'R' => "renamed",
                _ => "modified",
            },
            renamed_from: ch.from.clone().filter(|_| ch.status == b'R'),
            version: describe(old_v, new_v),
            status: describe(old_s, new_s),
        }
    }

    /// The front-matter `version` and `status` of a blob (cached).
    fn meta(&self, blob: &str) -> Meta {
        if let Some(m) = self
            .meta_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(blob)
        {
            return m.clone();
        }
        let bytes = self
            .store
            .as_ref()
            .and_then(|s| s.blob(blob).ok().flatten());
        let m = bytes.map_or((None, None), |b| front_matter_meta(&b));
        self.meta_cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(blob.to_string(), m.clone());
        m
    }
}

/// The `version` and `status` fields of a document's front matter, as written. A plain
/// `key: value` line is read directly; anything else goes through the YAML parser.
pub fn front_matter_meta(bytes: &[u8]) -> Meta {
    let text = String::from_utf8_lossy(bytes);
    let frontmatter::SplitResult::Found(split) = frontmatter::split(&text) else {
        return (None, None);
    };
    let simple = |key: &str| -> Option<Option<String>> {
        let mut found = None;
        for line in split.yaml.lines() {
            let Some(rest) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) else {
                continue;
            };
            let v = rest.trim();
            let v = v.split(" #").next().unwrap_or(v).trim();
            let unquoted = v
                .strip_prefix('"')
                .and_then(|x| x.strip_suffix('"'))
                .or_else(|| v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')));
            match unquoted {
                Some(u) if !u.contains(['"', '\'', '\\']) => found = Some(Some(u.to_string())),
                Some(_) => return None,
                None if v.is_empty()
                    || v.starts_with(['[', '{', '|', '>', '&', '*', '!', '"', '\'']) =>
                {
                    return None
                }
                None => found = Some(Some(v.to_string())),
            }
        }
        Some(found.unwrap_or(None))
    };
    if let (Some(v), Some(s)) = (simple("version"), simple("status")) {
        return (v, s);
    }
    let Ok(serde_yaml::Value::Mapping(map)) = crate::load::yaml::parse(split.yaml) else {
        return (None, None);
    };
    let field = |k: &str| -> Option<String> {
        match map.get(k)? {
            serde_yaml::Value::String(s) => Some(s.clone()),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            serde_yaml::Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    };
    (field("version"), field("status"))
}

/// Parses `git log -z --raw --format=%x1e…` output into commits and their parent ids.
fn parse(out: &[u8], prefix: &str) -> (Vec<Commit>, Vec<Vec<String>>) {
    let mut commits = Vec::new();
    let mut parents = Vec::new();
    for rec in out.split(|&b| b == 0x1e).filter(|r| !r.is_empty()) {
        let fields: Vec<String> = rec
            .split(|&b| b == 0)
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        if fields.len() < 6 {
            continue;
        }
        let mut changes = Vec::new();
        let mut rest = fields[6..].iter().map(|s| s.trim_start_matches('\n'));
        while let Some(raw) = rest.next() {
            // ":old_mode new_mode old_blob new_blob status"
            let Some(raw) = raw.strip_prefix(':') else {
                continue;
            };
            let parts: Vec<&str> = raw.split(' ').collect();
            if parts.len() < 5 {
                continue;
            }
            let status = parts[4].bytes().next().unwrap_or(b'M');
            let first = rest.next().unwrap_or_default().to_string();
            let (from, path) = if matches!(status, b'R' | b'C') {
                (Some(first), rest.next().unwrap_or_default().to_string())
            } else {
                (None, first)
            };
            let strip = |p: &str| p.strip_prefix(prefix).map(str::to_string);
            let Some(path) = strip(&path) else { continue };
            let from = from.and_then(|f| strip(&f));
            // A rename from outside the AIMS folder is an addition to it.
            let status = if status == b'R' && from.is_none() {
                b'A'
            } else {
                status
            };
            changes.push(Change {
                status,
                from,
                path,
                old_blob: parts[2].to_string(),
                new_blob: parts[3].to_string(),
            });
        }
        commits.push(Commit {
            id: fields[0].clone(),
            parents: Vec::new(),
            time: fields[2].parse().unwrap_or(0),
            committed: fields
                .get(5)
                .and_then(|t| t.parse().ok())
                .unwrap_or_default(),
            author: fields[3].clone(),
            subject: fields[4].clone(),
            changes,
        });
        parents.push(
            fields[1]
                .split(' ')
                .filter(|p| !p.is_empty())
                .map(str::to_string)
                .collect(),
        );
    }
    (commits, parents)
}

#[cfg(test)]
mod tests {
    use super::front_matter_meta;

    #[test]
    fn version_and_status_are_read_as_written() {
        let m = |t: &str| front_matter_meta(t.as_bytes());
        let some = |a: &str, b: &str| (Some(a.to_string()), Some(b.to_string()));
        assert_eq!(
            m("---\nid: X\nversion: \"2.1\"\nstatus: approved # ok\n---\nbody\n"),
            some("2.1", "approved")
        );
        assert_eq!(
            m("---\nversion: 3\nstatus: 'in-review'\n---\n"),
            some("3", "in-review")
        );
        assert_eq!(m("---\nstatus: draft\n---\n"), (None, Some("draft".into())));
        // Not a plain line: the YAML parser decides.
        assert_eq!(
            m("---\nversion: >\n  4.0\nstatus: draft\n---\n"),
            some("4.0\n", "draft")
        );
        assert_eq!(m("no front matter"), (None, None));
    }
}
