//! Nasty input never makes aimsdoc panic: it exits 0 or 1 with diagnostics, never 101.
//! (`common::aimsdoc` asserts "no panic" on every run.)

use crate::common;

use std::path::Path;

use common::*;

/// Runs check and build over `root` and asserts exit 0 or 1 for both (and no panic).
fn survives(root: &Path) -> Run {
    let checked = check(root);
    assert!(
        matches!(checked.code, 0 | 1),
        "check exited {}:\n{}",
        checked.code,
        checked.stderr
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let built = build(root, &out);
    assert!(
        matches!(built.code, 0 | 1),
        "build exited {}:\n{}",
        built.code,
        built.stderr
    );
    assert_eq!(
        checked.code, built.code,
        "check:\n{}\nbuild:\n{}",
        checked.stderr, built.stderr
    );
    assert_eq!(out.exists(), built.code == 0);
    built
}

/// Deterministic pseudo-random bytes (no extra crate needed).
fn junk(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as u8
        })
        .collect()
}

#[test]
fn empty_aims_toml() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("aims");
    write(&root, "aims.toml", "");
    let run = survives(&root);
    run.expect_code(1);
    let msgs: Vec<String> = run
        .with_code("AIMS0010")
        .into_iter()
        .map(|d| d.message)
        .collect();
    assert!(
        msgs.contains(&"aims.toml has no `title`".to_string()),
        "{msgs:?}"
    );
    assert!(
        msgs.contains(&"aims.toml has no `organization`".to_string()),
        "{msgs:?}"
    );
}

#[test]
fn empty_files_everywhere() {
    let (_tmp, root) = temp_aims();
    for f in [
        "soa.yaml",
        "policies/_section.toml",
        "policies/empty.md",
        "policies/README.md",
        "assets/empty.png",
        "templates/partials/unused.html",
        "static/empty.css",
    ] {
        write(&root, f, "");
    }
    write(&root, "policies/p.md", "---\nid: P-1\ntitle: P\n---\n");
    let run = survives(&root);
    // An empty soa.yaml has no `controls:`: that is reported.
    assert!(!run.with_code("AIMS0300").is_empty(), "{}", run.stderr);
    assert_eq!(run.with_code("AIMS0003").len(), 1, "{}", run.stderr);
}

#[test]
fn front_matter_with_only_fences() {
    let (_tmp, root) = temp_aims();
    write(&root, "policies/p.md", "---\n---\n");
    let run = survives(&root);
    run.expect_code(1);
    let msgs: Vec<String> = run
        .with_code("AIMS0110")
        .into_iter()
        .map(|d| d.message)
        .collect();
    assert_eq!(
        msgs,
        [
            "front matter has no `id`; it is required",
            "front matter has no `title`; it is required"
        ]
    );
}

#[test]
fn a_50_mb_markdown_file() {
    let (_tmp, root) = temp_aims();
    write(&root, "policies/p.md", "---\nid: P-1\ntitle: P\n---\n");
    let mut big = b"---\nid: BIG-1\ntitle: Big\n---\n\n".to_vec();
    let line = b"Lorem ipsum dolor sit amet, [[P-1]] and **bold** text with a [link](p.md).\n";
    while big.len() < 50 * 1024 * 1024 {
        big.extend_from_slice(line);
    }
    write(&root, "policies/big.md", &big);
    let run = survives(&root);
    if run.code == 1 {
        let d = run.only("AIMS0007");
        assert_eq!(d.name, "file-too-large");
        assert!(d.message.starts_with("policies/big.md is 50 MB"), "{d:?}");
    }
}

