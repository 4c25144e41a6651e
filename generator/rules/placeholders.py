"""Placeholder text is refused: a field still reading `TODO` is not filled in.

`playbook new` marks every field to fill in with `TODO`; a text field holding only a mark like
it would otherwise pass its schema, and the site would show "TODO" to every rep. A text is a
placeholder when, with the punctuation and spaces around it taken away, it is only `TODO`, `TBD`,
`FIXME` or `XXX` (any case), or exactly the mark `playbook new` writes; when it begins with a
note left for later (`TODO: ask legal`, `FIXME:`, `TBD:`, `XXX:`); or when it begins with
`Lorem ipsum`. Words that merely contain these letters pass.

    title: TODO.                      # refused
    description: (TBD)                # refused
    talking_points: [Lorem ipsum dolor sit amet]   # refused
    title: Todos and to-dos           # passes
    description: Sizes S to XXX-large # passes

Only free text is read: ids, closed lists, dates and links have their own schema checks, which
already refuse `TODO`. A field some other check has reported is not reported again, so one
placeholder gives one line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import ahocorasick_rs

from ..source.document import Document
from ..source.paths import Path_, shorten
from ..source.problems import ERROR, Problem, Rule
from ..source.schemas import resolved, validator
from .values import screen_of, texts_of

PLACEHOLDER_TEXT = Rule(
    "placeholder-text", ERROR, "a text that is only a placeholder such as TODO, TBD or Lorem ipsum",
    doc="""
    `playbook new` marks every field to fill in with `TODO`. A free-text field that still reads
    only `TODO`, `TBD`, `FIXME` or `XXX` (any case, with punctuation around it), that begins with
    a note left for later (`TODO: ask legal`), or that begins with `Lorem ipsum`, is not filled
    in: the site would show it to every rep. Words that merely contain these letters pass. An
    error by default; a company that publishes drafts on purpose may lower it to a warning.

    Fails, with these fields in `playbook/terms/contact.yaml`:

        definition: TODO.

    Passes, with these fields in `playbook/terms/contact.yaml`:

        definition: Anyone in the CRM, to-dos included.
    """)

RULES = (PLACEHOLDER_TEXT,)

# What `playbook new` writes in every field to fill in (the rule that refuses it owns it).
MARK = "TODO"
# The whole text is a placeholder: one of these words, or the mark `playbook new` writes.
_WORDS = frozenset({"todo", "tbd", "fixme", MARK.casefold()})
_WHOLE = re.compile(r"x{3,}|" + "|".join(re.escape(word) for word in sorted(_WORDS)), re.IGNORECASE)
# What may surround a placeholder: anything that is not a letter or a digit ("TODO.", "(TBD)").
_AROUND = re.compile(r"^[\W_]+|[\W_]+$")
# Every placeholder holds one of these (any case): a text without them needs no closer look.
_MARKS = tuple(sorted(_WORDS | {"xxx", "lorem"}))
_ANY_MARK = re.compile("|".join(re.escape(word) for word in _MARKS), re.IGNORECASE)
# The same marks, found in a lowered text in one pass (five searches of it took three times as long).
_MARK_FINDER = ahocorasick_rs.AhoCorasick(list(_MARKS))
# A note left for later at the start, or filler text.
_NOTE = re.compile(r"[\W_]*(?:todo|tbd|fixme|xxx)\s*[:\uff1a]", re.IGNORECASE)
_LOREM = re.compile(r"[\W_]*lorem\s+ipsum\b", re.IGNORECASE)
# Schema keywords that make a string something other than free text.
_NOT_FREE = ("enum", "const", "pattern", "format")
_GENERIC_PURPOSE = "the words readers see in its place"
# A lone mark with punctuation around it is short; longer texts skip the whole-text test.
_LONGEST_MARK = 40


def is_placeholder(text: str) -> bool:
    """True if the text is only a placeholder, begins with a note left for later, or is filler.
    Linear in the text: a long text is no lone mark, and is only matched at its start."""
    if len(text) <= _LONGEST_MARK and _WHOLE.fullmatch(_AROUND.sub("", text)):
        return True
    return _NOTE.match(text) is not None or _LOREM.match(text) is not None


def placeholder_problems(documents: Iterable[Document], reported: Iterable[Problem]) -> Iterator[Problem]:
    """A problem at every free-text field that holds a placeholder, in every readable document,
    except at a field a problem in `reported` already names (one line per placeholder).

    `reported` is read now, so the caller may extend the same list with the result."""
    seen = {(problem.file, problem.path) for problem in reported}
    return _problems(list(documents), seen)


def _problems(documents: list[Document], seen: set[tuple[str, str]]) -> Iterator[Problem]:
    for doc in documents:
        screen = screen_of(doc)
        found = screen.placeholders if screen is not None else document_placeholders(doc)
        yield from (problem for problem in found if (problem.file, problem.path) not in seen)


def document_placeholders(doc: Document, joined: str | None = None) -> tuple[Problem, ...]:
    """A problem at every free-text field of one document that holds a placeholder. joined: every
    text of the document joined (values.joined_texts), when the caller has it: most documents hold
    no mark at all, and one search of their texts says so."""
    if joined is not None and not _may_hold_mark(joined):
        return ()
    found = []
    for path, text in texts_of(doc):
        field = _free_text_field(doc.kind, path) if is_placeholder(text) else None
        if field is not None:
            found.append(doc.problem(PLACEHOLDER_TEXT, path, _message(text, path, *field)))
    return tuple(found)


def _may_hold_mark(text: str) -> bool:
    """Whether the text holds a mark in any case, as the expressions above read case. Plain text
    is lowered and searched at once; any other goes through the same rules of case as they do
    (where, say, the Kelvin sign is a K)."""
    if text.isascii():
        return bool(_MARK_FINDER.find_matches_as_indexes(text.lower()))
    return _ANY_MARK.search(text) is not None


def _free_text_field(kind: str, path: Path_) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(the field's schema, the schema of what holds it) when the schema takes any text at path;
    None for ids, closed lists, dates, links and fields the schema does not know."""
    root: Any = validator(kind).schema
    node, holder = resolved(root, root), root
    for part in path:
        holder = node
        if isinstance(part, str):
            child = node.get("properties", {}).get(part)
        else:  # a list's item; a key YAML read as a number or a date is no field the schema knows
            child = node.get("items") if type(part) is int else None
        if not isinstance(child, dict):
            return None
        node = resolved(root, child)
    if node.get("type") != "string" or any(word in node for word in _NOT_FREE):
        return None
    return node, holder


