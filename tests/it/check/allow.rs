//! `allow` in front matter (one document) and in aims.toml (the whole AIMS), and unknown
//! codes in either.

use super::*;

#[test]
fn unknown_allow_in_front_matter() {
    let root = fixture("control-unknown-allow");
    let c = check_both(&root, &[]);
    let d: Vec<&J> = c
        .json
        .iter()
        .filter(|d| d.file == "policies/ai-policy.md")
        .collect();
    assert_eq!(d.len(), 1, "{:?}", c.json);
    let d = d[0];
    assert_eq!(
        (d.severity.as_str(), d.code.as_str(), d.name.as_str()),
        ("warning", "AIMS0510", "unknown-allow")
    );
    assert_eq!(
        d.message,
        "`allow` names `duplicate-titel`, which is not a diagnostic code"
    );
    let (l, col) = value_pos(&root, "policies/ai-policy.md", "allow");
    assert_eq!((d.line, d.column), (Some(l), Some(col)));
    let s = d.suggestion.as_deref().unwrap_or("");
    assert!(
        s.starts_with("did you mean duplicate-title"),
        "suggestion: {s}"
    );
    // The valid entries (`AIMS0508`, inline and as a block list) silence the duplicate title.
    assert!(c.json.iter().all(|d| d.code != "AIMS0508"), "{:?}", c.json);
    // Warnings only.
    assert_eq!(c.code, 0);
}

#[test]
fn unknown_allow_in_aims_toml_points_at_the_allow_line() {
    let root = fixture("control-unknown-allow");
    let c = check_both(&root, &[]);
    let d: Vec<&J> = c.json.iter().filter(|d| d.file == "aims.toml").collect();
    assert_eq!(d.len(), 1, "{:?}", c.json);
    let d = d[0];
    assert_eq!(
        (d.severity.as_str(), d.code.as_str()),
        ("warning", "AIMS0510")
    );
    assert_eq!(
        d.message,
        "`allow` names `review-overdu`, which is not a diagnostic code"
    );
    assert_eq!(
        d.suggestion.as_deref(),
        Some("did you mean review-overdue?")
    );
    // Like every other finding about a key that is present in aims.toml (unknown keys,
    // a bad review_interval), it is placed at the key.
    let (l, col) = pos(&root, "aims.toml", "allow");
    assert_eq!(
        (d.line, d.column),
        (Some(l), Some(col)),
        "the unknown `allow` entry of aims.toml has no position: {d:?}"
    );
}

#[test]
fn allow_in_front_matter_silences_only_that_document() {
    let root = fixture("allow-per-document");
    let c = check_both(&root, &[]);
    // DOC-B (allow: [duplicate-title]) and DOC-E (allow: [AIMS0508]) are silenced; the
    // same allow on DOC-A, the first of its title, silences nothing elsewhere; DOC-F allows
    // review-overdue (silenced) but not its duplicate title.
    assert_eq!(
        codes_and_files(&c),
        pairs(&[
            ("AIMS0508", "c/third.md"),
            ("AIMS0504", "c/third.md"),
            ("AIMS0508", "f/sixth.md"),
        ]),
        "{}",
        c.human.stderr
    );
    assert_eq!(
        c.json[0].message,
        "DOC-C-001 has the same title as DOC-A-001 (\"Shared Title\")"
    );
    assert_eq!(
        c.json[2].message,
        "DOC-F-001 has the same title as DOC-D-001 (\"Other Title\")"
    );
    assert_eq!(c.code, 0);
}

fn with_global_allow(allow: &str) -> (tempfile::TempDir, PathBuf) {
    let (tmp, root) = temp_copy(&fixture("allow-per-document"));
    let mut toml = std::fs::read_to_string(root.join("aims.toml")).unwrap();
    toml.push_str(&format!("allow = {allow}\n"));
    write(&root, "aims.toml", toml);
    (tmp, root)
}

#[test]
fn allow_in_aims_toml_silences_the_whole_aims() {
    let (_tmp, root) = with_global_allow("[\"review-overdue\"]");
    let c = check_both(&root, &[]);
    assert_eq!(
        codes_and_files(&c),
        pairs(&[("AIMS0508", "c/third.md"), ("AIMS0508", "f/sixth.md")])
    );
    // Allowed findings stay silent under --strict and --deny warnings would still see the
    // others.
    let c = check_both(&root, &["--strict"]);
    assert_eq!(c.code, 0, "{}", c.human.stderr);
    assert_eq!(c.json.len(), 2);
    let c = check_both(&root, &["--deny", "warnings"]);
    assert_eq!(c.code, 1);

    let (_tmp2, root) = with_global_allow("[\"AIMS0508\", \"AIMS0504\"]");
    let c = check_both(&root, &["--strict", "--deny", "warnings"]);
    c.expect(0, &[]);
}
