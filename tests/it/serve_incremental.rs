//! `aimsdoc serve`'s incremental rebuild, driven in-process: after every edit of a long
//! series (bodies, links, headings, metadata, titles, new, moved and deleted documents, an
//! error and its fix, the SoA, theme overrides), the pages in memory are byte-identical to a
//! full `aimsdoc build` of the same tree, and body-only edits re-render only a few pages.

use crate::common;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use aimsdoc::date::Date;
use aimsdoc::serve::state::{Builder, Outcome};
use aimsdoc::BuildOptions;
use common::*;

fn today() -> Date {
    Date::parse(TODAY).expect("date")
}

fn full_build(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let out = tempfile::tempdir().expect("tempdir");
    let report = aimsdoc::build(&BuildOptions {
        root: root.to_path_buf(),
        out: Some(out.path().join("site")),
        today: today(),
        check_only: false,
        strict: false,
        audience: None,
        pdf: false,
        no_wait: false,
    })
    .expect("build");
    assert_eq!(report.errors, 0, "{:#?}", report.diagnostics);
    let mut t = tree(&out.path().join("site"));
    t.remove("manifest.json");
    t.remove(".aimsdoc-output");
    t
}

fn served(b: &Builder) -> BTreeMap<String, Vec<u8>> {
    b.pages()
        .iter()
        .map(|(k, v)| (k.clone(), v.to_vec()))
        .collect()
}

fn assert_matches_build(b: &Builder, root: &Path, step: &str) {
    let full = full_build(root);
    let mem = served(b);
    let missing: Vec<_> = full.keys().filter(|k| !mem.contains_key(*k)).collect();
    let extra: Vec<_> = mem.keys().filter(|k| !full.contains_key(*k)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{step}: missing {missing:?}, extra {extra:?}"
    );
    for (k, v) in &full {
        assert!(mem[k] == *v, "{step}: {k} differs from a full build");
    }
}

fn rebuild(b: &mut Builder, dirty: &[&str]) -> Outcome {
    let set: HashSet<PathBuf> = dirty.iter().map(PathBuf::from).collect();
    b.rebuild(&set).expect("rebuild")
}

fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let p = root.join(rel);
    let text = std::fs::read_to_string(&p).expect("read");
    std::fs::write(&p, f(text)).expect("write");
}

const RISK: &str = "procedures/ai-risk-management.md";

