"""`aimsdoc lsp` end to end, from a real LSP client over stdio (see conftest.py)."""

import asyncio
import pathlib

from lsprotocol import types
from pytest_lsp import LanguageClient

from conftest import DEADLINE, Doc, codes, position_of, utf16_col  # noqa: F401


def no_errors(ds):
    return not any(d.severity == types.DiagnosticSeverity.Error for d in ds)


async def test_initialize_offers_every_feature(client: LanguageClient):
    assert client.init_result.server_info.name == "aimsdoc"
    caps = client.init_result.capabilities
    assert caps.completion_provider is not None
    assert "[" in caps.completion_provider.trigger_characters
    assert caps.hover_provider
    assert caps.definition_provider
    assert caps.references_provider
    assert caps.document_symbol_provider
    assert caps.workspace_symbol_provider
    assert caps.code_action_provider


async def test_unknown_control_is_reported_fixed_and_cleared(client: LanguageClient, aims: pathlib.Path):
    doc = Doc(client, aims / "policies/ai-policy.md")
    await doc.diagnostics(no_errors)

    doc.replace("controls: [A.2.2, A.6.2.8]", "controls: [A.2.2, A.6.2.9]")
    found = await doc.diagnostics(lambda ds: "AIMS0101" in codes(ds))
    d = next(d for d in found if d.code == "AIMS0101")
    assert d.source == "aimsdoc"
    assert d.severity == types.DiagnosticSeverity.Error
    assert "unknown control A.6.2.9" in d.message
    assert "did you mean A.6.2.8" in d.message
    assert d.data["suggestion"].startswith("did you mean A.6.2.8")
    assert d.range.start == position_of(doc.text, "A.6.2.9")
    assert d.range.end == position_of(doc.text, "A.6.2.9", len("A.6.2.9"))

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=doc.uri),
            range=d.range,
            context=types.CodeActionContext(diagnostics=[d]),
        )
    )
    fix = actions[0]
    assert fix.title == "Replace with A.6.2.8"
    assert fix.kind == types.CodeActionKind.QuickFix
    (edit,) = fix.edit.changes[doc.uri]
    assert edit.new_text == "A.6.2.8"
    assert edit.range == d.range

    # Applying the quick fix clears the diagnostic.
    doc.edit(edit.range, edit.new_text)
    doc.text = doc.text.replace("A.6.2.9", "A.6.2.8", 1)
    await doc.diagnostics(lambda ds: "AIMS0101" not in codes(ds))


async def test_positions_after_non_ascii_text_count_utf16_units(client: LanguageClient, aims: pathlib.Path):
    doc = Doc(client, aims / "policies/ai-policy.md")
    await doc.diagnostics(no_errors)
    # The reference comes after "ø" (one unit, two bytes) and "😀" (two units, four bytes).
    doc.replace("[[STD-LOG-001#retention]]", "[[STD-LOG-002#retention]]")
    found = await doc.diagnostics(lambda ds: "AIMS0201" in codes(ds))
    d = next(d for d in found if d.code == "AIMS0201")
    line = doc.text.splitlines()[d.range.start.line]
    assert "😀" in line
    assert d.range.start.character == utf16_col(line, line.index("[[STD-LOG-002"))
    assert d.range.end.character == utf16_col(line, line.index("]]", line.index("[[STD-LOG-002")) + 2)
    fix = d.data["fixes"][0]
    assert fix["newText"] == "STD-LOG-001"
    assert fix["range"]["start"]["character"] == utf16_col(line, line.index("STD-LOG-002"))


async def test_typing_quickly_publishes_the_state_after_the_last_keystroke(client: LanguageClient, aims: pathlib.Path):
    doc = Doc(client, aims / "policies/ai-policy.md")
    await doc.diagnostics(no_errors)
    # Retype the last digit of a control id, one keystroke per change, without waiting:
    # the id passes through unknown and known controls and ends as the unknown A.6.2.0.
    start = position_of(doc.text, "A.6.2.8]", len("A.6.2."))
    end = types.Position(line=start.line, character=start.character + 1)
    for digit in "9753186420":
        doc.edit(types.Range(start=start, end=end), digit)
    found = await doc.diagnostics(lambda ds: any("A.6.2.0" in d.message for d in ds))
    assert [d.message.splitlines()[0] for d in found if d.code == "AIMS0101"] == [
        "unknown control A.6.2.0"
    ]


