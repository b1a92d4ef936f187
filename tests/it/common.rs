//! Helpers shared by the integration tests: running the real binary, copying fixtures,
//! reading output trees and parsing the human-readable diagnostics.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

mod csv_rows;
pub use csv_rows::parse_csv;

/// The date every test judges reviews against.
pub const TODAY: &str = "2026-11-23";

/// The crate root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    let p = repo().join("tests/fixtures").join(name);
    assert!(p.is_dir(), "no fixture {}", p.display());
    p
}

/// The sample AIMS shipped with the project.
pub fn sample() -> PathBuf {
    repo().join("sample-aims")
}

/// One run of the binary.
#[derive(Debug)]
pub struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `aimsdoc` with `args` (SOURCE_DATE_EPOCH removed from the environment) and checks
/// that it did not panic.
pub fn aimsdoc<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    aimsdoc_env(args, &[])
}

/// Like [`aimsdoc`], with extra environment variables.
pub fn aimsdoc_env<I, S>(args: I, env: &[(&str, &str)]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    aimsdoc_in(None, args, env)
}

/// Runs `aimsdoc` in working directory `cwd` (or the test's) with extra environment
/// variables, and checks that it did not panic.
pub fn aimsdoc_in<I, S>(cwd: Option<&Path>, args: I, env: &[(&str, &str)]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = assert_cmd::Command::cargo_bin("aimsdoc").expect("the aimsdoc binary is built");
    cmd.args(args).env_remove("SOURCE_DATE_EPOCH");
    if let Some(dir) = cwd {
        cmd.current_dir(dir);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("aimsdoc runs");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    run.assert_no_panic();
    run
}

/// `aimsdoc check DIR --today TODAY`.
pub fn check(dir: &Path) -> Run {
    aimsdoc([
        OsStr::new("check"),
        dir.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(TODAY),
    ])
}

/// `aimsdoc build DIR -o OUT --today TODAY`.
pub fn build(dir: &Path, out: &Path) -> Run {
    aimsdoc([
        OsStr::new("build"),
        dir.as_os_str(),
        OsStr::new("-o"),
        out.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(TODAY),
    ])
}

/// `aimsdoc build DIR --today TODAY` (default output folder).
pub fn build_default(dir: &Path) -> Run {
    aimsdoc([
        OsStr::new("build"),
        dir.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(TODAY),
    ])
}

impl Run {
    /// Fails the test if the process panicked.
    pub fn assert_no_panic(&self) {
        assert_ne!(self.code, 101, "aimsdoc panicked:\n{}", self.stderr);
        assert_ne!(
            self.code, -1,
            "aimsdoc was killed by a signal:\n{}",
            self.stderr
        );
        assert!(
            !self.stderr.contains("panicked"),
            "aimsdoc panicked:\n{}",
            self.stderr
        );
    }

    /// Asserts the exit code, showing stderr on failure.
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "expected exit code {code}, got {}; stderr:\n{}",
            self.code, self.stderr
        );
        self
    }

    /// The last non-empty line of stderr (the summary).
    pub fn summary(&self) -> &str {
        self.stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
    }

    /// `(errors, warnings)` from the summary line (`N errors, M warnings`).
    pub fn counts(&self) -> (usize, usize) {
        parse_counts(self.summary())
            .unwrap_or_else(|| panic!("no `N errors, M warnings` in summary:\n{}", self.stderr))
    }

    /// Asserts the summary counts and that they match the printed diagnostics.
    pub fn expect_counts(&self, errors: usize, warnings: usize) -> &Run {
        assert_eq!(
            self.counts(),
            (errors, warnings),
            "unexpected counts; stderr:\n{}",
            self.stderr
        );
        let d = self.diagnostics();
        let e = d.iter().filter(|d| d.severity == "error").count();
        let w = d.iter().filter(|d| d.severity == "warning").count();
        assert_eq!(
            (e, w),
            (errors, warnings),
            "printed diagnostics do not match the summary:\n{}",
            self.stderr
        );
        self
    }

    /// Every diagnostic printed on stderr.
    pub fn diagnostics(&self) -> Vec<Diag> {
        parse_diagnostics(&self.stderr)
    }

    /// The one diagnostic with this code (fails if there is not exactly one).
    pub fn only(&self, code: &str) -> Diag {
        let all: Vec<Diag> = self
            .diagnostics()
            .into_iter()
            .filter(|d| d.code == code)
            .collect();
        assert_eq!(
            all.len(),
            1,
            "expected exactly one {code}; stderr:\n{}",
            self.stderr
        );
        all.into_iter().next().unwrap()
    }

    /// All diagnostics with this code.
    pub fn with_code(&self, code: &str) -> Vec<Diag> {
        self.diagnostics()
            .into_iter()
            .filter(|d| d.code == code)
            .collect()
    }
}

