"""Rules no schema can say: ids match file names, references point at entries that exist,
every shared goal has both teams as owners."""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..source.document import Document
from ..source.loader import LoadedPlaybook, display_path, within
from ..source.problems import Problem
from ..source.schemas import ID_PATTERN, did_you_mean, ecma_pattern
from ..source.yamltree import Path_, shorten
from .anchors import GLOSSARY_LETTER_PREFIX, GLOSSARY_TOPIC_PREFIX, ONBOARDING_SECTIONS, SECTION_ANCHORS
from .values import check_values

_ID = ecma_pattern(ID_PATTERN)

# How many unknown references get a "did you mean" suggestion in one run.
_HINTS = 50
# What each kind calls the entries it refers to, for messages.
_NOUNS = {"stage": "stage", "lifecycle": "lifecycle state", "term": "term", "persona": "persona",
          "handoff": "handoff", "asset": "asset", "metric": "shared goal"}


class _Index:
    """The ids of every kind, from every document that has one."""

    def __init__(self, loaded: LoadedPlaybook, valid: list[Document], docs: Path | None) -> None:
        self.docs = docs
        # A file whose id differs from its name is reported once; both names count as known here.
        self.ids: dict[str, set[str]] = {
            kind: {d.stem for d in docs} | {d.data["id"] for d in docs if _has_id(d)}
            for kind, docs in loaded.documents.items()
        }
        for kind, paths in loaded.unreadable.items():
            self.ids[kind].update(path.stem for path in paths)
        # Only states that passed their schema are read field by field by other entries' rules.
        self.states = {d.data["id"]: d.data for d in valid if d.kind == "lifecycle"}
        # The glossary groups playbook.yaml declares, once it passed its schema (None: unknown).
        settings = loaded.settings if loaded.settings in valid else None
        self.groups: set[str] | None = None if settings is None else {
            g["id"] for g in settings.data.get("glossary_groups") or ()}
        self.forecasts: set[str] | None = None if settings is None else {
            f["id"] for f in settings.data.get("forecast_categories") or ()}
        self.hints = _HINTS

    def missing(self, doc: Document, path: Path_, kind: str, value: Any) -> Iterator[Problem]:
        """A problem if value is not the id of an entry of kind."""
        if isinstance(value, str) and value not in self.ids[kind]:
            # "Did you mean" compares a miss with every id: after a few dozen misses the rest go
            # without, so thousands of broken references cannot make the check quadratic.
            hint = ""
            if self.hints > 0:
                self.hints -= 1
                hint = did_you_mean(value, self.ids[kind])
            yield doc.problem(path, f"'{shorten(value)}' is not a known {_NOUNS[kind]}{hint}")

    def each_missing(self, doc: Document, field: str, kind: str) -> Iterator[Problem]:
        values = doc.data.get(field)
        if isinstance(values, list):
            for i, value in enumerate(values):
                yield from self.missing(doc, (field, i), kind, value)


def check_playbook(loaded: LoadedPlaybook, valid: list[Document], docs: Path | None = None,
                   partial: list[Document] | None = None) -> list[Problem]:
    """Cross-file problems. `valid` are the documents that passed their schema; `partial` those
    that did not, without the fields the schema reported (see schemas.readable_part), so that one
    run tells every problem and a wrong type reported by the schema is not reported twice.
    With `docs`, the site's docs folder, an asset's relative link must name a file in it."""
    index = _Index(loaded, valid, docs)
    problems: list[Problem] = []
    for kind_docs in loaded.documents.values():
        problems.extend(_id_matches_file(doc) for doc in kind_docs if _id_mismatch(doc))
        problems.extend(_file_name(doc) for doc in kind_docs if not _ID.match(doc.stem))
    problems.extend(_unique_orders(loaded.documents["stage"], "stage"))
    problems.extend(_unique_orders(loaded.documents["lifecycle"], "lifecycle state"))
    problems.extend(_shared_anchors(loaded))
    problems.extend(_section_anchors(loaded))
    for doc in valid:
        problems.extend(_RULES.get(doc.kind, _no_rule)(doc, index))
    for doc in partial or ():
        problems.extend(_partly(_RULES.get(doc.kind, _no_rule), doc, index))
    # Agreed values: every [[name]] in any text names a declared value (did you mean: index.hints).
    problems.extend(check_values(loaded, index))
    # The funnel as a whole: every state and handoff whose funnel fields can be read, even when
    # other problems are found in them, so that a new lifecycle is put right in one run.
    readable = [*valid, *(partial or ())]
    states = [d for d in readable if d.kind == "lifecycle" and _funnel_state(d)]
    handoffs = [d for d in readable if d.kind == "handoff" and _funnel_handoff(d)]
    problems.extend(funnel_lint(states, handoffs, whole=(
        len(states) == len(loaded.documents["lifecycle"]) and not loaded.unreadable.get("lifecycle"),
        len(handoffs) == len(loaded.documents["handoff"]) and not loaded.unreadable.get("handoff"))))
    if not loaded.documents["stage"] and loaded.settings is not None:
        problems.append(loaded.settings.problem((), "the playbook has no stages: add at least one file "
                                                "under stages/"))
    return problems


