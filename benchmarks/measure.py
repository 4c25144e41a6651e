"""Measuring one thing at a time: a command's wall time and peak memory, a built site's sizes, and
how long `mkdocs serve` takes from a saved asset file to the rebuilt page."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .synth import mark_asset

BIN = Path(sys.executable).parent
MKDOCS = [sys.executable, "-m", "mkdocs"]
PLAYBOOK = [str(BIN / "playbook")]
ZENSICAL = [sys.executable, "-m", "zensical"]
# The least any check of the playbook must do: PyYAML's C loader reading every file, in a fresh
# process, as a person would wait for it. `playbook validate` is measured against it.
BARE_LOAD = [sys.executable, "-c", """
import os, sys, yaml
for folder, _, names in sorted(os.walk(sys.argv[1])):
    for name in sorted(names):
        if name.endswith(".yaml"):
            with open(os.path.join(folder, name), "rb") as file:
                yaml.load(file, Loader=yaml.CSafeLoader)
""", "playbook"]


@dataclass(frozen=True)
class Child:
    seconds: float
    peak_mb: float  # the child's largest resident set, from wait4
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run(command: list[str], cwd: Path, env: dict[str, str], timeout: float = 1800) -> Child:
    """Run command to its end; its wall time, and its own peak RSS (not that of earlier children,
    as RUSAGE_CHILDREN would give)."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        killer = threading.Timer(timeout, process.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            killer.cancel()
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    return Child(seconds, usage.ru_maxrss / 1024, process.returncode, output)


@dataclass(frozen=True)
class Site:
    bytes: int
    largest_page: str
    largest_page_bytes: int
    search_index_bytes: int


def site_sizes(site: Path) -> Site:
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    largest = max(pages, key=lambda p: p.stat().st_size)
    # The index the site searches with: Pagefind's files when it has them, else the theme's.
    pagefind = [p for p in files if p.is_relative_to(site / "pagefind")]
    index = site / "search" / "search_index.json"
    searched = sum(p.stat().st_size for p in pagefind) if pagefind else index.stat().st_size if index.is_file() else 0
    return Site(sum(p.stat().st_size for p in files), largest.relative_to(site).as_posix(),
                largest.stat().st_size, searched)


def summary(output: str) -> str:
    """Why a command failed, in one line: its last line that says something, never a traceback."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    useful = [line for line in lines if not line.startswith(("Traceback", "File ", "^", "~"))]
    text = (useful or lines or ["no output"])[-1]
    return re.sub(r"[|`\\]", " ", text)[:120]


def zensical_build(project: Path, config: str, site_dir: Path, env: dict[str, str]) -> Child:
    """A cold Zensical build: its cache and the previous site removed first."""
    shutil.rmtree(project / ".cache", ignore_errors=True)
    shutil.rmtree(site_dir, ignore_errors=True)
    return run([*ZENSICAL, "build", "-f", config], project, env)


# mkdocs serve ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=150) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def _wait_for(url: str, text: str | re.Pattern[str], seconds: float, interval: float = 0.05) -> float | None:
    """Seconds until the page at url holds text, or None after `seconds`."""
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        page = _fetch(url)
        if (text.search(page) if isinstance(text, re.Pattern) else text in page):
            return time.perf_counter() - start
        time.sleep(interval)
    return None


def serve_latency(project: Path, env: dict[str, str], edits: int, timeout: float = 120) -> list[float]:
    """Start `mkdocs serve`, wait for its first build, then `edits` times append a new word to a
    talking point of the first asset on the first Assets page and time until the page shows it.
    Raises RuntimeError, with the server's last words, if a page never comes."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/assets/"
    stems = {p.stem for p in (project / "playbook" / "assets").glob("*.yaml")}
    with tempfile.TemporaryFile() as log:
        server = subprocess.Popen([*MKDOCS, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project, env=env,
                                  stdout=log, stderr=subprocess.STDOUT)
        try:
            if _wait_for(url, re.compile(r'id="[a-z0-9-]+"'), 600, 0.5) is None:
                raise RuntimeError("no first build")
            asset = next(id for id in re.findall(r'id="([a-z0-9-]+)"', _fetch(url)) if id in stems)
            seconds = []
            for n in range(edits):
                word = f"benchedit{n}q{os.getpid()}"
                time.sleep(1)  # let the server settle after the last build
                mark_asset(project / "playbook" / "assets" / f"{asset}.yaml", word)
                took = _wait_for(url, word, timeout)
                if took is None:
                    raise RuntimeError(f"the edit did not show within {timeout:.0f} s")
                seconds.append(took)
            return seconds
        except RuntimeError as err:
            log.seek(0)
            raise RuntimeError(f"{err}: {summary(log.read().decode('utf-8', 'replace'))}") from None
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
