//! `aimsdoc schema`: the printed front-matter schema is a valid JSON Schema (draft 2020-12),
//! accepts every front matter of the sample AIMS and of the fixtures that aimsdoc accepts
//! without a front-matter finding, and rejects the front matter that aimsdoc reports.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;
use serde_json::Value;

/// The schema as printed by `aimsdoc schema`.
fn schema() -> Value {
    let run = aimsdoc(["schema"]);
    run.expect_code(0);
    assert!(run.stderr.trim().is_empty(), "{}", run.stderr);
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("aimsdoc schema printed no JSON ({e}):\n{}", run.stdout))
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("the schema compiles")
}

/// A front matter (YAML mapping) as JSON; dates stay strings (YAML 1.2 has no date type).
fn as_json(meta: &serde_yaml::Mapping) -> Value {
    serde_json::to_value(serde_yaml::Value::Mapping(meta.clone())).unwrap()
}

fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{e} (at {})", e.instance_path()))
        .collect()
}

#[test]
fn the_schema_is_valid_draft_2020_12() {
    let s = schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    if let Err(e) = jsonschema::draft202012::meta::validate(&s) {
        panic!("the schema does not validate against the 2020-12 meta-schema: {e}");
    }
    assert!(jsonschema::meta::is_valid(&s));
    validator(&s);
    // The printed text ends with a newline and is stable.
    let a = aimsdoc(["schema"]).stdout;
    assert!(a.ends_with('\n'));
    assert_eq!(a, aimsdoc(["schema"]).stdout);
}

#[test]
fn the_schema_knows_the_catalog() {
    let s = schema();
    let cat = catalog();
    let ids = |kind: &str| -> BTreeSet<String> {
        cat.iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.id.clone())
            .collect()
    };
    let v = validator(&s);
    let base = |extra: Value| {
        let mut o = serde_json::json!({"id": "DOC-1", "title": "T"});
        for (k, x) in extra.as_object().unwrap() {
            o[k] = x.clone();
        }
        o
    };
    let controls = ids("control");
    assert_eq!(controls.len(), 38);
    for c in &controls {
        assert!(
            v.is_valid(&base(serde_json::json!({"controls": [c]}))),
            "{c}"
        );
        assert!(v.is_valid(&base(
            serde_json::json!({"controls": [{"id": c, "note": "n"}]})
        )));
    }
    for c in ids("clause") {
        assert!(
            v.is_valid(&base(serde_json::json!({"clauses": [c]}))),
            "{c}"
        );
        // A clause is not a control and the reverse.
        assert!(
            !v.is_valid(&base(serde_json::json!({"controls": [c]}))),
            "{c}"
        );
    }
    for other in ids("objective").iter().chain(&ids("group")) {
        assert!(
            !v.is_valid(&base(serde_json::json!({"controls": [other]}))),
            "{other}"
        );
    }
    for c in &controls {
        assert!(
            !v.is_valid(&base(serde_json::json!({"clauses": [c]}))),
            "{c}"
        );
    }
    // `allow` takes ids and names of diagnostic codes.
    for a in ["AIMS0508", "duplicate-title", "review-overdue", "AIMS0510"] {
        assert!(v.is_valid(&base(serde_json::json!({"allow": [a]}))), "{a}");
    }
    assert!(!v.is_valid(&base(serde_json::json!({"allow": ["duplicate-titel"]}))));
}

