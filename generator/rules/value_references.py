"""References to agreed values in texts: each `[[id]]` names a value declared in playbook.yaml,
is written as a reference should be, and the texts of a file with every value written out stay
within the file's budget; an agreed value typed out in a text is named instead (values.py holds
the language of references this reads)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import ahocorasick_rs

from ..source.document import Document
from ..source.loader import LoadedPlaybook
from ..source.paths import Path_, shorten
from ..source.problems import ERROR, WARNING, Problem, Rule
from ..source.yamltree import MAX_EXPANDED_CHARS
from .agreed_reasons import reason_texts
from .computed_checks import computed_problems
from .references import Index
from .typed_numbers import VALUE_NUMBER_TYPED_OUT, Numbers, agreed_numbers
from .value_declarations import declaration_problems
from .values import (
    BRACKETED,
    EXAMPLE,
    EXPANSION_ALLOWANCE,
    EXPANSION_FACTOR,
    REFERENCE,
    REFERENCE_COST,
    Screen,
    declared,
    expansion_budget,
    joined_texts,
    mistaken,
    named_in,
    screen_of,
    texts_of,
    value_texts,
)

_SITE = "a text would show a name no value has, or the site's pages would grow without bound"
# A short text of its own for each reference in the examples of values too long.
_TEN = " ".join(["[[tagline]]"] * 10)

# The values of the examples, as playbook.yaml declares them.
_DEAL_SIZE = """\
        values:
          - id: deal-size
            value: USD 10,000"""
_TAGLINE = """\
        values:
          - id: tagline
            value: >-
              Anvils that arrive on time, every time, in every size a workshop needs,
              with spare parts for ten years"""
_DISCOUNT = """\
        values:
          - id: discount-max
            value: 20 percent"""

UNKNOWN_VALUE = Rule(
    "unknown-value", ERROR, "a text that names an agreed value no one declared",
    fixed=_SITE,
    doc=f"""
    A text names an agreed value by its id in double square brackets, `[[discount-ae-max]]`, and
    the site shows the value declared under `values` in playbook.yaml in its place. A name with
    no value declared would show as written: declare it, or use a name that is declared (the
    message suggests the closest).

    Fails, with these fields in `playbook/terms/contact.yaml`:

        definition: Anyone in the CRM with a deal of [[deal-size]] or more.

    Passes, with these fields in `playbook/terms/contact.yaml`:

        definition: Anyone in the CRM with a deal of [[deal-size]] or more.

    And with these fields in `playbook/playbook.yaml`:

{_DEAL_SIZE}
    """)

MALFORMED_VALUE_REFERENCE = Rule(
    "malformed-value-reference", ERROR, "double square brackets around a name that is not an id",
    fixed=_SITE,
    doc=f"""
    A reference is `[[`, an id (lower-case letters, digits and single hyphens), `]]`. Text in
    double brackets that reads as a name but is not an id (`[[Deal Size]]`, `[[deal_size]]`) would
    show on the site as written; the message gives the reference meant, when there is one.

    Fails, with these fields in `playbook/terms/contact.yaml`:

        definition: Anyone in the CRM with a deal of [[Deal Size]] or more.

    Passes, with these fields in `playbook/terms/contact.yaml`:

        definition: Anyone in the CRM with a deal of [[deal-size]] or more.

    And with these fields in `playbook/playbook.yaml`:

{_DEAL_SIZE}
    """)

VALUES_TOO_LONG = Rule(
    "values-too-long", ERROR, "a file whose texts grow too long with their agreed values written out",
    fixed="a small file naming a long value many times would make pages of any size (see SECURITY.md)",
    doc=f"""
    With every `[[name]]` written out (each counting 100 characters more, for its link), a file's
    texts may be at most twice as long as written, plus 4,000 characters, and never over
    1,000,000: a value named many times cannot make a small file stand for a large page.

    Fails, with these fields in `playbook/terms/contact.yaml`:

        definition: >-
          {_TEN}
          {_TEN}
          {_TEN}
          {_TEN}

    And with these fields in `playbook/playbook.yaml`:

{_TAGLINE}

    Passes, with these fields in `playbook/terms/contact.yaml`:

        definition: Anyone who heard [[tagline]].

    And with these fields in `playbook/playbook.yaml`:

