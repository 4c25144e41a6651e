"""Agreed values taken from a number field: `from: {kind: handoff, id: ..., field: service_level}`
shows the field's number in the words the site uses for it, wherever the value is named; a `from`
that names no such field is a located problem; a value written out that states a number a field
already holds is a warning; a changed number is one change of the value in the diff, with its
impact; the default playbook writes no number twice."""

from __future__ import annotations

import contextlib
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, SITE_CONFIG, make_project, run_mkdocs
from htmltext import Page
from test_values import VALUES, playbook_with_values

from generator.changes.diff import compare
from generator.changes.signoff import Rules, signoff_count, signoff_problems
from generator.commands import cli
from generator.model.build import build_playbook
from generator.model.export import csv_files, export_json
from generator.rules.agreement import signers
from generator.rules.validate import check
from generator.site.render import render_pages
from generator.source.loader import load_playbook
from generator.source.numbers import FIELDS, field_quantity, field_text, text_quantity

# In the mini playbook, the handoff lead-to-won has a service level of 4 business hours, an
# escalation after 1 business day and a follow-up of 5 touches over 10 days; the shared goal
# win-rate has a target of 25 percent and no baseline.
TAKEN = [{"id": "first-touch", "from": {"kind": "handoff", "id": "lead-to-won", "field": "service_level"},
          "description": "How soon the account executive calls a new lead."},
         {"id": "escalate-after", "from": {"kind": "handoff", "id": "lead-to-won", "field": "escalation"}},
         {"id": "cadence", "from": {"kind": "handoff", "id": "lead-to-won", "field": "follow_up"}},
         {"id": "win-target", "from": {"kind": "metric", "id": "win-rate", "field": "target"}}]
NAMING = {("stages/learning.yaml", ("sales_activities", 0)): "Call every new lead within [[first-touch]].",
          ("lifecycle/lead.yaml", ("qualifies", 0)): "Called within [[first-touch]], then [[cadence]].",
          ("terms/contact.yaml", ("definition",)): "Anyone; a lead left for [[escalate-after]] is passed on.",
          ("metrics/win-rate.yaml", ("definition",)): "Share of opportunities won; the target is [[win-target]]."}


def taken_playbook(root: Path, values: list[dict[str, Any]] | None = None, within: int = 4) -> Path:
    """The mini playbook with the values above (and the usual written ones), each named somewhere,
    and the handoff's service level `within` business hours."""
    texts: dict[tuple[str, tuple[str | int, ...]], Any] = {**NAMING, ("handoffs/lead-to-won.yaml",
                                                                       ("service_level", "within")): within}
    return playbook_with_values(root, values=values if values is not None else [*VALUES, *TAKEN], texts=texts)


