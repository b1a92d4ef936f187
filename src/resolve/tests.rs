//! Unit tests of the resolve stage over small manuals held in memory and loaded by the real
//! loader: the id index, duplicate ids, wiki and path references, anchors, backlinks,
//! `related`, `supersedes` and withheld documents.

use std::collections::BTreeMap;

use super::*;
use crate::diagnostics::Severity;
use crate::load::{self, MemorySource, Source};

/// A loaded manual and the files it came from.
struct Aims {
    src: MemorySource,
    manual: Manual,
}

impl Aims {
    /// Loads `files` (plus a minimal aims.toml); the loader must report no error.
    fn load(files: &[(&str, &str)]) -> Aims {
        let mut map: BTreeMap<PathBuf, Vec<u8>> = files
            .iter()
            .map(|(p, t)| (PathBuf::from(p), t.as_bytes().to_vec()))
            .collect();
        map.insert(
            PathBuf::from("aims.toml"),
            b"title = \"Test AIMS\"\norganization = \"Test Ltd\"\n".to_vec(),
        );
        let src = MemorySource::from(map);
        let mut diags = Vec::new();
        let manual = load::load(&src, Path::new("aims"), Vec::new(), &mut diags)
            .expect("aims.toml is there")
            .expect("aims.toml is valid");
        let errors: Vec<&Diagnostic> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "the loader reported {errors:#?}");
        Aims { src, manual }
    }

    /// Resolves with `withheld`; returns the result and the diagnostics.
    fn resolve_with(&self, withheld: &Withheld) -> (Resolved, Vec<Diagnostic>) {
        let text_of = |p: &Path| {
            self.src
                .read(p)
                .ok()
                .map(|b| String::from_utf8_lossy(&b).into_owned())
        };
        let mut diags = Vec::new();
        let r = resolve_with(&self.manual, withheld, &text_of, &mut diags);
        (r, diags)
    }

    /// Resolves a full build.
    fn resolve(&self) -> (Resolved, Vec<Diagnostic>) {
        self.resolve_with(&Withheld::default())
    }

    /// The index of the document at `path`.
    fn at(&self, path: &str) -> DocIndex {
        self.manual
            .docs()
            .find(|(_, d)| d.path == Path::new(path))
            .map(|(i, _)| i)
            .unwrap_or_else(|| panic!("no document {path}"))
    }
}

/// A document with `id`, extra front-matter lines and a body.
fn doc(id: &str, extra: &str, body: &str) -> String {
    format!("---\nid: {id}\ntitle: Title of {id}\n{extra}---\n{body}")
}

/// `(code, file:line:col, message, suggestion)` of each diagnostic, in order.
fn summary(diags: &[Diagnostic]) -> Vec<(&'static str, String, String, Option<String>)> {
    diags
        .iter()
        .map(|d| {
            (
                d.code.id,
                format!(
                    "{}:{}:{}",
                    d.span.file.display(),
                    d.span.line,
                    d.span.column
                ),
                d.message.clone(),
                d.suggestion.clone(),
            )
        })
        .collect()
}

fn catalog_link(id: &str, anchor: Option<&str>) -> Link {
    Link::Catalog {
        id: CatalogId::new(id),
        anchor: anchor.map(str::to_string),
    }
}

fn to_doc(doc: DocIndex, anchor: Option<&str>) -> Link {
    Link::Doc {
        doc,
        anchor: anchor.map(str::to_string),
    }
}

#[test]
fn relative_joins() {
    assert_eq!(
        join_relative(Path::new("a/b"), "../c/d.md"),
        Some(PathBuf::from("a/c/d.md"))
    );
    assert_eq!(
        join_relative(Path::new(""), "x.md"),
        Some(PathBuf::from("x.md"))
    );
    assert_eq!(join_relative(Path::new("a"), "../../x.md"), None);
}

#[test]
fn relative_joins_skip_dots_and_accept_backslashes() {
    assert_eq!(
        join_relative(Path::new("a"), "./b/../c\\d.md"),
        Some(PathBuf::from("a/c/d.md"))
    );
    assert_eq!(join_relative(Path::new(""), "../x.md"), None);
}

