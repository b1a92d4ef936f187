//! Reading `systems.yaml`, the inventory of AI systems: `systems:` with one mapping per
//! system. Every problem — YAML that does not parse, a missing `id` or `name`, an unknown key
//! or value (with a did-you-mean), a date that is not YYYY-MM-DD, a repeated id — is a
//! diagnostic at its line, over the whole file; a system with an unusable `id` or `name` is
//! left out, one with a bad optional field is kept without it. The YAML is bounded like every
//! other YAML input (`load::yaml`).

use std::collections::HashMap;
use std::path::Path;

use serde_yaml::{Mapping, Value};

use super::frameworks::{item_ranges, key_in, text_of};
use crate::date::Date;
use crate::diagnostics::{code, did_you_mean, Code, Diagnostic, LineIndex, Span};
use crate::model::system::{
    RiskClass, Role, Stage, System, SystemField, SystemId, Systems, SYSTEMS_FILE,
};
use crate::model::DocKey;

const SHAPE: &str = "write `systems:` and, for each AI system, `- id: AIS-01` with `name: ...` below it (see `aimsdoc init`)";

/// Reads the inventory from the text of `systems.yaml`; `None` when there is no file.
pub fn parse(text: Option<&str>, diags: &mut Vec<Diagnostic>) -> Option<Systems> {
    let text = text?;
    let path = Path::new(SYSTEMS_FILE);
    let lines = LineIndex::new(text);
    let value = super::yaml::parse_reported(
        text,
        path,
        &lines,
        code::SYSTEMS_FILE,
        "systems.yaml",
        "systems.yaml",
        diags,
    );
    let start = lines.span(path, 0..0);
    let items = match value {
        None => return Some(Systems::default()),
        Some(Value::Null) => Vec::new(),
        Some(Value::Mapping(map)) => {
            for k in map.keys() {
                let name = k.as_str().unwrap_or("?");
                if name != "systems" {
                    diags.push(
                        Diagnostic::warning(
                            code::UNKNOWN_SYSTEM_KEY,
                            key_in(&lines, path, text, &(0..text.len()), name),
                            format!("unknown key `{name}` in systems.yaml"),
                        )
                        .with_suggestion(
                            "systems.yaml has one top-level key, `systems`, a list of AI systems",
                        ),
                    );
                }
            }
            match map.get("systems") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Sequence(items)) => items.clone(),
                Some(_) => {
                    diags.push(
                        Diagnostic::error(
                            code::SYSTEMS_FILE,
                            key_in(&lines, path, text, &(0..text.len()), "systems"),
                            "`systems` in systems.yaml must be a list",
                        )
                        .with_suggestion(SHAPE),
                    );
                    Vec::new()
                }
            }
        }
        Some(_) => {
            diags.push(
                Diagnostic::error(code::SYSTEMS_FILE, start, "systems.yaml must be a mapping")
                    .with_suggestion(SHAPE),
            );
            Vec::new()
        }
    };
    let ranges = item_ranges(text, "systems");
    let mut list: Vec<System> = Vec::with_capacity(items.len());
    let mut first: HashMap<DocKey, (String, usize)> = HashMap::new();
    for (k, item) in items.iter().enumerate() {
        let range = ranges.get(k).cloned().unwrap_or(0..0);
        let reader = Entry {
            lines: &lines,
            path,
            text,
            range: &range,
            number: k + 1,
        };
        let Value::Mapping(m) = item else {
            diags.push(
                Diagnostic::error(
                    code::SYSTEMS_FILE,
                    reader.at("id"),
                    format!("system {} in systems.yaml is not a mapping", k + 1),
                )
                .with_suggestion(SHAPE),
            );
            continue;
        };
        let Some(system) = reader.system(m, diags) else {
            continue;
        };
        let key = system.id.key();
        if let Some((other, line)) = first.get(&key) {
            diags.push(
                Diagnostic::error(
                    code::DUPLICATE_SYSTEM,
                    system.span.clone(),
                    format!(
                        "system id `{}` is already used by `{other}` at line {line}",
                        system.id
                    ),
                )
                .with_suggestion("give every system its own id; ids are compared ignoring case"),
            );
            continue;
        }
        first.insert(key, (system.id.to_string(), system.span.line));
        list.push(system);
    }
    Some(Systems::new(list))
}

/// One item of `systems:`, for reading its fields and placing their diagnostics.
struct Entry<'a> {
    lines: &'a LineIndex<'a>,
    path: &'a Path,
    text: &'a str,
    range: &'a std::ops::Range<usize>,
    /// 1-based position in the list.
    number: usize,
}

