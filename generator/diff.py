"""What a change to the playbook means, in the playbook's words: entries added, removed and
renamed, field by field what changed, lists compared as lists, what each changed entry touches,
and whether every changed agreed definition was agreed again by both teams.

Two playbooks are compared as data, so comments, line wrapping and spacing inside a text change
nothing. Text in the output comes from YAML anyone can edit: in Markdown every punctuation
character is backslash-escaped, so no value makes a link, an image, a mention or HTML.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from .errors import printable
from .loader import Document, LoadedPlaybook
from .schemas import schemas_dir
from .values import expand, taken_from, uses, value_texts
from .yamltree import shorten

KIND_NAMES = {"playbook": ("Playbook settings", "playbook settings"), "value": ("Agreed value", "agreed values"),
              "stage": ("Stage", "stages"),
              "lifecycle": ("Lifecycle state", "lifecycle states"), "handoff": ("Handoff", "handoffs"),
              "term": ("Term", "terms"), "persona": ("Persona", "personas"), "asset": ("Asset", "assets"),
              "metric": ("Shared goal", "shared goals")}
KIND_ORDER = tuple(KIND_NAMES)
# Fields by which items of a list of objects are told apart (a rejection reason by its reason).
ITEM_KEYS = ("reason", "objection", "term", "name", "id", "value")
# Who refers to an entry of a kind by its id: (kind, field path with [] for list items).
REFERENCES = {
    "lifecycle": (("handoff", "from_state"), ("handoff", "to_state"), ("handoff", "rejection_reasons[].goes_to"),
                  ("stage", "lifecycle_states[]"), ("term", "lifecycle_state"), ("lifecycle", "next_states[]")),
    "stage": (("asset", "stages[]"), ("persona", "stages[]")),
    "persona": (("asset", "personas[]"),),
    "term": (("term", "related[]"),),
}
# How many entries an agreed value's impact lists, and any other change's, for each kind.
VALUE_IMPACT_SHOWN = 100
IMPACT_SHOWN = 8
# Pairs of removed and added entries compared for renames, at most: beyond it, only entries
# whose content is identical count as renamed, so the cost stays linear.
RENAME_PAIRS = 10_000
RENAME_SIMILARITY = 0.6


@cache
def agreed_kinds() -> frozenset[str]:
    """Kinds whose schema requires `agreed_by`: a change to one must be agreed again by both teams."""
    found = set()
    for path in schemas_dir().glob("*.schema.json"):
        if "agreed_by" in json.loads(path.read_text(encoding="utf-8")).get("required", ()):
            found.add(path.name.removesuffix(".schema.json"))
    return frozenset(found)


@dataclass(frozen=True)
class Entry:
    kind: str
    id: str
    data: dict[str, Any]
    doc: Document

    @property
    def label(self) -> str:
        name = self.data.get("name", self.data.get("title", self.data.get("site_name", self.id)))
        abbreviation = self.data.get("abbreviation")
        return f"{name} ({abbreviation})" if isinstance(abbreviation, str) else str(name)


@dataclass
class Change:
    kind: str
    status: str  # "added", "removed", "renamed" or "changed"
    old: Entry | None
    new: Entry | None
    fields: list[tuple[tuple[Any, ...], str]] = field(default_factory=list)  # (path, what changed)
    impact: dict[str, list[str]] = field(default_factory=dict)  # kind -> labels of entries it touches
    # For an agreed value: the agreed definitions whose texts show it, so changed with it.
    shown_in: list[Entry] = field(default_factory=list)

    @property
    def entry(self) -> Entry:
        entry = self.new or self.old
        assert entry is not None
        return entry

    @property
    def agreed(self) -> bool:
        return self.kind in agreed_kinds()

    @property
    def shows_otherwise(self) -> bool:
        """An agreed value whose texts now show something else: its text changed (written, or
        taken from a number that changed), or it was renamed or removed. A description, or
        taking the same text from a number field, changes nothing the texts show."""
        if self.kind != "value" or self.status == "added":
            return False
        return self.status != "changed" or any(path[:1] == ("value",) for path, _ in self.fields)

    @property
    def needs_signoff(self) -> bool:
        """An agreed definition added, renamed, or changed in more than its agreed_by."""
        if not self.agreed or self.status == "removed":
            return False
        return self.status != "changed" or any(path[:1] != ("agreed_by",) for path, _ in self.fields)


def entries(loaded: LoadedPlaybook) -> dict[tuple[str, str], Entry]:
    """Every entry that was read as an object, by (kind, id); playbook.yaml is ("playbook", "playbook"),
    and each agreed value it declares ("value", its id), apart: a changed value is one change. A
    value taken from a number field holds that field's words as its `value`, so that a changed
    number is a changed value."""
    found: dict[tuple[str, str], Entry] = {}
    if loaded.settings is not None and isinstance(loaded.settings.data, dict):
        settings = loaded.settings.data
        values = settings.get("values")
        if isinstance(values, list):
            settings = {k: v for k, v in settings.items() if k != "values"}
            texts = value_texts(loaded) if any(taken_from(item) for item in values) else {}
            for item in values:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    if "value" not in item and item["id"] in texts:
                        item = {**item, "value": texts[item["id"]]}
                    found.setdefault(("value", item["id"]), Entry("value", item["id"], item, loaded.settings))
        found[("playbook", "playbook")] = Entry("playbook", "playbook", settings, loaded.settings)
    for kind, docs in loaded.documents.items():
        for doc in docs:
            if isinstance(doc.data, dict):
                value = doc.data.get("id")
                id = value if isinstance(value, str) else doc.stem
                found.setdefault((kind, id), Entry(kind, id, doc.data, doc))
    return found


# While two playbooks are compared: the text of each agreed value (head's, else base's), so that a
# text is compared as the site shows it: writing [[discount-ae-max]] where "10 percent" was is no
# change, and a changed value is one change, not one in every text that names it.
_SHOWN: ContextVar[dict[str, str] | None] = ContextVar("shown", default=None)


def _shown(text: str) -> str:
    values = _SHOWN.get()
    return expand(text, values) if values else text


def compare(base: LoadedPlaybook, head: LoadedPlaybook) -> list[Change]:
    """Every change from base to head, in kind order, then by label; texts compared as shown, with
    the agreed values they name written out."""
    reset = _SHOWN.set({**value_texts(base), **value_texts(head)})
    try:
        return _compare(base, head)
    finally:
        _SHOWN.reset(reset)


def _compare(base: LoadedPlaybook, head: LoadedPlaybook) -> list[Change]:
    old, new = entries(base), entries(head)
    changes: list[Change] = []
    for key in old.keys() & new.keys():
        fields = list(field_changes(old[key].data, new[key].data))
        if fields:
            changes.append(Change(key[0], "changed", old[key], new[key], fields))
    for kind in KIND_ORDER:
        removed = [old[k] for k in old.keys() - new.keys() if k[0] == kind]
        added = [new[k] for k in new.keys() - old.keys() if k[0] == kind]
        for was, now in _renames(removed, added):
            fields = [(p, t) for p, t in field_changes(was.data, now.data) if p != ("id",)]
            changes.append(Change(kind, "renamed", was, now, fields))
            removed.remove(was)
            added.remove(now)
        changes.extend(Change(kind, "removed", e, None) for e in removed)
        changes.extend(Change(kind, "added", None, e) for e in added)
    changes.sort(key=lambda c: (KIND_ORDER.index(c.kind), c.entry.label.casefold(), c.entry.id))
    named = _value_uses(new) if any(c.kind == "value" for c in changes) else {}
    for change in changes:
        if change.kind == "value":
            change.impact = _value_impact(change, named, new)
        elif change.status != "added":
            change.impact = impact(change, new)
    return changes


def _value_uses(head: dict[tuple[str, str], Entry]) -> dict[str, dict[tuple[str, str], list[str]]]:
    """For each agreed value, the entries of head whose texts name it: (kind, id) -> fields, in the
    order of head. One pass over the playbook's texts, whatever the number of changed values."""
    found: dict[str, dict[tuple[str, str], list[str]]] = {}
    places = uses((kind, id, {k: v for k, v in entry.data.items() if k != "id"}) for (kind, id), entry in head.items())
    for name, found_uses in places.items():
        for use in found_uses:
            found.setdefault(name, {}).setdefault((use.kind, use.id), []).append(field_label((use.field,)))
    return found


