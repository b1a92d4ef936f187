//! `soa.yaml` as a controlled document: its control fields checked by the document-control
//! rules (one fixture per rule, each finding at its place in soa.yaml), values it cannot
//! read, and the references in justifications and evidence: resolved to links, or reported
//! like body references.

use super::table::*;
use crate::common::*;

const INCOMPLETE_HELP: &str =
    "record who approved it and when, its version and owner, or set `status: in-review`";

/// The cells of the row of `control` in the SoA table of `soa`.
fn soa_row(soa: &scraper::Html, control: &str) -> (String, Vec<String>, scraper::Html) {
    let row = soa
        .select(&sel(".soa-table tbody tr"))
        .find(|tr| {
            tr.select(&sel("th"))
                .next()
                .is_some_and(|th| text_of(th) == control)
        })
        .unwrap_or_else(|| panic!("no row for {control}"));
    let class = row.value().attr("class").unwrap_or_default().to_string();
    let cells = row.select(&sel("td")).map(text_of).collect();
    (class, cells, scraper::Html::parse_fragment(&row.html()))
}

/// `(href, text)` of the links in `selector` of `doc`.
fn links_in(doc: &scraper::Html, selector: &str) -> Vec<(String, String)> {
    doc.select(&sel(&format!("{selector} a")))
        .map(|a| {
            (
                a.value().attr("href").unwrap_or_default().to_string(),
                text_of(a),
            )
        })
        .collect()
}

