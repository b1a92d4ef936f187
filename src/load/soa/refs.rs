//! The references in a justification or evidence of `soa.yaml`: `[[ID]]`, `[[ID#anchor]]`
//! and `[[ID|text]]`, as in a document body.
//!
//! These texts are plain text, not Markdown: a table cell of the SoA holds a sentence or two,
//! and only its references are read. So they are found by a small scanner here rather than
//! by the Markdown pass, which would also bring raw HTML, relative links and their checks
//! into `soa.yaml`.

use std::ops::Range;

/// One reference found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Found {
    /// Byte range in the text, brackets included.
    pub(super) range: Range<usize>,
    /// The id part, trimmed.
    pub(super) id: String,
    /// The part after `#`.
    pub(super) anchor: Option<String>,
    /// The part after `|`.
    pub(super) label: Option<String>,
}

/// Every reference in `text`, in order. `[[` without a closing `]]` on the same line, and
/// `[[]]` or `[[#x]]` (no id), are left as text.
pub(super) fn scan(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("[[") {
        let open = from + i;
        let inner_start = open + 2;
        let rest = &text[inner_start..];
        let Some(close) = rest.find("]]") else { break };
        let inner = &rest[..close];
        if inner.contains(['\n', '\r']) || inner.contains("[[") {
            from = inner_start;
            continue;
        }
        let end = inner_start + close + 2;
        let (target, label) = match inner.split_once('|') {
            Some((t, l)) => (t, Some(l.trim()).filter(|l| !l.is_empty())),
            None => (inner, None),
        };
        let (id, anchor) = match target.split_once('#') {
            Some((id, a)) => (id, Some(a.trim()).filter(|a| !a.is_empty())),
            None => (target, None),
        };
        let id = id.trim();
        if !id.is_empty() {
            out.push(Found {
                range: open..end,
                id: id.to_string(),
                anchor: anchor.map(str::to_string),
                label: label.map(str::to_string),
            });
        }
        from = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ids_anchors_and_labels() {
        let t = "See [[POL-1]], [[ A.7.2 ]] and [[PRO-2#scope|the scope]]; [[]] [[#x]] [[open";
        let f = scan(t);
        assert_eq!(f.len(), 3);
        assert_eq!(&t[f[0].range.clone()], "[[POL-1]]");
        assert_eq!(f[1].id, "A.7.2");
        assert_eq!(f[2].id, "PRO-2");
        assert_eq!(f[2].anchor.as_deref(), Some("scope"));
        assert_eq!(f[2].label.as_deref(), Some("the scope"));
    }

    #[test]
    fn a_reference_does_not_span_lines() {
        let f = scan("[[A\nB]] [[C]]");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].id, "C");
        assert!(scan("[[a [[B]]").iter().any(|r| r.id == "B"));
    }
}
