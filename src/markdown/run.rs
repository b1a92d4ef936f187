//! A run of the author's raw HTML: the text of one or more events (the lines of an HTML
//! block), with the body range each piece came from, so that an offset in the run maps back to
//! the body — exactly where the piece is the body's text, at the piece's start where it is not
//! (lines inside a block quote or list lose their `>` or indentation).

use std::ops::Range;

/// Raw HTML collected over several events, with where each piece came from.
#[derive(Default)]
pub(super) struct Run {
    /// The pieces' text, joined.
    pub text: String,
    /// Offset in `text`, range in the body, whether the piece is that exact body text.
    pieces: Vec<(usize, Range<usize>, bool)>,
}

impl Run {
    /// Appends the text of one event, found at `range` of `body`.
    pub(super) fn push(&mut self, body: &str, text: &str, range: Range<usize>) {
        let exact = body.get(range.clone()) == Some(text);
        self.pieces.push((self.text.len(), range, exact));
        self.text.push_str(text);
    }

    /// The body offset of `offset` in the run's text.
    pub(super) fn at(&self, offset: usize) -> usize {
        let i = self
            .pieces
            .partition_point(|(o, _, _)| *o <= offset)
            .saturating_sub(1);
        match self.pieces.get(i) {
            Some((o, r, true)) => r.start + (offset - o).min(r.len()),
            Some((_, r, false)) => r.start,
            None => 0,
        }
    }

    /// The body offset just after the byte before `end` in the run's text.
    pub(super) fn end_at(&self, end: usize) -> usize {
        if end == 0 {
            return self.at(0);
        }
        let i = self
            .pieces
            .partition_point(|(o, _, _)| *o < end)
            .saturating_sub(1);
        match self.pieces.get(i) {
            Some((o, r, true)) => r.start + (end - o).min(r.len()),
            Some((_, r, false)) => r.end,
            None => 0,
        }
    }

    /// The body range the run covers.
    pub(super) fn range(&self) -> Range<usize> {
        let start = self.pieces.first().map_or(0, |p| p.1.start);
        let end = self.pieces.last().map_or(start, |p| p.1.end);
        start..end.max(start)
    }
}
