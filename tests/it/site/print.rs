//! The printed manual (`print.html`, which `build --pdf` prints): the parts it holds and that
//! they agree with the site, the version on its cover, its running header and footer (one
//! named page per document), the notices of documents, and the markup and styles that keep
//! ids and dates whole in tables. The PDF itself is checked in `pdf.rs` (it needs Chromium).

use super::*;

use serde_json::Value as Json;

fn coverage_json(out: &Path) -> Json {
    serde_json::from_slice(&std::fs::read(out.join("coverage.json")).unwrap()).unwrap()
}

/// (first cell, state) of every body row of the table in `part` of the print page.
fn state_rows(doc: &scraper::Html, table: &str) -> Vec<(String, String)> {
    doc.select(&sel(&format!("{table} tbody tr")))
        .map(|tr| {
            let first = tr
                .select(&sel("th"))
                .next()
                .map(text_of)
                .unwrap_or_default();
            let state = tr
                .select(&sel(".state"))
                .next()
                .map(text_of)
                .unwrap_or_default();
            (first, state)
        })
        .collect()
}

fn sample_print() -> (TempDir, PathBuf, String, scraper::Html) {
    let (tmp, out) = built(&sample());
    let text = std::fs::read_to_string(out.join("print.html")).unwrap();
    let doc = scraper::Html::parse_document(&text);
    (tmp, out, text, doc)
}