def _value_impact(change: Change, named: dict[str, dict[tuple[str, str], list[str]]],
                  head: dict[tuple[str, str], Entry]) -> dict[str, list[str]]:
    """Every entry whose text names the value (by its old or new id), with the fields that do:
    what shows the value, so what a change to it changes. Agreed definitions among them are kept
    on the change (`shown_in`) for the sign-off check."""
    touched: dict[tuple[str, str], list[str]] = {}
    for entry in (change.old, change.new):
        if entry is not None:
            for key, fields in named.get(entry.id, {}).items():
                touched.setdefault(key, []).extend(fields)
    change.shown_in = [head[key] for key in touched if key[0] in agreed_kinds()]
    by_kind: dict[str, list[tuple[str, list[str]]]] = {}
    for key, fields in touched.items():
        by_kind.setdefault(key[0], []).append((head[key].label, fields))
    return {kind: [f"{label} ({', '.join(dict.fromkeys(fields))})"
                   for label, fields in sorted(by_kind[kind], key=lambda item: item[0].casefold())]
            for kind in KIND_ORDER if kind in by_kind}


def _without_id(data: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in data.items() if k != "id"}, sort_keys=True, default=str, ensure_ascii=False)


def _renames(removed: list[Entry], added: list[Entry]) -> Iterator[tuple[Entry, Entry]]:
    """Pairs (removed, added) that are one entry whose id changed: identical apart from the id,
    or, for few enough pairs, similar enough."""
    if not removed or not added:
        return
    exact = {_without_id(e.data): e for e in added}
    paired: set[int] = set()
    for was in removed:
        now = exact.get(_without_id(was.data))
        if now is not None and id(now) not in paired:
            paired.add(id(now))
            yield was, now
    if len(removed) * len(added) > RENAME_PAIRS:
        return
    scored = []
    for was in removed:
        for now in added:
            matcher = difflib.SequenceMatcher(None, _without_id(was.data), _without_id(now.data), autojunk=False)
            if matcher.quick_ratio() >= RENAME_SIMILARITY and matcher.ratio() >= RENAME_SIMILARITY:
                scored.append((matcher.ratio(), was, now))
    used_old: set[int] = set()
    for _, was, now in sorted(scored, key=lambda s: -s[0]):
        if id(was) not in used_old and id(now) not in paired:
            used_old.add(id(was))
            paired.add(id(now))
            yield was, now


