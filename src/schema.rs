//! The JSON Schema (draft 2020-12) of document front matter, for editors (the YAML language
//! server). It is generated from what the parser itself uses — the field list ([`Field`]), the
//! value enums, the id rules and the embedded catalog — so the schema and the parser cannot
//! drift: every field has a property (the `match` below is exhaustive) and nothing else does.
//!
//! Given the frameworks an AIMS enables (`aimsdoc schema AIMS`), `frameworks` also lists each
//! enabled framework's key with its catalog's ids as an `enum`, so an editor flags
//! `iso27001: [A.5.99]` as aimsdoc does; other keys stay free, as aimsdoc only warns about
//! them. Given the AIMS's `systems.yaml`, the items of `systems` are an `enum` of its
//! systems' ids, as aimsdoc reports any other id.

use serde_json::{json, Map, Value};

mod systems;
pub use systems::{systems_schema, systems_schema_text, SYSTEMS_SCHEMA_ID};

use crate::diagnostics::code;
use crate::model::catalog::{Catalog, EntryKind};
use crate::model::framework::Frameworks;
use crate::model::frontmatter::{Classification, DocType, Field, Status};
use crate::model::system::Systems;

/// The `$id` of the schema.
pub const SCHEMA_ID: &str = "https://aimsdoc.invalid/schema/front-matter.json";

fn enum_of<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str) -> Value {
    Value::from(all.iter().map(|v| name(*v)).collect::<Vec<_>>())
}

/// An id (or `{id, note}`) of `frameworks:` that `id` describes, alone or in a list.
fn framework_ids(id: Value) -> Value {
    let item = json!({"anyOf": [
        id,
        {"type": "object", "properties": {"id": id, "note": {"type": "string"}}, "required": ["id"], "additionalProperties": false},
    ]});
    json!({"anyOf": [{"type": "array", "items": item}, item]})
}

/// The schema of `frameworks`: any framework's ids as text, and for each enabled one (when
/// known) its catalog's ids.
fn frameworks_property(enabled: Option<&Frameworks>) -> Value {
    let mut v = json!({
        "type": "object",
        "description": "Entries of other frameworks this document addresses, by framework id (iso27001, eu-ai-act, nist-ai-rmf, or a catalog in frameworks/): an id, or {id, note}.",
        "additionalProperties": framework_ids(json!({"type": "string"})),
    });
    if let Some(f) = enabled {
        let properties: Map<String, Value> = f
            .enabled
            .iter()
            .map(|fw| {
                let ids: Vec<&str> = fw.ids().collect();
                let mut p = framework_ids(json!({"type": "string", "enum": ids}));
                p["description"] =
                    json!(format!("Entries of {} this document addresses.", fw.name));
                (fw.id.clone(), p)
            })
            .collect();
        v["properties"] = Value::Object(properties);
    }
    v
}

