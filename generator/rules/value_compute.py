"""Agreed values computed from other values, and conditions a value's number must meet.

`compute: {multiply: [bookings-target, pipeline-coverage]}`, `{add: [a, b]}` or `{convert:
mql-first-touch, to: hours}`. The operands are other values, whose texts are read as amounts
(numbers.text_amount): a time, an amount of money, a percentage, or a bare number or multiple
("4", "4 times"). A value computed and not taken from a field shows what it computes to, in the
words the site uses for a number field ("USD 3,000,000", "36 hours", "25%", "4"), whatever the
words its operands were written in; a value taken from a field (`from`) and computed shows the
field's number, which must equal the computation (value_declarations.py checks it).

Nothing here recurses: the values are computed in an order where each comes after its operands,
and a cycle is found by walking each value once.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..source.numbers import (
    MAX_AMOUNT,
    TIME_UNITS,
    Amount,
    amount_kind,
    amount_text,
    number_words,
    text_amount,
)
from ..source.paths import Path_, shorten

# The longest text a value may have (the schema says so too).
MAX_VALUE = 200

# The most operands a sum or product may have (the schema says so too).
MAX_OPERANDS = 20
OPERATIONS = ("add", "multiply", "convert")
# A value may also carry conditions on its number: `holds: {at_least: mql-threshold}`.
CONDITIONS = {"at_least": "at least", "below": "below", "equals": "equal to"}
# The conversions between units of time, and the factor: a shared goal counts hours, which for
# speed to lead are business hours, so a service level in business hours converts to as many hours.
CONVERSIONS = {("days", "hours"): 24.0, ("hours", "days"): 1 / 24, ("business-hours", "hours"): 1.0}
_CONVERSIONS_SAID = "days to hours, hours to days, and business hours to hours (the same number)"
_SIGNS = {"add": " + ", "multiply": " × "}


@dataclass(frozen=True)
class Computation:
    """How a value is computed: an operation and its operands (ids of values); `to`, the unit a
    conversion gives."""

    operation: str
    operands: tuple[str, ...]
    to: str | None = None


@dataclass(frozen=True)
class Result:
    """What a computed value comes to: its amount, that amount in the site's words, and how it was
    computed, with each operand's text ("bookings-target (750,000 US dollars) × pipeline-coverage
    (4 times)")."""

    amount: Amount
    text: str
    formula: str


@dataclass(frozen=True)
class Failure:
    """Why a value cannot be computed: where in its item (("compute", "add", 1)), what is wrong,
    and, for an operand no value has, its name (the check adds a suggestion)."""

    id: str
    path: Path_
    message: str
    unknown: str | None = None


@dataclass(frozen=True)
class Evaluation:
    results: dict[str, Result]
    failures: list[Failure]
    amounts: dict[str, Amount]


def computation(item: Any) -> Computation | str | None:
    """How a declared value is computed; None when it is not (or its `compute` is not a set of
    fields, which the schema reports); a text saying what is wrong with a `compute` that names
    no operation, or two."""
    compute = item.get("compute") if isinstance(item, dict) else None
    if not isinstance(compute, dict):
        return None
    named = [name for name in OPERATIONS if name in compute]
    if len(named) != 1:
        return ("name one operation: add (a sum), multiply (a product) or convert (a time in another unit)"
                if not named else f"names {' and '.join(named)}: name one operation, and write the other as a value "
                "of its own")
    operation = named[0]
    if operation == "convert":
        operand, to = compute.get("convert"), compute.get("to")
        if not isinstance(to, str):
            return "a conversion says the unit it converts to: add to: hours (or days)"
        return Computation("convert", (operand,), to) if isinstance(operand, str) else None
    if "to" in compute:
        return f"to is the unit of a conversion: a {'sum' if operation == 'add' else 'product'} keeps its unit"
    operands = compute.get(operation)
    if not isinstance(operands, list) or not all(isinstance(o, str) for o in operands):
        return None
    if len(operands) > MAX_OPERANDS:
        return f"has {len(operands)} operands: at most {MAX_OPERANDS}; compute part of it as a value of its own"
    return Computation(operation, tuple(operands))


