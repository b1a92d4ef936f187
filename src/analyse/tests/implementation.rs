//! Unit tests of what the SoA implementation does to a control's state, what needs
//! attention and why, the records of a control, and required documented information judged
//! by kind (records only by records and registers; the SoA by `soa.yaml` itself).

use super::*;
use crate::model::catalog::Catalog;

/// A `soa.yaml` deciding `lines` (each `ID: {…}`).
fn soa(lines: &[&str]) -> String {
    let mut out = String::from("controls:\n");
    for l in lines {
        out.push_str("  ");
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// A `soa.yaml` deciding every control as applicable and implemented.
fn soa_all_decided() -> String {
    let lines: Vec<String> = Catalog::iso42001()
        .controls()
        .map(|c| {
            format!(
                "{}: {{applicable: true, justification: \"Needed.\", implementation: implemented}}",
                c.id
            )
        })
        .collect();
    soa(&lines.iter().map(String::as_str).collect::<Vec<_>>())
}

/// An approved document in force of `doc_type` declaring `refs` (a front-matter line).
fn approved(id: &str, doc_type: &str, refs: &str) -> String {
    doc(id, &format!("type: {doc_type}\n{APPROVED}{refs}\n"))
}

#[test]
fn a_documented_control_is_partial_when_its_implementation_is_partial_or_planned() {
    let decisions = soa(&[
        "A.2.2: {applicable: true, justification: \"x\", implementation: implemented}",
        "A.2.3: {applicable: true, justification: \"x\", implementation: partial}",
        "A.2.4: {applicable: true, justification: \"x\", implementation: planned}",
        "A.3.2: {applicable: true, justification: \"x\", implementation: planned}",
        "A.3.3: {applicable: true, justification: \"x\", implementation: partial}",
        "A.4.2: {applicable: false, justification: \"Not needed.\"}",
    ]);
    let files = [
        ("soa.yaml", decisions),
        (
            "in-force.md",
            approved(
                "P-1",
                "policy",
                "controls: [A.2.2, A.2.3, A.2.4, A.4.2, A.4.3]",
            ),
        ),
        ("draft.md", doc("D-1", "controls: [A.3.2]\n")),
        (
            "overdue.md",
            doc(
                "O-1",
                &format!("{APPROVED}review: 2026-11-01\ncontrols: [A.3.3]\n"),
            ),
        ),
    ];
    let a = Aims::load(&files);
    let state = |id: &str| a.cov(id).state;
    assert_eq!(state("A.2.2"), State::Covered);
    assert_eq!(state("A.2.3"), State::Partial);
    assert_eq!(state("A.2.4"), State::Partial);
    // Only a control documented in force is demoted: the documents' own state wins otherwise.
    assert_eq!(state("A.3.2"), State::Draft);
    assert_eq!(state("A.3.3"), State::Overdue);
    assert_eq!(state("A.4.2"), State::Excluded);
    // No implementation stated: still covered, but listed as needing attention (below).
    assert_eq!(state("A.4.3"), State::Covered);
    assert_eq!(a.cov("A.2.4").implementation, Some(Implementation::Planned));
    let c = &a.analysis.control_counts;
    assert_eq!((c.covered, c.partial, c.draft, c.overdue), (2, 2, 1, 1));
    assert_eq!(c.total, 38);
    assert_eq!(State::Partial.as_str(), "partial");
    assert!(State::ALL.contains(&State::Partial));
}

#[test]
fn attention_lists_every_unsettled_control_and_leaf_clause_with_its_reasons() {
    let decisions = soa(&[
        "A.2.2: {applicable: true, justification: \"x\", implementation: implemented}",
        "A.2.3: {applicable: true, justification: \"x\", implementation: partial}",
        "A.2.4: {applicable: true, justification: \"x\"}",
        "A.3.2: {applicable: true, justification: \"x\", implementation: planned}",
        "A.4.2: {applicable: false, justification: \"Not needed.\"}",
    ]);
    let files = [
        ("soa.yaml", decisions),
        (
            "in-force.md",
            approved(
                "P-1",
                "policy",
                "controls: [A.2.2, A.2.3, A.2.4, A.3.3]\nclauses: [\"5.2\", \"6.1\"]",
            ),
        ),
        (
            "draft.md",
            doc("D-1", "controls: [A.3.2]\nclauses: [\"5.3\"]\n"),
        ),
    ];
    let a = Aims::load(&files);
    let of = |id: &str| -> Option<Vec<Concern>> {
        a.analysis
            .attention
            .iter()
            .find(|x| x.id.as_str() == id)
            .map(|x| x.concerns.clone())
    };
    use Concern::*;
    assert_eq!(of("A.2.2"), None, "covered and implemented");
    assert_eq!(of("A.2.3"), Some(vec![ImplementationPartial]));
    assert_eq!(of("A.2.4"), Some(vec![ImplementationNotStated]));
    assert_eq!(of("A.3.2"), Some(vec![NotInForce, ImplementationPlanned]));
    // Undecided controls are applicable with no implementation stated.
    assert_eq!(of("A.3.3"), Some(vec![ImplementationNotStated]));
    assert_eq!(of("A.4.3"), Some(vec![NoDocument, ImplementationNotStated]));
    assert_eq!(of("A.4.2"), None, "excluded");
    assert_eq!(of("5.2"), None);
    assert_eq!(of("5.3"), Some(vec![NotInForce]));
    assert_eq!(of("4.1"), Some(vec![NoDocument]));
    // A parent clause only summarises its sub-clauses, which are listed themselves.
    assert_eq!(of("6.1"), None);
    assert_eq!(of("6"), None);
    assert_eq!(of("6.1.2"), Some(vec![NoDocument]));
    let first = a.analysis.attention.first().map(|x| x.id.as_str());
    assert_eq!(first, Some("4.1"), "catalog order: clauses, then Annex A");
    let partial = a
        .analysis
        .attention
        .iter()
        .find(|x| x.id.as_str() == "A.2.3");
    assert_eq!(partial.map(|x| x.state), Some(State::Partial));
    assert_eq!(
        ImplementationNotStated.describe(),
        "the SoA states no implementation for it"
    );
}

#[test]
fn the_records_of_a_control_are_its_live_records_and_registers() {
    let files = [
        ("rec.md", approved("REC-1", "record", "controls: [A.6.2.8]")),
        (
            "reg.md",
            doc("REG-1", "type: register\ncontrols: [A.6.2.8]\n"),
        ),
        (
            "pro.md",
            approved("PRO-1", "procedure", "controls: [A.6.2.8]"),
        ),
        (
            "old.md",
            doc(
                "REC-0",
                "type: record\nstatus: retired\ncontrols: [A.6.2.8]\n",
            ),
        ),
    ];
    let a = Aims::load(&files);
    let c = a.cov("A.6.2.8");
    assert_eq!(c.records, vec![a.at("rec.md"), a.at("reg.md")]);
    assert_eq!(c.documents.len(), 4);
    assert!(a.cov("A.6.2.7").records.is_empty());
}

/// `(state, documents, other documents)` of each required item of `clause`.
fn required_of(a: &Aims, clause: &str) -> Vec<(RequiredState, Vec<DocIndex>, Vec<DocIndex>)> {
    let items = &a.manual.catalog.required;
    a.analysis
        .required
        .iter()
        .filter(|r| items[r.item].clause == clause && items[r.item].id != required::SOA_ITEM)
        .map(|r| (r.state, r.documents.clone(), r.other_documents.clone()))
        .collect()
}

#[test]
fn a_record_item_is_met_only_by_records_and_registers_of_its_clause() {
    let files = [
        // 9.2.2 (two record items): an audit procedure only.
        (
            "audit.md",
            approved("PRO-AUD", "procedure", "clauses: [\"9.2.2\"]"),
        ),
        // 9.3.3: a procedure, and a record of the review in force.
        (
            "review.md",
            approved("PRO-MR", "procedure", "clauses: [\"9.3.3\"]"),
        ),
        (
            "minutes.md",
            approved("REC-MR", "record", "clauses: [\"9.3.3\"]"),
        ),
        // 7.2: a plan, and a competence register still in draft.
        ("plan.md", approved("PLN-1", "plan", "clauses: [\"7.2\"]")),
        (
            "skills.md",
            doc("REG-SK", "type: register\nclauses: [\"7.2\"]\n"),
        ),
        // 10.2: only a retired record.
        (
            "ncr.md",
            doc(
                "REC-NC",
                "type: record\nstatus: retired\nclauses: [\"10.2\"]\n",
            ),
        ),
        // 5.2 (a document item): a policy; 4.3 (a document item): a register.
        (
            "policy.md",
            approved("POL-1", "policy", "clauses: [\"5.2\"]"),
        ),
        (
            "inv.md",
            approved("REG-INV", "register", "clauses: [\"4.3\"]"),
        ),
    ];
    let a = Aims::load(&files);
    let at = |p: &str| a.at(p);
    use RequiredState::*;
    assert_eq!(
        required_of(&a, "9.2.2"),
        vec![(ProcessOnly, vec![], vec![at("audit.md")]); 2]
    );
    assert_eq!(
        required_of(&a, "9.3.3"),
        vec![(Covered, vec![at("minutes.md")], vec![at("review.md")])]
    );
    assert_eq!(
        required_of(&a, "7.2"),
        vec![(Draft, vec![at("skills.md")], vec![at("plan.md")])]
    );
    assert_eq!(required_of(&a, "10.2"), vec![(Gap, vec![], vec![]); 2]);
    assert_eq!(required_of(&a, "8.1"), vec![(Gap, vec![], vec![])]);
    assert_eq!(
        required_of(&a, "5.2"),
        vec![(Covered, vec![at("policy.md")], vec![])]
    );
    assert_eq!(
        required_of(&a, "4.3"),
        vec![(Covered, vec![at("inv.md")], vec![])]
    );
    assert_eq!(ProcessOnly.as_str(), "process-only");
    assert_eq!(ProcessOnly.label(), "process only — no record");
    let items: Vec<usize> = a.analysis.required.iter().map(|r| r.item).collect();
    assert_eq!(
        items,
        (0..a.manual.catalog.required.len()).collect::<Vec<_>>()
    );
}

#[test]
fn a_document_item_takes_the_best_of_its_live_documents() {
    let files = [
        ("policy.md", approved("P-1", "policy", "clauses: [\"5.2\"]")),
        (
            "old.md",
            doc("P-0", "status: retired\nclauses: [\"5.2\"]\n"),
        ),
        (
            "treat.md",
            doc("T-1", "status: in-review\nclauses: [\"6.1.3\"]\n"),
        ),
    ];
    let a = Aims::load(&files);
    use RequiredState::*;
    assert_eq!(
        required_of(&a, "5.2"),
        vec![(Covered, vec![a.at("policy.md")], vec![])]
    );
    // Clause 6.1.3 requires three items; the two besides the SoA share its documents.
    assert_eq!(
        required_of(&a, "6.1.3"),
        vec![(Draft, vec![a.at("treat.md")], vec![]); 2]
    );
    assert_eq!(required_of(&a, "4.3"), vec![(Gap, vec![], vec![])]);
}

/// How the SoA item stands: `(state, soa standing, documents)`.
fn soa_item(a: &Aims) -> (RequiredState, Option<required::SoaStanding>, usize) {
    let items = &a.manual.catalog.required;
    let r = a
        .analysis
        .required
        .iter()
        .find(|r| items[r.item].id == required::SOA_ITEM)
        .expect("the reference data has the SoA item");
    (r.state, r.soa, r.documents.len())
}

#[test]
fn the_soa_item_is_met_by_soa_yaml_deciding_every_control() {
    // A risk procedure declaring 6.1.3 is not a Statement of Applicability.
    let risk = approved("PRO-RISK", "procedure", "clauses: [\"6.1.3\"]");
    let standing = |present, undecided, approved| {
        Some(required::SoaStanding {
            present,
            undecided,
            approved,
        })
    };

    let a = Aims::load(&[("risk.md", risk.clone())]);
    assert_eq!(
        soa_item(&a),
        (RequiredState::Gap, standing(false, 38, false), 0)
    );

    let some = soa(&[
        "A.2.2: {applicable: true, justification: \"x\", implementation: implemented}",
        "A.2.3: {applicable: false, justification: \"Not needed.\"}",
    ]);
    let a = Aims::load(&[("risk.md", risk.clone()), ("soa.yaml", some)]);
    assert_eq!(
        soa_item(&a),
        (RequiredState::Draft, standing(true, 36, false), 0)
    );

    // Every control decided, but the SoA itself not approved: still a draft.
    let a = Aims::load(&[("risk.md", risk.clone()), ("soa.yaml", soa_all_decided())]);
    assert_eq!(
        soa_item(&a),
        (RequiredState::Draft, standing(true, 0, false), 0)
    );
    assert!(!a.manual.soa.is_approved());

    // Decided and approved (with approver and date): the SoA item is met by soa.yaml.
    let approved_soa = format!(
        "status: approved\nversion: \"1.0\"\nowner: AIMS Manager\napprover: CEO\napproved: 2026-01-10\nreview: 2027-01-10\n{}",
        soa_all_decided()
    );
    let a = Aims::load(&[("risk.md", risk), ("soa.yaml", approved_soa)]);
    assert_eq!(
        soa_item(&a),
        (RequiredState::Covered, standing(true, 0, true), 0)
    );
    assert!(a.manual.soa.is_approved());
}