def validate(root: Path) -> tuple[int, list[str], str]:
    """`playbook validate` through its entry point: exit code, output lines, what went to stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["validate", str(root), "--docs", str(root / "no-docs")])
    return code, out.getvalue().splitlines(), err.getvalue()


def at(root: Path, needle: str, key: str | None = None) -> str:
    """'playbook.yaml:line:column' of the value on the first line holding needle (of the field
    name `key` on that line, when given)."""
    path = root / "playbook.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if needle in line)
    line = lines[number]
    column = line.index(key) if key is not None else line.index(": ") + 2
    return f"{path}:{number + 1}:{column + 1}"


# The words ----------------------------------------------------------------------------------------


def test_each_number_field_reads_as_the_site_says_it() -> None:
    handoff = {"service_level": {"within": 1, "unit": "business-hours"}, "escalation": {"within": 2, "unit": "days"},
               "follow_up": {"touches": 6, "days": 14}}
    assert [field_text("handoff", handoff, f) for f in FIELDS["handoff"]] == \
        ["1 business hour", "2 days", "6 touches over 14 days"]
    assert field_text("handoff", {"follow_up": {"touches": 1, "days": 1}}, "follow_up") == "1 touch over 1 day"
    money = {"unit": "currency", "currency": "USD", "target": {"value": 3000000}, "baseline": {"value": 2350000.5}}
    assert [field_text("metric", money, f) for f in FIELDS["metric"]] == ["USD 3,000,000", "USD 2,350,000.5"]
    assert field_text("metric", {"unit": "percent", "target": {"value": 25}}, "target") == "25%"
    assert field_text("metric", {"unit": "days", "target": {"value": 45}}, "target") == "45 days"
    assert field_text("metric", {"unit": "ratio", "target": {"value": 4.5}}, "target") == "4.5"
    # A field that is missing or not well formed has no words (the schema says what is wrong).
    assert field_text("metric", {"unit": "days", "target": {"value": 45}}, "baseline") is None
    assert field_text("handoff", {"service_level": {"within": "1", "unit": "business-hours"}}, "service_level") is None
    assert field_text("handoff", {"service_level": {"within": True, "unit": "days"}}, "service_level") is None
    assert field_text("stage", {"order": 1}, "order") is None


@pytest.mark.parametrize(("text", "kind", "data", "field"), [
    ("1 business hour", "handoff", {"service_level": {"within": 1, "unit": "business-hours"}}, "service_level"),
    ("within 2 business days", "handoff", {"escalation": {"within": 2, "unit": "business-days"}}, "escalation"),
    ("6 personal touches over 14 days", "handoff", {"follow_up": {"touches": 6, "days": 14}}, "follow_up"),
    ("45 days", "metric", {"unit": "days", "target": {"value": 45}}, "target"),
    ("25 percent", "metric", {"unit": "percent", "target": {"value": 25}}, "target"),
    ("25%", "metric", {"unit": "percent", "baseline": {"value": 25.0}}, "baseline"),
    ("USD 3,000,000", "metric", {"unit": "currency", "currency": "USD", "target": {"value": 3000000}}, "target"),
    ("3,000,000 US dollars", "metric", {"unit": "currency", "currency": "USD", "target": {"value": 3000000}}, "target"),
    ("$3,000,000", "metric", {"unit": "currency", "currency": "USD", "target": {"value": 3000000}}, "target"),
])
def test_a_text_and_a_field_that_state_the_same_quantity(text: str, kind: str, data: dict[str, Any],
                                                         field: str) -> None:
    assert text_quantity(text) is not None
    assert text_quantity(text) == field_quantity(kind, data, field)


@pytest.mark.parametrize(("text", "kind", "data", "field"), [
    ("1 business day", "handoff", {"service_level": {"within": 1, "unit": "business-hours"}}, "service_level"),
    ("1 hour", "handoff", {"service_level": {"within": 1, "unit": "business-hours"}}, "service_level"),
    ("6 touches over 15 days", "handoff", {"follow_up": {"touches": 6, "days": 14}}, "follow_up"),
    ("25 percent", "metric", {"unit": "count", "target": {"value": 25}}, "target"),
    ("EUR 3,000,000", "metric", {"unit": "currency", "currency": "USD", "target": {"value": 3000000}}, "target"),
    ("60", "metric", {"unit": "count", "target": {"value": 60}}, "target"),
    ("up to 45 days", "metric", {"unit": "days", "target": {"value": 45}}, "target"),
])
def test_a_text_and_a_field_that_differ(text: str, kind: str, data: dict[str, Any], field: str) -> None:
    assert text_quantity(text) != field_quantity(kind, data, field) or text_quantity(text) is None


# The site -----------------------------------------------------------------------------------------


def test_a_value_taken_from_a_field_shows_its_number_where_it_is_named(tmp_path: Path) -> None:
    playbook = build_playbook(taken_playbook(tmp_path / "playbook"))
    assert {v: playbook.values[v] for v in ("first-touch", "escalate-after", "cadence", "win-target")} == {
        "first-touch": "4 business hours", "escalate-after": "1 business day", "cadence": "5 touches over 10 days",
        "win-target": "25%"}
    pages = render_pages(playbook)
    assert 'Call every new lead within <a class="pb-value" href="../../values/#value-first-touch">4 business ' \
           'hours</a>&#46;' in pages["stages/learning.md"]
    assert '<a class="pb-value" href="../values/#value-win-target">25&#37;</a>' in pages["metrics.md"]
    values = pages["values.md"]
    first = values.split("{ #value-first-touch }")[1].split("\n## ")[0]
    assert "**4 business hours**" in first
    assert "- **Taken from:** the service level of [Marketing hands a lead to sales](lifecycle.md#lead-to-won) " \
           "(handoff)&#46;" not in first  # the template's own words are not made inert
    assert "- **Taken from:** the service level of [Marketing hands a lead to sales](lifecycle.md#lead-to-won) " \
           "(handoff). Change the number there, and this value changes with it." in first
    assert "How soon the account executive calls a new lead&#46;" in first
    cadence = values.split("{ #value-cadence }")[1].split("\n## ")[0]
    assert "**5 touches over 10 days**" in cadence
    assert "the follow&#45;up of [Marketing hands a lead to sales](lifecycle.md#lead-to-won)" in cadence
    target = values.split("{ #value-win-target }")[1].split("\n## ")[0]
    assert "**25&#37;**" in target and "the target of [Win rate](metrics.md#win-rate) (shared goal)" in target
    # A value written out says nothing of a field.
    assert "Taken from" not in values.split("{ #value-discount }")[1].split("\n## ")[0]


def test_the_built_site_links_a_taken_value_to_its_entry(tmp_path: Path) -> None:
    root = taken_playbook(tmp_path / "source")
    project = make_project(tmp_path / "project", root, SITE_CONFIG)
    built = run_mkdocs(project, "build", "--strict")
    assert built.returncode == 0, built.stdout + built.stderr
    site = project / "site"
    raw = (site / "values" / "index.html").read_text(encoding="utf-8")
    section = Page(raw[raw.index('id="value-first-touch"'):raw.index('id="value-escalate-after"')])
    assert "4 business hours How soon the account executive calls a new lead. Taken from: the service level of " \
           "Marketing hands a lead to sales (handoff). Change the number there, and this value changes with it." \
        in section.text
    assert "../lifecycle/#lead-to-won" in section.links
    target = Page(raw[raw.index('id="value-win-target"'):])
    assert "Taken from: the target of Win rate (shared goal)." in target.text and "../metrics/#win-rate" in target.links
    stage = (site / "stages" / "learning" / "index.html").read_text(encoding="utf-8")
    assert 'Call every new lead within <a class="pb-value" href="../../values/#value-first-touch">4 business ' \
           'hours</a>.' in stage
    lifecycle = Page((site / "lifecycle" / "index.html").read_text(encoding="utf-8")).text
    assert "Called within 4 business hours, then 5 touches over 10 days." in lifecycle


# Validation ---------------------------------------------------------------------------------------


def test_every_mistake_in_a_from_is_reported_at_once_where_it_is(tmp_path: Path) -> None:
    mistakes = [
        {"id": "a-kind", "from": {"kind": "stage", "id": "learning", "field": "service_level"}},
        {"id": "an-id", "from": {"kind": "handoff", "id": "lead-to-wno", "field": "service_level"}},
        {"id": "no-such", "from": {"kind": "handoff", "id": "nothing-like-it", "field": "follow_up"}},
        {"id": "wrong-kind", "from": {"kind": "handoff", "id": "win-rate", "field": "target"}},  # told once
        {"id": "a-field", "from": {"kind": "metric", "id": "win-rate", "field": "service_level"}},
        {"id": "unknown-field", "from": {"kind": "metric", "id": "win-rate", "field": "targets"}},
        {"id": "lacking", "from": {"kind": "metric", "id": "win-rate", "field": "baseline"}},
        {"id": "both", "value": "4 business hours",
         "from": {"kind": "handoff", "id": "lead-to-won", "field": "service_level"}},
        {"id": "neither", "description": "Says nothing."},
    ]
    root = taken_playbook(tmp_path / "playbook", values=[*VALUES, *TAKEN, *mistakes])
    code, lines, err = validate(root)
    assert code == 1 and "Traceback" not in "\n".join(lines) + err
    expected = [
        f"{at(root, 'kind: stage')}: values[7].from.kind: 'stage' is not one of: handoff, metric [not-allowed-value]",
        f"{at(root, 'id: lead-to-wno')}: values[8].from.id: 'lead-to-wno' is not a known handoff (did you mean "
        "'lead-to-won'?) [unknown-reference]",
        f"{at(root, 'id: nothing-like-it')}: values[9].from.id: 'nothing-like-it' is not a known handoff: give the "
        "id of a handoff, the name of its file under handoffs/ [unknown-reference]",
        f"{_nth(root, 'id: win-rate', 1)}: values[10].from.id: 'win-rate' is a shared goal, not a handoff: write kind: "
        "metric [value-from-invalid]",
        f"{_nth(root, 'field: service_level', 3)}: values[11].from.field: 'service_level' is not a number field of a "
        "shared goal: take the value from its target or baseline [value-from-invalid]",
        f"{at(root, 'field: targets')}: values[12].from.field: 'targets' is not one of: service_level, escalation, "
        "follow_up, target, baseline (did you mean 'target'?) [not-allowed-value]",
        f"{at(root, 'field: baseline')}: values[13].from.field: shared goal 'win-rate' has no baseline: add one to "
        f"{root / 'metrics' / 'win-rate.yaml'}, or take the value from its target [value-from-invalid]",
        f"{root / 'playbook.yaml'}:{_key_column(root, 'both', 'value')}: values[14].value: unknown field 'value' "
        "(allowed: id, from, compute, holds, description) [unknown-field]",
        f"{at(root, 'id: neither', key='id')}: values[15]: missing required field 'value' [missing-field]",
    ]
    for line in expected:
        assert line in lines, (line, lines)
    assert len([line for line in lines if ": values[" in line]) == len(expected), lines
    assert err.strip() == f"{len(expected)} problems in {root}; fix them and run again."


def _nth(root: Path, needle: str, n: int) -> str:
    """'file:line:column' of the value on the n-th line (from 0) holding needle."""
    path = root / "playbook.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    number = [i for i, line in enumerate(lines) if needle in line][n]
    return f"{path}:{number + 1}:{lines[number].index(': ') + 3}"


def _key_column(root: Path, id: str, key: str) -> str:
    """'line:column' of the field name `key` in the value item with this id."""
    lines = (root / "playbook.yaml").read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {id}")
    number = next(i for i in range(start + 1, len(lines)) if lines[i].strip().startswith(f"{key}:"))
    return f"{number + 1}:{lines[number].index(key) + 1}"


def test_a_number_written_twice_is_a_warning_at_the_value(tmp_path: Path) -> None:
    twice = [{"id": "first-touch", "value": "4 business hours"},
             {"id": "cadence", "value": "5 quick touches over 10 days"},
             {"id": "win-target", "value": "25 percent"},
             {"id": "by-chance", "value": "1 business day", "independent": True},
             {"id": "other", "value": "3 business hours"}]
    root = taken_playbook(tmp_path / "playbook", values=[*VALUES, *twice,
                                                         {"id": "escalate-after", "value": "the next morning"}])
    code, lines, _ = validate(root)
    assert code == 0, lines
    warnings = [line for line in lines if ": warning: values[" in line]
    assert warnings == [
        f"{at(root, 'value: 4 business hours')}: warning: values[3].value: '4 business hours' is also the service "
        "level of handoff 'lead-to-won': take it from there with from: {kind: handoff, id: lead-to-won, field: "
        "service_level}, so that the number is written once; if the two are equal only by chance, add independent: "
        "true to this value [value-written-twice]",
        f"{at(root, 'value: 5 quick touches')}: warning: values[4].value: '5 quick touches over 10 days' is also the "
        "follow-up of handoff 'lead-to-won': take it from there with from: {kind: handoff, id: lead-to-won, field: "
        "follow_up}, so that the number is written once; if the two are equal only by chance, add independent: true "
        "to this value [value-written-twice]",
        f"{at(root, 'value: 25 percent')}: warning: values[5].value: '25 percent' is also the target of shared goal "
        "'win-rate': take it from there with from: {kind: metric, id: win-rate, field: target}, so that the number "
        "is written once; if the two are equal only by chance, add independent: true to this value "
        "[value-written-twice]",
    ]
    assert lines[-1].startswith("Next: ")
    assert lines[-2].endswith("no problems (3 warnings): 2 stages, 2 lifecycle states, 1 handoff, 2 terms, "
                              "1 persona, 1 asset, 1 metric.")
    # Taken from there, the number is written once and nothing is said.
    fixed = taken_playbook(tmp_path / "fixed")
    assert [line for line in validate(fixed)[1] if "warning" in line] == []


def test_a_value_that_names_the_same_number_in_two_fields_names_both(tmp_path: Path) -> None:
    root = taken_playbook(tmp_path / "playbook", values=[*VALUES, {"id": "day", "value": "1 business day"}],
                          within=1)
    texts = (root / "handoffs" / "lead-to-won.yaml").read_text(encoding="utf-8")
    (root / "handoffs" / "lead-to-won.yaml").write_text(texts.replace("unit: business-hours", "unit: business-days"),
                                                         encoding="utf-8")
    [warning] = [str(p) for p in check(root, root / "no-docs")[1] if p.path.startswith("values[")]
    assert warning.endswith("warning: values[3].value: '1 business day' is also the service level of handoff "
                            "'lead-to-won' (and the escalation of handoff 'lead-to-won'): take it from there with "
                            "from: {kind: handoff, id: lead-to-won, field: service_level}, so that the number is "
                            "written once; if the two are equal only by chance, add independent: true to this value "
                            "[value-written-twice]")


# The diff -----------------------------------------------------------------------------------------


def test_a_changed_number_is_one_change_of_the_value_with_its_impact(tmp_path: Path) -> None:
    before = taken_playbook(tmp_path / "before", within=4)
    after = taken_playbook(tmp_path / "after", within=6)
    changes = compare(build_playbook(before), build_playbook(after))
    # The agreed definition whose text shows the value is changed with it: what both teams agreed
    # to now reads otherwise.
    assert [(c.kind, c.status, c.entry.id) for c in changes] == [("value", "changed", "first-touch"),
                                                                 ("lifecycle", "changed", "lead"),
                                                                 ("handoff", "changed", "lead-to-won")]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["diff", str(before), str(after)]) == 0
    comment = out.getvalue()
    assert comment.startswith("## 3 entries changed in the playbook: 3 changed; 2 agreed definitions among them\n")
    value = comment.split("### Agreed value: first\\-touch · **owned by both teams**\n")[1].split("\n### ")[0]
    assert "- Agreed values › first\\-touch: \\'4 business hours\\' → \\'6 business hours\\'\n" in value
    assert "**Impact**: the texts of 1 stage, 1 lifecycle state (2 in all) name this value, and show it:" in value
    assert "- Stages: Learning \\(sales activities\\)\n" in value
    assert "- Lifecycle states: Lead \\(qualifies\\)\n" in value
    handoff = comment.split("### Handoff: Marketing hands a lead to sales · **agreed definition**\n")[1]
    assert "- Marketing hands a lead to sales › service level: 4 business hours → 6 business hours\n" in handoff
    lead = comment.split("### Lifecycle state: Lead · **agreed definition**\n")[1].split("\n### ")[0]
    assert "(shown through the agreed value 'first\\-touch', whose text changed)" in lead
    assert re.search(r"4 business hours.* → .*6 business hours", lead), lead
    # The stage that names it is not an agreed definition: it is listed once, as the value's impact.
    assert comment.count("### ") == 3 and "### Stage" not in comment


def _rules(root: Path) -> Rules:
    """The sign-off rules of the base playbook at root, judged on the tests' day."""
    settings = load_playbook(root).settings
    return Rules(signers(settings.data if settings else None), date(2026, 11, 23))


