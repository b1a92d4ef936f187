//! What changed between two compiled manuals: documents added, removed, renamed and modified
//! (with a word-level diff of front matter and body), controls and clauses whose coverage
//! state changed, and Statement of Applicability decisions that changed.
//!
//! Each side is judged as of its own date (an old version as of its release), so a state can
//! change with no document changing: a review falls due, an approved document takes effect.
//! Those changes are listed apart ([`Changes::over_time`]): a state change is one of them when
//! the older manual, judged as of the newer side's date, already has the newer state.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use crate::analyse::{self, Analysis, Coverage};
use crate::date::Date;
use crate::load::{frontmatter, Source};
use crate::model::ids::natural_cmp;
use crate::model::soa::Decision;
use crate::model::{DocIndex, DocKey, Manual};
use crate::render::urls;
use crate::resolve::Resolved;

/// One compiled manual and where its text comes from.
pub struct Side<'a> {
    /// A label: the tag, "HEAD", "work tree".
    pub label: &'a str,
    /// The manual.
    pub manual: &'a Manual,
    /// Its analysis.
    pub analysis: &'a Analysis,
    /// Its resolved references (to judge it as of another date).
    pub resolved: &'a Resolved,
    /// Its files.
    pub source: &'a dyn Source,
}

/// A document named in a change list.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DocRef {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Source path.
    pub path: String,
    /// Page path (in the version it exists in).
    pub url: String,
}

/// A run of words in a word-level diff.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Segment {
    /// `same`, `ins`, `del`, or `gap` (unchanged text left out).
    pub kind: &'static str,
    /// The text.
    pub text: String,
}

/// A document present on both sides whose text changed (or that moved).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Modified {
    /// The document after.
    pub doc: DocRef,
    /// The path before, when it moved.
    pub renamed_from: Option<String>,
    /// Word diff of the front matter (empty when unchanged).
    pub front_matter: Vec<Segment>,
    /// Word diff of the body (empty when unchanged).
    pub body: Vec<Segment>,
}

/// A control or clause whose state (or SoA decision) changed.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EntryChange {
    /// Catalog id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Page path.
    pub url: String,
    /// Before.
    pub from: String,
    /// After.
    pub to: String,
    /// For a change with the passing of time: what fell due or took effect ("the review of
    /// POL-1 was due on 2026-03-01"). Empty otherwise.
    pub because: Vec<String>,
}

/// Everything that changed from one version to another.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct Changes {
    /// Label of the older side.
    pub from: String,
    /// Label of the newer side.
    pub to: String,
    /// The date the older side is judged as of (`YYYY-MM-DD`).
    pub from_date: String,
    /// The date the newer side is judged as of.
    pub to_date: String,
    /// Documents only in the newer side.
    pub added: Vec<DocRef>,
    /// Documents only in the older side.
    pub removed: Vec<DocRef>,
    /// Documents on both sides whose path or text changed (renames included).
    pub modified: Vec<Modified>,
    /// Number of documents renamed.
    pub renamed: usize,
    /// Controls whose coverage state changed with the content (documents, SoA decisions).
    pub controls: Vec<EntryChange>,
    /// Clauses whose coverage state changed with the content.
    pub clauses: Vec<EntryChange>,
    /// SoA decisions that changed.
    pub soa: Vec<EntryChange>,
    /// Controls, then clauses, whose state changed only with the passing of time from
    /// `from_date` to `to_date`: the older content judged as of `to_date` has the newer state.
    pub over_time: Vec<EntryChange>,
}

impl Changes {
    /// Nothing changed, not even with time.
    pub fn is_empty(&self) -> bool {
        self.content_unchanged() && self.over_time.is_empty()
    }

    /// No document, SoA decision or state that follows from them changed (states may still
    /// have changed with time).
    pub fn content_unchanged(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.modified.is_empty()
            && self.controls.is_empty()
            && self.clauses.is_empty()
            && self.soa.is_empty()
    }
}

fn doc_ref(m: &Manual, d: DocIndex) -> DocRef {
    let doc = m.doc(d);
    DocRef {
        id: doc.meta.id.to_string(),
        title: doc.meta.title.clone(),
        path: doc.path.to_string_lossy().replace('\\', "/"),
        url: urls::document(doc.meta.id.as_str()),
    }
}

