//! `audience` in aims.toml: the edition a plain `build` (and `check`, `coverage`) makes, so
//! that nobody publishes confidential documents by forgetting `--audience`; `--audience`
//! overrides it, and `confidential` is the complete edition.

use super::*;

/// The `editions` fixture with `extra` at the top of aims.toml.
fn editions_with(extra: &str) -> (TempDir, PathBuf) {
    let (tmp, root) = temp_copy(&fixture("editions"));
    let toml = std::fs::read_to_string(root.join("aims.toml")).unwrap();
    write(&root, "aims.toml", format!("{extra}{toml}"));
    (tmp, root)
}

const CONFIDENTIAL: &str = "CONF-REC-001";

#[test]
fn aims_toml_sets_the_audience_of_a_plain_build() {
    let (_t, root) = editions_with("audience = \"internal\"\n");
    let all: BTreeSet<String> = source_docs(&root).iter().map(|d| d.id()).collect();
    let internal: BTreeSet<String> = source_docs(&root)
        .iter()
        .filter(|d| rank(d) <= 1)
        .map(|d| d.id())
        .collect();
    assert!(all.contains(CONFIDENTIAL) && !internal.contains(CONFIDENTIAL));

    let (_a, plain, run) = build_for(&root, None);
    assert_eq!(doc_pages(&plain), internal);
    assert_edition(&plain, "internal");
    assert!(Site::read(&plain).hits(CONFIDENTIAL).is_empty());
    assert!(
        run.summary().contains("for the internal audience"),
        "{}",
        run.summary()
    );
    // The edition's own warnings come with it.
    assert_eq!(run.with_code("AIMS0204").len(), 2, "{}", run.stderr);
    // `check` and `coverage` see the same edition.
    let checked = check(&root);
    checked.expect_code(0);
    // It checks the whole AIMS.
    assert!(
        checked
            .summary()
            .starts_with(&format!("Checked {} documents", all.len())),
        "{}",
        checked.summary()
    );
    assert_eq!(checked.with_code("AIMS0204").len(), 2, "{}", checked.stderr);
    let cov = aimsdoc([
        "coverage".as_ref(),
        root.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
        "--today".as_ref(),
        TODAY.as_ref(),
    ]);
    cov.expect_code(0);
    let json: Value = serde_json::from_str(&cov.stdout).unwrap();
    let listed: BTreeSet<String> = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, internal);

    // --audience overrides it either way; confidential is the complete edition.
    let (_b, public, _) = build_for(&root, Some("public"));
    assert_edition(&public, "public");
    let (_c, complete, run) = build_for(&root, Some("confidential"));
    assert_eq!(doc_pages(&complete), all);
    assert_edition(&complete, "complete");
    assert_holds(
        &complete,
        "complete edition (includes confidential documents)",
    );
    assert!(run.with_code("AIMS0204").is_empty());
    assert!(!run.summary().contains("audience"), "{}", run.summary());
}

#[test]
fn a_plain_build_without_audience_is_the_complete_edition_and_says_so() {
    let root = fixture("editions");
    let (_t, out, run) = build_for(&root, None);
    assert_eq!(doc_pages(&out).len(), source_docs(&root).len());
    assert_edition(&out, "complete");
    assert_holds(&out, "complete edition (includes confidential documents)");
    assert!(!run.summary().contains("audience"), "{}", run.summary());
    // Without a confidential document, it says what it does hold.
    let (_c, copy) = temp_copy(&root);
    let rel = "confidential/record.md";
    let text = std::fs::read_to_string(copy.join(rel)).unwrap();
    write(
        &copy,
        rel,
        text.replace("classification: confidential", "classification: internal"),
    );
    let (_o, out, _) = build_for(&copy, None);
    assert_holds(&out, "complete edition (includes internal documents)");
}

#[test]
fn an_edition_set_in_aims_toml_never_asks_git_for_versions() {
    // Outside git, [versions] warns that there is no history, unless the edition (which has
    // no versions) never asks.
    let (_t, root) = editions_with("audience = \"public\"\n");
    let mut toml = std::fs::read_to_string(root.join("aims.toml")).unwrap();
    toml.push_str("\n[versions]\ntags = \"aims-*\"\n");
    write(&root, "aims.toml", toml);
    let (_a, out, run) = build_for(&root, None);
    assert!(run.with_code("AIMS0401").is_empty(), "{}", run.stderr);
    assert_edition(&out, "public");
    assert!(!out.join("versions.json").exists());
    let (_b, _out, run) = build_for(&root, Some("confidential"));
    assert_eq!(run.with_code("AIMS0401").len(), 1, "{}", run.stderr);
}

#[test]
fn a_bad_audience_in_aims_toml_is_an_error_at_its_key() {
    let (_t, root) = editions_with("audience = \"everyone\"\n");
    let run = check(&root);
    run.expect_code(1);
    let d = run.only("AIMS0010");
    assert_eq!(d.severity, "error");
    assert!(d.message.contains("everyone"), "{}", d.message);
    assert_eq!(
        d.location,
        Some(location_of(&root, "aims.toml", "audience"))
    );
}
