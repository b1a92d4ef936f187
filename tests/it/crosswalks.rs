//! Coverage of frameworks beside ISO/IEC 42001 through crosswalks: an entry's direct state
//! from the documents declaring it, and — only when none addresses it — the ISO/IEC 42001
//! entries mapped to it, labelled as inferred and never counted as direct coverage. Checked
//! on the pages, in `coverage.json` (recomputed here from front matter, catalogs and
//! crosswalks) and in `aimsdoc coverage --framework`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde_json::Value;
use tempfile::TempDir;

use crate::common::*;

pub(crate) const SOC2: &str = "framework:\n  id: soc2\n  name: SOC 2\nentries:\n  - id: CC6\n    title: Logical and physical access\n  - id: CC6.1\n    parent: CC6\n    title: Logical access security\n  - id: CC6.2\n    parent: CC6\n    title: User registration\n";

pub(crate) const SOC2_CROSSWALK: &str = "framework: {id: soc2, name: SOC 2}\nconfidence: high\nmappings:\n  - {iso: A.6.2.4, targets: [CC6.1]}\n  - {iso: \"7.5.1\", targets: [CC6.1, CC6.2], confidence: low}\n";

/// A document of the fixture: id, status and review, its ISO/IEC 42001 declarations, and
/// what it declares in other frameworks.
struct Doc {
    id: &'static str,
    doc_type: &'static str,
    approved: bool,
    review: &'static str,
    controls: &'static [&'static str],
    clauses: &'static [&'static str],
    frameworks: &'static [(&'static str, &'static [&'static str])],
}

const DOCS: &[Doc] = &[
    Doc {
        id: "POL-1",
        doc_type: "policy",
        approved: true,
        review: "2027-06-01",
        controls: &["A.6.2.4"],
        clauses: &[],
        frameworks: &[("iso27001", &["A.5.1"])],
    },
    Doc {
        id: "PRO-1",
        doc_type: "procedure",
        approved: false,
        review: "2027-06-01",
        controls: &[],
        clauses: &["7.5.1"],
        frameworks: &[("soc2", &["CC6.2"])],
    },
    Doc {
        id: "REC-1",
        doc_type: "record",
        approved: true,
        review: "2026-06-01",
        controls: &[],
        clauses: &["9.1"],
        frameworks: &[],
    },
];

fn quoted(list: &[&str]) -> String {
    let q: Vec<String> = list.iter().map(|s| format!("\"{s}\"")).collect();
    format!("[{}]", q.join(", "))
}

fn front_matter(d: &Doc) -> String {
    let mut fm = format!(
        "---\nid: {}\ntitle: Document {}\ntype: {}\nowner: CISO\n",
        d.id, d.id, d.doc_type
    );
    if d.approved {
        fm.push_str(&format!(
            "status: approved\nversion: \"1\"\napprover: Board\napproved: 2026-01-01\nreview: {}\n",
            d.review
        ));
    } else {
        fm.push_str("status: draft\n");
    }
    fm.push_str(&format!(
        "controls: {}\nclauses: {}\n",
        quoted(d.controls),
        quoted(d.clauses)
    ));
    if !d.frameworks.is_empty() {
        fm.push_str("frameworks:\n");
        for (f, ids) in d.frameworks {
            fm.push_str(&format!("  {f}: {}\n", quoted(ids)));
        }
    }
    fm.push_str("---\n# Text\n\nBody.\n");
    fm
}

/// The AIMS: ISO/IEC 27001 (built-in catalog and crosswalk) and a team's SOC 2 catalog with
/// its own crosswalk.
pub(crate) fn aims() -> (TempDir, PathBuf) {
    let (tmp, root) = temp_aims();
    write(
        &root,
        "aims.toml",
        "title = \"T\"\norganization = \"O\"\nframeworks = [\"iso27001\", \"soc2\"]\n",
    );
    write(&root, "frameworks/soc2.yaml", SOC2);
    write(&root, "crosswalks/soc2.yaml", SOC2_CROSSWALK);
    for d in DOCS {
        write(&root, &format!("docs/{}.md", d.id), front_matter(d));
    }
    (tmp, root)
}

