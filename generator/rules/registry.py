"""Every rule, in one registry: the reading rules of generator/source/, each family of rules
here, and the rules a change is checked against. `playbook rules` lists them; a page of the site
can be made from `documented()`.

A rule's documentation (`Rule.doc`) says what it checks and why, then gives its examples, each
under a line of its own:

    Fails, in `playbook/terms/deal.yaml`:          the whole file, as the example writes it
    Passes, with these fields in `playbook/playbook.yaml`:
                                                   these fields set in that file, the rest as it was
    And in `.github/CODEOWNERS`:                   another file of the same example

followed by a blank line and the file's text, indented by four spaces. Paths are from the
repository's top. A rule whose failing input is no short file (a file over 1 MB, a link) says so
in words, and names its test (`Rule.test`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..source import file_rules, schema_rules, yaml_rules
from ..source.problems import Rule
from . import (
    agreement,
    codeowners,
    computed_checks,
    contradictions,
    coverage,
    entries,
    freshness,
    funnel,
    levels,
    placeholders,
    reason_lists,
    reasons,
    references,
    signoff,
    teams,
    value_declarations,
    value_references,
    wording,
)

# The families, in the order the rules are listed: reading a file, then what it holds, then the
# playbook as a whole, then its agreements and what a change must carry.
FAMILIES = (file_rules, yaml_rules, schema_rules, entries, references, teams, funnel, reasons, reason_lists,
            contradictions, value_references, value_declarations, computed_checks, placeholders, wording, agreement,
            freshness, coverage, codeowners, levels, signoff)
RULES: tuple[Rule, ...] = tuple(rule for family in FAMILIES for rule in family.RULES)
BY_ID = {rule.id: rule for rule in RULES}


def find(id: str) -> Rule | None:
    """The rule with this id, or None."""
    return BY_ID.get(id)


@dataclass(frozen=True)
class ExampleFile:
    """One file of an example: its path from the repository's top, and its text; with `fields`,
    the text is fields set in that file (the others as they were), else the whole file."""

    path: str
    text: str
    fields: bool


@dataclass(frozen=True)
class Example:
    """A failing (passes=False) or passing example: the files it writes."""

    passes: bool
    files: tuple[ExampleFile, ...]


@dataclass(frozen=True)
class RuleDoc:
    """What a page about a rule shows: the rule (id, level, whether it can be changed and why,
    summary), its family, what it checks and why (the documentation before the examples), and
    its examples, parsed."""

    rule: Rule
    family: str
    explanation: str
    examples: tuple[Example, ...]


_HEADER = re.compile(r"^(Fails|Passes|And),? (in|with these fields in) `([^`]+)`:$")
_INDENT = "    "


def examples(rule: Rule) -> tuple[Example, ...]:
    """The examples in a rule's documentation, in order."""
    found: list[Example] = []
    lines = rule.text.split("\n")
    i = 0
    while i < len(lines):
        match = _HEADER.match(lines[i])
        i += 1
        if match is None:
            continue
        block: list[str] = []
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith(_INDENT)):
            block.append(lines[i][len(_INDENT):])
            i += 1
        text = "\n".join(block).strip("\n") + "\n"
        file = ExampleFile(match.group(3), text, match.group(2) != "in")
        if match.group(1) == "And" and found:
            found[-1] = Example(found[-1].passes, (*found[-1].files, file))
        else:
            found.append(Example(match.group(1) == "Passes", (file,)))
    return tuple(found)


def explanation(rule: Rule) -> str:
    """What a rule checks and why: its documentation up to its first example."""
    lines = rule.text.split("\n")
    first = next((i for i, line in enumerate(lines) if _HEADER.match(line)), len(lines))
    return "\n".join(lines[:first]).strip()


def documented() -> list[RuleDoc]:
    """Every rule, in the registry's order (by family, then as each family declares them), with
    what a page about it needs."""
    return [RuleDoc(rule, family.__name__.rsplit(".", 1)[-1], explanation(rule), examples(rule))
            for family in FAMILIES for rule in family.RULES]