#[test]
fn ids_index_every_document() {
    let aims = Aims::load(&[
        ("policies/p.md", &doc("POL-1", "", "")),
        ("procedures/q.md", &doc("PRO-1", "", "")),
    ]);
    let (r, diags) = aims.resolve();
    assert!(diags.is_empty(), "{diags:#?}");
    assert_eq!(r.by_id.len(), 2);
    assert_eq!(r.by_id["POL-1"], aims.at("policies/p.md"));
    assert_eq!(r.by_id["PRO-1"], aims.at("procedures/q.md"));
    assert_eq!(r.links, vec![Vec::<Link>::new(); 2].into());
}

#[test]
fn a_duplicate_id_ignoring_case_is_reported_at_the_second_and_the_first_keeps_it() {
    let aims = Aims::load(&[
        ("a.md", &doc("POL-1", "", "")),
        ("b.md", &doc("pol-1", "", "")),
        ("c.md", &doc("POL-1", "", "")),
    ]);
    let (r, diags) = aims.resolve();
    assert_eq!(
        summary(&diags),
        vec![
            (
                "AIMS0116",
                "b.md:2:5".to_string(),
                "document id `pol-1` is already used by a.md (`POL-1`)".to_string(),
                Some("give every document its own id; ids are compared ignoring case".into()),
            ),
            (
                "AIMS0116",
                "c.md:2:5".to_string(),
                "document id `POL-1` is already used by a.md (`POL-1`)".to_string(),
                Some("give every document its own id; ids are compared ignoring case".into()),
            ),
        ]
    );
    assert_eq!(r.by_id.len(), 1);
    assert_eq!(r.by_id["POL-1"], aims.at("a.md"));
}

#[test]
fn references_name_ids_exactly_though_ids_are_unique_ignoring_case() {
    let aims = Aims::load(&[
        ("a.md", &doc("POL-1", "", "")),
        (
            "b.md",
            &doc("GUIDE-7", "related: [pol-1]\n", "See [[Pol-1]].\n"),
        ),
    ]);
    let (r, diags) = aims.resolve();
    let s = summary(&diags);
    assert_eq!(s.len(), 2, "{s:#?}");
    for (d, text) in s.iter().zip(["pol-1", "Pol-1"]) {
        assert_eq!(d.0, code::UNKNOWN_DOCUMENT.id);
        assert_eq!(
            d.2,
            format!("no document or catalog entry has the id `{text}`")
        );
        assert_eq!(d.3.as_deref(), Some("did you mean POL-1?"));
    }
    let (a, b) = (aims.at("a.md"), aims.at("b.md"));
    assert_eq!(r.links[b], vec![Link::Broken]);
    assert!(r.related[b].is_empty());
    assert!(r.doc_backlinks[a].is_empty());
    assert_eq!(r.by_id.get("pol-1"), None);
    assert_eq!(r.by_id.get("POL-1"), Some(&a));
}

#[test]
fn wiki_links_resolve_to_documents_and_catalog_pages_and_record_backlinks() {
    let aims = Aims::load(&[
        (
            "a.md",
            &doc(
                "POL-1",
                "",
                "See [[PRO-1]], [[A.6.2.4]], [[6.1.2#soa]] and [[A.6]].\n",
            ),
        ),
        ("b.md", &doc("PRO-1", "", "")),
    ]);
    let (r, diags) = aims.resolve();
    assert!(diags.is_empty(), "{diags:#?}");
    let (a, b) = (aims.at("a.md"), aims.at("b.md"));
    assert_eq!(
        r.links[a],
        vec![
            to_doc(b, None),
            catalog_link("A.6.2.4", None),
            catalog_link("6.1.2", Some("soa")),
            catalog_link("A.6", None),
        ]
    );
    assert_eq!(r.doc_backlinks[b], BTreeSet::from([a]));
    assert!(r.doc_backlinks[a].is_empty());
    for id in ["A.6.2.4", "6.1.2", "A.6"] {
        assert_eq!(
            r.catalog_backlinks.get(&CatalogId::new(id)),
            Some(&BTreeSet::from([a])),
            "{id}"
        );
    }
}

