//! An audience's edition: the documents it may read, resolved and analysed on their own.

use std::path::Path;

use crate::analyse::{self, Analysis};
use crate::date::Date;
use crate::load::{self, Source};
use crate::model::frontmatter::Classification;
use crate::model::Manual;
use crate::resolve::{self, Resolved};

/// The documents an audience may read, resolved and analysed on their own: every page and
/// data file of an audience build is computed from this subset. Diagnostics were reported by
/// the full compile and are not repeated.
pub fn audience_subset(
    mut manual: Manual,
    audience: Classification,
    source: &dyn Source,
    today: Date,
) -> (Manual, Resolved, Analysis) {
    let mut withheld = resolve::Withheld::default();
    let (keep, drop): (Vec<_>, Vec<_>) = std::mem::take(&mut manual.documents)
        .into_iter()
        .partition(|d| d.meta.classification <= audience);
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
    let analysis = analyse::analyse(&manual, &resolved, today);
    (manual, resolved, analysis)
}
