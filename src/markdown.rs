//! The one Markdown pass per document. It renders HTML in which every cross-reference is a
//! placeholder, and collects the headings (with their anchors) and the references (with
//! their positions). Resolution later fills the placeholders without parsing again.
//!
//! The author's raw HTML, HTML comments and link targets are handled in `markdown/raw.rs`:
//! comments are removed, `javascript:`/`vbscript:`/`data:` targets reported ([`url`]), and raw
//! HTML written both as is and sanitised ([`sanitize`]), for the build to choose.

mod comments;
mod placeholders;
mod raw;
mod run;
pub mod sanitize;
pub mod url;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

pub use comments::without_comments;
pub use placeholders::fill_placeholders;
pub use raw::{Finding, FindingKind};

/// Marks the start and end of a placeholder in the pre-rendered HTML. Private-use characters
/// never survive from the input: the pass replaces them in the whole body before parsing.
pub const MARK_START: char = '\u{E000}';
/// See [`MARK_START`].
pub const MARK_END: char = '\u{E001}';
/// Opens a whole link element (`MARK_OPEN index MARK_END … MARK_CLOSE`), so that a link to a
/// withheld document can be replaced together with its text.
pub const MARK_OPEN: char = '\u{E002}';
/// Closes the element opened by [`MARK_OPEN`].
pub const MARK_CLOSE: char = '\u{E003}';
const MARKS: [char; 5] = [MARK_START, MARK_END, MARK_OPEN, MARK_CLOSE, raw::MARK_RAW];

/// A heading of the body with its anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// Plain text of the heading.
    pub text: String,
    /// The `id` attribute (explicit `{#id}` or a slug of the text, made unique).
    pub anchor: String,
}

/// What a reference in the body points at, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefTarget {
    /// `[[ID]]`, `[[ID|text]]`, `[[ID#anchor]]`: a document, clause or control id.
    Wiki {
        /// The id part.
        id: String,
        /// The part after `#`, if any.
        anchor: Option<String>,
    },
    /// `[text](path.md#anchor)` or an image: a relative path in the AIMS.
    Path {
        /// The path part (percent-decoded).
        path: String,
        /// The part after `#`, if any.
        anchor: Option<String>,
    },
    /// `[text](#anchor)`: a heading of the same document.
    SelfAnchor(String),
}

/// How the placeholder is filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Only the `href`/`src` value; the link text is the author's.
    Href,
    /// The whole `<a>` element, with the target's title as text (`[[ID]]`).
    Element,
}

/// One reference found in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// What it points at.
    pub target: RefTarget,
    /// Byte range in the body.
    pub range: std::ops::Range<usize>,
    /// How its placeholder is filled.
    pub fill: Fill,
    /// Byte range of its text in [`Rendered::text`] (empty inside headings), so that the
    /// text of a link to a withheld document can be left out of a search index.
    pub text: std::ops::Range<usize>,
}

/// The result of the pass.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// HTML with placeholders `MARK_START index MARK_END` (index into `refs`).
    pub html: String,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// References in order.
    pub refs: Vec<Reference>,
    /// Plain text of the body outside headings, whitespace collapsed, at most
    /// [`TEXT_CAP`] bytes: what the search index knows of the body.
    pub text: String,
    /// [`Self::html`] with the author's raw HTML sanitised; `None` when the body has no raw
    /// HTML (comments aside). `html` has it as written. HTML comments are in neither.
    pub sanitized: Option<String>,
    /// Blocked link targets, raw HTML and unclosed comments, in body order.
    pub findings: Vec<Finding>,
}

/// The most body text kept per document for search (bytes). Enough for every section of a
/// typical policy; a 16 MiB register is searchable by its first pages only.
pub const TEXT_CAP: usize = 16 * 1024;

/// Appends `s` to `out` with runs of whitespace collapsed to one space, up to [`TEXT_CAP`].
/// Works word by word (copies, not per-character pushes): it runs over every body.
fn push_text(out: &mut String, s: &str) {
    // Once the cap is reached nothing more is kept.
    if out.len() >= TEXT_CAP {
        return;
    }
    let space = |out: &mut String| {
        if !out.is_empty() && !out.ends_with(' ') && out.len() < TEXT_CAP {
            out.push(' ');
        }
    };
    if s.starts_with(char::is_whitespace) {
        space(out);
    }
    // ASCII text splits byte by byte; `char::is_whitespace` also counts the vertical tab,
    // which `u8::is_ascii_whitespace` does not, so text with one takes the general path.
    let capped = if s.is_ascii() && !s.as_bytes().contains(&0x0b) {
        push_words(out, s.split_ascii_whitespace())
    } else {
        push_words(out, s.split_whitespace())
    };
    if !capped && s.ends_with(char::is_whitespace) {
        space(out);
    }
}

