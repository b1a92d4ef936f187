//! The leak tests: what a public, an internal and a confidential build of the sample may and
//! may not contain, with the needles (ids, titles, spellings, sentences) read from the
//! sources.

use super::*;

#[test]
fn a_public_build_of_the_sample_leaks_nothing() {
    let root = sample();
    let docs = source_docs(&root);
    let public: Vec<&SourceDoc> = docs.iter().filter(|d| rank(d) == 0).collect();
    assert!(!public.is_empty() && public.len() < docs.len());
    let (_t, out, run) = build_for(&root, Some("public"));
    assert!(
        run.summary()
            .contains(&format!("Built {} document", public.len())),
        "{}",
        run.summary()
    );
    let site = Site::read(&out);
    let (_f, full) = full_site(&root);
    let (secrets, skipped) = secrets(&root, 0, false);
    assert_eq!(secrets.len(), docs.len() - public.len());
    assert_no_leak(&site, &full, &secrets, "public");
    assert_present(&site, &public);
    eprintln!("needles left out as readable text: {skipped:#?}");

    // Exactly the public documents have pages.
    let ids: BTreeSet<String> = public.iter().map(|d| d.id()).collect();
    assert_eq!(doc_pages(&out), ids);
    assert_withheld_links(&out, &docs, 0);
    assert_edition(&out, "public");
    assert_holds(&out, "public edition (public documents only)");
    // Counts disclosure (the default): no SoA, counts-only coverage.json.
    assert!(!out.join("soa.html").exists());
    assert!(!out.join("soa.csv").exists());
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
    assert_links_resolve(&out);
}

#[test]
fn an_internal_build_of_the_sample_leaks_no_confidential_document() {
    let root = sample();
    let docs = source_docs(&root);
    let readable: Vec<&SourceDoc> = docs.iter().filter(|d| rank(d) <= 1).collect();
    assert!(docs.iter().any(|d| rank(d) == 2));
    assert!(docs.iter().any(|d| rank(d) == 1));
    let (_t, out, _) = build_for(&root, Some("internal"));
    let site = Site::read(&out);
    let (_f, full) = full_site(&root);
    // The internal edition shows the SoA, so soa.yaml is readable text.
    let (secrets, _) = secrets(&root, 1, true);
    assert_eq!(secrets.len(), docs.len() - readable.len());
    assert_no_leak(&site, &full, &secrets, "internal");
    assert_present(&site, &readable);
    let ids: BTreeSet<String> = readable.iter().map(|d| d.id()).collect();
    assert_eq!(doc_pages(&out), ids);
    assert_withheld_links(&out, &docs, 1);
    assert_edition(&out, "internal");
    assert_holds(&out, "internal edition (includes internal documents)");
    assert!(out.join("soa.html").is_file());
    assert_links_resolve(&out);
}

#[test]
fn a_confidential_build_and_the_default_build_are_the_complete_edition() {
    let root = sample();
    let docs = source_docs(&root);
    let all: BTreeSet<String> = docs.iter().map(|d| d.id()).collect();
    assert!(docs.iter().any(|d| rank(d) == 2));
    let (_t, out, _) = build_for(&root, Some("confidential"));
    assert_eq!(doc_pages(&out), all);
    assert_edition(&out, "complete");
    assert!(tree(&out)
        .values()
        .all(|b| !String::from_utf8_lossy(b).contains("class=\"withheld\"")));
    let (_t2, out2, _) = build_for(&root, None);
    assert_eq!(doc_pages(&out2), all);
    assert_edition(&out2, "complete");
    assert_same_tree(&tree(&out), &tree(&out2));
    // Every footer and the print cover say that it holds confidential documents.
    assert_holds(&out2, "complete edition (includes confidential documents)");
}
