//! Absurd input is bounded: intervals that overflow the calendar, YAML nested or listed far
//! beyond any real manual, terminal escapes in ids, and spreadsheet formulas in `soa.csv`.
//! Every case runs the real binary and reads its real output; none of them times anything.

mod common;

use std::path::Path;

use common::*;

/// An approved policy without a `review` date, so that `review_interval` decides it.
const APPROVED_POLICY: &str = "---\nid: POL-1\ntitle: Policy\ntype: policy\nstatus: approved\nversion: \"1\"\nowner: CISO\napprover: Board\napproved: 2026-01-01\n---\nBody.\n";

fn aims_with_interval(interval: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, root) = temp_aims();
    write(
        &root,
        "aims.toml",
        format!(
            "title = \"Test AIMS\"\norganization = \"Test Ltd\"\nreview_interval = \"{interval}\"\n"
        ),
    );
    write(&root, "policies/p.md", APPROVED_POLICY);
    (tmp, root)
}

fn expect_interval_error(root: &Path, interval: &str) {
    let run = check(root);
    run.expect_code(1);
    let d = run.only("AIMS0010");
    assert_eq!(d.severity, "error");
    assert!(
        d.message.contains(interval) && d.message.contains("longer than 100 years"),
        "{}",
        d.message
    );
    assert_eq!(
        d.location.as_deref(),
        Some(location_of(root, "aims.toml", "review_interval").as_str())
    );
    assert!(!d.help().is_empty(), "{}", run.stderr);
}

#[test]
fn overflowing_review_interval_is_an_error_not_a_panic() {
    let interval = "106751991167301 days";
    let (_tmp, root) = aims_with_interval(interval);
    expect_interval_error(&root, interval);
    let tmp = tempfile::tempdir().unwrap();
    let built = build(&root, &tmp.path().join("out"));
    built.expect_code(1);
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn a_review_interval_of_100000_years_is_an_error() {
    let (_tmp, root) = aims_with_interval("100000 years");
    expect_interval_error(&root, "100000 years");
}

#[test]
fn a_review_interval_past_the_calendar_is_reported_on_the_document() {
    let (_tmp, root) = aims_with_interval("100 years");
    write(
        &root,
        "policies/p.md",
        APPROVED_POLICY.replace("2026-01-01", "9950-01-01"),
    );
    let run = check(&root);
    run.expect_code(1);
    let d = run.only("AIMS0114");
    assert!(d.message.contains("9999-12-31"), "{}", d.message);
    assert_eq!(
        d.location.as_deref(),
        Some(location_of(&root, "policies/p.md", "9950-01-01").as_str())
    );
}

#[test]
fn a_long_but_sane_review_interval_sets_the_review_date() {
    let (_tmp, root) = aims_with_interval("100 years");
    let run = check(&root);
    assert!(run.with_code("AIMS0010").is_empty(), "{}", run.stderr);
    assert!(run.with_code("AIMS0503").is_empty(), "{}", run.stderr);
    assert!(run.with_code("AIMS0504").is_empty(), "{}", run.stderr);
}
