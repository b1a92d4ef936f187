//! Interrupting a build (Ctrl-C, SIGINT; or SIGTERM, as a service manager or CI runner
//! stops it) leaves the previous output exactly as it was and no staging folder or lock file
//! behind; a build killed outright (SIGKILL) leaves its staging folder, which the next build
//! of the same output removes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn write_corpus(root: &Path, docs: usize, marker: &str) {
    std::fs::create_dir_all(root.join("docs")).unwrap();
    std::fs::write(
        root.join("aims.toml"),
        "title = \"Interrupt\"\norganization = \"Test Ltd\"\n",
    )
    .unwrap();
    let body = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(40);
    for i in 0..docs {
        std::fs::write(
            root.join(format!("docs/d{i:05}.md")),
            format!(
                "---\nid: D-{i:05}\ntitle: Document {i} {marker}\ncontrols: [A.2.2]\n---\n\n## Part\n\n{body}\n\n[[D-{:05}]]\n",
                (i + 1) % docs
            ),
        )
        .unwrap();
    }
}

fn staging_leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".aimsdoc-"))
        .collect()
}

#[test]
fn ctrl_c_keeps_the_previous_output() {
    interrupting_keeps_the_previous_output("-INT");
}

#[test]
fn sigterm_keeps_the_previous_output() {
    interrupting_keeps_the_previous_output("-TERM");
}

fn interrupting_keeps_the_previous_output(signal: &str) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("aims");
    let out = tmp.path().join("site");
    write_corpus(&root, 600, "first");
    let bin = assert_cmd::cargo::cargo_bin("aimsdoc");
    let first = Command::new(&bin)
        .args(["build", "--today", "2026-11-23", "-o"])
        .arg(&out)
        .arg(&root)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    assert!(first.status.success(), "{first:?}");
    let before = tree(&out);
    assert!(before.len() > 600);

    // Change every document, start a second build, and interrupt it at several points.
    write_corpus(&root, 600, "second");
    let mut interrupted = 0;
    for delay_ms in [30u64, 80, 160, 320] {
        let child = Command::new(&bin)
            .args(["build", "--today", "2026-11-23", "-o"])
            .arg(&out)
            .arg(&root)
            .env_remove("SOURCE_DATE_EPOCH")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status();
        let started = Instant::now();
        let result = child.wait_with_output().unwrap();
        assert!(started.elapsed() < Duration::from_secs(60));
        assert_ne!(result.status.code(), Some(101), "panicked: {result:?}");
        assert!(
            staging_leftovers(tmp.path()).is_empty(),
            "staging folders left behind: {:?}",
            staging_leftovers(tmp.path())
        );
        let now = tree(&out);
        if result.status.success() {
            // The build won the race: the new output is complete and consistent.
            assert!(now
                .values()
                .any(|b| String::from_utf8_lossy(b).contains("second")));
            return;
        }
        assert_eq!(result.status.code(), Some(130), "{result:?}");
        assert!(
            now == before,
            "an interrupted build changed the previous output"
        );
        interrupted += 1;
    }
    assert!(interrupted > 0);
}

#[cfg(target_os = "linux")]
#[test]
fn the_staging_folder_of_a_killed_build_is_removed_by_the_next_build() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("aims");
    let out = tmp.path().join("site");
    write_corpus(&root, 600, "first");
    let bin = assert_cmd::cargo::cargo_bin("aimsdoc");
    let run = |extra: &[&str]| {
        Command::new(&bin)
            .args(["build", "--today", "2026-11-23", "-o"])
            .arg(&out)
            .arg(&root)
            .args(extra)
            .env_remove("SOURCE_DATE_EPOCH")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    assert!(run(&[]).wait_with_output().unwrap().status.success());
    let before = tree(&out);
    write_corpus(&root, 600, "second");
    // Kill a build once its staging folder exists (or it has ended).
    let mut child = run(&[]);
    let staging = tmp.path().join(format!(".site.aimsdoc-tmp-{}", child.id()));
    let started = Instant::now();
    while !staging.exists()
        && child.try_wait().unwrap().is_none()
        && started.elapsed() < Duration::from_secs(60)
    {
        std::thread::sleep(Duration::from_millis(1));
    }
    let pid = child.id();
    let _ = child.kill();
    let killed = child.wait_with_output().unwrap();
    if killed.status.success() {
        // It finished before it could be killed: nothing was left.
        assert!(staging_leftovers(tmp.path()).is_empty());
        return;
    }
    assert!(tree(&out) == before, "a killed build changed the output");
    let left = staging_leftovers(tmp.path());
    assert!(
        !left.is_empty(),
        "the killed build left nothing to clean up"
    );
    let next = run(&[]).wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&next.stderr);
    assert!(next.status.success(), "{stderr}");
    if left.contains(&format!(".site.aimsdoc-tmp-{pid}")) {
        let line = format!(
            "removed stale staging folder {} left by process {pid}",
            staging.display()
        );
        assert!(stderr.contains(&line), "no {line:?} in {stderr}");
    }
    assert!(
        staging_leftovers(tmp.path()).is_empty(),
        "left behind: {:?}",
        staging_leftovers(tmp.path())
    );
    assert!(tree(&out)
        .values()
        .any(|b| String::from_utf8_lossy(b).contains("second")));
}
