//! The main loop: messages from the editor, results from the compile thread. Notifications
//! about documents update the [`Store`] and send the compile thread a new job; requests are
//! answered at once from the last [`Snapshot`] and the buffer as typed. Every handler runs
//! under `catch_unwind`: a bug answers the request with an error and the server goes on.

use std::collections::{BTreeMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crossbeam_channel::{select, Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, GotoDefinition, HoverRequest, References,
    Request as _, WorkspaceSymbolRequest,
};
use lsp_types::{PublishDiagnosticsParams, Uri};
use serde_json::Value;

use super::context::{self, At};
use super::store::Store;
use super::uri::{find_root, to_path, Root};
use super::worker::{self, Done, Job, Snapshot};
use super::{completion, diagnostics, hover, inventory, lookup, navigate, symbols};
use crate::date::Date;
use crate::load::{FsSource, Source as _};
use crate::model::system::SYSTEMS_FILE;

/// The state of one session.
pub(super) struct Server {
    conn: Connection,
    today: Date,
    root: Option<Root>,
    store: Store,
    jobs: Option<Sender<Job>>,
    done_tx: Sender<Done>,
    done_rx: Receiver<Done>,
    generation: u64,
    snapshot: Option<Arc<Snapshot>>,
    /// What was last published per file.
    published: BTreeMap<PathBuf, Vec<lsp_types::Diagnostic>>,
}

/// Most workspace symbols returned for one query.
const MAX_SYMBOLS: usize = 500;

impl Server {
    /// A session over `conn` for the AIMS at `root` (found later when `None`).
    pub(super) fn new(conn: Connection, root: Option<Root>, today: Date) -> Server {
        let (done_tx, done_rx) = crossbeam_channel::unbounded();
        let mut s = Server {
            conn,
            today,
            root: None,
            store: Store::default(),
            jobs: None,
            done_tx,
            done_rx,
            generation: 0,
            snapshot: None,
            published: BTreeMap::new(),
        };
        if let Some(r) = root {
            s.set_root(r);
        }
        s
    }

    fn set_root(&mut self, root: Root) {
        eprintln!("aimsdoc lsp: the AIMS root is {}", root.path.display());
        self.jobs = Some(worker::spawn(
            root.clone(),
            self.today,
            self.done_tx.clone(),
        ));
        self.root = Some(root);
        self.disk_changed();
    }

    /// Runs until the editor shuts the server down or the connection closes.
    pub(super) fn run(mut self) -> anyhow::Result<()> {
        loop {
            select! {
                recv(self.conn.receiver) -> msg => {
                    let Ok(msg) = msg else { return Ok(()) };
                    match msg {
                        Message::Request(req) => {
                            if self.conn.handle_shutdown(&req)? {
                                return Ok(());
                            }
                            self.request(req);
                        }
                        Message::Notification(n) => self.notification(n),
                        Message::Response(_) => {}
                    }
                }
                recv(self.done_rx) -> done => {
                    if let Ok(done) = done {
                        self.finished(done);
                    }
                }
            }
        }
    }

    /// Sends the compile thread the buffers as they are now.
    fn changed(&mut self) {
        self.send_job(false);
    }

    /// [`Self::changed`], after files on disk may have changed: every file is read again.
    fn disk_changed(&mut self) {
        self.send_job(true);
    }

    fn send_job(&mut self, recheck_disk: bool) {
        let (Some(root), Some(jobs)) = (&self.root, &self.jobs) else {
            return;
        };
        self.generation += 1;
        let (buffers, versions) = self.store.buffers(root);
        let _ = jobs.send(Job {
            generation: self.generation,
            buffers,
            versions,
            recheck_disk,
        });
    }

    fn finished(&mut self, done: Done) {
        if let Some(f) = &done.failure {
            eprintln!("aimsdoc lsp: {f}");
        }
        eprintln!(
            "aimsdoc lsp: compiled change {} in {} ms ({} documents parsed)",
            done.generation,
            done.elapsed.as_millis(),
            done.parsed
        );
        self.snapshot = Some(done.snapshot.clone());
        if done.generation != self.generation {
            return; // a newer change is being compiled: its diagnostics will be published
        }
        let Some(root) = self.root.clone() else {
            return;
        };
        let open: HashSet<PathBuf> = self.store.uris().filter_map(|u| root.relative(u)).collect();
        let mut files: Vec<PathBuf> = done.diagnostics.keys().cloned().collect();
        files.extend(self.published.keys().cloned());
        files.extend(open.iter().cloned());
        files.sort();
        files.dedup();
        for rel in &files {
            let now = done.diagnostics.get(rel).cloned().unwrap_or_default();
            let before = self.published.get(rel);
            // Open documents get an answer to every change; other files only when theirs change.
            if !open.contains(rel) && before == Some(&now) {
                continue;
            }
            if before.is_none() && now.is_empty() && !open.contains(rel) {
                continue;
            }
            let Some(uri) = root.uri(rel) else { continue };
            let uri = self
                .store
                .uris()
                .find(|u| root.relative(u).as_ref() == Some(rel))
                .cloned()
                .unwrap_or(uri);
            let params = PublishDiagnosticsParams {
                uri,
                diagnostics: now.clone(),
                version: done.versions.get(rel).copied(),
            };
            self.notify(PublishDiagnostics::METHOD, params);
            if now.is_empty() {
                self.published.remove(rel);
            } else {
                self.published.insert(rel.clone(), now);
            }
        }
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        let _ = self
            .conn
            .sender
            .send(Notification::new(method.to_string(), params).into());
    }

    fn notification(&mut self, n: Notification) {
        let method = n.method.clone();
        let result = catch_unwind(AssertUnwindSafe(|| self.notification_inner(n)));
        if result.is_err() {
            eprintln!("aimsdoc lsp: handling {method} failed (a bug); going on");
        }
    }

    fn notification_inner(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                else {
                    return;
                };
                let doc = p.text_document;
                if self.root.is_none() {
                    if let Some(dir) =
                        to_path(&doc.uri).and_then(|p| p.parent().and_then(find_root))
                    {
                        self.set_root(Root::new(&dir));
                    }
                }
                self.store.open(doc.uri, doc.text, doc.version);
                self.changed();
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                else {
                    return;
                };
                let doc = p.text_document;
                if self.store.change(&doc.uri, doc.version, p.content_changes) {
                    self.changed();
                }
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                else {
                    return;
                };
                self.store.close(&p.text_document.uri);
                self.disk_changed();
            }
            DidSaveTextDocument::METHOD | DidChangeWatchedFiles::METHOD => self.disk_changed(),
            _ => {}
        }
    }

    fn request(&mut self, req: Request) {
        let id = req.id.clone();
        let method = req.method.clone();
        let response = match catch_unwind(AssertUnwindSafe(|| self.answer(&req.method, req.params)))
        {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err((code, e))) => Response::new_err(id, code as i32, e),
            Err(_) => {
                eprintln!("aimsdoc lsp: answering {method} failed (a bug); going on");
                Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    format!("{method} failed"),
                )
            }
        };
        let _ = self.conn.sender.send(response.into());
    }

    /// The text, relative path and snapshot a request about `uri` is answered from; `None`
    /// for a file outside the AIMS root or before the first compile.
    fn about(&self, uri: &Uri) -> Option<(Arc<str>, PathBuf, Arc<Snapshot>)> {
        let root = self.root.as_ref()?;
        let rel = root.relative(uri)?;
        let snap = self.snapshot.clone()?;
        let text = match self.store.get(uri) {
            Some(doc) => doc.text.clone(),
            None => match snap.texts.get(&rel) {
                Some(t) => t.clone(),
                // Through the root's boundary: nothing outside the root is read.
                None => {
                    let bytes = FsSource::new(&root.path).read(&rel).ok()?;
                    Arc::from(String::from_utf8_lossy(&bytes).as_ref())
                }
            },
        };
        Some((text, rel, snap))
    }

    fn cursor(
        &self,
        p: &lsp_types::TextDocumentPositionParams,
    ) -> Option<(Arc<str>, PathBuf, Arc<Snapshot>, At)> {
        let (text, rel, snap) = self.about(&p.text_document.uri)?;
        let offset = super::position::Lines::new(&text).offset(p.position);
        let fws: Vec<&str> = snap
            .compilation
            .as_ref()
            .map(|c| {
                c.manual
                    .frameworks
                    .enabled
                    .iter()
                    .map(|f| f.id.as_str())
                    .collect()
            })
            .unwrap_or_default();
        let at = if rel == Path::new(SYSTEMS_FILE) {
            inventory::at(&text, offset)
        } else {
            context::at(&text, offset, &fws)
        };
        drop(fws);
        Some((text, rel, snap, at))
    }

    fn answer(&mut self, method: &str, params: Value) -> Result<Value, (ErrorCode, String)> {
        fn parse<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, (ErrorCode, String)> {
            serde_json::from_value(v)
                .map_err(|e| (ErrorCode::InvalidParams, format!("invalid parameters: {e}")))
        }
        let json = |v: Option<Value>| v.unwrap_or(Value::Null);
        Ok(match method {
            Completion::METHOD => {
                let p: lsp_types::CompletionParams = parse(params)?;
                json(
                    self.cursor(&p.text_document_position)
                        .and_then(|(text, rel, snap, at)| {
                            if rel == Path::new(SYSTEMS_FILE) {
                                let items = inventory::complete(&text, &at);
                                let list = lsp_types::CompletionResponse::Array(items);
                                return serde_json::to_value(list).ok();
                            }
                            let c = snap.compilation.as_ref()?;
                            let own = c.manual.documents.iter().find(|d| d.path == rel);
                            let own = own.map(|d| d.meta.id.as_str());
                            let items = completion::complete(c, &text, &at, own);
                            serde_json::to_value(lsp_types::CompletionResponse::Array(items)).ok()
                        }),
                )
            }
            HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = parse(params)?;
                json(self.cursor(&p.text_document_position_params).and_then(
                    |(text, _, snap, at)| {
                        let c = snap.compilation.as_ref()?;
                        let (range, target) = lookup::at_cursor(c, &text, &at)?;
                        serde_json::to_value(hover::hover(c, target, &text, range)).ok()
                    },
                ))
            }
            GotoDefinition::METHOD => {
                let p: lsp_types::GotoDefinitionParams = parse(params)?;
                json(self.cursor(&p.text_document_position_params).and_then(
                    |(text, rel, snap, at)| {
                        let l = navigate::definition(&snap, &rel, &text, &at)?;
                        serde_json::to_value(lsp_types::GotoDefinitionResponse::Scalar(l)).ok()
                    },
                ))
            }
            References::METHOD => {
                let p: lsp_types::ReferenceParams = parse(params)?;
                json(
                    self.cursor(&p.text_document_position)
                        .and_then(|(text, _, snap, at)| {
                            let found = navigate::references(
                                &snap,
                                &text,
                                &at,
                                p.context.include_declaration,
                            );
                            serde_json::to_value(found).ok()
                        }),
                )
            }
            DocumentSymbolRequest::METHOD => {
                let p: lsp_types::DocumentSymbolParams = parse(params)?;
                json(self.about(&p.text_document.uri).and_then(|(text, _, _)| {
                    let syms = symbols::document_symbols(&text);
                    serde_json::to_value(lsp_types::DocumentSymbolResponse::Nested(syms)).ok()
                }))
            }
            WorkspaceSymbolRequest::METHOD => {
                let p: lsp_types::WorkspaceSymbolParams = parse(params)?;
                json(self.snapshot.as_ref().and_then(|snap| {
                    serde_json::to_value(symbols::workspace_symbols(snap, &p.query, MAX_SYMBOLS))
                        .ok()
                }))
            }
            CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams = parse(params)?;
                json(self.about(&p.text_document.uri).and_then(|_| {
                    let fixes =
                        diagnostics::quick_fixes(&p.text_document.uri, &p.context.diagnostics);
                    serde_json::to_value(fixes).ok()
                }))
            }
            _ => {
                return Err((
                    ErrorCode::MethodNotFound,
                    format!("aimsdoc does not answer {method}"),
                ))
            }
        })
    }
}