def _partly(rule: Any, doc: Document, index: _Index) -> list[Problem]:
    """The problems a rule finds in what can be read of a document that failed its schema: a rule
    that needs a field the schema reported stops there (that field's problem is told already)."""
    found: list[Problem] = []
    with contextlib.suppress(KeyError, TypeError, AttributeError, IndexError):
        for problem in rule(doc, index):
            found.append(problem)
    return found


def _funnel_state(doc: Document) -> bool:
    data = doc.data
    return isinstance(data.get("id"), str) and isinstance(data.get("order"), int) and \
        isinstance(data.get("owner"), str) and isinstance(data.get("next_states"), list) and \
        all(isinstance(n, str) for n in data["next_states"])


def _funnel_handoff(doc: Document) -> bool:
    data = doc.data
    return all(isinstance(data.get(k), str) for k in ("from_state", "to_state")) and \
        isinstance(data.get("rejection_reasons"), list)


def funnel_lint(states: list[Document], handoffs: list[Document],
                whole: tuple[bool, bool] = (True, True)) -> Iterator[Problem]:
    """The lifecycle as a whole: every state reachable from the first; a state with no way out is
    marked final, and a final state has no way out; every change of owning team between two states
    has a handoff (to that state, or rejecting to it), and that handoff an escalation; reasons go to
    states that accept them (see _reasons_lint). Every finding at once. A reference to a state
    that is not there is reported by the states' own rules and passed over here; `whole` says
    whether every state and every handoff could be read: if not, what depends on all of them
    (reachability, a handoff for each change of team) is not judged."""
    by_id = {d.data["id"]: d for d in states}
    if not by_id:
        return
    # A next state that is not there is reported by its state; it may be the way to the others.
    if whole[0] and all(n in by_id for d in states for n in d.data["next_states"]):
        yield from _unreached(states, by_id)
    for doc in sorted(states, key=lambda d: d.data["order"]):
        data = doc.data
        if not data["next_states"] and not data.get("final"):
            yield doc.problem(("next_states",), f"'{data['id']}' has no next state, so records would stay here "
                              "for ever: add next states, or set final: true if records end here")
        if data["next_states"] and data.get("final"):
            yield doc.problem(("final",), f"'{data['id']}' is final but has next states: remove them, or remove "
                              "final")
    yield from _team_changes(states, handoffs, by_id, whole[1])
    yield from _reasons_lint(states, [h for h in handoffs if h.data["from_state"] in by_id], by_id)


def _unreached(states: list[Document], by_id: dict[str, Document]) -> Iterator[Problem]:
    first = min(states, key=lambda d: (d.data["order"], d.data["id"]))
    reached, todo = {first.data["id"]}, [first.data["id"]]
    while todo:
        for target in by_id[todo.pop()].data["next_states"]:
            if target not in reached and target in by_id:
                reached.add(target)
                todo.append(target)
    for doc in sorted(states, key=lambda d: d.data["order"]):
        data = doc.data
        if data["id"] not in reached:
            yield doc.problem(("id",), f"'{data['id']}' cannot be reached from '{first.data['id']}', the first "
                              "state: list it in the next states of a state that leads to it")


