"""Which words of running text name a glossary term: the one rule the site's glossary links, each
entry's "Used in" list and the change summary's impact all follow (glossary.js does the same in
the browser).

A term is named by its abbreviation exactly as written, alone or as a plural ("SAL", "SALs";
never "sal" in "salary"), and by its name or an alias in any case ("sales accepted lead"). A name
that is one everyday word ("Company", "won", "Deal": one word, no capital after its first letter,
no digit) is ordinary English more often than jargon, so it names the term only when the term
asks for it (`link: always`); abbreviations, words like "BANT" and names of two words or more
always do. Nothing inside an address (https://..., www....) names a term.

Text is cut into words once; at each word the longest name starting there is looked up in a
dictionary, so the cost is the number of words times the longest name's length in words, whatever
the number of terms.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

# Letters and digits make words; words of a name may be separated by spaces or hyphens only.
WORD = re.compile(r"[^\W_]+")
JOINER = re.compile(r"[\s\-‐‑]+")
URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
MAX_WORDS = 8  # longer names are not looked for in running text
LINKS = ("jargon", "always")  # a term's `link`: jargon (the default) or always


@dataclass(frozen=True)
class Match:
    term: str  # the term's id
    start: int
    end: int


def everyday(name: str) -> bool:
    """Whether a name is one everyday word: one word as written, with no capital after its first
    letter and no digit ("Company", "won"; not "BANT", "DQ", "Lead score", "B2B")."""
    words = WORD.findall(name)
    return len(words) == 1 and words[0] == name.strip() and words[0][1:].islower() \
        and not any(c.isdigit() for c in words[0])


def names_in_text(name: str, aliases: Iterable[str], link: str | None = None) -> list[str]:
    """The names and aliases of a term that running text is searched for: all of them when
    `link` is "always", else those that are not one everyday word."""
    return [n for n in (name, *aliases) if link == "always" or not everyday(n)]


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.casefold() for w in WORD.findall(text))


class Vocabulary:
    """The names and abbreviations of terms, ready to be found in text. Each term is given as
    (id, name, abbreviation, aliases, link)."""

    def __init__(self, terms: Iterable[tuple[str, str, str | None, Iterable[str], str | None]]) -> None:
        self.names: dict[tuple[str, ...], str] = {}
        self.abbreviations: dict[str, str] = {}
        self.longest = 1
        for id, name, abbreviation, aliases, link in terms:
            for written in names_in_text(name, aliases, link):
                words = _words(written)
                if 0 < len(words) <= MAX_WORDS:
                    self.names.setdefault(words, id)
                    self.longest = max(self.longest, len(words))
            if abbreviation and WORD.fullmatch(abbreviation.strip()):
                self.abbreviations.setdefault(abbreviation.strip(), id)
        # The words a term can start with, as written (abbreviations, alone or plural) or in any
        # case (names): most words of a text are none of these, and are passed at one look.
        self.starts = {words[0] for words in self.names}
        self.written = set(self.abbreviations) | {a + "s" for a in self.abbreviations if len(a) > 1}

    def find(self, text: str) -> Iterator[Match]:
        """Every use of a term in text, left to right, longest name first, none overlapping, none
        inside an address."""
        spans = [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]
        addresses = [(m.start(), m.end()) for m in URL.finditer(text)] if "/" in text or "ww" in text else []
        starts, written = self.starts, self.written
        i = a = 0
        while i < len(spans):
            word = spans[i][2]
            if word not in written and word.casefold() not in starts:
                i += 1
                continue
            while a < len(addresses) and addresses[a][1] <= spans[i][0]:
                a += 1
            if a < len(addresses) and addresses[a][0] < spans[i][1]:
                i += 1  # inside an address
                continue
            found = self._at(text, spans, i)
            if found is None:
                i += 1
                continue
            term, j = found
            if a < len(addresses) and addresses[a][0] < spans[j][1]:
                i += 1  # a name that runs into an address is not one
                continue
            yield Match(term, spans[i][0], spans[j][1])
            i = j + 1

    def _at(self, text: str, spans: list[tuple[int, int, str]], i: int) -> tuple[str, int] | None:
        word = spans[i][2]
        abbreviation = self.abbreviations.get(word)
        if abbreviation is None and word.endswith("s") and len(word) > 2:
            abbreviation = self.abbreviations.get(word[:-1])
        best: tuple[str, int] | None = (abbreviation, i) if abbreviation is not None else None
        words: list[str] = []
        for j in range(i, min(len(spans), i + self.longest)):
            if j > i and not JOINER.fullmatch(text[spans[j - 1][1]:spans[j][0]]):
                break
            words.append(spans[j][2].casefold())
            term = self.names.get(tuple(words))
            if term is not None:
                best = (term, j)
        return best

    def terms_in(self, texts: Iterable[str]) -> set[str]:
        """The ids of the terms used anywhere in texts."""
        return {match.term for text in texts for match in self.find(text)}

    def names_any(self, texts: Iterable[str]) -> bool:
        """Whether any of texts names a term."""
        return any(next(self.find(text), None) is not None for text in texts)
