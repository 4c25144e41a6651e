"""The CRM check behind `playbook crm-check PICKLIST.csv [--playbook DIR]`: the lifecycle
states' CRM values compared with a picklist exported from the CRM (commands/export.py runs it).

The picklist is the CSV a CRM exports for the values of its picklist fields: UTF-8 (a byte order
mark is fine), comma-separated, at most 5 MB, with a header row naming at least the columns
`object`, `field` and `value` (any order; case and surrounding spaces do not matter), e.g.

    object,field,value,label,active
    Lead,Lead Status,MQL,Marketing Qualified,true

Other columns (`label`, ...) are ignored. An `active` column marks retired values with false, 0
or no (true, 1, yes or empty: in use). Rows for fields that no lifecycle state names are
ignored, so one export of every picklist will do. Cells are read without surrounding spaces;
objects and fields are then matched ignoring case, values exactly, as the CRM stores them.
Reported, one line each: a state whose value is not in the picklist for its object and field, an
active value of those fields that no state has, and a retired value that a state still uses (a
retired value no state uses is kept for old records, as it should be). crm.csv from `playbook
export --format csv` is such a picklist.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..source.document import Document
from ..source.filepaths import display_path
from ..source.paths import format_path, shorten
from ..source.problems import printable
from ..source.schemas import did_you_mean

MAX_PICKLIST_BYTES = 5_000_000
_REQUIRED_COLUMNS = ("object", "field", "value")
_INACTIVE = {"false", "0", "no"}
_ACTIVE = {"true", "1", "yes", ""}


class PicklistError(Exception):
    """The picklist cannot be read at all; the message is one line saying what to do."""


@dataclass(frozen=True, order=True)
class Finding:
    """One difference between the playbook and the picklist, where it is (column 0: a CSV line)."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" + (f":{self.column}" if self.column else "")
        return printable(f"{where}: {self.message}")


@dataclass(frozen=True)
class PicklistRow:
    line: int
    object: str
    field: str
    value: str
    active: bool


def read_picklist(path: Path) -> tuple[list[PicklistRow], list[Finding]]:
    """The picklist's rows, and a finding for each row that cannot be used; raises PicklistError
    when the file is not a picklist at all (unreadable, too large, not UTF-8, no header)."""
    shown = display_path(path)
    records = _records(_picklist_text(path, shown), shown)
    if not records:
        raise PicklistError(f"{shown}: is empty: export the picklist with a header row object,field,value")
    header_line, header = records[0]
    columns = _header(header, f"{shown}:{header_line}")
    rows: list[PicklistRow] = []
    findings: list[Finding] = []
    for line, cells in records[1:]:
        row = _row(line, cells, columns, shown)
        if isinstance(row, Finding):
            findings.append(row)
        else:
            rows.append(row)
    return rows, findings


def _picklist_text(path: Path, shown: str) -> str:
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_PICKLIST_BYTES + 1)
    except OSError as err:
        raise PicklistError(f"{shown}: cannot be read ({err.strerror or err}): give the picklist CSV exported "
                          "from the CRM") from None
    if len(raw) > MAX_PICKLIST_BYTES:
        raise PicklistError(f"{shown}: is larger than {MAX_PICKLIST_BYTES:,} bytes, too large for a picklist: "
                          "export only the picklist fields")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise PicklistError(f"{shown}:{line}: not UTF-8 text: export the picklist as UTF-8 CSV") from None


