"""Who may sign an agreed definition, and what `playbook validate` checks of each agreement in one
revision: names listed for their team in playbook.yaml, two different people, a day not in the
future. The change features (`playbook diff --check-signoff`) build on these to judge a change.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..source.document import Document
from ..source.problems import ERROR, Problem, Rule

# Agreed definitions: a change to one needs a renewed `agreed_by` from both teams. Fixed here, not
# read from the schemas, which a pull request can edit (a schema without `agreed_by` in `required`
# would otherwise switch sign-off off for its kind).
AGREED_KINDS = frozenset({"lifecycle", "handoff"})
# What both teams own: any change to one (added, changed, renamed or removed) needs an approval
# from each team. Agreed definitions, shared goals, stages, agreed values and the settings.
BOTH_TEAMS_KINDS = AGREED_KINDS | {"metric", "stage", "value", "playbook"}

# The teams whose agreement an agreed definition needs when playbook.yaml names no `signatories`.
DEFAULT_SIGNATORIES = ("sales", "marketing")

# What the rules of an agreement protect.
AGREEMENT = "an agreed definition is what both teams signed; a signature that is not one would make it worthless"

SIGNER_NOT_LISTED = Rule(
    "signer-not-listed", ERROR, "an agreed_by name not listed for its team in playbook.yaml",
    fixed=AGREEMENT,
    doc="""
    An agreed definition (a lifecycle state, a handoff) names who agreed it for each team in
    `agreed_by`. Each name is one of the people playbook.yaml lists for that team: its leader,
    one of its `people`, or a member written "Name, Role". A name written for the other team, or
    not listed at all, is not that team's agreement.

    Fails, with these fields in `playbook/lifecycle/lead.yaml`:

        agreed_by: {sales: Sam Seller, marketing: Max Mustermann, date: 2026-01-15}

    Passes, with these fields in `playbook/lifecycle/lead.yaml`:

        agreed_by: {sales: Sam Seller, marketing: Mia Marketer, date: 2026-01-15}
    """)

# Teams in which one person is listed for both, for the examples.
_BOTH_HATS = """\
        teams:
          sales: {name: Sales, leader: Sam Seller, description: Closes deals.}
          marketing:
            name: Marketing
            leader: Mia Marketer
            description: Makes demand.
            people: [{name: Sam Seller, role: Revenue operations}]"""

SAME_SIGNER = Rule(
    "same-signer", ERROR, "one person signing an agreed definition for both teams",
    fixed=AGREEMENT,
    doc=f"""
    An agreement is between the two teams: one person of sales and one of marketing. A person
    listed for both teams still signs for one of them only.

    Fails, with these fields in `playbook/lifecycle/lead.yaml`:

        agreed_by: {{sales: Sam Seller, marketing: Sam Seller, date: 2026-01-15}}

    And with these fields in `playbook/playbook.yaml`:

{_BOTH_HATS}

    Passes, with these fields in `playbook/lifecycle/lead.yaml`:

        agreed_by: {{sales: Sam Seller, marketing: Mia Marketer, date: 2026-01-15}}

    And with these fields in `playbook/playbook.yaml`:

