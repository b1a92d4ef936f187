//! `aimsdoc check`: one fixture per document-control rule (AIMS0501–AIMS0510), `allow` in
//! front matter and in aims.toml, `--strict` and `--deny warnings`, and the machine-readable
//! formats: the JSON list (checked against the human output), SARIF 2.1.0 (validated against
//! the vendored schema) and golden files of both.
//!
//! Golden files live in `tests/golden/`. After an intended change of the output, regenerate
//! them with
//!
//! ```sh
//! AIMSDOC_BLESS=1 cargo test --test check golden
//! ```
//!
//! and review the diff before committing. (The SARIF golden holds the crate version and the
//! help text of every rule, so a version bump or a reworded help changes it too.)

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

const INCOMPLETE_HELP: &str =
    "record who approved it and when, its version and owner, or set `status: in-review`";

// ---------------------------------------------------------------------------------------
// One fixture per rule
// ---------------------------------------------------------------------------------------

#[test]
fn approval_incomplete() {
    let root = fixture("control-approval-incomplete");
    let c = check_both(&root, &[]);
    c.expect(
        1,
        &[
            Want {
                severity: "error",
                code: "AIMS0501",
                name: "approval-incomplete",
                file: "policies/ai-policy.md",
                at: Some(value_pos(&root, "policies/ai-policy.md", "status")),
                message: "POL-AI-001 is approved but has no `approver`, `version`",
                suggestion: Some(INCOMPLETE_HELP),
            },
            Want {
                severity: "error",
                code: "AIMS0501",
                name: "approval-incomplete",
                file: "procedures/risk.md",
                // `status:   approved`: the value, not the key, after extra blanks.
                at: Some(value_pos(&root, "procedures/risk.md", "status")),
                message:
                    "PRO-RISK-001 is approved but has no `approver`, `approved`, `version`, `owner`",
                suggestion: Some(INCOMPLETE_HELP),
            },
        ],
    );
    assert_eq!(c.json[1].column, Some(11));
    assert_build_fails(&root, &[]);
}

#[test]
fn effective_before_approved() {
    let root = fixture("control-effective-before-approved");
    let c = check_both(&root, &[]);
    let want = |file: &'static str, message: &'static str| Want {
        severity: "error",
        code: "AIMS0502",
        name: "effective-before-approved",
        file,
        at: Some(value_pos(&root, file, "effective")),
        message,
        suggestion: Some("set `effective` on or after `approved`"),
    };
    // The same day is fine; a draft is judged too.
    c.expect(
        1,
        &[
            want(
                "policies/ai-policy.md",
                "POL-AI-001 takes effect on 2026-02-15, before it was approved on 2026-03-01",
            ),
            want(
                "procedures/draft.md",
                "PRO-DRAFT-001 takes effect on 2026-05-09, before it was approved on 2026-05-10",
            ),
        ],
    );
    assert_build_fails(&root, &[]);
}

const REVIEW_MISSING_HELP: &str =
    "add `review: YYYY-MM-DD`, or set `review_interval = \"12 months\"` in aims.toml";

#[test]
fn review_missing() {
    let root = fixture("control-review-missing");
    let c = check_both(&root, &[]);
    // Records, drafts and documents with a review date are not findings.
    c.expect(
        1,
        &[
            Want {
                severity: "error",
                code: "AIMS0503",
                name: "review-missing",
                file: "policies/ai-policy.md",
                at: Some(value_pos(&root, "policies/ai-policy.md", "status")),
                message: "POL-AI-001 is an approved policy without a `review` date",
                suggestion: Some(REVIEW_MISSING_HELP),
            },
            Want {
                severity: "error",
                code: "AIMS0503",
                name: "review-missing",
                file: "procedures/risk.md",
                at: Some(value_pos(&root, "procedures/risk.md", "status")),
                message: "PRO-RISK-001 is an approved procedure without a `review` date",
                suggestion: Some(REVIEW_MISSING_HELP),
            },
        ],
    );
    assert_build_fails(&root, &[]);
}

/// `date` plus `months` calendar months, computed independently (day clamped to the month).
fn add_months(date: &str, months: i64) -> String {
    let p: Vec<i64> = date.split('-').map(|x| x.parse().unwrap()).collect();
    let total = p[0] * 12 + (p[1] - 1) + months;
    let (y, m) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let len = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][m as usize - 1];
    format!("{y:04}-{m:02}-{:02}", p[2].min(len))
}

