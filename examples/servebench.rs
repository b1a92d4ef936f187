//! Live-reload latency of `aimsdoc serve`: from saving a document to the reload event
//! arriving at a client of the event stream, as a browser would see it.
//!
//! ```text
//! cargo build --release
//! cargo run --release --example servebench -- DIR [--edits 50] [--doc REL.md] [--pause-ms 150]
//!                                               [--bin target/release/aimsdoc]
//! ```
//!
//! It starts `aimsdoc serve DIR --port 0`, connects to `/__aimsdoc/events` over a raw socket,
//! then `--edits` times rewrites the document (in place, a new sentence at its end each time),
//! timing from just before the write to the event that lists the document's page. After
//! each event it fetches the page and checks the new sentence is there. It prints the median,
//! p95 and max latency, and the server's resident memory (VmRSS) after the first edit and at
//! the end. The document is restored and the server stopped at the end.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

struct Args {
    dir: PathBuf,
    edits: usize,
    doc: Option<PathBuf>,
    pause: Duration,
    bin: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let mut a = Args {
        dir: PathBuf::new(),
        edits: 50,
        doc: None,
        pause: Duration::from_millis(150),
        bin: PathBuf::from("target/release/aimsdoc"),
    };
    while let Some(x) = it.next() {
        let mut val = || it.next().ok_or(format!("{x} needs a value"));
        match x.as_str() {
            "--edits" => a.edits = val()?.parse().map_err(|e| format!("--edits: {e}"))?,
            "--doc" => a.doc = Some(PathBuf::from(val()?)),
            "--pause-ms" => {
                a.pause = Duration::from_millis(val()?.parse().map_err(|e| format!("{e}"))?)
            }
            "--bin" => a.bin = PathBuf::from(val()?),
            d if !d.starts_with('-') && a.dir.as_os_str().is_empty() => a.dir = PathBuf::from(d),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if a.dir.as_os_str().is_empty() {
        return Err(
            "usage: servebench DIR [--edits N] [--doc REL.md] [--pause-ms MS] [--bin PATH]".into(),
        );
    }
    Ok(a)
}

/// The first `*.md` with an `id:` in its front matter, sorted by path.
fn pick_doc(dir: &Path) -> Option<PathBuf> {
    let mut stack = vec![dir.to_path_buf()];
    let mut found = Vec::new();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).ok()?.flatten() {
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || name.starts_with('_') {
                continue;
            }
            if p.is_dir() {
                stack.push(p);
            } else if name.ends_with(".md") && doc_id(&p).is_some() {
                found.push(p.strip_prefix(dir).ok()?.to_path_buf());
            }
        }
    }
    found.sort();
    found.into_iter().next()
}

fn doc_id(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let fm = text.strip_prefix("---\n")?;
    let end = fm.find("\n---")?;
    fm[..end]
        .lines()
        .find_map(|l| l.strip_prefix("id:"))
        .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn rss_kb(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
}

fn get(addr: &str, path: &str) -> std::io::Result<String> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )?;
    let mut out = Vec::new();
    s.read_to_end(&mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

fn events(addr: &str) -> std::io::Result<Receiver<(Instant, String)>> {
    let mut s = TcpStream::connect(addr)?;
    s.set_nodelay(true)?;
    write!(s, "GET /__aimsdoc/events HTTP/1.1\r\nHost: {addr}\r\n\r\n")?;
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(data) = line.strip_prefix("data: ") {
                if tx.send((Instant::now(), data.to_string())).is_err() {
                    break;
                }
            }
        }
    });
    Ok(rx)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() -> Result<(), String> {
    let a = parse_args()?;
    let rel = match &a.doc {
        Some(d) => d.clone(),
        None => pick_doc(&a.dir).ok_or("no document found")?,
    };
    let path = a.dir.join(&rel);
    let id = doc_id(&path).ok_or(format!("{} has no id", path.display()))?;
    let page = format!("documents/{id}.html");
    let original = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;

    let mut child = Command::new(&a.bin)
        .arg("serve")
        .arg(&a.dir)
        .args(["--port", "0", "--today", "2026-11-23"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", a.bin.display()))?;
    let pid = child.id();
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let server = Server(child);
    let mut lines = BufReader::new(stderr).lines();
    let addr = loop {
        let line = lines
            .next()
            .ok_or("server exited before printing its URL")?
            .map_err(|e| e.to_string())?;
        eprintln!("server: {line}");
        if let Some(url) = line.split_whitespace().find(|w| w.starts_with("http://")) {
            break url
                .trim_start_matches("http://")
                .trim_end_matches('/')
                .to_string();
        }
    };
    // Keep draining the server's log so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    let rx = events(&addr).map_err(|e| e.to_string())?;
    let _ = rx.recv_timeout(Duration::from_secs(10)); // the state sent on connect

    let mut lat = Vec::with_capacity(a.edits);
    let mut rss_first = None;
    let base = original.trim_end().to_string();
    let result = (|| -> Result<(), String> {
        for i in 0..a.edits {
            let text = format!("{base}\n\nBenchmark edit number {i} of the live reload test.\n");
            let t0 = Instant::now();
            std::fs::write(&path, &text).map_err(|e| e.to_string())?;
            let deadline = t0 + Duration::from_secs(10);
            let arrived = loop {
                let left = deadline.saturating_duration_since(Instant::now());
                let (at, data) = rx
                    .recv_timeout(left)
                    .map_err(|_| format!("edit {i}: no event within 10 s"))?;
                if data.contains(&format!("\"{page}\"")) {
                    break at;
                }
            };
            lat.push(arrived.duration_since(t0).as_secs_f64() * 1000.0);
            let body = get(&addr, &format!("/{page}")).map_err(|e| e.to_string())?;
            if !body.contains(&format!("Benchmark edit number {i} ")) {
                return Err(format!("edit {i}: the page does not show the new text"));
            }
            if i == 0 {
                rss_first = rss_kb(pid);
            }
            if a.edits >= 200 && (i + 1) % (a.edits / 4) == 0 {
                if let Some(kb) = rss_kb(pid) {
                    eprintln!(
                        "servebench: after {} edits: RSS {:.1} MB",
                        i + 1,
                        kb as f64 / 1024.0
                    );
                }
            }
            std::thread::sleep(a.pause);
        }
        Ok(())
    })();
    let rss_last = rss_kb(pid);
    let _ = std::fs::write(&path, &original);
    drop(server);
    result?;

    let mut sorted = lat.clone();
    sorted.sort_by(|x, y| x.total_cmp(y));
    println!(
        "servebench: {} edits of {} ({}): median {:.1} ms, p95 {:.1} ms, min {:.1} ms, max {:.1} ms",
        lat.len(),
        rel.display(),
        a.dir.display(),
        percentile(&sorted, 0.5),
        percentile(&sorted, 0.95),
        sorted.first().copied().unwrap_or(0.0),
        sorted.last().copied().unwrap_or(0.0),
    );
    if let (Some(f), Some(l)) = (rss_first, rss_last) {
        println!(
            "servebench: server RSS after the first edit {:.1} MB, after the last {:.1} MB",
            f as f64 / 1024.0,
            l as f64 / 1024.0
        );
    }
    Ok(())
}
