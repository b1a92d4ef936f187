//! The output folder: deterministic bytes, atomic replacement, a verifiable manifest, and
//! refusal to write where it could destroy something.

use crate::common;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::Path;

use common::*;
use sha2::{Digest, Sha256};

fn siblings(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The number in `Built N documents` / `Checked N documents`.
fn document_count(run: &Run) -> usize {
    let s = run.summary();
    let words: Vec<&str> = s.split_whitespace().collect();
    let i = words
        .iter()
        .position(|w| *w == "documents" || *w == "document")
        .unwrap_or_else(|| panic!("no document count in {s}"));
    words[i - 1].parse().unwrap()
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build(&sample(), &a).expect_code(0);
    build(&sample(), &b).expect_code(0);
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.len() > 120, "only {} files", ta.len());
    assert_same_tree(&ta, &tb);
}

#[test]
fn source_date_epoch_gives_the_same_bytes_as_the_matching_today() {
    // A date that is not the system date, so an ignored variable would show.
    let (y, m, d) = (2031, 1, 15);
    let date = format!("{y:04}-{m:02}-{d:02}");
    let epoch = (days_from_civil(y, m, d) * 86_400 + 13 * 3600 + 17).to_string();
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("c"),
    );
    let root = sample();
    aimsdoc_env(
        [
            OsStr::new("build"),
            root.as_os_str(),
            OsStr::new("-o"),
            a.as_os_str(),
        ],
        &[("SOURCE_DATE_EPOCH", epoch.as_str())],
    )
    .expect_code(0);
    aimsdoc([
        OsStr::new("build"),
        root.as_os_str(),
        OsStr::new("-o"),
        b.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(&date),
    ])
    .expect_code(0);
    assert_same_tree(&tree(&a), &tree(&b));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(a.join("coverage.json")).unwrap()).unwrap();
    assert_eq!(json["generated"], date.as_str());
    // And the date matters: another day gives other bytes.
    build(&root, &c).expect_code(0);
    assert_ne!(tree(&a), tree(&c));
}

#[test]
fn the_manifest_lists_every_file_with_its_hash() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&sample(), &out).expect_code(0);
    let files = tree(&out);
    assert!(files.contains_key(".aimsdoc-output"));
    let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).unwrap();
    let listed: BTreeMap<String, (String, u64)> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                (
                    f["sha256"].as_str().unwrap().to_string(),
                    f["bytes"].as_u64().unwrap(),
                ),
            )
        })
        .collect();
    let mut expected: BTreeMap<String, (String, u64)> = BTreeMap::new();
    for (path, bytes) in &files {
        if path == "manifest.json" {
            continue;
        }
        let hash: String = Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        expected.insert(path.clone(), (hash, bytes.len() as u64));
    }
    assert_eq!(listed, expected);
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let (tmp, root) = temp_copy(&fixture("minimal"));
    let out = tmp.path().join("out");
    build(&root, &out).expect_code(0);
    assert!(out.join(".aimsdoc-output").is_file());
    assert!(out.join("manifest.json").is_file());
    assert_eq!(
        siblings(tmp.path()),
        ["aims", "out"],
        "leftovers beside the output"
    );
    let before = tree(&out);

    // Break the input: an unknown control.
    let doc = root.join("policies/ai-policy.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(
        &doc,
        text.replace("controls: [A.2.2]", "controls: [A.2.2, A.6.2.9]"),
    )
    .unwrap();
    let run = build(&root, &out);
    run.expect_code(1);
    assert!(run.stderr.contains("AIMS0101"));
    assert!(run.summary().contains("unchanged"), "{}", run.summary());
    assert_same_tree(&before, &tree(&out));
    assert_eq!(
        siblings(tmp.path()),
        ["aims", "out"],
        "leftovers beside the output"
    );
}