#[test]
fn every_edit_keeps_pages_identical_to_a_full_build() {
    let (_tmp, root) = temp_copy(&sample());
    let mut b = Builder::new(&root, vec![PathBuf::from("_site")], today());
    let first = rebuild(&mut b, &[]);
    assert_eq!(first.errors, 0);
    assert_matches_build(&b, &root, "first build");

    // A body edit re-renders only its own page (plus the whole-manual print page and the
    // search index, which hold its text).
    edit(&root, RISK, |t| {
        t + "\nA new paragraph about risk appetite.\n"
    });
    let o = rebuild(&mut b, &[RISK]);
    assert_eq!(o.reread, 1, "only the edited file is read again");
    assert_eq!(
        o.changed,
        vec![
            "documents/PRO-RISK-001.html",
            "print.html",
            "search-index.js"
        ]
    );
    // The search page has no dependency rule of its own, so it is re-rendered too.
    assert!(o.rendered <= 3, "rendered {} pages", o.rendered);
    assert_matches_build(&b, &root, "body edit");

    // New links: the targets' "referenced by" change too.
    edit(&root, RISK, |t| {
        t + "\nSee [[STD-LOG-001]], [[A.6.2.4]] and [the inventory](../registers/ai-system-inventory.md).\n"
    });
    let o = rebuild(&mut b, &[RISK]);
    assert!(
        o.changed
            .contains(&"documents/STD-LOG-001.html".to_string()),
        "{:?}",
        o.changed
    );
    assert!(o.rendered < 10, "rendered {} pages", o.rendered);
    assert_matches_build(&b, &root, "links added");

    // A heading renamed: the anchors other documents may link to.
    edit(&root, RISK, |t| {
        t.replacen(
            "## 1. Purpose and scope",
            "## 1. Purpose, scope and aims",
            1,
        )
    });
    rebuild(&mut b, &[RISK]);
    assert_matches_build(&b, &root, "heading renamed");

    // Metadata and title: lists, coverage, register and navigation change.
    edit(&root, RISK, |t| {
        t.replacen("status: approved", "status: in-review", 1)
    });
    let o = rebuild(&mut b, &[RISK]);
    assert!(o.rendered < first.rendered, "a status edit is selective");
    assert_matches_build(&b, &root, "status changed");
    let meta_edits: [(&str, &str, &str); 6] = [
        (
            "owner",
            "owner: Head of AI Governance",
            "owner: Chief Risk Officer",
        ),
        ("review overdue", "review: 2027-03-18", "review: 2026-01-01"),
        (
            "control added",
            "tags: [risk]",
            "tags: [risk, ops]\ncontrols: [A.6.2.4, A.5.2]",
        ),
        ("clause removed", "\"8.2\", \"8.3\"]", "\"8.2\"]"),
        (
            "related changed",
            "related: [REG-RISK-001, PRO-AIIA-001,",
            "related: [STD-DATA-001,",
        ),
        (
            "supersedes",
            "order: 1\n",
            "order: 1\nsupersedes: POL-AUP-001\n",
        ),
    ];
    for (what, from, to) in meta_edits {
        edit(&root, RISK, |t| {
            assert!(t.contains(from), "{what}: {from}");
            t.replacen(from, to, 1)
        });
        let o = rebuild(&mut b, &[RISK]);
        assert_eq!(o.errors, 0, "{what}: {:?}", o.diagnostics);
        assert!(!o.changed.is_empty(), "{what}");
        assert_matches_build(&b, &root, what);
    }
    edit(&root, RISK, |t| {
        t.replacen("status: in-review", "status: retired", 1)
    });
    rebuild(&mut b, &[RISK]);
    assert_matches_build(&b, &root, "retired");
    edit(&root, RISK, |t| {
        t.replacen("status: retired", "status: approved", 1)
    });
    rebuild(&mut b, &[RISK]);
    assert_matches_build(&b, &root, "approved again");
    edit(&root, RISK, |t| {
        t.replacen(
            "title: AI Risk Management Procedure",
            "title: AI Risk Procedure",
            1,
        )
    });
    let o = rebuild(&mut b, &[RISK]);
    assert!(
        o.changed.len() > 5,
        "a title shows in navigation: {:?}",
        o.changed
    );
    assert_matches_build(&b, &root, "title changed");

    // A new document in a new folder, then moved, then deleted.
    write(
        &root,
        "procedures/new-area/ai-red-teaming.md",
        "---\nid: PRO-RT-001\ntitle: AI Red Teaming\ntype: procedure\nstatus: draft\ncontrols: [A.6.2.4]\n---\n\n# Red teaming\n\nSee [[PRO-RISK-001]].\n",
    );
    let o = rebuild(
        &mut b,
        &[
            "procedures/new-area",
            "procedures/new-area/ai-red-teaming.md",
        ],
    );
    assert!(o.changed.contains(&"documents/PRO-RT-001.html".to_string()));
    assert_matches_build(&b, &root, "document added");
    std::fs::create_dir_all(root.join("standards/moved")).expect("mkdir");
    std::fs::rename(
        root.join("procedures/new-area/ai-red-teaming.md"),
        root.join("standards/moved/red-teaming.md"),
    )
    .expect("move");
    rebuild(
        &mut b,
        &[
            "procedures/new-area/ai-red-teaming.md",
            "standards/moved/red-teaming.md",
        ],
    );
    assert_matches_build(&b, &root, "document moved");
    std::fs::remove_file(root.join("standards/moved/red-teaming.md")).expect("rm");
    let o = rebuild(&mut b, &["standards/moved/red-teaming.md"]);
    assert!(
        o.changed.contains(&"documents/PRO-RT-001.html".to_string()),
        "removed page reported"
    );
    assert!(!b.pages().contains_key("documents/PRO-RT-001.html"));
    assert_matches_build(&b, &root, "document deleted");

    // An error keeps the last good pages; its fix publishes the fixed tree.
    let before = served(&b);
    edit(&root, RISK, |t| t + "\nSee [[A.6.2.9]].\n");
    let o = rebuild(&mut b, &[RISK]);
    assert_eq!(o.errors, 1);
    assert!(o.changed.is_empty());
    assert!(served(&b) == before, "the last good pages stay");
    edit(&root, RISK, |t| {
        t.replace("\nSee [[A.6.2.9]].\n", "\nSee [[A.6.2.8]].\n")
    });
    let o = rebuild(&mut b, &[RISK]);
    assert_eq!(o.errors, 0);
    assert!(o
        .changed
        .contains(&"documents/PRO-RISK-001.html".to_string()));
    assert_matches_build(&b, &root, "error fixed");

    // The SoA and the theme.
    edit(&root, "soa.yaml", |t| {
        t.replacen(
            "implementation: implemented}",
            "implementation: partial}",
            1,
        )
    });
    let o = rebuild(&mut b, &["soa.yaml"]);
    assert!(
        o.changed.contains(&"soa.html".to_string()),
        "{:?}",
        o.changed
    );
    assert_matches_build(&b, &root, "soa changed");
    write(&root, "static/style.css", "body { color: #123; }\n");
    let o = rebuild(&mut b, &["static/style.css"]);
    assert_eq!(o.changed, vec!["static/style.css"]);
    assert_matches_build(&b, &root, "stylesheet override");
    write(
        &root,
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Nothing here</h1>{% endblock content %}",
    );
    rebuild(&mut b, &["templates/404.html"]);
    assert_matches_build(&b, &root, "template override");
    // A broken template is an error until fixed; the last good pages stay.
    let before = served(&b);
    write(
        &root,
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}{{ }}",
    );
    let o = rebuild(&mut b, &["templates/404.html"]);
    assert!(o.errors > 0 && o.changed.is_empty(), "{:?}", o.diagnostics);
    assert!(served(&b) == before);
    let o = rebuild(&mut b, &[RISK]);
    assert!(o.errors > 0, "the template error is reported until fixed");
    write(
        &root,
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Gone</h1>{% endblock content %}",
    );
    let o = rebuild(&mut b, &["templates/404.html"]);
    assert_eq!(o.errors, 0);
    assert_eq!(o.changed, vec!["404.html"]);
    assert_matches_build(&b, &root, "template fixed");

    // Nothing changed: nothing reported.
    let o = rebuild(&mut b, &[RISK]);
    assert!(o.changed.is_empty(), "{:?}", o.changed);
}

