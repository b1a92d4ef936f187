//! The command line: help, usage errors, exit codes, and `init`.

use crate::common;

use std::ffi::OsStr;

use common::*;

#[test]
fn help_of_every_subcommand_has_examples() {
    for args in [
        vec!["--help"],
        vec!["build", "--help"],
        vec!["check", "--help"],
        vec!["init", "--help"],
        vec!["help", "build"],
    ] {
        let run = aimsdoc(&args);
        run.expect_code(0);
        assert!(
            run.stdout.contains("Examples"),
            "`aimsdoc {}`:\n{}",
            args.join(" "),
            run.stdout
        );
        assert!(run.stdout.contains("Usage"), "`aimsdoc {}`", args.join(" "));
    }
    let build_help = aimsdoc(["build", "--help"]).stdout;
    for flag in ["--output", "--today", "Exit status"] {
        assert!(build_help.contains(flag), "build --help lacks {flag}");
    }
}

#[test]
fn version() {
    let run = aimsdoc(["--version"]);
    run.expect_code(0);
    assert!(
        run.stdout.contains(env!("CARGO_PKG_VERSION")),
        "{}",
        run.stdout
    );
}

#[test]
fn an_impossible_date_is_a_usage_error() {
    let root = fixture("minimal");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    for sub in ["check", "build"] {
        for date in ["2026-02-30", "2026-13-01", "23/11/2026", "tomorrow"] {
            let mut args = vec![
                OsStr::new(sub),
                root.as_os_str(),
                OsStr::new("--today"),
                OsStr::new(date),
            ];
            if sub == "build" {
                args.extend([OsStr::new("-o"), out.as_os_str()]);
            }
            let run = aimsdoc(&args);
            run.expect_code(2);
            assert!(run.stderr.contains(date), "{}", run.stderr);
            assert!(run.stderr.contains("YYYY-MM-DD"), "{}", run.stderr);
        }
    }
    assert!(!out.exists());
}

#[test]
fn a_missing_directory_is_a_usage_error() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no-such-aims");
    for run in [
        check(&missing),
        build_default(&missing),
        build(&missing, &tmp.path().join("out")),
    ] {
        run.expect_code(2);
        assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
        assert!(
            run.stderr.contains(&missing.display().to_string()),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    }
    assert!(!missing.exists(), "nothing is created for a missing AIMS");
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn bad_usage_exits_2() {
    for args in [
        vec!["frobnicate"],
        vec!["build", "--no-such-flag"],
        vec!["build", "-o"],
        vec!["check", "a", "b"],
    ] {
        let run = aimsdoc(&args);
        run.expect_code(2);
        assert!(
            !run.stderr.is_empty(),
            "`aimsdoc {}` says nothing",
            args.join(" ")
        );
    }
}

#[test]
fn a_clean_aims_exits_0_and_reports_what_it_built() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let root = fixture("coverage-states");
    let run = build(&root, &out);
    // The fixture reaches every coverage state on purpose, so document control warns about
    // its overdue review and its claim on an excluded control; warnings do not fail a build.
    run.expect_code(0).expect_counts(0, 2);
    let docs = source_docs(&root).len();
    assert!(
        run.summary()
            .starts_with(&format!("Built {docs} documents")),
        "{}",
        run.summary()
    );
    assert!(run.summary().contains(&out.display().to_string()));
    let run = check(&root);
    run.expect_code(0).expect_counts(0, 2);
    assert!(
        run.summary()
            .starts_with(&format!("Checked {docs} documents")),
        "{}",
        run.summary()
    );
    assert!(
        run.stdout.is_empty(),
        "diagnostics and summaries go to stderr"
    );
}

