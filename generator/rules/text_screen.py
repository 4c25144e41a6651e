"""One pass over every text of every document, for the three checks that read them all: agreed
values named or typed out (value_references.py), agreed reasons quoted (reason_lists.py) and
placeholders (placeholders.py). Each check then reads only the documents the pass marked.

On a large playbook the pass is shared between the cores (source/parallel.py): processes forked
after the playbook is read already hold every document, and hand back only what they found.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..source import diskcache, parallel
from ..source.document import Document
from ..source.filecache import Entry, entry_of
from ..source.loader import LoadedPlaybook
from .placeholders import document_placeholders
from .value_references import numbered_values, scanners, value_screen
from .values import Screen, joined_texts, keep_screens

# What the processes of one pass read: set before they are forked, cleared after.
_PASS: list[tuple[list[Document], Any, Any]] = []


def screen_texts(loaded: LoadedPlaybook, meanwhile: Callable[[], None] | None = None) -> None:
    """Screen every document read (within values.texts_kept, where the screens are kept).
    meanwhile, if given, is called once, in this process, while the other processes screen
    (parallel.shared): checks that read no screen.

    A document read before from the same bytes (under `mkdocs serve`, every file but the one
    saved) keeps its screen with the file in the cache of files read, for the same agreed values:
    a screen depends on nothing else. So does a file `playbook validate` keeps on disk for its
    next run (diskcache.py), when the screen found no placeholder. Only the others are screened
    again."""
    documents = [loaded.settings] if loaded.settings is not None else []
    documents += [doc for docs in loaded.documents.values() for doc in docs]
    numbered = numbered_values(loaded)
    written_out, numbers = scanners(loaded, numbered)
    key = tuple(numbered.items())
    disk = diskcache.active()
    values = _made_with(key) if disk is not None else ""
    screens: list[Screen | None] = [None] * len(documents)
    entries: list[Entry | None] = [None] * len(documents)
    todo: list[int] = []
    for index, doc in enumerate(documents):
        entry = entries[index] = entry_of(doc)
        kept = entry.screened if entry is not None else None
        on_disk = disk.screen(doc.source, values) if disk is not None and kept is None and doc.source else None
        if kept is not None and kept[0] == key:
            screens[index] = kept[1]
        elif on_disk is not None:
            screens[index] = Screen(on_disk[0], on_disk[1], on_disk[2], on_disk[3], on_disk[4], ())
        else:
            todo.append(index)
    _PASS.append((documents, written_out, numbers))
    try:
        done = parallel.shared(_screen_share, todo, meanwhile)
    finally:
        _PASS.clear()
    for index, screen in zip(todo, done, strict=True):
        screens[index] = screen
        entry = entries[index]
        if entry is not None and screen is not None:
            entry.screened = (key, screen)
        source = documents[index].source
        if disk is not None and screen is not None and not screen.placeholders and source is not None:
            disk.keep_screen(source, values, [screen.written, screen.named, screen.retyped, screen.typed,
                                              screen.quoted])
    keep_screens(documents, screens)


def _made_with(key: tuple[Any, ...]) -> str:
    """What a screen kept on disk was made with: the agreed values, and the code of the checks
    (the disk cache's own fingerprint covers only the code that reads files)."""
    return hashlib.sha256(_rules_code().encode() + repr(key).encode("utf-8", "surrogatepass")).hexdigest()


@functools.cache
def _rules_code() -> str:
    return diskcache.contents_digest(sorted(Path(__file__).resolve().parent.glob("*.py")))


def _screen_share(share: Sequence[int]) -> list[Screen | None]:
    documents, written_out, numbers = _PASS[-1]
    return [_screen(documents[index], written_out, numbers) for index in share]


def _screen(doc: Document, written_out: Any, numbers: Any) -> Screen | None:
    if not isinstance(doc.data, dict):
        return None
    joined = joined_texts(doc.data)
    return value_screen(doc, written_out, numbers, document_placeholders(doc, joined[0]), joined)
