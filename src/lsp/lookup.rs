//! What an id at the cursor names in the compiled AIMS: a document, a clause or control of
//! ISO/IEC 42001, an entry of another enabled framework, or an AI system of `systems.yaml`.
//! Ids are read as the resolve stage reads them: catalog ids first (hyphenated forms
//! accepted), then document ids exactly, `framework:id` for other frameworks; a system id in
//! `systems:` and in `systems.yaml`, and in a body where `[[ID]]` reaches it (its id collides
//! with no document, clause or control).

use super::context::{At, Part};
use crate::model::catalog::{Entry, Lookup};
use crate::model::framework::EntryRef;
use crate::model::DocIndex;
use crate::pipeline::Compilation;

/// A thing an id names.
#[derive(Debug, Clone, Copy)]
pub(super) enum Target<'a> {
    /// A document.
    Doc(DocIndex),
    /// A clause, objective, group or control.
    Catalog(&'a Entry),
    /// An entry of an enabled framework.
    Framework(EntryRef),
    /// An AI system (its index in the inventory).
    System(usize),
}

/// What `id` names, read in `field` (a front-matter field, `None` in a body reference)
/// under `framework` (the framework list of `frameworks:` the id is in).
pub(super) fn target<'a>(
    c: &'a Compilation,
    field: Option<&str>,
    framework: Option<&str>,
    id: &str,
) -> Option<Target<'a>> {
    let id = id.trim();
    if id.is_empty() {
        return None;
    }
    if field == Some("frameworks") {
        return framework_entry(c, framework?, id);
    }
    if field == Some("systems") {
        return c.manual.systems.as_ref()?.index_of(id).map(Target::System);
    }
    if field.is_none() {
        if let Some((fw, entry)) = id.split_once(':') {
            return framework_entry(c, fw.trim(), entry.trim());
        }
    }
    let catalog_first = !matches!(field, Some("related" | "supersedes" | "id"));
    if catalog_first {
        match c.manual.catalog.lookup(id) {
            Lookup::Found(e) | Lookup::NonCanonical(e, _) => return Some(Target::Catalog(e)),
            Lookup::Unknown => {}
        }
    }
    if let Some(&d) = c.resolved.by_id.get(id) {
        return Some(Target::Doc(d));
    }
    let k = c.manual.systems.as_ref()?.index_of(id)?;
    let linkable = c.resolved.systems.linkable.get(k).copied().unwrap_or(false);
    (field.is_none() && linkable).then_some(Target::System(k))
}

fn framework_entry<'a>(c: &'a Compilation, fw: &str, id: &str) -> Option<Target<'a>> {
    let (f, framework) = c.manual.frameworks.find(fw)?;
    let entry = framework.index_of(id)?;
    Some(Target::Framework(EntryRef {
        framework: f,
        entry,
    }))
}

/// The id under the cursor and what it names; `None` when the cursor is on no id.
pub(super) fn at_cursor<'a>(
    c: &'a Compilation,
    text: &str,
    at: &At,
) -> Option<(std::ops::Range<usize>, Target<'a>)> {
    match at {
        At::Field {
            field,
            framework,
            token,
        } => {
            let t = target(
                c,
                Some(field),
                framework.as_deref(),
                text.get(token.clone())?,
            )?;
            Some((token.clone(), t))
        }
        At::Inventory { key, token } if key == "id" => {
            let t = target(c, Some("systems"), None, text.get(token.clone())?)?;
            Some((token.clone(), t))
        }
        At::Wiki { id, part, .. } if *part != Part::Anchor || !id.is_empty() => {
            let t = target(c, None, None, text.get(id.clone())?)?;
            Some((id.clone(), t))
        }
        _ => None,
    }
}
