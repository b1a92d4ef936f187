//! Rendering a versioned manual: the current manual at the root and every tagged version
//! under `v/<tag>/`, each page with the version switcher, documents with their history, a
//! changes page per version, and `versions.json`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;
use std::path::PathBuf;
use std::sync::Mutex;

use serde::Serialize;
use tera::Context;

use super::diff::{self, Changes, Side};
use super::log::Entry;
use super::{OldVersion, Session};
use crate::diagnostics::Diagnostic;
use crate::load::Source;
use crate::model::Manual;
use crate::render::{self, urls, Page, PageCache, PageExtras, Sink, Theme};
use crate::Compiled;

/// A sink that stores every file under a folder of another sink (`v/<tag>/`) and remembers
/// what it wrote, for that version's own `manifest.json`.
pub struct Prefixed<'a> {
    inner: &'a dyn Sink,
    prefix: String,
    written: Mutex<BTreeMap<String, (String, u64)>>,
}

impl<'a> Prefixed<'a> {
    /// Writes into `inner` below `prefix` (empty, or ending in `/`).
    pub fn new(inner: &'a dyn Sink, prefix: String) -> Prefixed<'a> {
        Prefixed {
            inner,
            prefix,
            written: Mutex::new(BTreeMap::new()),
        }
    }

    /// Writes `manifest.json` of the files written through this sink (old versions only: the
    /// root manifest is the output folder's).
    pub fn write_manifest(&self) -> io::Result<()> {
        let written = self.written.lock().unwrap_or_else(|e| e.into_inner());
        let files: Vec<serde_json::Value> = written
            .iter()
            .map(|(p, (h, n))| serde_json::json!({"path": p, "sha256": h, "bytes": n}))
            .collect();
        let manifest = serde_json::json!({
            "generator": concat!("aimsdoc ", env!("CARGO_PKG_VERSION")),
            "files": files,
        });
        let mut json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
        json.push(b'\n');
        drop(written);
        self.inner.put(
            &format!("{}{}", self.prefix, crate::output::MANIFEST),
            &json,
        )
    }
}

impl Sink for Prefixed<'_> {
    fn put(&self, path: &str, bytes: &[u8]) -> io::Result<()> {
        self.inner.put(&format!("{}{path}", self.prefix), bytes)?;
        let entry = (crate::output::sha256_hex(bytes), bytes.len() as u64);
        self.written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), entry);
        Ok(())
    }
}

/// One version as listed in `versions.json` and the switcher.
#[derive(Debug, Clone, Serialize)]
pub struct VersionEntry {
    /// What the switcher shows: the tag, or `current`.
    pub label: String,
    /// The tag (`None` for the current manual).
    pub tag: Option<String>,
    /// The commit (`None` outside git).
    pub commit: Option<String>,
    /// The commit's date, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The folder of the version in the output (`""` for the current manual, else `v/<tag>/`).
    pub path: String,
    /// Whether this is the current manual.
    pub current: bool,
}

#[derive(Serialize)]
struct SwitchEntry<'a> {
    label: &'a str,
    date: Option<&'a str>,
    href: String,
    this: bool,
    current: bool,
}

struct VersionPages<'a> {
    versions: &'a [VersionEntry],
    page_sets: &'a [HashSet<String>],
    this: usize,
    /// Per document path (`None` outside git).
    history: Option<HashMap<PathBuf, Vec<Entry>>>,
    history_note: Option<String>,
    changes: Option<&'a Changes>,
    changes_link: Option<serde_json::Value>,
    warnings: &'a [String],
}