#[test]
fn review_interval_computes_the_missing_review_date_from_approved() {
    let (_tmp, root) = temp_copy(&fixture("control-review-missing"));
    let mut toml = std::fs::read_to_string(root.join("aims.toml")).unwrap();
    toml.push_str("review_interval = \"12 months\"\n");
    write(&root, "aims.toml", toml);
    let docs = source_docs(&root);
    let approved = |id: &str| {
        docs.iter()
            .find(|d| d.id() == id)
            .and_then(|d| d.str("approved"))
            .unwrap()
    };

    // No review-missing any more; PRO-RISK-001 (approved 2025-06-01) is now overdue.
    let risk_review = add_months(&approved("PRO-RISK-001"), 12);
    assert_eq!(risk_review, "2026-06-01");
    let c = check_both(&root, &[]);
    assert!(c.json.iter().all(|d| d.code != "AIMS0503"), "{:?}", c.json);
    assert_eq!(c.code, 0, "{}", c.human.stderr);
    assert_eq!(c.json.len(), 1, "{:?}", c.json);
    let d = &c.json[0];
    assert_eq!(
        (d.code.as_str(), d.severity.as_str()),
        ("AIMS0504", "warning")
    );
    assert_eq!(d.file, "procedures/risk.md");
    let days = days_between(&risk_review, TODAY);
    assert_eq!(
        d.message,
        format!("the review of PRO-RISK-001 was due on {risk_review} ({days} days ago)")
    );
    // There is no `review:` line to point at; the finding stays inside the front matter.
    let text = std::fs::read_to_string(root.join("procedures/risk.md")).unwrap();
    let fm_lines = split_front_matter(&text).unwrap().0.lines().count();
    let line = d.line.expect("the finding has a line");
    assert!((1..=fm_lines + 2).contains(&line), "line {line}");

    // The document pages show the computed date; an explicit review date is kept.
    let (_otmp, out, run) = build_with(&root, &[]);
    run.expect_code(0);
    let review_shown = |id: &str| -> String {
        let p = page(&out, &format!("documents/{id}.html"));
        let dl = sel(".meta-panel div");
        p.select(&dl)
            .find(|div| {
                div.select(&sel("dt"))
                    .next()
                    .is_some_and(|dt| text_of(dt) == "Review due")
            })
            .map(|div| text_of(div.select(&sel("dd")).next().unwrap()))
            .unwrap_or_else(|| panic!("no Review due on the page of {id}"))
    };
    let pol = add_months(&approved("POL-AI-001"), 12);
    assert_eq!(pol, "2027-03-15");
    assert!(
        review_shown("POL-AI-001").starts_with(&pol),
        "{}",
        review_shown("POL-AI-001")
    );
    assert!(review_shown("PRO-RISK-001").starts_with(&risk_review));
    assert!(review_shown("PRO-RISK-001").contains("overdue"));
    assert!(review_shown("REC-MIN-001").starts_with(&add_months(&approved("REC-MIN-001"), 12)));
    assert_eq!(review_shown("STD-LOG-001"), "2027-02-10");
    // A draft without an approval date has nothing to compute from.
    assert_eq!(review_shown("PRO-DRAFT-001"), "—");
}

