//! Completion: in front matter, the ids a field accepts (`controls`, `clauses`, `related`,
//! `supersedes`, the entries of each framework under `frameworks`, the AI systems of
//! `systems.yaml` under `systems`) and the values of the enum fields (`type`, `status`,
//! `classification`); in a body after `[[`, document ids, clause and control ids, the ids of
//! AI systems `[[ID]]` reaches, and `framework:id`, and after `#` the anchors of the
//! document named. Each item replaces the word at the cursor.

use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, TextEdit};

use super::context::{At, Part};
use super::lookup::{target, Target};
use super::position::Lines;
use crate::model::catalog::EntryKind;
use crate::model::frontmatter::{Classification, DocType, Status};
use crate::pipeline::Compilation;
use crate::resolve::CATALOG_PAGE_ANCHORS;

fn item(label: &str, detail: &str, kind: CompletionItemKind, edit: &TextEdit) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        detail: (!detail.is_empty()).then(|| detail.to_string()),
        kind: Some(kind),
        filter_text: Some(label.to_string()),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
            edit.range,
            label.to_string(),
        ))),
        ..CompletionItem::default()
    }
}

fn entries(c: &Compilation, kinds: &[EntryKind], edit: &TextEdit) -> Vec<CompletionItem> {
    c.manual
        .catalog
        .entries
        .iter()
        .filter(|e| kinds.contains(&e.kind))
        .map(|e| item(e.id.as_str(), &e.title, CompletionItemKind::REFERENCE, edit))
        .collect()
}

fn documents(c: &Compilation, except: Option<&str>, edit: &TextEdit) -> Vec<CompletionItem> {
    c.manual
        .documents
        .iter()
        .filter(|d| Some(d.meta.id.as_str()) != except)
        .map(|d| {
            item(
                d.meta.id.as_str(),
                &d.meta.title,
                CompletionItemKind::FILE,
                edit,
            )
        })
        .collect()
}

/// The AI systems of the inventory (only those `[[ID]]` reaches when `linkable_only`), with
/// their names, and their risk class and roles as detail.
fn systems(c: &Compilation, linkable_only: bool, edit: &TextEdit) -> Vec<CompletionItem> {
    let Some(inventory) = c.manual.systems.as_ref() else {
        return Vec::new();
    };
    let linkable = &c.resolved.systems.linkable;
    inventory
        .list
        .iter()
        .enumerate()
        .filter(|(k, _)| !linkable_only || linkable.get(*k).copied().unwrap_or(false))
        .map(|(_, s)| {
            let class = s.risk_class.map_or("no risk class", |r| r.as_str());
            let mut it = item(
                s.id.as_str(),
                &format!("{} ({class}; {})", s.name, s.roles_text()),
                CompletionItemKind::CLASS,
                edit,
            );
            it.label_details = Some(lsp_types::CompletionItemLabelDetails {
                detail: None,
                description: Some(s.name.clone()),
            });
            it
        })
        .collect()
}

fn values(names: &[&str], edit: &TextEdit) -> Vec<CompletionItem> {
    names
        .iter()
        .map(|n| item(n, "", CompletionItemKind::ENUM_MEMBER, edit))
        .collect()
}

/// The completions at `at` in `text` (the document `own_id`, when it has one).
pub(super) fn complete(
    c: &Compilation,
    text: &str,
    at: &At,
    own_id: Option<&str>,
) -> Vec<CompletionItem> {
    let lines = Lines::new(text);
    let edit = |r: &std::ops::Range<usize>| TextEdit::new(lines.range(r.clone()), String::new());
    match at {
        At::Field {
            field,
            framework,
            token,
        } => {
            let e = edit(token);
            match field.as_str() {
                "controls" => entries(c, &[EntryKind::Control], &e),
                "clauses" => entries(c, &[EntryKind::Clause], &e),
                "related" | "supersedes" => documents(c, own_id, &e),
                "type" => values(DocType::NAMES, &e),
                "status" => values(Status::NAMES, &e),
                "classification" => values(Classification::NAMES, &e),
                "frameworks" => match framework
                    .as_deref()
                    .and_then(|f| c.manual.frameworks.find(f))
                {
                    Some((_, f)) => f
                        .entries
                        .iter()
                        .map(|x| item(&x.id, &x.title, CompletionItemKind::REFERENCE, &e))
                        .collect(),
                    None => c
                        .manual
                        .frameworks
                        .enabled
                        .iter()
                        .map(|f| item(&f.id, &f.name, CompletionItemKind::MODULE, &e))
                        .collect(),
                },
                "systems" => systems(c, false, &e),
                _ => Vec::new(),
            }
        }
        At::Wiki {
            id, part: Part::Id, ..
        } => {
            let e = edit(id);
            let mut out = documents(c, None, &e);
            out.extend(entries(c, &[EntryKind::Control, EntryKind::Clause], &e));
            out.extend(systems(c, true, &e));
            for f in &c.manual.frameworks.enabled {
                out.extend(f.entries.iter().map(|x| {
                    item(
                        &format!("{}:{}", f.id, x.id),
                        &x.title,
                        CompletionItemKind::REFERENCE,
                        &e,
                    )
                }));
            }
            out
        }
        At::Wiki {
            id,
            anchor: Some(anchor),
            part: Part::Anchor,
        } => {
            let e = edit(anchor);
            let Some(written) = text.get(id.clone()) else {
                return Vec::new();
            };
            match target(c, None, None, written) {
                Some(Target::Doc(d)) => c
                    .manual
                    .doc(d)
                    .body
                    .headings
                    .iter()
                    .map(|h| item(&h.anchor, &h.text, CompletionItemKind::REFERENCE, &e))
                    .collect(),
                Some(Target::Catalog(x))
                    if matches!(x.kind, EntryKind::Control | EntryKind::Clause) =>
                {
                    values(CATALOG_PAGE_ANCHORS, &e)
                }
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}
