"""A file whose status has not changed since the playbook was last read in this process is taken
from the cache of files read without being read again (`mkdocs serve` reads the whole playbook
after every save). Every way of changing a file must still be seen: a write of the same size with
its modification time put back, a file replaced by another, a write within the same tick of the
file system's clock as the read."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

from generator.source import filebytes, loader
from generator.source.loader import load_playbook
from generator.source.schemas import check_document

# Far shorter than the real two seconds, so the test need not wait; still longer than a tick of
# the clock file systems stamp files with (at most 10 ms on Linux).
RACY_NS = 60_000_000


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files read, load after load."""
    monkeypatch.setattr(filebytes, "RACY_NS", RACY_NS)
    done: list[str] = []
    read_status = loader.read_status

    def counted(doc: Any, problems: list[Any]) -> Any:
        done.append(f"{doc.path.parent.name}/{doc.path.name}")
        return read_status(doc, problems)

    monkeypatch.setattr(loader, "read_status", counted)
    return done


def settle() -> None:
    time.sleep(3 * RACY_NS / 1e9)


def data(root: Path) -> dict[str, Any]:
    loaded = load_playbook(root, check_document)
    assert not loaded.problems
    return {f"{doc.path.parent.name}/{doc.path.name}": doc.data for docs in loaded.documents.values() for doc in docs}


