//! What a body publishes besides Markdown: HTML comments never reach any output byte, script
//! and data link targets are errors at their position, and `raw_html = "allow" | "sanitize" |
//! "deny"` (sanitize by default for `--audience public`) decides what becomes of raw HTML.
//!
//! Every test builds a real AIMS folder with the real binary and reads the real output.

use crate::common;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use common::*;
use tempfile::TempDir;

const CONFIG: &str = "title = \"Hygiene AIMS\"\norganization = \"Test Ltd\"\n";

/// A public document's front matter.
fn doc(id: &str, body: &str) -> String {
    format!("---\nid: {id}\ntitle: Document {id}\nclassification: public\n---\n\n{body}")
}

/// A temporary AIMS with `extra` appended to aims.toml and these documents (path, text).
fn aims(extra: &str, docs: &[(&str, String)]) -> (TempDir, PathBuf) {
    let (tmp, root) = temp_aims();
    write(&root, "aims.toml", format!("{CONFIG}{extra}"));
    for (path, text) in docs {
        write(&root, path, text);
    }
    (tmp, root)
}

/// `aimsdoc build ROOT -o OUT --today TODAY [--audience AUDIENCE]`.
fn build_to(root: &Path, out: &Path, audience: Option<&str>) -> Run {
    let mut args: Vec<OsString> = vec![
        "build".into(),
        root.into(),
        "-o".into(),
        out.into(),
        "--today".into(),
        TODAY.into(),
    ];
    if let Some(a) = audience {
        args.extend(["--audience".into(), a.into()]);
    }
    aimsdoc(args)
}

/// Builds `root` (for `audience`) into a fresh folder beside it; asserts success.
fn built(root: &Path, audience: Option<&str>) -> PathBuf {
    let out = root
        .parent()
        .unwrap()
        .join(format!("site-{}", audience.unwrap_or("all")));
    build_to(root, &out, audience).expect_code(0);
    out
}

/// The output files (relative path) whose bytes contain `needle`.
fn files_containing(out: &Path, needle: &str) -> Vec<String> {
    tree(out)
        .into_iter()
        .filter(|(_, bytes)| bytes.windows(needle.len()).any(|w| w == needle.as_bytes()))
        .map(|(k, _)| k)
        .collect()
}

/// The body of a document page (`.doc-body`) as HTML.
fn body_html(out: &Path, id: &str) -> String {
    let page = page(out, &format!("documents/{id}.html"));
    let body = page
        .select(&sel(".doc-body"))
        .next()
        .unwrap_or_else(|| panic!("no .doc-body in {id}"));
    body.html()
}

// ---------------------------------------------------------------------------------------
// Comments
// ---------------------------------------------------------------------------------------

/// Comments of every shape, and comment syntax inside code, which is code and stays.
const COMMENTED: &str = "\
<!-- NOTE-BLOCK ask legal about the
retention period -->

# Purpose <!-- NOTE-HEADING -->

We keep records <!-- NOTE-INLINE --> for <!-- NOTE-MULTI first line
second line --> seven years.

| What | How long |
|---|---|
| Logs <!-- NOTE-CELL --> | 1 year |

- Item <!-- NOTE-ITEM -->

> Quote <!-- NOTE-QUOTE -->

<div class=\"box\">
<!-- NOTE-IN-HTML -->
Boxed
</div>