#[test]
fn an_unknown_wiki_id_is_broken_and_reported_at_the_link_with_a_suggestion() {
    let aims = Aims::load(&[
        (
            "a.md",
            &doc(
                "POL-1",
                "",
                "Line one.\n\nSee [[POL-2]] and [[ZZZZZZZZ]].\n",
            ),
        ),
        ("b.md", &doc("POL-3", "", "")),
    ]);
    let (r, diags) = aims.resolve();
    assert_eq!(r.links[aims.at("a.md")], vec![Link::Broken, Link::Broken]);
    let s = summary(&diags);
    assert_eq!(s.len(), 2, "{s:#?}");
    // The body starts on line 5 of the file; `See ` opens its third line.
    assert_eq!(s[0].0, "AIMS0201");
    assert_eq!(s[0].1, "a.md:7:5");
    assert_eq!(
        s[0].2,
        "no document or catalog entry has the id `POL-2`".to_string()
    );
    assert!(
        s[0].3.as_deref().is_some_and(|h| h.contains("POL-3")),
        "{s:?}"
    );
    assert_eq!(s[1].1, "a.md:7:19");
    assert_eq!(s[1].3, None, "nothing is near ZZZZZZZZ");
}

#[test]
fn a_non_canonical_catalog_id_links_to_the_canonical_page_with_a_warning() {
    let aims = Aims::load(&[("a.md", &doc("POL-1", "", "[[a-6-2-4]]\n"))]);
    let (r, diags) = aims.resolve();
    assert_eq!(
        r.links[aims.at("a.md")],
        vec![catalog_link("A.6.2.4", None)]
    );
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, code::NON_CANONICAL_ID);
    assert_eq!(diags[0].severity, Severity::Warning);
    assert_eq!(diags[0].suggestion.as_deref(), Some("write [[A.6.2.4]]"));
}

#[test]
fn anchors_are_checked_against_the_headings_of_the_target() {
    let target = doc("PRO-1", "", "# Purpose\n\n## Scope\n\nText.\n");
    let aims = Aims::load(&[
        (
            "a.md",
            &doc(
                "POL-1",
                "",
                "## Intro\n\n[[PRO-1#scope]] [[PRO-1#scop]] [x](#intro) [y](#nowhere)\n",
            ),
        ),
        ("b.md", &target),
    ]);
    let (r, diags) = aims.resolve();
    let (a, b) = (aims.at("a.md"), aims.at("b.md"));
    assert_eq!(
        r.links[a],
        vec![
            to_doc(b, Some("scope")),
            Link::Broken,
            Link::SelfAnchor("intro".into()),
            Link::Broken,
        ]
    );
    let s = summary(&diags);
    assert_eq!(s.len(), 2, "{s:#?}");
    assert_eq!(s[0].0, "AIMS0202");
    assert_eq!(s[0].2, "PRO-1 has no heading with the anchor `#scop`");
    assert_eq!(s[0].3.as_deref(), Some("did you mean scope?"));
    assert_eq!(s[1].0, "AIMS0202");
    assert_eq!(s[1].2, "POL-1 has no heading with the anchor `#nowhere`");
    assert_eq!(s[1].3.as_deref(), Some("its anchors are: intro"));
    // Only the link whose anchor checked out counts as a backlink.
    assert_eq!(r.doc_backlinks[b], BTreeSet::from([a]));
}

#[test]
fn catalog_anchors_are_limited_to_the_sections_of_a_catalog_page() {
    let aims = Aims::load(&[(
        "a.md",
        &doc(
            "POL-1",
            "",
            "[[A.6.2.4#referenced-by]] [[A.6.2.4#history]] [[A.6#soa]]\n",
        ),
    )]);
    let (r, diags) = aims.resolve();
    assert_eq!(
        r.links[aims.at("a.md")],
        vec![
            catalog_link("A.6.2.4", Some("referenced-by")),
            Link::Broken,
            Link::Broken
        ]
    );
    let s = summary(&diags);
    assert_eq!(s.len(), 2, "{s:#?}");
    assert_eq!(s[0].2, "the page of A.6.2.4 has no anchor `#history`");
    assert_eq!(
        s[0].3.as_deref(),
        Some("its anchors are: summary, soa, implemented-by, referenced-by")
    );
    assert_eq!(
        s[1].2,
        "A.6 is shown on the controls index, which has no anchor `#soa`"
    );
    // A broken catalog link is not a backlink.
    assert_eq!(
        r.catalog_backlinks.get(&CatalogId::new("A.6.2.4")),
        Some(&BTreeSet::from([aims.at("a.md")]))
    );
    assert_eq!(r.catalog_backlinks.get(&CatalogId::new("A.6")), None);
}

