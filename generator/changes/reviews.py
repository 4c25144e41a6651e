"""Who approved a pull request's latest commit: the reviews GitHub lists, reduced to where each
reviewer stands for that commit, as GitHub counts approvals.

The reviews are read by `github_api` from the API whose address and token `github_actions`
takes from a GitHub Actions step; `approvals` judges a change by them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from ..source.problems import printable

# The states that change where a reviewer stands; COMMENTED and PENDING never do.
DECISIVE = frozenset({"APPROVED", "CHANGES_REQUESTED", "DISMISSED"})
_EARLIEST = datetime.min.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class Review:
    """One submitted review, reduced to what decides whether it approves a commit."""

    login: str
    state: str
    commit_id: str  # "" when GitHub no longer has the commit
    submitted_at: str  # ISO 8601, "" for a review not yet submitted
    id: int


class ReviewsError(Exception):
    """The API could not be read: a message a person can act on.

    The message is made printable, as it may quote what GitHub or an event file said and it ends
    up in a CI log, where a control character could forge a line of its own."""

    def __init__(self, message: str) -> None:
        super().__init__(printable(message))


@dataclass(frozen=True)
class Standing:
    """Where one reviewer stands for the latest commit: counts, or the reason it does not."""

    login: str
    counts: bool
    reason: str  # "" when the approval counts


class Approvals:
    """Per reviewer, whether their approval counts for the latest commit, and why not.

    Logins are compared case-insensitively, as GitHub compares them."""

    def __init__(self, head_sha: str, standings: Iterable[Standing]) -> None:
        self.head_sha = head_sha
        self._by_login = {standing.login.casefold(): standing for standing in standings}

    def approved(self, login: str) -> bool:
        """Whether login's approval counts for the latest commit."""
        standing = self._by_login.get(login.casefold())
        return standing is not None and standing.counts

    def why_not(self, login: str) -> str:
        """Why login's approval does not count, in words for a person; "" when it does."""
        standing = self._by_login.get(login.casefold())
        return "has not reviewed" if standing is None else standing.reason

    def logins_approved(self) -> list[str]:
        """Everyone whose approval counts, spelled as GitHub last showed them, sorted."""
        return [standing.login for standing in self.standings() if standing.counts]

    def standings(self) -> list[Standing]:
        """Every reviewer's standing, sorted by login regardless of case."""
        return sorted(self._by_login.values(), key=lambda standing: standing.login.casefold())

    def __repr__(self) -> str:
        return f"Approvals(head_sha={self.head_sha!r}, standings={self.standings()!r})"


def approvers(reviews: Sequence[Review], head_sha: str) -> Approvals:
    """Whose approval counts for head_sha, as GitHub counts them.

    A reviewer's latest APPROVED, CHANGES_REQUESTED or DISMISSED review decides; a comment never
    changes where they stand, and a pending review is not submitted yet. An approval counts only
    for the commit it was given on, so a push after it needs a new one."""
    head = head_sha.lower()
    spelled: dict[str, str] = {}
    deciding: dict[str, Review] = {}
    for review in sorted(reviews, key=_chronological):
        state = review.state.upper()
        if state == "PENDING":
            continue
        key = review.login.casefold()
        spelled[key] = review.login
        if state in DECISIVE:
            deciding[key] = review
    return Approvals(head, (_standing(login, deciding.get(key), head) for key, login in spelled.items()))


def _standing(login: str, review: Review | None, head: str) -> Standing:
    if review is None:
        return Standing(login, False, "commented but has not approved")
    state = review.state.upper()
    if state == "CHANGES_REQUESTED":
        return Standing(login, False, "requested changes")
    if state == "DISMISSED":
        return Standing(login, False, "approval dismissed")
    if review.commit_id.lower() == head:
        return Standing(login, True, "")
    if not review.commit_id:
        return Standing(login, False, f"approved a commit GitHub no longer has, not the latest ({head[:7]})")
    older = printable(review.commit_id[:7])
    return Standing(login, False, f"approved an older commit ({older}), not the latest ({head[:7]})")


def _chronological(review: Review) -> tuple[datetime, int]:
    """When a review was submitted, then its id: GitHub numbers reviews in the order they are made."""
    return instant(review.submitted_at) or _EARLIEST, review.id


def instant(text: str) -> datetime | None:
    """The moment an ISO 8601 text names (in UTC when it names no zone); None when it names none."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)
