//! The pages of the AI systems of `systems.yaml`: the inventory (`systems/index.html`, a
//! table of every system with its evidence and a picture of systems × expected evidence) and
//! a page per system (its data, each expected record with its state and documents, the
//! documents naming it, the clauses and controls that apply to it, what links to it).
//!
//! An edition shows the inventory as it is; of the records it lists only those it publishes
//! and counts the others (`analyse::systems::for_edition`). Without any disclosure of the
//! coverage analysis the pages show the inventory and its documents, but no states.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde::Serialize;
use tera::{Context, Value};

use super::page::Page;
use super::shared::Shared;
use super::views::SystemLink;
use super::{urls, Input};
use crate::analyse::systems::{EvidenceState, SystemEvidence};
use crate::config::Disclosure;
use crate::markdown::escape_attr;
use crate::model::system::{Expectation, System, Systems};
use crate::model::{CatalogId, DocIndex, Manual};

/// The inventory's page, then a page per system, when the AIMS has `systems.yaml`.
pub fn pages(manual: &Manual) -> Vec<Page> {
    let Some(s) = &manual.systems else {
        return Vec::new();
    };
    let mut out = vec![Page::Systems];
    out.extend((0..s.list.len()).map(Page::System));
    out
}

/// A system's data as the templates see it.
#[derive(Serialize)]
struct SystemView<'a> {
    id: &'a str,
    name: &'a str,
    url: String,
    description: Option<&'a str>,
    owner: Option<&'a str>,
    in_scope: bool,
    retired: bool,
    roles: String,
    stage: Option<&'static str>,
    risk_class: Option<&'static str>,
    general_purpose: bool,
    third_parties: &'a [String],
    since: Option<String>,
    retired_on: Option<String>,
    /// Its worst evidence state (empty when nothing is expected, or not disclosed).
    state: &'static str,
    /// The coverage state whose colours show it.
    class: &'static str,
    /// Met / expected, e.g. "2 of 4".
    met: usize,
    expected: usize,
}

/// One expected record of one system.
#[derive(Serialize)]
struct EvidenceView<'a> {
    id: &'a str,
    name: &'a str,
    addresses: Vec<CatalogLink>,
    /// `met`, `stale`, `unapproved`, `missing` (empty when not disclosed).
    state: &'static str,
    /// The coverage state whose colours show it.
    class: &'static str,
    documents: Vec<Value>,
    /// Records this edition does not publish.
    withheld: usize,
}

#[derive(Serialize)]
struct CatalogLink {
    id: String,
    title: String,
    url: String,
    state: &'static str,
}

/// An expectation as the inventory page explains it.
#[derive(Serialize)]
struct ExpectationView<'a> {
    id: &'a str,
    name: &'a str,
    addresses: Vec<CatalogLink>,
    applies: String,
}

/// The coverage state whose colours (and CSS class) an evidence state borrows.
fn class_of(s: EvidenceState) -> &'static str {
    match s {
        EvidenceState::Met => "covered",
        EvidenceState::Stale => "overdue",
        EvidenceState::Unapproved => "draft",
        EvidenceState::Missing => "gap",
    }
}

fn state_shown(input: &Input<'_>, s: EvidenceState) -> &'static str {
    if input.disclosure == Disclosure::None {
        ""
    } else {
        s.as_str()
    }
}

fn system_view<'a>(
    input: &Input<'_>,
    s: &'a System,
    ev: Option<&SystemEvidence>,
) -> SystemView<'a> {
    let today = input.analysis.today;
    let evidence = ev.map_or(&[][..], |e| &e.evidence[..]);
    SystemView {
        id: s.id.as_str(),
        name: &s.name,
        url: urls::system(s.id.as_str()),
        description: s.description.as_deref(),
        owner: s.owner.as_deref(),
        in_scope: s.in_scope,
        retired: s.is_retired(today),
        roles: s.roles_text(),
        stage: s.stage.map(|x| x.as_str()),
        risk_class: s.risk_class.map(|x| x.as_str()),
        general_purpose: s.general_purpose,
        third_parties: &s.third_parties,
        since: s.since.map(|d| d.to_string()),
        retired_on: s.retired.map(|d| d.to_string()),
        state: ev
            .and_then(SystemEvidence::worst)
            .map_or("", |w| state_shown(input, w)),
        class: ev.and_then(SystemEvidence::worst).map_or("", class_of),
        met: evidence
            .iter()
            .filter(|e| e.state == EvidenceState::Met)
            .count(),
        expected: evidence.len(),
    }
}

