"""What `playbook validate` read is kept on disk for its next run (generator/source/diskcache.py):
a run from the cache tells exactly what a run that reads every file tells, on every damaged
playbook of the suite; a file that changed is read again; a cache that is damaged, forged in
shape, too large or made by other code is not used; and the command writes its cache after it
has said everything, without making anyone wait."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO

from generator.rules.validate import check
from generator.source import diskcache, loader

BAD = REPO / "tests" / "bad"


def _told(root: Path) -> tuple[list[str], int]:
    """The problems of a run from the cache on disk, and how many files came from it."""
    loader.FILES.clear()  # the cache in memory would answer first
    _, problems = check(root, on_disk=True)
    hits = sum(cache.hits for cache in diskcache.pending())
    diskcache.save_pending()
    return [str(p) for p in problems], hits


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(diskcache.SETTING, str(folder))
    return folder


def test_a_run_from_the_cache_tells_what_a_run_that_reads_every_file_tells(tmp_path: Path, cache: Path) -> None:
    roots = [p for p in sorted(BAD.iterdir()) if p.is_dir()]
    playbook = tmp_path / "playbook"
    shutil.copytree(REPO / "playbook", playbook)
    for root in [*roots, playbook]:
        first, hits = _told(root)
        again, reused = _told(root)
        assert again == first, root
        assert hits == 0
        if root == playbook:
            count = len(list(playbook.rglob("*.yaml")))
            assert reused == count > 50  # every file of a sound playbook came from the cache
    assert any(_told(root)[0] for root in roots)
    # A file that changed is read again: its problem is told, the other files still come from the cache.
    term = sorted((playbook / "terms").glob("*.yaml"))[0]
    term.write_text(term.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
    changed, reused = _told(playbook)
    assert any("[unknown-field]" in line and term.name in line for line in changed)
    assert reused == count - 1
    # Without the cache, the same.
    loader.FILES.clear()
    assert [str(p) for p in check(playbook)[1]] == changed


@pytest.mark.parametrize("damage", ["not json", "deep", "shape", "problem", "screen", "other code", "too large"])
def test_a_damaged_or_foreign_cache_is_not_used(tmp_path: Path, cache: Path, damage: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    playbook = tmp_path / "playbook"
    shutil.copytree(REPO / "playbook", playbook)
    first, _ = _told(playbook)
    [file] = list(cache.iterdir())
    kept = json.loads(file.read_text(encoding="utf-8"))
    digest = next(iter(kept["files"]))
    if damage == "not json":
        file.write_bytes(file.read_bytes()[: file.stat().st_size // 2])
    elif damage == "deep":
        file.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    elif damage == "shape":
        kept["files"][digest] = [["not", "a", "mapping"], []]
        file.write_text(json.dumps(kept), encoding="utf-8")
    elif damage == "problem":
        kept["files"][digest][1] = [["file", "1", 1, "", "forged", "error", "rule"]]
        file.write_text(json.dumps(kept), encoding="utf-8")
    elif damage == "screen":
        kept["files"][digest][2] = ["0" * 64, -1, "yes", False, False, False]
        file.write_text(json.dumps(kept), encoding="utf-8")
    elif damage == "other code":
        kept["fingerprint"] = "0" * 64 + kept["fingerprint"][64:]
        file.write_text(json.dumps(kept), encoding="utf-8")
    else:
        monkeypatch.setattr(diskcache, "MAX_CACHE_BYTES", file.stat().st_size - 1)
    again, reused = _told(playbook)
    assert again == first
    assert reused == 0


def test_the_screen_of_each_file_comes_from_the_cache_for_the_same_agreed_values(
        tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The next run reads no text of a file kept, unless the agreed values changed; a file whose
    screen found a placeholder is screened on every run, and every run tells what a run that reads
    every file tells."""
    from generator.rules import text_screen

    playbook = tmp_path / "playbook"
    shutil.copytree(REPO / "playbook", playbook)
    term = playbook / "terms" / "account.yaml"
    term.write_text(term.read_text(encoding="utf-8").replace("aliases:\n", "aliases:\n  - TBD\n", 1), encoding="utf-8")
    screened: list[str] = []
    real = text_screen._screen

    def counting(doc: object, *args: object) -> object:
        screened.append(doc.path.name)  # type: ignore[attr-defined]
        return real(doc, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(text_screen, "_screen", counting)
    count = len(list(playbook.rglob("*.yaml")))
    first, _ = _told(playbook)
    assert len(screened) == count and any("[placeholder-text]" in line for line in first)
    screened.clear()
    again, reused = _told(playbook)
    assert again == first and reused == count and screened == ["account.yaml"]
    # A changed value: every file is screened again, and tells what a fresh run tells.
    settings = playbook / "playbook.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("value: 10 percent", "value: 12 percent"),
                        encoding="utf-8")
    screened.clear()
    changed, _ = _told(playbook)
    assert len(screened) == count
    monkeypatch.setenv(diskcache.SETTING, "off")
    loader.FILES.clear()
    assert [str(p) for p in check(playbook)[1]] == changed
    monkeypatch.setenv(diskcache.SETTING, str(cache))
    screened.clear()
    assert _told(playbook)[0] == changed and screened == ["account.yaml"]


