//! The hover of an AI system: its inventory fields (name, id, owner, in scope, roles, risk
//! class, stage) and, from the analysis, each record it is expected to have with its state
//! (met, stale, unapproved, missing) and the records that count.

use std::fmt::Write as _;

use crate::pipeline::Compilation;

/// Appends the Markdown that describes system `k` of the inventory to `s`.
pub(super) fn describe_system(c: &Compilation, k: usize, s: &mut String) {
    let Some(inventory) = c.manual.systems.as_ref() else {
        return;
    };
    let Some(sys) = inventory.list.get(k) else {
        return;
    };
    let _ = writeln!(s, "**{}** `{}` (AI system)\n", sys.name, sys.id);
    if let Some(d) = sys.description.as_deref().filter(|d| !d.trim().is_empty()) {
        let _ = writeln!(s, "{}\n", d.trim());
    }
    let _ = writeln!(s, "- owner: {}", sys.owner.as_deref().unwrap_or("none"));
    let _ = writeln!(s, "- in scope: {}", if sys.in_scope { "yes" } else { "no" });
    let _ = writeln!(s, "- role: {}", sys.roles_text());
    let _ = writeln!(
        s,
        "- risk class: {}",
        sys.risk_class.map_or("none", |r| r.as_str())
    );
    let _ = writeln!(s, "- stage: {}", sys.stage.map_or("none", |r| r.as_str()));
    let Some(found) = c.analysis.systems.systems.get(k) else {
        return;
    };
    if !found.governed {
        let _ = writeln!(
            s,
            "\nNo evidence expected: the system is out of scope or retired."
        );
        return;
    }
    if found.evidence.is_empty() {
        let _ = writeln!(s, "\nNo evidence expected of it.");
        return;
    }
    let _ = writeln!(s, "\nExpected evidence:");
    for e in &found.evidence {
        let name = inventory
            .expectations
            .get(e.expect)
            .map_or("?", |x| x.name.as_str());
        let _ = write!(s, "- {name}: **{}**", e.state.as_str());
        let ids: Vec<String> = e
            .documents
            .iter()
            .map(|&d| format!("`{}`", c.manual.doc(d).meta.id))
            .collect();
        if !ids.is_empty() {
            let _ = write!(s, " ({})", ids.join(", "));
        }
        if e.withheld > 0 {
            let _ = write!(s, " (+{} not in this edition)", e.withheld);
        }
        let _ = writeln!(s);
    }
}
