//! The coverage pages of the frameworks enabled beside ISO/IEC 42001: each framework's
//! summary by standing (direct state, via an inferred mapping with its confidence, none) and
//! picture, its matrix and gaps pages, and the crosswalk page — checked against what the
//! test recomputes from front matter, catalogs and crosswalks (the fixture of
//! `crosswalks.rs`), and in an audience edition.

use std::path::Path;

use serde_json::Value;

use crate::common::*;
use crate::crosswalks::{aims, expected_frameworks, iso_state, s, yaml, SOC2, SOC2_CROSSWALK};

/// The fixture's frameworks in `aims.toml` order: id, catalog and crosswalk text.
fn sources() -> Vec<(String, String, String)> {
    let read = |p: &str| std::fs::read_to_string(repo().join(p)).unwrap();
    vec![
        (
            "iso27001".into(),
            read("catalogs/frameworks/iso27001.yaml"),
            read("catalogs/iso42001/crosswalks/iso27001.yaml"),
        ),
        ("soc2".into(), SOC2.into(), SOC2_CROSSWALK.into()),
    ]
}

/// The rows of a crosswalk: ISO/IEC 42001 id, targets, confidence (the row's, else the
/// file's), in file order.
fn crosswalk_rows(text: &str) -> Vec<(String, Vec<String>, String)> {
    let c = yaml(text);
    let default = s(&c["confidence"]);
    c["mappings"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|m| {
            (
                s(&m["iso"]),
                m["targets"].as_sequence().unwrap().iter().map(s).collect(),
                m.get("confidence").map(s).unwrap_or(default.clone()),
            )
        })
        .collect()
}

fn iso_catalog() -> serde_yaml::Value {
    yaml(&std::fs::read_to_string(repo().join("catalogs/iso42001/catalog.yaml")).unwrap())
}

/// An entry's standing as the pages name it: its direct state, `via` when only a mapping
/// infers something, `none` when nothing addresses it.
fn standing(e: &Value) -> String {
    match (e["state"].as_str().unwrap(), &e["inferred"]) {
        ("gap", Value::Null) => "none".into(),
        ("gap", _) => "via".into(),
        (s, _) => s.into(),
    }
}

/// The confidence of what a mapping infers for entry `id`: the first mapping whose
/// ISO/IEC 42001 entry has the inferred state.
fn inferred_confidence(crosswalk: &str, e: &Value) -> String {
    let inferred = e["inferred"].as_str().unwrap();
    let id = e["id"].as_str().unwrap();
    let iso = iso_catalog();
    crosswalk_rows(crosswalk)
        .into_iter()
        .find(|(i, t, _)| t.iter().any(|t| t == id) && iso_state(&iso, i) == inferred)
        .map(|(_, _, c)| c)
        .unwrap()
}

fn hrefs(doc: &scraper::Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect()
}

fn hrefs_in(el: &scraper::ElementRef<'_>, selector: &str) -> Vec<String> {
    el.select(&sel(selector))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect()
}

