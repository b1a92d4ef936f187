//! The author's raw HTML, comments and link targets, as the Markdown pass meets them.
//!
//! The pass renders every body once, before it is known which `raw_html` setting a build
//! applies (it depends on aims.toml and on the audience, and a parsed document is shared by
//! every version of a build). So each run of raw HTML — an HTML block as a whole, or one inline
//! tag — becomes a placeholder event, and at the end the events are written twice: with the
//! author's HTML as written (comments removed) in [`Rendered::html`](super::Rendered::html),
//! and sanitised in [`Rendered::sanitized`](super::Rendered::sanitized). A body without raw HTML
//! is written once, exactly as before. What was found along the way — script and data URLs,
//! raw HTML, comments never closed — is kept as [`Finding`]s at body byte ranges; the load stage
//! and [`crate::hygiene`] turn them into diagnostics.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, RefDefs, Tag, TagEnd};

use super::comments;
use super::run::Run;
use super::sanitize::Sanitizer;
use super::url;
use super::{MARKS, MARK_END};

/// Starts the placeholder of a run of raw HTML (`MARK_RAW index MARK_END`).
pub(super) const MARK_RAW: char = '\u{E004}';

/// Something in a body that the build must know about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What it is.
    pub kind: FindingKind,
    /// Byte range in the body.
    pub range: Range<usize>,
}

/// The kinds of [`Finding`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindingKind {
    /// A Markdown link, image, autolink or reference definition with a blocked scheme.
    BlockedLink {
        /// `javascript`, `vbscript` or `data`.
        scheme: &'static str,
        /// An image rather than a link.
        image: bool,
    },
    /// Raw HTML (other than comments) written by the author.
    RawHtml,
    /// A blocked scheme in a raw HTML `href` or `src`, which sanitising removes.
    BlockedAttribute {
        /// The attribute.
        attr: String,
        /// `javascript`, `vbscript` or `data`.
        scheme: &'static str,
    },
    /// `<!--` never closed with `-->`.
    UnclosedComment {
        /// In raw HTML (removed to the end of its block); otherwise Markdown shows it as text.
        in_html: bool,
        /// Body text follows the comment's block, and is published.
        text_follows: bool,
    },
}

/// The pass's state for raw HTML, comments and link targets in one body.
pub(super) struct RawPass<'b> {
    body: &'b str,
    /// Each placeholder's HTML: as written (comments removed), and sanitised.
    parts: Vec<(String, String)>,
    sanitizer: Sanitizer,
    /// The HTML block being collected.
    block: Option<Run>,
    in_code_block: bool,
    findings: Vec<Finding>,
    /// Findings so far of each kind (in [`FindingKind`] order).
    counts: [usize; 4],
    /// Where the last run of raw HTML starts.
    last_raw: Option<usize>,
}

/// Findings kept per body of each kind (raw HTML: one per line): enough to show the author
/// where they are — the build fails at the first error anyway — and a bound on what a body
/// made of thousands of them costs.
pub(super) const MAX_FINDINGS: usize = 100;

fn is_reference(link_type: LinkType) -> bool {
    matches!(
        link_type,
        LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut
    )
}

impl<'b> RawPass<'b> {
    pub(super) fn new(body: &'b str) -> Self {
        RawPass {
            body,
            parts: Vec::new(),
            sanitizer: Sanitizer::default(),
            block: None,
            in_code_block: false,
            findings: Vec::new(),
            counts: [0; 4],
            last_raw: None,
        }
    }

    /// Checks every reference definition, used or not, at the definition.
    pub(super) fn reference_definitions(&mut self, defs: &RefDefs<'_>) {
        for (_, def) in defs.iter() {
            if let Some(scheme) = url::blocked_scheme(&def.dest) {
                self.found(Finding {
                    kind: FindingKind::BlockedLink {
                        scheme,
                        image: false,
                    },
                    range: def.span.clone(),
                });
            }
        }
    }

    /// Whether a link or image target is blocked (reported here, or at its reference
    /// definition); the caller writes it without a target.
    pub(super) fn blocked(
        &mut self,
        link_type: LinkType,
        dest: &str,
        range: &Range<usize>,
        image: bool,
    ) -> bool {
        let Some(scheme) = url::blocked_scheme(dest) else {
            return false;
        };
        if !is_reference(link_type) {
            self.found(Finding {
                kind: FindingKind::BlockedLink { scheme, image },
                range: range.clone(),
            });
        }
        true
    }

