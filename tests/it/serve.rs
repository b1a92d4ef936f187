//! `aimsdoc serve` end to end: the real binary on `--port 0`, files edited the way editors
//! save them, the event stream read over a raw socket, pages fetched over HTTP. Every wait
//! is bounded and the server is killed when a test ends (also when it fails).

use crate::common;
use crate::serve_support;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;

use common::*;
use serde_json::Value;
use serve_support::*;

#[test]
fn every_editor_save_pattern_reloads_the_changed_page() {
    let (_tmp, root) = temp_copy(&sample());
    let server = start(&root);
    let rx = events(&server.addr);
    let path = root.join(RISK);
    let dir = path.parent().unwrap().to_path_buf();
    let check = |marker: &str, what: &str| {
        let ev = wait_page_change(&rx, &server, RISK_PAGE, what);
        assert!(
            ev["errors"].as_array().is_some_and(|e| e.is_empty()),
            "{what}: {ev}"
        );
        let page = get(&server.addr, &format!("/{RISK_PAGE}"));
        assert_eq!(page.status, 200);
        assert!(page.text().contains(marker), "{what}: new text not served");
    };

    // Write in place.
    std::fs::write(&path, with_marker(&root, "in-place-1")).unwrap();
    check("in-place-1", "write in place");

    // Write to a temporary file, then rename over (VS Code, JetBrains' safe write).
    let tmp = dir.join("ai-risk-management.md___jb_tmp___");
    std::fs::write(&tmp, with_marker(&root, "rename-2")).unwrap();
    std::fs::rename(&path, dir.join("ai-risk-management.md___jb_old___")).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    std::fs::remove_file(dir.join("ai-risk-management.md___jb_old___")).unwrap();
    check("rename-2", "temp file renamed over");

    // A hidden temporary file renamed over (atomic writers).
    let hidden = dir.join(".ai-risk-management.md.tmp.4242");
    std::fs::write(&hidden, with_marker(&root, "atomic-3")).unwrap();
    std::fs::rename(&hidden, &path).unwrap();
    check("atomic-3", "hidden temp renamed over");

    // vim with backupcopy=no: swap file, the 4913 probe, original renamed to a backup, new
    // file written, backup removed.
    let swp = dir.join(".ai-risk-management.md.swp");
    std::fs::write(&swp, b"vim swap").unwrap();
    let probe = dir.join("4913");
    std::fs::write(&probe, b"").unwrap();
    std::fs::remove_file(&probe).unwrap();
    let backup = dir.join("ai-risk-management.md~");
    let new_text = with_marker(&root, "vim-4");
    std::fs::rename(&path, &backup).unwrap();
    std::fs::write(&path, new_text).unwrap();
    std::fs::remove_file(&backup).unwrap();
    check("vim-4", "vim backupcopy=no");
    std::fs::remove_file(&swp).unwrap();

    // Delete, then create again.
    let text = with_marker(&root, "recreate-5");
    std::fs::remove_file(&path).unwrap();
    sleep_ms(5);
    std::fs::write(&path, text).unwrap();
    check("recreate-5", "delete and recreate");

    // Swap and temp files alone never trigger a rebuild.
    sleep_ms(300);
    while rx.try_recv().is_ok() {}
    let rebuilds = server.stderr.lock().unwrap().matches("rebuilt in").count();
    std::fs::write(&swp, b"typing").unwrap();
    std::fs::write(dir.join("ai-risk-management.md~"), b"backup").unwrap();
    std::fs::write(dir.join("4913"), b"").unwrap();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(root.join(".git/index"), b"x").unwrap();
    std::fs::create_dir_all(root.join("_site")).unwrap();
    std::fs::write(root.join("_site/index.html"), b"x").unwrap();
    sleep_ms(600);
    let log = server.stderr.lock().unwrap().clone();
    assert_eq!(
        log.matches("rebuilt in").count(),
        rebuilds,
        "junk files caused a rebuild:\n{log}"
    );
    while rx.try_recv().is_ok() {}

    // A document moved into a new folder: same page, new section page.
    std::fs::create_dir_all(root.join("procedures/risk")).unwrap();
    std::fs::rename(&path, root.join("procedures/risk/ai-risk-management.md")).unwrap();
    let ev = wait_for(&rx, &server, "document moved", |ev| {
        changed(ev)
            .iter()
            .any(|c| c == "sections/procedures/risk.html")
    });
    assert!(changed(&ev).iter().any(|c| c == RISK_PAGE), "{ev}");
    assert_eq!(
        get(&server.addr, "/sections/procedures/risk.html").status,
        200
    );
    assert!(get(&server.addr, &format!("/{RISK_PAGE}"))
        .text()
        .contains("recreate-5"));
}

