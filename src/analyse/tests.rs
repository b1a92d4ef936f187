//! Unit tests of the analyse stage over small manuals held in memory and loaded and resolved
//! by the real stages: how each document stands today, control and clause states, SoA
//! exclusions, reviews due, and the document-control rules. Implementation status, what
//! needs attention and required documents by kind are in [`implementation`].

mod implementation;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::*;
use crate::diagnostics::{code, Code, Diagnostic, Severity};
use crate::load::{self, MemorySource, Source};

/// The day every test judges against.
const TODAY: &str = "2026-11-23";

/// Front matter of an approved document with a complete approval record.
const APPROVED: &str =
    "status: approved\napprover: CEO\napproved: 2026-01-10\nversion: \"1.0\"\nowner: AIMS Manager\n";

/// A manual loaded, resolved and analysed as of [`TODAY`].
struct Aims {
    src: MemorySource,
    manual: Manual,
    resolved: Resolved,
    analysis: Analysis,
}

impl Aims {
    /// Loads `files` (plus a minimal aims.toml); loading and resolving must report no error.
    fn load(files: &[(&str, impl AsRef<str>)]) -> Aims {
        let mut map: BTreeMap<PathBuf, Vec<u8>> = files
            .iter()
            .map(|(p, t)| (PathBuf::from(p), t.as_ref().as_bytes().to_vec()))
            .collect();
        map.insert(
            PathBuf::from("aims.toml"),
            b"title = \"Test AIMS\"\norganization = \"Test Ltd\"\n".to_vec(),
        );
        let src = MemorySource::from(map);
        let mut diags = Vec::new();
        let manual = load::load(&src, Path::new("aims"), Vec::new(), &mut diags)
            .expect("aims.toml is there")
            .expect("aims.toml is valid");
        let resolved = crate::resolve::resolve(&manual, &|p| text(&src, p), &mut diags);
        let errors: Vec<&Diagnostic> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "loading reported {errors:#?}");
        let analysis = analyse(&manual, &resolved, today());
        Aims {
            src,
            manual,
            resolved,
            analysis,
        }
    }

    /// The index of the document at `path`.
    fn at(&self, path: &str) -> DocIndex {
        self.manual
            .docs()
            .find(|(_, d)| d.path == Path::new(path))
            .map(|(i, _)| i)
            .unwrap_or_else(|| panic!("no document {path}"))
    }

    /// The coverage of a control or clause.
    fn cov(&self, id: &str) -> &Coverage {
        self.analysis
            .coverage(&CatalogId::new(id))
            .unwrap_or_else(|| panic!("no coverage of {id}"))
    }

    /// `(file:line:col, message, suggestion)` of each document-control finding with `code`.
    fn findings(&self, code: Code) -> Vec<(String, String, Option<String>)> {
        control::check(&self.manual, &self.resolved, today(), &|p| {
            text(&self.src, p)
        })
        .into_iter()
        .filter(|d| d.code == code)
        .map(|d| {
            let s = &d.span;
            let at = format!("{}:{}:{}", s.file.display(), s.line, s.column);
            (at, d.message, d.suggestion)
        })
        .collect()
    }
}

fn text(src: &MemorySource, p: &Path) -> Option<String> {
    src.read(p)
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
}

fn today() -> Date {
    Date::parse(TODAY).expect("a valid date")
}

/// A document with `id`, extra front-matter lines and an empty body.
fn doc(id: &str, extra: &str) -> String {
    format!("---\nid: {id}\ntitle: Title of {id}\n{extra}---\n")
}

/// How a document stands: `(contributes, overdue, due_soon, incomplete_approval)`.
fn standing_of(a: &Aims, path: &str) -> (Option<State>, bool, bool, bool) {
    let s = a.analysis.standing[a.at(path)];
    (s.contributes, s.overdue, s.due_soon, s.incomplete_approval)
}

