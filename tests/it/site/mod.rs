//! The built site: every link resolves, the pages show what the sources say, and
//! `coverage.json` / `soa.csv` equal what the front matter and `soa.yaml` imply (computed
//! here independently of aimsdoc). This module holds that independent model of the sources.

mod coverage;
mod implementation;
mod links;
mod pages;
mod print;
mod theme;

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::*;
use serde_yaml::Value;
use tempfile::TempDir;

/// Builds `root` into a fresh temporary folder; the build must succeed.
fn built(root: &Path) -> (TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(root, &out).expect_code(0);
    (tmp, out)
}

// Independent model of the sample: what the coverage must be.

const RANKS: [&str; 5] = ["gap", "draft", "overdue", "partial", "covered"];

fn rank(state: &str) -> usize {
    RANKS.iter().position(|s| *s == state).unwrap()
}

/// What one document contributes today (`None` when retired).
fn contribution(d: &SourceDoc) -> Option<&'static str> {
    let status = d.status();
    match status.as_str() {
        "retired" => None,
        "draft" | "in-review" => Some("draft"),
        "approved" => {
            // ISO dates compare correctly as text.
            if d.str("effective").is_some_and(|e| e.as_str() > TODAY) {
                Some("draft")
            } else if d.str("review").is_some_and(|r| r.as_str() < TODAY) {
                Some("overdue")
            } else {
                Some("covered")
            }
        }
        other => panic!("unexpected status {other}"),
    }
}

fn is_overdue(d: &SourceDoc) -> bool {
    d.status() == "approved" && d.str("review").is_some_and(|r| r.as_str() < TODAY)
}

/// One SoA decision as written in soa.yaml.
#[derive(Debug, Clone, Default)]
struct Decision {
    applicable: Option<bool>,
    justification: Option<String>,
    implementation: Option<String>,
    owner: Option<String>,
    evidence: Option<String>,
}

fn soa_decisions(root: &Path) -> BTreeMap<String, Decision> {
    let text = std::fs::read_to_string(root.join("soa.yaml")).unwrap();
    let v: Value = serde_yaml::from_str(&text).unwrap();
    let mut out = BTreeMap::new();
    for (k, v) in v["controls"].as_mapping().unwrap() {
        out.insert(
            k.as_str().unwrap().to_string(),
            Decision {
                applicable: v.get("applicable").and_then(Value::as_bool),
                justification: v
                    .get("justification")
                    .and_then(Value::as_str)
                    .map(|s| s.trim().to_string()),
                implementation: v
                    .get("implementation")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                owner: v.get("owner").and_then(Value::as_str).map(str::to_string),
                evidence: v
                    .get("evidence")
                    .and_then(Value::as_str)
                    .map(|s| s.trim().to_string()),
            },
        );
    }
    out
}

/// What one item of required documented information must show.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RequiredModel {
    id: String,
    clause: String,
    kind: String,
    state: String,
    documents: BTreeSet<String>,
}

/// Expected state and declaring documents of every control and clause.
struct Model {
    docs: Vec<SourceDoc>,
    catalog: Vec<CatalogEntry>,
    soa: BTreeMap<String, Decision>,
    state: BTreeMap<String, String>,
    declared_by: BTreeMap<String, BTreeSet<String>>,
}

