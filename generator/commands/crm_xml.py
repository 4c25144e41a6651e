"""Salesforce's StandardValueSet metadata, read safely, for the CRM check (crm_formats.py).

`sf project retrieve start --metadata StandardValueSet:LeadStatus` writes
`standardValueSets/LeadStatus.standardValueSet-meta.xml`:

    <StandardValueSet xmlns="http://soap.sforce.com/2006/04/metadata">
        <sorted>false</sorted>
        <standardValue>
            <fullName>Working</fullName>
            <default>false</default>
            <label>Working</label>
            <converted>false</converted>
        </standardValue>
    </StandardValueSet>

OpportunityStage's values carry <closed>, <won>, <probability> and <forecastCategory> (Omitted,
Pipeline, BestCase, Forecast, Closed) in place of <converted>. Which set a file holds is read from
its values: <converted> makes it LeadStatus, any of the stage elements OpportunityStage; only a
file whose values carry neither is named by its file name (LeadStatus.standardValueSet-meta.xml).
A value matches the playbook by its fullName (the API name, what a record stores) or its label.

The XML is parsed by expat, as xml.etree.ElementTree parses it, with lines kept for each element;
a document with a DOCTYPE or an ENTITY declaration is refused before it is parsed (no entity is
expanded, no DTD or external file read), and elements nested deeper than 20 are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.parsers import expat

from .crm import Finding, PicklistError, PicklistRow
from .crm_fields import SALESFORCE_FORECAST, Facts

NAMESPACE = "http://soap.sforce.com/2006/04/metadata"
# A value set's name -> the object and field it is the values of.
VALUE_SETS = {"LeadStatus": ("Lead", "Lead Status"), "OpportunityStage": ("Opportunity", "Stage")}
_STAGE_ELEMENTS = {"closed", "won", "probability", "forecastCategory"}
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_MAX_DEPTH = 20
_BOOLEANS = {"true": True, "false": False}


@dataclass
class Element:
    """An element: its name without the namespace, the namespace, its text and the line it starts on."""

    name: str
    namespace: str
    line: int
    text: str = ""
    children: list[Element] = field(default_factory=list)

    def child(self, name: str) -> Element | None:
        return next((c for c in self.children if c.name == name), None)


class _Refused(Exception):
    pass


def parse(raw: bytes, shown: str) -> Element:
    """The document's root element; PicklistError for a declaration or XML that is not well-formed."""
    found = _DECLARATION.search(raw)
    if found:
        line = raw[: found.start()].count(b"\n") + 1
        raise PicklistError(f"{shown}:{line}: has a <!{found.group(1).decode().upper()} declaration, which "
                            "crm-check refuses to read (it can pull in other files or grow without end): retrieve "
                            "the file again with sf project retrieve start, which writes none")
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[Element] = []
    roots: list[Element] = []

    def refuse(*_: object) -> None:
        raise _Refused(f"{shown}:{parser.CurrentLineNumber}: has a DOCTYPE or ENTITY declaration, which "
                       "crm-check refuses to read: retrieve the file again with sf project retrieve start")

    def start(name: str, _attributes: dict[str, str]) -> None:
        namespace, _, local = name.rpartition("}")
        if len(stack) >= _MAX_DEPTH:
            raise _Refused(f"{shown}:{parser.CurrentLineNumber}: elements are nested more than {_MAX_DEPTH} deep, "
                           "which no metadata file is: give the file sf project retrieve start wrote")
        element = Element(local, namespace, parser.CurrentLineNumber)
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def end(_name: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            stack[-1].text += data

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(raw, True)
    except _Refused as err:
        raise PicklistError(str(err)) from None
    except expat.ExpatError as err:
        raise PicklistError(f"{shown}:{err.lineno}: is not well-formed XML ({expat.ErrorString(err.code)}): "
                            "retrieve the file again with sf project retrieve start") from None
    return roots[0]


def is_value_set(root: Element) -> bool:
    return root.name == "StandardValueSet" and root.namespace == NAMESPACE


def is_manifest(root: Element) -> bool:
    return root.name == "Package" and root.namespace == NAMESPACE


def value_set_rows(root: Element, shown: str, file_name: str
                   ) -> tuple[tuple[str, str] | None, list[PicklistRow], list[Finding]]:
    """The object and field a StandardValueSet holds the values of (None: not known), its values,
    and a finding for each that cannot be used."""
    values = [c for c in root.children if c.name == "standardValue"]
    named = {c.name for v in values for c in v.children}
    name = ("OpportunityStage" if named & _STAGE_ELEMENTS else "LeadStatus" if "converted" in named
            else file_name.split(".", 1)[0])
    if name not in VALUE_SETS:
        return None, [], [Finding(shown, root.line, 0, "cannot tell which value set this is, LeadStatus or "
                            "OpportunityStage: its values carry neither <converted> nor <probability>; keep the "
                            "file name sf project retrieve start gives it (LeadStatus.standardValueSet-meta.xml)")]
    obj, fld = VALUE_SETS[name]
    rows: list[PicklistRow] = []
    findings: list[Finding] = []
    for value in values:
        row = _row(value, obj, fld, shown)
        if isinstance(row, Finding):
            findings.append(row)
        else:
            rows.append(row)
    return (obj, fld), rows, findings


def _row(value: Element, obj: str, fld: str, shown: str) -> PicklistRow | Finding:
    full = value.child("fullName")
    if full is None or not full.text.strip():
        return Finding(shown, value.line, 0, "the <standardValue> has no <fullName>: give each value its API name")
    places: dict[str, tuple[int, str]] = {}
    flags: dict[str, bool | None] = {}
    for name in ("closed", "won", "converted", "isActive"):
        child = value.child(name)
        flags[name] = None
        if child is not None:
            if child.text.strip() not in _BOOLEANS:
                return Finding(shown, child.line, 0, f"<{name}> is '{child.text.strip()[:40]}': write true or false")
            flags[name], places[name] = _BOOLEANS[child.text.strip()], (child.line, "")
    probability: int | None = None
    element = value.child("probability")
    if element is not None:
        try:
            probability = round(float(element.text.strip()))
        except ValueError:
            return Finding(shown, element.line, 0, f"<probability> is '{element.text.strip()[:40]}': write "
                                                   "a percentage from 0 to 100")
        places["probability"] = (element.line, "")
    forecast: str | None = None
    element = value.child("forecastCategory")
    if element is not None:
        forecast = element.text.strip()
        if forecast not in SALESFORCE_FORECAST:
            return Finding(shown, element.line, 0, f"<forecastCategory> is '{forecast[:40]}': write one of "
                                                   f"{', '.join(SALESFORCE_FORECAST)}")
        places["forecast"] = (element.line, "")
    label = value.child("label")
    if label is not None:
        places["label"] = (label.line, "")
    facts = Facts(probability, forecast, flags["closed"], flags["won"], flags["converted"])
    return PicklistRow(full.line, obj, fld, full.text.strip(), flags["isActive"] is not False,
                       label=label.text.strip() if label is not None else None, file=shown, facts=facts,
                       places=places)
