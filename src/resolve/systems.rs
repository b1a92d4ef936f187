//! The AI systems documents name: `systems:` in front matter (an id systems.yaml does not
//! have is an error with the nearest ids) and the rule that keeps `[[ID]]` unambiguous — a
//! system id must differ, ignoring case, from every document id and every ISO/IEC 42001 id.
//! Where one does not, that is an error at the system in systems.yaml, and `[[ID]]` keeps
//! meaning the document or the clause or control.

use std::collections::{BTreeSet, HashMap};

use crate::diagnostics::{code, did_you_mean, Diagnostic};
use crate::model::catalog::Lookup;
use crate::model::system::SYSTEMS_FILE;
use crate::model::{DocIndex, DocKey, Manual, PerDoc};

/// What documents say about the AI systems.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SystemLinks {
    /// Per document: the systems it names in front matter (indices into the inventory), in
    /// the order written, each once.
    pub named: PerDoc<Vec<usize>>,
    /// Per system: the documents that name it in front matter, by path.
    pub named_by: Vec<Vec<DocIndex>>,
    /// Per system: the documents whose body references it (`[[AIS-03]]`).
    pub backlinks: Vec<BTreeSet<DocIndex>>,
    /// Per system: whether `[[ID]]` reaches it (its id collides with nothing).
    pub linkable: Vec<bool>,
}

/// Checks the systems' ids against the documents' and the catalog's, and every `systems:`
/// of front matter against the inventory. `doc_keys` are the documents' ids as they are
/// unique.
pub(super) fn resolve(
    manual: &Manual,
    doc_keys: &HashMap<DocKey, DocIndex>,
    diags: &mut Vec<Diagnostic>,
) -> SystemLinks {
    let n = manual.documents.len();
    let list = manual.systems.as_ref().map_or(&[][..], |s| &s.list[..]);
    let mut out = SystemLinks {
        named: PerDoc::filled(n, Vec::new()),
        named_by: vec![Vec::new(); list.len()],
        backlinks: vec![BTreeSet::new(); list.len()],
        linkable: vec![true; list.len()],
    };
    for (k, s) in list.iter().enumerate() {
        let other = if let Some(&d) = doc_keys.get(&s.id.key()) {
            let doc = manual.doc(d);
            Some(format!(
                "the document {} (`{}`)",
                doc.path.display(),
                doc.meta.id
            ))
        } else if !matches!(manual.catalog.lookup(s.id.as_str()), Lookup::Unknown) {
            Some("an ISO/IEC 42001 clause or control".to_string())
        } else {
            None
        };
        if let Some(other) = other {
            out.linkable[k] = false;
            diags.push(
                Diagnostic::error(
                    code::SYSTEM_ID_COLLISION,
                    s.span.clone(),
                    format!("system id `{}` is also the id of {other}", s.id),
                )
                .with_suggestion(
                    "give the system an id of its own (e.g. AIS-01): `[[ID]]` must name one thing",
                ),
            );
        }
    }
    for (i, d) in manual.docs() {
        for r in &d.meta.systems {
            match manual.systems.as_ref().and_then(|s| s.index_of(&r.id)) {
                Some(k) => {
                    if !out.named[i].contains(&k) {
                        out.named[i].push(k);
                        out.named_by[k].push(i);
                    }
                }
                None => {
                    let (message, hint) = match &manual.systems {
                        Some(s) => (
                            format!("{SYSTEMS_FILE} has no AI system `{}`", r.id),
                            did_you_mean(&r.id, s.list.iter().map(|s| s.id.as_str()))
                                .unwrap_or_else(|| {
                                    format!(
                                        "add it to {SYSTEMS_FILE}, or name a system listed there"
                                    )
                                }),
                        ),
                        None => (
                            format!(
                                "`systems` names `{}`, but the AIMS has no {SYSTEMS_FILE}",
                                r.id
                            ),
                            format!("list the AI systems in {SYSTEMS_FILE} at the root"),
                        ),
                    };
                    diags.push(
                        Diagnostic::error(code::UNKNOWN_SYSTEM, r.span.clone(), message)
                            .with_suggestion(hint),
                    );
                }
            }
        }
    }
    out
}
