//! `aimsdoc serve`: builds the manual into memory, serves it over HTTP, watches the AIMS
//! root and, after each change, rebuilds what changed and tells the open pages to reload
//! (Server-Sent Events). The published output folder is never touched.
//!
//! Threads: the rebuild loop (this function's thread) owns the [`state::Builder`]; one
//! thread accepts connections and each connection has its own ([`listen`], bounded in number,
//! size and time), answered by [`http::Shared`]; notify's debouncer thread feeds the loop.
//! A rebuild swaps the new pages in before its event is sent, so a page reloaded on an event
//! is always the new one.

pub mod events;
pub mod host;
pub mod http;
pub mod listen;
pub mod state;
pub mod watch;
pub mod wire;

use std::collections::HashSet;
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;

use serde::Serialize;

use crate::date::Date;
use crate::diagnostics::{code, render_human, summary_counts, Diagnostic, Severity, Span};
use crate::load::LoadError;

/// What `aimsdoc serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The AIMS root.
    pub root: PathBuf,
    /// Address to bind (127.0.0.1 by default).
    pub bind: IpAddr,
    /// Further host names (or addresses) the server answers for, besides localhost, the
    /// loopback addresses and `bind` (see [`host`]).
    pub allow_hosts: Vec<String>,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Open the manual in the default browser once it is served.
    pub open: bool,
    /// The date to judge reviews against.
    pub today: Date,
    /// The edition to preview (`None`: the one aims.toml names, else the complete manual).
    pub audience: Option<crate::model::frontmatter::Classification>,
}

/// Why serving could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The AIMS could not be opened.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The port is taken.
    #[error("cannot listen on {addr}: the port is already in use; choose another with --port (e.g. --port {next}), or --port 0 to pick a free one")]
    PortInUse {
        /// Address asked for.
        addr: SocketAddr,
        /// A suggestion.
        next: u16,
    },
    /// Binding failed otherwise.
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, String),
    /// The watcher could not start.
    #[error("cannot watch {0} for changes: {1}")]
    Watch(PathBuf, String),
}

/// One diagnostic as the browser overlay shows it.
#[derive(Debug, Serialize)]
pub struct OverlayItem<'a> {
    /// File relative to the AIMS root.
    pub file: String,
    /// 1-based line (0 when the diagnostic is about the whole file).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// `AIMS0101`.
    pub code: &'static str,
    /// What is wrong.
    pub message: &'a str,
    /// What to do about it.
    pub suggestion: Option<&'a str>,
}

/// The JSON of one event: `{"build", "changed", "errors", "warnings"}`.
pub fn event_json(build: u64, changed: &[String], diagnostics: &[Diagnostic]) -> String {
    let errors: Vec<OverlayItem<'_>> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| OverlayItem {
            file: d.span.file.display().to_string(),
            line: d.span.line,
            column: d.span.column,
            code: d.code.id,
            message: &d.message,
            suggestion: d.suggestion.as_deref(),
        })
        .collect();
    let warnings = diagnostics.len() - errors.len();
    serde_json::json!({
        "build": build,
        "changed": changed,
        "errors": errors,
        "warnings": warnings,
    })
    .to_string()
}

fn bind(opts: &ServeOptions) -> Result<TcpListener, ServeError> {
    let addr = SocketAddr::new(opts.bind, opts.port);
    TcpListener::bind(addr).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            ServeError::PortInUse {
                addr,
                next: opts.port.checked_add(1).unwrap_or(3000),
            }
        } else {
            ServeError::Bind(addr, e.to_string())
        }
    })
}

fn print_diagnostics(root: &Path, diagnostics: &[Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    // Snippets come from the AIMS folder only, like everything else aimsdoc reads.
    let files = crate::load::FsSource::new(root);
    let source = |p: &Path| {
        crate::load::Source::read(&files, p)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
    };
    eprint!("{}", render_human(diagnostics, &source));
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(cmd)
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("warning: could not open a browser ({cmd}: {e}); open {url} yourself");
    }
}

