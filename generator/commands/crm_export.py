"""The playbook's picklists in the shapes Salesforce and HubSpot deploy: `playbook export --format
salesforce|hubspot OUT` (export.py writes the files these functions make).

Which values: the states' CRM values (each CRM stage's value, else crm.value), in the states'
order, of the three fields crm_fields.py knows under several names: lead status, opportunity
stage and lifecycle stage. A field no state names is not written.

salesforce: `standardValueSets/LeadStatus.standardValueSet-meta.xml` and
`standardValueSets/OpportunityStage.standardValueSet-meta.xml` (source format, as `sf project
retrieve start` writes them: each value with fullName and label the value, default true for the
first; LeadStatus values with converted, OpportunityStage values with closed, won, and the
forecastCategory and probability the playbook gives or implies) and `package.xml`, the manifest
naming them, for API_VERSION. Written by ElementTree, which escapes the text; a value with a
character XML cannot hold is refused.

hubspot: `hs_lead_status.json` and `lifecyclestage.json`, each a property as GET
/crm/v3/properties/contacts/{name} returns it, its options the values (label and value both the
value, in order, none hidden), and `deals-pipeline.json`, the body for POST
/crm/v3/pipelines/deals: one pipeline whose stages are labelled with the values, with
metadata.probability (0.0 to 1.0) where the playbook gives or implies one and metadata.isClosed.

crm-check reads every one of these files back with no difference.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from ..source.document import Document
from ..source.paths import shorten
from .crm import state_field
from .crm_fields import (
    LEAD_STATUS,
    LIFECYCLE_STAGE,
    OPPORTUNITY_STAGE,
    SALESFORCE_FORECAST,
    Facts,
    expected,
    state_values,
)
from .crm_xml import NAMESPACE

API_VERSION = "62.0"
PIPELINE_LABEL = "Sales pipeline"
# Characters a picklist value cannot hold: control characters (XML 1.0 cannot hold most of them,
# even escaped) and the rest of what XML cannot hold.
_NOT_A_VALUE = re.compile("[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class CrmExportError(Exception):
    """The playbook cannot be written in the CRM's shape; the message says why and what to do."""


Value = tuple[str, Facts]


def field_values(states: list[Document], categories: list[dict[str, Any]]) -> dict[str, list[Value]]:
    """lead status / opportunity stage / lifecycle stage -> (value, facts), in the states' order."""
    by_id = {doc.data["id"]: doc for doc in states}
    found: dict[str, list[Value]] = {}
    for doc in states:
        kind, concept = state_field(doc)
        if kind != "*":
            continue
        for value, _, index in state_values(doc):
            if _NOT_A_VALUE.search(value) or value != value.strip():
                raise CrmExportError(f"{doc.display}: the CRM value '{shorten(value)}' has a control character or "
                                     "spaces around it, which no CRM keeps: remove them")
            if value not in {v for v, _ in found.get(concept, [])}:
                found.setdefault(concept, []).append((value, expected(doc, index, by_id, categories)))
    return found


def salesforce_files(states: list[Document], categories: list[dict[str, Any]]) -> dict[str, str]:
    """Relative path -> text of the Salesforce metadata."""
    values = field_values(states, categories)
    files: dict[str, str] = {}
    for name, concept in (("LeadStatus", LEAD_STATUS), ("OpportunityStage", OPPORTUNITY_STAGE)):
        if values.get(concept):
            files[f"standardValueSets/{name}.standardValueSet-meta.xml"] = _value_set(values[concept], concept)
    if not files:
        raise CrmExportError("no lifecycle state names Lead / Lead Status or Opportunity / Stage: nothing to write "
                             "for Salesforce; name those fields in the states' crm")
    package = ET.Element("Package", xmlns=NAMESPACE)
    types = ET.SubElement(package, "types")
    for path in files:
        ET.SubElement(types, "members").text = path.split("/")[1].split(".")[0]
    ET.SubElement(types, "name").text = "StandardValueSet"
    ET.SubElement(package, "version").text = API_VERSION
    files["package.xml"] = _xml(package)
    return files


def _value_set(values: list[Value], concept: str) -> str:
    root = ET.Element("StandardValueSet", xmlns=NAMESPACE)
    ET.SubElement(root, "sorted").text = "false"
    for i, (value, facts) in enumerate(values):
        item = ET.SubElement(root, "standardValue")
        ET.SubElement(item, "fullName").text = value
        ET.SubElement(item, "default").text = _bool(i == 0)
        ET.SubElement(item, "label").text = value
        if concept == LEAD_STATUS:
            ET.SubElement(item, "converted").text = _bool(bool(facts.converted))
            continue
        ET.SubElement(item, "closed").text = _bool(bool(facts.closed))
        if facts.forecast == "":
            raise CrmExportError(f"'{shorten(value)}': its forecast category has no Salesforce equivalent; name the "
                                 f"playbook's forecast categories after {', '.join(SALESFORCE_FORECAST.values())}")
        if facts.forecast is not None:
            ET.SubElement(item, "forecastCategory").text = facts.forecast
        if facts.probability is not None:
            ET.SubElement(item, "probability").text = str(facts.probability)
        ET.SubElement(item, "won").text = _bool(bool(facts.won))
    return _xml(root)


def _xml(root: ET.Element) -> str:
    ET.indent(root, "    ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _bool(flag: bool) -> str:
    return "true" if flag else "false"


def hubspot_files(states: list[Document], categories: list[dict[str, Any]]) -> dict[str, str]:
    """Relative path -> text of the HubSpot JSON."""
    values = field_values(states, categories)
    files: dict[str, str] = {}
    for name, label, concept in (("hs_lead_status", "Lead Status", LEAD_STATUS),
                                 ("lifecyclestage", "Lifecycle Stage", LIFECYCLE_STAGE)):
        if values.get(concept):
            options = [{"label": v, "value": v, "displayOrder": i, "hidden": False}
                       for i, (v, _) in enumerate(values[concept])]
            files[f"{name}.json"] = _json({"name": name, "label": label, "type": "enumeration", "fieldType": "radio",
                                           "options": options})
    if values.get(OPPORTUNITY_STAGE):
        stages = []
        for i, (value, facts) in enumerate(values[OPPORTUNITY_STAGE]):
            metadata = {} if facts.probability is None else {"probability": str(facts.probability / 100)}
            if facts.closed is not None:
                metadata["isClosed"] = _bool(facts.closed)
            stages.append({"label": value, "displayOrder": i, "metadata": metadata})
        files["deals-pipeline.json"] = _json({"label": PIPELINE_LABEL, "displayOrder": 0, "stages": stages})
    if not files:
        raise CrmExportError("no lifecycle state names a lead status, lifecycle stage or deal stage field: nothing "
                             "to write for HubSpot; name those fields in the states' crm")
    return files


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
