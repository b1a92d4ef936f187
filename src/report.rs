//! Machine-readable diagnostics: a stable JSON list, and SARIF 2.1.0 for code-scanning
//! tools (GitHub reads it to annotate pull requests).

use serde::Serialize;
use serde_json::{json, Value};

use crate::diagnostics::escape::json_controls;
use crate::diagnostics::{code, Diagnostic, Severity};

/// One diagnostic in the stable JSON shape.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    /// `error` or `warning`.
    pub severity: Severity,
    /// `AIMS0101`.
    pub code: &'a str,
    /// `unknown-control`.
    pub name: &'a str,
    /// What is wrong.
    pub message: &'a str,
    /// Path relative to the AIMS root (`/`-separated).
    pub file: String,
    /// 1-based line, or null when the finding is about the whole file.
    pub line: Option<usize>,
    /// 1-based column (characters), or null.
    pub column: Option<usize>,
    /// What to do about it.
    pub suggestion: Option<&'a str>,
}

fn file_of(d: &Diagnostic) -> String {
    d.span.file.to_string_lossy().replace('\\', "/")
}

/// The diagnostics as a pretty JSON array (sorted as given).
pub fn json(diags: &[Diagnostic]) -> String {
    let list: Vec<JsonDiagnostic<'_>> = diags
        .iter()
        .map(|d| JsonDiagnostic {
            severity: d.severity,
            code: d.code.id,
            name: d.code.name,
            message: &d.message,
            file: file_of(d),
            line: (d.span.line > 0).then_some(d.span.line),
            column: (d.span.line > 0).then_some(d.span.column),
            suggestion: d.suggestion.as_deref(),
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    json_controls(s)
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The diagnostics as a SARIF 2.1.0 log. `prefix` is prepended to every file path so that
/// URIs are relative to the repository root (the AIMS folder as given on the command line).
pub fn sarif(diags: &[Diagnostic], prefix: &str) -> String {
    let rules: Vec<Value> = code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "name": c.name,
                "shortDescription": {"text": c.name.replace('-', " ")},
                "fullDescription": {"text": c.help},
                "help": {"text": c.help, "markdown": format!("**{}** ({}): {}", c.id, c.name, c.help)},
                "defaultConfiguration": {"level": "error"},
            })
        })
        .collect();
    let results: Vec<Value> = diags
        .iter()
        .map(|d| {
            let index = code::ALL.iter().position(|c| *c == d.code).unwrap_or(0);
            let mut text = d.message.clone();
            if let Some(s) = &d.suggestion {
                text.push_str(&format!(" ({s})"));
            }
            let uri = crate::render::urls::encode_path(&format!("{prefix}{}", file_of(d)));
            let mut physical = json!({"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"}});
            if d.span.line > 0 {
                physical["region"] =
                    json!({"startLine": d.span.line, "startColumn": d.span.column});
            }
            json!({
                "ruleId": d.code.id,
                "ruleIndex": index,
                "level": level(d.severity),
                "message": {"text": text},
                "locations": [{"physicalLocation": physical}],
            })
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "aimsdoc",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    json_controls(s)
}
