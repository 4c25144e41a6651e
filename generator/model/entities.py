"""The playbook's entries as objects, one frozen dataclass per kind of file (stage, lifecycle
state, handoff, term, persona, asset, shared goal) and one for each part written inside one.

Entries refer to each other by id; `Playbook` (playbook.py) resolves the ids. Each entry keeps
every field its file holds, and where its file is (`origin`), so the change features can compare
two playbooks entry by entry and point a problem at its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..source.document import Document


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
    # Where it is written: its file, with the line of each field but none of its data.
    origin: Document | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Agreement:
    """Who agreed to a definition for each team, and on which day, as written. A part is None only
    where a revision that does not validate leaves it out: the sign-off check judges that too."""

    sales: str | None
    marketing: str | None
    date: str | None
    # The names written for other teams (when playbook.yaml's `signatories` names them), by team.
    others: tuple[tuple[str, str | None], ...] = ()

    @property
    def names(self) -> tuple[tuple[str, str], ...]:
        """(team, name) for each team a name is written for: sales, marketing, then the others."""
        every = (("sales", self.sales), ("marketing", self.marketing), *self.others)
        return tuple((team, name) for team, name in every if name is not None)


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
    final: bool | None = None  # None: not written (not final)
    accepts: tuple[str, ...] = ()
    exit_reasons: tuple[ExitReason, ...] = ()
    tracks: tuple[Track, ...] = ()
    crm_stages: tuple[CrmStage, ...] = ()
    origin: Document | None = field(default=None, compare=False, repr=False)


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
    origin: Document | None = field(default=None, compare=False, repr=False)


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
    origin: Document | None = field(default=None, compare=False, repr=False)
    # Where running text names the term: "jargon" (not by a name of one everyday word) or "always".
    link: str | None = None


@dataclass(frozen=True)
class Objection:
    objection: str
    response: str
    # For the rep only, never said to the buyer; and the words people use for the objection.
    internal_notes: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


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
    origin: Document | None = field(default=None, compare=False, repr=False)


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
    # For the rep only, never said or sent to the buyer; and the words people use for what it answers.
    internal_notes: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    origin: Document | None = field(default=None, compare=False, repr=False)


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
    origin: Document | None = field(default=None, compare=False, repr=False)


# Every kind of entry that has a file of its own.
Entity = Stage | LifecycleState | Handoff | Term | Persona | Asset | Metric
