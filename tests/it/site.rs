//! The built site: every link resolves, the pages show what the sources say, and
//! `coverage.json` / `soa.csv` equal what the front matter and `soa.yaml` imply (computed
//! here independently of aimsdoc).

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::*;
use serde_yaml::Value;
use tempfile::TempDir;

/// Builds `root` into a fresh temporary folder; the build must succeed.
fn built(root: &Path) -> (TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(root, &out).expect_code(0);
    (tmp, out)
}

// ---------------------------------------------------------------------------------------
// Independent model of the sample: what the coverage must be.

const RANKS: [&str; 4] = ["gap", "draft", "overdue", "covered"];

fn rank(state: &str) -> usize {
    RANKS.iter().position(|s| *s == state).unwrap()
}

/// What one document contributes today (`None` when retired).
fn contribution(d: &SourceDoc) -> Option<&'static str> {
    let status = d.status();
    match status.as_str() {
        "retired" => None,
        "draft" | "in-review" => Some("draft"),
        "approved" => {
            // ISO dates compare correctly as text.
            if d.str("effective").is_some_and(|e| e.as_str() > TODAY) {
                Some("draft")
            } else if d.str("review").is_some_and(|r| r.as_str() < TODAY) {
                Some("overdue")
            } else {
                Some("covered")
            }
        }
        other => panic!("unexpected status {other}"),
    }
}

fn is_overdue(d: &SourceDoc) -> bool {
    d.status() == "approved" && d.str("review").is_some_and(|r| r.as_str() < TODAY)
}

/// One SoA decision as written in soa.yaml.
#[derive(Debug, Clone, Default)]
struct Decision {
    applicable: Option<bool>,
    justification: Option<String>,
    implementation: Option<String>,
}

fn soa_decisions(root: &Path) -> BTreeMap<String, Decision> {
    let text = std::fs::read_to_string(root.join("soa.yaml")).unwrap();
    let v: Value = serde_yaml::from_str(&text).unwrap();
    let mut out = BTreeMap::new();
    for (k, v) in v["controls"].as_mapping().unwrap() {
        out.insert(
            k.as_str().unwrap().to_string(),
            Decision {
                applicable: v.get("applicable").and_then(Value::as_bool),
                justification: v
                    .get("justification")
                    .and_then(Value::as_str)
                    .map(|s| s.trim().to_string()),
                implementation: v
                    .get("implementation")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            },
        );
    }
    out
}

/// Expected state and declaring documents of every control and clause.
struct Model {
    docs: Vec<SourceDoc>,
    catalog: Vec<CatalogEntry>,
    soa: BTreeMap<String, Decision>,
    state: BTreeMap<String, String>,
    declared_by: BTreeMap<String, BTreeSet<String>>,
}

impl Model {
    fn of(root: &Path) -> Model {
        let docs = source_docs(root);
        let catalog = catalog();
        let soa = soa_decisions(root);
        let ids: BTreeSet<&str> = catalog.iter().map(|e| e.id.as_str()).collect();
        let mut declared_by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for d in &docs {
            for key in ["controls", "clauses"] {
                for id in d.refs(key) {
                    assert!(
                        ids.contains(id.as_str()),
                        "{}: {id} is not canonical",
                        d.path
                    );
                    declared_by.entry(id).or_default().insert(d.id());
                }
            }
        }
        let by_id: BTreeMap<String, &SourceDoc> = docs.iter().map(|d| (d.id(), d)).collect();
        let direct = |id: &str| -> String {
            declared_by
                .get(id)
                .into_iter()
                .flatten()
                .filter_map(|d| contribution(by_id[d]))
                .max_by_key(|s| rank(s))
                .unwrap_or("gap")
                .to_string()
        };
        let mut state = BTreeMap::new();
        for e in catalog.iter().filter(|e| e.kind == "control") {
            let excluded = soa.get(&e.id).and_then(|d| d.applicable) == Some(false);
            let s = if excluded {
                "excluded".to_string()
            } else {
                direct(&e.id)
            };
            state.insert(e.id.clone(), s);
        }
        // Clauses: deepest first, so sub-clauses are known before their parents.
        let mut clauses: Vec<&CatalogEntry> =
            catalog.iter().filter(|e| e.kind == "clause").collect();
        clauses.sort_by_key(|e| std::cmp::Reverse(e.id.matches('.').count()));
        for e in clauses {
            let children: Vec<&String> = catalog
                .iter()
                .filter(|c| c.kind == "clause" && c.parent.as_deref() == Some(e.id.as_str()))
                .map(|c| &state[&c.id])
                .collect();
            let s = match children.iter().min_by_key(|s| rank(s)) {
                Some(worst) => (*worst).clone(),
                None => direct(&e.id),
            };
            state.insert(e.id.clone(), s);
        }
        Model {
            docs,
            catalog,
            soa,
            state,
            declared_by,
        }
    }