def _message(text: str, path: Path_, field: dict[str, Any], holder: dict[str, Any]) -> str:
    """`'TODO' is a placeholder: write the title here (what it is for: the asset's title as readers see it)`."""
    item = bool(path) and isinstance(path[-1], int)
    purpose = _purpose(holder if item else field)
    return f"'{shorten(text)}' is a placeholder: write the {_in_words(path, field)} here (what it is for: {purpose})"


def _in_words(path: Path_, field: dict[str, Any]) -> str:
    """The field as a reader names it: "title", "company name", "sales leader"; an item of a list
    by its own description ("One talking point" -> "talking point")."""
    if path and isinstance(path[-1], int):
        said = _before_example(str(field.get("description", "")))
        return said[4:] if said.startswith("One ") else "item"
    names = [part for part in path[-2:] if isinstance(part, str)]
    if len(path) >= 2 and isinstance(path[-2], int):
        names = names[-1:]  # a field of a list item: "reason", not the list's name again
    return " ".join(name.replace("_", " ") for name in names[-2:]) or "text"


def _purpose(schema: dict[str, Any]) -> str:
    """The first part of the field's description, before its example, as a phrase."""
    text = _before_example(str(schema.get("description", "")))
    text = text.removeprefix("Optional: ").removeprefix("Optional:").strip()
    if not text:
        return _GENERIC_PURPOSE
    first = text.split(" ", 1)[0]
    # "The asset's title" -> "the asset's title"; "CRM field" stays as it is.
    return text[:1].lower() + text[1:] if first[1:] == first[1:].lower() else text


def _before_example(description: str) -> str:
    """The description up to its example (", e.g.") or the end of its first sentence."""
    text = " ".join(description.split())
    text = text.split(", e.g.", 1)[0].split(" e.g.", 1)[0]
    return re.split(r"(?<=[a-z0-9)])\. ", text, maxsplit=1)[0].rstrip(".").strip()