![Chart <!-- NOTE-ALT -->](https://example.com/chart.png)

Code: `<!-- KEEP-SPAN -->`.

```html
<!-- KEEP-BLOCK -->
```
";

const NOTES: [&str; 9] = [
    "NOTE-BLOCK",
    "NOTE-HEADING",
    "NOTE-INLINE",
    "NOTE-MULTI",
    "NOTE-CELL",
    "NOTE-ITEM",
    "NOTE-QUOTE",
    "NOTE-IN-HTML",
    "NOTE-ALT",
];

#[test]
fn comments_never_reach_any_output_byte() {
    let (_tmp, root) = aims("", &[("docs/rec.md", doc("REC-1", COMMENTED))]);
    let source = std::fs::read_to_string(root.join("docs/rec.md")).unwrap();
    for needle in NOTES {
        assert!(source.contains(needle), "{needle} is not in the source");
    }
    for audience in [None, Some("public")] {
        let out = built(&root, audience);
        let files = tree(&out);
        assert!(files.contains_key("search-index.js") && files.contains_key("print.html"));
        for needle in NOTES {
            assert_eq!(
                files_containing(&out, needle),
                Vec::<String>::new(),
                "{needle} published ({audience:?})"
            );
        }
        // Comment syntax in code is code: on the page and in print.html.
        for keep in ["KEEP-SPAN", "KEEP-BLOCK"] {
            let found = files_containing(&out, keep);
            for page in ["documents/REC-1.html", "print.html"] {
                assert!(found.contains(&page.to_string()), "{keep} not in {page}");
            }
        }
        let body = body_html(&out, "REC-1");
        assert!(body.contains("&lt;!-- KEEP-SPAN --&gt;"), "{body}");
        assert!(
            body.contains("Boxed") && body.contains("seven years"),
            "{body}"
        );
    }
}

#[test]
fn unclosed_comments_are_reported_where_they_open() {
    let body = "Intro.\n\n<div>\n<!-- NOTE-LEAK starts here\n\nsecret paragraph\n</div>\n";
    let (_tmp, root) = aims("", &[("docs/a.md", doc("DOC-A", body))]);
    let run = check(&root);
    run.expect_code(1);
    let d = run.only("AIMS0603");
    assert_eq!(d.severity, "error");
    assert_eq!(
        d.location.as_deref(),
        Some(location_of(&root, "docs/a.md", "<!-- NOTE-LEAK").as_str())
    );
    assert!(d.help().contains("-->"), "{}", d.help());

    // In a paragraph Markdown shows `<!--` as text, and says so.
    let body = "Text <!-- NOTE-TEXT spans\n\na blank line -->\n";
    let (_tmp, root) = aims("", &[("docs/a.md", doc("DOC-A", body))]);
    let run = check(&root);
    let d = run.only("AIMS0603");
    assert_eq!(
        d.location.as_deref(),
        Some(location_of(&root, "docs/a.md", "<!-- NOTE-TEXT").as_str())
    );

    // A note at the end that is never closed hides nothing that should show: a warning.
    let body = "Text.\n\n<!-- TODO NOTE-END finish this\n";
    let (_tmp, root) = aims("", &[("docs/a.md", doc("DOC-A", body))]);
    let run = check(&root);
    run.expect_code(0);
    assert_eq!(run.only("AIMS0603").severity, "warning");
    let out = built(&root, Some("public"));
    assert!(files_containing(&out, "NOTE-END").is_empty());
}

/// Runs git in `dir` (a repository in a temporary folder) on `day`.
fn git(dir: &Path, args: &[&str], day: i64) {
    git_in(dir, dir.parent().unwrap(), day, args);
}

#[test]
fn comments_stay_out_of_versions_and_their_changes() {
    let (_tmp, root) = aims("[versions]\n", &[]);
    let v1 = "We keep records for six years.\n";
    let v2 = "We keep records <!-- NOTE-V2 ask legal --> for seven years.\n";
    let v3 = "We keep records <!-- NOTE-V3 confirmed --> for seven years.\n\nNew-SENTENCE.\n";
    git(&root, &["init", "-q", "-b", "main"], 0);
    for (i, body) in [v1, v2, v3].into_iter().enumerate() {
        let day = i as i64 + 1;
        write(&root, "docs/rec.md", doc("REC-1", body));
        git(&root, &["add", "-A"], day);
        git(
            &root,
            &["commit", "-q", "-m", &format!("version {day}")],
            day,
        );
        git(&root, &["tag", &format!("v{day}")], day);
    }
    let out = root.parent().unwrap().join("site");
    build_to(&root, &out, None).expect_code(0);
    // The changes are there (so the diff pages were made) ...
    assert!(!files_containing(&out, "seven").is_empty());
    assert!(!files_containing(&out, "New-SENTENCE").is_empty());
    // ... and no comment is in any version, change list or history.
    for needle in ["NOTE-V2", "NOTE-V3", "ask legal", "confirmed"] {
        assert_eq!(
            files_containing(&out, needle),
            Vec::<String>::new(),
            "{needle}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Script and data link targets
// ---------------------------------------------------------------------------------------

#[test]
fn script_and_data_targets_are_errors_where_written() {
    let body = "\
[plain](javascript:alert(1))
[mixed case](JaVaScRiPt:alert(1))
[tab entity](java&#x09;script:alert(1))
[space entity](&#32;javascript:alert(1))
[newline entity](java&#10;script:alert(1))
[control entity](&#1;javascript:alert(1))
[control char](<\u{1}javascript:alert(1)>)
![data image](DATA:image/svg+xml;base64,PHN2Zz4=)
<vbscript:msgbox(1)>
[by reference][bad]
[fine](https://example.com/javascript:not-a-scheme)

[bad]: VBScript:msgbox(1)
";
    let (_tmp, root) = aims("", &[("docs/a.md", doc("DOC-A", body))]);
    let out = root.parent().unwrap().join("site");
    let run = build_to(&root, &out, None);
    run.expect_code(1);
    assert!(!out.exists(), "a failed build publishes nothing");
    let found: Vec<String> = run
        .with_code("AIMS0601")
        .into_iter()
        .map(|d| {
            assert_eq!(d.severity, "error");
            assert_eq!(d.name, "blocked-url");
            d.location.unwrap()
        })
        .collect();
    let expected: Vec<String> = [
        "[plain]",
        "[mixed case]",
        "[tab entity]",
        "[space entity]",
        "[newline entity]",
        "[control entity]",
        "[control char]",
        "![data image]",
        "<vbscript:",
        "[bad]: VBScript",
    ]
    .iter()
    .map(|n| location_of(&root, "docs/a.md", n))
    .collect();
    assert_eq!(found, expected, "{}", run.stderr);
    // Also in a public build, and whatever raw_html says.
    let public = root.parent().unwrap().join("public");
    build_to(&root, &public, Some("public")).expect_code(1);
    assert!(!public.exists());
}

// ---------------------------------------------------------------------------------------
// raw_html
// ---------------------------------------------------------------------------------------

/// Raw HTML that a sanitiser must clean, and markup it must keep.
const RAW: &str = "\
<details>
<summary>RAW-SUMMARY</summary>

Markdown *inside* the details.

</details>

<table>
<tr><th>Control</th><th>State</th></tr>
<tr><td colspan=\"2\" rowspan=\"1\" align=\"left\">RAW-CELL</td></tr>
</table>

The <abbr title=\"Artificial intelligence\">AI</abbr> policy, version 2<sup>nd</sup>.

<script>alert('RAW-SCRIPT')</script>

Inline <script>alert('RAW-INLINE-SCRIPT')</script> script.

<img src=\"chart.png\" alt=\"chart\" onerror=\"alert('RAW-ONERROR')\">

<p style=\"color: red\">RAW-STYLED</p>

<style>body { display: none } /* RAW-STYLE-ELEMENT */</style>

<iframe src=\"https://example.com/RAW-IFRAME\"></iframe>
";

fn assert_sanitized(out: &Path) {
    let body = body_html(out, "RAW-1");
    let page = scraper::Html::parse_fragment(&body);
    for (selector, text) in [
        ("details > summary", "RAW-SUMMARY"),
        ("details p em", "inside"),
        (
            "table td[colspan=\"2\"][rowspan=\"1\"][align=\"left\"]",
            "RAW-CELL",
        ),
        ("abbr[title=\"Artificial intelligence\"]", "AI"),
        ("sup", "nd"),
        ("p", "RAW-STYLED"),
    ] {
        assert!(
            texts(&page, selector).iter().any(|t| t == text),
            "{selector} with {text} in {body}"
        );
    }
    assert_eq!(page.select(&sel("img[src=\"chart.png\"]")).count(), 1);
    for gone in ["script", "style", "iframe", "[onerror]", "[style]"] {
        assert_eq!(page.select(&sel(gone)).count(), 0, "{gone} in {body}");
    }
    for needle in [
        "RAW-SCRIPT",
        "RAW-INLINE-SCRIPT",
        "RAW-ONERROR",
        "RAW-STYLE-ELEMENT",
        "RAW-IFRAME",
    ] {
        assert_eq!(
            files_containing(out, needle),
            Vec::<String>::new(),
            "{needle}"
        );
    }
}

#[test]
fn sanitize_keeps_the_policy_and_removes_the_rest() {
    let (_tmp, root) = aims(
        "raw_html = \"sanitize\"\n",
        &[("docs/raw.md", doc("RAW-1", RAW))],
    );
    write(&root, "docs/chart.png", b"png");
    assert_sanitized(&built(&root, None));
}

#[test]
fn public_builds_sanitize_by_default_and_others_allow() {
    let (_tmp, root) = aims("", &[("docs/raw.md", doc("RAW-1", RAW))]);
    assert_sanitized(&built(&root, Some("public")));
    let all = built(&root, None);
    let body = body_html(&all, "RAW-1");
    assert!(body.contains("alert('RAW-SCRIPT')"), "{body}");
    assert!(body.contains("onerror="), "{body}");
}

#[test]
fn allow_publishes_raw_html_as_written_without_comments() {
    let raw = format!("{RAW}\n<span class=\"x\"><!-- NOTE-RAW -->kept</span>\n");
    let (_tmp, root) = aims(
        "raw_html = \"allow\"\n",
        &[("docs/raw.md", doc("RAW-1", &raw))],
    );
    let out = built(&root, Some("public"));
    let source = std::fs::read_to_string(out.join("documents/RAW-1.html")).unwrap();
    for written in [
        "<script>alert('RAW-SCRIPT')</script>",
        "<img src=\"chart.png\" alt=\"chart\" onerror=\"alert('RAW-ONERROR')\">",
        "<p style=\"color: red\">RAW-STYLED</p>",
        "<iframe src=\"https://example.com/RAW-IFRAME\"></iframe>",
        "<span class=\"x\">kept</span>",
    ] {
        assert!(source.contains(written), "{written} not in the page");
    }
    assert!(files_containing(&out, "NOTE-RAW").is_empty());
}

#[test]
fn sanitize_reports_script_urls_in_raw_html() {
    let body = "Intro.\n\n<p>See <a href=\"JAVA&#x09;SCRIPT:alert(1)\">this</a>\nand <img src=\" data:image/png;base64,AA\"></p>\n";
    let (_tmp, root) = aims("", &[("docs/a.md", doc("DOC-A", body))]);
    let run = build_to(&root, &root.parent().unwrap().join("p"), Some("public"));
    run.expect_code(1);
    let found: Vec<String> = run
        .with_code("AIMS0601")
        .into_iter()
        .map(|d| d.location.unwrap())
        .collect();
    assert_eq!(
        found,
        vec![
            location_of(&root, "docs/a.md", "<a href"),
            location_of(&root, "docs/a.md", "<img"),
        ],
        "{}",
        run.stderr
    );
    // Allowed as raw HTML (a complete build), and removed when the error is silenced.
    build_to(&root, &root.parent().unwrap().join("all"), None).expect_code(0);
    let silenced = doc("DOC-A", body).replace(
        "classification: public\n",
        "classification: public\nallow: [blocked-url]\n",
    );
    write(&root, "docs/a.md", silenced);
    let out = built(&root, Some("public"));
    let page = body_html(&out, "DOC-A");
    assert!(page.contains("<a>this</a>"), "{page}");
    assert!(!page.to_ascii_lowercase().contains("script:"), "{page}");
    assert!(!page.contains("data:"), "{page}");
}

#[test]
fn deny_makes_raw_html_an_error_at_its_line() {
    let body = "<!-- A note is not raw HTML. -->\n\nText with <b>bold</b> and <i>italic</i>.\n\n<div>\nblock\n</div>\n";
    let (_tmp, root) = aims(
        "raw_html = \"deny\"\n",
        &[("docs/a.md", doc("DOC-A", body))],
    );
    let out = root.parent().unwrap().join("site");
    let run = build_to(&root, &out, None);
    run.expect_code(1);
    assert!(!out.exists());
    let found = run.with_code("AIMS0602");
    let locations: Vec<String> = found.iter().map(|d| d.location.clone().unwrap()).collect();
    // One error per line.
    assert_eq!(
        locations,
        vec![
            location_of(&root, "docs/a.md", "<b>"),
            location_of(&root, "docs/a.md", "<div>"),
        ],
        "{}",
        run.stderr
    );
    for d in &found {
        assert_eq!(d.severity, "error");
        assert!(d.help().contains("Markdown") && d.help().contains("raw_html = \"sanitize\""));
    }
    // Without raw HTML the same AIMS builds.
    write(
        &root,
        "docs/a.md",
        doc("DOC-A", "<!-- A note. -->\n\nText with **bold**.\n"),
    );
    build_to(&root, &out, None).expect_code(0);
}

#[test]
fn unknown_raw_html_value_is_an_error_with_a_suggestion() {
    let (_tmp, root) = aims(
        "raw_html = \"sanitze\"\n",
        &[("docs/a.md", doc("DOC-A", "x\n"))],
    );
    let run = check(&root);
    run.expect_code(1);
    let d = run.only("AIMS0010");
    assert_eq!(d.location.as_deref(), Some("aims.toml:3:1"));
    assert!(
        d.message.contains("allow | sanitize | deny"),
        "{}",
        d.message
    );
    assert_eq!(d.help(), "did you mean sanitize?");
}

#[test]
fn documents_without_raw_html_are_byte_identical_under_every_setting() {
    let body = "\
# Scope {#scope}

Text with *emphasis*, `code`, a [link](https://example.com), a [local link](b.md#part),
[[DOC-B]], [[DOC-B|named]], a footnote[^1] and an image ![chart](chart.png).

| a | b |
|:--|--:|
| 1 | 2 |

- [x] done
- [ ] open

> quoted <b

```
<!-- code -->
<script>code</script>
```

[^1]: The note.
";
    let docs = [
        ("docs/a.md", doc("DOC-A", body)),
        ("docs/b.md", doc("DOC-B", "## Part\n\nText.\n")),
    ];
    // Per audience (the footer names the edition): one rendering for every setting.
    for audience in [None, Some("public")] {
        let mut pages = Vec::new();
        for setting in [
            "",
            "raw_html = \"allow\"\n",
            "raw_html = \"sanitize\"\n",
            "raw_html = \"deny\"\n",
        ] {
            let (_tmp, root) = aims(setting, &docs);
            write(&root, "docs/chart.png", b"png");
            let files = tree(&built(&root, audience));
            pages.push((
                setting,
                files["documents/DOC-A.html"].clone(),
                files["print.html"].clone(),
                files["search-index.js"].clone(),
            ));
        }
        let (first, page, print, search) = &pages[0];
        for (name, p, pr, s) in &pages[1..] {
            assert!(
                p == page,
                "the page differs: {first:?} vs {name:?} ({audience:?})"
            );
            assert!(pr == print, "print.html differs: {first:?} vs {name:?}");
            assert!(
                s == search,
                "search-index.js differs: {first:?} vs {name:?}"
            );
        }
    }
}
