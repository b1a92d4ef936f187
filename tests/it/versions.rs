//! Versions from git: real repositories made in temporary folders (commits, renames,
//! lightweight and annotated tags, a tag whose tree has errors, a sub-folder AIMS, a shallow
//! clone, no git at all), built, and checked against what the test itself committed.

use crate::common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

/// A git repository in a temporary folder with deterministic authors and dates.
struct Git {
    _tmp: tempfile::TempDir,
    top: PathBuf,
    home: PathBuf,
    clock: i64,
}

impl Git {
    fn new() -> Git {
        let tmp = tempfile::tempdir().unwrap();
        let top = tmp.path().join("repo");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&top).unwrap();
        std::fs::create_dir_all(&home).unwrap();
        let mut g = Git {
            _tmp: tmp,
            top,
            home,
            // 2025-01-01T00:00:00Z
            clock: 1_735_689_600,
        };
        g.run(&["init", "-q", "-b", "main"]);
        g
    }

    fn cmd(&self, dir: &Path) -> Command {
        let mut c = Command::new("git");
        let date = format!("@{} +0000", self.clock);
        c.current_dir(dir)
            .env("HOME", &self.home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Alice Auditor")
            .env("GIT_AUTHOR_EMAIL", "alice@example.com")
            .env("GIT_COMMITTER_NAME", "Alice Auditor")
            .env("GIT_COMMITTER_EMAIL", "alice@example.com")
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"]);
        c
    }

    fn run(&mut self, args: &[&str]) -> String {
        let top = self.top.clone();
        self.run_in(&top, args)
    }

    fn run_in(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.cmd(dir).args(args).output().expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Commits everything, `days` after the previous commit.
    fn commit(&mut self, days: i64, message: &str) -> String {
        self.clock += days * 86_400;
        self.run(&["add", "-A"]);
        self.run(&["commit", "-q", "-m", message]);
        self.run(&["rev-parse", "HEAD"]).trim().to_string()
    }

    fn status(&mut self) -> String {
        self.run(&["status", "--porcelain", "--ignored"])
    }
}

const TOML: &str =
    "title = \"Versioned AIMS\"\norganization = \"Test Ltd\"\n\n[versions]\ntags = \"aims-*\"\n";

fn policy(version: &str, status: &str, body: &str) -> String {
    format!(
        "---\nid: POL-1\ntitle: AI Policy\ntype: policy\nstatus: {status}\nversion: \"{version}\"\napprover: CEO\napproved: 2025-01-01\nowner: AI governance lead\nreview: 2030-01-01\ncontrols: [A.2.2]\n---\n# Policy\n\n{body}\n"
    )
}

fn procedure(controls: &str) -> String {
    format!("---\nid: PRO-1\ntitle: Risk procedure\ntype: procedure\nstatus: draft\ncontrols: [{controls}]\n---\n# Risk\n\nSee [[POL-1]].\n")
}

const STANDARD: &str =
    "---\nid: STD-1\ntitle: Logging standard\ntype: standard\nstatus: draft\n---\n# Logging\n\nLogs are kept.\n";

/// The history every test below shares:
/// - c1 2025-01-11: POL-1 1.0 draft, PRO-1 at procedures/risk.md → `aims-2025.1` (lightweight)
/// - c2 2025-02-10: PRO-1 names an unknown control → `aims-2025.2` (lightweight; has errors)
/// - c3 2025-03-02: POL-1 1.1 approved, PRO-1 fixed, A.10.4 excluded in soa.yaml
/// - c4 2025-04-01: PRO-1 renamed to procedures/risk-management.md, STD-1 added
///   → `aims-2026.1` (annotated)
/// - c5 2025-05-01: POL-1 text "must" → "shall"; tag `other-1` (not a release)
struct Fixture {
    git: Git,
    aims: PathBuf,
    commits: Vec<String>,
}

fn fixture_repo() -> Fixture {
    let mut git = Git::new();
    let aims = git.top.join("manual/aims");
    write(
        &git.top,
        "README.md",
        "A repository with an AIMS in a sub-folder.\n",
    );
    write(&aims, "aims.toml", TOML);
    write(&aims, "soa.yaml", "controls: {}\n");
    write(
        &aims,
        "policies/ai-policy.md",
        policy("1.0", "draft", "Staff must follow it."),
    );
    write(&aims, "procedures/risk.md", procedure("A.6.1.2"));
    let mut commits = vec![git.commit(10, "Initial AIMS")];
    git.run(&["tag", "aims-2025.1"]);
    write(&aims, "procedures/risk.md", procedure("A.6.1.2, A.6.2.9"));
    commits.push(git.commit(30, "Name a control that does not exist"));
    git.run(&["tag", "aims-2025.2"]);
    write(
        &aims,
        "policies/ai-policy.md",
        policy("1.1", "approved", "Staff must follow it."),
    );
    write(&aims, "procedures/risk.md", procedure("A.6.1.2"));
    write(
        &aims,
        "soa.yaml",
        "controls:\n  A.10.4: {applicable: false, justification: \"We supply no AI systems.\"}\n",
    );
    commits.push(git.commit(20, "Approve the AI policy 1.1"));
    git.run(&[
        "mv",
        "manual/aims/procedures/risk.md",
        "manual/aims/procedures/risk-management.md",
    ]);
    write(&aims, "standards/logging.md", STANDARD);
    commits.push(git.commit(30, "Rename the risk procedure, add the logging standard"));
    git.run(&["tag", "-a", "aims-2026.1", "-m", "Release 2026.1"]);
    write(
        &aims,
        "policies/ai-policy.md",
        policy("1.1", "approved", "Staff shall follow it."),
    );
    commits.push(git.commit(30, "Wording"));
    git.run(&["tag", "other-1"]);
    Fixture { git, aims, commits }
}

fn build_to(aims: &Path, out: &Path) -> Run {
    build(aims, out)
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// The version switcher of page `rel` as static/switcher.js fills it from the site's
/// `versions.js`: (label, href) per version, hrefs relative to the page.
fn switcher(out: &Path, rel: &str) -> Vec<(String, String)> {
    let doc = page(out, rel);
    let nav = doc
        .select(&sel("nav.version-bar"))
        .next()
        .unwrap_or_else(|| panic!("{rel} has no version bar"));
    let attr = |name: &str| nav.value().attr(name).unwrap().to_string();
    let (this_page, site) = (attr("data-aims-page"), attr("data-aims-site"));
    let text = read(&out.join("versions.js"));
    let json = text
        .split_once("window.aimsdocVersions = ")
        .unwrap()
        .1
        .trim_end()
        .trim_end_matches(';');
    let data: serde_json::Value = serde_json::from_str(json).unwrap();
    let index = data["pages"]
        .as_array()
        .unwrap()
        .iter()
        .position(|p| p == this_page.as_str());
    data["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let missing = v["missing"].as_array().unwrap();
            let has = index.is_some_and(|i| !missing.iter().any(|m| m == i));
            let target = if has {
                this_page.as_str()
            } else {
                "index.html"
            };
            let href = format!("{site}{}{target}", v["path"].as_str().unwrap());
            (v["label"].as_str().unwrap().to_string(), href)
        })
        .collect()
}

/// Rows of the history table of a page: (date, short id, author, change text, version, status).
fn history_rows(doc: &scraper::Html) -> Vec<Vec<String>> {
    doc.select(&sel("table.history tbody tr"))
        .map(|tr| tr.select(&sel("td")).map(text_of).collect())
        .collect()
}

#[test]
fn tags_become_versions_with_switcher_history_and_changes() {
    let mut f = fixture_repo();
    let index_before = std::fs::read(f.git.top.join(".git/index")).unwrap();
    assert_eq!(f.git.status(), "");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let run = build_to(&f.aims, &out);
    run.expect_code(0);
    // The work tree and index are untouched.
    assert_eq!(f.git.status(), "");
    assert_eq!(
        std::fs::read(f.git.top.join(".git/index")).unwrap(),
        index_before
    );

    // Versions: the three release tags, not `other-1`; newest first after the current one.
    let versions: serde_json::Value =
        serde_json::from_str(&read(&out.join("versions.json"))).unwrap();
    let list = versions.as_array().unwrap();
    let tags: Vec<&str> = list.iter().map(|v| v["label"].as_str().unwrap()).collect();
    assert_eq!(
        tags,
        ["current", "aims-2026.1", "aims-2025.2", "aims-2025.1"]
    );
    assert_eq!(list[0]["commit"], f.commits[4].as_str());
    assert_eq!(list[0]["path"], "");
    assert_eq!(
        list[1]["commit"],
        f.commits[3].as_str(),
        "annotated tag peeled"
    );
    assert_eq!(list[1]["path"], "v/aims-2026.1/");
    assert_eq!(list[1]["date"], "2025-04-01");
    assert_eq!(list[3]["commit"], f.commits[0].as_str());
    assert_eq!(list[3]["date"], "2025-01-11");
    for v in &list[1..] {
        assert!(out
            .join(v["path"].as_str().unwrap())
            .join("index.html")
            .is_file());
    }
    assert!(!out.join("v/other-1").exists());

    // Every link resolves, the switchers' included.
    let links = assert_links_resolve(&out);
    assert!(links.checked > 1000, "{links:?}");

    // The switcher keeps the reader on the same document, or goes to that version's home.
    let hrefs = switcher(&out, "documents/STD-1.html");
    assert_eq!(
        hrefs,
        [
            ("current".to_string(), "../documents/STD-1.html".to_string()),
            (
                "aims-2026.1".into(),
                "../v/aims-2026.1/documents/STD-1.html".into()
            ),
            ("aims-2025.2".into(), "../v/aims-2025.2/index.html".into()),
            ("aims-2025.1".into(), "../v/aims-2025.1/index.html".into()),
        ]
    );
    // From an old version's page too, and every target exists.
    for rel in [
        "v/aims-2025.1/documents/POL-1.html",
        "v/aims-2026.1/controls/A.2.2.html",
    ] {
        let links = switcher(&out, rel);
        assert_eq!(links.len(), 4, "{links:?}");
        for (_, href) in &links {
            let target = resolve_href(rel, href).unwrap();
            assert!(out.join(&target).is_file(), "{rel}: {href} -> {target}");
        }
    }
    assert_eq!(
        switcher(&out, "v/aims-2025.1/documents/POL-1.html")[0].1,
        "../../../documents/POL-1.html"
    );
    // Without JavaScript the switcher links to the list of every version.
    let all = page(&out, "v/aims-2025.1/documents/POL-1.html");
    let fallback: Vec<&str> = all
        .select(&sel("nav.version-bar .version-list a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(fallback, ["../../../versions.html"]);
    let listed = texts(
        &page(&out, "versions.html"),
        ".versions-table tbody td:first-child a",
    );
    assert_eq!(listed, tags);
    let homes: Vec<String> = page(&out, "versions.html")
        .select(&sel(".versions-table tbody td:first-child a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        homes,
        [
            "index.html",
            "v/aims-2026.1/index.html",
            "v/aims-2025.2/index.html",
            "v/aims-2025.1/index.html"
        ]
    );
    let old = page(&out, "v/aims-2025.1/documents/POL-1.html");
    let notice = texts(&old, ".notice-old-version").join(" ");
    assert!(notice.contains("not the current manual"), "{notice}");
    let current_link = old
        .select(&sel(".notice-old-version a"))
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert_eq!(current_link, "../../../documents/POL-1.html");
    assert!(texts(&page(&out, "documents/POL-1.html"), ".notice-old-version").is_empty());
    // The old version shows its own content.
    assert!(read(&out.join("v/aims-2025.1/documents/POL-1.html")).contains("Staff must follow it."));
    assert!(read(&out.join("documents/POL-1.html")).contains("Staff shall follow it."));

    // History, newest first, from git: commits that changed the file, version/status changes.
    let short = |i: usize| f.commits[i][..10].to_string();
    let rows = history_rows(&page(&out, "documents/POL-1.html"));
    let ids: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(ids, [short(4), short(2), short(0)]);
    assert_eq!(rows[0][0], "2025-05-01");
    assert_eq!(rows[0][2], "Alice Auditor");
    assert!(rows[0][3].starts_with("Wording"));
    assert_eq!(rows[1][4], "1.0 → 1.1");
    assert_eq!(rows[1][5], "draft → approved");
    assert_eq!(rows[2][4], "1.0");
    assert!(rows[2][3].contains("added"));
    let last = texts(&page(&out, "documents/POL-1.html"), ".last-changed").join("");
    assert!(
        last.contains("2025-05-01") && last.contains(&short(4)),
        "{last}"
    );
    // A renamed file keeps its history.
    let rows = history_rows(&page(&out, "documents/PRO-1.html"));
    let ids: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(ids, [short(3), short(2), short(1), short(0)]);
    assert!(
        rows[0][3].contains("renamed from procedures/risk.md"),
        "{rows:?}"
    );
    // An old version's history stops at its tag.
    let rows = history_rows(&page(&out, "v/aims-2025.1/documents/POL-1.html"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][1], short(0));

    // The tag whose tree has errors: built, its errors are warnings of that version.
    assert!(
        run.stderr
            .contains("[v/aims-2025.2] unknown control A.6.2.9"),
        "{}",
        run.stderr
    );
    assert_eq!(run.counts().0, 0);
    let warn = texts(&page(&out, "v/aims-2025.2/index.html"), ".version-warnings").join(" ");
    assert!(warn.contains("unknown control A.6.2.9"), "{warn}");
    assert!(!read(&out.join("index.html")).contains("version-warnings"));

    // Changes: current vs aims-2026.1 (the wording), linked from the home page.
    let home = page(&out, "index.html");
    let link = home.select(&sel(".changes-link a")).next().unwrap();
    assert_eq!(link.value().attr("href"), Some("changes.html"));
    assert!(text_of(link).contains("aims-2026.1"));
    let changes = page(&out, "changes.html");
    assert_eq!(texts(&changes, ".word-diff del"), ["must"]);
    assert_eq!(texts(&changes, ".word-diff ins"), ["shall"]);
    // aims-2026.1 vs aims-2025.2: STD-1 added, PRO-1 renamed, POL-1 1.0 → 1.1, A.2.2 now
    // covered (the policy was approved), A.10.4 excluded in the SoA.
    let ch = page(&out, "v/aims-2026.1/changes.html");
    let h1 = texts(&ch, "h1").join("");
    assert_eq!(h1, "Changes from aims-2025.2 to aims-2026.1");
    let added = texts(&ch, "#aims-added-heading + ul li").join(" ");
    assert!(added.contains("STD-1"), "{added}");
    let modified = texts(&ch, ".doc-change").join(" | ");
    assert!(
        modified.contains("Renamed from procedures/risk.md"),
        "{modified}"
    );
    assert!(modified.contains("POL-1 AI Policy"), "{modified}");
    let rows: Vec<String> = ch
        .select(&sel("table tbody tr"))
        .map(|tr| {
            tr.select(&sel("td"))
                .map(text_of)
                .collect::<Vec<_>>()
                .join(" / ")
        })
        .collect();
    assert!(
        rows.contains(&"A.2.2 / AI policy / draft / covered".to_string()),
        "{rows:?}"
    );
    assert!(
        rows.contains(&"A.10.4 / Customers / gap / excluded".to_string()),
        "{rows:?}"
    );
    assert!(
        rows.contains(
            &"A.10.4 / Customers / undecided / excluded: We supply no AI systems.".to_string()
        ),
        "{rows:?}"
    );
    // The oldest version has nothing to compare with.
    assert!(!out.join("v/aims-2025.1/changes.html").exists());

    // The same in the terminal.
    let d = aimsdoc([
        OsStr::new("diff"),
        OsStr::new("aims-2025.2"),
        OsStr::new("aims-2026.1"),
        OsStr::new("-d"),
        f.aims.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(TODAY),
    ]);
    d.expect_code(0);
    for needle in [
        "Added documents (1):",
        "STD-1",
        "renamed from procedures/risk.md",
        "version: [-\"1.0\"-]{+\"1.1\"+}",
        "A.2.2 AI policy: draft → covered",
        "A.10.4",
    ] {
        assert!(d.stdout.contains(needle), "no `{needle}` in:\n{}", d.stdout);
    }
    let w = aimsdoc([
        OsStr::new("diff"),
        OsStr::new("aims-2026.1"),
        OsStr::new("worktree"),
        OsStr::new("-d"),
        f.aims.as_os_str(),
    ]);
    w.expect_code(0);
    assert!(w.stdout.contains("[-must-]{+shall+}"), "{}", w.stdout);
    assert_eq!(f.git.status(), "");
}

/// Builds with `AIMSDOC_TIMINGS=1`; returns the run and (versions, carried over, documents
/// parsed) from the timing line.
fn timed_build(aims: &Path, out: &Path) -> (Run, [usize; 3]) {
    timed_build_on(aims, out, TODAY)
}

/// [`timed_build`] with "today" set to `today`.
fn timed_build_on(aims: &Path, out: &Path, today: &str) -> (Run, [usize; 3]) {
    let run = aimsdoc_env(
        [
            OsStr::new("build"),
            aims.as_os_str(),
            OsStr::new("-o"),
            out.as_os_str(),
            OsStr::new("--today"),
            OsStr::new(today),
        ],
        &[("AIMSDOC_TIMINGS", "1")],
    );
    run.expect_code(0);
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains("carried over"))
        .unwrap_or_else(|| panic!("no timing line in:\n{}", run.stderr))
        .to_string();
    let nums: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    assert_eq!(nums.len(), 3, "{line}");
    (run, [nums[0], nums[1], nums[2]])
}

#[test]
fn unchanged_versions_are_carried_over_and_rebuilds_equal_fresh_builds() {
    let mut f = fixture_repo();
    // A second tag on the same tree as aims-2026.1.
    let c3 = f.commits[3].clone();
    f.git.run(&["tag", "aims-2026.1-copy", &c3]);
    let tmp = tempfile::tempdir().unwrap();
    let fresh = |name: &str| {
        let out = tmp.path().join(name);
        let (_, n) = timed_build(&f.aims, &out);
        assert_eq!(n[1], 0, "nothing to carry over in a fresh build");
        (tree(&out), n)
    };
    let site = tmp.path().join("site");
    let (first, _) = timed_build(&f.aims, &site);
    let (a, n) = fresh("a");
    // A document file is parsed once for all the versions holding the same blob, and not
    // at all for them when the (clean) work tree has that blob at HEAD: the current manual's
    // parse serves. As many parses as distinct (path, blob) pairs of Markdown files over the
    // tags, less those at HEAD.
    let md_blobs = |git: &mut Git, rev: &str| -> std::collections::BTreeSet<(String, String)> {
        let listing = git.run(&["ls-tree", "-r", rev, "--", "manual/aims"]);
        listing
            .lines()
            .filter(|l| l.ends_with(".md"))
            .map(|line| {
                let (meta, path) = line.split_once('\t').unwrap();
                (
                    path.to_string(),
                    meta.split(' ').nth(2).unwrap().to_string(),
                )
            })
            .collect()
    };
    let mut blobs = std::collections::BTreeSet::new();
    for tag in [
        "aims-2025.1",
        "aims-2025.2",
        "aims-2026.1",
        "aims-2026.1-copy",
    ] {
        blobs.extend(md_blobs(&mut f.git, tag));
    }
    assert_eq!(blobs.len(), 6, "{blobs:?}");
    let head = md_blobs(&mut f.git, "HEAD");
    let parsed = blobs.difference(&head).count();
    assert_eq!(parsed, 4, "{head:?}");
    assert_eq!(n[2], parsed, "documents parsed");
    assert_same_tree(&tree(&site), &a);
    assert!(a.contains_key("v/aims-2026.1-copy/documents/STD-1.html"));
    let _ = first;

    // Nothing changed: every tagged version is carried over, the output is the same.
    let (_, n) = timed_build(&f.aims, &site);
    assert_eq!(n[..2], [5, 4]);
    assert_same_tree(&tree(&site), &a);

    // A text edit in the work tree: the old versions do not change.
    write(
        &f.aims,
        "policies/ai-policy.md",
        policy("1.2", "approved", "Edited."),
    );
    let index = std::fs::read(f.git.top.join(".git/index")).unwrap();
    let (_, n) = timed_build(&f.aims, &site);
    assert_eq!(n[..2], [5, 4]);
    assert_eq!(std::fs::read(f.git.top.join(".git/index")).unwrap(), index);
    let note = texts(&page(&site, "documents/POL-1.html"), ".history-note").join("");
    assert!(note.contains("not committed yet"), "{note}");
    assert!(texts(&page(&site, "documents/PRO-1.html"), ".history-note").is_empty());
    assert_same_tree(&tree(&site), &fresh("b").0);

    // A new document: the old versions do not have it, so their switchers do not change.
    write(
        &f.aims,
        "standards/new.md",
        STANDARD.replace("STD-1", "STD-2"),
    );
    let (_, n) = timed_build(&f.aims, &site);
    assert_eq!(n[..2], [5, 4]);
    assert_same_tree(&tree(&site), &fresh("c").0);

    // A document gone from the current manual: old versions that have it link elsewhere now.
    std::fs::remove_file(f.aims.join("standards/logging.md")).unwrap();
    let (_, n) = timed_build(&f.aims, &site);
    assert_eq!(n[..2], [5, 2], "aims-2026.1 and its copy have STD-1");
    assert_same_tree(&tree(&site), &fresh("c2").0);
    let old = page(&site, "v/aims-2026.1/documents/STD-1.html");
    let current_href = old
        .select(&sel(".notice-old-version a"))
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert_eq!(current_href, "../../../index.html");
    f.git.run(&["checkout", "-q", "--", "."]);
    let (_, n) = timed_build(&f.aims, &site);
    assert_eq!(n[..2], [5, 2], "the same versions change back");

    // A new release tag: the older versions are carried over as they are (their switchers
    // read the list of versions from versions.js), and every switcher lists the new one.
    f.git.commit(1, "Release 2027.1");
    f.git.run(&["tag", "aims-2027.1"]);
    let (_, n) = timed_build(&f.aims, &site);
    assert_eq!(n[..2], [6, 4], "only the new version is rendered");
    let labels: Vec<String> = switcher(&site, "v/aims-2025.1/index.html")
        .into_iter()
        .map(|(label, _)| label)
        .collect();
    assert_eq!(labels[..2], ["current", "aims-2027.1"]);
    assert_eq!(labels.len(), 6);
    let (d, _) = fresh("d");
    assert_same_tree(&tree(&site), &d);
    let (_, n) = timed_build(&f.aims, &site);
    assert_eq!(n[..2], [6, 5]);
    assert_same_tree(&tree(&site), &d);
    assert_eq!(f.git.status(), "");
}

#[test]
fn aims_at_the_top_of_the_repository_and_an_unsafe_tag_name() {
    let mut git = Git::new();
    let top = git.top.clone();
    write(
        &top,
        "aims.toml",
        "title = \"T\"\norganization = \"O\"\n[versions]\ntags = \"*\"\ncurrent = \"HEAD\"\n",
    );
    write(
        &top,
        "policies/ai-policy.md",
        policy("1.0", "draft", "First."),
    );
    git.commit(1, "One");
    git.run(&["tag", "rel/ü.1"]);
    git.run(&["tag", "a&b<c>\"d"]);
    write(
        &top,
        "policies/ai-policy.md",
        policy("2.0", "draft", "Second."),
    );
    git.commit(1, "Two");
    // Not committed: with current = "HEAD" the current manual ignores it.
    write(
        &top,
        "policies/ai-policy.md",
        policy("3.0", "draft", "Uncommitted."),
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_to(&top, &out).expect_code(0);
    let dir = out.join("v/rel~2F~C3~BC.1");
    assert!(
        dir.join("documents/POL-1.html").is_file(),
        "{:?}",
        tree(&out).keys().take(5).collect::<Vec<_>>()
    );
    assert!(read(&dir.join("documents/POL-1.html")).contains("First."));
    assert!(out.join("v/a~26b~3Cc~3E~22d/index.html").is_file());
    let labels: Vec<String> = switcher(&out, "index.html")
        .into_iter()
        .map(|(label, _)| label)
        .collect();
    assert!(labels.contains(&"a&b<c>\"d".to_string()), "{labels:?}");
    let listed = texts(&page(&out, "versions.html"), ".versions-table a");
    assert!(listed.contains(&"a&b<c>\"d".to_string()), "{listed:?}");
    assert!(
        !read(&out.join("versions.html")).contains("a&b<c>"),
        "tag names are escaped"
    );
    let current = read(&out.join("documents/POL-1.html"));
    assert!(current.contains("Second.") && !current.contains("Uncommitted."));
    assert_links_resolve(&out);
    let status = git.run(&["status", "--porcelain"]);
    assert_eq!(status, " M policies/ai-policy.md\n");
}

#[test]
fn a_shallow_clone_builds_and_says_so_once() {
    let f = fixture_repo();
    let tmp = tempfile::tempdir().unwrap();
    let clone = tmp.path().join("clone");
    let url = format!("file://{}", f.git.top.display());
    f.git.run_in(
        tmp.path(),
        &["clone", "-q", "--depth", "1", &url, clone.to_str().unwrap()],
    );
    let out = tmp.path().join("site");
    let run = build_to(&clone.join("manual/aims"), &out);
    run.expect_code(0);
    assert_eq!(run.with_code("AIMS0401").len(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("shallow clone"));
    let pol = page(&out, "documents/POL-1.html");
    assert!(texts(&pol, ".history-note")
        .join("")
        .contains("shallow clone"));
    // What the clone has: the one commit.
    assert_eq!(history_rows(&pol).len(), 1);
    assert_links_resolve(&out);
}

#[test]
fn outside_git_builds_the_current_manual_and_says_so_once() {
    let f = fixture_repo();
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("aims");
    copy_dir(&f.aims, &copy);
    let out = tmp.path().join("site");
    let run = build_to(&copy, &out);
    run.expect_code(0);
    assert_eq!(run.with_code("AIMS0401").len(), 1, "{}", run.stderr);
    assert!(!out.join("v").exists());
    let v: serde_json::Value = serde_json::from_str(&read(&out.join("versions.json"))).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    let pol = page(&out, "documents/POL-1.html");
    assert!(texts(&pol, "nav.version-bar").is_empty());
    assert!(texts(&pol, ".history-note")
        .join("")
        .contains("not in a git repository"));
    assert_links_resolve(&out);
}

#[test]
fn without_git_installed_the_build_goes_on() {
    let f = fixture_repo();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let empty = tmp.path().join("no-bin");
    std::fs::create_dir_all(&empty).unwrap();
    let run = aimsdoc_env(
        [
            OsStr::new("build"),
            f.aims.as_os_str(),
            OsStr::new("-o"),
            out.as_os_str(),
            OsStr::new("--today"),
            OsStr::new(TODAY),
        ],
        &[("PATH", empty.to_str().unwrap())],
    );
    run.expect_code(0);
    let d = run.only("AIMS0401");
    assert!(run.stderr.contains("git is not installed"), "{d:?}");
    assert!(out.join("documents/POL-1.html").is_file());
}

#[test]
fn current_errors_fail_the_build_but_old_ones_do_not() {
    let mut f = fixture_repo();
    write(
        &f.aims,
        "procedures/risk-management.md",
        procedure("A.9.9.9"),
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let run = build_to(&f.aims, &out);
    run.expect_code(1);
    assert!(!out.exists());
    f.git.run(&["checkout", "-q", "--", "."]);
    build_to(&f.aims, &out).expect_code(0);
}

#[test]
fn keep_limits_versions_to_the_most_recent() {
    let mut f = fixture_repo();
    write(&f.aims, "aims.toml", format!("{TOML}keep = 2\n"));
    f.git.commit(1, "Keep two");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_to(&f.aims, &out).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&read(&out.join("versions.json"))).unwrap();
    let labels: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["current", "aims-2026.1", "aims-2025.2"]);
}

#[test]
fn an_old_versions_history_stops_at_its_tag_even_after_a_revert() {
    let mut git = Git::new();
    let top = git.top.clone();
    write(&top, "aims.toml", TOML);
    write(
        &top,
        "policies/ai-policy.md",
        policy("1.0", "draft", "First."),
    );
    let first = git.commit(1, "First");
    git.run(&["tag", "aims-1"]);
    write(
        &top,
        "policies/ai-policy.md",
        policy("2.0", "draft", "Second."),
    );
    git.commit(1, "Second");
    write(
        &top,
        "policies/ai-policy.md",
        policy("1.0", "draft", "First."),
    );
    let revert = git.commit(1, "Revert to the first wording");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_to(&top, &out).expect_code(0);
    let old = history_rows(&page(&out, "v/aims-1/documents/POL-1.html"));
    assert_eq!(old.len(), 1, "{old:?}");
    assert_eq!(old[0][1], first[..10]);
    let current = history_rows(&page(&out, "documents/POL-1.html"));
    assert_eq!(current.len(), 3, "{current:?}");
    assert_eq!(current[0][1], revert[..10]);
    assert_eq!(current[0][4], "2.0 → 1.0");
}

#[test]
fn without_versions_table_git_is_not_used_and_tags_empty_gives_history_only() {
    let mut git = Git::new();
    let top = git.top.clone();
    write(&top, "aims.toml", "title = \"T\"\norganization = \"O\"\n");
    write(
        &top,
        "policies/ai-policy.md",
        policy("1.0", "draft", "First."),
    );
    git.commit(1, "First");
    git.run(&["tag", "aims-1"]);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plain");
    build_to(&top, &out).expect_code(0).expect_counts(0, 1);
    assert!(!out.join("versions.json").exists());
    assert!(!out.join("v").exists());
    let pol = page(&out, "documents/POL-1.html");
    assert!(texts(&pol, ".doc-history").is_empty());
    assert!(texts(&pol, "nav.version-bar").is_empty());

    write(
        &top,
        "aims.toml",
        "title = \"T\"\norganization = \"O\"\n[versions]\ntags = []\n",
    );
    git.commit(1, "History only");
    let out = tmp.path().join("history");
    build_to(&top, &out).expect_code(0).expect_counts(0, 1);
    assert!(!out.join("v").exists());
    let pol = page(&out, "documents/POL-1.html");
    assert_eq!(history_rows(&pol).len(), 1);
    assert!(texts(&pol, "nav.version-bar").is_empty());
}

#[test]
fn each_version_has_its_own_search_index_and_printed_manual() {
    let f = fixture_repo();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_to(&f.aims, &out).expect_code(0);
    // Built from that version's documents only: the logging standard (added in aims-2026.1)
    // and the wording of c5 ("shall") are not in the index or print page of aims-2025.1.
    let current = read(&out.join("search-index.js"));
    assert!(current.contains("\"STD-1\"") && current.contains("Staff shall follow it."));
    let old = read(&out.join("v/aims-2025.1/search-index.js"));
    assert!(old.contains("\"POL-1\"") && old.contains("Staff must follow it."));
    assert!(
        !old.contains("STD-1"),
        "a later document in an older version's index"
    );
    assert!(
        !old.contains("shall"),
        "later text in an older version's index"
    );
    let old_print = read(&out.join("v/aims-2025.1/print.html"));
    assert!(!old_print.contains("STD-1") && !old_print.contains("shall"));
    // The cover names the version.
    assert!(old_print.contains("<dt>Version</dt><dd>aims-2025.1</dd>"));
    assert!(read(&out.join("print.html")).contains("<dt>Version</dt><dd>current</dd>"));
}

#[test]
fn an_old_version_is_judged_as_of_its_release_and_a_new_day_leaves_it_alone() {
    // POL-1 (covering A.2.2) is approved with a review due on 2025-06-01: in force when
    // `aims-2025.3` was tagged (2025-03-02), overdue today.
    let mut git = Git::new();
    let aims = git.top.clone();
    write(&aims, "aims.toml", TOML);
    write(&aims, "soa.yaml", "controls: {}\n");
    write(
        &aims,
        "policies/ai-policy.md",
        policy("1.0", "approved", "In force.").replace("review: 2030-01-01", "review: 2025-06-01"),
    );
    git.commit(60, "Approve the policy");
    git.run(&["tag", "aims-2025.3"]);
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let state = |rel: &str| texts(&page(&site, rel), ".entry-state .state").join("");
    let (_, n) = timed_build(&aims, &site);
    assert_eq!(n[..2], [2, 0]);
    assert_eq!(state("controls/A.2.2.html"), "overdue");
    assert_eq!(state("v/aims-2025.3/controls/A.2.2.html"), "covered");
    let coverage: serde_json::Value =
        serde_json::from_str(&read(&site.join("v/aims-2025.3/coverage.json"))).unwrap();
    assert_eq!(coverage["generated"], "2025-03-02", "{coverage}");

    // A build on another day: the current manual is judged as of that day, the old version
    // is carried over unchanged.
    let before = tree(&site.join("v/aims-2025.3"));
    let (_, n) = timed_build_on(&aims, &site, "2025-04-01");
    assert_eq!(n[..2], [2, 1]);
    assert_eq!(state("controls/A.2.2.html"), "covered");
    assert_same_tree(&tree(&site.join("v/aims-2025.3")), &before);
}

/// `manifest.json` of `dir` below `out`, as path → (sha256, bytes).
fn manifest_of(out: &Path, dir: &str) -> std::collections::BTreeMap<String, (String, u64)> {
    let m: serde_json::Value = serde_json::from_str(&read(&out.join(dir).join("manifest.json")))
        .unwrap_or_else(|e| panic!("{dir}manifest.json: {e}"));
    m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let hash = f["sha256"].as_str().unwrap().to_string();
            (
                f["path"].as_str().unwrap().to_string(),
                (hash, f["bytes"].as_u64().unwrap()),
            )
        })
        .collect()
}

#[test]
fn every_version_folder_has_a_manifest_of_exactly_its_files() {
    use sha2::{Digest, Sha256};
    let f = fixture_repo();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_to(&f.aims, &out).expect_code(0);
    let files = tree(&out);
    let hash = |bytes: &[u8]| -> (String, u64) {
        let h: String = Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        (h, bytes.len() as u64)
    };
    for dir in ["", "v/aims-2026.1/", "v/aims-2025.2/", "v/aims-2025.1/"] {
        let expected: std::collections::BTreeMap<String, (String, u64)> = files
            .iter()
            .filter_map(|(p, bytes)| {
                let rel = p.strip_prefix(dir)?;
                (rel != "manifest.json").then(|| (rel.to_string(), hash(bytes)))
            })
            .collect();
        assert_eq!(manifest_of(&out, dir), expected, "{dir}manifest.json");
    }
}

#[test]
fn another_copy_of_the_same_aimsdoc_carries_versions_over() {
    // CI installs aimsdoc afresh on every run (a new file, a new modification time) and
    // restores the previous output from a cache: the versions built before are kept.
    let f = fixture_repo();
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let (_, n) = timed_build(&f.aims, &site);
    assert_eq!(n[..2], [4, 0]);
    let copy = tmp.path().join("bin").join("aimsdoc");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_aimsdoc"), &copy).unwrap();
    // Another test thread forking while the copy was open for writing can hold it open a
    // moment longer ("text file busy"): try again until that child has exec'd.
    let mut tries = 0;
    let out = loop {
        match Command::new(&copy)
            .arg("build")
            .arg(&f.aims)
            .arg("-o")
            .arg(&site)
            .args(["--today", TODAY])
            .env("AIMSDOC_TIMINGS", "1")
            .output()
        {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 100 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => break other.unwrap(),
        }
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("4 versions, 3 carried over"), "{stderr}");
}

#[test]
fn an_uncommitted_edit_never_reaches_an_older_version() {
    // STD-1 at HEAD is the same blob as at aims-2026.1: the current manual's parse serves
    // that version only while the work tree holds exactly that blob.
    let f = fixture_repo();
    write(
        &f.aims,
        "standards/logging.md",
        STANDARD.replace("Logs are kept.", "Logs are kept for a year."),
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_to(&f.aims, &out).expect_code(0);
    assert!(read(&out.join("documents/STD-1.html")).contains("Logs are kept for a year."));
    let old = read(&out.join("v/aims-2026.1/documents/STD-1.html"));
    assert!(
        old.contains("Logs are kept.") && !old.contains("for a year"),
        "{old}"
    );
    // With the work tree back at HEAD, the same blob is shared and the pages are the same.
    let g = Command::new("git")
        .current_dir(&f.aims)
        .args(["checkout", "-q", "--", "."])
        .status()
        .unwrap();
    assert!(g.success());
    let again = tmp.path().join("again");
    build_to(&f.aims, &again).expect_code(0);
    assert_eq!(
        read(&again.join("v/aims-2026.1/documents/STD-1.html")),
        old,
        "a version's page does not depend on where its documents were parsed"
    );
}