impl PageExtras for VersionPages<'_> {
    fn decorate(&self, manual: &Manual, page: &Page, _path: &str, ctx: &mut Context) {
        match page {
            Page::Document(d) => {
                let doc = &manual.documents[*d];
                let h = self.history.as_ref().map(|m| m.get(&doc.path));
                let note = match h {
                    Some(None) => Some("This document has not been committed to git yet.".into()),
                    _ => self.history_note.clone(),
                };
                ctx.insert("history", &h.flatten().cloned().unwrap_or_default());
                ctx.insert("history_note", &note);
            }
            Page::Home => ctx.insert("changes_link", &self.changes_link),
            Page::Changes => {
                ctx.insert("changes", &self.changes);
                ctx.insert("changes_empty", &self.changes.is_none_or(Changes::is_empty));
            }
            _ => {}
        }
    }

    fn version_bar(&self, theme: &Theme, path: &str) -> Result<String, tera::Error> {
        if self.versions.len() < 2 {
            return Ok(String::new());
        }
        let here = format!("{}{path}", self.versions[self.this].path);
        let link = |j: usize| {
            let target = if self.page_sets[j].contains(path) {
                path
            } else {
                "index.html"
            };
            urls::relative(&here, &format!("{}{target}", self.versions[j].path))
        };
        let list: Vec<SwitchEntry<'_>> = self
            .versions
            .iter()
            .enumerate()
            .map(|(j, v)| SwitchEntry {
                label: &v.label,
                date: v.date.as_deref(),
                href: link(j),
                this: j == self.this,
                current: v.current,
            })
            .collect();
        let mut ctx = Context::new();
        ctx.insert("versions", &list);
        ctx.insert("this", &self.versions[self.this]);
        ctx.insert("not_current", &!self.versions[self.this].current);
        ctx.insert("current_href", &link(0));
        ctx.insert("warnings", self.warnings);
        ctx.insert("warnings_here", &(path == "index.html"));
        ctx.insert(
            "home_href",
            &urls::relative(
                &here,
                &format!("{}index.html", self.versions[self.this].path),
            ),
        );
        theme.tera.render("partials/version_bar.html", &ctx)
    }

    fn has_changes(&self) -> bool {
        self.changes.is_some()
    }
}

/// Everything a versioned render needs.
pub struct Job<'a> {
    /// The git side.
    pub session: &'a Session,
    /// The theme (from the work tree) used for every version.
    pub theme: &'a Theme,
    /// The current manual.
    pub current: &'a Compiled,
    /// Where the current manual's files come from.
    pub current_source: &'a dyn Source,
    /// Tagged versions, oldest first.
    pub old: &'a [OldVersion],
    /// Their compilations.
    pub compiled: &'a [super::CompiledVersion],
}

/// A manual ready to render: compiled, its files, its blob ids.
struct Ready<'a> {
    compiled: &'a Compiled,
    source: &'a dyn Source,
    blobs: &'a std::collections::BTreeMap<PathBuf, String>,
    warnings: &'a [String],
}

