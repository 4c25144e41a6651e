"""The number fields an agreed value can be taken from, and the words the site says them in.

A handoff's service level and escalation read as a time ("1 business hour", "2 business days"),
its follow-up as a cadence ("6 touches over 14 days"); a shared goal's target and baseline as a
number in the goal's unit ("45 days", "25%", "USD 3,000,000"). The site's pages, an agreed value
taken from one of these fields (see values.py) and the check for a number written twice all say
them in these words, so a number reads the same wherever it is shown.

Data here is as loaded, and may not have passed its schema: a field that is not well formed has
no words (None), and the schema says what is wrong with it.
"""

from __future__ import annotations

import math
import re
from typing import Any

# The number fields a value may be taken from, by kind of entry, in the order they are suggested.
FIELDS: dict[str, tuple[str, ...]] = {"handoff": ("service_level", "escalation", "follow_up"),
                                      "metric": ("target", "baseline")}
# What each field is called in a sentence ("the service level of ...").
FIELD_NAMES = {"service_level": "service level", "escalation": "escalation", "follow_up": "follow-up",
               "target": "target", "baseline": "baseline"}
# What each kind is called in a sentence, and the folder its files are in.
KIND_NAMES = {"handoff": "handoff", "metric": "shared goal"}
FOLDERS = {"handoff": "handoffs", "metric": "metrics"}

# Units of time: how to say one and many, and about how many hours one is (to order them).
TIME_UNITS = {"business-hours": ("business hour", "business hours", 1), "hours": ("hour", "hours", 1),
              "business-days": ("business day", "business days", 10), "days": ("day", "days", 24)}

# A quantity, to tell whether two ways of writing a number say the same: ("time", 1.0,
# "business-hours"), ("cadence", 6.0, 14.0), ("percent", 25.0), ("money", "USD", 750000.0).
Quantity = tuple[Any, ...]


def duration(within: int, unit: str, more: bool = False) -> str:
    """'1 business hour', '2 business days'; with `more`, '1 more business hour'. The unit
    follows the number: one of it is singular, any other number plural."""
    words = unit.replace("-", " ")
    one, many, _ = TIME_UNITS.get(unit, (words[:-1] if words.endswith("s") else words, words, 1))
    return f"{within} {'more ' if more else ''}{one if within == 1 else many}"


def cadence(touches: int, days: int) -> str:
    """'6 touches over 14 days', '1 touch over 1 day'."""
    return f"{touches} {'touch' if touches == 1 else 'touches'} over {days} {'day' if days == 1 else 'days'}"


def measure(unit: str, currency: str | None, value: float) -> str:
    """A number in a shared goal's unit: 'USD 3,000,000', '1 hour', '30%'."""
    number = f"{value:,}"  # every digit as written: 44482.76 is not 44,482.8
    if unit == "percent":
        return f"{number}%"
    if unit == "currency":
        return f"{currency} {number}" if currency else number
    if unit in ("days", "hours"):
        return f"{number} {unit[:-1] if value == 1 else unit}"
    return number


def field_text(kind: str, data: Any, field: str) -> str | None:
    """The words for a number field of an entry (its data as loaded), or None when the entry has
    no such field or it is not well formed."""
    found = _read(kind, data, field)
    if found is None:
        return None
    if kind == "handoff" and field == "follow_up":
        return cadence(*found)
    if kind == "handoff":
        return duration(*found)
    unit, currency, value = found
    return measure(unit, currency, value)


def field_quantity(kind: str, data: Any, field: str) -> Quantity | None:
    """The quantity a number field states, or None (a count or ratio is a bare number, which
    means too many things to compare)."""
    found = _read(kind, data, field)
    if found is None:
        return None
    if kind == "handoff" and field == "follow_up":
        return ("cadence", float(found[0]), float(found[1]))
    if kind == "handoff":
        return ("time", float(found[0]), found[1])
    unit, currency, value = found
    if unit in ("days", "hours"):
        return ("time", float(value), unit)
    if unit == "percent":
        return ("percent", float(value))
    if unit == "currency" and currency:
        return ("money", currency, float(value))
    return None


def _read(kind: str, data: Any, field: str) -> tuple[Any, ...] | None:
    """(within, unit), (touches, days) or (unit, currency, value) of a well-formed field."""
    if not isinstance(data, dict) or field not in FIELDS.get(kind, ()):
        return None
    part = data.get(field)
    if not isinstance(part, dict):
        return None
    if kind == "handoff" and field == "follow_up":
        touches, days = part.get("touches"), part.get("days")
        return (touches, days) if _whole(touches) and _whole(days) else None
    if kind == "handoff":
        within, unit = part.get("within"), part.get("unit")
        return (within, unit) if _whole(within) and unit in TIME_UNITS else None
    value, unit, currency = part.get("value"), data.get("unit"), data.get("currency")
    if not _number(value) or not isinstance(unit, str) or not (currency is None or isinstance(currency, str)):
        return None
    return unit, currency, value


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


# Reading a number back out of a value's text ------------------------------------------------------