/// State order, weakest first, as the analysis ranks them.
fn rank(s: &str) -> usize {
    ["gap", "draft", "overdue", "covered"]
        .iter()
        .position(|x| *x == s)
        .unwrap()
}

/// What a document contributes today (TODAY is 2026-11-23).
fn contributes(d: &Doc) -> &'static str {
    match (d.approved, d.review < TODAY) {
        (false, _) => "draft",
        (true, true) => "overdue",
        (true, false) => "covered",
    }
}

fn best<'a>(states: impl Iterator<Item = &'a str>) -> &'a str {
    states.max_by_key(|s| rank(s)).unwrap_or("gap")
}

pub(crate) fn yaml(text: &str) -> serde_yaml::Value {
    serde_yaml::from_str(text).unwrap()
}

pub(crate) fn s(v: &serde_yaml::Value) -> String {
    match v {
        serde_yaml::Value::String(s) => s.clone(),
        serde_yaml::Value::Number(n) => n.to_string(),
        other => panic!("{other:?}"),
    }
}

/// The ISO/IEC 42001 state of a clause or control: a leaf from its documents, a clause with
/// sub-clauses the weakest of them.
pub(crate) fn iso_state(iso: &serde_yaml::Value, id: &str) -> &'static str {
    let children: Vec<String> = iso["entries"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter(|e| e["kind"].as_str() == Some("clause"))
        .filter(|e| e["parent"].as_str() == Some(id))
        .map(|e| s(&e["id"]))
        .collect();
    if !children.is_empty() {
        return children
            .iter()
            .map(|c| iso_state(iso, c))
            .min_by_key(|s| rank(s))
            .unwrap();
    }
    best(
        DOCS.iter()
            .filter(|d| d.controls.contains(&id) || d.clauses.contains(&id))
            .map(contributes),
    )
}