#[test]
fn path_links_resolve_to_documents_and_assets_relative_to_the_linking_file() {
    let aims = Aims::load(&[
        (
            "policies/a.md",
            &doc(
                "POL-1",
                "",
                "[p](../procedures/b.md) [s](../procedures/b.md#scope) [i](../img/chart.png#x)\n",
            ),
        ),
        ("procedures/b.md", &doc("PRO-1", "", "## Scope\n")),
        ("img/chart.png", "png"),
        ("img/unlinked.png", "png"),
    ]);
    let (r, diags) = aims.resolve();
    assert!(diags.is_empty(), "{diags:#?}");
    let (a, b) = (aims.at("policies/a.md"), aims.at("procedures/b.md"));
    assert_eq!(
        r.links[a],
        vec![
            to_doc(b, None),
            to_doc(b, Some("scope")),
            Link::Asset {
                path: PathBuf::from("img/chart.png"),
                anchor: Some("x".into()),
            },
        ]
    );
    assert_eq!(r.doc_backlinks[b], BTreeSet::from([a]));
    assert_eq!(
        r.linked_assets,
        BTreeSet::from([PathBuf::from("img/chart.png")])
    );
}

#[test]
fn broken_path_links_say_whether_the_target_is_missing_or_outside() {
    let aims = Aims::load(&[
        (
            "policies/a.md",
            &doc(
                "POL-1",
                "",
                "[1](../policies/c.md) [2](../img/none.png) [3](../../up.md) [4](b.md#scope)\n",
            ),
        ),
        ("policies/b.md", &doc("POL-2", "", "## Purpose\n")),
    ]);
    let (r, diags) = aims.resolve();
    assert_eq!(r.links[aims.at("policies/a.md")], vec![Link::Broken; 4]);
    let s = summary(&diags);
    let messages: Vec<&str> = s.iter().map(|d| d.2.as_str()).collect();
    assert_eq!(
        messages,
        vec![
            "link `../policies/c.md` points to policies/c.md, which is not a document of this AIMS",
            "link `../img/none.png` points to img/none.png, which does not exist",
            "link `../../up.md` points outside the AIMS folder",
            "POL-2 has no heading with the anchor `#scope`",
        ]
    );
    let codes: Vec<&str> = s.iter().map(|d| d.0).collect();
    assert_eq!(codes, ["AIMS0203", "AIMS0203", "AIMS0203", "AIMS0202"]);
    // A near document path is offered as "the document".
    assert_eq!(
        s[0].3.as_deref(),
        Some("did you mean the document policies/a.md or policies/b.md?")
    );
    assert_eq!(s[0].1, "policies/a.md:5:1");
}

#[test]
fn a_link_to_itself_is_kept_but_is_not_a_backlink() {
    let aims = Aims::load(&[("a.md", &doc("POL-1", "related: [POL-1]\n", "[[POL-1]]\n"))]);
    let (r, diags) = aims.resolve();
    assert!(diags.is_empty(), "{diags:#?}");
    let a = aims.at("a.md");
    assert_eq!(r.links[a], vec![to_doc(a, None)]);
    assert!(r.doc_backlinks[a].is_empty());
    assert!(r.related[a].is_empty());
}

#[test]
fn related_documents_are_deduplicated_and_back_linked_and_unknown_ones_reported() {
    let aims = Aims::load(&[
        (
            "a.md",
            &doc("POL-1", "related: [PRO-1, PRO-2, PRO-1, PRO-9]\n", ""),
        ),
        ("b.md", &doc("PRO-1", "", "")),
        ("c.md", &doc("PRO-2", "", "")),
    ]);
    let (r, diags) = aims.resolve();
    let (a, b, c) = (aims.at("a.md"), aims.at("b.md"), aims.at("c.md"));
    assert_eq!(r.related[a], vec![b, c]);
    assert_eq!(r.doc_backlinks[b], BTreeSet::from([a]));
    assert_eq!(r.doc_backlinks[c], BTreeSet::from([a]));
    let s = summary(&diags);
    assert_eq!(s.len(), 1, "{s:#?}");
    assert_eq!(s[0].0, "AIMS0201");
    assert_eq!(s[0].1, "a.md:4:32");
    assert_eq!(s[0].2, "no document or catalog entry has the id `PRO-9`");
}

