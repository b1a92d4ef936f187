//! Inputs that crash or time out the fuzz targets in `fuzz/` (see FUZZING.md), run through
//! the real binary. Each test names its target.

mod common;

use common::*;

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
