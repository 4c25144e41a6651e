"""The playbook as objects: one frozen dataclass per kind, built from validated documents.

Entities refer to each other by id; `Playbook` resolves ids and answers the questions pages ask
("which assets serve this stage?"). Templates receive these objects, never raw dicts, so a
renamed YAML field breaks here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from ..rules.freshness import REVIEW_WINDOW_DAYS
from ..rules.values import taken_from, value_texts
from ..source.document import Document
from ..source.loader import LoadedPlaybook
from ..source.numbers import FIELD_NAMES, KIND_NAMES

TEAMS = ("sales", "marketing")


@dataclass(frozen=True)
class Person:
    """Someone who may sign an agreed definition for a team, and the handle they approve with."""

    name: str
    role: str | None = None
    handle: str | None = None


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    leader: str
    description: str
    members: tuple[str, ...]
    reviewers: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    people: tuple[Person, ...] = ()


@dataclass(frozen=True)
class GlossaryGroup:
    id: str
    name: str
    description: str | None


@dataclass(frozen=True)
class Role:
    """A reading path on the onboarding page: what one role reads, in order."""

    id: str
    name: str
    description: str | None
    read: tuple[str, ...]  # "glossary", "stage:scoping" ...


@dataclass(frozen=True)
class ValueSource:
    """The number field an agreed value is taken from: a handoff's service level, say."""

    kind: str  # "handoff" or "metric"
    id: str
    field: str  # "service_level", "escalation", "follow_up", "target" or "baseline"

    @property
    def field_name(self) -> str:
        """'service level', 'follow-up', 'target' ..."""
        return FIELD_NAMES[self.field]

    @property
    def kind_name(self) -> str:
        """'handoff' or 'shared goal'."""
        return KIND_NAMES[self.kind]


@dataclass(frozen=True)
class NamedValue:
    """A value both teams agreed, declared once and named in texts as [[id]] (see values.py):
    written out, or taken from a number field (`taken_from`), whose words are then its `value`."""

    id: str
    value: str
    description: str | None = None
    taken_from: ValueSource | None = None
    # Written out on purpose: it equals a number field only by chance (no warning says otherwise).
    independent: bool = False


@dataclass(frozen=True)
class ForecastCategory:
    id: str
    name: str
    definition: str


@dataclass(frozen=True)
class Settings:
    site_name: str
    company_name: str
    company_description: str
    product_name: str
    product_description: str
    teams: dict[str, Team]
    introduction: str
    updated: str | None
    glossary_groups: tuple[GlossaryGroup, ...] = ()
    first_terms: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    values: tuple[NamedValue, ...] = ()
    forecast_categories: tuple[ForecastCategory, ...] = ()
    maintainers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Stage:
    id: str
    source: str
    order: int
    name: str
    phase: str
    summary: str
    buyer_goal: str
    buyer_questions: tuple[str, ...]
    exit_criteria: tuple[str, ...]
    sales_activities: tuple[str, ...]
    marketing_activities: tuple[str, ...]
    lifecycle_states: tuple[str, ...]


@dataclass(frozen=True)
class Agreement:
    sales: str
    marketing: str
    date: str


@dataclass(frozen=True)
class CrmField:
    object: str
    field: str
    value: str


@dataclass(frozen=True)
class ExitReason:
    reason: str
    goes_to: str


@dataclass(frozen=True)
class Track:
    """A programme records in a state are enrolled in, such as a nurture track."""

    id: str
    name: str
    entry: str
    cadence: str
    exit: str
    assets: tuple[str, ...] = ()


@dataclass(frozen=True)
class CrmStage:
    """One value of the CRM's stage field within a state, mapped to the buyer stage it serves."""

    value: str
    buyer_stage: str
    exit_criteria: tuple[str, ...]
    probability: int | None = None
    forecast_category: str | None = None


@dataclass(frozen=True)
class LifecycleState:
    id: str
    source: str
    order: int
    name: str
    abbreviation: str | None
    record: str
    definition: str
    qualifies: tuple[str, ...]
    does_not_qualify: tuple[str, ...]
    owner: str
    next_states: tuple[str, ...]
    crm: CrmField
    agreed_by: Agreement
    final: bool = False
    accepts: tuple[str, ...] = ()
    exit_reasons: tuple[ExitReason, ...] = ()
    tracks: tuple[Track, ...] = ()
    crm_stages: tuple[CrmStage, ...] = ()


@dataclass(frozen=True)
class Escalation:
    """What happens when a handoff's service level is missed."""

    within: int
    unit: str
    notify: str
    action: str


@dataclass(frozen=True)
class ServiceLevel:
    within: int
    unit: str
    action: str


