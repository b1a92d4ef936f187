//! Reading `soa.yaml` into the Statement of Applicability ([`Soa`]), reporting every problem
//! with its position: its own control fields (`meta`), each control's decision, and the
//! references in justifications and evidence (`refs`), placed in the text (`keys`), and the
//! decisions on ISO/IEC 27001:2022 Annex A under `iso27001:` (`iso27001`).
//! [`Soa::parse`] is defined here, in the load stage, so that the model stays plain data.

mod iso27001;
mod keys;
mod meta;
mod refs;
mod undecided;

use std::collections::HashMap;
use std::path::Path;

use serde_yaml::Value;

use super::meta::fields::kind_name;
use super::yaml::YamlError;
use crate::diagnostics::{code, did_you_mean, Code, Diagnostic, Span};
use crate::model::catalog::{Catalog, Entry, EntryKind, Lookup};
use crate::model::controlled::CONTROL_FIELDS;
use crate::model::framework::Frameworks;
use crate::model::soa::{
    Annex, Decision, Implementation, Soa, SoaRef, TextField, ISO27001, SOA_FILE,
};
use crate::model::CatalogId;
use keys::Keys;

/// The keys of one control's decision.
const DECISION_KEYS: &[&str] = &[
    "applicable",
    "justification",
    "implementation",
    "owner",
    "evidence",
];

/// The top-level keys of `soa.yaml`: `controls`, `iso27001` and the control fields of a
/// document.
fn top_keys() -> impl Iterator<Item = &'static str> + Clone {
    ["controls", ISO27001]
        .into_iter()
        .chain(CONTROL_FIELDS.iter().map(|f| f.as_str()))
}

