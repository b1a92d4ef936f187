//! `aimsdoc coverage` in CSV, JSON and table form, for the full and the public audience,
//! against the built coverage; its exit code and help.

use super::*;

fn coverage_cmd(root: &Path, format: &str, audience: Option<&str>) -> Run {
    let mut a: Vec<OsString> = vec![
        "coverage".into(),
        root.into(),
        "--today".into(),
        TODAY.into(),
        "--format".into(),
        format.into(),
    ];
    if let Some(aud) = audience {
        a.extend(["--audience".into(), aud.into()]);
    }
    aimsdoc(a)
}

/// `id -> state` of the controls and clauses of a full coverage.json.
fn states_of(cov: &Value) -> BTreeMap<String, String> {
    ["controls", "clauses"]
        .iter()
        .flat_map(|k| cov[*k].as_array().unwrap().iter())
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_string(),
                c["state"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn coverage_csv_lists_every_control_and_clause_with_the_built_states() {
    let root = sample();
    let run = coverage_cmd(&root, "csv", None);
    run.expect_code(0);
    let rows = parse_csv(&run.stdout);
    assert_eq!(
        rows[0],
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
    assert!(run
        .stdout
        .starts_with("kind,id,title,state,applicable,implementation,documents\r\n"));
    let body = &rows[1..];
    assert!(body.iter().all(|r| r.len() == 7), "ragged rows");
    let cat = catalog();
    let ids_of = |kind: &str| -> Vec<String> {
        cat.iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.id.clone())
            .collect()
    };
    let csv_ids = |kind: &str| -> Vec<String> {
        body.iter()
            .filter(|r| r[0] == kind)
            .map(|r| r[1].clone())
            .collect()
    };
    assert_eq!(csv_ids("control"), ids_of("control"));
    assert_eq!(csv_ids("control").len(), 38);
    assert_eq!(csv_ids("clause"), ids_of("clause"));
    assert_eq!(body.len(), 38 + ids_of("clause").len());
    let titles: BTreeMap<&str, &str> = cat
        .iter()
        .map(|e| (e.id.as_str(), e.title.as_str()))
        .collect();
    for r in body {
        assert_eq!(titles[r[1].as_str()], r[2], "title of {}", r[1]);
        assert!(["yes", "no"].contains(&r[4].as_str()));
    }

    let (_t, out, _) = build_for(&root, None);
    let cov: Value =
        serde_json::from_slice(&std::fs::read(out.join("coverage.json")).unwrap()).unwrap();
    let built = states_of(&cov);
    let listed: BTreeMap<String, String> =
        body.iter().map(|r| (r[1].clone(), r[3].clone())).collect();
    assert_eq!(listed, built);
    // The documents column too.
    for kind in ["controls", "clauses"] {
        for c in cov[kind].as_array().unwrap() {
            let docs: Vec<&str> = c["documents"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_str().unwrap())
                .collect();
            let row = body
                .iter()
                .find(|r| r[1] == c["id"].as_str().unwrap())
                .unwrap();
            assert_eq!(row[6], docs.join(" "));
            assert_eq!(row[4] == "yes", c["applicable"].as_bool().unwrap());
            let implementation = c["implementation"].as_str().unwrap_or_default();
            if row[4] == "yes" {
                assert_eq!(row[5], implementation, "{}", row[1]);
            } else {
                assert_eq!(row[5], "", "{}", row[1]);
            }
        }
    }
}

#[test]
fn coverage_json_equals_the_built_coverage_json() {
    let root = sample();
    let run = coverage_cmd(&root, "json", None);
    run.expect_code(0);
    let (_t, out, _) = build_for(&root, None);
    assert_eq!(
        run.stdout.as_bytes(),
        std::fs::read(out.join("coverage.json")).unwrap().as_slice()
    );
    // And for the public audience, where the public build discloses everything.
    let (_c, full) = with_config("\n[public]\ncoverage = \"full\"\n");
    let run = coverage_cmd(&full, "json", Some("public"));
    run.expect_code(0);
    let (_t2, out2, _) = build_for(&full, Some("public"));
    assert_eq!(
        run.stdout.as_bytes(),
        std::fs::read(out2.join("coverage.json"))
            .unwrap()
            .as_slice()
    );
}

#[test]
fn coverage_table_lists_every_control() {
    let run = coverage_cmd(&sample(), "table", None);
    run.expect_code(0);
    let first: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    for c in catalog().iter().filter(|e| e.kind == "control") {
        assert!(first.contains(&c.id.as_str()), "the table lacks {}", c.id);
    }
    assert!(run.stdout.lines().next().unwrap().starts_with("ID"));
    // Same states as the JSON.
    let json: Value = serde_json::from_str(&coverage_cmd(&sample(), "json", None).stdout).unwrap();
    let states = states_of(&json);
    for line in run.stdout.lines().skip(1) {
        let w: Vec<&str> = line.split_whitespace().collect();
        if let Some(s) = w.first().and_then(|id| states.get(*id)) {
            assert_eq!(w[1], s, "{line}");
        }
    }
    // The default format is the table.
    let default = aimsdoc([
        "coverage".as_ref(),
        sample().as_os_str(),
        "--today".as_ref(),
        TODAY.as_ref(),
    ]);
    assert_eq!(default.stdout, run.stdout);
}

/// Counts per state as coverage.json's `counts` has them (clauses: leaves only).
fn counts_of(cov: &Value) -> Value {
    let cat = catalog();
    let parents: BTreeSet<&str> = cat.iter().filter_map(|e| e.parent.as_deref()).collect();
    let count = |kind: &str, leaf_only: bool| {
        let items: Vec<&Value> = cov[kind]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| !leaf_only || !parents.contains(c["id"].as_str().unwrap()))
            .collect();
        let n = |s: &str| items.iter().filter(|c| c["state"] == s).count();
        serde_json::json!({
            "covered": n("covered"), "partial": n("partial"), "overdue": n("overdue"), "draft": n("draft"),
            "gap": n("gap"), "excluded": n("excluded"), "total": items.len(),
        })
    };
    serde_json::json!({"controls": count("controls", false), "clauses": count("clauses", true)})
}

#[test]
fn coverage_for_the_public_audience_matches_a_public_build() {
    let root = sample();
    let public_json: Value =
        serde_json::from_str(&coverage_cmd(&root, "json", Some("public")).stdout).unwrap();
    let full_json: Value = serde_json::from_str(&coverage_cmd(&root, "json", None).stdout).unwrap();
    // Only public documents are listed.
    let docs = source_docs(&root);
    let public_ids: BTreeSet<String> = docs
        .iter()
        .filter(|d| rank(d) == 0)
        .map(|d| d.id())
        .collect();
    for kind in ["controls", "clauses"] {
        for c in public_json[kind].as_array().unwrap() {
            for d in c["documents"].as_array().unwrap() {
                assert!(
                    public_ids.contains(d.as_str().unwrap()),
                    "{d} in {}",
                    c["id"]
                );
            }
        }
    }
    let listed: BTreeSet<&str> = public_json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(listed, public_ids.iter().map(String::as_str).collect());
    // States are the whole AIMS's; what an audience does not read is counted, not named.
    let (ps, fs) = (states_of(&public_json), states_of(&full_json));
    assert_eq!(ps, fs, "the audience changes a state");
    let mut withheld_somewhere = 0;
    for kind in ["controls", "clauses"] {
        for (p, f) in public_json[kind]
            .as_array()
            .unwrap()
            .iter()
            .zip(full_json[kind].as_array().unwrap())
        {
            assert_eq!(p["id"], f["id"]);
            let shown = p["documents"].as_array().unwrap().len() as u64;
            let unpublished = p["unpublished"].as_u64().unwrap_or(0);
            assert_eq!(
                shown + unpublished,
                f["documents"].as_array().unwrap().len() as u64,
                "{}",
                p["id"]
            );
            assert!(
                f.get("unpublished").is_none(),
                "the complete edition withholds"
            );
            withheld_somewhere += unpublished;
        }
    }
    assert!(withheld_somewhere > 0);
    // The public build (counts) has exactly the counts of these states, those of the whole
    // AIMS.
    let (_t, out, _) = build_for(&root, Some("public"));
    let built: Value =
        serde_json::from_slice(&std::fs::read(out.join("coverage.json")).unwrap()).unwrap();
    assert_eq!(built["counts"], counts_of(&public_json));
    assert_eq!(built["counts"], counts_of(&full_json));
    // CSV agrees with JSON for the audience.
    let csv = parse_csv(&coverage_cmd(&root, "csv", Some("public")).stdout);
    let csv_states: BTreeMap<String, String> = csv[1..]
        .iter()
        .map(|r| (r[1].clone(), r[3].clone()))
        .collect();
    assert_eq!(csv_states, ps);
}

#[test]
fn coverage_of_an_aims_with_errors_exits_1() {
    let root = fixture("control-approval-incomplete");
    for format in ["table", "json", "csv"] {
        let run = coverage_cmd(&root, format, None);
        run.expect_code(1);
        assert!(run.stdout.is_empty(), "{format}: {}", run.stdout);
        assert!(run.stderr.contains("AIMS0501"), "{}", run.stderr);
    }
}

#[test]
fn build_and_coverage_help_mention_the_new_flags() {
    let b = aimsdoc(["build", "--help"]);
    b.expect_code(0);
    for s in [
        "--audience",
        "--strict",
        "public",
        "internal",
        "confidential",
        "Examples:",
        "--audience public",
    ] {
        assert!(
            b.stdout.contains(s),
            "build --help lacks {s}:\n{}",
            b.stdout
        );
    }
    let c = aimsdoc(["coverage", "--help"]);
    c.expect_code(0);
    for s in [
        "--format",
        "--audience",
        "--today",
        "table",
        "json",
        "csv",
        "Examples:",
        "aimsdoc coverage",
    ] {
        assert!(
            c.stdout.contains(s),
            "coverage --help lacks {s}:\n{}",
            c.stdout
        );
    }
}
