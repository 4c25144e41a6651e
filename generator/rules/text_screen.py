"""One pass over every text of every document, for the three checks that read them all: agreed
values named or typed out (value_references.py), agreed reasons quoted (reason_lists.py) and
placeholders (placeholders.py). Each check then reads only the documents the pass marked.

On a large playbook the pass is shared between the cores (source/parallel.py): processes forked
after the playbook is read already hold every document, and hand back only what they found.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..source import parallel
from ..source.document import Document
from ..source.loader import LoadedPlaybook
from .placeholders import document_placeholders
from .value_references import scanners, value_screen
from .values import Screen, joined_texts, keep_screens

# What the processes of one pass read: set before they are forked, cleared after.
_PASS: list[tuple[list[Document], Any, Any]] = []


def screen_texts(loaded: LoadedPlaybook) -> None:
    """Screen every document read (within values.texts_kept, where the screens are kept)."""
    documents = [loaded.settings] if loaded.settings is not None else []
    documents += [doc for docs in loaded.documents.values() for doc in docs]
    written_out, numbers = scanners(loaded)
    _PASS.append((documents, written_out, numbers))
    try:
        screens = parallel.shared(_screen_share, range(len(documents)))
    finally:
        _PASS.clear()
    keep_screens(documents, screens)


def _screen_share(share: Sequence[int]) -> list[Screen | None]:
    documents, written_out, numbers = _PASS[-1]
    return [_screen(documents[index], written_out, numbers) for index in share]


def _screen(doc: Document, written_out: Any, numbers: Any) -> Screen | None:
    if not isinstance(doc.data, dict):
        return None
    joined = joined_texts(doc.data)
    return value_screen(doc, written_out, numbers, document_placeholders(doc, joined[0]), joined)
