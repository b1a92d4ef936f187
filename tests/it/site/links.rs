//! Links and ids: every internal link of the sample and of small AIMSs with every kind of
//! link resolves, names with spaces and special characters, images, wiki-link titles, and
//! element ids unique on every page.

use super::*;

#[test]
fn every_internal_link_of_the_sample_resolves() {
    let (_tmp, out) = built(&sample());
    let report = assert_links_resolve(&out);
    assert!(
        report.checked > 1000,
        "only {} links checked",
        report.checked
    );
    assert!(
        report.fragments > 100,
        "only {} fragments checked",
        report.fragments
    );
}

#[test]
fn the_sample_site_is_self_contained_and_its_only_script_is_the_search() {
    let (_tmp, out) = built(&sample());
    let files = tree(&out);
    let mut html = 0;
    for (rel, bytes) in &files {
        let text = String::from_utf8_lossy(bytes).to_ascii_lowercase();
        if rel.ends_with(".html") {
            html += 1;
            // No inline script; at most the local search script (pages read without it).
            let root = "../".repeat(rel.matches('/').count());
            let search = format!("<script src=\"{root}static/search.js\" defer></script>");
            assert!(
                text.matches("<script").count() == text.matches(&search).count(),
                "{rel} has a <script> other than {search}"
            );
            let doc = scraper::Html::parse_document(&String::from_utf8_lossy(bytes));
            for el in doc.select(&sel("link[href], script[src], img[src], iframe[src]")) {
                let url = el.value().attr("href").or(el.value().attr("src")).unwrap();
                assert!(!is_external(url), "{rel} loads {url}");
            }
        }
        if rel.ends_with(".html") || rel.ends_with(".css") {
            for (i, _) in text.match_indices("@import") {
                let rest = &text[i..text.len().min(i + 200)];
                assert!(
                    !rest.contains("http"),
                    "{rel} imports a remote file: {rest}"
                );
            }
            for (i, _) in text.match_indices("url(") {
                let rest = &text[i..text.len().min(i + 12)];
                assert!(
                    !rest.contains("http"),
                    "{rel} loads a remote resource: {rest}"
                );
            }
        }
    }
    assert!(html > 100, "only {html} pages");
}

#[test]
fn links_of_every_kind_resolve_in_a_small_aims() {
    let root = fixture("links");
    let (_tmp, out) = built(&root);
    assert_links_resolve(&out);
    let doc = page(&out, "documents/POL-AI-001.html");
    let hrefs: Vec<String> = doc
        .select(&sel(".doc-body a[href]"))
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    for expected in [
        "../controls/index.html#A.6",
        "../controls/index.html#A.6.2",
        "../controls/A.6.2.4.html",
        "../controls/A.6.2.4.html#soa",
        "../clauses/4.html",
        "../clauses/6.1.2.html#implemented-by",
        "../documents/PRO-RISK-001.html",
        "../documents/PRO-RISK-001.html#method",
        "#files",
        "../documents/REG-RISK-001.html",
        "https://example.com/x",
        "mailto:ai@example.com",
    ] {
        assert!(
            hrefs.iter().any(|h| h == expected),
            "no link {expected} in {hrefs:?}"
        );
    }
    // The linked file is copied byte for byte.
    let pdf = hrefs
        .iter()
        .find(|h| h.contains(".pdf"))
        .expect("a link to the pdf");
    let target = resolve_href("documents/POL-AI-001.html", &percent_decode(pdf)).unwrap();
    assert_eq!(
        std::fs::read(out.join(target)).unwrap(),
        std::fs::read(root.join("assets/terms of use.pdf")).unwrap()
    );
    // A piped wiki link keeps the author's text.
    let texts = texts(&doc, ".doc-body a");
    assert!(texts.contains(&"SoA decision".to_string()), "{texts:?}");
}

