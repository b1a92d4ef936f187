//! Reading one comply file: its front matter split from the body (comply's own layout, YAML
//! then a `---` line, or the usual one with an opening `---` as well), the YAML read within
//! aimsdoc's bounds, and the places of keys, values and template placeholders in the text.

use std::ops::Range;
use std::path::Path;

use serde_yaml::Value;

use crate::diagnostics::{code, Diagnostic, LineIndex};
use crate::load::frontmatter::{self, SplitResult};
use crate::load::yaml::{self, YamlError};

/// A comply document split into its YAML and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Parts<'a> {
    /// The YAML text.
    pub(crate) yaml: &'a str,
    /// Byte offset of `yaml` in the file.
    pub(crate) yaml_offset: usize,
    /// Everything after the `---` line that ends the YAML, exactly as in the file.
    pub(crate) body: &'a str,
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\n', '\r'])
        .trim_end_matches([' ', '\t'])
        == "---"
}

/// Splits a comply document. comply writes the YAML first and ends it with a `---` line,
/// without an opening one; a file that opens with `---` is read the usual way. `None`: no
/// `---` line ends the YAML.
pub(crate) fn split(text: &str) -> Option<Parts<'_>> {
    if let SplitResult::Found(s) = frontmatter::split(text) {
        return Some(Parts {
            yaml: s.yaml,
            yaml_offset: s.yaml_offset,
            body: s.body,
        });
    }
    let start = frontmatter::bom_len(text);
    let mut offset = start;
    for line in text[start..].split_inclusive('\n') {
        if is_fence(line) {
            return Some(Parts {
                yaml: &text[start..offset],
                yaml_offset: start,
                body: &text[offset + line.len()..],
            });
        }
        offset += line.len();
    }
    None
}

/// Reads `yaml` (at `offset` in the file `rel` whose text `lines` indexes) as a mapping; a
/// problem is an error in `diags` and `None`. `what` names the text in messages.
pub(crate) fn mapping(
    rel: &Path,
    lines: &LineIndex<'_>,
    yaml: &str,
    offset: usize,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<serde_yaml::Mapping> {
    match yaml::parse(yaml) {
        Ok(Value::Mapping(m)) => Some(m),
        Ok(Value::Null) => Some(serde_yaml::Mapping::new()),
        Ok(_) => {
            diags.push(
                Diagnostic::error(
                    code::FRONT_MATTER_NOT_MAPPING,
                    lines.span(rel, offset..offset),
                    format!("{what} is not a mapping of `key: value` lines; not converted"),
                )
                .with_suggestion("write `name: ...` and the other fields one per line"),
            );
            None
        }
        Err(YamlError::Syntax {
            message,
            offset: at,
        }) => {
            diags.push(
                Diagnostic::error(
                    code::YAML_SYNTAX,
                    lines.span(rel, offset + at..offset + at),
                    format!("{what} is not valid YAML ({message}); not converted"),
                )
                .with_suggestion("fix the YAML and import again into an empty folder"),
            );
            None
        }
        Err(YamlError::Limit { limit, offset: at }) => {
            diags.push(
                Diagnostic::error(
                    code::LIMIT_EXCEEDED,
                    lines.span(rel, offset + at..offset + at),
                    limit.message(what),
                )
                .with_suggestion(limit.suggestion()),
            );
            None
        }
    }
}

/// A scalar as text (strings, numbers, booleans); `None` for anything else.
pub(crate) fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(t) => scalar(&t.value),
        _ => None,
    }
}

/// The byte range of the line of `yaml` (at `offset` in the file) where the key `key` is
/// is written first on a line (bare or quoted, indented or not: the first such line); the
/// start of the YAML when not found.
pub(crate) fn key_at(yaml: &str, offset: usize, key: &str) -> Range<usize> {
    let mut at = 0;
    for whole in yaml.split_inclusive('\n') {
        let indent = whole.len() - whole.trim_start_matches([' ', '\t']).len();
        let line = &whole[indent..];
        let unquoted = |q: char| {
            line.strip_prefix(q)
                .and_then(|r| r.strip_prefix(key))
                .and_then(|r| r.strip_prefix(q))
        };
        let rest = line
            .strip_prefix(key)
            .or_else(|| unquoted('"'))
            .or_else(|| unquoted('\''));
        if rest.is_some_and(|r| r.trim_start().starts_with(':')) {
            let start = offset + at + indent;
            return start..start + line.trim_end().len();
        }
        at += whole.len();
    }
    offset..offset
}

/// The byte range of the first `needle` in `yaml` at or after byte `from` of the file (the
/// YAML starts at `offset`); `fallback` when not found.
pub(crate) fn find_after(
    yaml: &str,
    offset: usize,
    from: usize,
    needle: &str,
    fallback: Range<usize>,
) -> Range<usize> {
    let skip = from.saturating_sub(offset).min(yaml.len());
    if needle.is_empty() || !yaml.is_char_boundary(skip) {
        return fallback;
    }
    match yaml[skip..].find(needle) {
        Some(i) => offset + skip + i..offset + skip + i + needle.len(),
        None => fallback,
    }
}

/// The byte ranges of Go template actions (`{{.Name}}`, `{{ .Organization }}`) in `text`: from
/// `{{` to the next `}}` on the same line.
pub(crate) fn placeholders(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(i) = text[at..].find("{{") {
        let start = at + i;
        let line_end = text[start..].find('\n').map_or(text.len(), |n| start + n);
        match text[start + 2..line_end].find("}}") {
            Some(j) => {
                let end = start + 2 + j + 2;
                found.push(start..end);
                at = end;
            }
            None => at = start + 2,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comply_layout_and_usual_layout() {
        let p = split("name: A\n---\n\n# Body\n---\nmore\n").unwrap();
        assert_eq!((p.yaml, p.yaml_offset), ("name: A\n", 0));
        assert_eq!(p.body, "\n# Body\n---\nmore\n");
        let p = split("---\nname: A\n---\nbody").unwrap();
        assert_eq!((p.yaml, p.yaml_offset, p.body), ("name: A\n", 4, "body"));
        let p = split("\u{feff}name: A\r\n---\r\nbody\r\n").unwrap();
        assert_eq!(
            (p.yaml, p.yaml_offset, p.body),
            ("name: A\r\n", 3, "body\r\n")
        );
        assert_eq!(split("name: A\n# no fence\n"), None);
    }

    #[test]
    fn keys_values_and_placeholders_are_found() {
        let y = "name: A\n\"CC1.1\":\n  family: CC1\n";
        assert_eq!(&y[key_at(y, 0, "CC1.1")], "\"CC1.1\":");
        assert_eq!(&y[key_at(y, 0, "name")], "name: A");
        assert_eq!(key_at(y, 10, "none"), 10..10);
        assert_eq!(&y[find_after(y, 0, 9, "CC1", 0..0)], "CC1");
        let t = "a {{.Name}} b {{ .X }}\n{{ open\n}}";
        let r: Vec<&str> = placeholders(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(r, ["{{.Name}}", "{{ .X }}"]);
    }
}
