"""`python -m generator` runs the `playbook` command."""

from .cli import run

run()
