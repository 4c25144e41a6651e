"""A playbook file's bytes, read within their bound, and its text, refused where it holds tabs or
characters that would hide or reorder what a reader sees."""

from __future__ import annotations

import os
import time
from pathlib import Path
from stat import S_ISREG

from . import file_rules as f
from .document import Document
from .problems import Problem
from .scalars import REFUSED, refused

MAX_FILE_BYTES = 1_000_000
_MAX_REPORTED = 20


def read_status(doc: Document, problems: list[Problem]) -> tuple[bytes, Status | None] | None:
    """A file's bytes, with its status as they were read (Status: None where it cannot vouch for
    them), or None with a problem."""
    try:
        raw, status = _read_bounded(doc.path, MAX_FILE_BYTES + 1)
    except OSError as err:
        problems.append(f.FILE_UNREADABLE.at(doc.display, 1, 1, "", f"cannot be read ({err.strerror or err}): "
                                             "check the file's permissions"))
        return None
    if len(raw) > MAX_FILE_BYTES:
        problems.append(f.FILE_TOO_LARGE.at(doc.display, 1, 1, "", f"the file is larger than {MAX_FILE_BYTES:,} "
                                            "bytes, the limit for one entry: split the entry or shorten it"))
        return None
    return raw, status


# Opened as a plain file descriptor: Python's file objects took as long as the read itself. A
# named pipe put in a file's place opens without waiting for a writer (and reads as empty).
_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
# A file changed this close to the moment its status was taken may change again within the same
# tick of its clock (a second, on some file systems) without its status showing it.
RACY_NS = 2_000_000_000

Status = tuple[int, int, int, int, int]


def _read_bounded(path: Path, limit: int) -> tuple[bytes, Status | None]:
    """At most limit bytes of a file, first as many as its size says, then on to the end (asking
    for the limit at once made a 1 MB buffer for every file, which took longer than reading it);
    and the file's status (device, inode, size, modified, changed) as it was before the read,
    where that vouches for the bytes: on a POSIX system, changed long enough ago (see unchanged)."""
    now = time.time_ns()
    fd = os.open(path, _FLAGS)
    try:
        stat = os.fstat(fd)
        parts: list[bytes] = []
        got = 0
        ask = stat.st_size + 1
        regular = S_ISREG(stat.st_mode)
        while got < limit:
            asked = min(ask, limit - got)
            part = os.read(fd, asked)
            if not part:
                break
            parts.append(part)
            got += len(part)
            # All a regular file held when its status was taken, and nothing more though more was
            # asked for: that is its end (one read of each file fewer).
            if regular and got == stat.st_size and len(part) < asked:
                break
            ask = 65_536  # the file grew since, or is not a regular file: read on in small steps
    finally:
        os.close(fd)
    return b"".join(parts), _status(stat, now)


def _status(stat: os.stat_result, now: int) -> Status | None:
    # Only where the change time is the kernel's own (POSIX): on Windows st_ctime is the time of creation.
    if os.name != "posix" or max(stat.st_mtime_ns, stat.st_ctime_ns) > now - RACY_NS:
        return None
    return _of(stat)


def _of(stat: os.stat_result) -> Status:
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns


def unchanged(path: Path, status: Status) -> bool:
    """Whether the file at path has the status it had when its bytes were read (read_status), so
    that they need not be read again: any write since changed its change time, which no program
    can set back, and the status was taken only once that time was RACY_NS past."""
    try:
        stat = os.stat(path)
    except OSError:
        return False
    return _of(stat) == status


def decoded(doc: Document, raw: bytes, problems: list[Problem]) -> str | None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        problems.append(f.NOT_UTF8.at(doc.display, line, 1, "", "not UTF-8 text: save the file as UTF-8"))
        return None
    text = text.removeprefix("\ufeff")
    found = _refused_characters(doc, text, problems, raw if raw.isascii() else None)
    return None if found else text


# The characters of an ASCII text that may be in a file: what shows, spaces and line ends (a tab
# is told on its own).
_ASCII_ALLOWED = bytes(range(0x20, 0x7F)) + b"\t\n\r"


def _refused_characters(doc: Document, text: str, problems: list[Problem], ascii: bytes | None = None) -> bool:
    """Report tabs and refused characters where they are; True if there were any. ascii: the
    text's bytes, when it is all ASCII: then what is left of them without every character allowed
    says at once whether any is refused (six times faster than searching the text)."""
    if "\t" not in text and (not ascii.translate(None, _ASCII_ALLOWED) if ascii is not None
                             else not REFUSED.search(text)):
        return False  # the common case: nothing to report
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
