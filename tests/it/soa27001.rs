//! The Statement of Applicability of ISO/IEC 27001 Annex A (`iso27001:` in soa.yaml) in the
//! built site: its own page with every control's decision, the links to it, the decision on
//! each control's page, `soa-iso27001.csv` (read with the csv crate) beside an unchanged
//! `soa.csv`, the states in `coverage.json`, and editions that do not show the SoA.

use std::path::PathBuf;

use crate::common::*;
use serde_json::Value;
use tempfile::TempDir;

const AIMS_TOML: &str = "title = \"T\"\norganization = \"O\"\nframeworks = [\"iso27001\"]\n";

const POLICY: &str = "---\nid: POL-IS-1\ntitle: Information security policy\nstatus: approved\nversion: \"1.0\"\nowner: CISO\napprover: Board\napproved: 2026-01-10\nreview: 2027-01-10\nclassification: public\nframeworks:\n  iso27001: [A.5.1, A.5.2, A.8.29]\n---\n# Policy\n\nText.\n";

/// The ISO/IEC 42001 part of soa.yaml (one decision; the rest undecided).
const SOA_42001: &str = "controls:\n  A.2.2: {applicable: true, implementation: implemented}\n";

/// The ISO/IEC 27001 part: implemented with evidence, partial, excluded (A.5.34, which the
/// shipped crosswalk maps from ISO/IEC 42001 A.5.4) and planned.
const SOA_27001: &str = "iso27001:\n  A.5.1:\n    applicable: true\n    implementation: implemented\n    owner: CISO\n    evidence: \"Approved [[POL-IS-1]]\"\n  A.5.2: {applicable: true, implementation: partial}\n  A.5.34: {applicable: false, justification: \"We process no personal data; see [[POL-IS-1|the policy]].\"}\n  A.8.29: {applicable: true, implementation: planned}\n";

fn aims() -> (TempDir, PathBuf) {
    let (tmp, root) = temp_aims();
    write(&root, "aims.toml", AIMS_TOML);
    write(&root, "policies/infosec.md", POLICY);
    write(&root, "soa.yaml", format!("{SOA_42001}{SOA_27001}"));
    (tmp, root)
}

/// The cells of the row of `id` on the SoA page.
fn row(soa: &scraper::Html, id: &str) -> (String, Vec<String>) {
    let tr = soa
        .select(&sel(&format!("tr[id=\"soa-{id}\"]")))
        .next()
        .unwrap_or_else(|| panic!("no row for {id}"));
    let class = tr.value().attr("class").unwrap_or_default().to_string();
    (class, texts_in(&tr, "th, td"))
}

