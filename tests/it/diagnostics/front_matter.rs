//! Problems of one file: reading it (UTF-8, front matter present and closed, valid YAML, a
//! mapping), its fields (required, known, typed, valid values and dates, valid and unique
//! ids) and the catalog ids it lists.

use super::table::*;
use crate::common::*;

/// The controls below `prefix` (`A.6` → `A.6.1.2, …`), from the catalog file.
fn controls_under(prefix: &str) -> String {
    catalog()
        .iter()
        .filter(|e| e.kind == "control" && e.id.starts_with(&format!("{prefix}.")))
        .map(|e| e.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

diag_cases! {
    unknown_control_in_front_matter: fixture_case("unknown-control")
        .fails(1, 1)
        .expect(
            error("AIMS0101", "unknown-control", "unknown control A.6.2.9")
                .at("policies/ai-policy.md", "A.6.2.9")
                .help(contains(&["did you mean A.6.2.8"])),
        );

    unknown_clause_in_front_matter: fixture_case("unknown-clause")
        .fails(1, 1)
        .expect(
            error("AIMS0102", "unknown-clause", "unknown clause 6.1.9")
                .at("policies/ai-policy.md", "6.1.9")
                .help(contains(&["did you mean 6.1.4"])),
        );

    objective_group_and_control_in_the_wrong_list: fixture_case("objective-as-control")
        .fails(3, 1)
        .expect(
            error("AIMS0101", "unknown-control", "A.6 is a control objective, not a control")
                .at("procedures/life-cycle.md", "A.6,")
                .help(format!("list the controls it contains: {}", controls_under("A.6"))),
        )
        .expect(
            error("AIMS0101", "unknown-control", "A.6.2 is a group of controls, not a control")
                .at("procedures/life-cycle.md", "A.6.2]")
                .help(format!("list the controls it contains: {}", controls_under("A.6.2"))),
        )
        .expect(
            error("AIMS0102", "unknown-clause", "A.2.2 is an Annex A control, not a clause")
                .at("procedures/life-cycle.md", "A.2.2")
                .help("move A.2.2 to `controls`"),
        );

    /// The control is still addressed, under its canonical id.
    hyphenated_control_id_is_a_warning_and_still_counts: fixture_case("hyphenated-id")
        .warns(2)
        .expect(
            warning("AIMS0103", "non-canonical-id", "`A-6-2-4` is written in a non-canonical form")
                .at("procedures/verification.md", "A-6-2-4")
                .help("write A.6.2.4"),
        )
        .then(|c| {
            let control = page(&c.out, "controls/A.6.2.4.html");
            let implementers = texts(&control, "#implemented-by a");
            assert_eq!(implementers, vec!["PRO-VV-001 Verification and Validation"]);
        });

    missing_id: fixture_case("missing-id")
        .fails(1, 1)
        .expect(
            error("AIMS0110", "missing-field", "front matter has no `id`; it is required")
                .printed_at("policies/no-id.md:2:1")
                .help(contains(&["id: "])),
        );

    missing_title: fixture_case("missing-title")
        .fails(1, 1)
        .expect(
            error("AIMS0110", "missing-field", "front matter has no `title`; it is required")
                .printed_at("policies/no-title.md:2:1")
                .help("add `title: ...`"),
        );

    bad_status_value: fixture_case("bad-status")
        .fails(1, 1)
        .expect(
            error(
                "AIMS0113",
                "invalid-value",
                "`status: aproved` is not allowed; use one of draft | in-review | approved | retired",
            )
            .at("policies/ai-policy.md", "aproved")
            .help("did you mean approved?"),
        );

    bad_date: fixture_case("bad-date")
        .fails(1, 1)
        .expect(
            error("AIMS0114", "invalid-date", "`review: 2026-13-01` is not a valid date")
                .at("policies/ai-policy.md", "2026-13-01")
                .help(contains(&["YYYY-MM-DD"])),
        );

    /// A date written the wrong way is one error at the value: the document is not also
    /// "approved but has no `approved`" at its `status:` line.
    bad_approval_date_is_one_error: edited(None, |root| {
        write(root, "policies/p.md", approved_policy("approved: 01/03/2026\nowner: AIMS Manager\n"));
    })
    .fails(1, 1)
    .expect(
        error("AIMS0114", "invalid-date", "`approved: 01/03/2026` is not a valid date")
            .at("policies/p.md", "01/03/2026")
            .help(contains(&["YYYY-MM-DD"])),
    );

    /// Likewise a bad `review` date is not also "without a `review` date".
    bad_review_date_is_one_error: edited(None, |root| {
        write(
            root,
            "policies/p.md",
            approved_policy("approved: 2026-03-01\nowner: AIMS Manager\n")
                .replace("review: 2027-03-01", "review: 2027-02-30"),
        );
    })
    .fails(1, 1)
    .expect(
        error("AIMS0114", "invalid-date", "`review: 2027-02-30` is not a valid date")
            .at("policies/p.md", "2027-02-30")
            .help(contains(&["YYYY-MM-DD"])),
    );

    /// A field that is really absent is still reported, beside the bad date.
    bad_approval_date_and_no_owner: edited(None, |root| {
        write(root, "policies/p.md", approved_policy("approved: 2026-3-1\n"));
    })
    .fails(2, 1)
    .expect(
        error("AIMS0114", "invalid-date", "`approved: 2026-3-1` is not a valid date")
            .at("policies/p.md", "2026-3-1")
            .help(contains(&["YYYY-MM-DD"])),
    )
    .expect(
        error("AIMS0501", "approval-incomplete", "POL-1 is approved but has no `owner`")
            .at("policies/p.md", "approved\n")
            .help(Text::NonEmpty),
    );

    invalid_id_characters: fixture_case("invalid-id")
        .fails(1, 1)
        .expect(
            error("AIMS0115", "invalid-id", contains(&["`POL AI/001`", "letters, digits"]))
                .at("policies/ai-policy.md", "\"POL AI/001\"")
                .help("for example `POL-AI-001`"),
        );

    duplicate_id_across_two_files: fixture_case("duplicate-id")
        .fails(1, 1)
        .expect(
            error(
                "AIMS0116",
                "duplicate-id",
                "document id `POL-AI-001` is already used by policies/a.md (`POL-AI-001`)",
            )
            .at("policies/b.md", "POL-AI-001")
            .help("give every document its own id; ids are compared ignoring case"),
        );

    duplicate_id_ignoring_case: fixture_case("duplicate-id-case")
        .fails(1, 1)
        .expect(
            error(
                "AIMS0116",
                "duplicate-id",
                "document id `pol-ai-001` is already used by policies/a.md (`POL-AI-001`)",
            )
            .at("procedures/b.md", "pol-ai-001")
            .help("give every document its own id; ids are compared ignoring case"),
        );

    unknown_front_matter_field_is_a_warning: fixture_case("unknown-field")
        .warns(2)
        .expect(
            warning("AIMS0111", "unknown-field", "unknown front-matter field `ownr`")
                .at("policies/ai-policy.md", "ownr")
                .help("did you mean owner?"),
        );

    /// A mapping where a list of ids is expected is read as one `{id, note}` item without id.
    wrong_types: fixture_case("wrong-type")
        .fails(4, 2)
        .expect(
            error("AIMS0112", "invalid-type", "`order` must be a whole number, found text")
                .at("policies/a.md", "ten")
                .help("for example `order: 10`"),
        )
        .expect(
            error("AIMS0112", "invalid-type", "`tags` must be a list, found a mapping")
                .at("policies/a.md", "{a: b}")
                .help("write `tags: [A, B]`"),
        )
        .expect(
            error(
                "AIMS0112",
                "invalid-type",
                "`controls` must be a list of ids, found a true/false value",
            )
            .at("policies/b.md", "true"),
        )
        .expect(
            error("AIMS0110", "missing-field", "an item of `controls` has no `id`")
                .at("policies/c.md", "{a: b}")
                .help("write `- id: A.2.3` with an optional `note:`"),
        )
        .expect(
            warning("AIMS0111", "unknown-field", contains(&["unknown key `a`"]))
                .at("policies/c.md", "{a: b}"),
        );

    /// The unclosed `[` is on line 3; the parser notices on line 3 or 4, inside the front
    /// matter and never in the body.
    yaml_syntax_error: fixture_case("yaml-syntax")
        .fails(1, 1)
        .expect(
            error("AIMS0005", "yaml-syntax", starts_with("front matter is not valid YAML: "))
                .on_lines("policies/ai-policy.md", 3..=4)
                .help(Text::NonEmpty),
        );

    front_matter_that_is_a_list: fixture_case("not-mapping")
        .fails(1, 1)
        .expect(
            error(
                "AIMS0006",
                "front-matter-not-mapping",
                "front matter must be a mapping of fields, found a list",
            )
            .printed_at("policies/ai-policy.md:2:1")
            .help("write one `field: value` per line, e.g. `id: POL-AI-001`"),
        );

    unterminated_front_matter: fixture_case("unterminated")
        .fails(1, 1)
        .expect(
            error(
                "AIMS0004",
                "unterminated-front-matter",
                "front matter starts here but is never closed",
            )
            .printed_at("policies/ai-policy.md:1:1")
            .help(contains(&["---"])),
        );

    non_utf8_markdown_file: edited(Some("no-soa"), |root| {
            write(root, "policies/bad.md", NOT_UTF8);
        })
        .fails(1, 1)
        .expect(
            error(
                "AIMS0002",
                "not-utf8",
                format!(
                    "policies/bad.md is not UTF-8 text (invalid byte at offset {})",
                    NOT_UTF8.iter().position(|&b| b == 0xff).unwrap()
                ),
            )
            .printed_at("policies/bad.md")
            .help(Text::NonEmpty),
        );

    empty_markdown_file_is_not_a_document_and_readme_is_skipped: fixture_case("empty-md")
        .warns(2)
        .expect(
            warning(
                "AIMS0003",
                "no-front-matter",
                "policies/empty.md has no front matter, so it is not a document",
            )
            .printed_at("policies/empty.md")
            .help(starts_with("start the file with `---`")),
        )
        .then(|c| {
            assert!(!c.build.stderr.contains("README"), "{}", c.build.stderr);
            assert!(c.out.join("documents/POL-AI-001.html").is_file());
        });
}

/// A Markdown file that is not UTF-8 text.
/// An approved policy with an approver, a version and a review date; `extra` adds fields.
fn approved_policy(extra: &str) -> String {
    format!(
        "---\nid: POL-1\ntitle: Policy\ntype: policy\nstatus: approved\nversion: \"1.0\"\n\
         approver: Board\n{extra}review: 2027-03-01\n---\n\nText.\n"
    )
}

const NOT_UTF8: &[u8] = b"---\nid: X\n\xff\xfe";