#[test]
fn framework_declarations_and_references_re_render_their_entry_pages() {
    let (_tmp, root) = temp_copy(&sample());
    let mut b = Builder::new(&root, vec![PathBuf::from("_site")], today());
    assert_eq!(rebuild(&mut b, &[]).errors, 0);

    const SUP: &str = "procedures/ai-supplier-management.md";
    edit(&root, SUP, |t| {
        t.replace("[A.5.19, A.5.20, A.5.21]", "[A.5.19, A.5.22]")
    });
    let o = rebuild(&mut b, &[SUP]);
    for page in [
        "frameworks/iso27001/A.5.21.html",
        "frameworks/iso27001/A.5.22.html",
        "frameworks/iso27001/index.html",
        "frameworks/iso27001/soa.html",
    ] {
        assert!(
            o.changed.iter().any(|c| c == page),
            "{page}: {:?}",
            o.changed
        );
    }
    assert_matches_build(&b, &root, "framework declaration");

    edit(&root, RISK, |t| t + "\nSee also [[iso27001:A.8.1]].\n");
    let o = rebuild(&mut b, &[RISK]);
    assert!(
        o.changed
            .iter()
            .any(|c| c == "frameworks/iso27001/A.8.1.html"),
        "{:?}",
        o.changed
    );
    assert_matches_build(&b, &root, "framework reference");
}

#[test]
fn a_changed_iso42001_state_re_renders_the_entries_mapped_from_it() {
    let (_tmp, root) = temp_copy(&sample());
    let mut b = Builder::new(&root, vec![PathBuf::from("_site")], today());
    assert_eq!(rebuild(&mut b, &[]).errors, 0);

    // Only this procedure declares A.6.2.4, which the crosswalk maps to ISO/IEC 27001 A.8.29.
    const LIFE_CYCLE: &str = "procedures/ai-system-life-cycle.md";
    edit(&root, LIFE_CYCLE, |t| t.replacen("  - A.6.2.4\n", "", 1));
    let o = rebuild(&mut b, &[LIFE_CYCLE]);
    for page in [
        "frameworks/iso27001/A.8.29.html",
        "frameworks/iso27001/index.html",
    ] {
        assert!(
            o.changed.iter().any(|c| c == page),
            "{page}: {:?}",
            o.changed
        );
    }
    assert_matches_build(&b, &root, "ISO/IEC 42001 state behind a mapping");
}
