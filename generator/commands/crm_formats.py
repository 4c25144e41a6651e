"""The files `playbook crm-check` reads, told apart by their content, never by their name, and read
into the rows the one comparison in crm.py takes.

- `<` first (after a byte order mark and spaces): XML, Salesforce's StandardValueSet metadata
  (crm_xml.py). A package.xml manifest in a folder is passed over.
- `{` or `[` first: JSON from HubSpot's CRM API. A property, as GET
  /crm/v3/properties/{objectType}/{propertyName} returns it (`{"name": "hs_lead_status", "options":
  [{"label", "value", "displayOrder", "hidden"}]}`), a list of them, or `{"results": [...]}`; a deal
  pipeline, as GET /crm/v3/pipelines/deals returns them (`{"results": [{"id", "label", "stages":
  [{"id", "label", "displayOrder", "metadata": {"probability": "0.2", "isClosed": "false"}}]}]}`),
  or one pipeline (the body of POST /crm/v3/pipelines/deals). An option matches by its value or
  label, hidden means retired; a stage matches by its label (HubSpot makes up stage ids), archived
  means retired, and its probability (0 to 1) is compared as a percentage. lifecyclestage and
  hs_lead_status are fields of Contact; any other property is read as Contact / its name.
- Anything else: CSV. A header with a column `API Name` (or `Picklist Value API Name`, `Value API
  Name`) or `Picklist Value` is a Salesforce picklist report:
      Object,Field,Picklist Value,API Name,Active,Default,Probability,Forecast Category,Closed,Won,Converted
  (Object, Field, and API Name or Picklist Value needed; the rest optional; Field by label or API
  name, e.g. Stage or StageName; Probability 10 or 10%; Forecast Category by label or API name). A
  header naming object, field or value is the check's own picklist CSV (crm.py). Any other file
  is refused with the list of formats understood.

A path that is a folder is searched for .xml, .json and .csv files (at most MAX_FILES, links not
followed); every problem in every file is reported in one run. Each file is read only up to
crm.MAX_PICKLIST_BYTES. A CSV may hold values of any field, so states of fields it lacks are
reported; a metadata or JSON file holds only its own fields, and only their states are compared.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..source.filepaths import display_path
from .crm import Finding, PicklistError, PicklistRow, csv_records, picklist_rows, picklist_text, read_bounded
from .crm_fields import Facts, field_key, forecast_name
from .crm_xml import is_manifest, is_value_set, parse, value_set_rows

MAX_FILES = 1000
FORMATS = ("it reads the playbook's picklist CSV (columns object,field,value); a Salesforce picklist report CSV "
           "(Object,Field,API Name,Label,Active); Salesforce StandardValueSet metadata "
           "(LeadStatus.standardValueSet-meta.xml, OpportunityStage.standardValueSet-meta.xml, or their folder); "
           "HubSpot property JSON with its options (lifecyclestage, hs_lead_status); and HubSpot deal pipeline "
           "JSON (GET /crm/v3/pipelines/deals)")
_REPORT = {"object": ("object", "object name", "object api name"),
           "field": ("field", "field name", "field label", "field api name"),
           "value": ("api name", "picklist value api name", "value api name"),
           "label": ("picklist value", "label", "picklist value label", "value label"),
           "active": ("active", "is active", "isactive"), "probability": ("probability", "probability (%)"),
           "forecast": ("forecast category", "forecastcategory"), "closed": ("closed", "is closed", "isclosed"),
           "won": ("won", "is won", "iswon"), "converted": ("converted", "is converted", "isconverted")}
_YES, _NO = {"true", "1", "yes"}, {"false", "0", "no"}


@dataclass
class CrmValues:
    """What the CRM's files hold: rows, findings on rows, lines for files that could not be read,
    and the fields the files hold (None: any field, for a CSV)."""

    rows: list[PicklistRow] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    fields: set[tuple[str, str]] | None = field(default_factory=set)

    def add(self, other: CrmValues) -> None:
        self.rows += other.rows
        self.findings += other.findings
        self.errors += other.errors
        self.fields = None if self.fields is None or other.fields is None else self.fields | other.fields


def read_crm(path: Path) -> CrmValues:
    """The values in a file or a folder of files; PicklistError when a single file cannot be read
    or is in no format understood, or a folder holds none."""
    if not path.is_dir():
        read = _read_file(read_bounded(path, display_path(path)), display_path(path))
        if read is None:
            raise PicklistError(f"{display_path(path)}: is a package.xml manifest, which lists no values: give the "
                                "StandardValueSet files, or the folder that holds them")
        return read
    found = CrmValues()
    files = _files(path)
    for file in files:
        shown = display_path(file)
        try:
            read = _read_file(read_bounded(file, shown), shown)
        except PicklistError as err:
            found.errors.append(str(err))
            continue
        if read is not None:
            found.add(read)
    if not files:
        raise PicklistError(f"{display_path(path)}: has no .xml, .json or .csv file: {FORMATS}")
    return found


def _files(folder: Path) -> list[Path]:
    found: list[Path] = []
    for top, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(top) / n for n in sorted(names) if not n.startswith(".")
                  and n.rsplit(".", 1)[-1].casefold() in ("xml", "json", "csv")]
        if len(found) > MAX_FILES:
            raise PicklistError(f"{display_path(folder)}: holds more than {MAX_FILES} files to read: give the "
                                "folder of the value sets only")
    return found


def _read_file(raw: bytes, shown: str) -> CrmValues | None:
    """A file's values by its content; None for a package.xml manifest."""
    first = raw.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    if first == b"<":
        root = parse(raw, shown)
        if is_manifest(root):
            return None
        if not is_value_set(root):
            raise PicklistError(f"{shown}:{root.line}: is XML but not a Salesforce StandardValueSet "
                                f"(<{root.name[:40]}>): {FORMATS}")
        pair, rows, findings = value_set_rows(root, shown, Path(shown).name)
        return CrmValues(rows, findings, [], {field_key(*pair)} if pair else set())
    if first in (b"{", b"["):
        return _json(raw, shown)
    records = csv_records(picklist_text(raw, shown), shown)
    names = [" ".join(cell.split()).casefold() for cell in records[0][1]] if records else []
    if any(name in _REPORT["value"] or name == "picklist value" for name in names):
        return _report(records, names, shown)
    if not records or {"object", "field", "value"} & set(names) or (len(names) == 1 and re.search("[;\t|]", names[0])):
        rows, findings = picklist_rows(records, shown)
        return CrmValues(rows, findings, [], None)
    raise PicklistError(f"{shown}:{records[0][0]}: is not in a format crm-check reads (the header row names none "
                        f"of object, field, value or API Name): {FORMATS}")


