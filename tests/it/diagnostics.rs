//! One fixture per kind of problem: `check` and `build` must both report it with its code,
//! message, position and suggestion, and exit 1 for errors (nothing published) or 0 for
//! warnings only (site built).

use crate::common;

use std::path::{Path, PathBuf};

use common::*;
use tempfile::TempDir;

/// The outcome of `check` and `build` over one AIMS.
struct Case {
    root: PathBuf,
    build: Run,
    _tmp: Option<TempDir>,
    _out: TempDir,
    out: PathBuf,
}

impl Case {
    /// `root/rel:line:col` of `needle` in a file of this case.
    fn at(&self, rel: &str, needle: &str) -> String {
        location_of(&self.root, rel, needle)
    }
}

fn case(name: &str) -> Case {
    run_case(fixture(name), None)
}

/// Runs check and build over `root`; asserts they agree, that nothing panicked, and that
/// output exists exactly when the build succeeded.
fn run_case(root: PathBuf, tmp: Option<TempDir>) -> Case {
    let out_tmp = tempfile::tempdir().unwrap();
    let out = out_tmp.path().join("out");
    let checked = check(&root);
    let built = build(&root, &out);
    assert_eq!(
        checked.code, built.code,
        "check and build disagree on the exit code\ncheck:\n{}\nbuild:\n{}",
        checked.stderr, built.stderr
    );
    assert_eq!(
        checked.diagnostics(),
        built.diagnostics(),
        "check and build report different diagnostics\ncheck:\n{}\nbuild:\n{}",
        checked.stderr,
        built.stderr
    );
    match built.code {
        0 => {
            assert!(
                out.join("index.html").is_file(),
                "build exited 0 but wrote no site"
            );
            assert!(out.join(".aimsdoc-output").is_file());
            assert_eq!(checked.counts(), built.counts());
        }
        1 => {
            assert!(!out.exists(), "a failed build must publish nothing");
            assert!(
                built.summary().starts_with("Build failed:"),
                "summary: {}",
                built.summary()
            );
            assert_eq!(checked.counts(), built.counts());
        }
        _ => assert!(!out.exists(), "a refused build must publish nothing"),
    }
    Case {
        root,
        build: built,
        _tmp: tmp,
        _out: out_tmp,
        out,
    }
}

/// Asserts one diagnostic's severity, code name, message and location.
fn assert_diag(d: &Diag, severity: &str, name: &str, message: &str, location: &str) {
    assert_eq!(d.severity, severity, "{d:?}");
    assert_eq!(d.name, name, "{d:?}");
    assert_eq!(d.message, message, "{d:?}");
    assert_eq!(d.location.as_deref(), Some(location), "{d:?}");
}

const NO_SOA: &str = "AIMS0303";

#[test]
fn unknown_control_in_front_matter() {
    let c = case("unknown-control");
    c.build.expect_code(1).expect_counts(1, 1);
    let d = c.build.only("AIMS0101");
    let at = c.at("policies/ai-policy.md", "A.6.2.9");
    assert_diag(
        &d,
        "error",
        "unknown-control",
        "unknown control A.6.2.9",
        &at,
    );
    assert!(d.help().contains("did you mean A.6.2.8"), "{d:?}");
    assert!(c.build.stderr.contains(&at));
    assert!(c.build.stderr.contains("AIMS0101"));
    assert!(c.build.stderr.contains("unknown control A.6.2.9"));
}

#[test]
fn unknown_clause_in_front_matter() {
    let c = case("unknown-clause");
    c.build.expect_code(1).expect_counts(1, 1);
    let d = c.build.only("AIMS0102");
    let at = c.at("policies/ai-policy.md", "6.1.9");
    assert_diag(&d, "error", "unknown-clause", "unknown clause 6.1.9", &at);
    assert!(d.help().contains("did you mean 6.1.4"), "{d:?}");
}

