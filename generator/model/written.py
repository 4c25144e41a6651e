"""Each object of the model as its file writes it: the YAML field names and nesting, every field
the file holds, and no field it leaves out (an optional field at its default is left out).

The change features compare two models through this view, so a change is named by the fields a
contributor edits ("rejection reasons › 'No budget' › goes to"), and the sign-off check reads a
change's agreement from it. `tests/test_written.py` checks that it gives back every file of a
playbook as read: nothing written in YAML disappears in the model.
"""

from __future__ import annotations

from typing import Any

from .entities import (
    Agreement,
    Asset,
    Entity,
    Handoff,
    LifecycleState,
    Metric,
    Persona,
    Stage,
    Term,
)
from .settings import NamedValue, Person, Settings, Team


def written(entry: Entity | Settings | NamedValue) -> dict[str, Any]:
    """The fields of an entry of the model as its file writes them: lists as lists, sets of fields
    as dicts, in the order of its schema. The playbook's settings hold their agreed values; an
    agreed value taken from a number field has no `value` of its own."""
    fields: dict[str, Any] = _WRITERS[type(entry)](entry)
    return fields


_LEFT_OUT: Any = object()


def _optional(value: Any) -> Any:
    """An optional field's value, or _LEFT_OUT when it is not written (None, an empty list or an
    empty set of fields: a file that leaves it out says the same)."""
    return _LEFT_OUT if value is None or value == () or value == {} else value


def _fields(*pairs: tuple[str, Any]) -> dict[str, Any]:
    """A set of fields, in order, without those left out; lists as lists."""
    return {key: _plain(value) for key, value in pairs if value is not _LEFT_OUT}


def _plain(value: Any) -> Any:
    return [_plain(item) for item in value] if isinstance(value, tuple) else value


def _agreement(agreed: Agreement) -> Any:
    return _optional(_fields(*((key, _optional(value)) for key, value in (
        ("sales", agreed.sales), ("marketing", agreed.marketing), *agreed.others, ("date", agreed.date)))))


def _team(team: Team) -> dict[str, Any]:
    return _fields(("name", team.name), ("leader", team.leader), ("description", team.description),
                   ("members", _optional(team.members)), ("people", _optional(tuple(_person(p) for p in team.people))),
                   ("reviewers", _optional(team.reviewers)), ("priorities", _optional(team.priorities)))


def _person(person: Person) -> dict[str, Any]:
    return _fields(("name", person.name), ("role", _optional(person.role)), ("handle", _optional(person.handle)))


def _settings(s: Settings) -> dict[str, Any]:
    roles = tuple(_fields(("id", r.id), ("name", r.name), ("description", _optional(r.description)), ("read", r.read))
                  for r in s.roles)
    return _fields(
        ("site_name", s.site_name), ("company", {"name": s.company_name, "description": s.company_description}),
        ("product", {"name": s.product_name, "description": s.product_description}),
        ("teams", {id: _team(team) for id, team in s.teams.items()}),
        ("signatories", _optional(s.signatories)), ("maintainers", _optional(s.maintainers)),
        ("introduction", s.introduction), ("updated", _optional(s.updated)),
        ("glossary_groups", _optional(tuple(_fields(("id", g.id), ("name", g.name),
                                                    ("description", _optional(g.description)))
                                            for g in s.glossary_groups))),
        ("onboarding", _optional(_fields(("first_terms", _optional(s.first_terms)), ("roles", _optional(roles))))),
        ("values", _optional(tuple(_value(v) for v in s.values))),
        ("forecast_categories", _optional(tuple({"id": f.id, "name": f.name, "definition": f.definition}
                                                for f in s.forecast_categories))),
        ("reasons", _optional(tuple(_fields(
            ("id", g.id), ("name", g.name), ("description", _optional(g.description)),
            ("crm", {"object": g.crm_object, "field": g.crm_field} if g.crm_object is not None else _LEFT_OUT),
            ("reasons", tuple(_fields(("id", r.id), ("text", r.text), ("description", _optional(r.description)))
                              for r in g.reasons))) for g in s.reasons))),
        ("rules", _optional(dict(s.rule_levels))))


def _value(v: NamedValue) -> dict[str, Any]:
    source = v.taken_from
    return _fields(("id", v.id), ("value", v.value if source is None and not v.compute else _LEFT_OUT),
                   ("from", {"kind": source.kind, "id": source.id, "field": source.field} if source else _LEFT_OUT),
                   ("compute", _optional({key: _plain(item) for key, item in v.compute})),
                   ("holds", _optional(dict(v.holds))),
                   ("independent", _optional(v.independent)), ("description", _optional(v.description)))


def _stage(s: Stage) -> dict[str, Any]:
    return _fields(("id", s.id), ("order", s.order), ("name", s.name), ("phase", s.phase), ("summary", s.summary),
                   ("buyer_goal", s.buyer_goal), ("buyer_questions", s.buyer_questions),
                   ("exit_criteria", s.exit_criteria), ("sales_activities", s.sales_activities),
                   ("marketing_activities", s.marketing_activities),
                   ("lifecycle_states", _optional(s.lifecycle_states)))