_N = r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?"  # 6, 14, 3,000,000, 4.5
_TIME = re.compile(rf"(?:within )?{_N} (business )?(hour|day)s?")
_CADENCE = re.compile(rf"{_N} (?:[a-z-]+ )?touch(?:es)? (?:over|in|across|within) {_N} (?:calendar )?days?")
_PERCENT = re.compile(rf"{_N} ?(?:%|percent|per cent)")
_CODE_FIRST = re.compile(rf"([A-Z]{{3}}|[$€£]) ?{_N}")
_CODE_AFTER = re.compile(rf"{_N} ?([A-Z]{{3}}|(?i:us dollars?|dollars?|euros?|pounds?))")
_CURRENCIES = {"$": "USD", "€": "EUR", "£": "GBP", "us dollar": "USD", "dollar": "USD", "euro": "EUR",
               "pound": "GBP"}


def text_quantity(text: str) -> Quantity | None:
    """The quantity a value's text states, when it is a time, a follow-up cadence, a percentage or
    an amount of money and nothing else ("1 business hour", "6 personal touches over 14 days",
    "25 percent", "USD 750,000"); None for anything else."""
    words = " ".join(text.split())
    lower = words.lower()
    if match := _TIME.fullmatch(lower):
        unit = ("business-" if match.group(3) else "") + match.group(4) + "s"
        return ("time", _float(match.group(1), match.group(2)), unit)
    if match := _CADENCE.fullmatch(lower):
        return ("cadence", _float(match.group(1), match.group(2)), _float(match.group(3), match.group(4)))
    if match := _PERCENT.fullmatch(lower):
        return ("percent", _float(match.group(1), match.group(2)))
    if match := _CODE_FIRST.fullmatch(words):
        return ("money", _CURRENCIES.get(match.group(1), match.group(1)), _float(match.group(2), match.group(3)))
    if match := _CODE_AFTER.fullmatch(words):
        code = match.group(3)
        name = code.lower().removesuffix("s")
        return ("money", _CURRENCIES.get(name, code), _float(match.group(1), match.group(2)))
    return None


def _float(whole: str, fraction: str | None) -> float:
    return float(whole.replace(",", "") + (f".{fraction}" if fraction else ""))


# Amounts a computed value works with (see rules/values.py) ----------------------------------------

# An amount: (kind, unit, number), kind "time" (unit: a unit of TIME_UNITS), "money" (unit: the
# currency code), "percent" or "number" (no unit: a bare number or a multiple, "4 times").
Amount = tuple[str, str, float]
_MULTIPLE = re.compile(rf"{_N}(?: times)?")
# The largest number a computation gives: beyond it a float no longer holds every digit.
MAX_AMOUNT = 1e15


def text_amount(text: str) -> Amount | None:
    """The amount a value's text states, for a computation: what text_quantity reads but a
    follow-up cadence, or a bare number or multiple ("4", "4 times", "2.5"). text_quantity itself
    reads no bare number: a bare number means too many things to call a number field written twice."""
    quantity = text_quantity(text)
    if quantity is None:
        match = _MULTIPLE.fullmatch(" ".join(text.split()).lower())
        return ("number", "", _float(match.group(1), match.group(2))) if match else None
    return quantity_amount(quantity)


def quantity_amount(quantity: Quantity) -> Amount | None:
    """A quantity as an amount; None for a follow-up cadence, which no computation reads."""
    if quantity[0] == "time":
        return ("time", quantity[2], quantity[1])
    if quantity[0] == "percent":
        return ("percent", "", quantity[1])
    if quantity[0] == "money":
        return ("money", quantity[1], quantity[2])
    return None


def field_amount(kind: str, data: Any, field: str) -> Amount | None:
    """The amount a number field states: as field_quantity, and a shared goal's count or ratio as
    a number."""
    quantity = field_quantity(kind, data, field)
    if quantity is not None:
        return quantity_amount(quantity)
    found = _read(kind, data, field)
    if kind == "metric" and found is not None and found[0] not in ("days", "hours", "percent", "currency"):
        return ("number", "", float(found[2]))
    return None


def number_words(value: float) -> str:
    """A number as the site writes it: '3,000,000', '4.5' (six decimals at most, so a computation's
    rounding shows no '0.30000000000000004')."""
    value = round(value, 6)
    return f"{int(value):,}" if value.is_integer() else f"{value:,}"


def number_written(value: float) -> str:
    """A number as YAML takes it: '2000000', '4.5'."""
    value = round(value, 6)
    return str(int(value)) if value.is_integer() else repr(value)


def amount_text(amount: Amount) -> str:
    """An amount in the words the site uses for a number field: '3 business hours', '36 hours',
    'USD 3,000,000', '25%', '4'."""
    kind, unit, value = amount
    number = number_words(value)
    if kind == "time":
        one, many, _ = TIME_UNITS.get(unit, (unit, unit, 1))
        return f"{number} {one if value == 1 else many}"
    if kind == "money":
        return f"{unit} {number}"
    if kind == "percent":
        return f"{number}%"
    return number


def amount_kind(amount: Amount) -> str:
    """'a time in business hours', 'an amount in USD', 'a percentage', 'a number'."""
    kind, unit = amount[0], amount[1]
    if kind == "time":
        return f"a time in {unit.replace('-', ' ')}"
    return {"money": f"an amount in {unit}", "percent": "a percentage"}.get(kind, "a number")
