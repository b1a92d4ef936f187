//! `systems.yaml` in the editor: what is at the cursor (the value of which key of a system,
//! read from the text as typed, so that it works before the file parses) and the completion
//! of the enum values (`role`, `risk_class`, `stage`). A system's `id` is looked up like a
//! system id in front matter (`lookup`), so hover, definition and references work there too.

use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, TextEdit};

use super::context::{line_bounds, value_token, At};
use super::position::Lines;
use crate::model::system::{RiskClass, Role, Stage};

/// The key a line of YAML starts with (after its indentation and a `- `), with the byte
/// offset of its colon in `line`.
fn key_of(line: &str) -> Option<(&str, usize)> {
    let body = line.trim_start();
    let body = body.strip_prefix("- ").map_or(body, str::trim_start);
    let start = line.len() - body.len();
    let colon = body.find(':')?;
    let key = &body[..colon];
    let after = &body[colon + 1..];
    let is_key = !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && (after.is_empty() || after.starts_with([' ', '\t', '\r']));
    is_key.then_some((key, start + colon))
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// What is at byte `offset` of the text of `systems.yaml`: the value of the key on the
/// cursor's line, or, on a list item (`- provider`), of the key the list is under.
pub(super) fn at(text: &str, offset: usize) -> At {
    let offset = crate::diagnostics::floor_char_boundary(text, offset.min(text.len()));
    let (ls, le) = line_bounds(text, offset);
    let line = &text[ls..le];
    let value = |key: &str| At::Inventory {
        key: key.to_string(),
        token: value_token(text, offset, ls),
    };
    if let Some((key, colon)) = key_of(line) {
        if offset <= ls + colon {
            return At::Nothing; // on the key itself
        }
        return value(key);
    }
    if !line.trim_start().starts_with('-') {
        return At::Nothing;
    }
    let own = indent(line);
    let mut end = ls;
    while end > 0 {
        let start = text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        let above = &text[start..end - 1];
        end = start;
        let t = above.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if indent(above) > own || (indent(above) == own && t.starts_with('-')) {
            if key_of(above).is_some() {
                return At::Nothing; // an item of another list, or a mapping
            }
            continue;
        }
        return match key_of(above) {
            Some((key, colon)) if above[colon + 1..].trim().is_empty() => value(key),
            _ => At::Nothing,
        };
    }
    At::Nothing
}

/// The completions at `at` in the text of `systems.yaml`: the values of the enum keys.
pub(super) fn complete(text: &str, at: &At) -> Vec<CompletionItem> {
    let At::Inventory { key, token } = at else {
        return Vec::new();
    };
    let names = match key.as_str() {
        "role" => Role::NAMES,
        "risk_class" => RiskClass::NAMES,
        "stage" => Stage::NAMES,
        _ => return Vec::new(),
    };
    let range = Lines::new(text).range(token.clone());
    names
        .iter()
        .map(|n| CompletionItem {
            label: n.to_string(),
            kind: Some(CompletionItemKind::ENUM_MEMBER),
            filter_text: Some(n.to_string()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                range,
                n.to_string(),
            ))),
            ..CompletionItem::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key and word at `|` in `src`.
    fn at_mark(src: &str) -> Option<(String, String)> {
        let offset = src.find('|').unwrap();
        let text = src.replacen('|', "", 1);
        match at(&text, offset) {
            At::Inventory { key, token } => Some((key, text[token].to_string())),
            _ => None,
        }
    }

    #[test]
    fn values_of_keys_and_of_list_items() {
        let f = |s: &str| at_mark(&format!("systems:\n  - id: AIS-01\n{s}\n"));
        let pair = |k: &str, w: &str| Some((k.to_string(), w.to_string()));
        assert_eq!(f("    role: [provider, dep|]"), pair("role", "dep"));
        assert_eq!(f("    risk_class: |"), pair("risk_class", ""));
        assert_eq!(f("    stage: oper|ation # now"), pair("stage", "operation"));
        assert_eq!(
            f("    role:\n      - provider\n      - |"),
            pair("role", "")
        );
        assert_eq!(f("    role:\n    # c\n    - dev|"), pair("role", "dev"));
        assert_eq!(at_mark("systems:\n  - id: AIS-|01\n"), pair("id", "AIS-01"));
        // On a key, or on an item of the systems list itself: nothing.
        assert_eq!(f("    ro|le: [provider]"), None);
        assert_eq!(at_mark("systems:\n  - |\n"), pair("systems", ""));
        assert_eq!(at_mark("systems:\n  - id: A\n  - |\n"), None);
        assert_eq!(at_mark("|"), None);
    }

    #[test]
    fn any_text_at_any_offset_is_answered() {
        let junk = "systems:\n- - : :\n  -\n\t- é:\n    role:\n 中- x\n- id: 😀:\n:\n-";
        for offset in 0..=junk.len() + 2 {
            let a = at(junk, offset);
            if let At::Inventory { token, .. } = &a {
                assert!(junk.get(token.clone()).is_some(), "{offset}: {a:?}");
            }
            complete(junk, &a);
        }
    }
}