#[test]
fn each_document_stands_by_its_status_and_dates() {
    let approved = |dates: &str| format!("{APPROVED}{dates}");
    let files = [
        (
            "draft.md",
            doc("D-1", "status: draft\nreview: 2026-01-01\n"),
        ),
        ("review.md", doc("D-2", "status: in-review\n")),
        (
            "retired.md",
            doc("D-3", "status: retired\nreview: 2026-11-30\n"),
        ),
        ("in-force.md", doc("D-4", &approved("review: 2027-06-01\n"))),
        (
            "future.md",
            doc("D-5", &approved("effective: 2027-01-01\n")),
        ),
        (
            "from-today.md",
            doc("D-6", &approved("effective: 2026-11-23\n")),
        ),
        ("overdue.md", doc("D-7", &approved("review: 2026-11-22\n"))),
        (
            "due-today.md",
            doc("D-8", &approved("review: 2026-11-23\n")),
        ),
        (
            "in-30-days.md",
            doc("D-9", &approved("review: 2026-12-23\n")),
        ),
        (
            "in-31-days.md",
            doc("D-10", &approved("review: 2026-12-24\n")),
        ),
        (
            "no-approver.md",
            doc("D-11", "status: approved\napproved: 2026-01-10\n"),
        ),
    ];
    let a = Aims::load(&files);
    use State::{Covered, Draft, Overdue};
    let want = [
        ("draft.md", (Some(Draft), false, false, false)),
        ("review.md", (Some(Draft), false, false, false)),
        ("retired.md", (None, false, false, false)),
        ("in-force.md", (Some(Covered), false, false, false)),
        ("future.md", (Some(Draft), false, false, false)),
        ("from-today.md", (Some(Covered), false, false, false)),
        ("overdue.md", (Some(Overdue), true, false, false)),
        ("due-today.md", (Some(Covered), false, true, false)),
        ("in-30-days.md", (Some(Covered), false, true, false)),
        ("in-31-days.md", (Some(Covered), false, false, false)),
        ("no-approver.md", (Some(Covered), false, false, true)),
    ];
    for (path, w) in want {
        assert_eq!(standing_of(&a, path), w, "{path}");
    }
}

#[test]
fn a_control_takes_the_best_state_of_its_documents_unless_the_soa_excludes_it() {
    let soa = "controls:\n  A.2.2: {applicable: false, justification: \"No AI policy topic.\"}\n  \
               A.2.3: {applicable: true, justification: \"Needed.\", implementation: implemented}\n";
    let files = [
        ("soa.yaml", soa.to_string()),
        (
            "approved.md",
            doc("A-1", &format!("{APPROVED}controls: [A.2.2, A.2.3]\n")),
        ),
        ("draft.md", doc("D-1", "controls: [A.2.3, A.2.4, A.3.2]\n")),
        (
            "overdue.md",
            doc(
                "O-1",
                &format!("{APPROVED}review: 2026-11-01\ncontrols: [A.2.4]\n"),
            ),
        ),
        (
            "retired.md",
            doc("R-1", "status: retired\ncontrols: [A.3.3]\n"),
        ),
    ];
    let a = Aims::load(&files);
    let (approved, draft, overdue, retired) = (
        a.at("approved.md"),
        a.at("draft.md"),
        a.at("overdue.md"),
        a.at("retired.md"),
    );

    let excluded = a.cov("A.2.2");
    assert_eq!(excluded.state, State::Excluded);
    assert!(!excluded.applicable && excluded.decided);
    assert_eq!(
        excluded.justification.as_deref(),
        Some("No AI policy topic.")
    );
    assert_eq!(excluded.documents, vec![approved]);

    let covered = a.cov("A.2.3");
    assert_eq!(covered.state, State::Covered);
    assert_eq!(covered.implementation, Some(Implementation::Implemented));
    assert_eq!(covered.documents, vec![approved, draft]);

    assert_eq!(a.cov("A.2.4").state, State::Overdue);
    assert_eq!(a.cov("A.2.4").documents, vec![draft, overdue]);
    assert_eq!(a.cov("A.3.2").state, State::Draft);
    // A retired document is listed but counts for nothing.
    assert_eq!(a.cov("A.3.3").state, State::Gap);
    assert_eq!(a.cov("A.3.3").documents, vec![retired]);

    let untouched = a.cov("A.4.2");
    assert_eq!(untouched.state, State::Gap);
    assert!(untouched.applicable && !untouched.decided);
    assert!(untouched.documents.is_empty());

    let c = &a.analysis.control_counts;
    let total = a.manual.catalog.controls().count();
    assert_eq!(total, 38);
    assert_eq!(
        (c.covered, c.overdue, c.draft, c.excluded, c.gap, c.total),
        (1, 1, 1, 1, total - 4, total)
    );
}