# Field by field ---------------------------------------------------------------------------------

def _same(a: Any, b: Any) -> bool:
    """Equal as the site shows them: texts whose words are the same are the same."""
    if isinstance(a, str) and isinstance(b, str):
        return _shown(a).split() == _shown(b).split()
    return type(a) is type(b) and a == b


def field_changes(old: Any, new: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """(path, what changed) for every difference between old and new, lists compared as lists."""
    if isinstance(old, dict) and isinstance(new, dict):
        if {"within", "unit"} <= old.keys() & new.keys() and not (
                _same(old["within"], new["within"]) and _same(old["unit"], new["unit"])):
            yield path, f"{_amount(old['within'], old['unit'])} → {_amount(new['within'], new['unit'])}"
            old = {k: v for k, v in old.items() if k not in ("within", "unit")}
            new = {k: v for k, v in new.items() if k not in ("within", "unit")}
        for key in [*new, *(k for k in old if k not in new)]:
            if key not in old:
                yield (*path, key), f"set to {_value(new[key])}"
            elif key not in new:
                yield (*path, key), f"removed (was {_value(old[key])})"
            else:
                yield from field_changes(old[key], new[key], (*path, key))
    elif isinstance(old, list) and isinstance(new, list):
        yield from _list_changes(old, new, path)
    elif not _same(old, new):
        yield path, f"{_value(old)} → {_value(new)}"


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


def _list_changes(old: list[Any], new: list[Any], path: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], str]]:
    key = _item_key(old, new)
    if key is not None:
        def ident(item: Any) -> str:
            return " ".join(str(item[key]).split())
        before = {ident(i): i for i in old}
        after = {ident(i): i for i in new}
        for name in after.keys() - before.keys():
            yield path, f"added {_value(after[name])}"
        for name in before.keys() - after.keys():
            yield path, f"removed {_value(before[name])}"
        for name in [n for n in after if n in before]:
            yield from field_changes(before[name], after[name], (*path, _quoted(name)))
        kept_old = [n for n in before if n in after]
        kept_new = [n for n in after if n in before]
        if kept_old != kept_new:
            yield path, "reordered: " + ", ".join(_value(n) for n in kept_new)
        return
    old_keys = [_canonical(i) for i in old]
    new_keys = [_canonical(i) for i in new]
    added = _unmatched(new, new_keys, old_keys)
    removed = _unmatched(old, old_keys, new_keys)
    # An item removed and one added that read alike are one item edited (a few of each at most,
    # so the pairing stays cheap).
    if len(added) * len(removed) <= 100:
        for before in list(removed):
            match = max(((difflib.SequenceMatcher(None, _canonical(before), _canonical(after)).ratio(), i)
                         for i, after in enumerate(added)), default=(0.0, -1))
            if match[0] >= RENAME_SIMILARITY:
                yield path, f"changed {_value(before)} → {_value(added.pop(match[1]))}"
                removed.remove(before)
    for item in added:
        yield path, f"added {_value(item)}"
    for item in removed:
        yield path, f"removed {_value(item)}"
    in_old, in_new = set(old_keys), set(new_keys)
    kept_old = [k for k in old_keys if k in in_new]
    kept_new = [k for k in new_keys if k in in_old]
    if kept_old != kept_new:
        yield path, "reordered: " + ", ".join(_value(i) for i, k in zip(new, new_keys, strict=True) if k in in_old)


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