fn catalog_link(input: &Input<'_>, id: &CatalogId) -> CatalogLink {
    let m = input.manual;
    CatalogLink {
        id: id.to_string(),
        title: m
            .catalog
            .get(id.as_str())
            .map_or(String::new(), |e| e.title.clone()),
        url: urls::catalog(&m.catalog, id.as_str()),
        state: match input.disclosure {
            Disclosure::None => "",
            _ => input.analysis.coverage(id).map_or("", |c| c.state.as_str()),
        },
    }
}

fn applies_text(e: &Expectation) -> String {
    let mut parts = Vec::new();
    if !e.when.risk_class.is_empty() {
        let v: Vec<&str> = e.when.risk_class.iter().map(|c| c.as_str()).collect();
        parts.push(v.join(" or "));
    }
    if !e.when.role.is_empty() {
        let v: Vec<&str> = e.when.role.iter().map(|r| r.as_str()).collect();
        parts.push(format!("where the organisation is {}", v.join(" or ")));
    }
    if parts.is_empty() {
        "every in-scope system".into()
    } else {
        format!("in-scope systems: {}", parts.join(", "))
    }
}

/// The picture of systems × expected evidence: one row per system that evidence is
/// expected of, one cell per expectation, coloured by state and labelled in words (a cell
/// for an expectation that does not apply says so). The table on the page says the same.
fn picture(input: &Input<'_>, inv: &Systems, root: &str) -> String {
    const LABEL_W: usize = 120;
    const CELL_W: usize = 108;
    const CELL_H: usize = 34;
    const GAP: usize = 4;
    const HEAD_H: usize = 20;
    let a = input.analysis;
    let rows: Vec<(usize, &System)> = inv
        .list
        .iter()
        .enumerate()
        .filter(|(k, _)| a.systems.systems.get(*k).is_some_and(|e| e.governed))
        .collect();
    if rows.is_empty() || inv.expectations.is_empty() {
        return String::new();
    }
    let width = LABEL_W + inv.expectations.len() * (CELL_W + GAP);
    let height = HEAD_H + rows.len() * (CELL_H + GAP);
    let mut out = String::new();
    let _ = write!(
        out,
        "<figure class=\"sys-picture\"><figcaption id=\"sys-picture-caption\">AI systems × expected records (the table below says the same in words)</figcaption>\
<div class=\"matrix-wrap\" role=\"region\" aria-labelledby=\"sys-picture-caption\" tabindex=\"0\">\
<svg class=\"cov-svg\" role=\"group\" aria-labelledby=\"sys-picture-caption\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (x, e) in inv.expectations.iter().enumerate() {
        let _ = write!(
            out,
            "<text class=\"bar-label\" x=\"{tx}\" y=\"14\" text-anchor=\"middle\" aria-hidden=\"true\">{id}</text>",
            tx = LABEL_W + x * (CELL_W + GAP) + CELL_W / 2,
            id = escape_attr(short(&e.id)),
        );
    }
    for (row, (k, s)) in rows.iter().enumerate() {
        let y = HEAD_H + row * (CELL_H + GAP);
        let _ = write!(
            out,
            "<a href=\"{root}{url}\" aria-label=\"{label}\"><text class=\"bar-label\" x=\"0\" y=\"{ty}\">{id}</text></a>",
            url = urls::system(s.id.as_str()),
            label = escape_attr(&format!("{} {}", s.id, s.name)),
            ty = y + CELL_H / 2 + 5,
            id = escape_attr(s.id.as_str()),
        );
        let evidence = &a.systems.systems[*k].evidence;
        for (x, e) in inv.expectations.iter().enumerate() {
            let cx = LABEL_W + x * (CELL_W + GAP);
            let found = evidence.iter().find(|v| v.expect == x);
            let (class, word) = match found.map(|v| v.state) {
                None => ("excluded", "n/a"),
                Some(st) => (class_of(st), st.as_str()),
            };
            let label = match found {
                None => format!("{}: {} does not apply", s.id, e.name),
                Some(_) => format!("{}: {} {word}", s.id, e.name),
            };
            let _ = write!(
                out,
                "<g role=\"img\" aria-label=\"{al}\"><title>{al}</title><rect class=\"cell s-{class}\" x=\"{cx}\" y=\"{y}\" width=\"{CELL_W}\" height=\"{CELL_H}\" rx=\"5\"/>\
<text class=\"t-{class}\" x=\"{tx}\" y=\"{ty}\" text-anchor=\"middle\">{word}</text></g>",
                al = escape_attr(&label),
                tx = cx + CELL_W / 2,
                ty = y + CELL_H / 2 + 5,
            );
        }
    }
    out.push_str("</svg></div></figure>");
    out
}

/// A column heading short enough for a cell.
fn short(id: &str) -> &str {
    match id {
        "risk-assessment" => "risk",
        "impact-assessment" => "impact",
        "technical-documentation" => "tech. docs",
        "event-logs" => "logs",
        "fundamental-rights" => "FRIA",
        other => other,
    }
}

