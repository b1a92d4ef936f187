//! `raw_html = "sanitize"`: the author's raw HTML cleaned to an allow-list, tag by tag.
//!
//! Why not ammonia (or any DOM sanitiser) on each piece of raw HTML: Markdown interleaves the
//! author's HTML with its own. `<details>` opens in one HTML block, Markdown paragraphs follow,
//! and `</details>` closes in another block; `<abbr title="…">AI</abbr>` reaches the pass as
//! three events (`<abbr …>`, the text, `</abbr>`). A DOM sanitiser parses each fragment into a
//! tree of its own, so it closes `<details>` at once, drops the lone `</details>`, and empties
//! the `<abbr>`. Sanitising the whole rendered page instead would also rewrite aimsdoc's own
//! HTML (anchors, placeholders, table regions), which must stay byte for byte.
//!
//! So the filter works per tag across the document: html5ever's tokenizer — the HTML5
//! tokenizer ammonia itself is built on — reads each run of raw HTML as a browser would
//! (character references decoded, attribute quoting, `script`/`style`/`textarea` contents as
//! raw text, comments), and every token is checked against [`POLICY`]:
//! - an allowed start tag is written again with only its allowed attributes, values escaped;
//!   `href`/`src` keep relative URLs and `http(s):`, `mailto:`, `tel:` only, and a
//!   `javascript:`, `vbscript:` or `data:` URL is reported (see [`super::url`]);
//! - an end tag is kept only when it closes an element the author opened (elements opened
//!   inside are closed with it), so author HTML can never close aimsdoc's elements; elements
//!   still open at the end of the body are closed there;
//! - any other tag is dropped and its content kept, except the content of `script`, `style`,
//!   `iframe`, `object`, `textarea` and the like, which is dropped up to its end tag — or up to
//!   the end of the paragraph or HTML block, so a tag never closed cannot swallow the rest;
//! - comments, doctypes and processing instructions are dropped.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::escape_attr;
use super::url;

/// Allowed elements and, for each, its allowed attributes.
pub const POLICY: &[(&str, &[&str])] = &[
    ("a", &["href", "id", "name", "title"]),
    ("abbr", &["title"]),
    ("b", &[]),
    ("blockquote", &[]),
    ("br", &[]),
    ("caption", &[]),
    ("cite", &[]),
    ("code", &[]),
    ("dd", &[]),
    ("del", &[]),
    ("details", &["open"]),
    ("div", &["class"]),
    ("dl", &[]),
    ("dt", &[]),
    ("em", &[]),
    ("figcaption", &[]),
    ("figure", &[]),
    ("h1", &[]),
    ("h2", &[]),
    ("h3", &[]),
    ("h4", &[]),
    ("h5", &[]),
    ("h6", &[]),
    ("hr", &[]),
    ("i", &[]),
    ("img", &["src", "alt", "width", "height", "title"]),
    ("ins", &[]),
    ("kbd", &[]),
    ("li", &[]),
    ("mark", &[]),
    ("ol", &["start"]),
    ("p", &[]),
    ("pre", &[]),
    ("q", &[]),
    ("s", &[]),
    ("samp", &[]),
    ("small", &[]),
    ("span", &["class"]),
    ("strong", &[]),
    ("sub", &[]),
    ("summary", &[]),
    ("sup", &[]),
    ("table", &[]),
    ("tbody", &[]),
    ("td", &["colspan", "rowspan", "align"]),
    ("tfoot", &[]),
    ("th", &["colspan", "rowspan", "align"]),
    ("thead", &[]),
    ("tr", &[]),
    ("u", &[]),
    ("ul", &[]),
    ("var", &[]),
];

/// Open elements kept at most; deeper start tags are dropped (their content kept), so that
/// closing stays cheap whatever the input.
const MAX_OPEN: usize = 256;

/// Allowed elements that have no end tag.
const VOID: [&str; 3] = ["br", "hr", "img"];

/// Elements whose content is dropped with them, and how a browser tokenizes that content.
fn dropped_content(name: &str) -> Option<TokenSinkResult<()>> {
    Some(match name {
        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            TokenSinkResult::RawData(RawKind::Rawtext)
        }
        "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
        "plaintext" => TokenSinkResult::Plaintext,
        "object" | "applet" | "template" | "select" | "svg" | "math" | "frameset" | "head" => {
            TokenSinkResult::Continue
        }
        _ => return None,
    })
}

fn policy(name: &str) -> Option<(&'static str, &'static [&'static str])> {
    POLICY.iter().copied().find(|(n, _)| *n == name)
}

/// A `javascript:`, `vbscript:` or `data:` URL removed from an attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// Byte offset of its tag in the run of raw HTML.
    pub offset: usize,
    /// The tag's name.
    pub tag: &'static str,
    /// The attribute (`href`, `src`).
    pub attr: String,
    /// The blocked scheme.
    pub scheme: &'static str,
}