async def test_problems_in_other_files_are_published_and_cleared(client: LanguageClient, aims: pathlib.Path):
    doc = Doc(client, aims / "policies/ai-policy.md")
    await doc.diagnostics(no_errors)
    logging_uri = (aims / "standards/logging.md").as_uri()
    # Renaming the policy breaks the references to it in a file that is not open.
    doc.replace("id: POL-AI-001", "id: POL-AI-002")

    async def logging_diagnostics(predicate):
        async def poll():
            while not predicate(client.diagnostics.get(logging_uri)):
                await asyncio.sleep(0.02)

        await asyncio.wait_for(poll(), DEADLINE)

    await logging_diagnostics(lambda ds: ds is not None and codes(ds).count("AIMS0201") == 2)
    assert [d.range.start.line for d in client.diagnostics[logging_uri]] == [8, 13]
    doc.replace("id: POL-AI-002", "id: POL-AI-001")
    await logging_diagnostics(lambda ds: ds is not None and len(ds) == 0)


async def test_an_unsaved_document_is_part_of_the_aims(client: LanguageClient, aims: pathlib.Path):
    path = aims / "policies/new.md"
    doc = Doc(client, path, "---\nid: POL-NEW-001\ntitle: Nouvelle politique\ncontrols: [A.2.9]\n---\nSee [[POL-AI-001]].\n")
    found = await doc.diagnostics(lambda ds: "AIMS0101" in codes(ds))
    assert not path.exists()
    assert found[0].range.start.line == 3


async def test_completion_in_controls_offers_controls_with_titles(client: LanguageClient, aims: pathlib.Path):
    doc = Doc(client, aims / "policies/ai-policy.md")
    await doc.diagnostics(no_errors)
    doc.replace("controls: [A.2.2, A.6.2.8]", "controls: [A.2.2, A.6.2.]")
    result = await client.text_document_completion_async(
        types.CompletionParams(**vars_of(doc.at("A.6.2.]", len("A.6.2."))))
    )
    items = {i.label: i for i in items_of(result)}
    assert items["A.6.2.8"].detail == "AI system recording of event logs"
    assert "5.2" not in items  # clauses are not controls
    edit = items["A.6.2.8"].text_edit
    assert edit.range.start == position_of(doc.text, "A.6.2.]")


async def test_completion_of_enum_values(client: LanguageClient, aims: pathlib.Path):
    doc = Doc(client, aims / "policies/ai-policy.md")
    await doc.diagnostics(no_errors)
    doc.replace("status: approved", "status: ")
    result = await client.text_document_completion_async(
        types.CompletionParams(**vars_of(doc.at("status: ", len("status: "))))
    )
    assert {i.label for i in items_of(result)} == {"draft", "in-review", "approved", "retired"}


async def test_completion_after_brackets_offers_ids_and_anchors(client: LanguageClient, aims: pathlib.Path):
    doc = Doc(client, aims / "policies/ai-policy.md")
    await doc.diagnostics(no_errors)
    doc.replace("Reviewed every year", "Reviewed under [[ every year")
    result = await client.text_document_completion_async(
        types.CompletionParams(**vars_of(doc.at("[[ every", 2)))
    )
    items = {i.label: i for i in items_of(result)}
    assert items["STD-LOG-001"].detail == "AI Event Logging Standard"
    assert items["A.6.2.8"].detail == "AI system recording of event logs"
    assert "5.2" in items
    assert "iso27001:A.5.1" in items

    doc.replace("[[ every", "[[STD-LOG-001# every")
    result = await client.text_document_completion_async(
        types.CompletionParams(**vars_of(doc.at("# every", 1)))
    )
    assert {i.label for i in items_of(result)} == {"purpose", "retention"}


async def test_hover_on_a_control_and_on_a_document(client: LanguageClient, aims: pathlib.Path):
    doc = Doc(client, aims / "policies/ai-policy.md")
    await doc.diagnostics(no_errors)
    hover = await client.text_document_hover_async(types.HoverParams(**vars_of(doc.at("A.6.2.8]", 3))))
    text = hover.contents.value
    assert "A.6.2.8 AI system recording of event logs" in text
    assert "Coverage: **partial**" in text
    assert "SoA: applicable, planned" in text
    assert "`POL-AI-001`" in text and "`STD-LOG-001`" in text
    assert hover.range.start == position_of(doc.text, "A.6.2.8]")

    hover = await client.text_document_hover_async(
        types.HoverParams(**vars_of(doc.at("[[STD-LOG-001#retention]]", 4)))
    )
    text = hover.contents.value
    assert "AI Event Logging Standard" in text
    assert "status: draft" in text
    assert "owner: Head of Platform Engineering" in text
    assert "review due: none" in text


