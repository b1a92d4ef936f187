//! What the versions extension adds to each version's pages: the version switcher, each
//! document's history and the SoA's (`soa.yaml`), the changes page, the versions page, and
//! the switcher's data (`versions.js`).

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::Context;

use super::diff::Changes;
use crate::diagnostics::Diagnostic;
use crate::git::log::Entry;
use crate::git::ObjectId;
use crate::model::soa::SOA_FILE;
use crate::model::Manual;
use crate::render::page::Kind;
use crate::render::{urls, Page, PageExtras, Theme, VersionName};

/// The home page of every version.
const HOME: &str = Kind::Home.path();

/// One version as listed in `versions.json` and the switcher.
#[derive(Debug, Clone, Serialize)]
pub struct VersionEntry {
    /// What the switcher shows: the tag, or `current`.
    pub label: String,
    /// The tag (`None` for the current manual).
    pub tag: Option<String>,
    /// The commit (`None` outside git).
    pub commit: Option<ObjectId>,
    /// The commit's date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The folder of the version in the output (`""` for the current manual, else `v/<tag>/`).
    pub path: String,
    /// Whether this is the current manual.
    pub current: bool,
}

/// What a versioned build adds to the pages of one version.
pub(super) struct VersionPages<'a> {
    pub(super) versions: &'a [VersionEntry],
    pub(super) page_sets: &'a [HashSet<String>],
    pub(super) this: usize,
    /// Per document path (`None` outside git).
    pub(super) history: Option<HashMap<PathBuf, Vec<Entry>>>,
    pub(super) history_note: Option<String>,
    /// Documents with uncommitted changes (the current manual from the work tree).
    pub(super) modified: Option<&'a HashSet<PathBuf>>,
    pub(super) changes: Option<&'a Changes>,
    pub(super) changes_link: Option<serde_json::Value>,
    pub(super) warnings: &'a [String],
}

impl VersionPages<'_> {
    /// Puts the git history of the file at `path` (a document, or `soa.yaml`), and a note on
    /// it, into a page's context; `what` names the file in the note.
    fn history_of(&self, path: &Path, what: &str, ctx: &mut Context) {
        let h = self.history.as_ref().map(|m| m.get(path));
        let note = match h {
            Some(None) => Some(format!("{what} has not been committed to git yet.")),
            _ if self.modified.is_some_and(|m| m.contains(path)) => Some(format!(
                "{what} has changes in the work tree that are not committed yet; the history below ends at the last commit."
            )),
            _ => self.history_note.clone(),
        };
        ctx.insert("history", &h.flatten().cloned().unwrap_or_default());
        ctx.insert("history_note", &note);
    }
}

impl PageExtras for VersionPages<'_> {
    fn version_name(&self) -> Option<VersionName> {
        self.versions.get(self.this).map(|v| VersionName {
            tag: v.tag.clone(),
            commit: v.commit.as_ref().map(|c| c.short().to_string()),
            uncommitted: self.modified.is_some_and(|m| !m.is_empty()),
        })
    }

    fn decorate(&self, manual: &Manual, page: &Page, _path: &str, ctx: &mut Context) {
        match page {
            Page::Document(d) => self.history_of(&manual.doc(*d).path, "This document", ctx),
            Page::Soa if manual.soa.present => {
                self.history_of(Path::new(SOA_FILE), "The Statement of Applicability", ctx)
            }
            Page::Home => ctx.insert("changes_link", &self.changes_link),
            Page::Changes => {
                ctx.insert("changes", &self.changes);
                ctx.insert("changes_empty", &self.changes.is_none_or(Changes::is_empty));
                ctx.insert(
                    "changes_content_unchanged",
                    &self.changes.is_none_or(Changes::content_unchanged),
                );
            }
            Page::Versions => {
                let changes = Kind::Changes.path();
                let list: Vec<serde_json::Value> = self
                    .versions
                    .iter()
                    .zip(self.page_sets)
                    .map(|(v, pages)| {
                        let href = |page: &str| urls::encode_path(&format!("{}{page}", v.path));
                        serde_json::json!({
                            "label": v.label,
                            "date": v.date,
                            "commit": v.commit.as_ref().map(ObjectId::short),
                            "current": v.current,
                            "home": href(HOME),
                            "changes": pages.contains(changes).then(|| href(changes)),
                        })
                    })
                    .collect();
                ctx.insert("versions", &list);
            }
            _ => {}
        }
    }

    fn version_bar(&self, theme: &Theme, path: &str) -> Result<String, tera::Error> {
        if self.versions.len() < 2 {
            return Ok(String::new());
        }
        // Only what belongs to this version and page is in the bar; the list of versions is
        // read from the site's `versions.js`, so that a new release does not change the pages
        // of the others.
        let this = &self.versions[self.this];
        let here = format!("{}{path}", this.path);
        let current = if self.page_sets[0].contains(path) {
            path
        } else {
            HOME
        };
        let mut ctx = Context::new();
        ctx.insert("this", this);
        ctx.insert("not_current", &!this.current);
        ctx.insert(
            "current_href",
            &urls::relative(&here, &urls::encode_path(current)),
        );
        ctx.insert("site_root", &urls::root_prefix(&here));
        ctx.insert("page", path);
        ctx.insert("version_root", &urls::root_prefix(path));
        ctx.insert("warnings", self.warnings);
        ctx.insert("warnings_here", &(path == HOME));
        ctx.insert(
            "home_href",
            &urls::relative(&here, &format!("{}{HOME}", this.path)),
        );
        theme.tera.render("partials/version_bar.html", &ctx)
    }

    fn pages(&self) -> Vec<Page> {
        let mut pages = Vec::new();
        if self.changes.is_some() {
            pages.push(Page::Changes);
        }
        if self.this == 0 && self.versions.len() > 1 {
            pages.push(Page::Versions);
        }
        pages
    }
}

pub(super) fn summary(ch: &Changes) -> String {
    if ch.is_empty() {
        return "no changes".into();
    }
    format!(
        "{} added, {} removed, {} modified documents",
        ch.added.len(),
        ch.removed.len(),
        ch.modified.len()
    )
}

/// `versions.js`: what the version switcher of every page lists (see
/// `themes/default/static/switcher.js`): each version's label, date, folder and current flag,
/// every page path of any version, and per version the indices of the pages it lacks.
pub(super) fn switcher_data(versions: &[VersionEntry], page_sets: &[HashSet<String>]) -> String {
    let mut all: Vec<&String> = page_sets.iter().flatten().collect();
    all.sort();
    all.dedup();
    let list: Vec<serde_json::Value> = versions
        .iter()
        .zip(page_sets)
        .map(|(v, set)| {
            let missing: Vec<usize> = all
                .iter()
                .enumerate()
                .filter(|(_, p)| !set.contains(p.as_str()))
                .map(|(i, _)| i)
                .collect();
            serde_json::json!({
                "label": v.label,
                "date": v.date,
                "path": v.path,
                "current": v.current,
                "missing": missing,
            })
        })
        .collect();
    let data = serde_json::json!({ "versions": list, "pages": all });
    format!(
        "// The versions of this manual, for the version switcher (static/switcher.js).\nwindow.aimsdocVersions = {data};\n"
    )
}

pub(super) fn io_error(path: &str, e: &io::Error) -> Diagnostic {
    Diagnostic::error(
        crate::diagnostics::code::IO_ERROR,
        crate::diagnostics::Span::file(path),
        format!("cannot write {path}: {e}"),
    )
}