#[test]
fn every_front_matter_of_the_sample_validates() {
    let v = validator(&schema());
    let docs = source_docs(&sample());
    assert!(docs.len() >= 20, "only {} documents", docs.len());
    let mut failures = Vec::new();
    for d in &docs {
        let json = as_json(&d.meta);
        // Dates stay strings.
        if let Some(a) = json.get("approved") {
            assert!(a.is_string(), "{}: approved is {a}", d.path);
        }
        let e = errors(&v, &json);
        if !e.is_empty() {
            failures.push(format!("{}: {}", d.path, e.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Front-matter diagnostics: each of these in a file means its front matter is not as the
/// schema describes it. (AIMS0116 duplicate-id is about two files and is left out.)
const FRONT_MATTER_CODES: &[&str] = &[
    "AIMS0101", "AIMS0102", "AIMS0103", "AIMS0110", "AIMS0111", "AIMS0112", "AIMS0113", "AIMS0114",
    "AIMS0115", "AIMS0510",
];

/// `file -> codes` of the front-matter diagnostics of `check DIR --format json`.
fn front_matter_findings(dir: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let run = aimsdoc([
        "check".as_ref(),
        dir.as_os_str(),
        "--today".as_ref(),
        TODAY.as_ref(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let list: Vec<Value> = serde_json::from_str(&run.stdout).unwrap_or_default();
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for d in list {
        let code = d["code"].as_str().unwrap().to_string();
        if FRONT_MATTER_CODES.contains(&code.as_str()) {
            out.entry(d["file"].as_str().unwrap().to_string())
                .or_default()
                .insert(code);
        }
    }
    out
}

/// Every document of every fixture whose front matter is YAML: the schema accepts it
/// exactly when aimsdoc reports nothing about it.
#[test]
fn the_schema_agrees_with_aimsdoc_on_every_fixture() {
    let v = validator(&schema());
    let mut accepted = 0;
    let mut rejected = 0;
    let mut disagreements = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(repo().join("tests/fixtures"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("aims.toml").is_file())
        .collect();
    dirs.sort();
    for dir in dirs {
        let findings = front_matter_findings(&dir);
        for (rel, bytes) in tree(&dir) {
            if !rel.ends_with(".md") || rel.split('/').any(|p| p.starts_with(['.', '_'])) {
                continue;
            }
            let Ok(text) = String::from_utf8(bytes) else {
                continue;
            };
            let Some((yaml, _)) = split_front_matter(&text) else {
                continue;
            };
            let Ok(serde_yaml::Value::Mapping(meta)) = serde_yaml::from_str(yaml) else {
                continue;
            };
            let name = format!("{}/{rel}", dir.file_name().unwrap().to_string_lossy());
            let e = errors(&v, &as_json(&meta));
            match (findings.get(&rel), e.is_empty()) {
                (None, true) => accepted += 1,
                (Some(_), false) => rejected += 1,
                (None, false) => disagreements.push(format!(
                    "{name}: aimsdoc reports nothing, the schema rejects it: {}",
                    e.join("; ")
                )),
                (Some(codes), true) => disagreements.push(format!(
                    "{name}: aimsdoc reports {codes:?}, the schema accepts it"
                )),
            }
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    assert!(
        accepted >= 30 && rejected >= 10,
        "accepted {accepted}, rejected {rejected}"
    );
}

/// Writes one document with `front_matter` into a fresh AIMS and returns the schema errors
/// and the codes `check` reports for it.
fn judge(front_matter: &str) -> (Vec<String>, BTreeSet<String>) {
    let (_tmp, root) = temp_aims();
    write(
        &root,
        "policies/doc.md",
        format!("---\n{front_matter}---\n\nBody.\n"),
    );
    let meta: serde_yaml::Mapping = serde_yaml::from_str(front_matter).unwrap();
    let e = errors(&validator(&schema()), &as_json(&meta));
    let codes = front_matter_findings(&root)
        .remove("policies/doc.md")
        .unwrap_or_default();
    (e, codes)
}

#[test]
fn an_unknown_control_is_rejected() {
    let (e, codes) = judge("id: POL-1\ntitle: T\ncontrols: [A.2.2, A.99.1]\n");
    assert!(!e.is_empty(), "the schema accepts A.99.1");
    assert!(codes.contains("AIMS0101"), "{codes:?}");
    let (e, codes) = judge("id: POL-1\ntitle: T\ncontrols:\n  - id: A.11.1\n    note: x\n");
    assert!(!e.is_empty());
    assert!(codes.contains("AIMS0101"), "{codes:?}");
    let (e, codes) = judge("id: POL-1\ntitle: T\nclauses: [\"11.1\"]\n");
    assert!(!e.is_empty());
    assert!(codes.contains("AIMS0102"), "{codes:?}");
}

#[test]
fn a_bad_status_is_rejected() {
    let (e, codes) = judge("id: POL-1\ntitle: T\nstatus: aproved\n");
    assert!(!e.is_empty(), "the schema accepts status: aproved");
    assert!(codes.contains("AIMS0113"), "{codes:?}");
    let (e, codes) = judge("id: POL-1\ntitle: T\nclassification: secret\n");
    assert!(!e.is_empty());
    assert!(codes.contains("AIMS0113"), "{codes:?}");
}

#[test]
fn other_bad_front_matter_is_rejected_by_both() {
    for (fm, code) in [
        ("title: T\n", "AIMS0110"),
        ("id: POL-1\ntitle: T\nreviewer: someone\n", "AIMS0111"),
        ("id: POL-1\ntitle: T\nrelated: {id: POL-2}\n", "AIMS0112"),
        ("id: POL-1\ntitle: T\ntags: {a: 1}\n", "AIMS0112"),
        ("id: POL-1\ntitle: T\norder: first\n", "AIMS0112"),
        ("id: POL-1\ntitle: T\napproved: 2026-02-30\n", "AIMS0114"),
        ("id: POL-1\ntitle: T\nreview: 2026-3-1\n", "AIMS0114"),
        ("id: POL 1\ntitle: T\n", "AIMS0115"),
        ("id: POL-1\ntitle: T\nallow: [no-such-code]\n", "AIMS0510"),
    ] {
        let (e, codes) = judge(fm);
        assert!(!e.is_empty(), "the schema accepts:\n{fm}");
        assert!(codes.contains(code), "{fm}: {codes:?}");
    }
    // And a full, correct front matter passes both.
    let (e, codes) = judge(
        "id: POL-1\ntitle: T\ntype: policy\nstatus: approved\nversion: \"1.0\"\nowner: O\n\
         approver: A\napproved: 2026-03-01\neffective: 2026-03-02\nreview: 2027-03-01\n\
         classification: public\nclauses: [\"5.2\"]\ncontrols: [A.2.2, {id: A.2.3, note: n}]\n\
         related: []\ntags: [x]\norder: 2\nallow: [AIMS0508, review-overdue]\n",
    );
    assert!(e.is_empty(), "{e:?}");
    assert!(codes.is_empty(), "{codes:?}");
}

#[test]
fn schema_help_has_examples() {
    let run = aimsdoc(["schema", "--help"]);
    run.expect_code(0);
    assert!(run.stdout.contains("Examples:"), "{}", run.stdout);
    assert!(run.stdout.contains("aimsdoc schema >"), "{}", run.stdout);
    assert!(run.stdout.contains("2020-12"), "{}", run.stdout);
}

/// Where aimsdoc reads a single value as a one-item list (`controls: A.2.2`, `tags: x`), the
/// schema must accept it too, or editors flag front matter that builds without a finding.
/// The schema does this for `controls` and `clauses` but not for the other lists.
#[test]
fn the_schema_accepts_single_values_where_aimsdoc_does() {
    let mut drift = Vec::new();
    for fm in [
        "id: POL-1\ntitle: T\ncontrols: A.2.2\n",
        "id: POL-1\ntitle: T\nclauses: \"5.2\"\n",
        "id: POL-1\ntitle: T\ntags: governance\n",
        "id: POL-1\ntitle: T\nallow: AIMS0508\n",
        "id: POL-1\ntitle: T\nrelated: POL-1\n",
    ] {
        let (e, codes) = judge(fm);
        assert!(codes.is_empty(), "aimsdoc reports {codes:?} for\n{fm}");
        if !e.is_empty() {
            drift.push(format!("{}: {}", fm.lines().last().unwrap(), e.join("; ")));
        }
    }
    assert!(
        drift.is_empty(),
        "aimsdoc accepts these, the schema rejects them:\n{}",
        drift.join("\n")
    );
}

/// `allow` entries are matched ignoring case by aimsdoc (`aims0508` silences AIMS0508); the
/// schema's enum must not reject them.
#[test]
fn the_schema_accepts_allow_codes_in_any_case() {
    let (e, codes) = judge("id: POL-1\ntitle: T\nallow: [aims0508, Duplicate-Title]\n");
    assert!(codes.is_empty(), "aimsdoc reports {codes:?}");
    assert!(
        e.is_empty(),
        "aimsdoc accepts `allow: [aims0508, Duplicate-Title]`, the schema rejects it: {e:?}"
    );
}

/// The schema of systems.yaml, as printed by `aimsdoc schema --systems`.
fn systems_schema() -> Value {
    let run = aimsdoc(["schema", "--systems"]);
    run.expect_code(0);
    serde_json::from_str(&run.stdout).expect("aimsdoc schema --systems prints JSON")
}

#[test]
fn the_systems_schema_accepts_the_inventories_aimsdoc_accepts_and_rejects_its_findings() {
    let v = validator(&systems_schema());
    for root in [sample(), fixture("systems")] {
        let text = std::fs::read_to_string(root.join("systems.yaml")).unwrap();
        let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let json = serde_json::to_value(yaml).unwrap();
        let found = errors(&v, &json);
        assert!(found.is_empty(), "{}: {found:?}", root.display());
    }
    for bad in [
        "systems:\n  - id: A\n    name: B\n    risk_class: hihg-risk\n",
        "systems:\n  - id: A\n    name: B\n    rol: provider\n",
        "systems:\n  - id: A\n",
        "systems:\n  - id: A\n    name: B\n    since: 2024/01/01\n",
        "systems:\n  - id: index\n    name: B\n",
    ] {
        let yaml: serde_yaml::Value = serde_yaml::from_str(bad).unwrap();
        let json = serde_json::to_value(yaml).unwrap();
        assert!(!errors(&v, &json).is_empty(), "the schema accepts {bad:?}");
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "aims.toml",
            "title = \"T\"\norganization = \"O\"\n",
        );
        write(tmp.path(), "systems.yaml", bad);
        let run = check(tmp.path());
        assert!(
            run.diagnostics()
                .iter()
                .any(|d| d.code.starts_with("AIMS090")),
            "aimsdoc accepts {bad:?}:\n{}",
            run.stderr
        );
    }
}

const SOC2: &str = "framework:\n  id: soc2\n  name: SOC 2\nentries:\n  - id: CC6\n    title: Access\n  - id: CC6.1\n    parent: CC6\n    title: Logical access\n";

/// An AIMS enabling ISO/IEC 27001 and a team's SOC 2 catalog.
fn aims_with_frameworks() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, root) = temp_aims();
    write(
        &root,
        "aims.toml",
        "title = \"T\"\norganization = \"O\"\nframeworks = [\"iso27001\", \"soc2\"]\n",
    );
    write(&root, "frameworks/soc2.yaml", SOC2);
    (tmp, root)
}

/// The schema `aimsdoc schema ROOT` prints.
fn schema_of(root: &Path) -> Value {
    let run = aimsdoc(["schema".as_ref(), root.as_os_str()]);
    run.expect_code(0);
    serde_json::from_str(&run.stdout).unwrap()
}

#[test]
fn the_schema_of_an_aims_knows_its_enabled_catalogs() {
    let (_tmp, root) = aims_with_frameworks();
    let s = schema_of(&root);
    let v = validator(&s);
    let fm = |frameworks: Value| serde_json::json!({"id": "DOC-1", "title": "T", "frameworks": frameworks});
    for ok in [
        serde_json::json!({"iso27001": ["A.5.1", "7.5"]}),
        serde_json::json!({"iso27001": "A.8.34"}),
        serde_json::json!({"iso27001": [{"id": "A.5.1", "note": "the ISMS policy"}]}),
        serde_json::json!({"soc2": ["CC6.1"]}),
        // Not enabled: aimsdoc warns once per framework and checks nothing, nor does the schema.
        serde_json::json!({"eu-ai-act": ["Art. 99"]}),
    ] {
        assert!(
            v.is_valid(&fm(ok.clone())),
            "{ok}: {:?}",
            errors(&v, &fm(ok.clone()))
        );
    }
    for bad in [
        serde_json::json!({"iso27001": ["A.5.99"]}),
        serde_json::json!({"iso27001": [{"id": "A.5.99"}]}),
        serde_json::json!({"iso27001": "a.5.1"}),
        serde_json::json!({"soc2": ["CC7.1"]}),
    ] {
        assert!(!v.is_valid(&fm(bad.clone())), "{bad} is accepted");
    }
    // aimsdoc agrees: the right id has no finding, the wrong one is an error.
    let ok = judge_in(
        &root,
        "id: DOC-1\ntitle: T\nframeworks:\n  iso27001: [A.5.1]\n",
    );
    assert!(ok.is_empty(), "{ok:?}");
    let bad = judge_in(
        &root,
        "id: DOC-1\ntitle: T\nframeworks:\n  iso27001: [A.5.99]\n",
    );
    assert_eq!(bad, ["AIMS0703"]);
    // Every id of the catalog is in the enum, in catalog order.
    let ids = &s["properties"]["frameworks"]["properties"]["iso27001"]["anyOf"][0]["items"]
        ["anyOf"][0]["enum"];
    let ids: Vec<&str> = ids
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 138);
    assert_eq!((ids[0], ids[137]), ("4", "A.8.34"));
    // Without an AIMS, any id of any framework is accepted.
    let any = validator(&schema());
    assert!(any.is_valid(&fm(serde_json::json!({"iso27001": ["A.5.99"]}))));
}

/// The codes `check` reports for a document with `front_matter` in a copy of `root`.
fn judge_in(root: &Path, front_matter: &str) -> Vec<String> {
    let (_tmp, copy) = temp_copy(root);
    write(&copy, "doc.md", format!("---\n{front_matter}---\nText.\n"));
    let run = aimsdoc([
        "check".as_ref(),
        copy.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let list: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    list.iter()
        .filter(|d| d["file"] == "doc.md")
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn run_in_an_aims_the_schema_is_that_aims_schema() {
    let (_tmp, root) = aims_with_frameworks();
    let here = aimsdoc_in(Some(&root), ["schema"], &[]);
    here.expect_code(0);
    let given = aimsdoc(["schema".as_ref(), root.as_os_str()]);
    assert_eq!(here.stdout, given.stdout);
    assert_ne!(here.stdout, aimsdoc(["schema"]).stdout);
    // The sample's documents validate against the sample's own schema.
    let v = validator(&schema_of(&sample()));
    for d in source_docs(&sample()) {
        let e = errors(&v, &as_json(&d.meta));
        assert!(e.is_empty(), "{}: {e:?}", d.path);
    }
}

#[test]
fn a_broken_catalog_or_no_aims_prints_no_schema() {
    let (_tmp, root) = aims_with_frameworks();
    write(&root, "frameworks/soc2.yaml", "framework: [oops\n");
    let run = aimsdoc(["schema".as_ref(), root.as_os_str()]);
    run.expect_code(1);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.contains("AIMS0700"), "{}", run.stderr);
    let empty = tempfile::tempdir().unwrap();
    let run = aimsdoc(["schema".as_ref(), empty.path().as_os_str()]);
    run.expect_code(2);
    assert!(run.stderr.contains("no aims.toml"), "{}", run.stderr);
}

#[test]
fn the_schema_of_an_aims_with_systems_lists_their_ids() {
    let (_tmp, root) = aims_with_frameworks();
    let fm = |systems: Value| serde_json::json!({"id": "DOC-1", "title": "T", "systems": systems});
    // Without systems.yaml, any id is accepted (aimsdoc reports the missing inventory).
    let any = validator(&schema_of(&root));
    assert!(any.is_valid(&fm(serde_json::json!(["AIS-99"]))));
    write(
        &root,
        "systems.yaml",
        "systems:\n  - id: AIS-01\n    name: Chat\n  - id: AIS-02\n    name: Planner\n",
    );
    let s = schema_of(&root);
    let v = validator(&s);
    for ok in [
        serde_json::json!(["AIS-01"]),
        serde_json::json!(["AIS-01", "AIS-02"]),
        serde_json::json!("AIS-02"),
    ] {
        assert!(
            v.is_valid(&fm(ok.clone())),
            "{ok}: {:?}",
            errors(&v, &fm(ok.clone()))
        );
    }
    for bad in [
        serde_json::json!(["AIS-99"]),
        serde_json::json!("ais-01"),
        serde_json::json!(["AIS-01", "AIS-03"]),
    ] {
        assert!(!v.is_valid(&fm(bad.clone())), "{bad} is accepted");
    }
    // aimsdoc agrees: the right id has no finding, the wrong one is an error.
    let ok = judge_in(&root, "id: DOC-1\ntitle: T\nsystems: [AIS-01]\n");
    assert!(ok.is_empty(), "{ok:?}");
    let bad = judge_in(&root, "id: DOC-1\ntitle: T\nsystems: [AIS-99]\n");
    assert_eq!(bad, ["AIMS0905"]);
    // A systems.yaml with errors: any id again, and the schema is still printed.
    write(&root, "systems.yaml", "systems: [oops\n");
    let broken = validator(&schema_of(&root));
    assert!(broken.is_valid(&fm(serde_json::json!(["AIS-99"]))));
}
