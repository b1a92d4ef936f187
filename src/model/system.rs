//! The AI systems of the AIMS (`systems.yaml` at the root) as data: each system's inventory
//! fields ([`System`]), the organisation's role for it, its life-cycle stage and risk class,
//! and the evidence each in-scope system is expected to have ([`Expectation`]). Reading and
//! checking `systems.yaml` is the load stage's job (`load::systems`); which records meet an
//! expectation is the analyse stage's (`analyse::systems`).

use serde::Serialize;

use super::frontmatter::value_enum;
use super::ids::{CatalogId, DocKey};
use crate::date::Date;
use crate::diagnostics::Span;

/// The file name at the AIMS root.
pub const SYSTEMS_FILE: &str = "systems.yaml";

/// The id of an AI system, e.g. `AIS-03`: the same characters as a document id
/// (`[A-Za-z0-9._-]`), unique ignoring case among systems, documents and catalog ids.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct SystemId(String);

impl SystemId {
    /// Validates and wraps an id (the rules of a document id).
    pub fn parse(s: &str) -> Option<SystemId> {
        super::ids::DocId::parse(s).map(|d| SystemId(d.as_str().to_string()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key by which ids are unique (letters folded to lowercase).
    pub fn key(&self) -> DocKey {
        DocKey::of(&self.0)
    }
}

impl std::fmt::Display for SystemId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

value_enum!(
    /// A key of one system in `systems.yaml`; the one list the unknown-key check and the
    /// schema follow.
    SystemField {
        Id = "id",
        Name = "name",
        Description = "description",
        Owner = "owner",
        InScope = "in_scope",
        Role = "role",
        Stage = "stage",
        RiskClass = "risk_class",
        GeneralPurpose = "general_purpose",
        ThirdParties = "third_parties",
        Since = "since",
        Retired = "retired",
    }
);

value_enum!(
    /// The organisation's role for a system (ISO/IEC 42001 A.10, EU AI Act Art. 3).
    Role {
        Provider = "provider",
        Developer = "developer",
        Deployer = "deployer",
        User = "user",
    }
);

value_enum!(
    /// Where a system is in its life cycle (ISO/IEC 22989 stages).
    Stage {
        Inception = "inception",
        Design = "design-and-development",
        Validation = "verification-and-validation",
        Deployment = "deployment",
        Operation = "operation-and-monitoring",
        Reevaluation = "re-evaluation",
        Retirement = "retirement",
    }
);

value_enum!(
    /// The EU AI Act risk class of a system.
    RiskClass {
        Prohibited = "prohibited",
        HighRisk = "high-risk",
        Limited = "limited",
        Minimal = "minimal",
    }
);

/// One AI system of the inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct System {
    /// Unique id.
    pub id: SystemId,
    /// Display name.
    pub name: String,
    /// What it does.
    pub description: Option<String>,
    /// Who is accountable for it.
    pub owner: Option<String>,
    /// Whether it is within the scope of the AIMS (4.3); `true` when not written.
    pub in_scope: bool,
    /// The organisation's roles for it, in the order written.
    pub roles: Vec<Role>,
    /// Life-cycle stage.
    pub stage: Option<Stage>,
    /// EU AI Act risk class.
    pub risk_class: Option<RiskClass>,
    /// A general-purpose AI system or model.
    pub general_purpose: bool,
    /// Third parties involved (suppliers, model providers, operators).
    pub third_parties: Vec<String>,
    /// In use since.
    pub since: Option<Date>,
    /// Retired on.
    pub retired: Option<Date>,
    /// Where its `id` is written.
    #[serde(skip)]
    pub span: Span,
}

impl System {
    /// Whether it is retired as of `today` (a `retired` date not after today, or the
    /// retirement stage).
    pub fn is_retired(&self, today: Date) -> bool {
        self.retired.is_some_and(|r| r <= today) || self.stage == Some(Stage::Retirement)
    }

    /// Whether evidence is expected of it today: in scope and not retired.
    pub fn is_governed(&self, today: Date) -> bool {
        self.in_scope && !self.is_retired(today)
    }

    /// The roles joined for display (`provider, deployer`), or `—`.
    pub fn roles_text(&self) -> String {
        if self.roles.is_empty() {
            return "—".into();
        }
        let names: Vec<&str> = self.roles.iter().map(|r| r.as_str()).collect();
        names.join(", ")
    }
}

/// When an expectation applies to a system: every list that is not empty must contain the
/// system's value (any of its roles).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Condition {
    /// Risk classes it applies to (empty: any).
    pub risk_class: Vec<RiskClass>,
    /// Roles it applies to (empty: any).
    pub role: Vec<Role>,
}

impl Condition {
    /// Whether `system` meets the condition.
    pub fn applies_to(&self, system: &System) -> bool {
        let class_ok = self.risk_class.is_empty()
            || system
                .risk_class
                .is_some_and(|c| self.risk_class.contains(&c));
        let role_ok = self.role.is_empty() || system.roles.iter().any(|r| self.role.contains(r));
        class_ok && role_ok
    }
}

/// A record each in-scope system to which it applies is expected to have: a current,
/// approved document of type `record` or `register` that names the system and addresses one
/// of `addresses`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expectation {
    /// Short id (`risk-assessment`), used in aims.toml and coverage.json.
    pub id: String,
    /// What it is, for pages and messages.
    pub name: String,
    /// The clauses and controls a record addresses to count.
    pub addresses: Vec<CatalogId>,
    /// The systems it applies to.
    pub when: Condition,
}

