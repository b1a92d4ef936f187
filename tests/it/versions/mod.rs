//! Versions from git: real repositories made in temporary folders (commits, renames,
//! lightweight and annotated tags, a tag whose tree has errors, a sub-folder AIMS, a shallow
//! clone, no git at all), built, and checked against what the test itself committed. This
//! module holds the repository the themes share and the readers of the version switcher and
//! history tables.

mod carry_over;
mod environments;
mod over_time;
mod soa_history;
mod tags;

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