#[test]
fn review_interval_in_days_and_at_the_end_of_a_month() {
    let docs = source_docs(&fixture("control-review-missing"));
    let approved = |id: &str| {
        docs.iter()
            .find(|d| d.id() == id)
            .and_then(|d| d.str("approved"))
            .unwrap()
    };
    let civil = |s: &str| {
        let p: Vec<i64> = s.split('-').map(|x| x.parse().unwrap()).collect();
        days_from_civil(p[0], p[1], p[2])
    };
    // 90 days after each approval; every computed date is before TODAY here.
    for (interval, shift) in [("90 days", 0i64), ("13 weeks", 1)] {
        let (_tmp, root) = temp_copy(&fixture("control-review-missing"));
        let mut toml = std::fs::read_to_string(root.join("aims.toml")).unwrap();
        toml.push_str(&format!("review_interval = \"{interval}\"\n"));
        write(&root, "aims.toml", toml);
        let c = check_both(&root, &[]);
        assert_eq!(c.code, 0, "{}", c.human.stderr);
        let mut got: Vec<(String, i64)> = c
            .json
            .iter()
            .map(|d| {
                assert_eq!(d.code, "AIMS0504", "{d:?}");
                let id = d.message.split_whitespace().nth(3).unwrap().to_string();
                let days: i64 = d
                    .message
                    .rsplit('(')
                    .next()
                    .unwrap()
                    .split(' ')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                (id, days)
            })
            .collect();
        got.sort();
        let mut want: Vec<(String, i64)> = ["POL-AI-001", "PRO-RISK-001", "REC-MIN-001"]
            .iter()
            .map(|id| {
                let due = civil(&approved(id)) + 90 + shift;
                (id.to_string(), civil(TODAY) - due)
            })
            .collect();
        want.sort();
        assert_eq!(got, want, "{interval}");
    }
    // A month after 31 January is the last day of February.
    let (_tmp, root) = temp_copy(&fixture("control-review-missing"));
    let mut toml = std::fs::read_to_string(root.join("aims.toml")).unwrap();
    toml.push_str("review_interval = \"1 month\"\n");
    write(&root, "aims.toml", toml);
    assert_eq!(approved("REC-MIN-001"), "2026-01-31");
    let c = check_both(&root, &[]);
    let rec = c
        .json
        .iter()
        .find(|d| d.file == "records/minutes.md")
        .unwrap();
    assert_eq!(
        rec.message,
        format!(
            "the review of REC-MIN-001 was due on {} ({} days ago)",
            add_months("2026-01-31", 1),
            days_between("2026-02-28", TODAY)
        )
    );
    // A bad interval is a configuration error at its key.
    let (_tmp, root) = temp_copy(&fixture("control-review-missing"));
    let mut toml = std::fs::read_to_string(root.join("aims.toml")).unwrap();
    toml.push_str("review_interval = \"twelve months\"\n");
    write(&root, "aims.toml", toml);
    let c = check_both(&root, &[]);
    assert_eq!(c.code, 1);
    let d = c
        .json
        .iter()
        .find(|d| d.code == "AIMS0010")
        .expect("AIMS0010");
    assert_eq!(
        (d.line, d.column),
        (Some(pos(&root, "aims.toml", "review_interval").0), Some(1))
    );
}

#[test]
fn machine_formats_print_nothing_on_stdout_for_usage_errors() {
    for format in ["json", "sarif"] {
        let run = aimsdoc([
            "check",
            "/nonexistent/aims",
            "--today",
            TODAY,
            "--format",
            format,
        ]);
        run.expect_code(2);
        assert!(run.stdout.is_empty(), "{format}: {}", run.stdout);
        assert!(run.stderr.contains("/nonexistent/aims"), "{}", run.stderr);
    }
}

fn overdue_wants(root: &Path) -> Vec<(String, String, (usize, usize))> {
    [
        ("procedures/supplier.md", "PRO-SUP-001", "2026-10-01"),
        ("procedures/yesterday.md", "PRO-YDAY-001", "2026-11-22"),
    ]
    .iter()
    .map(|(file, id, due)| {
        let days = days_between(due, TODAY);
        let unit = if days == 1 { "day" } else { "days" };
        (
            file.to_string(),
            format!("the review of {id} was due on {due} ({days} {unit} ago)"),
            value_pos(root, file, "review"),
        )
    })
    .collect()
}

fn expect_overdue(c: &Checked, code: i32, severity: &str, root: &Path) {
    let wants = overdue_wants(root);
    let want: Vec<Want<'_>> = wants
        .iter()
        .map(|(file, message, at)| Want {
            severity,
            code: "AIMS0504",
            name: "review-overdue",
            file,
            at: Some(*at),
            message,
            suggestion: Some("review the document, then set the next `review` date"),
        })
        .collect();
    c.expect(code, &want);
}

#[test]
fn review_overdue_is_a_warning() {
    let root = fixture("control-review-overdue");
    let c = check_both(&root, &[]);
    // Due today is not overdue; drafts and retired documents are not judged.
    expect_overdue(&c, 0, "warning", &root);
    assert!(c.json[1].message.ends_with("(1 day ago)"));
    let (_tmp, out, run) = build_with(&root, &[]);
    run.expect_code(0);
    assert!(out.join("index.html").is_file());
}

#[test]
fn review_overdue_with_strict_is_an_error() {
    let root = fixture("control-review-overdue");
    let c = check_both(&root, &["--strict"]);
    expect_overdue(&c, 1, "error", &root);
    assert_build_fails(&root, &["--strict"]);
}

