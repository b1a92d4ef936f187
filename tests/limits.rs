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

/// `aimsdoc check DIR --today TODAY --format json`.
fn check_json(root: &Path) -> Run {
    aimsdoc([
        std::ffi::OsStr::new("check"),
        root.as_os_str(),
        std::ffi::OsStr::new("--today"),
        std::ffi::OsStr::new(TODAY),
        std::ffi::OsStr::new("--format"),
        std::ffi::OsStr::new("json"),
    ])
}

/// Asserts exactly one AIMS0009 at `location` whose message contains `words`, and that the
/// build fails and leaves no output.
fn expect_limit(root: &Path, location: &str, words: &str) {
    let run = check(root);
    run.expect_code(1);
    let d = run.only("AIMS0009");
    assert_eq!(d.severity, "error");
    assert_eq!(d.name, "limit-exceeded");
    assert!(d.message.contains(words), "{}", d.message);
    assert_eq!(d.location.as_deref(), Some(location), "{}", run.stderr);
    assert!(!d.help().is_empty());
    let tmp = tempfile::tempdir().unwrap();
    build(root, &tmp.path().join("out")).expect_code(1);
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn front_matter_nested_100000_deep_is_a_diagnostic() {
    let (_tmp, root) = temp_aims();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    write(
        &root,
        "policies/p.md",
        format!("---\nid: P-1\ntitle: P\ntags: {deep}\n---\nBody.\n"),
    );
    // The 65th `[` is the first too deep.
    expect_limit(
        &root,
        &format!("policies/p.md:4:{}", "tags: ".len() + 65),
        "nested more than 64 levels deep",
    );
}

#[test]
fn soa_yaml_nested_100000_deep_is_a_diagnostic() {
    let (_tmp, root) = temp_aims();
    write(&root, "policies/p.md", "---\nid: P-1\ntitle: P\n---\n");
    let deep = format!("{}{}", "{a: ".repeat(100_000), "}".repeat(100_000));
    write(&root, "soa.yaml", format!("controls:\n  A.2.2: {deep}\n"));
    expect_limit(
        &root,
        &format!("soa.yaml:2:{}", "  A.2.2: ".len() + 4 * 64 + 1),
        "soa.yaml is nested more than 64 levels deep",
    );
}

#[test]
fn block_nesting_past_64_levels_is_a_diagnostic() {
    let (_tmp, root) = temp_aims();
    let mut yaml = String::from("tags:\n");
    for level in 0..70 {
        yaml.push_str(&format!("{}- \n", "  ".repeat(level)));
    }
    write(
        &root,
        "policies/p.md",
        format!("---\nid: P-1\ntitle: P\n{yaml}---\n"),
    );
    // tags is level 2, so the list opened on the 64th `- ` line is level 65.
    let text = std::fs::read_to_string(root.join("policies/p.md")).unwrap();
    let line = text
        .lines()
        .position(|l| l == format!("{}- ", "  ".repeat(63)))
        .unwrap()
        + 1;
    expect_limit(
        &root,
        &format!("policies/p.md:{line}:{}", 2 * 63 + 1),
        "nested more than 64 levels deep",
    );
}

#[test]
fn a_related_list_of_more_than_10000_entries_is_a_diagnostic() {
    let (_tmp, root) = temp_aims();
    let list: String = (0..10_001).map(|i| format!("  - R-{i:05}\n")).collect();
    write(
        &root,
        "policies/p.md",
        format!("---\nid: P-1\ntitle: P\nrelated:\n{list}---\n"),
    );
    expect_limit(
        &root,
        "policies/p.md:5:3",
        "a list in front matter has more than 10,000 entries",
    );
}

#[test]
fn a_million_entry_related_list_is_over_the_front_matter_size() {
    let (_tmp, root) = temp_aims();
    let list: String = (0..1_000_000).map(|i| format!("  - R-{i:07}\n")).collect();
    write(
        &root,
        "policies/p.md",
        format!("---\nid: P-1\ntitle: P\nrelated:\n{list}---\n"),
    );
    expect_limit(&root, "policies/p.md:2:1", "at most 1 MiB of it is read");
}

#[test]
fn aliases_repeated_into_a_million_values_are_a_diagnostic() {
    let (_tmp, root) = temp_aims();
    let items = vec!["x"; 1000].join(", ");
    let aliases = vec!["*a"; 1000].join(", ");
    write(
        &root,
        "policies/p.md",
        format!("---\nid: P-1\ntitle: P\nx-list: &a [{items}]\ntags: [{aliases}]\n---\n"),
    );
    let run = check(&root);
    run.expect_code(1);
    let d = run.only("AIMS0009");
    assert!(
        d.message.contains("more than 100,000 values"),
        "{}",
        d.message
    );
    assert_eq!(d.file().as_deref(), Some("policies/p.md"));
}

#[test]
fn every_entry_of_a_10000_entry_list_is_placed_exactly() {
    // At the bound, each unknown entry is still reported at its own line and column.
    let (_tmp, root) = temp_aims();
    let list: String = (0..10_000).map(|i| format!("  - R-{i:05}\n")).collect();
    write(
        &root,
        "policies/p.md",
        format!("---\nid: P-1\ntitle: P\nrelated:\n{list}---\n"),
    );
    let run = check_json(&root);
    run.expect_code(1);
    let diags: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let unknown: Vec<&serde_json::Value> =
        diags.iter().filter(|d| d["code"] == "AIMS0201").collect();
    assert_eq!(unknown.len(), 10_000);
    for d in unknown {
        let message = d["message"].as_str().unwrap();
        let n: usize = message
            .split("`R-")
            .nth(1)
            .and_then(|r| r.split('`').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{message}"));
        assert_eq!(
            (d["line"].as_u64(), d["column"].as_u64()),
            (Some(5 + n as u64), Some(5))
        );
    }
}

#[test]
fn did_you_mean_is_looked_up_for_the_first_100_distinct_unknown_ids() {
    let (_tmp, root) = temp_aims();
    write(&root, "policies/d.md", "---\nid: DOC-1\ntitle: D\n---\n");
    // 150 distinct ids two edits from DOC-1, then the first one again.
    let refs: String = (0..150)
        .map(|i| format!("[[DOC-1{i:02}]]\n\n"))
        .chain(std::iter::once("[[DOC-100]]\n".to_string()))
        .collect();
    write(
        &root,
        "policies/p.md",
        format!("---\nid: P-1\ntitle: P\n---\n{refs}"),
    );
    let run = check(&root);
    run.expect_code(1);
    let unknown = run.with_code("AIMS0201");
    assert_eq!(unknown.len(), 151);
    let helped: Vec<bool> = unknown
        .iter()
        .map(|d| d.help() == "did you mean DOC-1?")
        .collect();
    assert!(helped[..100].iter().all(|&h| h), "{}", run.stderr);
    assert!(helped[100..150].iter().all(|&h| !h), "{}", run.stderr);
    assert!(helped[150], "a repeated id keeps its suggestion");
}
