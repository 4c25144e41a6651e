"""The agreed sales playbook as code: load, validate and render the playbook's YAML sources."""

from .model.build import build_playbook
from .model.playbook import Playbook
from .rules.validate import check
from .source.problems import PlaybookError, Problem

__all__ = ["Playbook", "PlaybookError", "Problem", "build_playbook", "check"]
