//! The Statement of Applicability: the decision on each Annex A control, as data. Reading
//! and checking `soa.yaml` is the load stage's job (`load::soa`).

use std::collections::BTreeMap;

use serde::Serialize;

use super::ids::CatalogId;

/// The file name at the AIMS root.
pub const SOA_FILE: &str = "soa.yaml";

/// How far an applicable control is implemented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Implementation {
    /// In place and operating.
    Implemented,
    /// Partly in place.
    Partial,
    /// Decided but not yet in place.
    Planned,
}

impl Implementation {
    /// The YAML spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Implementation::Implemented => "implemented",
            Implementation::Partial => "partial",
            Implementation::Planned => "planned",
        }
    }
}

/// The decision for one control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// Whether the control applies.
    pub applicable: bool,
    /// Why (required when excluded).
    pub justification: Option<String>,
    /// Implementation state, for applicable controls.
    pub implementation: Option<Implementation>,
}

/// All decisions, by control id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Soa {
    /// Decisions by canonical control id.
    pub decisions: BTreeMap<CatalogId, Decision>,
    /// Whether `soa.yaml` exists.
    pub present: bool,
}

impl Soa {
    /// Whether the Statement of Applicability is approved as a controlled document. `soa.yaml`
    /// records no approval of its own, so a present file counts as approved; whether every
    /// control is decided is judged separately (`analyse::required`).
    pub fn is_approved(&self) -> bool {
        self.present
    }
}