impl Model {
    fn of(root: &Path) -> Model {
        let docs = source_docs(root);
        let catalog = catalog();
        let soa = soa_decisions(root);
        let ids: BTreeSet<&str> = catalog.iter().map(|e| e.id.as_str()).collect();
        let mut declared_by: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for d in &docs {
            for key in ["controls", "clauses"] {
                for id in d.refs(key) {
                    assert!(
                        ids.contains(id.as_str()),
                        "{}: {id} is not canonical",
                        d.path
                    );
                    declared_by.entry(id).or_default().insert(d.id());
                }
            }
        }
        let by_id: BTreeMap<String, &SourceDoc> = docs.iter().map(|d| (d.id(), d)).collect();
        let direct = |id: &str| -> String {
            declared_by
                .get(id)
                .into_iter()
                .flatten()
                .filter_map(|d| contribution(by_id[d]))
                .max_by_key(|s| rank(s))
                .unwrap_or("gap")
                .to_string()
        };
        // With systems.yaml, covered needs every system's record (see common::systems).
        let systems = systems_model(root);
        let direct = |id: &str| -> String {
            match direct(id) {
                s if s == "covered" && systems.lacking(id) => "partial".to_string(),
                s => s,
            }
        };
        let mut state = BTreeMap::new();
        for e in catalog.iter().filter(|e| e.kind == "control") {
            let decision = soa.get(&e.id);
            let excluded = decision.and_then(|d| d.applicable) == Some(false);
            let unfinished = matches!(
                decision.and_then(|d| d.implementation.as_deref()),
                Some("partial" | "planned")
            );
            let s = if excluded {
                "excluded".to_string()
            } else {
                // Documented in force but only partly implemented or planned: partial.
                match direct(&e.id) {
                    s if s == "covered" && unfinished => "partial".to_string(),
                    s => s,
                }
            };
            state.insert(e.id.clone(), s);
        }
        // Clauses: deepest first, so sub-clauses are known before their parents.
        let mut clauses: Vec<&CatalogEntry> =
            catalog.iter().filter(|e| e.kind == "clause").collect();
        clauses.sort_by_key(|e| std::cmp::Reverse(e.id.matches('.').count()));
        for e in clauses {
            let children: Vec<&String> = catalog
                .iter()
                .filter(|c| c.kind == "clause" && c.parent.as_deref() == Some(e.id.as_str()))
                .map(|c| &state[&c.id])
                .collect();
            let s = match children.iter().min_by_key(|s| rank(s)) {
                Some(worst) => (*worst).clone(),
                None => direct(&e.id),
            };
            state.insert(e.id.clone(), s);
        }
        Model {
            docs,
            catalog,
            soa,
            state,
            declared_by,
        }
    }

    /// What each item of required documented information must show, in the reference
    /// data's order: a record item only counts records and registers (else `process-only`
    /// when other documents address its clause); the SoA is met by soa.yaml deciding on every
    /// control.
    fn required(&self) -> Vec<RequiredModel> {
        let text =
            std::fs::read_to_string(repo().join("catalogs/iso42001/mandatory-documents.yaml"))
                .unwrap();
        let v: Value = serde_yaml::from_str(&text).unwrap();
        let controls = self.catalog.iter().filter(|e| e.kind == "control");
        let undecided = controls.filter(|e| !self.soa.contains_key(&e.id)).count();
        v["documents"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|item| {
                let field = |k: &str| item[k].as_str().unwrap().to_string();
                let (id, clause, kind) = (field("id"), field("clause"), field("kind"));
                if id == "statement-of-applicability" {
                    let state = if undecided == 0 { "covered" } else { "draft" };
                    return RequiredModel {
                        id,
                        clause,
                        kind,
                        state: state.into(),
                        documents: BTreeSet::new(),
                    };
                }
                let live: BTreeSet<String> = self
                    .declared(&clause)
                    .into_iter()
                    .filter(|d| contribution(self.doc(d)).is_some())
                    .collect();
                let documents: BTreeSet<String> = if kind == "record" {
                    live.iter()
                        .filter(|d| {
                            matches!(
                                self.doc(d).str("type").as_deref(),
                                Some("record" | "register")
                            )
                        })
                        .cloned()
                        .collect()
                } else {
                    live.clone()
                };
                let best = documents
                    .iter()
                    .filter_map(|d| contribution(self.doc(d)))
                    .max_by_key(|s| rank(s));
                let state = match best {
                    Some(s) => s,
                    None if !live.is_empty() => "process-only",
                    None => "gap",
                };
                RequiredModel {
                    id,
                    clause,
                    kind,
                    state: state.into(),
                    documents,
                }
            })
            .collect()
    }

    fn declared(&self, id: &str) -> BTreeSet<String> {
        self.declared_by.get(id).cloned().unwrap_or_default()
    }

