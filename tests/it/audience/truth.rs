//! Coverage that is true in every edition: the public, internal and complete editions of the
//! sample and of the `editions` fixture agree on every control and clause state, every count,
//! every required-documents state and the coverage picture, read back from their pages and
//! data files; where withheld documents address an entry, its page says how many.

use super::*;

/// `id -> state` from the state line of every control and clause page.
fn page_states(out: &Path) -> BTreeMap<String, String> {
    let mut states = BTreeMap::new();
    for dir in ["controls", "clauses"] {
        for rel in tree(&out.join(dir)).keys() {
            let Some(id) = rel.strip_suffix(".html").filter(|r| *r != "index") else {
                continue;
            };
            let state = texts(&page(out, &format!("{dir}/{rel}")), ".entry-state .state");
            if let [s] = state.as_slice() {
                states.insert(id.to_string(), s.clone());
            }
        }
    }
    states
}

/// `entry -> state` from the controls and clauses indexes.
fn index_states(out: &Path) -> BTreeMap<String, String> {
    let mut states = BTreeMap::new();
    for rel in ["controls/index.html", "clauses/index.html"] {
        let doc = page(out, rel);
        for li in doc.select(&sel(".entry-list li")) {
            let name = li.select(&sel("a")).map(text_of).next();
            let state = li.select(&sel(".state")).map(text_of).next();
            if let (Some(n), Some(s)) = (name, state) {
                states.insert(n, s);
            }
        }
    }
    states
}

/// The state counts shown on a page, in order.
fn shown_counts(out: &Path, rel: &str) -> Vec<String> {
    texts(&page(out, rel), ".state-counts li")
}

/// `clause and item -> state` of required.html.
fn required_states(out: &Path) -> BTreeMap<String, String> {
    let doc = page(out, "required.html");
    doc.select(&sel(".required-table tbody tr"))
        .map(|tr| {
            let key = tr.select(&sel("th, td strong")).map(text_of).collect();
            let state = tr.select(&sel(".state")).map(text_of).collect();
            (key, state)
        })
        .collect()
}

/// The coverage picture of a page, as HTML.
fn picture(out: &Path, rel: &str) -> String {
    let html: String = page(out, rel)
        .select(&sel(".cov-picture"))
        .map(|p| p.html())
        .collect();
    // A cell names the SoA implementation only where the edition shows the SoA; the states
    // and their places are what every edition shares.
    let mut out = String::new();
    let mut rest = html.as_str();
    while let Some(i) = rest.find(" (implementation ") {
        out.push_str(&rest[..i]);
        rest = rest[i..].split_once(')').map_or("", |(_, r)| r);
    }
    out.push_str(rest);
    out
}

/// Rows of "Implemented by" and the number of documents the page says are not published.
fn implementers(out: &Path, rel: &str) -> (usize, usize) {
    let doc = page(out, rel);
    let rows = doc.select(&sel("#implemented-by tbody tr")).count();
    let unpublished = texts(&doc, "#implemented-by .unpublished")
        .first()
        .map(|t| {
            assert!(t.ends_with("not published in this edition."), "{rel}: {t}");
            t.split_whitespace()
                .find_map(|w| w.parse::<usize>().ok())
                .unwrap()
        })
        .unwrap_or(0);
    (rows, unpublished)
}

fn coverage_json(out: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("coverage.json")).unwrap()).unwrap()
}

/// Asserts that `edition` tells the same coverage as `complete`, and that every entry's
/// implementers it shows plus those it counts as unpublished are the complete edition's.
/// Returns how many entries are addressed by unpublished documents.
fn assert_same_coverage(complete: &Path, edition: &Path, what: &str) -> usize {
    let states = page_states(complete);
    let entries = catalog()
        .iter()
        .filter(|e| e.kind == "control" || e.kind == "clause")
        .count();
    assert_eq!(
        states.len(),
        entries,
        "every control and clause has a state"
    );
    assert_eq!(page_states(edition), states, "{what}: page states");
    assert_eq!(index_states(edition), index_states(complete), "{what}");
    for rel in ["index.html", "coverage.html", "print.html"] {
        let counts = shown_counts(complete, rel);
        assert!(!counts.is_empty(), "{rel} shows no counts");
        assert_eq!(shown_counts(edition, rel), counts, "{what}: {rel}");
        assert_eq!(
            picture(edition, rel),
            picture(complete, rel),
            "{what}: {rel}"
        );
    }
    let required = required_states(complete);
    assert!(required.len() > 10);
    assert_eq!(required_states(edition), required, "{what}: required.html");
    assert_eq!(
        counts_of(edition),
        counts_of(complete),
        "{what}: coverage.json"
    );
    let mut unpublished = 0;
    for id in states.keys() {
        let rel = if id.starts_with("A.") {
            format!("controls/{id}.html")
        } else {
            format!("clauses/{id}.html")
        };
        let (rows, none) = implementers(complete, &rel);
        assert_eq!(none, 0, "{rel}: the complete edition withholds");
        let (shown, counted) = implementers(edition, &rel);
        assert_eq!(shown + counted, rows, "{what}: {rel}");
        unpublished += usize::from(counted > 0);
    }
    unpublished
}

