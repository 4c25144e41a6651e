"""Export the playbook for the CRM and other tools, and check a CRM picklist against it.

`playbook export [--format json|csv] [--playbook DIR] OUT`

- json (the default): one file, OUT, or `-` for standard output, in the shape of
  `schemas/output/export.schema.json`: `{"format": 1, "playbook": {...}, "stages": [...],
  "lifecycle": [...], "handoffs": [...], "terms": [...], "personas": [...], "assets": [...],
  "metrics": [...], "crm": [...]}`. Every entry is its YAML data exactly as loaded (dates stay
  text), so nothing written in YAML is lost on the way; stages and lifecycle states come in their
  `order`, the other kinds by id. `crm` repeats each state's CRM object, field and value as one
  row, for import.
- csv: the folder OUT gets one file per kind (playbook.csv, stages.csv, lifecycle.csv,
  handoffs.csv, terms.csv, personas.csv, assets.csv, metrics.csv) and crm.csv: a header row, then
  one row per entry. A nested field gets a dotted column name (`service_level.within`); a list
  is one cell with its items joined by " | "; a list of sets of fields gives one column per
  field, the items in the same order in each (`rejection_reasons.reason`,
  `rejection_reasons.goes_to`). The columns are every field the kind's schema knows, in the
  schema's order, so they stay the same when a field is left out. The CSV is a flat view for
  spreadsheets and imports; the JSON is the exact one (in CSV, an item holding " | " reads as
  two, and an empty list as no list).

Either way the playbook is checked first, as `playbook validate` checks it, and nothing is
written when it has problems. Files are written beside their target and renamed into place once
complete, so a failed export leaves the old one as it was; a link is never written through.

`playbook crm-check PICKLIST.csv [--playbook DIR]`

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

import argparse
import copy
import csv
import io
import json
import os
import re
import sys
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..rules.freshness import TodayError
from ..rules.validate import check
from ..source.document import Document
from ..source.loader import KINDS, LoadedPlaybook, display_path, within
from ..source.problems import PlaybookError, printable
from ..source.schemas import did_you_mean, validator
from ..source.yamltree import format_path, shorten

FORMAT = 1
# Key in the export -> kind of entity (the kind names its schema).
SECTIONS: dict[str, str] = {"playbook": "playbook", **KINDS}
_ORDERED = {"stage", "lifecycle"}  # kinds listed by their `order`; the others by id
_LABELS = {"stages": "stages", "lifecycle": "lifecycle states", "handoffs": "handoffs", "terms": "terms",
           "personas": "personas", "assets": "assets", "metrics": "metrics"}
CRM_COLUMNS = ("object", "field", "value", "state")
LIST_SEPARATOR = " | "
# Where the site publishes the export (paths relative to the site's root).
SITE_JSON = "downloads/playbook.json"
SITE_CSV = "downloads/playbook-csv"
MAX_PICKLIST_BYTES = 5_000_000
_REQUIRED_COLUMNS = ("object", "field", "value")
_INACTIVE = {"false", "0", "no"}
_ACTIVE = {"true", "1", "yes", ""}
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


class ExportError(Exception):
    """The export or the picklist cannot be written or read; the message is one line saying what to do."""


# The command line --------------------------------------------------------------------------------


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `export` and `crm-check` to the `playbook` command."""
    export = commands.add_parser("export", help="write the playbook as JSON or CSV, for the CRM and other tools")
    export.add_argument("out", metavar="OUT",
                        help="the JSON file to write (- for standard output), or with --format csv the folder "
                             "for the CSV files")
    export.add_argument("--format", choices=("json", "csv"), default="json",
                        help="json: one file, every entry as written (default); csv: one file per kind")
    export.add_argument("--playbook", default="playbook", help="the playbook folder (default: playbook)")
    export.set_defaults(run=run_export)
    crm = commands.add_parser("crm-check", help="compare the lifecycle states' CRM values with a picklist "
                                                "exported from the CRM")
    crm.add_argument("picklist", metavar="PICKLIST.csv",
                     help="the CRM's picklist values: a CSV with the columns object,field,value (label and "
                          "active allowed)")
    crm.add_argument("--playbook", default="playbook", help="the playbook folder (default: playbook)")
    crm.set_defaults(run=run_crm_check)


def run(args: argparse.Namespace) -> int:
    """Run `export` or `crm-check`, whichever args name."""
    return run_crm_check(args) if args.command == "crm-check" else run_export(args)


