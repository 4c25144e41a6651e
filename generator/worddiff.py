"""What changed in a text, word by word, for a reviewer: removed and added words marked in the
sentences that hold them, unchanged sentences between changes left out as "…".

A text is compared by sentence first, then by word inside the sentences that changed, so a long
description with one changed word costs about its length, not its length squared. The sentences
and words that differ are matched with difflib only while the two sides are within a bound
(`MAX_PAIRS` pairs of pieces compared); past it the changed part is shown whole, before and
after, which is always correct and never cut. The common beginning and end of two texts are
set aside first, in one pass, so the bound only ever applies to the part that really changed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from typing import Literal

# Pieces compared by difflib at most (sentences, or the words of a changed passage): past it,
# the changed passage is shown as removed and added, whole.
MAX_PAIRS = 250_000

Kind = Literal["same", "removed", "added", "gap"]
Segment = tuple[Kind, str]

_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


def sentences(text: str) -> list[str]:
    """The text's sentences, whitespace folded: 'A. B!' -> ['A.', 'B!']."""
    folded = " ".join(text.split())
    return [s for s in _SENTENCE_END.split(folded) if s] if folded else []


def word_diff(old: str, new: str) -> list[Segment]:
    """The two texts as segments: words kept ("same"), removed, added, and "gap" for unchanged
    sentences left out between changes. Empty when the texts have the same words."""
    before, after = sentences(old), sentences(new)
    if before == after:
        return []
    segments: list[Segment] = []
    for tag, old_part, new_part in _blocks(before, after):
        if tag == "equal":
            segments.append(("gap", " ".join(old_part)))
        else:
            segments.extend(_words(" ".join(old_part).split(), " ".join(new_part).split()))
    # Unchanged sentences are kept only where they hold a change's words; a run of them is a gap.
    return _merge(_trim(segments))


def _blocks(old: Sequence[str], new: Sequence[str]) -> Iterator[tuple[str, list[str], list[str]]]:
    """Runs of the two sequences, "equal" or "replace" (a side may be empty), in order: the common
    beginning and end set aside in one pass, the middle matched by difflib within the bound."""
    start = 0
    while start < len(old) and start < len(new) and old[start] == new[start]:
        start += 1
    end = 0
    while end < len(old) - start and end < len(new) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    if start:
        yield "equal", list(old[:start]), list(new[:start])
    middle_old, middle_new = old[start:len(old) - end], new[start:len(new) - end]
    if len(middle_old) * len(middle_new) > MAX_PAIRS:
        yield "replace", list(middle_old), list(middle_new)
    else:
        matcher = difflib.SequenceMatcher(None, middle_old, middle_new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            yield ("equal" if tag == "equal" else "replace"), list(middle_old[i1:i2]), list(middle_new[j1:j2])
    if end:
        yield "equal", list(old[len(old) - end:]), list(new[len(new) - end:])


def _words(old: list[str], new: list[str]) -> Iterator[Segment]:
    """The words of one changed passage: kept, removed and added, in reading order."""
    for tag, old_part, new_part in _blocks(old, new):
        if tag == "equal":
            yield "same", " ".join(old_part)
            continue
        if old_part:
            yield "removed", " ".join(old_part)
        if new_part:
            yield "added", " ".join(new_part)


def _trim(segments: list[Segment]) -> list[Segment]:
    """A gap at either end is left out entirely (nothing changed there); one between changes
    stays, so the reader sees that text was skipped."""
    while segments and segments[0][0] == "gap":
        segments = segments[1:]
    while segments and segments[-1][0] == "gap":
        segments = segments[:-1]
    return segments


def _merge(segments: list[Segment]) -> list[Segment]:
    """Neighbouring segments of the same kind as one."""
    merged: list[Segment] = []
    for kind, text in segments:
        if merged and merged[-1][0] == kind and kind != "gap":
            merged[-1] = (kind, f"{merged[-1][1]} {text}")
        else:
            merged.append((kind, text))
    return merged


def changed_words(segments: Sequence[Segment]) -> tuple[str, str]:
    """The removed and the added words, each side joined: for plain-text messages."""
    removed = " ".join(text for kind, text in segments if kind == "removed")
    added = " ".join(text for kind, text in segments if kind == "added")
    return removed, added
