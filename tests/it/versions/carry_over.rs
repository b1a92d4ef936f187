//! Rebuilds: unchanged versions carried over (equal to fresh builds, also from another copy
//! of aimsdoc), old versions judged as of their release, one manifest per version folder, and
//! uncommitted edits kept out of older versions.

use super::*;

#[test]
fn unchanged_versions_are_carried_over_and_rebuilds_equal_fresh_builds() {
    let mut f = fixture_repo();
    // A second tag on the same tree as aims-2026.1.
    let c3 = f.commits[3].clone();
    f.git.run(&["tag", "aims-2026.1-copy", &c3]);
    let tmp = tempfile::tempdir().unwrap();
    let fresh = |name: &str| {
        let out = tmp.path().join(name);
        let (_, n) = timed_build(&f.aims, &out);
        assert_eq!(n[1], 0, "nothing to carry over in a fresh build");
        (tree(&out), n)
    };
    let site = tmp.path().join("site");
    let (first, _) = timed_build(&f.aims, &site);
    let (a, n) = fresh("a");
    // A document file is parsed once for all the versions holding the same blob, and not
    // at all for them when the (clean) work tree has that blob at HEAD: the current manual's
    // parse serves. As many parses as distinct (path, blob) pairs of Markdown files over the
    // tags, less those at HEAD.
    let md_blobs = |git: &mut Git, rev: &str| -> std::collections::BTreeSet<(String, String)> {
        let listing = git.run(&["ls-tree", "-r", rev, "--", "manual/aims"]);
        listing
            .lines()
            .filter(|l| l.ends_with(".md"))
            .map(|line| {
                let (meta, path) = line.split_once('\t').unwrap();
                (
                    path.to_string(),
                    meta.split(' ').nth(2).unwrap().to_string(),
                )
            })
            .collect()
    };
    let mut blobs = std::collections::BTreeSet::new();
    for tag in [
        "aims-2025.1",
        "aims-2025.2",
        "aims-2026.1",
        "aims-2026.1-copy",
    ] {
        blobs.extend(md_blobs(&mut f.git, tag));
    }
    assert_eq!(blobs.len(), 6, "{blobs:?}");
    let head = md_blobs(&mut f.git, "HEAD");
    let parsed = blobs.difference(&head).count();
    assert_eq!(parsed, 4, "{head:?}");
    assert_eq!(n[2], parsed, "documents parsed");
    assert_same_tree(&tree(&site), &a);
    assert!(a.contains_key("v/aims-2026.1-copy/documents/STD-1.html"));
    let _ = first;

    // Nothing changed: every tagged version is carried over, the output is the same.
    let (_, n) = timed_build(&f.aims, &site);
    assert_eq!(n[..2], [5, 4]);
    assert_same_tree(&tree(&site), &a);

    // A text edit in the work tree: the old versions do not change.
    write(
        &f.aims,
        "policies/ai-policy.md",
        policy("1.2", "approved", "Edited."),
    );
    let index = std::fs::read(f.git.top.join(".git/index")).unwrap();
    let (_, n) = timed_build(&f.aims, &site);
    assert_eq!(n[..2], [5, 4]);
    assert_eq!(std::fs::read(f.git.top.join(".git/index")).unwrap(), index);
    let note = texts(&page(&site, "documents/POL-1.html"), ".history-note").join("");
    assert!(note.contains("not committed yet"), "{note}");
    assert!(texts(&page(&site, "documents/PRO-1.html"), ".history-note").is_empty());
    assert_same_tree(&tree(&site), &fresh("b").0);

    // A new document: the old versions do not have it, so their switchers do not change.
    write(
        &f.aims,
        "standards/new.md",
        STANDARD.replace("STD-1", "STD-2"),
    );
    let (_, n) = timed_build(&f.aims, &site);
    assert_eq!(n[..2], [5, 4]);
    assert_same_tree(&tree(&site), &fresh("c").0);

    // A document gone from the current manual: old versions that have it link elsewhere now.
    std::fs::remove_file(f.aims.join("standards/logging.md")).unwrap();
    let (_, n) = timed_build(&f.aims, &site);
    assert_eq!(n[..2], [5, 2], "aims-2026.1 and its copy have STD-1");
    assert_same_tree(&tree(&site), &fresh("c2").0);
    let old = page(&site, "v/aims-2026.1/documents/STD-1.html");
    let current_href = old
        .select(&sel(".notice-old-version a"))
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert_eq!(current_href, "../../../index.html");
    f.git.run(&["checkout", "-q", "--", "."]);
    let (_, n) = timed_build(&f.aims, &site);
    assert_eq!(n[..2], [5, 2], "the same versions change back");

    // A new release tag: the older versions are carried over as they are (their switchers
    // read the list of versions from versions.js), and every switcher lists the new one.
    f.git.commit(1, "Release 2027.1");
    f.git.run(&["tag", "aims-2027.1"]);
    let (_, n) = timed_build(&f.aims, &site);
    assert_eq!(n[..2], [6, 4], "only the new version is rendered");
    let labels: Vec<String> = switcher(&site, "v/aims-2025.1/index.html")
        .into_iter()
        .map(|(label, _)| label)
        .collect();
    assert_eq!(labels[..2], ["current", "aims-2027.1"]);
    assert_eq!(labels.len(), 6);
    let (d, _) = fresh("d");
    assert_same_tree(&tree(&site), &d);
    let (_, n) = timed_build(&f.aims, &site);
    assert_eq!(n[..2], [6, 5]);
    assert_same_tree(&tree(&site), &d);
    assert_eq!(f.git.status(), "");
}

