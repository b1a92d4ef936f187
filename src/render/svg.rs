//! Coverage as pictures: inline SVG, no JavaScript. One card per Annex A objective holds a
//! grid of its controls (each cell a link to the control's page, coloured by state and
//! labelled with its id and state in words, so colour is never the only cue; with its SoA
//! implementation in the label when the build discloses it) and a bar of covered / partial /
//! overdue / draft / gap / excluded counts. Cards are separate small SVGs in a
//! wrapping grid, so the picture reflows from a 360 px phone to a wide screen without
//! shrinking its text. Colours come from the theme's CSS variables (light and dark).

use std::fmt::Write as _;

use super::urls;
use crate::analyse::{Analysis, State};
use crate::markdown::escape_attr;
use crate::model::catalog::EntryKind;
use crate::model::Manual;

pub(super) const COLS: usize = 5;
const CELL_W: usize = 60;
const CELL_H: usize = 42;
const GAP: usize = 4;
pub(super) const WIDTH: usize = COLS * (CELL_W + GAP) - GAP;
pub(super) const BAR_H: usize = 14;

/// The glyph shown with each state's name (a second cue besides colour).
pub fn glyph(s: State) -> &'static str {
    match s {
        State::Covered => "✓",
        State::Partial => "◐",
        State::Overdue => "!",
        State::Draft => "○",
        State::Gap => "✗",
        State::Excluded => "–",
    }
}

/// One category of a picture: its CSS state class, glyph, name and count.
pub(super) struct Category<'a> {
    /// The suffix of its `s-`/`t-` classes.
    pub class: &'a str,
    /// The glyph shown with its name.
    pub glyph: &'a str,
    /// Its name in words.
    pub name: &'a str,
    /// How many items it has.
    pub count: usize,
}

impl Category<'static> {
    fn of(s: State, count: usize) -> Self {
        Category {
            class: s.as_str(),
            glyph: glyph(s),
            name: s.as_str(),
            count,
        }
    }
}

