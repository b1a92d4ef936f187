//! Tests of the search index.
use super::*;
use crate::date::Date;
use crate::load::FsSource;

fn write(root: &std::path::Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("has a parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

fn doc(id: &str, title: &str, body: &str) -> String {
    format!("---\nid: {id}\ntitle: {title}\ntype: policy\nstatus: approved\ncontrols: [A.6.2.4]\n---\n{body}\n")
}

/// A small AIMS: two documents that mention each other's ids, one excluded draft, one
/// duplicate id. Returns the index of every page and the index without `PRO-1`.
fn fixture() -> (Index<'static>, Index<'static>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "aims.toml", "title = \"T\"\norganization = \"O\"\n");
    write(
        root,
        "policies/a.md",
        &doc(
            "POL-AI-001",
            "AI Policy",
            "## Scope\n\nWe verify models per A.6.2.4 and PRO-1. Zebra.",
        ),
    );
    write(
        root,
        "procedures/b.md",
        &doc(
            "PRO-1",
            "Impact assessment procedure",
            "## Steps\n\nSee [[POL-AI-001]] for the policy. Quokkas assess impact.",
        ),
    );
    write(
        root,
        "_drafts/secret.md",
        &doc("SEC-1", "Secret", "Unicorn text."),
    );
    write(
        root,
        "policies/z.md",
        &doc("POL-AI-001", "Duplicate", "Narwhal text."),
    );
    let src = FsSource::new(root);
    let today = Date::parse("2026-11-23").expect("date");
    let c = crate::pipeline::compile_complete(&src, root, today).expect("compiles");
    let (m, a) = (c.manual, c.analysis);
    // Leaked so the indexes can borrow them for the whole test.
    let m: &'static Manual = Box::leak(Box::new(m));
    let views: &'static [EntryView] = Box::leak(
        m.catalog
            .entries
            .iter()
            .map(|e| super::super::views::entry_view(m, &a, e))
            .collect::<Vec<_>>()
            .into_boxed_slice(),
    );
    let pages = super::super::pages(m, &c.resolved, crate::config::Disclosure::Full);
    let all = build(m, views, &pages);
    let subset: Vec<Page> = pages
        .iter()
        .filter(|p| !matches!(p, Page::Document(d) if m.doc(*d).meta.id.as_str() == "PRO-1"))
        .cloned()
        .collect();
    (all, build(m, views, &subset))
}

fn first(index: &Index, q: &str) -> String {
    query(index, q)
        .first()
        .map(|&i| index.entries[i].id.to_string())
        .unwrap_or_default()
}

#[test]
fn exact_ids_rank_first() {
    let (index, _) = fixture();
    assert_eq!(first(&index, "A.6.2.4"), "A.6.2.4");
    assert_eq!(first(&index, "a-6-2-4"), "A.6.2.4");
    assert_eq!(first(&index, "POL-AI-001"), "POL-AI-001");
    assert_eq!(first(&index, "pro-1"), "PRO-1");
    // 6.1.2 is also inside A.6.1.2: the clause itself comes first.
    assert_eq!(first(&index, "6.1.2"), "6.1.2");
    // A prefix finds the group's controls.
    assert!(first(&index, "A.6.2").starts_with("A.6.2."));
}

#[test]
fn finds_titles_headings_and_body_text() {
    let (index, _) = fixture();
    assert_eq!(first(&index, "impact assessment procedure"), "PRO-1");
    assert_eq!(first(&index, "quokkas assess"), "PRO-1");
    assert_eq!(first(&index, "Zebra"), "POL-AI-001");
    assert!(
        query(&index, "zebra quokkas").is_empty(),
        "every term must match"
    );
    let steps = query(&index, "steps");
    assert_eq!(index.entries[steps[0]].id, "PRO-1");
}

#[test]
fn holds_only_what_the_build_contains() {
    let (all, subset) = fixture();
    let js = String::from_utf8(all.to_js()).expect("utf-8");
    assert!(js.starts_with("/* aimsdoc search index"));
    assert!(js.contains("window.AIMSDOC_SEARCH = "));
    assert!(js.contains("Quokkas"));
    // Excluded files and documents without a page (duplicate id) are not in the index.
    assert!(!js.contains("Unicorn"), "excluded draft leaked");
    assert!(!js.contains("Narwhal"), "duplicate-id document leaked");
    let sub = String::from_utf8(subset.to_js()).expect("utf-8");
    assert!(
        !sub.contains("Quokkas"),
        "a document outside the build leaked"
    );
    assert!(query(&subset, "PRO-1")
        .iter()
        .all(|&i| subset.entries[i].id != "PRO-1"));
    assert_eq!(all.entries.len(), subset.entries.len() + 1);
}