def conditions(item: Any) -> list[tuple[str, str]]:
    """The conditions a value carries, as (condition, id of the other value), in the order of
    CONDITIONS."""
    holds = item.get("holds") if isinstance(item, dict) else None
    if not isinstance(holds, dict):
        return []
    return [(name, holds[name]) for name in CONDITIONS if isinstance(holds.get(name), str)]


def evaluate(items: dict[str, tuple[int, dict[str, Any]]], texts: dict[str, str]) -> Evaluation:
    """Every computed value's result, in an order where each comes after the values it is computed
    from (Kahn's order, without recursion, each value and operand visited once), and why each
    other computed value cannot be computed. `texts` holds the texts of the values written out or
    taken from a field. A value computed from one that cannot be computed is left out silently:
    one mistake is told once. Values in a cycle are each told of it."""
    computed: dict[str, Computation] = {}
    failures: list[Failure] = []
    for id, (_, item) in items.items():
        found = computation(item)
        if isinstance(found, str):
            failures.append(Failure(id, ("compute",), found))
        elif found is not None:
            computed[id] = found
    amounts: dict[str, Amount] = {}
    for id, text in texts.items():
        amount = text_amount(text) if len(text) <= MAX_VALUE else None
        if amount is not None:
            amounts[id] = amount
    # Kahn's order: a value is computed once every computed value it names is.
    waiting: dict[str, int] = {}
    needed_by: dict[str, list[str]] = {}
    for id, how in computed.items():
        inputs = {o for o in how.operands if o in computed}
        waiting[id] = len(inputs)
        for operand in inputs:
            needed_by.setdefault(operand, []).append(id)
    ready = [id for id, count in waiting.items() if count == 0]
    results: dict[str, Result] = {}
    broken: set[str] = set()
    done: set[str] = set()
    while ready:
        id = ready.pop()
        done.add(id)
        how = computed[id]
        if any(o in broken for o in how.operands):
            broken.add(id)
        else:
            outcome = _compute(id, items[id][1], how, items, texts, amounts, computed)
            if isinstance(outcome, Result):
                results[id] = outcome
                if id not in texts:  # a value taken from a field is read as the field says
                    amounts[id] = outcome.amount
            else:
                broken.add(id)
                failures.extend(outcome)
        for later in needed_by.get(id, ()):
            waiting[later] -= 1
            if waiting[later] == 0:
                ready.append(later)
    failures.extend(_cycles([id for id in computed if id not in done], computed))
    return Evaluation(results, failures, amounts)


def _compute(id: str, item: dict[str, Any], how: Computation, items: dict[str, Any], texts: dict[str, str],
             amounts: dict[str, Amount], computed: dict[str, Computation]) -> Result | list[Failure]:
    """One value's result, or why it has none."""
    failures: list[Failure] = []
    read: list[tuple[str, Amount]] = []
    for i, operand in enumerate(how.operands):
        where: Path_ = ("compute", how.operation) + ((i,) if how.operation != "convert" else ())
        amount = amounts.get(operand)
        if operand not in items:
            failures.append(Failure(id, where, f"'{shorten(operand)}' is not a named value", unknown=operand))
        elif amount is not None:
            read.append((operand, amount))
        elif operand in computed and operand not in texts:
            return []  # computed, and told already why not
        elif operand in texts:
            failures.append(Failure(id, where, f"'{operand}' is '{shorten(texts[operand])}', which is not a number "
                                    "a computation can read: write it as a number (\"4\", \"4 times\"), a time (\"2 "
                                    "business days\"), a percentage (\"25%\") or an amount of money (\"USD 750,000\")"))
        else:
            return []  # taken from a field that cannot be read: the check of `from` says why
    if failures:
        return failures
    where = ("compute", how.operation)
    if how.operation == "convert":
        return _convert(id, how, read[0], where)
    if how.operation == "multiply":
        quantities = [(o, a) for o, a in read if a[0] != "number"]
        if len(quantities) > 1:
            (a, first), (b, second) = quantities[:2]
            return [Failure(id, where, f"cannot multiply '{a}' ({amount_kind(first)}) by '{b}' "
                                       f"({amount_kind(second)}): multiply a quantity only by numbers, such as "
                                       "\"4 times\"")]
        value = 1.0
        for _, amount in read:
            value *= amount[2]
        kind, unit = quantities[0][1][:2] if quantities else ("number", "")
    else:
        kind, unit = read[0][1][:2]
        other = next(((o, a) for o, a in read if a[:2] != (kind, unit)), None)
        if other is not None:
            return [Failure(id, where, f"cannot add '{other[0]}' ({amount_kind(other[1])}) to '{read[0][0]}' "
                                       f"({amount_kind(read[0][1])}): add amounts of one kind and unit only")]
        value = math.fsum(amount[2] for _, amount in read)
    formula = _SIGNS[how.operation].join(f"{o} ({shorten(texts.get(o) or amount_text(a))})" for o, a in read)
    return _result(id, (kind, unit, value), formula, where)


