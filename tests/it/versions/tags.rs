//! Tags become versions: the switcher, each version's history and changes, `keep`, the
//! `[versions]` table, an AIMS at the top of the repository, old errors, and each version's
//! own search index and printed manual.

use super::*;

#[test]
fn tags_become_versions_with_switcher_history_and_changes() {
    let mut f = fixture_repo();
    let index_before = std::fs::read(f.git.top.join(".git/index")).unwrap();
    assert_eq!(f.git.status(), "");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let run = build_to(&f.aims, &out);
    run.expect_code(0);
    // The work tree and index are untouched.
    assert_eq!(f.git.status(), "");
    assert_eq!(
        std::fs::read(f.git.top.join(".git/index")).unwrap(),
        index_before
    );

    // Versions: the three release tags, not `other-1`; newest first after the current one.
    let versions: serde_json::Value =
        serde_json::from_str(&read(&out.join("versions.json"))).unwrap();
    let list = versions.as_array().unwrap();
    let tags: Vec<&str> = list.iter().map(|v| v["label"].as_str().unwrap()).collect();
    assert_eq!(
        tags,
        ["current", "aims-2026.1", "aims-2025.2", "aims-2025.1"]
    );
    assert_eq!(list[0]["commit"], f.commits[4].as_str());
    assert_eq!(list[0]["path"], "");
    assert_eq!(
        list[1]["commit"],
        f.commits[3].as_str(),
        "annotated tag peeled"
    );
    assert_eq!(list[1]["path"], "v/aims-2026.1/");
    assert_eq!(list[1]["date"], "2025-04-01");
    assert_eq!(list[3]["commit"], f.commits[0].as_str());
    assert_eq!(list[3]["date"], "2025-01-11");
    for v in &list[1..] {
        assert!(out
            .join(v["path"].as_str().unwrap())
            .join("index.html")
            .is_file());
    }
    assert!(!out.join("v/other-1").exists());

    // Every link resolves, the switchers' included.
    let links = assert_links_resolve(&out);
    assert!(links.checked > 1000, "{links:?}");

    // The switcher keeps the reader on the same document, or goes to that version's home.
    let hrefs = switcher(&out, "documents/STD-1.html");
    assert_eq!(
        hrefs,
        [
            ("current".to_string(), "../documents/STD-1.html".to_string()),
            (
                "aims-2026.1".into(),
                "../v/aims-2026.1/documents/STD-1.html".into()
            ),
            ("aims-2025.2".into(), "../v/aims-2025.2/index.html".into()),
            ("aims-2025.1".into(), "../v/aims-2025.1/index.html".into()),
        ]
    );
    // From an old version's page too, and every target exists.
    for rel in [
        "v/aims-2025.1/documents/POL-1.html",
        "v/aims-2026.1/controls/A.2.2.html",
    ] {
        let links = switcher(&out, rel);
        assert_eq!(links.len(), 4, "{links:?}");
        for (_, href) in &links {
            let target = resolve_href(rel, href).unwrap();
            assert!(out.join(&target).is_file(), "{rel}: {href} -> {target}");
        }
    }
    assert_eq!(
        switcher(&out, "v/aims-2025.1/documents/POL-1.html")[0].1,
        "../../../documents/POL-1.html"
    );
    // Without JavaScript the switcher links to the list of every version.
    let all = page(&out, "v/aims-2025.1/documents/POL-1.html");
    let fallback: Vec<&str> = all
        .select(&sel("nav.version-bar .version-list a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(fallback, ["../../../versions.html"]);
    let listed = texts(
        &page(&out, "versions.html"),
        ".versions-table tbody td:first-child a",
    );
    assert_eq!(listed, tags);
    let homes: Vec<String> = page(&out, "versions.html")
        .select(&sel(".versions-table tbody td:first-child a"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(
        homes,
        [
            "index.html",
            "v/aims-2026.1/index.html",
            "v/aims-2025.2/index.html",
            "v/aims-2025.1/index.html"
        ]
    );
    let old = page(&out, "v/aims-2025.1/documents/POL-1.html");
    let notice = texts(&old, ".notice-old-version").join(" ");
    assert!(notice.contains("not the current manual"), "{notice}");
    let current_link = old
        .select(&sel(".notice-old-version a"))
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert_eq!(current_link, "../../../documents/POL-1.html");
    assert!(texts(&page(&out, "documents/POL-1.html"), ".notice-old-version").is_empty());
    // The old version shows its own content.
    assert!(read(&out.join("v/aims-2025.1/documents/POL-1.html")).contains("Staff must follow it."));
    assert!(read(&out.join("documents/POL-1.html")).contains("Staff shall follow it."));

    // History, newest first, from git: commits that changed the file, version/status changes.
    let short = |i: usize| f.commits[i][..10].to_string();
    let rows = history_rows(&page(&out, "documents/POL-1.html"));
    let ids: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(ids, [short(4), short(2), short(0)]);
    assert_eq!(rows[0][0], "2025-05-01");
    assert_eq!(rows[0][2], "Alice Auditor");
    assert!(rows[0][3].starts_with("Wording"));
    assert_eq!(rows[1][4], "1.0 → 1.1");
    assert_eq!(rows[1][5], "draft → approved");
    assert_eq!(rows[2][4], "1.0");
    assert!(rows[2][3].contains("added"));
    let last = texts(&page(&out, "documents/POL-1.html"), ".last-changed").join("");
    assert!(
        last.contains("2025-05-01") && last.contains(&short(4)),
        "{last}"
    );
    // A renamed file keeps its history.
    let rows = history_rows(&page(&out, "documents/PRO-1.html"));
    let ids: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(ids, [short(3), short(2), short(1), short(0)]);
    assert!(
        rows[0][3].contains("renamed from procedures/risk.md"),
        "{rows:?}"
    );
    // An old version's history stops at its tag.
    let rows = history_rows(&page(&out, "v/aims-2025.1/documents/POL-1.html"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][1], short(0));

    // The tag whose tree has errors: built, its errors are warnings of that version.
    assert!(
        run.stderr
            .contains("[v/aims-2025.2] unknown control A.6.2.9"),
        "{}",
        run.stderr
    );
    assert_eq!(run.counts().0, 0);
    let warn = texts(&page(&out, "v/aims-2025.2/index.html"), ".version-warnings").join(" ");
    assert!(warn.contains("unknown control A.6.2.9"), "{warn}");
    assert!(!read(&out.join("index.html")).contains("version-warnings"));

    // Changes: current vs aims-2026.1 (the wording), linked from the home page.
    let home = page(&out, "index.html");
    let link = home.select(&sel(".changes-link a")).next().unwrap();
    assert_eq!(link.value().attr("href"), Some("changes.html"));
    assert!(text_of(link).contains("aims-2026.1"));
    let changes = page(&out, "changes.html");
    assert_eq!(texts(&changes, ".word-diff del"), ["must"]);
    assert_eq!(texts(&changes, ".word-diff ins"), ["shall"]);
    // aims-2026.1 vs aims-2025.2: STD-1 added, PRO-1 renamed, POL-1 1.0 → 1.1, A.2.2 now
    // covered (the policy was approved), A.10.4 excluded in the SoA.
    let ch = page(&out, "v/aims-2026.1/changes.html");
    let h1 = texts(&ch, "h1").join("");
    assert_eq!(h1, "Changes from aims-2025.2 to aims-2026.1");
    let added = texts(&ch, "#aims-added-heading + ul li").join(" ");
    assert!(added.contains("STD-1"), "{added}");
    let modified = texts(&ch, ".doc-change").join(" | ");
    assert!(
        modified.contains("Renamed from procedures/risk.md"),
        "{modified}"
    );
    assert!(modified.contains("POL-1 AI Policy"), "{modified}");
    let rows: Vec<String> = ch
        .select(&sel("table tbody tr"))
        .map(|tr| {
            tr.select(&sel("td"))
                .map(text_of)
                .collect::<Vec<_>>()
                .join(" / ")
        })
        .collect();
    assert!(
        rows.contains(&"A.2.2 / AI policy / draft / covered".to_string()),
        "{rows:?}"
    );
    assert!(
        rows.contains(&"A.10.4 / Customers / gap / excluded".to_string()),
        "{rows:?}"
    );
    assert!(
        rows.contains(
            &"A.10.4 / Customers / undecided / excluded: We supply no AI systems.".to_string()
        ),
        "{rows:?}"
    );
    // The oldest version has nothing to compare with.
    assert!(!out.join("v/aims-2025.1/changes.html").exists());

    // The same in the terminal.
    let d = aimsdoc([
        OsStr::new("diff"),
        OsStr::new("aims-2025.2"),
        OsStr::new("aims-2026.1"),
        OsStr::new("-d"),
        f.aims.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(TODAY),
    ]);
    d.expect_code(0);
    for needle in [
        "Added documents (1):",
        "STD-1",
        "renamed from procedures/risk.md",
        "version: [-\"1.0\"-]{+\"1.1\"+}",
        "A.2.2 AI policy: draft → covered",
        "A.10.4",
    ] {
        assert!(d.stdout.contains(needle), "no `{needle}` in:\n{}", d.stdout);
    }
    let w = aimsdoc([
        OsStr::new("diff"),
        OsStr::new("aims-2026.1"),
        OsStr::new("worktree"),
        OsStr::new("-d"),
        f.aims.as_os_str(),
    ]);
    w.expect_code(0);
    assert!(w.stdout.contains("[-must-]{+shall+}"), "{}", w.stdout);
    assert_eq!(f.git.status(), "");
}

#[test]
fn aims_at_the_top_of_the_repository_and_an_unsafe_tag_name() {
    let mut git = Git::new();
    let top = git.top.clone();
    write(
        &top,
        "aims.toml",
        "title = \"T\"\norganization = \"O\"\n[versions]\ntags = \"*\"\ncurrent = \"HEAD\"\n",
    );
    write(
        &top,
        "policies/ai-policy.md",
        policy("1.0", "draft", "First."),
    );
    git.commit(1, "One");
    git.run(&["tag", "rel/ü.1"]);
    git.run(&["tag", "a&b<c>\"d"]);
    write(
        &top,
        "policies/ai-policy.md",
        policy("2.0", "draft", "Second."),
    );
    git.commit(1, "Two");
    // Not committed: with current = "HEAD" the current manual ignores it.
    write(
        &top,
        "policies/ai-policy.md",
        policy("3.0", "draft", "Uncommitted."),
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_to(&top, &out).expect_code(0);
    let dir = out.join("v/rel~2F~C3~BC.1");
    assert!(
        dir.join("documents/POL-1.html").is_file(),
        "{:?}",
        tree(&out).keys().take(5).collect::<Vec<_>>()
    );
    assert!(read(&dir.join("documents/POL-1.html")).contains("First."));
    assert!(out.join("v/a~26b~3Cc~3E~22d/index.html").is_file());
    let labels: Vec<String> = switcher(&out, "index.html")
        .into_iter()
        .map(|(label, _)| label)
        .collect();
    assert!(labels.contains(&"a&b<c>\"d".to_string()), "{labels:?}");
    let listed = texts(&page(&out, "versions.html"), ".versions-table a");
    assert!(listed.contains(&"a&b<c>\"d".to_string()), "{listed:?}");
    assert!(
        !read(&out.join("versions.html")).contains("a&b<c>"),
        "tag names are escaped"
    );
    let current = read(&out.join("documents/POL-1.html"));
    assert!(current.contains("Second.") && !current.contains("Uncommitted."));
    assert_links_resolve(&out);
    let status = git.run(&["status", "--porcelain"]);
    assert_eq!(status, " M policies/ai-policy.md\n");
}

#[test]
fn current_errors_fail_the_build_but_old_ones_do_not() {
    let mut f = fixture_repo();
    write(
        &f.aims,
        "procedures/risk-management.md",
        procedure("A.9.9.9"),
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let run = build_to(&f.aims, &out);
    run.expect_code(1);
    assert!(!out.exists());
    f.git.run(&["checkout", "-q", "--", "."]);
    build_to(&f.aims, &out).expect_code(0);
}

#[test]
fn keep_limits_versions_to_the_most_recent() {
    let mut f = fixture_repo();
    write(&f.aims, "aims.toml", format!("{TOML}keep = 2\n"));
    f.git.commit(1, "Keep two");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_to(&f.aims, &out).expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&read(&out.join("versions.json"))).unwrap();
    let labels: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["current", "aims-2026.1", "aims-2025.2"]);
}

#[test]
fn an_old_versions_history_stops_at_its_tag_even_after_a_revert() {
    let mut git = Git::new();
    let top = git.top.clone();
    write(&top, "aims.toml", TOML);
    write(
        &top,
        "policies/ai-policy.md",
        policy("1.0", "draft", "First."),
    );
    let first = git.commit(1, "First");
    git.run(&["tag", "aims-1"]);
    write(
        &top,
        "policies/ai-policy.md",
        policy("2.0", "draft", "Second."),
    );
    git.commit(1, "Second");
    write(
        &top,
        "policies/ai-policy.md",
        policy("1.0", "draft", "First."),
    );
    let revert = git.commit(1, "Revert to the first wording");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_to(&top, &out).expect_code(0);
    let old = history_rows(&page(&out, "v/aims-1/documents/POL-1.html"));
    assert_eq!(old.len(), 1, "{old:?}");
    assert_eq!(old[0][1], first[..10]);
    let current = history_rows(&page(&out, "documents/POL-1.html"));
    assert_eq!(current.len(), 3, "{current:?}");
    assert_eq!(current[0][1], revert[..10]);
    assert_eq!(current[0][4], "2.0 → 1.0");
}

#[test]
fn without_versions_table_git_is_not_used_and_tags_empty_gives_history_only() {
    let mut git = Git::new();
    let top = git.top.clone();
    write(&top, "aims.toml", "title = \"T\"\norganization = \"O\"\n");
    write(
        &top,
        "policies/ai-policy.md",
        policy("1.0", "draft", "First."),
    );
    git.commit(1, "First");
    git.run(&["tag", "aims-1"]);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plain");
    build_to(&top, &out).expect_code(0).expect_counts(0, 1);
    assert!(!out.join("versions.json").exists());
    assert!(!out.join("v").exists());
    let pol = page(&out, "documents/POL-1.html");
    assert!(texts(&pol, ".doc-history").is_empty());
    assert!(texts(&pol, "nav.version-bar").is_empty());

    write(
        &top,
        "aims.toml",
        "title = \"T\"\norganization = \"O\"\n[versions]\ntags = []\n",
    );
    git.commit(1, "History only");
    let out = tmp.path().join("history");
    build_to(&top, &out).expect_code(0).expect_counts(0, 1);
    assert!(!out.join("v").exists());
    let pol = page(&out, "documents/POL-1.html");
    assert_eq!(history_rows(&pol).len(), 1);
    assert!(texts(&pol, "nav.version-bar").is_empty());
}

#[test]
fn each_version_has_its_own_search_index_and_printed_manual() {
    let f = fixture_repo();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_to(&f.aims, &out).expect_code(0);
    // Built from that version's documents only: the logging standard (added in aims-2026.1)
    // and the wording of c5 ("shall") are not in the index or print page of aims-2025.1.
    let current = read(&out.join("search-index.js"));
    assert!(current.contains("\"STD-1\"") && current.contains("Staff shall follow it."));
    let old = read(&out.join("v/aims-2025.1/search-index.js"));
    assert!(old.contains("\"POL-1\"") && old.contains("Staff must follow it."));
    assert!(
        !old.contains("STD-1"),
        "a later document in an older version's index"
    );
    assert!(
        !old.contains("shall"),
        "later text in an older version's index"
    );
    let old_print = read(&out.join("v/aims-2025.1/print.html"));
    assert!(!old_print.contains("STD-1") && !old_print.contains("shall"));
    // The cover and the running footer name the version: a release by its tag, the
    // current manual as the working copy of the day, with its commit.
    assert!(old_print.contains("<dd class=\"cover-version\">aims-2025.1</dd>"));
    assert!(old_print.contains("@bottom-left { content: \"aims-2025.1 \\b7 "));
    let head = &f.commits[4][..10];
    let label = format!("working copy as of {TODAY}, commit {head}");
    let print = read(&out.join("print.html"));
    assert!(
        print.contains(&format!("<dd class=\"cover-version\">{label}</dd>")),
        "{label}"
    );
    assert!(print.contains(&format!("@bottom-left {{ content: \"{label} \\b7 ")));
}

#[test]
fn the_printed_cover_says_when_the_working_copy_has_uncommitted_changes() {
    let f = fixture_repo();
    write(
        &f.aims,
        "policies/ai-policy.md",
        policy("1.2", "approved", "Staff shall follow it, edited."),
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_to(&f.aims, &out).expect_code(0);
    let head = &f.commits[4][..10];
    let label = format!("working copy as of {TODAY}, commit {head}, with uncommitted changes");
    assert!(
        read(&out.join("print.html"))
            .contains(&format!("<dd class=\"cover-version\">{label}</dd>")),
        "{label}"
    );
    // A release is what its tag holds, whatever the work tree.
    assert!(read(&out.join("v/aims-2026.1/print.html"))
        .contains("<dd class=\"cover-version\">aims-2026.1</dd>"));
}