#[test]
fn supersedes_links_both_ways_keeps_a_self_reference_and_reports_an_unknown_one() {
    let aims = Aims::load(&[
        ("new.md", &doc("POL-2", "supersedes: POL-1\n", "")),
        ("old.md", &doc("POL-1", "", "")),
        ("self.md", &doc("POL-3", "supersedes: POL-3\n", "")),
        ("lost.md", &doc("POL-4", "supersedes: POL-0\n", "")),
    ]);
    let (r, diags) = aims.resolve();
    let (new, old, me, lost) = (
        aims.at("new.md"),
        aims.at("old.md"),
        aims.at("self.md"),
        aims.at("lost.md"),
    );
    assert_eq!(r.supersedes[new], Some(old));
    assert_eq!(r.superseded_by[old], vec![new]);
    assert_eq!(r.supersedes[old], None);
    assert_eq!(r.supersedes[me], Some(me));
    assert!(r.superseded_by[me].is_empty());
    assert_eq!(r.supersedes[lost], None);
    let s = summary(&diags);
    assert_eq!(s.len(), 1, "{s:#?}");
    assert_eq!(s[0].1, "lost.md:4:13");
    assert_eq!(s[0].2, "no document or catalog entry has the id `POL-0`");
}

#[test]
fn controls_and_clauses_are_implemented_by_every_declaring_document_whatever_its_status() {
    let aims = Aims::load(&[
        (
            "a.md",
            &doc("POL-1", "controls: [A.6.2.4]\nclauses: [\"5.2\"]\n", ""),
        ),
        (
            "b.md",
            &doc("POL-2", "status: retired\ncontrols: [A.6.2.4, A.2.2]\n", ""),
        ),
    ]);
    let (r, _) = aims.resolve();
    let (a, b) = (aims.at("a.md"), aims.at("b.md"));
    let got: Vec<(&str, &Vec<DocIndex>)> = r
        .implemented_by
        .iter()
        .map(|(k, v)| (k.as_str(), v))
        .collect();
    assert_eq!(
        got,
        vec![
            ("5.2", &vec![a]),
            ("A.2.2", &vec![b]),
            ("A.6.2.4", &vec![a, b])
        ]
    );
}

#[test]
fn references_to_withheld_documents_are_withheld_not_broken() {
    let aims = Aims::load(&[
        (
            "policies/a.md",
            &doc(
                "POL-1",
                "related: [SEC-1, PRO-1]\nsupersedes: SEC-2\n",
                "[[SEC-1]] [s](../secret/s.md) [[NOPE-1]]\n",
            ),
        ),
        ("procedures/p.md", &doc("PRO-1", "", "")),
    ]);
    let withheld = Withheld {
        ids: ["SEC-1", "SEC-2"].into_iter().map(String::from).collect(),
        paths: [PathBuf::from("secret/s.md")].into_iter().collect(),
    };
    let (r, diags) = aims.resolve_with(&withheld);
    let (a, p) = (aims.at("policies/a.md"), aims.at("procedures/p.md"));
    assert_eq!(
        r.links[a],
        vec![Link::Withheld, Link::Withheld, Link::Broken]
    );
    assert_eq!(r.related[a], vec![p]);
    assert_eq!(r.supersedes[a], None);
    // Only the reference to a document that does not exist at all is reported.
    let s = summary(&diags);
    assert_eq!(s.len(), 1, "{s:#?}");
    assert_eq!(s[0].2, "no document or catalog entry has the id `NOPE-1`");

    // The same manual without withholding: all four withheld references are errors.
    let (r, diags) = aims.resolve();
    assert_eq!(r.links[a], vec![Link::Broken; 3]);
    assert_eq!(diags.len(), 5, "{:#?}", summary(&diags));
}

#[test]
fn suggestions_stop_after_the_first_hundred_distinct_unknown_ids() {
    let body: String = (0..=MAX_SUGGESTED)
        .map(|n| format!("[[DOC-{n:03}X]]\n"))
        .chain(std::iter::once("[[DOC-000X]]\n".to_string()))
        .collect();
    let aims = Aims::load(&[
        ("a.md", &doc("DOC-000", "", &body)),
        ("b.md", &doc("DOC-001", "", "")),
    ]);
    let (_, diags) = aims.resolve();
    assert_eq!(diags.len(), MAX_SUGGESTED + 2);
    let with_help = diags.iter().filter(|d| d.suggestion.is_some()).count();
    // The first hundred distinct ids and the repeat of the first get one; the 101st not.
    assert_eq!(with_help, MAX_SUGGESTED + 1, "{:#?}", summary(&diags));
    assert_eq!(diags[MAX_SUGGESTED].suggestion, None);
    assert!(diags[MAX_SUGGESTED + 1].suggestion.is_some());
}