# Salesforce picklist report ----------------------------------------------------------------------


def _report(records: list[tuple[int, list[str]]], names: list[str], shown: str) -> CrmValues:
    columns = {key: next(names.index(n) for n in options if n in names)
               for key, options in _REPORT.items() if any(n in names for n in options)}
    if "value" not in columns:
        columns["value"] = columns.pop("label")
    for key in ("object", "field"):
        if key not in columns:
            raise PicklistError(f"{shown}:{records[0][0]}: the Salesforce report has no '{key.title()}' column: "
                                "give Object, Field, API Name, Label and Active")
    found = CrmValues(fields=None)
    for line, cells in records[1:]:
        row = _report_row(line, [cell.strip() for cell in cells], columns, shown)
        if isinstance(row, Finding):
            found.findings.append(row)
        else:
            found.rows.append(row)
    return found


def _report_row(line: int, cells: list[str], columns: dict[str, int], shown: str) -> PicklistRow | Finding:
    def cell(name: str) -> str:
        at = columns.get(name, len(cells))
        return cells[at] if at < len(cells) else ""

    for name in ("object", "field", "value"):
        if not cell(name):
            return Finding(shown, line, 0, f"the row has no {'API Name' if name == 'value' else name.title()}: "
                                           "fill it in, or remove the row")
    flags: dict[str, bool | None] = {}
    for name in ("active", "closed", "won", "converted"):
        text = cell(name).casefold()
        if text not in _YES | _NO | {""}:
            return Finding(shown, line, 0, f"{name.title()} is '{cell(name)[:40]}': write true or false")
        flags[name] = None if not text else text in _YES
    probability: int | None = None
    if cell("probability"):
        try:
            probability = round(float(cell("probability").removesuffix("%")))
        except ValueError:
            return Finding(shown, line, 0, f"Probability is '{cell('probability')[:40]}': write a percentage")
    forecast = forecast_name(cell("forecast")) if cell("forecast") else None
    if cell("forecast") and forecast is None:
        return Finding(shown, line, 0, f"Forecast Category is '{cell('forecast')[:40]}': write Pipeline, Best "
                                       "Case, Commit, Closed or Omitted")
    label = cell("label") if "label" in columns and columns["label"] != columns["value"] and cell("label") else None
    facts = Facts(probability, forecast, flags["closed"], flags["won"], flags["converted"])
    return PicklistRow(line, cell("object"), cell("field"), cell("value"), flags["active"] is not False, label=label,
                       file=shown, facts=facts)