def _team_changes(states: list[Document], handoffs: list[Document], by_id: dict[str, Document],
                  every_handoff: bool) -> Iterator[Problem]:
    """Every change of owning team has a handoff, and that handoff an escalation."""
    # A handoff carries a record to its to_state, and, when rejected, to where its reasons send it.
    between: dict[tuple[str, str], Document] = {}
    for h in handoffs:
        between.setdefault((h.data["from_state"], h.data["to_state"]), h)
        for rejection in h.data["rejection_reasons"]:
            if isinstance(rejection, dict) and isinstance(rejection.get("goes_to"), str):
                between.setdefault((h.data["from_state"], rejection["goes_to"]), h)
    for doc in states:
        for i, target in enumerate(doc.data["next_states"]):
            if target not in by_id:
                continue  # reported by the state's own rules
            owner, other = doc.data["owner"], by_id[target].data["owner"]
            if owner == other:
                continue
            handoff = between.get((doc.data["id"], target))
            if handoff is None and not every_handoff:
                continue  # the handoff may be one that could not be read
            if handoff is None:
                yield doc.problem(("next_states", i), f"moving from '{doc.data['id']}' ({owner}) to '{target}' "
                                  f"({other}) changes the owning team, but no handoff says how: add a handoff "
                                  f"from {doc.data['id']} to {target}, with a service level and an escalation")
            elif "escalation" not in handoff.data:
                yield handoff.problem(("service_level",), "this handoff moves a record between the teams, so "
                                      "it needs an escalation: what happens when the service level is missed "
                                      "(escalation: within, unit, notify, action)", key=True)
    yield from _reasons_lint(states, handoffs, by_id)


def _reasons_lint(states: list[Document], handoffs: list[Document], by_id: dict[str, Document]) -> Iterator[Problem]:
    """Every reason that sends a record to another state is one that state accepts; every move into
    a state that names the reasons it accepts carries one; no reason sends records to two places."""
    # (document, path of the reason, its text, the state it comes from, where it sends the record)
    reasons: list[tuple[Document, Path_, str, str, str]] = []
    for handoff in sorted(handoffs, key=lambda h: h.display):
        for i, rejection in enumerate(handoff.data["rejection_reasons"]):
            if _reason(rejection):
                reasons.append((handoff, ("rejection_reasons", i), rejection["reason"], handoff.data["from_state"],
                                rejection["goes_to"]))
    for state in sorted(states, key=lambda d: d.display):
        exits = state.data.get("exit_reasons")
        for i, exit in enumerate(exits if isinstance(exits, list) else ()):
            if _reason(exit):
                reasons.append((state, ("exit_reasons", i), exit["reason"], state.data["id"], exit["goes_to"]))
    accepted = {sid: {_same(r) for r in doc.data.get("accepts") or () if isinstance(r, str)}
                for sid, doc in by_id.items()}
    sent: dict[str, tuple[str, Document]] = {}
    covered: set[tuple[str, str]] = {(h.data["from_state"], h.data["to_state"]) for h in handoffs}
    for doc, path, reason, source, target in reasons:
        key = _same(reason)
        earlier = sent.setdefault(key, (target, doc))
        if earlier[0] != target:
            yield doc.problem(path + ("goes_to",), f"the reason '{shorten(reason)}' sends a record to '{target}' "
                              f"here but to '{earlier[0]}' in '{earlier[1].data['id']}': agree on one place for it")
        if target == source or target not in by_id or (source in by_id and
                                                      target not in by_id[source].data["next_states"]):
            continue  # staying where it was enters nothing; a state that is not there or not next is told
        covered.add((source, target))
        if not by_id[target].data.get("accepts"):
            yield doc.problem(path + ("goes_to",), f"'{target}' names no reasons it accepts: add accepts to "
                              f"lifecycle/{target}.yaml with the reasons records are sent there for, this one "
                              "included")
        elif key not in accepted[target]:
            others = sorted(sid for sid, keys in accepted.items() if key in keys)
            where = f" ('{shorten(reason)}' is accepted by: {', '.join(others)})" if others else ""
            yield doc.problem(path + ("reason",), f"'{target}' does not accept the reason '{shorten(reason)}'"
                              f"{where}: use one of the reasons listed under accepts in lifecycle/{target}.yaml, "
                              "word for word, or agree to add this one there")
    for doc in sorted(states, key=lambda d: d.data["order"]):
        for i, target in enumerate(doc.data["next_states"]):
            if target in by_id and by_id[target].data.get("accepts") and (doc.data["id"], target) not in covered:
                yield doc.problem(("next_states", i), f"a record moves from '{doc.data['id']}' to '{target}' with no "
                                  f"reason, but '{target}' accepts only the reasons it lists: add exit_reasons to "
                                  f"'{doc.data['id']}' that send records to '{target}', or a handoff from "
                                  f"'{doc.data['id']}' whose rejections go there, or remove '{target}' from "
                                  "next_states")


