//! The coverage pages of the frameworks enabled beside ISO/IEC 42001: on each framework's
//! index its coverage by standing (direct state, via an inferred mapping with its
//! confidence, none) and picture; a **matrix** per framework (entries × the documents that
//! declare them, with the mapping each undeclared entry is inferred through); a **gaps**
//! list per framework (entries no document addresses, each with what a mapping infers and
//! from which ISO/IEC 42001 clauses and controls); and the **crosswalk** page (each
//! ISO/IEC 42001 clause and control with the entries it maps to in every enabled framework).
//!
//! States are those of the whole AIMS in every edition; documents an edition withholds are
//! not in its manual, so they are never named or linked here, only counted.

use std::collections::HashMap;

use serde::Serialize;
use tera::{Context, Value};

use super::framework_svg::{confidence, picture, Standing};
use super::framework_views::{via_views, FrameworkLink, ViaView};
use super::matrix::{self, Cell, Column};
use super::page::{Kind, Page};
use super::{urls, Input};
use crate::analyse::crosswalk::{EntryCoverage, FrameworkCoverage};
use crate::config::Disclosure;
use crate::model::catalog::EntryKind;
use crate::model::crosswalk::Mapping;
use crate::model::framework::{EntryRef, Framework};
use crate::model::{DocIndex, Manual};

/// Whether at least one enabled framework has a crosswalk from ISO/IEC 42001.
fn has_crosswalk(m: &Manual) -> bool {
    m.frameworks
        .enabled
        .iter()
        .any(|f| m.frameworks.crosswalk(&f.id).is_some())
}

/// The coverage pages of the enabled frameworks a site disclosing `d` has: each framework's
/// matrix and gaps list, then the crosswalk page (when a framework has a crosswalk).
pub fn pages(m: &Manual, d: Disclosure) -> Vec<Page> {
    let mut out = Vec::new();
    for f in 0..m.frameworks.enabled.len() {
        if Kind::FrameworkMatrix.row().shown(d) {
            out.push(Page::FrameworkMatrix(f));
        }
        if Kind::FrameworkGaps.row().shown(d) {
            out.push(Page::FrameworkGaps(f));
        }
    }
    if Kind::Crosswalk.row().shown(d) && has_crosswalk(m) {
        out.push(Page::Crosswalk);
    }
    out
}

/// The path of the crosswalk page, when a site disclosing `d` has one.
pub fn crosswalk_path(m: &Manual, d: Disclosure) -> Option<&'static str> {
    (Kind::Crosswalk.row().shown(d) && has_crosswalk(m)).then_some(Kind::Crosswalk.path())
}

/// The pages of framework `f` that show its coverage (for `aimsdoc serve`, beside its
/// index), and the crosswalk page.
pub fn companions(f: usize) -> [Page; 3] {
    [
        Page::FrameworkMatrix(f),
        Page::FrameworkGaps(f),
        Page::Crosswalk,
    ]
}

/// One standing's row of a framework's summary.
#[derive(Serialize)]
struct StandingRow {
    name: &'static str,
    label: &'static str,
    count: usize,
    /// For entries inferred via a mapping: how many per confidence.
    confidence: Vec<ConfidenceCount>,
}

/// How many entries a mapping infers with one confidence.
#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
struct ConfidenceCount {
    confidence: String,
    count: usize,
}

fn label(s: Standing) -> &'static str {
    match s {
        Standing::Direct(crate::analyse::State::Covered) => "covered directly",
        Standing::Direct(crate::analyse::State::Partial) => "partially covered directly",
        Standing::Direct(crate::analyse::State::Overdue) => "addressed directly, review overdue",
        Standing::Direct(crate::analyse::State::Excluded) => {
            "excluded by the Statement of Applicability (not a gap)"
        }
        Standing::Direct(_) => "addressed directly, not yet in force",
        Standing::Via => "only via a mapping from ISO/IEC 42001 (inferred, not direct)",
        Standing::None => "not addressed (no document, no mapping)",
    }
}

fn standings(cov: &FrameworkCoverage) -> Vec<StandingRow> {
    Standing::ALL
        .iter()
        .map(|&s| {
            let of: Vec<&EntryCoverage> = cov
                .entries
                .iter()
                .filter(|c| Standing::of(c) == s)
                .collect();
            let mut confidence: Vec<ConfidenceCount> = Vec::new();
            if s == Standing::Via {
                for c in &of {
                    let k = self::confidence(c).unwrap_or("not stated");
                    match confidence.iter_mut().find(|x| x.confidence == k) {
                        Some(x) => x.count += 1,
                        None => confidence.push(ConfidenceCount {
                            confidence: k.to_string(),
                            count: 1,
                        }),
                    }
                }
                confidence.sort();
            }
            StandingRow {
                name: s.name(),
                label: label(s),
                count: of.len(),
                confidence,
            }
        })
        .zip(Standing::ALL)
        .filter(|(row, s)| row.count > 0 || s.always_shown())
        .map(|(row, _)| row)
        .collect()
}

