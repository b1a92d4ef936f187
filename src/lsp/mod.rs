//! `aimsdoc lsp`: a Language Server Protocol server over stdin/stdout, for authors writing
//! an AIMS in an editor. It compiles the AIMS through the one [`crate::pipeline::compile`]
//! (no pipeline of its own) with the editor's unsaved buffers laid over the files on disk,
//! and answers from what that compile found:
//!
//! - diagnostics as you type: those of `aimsdoc check` (rendering the theme aside), per
//!   file, 150 ms after the last change, compiled in a worker thread (`worker`); quick fixes
//!   for "did you mean …?" (`diagnostics`);
//! - completion of ids and enum values (`completion`), hover (`hover`), go to definition and
//!   references (`navigate`), document and workspace symbols (`symbols`); AI systems of
//!   `systems.yaml` among the ids, and its enum values in `systems.yaml` itself.
//!
//! **The AIMS root** is the folder given on the command line; else the nearest folder
//! holding `aims.toml` at or above the editor's first workspace folder (`rootUri` for older
//! clients, else the server's current folder); else the nearest such folder above the first
//! document opened. A request about a file outside the root is answered with nothing.
//!
//! **Crates**: `lsp-server` (rust-analyzer's scaffold: the protocol's framing and handshake
//! over two channels, the main loop our own) and `lsp-types`. `tower-lsp-server` would bring
//! an async runtime to a server whose work is one CPU-bound compile in a thread.
//!
//! **Robustness**: every handler runs under `catch_unwind` (a bug answers with an error and
//! is logged to stderr); the compile cache keeps only the documents of the last compile and
//! the store only open buffers, so memory follows the AIMS, not the session.
//!
//! Modules: `server` (main loop), `store` (open buffers), `overlay` (buffers over the disk as
//! a `Source`), `cache` (documents by content), `worker` (debounced compiles), `position`
//! (byte offsets and UTF-16 positions), `uri` (URIs and the root), `context` (what is at the
//! cursor), `lookup` (what an id names), `inventory` (`systems.yaml`: what is at the cursor,
//! its enum values), `system` (the hover of an AI system).

mod cache;
mod completion;
mod context;
mod diagnostics;
mod hover;
mod inventory;
mod lookup;
mod navigate;
mod overlay;
mod position;
mod server;
mod store;
mod symbols;
mod system;
mod uri;
mod worker;

use std::path::PathBuf;

use lsp_server::Connection;
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, HoverProviderCapability, OneOf,
    ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
};

use crate::date::Date;

/// How `aimsdoc lsp` was started.
#[derive(Debug, Clone)]
pub struct LspOptions {
    /// The AIMS root given on the command line.
    pub root: Option<PathBuf>,
    /// The date reviews are judged against.
    pub today: Date,
}

/// What the server offers the editor.
fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(["[", "#", ":", ",", " "].map(String::from).to_vec()),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// The folder the editor opened, from the initialize parameters.
fn workspace_folder(params: &serde_json::Value) -> Option<PathBuf> {
    let p: lsp_types::InitializeParams = serde_json::from_value(params.clone()).ok()?;
    let first = p
        .workspace_folders
        .and_then(|f| f.into_iter().next())
        .map(|f| f.uri);
    #[allow(deprecated)]
    let uri = first.or(p.root_uri)?;
    uri::to_path(&uri)
}

/// Runs the language server over stdin/stdout until the editor shuts it down.
pub fn run(opts: LspOptions) -> anyhow::Result<()> {
    let (conn, io) = Connection::stdio();
    let caps = serde_json::to_value(capabilities())?;
    let (id, params) = conn.initialize_start()?;
    let result = serde_json::json!({
        "capabilities": caps,
        "serverInfo": {"name": "aimsdoc", "version": env!("CARGO_PKG_VERSION")},
    });
    conn.initialize_finish(id, result)?;
    let root = match opts.root {
        Some(dir) => Some(dir),
        None => workspace_folder(&params)
            .or_else(|| std::env::current_dir().ok())
            .and_then(|d| uri::find_root(&d)),
    };
    if root.is_none() {
        eprintln!("aimsdoc lsp: no aims.toml at or above the workspace folder; waiting for a document of an AIMS");
    }
    server::Server::new(conn, root.as_deref().map(uri::Root::new), opts.today).run()?;
    io.join()?;
    Ok(())
}