impl Soa {
    /// Parses `soa.yaml` (or its absence), reporting every problem; the decisions under
    /// `iso27001:` are read when `frameworks` has ISO/IEC 27001 enabled.
    pub fn parse(
        text: Option<&str>,
        catalog: &Catalog,
        frameworks: &Frameworks,
        diags: &mut Vec<Diagnostic>,
    ) -> Soa {
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
        // The decisions under `iso27001:` name ids that `controls:` may name too: each block's
        // keys are looked up in that block.
        let block = match value.get(ISO27001) {
            Some(_) => keys::top_block(text, ISO27001),
            None => None,
        };
        let in_block = |o: usize| block.as_ref().is_some_and(|b| b.contains(&o));
        let mut keys = Keys::new_in(text, |o| !in_block(o));
        if let Some(v) = value.get(ISO27001) {
            let keys27 = Keys::new_in(text, in_block);
            soa.iso27001 = iso27001::read(v, keys27, frameworks, &mut soa.refs, diags);
        }
        if let Value::Mapping(top) = &value {
            soa.meta = meta::read(text, top, diags);
            for k in top.keys() {
                let Some(name) = k.as_str() else { continue };
                if top_keys().any(|t| t == name) {
                    continue;
                }
                diags.push(
                    Diagnostic::warning(
                        code::SOA_SYNTAX,
                        keys.span(name),
                        format!(
                            "unknown key `{name}` in soa.yaml; it is ignored (soa.yaml has `controls` and the control fields {})",
                            CONTROL_FIELDS.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
                        ),
                    )
                    .with_suggestion_opt(did_you_mean(name, top_keys())),
                );
            }
        }
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
        let written_key = |k: &Value| match k {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let all_written: Vec<String> = controls.keys().filter_map(written_key).collect();
        keys.set_controls(all_written.iter().map(String::as_str));
        // Controls written as `A.x.y: {}`: where, for the one undecided-SoA warning.
        let mut undecided_at: HashMap<CatalogId, Span> = HashMap::new();
        for (k, v) in &controls {
            let Some(written) = written_key(k) else {
                continue;
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
            let undecided = match v {
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
            let at = Written {
                keys: &keys,
                control: &written,
                id: entry.id.as_str(),
                label: entry.id.as_str(),
                annex: Annex::Iso42001,
                missing_justification: code::SOA_MISSING_JUSTIFICATION,
                span,
            };
            let decision = at.decision(v, diags);
            at.refs(&decision, &mut soa.refs);
            soa.decisions.insert(entry.id.clone(), decision);
        }
        let undecided: Vec<&Entry> = catalog
            .controls()
            .filter(|c| !soa.decisions.contains_key(&c.id))
            .collect();
        let undecided: Vec<(&str, &str)> = undecided
            .iter()
            .map(|e| (e.id.as_str(), e.title.as_str()))
            .collect();
        let undecided_at = undecided_at
            .into_iter()
            .map(|(k, v)| (k.as_str().to_string(), v))
            .collect();
        diags.extend(undecided::undecided_warning(
            &undecided::Undecided::ISO42001,
            &undecided,
            &undecided_at,
        ));
        soa
    }
}

/// One control's decision as written in `soa.yaml`.
struct Written<'k, 'a> {
    keys: &'k Keys<'a>,
    /// The control key as written.
    control: &'k str,
    /// Its canonical id.
    id: &'k str,
    /// How messages name it (`A.2.2`, `ISO/IEC 27001 A.5.1`).
    label: &'k str,
    /// Whose Annex A it belongs to.
    annex: Annex,
    /// The code of an exclusion without a justification.
    missing_justification: Code,
    /// Where the key is written.
    span: Span,
}

impl Written<'_, '_> {
    /// Reads the decision `v`, reporting every problem in it.
    fn decision(&self, v: &Value, diags: &mut Vec<Diagnostic>) -> Decision {
        let id = self.label;
        let span = &self.span;
        if let Value::Mapping(m) = v {
            for k in m.keys() {
                let Some(name) = k.as_str() else { continue };
                if DECISION_KEYS.contains(&name) {
                    continue;
                }
                diags.push(
                    Diagnostic::warning(
                        code::SOA_SYNTAX,
                        self.keys.key_span(self.control, name),
                        format!("unknown key `{name}` in the decision for {id}; it is ignored"),
                    )
                    .with_suggestion(
                        did_you_mean(name, DECISION_KEYS.iter().copied()).unwrap_or_else(|| {
                            format!("a decision may have {}", DECISION_KEYS.join(", "))
                        }),
                    ),
                );
            }
        }
        let field = |name: &str| v.get(name).filter(|x| !x.is_null());
        let applicable = match field("applicable") {
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                diags.push(Diagnostic::error(
                    code::SOA_SYNTAX,
                    span.clone(),
                    format!("`applicable` for {id} must be true or false"),
                ));
                true
            }
            None => {
                diags.push(
                    Diagnostic::error(
                        code::SOA_SYNTAX,
                        span.clone(),
                        format!("the decision for {id} has no `applicable`"),
                    )
                    .with_suggestion(
                        "add `applicable: true` or `applicable: false` with a justification",
                    ),
                );
                true
            }
        };
        let mut text = |name: &str| -> Option<String> {
            match field(name)? {
                Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
                Value::Number(n) => Some(n.to_string()),
                Value::Bool(b) => Some(b.to_string()),
                other => {
                    diags.push(Diagnostic::error(
                        code::SOA_SYNTAX,
                        self.keys.key_span(self.control, name),
                        format!("`{name}` for {id} must be text, found {}", kind_name(other)),
                    ));
                    None
                }
            }
        };
        let justification = text("justification");
        let owner = text("owner");
        let evidence = text("evidence");
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
                            format!("`implementation: {other}` for {id} is not allowed; use one of implemented | partial | planned"),
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
                    self.missing_justification,
                    span.clone(),
                    format!("{id} is excluded without a justification"),
                )
                .with_suggestion("add `justification: \"why this control does not apply\"`"),
            );
        }
        Decision {
            applicable,
            justification,
            implementation,
            owner,
            evidence,
        }
    }

    /// Appends the references of the decision's texts to `out`, each placed where it is
    /// written: searched for in the order found, from the field's key on (the control's key
    /// when a reference cannot be found as written, say behind an escape).
    fn refs(&self, d: &Decision, out: &mut Vec<SoaRef>) {
        let region = self.keys.region(self.control);
        for field in TextField::ALL {
            let Some(text) = field.of(d) else { continue };
            let found = refs::scan(text);
            if found.is_empty() {
                continue;
            }
            let mut cursor = self
                .keys
                .key_in(&region, field.as_str())
                .unwrap_or(region.start);
            for f in found {
                let written = &text[f.range.clone()];
                let span = match self.keys.find(written, cursor, region.end) {
                    Some(at) => {
                        cursor = at + written.len();
                        self.keys.span_at(at..at + written.len())
                    }
                    None => self.span.clone(),
                };
                out.push(SoaRef {
                    annex: self.annex,
                    control: self.id.to_string(),
                    field,
                    range: f.range,
                    id: f.id,
                    anchor: f.anchor,
                    label: f.label,
                    span,
                });
            }
        }
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
            &Frameworks::default(),
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
        Soa::parse(Some(&text), &cat, &Frameworks::default(), &mut d);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            d[0].message,
            "37 Annex A controls have no decision in soa.yaml and are treated as applicable: A.2.3 (line 3), A.2.4 (line 4), A.3.2 (line 5), A.3.3 (line 6), A.4.2 (line 7) and 32 more"
        );
        assert_eq!((d[0].span.line, d[0].span.column), (3, 3));
        // Controls not written at all are named as such, in catalog order.
        let mut d = Vec::new();
        let text = "controls:\n  A.2.2: {}\n  A.10.4: {}\n";
        let soa = Soa::parse(Some(text), &cat, &Frameworks::default(), &mut d);
        assert!(soa.decisions.is_empty());
        let msg = &d[0].message;
        assert!(msg.starts_with("38 Annex A controls"), "{msg}");
        assert!(msg.ends_with("A.2.2 (line 2), A.2.3 (not listed), A.2.4 (not listed), A.3.2 (not listed), A.3.3 (not listed) and 33 more"), "{msg}");
        assert_eq!(d[0].span.line, 2);
    }
}