    fn declared(&self, id: &str) -> BTreeSet<String> {
        self.declared_by.get(id).cloned().unwrap_or_default()
    }

    fn title(&self, id: &str) -> &str {
        &self.catalog.iter().find(|e| e.id == id).unwrap().title
    }

    fn doc(&self, id: &str) -> &SourceDoc {
        self.docs.iter().find(|d| d.id() == id).unwrap()
    }

    fn is_leaf_clause(&self, id: &str) -> bool {
        !self
            .catalog
            .iter()
            .any(|c| c.kind == "clause" && c.parent.as_deref() == Some(id))
    }

    /// Documents referring to `target` in their body (`[[ID…]]` or a relative link to its
    /// file) or in `related`, excluding itself.
    fn referenced_by(&self, target: &SourceDoc) -> BTreeSet<String> {
        let tid = target.id();
        let mut out = BTreeSet::new();
        for d in &self.docs {
            if d.id() == tid {
                continue;
            }
            let wiki = wiki_targets(&d.body).contains(&tid);
            let rel = relative_md_targets(&d.path, &d.body).contains(&target.path);
            let related = d.list("related").contains(&tid);
            if wiki || rel || related {
                out.insert(d.id());
            }
        }
        out
    }
}

/// The ids of every `[[ID]]`, `[[ID|text]]`, `[[ID#anchor]]` in a body.
fn wiki_targets(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find("[[") {
        rest = &rest[i + 2..];
        let Some(end) = rest.find("]]") else { break };
        let inner = &rest[..end];
        let id = inner
            .split('|')
            .next()
            .unwrap()
            .split('#')
            .next()
            .unwrap()
            .trim();
        out.push(id.to_string());
        rest = &rest[end + 2..];
    }
    out
}

/// Root-relative paths of `.md` files linked as `](path.md…)` from the document at `path`.
fn relative_md_targets(path: &str, body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find("](") {
        rest = &rest[i + 2..];
        let Some(end) = rest.find(')') else { break };
        let dest = rest[..end].split('#').next().unwrap();
        if dest.ends_with(".md") && !is_external(dest) {
            if let Some(p) = resolve_href(path, dest) {
                out.push(p);
            }
        }
        rest = &rest[end..];
    }
    out
}

// ---------------------------------------------------------------------------------------
// Links and self-containment.

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

// ---------------------------------------------------------------------------------------
// coverage.json and soa.csv