#[test]
fn a_parent_clause_is_as_covered_as_its_weakest_sub_clause() {
    let approved = |clauses: &str| doc("C-1", &format!("{APPROVED}clauses: [{clauses}]\n"));
    let all_four = approved("\"6.1\", \"6.1.1\", \"6.1.2\", \"6.1.3\", \"6.1.4\"");
    let a = Aims::load(&[("a.md", &all_four)]);
    assert_eq!(a.cov("6.1").state, State::Covered);
    // Clause 6 also has 6.2 and 6.3, which nothing addresses.
    assert_eq!(a.cov("6").state, State::Gap);

    let three = approved("\"6.1\", \"6.1.1\", \"6.1.2\", \"6.1.3\"");
    let draft = doc("D-1", "clauses: [\"6.1.4\"]\n");
    let a = Aims::load(&[("a.md", &three), ("d.md", &draft)]);
    assert_eq!(a.cov("6.1.4").state, State::Draft);
    assert_eq!(a.cov("6.1").state, State::Draft);
    // Declared directly, the parent still lists the document.
    assert_eq!(a.cov("6.1").documents, vec![a.at("a.md")]);

    let a = Aims::load(&[("a.md", &three)]);
    assert_eq!(a.cov("6.1").state, State::Gap);
    assert!(a.cov("6.1").applicable && a.cov("6.1").decided);
}

#[test]
fn clause_counts_count_leaf_clauses_only() {
    let a = Aims::load(&[(
        "a.md",
        &doc("C-1", &format!("{APPROVED}clauses: [\"5.2\", \"6.1\"]\n")),
    )]);
    let catalog = &a.manual.catalog;
    let leaves = catalog
        .clauses()
        .filter(|e| catalog.children(&e.id).all(|c| c.kind != EntryKind::Clause))
        .count();
    assert!(leaves < catalog.clauses().count());
    let c = &a.analysis.clause_counts;
    // 6.1 has sub-clauses, so only 5.2 counts as covered.
    assert_eq!((c.total, c.covered, c.gap), (leaves, 1, leaves - 1));
    assert_eq!(a.analysis.clauses.len(), catalog.clauses().count());
}

#[test]
fn reviews_due_list_overdue_and_due_soon_documents_soonest_first() {
    let files = [
        (
            "a.md",
            doc("A-1", &format!("{APPROVED}review: 2026-12-20\n")),
        ),
        (
            "b.md",
            doc("B-1", &format!("{APPROVED}review: 2026-11-01\n")),
        ),
        ("c.md", doc("C-1", "status: draft\nreview: 2026-12-01\n")),
        ("d.md", doc("D-1", "status: retired\nreview: 2026-11-30\n")),
        (
            "e.md",
            doc("E-1", &format!("{APPROVED}review: 2027-06-01\n")),
        ),
        ("f.md", doc("F-1", "status: draft\nreview: 2026-10-01\n")),
    ];
    let a = Aims::load(&files);
    // A draft is never overdue, so its past review date lists it nowhere.
    assert_eq!(
        a.analysis.due_for_review,
        vec![a.at("b.md"), a.at("c.md"), a.at("a.md")]
    );
    assert_eq!(a.analysis.today, today());
}

