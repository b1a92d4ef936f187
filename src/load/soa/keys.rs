//! Positions in the text of `soa.yaml`: where each key is first written, the region of each
//! control's decision, a key inside it, and a reference inside one of its texts.
//!
//! serde_norway's `Value` carries no positions, so they are found in the text, in one pass
//! over its lines for all keys: 10,000 keys cost one read of the text, not 10,000.

use std::collections::HashMap;
use std::ops::Range;

use crate::diagnostics::{LineIndex, Span};
use crate::load::locator::key_of;
use crate::model::soa::SOA_FILE;

/// Where the keys of `soa.yaml` are written.
pub(super) struct Keys<'a> {
    text: &'a str,
    lines: LineIndex<'a>,
    at: HashMap<&'a str, usize>,
    /// The offsets of the control keys, sorted (set by [`Keys::set_controls`]).
    controls: Vec<usize>,
}

impl<'a> Keys<'a> {
    /// Indexes every key of `text` (at any indentation) where it is first written.
    #[cfg(test)]
    pub(super) fn new(text: &'a str) -> Keys<'a> {
        Keys::new_in(text, |_| true)
    }

    /// Indexes every key of `text` on a line whose start `keep` accepts, where it is first
    /// written: the decisions under `controls:` and under `iso27001:` name the same ids
    /// (`A.5.2`), so each is looked up in its own block.
    pub(super) fn new_in(text: &'a str, keep: impl Fn(usize) -> bool) -> Keys<'a> {
        let mut at = HashMap::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let t = line.trim_start();
            if !keep(offset) {
                offset += line.len();
                continue;
            }
            if let Some((key, _)) = key_of(t) {
                let start = offset + (line.len() - t.trim_start_matches(['"', '\'']).len());
                at.entry(key).or_insert(start);
            }
            offset += line.len();
        }
        Keys {
            text,
            lines: LineIndex::new(text),
            at,
            controls: Vec::new(),
        }
    }

    /// Records the control keys as written, so that each decision's region ends where the
    /// next control begins.
    pub(super) fn set_controls<'k>(&mut self, written: impl Iterator<Item = &'k str>) {
        self.controls = written.filter_map(|k| self.at.get(k).copied()).collect();
        self.controls.sort_unstable();
    }

    /// The span of a byte range of the text.
    pub(super) fn span_at(&self, range: Range<usize>) -> Span {
        self.lines.span(SOA_FILE, range)
    }

    /// The span of `key:` where it is first written, or the whole file.
    pub(super) fn span(&self, key: &str) -> Span {
        match self.at.get(key) {
            Some(&start) => self.span_at(start..start + key.len()),
            None => Span::file(SOA_FILE),
        }
    }

    /// The text from a control's key to the next control's key (or the end).
    pub(super) fn region(&self, control: &str) -> Range<usize> {
        let Some(&start) = self.at.get(control) else {
            return 0..0;
        };
        let end = self
            .controls
            .iter()
            .copied()
            .find(|&c| c > start)
            .unwrap_or(self.text.len());
        start..end
    }

    /// Where `key` is written as a key (followed by `:`, maybe after a quote) inside
    /// `region`.
    pub(super) fn key_in(&self, region: &Range<usize>, key: &str) -> Option<usize> {
        let hay = self.text.get(region.clone())?;
        let mut from = 0;
        while let Some(i) = hay[from..].find(key) {
            let at = from + i;
            let before = hay[..at].chars().next_back();
            let after = hay[at + key.len()..].trim_start_matches(['"', '\'']);
            let word = |c: char| c.is_alphanumeric() || c == '_' || c == '-' || c == '.';
            if !before.is_some_and(word) && after.starts_with(':') {
                return Some(region.start + at);
            }
            from = at + key.len();
        }
        None
    }

    /// The span of `key` inside a control's region, or of the control's key.
    pub(super) fn key_span(&self, control: &str, key: &str) -> Span {
        let region = self.region(control);
        match self.key_in(&region, key) {
            Some(at) => self.span_at(at..at + key.len()),
            None => self.span(control),
        }
    }

    /// The first place at or after `from` and before `end` where `needle` is written.
    pub(super) fn find(&self, needle: &str, from: usize, end: usize) -> Option<usize> {
        let hay = self.text.get(from..end.min(self.text.len()))?;
        hay.find(needle).map(|i| from + i)
    }
}

/// The byte range of the top-level block `key:` of `text`: from its key to the next line
/// written at the left margin (blank lines and comments aside), or the end.
pub(super) fn top_block(text: &str, key: &str) -> Option<Range<usize>> {
    let mut offset = 0;
    let mut start = None;
    for line in text.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        let top = !line.starts_with([' ', '\t', '#', '\r', '\n']);
        if !top {
            continue;
        }
        if start.is_some() {
            return start.map(|s| s..here);
        }
        if key_of(line).is_some_and(|(k, _)| k == key) {
            start = Some(here);
        }
    }
    start.map(|s| s..text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_keys_and_needles() {
        let text = "status: draft\ncontrols:\n  A.2.2: {applicable: true, owner: x}\n  A.2.3:\n    \"evidence\": \"[[P-1]]\"\n";
        let mut k = Keys::new(text);
        k.set_controls(["A.2.3", "A.2.2"].into_iter());
        let r = k.region("A.2.2");
        assert!(text[r.clone()].starts_with("A.2.2:") && text[r.clone()].ends_with("}\n  "));
        assert_eq!(k.key_span("A.2.2", "owner").column, 29);
        assert_eq!(k.key_span("A.2.3", "evidence").line, 5);
        // Not written in that control: its key.
        assert_eq!(k.key_span("A.2.2", "evidence").line, 3);
        let r = k.region("A.2.3");
        let at = k.find("[[P-1]]", r.start, r.end).unwrap();
        assert_eq!(k.span_at(at..at + 7).column, 18);
        assert_eq!(k.span("status").line, 1);
        assert_eq!(k.span("nope").line, 0);
    }

    #[test]
    fn a_top_level_block_and_the_keys_inside_it() {
        let text = "controls:\n  A.5.2: {}\niso27001:\n  # c\n\n  A.5.2: {}\nstatus: draft\n";
        let b = top_block(text, "iso27001").unwrap();
        assert!(text[b.clone()].starts_with("iso27001:") && text[b.clone()].ends_with("{}\n"));
        let inside = Keys::new_in(text, |o| b.contains(&o));
        assert_eq!(inside.span("A.5.2").line, 6);
        let outside = Keys::new_in(text, |o| !b.contains(&o));
        assert_eq!(outside.span("A.5.2").line, 2);
        assert_eq!(top_block(text, "nope"), None);
        assert_eq!(top_block("iso27001:\n  A.5.1: {}", "iso27001"), Some(0..21));
    }
}