/// Asserts that `coverage.json` of the site built from `root` equals the independent model.
fn assert_coverage_json(root: &Path, m: &Model) {
    let (_tmp, out) = built(root);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("coverage.json")).unwrap()).unwrap();
    assert_eq!(json["generated"], TODAY);
    assert_eq!(json["framework"], "iso42001");

    for (key, kind) in [("controls", "control"), ("clauses", "clause")] {
        let items = json[key].as_array().unwrap();
        let expected: Vec<&CatalogEntry> = m.catalog.iter().filter(|e| e.kind == kind).collect();
        let got_ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
        let want_ids: Vec<&str> = expected.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            got_ids, want_ids,
            "{key} are not the catalog's, in its order"
        );
        for (item, e) in items.iter().zip(&expected) {
            let id = e.id.as_str();
            assert_eq!(item["title"], e.title.as_str(), "{id}");
            assert_eq!(item["state"], m.state[id].as_str(), "state of {id}");
            let docs: BTreeSet<String> = item["documents"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_str().unwrap().to_string())
                .collect();
            assert_eq!(docs, m.declared(id), "documents of {id}");
            let decision = m.soa.get(id).cloned().unwrap_or_default();
            if kind == "control" {
                assert_eq!(
                    item["applicable"],
                    decision.applicable.unwrap_or(true),
                    "{id}"
                );
                assert_eq!(
                    item["justification"].as_str(),
                    decision.justification.as_deref(),
                    "justification of {id}"
                );
            } else {
                assert_eq!(item["applicable"], true, "{id}");
            }
        }
    }
    let docs = json["documents"].as_array().unwrap();
    assert_eq!(docs.len(), m.docs.len());
    let mut ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    let sorted = {
        let mut s = ids.clone();
        s.sort();
        s
    };
    assert_eq!(ids, sorted, "documents are sorted by id");
    ids.dedup();
    assert_eq!(ids.len(), m.docs.len());
    for d in docs {
        let src = m.doc(d["id"].as_str().unwrap());
        assert_eq!(d["title"], src.str("title").unwrap().as_str());
        assert_eq!(d["status"], src.status().as_str());
        assert_eq!(
            d["type"],
            src.str("type").unwrap_or_else(|| "other".into()).as_str()
        );
        assert_eq!(d["path"], src.path.as_str());
        let list = |k: &str| -> Vec<String> {
            d[k].as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(list("controls"), src.refs("controls"), "{}", src.path);
        assert_eq!(list("clauses"), src.refs("clauses"), "{}", src.path);
    }
}

#[test]
fn coverage_json_of_the_sample_equals_what_the_sources_imply() {
    let root = sample();
    let m = Model::of(&root);
    assert_coverage_json(&root, &m);
    let states: BTreeSet<&str> = m.state.values().map(String::as_str).collect();
    for s in ["covered", "overdue", "draft", "excluded"] {
        assert!(states.contains(s), "the sample has no {s} entry");
    }
}

#[test]
fn coverage_rules_for_every_state() {
    // A fixture made to reach every state and the edges: retired documents count for
    // nothing, a future `effective` is draft, a review due today is not overdue, an
    // exclusion wins over documents, the best document wins for a control and the worst
    // sub-clause for a clause.
    let root = fixture("coverage-states");
    let m = Model::of(&root);
    assert_coverage_json(&root, &m);
    let expect = [
        ("A.2.2", "covered"),
        ("A.2.3", "draft"),
        ("A.2.4", "draft"),
        ("A.3.2", "draft"),
        ("A.3.3", "overdue"),
        ("A.4.2", "gap"),
        ("A.4.3", "draft"),
        ("A.4.4", "covered"),
        ("A.4.5", "excluded"),
        ("A.4.6", "excluded"),
        ("A.5.2", "covered"),
        ("A.5.3", "covered"),
        ("A.5.4", "gap"),
        ("5.1", "covered"),
        ("5.2", "covered"),
        ("5.3", "gap"),
        ("5", "gap"),
        ("6.1.1", "covered"),
        ("6.1.2", "draft"),
        ("6.1.3", "overdue"),
        ("6.1.4", "draft"),
        ("6.1", "draft"),
    ];
    // The model agrees with the rules as stated (a check on the model itself).
    for (id, state) in expect {
        assert_eq!(m.state[id], state, "model state of {id}");
    }
    let (_tmp, out) = built(&root);
    assert_catalog_pages(&out, &m);
}

