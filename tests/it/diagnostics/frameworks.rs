//! Frameworks beside ISO/IEC 42001: `frameworks` in aims.toml and team catalogs in
//! `frameworks/`.

use super::table::*;
use crate::common::*;

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
}