#[test]
fn review_overdue_with_deny_warnings_fails() {
    let root = fixture("control-review-overdue");
    let c = check_both(&root, &["--deny", "warnings"]);
    expect_overdue(&c, 1, "warning", &root);
    // Both together: errors, exit 1.
    let c = check_both(&root, &["--deny", "warnings", "--strict"]);
    expect_overdue(&c, 1, "error", &root);

    // Without the overdue documents the same AIMS is clean and --deny warnings passes.
    let (_tmp, clean) = temp_copy(&root);
    std::fs::remove_file(clean.join("procedures/supplier.md")).unwrap();
    std::fs::remove_file(clean.join("procedures/yesterday.md")).unwrap();
    let c = check_both(&clean, &["--deny", "warnings", "--strict"]);
    c.expect(0, &[]);
    let run = aimsdoc(args(&clean, &["--format", "json"]));
    assert_eq!(run.stdout.trim(), "[]");
}

#[test]
fn references_retired_in_related_and_in_body_links() {
    let root = fixture("control-references-retired");
    let c = check_both(&root, &[]);
    let f = "procedures/risk.md";
    let want = |at: (usize, usize), retired: &'static str, suggestion: &'static str| Want {
        severity: "warning",
        code: "AIMS0505",
        name: "references-retired",
        file: f,
        at: Some(at),
        message: if retired == "POL-OLD-001" {
            "PRO-RISK-001 references POL-OLD-001, which is retired"
        } else {
            "PRO-RISK-001 references PRO-LEG-001, which is retired"
        },
        suggestion: Some(suggestion),
    };
    // Not findings: the successor's own link to what it supersedes, links from a retired
    // document, links to current documents and to headings of the same page.
    c.expect(
        0,
        &[
            want(
                pos(&root, f, "POL-OLD-001"),
                "POL-OLD-001",
                "refer to POL-NEW-001 instead",
            ),
            want(
                pos(&root, f, "[[POL-OLD-001]]"),
                "POL-OLD-001",
                "refer to POL-NEW-001 instead",
            ),
            want(
                pos(&root, f, "[the old policy]"),
                "POL-OLD-001",
                "refer to POL-NEW-001 instead",
            ),
            want(
                pos(&root, f, "[[PRO-LEG-001]]"),
                "PRO-LEG-001",
                "refer to the document that replaced it",
            ),
        ],
    );
    // The `related` item is on its own line, below the key.
    assert_eq!(c.json[0].line, Some(pos(&root, f, "related:").0 + 2));
}

#[test]
fn supersedes_not_retired() {
    let root = fixture("control-supersedes-not-retired");
    let c = check_both(&root, &[]);
    c.expect(
        1,
        &[
            Want {
                severity: "error",
                code: "AIMS0506",
                name: "supersedes-not-retired",
                file: "policies/new.md",
                at: Some(value_pos(&root, "policies/new.md", "supersedes")),
                message: "POL-NEW-001 supersedes POL-OLD-001, which is still `approved`",
                suggestion: Some("set `status: retired` in policies/old.md"),
            },
            Want {
                severity: "error",
                code: "AIMS0506",
                name: "supersedes-not-retired",
                file: "procedures/p2.md",
                at: Some(value_pos(&root, "procedures/p2.md", "supersedes")),
                message: "PRO-TWO-001 supersedes PRO-ONE-001, which is still `in-review`",
                suggestion: Some("set `status: retired` in procedures/p1.md"),
            },
        ],
    );
    assert_build_fails(&root, &[]);
}

#[test]
fn supersedes_cycle() {
    let root = fixture("control-supersedes-cycle");
    let c = check_both(&root, &[]);
    // A → B → C → A is a cycle; D supersedes A but is not on the cycle.
    let want = |file: &'static str, message: &'static str| Want {
        severity: "error",
        code: "AIMS0507",
        name: "supersedes-cycle",
        file,
        at: Some(value_pos(&root, file, "supersedes")),
        message,
        suggestion: Some("a document can only supersede older documents"),
    };
    c.expect(
        1,
        &[
            want(
                "policies/a.md",
                "`supersedes` of POL-A-001 leads back to POL-A-001 in a cycle",
            ),
            want(
                "policies/b.md",
                "`supersedes` of POL-B-001 leads back to POL-B-001 in a cycle",
            ),
            want(
                "policies/c.md",
                "`supersedes` of POL-C-001 leads back to POL-C-001 in a cycle",
            ),
        ],
    );
    assert_build_fails(&root, &[]);
}

