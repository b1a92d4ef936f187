//! `coverage.json` and `soa.csv` against the model of the sources, and the coverage rules for
//! every state.

use super::*;

/// Asserts that `coverage.json` of the site built from `root` equals the independent model.
fn assert_coverage_json(root: &Path, m: &Model) {
    let (_tmp, out) = built(root);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("coverage.json")).unwrap()).unwrap();
    assert_eq!(json["generated"], TODAY);
    assert_eq!(json["framework"], "iso42001");

    for (key, kind) in [("controls", "control"), ("clauses", "clause")] {
        let items = json[key].as_array().unwrap();
        let expected: Vec<&CatalogEntry> = m.catalog.iter().filter(|e| e.kind == kind).collect();
        let got_ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
        let want_ids: Vec<&str> = expected.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            got_ids, want_ids,
            "{key} are not the catalog's, in its order"
        );
        for (item, e) in items.iter().zip(&expected) {
            let id = e.id.as_str();
            assert_eq!(item["title"], e.title.as_str(), "{id}");
            assert_eq!(item["state"], m.state[id].as_str(), "state of {id}");
            let docs: BTreeSet<String> = item["documents"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_str().unwrap().to_string())
                .collect();
            assert_eq!(docs, m.declared(id), "documents of {id}");
            let decision = m.soa.get(id).cloned().unwrap_or_default();
            if kind == "control" {
                assert_eq!(
                    item["applicable"],
                    decision.applicable.unwrap_or(true),
                    "{id}"
                );
                assert_eq!(
                    item["justification"].as_str(),
                    decision.justification.as_deref(),
                    "justification of {id}"
                );
                assert_eq!(
                    item["implementation"].as_str(),
                    decision.implementation.as_deref(),
                    "implementation of {id}"
                );
                assert!(item.get("implementation").is_some(), "{id}");
            } else {
                assert_eq!(item["applicable"], true, "{id}");
                assert!(item.get("implementation").is_none(), "{id}");
            }
        }
    }
    let required = json["required"].as_array().unwrap();
    let want = m.required();
    assert_eq!(required.len(), want.len());
    for (got, w) in required.iter().zip(&want) {
        assert_eq!(got["id"], w.id.as_str());
        assert_eq!(got["clause"], w.clause.as_str());
        assert_eq!(got["kind"], w.kind.as_str());
        assert!(got["title"].as_str().is_some_and(|t| !t.is_empty()));
        assert_eq!(got["state"], w.state.as_str(), "state of {}", w.id);
        let docs: BTreeSet<String> = got["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap().to_string())
            .collect();
        assert_eq!(docs, w.documents, "documents of {}", w.id);
        let source = (w.id == "statement-of-applicability").then_some("soa.yaml");
        assert_eq!(got["source"].as_str(), source, "{}", w.id);
    }
    let docs = json["documents"].as_array().unwrap();
    assert_eq!(docs.len(), m.docs.len());
    let mut ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    let sorted = {
        let mut s = ids.clone();
        s.sort();
        s
    };
    assert_eq!(ids, sorted, "documents are sorted by id");
    ids.dedup();
    assert_eq!(ids.len(), m.docs.len());
    for d in docs {
        let src = m.doc(d["id"].as_str().unwrap());
        assert_eq!(d["title"], src.str("title").unwrap().as_str());
        assert_eq!(d["status"], src.status().as_str());
        assert_eq!(
            d["type"],
            src.str("type").unwrap_or_else(|| "other".into()).as_str()
        );
        assert_eq!(d["path"], src.path.as_str());
        let list = |k: &str| -> Vec<String> {
            d[k].as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(list("controls"), src.refs("controls"), "{}", src.path);
        assert_eq!(list("clauses"), src.refs("clauses"), "{}", src.path);
    }
}

#[test]
fn coverage_json_of_the_sample_equals_what_the_sources_imply() {
    let root = sample();
    let m = Model::of(&root);
    assert_coverage_json(&root, &m);
    let states: BTreeSet<&str> = m.state.values().map(String::as_str).collect();
    for s in ["covered", "overdue", "draft", "excluded"] {
        assert!(states.contains(s), "the sample has no {s} entry");
    }
}

#[test]
fn coverage_rules_for_every_state() {
    // A fixture made to reach every state and the edges: retired documents count for
    // nothing, a future `effective` is draft, a review due today is not overdue, an
    // exclusion wins over documents, the best document wins for a control and the worst
    // sub-clause for a clause; a control documented in force but only partly implemented is
    // partial, while a planned implementation leaves a draft control draft.
    let root = fixture("coverage-states");
    let m = Model::of(&root);
    assert_coverage_json(&root, &m);
    let expect = [
        ("A.2.2", "covered"),
        ("A.2.3", "draft"),
        ("A.2.4", "draft"),
        ("A.3.2", "draft"),
        ("A.3.3", "overdue"),
        ("A.4.2", "gap"),
        ("A.4.3", "draft"),
        ("A.4.4", "covered"),
        ("A.4.5", "excluded"),
        ("A.4.6", "excluded"),
        ("A.5.2", "covered"),
        // Documented in force, but only partly implemented per soa.yaml.
        ("A.5.3", "partial"),
        ("A.5.4", "gap"),
        ("5.1", "covered"),
        ("5.2", "covered"),
        ("5.3", "gap"),
        ("5", "gap"),
        ("6.1.1", "covered"),
        ("6.1.2", "draft"),
        ("6.1.3", "overdue"),
        ("6.1.4", "draft"),
        ("6.1", "draft"),
    ];
    // The model agrees with the rules as stated (a check on the model itself).
    for (id, state) in expect {
        assert_eq!(m.state[id], state, "model state of {id}");
    }
    let (_tmp, out) = built(&root);
    assert_catalog_pages(&out, &m);
}

#[test]
fn soa_csv_matches_soa_yaml() {
    let root = sample();
    let m = Model::of(&root);
    let (_tmp, out) = built(&root);
    let text = std::fs::read_to_string(out.join("soa.csv")).unwrap();
    let rows = parse_csv(&text);
    let controls: Vec<&CatalogEntry> = m.catalog.iter().filter(|e| e.kind == "control").collect();
    assert_eq!(controls.len(), 38);
    assert_eq!(
        rows.len(),
        1 + controls.len(),
        "header + one row per control"
    );
    assert_eq!(text.lines().count(), 39);
    assert_eq!(
        rows[0],
        [
            "control",
            "title",
            "applicable",
            "justification",
            "implementation",
            "documents",
            "owner",
            "evidence"
        ]
    );
    for (row, e) in rows[1..].iter().zip(controls) {
        let d = m.soa.get(&e.id).cloned().unwrap_or_default();
        assert_eq!(row.len(), 8, "{row:?}");
        assert_eq!(row[0], e.id);
        assert_eq!(row[1], e.title);
        let applicable = d.applicable.unwrap_or(true);
        assert_eq!(row[2], if applicable { "yes" } else { "no" }, "{}", e.id);
        let plain = |t: Option<String>| m.plain(&t.unwrap_or_default());
        assert_eq!(row[3], plain(d.justification), "{}", e.id);
        assert_eq!(row[4], d.implementation.unwrap_or_default(), "{}", e.id);
        let docs: BTreeSet<String> = row[5].split_whitespace().map(str::to_string).collect();
        assert_eq!(docs, m.declared(&e.id), "{}", e.id);
        assert_eq!(row[6], d.owner.unwrap_or_default(), "{}", e.id);
        assert_eq!(row[7], plain(d.evidence), "{}", e.id);
    }
    // The sample's references are read: no `[[` is left, and documents are named.
    assert!(!text.contains("[["), "{text}");
    assert!(text.contains("AI Policy (POL-AI-001)"), "{text}");
    assert!(rows.iter().any(|r| !r[6].is_empty() && !r[7].is_empty()));
    // Every decision of the sample is about a control that is in the CSV.
    assert!(m.soa.keys().all(|k| rows.iter().any(|r| &r[0] == k)));
}

// Pages
