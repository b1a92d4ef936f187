//! The two files at the root besides the documents: `soa.yaml` (decisions, justifications,
//! missing decisions, no SoA at all) and `aims.toml`.

use super::table::*;
use crate::common::*;

const NO_SOA: &str = "AIMS0303";

diag_cases! {
    soa_exclusion_without_justification: fixture_case("soa-missing-justification")
        .fails(1, 0)
        .expect(
            error(
                "AIMS0302",
                "soa-missing-justification",
                "A.7.3 is excluded without a justification",
            )
            .at("soa.yaml", "A.7.3")
            .help(contains(&["justification"])),
        );

    soa_with_an_unknown_control: fixture_case("soa-unknown-control")
        .fails(1, 0)
        .expect(
            error("AIMS0301", "soa-unknown-control", "unknown control A.6.2.9 in soa.yaml")
                .at("soa.yaml", "A.6.2.9")
                .help(contains(&["did you mean A.6.2.8"])),
        );

    soa_missing_a_control_is_a_warning: fixture_case("soa-missing-control")
        .warns(1)
        .expect(
            warning(
                NO_SOA,
                "soa-undecided",
                format!(
                    "soa.yaml has no decision for A.10.4 ({}); it is treated as applicable",
                    title_of("A.10.4")
                ),
            )
            .printed_at("soa.yaml")
            .help(contains(&["A.10.4"])),
        );

    /// Several undecided controls are one warning: how many, and the first few at their lines
    /// (or "not listed"), at the first one written.
    soa_with_undecided_controls_is_one_warning: edited(Some("soa-missing-control"), |root| {
        let path = root.join("soa.yaml");
        let text = std::fs::read_to_string(&path).unwrap();
        let text: String = text
            .lines()
            .map(|l| match l.trim_start().split(':').next() {
                Some(id @ ("A.5.2" | "A.10.2")) => format!("  {id}: {{}}\n"),
                _ => format!("{l}\n"),
            })
            .collect();
        std::fs::write(path, text).unwrap();
    })
    .warns(1)
    .expect(
        warning(
            NO_SOA,
            "soa-undecided",
            "3 Annex A controls have no decision in soa.yaml and are treated as applicable: \
             A.5.2 (line 12), A.10.2 (line 37), A.10.4 (not listed)",
        )
        .printed_at("soa.yaml:12:3")
        .help(contains(&["decide each one", "`A.5.2: {applicable: true", "applicable: false"])),
    );

    /// Every control is then shown as undecided.
    no_soa_is_a_warning: fixture_case("no-soa")
        .warns(1)
        .expect(
            warning(
                NO_SOA,
                "soa-undecided",
                "there is no soa.yaml: every Annex A control is treated as applicable and undecided",
            )
            .printed_at("soa.yaml")
            .help(Text::NonEmpty),
        )
        .then(|c| {
            let soa = page(&c.out, "soa.html");
            let applicable = texts(&soa, ".soa-table tbody tr td:nth-of-type(2)");
            assert_eq!(applicable.len(), 38);
            assert!(applicable.iter().all(|a| a == "undecided"), "{applicable:?}");
        });

    aims_toml_syntax_error: fixture_case("config-syntax")
        .fails(1, 0)
        .expect(
            error("AIMS0010", "invalid-config", starts_with("aims.toml is not valid: "))
                .on_lines("aims.toml", 1..=2),
        );

    aims_toml_without_title: fixture_case("config-missing-title")
        .fails(1, 0)
        .expect(
            error("AIMS0010", "invalid-config", "aims.toml has no `title`")
                .printed_at("aims.toml")
                .help(contains(&["title = "])),
        );

    aims_toml_unknown_key_is_a_warning: fixture_case("config-unknown-key")
        .warns(2)
        .expect(
            warning("AIMS0010", "invalid-config", "unknown setting `descripton` in aims.toml")
                .at("aims.toml", "descripton")
                .help("did you mean description?"),
        );
}

/// The catalog title of `id`.
fn title_of(id: &str) -> String {
    catalog()
        .into_iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("{id} is not in the catalog"))
        .title
}
