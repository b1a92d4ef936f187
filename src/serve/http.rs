//! The HTTP side of `aimsdoc serve`: tiny_http workers serving the in-memory site, safe
//! resolution of request paths, content types, the injected live-reload script, and the
//! Server-Sent Events stream (`/__aimsdoc/events`) that tells browsers what changed.

use std::io::Write;
use std::sync::{Arc, Mutex, RwLock};

use tiny_http::{Header, Method, Request, Response, Server};

use super::state::Pages;

/// The path of the event stream.
pub const EVENTS_PATH: &str = "/__aimsdoc/events";

/// The script and overlay injected before `</body>` of every HTML page served (never into
/// the output of `aimsdoc build`).
pub const RELOAD_SCRIPT: &str = include_str!("reload.js");

/// What the HTTP workers share with the rebuild loop.
#[derive(Default)]
pub struct Shared {
    /// The published site.
    pub pages: RwLock<Pages>,
    /// The JSON of the last event, sent to every new event-stream client first (so the error
    /// overlay shows on pages opened while the AIMS has errors).
    pub last_event: RwLock<String>,
    /// Open event streams.
    clients: Mutex<Vec<Box<dyn Write + Send>>>,
}

impl Shared {
    /// Sends one event (a JSON object) to every open stream, dropping the closed ones.
    pub fn broadcast(&self, json: &str) {
        if let Ok(mut last) = self.last_event.write() {
            *last = json.to_string();
        }
        let frame = format!("data: {json}\n\n");
        self.send_raw(frame.as_bytes());
    }

    /// Sends a comment to every stream (keeps connections alive, notices closed ones).
    pub fn ping(&self) {
        self.send_raw(b": ping\n\n");
    }

    /// Number of open event streams.
    pub fn clients(&self) -> usize {
        self.clients.lock().map_or(0, |c| c.len())
    }

    fn send_raw(&self, bytes: &[u8]) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain_mut(|w| w.write_all(bytes).and_then(|_| w.flush()).is_ok());
    }
}

/// Serves requests until the server is dropped or unblocked. Run it on a few threads.
pub fn worker(server: &Server, shared: &Shared) {
    while let Ok(req) = server.recv() {
        handle(req, shared);
    }
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn respond(req: Request, status: u16, content_type: &str, body: Vec<u8>, extra: &[(&str, &str)]) {
    // Always a Content-Length: pages are in memory, chunking buys nothing.
    let mut resp = Response::from_data(body)
        .with_status_code(status)
        .with_chunked_threshold(usize::MAX);
    for (n, v) in [
        ("Content-Type", content_type),
        ("Cache-Control", "no-store"),
    ]
    .iter()
    .chain(extra)
    {
        if let Some(h) = header(n, v) {
            resp.add_header(h);
        }
    }
    let _ = req.respond(resp);
}

fn handle(req: Request, shared: &Shared) {
    if !matches!(req.method(), Method::Get | Method::Head) {
        respond(
            req,
            405,
            "text/plain; charset=utf-8",
            b"405 Method Not Allowed: aimsdoc serve answers GET and HEAD only\n".to_vec(),
            &[("Allow", "GET, HEAD")],
        );
        return;
    }
    let url = req.url().to_string();
    if url.split(['?', '#']).next() == Some(EVENTS_PATH) {
        if *req.method() == Method::Get {
            open_stream(req, shared);
        } else {
            respond(req, 200, "text/event-stream", Vec::new(), &[]);
        }
        return;
    }
    let pages = shared.pages.read().unwrap_or_else(|e| e.into_inner());
    let Some(key) = site_path(&url) else {
        drop(pages);
        not_found(req, shared);
        return;
    };
    if let Some(bytes) = pages.get(&key).cloned() {
        drop(pages);
        let ct = content_type(&key);
        let body = if ct.starts_with("text/html") {
            inject(&bytes)
        } else {
            bytes.to_vec()
        };
        respond(req, 200, ct, body, &[]);
    } else if !key.is_empty() && pages.contains_key(&format!("{key}/index.html")) {
        drop(pages);
        // A folder without its trailing slash: redirect so relative links resolve.
        let location = format!("/{}/", encode_path(&key));
        respond(
            req,
            301,
            "text/plain; charset=utf-8",
            Vec::new(),
            &[("Location", &location)],
        );
    } else {
        drop(pages);
        not_found(req, shared);
    }
}

fn not_found(req: Request, shared: &Shared) {
    let page = shared
        .pages
        .read()
        .ok()
        .and_then(|p| p.get("404.html").cloned());
    let body = match page {
        Some(b) => inject(&b),
        None => {
            inject(b"<!doctype html><title>Not found</title><body><h1>Page not found</h1></body>")
        }
    };
    respond(req, 404, "text/html; charset=utf-8", body, &[]);
}

fn open_stream(req: Request, shared: &Shared) {
    let mut w = req.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                Connection: close\r\nX-Accel-Buffering: no\r\n\r\n: aimsdoc\n\n";
    let last = shared
        .last_event
        .read()
        .map(|s| s.clone())
        .unwrap_or_default();
    let first = if last.is_empty() {
        String::new()
    } else {
        format!("data: {last}\n\n")
    };
    // Hold the client list while writing the first event, so no broadcast slips in between.
    let mut clients = shared.clients.lock().unwrap_or_else(|e| e.into_inner());
    let ok = w
        .write_all(head.as_bytes())
        .and_then(|_| w.write_all(first.as_bytes()))
        .and_then(|_| w.flush())
        .is_ok();
    if ok {
        clients.push(w);
    }
}

/// The page with the live-reload script inserted before its last `</body>` (or appended).
pub fn inject(html: &[u8]) -> Vec<u8> {
    let script = format!("<script>{RELOAD_SCRIPT}</script>");
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
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

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hi = hex(*b.get(i + 1)?)?;
            let lo = hex(*b.get(i + 2)?)?;
            out.push(hi * 16 + lo);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

fn encode_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
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

/// Starts `threads` workers on `server`.
pub fn spawn_workers(server: Arc<Server>, shared: Arc<Shared>, threads: usize) {
    for i in 0..threads {
        let server = Arc::clone(&server);
        let shared = Arc::clone(&shared);
        let _ = std::thread::Builder::new()
            .name(format!("aimsdoc-http-{i}"))
            .spawn(move || worker(&server, &shared));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
