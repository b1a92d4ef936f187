//! What a build publishes of what authors write in bodies besides Markdown: the `raw_html`
//! setting applied to loaded documents, and the diagnostics for what the Markdown pass found —
//! `javascript:`, `vbscript:` and `data:` link targets, raw HTML, HTML comments never closed.
//!
//! The pass renders each body both ways (raw HTML as written, and sanitised; see
//! `src/markdown/raw.rs`), because the setting depends on the build: `raw_html` in aims.toml,
//! or, when it is not set, `sanitize` for a public edition and `allow` otherwise. [`apply`]
//! picks one rendering per document once the build knows.

use std::path::Path;

use crate::config::RawHtml;
use crate::diagnostics::{code, Diagnostic, Span};
use crate::markdown::{Finding, FindingKind};
use crate::model::{Document, Manual};

/// The span of a finding: its first line only, so a long HTML block is not quoted whole.
fn span(path: &Path, text: Option<&str>, body_offset: usize, f: &Finding) -> Span {
    let Some(text) = text else {
        return Span::file(path);
    };
    let start = (body_offset + f.range.start).min(text.len());
    let end = (body_offset + f.range.end).clamp(start, text.len());
    match text.get(start..end) {
        Some(s) => Span::at(path, text, start..s.find('\n').map_or(end, |n| start + n)),
        None => Span::file(path),
    }
}

/// The diagnostic for a finding, when `mode` makes it one (`None` for mode-independent
/// findings: blocked link targets and unclosed comments).
fn diagnostic(f: &Finding, mode: Option<RawHtml>, at: impl FnOnce() -> Span) -> Option<Diagnostic> {
    Some(match (&f.kind, mode) {
        (FindingKind::BlockedLink { scheme, image }, None) => {
            let (what, fix) = if *image {
                ("image from", "save the image as a file in the AIMS folder and link to it, e.g. ![text](images/picture.png)")
            } else {
                ("link to", "link to a page (https://…) or to a file in the AIMS folder")
            };
            Diagnostic::error(
                code::BLOCKED_URL,
                at(),
                format!("{what} a `{scheme}:` URL: a link or image may not run script or carry inline data"),
            )
            .with_suggestion(fix)
        }
        (
            FindingKind::UnclosedComment {
                in_html,
                text_follows,
            },
            None,
        ) => {
            let (message, fix) = match (in_html, text_follows) {
                (true, true) => (
                    "`<!--` opens an HTML comment that is never closed: the rest of its HTML block is removed, and the text after the block is published",
                    "close the comment with `-->`; inside an HTML block it must close before the block's first blank line",
                ),
                (true, false) => (
                    "`<!--` opens an HTML comment that is never closed: everything after it is removed",
                    "close the comment with `-->` where the note ends",
                ),
                (false, _) => (
                    "`<!--` here opens no HTML comment (Markdown ends an inline comment at a blank line), so the note is published as text",
                    "close the comment with `-->` in the same paragraph, or write `\\<!--` or `` `<!--` `` to show it as text",
                ),
            };
            let d = if *text_follows {
                Diagnostic::error(code::UNCLOSED_COMMENT, at(), message)
            } else {
                Diagnostic::warning(code::UNCLOSED_COMMENT, at(), message)
            };
            d.with_suggestion(fix)
        }
        (FindingKind::BlockedAttribute { attr, scheme }, Some(RawHtml::Sanitize)) => {
            Diagnostic::error(
                code::BLOCKED_URL,
                at(),
                format!("raw HTML `{attr}` with a `{scheme}:` URL: a link or image may not run script or carry inline data"),
            )
            .with_suggestion("use a https:// URL or a relative path (raw_html = \"sanitize\" removes this one)")
        }
        (FindingKind::RawHtml, Some(RawHtml::Deny)) => Diagnostic::error(
            code::RAW_HTML,
            at(),
            "raw HTML in the body, and aims.toml has raw_html = \"deny\"",
        )
        .with_suggestion("write it in Markdown (tables, links, emphasis, lists), or set raw_html = \"sanitize\" in aims.toml to publish a safe subset of HTML"),
        _ => return None,
    })
}

/// The diagnostics of a document's findings that hold whatever `raw_html` says (blocked link
/// targets, unclosed comments), for the load stage, which has the file's text.
pub fn load_diagnostics(
    path: &Path,
    text: &str,
    body_offset: usize,
    findings: &[Finding],
) -> Vec<Diagnostic> {
    findings
        .iter()
        .filter_map(|f| diagnostic(f, None, || span(path, Some(text), body_offset, f)))
        .collect()
}

/// Applies `mode` to the documents `include` selects: each one's HTML becomes the rendering
/// `mode` publishes (raw HTML sanitised under `sanitize` and `deny`), and the findings `mode`
/// makes errors are returned — under `deny` at most one per line. `text_of` reads a document's
/// file to place them.
pub fn apply(
    manual: &mut Manual,
    mode: RawHtml,
    include: &dyn Fn(&Document) -> bool,
    text_of: &dyn Fn(&Path) -> Option<String>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for doc in manual.documents.iter_mut().filter(|d| include(d)) {
        let Some(sanitized) = doc.body.sanitized.take() else {
            continue;
        };
        if mode == RawHtml::Allow {
            continue;
        }
        doc.body.html = sanitized;
        let mut text: Option<Option<String>> = None;
        let mut last_line = 0;
        for f in &doc.body.findings {
            let at = || {
                let t = text.get_or_insert_with(|| text_of(&doc.path));
                span(&doc.path, t.as_deref(), doc.body_offset, f)
            };
            if let Some(d) = diagnostic(f, Some(mode), at) {
                if d.code == code::RAW_HTML && d.span.line != 0 && d.span.line == last_line {
                    continue;
                }
                last_line = d.span.line;
                out.push(d);
            }
        }
    }
    out
}
