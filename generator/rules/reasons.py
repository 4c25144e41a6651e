"""Reasons in the lifecycle: why a record leaves a state (an exit reason) or is sent back by the
team that received it (a rejection reason), and the reasons a state accepts records for. A
reason sends records to one place; a state that lists the reasons it accepts is entered only
for one of them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..source.document import Document
from ..source.paths import Path_, shorten
from ..source.problems import ERROR, Problem, Rule

_AGREED = "the lifecycle is an agreement of both teams; the reasons are how each team knows why a record came"


def lost_state(owner: str = "sales", accepts: str = "") -> str:
    """A closed lost state owned by `owner`, for the examples (with `accepts`, a line such as
    "accepts: [Chose another vendor.]")."""
    accepted = f"\n        {accepts}" if accepts else ""
    return f"""\
        id: lost
        order: 3
        name: Closed lost
        record: opportunity
        definition: The buyer chose another vendor, or nothing.
        qualifies: [Told us no.]
        does_not_qualify: [Went quiet for a week.]
        owner: {owner}
        next_states: []
        final: true{accepted}
        crm: {{object: Opportunity, field: Stage, value: Closed Lost}}
        agreed_by: {{sales: Sam Seller, marketing: Mia Marketer, date: 2026-01-15}}"""


_LOST = lost_state(accepts="accepts: [Chose another vendor.]")
# A passing example: lead moves a record to won for a reason won accepts.
SIGNED = """\
    Passes, with these fields in `playbook/lifecycle/lead.yaml`:

        exit_reasons:
          - reason: Signed the order form.
            goes_to: won

    And with these fields in `playbook/lifecycle/won.yaml`:

        accepts: [Signed the order form.]"""

REASON_SENT_TWO_WAYS = Rule(
    "reason-sent-two-ways", ERROR, "one reason that sends records to two different states",
    fixed=_AGREED,
    doc="""
    A reason (compared without case and spacing) sends a record to one place wherever it is
    given: "not ready to buy" is not nurture in one handoff and disqualified in another.

    Fails, with these fields in `playbook/handoffs/lead-to-won.yaml`:

        rejection_reasons:
          - reason: Not ready to buy.
            goes_to: lead
          - reason: Not ready to buy.
            goes_to: won

    And with these fields in `playbook/lifecycle/won.yaml`:

        accepts: [Not ready to buy.]

    Passes, with these fields in `playbook/handoffs/lead-to-won.yaml`:

        rejection_reasons:
          - reason: Not ready to buy.
            goes_to: lead
          - reason: Ready to sign.
            goes_to: won

    And with these fields in `playbook/lifecycle/won.yaml`:

        accepts: [Ready to sign.]
    """)

REASON_NOT_ACCEPTED = Rule(
    "reason-not-accepted", ERROR, "a reason that sends records to a state that does not accept it",
    fixed=_AGREED,
    doc=f"""
    A state that records are sent to for a reason lists the reasons it accepts (`accepts`), and
    each reason that sends records there is one of them, word for word: the team that owns the
    state agreed to take records for those reasons only.

    Fails, with these fields in `playbook/lifecycle/lead.yaml`:

        exit_reasons:
          - reason: Signed the order form.
            goes_to: won

{SIGNED}
    """)

MOVE_WITHOUT_REASON = Rule(
    "move-without-reason", ERROR, "a move into a state that accepts only its reasons, with no reason given",
    fixed=_AGREED,
    doc=f"""
    A state that lists the reasons it accepts is entered only for one of them. Every move into
    it from a next state's list carries a reason: an exit reason of the state it leaves, or a
    handoff between the two.

    Fails, in `playbook/lifecycle/lost.yaml`:

{_LOST}

    And with these fields in `playbook/lifecycle/won.yaml`:

        next_states: [lost]
        final: false

    Passes, in `playbook/lifecycle/lost.yaml`:

{_LOST}

    And with these fields in `playbook/lifecycle/won.yaml`:

        next_states: [lost]
        final: false
        exit_reasons:
          - reason: Chose another vendor.
            goes_to: lost
    """)

RULES = (REASON_SENT_TWO_WAYS, REASON_NOT_ACCEPTED, MOVE_WITHOUT_REASON)


def reason_problems(states: list[Document], handoffs: list[Document],
                    by_id: dict[str, Document]) -> Iterator[Problem]:
    """Every reason that sends a record to another state is one that state accepts; every move into
    a state that names the reasons it accepts carries one; no reason sends records to two places."""
    # (document, path of the reason, its text, the state it comes from, where it sends the record)
    reasons: list[tuple[Document, Path_, str, str, str]] = []
    for handoff in sorted(handoffs, key=lambda h: h.display):
        for i, rejection in enumerate(handoff.data["rejection_reasons"]):
            if _reason(rejection):
                reasons.append((handoff, ("rejection_reasons", i), rejection["reason"], handoff.data["from_state"],
                                rejection["goes_to"]))
    for state in sorted(states, key=lambda d: d.display):
        exits = state.data.get("exit_reasons")
        for i, exit in enumerate(exits if isinstance(exits, list) else ()):
            if _reason(exit):
                reasons.append((state, ("exit_reasons", i), exit["reason"], state.data["id"], exit["goes_to"]))
    accepted = {sid: {_same(r) for r in doc.data.get("accepts") or () if isinstance(r, str)}
                for sid, doc in by_id.items()}
    sent: dict[str, tuple[str, Document]] = {}
    covered: set[tuple[str, str]] = {(h.data["from_state"], h.data["to_state"]) for h in handoffs}
    for doc, path, reason, source, target in reasons:
        key = _same(reason)
        earlier = sent.setdefault(key, (target, doc))
        if earlier[0] != target:
            yield doc.problem(REASON_SENT_TWO_WAYS, path + ("goes_to",), f"the reason '{shorten(reason)}' sends a "
                              f"record to '{target}' here but to '{earlier[0]}' in '{earlier[1].data['id']}': agree "
                              "on one place for it")
        if target == source or target not in by_id or (source in by_id and
                                                      target not in by_id[source].data["next_states"]):
            continue  # staying where it was enters nothing; a state that is not there or not next is told
        covered.add((source, target))
        if not by_id[target].data.get("accepts"):
            yield doc.problem(REASON_NOT_ACCEPTED, path + ("goes_to",), f"'{target}' names no reasons it accepts: "
                              f"add accepts to lifecycle/{target}.yaml with the reasons records are sent there for, "
                              "this one included")
        elif key not in accepted[target]:
            others = sorted(sid for sid, keys in accepted.items() if key in keys)
            where = f" ('{shorten(reason)}' is accepted by: {', '.join(others)})" if others else ""
            yield doc.problem(REASON_NOT_ACCEPTED, path + ("reason",), f"'{target}' does not accept the reason "
                              f"'{shorten(reason)}'{where}: use one of the reasons listed under accepts in "
                              f"lifecycle/{target}.yaml, word for word, or agree to add this one there")
    for doc in sorted(states, key=lambda d: d.data["order"]):
        for i, target in enumerate(doc.data["next_states"]):
            if target in by_id and by_id[target].data.get("accepts") and (doc.data["id"], target) not in covered:
                yield doc.problem(MOVE_WITHOUT_REASON, ("next_states", i), f"a record moves from '{doc.data['id']}' "
                                  f"to '{target}' with no reason, but '{target}' accepts only the reasons it lists: "
                                  f"add exit_reasons to '{doc.data['id']}' that send records to '{target}', or a "
                                  f"handoff from '{doc.data['id']}' whose rejections go there, or remove '{target}' "
                                  "from next_states")


def _reason(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("reason"), str) and isinstance(item.get("goes_to"), str)


def _same(reason: str) -> str:
    """A reason as compared: case and spacing do not count."""
    return " ".join(reason.casefold().split())