#[test]
fn local_images_are_copied_and_their_src_resolves() {
    let root = fixture("images");
    let (_tmp, out) = built(&root);
    let doc = page(&out, "documents/POL-AI-001.html");
    let srcs: Vec<String> = doc
        .select(&sel(".doc-body img"))
        .map(|i| i.value().attr("src").unwrap_or("").to_string())
        .collect();
    assert_eq!(srcs.len(), 1, "{srcs:?}");
    let target = resolve_href("documents/POL-AI-001.html", &percent_decode(&srcs[0]))
        .expect("src stays inside the site");
    let copied = std::fs::read(out.join(&target))
        .unwrap_or_else(|e| panic!("img src=\"{}\" does not resolve ({target}): {e}", srcs[0]));
    assert_eq!(
        copied,
        std::fs::read(root.join("assets/governance.png")).unwrap()
    );
    assert_links_resolve(&out);
}

#[test]
fn wiki_link_with_an_anchor_to_an_objective_or_group_is_valid_or_rejected() {
    // Objectives and groups have no page of their own (they are anchors on the controls
    // index), so `[[A.6.2#summary]]` must either be reported or produce a working link.
    let (tmp, root) = temp_aims();
    write(
        &root,
        "policies/p.md",
        "---\nid: POL-1\ntitle: P\n---\n\nSee [[A.6.2#summary]] and [[A.6#implemented-by]].\n",
    );
    let out = tmp.path().join("out");
    let run = build(&root, &out);
    if run.code == 0 {
        assert_links_resolve(&out);
    } else {
        run.expect_code(1);
        assert_eq!(run.with_code("AIMS0202").len(), 2, "{}", run.stderr);
    }
}

#[test]
fn folder_and_file_names_with_spaces_link_correctly() {
    let (tmp, root) = temp_aims();
    write(
        &root,
        "risk management/risk plan.md",
        "---\nid: PLN-1\ntitle: Plan\n---\n\n## Files\n\n[sheet](risk%20data.csv), [again](<risk data.csv>), [[PLN-1#files]].\n",
    );
    write(&root, "risk management/risk data.csv", "a,b\n");
    let out = tmp.path().join("out");
    build(&root, &out).expect_code(0);
    assert_links_resolve(&out);
}

#[test]
fn folder_names_with_special_characters_link_correctly() {
    // `&`, `#` and `%` are legal in folder names; the section page links must still work.
    let (tmp, root) = temp_aims();
    write(
        &root,
        "r&d #1 (100%)/plan.md",
        "---\nid: PLN-1\ntitle: Plan\n---\n\nBody.\n",
    );
    let out = tmp.path().join("out");
    build(&root, &out).expect_code(0);
    assert!(out.join("documents/PLN-1.html").is_file());
    assert_links_resolve(&out);
}

#[test]
fn file_names_with_special_characters_link_correctly() {
    // A linked file whose name has `#` and `%` (written percent-encoded in Markdown).
    let (tmp, root) = temp_aims();
    write(
        &root,
        "plans/plan.md",
        "---\nid: PLN-1\ntitle: Plan\n---\n\n[sheet](data%20%231%25.csv)\n",
    );
    write(&root, "plans/data #1%.csv", "a,b\n");
    let out = tmp.path().join("out");
    build(&root, &out).expect_code(0);
    assert_links_resolve(&out);
}

#[test]
fn a_folder_named_index_does_not_replace_the_documents_page() {
    // `documents.html` lists the root folder; a top-level folder called `index` gets a
    // page of its own and must not replace it.
    let (tmp, root) = temp_aims();
    write(
        &root,
        "policies/p.md",
        "---\nid: POL-1\ntitle: A Policy\n---\n\nBody.\n",
    );
    write(
        &root,
        "index/i.md",
        "---\nid: IDX-1\ntitle: Indexed Record\n---\n\nBody.\n",
    );
    let out = tmp.path().join("out");
    build(&root, &out).expect_code(0);
    assert_links_resolve(&out);
    // The Documents page lists both top-level folders.
    let documents = page(&out, "documents.html");
    let listed = texts(&documents, ".section-list a");
    assert!(
        listed.contains(&"Policies".to_string()),
        "Documents page lists {listed:?}"
    );
    assert!(
        listed.contains(&"Index".to_string()),
        "Documents page lists {listed:?}"
    );
    // And the `index` folder's own page lists its document.
    let home = page(&out, "index.html");
    let href = home
        .select(&sel(".nav-tree a"))
        .find(|a| text_of(*a) == "Index")
        .and_then(|a| a.value().attr("href"))
        .expect("a nav link to the Index section")
        .to_string();
    let index_page = page(
        &out,
        &resolve_href("index.html", &percent_decode(&href)).unwrap(),
    );
    let docs = texts(&index_page, "main a");
    assert!(
        docs.contains(&"IDX-1".to_string()),
        "Index section page lists {docs:?}"
    );
}

