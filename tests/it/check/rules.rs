//! The rules between documents: references to retired documents, `supersedes` (not retired,
//! cycles), duplicate titles and claims on controls the SoA excludes.

use super::*;

#[test]
fn references_retired_in_related_and_in_body_links() {
    let root = fixture("control-references-retired");
    let c = check_both(&root, &[]);
    let f = "procedures/risk.md";
    let want = |at: (usize, usize), retired: &'static str, suggestion: &'static str| Want {
        severity: "warning",
        code: "AIMS0505",
        name: "references-retired",
        file: f,
        at: Some(at),
        message: if retired == "POL-OLD-001" {
            "PRO-RISK-001 references POL-OLD-001, which is retired"
        } else {
            "PRO-RISK-001 references PRO-LEG-001, which is retired"
        },
        suggestion: Some(suggestion),
    };
    // Not findings: the successor's own link to what it supersedes, links from a retired
    // document, links to current documents and to headings of the same page.
    c.expect(
        0,
        &[
            want(
                pos(&root, f, "POL-OLD-001"),
                "POL-OLD-001",
                "refer to POL-NEW-001 instead",
            ),
            want(
                pos(&root, f, "[[POL-OLD-001]]"),
                "POL-OLD-001",
                "refer to POL-NEW-001 instead",
            ),
            want(
                pos(&root, f, "[the old policy]"),
                "POL-OLD-001",
                "refer to POL-NEW-001 instead",
            ),
            want(
                pos(&root, f, "[[PRO-LEG-001]]"),
                "PRO-LEG-001",
                "refer to the document that replaced it",
            ),
        ],
    );
    // The `related` item is on its own line, below the key.
    assert_eq!(c.json[0].line, Some(pos(&root, f, "related:").0 + 2));
}

#[test]
fn supersedes_not_retired() {
    let root = fixture("control-supersedes-not-retired");
    let c = check_both(&root, &[]);
    c.expect(
        1,
        &[
            Want {
                severity: "error",
                code: "AIMS0506",
                name: "supersedes-not-retired",
                file: "policies/new.md",
                at: Some(value_pos(&root, "policies/new.md", "supersedes")),
                message: "POL-NEW-001 supersedes POL-OLD-001, which is still `approved`",
                suggestion: Some("set `status: retired` in policies/old.md"),
            },
            Want {
                severity: "error",
                code: "AIMS0506",
                name: "supersedes-not-retired",
                file: "procedures/p2.md",
                at: Some(value_pos(&root, "procedures/p2.md", "supersedes")),
                message: "PRO-TWO-001 supersedes PRO-ONE-001, which is still `in-review`",
                suggestion: Some("set `status: retired` in procedures/p1.md"),
            },
        ],
    );
    assert_build_fails(&root, &[]);
}

#[test]
fn supersedes_cycle() {
    let root = fixture("control-supersedes-cycle");
    let c = check_both(&root, &[]);
    // A → B → C → A is a cycle; D supersedes A but is not on the cycle.
    let want = |file: &'static str, message: &'static str| Want {
        severity: "error",
        code: "AIMS0507",
        name: "supersedes-cycle",
        file,
        at: Some(value_pos(&root, file, "supersedes")),
        message,
        suggestion: Some("a document can only supersede older documents"),
    };
    c.expect(
        1,
        &[
            want(
                "policies/a.md",
                "`supersedes` of POL-A-001 leads back to POL-A-001 in a cycle",
            ),
            want(
                "policies/b.md",
                "`supersedes` of POL-B-001 leads back to POL-B-001 in a cycle",
            ),
            want(
                "policies/c.md",
                "`supersedes` of POL-C-001 leads back to POL-C-001 in a cycle",
            ),
        ],
    );
    assert_build_fails(&root, &[]);
}

#[test]
fn a_document_superseding_itself_is_a_cycle() {
    let (_tmp, root) = temp_copy(&fixture("control-supersedes-cycle"));
    for f in [
        "policies/a.md",
        "policies/b.md",
        "policies/c.md",
        "policies/d.md",
    ] {
        std::fs::remove_file(root.join(f)).unwrap();
    }
    write(
        &root,
        "policies/self.md",
        "---\nid: POL-SELF-001\ntitle: Self Policy\ntype: policy\nstatus: retired\nsupersedes: POL-SELF-001\n---\n\nBody.\n",
    );
    let c = check_both(&root, &[]);
    c.expect(
        1,
        &[Want {
            severity: "error",
            code: "AIMS0507",
            name: "supersedes-cycle",
            file: "policies/self.md",
            at: Some(value_pos(&root, "policies/self.md", "supersedes")),
            message: "`supersedes` of POL-SELF-001 leads back to POL-SELF-001 in a cycle",
            suggestion: Some("a document can only supersede older documents"),
        }],
    );
}

#[test]
fn duplicate_title() {
    let root = fixture("control-duplicate-title");
    let c = check_both(&root, &[]);
    let help = Some("give each document a title readers can tell apart");
    // Compared ignoring case; reported on every later document, naming the first.
    c.expect(
        0,
        &[
            Want {
                severity: "warning",
                code: "AIMS0508",
                name: "duplicate-title",
                file: "b/second.md",
                at: Some(value_pos(&root, "b/second.md", "title")),
                message: "DOC-B-001 has the same title as DOC-A-001 (\"ai policy\")",
                suggestion: help,
            },
            Want {
                severity: "warning",
                code: "AIMS0508",
                name: "duplicate-title",
                file: "c/third.md",
                at: Some(value_pos(&root, "c/third.md", "title")),
                message: "DOC-C-001 has the same title as DOC-A-001 (\"AI Policy\")",
                suggestion: help,
            },
        ],
    );
}

#[test]
fn claims_excluded_control() {
    let root = fixture("control-claims-excluded-control");
    let c = check_both(&root, &[]);
    // The retired record claiming A.4.5 is not a finding.
    c.expect(
        0,
        &[
            Want {
                severity: "warning",
                code: "AIMS0509",
                name: "claims-excluded-control",
                file: "policies/ai-policy.md",
                at: Some(pos(&root, "policies/ai-policy.md", "A.4.5")),
                message: "POL-AI-001 claims A.4.5, which soa.yaml excludes as not applicable",
                suggestion: Some("remove A.4.5 from `controls`, or make it applicable in soa.yaml"),
            },
            Want {
                severity: "warning",
                code: "AIMS0509",
                name: "claims-excluded-control",
                file: "procedures/draft.md",
                at: Some(pos(&root, "procedures/draft.md", "A.4.6")),
                message: "PRO-DRAFT-001 claims A.4.6, which soa.yaml excludes as not applicable",
                suggestion: Some("remove A.4.6 from `controls`, or make it applicable in soa.yaml"),
            },
        ],
    );
}
