"""The level of each rule for one company: its default, or the one playbook.yaml sets under
`rules` (error, warning or off) for a rule whose level may be changed. playbook.yaml is owned by
both teams, so a change of level is agreed by both, like any other change to it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from ..source.document import Document
from ..source.paths import shorten
from ..source.problems import ERROR, OFF, WARNING, Problem, Rule
from ..source.schemas import did_you_mean

_FIXED = "a level that cannot be told from the playbook itself would let any check be switched off unseen"

UNKNOWN_RULE = Rule(
    "unknown-rule", ERROR, "a rule in playbook.yaml's `rules` that does not exist",
    fixed=_FIXED,
    doc="""
    playbook.yaml may set the level of rules by their ids (`playbook rules` lists them). An id
    that names no rule is most often a typo, which would leave the rule meant at its default:
    the message suggests the closest id.

    Fails, with these fields in `playbook/playbook.yaml`:

        rules:
          review-overdu: error

    Passes, with these fields in `playbook/playbook.yaml`:

        rules:
          review-overdue: error
    """)

RULE_NOT_ADJUSTABLE = Rule(
    "rule-not-adjustable", ERROR, "a level set in playbook.yaml for a rule whose level cannot be changed",
    fixed=_FIXED,
    doc="""
    Only some rules may have their level changed: warnings, and a few errors that guard the
    playbook's quality rather than the site or the agreement. A rule that protects the site (its
    pages would break or show nonsense) or the agreement of both teams cannot be turned off or
    lowered; `playbook rules ID` says why, for each.

    Fails, with these fields in `playbook/playbook.yaml`:

        rules:
          unknown-reference: warning

    Passes, with these fields in `playbook/playbook.yaml`:

        rules:
          persona-without-assets: off
    """)

RULES = (UNKNOWN_RULE, RULE_NOT_ADJUSTABLE)

# The field of playbook.yaml that sets levels.
FIELD = "rules"


@dataclass(frozen=True)
class Levels:
    """The level of each rule whose level is not its default, by rule id."""

    set: Mapping[str, str] = field(default_factory=dict)

    def apply(self, problems: Iterable[Problem]) -> list[Problem]:
        """The problems at their rules' levels: those of a rule turned off left out."""
        if not self.set:
            return list(problems)
        found = []
        for problem in problems:
            level = self.set.get(problem.rule, problem.severity)
            if level != OFF:
                found.append(problem if level == problem.severity else replace(problem, severity=level))
        return found


def levels(settings: Document | None, rules: Sequence[Rule],
           stale: Iterable[Rule] = ()) -> tuple[Levels, list[Problem]]:
    """The levels playbook.yaml sets (as far as its `rules` can be read: the schema reports the
    rest), and a problem at each id that names no rule or a rule that cannot be changed. The
    rules in `stale` (review and end dates, with --fail-on-stale) are errors unless turned off."""
    known = {rule.id: rule for rule in rules}
    chosen: dict[str, str] = {}
    problems: list[Problem] = []
    if settings is None or not isinstance(settings.data, dict) or not isinstance(settings.data.get(FIELD), dict):
        return _with_stale(chosen, known, stale), problems
    for id, value in settings.data[FIELD].items():
        level = OFF if value is False else value
        if level not in (ERROR, WARNING, OFF):
            continue  # the schema says which levels there are
        rule = known.get(id)
        if rule is None:
            hint = did_you_mean(id, known) or ": `playbook rules` lists every rule"
            problems.append(settings.problem(UNKNOWN_RULE, (FIELD, id), f"'{shorten(id)}' is not a rule{hint}",
                                             key=True))
        elif not rule.adjustable and level != rule.level:
            problems.append(settings.problem(RULE_NOT_ADJUSTABLE, (FIELD, id), f"the level of '{id}' cannot be "
                                             f"changed: {rule.fixed}; remove it from rules"
                                             + ("" if rule.level == ERROR else f" or leave it at {rule.level}"),
                                             key=True))
        elif rule.adjustable:
            chosen[id] = level
    return _with_stale(chosen, known, stale), problems


def _with_stale(chosen: dict[str, str], known: Mapping[str, Rule], stale: Iterable[Rule]) -> Levels:
    """The levels chosen, with the rules in `stale` raised from warnings to errors."""
    for rule in stale:
        if chosen.get(rule.id, rule.level) == WARNING:
            chosen[rule.id] = ERROR
    return Levels({id: level for id, level in chosen.items() if level != known[id].level})