#[test]
fn objective_group_and_control_in_the_wrong_list() {
    let c = case("objective-as-control");
    c.build.expect_code(1).expect_counts(3, 1);
    let rel = "procedures/life-cycle.md";
    let cat = catalog();
    let controls_under = |prefix: &str| -> String {
        cat.iter()
            .filter(|e| e.kind == "control" && e.id.starts_with(&format!("{prefix}.")))
            .map(|e| e.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let ds = c.build.with_code("AIMS0101");
    assert_eq!(ds.len(), 2, "{}", c.build.stderr);
    assert_diag(
        &ds[0],
        "error",
        "unknown-control",
        "A.6 is a control objective, not a control",
        &c.at(rel, "A.6,"),
    );
    assert_eq!(
        ds[0].help(),
        format!("list the controls it contains: {}", controls_under("A.6"))
    );
    assert_diag(
        &ds[1],
        "error",
        "unknown-control",
        "A.6.2 is a group of controls, not a control",
        &c.at(rel, "A.6.2]"),
    );
    assert_eq!(
        ds[1].help(),
        format!("list the controls it contains: {}", controls_under("A.6.2"))
    );
    let d = c.build.only("AIMS0102");
    assert_diag(
        &d,
        "error",
        "unknown-clause",
        "A.2.2 is an Annex A control, not a clause",
        &c.at(rel, "A.2.2"),
    );
    assert_eq!(d.help(), "move A.2.2 to `controls`");
}

#[test]
fn hyphenated_control_id_is_a_warning_and_still_counts() {
    let c = case("hyphenated-id");
    c.build.expect_code(0).expect_counts(0, 2);
    let d = c.build.only("AIMS0103");
    assert_diag(
        &d,
        "warning",
        "non-canonical-id",
        "`A-6-2-4` is written in a non-canonical form",
        &c.at("procedures/verification.md", "A-6-2-4"),
    );
    assert_eq!(d.help(), "write A.6.2.4");
    // The control is addressed under its canonical id.
    let control = page(&c.out, "controls/A.6.2.4.html");
    let implementers = texts(&control, "#implemented-by a");
    assert_eq!(implementers, vec!["PRO-VV-001 Verification and Validation"]);
}

#[test]
fn missing_id() {
    let c = case("missing-id");
    c.build.expect_code(1).expect_counts(1, 1);
    let d = c.build.only("AIMS0110");
    assert_diag(
        &d,
        "error",
        "missing-field",
        "front matter has no `id`; it is required",
        "policies/no-id.md:2:1",
    );
    assert!(d.help().contains("id: "), "{d:?}");
}

#[test]
fn missing_title() {
    let c = case("missing-title");
    c.build.expect_code(1).expect_counts(1, 1);
    let d = c.build.only("AIMS0110");
    assert_diag(
        &d,
        "error",
        "missing-field",
        "front matter has no `title`; it is required",
        "policies/no-title.md:2:1",
    );
}

#[test]
fn bad_status_value() {
    let c = case("bad-status");
    c.build.expect_code(1).expect_counts(1, 1);
    let d = c.build.only("AIMS0113");
    assert_diag(
        &d,
        "error",
        "invalid-value",
        "`status: aproved` is not allowed; use one of draft | in-review | approved | retired",
        &c.at("policies/ai-policy.md", "aproved"),
    );
    assert_eq!(d.help(), "did you mean approved?");
}

#[test]
fn bad_date() {
    let c = case("bad-date");
    c.build.expect_code(1).expect_counts(1, 1);
    let d = c.build.only("AIMS0114");
    assert_diag(
        &d,
        "error",
        "invalid-date",
        "`review: 2026-13-01` is not a valid date",
        &c.at("policies/ai-policy.md", "2026-13-01"),
    );
    assert!(d.help().contains("YYYY-MM-DD"), "{d:?}");
}

#[test]
fn invalid_id_characters() {
    let c = case("invalid-id");
    c.build.expect_code(1).expect_counts(1, 1);
    let d = c.build.only("AIMS0115");
    assert_eq!(d.name, "invalid-id");
    assert!(d.message.contains("`POL AI/001`"), "{d:?}");
    assert!(d.message.contains("letters, digits"), "{d:?}");
    assert_eq!(
        d.location.as_deref(),
        Some(c.at("policies/ai-policy.md", "\"POL AI/001\"").as_str())
    );
}

#[test]
fn duplicate_id_across_two_files() {
    let c = case("duplicate-id");
    c.build.expect_code(1).expect_counts(1, 1);
    let d = c.build.only("AIMS0116");
    assert_diag(
        &d,
        "error",
        "duplicate-id",
        "document id `POL-AI-001` is already used by policies/a.md (`POL-AI-001`)",
        &c.at("policies/b.md", "POL-AI-001"),
    );
}

#[test]
fn duplicate_id_ignoring_case() {
    let c = case("duplicate-id-case");
    c.build.expect_code(1).expect_counts(1, 1);
    let d = c.build.only("AIMS0116");
    assert_diag(
        &d,
        "error",
        "duplicate-id",
        "document id `pol-ai-001` is already used by policies/a.md (`POL-AI-001`)",
        &c.at("procedures/b.md", "pol-ai-001"),
    );
}

#[test]
fn unknown_front_matter_field_is_a_warning() {
    let c = case("unknown-field");
    c.build.expect_code(0).expect_counts(0, 2);
    let d = c.build.only("AIMS0111");
    assert_diag(
        &d,
        "warning",
        "unknown-field",
        "unknown front-matter field `ownr`",
        &c.at("policies/ai-policy.md", "ownr"),
    );
    assert_eq!(d.help(), "did you mean owner?");
}

#[test]
fn wrong_types() {
    let c = case("wrong-type");
    c.build.expect_code(1).expect_counts(4, 2);
    let types = c.build.with_code("AIMS0112");
    assert_eq!(types.len(), 3, "{}", c.build.stderr);
    assert_diag(
        &types[0],
        "error",
        "invalid-type",
        "`order` must be a whole number, found text",
        &c.at("policies/a.md", "ten"),
    );
    assert_diag(
        &types[1],
        "error",
        "invalid-type",
        "`tags` must be a list, found a mapping",
        &c.at("policies/a.md", "{a: b}"),
    );
    assert_diag(
        &types[2],
        "error",
        "invalid-type",
        "`controls` must be a list of ids, found a true/false value",
        &c.at("policies/b.md", "true"),
    );
    // A mapping where a list of ids is expected is read as one `{id, note}` item without id.
    let d = c.build.only("AIMS0110");
    assert_diag(
        &d,
        "error",
        "missing-field",
        "an item of `controls` has no `id`",
        &c.at("policies/c.md", "{a: b}"),
    );
    let w = c.build.only("AIMS0111");
    assert_eq!(w.severity, "warning");
    assert!(w.message.contains("unknown key `a`"), "{w:?}");
}

#[test]
fn yaml_syntax_error() {
    let c = case("yaml-syntax");
    c.build.expect_code(1).expect_counts(1, 1);
    let d = c.build.only("AIMS0005");
    assert_eq!(d.name, "yaml-syntax");
    assert!(
        d.message.starts_with("front matter is not valid YAML: "),
        "{d:?}"
    );
    assert_eq!(d.file().as_deref(), Some("policies/ai-policy.md"));
    // The unclosed `[` is on line 3; the parser notices on line 3 or 4, inside the front
    // matter and never in the body.
    let (line, _) = d.line_col().expect("a position");
    assert!((3..=4).contains(&line), "{d:?}");
    assert!(!d.help().is_empty());
}

#[test]
fn front_matter_that_is_a_list() {
    let c = case("not-mapping");
    c.build.expect_code(1).expect_counts(1, 1);
    let d = c.build.only("AIMS0006");
    assert_diag(
        &d,
        "error",
        "front-matter-not-mapping",
        "front matter must be a mapping of fields, found a list",
        "policies/ai-policy.md:2:1",
    );
}

#[test]
fn unterminated_front_matter() {
    let c = case("unterminated");
    c.build.expect_code(1).expect_counts(1, 1);
    let d = c.build.only("AIMS0004");
    assert_diag(
        &d,
        "error",
        "unterminated-front-matter",
        "front matter starts here but is never closed",
        "policies/ai-policy.md:1:1",
    );
    assert!(d.help().contains("---"));
}

#[test]
fn non_utf8_markdown_file() {
    let (tmp, root) = temp_copy(&fixture("no-soa"));
    let bytes: &[u8] = b"---\nid: X\n\xff\xfe";
    std::fs::write(root.join("policies/bad.md"), bytes).unwrap();
    let offset = bytes.iter().position(|&b| b == 0xff).unwrap();
    let c = run_case(root, Some(tmp));
    c.build.expect_code(1).expect_counts(1, 1);
    let d = c.build.only("AIMS0002");
    assert_diag(
        &d,
        "error",
        "not-utf8",
        &format!("policies/bad.md is not UTF-8 text (invalid byte at offset {offset})"),
        "policies/bad.md",
    );
}

#[test]
fn empty_markdown_file_is_not_a_document_and_readme_is_skipped() {
    let c = case("empty-md");
    c.build.expect_code(0).expect_counts(0, 2);
    let d = c.build.only("AIMS0003");
    assert_diag(
        &d,
        "warning",
        "no-front-matter",
        "policies/empty.md has no front matter, so it is not a document",
        "policies/empty.md",
    );
    assert!(!c.build.stderr.contains("README"), "{}", c.build.stderr);
    assert!(c.out.join("documents/POL-AI-001.html").is_file());
}

#[test]
fn broken_wiki_link_points_at_the_link() {
    let c = case("broken-wiki-link");
    c.build.expect_code(1).expect_counts(1, 1);
    let d = c.build.only("AIMS0201");
    // Columns count characters: the line has `è` and `«` before the link.
    assert_diag(
        &d,
        "error",
        "unknown-document",
        "no document or catalog entry has the id `POL-AI-002`",
        &c.at("policies/ai-policy.md", "[[POL-AI-002]]"),
    );
    assert_eq!(d.help(), "did you mean POL-AI-001?");
}

#[test]
fn wiki_link_to_a_missing_anchor() {
    let c = case("missing-anchor");
    c.build.expect_code(1).expect_counts(1, 1);
    let d = c.build.only("AIMS0202");
    assert_diag(
        &d,
        "error",
        "missing-anchor",
        "POL-AI-001 has no heading with the anchor `#missing-anchor`",
        &c.at("procedures/risk.md", "[[POL-AI-001#missing-anchor]]"),
    );
    assert!(d.help().contains("principles"), "{d:?}");
}

#[test]
fn relative_link_to_a_missing_file() {
    let c = case("missing-file");
    c.build.expect_code(1).expect_counts(1, 1);
    let d = c.build.only("AIMS0203");
    assert_diag(
        &d,
        "error",
        "missing-file",
        "link `../nope.md` points to nope.md, which is not a document of this AIMS",
        &c.at("policies/ai-policy.md", "[x](../nope.md)"),
    );
}

#[test]
fn relative_link_to_a_missing_anchor() {
    let c = case("relative-missing-anchor");
    c.build.expect_code(1).expect_counts(1, 1);
    let d = c.build.only("AIMS0202");
    assert_diag(
        &d,
        "error",
        "missing-anchor",
        "POL-AI-001 has no heading with the anchor `#nope`",
        &c.at("policies/use.md", "[the rest]"),
    );
}

#[test]
fn relative_link_escaping_the_root() {
    let c = case("link-escapes-root");
    c.build.expect_code(1).expect_counts(1, 1);
    let d = c.build.only("AIMS0203");
    assert_diag(
        &d,
        "error",
        "missing-file",
        "link `../../outside.md` points outside the AIMS folder",
        &c.at("policies/ai-policy.md", "[the parent]"),
    );
}

#[test]
fn soa_exclusion_without_justification() {
    let c = case("soa-missing-justification");
    c.build.expect_code(1).expect_counts(1, 0);
    let d = c.build.only("AIMS0302");
    assert_diag(
        &d,
        "error",
        "soa-missing-justification",
        "A.7.3 is excluded without a justification",
        &c.at("soa.yaml", "A.7.3"),
    );
    assert!(d.help().contains("justification"));
}

#[test]
fn soa_with_an_unknown_control() {
    let c = case("soa-unknown-control");
    c.build.expect_code(1).expect_counts(1, 0);
    let d = c.build.only("AIMS0301");
    assert_diag(
        &d,
        "error",
        "soa-unknown-control",
        "unknown control A.6.2.9 in soa.yaml",
        &c.at("soa.yaml", "A.6.2.9"),
    );
    assert!(d.help().contains("did you mean A.6.2.8"), "{d:?}");
}

#[test]
fn soa_missing_a_control_is_a_warning() {
    let c = case("soa-missing-control");
    c.build.expect_code(0).expect_counts(0, 1);
    let title = catalog()
        .into_iter()
        .find(|e| e.id == "A.10.4")
        .unwrap()
        .title;
    let d = c.build.only(NO_SOA);
    assert_diag(
        &d,
        "warning",
        "soa-undecided",
        &format!("soa.yaml has no decision for A.10.4 ({title}); it is treated as applicable"),
        "soa.yaml",
    );
    assert!(d.help().contains("A.10.4"));
}

#[test]
fn no_soa_is_a_warning() {
    let c = case("no-soa");
    c.build.expect_code(0).expect_counts(0, 1);
    let d = c.build.only(NO_SOA);
    assert_eq!(d.severity, "warning");
    assert_eq!(
        d.message,
        "there is no soa.yaml: every Annex A control is treated as applicable and undecided"
    );
    let soa = page(&c.out, "soa.html");
    let applicable = texts(&soa, ".soa-table tbody tr td:nth-of-type(2)");
    assert_eq!(applicable.len(), 38);
    assert!(
        applicable.iter().all(|a| a == "undecided"),
        "{applicable:?}"
    );
}

#[test]
fn aims_toml_syntax_error() {
    let c = case("config-syntax");
    c.build.expect_code(1).expect_counts(1, 0);
    let d = c.build.only("AIMS0010");
    assert_eq!(d.name, "invalid-config");
    assert!(d.message.starts_with("aims.toml is not valid: "), "{d:?}");
    assert_eq!(d.file().as_deref(), Some("aims.toml"));
    let (line, _) = d.line_col().expect("a position");
    assert!((1..=2).contains(&line), "{d:?}");
}

#[test]
fn aims_toml_without_title() {
    let c = case("config-missing-title");
    c.build.expect_code(1).expect_counts(1, 0);
    let d = c.build.only("AIMS0010");
    assert_diag(
        &d,
        "error",
        "invalid-config",
        "aims.toml has no `title`",
        "aims.toml",
    );
    assert!(d.help().contains("title = "));
}

#[test]
fn aims_toml_unknown_key_is_a_warning() {
    let c = case("config-unknown-key");
    c.build.expect_code(0).expect_counts(0, 2);
    let d = c.build.only("AIMS0010");
    assert_diag(
        &d,
        "warning",
        "invalid-config",
        "unknown setting `descripton` in aims.toml",
        &c.at("aims.toml", "descripton"),
    );
    assert_eq!(d.help(), "did you mean description?");
}

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
    let c = case("several-errors");
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

#[test]
fn unknown_related_and_superseded_documents() {
    let (tmp, root) = temp_aims();
    write(
        &root,
        "policies/p.md",
        "---\nid: POL-AI-001\ntitle: P\nrelated: [POL-AI-001, PRO-RISK-009]\nsupersedes: POL-OLD-001\n---\n",
    );
    write(
        &root,
        "procedures/r.md",
        "---\nid: PRO-RISK-001\ntitle: R\n---\n",
    );
    let c = run_case(root, Some(tmp));
    c.build.expect_code(1).expect_counts(2, 1);
    let ds = c.build.with_code("AIMS0201");
    assert_diag(
        &ds[0],
        "error",
        "unknown-document",
        "no document or catalog entry has the id `PRO-RISK-009`",
        &c.at("policies/p.md", "PRO-RISK-009"),
    );
    assert!(
        ds[0].help().starts_with("did you mean PRO-RISK-001"),
        "{:?}",
        ds[0]
    );
    assert_diag(
        &ds[1],
        "error",
        "unknown-document",
        "no document or catalog entry has the id `POL-OLD-001`",
        &c.at("policies/p.md", "POL-OLD-001"),
    );
}