#[test]
fn a_bulk_change_is_one_rebuild() {
    let (_tmp, root) = temp_copy(&sample());
    let server = start(&root);
    let rx = events(&server.addr);
    // Like a `git checkout`: hundreds of files in a moment.
    std::fs::create_dir_all(root.join("bulk")).unwrap();
    for i in 0..300 {
        write(
            &root,
            &format!("bulk/doc-{i:03}.md"),
            format!("---\nid: BULK-{i:03}\ntitle: Bulk {i}\n---\n\nText {i}.\n"),
        );
    }
    let ev = wait_for(&rx, &server, "bulk", |ev| {
        changed(ev).iter().any(|c| c == "documents/BULK-299.html")
    });
    assert!(changed(&ev).len() > 300, "one event lists every new page");
    sleep_ms(800);
    let mut later = 0;
    while rx.try_recv().is_ok() {
        later += 1;
    }
    let log = server.stderr.lock().unwrap().clone();
    let rebuilds = log.matches("rebuilt in").count();
    assert!(
        rebuilds <= 2 && later <= 1,
        "300 files should not cause many rebuilds ({rebuilds}):\n{log}"
    );
    assert_eq!(get(&server.addr, "/documents/BULK-123.html").status, 200);
}

#[test]
fn errors_show_in_the_overlay_until_fixed() {
    let (_tmp, root) = temp_copy(&sample());
    let server = start(&root);
    let rx = events(&server.addr);
    let good = get(&server.addr, &format!("/{RISK_PAGE}")).text();

    let text = std::fs::read_to_string(root.join(RISK)).unwrap();
    let bad = replace_line_containing(&text, "tags: [risk]", "tags: [risk]\ncontrols: [A.6.2.9]");
    std::fs::write(root.join(RISK), &bad).unwrap();
    let ev = wait_for(&rx, &server, "error", |ev| {
        ev["errors"].as_array().is_some_and(|e| !e.is_empty())
    });
    let e = &ev["errors"][0];
    assert_eq!(e["file"], RISK);
    let line = bad
        .lines()
        .position(|l| l.starts_with("controls:"))
        .unwrap()
        + 1;
    assert_eq!(e["line"], line, "{e}");
    assert_eq!(e["column"], 12, "{e}");
    assert_eq!(e["code"], "AIMS0101");
    assert!(e["message"].as_str().unwrap().contains("A.6.2.9"), "{e}");
    assert!(e["suggestion"].as_str().unwrap().contains("A.6.2.8"), "{e}");
    assert!(
        changed(&ev).is_empty(),
        "nothing is published while there are errors"
    );

    // The last good page stays served, with the script that shows the overlay.
    let page = get(&server.addr, &format!("/{RISK_PAGE}"));
    assert_eq!(page.status, 200);
    assert_eq!(page.text(), good);
    assert!(page.text().contains("aimsdoc-overlay"));
    // A page opened now (a new stream) gets the errors at once.
    let rx2 = {
        let mut s = TcpStream::connect(&server.addr).unwrap();
        write!(
            s,
            "GET /__aimsdoc/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            server.addr
        )
        .unwrap();
        s.set_read_timeout(Some(WAIT)).unwrap();
        let mut r = BufReader::new(s);
        let mut first = None;
        let mut line = String::new();
        while first.is_none() && r.read_line(&mut line).unwrap_or(0) > 0 {
            if let Some(j) = line.trim_end().strip_prefix("data: ") {
                first = serde_json::from_str::<Value>(j).ok();
            }
            line.clear();
        }
        first.expect("state on connect")
    };
    assert_eq!(rx2["errors"][0]["code"], "AIMS0101");
    assert!(
        server.stderr.lock().unwrap().contains("A.6.2.9"),
        "terminal shows it too"
    );

    // The fix clears the overlay and publishes the page.
    std::fs::write(root.join(RISK), bad.replace("A.6.2.9", "A.6.2.8")).unwrap();
    let ev = wait_for(&rx, &server, "fix", |ev| {
        ev["errors"].as_array().is_some_and(|e| e.is_empty())
    });
    assert!(changed(&ev).iter().any(|c| c == RISK_PAGE), "{ev}");
    assert!(get(&server.addr, "/controls/A.6.2.8.html")
        .text()
        .contains("PRO-RISK-001"));

    // aims.toml gone: still serving, the overlay says why; back: cleared.
    std::fs::rename(root.join("aims.toml"), root.join("aims.toml.away")).unwrap();
    let ev = wait_for(&rx, &server, "aims.toml removed", |ev| {
        ev["errors"].as_array().is_some_and(|e| !e.is_empty())
    });
    assert_eq!(ev["errors"][0]["file"], "aims.toml", "{ev}");
    assert_eq!(get(&server.addr, "/index.html").status, 200);
    std::fs::rename(root.join("aims.toml.away"), root.join("aims.toml")).unwrap();
    wait_for(&rx, &server, "aims.toml back", |ev| {
        ev["errors"].as_array().is_some_and(|e| e.is_empty())
    });
}

