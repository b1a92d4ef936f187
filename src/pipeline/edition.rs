//! An audience's edition: the documents it may read, resolved on their own, with the
//! coverage of the whole AIMS.
//!
//! An edition withholds the identity and the text of documents (ids, titles, paths, owners,
//! bodies, link text), never the truth of the coverage: the states and counts of every
//! control, clause and item of required documented information are those the whole AIMS
//! has, and where withheld documents address an entry the edition knows how many, never
//! which.

use std::collections::HashMap;
use std::path::Path;

use crate::analyse::{self, Analysis};
use crate::load::{self, Source};
use crate::model::framework::EntryRef;
use crate::model::frontmatter::Classification;
use crate::model::{CatalogId, DocIndex, Manual};
use crate::resolve::{self, Resolved};

/// What an edition leaves out, by number only: never an id, a title or a path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unpublished {
    /// How many documents the edition withholds.
    pub documents: usize,
    /// Per control or clause: how many withheld documents declare it in front matter (of
    /// any status, as the "Implemented by" list of the complete manual shows them). Entries
    /// without any are absent.
    pub by_entry: HashMap<CatalogId, usize>,
    /// Per item of required documented information (as in [`Analysis::required`]): how many
    /// of the documents that meet it are withheld.
    pub required: Vec<usize>,
    /// Per entry of an enabled framework: how many withheld documents declare it. Entries
    /// without any are absent.
    pub by_framework_entry: HashMap<EntryRef, usize>,
}

impl Unpublished {
    /// How many withheld documents address control or clause `id`.
    pub fn of(&self, id: &CatalogId) -> usize {
        self.by_entry.get(id).copied().unwrap_or(0)
    }

    /// How many withheld documents declare the framework entry `e`.
    pub fn of_framework_entry(&self, e: EntryRef) -> usize {
        self.by_framework_entry.get(&e).copied().unwrap_or(0)
    }

    /// How many withheld documents meet item `i` of required documented information.
    pub fn of_required(&self, i: usize) -> usize {
        self.required.get(i).copied().unwrap_or(0)
    }
}

/// An audience's edition of a compiled manual.
#[derive(Debug)]
pub struct Subset {
    /// The documents the audience may read (sections rebuilt from them).
    pub manual: Manual,
    /// Their references, resolved among themselves (links to the others are withheld).
    pub resolved: Resolved,
    /// The whole AIMS's states and counts, with this edition's documents.
    pub analysis: Analysis,
    /// What is left out, by number.
    pub unpublished: Unpublished,
}

/// The documents `audience` may read out of the whole `manual`, whose analysis is `whole`:
/// every page and data file of an audience build is computed from this subset. Diagnostics
/// were reported by the full compile and are not repeated.
pub fn audience_subset(
    mut manual: Manual,
    audience: Classification,
    source: &dyn Source,
    whole: &Analysis,
) -> Subset {
    let mut withheld = resolve::Withheld::default();
    let mut withheld_ix: Vec<bool> = Vec::with_capacity(manual.documents.len());
    let (keep, drop): (Vec<_>, Vec<_>) = std::mem::take(&mut manual.documents)
        .into_iter()
        .inspect(|d| withheld_ix.push(d.meta.classification > audience))
        .partition(|d| d.meta.classification <= audience);
    let is_withheld = |d: &DocIndex| withheld_ix.get(d.index()).copied().unwrap_or(false);
    let unpublished = Unpublished {
        documents: drop.len(),
        by_entry: whole
            .controls
            .iter()
            .chain(&whole.clauses)
            .map(|c| {
                (
                    c.id.clone(),
                    c.documents.iter().filter(|d| is_withheld(d)).count(),
                )
            })
            .filter(|(_, n)| *n > 0)
            .collect(),
        required: whole
            .required
            .iter()
            .map(|r| r.documents.iter().filter(|d| is_withheld(d)).count())
            .collect(),
        by_framework_entry: whole
            .frameworks
            .iter()
            .enumerate()
            .flat_map(|(framework, f)| {
                f.entries
                    .iter()
                    .enumerate()
                    .map(move |(entry, e)| (EntryRef { framework, entry }, &e.documents))
            })
            .map(|(r, docs)| (r, docs.iter().filter(|d| is_withheld(d)).count()))
            .filter(|(_, n)| *n > 0)
            .collect(),
    };
    for d in drop {
        withheld.ids.insert(d.meta.id.to_string());
        withheld.paths.insert(d.path);
    }
    manual.documents = keep;
    let mut ignored = Vec::new();
    manual.sections = load::build_sections(source, &mut manual.documents, &mut ignored);
    let text_of = |_: &Path| None;
    let resolved = resolve::resolve_with(&manual, &withheld, &text_of, &mut ignored);
    // The plain text (for search) must not keep the text of links to withheld documents.
    for (d, links) in manual.documents.iter_mut().zip(&resolved.links) {
        let mut ranges: Vec<std::ops::Range<usize>> = d
            .body
            .refs
            .iter()
            .zip(links)
            .filter(|(_, l)| matches!(l, resolve::Link::Withheld))
            .map(|(r, _)| r.text.clone())
            .filter(|t| t.start < t.end)
            .collect();
        ranges.sort_by_key(|t| std::cmp::Reverse(t.start));
        for t in ranges {
            let text = &mut d.body.text;
            let (start, end) = (t.start.min(text.len()), t.end.min(text.len()));
            if text.is_char_boundary(start) && text.is_char_boundary(end) {
                text.replace_range(start..end, " internal document ");
            }
        }
    }
    let mut analysis = analyse::analyse(&manual, &resolved, whole.today);
    with_whole_states(&mut analysis, whole);
    let mut next = 0;
    let remap: Vec<Option<DocIndex>> = withheld_ix
        .iter()
        .map(|&w| {
            (!w).then(|| {
                next += 1;
                DocIndex::new(next - 1)
            })
        })
        .collect();
    analysis.systems = analyse::systems::for_edition(&whole.systems, &remap);
    Subset {
        manual,
        resolved,
        analysis,
        unpublished,
    }
}

/// Gives the edition's analysis the states and counts of the whole AIMS: the edition's own
/// documents decide nothing about how far the AIMS is covered.
fn with_whole_states(edition: &mut Analysis, whole: &Analysis) {
    let states: HashMap<&CatalogId, _> = whole
        .controls
        .iter()
        .chain(&whole.clauses)
        .map(|c| (&c.id, (c.state, &c.systems)))
        .collect();
    for c in edition
        .controls
        .iter_mut()
        .chain(edition.clauses.iter_mut())
    {
        if let Some(&(s, systems)) = states.get(&c.id) {
            c.state = s;
            c.systems = systems.clone();
        }
    }
    for (r, w) in edition.required.iter_mut().zip(&whole.required) {
        if r.item == w.item {
            r.state = w.state;
        }
    }
    edition.control_counts = whole.control_counts.clone();
    edition.clause_counts = whole.clause_counts.clone();
    // What needs attention follows from the states and the SoA: the whole AIMS's too.
    edition.attention = whole.attention.clone();
    analyse::framework_states_of(edition, whole);
}
