//! What `aimsdoc serve` answers: the in-memory site with the live-reload script injected
//! into its HTML pages, safe resolution of request paths, content types, the `Host` check,
//! and the Server-Sent Events stream (`/__aimsdoc/events`) that tells browsers what changed.
//! The connections themselves are handled by [`super::listen`].

use std::net::TcpStream;
use std::sync::{Arc, RwLock};

use super::events::Hub;
use super::host::{self, HostPolicy};
use super::listen::{Reply, Service};
use super::state::Pages;
use super::wire::{Part, Request, Response};

/// The path of the event stream.
pub const EVENTS_PATH: &str = "/__aimsdoc/events";

/// The script and overlay injected before `</body>` of every HTML page served (never into
/// the output of `aimsdoc build`).
pub const RELOAD_SCRIPT: &str = include_str!("reload.js");

const SCRIPT_TAG: &str = concat!("<script>", include_str!("reload.js"), "</script>");

/// What the HTTP connections share with the rebuild loop.
pub struct Shared {
    /// The published site.
    pub pages: RwLock<Pages>,
    /// The open event streams.
    pub hub: Hub,
    /// The hosts answered for.
    pub hosts: HostPolicy,
}

impl Shared {
    /// An empty site answering for `hosts`, with at most `max_streams` event streams.
    pub fn new(hosts: HostPolicy, max_streams: usize) -> Shared {
        Shared {
            pages: RwLock::new(Pages::new()),
            hub: Hub::new(max_streams),
            hosts,
        }
    }

    /// Sends one event (a JSON object) to every open stream.
    pub fn broadcast(&self, json: &str) {
        self.hub.broadcast(json);
    }
}

impl Service for Shared {
    fn answer(&self, req: &Request) -> Reply {
        handle(req, self)
    }

    fn stream(&self, socket: TcpStream) {
        self.hub.serve(socket);
    }
}

/// Refuses requests whose `Host` does not name this server (see [`super::host`]).
/// A refused request ends its connection: the client is not one this server talks to, or
/// its head is malformed.
fn check_host(req: &Request, shared: &Shared) -> Option<Reply> {
    let refuse = |status: u16, message: &str| {
        Some(Reply::Response(Response::text(status, message).closing()))
    };
    let hosts: Vec<&str> = req.header_values("host").collect();
    let local = req.local.map(|a| a.ip());
    match hosts.as_slice() {
        [] if req.minor_version == 0 => None,
        [] => refuse(400, "400 Bad Request: the Host header is missing\n"),
        [h] if shared.hosts.allows(h, local) => None,
        [h] => {
            let name = host::shown(h);
            let bare = match host::parse_host_header(h) {
                Some(host::HostName::Name(n)) => n,
                _ => name.clone(),
            };
            refuse(
                421,
                &format!(
                    "421 Misdirected Request: aimsdoc serve does not answer for the host \"{name}\".\n\
                     It answers for localhost, 127.0.0.1, [::1] and the --bind address, so that \
                     other web sites cannot read the manual through a name of theirs (DNS \
                     rebinding).\nIf you reach it by this name on purpose, restart it with \
                     --allow-host {bare}\n"
                ),
            )
        }
        _ => refuse(400, "400 Bad Request: more than one Host header\n"),
    }
}

fn handle(req: &Request, shared: &Shared) -> Reply {
    if let Some(refused) = check_host(req, shared) {
        return refused;
    }
    if req.method != "GET" && req.method != "HEAD" {
        return Reply::Response(
            Response::text(
                405,
                "405 Method Not Allowed: aimsdoc serve answers GET and HEAD only\n",
            )
            .with_header("Allow", "GET, HEAD"),
        );
    }
    let url = req.target.as_str();
    if url.split(['?', '#']).next() == Some(EVENTS_PATH) {
        return if req.method == "GET" {
            Reply::Stream
        } else {
            Reply::Response(Response::new(200, "text/event-stream", Vec::new()))
        };
    }
    let Some(key) = site_path(url) else {
        return not_found(shared);
    };
    let pages = shared.pages.read().unwrap_or_else(|e| e.into_inner());
    if let Some(bytes) = pages.get(&key).cloned() {
        drop(pages);
        let ct = content_type(&key);
        let body = if ct.starts_with("text/html") {
            injected(bytes)
        } else {
            let len = bytes.len();
            vec![Part::Shared(bytes, 0..len)]
        };
        Reply::Response(Response::new(200, ct, body))
    } else if !key.is_empty() && pages.contains_key(&format!("{key}/index.html")) {
        drop(pages);
        // A folder without its trailing slash: redirect so relative links resolve.
        let location = format!("/{}/", crate::render::urls::encode_path(&key));
        Reply::Response(
            Response::new(301, "text/plain; charset=utf-8", Vec::new())
                .with_header("Location", &location),
        )
    } else {
        drop(pages);
        not_found(shared)
    }
}

