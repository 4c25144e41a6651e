"""The Rules page: every rule of the checks with its id, its level in this playbook, whether a
company may change it, what it checks and why, and a failing and a passing example. And the list
of rules that the hand-written "How to propose a change" page shows where it says
`<!-- playbook:rules -->`, each linked to its place on the Rules page.

The documentation is the generator's own text, not the playbook's, but it is still written out as
escaped HTML (code spans as `<code>`), so nothing in it is read as Markdown or HTML: a rule's
example may hold any character YAML allows.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator, Mapping

from ...rules.registry import Example, RuleDoc, documented
from ...source.problems import OFF
from ..urls import relative_url

RULES_PAGE = "rules.md"
RULES_MARKER = "<!-- playbook:rules -->"
# The heading of each family of rules, by the module that declares them, in the registry's order.
FAMILY_TITLES = {
    "file_rules": "Files", "yaml_rules": "YAML", "schema_rules": "Fields", "entries": "Entries",
    "references": "References between entries", "funnel": "The lifecycle", "reasons": "Reasons",
    "contradictions": "Contradictions between entries",
    "value_references": "Agreed values in texts", "value_declarations": "Agreed values",
    "placeholders": "Placeholders", "wording": "Words for the buyer", "agreement": "Agreement",
    "freshness": "Dates that go stale", "coverage": "Coverage", "codeowners": "Reviewers", "levels": "Rule levels",
    "signoff": "Sign-off on a change",
}
_CODE = re.compile(r"`([^`]+)`")
_LIST_ITEM = re.compile(r"^[-*] ")


def rules_markdown(levels: Mapping[str, object]) -> str:
    """The Rules page's body (after its title): the families in order, each rule under a heading
    whose anchor is its id. `levels` are the levels playbook.yaml sets (`rules:`), by id.

    Made once for the same levels: it reads every rule's documentation and examples, which took
    a tenth of a second at every rebuild under `mkdocs serve` (a level that is not text changes
    nothing on the page, and is left out of what it is made for)."""
    return _rules_markdown(tuple(sorted((id, level) for id, level in levels.items()
                                        if isinstance(id, str) and isinstance(level, str))))


@functools.lru_cache(maxsize=8)
def _rules_markdown(set_levels: tuple[tuple[str, str], ...]) -> str:
    levels = dict(set_levels)
    out = ["<p>" + _inline(
        "Every message of `playbook validate`, of the checks on a pull request and of the site's build "
        "ends with the id of the rule that found it, such as `[review-overdue]`. Each rule is described "
        "below, with a file that fails it and one that passes. `playbook rules ID` prints the same "
        "description in a terminal. A company may change the level of a rule marked \"can be changed\", "
        "or turn it off, under `rules` in playbook.yaml, which both teams approve like any other change; "
        "the other rules protect the site or the agreement and cannot be changed.") + "</p>", ""]
    family = None
    for doc in documented():
        if doc.family != family:
            family = doc.family
            out += [f"## {FAMILY_TITLES.get(family, family.replace('_', ' ').capitalize())}", ""]
        out += [f"### {doc.rule.id} {{ #{doc.rule.id} }}", "", *_rule_html(doc, levels.get(doc.rule.id)), ""]
    return "\n".join(out)


def rules_list(page: str, directory_urls: bool = True) -> str:
    """Every rule's id, linked to its place on the Rules page, with its default level and what it
    looks for: an HTML list, for the marker on a hand-written page."""
    items = []
    for doc in documented():
        url = relative_url(page, f"{RULES_PAGE}#{doc.rule.id}", directory_urls)
        items.append(f'<li><a href="{html.escape(url, quote=True)}"><code>{doc.rule.id}</code></a> '
                     f"({doc.rule.level}): {html.escape(doc.rule.summary)}</li>")
    return '<ul class="pb-rule-list">\n' + "\n".join(items) + "\n</ul>"


def _rule_html(doc: RuleDoc, level: object) -> Iterator[str]:
    rule = doc.rule
    facts = [f"<strong>{rule.level.capitalize()}</strong> by default"]
    if isinstance(level, str) and level != rule.level:
        facts.append("off in this playbook" if level == OFF else f"{html.escape(level)} in this playbook")
    if rule.on_change:
        facts.append("checked on a change")
    facts.append("can be changed" if rule.adjustable else "cannot be changed: " + _inline(rule.fixed))
    yield '<div class="pb-rule">'
    yield f'<p class="pb-rule-facts">{" · ".join(facts)}</p>'
    yield f"<p><em>{_inline(rule.summary[:1].upper() + rule.summary[1:])}</em></p>"
    yield from _blocks(doc.explanation)
    for example in doc.examples:
        yield from _example(example)
    if rule.test and not any(not e.passes for e in doc.examples):
        yield f"<p>Its failing case is tested in <code>{html.escape(rule.test)}</code>.</p>"
    yield "</div>"


def _example(example: Example) -> Iterator[str]:
    verdict = "Passes" if example.passes else "Fails"
    for n, file in enumerate(example.files):
        how = "with these fields in" if file.fields else "in"
        lead = verdict if n == 0 else "And"
        # Each line break is written as a character reference, so the block is one line of HTML:
        # no blank line in an example can end the raw HTML block early.
        code = html.escape(file.text.rstrip("\n")).replace("\n", "&#10;")
        yield (f'<p class="pb-example-{"pass" if example.passes else "fail"}"><strong>{lead}</strong>, {how} '
               f"<code>{html.escape(file.path)}</code>:</p>")
        yield f'<pre class="pb-example"><code class="language-yaml">{code}</code></pre>'


def _blocks(text: str) -> Iterator[str]:
    """Paragraphs (separated by blank lines) and lists (lines starting with "- ") as HTML."""
    for block in text.split("\n\n"):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        first_item = next((n for n, line in enumerate(lines) if _LIST_ITEM.match(line)), len(lines))
        if first_item:
            yield f"<p>{_inline(' '.join(lines[:first_item]))}</p>"
        if first_item < len(lines):
            yield "<ul>" + "".join(f"<li>{_inline(item)}</li>" for item in _items(lines[first_item:])) + "</ul>"


def _items(lines: list[str]) -> list[str]:
    items: list[str] = []
    for line in lines:
        if _LIST_ITEM.match(line):
            items.append(line[2:])
        elif items:
            items[-1] += " " + line
    return items


def _inline(text: str) -> str:
    """Escaped text with its `code spans` as <code>."""
    parts = _CODE.split(" ".join(text.split()))
    return "".join(f"<code>{html.escape(part)}</code>" if i % 2 else html.escape(part) for i, part in enumerate(parts))