#[test]
fn soa_csv_matches_soa_yaml() {
    let root = sample();
    let m = Model::of(&root);
    let (_tmp, out) = built(&root);
    let text = std::fs::read_to_string(out.join("soa.csv")).unwrap();
    let rows = parse_csv(&text);
    let controls: Vec<&CatalogEntry> = m.catalog.iter().filter(|e| e.kind == "control").collect();
    assert_eq!(controls.len(), 38);
    assert_eq!(
        rows.len(),
        1 + controls.len(),
        "header + one row per control"
    );
    assert_eq!(text.lines().count(), 39);
    assert_eq!(
        rows[0],
        [
            "control",
            "title",
            "applicable",
            "justification",
            "implementation",
            "documents"
        ]
    );
    for (row, e) in rows[1..].iter().zip(controls) {
        let d = m.soa.get(&e.id).cloned().unwrap_or_default();
        assert_eq!(row.len(), 6, "{row:?}");
        assert_eq!(row[0], e.id);
        assert_eq!(row[1], e.title);
        let applicable = d.applicable.unwrap_or(true);
        assert_eq!(row[2], if applicable { "yes" } else { "no" }, "{}", e.id);
        assert_eq!(row[3], d.justification.unwrap_or_default(), "{}", e.id);
        assert_eq!(row[4], d.implementation.unwrap_or_default(), "{}", e.id);
        let docs: BTreeSet<String> = row[5].split_whitespace().map(str::to_string).collect();
        assert_eq!(docs, m.declared(&e.id), "{}", e.id);
    }
    // Every decision of the sample is about a control that is in the CSV.
    assert!(m.soa.keys().all(|k| rows.iter().any(|r| &r[0] == k)));
}

// ---------------------------------------------------------------------------------------
// Pages

fn page_names(out: &Path, dir: &str) -> BTreeSet<String> {
    std::fs::read_dir(out.join(dir))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "index.html")
        .collect()
}

#[test]
fn a_page_per_document_control_and_clause() {
    let root = sample();
    let m = Model::of(&root);
    let (_tmp, out) = built(&root);
    let want_docs: BTreeSet<String> = m.docs.iter().map(|d| format!("{}.html", d.id())).collect();
    assert_eq!(want_docs.len(), 25);
    assert_eq!(page_names(&out, "documents"), want_docs);
    let of_kind = |k: &str| -> BTreeSet<String> {
        m.catalog
            .iter()
            .filter(|e| e.kind == k)
            .map(|e| format!("{}.html", e.id))
            .collect()
    };
    assert_eq!(of_kind("control").len(), 38);
    assert_eq!(page_names(&out, "controls"), of_kind("control"));
    assert_eq!(page_names(&out, "clauses"), of_kind("clause"));
    for f in [
        "index.html",
        "coverage.html",
        "soa.html",
        "register.html",
        "required.html",
        "404.html",
    ] {
        assert!(out.join(f).is_file(), "no {f}");
    }
}

/// `dt` → `dd` text of the metadata panel of a document page.
fn meta_panel(doc: &scraper::Html) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for div in doc.select(&sel("dl.meta-panel > div")) {
        let dt = div
            .select(&sel("dt"))
            .next()
            .map(text_of)
            .unwrap_or_default();
        let dd = div
            .select(&sel("dd"))
            .next()
            .map(text_of)
            .unwrap_or_default();
        out.insert(dt, dd);
    }
    out
}

#[test]
fn document_pages_show_metadata_addresses_and_backlinks() {
    let root = sample();
    let m = Model::of(&root);
    let (_tmp, out) = built(&root);
    let mut with_backlinks = 0;
    for d in &m.docs {
        let id = d.id();
        let p = page(&out, &format!("documents/{id}.html"));
        assert_eq!(texts(&p, "h1"), vec![d.str("title").unwrap()], "{id}");
        let meta = meta_panel(&p);
        assert_eq!(meta["Id"], id);
        assert_eq!(meta["Status"], d.status().replace('-', " "), "{id}");
        if let Some(owner) = d.str("owner") {
            assert_eq!(meta["Owner"], owner, "{id}");
        }
        if let Some(review) = d.str("review") {
            assert!(
                meta["Review due"].starts_with(&review),
                "{id}: {}",
                meta["Review due"]
            );
        }

        // Addresses: every declared control and clause, with its title.
        let addresses = texts(&p, ".addresses li");
        for c in d.refs("controls") {
            let want = format!("{c} {}", m.title(&c));
            assert!(
                addresses.iter().any(|a| a.starts_with(&want)),
                "{id}: no `{want}` in {addresses:?}"
            );
        }
        for c in d.refs("clauses") {
            let want = format!("Clause {c} {}", m.title(&c));
            assert!(
                addresses.iter().any(|a| a.starts_with(&want)),
                "{id}: no `{want}` in {addresses:?}"
            );
        }
        assert_eq!(
            addresses.len(),
            d.refs("controls").len() + d.refs("clauses").len()
        );

        // Referenced by: body links (wiki and relative) and `related`.
        let got: BTreeSet<String> = p
            .select(&sel(
                "section[aria-labelledby=aims-backlinks-heading] li > a",
            ))
            .map(|a| text_of(a).split(' ').next().unwrap().to_string())
            .collect();
        let want = m.referenced_by(d);
        assert_eq!(got, want, "Referenced by of {id}");
        if !want.is_empty() {
            with_backlinks += 1;
        }
    }
    assert!(
        with_backlinks > 10,
        "only {with_backlinks} documents have backlinks"
    );
}

