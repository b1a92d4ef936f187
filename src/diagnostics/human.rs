//! The rustc-style printer for the terminal: header, `file:line:col`, the source line with a
//! caret, help and code.
//!
//! Each snippet shows one line, and of a long line only the part around the finding (up to
//! [`BEFORE`] characters before it and [`AFTER`] from it, cut with `…`), so that output stays
//! proportional to the number of findings: a 1 MiB one-line list with 10,000 findings used to
//! print its whole line 10,000 times. The `line:col` printed is the diagnostic's own (the one
//! JSON and SARIF give). Control characters are escaped everywhere (see [`super::escape`]).

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as CsDiag, Label};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term;

use super::escape::{escape_text, EscapedSource};
use super::{floor_char_boundary, Diagnostic, Severity};

/// Characters of a long line shown before the finding.
pub(super) const BEFORE: usize = 60;
/// Characters of a long line shown from the start of the finding on.
pub(super) const AFTER: usize = 160;

/// A source file read for snippets, with its line starts.
struct Source {
    text: String,
    starts: Vec<usize>,
}

impl Source {
    fn new(text: String) -> Source {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Source { text, starts }
    }

    /// The line holding `offset`, without its line break (`\n` or `\r\n`).
    fn line(&self, offset: usize) -> Range<usize> {
        let line = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let mut end = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |&next| next - 1);
        if end > start && self.text[..end].ends_with('\r') {
            end -= 1;
        }
        start..end.max(start)
    }
}

/// The one line a snippet shows, as a file for codespan: the real line and column numbers,
/// the (escaped, possibly cut) text of the line.
struct Snippet {
    name: String,
    text: String,
    line: usize,
    column: usize,
}

impl<'a> Files<'a> for Snippet {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, FilesError> {
        Ok(&self.text)
    }

    fn line_index(&'a self, (): (), _byte_index: usize) -> Result<usize, FilesError> {
        Ok(0)
    }

    fn line_number(&'a self, (): (), _line_index: usize) -> Result<usize, FilesError> {
        Ok(self.line)
    }

    fn column_number(&'a self, (): (), _line: usize, _byte: usize) -> Result<usize, FilesError> {
        Ok(self.column)
    }

    fn line_range(&'a self, (): (), line_index: usize) -> Result<Range<usize>, FilesError> {
        match line_index {
            0 => Ok(0..self.text.len()),
            given => Err(FilesError::LineTooLarge { given, max: 0 }),
        }
    }
}

/// The snippet for `d` in `source`, and the label's range in it.
fn snippet(d: &Diagnostic, source: &Source) -> (Snippet, Range<usize>) {
    let text = &source.text;
    let start = floor_char_boundary(text, d.span.range.start.min(text.len()));
    let line = source.line(start);
    let start = start.min(line.end);
    let end = floor_char_boundary(text, d.span.range.end.clamp(start, line.end));
    let from = text[line.start..start]
        .char_indices()
        .rev()
        .nth(BEFORE - 1)
        .map_or(line.start, |(i, _)| line.start + i);
    let to = text[start..line.end]
        .char_indices()
        .nth(AFTER)
        .map_or(line.end, |(i, _)| start + i);
    let end = end.min(to);
    let shown = EscapedSource::new(text[from..to].to_string());
    let (before, after) = (
        if from > line.start { "…" } else { "" },
        if to < line.end { "…" } else { "" },
    );
    let label = before.len() + shown.offset(start - from)..before.len() + shown.offset(end - from);
    let snippet = Snippet {
        name: escape_text(&d.span.file.display().to_string()).into_owned(),
        text: format!("{before}{}{after}", shown.text),
        line: d.span.line,
        column: d.span.column,
    };
    (snippet, label)
}