    fn title(&self, id: &str) -> &str {
        &self.catalog.iter().find(|e| e.id == id).unwrap().title
    }

    fn doc(&self, id: &str) -> &SourceDoc {
        self.docs.iter().find(|d| d.id() == id).unwrap()
    }

    /// A justification or evidence of soa.yaml as plain text, as soa.csv holds it: each
    /// `[[ID]]` as "Title (ID)" for a document, the id for a control or clause, the text of
    /// `[[ID|text]]` as written.
    fn plain(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(i) = rest.find("[[") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            let j = after.find("]]").expect("a closed reference");
            let inner = &after[..j];
            let (target, label) = match inner.split_once('|') {
                Some((t, l)) => (t, Some(l)),
                None => (inner, None),
            };
            let id = target.split('#').next().unwrap().trim();
            match (label, self.docs.iter().find(|d| d.id() == id)) {
                (Some(l), _) => out.push_str(l.trim()),
                (None, Some(d)) => out.push_str(&format!("{} ({id})", d.str("title").unwrap())),
                (None, None) => out.push_str(id),
            }
            rest = &after[j + 2..];
        }
        out.push_str(rest);
        out
    }

    fn is_leaf_clause(&self, id: &str) -> bool {
        !self
            .catalog
            .iter()
            .any(|c| c.kind == "clause" && c.parent.as_deref() == Some(id))
    }

    /// Documents referring to `target` in their body (`[[ID…]]` or a relative link to its
    /// file) or in `related`, excluding itself.
    fn referenced_by(&self, target: &SourceDoc) -> BTreeSet<String> {
        let tid = target.id();
        let mut out = BTreeSet::new();
        for d in &self.docs {
            if d.id() == tid {
                continue;
            }
            let wiki = wiki_targets(&d.body).contains(&tid);
            let rel = relative_md_targets(&d.path, &d.body).contains(&target.path);
            let related = d.list("related").contains(&tid);
            if wiki || rel || related {
                out.insert(d.id());
            }
        }
        out
    }
}

/// The ids of every `[[ID]]`, `[[ID|text]]`, `[[ID#anchor]]` in a body.
fn wiki_targets(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find("[[") {
        rest = &rest[i + 2..];
        let Some(end) = rest.find("]]") else { break };
        let inner = &rest[..end];
        let id = inner
            .split('|')
            .next()
            .unwrap()
            .split('#')
            .next()
            .unwrap()
            .trim();
        out.push(id.to_string());
        rest = &rest[end + 2..];
    }
    out
}

/// Root-relative paths of `.md` files linked as `](path.md…)` from the document at `path`.
fn relative_md_targets(path: &str, body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find("](") {
        rest = &rest[i + 2..];
        let Some(end) = rest.find(')') else { break };
        let dest = rest[..end].split('#').next().unwrap();
        if dest.ends_with(".md") && !is_external(dest) {
            if let Some(p) = resolve_href(path, dest) {
                out.push(p);
            }
        }
        rest = &rest[end..];
    }
    out
}

// Links and self-containment.

/// Every control and clause page shows its title, state and implementing documents.
fn assert_catalog_pages(out: &Path, m: &Model) {
    for e in m
        .catalog
        .iter()
        .filter(|e| e.kind == "control" || e.kind == "clause")
    {
        let dir = if e.kind == "control" {
            "controls"
        } else {
            "clauses"
        };
        let p = page(out, &format!("{dir}/{}.html", e.id));
        assert_eq!(texts(&p, "h1"), vec![format!("{} {}", e.id, e.title)]);
        let impl_ids: BTreeSet<String> = p
            .select(&sel("#implemented-by td a"))
            .map(|a| text_of(a).split(' ').next().unwrap().to_string())
            .collect();
        assert_eq!(impl_ids, m.declared(&e.id), "implemented by of {}", e.id);
        assert_eq!(
            texts(&p, ".entry-state .state"),
            vec![m.state[&e.id].clone()],
            "{}",
            e.id
        );
    }
}