def _state(s: LifecycleState) -> dict[str, Any]:
    tracks = tuple(_fields(("id", t.id), ("name", t.name), ("entry", t.entry), ("cadence", t.cadence),
                           ("exit", t.exit), ("assets", _optional(t.assets))) for t in s.tracks)
    crm_stages = tuple(_fields(("value", c.value), ("buyer_stage", c.buyer_stage), ("exit_criteria", c.exit_criteria),
                               ("probability", _optional(c.probability)),
                               ("forecast_category", _optional(c.forecast_category))) for c in s.crm_stages)
    return _fields(
        ("id", s.id), ("order", s.order), ("name", s.name), ("abbreviation", _optional(s.abbreviation)),
        ("record", s.record), ("definition", s.definition), ("qualifies", s.qualifies),
        ("does_not_qualify", s.does_not_qualify), ("owner", s.owner), ("next_states", s.next_states),
        ("final", _optional(s.final)), ("accepts", _optional(s.accepts)),
        ("exit_reasons", _optional(tuple({"reason": r.reason, "goes_to": r.goes_to} for r in s.exit_reasons))),
        ("tracks", _optional(tracks)), ("crm", {"object": s.crm.object, "field": s.crm.field, "value": s.crm.value}),
        ("crm_stages", _optional(crm_stages)), ("agreed_by", _agreement(s.agreed_by)))


def _handoff(h: Handoff) -> dict[str, Any]:
    level, escalation, follow_up = h.service_level, h.escalation, h.follow_up
    return _fields(
        ("id", h.id), ("name", h.name), ("from_state", h.from_state), ("to_state", h.to_state),
        ("from_team", h.from_team), ("to_team", h.to_team), ("sender", h.sender), ("receiver", h.receiver),
        ("service_level", {"within": level.within, "unit": level.unit, "action": level.action}),
        ("escalation", {"within": escalation.within, "unit": escalation.unit, "notify": escalation.notify,
                        "action": escalation.action} if escalation is not None else _LEFT_OUT),
        ("receiver_checks", h.receiver_checks),
        ("rejection_reasons", tuple({"reason": r.reason, "goes_to": r.goes_to} for r in h.rejection_reasons)),
        ("follow_up", {"touches": follow_up.touches, "days": follow_up.days, "rule": follow_up.rule}),
        ("agreed_by", _agreement(h.agreed_by)))


def _term(t: Term) -> dict[str, Any]:
    confusions = tuple({"term": c.term, "difference": c.difference} for c in t.not_to_be_confused_with)
    return _fields(("id", t.id), ("name", t.name), ("abbreviation", _optional(t.abbreviation)),
                   ("aliases", _optional(t.aliases)), ("definition", t.definition), ("example", _optional(t.example)),
                   ("not_to_be_confused_with", _optional(confusions)), ("related", _optional(t.related)),
                   ("lifecycle_state", _optional(t.lifecycle_state)), ("owner", t.owner),
                   ("group", _optional(t.group)), ("link", _optional(t.link)))


def _persona(p: Persona) -> dict[str, Any]:
    validated = _fields(("on", _optional(p.validated_on)), ("against", _optional(p.validated_against)))
    return _fields(
        ("id", p.id), ("name", p.name), ("role", p.role), ("buying_role", p.buying_role), ("summary", p.summary),
        ("goals", p.goals), ("pains", p.pains),
        ("objections", tuple(_fields(("objection", o.objection), ("response", o.response),
                                     ("internal_notes", _optional(o.internal_notes)),
                                     ("keywords", _optional(o.keywords))) for o in p.objections)),
        ("stages", p.stages), ("owner", p.owner), ("review_by", p.review_by), ("validated", _optional(validated)))


def _asset(a: Asset) -> dict[str, Any]:
    return _fields(("id", a.id), ("title", a.title), ("use_when", _optional(a.use_when)), ("type", a.type),
                   ("stages", a.stages), ("priority", _optional(a.priority)), ("personas", _optional(a.personas)),
                   ("owner", a.owner), ("link", a.link), ("description", a.description),
                   ("talking_points", a.talking_points), ("internal_notes", _optional(a.internal_notes)),
                   ("keywords", _optional(a.keywords)), ("review_by", a.review_by),
                   ("expires", _optional(a.expires)))


def _metric(m: Metric) -> dict[str, Any]:
    baseline = {"value": m.baseline.value, "as_of": m.baseline_as_of} if m.baseline is not None else _LEFT_OUT
    return _fields(("id", m.id), ("name", m.name), ("definition", m.definition), ("formula", m.formula),
                   ("unit", m.unit), ("currency", _optional(m.currency)),
                   ("target", {"direction": m.target.direction, "value": m.target.value}), ("baseline", baseline),
                   ("period", m.period), ("data_source", m.data_source), ("owners", m.owners),
                   ("why", _optional(m.why)))


_WRITERS: dict[type, Any] = {Settings: _settings, NamedValue: _value, Stage: _stage, LifecycleState: _state,
                             Handoff: _handoff, Term: _term, Persona: _persona, Asset: _asset, Metric: _metric}