async def test_go_to_definition(client: LanguageClient, aims: pathlib.Path):
    doc = Doc(client, aims / "policies/ai-policy.md")
    await doc.diagnostics(no_errors)
    logging = (aims / "standards/logging.md").read_text(encoding="utf-8")
    logging_uri = (aims / "standards/logging.md").as_uri()
    retention = position_of(logging, "## Retention")

    async def definition(needle, skip):
        return await client.text_document_definition_async(
            types.DefinitionParams(**vars_of(doc.at(needle, skip)))
        )

    loc = await definition("[[STD-LOG-001#retention]]", 5)
    assert (loc.uri, loc.range.start) == (logging_uri, retention)
    loc = await definition("related: [STD-LOG-001]", 12)
    assert (loc.uri, loc.range.start.line) == (logging_uri, 0)
    loc = await definition("../standards/logging.md#retention", 4)
    assert (loc.uri, loc.range.start) == (logging_uri, retention)
    loc = await definition("A.6.2.8]", 2)
    soa = (aims / "soa.yaml").read_text(encoding="utf-8")
    assert (loc.uri, loc.range.start) == ((aims / "soa.yaml").as_uri(), position_of(soa, "A.6.2.8:"))


async def test_references_of_a_control_and_of_a_document(client: LanguageClient, aims: pathlib.Path):
    doc = Doc(client, aims / "policies/ai-policy.md")
    await doc.diagnostics(no_errors)
    policy_uri = doc.uri
    logging_uri = (aims / "standards/logging.md").as_uri()
    soa_uri = (aims / "soa.yaml").as_uri()

    refs = await client.text_document_references_async(
        types.ReferenceParams(
            context=types.ReferenceContext(include_declaration=False),
            **vars_of(doc.at("A.6.2.8]", 1)),
        )
    )
    places = sorted((r.uri, r.range.start.line) for r in refs)
    text = doc.text
    assert places == sorted(
        [
            (policy_uri, position_of(text, "A.6.2.8]").line),
            (policy_uri, position_of(text, "[[A.6.2.8]]").line),
            (logging_uri, 7),
        ]
    )

    refs = await client.text_document_references_async(
        types.ReferenceParams(
            context=types.ReferenceContext(include_declaration=False),
            **vars_of(doc.at("STD-LOG-001]", 2)),
        )
    )
    assert {r.uri for r in refs} == {policy_uri, soa_uri}
    # related, the [[reference]], the relative link, the SoA's evidence
    assert len(refs) == 4


async def test_document_and_workspace_symbols(client: LanguageClient, aims: pathlib.Path):
    doc = Doc(client, aims / "policies/ai-policy.md")
    await doc.diagnostics(no_errors)
    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=doc.uri))
    )
    assert [s.name for s in symbols] == ["1. Scope — Geltungsbereich 😀", "2. Principles"]
    assert symbols[0].range.start == position_of(doc.text, "## 1. Scope")
    assert [c.name for c in symbols[1].children] == ["2.1 Review"]

    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="logging"))
    assert [s.name for s in found] == ["STD-LOG-001 AI Event Logging Standard"]


async def test_malformed_buffers_never_stop_the_server(client: LanguageClient, aims: pathlib.Path):
    doc = Doc(client, aims / "policies/ai-policy.md")
    await doc.diagnostics(no_errors)
    original = doc.text

    doc.set_text("---\nid: [unclosed\ntitle: {\n---\n[[")
    found = await doc.diagnostics(lambda ds: "AIMS0005" in codes(ds))
    assert found

    junk = "".join(chr(c) for c in range(0, 0x2FF)) + "\ud7ff\ufffd" * 50 + "---\n" * 3 + "[[" * 500
    doc.set_text(junk)
    for needle, skip in [("[[", 2), ("---", 1)]:
        params = vars_of(doc.at(needle, skip))
        await client.text_document_hover_async(types.HoverParams(**params))
        await client.text_document_completion_async(types.CompletionParams(**params))
        await client.text_document_definition_async(types.DefinitionParams(**params))
    await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=types.TextDocumentIdentifier(uri=doc.uri))
    )
    # A position far past the end is answered too.
    far = types.TextDocumentPositionParams(
        text_document=types.TextDocumentIdentifier(uri=doc.uri),
        position=types.Position(line=10_000, character=10_000),
    )
    await client.text_document_hover_async(types.HoverParams(**vars_of(far)))

    # Still serving: the original text is clean again.
    doc.set_text(original)
    await doc.diagnostics(lambda ds: no_errors(ds) and "AIMS0005" not in codes(ds))
    hover = await client.text_document_hover_async(types.HoverParams(**vars_of(doc.at("A.6.2.8]", 1))))
    assert "A.6.2.8" in hover.contents.value


