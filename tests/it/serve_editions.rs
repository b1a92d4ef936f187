//! `aimsdoc serve --audience`: the live preview of an edition is what `build --audience`
//! publishes, before and after edits (an edit of a withheld document changes the edition's
//! coverage, never its documents), and `audience` in aims.toml is its default.

use crate::common;
use crate::serve_support;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use serve_support::*;

/// Asserts that the server serves exactly the files of `build --audience AUDIENCE`.
fn assert_serves_the_build(server: &Server, root: &Path, audience: &str) {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    aimsdoc([
        "build".as_ref(),
        root.as_os_str(),
        "-o".as_ref(),
        site.as_os_str(),
        "--today".as_ref(),
        TODAY.as_ref(),
        "--audience".as_ref(),
        audience.as_ref(),
    ])
    .expect_code(0);
    let full: BTreeMap<String, Vec<u8>> = tree(&site);
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
        assert!(
            body == *bytes,
            "{path} differs from `aimsdoc build --audience {audience}`"
        );
        compared += 1;
    }
    assert!(compared > 90, "compared {compared} files");
}

#[test]
fn serve_audience_previews_the_edition_through_edits() {
    let (_tmp, root) = temp_copy(&fixture("editions"));
    let server = start_with(&root, &["--audience", "public"]);
    let rx = events(&server.addr);
    assert_serves_the_build(&server, &root, "public");
    for withheld in ["INT-PRO-001", "CONF-REC-001"] {
        let r = get(&server.addr, &format!("/documents/{withheld}.html"));
        assert_eq!(r.status, 404, "{withheld} is served");
    }
    let footer = get(&server.addr, "/index.html").text();
    assert!(footer.contains("public edition (public documents only)"));
    // An internal document starts to address A.7.2: the public page of A.7.2 changes (its
    // state and the count of unpublished documents), not what the edition publishes.
    let page = "controls/A.7.2.html";
    assert!(!get(&server.addr, &format!("/{page}"))
        .text()
        .contains("Addressed by"));
    let rel = "internal/draft.md";
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    std::fs::write(
        root.join(rel),
        text.replace("controls: [A.3.2]", "controls: [A.3.2, A.7.2]"),
    )
    .unwrap();
    wait_page_change(&rx, &server, page, "a withheld document's claim");
    let served = get(&server.addr, &format!("/{page}")).text();
    assert!(
        served.contains("Addressed by 1 document not published in this edition."),
        "{served}"
    );
    assert!(served.contains("state-draft"));
    // It also addresses A.2.2, already covered: only the count changes.
    let page = "controls/A.2.2.html";
    let before = get(&server.addr, &format!("/{page}")).text();
    assert!(
        before.contains("Addressed by 1 document not published"),
        "{before}"
    );
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    std::fs::write(
        root.join(rel),
        text.replace(
            "controls: [A.3.2, A.7.2]",
            "controls: [A.3.2, A.7.2, A.2.2]",
        ),
    )
    .unwrap();
    wait_page_change(&rx, &server, page, "a count of unpublished documents");
    let served = get(&server.addr, &format!("/{page}")).text();
    assert!(
        served.contains("Addressed by 2 documents not published"),
        "{served}"
    );
    assert!(served.contains("state-covered"));
    assert_serves_the_build(&server, &root, "public");
}

#[test]
fn serve_previews_the_edition_aims_toml_names_unless_told_otherwise() {
    let (_tmp, root) = temp_copy(&fixture("editions"));
    let toml = std::fs::read_to_string(root.join("aims.toml")).unwrap();
    write(
        &root,
        "aims.toml",
        format!("audience = \"internal\"\n{toml}"),
    );
    let internal = start(&root);
    let home = get(&internal.addr, "/index.html").text();
    assert!(
        home.contains("internal edition (includes internal documents)"),
        "{home}"
    );
    assert_eq!(
        get(&internal.addr, "/documents/CONF-REC-001.html").status,
        404
    );
    assert_eq!(
        get(&internal.addr, "/documents/INT-PRO-001.html").status,
        200
    );
    drop(internal);
    let complete = start_with(&root, &["--audience", "confidential"]);
    let home = get(&complete.addr, "/index.html").text();
    assert!(
        home.contains("complete edition (includes confidential documents)"),
        "{home}"
    );
    assert_eq!(
        get(&complete.addr, "/documents/CONF-REC-001.html").status,
        200
    );
}
