//! `[public] coverage` (`full`, `counts`, `none`): what a public build shows of the SoA and
//! coverage, and that internal builds are unchanged.

use super::*;

fn nav_targets(out: &Path) -> BTreeSet<String> {
    texts_attr(&page(out, "index.html"), ".nav-links a", "href")
}

fn texts_attr(doc: &scraper::Html, selector: &str, attr: &str) -> BTreeSet<String> {
    doc.select(&sel(selector))
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// All `href`s of all pages.
fn all_hrefs(out: &Path) -> BTreeSet<String> {
    html_pages(out)
        .values()
        .flat_map(|d| texts_attr(d, "[href]", "href"))
        .map(|h| h.rsplit('/').next().unwrap().to_string())
        .collect()
}

const JUSTIFICATION: &str = "Quarterly harbour lantern review keeps this control alive.";

#[test]
fn public_coverage_full_shows_the_soa() {
    let (_t, root) = with_config("\n[public]\ncoverage = \"full\"\n");
    let (_o, out, _) = build_for(&root, Some("public"));
    for f in [
        "soa.html",
        "soa.csv",
        "coverage.html",
        "required.html",
        "coverage.json",
    ] {
        assert!(out.join(f).is_file(), "no {f}");
    }
    let cov: Value =
        serde_json::from_slice(&std::fs::read(out.join("coverage.json")).unwrap()).unwrap();
    assert_eq!(cov["controls"].as_array().unwrap().len(), 38);
    // Only public documents are listed.
    let ids: BTreeSet<&str> = cov["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, BTreeSet::from(["PUB-OLD-001", "PUB-POL-001"]));
    let site = Site::read(&out);
    // The SoA (with its justifications) is disclosed.
    assert!(site.hits(JUSTIFICATION).contains(&"soa.csv".to_string()));
    assert!(nav_targets(&out).iter().any(|h| h.ends_with("soa.html")));
    assert_edition(&out, "public");
    assert_links_resolve(&out);
}

fn assert_counts_only(out: &Path) {
    assert!(!out.join("soa.html").exists());
    assert!(!out.join("soa.csv").exists());
    assert!(out.join("coverage.html").is_file());
    assert!(out.join("required.html").is_file());
    let cov: Value =
        serde_json::from_slice(&std::fs::read(out.join("coverage.json")).unwrap()).unwrap();
    let keys: BTreeSet<&str> = cov
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        BTreeSet::from(["counts", "framework", "frameworks", "generated"])
    );
    for kind in ["controls", "clauses"] {
        let c = cov["counts"][kind].as_object().unwrap();
        let total = c["total"].as_u64().unwrap();
        let sum: u64 = ["covered", "partial", "overdue", "draft", "gap", "excluded"]
            .iter()
            .map(|s| c[*s].as_u64().unwrap())
            .sum();
        assert_eq!(sum, total, "{kind}: {c:?}");
    }
    assert_eq!(cov["counts"]["controls"]["total"], 38);
    let site = Site::read(out);
    assert!(site.hits(JUSTIFICATION).is_empty());
    assert!(!all_hrefs(out).contains("soa.html"));
    assert!(!all_hrefs(out).contains("soa.csv"));
    assert_links_resolve(out);
}

#[test]
fn public_coverage_counts_is_the_default() {
    let (_t, root) = with_config("\n[public]\ncoverage = \"counts\"\n");
    let (_o, out, _) = build_for(&root, Some("public"));
    assert_counts_only(&out);
    // A plain copy too: a folder inside this repository would also show its git history.
    let (_t2, plain) = with_config("");
    let (_o2, out2, _) = build_for(&plain, Some("public"));
    assert_counts_only(&out2);
    assert_same_tree(&tree(&out), &tree(&out2));
}

#[test]
fn public_coverage_none_has_no_coverage_pages() {
    let (_t, root) = with_config("\n[public]\ncoverage = \"none\"\n");
    let (_o, out, _) = build_for(&root, Some("public"));
    for f in [
        "coverage.html",
        "soa.html",
        "required.html",
        "coverage.json",
        "soa.csv",
    ] {
        assert!(!out.join(f).exists(), "{f} exists");
    }
    let hrefs = all_hrefs(&out);
    for f in [
        "coverage.html",
        "soa.html",
        "required.html",
        "coverage.json",
    ] {
        assert!(!hrefs.contains(f), "a page links {f}");
    }
    assert!(Site::read(&out).hits(JUSTIFICATION).is_empty());
    assert_edition(&out, "public");
    assert_links_resolve(&out);
}

#[test]
fn public_coverage_does_not_change_internal_builds() {
    let (_t, root) = with_config("\n[public]\ncoverage = \"none\"\n");
    let (_o, out, _) = build_for(&root, Some("internal"));
    for f in [
        "coverage.html",
        "soa.html",
        "required.html",
        "coverage.json",
        "soa.csv",
    ] {
        assert!(out.join(f).is_file(), "no {f}");
    }
    assert_links_resolve(&out);
}

#[test]
fn a_bad_public_coverage_value_is_an_error() {
    let (_t, root) = with_config("\n[public]\ncoverage = \"partial\"\n");
    let run = check(&root);
    run.expect_code(1);
    let d = run.only("AIMS0010");
    assert_eq!(d.severity, "error");
    assert!(d.message.contains("partial"), "{}", d.message);
    assert_eq!(
        d.location,
        Some(location_of(&root, "aims.toml", "coverage"))
    );
}
