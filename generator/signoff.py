"""Who may sign an agreed definition, and whether a change was signed as the playbook requires.

An agreed definition's `agreed_by` names one person of sales and one of marketing, listed for
that team in playbook.yaml (its leader, one of its `people`, or a member written "Name, Role"),
two different people, on a day not in the future. `playbook validate` checks that much in one
revision. A change (`playbook diff --check-signoff`) must also carry a new agreement: dated
after the one it replaces and no earlier than the day the change branched from the protected
branch (the merge base: commit dates inside a pull request are the contributor's to choose),
with names listed in the base revision (a pull request cannot list its own signers). With
`--approvals`, the people named must also have approved the pull request's latest commit, and
every change both teams own needs an approval from each team (see `approvals`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from .diff import AGREED_KINDS, KIND_NAMES, Change, Entry
from .errors import Problem
from .fielddiff import field_label
from .loader import Document

TEAMS = ("sales", "marketing")


@dataclass(frozen=True)
class Signer:
    """A person who may sign for a team, and their handle on the git host (None: not given)."""

    name: str
    team: str
    handle: str | None = None

    @property
    def login(self) -> str | None:
        """The user name on the git host, as its API gives it (no @)."""
        return self.handle.removeprefix("@") if self.handle else None


def person_key(name: str) -> str:
    """A name as signers are told apart: case and spacing do not count."""
    return " ".join(name.split()).casefold()


def signers(settings: Any) -> dict[str, dict[str, Signer]]:
    """Each team's signers by their name (case and spacing folded), from playbook.yaml's data."""
    found: dict[str, dict[str, Signer]] = {team: {} for team in TEAMS}
    teams = settings.get("teams") if isinstance(settings, dict) else None
    for team in TEAMS:
        data = teams.get(team) if isinstance(teams, dict) else None
        if not isinstance(data, dict):
            continue
        people = found[team]
        for person in _list(data.get("people")):
            if isinstance(person, dict) and isinstance(person.get("name"), str) and person["name"].strip():
                handle = person.get("handle")
                people[person_key(person["name"])] = Signer(person["name"], team,
                                                            handle if isinstance(handle, str) else None)
        leader = data.get("leader")
        if isinstance(leader, str) and leader.strip():
            people.setdefault(person_key(leader), Signer(leader.strip(), team))
        for member in _list(data.get("members")):
            # "Lena Fischer, Head of Sales Development" is a person; "Account executives" a role.
            if isinstance(member, str) and "," in member and member.split(",", 1)[0].strip():
                name = member.split(",", 1)[0].strip()
                people.setdefault(person_key(name), Signer(name, team))
        for handle in _list(data.get("reviewers")):
            if isinstance(handle, str) and handle.startswith("@") and "/" not in handle:
                people.setdefault(person_key(handle), Signer(handle, team, handle))
    return found


def _list(value: Any) -> list[Any]:
    """A field that should be a list, as one (a mistyped one is the schema's to report)."""
    return value if isinstance(value, list) else []


def agreement(entry_data: Any) -> dict[str, Any]:
    value = entry_data.get("agreed_by") if isinstance(entry_data, dict) else None
    return value if isinstance(value, dict) else {}


def as_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value is not None and len(str(value)) == 10 else None
    except ValueError:
        return None


def _listed(team: str, people: dict[str, dict[str, Signer]]) -> str:
    names = [s.name for s in people[team].values()]
    if not names:
        return f"teams › {team} lists nobody who may sign: add the people under teams › {team} › people"
    shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    return f"write one of {shown}, or add the person to teams › {team} › people in playbook.yaml"


def name_problems(doc: Document, people: dict[str, dict[str, Signer]]) -> Iterator[Problem]:
    """The names in one agreed definition's agreed_by that are not listed for their team, or one
    person signing for both."""
    agreed = agreement(doc.data)
    keys = {}
    for team in TEAMS:
        name = agreed.get(team)
        if not isinstance(name, str) or not name.strip():
            continue  # a missing name is the schema's to report
        keys[team] = person_key(name)
        if keys[team] in people[team] or not people[team]:
            continue  # listed; or the team lists nobody, which playbook.yaml's own check reports
        other = next(t for t in TEAMS if t != team)
        if keys[team] in people[other]:
            yield doc.problem(("agreed_by", team), f"'{name}' signs for {other}, not {team}: {team} agrees through "
                              f"one of its own people: {_listed(team, people)}")
        else:
            yield doc.problem(("agreed_by", team), f"'{name}' is not listed for {team} in playbook.yaml, so cannot "
                              f"sign for it: {_listed(team, people)}")
    if len(keys) == 2 and keys["sales"] == keys["marketing"]:
        yield doc.problem(("agreed_by",), "the same person cannot sign for both teams: one person of sales and "
                          "one of marketing agree, and both names are written here", key=True)


def date_problem(doc: Document, today: date) -> Problem | None:
    """An agreement dated in the future would lock the definition: no later honest sign-off could
    ever be dated after it."""
    signed = as_date(agreement(doc.data).get("date"))
    if signed is not None and signed > today:
        return doc.problem(("agreed_by", "date"), f"{signed} is in the future: write the day both teams agreed, "
                           f"{today} at the latest")
    return None


def agreement_problems(documents: Iterable[Document], settings: Document | None, today: date) -> Iterator[Problem]:
    """What `playbook validate` checks of every agreed definition's agreed_by, in one revision."""
    people = signers(settings.data if settings is not None else None)
    for doc in documents:
        if doc.kind in AGREED_KINDS and isinstance(doc.data, dict) and agreement(doc.data):
            yield from name_problems(doc, people)
            found = date_problem(doc, today)
            if found is not None:
                yield found


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
    missing = [team for team in TEAMS if not (isinstance(agreed.get(team), str) and agreed[team].strip())]
    if missing:
        yield doc.problem(("agreed_by",), f"{label} without a name from {' and '.join(missing)}: both teams "
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
        yield doc.problem(("agreed_by",), f"{label} and agreed on no valid date: both teams agree again, then "
                          "write the day in agreed_by › date", key=True)
    elif signed > rules.today:
        yield doc.problem(where, f"{label}, and agreed_by is dated {signed}, in the future: write the day both "
                          f"teams agreed, {rules.today} at the latest")
    elif before is not None and signed <= before:
        yield doc.problem(where, f"{label}, and agreed_by still holds the earlier agreement of {before}: both "
                          f"teams agree again, then set agreed_by to their names and a date later than {before}")
    elif rules.not_before is not None and signed < rules.not_before:
        yield doc.problem(where, f"{label}, but agreed_by is dated {signed}, before this change began (it "
                          f"branched from the protected branch on {rules.not_before}): both teams agree to this "
                          f"change, then set agreed_by to their names and a date on or after {rules.not_before}")


def signoff_count(changes: list[Change]) -> int:
    """How many agreed definitions the changes ask both teams to agree to again."""
    return sum(c.needs_signoff for c in changes)
