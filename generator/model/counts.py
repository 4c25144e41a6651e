"""How many entities of each kind, as summaries name them: on its own, so that `playbook validate`
counts the files it checked without importing the model."""

from __future__ import annotations

# The kinds of entity as the summary names them, in its order.
COUNTED = ("stages", "lifecycle states", "handoffs", "terms", "personas", "assets", "metrics")


def named_counts(numbers: list[int]) -> dict[str, int]:
    """How many entities of each kind, given in the order of COUNTED."""
    return dict(zip(COUNTED, numbers, strict=True))
