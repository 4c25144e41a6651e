"""Checking: every rule a playbook must meet, one module per family, each rule with an id, a level
and a documented example."""
