//! One build per output folder at a time: builds of one OUT run one after the other (the
//! second waits, or fails with `--no-wait`), so two editions never mix; staging folders of
//! killed builds are removed by the next build of the same OUT, and nothing else is.

use crate::common;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use common::*;
use sha2::{Digest, Sha256};

/// An AIMS of `docs` documents, every other one public; the others are internal, with ids
/// `INT-…` and titles "Withheld roadmap …" that a public edition must never show.
fn write_mixed(root: &Path, docs: usize) {
    write(
        root,
        "aims.toml",
        "title = \"Shared output\"\norganization = \"Test Ltd\"\n",
    );
    let body = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(30);
    for i in 0..docs {
        let (id, title, class) = if i % 2 == 0 {
            (format!("PUB-{i:05}"), format!("Open notice {i}"), "public")
        } else {
            (
                format!("INT-{i:05}"),
                format!("Withheld roadmap {i}"),
                "internal",
            )
        };
        write(
            root,
            &format!("docs/d{i:05}.md"),
            format!(
                "---\nid: {id}\ntitle: {title}\nclassification: {class}\ncontrols: [A.2.2]\n---\n\n## Part\n\n{body}\n"
            ),
        );
    }
}

fn spawn_build(root: &Path, out: &Path, extra: &[&str]) -> Child {
    Command::new(assert_cmd::cargo::cargo_bin("aimsdoc"))
        .args(["build", "--today", TODAY, "-o"])
        .arg(out)
        .arg(root)
        .args(extra)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("aimsdoc starts")
}

fn finish(child: Child) -> (Option<i32>, String) {
    let out = child.wait_with_output().expect("aimsdoc ends");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code(), stderr)
}

fn lock_file(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    out.with_file_name(format!(".{name}.aimsdoc-lock"))
}

/// Waits until `child` writes into its staging folder beside `out`, or has ended.
fn until_staging_or_done(child: &mut Child, out: &Path) {
    let name = out
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    let staging = out.with_file_name(format!(".{name}.aimsdoc-tmp-{}", child.id()));
    while !staging.exists() && child.try_wait().expect("try_wait").is_none() {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

/// Checks every file of `out` against its `manifest.json` (and the reverse).
fn assert_manifest_holds(out: &Path) {
    let text = std::fs::read_to_string(out.join("manifest.json")).expect("manifest");
    let json: serde_json::Value = serde_json::from_str(&text).expect("manifest json");
    let listed: BTreeMap<String, String> = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().expect("path").to_string(),
                f["sha256"].as_str().expect("sha256").to_string(),
            )
        })
        .collect();
    let mut files = tree(out);
    files.remove("manifest.json");
    let on_disk: Vec<&String> = files.keys().collect();
    let in_manifest: Vec<&String> = listed.keys().collect();
    assert_eq!(on_disk, in_manifest, "the manifest lists other files");
    let bad: Vec<&String> = files
        .iter()
        .filter(|(p, bytes)| {
            let hash: String = Sha256::digest(bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            listed[*p] != hash
        })
        .map(|(p, _)| p)
        .collect();
    assert!(
        bad.is_empty(),
        "{} files fail the manifest: {bad:?}",
        bad.len()
    );
}

fn holds(out: &Path, needle: &str) -> Vec<String> {
    tree(out)
        .into_iter()
        .filter(|(_, b)| String::from_utf8_lossy(b).contains(needle))
        .map(|(p, _)| p)
        .collect()
}

