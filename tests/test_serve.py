"""`mkdocs serve` rebuilds when a playbook file changes and reports problems without dying."""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import MKDOCS, SITE_CONFIG, make_project


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Callable[[], bool], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def serve(project: Path, port: int) -> tuple[subprocess.Popen[str], list[str]]:
    """`mkdocs serve` on 127.0.0.1:port, with the lines it prints gathered as they come."""
    server = subprocess.Popen(MKDOCS + ["serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(server.stdout.readline, "")), daemon=True)  # type: ignore[union-attr]
    reader.start()
    return server, lines


def test_serve_reports_problems_and_recovers(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    port = free_port()
    server, lines = serve(project, port)
    url = f"http://127.0.0.1:{port}/assets/"
    guide = project / "playbook" / "assets" / "guide.yaml"
    original = guide.read_text(encoding="utf-8")
    try:
        assert wait_for(lambda: "Anvil buyer" in fetch(url)), "".join(lines)
        guide.write_text(original.replace("[learning, adoption]", "[learnin, adoption]"), encoding="utf-8")
        problem = ("playbook/assets/guide.yaml:5:10: stages[0]: 'learnin' is not a known stage "
                   "(did you mean 'learning'?)")
        assert wait_for(lambda: any(problem in line for line in lines)), "".join(lines)
        assert server.poll() is None, "the server died on a bad playbook"
        guide.write_text(original.replace("Anvil buyer's guide", "Renamed anvil guide"), encoding="utf-8")
        assert wait_for(lambda: "Renamed anvil guide" in fetch(url)), "".join(lines)
        assert not any("Traceback" in line for line in lines)
        # The pages of a run that do not show the guide's title are taken as the last build left them.
        assert any(re.search(r"INFO +- +[1-9][0-9]* generated pages taken as the last build finished them", line)
                   for line in lines), "".join(lines)
        # And the theme's HTML of the pages that did not change (kept_output.py).
        assert any(re.search(r"INFO +- +[1-9][0-9]* pages as the theme last wrote them", line)
                   for line in lines), "".join(lines)
        # The playbook folder is watched as the system reports its changes; a build, which reads
        # every file, is not one: two saves, two rebuilds.
        assert any("Watching playbook as the system reports its changes" in line for line in lines), "".join(lines)
        time.sleep(3)
        assert sum("Detected file changes" in line for line in lines) == 2, "".join(lines)
    finally:
        server.terminate()
        server.wait(timeout=10)


def _indexed_text(base: str) -> str:
    """Every page text of the Pagefind index the server serves: its entry names the index, whose
    meta file names each page's fragment (gzip, after Pagefind's signature)."""
    try:
        entry = json.loads(fetch(f"{base}/pagefind/pagefind-entry.json") or "{}")
        meta = _fetch_bytes(f"{base}/pagefind/pagefind.{entry['languages']['en']['hash']}.pf_meta")
        names = set(re.findall(rb"en_[0-9a-f]+", gzip.decompress(meta)))  # pages, and a few other hashes
    except (KeyError, ValueError, OSError, EOFError):
        return ""
    texts = []
    for name in sorted(names):
        try:
            fragment = _fetch_bytes(f"{base}/pagefind/fragment/{name.decode()}.pf_fragment")
            texts.append(gzip.decompress(fragment).decode("utf-8", "replace"))
        except (OSError, EOFError):
            continue
    return "".join(texts)


def _fetch_bytes(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=2) as response:
        return bytes(response.read())


def test_under_serve_a_saved_page_is_served_before_pagefind_has_indexed_it(tmp_path: Path) -> None:
    config = SITE_CONFIG.replace("      site_name: true\n", "      site_name: true\n      search: pagefind\n")
    project = make_project(tmp_path / "p", config=config)
    port = free_port()
    server, lines = serve(project, port)
    base = f"http://127.0.0.1:{port}"
    guide = project / "playbook" / "assets" / "guide.yaml"
    try:
        # The first build served waits for a whole index.
        assert wait_for(lambda: "Anvil buyer" in fetch(f"{base}/assets/"), 60), "".join(lines)
        assert "Anvil buyer" in _indexed_text(base)
        guide.write_text(guide.read_text(encoding="utf-8").replace("Anvil buyer's guide", "Zanzibar anvil guide"),
                         encoding="utf-8")
        assert wait_for(lambda: "Zanzibar anvil guide" in fetch(f"{base}/assets/")), "".join(lines)
        # Then Pagefind indexes the new site in the background, and its index takes the old one's place.
        assert wait_for(lambda: "Zanzibar anvil guide" in _indexed_text(base), 60), "".join(lines)
        said = "".join(lines)
        assert said.index("Pagefind indexed the site again") > said.rindex("Documentation built")
        assert "Anvil buyer's guide" not in _indexed_text(base)
        assert not any("Traceback" in line for line in lines)
    finally:
        server.terminate()
        server.wait(timeout=10)


class _Server:
    """What MkDocs' server holds that the rebuild wrapper uses."""

    def __init__(self, build: Callable[[], None]) -> None:
        self.builder = build
        self._epoch_cond = threading.Condition()
        self._visible_epoch, self._wanted_epoch = 1, 2


def test_a_rebuild_runs_without_the_cycle_collector_and_gives_it_back_after() -> None:
    import gc

    import pytest

    from generator.site.collector import Collector
    from generator.site.serving import keep_serving_after_failures

    seen: list[bool] = []

    def failing() -> None:
        seen.append(gc.isenabled())
        raise SystemExit(1)

    assert gc.isenabled()
    collector = Collector(idle=60)
    try:
        for build in (lambda: seen.append(gc.isenabled()), failing):
            server = _Server(build)
            keep_serving_after_failures(server, collector)
            if build is failing:
                with pytest.raises(SystemExit):
                    server.builder()
                assert server._wanted_epoch == server._visible_epoch  # the last good site is still served
            else:
                server.builder()
            assert gc.isenabled()
        assert seen == [False, False]
        gc.disable()  # a program that turned the collector off keeps it off
        try:
            server = _Server(lambda: seen.append(gc.isenabled()))
            keep_serving_after_failures(server, collector)
            server.builder()
            assert not gc.isenabled()
        finally:
            gc.enable()
    finally:
        collector.stop()


class _Cycle:
    """An object in a cycle with itself: only the cycle collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_the_full_collection_waits_until_the_server_idles() -> None:
    """What a rebuild leaves in cycles is freed once the server has been idle for a while, not
    at the end of the rebuild, while its page is being asked for; and not while a rebuild runs."""
    import gc
    import time
    import weakref

    from generator.site.collector import Collector

    collector = Collector(idle=2.0, overdue=10)  # far longer than the waits below, on a busy machine too
    made: list[weakref.ref[_Cycle]] = []

    def build() -> None:
        made.append(weakref.ref(_Cycle()))

    try:
        collector.around(build)
        assert gc.isenabled() and gc.get_freeze_count() > 0  # set aside, not walked
        gc.collect()  # a collection now walks only what came after the rebuild
        assert made[-1]() is not None
        time.sleep(1.0)
        collector.around(build)  # a save before the server idled: the wait starts again
        time.sleep(1.2)  # 2.2 s after the first rebuild, 1.2 s after the second
        assert made[0]() is not None and collector.collections == 0
        deadline = time.monotonic() + 5
        while collector.collections == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert collector.collections == 1
        assert made[0]() is None and made[1]() is None  # both freed in the full collection
        assert gc.get_freeze_count() == 0 and gc.isenabled()
    finally:
        collector.stop()


def test_saves_that_keep_coming_still_have_their_cycles_collected() -> None:
    import gc
    import weakref

    from generator.site.collector import Collector

    collector = Collector(idle=60, overdue=3)
    made: list[weakref.ref[_Cycle]] = []

    def build() -> None:
        made.append(weakref.ref(_Cycle()))
        assert not gc.isenabled()

    try:
        for _ in range(2):
            collector.around(build)
        assert collector.collections == 0 and all(ref() is not None for ref in made)
        collector.around(build)  # the third rebuild in a row without the server idling
        assert collector.collections == 1
        assert all(ref() is None for ref in made)
        assert gc.get_freeze_count() == 0 and gc.isenabled()
    finally:
        collector.stop()


class _Watched:
    """What MkDocs' server holds that watch_playbook uses."""

    def __init__(self) -> None:
        self._rebuild_cond = threading.Condition()
        self._want_rebuild = False
        self.listed: list[str] = []

    def watch(self, path: str) -> None:  # MkDocs' own watcher, which lists the folder
        self.listed.append(path)


def test_the_playbook_is_watched_as_the_system_reports_changes_and_not_for_reading_it(
        tmp_path: Path, monkeypatch: Any) -> None:
    from generator.site import serving
    from generator.site.serving import stop_watching, watch_playbook

    handlers: list[Any] = []

    class Rebuild(serving._Rebuild):
        def __init__(self, watching: Any) -> None:
            super().__init__(watching)
            handlers.append(self)

    monkeypatch.setattr(serving, "_Rebuild", Rebuild)
    folder = tmp_path / "playbook"
    (folder / "assets").mkdir(parents=True)
    asset = folder / "assets" / "a.yaml"
    asset.write_text("id: a\n", encoding="utf-8")
    server = _Watched()
    told: list[bool] = []  # before each rebuild is asked for (the plugin stops Pagefind then)
    observer = watch_playbook(server, folder, lambda: told.append(server._want_rebuild))
    try:
        assert observer is not None and server.listed == []
        time.sleep(0.5)
        for _ in range(3):  # a build opens and reads every file: no change
            assert asset.read_text(encoding="utf-8") == "id: a\n"
            os.listdir(folder / "assets")
        time.sleep(1)
        # Not even told: the system is asked for changes only, not for every file a build reads.
        assert server._want_rebuild is False and [h.seen for h in handlers] == [0] and told == []
        asset.write_text("id: a\ntitle: changed\n", encoding="utf-8")
        assert wait_for(lambda: server._want_rebuild, 10)
        assert told and told[0] is False, told
        server._want_rebuild = False
        (folder / "assets" / "b.yaml").write_text("id: b\n", encoding="utf-8")  # a new file, in a folder below
        assert wait_for(lambda: server._want_rebuild, 10)
        server._want_rebuild = False
        os.replace(folder / "assets" / "b.yaml", folder / "assets" / "c.yaml")  # saved by renaming, as editors do
        assert wait_for(lambda: server._want_rebuild, 10)
        # The folder itself deleted (a branch without it checked out), then put back: the rebuild
        # says it is missing, and its files are watched again once it is back.
        for put_away in (shutil.rmtree, lambda path: os.replace(path, tmp_path / "away")):
            server._want_rebuild = False
            copy = shutil.copytree(folder, tmp_path / "copy")
            put_away(folder)
            assert wait_for(lambda: server._want_rebuild, 10)
            shutil.rmtree(tmp_path / "away", ignore_errors=True)
            time.sleep(0.5)
            server._want_rebuild = False
            os.replace(copy, folder)
            assert wait_for(lambda: server._want_rebuild, 10)
            time.sleep(0.5)
            server._want_rebuild = False
            (folder / "assets" / "c.yaml").write_text("id: c\ntitle: back\n", encoding="utf-8")
            assert wait_for(lambda: server._want_rebuild, 10)
        assert server.listed == []
    finally:
        stop_watching(observer)
    assert not observer.is_alive()


def test_where_the_system_cannot_report_changes_the_folder_is_listed_as_mkdocs_does(
        tmp_path: Path, monkeypatch: Any) -> None:
    import watchdog.observers

    from generator.site.serving import watch_playbook

    class NoService:
        def schedule(self, *args: Any, **kwargs: Any) -> None:
            raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(watchdog.observers, "Observer", NoService)
    server = _Watched()
    assert watch_playbook(server, tmp_path) is None
    assert server.listed == [str(tmp_path)]
    other = type("Other", (), {"watch": _Watched.watch, "listed": []})()  # a server of another shape
    assert watch_playbook(other, tmp_path) is None and other.listed == [str(tmp_path)]


def test_the_watcher_names_its_folder_on_one_line_of_the_log(tmp_path: Path, caplog: Any) -> None:
    import logging

    from generator.site.serving import stop_watching, watch_playbook

    folder = tmp_path / "play\nINFO    -  Documentation built\u202e"
    folder.mkdir()
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.playbook"):
        observer = watch_playbook(_Watched(), folder)
    stop_watching(observer)
    said = [record.getMessage() for record in caplog.records]
    assert said == ["Watching play\\nINFO    -  Documentation built\\u202e as the system reports its changes"]


def test_a_change_stops_pagefind_at_once_and_quietly(tmp_path: Path, monkeypatch: Any, caplog: Any) -> None:
    from generator.site import serving

    # Pagefind indexing a large site: a process that would run for a minute.
    monkeypatch.setattr(serving, "pagefind_command", lambda site, out: [
        sys.executable, "-c", f"import os, time; os.makedirs({str(out)!r}); time.sleep(60)"])
    refresh = serving.Refresh(tmp_path)
    assert wait_for(lambda: (tmp_path / ".pagefind-next").is_dir(), 10)
    started = time.monotonic()
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.playbook"):
        refresh.cancel()  # from the watcher's thread, as a file changes
        assert refresh.process.wait(timeout=10) != 0
        refresh.thread.join(10)
        refresh.stop()  # then the rebuild begins: nothing left to wait for
    assert time.monotonic() - started < 10 and not refresh.thread.is_alive()
    assert not (tmp_path / ".pagefind-next").exists()  # its unfinished index is gone
    assert [r.getMessage() for r in caplog.records] == []  # and no word of a failed index
