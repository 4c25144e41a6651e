"""Field by field, what changed inside one entry: both sides whole, as each revision's site shows
them, lists compared as lists (objects told apart by their reason, name or id), an edited list
item paired by its words. Every comparison costs about the size of what is compared.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..rules.values import expand, names
from .worddiff import Segment, sentences, word_diff

# Fields by which items of a list of objects are told apart (a rejection reason by its reason).
ITEM_KEYS = ("reason", "objection", "term", "name", "id", "value")
# How alike a removed and an added list item must be to count as one item edited.
SIMILAR = 0.6
# A text this short, of one sentence, is shown whole on both sides ('sales' → 'marketing');
# a longer one word by word.
SHORT = 80
BASE, HEAD = 0, 1


@dataclass(frozen=True)
class Shown:
    """The text of each agreed value in the base and in the head, each revision's own, so that a
    text is compared as each revision's site shows it: writing [[discount-ae-max]] where "10 percent"
    was is no change, and a text that names a value whose text changed shows something else, though
    its own words did not change. With no values, texts are compared as written."""

    base: dict[str, str] = field(default_factory=dict)
    head: dict[str, str] = field(default_factory=dict)

    def text(self, text: str, side: int) -> str:
        values = self.head if side == HEAD else self.base
        return expand(text, values) if values else text

    def data(self, data: Any, side: int) -> Any:
        """A value with every text in it as the site of that side shows it."""
        if isinstance(data, str):
            return self.text(data, side)
        if isinstance(data, dict):
            return {k: self.data(v, side) for k, v in data.items()}
        if isinstance(data, list):
            return [self.data(v, side) for v in data]
        return data

    def through(self, old: str, new: str) -> tuple[str, ...]:
        """The agreed values two texts of the same words both name whose text is not the same in
        the two revisions: what changed what the text shows."""
        named = dict.fromkeys([*names(old), *names(new)])
        return tuple(n for n in named if self.base.get(n) != self.head.get(n))


AS_WRITTEN = Shown()


def word_counts(text: str) -> Counter[str]:
    return Counter(text.split())


def similarity(a: Counter[str], b: Counter[str]) -> float:
    """How alike two texts are, from their words (0 to 1): linear in their length, unlike a
    character-by-character match, so two long descriptions cost what reading them costs."""
    total = sum(a.values()) + sum(b.values())
    if not total:
        return 1.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return 2 * sum(min(n, large[word]) for word, n in small.items()) / total


@dataclass(frozen=True)
class FieldChange:
    """One difference inside an entry, with both sides as each revision's site shows them (never
    shortened). `action`: "changed" (old -> new), "set" and "removed" (a field), "added" and
    "dropped" (an item of a list), "edited" (an item of a list, old -> new), "reordered"."""

    path: tuple[Any, ...]
    action: str
    old: Any = None
    new: Any = None
    # The agreed values through which a text whose own words did not change shows something else.
    through: tuple[str, ...] = ()

    @property
    def is_text(self) -> bool:
        """Two texts, one of them too long to read side by side: shown word by word."""
        if self.action != "changed" or not (isinstance(self.old, str) and isinstance(self.new, str)):
            return False
        return any(len(text) > SHORT or len(sentences(text)) > 1 for text in (self.old, self.new))

    def segments(self) -> list[Segment]:
        """A changed text word by word (see worddiff); empty for any other change."""
        return word_diff(self.old, self.new) if self.is_text else []

    @property
    def summary(self) -> str:
        """The change in plain words, whole, and the agreed values it is shown through."""
        if not self.through:
            return self.words
        return self.words + " (shown through the agreed value " + ", ".join(f"'{n}'" for n in self.through) + ")"

    @property
    def words(self) -> str:
        """The change in plain words, whole: "'4 business hours' → '1 business hour'"."""
        if self.action in ("changed", "edited"):
            words = f"{_value(self.old)} → {_value(self.new)}"
            words = words if self.action == "changed" else f"changed {words}"
        elif self.action in ("set", "added"):
            words = f"{'set to' if self.action == 'set' else 'added'} {_value(self.new)}"
        elif self.action == "removed":
            words = f"removed (was {_value(self.old)})"
        elif self.action == "dropped":
            words = f"removed {_value(self.old)}"
        else:
            words = "reordered: " + ", ".join(_value(n) for n in self.new)
        return words


def every_field(data: Any, shown: Shown = AS_WRITTEN) -> Iterator[FieldChange]:
    """An added entry, field by field, each whole as the head's site shows it."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield FieldChange((key,), "set", new=shown.data(value, HEAD))