#[test]
fn coverage_looks_up_controls_and_clauses_but_not_objectives() {
    let none: [(&str, &str); 0] = [];
    let a = Aims::load(&none);
    assert_eq!(a.cov("A.6.2.4").id.as_str(), "A.6.2.4");
    assert_eq!(a.cov("7.5.1").id.as_str(), "7.5.1");
    assert!(a.analysis.coverage(&CatalogId::new("A.6")).is_none());
    assert!(a.analysis.coverage(&CatalogId::new("A.6.2")).is_none());
    assert!(a.analysis.coverage(&CatalogId::new("11")).is_none());
}

#[test]
fn approval_rules_name_what_is_missing_and_which_types_need_a_review() {
    let files = [
        (
            "a.md",
            doc(
                "POL-1",
                "type: policy\nstatus: approved\napproved: 2026-01-10\n",
            ),
        ),
        ("b.md", doc("REC-1", &format!("type: record\n{APPROVED}"))),
        (
            "c.md",
            doc("PRO-1", &format!("type: procedure\n{APPROVED}")),
        ),
        ("d.md", doc("STD-1", "type: standard\nstatus: draft\n")),
    ];
    let a = Aims::load(&files);
    let incomplete = a.findings(code::APPROVAL_INCOMPLETE);
    assert_eq!(incomplete.len(), 1, "{incomplete:#?}");
    assert_eq!(incomplete[0].0, "a.md:5:9");
    assert_eq!(
        incomplete[0].1,
        "POL-1 is approved but has no `approver`, `version`, `owner`"
    );
    let missing: Vec<String> = a
        .findings(code::REVIEW_MISSING)
        .into_iter()
        .map(|f| f.1)
        .collect();
    assert_eq!(
        missing,
        [
            "POL-1 is an approved policy without a `review` date",
            "PRO-1 is an approved procedure without a `review` date",
        ]
    );
}

#[test]
fn an_overdue_review_counts_the_days_and_effective_must_follow_approved() {
    let files = [
        (
            "a.md",
            doc("A-1", &format!("{APPROVED}review: 2026-11-22\n")),
        ),
        (
            "b.md",
            doc("B-1", &format!("{APPROVED}review: 2026-11-01\n")),
        ),
        (
            "c.md",
            doc("C-1", &format!("{APPROVED}review: 2026-11-23\n")),
        ),
        (
            "d.md",
            doc("D-1", &format!("{APPROVED}effective: 2026-01-09\n")),
        ),
        (
            "e.md",
            doc("E-1", &format!("{APPROVED}effective: 2026-01-10\n")),
        ),
    ];
    let a = Aims::load(&files);
    let overdue: Vec<(String, String)> = a
        .findings(code::REVIEW_OVERDUE)
        .into_iter()
        .map(|f| (f.0, f.1))
        .collect();
    assert_eq!(
        overdue,
        [
            (
                "a.md:9:9".into(),
                "the review of A-1 was due on 2026-11-22 (1 day ago)".into()
            ),
            (
                "b.md:9:9".into(),
                "the review of B-1 was due on 2026-11-01 (22 days ago)".into()
            ),
        ]
    );
    let early = a.findings(code::EFFECTIVE_BEFORE_APPROVED);
    assert_eq!(early.len(), 1, "{early:#?}");
    assert_eq!(early[0].0, "d.md:9:12");
    assert_eq!(
        early[0].1,
        "D-1 takes effect on 2026-01-09, before it was approved on 2026-01-10"
    );
}

#[test]
fn duplicate_titles_are_compared_ignoring_case_and_outer_space() {
    let titled = |id: &str, title: &str| format!("---\nid: {id}\ntitle: \"{title}\"\n---\n");
    let files = [
        ("a.md", titled("A-1", "Risk Policy")),
        ("b.md", titled("B-1", " risk policy ")),
        ("c.md", titled("C-1", "Risk Policies")),
    ];
    let a = Aims::load(&files);
    let dup = a.findings(code::DUPLICATE_TITLE);
    assert_eq!(dup.len(), 1, "{dup:#?}");
    assert_eq!(dup[0].0, "b.md:3:8");
    assert_eq!(
        dup[0].1,
        "B-1 has the same title as A-1 (\" risk policy \")"
    );
}

