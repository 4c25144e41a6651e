"""Review and end dates: warnings from `playbook validate`, errors on request, and what the site
shows (badges, the "Needs review" page, withdrawn assets kept off the stage pages)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import SITE_CONFIG, TODAY, make_project, run_mkdocs
from htmltext import read_site
from shelf import shelf_playbook

from generator.model.build import build_playbook
from generator.model.playbook import Freshness

PLAYBOOK = [str(Path(sys.executable).parent / "playbook")]


def run(*args: str, today: str | None = TODAY) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("PLAYBOOK_TODAY", None)
    if today is not None:
        env["PLAYBOOK_TODAY"] = today
    return subprocess.run(PLAYBOOK + list(args), capture_output=True, text=True, timeout=60, env=env)


@pytest.fixture(scope="module")
def shelf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shelf_playbook(tmp_path_factory.mktemp("shelf"))


def test_validate_warns_and_passes(shelf: Path) -> None:
    result = run("validate", str(shelf))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(": warning: ")[0].rsplit("/", 2)[-2:] for line in lines[:-2]] == [
        ["assets", "battle-card.yaml:14:12"], ["assets", "price-deck.yaml:15:10"],
        ["assets", "reprint.yaml:15:10"], ["personas", "user.yaml:16:12"]]
    assert "review_by: review overdue: 2026-10-01 passed 53 days ago; check the asset" in lines[0]
    assert "expires: expires in 17 days: it can be sent until 2026-12-10" in lines[1]
    assert "expires: withdrawn: it could be sent until 2026-09-30, 54 days ago" in lines[2]
    assert "check the persona against recent deals" in lines[3]
    assert lines[-1].startswith("Next: ")
    assert lines[-2].endswith("no problems (4 warnings): 2 stages, 2 lifecycle states, 1 handoff, 2 terms, "
                              "2 personas, 6 assets, 1 metric.")


def test_fail_on_stale_makes_them_errors(shelf: Path) -> None:
    result = run("validate", "--fail-on-stale", str(shelf))
    assert result.returncode == 1
    assert "warning" not in result.stdout and len(result.stdout.splitlines()) == 4
    assert "4 problems in" in result.stderr


def test_today_decides(shelf: Path) -> None:
    """On an earlier day nothing is due; the option wins over the environment variable."""
    assert run("validate", str(shelf), today="2026-01-01").stdout.count("warning") == 0
    result = run("validate", "--today", "2026-09-01", str(shelf), today="2030-01-01")
    assert result.returncode == 0 and result.stdout.count("warning:") == 1  # the reprint ends within 30 days
    assert "expires in 29 days" in result.stdout


@pytest.mark.parametrize("value", ["2026-13-01", "tomorrow", "20261123"])
def test_a_bad_today_is_one_line(shelf: Path, value: str) -> None:
    result = run("validate", "--today", value, str(shelf))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == f"--today: {value!r} is not a date; write it as year-month-day, e.g. 2026-11-23\n"
    result = run("validate", str(shelf), today=value)
    assert result.returncode == 2 and result.stderr.startswith("PLAYBOOK_TODAY: ")


@pytest.fixture(scope="module")
def shelf_site(shelf: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("site") / "p", shelf)
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "review overdue: 2026-10-01 passed 53 days ago" in result.stderr  # listed, not fatal
    return project / "site"


def test_stage_page_orders_and_withdraws(shelf_site: Path) -> None:
    pages = read_site(shelf_site)
    learning = (shelf_site / "stages" / "learning" / "index.html").read_text(encoding="utf-8")
    cards = [part.split('"', 1)[0] for part in learning.split('<section class="pb-card" id="asset-')[1:]]
    assert cards == ["battle-card", "checklist", "guide", "user-video", "price-deck"]  # by priority; no reprint
    text = pages["stages/learning/index.html"].text
    assert "1 withdrawn" in text
    # Not a card; named only where the page says what is withdrawn and must not be sent.
    withdrawn = re.search(r'<p id="withdrawn">(.*?)</p>', learning, re.S)
    assert withdrawn and "do not send" in withdrawn.group(1) and "Analyst anvil report" in withdrawn.group(1)
    assert text.count("Analyst anvil report") == 1
    assert "Review overdue since 2026-10-01" in text and "Can be sent until 2026-12-10" in text
    assert "Use it when the buyer names the other anvil maker." in text
    # The objections of both personas involved, with their answers, and the persona's own badge.
    assert "“It will take weeks to learn.” Show the five-minute video." in text
    assert "“Too expensive.” Show the ROI." in text
    assert "Uma, the User Review overdue since 2026-11-01" in text
    # Persona chips for both, type chips for the card types only.
    for chip in ('data-value="buyer"', 'data-value="user"', 'data-value="battle-card"', 'data-value="deck"'):
        assert chip in learning
    assert 'data-value="analyst-report"' not in learning


def test_withdrawn_asset_stays_visible_as_such(shelf_site: Path) -> None:
    pages = read_site(shelf_site)
    assets = pages["assets/index.html"].text
    assert "Analyst anvil report (withdrawn)" in assets
    assert "Withdrawn after 2026-09-30: do not send" in assets
    assert "Link (withdrawn, do not send): https://assets.acme.example/reprint" in assets
    assert "https://assets.acme.example/reprint" not in pages["assets/index.html"].links
    data = json.loads((shelf_site / "assets" / "playbook" / "finder.json").read_text(encoding="utf-8"))
    status = {a["id"]: a["status"] for a in data["assets"]}
    assert status == {"battle-card": "overdue", "checklist": "current", "guide": "current", "user-video": "current",
                      "price-deck": "current", "reprint": "withdrawn"}


def test_needs_review_page(shelf_site: Path) -> None:
    text = read_site(shelf_site)["review/index.html"].text
    assert "As of 2026-11-23." in text
    marketing, sales = text.index("Marketing"), text.index("Sales¶")
    assert marketing < sales
    rows = text[marketing:sales]
    assert rows.index("Analyst anvil report asset Withdrawn 2026-09-30 54 days ago") < \
        rows.index("Anvil battle card asset Review overdue 2026-10-01 53 days ago") < \
        rows.index("Anvil price deck asset Can be sent until 2026-12-10 in 17 days")
    assert "Uma, the User persona Review overdue 2026-11-01 22 days ago" in text[sales:]


def test_plugin_option_fails_the_build(shelf: Path, tmp_path: Path) -> None:
    config = SITE_CONFIG.replace("  - playbook:\n", "  - playbook:\n      fail_on_stale: true\n")
    project = make_project(tmp_path / "p", shelf, config)
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "4 problems found" in result.stderr
    config = config.replace("fail_on_stale: true\n", "fail_on_stale: true\n      today: 2026-01-01\n")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    assert run_mkdocs(project, "build", "--strict").returncode == 0


def test_render_judges_on_the_same_day(shelf: Path, tmp_path: Path, build_site: Callable[..., Path]) -> None:
    result = run("render", "--playbook", str(shelf), str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    stage = (tmp_path / "out" / "stages" / "learning.md").read_text(encoding="utf-8")
    assert "asset-reprint" not in stage and "asset-battle-card" in stage
    assert "do not send [Analyst anvil report](../assets.md#reprint) (after 2026&#45;09&#45;30)" in stage


def test_an_entrys_freshness_is_worked_out_once_for_the_day_of_its_playbook(shelf: Path) -> None:
    playbook = build_playbook(shelf)
    for asset in playbook.assets:
        assert playbook.freshness(asset) == Freshness.of(asset, playbook.today)
        assert playbook.freshness(asset) is playbook.freshness(asset)
    # Another day is another playbook, whose entries are judged on that day.
    later = replace(playbook, today=date(2099, 1, 1))
    assert all(later.freshness(a).withdrawn or a.expires is None for a in later.assets)
    assert any(later.freshness(a).overdue and not playbook.freshness(a).overdue for a in playbook.assets)


def test_only_the_dates_with_something_to_tell_are_placed_in_their_files(shelf: Path, tmp_path: Path) -> None:
    """Where a value is written is found by reading its file again: an end date far off, or a
    review date not passed, tells nothing, and its file is not read again for it; each date that
    tells something still says its line and column."""
    import shutil

    from generator.rules.freshness import freshness_problems
    from generator.source.loader import FILES, load_playbook

    shelf = Path(shutil.copytree(shelf, tmp_path / "shelf"))
    far = sorted(path for path in (shelf / "assets").glob("*.yaml") if "expires" not in path.read_text())[0]
    far.write_text(far.read_text(encoding="utf-8") + "expires: 2030-01-31\n", encoding="utf-8")
    loaded = load_playbook(shelf)
    documents = [doc for docs in loaded.documents.values() for doc in docs]
    dated = [doc for doc in documents if doc.kind == "asset" and "expires" in doc.data]
    assert len(dated) == 3
    told = list(freshness_problems(documents, date.fromisoformat(TODAY)))
    placed = {doc.display for doc in documents if doc.places is not None and doc.places._maps is not None}
    assert placed == {problem.file for problem in told} and len(told) == 4
    assert all(problem.line > 1 and problem.column > 1 for problem in told)
    # A day long before every date: nothing to tell, and no file read again.
    FILES.clear()  # documents of the same bytes share where their values are
    later = load_playbook(shelf)
    assert list(freshness_problems([d for ds in later.documents.values() for d in ds], date(2020, 1, 1))) == []
    assert all(doc.places is None or doc.places._maps is None for ds in later.documents.values() for doc in ds)