#[test]
fn an_old_version_is_judged_as_of_its_release_and_a_new_day_leaves_it_alone() {
    // POL-1 (covering A.2.2) is approved with a review due on 2025-06-01: in force when
    // `aims-2025.3` was tagged (2025-03-02), overdue today.
    let mut git = Git::new();
    let aims = git.top.clone();
    write(&aims, "aims.toml", TOML);
    write(&aims, "soa.yaml", "controls: {}\n");
    write(
        &aims,
        "policies/ai-policy.md",
        policy("1.0", "approved", "In force.").replace("review: 2030-01-01", "review: 2025-06-01"),
    );
    git.commit(60, "Approve the policy");
    git.run(&["tag", "aims-2025.3"]);
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let state = |rel: &str| texts(&page(&site, rel), ".entry-state .state").join("");
    let (_, n) = timed_build(&aims, &site);
    assert_eq!(n[..2], [2, 0]);
    assert_eq!(state("controls/A.2.2.html"), "overdue");
    assert_eq!(state("v/aims-2025.3/controls/A.2.2.html"), "covered");
    let coverage: serde_json::Value =
        serde_json::from_str(&read(&site.join("v/aims-2025.3/coverage.json"))).unwrap();
    assert_eq!(coverage["generated"], "2025-03-02", "{coverage}");

    // A build on another day: the current manual is judged as of that day, the old version
    // is carried over unchanged.
    let before = tree(&site.join("v/aims-2025.3"));
    let (_, n) = timed_build_on(&aims, &site, "2025-04-01");
    assert_eq!(n[..2], [2, 1]);
    assert_eq!(state("controls/A.2.2.html"), "covered");
    assert_same_tree(&tree(&site.join("v/aims-2025.3")), &before);
}

/// `manifest.json` of `dir` below `out`, as path → (sha256, bytes).
fn manifest_of(out: &Path, dir: &str) -> std::collections::BTreeMap<String, (String, u64)> {
    let m: serde_json::Value = serde_json::from_str(&read(&out.join(dir).join("manifest.json")))
        .unwrap_or_else(|e| panic!("{dir}manifest.json: {e}"));
    m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let hash = f["sha256"].as_str().unwrap().to_string();
            (
                f["path"].as_str().unwrap().to_string(),
                (hash, f["bytes"].as_u64().unwrap()),
            )
        })
        .collect()
}

#[test]
fn every_version_folder_has_a_manifest_of_exactly_its_files() {
    use sha2::{Digest, Sha256};
    let f = fixture_repo();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_to(&f.aims, &out).expect_code(0);
    let files = tree(&out);
    let hash = |bytes: &[u8]| -> (String, u64) {
        let h: String = Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        (h, bytes.len() as u64)
    };
    for dir in ["", "v/aims-2026.1/", "v/aims-2025.2/", "v/aims-2025.1/"] {
        let expected: std::collections::BTreeMap<String, (String, u64)> = files
            .iter()
            .filter_map(|(p, bytes)| {
                let rel = p.strip_prefix(dir)?;
                (rel != "manifest.json").then(|| (rel.to_string(), hash(bytes)))
            })
            .collect();
        assert_eq!(manifest_of(&out, dir), expected, "{dir}manifest.json");
    }
}

#[test]
fn another_copy_of_the_same_aimsdoc_carries_versions_over() {
    // CI installs aimsdoc afresh on every run (a new file, a new modification time) and
    // restores the previous output from a cache: the versions built before are kept.
    let f = fixture_repo();
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let (_, n) = timed_build(&f.aims, &site);
    assert_eq!(n[..2], [4, 0]);
    let copy = tmp.path().join("bin").join("aimsdoc");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_aimsdoc"), &copy).unwrap();
    // Another test thread forking while the copy was open for writing can hold it open a
    // moment longer ("text file busy"): try again until that child has exec'd.
    let mut tries = 0;
    let out = loop {
        match Command::new(&copy)
            .arg("build")
            .arg(&f.aims)
            .arg("-o")
            .arg(&site)
            .args(["--today", TODAY])
            .env("AIMSDOC_TIMINGS", "1")
            .output()
        {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 100 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => break other.unwrap(),
        }
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("4 versions, 3 carried over"), "{stderr}");
}

#[test]
fn an_uncommitted_edit_never_reaches_an_older_version() {
    // STD-1 at HEAD is the same blob as at aims-2026.1: the current manual's parse serves
    // that version only while the work tree holds exactly that blob.
    let f = fixture_repo();
    write(
        &f.aims,
        "standards/logging.md",
        STANDARD.replace("Logs are kept.", "Logs are kept for a year."),
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_to(&f.aims, &out).expect_code(0);
    assert!(read(&out.join("documents/STD-1.html")).contains("Logs are kept for a year."));
    let old = read(&out.join("v/aims-2026.1/documents/STD-1.html"));
    assert!(
        old.contains("Logs are kept.") && !old.contains("for a year"),
        "{old}"
    );
    // With the work tree back at HEAD, the same blob is shared and the pages are the same.
    let g = Command::new("git")
        .current_dir(&f.aims)
        .args(["checkout", "-q", "--", "."])
        .status()
        .unwrap();
    assert!(g.success());
    let again = tmp.path().join("again");
    build_to(&f.aims, &again).expect_code(0);
    assert_eq!(
        read(&again.join("v/aims-2026.1/documents/STD-1.html")),
        old,
        "a version's page does not depend on where its documents were parsed"
    );
}
