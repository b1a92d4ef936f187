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

/// An approved record in force, for `systems` addressing `clauses`.
fn record(id: &str, systems: &str, clauses: &str) -> String {
    format!("---\nid: {id}\ntitle: Record {id}\ntype: record\nstatus: approved\nversion: \"1\"\nowner: O\napprover: A\napproved: 2026-01-10\nreview: 2027-01-10\nclauses: {clauses}\nsystems: {systems}\n---\nBody.\n")
}

diag_cases! {
    documents_name_systems_that_exist_and_ids_stay_unambiguous: edited(None, |root| {
            write(
                root,
                "systems.yaml",
                "systems:\n  - id: AIS-01\n    name: Scoring\n    in_scope: false\n  - id: pol-1\n    name: Clash\n    in_scope: false\n  - id: A.2.2\n    name: Clash too\n    in_scope: false\n",
            );
            write(root, "p.md", "---\nid: POL-1\ntitle: P\nsystems: [AIS-1]\n---\nSee [[AIS-01]] and [[AIS-010]].\n");
        })
        .fails(4, 1)
        .expect(
            error("AIMS0905", "unknown-system", "systems.yaml has no AI system `AIS-1`")
                .at("p.md", "AIS-1]")
                .help("did you mean AIS-01?"),
        )
        .expect(
            error("AIMS0904", "system-id-collision", "system id `pol-1` is also the id of the document p.md (`POL-1`)")
                .at("systems.yaml", "pol-1")
                .help("give the system an id of its own (e.g. AIS-01): `[[ID]]` must name one thing"),
        )
        .expect(
            error("AIMS0904", "system-id-collision", "system id `A.2.2` is also the id of an ISO/IEC 42001 clause or control")
                .at("systems.yaml", "A.2.2")
                .help(starts_with("give the system an id of its own")),
        )
        .expect(
            error("AIMS0201", "unknown-document", "no document, catalog entry or AI system has the id `AIS-010`")
                .at("p.md", "[[AIS-010]]")
                .help("did you mean AIS-01?"),
        );

    systems_named_without_an_inventory: edited(None, |root| {
            write(root, "p.md", "---\nid: POL-1\ntitle: P\nsystems: AIS-01\n---\n");
        })
        .fails(1, 1)
        .expect(
            error("AIMS0905", "unknown-system", "`systems` names `AIS-01`, but the AIMS has no systems.yaml")
                .at("p.md", "AIS-01")
                .help("list the AI systems in systems.yaml at the root"),
        );

    a_system_lacking_its_records_and_a_record_of_a_retired_system: edited(None, |root| {
            write(
                root,
                "systems.yaml",
                "systems:\n  - id: AIS-01\n    name: Hiring screen\n    role: deployer\n    risk_class: high-risk\n  - id: AIS-02\n    name: Old model\n    retired: 2026-01-01\n",
            );
            write(root, "r.md", record("REC-1", "[AIS-01, AIS-02]", "[\"8.2\"]"));
        })
        .warns(3)
        .expect(
            warning(
                "AIMS0910",
                "missing-system-evidence",
                "the AI system AIS-01 (Hiring screen) has no current record for: AI system impact assessment (missing); Fundamental-rights impact assessment (AI Act Art. 27) (missing)",
            )
            .at("systems.yaml", "AIS-01")
            .help("add an approved record (`type: record`) with `systems: [AIS-01]` that addresses the clause or control, or mark the system `in_scope: false`"),
        )
        .expect(
            warning("AIMS0911", "retired-system-record", "REC-1 names the AI system AIS-02 (Old model), which was retired on 2026-01-01")
                .at("r.md", "AIS-02]")
                .help("retire the document, or remove the system from its `systems`"),
        );

    expectations_in_aims_toml_are_checked: edited(None, |root| {
            write(
                root,
                "aims.toml",
                "title = \"T\"\norganization = \"O\"\n\n[systems]\nremove = [\"event-log\"]\n\n[[systems.expect]]\nid = \"data-quality\"\naddresses = [\"A.7.9\"]\nrole = [\"provder\"]\n",
            );
        })
        .fails(3, 1)
        .expect(
            error("AIMS0010", "invalid-config", "[systems] removes `event-log`, which is no expectation")
                .at("aims.toml", "remove")
                .help("did you mean event-logs?"),
        )
        .expect(
            error("AIMS0010", "invalid-config", "[[systems.expect]] `data-quality` addresses `A.7.9`, which is no ISO/IEC 42001 clause or control")
                .at("aims.toml", "id = \"data-quality\"")
                .help(starts_with("did you mean A.7.")),
        )
        .expect(
            error("AIMS0010", "invalid-config", "[[systems.expect]] `data-quality`: `role` \"provder\" is not allowed; use one of provider | developer | deployer | user")
                .at("aims.toml", "id = \"data-quality\"")
                .help("did you mean provider?"),
        );
}
