//! The AI systems of an AIMS as the README states the rules, computed from `systems.yaml`
//! and the front matter alone: each system's expected records and their states, and per
//! clause or control the systems that need a record for it and those that lack one.

use std::collections::BTreeMap;
use std::path::Path;

use super::run::TODAY;
use super::sources::{source_docs, SourceDoc};

/// An expectation: id, addresses, risk classes, roles.
pub(crate) type ExpectationRow = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

/// One expected record of one system: expectation id, state, documents.
pub(crate) type EvidenceRow = (String, String, Vec<String>);

/// The default expectations as the README lists them.
pub(crate) const EXPECTATIONS: &[ExpectationRow] = &[
    ("risk-assessment", &["8.2", "6.1.2"], &[], &[]),
    (
        "impact-assessment",
        &["8.4", "6.1.4", "A.5.3", "A.5.4", "A.5.5"],
        &[],
        &[],
    ),
    (
        "technical-documentation",
        &["A.6.2.7"],
        &["high-risk"],
        &["provider"],
    ),
    ("event-logs", &["A.6.2.8"], &["high-risk"], &["provider"]),
    (
        "fundamental-rights",
        &["A.5.4", "A.5.5"],
        &["high-risk"],
        &["deployer"],
    ),
];

/// One system: id, name, and per expectation that applies (expect, state, documents).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SystemModel {
    pub id: String,
    pub name: String,
    pub evidence: Vec<EvidenceRow>,
}

/// The systems of an AIMS (empty without `systems.yaml`), and per clause or control the
/// systems needing a record for it and those lacking one.
#[derive(Debug, Default)]
pub(crate) struct SystemsModel {
    pub systems: Vec<SystemModel>,
    pub shares: BTreeMap<String, (Vec<String>, Vec<String>)>,
}

impl SystemsModel {
    /// Whether some system lacks a record for `id`.
    pub(crate) fn lacking(&self, id: &str) -> bool {
        self.shares.get(id).is_some_and(|(_, l)| !l.is_empty())
    }

    /// The system with this id.
    pub(crate) fn get(&self, id: &str) -> Option<&SystemModel> {
        self.systems.iter().find(|s| s.id == id)
    }
}

fn list(v: Option<&serde_yaml::Value>) -> Vec<String> {
    match v {
        Some(serde_yaml::Value::Sequence(s)) => s
            .iter()
            .filter_map(|x| x.as_str().map(String::from))
            .collect(),
        Some(serde_yaml::Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// 0 missing, 1 unapproved, 2 stale, 3 met: how `d` counts as a record.
fn standing(d: &SourceDoc) -> usize {
    let approved = d.status() == "approved";
    let in_force = d.str("effective").is_none_or(|e| e.as_str() <= TODAY);
    if !approved || !in_force {
        1
    } else if d.str("review").is_some_and(|r| r.as_str() < TODAY) {
        2
    } else {
        3
    }
}

/// The model of the AIMS at `root`.
pub(crate) fn systems_model(root: &Path) -> SystemsModel {
    let mut out = SystemsModel::default();
    let Ok(text) = std::fs::read_to_string(root.join("systems.yaml")) else {
        return out;
    };
    let inv: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let docs = source_docs(root);
    let records: Vec<&SourceDoc> = docs
        .iter()
        .filter(|d| {
            matches!(d.str("type").as_deref(), Some("record" | "register"))
                && d.status() != "retired"
        })
        .collect();
    for s in inv["systems"].as_sequence().unwrap() {
        let id = s["id"].as_str().unwrap().to_string();
        let in_scope = s.get("in_scope").and_then(|v| v.as_bool()).unwrap_or(true);
        let retired = s
            .get("retired")
            .and_then(|v| v.as_str())
            .is_some_and(|d| d <= TODAY)
            || s.get("stage").and_then(|v| v.as_str()) == Some("retirement");
        let class = s.get("risk_class").and_then(|v| v.as_str()).unwrap_or("");
        let roles = list(s.get("role"));
        let mine: Vec<&&SourceDoc> = records
            .iter()
            .filter(|d| list(d.meta.get("systems")).contains(&id))
            .collect();
        let addresses = |d: &SourceDoc, ids: &[&str]| {
            d.refs("clauses")
                .iter()
                .chain(&d.refs("controls"))
                .any(|c| ids.contains(&c.as_str()))
        };
        let mut evidence = Vec::new();
        if in_scope && !retired {
            for (expect, ids, classes, want_roles) in EXPECTATIONS {
                let applies = (classes.is_empty() || classes.contains(&class))
                    && (want_roles.is_empty()
                        || roles.iter().any(|r| want_roles.contains(&r.as_str())));
                if !applies {
                    continue;
                }
                let found: Vec<&&&SourceDoc> = mine.iter().filter(|d| addresses(d, ids)).collect();
                let best = found.iter().map(|d| standing(d)).max().unwrap_or(0);
                let mut documents: Vec<String> = found.iter().map(|d| d.id()).collect();
                documents.sort();
                let state = ["missing", "unapproved", "stale", "met"][best];
                evidence.push((expect.to_string(), state.to_string(), documents));
                for cat in *ids {
                    let share = out.shares.entry(cat.to_string()).or_default();
                    if share.0.contains(&id) {
                        continue;
                    }
                    share.0.push(id.clone());
                    let met = mine
                        .iter()
                        .any(|d| standing(d) == 3 && addresses(d, &[cat]));
                    if !met {
                        share.1.push(id.clone());
                    }
                }
            }
        }
        out.systems.push(SystemModel {
            id,
            name: s["name"].as_str().unwrap().to_string(),
            evidence,
        });
    }
    out
}