{_TAGLINE}
    """)

VALUE_TYPED_OUT = Rule(
    "value-typed-out", WARNING, "an agreed value typed out in a text instead of named",
    doc=f"""
    An agreed value with a number and a unit ("20 percent", "10 business days") typed out in a
    text, where it could be named: when the value changes, the typed copy would not. It is a
    warning, since the same words may mean something else there; a company that wants every
    such copy named can make it an error.

    Fails, with these fields in `playbook/terms/contact.yaml`:

        definition: Anyone in the CRM; they may get up to 20 percent off.

    And with these fields in `playbook/playbook.yaml`:

{_DISCOUNT}

    Passes, with these fields in `playbook/terms/contact.yaml`:

        definition: Anyone in the CRM; they may get up to [[discount-max]] off.

    And with these fields in `playbook/playbook.yaml`:

{_DISCOUNT}
    """)

RULES = (UNKNOWN_VALUE, MALFORMED_VALUE_REFERENCE, VALUES_TOO_LONG, VALUE_TYPED_OUT, VALUE_NUMBER_TYPED_OUT)


def check_values(loaded: LoadedPlaybook, index: Index) -> Iterator[Problem]:
    """Every reference to a value that is not declared, every mistaken reference, every value
    typed out instead of named, every file whose texts with values written out would be longer
    than the budget of a file, and every problem of the values declared (value_declarations.py).
    `index` carries the run's budget of "did you mean" suggestions."""
    own = declared(loaded.settings)
    values: dict[str, Any] = {**reason_texts(loaded.settings), **own}
    texts = value_texts(loaded)
    if loaded.settings is not None and isinstance(loaded.settings.data, dict):
        yield from declaration_problems(loaded, index)
        yield from computed_problems(loaded, index)
    documents = [loaded.settings] if loaded.settings is not None else []
    documents += [doc for docs in loaded.documents.values() for doc in docs]
    written_out, numbers = scanners(loaded)
    for doc in documents:
        if not isinstance(doc.data, dict):
            continue
        screen = screen_of(doc) or value_screen(doc, written_out, numbers)
        written, retyped, typed = screen.written, screen.retyped, screen.typed
        if not screen.named and not retyped and not typed:
            if written > MAX_EXPANDED_CHARS:
                yield _too_long(doc, written, written)
            continue
        names = screen.names
        if not retyped and not typed and names is not None and all(name in values for name in names):
            # Every value named is declared, and nothing else is in double brackets: only the
            # size of the texts with the values written out is left to tell, and no text's path
            # is needed (as read below, with each text and its path, this took as long as the
            # rest of the checks that read the screens).
            size = written + sum(len(texts.get(name, "")) + REFERENCE_COST for name in names)
            if size > expansion_budget(written):
                yield _too_long(doc, size, written)
            continue
        found = texts_of(doc)
        size = 0
        for path, text in found:
            size += len(text)
            if not (doc is loaded.settings and path[:1] == ("values",)):
                if retyped and written_out is not None:
                    yield from _retyped(doc, path, text, written_out)
                if typed and numbers is not None:
                    yield from numbers.problems(doc, path, text)
            if "[[" not in text:
                continue
            for match in BRACKETED.finditer(text):
                inside = match.group(1)
                if REFERENCE.fullmatch(match.group()):
                    if inside in values:
                        size += len(texts.get(inside, "")) + REFERENCE_COST
                    else:
                        yield doc.problem(UNKNOWN_VALUE, path, _unknown(inside, values, index))
                elif mistaken(inside):
                    yield doc.problem(MALFORMED_VALUE_REFERENCE, path, _malformed(inside, values))
        if size > expansion_budget(written):
            yield _too_long(doc, size, written)


def numbered_values(loaded: LoadedPlaybook) -> dict[str, str]:
    """The text of each value playbook.yaml declares, by id: all that `scanners` are made of."""
    own = declared(loaded.settings)
    return {id: text for id, text in value_texts(loaded).items() if id in own}


def scanners(loaded: LoadedPlaybook, numbered: dict[str, str] | None = None) -> tuple[_WrittenOut | None,
                                                                                      Numbers | None]:
    """What finds an agreed value typed out in a text: as written, and as a number (numbered:
    numbered_values(loaded), when the caller has it). An agreed reason is named as a value is,
    but it is words, not a number: its text typed out is reason_lists.py's to find (quoted), and
    its own text may type out a value like any text."""
    if numbered is None:
        numbered = numbered_values(loaded)
    return _written_out(numbered), agreed_numbers(loaded, numbered)


