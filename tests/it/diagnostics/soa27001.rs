//! The Statement of Applicability of ISO/IEC 27001 Annex A: the rules of `iso27001:` in
//! soa.yaml (an exclusion needs a justification, ids must be Annex A controls, undecided
//! controls are one warning) and the key while aims.toml does not enable iso27001.

use std::path::Path;

use super::table::*;
use crate::common::*;

const ENABLED: &str = "title = \"T\"\norganization = \"O\"\nframeworks = [\"iso27001\"]\n";

/// The ISO/IEC 27001 Annex A control ids of the shipped catalog, in catalog order.
fn annex_a() -> Vec<String> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogs/frameworks/iso27001.yaml"),
    )
    .unwrap();
    let v: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    v["entries"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter(|e| e["kind"].as_str() == Some("control"))
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

/// soa.yaml deciding one ISO/IEC 42001 control (the rest one warning) and, under
/// `iso27001:`, every Annex A control but those in `skip` as applicable, then `extra`.
fn soa_with(skip: &[&str], extra: &str) -> String {
    let mut s = String::from("controls:\n  A.2.2: {applicable: true}\niso27001:\n");
    for id in annex_a().iter().filter(|id| !skip.contains(&id.as_str())) {
        s.push_str(&format!("  {id}: {{applicable: true}}\n"));
    }
    s.push_str(extra);
    s
}

diag_cases! {
    iso27001_exclusion_without_justification: edited(None, |root| {
            write(root, "aims.toml", ENABLED);
            write(root, "soa.yaml", soa_with(&["A.7.4"], "  A.7.4: {applicable: false}\n"));
        })
        .fails(1, 1)
        .expect(
            error(
                "AIMS0713",
                "soa-iso27001-missing-justification",
                "ISO/IEC 27001 A.7.4 is excluded without a justification",
            )
            .at("soa.yaml", "A.7.4: {applicable: false}")
            .help("add `justification: \"why this control does not apply\"`"),
        );

    /// `A.5.2` is an ISO/IEC 42001 control too: each block's error is at its own line.
    iso27001_and_iso42001_ids_are_placed_in_their_own_blocks: edited(None, |root| {
            write(root, "aims.toml", ENABLED);
            write(
                root,
                "soa.yaml",
                soa_with(&["A.5.2"], "  A.5.2: {applicable: false}\n")
                    .replacen("controls:\n", "controls:\n  A.5.2: {applicable: false}\n", 1),
            );
        })
        .then(|ran| {
            let d27 = ran.build.with_code("AIMS0713");
            let d42 = ran.build.with_code("AIMS0302");
            assert_eq!((d27.len(), d42.len()), (1, 1), "{}", ran.build.stderr);
            assert_eq!(d42[0].location.as_deref(), Some("soa.yaml:2:3"));
            let text = std::fs::read_to_string(ran.root.join("soa.yaml")).unwrap();
            let line = text.lines().count();
            assert_eq!(d27[0].location, Some(format!("soa.yaml:{line}:3")));
        })
        .fails(2, 1);

    iso27001_unknown_control_with_suggestion: edited(None, |root| {
            write(root, "aims.toml", ENABLED);
            write(root, "soa.yaml", soa_with(&[], "  A.5.99: {applicable: true}\n  \"5.2\": {applicable: true}\n"));
        })
        .fails(2, 1)
        .expect(
            error(
                "AIMS0711",
                "soa-iso27001-unknown-control",
                "unknown ISO/IEC 27001 Annex A control A.5.99 in soa.yaml",
            )
            .at("soa.yaml", "A.5.99")
            .help("did you mean A.5.29 or A.5.19?"),
        )
        .expect(
            error(
                "AIMS0711",
                "soa-iso27001-unknown-control",
                "5.2 is not an ISO/IEC 27001 Annex A control; `iso27001:` in soa.yaml decides on controls only",
            )
            .at("soa.yaml", "5.2\": {applicable")
            .help("did you mean A.5.2?"),
        );

    iso27001_key_while_not_enabled: edited(None, |root| {
            write(root, "soa.yaml", "controls:\n  A.2.2: {applicable: true}\niso27001:\n  A.5.1: {applicable: false}\n");
        })
        .warns(2)
        .expect(
            warning(
                "AIMS0710",
                "soa-iso27001-not-enabled",
                "soa.yaml has decisions on ISO/IEC 27001 Annex A (`iso27001:`), but aims.toml does not enable iso27001; they are ignored",
            )
            .at("soa.yaml", "iso27001:")
            .help("add \"iso27001\" to `frameworks` in aims.toml"),
        )
        .then(|ran| {
            // Ignored: the exclusion without a justification is not checked, and no page.
            assert!(ran.build.with_code("AIMS0713").is_empty());
            assert!(!ran.out.join("frameworks").exists());
        });

    iso27001_undecided_controls_are_one_warning: edited(None, |root| {
            write(root, "aims.toml", ENABLED);
            write(root, "soa.yaml", soa_with(&["A.5.3", "A.8.34"], "  A.5.3: {}\n"));
        })
        .warns(2)
        .expect(
            warning(
                "AIMS0712",
                "soa-iso27001-undecided",
                "2 ISO/IEC 27001 Annex A controls have no decision in soa.yaml under `iso27001:` and are treated as applicable: A.5.3 (line 95), A.8.34 (not listed)",
            )
            .at("soa.yaml", "A.5.3: {}")
            .help(contains(&["frameworks/iso27001/soa.html marks every undecided control"])),
        );

    iso27001_one_undecided_control_is_named: edited(None, |root| {
            write(root, "aims.toml", ENABLED);
            write(root, "soa.yaml", soa_with(&["A.8.34"], ""));
        })
        .warns(2)
        .expect(
            warning(
                "AIMS0712",
                "soa-iso27001-undecided",
                "soa.yaml has no decision under `iso27001:` for A.8.34 (Protection of information systems during audit testing); it is treated as applicable",
            )
            .printed_at("soa.yaml")
            .help(starts_with("add `A.8.34: {applicable: true")),
        );

    /// References in the texts are checked like those under `controls:`, each at its place;
    /// the same text under `controls:` or under another control is not mistaken for it.
    iso27001_references_are_checked_at_their_place: edited(None, |root| {
            write(root, "aims.toml", ENABLED);
            write(root, "pol.md", "---\nid: POL-1\ntitle: P\n---\nText.\n");
            let soa = soa_with(&["A.5.1", "A.5.2"], "  A.5.1:\n    applicable: true\n    evidence: \"[[POL-1]] and [[POL\\x2D9]]\"\n  A.5.2: {applicable: true, evidence: \"[[POL-9]]\"}\n")
                .replacen("controls:\n", "controls:\n  A.2.3: {applicable: true, evidence: \"[[POL-9]] [[POL-9|again]]\"}\n", 1);
            write(root, "soa.yaml", soa);
        })
        .fails(4, 1)
        .then(|ran| {
            let text = std::fs::read_to_string(ran.root.join("soa.yaml")).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            let n = lines.len();
            let at = |line: usize, needle: &str| {
                format!("soa.yaml:{line}:{}", lines[line - 1].find(needle).unwrap() + 1)
            };
            let got: Vec<Option<String>> = ran
                .build
                .with_code("AIMS0201")
                .into_iter()
                .map(|d| d.location)
                .collect();
            // Written behind an escape, a reference is placed at its control's key, never at
            // the same text in the next control.
            let want = [
                at(2, "[[POL-9]]"),
                at(2, "[[POL-9|again]]"),
                at(n - 3, "A.5.1"),
                at(n, "[[POL-9]]"),
            ];
            for w in &want {
                assert!(got.contains(&Some(w.clone())), "{w} not in {got:?}");
            }
        })
        .then(|ran| {
            let out = ran.build.with_code("AIMS0201");
            assert_eq!(out.len(), 4, "{}", ran.build.stderr);
        });

    iso27001_declaring_an_excluded_control: edited(None, |root| {
            write(root, "aims.toml", ENABLED);
            write(root, "p.md", "---\nid: POL-1\ntitle: P\nframeworks:\n  iso27001: [A.5.1, A.7.4]\n---\nText.\n");
            write(root, "soa.yaml", soa_with(&["A.7.4"], "  A.7.4: {applicable: false, justification: \"No premises.\"}\n"));
        })
        .warns(2)
        .expect(
            warning(
                "AIMS0509",
                "claims-excluded-control",
                "POL-1 declares ISO/IEC 27001 A.7.4, which soa.yaml excludes as not applicable",
            )
            .at("p.md", "A.7.4")
            .help("remove A.7.4 from `frameworks: {iso27001: [...]}`, or make it applicable under `iso27001:` in soa.yaml"),
        );

    iso27001_enabled_without_the_key_asks_for_nothing: edited(None, |root| {
            write(root, "aims.toml", ENABLED);
            write(root, "soa.yaml", "controls:\n  A.2.2: {applicable: true}\n");
        })
        .warns(1)
        .then(|ran| {
            assert!(ran.build.with_code("AIMS0712").is_empty(), "{}", ran.build.stderr);
            assert!(ran.out.join("frameworks/iso27001/soa.html").is_file());
        });
}
