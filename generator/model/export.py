"""The playbook as data for the CRM and other tools: the export's JSON and its CSV view.

`playbook export` writes it (commands/export.py), and the site publishes it as downloads
(site/static.py); both take it from here.

- JSON, in the shape of `schemas/output/export.schema.json`: `{"format": 1, "playbook": {...},
  "stages": [...], "lifecycle": [...], "handoffs": [...], "terms": [...], "personas": [...],
  "assets": [...], "metrics": [...], "crm": [...]}`. Every entry is its YAML data exactly as
  loaded (dates stay text), so nothing written in YAML is lost on the way; stages and lifecycle
  states come in their `order`, the other kinds by id. `crm` repeats each state's CRM object,
  field and value as one row, for import.
- CSV: one file per kind (playbook.csv, stages.csv, lifecycle.csv, handoffs.csv, terms.csv,
  personas.csv, assets.csv, metrics.csv) and crm.csv: a header row, then one row per entry. A
  nested field gets a dotted column name (`service_level.within`); a list is one cell with its
  items joined by " | "; a list of sets of fields gives one column per field, the items in the
  same order in each (`rejection_reasons.reason`, `rejection_reasons.goes_to`). The columns are
  every field the kind's schema knows, in the schema's order, so they stay the same when a field
  is left out. The CSV is a flat view for spreadsheets and imports; the JSON is the exact one (in
  CSV, an item holding " | " reads as two, and an empty list as no list).

The export is made only from a playbook checked as `playbook validate` checks it, without errors.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from ..rules.validate import check
from ..source.document import Document
from ..source.loader import KINDS, LoadedPlaybook
from ..source.problems import PlaybookError
from ..source.schemas import validator

FORMAT = 1
# Key in the export -> kind of entity (the kind names its schema).
SECTIONS: dict[str, str] = {"playbook": "playbook", **KINDS}
_ORDERED = {"stage", "lifecycle"}  # kinds listed by their `order`; the others by id
CRM_COLUMNS = ("object", "field", "value", "state")
LIST_SEPARATOR = " | "
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV Injection"),
# the full-width forms too: Excel reads ＝ as =.
_FORMULA_CHARACTERS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
# Characters a spreadsheet may skip before the formula, and no reader sees: spaces (Zs), control
# (Cc: tab, CR, LF), format (Cf: byte order mark, zero-width space) and line or paragraph separators.
_UNSEEN = frozenset({"Zs", "Cc", "Cf", "Zl", "Zp"})
# OWASP: a leading tab or carriage return is defused whatever follows it.
_DEFUSED_STARTS = ("\t", "\r")
# A number as JSON writes it (a negative target, -5) is no formula and stays a number.
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def checked(root: Path) -> LoadedPlaybook:
    """The playbook under root, read and checked; raises PlaybookError listing every error
    (warnings about review dates do not stop an export)."""
    loaded, problems = check(root)
    if any(not p.warning for p in problems):
        raise PlaybookError(problems)
    return loaded


def export_json(source: Path | str | LoadedPlaybook) -> dict[str, Any]:
    """The export as plain data (see the module's docstring), a copy the caller may change.

    A path is read and checked first (raising PlaybookError); a LoadedPlaybook must already have
    passed `validate.check` without errors, as the site's build has.
    """
    return copy.deepcopy(_export(_loaded(source)))


def export_data(source: Path | str | LoadedPlaybook) -> dict[str, Any]:
    """The export as plain data, sharing the loaded documents' data: to read, never to change.
    Takes what export_json takes."""
    return _export(_loaded(source))


def _loaded(source: Path | str | LoadedPlaybook) -> LoadedPlaybook:
    return source if isinstance(source, LoadedPlaybook) else checked(Path(source))


def _export(loaded: LoadedPlaybook) -> dict[str, Any]:
    """The export, sharing the loaded documents' data (no copy: the site's build exports 10,000
    assets as well as 10)."""
    assert loaded.settings is not None, "checked: a missing playbook.yaml is an error"
    data: dict[str, Any] = {"format": FORMAT, "playbook": loaded.settings.data}
    for key, kind in KINDS.items():
        data[key] = [doc.data for doc in in_order(loaded.documents[kind], kind)]
    data["crm"] = crm_rows(data["lifecycle"])
    return data


def crm_rows(states: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The export's `crm`: each state's CRM object, field and value as one row, in the states'
    order (each CRM stage of a state a row of its own)."""
    return [{"object": s["crm"]["object"], "field": s["crm"]["field"], "value": value, "state": s["id"]}
            for s in states for value in crm_values(s)]