/// The `frameworks` section of coverage.json, recomputed from the fixture's front matter,
/// the catalogs and the crosswalks.
pub(crate) fn expected_frameworks() -> Value {
    let iso =
        yaml(&std::fs::read_to_string(repo().join("catalogs/iso42001/catalog.yaml")).unwrap());
    let sources = [
        (
            std::fs::read_to_string(repo().join("catalogs/frameworks/iso27001.yaml")).unwrap(),
            std::fs::read_to_string(repo().join("catalogs/iso42001/crosswalks/iso27001.yaml"))
                .unwrap(),
        ),
        (SOC2.to_string(), SOC2_CROSSWALK.to_string()),
    ];
    let mut out = Vec::new();
    for (catalog, crosswalk) in sources {
        let catalog = yaml(&catalog);
        let crosswalk = yaml(&crosswalk);
        let fw = s(&catalog["framework"]["id"]);
        let default_confidence = s(&crosswalk["confidence"]);
        let mut entries = Vec::new();
        for e in catalog["entries"].as_sequence().unwrap() {
            let id = s(&e["id"]);
            let declaring: Vec<&Doc> = DOCS
                .iter()
                .filter(|d| {
                    d.frameworks
                        .iter()
                        .any(|(f, ids)| *f == fw && ids.contains(&id.as_str()))
                })
                .collect();
            let state = best(declaring.iter().map(|d| contributes(d)));
            let rows: Vec<(String, String)> = if state == "gap" {
                crosswalk["mappings"]
                    .as_sequence()
                    .unwrap()
                    .iter()
                    .filter(|m| {
                        m["targets"]
                            .as_sequence()
                            .unwrap()
                            .iter()
                            .any(|t| s(t) == id)
                    })
                    .map(|m| {
                        let c = m
                            .get("confidence")
                            .map(s)
                            .unwrap_or(default_confidence.clone());
                        (s(&m["iso"]), c)
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let inferred = best(rows.iter().map(|(i, _)| iso_state(&iso, i)));
            let mut entry = serde_json::json!({
                "id": id,
                "title": s(&e["title"]),
                "state": state,
                "documents": declaring.iter().map(|d| d.id).collect::<Vec<_>>(),
                "via": rows.iter().map(|(i, _)| i.clone()).collect::<Vec<_>>(),
                "inferred": if inferred == "gap" { Value::Null } else { inferred.into() },
            });
            if let Some((_, c)) = rows.first() {
                entry["confidence"] = c.clone().into();
            }
            entries.push(entry);
        }
        out.push(serde_json::json!({
            "id": fw,
            "name": s(&catalog["framework"]["name"]),
            "entries": entries,
        }));
    }
    Value::from(out)
}

#[test]
fn coverage_json_frameworks_match_an_independent_recomputation() {
    let (_tmp, root) = aims();
    let (_o, out) = built_edition(&root, None);
    let json: Value =
        serde_json::from_slice(&std::fs::read(out.join("coverage.json")).unwrap()).unwrap();
    let expected = expected_frameworks();
    let got = &json["frameworks"];
    assert_eq!(got.as_array().unwrap().len(), 2);
    for (g, e) in got
        .as_array()
        .unwrap()
        .iter()
        .zip(expected.as_array().unwrap())
    {
        assert_eq!(g["id"], e["id"]);
        let by_id = |v: &Value| -> BTreeMap<String, Value> {
            v["entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| (x["id"].as_str().unwrap().to_string(), x.clone()))
                .collect()
        };
        assert_eq!(by_id(g), by_id(e), "framework {}", e["id"]);
        assert_eq!(g, e);
    }
    // The cases the fixture is for, spelled out.
    let soc2 = &got[1]["entries"];
    assert_eq!(soc2[1]["id"], "CC6.1");
    assert_eq!(
        soc2[1]["state"], "gap",
        "a mapping is never direct coverage"
    );
    assert_eq!(soc2[1]["documents"], serde_json::json!([]));
    assert_eq!(soc2[1]["via"], serde_json::json!(["A.6.2.4", "7.5.1"]));
    assert_eq!(soc2[1]["inferred"], "covered");
    assert_eq!(soc2[2]["state"], "draft");
    assert_eq!(soc2[2]["via"], serde_json::json!([]));
    let iso27001 = &got[0]["entries"];
    let find = |id: &str| {
        iso27001
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(find("A.5.1")["state"], "covered");
    assert_eq!(find("A.8.29")["via"], serde_json::json!(["A.6.2.4"]));
    assert_eq!(find("9.1")["inferred"], "overdue");
}

#[test]
fn entry_pages_label_inferred_coverage_with_its_source_and_confidence() {
    let (_tmp, root) = aims();
    let (_o, out) = built_edition(&root, None);

    let cc61 = page(&out, "frameworks/soc2/CC6.1.html");
    assert_eq!(
        texts(&cc61, "#coverage .entry-state"),
        ["Declared by documents: gap"]
    );
    assert_eq!(
        texts(&cc61, "#coverage .via-list li"),
        [
            "via A.6.2.4 (inferred mapping, confidence: high): covered",
            "via 7.5.1 (inferred mapping, confidence: low): draft"
        ]
    );
    let link = cc61
        .select(&sel("#coverage .via-list a"))
        .next()
        .unwrap()
        .value()
        .attr("href")
        .unwrap()
        .to_string();
    assert_eq!(link, "../../controls/A.6.2.4.html");

    let a51 = page(&out, "frameworks/iso27001/A.5.1.html");
    assert_eq!(
        texts(&a51, "#coverage .entry-state"),
        ["Declared by documents: covered"]
    );
    assert!(texts(&a51, "#coverage .via-list li").is_empty());

    let index = page(&out, "frameworks/soc2/index.html");
    let summary = texts(&index, "#coverage-summary p");
    assert_eq!(
        summary,
        ["1 entries are addressed directly by documents, 1 only through an inferred mapping from ISO/IEC 42001 (never counted as direct coverage), 1 by neither."]
    );
    let rows = texts(&index, ".framework-summary tbody tr");
    // State, direct, inferred.
    assert_eq!(rows, ["covered01", "overdue00", "draft10", "gap21"]);
}

#[test]
fn coverage_framework_prints_one_frameworks_entries() {
    let (_tmp, root) = aims();
    let dir = root.display().to_string();
    let run = |format: &str| {
        let r = aimsdoc([
            "coverage",
            &dir,
            "--framework",
            "soc2",
            "--format",
            format,
            "--today",
            TODAY,
        ]);
        r.expect_code(0);
        r.stdout.clone()
    };
    let json: Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(json, expected_frameworks()[1]);

    let csv = run("csv");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(
        rows[1],
        [
            "CC6.1",
            "Logical access security",
            "gap",
            "",
            "A.6.2.4 7.5.1",
            "covered",
            "high"
        ]
    );
    assert_eq!(rows[2][2..4], ["draft".to_string(), "PRO-1".to_string()]);

    let table = run("table");
    let line = table.lines().find(|l| l.starts_with("CC6.1 ")).unwrap();
    assert!(line.contains("A.6.2.4 7.5.1 (covered, inferred)"), "{line}");
    let md = run("markdown");
    assert!(md.starts_with("## SOC 2 coverage: T\n"), "{md}");
    assert!(
        md.contains("| CC6.2 | User registration | draft | PRO-1 | — |"),
        "{md}"
    );

    let bad = aimsdoc(["coverage", &dir, "--framework", "soc3", "--today", TODAY]);
    bad.expect_code(2);
    assert!(
        bad.stderr.contains("enabled: iso27001, soc2"),
        "{}",
        bad.stderr
    );
}

#[test]
fn crosswalk_errors_are_reported_at_file_and_line() {
    let (_tmp, root) = aims();
    write(
        &root,
        "crosswalks/soc2.yaml",
        "framework: {id: soc2}\nconfidence: high\nmappings:\n  - {iso: A.6.2.4, targets: [CC6.1]}\n  - {iso: A.6.2.44, targets: [CC6.1]}\n  - iso: \"7.5.1\"\n    targets: [CC6.9]\n",
    );
    let run = check(&root);
    run.expect_code(1);
    let diags = run.with_code("AIMS0704");
    let at: Vec<(String, usize)> = diags
        .iter()
        .map(|d| (d.file().unwrap(), d.line_col().unwrap().0))
        .collect();
    assert_eq!(
        at,
        [
            ("crosswalks/soc2.yaml".to_string(), 5),
            ("crosswalks/soc2.yaml".to_string(), 7)
        ],
        "{}",
        run.stderr
    );
    assert!(diags[0].help().contains("A.6.2.4"), "{}", run.stderr);
    assert!(diags[1].message.contains("CC6.9"), "{}", run.stderr);
    assert!(diags[1].help().contains("CC6.1") || diags[1].help().contains("CC6.2"));
}

#[test]
fn editions_keep_the_whole_states_and_follow_the_disclosure_rules() {
    let (_tmp, root) = aims();
    let text = std::fs::read_to_string(root.join("docs/POL-1.md")).unwrap();
    write(
        &root,
        "docs/POL-1.md",
        text.replacen("---\n", "---\nclassification: confidential\n", 1),
    );
    let dir = root.display().to_string();
    let json_of = |audience: &str| -> Value {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        aimsdoc([
            "build",
            &dir,
            "-o",
            &out.display().to_string(),
            "--today",
            TODAY,
            "--audience",
            audience,
        ])
        .expect_code(0);
        serde_json::from_slice(&std::fs::read(out.join("coverage.json")).unwrap()).unwrap()
    };

    // Internal: full disclosure, the withheld policy counted but not named.
    let internal = json_of("internal");
    let a51 = internal["frameworks"][0]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "A.5.1")
        .unwrap()
        .clone();
    assert_eq!(a51["state"], "covered");
    assert_eq!(a51["documents"], serde_json::json!([]));
    assert_eq!(a51["unpublished"], 1);
    assert_eq!(
        internal["frameworks"][1]["entries"][1]["inferred"],
        "covered"
    );
    assert!(!serde_json::to_string(&internal).unwrap().contains("POL-1"));

    // Public: counts only, direct and inferred apart.
    let public = json_of("public");
    assert_eq!(public["frameworks"][1]["id"], "soc2");
    assert_eq!(public["frameworks"][1]["direct"]["draft"], 1);
    assert_eq!(public["frameworks"][1]["inferred"]["covered"], 1);
    assert!(public["frameworks"][1].get("entries").is_none());
}
