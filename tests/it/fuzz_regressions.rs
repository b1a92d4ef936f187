//! Inputs that crash or time out the fuzz targets in `fuzz/` (see FUZZING.md), run through
//! the real binary. Each test names its target.

use crate::common;

use std::path::{Path, PathBuf};

use common::*;
use tempfile::TempDir;

/// The private-use characters aimsdoc uses as placeholder marks in pre-rendered HTML.
const MARKS: [char; 4] = ['\u{E000}', '\u{E001}', '\u{E002}', '\u{E003}'];

/// Found by `markdown`: placeholder marks written in a document body forged placeholders wherever
/// the body reaches the HTML outside plain text (heading ids, link and image titles, footnote
/// labels, raw HTML, image alt text) and leaked from wiki-link ids and code-fence info strings
/// (minimised: `[[\u{E001}]]`, "```\u{E001}"). A forged placeholder put a whole `<a>` element
/// inside an attribute. Marks now become U+FFFD.
#[test]
fn placeholder_marks_in_a_body_are_plain_characters() {
    let (_tmp, root) = temp_aims();
    let m = |s: &str| s.replace('S', "\u{E000}").replace('E', "\u{E001}");
    let body = [
        "See [[POL-2]] first.".to_string(),
        m("## Heading {#xS0E}"),
        m("[[EPOL-OLD-000]] and [t](b.md \"tiS0Etle\") ![i](b.png \"iS0E\")"),
        "![a\u{E002}0\u{E001}lt\u{E003}](b.png) <span title=\"\u{E000}0\u{E001}\">raw</span>"
            .into(),
        m("Note[^S0E].\n\n[^S0E]: foot"),
        "[[\u{E003}]]\n\n```\u{E001}\ncode\n```".into(),
    ]
    .join("\n\n");
    write(
        &root,
        "policies/a.md",
        format!(
            "---\nid: POL-1\ntitle: One\nclassification: public\n\
             allow: [unknown-document]\n---\n{body}\n"
        ),
    );
    write(
        &root,
        "policies/b.md",
        "---\nid: POL-2\ntitle: Two\nclassification: public\n---\nB\n",
    );
    write(&root, "policies/b.png", "png");
    let out = root.join("_site");
    build(&root, &out).expect_code(0);
    for (path, bytes) in tree(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(MARKS), "{path} holds a placeholder mark");
    }
    let page = page(&out, "documents/POL-1.html");
    let fffd = "\u{FFFD}0\u{FFFD}";
    let attrs = |css: &str, attr: &str| -> Vec<String> {
        page.select(&sel(css))
            .filter_map(|e| e.value().attr(attr).map(str::to_string))
            .collect()
    };
    assert!(attrs("h2", "id").contains(&format!("x{fffd}")));
    assert!(attrs("a", "title").contains(&format!("ti{fffd}tle")));
    assert!(attrs("img", "title").contains(&format!("i{fffd}")));
    assert!(attrs("span", "title").contains(&fffd.to_string()));
    let ids = attrs("[id]", "id");
    assert!(ids.iter().all(|id| !id.contains('<')), "{ids:?}");
}

/// Runs check and build over `root` and asserts that both end with exit 0 or 1 (the helpers also
/// assert that aimsdoc did not panic). Returns the check run.
fn survives(root: &Path) -> Run {
    let checked = check(root);
    assert!(matches!(checked.code, 0 | 1), "{}", checked.stderr);
    let tmp = tempfile::tempdir().unwrap();
    let built = build(root, &tmp.path().join("out"));
    assert!(matches!(built.code, 0 | 1), "{}", built.stderr);
    checked
}

/// An AIMS whose document takes its review date from `review_interval` (line 3 of aims.toml).
fn with_interval(interval: &str) -> (TempDir, PathBuf) {
    let (tmp, root) = temp_aims();
    write(
        &root,
        "aims.toml",
        format!("title = \"T\"\norganization = \"O\"\nreview_interval = \"{interval}\"\n"),
    );
    write(
        &root,
        "policies/p.md",
        "---\nid: POL-1\ntitle: P\napproved: 2026-01-01\n---\nBody.\n",
    );
    (tmp, root)
}

/// The run failed with an error located on line 3 of aims.toml.
fn error_on_interval_line(run: &Run) {
    run.expect_code(1);
    let at_line = run.diagnostics().into_iter().any(|d| {
        d.severity == "error"
            && d.location
                .as_deref()
                .is_some_and(|l| l.starts_with("aims.toml:3:"))
    });
    assert!(at_line, "{}", run.stderr);
}

/// The `config` target panics on this input: `N weeks` multiplies N by 7 unchecked (src/date.rs,
/// `Interval::parse`), a panic on overflow in a debug build.
#[test]
fn review_interval_of_too_many_weeks_is_an_error() {
    let (_tmp, root) = with_interval("9223372036854775807 weeks");
    error_on_interval_line(&survives(&root));
}

/// The same kind of `aims.toml` input, in days: applying the interval to a document's approval date
/// makes `time::Duration::days` panic on overflow (src/date.rs, `Date::plus_days`), in release
/// builds too.
#[test]
fn review_interval_of_too_many_days_is_an_error() {
    let (_tmp, root) = with_interval("200000000000000 days");
    error_on_interval_line(&survives(&root));
}

/// `[` × depth, then `]` × depth.
fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

/// A timeout of the `front_matter` target: deeply nested flow collections make libyaml's scanner
/// quadratic before serde_norway's recursion limit of 128 is reached (60 KB: 113 s in the fuzz
/// build, 3 s in a debug build; grows with the square of the depth up to the 16 MiB file limit). A
/// nesting limit checked before parsing reports it as AIMS0013 limit-exceeded.
#[test]
fn deeply_nested_front_matter_is_refused_before_parsing() {
    let (_tmp, root) = temp_aims();
    write(
        &root,
        "policies/deep.md",
        format!(
            "---\nid: POL-1\ntitle: Deep\ntags: {}\n---\n",
            nested(30_000)
        ),
    );
    let run = survives(&root);
    run.expect_code(1);
    assert!(!run.with_code("AIMS0013").is_empty(), "{}", run.stderr);
}

/// The same input in soa.yaml (the `soa` target: same parser, same scan).
#[test]
fn deeply_nested_soa_is_refused_before_parsing() {
    let (_tmp, root) = temp_aims();
    write(
        &root,
        "soa.yaml",
        format!("controls:\n  A.2.2: {}\n", nested(30_000)),
    );
    let run = survives(&root);
    assert!(!run.with_code("AIMS0013").is_empty(), "{}", run.stderr);
}

/// A timeout of the `front_matter` target: a list of thousands of entries costs time quadratic in
/// its length (each entry's position is searched from the start of the field; 9,000 unknown
/// `related` ids in 62 KB: 20 s in the fuzz build, 85 s and 836 MB in a debug build of `aimsdoc
/// check`, which also prints the 62 KB line once per finding). A list longer than the limit (10,000
/// entries) is reported once as AIMS0013 limit-exceeded.
#[test]
fn overlong_front_matter_list_is_refused_once() {
    let (_tmp, root) = temp_aims();
    let related = vec!["POL-2"; 10_001].join(", ");
    write(
        &root,
        "policies/a.md",
        format!("---\nid: POL-1\ntitle: A\nrelated: [{related}]\n---\n"),
    );
    write(&root, "policies/b.md", "---\nid: POL-2\ntitle: B\n---\n");
    let run = survives(&root);
    run.expect_code(1);
    assert_eq!(run.with_code("AIMS0013").len(), 1, "{}", run.stderr);
}
