//! Diagnostics are data: every stage appends [`Diagnostic`]s to one list, which is sorted
//! deterministically and printed by one printer.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build fails.
    Error,
    /// The build goes on; the problem is reported.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// A stable diagnostic code with its short name, e.g. `AIMS0101 unknown-control`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code {
    /// The number part, e.g. `AIMS0101`.
    pub id: &'static str,
    /// The kebab-case name, e.g. `unknown-control`.
    pub name: &'static str,
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

macro_rules! codes {
    ($($konst:ident = $id:literal, $name:literal;)*) => {
        /// Every diagnostic code aimsdoc emits.
        pub mod code {
            use super::Code;
            $(
                #[doc = concat!("`", $id, " ", $name, "`")]
                pub const $konst: Code = Code { id: $id, name: $name };
            )*
            /// All codes, in numeric order.
            pub const ALL: &[Code] = &[$($konst),*];
        }
    };
}

codes! {
    IO_ERROR = "AIMS0001", "io-error";
    NOT_UTF8 = "AIMS0002", "not-utf8";
    NO_FRONT_MATTER = "AIMS0003", "no-front-matter";
    UNTERMINATED_FRONT_MATTER = "AIMS0004", "unterminated-front-matter";
    YAML_SYNTAX = "AIMS0005", "yaml-syntax";
    FRONT_MATTER_NOT_MAPPING = "AIMS0006", "front-matter-not-mapping";
    FILE_TOO_LARGE = "AIMS0007", "file-too-large";
    SYMLINK_LOOP = "AIMS0008", "symlink-loop";
    CONFIG = "AIMS0010", "invalid-config";
    SECTION_CONFIG = "AIMS0011", "invalid-section";
    TEMPLATE = "AIMS0012", "template-error";
    UNKNOWN_CONTROL = "AIMS0101", "unknown-control";
    UNKNOWN_CLAUSE = "AIMS0102", "unknown-clause";
    NON_CANONICAL_ID = "AIMS0103", "non-canonical-id";
    MISSING_FIELD = "AIMS0110", "missing-field";
    UNKNOWN_FIELD = "AIMS0111", "unknown-field";
    INVALID_TYPE = "AIMS0112", "invalid-type";
    INVALID_VALUE = "AIMS0113", "invalid-value";
    INVALID_DATE = "AIMS0114", "invalid-date";
    INVALID_ID = "AIMS0115", "invalid-id";
    DUPLICATE_ID = "AIMS0116", "duplicate-id";
    UNKNOWN_DOCUMENT = "AIMS0201", "unknown-document";
    MISSING_ANCHOR = "AIMS0202", "missing-anchor";
    MISSING_FILE = "AIMS0203", "missing-file";
    SOA_SYNTAX = "AIMS0300", "soa-invalid";
    SOA_UNKNOWN_CONTROL = "AIMS0301", "soa-unknown-control";
    SOA_MISSING_JUSTIFICATION = "AIMS0302", "soa-missing-justification";
    SOA_UNDECIDED = "AIMS0303", "soa-undecided";
    NO_GIT_HISTORY = "AIMS0401", "no-git-history";
}

/// A position in a source file: the path relative to the AIMS root, 1-based line and column
/// (columns count characters), and the byte range for snippets.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Span {
    /// Path relative to the AIMS root.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte range in the file, for the snippet.
    pub range: std::ops::Range<usize>,
}

impl Span {
    /// A span covering a whole file (no position known).
    pub fn file(path: impl Into<PathBuf>) -> Span {
        Span {
            file: path.into(),
            line: 0,
            column: 0,
            range: 0..0,
        }
    }

    /// A span at a byte range of `text`, computing line and column.
    pub fn at(path: impl Into<PathBuf>, text: &str, range: std::ops::Range<usize>) -> Span {
        let (line, column) = line_col(text, range.start);
        Span {
            file: path.into(),
            line,
            column,
            range,
        }
    }
}

/// 1-based line and character column of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The largest char boundary not above `i`.
pub fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Byte offset of the start of 1-based `line` and character `column` in `text`.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let rest = &text[start..];
    let col = rest
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(rest.len(), |(i, _)| i);
    start + col
}

/// One finding about the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable code.
    pub code: Code,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where.
    pub span: Span,
    /// What to do about it, if we can tell ("did you mean A.6.2.8?").
    pub suggestion: Option<String>,
}

impl Diagnostic {
    /// A new error.
    pub fn error(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span,
            suggestion: None,
        }
    }

    /// A new warning.
    pub fn warning(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, span, message)
        }
    }

    /// Adds a suggestion.
    pub fn with_suggestion(mut self, suggestion: impl Into<String>) -> Diagnostic {
        self.suggestion = Some(suggestion.into());
        self
    }

    /// Adds a suggestion if there is one.
    pub fn with_suggestion_opt(mut self, suggestion: Option<String>) -> Diagnostic {
        self.suggestion = suggestion;
        self
    }

    fn sort_key(&self) -> (&Path, usize, usize, Severity, &str, &str) {
        (
            &self.span.file,
            self.span.line,
            self.span.column,
            self.severity,
            self.code.id,
            &self.message,
        )
    }
}