def crm_values(state: dict[str, Any]) -> list[str]:
    """The values a state holds in its CRM field: its CRM stages' values when it lists stages, else
    crm.value."""
    return [stage["value"] for stage in state.get("crm_stages") or ()] or [state["crm"]["value"]]


def in_order(documents: Iterable[Document], kind: str) -> list[Document]:
    """Stages and states by their order, the rest by id: the same order for the same playbook,
    whatever order the files are listed in."""
    if kind in _ORDERED:
        return sorted(documents, key=lambda d: (d.data["order"], d.data["id"]))
    return sorted(documents, key=lambda d: str(d.data["id"]))


def json_text(data: dict[str, Any], compact: bool = False) -> str:
    """The export as JSON text: UTF-8 characters as they are, indented unless compact."""
    if compact:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# CSV ---------------------------------------------------------------------------------------------


def csv_files(data: dict[str, Any]) -> dict[str, str]:
    """File name -> CSV text: one file per kind, and crm.csv."""
    files = {}
    for key, kind in SECTIONS.items():
        rows = [data["playbook"]] if key == "playbook" else data[key]
        files[f"{key}.csv"] = _csv(schema_columns(kind), rows)
    files["crm.csv"] = _csv(CRM_COLUMNS, data["crm"])
    return files


def _csv(columns: Iterable[str], rows: list[dict[str, Any]]) -> str:
    """A header row, then one row per entry. Every cell is quoted and defused (see _defused)."""
    flat = [flatten(row) for row in rows]
    # A field the schema does not know cannot pass the checks; kept anyway rather than dropped.
    header = list(dict.fromkeys([*columns, *(name for row in flat for name in row)]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([_defused(name) for name in header])
    writer.writerows([_defused(row.get(name, "")) for name in header] for row in flat)
    return buffer.getvalue()


def _defused(cell: str) -> str:
    """The cell with a leading apostrophe if a spreadsheet would run it as a formula: an entry
    titled `=HYPERLINK(...)` must open as text in Excel, not as a link that sends data away.
    This is OWASP's advice against CSV injection (with every cell quoted, as it also advises).
    Nothing else changes, so removing the one apostrophe gives the text as written."""
    return "'" + cell if _runs_as_formula(cell) else cell


def _runs_as_formula(cell: str) -> bool:
    """True when the cell starts with tab or CR, or its first character that shows is a formula
    character: a spreadsheet skips the spaces and invisible characters before it (" =1",
    "\u200b=1", "\ufeff=1"), so a check of the first character alone lets those through."""
    if cell.startswith(_DEFUSED_STARTS):
        return True
    for char in cell:
        if unicodedata.category(char) not in _UNSEEN:
            return char in _FORMULA_CHARACTERS and not (char == "-" and _NUMBER.fullmatch(cell) is not None)
    return False


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """Dotted column name -> cell text. A list's items are joined by LIST_SEPARATOR; in a list of
    sets of fields each field is a column, its items aligned by position (a missing one empty)."""
    if isinstance(value, dict):
        cells: dict[str, str] = {}
        for key, item in value.items():
            cells.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return cells
    if isinstance(value, list):
        items = [flatten(item, prefix) for item in value]
        names = dict.fromkeys(name for item in items for name in item)
        return {name: LIST_SEPARATOR.join(item.get(name, "") for item in items) for name in names}
    return {prefix: _text(value)}


def _text(value: Any) -> str:
    """A value as a cell: text as it is, numbers and true/false as JSON writes them."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


@cache
def schema_columns(kind: str) -> tuple[str, ...]:
    """Every field the kind's schema knows, as dotted column names, in the schema's order."""
    schema: Any = validator(kind).schema
    return tuple(_columns(schema, schema, ""))


def _columns(root: Any, node: Any, prefix: str) -> list[str]:
    ref = node.get("$ref", "")
    if ref.startswith("#/$defs/"):
        node = root["$defs"][ref.removeprefix("#/$defs/")]
    if "properties" in node:
        return [name for key, sub in node["properties"].items()
                for name in _columns(root, sub, f"{prefix}.{key}" if prefix else key)]
    if "items" in node:
        return _columns(root, node["items"], prefix)
    return [prefix]