def test_an_agreed_definition_showing_a_changed_number_is_agreed_again(tmp_path: Path) -> None:
    before = taken_playbook(tmp_path / "before", within=4)
    after = taken_playbook(tmp_path / "after", within=6)
    changes = compare(build_playbook(before), build_playbook(after))
    lines = [str(p) for p in sorted(signoff_problems(changes, _rules(before)))]
    # The handoff itself, and the lifecycle state whose text shows the value.
    assert signoff_count(changes) == 2 and len(lines) == 2, lines
    assert any(re.search(r"handoffs/lead-to-won\.yaml:\d+:\d+: agreed_by\.date: Handoff 'Marketing hands a lead to "
                         r"sales' was changed \(service level\), and agreed_by still holds the earlier agreement of "
                         r"2026-01-15", line) for line in lines), lines
    assert any(re.search(r"lifecycle/lead\.yaml:\d+:\d+: agreed_by\.date: Lifecycle state 'Lead' was changed "
                         r"\(qualifies\) through the agreed value 'first-touch', and agreed_by still holds the earlier "
                         r"agreement of 2026-01-15", line) for line in lines), lines
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert cli.main(["diff", str(before), str(after), "--check-signoff", "--today", "2026-11-23"]) == 1
    assert out.getvalue().splitlines() == lines
    # Both teams agree again on both: the check passes.
    for root, relative in ((after, "handoffs/lead-to-won.yaml"), (after, "lifecycle/lead.yaml")):
        path = root / relative
        path.write_text(path.read_text(encoding="utf-8").replace("date: '2026-01-15'", "date: '2026-11-23'")
                        .replace("date: 2026-01-15", "date: 2026-11-23"), encoding="utf-8")
    assert signoff_problems(compare(build_playbook(before), build_playbook(after)), _rules(before)) == []


