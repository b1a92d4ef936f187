//! One comply policy, procedure or narrative as an aimsdoc document: new front matter
//! (`id`, `title`, `type`, `status`, `version`, `approved`, `frameworks`) above the body,
//! which is copied byte for byte.
//!
//! - `id`: the `acronym` (a procedure's `id`), else a slug of the `name`, else of the file
//!   name; made valid and unique (ignoring case) by changing it, with a warning.
//! - `type`: `policy`, `procedure`; a narrative is `other`, tagged `narrative`.
//! - `status`: always `draft`. comply records neither owner nor approver, and an approved
//!   aimsdoc document must name both; the revisions say when, not who.
//! - `version`: how many `majorRevisions` there are; `approved`: the latest of their dates.
//! - `frameworks`: `satisfies`, each standard under its framework id.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_yaml::{Mapping, Value};

use super::dates::parse_revision_date;
use super::source::{find_after, key_at, mapping, placeholders, scalar, split};
use super::standard::framework_id;
use crate::date::Date;
use crate::diagnostics::{code, Diagnostic, LineIndex};
use crate::model::ids::{DocId, DocKey};

/// The kind of comply document, by its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `policies/`.
    Policy,
    /// `procedures/`.
    Procedure,
    /// `narratives/`.
    Narrative,
}

impl Kind {
    /// The aimsdoc `type`.
    fn doc_type(self) -> &'static str {
        match self {
            Kind::Policy => "policy",
            Kind::Procedure => "procedure",
            Kind::Narrative => "other",
        }
    }

    /// How the report names it.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Kind::Policy => "policy",
            Kind::Procedure => "procedure",
            Kind::Narrative => "narrative",
        }
    }
}

/// Fields comply reads that aimsdoc front matter gets.
const READ: &[&str] = &["name", "acronym", "id", "satisfies", "majorRevisions"];

/// A converted document: its id and the whole new file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Converted {
    /// Its aimsdoc id.
    pub(crate) id: String,
    /// Front matter and body.
    pub(crate) text: String,
}

/// What converting needs to know of the rest of the import.
pub(crate) struct Context<'a> {
    /// Framework id by standard name.
    pub(crate) standards: &'a BTreeMap<String, String>,
    /// Document ids given so far (as keys: unique ignoring case).
    pub(crate) taken: &'a mut BTreeSet<DocKey>,
}

/// An id made of the characters aimsdoc allows: any other run becomes one `-`.
fn clean_id(s: &str, lowercase: bool) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_') {
            out.push(if lowercase { c.to_ascii_lowercase() } else { c });
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches(['-', '.']);
    out.chars().take(120).collect()
}

