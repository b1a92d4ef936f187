//! Absurd input is bounded: intervals that overflow the calendar, YAML nested or listed far
//! beyond any real manual, terminal escapes in ids, and spreadsheet formulas in `soa.csv`.
//! Every case runs the real binary and reads its real output; none of them times anything.

use crate::common;
use crate::serve_support;

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
fn serve_survives_an_overflowing_review_interval_saved_while_it_runs() {
    let (_tmp, root) = aims_with_interval("12 months");
    let server = serve_support::start(&root);
    let rx = serve_support::events(&server.addr);
    let has = |ev: &serde_json::Value, code: &str| {
        ev["errors"]
            .as_array()
            .is_some_and(|e| e.iter().any(|d| d["code"] == code))
    };
    let toml = "title = \"Test AIMS\"\norganization = \"Test Ltd\"\nreview_interval = ";
    write(
        &root,
        "aims.toml",
        format!("{toml}\"106751991167301 days\"\n"),
    );
    let ev = serve_support::wait_for(&rx, &server, "the interval error", |ev| has(ev, "AIMS0010"));
    assert_eq!(ev["errors"][0]["file"], "aims.toml", "{ev}");
    assert_eq!(serve_support::get(&server.addr, "/index.html").status, 200);
    write(&root, "aims.toml", format!("{toml}\"1 year\"\n"));
    serve_support::wait_for(&rx, &server, "the fix", |ev| {
        ev["errors"].as_array().is_some_and(|e| e.is_empty())
    });
    assert!(
        !server.stderr.lock().unwrap().contains("panicked"),
        "{}",
        server.stderr.lock().unwrap()
    );
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

/// Asserts exactly one AIMS0013 at `location` whose message contains `words`, and that the
/// build fails and leaves no output.
fn expect_limit(root: &Path, location: &str, words: &str) {
    let run = check(root);
    run.expect_code(1);
    let d = run.only("AIMS0013");
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
    let d = run.only("AIMS0013");
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

/// Fails if `out` holds a control character other than line feed, tab and a carriage return
/// ending a line.
fn assert_no_controls(out: &str) {
    let bad: Vec<(usize, char)> = out
        .char_indices()
        .filter(|&(i, c)| {
            let line_end = c == '\r' && out[i + 1..].starts_with('\n');
            !line_end && c != '\n' && c != '\t' && (c.is_control() || c == '\r')
        })
        .collect();
    assert!(bad.is_empty(), "raw control characters {bad:?} in:\n{out}");
}

#[test]
fn terminal_escapes_in_ids_and_files_never_reach_the_terminal() {
    let (_tmp, root) = temp_aims();
    // YAML escapes in the front matter (clear screen, set the window title, a C1 CSI, DEL;
    // libyaml rejects them raw), raw ones in the body and in a file name.
    write(
        &root,
        "policies/p.md",
        "---\nid: \"P\\e[2J\\e]0;pwned\\a-1\"\ntitle: \"T\\x9b2J\\x7f\"\n---\nBody.\n",
    );
    write(
        &root,
        "policies/q.md",
        "---\nid: Q-1\ntitle: Q\nstatus: \"aproved\\e[0m\"\n---\nSee [[NOPE\u{1b}]0;t\u{7}]] and [[\u{9b}2J]].\n",
    );
    write(&root, "policies/\u{1b}[2Jx.md", "no front matter\n");
    let run = check(&root);
    run.expect_code(1);
    assert_no_controls(&run.stderr);
    let id = run.only("AIMS0115");
    assert!(
        id.message.contains("`P\\u{1b}[2J\\u{1b}]0;pwned\\u{7}-1`"),
        "{}",
        id.message
    );
    assert_eq!(id.location.as_deref(), Some("policies/p.md:2:5"));
    let status = run.only("AIMS0113");
    assert!(
        status.message.contains("aproved\\u{1b}[0m"),
        "{}",
        status.message
    );
    let broken = run.with_code("AIMS0201");
    assert_eq!(broken.len(), 2, "{}", run.stderr);
    assert!(
        broken[0].message.contains("NOPE\\u{1b}]0;t\\u{7}"),
        "{}",
        broken[0].message
    );
    assert_eq!(broken[0].location.as_deref(), Some("policies/q.md:6:5"));
    assert!(
        broken[1].message.contains("`\\u{9b}2J`"),
        "{}",
        broken[1].message
    );
    // The snippet shows a picture for each control, and the caret still points at the
    // reference (column 24 counts each control as one character).
    assert_eq!(broken[1].location.as_deref(), Some("policies/q.md:6:24"));
    let snippet = run
        .stderr
        .lines()
        .find(|l| l.contains("See [[NOPE"))
        .expect("a snippet of the body line");
    assert!(
        snippet.ends_with("See [[NOPE\u{241b}]0;t\u{2407}]] and [[\u{fffd}2J]]."),
        "{snippet}"
    );
    let file = run.only("AIMS0003");
    assert_eq!(file.location.as_deref(), Some("policies/\\u{1b}[2Jx.md"));

    // JSON escapes every control too (serde_json the C0 ones, aimsdoc DEL and C1), and
    // still carries the text itself.
    let json = check_json(&root);
    assert_no_controls(&json.stdout);
    let diags: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).unwrap();
    assert!(diags
        .iter()
        .any(|d| d["message"].as_str().unwrap().contains("`\u{9b}2J`")));
}

#[test]
fn findings_on_one_long_line_print_only_their_part_of_it() {
    // 5,000 unknown controls on one 60 KB line: each finding shows the line around itself,
    // not the whole line 5,000 times (300 MB of output).
    let (_tmp, root) = temp_aims();
    let ids: Vec<String> = (0..5_000).map(|i| format!("A.99.{i}")).collect();
    write(
        &root,
        "policies/p.md",
        format!(
            "---\nid: P-1\ntitle: P\ncontrols: [{}]\n---\n",
            ids.join(", ")
        ),
    );
    let run = check(&root);
    run.expect_code(1);
    let unknown = run.with_code("AIMS0101");
    assert_eq!(unknown.len(), 5_000);
    assert!(
        run.stderr.len() < 5_000 * 1_000,
        "{} bytes",
        run.stderr.len()
    );
    let last = &unknown[4_999];
    let column = "controls: [".len() + ids[..4_999].iter().map(|i| i.len() + 2).sum::<usize>() + 1;
    assert_eq!(last.location, Some(format!("policies/p.md:4:{column}")));
    let shown = run
        .stderr
        .lines()
        .rfind(|l| l.starts_with("4 │ …"))
        .expect("a cut source line");
    assert!(shown.ends_with("A.99.4998, A.99.4999]"), "{shown}");
    assert!(shown.chars().count() < 300, "{shown}");
}

#[test]
fn terminal_escapes_in_diffed_documents_are_escaped() {
    let (tmp, root) = temp_aims();
    write(
        &root,
        "policies/p.md",
        "---\nid: P-1\ntitle: Plain\n---\nOld text.\n",
    );
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .current_dir(&root)
            .env("HOME", &home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "A")
            .env("GIT_AUTHOR_EMAIL", "a@example.com")
            .env("GIT_COMMITTER_NAME", "A")
            .env("GIT_COMMITTER_EMAIL", "a@example.com")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .args(["-c", "commit.gpgsign=false"])
            .args(args)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "first"]);
    write(
        &root,
        "policies/p.md",
        "---\nid: P-1\ntitle: \"\\e]0;pwned\\a\"\n---\nNew \u{1b}[2J text.\n",
    );
    let run = aimsdoc([
        std::ffi::OsStr::new("diff"),
        std::ffi::OsStr::new("HEAD"),
        std::ffi::OsStr::new("worktree"),
        std::ffi::OsStr::new("-d"),
        root.as_os_str(),
        std::ffi::OsStr::new("--today"),
        std::ffi::OsStr::new(TODAY),
    ]);
    run.expect_code(0);
    assert_no_controls(&run.stdout);
    assert!(
        run.stdout.contains("\\u{1b}]0;pwned\\u{7}"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("\\u{1b}[2J"), "{}", run.stdout);
}