/// The filter's state across the raw HTML of one body.
#[derive(Debug, Default)]
pub struct Sanitizer {
    /// Allowed elements the author opened and has not closed, innermost last.
    open: Vec<&'static str>,
    /// The element whose content is being dropped.
    dropping: Option<String>,
}

/// What one run produced.
struct Work<'s> {
    state: &'s mut Sanitizer,
    source: &'s str,
    /// Where the next start tag is looked for in `source` (for positions).
    cursor: usize,
    out: String,
    removed: Vec<Removed>,
}

struct Sink<'s>(RefCell<Work<'s>>);

impl TokenSink for Sink<'_> {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut w = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => w.tag(tag),
            Token::CharacterTokens(text) if w.state.dropping.is_none() => {
                w.out.push_str(&escape_attr(&text));
                TokenSinkResult::Continue
            }
            _ => TokenSinkResult::Continue,
        }
    }
}

/// The byte offset of `<name` (ignoring case) in `hay` at or after `from`.
fn find_tag(hay: &str, name: &str, from: usize) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), name.as_bytes());
    (from..h.len()).find(|&i| {
        h[i] == b'<'
            && h.get(i + 1..i + 1 + n.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(n))
    })
}

impl Work<'_> {
    fn tag(&mut self, tag: Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        if tag.kind == TagKind::EndTag {
            if self.state.dropping.as_deref() == Some(name) {
                self.state.dropping = None;
            } else if self.state.dropping.is_none() {
                self.close(name);
            }
            return TokenSinkResult::Continue;
        }
        // Searching on from the last tag keeps this linear; a tag not found (its name was
        // altered by the tokenizer, e.g. a NUL) ends the search for this run.
        let offset = match find_tag(self.source, name, self.cursor) {
            Some(at) => {
                self.cursor = at + 1;
                at
            }
            None => std::mem::replace(&mut self.cursor, self.source.len()),
        };
        if self.state.dropping.is_some() {
            return TokenSinkResult::Continue;
        }
        if let Some(result) = dropped_content(name) {
            self.state.dropping = Some(name.to_string());
            return result;
        }
        let Some((name, allowed)) = policy(name) else {
            return TokenSinkResult::Continue;
        };
        let void = VOID.contains(&name);
        if !void && self.state.open.len() >= MAX_OPEN {
            return TokenSinkResult::Continue;
        }
        self.out.push('<');
        self.out.push_str(name);
        for attr in &tag.attrs {
            let key: &str = &attr.name.local;
            if !attr.name.ns.is_empty() || !allowed.contains(&key) {
                continue;
            }
            let value: &str = &attr.value;
            if key == "href" || key == "src" {
                if let Some(scheme) = url::blocked_scheme(value) {
                    self.removed.push(Removed {
                        offset,
                        tag: name,
                        attr: key.to_string(),
                        scheme,
                    });
                    continue;
                }
                if !url::is_safe(value) {
                    continue;
                }
            }
            self.out.push(' ');
            self.out.push_str(key);
            self.out.push_str("=\"");
            self.out.push_str(&escape_attr(value));
            self.out.push('"');
        }
        self.out.push('>');
        if !void {
            self.state.open.push(name);
        }
        TokenSinkResult::Continue
    }

    /// Closes the innermost open element named `name` and those opened inside it.
    fn close(&mut self, name: &str) {
        let Some(at) = self.state.open.iter().rposition(|n| *n == name) else {
            return;
        };
        for n in self.state.open.drain(at..).rev() {
            self.out.push_str("</");
            self.out.push_str(n);
            self.out.push('>');
        }
    }
}

impl Sanitizer {
    /// Sanitises one run of raw HTML (a whole HTML block, or one inline tag): the clean HTML
    /// and the script and data URLs removed from it.
    pub fn run(&mut self, html: &str) -> (String, Vec<Removed>) {
        let work = Work {
            state: self,
            source: html,
            cursor: 0,
            out: String::with_capacity(html.len()),
            removed: Vec::new(),
        };
        let tokenizer = Tokenizer::new(Sink(RefCell::new(work)), TokenizerOpts::default());
        let input = BufferQueue::default();
        input.push_back(StrTendril::from_slice(html));
        let _ = tokenizer.feed(&input);
        tokenizer.end();
        let work = tokenizer.sink.0.into_inner();
        (work.out, work.removed)
    }

    /// Whether content is being dropped (inside `<script>` and the like): Markdown text met
    /// now is dropped too.
    pub fn dropping(&self) -> bool {
        self.dropping.is_some()
    }

    /// A paragraph or block ended: content dropping ends with it.
    pub fn end_block(&mut self) {
        self.dropping = None;
    }

