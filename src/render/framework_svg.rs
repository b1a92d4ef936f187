//! The coverage picture of a framework enabled beside ISO/IEC 42001, with the helpers of the
//! ISO/IEC 42001 picture (`svg.rs`: legend, bar, state glyphs). Each entry is one category:
//! addressed directly by documents (its direct state), only **via** an inferred mapping from
//! ISO/IEC 42001, or by **none**. One card per top-level entry that has sub-entries (the
//! other top-level entries share a card); each cell is a link to the entry's page, labelled
//! with its id, category and title in words, so colour is never the only cue.

use std::fmt::Write as _;

use super::svg::{bar, glyph, legend, Category, BAR_H, WIDTH};
use crate::analyse::crosswalk::{EntryCoverage, FrameworkCoverage};
use crate::analyse::State;
use crate::markdown::escape_attr;
use crate::model::framework::Framework;

const COLS: usize = 3;
const GAP: usize = 4;
const CELL_W: usize = (WIDTH - (COLS - 1) * GAP) / COLS;
const CELL_H: usize = 42;

/// How an entry is addressed, as the picture and the summary count it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Standing {
    /// Addressed by documents that declare it: their state (never a gap).
    Direct(State),
    /// Addressed by no document, but a mapping from ISO/IEC 42001 infers something.
    Via,
    /// Addressed by nothing.
    None,
}

impl Standing {
    /// The standing of one entry's coverage.
    pub(super) fn of(c: &EntryCoverage) -> Standing {
        match (c.state, c.inferred) {
            (State::Gap, Some(_)) => Standing::Via,
            (State::Gap, None) => Standing::None,
            (s, _) => Standing::Direct(s),
        }
    }

    /// Its name in words (`covered`, `via`, `none`).
    pub(super) fn name(self) -> &'static str {
        match self {
            Standing::Direct(s) => s.as_str(),
            Standing::Via => "via",
            Standing::None => "none",
        }
    }

    /// The suffix of its CSS classes.
    fn class(self) -> &'static str {
        match self {
            Standing::Direct(s) => s.as_str(),
            Standing::Via => "via",
            Standing::None => "gap",
        }
    }

    fn glyph(self) -> &'static str {
        match self {
            Standing::Direct(s) => glyph(s),
            Standing::Via => "≈",
            Standing::None => "✗",
        }
    }

    /// Every standing in the order the picture and the summary show them.
    pub(super) const ALL: [Standing; 7] = [
        Standing::Direct(State::Covered),
        Standing::Direct(State::Partial),
        Standing::Direct(State::Overdue),
        Standing::Direct(State::Draft),
        Standing::Via,
        Standing::None,
        Standing::Direct(State::Excluded),
    ];

    /// Whether it is shown even when no entry has it (every standing but an exclusion by a
    /// Statement of Applicability, which only ISO/IEC 27001 has).
    pub(super) fn always_shown(self) -> bool {
        self != Standing::Direct(State::Excluded)
    }
}

/// The confidence of what a mapping infers for `c`: that of the first mapping whose
/// ISO/IEC 42001 entry has the inferred state.
pub(super) fn confidence(c: &EntryCoverage) -> Option<&str> {
    let inferred = c.inferred?;
    c.via
        .iter()
        .find(|v| v.state == inferred)
        .map(|v| v.confidence.as_str())
}

/// How many entries of `entries` (indexes into `cov`) have each standing.
fn categories(cov: &FrameworkCoverage, entries: &[usize]) -> Vec<Category<'static>> {
    Standing::ALL
        .iter()
        .map(|&s| Category {
            class: s.class(),
            glyph: s.glyph(),
            name: s.name(),
            count: entries
                .iter()
                .filter(|&&e| cov.entries.get(e).map(Standing::of) == Some(s))
                .count(),
        })
        .filter(|c| c.count > 0 || c.name != State::Excluded.as_str())
        .collect()
}

/// The top-level entry each entry belongs to (itself when top level).
fn tops(f: &Framework) -> Vec<usize> {
    (0..f.entries.len())
        .map(|mut i| {
            let mut steps = 0;
            while let Some(p) = f.entries[i].parent.as_deref().and_then(|p| f.index_of(p)) {
                i = p;
                steps += 1;
                if steps > f.entries.len() {
                    break;
                }
            }
            i
        })
        .collect()
}