# HubSpot JSON ------------------------------------------------------------------------------------


def _json(raw: bytes, shown: str) -> CrmValues:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise PicklistError(f"{shown}: not UTF-8 text: save the JSON as UTF-8") from None
    except json.JSONDecodeError as err:
        raise PicklistError(f"{shown}:{err.lineno}:{err.colno}: not readable as JSON ({err.msg}): save the API's "
                            "answer again as it came") from None
    except RecursionError:
        raise PicklistError(f"{shown}: is nested too deep for JSON from HubSpot: save the API's answer") from None
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        items = [(f"/results/{i}", item) for i, item in enumerate(data["results"])]
    elif isinstance(data, list):
        items = [(f"/{i}", item) for i, item in enumerate(data)]
    else:
        items = [("", data)]
    found = CrmValues()
    known = [(p, item) for p, item in items if isinstance(item, dict)
             and (isinstance(item.get("options"), list) or isinstance(item.get("stages"), list))]
    if not known:
        raise PicklistError(f"{shown}: is JSON but holds no HubSpot property with options and no pipeline with "
                            f"stages: {FORMATS}")
    for pointer, item in known:
        if "stages" in item:
            _pipeline(item, pointer, shown, found)
        else:
            _property(item, pointer, shown, found)
    return found


def _text(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _property(item: dict[str, Any], pointer: str, shown: str, found: CrmValues) -> None:
    name = _text(item, "name")
    if name is None:
        found.findings.append(Finding(shown, len(found.rows), 0, "the property has no name: give the API's answer "
                                      "whole", f"{pointer}/name"))
        return
    assert found.fields is not None
    found.fields.add(field_key("Contact", name))
    for i, option in enumerate(item["options"]):
        at = f"{pointer}/options/{i}"
        value = _text(option, "value") if isinstance(option, dict) else None
        if value is None:
            found.findings.append(Finding(shown, len(found.rows), 0, "the option has no value: give each option "
                                          "its internal value", at))
            continue
        hidden = option.get("hidden") is True
        found.rows.append(PicklistRow(len(found.rows) + 1, "Contact", name, value, not hidden,
                                      label=_text(option, "label"), file=shown, pointer=f"{at}/value",
                                      places={"label": (len(found.rows) + 1, f"{at}/label")}))


def _pipeline(item: dict[str, Any], pointer: str, shown: str, found: CrmValues) -> None:
    assert found.fields is not None
    found.fields.add(field_key("Deal", "dealstage"))
    for i, stage in enumerate(item["stages"]):
        at, line = f"{pointer}/stages/{i}", len(found.rows) + 1
        label = _text(stage, "label") if isinstance(stage, dict) else None
        if label is None:
            found.findings.append(Finding(shown, line, 0, "the stage has no label: give each stage its label", at))
            continue
        metadata = stage.get("metadata") if isinstance(stage.get("metadata"), dict) else {}
        probability, closed = metadata.get("probability"), str(metadata.get("isClosed", "")).casefold()
        percent: int | None = None
        if probability is not None:
            try:
                percent = round(float(probability) * 100)
            except (TypeError, ValueError):
                found.findings.append(Finding(shown, line, 0, f"probability is '{str(probability)[:40]}': write a "
                                              "number from 0.0 to 1.0", f"{at}/metadata/probability"))
                continue
        places = {"probability": (line, f"{at}/metadata/probability"), "closed": (line, f"{at}/metadata/isClosed")}
        facts = Facts(percent, closed=None if closed not in ("true", "false") else closed == "true")
        found.rows.append(PicklistRow(line, "Deal", "dealstage", label, stage.get("archived") is not True,
                                      file=shown, pointer=f"{at}/label", facts=facts, places=places))