@dataclass(frozen=True)
class Rejection:
    reason: str
    goes_to: str


@dataclass(frozen=True)
class FollowUp:
    touches: int
    days: int
    rule: str


@dataclass(frozen=True)
class Handoff:
    id: str
    source: str
    name: str
    from_state: str
    to_state: str
    from_team: str
    to_team: str
    sender: str
    receiver: str
    service_level: ServiceLevel
    receiver_checks: tuple[str, ...]
    rejection_reasons: tuple[Rejection, ...]
    follow_up: FollowUp
    agreed_by: Agreement
    escalation: Escalation | None = None


@dataclass(frozen=True)
class Confusion:
    term: str
    difference: str


@dataclass(frozen=True)
class Term:
    id: str
    source: str
    name: str
    abbreviation: str | None
    aliases: tuple[str, ...]
    definition: str
    example: str | None
    not_to_be_confused_with: tuple[Confusion, ...]
    related: tuple[str, ...]
    lifecycle_state: str | None
    owner: str
    group: str | None = None


@dataclass(frozen=True)
class Objection:
    objection: str
    response: str


@dataclass(frozen=True)
class Persona:
    id: str
    source: str
    name: str
    role: str
    buying_role: str
    summary: str
    goals: tuple[str, ...]
    pains: tuple[str, ...]
    objections: tuple[Objection, ...]
    stages: tuple[str, ...]
    owner: str
    review_by: str
    validated_on: str | None = None
    validated_against: str | None = None


@dataclass(frozen=True)
class Asset:
    id: str
    source: str
    title: str
    type: str
    stages: tuple[str, ...]
    personas: tuple[str, ...]
    owner: str
    link: str
    description: str
    talking_points: tuple[str, ...]
    review_by: str
    use_when: str | None = None
    priority: int | None = None
    expires: str | None = None


@dataclass(frozen=True)
class Target:
    direction: str
    value: float


@dataclass(frozen=True)
class Metric:
    id: str
    source: str
    name: str
    definition: str
    formula: str
    unit: str
    currency: str | None
    target: Target
    period: str
    data_source: str
    owners: tuple[str, ...]
    why: str | None
    baseline: Target | None = None  # the direction is the target's; value and period as measured
    baseline_as_of: str | None = None


