//! Harness for the `aimsdoc serve` tests: start the real binary on `--port 0`, read its
//! event stream and fetch pages over raw sockets (nothing normalises the paths). Every wait
//! is bounded; the server is killed on drop.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::TODAY;

pub(crate) const WAIT: Duration = Duration::from_secs(15);
pub(crate) const RISK: &str = "procedures/ai-risk-management.md";
pub(crate) const RISK_PAGE: &str = "documents/PRO-RISK-001.html";

/// A running `aimsdoc serve`, killed on drop.
pub(crate) struct Server {
    pub child: Child,
    pub addr: String,
    pub stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn start_with(root: &Path, extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_aimsdoc"))
        .arg("serve")
        .arg(root)
        .args(["--port", "0", "--today", TODAY])
        .args(extra)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn aimsdoc serve");
    let stderr = Arc::new(Mutex::new(String::new()));
    let (tx, rx) = mpsc::channel::<String>();
    let pipe = child.stderr.take().expect("stderr");
    let log = Arc::clone(&stderr);
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            log.lock().unwrap().push_str(&(line.clone() + "\n"));
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + WAIT;
    let mut server = Server {
        child,
        addr: String::new(),
        stderr,
    };
    while server.addr.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) if line.starts_with("Serving ") => {
                let url = line
                    .split_whitespace()
                    .find(|w| w.starts_with("http://"))
                    .expect("URL in the Serving line");
                server.addr = url
                    .trim_start_matches("http://")
                    .trim_end_matches('/')
                    .to_string();
            }
            Ok(_) => {}
            Err(_) => panic!("no URL printed:\n{}", server.stderr.lock().unwrap()),
        }
    }
    server
}

pub(crate) fn start(root: &Path) -> Server {
    start_with(root, &[])
}

/// A raw HTTP response.
pub(crate) struct Resp {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

impl Resp {
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `request_target` verbatim (no client-side normalising).
pub(crate) fn raw(addr: &str, method: &str, target: &str) -> Resp {
    let req = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    request(addr, req.as_bytes())
}

/// Sends `bytes` as they are (a write the server cuts short is not an error), then reads
/// until the server closes the connection and parses the first response.
pub(crate) fn request(addr: &str, bytes: &[u8]) -> Resp {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(WAIT)).unwrap();
    s.set_write_timeout(Some(WAIT)).unwrap();
    let _ = s.write_all(bytes);
    parse_response(&read_until_closed(&mut s))
}

/// Everything the server sends until it closes the connection (a reset after some bytes
/// counts as closed); panics when it is silent for [`WAIT`] or stays open for twice that.
pub(crate) fn read_until_closed(s: &mut TcpStream) -> Vec<u8> {
    s.set_read_timeout(Some(WAIT)).unwrap();
    let deadline = Instant::now() + 2 * WAIT;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 65536];
    loop {
        assert!(
            Instant::now() < deadline,
            "the connection stayed open (after {} bytes)",
            buf.len()
        );
        match s.read(&mut chunk) {
            Ok(0) => return buf,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset && !buf.is_empty() => {
                return buf
            }
            Err(e) => panic!("read response: {e} (after {} bytes)", buf.len()),
        }
    }
}

/// Parses the first response in `buf` (its body is everything after the head).
pub(crate) fn parse_response(buf: &[u8]) -> Resp {
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of head");
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .expect("status");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Resp {
        status,
        headers,
        body: buf[split + 4..].to_vec(),
    }
}

pub(crate) fn get(addr: &str, target: &str) -> Resp {
    raw(addr, "GET", target)
}

/// The event stream, read on a thread into a channel of parsed events.
pub(crate) fn events(addr: &str) -> Receiver<Value> {
    let mut s = TcpStream::connect(addr).expect("connect");
    write!(s, "GET /__aimsdoc/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(json) = line.strip_prefix("data: ") {
                if let Ok(v) = serde_json::from_str::<Value>(json) {
                    if tx.send(v).is_err() {
                        break;
                    }
                }
            }
        }
    });
    // The first event is the current state, sent on connect.
    let first = rx.recv_timeout(WAIT).expect("initial event");
    assert!(first["changed"].as_array().is_some_and(|c| c.is_empty()));
    rx
}

pub(crate) fn changed(ev: &Value) -> Vec<String> {
    ev["changed"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Waits for an event satisfying `pred`; panics with the server's log after [`WAIT`].
pub(crate) fn wait_for(
    rx: &Receiver<Value>,
    server: &Server,
    what: &str,
    pred: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(ev) if pred(&ev) => return ev,
            Ok(_) => {}
            Err(_) => panic!(
                "no event for {what} within {WAIT:?}; server log:\n{}",
                server.stderr.lock().unwrap()
            ),
        }
    }
}

pub(crate) fn wait_page_change(
    rx: &Receiver<Value>,
    server: &Server,
    page: &str,
    what: &str,
) -> Value {
    wait_for(rx, server, what, |ev| changed(ev).iter().any(|c| c == page))
}

pub(crate) fn replace_line_containing(text: &str, needle: &str, new: &str) -> String {
    text.lines()
        .map(|l| if l.contains(needle) { new } else { l })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The document's text with a marker paragraph (replacing any earlier marker).
pub(crate) fn with_marker(root: &Path, marker: &str) -> String {
    let text = std::fs::read_to_string(root.join(RISK)).expect("read");
    let base: String = text
        .lines()
        .filter(|l| !l.starts_with("Marker "))
        .map(|l| format!("{l}\n"))
        .collect();
    format!("{base}\nMarker {marker}.\n")
}

pub(crate) fn sleep_ms(ms: u64) {
    std::thread::sleep(Duration::from_millis(ms));
}

/// Removes the injected `<script>…</script>` before `</body>`.
pub(crate) fn strip_script(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html).into_owned();
    let end = text.rfind("</script></body>").expect("injected script");
    let start = text[..end].rfind("<script>").expect("script start");
    let mut out = text[..start].to_string();
    out.push_str(&text[end + "</script>".len()..]);
    out.into_bytes()
}