#[test]
fn binary_junk() {
    let (_tmp, root) = temp_aims();
    write(&root, "policies/p.md", "---\nid: P-1\ntitle: P\n---\n");
    write(&root, "policies/junk.md", junk(64 * 1024, 1));
    write(&root, "policies/junk.png", junk(4096, 2));
    write(&root, "policies/junk-no-ext", junk(4096, 3));
    // Valid UTF-8, but hostile: NULs, control characters, aimsdoc's own placeholder marks,
    // bidi overrides, and unclosed Markdown constructs.
    let hostile = "\u{0}\u{1}\u{7}\u{1b}[31m\u{E000}0\u{E001}\u{E000}\u{E001}\u{202e}\u{feff}";
    write(
        &root,
        "policies/hostile.md",
        format!(
            "---\nid: HOSTILE-1\ntitle: \"T{hostile}\"\nowner: \"{hostile}\"\ntags: [\"{hostile}\"]\n---\n\n# {hostile}\n\n{hostile} [[P-1]] [x]({hostile}) [[ ]] [[#]] [[|]] [](#) [[P-1#]] ![]() <div>{hostile}\n"
        ),
    );
    let run = survives(&root);
    run.expect_code(1);
    assert_eq!(run.with_code("AIMS0002").len(), 1, "{}", run.stderr);
}

#[test]
fn placeholder_marks_in_the_input_do_not_leak_or_forge_links() {
    let (tmp, root) = temp_aims();
    write(
        &root,
        "policies/p.md",
        "---\nid: P-1\ntitle: \"Title \u{E000}0\u{E001}\"\n---\n\n## Head \u{E000}0\u{E001}\n\nText \u{E000}0\u{E001} and [[P-1]].\n",
    );
    let out = tmp.path().join("out");
    build(&root, &out).expect_code(0);
    let p = page(&out, "documents/P-1.html");
    let links: Vec<String> = p
        .select(&sel(".doc-body a:not(.anchor)"))
        .map(|a| a.value().attr("href").unwrap_or("").to_string())
        .collect();
    assert_eq!(
        links,
        ["../documents/P-1.html"],
        "only the real [[P-1]] is a link"
    );
    for (rel, doc) in html_pages(&out) {
        for el in doc.select(&sel("[href], [src]")) {
            for attr in ["href", "src"] {
                let v = el.value().attr(attr).unwrap_or("");
                assert!(!v.contains(['\u{E000}', '\u{E001}']), "{rel}: {attr}={v:?}");
            }
        }
    }
    assert_links_resolve(&out);
}

#[test]
fn pathological_markdown() {
    let (_tmp, root) = temp_aims();
    let mut body = String::new();
    body.push_str(&">".repeat(5000));
    body.push_str(" deep quote\n\n");
    body.push_str(&"[".repeat(20_000));
    body.push_str("\n\n");
    body.push_str(&"[[".repeat(5000));
    body.push_str("\n\n");
    body.push_str(&"*".repeat(20_000));
    body.push_str("\n\n");
    for i in 0..300 {
        body.push_str(&"  ".repeat(i));
        body.push_str("- item\n");
    }
    body.push('\n');
    body.push_str(&format!(
        "|{}\n|{}\n\n",
        "a|".repeat(1000),
        "-|".repeat(1000)
    ));
    body.push_str(&format!("# {}\n\n", "#".repeat(10_000)));
    for _ in 0..500 {
        body.push_str("## Same heading\n\n[[P-1#same-heading]]\n\n");
    }
    body.push_str("```\n[[NOT-A-LINK]]\n");
    write(
        &root,
        "policies/p.md",
        format!("---\nid: P-1\ntitle: P\n---\n\n{body}"),
    );
    let run = survives(&root);
    assert!(
        run.with_code("AIMS0201").is_empty(),
        "links inside code are not references"
    );
}

