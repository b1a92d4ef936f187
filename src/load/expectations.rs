//! The evidence expected of each AI system: the defaults
//! (`model::system::default_expectations`) changed by `[systems]` in aims.toml — removed by
//! id, re-scoped (a default's id) or added (a new id). Every value is checked here, at its
//! line in aims.toml, with a did-you-mean: clause and control ids against the catalog, risk
//! classes and roles against their sets, removed ids against the defaults.

use crate::config::{ExpectationSetting, SystemsConfig};
use crate::diagnostics::{code, did_you_mean, Diagnostic, Span};
use crate::model::catalog::{Catalog, EntryKind, Lookup};
use crate::model::system::{default_expectations, Condition, Expectation, RiskClass, Role};

/// The expectations of this AIMS, in the defaults' order and then the ones added.
pub fn expectations(
    config: &SystemsConfig,
    catalog: &Catalog,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Expectation> {
    let mut list = default_expectations();
    let defaults: Vec<String> = list.iter().map(|e| e.id.clone()).collect();
    for (id, span) in &config.remove {
        match list.iter().position(|e| &e.id == id) {
            Some(k) => {
                list.remove(k);
            }
            None => diags.push(
                Diagnostic::error(
                    code::CONFIG,
                    span.clone(),
                    format!("[systems] removes `{id}`, which is no expectation"),
                )
                .with_suggestion(
                    did_you_mean(id, defaults.iter().map(String::as_str)).unwrap_or_else(|| {
                        format!("the default expectations are: {}", defaults.join(", "))
                    }),
                ),
            ),
        }
    }
    for setting in &config.expect {
        let Some(e) = expectation(setting, &list, catalog, diags) else {
            continue;
        };
        match list.iter_mut().find(|x| x.id == e.id) {
            Some(existing) => *existing = e,
            None => list.push(e),
        }
    }
    list
}

/// One `[[systems.expect]]` as an expectation; `None` (reported) when it names nothing to
/// address.
fn expectation(
    s: &ExpectationSetting,
    list: &[Expectation],
    catalog: &Catalog,
    diags: &mut Vec<Diagnostic>,
) -> Option<Expectation> {
    let base = list.iter().find(|e| e.id == s.id);
    let err = |diags: &mut Vec<Diagnostic>, span: &Span, msg: String, hint: Option<String>| {
        diags.push(Diagnostic::error(code::CONFIG, span.clone(), msg).with_suggestion_opt(hint));
    };
    let mut addresses = Vec::new();
    for written in &s.addresses {
        match catalog.lookup(written) {
            Lookup::Found(e) | Lookup::NonCanonical(e, _)
                if matches!(e.kind, EntryKind::Clause | EntryKind::Control) =>
            {
                addresses.push(e.id.clone())
            }
            _ => err(
                diags,
                &s.span,
                format!(
                    "[[systems.expect]] `{}` addresses `{written}`, which is no ISO/IEC 42001 clause or control",
                    s.id
                ),
                did_you_mean(
                    written,
                    catalog
                        .entries
                        .iter()
                        .filter(|e| matches!(e.kind, EntryKind::Clause | EntryKind::Control))
                        .map(|e| e.id.as_str()),
                ),
            ),
        }
    }
    let risk_class = values(
        s,
        &s.risk_class,
        "risk_class",
        RiskClass::parse,
        RiskClass::NAMES,
        diags,
    );
    let role = values(s, &s.role, "role", Role::parse, Role::NAMES, diags);
    let addresses = match (addresses.is_empty(), s.addresses.is_empty(), base) {
        (false, _, _) => addresses,
        (true, true, Some(b)) => b.addresses.clone(),
        (true, true, None) => {
            err(
                diags,
                &s.span,
                format!("[[systems.expect]] `{}` has no `addresses`", s.id),
                Some("add addresses = [\"A.7.4\"]: the clauses or controls a record for it addresses".into()),
            );
            return None;
        }
        (true, false, _) => return None,
    };
    let when = if s.risk_class.is_empty() && s.role.is_empty() {
        base.map(|b| b.when.clone()).unwrap_or_default()
    } else {
        Condition { risk_class, role }
    };
    Some(Expectation {
        id: s.id.clone(),
        name: s
            .name
            .clone()
            .or_else(|| base.map(|b| b.name.clone()))
            .unwrap_or_else(|| s.id.clone()),
        addresses,
        when,
    })
}

/// The values of a condition list, each checked against its set.
fn values<T>(
    s: &ExpectationSetting,
    written: &[String],
    key: &str,
    parse: fn(&str) -> Option<T>,
    names: &[&str],
    diags: &mut Vec<Diagnostic>,
) -> Vec<T> {
    let mut out = Vec::new();
    for w in written {
        match parse(w) {
            Some(v) => out.push(v),
            None => diags.push(
                Diagnostic::error(
                    code::CONFIG,
                    s.span.clone(),
                    format!(
                        "[[systems.expect]] `{}`: `{key}` \"{w}\" is not allowed; use one of {}",
                        s.id,
                        names.join(" | ")
                    ),
                )
                .with_suggestion_opt(did_you_mean(w, names.iter().copied())),
            ),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setting(id: &str, addresses: &[&str], role: &[&str]) -> ExpectationSetting {
        ExpectationSetting {
            id: id.into(),
            name: None,
            addresses: addresses.iter().map(|s| s.to_string()).collect(),
            risk_class: Vec::new(),
            role: role.iter().map(|s| s.to_string()).collect(),
            span: Span::file("aims.toml"),
        }
    }

    #[test]
    fn remove_rescope_and_add() {
        let config = SystemsConfig {
            remove: vec![("event-logs".into(), Span::file("aims.toml"))],
            expect: vec![
                setting("risk-assessment", &[], &["provider"]),
                setting("data-quality", &["A.7.4"], &[]),
            ],
        };
        let mut d = Vec::new();
        let list = expectations(&config, &Catalog::iso42001(), &mut d);
        assert!(d.is_empty(), "{d:?}");
        let ids: Vec<&str> = list.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "risk-assessment",
                "impact-assessment",
                "technical-documentation",
                "fundamental-rights",
                "data-quality"
            ]
        );
        assert_eq!(list[0].when.role, [Role::Provider]);
        assert_eq!(list[0].addresses.len(), 2);
        assert_eq!(list[4].name, "data-quality");
    }

    #[test]
    fn unknown_values_get_a_did_you_mean() {
        let config = SystemsConfig {
            remove: vec![("event-log".into(), Span::file("aims.toml"))],
            expect: vec![setting("x", &["A.7.9"], &["provder"])],
        };
        let mut d = Vec::new();
        expectations(&config, &Catalog::iso42001(), &mut d);
        let hints: Vec<Option<&str>> = d.iter().map(|d| d.suggestion.as_deref()).collect();
        assert_eq!(hints[0], Some("did you mean event-logs?"));
        assert!(hints[1].is_some_and(|h| h.contains("A.7.")), "{hints:?}");
        assert_eq!(hints[2], Some("did you mean provider?"));
    }
}
