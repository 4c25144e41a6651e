"""Approvals, checked where they happen: every change both teams own needs an approving review of
the pull request's latest commit from a person listed for each signing team in playbook.yaml
(sales and marketing, or the teams its `signatories` names; their `people`, with a handle),
and the people an agreed definition's `agreed_by` names must be among those who approved.

Reviews are read from GitHub's REST API with the standard Actions environment (`reviews`); a
review that was dismissed, asked for changes, or approved an older commit does not count.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..rules.agreement import Signer, agreement, person_key
from ..rules.signoff import APPROVAL_MISSING, SIGNER_DID_NOT_APPROVE, SIGNER_WITHOUT_HANDLE
from ..source.problems import Problem
from .diff import KIND_NAMES, Change
from .github_actions import from_environment
from .github_api import list_reviews
from .reviews import Approvals, approvers

SHOWN = 6


def approval_problems(changes: list[Change], people: dict[str, dict[str, Signer]],
                      environ: Mapping[str, str]) -> list[Problem]:
    """Read the pull request's reviews (only when a change needs them) and judge every change both
    teams own by them. Raises ReviewsError when the API cannot be read."""
    owned = [c for c in changes if c.both_teams]
    if not owned:
        return []
    api_url, repository, pull, token = from_environment(environ)
    approvals = approvers(list_reviews(api_url, repository, pull.number, token), pull.head_sha)
    return judge(owned, people, approvals, pull.head_sha)


def judge(changes: list[Change], people: dict[str, dict[str, Signer]], approvals: Approvals,
          head_sha: str) -> list[Problem]:
    """One problem for each change and team whose approval is missing, and for each agreed_by name
    whose person did not approve, each at the agreed_by it concerns (else the entry's first line)."""
    found: list[Problem] = []
    for change in changes:
        if not change.both_teams:
            continue
        for team in people:  # the signing teams of the base revision
            found.extend(_team_problems(change, team, people[team], approvals, head_sha))
    return found


def _team_problems(change: Change, team: str, listed: dict[str, Signer], approvals: Approvals,
                   head_sha: str) -> list[Problem]:
    entry = change.entry
    doc = entry.doc
    what = f"{KIND_NAMES[change.kind][0]} '{entry.label}' ({change.status})"
    handles = {s.login.casefold(): s for s in listed.values() if s.login}
    approved = [s for login, s in handles.items() if approvals.approved(login)]
    short = head_sha[:7]
    if not approved:
        if not handles:
            return [doc.problem(APPROVAL_MISSING, ("agreed_by",),
                                f"{what} needs an approval from {team}, and playbook.yaml lists "
                                f"no one of {team} with a handle: add handles to teams › {team} › people",
                                key=True)]
        tried = "; ".join(f"{s.name} ({s.handle}): {approvals.why_not(login)}"
                          for login, s in list(handles.items())[:SHOWN])
        return [doc.problem(APPROVAL_MISSING, ("agreed_by",),
                            f"{what} needs an approving review of the latest commit ({short}) "
                            f"from {team}, and has none: {tried}", key=True)]
    if not (change.needs_signoff or any(f.path[:1] == ("agreed_by",) for f in change.fields)):
        return []  # no new agreement is written: nobody is named for it
    name = agreement(entry.data).get(team)
    signer = listed.get(person_key(name)) if isinstance(name, str) else None
    if signer is None:
        return []  # an unlisted name is reported by the sign-off check
    if signer.login is None:
        return [doc.problem(SIGNER_WITHOUT_HANDLE, ("agreed_by", team),
                            f"{what}: agreed_by names {signer.name} for {team}, who has no "
                            f"handle in playbook.yaml, so their approval cannot be checked: add their handle to "
                            f"teams › {team} › people")]
    if not approvals.approved(signer.login):
        return [doc.problem(SIGNER_DID_NOT_APPROVE, ("agreed_by", team),
                            f"{what}: agreed_by names {signer.name} for {team}, but "
                            f"{signer.handle} {approvals.why_not(signer.login)}: the people "
                            f"named are the people who approved ({', '.join(s.handle or s.name for s in approved)})")]
    return []