    /// Sees every event before it is handled: code blocks, and block ends (where dropped
    /// content ends).
    pub(super) fn observe(&mut self, event: &Event<'_>) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => self.in_code_block = true,
            Event::End(TagEnd::CodeBlock) => {
                self.in_code_block = false;
                self.sanitizer.end_block();
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::TableCell
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::FootnoteDefinition,
            ) => self.sanitizer.end_block(),
            _ => {}
        }
    }

    /// One line of an HTML block.
    pub(super) fn html_line(&mut self, text: &str, range: Range<usize>) {
        self.block
            .get_or_insert_with(Run::default)
            .push(self.body, text, range);
    }

    /// The end of an HTML block: its placeholder, if anything of it is published.
    pub(super) fn block_end(&mut self) -> Option<Event<'static>> {
        let run = self.block.take()?;
        let event = self.run(&run);
        self.sanitizer.end_block();
        event
    }

    /// One inline HTML tag or comment: its placeholder, if anything of it is published.
    pub(super) fn inline(&mut self, text: &str, range: Range<usize>) -> Option<Event<'static>> {
        let mut run = Run::default();
        run.push(self.body, text, range);
        self.run(&run)
    }

    /// A text event: dropped when it is inside `<script>` and the like (when sanitising), and
    /// checked for a `<!--` that Markdown shows as text.
    pub(super) fn text<'a>(&mut self, text: CowStr<'a>, range: &Range<usize>) -> Event<'a> {
        // A `<!--` in the source reaches a text event as a `<` (quick to look for).
        if !self.in_code_block && text.contains('<') {
            let b = self.body.as_bytes();
            let end = (range.end + 3).min(b.len());
            let opens = b
                .get(range.start..end)
                .and_then(|s| s.windows(4).position(|w| w == b"<!--"))
                .filter(|&at| at + range.start == 0 || b[at + range.start - 1] != b'\\');
            if let Some(at) = opens {
                let start = range.start + at;
                self.found(Finding {
                    kind: FindingKind::UnclosedComment {
                        in_html: false,
                        text_follows: true,
                    },
                    range: start..start + 4,
                });
            }
        }
        self.dropped(Event::Text(text))
    }

    /// `event` as it is, or — inside content the sanitiser drops — a placeholder that is
    /// the event when written as is and nothing when sanitised.
    pub(super) fn dropped<'a>(&mut self, event: Event<'a>) -> Event<'a> {
        if !self.sanitizer.dropping() {
            return event;
        }
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, std::iter::once(event));
        self.placeholder(html, String::new())
    }

    /// Keeps a finding, up to [`MAX_FINDINGS`] of its kind.
    fn found(&mut self, finding: Finding) {
        let kind = match finding.kind {
            FindingKind::BlockedLink { .. } => 0,
            FindingKind::RawHtml => 1,
            FindingKind::BlockedAttribute { .. } => 2,
            FindingKind::UnclosedComment { .. } => 3,
        };
        if self.counts[kind] < MAX_FINDINGS {
            self.counts[kind] += 1;
            self.findings.push(finding);
        }
    }

    fn placeholder<'a>(&mut self, written: String, sanitized: String) -> Event<'a> {
        let i = self.parts.len();
        self.parts.push((written, sanitized));
        Event::Html(CowStr::from(format!("{MARK_RAW}{i}{MARK_END}")))
    }

    fn run(&mut self, run: &Run) -> Option<Event<'static>> {
        let text = if run.text.contains(MARKS) {
            run.text.replace(MARKS, "\u{FFFD}")
        } else {
            run.text.clone()
        };
        let found = comments::find(&text);
        if let Some(at) = found.unclosed {
            let start = run.at(at);
            let follows = self
                .body
                .get(run.range().end..)
                .is_some_and(|rest| !rest.trim().is_empty());
            self.found(Finding {
                kind: FindingKind::UnclosedComment {
                    in_html: true,
                    text_follows: follows,
                },
                range: start..start + 4,
            });
        }
        let written = if found.ranges.is_empty() {
            text.clone()
        } else {
            found.remove_from(&text)
        };
        if written.trim().is_empty() {
            // Only comments.
            return None;
        }
        // One per line.
        let range = run.range();
        let same_line = self.last_raw.is_some_and(|at| {
            self.body
                .get(at..range.start)
                .is_some_and(|between| !between.contains('\n'))
        });
        self.last_raw = Some(range.start);
        if !same_line {
            self.found(Finding {
                kind: FindingKind::RawHtml,
                range,
            });
        }
        let (sanitized, removed) = self.sanitizer.run(&text);
        for r in removed {
            let start = run.at(r.offset);
            self.found(Finding {
                kind: FindingKind::BlockedAttribute {
                    attr: r.attr,
                    scheme: r.scheme,
                },
                range: start..start + 1 + r.tag.len(),
            });
        }
        Some(self.placeholder(written, sanitized))
    }

    /// Writes the events: `html` with the author's HTML as written, and, when the body has raw
    /// HTML, `sanitized` with it sanitised. Returns the findings in body order.
    pub(super) fn finish(
        mut self,
        events: Vec<Event<'_>>,
        html: &mut String,
        sanitized: &mut Option<String>,
    ) -> Vec<Finding> {
        self.findings.sort_by_key(|f| (f.range.start, f.range.end));
        if self.parts.is_empty() {
            pulldown_cmark::html::push_html(html, events.into_iter());
            return self.findings;
        }
        let parts = &self.parts;
        pulldown_cmark::html::push_html(
            html,
            events.iter().cloned().map(|e| fill(e, parts, false)),
        );
        let mut clean = String::with_capacity(html.len());
        pulldown_cmark::html::push_html(
            &mut clean,
            events.into_iter().map(|e| fill(e, parts, true)),
        );
        clean.push_str(&self.sanitizer.finish());
        *sanitized = Some(clean);
        self.findings
    }
}

