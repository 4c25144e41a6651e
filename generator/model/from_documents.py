"""The model from a loaded playbook: one function per kind of file, each reading the fields its
schema defines, and `build_model`, which puts the entries in reading order.

A playbook that passed every check is built for the site and the commands. The change features
also build revisions nobody validated (the head of a pull request, for the sign-off check):
`blocking_problems` says what stops one being built. An agreement written wrongly, or not at all,
does not: it is kept as written, for the sign-off check to judge.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from ..rules.values import taken_from, value_texts
from ..source.document import Document
from ..source.filecache import checked
from ..source.loader import LoadedPlaybook
from ..source.problems import Problem
from ..source.schemas import check_document, schema_errors
from .entities import (
    Agreement,
    Asset,
    Confusion,
    CrmField,
    CrmStage,
    Escalation,
    ExitReason,
    FollowUp,
    Handoff,
    LifecycleState,
    Metric,
    Objection,
    Persona,
    Rejection,
    ServiceLevel,
    Stage,
    Target,
    Term,
    Track,
)
from .playbook import Playbook
from .settings import (
    AgreedReason,
    ForecastCategory,
    GlossaryGroup,
    NamedValue,
    Person,
    ReasonList,
    Role,
    Settings,
    Team,
    ValueSource,
)

_Item = TypeVar("_Item")


def build_model(loaded: LoadedPlaybook, today: date | None = None) -> Playbook:
    """Objects from a loaded playbook that has passed every check (or, for the change features, has
    no blocking problem), with freshness judged on `today` (the real date when None)."""
    assert loaded.settings is not None
    docs = loaded.documents
    lifecycle = tuple(sorted((_state(d) for d in docs["lifecycle"]), key=lambda s: s.order))
    place = {state.id: state.order for state in lifecycle}
    # A handoff between states the playbook does not have comes last (only in an unchecked revision).
    last = max(place.values(), default=0) + 1
    return Playbook(
        settings=_settings(loaded.settings, value_texts(loaded)),
        stages=tuple(sorted((_stage(d) for d in docs["stage"]), key=lambda s: s.order)),
        lifecycle=lifecycle,
        handoffs=tuple(sorted((_handoff(d) for d in docs["handoff"]),
                              key=lambda h: (place.get(h.from_state, last), place.get(h.to_state, last), h.id))),
        terms=tuple(sorted((_term(d) for d in docs["term"]), key=lambda t: (t.name.casefold(), t.id))),
        personas=tuple(_persona(d) for d in docs["persona"]),
        assets=tuple(sorted((_asset(d) for d in docs["asset"]), key=lambda a: (a.title.casefold(), a.id))),
        metrics=tuple(_metric(d) for d in docs["metric"]),
        today=today or date.today(),
    )


def settings_model(loaded: LoadedPlaybook) -> Settings:
    """playbook.yaml's settings alone, from a playbook that has passed every check."""
    assert loaded.settings is not None
    return _settings(loaded.settings, value_texts(loaded))


def blocking_problems(loaded: LoadedPlaybook) -> list[Problem]:
    """What stops a model being built from loaded, however much else is wrong with it: a file that
    could not be read (or one that is not part of a playbook), or a file that does not fit its
    schema apart from its agreement. Empty when build_model can build it; sorted."""
    found = [p for p in loaded.problems if not p.warning]
    documents = [loaded.settings] if loaded.settings is not None else []
    documents += [doc for docs in loaded.documents.values() for doc in docs]
    for doc in documents:
        problems = [p for p in checked(doc, check_document) if not p.warning]
        if problems and _beyond_agreement(doc):
            found.extend(problems)
    return sorted(set(found))


def _beyond_agreement(doc: Document) -> bool:
    """Whether a document's schema errors reach beyond its agreed_by (one only missing or wrongly
    written there is still built: its agreement is kept as written)."""
    if not isinstance(doc.data, dict):
        return True
    for error in schema_errors(doc.kind, doc.data, careful=True):
        path = list(error.absolute_path)
        if path[:1] == ["agreed_by"]:
            continue
        required: Any = error.validator_value
        if not path and error.validator == "required" and \
                {name for name in required if name not in doc.data} <= {"agreed_by"}:
            continue
        return True
    return False


def _where(doc: Document) -> Document:
    """Where an entry is written: its file and the place of each field, without the file's data
    (the model's objects hold that)."""
    return Document(doc.kind, doc.path, doc.display, None, doc.places, doc.source)


def _tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value or ())


def _each(items: Any, make: Callable[[Any], _Item]) -> tuple[_Item, ...]:
    """One object per item of an optional list of objects."""
    return tuple(make(item) for item in items or ())


