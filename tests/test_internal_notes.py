"""What is for the rep only (`internal_notes`) and the words people use (`keywords`), on assets and
on each objection of a persona: the schemas take them and refuse them wrongly written, at their
file and line; the model, the written view `playbook diff` compares, the export and the finder's
data carry them as written; and `talking-point-instruction` warns when a talking point or a
response reads as a note to the rep instead of words for the buyer."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO

from generator.changes.comment import markdown
from generator.changes.diff import compare
from generator.model.export import csv_files, export_json
from generator.model.from_documents import blocking_problems, build_model
from generator.model.playbook import Playbook
from generator.model.written import written
from generator.rules.registry import find
from generator.rules.validate import check
from generator.rules.wording import OPENINGS, TALKING_POINT_INSTRUCTION, instruction
from generator.site.pages.finder import finder_data
from generator.source.loader import load_playbook
from generator.source.problems import ERROR, WARNING, Problem

GUIDE = "playbook/assets/guide.yaml"
BUYER = "playbook/personas/buyer.yaml"
ASSET = """\
# yaml-language-server: $schema=../../../../schemas/asset.schema.json
id: guide
title: Anvil buyer's guide
type: e-book
stages: [learning, adoption]
personas: [buyer]
owner: marketing
link: https://assets.acme.example/guide
description: A guide to buying anvils.
talking_points:
  - Most buyers overpay by a third.
{extra}review_by: 2027-06-30
"""
NOTES = """\
internal_notes:
  - Never quote the survey's figures in an e-mail.
  - Page two is for us only.
keywords:
  - price
  - too expensive
"""
PERSONA = """\
# yaml-language-server: $schema=../../../../schemas/persona.schema.json
id: buyer
name: Bea, the Buyer
role: Head of Procurement
buying_role: economic-buyer
summary: Signs the order.
goals: [Pay less]
pains: [Too many vendors]
objections:
  - objection: Too expensive.
    response: {response}
{extra}stages: [learning]
owner: marketing
review_by: 2027-06-30
"""
OBJECTION_NOTES = """\
    internal_notes:
      - Do not offer a discount to end this objection.
    keywords: [price, budget, cost]
"""


@pytest.fixture
def top(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding the mini playbook under playbook/, and the current directory."""
    shutil.copytree(FIXTURES / "mini", tmp_path / "playbook")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(top: Path, asset: str = "", response: str = "Show the ROI.", objection: str = "") -> None:
    (top / GUIDE).write_text(ASSET.format(extra=asset), encoding="utf-8")
    (top / BUYER).write_text(PERSONA.format(response=response, extra=objection), encoding="utf-8")


def problems() -> list[Problem]:
    return check(Path("playbook"))[1]


def model() -> Playbook:
    loaded = load_playbook(Path("playbook"))
    assert blocking_problems(loaded) == []
    return build_model(loaded)


def line_of(top: Path, path: str, text: str) -> int:
    """The line (from 1) of the first line of a file that holds text."""
    lines = (top / path).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


# ---------------------------------------------------------------- the schemas


def test_both_fields_pass_on_an_asset_and_an_objection(top: Path) -> None:
    write(top, NOTES, objection=OBJECTION_NOTES)
    assert problems() == []


def test_a_keyword_too_long_is_refused_at_its_line(top: Path) -> None:
    long = "a" * 61
    write(top, f"keywords:\n  - price\n  - {long}\n")
    [problem] = problems()
    assert (problem.file, problem.line, problem.path, problem.rule) == (
        GUIDE, line_of(top, GUIDE, long), "keywords[1]", "too-long")
    assert "longer than 60 characters" in problem.message and not problem.warning


def test_a_keyword_of_60_characters_passes(top: Path) -> None:
    write(top, f"keywords: [{'a' * 60}]\n")
    assert problems() == []


def test_more_than_twenty_keywords_are_refused(top: Path) -> None:
    write(top, "keywords: [" + ", ".join(f"word{i}" for i in range(21)) + "]\n")
    [problem] = problems()
    assert (problem.file, problem.line, problem.path, problem.rule) == (GUIDE, line_of(top, GUIDE, "keywords:"),
                                                                        "keywords", "too-long")
    assert "more than 20 entries" in problem.message


