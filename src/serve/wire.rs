//! HTTP/1.1 messages as `aimsdoc serve` reads and writes them: a request head read from a
//! socket within a size and a time budget (parsed by `httparse`), and a response written with
//! a `Content-Length`, a per-write timeout and a deadline for the whole response.
//!
//! Bodies are never read: a request that announces one is answered and its connection closed.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::ops::Range;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The limits of the HTTP server: connections, sizes and times.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Connections served at once (event streams included).
    pub max_connections: usize,
    /// Event streams open at once (the oldest is closed to make room).
    pub max_streams: usize,
    /// Longest request line (method, target, version), in bytes; longer gets 414.
    pub max_request_line: usize,
    /// Longest header section after the request line, in bytes; longer gets 431.
    pub max_header_bytes: usize,
    /// Most header fields in one request; more gets 431.
    pub max_headers: usize,
    /// Requests answered on one connection before it is closed.
    pub max_requests: usize,
    /// How long a connection may wait for the first byte of a request.
    pub idle_timeout: Duration,
    /// How long the whole head of a request may take once its first byte arrived (408).
    pub head_timeout: Duration,
    /// How long one write may stall (the client reads nothing) before the connection closes.
    pub write_timeout: Duration,
    /// Time allowed for any response, on top of [`Limits::per_mib`] for each MiB of it.
    pub response_base: Duration,
    /// Time allowed per MiB of a response (a floor on the rate a client must read at).
    pub per_mib: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 256,
            max_streams: 64,
            max_request_line: 8 * 1024,
            max_header_bytes: 32 * 1024,
            max_headers: 100,
            max_requests: 1000,
            idle_timeout: Duration::from_secs(15),
            head_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            response_base: Duration::from_secs(60),
            per_mib: Duration::from_secs(4),
        }
    }
}

/// One request head.
#[derive(Debug, Clone)]
pub struct Request {
    /// `GET`, `HEAD`, …
    pub method: String,
    /// The request target, verbatim.
    pub target: String,
    /// 0 for HTTP/1.0, 1 for HTTP/1.1.
    pub minor_version: u8,
    /// Header fields in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The address of this server the client connected to.
    pub local: Option<SocketAddr>,
}

impl Request {
    /// Every value of header `name` (case-insensitive).
    pub fn header_values<'a, 'n>(&'a self, name: &'n str) -> impl Iterator<Item = &'a str> + 'n
    where
        'a: 'n,
    {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of header `name`.
    pub fn header<'a>(&'a self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the client may send another request on this connection after the response:
    /// HTTP/1.1 without `Connection: close`. HTTP/1.0 connections are always closed (even with
    /// `Connection: keep-alive`), and the response says so.
    pub fn keep_alive(&self) -> bool {
        let close = self
            .header_values("connection")
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case("close"));
        self.minor_version >= 1 && !close
    }

    /// Whether a body follows the head (never read, so the connection cannot be reused).
    pub fn has_body(&self) -> bool {
        self.header("transfer-encoding").is_some()
            || self
                .header_values("content-length")
                .any(|v| v.trim() != "0")
    }
}

/// One part of a response body.
#[derive(Debug, Clone)]
pub enum Part {
    /// Bytes compiled into the binary.
    Static(&'static [u8]),
    /// Bytes made for this response.
    Owned(Vec<u8>),
    /// A range of a page shared with the site (not copied per response).
    Shared(Arc<Vec<u8>>, Range<usize>),
}

impl Part {
    fn bytes(&self) -> &[u8] {
        match self {
            Part::Static(b) => b,
            Part::Owned(b) => b,
            Part::Shared(b, r) => b.get(r.clone()).unwrap_or_default(),
        }
    }
}

/// A response: status, header fields, body.
#[derive(Debug, Clone)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Header fields besides `Content-Length`, `Date` and `Connection`.
    pub headers: Vec<(&'static str, String)>,
    /// The body, in parts.
    pub body: Vec<Part>,
    /// Close the connection after this response.
    pub close: bool,
}

impl Response {
    /// A response of `content_type` with `Cache-Control: no-store`.
    pub fn new(status: u16, content_type: &str, body: Vec<Part>) -> Response {
        Response {
            status,
            headers: vec![
                ("Content-Type", content_type.to_string()),
                ("Cache-Control", "no-store".to_string()),
            ],
            body,
            close: false,
        }
    }

