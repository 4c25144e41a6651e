"""What changed in a text, word by word, for a reviewer: removed and added words marked in the
sentences that hold them, unchanged sentences left out as "…".

A text is compared by sentence first, then by word inside the sentences that changed, so a long
description with one changed word costs about its length, not its length squared. The common
beginning and end of two sequences are set aside first, in one pass. The rest is matched with
difflib only while both sides are within a bound (`MAX_PAIRS` pairs of pieces compared); past
it, the passage is split at the pieces that occur once on each side (as patience diff does) and
each part matched the same way; a part that still has no such piece is shown whole, before and
after, which is always correct and never cut.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Literal

# Pieces compared by difflib at most (sentences, or the words of a changed passage): past it,
# the changed passage is shown as removed and added, whole.
MAX_PAIRS = 250_000
# How often a changed passage too long for difflib is split at its unique pieces, at most.
MAX_DEPTH = 30

Kind = Literal["same", "removed", "added", "gap"]
Segment = tuple[Kind, str]

_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


def sentences(text: str) -> list[str]:
    """The text's sentences, whitespace folded: 'A. B!' -> ['A.', 'B!']."""
    folded = " ".join(text.split())
    return [s for s in _SENTENCE_END.split(folded) if s] if folded else []


def word_diff(old: str, new: str) -> list[Segment]:
    """The two texts as segments: words kept ("same"), removed, added, and "gap" for unchanged
    sentences left out before, between and after changes. Empty when the texts have the same words."""
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
    return _merge(segments)


def _blocks(old: Sequence[str], new: Sequence[str]) -> list[tuple[str, list[str], list[str]]]:
    """Runs of the two sequences, "equal" or "replace" (a side may be empty), in order, with
    neighbouring runs of one kind joined."""
    joined: list[tuple[str, list[str], list[str]]] = []
    for tag, old_part, new_part in _runs(old, new, 0):
        if not old_part and not new_part:
            continue
        if joined and joined[-1][0] == tag:
            joined[-1] = (tag, joined[-1][1] + old_part, joined[-1][2] + new_part)
        else:
            joined.append((tag, old_part, new_part))
    return joined


def _runs(old: Sequence[str], new: Sequence[str], depth: int) -> Iterator[tuple[str, list[str], list[str]]]:
    """The common beginning and end set aside in one pass; the middle matched by difflib within
    the bound, else split at the pieces that occur once on each side (as patience diff does) and
    each part matched the same way, else shown whole."""
    start = 0
    while start < len(old) and start < len(new) and old[start] == new[start]:
        start += 1
    end = 0
    while end < len(old) - start and end < len(new) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    yield "equal", list(old[:start]), list(new[:start])
    middle_old, middle_new = old[start:len(old) - end], new[start:len(new) - end]
    if not middle_old or not middle_new:
        yield "replace", list(middle_old), list(middle_new)
    elif len(middle_old) * len(middle_new) <= MAX_PAIRS:
        matcher = difflib.SequenceMatcher(None, middle_old, middle_new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            yield ("equal" if tag == "equal" else "replace"), list(middle_old[i1:i2]), list(middle_new[j1:j2])
    else:
        yield from _anchored(middle_old, middle_new, depth)
    yield "equal", list(old[len(old) - end:]), list(new[len(new) - end:])


def _anchored(old: Sequence[str], new: Sequence[str], depth: int) -> Iterator[tuple[str, list[str], list[str]]]:
    anchors = _unique_anchors(old, new) if depth < MAX_DEPTH else []
    if not anchors:
        yield "replace", list(old), list(new)
        return
    i0 = j0 = 0
    for i, j in anchors:
        yield from _runs(old[i0:i], new[j0:j], depth + 1)
        yield "equal", [old[i]], [new[j]]
        i0, j0 = i + 1, j + 1
    yield from _runs(old[i0:], new[j0:], depth + 1)


def _unique_anchors(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) of pieces that occur exactly once in each sequence, the longest run of them in
    the same order on both sides (patience sorting, n log n)."""
    count_old, count_new = Counter(old), Counter(new)
    at_new = {piece: j for j, piece in enumerate(new) if count_new[piece] == 1}
    pairs = [(i, at_new[piece]) for i, piece in enumerate(old) if count_old[piece] == 1 and piece in at_new]
    tails: list[int] = []  # tails[k]: index in pairs of the smallest j ending a run of length k + 1
    before: list[int] = []
    for index, (_, j) in enumerate(pairs):
        k = _search(pairs, tails, j)
        before.append(tails[k - 1] if k else -1)
        if k == len(tails):
            tails.append(index)
        else:
            tails[k] = index
    run = []
    index = tails[-1] if tails else -1
    while index >= 0:
        run.append(pairs[index])
        index = before[index]
    return run[::-1]


def _search(pairs: list[tuple[int, int]], tails: list[int], j: int) -> int:
    """bisect_left over the j of each tail, without copying them."""
    low, high = 0, len(tails)
    while low < high:
        middle = (low + high) // 2
        if pairs[tails[middle]][1] < j:
            low = middle + 1
        else:
            high = middle
    return low


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