/// The schema of one field.
fn property(field: Field, catalog: &Catalog, frameworks: Option<&Frameworks>) -> Value {
    let date = json!({
        "type": "string",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        "format": "date",
    });
    let doc_id =
        json!({"type": "string", "pattern": "^[A-Za-z0-9_-][A-Za-z0-9._-]*$", "maxLength": 128});
    let catalog_ref = |kind: EntryKind, what: &str| {
        let ids: Vec<&str> = catalog.of_kind(kind).map(|e| e.id.as_str()).collect();
        let id = json!({"type": "string", "enum": ids});
        let item = json!({"anyOf": [
            id,
            {"type": "object", "properties": {"id": id, "note": {"type": "string"}}, "required": ["id"], "additionalProperties": false},
        ]});
        json!({
            "description": format!("ISO/IEC 42001 {what} this document addresses: an id, or {{id, note}}."),
            "anyOf": [{"type": "array", "items": item}, item],
        })
    };
    match field {
        Field::Id => {
            let mut v = doc_id;
            v["description"] = json!("Unique id of the document, e.g. POL-AI-001.");
            v
        }
        Field::Title => {
            json!({"type": "string", "minLength": 1, "description": "Title of the document."})
        }
        Field::Type => {
            json!({"enum": enum_of(DocType::ALL, DocType::as_str), "description": "Kind of documented information.", "default": "other"})
        }
        Field::Status => {
            json!({"enum": enum_of(Status::ALL, Status::as_str), "description": "Approval status.", "default": "draft"})
        }
        Field::Classification => {
            json!({"enum": enum_of(Classification::ALL, Classification::as_str), "description": "Who may read it; public documents are published in public builds.", "default": "internal"})
        }
        Field::Version => {
            json!({"type": ["string", "number"], "description": "Version label; quote it (\"1.10\")."})
        }
        Field::Owner => {
            json!({"type": "string", "description": "Role or person who owns the document."})
        }
        Field::Approver => {
            json!({"type": "string", "description": "Role or person who approved it."})
        }
        Field::Approved | Field::Effective | Field::Review => {
            let mut v = date;
            v["description"] = json!(match field {
                Field::Approved => "Date of approval (YYYY-MM-DD).",
                Field::Effective => "Date it takes effect (YYYY-MM-DD), not before `approved`.",
                _ => "Date the next review is due (YYYY-MM-DD).",
            });
            v
        }
        Field::Clauses => catalog_ref(EntryKind::Clause, "clauses"),
        Field::Controls => catalog_ref(EntryKind::Control, "Annex A controls"),
        Field::Frameworks => frameworks_property(frameworks),
        Field::Systems => {
            json!({"anyOf": [{"type": "array", "items": doc_id}, doc_id], "description": "Ids of the AI systems (in systems.yaml) this document is about (a list, or one id)."})
        }
        Field::Related => {
            json!({"anyOf": [{"type": "array", "items": doc_id}, doc_id], "description": "Ids of related documents (a list, or one id)."})
        }
        Field::Supersedes => {
            let mut v = doc_id;
            v["description"] = json!("Id of the (retired) document this one replaces.");
            v
        }
        Field::Tags => {
            json!({"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}], "description": "Free tags (a list, or one tag)."})
        }
        Field::Order => json!({"type": "integer", "description": "Position within its section."}),
        Field::Allow => {
            // Codes are matched ignoring case, which an `enum` cannot say: a pattern with a
            // character class per letter can.
            let any_case = |s: &str| -> String {
                s.chars()
                    .map(|c| {
                        if c.is_ascii_alphabetic() {
                            format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase())
                        } else {
                            c.to_string()
                        }
                    })
                    .collect()
            };
            let alternatives: Vec<String> = code::ALL
                .iter()
                .flat_map(|c| [any_case(c.id), any_case(c.name)])
                .collect();
            let code_item = json!({"type": "string", "pattern": format!("^\\s*(?:{})\\s*$", alternatives.join("|"))});
            json!({"anyOf": [{"type": "array", "items": code_item}, code_item], "description": "Diagnostic codes (ids or names, any case) silenced for this document."})
        }
    }
}

/// The front-matter schema as a JSON value.
pub fn front_matter_schema() -> Value {
    front_matter_schema_for(None)
}

/// The front-matter schema of an AIMS enabling `frameworks` (their ids as enums), or of any
/// AIMS when `None`.
pub fn front_matter_schema_for(frameworks: Option<&Frameworks>) -> Value {
    let catalog = Catalog::iso42001();
    let mut properties = Map::new();
    for field in Field::ALL {
        properties.insert(
            field.as_str().to_string(),
            property(*field, &catalog, frameworks),
        );
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "aimsdoc document front matter",
        "description": "YAML front matter of an ISO/IEC 42001 AIMS document built by aimsdoc.",
        "type": "object",
        "required": ["id", "title"],
        "properties": properties,
        "additionalProperties": false,
    })
}

/// The front-matter schema of an AIMS enabling `frameworks` whose `systems.yaml` lists
/// `systems` (their ids as the enum of `systems`; any id when `None`).
pub fn front_matter_schema_of_aims(frameworks: &Frameworks, systems: Option<&Systems>) -> Value {
    let mut schema = front_matter_schema_for(Some(frameworks));
    if let Some(list) = systems {
        let ids: Vec<&str> = list.list.iter().map(|s| s.id.as_str()).collect();
        let id = json!({"type": "string", "enum": ids});
        schema["properties"][Field::Systems.as_str()] = json!({
            "anyOf": [{"type": "array", "items": id}, id],
            "description": "Ids of the AI systems of systems.yaml this document is about (a list, or one id).",
        });
    }
    schema
}

/// [`front_matter_schema_of_aims`] as pretty-printed text with a final newline.
pub fn front_matter_schema_text_of_aims(
    frameworks: &Frameworks,
    systems: Option<&Systems>,
) -> String {
    schema_text(&front_matter_schema_of_aims(frameworks, systems))
}

/// The schema as pretty-printed text with a final newline.
pub fn front_matter_schema_text() -> String {
    schema_text(&front_matter_schema())
}

fn schema_text(schema: &Value) -> String {
    let mut s = serde_json::to_string_pretty(schema).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parsed_field_has_a_property_and_nothing_else() {
        let schema = front_matter_schema();
        let props = schema["properties"].as_object().unwrap();
        let mut names: Vec<&str> = props.keys().map(String::as_str).collect();
        let mut fields: Vec<&str> = Field::ALL.iter().map(|f| f.as_str()).collect();
        names.sort();
        fields.sort();
        assert_eq!(names, fields);
        assert_eq!(
            props["controls"]["anyOf"][0]["items"]["anyOf"][0]["enum"]
                .as_array()
                .unwrap()
                .len(),
            38
        );
    }
}
