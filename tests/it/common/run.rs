//! Running the real binary: `aimsdoc check`, `aimsdoc build`, and what a run printed.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::diag::{parse_counts, parse_diagnostics, Diag};

/// The date every test judges reviews against.
pub(crate) const TODAY: &str = "2026-11-23";

/// The crate root.
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<name>`.
pub(crate) fn fixture(name: &str) -> PathBuf {
    let p = repo().join("tests/fixtures").join(name);
    assert!(p.is_dir(), "no fixture {}", p.display());
    p
}

/// The sample AIMS shipped with the project.
pub(crate) fn sample() -> PathBuf {
    repo().join("sample-aims")
}

/// One run of the binary.
#[derive(Debug)]
pub(crate) struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `aimsdoc` with `args` (SOURCE_DATE_EPOCH removed from the environment) and checks
/// that it did not panic.
pub(crate) fn aimsdoc<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    aimsdoc_env(args, &[])
}

/// Like [`aimsdoc`], with extra environment variables.
pub(crate) fn aimsdoc_env<I, S>(args: I, env: &[(&str, &str)]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    aimsdoc_in(None, args, env)
}

/// Runs `aimsdoc` in working directory `cwd` (or the test's) with extra environment
/// variables, and checks that it did not panic.
pub(crate) fn aimsdoc_in<I, S>(cwd: Option<&Path>, args: I, env: &[(&str, &str)]) -> Run
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
pub(crate) fn check(dir: &Path) -> Run {
    aimsdoc([
        OsStr::new("check"),
        dir.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(TODAY),
    ])
}

/// `aimsdoc build DIR -o OUT --today TODAY`.
pub(crate) fn build(dir: &Path, out: &Path) -> Run {
    aimsdoc([
        OsStr::new("build"),
        dir.as_os_str(),
        OsStr::new("-o"),
        out.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(TODAY),
    ])
}

/// Builds `dir` (for `audience`, when given) into a fresh temporary folder and asserts
/// success; the folder lives as long as the returned guard.
pub(crate) fn built_edition(dir: &Path, audience: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let mut args = vec![
        OsStr::new("build"),
        dir.as_os_str(),
        OsStr::new("-o"),
        out.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(TODAY),
    ];
    if let Some(a) = audience {
        args.extend([OsStr::new("--audience"), OsStr::new(a)]);
    }
    aimsdoc(args).expect_code(0);
    (tmp, out)
}

/// `aimsdoc build DIR --today TODAY` (default output folder).
pub(crate) fn build_default(dir: &Path) -> Run {
    aimsdoc([
        OsStr::new("build"),
        dir.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(TODAY),
    ])
}

impl Run {
    /// Fails the test if the process panicked.
    pub(crate) fn assert_no_panic(&self) {
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
    pub(crate) fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "expected exit code {code}, got {}; stderr:\n{}",
            self.code, self.stderr
        );
        self
    }

    /// The last non-empty line of stderr (the summary).
    pub(crate) fn summary(&self) -> &str {
        self.stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
    }

    /// `(errors, warnings)` from the summary line (`N errors, M warnings`).
    pub(crate) fn counts(&self) -> (usize, usize) {
        parse_counts(self.summary())
            .unwrap_or_else(|| panic!("no `N errors, M warnings` in summary:\n{}", self.stderr))
    }

    /// Asserts the summary counts and that they match the printed diagnostics.
    pub(crate) fn expect_counts(&self, errors: usize, warnings: usize) -> &Run {
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
    pub(crate) fn diagnostics(&self) -> Vec<Diag> {
        parse_diagnostics(&self.stderr)
    }

    /// The one diagnostic with this code (fails if there is not exactly one).
    pub(crate) fn only(&self, code: &str) -> Diag {
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
    pub(crate) fn with_code(&self, code: &str) -> Vec<Diag> {
        self.diagnostics()
            .into_iter()
            .filter(|d| d.code == code)
            .collect()
    }
}
