"""The benchmark's report in Markdown: one table (sizes as columns, figures as rows), how each figure
grows from the smallest size of at least 1,000 entities to the largest, and the targets."""

from __future__ import annotations

import os
import platform
import statistics
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata

# How far from proportional a figure may grow and still be called linear.
LINEAR_WITHIN = 1.5
PAGE_LIMIT = 500_000


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    kind: str  # "count", "seconds", "mb", "kb", "ratio"


FIGURES = (
    Figure("entities", "entities", "count"),
    Figure("assets", "assets", "count"),
    Figure("terms", "terms", "count"),
    Figure("personas", "personas", "count"),
    Figure("yaml_mb", "YAML read (MB)", "mb"),
    Figure("load", "load, in process (s)", "seconds"),
    Figure("validate", "validate, in process, load included (s)", "seconds"),
    Figure("render", "render every page in memory (s)", "seconds"),
    Figure("validate_cmd", "`playbook validate` command (s)", "seconds"),
    Figure("validate_warm_cmd", "`playbook validate` again, one asset changed (s)", "seconds"),
    Figure("bare_cmd", "bare load of the same files with PyYAML's `CSafeLoader`, whole process (s)", "seconds"),
    Figure("validate_ratio", "`playbook validate` ÷ bare load (ratio)", "ratio"),
    Figure("validate_warm_ratio", "`playbook validate` again ÷ bare load (ratio)", "ratio"),
    Figure("render_cmd", "`playbook render` command (s)", "seconds"),
    Figure("build", "`mkdocs build --strict` with the plugin (s)", "seconds"),
    Figure("build_mb", "peak memory of that build (MB)", "mb"),
    Figure("site_mb", "site size (MB)", "mb"),
    Figure("page_kb", "largest page (KB)", "kb"),
    Figure("index_mb", "search index, all its files (MB)", "mb"),
    Figure("plain", "plain `mkdocs build --strict` of the rendered pages (s)", "seconds"),
    Figure("plain_mb", "peak memory of the plain build (MB)", "mb"),
    Figure("cost", "plugin build ÷ plain build (ratio)", "ratio"),
    Figure("zensical", "Zensical build of the rendered pages (s)", "seconds"),
    Figure("zensical_mb", "peak memory of the Zensical build (MB)", "mb"),
    Figure("zensical_ratio", "Zensical ÷ plain MkDocs (ratio)", "ratio"),
    Figure("serve", "`mkdocs serve`: saved asset to rebuilt page (s)", "seconds"),
    Figure("phone_view_kb", "phone: a stage page's view, bytes moved before any search (KB)", "kb"),
    Figure("phone_search_s", "phone: typed search to first result (s)", "seconds"),
    Figure("phone_finder_s", "phone: finder opened to first card (s)", "seconds"),
)
# Measured with --phone (phone.py): Chromium at 390 x 844, slow 4G, CPU 4x slower, cold cache.
PHONE_FIGURES = ("phone_view_kb", "phone_search_s", "phone_finder_s")