#[test]
fn claims_on_excluded_controls_are_warned_unless_the_document_is_retired() {
    let soa = "controls:\n  A.2.2: {applicable: false, justification: \"Not ours.\"}\n";
    let files = [
        ("soa.yaml", soa.to_string()),
        ("a.md", doc("A-1", "controls: [A.2.3, A.2.2]\n")),
        ("b.md", doc("B-1", "status: retired\ncontrols: [A.2.2]\n")),
    ];
    let a = Aims::load(&files);
    assert_eq!(
        a.findings(code::CLAIMS_EXCLUDED_CONTROL),
        [(
            "a.md:4:19".to_string(),
            "A-1 claims A.2.2, which soa.yaml excludes as not applicable".to_string(),
            Some("remove A.2.2 from `controls`, or make it applicable in soa.yaml".to_string()),
        )]
    );
}

#[test]
fn a_superseded_document_must_be_retired_and_supersedes_must_not_loop() {
    let files = [
        ("new.md", doc("NEW-1", "supersedes: OLD-1\n")),
        ("old.md", doc("OLD-1", "status: in-review\n")),
        ("x.md", doc("X-1", "status: retired\nsupersedes: Y-1\n")),
        ("y.md", doc("Y-1", "status: retired\nsupersedes: X-1\n")),
        ("z.md", doc("Z-1", "supersedes: Z-1\n")),
    ];
    let a = Aims::load(&files);
    // Only a document superseded by another is held to `retired`.
    assert_eq!(
        a.findings(code::SUPERSEDES_NOT_RETIRED),
        [(
            "new.md:4:13".to_string(),
            "NEW-1 supersedes OLD-1, which is still `in-review`".to_string(),
            Some("set `status: retired` in old.md".to_string()),
        )]
    );
    let cycles: Vec<String> = a
        .findings(code::SUPERSEDES_CYCLE)
        .into_iter()
        .map(|f| f.1)
        .collect();
    assert_eq!(
        cycles,
        [
            "`supersedes` of X-1 leads back to X-1 in a cycle",
            "`supersedes` of Y-1 leads back to Y-1 in a cycle",
            "`supersedes` of Z-1 leads back to Z-1 in a cycle",
        ]
    );
}

#[test]
fn references_to_a_retired_document_point_to_its_successor() {
    let files = [
        (
            "a.md",
            doc("A-1", "related: [OLD-1]\n") + "See [[OLD-1]] and [[NEW-1]].\n",
        ),
        (
            "new.md",
            doc("NEW-1", "supersedes: OLD-1\n") + "Replaces [[OLD-1]].\n",
        ),
        ("old.md", doc("OLD-1", "status: retired\n")),
        (
            "gone.md",
            doc("GONE-1", "status: retired\nrelated: [OLD-1]\n"),
        ),
        ("b.md", doc("B-1", "related: [GONE-1]\n")),
    ];
    let a = Aims::load(&files);
    let to_old = (
        "A-1 references OLD-1, which is retired".to_string(),
        Some("refer to NEW-1 instead".to_string()),
    );
    let got: Vec<(String, (String, Option<String>))> = a
        .findings(code::REFERENCES_RETIRED)
        .into_iter()
        .map(|f| (f.0, (f.1, f.2)))
        .collect();
    // Not the successor's own link to what it replaces, nor a retired document's references.
    assert_eq!(
        got,
        [
            ("a.md:4:11".to_string(), to_old.clone()),
            ("a.md:6:5".to_string(), to_old),
            (
                "b.md:4:11".to_string(),
                (
                    "B-1 references GONE-1, which is retired".to_string(),
                    Some("refer to the document that replaced it".to_string()),
                ),
            ),
        ]
    );
}