@dataclass(frozen=True)
class Playbook:
    """The whole playbook, every list in reading order, with lookups by id."""

    settings: Settings
    stages: tuple[Stage, ...]
    lifecycle: tuple[LifecycleState, ...]
    handoffs: tuple[Handoff, ...]
    terms: tuple[Term, ...]
    personas: tuple[Persona, ...]
    assets: tuple[Asset, ...]
    metrics: tuple[Metric, ...]
    # The day freshness is judged on: review dates passed, assets withdrawn (see freshness.py).
    today: date = field(default_factory=date.today)
    # The day each entry's file last changed, (kind, id) -> day, from git (see changes/history.py);
    # empty outside a git checkout.
    changed: Mapping[tuple[str, str], date] = field(default_factory=dict)

    def changed_on(self, kind: str, id: str) -> date | None:
        """The day an entry's file last changed, when the history says."""
        return self.changed.get((kind, id))

    def freshness(self, entry: Asset | Persona) -> Freshness:
        """Whether an asset or persona is past its review date, or withdrawn, as of `today`."""
        return Freshness.of(entry, self.today)

    def usable(self, asset: Asset) -> bool:
        """An asset may still be sent: it has no end date, or it has not passed."""
        return not self.freshness(asset).withdrawn

    @cached_property
    def names(self) -> dict[str, dict[str, str]]:
        """What each entry is called on the site, by kind and id."""
        return {
            "stage": {s.id: s.name for s in self.stages}, "lifecycle": {s.id: s.name for s in self.lifecycle},
            "handoff": {h.id: h.name for h in self.handoffs}, "term": {t.id: t.name for t in self.terms},
            "persona": {p.id: p.name for p in self.personas}, "asset": {a.id: a.title for a in self.assets},
            "metric": {m.id: m.name for m in self.metrics},
            "forecast": {f.id: f.name for f in self.settings.forecast_categories},
        }

    @cached_property
    def values(self) -> dict[str, str]:
        """The text of each named value, by id."""
        return {v.id: v.value for v in self.settings.values}

    @cached_property
    def _by_id(self) -> dict[str, dict[str, Any]]:
        return {"stage": {s.id: s for s in self.stages}, "lifecycle": {s.id: s for s in self.lifecycle},
                "term": {t.id: t for t in self.terms}, "persona": {p.id: p for p in self.personas}}

    def stage(self, id: str) -> Stage:
        return self._by_id["stage"][id]  # type: ignore[no-any-return]

    def state(self, id: str) -> LifecycleState:
        return self._by_id["lifecycle"][id]  # type: ignore[no-any-return]

    def term(self, id: str) -> Term:
        return self._by_id["term"][id]  # type: ignore[no-any-return]

    def persona(self, id: str) -> Persona:
        return self._by_id["persona"][id]  # type: ignore[no-any-return]

    @cached_property
    def _related(self) -> dict[str, dict[str, list[Any]]]:
        """Who refers to whom, made once: every question below is then a lookup, so no page
        costs the number of stages times the number of assets."""
        related: dict[str, dict[str, list[Any]]] = {
            name: {} for name in ("stage_assets", "persona_assets", "stage_personas", "state_handoffs",
                                  "state_stages", "state_terms")}
        for asset in self.assets:
            for stage_id in dict.fromkeys(asset.stages):
                related["stage_assets"].setdefault(stage_id, []).append(asset)
            for persona_id in dict.fromkeys(asset.personas):
                related["persona_assets"].setdefault(persona_id, []).append(asset)
        for persona in self.personas:
            for stage_id in dict.fromkeys(persona.stages):
                related["stage_personas"].setdefault(stage_id, []).append(persona)
        for handoff in self.handoffs:
            related["state_handoffs"].setdefault(handoff.from_state, []).append(handoff)
        for stage in self.stages:
            for state_id in dict.fromkeys(stage.lifecycle_states):
                related["state_stages"].setdefault(state_id, []).append(stage)
        for term in self.terms:
            if term.lifecycle_state:
                related["state_terms"].setdefault(term.lifecycle_state, []).append(term)
        return related

    def assets_for_stage(self, stage_id: str) -> tuple[Asset, ...]:
        """Every asset for a stage, withdrawn ones included, by title."""
        return tuple(self._related["stage_assets"].get(stage_id, ()))

    def cards_for_stage(self, stage_id: str) -> tuple[Asset, ...]:
        """The assets a rep may send in a stage, in the order to use them: by priority (those
        with none last), then by title. Withdrawn assets are left out."""
        return tuple(sorted((a for a in self.assets_for_stage(stage_id) if self.usable(a)), key=send_order))

    def personas_for_cards(self, assets: tuple[Asset, ...], stage_id: str) -> tuple[Persona, ...]:
        """The personas a stage page can filter by: those of the stage and those its assets are for."""
        ids = {p for a in assets for p in a.personas} | {p.id for p in self.personas_for_stage(stage_id)}
        return tuple(p for p in self.personas if p.id in ids)

    def assets_for_persona(self, persona_id: str) -> tuple[Asset, ...]:
        """The assets written for a persona, in the order to use them, withdrawn ones last."""
        return tuple(sorted(self._related["persona_assets"].get(persona_id, ()),
                            key=lambda a: (not self.usable(a), send_order(a))))

    def personas_for_stage(self, stage_id: str) -> tuple[Persona, ...]:
        return tuple(self._related["stage_personas"].get(stage_id, ()))

    def handoffs_from(self, state_id: str) -> tuple[Handoff, ...]:
        return tuple(self._related["state_handoffs"].get(state_id, ()))

    def stages_for_state(self, state_id: str) -> tuple[Stage, ...]:
        return tuple(self._related["state_stages"].get(state_id, ()))

    def terms_for_state(self, state_id: str) -> tuple[Term, ...]:
        return tuple(self._related["state_terms"].get(state_id, ()))

    def counts(self) -> dict[str, int]:
        """How many entities of each kind, in the order the summary names them."""
        return {"stages": len(self.stages), "lifecycle states": len(self.lifecycle),
                "handoffs": len(self.handoffs), "terms": len(self.terms), "personas": len(self.personas),
                "assets": len(self.assets), "metrics": len(self.metrics)}


def send_order(asset: Asset) -> tuple[int, str, str]:
    """Priority first (1 first, none last), then title, then id."""
    return (asset.priority if asset.priority is not None else 100, asset.title.casefold(), asset.id)


