"""Agreed values computed from other values (`compute`), conditions a value must meet (`holds`),
and numbers typed in a text that equal a value: each change the issue names is caught, in a copy
of the default playbook, at the file and line to fix, with the number to write."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO

from generator.model.build import build_playbook
from generator.rules.validate import check
from generator.source.numbers import text_amount, text_quantity
from generator.source.problems import Problem


@pytest.fixture
def playbook(tmp_path: Path) -> Path:
    """A copy of the default playbook."""
    root = tmp_path / "playbook"
    shutil.copytree(REPO / "playbook", root)
    return root


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (relative, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def add_values(root: Path, items: str) -> None:
    """New values at the top of the list in playbook.yaml."""
    edit(root, "playbook.yaml", "\nvalues:\n", "\nvalues:\n" + items)


def line_of(root: Path, relative: str, pattern: str, after: str | None = None) -> int:
    """The number of the first line matching pattern (after the first line holding `after`)."""
    lines = (root / relative).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i in range(start, len(lines)) if re.search(pattern, lines[i])) + 1


def problems(root: Path, level: str | None = None) -> list[Problem]:
    found = check(root, root / "no-docs")[1]
    return [p for p in found if level is None or p.severity == level]


def errors(root: Path) -> list[Problem]:
    return problems(root, "error")


def warnings(root: Path) -> list[Problem]:
    dated = ("review-overdue", "asset-withdrawn", "asset-expiring")
    return [p for p in problems(root, "warning") if p.rule not in dated]


# The default playbook ----------------------------------------------------------------------------


def test_the_default_playbook_computes_its_targets_and_its_example() -> None:
    values = build_playbook(REPO / "playbook").values
    assert values["pipeline-target"] == "USD 3,000,000" and values["pipeline-coverage"] == "4 times"
    assert values["speed-to-lead-target"] == "1 hour"
    assert (values["example-fit-score"], values["example-engagement-score"], values["example-lead-score"]) == \
        ("50", "20", "70")


def test_a_bare_number_is_an_amount_but_not_a_quantity() -> None:
    assert text_amount("4 times") == text_amount("4") == ("number", "", 4.0)
    assert text_amount("750,000 US dollars") == ("money", "USD", 750000.0)
    assert text_quantity("4 times") is None and text_quantity("60") is None
    assert text_amount("6 touches over 14 days") is None and text_amount("four times") is None


# The three changes of the issue ------------------------------------------------------------------


def test_a_lowered_bookings_target_is_caught_at_the_pipeline_target(playbook: Path) -> None:
    edit(playbook, "playbook.yaml", "value: 750,000 US dollars", "value: 500,000 US dollars")
    [error] = errors(playbook)
    assert (error.file, error.line, error.path, error.rule) == (
        str(playbook / "metrics" / "pipeline-created.yaml"),
        line_of(playbook, "metrics/pipeline-created.yaml", r"^  value: 3000000$", after="target:"),
        "target.value", "value-computed-differs")
    assert error.message == (
        "the target of shared goal pipeline-created is USD 3,000,000, but pipeline-target is computed as "
        "bookings-target (500,000 US dollars) × pipeline-coverage (4 times) = USD 2,000,000: set target.value to "
        "2000000, or change the computation")
    # Written as the message says, the playbook is right again.
    edit(playbook, "metrics/pipeline-created.yaml", "value: 3000000", "value: 2000000")
    assert errors(playbook) == []


def test_a_slower_first_touch_is_caught_at_the_speed_to_lead_target(playbook: Path) -> None:
    edit(playbook, "handoffs/mql-to-sal.yaml", "service_level:\n  within: 1\n", "service_level:\n  within: 4\n")
    found = errors(playbook)
    assert [p.rule for p in found] == ["value-computed-differs"], [str(p) for p in found]
    [error] = found
    assert (error.file, error.line, error.path) == (
        str(playbook / "metrics" / "speed-to-lead.yaml"),
        line_of(playbook, "metrics/speed-to-lead.yaml", r"^  value: 1$", after="target:"), "target.value")
    assert error.message == (
        "the target of shared goal speed-to-lead is 1 hour, but speed-to-lead-target is computed as mql-first-touch "
        "(4 business hours) in hours = 4 hours: set target.value to 4, or change the computation")


def test_a_raised_mql_threshold_is_caught_in_the_lead_score_example(playbook: Path) -> None:
    edit(playbook, "playbook.yaml", "- id: mql-threshold\n    value: \"60\"", "- id: mql-threshold\n    value: \"75\"")
    [error] = errors(playbook)
    assert (error.file, error.line, error.path, error.rule) == (
        str(playbook / "playbook.yaml"),
        line_of(playbook, "playbook.yaml", r"holds: \{at_least: mql-threshold\}", after="id: example-lead-score"),
        error.path, "value-condition-fails")
    assert re.fullmatch(r"values\[\d+\]\.holds\.at_least", error.path)
    assert error.message == (
        "example-lead-score is 70 (example-fit-score (50) + example-engagement-score (20)), but it must be at least "
        f"mql-threshold, which is 75; the text that names it, in {playbook / 'terms' / 'lead-score.yaml'} (example), "
        "says otherwise: change it, or the values")
    # An example that no longer makes the fit score is caught at its own value.
    edit(playbook, "playbook.yaml", "- id: fit-score-min\n    value: \"25\"", "- id: fit-score-min\n    value: \"55\"")
    found = errors(playbook)
    assert any(p.message.startswith("example-fit-score is 50 (") and "must be at least fit-score-min, which is 55;"
               in p.message for p in found), [p.message for p in found]
    assert sorted(p.message.split(",")[0] for p in found) == [
        "example-fit-score is 50 (fit-points-company-size (20) + fit-points-finance-role (15) + fit-points-erp (10) "
        "+ fit-points-country (5))",
        "example-lead-score is 70 (example-fit-score (50) + example-engagement-score (20))"]


# A number typed where a value could be named -----------------------------------------------------


def test_a_number_typed_in_a_text_that_equals_a_value_is_a_warning(playbook: Path) -> None:
    relative = "terms/lead-score.yaml"
    edit(playbook, relative, "  together.\n", "  together. Sales must create USD 3,000,000, $3,000,000 or "
                                              "3,000,000 US dollars of pipeline (3,000,000 in all), within 1 hour, "
                                              "for 60 leads.\n")
    found = warnings(playbook)
    line = line_of(playbook, relative, r"^definition:")
    assert {(p.file, p.line, p.path) for p in found} == {(str(playbook / relative), line, "definition")}
    said = {(p.rule, p.message.split("'")[1]) for p in found}
    assert said == {("value-typed-out", "USD 3,000,000"), ("value-number-typed-out", "$3,000,000"),
                    ("value-number-typed-out", "3,000,000 US dollars"), ("value-number-typed-out", "3,000,000"),
                    ("value-typed-out", "1 hour")}, said
    dollars = next(p for p in found if "'$3,000,000'" in p.message)
    assert dollars.message == ("'$3,000,000' equals an agreed value (pipeline-target is USD 3,000,000): if this is "
                               "[[pipeline-target]], write [[pipeline-target]] instead, so that it changes with the "
                               "value")
    # "60" equals the MQL threshold, but a bare number under 1,000 is not taken for a value.
    assert not any("'60'" in p.message for p in found)


def test_the_default_playbook_names_every_number_it_could(playbook: Path) -> None:
    assert warnings(playbook) == [] and errors(playbook) == []


# Mistakes in a computation -----------------------------------------------------------------------


def test_every_mistake_in_a_computation_is_told_at_once(playbook: Path) -> None:
    add_values(playbook, """\
  - id: unknown-operand
    compute: {multiply: [bookings-targe, pipeline-coverage]}
  - id: mixed-kinds
    compute: {add: [bookings-target, mql-first-touch]}
  - id: two-quantities
    compute: {multiply: [bookings-target, bookings-target]}
  - id: cycle-a
    compute: {add: [cycle-b, mql-threshold]}
  - id: cycle-b
    compute: {add: [cycle-a, mql-threshold]}
  - id: after-the-cycle
    compute: {add: [cycle-a, mql-threshold]}
  - id: not-a-number
    compute: {add: [company-size-rule, mql-threshold]}
  - id: no-conversion
    compute: {convert: mql-first-touch, to: days}
  - id: two-operations
    compute: {add: [mql-threshold, mql-threshold], multiply: [mql-threshold, mql-threshold]}