def test_taking_a_written_value_from_its_field_changes_nothing_shown_and_needs_no_signoff(tmp_path: Path) -> None:
    written = [{**v, "value": "4 business hours"} if v["id"] == "first-touch" else v for v in TAKEN]
    del written[0]["from"]
    before = taken_playbook(tmp_path / "before", values=[*VALUES, *written])
    after = taken_playbook(tmp_path / "after")
    changes = compare(build_playbook(before), build_playbook(after))
    [change] = changes
    assert (change.kind, change.entry.id) == ("value", "first-touch")
    assert [f.path for f in change.fields] == [("from",)]  # the text it shows is the same
    # So the lifecycle state whose text shows it need not be agreed again; nor for a new description.
    assert signoff_problems(changes, _rules(before)) == [] and signoff_count(changes) == 0
    described = [{**v, "description": "Said otherwise."} if v["id"] == "first-touch" else v for v in TAKEN]
    again = taken_playbook(tmp_path / "again", values=[*VALUES, *described])
    changes = compare(build_playbook(after), build_playbook(again))
    assert [(c.kind, c.entry.id) for c in changes] == [("value", "first-touch")]
    assert signoff_problems(changes, _rules(before)) == [] and signoff_count(changes) == 0


# Export -------------------------------------------------------------------------------------------


