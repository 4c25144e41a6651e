"""The CRM check behind `playbook crm-check PICKLIST [--playbook DIR]`: the lifecycle states' CRM
values compared with the values the CRM has (commands/export.py runs it). This is the one
comparison; crm_formats.py reads the CRMs' own files (Salesforce metadata and reports, HubSpot
JSON) into the same rows, with their labels, probabilities and forecast categories, which are
compared here too (crm_fields.py says what the playbook expects of them).

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

A row read from a CRM's own file may carry a label: it then matches a state by its value or by its
label, and one matched by its value whose label differs is reported. It may carry facts
(probability, forecast category, closed, won, converted), each compared with what the playbook
gives for the state's value, where it gives one.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..source.document import Document
from ..source.filepaths import display_path
from ..source.paths import format_path, shorten
from ..source.problems import printable
from ..source.schemas import did_you_mean
from .crm_fields import SALESFORCE_FORECAST, Facts, expected, field_key, state_values

MAX_PICKLIST_BYTES = 5_000_000
_REQUIRED_COLUMNS = ("object", "field", "value")
_INACTIVE = {"false", "0", "no"}
_ACTIVE = {"true", "1", "yes", ""}


class PicklistError(Exception):
    """The picklist cannot be read at all; the message is one line saying what to do."""


@dataclass(frozen=True, order=True)
class Finding:
    """One difference between the playbook and the picklist, where it is (column 0: a CSV line).
    In a JSON file, pointer (a JSON pointer) says where, and line only keeps the file's order."""

    file: str
    line: int
    column: int
    message: str
    pointer: str = ""

    def __str__(self) -> str:
        if self.pointer:
            return printable(f"{self.file}#{self.pointer}: {self.message}")
        where = f"{self.file}:{self.line}" + (f":{self.column}" if self.column else "")
        return printable(f"{where}: {self.message}")


@dataclass(frozen=True)
class PicklistRow:
    """One value of a CRM field. file: the file it is in, when not the one the check was given;
    places: fact name (or "label") -> (line, JSON pointer) where the file gives it."""

    line: int
    object: str
    field: str
    value: str
    active: bool
    label: str | None = None
    file: str = ""
    pointer: str = ""
    facts: Facts = Facts()
    places: dict[str, tuple[int, str]] = dataclasses.field(default_factory=dict)


def read_picklist(path: Path) -> tuple[list[PicklistRow], list[Finding]]:
    """The picklist's rows, and a finding for each row that cannot be used; raises PicklistError
    when the file is not a picklist at all (unreadable, too large, not UTF-8, no header)."""
    shown = display_path(path)
    return picklist_rows(csv_records(picklist_text(read_bounded(path, shown), shown), shown), shown)


def picklist_rows(records: list[tuple[int, list[str]]], shown: str) -> tuple[list[PicklistRow], list[Finding]]:
    """The rows of a picklist CSV in this check's own shape, from its records (csv_records)."""
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


def read_bounded(path: Path, shown: str) -> bytes:
    """The file's bytes; PicklistError when it cannot be read or is larger than MAX_PICKLIST_BYTES."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_PICKLIST_BYTES + 1)
    except OSError as err:
        raise PicklistError(f"{shown}: cannot be read ({err.strerror or err}): give the picklist CSV exported "
                          "from the CRM") from None
    if len(raw) > MAX_PICKLIST_BYTES:
        raise PicklistError(f"{shown}: is larger than {MAX_PICKLIST_BYTES:,} bytes, too large for a picklist: "
                          "export only the picklist fields")
    return raw


def picklist_text(raw: bytes, shown: str) -> str:
    """The CSV's text; PicklistError when it is not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise PicklistError(f"{shown}:{line}: not UTF-8 text: export the picklist as UTF-8 CSV") from None


def csv_records(text: str, shown: str) -> list[tuple[int, list[str]]]:
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



def state_field(doc: Document) -> tuple[str, str]:
    """A state's CRM object and field, as matched against the picklist's (crm_fields.field_key)."""
    return field_key(doc.data["crm"]["object"], doc.data["crm"]["field"])


def _named(obj: str, field: str) -> str:
    return f"{shorten(obj, 40)} / {shorten(field, 40)}"


_Place = tuple[Document, tuple[str | int, ...], int | None]


def compare(states: list[Document], rows: list[PicklistRow], shown: str,
            categories: list[dict[str, Any]] | None = None,
            fields: set[tuple[str, str]] | None = None) -> list[Finding]:
    """Every state whose value the picklist lacks, every picklist value of the states' fields that
    no state has, every retired value a state uses, and every label or fact of a value that
    differs from the playbook (categories: playbook.yaml's forecast_categories); sorted. With
    fields (field_key pairs), only the states of those fields are compared."""
    by_id = {doc.data["id"]: doc for doc in states}
    states = [doc for doc in states if fields is None or state_field(doc) in fields]
    used: dict[tuple[str, str], dict[str, list[_Place]]] = {}
    for doc in states:
        for value, place, index in state_values(doc):
            used.setdefault(state_field(doc), {}).setdefault(value, []).append((doc, place, index))
    rows = [row for row in rows if field_key(row.object, row.field) in used]
    listed: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        names = listed.setdefault(field_key(row.object, row.field), set())
        names.update([row.value] if row.label is None else [row.value, row.label])
    findings = [_missing(doc, value, place, listed.get(state_field(doc)), shown) for doc in states
                for value, place, _ in state_values(doc) if value not in listed.get(state_field(doc), set())]
    for row in rows:
        findings.extend(_row_findings(row, used[field_key(row.object, row.field)], by_id, categories or [],
                                      row.file or shown))
    return sorted(findings)