/// Runs `aimsdoc serve` until the process is interrupted.
pub fn serve(opts: &ServeOptions) -> Result<(), ServeError> {
    let root_abs = crate::output::absolute(&opts.root).unwrap_or_else(|_| opts.root.clone());
    let out_rel = PathBuf::from("_site");
    let mut builder = state::Builder::new(&opts.root, vec![out_rel.clone()], opts.today)
        .with_audience(opts.audience);
    let first = builder.rebuild(&HashSet::new())?;
    print_diagnostics(&opts.root, &first.diagnostics);

    let listener = bind(opts)?;
    let local = listener
        .local_addr()
        .unwrap_or_else(|_| SocketAddr::new(opts.bind, opts.port));
    let limits = wire::Limits::default();
    let hosts = host::HostPolicy::new(opts.bind, &opts.allow_hosts);
    let shared = Arc::new(http::Shared::new(hosts, limits.max_streams));
    if let Ok(mut p) = shared.pages.write() {
        *p = builder.pages().clone();
    }
    let mut build_no = 1u64;
    shared.broadcast(&event_json(build_no, &[], &first.diagnostics));
    let service: Arc<dyn listen::Service> = Arc::clone(&shared) as Arc<dyn listen::Service>;
    listen::start(listener, service, limits).map_err(|e| ServeError::Bind(local, e.to_string()))?;

    let (tx, rx) = mpsc::channel();
    let (etx, erx) = mpsc::channel::<String>();
    let filter = watch::Filter {
        root: root_abs.clone(),
        ignore_dirs: vec![out_rel],
    };
    let _watcher = watch::start(filter, tx, etx)
        .map_err(|e| ServeError::Watch(opts.root.clone(), e.to_string()))?;

    let host = if local.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else if local.is_ipv6() {
        format!("[{}]", local.ip())
    } else {
        local.ip().to_string()
    };
    let url = format!("http://{host}:{}/", local.port());
    if !opts.bind.is_loopback() {
        eprintln!(
            "warning: listening on {} — anyone who can reach this address can read the manual, \
             which may contain internal documents; the default --bind 127.0.0.1 keeps it local",
            local
        );
    }
    eprintln!(
        "{} documents, {} pages in {} ms: {}.",
        first.documents,
        builder.pages().len(),
        first.elapsed.as_millis(),
        summary_counts(first.errors, first.warnings)
    );
    eprintln!(
        "Serving {} at {url} — watching for changes (Ctrl-C to stop)",
        opts.root.display()
    );
    let _ = std::io::stderr().flush();
    if opts.open {
        open_browser(&url);
    }

    let mut last_diags = first.diagnostics;
    while let Some(dirty) = watch::next_change(&rx) {
        while let Ok(e) = erx.try_recv() {
            eprintln!("warning: watcher: {e}");
        }
        let outcome = match builder.rebuild(&dirty) {
            Ok(o) => o,
            Err(e) => {
                // aims.toml is gone or unreadable: keep serving, say so everywhere.
                eprintln!("error: {e}; the last good pages stay served");
                let d = Diagnostic::error(code::CONFIG, Span::file("aims.toml"), e.to_string());
                build_no += 1;
                shared.broadcast(&event_json(build_no, &[], &[d]));
                last_diags = Vec::new();
                continue;
            }
        };
        if !outcome.changed.is_empty() {
            if let Ok(mut p) = shared.pages.write() {
                for path in &outcome.changed {
                    match builder.pages().get(path) {
                        Some(b) => p.insert(path.clone(), Arc::clone(b)),
                        None => p.remove(path),
                    };
                }
            }
        }
        // The terminal first, so that it already shows what a browser is about to show.
        if outcome.diagnostics != last_diags {
            print_diagnostics(&opts.root, &outcome.diagnostics);
        }
        build_no += 1;
        shared.broadcast(&event_json(
            build_no,
            &outcome.changed,
            &outcome.diagnostics,
        ));
        report(&dirty, &outcome);
        last_diags = outcome.diagnostics;
    }
    Ok(())
}

fn report(dirty: &HashSet<PathBuf>, o: &state::Outcome) {
    let mut names: Vec<String> = dirty.iter().map(|p| p.display().to_string()).collect();
    names.sort();
    let what = match names.len() {
        1 => names[0].clone(),
        n => format!("{n} files"),
    };
    let pages = match o.changed.len() {
        0 => "no page changed".to_string(),
        1 => format!("1 page changed ({})", o.changed[0]),
        n => format!("{n} pages changed"),
    };
    let kept = if o.errors > 0 {
        "; the last good pages stay served"
    } else {
        ""
    };
    eprintln!(
        "{what}: rebuilt in {} ms ({} re-read, {} rendered), {pages}: {}{kept}.",
        o.elapsed.as_millis(),
        o.reread,
        o.rendered,
        summary_counts(o.errors, o.warnings)
    );
}
