"""The benchmark, in one command:

    .venv/bin/python benchmarks/run.py [--sizes 100,1000,10000] [--runs 3] [--serve-size 1000,10000] [--out FILE.md]

For each size it writes a synthetic playbook (synth.py) into a temporary folder and measures, each
run: load, validate and render in a fresh process (phases.py); the `playbook validate` and
`playbook render` commands; `mkdocs build --strict` with the plugin, its peak memory and the site's
sizes; a plain MkDocs build of the rendered pages (the same theme, extensions and navigation,
without the plugin); and a Zensical build of those pages from the same configuration file. At the
serve size it also times `mkdocs serve` from a saved asset file to the rebuilt page. It prints a
Markdown table of the medians, how each figure grows, and the targets; `--out` writes the same as
a docs page with the date and the machine. Progress goes to standard error.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks import measure, phone, report, synth  # noqa: E402
from benchmarks.report import PHONE_FIGURES, Size  # noqa: E402

PHASES = [sys.executable, str(REPO / "benchmarks" / "phases.py"), "."]
RENDERED, PLAIN_CONFIG, PLAIN_SITE = "rendered", "plain.yml", "site-plain"
STATIC = "assets/playbook"  # where `playbook render` puts the site's script and styles


def child_env() -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.setdefault("PLAYBOOK_TODAY", synth.TODAY)  # the day the synthetic review dates are planned around
    return env


def write_plain_config(project: Path, phases: dict[str, Any]) -> None:
    """mkdocs.yml without the playbook plugin, for the rendered pages: the same theme, Markdown
    extensions and search, the site's script and styles, and the navigation the plugin builds."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    plugins = [p for p in config.get("plugins", []) if "playbook" not in (p if isinstance(p, dict) else [p])]
    scripts = phases["scripts"]
    # The plugin leaves the later Assets pages out of the navigation ("not in nav"); so does this.
    listed = set(_pages(phases["nav"]))
    rendered = sorted(p.relative_to(project / RENDERED).as_posix() for p in (project / RENDERED).rglob("*.md"))
    config.update(site_name=phases["site_name"], docs_dir=RENDERED, site_dir=PLAIN_SITE, nav=phases["nav"],
                  not_in_nav="\n".join(f"/{uri}" for uri in rendered if uri not in listed),
                  plugins=plugins, extra_css=[f"{STATIC}/playbook.css"],
                  extra_javascript=[f"{STATIC}/{name}" for name in scripts])
    (project / PLAIN_CONFIG).write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _pages(nav: object) -> list[str]:
    """Every page a MkDocs nav lists."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [page for item in nav.values() for page in _pages(item)]
    if isinstance(nav, list):
        return [page for item in nav for page in _pages(item)]
    return []


def _required(child: measure.Child, what: str) -> measure.Child:
    if not child.ok:
        raise SystemExit(f"{what} failed (exit {child.returncode}): {child.output[-3000:]}")
    return child


def _step(project: Path, step: str, env: dict[str, str]) -> dict[str, Any]:
    """One step of the generator timed in its own fresh process (phases.py)."""
    found: dict[str, Any] = json.loads(
        _required(measure.run([*PHASES, step], project, env), f"timing {step}").output.splitlines()[-1])
    if "errors" in found:
        raise SystemExit("the synthetic playbook has problems:\n" + "\n".join(found["errors"]))
    return found


def _validate_cold_and_warm(project: Path, env: dict[str, str]) -> tuple[float, float]:
    """`playbook validate` with nothing kept from an earlier run (cold), then again once one asset
    has changed, as on a commit (warm: the other files come from the cache the first run left)."""
    with tempfile.TemporaryDirectory(prefix="playbook-cache-") as cache:
        env = {**env, "PLAYBOOK_CACHE": cache}
        cold = _required(measure.run([*measure.PLAYBOOK, "validate"], project, env), "playbook validate").seconds
        # The cache is written by a process of its own once the command is done: wait for it, so
        # that it neither slows what is measured next nor is missing from the warm run.
        deadline = time.monotonic() + 120
        while not list(Path(cache).glob("*.json")) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        asset = min((project / "playbook" / "assets").glob("*.yaml"))
        asset.write_text(asset.read_text(encoding="utf-8") + "# changed for the benchmark\n", encoding="utf-8")
        warm = _required(measure.run([*measure.PLAYBOOK, "validate"], project, env), "playbook validate").seconds
        while any(Path(cache).glob(".*.tmp")) and time.monotonic() < deadline:
            time.sleep(0.05)
    return cold, warm


def measure_phone(project: Path, size: Size) -> None:
    """The phone's figures for the site just built (phone.py), or a note of why there are none."""
    try:
        figures = phone.phone_figures(project / "site", "stages/scoping/", "scoping")
    except Exception as err:  # no browser here, or it failed: said in the table, the rest stands
        size.notes.update({key: f"failed: {str(err).splitlines()[0][:80]}" for key in PHONE_FIGURES})
        return
    for key, value in figures.items():
        size.add(f"phone_{key}", value)


