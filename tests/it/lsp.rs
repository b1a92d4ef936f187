//! `aimsdoc lsp` over its real stdin and stdout, framed as an editor frames it: the
//! handshake, the diagnostics of an opened document, a clean shutdown. (The features are
//! tested from a real LSP client in `tests/lsp/`, run by `scripts/lsp-tests.sh`.)

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::*;

/// How long the test waits for a message before it fails (the server is a debug build on a
/// busy machine; this is a deadline, not a measurement).
const DEADLINE: Duration = Duration::from_secs(60);

fn send(stdin: &mut ChildStdin, msg: &Value) {
    let body = msg.to_string();
    write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
    stdin.flush().unwrap();
}

/// Reads framed messages from the server's stdout into a channel.
fn reader(child: &mut Child) -> mpsc::Receiver<Value> {
    let (tx, rx) = mpsc::channel();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    std::thread::spawn(move || loop {
        let mut len = None;
        loop {
            let mut line = String::new();
            if out.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                len = n.parse::<usize>().ok();
            }
        }
        let mut body = vec![0; len.unwrap()];
        out.read_exact(&mut body).unwrap();
        if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
            return;
        }
    });
    rx
}

fn next_where(rx: &mpsc::Receiver<Value>, pred: impl Fn(&Value) -> bool) -> Value {
    loop {
        let msg = rx.recv_timeout(DEADLINE).expect("the server answers");
        if pred(&msg) {
            return msg;
        }
    }
}

#[test]
fn the_server_publishes_the_diagnostics_of_an_open_document_and_shuts_down_cleanly() {
    let (_tmp, root) = temp_copy(&fixture("unknown-control"));
    let path = root.join("policies/ai-policy.md");
    let uri = format!("file://{}", path.display());
    let text = std::fs::read_to_string(&path).unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("aimsdoc"))
        .args(["lsp", "--today", "2026-11-23"])
        .arg(&root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let rx = reader(&mut child);
    let mut stdin = child.stdin.take().unwrap();
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"processId": null, "rootUri": null, "capabilities": {}}}),
    );
    let init = next_where(&rx, |m| m["id"] == 1);
    assert_eq!(init["result"]["serverInfo"]["name"], "aimsdoc");
    assert_eq!(init["result"]["capabilities"]["hoverProvider"], true);
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}),
    );
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument":
                {"uri": uri, "languageId": "markdown", "version": 7, "text": text}}}),
    );
    let published = next_where(&rx, |m| {
        m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str()
    });
    let diags = published["params"]["diagnostics"].as_array().unwrap();
    assert_eq!(published["params"]["version"], 7);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "AIMS0101");
    // `controls: [A.2.2, A.6.2.9]` is line 5: 0-based line 4, columns 18 to 25.
    assert_eq!(
        diags[0]["range"],
        json!({"start": {"line": 4, "character": 18}, "end": {"line": 4, "character": 25}})
    );

    // An unknown request is an error, and the server goes on.
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 2, "method": "aimsdoc/unknown", "params": {}}),
    );
    assert_eq!(next_where(&rx, |m| m["id"] == 2)["error"]["code"], -32601);

    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "id": 3, "method": "shutdown", "params": null}),
    );
    next_where(&rx, |m| m["id"] == 3);
    send(
        &mut stdin,
        &json!({"jsonrpc": "2.0", "method": "exit", "params": null}),
    );
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