#[test]
fn a_document_superseding_itself_is_a_cycle() {
    let (_tmp, root) = temp_copy(&fixture("control-supersedes-cycle"));
    for f in [
        "policies/a.md",
        "policies/b.md",
        "policies/c.md",
        "policies/d.md",
    ] {
        std::fs::remove_file(root.join(f)).unwrap();
    }
    write(
        &root,
        "policies/self.md",
        "---\nid: POL-SELF-001\ntitle: Self Policy\ntype: policy\nstatus: retired\nsupersedes: POL-SELF-001\n---\n\nBody.\n",
    );
    let c = check_both(&root, &[]);
    c.expect(
        1,
        &[Want {
            severity: "error",
            code: "AIMS0507",
            name: "supersedes-cycle",
            file: "policies/self.md",
            at: Some(value_pos(&root, "policies/self.md", "supersedes")),
            message: "`supersedes` of POL-SELF-001 leads back to POL-SELF-001 in a cycle",
            suggestion: Some("a document can only supersede older documents"),
        }],
    );
}

#[test]
fn duplicate_title() {
    let root = fixture("control-duplicate-title");
    let c = check_both(&root, &[]);
    let help = Some("give each document a title readers can tell apart");
    // Compared ignoring case; reported on every later document, naming the first.
    c.expect(
        0,
        &[
            Want {
                severity: "warning",
                code: "AIMS0508",
                name: "duplicate-title",
                file: "b/second.md",
                at: Some(value_pos(&root, "b/second.md", "title")),
                message: "DOC-B-001 has the same title as DOC-A-001 (\"ai policy\")",
                suggestion: help,
            },
            Want {
                severity: "warning",
                code: "AIMS0508",
                name: "duplicate-title",
                file: "c/third.md",
                at: Some(value_pos(&root, "c/third.md", "title")),
                message: "DOC-C-001 has the same title as DOC-A-001 (\"AI Policy\")",
                suggestion: help,
            },
        ],
    );
}

#[test]
fn claims_excluded_control() {
    let root = fixture("control-claims-excluded-control");
    let c = check_both(&root, &[]);
    // The retired record claiming A.4.5 is not a finding.
    c.expect(
        0,
        &[
            Want {
                severity: "warning",
                code: "AIMS0509",
                name: "claims-excluded-control",
                file: "policies/ai-policy.md",
                at: Some(pos(&root, "policies/ai-policy.md", "A.4.5")),
                message: "POL-AI-001 claims A.4.5, which soa.yaml excludes as not applicable",
                suggestion: Some("remove A.4.5 from `controls`, or make it applicable in soa.yaml"),
            },
            Want {
                severity: "warning",
                code: "AIMS0509",
                name: "claims-excluded-control",
                file: "procedures/draft.md",
                at: Some(pos(&root, "procedures/draft.md", "A.4.6")),
                message: "PRO-DRAFT-001 claims A.4.6, which soa.yaml excludes as not applicable",
                suggestion: Some("remove A.4.6 from `controls`, or make it applicable in soa.yaml"),
            },
        ],
    );
}

#[test]
fn unknown_allow_in_front_matter() {
    let root = fixture("control-unknown-allow");
    let c = check_both(&root, &[]);
    let d: Vec<&J> = c
        .json
        .iter()
        .filter(|d| d.file == "policies/ai-policy.md")
        .collect();
    assert_eq!(d.len(), 1, "{:?}", c.json);
    let d = d[0];
    assert_eq!(
        (d.severity.as_str(), d.code.as_str(), d.name.as_str()),
        ("warning", "AIMS0510", "unknown-allow")
    );
    assert_eq!(
        d.message,
        "`allow` names `duplicate-titel`, which is not a diagnostic code"
    );
    let (l, col) = value_pos(&root, "policies/ai-policy.md", "allow");
    assert_eq!((d.line, d.column), (Some(l), Some(col)));
    let s = d.suggestion.as_deref().unwrap_or("");
    assert!(
        s.starts_with("did you mean duplicate-title"),
        "suggestion: {s}"
    );
    // The valid entries (`AIMS0508`, inline and as a block list) silence the duplicate title.
    assert!(c.json.iter().all(|d| d.code != "AIMS0508"), "{:?}", c.json);
    // Warnings only.
    assert_eq!(c.code, 0);
}

#[test]
fn unknown_allow_in_aims_toml_points_at_the_allow_line() {
    let root = fixture("control-unknown-allow");
    let c = check_both(&root, &[]);
    let d: Vec<&J> = c.json.iter().filter(|d| d.file == "aims.toml").collect();
    assert_eq!(d.len(), 1, "{:?}", c.json);
    let d = d[0];
    assert_eq!(
        (d.severity.as_str(), d.code.as_str()),
        ("warning", "AIMS0510")
    );
    assert_eq!(
        d.message,
        "`allow` names `review-overdu`, which is not a diagnostic code"
    );
    assert_eq!(
        d.suggestion.as_deref(),
        Some("did you mean review-overdue?")
    );
    // Like every other finding about a key that is present in aims.toml (unknown keys,
    // a bad review_interval), it is placed at the key.
    let (l, col) = pos(&root, "aims.toml", "allow");
    assert_eq!(
        (d.line, d.column),
        (Some(l), Some(col)),
        "the unknown `allow` entry of aims.toml has no position: {d:?}"
    );
}

