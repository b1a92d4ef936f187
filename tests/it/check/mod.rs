//! `aimsdoc check`: one fixture per document-control rule (AIMS0501–AIMS0510), `allow` in
//! front matter and in aims.toml, `--strict` and `--deny warnings`, and the machine-readable
//! formats: the JSON list (checked against the human output), SARIF 2.1.0 (validated against
//! the vendored schema) and golden files of both. This module holds what they share: running
//! `check` in the human and JSON formats at once, and positions in the fixtures.
//!
//! Golden files live in `tests/golden/`. After an intended change of the output, regenerate
//! them with
//!
//! ```sh
//! AIMSDOC_BLESS=1 cargo test --test it check::formats::golden
//! ```
//!
//! and review the diff before committing. (The SARIF golden holds the crate version and the
//! help text of every rule, so a version bump or a reworded help changes it too.)

mod allow;
mod formats;
mod review;
mod rules;
mod sarif;

use crate::common;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

/// One entry of `check --format json`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct J {
    severity: String,
    code: String,
    name: String,
    message: String,
    file: String,
    line: Option<usize>,
    column: Option<usize>,
    suggestion: Option<String>,
}

/// Parses the JSON list strictly: an array of objects with exactly the eight documented keys.
fn parse_json(stdout: &str) -> Vec<J> {
    let v: Value = serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("check --format json is not JSON ({e}):\n{stdout}"));
    let list = v.as_array().expect("the JSON output is an array");
    list.iter()
        .map(|o| {
            let o = o.as_object().expect("each diagnostic is an object");
            let mut keys: Vec<&str> = o.keys().map(String::as_str).collect();
            keys.sort();
            assert_eq!(
                keys,
                [
                    "code",
                    "column",
                    "file",
                    "line",
                    "message",
                    "name",
                    "severity",
                    "suggestion"
                ],
                "unexpected keys in {o:?}"
            );
            let s = |k: &str| {
                o[k].as_str()
                    .unwrap_or_else(|| panic!("{k} is a string"))
                    .to_string()
            };
            let n = |k: &str| match &o[k] {
                Value::Null => None,
                v => Some(v.as_u64().unwrap_or_else(|| panic!("{k} is a number")) as usize),
            };
            J {
                severity: s("severity"),
                code: s("code"),
                name: s("name"),
                message: s("message"),
                file: s("file"),
                line: n("line"),
                column: n("column"),
                suggestion: o["suggestion"].as_str().map(str::to_string),
            }
        })
        .collect()
}

fn args(dir: &Path, extra: &[&str]) -> Vec<OsString> {
    let mut a: Vec<OsString> = vec!["check".into(), dir.into(), "--today".into(), TODAY.into()];
    a.extend(extra.iter().map(OsString::from));
    a
}

/// The result of `check` in the human and the JSON format.
struct Checked {
    human: Run,
    json: Vec<J>,
    code: i32,
}

/// Runs `check DIR --today TODAY EXTRA...` twice (human and `--format json`), asserts that
/// both exit alike and report the same diagnostics in the same order.
fn check_both(dir: &Path, extra: &[&str]) -> Checked {
    let human = aimsdoc(args(dir, extra));
    let mut jargs = args(dir, extra);
    jargs.extend(["--format".into(), "json".into()]);
    let json_run = aimsdoc(jargs);
    assert_eq!(
        human.code, json_run.code,
        "human and JSON checks disagree on the exit code\n{}\n{}",
        human.stderr, json_run.stderr
    );
    assert!(
        json_run.stderr.trim().is_empty(),
        "check --format json wrote to stderr:\n{}",
        json_run.stderr
    );
    let json = parse_json(&json_run.stdout);
    let printed = human.diagnostics();
    assert_eq!(
        printed.len(),
        json.len(),
        "human and JSON list different numbers of diagnostics\n{}\n{}",
        human.stderr,
        json_run.stdout
    );
    for (h, j) in printed.iter().zip(&json) {
        assert_eq!(h.severity, j.severity, "{h:?} vs {j:?}");
        assert_eq!(h.code, j.code, "{h:?} vs {j:?}");
        assert_eq!(h.name, j.name, "{h:?} vs {j:?}");
        assert_eq!(h.message, j.message, "{h:?} vs {j:?}");
        assert_eq!(h.help.as_deref(), j.suggestion.as_deref(), "{h:?} vs {j:?}");
        let loc = match (j.line, j.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", j.file),
            (None, None) => j.file.clone(),
            _ => panic!("line and column must be both set or both null: {j:?}"),
        };
        assert_eq!(h.location.as_deref(), Some(loc.as_str()), "{h:?} vs {j:?}");
    }
    let errors = json.iter().filter(|d| d.severity == "error").count();
    human.expect_counts(errors, json.len() - errors);
    Checked {
        code: human.code,
        human,
        json,
    }
}

