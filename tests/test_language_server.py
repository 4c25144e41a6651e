"""The schemas work in an editor: the real YAML language server (npm's yaml-language-server, the
engine of VS Code's YAML extension and of other editors), driven over stdio as an editor drives
it, completes a field from the schema a file names in its first line and reports an unknown field
and a value outside the allowed ones, in a repository made by `playbook init`.

`make language-server` installs the server into .venv/node (`make test` does it first)."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

BIN = Path(sys.executable).parent
SERVER = "node_modules/yaml-language-server/bin/yaml-language-server"
WAIT = 30  # seconds for an answer


def server() -> list[str]:
    """The command that starts the server, or a failure saying how to install it."""
    found = [Path(os.environ["YAML_LANGUAGE_SERVER"])] if os.environ.get("YAML_LANGUAGE_SERVER") else []
    found += [BIN.parent / "node" / SERVER]
    node = shutil.which("node")
    for path in found:
        if path.is_file() and node:
            return [node, str(path), "--stdio"]
    pytest.fail("yaml-language-server is not installed: run `make language-server` (npm install --prefix "
                f"{BIN.parent / 'node'} yaml-language-server), or set YAML_LANGUAGE_SERVER to its bin script; "
                f"node is {'at ' + node if node else 'missing too'}")


class Client:
    """An editor's side of the Language Server Protocol: JSON-RPC messages with a Content-Length
    header, read by a thread; requests from the server (configuration) are answered."""

    def __init__(self, command: list[str], root: Path) -> None:
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, cwd=root)
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        self.last = 0
        assert self.process.stdout is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b"\n"):
                if not line:
                    self.messages.put(None)
                    return
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            self.messages.put(json.loads(stream.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.last += 1
        self.send({"id": self.last, "method": method, "params": params})
        for message in self._until(lambda: False):
            if message.get("id") == self.last and "method" not in message:
                assert "error" not in message, message
                return message.get("result")
        pytest.fail(f"no answer to {method} within {WAIT} s")

    def diagnosed(self, uri: str) -> list[dict[str, Any]]:
        """The diagnostics the server publishes for the file, once it has."""
        for _ in self._until(lambda: uri in self.diagnostics):
            pass
        assert uri in self.diagnostics, f"no diagnostics for {uri} within {WAIT} s"
        return self.diagnostics.pop(uri)

    def _until(self, done: Any) -> Iterator[dict[str, Any]]:
        end = time.monotonic() + WAIT
        while not done() and time.monotonic() < end:
            try:
                message = self.messages.get(timeout=max(0.0, end - time.monotonic()))
            except queue.Empty:
                return
            if message is None:
                pytest.fail("the language server ended")
            if "method" in message and "id" in message:  # a request from the server
                items = message.get("params", {}).get("items", [])
                answer = [SETTINGS["yaml"] for _ in items] if message["method"] == "workspace/configuration" else None
                self.send({"id": message["id"], "result": answer})
            elif message.get("method") == "textDocument/publishDiagnostics":
                self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
            yield message

    def close(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


SETTINGS = {"yaml": {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}}


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("editor")
    result = subprocess.run([str(BIN / "playbook"), "init", "acme"], cwd=where, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=120)
    assert result.returncode == 0, result.stderr
    return where / "acme"


@pytest.fixture(scope="module")
def editor(repository: Path) -> Iterator[Client]:
    client = Client(server(), repository)
    try:
        client.request("initialize", {
            "processId": os.getpid(), "rootUri": repository.as_uri(),
            "workspaceFolders": [{"uri": repository.as_uri(), "name": "acme"}],
            "capabilities": {"workspace": {"configuration": True},
                             "textDocument": {"completion": {"completionItem": {"snippetSupport": False}},
                                              "publishDiagnostics": {}}}})
        client.notify("initialized", {})
        client.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})
        yield client
    finally:
        client.close()


def open_file(editor: Client, path: Path, text: str) -> str:
    uri = path.as_uri()
    editor.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                            "text": text}})
    return uri


def test_the_server_completes_fields_from_the_schema_the_first_line_names(editor: Client, repository: Path) -> None:
    # A new asset, as a marketer starts one by hand: the modeline (as `playbook new` writes it) and an id.
    path = repository / "playbook" / "assets" / "pricing-faq.yaml"
    text = "# yaml-language-server: $schema=../../schemas/asset.schema.json\nid: pricing-faq\n\n"
    uri = open_file(editor, path, text)
    result = editor.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                        "position": {"line": 2, "character": 0}})
    labels = {item["label"] for item in (result["items"] if isinstance(result, dict) else result)}
    assert {"talking_points", "title", "stages", "owner", "review_by", "internal_notes"} <= labels, sorted(labels)
    assert "id" not in labels  # already there


def test_the_server_reports_an_unknown_field_and_a_value_not_allowed(editor: Client, repository: Path) -> None:
    # The handoff `init` wrote, with a mistyped field and a unit the schema does not allow.
    path = repository / "playbook" / "handoffs" / "lead-to-opportunity.yaml"
    written = path.read_text(encoding="utf-8")
    uri = open_file(editor, path, written)
    assert editor.diagnosed(uri) == [], "the file init wrote is not valid for the editor"
    broken = written.replace("  unit: business-days\n  action: Call", "  unit: fortnights\n  action: Call", 1)
    broken += "colour: red\n"
    editor.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": broken}]})
    found = {(d["range"]["start"]["line"], d["message"]) for d in editor.diagnosed(uri)}
    lines = broken.splitlines()
    unit = next(i for i, line in enumerate(lines) if "fortnights" in line)
    assert (len(lines) - 1, "Property colour is not allowed.") in found, found
    assert any(line == unit and "business-days" in message for line, message in found), found


def test_a_schema_that_names_another_is_followed_from_file_to_file(editor: Client, repository: Path) -> None:
    # The export schema names each kind's schema by a relative path: an exported playbook with a
    # stage of an unknown phase is reported from stage.schema.json, two folders away.
    path = repository / "playbook-export.yaml"
    text = ("# yaml-language-server: $schema=schemas/output/export.schema.json\n"
            "format: 1\nstages:\n  - id: discovery\n    phase: someday\n")
    uri = open_file(editor, path, text)
    messages = [d["message"] for d in editor.diagnosed(uri)]
    assert any("before-close" in message for message in messages), messages