/// The diagnostics of one run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds many.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    /// Sorted by file, line, column; duplicates removed.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
        self.items
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// The diagnostics, unsorted.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// "N errors, M warnings" with correct plurals.
pub fn summary_counts(errors: usize, warnings: usize) -> String {
    format!(
        "{} error{}, {} warning{}",
        errors,
        if errors == 1 { "" } else { "s" },
        warnings,
        if warnings == 1 { "" } else { "s" }
    )
}

/// Suggests the candidates nearest to `input`, best first (at most `max`). Ties in edit
/// distance are broken by numeric closeness of dotted ids (so `A.6.2.9` suggests `A.6.2.8`),
/// then alphabetically.
pub fn nearest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Vec<&'a str> {
    let lower = input.to_ascii_lowercase();
    let limit = (input.chars().count() / 2).max(2);
    let mut scored: Vec<(usize, u64, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let d = strsim::levenshtein(&lower, &c.to_ascii_lowercase());
            (d <= limit).then(|| (d, numeric_distance(input, c), c))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(max).map(|(_, _, c)| c).collect()
}

fn numeric_distance(a: &str, b: &str) -> u64 {
    let nums = |s: &str| -> Vec<u64> {
        s.split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty())
            .map(|p| p.parse().unwrap_or(0))
            .collect()
    };
    let (x, y) = (nums(a), nums(b));
    let len = x.len().max(y.len());
    (0..len)
        .map(|i| {
            let (p, q) = (
                x.get(i).copied().unwrap_or(0),
                y.get(i).copied().unwrap_or(0),
            );
            p.abs_diff(q) * 1000u64.pow((len - i) as u32).min(1_000_000_000)
        })
        .sum()
}

/// "did you mean X?" / "did you mean X or Y?", if there is anything near.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let near = nearest(input, candidates, 2);
    match near.as_slice() {
        [] => None,
        [one] => Some(format!("did you mean {one}?")),
        [a, b, ..] => Some(format!("did you mean {a} or {b}?")),
    }
}

/// Prints diagnostics rustc-style with the source line, reading source text from `source`.
pub fn render_human(
    diagnostics: &[Diagnostic],
    source: &dyn Fn(&Path) -> Option<String>,
) -> String {
    use codespan_reporting::diagnostic::{Diagnostic as CsDiag, Label};
    use codespan_reporting::files::SimpleFiles;
    use codespan_reporting::term;

    let mut files = SimpleFiles::new();
    let mut ids: std::collections::BTreeMap<PathBuf, Option<usize>> = Default::default();
    let config = term::Config::default();
    let mut out = String::new();
    for d in diagnostics {
        let file_id = *ids.entry(d.span.file.clone()).or_insert_with(|| {
            source(&d.span.file).map(|text| files.add(d.span.file.display().to_string(), text))
        });
        let header = match d.severity {
            Severity::Error => CsDiag::error(),
            Severity::Warning => CsDiag::warning(),
        }
        .with_code(format!("{}", d.code))
        .with_message(&d.message);
        let mut notes = Vec::new();
        if let Some(s) = &d.suggestion {
            notes.push(format!("help: {s}"));
        }
        notes.push(format!("{} {}", d.code.id, d.code.name));
        let rendered = match file_id {
            Some(fid) if d.span.line > 0 => {
                let text = files.get(fid).map(|f| f.source().len()).unwrap_or(0);
                let start = d.span.range.start.min(text);
                let end = d.span.range.end.clamp(start, text);
                let diag = header
                    .with_labels(vec![Label::primary(fid, start..end)])
                    .with_notes(notes.clone());
                term::emit_into_string(&config, &files, &diag).ok()
            }
            _ => None,
        };
        match rendered {
            Some(s) => out.push_str(&s),
            None => {
                out.push_str(&format!("{}[{}]: {}\n", d.severity, d.code, d.message));
                if d.span.line > 0 {
                    out.push_str(&format!(
                        "  --> {}:{}:{}\n",
                        d.span.file.display(),
                        d.span.line,
                        d.span.column
                    ));
                } else if !d.span.file.as_os_str().is_empty() {
                    out.push_str(&format!("  --> {}\n", d.span.file.display()));
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

    #[test]
    fn nearest_prefers_numerically_close_ids() {
        let controls = ["A.6.2.2", "A.6.2.7", "A.6.2.8", "A.6.1.2", "A.2.2"];
        assert_eq!(nearest("A.6.2.9", controls, 1), vec!["A.6.2.8"]);
        assert_eq!(
            did_you_mean("A.6.2.9", controls).as_deref(),
            Some("did you mean A.6.2.8 or A.6.2.7?")
        );
    }

    #[test]
    fn nothing_near_means_no_suggestion() {
        assert_eq!(did_you_mean("completely-different", ["A.2.2"]), None);
    }

    #[test]
    fn line_col_counts_characters() {
        let t = "ab\ncé d\n";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 7), (2, 4));
        assert_eq!(offset_of(t, 2, 4), 7);
    }
}
