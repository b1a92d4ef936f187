//! Frameworks beside ISO/IEC 42001 in the built site: a page per enabled framework and per
//! entry, what each document declares, `[[framework:id]]` links with backlinks, search, and
//! audience editions.

use std::path::PathBuf;

use crate::common::*;
use tempfile::TempDir;

const SOC2: &str = "framework:\n  id: soc2\n  name: SOC 2 Trust Services Criteria\n  version: \"2017\"\nentries:\n  - id: CC6\n    kind: category\n    parent: null\n    title: Logical and physical access\n  - id: CC6.1\n    kind: criterion\n    parent: CC6\n    title: Logical access security\n    summary: Restrict logical access to information assets.\n";

/// An AIMS enabling ISO 27001, the EU AI Act and a team's own SOC 2 catalog.
fn aims() -> (TempDir, PathBuf) {
    let (tmp, root) = temp_aims();
    write(
        &root,
        "aims.toml",
        "title = \"T\"\norganization = \"O\"\nframeworks = [\"iso27001\", \"eu-ai-act\", \"soc2\"]\n",
    );
    write(&root, "frameworks/soc2.yaml", SOC2);
    write(
        &root,
        "policies/infosec.md",
        "---\nid: POL-IS-1\ntitle: Information security policy\nclassification: public\nframeworks:\n  iso27001:\n    - id: A.5.1\n      note: this policy is the A.5.1 policy\n    - \"5.2\"\n  soc2: [CC6.1]\n---\n# Policy\n\nText.\n",
    );
    write(
        &root,
        "procedures/access.md",
        "---\nid: PRO-AC-1\ntitle: Access procedure\nclassification: public\n---\nImplements [[iso27001:A.5.1]] and serves [[eu-ai-act:Art. 9|the risk management article]].\n",
    );
    write(
        &root,
        "records/secret.md",
        "---\nid: REC-1\ntitle: Secret record\nclassification: confidential\nframeworks: {iso27001: [A.5.2]}\n---\nSee [[iso27001:A.5.2]].\n",
    );
    (tmp, root)
}

#[test]
fn framework_pages_list_declarations_references_and_link() {
    let (_tmp, root) = aims();
    let (_o, out) = built_edition(&root, None);

    let index = page(&out, "frameworks/iso27001/index.html");
    assert_eq!(texts(&index, "h1"), ["ISO/IEC 27001:2022"]);
    let rows = texts(&index, ".framework-index tbody tr");
    assert_eq!(rows.len(), 138);
    assert!(
        rows[0].starts_with("4 Context of the organization"),
        "{rows:?}"
    );
    let a51 = rows.iter().find(|r| r.starts_with("A.5.1 ")).unwrap();
    assert!(a51.ends_with("POL-IS-1"), "{a51}");

    let entry = page(&out, "frameworks/iso27001/A.5.1.html");
    let declared = texts(&entry, "#declared-by tbody tr");
    assert_eq!(declared.len(), 1);
    assert!(declared[0].contains("POL-IS-1 Information security policy"));
    assert!(declared[0].contains("this policy is the A.5.1 policy"));
    assert_eq!(
        texts(&entry, "#referenced-by li"),
        ["PRO-AC-1 Access procedure"]
    );
    assert!(texts(&entry, ".breadcrumbs")[0].contains("A.5 Organizational controls"));

    // The body links become links to the entries' pages, with their titles.
    let doc = page(&out, "documents/PRO-AC-1.html");
    let links: Vec<(String, String)> = doc
        .select(&sel(".doc-body a[href*=\"frameworks/\"]"))
        .map(|a| (text_of(a), a.value().attr("href").unwrap().to_string()))
        .collect();
    assert_eq!(
        links,
        [
            (
                "ISO/IEC 27001:2022 A.5.1 Policies for information security".to_string(),
                "../frameworks/iso27001/A.5.1.html".to_string()
            ),
            (
                "the risk management article".to_string(),
                "../frameworks/eu-ai-act/Art.-9.html".to_string()
            ),
        ]
    );
    let art9 = page(&out, "frameworks/eu-ai-act/Art.-9.html");
    assert_eq!(
        texts(&art9, "#referenced-by li"),
        ["PRO-AC-1 Access procedure"]
    );

    // A document page lists what it addresses in each framework, in aims.toml's order.
    let policy = page(&out, "documents/POL-IS-1.html");
    let headings = texts(&policy, ".framework-addresses h2");
    assert_eq!(
        headings,
        [
            "Addresses in ISO/IEC 27001:2022",
            "Addresses in SOC 2 Trust Services Criteria"
        ]
    );
    let items = texts(&policy, ".framework-addresses li");
    assert_eq!(
        items[0],
        "A.5.1 Policies for information security — this policy is the A.5.1 policy"
    );
    assert_eq!(items[1], "5.2 Policy");
    assert_eq!(items[2], "CC6.1 Logical access security");

    // A team's catalog gets the same pages; a framework not enabled gets none.
    let cc61 = page(&out, "frameworks/soc2/CC6.1.html");
    assert!(texts(&cc61, "#summary p")
        .iter()
        .any(|t| t.contains("Restrict logical access")));
    assert!(!out.join("frameworks/nist-ai-rmf").exists());
    assert!(texts(&page(&out, "index.html"), ".contents li")
        .iter()
        .any(|t| t.starts_with("Other frameworks: ISO/IEC 27001:2022")));

    // Search finds entries by id and title.
    let search = std::fs::read_to_string(out.join("search-index.js")).unwrap();
    assert!(search.contains("frameworks/iso27001/A.5.1.html"));
    assert!(search.contains("Policies for information security"));

    let report = assert_links_resolve(&out);
    assert!(report.checked > 500, "{report:?}");
}

#[test]
fn an_edition_leaves_withheld_documents_off_framework_pages() {
    let (_tmp, root) = aims();
    let (_o, full) = built_edition(&root, None);
    let a52 = page(&full, "frameworks/iso27001/A.5.2.html");
    assert_eq!(texts(&a52, "#declared-by tbody tr").len(), 1);
    assert_eq!(texts(&a52, "#referenced-by li"), ["REC-1 Secret record"]);

    let (_p, public) = built_edition(&root, Some("public"));
    let a52 = page(&public, "frameworks/iso27001/A.5.2.html");
    assert!(texts(&a52, "#declared-by tbody tr").is_empty());
    assert!(texts(&a52, "#referenced-by li").is_empty());
    let all = tree(&public);
    for (path, bytes) in &all {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("Secret record"),
            "{path} names the withheld record"
        );
    }
    assert_links_resolve(&public);
}

#[test]
fn the_sample_declares_iso27001_controls() {
    let (_o, out) = built_edition(&sample(), None);
    let policy = page(&out, "documents/POL-AI-001.html");
    assert_eq!(
        texts(&policy, ".framework-addresses h2"),
        ["Addresses in ISO/IEC 27001:2022"]
    );
    let a519 = page(&out, "frameworks/iso27001/A.5.19.html");
    assert!(texts(&a519, "#declared-by tbody tr")[0].starts_with("PRO-SUP-001 "));
}
