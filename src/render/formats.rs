//! The shapes `aimsdoc coverage` and the data files write text in: the output formats, CSV
//! fields (with formula neutralisation), aligned plain tables, Markdown table cells and the
//! counts line. The CSV writer is hand-written because the csv crate quotes a whole writer one
//! way, and a neutralised formula must always be quoted while other cells are quoted only when
//! needed.

/// Coverage output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CoverageFormat {
    /// Aligned text for terminals and CI logs.
    Table,
    /// The shape of coverage.json.
    Json,
    /// Comma-separated values.
    Csv,
    /// GitHub-flavoured Markdown tables (for `$GITHUB_STEP_SUMMARY`).
    Markdown,
}

/// Quotes one CSV field (RFC 4180) when it holds `,`, `"`, CR or LF.
///
/// A field that a spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return, as OWASP lists them) gets a leading `'` and is quoted, so that
/// `=HYPERLINK(…)` in a justification is shown as text, never run.
pub(crate) fn csv_field(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("\"'{}\"", s.replace('"', "\"\""))
    } else if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// "Annex A controls: 3 covered, … (of 38)".
pub(crate) fn counts_line(name: &str, k: &crate::analyse::Counts) -> String {
    format!(
        "{name}: {} covered, {} partial, {} overdue, {} draft, {} gap, {} excluded (of {})",
        k.covered, k.partial, k.overdue, k.draft, k.gap, k.excluded, k.total
    )
}

/// Rows as text columns two spaces apart, each as wide as its widest cell counted in
/// characters (not bytes), right-aligned where `right` says; the last column is not padded.
pub(crate) fn aligned<const N: usize>(rows: &[[String; N]], right: &[bool; N]) -> String {
    let width = |i: usize| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..N).map(width).collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str("  ");
            }
            let pad = " ".repeat(widths[i] - cell.chars().count());
            if right[i] {
                line.push_str(&pad);
                line.push_str(cell);
            } else {
                line.push_str(cell);
                if i + 1 < N {
                    line.push_str(&pad);
                }
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Text for one cell of a GitHub-flavoured Markdown table: on one line, with the characters
/// that would end the cell or start Markdown or HTML markup escaped by a backslash.
pub(crate) fn markdown_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\r' | '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '&' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.trim().to_string()
}