def _reason(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("reason"), str) and isinstance(item.get("goes_to"), str)


def _same(reason: str) -> str:
    """A reason as compared: case and spacing do not count."""
    return " ".join(reason.casefold().split())


def _has_id(doc: Document) -> bool:
    return isinstance(doc.data.get("id"), str)


def _id_mismatch(doc: Document) -> bool:
    return _has_id(doc) and doc.data["id"] != doc.stem


def _file_name(doc: Document) -> Problem:
    return doc.problem((), f"the file name '{shorten(doc.path.name)}' is not an id followed by .yaml: name it "
                       "with lower-case letters, digits and single hyphens, e.g. roi-calculator.yaml")


def _id_matches_file(doc: Document) -> Problem:
    id, name = shorten(doc.data["id"]), shorten(doc.path.name)
    if not _ID.match(doc.stem):
        return doc.problem(("id",), f"id '{id}' does not match the file name '{name}': rename the file to {id}.yaml")
    return doc.problem(("id",), f"id '{id}' does not match the file name '{name}': "
                       f"rename the file to {id}.yaml or set id: {doc.stem}")


def _unique_orders(docs: list[Document], noun: str) -> Iterator[Problem]:
    seen: dict[int, str] = {}
    for doc in docs:
        order = doc.data.get("order")
        if isinstance(order, int) and not isinstance(order, bool):
            if order in seen:
                yield doc.problem(("order",), f"order {order} is already taken by {noun} '{seen[order]}': "
                                  "give each one its own place")
            else:
                seen[order] = doc.stem


def _shared_anchors(loaded: LoadedPlaybook) -> Iterator[Problem]:
    # Lifecycle states and handoffs share one page, so their ids are anchors on the same page.
    states = {d.data["id"] for d in loaded.documents["lifecycle"] if _has_id(d)}
    for doc in loaded.documents["handoff"]:
        if _has_id(doc) and doc.data["id"] in states:
            yield doc.problem(("id",), f"id '{doc.data['id']}' is also a lifecycle state: handoffs and "
                              "states share the lifecycle page, so give the handoff another id")


def _section_anchors(loaded: LoadedPlaybook) -> Iterator[Problem]:
    for kind, docs in loaded.documents.items():
        for doc in docs:
            id = doc.data.get("id")
            if not isinstance(id, str):
                continue
            if id in SECTION_ANCHORS.get(kind, ()) or (
                    kind == "term" and id.startswith((GLOSSARY_LETTER_PREFIX, GLOSSARY_TOPIC_PREFIX))):
                yield doc.problem(("id",), f"id '{id}' names a section of the page this entry is shown on: "
                                  "choose another id")


def _no_rule(doc: Document, index: _Index) -> Iterator[Problem]:
    return iter(())


def _stage_rules(doc: Document, index: _Index) -> Iterator[Problem]:
    yield from index.each_missing(doc, "lifecycle_states", "lifecycle")