def _agreement(data: Any) -> Agreement:
    """As written; a part that is missing or not text (only in a revision that does not validate)
    is None."""
    parts = data if isinstance(data, dict) else {}
    sales, marketing, day = (parts.get(key) for key in ("sales", "marketing", "date"))
    others = tuple((str(team), name if isinstance(name, str) else None) for team, name in parts.items()
                   if team not in ("sales", "marketing", "date"))
    return Agreement(sales=sales if isinstance(sales, str) else None,
                     marketing=marketing if isinstance(marketing, str) else None,
                     date=day if isinstance(day, str) else None, others=others)


def _settings(doc: Document, texts: dict[str, str]) -> Settings:
    d = doc.data
    where = _where(doc)
    teams = {tid: Team(id=tid, name=t["name"], leader=t["leader"], description=t["description"],
                       members=_tuple(t.get("members")), reviewers=_tuple(t.get("reviewers")),
                       priorities=_tuple(t.get("priorities")),
                       people=_each(t.get("people"), lambda p: Person(p["name"], p.get("role"), p.get("handle"))))
             for tid, t in d["teams"].items()}
    onboarding = d.get("onboarding") or {}
    return Settings(site_name=d["site_name"], company_name=d["company"]["name"],
                    company_description=d["company"]["description"], product_name=d["product"]["name"],
                    product_description=d["product"]["description"], teams=teams,
                    introduction=d["introduction"], updated=d.get("updated"),
                    glossary_groups=_each(d.get("glossary_groups"), lambda g: GlossaryGroup(
                        id=g["id"], name=g["name"], description=g.get("description"))),
                    first_terms=_tuple(onboarding.get("first_terms")),
                    roles=_each(onboarding.get("roles"), lambda r: Role(
                        id=r["id"], name=r["name"], description=r.get("description"), read=_tuple(r["read"]))),
                    values=_each(d.get("values"), lambda v: _value(v, texts, where)),
                    forecast_categories=_each(d.get("forecast_categories"), lambda f: ForecastCategory(
                        id=f["id"], name=f["name"], definition=f["definition"])),
                    reasons=_each(d.get("reasons"), _reason_list),
                    maintainers=_tuple(d.get("maintainers")), signatories=_tuple(d.get("signatories")),
                    rule_levels=dict(d.get("rules") or {}),
                    origin=where)


def _reason_list(data: dict[str, Any]) -> ReasonList:
    crm = data.get("crm") or {}
    return ReasonList(id=data["id"], name=data["name"], description=data.get("description"),
                      crm_object=crm.get("object"), crm_field=crm.get("field"),
                      reasons=_each(data["reasons"], lambda r: AgreedReason(
                          id=r["id"], text=r["text"], description=r.get("description"))))


def _value(data: dict[str, Any], texts: dict[str, str], where: Document) -> NamedValue:
    """A value as written, or with the text of the field it is taken from (none, in a revision
    nobody validated, when that field cannot be read)."""
    source = taken_from(data)
    return NamedValue(id=data["id"], value=data["value"] if "value" in data else texts.get(data["id"], ""),
                      description=data.get("description"),
                      taken_from=ValueSource(*source) if source is not None else None,
                      independent=data.get("independent"), compute=_pairs(data.get("compute")),
                      holds=_pairs(data.get("holds")), origin=where)


def _pairs(data: Any) -> tuple[tuple[str, Any], ...]:
    """A set of fields as (name, value) pairs, in order, lists as tuples (a value's `compute`, `holds`)."""
    if not isinstance(data, dict):
        return ()
    return tuple((key, tuple(value) if isinstance(value, list) else value) for key, value in data.items())


def _stage(doc: Document) -> Stage:
    d = doc.data
    return Stage(id=d["id"], source=doc.display, order=d["order"], name=d["name"], phase=d["phase"],
                 summary=d["summary"], buyer_goal=d["buyer_goal"],
                 buyer_questions=_tuple(d["buyer_questions"]), exit_criteria=_tuple(d["exit_criteria"]),
                 sales_activities=_tuple(d["sales_activities"]),
                 marketing_activities=_tuple(d["marketing_activities"]),
                 lifecycle_states=_tuple(d.get("lifecycle_states")), origin=_where(doc))


