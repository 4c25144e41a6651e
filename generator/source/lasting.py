"""What a command keeps until its process ends, where the process ends at once (`playbook`, whose
process ends with os._exit once its output is out: commands/cli.py). Freeing what a large playbook
was read into, one object at a time, took a fiftieth of a second at 10,000 files, while the person
waited for the command to end, and served nobody. Anywhere else (the plugin, a program importing
the package, the tests), nothing is kept: what is handed here is freed as usual."""

from __future__ import annotations

_KEPT: list[object] | None = None


def until_exit() -> None:
    """From now on, what keep() is given lives until the process ends. Only for a process that
    ends with os._exit soon after, which frees nothing one object at a time."""
    global _KEPT
    if _KEPT is None:
        _KEPT = []


def keep(value: object) -> None:
    """value kept until the process ends, where until_exit() was called; else nothing."""
    if _KEPT is not None:
        _KEPT.append(value)
