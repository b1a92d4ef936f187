//! Changes with the passing of time are listed apart from changes to the content: between a
//! release and today a review falls due and an approved document takes effect, with no file
//! changed. The changes page and `aimsdoc diff` list those last, with why, and keep them out
//! of the controls and clauses whose coverage changed with the documents.

use super::*;

/// An approved document: `id`, type, `effective` (or none), `review`, controls and clauses.
fn approved(id: &str, ty: &str, effective: Option<&str>, review: &str, refs: &str) -> String {
    let effective = effective
        .map(|e| format!("effective: {e}\n"))
        .unwrap_or_default();
    format!(
        "---\nid: {id}\ntitle: {id} document\ntype: {ty}\nstatus: approved\nversion: \"1.0\"\n\
         approver: Board\napproved: 2025-01-02\n{effective}owner: AIMS lead\nreview: {review}\n\
         {refs}\n---\n\nText of {id}.\n"
    )
}

/// - c1 2025-01-11 → `aims-2025.1`: POL-1 (A.2.2, 5.2; review due 2025-06-01), PRO-2
///   (A.3.2; in force from 2025-03-01), PRO-3 (A.4.2; review due 2025-08-01).
/// - c2 2025-02-10 (HEAD): STD-1 added (draft, A.6.2.8); PRO-3's review moved to 2030-01-01.
fn repo() -> (Git, PathBuf) {
    let mut git = Git::new();
    let aims = git.top.join("aims");
    write(&aims, "aims.toml", TOML);
    write(&aims, "soa.yaml", "controls: {}\n");
    write(
        &aims,
        "policies/ai-policy.md",
        approved(
            "POL-1",
            "policy",
            None,
            "2025-06-01",
            "controls: [A.2.2]\nclauses: [\"5.2\"]",
        ),
    );
    write(
        &aims,
        "procedures/roles.md",
        approved(
            "PRO-2",
            "procedure",
            Some("2025-03-01"),
            "2030-01-01",
            "controls: [A.3.2]",
        ),
    );
    let pro3 = |review| approved("PRO-3", "procedure", None, review, "controls: [A.4.2]");
    write(&aims, "procedures/resources.md", pro3("2025-08-01"));
    git.commit(10, "First release");
    git.run(&["tag", "aims-2025.1"]);
    write(
        &aims,
        "standards/logging.md",
        "---\nid: STD-1\ntitle: Logging\ntype: standard\nstatus: draft\ncontrols: [A.6.2.8]\n---\n\nLogs.\n",
    );
    write(&aims, "procedures/resources.md", pro3("2030-01-01"));
    git.commit(30, "Logging standard; PRO-3 reviewed");
    (git, aims)
}

/// Rows (cells joined by " / ") of the table in the section labelled by `heading`.
fn section_rows(doc: &scraper::Html, heading: &str) -> Vec<String> {
    doc.select(&sel(&format!(
        "section[aria-labelledby={heading}] tbody tr"
    )))
    .map(|tr| {
        tr.select(&sel("td"))
            .map(text_of)
            .collect::<Vec<_>>()
            .join(" / ")
    })
    .collect()
}

#[test]
fn the_changes_page_lists_changes_with_time_apart() {
    let (_git, aims) = repo();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_to(&aims, &out).expect_code(0);
    // The current manual (as of TODAY) against aims-2025.1 (as of its release, 2025-01-11).
    let ch = page(&out, "changes.html");
    let content = section_rows(&ch, "aims-controls-heading");
    assert_eq!(
        content,
        ["A.6.2.8 / AI system recording of event logs / gap / draft"]
    );
    let over_time = section_rows(&ch, "aims-over-time-heading");
    assert_eq!(
        over_time,
        [
            "A.2.2 / AI policy / covered / overdue / the review of POL-1 was due on 2025-06-01",
            "A.3.2 / AI roles and responsibilities / draft / covered / PRO-2 took effect on 2025-03-01",
            "5.2 / AI policy / covered / overdue / the review of POL-1 was due on 2025-06-01",
        ]
    );
    // PRO-3's review fell due, but its new text moved it: its control (A.4.2) is in neither
    // list above, and PRO-3 is a modified document.
    let all = texts(&ch, "main").join(" ");
    assert!(
        texts(&ch, ".doc-change h3").join(" ").contains("PRO-3"),
        "{all}"
    );
    assert!(
        all.contains("aims-2025.1 is judged as of 2025-01-11, current as of 2026-11-23"),
        "{all}"
    );
    // Clauses changed by time only are not among the clauses changed with the content.
    assert!(section_rows(&ch, "aims-clauses-heading").is_empty());
}

#[test]
fn aimsdoc_diff_lists_changes_with_time_last_and_judges_revisions_as_of_their_date() {
    let (_git, aims) = repo();
    let diff = |to: &str| {
        let run = aimsdoc([
            OsStr::new("diff"),
            OsStr::new("aims-2025.1"),
            OsStr::new(to),
            OsStr::new("-d"),
            aims.as_os_str(),
            OsStr::new("--today"),
            OsStr::new(TODAY),
        ]);
        run.expect_code(0);
        run.stdout
    };
    let text = diff("worktree");
    assert!(
        text.starts_with(
            "Changes from aims-2025.1 (as of 2025-01-11) to worktree (as of 2026-11-23)\n"
        ),
        "{text}"
    );
    let (content, time) = text
        .split_once("\nChanged with the passing of time only, from 2025-01-11 to 2026-11-23 (3):\n")
        .unwrap_or_else(|| panic!("no time-only section:\n{text}"));
    assert!(
        content.contains("Controls whose coverage changed (1):\n  A.6.2.8 AI system recording of event logs: gap → draft\n"),
        "{content}"
    );
    assert!(!content.contains("A.2.2"), "{content}");
    assert!(
        !content.contains("Clauses whose coverage changed"),
        "{content}"
    );
    assert_eq!(
        time,
        "  A.2.2 AI policy: covered → overdue (the review of POL-1 was due on 2025-06-01)\n\
         \x20 A.3.2 AI roles and responsibilities: draft → covered (PRO-2 took effect on 2025-03-01)\n\
         \x20 5.2 AI policy: covered → overdue (the review of POL-1 was due on 2025-06-01)\n"
    );
    // HEAD is judged as of its commit (2025-02-10): nothing had fallen due or taken effect.
    let head = diff("HEAD");
    assert!(
        head.starts_with(
            "Changes from aims-2025.1 (as of 2025-01-11) to HEAD (as of 2025-02-10)\n"
        ),
        "{head}"
    );
    assert!(!head.contains("passing of time"), "{head}");
    assert!(head.contains("A.6.2.8"), "{head}");
}
