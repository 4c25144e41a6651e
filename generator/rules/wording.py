"""Wording: what the site gives a rep to say or send reads as words for the buyer, not as an
instruction to the rep.

An asset's talking points and an objection's response each carry a copy button on the site: a rep
pastes them into an e-mail or reads them out. A text that begins as a note to the rep ("Internal
note: …", "Never …", "Do not …") would reach the buyer that way. Such a text belongs in the
asset's or the objection's `internal_notes`, which the site shows to the rep, apart and without a
copy button ("For you, not the buyer").

A text is read as an instruction when, after any spaces and opening quotes, it begins (in any case)
with "Internal note", "Internal:", "Note to self", "For the rep", "Never ", "Do not ", "Don't " or
"Must not ". The openings that are whole words stop at a word's end, so "For the report" and
"Internal notebook" pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..source.document import Document
from ..source.paths import Path_, shorten
from ..source.problems import WARNING, Problem, Rule
from .references import Index

TALKING_POINT_INSTRUCTION = Rule(
    "talking-point-instruction", WARNING,
    "a talking point or objection response that reads as an instruction to the rep, not words for the buyer",
    doc="""
    Talking points and the responses to objections are what a rep says or sends to the buyer: the
    site puts a copy button on each. One that begins "Internal note", "Internal:", "Note to self",
    "For the rep", "Never", "Do not", "Don't" or "Must not" (in any case, after spaces or quotes)
    is a note to the rep, and would be pasted to the buyer with the rest. Move it to the asset's
    (or the objection's) `internal_notes`, which the site shows to the rep, apart and without a
    copy button. A warning by default; a company may make it an error or turn it off.

    Fails, with these fields in `playbook/assets/guide.yaml`:

        talking_points:
          - Most buyers overpay by a third.
          - "Internal note: never quote the survey's figures."

    Passes, with these fields in `playbook/assets/guide.yaml`:

        talking_points:
          - Most buyers overpay by a third.
        internal_notes:
          - Never quote the survey's figures.
    """)

RULES = (TALKING_POINT_INSTRUCTION,)

# The openings of a note to the rep, as the message quotes them.
OPENINGS = ("Internal note", "Internal:", "Note to self", "For the rep", "Never ", "Do not ", "Don't ", "Must not ")
# Spaces and opening quotes (straight, curly, guillemets) before the first word.
_LEAD = "[\\s\"'\u2018\u201a\u201b\u201c\u201e\u201f\u00ab\u2039`]*"
# Each opening, as written above: "Never " ends at any space, "Internal note" and "For the rep"
# at a word's end ("Internal notes" too), "Don't" with a straight or a curly apostrophe.
_OPENING = re.compile(
    _LEAD + r"(?:internal\s+notes?\b|internal\s*:|note\s+to\s+self\b|for\s+the\s+reps?\b"
            r"|(?:never|do\s+not|don['\u2019]t|must\s+not)\s)",
    re.IGNORECASE)
# How much of the text the message quotes.
_START = 50


def instruction(text: str) -> bool:
    """Whether a text begins as a note to the rep rather than words for the buyer."""
    return _OPENING.match(text) is not None


def wording_problems(doc: Document, index: Index) -> Iterator[Problem]:
    """A warning at each talking point of an asset, and each objection's response of a persona,
    that begins as an instruction to the rep. (Every rule of one entry is given the index; this
    one needs nothing beyond the entry.)"""
    data = doc.data
    if not isinstance(data, dict):
        return
    if doc.kind == "asset":
        for i, point in _texts(data.get("talking_points")):
            yield _problem(doc, ("talking_points", i), point, "talking point", "the asset's")
    elif doc.kind == "persona":
        objections = data.get("objections")
        for i, objection in enumerate(objections if isinstance(objections, list) else ()):
            response = objection.get("response") if isinstance(objection, dict) else None
            if isinstance(response, str) and instruction(response):
                yield _problem(doc, ("objections", i, "response"), response, "response", "the objection's")


def _texts(items: Any) -> Iterator[tuple[int, str]]:
    """(place, text) of each item of a list that begins as an instruction."""
    for i, item in enumerate(items if isinstance(items, list) else ()):
        if isinstance(item, str) and instruction(item):
            yield i, item


def _problem(doc: Document, path: Path_, text: str, what: str, whose: str) -> Problem:
    start = shorten(" ".join(text.split()), _START)
    return doc.problem(TALKING_POINT_INSTRUCTION, path, (
        f"'{start}' reads as an instruction to the rep, not words for the buyer, and this {what} has a copy "
        f"button: move it to {whose} internal_notes, which the site shows to the rep without a copy button"))