    /// A short plain-text response.
    pub fn text(status: u16, message: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            vec![Part::Owned(message.as_bytes().to_vec())],
        )
    }

    /// Adds a header field.
    pub fn with_header(mut self, name: &'static str, value: &str) -> Response {
        self.headers.push((name, value.to_string()));
        self
    }

    /// Marks the connection to be closed after this response.
    pub fn closing(mut self) -> Response {
        self.close = true;
        self
    }

    /// Length of the body in bytes.
    pub fn body_len(&self) -> usize {
        self.body.iter().map(|p| p.bytes().len()).sum()
    }
}

/// The reason phrase of a status code.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

/// Why no request head was read.
#[derive(Debug, PartialEq, Eq)]
pub enum HeadError {
    /// The connection closed, failed or stayed idle before a request began: close silently.
    Closed,
    /// A request began but its head did not arrive in time (408).
    TimedOut,
    /// The request line is too long (414).
    LineTooLong,
    /// The header section is too large or has too many fields (431).
    HeadersTooLarge,
    /// Not an HTTP/1.x request head (400).
    Malformed,
    /// Not HTTP/1.0 or 1.1 (505).
    Version,
}

impl HeadError {
    /// The error response for this failure, if one is sent.
    pub fn response(&self) -> Option<Response> {
        let (status, text) = match self {
            HeadError::Closed => return None,
            HeadError::TimedOut => (408, "the request head did not arrive in time"),
            HeadError::LineTooLong => (414, "the request line is too long"),
            HeadError::HeadersTooLarge => (431, "the request header fields are too large"),
            HeadError::Malformed => (400, "not an HTTP/1.1 request"),
            HeadError::Version => (505, "aimsdoc serve speaks HTTP/1.0 and HTTP/1.1"),
        };
        Some(Response::text(status, &format!("{status} {}: {text}\n", reason(status))).closing())
    }
}

/// Parses a complete head at the start of `buf`: `Ok(None)` while more bytes are needed,
/// otherwise the request and the length of its head.
pub fn parse_head(buf: &[u8], limits: &Limits) -> Result<Option<(Request, usize)>, HeadError> {
    let start = buf
        .iter()
        .position(|b| *b != b'\r' && *b != b'\n')
        .unwrap_or(buf.len());
    let line = &buf[start..];
    let line_end = line.iter().position(|b| *b == b'\n');
    match line_end {
        Some(end) if end > limits.max_request_line => return Err(HeadError::LineTooLong),
        None if line.len() > limits.max_request_line => return Err(HeadError::LineTooLong),
        _ => {}
    }
    // Bytes of the header section (after the request line) among the first `upto`.
    let header_bytes = |upto: usize| line_end.map_or(0, |end| upto.saturating_sub(start + end + 1));
    let mut fields = vec![httparse::EMPTY_HEADER; limits.max_headers];
    let mut req = httparse::Request::new(&mut fields);
    let status = req.parse(buf).map_err(|e| match e {
        httparse::Error::TooManyHeaders => HeadError::HeadersTooLarge,
        httparse::Error::Version => HeadError::Version,
        _ => HeadError::Malformed,
    });
    let too_big = header_bytes(buf.len()) > limits.max_header_bytes;
    let len = match status {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) if too_big => return Err(HeadError::HeadersTooLarge),
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) if too_big && e == HeadError::Malformed => return Err(HeadError::HeadersTooLarge),
        Err(e) => return Err(e),
    };
    if header_bytes(len) > limits.max_header_bytes {
        return Err(HeadError::HeadersTooLarge);
    }
    let (Some(method), Some(target), Some(minor_version)) = (req.method, req.path, req.version)
    else {
        return Err(HeadError::Malformed);
    };
    let headers = req
        .headers
        .iter()
        .map(|h| {
            let value = std::str::from_utf8(h.value).map_err(|_| HeadError::Malformed)?;
            Ok((h.name.to_string(), value.to_string()))
        })
        .collect::<Result<Vec<_>, HeadError>>()?;
    Ok(Some((
        Request {
            method: method.to_string(),
            target: target.to_string(),
            minor_version,
            headers,
            local: None,
        },
        len,
    )))
}