def _records(text: str, shown: str) -> list[tuple[int, list[str]]]:
    """(line the record starts on, cells) for every record that is not blank."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as err:
        raise PicklistError(f"{shown}:{start}: not readable as CSV ({err}): export the picklist again as CSV") from None
    return records


def _header(cells: list[str], where: str) -> dict[str, int]:
    """Column name -> position, for the columns the check reads."""
    names = [cell.strip().casefold() for cell in cells]
    if len(names) == 1 and any(sep in cells[0] for sep in ";\t|"):
        raise PicklistError(f"{where}: the columns are not separated by commas: export the picklist as "
                          "comma-separated CSV")
    for name in _REQUIRED_COLUMNS:
        if name not in names:
            raise PicklistError(f"{where}: the header row has no '{name}' column: the first row names the "
                              "columns, at least object,field,value")
    for name in (*_REQUIRED_COLUMNS, "active"):
        if names.count(name) > 1:
            raise PicklistError(f"{where}: the header row names the column '{name}' more than once; keep one")
    return {name: names.index(name) for name in (*_REQUIRED_COLUMNS, "active") if name in names}


def _row(line: int, cells: list[str], columns: dict[str, int], shown: str) -> PicklistRow | Finding:
    def cell(name: str) -> str:
        at = columns.get(name, len(cells))
        return cells[at].strip() if at < len(cells) else ""

    for name in _REQUIRED_COLUMNS:
        if not cell(name):
            return Finding(shown, line, 0, f"the row has no {name}: fill in object, field and value, "
                                           "or remove the row")
    active = cell("active").casefold()
    if active not in _ACTIVE | _INACTIVE:
        return Finding(shown, line, 0, f"active is '{shorten(cell('active'))}': write true or false")
    return PicklistRow(line, cell("object"), cell("field"), cell("value"), active not in _INACTIVE)



def _pair(obj: str, field: str) -> tuple[str, str]:
    """An object and field as matched: case and surrounding spaces aside."""
    return obj.strip().casefold(), field.strip().casefold()


def state_field(doc: Document) -> tuple[str, str]:
    """A state's CRM object and field, as matched against the picklist's."""
    return _pair(doc.data["crm"]["object"], doc.data["crm"]["field"])


def _named(obj: str, field: str) -> str:
    return f"{shorten(obj, 40)} / {shorten(field, 40)}"


def compare(states: list[Document], rows: list[PicklistRow], shown: str) -> list[Finding]:
    """Every state whose value the picklist lacks, every picklist value of the states' fields that
    no state has, and every retired value a state uses; sorted."""
    used: dict[tuple[str, str], dict[str, list[str]]] = {}
    for doc in states:
        for value, _ in _value_places(doc):
            used.setdefault(state_field(doc), {}).setdefault(value, []).append(doc.data["id"])
    rows = [row for row in rows if _pair(row.object, row.field) in used]
    listed: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        listed.setdefault(_pair(row.object, row.field), set()).add(row.value)
    findings = [_missing(doc, value, place, listed.get(state_field(doc)), shown) for doc in states
                for value, place in _value_places(doc) if value not in listed.get(state_field(doc), set())]
    findings.extend(finding for row in rows if (finding := _extra_or_inactive(row, used, shown)) is not None)
    return sorted(findings)


def _extra_or_inactive(row: PicklistRow, used: dict[tuple[str, str], dict[str, list[str]]],
                       shown: str) -> Finding | None:
    """The finding for an active picklist value that no state has, or a retired one a state uses; else None."""
    states_using = used[_pair(row.object, row.field)].get(row.value, [])
    value, named = shorten(row.value), _named(row.object, row.field)
    if row.active == bool(states_using):  # in use, or retired and unused (kept for old records)
        return None
    if row.active:
        return Finding(shown, row.line, 0, f"'{value}' ({named}) is a value in the CRM that no lifecycle state "
                       "has: add a state for it to the playbook, or retire it in the CRM")
    names = "', '".join(states_using)
    return Finding(shown, row.line, 0, f"'{value}' ({named}) is inactive in the CRM, but the lifecycle state "
                   f"'{names}' uses it: activate it in the CRM, or change that state's crm.value")


def _missing(doc: Document, written: str, place: tuple[str | int, ...], values: set[str] | None,
             shown: str) -> Finding:
    """The finding for a state value that is not in the picklist, at the value in its file."""
    crm = doc.data["crm"]
    line, column = doc.where(place)
    named, value, field = _named(crm["object"], crm["field"]), shorten(written), format_path(place)
    if not values:
        message = (f"{field}: '{value}' is not in the picklist: {shown} has no values for {named}; "
                   "export that field's values too, or correct crm.object and crm.field")
    else:
        message = (f"{field}: '{value}' is not in the picklist for {named}{did_you_mean(written, values)}: "
                   "add it to the CRM, or correct the value here")
    return Finding(doc.display, line, column, message)


def _value_places(doc: Document) -> list[tuple[str, tuple[str | int, ...]]]:
    """(value, where it is written) for each CRM value of a state."""
    stages = doc.data.get("crm_stages") or ()
    if stages:
        return [(stage["value"], ("crm_stages", i, "value")) for i, stage in enumerate(stages)]
    return [(doc.data["crm"]["value"], ("crm", "value"))]