/// `event`, or for a placeholder the HTML of its run (as written, or `clean`).
fn fill<'x>(event: Event<'x>, parts: &'x [(String, String)], clean: bool) -> Event<'x> {
    match event {
        Event::Html(s) if s.starts_with(MARK_RAW) => {
            let part = s[MARK_RAW.len_utf8()..]
                .trim_end_matches(MARK_END)
                .parse::<usize>()
                .ok()
                .and_then(|i| parts.get(i))
                .map_or("", |(w, c)| if clean { c.as_str() } else { w.as_str() });
            Event::Html(CowStr::Borrowed(part))
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::super::render;
    use super::*;

    fn kinds(body: &str) -> Vec<(FindingKind, String)> {
        render(body)
            .findings
            .into_iter()
            .map(|f| (f.kind, body[f.range].to_string()))
            .collect()
    }

    #[test]
    fn comments_leave_every_rendering() {
        let body = "<!-- ask legal\nabout this -->\n\nText <!-- inline\nnote --> here.\n\n| a | b |\n|---|---|\n| x <!-- cell --> | y |\n\n`<!-- code -->`\n\n```\n<!-- block code -->\n```\n";
        let r = render(body);
        for s in ["ask legal", "inline", "note", "cell"] {
            assert!(!r.html.contains(s), "{s} in {}", r.html);
            assert!(!r.text.contains(s), "{s} in {}", r.text);
        }
        assert!(r.html.contains("&lt;!-- code --&gt;"));
        assert!(r.html.contains("&lt;!-- block code --&gt;"));
        assert!(r.sanitized.is_none(), "comments alone are not raw HTML");
        assert!(r.findings.is_empty(), "{:?}", r.findings);
    }

    #[test]
    fn raw_html_is_written_both_ways() {
        let body = "<details>\n<summary>More</summary>\n\n*Markdown* inside.\n\n</details>\n\nSee <abbr title=\"x\">AI</abbr> <script>alert(1)</script> and [[POL-1]].\n\n<div onclick=\"x\"><!-- c -->Div</div>\n";
        let r = render(body);
        assert!(r.html.contains("<script>alert(1)</script>"));
        assert!(r.html.contains("<div onclick=\"x\">Div</div>"));
        let s = r.sanitized.as_deref().unwrap();
        assert!(s.contains(
            "<details>\n<summary>More</summary>\n<p><em>Markdown</em> inside.</p>\n</details>"
        ));
        assert!(s.contains("<abbr title=\"x\">AI</abbr>"));
        assert!(!s.contains("alert") && !s.contains("onclick"), "{s}");
        assert!(s.contains("<div>Div</div>"));
        // aimsdoc's own placeholders are in both.
        assert_eq!(r.html.matches(super::super::MARK_START).count(), 1);
        assert_eq!(s.matches(super::super::MARK_START).count(), 1);
        assert!(!s.contains(MARK_RAW) && !r.html.contains(MARK_RAW));
        let raw = kinds(body)
            .into_iter()
            .filter(|(k, _)| *k == FindingKind::RawHtml)
            .count();
        assert_eq!(raw, 4, "one per line");
        let many = "<b>x</b> <i>y</i>\n\n".repeat(MAX_FINDINGS + 50);
        assert_eq!(kinds(&many).len(), MAX_FINDINGS);
        let many = "[x](javascript:x) a <!-- b\n\n".repeat(MAX_FINDINGS + 50);
        assert_eq!(kinds(&many).len(), 2 * MAX_FINDINGS);
    }

    #[test]
    fn raw_html_cannot_forge_placeholders() {
        let r = render("<span>\u{E000}0\u{E001}\u{E004}0\u{E001}</span>\n");
        for html in [&r.html, r.sanitized.as_ref().unwrap()] {
            assert!(!html.contains(super::super::MARK_START), "{html}");
            assert!(!html.contains(MARK_RAW), "{html}");
        }
    }

    #[test]
    fn blocked_targets_are_found_where_written() {
        let body = "[a](JavaScript:alert(1)) ![i](data:image/png;base64,AA) <vbscript:x>\n[b](java&#x09;script:x) [c][r] [ok](https://e.com)\n\n[r]: javascript:void(0)\n[unused]:  DATA:text/html,x\n";
        let found = kinds(body);
        let blocked: Vec<(&'static str, bool, &str)> = found
            .iter()
            .map(|(k, s)| match k {
                FindingKind::BlockedLink { scheme, image } => (*scheme, *image, s.as_str()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            blocked,
            vec![
                ("javascript", false, "[a](JavaScript:alert(1))"),
                ("data", true, "![i](data:image/png;base64,AA)"),
                ("vbscript", false, "<vbscript:x>"),
                ("javascript", false, "[b](java&#x09;script:x)"),
                ("javascript", false, "[r]: javascript:void(0)"),
                ("data", false, "[unused]:  DATA:text/html,x"),
            ]
        );
        let r = render(body);
        // Written without their targets (the autolink keeps its text).
        assert_eq!(r.html.matches("href=\"\"").count(), 4, "{}", r.html);
        assert!(r.html.contains("<img src=\"\" alt=\"i\" />"), "{}", r.html);
        assert!(r.html.contains("href=\"https://e.com\""));
    }

    #[test]
    fn unclosed_comments() {
        let found = kinds("<div>\n<!-- start\n\nsecret\n</div>\n");
        assert!(found.contains(&(
            FindingKind::UnclosedComment {
                in_html: true,
                text_follows: true
            },
            "<!--".into()
        )));
        let found = kinds("Text.\n\n<!-- TODO: the rest\n\nnever closed\n");
        assert_eq!(
            found,
            vec![(
                FindingKind::UnclosedComment {
                    in_html: true,
                    text_follows: false
                },
                "<!--".into()
            )]
        );
        let found = kinds("text <!-- not closed\n\n`<!--` and \\<!-- are fine\n");
        assert_eq!(
            found,
            vec![(
                FindingKind::UnclosedComment {
                    in_html: false,
                    text_follows: true
                },
                "<!--".into()
            )]
        );
    }

    #[test]
    fn positions_inside_containers() {
        let body = "> <div>\n> <a href=\"javascript:x\">a</a>\n> </div>\n";
        let r = render(body);
        let f = r
            .findings
            .iter()
            .find(|f| matches!(f.kind, FindingKind::BlockedAttribute { .. }))
            .unwrap();
        assert_eq!(&body[f.range.start..f.range.start + 2], "<a");
    }
}