{_BOTH_HATS}
    """)

AGREEMENT_IN_FUTURE = Rule(
    "agreement-in-future", ERROR, "an agreement dated after today",
    fixed=AGREEMENT + ", and one dated ahead would lock the definition: no later sign-off could be dated after it",
    doc="""
    `agreed_by › date` is the day both teams agreed, today at the latest (by the calendar, not by
    `--today`). Checked by `playbook validate` and again on a change.

    Fails, with these fields in `playbook/lifecycle/lead.yaml`:

        agreed_by: {sales: Sam Seller, marketing: Mia Marketer, date: 2099-01-15}

    Passes, with these fields in `playbook/lifecycle/lead.yaml`:

        agreed_by: {sales: Sam Seller, marketing: Mia Marketer, date: 2026-01-15}
    """)

SIGNATORY_MISSING = Rule(
    "signatory-missing", ERROR,
    "an agreed_by without a name for each signing team, or with one for a team that does not sign",
    fixed=AGREEMENT,
    doc="""
    An agreed definition is agreed by the signing teams: sales and marketing, or the teams
    `signatories` in playbook.yaml names. Its `agreed_by` names one person for each of them, and
    none for a team that does not sign (a name there would look like an agreement that is not
    asked for, or a team added to `signatories` without saying so).

    Fails, with these fields in `playbook/lifecycle/lead.yaml`:

        agreed_by: {sales: Sam Seller, date: 2026-01-15}

    Passes, with these fields in `playbook/lifecycle/lead.yaml`:

        agreed_by: {sales: Sam Seller, marketing: Mia Marketer, date: 2026-01-15}
    """)

RULES = (SIGNER_NOT_LISTED, SAME_SIGNER, AGREEMENT_IN_FUTURE, SIGNATORY_MISSING)


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


def signatories(settings: Any) -> tuple[str, ...]:
    """The signing teams, in order, from playbook.yaml's data: its `signatories` when they are a
    list of teams it lists, else sales and marketing (a mistaken list is reported by the schema
    or by unknown-team, and never lets a change through with fewer teams)."""
    data = settings if isinstance(settings, dict) else {}
    named, teams = data.get("signatories"), data.get("teams")
    if isinstance(named, list) and named and isinstance(teams, dict) and \
            all(isinstance(team, str) and team in teams for team in named):
        return tuple(dict.fromkeys(named))
    return DEFAULT_SIGNATORIES


def signers(settings: Any) -> dict[str, dict[str, Signer]]:
    """Each signing team's signers by their name (case and spacing folded), from playbook.yaml's
    data, the teams in the order of `signatories`."""
    signing = signatories(settings)
    found: dict[str, dict[str, Signer]] = {team: {} for team in signing}
    teams = settings.get("teams") if isinstance(settings, dict) else None
    for team in signing:
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
    person signing for two teams. `people` holds the signing teams."""
    agreed = agreement(doc.data)
    keys: dict[str, str] = {}
    for team in people:
        name = agreed.get(team)
        if not isinstance(name, str) or not name.strip():
            continue  # a missing name is signatory-missing's to report
        keys[team] = person_key(name)
        if keys[team] in people[team] or not people[team]:
            continue  # listed; or the team lists nobody, which playbook.yaml's own check reports
        other = next((t for t in people if t != team and keys[team] in people[t]), None)
        if other is not None:
            yield doc.problem(SIGNER_NOT_LISTED, ("agreed_by", team), f"'{name}' signs for {other}, not {team}: "
                              f"{team} agrees through one of its own people: {_listed(team, people)}")
        else:
            yield doc.problem(SIGNER_NOT_LISTED, ("agreed_by", team), f"'{name}' is not listed for {team} in "
                              f"playbook.yaml, so cannot sign for it: {_listed(team, people)}")
    twice = [team for team in keys if list(keys.values()).count(keys[team]) > 1]
    if twice and len(people) == 2:
        yield doc.problem(SAME_SIGNER, ("agreed_by",), "the same person cannot sign for both teams: one person of "
                          f"{' and one of '.join(people)} agree, and both names are written here", key=True)
    elif twice:
        yield doc.problem(SAME_SIGNER, ("agreed_by",), "the same person cannot sign for two teams: one person of "
                          f"each of {_and(list(people))} agrees, and {_and(twice)} name the same person", key=True)


def team_problems(doc: Document, people: dict[str, dict[str, Signer]], listed: Iterable[str]) -> Iterator[Problem]:
    """A signing team without a name in an agreed definition's agreed_by, and a name written for
    a team playbook.yaml lists (`listed`) that does not sign; a name under a team not listed at
    all is unknown-team's to report."""
    agreed = agreement(doc.data)
    missing = [team for team in people if not (isinstance(agreed.get(team), str) and agreed[team].strip())]
    if missing:
        yield doc.problem(SIGNATORY_MISSING, ("agreed_by",), f"no name for {_and(missing)}: the signing teams are "
                          f"{_and(list(people))}, and agreed_by names one person of each who agreed, and the day",
                          key=True)
    teams = set(listed)
    for team in agreed:
        if team != "date" and team not in people and team in teams:
            yield doc.problem(SIGNATORY_MISSING, ("agreed_by", team), f"{team} does not sign agreed definitions "
                              f"(the signing teams are {_and(list(people))}): remove this name, or add {team} to "
                              "signatories in playbook.yaml", key=True)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def date_problem(doc: Document, today: date) -> Problem | None:
    """An agreement dated in the future would lock the definition: no later honest sign-off could
    ever be dated after it."""
    signed = as_date(agreement(doc.data).get("date"))
    if signed is not None and signed > today:
        return doc.problem(AGREEMENT_IN_FUTURE, ("agreed_by", "date"), f"{signed} is in the future: write the day "
                           f"both teams agreed, {today} at the latest")
    return None


def agreement_problems(documents: Iterable[Document], settings: Document | None, today: date) -> Iterator[Problem]:
    """What `playbook validate` checks of every agreed definition's agreed_by, in one revision."""
    data = settings.data if settings is not None else None
    people = signers(data)
    teams = data.get("teams") if isinstance(data, dict) else None
    listed = list(teams) if isinstance(teams, dict) else []
    for doc in documents:
        if doc.kind in AGREED_KINDS and isinstance(doc.data, dict) and agreement(doc.data):
            yield from team_problems(doc, people, listed)
            yield from name_problems(doc, people)
            found = date_problem(doc, today)
            if found is not None:
                yield found
