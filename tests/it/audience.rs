//! Audience builds (`build --audience`), what a public build discloses (`[public] coverage`)
//! and `aimsdoc coverage`.
//!
//! The key test is the leak test: a build for an audience must not contain, in any byte of
//! any output file, the id, the title or a sentence of a document the audience may not
//! read. Classifications and sentences are read from the sources here, independently of
//! aimsdoc; every needle is first shown to be findable in a build that does contain its
//! document, so that a needle that could never match does not pass silently.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------
// Building and reading sites
// ---------------------------------------------------------------------------------------

/// Builds `root` for `audience` (`None`: no `--audience`) into a temporary folder; asserts
/// success.
fn build_for(root: &Path, audience: Option<&str>) -> (TempDir, PathBuf, Run) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let mut a: Vec<OsString> = vec![
        "build".into(),
        root.into(),
        "-o".into(),
        out.clone().into(),
        "--today".into(),
        TODAY.into(),
    ];
    if let Some(aud) = audience {
        a.extend(["--audience".into(), aud.into()]);
    }
    let run = aimsdoc(a);
    run.expect_code(0);
    (tmp, out, run)
}

/// Collapses runs of whitespace to one space.
fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every output file as text, whitespace-normalised, for searching.
struct Site {
    files: Vec<(String, String)>,
}

impl Site {
    fn read(out: &Path) -> Site {
        let files = tree(out)
            .into_iter()
            .map(|(k, v)| (k, norm(&String::from_utf8_lossy(&v))))
            .collect();
        Site { files }
    }

    /// Files containing `needle` in any of the spellings an output may give it.
    fn hits(&self, needle: &str) -> Vec<String> {
        let forms = spellings(needle);
        self.files
            .iter()
            .filter(|(_, text)| forms.iter().any(|f| text.contains(f.as_str())))
            .map(|(k, _)| k.clone())
            .collect()
    }
}

/// `s` as written, HTML-escaped (by Tera, which also escapes `'` and `/`, and by the
/// Markdown renderer) and JSON-escaped; whitespace-normalised.
fn spellings(s: &str) -> BTreeSet<String> {
    let s = norm(s);
    let tera = s
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2F;");
    let cmark = s
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    let json = serde_json::to_string(&s).unwrap();
    let json = json[1..json.len() - 1].to_string();
    [s, tera, cmark, json].into_iter().collect()
}

// ---------------------------------------------------------------------------------------
// Reading the sources independently
// ---------------------------------------------------------------------------------------

/// 0 public, 1 internal (also when missing), 2 confidential.
fn rank(d: &SourceDoc) -> u8 {
    match d.str("classification").as_deref() {
        Some("public") => 0,
        Some("confidential") => 2,
        Some("internal") | None => 1,
        Some(other) => panic!("{}: classification {other}", d.path),
    }
}