/// Where a framework's coverage pages are, from the site root (absent when the edition has
/// no such page).
#[derive(Serialize)]
struct Links {
    matrix: Option<String>,
    gaps: Option<String>,
    crosswalk: Option<&'static str>,
}

fn links(m: &Manual, f: usize, d: Disclosure) -> Links {
    let ps = pages(m, d);
    let has = |p: &Page| ps.contains(p);
    Links {
        matrix: has(&Page::FrameworkMatrix(f)).then(|| Page::FrameworkMatrix(f).path(m)),
        gaps: has(&Page::FrameworkGaps(f)).then(|| Page::FrameworkGaps(f).path(m)),
        crosswalk: (has(&Page::Crosswalk)
            && m.frameworks
                .crosswalk(&m.frameworks.enabled[f].id)
                .is_some())
        .then_some(Kind::Crosswalk.path()),
    }
}

/// What a framework's index adds to its context: the links to its coverage pages, and,
/// when the edition discloses coverage, the standings and the picture.
pub(super) fn index_context(input: &Input<'_>, f: usize, path: &str, ctx: &mut Context) {
    let m = input.manual;
    ctx.insert("pages", &links(m, f, input.disclosure));
    let cov = input
        .analysis
        .frameworks
        .get(f)
        .filter(|_| input.disclosure != Disclosure::None);
    ctx.insert("standings", &cov.map(standings));
    let svg = cov
        .map(|c| picture(&m.frameworks.enabled[f], c, &urls::root_prefix(path)))
        .unwrap_or_default();
    ctx.insert_value("picture", Value::safe_string(&svg));
}

/// One row of a framework's matrix or gaps list.
#[derive(Serialize)]
struct EntryRow<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    depth: usize,
    /// Its standing (`covered`, …, `via`, `none`).
    standing: &'static str,
    /// What a mapping infers (empty when nothing).
    inferred: &'static str,
    /// The confidence of what a mapping infers.
    confidence: Option<&'a str>,
    via: Vec<ViaView>,
    /// How many documents the edition withholds declare it.
    unpublished: usize,
    cells: Vec<Cell>,
}

fn entry_row<'a>(input: &Input<'a>, f: usize, i: usize, c: &'a EntryCoverage) -> EntryRow<'a> {
    let m = input.manual;
    let fw = &m.frameworks.enabled[f];
    let e = &fw.entries[i];
    EntryRow {
        id: &e.id,
        title: &e.title,
        url: fw.entry_path(i),
        depth: fw.depth(i),
        standing: Standing::of(c).name(),
        inferred: c.inferred.map_or("", |s| s.as_str()),
        confidence: confidence(c),
        via: via_views(m, c),
        unpublished: input.unpublished.of_framework_entry(EntryRef {
            framework: f,
            entry: i,
        }),
        cells: Vec::new(),
    }
}

/// The matrix of framework `f`: its entries × the edition's documents that declare any of
/// them (sections when there are many).
fn matrix_context(input: &Input<'_>, f: usize, cov: &FrameworkCoverage, ctx: &mut Context) {
    let m = input.manual;
    let a = input.analysis;
    // Each document once (it may declare many entries), then in id order.
    let mut docs: Vec<DocIndex> = cov
        .entries
        .iter()
        .flat_map(|c| c.documents.iter().copied())
        .filter(|&d| a.standing[d].contributes.is_some())
        .collect();
    docs.sort_unstable();
    docs.dedup();
    docs.sort_by(|&x, &y| {
        crate::model::ids::natural_cmp(m.doc(x).meta.id.as_str(), m.doc(y).meta.id.as_str())
    });
    let (columns, col_docs, aggregated): (Vec<Column>, _, _) = matrix::columns(m, &docs);
    let mut col_of: HashMap<DocIndex, usize> = HashMap::with_capacity(docs.len());
    for (k, ds) in col_docs.iter().enumerate() {
        for &d in ds {
            col_of.insert(d, k);
        }
    }
    let rows: Vec<EntryRow<'_>> = cov
        .entries
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut hits: Vec<Vec<DocIndex>> = vec![Vec::new(); columns.len()];
            for d in &c.documents {
                if let Some(&k) = col_of.get(d) {
                    hits[k].push(*d);
                }
            }
            let mut row = entry_row(input, f, i, c);
            row.cells = hits
                .iter()
                .map(|h| matrix::cell(m, a, h, aggregated))
                .collect();
            row
        })
        .collect();
    ctx.insert("columns", &columns);
    ctx.insert("aggregated", &aggregated);
    ctx.insert("rows", &rows);
}

/// The entries of framework `f` no document addresses.
fn gaps_context(input: &Input<'_>, f: usize, cov: &FrameworkCoverage, ctx: &mut Context) {
    let rows: Vec<EntryRow<'_>> = cov
        .entries
        .iter()
        .enumerate()
        .filter(|(_, c)| c.state == crate::analyse::State::Gap)
        .map(|(i, c)| entry_row(input, f, i, c))
        .collect();
    let inferred = rows.iter().filter(|r| !r.inferred.is_empty()).count();
    ctx.insert("inferred_count", &inferred);
    ctx.insert("rows", &rows);
}

