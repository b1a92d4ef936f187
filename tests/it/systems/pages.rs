//! The systems pages: the inventory, a page per system, what document, clause and control
//! pages and the matrices say of systems, search, navigation, links; an audience's edition.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use crate::common::*;

fn built(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let root = fixture("systems");
    let mut a: Vec<&OsStr> = vec![
        OsStr::new("build"),
        root.as_os_str(),
        OsStr::new("-o"),
        out.as_os_str(),
        OsStr::new("--today"),
        OsStr::new(TODAY),
    ];
    a.extend(args.iter().map(OsStr::new));
    aimsdoc(a).expect_code(0);
    (tmp, out)
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn row_texts(out: &Path, rel: &str, selector: &str) -> Vec<String> {
    texts(&page(out, rel), selector)
        .iter()
        .map(|t| squash(t))
        .collect()
}

/// Each table row matching `selector`, its cells joined with ` | `.
fn rows(out: &Path, rel: &str, selector: &str) -> Vec<String> {
    page(out, rel)
        .select(&sel(selector))
        .map(|tr| {
            let cells: Vec<String> = texts_in(&tr, "th, td").iter().map(|c| squash(c)).collect();
            cells.join(" | ")
        })
        .collect()
}

#[test]
fn the_inventory_lists_every_system_with_its_evidence() {
    let (_t, out) = built(&[]);
    let rows = rows(&out, "systems/index.html", ".systems-table tbody tr");
    assert_eq!(rows.len(), 5, "{rows:?}");
    assert!(rows[0].starts_with("AIS-01 Credit decision model | provider, developer | high-risk | operation-and-monitoring | Head of Credit Risk | yes | 4 of 4 met"), "{}", rows[0]);
    assert!(
        rows[1].contains("general-purpose") && rows[1].contains("| 1 of 2 met"),
        "{}",
        rows[1]
    );
    assert!(
        rows[3].ends_with("| retired | none expected"),
        "{}",
        rows[3]
    );
    assert!(rows[4].ends_with("| no | none expected"), "{}", rows[4]);
    // The picture: a labelled cell per system and expectation, with its state in words.
    let index = page(&out, "systems/index.html");
    let labels: Vec<String> = index
        .select(&sel("svg g[role=img]"))
        .filter_map(|g| g.value().attr("aria-label").map(String::from))
        .collect();
    assert_eq!(labels.len(), 3 * 5, "{labels:?}");
    assert!(
        labels.contains(&"AIS-02: AI system impact assessment unapproved".to_string()),
        "{labels:?}"
    );
    assert!(labels
        .contains(&"AIS-03: Technical documentation (AI Act Art. 11) does not apply".to_string()));
    // The navigation leads there.
    let nav = texts(&page(&out, "index.html"), "a");
    assert!(nav.iter().any(|t| t == "AI systems"), "{nav:?}");
    assert_links_resolve(&out);
}

#[test]
fn a_system_page_has_its_data_records_controls_and_backlinks() {
    let (_t, out) = built(&[]);
    let p = "systems/AIS-02.html";
    let evidence = rows(&out, p, "#evidence tbody tr");
    assert_eq!(
        evidence,
        [
            "AI risk assessment | 8.2, 6.1.2 | met | REC-RA-02 Record REC-RA-02 approved",
            "AI system impact assessment | 8.4, 6.1.4, A.5.3, A.5.4, A.5.5 | unapproved | REC-IA-02 Record REC-IA-02 draft",
        ]
    );
    let meta = row_texts(&out, p, ".meta-panel dd");
    assert!(meta.contains(&"LLM Vendor Inc".to_string()), "{meta:?}");
    assert!(
        meta.contains(&"limited (general-purpose)".to_string()),
        "{meta:?}"
    );
    let applies = row_texts(&out, p, "#applies li");
    assert!(
        applies
            .iter()
            .any(|a| a.starts_with("8.2 AI risk assessment partial")),
        "{applies:?}"
    );
    assert_eq!(row_texts(&out, p, "#referenced-by li"), ["POL-1 AI policy"]);
    let named = row_texts(&out, "systems/AIS-01.html", "#documents li");
    assert_eq!(named.len(), 4, "{named:?}");
    // Out of scope: nothing expected.
    let five = squash(&texts(&page(&out, "systems/AIS-05.html"), "#evidence p").join(" "));
    assert_eq!(
        five,
        "The system is outside the scope of the AIMS: no records are expected of it."
    );
}

#[test]
fn documents_clauses_and_matrices_say_which_systems() {
    let (_t, out) = built(&[]);
    assert_eq!(
        row_texts(&out, "documents/POL-1.html", ".systems-named li"),
        ["AIS-01 Credit decision model"]
    );
    let body = texts(
        &page(&out, "documents/POL-1.html"),
        ".doc-body a.xref-system",
    );
    assert_eq!(body, ["Support chatbot"]);
    assert_eq!(
        row_texts(&out, "clauses/8.2.html", ".entry-systems"),
        ["Per AI system: 2 of 3 systems have a current record; lacking: AIS-03 Code assistant."]
    );
    let coverage = page(&out, "coverage.html");
    let row = coverage
        .select(&sel("table.matrix tr"))
        .find(|r| texts_in(r, "th.id-cell").first().map(String::as_str) == Some("8.2"))
        .expect("a matrix row for 8.2");
    assert_eq!(texts_in(&row, ".systems-count"), ["2 of 3 systems"]);
    // Search finds a system by id and by name.
    let index = std::fs::read_to_string(out.join("search-index.js")).unwrap();
    assert!(
        index.contains("\"systems/AIS-02.html\",\"system\",\"AIS-02\",\"Support chatbot\""),
        "search index lacks AIS-02"
    );
}

#[test]
fn a_public_edition_counts_the_records_it_withholds() {
    let (_t, out) = built(&["--audience", "public"]);
    let evidence = rows(&out, "systems/AIS-02.html", "#evidence tbody tr");
    assert_eq!(
        evidence[0],
        "AI risk assessment | 8.2, 6.1.2 | met | 1 record not published in this edition"
    );
    for (rel, html) in html_pages(&out) {
        let text = html.root_element().html();
        assert!(!text.contains("REC-RA-02"), "{rel} names a withheld record");
        assert!(!text.contains("REC-TD-01"), "{rel} names a withheld record");
    }
    assert_links_resolve(&out);
}

#[test]
fn without_an_inventory_there_are_no_systems_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&fixture("minimal"), &out).expect_code(0);
    assert!(!out.join("systems").exists());
    let nav = texts(&page(&out, "index.html"), "a");
    assert!(!nav.iter().any(|t| t == "AI systems"), "{nav:?}");
    if let Ok(json) = std::fs::read(out.join("coverage.json")) {
        let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert!(v.get("systems").is_none());
    }
}
