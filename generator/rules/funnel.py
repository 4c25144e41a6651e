"""The lifecycle (the funnel) both teams agreed: where a record may move from each state, who
owns it there, and how it is handed from one team to the other. Every state is reached from the
first; a state with no way out is final; every change of owning team has a handoff with an
escalation; a handoff and an exit move records only to allowed next states."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..source.document import Document
from ..source.problems import ERROR, Problem, Rule
from .reasons import SIGNED, lost_state, reason_problems
from .references import Index

# The lifecycle is an agreement of both teams: the rules that keep it whole protect it.
AGREED = "the lifecycle is an agreement of both teams; a gap in it is a record nobody is sure what to do with"

NOT_A_NEXT_STATE = Rule(
    "not-a-next-state", ERROR, "a record sent to a state that is not a next state of where it is",
    fixed=AGREED,
    doc=f"""
    A state lists the states a record may move to (`next_states`). A handoff's `to_state`, the
    state a rejected record goes to, and the state an exit reason sends a record to are each one
    of those (a rejected record may also stay where it is).

    Fails, with these fields in `playbook/lifecycle/won.yaml`:

        exit_reasons:
          - reason: Stopped paying.
            goes_to: lead

{SIGNED}
    """)

HANDOFF_WRONG_TEAM = Rule(
    "handoff-wrong-team", ERROR, "a handoff whose team is not the owner of its state",
    fixed=AGREED,
    doc="""
    A handoff moves a record from a state one team owns to a state the other owns: its
    `from_team` is the owner of its `from_state`, its `to_team` the owner of its `to_state`.

    Fails, with these fields in `playbook/handoffs/lead-to-won.yaml`:

        from_team: sales

    Passes, with these fields in `playbook/handoffs/lead-to-won.yaml`:

        from_team: marketing
    """)

FUNNEL_UNREACHABLE = Rule(
    "funnel-unreachable", ERROR, "a lifecycle state no record can reach from the first",
    fixed=AGREED,
    doc=f"""
    Every state is reached from the first state (the lowest order) through next states; one
    that cannot be reached holds no record, and is most often a next state forgotten.

    Fails, in `playbook/lifecycle/lost.yaml`:

{lost_state()}

    Passes, in `playbook/lifecycle/lost.yaml`:

{lost_state('marketing')}

    And with these fields in `playbook/lifecycle/lead.yaml`:

        next_states: [won, lost]
    """)

FUNNEL_DEAD_END = Rule(
    "funnel-dead-end", ERROR, "a lifecycle state with no way out that is not marked final",
    fixed=AGREED,
    doc="""
    A state with no next states keeps its records for ever. That is right for the last states
    (won, lost), which say so with `final: true`; for any other it is a next state forgotten.

    Fails, with these fields in `playbook/lifecycle/won.yaml`:

        final: false

    Passes, with these fields in `playbook/lifecycle/won.yaml`:

        final: true
    """)

FINAL_WITH_NEXT_STATES = Rule(
    "final-with-next-states", ERROR, "a final lifecycle state that has next states",
    fixed=AGREED,
    doc="""
    A final state is where records end: it has no next states. One with both contradicts itself.

    Fails, with these fields in `playbook/lifecycle/lead.yaml`:

        final: true

    Passes, with these fields in `playbook/lifecycle/lead.yaml`:

        final: false
    """)

HANDOFF_MISSING = Rule(
    "handoff-missing", ERROR, "a change of owning team between two states with no handoff",
    fixed=AGREED,
    doc=f"""
    When a record moves from a state one team owns to one the other team owns, a handoff says
    how: who sends, who receives, within what service level, and what happens when it is
    missed. A move between the teams without one is where leads are lost.

    Fails, in `playbook/lifecycle/lost.yaml`:

{lost_state('marketing')}

    And with these fields in `playbook/lifecycle/won.yaml`:

        next_states: [lost]
        final: false

    Passes, in `playbook/lifecycle/lost.yaml`:

