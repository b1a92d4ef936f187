//! `aimsdoc serve` holds up whatever a client does: event-stream clients and page readers
//! that stop reading, oversized request heads, HTTP/1.0 keep-alive, floods of half-open
//! connections, and requests for other host names (DNS rebinding). Raw sockets to
//! 127.0.0.1; every loop is bounded and every wait ends by itself.

use crate::common;
use crate::serve_support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Instant;

use common::*;
use serve_support::*;

/// The connection limit of `aimsdoc serve` (`Limits::max_connections`).
const MAX_CONNECTIONS: usize = 256;
/// The event-stream limit (`Limits::max_streams`).
const MAX_STREAMS: usize = 64;

/// A connection whose receive buffer is as small as the system allows, so that a server
/// writing to it fills it at once when nothing is read.
fn tiny_window(addr: &str) -> TcpStream {
    use socket2::{Domain, Socket, Type};
    let addr: SocketAddr = addr.parse().unwrap();
    let s = Socket::new(Domain::for_address(addr), Type::STREAM, None).unwrap();
    s.set_recv_buffer_size(2048).unwrap();
    // Small segments keep the server's send buffer small too (it grows with the segment size).
    #[cfg(unix)]
    let _ = s.set_tcp_mss(536);
    s.connect(&addr.into()).unwrap();
    s.into()
}

