"""Dates that go stale: review dates of assets and personas, and the end dates of assets.

Judged on one day, "today", which a build or a test can set (`--today`, the plugin's `today`
option, or the PLAYBOOK_TODAY environment variable) so that what it shows is reproducible.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import date

from ..source.document import Document
from ..source.problems import WARNING, Problem, Rule

# How far ahead the "Needs review" page and `playbook validate` look.
REVIEW_WINDOW_DAYS = 30

TODAY_VARIABLE = "PLAYBOOK_TODAY"



def _offer(expires: str) -> str:
    """An asset that may be sent until `expires`, for the examples (judged on 2026-11-23)."""
    return f"""\
        id: spring-offer
        title: Spring offer
        type: one-pager
        stages: [learning]
        personas: [buyer]
        owner: marketing
        link: https://assets.acme.example/spring-offer
        description: Ten percent off anvils ordered in spring.
        talking_points: [Order by the end of May.]
        review_by: 2027-01-31
        expires: {expires}"""


REVIEW_OVERDUE = Rule(
    "review-overdue", WARNING, "an asset or persona whose review date has passed",
    doc="""
    Assets and personas say when they are next checked (`review_by`): an asset against the
    product and the market, a persona against recent deals. Once the day has passed, the entry is
    shown on the site's "Needs review" page and reported here. A warning by default; a company
    can make it an error (as `playbook validate --fail-on-stale` and the plugin's `fail_on_stale`
    do for every freshness rule), or turn it off.

    Fails, with these fields in `playbook/assets/guide.yaml`:

        review_by: 2026-09-30

    Passes, with these fields in `playbook/assets/guide.yaml`:

        review_by: 2027-03-31
    """)

ASSET_WITHDRAWN = Rule(
    "asset-withdrawn", WARNING, "an asset past its end date, withdrawn from the stage pages",
    doc=f"""
    An asset that may be sent only until a day (`expires`: a price list, an offer) is withdrawn
    from the stage pages once that day has passed, and reported until it is renewed or removed.
    A company can make it an error, or turn it off.

    Fails, in `playbook/assets/spring-offer.yaml`:

{_offer('2026-05-31')}

    Passes, in `playbook/assets/spring-offer.yaml`:

{_offer('2027-05-31')}
    """)

ASSET_EXPIRING = Rule(
    "asset-expiring", WARNING, f"an asset whose end date is {REVIEW_WINDOW_DAYS} days away or less",
    doc=f"""
    An asset whose end date (`expires`) is within {REVIEW_WINDOW_DAYS} days is reported ahead, so
    it can be renewed or replaced before it is withdrawn from the stage pages. A company can make
    it an error, or turn it off.

    Fails, with these fields in `playbook/assets/guide.yaml`:

        expires: 2026-12-15

    Passes, with these fields in `playbook/assets/guide.yaml`:

        expires: 2027-06-30
    """)

RULES = (REVIEW_OVERDUE, ASSET_WITHDRAWN, ASSET_EXPIRING)


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


def freshness_problems(documents: Iterable[Document], today: date) -> Iterator[Problem]:
    """A warning for every asset or persona whose review date has passed, and every asset past
    its end date or within REVIEW_WINDOW_DAYS of it (validate.py raises them to errors when asked)."""
    for doc in documents:
        if doc.kind not in ("asset", "persona") or not isinstance(doc.data, dict):
            continue
        what = "the asset" if doc.kind == "asset" else "the persona against recent deals"
        review = date.fromisoformat(doc.data["review_by"])
        if review < today:
            line, column = doc.where(("review_by",))
            yield REVIEW_OVERDUE.at(doc.display, line, column, "review_by",
                                    f"review overdue: {review} passed {_days((today - review).days)} ago; "
                                    f"check {what}, then set the next review date")
        if "expires" not in doc.data:
            continue
        end = date.fromisoformat(doc.data["expires"])
        if end >= today and (end - today).days > REVIEW_WINDOW_DAYS:
            continue
        # Only now, with something to tell: where a value is is found by reading its file again.
        line, column = doc.where(("expires",))
        if end < today:
            yield ASSET_WITHDRAWN.at(doc.display, line, column, "expires",
                                     f"withdrawn: it could be sent until {end}, {_days((today - end).days)} ago, "
                                     "so it is kept off the stage pages; renew it and move the date, or remove the "
                                     "asset")
        else:  # within REVIEW_WINDOW_DAYS
            when = "today is its last day" if end == today else f"expires in {_days((end - today).days)}"
            yield ASSET_EXPIRING.at(doc.display, line, column, "expires",
                                    f"{when}: it can be sent until {end} and is then "
                                    "withdrawn from the stage pages; renew it or plan its replacement")