""")
    found = errors(playbook)
    lines = [f"{p.line}: {p.path}: {p.message} [{p.rule}]" for p in found]
    at = {id: line_of(playbook, "playbook.yaml", "compute:", after=f"- id: {id}") for id in (
        "unknown-operand", "mixed-kinds", "two-quantities", "cycle-a", "cycle-b", "not-a-number", "no-conversion",
        "two-operations")}
    expected = [
        f"{at['unknown-operand']}: values[0].compute.multiply[0]: 'bookings-targe' is not a named value (did you mean "
        "'bookings-target'?) [unknown-reference]",
        f"{at['mixed-kinds']}: values[1].compute.add: cannot add 'mql-first-touch' (a time in business hours) to "
        "'bookings-target' (an amount in USD): add amounts of one kind and unit only [value-compute-invalid]",
        f"{at['two-quantities']}: values[2].compute.multiply: cannot multiply 'bookings-target' (an amount in USD) by "
        "'bookings-target' (an amount in USD): multiply a quantity only by numbers, such as \"4 times\" "
        "[value-compute-invalid]",
        f"{at['cycle-a']}: values[3].compute: 'cycle-a' is computed from itself: cycle-a → cycle-b → cycle-a; compute "
        "it from values that are not computed from it [value-compute-invalid]",
        f"{at['cycle-b']}: values[4].compute: 'cycle-b' is computed from itself: cycle-b → cycle-a → cycle-b; compute "
        "it from values that are not computed from it [value-compute-invalid]",
        f"{at['not-a-number']}: values[6].compute.add[0]: 'company-size-rule' is '200 or more employees or at least "
        "500 supplier invoices a m…', which is not a number a computation can read: write it as a number "
        "(\"4\", \"4 times\"), a time (\"2 business days\"), a percentage (\"25%\") or an amount of money "
        "(\"USD 750,000\") [value-compute-invalid]",
        f"{at['no-conversion']}: values[7].compute.to: cannot convert 'mql-first-touch' from business hours to "
        "days: the conversions are days to hours, hours to days, and business hours to hours (the same number) "
        "[value-compute-invalid]",
        f"{at['two-operations']}: values[8].compute: names add and multiply: name one operation, and write the other "
        "as a value of its own [value-compute-invalid]",
    ]
    assert sorted(lines) == sorted(expected), lines
    # A value computed from a cycle is not told again; the playbook is not built.
    assert not any("after-the-cycle" in line for line in lines)


def test_a_value_written_out_and_computed_is_refused_by_the_schema(playbook: Path) -> None:
    add_values(playbook, "  - id: both\n    value: \"4\"\n    compute: {add: [mql-threshold, mql-threshold]}\n")
    [error] = errors(playbook)
    assert error.rule == "unknown-field" and error.path == "values[0].value"
    assert error.message == "unknown field 'value' (allowed: id, from, compute, holds, description)"


def test_a_long_cycle_and_many_values_are_computed_without_recursion(playbook: Path) -> None:
    count = 1000
    chain = "".join(f"  - id: step-{i}\n    compute: {{add: [step-{i + 1}, mql-threshold]}}\n" for i in range(count))
    add_values(playbook, chain + f"  - id: step-{count}\n    compute: {{add: [step-0, mql-threshold]}}\n")
    found = errors(playbook)
    assert len(found) == count + 1 and {p.rule for p in found} == {"value-compute-invalid"}
