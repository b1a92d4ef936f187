"""Benchmark of `aimsdoc lsp`: time from an edit (didChange) to the diagnostics of that
edit (publishDiagnostics with its version), and the server's memory over a long session.

    bash scripts/lsp-tests.sh --co -q      # once: creates target/lsp-venv (pygls)
    cargo build --release --bin aimsdoc --example gencorpus
    target/lsp-venv/bin/python scripts/bench-lsp.py [--docs 1000] [--edits 1000]

Generates (or reuses) a corpus of N documents with the bench corpus generator
(examples/gencorpus.rs) under target/bench-lsp, starts the release binary as
`aimsdoc lsp CORPUS`, opens one document and edits it EDITS times, one edit at a time: each
edit rewrites a word of the body, and every twentieth writes a reference to an unknown
control there (the next takes it away), so diagnostics come and go. Prints the median, p90 and maximum latency and the server's
resident memory (VmRSS) after opening and after each hundred edits. Not a test: nothing
here asserts a time; BENCHMARKS.md records the results.
"""

import argparse
import asyncio
import pathlib
import statistics
import subprocess
import sys
import time

from lsprotocol import types
from pygls.lsp.client import BaseLanguageClient

ROOT = pathlib.Path(__file__).resolve().parent.parent


def rss_kib(pid: int) -> int:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def corpus(n: int, seed: int) -> pathlib.Path:
    out = ROOT / "target" / "bench-lsp" / f"n{n}-s{seed}"
    if not (out / "aims.toml").exists():
        out.mkdir(parents=True, exist_ok=True)
        gen = ROOT / "target" / "release" / "examples" / "gencorpus"
        subprocess.run([str(gen), str(n), str(out), "--seed", str(seed)], check=True)
    return out


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=42001)
    ap.add_argument("--aimsdoc", default=str(ROOT / "target" / "release" / "aimsdoc"))
    args = ap.parse_args()

    aims = corpus(args.docs, args.seed)
    path = sorted((aims / "docs").rglob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    uri = path.as_uri()

    client = BaseLanguageClient("aimsdoc-bench", "1")
    published: dict[int, float] = {}
    arrived = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: types.PublishDiagnosticsParams):
        if params.uri == uri and params.version is not None:
            published[params.version] = time.perf_counter()
            arrived.set()

    await client.start_io(args.aimsdoc, "lsp", str(aims), "--today", "2026-11-23")
    pid = client._server.pid
    compile_ms: list[int] = []
    stages: dict[str, list[float]] = {}  # with AIMSDOC_TIMINGS=1: the pipeline's stages

    async def drain_stderr():
        # The server logs each compile ("compiled change N in M ms ...").
        while line := await client._server.stderr.readline():
            words = line.decode(errors="replace").split()
            if words[:1] == ["timing:"]:
                stages.setdefault(words[1], []).append(float(words[2]))
            if "compiled" in words and "ms" in words:
                compile_ms.append(int(words[words.index("ms") - 1]))

    drainer = asyncio.create_task(drain_stderr())
    await client.initialize_async(
        types.InitializeParams(capabilities=types.ClientCapabilities(), root_uri=aims.as_uri())
    )
    client.initialized(types.InitializedParams())

    async def wait_for(version: int) -> float:
        while version not in published:
            arrived.clear()
            await asyncio.wait_for(arrived.wait(), 120)
        return published[version]

    t0 = time.perf_counter()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
        )
    )
    first = await wait_for(1) - t0
    rss = [(0, rss_kib(pid))]
    print(f"{args.docs} documents; first diagnostics after opening: {first * 1000:.0f} ms", file=sys.stderr)

    lines = text.split("\n")
    fm_end = next(i for i, l in enumerate(lines) if i > 0 and l.strip() == "---")
    body_line = next(
        i for i, l in enumerate(lines) if i > fm_end and l[:1].isalpha()
    )
    latencies = []
    for i in range(1, args.edits + 1):
        version = i + 1
        # Eleven characters at the start of a body line; every twentieth edit (from the
        # tenth) writes a reference to an unknown control there, the next takes it away.
        word = "[[A.6.2.9]]" if i % 20 == 10 else f"e{i:09d} "
        changes = [
            types.TextDocumentContentChangePartial(
                range=types.Range(
                    start=types.Position(line=body_line, character=0),
                    end=types.Position(line=body_line, character=0 if i == 1 else len(word)),
                ),
                text=word,
            )
        ]
        sent = time.perf_counter()
        client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=changes,
            )
        )
        latencies.append(await wait_for(version) - sent)
        if i % 100 == 0:
            rss.append((i, rss_kib(pid)))

    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    drainer.cancel()

    ms = sorted(x * 1000 for x in latencies)
    p90 = ms[min(len(ms) - 1, int(len(ms) * 0.9))]
    print(f"edits: {len(ms)}")
    print(f"didChange -> publishDiagnostics: median {statistics.median(ms):.0f} ms, p90 {p90:.0f} ms, max {ms[-1]:.0f} ms")
    if compile_ms:
        cm = sorted(compile_ms[1:]) or compile_ms
        print(f"compile (server log, debounce excluded): median {statistics.median(cm):.0f} ms, max {cm[-1]} ms")
    for stage, times in stages.items():
        print(f"  stage {stage}: median {statistics.median(times):.1f} ms")
    print("RSS (MiB) after opening and every 100 edits: " + ", ".join(f"{n}: {kib / 1024:.1f}" for n, kib in rss))


if __name__ == "__main__":
    asyncio.run(main())