def measure_run(project: Path, size: Size, first: bool, env: dict[str, str], phone_too: bool = False) -> None:
    """One run of every measurement at one size, added to size."""
    size.add("load", _step(project, "load", env)["seconds"])
    size.add("validate", _step(project, "validate", env)["seconds"])
    phases = _step(project, "render", env)
    counts = phases["counts"]
    for key, value in (("entities", sum(counts.values())), ("assets", counts["assets"]), ("terms", counts["terms"]),
                       ("personas", counts["personas"]), ("render", phases["seconds"])):
        size.add(key, value)
    size.add("yaml_mb", sum(p.stat().st_size for p in (project / "playbook").rglob("*.yaml")) / 1e6)
    cold, warm = _validate_cold_and_warm(project, env)
    size.add("validate_cmd", cold)
    size.add("validate_warm_cmd", warm)
    size.add("bare_cmd", _required(measure.run(measure.BARE_LOAD, project, env), "the bare YAML load").seconds)
    size.add("validate_ratio", cold / size.runs["bare_cmd"][-1])
    size.add("validate_warm_ratio", warm / size.runs["bare_cmd"][-1])
    build = measure.run([*measure.MKDOCS, "build", "--strict"], project, env)
    if build.ok:
        site = measure.site_sizes(project / "site")
        for key, value in (("build", build.seconds), ("build_mb", build.peak_mb), ("site_mb", site.bytes / 1e6),
                           ("page_kb", site.largest_page_bytes / 1000), ("index_mb", site.search_index_bytes / 1e6)):
            size.add(key, value)
        size.largest_page = site.largest_page
        if phone_too and first:
            measure_phone(project, size)
    else:
        size.notes["build"] = f"failed: {measure.summary(build.output)}"
    size.add("render_cmd", _required(measure.run([*measure.PLAYBOOK, "render", RENDERED], project, env),
                                     "playbook render").seconds)
    if first:
        write_plain_config(project, phases)
    plain = measure.run([*measure.MKDOCS, "build", "--strict", "-f", PLAIN_CONFIG], project, env)
    if not plain.ok:
        size.notes["plain"] = f"failed: {measure.summary(plain.output)}"
        return
    size.add("plain", plain.seconds)
    size.add("plain_mb", plain.peak_mb)
    if build.ok:
        size.add("cost", build.seconds / plain.seconds)
    if importlib.util.find_spec("zensical") is None:
        size.notes.update(zensical="not installed", zensical_mb="not installed", zensical_ratio="not installed")
        return
    zensical = measure.zensical_build(project, PLAIN_CONFIG, project / PLAIN_SITE, env)
    if zensical.ok:
        size.add("zensical", zensical.seconds)
        size.add("zensical_mb", zensical.peak_mb)
        size.add("zensical_ratio", zensical.seconds / plain.seconds)
    else:
        size.notes["zensical"] = f"failed: {measure.summary(zensical.output)}"


def measure_size(entities: int, runs: int, seed: int, serve: bool, edits: int, phone_too: bool = False) -> Size:
    size = Size(entities)
    env = child_env()
    with tempfile.TemporaryDirectory(prefix=f"playbook-benchmark-{entities}-") as tmp:
        project = synth.write_playbook(Path(tmp) / "project", entities, seed)
        for run in range(runs):
            measure_run(project, size, run == 0, env, phone_too)
            _progress(f"{entities:,} entities, run {run + 1}/{runs}: " + ", ".join(
                f"{key} {values[-1]:.2f}" for key, values in size.runs.items()
                if key in ("validate", "build", "plain", "zensical")))
        if serve:
            try:
                for seconds in measure.serve_latency(project, env, edits):
                    size.add("serve", seconds)
            except RuntimeError as err:
                size.notes["serve"] = f"failed: {err}"
            _progress(f"{entities:,} entities, serve: {size.runs.get('serve', size.notes.get('serve'))}")
    return size


def _progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give sizes as numbers with commas, e.g. 100,1000,10000") from None
    if not sizes:
        raise argparse.ArgumentTypeError("give at least one size")
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=_sizes, default=[100, 1000, 10_000],
                        help="entities per playbook (100,1000,10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per size; the table shows medians (3)")
    parser.add_argument("--serve-size", type=_sizes, default=[1000],
                        help="sizes at which to time mkdocs serve, such as 1000,10000 (1000)")
    parser.add_argument("--edits", type=int, default=5, help="asset edits timed under mkdocs serve (5)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic playbooks (1)")
    parser.add_argument("--phone", action="store_true",
                        help="also measure each site on a slow phone in Chromium (benchmarks/phone.py), once per size")
    parser.add_argument("--out", type=Path, help="also write the results as a docs page to this file")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.edits < 1:
        parser.error("--runs and --edits must be at least 1")
    load_before = os.getloadavg()[0]
    sizes = [measure_size(n, args.runs, args.seed, n in args.serve_size, args.edits, args.phone) for n in args.sizes]
    for n in args.serve_size:
        if n not in args.sizes:
            sizes.append(measure_size(n, 0, args.seed, True, args.edits))
    sizes.sort(key=lambda s: s.entities)
    # Another busy process on the machine slows every figure: the load average says if there was one.
    loads = f"load average {load_before:.2f} before the run, {os.getloadavg()[0]:.2f} after"
    body = "\n\n".join((report.table(sizes), report.growth(sizes), report.targets(sizes, args.serve_size)))
    runs = f"medians of {args.runs} runs" if args.runs > 1 else "one run"
    print(f"Measured on {date.today().isoformat()}, on {report.machine()}; {runs}; {loads}.\n\n{body}")
    if args.out:
        served = ",".join(map(str, args.serve_size))
        command = (f".venv/bin/python benchmarks/run.py --sizes {','.join(map(str, args.sizes))} --runs {args.runs} "
                   f"--serve-size {served} --edits {args.edits}{' --phone' if args.phone else ''} --out {args.out}")
        args.out.write_text(report.page(body, args.runs, command, loads), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