#[test]
fn missing_metadata_is_shown_as_a_dash() {
    // The templates write `default(value="—")` for optional fields; an absent date must
    // show the dash, not an empty cell.
    let root = sample();
    let m = Model::of(&root);
    let (_tmp, out) = built(&root);
    let mut checked = 0;
    for d in &m.docs {
        let p = page(&out, &format!("documents/{}.html", d.id()));
        let meta = meta_panel(&p);
        for (field, label) in [
            ("version", "Version"),
            ("owner", "Owner"),
            ("approver", "Approver"),
            ("approved", "Approved"),
            ("effective", "Effective"),
            ("review", "Review due"),
        ] {
            if d.str(field).is_none() {
                checked += 1;
                assert_eq!(meta[label], "—", "{} has no `{field}`", d.id());
            }
        }
    }
    assert!(checked > 0, "every document of the sample has every field");
}

#[test]
fn control_and_clause_pages_list_implementing_documents_and_state() {
    let root = sample();
    let m = Model::of(&root);
    let (_tmp, out) = built(&root);
    assert_catalog_pages(&out, &m);
}

/// Every control and clause page shows its title, state and implementing documents.
fn assert_catalog_pages(out: &Path, m: &Model) {
    for e in m
        .catalog
        .iter()
        .filter(|e| e.kind == "control" || e.kind == "clause")
    {
        let dir = if e.kind == "control" {
            "controls"
        } else {
            "clauses"
        };
        let p = page(out, &format!("{dir}/{}.html", e.id));
        assert_eq!(texts(&p, "h1"), vec![format!("{} {}", e.id, e.title)]);
        let impl_ids: BTreeSet<String> = p
            .select(&sel("#implemented-by td a"))
            .map(|a| text_of(a).split(' ').next().unwrap().to_string())
            .collect();
        assert_eq!(impl_ids, m.declared(&e.id), "implemented by of {}", e.id);
        assert_eq!(
            texts(&p, ".entry-state .state"),
            vec![m.state[&e.id].clone()],
            "{}",
            e.id
        );
    }
}

#[test]
fn overdue_documents_are_flagged_on_their_page_and_in_the_register() {
    let root = sample();
    let m = Model::of(&root);
    let (_tmp, out) = built(&root);
    let overdue: BTreeSet<String> = m
        .docs
        .iter()
        .filter(|d| is_overdue(d))
        .map(|d| d.id())
        .collect();
    assert!(
        !overdue.is_empty(),
        "the sample should have an overdue document"
    );
    let register = page(&out, "register.html");
    for d in &m.docs {
        let id = d.id();
        let p = page(&out, &format!("documents/{id}.html"));
        let flagged = p.select(&sel(".notice-overdue")).next().is_some();
        assert_eq!(flagged, overdue.contains(&id), "overdue notice on {id}");
        let meta = meta_panel(&p);
        assert_eq!(
            meta["Review due"].contains("overdue"),
            overdue.contains(&id),
            "{id}"
        );
        let row = register
            .select(&sel(".register-table tbody tr"))
            .find(|r| r.select(&sel("th a")).next().map(text_of) == Some(id.clone()))
            .unwrap_or_else(|| panic!("{id} is not in the register"));
        let row_flagged = row.select(&sel(".flag-overdue")).next().is_some();
        assert_eq!(row_flagged, overdue.contains(&id), "register flag of {id}");
    }
}

