"""The change as Markdown, for a pull request's comment and the run's summary: a headline, what
needs both teams, then one section per entry with every changed field whole and, in a changed
text, the removed words struck through and the added words in bold.

Every text in it (labels, values, file names) comes from files anyone can edit. Each is written
by `md`: every ASCII punctuation mark backslash-escaped, so it makes no link, image, HTML,
emphasis or heading; and a word joiner after `@` and `#`, so GitHub finds no mention, e-mail
address or issue reference in it. The only Markdown is the generator's own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..source.problems import Problem, printable
from .diff import IMPACT_SHOWN, KIND_NAMES, VALUE_IMPACT_SHOWN, Change
from .fielddiff import FieldChange, field_label
from .worddiff import Segment

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# After these, GitHub looks for a mention, an e-mail address or an issue number: U+2060 WORD
# JOINER (invisible, and not a letter or digit) stops it.
_JOINER = "\u2060"
LEGEND = "In changed texts, removed words are ~~struck through~~ and added words are **in bold**; … stands " \
         "for sentences that did not change."
PROBLEMS_SHOWN = 20


def md(text: str) -> str:
    """Untrusted text as inert Markdown on one line."""
    escaped = _PUNCTUATION.sub(r"\\\1", printable(" ".join(text.split())))
    return escaped.replace("@", "@" + _JOINER).replace("#", "#" + _JOINER)


def segments_md(segments: Sequence[Segment]) -> str:
    """A word diff as Markdown: kept words plain, removed ~~struck~~, added **bold**, gaps …."""
    parts = []
    for kind, text in segments:
        if kind == "gap":
            parts.append("…")
        elif kind == "removed":
            parts.append(f"~~{md(text)}~~")
        elif kind == "added":
            parts.append(f"**{md(text)}**")
        else:
            parts.append(md(text))
    return " ".join(parts)


def field_md(change: FieldChange) -> str:
    """One field's change, whole: word by word for a text, else both sides in words."""
    shown = segments_md(change.segments()) if change.is_text else md(change.words)
    if change.through:
        shown += " (shown through the agreed value " + ", ".join(f"'{md(n)}'" for n in change.through) \
            + ", whose text changed)"
    return shown


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


def _both_teams(changes: list[Change]) -> list[str]:
    """What this change asks of the two teams, in a paragraph."""
    owned = [c for c in changes if c.both_teams]
    if not owned:
        return []
    kinds: dict[str, int] = {}
    for change in owned:
        kinds[change.kind] = kinds.get(change.kind, 0) + 1
    listed = ", ".join(_count(n, KIND_NAMES[k][0].lower(), KIND_NAMES[k][1]) for k, n in kinds.items())
    text = (f"**Both teams approve this change**: it changes what both teams own ({listed}). It needs an "
            "approving review of the latest commit from a person listed for sales and one listed for marketing")
    if any(c.needs_signoff for c in owned):
        text += ("; each agreed definition added or changed carries their names and the day they agreed in "
                 "`agreed_by`")
    return [text + ".", ""]


def _title(change: Change) -> str:
    entry = change.entry
    title = f"{KIND_NAMES[change.kind][0]}: {md(entry.label)}"
    if change.status == "renamed":
        assert change.old is not None
        title += f" (renamed from {md(change.old.id)} to {md(entry.id)})"
    elif change.status != "changed":
        title += f" ({change.status})"
    if change.agreed:
        title += " · **agreed definition**"
    elif change.both_teams:
        title += " · **owned by both teams**"
    return f"### {title}"


def _fields(change: Change) -> list[str]:
    prefix = md(change.entry.label)
    if change.kind == "value":  # "Agreed values › discount-ae-max: '10 percent' → '12 percent'"
        prefix = f"{md(KIND_NAMES['value'][1].capitalize())} › {prefix}"
    lines = []
    for item in change.fields:
        path: tuple[Any, ...] = item.path
        if change.kind == "value":
            path = path[1:] if path[:1] == ("value",) else path
        where = f"{prefix} › {md(field_label(path))}" if path else prefix
        lines.append(f"- {where}: {field_md(item)}")
    return lines + [""] if lines else []


def _impact(change: Change) -> list[str]:
    if not change.impact:
        return []
    total = sum(len(v) for v in change.impact.values())
    summary = ", ".join(_count(len(v), KIND_NAMES[k][1].rstrip("s") if len(v) == 1 else KIND_NAMES[k][1],
                               KIND_NAMES[k][1]) for k, v in change.impact.items())
    if change.kind == "value":
        lines = [f"**Impact**: the texts of {summary} ({total} in all) name this value, and show it:", ""]
    else:
        lines = [f"**Impact**: this change touches {summary} ({total} in all):", ""]
    limit = VALUE_IMPACT_SHOWN if change.kind == "value" else IMPACT_SHOWN
    for kind, labels in change.impact.items():
        shown = ", ".join(md(label) for label in labels[:limit])
        more = f", and {len(labels) - limit} more" if len(labels) > limit else ""
        lines.append(f"- {KIND_NAMES[kind][1].capitalize()}: {shown}{more}")
    return lines + [""]


def markdown(changes: list[Change], show_file: bool = True) -> str:
    """A pull-request comment: the headline, what needs both teams, then one section per entry
    with its field changes and its impact. Empty when nothing changed."""
    if not changes:
        return ""
    lines = [f"## {headline(changes)}", "", *_both_teams(changes)]
    if any(f.is_text for c in changes for f in c.fields):
        lines += [LEGEND, ""]
    for change in changes:
        lines += [_title(change), ""]
        if show_file:
            lines += [md(change.entry.doc.display), ""]
        lines += _fields(change) + _impact(change)
    return "\n".join(lines).rstrip() + "\n"


def invalid_markdown(problems: Sequence[Problem]) -> str:
    """What a comment says of a change that does not validate: that it does not, and where, instead
    of a diff of what could be read (which would show part of the change as if it were all)."""
    errors = [p for p in problems if not p.warning]
    lines = [f"## This change does not validate: {_count(len(errors), 'problem', 'problems')}", "",
             "Fix them first (each is marked on its line in the pull request's files); the change is described "
             "here once the playbook validates.", ""]
    for problem in errors[:PROBLEMS_SHOWN]:
        lines.append(f"- {md(problem.file)}, line {problem.line}: {md(problem.message)} (rule `{problem.rule}`)")
    if len(errors) > PROBLEMS_SHOWN:
        lines.append(f"- and {len(errors) - PROBLEMS_SHOWN} more")
    return "\n".join(lines) + "\n"

