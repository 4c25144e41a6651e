"""The agreed reason lists of playbook.yaml (`reasons`): each reason written once, with an id, on
a list that may name the CRM field it is recorded in. Once a playbook declares them, handoffs and
lifecycle states name a reason by its id (`reason: chose-competitor`, `accepts: [chose-competitor]`)
and texts quote one as `[[chose-competitor]]`, as they name an agreed value, so one reason cannot
be written two ways. A playbook without reason lists writes its reasons out, as before.

Data here is as loaded, and may not have passed its schema: what cannot be read is left to the
schema's own messages."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..source.document import Document
from ..source.loader import LoadedPlaybook
from ..source.paths import Path_, shorten
from ..source.problems import ERROR, WARNING, Problem, Rule
from .agreed_reasons import Declared, declared_reasons, has_reason_lists, reason_items
from .phrases import reason_key
from .references import Index
from .values import declared, expand, given_texts, screen_of, texts_of

_LISTS = """\
        reasons:
          - id: rejection
            name: Rejection reasons
            reasons:
              - id: not-ready
                text: Not ready to buy
          - id: loss
            name: Loss reasons
            crm: {object: Opportunity, field: Closed Lost Reason}
            reasons:
              - id: chose-competitor
                text: Chose a competitor"""
# The mini playbook's handoff names its one rejection reason by id, as a playbook with lists does.
_NAMED = """\
    And with these fields in `playbook/handoffs/lead-to-won.yaml`:

        rejection_reasons:
          - reason: not-ready
            goes_to: lead"""

REASON_DECLARED_TWICE = Rule(
    "reason-declared-twice", ERROR, "one agreed reason declared twice, or an id used twice",
    fixed="a reason is named by its id: two reasons with one id, or one reason with two ids, would make the name "
          "mean two things",
    doc=f"""
    Each reason on the agreed lists under `reasons` in `playbook.yaml` has an id of its own,
    different from every other reason's, list's and agreed value's, and a text of its own
    (compared without case and spacing): one reason is declared once.

    Fails, with these fields in `playbook/playbook.yaml`:

{_LISTS}
              - id: lost-to-competitor
                text: Chose a competitor

{_NAMED}

    Passes, with these fields in `playbook/playbook.yaml`:

{_LISTS}
              - id: no-decision
                text: No decision

{_NAMED}
    """)

UNKNOWN_REASON = Rule(
    "unknown-reason", ERROR, "a reason that is not the id of an agreed reason",
    fixed="once a playbook has agreed reason lists, every reason is on them: a reason written out could drift "
          "from the agreed one, and a report of reasons would count two",
    doc=f"""
    In a playbook whose `playbook.yaml` declares reason lists, every `reason` of a handoff's
    rejection reasons and of a state's exit reasons, and every reason a state `accepts`, is the
    id of a reason on those lists. A reason written out is reported, with the id to write when
    its text is an agreed reason's.

    Fails, with these fields in `playbook/handoffs/lead-to-won.yaml`:

        rejection_reasons:
          - reason: Not ready to buy
            goes_to: lead

    And with these fields in `playbook/playbook.yaml`:

{_LISTS}

    Passes, with these fields in `playbook/handoffs/lead-to-won.yaml`:

        rejection_reasons:
          - reason: not-ready
            goes_to: lead

    And with these fields in `playbook/playbook.yaml`:

{_LISTS}
    """)

REASON_TYPED_OUT = Rule(
    "reason-typed-out", WARNING, "an agreed reason quoted in a text instead of named",
    doc=f"""
    A text that quotes an agreed reason word for word, between quotation marks, could name it
    instead: `[[chose-competitor]]` shows the reason's text, linked to its list, and follows it
    when the list changes. Quoted with other words, the two would drift apart. A warning, since
    a quotation may mean something else.

    Fails, with these fields in `playbook/terms/contact.yaml`:

        definition: A deal closed with the reason "Chose a competitor".

    And with these fields in `playbook/playbook.yaml`:

{_LISTS}

{_NAMED}

    Passes, with these fields in `playbook/terms/contact.yaml`:

        definition: A deal closed with the reason [[chose-competitor]].

    And with these fields in `playbook/playbook.yaml`:

{_LISTS}