#[test]
fn init_creates_a_buildable_aims() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    let run = aimsdoc([OsStr::new("init"), dir.as_os_str()]);
    run.expect_code(0);
    for f in [
        "aims.toml",
        "soa.yaml",
        "systems.yaml",
        "policies/ai-policy.md",
    ] {
        assert!(dir.join(f).is_file(), "init did not create {f}");
    }
    let out = tmp.path().join("site");
    let built = build(&dir, &out);
    built.expect_code(0);
    // Every control is listed in soa.yaml but undecided: one warning for all of them, at the
    // first, naming how many and the first few at their lines; and the starter AI system in
    // systems.yaml has no records yet: one warning naming what it lacks. Nothing else.
    let controls: Vec<String> = catalog()
        .into_iter()
        .filter(|e| e.kind == "control")
        .map(|e| e.id)
        .collect();
    built.expect_counts(0, 2);
    let checked = check(&dir);
    checked.expect_code(0).expect_counts(0, 2);
    let lacking = checked.only("AIMS0910");
    assert!(
        lacking.message.contains("AIS-01 (Example AI system)"),
        "{}",
        lacking.message
    );
    let w = checked.only("AIMS0303");
    let line_of = |id: &str| {
        location_of(&dir, "soa.yaml", &format!("  {id}:"))
            .split(':')
            .nth(1)
            .unwrap()
            .to_string()
    };
    let first_few: Vec<String> = controls[..5]
        .iter()
        .map(|id| format!("{id} (line {})", line_of(id)))
        .collect();
    assert_eq!(
        w.message,
        format!(
            "{} Annex A controls have no decision in soa.yaml and are treated as applicable: {} and {} more",
            controls.len(),
            first_few.join(", "),
            controls.len() - 5
        )
    );
    assert_eq!(
        w.line_col().map(|(l, _)| l.to_string()),
        Some(line_of(&controls[0]))
    );
    let docs = source_docs(&dir);
    assert_eq!(docs.len(), 1);
    assert!(out
        .join(format!("documents/{}.html", docs[0].id()))
        .is_file());
    assert_links_resolve(&out);
    // The starter soa.yaml mentions every control.
    let soa = std::fs::read_to_string(dir.join("soa.yaml")).unwrap();
    for e in catalog().into_iter().filter(|e| e.kind == "control") {
        assert!(
            soa.contains(&format!("  {}:", e.id)),
            "soa.yaml lacks {}",
            e.id
        );
    }
    // The SoA starts as a controlled document in draft: its register row says so.
    let register = page(&out, "register.html");
    let soa_row = texts(&register, ".register-table tr.register-soa td");
    assert!(soa_row.iter().any(|c| c == "0.1"), "{soa_row:?}");
    assert!(soa_row.iter().any(|c| c == "draft"), "{soa_row:?}");
}

#[test]
fn init_says_what_to_do_next_naming_aims_toml_and_soa_yaml() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    let run = aimsdoc([OsStr::new("init"), dir.as_os_str()]);
    run.expect_code(0);
    let next = run
        .stderr
        .split_once("Next:")
        .unwrap_or_else(|| panic!("no `Next:` in:\n{}", run.stderr))
        .1;
    for file in ["aims.toml", "soa.yaml", "policies/ai-policy.md"] {
        let path = dir.join(file).display().to_string();
        assert!(
            next.contains(&path),
            "`Next:` does not name {path}:\n{next}"
        );
    }
    assert!(next.contains("placeholder organization"), "{next}");
    assert!(
        next.contains(&format!("aimsdoc build {}", dir.display())),
        "{next}"
    );
}

#[test]
fn init_takes_the_title_and_organization() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("acme");
    let title = "Acme \"Responsible AI\" Manual";
    let run = aimsdoc([
        OsStr::new("init"),
        dir.as_os_str(),
        OsStr::new("--title"),
        OsStr::new(title),
        OsStr::new("--organization"),
        OsStr::new("Acme & Søn Ltd"),
    ]);
    run.expect_code(0);
    assert!(!run.stderr.contains("placeholder"), "{}", run.stderr);
    let out = tmp.path().join("site");
    build(&dir, &out).expect_code(0);
    let home = page(&out, "index.html");
    assert_eq!(
        texts(&home, "head > title"),
        [format!("{title} · {title}")],
        "the page title"
    );
    assert_eq!(texts(&home, ".site-org"), ["Acme & Søn Ltd"]);
    // Without them: the folder's name and a placeholder to replace.
    let plain = tmp.path().join("risk-office");
    aimsdoc([OsStr::new("init"), plain.as_os_str()]).expect_code(0);
    let toml = std::fs::read_to_string(plain.join("aims.toml")).unwrap();
    assert!(
        toml.contains("title = \"Risk Office AI Management System\""),
        "{toml}"
    );
    assert!(toml.contains("organization = \"Example Ltd\""), "{toml}");
    // An empty value is a usage error, and nothing is written.
    let empty = tmp.path().join("empty");
    for flag in ["--title", "--organization"] {
        let run = aimsdoc([
            OsStr::new("init"),
            empty.as_os_str(),
            OsStr::new(flag),
            OsStr::new(""),
        ]);
        run.expect_code(2);
        assert!(!empty.exists());
    }
}

#[test]
fn init_accepts_an_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    aimsdoc([OsStr::new("init"), tmp.path().as_os_str()]).expect_code(0);
    assert!(tmp.path().join("aims.toml").is_file());
}

#[test]
fn init_refuses_a_non_empty_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("existing");
    write(&dir, "notes.txt", "keep me");
    write(&dir, "aims.toml", "mine");
    let before = tree(&dir);
    let run = aimsdoc([OsStr::new("init"), dir.as_os_str()]);
    run.expect_code(2);
    assert!(run.stderr.contains("not empty"), "{}", run.stderr);
    assert_same_tree(&before, &tree(&dir));
}