def _lifecycle_rules(doc: Document, index: _Index) -> Iterator[Problem]:
    data = doc.data
    for i, target in enumerate(data["next_states"]):
        if target == data["id"]:
            yield doc.problem(("next_states", i), f"'{target}' cannot be a next state of itself")
        else:
            yield from index.missing(doc, ("next_states", i), "lifecycle", target)
    for i, exit in enumerate(data.get("exit_reasons") or ()):
        path = ("exit_reasons", i, "goes_to")
        yield from index.missing(doc, path, "lifecycle", exit["goes_to"])
        if exit["goes_to"] in index.ids["lifecycle"] and exit["goes_to"] not in data["next_states"]:
            yield doc.problem(path, f"'{exit['goes_to']}' is not a next state of '{data['id']}': add it to "
                              "next_states, or send records for this reason to one of those")
    yield from _unique_ids(doc, "tracks", "track")
    for i, track in enumerate(data.get("tracks") or ()):
        for j, asset in enumerate(track.get("assets") or ()):
            yield from index.missing(doc, ("tracks", i, "assets", j), "asset", asset)
    seen: set[str] = set()
    for i, stage in enumerate(data.get("crm_stages") or ()):
        if stage["value"] in seen:
            yield doc.problem(("crm_stages", i, "value"), f"'{shorten(stage['value'])}' is already a CRM stage of "
                              f"'{data['id']}': give each stage its own value")
        seen.add(stage["value"])
        yield from index.missing(doc, ("crm_stages", i, "buyer_stage"), "stage", stage["buyer_stage"])
        category = stage.get("forecast_category")
        if category is not None and index.forecasts is not None and category not in index.forecasts:
            known = ", ".join(sorted(index.forecasts))
            yield doc.problem(("crm_stages", i, "forecast_category"), f"'{shorten(category)}' is not a forecast "
                              "category: " + (f"use one of {known}, or add it to forecast_categories in "
                                              "playbook.yaml" if known else
                                              "declare it under forecast_categories in playbook.yaml"))


