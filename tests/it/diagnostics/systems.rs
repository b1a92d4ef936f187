//! The AI system inventory (`systems.yaml`) and what documents say about systems: every
//! problem of the file at its line, with a did-you-mean where one helps.

use super::table::*;
use crate::common::*;

diag_cases! {
    inventory_problems_are_collected_at_their_lines: edited(None, |root| {
            write(
                root,
                "systems.yaml",
                "systems:\n  - id: AIS-01\n    name: Scoring\n    in_scope: false\n    risk_class: hihg-risk\n    rol: provider\n    since: 2024-02-30\n  - id: ais-01\n    name: Again\n    in_scope: false\n  - id: AIS-02\n    in_scope: false\n",
            );
        })
        .fails(4, 2)
        .expect(
            error("AIMS0902", "invalid-system-value", "`risk_class: hihg-risk` is not allowed; use one of prohibited | high-risk | limited | minimal")
                .at("systems.yaml", "hihg-risk")
                .help("did you mean high-risk?"),
        )
        .expect(
            warning("AIMS0901", "unknown-system-key", "unknown key `rol` of a system in systems.yaml")
                .at("systems.yaml", "provider")
                .help("did you mean role?"),
        )
        .expect(
            error("AIMS0902", "invalid-system-value", "`since: 2024-02-30` is not a date")
                .at("systems.yaml", "2024-02-30")
                .help("write `since: 2026-03-01` (YYYY-MM-DD, a day that exists)"),
        )
        .expect(
            error("AIMS0903", "duplicate-system", "system id `ais-01` is already used by `AIS-01` at line 2")
                .at("systems.yaml", "ais-01")
                .help("give every system its own id; ids are compared ignoring case"),
        )
        .expect(
            error("AIMS0900", "invalid-systems", "system `AIS-02` in systems.yaml has no `name`")
                .at("systems.yaml", "AIS-02")
                .help("add `name: ...`, the name readers know the system by"),
        );

    inventory_that_is_not_yaml: edited(None, |root| {
            write(root, "systems.yaml", "systems:\n  - id: [AIS-01\n");
        })
        .fails(1, 1)
        .expect(
            error("AIMS0900", "invalid-systems", starts_with("systems.yaml is not valid YAML"))
                .on_lines("systems.yaml", 2..=3)
                .help(starts_with("check indentation")),
        );
}
