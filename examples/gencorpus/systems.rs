//! The AI systems of a generated corpus: `systems.yaml` with N/50 systems (1 to 200) of
//! varied roles and risk classes, and the one or two systems each document names.

use std::fmt::Write as _;

use super::OWNERS;

/// How many AI systems a corpus of `n` documents declares: one per 50 documents, 1 to 200.
fn system_count(n: usize) -> usize {
    (n / 50).clamp(1, 200)
}

/// The id of AI system `k` (1-based).
fn system_id(k: usize) -> String {
    format!("AIS-{k:03}")
}

/// The systems document `i` names: one, and a second for every third document. Taken from
/// `i` alone (not the PRNG), so the rest of each document is what it was before systems.
pub(crate) fn systems_of(i: usize, n: usize) -> Vec<String> {
    let s = system_count(n);
    let first = (i - 1) % s + 1;
    let mut out = vec![system_id(first)];
    if i.is_multiple_of(3) && s > 1 {
        out.push(system_id((first + s / 2 - 1) % s + 1));
    }
    out
}

/// `systems.yaml`: the corpus's AI systems, with a spread of roles and risk classes.
pub(crate) fn systems_yaml(n: usize) -> String {
    const ROLES: &[&str] = &[
        "[provider]",
        "[deployer]",
        "[developer, provider]",
        "[user]",
    ];
    const CLASSES: &[&str] = &["minimal", "limited", "high-risk", "minimal", "limited"];
    let mut s = String::from("systems:\n");
    for k in 1..=system_count(n) {
        let _ = writeln!(
            s,
            "  - id: {}\n    name: Bench AI system {k}\n    owner: {}\n    role: {}\n    risk_class: {}\n    stage: operation-and-monitoring\n    since: 2025-01-01",
            system_id(k),
            OWNERS[k % OWNERS.len()],
            ROLES[k % ROLES.len()],
            CLASSES[k % CLASSES.len()],
        );
    }
    s
}