/// The expectations when aims.toml changes none: a risk assessment and an impact assessment
/// for every in-scope system; technical documentation and event logs where the organisation
/// provides a high-risk system (EU AI Act Art. 11–12); a fundamental-rights impact assessment
/// where it deploys one (Art. 27).
pub fn default_expectations() -> Vec<Expectation> {
    let ids = |list: &[&str]| list.iter().map(|s| CatalogId::new(*s)).collect();
    let high = |roles: Vec<Role>| Condition {
        risk_class: vec![RiskClass::HighRisk],
        role: roles,
    };
    vec![
        Expectation {
            id: "risk-assessment".into(),
            name: "AI risk assessment".into(),
            addresses: ids(&["8.2", "6.1.2"]),
            when: Condition::default(),
        },
        Expectation {
            id: "impact-assessment".into(),
            name: "AI system impact assessment".into(),
            addresses: ids(&["8.4", "6.1.4", "A.5.3", "A.5.4", "A.5.5"]),
            when: Condition::default(),
        },
        Expectation {
            id: "technical-documentation".into(),
            name: "Technical documentation (AI Act Art. 11)".into(),
            addresses: ids(&["A.6.2.7"]),
            when: high(vec![Role::Provider]),
        },
        Expectation {
            id: "event-logs".into(),
            name: "Event logging records (AI Act Art. 12)".into(),
            addresses: ids(&["A.6.2.8"]),
            when: high(vec![Role::Provider]),
        },
        Expectation {
            id: "fundamental-rights".into(),
            name: "Fundamental-rights impact assessment (AI Act Art. 27)".into(),
            addresses: ids(&["A.5.4", "A.5.5"]),
            when: high(vec![Role::Deployer]),
        },
    ]
}

/// The inventory read from `systems.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Systems {
    /// The systems, in the order written (duplicates and unusable entries left out).
    pub list: Vec<System>,
    /// The evidence expected of each in-scope system (the defaults as aims.toml changes
    /// them).
    pub expectations: Vec<Expectation>,
    /// The index in `list` by id, exactly as written.
    by_id: std::collections::HashMap<String, usize>,
}

impl Systems {
    /// The inventory of `list`.
    pub fn new(list: Vec<System>) -> Systems {
        let by_id = list
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str().to_string(), i))
            .collect();
        Systems {
            list,
            expectations: default_expectations(),
            by_id,
        }
    }

    /// The index of the system with id `id` (exactly as written).
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// The system with id `id` (exactly as written).
    pub fn get(&self, id: &str) -> Option<&System> {
        self.index_of(id).map(|i| &self.list[i])
    }
}