#[test]
fn the_iso27001_soa_page_shows_every_decision_and_links() {
    let (_tmp, root) = aims();
    let (_o, out) = built_edition(&root, None);
    let soa = page(&out, "frameworks/iso27001/soa.html");
    assert_eq!(
        texts(&soa, "h1"),
        ["ISO/IEC 27001:2022 Statement of Applicability"]
    );
    assert_eq!(texts(&soa, ".soa-table tbody tr").len(), 93);

    let (class, cells) = row(&soa, "A.5.1");
    assert_eq!(class, "soa-applicable");
    assert_eq!(
        cells,
        [
            "A.5.1",
            "Policies for information security",
            "yes",
            "—Evidence: Approved Information security policy",
            "implemented",
            "CISO",
            "covered",
            "POL-IS-1"
        ]
    );
    let (_, cells) = row(&soa, "A.5.2");
    assert_eq!(
        (cells[4].as_str(), cells[6].as_str()),
        ("partial", "partial")
    );
    let (class, cells) = row(&soa, "A.5.34");
    assert_eq!(class, "soa-excluded");
    assert_eq!(cells[2], "no");
    assert_eq!(cells[3], "We process no personal data; see the policy.");
    assert_eq!(cells[6], "excluded");
    // Documents address A.8.29, but it is only planned.
    let (_, cells) = row(&soa, "A.8.29");
    assert_eq!(
        (cells[4].as_str(), cells[6].as_str()),
        ("planned", "partial")
    );
    let (class, cells) = row(&soa, "A.5.3");
    assert_eq!(class, "soa-undecided");
    assert_eq!((cells[2].as_str(), cells[6].as_str()), ("undecided", "gap"));
    // Counts of the 93 controls by state.
    let counts = texts(&soa, ".state-counts li");
    assert!(counts.contains(&"1 covered".to_string()), "{counts:?}");
    assert!(counts.contains(&"2 partial".to_string()), "{counts:?}");
    assert!(counts.contains(&"89 gap".to_string()), "{counts:?}");
    assert!(counts.contains(&"1 excluded".to_string()), "{counts:?}");

    // References in the texts are links, relative to the page.
    let hrefs: Vec<&str> = soa
        .select(&sel("tr[id=\"soa-A.5.34\"] .soa-justification a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(hrefs, ["../../documents/POL-IS-1.html"]);

    // Linked from the ISO/IEC 42001 SoA, the framework's index and its own CSV.
    let href_in = |rel: &str, selector: &str| -> Vec<String> {
        page(&out, rel)
            .select(&sel(selector))
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect()
    };
    assert_eq!(
        href_in("soa.html", ".framework-soa-link a"),
        ["frameworks/iso27001/soa.html"]
    );
    assert_eq!(
        href_in("frameworks/iso27001/index.html", ".framework-soa-link a"),
        ["../../frameworks/iso27001/soa.html"]
    );
    assert!(href_in("frameworks/iso27001/soa.html", "a")
        .contains(&"../../soa-iso27001.csv".to_string()));
    assert!(href_in("frameworks/iso27001/soa.html", "a").contains(&"../../soa.html".to_string()));
    // Search finds it by name.
    let search = std::fs::read_to_string(out.join("search-index.js")).unwrap();
    assert!(search.contains("frameworks/iso27001/soa.html"));
    assert!(search.contains("ISO/IEC 27001:2022 Statement of Applicability"));
    assert_links_resolve(&out);
}

#[test]
fn a_control_page_shows_its_decision_and_an_exclusion_is_not_a_gap() {
    let (_tmp, root) = aims();
    let (_o, out) = built_edition(&root, None);
    let excluded = page(&out, "frameworks/iso27001/A.5.34.html");
    assert_eq!(
        texts(&excluded, "#soa dd"),
        [
            "no (excluded)",
            "We process no personal data; see the policy.",
            "—",
            "—"
        ]
    );
    let link: Vec<&str> = excluded
        .select(&sel("#soa p a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(link, ["../../frameworks/iso27001/soa.html#soa-A.5.34"]);
    let state = texts(&excluded, "#coverage .entry-state");
    assert!(state[0].contains("excluded"), "{state:?}");
    // No inferred mapping is offered for an excluded control, though the crosswalk maps
    // ISO/IEC 42001 A.5.4 to it.
    assert!(texts(&excluded, ".via-list li").is_empty());

    let a51 = page(&out, "frameworks/iso27001/A.5.1.html");
    let dd = texts(&a51, "#soa dd");
    assert_eq!(dd[0], "yes");
    assert_eq!(dd[2], "implemented");
    assert_eq!(dd[3], "CISO");
    assert_eq!(dd[4], "Approved Information security policy");
    // A clause of ISO/IEC 27001 has no SoA decision.
    assert!(texts(&page(&out, "frameworks/iso27001/5.2.html"), "#soa").is_empty());

    let index = page(&out, "frameworks/iso27001/index.html");
    let cells = texts(&index, ".framework-summary tbody td");
    assert!(
        cells.windows(3).any(|w| w == ["excluded", "1", "0"]),
        "{cells:?}"
    );
    assert!(
        cells.windows(3).any(|w| w == ["partial", "2", "0"]),
        "{cells:?}"
    );
    assert!(texts(&index, "#coverage-summary p")[0]
        .contains("Excluded by the Statement of Applicability (not gaps): 1."));
}

#[test]
fn coverage_json_carries_the_decisions() {
    let (_tmp, root) = aims();
    let (_o, out) = built_edition(&root, None);
    let cov: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("coverage.json")).unwrap()).unwrap();
    let fw = cov["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "iso27001")
        .unwrap();
    let entry = |id: &str| -> &Value {
        fw["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap_or_else(|| panic!("no {id}"))
    };
    let x = entry("A.5.34");
    assert_eq!(x["state"], "excluded");
    assert_eq!(x["applicable"], false);
    assert_eq!(
        x["justification"],
        "We process no personal data; see [[POL-IS-1|the policy]]."
    );
    assert_eq!(x["via"], serde_json::json!([]));
    assert_eq!(x["inferred"], Value::Null);
    let p = entry("A.5.2");
    assert_eq!(
        (&p["state"], &p["applicable"], &p["implementation"]),
        (
            &Value::from("partial"),
            &Value::from(true),
            &Value::from("partial")
        )
    );
    assert_eq!(p["documents"], serde_json::json!(["POL-IS-1"]));
    // Undecided controls and clauses carry no decision.
    for id in ["A.5.3", "5.2"] {
        let e = entry(id).as_object().unwrap();
        assert!(!e.contains_key("applicable"), "{id}: {e:?}");
        assert!(!e.contains_key("implementation"), "{id}: {e:?}");
    }
    // Other frameworks' entries never do.
    let run = aimsdoc([
        "coverage".to_string(),
        root.display().to_string(),
        "--framework".into(),
        "iso27001".into(),
        "--format".into(),
        "json".into(),
        "--today".into(),
        TODAY.into(),
    ]);
    run.expect_code(0);
    let json: Value = serde_json::from_str(&run.stdout).unwrap();
    let a534 = json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "A.5.34")
        .unwrap();
    assert_eq!(a534["state"], "excluded");
}

#[test]
fn the_csv_has_the_soa_csv_columns_and_soa_csv_is_unchanged() {
    let (_tmp, root) = aims();
    let (_o, out) = built_edition(&root, None);
    let text = std::fs::read_to_string(out.join("soa-iso27001.csv")).unwrap();
    let rows = parse_csv(&text);
    let soa_csv = std::fs::read_to_string(out.join("soa.csv")).unwrap();
    assert_eq!(rows[0], parse_csv(&soa_csv)[0]);
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
    assert_eq!(rows.len(), 94);
    let get = |id: &str| rows.iter().find(|r| r[0] == id).unwrap().clone();
    assert_eq!(
        get("A.5.1"),
        [
            "A.5.1",
            "Policies for information security",
            "yes",
            "",
            "implemented",
            "POL-IS-1",
            "CISO",
            "Approved Information security policy (POL-IS-1)"
        ]
    );
    let x = get("A.5.34");
    assert_eq!(
        (x[2].as_str(), x[3].as_str()),
        ("no", "We process no personal data; see the policy.")
    );
    assert_eq!(get("A.8.29")[4], "planned");
    assert_eq!(get("A.5.3")[2], "yes");

    // soa.csv is byte for byte what it is without ISO/IEC 27001.
    let (_t2, plain) = temp_aims();
    write(&plain, "aims.toml", "title = \"T\"\norganization = \"O\"\n");
    write(
        &plain,
        "policies/infosec.md",
        POLICY.replace("frameworks:\n  iso27001: [A.5.1, A.5.2, A.8.29]\n", ""),
    );
    write(&plain, "soa.yaml", SOA_42001);
    let (_o2, out2) = built_edition(&plain, None);
    assert_eq!(
        std::fs::read(out.join("soa.csv")).unwrap(),
        std::fs::read(out2.join("soa.csv")).unwrap()
    );
    assert!(!out2.join("soa-iso27001.csv").exists());
    assert!(!out2.join("frameworks").exists());
}

#[test]
fn an_edition_without_the_soa_has_neither_page_nor_csv() {
    let (_tmp, root) = aims();
    let (_o, public) = built_edition(&root, Some("public"));
    assert!(public.join("frameworks/iso27001/index.html").is_file());
    assert!(!public.join("frameworks/iso27001/soa.html").exists());
    assert!(!public.join("soa-iso27001.csv").exists());
    let search = std::fs::read_to_string(public.join("search-index.js")).unwrap();
    assert!(!search.contains("frameworks/iso27001/soa.html"));
    let entry = page(&public, "frameworks/iso27001/A.5.34.html");
    assert!(texts(&entry, "#soa").is_empty());
    for (path, bytes) in tree(&public) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("We process no personal data"),
            "{path} shows an SoA justification"
        );
    }
    assert_links_resolve(&public);
}

#[test]
fn without_iso27001_decisions_the_page_shows_every_control_undecided() {
    let (_tmp, root) = aims();
    write(&root, "soa.yaml", SOA_42001);
    let (_o, out) = built_edition(&root, None);
    let soa = page(&out, "frameworks/iso27001/soa.html");
    assert!(texts(&soa, "p strong")[0].contains("no iso27001: decisions"));
    assert_eq!(texts(&soa, "tr.soa-undecided").len(), 93);
}

#[test]
fn the_sample_decides_iso27001_controls_with_one_exclusion() {
    let (_tmp, out) = built_edition(&sample(), None);
    let soa = page(&out, "frameworks/iso27001/soa.html");
    let (class, cells) = row(&soa, "A.7.4");
    assert_eq!(class, "soa-excluded");
    assert!(
        cells[3].starts_with("Northwind runs no data centre"),
        "{cells:?}"
    );
    let decided = texts(&soa, "tr.soa-applicable").len();
    assert!(decided >= 10, "{decided}");
    // Partly implemented, but no document declares it: a gap.
    let (_, cells) = row(&soa, "A.8.29");
    assert_eq!((cells[4].as_str(), cells[6].as_str()), ("partial", "gap"));
    // Declared by the AI Policy, and implemented: covered.
    let (_, cells) = row(&soa, "A.5.1");
    assert_eq!(
        (cells[6].as_str(), cells[7].as_str()),
        ("covered", "POL-AI-001")
    );
    assert_links_resolve(&out);
}
