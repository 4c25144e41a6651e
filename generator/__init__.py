"""The agreed sales playbook as code: load, validate and render the playbook's YAML sources."""

from .errors import PlaybookError, Problem
from .model import Playbook
from .validate import build_playbook, check

__all__ = ["Playbook", "PlaybookError", "Problem", "build_playbook", "check"]