{lost_state()}

    And with these fields in `playbook/lifecycle/won.yaml`:

        next_states: [lost]
        final: false
    """)

ESCALATION_MISSING = Rule(
    "escalation-missing", ERROR, "a handoff between the teams with no escalation",
    fixed=AGREED,
    doc="""
    A handoff between the teams says what happens when its service level is missed: within how
    long, who is told, and what they do (`escalation`).

    Fails, in `playbook/handoffs/lead-to-won.yaml`:

        id: lead-to-won
        name: Marketing hands a lead to sales
        from_state: lead
        to_state: won
        from_team: marketing
        to_team: sales
        sender: Marketing operations
        receiver: Account executive
        service_level: {within: 4, unit: business-hours, action: Accept or reject the lead.}
        receiver_checks: [The company exists.]
        rejection_reasons: [{reason: Not ready to buy., goes_to: lead}]
        follow_up: {touches: 5, days: 10, rule: "Call, then e-mail."}
        agreed_by: {sales: Sam Seller, marketing: Mia Marketer, date: 2026-01-15}

    Passes, with these fields in `playbook/handoffs/lead-to-won.yaml`:

        escalation:
          within: 1
          unit: business-days
          notify: The sales manager
          action: The lead goes to the next account executive.
    """)

RULES = (NOT_A_NEXT_STATE, HANDOFF_WRONG_TEAM, FUNNEL_UNREACHABLE, FUNNEL_DEAD_END, FINAL_WITH_NEXT_STATES,
         HANDOFF_MISSING, ESCALATION_MISSING)


def move_problems(doc: Document, index: Index) -> Iterator[Problem]:
    """Every move one state or handoff makes to a state that is not allowed, and every handoff
    team that does not own its state."""
    return _BY_KIND.get(doc.kind, _none)(doc, index)


def _none(doc: Document, index: Index) -> Iterator[Problem]:
    return iter(())


def _lifecycle(doc: Document, index: Index) -> Iterator[Problem]:
    data = doc.data
    for i, exit in enumerate(data.get("exit_reasons") or ()):
        if exit["goes_to"] in index.ids["lifecycle"] and exit["goes_to"] not in data["next_states"]:
            yield doc.problem(NOT_A_NEXT_STATE, ("exit_reasons", i, "goes_to"), f"'{exit['goes_to']}' is not a next "
                              f"state of '{data['id']}': add it to next_states, or send records for this reason to "
                              "one of those")


def _handoff(doc: Document, index: Index) -> Iterator[Problem]:
    data = doc.data
    source = index.states.get(data["from_state"])
    if source and data["to_state"] in index.ids["lifecycle"] and data["to_state"] not in source["next_states"]:
        allowed = ", ".join(source["next_states"]) or "none"
        yield doc.problem(NOT_A_NEXT_STATE, ("to_state",), f"'{data['to_state']}' is not an allowed next state of "
                          f"'{data['from_state']}' (allowed: {allowed}): add it to next_states in "
                          f"lifecycle/{data['from_state']}.yaml or hand off to one of those")
    for i, rejection in enumerate(data["rejection_reasons"]):
        target = rejection["goes_to"]
        # A rejected record may stay where it is (back to the sender) or take an allowed next step.
        if source and target in index.ids["lifecycle"] and target != data["from_state"] \
                and target not in source["next_states"]:
            yield doc.problem(NOT_A_NEXT_STATE, ("rejection_reasons", i, "goes_to"), f"a rejected record cannot go "
                              f"to '{target}': it is not a next state of '{data['from_state']}'; add it to "
                              f"next_states in lifecycle/{data['from_state']}.yaml or send rejected records to one "
                              "of those")
    for end, team_field in (("from_state", "from_team"), ("to_state", "to_team")):
        state = index.states.get(data[end])
        if state and state["owner"] != data[team_field]:
            yield doc.problem(HANDOFF_WRONG_TEAM, (team_field,), f"'{data[team_field]}' does not own '{data[end]}' "
                              f"(its owner is '{state['owner']}'): {team_field} must be the team that owns {end}")


_BY_KIND: dict[str, Callable[[Document, Index], Iterator[Problem]]] = {"lifecycle": _lifecycle, "handoff": _handoff}


def funnel_state(doc: Document) -> bool:
    """Whether a state's funnel fields (id, order, owner, next states) can be read."""
    data = doc.data
    return isinstance(data.get("id"), str) and isinstance(data.get("order"), int) and \
        isinstance(data.get("owner"), str) and isinstance(data.get("next_states"), list) and \
        all(isinstance(n, str) for n in data["next_states"])