@dataclass(frozen=True)
class Freshness:
    """An entry's dates as of one day: `overdue` once its review date has passed; `withdrawn`
    once its end date has passed (the end date itself is the last day it may be sent)."""

    review_by: str
    expires: str | None
    review_days: int  # days until the review date; negative once it has passed
    expires_days: int | None  # days until the end date; negative once withdrawn

    @classmethod
    def of(cls, entry: Asset | Persona, today: date) -> Freshness:
        expires = getattr(entry, "expires", None)
        return cls(review_by=entry.review_by, expires=expires,
                   review_days=(date.fromisoformat(entry.review_by) - today).days,
                   expires_days=(date.fromisoformat(expires) - today).days if expires else None)

    @property
    def overdue(self) -> bool:
        return self.review_days < 0

    @property
    def withdrawn(self) -> bool:
        return self.expires_days is not None and self.expires_days < 0

    @property
    def expiring(self) -> bool:
        """Ends within the review window but has not ended yet."""
        return self.expires_days is not None and 0 <= self.expires_days <= REVIEW_WINDOW_DAYS

    @property
    def review_soon(self) -> bool:
        return 0 <= self.review_days <= REVIEW_WINDOW_DAYS




def _tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value or ())


def _agreement(data: dict[str, Any]) -> Agreement:
    return Agreement(sales=data["sales"], marketing=data["marketing"], date=data["date"])


def _settings(doc: Document, texts: dict[str, str]) -> Settings:
    d = doc.data
    teams = {tid: Team(id=tid, name=t["name"], leader=t["leader"], description=t["description"],
                       members=_tuple(t.get("members")), reviewers=_tuple(t.get("reviewers")),
                       priorities=_tuple(t.get("priorities")),
                       people=tuple(Person(p["name"], p.get("role"), p.get("handle")) for p in t.get("people") or ()))
             for tid, t in d["teams"].items()}
    onboarding = d.get("onboarding") or {}
    return Settings(site_name=d["site_name"], company_name=d["company"]["name"],
                    company_description=d["company"]["description"], product_name=d["product"]["name"],
                    product_description=d["product"]["description"], teams=teams,
                    introduction=d["introduction"], updated=d.get("updated"),
                    glossary_groups=tuple(GlossaryGroup(id=g["id"], name=g["name"], description=g.get("description"))
                                          for g in d.get("glossary_groups") or ()),
                    first_terms=_tuple(onboarding.get("first_terms")),
                    roles=tuple(Role(id=r["id"], name=r["name"], description=r.get("description"),
                                     read=_tuple(r["read"])) for r in onboarding.get("roles") or ()),
                    values=tuple(_value(v, texts) for v in d.get("values") or ()),
                    forecast_categories=tuple(ForecastCategory(id=f["id"], name=f["name"], definition=f["definition"])
                                              for f in d.get("forecast_categories") or ()),
                    maintainers=_tuple(d.get("maintainers")))


def _value(data: dict[str, Any], texts: dict[str, str]) -> NamedValue:
    source = taken_from(data)
    return NamedValue(id=data["id"], value=data["value"] if "value" in data else texts[data["id"]],
                      description=data.get("description"),
                      taken_from=ValueSource(*source) if source is not None else None,
                      independent=data.get("independent") is True)


def _stage(doc: Document) -> Stage:
    d = doc.data
    return Stage(id=d["id"], source=doc.display, order=d["order"], name=d["name"], phase=d["phase"],
                 summary=d["summary"], buyer_goal=d["buyer_goal"],
                 buyer_questions=_tuple(d["buyer_questions"]), exit_criteria=_tuple(d["exit_criteria"]),
                 sales_activities=_tuple(d["sales_activities"]),
                 marketing_activities=_tuple(d["marketing_activities"]),
                 lifecycle_states=_tuple(d.get("lifecycle_states")))


def _state(doc: Document) -> LifecycleState:
    d = doc.data
    return LifecycleState(id=d["id"], source=doc.display, order=d["order"], name=d["name"],
                          abbreviation=d.get("abbreviation"), record=d["record"], definition=d["definition"],
                          qualifies=_tuple(d["qualifies"]), does_not_qualify=_tuple(d["does_not_qualify"]),
                          owner=d["owner"], next_states=_tuple(d["next_states"]),
                          crm=CrmField(object=d["crm"]["object"], field=d["crm"]["field"], value=d["crm"]["value"]),
                          agreed_by=_agreement(d["agreed_by"]), final=d.get("final", False),
                          accepts=_tuple(d.get("accepts")),
                          exit_reasons=tuple(ExitReason(reason=r["reason"], goes_to=r["goes_to"])
                                             for r in d.get("exit_reasons") or ()),
                          tracks=tuple(Track(id=t["id"], name=t["name"], entry=t["entry"], cadence=t["cadence"],
                                             exit=t["exit"], assets=_tuple(t.get("assets")))
                                       for t in d.get("tracks") or ()),
                          crm_stages=tuple(CrmStage(value=c["value"], buyer_stage=c["buyer_stage"],
                                                    exit_criteria=_tuple(c["exit_criteria"]),
                                                    probability=c.get("probability"),
                                                    forecast_category=c.get("forecast_category"))
                                           for c in d.get("crm_stages") or ()))


