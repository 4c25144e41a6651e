"""The export's JSON and CSV texts as the site publishes them, each entry's part kept with the file
it was read from.

Under `mkdocs serve` every save makes the downloads again, and writing 10,000 entries as JSON and
CSV took a seventh of a rebuild. An entry's JSON, and its CSV row under the same columns, are the
same for the same file: the key of the cache of files read holds the file's kind, path and bytes,
and the entry's data is what those bytes read as. So each is made once and taken again; the texts
are joined in the export's order, and are exactly what `json_text(data, compact=True)` and
`csv_files(data)` make of the whole (tests/test_export_texts.py compares them).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Hashable
from pathlib import Path
from typing import Any

from ..source.document import Document
from ..source.filecache import ContentCache
from ..source.loader import KINDS, LoadedPlaybook
from .export import CRM_COLUMNS, FORMAT, SECTIONS, _defused, _loaded, crm_rows, flatten, in_order, schema_columns

# An entry's compact JSON, its CSV cells by column, and its CSV row under the last columns asked
# for, by the file it was read from.
_PARTS = ContentCache(budget=128 * 1024 * 1024)


class _Part:
    __slots__ = ("json", "cells", "header", "row")

    def __init__(self, data: Any) -> None:
        self.json = _dumps(data)
        self.cells = flatten(data)
        self.header: tuple[str, ...] | None = None
        self.row = ""


def export_texts(source: Path | str | LoadedPlaybook) -> tuple[str, dict[str, str]]:
    """The export's compact JSON text and its CSV files (file name -> text), as
    json_text(export_data(source), compact=True) and csv_files make them. Takes what
    export.export_data takes."""
    loaded = _loaded(source)
    assert loaded.settings is not None, "checked: a missing playbook.yaml is an error"
    entries: dict[str, list[Document]] = {"playbook": [loaded.settings]}
    for key, kind in KINDS.items():
        entries[key] = in_order(loaded.documents[kind], kind)
    parts = {key: [_part(doc) for doc in docs] for key, docs in entries.items()}
    crm = crm_rows(doc.data for doc in entries["lifecycle"])
    pieces = [f'{{"format":{_dumps(FORMAT)},"playbook":{parts["playbook"][0].json}']
    for key in KINDS:
        pieces.append(f',{_dumps(key)}:[{",".join(part.json for part in parts[key])}]')
    pieces.append(f',"crm":{_dumps(crm)}}}\n')
    files = {f"{key}.csv": _csv(schema_columns(kind), parts[key]) for key, kind in SECTIONS.items()}
    crm_parts = [_Part(row) for row in crm]  # a few rows, made from the states' own
    files["crm.csv"] = _csv(CRM_COLUMNS, crm_parts)
    return "".join(pieces), files


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _part(doc: Document) -> _Part:
    key: Hashable | None = doc.source
    if key is None:  # not read from a file: made each time
        return _Part(doc.data)
    part: _Part | None = _PARTS.get(key)
    if part is None:
        part = _Part(doc.data)
        _PARTS.put(key, part, 4 * len(part.json) + 200)
    return part


def _csv(columns: tuple[str, ...], parts: list[_Part]) -> str:
    # A field the schema does not know cannot pass the checks; kept anyway rather than dropped.
    header = tuple(dict.fromkeys([*columns, *(name for part in parts for name in part.cells)]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([_defused(name) for name in header])
    lines = [buffer.getvalue()]
    for part in parts:
        if part.header != header:
            buffer.seek(0)
            buffer.truncate()
            writer.writerow([_defused(part.cells.get(name, "")) for name in header])
            part.header, part.row = header, buffer.getvalue()
        lines.append(part.row)
    return "".join(lines)