/// The counts of a coverage.json: given (counts-only disclosure), or computed from its
/// items as coverage.json's `counts` has them (clauses: leaves only).
fn counts_of(out: &Path) -> Value {
    let v = coverage_json(out);
    if v.get("counts").is_some() {
        return v["counts"].clone();
    }
    let cat = catalog();
    let parents: BTreeSet<&str> = cat.iter().filter_map(|e| e.parent.as_deref()).collect();
    let count = |kind: &str, leaf_only: bool| {
        let items: Vec<&Value> = v[kind]
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
fn public_internal_and_complete_editions_of_the_sample_agree_on_coverage() {
    let root = sample();
    let (_c, complete, _) = build_for(&root, None);
    let (_p, public, _) = build_for(&root, Some("public"));
    let (_i, internal, _) = build_for(&root, Some("internal"));
    // The sample's public edition rests on documents that it does not publish.
    assert!(assert_same_coverage(&complete, &public, "public") > 30);
    assert!(assert_same_coverage(&complete, &internal, "internal") > 0);
    // The internal edition discloses every state in coverage.json.
    let states = |out: &Path| -> Vec<(Value, Value)> {
        let v = coverage_json(out);
        ["controls", "clauses"]
            .iter()
            .flat_map(|k| v[*k].as_array().unwrap().clone())
            .map(|c| (c["id"].clone(), c["state"].clone()))
            .collect()
    };
    assert_eq!(states(&internal), states(&complete));
    // No gap is announced that the whole AIMS does not have (the implementation is named only
    // where the edition shows the SoA).
    let gaps = |out: &Path| -> Vec<String> {
        texts(&page(out, "index.html"), ".entry-list li")
            .into_iter()
            .map(|t| match t.split_once(" (implementation ") {
                Some((head, _)) => head.to_string(),
                None => t,
            })
            .collect()
    };
    assert_eq!(gaps(&public), gaps(&complete));
}

#[test]
fn editions_of_a_fixture_agree_on_every_state_count_and_picture() {
    let (_t, root) = temp_copy(&fixture("editions"));
    let mut toml = std::fs::read_to_string(root.join("aims.toml")).unwrap();
    toml.push_str("\n[public]\ncoverage = \"full\"\n");
    write(&root, "aims.toml", toml);
    let (_c, complete, _) = build_for(&root, None);
    let (_p, public, _) = build_for(&root, Some("public"));
    let (_i, internal, _) = build_for(&root, Some("internal"));
    // The fixture has every state, some only from withheld documents.
    let states: BTreeSet<String> = page_states(&complete).into_values().collect();
    for s in ["covered", "overdue", "draft", "gap", "excluded"] {
        assert!(states.contains(s), "no {s} in the fixture");
    }
    assert_eq!(assert_same_coverage(&complete, &public, "public"), 12);
    assert_eq!(assert_same_coverage(&complete, &internal, "internal"), 3);
    // A.5.2 is met by an internal and a confidential document: the public edition shows
    // none and counts 2, the internal one shows one and counts 1.
    assert_eq!(implementers(&public, "controls/A.5.2.html"), (0, 2));
    assert_eq!(implementers(&internal, "controls/A.5.2.html"), (1, 1));
    // The full disclosure of a public edition: the same states in coverage.json, the SoA and
    // the matrices, with the unpublished documents counted per entry.
    let (all, this) = (coverage_json(&complete), coverage_json(&public));
    for kind in ["controls", "clauses"] {
        for (a, p) in all[kind]
            .as_array()
            .unwrap()
            .iter()
            .zip(this[kind].as_array().unwrap())
        {
            assert_eq!((&a["id"], &a["state"]), (&p["id"], &p["state"]));
            let n = |v: &Value| v["documents"].as_array().unwrap().len() as u64;
            assert_eq!(
                n(p) + p["unpublished"].as_u64().unwrap_or(0),
                n(a),
                "{}",
                a["id"]
            );
        }
    }
    for rel in ["soa.html", "coverage.html"] {
        let col = |out: &Path| texts(&page(out, rel), "tbody .state");
        assert!(!col(&complete).is_empty());
        assert_eq!(col(&public), col(&complete), "{rel}");
    }
    let soa = page(&public, "soa.html");
    let a52 = soa
        .select(&sel(".soa-table tbody tr"))
        .find(|tr| tr.select(&sel("th")).map(text_of).next().as_deref() == Some("A.5.2"))
        .unwrap();
    assert!(
        text_of(a52).contains("addressed by 2 documents not published in this edition"),
        "{}",
        text_of(a52)
    );
    let coverage = page(&public, "coverage.html");
    assert!(
        texts(&coverage, ".matrix .unpublished-count").contains(&"+2 not published".to_string())
    );
    // The required documents met only by withheld documents are not gaps.
    let required = page(&public, "required.html");
    let audit = required
        .select(&sel(".required-table tbody tr"))
        .find(|tr| tr.select(&sel("th")).map(text_of).next().as_deref() == Some("9.2.2"))
        .unwrap();
    let cells: Vec<String> = audit.select(&sel("td")).map(text_of).collect();
    assert_eq!(cells[2], "covered", "{cells:?}");
    assert!(
        cells[3].contains("addressed by 1 document not published in this edition"),
        "{cells:?}"
    );
    assert!(!cells[3].contains("a gap"));
    assert_links_resolve(&public);
}