/// Reads the next request head from `stream`. `buf` holds bytes already read past the
/// previous head (pipelined requests) and keeps what follows this one.
pub fn read_head(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    limits: &Limits,
) -> Result<Request, HeadError> {
    let mut deadline = (!buf.is_empty()).then(|| Instant::now() + limits.head_timeout);
    let mut chunk = [0u8; 8192];
    loop {
        if let Some((mut req, len)) = parse_head(buf, limits)? {
            buf.drain(..len);
            req.local = stream.local_addr().ok();
            return Ok(req);
        }
        let wait = match deadline {
            None => limits.idle_timeout,
            Some(d) => d
                .checked_duration_since(Instant::now())
                .filter(|left| !left.is_zero())
                .ok_or(HeadError::TimedOut)?,
        };
        stream
            .set_read_timeout(Some(wait))
            .map_err(|_| HeadError::Closed)?;
        match stream.read(&mut chunk) {
            Ok(0) => return Err(HeadError::Closed),
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                deadline.get_or_insert_with(|| Instant::now() + limits.head_timeout);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if is_timeout(&e) && deadline.is_some() => return Err(HeadError::TimedOut),
            Err(_) => return Err(HeadError::Closed),
        }
    }
}

/// Whether an I/O error is a socket timeout.
pub fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

fn http_date() -> String {
    let fmt = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::OffsetDateTime::now_utc()
        .format(fmt)
        .unwrap_or_default()
}

/// The head of `resp` as sent.
pub fn head_bytes(resp: &Response, keep_alive: bool) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", resp.status, reason(resp.status));
    for (name, value) in &resp.headers {
        // Values are ours; a stray line break would split the head.
        let value: String = value.chars().filter(|c| !c.is_control()).collect();
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n", resp.body_len()));
    head.push_str(&format!("Date: {}\r\n", http_date()));
    if !keep_alive {
        head.push_str("Connection: close\r\n");
    }
    head.push_str("\r\n");
    head.into_bytes()
}

/// The whole of a small response (head and body) with `Connection: close`.
pub fn response_bytes(resp: &Response) -> Vec<u8> {
    let mut out = head_bytes(resp, false);
    for part in &resp.body {
        out.extend_from_slice(part.bytes());
    }
    out
}

/// Writes `resp` (only its head when `head_only`). Fails when one write stalls longer than
/// the socket's write timeout or the whole response takes longer than the limits allow
/// (checked between writes, so a client reading a trickle cannot hold the connection).
pub fn write_response(
    stream: &mut TcpStream,
    resp: &Response,
    head_only: bool,
    keep_alive: bool,
    limits: &Limits,
) -> io::Result<()> {
    const SMALL: usize = 16 * 1024;
    let len = resp.body_len();
    let mib = u32::try_from(len / (1024 * 1024) + 1).unwrap_or(u32::MAX);
    let deadline = Instant::now() + limits.response_base + limits.per_mib.saturating_mul(mib);
    let mut head = head_bytes(resp, keep_alive);
    if head_only {
        return send(stream, &head, deadline);
    }
    if len <= SMALL {
        // One write for a small response.
        for part in &resp.body {
            head.extend_from_slice(part.bytes());
        }
        return send(stream, &head, deadline);
    }
    send(stream, &head, deadline)?;
    for part in &resp.body {
        send(stream, part.bytes(), deadline)?;
    }
    Ok(())
}