def run_export(args: argparse.Namespace) -> int:
    """`playbook export`: 0 when written, 1 with one line per problem otherwise."""
    root, out = Path(args.playbook), str(args.out)
    if out == "-" and args.format == "csv":
        return _fail("-: CSV is written as one file per kind: name a folder to write them into")
    loaded = _checked_or_report(root)
    if loaded is None:
        return 1
    data = _export(loaded)
    try:
        if out == "-":
            sys.stdout.write(json_text(data))
            return 0
        files = {Path(out): json_text(data)} if args.format == "json" else \
            {Path(out) / name: text for name, text in csv_files(data).items()}
        _write(Path(out), files, root, folder=args.format == "csv")
    except ExportError as err:
        return _fail(str(err))
    except OSError as err:
        return _fail(f"{display_path(Path(out))}: {err.strerror or err}")
    counts = ", ".join(f"{len(data[key])} {label}" for key, label in _LABELS.items())
    print(printable(f"{display_path(root)} exported to {display_path(Path(out))} as {args.format}: {counts}."))
    return 0


def run_crm_check(args: argparse.Namespace) -> int:
    """`playbook crm-check`: 0 when the picklist matches, 1 with one line per difference otherwise."""
    root, picklist = Path(args.playbook), Path(args.picklist)
    loaded = _checked_or_report(root)
    if loaded is None:
        return 1
    try:
        rows, findings = read_picklist(picklist)
    except ExportError as err:
        return _fail(str(err))
    states = _in_order(loaded.documents["lifecycle"], "lifecycle")
    findings = sorted(findings + compare(states, rows, display_path(picklist)))
    for finding in findings:
        print(finding)
    if findings:
        return _fail(f"{_count(len(findings), 'difference')} between {display_path(root)} and "
                     f"{display_path(picklist)}; fix them and run again.")
    fields = {_state_pair(doc) for doc in states}
    print(printable(f"{display_path(picklist)} matches {display_path(root)}: {_count(len(states), 'lifecycle state')}"
                    f", {_count(len(fields), 'CRM field')}, no value missing, extra or inactive."))
    return 0


def _fail(message: str) -> int:
    print(printable(message), file=sys.stderr)
    return 1


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _checked_or_report(root: Path) -> LoadedPlaybook | None:
    """The checked playbook, or None once its problems are printed as `playbook render` prints them."""
    try:
        return checked(root)
    except PlaybookError as err:
        print(err.report(), file=sys.stderr)
    except TodayError as err:
        print(printable(str(err)), file=sys.stderr)
    return None


# The export --------------------------------------------------------------------------------------


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


def export_files(source: Path | str | LoadedPlaybook) -> dict[str, str]:
    """The export as the site publishes it: path relative to the site's root -> content.

    `downloads/playbook.json` (compact) and `downloads/playbook-csv/<key>.csv`, one per kind and
    crm.csv. Takes what export_json takes.
    """
    data = _export(_loaded(source))
    files = {SITE_JSON: json_text(data, compact=True)}
    files.update({f"{SITE_CSV}/{name}": text for name, text in csv_files(data).items()})
    return files


def _loaded(source: Path | str | LoadedPlaybook) -> LoadedPlaybook:
    return source if isinstance(source, LoadedPlaybook) else checked(Path(source))


def _export(loaded: LoadedPlaybook) -> dict[str, Any]:
    """The export, sharing the loaded documents' data (no copy: the site's build exports 10,000
    assets as well as 10)."""
    assert loaded.settings is not None, "checked: a missing playbook.yaml is an error"
    data: dict[str, Any] = {"format": FORMAT, "playbook": loaded.settings.data}
    for key, kind in KINDS.items():
        data[key] = [doc.data for doc in _in_order(loaded.documents[kind], kind)]
    data["crm"] = [{"object": s["crm"]["object"], "field": s["crm"]["field"], "value": value, "state": s["id"]}
                   for s in data["lifecycle"] for value in crm_values(s)]
    return data


def crm_values(state: dict[str, Any]) -> list[str]:
    """The values a state holds in its CRM field: its CRM stages' values when it lists stages, else
    crm.value."""
    return [stage["value"] for stage in state.get("crm_stages") or ()] or [state["crm"]["value"]]


def _value_places(doc: Document) -> list[tuple[str, tuple[str | int, ...]]]:
    """(value, where it is written) for each CRM value of a state."""
    stages = doc.data.get("crm_stages") or ()
    if stages:
        return [(stage["value"], ("crm_stages", i, "value")) for i, stage in enumerate(stages)]
    return [(doc.data["crm"]["value"], ("crm", "value"))]


def _in_order(documents: Iterable[Document], kind: str) -> list[Document]:
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


# Writing -----------------------------------------------------------------------------------------