def _row_findings(row: PicklistRow, values: dict[str, list[_Place]], states: dict[str, Document],
                  categories: list[dict[str, Any]], shown: str) -> list[Finding]:
    """An active picklist value that no state has, or a retired one a state uses; else what differs
    in its label and facts."""
    places = values.get(row.value) or (values.get(row.label, []) if row.label is not None else [])
    value, named = shorten(row.value), _named(row.object, row.field)
    if row.active != bool(places):
        if row.active:
            return [Finding(shown, row.line, 0, f"'{value}' ({named}) is a value in the CRM that no lifecycle "
                            "state has: add a state for it to the playbook, or retire it in the CRM", row.pointer)]
        names = "', '".join(doc.data["id"] for doc, _, _ in places)
        return [Finding(shown, row.line, 0, f"'{value}' ({named}) is inactive in the CRM, but the lifecycle state "
                        f"'{names}' uses it: activate it in the CRM, or change that state's crm.value", row.pointer)]
    if not places:  # retired and unused: kept for old records
        return []
    doc, place, index = places[0]

    def at(name: str, message: str) -> Finding:
        line, pointer = row.places.get(name, (row.line, row.pointer))
        return Finding(shown, line, 0, f"'{value}' ({named}) {message}", pointer)

    findings = []
    if row.value in values and row.label is not None and row.label != row.value:
        findings.append(at("label", f"is labelled '{shorten(row.label)}' in the CRM, but the playbook calls it "
                                    f"'{value}' ({doc.display}): set the label back to '{value}', or, if the new "
                                    "name is agreed, change the value in the playbook and in the CRM"))
    want = expected(doc, index, states, categories)
    findings.extend(at(name, message) for name, message in _fact_messages(row.facts, want, doc, index))
    return findings


def _fact_messages(got: Facts, want: Facts, doc: Document, index: int | None) -> list[tuple[str, str]]:
    """(fact, message) for each fact the CRM and the playbook both give and that differs."""
    stage = doc.data["crm_stages"][index] if index is not None else {}
    state = f"the lifecycle state '{doc.data['id']}' ({doc.display})"
    done = "closed won" if want.won else "closed lost"
    out: list[tuple[str, str]] = []
    if got.probability is not None and want.probability is not None and got.probability != want.probability:
        said = (f"{doc.display} gives {want.probability}% at crm_stages[{index}].probability"
                if "probability" in stage else f"a {done} stage is {want.probability}% ({state})")
        out.append(("probability", f"has probability {got.probability}% in the CRM, but {said}: set it to "
                                   f"{want.probability} in the CRM, or correct the playbook"))
    if got.forecast is not None and want.forecast is not None and got.forecast != want.forecast:
        crm = f"{SALESFORCE_FORECAST.get(got.forecast, got.forecast)} ({got.forecast})"
        if "forecast_category" not in stage:
            out.append(("forecast", f"is in the forecast category {crm} in the CRM, but a {done} stage is "
                                    f"in {want.forecast} ({state}): set it to {want.forecast} in the CRM"))
        elif not want.forecast:
            out.append(("forecast", f"is in the forecast category {crm} in the CRM, but the playbook's category "
                                    f"'{stage['forecast_category']}' ({doc.display}) has no Salesforce equivalent: "
                                    "name the playbook's categories Pipeline, Best Case, Commit, Closed and Omitted"))
        else:
            out.append(("forecast", f"is in the forecast category {crm} in the CRM, but {doc.display} puts it in "
                                    f"'{stage['forecast_category']}', which is {SALESFORCE_FORECAST[want.forecast]} "
                                    f"({want.forecast}): set it to {SALESFORCE_FORECAST[want.forecast]} in the "
                                    f"CRM, or change crm_stages[{index}].forecast_category"))
    for name, yes, no in (("closed", "closed", "open"), ("won", "won", "not won"),
                          ("converted", "a converted status", "not a converted status")):
        got_it, want_it = getattr(got, name), getattr(want, name)
        if got_it is not None and want_it is not None and got_it != want_it:
            reason = {"closed": "its next states", "won": "its next states and id",
                      "converted": "whether an opportunity is among its next states"}[name]
            out.append((name, f"is {yes if got_it else no} in the CRM, but {state} is {yes if want_it else no} "
                              f"by {reason}: mark it {yes if want_it else no} in the CRM, or correct the playbook"))
    return out


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
