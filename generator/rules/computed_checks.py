"""The checks of computed agreed values (`compute` and `holds` in playbook.yaml): a value that can
be computed from the values it names; with a `from`, a number field that equals the value computed
for it, so that a goal's target follows the values it is set from; and a condition that holds, so
that an example in a text that names the value still says what the values give (value_compute.py
computes them)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from ..source.document import Document
from ..source.loader import LoadedPlaybook
from ..source.numbers import (
    FIELD_NAMES,
    KIND_NAMES,
    Amount,
    amount_kind,
    amount_text,
    field_amount,
    field_text,
    number_written,
)
from ..source.paths import Path_, shorten
from ..source.problems import ERROR, Problem, Rule
from .references import UNKNOWN_REFERENCE, Index
from .value_compute import CONDITIONS, Evaluation, Result, conditions, evaluate, holds
from .value_declarations import either
from .values import declared, given_texts, sources, strings, taken_from
from .values import names as value_names

_OPERANDS = """\
        values:
          - id: base-rate
            value: 20 percent"""

VALUE_COMPUTE_INVALID = Rule(
    "value-compute-invalid", ERROR, "an agreed value that cannot be computed",
    fixed="the value would have no number to show, or a wrong one",
    doc=f"""
    A value may be computed from other values with `compute`: `{{multiply: [a, b]}}` (a product),
    `{{add: [a, b]}}` (a sum) or `{{convert: a, to: hours}}` (a time in another unit), with at most
    20 operands. Each operand is a value whose text is a number: a bare number or a multiple ("4",
    "4 times"), a time ("2 business days"), a percentage ("25%") or an amount of money ("USD
    750,000", "750,000 US dollars", "$750,000"). A product multiplies one quantity by numbers (an
    amount of money by 4 is an amount of money); a sum adds amounts of one kind and unit; a
    conversion turns days into hours (times 24), hours into days, and business hours into hours
    (the same number: a shared goal's `hours` counts business hours where its definition says so).
    A value computed from itself, through others or not, cannot be computed either.

    Fails, with these fields in `playbook/playbook.yaml`:

{_OPERANDS}
          - id: first-touch
            from: {{kind: handoff, id: lead-to-won, field: service_level}}
          - id: nonsense
            compute: {{add: [base-rate, first-touch]}}

    Passes, with these fields in `playbook/playbook.yaml`:

{_OPERANDS}
          - id: double-rate
            compute: {{add: [base-rate, base-rate]}}
    """)

VALUE_COMPUTED_DIFFERS = Rule(
    "value-computed-differs", ERROR, "a number field that differs from the value computed for it",
    fixed="a number both teams agreed would no longer be what it is said to be computed from",
    doc=f"""
    A value taken from a number field (`from`) may also say how that number is computed
    (`compute`): the pipeline target is the bookings target times the coverage. The field's
    number must then equal the computation; when an operand changes, the message says which
    number to write in the field.

    Fails, with these fields in `playbook/playbook.yaml`:

{_OPERANDS}
          - id: stretch
            value: 1.5 times
          - id: win-rate-target
            from: {{kind: metric, id: win-rate, field: target}}
            compute: {{multiply: [base-rate, stretch]}}

    Passes, with these fields in `playbook/playbook.yaml`:

{_OPERANDS}
          - id: stretch
            value: 1.25 times
          - id: win-rate-target
            from: {{kind: metric, id: win-rate, field: target}}
            compute: {{multiply: [base-rate, stretch]}}
    """)

_SCORES = '''\
        values:
          - id: threshold
            value: "60"
          - id: fit
            value: "30"'''

VALUE_CONDITION_FAILS = Rule(
    "value-condition-fails", ERROR, "an agreed value whose condition does not hold",
    fixed="a text built on the value, such as a worked example, would say what is no longer true",
    doc=f"""
    A value may carry conditions its number must meet, each naming another value: `holds:
    {{at_least: mql-threshold}}`, `below`, `equals`. A worked example in a text (a lead that
    becomes an MQL) names values computed from the rules it shows, with the condition that makes
    it true: when a rule changes and the example no longer holds, the message names the values,
    their numbers, and the texts that name the value, so that the example is rewritten.

    Fails, with these fields in `playbook/playbook.yaml`:

{_SCORES}
          - id: engagement
            value: "20"
          - id: example-score
            compute: {{add: [fit, engagement]}}
            holds: {{at_least: threshold}}

    Passes, with these fields in `playbook/playbook.yaml`:

{_SCORES}
          - id: engagement
            value: "30"
          - id: example-score
            compute: {{add: [fit, engagement]}}
            holds: {{at_least: threshold}}
    """)

RULES = (VALUE_COMPUTE_INVALID, VALUE_COMPUTED_DIFFERS, VALUE_CONDITION_FAILS)



def computed_problems(loaded: LoadedPlaybook, index: Index) -> Iterator[Problem]:
    """Every value that cannot be computed, every number field that differs from the value computed
    for it, and every condition that does not hold, in the order of the values."""
    settings = loaded.settings
    items = declared(settings)
    if settings is None or not any("compute" in item or "holds" in item for _, item in items.values()):
        return
    given = given_texts(loaded)
    evaluation = evaluate(items, given)
    texts = {**{id: result.text for id, result in evaluation.results.items()}, **given}
    failures = sorted(evaluation.failures, key=lambda f: items[f.id][0])
    for failure in failures:
        path = ("values", items[failure.id][0], *failure.path)
        if failure.unknown is not None:
            hint = index.hint(failure.unknown, items)
            yield settings.problem(UNKNOWN_REFERENCE, path, failure.message + (
                hint or ": declare it under values, or compute from values that are declared"))
        else:
            yield settings.problem(VALUE_COMPUTE_INVALID, path, failure.message)
    entries = sources(loaded)
    for id, (_, item) in items.items():
        source, result = taken_from(item), evaluation.results.get(id)
        if source is not None and result is not None:
            yield from _differs(id, source, result, entries)
    named: dict[str, list[str]] | None = None
    for id, (i, item) in items.items():
        for relation, other in conditions(item):
            path = ("values", i, "holds", relation)
            message = _condition(id, relation, other, texts, evaluation, items)
            if message is None:
                continue
            if message.startswith("unknown:"):
                hint = index.hint(other, items)
                yield settings.problem(UNKNOWN_REFERENCE, path, f"'{shorten(other)}' is not a named value" + (
                    hint or ": name a declared value to compare this one with"))
                continue
            if named is None:
                named = _named_in(loaded, {id for id, (_, item) in items.items() if conditions(item)})
            places = named.get(id, [])
            where = (f"; the text that names it, in {either(places[:5], 'and')}, says otherwise: change it, or the "
                     "values" if places else "; no text names it yet")
            yield settings.problem(VALUE_CONDITION_FAILS, path, message + where)


def _differs(id: str, source: tuple[str, str, str], result: Result,
             entries: dict[str, dict[str, Document]]) -> Iterator[Problem]:
    """An error on a number field whose number is not what its value is computed as."""
    kind, entry, field = source
    doc = entries.get(kind, {}).get(entry)
    if doc is None or not isinstance(doc.data, dict):
        return
    found = field_amount(kind, doc.data, field)
    shown = field_text(kind, doc.data, field)
    if found is None or shown is None or _same(found, result.amount):
        return
    number = number_written(result.amount[2])
    kind_, unit, _ = result.amount
    if kind == "handoff":
        place: Path_ = (field, "within")
        whole = result.amount[2] >= 1 and float(number).is_integer()
        if kind_ != "time" or not whole:
            fix = (f"a {FIELD_NAMES[field]} is a whole number of a unit of time, and {result.text} is not: change "
                   "the computation")
        else:
            fix = f"set {field}.within to {number}" + (f" and {field}.unit to {unit}" if doc.data[field].get("unit")
                                                       != unit else "") + ", or change the computation"
    else:
        place = (field, "value")
        goal = {"time": unit, "money": "currency", "percent": "percent"}.get(kind_)
        if goal not in (None, "days", "hours", "currency", "percent"):
            fix = f"a shared goal counts hours or days, not {unit.replace('-', ' ')}: convert the computation's result"
        else:
            changes = [f"{field}.value to {number}"]
            if goal is not None and doc.data.get("unit") != goal:
                changes.append(f"unit to {goal}")
            if kind_ == "money" and doc.data.get("currency") != unit:
                changes.append(f"currency to {unit}")
            if goal is None and doc.data.get("unit") in ("days", "hours", "percent", "currency"):
                changes.append("unit to count")
            fix = f"set {either(changes, 'and')}, or change the computation"
    yield doc.problem(VALUE_COMPUTED_DIFFERS, place, f"the {FIELD_NAMES[field]} of {KIND_NAMES[kind]} {entry} is "
                      f"{shown}, but {id} is computed as {result.formula} = {result.text}: {fix}")


def _same(first: Amount, second: Amount) -> bool:
    return first[:2] == second[:2] and math.isclose(first[2], second[2], rel_tol=1e-9, abs_tol=1e-9)


def _condition(id: str, relation: str, other: str, texts: dict[str, str], evaluation: Evaluation,
               items: dict[str, tuple[int, dict[str, Any]]]) -> str | None:
    """What is wrong with one condition of a value: None when it holds (or cannot be judged for a
    reason told elsewhere); 'unknown:' for another value that is not declared."""
    if other not in items:
        return "unknown:"
    value, compared = evaluation.amounts.get(id), evaluation.amounts.get(other)
    for name, amount in ((id, value), (other, compared)):
        if amount is None:
            if name not in texts:
                return None  # cannot be computed or read: told already
            return (f"'{name}' is '{shorten(texts[name])}', which is not a number a condition can compare: write it "
                    "as a number, a time, a percentage or an amount of money")
    assert value is not None and compared is not None
    verdict = holds(relation, value, compared)
    if verdict is None:
        return (f"{id} is {amount_kind(value)} and {other} {amount_kind(compared)}: a condition compares values of "
                "one kind and unit")
    if verdict:
        return None
    result = evaluation.results.get(id)
    how = f" ({result.formula})" if result is not None else ""
    return (f"{id} is {amount_text(value)}{how}, but it must be {CONDITIONS[relation]} {other}, which is "
            f"{amount_text(compared)}")


def _named_in(loaded: LoadedPlaybook, ids: set[str]) -> dict[str, list[str]]:
    """For each of these values, the texts that name it: 'terms/lead-score.yaml (example)'."""
    found: dict[str, dict[str, None]] = {}
    documents = [loaded.settings] if loaded.settings is not None else []
    documents += [doc for docs in loaded.documents.values() for doc in docs]
    for doc in documents:
        if not isinstance(doc.data, dict):
            continue
        for path, text in strings(doc.data):
            for name in value_names(text):
                if name in ids:
                    field = ".".join(str(p) for p in path[:1] if doc is not loaded.settings or p != "values")
                    found.setdefault(name, {})[f"{doc.display} ({field or 'values'})"] = None
    return {name: list(places) for name, places in found.items()}
