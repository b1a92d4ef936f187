//! Reading framework catalogs: the built-in ones that `aims.toml` enables and every
//! `frameworks/<id>.yaml` of the AIMS (a team's own, which takes the place of a built-in one
//! with the same id). Every problem — YAML that does not parse, a missing field, a repeated
//! id, a parent that does not exist — is a diagnostic at its line, over all catalogs.
//!
//! Positions of entries are found with a line scan of the `entries:` block (each entry starts
//! with a `- ` at the block's indentation), because serde_norway's `Value` carries none.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_yaml::Value;

use super::source::Source;
use crate::config::Config;
use crate::diagnostics::{code, did_you_mean, Diagnostic, LineIndex, Span};
use crate::model::framework::{Framework, FrameworkEntry, Frameworks, BUILT_IN, FRAMEWORKS_DIR};

/// The frameworks of an AIMS: every team catalog in `files` (the walk's listing) is read and
/// checked; the frameworks `config` enables are looked up among them and the built-in ones.
pub fn load(
    source: &dyn Source,
    files: &[PathBuf],
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Frameworks {
    let mut own: BTreeMap<String, Option<Framework>> = BTreeMap::new();
    for path in files.iter().filter(|p| is_catalog_file(p)) {
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let Some(bytes) = super::read_reported(source, path, diags) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let f = parse(path, &text, stem, Some(path.clone()), diags);
        own.insert(stem.to_string(), f);
    }
    let mut available: BTreeMap<String, bool> = BUILT_IN
        .iter()
        .map(|(id, _)| (id.to_string(), false))
        .collect();
    available.extend(own.keys().map(|k| (k.clone(), false)));

    let (names, span) = &config.frameworks;
    let mut enabled: Vec<Framework> = Vec::new();
    for name in names {
        if name == "iso42001" || enabled.iter().any(|f| &f.id == name) {
            continue;
        }
        let framework = match own.get_mut(name.as_str()) {
            Some(f) => f.take(),
            None => match BUILT_IN.iter().find(|(id, _)| id == name) {
                Some((id, text)) => {
                    let path = PathBuf::from(format!("<built-in {id}>"));
                    parse(&path, text, id, None, diags)
                }
                None => {
                    diags.push(
                        Diagnostic::error(
                            code::UNKNOWN_FRAMEWORK,
                            span.clone(),
                            format!("aims.toml enables the framework `{name}`, which is neither built in nor has a catalog in {FRAMEWORKS_DIR}/"),
                        )
                        .with_suggestion(
                            did_you_mean(name, available.keys().map(String::as_str))
                                .unwrap_or_else(|| {
                                    format!(
                                        "known frameworks: {}; or add {FRAMEWORKS_DIR}/{name}.yaml",
                                        available.keys().cloned().collect::<Vec<_>>().join(", ")
                                    )
                                }),
                        ),
                    );
                    continue;
                }
            },
        };
        if let Some(f) = framework {
            available.insert(f.id.clone(), true);
            enabled.push(f);
        }
    }
    Frameworks {
        enabled,
        available,
        crosswalks: Vec::new(),
    }
}

/// The frameworks the AIMS in `source` enables, read from `aims.toml` and the catalogs in
/// `frameworks/` without reading any document (for `aimsdoc schema`). `Ok(None)` when
/// `aims.toml` has errors (reported in `diags`, like every problem of a catalog).
pub fn of_aims(
    source: &dyn Source,
    root_display: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<Frameworks>, super::LoadError> {
    use crate::config::CONFIG_FILE;
    let text = match source.read(Path::new(CONFIG_FILE)) {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(super::LoadError::NoConfig(root_display.to_path_buf()))
        }
        Err(e) => return Err(super::LoadError::Io(root_display.join(CONFIG_FILE), e)),
    };
    let Some(config) = Config::parse(&text, diags) else {
        return Ok(None);
    };
    // Only `frameworks/` matters here: what the walk reports elsewhere is the build's to say.
    let filter = super::PathFilter::new(&config.exclude, Vec::new());
    let listing = source.files(&filter, &mut Vec::new());
    Ok(Some(load(source, &listing.files, &config, diags)))
}

/// Whether `path` is a team catalog: `frameworks/<id>.yaml` (or `.yml`) directly in the root.
fn is_catalog_file(path: &Path) -> bool {
    path.parent() == Some(Path::new(FRAMEWORKS_DIR))
        && path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Where the items of the top-level list `block` (`entries`, `mappings`) are written: for
/// each, its byte range in the text.
pub(super) fn item_ranges(text: &str, block: &str) -> Vec<std::ops::Range<usize>> {
    let mut starts = Vec::new();
    let mut offset = 0;
    let mut inside = false;
    let mut indent: Option<usize> = None;
    for line in text.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        let lead = line.len() - trimmed.len();
        if lead == 0 && !trimmed.is_empty() && !trimmed.starts_with(['#', '-', '\r', '\n']) {
            inside = trimmed
                .strip_prefix(block)
                .is_some_and(|r| r.starts_with(':'));
            continue;
        }
        let item = trimmed.starts_with("- ") || trimmed.trim_end() == "-";
        if inside && item && indent.is_none_or(|i| i == lead) {
            indent = Some(lead);
            starts.push(here + lead);
        }
    }
    let mut ranges: Vec<std::ops::Range<usize>> = starts.windows(2).map(|w| w[0]..w[1]).collect();
    if let Some(&last) = starts.last() {
        ranges.push(last..text.len());
    }
    ranges
}

/// The span of `key:`'s value inside `range` of `text` (the range's start when not written).
pub(super) fn key_in(
    lines: &LineIndex<'_>,
    path: &Path,
    text: &str,
    range: &std::ops::Range<usize>,
    key: &str,
) -> Span {
    let part = &text[range.clone()];
    let mut offset = range.start;
    for line in part.split_inclusive('\n') {
        let t = line.trim_start_matches([' ', '-']);
        if let Some(rest) = t.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
            let value = rest.trim();
            let at = offset
                + (line.len() - t.len())
                + key.len()
                + 1
                + (rest.len() - rest.trim_start().len());
            return lines.span(path, at..at + value.len());
        }
        offset += line.len();
    }
    lines.span(path, range.start..range.start)
}