def _canonical(item: Any) -> str:
    if isinstance(item, str):
        return " ".join(_shown(item).split())
    return _shown(json.dumps(item, sort_keys=True, default=str, ensure_ascii=False))


class _Quoted(str):
    """A list item's name inside a field path."""


def _quoted(name: str) -> _Quoted:
    return _Quoted(name)


def _amount(number: Any, unit: Any) -> str:
    """'1 business hour', '2 business hours'."""
    words = str(unit).replace("-", " ")
    return f"{_value(number)} {words[:-1] if number == 1 and words.endswith('s') else words}"


def _value(value: Any) -> str:
    """A value as the summary shows it: text in quotes, shortened; objects as their main text."""
    if isinstance(value, str):
        return f"'{shorten(' '.join(value.split()))}'"
    if isinstance(value, dict):
        key = next((k for k in ITEM_KEYS if isinstance(value.get(k), str)), None)
        return _value(value[key]) if key else shorten(json.dumps(value, ensure_ascii=False, default=str))
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return shorten(str(value))


def field_label(path: tuple[Any, ...]) -> str:
    """('rejection_reasons', 'No budget', 'goes_to') -> "rejection reasons › 'No budget' › goes to"."""
    parts = []
    for part in path:
        if isinstance(part, _Quoted):
            parts.append(f"'{shorten(part)}'")
        elif isinstance(part, int):
            parts.append(f"item {part + 1}")
        else:
            parts.append(str(part).replace("_", " "))
    return " › ".join(parts)


# Impact -----------------------------------------------------------------------------------------

def _values_at(data: Any, path: str) -> Iterator[Any]:
    """The values at a field path such as 'rejection_reasons[].goes_to'."""
    current = [data]
    for part in path.split("."):
        many = part.endswith("[]")
        name = part.removesuffix("[]")
        following = []
        for item in current:
            value = item.get(name) if isinstance(item, dict) else None
            if many and isinstance(value, list):
                following.extend(value)
            elif value is not None and not many:
                following.append(value)
        current = following
    yield from current


def _texts(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            if key != "id":
                yield from _texts(value)
    elif isinstance(data, list):
        for value in data:
            yield from _texts(value)


def _names(entry: Entry) -> re.Pattern[str] | None:
    """What the entry is called in running text: its name (any case) and its abbreviation and
    aliases (as written), as whole words."""
    words = []
    name = entry.data.get("name")
    if isinstance(name, str) and name.strip() and entry.kind in ("lifecycle", "term", "handoff", "metric"):
        words.append(f"(?i:{re.escape(' '.join(name.split()))})")
    for key in ("abbreviation",):
        value = entry.data.get(key)
        if isinstance(value, str) and value.strip():
            words.append(re.escape(value.strip()))
    for alias in entry.data.get("aliases") or ():
        if isinstance(alias, str) and alias.strip():
            words.append(f"(?i:{re.escape(' '.join(alias.split()))})")
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(words) + r")(?!\w)")


