"""Contradictions between entries that can be checked: two texts of the playbook that cannot both
be true. A term that calls a state final while records move on from it; a forecast category whose
definition is an exit criterion of a stage that counts in it (the forecast would count the deal
one stage early); two cadences for the same records; a "last reviewed" date older than an
agreement; a "does not qualify" item that keeps the record in the very state it does not qualify
for.

They read texts, so they are warnings: a company may make them errors, or turn them off. Each
check reads every text once, after indexing what it compares with, so the cost follows the size
of the playbook.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date

from ..source.document import Document
from ..source.paths import shorten
from ..source.problems import WARNING, Problem, Rule
from .agreed_reasons import reason_texts
from .agreement import AGREED_KINDS, agreement, as_date
from .phrases import Reasons, definition_parts, folded_words, reason_key
from .values import REFERENCE, expand, taken_from

STATE_CALLED_FINAL = Rule(
    "state-called-final", WARNING, "a term or definition that calls a state final while records move on from it",
    doc="""
    A state with next states is not where records end. A term for it (`lifecycle_state`), or the
    state's own definition, that calls it final ("a final state", "is final") says the opposite
    of the lifecycle, and a new hire cannot tell which is right. Reword the text, or make the
    state final (no next states, `final: true`). A warning by default; a company may make it an
    error or turn it off.

    Fails, with these fields in `playbook/terms/lead.yaml`:

        definition: A person who asked to hear from us. A lead is a final state.

    Passes, with these fields in `playbook/terms/lead.yaml`:

        definition: A person who asked to hear from us, until they buy.
    """)

FORECAST_CATEGORY_TOO_EARLY = Rule(
    "forecast-category-too-early", WARNING,
    "a CRM stage that counts in a forecast category whose definition is one of the stage's exit criteria",
    doc="""
    A CRM stage's exit criteria are true when a deal leaves the stage, not while it is in it. A
    stage that counts in a forecast category (`forecast_category`) whose definition in
    playbook.yaml is one of those exit criteria counts every deal in the stage one stage early,
    and the forecast is inflated. A part of the definition (between commas, semicolons or full
    stops, with at least three words that carry meaning) matches a criterion when the criterion
    holds every one of those words. Map the stage to the category the criteria of the stage
    before it reach, or reword the category. A warning by default; a company may make it an
    error or turn it off.

    Fails, with these fields in `playbook/lifecycle/won.yaml`:

        crm_stages:
          - value: Signing
            buyer_stage: learning
            forecast_category: commit
            exit_criteria: [The economic buyer has signed the order form.]

    And with these fields in `playbook/playbook.yaml`:

        forecast_categories:
          - id: commit
            name: Commit
            definition: The economic buyer has signed the order form, dated this quarter.

    Passes, with these fields in `playbook/lifecycle/won.yaml`:

        crm_stages:
          - value: Signing
            buyer_stage: learning
            forecast_category: commit
            exit_criteria: [The economic buyer has signed the order form.]

    And with these fields in `playbook/playbook.yaml`:

        forecast_categories:
          - id: commit
            name: Commit
            definition: The economic buyer has confirmed the amount and the date this quarter.
    """)

CADENCE_TWICE = Rule(
    "cadence-twice", WARNING, "two cadences for the same records",
    doc="""
    A state's tracks (such as nurture tracks) each say which records enter them (`entry`) and how
    often they hear from us (`cadence`). A reason the state accepts, named in the entry of two
    tracks, puts the same records on two cadences. So does a handoff into the state whose
    `follow_up` rule names such a reason while the track that reason enters has a cadence of its
    own: the records follow the handoff's follow-up and the track's cadence at once (the track's
    cadence is the follow-up when it names an agreed value taken from it, `from: {kind: handoff,
    id: …, field: follow_up}`). Reasons are found as written (case and spacing aside). Give each
    reason one track, and leave its cadence to the track. A warning by default; a company may make
    it an error or turn it off.

    Fails, with these fields in `playbook/lifecycle/won.yaml`:

        accepts: [Signed the order form.]
        tracks:
          - id: welcome
            name: Welcome
            entry: Customers who signed the order form.
            cadence: One e-mail a week for a month.
            exit: After the fourth e-mail.
          - id: newsletter
            name: Newsletter
            entry: Customers who signed the order form.
            cadence: The monthly newsletter.
            exit: When they unsubscribe.

    Passes, with these fields in `playbook/lifecycle/won.yaml`:

        accepts: [Signed the order form.]
        tracks:
          - id: welcome
            name: Welcome
            entry: Customers who signed the order form.
            cadence: One e-mail a week for a month.
            exit: After the fourth e-mail.
          - id: newsletter
            name: Newsletter
            entry: Customers who finished the welcome track.
            cadence: The monthly newsletter.
            exit: When they unsubscribe.
    """)

REVIEW_DATE_BEFORE_AGREEMENT = Rule(
    "review-date-before-agreement", WARNING, "a last-reviewed date older than the newest agreement",
    doc="""
    The home page says when the playbook was last reviewed (`updated` in playbook.yaml). A
    lifecycle state or handoff agreed after that day was not part of that review, so the date
    understates how current the playbook is, or the review missed the agreement. Set `updated`
    to the day of the newest agreement or later. A warning by default; a company may make it an
    error or turn it off.

    Fails, with these fields in `playbook/playbook.yaml`:

        updated: 2026-01-01

    Passes, with these fields in `playbook/playbook.yaml`:

        updated: 2026-01-15
    """)

DOES_NOT_QUALIFY_STAYS = Rule(
    "does-not-qualify-stays", WARNING, "a 'does not qualify' item that keeps the record in the same state",
    doc="""
    A state's `does_not_qualify` lists what does not put a record in it, and usually where such a
    record is instead. An item that says the record stays in this very state ("It stays a lead",
    "They remain in this state") says that it does qualify. Say where the record is instead, or
    move the case to the definition or to `qualifies`. A warning by default; a company may make it
    an error or turn it off.

    Fails, with these fields in `playbook/lifecycle/lead.yaml`:

        does_not_qualify: [Someone who has not replied yet. It stays a lead.]

    Passes, with these fields in `playbook/lifecycle/lead.yaml`:

        does_not_qualify: [A badge scan with no conversation. It is not loaded into the CRM.]
    """)

RULES = (STATE_CALLED_FINAL, FORECAST_CATEGORY_TOO_EARLY, CADENCE_TWICE, REVIEW_DATE_BEFORE_AGREEMENT,
         DOES_NOT_QUALIFY_STAYS)


def contradiction_problems(valid: Iterable[Document]) -> Iterator[Problem]:
    """Every contradiction between the entries that passed their schema."""
    documents = list(valid)
    settings = next((d for d in documents if d.kind == "playbook"), None)
    states = {d.data["id"]: d for d in documents if d.kind == "lifecycle"}
    yield from _called_final(documents, states)
    if settings is not None:
        yield from _forecast_too_early(settings, states)
        yield from _review_date(settings, documents)
    yield from _cadences(documents, states, settings)
    for state in states.values():
        yield from _stays(state)


# ---------------------------------------------------------------- a state called final

# "a final state", "the final stage", "is final", "are final".
_FINAL = re.compile(r"\b(?:an?|the)\s+final\s+(?:state|stage|step)\b|\b(?:is|are)\s+final\b", re.IGNORECASE)


def _called_final(documents: list[Document], states: dict[str, Document]) -> Iterator[Problem]:
    for doc in documents:
        if doc.kind == "term" and isinstance(doc.data.get("lifecycle_state"), str):
            state = states.get(doc.data["lifecycle_state"])
            fields: tuple[str, ...] = ("definition", "example")
        elif doc.kind == "lifecycle":
            state, fields = doc, ("definition",)
        else:
            continue
        if state is None or not state.data["next_states"]:
            continue
        for field in fields:
            text = doc.data.get(field)
            found = _FINAL.search(text) if isinstance(text, str) else None
            if found is not None:
                nexts = ", ".join(state.data["next_states"])
                yield doc.problem(STATE_CALLED_FINAL, (field,), (
                    f"'{' '.join(found.group().split())}' calls '{state.data['id']}' final, but records move on from "
                    f"it (next states: {nexts}): reword the {field}, or make the state final in "
                    f"lifecycle/{state.data['id']}.yaml"))


# ---------------------------------------------------------------- forecast one stage early

def _forecast_too_early(settings: Document, states: dict[str, Document]) -> Iterator[Problem]:
    categories = {c["id"]: c for c in settings.data.get("forecast_categories") or ()}
    conditions: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for state in states.values():
        for i, stage in enumerate(state.data.get("crm_stages") or ()):
            category = categories.get(stage.get("forecast_category"))
            if category is None:
                continue
            if category["id"] not in conditions:
                conditions[category["id"]] = definition_parts(category["definition"])
            match = _matching(conditions[category["id"]], stage["exit_criteria"])
            if match is not None:
                part, criterion = match
                yield state.problem(FORECAST_CATEGORY_TOO_EARLY, ("crm_stages", i, "forecast_category"), (
                    f"'{stage['value']}' counts in '{category['name']}' from the day a deal enters it, but that "
                    f"category's definition ('{shorten(part)}') is this stage's exit criterion "
                    f"'{shorten(criterion)}', true only when the deal leaves it: count the stage in the category "
                    "the stage before it reaches, or reword the category in playbook.yaml"))


def _matching(conditions: list[tuple[str, frozenset[str]]], criteria: list[str]) -> tuple[str, str] | None:
    """The first part of a definition that one criterion holds every word of, with that criterion."""
    for criterion in criteria:
        held = set(folded_words(criterion))
        for part, meaning in conditions:
            if meaning <= held:
                return part, criterion
    return None


# ---------------------------------------------------------------- two cadences for the same records

def _cadences(documents: list[Document], states: dict[str, Document],
              settings: Document | None) -> Iterator[Problem]:
    tracked = {sid: s for sid, s in states.items() if s.data.get("tracks") and s.data.get("accepts")}
    if not tracked:
        return
    # A reason named by its id on an agreed list is found by its text, and so is a text naming it.
    agreed = reason_texts(settings)
    def shown(text: str) -> str:
        return expand(agreed.get(text, text), agreed)
    finder = Reasons(shown(reason) for state in tracked.values() for reason in state.data["accepts"])
    # For each state, each accepted reason that a track's entry names: the first such track.
    entered: dict[str, dict[str, int]] = {}
    for sid, state in sorted(tracked.items(), key=lambda item: item[1].display):
        accepted = {reason_key(text): text for text in map(shown, state.data["accepts"])}
        first: dict[str, int] = {}
        for i, track in enumerate(state.data["tracks"]):
            for key in finder.find(shown(track["entry"])):
                if key not in accepted:
                    continue
                earlier = first.setdefault(key, i)
                if earlier != i:
                    other = state.data["tracks"][earlier]
                    yield state.problem(CADENCE_TWICE, ("tracks", i, "entry"), (
                        f"the reason '{shorten(accepted[key])}' enters both '{other['name']}' and '{track['name']}', "
                        "so the same records would follow two cadences: name it in the entry of one track only"))
        entered[sid] = first
    follow_ups = _follow_up_values(settings)
    for doc in sorted(documents, key=lambda d: d.display):
        if doc.kind != "handoff" or doc.data["to_state"] not in tracked:
            continue
        state = tracked[doc.data["to_state"]]
        accepted = {reason_key(text): text for text in map(shown, state.data["accepts"])}
        own = follow_ups.get(doc.data["id"], [])
        for key in finder.find(shown(doc.data["follow_up"]["rule"])):
            place = entered[state.data["id"]].get(key)
            if place is None:
                continue
            track = state.data["tracks"][place]
            if set(own) & set(REFERENCE.findall(track["cadence"])):
                continue  # the track's cadence is this follow-up
            named = f"[[{own[0]}]]" if own else (f"an agreed value taken from it (from: {{kind: handoff, id: "
                                                  f"{doc.data['id']}, field: follow_up}})")
            yield doc.problem(CADENCE_TWICE, ("follow_up", "rule"), (
                f"this follow-up names the reason '{shorten(accepted[key])}', whose records enter the track "
                f"'{track['name']}' of '{state.data['id']}', and that track has a cadence of its own: they would "
                f"follow two cadences; leave their cadence to the track (do not name the reason here), or make the "
                f"track's cadence this follow-up by naming {named} in it"))


def _follow_up_values(settings: Document | None) -> dict[str, list[str]]:
    """The agreed values taken from a handoff's follow-up, by the handoff's id."""
    found: dict[str, list[str]] = {}
    items = settings.data.get("values") if settings is not None else None
    for item in items if isinstance(items, list) else ():
        source = taken_from(item)
        if source is not None and source[0] == "handoff" and source[2] == "follow_up":
            found.setdefault(source[1], []).append(item["id"])
    return found


# ---------------------------------------------------------------- last reviewed before an agreement

def _review_date(settings: Document, documents: list[Document]) -> Iterator[Problem]:
    reviewed = as_date(settings.data.get("updated"))
    if reviewed is None:
        return
    newest: tuple[date, Document] | None = None
    for doc in sorted(documents, key=lambda d: d.display):
        if doc.kind in AGREED_KINDS:
            agreed = as_date(agreement(doc.data).get("date"))
            if agreed is not None and (newest is None or agreed > newest[0]):
                newest = (agreed, doc)
    if newest is not None and newest[0] > reviewed:
        day, doc = newest
        yield settings.problem(REVIEW_DATE_BEFORE_AGREEMENT, ("updated",), (
            f"the home page says the playbook was last reviewed on {reviewed}, but '{doc.data['name']}' "
            f"({doc.display}) was agreed on {day}, later: set updated to {day} or the day of a later review"))


# ---------------------------------------------------------------- "does not qualify", yet stays

_STAYS = r"\b(?:stays?|remains?|(?:is|are)\s+still)\s+(?:(?:an?|the|in|in\s+the)\s+)?"


def _stays(state: Document) -> Iterator[Problem]:
    data = state.data
    names = [data["name"], *([data["abbreviation"]] if isinstance(data.get("abbreviation"), str) else []),
             "this state"]
    pattern = re.compile(_STAYS + "(?:" + "|".join(r"\s+".join(map(re.escape, name.split())) for name in names
                                                   if name.split()) + r")(?![\w-])", re.IGNORECASE)
    for i, item in enumerate(data["does_not_qualify"]):
        found = pattern.search(item)
        if found is not None:
            yield state.problem(DOES_NOT_QUALIFY_STAYS, ("does_not_qualify", i), (
                f"'{' '.join(found.group().split())}': this item keeps the record in '{data['id']}', so it does "
                "qualify: say which state the record is in instead, or move the case to the definition or to "
                "qualifies"))
