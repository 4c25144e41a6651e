"""Placeholder text is refused, through the real `playbook validate`: every form in a title, a
description, a talking point and an agreed value, each on its own located line, all in one run;
ordinary words with the same letters pass; no placeholder is reported twice."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES, REPO

from generator.rules.placeholders import document_placeholders, is_placeholder
from generator.rules.values import joined_texts
from generator.source.document import Document

PLAYBOOK = str(Path(sys.executable).parent / "playbook")

# Each form, and how the message quotes it.
FORMS = ["TODO", "todo", "TODO.", "(TBD)", "FIXME", "XXX", "xxx", "[tbd]", "Lorem ipsum dolor sit amet…",
         "lorem ipsum", "TODO: ask legal for the figure", "FIXME: check the number", "TBD: after the pilot",
         "XXX: confirm"]
ORDINARY = ["Todos for the first call", "Sizes from S to XXX-large", "The TODO list comes later",
            "TBD-free pricing", "Fix me a coffee first", "Lorem is a name, ipsum is not", "Mr Todd O'Brien"]
TITLE = ("title: '{}' is a placeholder: write the title here (what it is for: the asset's title as readers see it) "
         "[placeholder-text]")
DESCRIPTION = ("description: '{}' is a placeholder: write the description here (what it is for: what the asset "
               "is and when to use it) [placeholder-text]")
POINT = ("talking_points[0]: '{}' is a placeholder: write the talking point here (what it is for: what to say "
         "when you send or show this asset) [placeholder-text]")
VALUE = ("values[{}].value: '{}' is a placeholder: write the value here (what it is for: the value as every "
         "text shows it) [placeholder-text]")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PLAYBOOK, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "mini", tmp_path / "playbook")
    return tmp_path / "playbook"


def write_asset(root: Path, asset_id: str, title: str, description: str, point: str, owner: str = "marketing") -> str:
    """An asset whose title is on line 2 (column 8), description on line 7 (column 14) and first
    talking point on line 9 (column 5); its path as validate shows it."""
    lines = [f"id: {asset_id}", f"title: {json.dumps(title)}", "type: e-book", "stages: [learning]",
             f"owner: {owner}", "link: https://assets.acme.example/guide", f"description: {json.dumps(description)}",
             "talking_points:", f"  - {json.dumps(point)}", "review_by: 2027-06-30"]
    (root / "assets" / f"{asset_id}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f"playbook/assets/{asset_id}.yaml"


def write_values(root: Path, texts: list[str]) -> list[int]:
    """Agreed values in playbook.yaml with these texts; the line of each value (column 12)."""
    path = root / "playbook.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.count("\n") + 2
    items = "".join(f"  - id: v{i}\n    value: {json.dumps(value)}\n" for i, value in enumerate(texts))
    path.write_text(text + "values:\n" + items, encoding="utf-8")
    return [first + 2 * i + 1 for i in range(len(texts))]


def test_every_placeholder_is_one_located_line_in_one_run(tmp_path: Path) -> None:
    root = project(tmp_path)
    expected = []
    for i, form in enumerate(FORMS):
        shown = write_asset(root, f"p{i}", form, form, form)
        expected += [f"{shown}:2:8: {TITLE.format(form)}", f"{shown}:7:14: {DESCRIPTION.format(form)}",
                     f"{shown}:9:5: {POINT.format(form)}"]
    lines = write_values(root, FORMS)
    expected += [f"playbook/playbook.yaml:{line}:12: {VALUE.format(i, form)}"
                 for i, (line, form) in enumerate(zip(lines, FORMS, strict=True))]
    result = run("validate", "playbook", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert sorted(result.stdout.splitlines()) == sorted(expected)
    assert result.stderr.strip() == f"{len(expected)} problems in playbook; fix them and run again."


def test_ordinary_words_with_the_same_letters_pass(tmp_path: Path) -> None:
    root = project(tmp_path)
    for i, text in enumerate(ORDINARY):
        write_asset(root, f"o{i}", text, text, text)
    write_values(root, ORDINARY)
    result = run("validate", "playbook", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "no problems" in result.stdout


def test_a_field_another_check_reports_is_not_reported_again(tmp_path: Path) -> None:
    """TODO in a closed list is the schema's to report, as `playbook new` leaves it; a value too
    long and a placeholder besides is one line, not two."""
    root = project(tmp_path)
    shown = write_asset(root, "half-done", "A real title", "A real description.", "A real point.", owner="TODO")
    long_lorem = "Lorem ipsum dolor sit amet " * 8
    lines = write_values(root, [long_lorem])
    result = run("validate", "playbook", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        f"{shown}:5:8: owner: 'TODO' is not a valid id: use lower-case letters, digits and single hyphens, "
        "e.g. 'roi-calculator' [invalid-id]",
        f"playbook/playbook.yaml:{lines[0]}:12: values[0].value: is longer than 200 characters: shorten it [too-long]"]


def test_a_new_file_is_reported_once_per_mark(tmp_path: Path) -> None:
    """`playbook new` leaves text fields empty, so each mark stays one "is empty" line."""
    project(tmp_path)
    assert run("new", "asset", "fresh", cwd=tmp_path).returncode == 0
    result = run("validate", "playbook", cwd=tmp_path)
    paths = [line.split(": ", 2)[1] for line in result.stdout.splitlines()]
    assert len(paths) == len(set(paths)) == 8, result.stdout
    assert "placeholder" not in result.stdout


def test_long_texts_are_judged_by_their_start_only() -> None:
    assert not is_placeholder("(" * 200_000 + "TODO" + ")" * 200_000)
    assert is_placeholder(" " * 10_000 + "TODO: later")
    assert not is_placeholder("An ordinary sentence. " * 10_000 + "TODO")


def test_the_quick_look_at_a_document_misses_no_placeholder() -> None:
    # validate first looks for a mark in all of a document's texts at once (text_screen.py); the
    # same problems come out as when each text is read, in plain text and in any other, where a
    # letter such as the dotless i matches its plain one.
    others = ["FıXME: later", "ＴＯＤＯ", "Tbd — after the pilot", "Lorem\u00a0ipsum", "“TODO”", "ſome text",
              "Xx\u0445"]
    for text in [*FORMS, *ORDINARY, *others, *(f"{form} ünïcode" for form in FORMS)]:
        doc = Document("asset", Path("playbook/assets/a.yaml"), "playbook/assets/a.yaml")
        doc.data = {"id": "a", "title": text, "talking_points": ["fine", text]}
        whole = document_placeholders(doc)
        assert document_placeholders(doc, joined_texts(doc.data)[0]) == whole, text
        assert bool(whole) == is_placeholder(text), text
    assert is_placeholder("FıXME: later") and is_placeholder("“TODO”")


def test_a_file_read_again_keeps_its_screen_until_it_or_the_agreed_values_change(tmp_path: Path) -> None:
    """Under `mkdocs serve` each rebuild checks the playbook again in the same process: a file
    whose bytes did not change keeps its screen, for the same agreed values, and the problems are
    those of a first check in every case."""
    from generator.rules import text_screen
    from generator.rules.validate import check
    from generator.source.loader import FILES

    root = tmp_path / "playbook"
    shutil.copytree(REPO / "playbook", root)
    screened: list[str] = []
    real = text_screen._screen

    def counting(doc: Document, *args: object) -> object:
        screened.append(doc.path.name)
        return real(doc, *args)

    def shown(problems: list) -> list[tuple[str, int, str, str]]:
        return [(p.file, p.line, p.rule, p.message) for p in problems]

    def first_check() -> list[tuple[str, int, str, str]]:
        FILES.clear()
        return shown(check(root)[1])

    text_screen._screen = counting  # type: ignore[assignment]
    try:
        FILES.clear()
        before = shown(check(root)[1])
        assert len(screened) == len(list(root.rglob("*.yaml")))
        screened.clear()
        assert shown(check(root)[1]) == before and screened == []
        term = root / "terms" / "account.yaml"
        term.write_text(term.read_text(encoding="utf-8").replace("definition: >-\n", "definition: >-\n"
                        "  Never above 10 percent.\n", 1).replace("aliases:\n", "aliases:\n  - TBD\n", 1),
                        encoding="utf-8")
        again = shown(check(root)[1])
        assert screened == ["account.yaml"]
        assert {p[2] for p in again if p[0].endswith("account.yaml")} >= {"placeholder-text", "value-typed-out"}
        settings = root / "playbook.yaml"
        settings.write_text(settings.read_text(encoding="utf-8").replace("value: 10 percent", "value: 12 percent"),
                            encoding="utf-8")
        screened.clear()
        changed = shown(check(root)[1])
        assert len(screened) == len(list(root.rglob("*.yaml")))
        assert "value-typed-out" not in {p[2] for p in changed if p[0].endswith("account.yaml")}
        screened.clear()
        assert first_check() == changed and len(screened) == len(list(root.rglob("*.yaml")))
    finally:
        text_screen._screen = real  # type: ignore[assignment]
        FILES.clear()