async def test_a_file_outside_the_root_gets_nothing(client: LanguageClient, aims: pathlib.Path):
    outside = aims.parent / "outside.md"
    outside.write_text("---\nid: OUT-1\ntitle: Out\ncontrols: [A.6.2.8, A.9.9.9]\n---\n[[POL-AI-001]]\n", encoding="utf-8")
    inside = Doc(client, aims / "policies/ai-policy.md")
    await inside.diagnostics(no_errors)
    doc = Doc(client, outside)
    for needle, skip in [("A.6.2.8", 1), ("[[POL-AI-001]]", 3)]:
        params = vars_of(doc.at(needle, skip))
        assert await client.text_document_hover_async(types.HoverParams(**params)) is None
        assert await client.text_document_definition_async(types.DefinitionParams(**params)) is None
        assert not items_of(await client.text_document_completion_async(types.CompletionParams(**params)))
        refs = await client.text_document_references_async(
            types.ReferenceParams(context=types.ReferenceContext(include_declaration=True), **params)
        )
        assert not refs
    # An edit inside the root is answered, and the outside file never gets diagnostics.
    inside.replace("controls: [A.2.2, A.6.2.8]", "controls: [A.2.2, A.6.2.9]")
    await inside.diagnostics(lambda ds: "AIMS0101" in codes(ds))
    assert doc.uri not in client.diagnostics



async def test_completion_of_systems_in_front_matter_and_bodies(client: LanguageClient, aims: pathlib.Path):
    doc = Doc(client, aims / "policies/ai-policy.md")
    await doc.diagnostics(no_errors)
    doc.replace("systems: [AIS-01]", "systems: [AIS-]")
    result = await client.text_document_completion_async(
        types.CompletionParams(**vars_of(doc.at("AIS-]", len("AIS-"))))
    )
    items = {i.label: i for i in items_of(result)}
    assert set(items) == {"AIS-01", "AIS-02"}
    assert items["AIS-01"].detail == "Kundeassistent (limited; provider, deployer)"
    assert items["AIS-02"].detail == "Route Planner (minimal; user)"
    assert items["AIS-01"].text_edit.range.start == position_of(doc.text, "AIS-]")
    assert "POL-AI-001" not in items and "A.6.2.8" not in items

    doc.replace("Reviewed every year", "Reviewed under [[ every year")
    result = await client.text_document_completion_async(
        types.CompletionParams(**vars_of(doc.at("[[ every", 2)))
    )
    items = {i.label: i for i in items_of(result)}
    assert items["AIS-01"].detail.startswith("Kundeassistent")
    assert "STD-LOG-001" in items and "A.6.2.8" in items


async def test_hover_on_a_system_shows_its_inventory_and_evidence(client: LanguageClient, aims: pathlib.Path):
    doc = Doc(client, aims / "policies/ai-policy.md")
    await doc.diagnostics(no_errors)
    for needle, skip in [("systems: [AIS-01]", len("systems: [AI")), ("[[AIS-01]]", 4)]:
        hover = await client.text_document_hover_async(types.HoverParams(**vars_of(doc.at(needle, skip))))
        text = hover.contents.value
        assert "**Kundeassistent** `AIS-01`" in text
        assert "- owner: Head of Customer Service" in text
        assert "- in scope: yes" in text
        assert "- role: provider, deployer" in text
        assert "- risk class: limited" in text
        assert "- stage: operation-and-monitoring" in text
        assert "- AI risk assessment: **met** (`REC-RISK-001`)" in text
        assert "- AI system impact assessment: **missing**" in text
    assert hover.range.start == position_of(doc.text, "AIS-01]]")

    inventory = Doc(client, aims / "systems.yaml")
    hover = await client.text_document_hover_async(types.HoverParams(**vars_of(inventory.at("AIS-02", 2))))
    text = hover.contents.value
    assert "**Route Planner** `AIS-02`" in text and "- in scope: no" in text
    assert "No evidence expected" in text


