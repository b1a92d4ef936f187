//! Reading crosswalks: the built-in ones for enabled built-in frameworks and every
//! `crosswalks/<framework>.yaml` of the AIMS (a team's own, which takes the place of a
//! built-in one for the same framework). The format is the shipped one:
//! `framework: {id, name}`, `confidence`, `source`, and `mappings: [{iso, targets}]` (a row
//! may carry its own `confidence`). Every problem — YAML that does not parse, a missing field,
//! an ISO/IEC 42001 id that is no clause or control, a target the framework's catalog does
//! not have — is a diagnostic at its line, over all crosswalks.

use std::path::{Path, PathBuf};

use serde_yaml::Value;

use super::frameworks::{item_ranges, key_in, text_of};
use super::source::Source;
use crate::diagnostics::{code, did_you_mean, nearest, Diagnostic, LineIndex, Span};
use crate::model::catalog::{Catalog, EntryKind};
use crate::model::crosswalk::{Crosswalk, Mapping, BUILT_IN, CROSSWALKS_DIR};
use crate::model::framework::{Framework, Frameworks};

/// The crosswalks of the enabled frameworks: a team's own (every one in `files` is read and
/// checked) before a built-in one, which applies only to a built-in catalog.
pub fn load(
    source: &dyn Source,
    files: &[PathBuf],
    frameworks: &Frameworks,
    catalog: &Catalog,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Crosswalk> {
    let mut out: Vec<Crosswalk> = Vec::new();
    for path in files.iter().filter(|p| is_crosswalk_file(p)) {
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let Some(bytes) = super::read_reported(source, path, diags) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let target = frameworks.find(stem).map(|(_, f)| f);
        if let Some(c) = parse(
            path,
            &text,
            stem,
            Some(path.clone()),
            target,
            catalog,
            diags,
        ) {
            if target.is_some() {
                out.push(c);
            } else {
                diags.push(not_enabled(path, &text, stem, frameworks));
            }
        }
    }
    for fw in &frameworks.enabled {
        if fw.file.is_some() || out.iter().any(|c| c.framework == fw.id) {
            continue;
        }
        if let Some((id, text)) = BUILT_IN.iter().find(|(id, _)| *id == fw.id) {
            let path = PathBuf::from(format!("<built-in {id} crosswalk>"));
            out.extend(parse(&path, text, id, None, Some(fw), catalog, diags));
        }
    }
    out.sort_by_key(|c| frameworks.find(&c.framework).map(|(i, _)| i));
    out
}

/// The warning for a crosswalk whose framework is not enabled, at its `framework:` key.
fn not_enabled(path: &Path, text: &str, stem: &str, frameworks: &Frameworks) -> Diagnostic {
    let lines = LineIndex::new(text);
    let span = key_in(&lines, path, text, &(0..text.len()), "framework");
    let enabled = frameworks.enabled.iter().map(|f| f.id.as_str());
    let hint = match nearest(stem, enabled, 2).first() {
        Some(near) => format!(
            "if it maps to `{near}`, name it crosswalks/{near}.yaml; otherwise add \"{stem}\" to `frameworks` in aims.toml"
        ),
        None => format!("add \"{stem}\" to `frameworks` in aims.toml, or remove this crosswalk"),
    };
    Diagnostic::warning(
        code::CROSSWALK_NOT_ENABLED,
        span,
        format!("the crosswalk to `{stem}` is not used: aims.toml does not enable `{stem}`"),
    )
    .with_suggestion(hint)
}

/// Whether `path` is a team crosswalk: `crosswalks/<id>.yaml` (or `.yml`) in the root.
fn is_crosswalk_file(path: &Path) -> bool {
    path.parent() == Some(Path::new(CROSSWALKS_DIR))
        && path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// The ids of `v` when it is a list of scalars.
fn list_of(v: Option<&Value>) -> Option<Vec<String>> {
    match v? {
        Value::Sequence(items) => items.iter().map(|i| text_of(Some(i))).collect(),
        _ => None,
    }
}

/// Reads one crosswalk to the framework `id` from `text`; its targets are checked against
/// `framework`'s catalog when that is enabled. `None` (with diagnostics) when it has no
/// usable head or `mappings`.
pub fn parse(
    path: &Path,
    text: &str,
    id: &str,
    file: Option<PathBuf>,
    framework: Option<&Framework>,
    catalog: &Catalog,
    diags: &mut Vec<Diagnostic>,
) -> Option<Crosswalk> {
    let lines = LineIndex::new(text);
    let err = |span: Span, msg: String, hint: &str| {
        Diagnostic::error(code::CROSSWALK, span, msg).with_suggestion(hint.to_string())
    };
    let value = super::yaml::parse_reported(
        text,
        path,
        &lines,
        code::CROSSWALK,
        &format!("the crosswalk to `{id}`"),
        "a crosswalk",
        diags,
    )?;
    let whole = 0..text.len();
    let head_span = |key: &str| key_in(&lines, path, text, &whole, key);
    let shape = "write `framework: {id, name}`, `confidence:` and `mappings:` with one `- {iso: \"6.1.2\", targets: [...]}` per row";
    let Value::Mapping(map) = value else {
        diags.push(err(
            lines.span(path, 0..0),
            format!("the crosswalk to `{id}` must be a mapping"),
            shape,
        ));
        return None;
    };
    let declared = match map.get("framework") {
        Some(Value::Mapping(head)) => text_of(head.get("id")),
        Some(v) => text_of(Some(v)),
        None => None,
    };
    match declared {
        Some(d) if d == id => {}
        Some(d) => {
            diags.push(err(
                head_span("id"),
                format!("the crosswalk in {} maps to `{d}`", path.display()),
                &format!("name the file {CROSSWALKS_DIR}/{d}.yaml, or write `id: {id}`"),
            ));
            return None;
        }
        None => {
            diags.push(err(
                head_span("framework"),
                format!("the crosswalk to `{id}` has no `framework: {{id}}`"),
                &format!("add `framework: {{id: {id}}}`"),
            ));
            return None;
        }
    }
    let confidence = text_of(map.get("confidence")).filter(|c| !c.trim().is_empty());
    if confidence.is_none() {
        diags.push(err(
            head_span("confidence"),
            format!("the crosswalk to `{id}` has no `confidence`"),
            "add `confidence: inferred` (or how sure the mapping is, e.g. `high`)",
        ));
        return None;
    }
    let confidence = confidence.unwrap_or_default();
    let Some(Value::Sequence(rows)) = map.get("mappings") else {
        diags.push(err(
            head_span("mappings"),
            format!("the crosswalk to `{id}` has no `mappings:` list"),
            shape,
        ));
        return None;
    };
    let ranges = item_ranges(text, "mappings");
    let iso_ids = || {
        catalog
            .clauses()
            .chain(catalog.controls())
            .map(|e| e.id.as_str())
    };
    let mut mappings = Vec::with_capacity(rows.len());
    for (k, row) in rows.iter().enumerate() {
        let range = ranges.get(k).cloned().unwrap_or(0..0);
        let at = |key: &str| key_in(&lines, path, text, &range, key);
        let Value::Mapping(m) = row else {
            diags.push(err(
                at("iso"),
                format!("row {} of the crosswalk to `{id}` is not a mapping", k + 1),
                shape,
            ));
            continue;
        };
        let Some(iso) = text_of(m.get("iso")) else {
            diags.push(err(
                at("iso"),
                format!("row {} of the crosswalk to `{id}` has no `iso`", k + 1),
                "add `iso: \"6.1.2\"`, an ISO/IEC 42001 clause or control",
            ));
            continue;
        };
        let is_mappable = catalog
            .get(&iso)
            .is_some_and(|e| matches!(e.kind, EntryKind::Clause | EntryKind::Control));
        if !is_mappable {
            diags.push(err(
                at("iso"),
                format!("`{iso}` is not an ISO/IEC 42001 clause or control"),
                &did_you_mean(&iso, iso_ids()).unwrap_or_else(|| {
                    "name a clause (4.1 … 10.2) or an Annex A control (A.2.2 …)".into()
                }),
            ));
            continue;
        }
        let Some(targets) = list_of(m.get("targets")) else {
            diags.push(err(
                at("iso"),
                format!("the row of `{iso}` in the crosswalk to `{id}` has no `targets` list"),
                "add `targets: [...]` with the ids of the framework's entries",
            ));
            continue;
        };
        let mut kept = Vec::with_capacity(targets.len());
        for t in targets {
            match framework {
                Some(fw) if fw.index_of(&t).is_none() => {
                    let near = nearest(&t, fw.ids(), 2);
                    diags.push(err(
                        at("targets"),
                        format!("{} has no entry `{t}` (crosswalk row of `{iso}`)", fw.name),
                        &if near.is_empty() {
                            format!("name an entry of the catalog of `{id}`")
                        } else {
                            format!("did you mean {}?", near.join(" or "))
                        },
                    ));
                }
                _ => kept.push(t),
            }
        }
        mappings.push(Mapping {
            iso,
            targets: kept,
            confidence: text_of(m.get("confidence")).unwrap_or_else(|| confidence.clone()),
        });
    }
    Some(Crosswalk {
        framework: id.to_string(),
        file,
        source: text_of(map.get("source")),
        mappings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::framework::BUILT_IN as CATALOGS;

    fn catalog_of(id: &str) -> Framework {
        let (_, text) = CATALOGS.iter().find(|(i, _)| *i == id).unwrap();
        let mut d = Vec::new();
        super::super::frameworks::parse(Path::new(id), text, id, None, &mut d).unwrap()
    }

    #[test]
    fn built_in_crosswalks_read_cleanly() {
        let catalog = Catalog::iso42001();
        for (id, text) in BUILT_IN {
            let fw = catalog_of(id);
            let mut d = Vec::new();
            let c = parse(Path::new(id), text, id, None, Some(&fw), &catalog, &mut d).unwrap();
            assert!(d.is_empty(), "{id}: {d:?}");
            assert!(c.mappings.len() > 30, "{id}");
            assert!(c.mappings.iter().all(|m| m.confidence == "inferred"));
        }
    }

    #[test]
    fn iso27001_clauses_map_one_to_one_but_for_6_1_4_and_8_4() {
        let catalog = Catalog::iso42001();
        let fw = catalog_of("iso27001");
        let (_, text) = BUILT_IN.iter().find(|(i, _)| *i == "iso27001").unwrap();
        let mut d = Vec::new();
        let c = parse(
            Path::new("x"),
            text,
            "iso27001",
            None,
            Some(&fw),
            &catalog,
            &mut d,
        )
        .unwrap();
        let clause_rows: Vec<&Mapping> = c
            .mappings
            .iter()
            .filter(|m| !m.iso.starts_with("A."))
            .collect();
        assert!(clause_rows.len() >= 28);
        for m in &clause_rows {
            assert_eq!(m.targets, vec![m.iso.clone()], "{}", m.iso);
        }
        for none in ["6.1.4", "8.4"] {
            assert!(c.mappings.iter().all(|m| m.iso != none), "{none}");
        }
    }

    #[test]
    fn crosswalk_errors_are_at_their_lines() {
        let fw = catalog_of("iso27001");
        let text = "framework: {id: iso27001}\nconfidence: high\nmappings:\n  - {iso: \"4.1\", targets: [\"4.1\"]}\n  - iso: A.99.1\n    targets: [A.5.1]\n  - iso: A.6.2.4\n    targets: [A.8.299]\n    confidence: low\n";
        let mut d = Vec::new();
        let c = parse(
            Path::new("crosswalks/iso27001.yaml"),
            text,
            "iso27001",
            None,
            Some(&fw),
            &Catalog::iso42001(),
            &mut d,
        )
        .unwrap();
        let lines: Vec<usize> = d.iter().map(|d| d.span.line).collect();
        assert_eq!(lines, vec![5, 8], "{d:?}");
        assert_eq!(c.mappings.len(), 2);
        assert_eq!(c.mappings[1].confidence, "low");
        assert!(c.mappings[1].targets.is_empty());
    }
}
