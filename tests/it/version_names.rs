//! Tag names that cannot be a folder name as they are (too long once encoded) still build:
//! each gets a short, deterministic folder name, used alike by `versions.json`,
//! `versions.js`, `versions.html` and every link, and the build succeeds.

use crate::common;

use std::path::{Path, PathBuf};

use common::*;

/// Runs git in `dir` with fixed identity and dates.
fn git(dir: &Path, home: &Path, args: &[&str]) {
    git_in(dir, home, 0, args);
}

fn policy(text: &str) -> String {
    format!("---\nid: POL-1\ntitle: AI Policy\ntype: policy\nstatus: draft\ncontrols: [A.2.2]\n---\n# Policy\n\n{text}\n")
}

fn versions_json(out: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(out.join("versions.json")).unwrap();
    let list: serde_json::Value = serde_json::from_str(&text).unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["label"].as_str().unwrap().to_string(),
                v["path"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A git repository with versions on and one committed policy saying `text`: the temporary
/// folder, the repository and the HOME for git.
fn versioned_repo(text: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let (top, home) = (tmp.path().join("repo"), tmp.path().join("home"));
    std::fs::create_dir_all(&top).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    git(&top, &home, &["init", "-q", "-b", "main"]);
    write(
        &top,
        "aims.toml",
        "title = \"T\"\norganization = \"O\"\n[versions]\ntags = \"*\"\n",
    );
    write(&top, "policies/ai-policy.md", policy(text));
    git(&top, &home, &["add", "-A"]);
    git(&top, &home, &["commit", "-q", "-m", "One"]);
    (tmp, top, home)
}

#[test]
fn a_tag_too_long_for_a_folder_name_gets_a_short_one_and_the_build_succeeds() {
    let (tmp, top, home) = versioned_repo("First release.");
    // 250 characters; and one whose encoded name (`~C3~A9` per letter) is 481 bytes.
    let long = format!("release-{}", "x".repeat(242));
    let wide = format!("v{}", "é".repeat(80));
    assert_eq!(long.len(), 250);
    git(&top, &home, &["tag", &long]);
    git(&top, &home, &["tag", &wide]);
    git(&top, &home, &["tag", "aims-1"]);
    write(&top, "policies/ai-policy.md", policy("Second text."));
    git(&top, &home, &["commit", "-q", "-am", "Two"]);

    let out = tmp.path().join("site");
    let run = build(&top, &out);
    run.expect_code(0);
    assert_eq!(run.counts().0, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("too long"), "{}", run.stderr);

    let listed = versions_json(&out);
    let path_of = |tag: &str| -> String {
        listed
            .iter()
            .find(|(label, _)| label == tag)
            .unwrap_or_else(|| panic!("{tag:.20}… not in versions.json: {listed:?}"))
            .1
            .clone()
    };
    assert_eq!(path_of("aims-1"), "v/aims-1/");
    for tag in [&long, &wide] {
        let path = path_of(tag);
        let folder = path
            .strip_prefix("v/")
            .and_then(|p| p.strip_suffix('/'))
            .unwrap();
        assert!(folder.len() <= 200, "{folder}");
        assert!(folder.contains("~~"), "{folder}");
        // The old version is complete, and holds the text of its tag.
        let page = std::fs::read_to_string(out.join(&path).join("documents/POL-1.html")).unwrap();
        assert!(page.contains("First release."));
        assert!(out.join(&path).join("manifest.json").is_file());
        // The switcher's data and the list of versions name the same folder.
        let js = std::fs::read_to_string(out.join("versions.js")).unwrap();
        assert!(
            js.contains(&format!("\"path\":\"{path}\"")),
            "{path} not in versions.js"
        );
        let hrefs: Vec<String> = page_hrefs(&out, "versions.html");
        assert!(
            hrefs.iter().any(|h| h.starts_with(&path)),
            "versions.html has no link into {path}: {hrefs:?}"
        );
    }
    assert_links_resolve(&out);

    // The names are the same on the next build, which carries the versions over unchanged.
    let before = tree(&out);
    build(&top, &out).expect_code(0);
    assert_same_tree(&before, &tree(&out));
    // …and in a fresh output.
    let fresh = tmp.path().join("fresh");
    build(&top, &fresh).expect_code(0);
    assert_eq!(versions_json(&fresh), listed);
}

fn page_hrefs(out: &Path, rel: &str) -> Vec<String> {
    page(out, rel)
        .select(&sel("a[href]"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect()
}

#[test]
fn a_long_tag_of_slashes_and_dots_gets_one_folder_inside_v() {
    let (tmp, top, home) = versioned_repo("Text.");
    // Slashes and dots (git refuses `..` and a leading `.` in a component); 245 characters,
    // 305 bytes once every `/` is encoded.
    let tag = format!("a.{}end", "b.c/".repeat(60));
    git(&top, &home, &["tag", &tag]);
    let out = tmp.path().join("site");
    build(&top, &out).expect_code(0);
    let dirs: Vec<PathBuf> = std::fs::read_dir(out.join("v"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    let name = dirs[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.len() <= 200 && name.contains("~~"), "{name}");
    assert!(dirs[0].join("index.html").is_file());
    assert_links_resolve(&out);
}
