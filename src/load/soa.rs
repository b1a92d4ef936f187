//! Reading `soa.yaml` into the Statement of Applicability ([`Soa`]), reporting every problem
//! with its position. [`Soa::parse`] is defined here, in the load stage, so that the model
//! stays plain data.

use std::collections::HashMap;
use std::path::Path;

use serde_yaml::Value;

use super::locator::key_of;
use super::yaml::YamlError;
use crate::diagnostics::{code, did_you_mean, Diagnostic, LineIndex, Span};
use crate::model::catalog::{Catalog, Entry, EntryKind, Lookup};
use crate::model::soa::{Decision, Implementation, Soa, SOA_FILE};
use crate::model::CatalogId;

/// Where each key of `soa.yaml` is first written (at any indentation), found in one pass so
/// that 10,000 keys cost one read of the text, not 10,000.
struct Keys<'a> {
    lines: LineIndex<'a>,
    at: HashMap<&'a str, usize>,
}

impl<'a> Keys<'a> {
    fn new(text: &'a str) -> Keys<'a> {
        let mut at = HashMap::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let t = line.trim_start();
            if let Some((key, _)) = key_of(t) {
                let start = offset + (line.len() - t.trim_start_matches(['"', '\'']).len());
                at.entry(key).or_insert(start);
            }
            offset += line.len();
        }
        Keys {
            lines: LineIndex::new(text),
            at,
        }
    }

    /// The span of `key:` where it is first written, or the whole file.
    fn span(&self, key: &str) -> Span {
        match self.at.get(key) {
            Some(&start) => self.lines.span(SOA_FILE, start..start + key.len()),
            None => Span::file(SOA_FILE),
        }
    }
}

/// Undecided controls named in the one warning about them.
const UNDECIDED_NAMED: usize = 5;

/// The one warning about the controls `soa.yaml` does not decide (in catalog order), at the
/// first of them written there: one control by name and title, more by count with the first
/// few at their lines. A new AIMS gets one warning, not one per control.
fn undecided_warning(undecided: &[&Entry], at: &HashMap<CatalogId, Span>) -> Option<Diagnostic> {
    let first = undecided.first()?;
    let span = undecided
        .iter()
        .find_map(|c| at.get(&c.id))
        .cloned()
        .unwrap_or_else(|| Span::file(SOA_FILE));
    let example = format!(
        "`{}: {{applicable: true, justification: \"...\", implementation: planned}}`",
        first.id
    );
    if let [one] = undecided {
        return Some(
            Diagnostic::warning(
                code::SOA_UNDECIDED,
                span,
                format!(
                    "soa.yaml has no decision for {} ({}); it is treated as applicable",
                    one.id, one.title
                ),
            )
            .with_suggestion(format!("add {example}")),
        );
    }
    let named: Vec<String> = undecided
        .iter()
        .take(UNDECIDED_NAMED)
        .map(|c| match at.get(&c.id) {
            Some(s) => format!("{} (line {})", c.id, s.line),
            None => format!("{} (not listed)", c.id),
        })
        .collect();
    let more = undecided.len().saturating_sub(UNDECIDED_NAMED);
    let list = if more > 0 {
        format!("{} and {more} more", named.join(", "))
    } else {
        named.join(", ")
    };
    Some(
        Diagnostic::warning(
            code::SOA_UNDECIDED,
            span,
            format!(
                "{} Annex A controls have no decision in soa.yaml and are treated as applicable: {list}",
                undecided.len()
            ),
        )
        .with_suggestion(format!(
            "decide each one, e.g. {example} or `{}: {{applicable: false, justification: \"why it does not apply\"}}`; soa.html marks every undecided control",
            first.id
        )),
    )
}

