//! The SoA's own document-control fields at the top of `soa.yaml` (`status`, `version`,
//! `owner`, `approver`, `approved`, `effective`, `review`), read by the same readers as a
//! document's front matter (`load::meta::fields`), so a bad date or status gets the same
//! diagnostic at its value.

use serde_yaml::{Mapping, Value};

use crate::diagnostics::Diagnostic;
use crate::load::locator::Locator;
use crate::load::meta::fields::Fields;
use crate::model::controlled::CONTROL_FIELDS;
use crate::model::frontmatter::{Field, Status};
use crate::model::soa::{SoaMeta, SOA_FILE};

/// Reads the control fields of the top-level mapping `top` of `text`.
pub(super) fn read(text: &str, top: &Mapping, diags: &mut Vec<Diagnostic>) -> SoaMeta {
    let path = std::path::Path::new(SOA_FILE);
    let loc = Locator::new(path, text, 0, text);
    let mut f = Fields::new(&loc, diags);
    let get = |field: Field| -> Option<Value> {
        top.get(field.as_str())
            .cloned()
            .filter(|v| !matches!(v, Value::Null))
    };
    let status = get(Field::Status)
        .and_then(|v| f.choice(Field::Status, v, Status::parse, Status::NAMES))
        .unwrap_or(Status::Draft);
    let version = get(Field::Version).and_then(|v| match v {
        // Kept exactly as written: `1.10` must not become `1.1`.
        Value::Number(_) => {
            let r = loc.value(Field::Version.as_str()).range;
            text.get(r).map(|s| s.trim_matches(['"', '\'']).to_string())
        }
        other => f.string(Field::Version, other),
    });
    let owner = get(Field::Owner).and_then(|v| f.string(Field::Owner, v));
    let approver = get(Field::Approver).and_then(|v| f.string(Field::Approver, v));
    let approved = get(Field::Approved).and_then(|v| f.date(Field::Approved, v));
    let effective = get(Field::Effective).and_then(|v| f.date(Field::Effective, v));
    let review = get(Field::Review).and_then(|v| f.date(Field::Review, v));
    // Written (not blank) but not read: already reported at the value, not also as missing.
    let rejected = crate::load::meta::fields::rejected(
        [
            (Field::Version, version.is_none()),
            (Field::Owner, owner.is_none()),
            (Field::Approver, approver.is_none()),
            (Field::Approved, approved.is_none()),
            (Field::Effective, effective.is_none()),
            (Field::Review, review.is_none()),
        ],
        |field| get(field).is_some(),
    );
    let spans = CONTROL_FIELDS
        .iter()
        .map(|k| k.as_str())
        .filter(|k| top.contains_key(*k))
        .map(|k| (k, loc.value(k)))
        .collect();
    SoaMeta {
        status,
        version,
        owner,
        approver,
        approved,
        effective,
        review,
        spans,
        start: loc.whole(),
        rejected,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::code;

    fn run(text: &str) -> (SoaMeta, Vec<Diagnostic>) {
        let mut d = Vec::new();
        let Ok(Value::Mapping(top)) = crate::load::yaml::parse(text) else {
            panic!("not a mapping");
        };
        (read(text, &top, &mut d), d)
    }

    #[test]
    fn fields_with_their_positions() {
        let (m, d) = run("version: 1.10\nstatus: approved\nowner: CISO\napprover: Board\napproved: 2026-03-01\nreview: 2027-03-01\ncontrols: {}\n");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(m.version.as_deref(), Some("1.10"));
        assert_eq!(m.status, Status::Approved);
        assert_eq!(m.spans["approved"].line, 5);
        assert_eq!(m.spans["approved"].column, 11);
        assert!(!m.spans.contains_key("effective"));
        assert_eq!((m.start.line, m.start.column), (1, 1));
    }

    #[test]
    fn bad_values_are_reported_at_the_value() {
        let (m, d) = run("status: aproved\napproved: 01/03/2026\nowner: [a]\ncontrols: {}\n");
        assert_eq!(m.status, Status::Draft);
        let codes: Vec<_> = d.iter().map(|d| (d.code, d.span.line)).collect();
        assert_eq!(
            codes,
            [
                (code::INVALID_VALUE, 1),
                (code::INVALID_TYPE, 3),
                (code::INVALID_DATE, 2)
            ]
        );
        assert!(d[0].suggestion.as_deref().unwrap().contains("approved"));
        // The rejected values are recorded, so the approval rules do not report them again
        // as missing.
        assert_eq!(
            m.rejected.iter().copied().collect::<Vec<_>>(),
            ["approved", "owner"]
        );
    }
}