@dataclass
class Size:
    """Everything measured at one size: lists of per-run values, or a note where a figure failed."""

    entities: int
    runs: dict[str, list[float]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    largest_page: str = ""

    def add(self, key: str, value: float) -> None:
        self.runs.setdefault(key, []).append(value)

    def value(self, key: str) -> float | None:
        values = self.runs.get(key)
        return statistics.median(values) if values else None


def _number(value: float, kind: str) -> str:
    if kind == "count":
        return f"{value:,.0f}"
    if kind == "kb":
        return f"{value:,.0f}"
    if kind == "mb":
        return f"{value:,.1f}"
    return f"{value:,.2f}"


def cell(size: Size, figure: Figure) -> str:
    value = size.value(figure.key)
    if value is not None:
        return _number(value, figure.kind)
    return size.notes.get(figure.key, "–")


def table(sizes: list[Size]) -> str:
    lines = ["| figure | " + " | ".join(f"{s.entities:,}" for s in sizes) + " |",
             "|---|" + "---:|" * len(sizes)]
    # The phone's rows only when it was measured (--phone).
    shown = [f for f in FIGURES if f.key not in PHONE_FIGURES
             or any(s.value(f.key) is not None or f.key in s.notes for s in sizes)]
    lines += [f"| {f.label} | " + " | ".join(cell(s, f) for s in sizes) + " |" for f in shown]
    pages = "; ".join(f"{s.entities:,}: `{s.largest_page}`, {s.value('page_kb') or 0:,.0f} KB"
                      for s in sizes if s.largest_page)
    return "\n".join(lines) + ("\n\nLargest page at each size: " + pages + "." if pages else "")


def growth(sizes: list[Size]) -> str:
    """A line per figure: linear, sublinear or superlinear from the smallest size of at least
    1,000 entities to the largest."""
    big = sorted((s for s in sizes if s.entities >= 1000), key=lambda s: s.entities)
    if len(big) < 2 or big[0].entities == big[-1].entities:
        return "Growth: needs two sizes of at least 1,000 entities (`--sizes 1000,10000`)."
    low, high = big[0], big[-1]
    scale = high.entities / low.entities
    lines = [f"Growth from {low.entities:,} to {high.entities:,} entities ({scale:.0f}x as many), each figure "
             f"against {scale:.0f}x: linear when within {LINEAR_WITHIN}x of that.", ""]
    for figure in FIGURES:
        a, b = low.value(figure.key), high.value(figure.key)
        if figure.kind == "count" or a is None or b is None or a <= 0:
            continue
        shown = f"{_number(a, figure.kind)} → {_number(b, figure.kind)}"
        if figure.kind == "ratio":
            steady = 1 / LINEAR_WITHIN <= b / a <= LINEAR_WITHIN
            lines.append(f"- {figure.label}: {shown}, a ratio: {'steady' if steady else 'changes'}")
            continue
        against = (b / a) / scale
        verdict = "linear" if 1 / LINEAR_WITHIN <= against <= LINEAR_WITHIN else (
            "sublinear" if against < 1 else "superlinear")
        lines.append(f"- {figure.label}: {shown}, {b / a:.1f}x: {verdict}")
    return "\n".join(lines)


def _at(sizes: list[Size], entities: int) -> Size | None:
    return next((s for s in sizes if s.entities == entities), None)


def _target(name: str, value: float | None, limit: float, shown: str) -> str:
    if value is None:
        return f"- {name}: not measured in this run"
    if value <= limit:
        return f"- {name}: {shown}: met"
    over = f"{(value / limit - 1) * 100:.0f} % over" if value < 2 * limit else f"{value / limit:.1f}x the target"
    return f"- {name}: {shown}: not met ({over})"


def targets(sizes: list[Size], serve_sizes: list[int]) -> str:
    lines = ["Targets:", ""]  # a blank line before a list, or Markdown runs it into the line above
    ten, one = _at(sizes, 10_000), _at(sizes, 1_000)
    v = ten.value("validate") if ten else None
    command = ten.value("validate_cmd") if ten else None
    lines.append(_target("validate 10,000 entities ≤ 1 s", v, 1.0,
                         f"{v or 0:.2f} s in process, {command or 0:.2f} s as the `playbook validate` command"))
    bare = (ten.value("bare_cmd") if ten else None) or 0
    for key, seconds, run in (("validate_ratio", "validate_cmd", "first run"),
                              ("validate_warm_ratio", "validate_warm_cmd", "next run, one asset changed")):
        ratio = ten.value(key) if ten else None
        taken = (ten.value(seconds) if ten else None) or 0
        lines.append(_target(f"`playbook validate` ≤ 1.15x a bare `CSafeLoader` load at 10,000, {run}", ratio, 1.15,
                             f"{ratio or 0:.2f}x ({taken:.2f} s against {bare:.2f} s)"))
    for size, n in ((one, 1_000), (ten, 10_000)):
        cost = size.value("cost") if size else None
        lines.append(_target(f"the plugin build ≤ 10 % over plain MkDocs at {n:,}", cost, 1.10,
                             f"{((cost or 1) - 1) * 100:+.0f} %"))
    serve = one.value("serve") if one and 1_000 in serve_sizes else None
    lines.append(_target("serve: saved asset to rebuilt page ≤ 1.5 s at 1,000", serve, 1.5, f"{serve or 0:.2f} s"))
    cost = ten.value("cost") if ten else None
    lines.append(_target("the plugin build ≤ 0.6x plain MkDocs at 10,000", cost, 0.6, f"{cost or 0:.2f}x"))
    serve = ten.value("serve") if ten and 10_000 in serve_sizes else None
    lines.append(_target("serve: saved asset to rebuilt page ≤ 2 s at 10,000 (`--serve-size 10000`)", serve, 2.0,
                         f"{serve or 0:.2f} s"))
    built = ten.value("build") if ten else None
    lines.append(_target("10,000 entities built ≤ 20 s", built, 20, f"{built or 0:.1f} s"))
    peak = ten.value("build_mb") if ten else None
    lines.append(_target("10,000 entities built in ≤ 500 MB", peak, 500, f"{peak or 0:.0f} MB"))
    measured = [s for s in sizes if s.value("page_kb") is not None]
    largest = max(measured, key=lambda s: s.value("page_kb") or 0, default=None)
    page = largest.value("page_kb") if largest else None
    lines.append(_target("no page over 500 KB", page, PAGE_LIMIT / 1000,
                         f"largest {page or 0:,.0f} KB (`{largest.largest_page if largest else ''}` at "
                         f"{largest.entities if largest else 0:,} entities)"))
    if ten is not None:
        for key, name, limit, unit in (("phone_search_s", "phone: first search result ≤ 4 s at 10,000", 4.0, "s"),
                                       ("phone_finder_s", "phone: first finder card ≤ 3 s at 10,000", 3.0, "s"),
                                       ("phone_view_kb", "phone: a page view moves ≤ 400 KB at 10,000", 400.0, "KB")):
            value = ten.value(key)
            lines.append(_target(name, value, limit, f"{value or 0:,.1f} {unit}"))
    return "\n".join(lines)


def machine() -> str:
    """The CPU model, cores, memory and the versions that matter."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), model)
        with open("/proc/meminfo", encoding="utf-8") as info:
            kb = next(int(line.split()[1]) for line in info if line.startswith("MemTotal"))
        memory = f"{kb / 1024 / 1024:.1f} GB RAM"
    except (OSError, StopIteration, ValueError):
        memory = "unknown RAM"
    versions = []
    for package, name in (("mkdocs", "MkDocs"), ("mkdocs-material", "Material for MkDocs"), ("zensical", "Zensical")):
        try:
            versions.append(f"{name} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} not installed")
    return (f"{model}, {os.cpu_count()} cores, {memory}, {platform.system()}; Python {platform.python_version()}, "
            + ", ".join(versions))


def page(body: str, runs: int, command: str, loads: str) -> str:
    """The docs page: what is measured, when and on what, the results and how to measure again."""
    times = f"Times are the median of {runs} runs" if runs > 1 else "Times are from one run"
    return f"""# Benchmark

How long the playbook takes to check and to publish as it grows, and how large its site gets.
Each size is a synthetic playbook in the proportions of a real one: the stages, lifecycle states,
handoffs and shared goals of this playbook, then about 85 % assets, 12 % terms and 3 % personas,
each with its own text. {times}; sizes are the same every run.

Measured on {date.today().isoformat()}, on {machine()}; {loads}.

- **load, validate, render** are timed inside one fresh process with its modules already
  imported: the work itself. The `playbook validate` and `playbook render` commands are timed as
  a person waits for them, start-up included.
- **with the plugin** is the site's real build, `mkdocs build --strict`; its peak memory is that
  of the build process. Its search index is every file of Pagefind's index (the default site
  searches with Pagefind), or the theme's `search_index.json` on a site without it.
- **plain** builds the pages `playbook render` wrote with MkDocs alone: the same theme, Markdown
  extensions, scripts, styles and navigation, without the plugin. The ratio is what generating the
  pages costs on top of building them.
- **Zensical** builds the same rendered pages from the same configuration file, from a cold cache.
- **`playbook validate`** runs first with nothing kept from an earlier run; **again** is the next
  run once one asset has changed, as on a commit: the other files come from what the first run
  kept on disk, and the checks across files run over the whole playbook.
- **bare load** reads the same files with PyYAML's C loader (`yaml.load(file, CSafeLoader)`) in a
  fresh process, and nothing else: the least any check must do. `playbook validate` reads every
  file within its bounds, keeps where each value is, checks each against its schema and every
  rule across files; the ratio is what that costs on top of reading the YAML.
- **phone** (with `--phone`, once per size): Chromium at 390 x 844, slow 4G (150 ms round trip,
  1.6 Mbit/s), a CPU 4x slower, a cold cache and gzip; the bytes a stage page's view moves before
  any search, the time from typing a search to its first result, and from opening the finder to
  its first card.
- **serve** is the time from saving an asset's file to its rebuilt page under `mkdocs serve`, the
  median of several edits.

{body}

To measure again: `{command}`.
"""