/// Appends `words` to `out`, one space between them, up to [`TEXT_CAP`]; `true` when the cap
/// cut them.
fn push_words<'a>(out: &mut String, words: impl Iterator<Item = &'a str>) -> bool {
    let mut words = words.peekable();
    while let Some(w) = words.next() {
        if out.len() + w.len() > TEXT_CAP {
            let mut end = TEXT_CAP.saturating_sub(out.len());
            while !w.is_char_boundary(end) {
                end -= 1;
            }
            out.push_str(&w[..end]);
            return true;
        }
        out.push_str(w);
        if words.peek().is_some() && !out.is_empty() && !out.ends_with(' ') && out.len() < TEXT_CAP
        {
            out.push(' ');
        }
    }
    false
}

/// Element ids used by the document page template; body headings never take them.
pub const RESERVED_ANCHORS: &[&str] = &[
    "aims-main",
    "aims-addresses-heading",
    "aims-toc-heading",
    "aims-related-heading",
    "aims-backlinks-heading",
];

/// Options used for every document.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

/// Slug of heading text: lowercase letters and digits, every other run becomes one `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        out.push_str("section");
    }
    out
}

fn is_external(url: &str) -> bool {
    let scheme_end = url.find(':');
    let slash = url.find('/');
    match scheme_end {
        Some(i) => {
            i > 0
                && slash.is_none_or(|s| i < s)
                && url[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => url.starts_with("//"),
    }
}

fn split_anchor(s: &str) -> (String, Option<String>) {
    match s.split_once('#') {
        Some((a, b)) => (a.to_string(), Some(b.to_string())),
        None => (s.to_string(), None),
    }
}

/// Percent-decodes a link destination; a `%` not followed by two hex digits stays as it is,
/// and bytes that are not UTF-8 become U+FFFD.
fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn placeholder(i: usize) -> String {
    format!("{MARK_START}{i}{MARK_END}")
}

/// Classifies a link destination; `None` for external links and absolute paths, which are
/// left alone.
fn classify(dest: &str) -> Option<RefTarget> {
    if dest.is_empty() || is_external(dest) || dest.starts_with('/') {
        return None;
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        return Some(RefTarget::SelfAnchor(percent_decode(anchor)));
    }
    let (path, anchor) = split_anchor(dest);
    let path = path.split('?').next().unwrap_or("").to_string();
    Some(RefTarget::Path {
        path: percent_decode(&path),
        anchor: anchor.map(|a| percent_decode(&a)),
    })
}

/// A heading being collected: level, explicit id, classes, inner events, plain text.
type HeadingBuffer<'a> = (
    HeadingLevel,
    Option<String>,
    Vec<CowStr<'a>>,
    Vec<Event<'a>>,
    String,
);

/// Runs the pass over a body.
pub fn render(body: &str) -> Rendered {
    let mut out = Rendered::default();
    let mut events: Vec<Event<'_>> = Vec::new();
    // Ids the page templates use are taken, so a heading never duplicates them.
    let mut used_anchors: std::collections::HashSet<String> =
        RESERVED_ANCHORS.iter().map(|s| s.to_string()).collect();
    // A local image being collected: reference index, title, alt text.
    let mut image: Option<(usize, String, String)> = None;
    // Marks in the input would forge placeholders wherever the body reaches the HTML (heading
    // ids, titles, footnote labels, raw HTML, wiki ids). U+FFFD has the same UTF-8 length as
    // each mark, so every byte offset into the body stays valid.
    let cleaned;
    let body = if body.contains(MARKS) {
        cleaned = body.replace(MARKS, "\u{FFFD}");
        cleaned.as_str()
    } else {
        body
    };
    let parser = Parser::new_ext(body, options());
    let mut raw = raw::RawPass::new(body);
    raw.reference_definitions(parser.reference_definitions());
    let parser = parser.into_offset_iter();
    // The text is at most the body's length: one allocation.
    out.text.reserve(body.len().min(TEXT_CAP));

    // Heading buffer: (level, explicit id, classes, attrs, events, text)
    let mut heading: Option<HeadingBuffer<'_>> = None;
    // Inside a `[[ID]]` whose text we replace: skip until the matching end.
    let mut skip_depth = 0usize;
    // Stack of link kinds to know what the matching End becomes.
    let mut link_stack: Vec<bool> = Vec::new();
    // Reference indices of the open `Fill::Href` links, to close their text ranges.
    let mut text_stack: Vec<usize> = Vec::new();
    // Tables so far, to label each table's scroll region.
    let mut tables = 0usize;
    // The events one input event becomes (reused: most become one).
    let mut emit: Vec<Event<'_>> = Vec::new();

    for (event, range) in parser {
        if let Some((i, title, alt)) = image.as_mut() {
            match &event {
                Event::End(TagEnd::Image) => {
                    let title_attr = if title.is_empty() {
                        String::new()
                    } else {
                        format!(" title=\"{}\"", escape_attr(title))
                    };
                    let tag = format!(
                        "<img src=\"{}\" alt=\"{}\"{title_attr}>",
                        placeholder(*i),
                        escape_attr(alt)
                    );
                    image = None;
                    let e = Event::Html(CowStr::from(tag));
                    match heading.as_mut() {
                        Some((_, _, _, inner, _)) => inner.push(e),
                        None => events.push(e),
                    }
                }
                Event::Text(t) | Event::Code(t) => alt.push_str(t),
                _ => {}
            }
            continue;
        }
        if skip_depth > 0 {
            match &event {
                Event::Start(Tag::Link { .. }) => skip_depth += 1,
                Event::End(TagEnd::Link) => skip_depth -= 1,
                _ => {}
            }
            continue;
        }
        raw.observe(&event);
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                heading = Some((
                    level,
                    id.map(|s| s.to_string()),
                    classes,
                    Vec::new(),
                    String::new(),
                ));
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, id, classes, inner, text)) = heading.take() {
                    let base = id.unwrap_or_else(|| slugify(&text));
                    let mut anchor = base.clone();
                    let mut n = 1;
                    while !used_anchors.insert(anchor.clone()) {
                        anchor = format!("{base}-{n}");
                        n += 1;
                    }
                    out.headings.push(Heading {
                        level: level as u8,
                        text: text.trim().to_string(),
                        anchor: anchor.clone(),
                    });
                    let classes = classes
                        .iter()
                        .map(|c| c.to_string())
                        .collect::<Vec<_>>()
                        .join(" ");
                    let class_attr = if classes.is_empty() {
                        String::new()
                    } else {
                        format!(" class=\"{}\"", escape_attr(&classes))
                    };
                    // Straight to the output: heading text is not body text.
                    events.push(Event::Html(CowStr::from(format!(
                        "<{level} id=\"{}\"{class_attr}>",
                        escape_attr(&anchor)
                    ))));
                    events.extend(inner);
                    push_text(&mut out.text, " ");
                    emit.push(Event::Html(CowStr::from(format!(
                        "<a class=\"anchor\" href=\"#{}\" aria-hidden=\"true\" tabindex=\"-1\">#</a></{level}>\n",
                        escape_attr(&anchor)
                    ))));
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                let wiki = matches!(link_type, LinkType::WikiLink { .. });
                // A blocked target is written as an empty one.
                let dest_url = if !wiki && raw.blocked(link_type, &dest_url, &range, false) {
                    CowStr::from("")
                } else {
                    dest_url
                };
                let target = if wiki {
                    let (id, anchor) = split_anchor(dest_url.trim());
                    Some(RefTarget::Wiki {
                        id: id.trim().to_string(),
                        anchor,
                    })
                } else if matches!(link_type, LinkType::Email) {
                    None
                } else {
                    classify(&dest_url)
                };
                match target {
                    Some(target) => {
                        let fill = match link_type {
                            LinkType::WikiLink { has_pothole: false } => Fill::Element,
                            _ => Fill::Href,
                        };
                        let i = out.refs.len();
                        let at = out.text.len();
                        out.refs.push(Reference {
                            target,
                            range: range.clone(),
                            fill,
                            text: at..at,
                        });
                        if fill == Fill::Element {
                            skip_depth = 1;
                            if heading.is_none() {
                                if let Some(RefTarget::Wiki { id, .. }) =
                                    out.refs.last().map(|r| r.target.clone())
                                {
                                    push_text(&mut out.text, &format!(" {id} "));
                                    let end = out.text.len();
                                    if let Some(r) = out.refs.last_mut() {
                                        r.text = at..end;
                                    }
                                }
                            }
                            emit.push(Event::Html(CowStr::from(placeholder(i))));
                        } else {
                            link_stack.push(true);
                            text_stack.push(i);
                            let title_attr = if title.is_empty() {
                                String::new()
                            } else {
                                format!(" title=\"{}\"", escape_attr(&title))
                            };
                            emit.push(Event::Html(CowStr::from(format!(
                                "{MARK_OPEN}{i}{MARK_END}<a href=\"{}\"{title_attr}>",
                                placeholder(i)
                            ))));
                        }
                    }
                    None => {
                        link_stack.push(false);
                        emit.push(Event::Start(Tag::Link {
                            link_type,
                            dest_url,
                            title,
                            id: CowStr::from(""),
                        }));
                    }
                }
            }
            Event::End(TagEnd::Link) => {
                if link_stack.pop() == Some(true) {
                    if let Some(i) = text_stack.pop() {
                        let end = out.text.len();
                        if let Some(r) = out.refs.get_mut(i) {
                            r.text.end = end.max(r.text.start);
                        }
                    }
                    emit.push(Event::Html(CowStr::from(format!("</a>{MARK_CLOSE}"))));
                } else {
                    emit.push(Event::End(TagEnd::Link));
                }
            }
            // Wide tables scroll inside a focusable region instead of widening the page.
            Event::Start(Tag::Table(align)) => {
                tables += 1;
                emit.push(Event::Html(CowStr::from(format!(
                    "<div class=\"table-wrap\" role=\"region\" aria-label=\"Table {tables}\" tabindex=\"0\">"
                ))));
                emit.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                emit.push(Event::End(TagEnd::Table));
                emit.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => match classify(&dest_url) {
                _ if raw.blocked(link_type, &dest_url, &range, true) => {
                    emit.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url: CowStr::from(""),
                        title,
                        id,
                    }))
                }
                Some(target @ RefTarget::Path { .. }) => {
                    // Written as raw HTML: pulldown-cmark would percent-encode a placeholder
                    // in `dest_url`. The alt text is collected until the image ends.
                    let i = out.refs.len();
                    let at = out.text.len();
                    out.refs.push(Reference {
                        target,
                        range: range.clone(),
                        fill: Fill::Href,
                        text: at..at,
                    });
                    image = Some((i, title.to_string(), String::new()));
                    continue;
                }
                _ => emit.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })),
            },
            Event::Html(t) => {
                raw.html_line(&t, range);
                continue;
            }
            Event::End(TagEnd::HtmlBlock) => emit.extend(raw.block_end()),
            Event::InlineHtml(t) => emit.extend(raw.inline(&t, range)),
            Event::Text(t) => emit.push(raw.text(t, &range)),
            e @ (Event::Code(_) | Event::SoftBreak | Event::HardBreak) => emit.push(raw.dropped(e)),
            other => emit.push(other),
        }
        for e in emit.drain(..) {
            match heading.as_mut() {
                Some((_, _, _, inner, text)) => {
                    if let Event::Text(t) | Event::Code(t) = &e {
                        text.push_str(t);
                    }
                    inner.push(e);
                }
                None => {
                    match &e {
                        Event::Text(t) | Event::Code(t) => push_text(&mut out.text, t),
                        Event::SoftBreak
                        | Event::HardBreak
                        | Event::End(
                            TagEnd::Paragraph
                            | TagEnd::Item
                            | TagEnd::TableCell
                            | TagEnd::CodeBlock
                            | TagEnd::BlockQuote(_),
                        ) => push_text(&mut out.text, " "),
                        _ => {}
                    }
                    events.push(e)
                }
            }
        }
    }
    out.html.reserve(body.len() * 3 / 2);
    out.findings = raw.finish(events, &mut out.html, &mut out.sanitized);
    out.html.shrink_to_fit();
    let trimmed = out.text.trim_end().len();
    out.text.truncate(trimmed);
    if out.text.capacity() > out.text.len() + out.text.len() / 8 + 64 {
        out.text.shrink_to_fit();
    }
    out
}

/// Escapes text for an HTML attribute or element content.
pub fn escape_attr(s: &str) -> String {
    // Byte by byte, copying the runs between the (ASCII) characters escaped.
    let mut out = String::with_capacity(s.len());
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        out.push_str(entity);
        from = i + 1;
    }
    out.push_str(&s[from..]);
    out
}

#[cfg(test)]
mod tests;
