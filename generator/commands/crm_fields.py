"""What the playbook says about each CRM value beyond the value itself, and which CRM fields are
one and the same: shared by the CRM check (crm.py) and the export for Salesforce and HubSpot
(crm_export.py).

Fields. A CRM field is named by its object and field, matched ignoring case. Three fields go by
several names across the CRMs, and each set of names counts as one field:

- lead status: Lead / Lead Status, Lead / Status, Lead / LeadStatus (Salesforce's value set) and
  Contact / hs_lead_status (HubSpot's property), Contact / Lead Status;
- opportunity stage: Opportunity / Stage, Opportunity / StageName, Opportunity / OpportunityStage
  and Deal / Deal Stage, Deal / dealstage, Deal / Stage (HubSpot's deal pipeline);
- lifecycle stage: Contact or Company / Lifecycle Stage or lifecyclestage (HubSpot).

Facts. For a value of a state the playbook gives, or lets one work out:
- probability: the CRM stage's `probability`; a closed stage without one: 100 when won, 0 when lost;
- forecast category: the stage's `forecast_category` as Salesforce names it (below); a closed stage
  without one: Closed when won, Omitted when lost;
- closed: an opportunity state none of whose next states is an opportunity (it leaves the
  opportunity: closed won, closed lost) is closed, and so are its stages; other opportunity
  states are open;
- won: a closed state with a customer among its next states, or whose id ends in "won";
- converted (Salesforce lead statuses): a lead state with an opportunity among its next states.

Forecast categories. Salesforce knows five, by these API names (labels in brackets): Pipeline,
BestCase (Best Case), Forecast (Commit), Closed, Omitted. A playbook category is one of them when
its id or its name, in lower case without spaces, hyphens or other signs, is pipeline, bestcase,
commit or forecast, closed or omitted. Any other category has no Salesforce equivalent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..source.document import Document

LEAD_STATUS, OPPORTUNITY_STAGE, LIFECYCLE_STAGE = "lead status", "opportunity stage", "lifecycle stage"
_OBJECTS = {"leads": "lead", "contacts": "contact", "companies": "company", "deals": "deal",
            "opportunities": "opportunity"}
_FIELDS: dict[tuple[str, str], str] = {
    **{("lead", f): LEAD_STATUS for f in ("lead status", "status", "leadstatus")},
    **{("contact", f): LEAD_STATUS for f in ("hs_lead_status", "lead status")},
    **{("opportunity", f): OPPORTUNITY_STAGE for f in ("stage", "stagename", "opportunity stage",
                                                       "opportunitystage")},
    **{("deal", f): OPPORTUNITY_STAGE for f in ("deal stage", "dealstage", "stage")},
    **{(o, f): LIFECYCLE_STAGE for o in ("contact", "company") for f in ("lifecycle stage", "lifecyclestage")},
}
# Salesforce's API name of a forecast category -> the label its users see.
SALESFORCE_FORECAST = {"Pipeline": "Pipeline", "BestCase": "Best Case", "Forecast": "Commit", "Closed": "Closed",
                       "Omitted": "Omitted"}
_FORECAST_WORDS = {"pipeline": "Pipeline", "bestcase": "BestCase", "commit": "Forecast", "forecast": "Forecast",
                   "closed": "Closed", "omitted": "Omitted"}


def field_key(obj: str, field: str) -> tuple[str, str]:
    """An object and field as matched: case and surrounding spaces aside, and the names of one
    field in different CRMs as one (see the module's docstring)."""
    o, f = obj.strip().casefold(), field.strip().casefold()
    o = _OBJECTS.get(o, o)
    concept = _FIELDS.get((o, f))
    return ("*", concept) if concept else (o, f)


def forecast_name(text: str) -> str | None:
    """Salesforce's API name for a forecast category written as its API name, its label, or a
    playbook category's id or name ("best-case", "Commit"); None when it is none of the five."""
    return _FORECAST_WORDS.get(re.sub(r"[^a-z]", "", text.casefold()))


@dataclass(frozen=True)
class Facts:
    """What is known of one value besides its name; None: not said. forecast is Salesforce's API
    name, or "" for a playbook category with no Salesforce equivalent."""

    probability: int | None = None
    forecast: str | None = None
    closed: bool | None = None
    won: bool | None = None
    converted: bool | None = None


def expected(doc: Document, index: int | None, states: dict[str, Document],
             categories: list[dict[str, Any]]) -> Facts:
    """The facts the playbook gives for a state's value: its CRM stage number `index`, or its
    crm.value when index is None."""
    stage = doc.data["crm_stages"][index] if index is not None else {}
    nexts = [states[n].data["record"] for n in doc.data.get("next_states") or () if n in states]
    record = doc.data["record"]
    if record == "lead":
        return Facts(converted="opportunity" in nexts)
    if record != "opportunity":
        return Facts()
    closed = "opportunity" not in nexts
    won = closed and ("customer" in nexts or doc.data["id"].endswith("won"))
    probability = stage.get("probability")
    if probability is None and closed:
        probability = 100 if won else 0
    forecast: str | None = None
    if stage.get("forecast_category"):
        forecast = category_forecast(stage["forecast_category"], categories) or ""
    elif closed:
        forecast = "Closed" if won else "Omitted"
    return Facts(probability, forecast, closed, won)


def category_forecast(category: str, categories: list[dict[str, Any]]) -> str | None:
    """Salesforce's API name for a playbook forecast category, by its id or its name."""
    for item in categories:
        if item.get("id") == category:
            return forecast_name(str(item["id"])) or forecast_name(str(item.get("name", "")))
    return forecast_name(category)


def state_values(doc: Document) -> list[tuple[str, tuple[str | int, ...], int | None]]:
    """(value, where it is written, its CRM stage number or None) for each CRM value of a state."""
    stages = doc.data.get("crm_stages") or ()
    if stages:
        return [(stage["value"], ("crm_stages", i, "value"), i) for i, stage in enumerate(stages)]
    return [(doc.data["crm"]["value"], ("crm", "value"), None)]
