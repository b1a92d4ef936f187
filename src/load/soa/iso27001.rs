//! The decisions on ISO/IEC 27001:2022 Annex A under the `iso27001:` key of `soa.yaml`: the
//! same shape and rules as those under `controls:` (applicable or excluded with a
//! justification, implementation state, owner, evidence, references in the texts), checked
//! against the Annex A controls (entries of kind `control`) of the enabled `iso27001`
//! catalog. The key is read only when `aims.toml` enables `iso27001`.

use std::collections::{BTreeMap, HashMap};

use serde_yaml::Value;

use super::keys::Keys;
use super::undecided::{undecided_warning, Undecided};
use super::Written;
use crate::diagnostics::{code, did_you_mean, Diagnostic, Span};
use crate::model::framework::{Framework, Frameworks};
use crate::model::soa::{Annex, Decision, SoaRef, ISO27001};

/// The kind of the catalog entries the SoA decides on.
const CONTROL: &str = "control";

/// Whether `e` is an Annex A control of the catalog.
fn is_control(f: &Framework, id: &str) -> bool {
    f.get(id)
        .is_some_and(|e| e.kind.as_deref() == Some(CONTROL))
}

/// Reads the value `v` of `iso27001:` (its keys placed by `keys`), appending the references
/// in its texts to `refs`. `None` when `frameworks` does not enable ISO/IEC 27001 (a
/// warning), else the decisions by control id.
pub(super) fn read(
    v: &Value,
    mut keys: Keys<'_>,
    frameworks: &Frameworks,
    refs: &mut Vec<SoaRef>,
    diags: &mut Vec<Diagnostic>,
) -> Option<BTreeMap<String, Decision>> {
    let Some((_, fw)) = frameworks.find(ISO27001) else {
        diags.push(
            Diagnostic::warning(
                code::SOA27001_NOT_ENABLED,
                keys.span(ISO27001),
                "soa.yaml has decisions on ISO/IEC 27001 Annex A (`iso27001:`), but aims.toml does not enable iso27001; they are ignored",
            )
            .with_suggestion("add \"iso27001\" to `frameworks` in aims.toml"),
        );
        return None;
    };
    let mut decisions = BTreeMap::new();
    let controls = match v {
        Value::Mapping(m) => m.clone(),
        Value::Null => Default::default(),
        _ => {
            diags.push(Diagnostic::error(
                code::SOA_SYNTAX,
                keys.span(ISO27001),
                "`iso27001` in soa.yaml must be a mapping from ISO/IEC 27001 Annex A control id to decision",
            ).with_suggestion("write `iso27001:` followed by one `A.5.1: {applicable: true, ...}` line per control"));
            return Some(decisions);
        }
    };
    let written_key = |k: &Value| match k {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    // Each decision's region ends where the next control's key is written.
    let all_written: Vec<String> = controls.keys().filter_map(written_key).collect();
    keys.set_controls(all_written.iter().map(String::as_str));
    let keys = &keys;
    let mut undecided_at: HashMap<String, Span> = HashMap::new();
    for (k, v) in &controls {
        let Some(written) = written_key(k) else {
            continue;
        };
        let span = keys.span(&written);
        if !is_control(fw, &written) {
            let message = match fw.get(&written) {
                Some(_) => format!(
                    "{written} is not an ISO/IEC 27001 Annex A control; `iso27001:` in soa.yaml decides on controls only"
                ),
                None => format!("unknown ISO/IEC 27001 Annex A control {written} in soa.yaml"),
            };
            let controls = fw
                .entries
                .iter()
                .filter(|e| e.kind.as_deref() == Some(CONTROL))
                .map(|e| e.id.as_str());
            diags.push(
                Diagnostic::error(code::SOA27001_UNKNOWN_CONTROL, span, message)
                    .with_suggestion_opt(did_you_mean(&written, controls)),
            );
            continue;
        }
        let undecided = match v {
            Value::Null => true,
            Value::Mapping(m) => m.is_empty(),
            _ => false,
        };
        if undecided {
            undecided_at.entry(written).or_insert(span);
            continue;
        }
        let label = format!("ISO/IEC 27001 {written}");
        let at = Written {
            keys,
            control: &written,
            id: &written,
            label: &label,
            annex: Annex::Iso27001,
            missing_justification: code::SOA27001_MISSING_JUSTIFICATION,
            span,
        };
        let decision = at.decision(v, diags);
        at.refs(&decision, refs);
        decisions.insert(written, decision);
    }
    let undecided: Vec<(&str, &str)> = fw
        .entries
        .iter()
        .filter(|e| e.kind.as_deref() == Some(CONTROL) && !decisions.contains_key(&e.id))
        .map(|e| (e.id.as_str(), e.title.as_str()))
        .collect();
    diags.extend(undecided_warning(
        &Undecided::ISO27001,
        &undecided,
        &undecided_at,
    ));
    Some(decisions)
}
