"""What a change to the playbook means, in the playbook's words: entries added, removed and
renamed, field by field what changed (both sides whole, as each revision's site shows them),
lists compared as lists, and what each changed entry touches.

Two models are compared, each built from its own revision with that revision's own agreed values
and `from:` fields, entry by entry through the fields each file writes (model/written.py): so
comments, line wrapping and spacing inside a text change nothing. Each revision's texts are read
with its own values, so a definition whose words name a value shows a change when the value's
text changes, and a definition whose value was written out as its text does not hide a change
made to the value afterwards. `comment` writes the result as Markdown; `signoff` checks the
agreement it asks for.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.entities import Asset
from ..model.playbook import Playbook
from ..model.settings import NamedValue, Settings
from ..model.written import written
from ..rules.agreement import AGREED_KINDS, BOTH_TEAMS_KINDS
from ..rules.values import uses
from ..source.document import Document
from ..source.term_words import Vocabulary
from .fielddiff import (
    FieldChange,
    Shown,
    every_field,
    field_changes,
    field_label,
    similarity,
    word_counts,
)

KIND_NAMES = {"playbook": ("Playbook settings", "playbook settings"), "value": ("Agreed value", "agreed values"),
              "stage": ("Stage", "stages"),
              "lifecycle": ("Lifecycle state", "lifecycle states"), "handoff": ("Handoff", "handoffs"),
              "term": ("Term", "terms"), "persona": ("Persona", "personas"), "asset": ("Asset", "assets"),
              "metric": ("Shared goal", "shared goals")}
KIND_ORDER = tuple(KIND_NAMES)
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


@dataclass(frozen=True)
class Entry:
    """One entry of a revision's model as it is compared: the model's object, what the site calls
    it, and where it is written (`doc`: its file and the place of each field), holding the fields
    its file writes (`data`; an agreed value taken from a number field holds that field's words
    as its `value` too, so that a changed number is a changed value)."""

    kind: str
    id: str
    label: str
    item: Any  # the model's object: a Stage, a NamedValue, the Settings ...
    doc: Document

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = self.doc.data
        return data


@dataclass
class Change:
    kind: str
    status: str  # "added", "removed", "renamed" or "changed"
    old: Entry | None
    new: Entry | None
    fields: list[FieldChange] = field(default_factory=list)
    impact: dict[str, list[str]] = field(default_factory=dict)  # kind -> labels of entries it touches

    @property
    def entry(self) -> Entry:
        entry = self.new or self.old
        assert entry is not None
        return entry

    @property
    def agreed(self) -> bool:
        return self.kind in AGREED_KINDS

    @property
    def both_teams(self) -> bool:
        """Owned by both teams: the change needs an approval from each."""
        return self.kind in BOTH_TEAMS_KINDS

    @property
    def needs_signoff(self) -> bool:
        """An agreed definition added, renamed, or changed in more than its agreed_by."""
        if not self.agreed or self.status == "removed":
            return False
        return self.status != "changed" or any(f.path[:1] != ("agreed_by",) for f in self.fields)


def entries(playbook: Playbook) -> dict[tuple[str, str], Entry]:
    """Every entry of a model, by (kind, id): playbook.yaml's settings are ("playbook", "playbook"),
    and each agreed value they declare ("value", its id), apart: a changed value is one change."""
    found: dict[tuple[str, str], Entry] = {}
    settings = playbook.settings
    for value in settings.values:
        data = written(value)
        if value.taken_from is not None or value.compute:
            data["value"] = value.value
        found.setdefault(("value", value.id), _entry("value", value, data))
    data = {key: item for key, item in written(settings).items() if key != "values"}
    found[("playbook", "playbook")] = _entry("playbook", settings, data)
    kinds = (("stage", playbook.stages), ("lifecycle", playbook.lifecycle), ("handoff", playbook.handoffs),
             ("term", playbook.terms), ("persona", playbook.personas), ("asset", playbook.assets),
             ("metric", playbook.metrics))
    for kind, items in kinds:
        for item in items:
            found.setdefault((kind, item.id), _entry(kind, item, written(item)))
    return found


def _entry(kind: str, item: Any, data: dict[str, Any]) -> Entry:
    """An entry of the model with the fields its file writes, placed in its file."""
    origin: Document | None = item.origin
    doc = dataclasses.replace(origin, data=data) if origin is not None else \
        Document(kind, Path(getattr(item, "source", "")), getattr(item, "source", ""), data)
    if isinstance(item, Settings):
        id, name = "playbook", item.site_name
    else:
        id = item.id
        name = item.id if isinstance(item, NamedValue) else item.title if isinstance(item, Asset) else item.name
    abbreviation = getattr(item, "abbreviation", None)
    return Entry(kind, id, f"{name} ({abbreviation})" if isinstance(abbreviation, str) else name, item, doc)


def compare(base: Playbook, head: Playbook) -> list[Change]:
    """Every change from the model of base to the model of head, in kind order, then by label;
    each text compared as the site of its own revision shows it, with the agreed values it names
    written out by that revision's values (so a value changed under an agreed definition changes
    the definition)."""
    shown = Shown(base.values, head.values)
    old, new = entries(base), entries(head)
    changes: list[Change] = []
    for key in old.keys() & new.keys():
        fields = _own_fields(key[0], field_changes(old[key].data, new[key].data, shown))
        if fields:
            changes.append(Change(key[0], "changed", old[key], new[key], fields))
    for kind in KIND_ORDER:
        removed = [old[k] for k in old.keys() - new.keys() if k[0] == kind]
        added = [new[k] for k in new.keys() - old.keys() if k[0] == kind]
        for was, now in _renames(removed, added):
            fields = [f for f in field_changes(was.data, now.data, shown) if f.path != ("id",)]
            changes.append(Change(kind, "renamed", was, now, fields))
            removed.remove(was)
            added.remove(now)
        changes.extend(Change(kind, "removed", e, None) for e in removed)
        changes.extend(Change(kind, "added", None, e, list(every_field(e.data, shown))) for e in added)
    changes.sort(key=lambda c: (KIND_ORDER.index(c.kind), c.entry.label.casefold(), c.entry.id))
    named = _value_uses(new) if any(c.kind == "value" for c in changes) else {}
    for change in changes:
        if change.kind == "value":
            change.impact = _value_impact(change, named, new)
        elif change.status != "added":
            change.impact = impact(change, new)
    return changes


def _own_fields(kind: str, fields: Iterator[FieldChange]) -> list[FieldChange]:
    """The field changes kept for an entry: all of an agreed definition's (what it shows is what
    both teams agree to), and for other kinds those not only shown through a changed agreed value
    (the value's change lists them as its impact, once)."""
    return [f for f in fields if kind in AGREED_KINDS or not f.through]


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
    what shows the value, so what a change to it changes."""
    touched: dict[tuple[str, str], list[str]] = {}
    for entry in (change.old, change.new):
        if entry is not None:
            for key, fields in named.get(entry.id, {}).items():
                touched.setdefault(key, []).extend(fields)
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
    or, for few enough pairs, similar enough in their words."""
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
    words = {id(e): word_counts(_without_id(e.data)) for e in (*removed, *added)}
    scored = []
    for was in removed:
        for now in added:
            score = similarity(words[id(was)], words[id(now)])
            if score >= RENAME_SIMILARITY:
                scored.append((score, was, now))
    used_old: set[int] = set()
    for _, was, now in sorted(scored, key=lambda s: -s[0]):
        if id(was) not in used_old and id(now) not in paired:
            used_old.add(id(was))
            paired.add(id(now))
            yield was, now


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


def _names(entry: Entry) -> Vocabulary | None:
    """What the entry is called in running text, by the rule the site's glossary links by
    (source/term_words.py): its abbreviation as written, its name and aliases in any case, a
    term's name of one everyday word only when the term asks for it, nothing inside an address."""
    name = entry.data.get("name")
    name = " ".join(name.split()) if isinstance(name, str) and entry.kind in ("lifecycle", "term", "handoff",
                                                                             "metric") else ""
    abbreviation = entry.data.get("abbreviation")
    abbreviation = abbreviation.strip() if isinstance(abbreviation, str) else None
    aliases = [" ".join(a.split()) for a in entry.data.get("aliases") or () if isinstance(a, str) and a.strip()]
    link = entry.data.get("link") if entry.kind == "term" else "always"
    vocabulary = Vocabulary([(entry.id, name, abbreviation or None, aliases, link if isinstance(link, str) else None)])
    return vocabulary if vocabulary.names or vocabulary.abbreviations else None


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
                    and pattern.names_any(_texts(other.data)):
                touched.setdefault(kind, {})[other_id] = other.label
    return {kind: sorted(found.values(), key=str.casefold) for kind in KIND_ORDER
            if (found := touched.get(kind))}