impl Entry<'_> {
    /// The span of `key`'s value in this item.
    fn at(&self, key: &str) -> Span {
        key_in(self.lines, self.path, self.text, self.range, key)
    }

    fn error(&self, code: Code, key: &str, message: String, hint: String) -> Diagnostic {
        Diagnostic::error(code, self.at(key), message).with_suggestion(hint)
    }

    /// Reads one system; `None` (reported) without a usable `id` and `name`.
    fn system(&self, m: &Mapping, diags: &mut Vec<Diagnostic>) -> Option<System> {
        for k in m.keys() {
            match k.as_str() {
                Some(name) if SystemField::parse(name).is_some() => {}
                name => {
                    let name = name.unwrap_or("?");
                    diags.push(
                        Diagnostic::warning(
                            code::UNKNOWN_SYSTEM_KEY,
                            self.at(name),
                            format!("unknown key `{name}` of a system in systems.yaml"),
                        )
                        .with_suggestion(
                            did_you_mean(name, SystemField::NAMES.iter().copied()).unwrap_or_else(
                                || format!("known keys are: {}", SystemField::NAMES.join(", ")),
                            ),
                        ),
                    );
                }
            }
        }
        let get = |f: SystemField| m.get(f.as_str()).filter(|v| !matches!(v, Value::Null));
        let id = match text_of(get(SystemField::Id)) {
            None => {
                diags.push(
                    Diagnostic::error(
                        code::SYSTEMS_FILE,
                        self.lines
                            .span(self.path, self.range.start..self.range.start),
                        format!("system {} in systems.yaml has no `id`", self.number),
                    )
                    .with_suggestion("add `id: AIS-01` (letters, digits, `.`, `_`, `-`)"),
                );
                None
            }
            Some(s) if s.eq_ignore_ascii_case("index") => {
                diags.push(self.error(
                    code::INVALID_SYSTEM_VALUE,
                    "id",
                    format!("system id `{s}` is taken by the page listing every system"),
                    "choose another id, for example `AIS-01`".into(),
                ));
                None
            }
            Some(s) => {
                match SystemId::parse(&s) {
                    Some(id) => Some(id),
                    None => {
                        diags.push(self.error(
                        code::INVALID_SYSTEM_VALUE,
                        "id",
                        format!("system id `{s}` may contain only letters, digits, `.`, `_` and `-`"),
                        "for example `AIS-01`".into(),
                    ));
                        None
                    }
                }
            }
        };
        let name = text_of(get(SystemField::Name)).filter(|n| !n.trim().is_empty());
        if name.is_none() {
            diags.push(self.error(
                code::SYSTEMS_FILE,
                if m.contains_key("name") { "name" } else { "id" },
                format!(
                    "system {} in systems.yaml has no `name`",
                    id.as_ref().map_or(self.number.to_string(), |i| format!("`{i}`"))
                ),
                "add `name: ...`, the name readers know the system by".into(),
            ));
        }
        let string = |f: SystemField, diags: &mut Vec<Diagnostic>| -> Option<String> {
            let v = get(f)?;
            let s = text_of(Some(v));
            if s.is_none() {
                diags.push(self.error(
                    code::INVALID_SYSTEM_VALUE,
                    f.as_str(),
                    format!("`{f}` of a system must be text"),
                    format!("write `{f}: ...` on one line, or quote it"),
                ));
            }
            s
        };
        let description = string(SystemField::Description, diags);
        let owner = string(SystemField::Owner, diags);
        let in_scope = match get(SystemField::InScope) {
            None => true,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                diags.push(self.error(
                    code::INVALID_SYSTEM_VALUE,
                    "in_scope",
                    "`in_scope` of a system must be true or false".into(),
                    "write `in_scope: true` or `in_scope: false`".into(),
                ));
                true
            }
        };
        let general_purpose = match get(SystemField::GeneralPurpose) {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                diags.push(self.error(
                    code::INVALID_SYSTEM_VALUE,
                    "general_purpose",
                    "`general_purpose` of a system must be true or false".into(),
                    "write `general_purpose: true` for a general-purpose AI system or model".into(),
                ));
                false
            }
        };
        let roles = self.list(get(SystemField::Role), SystemField::Role, diags);
        let roles: Vec<Role> = roles
            .iter()
            .filter_map(|r| self.choice(SystemField::Role, r, Role::parse, Role::NAMES, diags))
            .collect();
        let stage = string(SystemField::Stage, diags)
            .and_then(|s| self.choice(SystemField::Stage, &s, Stage::parse, Stage::NAMES, diags));
        let risk_class = string(SystemField::RiskClass, diags).and_then(|s| {
            self.choice(
                SystemField::RiskClass,
                &s,
                RiskClass::parse,
                RiskClass::NAMES,
                diags,
            )
        });
        let third_parties = self.list(
            get(SystemField::ThirdParties),
            SystemField::ThirdParties,
            diags,
        );
        let since = self.date(get(SystemField::Since), SystemField::Since, diags);
        let retired = self.date(get(SystemField::Retired), SystemField::Retired, diags);
        if let (Some(s), Some(r)) = (since, retired) {
            if r < s {
                diags.push(self.error(
                    code::INVALID_SYSTEM_VALUE,
                    "retired",
                    format!("`retired: {r}` is before `since: {s}`"),
                    "check both dates".into(),
                ));
            }
        }
        Some(System {
            span: self.at("id"),
            id: id?,
            name: name?,
            description,
            owner,
            in_scope,
            roles,
            stage,
            risk_class,
            general_purpose,
            third_parties,
            since,
            retired,
        })
    }

    /// A list of texts (or one text).
    fn list(&self, v: Option<&Value>, f: SystemField, diags: &mut Vec<Diagnostic>) -> Vec<String> {
        let items: Vec<&Value> = match v {
            None => return Vec::new(),
            Some(Value::Sequence(items)) => items.iter().collect(),
            Some(one) => vec![one],
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match text_of(Some(item)) {
                Some(s) => out.push(s),
                None => diags.push(self.error(
                    code::INVALID_SYSTEM_VALUE,
                    f.as_str(),
                    format!("`{f}` of a system must be a list of texts"),
                    format!("write `{f}: [a, b]`"),
                )),
            }
        }
        out
    }

    /// One of an enum's spellings; an error with a did-you-mean otherwise.
    fn choice<T>(
        &self,
        f: SystemField,
        written: &str,
        parse: fn(&str) -> Option<T>,
        names: &[&str],
        diags: &mut Vec<Diagnostic>,
    ) -> Option<T> {
        let found = parse(written);
        if found.is_none() {
            diags.push(
                self.error(
                    code::INVALID_SYSTEM_VALUE,
                    f.as_str(),
                    format!(
                        "`{f}: {written}` is not allowed; use one of {}",
                        names.join(" | ")
                    ),
                    did_you_mean(written, names.iter().copied())
                        .unwrap_or_else(|| format!("`{f}` is one of {}", names.join(", "))),
                ),
            );
        }
        found
    }

    /// A date written YYYY-MM-DD.
    fn date(&self, v: Option<&Value>, f: SystemField, diags: &mut Vec<Diagnostic>) -> Option<Date> {
        let written = text_of(Some(v?)).unwrap_or_default();
        let d = Date::parse(&written);
        if d.is_none() {
            diags.push(self.error(
                code::INVALID_SYSTEM_VALUE,
                f.as_str(),
                format!("`{f}: {written}` is not a date"),
                format!("write `{f}: 2026-03-01` (YYYY-MM-DD, a day that exists)"),
            ));
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Systems, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let s = parse(Some(text), &mut d).unwrap();
        (s, d)
    }

    #[test]
    fn a_full_system_reads_cleanly() {
        let (s, d) = run("systems:\n  - id: AIS-01\n    name: Scoring\n    description: Scores\n    owner: CDO\n    in_scope: true\n    role: [provider, deployer]\n    stage: operation-and-monitoring\n    risk_class: high-risk\n    general_purpose: false\n    third_parties: [Acme]\n    since: 2024-01-01\n    retired: 2026-01-01\n");
        assert!(d.is_empty(), "{d:?}");
        let sys = &s.list[0];
        assert_eq!(sys.roles, [Role::Provider, Role::Deployer]);
        assert_eq!(sys.risk_class, Some(RiskClass::HighRisk));
        assert_eq!(sys.span.line, 2);
        assert_eq!(s.get("AIS-01").map(|s| s.name.as_str()), Some("Scoring"));
    }

    #[test]
    fn every_problem_is_reported_at_its_line() {
        let (s, d) = run("systems:\n  - id: A\n    name: A\n    risk_class: hihg-risk\n    rol: provider\n    since: 2024-13-01\n  - id: a\n    name: again\n  - name: no id\n  - id: B\n");
        let found: Vec<(usize, &str)> = d.iter().map(|d| (d.span.line, d.code.name)).collect();
        assert_eq!(
            found,
            [
                (5, "unknown-system-key"),
                (4, "invalid-system-value"),
                (6, "invalid-system-value"),
                (7, "duplicate-system"),
                (9, "invalid-systems"),
                (10, "invalid-systems"),
            ]
        );
        assert_eq!(d[1].suggestion.as_deref(), Some("did you mean high-risk?"));
        assert_eq!(d[0].suggestion.as_deref(), Some("did you mean role?"));
        assert_eq!(s.list.len(), 1);
        let (_, d) = run("systems:\n  - id: Index\n    name: X\n");
        assert_eq!(
            d[0].message,
            "system id `Index` is taken by the page listing every system"
        );
    }

    #[test]
    fn no_file_is_no_inventory_and_bad_yaml_an_empty_one() {
        let mut d = Vec::new();
        assert!(parse(None, &mut d).is_none());
        let s = parse(Some("systems: [oops\n"), &mut d).unwrap();
        assert!(s.list.is_empty());
        assert_eq!(d[0].code, code::SYSTEMS_FILE);
    }

    #[test]
    fn odd_inputs_give_diagnostics_inside_the_file() {
        for text in [
            "systems:\n  - \n  - 7\n  - id: [a]\n    name: {x: 1}\n",
            "systems:\r\n  - id: é\r\n    name: ü\r\n    role: [provider, {a: b}]\r\n",
            "systems: 3\nother: x\n",
            "- id: A\n",
            "systems:\n- id: A\n  name: B\n  since: 2024-02-30\n  retired: 2023-01-01\n",
            "\u{feff}systems:\n  - id: A\n    name: B\n    third_parties: {a: 1}\n",
        ] {
            assert_eq!(crate::fuzzing::systems(text.as_bytes()), Ok(()), "{text:?}");
        }
    }
}