diag_cases! {
    soa_approval_incomplete: fixture_case("soa-approval-incomplete")
        .fails(1, 0)
        .expect(
            error(
                "AIMS0501",
                "approval-incomplete",
                "soa.yaml is approved but has no `approver`, `approved`, `owner`",
            )
            .at("soa.yaml", "approved\n")
            .help(INCOMPLETE_HELP),
        );

    soa_review_missing: fixture_case("soa-review-missing")
        .fails(1, 0)
        .expect(
            error(
                "AIMS0503",
                "review-missing",
                "soa.yaml is an approved Statement of Applicability without a `review` date",
            )
            .at("soa.yaml", "approved\n")
            .help("add `review: YYYY-MM-DD`, or set `review_interval = \"12 months\"` in aims.toml"),
        );

    /// The page shows it too: the control header, its notice, the register's flag.
    soa_review_overdue: fixture_case("soa-review-overdue")
        .warns(1)
        .expect(
            warning(
                "AIMS0504",
                "review-overdue",
                "the review of soa.yaml was due on 2026-06-30 (146 days ago)",
            )
            .at("soa.yaml", "2026-06-30\n")
            .help("review the SoA, then set the next `review` date"),
        )
        .then(|c| {
            let soa = page(&c.out, "soa.html");
            assert_eq!(
                texts(&soa, "dl.soa-control dt"),
                ["Status", "Version", "Owner", "Approver", "Approved", "Effective", "Review due"]
            );
            assert_eq!(
                texts(&soa, "dl.soa-control dd"),
                [
                    "approved",
                    "1.0",
                    "Head of AI Governance",
                    "AI Governance Committee",
                    "2025-06-30",
                    "—",
                    "2026-06-30 overdue",
                ]
            );
            let notice = texts(&soa, ".soa-header .notice-overdue").join(" ");
            assert!(notice.contains("was due on 2026-06-30"), "{notice}");
            let register = page(&c.out, "register.html");
            let soa_row = texts(&register, ".register-table tr.register-soa td");
            assert_eq!(soa_row[7], "2026-06-30 overdue");
        });

    /// A review date computed from `review_interval` points at `approved`.
    soa_review_from_the_interval: edited(Some("soa-review-missing"), |root| {
        let toml = std::fs::read_to_string(root.join("aims.toml")).unwrap();
        write(root, "aims.toml", format!("{toml}review_interval = \"3 months\"\n"));
    })
        .warns(1)
        .expect(
            warning(
                "AIMS0504",
                "review-overdue",
                "the review of soa.yaml was due on 2026-06-01 (175 days ago)",
            )
            .at("soa.yaml", "2026-03-01")
            .help("review the SoA, then set the next `review` date"),
        );

    soa_effective_before_approved: fixture_case("soa-effective-before-approved")
        .fails(1, 0)
        .expect(
            error(
                "AIMS0502",
                "effective-before-approved",
                "soa.yaml takes effect on 2026-02-15, before it was approved on 2026-03-01",
            )
            .at("soa.yaml", "2026-02-15")
            .help("set `effective` on or after `approved`"),
        );

    /// An approved SoA with a date written the wrong way: one error at the value, not also
    /// "approved but has no `approved`".
    soa_bad_approval_date_is_one_error: edited(Some("soa-approval-incomplete"), |root| {
        let soa = std::fs::read_to_string(root.join("soa.yaml")).unwrap();
        write(
            root,
            "soa.yaml",
            soa.replace(
                "status: approved\n",
                "status: approved\nowner: AIMS Manager\napprover: Board\napproved: 01/03/2026\n",
            ),
        );
    })
    .fails(1, 0)
    .expect(
        error("AIMS0114", "invalid-date", "`approved: 01/03/2026` is not a valid date")
            .at("soa.yaml", "01/03/2026")
            .help("write dates as YYYY-MM-DD, e.g. 2026-03-01"),
    );

    /// Read by the front-matter readers: one error at each value; a status that cannot be
    /// read is no approval to check. Unknown keys warn with the nearest known one.
    soa_control_fields_it_cannot_read: fixture_case("soa-invalid-control-field")
        .fails(3, 2)
        .expect(
            error(
                "AIMS0113",
                "invalid-value",
                "`status: aproved` is not allowed; use one of draft | in-review | approved | retired",
            )
            .at("soa.yaml", "aproved")
            .help("did you mean approved?"),
        )
        .expect(
            error("AIMS0114", "invalid-date", "`approved: 01/03/2026` is not a valid date")
                .at("soa.yaml", "01/03/2026")
                .help("write dates as YYYY-MM-DD, e.g. 2026-03-01"),
        )
        .expect(
            warning(
                "AIMS0300",
                "soa-invalid",
                starts_with("unknown key `reviewed` in soa.yaml; it is ignored"),
            )
            .at("soa.yaml", "reviewed")
            .help("did you mean review?"),
        )
        .expect(
            warning(
                "AIMS0300",
                "soa-invalid",
                "unknown key `evidense` in the decision for A.2.2; it is ignored",
            )
            .at("soa.yaml", "evidense")
            .help("did you mean evidence?"),
        )
        .expect(
            error("AIMS0300", "soa-invalid", "`owner` for A.2.3 must be text, found a list")
                .at("soa.yaml", "owner: [Risk"),
        );

    /// Every reference that names nothing is an error at its place in soa.yaml, with a
    /// suggestion: in a flow mapping, in a justification, and twice on one line of a folded
    /// block.
    soa_references_that_name_nothing: fixture_case("soa-broken-references")
        .fails(5, 0)
        .expect(
            error("AIMS0201", "unknown-document", "no document or catalog entry has the id `POL-AI-01`")
                .at("soa.yaml", "[[POL-AI-01]]")
                .help("did you mean POL-AI-001?"),
        )
        .expect(
            error("AIMS0201", "unknown-document", "no document or catalog entry has the id `A.6.2.9`")
                .at("soa.yaml", "[[A.6.2.9]]")
                .help(contains(&["did you mean A.6.2.8"])),
        )
        .expect(
            error("AIMS0201", "unknown-document", "no document or catalog entry has the id `POL-AI-01`")
                .printed_at("soa.yaml:11:7")
                .help("did you mean POL-AI-001?"),
        )
        .expect(
            error("AIMS0201", "unknown-document", "no document or catalog entry has the id `POL-AI-01`")
                .printed_at("soa.yaml:11:25")
                .help("did you mean POL-AI-001?"),
        )
        .expect(
            error("AIMS0202", "missing-anchor", "POL-AI-001 has no heading with the anchor `#nope`")
                .at("soa.yaml", "[[POL-AI-001#nope]]")
                .help(contains(&["scope"])),
        );

    /// References that resolve become links on soa.html, on the control page and in the
    /// printed manual, and plain text in soa.csv; a non-canonical id and a retired document
    /// are warned about as in a body. Excluded rows have their own class.
    soa_references_become_links: fixture_case("soa-references")
        .warns(2)
        .expect(
            warning("AIMS0103", "non-canonical-id", "`A-7-2` is written in a non-canonical form")
                .at("soa.yaml", "[[A-7-2]]")
                .help("write [[A.7.2]]"),
        )
        .expect(
            warning("AIMS0505", "references-retired", "soa.yaml references PRO-OLD-001, which is retired")
                .at("soa.yaml", "[[PRO-OLD-001]]")
                .help("refer to the document that replaced it"),
        )
        .then(|c| {
            let soa = page(&c.out, "soa.html");
            let (class, cells, row) = soa_row(&soa, "A.2.2");
            assert_eq!(class, "soa-applicable");
            assert_eq!(cells[4], "Chief Executive Officer", "{cells:?}");
            let title = "A.7.2 Data for development and enhancement of AI system";
            assert_eq!(
                links_in(&row, ".soa-evidence"),
                [
                    ("documents/POL-AI-001.html".to_string(), "AI Policy".to_string()),
                    ("documents/POL-AI-001.html#scope".to_string(), "its scope".to_string()),
                    ("controls/A.7.2.html".to_string(), title.to_string()),
                ]
            );
            assert_eq!(
                texts(&row, ".soa-evidence").join(""),
                format!("Evidence: Signed AI Policy, its scope; see also {title}.")
            );
            let (_, _, row) = soa_row(&soa, "A.2.3");
            assert_eq!(
                links_in(&row, ".soa-justification"),
                [("documents/POL-AI-001.html".to_string(), "AI Policy".to_string())]
            );
            assert_eq!(links_in(&row, ".soa-evidence")[0].0, "controls/A.7.2.html");
            // An excluded row looks different; its text is escaped, its reference linked.
            let (class, _, row) = soa_row(&soa, "A.7.3");
            assert_eq!(class, "soa-excluded");
            assert_eq!(links_in(&row, ".soa-justification")[0].0, "controls/A.7.2.html");
            assert!(row.select(&sel(".soa-justification b")).next().is_none());
            assert!(texts(&row, ".soa-justification")[0].contains("& <b>checked</b>."));
            let css = std::fs::read_to_string(c.out.join("static/style.css")).unwrap();
            assert!(css.contains("tr.soa-excluded"), "no style for excluded rows");

            // The control page shows owner and evidence, linked from its own folder.
            let control = page(&c.out, "controls/A.2.2.html");
            assert_eq!(
                links_in(&control, "#soa .soa-evidence")[0].0,
                "../documents/POL-AI-001.html"
            );
            let panel = texts(&control, "#soa dl dd");
            assert!(panel.contains(&"Chief Executive Officer".to_string()), "{panel:?}");

            // The printed manual links inside itself.
            let print = page(&c.out, "print.html");
            let row = print.select(&sel("#soa-A\\.2\\.2")).next().unwrap();
            let hrefs: Vec<&str> = row
                .select(&sel(".soa-evidence a"))
                .filter_map(|a| a.value().attr("href"))
                .collect();
            assert_eq!(hrefs, ["#doc-POL-AI-001", "#POL-AI-001--scope", "#soa-A.7.2"]);

            // soa.csv: plain text, references by title and id.
            let rows = parse_csv(&std::fs::read_to_string(c.out.join("soa.csv")).unwrap());
            let row = rows.iter().find(|r| r[0] == "A.2.2").unwrap();
            assert_eq!(row[6], "Chief Executive Officer");
            assert_eq!(row[7], "Signed AI Policy (POL-AI-001), its scope; see also A.7.2.");
            let row = rows.iter().find(|r| r[0] == "A.2.3").unwrap();
            assert_eq!(row[3], "Kept in line with AI Policy (POL-AI-001).");
            assert_eq!(row[7], "Records under A.7.2.");
            // Search finds a control by its evidence, as plain text.
            let index = std::fs::read_to_string(c.out.join("search-index.js")).unwrap();
            assert!(index.contains("Signed AI Policy (POL-AI-001), its scope"), "{index}");
            assert!(!index.contains("[["));
        });
}