// ---------------------------------------------------------------------------------------
// allow
// ---------------------------------------------------------------------------------------

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

#[test]
fn allow_in_front_matter_silences_only_that_document() {
    let root = fixture("allow-per-document");
    let c = check_both(&root, &[]);
    // DOC-B (allow: [duplicate-title]) and DOC-E (allow: [AIMS0508]) are silenced; the
    // same allow on DOC-A, the first of its title, silences nothing elsewhere; DOC-F allows
    // review-overdue (silenced) but not its duplicate title.
    assert_eq!(
        codes_and_files(&c),
        pairs(&[
            ("AIMS0508", "c/third.md"),
            ("AIMS0504", "c/third.md"),
            ("AIMS0508", "f/sixth.md"),
        ]),
        "{}",
        c.human.stderr
    );
    assert_eq!(
        c.json[0].message,
        "DOC-C-001 has the same title as DOC-A-001 (\"Shared Title\")"
    );
    assert_eq!(
        c.json[2].message,
        "DOC-F-001 has the same title as DOC-D-001 (\"Other Title\")"
    );
    assert_eq!(c.code, 0);
}

fn with_global_allow(allow: &str) -> (tempfile::TempDir, PathBuf) {
    let (tmp, root) = temp_copy(&fixture("allow-per-document"));
    let mut toml = std::fs::read_to_string(root.join("aims.toml")).unwrap();
    toml.push_str(&format!("allow = {allow}\n"));
    write(&root, "aims.toml", toml);
    (tmp, root)
}

#[test]
fn allow_in_aims_toml_silences_the_whole_aims() {
    let (_tmp, root) = with_global_allow("[\"review-overdue\"]");
    let c = check_both(&root, &[]);
    assert_eq!(
        codes_and_files(&c),
        pairs(&[("AIMS0508", "c/third.md"), ("AIMS0508", "f/sixth.md")])
    );
    // Allowed findings stay silent under --strict and --deny warnings would still see the
    // others.
    let c = check_both(&root, &["--strict"]);
    assert_eq!(c.code, 0, "{}", c.human.stderr);
    assert_eq!(c.json.len(), 2);
    let c = check_both(&root, &["--deny", "warnings"]);
    assert_eq!(c.code, 1);

    let (_tmp2, root) = with_global_allow("[\"AIMS0508\", \"AIMS0504\"]");
    let c = check_both(&root, &["--strict", "--deny", "warnings"]);
    c.expect(0, &[]);
}

// ---------------------------------------------------------------------------------------
// Golden files
// ---------------------------------------------------------------------------------------

