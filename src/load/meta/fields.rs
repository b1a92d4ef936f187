//! Reading one front-matter value as the type its field wants (text, one of a set, a date, a
//! list), with a diagnostic at the value when it is not. The control fields at the top of
//! `soa.yaml` are read by the same readers (`load::soa::meta`).

use serde_yaml::Value;

use crate::date::Date;
use crate::diagnostics::{code, did_you_mean, Code, Diagnostic, Span};
use crate::load::locator::Locator;
use crate::model::frontmatter::Field;

/// How a YAML value is named in messages.
pub(in crate::load) fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a true/false value",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// The readers of one document's fields, with where to report.
/// The fields written with a value (not blank) that could not be read: `read` pairs each
/// field with whether its value is missing after reading, `written` says whether it was
/// written at all. They were reported at the value, so the document-control rules do not
/// also report them as missing.
pub(in crate::load) fn rejected(
    read: [(Field, bool); 6],
    written: impl Fn(Field) -> bool,
) -> std::collections::BTreeSet<&'static str> {
    read.into_iter()
        .filter(|&(field, unread)| unread && written(field))
        .map(|(field, _)| field.as_str())
        .collect()
}

pub(in crate::load) struct Fields<'a, 'b> {
    /// Positions in the file.
    pub(in crate::load) loc: &'a Locator<'a>,
    /// Where problems go.
    pub(in crate::load) diags: &'b mut Vec<Diagnostic>,
}

impl<'a, 'b> Fields<'a, 'b> {
    /// Readers reporting into `diags`.
    pub(in crate::load) fn new(loc: &'a Locator<'a>, diags: &'b mut Vec<Diagnostic>) -> Self {
        Fields { loc, diags }
    }

    /// Reports an error.
    pub(in crate::load) fn err(
        &mut self,
        code: Code,
        span: Span,
        msg: String,
        suggestion: Option<String>,
    ) {
        self.diags
            .push(Diagnostic::error(code, span, msg).with_suggestion_opt(suggestion));
    }

    /// Reports that a required field is absent (or blank).
    pub(in crate::load) fn missing(&mut self, key: Field, help: &str) {
        let span = self.loc.whole();
        self.err(
            code::MISSING_FIELD,
            span,
            format!("front matter has no `{key}`; it is required"),
            Some(help.to_string()),
        );
    }

    /// The span of a field's value.
    pub(in crate::load) fn value(&self, key: Field) -> Span {
        self.loc.value(key.as_str())
    }

    /// A value as text; numbers and true/false are taken as written.
    pub(in crate::load) fn string(&mut self, key: Field, v: Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            other => {
                let span = self.value(key);
                self.err(
                    code::INVALID_TYPE,
                    span,
                    format!("`{key}` must be text, found {}", kind_name(&other)),
                    None,
                );
                None
            }
        }
    }

    /// A value that must be one of `allowed`.
    pub(in crate::load) fn choice<T>(
        &mut self,
        key: Field,
        v: Value,
        parse: fn(&str) -> Option<T>,
        allowed: &[&str],
    ) -> Option<T> {
        let s = self.string(key, v)?;
        match parse(&s) {
            Some(t) => Some(t),
            None => {
                let list = allowed.join(" | ");
                let near = did_you_mean(&s, allowed.iter().copied());
                let span = self.value(key);
                self.err(
                    code::INVALID_VALUE,
                    span,
                    format!("`{key}: {s}` is not allowed; use one of {list}"),
                    near,
                );
                None
            }
        }
    }

    /// A `YYYY-MM-DD` date.
    pub(in crate::load) fn date(&mut self, key: Field, v: Value) -> Option<Date> {
        let s = self.string(key, v)?;
        match Date::parse(&s) {
            Some(d) => Some(d),
            None => {
                let span = self.value(key);
                self.err(
                    code::INVALID_DATE,
                    span,
                    format!("`{key}: {s}` is not a valid date"),
                    Some("write dates as YYYY-MM-DD, e.g. 2026-03-01".into()),
                );
                None
            }
        }
    }

    /// A list of text, or one text or number standing for a list of one.
    pub(in crate::load) fn string_list(&mut self, key: Field, v: Value) -> Vec<String> {
        match v {
            Value::Sequence(items) => items
                .into_iter()
                .filter_map(|i| self.string(key, i))
                .collect(),
            scalar @ (Value::String(_) | Value::Number(_)) => {
                self.string(key, scalar).into_iter().collect()
            }
            other => {
                let span = self.value(key);
                self.err(
                    code::INVALID_TYPE,
                    span,
                    format!("`{key}` must be a list, found {}", kind_name(&other)),
                    Some(format!("write `{key}: [A, B]`")),
                );
                Vec::new()
            }
        }
    }
}
