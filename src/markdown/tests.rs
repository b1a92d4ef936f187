//! Tests of the Markdown pass.

use super::*;

#[test]
fn slugs() {
    assert_eq!(slugify("3. Risk criteria"), "3-risk-criteria");
    assert_eq!(
        slugify("Roles & responsibilities"),
        "roles-responsibilities"
    );
    assert_eq!(slugify("Überblick"), "überblick");
    assert_eq!(slugify("!!!"), "section");
}

#[test]
fn collects_refs_and_headings() {
    let r = render("## Scope {#scope}\n\nSee [[POL-1]], [[A.6.2.4|the control]] and [x](../a/b.md#c), [y](#scope), [z](https://e.com).\n\n## Scope\n");
    assert_eq!(r.headings.len(), 2);
    assert_eq!(r.headings[0].anchor, "scope");
    assert_eq!(r.headings[1].anchor, "scope-1");
    assert_eq!(r.refs.len(), 4);
    assert_eq!(r.refs[0].fill, Fill::Element);
    assert_eq!(
        r.refs[2].target,
        RefTarget::Path {
            path: "../a/b.md".into(),
            anchor: Some("c".into())
        }
    );
    assert_eq!(r.refs[3].target, RefTarget::SelfAnchor("scope".into()));
    assert!(r.html.contains("https://e.com"));
    let filled = fill_placeholders(&r.html, |i| format!("[{i}]"), |_| None);
    let hidden = fill_placeholders(
        &r.html,
        |i| format!("[{i}]"),
        |i| (i == 1).then(|| "gone".into()),
    );
    assert!(hidden.contains("gone") && !hidden.contains("the control"));
    assert!(filled.contains("[0]"));
    assert!(filled.contains("<a href=\"[1]\">the control</a>"));
    assert!(!filled.contains(MARK_START));
}

#[test]
fn keeps_plain_text_without_headings() {
    let r = render(
        "# Title\n\nSome *body*   text.\n\n- one\n- two\n\nSee [[POL-1]].\n\n## Next\nAfter.\n",
    );
    assert_eq!(r.text, "Some body text. one two See POL-1 . After.");
    let long = "word ".repeat(10_000);
    assert!(render(&long).text.len() <= TEXT_CAP);
    let long = "é".repeat(TEXT_CAP);
    assert!(render(&long).text.len() <= TEXT_CAP);
    assert_eq!(render("a\n  b\tc").text, "a b c");
}

#[test]
fn marks_in_input_cannot_forge_placeholders() {
    let r = render("text \u{E000}0\u{E001}\n\n## H {#\u{E000}0\u{E001}}\n\n![\u{E002}](a.png)\n");
    assert!(
        !r.html.replace(&placeholder(0), "").contains(MARKS),
        "{}",
        r.html
    );
}

#[test]
fn external_detection() {
    assert!(is_external("https://x"));
    assert!(is_external("mailto:a@b"));
    assert!(!is_external("a/b.md"));
    assert!(!is_external("a/b:c.md"));
}

#[test]
fn link_targets_are_percent_decoded_leniently() {
    assert_eq!(percent_decode("my%20file%20%231.pdf"), "my file #1.pdf");
    assert_eq!(percent_decode("%C3%a9"), "é");
    // A `%` without two hex digits after it stays as it is.
    assert_eq!(percent_decode("100%"), "100%");
    assert_eq!(percent_decode("%zz%2g%4"), "%zz%2g%4");
    assert_eq!(percent_decode("%%41"), "%A");
    // Bytes that are not UTF-8 become U+FFFD.
    assert_eq!(percent_decode("a%FFb"), "a\u{fffd}b");
}

/// The search text as `push_text` made it with `split_whitespace` alone.
fn push_text_reference(out: &mut String, s: &str) {
    let space = |out: &mut String| {
        if !out.is_empty() && !out.ends_with(' ') && out.len() < TEXT_CAP {
            out.push(' ');
        }
    };
    if s.starts_with(char::is_whitespace) {
        space(out);
    }
    let mut words = s.split_whitespace().peekable();
    while let Some(w) = words.next() {
        if out.len() + w.len() > TEXT_CAP {
            let mut end = TEXT_CAP.saturating_sub(out.len());
            while !w.is_char_boundary(end) {
                end -= 1;
            }
            out.push_str(&w[..end]);
            return;
        }
        out.push_str(w);
        if words.peek().is_some() {
            space(out);
        }
    }
    if s.ends_with(char::is_whitespace) {
        space(out);
    }
}

#[test]
fn search_text_collapses_every_kind_of_whitespace_up_to_the_cap() {
    let pieces = [
        "plain words",
        "  leading and trailing  ",
        "tab\tnew\nline\r\nform\x0cfeed",
        "vertical\x0btab",
        "no\u{a0}break and\u{2003}em space",
        "é",
        " ",
        "",
        "x",
    ];
    for start in [0, TEXT_CAP - 40, TEXT_CAP - 3, TEXT_CAP - 1, TEXT_CAP] {
        let (mut a, mut b) = ("y".repeat(start), "y".repeat(start));
        for round in 0..20 {
            for p in pieces {
                push_text(&mut a, p);
                push_text_reference(&mut b, p);
                assert_eq!(a, b, "start {start}, round {round}, after {p:?}");
            }
        }
    }
}

#[test]
fn attribute_values_escape_the_five_html_characters_and_keep_the_rest() {
    assert_eq!(escape_attr(""), "");
    assert_eq!(escape_attr("plain é text"), "plain é text");
    assert_eq!(
        escape_attr("a&b<c>d\"e'f"),
        "a&amp;b&lt;c&gt;d&quot;e&#39;f"
    );
    assert_eq!(escape_attr("<<é>>"), "&lt;&lt;é&gt;&gt;");
    assert_eq!(escape_attr("'"), "&#39;");
}