#[test]
fn two_editions_built_into_one_output_at_once_never_mix() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("aims");
    let out = tmp.path().join("site");
    write_mixed(&root, 300);
    // Each round starts one build, and the other as soon as the first is writing its files.
    for round in 0..4 {
        let public_last = round % 2 == 0;
        let (first, second): (&[&str], &[&str]) = if public_last {
            (&[], &["--audience", "public"])
        } else {
            (&["--audience", "public"], &[])
        };
        let mut a = spawn_build(&root, &out, first);
        until_staging_or_done(&mut a, &out);
        let b = spawn_build(&root, &out, second);
        let (ca, ea) = finish(a);
        let (cb, eb) = finish(b);
        assert_eq!(ca, Some(0), "round {round}, first build: {ea}");
        assert_eq!(cb, Some(0), "round {round}, second build: {eb}");
        assert_manifest_holds(&out);
        let index = std::fs::read_to_string(out.join("index.html")).unwrap();
        if public_last {
            assert!(index.contains("public edition"), "round {round}");
            for secret in ["INT-", "Withheld roadmap"] {
                let found = holds(&out, secret);
                assert!(found.is_empty(), "round {round}: {secret} in {found:?}");
            }
        } else {
            assert!(index.contains("complete edition"), "round {round}");
            assert!(!holds(&out, "Withheld roadmap 1").is_empty());
        }
    }
    assert!(!lock_file(&out).exists(), "the lock file is left behind");
}

/// Holds the lock of `out` as another aimsdoc build would.
fn hold_lock(out: &Path) -> File {
    let f = File::create(lock_file(out)).unwrap();
    f.lock().unwrap();
    f
}

#[test]
fn a_second_build_waits_for_the_first_and_says_so_once() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let held = hold_lock(&out);
    let mut child = spawn_build(&sample(), &out, &[]);
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    assert_eq!(
        first.trim_end(),
        format!(
            "waiting for another aimsdoc build of {} to finish…",
            out.display()
        )
    );
    // Nothing is written while it waits.
    assert!(!out.exists());
    drop(held);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{rest}");
    assert!(!rest.contains("waiting for"), "said more than once: {rest}");
    assert!(out.join("index.html").is_file());
    assert_manifest_holds(&out);
}

#[test]
fn no_wait_fails_at_once_and_leaves_the_output_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&sample(), &out).expect_code(0);
    let before = tree(&out);
    let _held = hold_lock(&out);
    let run = aimsdoc([
        OsStr::new("build"),
        sample().as_os_str(),
        OsStr::new("-o"),
        out.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(TODAY),
        OsStr::new("--no-wait"),
    ]);
    run.expect_code(2);
    assert!(
        run.stderr.contains(&format!(
            "error: another aimsdoc build of {} is running",
            out.display()
        )) && run.stderr.contains("--no-wait"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("waiting for"));
    assert_same_tree(&before, &tree(&out));
    // check writes nothing and takes no lock.
    check(&sample()).expect_code(0);
}

#[cfg(target_os = "linux")]
#[test]
fn stale_staging_folders_of_dead_builds_are_removed_and_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&sample(), &out).expect_code(0);
    // A process id that is certainly not running any more.
    let mut gone = Command::new("true").spawn().unwrap();
    gone.wait().unwrap();
    let dead = gone.id();
    let alive = std::process::id();
    let stale = [
        format!(".site.aimsdoc-tmp-{dead}"),
        format!(".site.aimsdoc-old-{dead}"),
    ];
    let kept = [
        format!(".site.aimsdoc-tmp-{alive}"),
        format!(".other.aimsdoc-tmp-{dead}"),
        format!(".site.aimsdoc-tmp-{dead}x"),
        format!(".site.aimsdoc-new-{dead}"),
        format!("site.aimsdoc-tmp-{dead}"),
    ];
    for name in stale.iter().chain(&kept) {
        write(&tmp.path().join(name), "index.html", "left over");
    }
    // A file with a staging name is not a staging folder.
    let file_named = format!(".site.aimsdoc-tmp-{}", dead + 1_000_000);
    std::fs::write(tmp.path().join(&file_named), "a file").unwrap();
    let run = build(&sample(), &out);
    run.expect_code(0);
    for name in &stale {
        assert!(!tmp.path().join(name).exists(), "{name} is still there");
        let path = tmp.path().join(name);
        let line = format!(
            "removed stale staging folder {} left by process {dead}",
            path.display()
        );
        assert!(run.stderr.contains(&line), "no {line:?} in {}", run.stderr);
    }
    for name in &kept {
        assert!(
            tmp.path().join(name).join("index.html").is_file(),
            "{name} was removed"
        );
    }
    assert!(tmp.path().join(&file_named).is_file());
    assert_eq!(run.stderr.matches("removed stale").count(), 2);
}
