//! `coverage.json`'s systems section, recomputed here from `systems.yaml` and the front
//! matter by the rules the README states; and the clause and control states that count
//! systems.

use std::collections::BTreeMap;

use crate::common::*;
use serde_json::Value;

/// The default expectations as the README lists them: id, addresses, risk classes, roles.
const EXPECTATIONS: &[(&str, &[&str], &[&str], &[&str])] = &[
    ("risk-assessment", &["8.2", "6.1.2"], &[], &[]),
    (
        "impact-assessment",
        &["8.4", "6.1.4", "A.5.2", "A.5.3", "A.5.4", "A.5.5"],
        &[],
        &[],
    ),
    (
        "technical-documentation",
        &["A.6.2.7"],
        &["high-risk"],
        &["provider"],
    ),
    ("event-logs", &["A.6.2.8"], &["high-risk"], &["provider"]),
    (
        "fundamental-rights",
        &["A.5.4", "A.5.5"],
        &["high-risk"],
        &["deployer"],
    ),
];

fn list(v: Option<&serde_yaml::Value>) -> Vec<String> {
    match v {
        Some(serde_yaml::Value::Sequence(s)) => s
            .iter()
            .filter_map(|x| x.as_str().map(String::from))
            .collect(),
        Some(serde_yaml::Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// Per system id: (name, governed, evidence as (expect, state, documents)).
fn expected(root: &std::path::Path) -> Vec<(String, Vec<(String, String, Vec<String>)>)> {
    let text = std::fs::read_to_string(root.join("systems.yaml")).unwrap();
    let inv: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let docs = source_docs(root);
    let mut out = Vec::new();
    for s in inv["systems"].as_sequence().unwrap() {
        let id = s["id"].as_str().unwrap().to_string();
        let in_scope = s.get("in_scope").and_then(|v| v.as_bool()).unwrap_or(true);
        let retired = s
            .get("retired")
            .and_then(|v| v.as_str())
            .is_some_and(|d| d <= TODAY);
        let class = s.get("risk_class").and_then(|v| v.as_str()).unwrap_or("");
        let roles = list(s.get("role"));
        let mut evidence = Vec::new();
        if in_scope && !retired {
            for (expect, addresses, classes, want_roles) in EXPECTATIONS {
                let applies = (classes.is_empty() || classes.contains(&class))
                    && (want_roles.is_empty()
                        || roles.iter().any(|r| want_roles.contains(&r.as_str())));
                if !applies {
                    continue;
                }
                let mut documents = Vec::new();
                let mut best = 0; // 0 missing, 1 unapproved, 2 stale, 3 met
                for d in &docs {
                    let kind = d.str("type").unwrap_or_default();
                    let addressed = d
                        .refs("clauses")
                        .iter()
                        .chain(&d.refs("controls"))
                        .any(|c| addresses.contains(&c.as_str()));
                    if !matches!(kind.as_str(), "record" | "register")
                        || d.status() == "retired"
                        || !list(d.meta.get("systems")).contains(&id)
                        || !addressed
                    {
                        continue;
                    }
                    documents.push(d.id());
                    let state = if d.status() != "approved" {
                        1
                    } else if d.str("review").is_some_and(|r| r.as_str() < TODAY) {
                        2
                    } else {
                        3
                    };
                    best = best.max(state);
                }
                let state = ["missing", "unapproved", "stale", "met"][best];
                documents.sort();
                evidence.push((expect.to_string(), state.to_string(), documents));
            }
        }
        out.push((id, evidence));
    }
    out.into_iter().map(|(id, e)| (id, e)).collect()
}

#[test]
fn the_systems_section_is_what_the_rules_give() {
    let root = fixture("systems");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&root, &out).expect_code(0);
    let json: Value =
        serde_json::from_slice(&std::fs::read(out.join("coverage.json")).unwrap()).unwrap();
    let got: Vec<(String, Vec<(String, String, Vec<String>)>)> = json["systems"]
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
    assert_eq!(got, expected(&root));
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