/// Parses `N error(s), M warning(s)` anywhere in `line`.
pub fn parse_counts(line: &str) -> Option<(usize, usize)> {
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',' || c == '.' || c == ':')
        .filter(|w| !w.is_empty())
        .collect();
    let mut errors = None;
    let mut warnings = None;
    for w in words.windows(2) {
        if let Ok(n) = w[0].parse::<usize>() {
            match w[1] {
                "error" | "errors" => errors = Some(n),
                "warning" | "warnings" => warnings = Some(n),
                _ => {}
            }
        }
    }
    Some((errors?, warnings?))
}

/// One diagnostic as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    /// `error` or `warning`.
    pub severity: String,
    /// `AIMS0101`.
    pub code: String,
    /// `unknown-control` (from the `= AIMS0101 unknown-control` note).
    pub name: String,
    /// The one-line message.
    pub message: String,
    /// `path:line:col`, or `path` when no position is known.
    pub location: Option<String>,
    /// The `help:` note.
    pub help: Option<String>,
}

impl Diag {
    /// The file part of the location.
    pub fn file(&self) -> Option<String> {
        let loc = self.location.as_deref()?;
        Some(match split_location(loc) {
            Some((f, _, _)) => f.to_string(),
            None => loc.to_string(),
        })
    }

    /// Line and column of the location, if printed.
    pub fn line_col(&self) -> Option<(usize, usize)> {
        split_location(self.location.as_deref()?).map(|(_, l, c)| (l, c))
    }

    /// The help text, or "" when there is none.
    pub fn help(&self) -> &str {
        self.help.as_deref().unwrap_or("")
    }
}

fn split_location(loc: &str) -> Option<(&str, usize, usize)> {
    let mut parts = loc.rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    let file = parts.next()?;
    Some((file, line, col))
}

/// Parses the rustc-style output of the diagnostics printer.
pub fn parse_diagnostics(stderr: &str) -> Vec<Diag> {
    let mut out: Vec<Diag> = Vec::new();
    for line in stderr.lines() {
        let header = ["error[", "warning["].iter().find_map(|p| {
            let rest = line.strip_prefix(p)?;
            let (code, msg) = rest.split_once("]: ")?;
            Some((p.trim_end_matches('['), code, msg))
        });
        if let Some((sev, code, msg)) = header {
            out.push(Diag {
                severity: sev.to_string(),
                code: code.to_string(),
                name: String::new(),
                message: msg.to_string(),
                location: None,
                help: None,
            });
            continue;
        }
        let Some(cur) = out.last_mut() else { continue };
        let t = line.trim_start();
        if let Some(loc) = t.strip_prefix("┌─ ").or_else(|| t.strip_prefix("--> ")) {
            // The last location line of a block wins (template errors quote Tera's own).
            cur.location = Some(loc.trim().to_string());
        } else if let Some(h) = t.strip_prefix("= help: ") {
            cur.help = Some(h.to_string());
        } else if let Some(note) = t.strip_prefix("= ") {
            if let Some(name) = note.strip_prefix(&format!("{} ", cur.code)) {
                cur.name = name.trim().to_string();
            }
        }
    }
    out
}

/// 1-based line and character column of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// `path:line:col` of the first occurrence of `needle` in the file `root/rel`.
pub fn location_of(root: &Path, rel: &str, needle: &str) -> String {
    location_of_nth(root, rel, needle, 0)
}

