//! A comply standard (`standards/*.yml`: `name`, then each criterion id mapped to
//! `{family, name, description}`) as an aimsdoc framework catalog
//! (`framework: {id, name}` and `entries: [{id, kind, parent, title, summary}]`): each family
//! becomes an entry of kind `family`, each criterion an entry of kind `control` under it.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;
use serde_yaml::Value;

use super::source::{key_at, mapping, scalar};
use crate::diagnostics::{code, Diagnostic, LineIndex};

/// A standard read from comply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Standard {
    /// The name documents use in `satisfies` (the standard's `name`).
    pub(crate) name: String,
    /// The framework id it gets in aimsdoc.
    pub(crate) id: String,
    /// The catalog's YAML text.
    pub(crate) catalog: String,
    /// How many criteria it has.
    pub(crate) criteria: usize,
}

#[derive(Serialize)]
struct Catalog<'a> {
    framework: Head<'a>,
    entries: Vec<Entry>,
}

#[derive(Serialize)]
struct Head<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct Entry {
    id: String,
    kind: &'static str,
    parent: Option<String>,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
}

/// A framework id from a standard's name: lowercase letters and digits, other runs of
/// characters one `-` (`TSC` → `tsc`, `NIST 800-53` → `nist-800-53`).
pub(crate) fn framework_id(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-');
    if s.is_empty() {
        "standard".to_string()
    } else {
        s.to_string()
    }
}

/// Reads the standard in `text` (the file `rel`); `taken` holds the framework ids already
/// given, and gets this one. Problems go to `diags`; `None` when nothing could be read.
pub(crate) fn read(
    rel: &Path,
    text: &str,
    taken: &mut BTreeSet<String>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Standard> {
    let lines = LineIndex::new(text);
    let map = mapping(rel, &lines, text, 0, "the standard", diags)?;
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match map.get("name").and_then(scalar) {
        Some(n) if !n.trim().is_empty() => n,
        _ => {
            diags.push(
                Diagnostic::warning(
                    code::NOT_IMPORTED,
                    lines.span(rel, 0..0),
                    format!("the standard has no `name`; it is named `{stem}` after its file"),
                )
                .with_suggestion("documents name a standard in `satisfies` by its `name`"),
            );
            stem.clone()
        }
    };
    let wanted = framework_id(&name);
    let mut id = wanted.clone();
    let mut n = 2;
    while !taken.insert(id.clone()) {
        id = format!("{wanted}-{n}");
        n += 1;
    }
    if id != wanted {
        diags.push(Diagnostic::warning(
            code::IMPORT_ID_CHANGED,
            lines.span(rel, key_at(text, 0, "name")),
            format!("another standard already has the framework id `{wanted}`; this one is `{id}`"),
        ));
    }
    let ids: BTreeSet<String> = map.keys().filter_map(scalar).collect();
    let mut families: BTreeSet<String> = BTreeSet::new();
    let mut entries = Vec::new();
    let mut criteria = 0;
    for (k, v) in &map {
        let Some(key) = scalar(k) else { continue };
        if key == "name" {
            continue;
        }
        let at = lines.span(rel, key_at(text, 0, &key));
        let Value::Mapping(c) = v else {
            diags.push(
                Diagnostic::warning(
                    code::NOT_IMPORTED,
                    at,
                    format!(
                        "`{key}` is not a criterion (`family`, `name`, `description`); left out"
                    ),
                )
                .with_suggestion(
                    "write the criterion as a mapping with `name:` and `family:` below it",
                ),
            );
            continue;
        };
        let family = c
            .get("family")
            .and_then(scalar)
            .filter(|f| !f.trim().is_empty());
        if let Some(f) = &family {
            if !ids.contains(f) && families.insert(f.clone()) {
                entries.push(Entry {
                    id: f.clone(),
                    kind: "family",
                    parent: None,
                    title: f.clone(),
                    summary: None,
                });
            }
        }
        let title = c
            .get("name")
            .and_then(scalar)
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| key.clone());
        entries.push(Entry {
            id: key,
            kind: "control",
            parent: family,
            title,
            summary: c.get("description").and_then(scalar),
        });
        criteria += 1;
    }
    let body = serde_yaml::to_string(&Catalog {
        framework: Head {
            id: &id,
            name: &name,
        },
        entries,
    })
    .unwrap_or_default();
    let catalog = format!(
        "# Imported by `aimsdoc import comply` from {}.\n{body}",
        rel.display()
    );
    Some(Standard {
        name,
        id,
        catalog,
        criteria,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framework_ids_from_names() {
        assert_eq!(framework_id("TSC"), "tsc");
        assert_eq!(framework_id("NIST SP 800-53 (r5)"), "nist-sp-800-53-r5");
        assert_eq!(framework_id("--"), "standard");
    }

    #[test]
    fn criteria_become_entries_under_their_families() {
        let text = "name: TSC\nCC1.1:\n  family: CC1\n  name: Integrity\n  description: D\nCC1.2:\n  family: CC1\nX: 3\n";
        let mut taken = BTreeSet::new();
        let mut diags = Vec::new();
        let s = read(Path::new("standards/TSC.yml"), text, &mut taken, &mut diags).unwrap();
        assert_eq!((s.id.as_str(), s.criteria), ("tsc", 2));
        let v: Value = serde_yaml::from_str(&s.catalog).unwrap();
        let ids: Vec<&str> = v["entries"]
            .as_sequence()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["CC1", "CC1.1", "CC1.2"]);
        assert_eq!(v["entries"][2]["title"].as_str(), Some("CC1.2"));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].span.line, 8);
    }
}