/// The body without fenced code blocks.
fn prose(body: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in body.lines() {
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if !fenced {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Sentences of 60+ characters from the prose paragraphs of `body`, made only of letters,
/// digits, blanks and `,.;:()%-` (so that rendering cannot change their spelling), without
/// `[`, `|` or `#`.
fn sentences(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    // Paragraphs, and each list item on its own (items render as separate elements).
    let mut blocks: Vec<String> = Vec::new();
    for para in prose(body).split("\n\n") {
        let mut cur = String::new();
        for line in para.lines() {
            let t = line.trim_start();
            let item = t.starts_with("- ")
                || t.starts_with("* ")
                || t.split_once(". ")
                    .is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
            if item && !cur.is_empty() {
                blocks.push(std::mem::take(&mut cur));
            }
            cur.push_str(line);
            cur.push('\n');
        }
        blocks.push(cur);
    }
    for para in &blocks {
        let lines: Vec<&str> = para
            .lines()
            .map(|l| {
                let t = l.trim_start();
                // List markers: `- `, `* `, `1. `.
                let t = t
                    .strip_prefix("- ")
                    .or_else(|| t.strip_prefix("* "))
                    .unwrap_or(t);
                match t.split_once(". ") {
                    Some((n, rest)) if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()) => {
                        rest
                    }
                    _ => t,
                }
            })
            .collect();
        if lines
            .iter()
            .any(|l| l.starts_with('#') || l.starts_with('|') || l.starts_with('>'))
        {
            continue;
        }
        let text = norm(&lines.join(" "));
        for s in text.split_inclusive(". ") {
            let s = s.trim();
            let safe = s
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || " ,.;:()%-".contains(c));
            if s.len() >= 60 && safe && !s.contains("--") && !s.contains("..") {
                out.push(s.to_string());
            }
        }
    }
    out
}

/// `text` with Markdown link constructs removed: `[[...]]`, `[text](target)`,
/// `[text][ref]` and reference definitions. What is left is what an author wrote as plain
/// text, which a build may show.
fn without_links(text: &str) -> String {
    let mut s = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with('[') && t.contains("]:") {
            continue;
        }
        s.push_str(line);
        s.push('\n');
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(i) = rest.find('[') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        if let Some(inner) = after.strip_prefix("[[") {
            match inner.find("]]") {
                Some(j) => rest = &inner[j + 2..],
                None => {
                    rest = inner;
                }
            }
            continue;
        }
        match after.find(']') {
            Some(j) => {
                let tail = &after[j + 1..];
                let close = match tail.chars().next() {
                    Some('(') => tail.find(')').map(|k| j + 1 + k + 1),
                    Some('[') => tail.find(']').map(|k| j + 1 + k + 1),
                    _ => None,
                };
                match close {
                    Some(end) => rest = &after[end..],
                    None => {
                        out.push('[');
                        rest = &after[1..];
                    }
                }
            }
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// What a document must never show in a build that withholds it.
#[derive(Debug)]
struct Secret {
    path: String,
    id: String,
    title: String,
    /// Other distinctive front-matter values (owner, approver, tags).
    extra: Vec<String>,
    sentences: Vec<String>,
}

/// Every text of the AIMS an audience build may legitimately show: the bodies of the
/// documents it may read (links removed: those are rendered by aimsdoc), their titles, the
/// configuration, section titles, the catalog and the theme. A needle found in here is
/// not aimsdoc's to hide.
fn allowed_corpus(root: &Path, docs: &[SourceDoc], audience: u8, with_soa: bool) -> String {
    let mut c = String::new();
    for d in docs.iter().filter(|d| rank(d) <= audience) {
        c.push_str(&without_links(&d.body));
        c.push('\n');
        for k in ["id", "title", "owner", "approver"] {
            c.push_str(&d.str(k).unwrap_or_default());
            c.push('\n');
        }
        c.push_str(&d.path);
        c.push('\n');
        c.push_str(&d.list("tags").join("\n"));
        c.push('\n');
    }
    for (rel, bytes) in tree(root) {
        let name = rel.rsplit('/').next().unwrap();
        if name == "aims.toml" || name == "_section.toml" || (with_soa && name == "soa.yaml") {
            c.push_str(&String::from_utf8_lossy(&bytes));
            c.push('\n');
        }
    }
    c.push_str(&std::fs::read_to_string(repo().join("catalogs/iso42001/catalog.yaml")).unwrap());
    for (_, bytes) in tree(&repo().join("themes/default")) {
        c.push_str(&String::from_utf8_lossy(&bytes));
    }
    norm(&c)
}

/// The secrets of every document above `audience`, with needles that the allowed corpus
/// already contains left out (and reported in the returned list).
fn secrets(root: &Path, audience: u8, with_soa: bool) -> (Vec<Secret>, Vec<String>) {
    let docs = source_docs(root);
    let corpus = allowed_corpus(root, &docs, audience, with_soa);
    let mut skipped = Vec::new();
    let mut keep = |needle: String, what: &str, path: &str| -> Option<String> {
        if corpus.contains(&norm(&needle)) {
            skipped.push(format!("{path}: {what} `{needle}`"));
            None
        } else {
            Some(needle)
        }
    };
    let mut out = Vec::new();
    for d in docs.iter().filter(|d| rank(d) > audience) {
        // A sentence must be unique to this document among all sources.
        let elsewhere: String = docs
            .iter()
            .filter(|o| o.path != d.path)
            .map(|o| norm(&o.body))
            .collect::<Vec<_>>()
            .join("\n");
        let sentences: Vec<String> = sentences(&d.body)
            .into_iter()
            .filter(|s| !elsewhere.contains(s.as_str()))
            .filter_map(|s| keep(s, "sentence", &d.path))
            .take(4)
            .collect();
        let mut extra: Vec<String> = ["owner", "approver"]
            .iter()
            .filter_map(|k| d.str(k))
            .collect();
        extra.extend(d.list("tags"));
        let extra = extra
            .into_iter()
            .filter(|v| {
                // Only values no readable document shares.
                !docs.iter().filter(|o| rank(o) <= audience).any(|o| {
                    o.str("owner").as_deref() == Some(v)
                        || o.str("approver").as_deref() == Some(v)
                        || o.list("tags").contains(v)
                })
            })
            .filter_map(|v| keep(v, "value", &d.path))
            .collect();
        out.push(Secret {
            path: d.path.clone(),
            id: keep(d.id(), "id", &d.path).unwrap_or_default(),
            title: keep(d.str("title").unwrap(), "title", &d.path).unwrap_or_default(),
            extra,
            sentences,
        });
    }
    (out, skipped)
}

/// Asserts that no needle of `secrets` is in `site`, and that each one is in `full` (a
/// build that holds every document).
fn assert_no_leak(site: &Site, full: &Site, secrets: &[Secret], what: &str) {
    let mut leaks = Vec::new();
    let mut dead = Vec::new();
    for s in secrets {
        assert!(!s.id.is_empty(), "{}: its id is in readable text", s.path);
        assert!(
            !s.title.is_empty(),
            "{}: its title is in readable text",
            s.path
        );
        assert!(
            !s.sentences.is_empty(),
            "{}: no unique sentence of 60+ plain characters to search for",
            s.path
        );
        let needles = [&s.id, &s.title]
            .into_iter()
            .chain(&s.extra)
            .chain(&s.sentences);
        for n in needles {
            if full.hits(n).is_empty() {
                dead.push(format!("{}: `{n}`", s.path));
            }
            let h = site.hits(n);
            if !h.is_empty() {
                leaks.push(format!("{}: `{n}` in {}", s.path, h.join(", ")));
            }
        }
    }
    assert!(
        dead.is_empty(),
        "needles not found even in the full build (the test is broken):\n{}",
        dead.join("\n")
    );
    assert!(
        leaks.is_empty(),
        "the {what} build leaks withheld documents:\n{}",
        leaks.join("\n")
    );
}

/// Asserts that the id, title and at least one sentence of each readable document are in
/// `site` (the needles work on this very build).
fn assert_present(site: &Site, docs: &[&SourceDoc]) {
    for d in docs {
        assert!(!site.hits(&d.id()).is_empty(), "{} is missing", d.id());
        assert!(
            !site.hits(&d.str("title").unwrap()).is_empty(),
            "the title of {} is missing",
            d.id()
        );
        let s = sentences(&d.body);
        if !s.is_empty() {
            assert!(
                s.iter().any(|x| !site.hits(x).is_empty()),
                "no sentence of {} is in the build",
                d.id()
            );
        }
    }
}

/// The document pages of a site, as ids.
fn doc_pages(out: &Path) -> BTreeSet<String> {
    tree(out)
        .keys()
        .filter_map(|k| k.strip_prefix("documents/")?.strip_suffix(".html"))
        .map(str::to_string)
        .collect()
}

/// Asserts that every page's footer names the edition.
fn assert_edition(out: &Path, edition: &str) {
    let pages = html_pages(out);
    assert!(pages.len() > 50);
    for (rel, doc) in &pages {
        let footer = texts(doc, "footer");
        assert!(
            footer
                .iter()
                .any(|f| f.contains(&format!("{edition} edition"))),
            "{rel}: footer {footer:?} does not say {edition} edition"
        );
        for other in ["public", "internal", "confidential"] {
            if other != edition {
                assert!(
                    !footer
                        .iter()
                        .any(|f| f.contains(&format!("{other} edition"))),
                    "{rel}: footer says {other} edition"
                );
            }
        }
    }
}

/// Ids (and `dir/file.md` paths) referenced from `d`'s body: wiki links and Markdown links
/// (inline and reference-style), one per reference.
fn body_references(d: &SourceDoc) -> Vec<String> {
    let body = prose(&d.body);
    let dir = d.path.rsplit_once('/').map_or("", |(a, _)| a);
    let resolve = |target: &str| -> String {
        let path = target.split('#').next().unwrap();
        resolve_href(&format!("{dir}/x"), path).unwrap_or_default()
    };
    let mut out = Vec::new();
    let mut defs: BTreeMap<String, String> = BTreeMap::new();
    for line in body.lines() {
        let t = line.trim_start();
        if let Some((label, target)) = t.strip_prefix('[').and_then(|r| r.split_once("]:")) {
            defs.insert(label.to_lowercase(), resolve(target.trim()));
        }
    }
    let mut rest = body.as_str();
    while let Some(i) = rest.find('[') {
        let after = &rest[i..];
        if let Some(inner) = after.strip_prefix("[[") {
            let j = inner.find("]]").unwrap_or(inner.len());
            let id = inner[..j].split(['|', '#']).next().unwrap().trim();
            out.push(id.to_string());
            rest = &inner[(j + 2).min(inner.len())..];
            continue;
        }
        let Some(j) = after.find(']') else { break };
        let tail = &after[j + 1..];
        if let Some(t) = tail.strip_prefix('(') {
            if let Some(k) = t.find(')') {
                let target = &t[..k];
                if !target.starts_with('#') && !is_external(target) {
                    out.push(resolve(target));
                }
                rest = &t[k + 1..];
                continue;
            }
        }
        if let Some(t) = tail.strip_prefix('[') {
            if let Some(k) = t.find(']') {
                if let Some(p) = defs.get(&t[..k].to_lowercase()) {
                    out.push(p.clone());
                }
                rest = &t[k + 1..];
                continue;
            }
        }
        rest = &after[1..];
    }
    out
}

/// Checks, on every readable document's page, that each reference to a withheld document
/// is the plain text "internal document" and no link.
fn assert_withheld_links(out: &Path, docs: &[SourceDoc], audience: u8) {
    let withheld: BTreeSet<String> = docs
        .iter()
        .filter(|d| rank(d) > audience)
        .flat_map(|d| [d.id(), d.path.clone()])
        .collect();
    let mut total = 0;
    for d in docs.iter().filter(|d| rank(d) <= audience) {
        let expected = body_references(d)
            .iter()
            .filter(|r| withheld.contains(*r))
            .count();
        let p = page(out, &format!("documents/{}.html", d.id()));
        let spans: Vec<_> = p.select(&sel(".doc-body .withheld")).collect();
        assert_eq!(
            spans.len(),
            expected,
            "{}: expected {expected} withheld references",
            d.id()
        );
        for s in spans {
            assert_eq!(text_of(s), "internal document");
            assert_ne!(s.value().name(), "a");
            assert!(
                s.ancestors()
                    .filter_map(scraper::ElementRef::wrap)
                    .all(|a| a.value().name() != "a"),
                "{}: a withheld reference is inside a link",
                d.id()
            );
            assert!(s.select(&sel("a")).next().is_none());
        }
        total += expected;
    }
    assert!(total > 0, "no reference to a withheld document was checked");
}

// ---------------------------------------------------------------------------------------
// The leak tests
// ---------------------------------------------------------------------------------------

fn full_site(root: &Path) -> (TempDir, Site) {
    let (tmp, out, _) = build_for(root, Some("confidential"));
    (tmp, Site::read(&out))
}

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
    assert_eq!(keys, BTreeSet::from(["counts", "framework", "generated"]));
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
    assert!(out.join("soa.html").is_file());
    assert_links_resolve(&out);
}

#[test]
fn a_confidential_build_holds_everything_and_the_default_build_is_marked_internal() {
    let root = sample();
    let docs = source_docs(&root);
    let all: BTreeSet<String> = docs.iter().map(|d| d.id()).collect();
    let (_t, out, _) = build_for(&root, Some("confidential"));
    assert_eq!(doc_pages(&out), all);
    assert_edition(&out, "confidential");
    assert!(tree(&out)
        .values()
        .all(|b| !String::from_utf8_lossy(b).contains("class=\"withheld\"")));
    let (_t2, out2, _) = build_for(&root, None);
    assert_eq!(doc_pages(&out2), all);
    assert_edition(&out2, "internal");
}

#[test]
fn withheld_references_of_every_kind_in_a_public_build() {
    let root = fixture("audience-edges");
    let docs = source_docs(&root);
    let (_t, out, _) = build_for(&root, Some("public"));
    let site = Site::read(&out);
    let (_f, full) = full_site(&root);
    let (secrets, skipped) = secrets(&root, 0, false);
    assert!(skipped.is_empty(), "{skipped:?}");
    // Owners, approvers and tags of withheld documents are needles too.
    assert!(secrets.iter().map(|s| s.extra.len()).sum::<usize>() >= 5);
    assert_no_leak(&site, &full, &secrets, "public");
    // The linked file of an internal document and its name stay out.
    assert!(site.hits("secret-plan").is_empty());
    assert!(!out.join("files").exists());
    assert!(site.hits("lighthouse railings").is_empty());
    // The SoA justification is not shown with counts disclosure.
    assert!(site.hits("Quarterly harbour lantern review").is_empty());

    assert_eq!(
        doc_pages(&out),
        BTreeSet::from(["PUB-OLD-001".to_string(), "PUB-POL-001".to_string()])
    );
    // [[INT-ALPHA-001|label]], [text](../internal/alpha.md#method), [[INT-BETA-001]] (no
    // classification: internal) and a reference-style link.
    assert_eq!(
        body_references(&docs[docs.iter().position(|d| d.id() == "PUB-POL-001").unwrap()]).len(),
        6
    );
    assert_withheld_links(&out, &docs, 0);

    let pol = page(&out, "documents/PUB-POL-001.html");
    // Related: only the public one; no "Supersedes" for a withheld predecessor.
    let related: Vec<String> = texts(&pol, ".doc-list li a");
    assert!(
        related.iter().all(|r| r.contains("PUB-OLD-001")),
        "{related:?}"
    );
    let dts = texts(&pol, ".meta-panel dt");
    assert!(!dts.iter().any(|t| t == "Supersedes"), "{dts:?}");
    // A public retired document replaced by an internal one does not say by what.
    let old = page(&out, "documents/PUB-OLD-001.html");
    let notice = texts(&old, ".notice-retired");
    assert_eq!(notice.len(), 1);
    assert!(!notice[0].contains("superseded by"), "{notice:?}");
    // Coverage is judged from public documents: A.5.2 (claimed only by an internal
    // document) is a gap here and covered in the internal build.
    let state = |out: &Path, id: &str| {
        texts(
            &page(out, &format!("controls/{id}.html")),
            ".entry-state .state",
        )
    };
    assert_eq!(state(&out, "A.5.2"), ["gap"]);
    assert_eq!(state(&out, "A.2.2"), ["covered"]);
    let a52 = page(&out, "controls/A.5.2.html");
    assert!(a52.select(&sel("#implemented-by table")).next().is_none());
    let (_ti, internal, _) = build_for(&root, Some("internal"));
    assert_eq!(state(&internal, "A.5.2"), ["covered"]);
    assert_edition(&out, "public");
    assert_links_resolve(&out);
}

#[test]
fn withheld_references_in_an_internal_build() {
    let root = fixture("audience-edges");
    let docs = source_docs(&root);
    let (_t, out, _) = build_for(&root, Some("internal"));
    let site = Site::read(&out);
    let (_f, full) = full_site(&root);
    let (secrets, _) = secrets(&root, 1, true);
    assert_eq!(
        secrets.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["CONF-GAMMA-001"]
    );
    assert_no_leak(&site, &full, &secrets, "internal");
    assert_present(
        &site,
        &docs.iter().filter(|d| rank(d) <= 1).collect::<Vec<_>>(),
    );
    assert_withheld_links(&out, &docs, 1);
    // The internal document's linked file is published to internal readers.
    assert!(out.join("files/files/secret-plan.txt").is_file());
    // The unclassified document counts as internal.
    assert!(out.join("documents/INT-BETA-001.html").is_file());
    assert_links_resolve(&out);
}

// ---------------------------------------------------------------------------------------
// [public] coverage = full | counts | none
// ---------------------------------------------------------------------------------------

/// A copy of the audience fixture with `extra` appended to aims.toml.
fn with_config(extra: &str) -> (TempDir, PathBuf) {
    let (tmp, root) = temp_copy(&fixture("audience-edges"));
    let mut toml = std::fs::read_to_string(root.join("aims.toml")).unwrap();
    toml.push_str(extra);
    write(&root, "aims.toml", toml);
    (tmp, root)
}

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
    assert_eq!(keys, BTreeSet::from(["counts", "framework", "generated"]));
    for kind in ["controls", "clauses"] {
        let c = cov["counts"][kind].as_object().unwrap();
        let total = c["total"].as_u64().unwrap();
        let sum: u64 = ["covered", "overdue", "draft", "gap", "excluded"]
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

// ---------------------------------------------------------------------------------------
// aimsdoc coverage
// ---------------------------------------------------------------------------------------

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
        ["kind", "id", "title", "state", "applicable", "documents"]
    );
    assert!(run
        .stdout
        .starts_with("kind,id,title,state,applicable,documents\r\n"));
    let body = &rows[1..];
    assert!(body.iter().all(|r| r.len() == 6), "ragged rows");
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
            assert_eq!(row[5], docs.join(" "));
            assert_eq!(row[4] == "yes", c["applicable"].as_bool().unwrap());
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
            "covered": n("covered"), "overdue": n("overdue"), "draft": n("draft"),
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
    // Judged from public documents only.
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
    let (ps, fs) = (states_of(&public_json), states_of(&full_json));
    assert!(ps != fs, "the audience changes no state");
    // A control no public document claims cannot be covered for the public.
    let claimed: BTreeSet<String> = docs
        .iter()
        .filter(|d| rank(d) == 0)
        .flat_map(|d| d.refs("controls"))
        .collect();
    for (id, s) in &ps {
        if id.starts_with("A.") && !claimed.contains(id) {
            assert!(["gap", "excluded"].contains(&s.as_str()), "{id} is {s}");
        }
    }
    // The public build (counts) has exactly the counts of these states.
    let (_t, out, _) = build_for(&root, Some("public"));
    let built: Value =
        serde_json::from_slice(&std::fs::read(out.join("coverage.json")).unwrap()).unwrap();
    assert_eq!(built["counts"], counts_of(&public_json));
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

// ---------------------------------------------------------------------------------------
// Help
// ---------------------------------------------------------------------------------------

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