/// A scalar as text (numbers as written by YAML, e.g. `6.1`).
pub(super) fn text_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads one catalog from `text`; `id` is the framework id its name gives. `None` (with
/// diagnostics) when it has no usable `framework` or `entries`.
pub fn parse(
    path: &Path,
    text: &str,
    id: &str,
    file: Option<PathBuf>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Framework> {
    let lines = LineIndex::new(text);
    let err = |span: Span, msg: String, hint: &str| {
        Diagnostic::error(code::FRAMEWORK_CATALOG, span, msg).with_suggestion(hint.to_string())
    };
    let value = super::yaml::parse_reported(
        text,
        path,
        &lines,
        code::FRAMEWORK_CATALOG,
        &format!("the catalog of `{id}`"),
        "a framework catalog",
        diags,
    )?;
    let start = lines.span(path, 0..0);
    let shape =
        "write `framework: {id, name, version}` and `entries:` with one `- id: …` per entry";
    let Value::Mapping(map) = value else {
        diags.push(err(
            start,
            format!("the catalog of `{id}` must be a mapping"),
            shape,
        ));
        return None;
    };
    let Some(Value::Mapping(head)) = map.get("framework") else {
        diags.push(err(
            start,
            format!("the catalog of `{id}` has no `framework:` mapping"),
            shape,
        ));
        return None;
    };
    let whole = 0..text.len();
    let head_span = |key: &str| key_in(&lines, path, text, &whole, key);
    let mut ok = true;
    let declared = text_of(head.get("id"));
    match &declared {
        Some(d) if d == id => {}
        Some(d) => {
            diags.push(err(
                head_span("id"),
                format!("the catalog in {} declares the id `{d}`", path.display()),
                &format!("name the file {FRAMEWORKS_DIR}/{d}.yaml, or write `id: {id}`"),
            ));
            ok = false;
        }
        None => {
            diags.push(err(
                head_span("framework"),
                format!("`framework` of `{id}` has no `id`"),
                &format!("add `id: {id}`"),
            ));
            ok = false;
        }
    }
    let name = text_of(head.get("name"));
    if name.is_none() {
        diags.push(err(
            head_span("framework"),
            format!("`framework` of `{id}` has no `name`"),
            "add `name: ...`, the framework's display name",
        ));
    }
    let version = text_of(head.get("version"));
    let Some(Value::Sequence(items)) = map.get("entries") else {
        diags.push(err(
            head_span("entries"),
            format!("the catalog of `{id}` has no `entries:` list"),
            shape,
        ));
        return None;
    };
    let ranges = item_ranges(text, "entries");
    let mut entries: Vec<FrameworkEntry> = Vec::with_capacity(items.len());
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut parents: Vec<(usize, String, Span)> = Vec::new();
    for (k, item) in items.iter().enumerate() {
        let range = ranges.get(k).cloned().unwrap_or(0..0);
        let at = |key: &str| key_in(&lines, path, text, &range, key);
        let Value::Mapping(m) = item else {
            diags.push(err(
                at("id"),
                format!("entry {} of `{id}` is not a mapping", k + 1),
                "write `- id: ...` with `title:` (and `kind`, `parent`, `summary`) below it",
            ));
            continue;
        };
        let Some(entry_id) = text_of(m.get("id")).filter(|s| !s.trim().is_empty()) else {
            diags.push(err(
                at("id"),
                format!("entry {} of `{id}` has no `id`", k + 1),
                "add `id: ...`; quote ids that look like numbers (\"6.1\")",
            ));
            continue;
        };
        let Some(title) = text_of(m.get("title")).filter(|s| !s.trim().is_empty()) else {
            diags.push(err(
                at("id"),
                format!("entry {entry_id} of `{id}` has no `title`"),
                "add `title: ...`",
            ));
            continue;
        };
        if let Some(&line) = first.get(&entry_id) {
            diags.push(err(
                at("id"),
                format!("`{entry_id}` appears twice in the catalog of `{id}`"),
                &format!("it is already listed at line {line}; give every entry its own id"),
            ));
            continue;
        }
        first.insert(entry_id.clone(), at("id").line);
        let parent = text_of(m.get("parent"));
        if let Some(p) = &parent {
            parents.push((entries.len(), p.clone(), at("parent")));
        }
        entries.push(FrameworkEntry {
            id: entry_id,
            kind: text_of(m.get("kind")),
            parent,
            title,
            summary: text_of(m.get("summary")),
        });
    }
    for (_, p, span) in &parents {
        if !first.contains_key(p) {
            let near = did_you_mean(p, entries.iter().map(|e| e.id.as_str()));
            diags.push(err(
                span.clone(),
                format!("parent `{p}` is not an entry of `{id}`"),
                &near.unwrap_or_else(|| {
                    "name the id of another entry, or write `parent: null`".into()
                }),
            ));
        }
    }
    for (members, span) in parent_cycles(&entries, &parents) {
        diags.push(err(
            span,
            format!("the parents of `{id}` go round in a circle: {members}"),
            "an entry cannot be its own ancestor; give the topmost entry `parent: null`",
        ));
    }
    (ok && name.is_some()).then(|| {
        Framework::new(
            id.to_string(),
            name.unwrap_or_default(),
            version,
            file,
            entries,
        )
    })
}

/// Each circle among the entries' parents (`CC1 → CC2 → CC1`), once, with the span of the
/// `parent:` of its first member in catalog order. `parents` holds (entry index, parent id,
/// span); entries whose parent is unknown end their chain.
fn parent_cycles(
    entries: &[FrameworkEntry],
    parents: &[(usize, String, Span)],
) -> Vec<(String, Span)> {
    let index: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let mut up: Vec<Option<(usize, &Span)>> = vec![None; entries.len()];
    for (child, p, span) in parents {
        if let (Some(slot), Some(&parent)) = (up.get_mut(*child), index.get(p.as_str())) {
            *slot = Some((parent, span));
        }
    }
    // 0 unvisited, 1 on the chain being walked, 2 finished.
    let mut state = vec![0u8; entries.len()];
    let mut out = Vec::new();
    for start in 0..entries.len() {
        let mut chain = Vec::new();
        let mut at = start;
        while state[at] == 0 {
            state[at] = 1;
            chain.push(at);
            match up[at] {
                Some((parent, _)) => at = parent,
                None => break,
            }
        }
        if state[at] == 1 {
            if let Some(pos) = chain.iter().position(|&c| c == at) {
                let circle = &chain[pos..];
                let first = circle.iter().copied().min().unwrap_or(at);
                if let Some((_, span)) = up[first] {
                    let mut names: Vec<&str> = Vec::new();
                    let mut k = first;
                    for _ in 0..=circle.len() {
                        names.push(&entries[k].id);
                        k = up[k].map_or(first, |(p, _)| p);
                    }
                    out.push((names.join(" → "), span.clone()));
                }
            }
        }
        for c in chain {
            state[c] = 2;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_catalogs_read_cleanly() {
        for (id, text) in BUILT_IN {
            let mut d = Vec::new();
            let f = parse(Path::new(id), text, id, None, &mut d).unwrap();
            assert!(d.is_empty(), "{id}: {d:?}");
            assert!(f.entries.len() > 70, "{id}");
        }
    }

    #[test]
    fn catalog_errors_are_at_their_lines() {
        let text = "framework:\n  id: soc2\n  name: SOC 2\nentries:\n  - id: CC1\n    title: Control environment\n  - id: CC1.1\n    parent: CC9\n    title: Integrity\n  - id: CC1\n    title: Again\n  - id: CC2\n";
        let mut d = Vec::new();
        let f = parse(
            Path::new("frameworks/soc2.yaml"),
            text,
            "soc2",
            None,
            &mut d,
        )
        .unwrap();
        assert_eq!(f.entries.len(), 2);
        let lines: Vec<(usize, &str)> = d
            .iter()
            .map(|d| (d.span.line, d.message.as_str()))
            .collect();
        assert_eq!(lines.len(), 3, "{lines:?}");
        assert!(lines.contains(&(10, "`CC1` appears twice in the catalog of `soc2`")));
        assert!(lines.contains(&(12, "entry CC2 of `soc2` has no `title`")));
        assert!(lines.contains(&(8, "parent `CC9` is not an entry of `soc2`")));
    }
}
