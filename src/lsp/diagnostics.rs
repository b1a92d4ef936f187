//! aimsdoc's diagnostics as the editor shows them, and their quick fixes. A diagnostic keeps
//! its code (`AIMS0101`), its message and its suggestion (on a second line of the message,
//! and in `data`); where the suggestion names replacements ("did you mean A.6.2.8 or
//! A.6.2.7?"), `data.fixes` holds the edits that make them, so that a code action needs no
//! second look at the text.

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, DiagnosticSeverity, NumberOrString, Range,
    TextEdit, Uri, WorkspaceEdit,
};
use serde::{Deserialize, Serialize};

use super::position::Lines;
use crate::diagnostics::{Diagnostic, Severity};

/// One replacement a quick fix makes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct Fix {
    /// What is replaced.
    pub(super) range: Range,
    /// By what.
    #[serde(rename = "newText")]
    pub(super) new_text: String,
}

/// What a published diagnostic carries for its code actions.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct Data {
    /// The suggestion, as `aimsdoc check` prints it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) suggestion: Option<String>,
    /// The replacements it proposes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) fixes: Vec<Fix>,
}

/// The ids a "did you mean A or B?" suggestion proposes.
pub(super) fn proposed(suggestion: &str) -> Vec<&str> {
    let Some(rest) = suggestion
        .strip_prefix("did you mean ")
        .and_then(|r| r.strip_suffix('?'))
    else {
        return Vec::new();
    };
    rest.split(" or ")
        .map(|s| s.trim().trim_matches('`'))
        .filter(|s| !s.is_empty() && !s.contains(' '))
        .collect()
}

fn is_id_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | ':')
}

/// The word of `text[range]` that a replacement `new` is meant for: the id-like word nearest
/// to it (so `[[A.6.2.9#x|text]]` replaces only `A.6.2.9`).
fn target_word(
    text: &str,
    range: std::ops::Range<usize>,
    new: &str,
) -> Option<std::ops::Range<usize>> {
    let part = text.get(range.clone())?;
    let mut best: Option<(usize, std::ops::Range<usize>)> = None;
    let mut start = None;
    for (i, c) in part
        .char_indices()
        .chain(std::iter::once((part.len(), ' ')))
    {
        match (is_id_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let word = &part[s..i];
                let d = strsim::levenshtein(&word.to_ascii_lowercase(), &new.to_ascii_lowercase());
                if best.as_ref().is_none_or(|(bd, _)| d < *bd) {
                    best = Some((d, range.start + s..range.start + i));
                }
                start = None;
            }
            _ => {}
        }
    }
    best.map(|(_, r)| r)
}

/// The editor's form of a diagnostic, positioned in `text` (the file as compiled; without
/// it, from the line and column the diagnostic carries).
pub(super) fn to_lsp(d: &Diagnostic, text: Option<&str>) -> lsp_types::Diagnostic {
    let span = &d.span;
    let (range, fixes) = match text {
        _ if span.line == 0 => (Range::default(), Vec::new()),
        Some(text) => {
            let lines = Lines::new(text);
            let range = lines.range(span.range.clone());
            let fixes = d
                .suggestion
                .as_deref()
                .map(proposed)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|new| {
                    let word = target_word(text, span.range.clone(), new)?;
                    Some(Fix {
                        range: lines.range(word),
                        new_text: new.to_string(),
                    })
                })
                .collect();
            (range, fixes)
        }
        None => {
            let p = lsp_types::Position::new(
                u32::try_from(span.line - 1).unwrap_or(0),
                u32::try_from(span.column.saturating_sub(1)).unwrap_or(0),
            );
            (Range::new(p, p), Vec::new())
        }
    };
    let message = match &d.suggestion {
        Some(s) => format!("{}\n{s}", d.message),
        None => d.message.clone(),
    };
    let data = Data {
        suggestion: d.suggestion.clone(),
        fixes,
    };
    lsp_types::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.id.to_string())),
        source: Some("aimsdoc".into()),
        message,
        data: serde_json::to_value(data).ok(),
        ..lsp_types::Diagnostic::default()
    }
}

/// The quick fixes of the diagnostics the editor sends back with a code-action request.
pub(super) fn quick_fixes(
    uri: &Uri,
    diagnostics: &[lsp_types::Diagnostic],
) -> Vec<CodeActionOrCommand> {
    let mut out = Vec::new();
    for d in diagnostics {
        if d.source.as_deref() != Some("aimsdoc") {
            continue;
        }
        let Some(data) = d
            .data
            .clone()
            .and_then(|v| serde_json::from_value::<Data>(v).ok())
        else {
            continue;
        };
        for (i, fix) in data.fixes.into_iter().enumerate() {
            let edit = TextEdit::new(fix.range, fix.new_text.clone());
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Replace with {}", fix.new_text),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(WorkspaceEdit::new(
                    [(uri.clone(), vec![edit])].into_iter().collect(),
                )),
                is_preferred: Some(i == 0),
                ..CodeAction::default()
            }));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{code, Span};

    #[test]
    fn suggestions_become_fixes_of_the_id_only() {
        let text = "---\ntitle: é😀\n---\nSee [[A.6.2.9#x|the text]].\n";
        let start = text.find("[[").unwrap();
        let end = text.find("]]").unwrap() + 2;
        let d = Diagnostic::error(
            code::UNKNOWN_DOCUMENT,
            Span::at("a.md", text, start..end),
            "no",
        )
        .with_suggestion("did you mean A.6.2.8 or A.6.2.7?");
        let l = to_lsp(&d, Some(text));
        assert_eq!(l.code, Some(NumberOrString::String("AIMS0201".into())));
        assert_eq!(l.message, "no\ndid you mean A.6.2.8 or A.6.2.7?");
        assert_eq!(l.range.start, lsp_types::Position::new(3, 4));
        let data: Data = serde_json::from_value(l.data.clone().unwrap()).unwrap();
        assert_eq!(data.fixes.len(), 2);
        assert_eq!(data.fixes[0].new_text, "A.6.2.8");
        assert_eq!(
            data.fixes[0].range,
            Range::new(
                lsp_types::Position::new(3, 6),
                lsp_types::Position::new(3, 13)
            )
        );
        let uri: Uri = "file:///x/a.md".parse().unwrap();
        let actions = quick_fixes(&uri, &[l]);
        assert_eq!(actions.len(), 2);
    }

    #[test]
    fn only_did_you_mean_proposes_replacements() {
        assert_eq!(proposed("did you mean POL-1?"), ["POL-1"]);
        assert_eq!(proposed("did you mean `A` or `B`?"), ["A", "B"]);
        assert!(proposed("add a line with `---`").is_empty());
    }

    #[test]
    fn a_file_level_diagnostic_is_at_the_start() {
        let d = Diagnostic::warning(code::SOA_UNDECIDED, Span::file("soa.yaml"), "none");
        assert_eq!(to_lsp(&d, None).range, Range::default());
    }
}