def impact(change: Change, head: dict[tuple[str, str], Entry]) -> dict[str, list[str]]:
    """The entries of head that refer to the changed entry by its id, or use its name,
    abbreviation or aliases in their text: kind -> labels."""
    touched: dict[str, dict[str, str]] = {}
    ids = {e.id for e in (change.old, change.new) if e is not None}
    for kind, path in REFERENCES.get(change.kind, ()):
        for (other_kind, other_id), other in head.items():
            if other_kind == kind and (other_kind, other_id) != (change.kind, change.entry.id) \
                    and any(v in ids for v in _values_at(other.data, path)):
                touched.setdefault(kind, {})[other_id] = other.label
    pattern = _names(change.entry)
    if pattern is not None:
        for (kind, other_id), other in head.items():
            if (kind, other_id) != (change.kind, change.entry.id) and kind != "playbook" \
                    and any(pattern.search(text) for text in _texts(other.data)):
                touched.setdefault(kind, {})[other_id] = other.label
    return {kind: sorted(found.values(), key=str.casefold) for kind in KIND_ORDER
            if (found := touched.get(kind))}


# Markdown ---------------------------------------------------------------------------------------

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def md(text: str) -> str:
    """Untrusted text as inert Markdown on one line: every ASCII punctuation mark escaped."""
    return _PUNCTUATION.sub(r"\\\1", printable(" ".join(text.split())))


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def headline(changes: list[Change]) -> str:
    counts = {status: sum(c.status == status for c in changes) for status in ("changed", "added", "removed", "renamed")}
    parts = [f"{n} {status}" for status, n in counts.items() if n]
    agreed = sum(c.agreed for c in changes)
    text = f"{_count(len(changes), 'entry', 'entries')} changed in the playbook: " + ", ".join(parts)
    if agreed:
        text += f"; {_count(agreed, 'agreed definition', 'agreed definitions')} among them"
    return text


