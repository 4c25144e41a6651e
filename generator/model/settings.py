"""What playbook.yaml holds, as objects: the teams, which of them sign and who signs for them, the
glossary's groups, the onboarding page's reading paths, the forecast categories, and the agreed
values both teams named once and cite everywhere as [[id]]."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..rules.agreement import DEFAULT_SIGNATORIES
from ..source.document import Document
from ..source.numbers import FIELD_NAMES, KIND_NAMES


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
    independent: bool | None = None  # None: not written
    # How it is computed from other values, as written: (("multiply", ("a", "b")),) or
    # (("convert", "a"), ("to", "hours")); empty when it is not (see rules/value_compute.py).
    compute: tuple[tuple[str, Any], ...] = ()
    # The conditions its number must meet, as written: (("at_least", "mql-threshold"),).
    holds: tuple[tuple[str, str], ...] = ()
    # Where it is declared: playbook.yaml's place of each field, without its data (see Settings).
    origin: Document | None = field(default=None, compare=False, repr=False)

    @property
    def operation(self) -> str | None:
        """'multiply', 'add' or 'convert' for a computed value, else None."""
        return next((name for name, _ in self.compute if name in ("multiply", "add", "convert")), None)

    @property
    def operands(self) -> tuple[str, ...]:
        """The ids of the values it is computed from, in order."""
        found = dict(self.compute).get(self.operation) if self.operation else None
        return (found,) if isinstance(found, str) else tuple(found or ())

    @property
    def converted_to(self) -> str:
        """The unit a conversion gives, in words: 'hours', 'business days'."""
        return str(dict(self.compute).get("to", "")).replace("-", " ")


@dataclass(frozen=True)
class AgreedReason:
    """One reason on an agreed list, named by its id in the lifecycle and as [[id]] in texts."""

    id: str
    text: str
    description: str | None = None


@dataclass(frozen=True)
class ReasonList:
    """An agreed list of reasons (loss reasons, say), with the CRM field they are recorded in."""

    id: str
    name: str
    reasons: tuple[AgreedReason, ...]
    description: str | None = None
    crm_object: str | None = None  # both None: no CRM field written
    crm_field: str | None = None


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
    reasons: tuple[ReasonList, ...] = ()
    maintainers: tuple[str, ...] = ()
    # The teams whose agreement agreed definitions need, as written (empty: not written, so
    # sales and marketing; see `signing_teams`).
    signatories: tuple[str, ...] = ()
    # This company's level for some of the rules, by rule id, as written: "error", "warning", or
    # "off" (false too). Kept so that a change of levels is a change of the settings.
    rule_levels: dict[str, str | bool] = field(default_factory=dict)
    # Where it is written: playbook.yaml, with the line of each field but none of its data, so a
    # problem found in a change (a sign-off missing, say) points at its line.
    origin: Document | None = field(default=None, compare=False, repr=False)

    @property
    def signing_teams(self) -> tuple[str, ...]:
        """The teams that sign agreed definitions: `signatories`, or sales and marketing."""
        return self.signatories or DEFAULT_SIGNATORIES
