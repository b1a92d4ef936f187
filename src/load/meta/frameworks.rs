//! Reading `frameworks` — the entries of other frameworks a document addresses, by framework
//! id: `frameworks: {iso27001: ["A.5.1", "7.5"], soc2: [{id: CC6.1, note: ...}]}`. Only the
//! shape is checked here; whether each framework is enabled and each id exists is the
//! resolve stage's, which knows every catalog and every document.

use serde_yaml::Value;

use super::fields::{kind_name, Fields};
use crate::diagnostics::code;
use crate::model::frontmatter::{Field, FrameworkRef};

impl Fields<'_, '_> {
    /// The `frameworks` mapping: framework id → a list of ids or `{id, note}` (or one).
    pub(super) fn framework_refs(&mut self, v: Value) -> Vec<FrameworkRef> {
        let key = Field::Frameworks;
        let map = match v {
            Value::Mapping(map) => map,
            v => {
                let span = self.value(key);
                self.err(
                    code::INVALID_TYPE,
                    span,
                    format!(
                        "`frameworks` must be a mapping of framework ids to lists of ids, found {}",
                        kind_name(&v)
                    ),
                    Some("write `frameworks: {iso27001: [A.5.1, \"7.5\"]}`".into()),
                );
                return Vec::new();
            }
        };
        let mut out: Vec<FrameworkRef> = Vec::new();
        for (name, items) in map {
            let Some(framework) = name.as_str().map(str::to_string) else {
                let span = self.value(key);
                self.err(
                    code::INVALID_TYPE,
                    span,
                    format!(
                        "framework ids in `frameworks` must be text, found {}",
                        kind_name(&name)
                    ),
                    None,
                );
                continue;
            };
            // Moves the search for items past the framework's own name.
            let _ = self.loc.item(key.as_str(), &framework);
            let items = match items {
                Value::Sequence(items) => items,
                Value::Null => Vec::new(),
                one => vec![one],
            };
            for item in items {
                let (id, note) = match item {
                    Value::Mapping(m) => {
                        let what = format!("frameworks.{framework}");
                        match self.id_and_note(key, &m, &what, "A.5.1") {
                            Some(item) => item,
                            None => continue,
                        }
                    }
                    other => match self.string(key, other) {
                        Some(s) => (s, None),
                        None => continue,
                    },
                };
                let span = self.loc.item(key.as_str(), &id);
                if out.iter().any(|r| r.framework == framework && r.id == id) {
                    continue;
                }
                out.push(FrameworkRef {
                    framework: framework.clone(),
                    id,
                    note,
                    span,
                });
            }
        }
        out
    }
}