/// Splits a document's text into (front matter, body), the body without its HTML comments
/// (notes to authors, which no edition publishes).
fn parts(source: &dyn Source, path: &std::path::Path) -> (String, String) {
    let Ok(bytes) = source.read(path) else {
        return (String::new(), String::new());
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    match frontmatter::split(&text) {
        frontmatter::SplitResult::Found(s) => (
            s.yaml.to_string(),
            crate::markdown::without_comments(s.body).into_owned(),
        ),
        _ => (String::new(), text.clone()),
    }
}

/// Unchanged words kept on each side of a change.
const CONTEXT_WORDS: usize = 12;

/// A word-level diff of two texts, with long unchanged stretches shortened to a `gap`.
pub fn word_diff(old: &str, new: &str) -> Vec<Segment> {
    if old == new {
        return Vec::new();
    }
    let diff = TextDiff::from_words(old, new);
    let mut raw: Vec<Segment> = Vec::new();
    for c in diff.iter_all_changes() {
        let kind = match c.tag() {
            ChangeTag::Equal => "same",
            ChangeTag::Insert => "ins",
            ChangeTag::Delete => "del",
        };
        match raw.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(c.value()),
            _ => raw.push(Segment {
                kind,
                text: c.value().to_string(),
            }),
        }
    }
    let n = raw.len();
    raw.into_iter()
        .enumerate()
        .flat_map(|(i, seg)| {
            if seg.kind != "same" {
                return vec![seg];
            }
            let words: Vec<&str> = seg.text.split_inclusive(char::is_whitespace).collect();
            let keep_head = if i + 1 < n { CONTEXT_WORDS } else { 0 };
            let keep_tail = if i > 0 { CONTEXT_WORDS } else { 0 };
            if words.len() <= keep_head + keep_tail + 4 {
                return vec![seg];
            }
            let mut out = Vec::new();
            if keep_tail > 0 {
                out.push(Segment {
                    kind: "same",
                    text: words[..keep_tail].concat(),
                });
            }
            out.push(Segment {
                kind: "gap",
                text: "…".into(),
            });
            if keep_head > 0 {
                out.push(Segment {
                    kind: "same",
                    text: words[words.len() - keep_head..].concat(),
                });
            }
            out
        })
        .collect()
}

/// A control's or clause's title and page in `m`.
fn entry_change(m: &Manual, id: &str, from: String, to: String) -> EntryChange {
    EntryChange {
        id: id.to_string(),
        title: m
            .catalog
            .get(id)
            .map(|e| e.title.clone())
            .unwrap_or_default(),
        url: urls::catalog(&m.catalog, id),
        from,
        to,
        because: Vec::new(),
    }
}

/// State changes from `old` to `new`, split into those that follow from the content and
/// those that `old_then_new` (the older content judged as of the newer date) already has:
/// changes with time.
fn state_changes(
    m: &Manual,
    old: &[Coverage],
    new: &[Coverage],
    old_then_new: &[Coverage],
) -> (Vec<EntryChange>, Vec<EntryChange>) {
    let before: BTreeMap<&str, &Coverage> = old.iter().map(|c| (c.id.as_str(), c)).collect();
    let later: BTreeMap<&str, &Coverage> =
        old_then_new.iter().map(|c| (c.id.as_str(), c)).collect();
    let (mut content, mut time) = (Vec::new(), Vec::new());
    for c in new {
        let Some(b) = before.get(c.id.as_str()) else {
            continue;
        };
        if b.state == c.state {
            continue;
        }
        let change = entry_change(
            m,
            c.id.as_str(),
            b.state.as_str().into(),
            c.state.as_str().into(),
        );
        if later.get(c.id.as_str()).is_some_and(|l| l.state == c.state) {
            time.push(change);
        } else {
            content.push(change);
        }
    }
    (content, time)
}

