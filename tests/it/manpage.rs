//! `aimsdoc man`: the roff page of aimsdoc on stdout, and with `--out DIR` one page per
//! subcommand written into DIR only; every page renders with groff (and `man -l`) without a
//! warning.

use crate::common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::*;

fn on_path(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// Whether groff is there (says why not otherwise). With `AIMSDOC_REQUIRE_MAN_TOOLS` set
/// (`scripts/precommit-tests.sh` installs groff and sets it), a missing groff fails instead.
fn groff_present() -> bool {
    if on_path("groff") {
        return true;
    }
    let why = "groff not found (apt-get install groff-base)";
    assert!(
        std::env::var_os("AIMSDOC_REQUIRE_MAN_TOOLS").is_none(),
        "man page test: {why}"
    );
    eprintln!("SKIPPED man page rendering: {why}");
    false
}

/// Renders `page` with `groff -man -Tutf8 -ww` (every warning on) and returns the text;
/// fails on any warning.
fn groff(page: &Path) -> String {
    let out = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww"])
        .arg(page)
        .output()
        .expect("groff runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "groff failed on {}", page.display());
    assert!(
        stderr.trim().is_empty(),
        "groff warns on {}:\n{stderr}",
        page.display()
    );
    // groff's terminal output overstrikes bold (`b\bb`); keep the letters.
    let text = String::from_utf8_lossy(&out.stdout);
    let mut plain = String::new();
    for c in text.chars() {
        if c == '\u{8}' {
            plain.pop();
        } else {
            plain.push(c);
        }
    }
    plain
}

/// `man -l PAGE` with warnings on, when man-db is installed: no warning either.
fn man_l(page: &Path) {
    if !on_path("man") {
        eprintln!("SKIPPED man -l: man not found (apt-get install man-db)");
        return;
    }
    let out = Command::new("man")
        .args(["--warnings=w", "-l"])
        .arg(page)
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .output()
        .expect("man runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "man -l {} failed: {stderr}",
        page.display()
    );
    assert!(stderr.trim().is_empty(), "man -l warns:\n{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("SYNOPSIS"));
}

#[test]
fn the_page_on_stdout_documents_every_subcommand() {
    let run = aimsdoc(["man"]);
    run.expect_code(0);
    assert!(run.stdout.contains("\n.TH aimsdoc 1 "), "{}", run.stdout);
    assert!(run.stdout.is_ascii(), "non-ASCII left in the roff");
    for sub in [
        "aimsdoc\\-build",
        "aimsdoc\\-check",
        "aimsdoc\\-completions",
    ] {
        assert!(run.stdout.contains(sub), "{sub}");
    }
    // The same every time: nothing depends on the date or the machine.
    assert_eq!(aimsdoc(["man"]).stdout, run.stdout);
    if !groff_present() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let page = tmp.path().join("aimsdoc.1");
    std::fs::write(&page, &run.stdout).unwrap();
    let text = groff(&page);
    for want in [
        "NAME",
        "SYNOPSIS",
        "SUBCOMMANDS",
        "aimsdoc-build(1)",
        "Build the manual into an output folder",
        "SEE ALSO",
    ] {
        assert!(text.contains(want), "rendered page lacks {want}:\n{text}");
    }
    man_l(&page);
}

#[test]
fn out_writes_one_page_per_subcommand_into_the_folder_only() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("share/man/man1");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("other.1"), "keep me").unwrap();
    let run = aimsdoc([
        std::ffi::OsStr::new("man"),
        "--out".as_ref(),
        dir.as_os_str(),
    ]);
    run.expect_code(0);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    // aimsdoc.1, one page per subcommand of `--help` (not `help`) and aimsdoc-import-comply.1.
    let mut want: Vec<String> = crate::completions::subcommands()
        .into_iter()
        .filter(|s| s != "help")
        .map(|s| format!("aimsdoc-{s}.1"))
        .collect();
    want.extend([
        "aimsdoc.1".to_string(),
        "aimsdoc-import-comply.1".to_string(),
    ]);
    want.sort();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let pages: Vec<String> = names.iter().filter(|n| *n != "other.1").cloned().collect();
    assert_eq!(pages, want);
    for page in ["aimsdoc-build.1", "aimsdoc-man.1", "aimsdoc-completions.1"] {
        assert!(pages.iter().any(|p| p == page), "{page}");
    }
    assert!(
        run.stderr
            .contains(&format!("Wrote {} manual pages", want.len())),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("other.1")).unwrap(),
        "keep me"
    );
    // Nothing beside the folder.
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    assert_eq!(
        std::fs::read_to_string(dir.join("aimsdoc.1")).unwrap(),
        aimsdoc(["man"]).stdout
    );
    if !groff_present() {
        return;
    }
    for name in &pages {
        let text = groff(&dir.join(name));
        assert!(text.contains("SYNOPSIS"), "{name}");
    }
    let build = groff(&dir.join("aimsdoc-build.1"));
    for want in [
        "--output",
        "--today",
        "EXIT STATUS",
        "EXAMPLES",
        "aimsdoc(1)",
    ] {
        assert!(
            build.contains(want),
            "aimsdoc-build(1) lacks {want}:\n{build}"
        );
    }
    assert!(
        build.contains("aimsdoc build sample-aims -o site      # into ./site"),
        "examples are verbatim:\n{build}"
    );
    let import = groff(&dir.join("aimsdoc-import.1"));
    assert!(import.contains("aimsdoc-import-comply(1)"), "{import}");
    man_l(&dir.join("aimsdoc-build.1"));
}

#[test]
fn out_on_a_file_is_a_usage_error_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("man1");
    std::fs::write(&file, "a file").unwrap();
    let run = aimsdoc([
        std::ffi::OsStr::new("man"),
        "--out".as_ref(),
        file.as_os_str(),
    ]);
    run.expect_code(2);
    assert!(run.stderr.contains("not a folder"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "a file");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[cfg(unix)]
#[test]
fn out_replaces_a_symbolic_link_instead_of_writing_through_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("man1");
    std::fs::create_dir(&dir).unwrap();
    let outside = tmp.path().join("outside.txt");
    std::fs::write(&outside, "outside").unwrap();
    std::os::unix::fs::symlink(&outside, dir.join("aimsdoc-build.1")).unwrap();
    let run = aimsdoc([
        std::ffi::OsStr::new("man"),
        "--out".as_ref(),
        dir.as_os_str(),
    ]);
    run.expect_code(0);
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "outside");
    let page = dir.join("aimsdoc-build.1");
    assert!(!page.symlink_metadata().unwrap().file_type().is_symlink());
    assert!(std::fs::read_to_string(&page)
        .unwrap()
        .contains("\n.TH aimsdoc-build 1 "));
}

#[test]
fn a_page_that_cannot_be_placed_is_a_usage_error_leaving_no_temporary_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("man1");
    // A folder where aimsdoc-build.1 goes: the page cannot be renamed over it.
    std::fs::create_dir_all(dir.join("aimsdoc-build.1")).unwrap();
    let run = aimsdoc([
        std::ffi::OsStr::new("man"),
        "--out".as_ref(),
        dir.as_os_str(),
    ]);
    run.expect_code(2);
    assert!(run.stderr.contains("aimsdoc-build.1"), "{}", run.stderr);
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    assert!(dir.join("aimsdoc-build.1").is_dir());
}
