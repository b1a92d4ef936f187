//! What the margins of every printed page show: the manual's title, the version label, the
//! edition and "Page N of M" on every page, and a document's id and version at the top of each
//! of its pages.
//!
//! It is CSS paged media, printed by Chromium: `@page` margin boxes with `counter(page)` and
//! `counter(pages)` (Chromium 131 and later). Chromium has neither `string-set` nor running
//! elements, so a document's own header is a named page: its `<article>` has
//! `style="page: aims-doc-N"` and the print template writes one `@page aims-doc-N` rule per
//! document, whose top-right box holds the id and version.

use serde::Serialize;

use super::super::VersionName;
use crate::render::views::DocView;

/// What the page margins show, every text already escaped by [`css_text`].
#[derive(Serialize)]
pub(super) struct Running {
    /// The manual's title.
    title: String,
    /// The version label.
    version: String,
    /// The edition.
    edition: String,
    /// One named page per printed document, in reading order.
    documents: Vec<RunningDoc>,
}

/// The named page of one document.
#[derive(Serialize)]
struct RunningDoc {
    /// The page name (`aims-doc-N`).
    page: String,
    /// Its header, escaped by [`css_text`].
    header: String,
}

impl Running {
    /// The margins of a manual titled `title`, of `version` and `edition`, whose documents
    /// (in reading order) are `docs`.
    pub(super) fn new<'a>(
        title: &str,
        version: &str,
        edition: &str,
        docs: impl Iterator<Item = &'a DocView>,
    ) -> Running {
        Running {
            title: css_text(title),
            version: css_text(version),
            edition: css_text(edition),
            documents: docs
                .enumerate()
                .map(|(n, v)| RunningDoc {
                    page: page_name(n),
                    header: css_text(&document_header(v)),
                })
                .collect(),
        }
    }
}

/// The named page of the `n`th printed document (in reading order).
pub(super) fn page_name(n: usize) -> String {
    format!("aims-doc-{n}")
}

/// What the top of each page of a document shows: its id, its version, its status unless
/// it is approved, and an overdue review.
fn document_header(v: &DocView) -> String {
    let mut out = format!(
        "{} · {}",
        v.id,
        v.version
            .as_deref()
            .map_or_else(|| "no version".to_string(), |x| format!("version {x}"))
    );
    if v.status != "approved" {
        out.push_str(" · ");
        out.push_str(v.status_label);
    }
    if v.overdue {
        out.push_str(" · review overdue");
    }
    out
}

/// The version as the printed manual names it: the release tag of a tagged version,
/// otherwise the working copy as of `today`, with its commit when it is known.
pub(super) fn version_label(name: Option<&VersionName>, today: &str) -> String {
    if let Some(tag) = name.and_then(|n| n.tag.as_deref()) {
        return tag.to_string();
    }
    let mut out = format!("working copy as of {today}");
    if let Some(n) = name {
        if let Some(c) = &n.commit {
            out.push_str(", commit ");
            out.push_str(c);
        }
        if n.uncommitted {
            out.push_str(", with uncommitted changes");
        }
    }
    out
}

/// Escapes `s` for the inside of a double-quoted CSS string: every character but ASCII
/// letters, digits, spaces and `-._,:()` becomes a hex escape. The result can end neither
/// the string, the rule nor the `<style>` element, and HTML escaping leaves it as it is.
pub(super) fn css_text(s: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || " -._,:()".contains(c) {
            out.push(c);
        } else {
            // A hex escape ends at the space after it, which CSS drops.
            let _ = write!(out, "\\{:x} ", u32::from(c));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_text_escapes_everything_that_could_end_a_string() {
        assert_eq!(
            css_text("DOC-1 v2.0 (2026-01-02)"),
            "DOC-1 v2.0 (2026-01-02)"
        );
        assert_eq!(
            css_text("a\"b\\c</style>\n·"),
            "a\\22 b\\5c c\\3c \\2f style\\3e \\a \\b7 "
        );
        assert_eq!(css_text(""), "");
    }

    #[test]
    fn version_label_names_the_tag_or_the_working_copy() {
        let today = "2026-11-23";
        assert_eq!(version_label(None, today), "working copy as of 2026-11-23");
        let tagged = VersionName {
            tag: Some("v2.0".into()),
            commit: Some("abc1234".into()),
            uncommitted: false,
        };
        assert_eq!(version_label(Some(&tagged), today), "v2.0");
        let current = VersionName {
            tag: None,
            commit: Some("abc1234".into()),
            uncommitted: true,
        };
        assert_eq!(
            version_label(Some(&current), today),
            "working copy as of 2026-11-23, commit abc1234, with uncommitted changes"
        );
        let outside_git = VersionName::default();
        assert_eq!(
            version_label(Some(&outside_git), today),
            "working copy as of 2026-11-23"
        );
    }
}