/// Why `id` changed with time: each document of the older manual addressing it (or an entry
/// under it) whose standing differs between its two dates.
fn because(old: &Side<'_>, later: &Analysis, id: &str) -> Vec<String> {
    let (then, now) = (old.analysis.today, later.today);
    let under = |x: &str| x == id || x.strip_prefix(id).is_some_and(|r| r.starts_with('.'));
    let mut out = Vec::new();
    for (d, doc) in old.manual.docs() {
        let m = &doc.meta;
        let addresses = m
            .controls
            .iter()
            .chain(&m.clauses)
            .any(|r| under(r.id.as_str()));
        let (a, b) = (&old.analysis.standing[d], &later.standing[d]);
        if !addresses || a.contributes == b.contributes {
            continue;
        }
        let between = |x: Option<Date>| x.filter(|&x| then <= x && x <= now);
        out.push(if let Some(r) = between(m.review).filter(|_| b.overdue) {
            format!("the review of {} was due on {r}", m.id)
        } else if let Some(e) = between(m.effective) {
            format!("{} took effect on {e}", m.id)
        } else {
            format!(
                "{} now counts as {}",
                m.id,
                b.contributes.map_or("nothing", |s| s.as_str())
            )
        });
    }
    out
}

fn decision_text(d: Option<&Decision>) -> String {
    match d {
        None => "undecided".into(),
        Some(d) if !d.applicable => format!(
            "excluded: {}",
            d.justification.as_deref().unwrap_or("no justification")
        ),
        Some(d) => {
            let mut s = "applicable".to_string();
            if let Some(i) = d.implementation {
                let _ = write!(s, ", {}", i.as_str());
            }
            if let Some(j) = &d.justification {
                let _ = write!(s, ": {j}");
            }
            s
        }
    }
}

/// Compares `old` with `new`.
pub fn compare(old: &Side<'_>, new: &Side<'_>) -> Changes {
    let (om, nm) = (old.manual, new.manual);
    // A document is the same document in both versions when its id is, ignoring case.
    let by_key = |m: &Manual| -> BTreeMap<DocKey, DocIndex> {
        m.docs()
            .map(|(d, doc)| (DocKey::from(&doc.meta.id), d))
            .collect()
    };
    let (before, after) = (by_key(om), by_key(nm));
    // Documents in natural order of their ids (DOC-2 before DOC-10).
    let id_of = |m: &Manual, d: DocIndex| m.doc(d).meta.id.as_str().to_string();
    let mut after_order: Vec<(&DocKey, &DocIndex)> = after.iter().collect();
    after_order.sort_by(|x, y| natural_cmp(&id_of(nm, *x.1), &id_of(nm, *y.1)));
    let mut ch = Changes {
        from: old.label.to_string(),
        to: new.label.to_string(),
        from_date: old.analysis.today.to_string(),
        to_date: new.analysis.today.to_string(),
        ..Changes::default()
    };
    for (k, &d) in after_order {
        match before.get(k) {
            None => ch.added.push(doc_ref(nm, d)),
            Some(&o) => {
                let (op, np) = (&om.doc(o).path, &nm.doc(d).path);
                let (ofm, obody) = parts(old.source, op);
                let (nfm, nbody) = parts(new.source, np);
                let moved = op != np;
                if !moved && ofm == nfm && obody == nbody {
                    continue;
                }
                if moved {
                    ch.renamed += 1;
                }
                ch.modified.push(Modified {
                    doc: doc_ref(nm, d),
                    renamed_from: moved.then(|| op.to_string_lossy().replace('\\', "/")),
                    front_matter: word_diff(&ofm, &nfm),
                    body: word_diff(&obody, &nbody),
                });
            }
        }
    }
    for (k, &o) in &before {
        if !after.contains_key(k) {
            ch.removed.push(doc_ref(om, o));
        }
    }
    ch.removed.sort_by(|x, y| natural_cmp(&x.id, &y.id));
    // The older content as of the newer date: what time alone would have made of it.
    let later = if old.analysis.today == new.analysis.today {
        None
    } else {
        Some(analyse::analyse(om, old.resolved, new.analysis.today))
    };
    let later_ref = later.as_ref().unwrap_or(old.analysis);
    let (controls, mut over_time) = state_changes(
        nm,
        &old.analysis.controls,
        &new.analysis.controls,
        &later_ref.controls,
    );
    let (clauses, clauses_over_time) = state_changes(
        nm,
        &old.analysis.clauses,
        &new.analysis.clauses,
        &later_ref.clauses,
    );
    over_time.extend(clauses_over_time);
    for e in &mut over_time {
        e.because = because(old, later_ref, &e.id);
    }
    (ch.controls, ch.clauses, ch.over_time) = (controls, clauses, over_time);
    for c in &new.analysis.controls {
        let (from, to) = (
            decision_text(om.soa.decisions.get(&c.id)),
            decision_text(nm.soa.decisions.get(&c.id)),
        );
        if from != to {
            ch.soa.push(entry_change(nm, c.id.as_str(), from, to));
        }
    }
    ch
}

