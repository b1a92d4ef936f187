//! Frameworks beside ISO/IEC 42001: `frameworks` in aims.toml, team catalogs in
//! `frameworks/`, `frameworks:` declarations in front matter and `[[framework:id]]` references.

use super::table::*;
use crate::common::*;

const SOC2: &str = "framework:\n  id: soc2\n  name: SOC 2 Trust Services Criteria\n  version: \"2017\"\nentries:\n  - id: CC6\n    kind: category\n    parent: null\n    title: Logical and physical access\n  - id: CC6.1\n    kind: criterion\n    parent: CC6\n    title: Logical access security\n    summary: Restrict logical access.\n";

diag_cases! {
    unknown_framework_in_aims_toml: edited(None, |root| {
            write(root, "aims.toml", "title = \"T\"\norganization = \"O\"\nframeworks = [\"iso2701\"]\n");
        })
        .fails(1, 1)
        .expect(
            error(
                "AIMS0701",
                "unknown-framework",
                "aims.toml enables the framework `iso2701`, which is neither built in nor has a catalog in frameworks/",
            )
            .at("aims.toml", "frameworks =")
            .help("did you mean iso27001?"),
        );

    unknown_entry_of_an_enabled_framework: edited(None, |root| {
            write(root, "aims.toml", "title = \"T\"\norganization = \"O\"\nframeworks = [\"iso27001\"]\n");
            write(root, "p.md", "---\nid: POL-1\ntitle: P\nframeworks:\n  iso27001: [\"A.5.1\", \"A.5.99\"]\n---\nSee [[iso27001:A.8.35]].\n");
        })
        .fails(2, 1)
        .expect(
            error("AIMS0703", "unknown-framework-entry", "ISO/IEC 27001:2022 has no entry `A.5.99`")
                .at("p.md", "A.5.99")
                .help("did you mean A.5.29 or A.5.19?"),
        )
        .expect(
            error("AIMS0703", "unknown-framework-entry", "ISO/IEC 27001:2022 has no entry `A.8.35`")
                .at("p.md", "[[iso27001:A.8.35]]")
                .help(contains(&["[[iso27001:A.8.34]]"])),
        );

    framework_not_enabled_is_one_warning_naming_its_documents: edited(None, |root| {
            write(root, "a.md", "---\nid: A-1\ntitle: A\nframeworks: {soc2: [CC6.1, CC6.2]}\n---\n");
            write(root, "b.md", "---\nid: B-1\ntitle: B\n---\nAlso [[soc2:CC7.1]].\n");
            write(root, "c.md", "---\nid: C-1\ntitle: C\nframeworks:\n  iso27001: [A.5.1]\n---\n");
        })
        .warns(3)
        .expect(
            warning(
                "AIMS0702",
                "framework-not-enabled",
                "the framework `soc2` has no catalog and is not enabled, so its ids are neither checked nor linked; used by a.md, b.md",
            )
            .at("a.md", "CC6.1")
            .help("add its catalog as frameworks/soc2.yaml and \"soc2\" to `frameworks` in aims.toml"),
        )
        .expect(
            warning(
                "AIMS0702",
                "framework-not-enabled",
                "the framework `iso27001` is not enabled in aims.toml, so its ids are neither checked nor linked; used by c.md",
            )
            .at("c.md", "A.5.1")
            .help("add \"iso27001\" to `frameworks` in aims.toml"),
        )
        .then(|ran| {
            assert!(!ran.build.stderr.contains("unknown front-matter field"), "{}", ran.build.stderr);
        });

    catalog_errors_are_reported_at_their_lines: edited(None, |root| {
            write(root, "aims.toml", "title = \"T\"\norganization = \"O\"\nframeworks = [\"soc2\", \"customer\"]\n");
            write(
                root,
                "frameworks/soc2.yaml",
                "framework:\n  id: soc2\n  name: SOC 2\nentries:\n  - id: CC6\n    title: Access\n  - id: CC6.1\n    parent: CC9\n    title: Logical\n  - id: CC6\n    title: Again\n  - id: CC7\n",
            );
            write(root, "frameworks/customer.yaml", "framework:\n  id: customer\n  name: [oops\n");
        })
        .fails(4, 1)
        .expect(
            error("AIMS0700", "invalid-framework-catalog", starts_with("the catalog of `customer` is not valid YAML"))
                .on_lines("frameworks/customer.yaml", 3..=4)
                .help(contains(&["quote ids"])),
        )
        .expect(
            error("AIMS0700", "invalid-framework-catalog", "parent `CC9` is not an entry of `soc2`")
                .at("frameworks/soc2.yaml", "CC9")
                .help(contains(&["CC6"])),
        )
        .expect(
            error("AIMS0700", "invalid-framework-catalog", "`CC6` appears twice in the catalog of `soc2`")
                .printed_at("frameworks/soc2.yaml:10:9")
                .help("it is already listed at line 5; give every entry its own id"),
        )
        .expect(
            error("AIMS0700", "invalid-framework-catalog", "entry CC7 of `soc2` has no `title`")
                .printed_at("frameworks/soc2.yaml:12:9")
                .help("add `title: ...`"),
        );

    a_team_catalog_is_checked_like_a_built_in_one: edited(None, |root| {
            write(root, "aims.toml", "title = \"T\"\norganization = \"O\"\nframeworks = [\"soc2\"]\n");
            write(root, "frameworks/soc2.yaml", SOC2);
            write(root, "p.md", "---\nid: POL-1\ntitle: P\nframeworks:\n  soc2:\n    - id: CC6.1\n      note: MFA everywhere\n    - CC6.9\n---\n");
        })
        .fails(1, 1)
        .expect(
            error("AIMS0703", "unknown-framework-entry", "SOC 2 Trust Services Criteria has no entry `CC6.9`")
                .at("p.md", "CC6.9")
                .help("did you mean CC6.1 or CC6?"),
        );

    catalog_parents_that_go_round_in_a_circle_are_one_error: edited(None, |root| {
            write(root, "aims.toml", "title = \"T\"\norganization = \"O\"\nframeworks = [\"soc2\"]\n");
            write(
                root,
                "frameworks/soc2.yaml",
                "framework:\n  id: soc2\n  name: SOC 2\nentries:\n  - id: CC1\n    parent: CC2\n    title: One\n  - id: CC2\n    parent: CC1\n    title: Two\n  - id: CC3\n    parent: CC3\n    title: Three\n  - id: CC4\n    parent: CC1\n    title: Four\n",
            );
        })
        .fails(2, 1)
        .expect(
            error("AIMS0700", "invalid-framework-catalog", "the parents of `soc2` go round in a circle: CC1 → CC2 → CC1")
                .printed_at("frameworks/soc2.yaml:6:13")
                .help(contains(&["parent: null"])),
        )
        .expect(
            error("AIMS0700", "invalid-framework-catalog", "the parents of `soc2` go round in a circle: CC3 → CC3")
                .printed_at("frameworks/soc2.yaml:12:13")
                .help("an entry cannot be its own ancestor; give the topmost entry `parent: null`"),
        );

    a_crosswalk_to_a_framework_not_enabled_is_a_warning: edited(None, |root| {
            write(root, "aims.toml", "title = \"T\"\norganization = \"O\"\nframeworks = [\"soc2\"]\n");
            write(root, "frameworks/soc2.yaml", SOC2);
            write(root, "crosswalks/soc3.yaml", "framework: {id: soc3, name: SOC 3}\nconfidence: high\nmappings:\n  - {iso: A.6.2.4, targets: [CC6.1]}\n");
        })
        .warns(2)
        .expect(
            warning("AIMS0705", "crosswalk-not-enabled", "the crosswalk to `soc3` is not used: aims.toml does not enable `soc3`")
                .printed_at("crosswalks/soc3.yaml:1:12")
                .help("if it maps to `soc2`, name it crosswalks/soc2.yaml; otherwise add \"soc3\" to `frameworks` in aims.toml"),
        );

    a_framework_item_without_an_id_is_an_error: edited(None, |root| {
            write(root, "aims.toml", "title = \"T\"\norganization = \"O\"\nframeworks = [\"iso27001\"]\n");
            write(root, "p.md", "---\nid: POL-1\ntitle: P\nframeworks:\n  iso27001:\n    - note: no id here\n    - A.5.1\n---\n");
        })
        .fails(1, 1)
        .expect(
            error("AIMS0110", "missing-field", "an item of `frameworks.iso27001` has no `id`")
                .printed_at("p.md:4:12")
                .help("write `- id: A.5.1` with an optional `note:`"),
        );
}