def markdown(changes: list[Change], show_file: bool = True) -> str:
    """A pull-request comment: the headline, then one section per entry with its field changes
    and its impact. Empty when nothing changed."""
    if not changes:
        return ""
    lines = [f"## {headline(changes)}", ""]
    if any(c.agreed and c.status != "removed" for c in changes):
        lines += ["Agreed definitions changed here need a renewed `agreed_by`: a name from sales, a name "
                  "from marketing and the date both agreed.", ""]
    for change in changes:
        kind = KIND_NAMES[change.kind][0]
        entry = change.entry
        title = f"{kind}: {md(entry.label)}"
        if change.status == "renamed":
            assert change.old is not None
            title += f" (renamed from {md(change.old.id)} to {md(entry.id)})"
        elif change.status != "changed":
            title += f" ({change.status})"
        if change.agreed:
            title += " · **agreed definition**"
        lines.append(f"### {title}")
        lines.append("")
        if show_file:
            lines.append(f"`{entry.doc.display}`" if "`" not in entry.doc.display else md(entry.doc.display))
            lines.append("")
        prefix = md(entry.label)
        fields = change.fields
        if change.kind == "value":  # "Agreed values › discount-ae-max: '10 percent' → '12 percent'"
            prefix = f"{md(KIND_NAMES['value'][1].capitalize())} › {prefix}"
            fields = [(p[1:] if p[:1] == ("value",) else p, what) for p, what in fields]
        for path, what in fields:
            where = f"{prefix} › {md(field_label(path))}" if path else prefix
            lines.append(f"- {where}: {md(what)}")
        if change.fields:
            lines.append("")
        if change.impact:
            total = sum(len(v) for v in change.impact.values())
            summary = ", ".join(_count(len(v), KIND_NAMES[k][1].rstrip("s") if len(v) == 1 else KIND_NAMES[k][1],
                                       KIND_NAMES[k][1]) for k, v in change.impact.items())
            if change.kind == "value":
                lines.append(f"**Impact**: the texts of {summary} ({total} in all) name this value, and show it:")
            else:
                lines.append(f"**Impact**: this change touches {summary} ({total} in all):")
            lines.append("")
            limit = VALUE_IMPACT_SHOWN if change.kind == "value" else IMPACT_SHOWN
            for kind, labels in change.impact.items():
                shown = ", ".join(md(label) for label in labels[:limit])
                more = f", and {len(labels) - limit} more" if len(labels) > limit else ""
                lines.append(f"- {KIND_NAMES[kind][1].capitalize()}: {shown}{more}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# Sign-off ---------------------------------------------------------------------------------------

def signoff_problems(changes: list[Change], dates: dict[str, date], today: date) -> list[str]:
    """One line for each agreed definition added or changed without a renewed two-team agreement.

    `dates` gives, by the file's display path, the day of its change; a file not in it changed today.
    """
    lines = []
    for change in changes:
        if not change.needs_signoff:
            continue
        entry = change.entry
        agreed = _agreement(entry)
        line, column = entry.doc.where(("agreed_by",), key=True)
        where = f"{entry.doc.display}:{line}:{column}: "
        changed_on = dates.get(entry.doc.display, today)
        what = "added" if change.status == "added" else "changed (" + ", ".join(
            dict.fromkeys(field_label(p[:1]) or "definition" for p, _ in change.fields if p[:1] != ("agreed_by",))
        ) + ")"
        missing = [team for team in ("sales", "marketing")
                   if not (isinstance(agreed.get(team), str) and agreed[team].strip())]
        signed = _date(agreed.get("date"))
        before = _date(_agreement(change.old).get("date")) if change.old is not None else None
        label = f"{KIND_NAMES[change.kind][0]} '{shorten(entry.label)}'"
        if missing:
            lines.append(where + f"agreed_by: {label} was {what} without a name from " + " and ".join(missing)
                         + ": both teams agree, then write their names and the date")
        elif signed is None or signed < changed_on or (before is not None and signed <= before):
            if signed is not None and signed >= changed_on:  # the same date as before: not agreed again
                lines.append(where + f"agreed_by: {label} was {what} on {changed_on}, and agreed_by still holds "
                             f"the earlier agreement of {signed}: both teams agree again, then set agreed_by to "
                             f"their names and a date later than {signed}")
            else:
                last = f"last agreed on {signed}" if signed else "agreed on no valid date"
                lines.append(where + f"agreed_by: {label} was {what} on {changed_on} but {last}: both teams "
                             f"agree again, then set agreed_by to their names and a date on or after {changed_on}")
    lines.extend(_value_signoff(changes, dates, today))
    return [printable(line) for line in lines]


def _value_signoff(changes: list[Change], dates: dict[str, date], today: date) -> Iterator[str]:
    """An agreed definition whose text shows an agreed value that now reads otherwise was changed
    too: both teams agree to it again, unless the change to it is already checked above."""
    own = {(c.kind, c.entry.id): c for c in changes}
    seen: set[tuple[str, str]] = set()
    for change in changes:
        if not change.shows_otherwise:
            continue
        changed_on = dates.get(change.entry.doc.display, today)
        for entry in change.shown_in:
            key = (entry.kind, entry.id)
            mine = own.get(key)
            if key in seen or (mine is not None and mine.needs_signoff):
                continue
            seen.add(key)
            signed = _date(_agreement(entry).get("date"))
            before = _date(_agreement(mine.old).get("date")) if mine is not None and mine.old is not None else signed
            if signed is None or signed < changed_on or (before is not None and signed <= before):
                line, column = entry.doc.where(("agreed_by",), key=True)
                last = f"last agreed on {signed}" if signed else "agreed on no valid date"
                yield (f"{entry.doc.display}:{line}:{column}: agreed_by: {KIND_NAMES[entry.kind][0]} "
                       f"'{shorten(entry.label)}' shows the agreed value '{shorten(change.entry.id)}', which was "
                       f"changed on {changed_on}, but it was {last}: both teams agree again, then set agreed_by to "
                       f"their names and a date on or after {changed_on}")


def signoff_count(changes: list[Change]) -> int:
    """How many agreed definitions the changes ask both teams to agree to again: those changed, and
    those that show a changed agreed value."""
    count = sum(c.needs_signoff for c in changes)
    own = {(c.kind, c.entry.id) for c in changes if c.needs_signoff}
    shown = {(e.kind, e.id) for c in changes if c.shows_otherwise for e in c.shown_in}
    return count + len(shown - own)


def _agreement(entry: Entry) -> dict[str, Any]:
    value = entry.data.get("agreed_by")
    return value if isinstance(value, dict) else {}


def _date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value is not None and len(str(value)) == 10 else None
    except ValueError:
        return None