#[test]
fn nasty_yaml() {
    let (_tmp, root) = temp_aims();
    // A billion-laughs alias bomb.
    let mut bomb = String::from("---\nid: BOMB\ntitle: Bomb\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for w in names.windows(2) {
        let refs = vec![format!("*{}", w[0]); 9].join(",");
        bomb.push_str(&format!("{}: &{} [{refs}]\n", w[1], w[1]));
    }
    bomb.push_str("tags: *i\n---\n");
    write(&root, "policies/bomb.md", bomb);
    write(
        &root,
        "policies/dup.md",
        "---\nid: DUP\ntitle: A\ntitle: B\n---\n",
    );
    write(
        &root,
        "policies/weird.md",
        "---\nid: 123\ntitle: 1.0\nversion: 1.10\norder: -1\ncontrols: [[A.2.2], {id: [A.2.3]}, null, ~, 5, {id: A.2.4, note: [x]}]\nrelated: [null, 7, {a: b}]\nsupersedes: [X]\ntags: !!binary aGVsbG8=\nreview: 2026-02-29\n1: one\n? [complex, key]\n: value\n---\nBody\n",
    );
    write(
        &root,
        "policies/huge-int.md",
        "---\nid: HI\ntitle: T\norder: 99999999999999999999\n---\n",
    );
    write(
        &root,
        "policies/tabs.md",
        "---\nid: TABS\n\ttitle: T\n---\n",
    );
    write(&root, "policies/scalar.md", "---\njust a string\n---\n");
    write(&root, "policies/crlf-only.md", "---\r\n---\r\n");
    write(
        &root,
        "policies/dots.md",
        "---\nid: DOTS\ntitle: T\n...\nbody\n",
    );
    let run = survives(&root);
    run.expect_code(1);
}

#[test]
fn summary_counts_match_the_printed_diagnostics() {
    // The same mistake twice in one list produces identical diagnostics; whatever the
    // printer shows, the summary must count the same.
    let (_tmp, root) = temp_aims();
    write(
        &root,
        "policies/p.md",
        "---\nid: P-1\ntitle: P\ncontrols: [A.6.2.9, A.6.2.9]\nrelated: [null, null]\n---\n",
    );
    let run = survives(&root);
    run.expect_code(1);
    let d = run.diagnostics();
    let printed = (
        d.iter().filter(|d| d.severity == "error").count(),
        d.iter().filter(|d| d.severity == "warning").count(),
    );
    assert_eq!(
        run.counts(),
        printed,
        "summary `{}` vs printed:\n{}",
        run.summary(),
        run.stderr
    );
}

#[test]
fn symlink_loop_is_a_warning() {
    let (_tmp, root) = temp_copy(&fixture("minimal"));
    std::os::unix::fs::symlink("..", root.join("policies/loop")).unwrap();
    let run = survives(&root);
    run.expect_code(0);
    let d = run.only("AIMS0008");
    assert_eq!(d.severity, "warning");
    assert_eq!(d.file().as_deref(), Some("policies/loop"));
}

#[test]
fn self_referencing_and_dangling_symlinks() {
    let (_tmp, root) = temp_copy(&fixture("minimal"));
    std::os::unix::fs::symlink("self.md", root.join("policies/self.md")).unwrap();
    std::os::unix::fs::symlink("nowhere/at/all.md", root.join("policies/dangling.md")).unwrap();
    std::os::unix::fs::symlink(
        root.join("policies"),
        root.join("procedures/policies-again"),
    )
    .unwrap();
    survives(&root);
}

/// Whether this process can read a file with mode 000 (true for root).
fn can_read_unreadable(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join(".probe");
    std::fs::write(&probe, "x").unwrap();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    let ok = std::fs::read(&probe).is_ok();
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::remove_file(&probe).unwrap();
    ok
}

#[test]
fn unreadable_file_and_folder() {
    use std::os::unix::fs::PermissionsExt;
    let (tmp, root) = temp_copy(&fixture("minimal"));
    write(&root, "policies/secret.md", "---\nid: S-1\ntitle: S\n---\n");
    write(&root, "locked/inner.md", "---\nid: L-1\ntitle: L\n---\n");
    let mode =
        |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    mode(&root.join("policies/secret.md"), 0o000);
    mode(&root.join("locked"), 0o000);
    let root_can_read = can_read_unreadable(tmp.path());
    let run = survives(&root);
    mode(&root.join("locked"), 0o755);
    mode(&root.join("policies/secret.md"), 0o644);
    if root_can_read {
        // Running as root: permissions do not stop reading, so there is nothing to report.
        return;
    }
    run.expect_code(1);
    let files: Vec<String> = run
        .with_code("AIMS0001")
        .iter()
        .filter_map(|d| d.file())
        .collect();
    assert!(
        files.iter().any(|f| f == "policies/secret.md"),
        "{}",
        run.stderr
    );
    assert!(
        files.iter().any(|f| f.starts_with("locked")),
        "{}",
        run.stderr
    );
}

