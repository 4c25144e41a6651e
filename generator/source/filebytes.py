"""A playbook file's bytes, read within their bound, and its text, refused where it holds tabs or
characters that would hide or reorder what a reader sees."""

from __future__ import annotations

import os
from typing import Any

from . import file_rules as f
from .document import Document
from .problems import Problem
from .scalars import REFUSED, refused

MAX_FILE_BYTES = 1_000_000
_MAX_REPORTED = 20


def read_bytes(doc: Document, problems: list[Problem]) -> bytes | None:
    try:
        with doc.path.open("rb", buffering=0) as file:
            raw = _read_bounded(file, MAX_FILE_BYTES + 1)
    except OSError as err:
        problems.append(f.FILE_UNREADABLE.at(doc.display, 1, 1, "", f"cannot be read ({err.strerror or err}): "
                                             "check the file's permissions"))
        return None
    if len(raw) > MAX_FILE_BYTES:
        problems.append(f.FILE_TOO_LARGE.at(doc.display, 1, 1, "", f"the file is larger than {MAX_FILE_BYTES:,} "
                                            "bytes, the limit for one entry: split the entry or shorten it"))
        return None
    return raw


def _read_bounded(file: Any, limit: int) -> bytes:
    """At most limit bytes of an unbuffered file: first as many as its size says, then on to
    the end. (Asking for the limit at once made a 1 MB buffer for every file, which took longer
    than reading it.)"""
    parts: list[bytes] = []
    got = 0
    ask = os.fstat(file.fileno()).st_size + 1
    while got < limit:
        part = file.read(min(ask, limit - got))
        if not part:
            break
        parts.append(part)
        got += len(part)
        ask = 65_536  # the file grew since, or a read stopped short: read on in small steps
    return b"".join(parts)


def decoded(doc: Document, raw: bytes, problems: list[Problem]) -> str | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.append(f.NOT_UTF8.at(doc.display, line, 1, "", "not UTF-8 text: save the file as UTF-8"))
        return None
    text = text.removeprefix("\ufeff")
    found = _refused_characters(doc, text, problems)
    return None if found else text


def _refused_characters(doc: Document, text: str, problems: list[Problem]) -> bool:
    """Report tabs and refused characters where they are; True if there were any."""
    if "\t" not in text and not REFUSED.search(text):
        return False  # one search of the whole text, for the common case: nothing to report
    found = 0
    for number, line_text in enumerate(text.split("\n"), start=1):
        if "\t" in line_text:
            found += 1
            problems.append(f.TAB_CHARACTER.at(doc.display, number, line_text.index("\t") + 1, "",
                                               "tab character: indent with spaces and write no tabs in values"))
        for match in REFUSED.finditer(line_text.removesuffix("\r")):
            found += 1
            if found <= _MAX_REPORTED:
                problems.append(f.INVISIBLE_CHARACTER.at(doc.display, number, match.start() + 1, "",
                                                         refused(match.group())))
    if found > _MAX_REPORTED:
        problems.append(f.INVISIBLE_CHARACTER.at(doc.display, 1, 1, "", f"{found - _MAX_REPORTED} more tabs or "
                                                 "invisible characters not listed: clean the file and run again"))
    return found > 0
