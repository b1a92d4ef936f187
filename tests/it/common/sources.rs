//! The sources of an AIMS and the embedded catalog, read independently of aimsdoc.

use std::path::Path;

use super::files::tree;
use super::run::repo;

/// Splits a Markdown file into its YAML front matter and body (with the body's byte offset).
pub(crate) fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let l = line.trim_end();
        if l == "---" || l == "..." {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// One source document of an AIMS, read independently of aimsdoc.
#[derive(Debug, Clone)]
pub(crate) struct SourceDoc {
    /// Path relative to the root, `/`-separated.
    pub path: String,
    /// The front matter.
    pub meta: serde_yaml::Mapping,
    /// The Markdown body.
    pub body: String,
}

impl SourceDoc {
    /// A string field.
    pub(crate) fn str(&self, key: &str) -> Option<String> {
        match self.meta.get(key)? {
            serde_yaml::Value::String(s) => Some(s.clone()),
            serde_yaml::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// The id.
    pub(crate) fn id(&self) -> String {
        self.str("id").expect("document has an id")
    }

    /// Ids listed under `controls` or `clauses` (strings or `{id, note}` mappings).
    pub(crate) fn refs(&self, key: &str) -> Vec<String> {
        let items = match self.meta.get(key) {
            None | Some(serde_yaml::Value::Null) => return Vec::new(),
            Some(serde_yaml::Value::Sequence(s)) => s.clone(),
            Some(other) => vec![other.clone()],
        };
        items
            .iter()
            .map(|i| match i {
                serde_yaml::Value::String(s) => s.clone(),
                serde_yaml::Value::Mapping(m) => m
                    .get("id")
                    .and_then(|v| v.as_str())
                    .expect("mapping item has an id")
                    .to_string(),
                other => panic!("unexpected item {other:?}"),
            })
            .collect()
    }

    /// Ids listed under a plain string list (`related`, `tags`).
    pub(crate) fn list(&self, key: &str) -> Vec<String> {
        match self.meta.get(key) {
            Some(serde_yaml::Value::Sequence(s)) => s
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            Some(serde_yaml::Value::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        }
    }

    /// The status (`draft` when absent).
    pub(crate) fn status(&self) -> String {
        self.str("status").unwrap_or_else(|| "draft".into())
    }
}

/// Reads every `.md` document (with front matter) below `root`, skipping hidden and `_`
/// paths, sorted by path.
pub(crate) fn source_docs(root: &Path) -> Vec<SourceDoc> {
    let mut out = Vec::new();
    for (rel, bytes) in tree(root) {
        if !rel.ends_with(".md")
            || rel
                .split('/')
                .any(|p| p.starts_with('.') || p.starts_with('_'))
        {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        let Some((yaml, body)) = split_front_matter(&text) else {
            continue;
        };
        let meta: serde_yaml::Mapping = serde_yaml::from_str(yaml).unwrap();
        out.push(SourceDoc {
            path: rel,
            meta,
            body: body.to_string(),
        });
    }
    out
}

/// One entry of the embedded catalog, read from `catalogs/iso42001/catalog.yaml`.
#[derive(Debug, Clone)]
pub(crate) struct CatalogEntry {
    /// Id.
    pub id: String,
    /// `clause`, `objective`, `group`, `control`.
    pub kind: String,
    /// Parent id.
    pub parent: Option<String>,
    /// Title.
    pub title: String,
}

/// The catalog entries in file order.
pub(crate) fn catalog() -> Vec<CatalogEntry> {
    let text = std::fs::read_to_string(repo().join("catalogs/iso42001/catalog.yaml")).unwrap();
    let v: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    v["entries"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|e| CatalogEntry {
            id: e["id"].as_str().unwrap().to_string(),
            kind: e["kind"].as_str().unwrap().to_string(),
            parent: e["parent"].as_str().map(str::to_string),
            title: e["title"].as_str().unwrap().to_string(),
        })
        .collect()
}