def _state(doc: Document) -> LifecycleState:
    d = doc.data
    return LifecycleState(id=d["id"], source=doc.display, order=d["order"], name=d["name"],
                          abbreviation=d.get("abbreviation"), record=d["record"], definition=d["definition"],
                          qualifies=_tuple(d["qualifies"]), does_not_qualify=_tuple(d["does_not_qualify"]),
                          owner=d["owner"], next_states=_tuple(d["next_states"]),
                          crm=CrmField(object=d["crm"]["object"], field=d["crm"]["field"], value=d["crm"]["value"]),
                          agreed_by=_agreement(d.get("agreed_by")), final=d.get("final"),
                          accepts=_tuple(d.get("accepts")),
                          exit_reasons=_each(d.get("exit_reasons"), lambda r: ExitReason(
                              reason=r["reason"], goes_to=r["goes_to"])),
                          tracks=_each(d.get("tracks"), lambda t: Track(
                              id=t["id"], name=t["name"], entry=t["entry"], cadence=t["cadence"], exit=t["exit"],
                              assets=_tuple(t.get("assets")))),
                          crm_stages=_each(d.get("crm_stages"), lambda c: CrmStage(
                              value=c["value"], buyer_stage=c["buyer_stage"], exit_criteria=_tuple(c["exit_criteria"]),
                              probability=c.get("probability"), forecast_category=c.get("forecast_category"))),
                          origin=_where(doc))


def _handoff(doc: Document) -> Handoff:
    d = doc.data
    sl, fu = d["service_level"], d["follow_up"]
    return Handoff(id=d["id"], source=doc.display, name=d["name"], from_state=d["from_state"],
                   to_state=d["to_state"], from_team=d["from_team"], to_team=d["to_team"],
                   sender=d["sender"], receiver=d["receiver"],
                   service_level=ServiceLevel(within=sl["within"], unit=sl["unit"], action=sl["action"]),
                   receiver_checks=_tuple(d["receiver_checks"]),
                   rejection_reasons=_each(d["rejection_reasons"], lambda r: Rejection(
                       reason=r["reason"], goes_to=r["goes_to"])),
                   follow_up=FollowUp(touches=fu["touches"], days=fu["days"], rule=fu["rule"]),
                   agreed_by=_agreement(d.get("agreed_by")),
                   escalation=Escalation(**d["escalation"]) if "escalation" in d else None, origin=_where(doc))


def _term(doc: Document) -> Term:
    d = doc.data
    return Term(id=d["id"], source=doc.display, name=d["name"], abbreviation=d.get("abbreviation"),
                aliases=_tuple(d.get("aliases")), definition=d["definition"], example=d.get("example"),
                not_to_be_confused_with=_each(d.get("not_to_be_confused_with"), lambda c: Confusion(
                    term=c["term"], difference=c["difference"])),
                related=_tuple(d.get("related")), lifecycle_state=d.get("lifecycle_state"), owner=d["owner"],
                group=d.get("group"), origin=_where(doc), link=d.get("link"))


def _persona(doc: Document) -> Persona:
    d = doc.data
    return Persona(id=d["id"], source=doc.display, name=d["name"], role=d["role"], buying_role=d["buying_role"],
                   summary=d["summary"], goals=_tuple(d["goals"]), pains=_tuple(d["pains"]),
                   objections=_each(d["objections"], lambda o: Objection(
                       objection=o["objection"], response=o["response"],
                       internal_notes=_tuple(o.get("internal_notes")), keywords=_tuple(o.get("keywords")))),
                   stages=_tuple(d["stages"]), owner=d["owner"], review_by=d["review_by"],
                   validated_on=(d.get("validated") or {}).get("on"),
                   validated_against=(d.get("validated") or {}).get("against"), origin=_where(doc))


def _asset(doc: Document) -> Asset:
    d = doc.data
    return Asset(id=d["id"], source=doc.display, title=d["title"], type=d["type"], stages=_tuple(d["stages"]),
                 personas=_tuple(d.get("personas")), owner=d["owner"], link=d["link"],
                 description=d["description"], talking_points=_tuple(d["talking_points"]),
                 review_by=d["review_by"], use_when=d.get("use_when"), priority=d.get("priority"),
                 expires=d.get("expires"), internal_notes=_tuple(d.get("internal_notes")),
                 keywords=_tuple(d.get("keywords")), origin=_where(doc))


def _metric(doc: Document) -> Metric:
    d = doc.data
    return Metric(id=d["id"], source=doc.display, name=d["name"], definition=d["definition"],
                  formula=d["formula"], unit=d["unit"], currency=d.get("currency"),
                  target=Target(direction=d["target"]["direction"], value=d["target"]["value"]),
                  period=d["period"], data_source=d["data_source"], owners=_tuple(d["owners"]), why=d.get("why"),
                  baseline=Target(direction=d["target"]["direction"], value=d["baseline"]["value"])
                  if "baseline" in d else None,
                  baseline_as_of=d["baseline"]["as_of"] if "baseline" in d else None, origin=_where(doc))
