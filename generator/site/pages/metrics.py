"""The Shared goals page: a goal's target and values in the goal's own unit (the `target` and
`measure` filters; the onboarding page names the targets too)."""

from __future__ import annotations

from ...model.entities import Metric
from ...source.numbers import measure


def target(metric: Metric) -> str:
    """'at least USD 3,000,000', 'at most 1 hour', 'at least 30%'."""
    words = "at least" if metric.target.direction == "at-least" else "at most"
    return f"{words} {in_unit(metric, metric.target.value)}"


def in_unit(metric: Metric, value: float) -> str:
    """A value in the goal's unit: 'USD 3,000,000', '1 hour', '30%'."""
    return measure(metric.unit, metric.currency, value)