def _same(a: Any, b: Any, shown: Shown) -> bool:
    """Equal as each side's site shows them: texts whose words are the same are the same."""
    if isinstance(a, str) and isinstance(b, str):
        return shown.text(a, BASE).split() == shown.text(b, HEAD).split()
    return type(a) is type(b) and a == b


def field_changes(old: Any, new: Any, shown: Shown = AS_WRITTEN, path: tuple[Any, ...] = ()) -> Iterator[FieldChange]:
    """Every difference between old (the base's) and new (the head's), lists compared as lists."""
    if isinstance(old, dict) and isinstance(new, dict):
        if {"within", "unit"} <= old.keys() & new.keys() and not (
                _same(old["within"], new["within"], shown) and _same(old["unit"], new["unit"], shown)):
            yield FieldChange(path, "changed", _Amount(_amount(old["within"], old["unit"])),
                              _Amount(_amount(new["within"], new["unit"])))
            old = {k: v for k, v in old.items() if k not in ("within", "unit")}
            new = {k: v for k, v in new.items() if k not in ("within", "unit")}
        for key in [*new, *(k for k in old if k not in new)]:
            if key not in old:
                yield FieldChange((*path, key), "set", new=shown.data(new[key], HEAD))
            elif key not in new:
                yield FieldChange((*path, key), "removed", old=shown.data(old[key], BASE))
            else:
                yield from field_changes(old[key], new[key], shown, (*path, key))
    elif isinstance(old, list) and isinstance(new, list):
        yield from _list_changes(old, new, path, shown)
    elif not _same(old, new, shown):
        through = shown.through(old, new) if isinstance(old, str) and isinstance(new, str) and \
            old.split() == new.split() else ()
        yield FieldChange(path, "changed", shown.data(old, BASE), shown.data(new, HEAD), through)


def _tells_apart(items: list[Any], key: str) -> bool:
    """Whether every item is an object with the text field key, and no two share its value."""
    values = [i.get(key) if isinstance(i, dict) else None for i in items]
    return all(isinstance(v, str) for v in values) and \
        len({" ".join(v.split()) for v in values if isinstance(v, str)}) == len(values)


def _item_key(old: list[Any], new: list[Any]) -> str | None:
    """The field that tells the objects of each list apart, the same in both lists."""
    if not old or not new:
        return None
    return next((key for key in ITEM_KEYS if _tells_apart(old, key) and _tells_apart(new, key)), None)


def _list_changes(old: list[Any], new: list[Any], path: tuple[Any, ...], shown: Shown) -> Iterator[FieldChange]:
    key = _item_key(old, new)
    if key is not None:
        yield from _keyed_changes(old, new, path, key, shown)
        return
    old_keys = [_canonical(i) for i in old]
    new_keys = [_canonical(i) for i in new]
    # Items written alike in both: what one shows may still differ, through an agreed value.
    yield from _kept(old, old_keys, new, new_keys, path, shown)
    added = _unmatched(new, new_keys, old_keys)
    removed = _unmatched(old, old_keys, new_keys)
    # An item written otherwise but shown alike (a value named where its text was) is no change.
    shown_added = [_canonical(i, shown, HEAD) for i in added]
    shown_removed = [_canonical(i, shown, BASE) for i in removed]
    added, removed = _unmatched(added, shown_added, shown_removed), _unmatched(removed, shown_removed, shown_added)
    # An item removed and one added that read alike are one item edited (a few of each at most,
    # so the pairing stays cheap; each comparison is linear in the items' words).
    if len(added) * len(removed) <= 100:
        words = {id(i): word_counts(_canonical(i, shown, side))
                 for side, items in ((BASE, removed), (HEAD, added)) for i in items}
        for before in list(removed):
            match = max(((similarity(words[id(before)], words[id(after)]), i) for i, after in enumerate(added)),
                        default=(0.0, -1))
            if match[0] >= SIMILAR:
                after = added.pop(match[1])
                yield FieldChange(path, "edited", shown.data(before, BASE), shown.data(after, HEAD))
                removed.remove(before)
    for item in added:
        yield FieldChange(path, "added", new=shown.data(item, HEAD))
    for item in removed:
        yield FieldChange(path, "dropped", old=shown.data(item, BASE))
    in_old, in_new = set(old_keys), set(new_keys)
    kept_old = [k for k in old_keys if k in in_new]
    kept_new = [k for k in new_keys if k in in_old]
    if kept_old != kept_new:
        yield FieldChange(path, "reordered", new=[shown.data(i, HEAD) for i, k in zip(new, new_keys, strict=True)
                                                  if k in in_old])


