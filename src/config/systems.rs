//! `[systems]` in aims.toml: how the evidence expected of each AI system differs from the
//! defaults (`model::system::default_expectations`). Read here as written, with positions;
//! the values (clause and control ids, risk classes, roles) are checked against the model by
//! `load::expectations`, since the configuration comes before the model.
//!
//! ```toml
//! [systems]
//! remove = ["fundamental-rights"]        # drop a default expectation by its id
//!
//! [[systems.expect]]                     # add one, or re-scope a default with its id
//! id = "data-quality"
//! name = "Data quality record"
//! addresses = ["A.7.4"]                  # a record counts when it addresses one of these
//! risk_class = ["high-risk"]             # only systems of these classes (default: all)
//! role = ["provider", "developer"]       # only systems with one of these roles (default: all)
//! ```

use super::key_span;
use crate::diagnostics::{code, did_you_mean, Diagnostic, Span};

const SYSTEMS_KEYS: &[&str] = &["remove", "expect"];
const EXPECT_KEYS: &[&str] = &["id", "name", "addresses", "risk_class", "role"];

/// `[systems]` in aims.toml, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SystemsConfig {
    /// Default expectations to drop, by id, with where each is written.
    pub remove: Vec<(String, Span)>,
    /// Expectations to add, or to put in place of the default with the same id.
    pub expect: Vec<ExpectationSetting>,
}

/// One `[[systems.expect]]`, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectationSetting {
    /// Its id.
    pub id: String,
    /// Its display name (`None`: the default's, or the id).
    pub name: Option<String>,
    /// Clause and control ids a record must address (one of them).
    pub addresses: Vec<String>,
    /// Risk classes it applies to (empty: all).
    pub risk_class: Vec<String>,
    /// Roles it applies to (empty: all).
    pub role: Vec<String>,
    /// Where the table starts, for findings about its values.
    pub span: Span,
}

/// Reads `[systems]`; problems go to `diags` and leave the part they are in out.
pub(super) fn parse(
    text: &str,
    value: Option<toml::Value>,
    diags: &mut Vec<Diagnostic>,
) -> SystemsConfig {
    let mut out = SystemsConfig::default();
    let Some(value) = value else {
        return out;
    };
    let error = |diags: &mut Vec<Diagnostic>, span: Span, msg: String, hint: &str| {
        diags.push(Diagnostic::error(code::CONFIG, span, msg).with_suggestion(hint.to_string()));
    };
    let toml::Value::Table(table) = value else {
        error(
            diags,
            key_span(text, "systems"),
            "`systems` in aims.toml must be a table: [systems]".into(),
            "write [systems] with `remove = [...]` and [[systems.expect]] tables",
        );
        return out;
    };
    let headers = expect_headers(text);
    for (key, v) in table {
        match (key.as_str(), v) {
            ("remove", toml::Value::Array(items)) => {
                let span = key_span(text, "remove");
                for item in items {
                    match item.as_str() {
                        Some(id) => out.remove.push((id.to_string(), span.clone())),
                        None => error(
                            diags,
                            span.clone(),
                            "`remove` in [systems] must be a list of expectation ids".into(),
                            "for example remove = [\"fundamental-rights\"]",
                        ),
                    }
                }
            }
            ("expect", toml::Value::Array(items)) => {
                for (k, item) in items.into_iter().enumerate() {
                    let at = headers.get(k).copied();
                    let span = |key: &str| match at {
                        Some(start) => key_span_from(text, start, key),
                        None => key_span(text, "expect"),
                    };
                    if let Some(e) = expectation(item, &span, diags) {
                        out.expect.push(e);
                    }
                }
            }
            ("remove" | "expect", _) => error(
                diags,
                key_span(text, &key),
                format!("`{key}` in [systems] has the wrong type"),
                "remove is a list of ids; each [[systems.expect]] is a table",
            ),
            (other, _) => diags.push(
                Diagnostic::warning(
                    code::CONFIG,
                    key_span(text, other),
                    format!("unknown setting `{other}` in [systems] of aims.toml"),
                )
                .with_suggestion(
                    did_you_mean(other, SYSTEMS_KEYS.iter().copied()).unwrap_or_else(|| {
                        format!("known settings are: {}", SYSTEMS_KEYS.join(", "))
                    }),
                ),
            ),
        }
    }
    out
}

