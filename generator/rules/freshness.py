"""Dates that go stale: review dates of assets and personas, and the end dates of assets.

Judged on one day, "today", which a build or a test can set (`--today`, the plugin's `today`
option, or the PLAYBOOK_TODAY environment variable) so that what it shows is reproducible.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import date

from ..source.document import Document
from ..source.problems import Problem

# How far ahead the "Needs review" page and `playbook validate` look.
REVIEW_WINDOW_DAYS = 30

TODAY_VARIABLE = "PLAYBOOK_TODAY"


class TodayError(ValueError):
    """A day to judge freshness on that is not a date."""


def resolve_today(value: str | None = None) -> date:
    """The day given, else PLAYBOOK_TODAY, else the real date; raises TodayError if not a date."""
    given, source = (value, "--today") if value else (os.environ.get(TODAY_VARIABLE), TODAY_VARIABLE)
    if not given:
        return date.today()
    try:
        if len(given) != 10:
            raise ValueError
        return date.fromisoformat(given)
    except ValueError:
        raise TodayError(f"{source}: {given[:40]!r} is not a date; write it as year-month-day, "
                         "e.g. 2026-11-23") from None


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def freshness_problems(documents: Iterable[Document], today: date, as_errors: bool = False) -> Iterator[Problem]:
    """A warning (an error with as_errors) for every asset or persona whose review date has
    passed, and every asset past its end date or within REVIEW_WINDOW_DAYS of it."""
    severity = "error" if as_errors else "warning"
    for doc in documents:
        if doc.kind not in ("asset", "persona") or not isinstance(doc.data, dict):
            continue
        what = "the asset" if doc.kind == "asset" else "the persona against recent deals"
        review = date.fromisoformat(doc.data["review_by"])
        if review < today:
            line, column = doc.where(("review_by",))
            yield Problem(doc.display, line, column, "review_by",
                          f"review overdue: {review} passed {_days((today - review).days)} ago; "
                          f"check {what}, then set the next review date", severity)
        if "expires" not in doc.data:
            continue
        end = date.fromisoformat(doc.data["expires"])
        line, column = doc.where(("expires",))
        if end < today:
            yield Problem(doc.display, line, column, "expires",
                          f"withdrawn: it could be sent until {end}, {_days((today - end).days)} ago, so "
                          "it is kept off the stage pages; renew it and move the date, or remove the asset",
                          severity)
        elif (end - today).days <= REVIEW_WINDOW_DAYS:
            when = "today is its last day" if end == today else f"expires in {_days((end - today).days)}"
            yield Problem(doc.display, line, column, "expires",
                          f"{when}: it can be sent until {end} and is then "
                          "withdrawn from the stage pages; renew it or plan its replacement", severity)