def funnel_handoff(doc: Document) -> bool:
    """Whether a handoff's funnel fields (its two states, its rejections) can be read."""
    data = doc.data
    return all(isinstance(data.get(k), str) for k in ("from_state", "to_state")) and \
        isinstance(data.get("rejection_reasons"), list)


def funnel_lint(states: list[Document], handoffs: list[Document],
                whole: tuple[bool, bool] = (True, True)) -> Iterator[Problem]:
    """The lifecycle as a whole: every state reachable from the first; a state with no way out is
    marked final, and a final state has no way out; every change of owning team between two states
    has a handoff (to that state, or rejecting to it), and that handoff an escalation; reasons go to
    states that accept them (see reasons.py). Every finding at once. A reference to a state
    that is not there is reported by the states' own rules and passed over here; `whole` says
    whether every state and every handoff could be read: if not, what depends on all of them
    (reachability, a handoff for each change of team) is not judged."""
    by_id = {d.data["id"]: d for d in states}
    if not by_id:
        return
    # A next state that is not there is reported by its state; it may be the way to the others.
    if whole[0] and all(n in by_id for d in states for n in d.data["next_states"]):
        yield from _unreached(states, by_id)
    for doc in sorted(states, key=lambda d: d.data["order"]):
        data = doc.data
        if not data["next_states"] and not data.get("final"):
            yield doc.problem(FUNNEL_DEAD_END, ("next_states",), f"'{data['id']}' has no next state, so records "
                              "would stay here for ever: add next states, or set final: true if records end here")
        if data["next_states"] and data.get("final"):
            yield doc.problem(FINAL_WITH_NEXT_STATES, ("final",), f"'{data['id']}' is final but has next states: "
                              "remove them, or remove final")
    yield from _team_changes(states, handoffs, by_id, whole[1])
    yield from reason_problems(states, [h for h in handoffs if h.data["from_state"] in by_id], by_id)


def _unreached(states: list[Document], by_id: dict[str, Document]) -> Iterator[Problem]:
    first = min(states, key=lambda d: (d.data["order"], d.data["id"]))
    reached, todo = {first.data["id"]}, [first.data["id"]]
    while todo:
        for target in by_id[todo.pop()].data["next_states"]:
            if target not in reached and target in by_id:
                reached.add(target)
                todo.append(target)
    for doc in sorted(states, key=lambda d: d.data["order"]):
        data = doc.data
        if data["id"] not in reached:
            yield doc.problem(FUNNEL_UNREACHABLE, ("id",), f"'{data['id']}' cannot be reached from "
                              f"'{first.data['id']}', the first state: list it in the next states of a state that "
                              "leads to it")


def _team_changes(states: list[Document], handoffs: list[Document], by_id: dict[str, Document],
                  every_handoff: bool) -> Iterator[Problem]:
    """Every change of owning team has a handoff, and that handoff an escalation."""
    # A handoff carries a record to its to_state, and, when rejected, to where its reasons send it.
    between: dict[tuple[str, str], Document] = {}
    for h in handoffs:
        between.setdefault((h.data["from_state"], h.data["to_state"]), h)
        for rejection in h.data["rejection_reasons"]:
            if isinstance(rejection, dict) and isinstance(rejection.get("goes_to"), str):
                between.setdefault((h.data["from_state"], rejection["goes_to"]), h)
    for doc in states:
        for i, target in enumerate(doc.data["next_states"]):
            if target not in by_id:
                continue  # reported by the state's own rules
            owner, other = doc.data["owner"], by_id[target].data["owner"]
            if owner == other:
                continue
            handoff = between.get((doc.data["id"], target))
            if handoff is None and not every_handoff:
                continue  # the handoff may be one that could not be read
            if handoff is None:
                yield doc.problem(HANDOFF_MISSING, ("next_states", i), f"moving from '{doc.data['id']}' ({owner}) "
                                  f"to '{target}' ({other}) changes the owning team, but no handoff says how: add a "
                                  f"handoff from {doc.data['id']} to {target}, with a service level and an escalation")
            elif "escalation" not in handoff.data:
                yield handoff.problem(ESCALATION_MISSING, ("service_level",), "this handoff moves a record between "
                                      "the teams, so it needs an escalation: what happens when the service level is "
                                      "missed (escalation: within, unit, notify, action)", key=True)
    yield from reason_problems(states, handoffs, by_id)