/// Compares `actual` with `tests/golden/<name>`; rewrites it when `AIMSDOC_BLESS=1`.
fn golden(name: &str, actual: &str) {
    let path = repo().join("tests/golden").join(name);
    if std::env::var("AIMSDOC_BLESS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {} ({e}); run `AIMSDOC_BLESS=1 cargo test --test check golden`",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output at line {}:\n  golden: {:?}\n  actual: {:?}\n\
             (if the change is intended: AIMSDOC_BLESS=1 cargo test --test check golden)",
            path.display(),
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

/// `check tests/fixtures/check-golden --format FORMAT`, run from the crate root so the
/// SARIF URIs carry the relative folder.
fn golden_run(format: &str) -> Run {
    aimsdoc_in(
        Some(&repo()),
        [
            "check",
            "tests/fixtures/check-golden",
            "--today",
            TODAY,
            "--format",
            format,
        ],
        &[],
    )
}

#[test]
fn golden_json() {
    let run = golden_run("json");
    run.expect_code(1);
    // Sanity, independent of the golden file: what the fixture was written to produce.
    let got: Vec<(String, String)> = parse_json(&run.stdout)
        .iter()
        .map(|d| (d.code.clone(), d.file.clone()))
        .collect();
    assert_eq!(
        got,
        pairs(&[
            ("AIMS0501", "policies/ai-policy.md"),
            ("AIMS0502", "policies/ai-policy.md"),
            ("AIMS0509", "policies/ai-policy.md"),
            ("AIMS0504", "procedures/risk.md"),
            ("AIMS0111", "procedures/risk.md"),
            ("AIMS0505", "procedures/risk.md"),
        ])
    );
    golden("check-golden.json", &run.stdout);
}

#[test]
fn golden_sarif() {
    let run = golden_run("sarif");
    run.expect_code(1);
    golden("check-golden.sarif", &run.stdout);
}

// ---------------------------------------------------------------------------------------
// SARIF
// ---------------------------------------------------------------------------------------

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(repo().join("tests/schemas/sarif-2.1.0.json")).unwrap();
    // The official schema's `language` pattern `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$` has a
    // stray `]`, which strict ECMA-262 rejects, so the schema fails its own meta-schema
    // once formats are checked. Escape it (in memory; the vendored file stays verbatim).
    let stray = r#"[a-zA-Z]{2}]?$""#;
    assert_eq!(
        text.matches(stray).count(),
        2,
        "the vendored schema changed"
    );
    let text = text.replace(stray, r#"[a-zA-Z]{2}\\]?$""#);
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the vendored SARIF schema compiles offline")
}

fn assert_valid_sarif(validator: &jsonschema::Validator, log: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "the SARIF of {what} is not valid SARIF 2.1.0:\n{}",
        errors.join("\n")
    );
}

/// `check DIR --format sarif` (and json) run in `cwd` with `DIR` spelled as given.
fn sarif_and_json(cwd: &Path, dir: &str) -> (Value, Vec<J>) {
    let sarif = aimsdoc_in(
        Some(cwd),
        ["check", dir, "--today", TODAY, "--format", "sarif"],
        &[],
    );
    let json = aimsdoc_in(
        Some(cwd),
        ["check", dir, "--today", TODAY, "--format", "json"],
        &[],
    );
    assert_eq!(sarif.code, json.code);
    assert!(sarif.stderr.trim().is_empty(), "{}", sarif.stderr);
    let log: Value = serde_json::from_str(&sarif.stdout)
        .unwrap_or_else(|e| panic!("SARIF is not JSON ({e}):\n{}", sarif.stdout));
    (log, parse_json(&json.stdout))
}

/// Checks the SARIF log against the JSON list: same results in the same order, rule ids
/// and indices that point into the rules, levels, regions, and URIs with `prefix`.
fn assert_sarif_matches(log: &Value, json: &[J], prefix: &str) {
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["tool"]["driver"]["name"], "aimsdoc");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let mut ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "rule ids are not unique");
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), json.len(), "SARIF and JSON differ in length");
    for (r, j) in results.iter().zip(json) {
        let id = r["ruleId"].as_str().expect("ruleId");
        assert_eq!(id, j.code);
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert!(index < rules.len(), "ruleIndex {index} out of range");
        assert_eq!(
            rules[index]["id"], id,
            "ruleIndex {index} does not point at {id}"
        );
        assert_eq!(rules[index]["name"], j.name.as_str());
        assert_eq!(r["level"], j.severity.as_str());
        let text = r["message"]["text"].as_str().unwrap();
        assert!(text.starts_with(&j.message), "{text} vs {}", j.message);
        if let Some(s) = &j.suggestion {
            assert!(text.contains(s.as_str()), "{text} lacks the suggestion {s}");
        }
        let locs = r["locations"].as_array().unwrap();
        assert_eq!(locs.len(), 1);
        let phys = &locs[0]["physicalLocation"];
        let uri = phys["artifactLocation"]["uri"].as_str().unwrap();
        assert_eq!(
            percent_decode(uri),
            format!("{prefix}{}", j.file),
            "URI {uri} for {j:?}"
        );
        assert!(
            !uri.contains(' ') && !uri.contains('\\'),
            "unencoded URI {uri}"
        );
        match j.line {
            Some(l) => {
                assert_eq!(phys["region"]["startLine"].as_u64(), Some(l as u64));
                assert_eq!(
                    phys["region"]["startColumn"].as_u64(),
                    j.column.map(|c| c as u64)
                );
            }
            None => assert!(phys.get("region").is_none(), "{phys}"),
        }
    }
}

#[test]
fn sarif_is_valid_and_agrees_with_json_for_every_fixture_and_the_sample() {
    let validator = sarif_validator();
    let mut dirs: Vec<String> = std::fs::read_dir(repo().join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().join("aims.toml").is_file())
        .map(|e| format!("tests/fixtures/{}", e.file_name().to_string_lossy()))
        .collect();
    dirs.sort();
    dirs.push("sample-aims".into());
    let mut results = 0;
    for dir in &dirs {
        let (log, json) = sarif_and_json(&repo(), dir);
        assert_valid_sarif(&validator, &log, dir);
        assert_sarif_matches(&log, &json, &format!("{dir}/"));
        results += json.len();
    }
    assert!(
        results > 30,
        "only {results} results over {} folders",
        dirs.len()
    );
}

