"""The downloads the site publishes, with each entry's part kept with its file (export_texts.py),
are exactly the export's JSON and CSV made from the whole, on the first build and after edits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import FIXTURES, REPO
from test_export import HOSTILE

from generator.model import export_texts as kept
from generator.model.export import csv_files, export_data, json_text
from generator.model.export_texts import export_texts
from generator.rules.validate import check
from generator.source.loader import FILES, LoadedPlaybook


def _whole(loaded: LoadedPlaybook) -> tuple[str, dict[str, str]]:
    data = export_data(loaded)
    return json_text(data, compact=True), csv_files(data)


def _loaded(root: Path) -> LoadedPlaybook:
    loaded, problems = check(root)
    assert not [p for p in problems if not p.warning], problems
    return loaded


def test_the_default_playbook_exports_as_the_whole_does() -> None:
    loaded = _loaded(REPO / "playbook")
    texts = export_texts(loaded)
    assert texts == _whole(loaded)
    assert json.loads(texts[0])["assets"] and texts[1]["assets.csv"].count("\r\n") > 10


def test_after_edits_each_entry_is_taken_again_only_from_its_unchanged_file(tmp_path: Path) -> None:
    root = shutil.copytree(FIXTURES / "mini", tmp_path / "playbook")
    for (name, field), value in HOSTILE.items():  # formulas a spreadsheet would run, defused in both
        path = root / name
        path.write_text("\n".join(f"{field}: {json.dumps(value)}" if line.startswith(f"{field}:") else line
                                  for line in path.read_text(encoding="utf-8").splitlines()) + "\n", encoding="utf-8")
    FILES.clear()
    kept._PARTS.clear()
    first = _loaded(root)
    assert export_texts(first) == _whole(first)
    assert '"\'=HYPERLINK(' in export_texts(first)[1]["assets.csv"]
    made = len(kept._PARTS)
    assert made == 1 + sum(len(docs) for docs in first.documents.values())
    guide = root / "assets" / "guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace("title: ", 'title: "Line one\\nsaid \\"so\\"" #', 1)
                     .replace("review_by:", "use_when: After the call, with a comma, and a | bar\nreview_by:", 1),
                     encoding="utf-8")
    second = _loaded(root)
    texts = export_texts(second)
    assert texts == _whole(second)
    assert texts != export_texts(first)
    assert len(kept._PARTS) == made + 1  # the edited file's part only
    assert "After the call, with a comma, and a | bar" in texts[1]["assets.csv"]
    row = next(a for a in json.loads(texts[0])["assets"] if a["id"] == "guide")
    assert row["title"] == 'Line one\nsaid "so"'