/// Converts the comply document `text` at `rel`. `None` (with an error) when its front matter
/// cannot be read.
pub(crate) fn convert(
    rel: &Path,
    text: &str,
    kind: Kind,
    cx: &mut Context<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Converted> {
    let lines = LineIndex::new(text);
    for r in placeholders(text) {
        let shown = text[r.clone()].to_string();
        diags.push(
            Diagnostic::warning(
                code::TEMPLATE_PLACEHOLDER,
                lines.span(rel, r),
                format!("`{shown}` is a comply template placeholder; kept as written"),
            )
            .with_suggestion(
                "write the text comply put in its place (`{{.Name}}` is the organization's name)",
            ),
        );
    }
    let Some(parts) = split(text) else {
        diags.push(
            Diagnostic::error(
                code::UNTERMINATED_FRONT_MATTER,
                lines.span(rel, 0..0),
                "no `---` line ends the front matter (`name:`, `satisfies:` …); not converted",
            )
            .with_suggestion("put a `---` line between the YAML fields and the Markdown"),
        );
        return None;
    };
    let (yaml, off) = (parts.yaml, parts.yaml_offset);
    let map = mapping(rel, &lines, yaml, off, "the front matter", diags)?;
    let at = |key: &str| lines.span(rel, key_at(yaml, off, key));

    for k in map.keys() {
        let key = scalar(k).unwrap_or_default();
        if !READ.contains(&key.as_str()) {
            diags.push(
                Diagnostic::warning(
                    code::NOT_IMPORTED,
                    at(&key),
                    format!("`{key}` has no counterpart in aimsdoc front matter; left out"),
                )
                .with_suggestion("move what it says into the document's text if it matters"),
            );
        }
    }

    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = map
        .get("name")
        .and_then(scalar)
        .filter(|n| !n.trim().is_empty());
    let title = name.clone().unwrap_or_else(|| {
        let t = crate::load::title_case(&stem);
        diags.push(Diagnostic::warning(
            code::NOT_IMPORTED,
            lines.span(rel, off..off),
            format!("no `name`; the document is titled \"{t}\" after its file"),
        ));
        t
    });

    let id = pick_id(&map, name.as_deref(), &stem, kind, cx, &at, diags);
    let mut fm = Mapping::new();
    fm.insert("id".into(), id.clone().into());
    fm.insert("title".into(), title.into());
    fm.insert("type".into(), kind.doc_type().into());
    fm.insert("status".into(), "draft".into());
    let (version, approved) = revisions(&map, yaml, off, &lines, rel, diags);
    if let Some(v) = version {
        fm.insert("version".into(), v.into());
    }
    if let Some(d) = approved {
        fm.insert("approved".into(), d.to_string().into());
    }
    if let Some(f) = frameworks(&map, cx.standards, &at, diags) {
        fm.insert("frameworks".into(), Value::Mapping(f));
    }
    if kind == Kind::Narrative {
        fm.insert("tags".into(), Value::Sequence(vec!["narrative".into()]));
    }
    let head = serde_yaml::to_string(&Value::Mapping(fm)).unwrap_or_default();
    Some(Converted {
        text: format!("---\n{head}---\n{}", parts.body),
        id,
    })
}

/// The document's id: acronym, procedure id, slug of the name, slug of the file name; valid
/// and not yet taken.
fn pick_id(
    map: &Mapping,
    name: Option<&str>,
    stem: &str,
    kind: Kind,
    cx: &mut Context<'_>,
    at: &dyn Fn(&str) -> crate::diagnostics::Span,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let written = ["acronym", "id"].into_iter().find_map(|k| {
        map.get(k)
            .and_then(scalar)
            .filter(|s| !s.trim().is_empty())
            .map(|s| (k, s))
    });
    let (key, wanted) = match &written {
        Some((k, s)) => (Some(*k), clean_id(s, false)),
        None => (None, clean_id(name.unwrap_or(stem), true)),
    };
    let wanted = if wanted.is_empty() || DocId::parse(&wanted).is_none() {
        let s = clean_id(stem, true);
        if s.is_empty() {
            kind.noun().to_string()
        } else {
            s
        }
    } else {
        wanted
    };
    let mut id = wanted.clone();
    let mut n = 2;
    while !cx.taken.insert(DocKey::of(&id)) {
        id = format!("{wanted}-{n}");
        n += 1;
    }
    let place = at(key.unwrap_or("name"));
    if let Some((k, s)) = written.as_ref().filter(|(_, s)| *s != wanted) {
        diags.push(
            Diagnostic::warning(
                code::IMPORT_ID_CHANGED,
                place.clone(),
                format!("`{k}: {s}` is not a valid document id; the document's id is `{id}`"),
            )
            .with_suggestion("ids may hold only letters, digits, `.`, `_` and `-`"),
        );
    } else if id != wanted {
        diags.push(Diagnostic::warning(
            code::IMPORT_ID_CHANGED,
            place,
            format!(
                "another document already has the id `{wanted}` (ids are unique ignoring case); this one is `{id}`"
            ),
        ));
    }
    id
}

/// `version` (the number of revisions) and `approved` (the latest readable date).
fn revisions(
    map: &Mapping,
    yaml: &str,
    off: usize,
    lines: &LineIndex<'_>,
    rel: &Path,
    diags: &mut Vec<Diagnostic>,
) -> (Option<String>, Option<Date>) {
    let Some(v) = map.get("majorRevisions") else {
        return (None, None);
    };
    let head = key_at(yaml, off, "majorRevisions");
    let Value::Sequence(items) = v else {
        if !v.is_null() {
            diags.push(Diagnostic::warning(
                code::NOT_IMPORTED,
                lines.span(rel, head),
                "`majorRevisions` is not a list of `{date, comment}`; left out",
            ));
        }
        return (None, None);
    };
    let mut latest: Option<Date> = None;
    let mut from = head.start;
    for item in items {
        let date = item.get("date");
        let text = date.and_then(scalar);
        let place = match &text {
            Some(t) => find_after(yaml, off, from, t, head.clone()),
            None => head.clone(),
        };
        from = place.end.max(from);
        let problem = match text.as_deref().map(parse_revision_date) {
            Some(Ok(d)) => {
                latest = latest.max(Some(d));
                continue;
            }
            Some(Err(why)) => why,
            None => "a revision has no `date`".to_string(),
        };
        diags.push(
            Diagnostic::warning(code::REVISION_DATE, lines.span(rel, place), problem)
                .with_suggestion("`approved` is taken from the revisions whose dates can be read"),
        );
    }
    if items.is_empty() {
        return (None, None);
    }
    (Some(items.len().to_string()), latest)
}

/// `satisfies` as `frameworks`: each standard under its framework id, each id as text.
fn frameworks(
    map: &Mapping,
    standards: &BTreeMap<String, String>,
    at: &dyn Fn(&str) -> crate::diagnostics::Span,
    diags: &mut Vec<Diagnostic>,
) -> Option<Mapping> {
    let v = map.get("satisfies")?;
    let Value::Mapping(s) = v else {
        if !v.is_null() {
            diags.push(Diagnostic::warning(
                code::NOT_IMPORTED,
                at("satisfies"),
                "`satisfies` is not a mapping of standard names to lists of ids; left out",
            ));
        }
        return None;
    };
    let mut out = Mapping::new();
    for (k, ids) in s {
        let standard = scalar(k).unwrap_or_default();
        let id = standards.get(&standard).cloned().unwrap_or_else(|| {
            let id = framework_id(&standard);
            diags.push(
                Diagnostic::warning(
                    code::NOT_IMPORTED,
                    at(&standard),
                    format!("`satisfies` names the standard `{standard}`, which standards/ does not define; its ids are kept under `{id}` without a catalog"),
                )
                .with_suggestion("add the standard's catalog as frameworks/<id>.yaml, or correct the name"),
            );
            id
        });
        let list: Vec<Value> = match ids {
            Value::Sequence(items) => items.iter().filter_map(scalar).map(Value::from).collect(),
            other => scalar(other).map(Value::from).into_iter().collect(),
        };
        out.insert(id.into(), Value::Sequence(list));
    }
    (!out.is_empty()).then_some(out)
}