#[test]
fn retired_documents_are_marked_and_point_to_their_successor() {
    let root = sample();
    let m = Model::of(&root);
    let (_tmp, out) = built(&root);
    let retired: Vec<&SourceDoc> = m.docs.iter().filter(|d| d.status() == "retired").collect();
    assert!(
        !retired.is_empty(),
        "the sample should have a retired document"
    );
    for d in &m.docs {
        let id = d.id();
        let p = page(&out, &format!("documents/{id}.html"));
        let notice = p.select(&sel(".notice-retired")).next();
        assert_eq!(
            notice.is_some(),
            d.status() == "retired",
            "retired notice on {id}"
        );
        let successors: BTreeSet<String> = m
            .docs
            .iter()
            .filter(|s| s.str("supersedes").as_deref() == Some(id.as_str()))
            .map(|s| s.id())
            .collect();
        if let Some(n) = notice {
            let linked: BTreeSet<String> = n
                .select(&sel("a"))
                .map(|a| text_of(a).split(' ').next().unwrap().to_string())
                .collect();
            assert_eq!(linked, successors, "successors of {id}");
        }
        if let Some(old) = d.str("supersedes") {
            assert_eq!(meta_panel(&p)["Supersedes"], old, "{id}");
        }
    }
}

#[test]
fn the_register_lists_every_document() {
    let root = sample();
    let m = Model::of(&root);
    let (_tmp, out) = built(&root);
    let register = page(&out, "register.html");
    let ids: Vec<String> = texts(&register, ".register-table tbody th a");
    let want: BTreeSet<String> = m.docs.iter().map(|d| d.id()).collect();
    assert_eq!(ids.len(), want.len());
    assert_eq!(ids.iter().cloned().collect::<BTreeSet<_>>(), want);
    for row in register.select(&sel(".register-table tbody tr")) {
        let id = text_of(row.select(&sel("th a")).next().unwrap());
        let cells: Vec<String> = row.select(&sel("td")).map(text_of).collect();
        let d = m.doc(&id);
        assert_eq!(cells[0], d.str("title").unwrap(), "{id}");
        assert!(
            cells[3].starts_with(&d.status().replace('-', " ")),
            "{id}: {}",
            cells[3]
        );
    }
}

/// `state` → count from a `.state-counts` list.
fn counts(list: scraper::ElementRef<'_>) -> BTreeMap<String, usize> {
    list.select(&sel("li"))
        .map(|li| {
            let state = text_of(li.select(&sel(".label")).next().unwrap());
            let n = text_of(li.select(&sel(".count")).next().unwrap())
                .parse()
                .unwrap();
            (state, n)
        })
        .collect()
}

#[test]
fn the_home_page_shows_counts_per_state() {
    let root = sample();
    let m = Model::of(&root);
    let (_tmp, out) = built(&root);
    let home = page(&out, "index.html");
    let lists: Vec<_> = home.select(&sel(".summary-card .state-counts")).collect();
    assert_eq!(lists.len(), 2);
    let tally = |ids: Vec<&String>| -> BTreeMap<String, usize> {
        let mut t: BTreeMap<String, usize> = ["covered", "overdue", "draft", "gap", "excluded"]
            .iter()
            .map(|s| (s.to_string(), 0))
            .collect();
        for id in ids {
            *t.get_mut(&m.state[id]).unwrap() += 1;
        }
        t
    };
    let controls = tally(
        m.catalog
            .iter()
            .filter(|e| e.kind == "control")
            .map(|e| &e.id)
            .collect(),
    );
    let leaves = tally(
        m.catalog
            .iter()
            .filter(|e| e.kind == "clause" && m.is_leaf_clause(&e.id))
            .map(|e| &e.id)
            .collect(),
    );
    assert_eq!(counts(lists[0]), controls);
    // Clauses cannot be excluded, so their summary has no `excluded` entry.
    let mut leaves = leaves;
    assert_eq!(leaves.remove("excluded"), Some(0));
    assert_eq!(counts(lists[1]), leaves);
    assert_eq!(controls.values().sum::<usize>(), 38);
}