def test_notes_written_as_one_text_are_refused_at_their_line(top: Path) -> None:
    write(top, "internal_notes: Never quote the survey.\n")
    [problem] = problems()
    assert (problem.file, problem.line, problem.path, problem.rule) == (
        GUIDE, line_of(top, GUIDE, "internal_notes:"), "internal_notes", "wrong-type")
    assert "must be a list" in problem.message


def test_a_keyword_that_is_not_text_in_an_objection_is_refused_at_its_line(top: Path) -> None:
    write(top, objection="    keywords: [price, 42]\n")
    [problem] = problems()
    assert (problem.file, problem.line, problem.path, problem.rule) == (
        BUYER, line_of(top, BUYER, "keywords:"), "objections[0].keywords[1]", "wrong-type")
    assert "must be text, not 42" in problem.message


def test_an_empty_list_is_refused_rather_than_dropped(top: Path) -> None:
    """An empty list would be given back as no field at all: the schema asks for an item."""
    write(top, "internal_notes: []\n", objection="    keywords: []\n")
    found = sorted((p.file, p.path, p.rule) for p in problems())
    assert found == [(GUIDE, "internal_notes", "too-few-items"), (BUYER, "objections[0].keywords", "too-few-items")]


def test_a_repeated_keyword_is_refused(top: Path) -> None:
    write(top, "keywords: [price, price]\n")
    assert [(p.path, p.rule) for p in problems()] == [("keywords", "repeated-item")]


# ---------------------------------------------------------------- the model, the diff, the export, the finder


def test_the_model_carries_both_fields_and_gives_them_back_as_written(top: Path) -> None:
    write(top, NOTES, objection=OBJECTION_NOTES)
    playbook = model()
    [asset] = playbook.assets
    assert asset.internal_notes == ("Never quote the survey's figures in an e-mail.", "Page two is for us only.")
    assert asset.keywords == ("price", "too expensive")
    [objection] = playbook.personas[0].objections
    assert objection.internal_notes == ("Do not offer a discount to end this objection.",)
    assert objection.keywords == ("price", "budget", "cost")
    loaded = load_playbook(Path("playbook"))
    by_file = {doc.display: doc.data for docs in loaded.documents.values() for doc in docs}
    assert written(asset) == by_file[GUIDE]
    assert written(playbook.personas[0]) == by_file[BUYER]
    assert written(asset)["internal_notes"] == list(asset.internal_notes)
    assert written(playbook.personas[0])["objections"][0]["keywords"] == ["price", "budget", "cost"]


def test_without_the_fields_nothing_is_written_for_them(top: Path) -> None:
    write(top)
    playbook = model()
    assert playbook.assets[0].internal_notes == () and playbook.assets[0].keywords == ()
    assert "internal_notes" not in written(playbook.assets[0]) and "keywords" not in written(playbook.assets[0])
    assert written(playbook.personas[0])["objections"] == [{"objection": "Too expensive.", "response": "Show the ROI."}]


def test_playbook_diff_names_a_changed_note_and_keyword(top: Path) -> None:
    write(top, NOTES, objection=OBJECTION_NOTES)
    base = model()
    write(top, NOTES.replace("Page two is for us only.", "Page two is internal.").replace("  - price\n", ""),
          objection=OBJECTION_NOTES.replace("budget, ", ""))
    changes = compare(base, model())
    paths = sorted((c.kind, f.path[0], f.action) for c in changes for f in c.fields)
    assert ("asset", "internal_notes", "edited") in paths
    assert ("asset", "keywords", "dropped") in paths
    assert any(c.kind == "persona" and f.path[0] == "objections" and "keywords" in f.path for c in changes
               for f in c.fields)
    text = markdown(changes)
    assert "internal notes" in text and "keywords" in text