def test_the_export_keeps_from_as_written(tmp_path: Path) -> None:
    root = taken_playbook(tmp_path / "playbook")
    data = export_json(root)
    declared = {v["id"]: v for v in data["playbook"]["values"]}
    assert declared["first-touch"] == TAKEN[0] and declared["win-target"] == TAKEN[3]
    assert "value" not in declared["cadence"]
    sheet = csv_files(data)["playbook.csv"].split("\r\n")
    header, row = sheet[0].split('","'), sheet[1].split('","')
    cells = dict(zip(header, row, strict=True))
    assert cells["values.from.kind"] == " |  |  | handoff | handoff | handoff | metric"
    assert cells["values.from.field"] == " |  |  | service_level | escalation | follow_up | target"


# The default playbook -----------------------------------------------------------------------------


def test_the_default_playbook_writes_no_number_twice() -> None:
    settings = yaml.safe_load((REPO / "playbook" / "playbook.yaml").read_text(encoding="utf-8"))
    fields = {}
    for kind, folder in (("handoff", "handoffs"), ("metric", "metrics")):
        for path in sorted((REPO / "playbook" / folder).glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            for field in FIELDS[kind]:
                quantity = field_quantity(kind, data, field)
                if quantity is not None:
                    fields.setdefault(quantity, []).append(f"{kind} {data['id']} {field}")
    twice = {v["id"]: fields[q] for v in settings["values"] if "value" in v and not v.get("independent")
             and (q := text_quantity(v["value"])) in fields}
    assert twice == {}
    # The numbers the values used to repeat are taken from their fields, in the site's words.
    playbook = build_playbook(REPO / "playbook")
    taken = {v.id: (v.taken_from.kind, v.taken_from.id, v.taken_from.field, v.value) for v in playbook.settings.values
             if v.taken_from is not None}
    assert taken == {
        "mql-first-touch": ("handoff", "mql-to-sal", "service_level", "1 business hour"),
        "sdr-cadence": ("handoff", "mql-to-sal", "follow_up", "6 touches over 14 days"),
        "onboarding-accept-within": ("handoff", "closed-won-to-onboarding", "service_level", "2 business days"),
        "go-live-target": ("metric", "days-to-implement", "target", "45 days"),
        "sales-cycle-target": ("metric", "sales-cycle-length", "target", "75 days"),
        "win-rate-target": ("metric", "win-rate", "target", "25%"),
        "conversion-target": ("metric", "mql-to-sql-conversion", "target", "30%"),
        "pipeline-target": ("metric", "pipeline-created", "target", "USD 3,000,000"),
        # The follow-up cadences the handoffs' rules and the nurture tracks describe.
        "rebook-cadence": ("handoff", "sal-to-sql", "follow_up", "4 touches over 10 days"),
        "recycle-cadence": ("handoff", "sal-to-nurture", "follow_up", "6 touches over 84 days"),
        "opportunity-recycle-cadence": ("handoff", "sql-to-nurture", "follow_up", "6 touches over 84 days"),
        "lost-deal-cadence": ("handoff", "closed-lost-to-nurture", "follow_up", "6 touches over 180 days"),
        "kickoff-chase": ("handoff", "closed-won-to-onboarding", "follow_up", "3 touches over 5 days"),
        "win-back-cadence": ("handoff", "churned-to-nurture", "follow_up", "4 touches over 365 days"),
        # The goals that the texts name by their own targets.
        "speed-to-lead-target": ("metric", "speed-to-lead", "target", "1 hour"),
        "acceptance-target": ("metric", "mql-acceptance-rate", "target", "85%"),
        "marketing-pipeline-target": ("metric", "marketing-sourced-pipeline", "target", "USD 1,200,000"),
    }
    # Every value written out that equals a field only by chance says so, and nothing warns.
    independent = {v["id"] for v in settings["values"] if v.get("independent")}
    assert independent == {"mql-accept-within", "missing-notes-within", "event-follow-up-within",
                           "close-reason-within"}
    code, lines, _ = validate(REPO / "playbook")
    assert code == 0 and not [line for line in lines if "values[" in line or "named value" in line], lines
