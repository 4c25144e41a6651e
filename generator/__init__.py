"""The agreed sales playbook as code: load, validate and render the playbook's YAML sources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model.build import build_playbook
    from .model.playbook import Playbook
    from .rules.validate import check
    from .source.problems import PlaybookError, Problem

__all__ = ["Playbook", "PlaybookError", "Problem", "build_playbook", "check"]

# Where each name is defined: imported when first asked for, so that a command imports only what
# it uses (`playbook validate` needs no model of the playbook).
_WHERE = {"Playbook": ".model.playbook", "PlaybookError": ".source.problems", "Problem": ".source.problems",
          "build_playbook": ".model.build", "check": ".rules.validate"}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_WHERE[name], __name__), name)