fn not_found(shared: &Shared) -> Reply {
    let page = shared
        .pages
        .read()
        .ok()
        .and_then(|p| p.get("404.html").cloned());
    let page = page.unwrap_or_else(|| {
        Arc::new(
            b"<!doctype html><title>Not found</title><body><h1>Page not found</h1></body>".to_vec(),
        )
    });
    Reply::Response(Response::new(
        404,
        "text/html; charset=utf-8",
        injected(page),
    ))
}

/// The page with the live-reload script before its last `</body>` (or appended), as parts
/// that share the page's bytes.
fn injected(html: Arc<Vec<u8>>) -> Vec<Part> {
    let at = find_last(&html, b"</body>").unwrap_or(html.len());
    let len = html.len();
    vec![
        Part::Shared(Arc::clone(&html), 0..at),
        Part::Static(SCRIPT_TAG.as_bytes()),
        Part::Shared(html, at..len),
    ]
}

/// The page with the live-reload script inserted before its last `</body>` (or appended).
pub fn inject(html: &[u8]) -> Vec<u8> {
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + SCRIPT_TAG.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(SCRIPT_TAG.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// Content type by file extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("csv") => "text/csv; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        Some("xml") => "application/xml",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// Percent-decodes a request path; `None` when a `%` is not followed by two hex digits
/// (the crate's decoder would keep such a `%` as it is; a request holding one is refused).
fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let well_formed = s
        .split('%')
        .skip(1)
        .all(|rest| rest.len() >= 2 && rest.as_bytes()[..2].iter().all(u8::is_ascii_hexdigit));
    well_formed.then(|| percent_encoding::percent_decode_str(s).collect())
}

/// Maps a raw request target to a key of the site (`documents/X.html`; `index.html` for
/// folders), or `None` when it is not a plain path inside the site: not starting with `/`
/// (absolute-form or relative targets), bad percent-encoding, not UTF-8, NUL or control
/// bytes, backslashes, `..` or `.` segments (also encoded, `%2e%2e`, `%2f`), or a drive
/// letter. Nothing is ever read from disk, so no path can leave the site.
pub fn site_path(target: &str) -> Option<String> {
    let raw = target.split(['?', '#']).next()?;
    if !raw.starts_with('/') {
        return None;
    }
    let decoded = String::from_utf8(percent_decode(raw)?).ok()?;
    if decoded
        .chars()
        .any(|c| c == '\\' || c.is_control() || c == ':')
    {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" => {}
            "." | ".." => return None,
            s => parts.push(s),
        }
    }
    let mut key = parts.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_percent_encoding_is_refused() {
        assert_eq!(
            percent_decode("/a%20b%2F%23").as_deref(),
            Some(&b"/a b/#"[..])
        );
        assert_eq!(percent_decode("/%c3%A9").as_deref(), Some("/é".as_bytes()));
        for bad in ["/%", "/%2", "/%zz", "/%2g", "/%4%41", "/100%"] {
            assert_eq!(percent_decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn paths_resolve_inside_the_site() {
        assert_eq!(site_path("/").as_deref(), Some("index.html"));
        assert_eq!(
            site_path("/controls/").as_deref(),
            Some("controls/index.html")
        );
        assert_eq!(site_path("/controls").as_deref(), Some("controls"));
        assert_eq!(
            site_path("/documents/POL-AI-001.html?x=1#top").as_deref(),
            Some("documents/POL-AI-001.html")
        );
        assert_eq!(site_path("/a%20b.html").as_deref(), Some("a b.html"));
        assert_eq!(
            site_path("//documents//x.html").as_deref(),
            Some("documents/x.html")
        );
    }

    #[test]
    fn traversal_is_refused() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/etc/passwd",
            "/..%2f..%2fetc%2fpasswd",
            "/documents/..%5c..%5cetc%5cpasswd",
            "/documents\\..\\x",
            "http://x/../etc/passwd",
            "../etc/passwd",
            "/a%00.html",
            "/%zz",
            "/C:/Windows/win.ini",
            "/%c0%ae%c0%ae/etc/passwd",
            "/./index.html",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }

    #[test]
    fn injects_before_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>")).unwrap();
        assert!(out.starts_with("<html><body><p>x</p><script>"));
        assert!(out.ends_with("</script></body></html>"));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/b.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("static/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("soa.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("coverage.json"), "application/json");
        assert_eq!(content_type("x.svg"), "image/svg+xml");
        assert_eq!(content_type("x.png"), "image/png");
        assert_eq!(content_type("x.js"), "text/javascript; charset=utf-8");
    }
}