/// `path:line:col` of the `n`th (0-based) occurrence of `needle` in `root/rel`.
pub fn location_of_nth(root: &Path, rel: &str, needle: &str, n: usize) -> String {
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    let offset = text
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("`{needle}` occurs fewer than {} times in {rel}", n + 1))
        .0;
    let (l, c) = line_col(&text, offset);
    format!("{rel}:{l}:{c}")
}

/// Recursively copies a folder (files and folders only).
pub fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let ty = entry.file_type().unwrap();
        let to = dst.join(entry.file_name());
        if ty.is_dir() {
            copy_dir(&entry.path(), &to);
        } else if ty.is_file() {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}

/// A temporary folder holding a copy of `src` at `TMP/aims`.
pub fn temp_copy(src: &Path) -> (TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("aims");
    copy_dir(src, &root);
    (tmp, root)
}

/// A temporary folder with a minimal AIMS (`aims.toml` only) at `TMP/aims`.
pub fn temp_aims() -> (TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("aims");
    std::fs::create_dir_all(&root).unwrap();
    std::fs::write(
        root.join("aims.toml"),
        "title = \"Test AIMS\"\norganization = \"Test Ltd\"\n",
    )
    .unwrap();
    (tmp, root)
}

/// Writes `text` to `root/rel`, creating folders.
pub fn write(root: &Path, rel: &str, text: impl AsRef<[u8]>) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// Every file below `dir` (hidden ones too, symlinks not followed) with its bytes, by
/// `/`-separated relative path.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap())
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let ty = e.file_type().unwrap();
            let p = e.path();
            if ty.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = rel_slash(base, &p);
                let bytes = if ty.is_symlink() {
                    format!("symlink -> {}", std::fs::read_link(&p).unwrap().display()).into_bytes()
                } else {
                    std::fs::read(&p).unwrap()
                };
                out.insert(rel, bytes);
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

/// `/`-separated path of `p` relative to `base`.
pub fn rel_slash(base: &Path, p: &Path) -> String {
    p.strip_prefix(base)
        .unwrap()
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Asserts two trees are identical, naming the first difference.
pub fn assert_same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    let ka: Vec<&String> = a.keys().collect();
    let kb: Vec<&String> = b.keys().collect();
    if ka != kb {
        let only_a: Vec<_> = ka.iter().filter(|k| !b.contains_key(**k)).collect();
        let only_b: Vec<_> = kb.iter().filter(|k| !a.contains_key(**k)).collect();
        panic!("file lists differ: only in first {only_a:?}, only in second {only_b:?}");
    }
    for (k, v) in a {
        assert!(v == &b[k], "{k} differs");
    }
}

/// Every `.html` file below `dir`, parsed, by relative path.
pub fn html_pages(dir: &Path) -> BTreeMap<String, scraper::Html> {
    tree(dir)
        .into_iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(k, v)| {
            (
                k,
                scraper::Html::parse_document(&String::from_utf8(v).unwrap()),
            )
        })
        .collect()
}

/// Parses one output page.
pub fn page(out: &Path, rel: &str) -> scraper::Html {
    let text = std::fs::read_to_string(out.join(rel))
        .unwrap_or_else(|e| panic!("cannot read page {rel}: {e}"));
    scraper::Html::parse_document(&text)
}

/// A CSS selector.
pub fn sel(s: &str) -> scraper::Selector {
    scraper::Selector::parse(s).unwrap_or_else(|e| panic!("bad selector {s}: {e:?}"))
}

/// The whitespace-normalised text of an element.
pub fn text_of(el: scraper::ElementRef<'_>) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Texts of all elements matching `selector` in `doc`.
pub fn texts(doc: &scraper::Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector)).map(text_of).collect()
}