#[test]
fn spreadsheet_formulas_in_soa_csv_are_neutralised() {
    let (tmp, root) = temp_aims();
    write(&root, "policies/p.md", "---\nid: P-1\ntitle: P\n---\n");
    write(
        &root,
        "soa.yaml",
        "controls:\n  A.2.2: {applicable: false, justification: \"=HYPERLINK(\\\"http://evil.example\\\",\\\"Click\\\")\"}\n  A.2.3: {applicable: false, justification: \"@SUM(1+1)\"}\n  A.2.4: {applicable: false, justification: \"-2+3, said the auditor\"}\n  A.3.2: {applicable: false, justification: \"Not used = no risk\"}\n",
    );
    let out = tmp.path().join("out");
    build(&root, &out).expect_code(0);
    let text = std::fs::read_to_string(out.join("soa.csv")).unwrap();
    let rows = parse_csv(&text);
    assert_eq!(rows[0][3], "justification");
    let justification = |control: &str| {
        rows.iter()
            .find(|r| r[0] == control)
            .map(|r| r[3].clone())
            .unwrap_or_else(|| panic!("no {control} in {text}"))
    };
    assert_eq!(
        justification("A.2.2"),
        "'=HYPERLINK(\"http://evil.example\",\"Click\")"
    );
    assert_eq!(justification("A.2.3"), "'@SUM(1+1)");
    assert_eq!(justification("A.2.4"), "'-2+3, said the auditor");
    assert_eq!(justification("A.3.2"), "Not used = no risk");
    for row in &rows {
        for field in row {
            assert!(
                !field.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{row:?}"
            );
        }
    }
}

#[test]
fn spreadsheet_formulas_in_coverage_csv_are_neutralised() {
    let (_tmp, root) = temp_aims();
    // A document id may start with `-`: in a spreadsheet, `-1` alone is a number but
    // `-1+cmd|…` would be a formula; every such cell is quoted.
    write(
        &root,
        "policies/p.md",
        "---\nid: \"-1\"\ntitle: P\ncontrols: [A.2.2]\n---\n",
    );
    let run = aimsdoc([
        std::ffi::OsStr::new("coverage"),
        root.as_os_str(),
        std::ffi::OsStr::new("--format"),
        std::ffi::OsStr::new("csv"),
        std::ffi::OsStr::new("--today"),
        std::ffi::OsStr::new(TODAY),
    ]);
    run.expect_code(0);
    let rows = parse_csv(&run.stdout);
    assert_eq!(
        rows[0],
        [
            "kind",
            "id",
            "title",
            "state",
            "applicable",
            "implementation",
            "documents"
        ]
    );
    let row = rows.iter().find(|r| r[1] == "A.2.2").unwrap();
    assert_eq!(row[6], "'-1");
}