/// Prints diagnostics rustc-style with the source line, reading source text from `source`.
pub fn render_human(
    diagnostics: &[Diagnostic],
    source: &dyn Fn(&Path) -> Option<String>,
) -> String {
    let mut sources: BTreeMap<PathBuf, Option<Source>> = BTreeMap::new();
    let config = term::Config::default();
    let mut out = String::new();
    for d in diagnostics {
        let file = sources
            .entry(d.span.file.clone())
            .or_insert_with(|| source(&d.span.file).map(Source::new));
        let header = match d.severity {
            Severity::Error => CsDiag::error(),
            Severity::Warning => CsDiag::warning(),
        }
        .with_code(format!("{}", d.code))
        .with_message(escape_text(&d.message));
        let mut notes = Vec::new();
        if let Some(s) = &d.suggestion {
            notes.push(format!("help: {}", escape_text(s)));
        }
        notes.push(format!("{} {}", d.code.id, d.code.name));
        let rendered = match file {
            Some(file) if d.span.line > 0 => {
                let (snippet, label) = snippet(d, file);
                let diag = header
                    .with_labels(vec![Label::primary((), label)])
                    .with_notes(notes.clone());
                term::emit_into_string(&config, &snippet, &diag).ok()
            }
            _ => None,
        };
        match rendered {
            Some(s) => out.push_str(&s),
            None => {
                let file = escape_text(&d.span.file.display().to_string()).into_owned();
                out.push_str(&format!(
                    "{}[{}]: {}\n",
                    d.severity,
                    d.code,
                    escape_text(&d.message)
                ));
                if d.span.line > 0 {
                    out.push_str(&format!("  --> {file}:{}:{}\n", d.span.line, d.span.column));
                } else if !file.is_empty() {
                    out.push_str(&format!("  --> {file}\n"));
                }
                for n in &notes {
                    out.push_str(&format!("  = {n}\n"));
                }
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{code, Span};

    fn render(text: &str, range: Range<usize>, message: &str) -> String {
        let d = Diagnostic::error(code::INVALID_ID, Span::at("p.md", text, range), message)
            .with_suggestion("fix \u{1b}]0;title\u{7}");
        let text = text.to_string();
        render_human(&[d], &move |_| Some(text.clone()))
    }

    #[test]
    fn no_control_character_reaches_the_output() {
        let text = "---\nid: P\u{1b}[2J\u{9b}1\u{7f}\r\n---\n";
        let out = render(text, 8..16, "document id `P\u{1b}[2J` is bad");
        assert!(
            !out.chars()
                .any(|c| super::super::escape::is_control(c) || c == '\r'),
            "{out:?}"
        );
        assert!(out.contains("document id `P\\u{1b}[2J` is bad"), "{out}");
        assert!(out.contains("help: fix \\u{1b}]0;title\\u{7}"), "{out}");
        assert!(out.contains("id: P\u{241b}[2J\u{fffd}1\u{2421}"), "{out}");
        assert!(out.contains("p.md:2:5"), "{out}");
        // The caret sits under the id, which starts at column 5.
        let caret = out.lines().find(|l| l.contains('^')).unwrap();
        let source = out.lines().find(|l| l.contains("id: P")).unwrap();
        assert_eq!(
            caret.chars().position(|c| c == '^'),
            source.chars().position(|c| c == 'P')
        );
    }

    #[test]
    fn a_long_line_is_cut_around_the_finding() {
        let line = format!(
            "controls: [{}BAD, {}]",
            "A.2.2, ".repeat(10_000),
            "A.2.2, ".repeat(10_000)
        );
        let text = format!("---\n{line}\n---\n");
        let at = text.find("BAD").unwrap();
        let out = render(&text, at..at + 3, "unknown control BAD");
        assert!(out.len() < 1_000, "{} bytes", out.len());
        assert!(
            out.contains(&format!("p.md:2:{}", line.find("BAD").unwrap() + 1)),
            "{out}"
        );
        let source = out.lines().find(|l| l.contains("│ …")).unwrap();
        assert!(
            source.contains("A.2.2, BAD") && source.ends_with('…'),
            "{source}"
        );
        let caret = out.lines().find(|l| l.contains('^')).unwrap();
        assert_eq!(
            caret.chars().position(|c| c == '^'),
            source.chars().position(|c| c == 'B')
        );
        assert_eq!(caret.matches('^').count(), 3);
    }

    #[test]
    fn a_finding_without_a_position_names_the_file_escaped() {
        let d = Diagnostic::error(code::IO_ERROR, Span::file("a\u{1b}[2J.md"), "cannot read");
        let out = render_human(&[d], &|_| None);
        assert!(out.contains("--> a\\u{1b}[2J.md"), "{out}");
    }
}
