//! The SoA implementation as part of coverage (`partial`, shown on every page, picture and
//! data file that shows states; what needs attention), the evidence of a control on its
//! page, and required documented information judged by kind.

use super::*;

/// `id -> (state, implementation)` of the controls in `coverage.json`.
fn control_states(json: &serde_json::Value) -> BTreeMap<String, (String, Option<String>)> {
    json["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                (
                    c["state"].as_str().unwrap().to_string(),
                    c["implementation"].as_str().map(str::to_string),
                ),
            )
        })
        .collect()
}

fn coverage_json(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("coverage.json")).unwrap()).unwrap()
}

/// The search index's rows (`[url, kind, id, title, type, status, headings, text]`).
fn search_rows(out: &Path) -> Vec<Vec<String>> {
    let js = std::fs::read_to_string(out.join("search-index.js")).unwrap();
    let start = js.find("\"entries\":").unwrap() + "\"entries\":".len();
    let end = js.rfind("};").unwrap();
    let rows: Vec<Vec<serde_json::Value>> = serde_json::from_str(&js[start..end]).unwrap();
    rows.into_iter()
        .map(|r| {
            r.into_iter()
                .map(|v| v.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn a_documented_control_only_partly_implemented_or_planned_is_partial_everywhere() {
    let root = fixture("implementation-status");
    let m = Model::of(&root);
    let (_tmp, out) = built(&root);
    let states = control_states(&coverage_json(&out));
    let want = [
        ("A.2.2", "covered", Some("implemented")),
        ("A.2.3", "partial", Some("partial")),
        ("A.2.4", "partial", Some("planned")),
        ("A.3.2", "covered", None),
        ("A.3.3", "covered", None),
        ("A.4.2", "excluded", None),
        ("A.4.3", "gap", Some("implemented")),
    ];
    for (id, state, imp) in want {
        assert_eq!(
            states[id],
            (state.to_string(), imp.map(str::to_string)),
            "{id}"
        );
        assert_eq!(m.state[id], state, "the independent model agrees on {id}");
    }
    assert_catalog_pages(&out, &m);

    // Control pages: the state, the implementation and why it is partial.
    let p = page(&out, "controls/A.2.4.html");
    assert_eq!(texts(&p, ".entry-state .state"), vec!["partial"]);
    assert_eq!(
        texts(&p, ".entry-state .entry-implementation"),
        vec!["planned"]
    );
    assert!(text_of(p.select(&sel("main")).next().unwrap()).contains("only planned"));
    let p = page(&out, "controls/A.3.2.html");
    assert_eq!(
        texts(&p, ".entry-state .entry-implementation"),
        vec!["not stated"]
    );

    // Counts and the legend of the picture name the state, with its own class.
    for rel in ["index.html", "coverage.html"] {
        let p = page(&out, rel);
        let partial = p
            .select(&sel(".summary-card .state-count.state-partial .count"))
            .next()
            .map(text_of);
        assert_eq!(partial.as_deref(), Some("2"), "{rel}");
        let legend = texts(&p, ".cov-legend li");
        assert!(
            legend.contains(&"◐ partial (2)".to_string()),
            "{rel}: {legend:?}"
        );
    }
    // The picture: a cell per control, coloured and labelled by state and implementation.
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains(
        "aria-label=\"A.2.3 partial (implementation partial): Alignment with other organizational policies\""
    ));
    assert_eq!(home.matches("<rect class=\"cell s-partial\"").count(), 2);
    // The home page lists the documented controls not fully implemented.
    let home_page = page(&out, "index.html");
    assert_eq!(
        texts(&home_page, ".partial-list li a"),
        vec![
            "A.2.3 Alignment with other organizational policies",
            "A.2.4 Review of the AI policy"
        ]
    );

    // The theme colours the new state.
    let css = std::fs::read_to_string(out.join("static/style.css")).unwrap();
    for rule in [".state-partial", ".s-partial", ".t-partial", "--partial-bg"] {
        assert!(css.contains(rule), "style.css has no {rule}");
    }
    // Search shows the state as its badge.
    let rows = search_rows(&out);
    let row = rows.iter().find(|r| r[2] == "A.2.3").unwrap();
    assert_eq!((row[1].as_str(), row[5].as_str()), ("control", "partial"));
    // The print page's SoA row and picture.
    let print = page(&out, "print.html");
    let soa_row = print.select(&sel("tr[id=\"soa-A.2.3\"]")).next().unwrap();
    assert_eq!(texts_in(&soa_row, ".state"), vec!["partial"]);
    assert!(texts_in(&soa_row, "td").contains(&"partial".to_string()));
    assert_eq!(
        std::fs::read_to_string(out.join("print.html"))
            .unwrap()
            .matches("<rect class=\"cell s-partial\"")
            .count(),
        2
    );
}

#[test]
fn needs_attention_lists_partial_planned_and_unstated_implementations_with_reasons() {
    let root = fixture("implementation-status");
    let (_tmp, out) = built(&root);
    let p = page(&out, "coverage.html");
    let rows: BTreeMap<String, Vec<String>> = p
        .select(&sel(".attention-table tbody tr"))
        .map(|r| {
            let cells: Vec<String> = texts_in(&r, "td");
            (cells[0].clone(), cells[2..].to_vec())
        })
        .collect();
    let row = |id: &str| rows.get(id).cloned().unwrap_or_default();
    assert_eq!(
        row("A.2.3"),
        [
            "partial",
            "partial",
            "the SoA states it is only partly implemented"
        ]
    );
    assert_eq!(
        row("A.2.4"),
        [
            "partial",
            "planned",
            "the SoA states its implementation is planned"
        ]
    );
    // Covered by a document in force, but no implementation stated (A.3.3 is not even
    // decided): still listed.
    for id in ["A.3.2", "A.3.3"] {
        assert_eq!(
            row(id),
            [
                "covered",
                "not stated",
                "the SoA states no implementation for it"
            ],
            "{id}"
        );
    }
    assert_eq!(
        row("A.4.3"),
        ["gap", "implemented", "no document addresses it"]
    );
    assert_eq!(row("4.1"), ["gap", "—", "no document addresses it"]);
    for id in ["A.2.2", "A.4.2", "A.6.2.8"] {
        assert!(!rows.contains_key(id), "{id} needs no attention");
    }
}

#[test]
fn aimsdoc_coverage_shows_the_implementation_in_every_format() {
    let root = fixture("implementation-status");
    let run = |format: &str| {
        let r = aimsdoc([
            "coverage",
            root.to_str().unwrap(),
            "--today",
            TODAY,
            "--format",
            format,
        ]);
        r.expect_code(0);
        r.stdout.clone()
    };
    let csv = parse_csv(&run("csv"));
    assert_eq!(
        csv[0],
        [
            "kind",
            "id",
            "title",
            "state",
            "applicable",
            "implementation",
            "documents"
        ]
    );
    let by_id = |id: &str| csv.iter().find(|r| r[1] == id).unwrap().clone();
    assert_eq!(by_id("A.2.4")[3..6], ["partial", "yes", "planned"]);
    assert_eq!(by_id("A.3.2")[3..6], ["covered", "yes", ""]);
    assert_eq!(by_id("A.4.2")[3..6], ["excluded", "no", ""]);
    assert_eq!(by_id("4.1")[5], "");

    let table = run("table");
    let line = |id: &str| {
        table
            .lines()
            .find(|l| l.split_whitespace().next() == Some(id))
            .unwrap()
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
    };
    assert_eq!(line("A.2.3"), ["A.2.3", "partial", "partial"]);
    assert_eq!(line("A.3.2"), ["A.3.2", "covered", "-"]);
    assert!(table.lines().next().unwrap().contains("IMPLEMENTED"));
    assert!(table.contains("Annex A controls: 4 covered, 2 partial, "));

    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let states = control_states(&json);
    assert_eq!(
        states["A.2.3"],
        ("partial".to_string(), Some("partial".to_string()))
    );
    assert!(json["required"].as_array().is_some_and(|r| r.len() == 21));
}

#[test]
fn a_control_page_shows_the_evidence_and_the_records_that_provide_it() {
    let root = fixture("implementation-status");
    let (_tmp, out) = built(&root);
    let p = page(&out, "controls/A.6.2.8.html");
    let produces = texts(&p, "#evidence .evidence-produces");
    assert_eq!(
        produces,
        vec!["AI system event logs, kept at least while the system is in use."]
    );
    // Only the live record, not the procedure (nor the policy) nor the retired record.
    assert_eq!(
        texts(&p, "#evidence tbody td:first-child a"),
        vec!["REC-LOG Event log review 2026"]
    );
    assert_eq!(texts(&p, "#evidence tbody td:nth-child(2)"), vec!["record"]);
    assert!(texts(&p, "#evidence .evidence-missing").is_empty());

    // A control the policy addresses but no record declares.
    let p = page(&out, "controls/A.2.2.html");
    assert_eq!(
        texts(&p, "#evidence .evidence-produces"),
        vec!["The AI policy document (same artefact as the clause 5.2 policy, or a companion to it)."]
    );
    let missing = texts(&p, "#evidence .evidence-missing");
    assert_eq!(missing.len(), 1);
    assert!(missing[0].starts_with("No record or register of this AIMS declares this control"));
    // The reference data names nothing for A.10.4; the page says so.
    let p = page(&out, "controls/A.10.4.html");
    assert!(texts(&p, "#evidence .evidence-produces")[0].contains("names no particular"));
    // Clause pages have no evidence section.
    let p = page(&out, "clauses/5.2.html");
    assert!(p.select(&sel("#evidence")).next().is_none());
}

#[test]
fn record_items_are_met_only_by_records_and_the_soa_by_soa_yaml() {
    let root = fixture("required-by-kind");
    let m = Model::of(&root);
    let (_tmp, out) = built(&root);
    let json = coverage_json(&out);
    let required: BTreeMap<String, (String, Vec<String>)> = json["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                (
                    r["state"].as_str().unwrap().to_string(),
                    r["documents"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|d| d.as_str().unwrap().to_string())
                        .collect(),
                ),
            )
        })
        .collect();
    let item = |id: &str| {
        let (s, d) = &required[id];
        (s.as_str(), d.iter().map(String::as_str).collect::<Vec<_>>())
    };
    // An audit procedure is no audit result; a review procedure is no review record, but
    // its minutes are; a plan is no evidence of competence.
    assert_eq!(item("internal-audit-results"), ("process-only", vec![]));
    assert_eq!(item("internal-audit-programme"), ("process-only", vec![]));
    assert_eq!(
        item("management-review-results"),
        ("covered", vec!["REC-MR"])
    );
    assert_eq!(item("competence-evidence"), ("process-only", vec![]));
    assert_eq!(item("monitoring-measurement-results"), ("gap", vec![]));
    // A risk procedure declaring 6.1.3 is the risk treatment process, not the SoA: the SoA
    // is soa.yaml, which decides every control.
    assert_eq!(
        item("ai-risk-treatment-process"),
        ("covered", vec!["PRO-RISK"])
    );
    assert_eq!(item("statement-of-applicability"), ("covered", vec![]));
    let soa = json["required"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "statement-of-applicability")
        .unwrap();
    assert_eq!(soa["source"], "soa.yaml");
    assert_eq!(soa["kind"], "document");
    assert_eq!(soa["clause"], "6.1.3");
    for r in m.required() {
        assert_eq!(required[&r.id].0, r.state, "the model agrees on {}", r.id);
    }

    // The page says why: the state in words, and which non-records address the clause.
    let p = page(&out, "required.html");
    let row = |title: &str| {
        p.select(&sel(".required-table tbody tr"))
            .find(|r| texts_in(r, "td strong") == vec![title.to_string()])
            .unwrap()
    };
    let audit = row("Internal audit results");
    assert_eq!(texts_in(&audit, ".state"), vec!["process only — no record"]);
    assert_eq!(texts_in(&audit, ".process-doc"), vec!["PRO-AUD"]);
    let review = row("Management review results");
    assert_eq!(texts_in(&review, ".state"), vec!["covered"]);
    assert!(texts_in(&review, ".process-doc").is_empty());
    let soa_row = row("Statement of Applicability");
    assert_eq!(texts_in(&soa_row, ".state"), vec!["covered"]);
    assert_eq!(texts_in(&soa_row, "a.required-soa"), vec!["soa.yaml"]);
    assert!(!text_of(soa_row).contains("PRO-RISK"));
}

#[test]
fn the_soa_item_is_draft_while_controls_are_undecided_and_a_gap_without_soa_yaml() {
    let (_tmp, out) = built(&fixture("implementation-status"));
    let json = coverage_json(&out);
    let soa = |json: &serde_json::Value| {
        json["required"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "statement-of-applicability")
            .unwrap()
            .clone()
    };
    assert_eq!(soa(&json)["state"], "draft", "A.3.3 is undecided");
    let p = page(&out, "required.html");
    assert!(text_of(p.select(&sel("main")).next().unwrap()).contains("(1 control undecided)"));

    let (_tmp, out) = built(&fixture("no-soa"));
    let json = coverage_json(&out);
    assert_eq!(soa(&json)["state"], "gap");
    assert_eq!(soa(&json)["source"], "soa.yaml");
    let p = page(&out, "required.html");
    assert!(text_of(p.select(&sel("main")).next().unwrap()).contains("no soa.yaml: a gap"));
}
