"""A warning from `playbook validate` for every stage a persona takes part in with no asset
written for that persona (the Coverage page shows the counts: see site/coverage.py)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from ..source.document import Document
from ..source.problems import WARNING, Problem, Rule

# A new persona, for the examples.
_USER = """\
        id: user
        name: Uma, the User
        role: Workshop lead
        buying_role: user
        summary: Uses the anvils every day.
        goals: [Work faster]
        pains: [Anvils that crack]
        objections:
          - objection: We have always used the old ones.
            response: Show the ten-year guarantee.
        stages: [learning]
        owner: marketing
        review_by: 2027-06-30"""

PERSONA_WITHOUT_ASSETS = Rule(
    "persona-without-assets", WARNING, "a stage a persona takes part in with no asset written for them",
    doc=f"""
    A persona takes part in some stages (`stages`); in each of them, reps look for something to
    send that persona. A stage with no asset that may be sent for the persona (`personas` in the
    asset) is a gap, shown on the Coverage page and reported here once the playbook is otherwise
    sound. A warning by default; a company that fills gaps over time can turn it off.

    Fails, in `playbook/personas/user.yaml`:

{_USER}

    Passes, in `playbook/personas/user.yaml`:

{_USER}

    And with these fields in `playbook/assets/guide.yaml`:

        personas: [buyer, user]
    """)

RULES = (PERSONA_WITHOUT_ASSETS,)


def coverage_problems(valid: Iterable[Document], assets: Iterable[Document], stages: set[str],
                      today: date) -> Iterator[Problem]:
    """A warning for each stage a persona (of the valid documents) takes part in where no asset
    that may be sent is written for that persona. Every asset that was read counts, even one with
    a problem of its own, so a typo in an asset is not also reported as a gap; a stage that does
    not exist is reported as such elsewhere, not as a gap."""
    served: set[tuple[str, str]] = set()
    for doc in assets:
        if not isinstance(doc.data, dict):
            continue
        expires = doc.data.get("expires")
        try:
            if isinstance(expires, str) and date.fromisoformat(expires) < today:
                continue
        except ValueError:
            pass
        in_stages, for_personas = doc.data.get("stages"), doc.data.get("personas")
        for stage in in_stages if isinstance(in_stages, list) else []:
            for persona in for_personas if isinstance(for_personas, list) else []:
                if isinstance(stage, str) and isinstance(persona, str):
                    served.add((stage, persona))
    for doc in valid:
        if doc.kind != "persona" or not isinstance(doc.data, dict):
            continue
        for i, stage in enumerate(doc.data.get("stages") or ()):
            if stage in stages and (stage, doc.data["id"]) not in served:
                line, column = doc.where(("stages", i))
                yield PERSONA_WITHOUT_ASSETS.at(doc.display, line, column, f"stages[{i}]",
                                                f"no asset is written for this persona in stage '{stage}': add "
                                                "one for them (personas: [...] in the asset), or take the stage "
                                                "off this persona")