def test_the_export_carries_both_fields_as_written(top: Path) -> None:
    write(top, NOTES, objection=OBJECTION_NOTES)
    data = export_json(Path("playbook"))
    [asset] = data["assets"]
    assert asset["internal_notes"] == ["Never quote the survey's figures in an e-mail.", "Page two is for us only."]
    assert asset["keywords"] == ["price", "too expensive"]
    [objection] = data["personas"][0]["objections"]
    assert objection["internal_notes"] == ["Do not offer a discount to end this objection."]
    assert objection["keywords"] == ["price", "budget", "cost"]
    files = csv_files(data)
    assets_header, assets_row = files["assets.csv"].splitlines()[:2]
    assert '"internal_notes"' in assets_header and '"keywords"' in assets_header
    assert '"price | too expensive"' in assets_row
    personas_header = files["personas.csv"].splitlines()[0]
    assert '"objections.internal_notes"' in personas_header and '"objections.keywords"' in personas_header


def test_the_finder_data_carries_both_fields_next_to_the_talking_points(top: Path) -> None:
    write(top, NOTES)
    [card] = finder_data(model())["assets"]
    keys = list(card)
    assert keys.index("internal_notes") == keys.index("talking_points") + 1
    assert card["internal_notes"] == ["Never quote the survey's figures in an e-mail.", "Page two is for us only."]
    assert card["keywords"] == ["price", "too expensive"]
    assert card["talking_points"] == ["Most buyers overpay by a third."]


def test_the_finder_data_has_empty_lists_for_an_asset_without_them(top: Path) -> None:
    write(top)
    [card] = finder_data(model())["assets"]
    assert (card["internal_notes"], card["keywords"]) == ([], [])


# ---------------------------------------------------------------- talking-point-instruction

INSTRUCTIONS = [
    "Internal note: never quote figures from the report.",
    "Internal notes: the licence covers the full reprint only.",
    "Internal: page two stays in-house.",
    "Note to self: check the licence.",
    "For the rep: send it from your own address.",
    "Never run the competitor down.",
    "Do not send page two.",
    "Don't quote the survey.",
    "Must not be sent after September.",
    "  internal note: lower case, after spaces.",
    "NEVER promise a date.",
    "\"Do not forward this.\"",
    "'Never mention the price first.'",
    "\u201cDon\u2019t quote the survey.\u201d",
]
ORDINARY = [
    "Ask how many legal entities approve invoices today, and who releases payments.",
    "Most buyers overpay by a third.",
    "For the report, see page 6.",
    "Internal notebooks are where most teams keep approvals today.",
    "Internal teams approve faster with it.",
    "Nevertheless, the price is fixed for the term.",
    "Donations and grants are invoiced the same way.",
    "Notes from the analyst are on page 3.",
    "Mustard suppliers send paper invoices too.",
    "You never key an invoice twice.",
    "We do not charge per approver.",
    "Never.",
]


@pytest.mark.parametrize("text", INSTRUCTIONS)
def test_an_instruction_is_recognised(text: str) -> None:
    assert instruction(text)


@pytest.mark.parametrize("text", ORDINARY)
def test_words_for_the_buyer_are_not(text: str) -> None:
    assert not instruction(text)


def test_every_listed_opening_is_recognised_in_any_case() -> None:
    for opening in OPENINGS:
        for written_as in (opening, opening.lower(), opening.upper()):
            assert instruction(f"{written_as} the rest of the sentence."), written_as


@pytest.mark.parametrize("text", [t for t in INSTRUCTIONS if '"' not in t])
def test_a_talking_point_that_is_an_instruction_is_warned_at_its_line(top: Path, text: str) -> None:
    # Each as YAML writes it: in double quotes, with a straight quote escaped.
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    (top / GUIDE).write_text(ASSET.format(extra="").replace(
        "  - Most buyers overpay by a third.\n", f"  - Most buyers overpay by a third.\n  - {quoted}\n"),
        encoding="utf-8")
    [problem] = problems()
    assert (problem.file, problem.line, problem.column, problem.path) == (GUIDE, 12, 5, "talking_points[1]")
    assert (problem.rule, problem.severity) == ("talking-point-instruction", WARNING)
    start = " ".join(text.split())[:20]
    assert f"'{start}" in problem.message
    assert "move it to the asset's internal_notes" in problem.message
    assert "shows to the rep without a copy button" in problem.message


