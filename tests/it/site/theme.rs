//! Theme overrides in the AIMS folder: a base template, a stylesheet, and a template with a
//! syntax error.

use super::*;

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