/// Reads one `[[systems.expect]]`; `None` (reported) without an `id`.
fn expectation(
    item: toml::Value,
    span: &dyn Fn(&str) -> Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<ExpectationSetting> {
    let toml::Value::Table(t) = item else {
        diags.push(Diagnostic::error(
            code::CONFIG,
            span("expect"),
            "each [[systems.expect]] must be a table".to_string(),
        ));
        return None;
    };
    for key in t.keys() {
        if !EXPECT_KEYS.contains(&key.as_str()) {
            diags.push(
                Diagnostic::warning(
                    code::CONFIG,
                    span(key),
                    format!("unknown setting `{key}` in [[systems.expect]] of aims.toml"),
                )
                .with_suggestion(
                    did_you_mean(key, EXPECT_KEYS.iter().copied()).unwrap_or_else(|| {
                        format!("known settings are: {}", EXPECT_KEYS.join(", "))
                    }),
                ),
            );
        }
    }
    let list = |key: &str, diags: &mut Vec<Diagnostic>| -> Vec<String> {
        match t.get(key) {
            None => Vec::new(),
            Some(toml::Value::String(s)) => vec![s.clone()],
            Some(toml::Value::Array(a)) if a.iter().all(|x| x.is_str()) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
            Some(_) => {
                diags.push(Diagnostic::error(
                    code::CONFIG,
                    span(key),
                    format!("`{key}` in [[systems.expect]] must be a list of texts"),
                ));
                Vec::new()
            }
        }
    };
    let addresses = list("addresses", diags);
    let risk_class = list("risk_class", diags);
    let role = list("role", diags);
    let name = t.get("name").and_then(|v| v.as_str()).map(str::to_string);
    let Some(id) = t
        .get("id")
        .and_then(|v| v.as_str())
        .filter(|s| !s.is_empty())
    else {
        diags.push(
            Diagnostic::error(
                code::CONFIG,
                span("expect"),
                "a [[systems.expect]] has no `id`".to_string(),
            )
            .with_suggestion(
                "add id = \"...\": a default's id (risk-assessment, impact-assessment, technical-documentation, event-logs, fundamental-rights) re-scopes it, another adds one",
            ),
        );
        return None;
    };
    Some(ExpectationSetting {
        id: id.to_string(),
        name,
        addresses,
        risk_class,
        role,
        span: span("id"),
    })
}

/// The byte offset of each `[[systems.expect]]` header, in order.
fn expect_headers(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t.starts_with("[[")
            && t.trim_start_matches('[')
                .trim_start()
                .starts_with("systems.expect")
        {
            out.push(offset);
        }
        offset += line.len();
    }
    out
}

/// [`key_span`] of `key = …` in the table that starts at `start` (up to the next header).
fn key_span_from(text: &str, start: usize, key: &str) -> Span {
    let rest = &text[start..];
    let first_line = rest.find('\n').map_or(rest.len(), |i| i + 1);
    let end = rest[first_line..]
        .find("\n[")
        .map_or(rest.len(), |i| first_line + i + 1);
    let local = key_span(&rest[..end], key);
    if local.line == 0 {
        return crate::diagnostics::Span::at(super::CONFIG_FILE, text, start..start);
    }
    let at = start + local.range.start;
    Span::at(super::CONFIG_FILE, text, at..at + key.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_read_with_positions() {
        let text = "title = \"T\"\n[systems]\nremove = [\"event-logs\"]\nexpct = 1\n\n[[systems.expect]]\nid = \"a\"\naddresses = [\"A.7.4\"]\n\n[[systems.expect]]\nid = \"b\"\nrole = \"provider\"\nrisk_klass = [\"x\"]\n";
        let value: toml::Value = toml::from_str(text).unwrap();
        let mut d = Vec::new();
        let c = parse(text, value.get("systems").cloned(), &mut d);
        assert_eq!(c.remove[0].0, "event-logs");
        assert_eq!(c.expect.len(), 2);
        assert_eq!(c.expect[1].id, "b");
        assert_eq!(c.expect[1].role, ["provider"]);
        assert_eq!(c.expect[1].span.line, 11);
        let found: Vec<(usize, Option<&str>)> = d
            .iter()
            .map(|d| (d.span.line, d.suggestion.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                (4, Some("did you mean expect?")),
                (13, Some("did you mean risk_class?"))
            ]
        );
    }
}