fn send(stream: &mut TcpStream, mut bytes: &[u8], deadline: Instant) -> io::Result<()> {
    const SLICE: usize = 256 * 1024;
    while !bytes.is_empty() {
        if Instant::now() > deadline {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client reads too slowly",
            ));
        }
        match stream.write(&bytes[..bytes.len().min(SLICE)]) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Option<(Request, usize)>, HeadError> {
        parse_head(s.as_bytes(), &Limits::default())
    }

    #[test]
    fn parses_a_head_and_leaves_what_follows() {
        let text = "GET /a?b HTTP/1.1\r\nHost: x\r\nConnection: Keep-Alive, close\r\n\r\nGET";
        let (req, len) = parse(text).unwrap().unwrap();
        assert_eq!(req.method, "GET");
        assert_eq!(req.target, "/a?b");
        assert_eq!(req.header("HOST"), Some("x"));
        assert!(!req.keep_alive());
        assert_eq!(&text[len..], "GET");
        assert_eq!(
            parse("GET / HTTP/1.1\r\nHost: x\r\n").unwrap().map(|r| r.1),
            None
        );
    }

    #[test]
    fn keep_alive_only_for_http_1_1() {
        let (r, _) = parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            .unwrap()
            .unwrap();
        assert!(!r.keep_alive());
        let (r, _) = parse("GET / HTTP/1.1\r\n\r\n").unwrap().unwrap();
        assert!(r.keep_alive() && !r.has_body());
        let (r, _) = parse("GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\n")
            .unwrap()
            .unwrap();
        assert!(r.has_body());
    }

    #[test]
    fn limits_give_414_and_431() {
        let limits = Limits::default();
        let long = format!("GET /{} HTTP/1.1\r\n", "a".repeat(limits.max_request_line));
        assert_eq!(parse(&long).unwrap_err(), HeadError::LineTooLong);
        // Still no end of line, already too long.
        assert_eq!(
            parse(&long[..long.len() - 12]).unwrap_err(),
            HeadError::LineTooLong
        );
        let big = format!(
            "GET / HTTP/1.1\r\nX: {}\r\n",
            "b".repeat(limits.max_header_bytes)
        );
        assert_eq!(parse(&big).unwrap_err(), HeadError::HeadersTooLarge);
        let many: String = (0..=limits.max_headers)
            .map(|i| format!("X-{i}: 1\r\n"))
            .collect();
        let many = format!("GET / HTTP/1.1\r\n{many}\r\n");
        assert_eq!(parse(&many).unwrap_err(), HeadError::HeadersTooLarge);
        assert_eq!(
            parse("GET / HTTP/2.0\r\n\r\n").unwrap_err(),
            HeadError::Version
        );
        assert_eq!(
            parse("\x16\x03\x01\r\n\r\n").unwrap_err(),
            HeadError::Malformed
        );
        assert_eq!(HeadError::LineTooLong.response().unwrap().status, 414);
        assert_eq!(HeadError::HeadersTooLarge.response().unwrap().status, 431);
        assert!(HeadError::Closed.response().is_none());
    }

    #[test]
    fn head_has_length_and_connection() {
        let r = Response::text(200, "hi");
        let head = String::from_utf8(head_bytes(&r, false)).unwrap();
        assert!(head.starts_with("HTTP/1.1 200 OK\r\n"));
        assert!(head.contains("Content-Length: 2\r\n"));
        assert!(head.contains("Connection: close\r\n"));
        assert!(head.contains(" GMT\r\n"));
        let head = String::from_utf8(head_bytes(&r, true)).unwrap();
        assert!(!head.contains("Connection:"));
    }

    #[test]
    fn a_trickling_reader_cannot_hold_a_response_past_its_deadline() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let (mut server, _) = l.accept().unwrap();
        let reader = std::thread::spawn(move || {
            // 64 KiB every 20 ms: about 3 MB/s, far too slow for 64 MiB in the time allowed.
            let mut buf = vec![0u8; 64 * 1024];
            let mut total = 0;
            while let Ok(n) = client.read(&mut buf) {
                if n == 0 {
                    break;
                }
                total += n;
                std::thread::sleep(Duration::from_millis(20));
            }
            total
        });
        let limits = Limits {
            response_base: Duration::from_millis(300),
            per_mib: Duration::ZERO,
            ..Limits::default()
        };
        let body = Arc::new(vec![b'x'; 64 << 20]);
        let resp = Response::new(200, "text/plain", vec![Part::Shared(body, 0..64 << 20)]);
        let err = write_response(&mut server, &resp, false, true, &limits).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        drop(server);
        assert!(reader.join().unwrap() < 64 << 20);
    }
}