def _convert(id: str, how: Computation, operand: tuple[str, Amount], where: Path_) -> Result | list[Failure]:
    name, amount = operand
    to = how.to or ""
    if amount[0] != "time":
        return [Failure(id, where, f"'{name}' is {amount_kind(amount)}, not a time: only a time converts to "
                                   f"another unit ({_CONVERSIONS_SAID})")]
    factor = 1.0 if amount[1] == to else CONVERSIONS.get((amount[1], to))
    if factor is None or to not in TIME_UNITS:
        return [Failure(id, (*where[:1], "to"), f"cannot convert '{name}' from {amount[1].replace('-', ' ')} to "
                                                f"{to.replace('-', ' ')}: the conversions are {_CONVERSIONS_SAID}")]
    said = TIME_UNITS[to][1]
    return _result(id, ("time", to, amount[2] * factor), f"{name} ({amount_text(amount)}) in {said}", where)


def _result(id: str, amount: Amount, formula: str, where: Path_) -> Result | list[Failure]:
    if not math.isfinite(amount[2]) or abs(amount[2]) > MAX_AMOUNT:
        return [Failure(id, where, f"comes to more than {number_words(MAX_AMOUNT)}: compute it from smaller numbers")]
    amount = (amount[0], amount[1], round(amount[2], 6))
    return Result(amount, amount_text(amount), formula)


def _cycles(left: list[str], computed: dict[str, Computation]) -> Iterator[Failure]:
    """A failure for each value of each cycle among the values Kahn's order could not reach (each
    of them waits, directly or not, on a cycle). Each value is visited once."""
    remaining = set(left)
    visited: set[str] = set()
    for start in left:
        path: list[str] = []
        at: dict[str, int] = {}
        id: str | None = start
        while id is not None and id not in visited:
            visited.add(id)
            at[id] = len(path)
            path.append(id)
            id = next((o for o in computed[id].operands if o in remaining), None)
        if id is not None and id in at:
            cycle = path[at[id]:]
            for i, member in enumerate(cycle):
                yield Failure(member, ("compute",), f"'{member}' is computed from itself: {_around(cycle, i)}; "
                                                    "compute it from values that are not computed from it")


# The most values of a cycle a message shows.
_CYCLE_SHOWN = 6


def _around(cycle: list[str], i: int) -> str:
    """The cycle from its i-th value back to it: 'a → b → a'; a long one with its middle left out."""
    if len(cycle) < _CYCLE_SHOWN:
        return " → ".join([*cycle[i:], *cycle[:i], cycle[i]])
    after = [cycle[(i + k) % len(cycle)] for k in range(1, _CYCLE_SHOWN - 2)]
    return " → ".join([cycle[i], *after, f"… ({len(cycle) - len(after) - 2} more)", cycle[i - 1], cycle[i]])


def holds(relation: str, value: Amount, other: Amount) -> bool | None:
    """Whether a condition holds between two amounts; None when they cannot be compared (another
    kind or unit)."""
    if value[:2] != other[:2]:
        return None
    if relation == "at_least":
        return value[2] >= other[2] or math.isclose(value[2], other[2])
    if relation == "below":
        return value[2] < other[2] and not math.isclose(value[2], other[2])
    return math.isclose(value[2], other[2])