/// An enabled framework with a crosswalk, as a column of the crosswalk page.
#[derive(Serialize)]
struct CrosswalkColumn<'a> {
    id: &'a str,
    name: &'a str,
    url: String,
    source: Option<&'a str>,
}

/// An entry an ISO/IEC 42001 clause or control maps to.
#[derive(Serialize)]
struct Target<'a> {
    id: &'a str,
    title: &'a str,
    /// Its page (absent when the framework has no such entry).
    url: Option<String>,
    standing: &'static str,
    confidence: &'a str,
}

/// One ISO/IEC 42001 clause or control with its mapped entries per framework.
#[derive(Serialize)]
struct CrosswalkRow<'a> {
    id: &'a str,
    title: &'a str,
    url: String,
    state: &'static str,
    kind: &'static str,
    targets: Vec<Vec<Target<'a>>>,
}

/// A framework with a crosswalk: its index, the framework, where the crosswalk comes from,
/// and the crosswalk's rows by ISO/IEC 42001 id.
type Mapped<'a> = (
    usize,
    &'a Framework,
    Option<&'a str>,
    HashMap<&'a str, Vec<&'a Mapping>>,
);

fn crosswalk_context(input: &Input<'_>, ctx: &mut Context) {
    let m = input.manual;
    let a = input.analysis;
    let mapped: Vec<Mapped<'_>> = m
        .frameworks
        .enabled
        .iter()
        .enumerate()
        .filter_map(|(f, fw)| {
            let cw = m.frameworks.crosswalk(&fw.id)?;
            let mut by_iso: HashMap<&str, Vec<&Mapping>> = HashMap::new();
            for row in &cw.mappings {
                by_iso.entry(row.iso.as_str()).or_default().push(row);
            }
            Some((f, fw, cw.source.as_deref(), by_iso))
        })
        .collect();
    let columns: Vec<CrosswalkColumn<'_>> = mapped
        .iter()
        .map(|(_, fw, source, _)| CrosswalkColumn {
            id: &fw.id,
            name: &fw.name,
            url: fw.index_path(),
            source: *source,
        })
        .collect();
    let rows: Vec<CrosswalkRow<'_>> = m
        .catalog
        .entries
        .iter()
        .filter(|e| matches!(e.kind, EntryKind::Clause | EntryKind::Control))
        .map(|e| {
            let targets = mapped
                .iter()
                .map(|(f, fw, _, by_iso)| {
                    let mut out: Vec<Target<'_>> = Vec::new();
                    for row in by_iso.get(e.id.as_str()).into_iter().flatten() {
                        for t in &row.targets {
                            let i = fw.index_of(t);
                            let standing = i
                                .and_then(|i| a.frameworks.get(*f)?.entries.get(i))
                                .map_or("", |c| Standing::of(c).name());
                            out.push(Target {
                                id: t,
                                title: i.map_or("", |i| fw.entries[i].title.as_str()),
                                url: i.map(|i| fw.entry_path(i)),
                                standing,
                                confidence: &row.confidence,
                            });
                        }
                    }
                    out
                })
                .collect();
            CrosswalkRow {
                id: e.id.as_str(),
                title: &e.title,
                url: urls::catalog(&m.catalog, e.id.as_str()),
                state: a.coverage(&e.id).map_or("", |c| c.state.as_str()),
                kind: if e.kind == EntryKind::Control {
                    "control"
                } else {
                    "clause"
                },
                targets,
            }
        })
        .collect();
    ctx.insert("columns", &columns);
    ctx.insert("rows", &rows);
}

/// Fills the context of a framework's matrix or gaps page, or of the crosswalk page.
pub(super) fn context(input: &Input<'_>, page: &Page, ctx: &mut Context) {
    let m = input.manual;
    let framework = |f: usize, ctx: &mut Context, what: &str| {
        let fw = &m.frameworks.enabled[f];
        ctx.insert("title", &format!("{}: {what}", fw.name));
        ctx.insert("framework", &FrameworkLink::of(fw));
        ctx.insert("pages", &links(m, f, input.disclosure));
        ctx.insert("columns", &Vec::<Column>::new());
        ctx.insert("aggregated", &false);
        ctx.insert("rows", &Vec::<()>::new());
        ctx.insert("inferred_count", &0);
        input.analysis.frameworks.get(f)
    };
    match page {
        Page::FrameworkMatrix(f) => {
            if let Some(cov) = framework(*f, ctx, "entries × documents") {
                matrix_context(input, *f, cov, ctx);
            }
        }
        Page::FrameworkGaps(f) => {
            if let Some(cov) = framework(*f, ctx, "entries without direct coverage") {
                gaps_context(input, *f, cov, ctx);
            }
        }
        Page::Crosswalk => crosswalk_context(input, ctx),
        _ => {}
    }
}
