"""How a file of the playbook is named to the person reading a message, and whether a path lies
in a folder: the few path helpers every part of the generator uses."""

from __future__ import annotations

import os
from pathlib import Path


def display_path(path: Path) -> str:
    """The path as the user should see it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def within(path: Path, folder: Path) -> bool:
    """Whether path is folder or lies under it (both resolved alike)."""
    return path == folder or folder in path.parents
