//! `coverage.json`'s systems section, recomputed here from `systems.yaml` and the front
//! matter by the rules the README states; and the clause and control states that count
//! systems.

use std::collections::BTreeMap;

use crate::common::*;
use serde_json::Value;

#[test]
fn the_systems_section_is_what_the_rules_give() {
    let root = fixture("systems");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&root, &out).expect_code(0);
    let json: Value =
        serde_json::from_slice(&std::fs::read(out.join("coverage.json")).unwrap()).unwrap();
    let got: Vec<(String, Vec<EvidenceRow>)> = json["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let ev = s["evidence"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    let mut docs: Vec<String> = e["documents"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|d| d.as_str().unwrap().to_string())
                        .collect();
                    docs.sort();
                    (
                        e["expect"].as_str().unwrap().to_string(),
                        e["state"].as_str().unwrap().to_string(),
                        docs,
                    )
                })
                .collect();
            (s["id"].as_str().unwrap().to_string(), ev)
        })
        .collect();
    let want: Vec<(String, Vec<EvidenceRow>)> = systems_model(&root)
        .systems
        .into_iter()
        .map(|s| (s.id, s.evidence))
        .collect();
    assert_eq!(got, want);
    // Both states are there: met and not.
    let states: Vec<&str> = got
        .iter()
        .flat_map(|(_, e)| e.iter().map(|x| x.1.as_str()))
        .collect();
    assert!(
        states.contains(&"met") && states.contains(&"unapproved"),
        "{states:?}"
    );
    let first = &json["systems"][0];
    assert_eq!(first["name"], "Credit decision model");
    assert_eq!(first["risk_class"], "high-risk");
    assert_eq!(first["role"], serde_json::json!(["provider", "developer"]));
    assert_eq!(json["systems"][3]["retired"], true);
    assert_eq!(json["systems"][4]["in_scope"], false);
}

#[test]
fn a_clause_is_covered_only_when_every_system_has_its_record() {
    let root = fixture("systems");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&root, &out).expect_code(0);
    let json: Value =
        serde_json::from_slice(&std::fs::read(out.join("coverage.json")).unwrap()).unwrap();
    let items: BTreeMap<String, &Value> = json["clauses"]
        .as_array()
        .unwrap()
        .iter()
        .chain(json["controls"].as_array().unwrap())
        .map(|c| (c["id"].as_str().unwrap().to_string(), c))
        .collect();
    // 8.2: an approved record in force addresses it, but only for AIS-01 and AIS-02 of the
    // three governed systems (AIS-03's record addresses 6.1.2 only).
    assert_eq!(items["8.2"]["state"], "partial");
    assert_eq!(
        items["8.2"]["systems"],
        serde_json::json!({"needed": 3, "met": 2, "lacking": ["AIS-03"]})
    );
    // A.6.2.7 is needed of the high-risk provider only, which has it.
    assert_eq!(items["A.6.2.7"]["state"], "covered");
    assert_eq!(
        items["A.6.2.7"]["systems"],
        serde_json::json!({"needed": 1, "met": 1, "lacking": []})
    );
    // A control no expectation addresses has no systems.
    assert!(items["A.2.2"].get("systems").is_none());
}

#[test]
fn missing_evidence_is_an_error_with_strict() {
    let root = fixture("systems");
    let run = aimsdoc([
        std::ffi::OsStr::new("check"),
        root.as_os_str(),
        std::ffi::OsStr::new("--strict"),
        std::ffi::OsStr::new("--today"),
        std::ffi::OsStr::new(TODAY),
    ]);
    run.expect_code(1);
    let d = run.only("AIMS0910");
    assert_eq!(d.severity, "error");
    assert!(
        d.message.contains("AIS-02 (Support chatbot)"),
        "{}",
        d.message
    );
    check(&root).expect_code(0).only("AIMS0910");
}

#[test]
fn the_coverage_table_counts_systems_per_item() {
    let root = fixture("systems");
    let run = aimsdoc(["coverage", root.to_str().unwrap(), "--today", TODAY]);
    let text = run.stdout;
    let header = text.lines().next().unwrap();
    let columns: Vec<&str> = header.split_whitespace().collect();
    assert_eq!(
        columns,
        ["ID", "STATE", "IMPLEMENTED", "DOCS", "SYSTEMS", "TITLE"]
    );
    let row = |id: &str| -> Vec<String> {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(id))
            .unwrap_or_else(|| panic!("no row {id} in\n{text}"))
            .split_whitespace()
            .map(String::from)
            .collect()
    };
    // As coverage.json has it: 8.2 is met for two of the three governed systems.
    assert_eq!(row("8.2")[4], "2/3");
    assert_eq!(row("A.6.2.7")[4], "1/1");
    assert_eq!(row("A.2.2")[4], "-");

    // An AIMS without systems.yaml keeps its five columns.
    let plain = aimsdoc([
        "coverage",
        fixture("minimal").to_str().unwrap(),
        "--today",
        TODAY,
    ])
    .stdout;
    let columns: Vec<&str> = plain.lines().next().unwrap().split_whitespace().collect();
    assert_eq!(columns, ["ID", "STATE", "IMPLEMENTED", "DOCS", "TITLE"]);
}