fn segments_text(out: &mut String, segs: &[Segment]) {
    for s in segs {
        match s.kind {
            "ins" => {
                let _ = write!(out, "{{+{}+}}", s.text);
            }
            "del" => {
                let _ = write!(out, "[-{}-]", s.text);
            }
            "gap" => out.push_str(" … "),
            _ => out.push_str(&s.text),
        }
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
}

/// The changes as plain text for the terminal, git `--word-diff` style: `[-removed-]`,
/// `{+added+}`; changes with the passing of time last, apart from the rest.
pub fn to_text(ch: &Changes) -> String {
    let mut out = format!(
        "Changes from {} (as of {}) to {} (as of {})\n",
        ch.from, ch.from_date, ch.to, ch.to_date
    );
    if ch.is_empty() {
        out.push_str("\nNo changes.\n");
        return out;
    }
    if ch.content_unchanged() {
        out.push_str("\nNo document or SoA decision changed.\n");
    }
    let list = |out: &mut String, title: &str, docs: &[DocRef]| {
        if !docs.is_empty() {
            let _ = writeln!(out, "\n{title} ({}):", docs.len());
            for d in docs {
                let _ = writeln!(out, "  {}  {}  ({})", d.id, d.title, d.path);
            }
        }
    };
    list(&mut out, "Added documents", &ch.added);
    list(&mut out, "Removed documents", &ch.removed);
    if !ch.modified.is_empty() {
        let _ = writeln!(out, "\nModified documents ({}):", ch.modified.len());
        for m in &ch.modified {
            let _ = writeln!(out, "\n== {}  {}  ({})", m.doc.id, m.doc.title, m.doc.path);
            if let Some(f) = &m.renamed_from {
                let _ = writeln!(out, "renamed from {f}");
            }
            if !m.front_matter.is_empty() {
                out.push_str("-- front matter --\n");
                segments_text(&mut out, &m.front_matter);
            }
            if !m.body.is_empty() {
                out.push_str("-- text --\n");
                segments_text(&mut out, &m.body);
            }
        }
    }
    let entries = |out: &mut String, title: &str, list: &[EntryChange]| {
        if !list.is_empty() {
            let _ = writeln!(out, "\n{title} ({}):", list.len());
            for e in list {
                let _ = writeln!(out, "  {} {}: {} → {}", e.id, e.title, e.from, e.to);
            }
        }
    };
    entries(&mut out, "Controls whose coverage changed", &ch.controls);
    entries(&mut out, "Clauses whose coverage changed", &ch.clauses);
    entries(
        &mut out,
        "Statement of Applicability decisions changed",
        &ch.soa,
    );
    if !ch.over_time.is_empty() {
        let _ = writeln!(
            out,
            "\nChanged with the passing of time only, from {} to {} ({}):",
            ch.from_date,
            ch.to_date,
            ch.over_time.len()
        );
        for e in &ch.over_time {
            let _ = write!(out, "  {} {}: {} → {}", e.id, e.title, e.from, e.to);
            if !e.because.is_empty() {
                let _ = write!(out, " ({})", e.because.join("; "));
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_marks_changed_words_and_shortens_context() {
        let old = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twentyone twentytwo end";
        let new = old.replace("end", "finish");
        let d = word_diff(old, &new);
        assert!(d.iter().any(|s| s.kind == "del" && s.text == "end"));
        assert!(d.iter().any(|s| s.kind == "ins" && s.text == "finish"));
        assert!(d.iter().any(|s| s.kind == "gap"));
        assert!(word_diff("same", "same").is_empty());
    }
}
