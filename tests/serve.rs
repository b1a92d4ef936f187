//! `aimsdoc serve` end to end: the real binary on `--port 0`, files edited the way editors
//! save them, the event stream read over a raw socket, pages fetched over HTTP. Every wait
//! is bounded and the server is killed when a test ends (also when it fails).

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(15);
const RISK: &str = "procedures/ai-risk-management.md";
const RISK_PAGE: &str = "documents/PRO-RISK-001.html";

/// A running `aimsdoc serve`, killed on drop.
struct Server {
    child: Child,
    addr: String,
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_with(root: &Path, extra: &[&str]) -> Server {
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

fn start(root: &Path) -> Server {
    start_with(root, &[])
}

/// A raw HTTP response.
struct Resp {
    status: u16,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

impl Resp {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `request_target` verbatim (no client-side normalising).
fn raw(addr: &str, method: &str, target: &str) -> Resp {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(WAIT)).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).expect("read response");
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

fn get(addr: &str, target: &str) -> Resp {
    raw(addr, "GET", target)
}

/// The event stream, read on a thread into a channel of parsed events.
fn events(addr: &str) -> Receiver<Value> {
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

fn changed(ev: &Value) -> Vec<String> {
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
fn wait_for(
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

fn wait_page_change(rx: &Receiver<Value>, server: &Server, page: &str, what: &str) -> Value {
    wait_for(rx, server, what, |ev| changed(ev).iter().any(|c| c == page))
}

fn replace_line_containing(text: &str, needle: &str, new: &str) -> String {
    text.lines()
        .map(|l| if l.contains(needle) { new } else { l })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The document's text with a marker paragraph (replacing any earlier marker).
fn with_marker(root: &Path, marker: &str) -> String {
    let text = std::fs::read_to_string(root.join(RISK)).expect("read");
    let base: String = text
        .lines()
        .filter(|l| !l.starts_with("Marker "))
        .map(|l| format!("{l}\n"))
        .collect();
    format!("{base}\nMarker {marker}.\n")
}

fn sleep_ms(ms: u64) {
    std::thread::sleep(Duration::from_millis(ms));
}

#[test]
fn every_editor_save_pattern_reloads_the_changed_page() {
    let (_tmp, root) = temp_copy(&sample());
    let server = start(&root);
    let rx = events(&server.addr);
    let path = root.join(RISK);
    let dir = path.parent().unwrap().to_path_buf();
    let check = |marker: &str, what: &str| {
        let ev = wait_page_change(&rx, &server, RISK_PAGE, what);
        assert!(
            ev["errors"].as_array().is_some_and(|e| e.is_empty()),
            "{what}: {ev}"
        );
        let page = get(&server.addr, &format!("/{RISK_PAGE}"));
        assert_eq!(page.status, 200);
        assert!(page.text().contains(marker), "{what}: new text not served");
    };

    // Write in place.
    std::fs::write(&path, with_marker(&root, "in-place-1")).unwrap();
    check("in-place-1", "write in place");

    // Write to a temporary file, then rename over (VS Code, JetBrains' safe write).
    let tmp = dir.join("ai-risk-management.md___jb_tmp___");
    std::fs::write(&tmp, with_marker(&root, "rename-2")).unwrap();
    std::fs::rename(&path, dir.join("ai-risk-management.md___jb_old___")).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    std::fs::remove_file(dir.join("ai-risk-management.md___jb_old___")).unwrap();
    check("rename-2", "temp file renamed over");

    // A hidden temporary file renamed over (atomic writers).
    let hidden = dir.join(".ai-risk-management.md.tmp.4242");
    std::fs::write(&hidden, with_marker(&root, "atomic-3")).unwrap();
    std::fs::rename(&hidden, &path).unwrap();
    check("atomic-3", "hidden temp renamed over");

    // vim with backupcopy=no: swap file, the 4913 probe, original renamed to a backup, new
    // file written, backup removed.
    let swp = dir.join(".ai-risk-management.md.swp");
    std::fs::write(&swp, b"vim swap").unwrap();
    let probe = dir.join("4913");
    std::fs::write(&probe, b"").unwrap();
    std::fs::remove_file(&probe).unwrap();
    let backup = dir.join("ai-risk-management.md~");
    let new_text = with_marker(&root, "vim-4");
    std::fs::rename(&path, &backup).unwrap();
    std::fs::write(&path, new_text).unwrap();
    std::fs::remove_file(&backup).unwrap();
    check("vim-4", "vim backupcopy=no");
    std::fs::remove_file(&swp).unwrap();

    // Delete, then create again.
    let text = with_marker(&root, "recreate-5");
    std::fs::remove_file(&path).unwrap();
    sleep_ms(5);
    std::fs::write(&path, text).unwrap();
    check("recreate-5", "delete and recreate");

    // Swap and temp files alone never trigger a rebuild.
    sleep_ms(300);
    while rx.try_recv().is_ok() {}
    let rebuilds = server.stderr.lock().unwrap().matches("rebuilt in").count();
    std::fs::write(&swp, b"typing").unwrap();
    std::fs::write(dir.join("ai-risk-management.md~"), b"backup").unwrap();
    std::fs::write(dir.join("4913"), b"").unwrap();
    std::fs::create_dir_all(root.join(".git")).unwrap();
    std::fs::write(root.join(".git/index"), b"x").unwrap();
    std::fs::create_dir_all(root.join("_site")).unwrap();
    std::fs::write(root.join("_site/index.html"), b"x").unwrap();
    sleep_ms(600);
    let log = server.stderr.lock().unwrap().clone();
    assert_eq!(
        log.matches("rebuilt in").count(),
        rebuilds,
        "junk files caused a rebuild:\n{log}"
    );
    while rx.try_recv().is_ok() {}

    // A document moved into a new folder: same page, new section page.
    std::fs::create_dir_all(root.join("procedures/risk")).unwrap();
    std::fs::rename(&path, root.join("procedures/risk/ai-risk-management.md")).unwrap();
    let ev = wait_for(&rx, &server, "document moved", |ev| {
        changed(ev)
            .iter()
            .any(|c| c == "sections/procedures/risk.html")
    });
    assert!(changed(&ev).iter().any(|c| c == RISK_PAGE), "{ev}");
    assert_eq!(
        get(&server.addr, "/sections/procedures/risk.html").status,
        200
    );
    assert!(get(&server.addr, &format!("/{RISK_PAGE}"))
        .text()
        .contains("recreate-5"));
}

#[test]
fn a_bulk_change_is_one_rebuild() {
    let (_tmp, root) = temp_copy(&sample());
    let server = start(&root);
    let rx = events(&server.addr);
    // Like a `git checkout`: hundreds of files in a moment.
    std::fs::create_dir_all(root.join("bulk")).unwrap();
    for i in 0..300 {
        write(
            &root,
            &format!("bulk/doc-{i:03}.md"),
            format!("---\nid: BULK-{i:03}\ntitle: Bulk {i}\n---\n\nText {i}.\n"),
        );
    }
    let ev = wait_for(&rx, &server, "bulk", |ev| {
        changed(ev).iter().any(|c| c == "documents/BULK-299.html")
    });
    assert!(changed(&ev).len() > 300, "one event lists every new page");
    sleep_ms(800);
    let mut later = 0;
    while rx.try_recv().is_ok() {
        later += 1;
    }
    let log = server.stderr.lock().unwrap().clone();
    let rebuilds = log.matches("rebuilt in").count();
    assert!(
        rebuilds <= 2 && later <= 1,
        "300 files should not cause many rebuilds ({rebuilds}):\n{log}"
    );
    assert_eq!(get(&server.addr, "/documents/BULK-123.html").status, 200);
}

#[test]
fn errors_show_in_the_overlay_until_fixed() {
    let (_tmp, root) = temp_copy(&sample());
    let server = start(&root);
    let rx = events(&server.addr);
    let good = get(&server.addr, &format!("/{RISK_PAGE}")).text();

    let text = std::fs::read_to_string(root.join(RISK)).unwrap();
    let bad = replace_line_containing(&text, "tags: [risk]", "tags: [risk]\ncontrols: [A.6.2.9]");
    std::fs::write(root.join(RISK), &bad).unwrap();
    let ev = wait_for(&rx, &server, "error", |ev| {
        ev["errors"].as_array().is_some_and(|e| !e.is_empty())
    });
    let e = &ev["errors"][0];
    assert_eq!(e["file"], RISK);
    let line = bad
        .lines()
        .position(|l| l.starts_with("controls:"))
        .unwrap()
        + 1;
    assert_eq!(e["line"], line, "{e}");
    assert_eq!(e["column"], 12, "{e}");
    assert_eq!(e["code"], "AIMS0101");
    assert!(e["message"].as_str().unwrap().contains("A.6.2.9"), "{e}");
    assert!(e["suggestion"].as_str().unwrap().contains("A.6.2.8"), "{e}");
    assert!(
        changed(&ev).is_empty(),
        "nothing is published while there are errors"
    );

    // The last good page stays served, with the script that shows the overlay.
    let page = get(&server.addr, &format!("/{RISK_PAGE}"));
    assert_eq!(page.status, 200);
    assert_eq!(page.text(), good);
    assert!(page.text().contains("aimsdoc-overlay"));
    // A page opened now (a new stream) gets the errors at once.
    let rx2 = {
        let mut s = TcpStream::connect(&server.addr).unwrap();
        write!(s, "GET /__aimsdoc/events HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        s.set_read_timeout(Some(WAIT)).unwrap();
        let mut r = BufReader::new(s);
        let mut first = None;
        let mut line = String::new();
        while first.is_none() && r.read_line(&mut line).unwrap_or(0) > 0 {
            if let Some(j) = line.trim_end().strip_prefix("data: ") {
                first = serde_json::from_str::<Value>(j).ok();
            }
            line.clear();
        }
        first.expect("state on connect")
    };
    assert_eq!(rx2["errors"][0]["code"], "AIMS0101");
    assert!(
        server.stderr.lock().unwrap().contains("A.6.2.9"),
        "terminal shows it too"
    );

    // The fix clears the overlay and publishes the page.
    std::fs::write(root.join(RISK), bad.replace("A.6.2.9", "A.6.2.8")).unwrap();
    let ev = wait_for(&rx, &server, "fix", |ev| {
        ev["errors"].as_array().is_some_and(|e| e.is_empty())
    });
    assert!(changed(&ev).iter().any(|c| c == RISK_PAGE), "{ev}");
    assert!(get(&server.addr, "/controls/A.6.2.8.html")
        .text()
        .contains("PRO-RISK-001"));

    // aims.toml gone: still serving, the overlay says why; back: cleared.
    std::fs::rename(root.join("aims.toml"), root.join("aims.toml.away")).unwrap();
    let ev = wait_for(&rx, &server, "aims.toml removed", |ev| {
        ev["errors"].as_array().is_some_and(|e| !e.is_empty())
    });
    assert_eq!(ev["errors"][0]["file"], "aims.toml", "{ev}");
    assert_eq!(get(&server.addr, "/index.html").status, 200);
    std::fs::rename(root.join("aims.toml.away"), root.join("aims.toml")).unwrap();
    wait_for(&rx, &server, "aims.toml back", |ev| {
        ev["errors"].as_array().is_some_and(|e| e.is_empty())
    });
}

#[test]
fn http_answers_like_a_static_server() {
    let (_tmp, root) = temp_copy(&sample());
    let server = start(&root);
    let a = &server.addr;
    for (path, ct) in [
        ("/", "text/html; charset=utf-8"),
        ("/controls/", "text/html; charset=utf-8"),
        ("/static/style.css", "text/css; charset=utf-8"),
        ("/coverage.json", "application/json"),
        ("/soa.csv", "text/csv; charset=utf-8"),
    ] {
        let r = get(a, path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.headers["content-type"], ct, "{path}");
        assert_eq!(r.headers["cache-control"], "no-store", "{path}");
    }
    assert!(get(a, "/").text().contains("/__aimsdoc/events"));
    assert!(!get(a, "/soa.csv").text().contains("__aimsdoc"));
    let r = get(a, "/controls");
    assert_eq!(r.status, 301);
    assert_eq!(r.headers["location"], "/controls/");
    let r = get(a, "/no/such/page.html");
    assert_eq!(r.status, 404);
    assert!(
        r.text().contains("<html") && r.text().contains("__aimsdoc"),
        "a real 404 page"
    );
    let r = raw(a, "HEAD", "/index.html");
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert!(r.headers["content-length"].parse::<usize>().unwrap() > 100);
    for m in ["POST", "PUT", "DELETE", "OPTIONS"] {
        let r = raw(a, m, "/index.html");
        assert_eq!(r.status, 405, "{m}");
        assert_eq!(r.headers["allow"], "GET, HEAD");
    }
    // The build output never carries the script.
    let out = tempfile::tempdir().unwrap();
    build(&root, &out.path().join("site")).expect_code(0);
    for (p, bytes) in tree(&out.path().join("site")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__aimsdoc"),
            "{p}"
        );
    }
}

#[test]
fn traversal_attempts_get_404() {
    let (_tmp, root) = temp_copy(&sample());
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/passwd", root.join("passwd.html")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc", root.join("etc")).unwrap();
    let server = start(&root);
    for target in [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/documents/..%5c..%5c..%5cetc%5cpasswd",
        "/documents\\..\\..\\etc\\passwd",
        "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
        "//etc/passwd",
        "/etc/passwd",
        "/passwd.html",
        "/index.html%00.css",
        "/static/%2e%2e/%2e%2e/aims.toml",
        "/C:/Windows/win.ini",
        "http://127.0.0.1/../etc/passwd",
        "../etc/passwd",
        "/aims.toml",
        "/procedures/ai-risk-management.md",
    ] {
        let r = get(&server.addr, target);
        assert_eq!(r.status, 404, "{target}");
        let body = r.text();
        assert!(!body.contains("root:"), "{target} leaked /etc/passwd");
        assert!(!body.contains("organization"), "{target} leaked aims.toml");
    }
}

#[test]
fn a_port_in_use_is_a_clear_error_and_other_binds_warn() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_aimsdoc"))
        .args(["serve"])
        .arg(sample())
        .args(["--port", &port])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("serve did not exit on a port in use");
        }
        sleep_ms(20);
    };
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("in use") && err.contains("--port"), "{err}");

    let (_tmp, root) = temp_copy(&sample());
    let server = start_with(&root, &["--bind", "0.0.0.0"]);
    let log = server.stderr.lock().unwrap().clone();
    assert!(
        log.contains("warning") && log.contains("internal documents"),
        "{log}"
    );
}

#[test]
fn served_pages_match_a_full_build_after_a_series_of_edits() {
    let (_tmp, root) = temp_copy(&sample());
    let server = start(&root);
    let rx = events(&server.addr);
    let step = |what: &str, page: &str, f: &dyn Fn()| {
        f();
        wait_page_change(&rx, &server, page, what);
    };
    let edit = |rel: &str, from: &str, to: &str| {
        let p = root.join(rel);
        let t = std::fs::read_to_string(&p).unwrap();
        assert!(t.contains(from), "{rel} lacks {from}");
        std::fs::write(&p, t.replacen(from, to, 1)).unwrap();
    };
    step("body", RISK_PAGE, &|| {
        std::fs::write(
            root.join(RISK),
            with_marker(&root, "series [[STD-LOG-001]]"),
        )
        .unwrap()
    });
    step("title", "register.html", &|| {
        edit(
            RISK,
            "title: AI Risk Management Procedure",
            "title: Managing AI Risk",
        )
    });
    step("status", "register.html", &|| {
        edit(RISK, "status: approved", "status: draft")
    });
    step("new document", "documents/PRO-NEW-001.html", &|| {
        write(
            &root,
            "procedures/new/new-procedure.md",
            "---\nid: PRO-NEW-001\ntitle: A New Procedure\ncontrols: [A.6.2.4]\nrelated: [PRO-RISK-001]\n---\n\n# New\n",
        )
    });
    step("soa", "soa.html", &|| {
        edit(
            "soa.yaml",
            "implementation: implemented}",
            "implementation: planned}",
        )
    });
    let out = tempfile::tempdir().unwrap();
    build(&root, &out.path().join("site")).expect_code(0);
    let full: BTreeMap<String, Vec<u8>> = tree(&out.path().join("site"));
    let mut compared = 0;
    for (path, bytes) in &full {
        if path == "manifest.json" || path == ".aimsdoc-output" {
            continue;
        }
        let r = get(&server.addr, &format!("/{path}"));
        assert_eq!(r.status, 200, "{path}");
        let body = if path.ends_with(".html") {
            strip_script(&r.body)
        } else {
            r.body.clone()
        };
        if body != *bytes {
            let _ = std::fs::write("/tmp/wt4-served.html", &body);
            let _ = std::fs::write("/tmp/wt4-built.html", bytes);
        }
        assert!(body == *bytes, "{path} differs from `aimsdoc build`");
        compared += 1;
    }
    assert!(compared > 100, "compared {compared} files");
}

/// Removes the injected `<script>…</script>` before `</body>`.
fn strip_script(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html).into_owned();
    let end = text.rfind("</script></body>").expect("injected script");
    let start = text[..end].rfind("<script>").expect("script start");
    let mut out = text[..start].to_string();
    out.push_str(&text[end + "</script>".len()..]);
    out.into_bytes()
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly_and_leaves_nothing_behind() {
    let (tmp, root) = temp_copy(&sample());
    let before = tree(tmp.path());
    let mut server = start(&root);
    assert_eq!(get(&server.addr, "/").status, 200);
    let pid = server.child.id().to_string();
    let sent = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + WAIT;
    let status = loop {
        if let Some(s) = server.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGINT");
        sleep_ms(20);
    };
    assert!(!status.success() || status.code() == Some(0), "{status:?}");
    assert!(tree(tmp.path()) == before, "serve left files behind");
    assert!(TcpStream::connect(&server.addr).is_err(), "still listening");
}
