//! Positions of front-matter fields and list items in the text of one file, for diagnostics.
//!
//! serde_norway's `Value` carries no positions, so they are found in the text: each top-level
//! key's block once, in one pass over the lines; each list item by searching its block from
//! just after the previous item that was found, at most [`ITEM_WINDOW`] bytes ahead. So a list
//! of 10,000 entries costs one pass over its text, not 10,000 (which made a million-entry
//! `related` list take minutes).

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;

use crate::diagnostics::{LineIndex, Span};

/// How far past the previous item the next one is looked for. Items further on (behind a
/// longer note) point at their field instead.
pub(super) const ITEM_WINDOW: usize = 16 * 1024;

/// Where one top-level key is written, as byte offsets in the file.
#[derive(Debug, Clone, Copy)]
struct Block {
    /// The key.
    key: usize,
    /// The value after `key:` and blanks.
    value: usize,
    /// The start of the next top-level key, or the end of the front matter.
    end: usize,
}

/// Finds positions of fields and items in the YAML text of one file.
pub(super) struct Locator<'a> {
    path: &'a Path,
    lines: LineIndex<'a>,
    text: &'a str,
    yaml_offset: usize,
    blocks: HashMap<&'a str, Block>,
    /// Value spans already computed, by key.
    values: RefCell<HashMap<String, Span>>,
    /// Per key: where the search for its next item starts.
    cursors: RefCell<HashMap<String, usize>>,
}

fn is_quote(c: char) -> bool {
    c == '"' || c == '\''
}

/// The key of a line that starts with one (`key: …`, `"key": …`) and the offset of its colon.
pub(super) fn key_of(line: &str) -> Option<(&str, usize)> {
    let bare = line.trim_start_matches(is_quote);
    let lead = line.len() - bare.len();
    let colon = if lead > 0 {
        // Quoted: up to the closing quote, then the colon.
        let close = bare.find(is_quote)?;
        let after = bare[close..].trim_start_matches(is_quote);
        after.starts_with(':').then_some(())?;
        (&bare[..close], lead + bare.len() - after.len())
    } else {
        let bytes = bare.as_bytes();
        let at = (0..bytes.len()).find(|&i| {
            bytes[i] == b':' && bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace())
        })?;
        (&bare[..at], at)
    };
    Some(colon)
}

