//! Diagnostics over a whole AIMS rather than one row of the table: a folder without
//! aims.toml, many problems in many files reported in order, and every fixture's diagnostics
//! well formed.

use std::path::{Path, PathBuf};

use super::table::run_case;
use crate::common::*;

#[test]
fn no_aims_toml_is_a_usage_error() {
    let root = fixture("no-config");
    let c = run_case(root.clone(), None);
    c.build.expect_code(2);
    for run in [check(&root), c.build] {
        run.expect_code(2);
        assert!(run.stderr.contains("no aims.toml"), "{}", run.stderr);
        assert!(
            run.stderr.contains(&root.display().to_string()),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn several_errors_in_several_files_are_all_reported_in_order() {
    let c = run_case(fixture("several-errors"), None);
    let expected: Vec<(&str, &str, String)> = vec![
        ("error", "AIMS0101", c.at("governance/roles.md", "A.3.9")),
        (
            "error",
            "AIMS0114",
            c.at("governance/roles.md", "2027-02-30"),
        ),
        (
            "error",
            "AIMS0201",
            c.at("governance/roles.md", "[[NOPE-001]]"),
        ),
        (
            "error",
            "AIMS0113",
            c.at("policies/ai-policy.md", "aprroved"),
        ),
        (
            "warning",
            "AIMS0111",
            c.at("policies/ai-policy.md", "classificaton"),
        ),
        (
            "error",
            "AIMS0202",
            c.at("policies/ai-policy.md", "[[DOC-ROLES-001#duties]]"),
        ),
        ("error", "AIMS0110", "procedures/risk.md:2:1".to_string()),
        ("error", "AIMS0301", c.at("soa.yaml", "A.6.2.9")),
        ("error", "AIMS0302", c.at("soa.yaml", "A.7.3")),
    ];
    // Sorted by file, then line, then column, as the promise says.
    let key = |loc: &str| {
        let mut p = loc.rsplitn(3, ':');
        let col: usize = p.next().unwrap().parse().unwrap();
        let line: usize = p.next().unwrap().parse().unwrap();
        (PathBuf::from(p.next().unwrap()), line, col)
    };
    let mut sorted = expected.clone();
    sorted.sort_by_key(|(_, _, loc)| key(loc));
    let errors = expected.iter().filter(|e| e.0 == "error").count();
    let warnings = expected.len() - errors;

    c.build.expect_code(1).expect_counts(errors, warnings);
    let got: Vec<(String, String, String)> = c
        .build
        .diagnostics()
        .into_iter()
        .map(|d| (d.severity, d.code, d.location.unwrap_or_default()))
        .collect();
    let want: Vec<(String, String, String)> = sorted
        .into_iter()
        .map(|(s, c, l)| (s.to_string(), c.to_string(), l))
        .collect();
    assert_eq!(got, want, "stderr:\n{}", c.build.stderr);
    assert!(
        c.build
            .summary()
            .contains(&format!("{errors} errors, {warnings} warning")),
        "{}",
        c.build.summary()
    );
}

#[test]
fn every_code_in_the_fixtures_has_a_name_and_a_position_or_file() {
    // Every diagnostic of every fixture names a file; positioned ones point inside it.
    let dir = repo().join("tests/fixtures");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut seen = 0;
    for name in names {
        let root = dir.join(&name);
        let run = check(&root);
        for d in run.diagnostics() {
            seen += 1;
            assert!(
                d.code.starts_with("AIMS") && d.code.len() == 8,
                "{name}: {d:?}"
            );
            assert!(!d.name.is_empty(), "{name}: {d:?}");
            let file = d
                .file()
                .unwrap_or_else(|| panic!("{name}: no location in {d:?}"));
            if let Some((line, col)) = d.line_col() {
                let path: &Path = &root.join(&file);
                if let Ok(text) = std::fs::read_to_string(path) {
                    let l = text.lines().nth(line - 1);
                    assert!(
                        l.is_some_and(|l| col <= l.chars().count() + 1),
                        "{name}: {d:?} points outside {file}"
                    );
                }
            }
        }
    }
    assert!(seen > 30, "only {seen} diagnostics over all fixtures");
}
