//! HTML comments in the author's raw HTML. They are notes to authors, so every edition drops
//! them, whatever `raw_html` says.
//!
//! Under `raw_html = "allow"` the author's HTML is published byte for byte, so comments are cut
//! out of the text rather than re-serialised. The scan reads comments as a browser's tokenizer
//! does: `<!--` opens one, `-->` or `--!>` closes it (`<!-->` and `<!--->` are empty comments),
//! and one never closed runs to the end of the text. It steps over tags with their quoted
//! attribute values and over the raw text of `script`, `style`, `textarea` and the like, where
//! `<!--` is not a comment. A full tokenizer (html5ever, used for sanitising) cannot be used
//! here: it decodes what it reads and does not report source positions.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, TagEnd};

use super::run::Run;

/// Elements whose content is raw text to a browser: `<!--` inside them starts no comment.
const RAW_TEXT: [&str; 9] = [
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// The comments found in a piece of HTML.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Comments {
    /// Byte ranges of the comments, in order.
    pub ranges: Vec<Range<usize>>,
    /// Where a comment that is never closed starts (its range runs to the end).
    pub unclosed: Option<usize>,
}

impl Comments {
    /// `html` without these comments.
    pub(super) fn remove_from(&self, html: &str) -> String {
        let mut out = String::with_capacity(html.len());
        let mut at = 0;
        for r in &self.ranges {
            out.push_str(&html[at..r.start]);
            at = r.end;
        }
        out.push_str(&html[at..]);
        out
    }
}

fn starts_with_ci(hay: &[u8], at: usize, needle: &[u8]) -> bool {
    hay.get(at..at + needle.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(needle))
}

/// The end of a comment opened at `start` (which holds `<!--`), or `None` if never closed.
fn comment_end(b: &[u8], start: usize) -> Option<usize> {
    let body = start + 4;
    if b.get(body) == Some(&b'>') {
        return Some(body + 1);
    }
    if b.get(body..body + 2) == Some(b"->") {
        return Some(body + 2);
    }
    let mut i = body;
    while i < b.len() {
        if b[i..].starts_with(b"-->") {
            return Some(i + 3);
        }
        if b[i..].starts_with(b"--!>") {
            return Some(i + 4);
        }
        i += 1;
    }
    None
}

/// The end of the tag starting at `start` (`<` then a letter or `/`), and its lowercase name
/// when it is a start tag.
fn tag_end(b: &[u8], start: usize) -> (usize, Option<String>) {
    let mut i = start + 1;
    let closing = b.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
        i += 1;
    }
    let name = (!closing).then(|| String::from_utf8_lossy(&b[name_start..i]).to_ascii_lowercase());
    let mut after_equals = false;
    while i < b.len() {
        match b[i] {
            b'>' => return (i + 1, name),
            q @ (b'"' | b'\'') if after_equals => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                after_equals = false;
            }
            b'=' => after_equals = true,
            c if c.is_ascii_whitespace() => {}
            _ => after_equals = false,
        }
        i += 1;
    }
    (b.len(), name)
}

/// Finds the comments in `html`.
pub(super) fn find(html: &str) -> Comments {
    let b = html.as_bytes();
    let mut found = Comments::default();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if b[i..].starts_with(b"<!--") {
            match comment_end(b, i) {
                Some(end) => {
                    found.ranges.push(i..end);
                    i = end;
                }
                None => {
                    found.ranges.push(i..b.len());
                    found.unclosed = Some(i);
                    i = b.len();
                }
            }
            continue;
        }
        let next = b.get(i + 1).copied().unwrap_or(b' ');
        if !(next.is_ascii_alphabetic() || next == b'/') {
            i += 1;
            continue;
        }
        let (end, name) = tag_end(b, i);
        i = end;
        if let Some(raw) = name.filter(|n| RAW_TEXT.contains(&n.as_str())) {
            // Skip the raw text up to `</name`.
            let close = format!("</{raw}");
            while i < b.len() && !starts_with_ci(b, i, close.as_bytes()) {
                i += 1;
            }
        }
    }
    found
}

/// A Markdown body's source without the HTML comments the pass removes (those in raw HTML,
/// not those in code): for showing what changed between versions of a document.
pub fn without_comments(body: &str) -> Cow<'_, str> {
    if !body.contains("<!--") {
        return Cow::Borrowed(body);
    }
    let mut cut: Vec<Range<usize>> = Vec::new();
    let mut block = Run::default();
    let mut take = |run: &Run| {
        for r in find(&run.text).ranges {
            cut.push(run.at(r.start)..run.end_at(r.end));
        }
    };
    for (event, range) in Parser::new_ext(body, super::options()).into_offset_iter() {
        match event {
            Event::Html(t) => block.push(body, &t, range),
            Event::End(TagEnd::HtmlBlock) => take(&std::mem::take(&mut block)),
            Event::InlineHtml(t) => {
                let mut run = Run::default();
                run.push(body, &t, range);
                take(&run);
            }
            _ => {}
        }
    }
    take(&block);
    if cut.is_empty() {
        return Cow::Borrowed(body);
    }
    cut.sort_by_key(|r| r.start);
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    for r in cut {
        let (start, end) = (r.start.max(at), r.end.max(at));
        if let Some(kept) = body.get(at..start) {
            out.push_str(kept);
        }
        if body.is_char_boundary(end) {
            at = end;
        }
    }
    out.push_str(body.get(at..).unwrap_or(""));
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(s: &str) -> String {
        find(s).remove_from(s)
    }

    #[test]
    fn removes_comments() {
        assert_eq!(strip("a<!-- x -->b"), "ab");
        assert_eq!(strip("<!-- one\ntwo -->\n<p>x</p><!--y-->"), "\n<p>x</p>");
        assert_eq!(strip("<!---->a<!-->b<!--->c"), "abc");
        assert_eq!(strip("a<!-- x --!>b"), "ab");
        assert_eq!(strip("<p>no comment</p>"), "<p>no comment</p>");
    }

    #[test]
    fn unclosed_runs_to_the_end() {
        let c = find("<div>\n<!-- start\n");
        assert_eq!(c.unclosed, Some(6));
        assert_eq!(c.remove_from("<div>\n<!-- start\n"), "<div>\n");
    }

    #[test]
    fn source_without_comments() {
        let body = "Intro <!-- ask legal --> text.\n\n<!-- block\nnote -->\n\n> <div>\n> <!-- quoted\n> note --></div>\n\n`<!-- code -->`\n";
        assert_eq!(
            without_comments(body),
            "Intro  text.\n\n\n\n> <div>\n> </div>\n\n`<!-- code -->`\n"
        );
        assert!(matches!(without_comments("no comments"), Cow::Borrowed(_)));
    }

    #[test]
    fn not_in_attributes_or_raw_text() {
        assert_eq!(strip("<a title=\"<!--\">x</a>"), "<a title=\"<!--\">x</a>");
        assert_eq!(
            strip("<a title='-->'>x</a><!--c-->"),
            "<a title='-->'>x</a>"
        );
        assert_eq!(
            strip("<script>var a = '<!--';</script><!--c-->"),
            "<script>var a = '<!--';</script>"
        );
        assert_eq!(strip("<STYLE>/*<!--*/</Style>"), "<STYLE>/*<!--*/</Style>");
        assert_eq!(strip("1 < 2 <!--c--> <"), "1 < 2  <");
    }
}
