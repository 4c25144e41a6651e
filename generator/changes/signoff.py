"""Who may sign an agreed definition, and whether a change was signed as the playbook requires.

An agreed definition's `agreed_by` names one person of each signing team (sales and marketing,
or the teams `signatories` in playbook.yaml names), listed for that team in playbook.yaml (its
leader, one of its `people`, or a member written "Name, Role"), different people, on a day not
in the future. `playbook validate` checks that much in one revision. A change (`playbook diff
--check-signoff`) must also carry a new agreement: dated after the one it replaces and no earlier
than the day the change branched from the protected branch (the merge base: commit dates inside
a pull request are the contributor's to choose), with names listed in the base revision for the
base revision's signing teams (a pull request cannot list its own signers, nor choose who
signs). With `--approvals`, the people named must also have approved the pull request's latest
commit, and every change both teams own needs an approval from each signing team (see
`approvals`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from ..rules.agreement import AGREEMENT_IN_FUTURE, Signer, agreement, as_date, name_problems
from ..rules.signoff import SIGNOFF_BEFORE_CHANGE, SIGNOFF_MISSING_DATE, SIGNOFF_MISSING_NAME, SIGNOFF_NOT_RENEWED
from ..source.problems import Problem
from .diff import KIND_NAMES, Change, Entry
from .fielddiff import field_label


@dataclass(frozen=True)
class Rules:
    """What a change's new agreement is checked against: the base revision's signers, today, and
    the day the change branched from the protected branch (None when unknown: two folders)."""

    people: dict[str, dict[str, Signer]]
    today: date
    not_before: date | None = None


def signoff_problems(changes: list[Change], rules: Rules) -> list[Problem]:
    """One problem, at its agreed_by, for each agreed definition added or changed (in its own
    words, or in what an agreed value it names shows) without a renewed two-team agreement."""
    found: list[Problem] = []
    for change in changes:
        if change.needs_signoff:
            found.extend(_change_problems(change, rules))
    return found


def _what(change: Change) -> str:
    if change.status != "changed":
        return change.status
    fields = dict.fromkeys(field_label(f.path[:1]) or "definition" for f in change.fields
                           if f.path[:1] != ("agreed_by",))
    through = dict.fromkeys(n for f in change.fields for n in f.through)
    text = "changed (" + ", ".join(fields) + ")"
    if through:
        text += " through the agreed value " + ", ".join(f"'{n}'" for n in through)
    return text


def _change_problems(change: Change, rules: Rules) -> Iterator[Problem]:
    entry: Entry = change.entry
    doc = entry.doc
    agreed = agreement(entry.data)
    label = f"{KIND_NAMES[change.kind][0]} '{entry.label}' was {_what(change)}"
    # The signing teams are the base revision's: a change cannot name its own.
    missing = [team for team in rules.people if not (isinstance(agreed.get(team), str) and agreed[team].strip())]
    if missing:
        every = "both teams" if len(rules.people) == 2 else "the signing teams (" + ", ".join(rules.people) + ")"
        yield doc.problem(SIGNOFF_MISSING_NAME, ("agreed_by",),
                          f"{label} without a name from {' and '.join(missing)}: {every} "
                          "agree, then write their names and the date", key=True)
        return
    yield from (dataclasses.replace(p, message=f"{label}, but {p.message}") for p in name_problems(doc, rules.people))
    yield from _date_problems(change, rules, label)


def _date_problems(change: Change, rules: Rules, label: str) -> Iterator[Problem]:
    doc = change.entry.doc
    signed = as_date(agreement(change.entry.data).get("date"))
    before = as_date(agreement(change.old.data).get("date")) if change.old is not None else None
    where = ("agreed_by", "date")
    if signed is None:
        yield doc.problem(SIGNOFF_MISSING_DATE, ("agreed_by",),
                          f"{label} and agreed on no valid date: both teams agree again, then "
                          "write the day in agreed_by › date", key=True)
    elif signed > rules.today:
        yield doc.problem(AGREEMENT_IN_FUTURE, where,
                          f"{label}, and agreed_by is dated {signed}, in the future: write the day both "
                          f"teams agreed, {rules.today} at the latest")
    elif before is not None and signed <= before:
        yield doc.problem(SIGNOFF_NOT_RENEWED, where,
                          f"{label}, and agreed_by still holds the earlier agreement of {before}: both "
                          f"teams agree again, then set agreed_by to their names and a date later than {before}")
    elif rules.not_before is not None and signed < rules.not_before:
        yield doc.problem(SIGNOFF_BEFORE_CHANGE, where,
                          f"{label}, but agreed_by is dated {signed}, before this change began (it "
                          f"branched from the protected branch on {rules.not_before}): both teams agree to this "
                          f"change, then set agreed_by to their names and a date on or after {rules.not_before}")


def signoff_count(changes: list[Change]) -> int:
    """How many agreed definitions the changes ask both teams to agree to again."""
    return sum(c.needs_signoff for c in changes)