#[test]
fn a_new_build_replaces_the_old_output_completely() {
    let (tmp, root) = temp_copy(&fixture("minimal"));
    let out = tmp.path().join("out");
    build(&root, &out).expect_code(0);
    assert!(out.join("documents/PRO-RISK-001.html").is_file());
    // Remove a document (and the link to it): its page must disappear.
    std::fs::remove_file(root.join("procedures/risk.md")).unwrap();
    let doc = root.join("policies/ai-policy.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(&doc, text.replace("See [[PRO-RISK-001]].", "")).unwrap();
    build(&root, &out).expect_code(0);
    assert!(
        !out.join("documents/PRO-RISK-001.html").exists(),
        "stale page kept"
    );
    assert!(out.join("documents/POL-AI-001.html").is_file());
    assert_eq!(
        siblings(tmp.path()),
        ["aims", "out"],
        "leftovers beside the output"
    );
}

#[test]
fn refuses_to_write_into_the_aims_root() {
    let (_tmp, root) = temp_copy(&fixture("minimal"));
    let before = tree(&root);
    let run = build(&root, &root);
    run.expect_code(2);
    assert!(run.stderr.contains("refusing"), "{}", run.stderr);
    assert_same_tree(&before, &tree(&root));
}

#[test]
fn refuses_to_write_into_a_parent_of_the_root() {
    let (tmp, root) = temp_copy(&fixture("minimal"));
    let before = tree(tmp.path());
    let run = build(&root, tmp.path());
    run.expect_code(2);
    assert!(run.stderr.contains("refusing"), "{}", run.stderr);
    assert_same_tree(&before, &tree(tmp.path()));
    // Also when written with `..`.
    let run = build(&root, &root.join("sub/../.."));
    run.expect_code(2);
    assert_same_tree(&before, &tree(tmp.path()));
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_make() {
    let (tmp, root) = temp_copy(&fixture("minimal"));
    let out = tmp.path().join("precious");
    write(&out, "thesis.txt", "do not delete");
    write(&out, "notes/a.md", "mine");
    let before = tree(&out);
    let run = build(&root, &out);
    run.expect_code(2);
    assert!(run.stderr.contains("not made by aimsdoc"), "{}", run.stderr);
    assert_same_tree(&before, &tree(&out));
    assert_eq!(siblings(tmp.path()), ["aims", "precious"]);
}

#[test]
fn refuses_to_replace_a_file() {
    let (tmp, root) = temp_copy(&fixture("minimal"));
    let out = tmp.path().join("site.txt");
    std::fs::write(&out, "a file").unwrap();
    build(&root, &out).expect_code(2);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "a file");
}

#[test]
fn an_empty_existing_folder_is_accepted() {
    let (tmp, root) = temp_copy(&fixture("minimal"));
    let out = tmp.path().join("empty");
    std::fs::create_dir(&out).unwrap();
    build(&root, &out).expect_code(0);
    assert!(out.join("index.html").is_file());
}

/// Plants Markdown files in the output folder that would change the build if it were read.
fn plant(out: &Path) {
    write(
        out,
        "planted.md",
        "---\nid: PLANTED-1\ntitle: Planted\n---\n\nBody.\n",
    );
    write(out, "deep/broken.md", "---\nid: [oops\n---\n");
}

#[test]
fn the_default_output_folder_is_not_read_as_input() {
    let (_tmp, root) = temp_copy(&fixture("minimal"));
    let first = build_default(&root);
    first.expect_code(0);
    let site = root.join("_site");
    assert!(site.join("index.html").is_file());
    assert!(site.join(".aimsdoc-output").is_file());
    plant(&site);
    let second = build_default(&root);
    second.expect_code(0);
    assert_eq!(document_count(&first), document_count(&second));
    assert_eq!(first.counts(), second.counts());
    for d in second.diagnostics() {
        assert!(
            !d.message.contains("_site") && !d.file().unwrap_or_default().contains("_site"),
            "{d:?}"
        );
    }
    assert!(!site.join("documents/PLANTED-1.html").exists());
    // check skips it too.
    plant(&site);
    let checked = check(&root);
    checked.expect_code(0);
    assert_eq!(document_count(&checked), document_count(&first));
}

#[test]
fn an_output_inside_the_root_is_not_read_even_without_excludes() {
    let (tmp, root) = temp_copy(&fixture("minimal"));
    let toml = root.join("aims.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, format!("{text}exclude = []\n")).unwrap();
    // The default `_site`, and a folder given with -o.
    for out in [root.join("_site"), root.join("public")] {
        let first = build(&root, &out);
        first.expect_code(0);
        plant(&out);
        let second = build(&root, &out);
        second.expect_code(0);
        assert_eq!(
            document_count(&first),
            document_count(&second),
            "{}",
            out.display()
        );
        assert_eq!(first.counts(), second.counts(), "{}", second.stderr);
        assert!(!out.join("documents/PLANTED-1.html").exists());
    }
    // Control: the planted files are read when the folder is not the output.
    plant(&root.join("public"));
    let run = build(&root, &tmp.path().join("elsewhere"));
    run.expect_code(1);
    assert!(
        run.stderr.contains("public/deep/broken.md"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_writes_nothing() {
    let (tmp, root) = temp_copy(&fixture("minimal"));
    let before = tree(tmp.path());
    check(&root).expect_code(0);
    assert_same_tree(&before, &tree(tmp.path()));
}

#[test]
fn build_without_arguments_inside_the_aims_folder() {
    let (_tmp, root) = temp_copy(&fixture("minimal"));
    aimsdoc_in(Some(&root), ["build", "--today", TODAY], &[]).expect_code(0);
    assert!(root.join("_site/index.html").is_file());
    // Again, now that `_site` exists (and with a relative -o naming it).
    aimsdoc_in(
        Some(&root),
        ["build", ".", "-o", "_site", "--today", TODAY],
        &[],
    )
    .expect_code(0);
    aimsdoc_in(Some(&root), ["check", "--today", TODAY], &[]).expect_code(0);
}

#[test]
fn output_into_a_new_nested_folder() {
    let (tmp, root) = temp_copy(&fixture("minimal"));
    let out = tmp.path().join("a/b/c/site");
    build(&root, &out).expect_code(0);
    assert!(out.join("index.html").is_file());
    assert_eq!(siblings(&tmp.path().join("a/b/c")), ["site"]);
}

#[test]
fn refuses_an_output_that_is_a_symlink_to_the_root() {
    let (tmp, root) = temp_copy(&fixture("minimal"));
    let link = tmp.path().join("link");
    std::os::unix::fs::symlink(&root, &link).unwrap();
    let before = tree(&root);
    build(&root, &link).expect_code(2);
    assert_same_tree(&before, &tree(&root));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn rebuilding_over_a_previous_output_gives_the_same_bytes_as_a_fresh_build() {
    let (tmp, root) = temp_copy(&fixture("minimal"));
    let (out, fresh) = (tmp.path().join("out"), tmp.path().join("fresh"));
    build(&root, &out).expect_code(0);
    // Tamper with the previous output, once with a same-size change: none of it may survive.
    let css = out.join("static/style.css");
    let mut bytes = std::fs::read(&css).unwrap();
    bytes[0] ^= 0x20;
    std::fs::write(&css, &bytes).unwrap();
    let index = out.join("index.html");
    let mut html = std::fs::read_to_string(&index).unwrap();
    html.push_str("<!-- tampered -->");
    std::fs::write(&index, html).unwrap();
    // Change one document so that some files differ and others do not.
    let doc = root.join("procedures/risk.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(&doc, text.replace("## Method", "## Method and scope")).unwrap();
    std::fs::write(
        &doc,
        std::fs::read_to_string(&doc)
            .unwrap()
            .replace("#purpose]]", "]]"),
    )
    .unwrap();
    build(&root, &out).expect_code(0);
    build(&root, &fresh).expect_code(0);
    assert_same_tree(&tree(&out), &tree(&fresh));
}

#[test]
fn an_unchanged_rebuild_keeps_the_previous_output_folder_and_a_stale_file_forces_a_swap() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&sample(), &out).expect_code(0);
    let inode = std::fs::metadata(&out).unwrap().ino();
    let index_inode = std::fs::metadata(out.join("index.html")).unwrap().ino();
    // Same input, same date: nothing to replace, so the folder itself stays.
    build(&sample(), &out).expect_code(0);
    assert_eq!(std::fs::metadata(&out).unwrap().ino(), inode);
    assert_eq!(
        std::fs::metadata(out.join("index.html")).unwrap().ino(),
        index_inode
    );
    // A file the build does not produce makes the output differ: it is swapped and the
    // stray file is gone, while unchanged pages keep their bytes.
    std::fs::write(out.join("stray.html"), "left over").unwrap();
    let before = std::fs::read(out.join("index.html")).unwrap();
    build(&sample(), &out).expect_code(0);
    assert_ne!(std::fs::metadata(&out).unwrap().ino(), inode);
    assert!(!out.join("stray.html").exists());
    assert_eq!(std::fs::read(out.join("index.html")).unwrap(), before);
}

#[test]
fn a_rebuild_links_an_unchanged_print_page_and_search_index_instead_of_writing_them() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let (out, fresh) = (tmp.path().join("site"), tmp.path().join("fresh"));
    build(&sample(), &out).expect_code(0);
    let streamed = ["print.html", "search-index.js"];
    let inodes: Vec<u64> = streamed
        .iter()
        .map(|f| std::fs::metadata(out.join(f)).unwrap().ino())
        .collect();
    // A stray file makes the output differ, so it is swapped; the two files streamed in
    // parts have the same bytes as before and are the previous files, linked.
    std::fs::write(out.join("stray.html"), "left over").unwrap();
    build(&sample(), &out).expect_code(0);
    assert!(!out.join("stray.html").exists());
    for (f, ino) in streamed.iter().zip(&inodes) {
        assert_eq!(std::fs::metadata(out.join(f)).unwrap().ino(), *ino, "{f}");
    }
    build(&sample(), &fresh).expect_code(0);
    assert_same_tree(&tree(&out), &tree(&fresh));
}
