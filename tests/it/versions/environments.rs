//! Where git is limited or missing: a shallow clone, a folder outside git, no git installed.

use super::*;

#[test]
fn a_shallow_clone_builds_and_says_so_once() {
    let f = fixture_repo();
    let tmp = tempfile::tempdir().unwrap();
    let clone = tmp.path().join("clone");
    let url = format!("file://{}", f.git.top.display());
    f.git.run_in(
        tmp.path(),
        &["clone", "-q", "--depth", "1", &url, clone.to_str().unwrap()],
    );
    let out = tmp.path().join("site");
    let run = build_to(&clone.join("manual/aims"), &out);
    run.expect_code(0);
    assert_eq!(run.with_code("AIMS0401").len(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("shallow clone"));
    let pol = page(&out, "documents/POL-1.html");
    assert!(texts(&pol, ".history-note")
        .join("")
        .contains("shallow clone"));
    // What the clone has: the one commit.
    assert_eq!(history_rows(&pol).len(), 1);
    assert_links_resolve(&out);
}

#[test]
fn outside_git_builds_the_current_manual_and_says_so_once() {
    let f = fixture_repo();
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("aims");
    copy_dir(&f.aims, &copy);
    let out = tmp.path().join("site");
    let run = build_to(&copy, &out);
    run.expect_code(0);
    assert_eq!(run.with_code("AIMS0401").len(), 1, "{}", run.stderr);
    assert!(!out.join("v").exists());
    let v: serde_json::Value = serde_json::from_str(&read(&out.join("versions.json"))).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
    let pol = page(&out, "documents/POL-1.html");
    assert!(texts(&pol, "nav.version-bar").is_empty());
    assert!(texts(&pol, ".history-note")
        .join("")
        .contains("not in a git repository"));
    assert_links_resolve(&out);
}

#[test]
fn without_git_installed_the_build_goes_on() {
    let f = fixture_repo();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let empty = tmp.path().join("no-bin");
    std::fs::create_dir_all(&empty).unwrap();
    let run = aimsdoc_env(
        [
            OsStr::new("build"),
            f.aims.as_os_str(),
            OsStr::new("-o"),
            out.as_os_str(),
            OsStr::new("--today"),
            OsStr::new(TODAY),
        ],
        &[("PATH", empty.to_str().unwrap())],
    );
    run.expect_code(0);
    let d = run.only("AIMS0401");
    assert!(run.stderr.contains("git is not installed"), "{d:?}");
    assert!(out.join("documents/POL-1.html").is_file());
}