/// The legend: each category with its swatch, glyph, name and count.
pub(super) fn legend(items: &[Category<'_>]) -> String {
    let mut out = String::from("<ul class=\"cov-legend\" aria-label=\"Legend\">");
    for c in items {
        let _ = write!(
            out,
            "<li><span class=\"swatch s-{cl}\" aria-hidden=\"true\">{g}</span> {name} <span class=\"cov-legend-count\">({n})</span></li>",
            cl = c.class,
            g = c.glyph,
            name = c.name,
            n = c.count,
        );
    }
    out.push_str("</ul>");
    out
}

/// A bar of `WIDTH` at `y`: one segment per category present, widths proportional to the
/// counts, hidden from assistive technology, then its text label (the counts in words).
/// Returns the SVG and the label.
pub(super) fn bar(items: &[Category<'_>], y: usize) -> (String, String) {
    let n: usize = items.iter().map(|c| c.count).sum();
    let mut out = String::from("<g aria-hidden=\"true\">");
    let mut x = 0usize;
    let mut parts = Vec::new();
    for (k, c) in items.iter().enumerate() {
        if c.count == 0 {
            continue;
        }
        let last = items[k + 1..].iter().all(|c| c.count == 0);
        let w = if last { WIDTH - x } else { WIDTH * c.count / n };
        let _ = write!(
            out,
            "<rect class=\"bar s-{cl}\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{BAR_H}\"/>",
            cl = c.class
        );
        x += w;
        parts.push(format!("{} {}", c.count, c.name));
    }
    out.push_str("</g>");
    let label = parts.join(" · ");
    let _ = write!(
        out,
        "<text class=\"bar-label\" x=\"0\" y=\"{ty}\">{text}</text>",
        ty = y + BAR_H + 15,
        text = escape_attr(&label),
    );
    (out, label)
}

/// The coverage picture of the Annex A controls, as HTML with inline SVG. `root` is the
/// prefix from the page back to the site root; `implementation` says whether each cell's
/// label names the control's SoA implementation (only when the build discloses the SoA).
pub fn controls_picture(
    manual: &Manual,
    analysis: &Analysis,
    root: &str,
    implementation: bool,
) -> String {
    let cat = &manual.catalog;
    let mut total: Vec<(State, usize)> = State::ALL.iter().map(|s| (*s, 0)).collect();
    let mut cards = String::new();
    for obj in cat.of_kind(EntryKind::Objective) {
        let controls: Vec<(&crate::model::catalog::Entry, State, Option<&str>)> = cat
            .controls()
            .filter(|c| cat.objective_of(c).is_some_and(|o| o.id == obj.id))
            .filter_map(|c| {
                analysis.coverage(&c.id).map(|cov| {
                    let shown = cov
                        .implementation
                        .filter(|_| implementation && cov.applicable);
                    (c, cov.state, shown.map(|i| i.as_str()))
                })
            })
            .collect();
        if controls.is_empty() {
            continue;
        }
        let mut counts: Vec<(State, usize)> = State::ALL.iter().map(|s| (*s, 0)).collect();
        for (_, s, _) in &controls {
            if let Some(c) = counts.iter_mut().find(|(x, _)| x == s) {
                c.1 += 1;
            }
            if let Some(c) = total.iter_mut().find(|(x, _)| x == s) {
                c.1 += 1;
            }
        }
        let rows = controls.len().div_ceil(COLS);
        let grid_h = rows * (CELL_H + GAP);
        let height = grid_h + BAR_H + 26;
        let obj_id = escape_attr(obj.id.as_str());
        let caption_id = format!("cov-{}", obj.id.as_str().replace('.', "-"));
        let _ = write!(
            cards,
            "<figure class=\"cov-card\"><figcaption id=\"{caption_id}\"><a href=\"{root}{url}\">{obj_id} {title}</a></figcaption>\
<svg class=\"cov-svg\" role=\"group\" aria-labelledby=\"{caption_id}\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">",
            url = urls::catalog(cat, obj.id.as_str()),
            title = escape_attr(&obj.title),
        );
        for (i, (c, s, imp)) in controls.iter().enumerate() {
            let x = (i % COLS) * (CELL_W + GAP);
            let y = (i / COLS) * (CELL_H + GAP);
            let id = escape_attr(c.id.as_str());
            // The name starts with the visible text (id, state), then the implementation
            // and the title.
            let label = match imp {
                Some(imp) => format!(
                    "{} {} (implementation {imp}): {}",
                    c.id,
                    s.as_str(),
                    c.title
                ),
                None => format!("{} {}: {}", c.id, s.as_str(), c.title),
            };
            let _ = write!(
                cards,
                "<a href=\"{root}{url}\" aria-label=\"{al}\"><title>{al}</title>\
<rect class=\"cell s-{st}\" x=\"{x}\" y=\"{y}\" width=\"{CELL_W}\" height=\"{CELL_H}\" rx=\"5\"/>\
<text class=\"t-{st}\" text-anchor=\"middle\"><tspan class=\"cell-id\" x=\"{tx}\" y=\"{y1}\">{id}</tspan> \
<tspan class=\"cell-state\" x=\"{tx}\" y=\"{y2}\">{st}</tspan></text></a>",
                url = urls::catalog(cat, c.id.as_str()),
                al = escape_attr(&label),
                st = s.as_str(),
                tx = x + CELL_W / 2,
                y1 = y + 17,
                y2 = y + 33,
            );
        }
        let items: Vec<Category<'_>> = counts.iter().map(|&(s, n)| Category::of(s, n)).collect();
        let (bar, _) = bar(&items, grid_h + 2);
        let _ = write!(cards, "{bar}</svg></figure>");
    }
    let shown: Vec<Category<'_>> = total
        .into_iter()
        .filter(|(s, n)| *n > 0 || *s != State::Excluded)
        .map(|(s, n)| Category::of(s, n))
        .collect();
    format!(
        "<div class=\"cov-picture\">{}<div class=\"cov-cards\">{cards}</div></div>",
        legend(&shown)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_is_a_labelled_link() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("aims.toml"),
            "title = \"T\"\norganization = \"O\"\n",
        )
        .expect("write");
        let src = crate::load::FsSource::new(dir.path());
        let today = crate::date::Date::parse("2026-11-23").expect("date");
        let c = crate::pipeline::compile_complete(&src, dir.path(), today).expect("compiles");
        let (m, a) = (c.manual, c.analysis);
        let html = controls_picture(&m, &a, "../", true);
        assert_eq!(html.matches("<svg").count(), 9, "one card per objective");
        assert_eq!(html.matches("<a href=\"../controls/A.").count(), 38);
        assert_eq!(
            html.matches("<a href=\"../controls/index.html#A.").count(),
            9
        );
        assert!(html.contains("href=\"../controls/A.6.2.4.html\""));
        assert!(html.contains("aria-label=\"A.6.2.4 gap: AI system verification and validation\""));
        assert!(
            html.contains(">gap</tspan>"),
            "state in words, not colour alone"
        );
        assert!(html.contains("3 gap"), "per-objective bar label");
    }
}