/// Element ids that occur more than once on a page, by page.
fn duplicate_ids(out: &Path) -> BTreeMap<String, Vec<String>> {
    let mut dups = BTreeMap::new();
    for (rel, doc) in html_pages(out) {
        let mut seen = BTreeSet::new();
        let mut twice = Vec::new();
        for el in doc.select(&sel("[id]")) {
            let id = el.value().attr("id").unwrap().to_string();
            if !seen.insert(id.clone()) {
                twice.push(id);
            }
        }
        if !twice.is_empty() {
            dups.insert(rel, twice);
        }
    }
    dups
}

#[test]
fn element_ids_are_unique_on_every_page_of_the_sample() {
    let (_tmp, out) = built(&sample());
    assert_eq!(duplicate_ids(&out), BTreeMap::new());
}

#[test]
fn document_headings_do_not_clash_with_the_page_ids() {
    // Headings a policy may well have; their anchors must not duplicate the ids of the page
    // around the body (a link to `#main` must reach the heading, and ids must be unique).
    let (tmp, root) = temp_aims();
    write(
        &root,
        "policies/p.md",
        "---\nid: POL-1\ntitle: P\ncontrols: [A.2.2]\nrelated: [POL-2]\n---\n\n## Main\n\n## Addresses heading\n\n## TOC heading\n\n## Related heading\n\n## Backlinks heading\n\nSee [[POL-1#main]].\n",
    );
    write(
        &root,
        "policies/q.md",
        "---\nid: POL-2\ntitle: Q\n---\n\n[[POL-1#main]]\n",
    );
    let out = tmp.path().join("out");
    build(&root, &out).expect_code(0);
    assert_eq!(duplicate_ids(&out), BTreeMap::new());
}

// coverage.json and soa.csv

#[test]
fn wiki_links_render_the_target_title() {
    let root = sample();
    let m = Model::of(&root);
    let (_tmp, out) = built(&root);
    let (mut catalog_links, mut doc_links) = (0, 0);
    let systems = systems_model(&root);
    for d in &m.docs {
        let p = page(&out, &format!("documents/{}.html", d.id()));
        let links: Vec<(String, String)> = p
            .select(&sel(".doc-body a.xref"))
            .map(|a| (a.value().attr("href").unwrap().to_string(), text_of(a)))
            .collect();
        let mut rest = d.body.as_str();
        while let Some(i) = rest.find("[[") {
            rest = &rest[i + 2..];
            let end = rest.find("]]").unwrap();
            let inner = &rest[..end];
            rest = &rest[end + 2..];
            if inner.contains('|') {
                continue;
            }
            let (id, anchor) = match inner.split_once('#') {
                Some((i, a)) => (i, Some(a)),
                None => (inner, None),
            };
            let (path, want_text) = match m.catalog.iter().find(|e| e.id == id) {
                None if systems.get(id).is_some() => {
                    let s = systems.get(id).unwrap();
                    (format!("../systems/{id}.html"), s.name.clone())
                }
                Some(e) => {
                    catalog_links += 1;
                    let dir = if e.kind == "control" {
                        "controls"
                    } else {
                        "clauses"
                    };
                    (format!("../{dir}/{id}.html"), format!("{id} {}", e.title))
                }
                None => {
                    doc_links += 1;
                    (
                        format!("../documents/{id}.html"),
                        m.doc(id).str("title").unwrap(),
                    )
                }
            };
            let href = match anchor {
                Some(a) => format!("{path}#{a}"),
                None => path,
            };
            assert!(
                links.iter().any(|(h, t)| *h == href && *t == want_text),
                "{}: no link {href} with text `{want_text}` in {links:?}",
                d.id()
            );
        }
    }
    assert!(
        catalog_links >= 5,
        "only {catalog_links} catalog wiki links"
    );
    assert!(doc_links >= 20, "only {doc_links} document wiki links");
}

// Theme overrides
