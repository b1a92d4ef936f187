//! The JSON format against its golden file, the SARIF golden file, usage errors in the
//! machine formats, and `check --help`.

use super::*;

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
            "cannot read {} ({e}); run `AIMSDOC_BLESS=1 cargo test --test it check::formats::golden`",
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
             (if the change is intended: AIMSDOC_BLESS=1 cargo test --test it check::formats::golden)",
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