/// What one diagnostic must be.
struct Want<'a> {
    severity: &'a str,
    code: &'a str,
    name: &'a str,
    file: &'a str,
    /// 1-based line and column, or `None` for a finding about the whole file.
    at: Option<(usize, usize)>,
    message: &'a str,
    suggestion: Option<&'a str>,
}

impl Checked {
    /// Asserts the exit code and the exact list of diagnostics (in output order).
    fn expect(&self, code: i32, want: &[Want<'_>]) {
        assert_eq!(
            self.code, code,
            "unexpected exit code; stderr:\n{}",
            self.human.stderr
        );
        let got: Vec<J> = self.json.clone();
        let want: Vec<J> = want
            .iter()
            .map(|w| J {
                severity: w.severity.into(),
                code: w.code.into(),
                name: w.name.into(),
                message: w.message.into(),
                file: w.file.into(),
                line: w.at.map(|a| a.0),
                column: w.at.map(|a| a.1),
                suggestion: w.suggestion.map(str::to_string),
            })
            .collect();
        assert_eq!(
            got, want,
            "diagnostics differ; human output:\n{}",
            self.human.stderr
        );
    }
}

/// 1-based line and column (in characters) of the `n`th occurrence of `needle` in `root/rel`.
fn pos_nth(root: &Path, rel: &str, needle: &str, n: usize) -> (usize, usize) {
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    let offset = text
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("`{needle}` occurs fewer than {} times in {rel}", n + 1))
        .0;
    line_col(&text, offset)
}

/// Position of the first occurrence of `needle` in `root/rel`.
fn pos(root: &Path, rel: &str, needle: &str) -> (usize, usize) {
    pos_nth(root, rel, needle, 0)
}

/// Position of the value of the top-level front-matter key `key` (the first non-blank
/// character after `key:` at the start of a line).
fn value_pos(root: &Path, rel: &str, key: &str) -> (usize, usize) {
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(&format!("{key}:")) {
            let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            return line_col(&text, offset + key.len() + 1 + blanks);
        }
        offset += line.len();
    }
    panic!("no `{key}:` line in {rel}");
}

/// Days from `from` to `to` (both `YYYY-MM-DD`), computed independently of aimsdoc.
fn days_between(from: &str, to: &str) -> i64 {
    let civil = |s: &str| {
        let p: Vec<i64> = s.split('-').map(|x| x.parse().unwrap()).collect();
        days_from_civil(p[0], p[1], p[2])
    };
    civil(to) - civil(from)
}

/// The build of `dir` into a fresh temporary folder, with extra arguments.
fn build_with(dir: &Path, extra: &[&str]) -> (tempfile::TempDir, PathBuf, Run) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let mut a: Vec<OsString> = vec![
        "build".into(),
        dir.into(),
        "-o".into(),
        out.clone().into(),
        "--today".into(),
        TODAY.into(),
    ];
    a.extend(extra.iter().map(OsString::from));
    let run = aimsdoc(a);
    (tmp, out, run)
}

/// Asserts that a build with errors publishes nothing.
fn assert_build_fails(dir: &Path, extra: &[&str]) {
    let (_tmp, out, run) = build_with(dir, extra);
    run.expect_code(1);
    assert!(!out.exists(), "a failed build must publish nothing");
}

/// `(code, file)` of every diagnostic, in order.
fn codes_and_files(c: &Checked) -> Vec<(String, String)> {
    c.json
        .iter()
        .map(|d| (d.code.clone(), d.file.clone()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}