#[test]
fn the_required_documents_page_lists_every_item() {
    let root = sample();
    let m = Model::of(&root);
    let (_tmp, out) = built(&root);
    let text =
        std::fs::read_to_string(repo().join("catalogs/iso42001/mandatory-documents.yaml")).unwrap();
    let v: Value = serde_yaml::from_str(&text).unwrap();
    let items = v["documents"].as_sequence().unwrap();
    assert_eq!(items.len(), 21);
    let p = page(&out, "required.html");
    let rows: Vec<_> = p.select(&sel(".required-table tbody tr")).collect();
    assert_eq!(rows.len(), items.len());
    for (row, item) in rows.iter().zip(items) {
        let clause = item["clause"].as_str().unwrap();
        assert_eq!(text_of(row.select(&sel("th")).next().unwrap()), clause);
        let strong = text_of(row.select(&sel("td strong")).next().unwrap());
        assert_eq!(strong, item["title"].as_str().unwrap());
        let state = text_of(row.select(&sel(".state")).next().unwrap());
        assert_eq!(
            state, m.state[clause],
            "state of required item for {clause}"
        );
        let docs: BTreeSet<String> = row.select(&sel("td a")).map(text_of).collect();
        let want: BTreeSet<String> = m
            .declared(clause)
            .into_iter()
            .filter(|d| contribution(m.doc(d)).is_some())
            .collect();
        assert_eq!(docs, want, "documents for {clause}");
    }
}

#[test]
fn wiki_links_render_the_target_title() {
    let root = sample();
    let m = Model::of(&root);
    let (_tmp, out) = built(&root);
    let (mut catalog_links, mut doc_links) = (0, 0);
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

// ---------------------------------------------------------------------------------------
// Theme overrides

const MARKER: &str = "FIXTURE-THEME-MARKER-7F3A";

#[test]
fn a_base_template_override_applies_to_every_page() {
    let root = fixture("theme-override");
    let (_tmp, out) = built(&root);
    let pages = tree(&out);
    let html: Vec<&String> = pages.keys().filter(|k| k.ends_with(".html")).collect();
    assert!(html.len() > 90, "only {} pages", html.len());
    // print.html is a page of its own, without navigation chrome: it extends no base.
    for rel in html.into_iter().filter(|r| *r != "print.html") {
        let text = String::from_utf8_lossy(&pages[rel]);
        assert!(
            text.contains(MARKER),
            "{rel} does not use the overriding base.html"
        );
    }
    assert!(
        !String::from_utf8_lossy(&pages["index.html"]).contains("class=\"sidebar\""),
        "the default base.html was used as well"
    );
}

#[test]
fn a_static_override_replaces_the_stylesheet() {
    let root = fixture("theme-override");
    let (_tmp, out) = built(&root);
    assert_eq!(
        std::fs::read(out.join("static/style.css")).unwrap(),
        std::fs::read(root.join("static/style.css")).unwrap()
    );
    // The default stylesheet is different, so the override was really applied.
    assert_ne!(
        std::fs::read(repo().join("themes/default/static/style.css")).unwrap(),
        std::fs::read(root.join("static/style.css")).unwrap()
    );
    // Theme folders are not read as input.
    assert!(!out.join("files/static/style.css").exists());
    assert!(!out.join("files/templates/base.html").exists());
}

#[test]
fn a_template_syntax_error_is_reported_with_its_file() {
    let root = fixture("theme-broken");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    for run in [check(&root), build(&root, &out)] {
        run.expect_code(1);
        let d = run.only("AIMS0012");
        assert_eq!(d.name, "template-error");
        assert_eq!(d.severity, "error");
        assert_eq!(
            d.file().as_deref(),
            Some("templates/base.html"),
            "{}",
            run.stderr
        );
    }
    assert!(!out.exists());
}