def test_unchanged_files_are_not_read_again_and_every_change_is_seen(
        tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(REPO / "playbook", root)
    settle()
    first = data(root)
    assert len(reads) == len(first) + 1  # playbook.yaml as well
    reads.clear()
    assert data(root) == first
    assert reads == []

    # The same number of bytes, the modification time put back: the change time still moves. Its
    # reads below come within a tick of the change, however busy the machine (a tick of 10 s).
    monkeypatch.setattr(filebytes, "RACY_NS", 10_000_000_000)
    term = root / "terms" / "lead.yaml"
    before = term.stat()
    text = term.read_text(encoding="utf-8")
    changed = text.replace("Lead", "LEAD", 1)
    assert len(changed) == len(text) and changed != text
    term.write_text(changed, encoding="utf-8")
    os.utime(term, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert term.stat().st_mtime_ns == before.st_mtime_ns and term.stat().st_size == before.st_size
    after = data(root)
    assert reads == ["terms/lead.yaml"]
    assert after["terms/lead.yaml"] != first["terms/lead.yaml"]
    assert "LEAD" in str(after["terms/lead.yaml"])

    # Read within a tick of its change, a file is read again next time, whatever its status.
    reads.clear()
    assert data(root) == after
    assert reads == ["terms/lead.yaml"]
    monkeypatch.setattr(filebytes, "RACY_NS", RACY_NS)
    settle()
    reads.clear()
    data(root)
    assert reads == ["terms/lead.yaml"]  # its status is trusted from this read on
    reads.clear()
    data(root)
    assert reads == []

    # Another file put in its place, with the same size and times.
    stand_in = tmp_path / "lead.yaml"
    stand_in.write_text(text, encoding="utf-8")
    os.utime(stand_in, ns=(before.st_atime_ns, term.stat().st_mtime_ns))
    os.replace(stand_in, term)
    reads.clear()
    assert data(root)["terms/lead.yaml"] == first["terms/lead.yaml"]
    assert reads == ["terms/lead.yaml"]


def test_a_file_changed_just_after_it_was_read_is_read_again(tmp_path: Path, reads: list[str]) -> None:
    """The status is taken before the bytes are read: a write that lands between the two, or in
    the same tick of the clock, leaves a status that does not vouch for what was read."""
    root = tmp_path / "playbook"
    shutil.copytree(REPO / "playbook", root)
    settle()
    data(root)
    term = root / "terms" / "lead.yaml"
    text = term.read_text(encoding="utf-8")
    term.write_text(text.replace("Lead", "LEAD", 1), encoding="utf-8")
    data(root)  # read at once: within a tick of the write
    term.write_text(text.replace("Lead", "LEXD", 1), encoding="utf-8")  # same size, same tick, maybe
    reads.clear()
    assert "LEXD" in str(data(root)["terms/lead.yaml"])
    assert reads == ["terms/lead.yaml"]


def test_only_the_files_of_the_last_read_are_remembered(tmp_path: Path, reads: list[str]) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(REPO / "playbook", root)
    settle()
    names = set(data(root))
    remembered = {f"{Path(path).parent.name}/{Path(path).name}" for path in loader.SEEN.last}
    assert remembered == names | {"playbook/playbook.yaml"}
    (root / "terms" / "lead.yaml").unlink()
    assert set(data(root)) == names - {"terms/lead.yaml"}
    assert str(root / "terms" / "lead.yaml") not in loader.SEEN.last


def test_a_damaged_playbook_tells_the_same_problems_when_its_files_are_not_read_again(
        tmp_path: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Every kind of damage a file can carry, told word for word the same by a second check in the
    same process, where no file is read again."""
    from test_parallel_read import _damage

    from generator.rules.validate import check

    monkeypatch.setenv("PLAYBOOK_PROCESSES", "1")  # every status is noted in this process
    root = _damage(tmp_path / "big")
    settle()
    first = [str(p) for p in check(root)[1]]
    assert len(reads) > 100
    reads.clear()
    again = [str(p) for p in check(root)[1]]
    assert reads == []
    assert again == first
    said = "\n".join(first)
    for rule in ("yaml-syntax", "duplicate-key", "tab-character", "not-utf8", "file-empty", "not-a-mapping",
                 "yaml-tag", "unknown-field", "unknown-value", "placeholder-text", "value-number-typed-out"):
        assert f"[{rule}]" in said, rule


def _counting_reads(monkeypatch: pytest.MonkeyPatch, most: int | None = None) -> list[int]:
    """The size of each read of a file, each read giving at most `most` bytes when given."""
    sizes: list[int] = []
    real = os.read

    def read(fd: int, size: int) -> bytes:
        part = real(fd, size if most is None else min(size, most))
        sizes.append(len(part))
        return part

    monkeypatch.setattr(filebytes.os, "read", read)
    return sizes


def test_a_file_is_read_whole_in_one_read_and_to_its_end_when_reads_stop_short(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A regular file that gives all its status says it holds, though asked for more, is read in
    one read; one that a file system hands over in short parts (a network or user-space file
    system may) is read on to its end, never cut where a part stopped."""
    text = (REPO / "playbook" / "playbook.yaml").read_bytes()
    file = tmp_path / "playbook.yaml"
    file.write_bytes(text)
    sizes = _counting_reads(monkeypatch)
    assert filebytes._read_bounded(file, filebytes.MAX_FILE_BYTES)[0] == text
    assert sizes == [len(text)]
    sizes = _counting_reads(monkeypatch, most=1000)
    assert filebytes._read_bounded(file, filebytes.MAX_FILE_BYTES)[0] == text
    assert sum(sizes) == len(text) and len(sizes) > len(text) // 1000
    # Empty, and the limit: no more than the limit is read.
    (tmp_path / "empty.yaml").write_bytes(b"")
    assert filebytes._read_bounded(tmp_path / "empty.yaml", 100)[0] == b""
    assert filebytes._read_bounded(file, 100)[0] == text[:100]


def test_a_file_that_grew_after_its_status_was_taken_is_read_to_its_end(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bytes written between the file's status and its read are read too: the read gave more
    than the status said, so the file is read on."""
    file = tmp_path / "grew.yaml"
    file.write_bytes(b"id: grew\n" * 50)
    real = os.fstat

    def fstat(fd: int) -> os.stat_result:
        status = real(fd)
        with open(file, "ab") as more:  # noqa: PTH123 (the same file, opened to append)
            more.write(b"# more\n" * 20_000)
        return status

    monkeypatch.setattr(filebytes.os, "fstat", fstat)
    raw, _ = filebytes._read_bounded(file, filebytes.MAX_FILE_BYTES)
    assert raw == b"id: grew\n" * 50 + b"# more\n" * 20_000


def test_a_document_knows_the_entry_it_was_read_with(tmp_path: Path) -> None:
    """Each check asks what the cache holds for a document's file: the document knows the entry
    it was read with, so the cache is not searched again, and the entry stays its own though the
    cache lets it go; a document made some other way asks the cache."""
    import dataclasses

    from generator.source.filecache import checked, entry_of
    from generator.source.loader import load_document

    shutil.copy(REPO / "playbook" / "assets" / "roi-calculator.yaml", tmp_path / "roi-calculator.yaml")
    loader.FILES.clear()
    doc = load_document(tmp_path / "roi-calculator.yaml", "asset", [])
    assert doc is not None
    entry = loader.FILES.get(doc.source)
    assert entry is not None and entry_of(doc) is entry
    calls: list[str] = []

    def check(d: Any) -> list[Any]:
        calls.append(d.display)
        return check_document(d)

    assert checked(doc, check) == [] and calls == [doc.display]
    loader.FILES.clear()
    assert entry_of(doc) is entry and checked(doc, check) == [] and len(calls) == 1
    # Read again, it is tied to the new entry; made from another document, it asks the cache.
    again = load_document(tmp_path / "roi-calculator.yaml", "asset", [])
    assert again is not None and entry_of(again) is loader.FILES.get(again.source) is not entry
    made = dataclasses.replace(again, data={**again.data})
    assert entry_of(made) is loader.FILES.get(again.source)
    loader.FILES.clear()
    assert entry_of(made) is None and checked(made, check) == [] and len(calls) == 2
