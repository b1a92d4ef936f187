"""A real LSP client (pytest-lsp) speaking to `aimsdoc lsp` over stdio.

Each test gets its own copy of the fixture AIMS (tests/lsp/aims) and its own server,
started on the debug binary (or $AIMSDOC), with that copy as the editor's workspace folder.
"""

import asyncio
import os
import pathlib
import shutil

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
AIMSDOC = os.environ.get("AIMSDOC", str(REPO / "target" / "debug" / "aimsdoc"))

# Long enough for a slow debug build on a busy machine; a test fails only when the server
# never answers.
DEADLINE = 30.0


@pytest.fixture
def aims(tmp_path: pathlib.Path) -> pathlib.Path:
    """A fresh copy of the fixture AIMS."""
    root = tmp_path / "aims"
    shutil.copytree(HERE / "aims", root)
    return root


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[AIMSDOC, "lsp", "--today", "2026-11-23"]),
)
async def client(lsp_client: LanguageClient, aims: pathlib.Path):
    uri = aims.as_uri()
    lsp_client.init_result = await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            root_uri=uri,
            workspace_folders=[types.WorkspaceFolder(uri=uri, name="aims")],
        )
    )
    yield
    await lsp_client.shutdown_session()


def utf16_col(line: str, index: int) -> int:
    """The LSP column (UTF-16 code units) of the character at `index` of `line`."""
    return len(line[:index].encode("utf-16-le")) // 2


def position_of(text: str, needle: str, skip: int = 0) -> types.Position:
    """The LSP position of the start of `needle` in `text` (+ `skip` characters)."""
    i = text.index(needle) + skip
    line = text.count("\n", 0, i)
    start = text.rfind("\n", 0, i) + 1
    return types.Position(line=line, character=utf16_col(text[start:], i - start))


class Doc:
    """A document open in the client, edited by replacing ranges."""

    def __init__(self, client: LanguageClient, path: pathlib.Path, text: str | None = None):
        self.client = client
        self.uri = path.as_uri()
        self.text = path.read_text(encoding="utf-8") if text is None else text
        self.version = 1
        client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                text_document=types.TextDocumentItem(
                    uri=self.uri, language_id="markdown", version=1, text=self.text
                )
            )
        )

    def replace(self, old: str, new: str) -> None:
        """Replaces the first `old` with `new`, sending the change as a range edit."""
        start = position_of(self.text, old)
        end = position_of(self.text, old, len(old))
        self.edit(types.Range(start=start, end=end), new)
        self.text = self.text.replace(old, new, 1)

    def edit(self, rng: types.Range, new: str) -> None:
        self.version += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=self.uri, version=self.version
                ),
                content_changes=[
                    types.TextDocumentContentChangePartial(range=rng, text=new)
                ],
            )
        )

    def set_text(self, text: str) -> None:
        """Replaces the whole text."""
        self.version += 1
        self.text = text
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=self.uri, version=self.version
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    def at(self, needle: str, skip: int = 0) -> types.TextDocumentPositionParams:
        return types.TextDocumentPositionParams(
            text_document=types.TextDocumentIdentifier(uri=self.uri),
            position=position_of(self.text, needle, skip),
        )

    async def diagnostics(self, predicate) -> list[types.Diagnostic]:
        """Waits until the diagnostics published for this document satisfy `predicate`."""

        async def poll():
            while True:
                found = self.client.diagnostics.get(self.uri)
                if found is not None and predicate(found):
                    return list(found)
                await asyncio.sleep(0.02)

        return await asyncio.wait_for(poll(), DEADLINE)


def codes(diagnostics) -> list[str]:
    return [str(d.code) for d in diagnostics]