/// Splits a Markdown file into its YAML front matter and body (with the body's byte offset).
pub fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let l = line.trim_end();
        if l == "---" || l == "..." {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// One source document of an AIMS, read independently of aimsdoc.
#[derive(Debug, Clone)]
pub struct SourceDoc {
    /// Path relative to the root, `/`-separated.
    pub path: String,
    /// The front matter.
    pub meta: serde_yaml::Mapping,
    /// The Markdown body.
    pub body: String,
}

impl SourceDoc {
    /// A string field.
    pub fn str(&self, key: &str) -> Option<String> {
        match self.meta.get(key)? {
            serde_yaml::Value::String(s) => Some(s.clone()),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// The id.
    pub fn id(&self) -> String {
        self.str("id").expect("document has an id")
    }

    /// Ids listed under `controls` or `clauses` (strings or `{id, note}` mappings).
    pub fn refs(&self, key: &str) -> Vec<String> {
        let items = match self.meta.get(key) {
            None | Some(serde_yaml::Value::Null) => return Vec::new(),
            Some(serde_yaml::Value::Sequence(s)) => s.clone(),
            Some(other) => vec![other.clone()],
        };
        items
            .iter()
            .map(|i| match i {
                serde_yaml::Value::String(s) => s.clone(),
                serde_yaml::Value::Mapping(m) => m
                    .get("id")
                    .and_then(|v| v.as_str())
                    .expect("mapping item has an id")
                    .to_string(),
                other => panic!("unexpected item {other:?}"),
            })
            .collect()
    }

    /// Ids listed under a plain string list (`related`, `tags`).
    pub fn list(&self, key: &str) -> Vec<String> {
        match self.meta.get(key) {
            Some(serde_yaml::Value::Sequence(s)) => s
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            Some(serde_yaml::Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    }

    /// The status (`draft` when absent).
    pub fn status(&self) -> String {
        self.str("status").unwrap_or_else(|| "draft".into())
    }
}

/// Reads every `.md` document (with front matter) below `root`, skipping hidden and `_`
/// paths, sorted by path.
pub fn source_docs(root: &Path) -> Vec<SourceDoc> {
    let mut out = Vec::new();
    for (rel, bytes) in tree(root) {
        if !rel.ends_with(".md")
            || rel
                .split('/')
                .any(|p| p.starts_with('.') || p.starts_with('_'))
        {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        let Some((yaml, body)) = split_front_matter(&text) else {
            continue;
        };
        let meta: serde_yaml::Mapping = serde_yaml::from_str(yaml).unwrap();
        out.push(SourceDoc {
            path: rel,
            meta,
            body: body.to_string(),
        });
    }
    out
}

/// One entry of the embedded catalog, read from `catalogs/iso42001/catalog.yaml`.
#[derive(Debug, Clone)]
pub struct CatalogEntry {
    /// Id.
    pub id: String,
    /// `clause`, `objective`, `group`, `control`.
    pub kind: String,
    /// Parent id.
    pub parent: Option<String>,
    /// Title.
    pub title: String,
}

/// The catalog entries in file order.
pub fn catalog() -> Vec<CatalogEntry> {
    let text = std::fs::read_to_string(repo().join("catalogs/iso42001/catalog.yaml")).unwrap();
    let v: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    v["entries"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|e| CatalogEntry {
            id: e["id"].as_str().unwrap().to_string(),
            kind: e["kind"].as_str().unwrap().to_string(),
            parent: e["parent"].as_str().map(str::to_string),
            title: e["title"].as_str().unwrap().to_string(),
        })
        .collect()
}

/// Percent-decodes a URL path.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian), for SOURCE_DATE_EPOCH.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = (if y >= 0 { y } else { y - 399 }) / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// The result of checking every internal link of a built site.
#[derive(Debug, Default)]
pub struct LinkReport {
    /// Internal `href`/`src` values checked.
    pub checked: usize,
    /// Of those, links with a `#fragment` whose target element was checked.
    pub fragments: usize,
    /// What was wrong, one line per broken link.
    pub failures: Vec<String>,
}

/// Whether a URL is external (left alone by the checker).
pub fn is_external(url: &str) -> bool {
    let l = url.to_ascii_lowercase();
    l.starts_with("http:") || l.starts_with("https:") || l.starts_with("mailto:")
}

/// Resolves `href` (already split from its fragment and query) against the folder of the
/// page `from`; `None` when it leaves the site.
pub fn resolve_href(from: &str, path: &str) -> Option<String> {
    let mut parts: Vec<String> = from.split('/').map(str::to_string).collect();
    parts.pop();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s.to_string()),
        }
    }
    Some(parts.join("/"))
}

/// Checks every `href` and `src` of every page below `out`: the target file exists inside
/// `out`, and a `#fragment` names an element `id` (or `name`) on the target page.
pub fn check_links(out: &Path) -> LinkReport {
    let files = tree(out);
    let pages = html_pages(out);
    let anchors: BTreeMap<&String, std::collections::HashSet<String>> = pages
        .iter()
        .map(|(k, doc)| {
            let mut ids = std::collections::HashSet::new();
            for el in doc.select(&sel("[id], a[name]")) {
                for attr in ["id", "name"] {
                    if let Some(v) = el.value().attr(attr) {
                        ids.insert(v.to_string());
                    }
                }
            }
            (k, ids)
        })
        .collect();
    let mut report = LinkReport::default();
    let links = sel("[href], [src]");
    for (rel, doc) in &pages {
        for el in doc.select(&links) {
            for attr in ["href", "src"] {
                let Some(url) = el.value().attr(attr) else {
                    continue;
                };
                if is_external(url) {
                    continue;
                }
                report.checked += 1;
                let fail = |why: &str| format!("{rel}: {attr}=\"{url}\": {why}");
                if url.contains(':') && !url.contains('/') && !url.starts_with('#') {
                    report.failures.push(fail("unexpected scheme"));
                    continue;
                }
                if url.starts_with('/') {
                    report
                        .failures
                        .push(fail("absolute path (breaks file:// and sub-paths)"));
                    continue;
                }
                let (path, fragment) = match url.split_once('#') {
                    Some((p, f)) => (p, Some(f)),
                    None => (url, None),
                };
                let path = path.split('?').next().unwrap_or("");
                let target = if path.is_empty() {
                    rel.clone()
                } else {
                    match resolve_href(rel, &percent_decode(path)) {
                        Some(t) => t,
                        None => {
                            report.failures.push(fail("leaves the output folder"));
                            continue;
                        }
                    }
                };
                if !files.contains_key(&target) {
                    report.failures.push(fail(&format!("no file {target}")));
                    continue;
                }
                if let Some(f) = fragment {
                    let f = percent_decode(f);
                    if f.is_empty() {
                        report
                            .failures
                            .push(fail("empty fragment (a broken reference?)"));
                        continue;
                    }
                    if target.ends_with(".html") {
                        report.fragments += 1;
                        if !anchors[&target].contains(&f) {
                            report
                                .failures
                                .push(fail(&format!("{target} has no id `{f}`")));
                        }
                    }
                }
            }
        }
    }
    report
}

/// Asserts that every internal link of the site at `out` resolves; returns the report.
pub fn assert_links_resolve(out: &Path) -> LinkReport {
    let r = check_links(out);
    if !r.failures.is_empty() {
        // Group by the link itself, so one broken nav link does not hide the others.
        let mut distinct: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
        for f in &r.failures {
            let (page, what) = f.split_once(": ").unwrap_or(("", f));
            distinct.entry(what).or_insert((0, page)).0 += 1;
        }
        let lines: Vec<String> = distinct
            .iter()
            .map(|(what, (n, page))| format!("{what} (on {n} pages, e.g. {page})"))
            .collect();
        panic!(
            "{} of {} links are broken:\n{}",
            r.failures.len(),
            r.checked,
            lines.join("\n")
        );
    }
    r
}

/// Runs git in `dir` with a fixed identity, `HOME` set to `home` (no user configuration is
/// read) and author and committer dates `day` days after 2025-01-01; panics when git fails.
pub fn git_in(dir: &Path, home: &Path, day: i64, args: &[&str]) {
    let date = format!("@{} +0000", 1_735_689_600 + day * 86_400);
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Alice Auditor")
        .env("GIT_AUTHOR_EMAIL", "alice@example.com")
        .env("GIT_COMMITTER_NAME", "Alice Auditor")
        .env("GIT_COMMITTER_EMAIL", "alice@example.com")
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