async def test_definition_and_references_of_a_system(client: LanguageClient, aims: pathlib.Path):
    doc = Doc(client, aims / "policies/ai-policy.md")
    await doc.diagnostics(no_errors)
    inventory_path = aims / "systems.yaml"
    inventory = inventory_path.read_text(encoding="utf-8")
    inventory_uri = inventory_path.as_uri()
    for needle, skip in [("systems: [AIS-01]", len("systems: [A")), ("[[AIS-01]]", 3)]:
        loc = await client.text_document_definition_async(
            types.DefinitionParams(**vars_of(doc.at(needle, skip)))
        )
        assert loc.uri == inventory_uri
        assert loc.range.start == position_of(inventory, "AIS-01")
        assert inventory.splitlines()[loc.range.start.line] == "  - id: AIS-01"

    record_path = aims / "records/ais-01-risk.md"
    record = record_path.read_text(encoding="utf-8")
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            context=types.ReferenceContext(include_declaration=False),
            **vars_of(doc.at("[[AIS-01]]", 3)),
        )
    )
    places = sorted((r.uri, r.range.start.line, r.range.start.character) for r in refs)
    expected = [
        (doc.uri, position_of(doc.text, "AIS-01]").line, position_of(doc.text, "AIS-01]").character),
        (doc.uri, position_of(doc.text, "[[AIS-01]]").line, position_of(doc.text, "[[AIS-01]]").character),
        (record_path.as_uri(), position_of(record, "AIS-01]").line, position_of(record, "AIS-01]").character),
        (record_path.as_uri(), position_of(record, "[[AIS-01]]").line, position_of(record, "[[AIS-01]]").character),
    ]
    assert places == sorted(expected)

    # From the id in systems.yaml, with the declaration.
    opened = Doc(client, inventory_path)
    refs = await client.text_document_references_async(
        types.ReferenceParams(
            context=types.ReferenceContext(include_declaration=True),
            **vars_of(opened.at("AIS-01", 1)),
        )
    )
    assert len(refs) == 5
    assert (inventory_uri, position_of(inventory, "AIS-01")) in [(r.uri, r.range.start) for r in refs]


async def test_systems_yaml_diagnostics_and_enum_completion(client: LanguageClient, aims: pathlib.Path):
    doc = Doc(client, aims / "systems.yaml")
    # Published on systems.yaml itself: the system lacking an expected record.
    found = await doc.diagnostics(lambda ds: "AIMS0910" in codes(ds))
    d = next(d for d in found if d.code == "AIMS0910")
    assert d.severity == types.DiagnosticSeverity.Warning
    assert "AI system impact assessment" in d.message
    assert d.range.start == position_of(doc.text, "AIS-01")

    doc.replace("risk_class: limited", "risk_class: limted")
    found = await doc.diagnostics(lambda ds: "AIMS0902" in codes(ds))
    d = next(d for d in found if d.code == "AIMS0902")
    assert d.severity == types.DiagnosticSeverity.Error
    assert d.range.start.line == position_of(doc.text, "limted").line
    assert d.data["fixes"][0]["newText"] == "limited"

    result = await client.text_document_completion_async(
        types.CompletionParams(**vars_of(doc.at("limted", 3)))
    )
    items = {i.label: i for i in items_of(result)}
    assert set(items) == {"prohibited", "high-risk", "limited", "minimal"}
    assert items["limited"].text_edit.range.start == position_of(doc.text, "limted")
    assert items["limited"].text_edit.range.end == position_of(doc.text, "limted", len("limted"))

    doc.replace("role: [provider, deployer]", "role: [provider, ]")
    result = await client.text_document_completion_async(
        types.CompletionParams(**vars_of(doc.at("provider, ]", len("provider, "))))
    )
    assert {i.label for i in items_of(result)} == {"provider", "developer", "deployer", "user"}

    doc.replace("risk_class: limted", "risk_class: limited")
    await doc.diagnostics(lambda ds: "AIMS0902" not in codes(ds) and "AIMS0910" in codes(ds))


def vars_of(p: types.TextDocumentPositionParams) -> dict:
    return {"text_document": p.text_document, "position": p.position}


def items_of(result) -> list:
    if result is None:
        return []
    if isinstance(result, list):
        return result
    return result.items