{_NAMED}
    """)

RULES = (REASON_DECLARED_TWICE, UNKNOWN_REASON, REASON_TYPED_OUT)

# A quotation a reason may be in: straight or curly double quotes, on one line, as long as a reason.
_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d\n]{1,200})[\"\u201d]")


def reason_list_problems(loaded: LoadedPlaybook, documents: list[Document], index: Index) -> Iterator[Problem]:
    """Every reason declared twice, every reason in the lifecycle that is not an agreed reason's id
    (once the playbook has reason lists), and every agreed reason quoted in a text instead of
    named. `documents` are those whose fields can be read."""
    settings = loaded.settings
    if settings is None or not has_reason_lists(settings):
        return
    yield from _declared_twice(settings)
    reasons = declared_reasons(settings)
    # A reason is found as written and with the values it names written out.
    by_text = {reason_key(reason.text): id for id, reason in reasons.items()}
    texts = given_texts(loaded)
    by_text.update({reason_key(expand(reason.text, texts)): id for id, reason in reasons.items()})
    for doc in sorted(documents, key=lambda d: d.display):
        if not isinstance(doc.data, dict):
            continue
        for path, written in _named(doc):
            if written not in reasons:
                yield doc.problem(UNKNOWN_REASON, path, _unknown(written, reasons, by_text, index))
    for doc in [settings, *(doc for doc in documents if doc is not settings)]:
        screen = screen_of(doc)
        if not isinstance(doc.data, dict) or (screen is not None and not screen.quoted):
            continue
        for path, text in texts_of(doc):
            if doc is settings and path[:1] == ("reasons",) and path[-1:] == ("text",):
                continue
            if '"' not in text and "\u201c" not in text:
                continue
            for match in _QUOTED.finditer(text):
                id = by_text.get(reason_key(match.group(1)))
                if id is not None:
                    yield doc.problem(REASON_TYPED_OUT, path, (
                        f"'{shorten(match.group(1))}' is the agreed reason '{id}', quoted here: write [[{id}]] "
                        "instead, so that it shows the agreed text and follows it"))


def _declared_twice(settings: Document) -> Iterator[Problem]:
    """Each list's and reason's id once, and not an agreed value's; each reason's text once."""
    data = settings.data
    ids: dict[str, str] = dict.fromkeys(declared(settings), "agreed value")
    texts: dict[str, str] = {}
    lists = data.get("reasons") if isinstance(data, dict) else None
    for i, group in enumerate(lists if isinstance(lists, list) else ()):
        if isinstance(group, dict) and isinstance(group.get("id"), str):
            if group["id"] in ids:
                yield settings.problem(REASON_DECLARED_TWICE, ("reasons", i, "id"), (
                    f"'{group['id']}' is already the id of {_a(ids[group['id']])}: give this list an id of its own"))
            ids.setdefault(group["id"], "reason list")
    for path, item, _ in reason_items(settings):
        id, text = item.get("id"), item.get("text")
        if not isinstance(id, str):
            continue
        if id in ids:
            yield settings.problem(REASON_DECLARED_TWICE, (*path, "id"), (
                f"'{id}' is already the id of {_a(ids[id])}: give this reason an id of its own"))
        ids.setdefault(id, "reason")
        if isinstance(text, str):
            earlier = texts.setdefault(reason_key(text), id)
            if earlier != id:
                yield settings.problem(REASON_DECLARED_TWICE, (*path, "text"), (
                    f"'{shorten(text)}' is already the agreed reason '{earlier}': name that one wherever this one "
                    "is used, and remove this one"))


def _a(what: str) -> str:
    return f"an {what}" if what[0] in "aeiou" else f"a {what}"


def _named(doc: Document) -> Iterator[tuple[Path_, str]]:
    """(path, reason as written) of every reason a handoff or state names."""
    data = doc.data
    if doc.kind == "handoff":
        items = data.get("rejection_reasons")
        for i, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, dict) and isinstance(item.get("reason"), str):
                yield ("rejection_reasons", i, "reason"), item["reason"]
    elif doc.kind == "lifecycle":
        items = data.get("exit_reasons")
        for i, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, dict) and isinstance(item.get("reason"), str):
                yield ("exit_reasons", i, "reason"), item["reason"]
        accepts = data.get("accepts")
        for i, item in enumerate(accepts if isinstance(accepts, list) else ()):
            if isinstance(item, str):
                yield ("accepts", i), item


def _unknown(written: str, reasons: dict[str, Declared], by_text: dict[str, str], index: Index) -> str:
    id = by_text.get(reason_key(written))
    if id is not None:
        return f"'{shorten(written)}' is the text of the agreed reason '{id}': write its id, {id}"
    return (f"'{shorten(written)}' is not the id of an agreed reason{index.hint(written, reasons)}: use one of the "
            "ids under reasons in playbook.yaml, or agree to add this reason to a list there")
