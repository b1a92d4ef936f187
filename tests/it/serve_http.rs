//! `aimsdoc serve` over HTTP: content types, methods, 404, folders, traversal attempts sent
//! verbatim over raw sockets, a port in use, binding elsewhere, Ctrl-C.

use crate::common;
use crate::serve_support;

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::Instant;

use common::*;
use serve_support::*;

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

#[test]
fn serve_help_has_examples_and_every_flag() {
    let run = aimsdoc(["serve", "--help"]);
    run.expect_code(0);
    for needle in [
        "Examples",
        "--port",
        "--bind",
        "--open",
        "--today",
        "127.0.0.1",
        "3000",
    ] {
        assert!(run.stdout.contains(needle), "serve --help lacks {needle}");
    }
    assert!(aimsdoc(["--help"]).stdout.contains("serve"));
    let bad = aimsdoc(["serve", ".", "--bind", "not-an-address"]);
    bad.expect_code(2);
}