#[test]
fn served_pages_match_a_full_build_after_a_series_of_edits() {
    let (_tmp, root) = temp_copy(&sample());
    let server = start(&root);
    let rx = events(&server.addr);
    let step = |what: &str, page: &str, f: &dyn Fn()| {
        f();
        wait_page_change(&rx, &server, page, what);
    };
    let edit = |rel: &str, from: &str, to: &str| {
        let p = root.join(rel);
        let t = std::fs::read_to_string(&p).unwrap();
        assert!(t.contains(from), "{rel} lacks {from}");
        std::fs::write(&p, t.replacen(from, to, 1)).unwrap();
    };
    step("body", RISK_PAGE, &|| {
        std::fs::write(
            root.join(RISK),
            with_marker(&root, "series [[STD-LOG-001]]"),
        )
        .unwrap()
    });
    step("title", "register.html", &|| {
        edit(
            RISK,
            "title: AI Risk Management Procedure",
            "title: Managing AI Risk",
        )
    });
    step("status", "register.html", &|| {
        edit(RISK, "status: approved", "status: draft")
    });
    step("new document", "documents/PRO-NEW-001.html", &|| {
        write(
            &root,
            "procedures/new/new-procedure.md",
            "---\nid: PRO-NEW-001\ntitle: A New Procedure\ncontrols: [A.6.2.4]\nrelated: [PRO-RISK-001]\n---\n\n# New\n",
        )
    });
    step("soa", "soa.html", &|| {
        edit(
            "soa.yaml",
            "implementation: implemented}",
            "implementation: planned}",
        )
    });
    let out = tempfile::tempdir().unwrap();
    build(&root, &out.path().join("site")).expect_code(0);
    let full: BTreeMap<String, Vec<u8>> = tree(&out.path().join("site"));
    let mut compared = 0;
    for (path, bytes) in &full {
        if path == "manifest.json" || path == ".aimsdoc-output" {
            continue;
        }
        let r = get(&server.addr, &format!("/{path}"));
        assert_eq!(r.status, 200, "{path}");
        let body = if path.ends_with(".html") {
            strip_script(&r.body)
        } else {
            r.body.clone()
        };
        if body != *bytes {
            let _ = std::fs::write("/tmp/wt4-served.html", &body);
            let _ = std::fs::write("/tmp/wt4-built.html", bytes);
        }
        assert!(body == *bytes, "{path} differs from `aimsdoc build`");
        compared += 1;
    }
    assert!(compared > 100, "compared {compared} files");
}

fn git(root: &std::path::Path, args: &[&str]) -> bool {
    std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn a_git_checkout_of_hundreds_of_files_is_one_rebuild() {
    let (_tmp, root) = temp_copy(&sample());
    for i in 0..250 {
        write(
            &root,
            &format!("many/doc-{i:03}.md"),
            format!("---\nid: MANY-{i:03}\ntitle: Many {i}\n---\n\nFirst text {i}.\n"),
        );
    }
    if !git(&root, &["init", "-q"]) {
        eprintln!("git is not available; skipped");
        return;
    }
    assert!(git(&root, &["add", "-A"]) && git(&root, &["commit", "-qm", "one"]));
    assert!(git(&root, &["checkout", "-qb", "two"]));
    for i in 0..250 {
        write(
            &root,
            &format!("many/doc-{i:03}.md"),
            format!("---\nid: MANY-{i:03}\ntitle: Many {i}\n---\n\nSecond text {i}.\n"),
        );
    }
    assert!(git(&root, &["commit", "-qam", "two"]) && git(&root, &["checkout", "-q", "main"]));

    let server = start(&root);
    let rx = events(&server.addr);
    assert!(git(&root, &["checkout", "-q", "two"]));
    wait_for(&rx, &server, "checkout", |ev| {
        changed(ev).iter().any(|c| c == "documents/MANY-249.html")
    });
    sleep_ms(600);
    let log = server.stderr.lock().unwrap().clone();
    // One rebuild here when the machine is idle; under heavy load the debouncer may deliver
    // the first files while git is still writing, which makes a second one.
    let rebuilds = log.matches("rebuilt in").count();
    assert!(
        rebuilds <= 2,
        "{rebuilds} rebuilds for one checkout:\n{log}"
    );
    for i in [0, 7, 58, 249] {
        let page = get(&server.addr, &format!("/documents/MANY-{i:03}.html")).text();
        assert!(page.contains(&format!("Second text {i}.")), "MANY-{i:03}");
    }
}
