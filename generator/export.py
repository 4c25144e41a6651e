"""Placeholder: replaced by the real module."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(commands: Any) -> None:
    """Add this module's subcommand(s) to the `playbook` command's subparsers."""


def run(args: argparse.Namespace) -> int:
    return 0