fn host_get(addr: &str, host: &str, target: &str) -> Resp {
    request(
        addr,
        format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

#[cfg(target_os = "linux")]
fn threads_of(server: &Server) -> usize {
    std::fs::read_dir(format!("/proc/{}/task", server.child.id()))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[cfg(target_os = "linux")]
fn peak_memory_kib(server: &Server) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

#[test]
fn a_stalled_event_stream_does_not_hold_up_the_others() {
    let (_tmp, root) = temp_copy(&sample());
    // 600 broken links: every event then carries 600 errors (about 90 KB), more than a
    // client with a tiny window that reads nothing can take.
    let links: String = (0..600).map(|i| format!("[[NOPE-{i}]]\n\n")).collect();
    let base = std::fs::read_to_string(root.join(RISK)).unwrap();
    let server = start(&root);
    let rx = events(&server.addr);
    let mut stalled = tiny_window(&server.addr);
    write!(
        stalled,
        "GET /__aimsdoc/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        server.addr
    )
    .unwrap();
    let mut last_build = 0;
    for i in 0..6 {
        write(&root, RISK, format!("{base}\n{links}\nSave {i}.\n"));
        let ev = wait_for(&rx, &server, &format!("save {i}"), |ev| {
            ev["build"].as_u64().unwrap_or(0) > last_build
                && ev["errors"].as_array().is_some_and(|e| e.len() >= 600)
        });
        last_build = ev["build"].as_u64().unwrap();
        // Pages and new streams are answered all along.
        assert_eq!(get(&server.addr, "/").status, 200);
        drop(events(&server.addr));
    }
    // The live stream goes on: fixing the file reaches it.
    write(&root, RISK, format!("{base}\nFixed.\n"));
    wait_page_change(&rx, &server, RISK_PAGE, "the fix");
    drop(stalled);
}

#[test]
fn slow_readers_of_a_large_page_do_not_hold_up_the_others() {
    let (_tmp, root) = temp_copy(&sample());
    // Larger than any socket buffer, so a client that reads nothing stalls its writer.
    let big: String = "<p>large page</p>\n".repeat(1 << 20);
    write(
        &root,
        "static/large.html",
        format!("<!doctype html><html><body>{big}</body></html>"),
    );
    let server = start(&root);
    let mut slow = Vec::new();
    for _ in 0..8 {
        let mut s = tiny_window(&server.addr);
        write!(
            s,
            "GET /static/large.html HTTP/1.1\r\nHost: {}\r\n\r\n",
            server.addr
        )
        .unwrap();
        slow.push(s);
    }
    for _ in 0..3 {
        assert_eq!(get(&server.addr, "/").status, 200);
        assert_eq!(get(&server.addr, "/static/style.css").status, 200);
    }
    let page = get(&server.addr, "/static/large.html");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.body.len(),
        page.headers["content-length"].parse::<usize>().unwrap()
    );
    assert!(page.text().ends_with("</script></body></html>"));
    assert!(page.text().contains(&big));
}

#[test]
fn only_requests_for_this_server_are_answered() {
    let (_tmp, root) = temp_copy(&sample());
    let server = start(&root);
    let a = &server.addr;
    let port = a.rsplit(':').next().unwrap();
    for host in [
        a.to_string(),
        "127.0.0.1".into(),
        format!("localhost:{port}"),
        "LocalHost".into(),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(host_get(a, &host, "/").status, 200, "{host}");
    }
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        "localhost.evil.example".into(),
        format!("[::2]:{port}"),
    ] {
        let r = host_get(a, &host, "/");
        assert_eq!(r.status, 421, "{host}");
        assert!(
            r.text().contains("--allow-host"),
            "{host}: the reply says what to do: {}",
            r.text()
        );
        assert!(!r.text().contains("<html"), "{host}: no page");
        let r = host_get(a, &host, "/__aimsdoc/events");
        assert_eq!(r.status, 421, "{host}: no event stream");
    }
    assert!(host_get(a, "evil.example", "/")
        .text()
        .contains("--allow-host evil.example"));
    // HTTP/1.1 needs a Host; an HTTP/1.0 request without one is answered.
    let r = request(a, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(r.status, 400);
    let r = request(a, b"GET / HTTP/1.0\r\n\r\n");
    assert_eq!(r.status, 200);
    // A refused request ends its connection at once, even when the client asked to keep it.
    let twice = format!("GET / HTTP/1.1\r\nHost: {a}\r\nHost: evil.example\r\n\r\n");
    let r = request(a, twice.as_bytes());
    assert_eq!(r.status, 400);
    assert_eq!(
        r.headers.get("connection").map(String::as_str),
        Some("close")
    );
    let r = request(a, b"GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n");
    assert_eq!(r.status, 421);
    assert_eq!(
        r.headers.get("connection").map(String::as_str),
        Some("close")
    );

    // --allow-host adds names (any case, any port); others are still refused.
    let server = start_with(
        &root,
        &[
            "--allow-host",
            "docs.example.internal",
            "--allow-host",
            "intranet",
        ],
    );
    let a = &server.addr;
    assert_eq!(host_get(a, "Docs.Example.Internal:8080", "/").status, 200);
    assert_eq!(host_get(a, "intranet", "/").status, 200);
    assert_eq!(host_get(a, a, "/").status, 200);
    assert_eq!(host_get(a, "evil.example", "/").status, 421);

    let bad = aimsdoc(["serve", ".", "--allow-host", "docs.example:3000"]);
    bad.expect_code(2);
    assert!(bad.stderr.contains("without a port"), "{}", bad.stderr);
    assert!(aimsdoc(["serve", "--help"]).stdout.contains("--allow-host"));
}

#[test]
fn oversized_request_heads_get_414_and_431() {
    let (_tmp, root) = temp_copy(&sample());
    let server = start(&root);
    let a = &server.addr;
    let long = format!(
        "GET /{} HTTP/1.1\r\nHost: {a}\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    let r = request(a, long.as_bytes());
    assert_eq!(r.status, 414);
    assert!(r.text().contains("too long"));
    let fat = format!(
        "GET / HTTP/1.1\r\nHost: {a}\r\nX-Big: {}\r\n\r\n",
        "b".repeat(64 * 1024)
    );
    assert_eq!(request(a, fat.as_bytes()).status, 431);
    let many: String = (0..500).map(|i| format!("X-H{i}: {i}\r\n")).collect();
    let many = format!("GET / HTTP/1.1\r\nHost: {a}\r\n{many}\r\n");
    assert_eq!(request(a, many.as_bytes()).status, 431);
    assert_eq!(
        request(a, b"\x16\x03\x01\x02\x00\x01\x00\r\n\r\n").status,
        400
    );
    assert_eq!(get(a, "/").status, 200, "still serving");
}

#[cfg(target_os = "linux")]
#[test]
fn an_endless_request_line_is_cut_short_without_buffering_it() {
    let (_tmp, root) = temp_copy(&sample());
    let server = start(&root);
    let a = &server.addr;
    assert_eq!(get(a, "/").status, 200);
    let before = peak_memory_kib(&server);
    // Up to 64 MiB of request line, stopping as soon as the server stops reading.
    let mut s = TcpStream::connect(a).unwrap();
    s.set_write_timeout(Some(WAIT)).unwrap();
    s.write_all(b"GET /").unwrap();
    let chunk = vec![b'a'; 1 << 20];
    let mut sent = 0;
    while sent < 64 && s.write_all(&chunk).is_ok() {
        sent += 1;
    }
    let r = parse_response(&read_until_closed(&mut s));
    assert_eq!(r.status, 414);
    assert!(sent < 64, "the server kept reading the request line");
    let grown = peak_memory_kib(&server).saturating_sub(before);
    assert!(grown < 16 * 1024, "serve grew by {grown} KiB");
    assert_eq!(get(a, "/").status, 200);
}

#[test]
fn keep_alive_is_handled_and_http_1_0_replies_end() {
    let (_tmp, root) = temp_copy(&sample());
    let server = start(&root);
    let a = &server.addr;
    // HTTP/1.0 asking for keep-alive: one complete reply, then the server closes.
    let mut s = TcpStream::connect(a).unwrap();
    write!(
        s,
        "GET /soa.csv HTTP/1.0\r\nHost: {a}\r\nConnection: keep-alive\r\n\r\n"
    )
    .unwrap();
    let r = parse_response(&read_until_closed(&mut s));
    assert_eq!(r.status, 200);
    assert_eq!(r.headers["connection"], "close");
    assert_eq!(
        r.body.len(),
        r.headers["content-length"].parse::<usize>().unwrap()
    );
    // HTTP/1.1: two requests on one connection, the second closing it.
    let mut s = TcpStream::connect(a).unwrap();
    write!(
        s,
        "GET /soa.csv HTTP/1.1\r\nHost: {a}\r\n\r\nHEAD / HTTP/1.1\r\nHost: {a}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let all = read_until_closed(&mut s);
    let first = parse_response(&all);
    assert_eq!(first.status, 200);
    assert!(!first.headers.contains_key("connection"));
    let len: usize = first.headers["content-length"].parse().unwrap();
    let second = parse_response(&first.body[len..]);
    assert_eq!(second.status, 200);
    assert_eq!(second.headers["connection"], "close");
    assert!(second.body.is_empty(), "HEAD has no body");
    // A request with a body is answered, then the connection closes.
    let mut s = TcpStream::connect(a).unwrap();
    write!(
        s,
        "POST / HTTP/1.1\r\nHost: {a}\r\nContent-Length: 5\r\n\r\nhello"
    )
    .unwrap();
    let r = parse_response(&read_until_closed(&mut s));
    assert_eq!(r.status, 405);
    assert_eq!(r.headers["connection"], "close");
}

#[test]
fn half_open_connections_are_capped_and_the_server_still_answers() {
    let (_tmp, root) = temp_copy(&sample());
    let server = start(&root);
    let a = &server.addr;
    let mut idle = Vec::new();
    for i in 0..MAX_CONNECTIONS + 150 {
        let mut s = TcpStream::connect(a).unwrap();
        if i % 2 == 0 {
            // Half a request head, never finished.
            write!(s, "GET / HTTP/1.1\r\nHost: {a}\r\n").unwrap();
        }
        idle.push(s);
    }
    // Each new request still gets its page: the longest-waiting connections make room.
    for _ in 0..5 {
        assert_eq!(get(a, "/").status, 200);
    }
    #[cfg(target_os = "linux")]
    {
        let threads = threads_of(&server);
        assert!(
            threads <= MAX_CONNECTIONS + 32,
            "{threads} threads for {} connections",
            idle.len()
        );
    }
    // The connections closed to make room see the end of their stream.
    let is_closed = |s: &mut TcpStream| {
        let mut b = [0u8; 1];
        match s.read(&mut b) {
            // The end, or a last reply (408) before it.
            Ok(n) => n == 0 || n == 1,
            Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
        }
    };
    for s in &mut idle {
        s.set_nonblocking(true).unwrap();
    }
    let deadline = Instant::now() + WAIT;
    let expected = idle.len() - MAX_CONNECTIONS;
    let mut closed = vec![false; idle.len()];
    while closed.iter().filter(|c| **c).count() < expected && Instant::now() < deadline {
        for (s, c) in idle.iter_mut().zip(closed.iter_mut()) {
            *c = *c || is_closed(s);
        }
        sleep_ms(50);
    }
    let closed = closed.iter().filter(|c| **c).count();
    assert!(
        closed >= expected,
        "only {closed} of {} idle connections were closed",
        idle.len()
    );
}

#[test]
fn event_streams_are_capped_oldest_first() {
    let (_tmp, root) = temp_copy(&sample());
    let server = start(&root);
    let a = &server.addr;
    let mut first = TcpStream::connect(a).unwrap();
    write!(first, "GET /__aimsdoc/events HTTP/1.1\r\nHost: {a}\r\n\r\n").unwrap();
    // Wait until it is open (its first event arrived).
    first.set_read_timeout(Some(WAIT)).unwrap();
    let mut got = Vec::new();
    let mut chunk = [0u8; 4096];
    while !got.windows(6).any(|w| w == b"data: ") {
        let n = first.read(&mut chunk).expect("first event");
        assert!(n > 0, "stream closed early");
        got.extend_from_slice(&chunk[..n]);
    }
    let mut others = Vec::new();
    for _ in 0..MAX_STREAMS {
        others.push(events(a));
    }
    // The oldest stream made room for the newest.
    read_until_closed(&mut first);
    assert_eq!(get(a, "/").status, 200);
}
