"""How a place in a playbook file is named in a message: the path of fields to it, and its
line and column; and values shortened to fit a message."""

from __future__ import annotations

import re

Path_ = tuple[str | int, ...]
Position = tuple[int, int]


def format_path(path: Path_) -> str:
    """('stages', 0, 'name') -> 'stages[0].name'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            out += ("." if out else "") + part
        else:  # a key with spaces or odd characters is quoted, so the path reads unambiguously
            out += "['" + shorten(part, 40) + "']"
    return out


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")


def shorten(text: str, limit: int = 60) -> str:
    """Text for a message: at most `limit` characters, with an ellipsis where it was cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