#[test]
fn each_framework_index_counts_its_entries_by_standing_with_a_picture() {
    let (_tmp, root) = aims();
    let (_o, out) = built_edition(&root, None);
    let expected = expected_frameworks();
    for ((id, _, crosswalk), fw) in sources().iter().zip(expected.as_array().unwrap()) {
        let entries = fw["entries"].as_array().unwrap();
        let index = page(&out, &format!("frameworks/{id}/index.html"));
        let counts = texts(&index, ".framework-standings .standing-count");
        let want: Vec<String> = ["covered", "partial", "overdue", "draft", "via", "none"]
            .iter()
            .map(|st| {
                entries
                    .iter()
                    .filter(|e| standing(e) == *st)
                    .count()
                    .to_string()
            })
            .collect();
        assert_eq!(counts, want, "{id}");
        // The via line counts the entries per confidence of what the mapping infers.
        let mut by_confidence: std::collections::BTreeMap<String, usize> = Default::default();
        for e in entries.iter().filter(|e| standing(e) == "via") {
            *by_confidence
                .entry(inferred_confidence(crosswalk, e))
                .or_default() += 1;
        }
        let via_line = texts(&index, ".framework-standings .standing-via")
            .pop()
            .unwrap();
        let parts: Vec<String> = by_confidence
            .iter()
            .map(|(c, n)| format!("{n} {c}"))
            .collect();
        assert!(
            via_line.ends_with(&format!("confidence: {}", parts.join(", "))),
            "{id}: {via_line}"
        );

        // The picture: one labelled link per entry, its name starting with id and standing.
        let cells: Vec<(String, String)> = index
            .select(&sel("#coverage-standings svg a"))
            .map(|a| {
                (
                    a.value().attr("href").unwrap().to_string(),
                    a.value().attr("aria-label").unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(cells.len(), entries.len(), "{id}");
        for e in entries {
            let eid = e["id"].as_str().unwrap();
            let label = format!("{eid} {}", standing(e));
            assert!(
                cells
                    .iter()
                    .any(|(_, l)| l.starts_with(&format!("{label}:"))
                        || (standing(e) == "via"
                            && l.starts_with(&format!("{eid} via mapping (inferred")))),
                "{id}: no cell labelled {label}"
            );
        }
        let legend = texts(&index, "#coverage-standings .cov-legend li");
        assert!(legend.iter().any(|l| l.contains("via (")), "{legend:?}");

        // The index links to the framework's coverage pages, which exist.
        let links = hrefs(&index, ".framework-pages a");
        assert_eq!(
            links,
            [
                format!("../../frameworks/{id}/matrix.html"),
                format!("../../frameworks/{id}/gaps.html"),
                "../../crosswalk.html".to_string()
            ],
            "{id}"
        );
    }

    let cc61 = page(&out, "frameworks/soc2/index.html");
    let cell = cc61
        .select(&sel(
            "#coverage-standings svg a[href=\"../../frameworks/soc2/CC6.1.html\"]",
        ))
        .next()
        .unwrap();
    assert_eq!(
        cell.value().attr("aria-label").unwrap(),
        "CC6.1 via mapping (inferred covered, confidence high): Logical access security"
    );
}

#[test]
fn the_matrix_shows_entries_by_declaring_document_and_the_via_column() {
    let (_tmp, root) = aims();
    let (_o, out) = built_edition(&root, None);
    let expected = expected_frameworks();
    let iso = iso_catalog();
    for ((id, _, _), fw) in sources().iter().zip(expected.as_array().unwrap()) {
        let entries = fw["entries"].as_array().unwrap();
        let m = page(&out, &format!("frameworks/{id}/matrix.html"));
        // Columns: the documents declaring any entry, by id.
        let mut docs: Vec<String> = entries
            .iter()
            .flat_map(|e| e["documents"].as_array().unwrap().clone())
            .map(|d| d.as_str().unwrap().to_string())
            .collect();
        docs.sort();
        docs.dedup();
        assert_eq!(texts(&m, "thead .col-doc"), docs, "{id}");
        let rows: Vec<_> = m.select(&sel("tbody tr")).collect();
        assert_eq!(rows.len(), entries.len(), "{id}");
        for (row, e) in rows.iter().zip(entries) {
            assert_eq!(texts_in(row, "th")[0], e["id"].as_str().unwrap());
            assert_eq!(texts_in(row, ".standing .state")[0], standing(e));
            let marks: Vec<bool> = row
                .select(&sel("td.cell"))
                .map(|c| !text_of(c).is_empty())
                .collect();
            let want: Vec<bool> = docs
                .iter()
                .map(|d| e["documents"].as_array().unwrap().iter().any(|x| x == d))
                .collect();
            assert_eq!(marks, want, "{id} {}", e["id"]);
            let via = texts_in(row, ".via-cell").pop().unwrap_or_default();
            if standing(e) == "via" {
                let parts: Vec<String> = e["via"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| {
                        let v = v.as_str().unwrap();
                        format!("{v} ({})", iso_state(&iso, v))
                    })
                    .collect();
                assert!(via.starts_with(&parts.join(", ")), "{id}: {via}");
            } else {
                assert_eq!(via, "", "{id} {}", e["id"]);
            }
        }
    }
    let soc2 = page(&out, "frameworks/soc2/matrix.html");
    let cc62 = soc2.select(&sel("tbody tr")).nth(2).unwrap();
    assert_eq!(
        texts_in(&cc62, "td.cell"),
        ["○addressed, not in force (draft)"]
    );
    let cc61 = soc2.select(&sel("tbody tr")).nth(1).unwrap();
    assert_eq!(
        texts_in(&cc61, ".via-cell"),
        ["A.6.2.4 (covered), 7.5.1 (draft); confidence high"]
    );
    assert_eq!(
        hrefs(&soc2, "thead .col-doc a"),
        ["../../documents/PRO-1.html"]
    );
}

#[test]
fn the_gaps_list_names_what_a_mapping_infers_and_from_what() {
    let (_tmp, root) = aims();
    let (_o, out) = built_edition(&root, None);
    let expected = expected_frameworks();
    let iso = iso_catalog();
    for ((id, _, crosswalk), fw) in sources().iter().zip(expected.as_array().unwrap()) {
        let gaps: Vec<&Value> = fw["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["state"] == "gap")
            .collect();
        let p = page(&out, &format!("frameworks/{id}/gaps.html"));
        let rows: Vec<_> = p.select(&sel(".framework-gaps tbody tr")).collect();
        assert_eq!(rows.len(), gaps.len(), "{id}");
        for (row, e) in rows.iter().zip(&gaps) {
            let eid = e["id"].as_str().unwrap();
            assert!(texts_in(row, "th")[0].starts_with(&format!("{eid} ")));
            let text = texts_in(row, "td").pop().unwrap();
            let via: Vec<&str> = e["via"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            if via.is_empty() {
                assert_eq!(text, "nothing: no mapping from ISO/IEC 42001", "{id} {eid}");
                continue;
            }
            match e["inferred"].as_str() {
                Some(inferred) => assert!(
                    text.starts_with(&format!(
                        "inferred {inferred} (confidence {})",
                        inferred_confidence(crosswalk, e)
                    )),
                    "{id} {eid}: {text}"
                ),
                None => assert!(text.starts_with("nothing: the mapped entries"), "{text}"),
            }
            let rows = crosswalk_rows(crosswalk);
            for v in &via {
                let confidence = &rows
                    .iter()
                    .find(|(i, t, _)| i == v && t.iter().any(|t| t == eid))
                    .unwrap()
                    .2;
                let part = format!("{v} {} (confidence {confidence})", iso_state(&iso, v));
                assert!(text.contains(&part), "{id} {eid}: {text} lacks {part}");
            }
            let links = hrefs_in(row, "td a");
            assert_eq!(links.len(), via.len(), "{id} {eid}");
        }
    }
    let soc2 = page(&out, "frameworks/soc2/gaps.html");
    assert_eq!(
        texts(&soc2, ".framework-gaps td"),
        [
            "nothing: no mapping from ISO/IEC 42001",
            "inferred covered (confidence high) — via A.6.2.4 covered (confidence high), 7.5.1 draft (confidence low)"
        ]
    );
    assert_eq!(
        hrefs(&soc2, ".framework-gaps td a"),
        ["../../controls/A.6.2.4.html", "../../clauses/7.5.1.html"]
    );
}

#[test]
fn the_crosswalk_page_lists_every_clause_and_control_with_its_mapped_entries() {
    let (_tmp, root) = aims();
    let (_o, out) = built_edition(&root, None);
    let expected = expected_frameworks();
    let iso = iso_catalog();
    let p = page(&out, "crosswalk.html");
    let names: Vec<String> = sources()
        .iter()
        .map(|(_, c, _)| s(&yaml(c)["framework"]["name"]))
        .collect();
    assert_eq!(texts(&p, "thead .crosswalk-fw"), names);
    let ids: Vec<String> = iso["entries"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter(|e| matches!(e["kind"].as_str(), Some("clause" | "control")))
        .map(|e| s(&e["id"]))
        .collect();
    let rows: Vec<_> = p.select(&sel(".crosswalk-table tbody tr")).collect();
    assert_eq!(rows.len(), ids.len());
    for (row, iso_id) in rows.iter().zip(&ids) {
        let head = texts_in(row, "th").pop().unwrap();
        assert!(head.starts_with(&format!("{iso_id} ")), "{head}");
        assert_eq!(
            texts_in(row, "td .state")[0],
            iso_state(&iso, iso_id),
            "{iso_id}"
        );
        let cells: Vec<_> = row.select(&sel("td")).skip(1).collect();
        assert_eq!(cells.len(), names.len());
        for (((fw_id, _, crosswalk), fw), cell) in sources()
            .iter()
            .zip(expected.as_array().unwrap())
            .zip(&cells)
        {
            let want: Vec<String> = crosswalk_rows(crosswalk)
                .into_iter()
                .filter(|(i, _, _)| i == iso_id)
                .flat_map(|(_, targets, c)| {
                    let fw = fw.clone();
                    targets.into_iter().map(move |t| {
                        let e = fw["entries"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .find(|e| e["id"] == t.as_str())
                            .unwrap()
                            .clone();
                        format!("{t} {} (confidence {c})", standing(&e))
                    })
                })
                .collect();
            let got = texts_in(cell, "li");
            assert_eq!(got, want, "{iso_id} → {fw_id}");
            if want.is_empty() {
                assert_eq!(text_of(*cell), "—");
            }
            for href in hrefs_in(cell, "a") {
                let path = href.strip_prefix("frameworks/").unwrap_or(&href);
                assert!(path.starts_with(&format!("{fw_id}/")), "{href}");
                assert!(out.join(&href).is_file(), "{href}");
            }
        }
    }
    let a624 = p
        .select(&sel("tr[id=\"iso-A.6.2.4\"]"))
        .next()
        .expect("a row for A.6.2.4");
    assert!(texts_in(&a624, "td li")
        .iter()
        .any(|t| t == "CC6.1 via (confidence high)"));
    // Search finds it by name.
    let search = std::fs::read_to_string(out.join("search-index.js")).unwrap();
    assert!(
        search.contains("\"crosswalk.html\""),
        "crosswalk page not in the search index"
    );
    // The home page links to it.
    let home = page(&out, "index.html");
    assert!(hrefs(&home, ".contents li a").contains(&"crosswalk.html".to_string()));
    assert_links_resolve(&out);
}

/// The fixture of an edition: a public policy and an internal procedure, both declaring
/// SOC 2 entries.
fn edition_aims(public: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, root) = temp_aims();
    write(
        &root,
        "aims.toml",
        format!("title = \"T\"\norganization = \"O\"\nframeworks = [\"soc2\"]\n{public}"),
    );
    write(&root, "frameworks/soc2.yaml", SOC2);
    write(&root, "crosswalks/soc2.yaml", SOC2_CROSSWALK);
    let doc = |id: &str, title: &str, class: &str, controls: &str, soc2: &str| {
        format!(
            "---\nid: {id}\ntitle: {title}\ntype: policy\nowner: CISO\nstatus: approved\nversion: \"1\"\napprover: Board\napproved: 2026-01-01\nreview: 2027-06-01\nclassification: {class}\ncontrols: [{controls}]\nframeworks:\n  soc2: [{soc2}]\n---\n# Text\n\nBody.\n"
        )
    };
    write(
        &root,
        "docs/POL-1.md",
        doc("POL-1", "Open access policy", "public", "A.2.2", "CC6.2"),
    );
    write(
        &root,
        "docs/SEC-9.md",
        doc(
            "SEC-9",
            "Vault keeper procedure",
            "internal",
            "A.6.2.4",
            "CC6.1, CC6.2",
        ),
    );
    (tmp, root)
}

fn page_text(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap()
}

#[test]
fn an_audience_edition_counts_withheld_documents_but_never_names_them() {
    let (_t, root) = edition_aims("\n[public]\ncoverage = \"full\"\n");
    let (_c, complete) = built_edition(&root, Some("confidential"));
    let (_p, public) = built_edition(&root, Some("public"));
    let new_pages = [
        "frameworks/soc2/index.html",
        "frameworks/soc2/matrix.html",
        "frameworks/soc2/gaps.html",
        "crosswalk.html",
    ];
    for rel in new_pages {
        let text = page_text(&public, rel);
        for secret in ["SEC-9", "Vault keeper procedure"] {
            assert!(!text.contains(secret), "{rel} names {secret}");
        }
    }
    // States are the whole AIMS's in both editions.
    for rel in ["frameworks/soc2/index.html", "crosswalk.html"] {
        let states = |out: &Path| {
            let p = page(out, rel);
            (
                texts(&p, ".framework-standings .standing-count"),
                texts(&p, ".crosswalk-table .state"),
            )
        };
        assert_eq!(states(&public), states(&complete), "{rel}");
    }
    let counts = texts(
        &page(&public, "frameworks/soc2/index.html"),
        ".framework-standings .standing-count",
    );
    // CC6.1 and CC6.2 covered (one of them only by the withheld procedure), CC6 none.
    assert_eq!(counts, ["2", "0", "0", "0", "0", "1"]);
    // The matrix names only the published document, and counts the withheld one.
    let m = page(&public, "frameworks/soc2/matrix.html");
    assert_eq!(texts(&m, "thead .col-doc"), ["POL-1"]);
    let cc61 = m.select(&sel("tbody tr")).nth(1).unwrap();
    assert_eq!(texts_in(&cc61, ".standing"), ["covered +1 not published"]);
    let full = page(&complete, "frameworks/soc2/matrix.html");
    assert_eq!(texts(&full, "thead .col-doc"), ["POL-1", "SEC-9"]);
    assert_links_resolve(&public);
}

#[test]
fn an_edition_shows_the_new_pages_its_disclosure_allows() {
    // Counts (the default of a public edition): no matrix; gaps and crosswalk.
    let (_t, root) = edition_aims("");
    let (_o, out) = built_edition(&root, Some("public"));
    assert!(!out.join("frameworks/soc2/matrix.html").exists());
    assert!(out.join("frameworks/soc2/gaps.html").is_file());
    assert!(out.join("crosswalk.html").is_file());
    let index = page(&out, "frameworks/soc2/index.html");
    assert_eq!(
        hrefs(&index, ".framework-pages a"),
        ["../../frameworks/soc2/gaps.html", "../../crosswalk.html"]
    );
    assert_links_resolve(&out);

    // None: no states, no picture, no gaps or crosswalk page.
    let (_t, root) = edition_aims("\n[public]\ncoverage = \"none\"\n");
    let (_o, out) = built_edition(&root, Some("public"));
    for rel in [
        "frameworks/soc2/matrix.html",
        "frameworks/soc2/gaps.html",
        "crosswalk.html",
    ] {
        assert!(!out.join(rel).exists(), "{rel}");
    }
    let index = page(&out, "frameworks/soc2/index.html");
    assert!(texts(&index, ".framework-standings li").is_empty());
    assert!(index.select(&sel("svg")).next().is_none());
    assert!(index.select(&sel(".framework-pages")).next().is_none());
    assert_links_resolve(&out);
}

#[test]
fn no_crosswalk_page_without_a_crosswalk() {
    let (_t, root) = temp_aims();
    write(
        &root,
        "aims.toml",
        "title = \"T\"\norganization = \"O\"\nframeworks = [\"soc2\"]\n",
    );
    write(&root, "frameworks/soc2.yaml", SOC2);
    let (_o, out) = built_edition(&root, None);
    assert!(!out.join("crosswalk.html").exists());
    assert!(out.join("frameworks/soc2/gaps.html").is_file());
    let home = page(&out, "index.html");
    assert!(!hrefs(&home, "a").iter().any(|h| h.contains("crosswalk")));
    let index = page(&out, "frameworks/soc2/index.html");
    assert_eq!(
        hrefs(&index, ".framework-pages a"),
        [
            "../../frameworks/soc2/matrix.html",
            "../../frameworks/soc2/gaps.html"
        ]
    );
}

#[test]
fn entries_named_like_the_framework_pages_get_their_own_files() {
    let (_t, root) = temp_aims();
    write(
        &root,
        "aims.toml",
        "title = \"T\"\norganization = \"O\"\nframeworks = [\"own\"]\n",
    );
    write(
        &root,
        "frameworks/own.yaml",
        "framework: {id: own, name: Own}\nentries:\n  - {id: index, title: The index entry}\n  - {id: matrix, title: The matrix entry}\n  - {id: Gaps, title: The gaps entry}\n",
    );
    let (_o, out) = built_edition(&root, None);
    let index = page(&out, "frameworks/own/index.html");
    let entry_links = hrefs(&index, ".framework-index tbody a");
    assert_eq!(entry_links.len(), 3);
    for (href, title) in
        entry_links
            .iter()
            .zip(["The index entry", "The matrix entry", "The gaps entry"])
    {
        let rel = href.strip_prefix("../../").unwrap();
        assert!(
            ![
                "frameworks/own/index.html",
                "frameworks/own/matrix.html",
                "frameworks/own/gaps.html"
            ]
            .contains(&rel),
            "{rel}"
        );
        assert!(texts(&page(&out, rel), "h1")[0].ends_with(title), "{rel}");
    }
    assert!(
        texts(&page(&out, "frameworks/own/matrix.html"), "h1")[0].ends_with("entries × documents")
    );
    assert!(texts(&page(&out, "frameworks/own/gaps.html"), "h1")[0]
        .ends_with("without direct coverage"));
}