def value_screen(doc: Document, written_out: _WrittenOut | None, numbers: Numbers | None,
                 placeholders: tuple[Problem, ...] = (), joined_count: tuple[str, int] | None = None) -> Screen:
    """One pass over a document's texts: most files name no value and type none out, and one
    search of all their texts at once says so (no value's text holds a NUL, so no match spans
    two texts). joined_count: the texts as joined_texts gives them, when the caller has them."""
    joined, count = joined_count or joined_texts(doc.data)
    named = "[[" in joined
    return Screen(written=len(joined) - count + 1 if count else 0, named=named,
                  retyped=written_out is not None and written_out.any_in(joined),
                  typed=numbers is not None and numbers.any_in(joined),
                  quoted='"' in joined or "\u201c" in joined, placeholders=placeholders,
                  names=named_in(joined) if named else ())


def _too_long(doc: Document, size: int, written: int) -> Problem:
    if size > MAX_EXPANDED_CHARS:
        return doc.problem(VALUES_TOO_LONG, (), f"the texts of this file, with every named value written out, are "
                           f"longer than {MAX_EXPANDED_CHARS:,} characters: name fewer values, or shorten them")
    return doc.problem(VALUES_TOO_LONG, (), f"the texts of this file, with every named value written out (each name "
                       f"counting {REFERENCE_COST} characters more, for its link), are {size:,} characters: more than "
                       f"{EXPANSION_FACTOR} times their {written:,} characters as written, plus "
                       f"{EXPANSION_ALLOWANCE:,}; name fewer values, or shorter ones, so that the pages do not "
                       "grow faster than the file")


class _WrittenOut:
    """The values worth naming when they are typed out: a number with its unit ("20 percent",
    "10 business days"), not a bare number, which means many things. Found with one Aho-Corasick
    automaton built once, in one pass over a text whatever the number of values or the prefixes
    they share (an alternation of every value in one regular expression tried each value at each
    position). At each place the longest value is taken; it counts when it stands alone: not
    inside a word or a number ("110 percent", "10 percents", "10 percent.5")."""

    def __init__(self, ids: dict[str, list[str]]) -> None:
        self.values = list(ids)
        self.ids = ids
        self.automaton = ahocorasick_rs.AhoCorasick(self.values, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    def any_in(self, text: str) -> bool:
        return next(self.find(text), None) is not None

    def find(self, text: str) -> Iterator[str]:
        for index, start, end in self.automaton.find_matches_as_indexes(text):
            if start and (text[start - 1].isalnum() or text[start - 1] in "_.,"):
                continue
            if end < len(text) and (text[end].isalnum() or text[end] == "_" or (
                    text[end] in ".," and end + 1 < len(text) and text[end + 1].isdigit())):
                continue
            yield self.values[index]


def _written_out(texts: dict[str, str]) -> _WrittenOut | None:
    ids: dict[str, list[str]] = {}
    for id, value in texts.items():
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            ids.setdefault(value, []).append(id)
    return _WrittenOut(ids) if ids else None


def _retyped(doc: Document, path: Path_, text: str, written_out: _WrittenOut) -> Iterator[Problem]:
    """A warning for each agreed value typed out in a text instead of named."""
    for value in written_out.find(text):
        named = " or ".join(f"[[{id}]]" for id in written_out.ids[value])
        yield doc.problem(VALUE_TYPED_OUT, path, f"'{shorten(value)}' is an agreed value, written out here: if "
                          f"this is {named}, write {named} instead, so that it changes in one place")


def _unknown(name: str, values: dict[str, Any], index: Index) -> str:
    message = f"'[[{shorten(name)}]]' is not a named value"
    if not values:
        return message + ": declare it under values in playbook.yaml, or write the value out"
    hint = index.hint(name, values)
    return message + (hint or ": declare it under values in playbook.yaml, or use one that is declared there")


def _malformed(inside: str, values: dict[str, Any]) -> str:
    shown = f"'[[{shorten(inside)}]]'"
    guess = "-".join(re.findall(r"[^\W_]+", inside.lower()))
    if guess in values:
        return f"{shown} is not how a named value is written: write [[{guess}]]"
    return (f"{shown} is not a reference to a named value: name one by its id, in lower-case letters, digits "
            f"and single hyphens, e.g. {EXAMPLE}")