def _handoff(doc: Document) -> Handoff:
    d = doc.data
    sl, fu = d["service_level"], d["follow_up"]
    return Handoff(id=d["id"], source=doc.display, name=d["name"], from_state=d["from_state"],
                   to_state=d["to_state"], from_team=d["from_team"], to_team=d["to_team"],
                   sender=d["sender"], receiver=d["receiver"],
                   service_level=ServiceLevel(within=sl["within"], unit=sl["unit"], action=sl["action"]),
                   receiver_checks=_tuple(d["receiver_checks"]),
                   rejection_reasons=tuple(Rejection(reason=r["reason"], goes_to=r["goes_to"])
                                           for r in d["rejection_reasons"]),
                   follow_up=FollowUp(touches=fu["touches"], days=fu["days"], rule=fu["rule"]),
                   agreed_by=_agreement(d["agreed_by"]),
                   escalation=Escalation(**d["escalation"]) if "escalation" in d else None)


def _term(doc: Document) -> Term:
    d = doc.data
    return Term(id=d["id"], source=doc.display, name=d["name"], abbreviation=d.get("abbreviation"),
                aliases=_tuple(d.get("aliases")), definition=d["definition"], example=d.get("example"),
                not_to_be_confused_with=tuple(Confusion(term=c["term"], difference=c["difference"])
                                              for c in d.get("not_to_be_confused_with") or ()),
                related=_tuple(d.get("related")), lifecycle_state=d.get("lifecycle_state"), owner=d["owner"],
                group=d.get("group"))


def _persona(doc: Document) -> Persona:
    d = doc.data
    return Persona(id=d["id"], source=doc.display, name=d["name"], role=d["role"], buying_role=d["buying_role"],
                   summary=d["summary"], goals=_tuple(d["goals"]), pains=_tuple(d["pains"]),
                   objections=tuple(Objection(objection=o["objection"], response=o["response"])
                                    for o in d["objections"]),
                   stages=_tuple(d["stages"]), owner=d["owner"], review_by=d["review_by"],
                   validated_on=(d.get("validated") or {}).get("on"),
                   validated_against=(d.get("validated") or {}).get("against"))


def _asset(doc: Document) -> Asset:
    d = doc.data
    return Asset(id=d["id"], source=doc.display, title=d["title"], type=d["type"], stages=_tuple(d["stages"]),
                 personas=_tuple(d.get("personas")), owner=d["owner"], link=d["link"],
                 description=d["description"], talking_points=_tuple(d["talking_points"]),
                 review_by=d["review_by"], use_when=d.get("use_when"), priority=d.get("priority"),
                 expires=d.get("expires"))


def _metric(doc: Document) -> Metric:
    d = doc.data
    return Metric(id=d["id"], source=doc.display, name=d["name"], definition=d["definition"],
                  formula=d["formula"], unit=d["unit"], currency=d.get("currency"),
                  target=Target(direction=d["target"]["direction"], value=d["target"]["value"]),
                  period=d["period"], data_source=d["data_source"], owners=_tuple(d["owners"]), why=d.get("why"),
                  baseline=Target(direction=d["target"]["direction"], value=d["baseline"]["value"])
                  if "baseline" in d else None,
                  baseline_as_of=d["baseline"]["as_of"] if "baseline" in d else None)


def build_model(loaded: LoadedPlaybook, today: date | None = None) -> Playbook:
    """Objects from a loaded playbook that has passed every check, with freshness judged on
    `today` (the real date when None)."""
    assert loaded.settings is not None
    docs = loaded.documents
    lifecycle = tuple(sorted((_state(d) for d in docs["lifecycle"]), key=lambda s: s.order))
    place = {state.id: state.order for state in lifecycle}
    return Playbook(
        settings=_settings(loaded.settings, value_texts(loaded)),
        stages=tuple(sorted((_stage(d) for d in docs["stage"]), key=lambda s: s.order)),
        lifecycle=lifecycle,
        handoffs=tuple(sorted((_handoff(d) for d in docs["handoff"]),
                              key=lambda h: (place[h.from_state], place[h.to_state], h.id))),
        terms=tuple(sorted((_term(d) for d in docs["term"]), key=lambda t: (t.name.casefold(), t.id))),
        personas=tuple(_persona(d) for d in docs["persona"]),
        assets=tuple(sorted((_asset(d) for d in docs["asset"]), key=lambda a: (a.title.casefold(), a.id))),
        metrics=tuple(_metric(d) for d in docs["metric"]),
        today=today or date.today(),
    )