def test_an_objection_response_that_is_an_instruction_is_warned_at_its_line(top: Path) -> None:
    write(top, response="Never discount to close the objection.")
    [problem] = problems()
    assert (problem.file, problem.line, problem.path, problem.rule) == (
        BUYER, line_of(top, BUYER, "response:"), "objections[0].response", "talking-point-instruction")
    assert problem.message.startswith("'Never discount to close the objection.' reads as an instruction to the rep")
    assert "move it to the objection's internal_notes" in problem.message


def test_a_long_text_is_named_by_its_start(top: Path) -> None:
    text = "Do not " + "send this page to anyone outside the company, " * 5
    write(top, "internal_notes: [Kept here.]\n", response=text)
    [problem] = problems()
    assert problem.message.startswith("'Do not send this page to anyone outside the compa…' reads as")


def test_ordinary_points_notes_and_keywords_are_not_warned(top: Path) -> None:
    points = "".join(f"  - {text}\n" for text in ORDINARY)
    (top / GUIDE).write_text(ASSET.format(extra=NOTES).replace("  - Most buyers overpay by a third.\n", points),
                             encoding="utf-8")
    write_persona = PERSONA.format(response="Ask how many legal entities approve invoices.", extra=OBJECTION_NOTES)
    (top / BUYER).write_text(write_persona, encoding="utf-8")
    assert problems() == []


def test_the_rule_is_a_warning_a_company_may_raise_or_turn_off(top: Path) -> None:
    rule = find("talking-point-instruction")
    assert rule is TALKING_POINT_INSTRUCTION and rule.level == WARNING and rule.adjustable
    write(top, response="Never discount to close the objection.")
    settings = top / "playbook" / "playbook.yaml"
    base = settings.read_text(encoding="utf-8")
    settings.write_text(base + "rules:\n  talking-point-instruction: error\n", encoding="utf-8")
    assert [(p.rule, p.severity) for p in problems()] == [("talking-point-instruction", ERROR)]
    settings.write_text(base + "rules:\n  talking-point-instruction: off\n", encoding="utf-8")
    assert problems() == []


# ---------------------------------------------------------------- the default playbook


def test_the_default_playbook_keeps_rep_only_text_in_internal_notes() -> None:
    loaded, found = check(REPO / "playbook")
    assert [str(p) for p in found if p.rule == "talking-point-instruction"] == []
    playbook = build_model(loaded)
    assets = {a.id: a for a in playbook.assets}
    guide = assets["analyst-market-guide"]
    assert not any(point.startswith("Internal note") for point in guide.talking_points)
    assert [note.split(".")[0] for note in guide.internal_notes] == [
        "Never quote figures or phrases from the report in e-mails or slides"]
    assert any(note.startswith("Never run Corvane down") for note in assets["battle-card-corvane"].internal_notes)
    assert not any(p.startswith("Never") for p in assets["battle-card-corvane"].talking_points)
    assert any("Page two is internal" in note for note in assets["pricing-sheet"].internal_notes)
    assert {"price", "quote", "discount"} <= set(assets["pricing-sheet"].keywords)
    assert {"Corvane", "competitor", "versus"} <= set(assets["battle-card-corvane"].keywords)
    assert {"security questionnaire", "SOC 2"} <= set(assets["security-pack"].keywords)
    assert {"business case", "payback"} <= set(assets["roi-calculator"].keywords)
    cfo = next(p for p in playbook.personas if p.id == "cfo")
    cost = next(o for o in cfo.objections if "cost" in o.objection)
    assert cost.keywords == ("price", "too expensive", "budget", "cost")
    objections_with_keywords = [o for p in playbook.personas for o in p.objections if o.keywords]
    assert len(objections_with_keywords) >= 5