def _unique_ids(doc: Document, field: str, noun: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, item in enumerate(doc.data.get(field) or ()):
        if item["id"] in seen:
            yield doc.problem((field, i, "id"), f"'{item['id']}' is already a {noun}: give each {noun} its own id")
        seen.add(item["id"])


def _handoff_rules(doc: Document, index: _Index) -> Iterator[Problem]:
    data = doc.data
    yield from index.missing(doc, ("from_state",), "lifecycle", data["from_state"])
    yield from index.missing(doc, ("to_state",), "lifecycle", data["to_state"])
    source = index.states.get(data["from_state"])
    if source and data["to_state"] in index.ids["lifecycle"] and data["to_state"] not in source["next_states"]:
        allowed = ", ".join(source["next_states"]) or "none"
        yield doc.problem(("to_state",), f"'{data['to_state']}' is not an allowed next state of "
                          f"'{data['from_state']}' (allowed: {allowed}): add it to next_states in "
                          f"lifecycle/{data['from_state']}.yaml or hand off to one of those")
    for i, rejection in enumerate(data["rejection_reasons"]):
        path = ("rejection_reasons", i, "goes_to")
        target = rejection["goes_to"]
        yield from index.missing(doc, path, "lifecycle", target)
        # A rejected record may stay where it is (back to the sender) or take an allowed next step.
        if source and target in index.ids["lifecycle"] and target != data["from_state"] \
                and target not in source["next_states"]:
            yield doc.problem(path, f"a rejected record cannot go to '{target}': it is not a next state of "
                              f"'{data['from_state']}'; add it to next_states in lifecycle/{data['from_state']}.yaml "
                              "or send rejected records to one of those")
    for end, team_field in (("from_state", "from_team"), ("to_state", "to_team")):
        state = index.states.get(data[end])
        if state and state["owner"] != data[team_field]:
            yield doc.problem((team_field,), f"'{data[team_field]}' does not own '{data[end]}' "
                              f"(its owner is '{state['owner']}'): {team_field} must be the team that owns {end}")


def _term_rules(doc: Document, index: _Index) -> Iterator[Problem]:
    data = doc.data
    for field in ("related",):
        for i, value in enumerate(data.get(field) or ()):
            if value == data["id"]:
                yield doc.problem((field, i), "a term cannot be related to itself")
            else:
                yield from index.missing(doc, (field, i), "term", value)
    for i, confusion in enumerate(data.get("not_to_be_confused_with") or ()):
        if confusion["term"] == data["id"]:
            yield doc.problem(("not_to_be_confused_with", i, "term"), "a term cannot be confused with itself")
        else:
            yield from index.missing(doc, ("not_to_be_confused_with", i, "term"), "term", confusion["term"])
    if "lifecycle_state" in data:
        yield from index.missing(doc, ("lifecycle_state",), "lifecycle", data["lifecycle_state"])
    if "group" in data and index.groups is not None and data["group"] not in index.groups:
        known = ", ".join(f"'{g}'" for g in sorted(index.groups)[:10])
        yield doc.problem(("group",), f"'{shorten(data['group'])}' is not a glossary group: "
                          + (f"use one of {known}, or add it to glossary_groups in playbook.yaml" if known else
                             "declare it under glossary_groups in playbook.yaml, or remove group"))


def _settings_rules(doc: Document, index: _Index) -> Iterator[Problem]:
    seen: set[str] = set()
    for i, group in enumerate(doc.data.get("glossary_groups") or ()):
        if group["id"] in seen:
            yield doc.problem(("glossary_groups", i, "id"), f"'{group['id']}' is already a group: give each "
                              "glossary group its own id")
        seen.add(group["id"])
    yield from _unique_ids(doc, "forecast_categories", "forecast category")
    onboarding = doc.data.get("onboarding") or {}
    for i, term in enumerate(onboarding.get("first_terms") or ()):
        yield from index.missing(doc, ("onboarding", "first_terms", i), "term", term)
    seen = set()
    for i, role in enumerate(onboarding.get("roles") or ()):
        if role["id"] in seen:
            yield doc.problem(("onboarding", "roles", i, "id"), f"'{role['id']}' is already a role: give each "
                              "role its own id")
        seen.add(role["id"])
        if role["id"] in ONBOARDING_SECTIONS:
            yield doc.problem(("onboarding", "roles", i, "id"), f"'{role['id']}' names a section of the onboarding "
                              "page, where a role's id is its anchor: give the role another id")
        for j, item in enumerate(role["read"]):
            kind, _, id = item.partition(":")
            if id:
                yield from index.missing(doc, ("onboarding", "roles", i, "read", j), kind, id)


def _persona_rules(doc: Document, index: _Index) -> Iterator[Problem]:
    yield from index.each_missing(doc, "stages", "stage")


def _asset_rules(doc: Document, index: _Index) -> Iterator[Problem]:
    link = doc.data["link"]
    if any(c in link for c in "\r\n"):
        yield doc.problem(("link",), "a link must be on one line: write the address without line breaks")
    elif index.docs is not None and not link.startswith("https://") and not _is_file(index.docs, link):
        yield doc.problem(("link",), f"'{shorten(link)}' is not a file in {display_path(index.docs)}/: "
                          "add the file there, or link to its https:// address")
    yield from index.each_missing(doc, "stages", "stage")
    yield from index.each_missing(doc, "personas", "persona")


def _is_file(docs: Path, link: str) -> bool:
    """True if link names a file in docs that does not lead out of it (a name too long for the
    file system is simply not a file)."""
    try:
        target = (docs / link).resolve()
        return target.is_file() and within(target, docs.resolve())
    except (OSError, RuntimeError, ValueError):
        return False


def _metric_rules(doc: Document, index: _Index) -> Iterator[Problem]:
    if "currency" in doc.data and doc.data["unit"] != "currency":
        yield doc.problem(("currency",), f"a currency is only shown for a goal whose unit is currency, and "
                          f"this one's unit is {doc.data['unit']}: remove currency, or set unit: currency")
    missing = [team for team in ("sales", "marketing") if team not in doc.data["owners"]]
    if missing:
        yield doc.problem(("owners",), "a shared goal is owned by both teams: add "
                          + " and ".join(f"'{team}'" for team in missing) + " to owners")


_RULES: Any = defaultdict(lambda: _no_rule, {
    "stage": _stage_rules, "lifecycle": _lifecycle_rules, "handoff": _handoff_rules, "term": _term_rules,
    "persona": _persona_rules, "asset": _asset_rules, "metric": _metric_rules, "playbook": _settings_rules,
})
