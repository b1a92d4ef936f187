//! The JSON Schema (draft 2020-12) of `systems.yaml`, for editors: generated from the key
//! list ([`SystemField`]) and the value enums the reader itself uses, so they cannot drift
//! (the `match` below is exhaustive).

use serde_json::{json, Map, Value};

use crate::model::system::{RiskClass, Role, Stage, SystemField};

/// The `$id` of the schema.
pub const SYSTEMS_SCHEMA_ID: &str = "https://aimsdoc.invalid/schema/systems.json";

fn property(field: SystemField) -> Value {
    let date =
        json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "format": "date"});
    let texts =
        json!({"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]});
    match field {
        SystemField::Id => json!({
            "type": "string",
            "pattern": "^[A-Za-z0-9_-][A-Za-z0-9._-]*$",
            "maxLength": 128,
            "not": {"pattern": "^[Ii][Nn][Dd][Ee][Xx]$"},
            "description": "Unique id of the AI system (ignoring case), e.g. AIS-01; not a document, clause or control id.",
        }),
        SystemField::Name => {
            json!({"type": "string", "minLength": 1, "description": "The name readers know the system by."})
        }
        SystemField::Description => {
            json!({"type": "string", "description": "What the system does."})
        }
        SystemField::Owner => {
            json!({"type": "string", "description": "Who is accountable for it."})
        }
        SystemField::InScope => {
            json!({"type": "boolean", "default": true, "description": "Within the scope of the AIMS (4.3)."})
        }
        SystemField::Role => {
            let role = json!({"enum": Role::NAMES});
            json!({"anyOf": [{"type": "array", "items": role}, role], "description": "The organisation's roles for the system."})
        }
        SystemField::Stage => json!({"enum": Stage::NAMES, "description": "Life-cycle stage."}),
        SystemField::RiskClass => {
            json!({"enum": RiskClass::NAMES, "description": "EU AI Act risk class."})
        }
        SystemField::GeneralPurpose => {
            json!({"type": "boolean", "default": false, "description": "A general-purpose AI system or model."})
        }
        SystemField::ThirdParties => {
            let mut v = texts;
            v["description"] =
                json!("Third parties involved: suppliers, model providers, operators.");
            v
        }
        SystemField::Since => {
            let mut v = date;
            v["description"] = json!("In use since (YYYY-MM-DD).");
            v
        }
        SystemField::Retired => {
            let mut v = date;
            v["description"] = json!("Retired on (YYYY-MM-DD).");
            v
        }
    }
}

/// The schema of `systems.yaml` as a JSON value.
pub fn systems_schema() -> Value {
    let mut properties = Map::new();
    for f in SystemField::ALL {
        properties.insert(f.as_str().to_string(), property(*f));
    }
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SYSTEMS_SCHEMA_ID,
        "title": "aimsdoc AI system inventory (systems.yaml)",
        "type": "object",
        "properties": {
            "systems": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "name"],
                    "properties": properties,
                    "additionalProperties": false,
                },
            },
        },
        "additionalProperties": false,
    })
}

/// The schema as pretty-printed text with a final newline.
pub fn systems_schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&systems_schema()).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_a_property_and_nothing_else() {
        let schema = systems_schema();
        let props = schema["properties"]["systems"]["items"]["properties"]
            .as_object()
            .unwrap();
        let names: Vec<&str> = props.keys().map(String::as_str).collect();
        let mut keys: Vec<&str> = SystemField::NAMES.to_vec();
        keys.sort();
        assert_eq!(names, keys);
    }
}