#[test]
fn print_holds_clause_coverage_required_documents_register_and_soa() {
    let (_t, out, _, doc) = sample_print();
    let parts: Vec<&str> = doc
        .select(&sel("section.print-part"))
        .filter_map(|s| s.value().attr("id"))
        .collect();
    assert_eq!(
        parts,
        ["coverage", "clauses", "required", "register", "soa"]
    );
    let toc = texts(&doc, "#toc > ol > li > a");
    assert_eq!(
        toc,
        [
            "Coverage at a glance",
            "Clause coverage",
            "Required documented information",
            "Document register",
            "Statement of Applicability"
        ]
    );

    // The clause coverage agrees with coverage.json: every clause, its state, its documents.
    let cov = coverage_json(&out);
    let expected: Vec<(String, String)> = cov["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["state"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(expected.len(), 43);
    assert_eq!(state_rows(&doc, "#clauses"), expected);
    for c in cov["clauses"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let row = doc
            .select(&sel(&format!(
                "#clauses tr[id=\"clause-{id}\"] td:last-child a"
            )))
            .map(text_of)
            .collect::<BTreeSet<_>>();
        let want: BTreeSet<String> = c["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap().to_string())
            .collect();
        assert_eq!(row, want, "documents of clause {id}");
    }

    // The required documented information agrees with required.html, row for row.
    let required = page(&out, "required.html");
    let web = state_rows(&required, ".required-table");
    assert!(web.len() > 15);
    assert_eq!(state_rows(&doc, "#required"), web);
    let titles = |d: &scraper::Html, t: &str| texts(d, &format!("{t} tbody td strong"));
    assert_eq!(
        titles(&doc, "#required"),
        titles(&required, ".required-table")
    );

    // The register lists every document, after the SoA's own row; the SoA every control.
    let docs = std::fs::read_dir(out.join("documents")).unwrap().count();
    assert_eq!(
        doc.select(&sel("#register tbody tr:not(.register-soa)"))
            .count(),
        docs
    );
    assert_eq!(texts(&doc, "#register tbody tr.register-soa th"), ["SoA"]);
    assert_eq!(state_rows(&doc, "#soa").len(), 38);
}

#[test]
fn print_cover_and_footer_name_the_working_copy_of_the_day() {
    let (_t, _, text, doc) = sample_print();
    let label = format!("working copy as of {TODAY}");
    assert_eq!(texts(&doc, ".cover-version"), std::slice::from_ref(&label));
    // Every page: the title top left, version and edition bottom left, page N of M.
    assert!(text.contains("@top-left { content: \"Northwind Analytics AI Management System\"; }"));
    assert!(text.contains(&format!(
        "@bottom-left {{ content: \"{label} \\b7  complete edition (includes confidential documents)\"; }}"
    )));
    assert!(text
        .contains("@bottom-right { content: \"Page \" counter(page) \" of \" counter(pages); }"));
}

#[test]
fn each_printed_document_is_a_named_page_whose_header_names_it() {
    let (_t, _, text, doc) = sample_print();
    let articles: Vec<(String, String)> = doc
        .select(&sel("article.print-doc"))
        .map(|a| {
            let id = a.value().attr("id").unwrap().trim_start_matches("doc-");
            let style = a.value().attr("style").unwrap_or_default();
            (id.to_string(), style.to_string())
        })
        .collect();
    assert_eq!(articles.len(), 27);
    for (n, (id, style)) in articles.iter().enumerate() {
        let name = format!("aims-doc-{n}");
        assert_eq!(style, &format!("page: {name}"), "{id}");
        let rule = text
            .lines()
            .find(|l| l.starts_with(&format!("@page {name} {{")))
            .unwrap_or_else(|| panic!("no @page rule for {id}"));
        assert!(
            rule.contains(&format!("@top-right {{ content: \"{id} \\b7  version ")),
            "{rule}"
        );
    }
    // Status and an overdue review are part of the header.
    let header_of = |id: &str| {
        let n = articles.iter().position(|(a, _)| a == id).unwrap();
        text.lines()
            .find(|l| l.starts_with(&format!("@page aims-doc-{n} {{")))
            .unwrap()
            .to_string()
    };
    assert!(header_of("STD-LOG-001").contains("version 0.3 \\b7  draft\""));
    assert!(header_of("PLN-COMM-001").contains("\\b7  in review\""));
    assert!(header_of("PRO-SUP-001").contains("\\b7  review overdue\""));
    assert!(header_of("POL-AI-001").ends_with("version 2.1\"; } }"));
}

#[test]
fn running_texts_cannot_break_out_of_the_style() {
    let (_t, root) = temp_copy(&fixture("minimal"));
    let toml = std::fs::read_to_string(root.join("aims.toml")).unwrap();
    let evil = "Evil \\\"; } </style><script>alert(1)</script>";
    let toml = toml
        .lines()
        .map(|l| {
            if l.starts_with("title") {
                format!("title = {}", toml_string(evil))
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    write(&root, "aims.toml", toml);
    let (_o, out) = built(&root);
    let text = std::fs::read_to_string(out.join("print.html")).unwrap();
    let open = "<style media=\"print\">";
    let style = &text[text.find(open).unwrap() + open.len()..];
    let style = &style[..style.find("</style>").unwrap()];
    assert!(
        !style.contains("<script") && !style.contains('<'),
        "{style}"
    );
    assert!(style.contains("@top-left { content: \"Evil \\5c \\22 \\3b  \\7d  \\3c \\2f style"));
    assert!(!text.contains("<script>alert"));
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

#[test]
fn printed_documents_carry_their_notices() {
    let (_t, _, _, doc) = sample_print();
    let notices = |id: &str| texts(&doc, &format!("article#doc-{id} .print-doc-header .notice"));
    assert_eq!(
        notices("POL-AUP-001"),
        ["This document is retired and superseded by GDL-USE-001 Responsible AI Use Guidelines. It counts for no coverage."]
    );
    let link = doc
        .select(&sel("article#doc-POL-AUP-001 .notice-retired a"))
        .next()
        .unwrap();
    assert_eq!(link.value().attr("href"), Some("#doc-GDL-USE-001"));
    assert_eq!(
        notices("STD-LOG-001"),
        ["This document is a draft: it is not in force yet."]
    );
    assert_eq!(
        notices("PLN-COMM-001"),
        ["This document is in review: it is not in force yet."]
    );
    assert_eq!(
        notices("PRO-SUP-001"),
        ["The review of this document was due on 2026-06-30 and is overdue."]
    );
    assert!(notices("POL-AI-001").is_empty());
}

#[test]
fn superseded_and_not_yet_effective_documents_say_so_in_print_and_on_their_page() {
    // Superseding a document that is not retired is an error, unless allowed.
    let (_src, root) = temp_copy(&fixture("control-supersedes-not-retired"));
    let mut toml = std::fs::read_to_string(root.join("aims.toml")).unwrap();
    toml.push_str("allow = [\"AIMS0506\"]\n");
    write(&root, "aims.toml", toml);
    let (_t, out) = built(&root);
    let print = page(&out, "print.html");
    assert_eq!(
        texts(&print, "article#doc-POL-OLD-001 .notice"),
        ["This document is superseded by POL-NEW-001 New AI Policy."]
    );
    assert_eq!(
        texts(
            &page(&out, "documents/POL-OLD-001.html"),
            ".doc-header .notice"
        ),
        ["This document is superseded by POL-NEW-001 New AI Policy."]
    );
    // A draft superseding an in-review document: both are not in force.
    assert_eq!(
        texts(
            &page(&out, "documents/PRO-ONE-001.html"),
            ".doc-header .notice"
        ),
        [
            "This document is superseded by PRO-TWO-001 Second Procedure.",
            "This document is in review: it is not in force yet."
        ]
    );
    assert_eq!(
        texts(
            &page(&out, "documents/PRO-TWO-001.html"),
            ".doc-header .notice"
        ),
        ["This document is a draft: it is not in force yet."]
    );

    let (_t2, out) = built(&fixture("coverage-states"));
    assert_eq!(
        texts(&page(&out, "print.html"), "article#doc-FUT-1 .notice"),
        ["This document takes effect on 2027-01-01: it is not in force yet."]
    );
}

#[test]
fn ids_and_dates_are_marked_to_stay_whole_and_the_styles_keep_them() {
    let (_t, out, _, doc) = sample_print();
    for (name, d) in [
        ("print.html", doc),
        ("register.html", page(&out, "register.html")),
    ] {
        let rows: Vec<_> = d.select(&sel(".register-table tbody tr")).collect();
        // The 27 documents and the SoA's own row.
        assert_eq!(rows.len(), 28, "{name}");
        for tr in rows {
            let id = tr.select(&sel("th.id-cell")).count();
            let dates: Vec<String> = tr.select(&sel(".date-cell")).map(text_of).collect();
            assert_eq!(id, 1, "{name}: the id cell");
            assert_eq!(dates.len(), 2, "{name}: approved and next review");
        }
    }
    let css = std::fs::read_to_string(out.join("static/style.css")).unwrap();
    for rule in [
        ".nowrap, .id-cell, .date-cell { white-space: nowrap; }",
        ".text-cell { overflow-wrap: anywhere; }",
        "size: A4;",
        ".matrix tbody th[scope=\"row\"] { position: sticky; left: 0;",
        ".soa-table td[data-label]::before { content: attr(data-label)",
    ] {
        assert!(css.contains(rule), "style.css lacks {rule}");
    }
    // Every SoA cell but the id and title is labelled for the phone layout.
    let soa = page(&out, "soa.html");
    let labels: BTreeSet<String> = soa
        .select(&sel(".soa-table tbody td[data-label]"))
        .filter_map(|td| td.value().attr("data-label").map(str::to_string))
        .collect();
    assert_eq!(
        labels,
        BTreeSet::from(
            [
                "Applicable",
                "Owner",
                "Justification",
                "Implementation",
                "State",
                "Documents"
            ]
            .map(String::from)
        )
    );
}

#[test]
fn a_public_print_shows_coverage_only_as_far_as_the_edition_discloses_it() {
    let edges = fixture("audience-edges");
    for (coverage, parts) in [
        (
            "counts",
            vec!["coverage", "clauses", "required", "register"],
        ),
        ("none", vec!["register"]),
    ] {
        let (_t, root) = temp_copy(&edges);
        let mut toml = std::fs::read_to_string(root.join("aims.toml")).unwrap();
        toml.push_str(&format!("\n[public]\ncoverage = \"{coverage}\"\n"));
        write(&root, "aims.toml", toml);
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        aimsdoc([
            "build".as_ref(),
            root.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
            "--today".as_ref(),
            TODAY.as_ref(),
            "--audience".as_ref(),
            "public".as_ref(),
        ])
        .expect_code(0);
        let doc = page(&out, "print.html");
        let got: Vec<&str> = doc
            .select(&sel("section.print-part"))
            .filter_map(|s| s.value().attr("id"))
            .collect();
        assert_eq!(got, parts, "coverage = {coverage}");
        if coverage == "none" {
            assert_eq!(doc.select(&sel(".state")).count(), 0);
            assert_eq!(doc.select(&sel(".cov-picture, .cov-svg")).count(), 0);
        }
    }
}