fn doc_values(sh: &Shared, docs: impl IntoIterator<Item = DocIndex>) -> Vec<Value> {
    docs.into_iter().map(|d| sh.doc_values[d].clone()).collect()
}

/// Fills the context of the inventory or of one system's page.
pub(super) fn context(input: &Input<'_>, sh: &Shared, page: &Page, ctx: &mut Context) {
    let m = input.manual;
    let a = input.analysis;
    let Some(inv) = &m.systems else {
        return;
    };
    let shown = input.disclosure != Disclosure::None;
    ctx.insert("show_states", &shown);
    match page {
        Page::Systems => {
            let rows: Vec<serde_json::Value> = inv
                .list
                .iter()
                .enumerate()
                .map(|(k, s)| {
                    let ev = a.systems.systems.get(k);
                    let cells: Vec<&'static str> = (0..inv.expectations.len())
                        .map(|x| {
                            ev.and_then(|e| e.evidence.iter().find(|v| v.expect == x))
                                .map_or("", |v| state_shown(input, v.state))
                        })
                        .collect();
                    serde_json::json!({
                        "system": system_view(input, s, ev),
                        "governed": ev.is_some_and(|e| e.governed),
                        "cells": cells,
                    })
                })
                .collect();
            ctx.insert("rows", &rows);
            let expectations: Vec<ExpectationView<'_>> = inv
                .expectations
                .iter()
                .map(|e| ExpectationView {
                    id: &e.id,
                    name: &e.name,
                    addresses: e
                        .addresses
                        .iter()
                        .map(|id| catalog_link(input, id))
                        .collect(),
                    applies: applies_text(e),
                })
                .collect();
            ctx.insert("expectations", &expectations);
            let root = urls::root_prefix(urls::SYSTEMS);
            let pic = if shown {
                picture(input, inv, &root)
            } else {
                String::new()
            };
            ctx.insert_value("picture", Value::safe_string(&pic));
        }
        Page::System(k) => {
            let Some(s) = inv.list.get(*k) else {
                return;
            };
            let ev = a.systems.systems.get(*k);
            ctx.insert("title", &format!("{} {}", s.id, s.name));
            ctx.insert("system", &system_view(input, s, ev));
            ctx.insert("governed", &ev.is_some_and(|e| e.governed));
            let evidence: Vec<EvidenceView<'_>> = ev
                .map(|e| &e.evidence[..])
                .unwrap_or_default()
                .iter()
                .filter_map(|v| {
                    let x = inv.expectations.get(v.expect)?;
                    Some(EvidenceView {
                        id: &x.id,
                        name: &x.name,
                        addresses: x
                            .addresses
                            .iter()
                            .map(|id| catalog_link(input, id))
                            .collect(),
                        state: state_shown(input, v.state),
                        class: class_of(v.state),
                        documents: doc_values(sh, v.documents.iter().copied()),
                        withheld: if shown { v.withheld } else { 0 },
                    })
                })
                .collect();
            ctx.insert("evidence", &evidence);
            let named = input
                .resolved
                .systems
                .named_by
                .get(*k)
                .cloned()
                .unwrap_or_default();
            // The clauses and controls that apply to it: those its expected records address,
            // and those the documents naming it address, in catalog order.
            let mut ids: BTreeSet<&CatalogId> = BTreeSet::new();
            for v in ev.map(|e| &e.evidence[..]).unwrap_or_default() {
                if let Some(x) = inv.expectations.get(v.expect) {
                    ids.extend(&x.addresses);
                }
            }
            for &d in &named {
                let meta = &m.doc(d).meta;
                ids.extend(meta.controls.iter().chain(&meta.clauses).map(|c| &c.id));
            }
            let applies: Vec<CatalogLink> = m
                .catalog
                .entries
                .iter()
                .filter(|e| ids.contains(&e.id))
                .map(|e| catalog_link(input, &e.id))
                .collect();
            ctx.insert("applies", &applies);
            ctx.insert("documents", &doc_values(sh, named.iter().copied()));
            let backlinks = input
                .resolved
                .systems
                .backlinks
                .get(*k)
                .cloned()
                .unwrap_or_default();
            ctx.insert("referenced_by", &doc_values(sh, backlinks));
        }
        _ => {}
    }
}

/// The systems a document names, as links (for its page).
pub(super) fn named_by_doc(input: &Input<'_>, d: DocIndex) -> Vec<SystemLink> {
    input
        .resolved
        .systems
        .named
        .get(d)
        .into_iter()
        .flatten()
        .filter_map(|&k| SystemLink::of(input.manual, k))
        .collect()
}
