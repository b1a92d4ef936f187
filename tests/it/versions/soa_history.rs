//! The SoA's history: with `[versions]`, `soa.html` shows the commits that changed
//! `soa.yaml`, with its version and status changes, as a document page shows its own.

use super::*;

/// A `soa.yaml` with its control fields and one decision.
fn soa(version: &str, status: &str) -> String {
    format!(
        "version: \"{version}\"\nstatus: {status}\nowner: AI governance lead\napprover: Board\napproved: 2025-01-20\nreview: 2030-01-01\ncontrols:\n  A.10.4: {{applicable: false, justification: \"We supply no AI systems.\"}}\n"
    )
}

#[test]
fn the_soa_page_shows_the_history_of_soa_yaml() {
    let mut git = Git::new();
    let aims = git.top.join("aims");
    write(&aims, "aims.toml", TOML);
    write(
        &aims,
        "policies/ai-policy.md",
        policy("1.0", "approved", "Text."),
    );
    write(&aims, "soa.yaml", soa("1.0", "draft"));
    let first = git.commit(10, "First SoA");
    git.run(&["tag", "aims-2025.1"]);
    write(
        &aims,
        "policies/ai-policy.md",
        policy("1.1", "approved", "More."),
    );
    git.commit(5, "Policy wording");
    write(&aims, "soa.yaml", soa("1.1", "approved"));
    let second = git.commit(15, "Approve the SoA");

    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_to(&aims, &out).expect_code(0);
    // Newest first; only the commits that changed soa.yaml.
    let rows = history_rows(&page(&out, "soa.html"));
    let ids: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(ids, [&second[..10], &first[..10]], "{rows:?}");
    assert_eq!(rows[0][0], "2025-01-31");
    assert_eq!(rows[0][2], "Alice Auditor");
    assert_eq!(rows[0][3], "Approve the SoA");
    assert_eq!(rows[0][4], "1.0 → 1.1");
    assert_eq!(rows[0][5], "draft → approved");
    assert!(rows[1][3].contains("added"), "{rows:?}");
    assert_eq!((rows[1][4].as_str(), rows[1][5].as_str()), ("1.0", "draft"));
    // An old version's SoA history stops at its tag.
    let old = history_rows(&page(&out, "v/aims-2025.1/soa.html"));
    assert_eq!(old.len(), 1, "{old:?}");
    assert_eq!(old[0][1], first[..10]);

    // An edit not committed yet is said so.
    write(&aims, "soa.yaml", soa("1.2", "approved"));
    build_to(&aims, &out).expect_code(0);
    let note = texts(&page(&out, "soa.html"), ".history-note").join(" ");
    assert!(
        note.contains("The Statement of Applicability has changes in the work tree"),
        "{note}"
    );
}