#[test]
fn deeply_nested_folders() {
    let (tmp, root) = temp_aims();
    let depth = 60;
    let dir = vec!["level"; depth].join("/");
    let up = "../".repeat(depth);
    write(
        &root,
        &format!("{dir}/deep.md"),
        format!("---\nid: DEEP-1\ntitle: Deep\n---\n\n## Bottom\n\nUp to [the top]({up}top.md#top) and [[TOP-1]].\n"),
    );
    write(
        &root,
        "top.md",
        format!("---\nid: TOP-1\ntitle: Top\n---\n\n## Top\n\nDown to [the bottom]({dir}/deep.md#bottom).\n"),
    );
    let out = tmp.path().join("out");
    build(&root, &out).expect_code(0);
    assert!(out.join(format!("sections/{dir}.html")).is_file());
    assert_links_resolve(&out);
}

#[test]
fn crlf_and_byte_order_mark() {
    let (tmp, root) = temp_aims();
    write(
        &root,
        "policies/p.md",
        "\u{feff}---\r\nid: P-1\r\ntitle: CRLF Policy\r\ncontrols: [A.2.2]\r\n---\r\n\r\n## Scope\r\n\r\nText.\r\n",
    );
    let out = tmp.path().join("out");
    build(&root, &out).expect_code(0);
    let p = page(&out, "documents/P-1.html");
    assert_eq!(texts(&p, "h1"), ["CRLF Policy"]);

    write(
        &root,
        "policies/q.md",
        "\u{feff}---\r\nid: Q-1\r\ntitle: Q\r\n---\r\n\r\nLine.\r\nSee [[NOPE-1]].\r\n",
    );
    let run = check(&root);
    run.expect_code(1);
    let d = run.only("AIMS0201");
    assert_eq!(
        d.location.as_deref(),
        Some(location_of(&root, "policies/q.md", "[[NOPE-1]]").as_str())
    );
}

#[test]
fn unicode_headings_and_anchors() {
    let (tmp, root) = temp_aims();
    write(
        &root,
        "politiques/überblick.md",
        "---\nid: UB-1\ntitle: Überblick über KI — 人工知能\n---\n\n## Überblick\n\n## 人工知能の方針\n\nSiehe [[UB-2#größe]] und [hier](zweite.md#größe).\n",
    );
    write(
        &root,
        "politiques/zweite.md",
        "---\nid: UB-2\ntitle: Zweite\n---\n\n## Größe\n\nZurück: [[UB-1#überblick]], [[UB-1#人工知能の方針]].\n",
    );
    let out = tmp.path().join("out");
    build(&root, &out).expect_code(0);
    let r = assert_links_resolve(&out);
    assert!(r.fragments > 0);
}

#[test]
fn many_documents_and_sections() {
    // Enough to cut the sidebar (over 60 documents in a section, over 40 sections) and to
    // aggregate the coverage matrix by section (over 40 documents).
    let (tmp, root) = temp_aims();
    let controls: Vec<String> = catalog()
        .into_iter()
        .filter(|e| e.kind == "control")
        .map(|e| e.id)
        .collect();
    for s in 0..45 {
        for d in 0..2 {
            let c = &controls[(s * 2 + d) % controls.len()];
            write(
                &root,
                &format!("area-{s:02}/doc-{d}.md"),
                format!("---\nid: D-{s:02}-{d}\ntitle: Doc {s} {d}\nstatus: approved\nversion: \"1\"\nowner: O\napprover: A\napproved: 2026-01-01\ncontrols: [{c}]\n---\n\n## Body\n\n[[{c}]] [[D-00-0]]\n"),
            );
        }
    }
    for d in 0..70 {
        write(
            &root,
            &format!("big/doc-{d:02}.md"),
            format!("---\nid: B-{d:02}\ntitle: Big {d}\nclauses: [\"7.5.1\"]\n---\n\nBody.\n"),
        );
    }
    let out = tmp.path().join("out");
    build(&root, &out).expect_code(0);
    assert_eq!(
        std::fs::read_dir(out.join("documents")).unwrap().count(),
        45 * 2 + 70
    );
    assert_links_resolve(&out);
}
