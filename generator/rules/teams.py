"""Teams named by entries: every owner, handoff team, shared goal owner, signing team and
agreed_by name is under the short name of a team playbook.yaml lists (`teams`), so that the site
can name the team and CODEOWNERS can ask its reviewers.

Any number of teams may be listed; sales and marketing always are. The schemas check that a team
is written as a short name; which names exist is known only from playbook.yaml, so it is checked
here, with the references of references.py (`Index.teams`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ..source.document import Document
from ..source.paths import Path_, shorten
from ..source.problems import ERROR, Problem, Rule
from .references import Index

UNKNOWN_TEAM = Rule(
    "unknown-team", ERROR, "an owner or other team that is not listed under teams in playbook.yaml",
    fixed="the site names each team and CODEOWNERS asks its reviewers; a team nobody lists has neither",
    doc="""
    An entry names its teams by the short names of playbook.yaml's `teams`: the owner of a
    lifecycle state, an asset, a term or a persona, a handoff's `from_team` and `to_team`, a
    shared goal's `owners`, the teams of `agreed_by` and of `signatories`. Any team may be
    listed there, besides sales and marketing (customer-success, revenue-operations ...); a team
    named here must be one of them. A term owned by the signing teams together says `both`.

    Fails, with these fields in `playbook/assets/guide.yaml`:

        owner: customer-success

    Passes, with these fields in `playbook/assets/guide.yaml`:

        owner: customer-success

    And with these fields in `playbook/playbook.yaml`:

        teams:
          sales: {name: Sales, leader: Sam Seller, description: Closes deals.}
          marketing: {name: Marketing, leader: Mia Marketer, description: Makes demand.}
          customer-success: {name: Customer Success, leader: Cara Keeper, description: Keeps customers.}
    """)

RULES = (UNKNOWN_TEAM,)

# What a term's owner says for the signing teams together.
BOTH = "both"


def team_problems(doc: Document, index: Index) -> Iterator[Problem]:
    """Every team one entry names that playbook.yaml does not list (nothing while playbook.yaml
    cannot be read: its own problems come first)."""
    if index.teams is None:
        return iter(())
    return _BY_KIND.get(doc.kind, _none)(doc, index)


def _missing(doc: Document, index: Index, path: Path_, value: Any, key: bool = False) -> Iterator[Problem]:
    teams = index.teams
    if not isinstance(value, str) or teams is None or value in teams:
        return
    known = ", ".join(teams)
    yield doc.problem(UNKNOWN_TEAM, path, f"'{shorten(value)}' is not a team listed in playbook.yaml"
                      f"{index.hint(value, teams)}: the teams are {known}; write one of them, or add the team "
                      f"under teams in playbook.yaml (with its name, leader and description)", key=key)


def _none(doc: Document, index: Index) -> Iterator[Problem]:
    return iter(())


def _owner(doc: Document, index: Index) -> Iterator[Problem]:
    yield from _missing(doc, index, ("owner",), doc.data.get("owner"))


def _agreed(doc: Document, index: Index) -> Iterator[Problem]:
    agreed = doc.data.get("agreed_by")
    for team in agreed if isinstance(agreed, dict) else ():
        if team != "date":
            yield from _missing(doc, index, ("agreed_by", team), team, key=True)


def _lifecycle(doc: Document, index: Index) -> Iterator[Problem]:
    yield from _owner(doc, index)
    yield from _agreed(doc, index)


def _handoff(doc: Document, index: Index) -> Iterator[Problem]:
    for field in ("from_team", "to_team"):
        yield from _missing(doc, index, (field,), doc.data.get(field))
    yield from _agreed(doc, index)


def _term(doc: Document, index: Index) -> Iterator[Problem]:
    if doc.data.get("owner") != BOTH:
        yield from _owner(doc, index)


def _listed(field: str) -> Callable[[Document, Index], Iterator[Problem]]:
    def check(doc: Document, index: Index) -> Iterator[Problem]:
        values = doc.data.get(field)
        for i, value in enumerate(values if isinstance(values, list) else ()):
            yield from _missing(doc, index, (field, i), value)
    return check


_BY_KIND: dict[str, Callable[[Document, Index], Iterator[Problem]]] = {
    "lifecycle": _lifecycle, "handoff": _handoff, "term": _term, "asset": _owner, "persona": _owner,
    "metric": _listed("owners"), "playbook": _listed("signatories"),
}