def test_the_command_writes_its_cache_once_it_has_said_everything(tmp_path: Path) -> None:
    playbook = tmp_path / "playbook"
    shutil.copytree(REPO / "playbook", playbook)
    folder = tmp_path / "cache"
    env = {**os.environ, diskcache.SETTING: str(folder)}
    command = [sys.executable, "-m", "generator", "validate", str(playbook)]
    first = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "files checked, no problems" in first.stdout
    deadline = time.monotonic() + 60
    while not any(folder.glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.1)
    [file] = list(folder.glob("*.json"))
    kept = json.loads(file.read_text(encoding="utf-8"))
    assert len(kept["files"]) == len(list(playbook.rglob("*.yaml")))
    again = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)
    # Turned off, no cache is written.
    off = tmp_path / "off"
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False,
                          env={**env, diskcache.SETTING: "off", "XDG_CACHE_HOME": str(off)})
    assert done.returncode == 0 and not off.exists()


def test_the_command_collects_no_cycles_frees_nothing_and_says_all_it_found(tmp_path: Path) -> None:
    """`playbook` ends its process at once when done, so nothing it made is collected or freed:
    the collector is off from the start of the command (as the command runs, it says so itself),
    what it read is kept to the end of the process, and what it says is all the same."""
    probe = ("import gc, sys\n"
             "from generator.commands import cli\n"
             "from generator.source import lasting\n"
             "checked = cli.main\n"
             "def main(on_disk=False):\n"
             "    print('collector on' if gc.isenabled() else 'collector off')\n"
             "    code = checked(on_disk=on_disk)\n"
             "    kept = {type(value).__name__: value for value in lasting._KEPT}\n"
             "    print('kept:', sorted(kept), kept['LoadedPlaybook'].file_count, len(kept['_Run'].screens))\n"
             "    return code\n"
             "cli.main = main\n"
             "sys.argv = ['playbook', 'validate', sys.argv[1]]\n"
             "cli.run()\n")
    env = {**os.environ, diskcache.SETTING: "off", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", probe, str(REPO / "playbook")], capture_output=True, text=True,
                          env=env, timeout=120, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "collector off"
    assert "files checked, no problems" in lines[-3]
    files = len(list((REPO / "playbook").rglob("*.yaml")))
    # The playbook read, and the screen of each of its files.
    assert lines[-1] == f"kept: ['LoadedPlaybook', '_Run'] {files} {files}"


def test_a_command_run_in_a_program_keeps_nothing_to_the_end(capsys: pytest.CaptureFixture[str]) -> None:
    """Where the process goes on after the command (a program calling main, the plugin), what
    the command read is freed as usual: nothing is kept to the end of the process."""
    from generator.commands import cli
    from generator.source import lasting

    assert cli.main(["validate", str(REPO / "playbook")]) == 0
    assert "files checked, no problems" in capsys.readouterr().out
    assert lasting._KEPT is None
    lasting.keep(object())
    assert lasting._KEPT is None


def test_a_first_run_works_out_what_to_keep_only_when_the_cache_is_written(
        tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With nothing kept by the last run, no file's digest is worked out while the person waits:
    the cache written afterwards holds every file all the same, with its screen."""
    digests: list[int] = []
    real = diskcache._digest

    def counting(key: object) -> str:
        digests.append(1)
        return real(key)  # type: ignore[arg-type]

    monkeypatch.setattr(diskcache, "_digest", counting)
    playbook = tmp_path / "playbook"
    shutil.copytree(REPO / "playbook", playbook)
    loader.FILES.clear()
    _, problems = check(playbook, on_disk=True)
    assert digests == [] and not [p for p in problems if not p.warning]
    diskcache.save_pending()
    count = len(list(playbook.rglob("*.yaml")))
    assert len(digests) >= count
    [file] = list(cache.glob("*.json"))
    kept = json.loads(file.read_text(encoding="utf-8"))["files"]
    assert len(kept) == count and all(entry[2] for entry in kept.values())  # each with its screen
    again, reused = _told(playbook)
    assert reused == count and again == [str(p) for p in problems]