def _write(out: Path, files: dict[Path, str], root: Path, folder: bool) -> None:
    """Write every file beside its target, then rename each into place: a failure while writing
    leaves every old file as it was. Never writes through a link or into the playbook folder."""
    shown = display_path(out)
    if out.is_symlink():
        raise ExportError(f"{shown}: is a link; name a {'folder' if folder else 'file'} that is not a link")
    if within(Path(os.path.realpath(out)), root.resolve()):
        raise ExportError(f"{shown}: is inside the playbook folder {display_path(root)}, which would then fail "
                          "its checks; write the export elsewhere")
    if folder:
        _make_folder(out)
    elif out.is_dir():
        raise ExportError(f"{shown}: is a folder; name a file such as playbook.json (a folder takes --format csv)")
    elif not out.parent.is_dir():
        raise ExportError(f"{shown}: the folder {display_path(out.parent)} does not exist; make it or name another")
    for target in files:
        if target.is_symlink() or target.is_dir():
            raise ExportError(f"{display_path(target)}: is a {'link' if target.is_symlink() else 'folder'}; "
                              "remove it or write the export elsewhere")
    temps = _write_temps(files, shown)
    for target, temp in temps.items():
        try:
            os.replace(temp, target)
        except OSError as err:
            _remove_all(temps.values())
            raise ExportError(f"{display_path(target)}: could not be put in place ({err.strerror or err}); "
                              "check the folder's permissions and run again") from None


def _make_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ExportError(f"{display_path(out)}: is a file; name a folder for the CSV files")
    if not out.parent.is_dir():
        raise ExportError(f"{display_path(out)}: the folder {display_path(out.parent)} does not exist; "
                          "make it or name another")
    out.mkdir(exist_ok=True)


def _write_temps(files: dict[Path, str], shown: str) -> dict[Path, str]:
    """Target -> a complete temporary file beside it; on failure none is left and nothing is changed."""
    temps: dict[Path, str] = {}
    mode = 0o666 & ~_umask()
    try:
        for target, text in files.items():
            handle, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            temps[target] = temp
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
                file.write(text)
            os.chmod(temp, mode)  # mkstemp makes it private; the export is as readable as any file written
    except OSError as err:
        _remove_all(temps.values())
        raise ExportError(f"{shown}: could not be written ({err.strerror or err}); nothing was changed") from None
    return temps


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _remove_all(paths: Iterable[str]) -> None:
    for path in paths:
        if os.path.lexists(path):
            os.unlink(path)


# The CRM check -----------------------------------------------------------------------------------


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
    """The picklist's rows, and a finding for each row that cannot be used; raises ExportError
    when the file is not a picklist at all (unreadable, too large, not UTF-8, no header)."""
    shown = display_path(path)
    records = _records(_picklist_text(path, shown), shown)
    if not records:
        raise ExportError(f"{shown}: is empty: export the picklist with a header row object,field,value")
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
        raise ExportError(f"{shown}: cannot be read ({err.strerror or err}): give the picklist CSV exported "
                          "from the CRM") from None
    if len(raw) > MAX_PICKLIST_BYTES:
        raise ExportError(f"{shown}: is larger than {MAX_PICKLIST_BYTES:,} bytes, too large for a picklist: "
                          "export only the picklist fields")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ExportError(f"{shown}:{line}: not UTF-8 text: export the picklist as UTF-8 CSV") from None


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
        raise ExportError(f"{shown}:{start}: not readable as CSV ({err}): export the picklist again as CSV") from None
    return records


def _header(cells: list[str], where: str) -> dict[str, int]:
    """Column name -> position, for the columns the check reads."""
    names = [cell.strip().casefold() for cell in cells]
    if len(names) == 1 and any(sep in cells[0] for sep in ";\t|"):
        raise ExportError(f"{where}: the columns are not separated by commas: export the picklist as "
                          "comma-separated CSV")
    for name in _REQUIRED_COLUMNS:
        if name not in names:
            raise ExportError(f"{where}: the header row has no '{name}' column: the first row names the "
                              "columns, at least object,field,value")
    for name in (*_REQUIRED_COLUMNS, "active"):
        if names.count(name) > 1:
            raise ExportError(f"{where}: the header row names the column '{name}' more than once; keep one")
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


def _state_pair(doc: Document) -> tuple[str, str]:
    return _pair(doc.data["crm"]["object"], doc.data["crm"]["field"])


def _named(obj: str, field: str) -> str:
    return f"{shorten(obj, 40)} / {shorten(field, 40)}"


def compare(states: list[Document], rows: list[PicklistRow], shown: str) -> list[Finding]:
    """Every state whose value the picklist lacks, every picklist value of the states' fields that
    no state has, and every retired value a state uses; sorted."""
    used: dict[tuple[str, str], dict[str, list[str]]] = {}
    for doc in states:
        for value, _ in _value_places(doc):
            used.setdefault(_state_pair(doc), {}).setdefault(value, []).append(doc.data["id"])
    rows = [row for row in rows if _pair(row.object, row.field) in used]
    listed: dict[tuple[str, str], set[str]] = {}
    for row in rows:
        listed.setdefault(_pair(row.object, row.field), set()).add(row.value)
    findings = [_missing(doc, value, place, listed.get(_state_pair(doc)), shown) for doc in states
                for value, place in _value_places(doc) if value not in listed.get(_state_pair(doc), set())]
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