def _kept(old: list[Any], old_keys: list[str], new: list[Any], new_keys: list[str],
          path: tuple[Any, ...], shown: Shown) -> Iterator[FieldChange]:
    """The changes inside items written alike in both lists (paired in order, one pass): none,
    unless an agreed value they name shows otherwise."""
    waiting: dict[str, list[int]] = {}
    for index in range(len(new) - 1, -1, -1):
        waiting.setdefault(new_keys[index], []).append(index)
    for item, key in zip(old, old_keys, strict=True):
        if waiting.get(key):
            index = waiting[key].pop()
            yield from field_changes(item, new[index], shown, (*path, index))


def _keyed_changes(old: list[Any], new: list[Any], path: tuple[Any, ...], key: str,
                   shown: Shown) -> Iterator[FieldChange]:
    """Lists of objects told apart by a field (a rejection reason by its reason): items added,
    removed, changed field by field, and the order of those kept."""
    def ident(item: Any) -> str:
        return " ".join(str(item[key]).split())
    before = {ident(i): i for i in old}
    after = {ident(i): i for i in new}
    # In the order the items are written (a set's order would change from one run to the next).
    for name in [n for n in after if n not in before]:
        yield FieldChange(path, "added", new=shown.data(after[name], HEAD))
    for name in [n for n in before if n not in after]:
        yield FieldChange(path, "dropped", old=shown.data(before[name], BASE))
    for name in [n for n in after if n in before]:
        yield from field_changes(before[name], after[name], shown, (*path, _quoted(name)))
    kept_old = [n for n in before if n in after]
    kept_new = [n for n in after if n in before]
    if kept_old != kept_new:
        yield FieldChange(path, "reordered", new=kept_new)


def _unmatched(items: list[Any], keys: list[str], others: list[str]) -> list[Any]:
    """The items (with their keys) that the other list does not hold, counting repeats: one pass."""
    left = Counter(others)
    found = []
    for item, key in zip(items, keys, strict=True):
        if left[key]:
            left[key] -= 1
        else:
            found.append(item)
    return found


def _canonical(item: Any, shown: Shown = AS_WRITTEN, side: int = BASE) -> str:
    """An item as one string to match on: as written, or as a side shows it."""
    if isinstance(item, str):
        return " ".join(shown.text(item, side).split())
    return json.dumps(shown.data(item, side), sort_keys=True, default=str, ensure_ascii=False)


class _Quoted(str):
    """A list item's name inside a field path."""


class _Amount(str):
    """A service level or escalation as words ("1 business hour"): shown without quotes."""


def _quoted(name: str) -> _Quoted:
    return _Quoted(name)


def _amount(number: Any, unit: Any) -> str:
    """'1 business hour', '2 business hours'."""
    words = str(unit).replace("-", " ")
    return f"{_value(number)} {words[:-1] if number == 1 and words.endswith('s') else words}"


def _value(value: Any) -> str:
    """A value as the summary shows it, whole: text in quotes, objects as their fields."""
    if isinstance(value, _Amount):
        return str(value)
    if isinstance(value, str):
        return f"'{' '.join(value.split())}'"
    if isinstance(value, dict):
        key = next((k for k in ITEM_KEYS if isinstance(value.get(k), str)), None)
        rest = [f"{k.replace('_', ' ')}: {_value(v)}" for k, v in value.items() if k != key]
        main = _value(value[key]) if key else ""
        return main + (f" ({'; '.join(rest)})" if rest and main else "; ".join(rest))
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, bool) or value is None:  # as YAML writes them, as the file says
        return {True: "true", False: "false", None: "null"}[value]
    return str(value)


def field_label(path: tuple[Any, ...]) -> str:
    """('rejection_reasons', 'No budget', 'goes_to') -> "rejection reasons › 'No budget' › goes to"."""
    parts = []
    for part in path:
        if isinstance(part, _Quoted):
            parts.append(f"'{part}'")
        elif isinstance(part, int):
            parts.append(f"item {part + 1}")
        else:
            parts.append(str(part).replace("_", " "))
    return " › ".join(parts)
