"""What the schemas say a playbook holds, where the site shows each field, and how to read
the output of `playbook validate` as a hostile reader would.

Shared by the nothing-lost, attack and mutation suites.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.commands import cli
from generator.rules.registry import RULES

REPO = Path(__file__).resolve().parents[1]
SCHEMAS = REPO / "schemas"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Folder of a playbook -> kind (the schema's name); playbook.yaml is the kind "playbook".
FOLDERS = {"stages": "stage", "lifecycle": "lifecycle", "handoffs": "handoff", "terms": "term",
           "personas": "persona", "assets": "asset", "metrics": "metric"}


def load_schema(kind: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return schema


def kinds() -> list[str]:
    """Every kind that has a schema."""
    return sorted(p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json"))


def kind_of(relative: str) -> str:
    """'terms/lead.yaml' -> 'term'; 'playbook.yaml' -> 'playbook'."""
    return "playbook" if "/" not in relative else FOLDERS[relative.split("/")[0]]


# Schema walking -------------------------------------------------------------------------------


class UnknownSchemaShape(AssertionError):
    """A schema construct this walker does not know: the field tables must learn it first."""


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/$defs/"):
            raise UnknownSchemaShape(f"$ref {ref!r}: only #/$defs/ references are understood")
        node = {**root["$defs"][ref.removeprefix("#/$defs/")], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def schema_fields(kind: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(field path, schema) for every leaf field of a kind, e.g. ('asset.talking_points[]', {...}).

    Objects are entered property by property, arrays item by item (`[]`), `$ref`s through
    `$defs`. A construct it does not understand (oneOf, patternProperties, an object with no
    properties) raises, naming the field, so no field can slip past the tables below.
    """
    root = load_schema(kind)
    yield from _walk(root, root, kind)


def _walk(node: dict[str, Any], root: dict[str, Any], path: str) -> Iterator[tuple[str, dict[str, Any]]]:
    node = _resolve(node, root)
    for word in ("if", "then", "else"):
        if word in node:
            _only_narrows(node, node[word], f"{path}: '{word}'")
    for word in ("oneOf", "anyOf", "allOf", "not", "prefixItems"):
        if word in node:
            raise UnknownSchemaShape(f"{path}: '{word}' is not understood by the field walker")
    kind = node.get("type")
    if kind == "object":
        if not node.get("properties"):
            raise UnknownSchemaShape(f"{path}: an object with no listed properties")
        for name, child in node["properties"].items():
            yield from _walk(child, root, f"{path}.{name}")
        # Fields under names of the playbook's own choosing (a third team): `*` stands for the name.
        for child in node.get("patternProperties", {}).values():
            yield from _walk(child, root, f"{path}.*")
    elif kind == "array":
        if "items" not in node:
            raise UnknownSchemaShape(f"{path}: an array with no items schema")
        yield from _walk(node["items"], root, f"{path}[]")
    elif kind in ("string", "integer", "number", "boolean") or (kind is None and "enum" in node):
        yield path, node
    else:
        raise UnknownSchemaShape(f"{path}: type {kind!r} is not understood by the field walker")


def _only_narrows(node: dict[str, Any], branch: Any, where: str) -> None:
    """A branch of if/then/else that only requires or forbids fields the object lists (an agreed
    value has `value`, or `from` or `compute`): no field of its own, so the walk need not enter it."""
    listed = node.get("properties", {})
    if isinstance(branch, dict) and "anyOf" in branch:  # a condition: any of these fields is there
        if not all(isinstance(option, dict) and set(option) == {"required"} and set(option["required"]) <= set(listed)
                   for option in branch["anyOf"]):
            raise UnknownSchemaShape(f"{where}: an anyOf that does more than require fields the object lists")
        branch = {key: value for key, value in branch.items() if key != "anyOf"}
    if not isinstance(branch, dict) or not set(branch) <= {"required", "properties", "additionalProperties",
                                                            "description"}:
        raise UnknownSchemaShape(f"{where}: only required, properties and additionalProperties are understood")
    for name, sub in branch.get("properties", {}).items():
        if name not in listed or not set(sub) <= {"description"}:
            raise UnknownSchemaShape(f"{where}: the field {name!r} is not one the object lists, or is described anew")
    if not set(branch.get("required", ())) <= set(listed):
        raise UnknownSchemaShape(f"{where}: requires a field the object does not list")