#[test]
fn sarif_rules_cover_every_code_with_help() {
    let (log, _) = sarif_and_json(&repo(), "tests/fixtures/check-golden");
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    // Every document-control code is a rule, with the help text as its description.
    for code in [
        "AIMS0501", "AIMS0502", "AIMS0503", "AIMS0504", "AIMS0505", "AIMS0506", "AIMS0507",
        "AIMS0508", "AIMS0509", "AIMS0510",
    ] {
        assert!(ids.contains(&code), "no rule {code}");
    }
    for r in rules {
        let help = r["help"]["text"].as_str().unwrap_or("");
        assert!(help.len() > 10, "rule {} has no help", r["id"]);
        assert_eq!(r["fullDescription"]["text"].as_str(), Some(help));
        let id = r["id"].as_str().unwrap();
        assert!(
            id.len() == 8 && id.starts_with("AIMS") && id[4..].chars().all(|c| c.is_ascii_digit()),
            "{id}"
        );
    }
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "rules are listed in numeric order");
}

#[test]
fn sarif_uris_carry_the_folder_as_given() {
    let validator = sarif_validator();
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture("check-golden"), &tmp.path().join("my aims"));
    for (cwd, dir, prefix) in [
        (tmp.path().to_path_buf(), "my aims", "my aims/"),
        (tmp.path().to_path_buf(), "./my aims/", "my aims/"),
        (tmp.path().join("my aims"), ".", ""),
        (tmp.path().join("my aims/policies"), "..", "../"),
    ] {
        let (log, json) = sarif_and_json(&cwd, dir);
        assert!(!json.is_empty());
        assert_valid_sarif(&validator, &log, dir);
        assert_sarif_matches(&log, &json, prefix);
    }
    // The space is percent-encoded.
    let (log, _) = sarif_and_json(tmp.path(), "my aims");
    let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap();
    assert!(uri.starts_with("my%20aims/"), "{uri}");
}

#[test]
fn sarif_of_a_clean_aims_has_no_results() {
    let (_tmp, clean) = temp_copy(&fixture("control-review-overdue"));
    std::fs::remove_file(clean.join("procedures/supplier.md")).unwrap();
    std::fs::remove_file(clean.join("procedures/yesterday.md")).unwrap();
    let run = aimsdoc(args(&clean, &["--format", "sarif"]));
    run.expect_code(0);
    let log: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_valid_sarif(&sarif_validator(), &log, "a clean AIMS");
    assert_eq!(log["runs"][0]["results"].as_array().map(Vec::len), Some(0));
}

#[test]
fn strict_changes_the_sarif_level_too() {
    let root = fixture("control-review-overdue");
    let run = aimsdoc(args(&root, &["--format", "sarif", "--strict"]));
    run.expect_code(1);
    let log: Value = serde_json::from_str(&run.stdout).unwrap();
    let levels: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["error", "error"]);
}

// ---------------------------------------------------------------------------------------
// Help
// ---------------------------------------------------------------------------------------

#[test]
fn check_help_mentions_the_flags_and_has_examples() {
    let run = aimsdoc(["check", "--help"]);
    run.expect_code(0);
    let h = &run.stdout;
    for flag in [
        "--format", "--deny", "--strict", "--today", "json", "sarif", "warnings",
    ] {
        assert!(
            h.contains(flag),
            "check --help does not mention {flag}:\n{h}"
        );
    }
    assert!(h.contains("Examples:"), "{h}");
    assert!(h.contains("aimsdoc check"), "{h}");
    assert!(h.contains("--format sarif"), "no SARIF example:\n{h}");
}

#[test]
fn the_sarif_validator_is_not_vacuous() {
    // The same log with a defect must fail, so that the validity tests mean something.
    let validator = sarif_validator();
    let (log, _) = sarif_and_json(&repo(), "tests/fixtures/check-golden");
    assert_valid_sarif(&validator, &log, "the golden fixture");
    let mut bad_level = log.clone();
    bad_level["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&bad_level));
    let mut bad_line = log.clone();
    bad_line["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!validator.is_valid(&bad_line));
    let mut no_version = log;
    no_version.as_object_mut().unwrap().remove("version");
    assert!(!validator.is_valid(&no_version));
}
