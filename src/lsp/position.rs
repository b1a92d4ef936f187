//! Positions between aimsdoc and the editor. aimsdoc's spans are byte ranges into a file's
//! text (their columns count characters); an LSP position is a 0-based line and a column in
//! UTF-16 code units. [`Lines`] converts both ways over one text, and [`apply_change`] applies
//! an editor's incremental edit to a buffer.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};

/// The line starts of one text, for converting byte offsets and LSP positions.
pub(super) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    /// Indexes the lines of `text` (a line ends after `\n`).
    pub(super) fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { text, starts }
    }

    /// The LSP position of byte `offset` (clamped to the text, and back to a character
    /// boundary).
    pub(super) fn position(&self, offset: usize) -> Position {
        let offset =
            crate::diagnostics::floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts[line];
        let character = self.text[start..offset].encode_utf16().count();
        Position::new(to_u32(line), to_u32(character))
    }

    /// The LSP range of a byte range.
    pub(super) fn range(&self, bytes: std::ops::Range<usize>) -> Range {
        let end = bytes.end.max(bytes.start);
        Range::new(self.position(bytes.start), self.position(end))
    }

    /// The byte offset of an LSP position. A line past the end is the end of the text; a
    /// column past the end of its line is the end of the line; a column inside a character
    /// (between the two halves of a surrogate pair) is the start of that character.
    pub(super) fn offset(&self, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return self.text.len();
        };
        let line = &self.text[start..];
        let line = &line[..line.find('\n').unwrap_or(line.len())];
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            if units + c.len_utf16() > pos.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + line.len()
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Applies one change the editor sent to `text`: a whole new text, or a replacement of a
/// range.
pub(super) fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let lines = Lines::new(text);
            let start = lines.offset(range.start);
            let end = lines.offset(range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_code_units() {
        // é is 2 bytes and 1 unit; 😀 is 4 bytes and 2 units; 中 is 3 bytes and 1 unit.
        let text = "é😀x\n中[[A]]\n";
        let lines = Lines::new(text);
        assert_eq!(lines.position(0), Position::new(0, 0));
        assert_eq!(lines.position(2), Position::new(0, 1));
        assert_eq!(lines.position(6), Position::new(0, 3));
        assert_eq!(lines.position(7), Position::new(0, 4));
        assert_eq!(lines.position(8), Position::new(1, 0));
        assert_eq!(lines.position(11), Position::new(1, 1));
        // Inside a character: its start.
        assert_eq!(lines.position(4), Position::new(0, 1));
        // Past the end: the end.
        assert_eq!(lines.position(999), Position::new(2, 0));
    }

    #[test]
    fn offsets_round_trip_and_clamp() {
        let text = "é😀x\r\n中[[A]]";
        let lines = Lines::new(text);
        for offset in [0, 2, 6, 7, 9, 12, text.len()] {
            assert_eq!(lines.offset(lines.position(offset)), offset, "{offset}");
        }
        // The middle of the surrogate pair of 😀 is its start.
        assert_eq!(lines.offset(Position::new(0, 2)), 2);
        // Past the end of the line: the line end (before \r\n? the \r is content).
        assert_eq!(lines.offset(Position::new(0, 99)), 8);
        assert_eq!(lines.offset(Position::new(9, 0)), text.len());
    }

    #[test]
    fn incremental_changes_replace_by_utf16_ranges() {
        let mut text = "controls: [A.6.2.9] # é😀\nbody".to_string();
        let change = |l1, c1, l2, c2, t: &str| TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: t.into(),
        };
        apply_change(&mut text, change(0, 17, 0, 18, "8"));
        assert_eq!(text, "controls: [A.6.2.8] # é😀\nbody");
        // After é (1 unit) and 😀 (2 units): column 25.
        apply_change(&mut text, change(0, 25, 1, 0, "!\n"));
        assert_eq!(text, "controls: [A.6.2.8] # é😀!\nbody");
        apply_change(
            &mut text,
            TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "new".into(),
            },
        );
        assert_eq!(text, "new");
    }
}