impl<'a> Locator<'a> {
    /// Indexes the front matter `yaml`, which starts at `yaml_offset` of the file `text`.
    pub(super) fn new(
        path: &'a Path,
        text: &'a str,
        yaml_offset: usize,
        yaml: &'a str,
    ) -> Locator<'a> {
        let mut blocks: HashMap<&'a str, Block> = HashMap::new();
        let mut open: Option<&'a str> = None;
        let mut offset = yaml_offset;
        for line in yaml.split_inclusive('\n') {
            let top_level = !line.starts_with([' ', '\t', '-', '#', '\r', '\n']);
            if top_level && !line.trim().is_empty() {
                if let Some(block) = open.take().and_then(|k| blocks.get_mut(k)) {
                    block.end = offset;
                }
                if let Some((key, colon)) = key_of(line) {
                    if !blocks.contains_key(key) {
                        let rest = &line[colon + 1..];
                        let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
                        let key_at =
                            offset + (line.len() - line.trim_start_matches(is_quote).len());
                        blocks.insert(
                            key,
                            Block {
                                key: key_at,
                                value: offset + colon + 1 + blanks,
                                end: yaml_offset + yaml.len(),
                            },
                        );
                        open = Some(key);
                    }
                }
            }
            offset += line.len();
        }
        Locator {
            path,
            lines: LineIndex::new(&text[..(yaml_offset + yaml.len()).min(text.len())]),
            text,
            yaml_offset,
            blocks,
            values: RefCell::default(),
            cursors: RefCell::default(),
        }
    }

    fn span(&self, range: std::ops::Range<usize>) -> Span {
        self.lines.span(self.path, range)
    }

    /// Span of a key's value on the key's line (empty when the value is on later lines), or
    /// the start of the front matter when the key is not found.
    pub(super) fn value(&self, key: &str) -> Span {
        if let Some(span) = self.values.borrow().get(key) {
            return span.clone();
        }
        let span = match self.blocks.get(key) {
            Some(b) => {
                let v = b.value;
                let line_end = self.text[v..b.end.max(v)]
                    .find(['\n', '\r'])
                    .map_or(b.end.max(v), |i| v + i);
                let s = self.text[v..line_end].trim_end();
                self.span(v..v + s.len())
            }
            None => self.whole(),
        };
        self.values
            .borrow_mut()
            .insert(key.to_string(), span.clone());
        span
    }

    /// Span of the key name itself.
    pub(super) fn key(&self, key: &str) -> Span {
        match self.blocks.get(key) {
            Some(b) => self.span(b.key..b.key + key.len()),
            None => self.whole(),
        }
    }

    /// Span of `item` inside a key's block, searched as a whole word after the previous item
    /// found there; the key's value when it is not found.
    pub(super) fn item(&self, key: &str, item: &str) -> Span {
        let Some(b) = self.blocks.get(key) else {
            return self.whole();
        };
        let from = self.cursors.borrow().get(key).copied().unwrap_or(b.value);
        let end = b
            .end
            .min(from.saturating_add(ITEM_WINDOW).saturating_add(item.len()));
        let window = self.text.get(from..end).unwrap_or("");
        let word = |c: Option<char>| {
            c.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == '-' || c == '_')
        };
        let mut at = 0;
        while !item.is_empty() {
            let Some(i) = window[at..].find(item) else {
                break;
            };
            let found = at + i;
            let before = window[..found].chars().next_back();
            let after = window[found + item.len()..].chars().next();
            if !word(before) && !word(after) {
                let start = from + found;
                self.cursors
                    .borrow_mut()
                    .insert(key.to_string(), start + item.len());
                return self.span(start..start + item.len());
            }
            at = found + item.len();
        }
        self.value(key)
    }

    /// The start of the front matter.
    pub(super) fn whole(&self) -> Span {
        self.span(self.yaml_offset..self.yaml_offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_values_and_items_in_order() {
        let text = "---\nid: P\n\"title\": T\ncontrols:\n  - A.2.2\n  - id: A.2.2\n    note: A.2.3\n  - A.2.3\nrelated: [X, X-1, X]\nempty:\n---\n";
        let yaml = &text[4..text.len() - 4];
        let loc = Locator::new(Path::new("a.md"), text, 4, yaml);
        let at = |s: Span| (s.line, s.column, &text[s.range.clone()]);
        assert_eq!(at(loc.value("id")), (2, 5, "P"));
        assert_eq!(at(loc.key("title")), (3, 2, "title"));
        assert_eq!(at(loc.value("title")), (3, 10, "T"));
        assert_eq!(at(loc.item("controls", "A.2.2")), (5, 5, "A.2.2"));
        assert_eq!(at(loc.item("controls", "A.2.2")), (6, 9, "A.2.2"));
        // After the previous item: the note's A.2.3 comes first, as written.
        assert_eq!(at(loc.item("controls", "A.2.3")), (7, 11, "A.2.3"));
        assert_eq!(at(loc.item("controls", "A.2.3")), (8, 5, "A.2.3"));
        assert_eq!(at(loc.item("related", "X")), (9, 11, "X"));
        assert_eq!(at(loc.item("related", "X-1")), (9, 14, "X-1"));
        assert_eq!(at(loc.item("related", "X")), (9, 19, "X"));
        // Not found: the field's value.
        assert_eq!(at(loc.item("related", "Y")), (9, 10, "[X, X-1, X]"));
        assert_eq!(at(loc.value("empty")), (10, 7, ""));
        assert_eq!(at(loc.value("missing")), (2, 1, ""));
    }

    #[test]
    fn an_item_equal_to_its_key_is_not_the_key() {
        let text = "---\nrelated: [related]\n---\n";
        let loc = Locator::new(Path::new("a.md"), text, 4, &text[4..text.len() - 4]);
        assert_eq!(loc.item("related", "related").column, 11);
    }
}