def is_free_text(schema: dict[str, Any]) -> bool:
    """A string field that takes any text: no enum, pattern, format or constant."""
    return schema.get("type") == "string" and not any(k in schema for k in ("enum", "pattern", "format", "const"))


def free_text_fields(kind: str) -> set[str]:
    return {path for path, schema in schema_fields(kind) if is_free_text(schema)}


@dataclass(frozen=True)
class Leaf:
    """One scalar of a YAML file: its field path ('term.aliases[]'), place (('aliases', 0)) and value."""

    field: str
    place: tuple[str | int, ...]
    value: Any


# Objects whose other names are the playbook's own (patternProperties): the names they list.
LISTED_NAMES = {"playbook.teams": {"sales", "marketing"}, "lifecycle.agreed_by": {"sales", "marketing", "date"},
                "handoff.agreed_by": {"sales", "marketing", "date"}}


def leaves(kind: str, data: Any, place: tuple[str | int, ...] = (), field: str | None = None) -> Iterator[Leaf]:
    field = field or kind
    if isinstance(data, dict):
        listed = LISTED_NAMES.get(field)
        for key, value in data.items():
            name = "*" if listed is not None and key not in listed else key
            yield from leaves(kind, value, place + (key,), f"{field}.{name}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from leaves(kind, value, place + (index,), f"{field}[]")
    else:
        yield Leaf(field, place, data)


def format_place(place: tuple[str | int, ...]) -> str:
    """('stages', 0, 'name') -> 'stages[0].name', as problems name a place."""
    out = ""
    for part in place:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + part
    return out


# Where each field is shown ---------------------------------------------------------------------
#
# Pages:
#   entity       the entry's own place: its stage page, or its section (from the heading with
#                its id to the next heading of the same level) of its kind's page
#   kind-page    the whole page of the entry's kind
#   asset-stages every stage page the asset serves, while it may be sent (not past `expires`)
#   home, about  the home page and the "Who is who" page (about/)
#   start-here   the "Start here" page (start-here/)
#   values       the "Agreed values" page (values/)
#   every        every page of the site
# How:
#   verbatim     the text as written, whitespace collapsed
#   anchor       an element id (the Markdown heading's `{ #id }`)
#   label        the value, or with hyphens or underscores as spaces, in any case ('business-hours' ->
#                'business hours'); an underscore may be a hyphen ('follow_up' -> 'follow-up')
#   asset-type   the type's name in words, singular or plural ('case-study' -> 'case study'/'Case studies')
#   team         the team's name from playbook.yaml ('both': both names or 'both teams')
#   number       the number, possibly with thousands separators
#   date         YYYY-MM-DD, or the day written out ('15 January 2026', 'January 15, 2026')
#   order        entries appear in the order of this number
#   record       the state sits under the heading for its record ('Lead states', 'Opportunity states')
#   link         a link to this address
#   ref:KIND     the referenced entry's name, linked to it
#   read-link    a link to the page ('glossary') or the entry ('stage:scoping') a reading path names
#   kind-name    the kind of entry in words ('metric' -> 'shared goal')
#   taken-from   the name of the entry an agreed value is taken from, linked to it, and the value's
#                words, made from that entry's number field
#   site-title   in the <title> of the page

VERBATIM, ANCHOR, LABEL, ASSET_TYPE, TEAM = "verbatim", "anchor", "label", "asset-type", "team"
NUMBER, DATE, ORDER, RECORD, LINK, SITE_TITLE = "number", "date", "order", "record", "link", "site-title"
READ_LINK = "read-link"
KIND_NAME, TAKEN_FROM, REASON = "kind-name", "taken-from", "reason"

Place = tuple[str, str]


def _entity(*shows: str) -> tuple[Place, ...]:
    return tuple(("entity", show) for show in shows)


_TEAM_FIELDS = {"name": (("about", VERBATIM),), "leader": (("about", VERBATIM),),
                "description": (("about", VERBATIM),), "members[]": (("about", VERBATIM),),
                "reviewers[]": (("about", VERBATIM),), "priorities[]": (("about", VERBATIM),),
                "people[].name": (("about", VERBATIM),), "people[].role": (("about", VERBATIM),),
                "people[].handle": (("about", VERBATIM),)}
_AGREED = {"agreed_by.sales": _entity(VERBATIM), "agreed_by.marketing": _entity(VERBATIM),
           "agreed_by.date": _entity(DATE)}

# Fields that set how the playbook is checked, not what the site shows: the level of each rule a
# company may change (`rules: {review-overdue: error}`).
CHECK_SETTINGS = frozenset(f"playbook.rules.{rule.id}" for rule in RULES if rule.adjustable)
# The name a third signing team's person signs with (`signatories` naming more than sales and
# marketing): checked by validation and sign-off, not yet shown on the lifecycle page, which names
# the sales and marketing signers.
OTHER_SIGNERS = frozenset({"lifecycle.agreed_by.*", "handoff.agreed_by.*"})
# Settings that change what the site does rather than say something: a term's `link` decides
# whether a one-word name is linked wherever it is used (tests/test_glossary_links.py).
SITE_BEHAVIOUR = frozenset({"term.link"})

FIELD_DISPLAY: dict[str, tuple[Place, ...]] = {
    # playbook.yaml
    "playbook.site_name": (("every", SITE_TITLE), ("home", VERBATIM)),
    "playbook.glossary_groups[].id": (("glossary", "anchor:topic-"),),
    "playbook.glossary_groups[].name": (("glossary", VERBATIM),),
    "playbook.glossary_groups[].description": (("glossary", VERBATIM),),
    "playbook.company.name": (("about", VERBATIM),),
    "playbook.company.description": (("about", VERBATIM),),
    "playbook.product.name": (("about", VERBATIM),),
    "playbook.product.description": (("about", VERBATIM),),
    **{f"playbook.teams.{team}.{name}": show for team in ("sales", "marketing", "*")
       for name, show in _TEAM_FIELDS.items()},
    "playbook.signatories[]": (("about", TEAM),),
    "playbook.maintainers[]": (("about", VERBATIM),),
    "playbook.introduction": (("home", VERBATIM),),
    "playbook.updated": (("home", DATE),),
    "playbook.onboarding.first_terms[]": (("start-here", "ref:term"),),
    "playbook.onboarding.roles[].id": (("start-here", ANCHOR),),
    "playbook.onboarding.roles[].name": (("start-here", VERBATIM),),
    "playbook.onboarding.roles[].description": (("start-here", VERBATIM),),
    "playbook.onboarding.roles[].read[]": (("start-here", READ_LINK),),
    # A text that names a value ([[id]]) is shown with the value's text in its place (the checkers expand it).
    "playbook.values[].id": (("values", "anchor:value-"),),
    "playbook.values[].value": (("values", VERBATIM),),
    # A value taken from a number field: its words, and where they come from, linked to that entry.
    "playbook.values[].from.kind": (("values", KIND_NAME),),
    "playbook.values[].from.id": (("values", TAKEN_FROM),),
    "playbook.values[].from.field": (("values", LABEL),),
    # A computed value: how it is computed, each operand linked to its value, and its conditions.
    "playbook.values[].compute.multiply[]": (("values", "fragment:value-"),),
    "playbook.values[].compute.add[]": (("values", "fragment:value-"),),
    "playbook.values[].compute.convert": (("values", "fragment:value-"),),
    "playbook.values[].compute.to": (("values", LABEL),),
    "playbook.values[].holds.at_least": (("values", "fragment:value-"),),
    "playbook.values[].holds.below": (("values", "fragment:value-"),),
    "playbook.values[].holds.equals": (("values", "fragment:value-"),),
    "playbook.values[].independent": (("values", "flag:its own agreement"),),
    "playbook.values[].description": (("values", VERBATIM),),
    # The agreed reason lists: each list and reason at its anchor on the Agreed values page.
    "playbook.reasons[].id": (("values", "anchor:value-"),),
    "playbook.reasons[].name": (("values", VERBATIM),),
    "playbook.reasons[].description": (("values", VERBATIM),),
    "playbook.reasons[].crm.object": (("values", VERBATIM),),
    "playbook.reasons[].crm.field": (("values", VERBATIM),),
    "playbook.reasons[].reasons[].id": (("values", "anchor:value-"),),
    "playbook.reasons[].reasons[].text": (("values", VERBATIM),),
    "playbook.reasons[].reasons[].description": (("values", VERBATIM),),
    "playbook.forecast_categories[].id": (("lifecycle", "anchor:forecast-"),),
    "playbook.forecast_categories[].name": (("lifecycle", VERBATIM),),
    "playbook.forecast_categories[].definition": (("lifecycle", VERBATIM),),
    # stages/
    "stage.id": _entity(ANCHOR),
    "stage.order": (("entity", NUMBER), ("home", ORDER)),
    "stage.name": (("entity", VERBATIM), ("home", VERBATIM)),
    "stage.phase": _entity(LABEL),
    "stage.summary": (("entity", VERBATIM), ("home", VERBATIM)),
    "stage.buyer_goal": _entity(VERBATIM),
    "stage.buyer_questions[]": _entity(VERBATIM),
    "stage.exit_criteria[]": _entity(VERBATIM),
    "stage.sales_activities[]": _entity(VERBATIM),
    "stage.marketing_activities[]": _entity(VERBATIM),
    "stage.lifecycle_states[]": _entity("ref:lifecycle"),
    # lifecycle/
    "lifecycle.id": _entity(ANCHOR),
    "lifecycle.order": (("kind-page", ORDER),),
    "lifecycle.name": _entity(VERBATIM),
    "lifecycle.abbreviation": _entity(VERBATIM),
    "lifecycle.record": _entity(RECORD),
    "lifecycle.definition": _entity(VERBATIM),
    "lifecycle.qualifies[]": _entity(VERBATIM),
    "lifecycle.does_not_qualify[]": _entity(VERBATIM),
    "lifecycle.owner": _entity(TEAM),
    "lifecycle.next_states[]": _entity("ref:lifecycle"),
    "lifecycle.final": _entity("flag:final state: records end here"),
    # A reason named by its id shows its agreed text, linked to it on the Agreed values page.
    "lifecycle.accepts[]": _entity(REASON),
    "lifecycle.exit_reasons[].reason": _entity(REASON),
    "lifecycle.exit_reasons[].goes_to": _entity("ref:lifecycle"),
    "lifecycle.tracks[].id": _entity("anchor:track-"),
    "lifecycle.tracks[].name": _entity(VERBATIM),
    "lifecycle.tracks[].entry": _entity(VERBATIM),
    "lifecycle.tracks[].cadence": _entity(VERBATIM),
    "lifecycle.tracks[].exit": _entity(VERBATIM),
    "lifecycle.tracks[].assets[]": _entity("ref:asset"),
    "lifecycle.crm_stages[].value": _entity(VERBATIM),
    "lifecycle.crm_stages[].buyer_stage": _entity("ref:stage"),
    "lifecycle.crm_stages[].exit_criteria[]": _entity(VERBATIM),
    "lifecycle.crm_stages[].probability": _entity(NUMBER),
    "lifecycle.crm_stages[].forecast_category": _entity("fragment:forecast-"),
    "lifecycle.crm.object": _entity(VERBATIM),
    "lifecycle.crm.field": _entity(VERBATIM),
    "lifecycle.crm.value": _entity(VERBATIM),
    **{f"lifecycle.{k}": v for k, v in _AGREED.items()},
    # handoffs/
    "handoff.id": _entity(ANCHOR),
    "handoff.name": _entity(VERBATIM),
    "handoff.from_state": _entity("ref:lifecycle"),
    "handoff.to_state": _entity("ref:lifecycle"),
    "handoff.from_team": _entity(TEAM),
    "handoff.to_team": _entity(TEAM),
    "handoff.sender": _entity(VERBATIM),
    "handoff.receiver": _entity(VERBATIM),
    "handoff.service_level.within": _entity(NUMBER),
    "handoff.service_level.unit": _entity(LABEL),
    "handoff.service_level.action": _entity(VERBATIM),
    "handoff.receiver_checks[]": _entity(VERBATIM),
    "handoff.rejection_reasons[].reason": _entity(REASON),
    "handoff.rejection_reasons[].goes_to": _entity("ref:lifecycle"),
    "handoff.follow_up.touches": _entity(NUMBER),
    "handoff.follow_up.days": _entity(NUMBER),
    "handoff.follow_up.rule": _entity(VERBATIM),
    "handoff.escalation.within": _entity(NUMBER),
    "handoff.escalation.unit": _entity(LABEL),
    "handoff.escalation.notify": _entity(VERBATIM),
    "handoff.escalation.action": _entity(VERBATIM),
    **{f"handoff.{k}": v for k, v in _AGREED.items()},
    # terms/
    "term.id": _entity(ANCHOR),
    "term.name": _entity(VERBATIM),
    "term.abbreviation": _entity(VERBATIM),
    "term.aliases[]": _entity(VERBATIM),
    "term.definition": _entity(VERBATIM),
    "term.example": _entity(VERBATIM),
    "term.not_to_be_confused_with[].term": _entity("ref:term"),
    "term.not_to_be_confused_with[].difference": _entity(VERBATIM),
    "term.related[]": _entity("ref:term"),
    "term.lifecycle_state": _entity("ref:lifecycle"),
    "term.owner": _entity(TEAM),
    "term.group": _entity("fragment:topic-"),
    # personas/
    "persona.id": _entity(ANCHOR),
    "persona.name": _entity(VERBATIM),
    "persona.role": _entity(VERBATIM),
    "persona.buying_role": _entity(LABEL),
    "persona.summary": _entity(VERBATIM),
    "persona.goals[]": _entity(VERBATIM),
    "persona.pains[]": _entity(VERBATIM),
    "persona.objections[].objection": _entity(VERBATIM),
    "persona.objections[].response": _entity(VERBATIM),
    "persona.objections[].internal_notes[]": _entity(VERBATIM),
    "persona.objections[].keywords[]": _entity(VERBATIM),
    "persona.stages[]": _entity("ref:stage"),
    "persona.owner": _entity(TEAM),
    "persona.review_by": _entity(DATE),
    "persona.validated.on": _entity(DATE),
    "persona.validated.against": _entity(VERBATIM),
    # assets/
    "asset.id": _entity(ANCHOR),
    "asset.title": (("entity", VERBATIM), ("asset-stages", VERBATIM)),
    "asset.type": (("entity", ASSET_TYPE), ("asset-stages", ASSET_TYPE)),
    "asset.stages[]": _entity("ref:stage"),
    "asset.personas[]": _entity("ref:persona"),
    "asset.owner": _entity(TEAM),
    "asset.link": (("entity", LINK), ("asset-stages", LINK)),
    "asset.use_when": (("entity", VERBATIM), ("asset-stages", VERBATIM)),
    "asset.priority": _entity(NUMBER),
    "asset.description": _entity(VERBATIM),  # on a card only when the asset has no use_when
    "asset.talking_points[]": (("entity", VERBATIM), ("asset-stages", VERBATIM)),
    "asset.internal_notes[]": (("entity", VERBATIM), ("asset-stages", VERBATIM)),
    "asset.keywords[]": _entity(VERBATIM),
    "asset.review_by": _entity(DATE),
    "asset.expires": _entity(DATE),
    # metrics/
    "metric.id": _entity(ANCHOR),
    "metric.name": _entity(VERBATIM),
    "metric.definition": _entity(VERBATIM),
    "metric.formula": _entity(VERBATIM),
    "metric.unit": _entity(LABEL),
    "metric.currency": _entity(VERBATIM),
    "metric.target.direction": _entity(LABEL),
    "metric.target.value": _entity(NUMBER),
    "metric.baseline.value": _entity(NUMBER),
    "metric.baseline.as_of": _entity(VERBATIM),
    "metric.period": _entity(LABEL),
    "metric.data_source": _entity(VERBATIM),
    "metric.owners[]": _entity(TEAM),
    "metric.why": _entity(VERBATIM),
}


# Reading `playbook validate` as a terminal or a CI log would ------------------------------------

# What must never reach a terminal or a CI log raw: C0 controls (tab, ESC, CR, NUL...) and DEL,
# C1 controls (NEL, CSI), line and paragraph separators, bidi overrides and isolates, surrogates.
UNSAFE_OUTPUT = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
PROBLEM_LINE = re.compile(r"(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<message>.*\S.*)")
SUMMARY_LINE = re.compile(r"(?P<count>\d+) problems? in .+")


def output_violations(returncode: int, stdout: bytes, stderr: bytes, secrets: tuple[str, ...] = ()) -> list[str]:
    """Everything wrong with what `playbook validate` printed; [] when it behaved.

    Exit 0 or 1 only; UTF-8 text; no traceback; no secret; every line free of characters a
    terminal or CI log acts on; with exit 1 every stdout line a `file:line:col: message`
    problem (line and column from 1) and stderr one summary line naming their number; with
    exit 0 one summary line on stdout and nothing on stderr; no line a CI annotation (`::`).
    """
    found: list[str] = []
    if returncode not in (0, 1):
        found.append(f"exit code {returncode} (0 or 1 expected; 2 is a usage error, negative a signal)")
    texts = []
    for name, raw in (("stdout", stdout), ("stderr", stderr)):
        try:
            texts.append(raw.decode("utf-8"))
        except UnicodeDecodeError as err:
            found.append(f"{name} is not UTF-8 ({err}): {raw[max(0, err.start - 40):err.end + 40]!r}")
            texts.append(raw.decode("utf-8", "replace"))
    out, err_text = texts
    both = out + err_text
    if "Traceback" in both:
        found.append("a traceback: " + both[both.index("Traceback"):][-1500:])
    for secret in secrets:
        if secret in both:
            found.append(f"the secret {secret!r} was printed: " + both[max(0, both.index(secret) - 200):][:400])
    out_lines = out.split("\n")
    err_lines = err_text.split("\n")
    for name, text, lines in (("stdout", out, out_lines), ("stderr", err_text, err_lines)):
        if text and not text.endswith("\n"):
            found.append(f"{name} does not end with a line break: {text[-80:]!r}")
        for line in lines:
            if UNSAFE_OUTPUT.search(line):
                found.append(f"{name} line with a control, separator or bidi character: {line!r}")
            if line.lstrip().startswith("::"):
                found.append(f"{name} line a CI could read as a workflow command: {line!r}")
    problems = [line for line in out_lines if line]
    summary = [line for line in err_lines if line]
    # Warnings (review dates, coverage gaps) are printed like problems but do not fail.
    warnings = [line for line in problems if (m := PROBLEM_LINE.fullmatch(line)) and ": warning: " in line]
    if returncode == 1:
        if len(problems) == len(warnings):
            found.append("exit 1 with no problem printed")
        for line in problems:
            match = PROBLEM_LINE.fullmatch(line)
            if match is None:
                found.append(f"not a file:line:col: problem line: {line!r}")
            elif int(match["line"]) < 1 or int(match["col"]) < 1:
                found.append(f"line and column must count from 1: {line!r}")
        errors = len(problems) - len(warnings)
        if len(summary) != 1 or not (m := SUMMARY_LINE.fullmatch(summary[0])) or int(m["count"]) != errors:
            found.append(f"stderr should be one summary line counting {errors} problems: {summary!r}")
    elif returncode == 0:
        rest = [line for line in problems if line not in warnings]
        if rest and rest[-1].startswith("Next: ") and problems[-1] == rest[-1]:
            rest, problems = rest[:-1], problems[:-1]  # what happens to the change next
        if len(rest) != 1 or "no problems" not in rest[0] or problems[-1] != rest[0]:
            found.append(f"exit 0 should print its warnings, then one summary line: {problems!r}")
        elif warnings and f"({len(warnings)} warning" not in rest[0]:
            found.append(f"the summary should count {len(warnings)} warnings: {rest[0]!r}")
        if summary:
            found.append(f"exit 0 with something on stderr: {summary!r}")
    return found


def run_validate(project: Path, root: Path, through_subprocess: bool,
                 env_extra: dict[str, str] | None = None) -> tuple[int, bytes, bytes]:
    """`playbook validate` on root, in a subprocess or in process: (exit code, stdout, stderr).

    Output is kept as bytes, so a byte the command should never print is seen as it is."""
    if through_subprocess:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "LANG", "LC_ALL")}
        env.update(LC_ALL="C.UTF-8", **(env_extra or {}))
        try:
            done = subprocess.run([sys.executable, "-m", "generator", "validate", root.name, "--docs", "no-docs"],
                                  cwd=project, capture_output=True, timeout=60, env=env)
        except subprocess.TimeoutExpired as hang:
            return -1000, hang.stdout or b"", (hang.stderr or b"") + b"\n(no answer within 60 seconds: a hang)\n"
        return done.returncode, done.stdout, done.stderr
    out_bytes, err_bytes = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_bytes, encoding="utf-8", errors="strict", newline="", write_through=True)
    err = io.TextIOWrapper(err_bytes, encoding="utf-8", errors="strict", newline="", write_through=True)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(["validate", str(root), "--docs", str(project / "no-docs")])
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 2
        except BaseException:  # noqa: BLE001 - any exception is the finding
            err_bytes.write(traceback.format_exc().encode("utf-8", "backslashreplace"))
            code = 2
    return code, out_bytes.getvalue(), err_bytes.getvalue()
