//! Approval and dates: incomplete approval, effective before approved, a missing review date,
//! the review date computed from `review_interval`, and overdue reviews under `--strict` and
//! `--deny warnings`.

use super::*;

const INCOMPLETE_HELP: &str =
    "record who approved it and when, its version and owner, or set `status: in-review`";

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
