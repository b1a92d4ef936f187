//! Per-document history from one `git log --raw -M` pass over the AIMS folder: every commit
//! that touched it, with the files it added, modified, renamed or deleted and their blob ids.
//! A document's history at a version is found by starting from the commit that gave its path
//! its blob in that version and walking ancestors, following renames.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use super::error::GitError;
use super::id::ObjectId;
use super::process::Repo;
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
    /// Blob before (`None` when added).
    pub old_blob: Option<ObjectId>,
    /// Blob after (`None` when deleted).
    pub new_blob: Option<ObjectId>,
}

/// One commit that touched the AIMS folder.
#[derive(Debug, Clone)]
pub struct Commit {
    /// Full id.
    pub id: ObjectId,
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
    meta_cache: Mutex<HashMap<ObjectId, Meta>>,
    /// (path, blob) → the commits that wrote that blob at that path, newest first.
    writes: HashMap<(String, ObjectId), Vec<usize>>,
}

/// One row of a document's history table.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Entry {
    /// Full commit id.
    pub commit: ObjectId,
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
        Log::from_output(&out, &repo.prefix, store)
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
    /// folder below the top of the work tree). An object id that is not one is a
    /// [`GitError::Parse`].
    pub fn from_output(
        out: &[u8],
        prefix: &str,
        store: Option<Arc<Store>>,
    ) -> Result<Log, GitError> {
        let (mut commits, parent_ids) = parse(out, prefix)?;
        let index: HashMap<&ObjectId, usize> = commits
            .iter()
            .enumerate()
            .map(|(i, c)| (&c.id, i))
            .collect();
        let parents: Vec<Vec<usize>> = parent_ids
            .iter()
            .map(|ps| ps.iter().filter_map(|p| index.get(p).copied()).collect())
            .collect();
        for (c, p) in commits.iter_mut().zip(parents) {
            c.parents = p;
        }
        // Commits are newest first, so each list of writes is too.
        let mut writes: HashMap<(String, ObjectId), Vec<usize>> = HashMap::new();
        for (i, c) in commits.iter().enumerate() {
            for ch in &c.changes {
                if let (Some(blob), false) = (&ch.new_blob, ch.status == b'D') {
                    writes
                        .entry((ch.path.clone(), blob.clone()))
                        .or_default()
                        .push(i);
                }
            }
        }
        Ok(Log {
            commits,
            store,
            meta_cache: Mutex::new(HashMap::new()),
            writes,
        })
    }

    /// The history of the file at `path` whose blob is `blob` in some version: the commit that
    /// wrote it and every earlier commit that changed it (following renames), newest first.
    /// Only commits made at or before `until` (the version's commit date) start the history,
    /// so a blob written again later (a revert) does not bring later commits into an old
    /// version's history.
    pub fn file_history(&self, path: &str, blob: &ObjectId, until: Option<i64>) -> Vec<Entry> {
        self.walk(path, blob, until)
            .into_iter()
            .map(|(c, ch)| self.entry(&self.commits[c], &self.commits[c].changes[ch]))
            .collect()
    }

    /// The blobs [`Log::file_history`] will read for these files, to fetch them at once.
    pub fn blobs_for<'a>(
        &self,
        files: impl Iterator<Item = (&'a str, &'a ObjectId)>,
        until: Option<i64>,
    ) -> Vec<ObjectId> {
        let mut out = Vec::new();
        for (path, blob) in files {
            for (c, ch) in self.walk(path, blob, until) {
                let ch = &self.commits[c].changes[ch];
                out.extend(ch.new_blob.iter().chain(&ch.old_blob).cloned());
            }
        }
        out
    }

    /// Reads the blobs `ids` at once (see [`Log::blobs_for`]).
    pub fn prefetch(&self, ids: &[ObjectId]) {
        if let Some(store) = &self.store {
            let _ = store.prefetch(ids);
        }
    }

    /// (commit, change) of every change in the history of `path` at `blob`, newest first.
    fn walk(&self, path: &str, blob: &ObjectId, until: Option<i64>) -> Vec<(usize, usize)> {
        let Some(&start) = self
            .writes
            .get(&(path.to_string(), blob.clone()))
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
        // soa.yaml has its control fields at the top of the file, not in front matter.
        let soa = ch.path == crate::model::soa::SOA_FILE;
        let (new_v, new_s) = self.meta(ch.new_blob.as_ref(), soa);
        let (old_v, old_s) = self.meta(ch.old_blob.as_ref(), soa);
        let added = ch.status == b'A' || ch.old_blob.is_none();
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
            short: c.id.short().to_string(),
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

    /// The front-matter `version` and `status` of a blob (cached; none without a blob), or
    /// those at the top of `soa.yaml` when `soa`.
    fn meta(&self, blob: Option<&ObjectId>, soa: bool) -> Meta {
        let Some(blob) = blob else {
            return (None, None);
        };
        if soa {
            let bytes = self
                .store
                .as_ref()
                .and_then(|s| s.blob(blob).ok().flatten());
            return bytes.map_or((None, None), |b| yaml_meta(&String::from_utf8_lossy(&b)));
        }
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
            .insert(blob.clone(), m.clone());
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
    yaml_meta(split.yaml)
}

/// The top-level `version` and `status` of a YAML mapping (front matter, or `soa.yaml`).
fn yaml_meta(yaml: &str) -> Meta {
    let simple = |key: &str| -> Option<Option<String>> {
        let mut found = None;
        for line in yaml.lines() {
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
    let Ok(serde_yaml::Value::Mapping(map)) = crate::load::yaml::parse(yaml) else {
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
fn parse(out: &[u8], prefix: &str) -> Result<(Vec<Commit>, Vec<Vec<ObjectId>>), GitError> {
    // A raw diff's side where the file does not exist is the null id.
    let blob = |t: &str| ObjectId::parse(t).map(|id| Some(id).filter(|id| !id.is_null()));
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
                old_blob: blob(parts[2])?,
                new_blob: blob(parts[3])?,
            });
        }
        commits.push(Commit {
            id: ObjectId::parse(&fields[0])?,
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
                .map(ObjectId::parse)
                .collect::<Result<_, _>>()?,
        );
    }
    Ok((commits, parents))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One `git log -z --raw` record as [`Log::run`] asks for it.
    fn record(id: &str, parents: &str, raw: &[(&str, &str, &str, &str)]) -> String {
        let mut r = format!("\x1e{id}\0{parents}\0100\0Alice\0Subject\0200\0");
        for (old, new, status, path) in raw {
            r.push_str(&format!("\n:100644 100644 {old} {new} {status}\0{path}\0"));
        }
        r
    }

    #[test]
    fn commits_and_blobs_are_typed_ids_and_null_ids_are_none() {
        let (c1, c2) = ("1".repeat(40), "2".repeat(40));
        let (b1, b2, null) = ("a".repeat(40), "b".repeat(40), "0".repeat(40));
        let out = record(&c2, &c1, &[(&b1, &b2, "M", "aims/p.md")])
            + &record(&c1, "", &[(&null, &b1, "A", "aims/p.md")]);
        let log = Log::from_output(out.as_bytes(), "aims/", None).unwrap();
        assert_eq!(log.commits[0].id.as_str(), c2);
        assert_eq!(log.commits[0].parents, [1]);
        let added = &log.commits[1].changes[0];
        assert_eq!(added.old_blob, None);
        assert_eq!(added.new_blob.as_ref().map(ObjectId::as_str), Some(&*b1));
        let b2 = ObjectId::parse(&b2).unwrap();
        let history = log.file_history("p.md", &b2, None);
        let commits: Vec<&str> = history.iter().map(|e| e.commit.as_str()).collect();
        assert_eq!(commits, [&*c2, &*c1]);
        assert_eq!(
            (history[1].change, history[1].short.as_str()),
            ("added", "1111111111")
        );
    }

    #[test]
    fn sha256_null_ids_are_none() {
        let (c, b, null) = ("c".repeat(64), "d".repeat(64), "0".repeat(64));
        let out = record(&c, "", &[(&b, &null, "D", "gone.md")]);
        let log = Log::from_output(out.as_bytes(), "", None).unwrap();
        let gone = &log.commits[0].changes[0];
        assert_eq!(gone.new_blob, None);
        assert_eq!(gone.old_blob.as_ref().map(ObjectId::as_str), Some(&*b));
    }

    #[test]
    fn ids_that_are_not_git_s_are_parse_errors() {
        let (c, b, null) = ("1".repeat(40), "a".repeat(40), "0".repeat(40));
        for out in [
            record("HEAD", "", &[]),
            record(&c, "not-a-parent", &[]),
            record(&c, "", &[(&null, "zz", "A", "p.md")]),
        ] {
            assert!(
                matches!(
                    Log::from_output(out.as_bytes(), "", None),
                    Err(GitError::Parse(_))
                ),
                "{out:?}"
            );
        }
        assert!(Log::from_output(
            record(&c, "", &[(&null, &b, "A", "p.md")]).as_bytes(),
            "",
            None
        )
        .is_ok());
    }

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
