//! Diagnostics are data: every stage appends [`Diagnostic`]s to one list, which is sorted
//! deterministically and printed by one printer.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub mod escape;
mod human;
mod lines;

pub use human::render_human;
pub use lines::LineIndex;

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
    /// One sentence on what the rule checks and how to fix a finding.
    pub help: &'static str,
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id)
    }
}

impl Code {
    /// Finds a code by its id (`AIMS0101`) or name (`unknown-control`), ignoring case.
    pub fn find(text: &str) -> Option<Code> {
        let t = text.trim();
        code::ALL
            .iter()
            .copied()
            .find(|c| c.id.eq_ignore_ascii_case(t) || c.name.eq_ignore_ascii_case(t))
    }
}

macro_rules! codes {
    ($($konst:ident = $id:literal, $name:literal, $help:literal;)*) => {
        /// Every diagnostic code aimsdoc emits.
        pub mod code {
            use super::Code;
            $(
                #[doc = concat!("`", $id, " ", $name, "`: ", $help)]
                pub const $konst: Code = Code { id: $id, name: $name, help: $help };
            )*
            /// All codes, in numeric order.
            pub const ALL: &[Code] = &[$($konst),*];
        }
    };
}

codes! {
    IO_ERROR = "AIMS0001", "io-error", "A file or folder could not be read or written; check that it exists and its permissions.";
    NOT_UTF8 = "AIMS0002", "not-utf8", "Documents must be UTF-8 text; re-save the file as UTF-8 or exclude it.";
    NO_FRONT_MATTER = "AIMS0003", "no-front-matter", "A Markdown file without front matter is not a document; add front matter or exclude the file.";
    UNTERMINATED_FRONT_MATTER = "AIMS0004", "unterminated-front-matter", "Front matter opened with `---` must be closed by a `---` line.";
    YAML_SYNTAX = "AIMS0005", "yaml-syntax", "The front matter is not valid YAML; check indentation, quotes and brackets.";
    FRONT_MATTER_NOT_MAPPING = "AIMS0006", "front-matter-not-mapping", "Front matter must be a mapping of `field: value` lines.";
    FILE_TOO_LARGE = "AIMS0007", "file-too-large", "Documents over 16 MiB are not read; split the document or exclude it.";
    SYMLINK_LOOP = "AIMS0008", "symlink-loop", "A symbolic link points back at one of its parent folders; it is skipped.";
    SYMLINK_OUTSIDE = "AIMS0009", "symlink-outside", "A symbolic link leads outside the AIMS folder (or the theme folder, or into .git); aimsdoc reads nothing there: copy the file in instead.";
    CONFIG = "AIMS0010", "invalid-config", "aims.toml has an error or an unknown key; see the aims.toml reference.";
    SECTION_CONFIG = "AIMS0011", "invalid-section", "A `_section.toml` may set only `title` and `order`.";
    TEMPLATE = "AIMS0012", "template-error", "A theme template failed to load or render; the message names the template and line.";
    LIMIT_EXCEEDED = "AIMS0013", "limit-exceeded", "Front matter or soa.yaml goes over a bound: 1 MiB of YAML, 64 levels of nesting, 10,000 entries in a list, 100,000 values.";
    UNKNOWN_CONTROL = "AIMS0101", "unknown-control", "`controls` must name Annex A controls of ISO/IEC 42001 (A.2.2 to A.10.4).";
    UNKNOWN_CLAUSE = "AIMS0102", "unknown-clause", "`clauses` must name clauses 4 to 10 of ISO/IEC 42001 (for example 6.1.2).";
    NON_CANONICAL_ID = "AIMS0103", "non-canonical-id", "Write catalog ids in dotted form (A.6.2.4, 6.1.2).";
    MISSING_FIELD = "AIMS0110", "missing-field", "Every document needs `id` and `title`.";
    UNKNOWN_FIELD = "AIMS0111", "unknown-field", "The front matter has a field aimsdoc does not read; it may be misspelt.";
    INVALID_TYPE = "AIMS0112", "invalid-type", "A front-matter field has the wrong kind of value (text, list, number).";
    INVALID_VALUE = "AIMS0113", "invalid-value", "A front-matter field has a value outside its allowed set.";
    INVALID_DATE = "AIMS0114", "invalid-date", "Dates are written YYYY-MM-DD and must exist in the calendar.";
    INVALID_ID = "AIMS0115", "invalid-id", "Document ids may contain only letters, digits, `.`, `_` and `-`.";
    DUPLICATE_ID = "AIMS0116", "duplicate-id", "Two documents have the same id (ignoring case); every id must be unique.";
    UNKNOWN_DOCUMENT = "AIMS0201", "unknown-document", "A reference names a document or catalog id that does not exist.";
    MISSING_ANCHOR = "AIMS0202", "missing-anchor", "A reference points at a heading anchor that the target does not have.";
    MISSING_FILE = "AIMS0203", "missing-file", "A relative link points at a file that is not in the AIMS folder.";
    WITHHELD_LINK = "AIMS0204", "withheld-link", "A document this edition publishes links to a document it withholds, so readers see \"internal document (not published)\" instead; link to a published document or reword the sentence.";
    SOA_SYNTAX = "AIMS0300", "soa-invalid", "soa.yaml must map each control id to `{applicable, justification, implementation, owner, evidence}`, below the control fields of the SoA itself.";
    SOA_UNKNOWN_CONTROL = "AIMS0301", "soa-unknown-control", "soa.yaml names a control that Annex A does not have.";
    SOA_MISSING_JUSTIFICATION = "AIMS0302", "soa-missing-justification", "An excluded control needs a justification in soa.yaml.";
    SOA_UNDECIDED = "AIMS0303", "soa-undecided", "soa.yaml has no decision for a control; it is treated as applicable.";
    NO_GIT_HISTORY = "AIMS0401", "no-git-history", "The AIMS is not in a git repository (or the clone is shallow): versions and document history are left out.";
    APPROVAL_INCOMPLETE = "AIMS0501", "approval-incomplete", "An approved document (or soa.yaml) needs `approver`, `approved`, `version` and `owner`.";
    EFFECTIVE_BEFORE_APPROVED = "AIMS0502", "effective-before-approved", "A document cannot take effect before it was approved.";
    REVIEW_MISSING = "AIMS0503", "review-missing", "Approved policies, procedures, standards and the SoA need a `review` date (or `review_interval` in aims.toml).";
    REVIEW_OVERDUE = "AIMS0504", "review-overdue", "The review date of an approved document has passed; review it and set the next date.";
    REFERENCES_RETIRED = "AIMS0505", "references-retired", "A document (or soa.yaml) references a retired document; point it at the current one.";
    SUPERSEDES_NOT_RETIRED = "AIMS0506", "supersedes-not-retired", "A superseded document must have `status: retired`.";
    SUPERSEDES_CYCLE = "AIMS0507", "supersedes-cycle", "`supersedes` links must not form a cycle.";
    DUPLICATE_TITLE = "AIMS0508", "duplicate-title", "Two documents have the same title; readers cannot tell them apart.";
    CLAIMS_EXCLUDED_CONTROL = "AIMS0509", "claims-excluded-control", "A document claims a control that soa.yaml excludes; fix the claim or the SoA.";
    UNKNOWN_ALLOW = "AIMS0510", "unknown-allow", "`allow` names a diagnostic code that does not exist.";
    BLOCKED_URL = "AIMS0601", "blocked-url", "Links and images may not use javascript:, vbscript: or data: URLs (in raw HTML: when sanitising); link to a page or a file instead.";
    RAW_HTML = "AIMS0602", "raw-html", "aims.toml has raw_html = \"deny\": write Markdown instead of raw HTML, or set raw_html = \"sanitize\".";
    UNCLOSED_COMMENT = "AIMS0603", "unclosed-comment", "An HTML comment `<!--` is never closed with `-->`; close it so that it hides only what it should.";
    FRAMEWORK_CATALOG = "AIMS0700", "invalid-framework-catalog", "A framework catalog (`frameworks/<id>.yaml`) must have `framework: {id, name, version}` and `entries: [{id, kind, parent, title, summary}]` with unique ids and parents that exist and do not go round in a circle.";
    UNKNOWN_FRAMEWORK = "AIMS0701", "unknown-framework", "`frameworks` in aims.toml names a framework that is neither built in (iso27001, eu-ai-act, nist-ai-rmf) nor has a catalog in `frameworks/`.";
    FRAMEWORK_NOT_ENABLED = "AIMS0702", "framework-not-enabled", "Documents name a framework that aims.toml does not enable (or that has no catalog), so their ids are not checked or linked; enable it or add its catalog.";
    UNKNOWN_FRAMEWORK_ENTRY = "AIMS0703", "unknown-framework-entry", "A document declares or references an id that its (enabled) framework's catalog does not have.";
    CROSSWALK = "AIMS0704", "invalid-crosswalk", "A crosswalk (`crosswalks/<framework>.yaml`) must have `framework: {id}`, `confidence` and `mappings: [{iso, targets}]`, where `iso` is an ISO/IEC 42001 clause or control and every target an entry of the framework's catalog.";
    CROSSWALK_NOT_ENABLED = "AIMS0705", "crosswalk-not-enabled", "A crosswalk in `crosswalks/` maps to a framework that aims.toml does not enable; it is checked but not used.";
    SOA27001_NOT_ENABLED = "AIMS0710", "soa-iso27001-not-enabled", "soa.yaml has ISO/IEC 27001 decisions (`iso27001:`) but aims.toml does not enable iso27001 in `frameworks`; they are ignored.";
    SOA27001_UNKNOWN_CONTROL = "AIMS0711", "soa-iso27001-unknown-control", "`iso27001:` in soa.yaml names an id that is no Annex A control of ISO/IEC 27001:2022 (A.5.1 to A.8.34).";
    SOA27001_UNDECIDED = "AIMS0712", "soa-iso27001-undecided", "`iso27001:` in soa.yaml has no decision for an ISO/IEC 27001 Annex A control; it is treated as applicable.";
    SOA27001_MISSING_JUSTIFICATION = "AIMS0713", "soa-iso27001-missing-justification", "An excluded ISO/IEC 27001 Annex A control needs a justification in soa.yaml.";
    TEMPLATE_PLACEHOLDER = "AIMS0801", "template-placeholder", "`aimsdoc import comply` keeps a Go template placeholder such as `{{.Name}}` as written; replace it with the text comply filled in.";
    REVISION_DATE = "AIMS0802", "revision-date", "`aimsdoc import comply` could not read a `majorRevisions` date; write it YYYY-MM-DD (or like `Jun 1 2018`) and import again, or set `approved` by hand.";
    IMPORT_ID_CHANGED = "AIMS0803", "import-id-changed", "`aimsdoc import comply` gave a document or framework another id than its acronym or name, because that was not a valid id or was taken.";
    NOT_IMPORTED = "AIMS0804", "not-imported", "`aimsdoc import comply` found something it has no place for (a field such as `cron`, an entry it cannot read); it is left out of the result.";
    SYSTEMS_FILE = "AIMS0900", "invalid-systems", "systems.yaml must have `systems:` with one `- id: …` mapping per AI system, each with at least `id` and `name`.";
    UNKNOWN_SYSTEM_KEY = "AIMS0901", "unknown-system-key", "A system in systems.yaml has a key aimsdoc does not read; it may be misspelt.";
    INVALID_SYSTEM_VALUE = "AIMS0902", "invalid-system-value", "A field of a system in systems.yaml has a value outside its allowed set, the wrong type, or a date that is not YYYY-MM-DD.";
    DUPLICATE_SYSTEM = "AIMS0903", "duplicate-system", "Two systems in systems.yaml have the same id (ignoring case); every id must be unique.";
    SYSTEM_ID_COLLISION = "AIMS0904", "system-id-collision", "A system id is also a document id or an ISO/IEC 42001 id, so `[[ID]]` could mean either; rename one.";
    UNKNOWN_SYSTEM = "AIMS0905", "unknown-system", "Front matter `systems` names an id that systems.yaml does not have.";
    MISSING_SYSTEM_EVIDENCE = "AIMS0910", "missing-system-evidence", "An in-scope AI system lacks a current, approved record that it is expected to have (a risk assessment, an impact assessment, …).";
    RETIRED_SYSTEM_RECORD = "AIMS0911", "retired-system-record", "A current document names an AI system that is retired; retire the document or update its `systems`.";
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

    /// [`sorted`](Self::sorted), with the number of errors and of warnings among them: what
    /// a run prints and counts (identical diagnostics once).
    pub fn tally(self) -> Tally {
        let items = self.sorted();
        let errors = items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        Tally {
            warnings: items.len() - errors,
            errors,
            items,
        }
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Re-decides the severity of each diagnostic (for `--strict`).
    pub fn map_severity(mut self, f: impl Fn(&Diagnostic) -> Severity) -> Diagnostics {
        for d in &mut self.items {
            d.severity = f(d);
        }
        self
    }

    /// The diagnostics, unsorted.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

/// The diagnostics of a finished run, sorted, and how many are errors and warnings.
#[derive(Debug, Default)]
pub struct Tally {
    /// Sorted, identical ones once.
    pub items: Vec<Diagnostic>,
    /// Errors among them.
    pub errors: usize,
    /// Warnings among them.
    pub warnings: usize,
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