fn summary(ch: &Changes) -> String {
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

impl Job<'_> {
    /// Renders the current manual into `sink` and every tagged version into `v/<tag>/`,
    /// writes `versions.json`, and returns the number of pages (or the errors).
    pub fn render(&self, sink: &dyn Sink) -> Result<usize, Vec<Diagnostic>> {
        let s = self.session;
        let head_blobs = &s.head_blobs;
        let mut ready: Vec<Ready<'_>> = vec![Ready {
            compiled: self.current,
            source: self.current_source,
            blobs: head_blobs,
            warnings: &[],
        }];
        let current_label = "current".to_string();
        let mut versions = vec![VersionEntry {
            label: current_label.clone(),
            tag: None,
            commit: s.head.clone(),
            date: s.head_time.map(super::versions::date_of),
            path: String::new(),
            current: true,
        }];
        // Newest tag first, after the current manual.
        for v in self.old.iter().rev() {
            let c = &self.compiled[v.compiled];
            ready.push(Ready {
                compiled: &c.compiled,
                source: &c.source,
                blobs: c.source.blobs(),
                warnings: &c.warnings,
            });
            versions.push(VersionEntry {
                label: v.tag.name.clone(),
                tag: Some(v.tag.name.clone()),
                commit: Some(v.tag.commit.clone()),
                date: Some(v.tag.date()),
                path: v.tag.dir(),
                current: false,
            });
        }
        // Each version against the one before it (the next in this newest-first list).
        let changes: Vec<Option<Changes>> = (0..ready.len())
            .map(|i| {
                let (new, old) = (ready.get(i)?, ready.get(i + 1)?);
                let (nm, na) = (
                    new.compiled.manual.as_ref()?,
                    new.compiled.analysis.as_ref()?,
                );
                let (om, oa) = (
                    old.compiled.manual.as_ref()?,
                    old.compiled.analysis.as_ref()?,
                );
                Some(diff::compare(
                    &Side {
                        label: &versions[i + 1].label,
                        manual: om,
                        analysis: oa,
                        source: old.source,
                    },
                    &Side {
                        label: &versions[i].label,
                        manual: nm,
                        analysis: na,
                        source: new.source,
                    },
                ))
            })
            .collect();
        let page_sets: Vec<HashSet<String>> = ready
            .iter()
            .zip(&changes)
            .map(|(r, ch)| {
                let mut set: HashSet<String> = match &r.compiled.manual {
                    Some(m) => render::pages(m, &r.compiled.resolved)
                        .iter()
                        .map(|p| p.path(m))
                        .collect(),
                    None => HashSet::new(),
                };
                if ch.is_some() {
                    set.insert("changes.html".into());
                }
                set
            })
            .collect();
        let note = match (&s.repo, &s.config) {
            (None, Some(_)) => {
                Some("No history: this manual is not in a git repository.".to_string())
            }
            (Some(r), _) if r.shallow => {
                Some("History may be incomplete: the repository is a shallow clone.".to_string())
            }
            _ => None,
        };
        let cache = PageCache::default();
        let mut pages = 0;
        let mut errors = Vec::new();
        for (i, r) in ready.iter().enumerate() {
            let (Some(manual), Some(analysis)) = (&r.compiled.manual, &r.compiled.analysis) else {
                continue;
            };
            let history = s.repo.as_ref().map(|_| s.histories(manual, r.blobs));
            let changes_link = changes[i].as_ref().map(|ch| {
                serde_json::json!({
                    "url": "changes.html",
                    "label": versions.get(i + 1).map_or("", |v| v.label.as_str()),
                    "summary": summary(ch),
                })
            });
            let extras = VersionPages {
                versions: &versions,
                page_sets: &page_sets,
                this: i,
                history,
                history_note: note.clone(),
                changes: changes[i].as_ref(),
                changes_link,
                warnings: r.warnings,
            };
            let input = render::Input {
                manual,
                resolved: &r.compiled.resolved,
                analysis,
                theme: self.theme,
                source: r.source,
                extras: Some(&extras),
                cache: Some(&cache),
            };
            let prefixed = Prefixed::new(sink, versions[i].path.clone());
            match render::render(&input, &prefixed) {
                Ok(n) => {
                    pages += n;
                    if i > 0 {
                        if let Err(e) = prefixed.write_manifest() {
                            errors.push(Diagnostic::error(
                                crate::diagnostics::code::IO_ERROR,
                                crate::diagnostics::Span::file(&versions[i].path),
                                format!("cannot write {}manifest.json: {e}", versions[i].path),
                            ));
                        }
                    }
                }
                Err(e) => {
                    if i == 0 {
                        errors.extend(e);
                    }
                }
            }
        }
        if versions.len() > 1 || s.config.is_some() {
            let mut json = serde_json::to_vec_pretty(&versions).unwrap_or_default();
            json.push(b'\n');
            if let Err(e) = sink.put("versions.json", &json) {
                errors.push(Diagnostic::error(
                    crate::diagnostics::code::IO_ERROR,
                    crate::diagnostics::Span::file("versions.json"),
                    format!("cannot write versions.json: {e}"),
                ));
            }
        }
        if std::env::var_os("AIMSDOC_TIMINGS").is_some() {
            eprintln!(
                "timing: {} versions, {} pages reused across versions",
                versions.len(),
                cache.hits()
            );
        }
        if errors.is_empty() {
            Ok(pages)
        } else {
            Err(errors)
        }
    }
}
