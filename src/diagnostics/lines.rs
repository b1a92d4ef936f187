//! Line and column of many offsets in one text, without rescanning the text for each.
//!
//! [`Span::at`] counts the lines before its offset, which is right for one span but makes a
//! file with many findings quadratic (a million broken `[[…]]` references in one body took
//! minutes). A [`LineIndex`] finds the line by binary search over line starts computed once,
//! and counts the column's characters from the previous offset when it is on the same line
//! and not before it, which is how spans are made: in order, front to back.

use std::cell::Cell;
use std::ops::Range;
use std::path::PathBuf;

use super::{floor_char_boundary, Span};

/// Line starts of one text, and the last offset looked up.
#[derive(Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of the start of each line (the first is 0).
    starts: Vec<usize>,
    /// (offset, 0-based line, 1-based column) of the last lookup.
    last: Cell<(usize, usize, usize)>,
}

impl<'a> LineIndex<'a> {
    /// Indexes `text`.
    pub fn new(text: &'a str) -> LineIndex<'a> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex {
            text,
            starts,
            last: Cell::new((0, 0, 1)),
        }
    }

    /// 1-based line and character column of byte `offset`, as [`super::line_col`] gives.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let (last_offset, last_line, last_column) = self.last.get();
        let column = if last_line == line && last_offset <= offset {
            last_column + self.text[last_offset..offset].chars().count()
        } else {
            let start = self.starts.get(line).copied().unwrap_or(0);
            self.text[start..offset].chars().count() + 1
        };
        self.last.set((offset, line, column));
        (line + 1, column)
    }

    /// A span of `path` at `range` of this text, as [`Span::at`] makes it.
    pub fn span(&self, path: impl Into<PathBuf>, range: Range<usize>) -> Span {
        let (line, column) = self.line_col(range.start);
        Span {
            file: path.into(),
            line,
            column,
            range,
        }
    }

    /// The byte range of the line holding `offset`, without its line break.
    pub fn line_range(&self, offset: usize) -> Range<usize> {
        let offset = offset.min(self.text.len());
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let end = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |&next| next - 1);
        start..end.max(start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_line_col_in_any_order() {
        let t = "ab\ncé d\n\nxyz\r\nlast";
        let index = LineIndex::new(t);
        let offsets: Vec<usize> = (0..=t.len() + 2).collect();
        for &o in offsets.iter().chain(offsets.iter().rev()) {
            assert_eq!(
                index.line_col(o),
                super::super::line_col(t, o),
                "offset {o}"
            );
        }
        assert_eq!(index.span("a.md", 7..8), Span::at("a.md", t, 7..8));
        assert_eq!(&t[index.line_range(4)], "cé d");
        assert_eq!(&t[index.line_range(13)], "xyz\r");
        assert_eq!(&t[index.line_range(t.len())], "last");
        assert_eq!(index.line_range(9), 9..9);
    }
}