    /// End tags for the elements still open at the end of the body.
    pub fn finish(&mut self) -> String {
        self.open
            .drain(..)
            .rev()
            .map(|n| format!("</{n}>"))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(html: &str) -> String {
        let mut s = Sanitizer::default();
        let (mut out, _) = s.run(html);
        out.push_str(&s.finish());
        out
    }

    #[test]
    fn keeps_the_policy() {
        let table = "<table><thead><tr><th align=\"left\">A</th></tr></thead><tbody><tr><td colspan=\"2\" rowspan=\"1\">x</td></tr></tbody></table>";
        assert_eq!(clean(table), table);
        let d = "<details><summary>More</summary><abbr title=\"Artificial intelligence\">AI</abbr> x<sup>2</sup>H<sub>2</sub>O<br></details>";
        assert_eq!(clean(d), d);
        assert_eq!(
            clean("<a href=\"../a.md\" id=\"x\" name=\"y\" target=\"_blank\">a</a>"),
            "<a href=\"../a.md\" id=\"x\" name=\"y\">a</a>"
        );
        assert_eq!(
            clean("<IMG SRC=\"p.png\" alt=\"p\" width=\"10\" height=\"5\">"),
            "<img src=\"p.png\" alt=\"p\" width=\"10\" height=\"5\">"
        );
        assert_eq!(
            clean("<span class=\"x\" style=\"color:red\">t</span>"),
            "<span class=\"x\">t</span>"
        );
    }

    #[test]
    fn removes_what_runs_or_embeds() {
        assert_eq!(clean("a<script>alert(1)</script>b"), "ab");
        assert_eq!(clean("<img src=x onerror=alert(1)>"), "<img src=\"x\">");
        assert_eq!(
            clean("<style>p{}</style><iframe src=\"//e\">f</iframe>ok"),
            "ok"
        );
        assert_eq!(clean("<p style=\"x\" onclick=\"y\">p</p>"), "<p>p</p>");
        assert_eq!(clean("<!-- note -->x<!doctype html><?php x ?>"), "x");
        assert_eq!(clean("<svg><script>x</script></svg>y"), "y");
        assert_eq!(clean("<textarea><img src=x></textarea>t"), "t");
        assert_eq!(
            clean("<b>\"q\" & 'a'</b>"),
            "<b>&quot;q&quot; &amp; &#39;a&#39;</b>"
        );
        assert_eq!(clean("<a href=\"file:///etc/passwd\">f</a>"), "<a>f</a>");
    }

    #[test]
    fn reports_script_urls_with_their_tag() {
        let mut s = Sanitizer::default();
        let html = "<p>x</p>\n<a href=\"java&#x09;script:alert(1)\">a</a><IMG src=' data:x'>";
        let (out, removed) = s.run(html);
        assert_eq!(out, "<p>x</p>\n<a>a</a><img>");
        assert_eq!(removed.len(), 2);
        assert_eq!((removed[0].offset, removed[0].scheme), (9, "javascript"));
        assert_eq!(
            (
                removed[1].offset,
                removed[1].attr.as_str(),
                removed[1].scheme
            ),
            (html.find("<IMG").unwrap(), "src", "data")
        );
    }

    #[test]
    fn balances_across_runs() {
        let mut s = Sanitizer::default();
        assert_eq!(
            s.run("<details>\n<summary>S</summary>\n").0,
            "<details>\n<summary>S</summary>\n"
        );
        // Markdown in between is not the sanitiser's; a stray end tag is dropped.
        assert_eq!(s.run("</div></details>\n").0, "</details>\n");
        assert_eq!(s.run("<span class=\"k\">").0, "<span class=\"k\">");
        assert_eq!(s.run("</span>").0, "</span>");
        assert_eq!(s.run("<b><i>x</b>").0, "<b><i>x</i></b>");
        assert_eq!(s.run("<div>").0, "<div>");
        assert_eq!(s.finish(), "</div>");
        assert_eq!(s.run("</main></body>").0, "");
        let deep = "<b>".repeat(MAX_OPEN + 10);
        let (out, _) = s.run(&deep);
        assert_eq!(out.matches("<b>").count(), MAX_OPEN);
        assert_eq!(s.finish().matches("</b>").count(), MAX_OPEN);
    }

    #[test]
    fn dropping_spans_runs_until_the_block_ends() {
        let mut s = Sanitizer::default();
        assert_eq!(s.run("<script>").0, "");
        assert!(s.dropping());
        assert_eq!(s.run("</script>").0, "");
        assert!(!s.dropping());
        s.run("<style>");
        s.end_block();
        assert!(!s.dropping());
        assert_eq!(s.run("<b>x</b>").0, "<b>x</b>");
    }
}
