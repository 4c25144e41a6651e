"""`python -m generator` runs the `playbook` command."""

from .commands.cli import run

run()