/// The cards of a framework: (heading entry or none for "the other entries", entries).
fn cards(f: &Framework) -> Vec<(Option<usize>, Vec<usize>)> {
    let tops = tops(f);
    let mut groups: Vec<(Option<usize>, Vec<usize>)> = Vec::new();
    let mut slot: Vec<Option<usize>> = vec![None; f.entries.len()];
    let mut members = vec![0usize; f.entries.len()];
    for &t in &tops {
        members[t] += 1;
    }
    let mut rest = Vec::new();
    for (i, &t) in tops.iter().enumerate() {
        if members[t] < 2 {
            rest.push(i);
            continue;
        }
        let g = *slot[t].get_or_insert_with(|| {
            groups.push((Some(t), Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(i);
    }
    if !rest.is_empty() {
        groups.push((None, rest));
    }
    groups
}

/// The coverage picture of enabled framework `f` (with coverage `cov`), as HTML with inline
/// SVG; `root` is the prefix from the page back to the site root.
pub(super) fn picture(f: &Framework, cov: &FrameworkCoverage, root: &str) -> String {
    let mut out = String::new();
    let groups = cards(f);
    let several = groups.len() > 1;
    for (n, (head, entries)) in groups.iter().enumerate() {
        let caption_id = format!("fw-card-{n}");
        let caption = match head {
            Some(h) => format!(
                "<a href=\"{root}{url}\">{id} {title}</a>",
                url = f.entry_path(*h),
                id = escape_attr(&f.entries[*h].id),
                title = escape_attr(&f.entries[*h].title),
            ),
            None if several => "Other entries".to_string(),
            None => escape_attr(&f.name),
        };
        let rows = entries.len().div_ceil(COLS);
        let grid_h = rows * (CELL_H + GAP);
        let height = grid_h + BAR_H + 26;
        let _ = write!(
            out,
            "<figure class=\"cov-card\"><figcaption id=\"{caption_id}\">{caption}</figcaption>\
<svg class=\"cov-svg\" role=\"group\" aria-labelledby=\"{caption_id}\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">",
        );
        for (k, &i) in entries.iter().enumerate() {
            let Some(c) = cov.entries.get(i) else {
                continue;
            };
            let e = &f.entries[i];
            let s = Standing::of(c);
            let x = (k % COLS) * (CELL_W + GAP);
            let y = (k / COLS) * (CELL_H + GAP);
            // The name starts with the visible text (id, standing).
            let label = match (s, c.inferred) {
                (Standing::Via, Some(inferred)) => format!(
                    "{} via mapping (inferred {}, confidence {}): {}",
                    e.id,
                    inferred.as_str(),
                    confidence(c).unwrap_or("not stated"),
                    e.title
                ),
                _ => format!("{} {}: {}", e.id, s.name(), e.title),
            };
            let _ = write!(
                out,
                "<a href=\"{root}{url}\" aria-label=\"{al}\"><title>{al}</title>\
<rect class=\"cell s-{cl}\" x=\"{x}\" y=\"{y}\" width=\"{CELL_W}\" height=\"{CELL_H}\" rx=\"5\"/>\
<text class=\"t-{cl}\" text-anchor=\"middle\"><tspan class=\"cell-id\" x=\"{tx}\" y=\"{y1}\">{id}</tspan> \
<tspan class=\"cell-state\" x=\"{tx}\" y=\"{y2}\">{name}</tspan></text></a>",
                url = f.entry_path(i),
                al = escape_attr(&label),
                cl = s.class(),
                id = escape_attr(&e.id),
                name = s.name(),
                tx = x + CELL_W / 2,
                y1 = y + 17,
                y2 = y + 33,
            );
        }
        let (bar, _) = bar(&categories(cov, entries), grid_h + 2);
        let _ = write!(out, "{bar}</svg></figure>");
    }
    let all: Vec<usize> = (0..f.entries.len()).collect();
    let shown: Vec<Category<'_>> = categories(cov, &all)
        .into_iter()
        .filter(|c| c.count > 0 || c.class != "partial")
        .collect();
    format!(
        "<div class=\"cov-picture\">{}<div class=\"cov-cards\">{out}</div></div>",
        legend(&shown)
    )
}
