"""The loader keeps every value's place and refuses what YAML would silently change."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from generator.source.loader import load_document
from generator.source.problems import Problem


def load(tmp_path: Path, text: str) -> tuple[object, list[Problem]]:
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    doc = load_document(path, "term", problems)
    return doc, problems


def test_positions_of_values_and_keys(tmp_path: Path) -> None:
    doc, problems = load(tmp_path, "id: x\nrelated:\n  - a\n  -   b\nnested:\n  deep: 1\n")
    assert problems == []
    assert doc.data == {"id": "x", "related": ["a", "b"], "nested": {"deep": 1}}  # type: ignore[union-attr]
    assert doc.where(("related", 1)) == (4, 7)  # type: ignore[union-attr]
    assert doc.where(("nested", "deep")) == (6, 9)  # type: ignore[union-attr]
    assert doc.where(("nested", "deep"), key=True) == (6, 3)  # type: ignore[union-attr]
    assert doc.where(("related", 7)) == (3, 3)  # type: ignore[union-attr]


def test_dates_stay_text_and_scalars_keep_their_types(tmp_path: Path) -> None:
    doc, problems = load(tmp_path, "a: 2026-01-31\nb: 3\nc: 2.5\nd: true\ne: null\nf: '007'\n")
    assert problems == []
    assert doc.data == {"a": "2026-01-31", "b": 3, "c": 2.5, "d": True, "e": None, "f": "007"}  # type: ignore[union-attr]


def test_merge_keys_aliases_bombs_and_bytes(tmp_path: Path) -> None:
    _, problems = load(tmp_path, "base: &b {x: 1}\nother:\n  <<: *b\n")
    assert [p.message for p in problems] == ["merge keys (<<) are not supported: write the fields out"]
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(6))
    _, problems = load(tmp_path, bomb)
    assert len(problems) == 1 and "the file holds too much" in problems[0].message
    path = tmp_path / "y.yaml"
    path.write_bytes(b"id: caf\xe9\n")
    problems = []
    assert load_document(path, "term", problems) is None
    assert [str(p) for p in problems] == [f"{path}:1:1: not UTF-8 text: save the file as UTF-8 [not-utf8]"]


def test_unreadable_and_multi_document_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, problems = load(tmp_path, "id: a\n---\nid: b\n")
    assert [str(p) for p in problems] == [f"{tmp_path / 'x.yaml'}:2:1: a second document starts here (---): "
                                          "a file holds one entry, so split it in two files [second-document]"]

    target = tmp_path / "x.yaml"
    target.write_text("id: a\n", encoding="utf-8")
    opening = os.open

    def refuse(path: object, *args: Any, **kwargs: Any) -> int:
        if os.fspath(path) == str(target):  # tests run as root, whom file permissions do not stop
            raise PermissionError(13, "Permission denied")
        return opening(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    problems = []
    load_document(tmp_path / "x.yaml", "term", problems)
    assert [p.message for p in problems] == ["cannot be read (Permission denied): check the file's permissions"]
    assert [p.rule for p in problems] == ["file-unreadable"]


def test_a_list_at_the_top_is_refused(tmp_path: Path) -> None:
    _, problems = load(tmp_path, "- a\n- b\n")
    assert [p.message for p in problems] == [
        "the file must be a mapping of fields (name: value), not a list or a single value"]