impl Soa {
    /// Parses `soa.yaml` (or its absence), reporting every problem.
    pub fn parse(text: Option<&str>, catalog: &Catalog, diags: &mut Vec<Diagnostic>) -> Soa {
        let path = Path::new(SOA_FILE);
        let Some(text) = text else {
            diags.push(
                Diagnostic::warning(
                    code::SOA_UNDECIDED,
                    Span::file(path),
                    "there is no soa.yaml: every Annex A control is treated as applicable and undecided",
                )
                .with_suggestion("run `aimsdoc init` in an empty folder to see a soa.yaml listing all 38 controls"),
            );
            return Soa::default();
        };
        let mut soa = Soa {
            present: true,
            ..Soa::default()
        };
        let value: Value = match super::yaml::parse(text) {
            Ok(v) => v,
            Err(YamlError::Syntax { message, offset }) => {
                diags.push(Diagnostic::error(
                    code::SOA_SYNTAX,
                    Span::at(path, text, offset..offset),
                    format!("soa.yaml is not valid YAML: {message}"),
                ));
                return soa;
            }
            Err(YamlError::Limit { limit, offset }) => {
                diags.push(
                    Diagnostic::error(
                        code::LIMIT_EXCEEDED,
                        Span::at(path, text, offset..offset),
                        limit.message("soa.yaml"),
                    )
                    .with_suggestion(limit.suggestion()),
                );
                return soa;
            }
        };
        let keys = Keys::new(text);
        let controls = match value.get("controls") {
            Some(Value::Mapping(m)) => m.clone(),
            Some(Value::Null) | None => {
                diags.push(
                    Diagnostic::error(
                        code::SOA_SYNTAX,
                        Span::at(path, text, 0..0),
                        "soa.yaml has no `controls:` mapping",
                    )
                    .with_suggestion("write `controls:` followed by one `A.x.y: {applicable: true, ...}` line per control"),
                );
                return soa;
            }
            Some(_) => {
                diags.push(Diagnostic::error(
                    code::SOA_SYNTAX,
                    keys.span("controls"),
                    "`controls` in soa.yaml must be a mapping from control id to decision",
                ));
                return soa;
            }
        };
        if let Value::Mapping(top) = &value {
            for k in top.keys() {
                if k.as_str() != Some("controls") {
                    let name = k.as_str().unwrap_or("?");
                    diags.push(Diagnostic::warning(
                        code::SOA_SYNTAX,
                        keys.span(name),
                        format!("unknown key `{name}` in soa.yaml; only `controls` is read"),
                    ));
                }
            }
        }
        // Controls written as `A.x.y: {}`: where, for the one undecided-SoA warning.
        let mut undecided_at: HashMap<CatalogId, Span> = HashMap::new();
        for (k, v) in controls {
            let written = match &k {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => continue,
            };
            let span = keys.span(&written);
            let entry = match catalog.lookup(&written) {
                Lookup::Found(e) => e,
                Lookup::NonCanonical(e, canonical) => {
                    diags.push(
                        Diagnostic::warning(
                            code::NON_CANONICAL_ID,
                            span.clone(),
                            format!("`{written}` is written in a non-canonical form"),
                        )
                        .with_suggestion(format!("write {canonical}")),
                    );
                    e
                }
                Lookup::Unknown => {
                    diags.push(
                        Diagnostic::error(
                            code::SOA_UNKNOWN_CONTROL,
                            span,
                            format!("unknown control {written} in soa.yaml"),
                        )
                        .with_suggestion_opt(did_you_mean(
                            &written,
                            catalog.controls().map(|e| e.id.as_str()),
                        )),
                    );
                    continue;
                }
            };
            let undecided = match &v {
                Value::Null => true,
                Value::Mapping(m) => m.is_empty(),
                _ => false,
            };
            if undecided && entry.kind == EntryKind::Control {
                undecided_at.entry(entry.id.clone()).or_insert(span);
                continue;
            }
            if entry.kind != EntryKind::Control {
                diags.push(Diagnostic::error(
                    code::SOA_UNKNOWN_CONTROL,
                    span,
                    format!(
                        "{} is not an Annex A control; the SoA decides on controls only",
                        entry.id
                    ),
                ));
                continue;
            }
            let field = |name: &str| v.get(name).filter(|x| !x.is_null());
            let applicable = match field("applicable") {
                Some(Value::Bool(b)) => *b,
                Some(_) => {
                    diags.push(Diagnostic::error(
                        code::SOA_SYNTAX,
                        span.clone(),
                        format!("`applicable` for {} must be true or false", entry.id),
                    ));
                    true
                }
                None => {
                    diags.push(
                        Diagnostic::error(
                            code::SOA_SYNTAX,
                            span.clone(),
                            format!("the decision for {} has no `applicable`", entry.id),
                        )
                        .with_suggestion(
                            "add `applicable: true` or `applicable: false` with a justification",
                        ),
                    );
                    true
                }
            };
            let justification = field("justification")
                .and_then(|j| j.as_str().map(str::trim).map(str::to_string))
                .filter(|j| !j.is_empty());
            let implementation = match field("implementation") {
                None => None,
                Some(Value::String(s)) => match s.as_str() {
                    "implemented" => Some(Implementation::Implemented),
                    "partial" => Some(Implementation::Partial),
                    "planned" => Some(Implementation::Planned),
                    other => {
                        diags.push(
                            Diagnostic::error(
                                code::SOA_SYNTAX,
                                span.clone(),
                                format!("`implementation: {other}` for {} is not allowed; use one of implemented | partial | planned", entry.id),
                            )
                            .with_suggestion_opt(did_you_mean(other, ["implemented", "partial", "planned"])),
                        );
                        None
                    }
                },
                Some(_) => None,
            };
            if !applicable && justification.is_none() {
                diags.push(
                    Diagnostic::error(
                        code::SOA_MISSING_JUSTIFICATION,
                        span.clone(),
                        format!("{} is excluded without a justification", entry.id),
                    )
                    .with_suggestion("add `justification: \"why this control does not apply\"`"),
                );
            }
            soa.decisions.insert(
                entry.id.clone(),
                Decision {
                    applicable,
                    justification,
                    implementation,
                },
            );
        }
        let undecided: Vec<&Entry> = catalog
            .controls()
            .filter(|c| !soa.decisions.contains_key(&c.id))
            .collect();
        diags.extend(undecided_warning(&undecided, &undecided_at));
        soa
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions_and_errors() {
        let cat = Catalog::iso42001();
        let mut d = Vec::new();
        let soa = Soa::parse(
            Some("controls:\n  A.2.2: {applicable: true, implementation: partial}\n  A.10.4: {applicable: false}\n  A.6.2.9: {applicable: true}\n"),
            &cat,
            &mut d,
        );
        assert_eq!(soa.decisions.len(), 2);
        let errors: Vec<_> = d
            .iter()
            .filter(|d| d.severity == crate::diagnostics::Severity::Error)
            .collect();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].code, code::SOA_MISSING_JUSTIFICATION);
        assert_eq!(errors[0].span.line, 3);
        assert_eq!(errors[1].code, code::SOA_UNKNOWN_CONTROL);
        assert!(errors[1].suggestion.as_deref().unwrap().contains("A.6.2.8"));
        // One warning for the 36 undecided controls, at none of their lines (none is written).
        let undecided: Vec<_> = d.iter().filter(|d| d.code == code::SOA_UNDECIDED).collect();
        assert_eq!(undecided.len(), 1);
        assert!(
            undecided[0].message.starts_with(
                "36 Annex A controls have no decision in soa.yaml and are treated as applicable: A.2.3 (not listed), A.2.4 (not listed),"
            ),
            "{}",
            undecided[0].message
        );
        assert!(undecided[0].message.ends_with(" and 31 more"));
        assert_eq!(undecided[0].span, Span::file(SOA_FILE));
    }

    #[test]
    fn undecided_controls_are_one_warning_at_the_first_written() {
        let cat = Catalog::iso42001();
        let mut d = Vec::new();
        let mut text = String::from("controls:\n  A.2.2: {applicable: true}\n");
        for c in cat.controls().skip(1) {
            text.push_str(&format!("  {}: {{}}\n", c.id));
        }
        Soa::parse(Some(&text), &cat, &mut d);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            d[0].message,
            "37 Annex A controls have no decision in soa.yaml and are treated as applicable: A.2.3 (line 3), A.2.4 (line 4), A.3.2 (line 5), A.3.3 (line 6), A.4.2 (line 7) and 32 more"
        );
        assert_eq!((d[0].span.line, d[0].span.column), (3, 3));
        // Controls not written at all are named as such, in catalog order.
        let mut d = Vec::new();
        let text = "controls:\n  A.2.2: {}\n  A.10.4: {}\n";
        let soa = Soa::parse(Some(text), &cat, &mut d);
        assert!(soa.decisions.is_empty());
        let msg = &d[0].message;
        assert!(msg.starts_with("38 Annex A controls"), "{msg}");
        assert!(msg.ends_with("A.2.2 (line 2), A.2.3 (not listed), A.2.4 (not listed), A.3.2 (not listed), A.3.3 (not listed) and 33 more"), "{msg}");
        assert_eq!(d[0].span.line, 2);
    }
}
